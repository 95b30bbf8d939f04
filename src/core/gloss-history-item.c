/* gloss-history-item.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "gloss-history-item"

#include "config.h"

#include "gloss-history-item.h"
#include "gloss-history-item-private.h"

#include "gloss-fold.h"
#include "gloss-store-private.h"

struct _GlossHistoryItem
{
  GObject    parent_instance;

  char      *bundle_key;
  char      *entry_id;
  char      *term;
  char      *bundle_title;
  GDateTime *viewed;

  /* Folded term and title, made on the first search. */
  char      *folded;
};

enum {
  PROP_0,
  PROP_BUNDLE_KEY,
  PROP_ENTRY_ID,
  PROP_TERM,
  PROP_BUNDLE_TITLE,
  PROP_VIEWED,
  N_PROPS
};

G_DEFINE_FINAL_TYPE (GlossHistoryItem, gloss_history_item, G_TYPE_OBJECT)

static GParamSpec *properties[N_PROPS];

static void
gloss_history_item_finalize (GObject *object)
{
  GlossHistoryItem *self = (GlossHistoryItem *)object;

  g_free (self->bundle_key);
  g_free (self->entry_id);
  g_free (self->term);
  g_free (self->bundle_title);
  g_free (self->folded);
  g_clear_pointer (&self->viewed, g_date_time_unref);

  G_OBJECT_CLASS (gloss_history_item_parent_class)->finalize (object);
}

static void
gloss_history_item_get_property (GObject    *object,
                                 guint       prop_id,
                                 GValue     *value,
                                 GParamSpec *pspec)
{
  GlossHistoryItem *self = GLOSS_HISTORY_ITEM (object);

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

    case PROP_VIEWED:
      g_value_set_boxed (value, self->viewed);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
gloss_history_item_class_init (GlossHistoryItemClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = gloss_history_item_finalize;
  object_class->get_property = gloss_history_item_get_property;

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

  properties[PROP_VIEWED] =
    g_param_spec_boxed ("viewed", NULL, NULL,
                        G_TYPE_DATE_TIME,
                        (G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY));

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
gloss_history_item_init (GlossHistoryItem *self)
{
}

/**
 * gloss_history_item_new:
 * @bundle_key: the bundle's id, or its path when it has none
 * @entry_id: the entry's id, any non-empty UTF-8
 * @term: (nullable): the term when viewed; the entry id when NULL
 * @bundle_title: (nullable): the bundle's title; the key when NULL
 * @viewed: (nullable): when; now when NULL
 */
GlossHistoryItem *
gloss_history_item_new (const char *bundle_key,
                        const char *entry_id,
                        const char *term,
                        const char *bundle_title,
                        GDateTime  *viewed)
{
  GlossHistoryItem *self;

  g_return_val_if_fail (bundle_key != NULL && *bundle_key != '\0', NULL);
  g_return_val_if_fail (entry_id != NULL && *entry_id != '\0', NULL);

  self = g_object_new (GLOSS_TYPE_HISTORY_ITEM, NULL);
  self->bundle_key = g_strdup (bundle_key);
  self->entry_id = g_strdup (entry_id);
  self->term = g_strdup (term != NULL && *term != '\0' ? term : entry_id);
  self->bundle_title = g_strdup (bundle_title != NULL && *bundle_title != '\0'
                                 ? bundle_title : bundle_key);
  self->viewed = viewed != NULL ? g_date_time_to_utc (viewed) : _gloss_store_now ();

  return self;
}

const char *
gloss_history_item_get_bundle_key (GlossHistoryItem *self)
{
  g_return_val_if_fail (GLOSS_IS_HISTORY_ITEM (self), NULL);

  return self->bundle_key;
}

const char *
gloss_history_item_get_entry_id (GlossHistoryItem *self)
{
  g_return_val_if_fail (GLOSS_IS_HISTORY_ITEM (self), NULL);

  return self->entry_id;
}

const char *
gloss_history_item_get_term (GlossHistoryItem *self)
{
  g_return_val_if_fail (GLOSS_IS_HISTORY_ITEM (self), NULL);

  return self->term;
}

const char *
gloss_history_item_get_bundle_title (GlossHistoryItem *self)
{
  g_return_val_if_fail (GLOSS_IS_HISTORY_ITEM (self), NULL);

  return self->bundle_title;
}

/* Returns: (transfer none): when it was viewed, in UTC */
GDateTime *
gloss_history_item_get_viewed (GlossHistoryItem *self)
{
  g_return_val_if_fail (GLOSS_IS_HISTORY_ITEM (self), NULL);

  return self->viewed;
}

gboolean
_gloss_history_item_matches_words (GlossHistoryItem *self,
                                   char * const     *words)
{
  if (words == NULL)
    return TRUE;

  if (self->folded == NULL)
    {
      g_autofree char *text = g_strjoin ("\n", self->term, self->bundle_title, NULL);

      self->folded = gloss_fold (text, -1);
    }

  return _gloss_store_words_match (self->folded, words);
}

/* Whether every word of @query is in the folded term or bundle title. */
gboolean
gloss_history_item_matches (GlossHistoryItem *self,
                            const char       *query)
{
  g_auto(GStrv) words = NULL;

  g_return_val_if_fail (GLOSS_IS_HISTORY_ITEM (self), FALSE);

  words = _gloss_store_query_words (query);

  return _gloss_history_item_matches_words (self, words);
}

gboolean
gloss_history_item_equal (GlossHistoryItem *a,
                          GlossHistoryItem *b)
{
  g_return_val_if_fail (GLOSS_IS_HISTORY_ITEM (a), FALSE);
  g_return_val_if_fail (GLOSS_IS_HISTORY_ITEM (b), FALSE);

  return g_str_equal (a->bundle_key, b->bundle_key) &&
         g_str_equal (a->entry_id, b->entry_id) &&
         g_str_equal (a->term, b->term) &&
         g_str_equal (a->bundle_title, b->bundle_title) &&
         g_date_time_equal (a->viewed, b->viewed);
}
