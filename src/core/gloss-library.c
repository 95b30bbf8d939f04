/* gloss-library.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "gloss-library"

#include "config.h"

#include "gloss-library.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "gloss-bundle.h"
#include "gloss-library-item-private.h"
#include "gloss-store-private.h"
#include "gloss-store-model-private.h"

struct _GlossLibrary
{
  GlossStoreModel parent_instance;

};

G_DEFINE_FINAL_TYPE (GlossLibrary, gloss_library, GLOSS_TYPE_STORE_MODEL)

/* The items: GlossLibraryItem, most recently opened first */
static inline GPtrArray *
get_items (GlossLibrary *self)
{
  return _gloss_store_model_get_items (GLOSS_STORE_MODEL (self));
}

/* ---- Internals ---------------------------------------------------------- */

static int
compare_newest_first (gconstpointer a,
                      gconstpointer b)
{
  GlossLibraryItem *ia = *(GlossLibraryItem * const *)a;
  GlossLibraryItem *ib = *(GlossLibraryItem * const *)b;

  return g_date_time_compare (gloss_library_item_get_last_opened (ib),
                              gloss_library_item_get_last_opened (ia));
}

static gboolean
find_key (GlossLibrary *self,
          const char   *key,
          guint        *position)
{
  for (guint i = 0; i < get_items (self)->len; i++)
    if (g_str_equal (gloss_library_item_get_key (g_ptr_array_index (get_items (self), i)), key))
      {
        *position = i;
        return TRUE;
      }

  return FALSE;
}

static gboolean
is_location (const char *path)
{
  return g_path_is_absolute (path) || g_uri_peek_scheme (path) != NULL;
}

static gboolean
load_func (JsonObject  *root,
           gpointer     user_data,
           GError     **error)
{
  GlossLibrary *self = user_data;
  g_autoptr(JsonArray) array = NULL;
  g_autoptr(GPtrArray) items = NULL;
  g_autoptr(GHashTable) seen = NULL;
  guint n;

  array = _gloss_json_get_array (root, "bundles", GLOSS_LIBRARY_MAX, error);
  if (array == NULL)
    return FALSE;

  n = json_array_get_length (array);
  items = g_ptr_array_new_full (n, g_object_unref);
  seen = g_hash_table_new (g_str_hash, g_str_equal);

  for (guint i = 0; i < n; i++)
    {
      g_autofree char *pointer = g_strdup_printf ("/bundles/%u", i);
      g_autoptr(GDateTime) last_opened = NULL;
      const char *key, *path, *title;
      gint64 n_entries = 0;
      JsonObject *object;

      if (!(object = _gloss_json_array_object (array, i, pointer, error)) ||
          !_gloss_json_get_string (object, pointer, "key", TRUE, GLOSS_STORE_MAX_KEY,
                                   &key, error) ||
          !_gloss_json_get_string (object, pointer, "path", TRUE, GLOSS_STORE_MAX_KEY,
                                   &path, error) ||
          !_gloss_json_get_string (object, pointer, "title", FALSE, GLOSS_STORE_MAX_TEXT,
                                   &title, error) ||
          (json_object_has_member (object, "entries") &&
           !_gloss_json_get_int (object, pointer, "entries", 0, GLOSS_BUNDLE_MAX_ENTRIES,
                                 &n_entries, error)) ||
          !_gloss_json_get_time (object, pointer, "last_opened", &last_opened, error))
        return FALSE;

      if (!is_location (path))
        {
          g_set_error (error, GLOSS_STORE_ERROR, GLOSS_STORE_ERROR_INVALID,
                       _("%s/path: not an absolute path or a URI"), pointer);
          return FALSE;
        }

      if (!g_hash_table_add (seen, (gpointer)key))
        continue;

      g_ptr_array_add (items, gloss_library_item_new (key, path, title, n_entries, last_opened));
    }

  g_ptr_array_sort (items, compare_newest_first);
  g_ptr_array_extend_and_steal (get_items (self), g_steal_pointer (&items));

  return TRUE;
}

static void
save_func (JsonBuilder *builder,
           gpointer     user_data)
{
  GlossLibrary *self = user_data;

  json_builder_set_member_name (builder, "bundles");
  json_builder_begin_array (builder);

  for (guint i = 0; i < get_items (self)->len; i++)
    {
      GlossLibraryItem *item = g_ptr_array_index (get_items (self), i);

      json_builder_begin_object (builder);
      _gloss_json_add_string (builder, "key", gloss_library_item_get_key (item));
      _gloss_json_add_string (builder, "path", gloss_library_item_get_path (item));
      _gloss_json_add_string (builder, "title", gloss_library_item_get_title (item));
      json_builder_set_member_name (builder, "entries");
      json_builder_add_int_value (builder, gloss_library_item_get_n_entries (item));
      _gloss_json_add_time (builder, "last_opened", gloss_library_item_get_last_opened (item));
      json_builder_end_object (builder);
    }

  json_builder_end_array (builder);
}

/* ---- GObject ------------------------------------------------------------ */

static void
gloss_library_class_init (GlossLibraryClass *klass)
{
  GLOSS_STORE_MODEL_CLASS (klass)->item_type = GLOSS_TYPE_LIBRARY_ITEM;
}

static void
gloss_library_init (GlossLibrary *self)
{
}

/**
 * gloss_library_new:
 * @path: the JSON file, such as gloss_store_default_path ("library")
 *
 * Loads the library and looks at each bundle's file once. Never fails:
 * look at the store's load error and flags for what to tell the user.
 */
