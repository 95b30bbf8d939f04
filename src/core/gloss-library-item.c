/* gloss-library-item.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "gloss-library-item"

#include "config.h"

#include "gloss-library-item.h"
#include "gloss-library-item-private.h"

#include <gio/gio.h>

#include "gloss-store-private.h"

struct _GlossLibraryItem
{
  GObject    parent_instance;

  char      *key;
  char      *path;
  GFile     *file;
  char      *title;
  guint      n_entries;
  GDateTime *last_opened;
  gboolean   missing;
};

enum {
  PROP_0,
  PROP_KEY,
  PROP_PATH,
  PROP_FILE,
  PROP_TITLE,
  PROP_N_ENTRIES,
  PROP_LAST_OPENED,
  PROP_MISSING,
  N_PROPS
};

G_DEFINE_FINAL_TYPE (GlossLibraryItem, gloss_library_item, G_TYPE_OBJECT)

static GParamSpec *properties[N_PROPS];

static void
gloss_library_item_finalize (GObject *object)
{
  GlossLibraryItem *self = (GlossLibraryItem *)object;

  g_free (self->key);
  g_free (self->path);
  g_clear_object (&self->file);
  g_free (self->title);
  g_clear_pointer (&self->last_opened, g_date_time_unref);

  G_OBJECT_CLASS (gloss_library_item_parent_class)->finalize (object);
}

static void
gloss_library_item_get_property (GObject    *object,
                                 guint       prop_id,
                                 GValue     *value,
                                 GParamSpec *pspec)
{
  GlossLibraryItem *self = GLOSS_LIBRARY_ITEM (object);

  switch (prop_id)
    {
    case PROP_KEY:
      g_value_set_string (value, self->key);
      break;

    case PROP_PATH:
      g_value_set_string (value, self->path);
      break;

    case PROP_FILE:
      g_value_set_object (value, self->file);
      break;

    case PROP_TITLE:
      g_value_set_string (value, self->title);
      break;

    case PROP_N_ENTRIES:
      g_value_set_uint (value, self->n_entries);
      break;

    case PROP_LAST_OPENED:
      g_value_set_boxed (value, self->last_opened);
      break;

    case PROP_MISSING:
      g_value_set_boolean (value, self->missing);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
gloss_library_item_class_init (GlossLibraryItemClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = gloss_library_item_finalize;
  object_class->get_property = gloss_library_item_get_property;

  properties[PROP_KEY] =
    g_param_spec_string ("key", NULL, NULL,
                         NULL,
                         (G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY));

  properties[PROP_PATH] =
    g_param_spec_string ("path", NULL, NULL,
                         NULL,
                         (G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY));

  properties[PROP_FILE] =
    g_param_spec_object ("file", NULL, NULL,
                         G_TYPE_FILE,
                         (G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY));

  properties[PROP_TITLE] =
    g_param_spec_string ("title", NULL, NULL,
                         NULL,
                         (G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY));

  properties[PROP_N_ENTRIES] =
    g_param_spec_uint ("n-entries", NULL, NULL,
                       0, G_MAXUINT, 0,
                       (G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY));

  properties[PROP_LAST_OPENED] =
    g_param_spec_boxed ("last-opened", NULL, NULL,
                        G_TYPE_DATE_TIME,
                        (G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY));

  /* The file is no longer where it was: moved, deleted, or on a drive that
   * is not mounted. The row stays until the user removes it. */
  properties[PROP_MISSING] =
    g_param_spec_boolean ("missing", NULL, NULL,
                          FALSE,
                          (G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY));

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
gloss_library_item_init (GlossLibraryItem *self)
{
}

static gboolean
file_is_missing (GFile *file)
{
  return g_file_query_file_type (file, G_FILE_QUERY_INFO_NONE, NULL) == G_FILE_TYPE_UNKNOWN;
}

