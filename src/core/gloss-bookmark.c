/* gloss-bookmark.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "gloss-bookmark"

#include "config.h"

#include "gloss-bookmark.h"
#include "gloss-bookmark-private.h"

#include "gloss-fold.h"
#include "gloss-store-private.h"

struct _GlossBookmark
{
  GObject    parent_instance;

  char      *bundle_key;
  char      *entry_id;
  char      *term;
  char      *bundle_title;
  char      *note;
  GDateTime *created;

  /* Folded term, note and title, made on the first search. */
  char      *folded;
};

enum {
  PROP_0,
  PROP_BUNDLE_KEY,
  PROP_ENTRY_ID,
  PROP_TERM,
  PROP_BUNDLE_TITLE,
  PROP_NOTE,
  PROP_HAS_NOTE,
  PROP_CREATED,
  N_PROPS
};

G_DEFINE_FINAL_TYPE (GlossBookmark, gloss_bookmark, G_TYPE_OBJECT)

static GParamSpec *properties[N_PROPS];

static void
gloss_bookmark_finalize (GObject *object)
{
  GlossBookmark *self = (GlossBookmark *)object;

  g_free (self->bundle_key);
  g_free (self->entry_id);
  g_free (self->term);
  g_free (self->bundle_title);
  g_free (self->note);
  g_free (self->folded);
  g_clear_pointer (&self->created, g_date_time_unref);

  G_OBJECT_CLASS (gloss_bookmark_parent_class)->finalize (object);
}