GlossLibrary *
gloss_library_new (const char *path)
{
  GlossLibrary *self;

  g_return_val_if_fail (path != NULL, NULL);

  self = g_object_new (GLOSS_TYPE_LIBRARY, NULL);
  _gloss_store_model_open (GLOSS_STORE_MODEL (self), path, GLOSS_LIBRARY_FORMAT,
                           GLOSS_LIBRARY_VERSION, load_func, save_func);

  return self;
}

/* Returns: (transfer none): the store, for its flags and signals */
GlossStore *
gloss_library_get_store (GlossLibrary *self)
{
  g_return_val_if_fail (GLOSS_IS_LIBRARY (self), NULL);

  return gloss_store_model_get_store (GLOSS_STORE_MODEL (self));
}

gboolean
gloss_library_get_read_only (GlossLibrary *self)
{
  g_return_val_if_fail (GLOSS_IS_LIBRARY (self), TRUE);

  return gloss_store_model_get_read_only (GLOSS_STORE_MODEL (self));
}

/**
 * gloss_library_touch:
 * @self: the library
 * @key: the bundle's id, or its path when it has none
 * @path: where it was opened from: an absolute path, or a URI
 * @title: (nullable): its title; the file name when NULL
 * @n_entries: how many entries it has
 * @error: GLOSS_STORE_ERROR_READ_ONLY, or _INVALID for unusable strings
 *
 * Records that a bundle was opened now: it becomes the first item, with
 * the new path, title and count.
 */
gboolean
gloss_library_touch (GlossLibrary  *self,
                     const char    *key,
                     const char    *path,
                     const char    *title,
                     guint          n_entries,
                     GError       **error)
{
  GlossLibraryItem *item;
  guint position;

  g_return_val_if_fail (GLOSS_IS_LIBRARY (self), FALSE);
  g_return_val_if_fail (key != NULL, FALSE);
  g_return_val_if_fail (path != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!gloss_store_check_writable (gloss_library_get_store (self), error))
    return FALSE;

  if (*key == '\0' || strlen (key) > GLOSS_STORE_MAX_KEY || !g_utf8_validate (key, -1, NULL) ||
      strlen (path) > GLOSS_STORE_MAX_KEY || !g_utf8_validate (path, -1, NULL) ||
      !is_location (path) ||
      (title != NULL &&
       (strlen (title) > GLOSS_STORE_MAX_TEXT || !g_utf8_validate (title, -1, NULL))))
    {
      g_set_error (error, GLOSS_STORE_ERROR, GLOSS_STORE_ERROR_INVALID,
                   _("This bundle cannot be remembered: its key, path or title is unusable"));
      return FALSE;
    }

  if (find_key (self, key, &position))
    {
      g_ptr_array_remove_index (get_items (self), position);
      _gloss_store_model_items_changed (GLOSS_STORE_MODEL (self), position, 1, 0);
    }
  else if (get_items (self)->len >= GLOSS_LIBRARY_MAX)
    {
      /* Never forget a bundle behind the user's back. */
      g_set_error (error, GLOSS_STORE_ERROR, GLOSS_STORE_ERROR_INVALID,
                   g_dngettext (GETTEXT_PACKAGE,
                                "The library already holds %d bundle; remove some to add more",
                                "The library already holds %d bundles; remove some to add more",
                                GLOSS_LIBRARY_MAX),
                   GLOSS_LIBRARY_MAX);
      return FALSE;
    }

  item = gloss_library_item_new (key, path, title, n_entries, NULL);
  g_ptr_array_insert (get_items (self), 0, item);
  _gloss_store_model_items_changed (GLOSS_STORE_MODEL (self), 0, 0, 1);
  gloss_store_changed (gloss_library_get_store (self));

  return TRUE;
}

/* Forgets a bundle, when the user asks; its file is left alone. Not known
 * is no change and no error. */
gboolean
gloss_library_remove (GlossLibrary  *self,
                      const char    *key,
                      GError       **error)
{
  guint position;

  g_return_val_if_fail (GLOSS_IS_LIBRARY (self), FALSE);
  g_return_val_if_fail (key != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!gloss_store_check_writable (gloss_library_get_store (self), error))
    return FALSE;

  if (!find_key (self, key, &position))
    return TRUE;

  g_ptr_array_remove_index (get_items (self), position);
  _gloss_store_model_items_changed (GLOSS_STORE_MODEL (self), position, 1, 0);
  gloss_store_changed (gloss_library_get_store (self));

  return TRUE;
}

/* Returns: (transfer none) (nullable): the bundle with that key */
GlossLibraryItem *
gloss_library_lookup (GlossLibrary *self,
                      const char   *key)
{
  guint position;

  g_return_val_if_fail (GLOSS_IS_LIBRARY (self), NULL);
  g_return_val_if_fail (key != NULL, NULL);

  if (!find_key (self, key, &position))
    return NULL;

  return g_ptr_array_index (get_items (self), position);
}

/* The bundle to reopen on start: the most recently opened one, missing or
 * not (the caller shows a missing one as such).
 * Returns: (transfer none) (nullable): the first item */
GlossLibraryItem *
gloss_library_get_last (GlossLibrary *self)
{
  g_return_val_if_fail (GLOSS_IS_LIBRARY (self), NULL);

  if (get_items (self)->len == 0)
    return NULL;

  return g_ptr_array_index (get_items (self), 0);
}

/* Looks at every bundle's file again, such as when the switcher opens;
 * items whose #GlossLibraryItem:missing changed notify it. */
void
gloss_library_check_missing (GlossLibrary *self)
{
  g_return_if_fail (GLOSS_IS_LIBRARY (self));

  for (guint i = 0; i < get_items (self)->len; i++)
    _gloss_library_item_check_missing (g_ptr_array_index (get_items (self), i));
}