/**
 * gloss_library_item_new:
 * @key: the bundle's id, or its path when it has none
 * @path: an absolute path, or a URI (such as resource:///… for a bundle
 *   built into the app)
 * @title: (nullable): the bundle's title; the file's name when NULL
 * @n_entries: how many entries it had when last opened
 * @last_opened: (nullable): when; now when NULL
 *
 * Looks at the file once, for #GlossLibraryItem:missing.
 */
GlossLibraryItem *
gloss_library_item_new (const char *key,
                        const char *path,
                        const char *title,
                        guint       n_entries,
                        GDateTime  *last_opened)
{
  GlossLibraryItem *self;

  g_return_val_if_fail (key != NULL && *key != '\0', NULL);
  g_return_val_if_fail (path != NULL && *path != '\0', NULL);

  self = g_object_new (GLOSS_TYPE_LIBRARY_ITEM, NULL);
  self->key = g_strdup (key);
  self->path = g_strdup (path);
  self->file = g_path_is_absolute (path) ? g_file_new_for_path (path) : g_file_new_for_uri (path);
  if (title != NULL && *title != '\0')
    self->title = g_strdup (title);
  else
    {
      g_autofree char *basename = g_file_get_basename (self->file);

      self->title = g_strdup (basename != NULL ? basename : path);
    }
  self->n_entries = n_entries;
  self->last_opened = last_opened != NULL ? g_date_time_to_utc (last_opened) : _gloss_store_now ();
  self->missing = file_is_missing (self->file);

  return self;
}

void
_gloss_library_item_check_missing (GlossLibraryItem *self)
{
  gboolean missing = file_is_missing (self->file);

  if (missing == self->missing)
    return;

  self->missing = missing;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MISSING]);
}

const char *
gloss_library_item_get_key (GlossLibraryItem *self)
{
  g_return_val_if_fail (GLOSS_IS_LIBRARY_ITEM (self), NULL);

  return self->key;
}

/* Returns: the path or URI as given to gloss_library_touch() */
const char *
gloss_library_item_get_path (GlossLibraryItem *self)
{
  g_return_val_if_fail (GLOSS_IS_LIBRARY_ITEM (self), NULL);

  return self->path;
}

/* Returns: (transfer none): the file to open */
GFile *
gloss_library_item_get_file (GlossLibraryItem *self)
{
  g_return_val_if_fail (GLOSS_IS_LIBRARY_ITEM (self), NULL);

  return self->file;
}

const char *
gloss_library_item_get_title (GlossLibraryItem *self)
{
  g_return_val_if_fail (GLOSS_IS_LIBRARY_ITEM (self), NULL);

  return self->title;
}

guint
gloss_library_item_get_n_entries (GlossLibraryItem *self)
{
  g_return_val_if_fail (GLOSS_IS_LIBRARY_ITEM (self), 0);

  return self->n_entries;
}

/* Returns: (transfer none): in UTC */
GDateTime *
gloss_library_item_get_last_opened (GlossLibraryItem *self)
{
  g_return_val_if_fail (GLOSS_IS_LIBRARY_ITEM (self), NULL);

  return self->last_opened;
}

gboolean
gloss_library_item_get_missing (GlossLibraryItem *self)
{
  g_return_val_if_fail (GLOSS_IS_LIBRARY_ITEM (self), FALSE);

  return self->missing;
}

/* Same key, path, title, count and time; "missing" is not compared. */
gboolean
gloss_library_item_equal (GlossLibraryItem *a,
                          GlossLibraryItem *b)
{
  g_return_val_if_fail (GLOSS_IS_LIBRARY_ITEM (a), FALSE);
  g_return_val_if_fail (GLOSS_IS_LIBRARY_ITEM (b), FALSE);

  return g_str_equal (a->key, b->key) &&
         g_str_equal (a->path, b->path) &&
         g_str_equal (a->title, b->title) &&
         a->n_entries == b->n_entries &&
         g_date_time_equal (a->last_opened, b->last_opened);
}