static void
gloss_bookmark_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  GlossBookmark *self = GLOSS_BOOKMARK (object);

  switch (prop_id)
    {
    case PROP_BUNDLE_KEY:
      g_value_set_string (value, self->bundle_key);
      break;

    case PROP_ENTRY_ID:
      g_value_set_string (value, self->entry_id);
      break;

    case PROP_TERM:
      g_value_set_string (value, self->term);
      break;

    case PROP_BUNDLE_TITLE:
      g_value_set_string (value, self->bundle_title);
      break;

    case PROP_NOTE:
      g_value_set_string (value, self->note);
      break;

    case PROP_HAS_NOTE:
      g_value_set_boolean (value, gloss_bookmark_has_note (self));
      break;

    case PROP_CREATED:
      g_value_set_boxed (value, self->created);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
gloss_bookmark_class_init (GlossBookmarkClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = gloss_bookmark_finalize;
  object_class->get_property = gloss_bookmark_get_property;

  properties[PROP_BUNDLE_KEY] =
    g_param_spec_string ("bundle-key", NULL, NULL,
                         NULL,
                         (G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY));

  properties[PROP_ENTRY_ID] =
    g_param_spec_string ("entry-id", NULL, NULL,
                         NULL,
                         (G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY));

  properties[PROP_TERM] =
    g_param_spec_string ("term", NULL, NULL,
                         NULL,
                         (G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY));

  properties[PROP_BUNDLE_TITLE] =
    g_param_spec_string ("bundle-title", NULL, NULL,
                         NULL,
                         (G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY));

  properties[PROP_NOTE] =
    g_param_spec_string ("note", NULL, NULL,
                         NULL,
                         (G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY));

  properties[PROP_HAS_NOTE] =
    g_param_spec_boolean ("has-note", NULL, NULL,
                          FALSE,
                          (G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY));

  properties[PROP_CREATED] =
    g_param_spec_boxed ("created", NULL, NULL,
                        G_TYPE_DATE_TIME,
                        (G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY));

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
gloss_bookmark_init (GlossBookmark *self)
{
}

/**
 * gloss_bookmark_new:
 * @bundle_key: the bundle's id, or its path when it has none
 * @entry_id: the entry's id, any non-empty UTF-8
 * @term: (nullable): the term when starred; the entry id when NULL
 * @bundle_title: (nullable): the bundle's title; the key when NULL
 * @note: (nullable): the user's note; NULL or "" for none
 * @created: (nullable): when it was starred; now when NULL
 */
GlossBookmark *
gloss_bookmark_new (const char *bundle_key,
                    const char *entry_id,
                    const char *term,
                    const char *bundle_title,
                    const char *note,
                    GDateTime  *created)
{
  GlossBookmark *self;

  g_return_val_if_fail (bundle_key != NULL && *bundle_key != '\0', NULL);
  g_return_val_if_fail (entry_id != NULL && *entry_id != '\0', NULL);

  self = g_object_new (GLOSS_TYPE_BOOKMARK, NULL);
  self->bundle_key = g_strdup (bundle_key);
  self->entry_id = g_strdup (entry_id);
  self->term = g_strdup (term != NULL && *term != '\0' ? term : entry_id);
  self->bundle_title = g_strdup (bundle_title != NULL && *bundle_title != '\0'
                                 ? bundle_title : bundle_key);
  self->note = g_strdup (note != NULL ? note : "");
  self->created = created != NULL ? g_date_time_to_utc (created) : _gloss_store_now ();

  return self;
}

/* Returns: (transfer full): the same bookmark with another note */
GlossBookmark *
gloss_bookmark_copy_with_note (GlossBookmark *self,
                               const char    *note)
{
  g_return_val_if_fail (GLOSS_IS_BOOKMARK (self), NULL);

  return gloss_bookmark_new (self->bundle_key, self->entry_id, self->term,
                             self->bundle_title, note, self->created);
}

const char *
gloss_bookmark_get_bundle_key (GlossBookmark *self)
{
  g_return_val_if_fail (GLOSS_IS_BOOKMARK (self), NULL);

  return self->bundle_key;
}

const char *
gloss_bookmark_get_entry_id (GlossBookmark *self)
{
  g_return_val_if_fail (GLOSS_IS_BOOKMARK (self), NULL);

  return self->entry_id;
}

const char *
gloss_bookmark_get_term (GlossBookmark *self)
{
  g_return_val_if_fail (GLOSS_IS_BOOKMARK (self), NULL);

  return self->term;
}

const char *
gloss_bookmark_get_bundle_title (GlossBookmark *self)
{
  g_return_val_if_fail (GLOSS_IS_BOOKMARK (self), NULL);

  return self->bundle_title;
}

/* Returns: the note, "" when there is none (never NULL) */
const char *
gloss_bookmark_get_note (GlossBookmark *self)
{
  g_return_val_if_fail (GLOSS_IS_BOOKMARK (self), NULL);

  return self->note;
}

gboolean
gloss_bookmark_has_note (GlossBookmark *self)
{
  g_return_val_if_fail (GLOSS_IS_BOOKMARK (self), FALSE);

  return self->note[0] != '\0';
}

/* Returns: (transfer none): when it was starred, in UTC */
GDateTime *
gloss_bookmark_get_created (GlossBookmark *self)
{
  g_return_val_if_fail (GLOSS_IS_BOOKMARK (self), NULL);

  return self->created;
}

gboolean
_gloss_bookmark_matches_words (GlossBookmark *self,
                               char * const  *words)
{
  if (words == NULL)
    return TRUE;

  if (self->folded == NULL)
    {
      g_autofree char *text = g_strjoin ("\n", self->term, self->note, self->bundle_title, NULL);

      self->folded = gloss_fold (text, -1);
    }

  return _gloss_store_words_match (self->folded, words);
}

/* Whether every word of @query is in the folded term, note or bundle
 * title (gloss_fold(): case and accents do not matter). */
gboolean
gloss_bookmark_matches (GlossBookmark *self,
                        const char    *query)
{
  g_auto(GStrv) words = NULL;

  g_return_val_if_fail (GLOSS_IS_BOOKMARK (self), FALSE);

  words = _gloss_store_query_words (query);

  return _gloss_bookmark_matches_words (self, words);
}

/* Same bundle key, entry id, snapshots, note and time. */
gboolean
gloss_bookmark_equal (GlossBookmark *a,
                      GlossBookmark *b)
{
  g_return_val_if_fail (GLOSS_IS_BOOKMARK (a), FALSE);
  g_return_val_if_fail (GLOSS_IS_BOOKMARK (b), FALSE);

  return g_str_equal (a->bundle_key, b->bundle_key) &&
         g_str_equal (a->entry_id, b->entry_id) &&
         g_str_equal (a->term, b->term) &&
         g_str_equal (a->bundle_title, b->bundle_title) &&
         g_str_equal (a->note, b->note) &&
         g_date_time_equal (a->created, b->created);
}
