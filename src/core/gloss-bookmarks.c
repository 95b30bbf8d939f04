/* gloss-bookmarks.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "gloss-bookmarks"

#include "config.h"

#include "gloss-bookmarks.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "gloss-bookmark-private.h"
#include "gloss-store-private.h"
#include "gloss-store-model-private.h"

struct _GlossBookmarks
{
  GlossStoreModel parent_instance;

  GHashTable *index;   /* _gloss_store_pair_key() → GlossBookmark (borrowed) */
};

G_DEFINE_FINAL_TYPE (GlossBookmarks, gloss_bookmarks, GLOSS_TYPE_STORE_MODEL)

/* The items: GlossBookmark, newest first */
static inline GPtrArray *
get_items (GlossBookmarks *self)
{
  return _gloss_store_model_get_items (GLOSS_STORE_MODEL (self));
}

/* ---- Internals ---------------------------------------------------------- */

static int
compare_newest_first (gconstpointer a,
                      gconstpointer b)
{
  GlossBookmark *ba = *(GlossBookmark * const *)a;
  GlossBookmark *bb = *(GlossBookmark * const *)b;

  return g_date_time_compare (gloss_bookmark_get_created (bb),
                              gloss_bookmark_get_created (ba));
}

static char *
key_of (GlossBookmark *bookmark)
{
  return _gloss_store_pair_key (gloss_bookmark_get_bundle_key (bookmark),
                                gloss_bookmark_get_entry_id (bookmark));
}

static void
rebuild_index (GlossBookmarks *self)
{
  g_hash_table_remove_all (self->index);

  for (guint i = 0; i < get_items (self)->len; i++)
    {
      GlossBookmark *bookmark = g_ptr_array_index (get_items (self), i);

      g_hash_table_insert (self->index, key_of (bookmark), bookmark);
    }
}

static gboolean
find_position (GlossBookmarks *self,
               GlossBookmark  *bookmark,
               guint          *position)
{
  return g_ptr_array_find (get_items (self), bookmark, position);
}

/* The same checks as loading does, for values handed in by the app. */
static gboolean
check_text (const char  *value,
            gboolean     required,
            gsize        max_bytes,
            const char  *what,
            GError     **error)
{
  if (value == NULL || *value == '\0')
    {
      if (!required)
        return TRUE;

      /* Translators: %s is one of “bundle key”, “entry id”, “term”,
       * “bundle title” or “note”, translated below */
      g_set_error (error, GLOSS_STORE_ERROR, GLOSS_STORE_ERROR_INVALID,
                   _("The %s is empty"), _(what));
      return FALSE;
    }

  if (strlen (value) > max_bytes || !g_utf8_validate (value, -1, NULL))
    {
      /* Translators: %s is one of “bundle key”, “entry id”, “term”,
       * “bundle title” or “note” */
      g_set_error (error, GLOSS_STORE_ERROR, GLOSS_STORE_ERROR_INVALID,
                   _("The %s is too long or not valid UTF-8"), _(what));
      return FALSE;
    }

  return TRUE;
}

static gboolean
check_pair (const char  *bundle_key,
            const char  *entry_id,
            GError     **error)
{
  /* Translators: these go into “The %s is empty” and “The %s is too long…” */
  return check_text (bundle_key, TRUE, GLOSS_STORE_MAX_KEY, N_("bundle key"), error) &&
         /* Translators: the id of a glossary entry */
         check_text (entry_id, TRUE, GLOSS_STORE_MAX_KEY, N_("entry id"), error);
}

/* Reads and checks every bookmark of @root before anything is changed.
 * Returns: (transfer full): GlossBookmark, in file order, no duplicates */
static GPtrArray *
parse_bookmarks (JsonObject  *root,
                 GError     **error)
{
  g_autoptr(JsonArray) array = NULL;
  g_autoptr(GPtrArray) items = NULL;
  g_autoptr(GHashTable) seen = NULL;
  guint n;

  array = _gloss_json_get_array (root, "bookmarks", GLOSS_BOOKMARKS_MAX, error);
  if (array == NULL)
    return NULL;

  n = json_array_get_length (array);
  items = g_ptr_array_new_full (n, g_object_unref);
  seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  for (guint i = 0; i < n; i++)
    {
      g_autofree char *pointer = g_strdup_printf ("/bookmarks/%u", i);
      g_autoptr(GDateTime) created = NULL;
      const char *bundle, *entry, *term, *title, *note;
      JsonObject *object;
      char *key;

      if (!(object = _gloss_json_array_object (array, i, pointer, error)) ||
          !_gloss_json_get_string (object, pointer, "bundle", TRUE, GLOSS_STORE_MAX_KEY,
                                   &bundle, error) ||
          !_gloss_json_get_string (object, pointer, "entry", TRUE, GLOSS_STORE_MAX_KEY,
                                   &entry, error) ||
          !_gloss_json_get_string (object, pointer, "term", FALSE, GLOSS_STORE_MAX_TEXT,
                                   &term, error) ||
          !_gloss_json_get_string (object, pointer, "bundle_title", FALSE,
                                   GLOSS_STORE_MAX_TEXT, &title, error) ||
          !_gloss_json_get_string (object, pointer, "note", FALSE, GLOSS_STORE_MAX_NOTE,
                                   &note, error) ||
          !_gloss_json_get_time (object, pointer, "created", &created, error))
        return NULL;

      key = _gloss_store_pair_key (bundle, entry);
      if (!g_hash_table_add (seen, key))
        continue;

      g_ptr_array_add (items, gloss_bookmark_new (bundle, entry, term, title, note, created));
    }

  return g_steal_pointer (&items);
}

static gboolean
load_func (JsonObject  *root,
           gpointer     user_data,
           GError     **error)
{
  GlossBookmarks *self = user_data;
  g_autoptr(GPtrArray) items = NULL;

  items = parse_bookmarks (root, error);
  if (items == NULL)
    return FALSE;

  g_ptr_array_sort (items, compare_newest_first);
  g_ptr_array_extend_and_steal (get_items (self), g_steal_pointer (&items));
  rebuild_index (self);

  return TRUE;
}

static void
save_func (JsonBuilder *builder,
           gpointer     user_data)
{
  GlossBookmarks *self = user_data;

  json_builder_set_member_name (builder, "bookmarks");
  json_builder_begin_array (builder);

  for (guint i = 0; i < get_items (self)->len; i++)
    {
      GlossBookmark *bookmark = g_ptr_array_index (get_items (self), i);

      json_builder_begin_object (builder);
      _gloss_json_add_string (builder, "bundle", gloss_bookmark_get_bundle_key (bookmark));
      _gloss_json_add_string (builder, "entry", gloss_bookmark_get_entry_id (bookmark));
      _gloss_json_add_string (builder, "term", gloss_bookmark_get_term (bookmark));
      _gloss_json_add_string (builder, "bundle_title", gloss_bookmark_get_bundle_title (bookmark));
      if (gloss_bookmark_has_note (bookmark))
        _gloss_json_add_string (builder, "note", gloss_bookmark_get_note (bookmark));
      _gloss_json_add_time (builder, "created", gloss_bookmark_get_created (bookmark));
      json_builder_end_object (builder);
    }

  json_builder_end_array (builder);
}

/* ---- GObject ------------------------------------------------------------ */

static void
gloss_bookmarks_finalize (GObject *object)
{
  GlossBookmarks *self = (GlossBookmarks *)object;

  g_clear_pointer (&self->index, g_hash_table_unref);

  G_OBJECT_CLASS (gloss_bookmarks_parent_class)->finalize (object);
}

static void
gloss_bookmarks_class_init (GlossBookmarksClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GlossStoreModelClass *model_class = GLOSS_STORE_MODEL_CLASS (klass);

  model_class->item_type = GLOSS_TYPE_BOOKMARK;

  object_class->finalize = gloss_bookmarks_finalize;
}

static void
gloss_bookmarks_init (GlossBookmarks *self)
{
  self->index = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
}

/**
 * gloss_bookmarks_new:
 * @path: the JSON file, such as gloss_store_default_path ("bookmarks")
 *
 * Loads the bookmarks. Never fails: look at the store's load error and
 * flags for what to tell the user (gloss-store.h).
 */
GlossBookmarks *
gloss_bookmarks_new (const char *path)
{
  GlossBookmarks *self;

  g_return_val_if_fail (path != NULL, NULL);

  self = g_object_new (GLOSS_TYPE_BOOKMARKS, NULL);
  _gloss_store_model_open (GLOSS_STORE_MODEL (self), path, GLOSS_BOOKMARKS_FORMAT,
                           GLOSS_BOOKMARKS_VERSION, load_func, save_func);

  return self;
}

/* Returns: (transfer none): the store, for its flags and signals */
GlossStore *
gloss_bookmarks_get_store (GlossBookmarks *self)
{
  g_return_val_if_fail (GLOSS_IS_BOOKMARKS (self), NULL);

  return gloss_store_model_get_store (GLOSS_STORE_MODEL (self));
}

gboolean
gloss_bookmarks_get_read_only (GlossBookmarks *self)
{
  g_return_val_if_fail (GLOSS_IS_BOOKMARKS (self), TRUE);

  return gloss_store_model_get_read_only (GLOSS_STORE_MODEL (self));
}

/* Returns: (transfer none) (nullable): the bookmark of that entry */
GlossBookmark *
gloss_bookmarks_lookup (GlossBookmarks *self,
                        const char     *bundle_key,
                        const char     *entry_id)
{
  g_autofree char *key = NULL;

  g_return_val_if_fail (GLOSS_IS_BOOKMARKS (self), NULL);
  g_return_val_if_fail (bundle_key != NULL, NULL);
  g_return_val_if_fail (entry_id != NULL, NULL);

  key = _gloss_store_pair_key (bundle_key, entry_id);
  return g_hash_table_lookup (self->index, key);
}

gboolean
gloss_bookmarks_has (GlossBookmarks *self,
                     const char     *bundle_key,
                     const char     *entry_id)
{
  return gloss_bookmarks_lookup (self, bundle_key, entry_id) != NULL;
}

/**
 * gloss_bookmarks_add:
 * @self: the bookmarks
 * @bundle_key: the bundle's id, or its path when it has none
 * @entry_id: the entry's id
 * @term: (nullable): the entry's term, kept as a snapshot
 * @bundle_title: (nullable): the bundle's title, kept as a snapshot
 * @error: GLOSS_STORE_ERROR_READ_ONLY, or _INVALID for unusable strings
 *
 * Stars an entry; already starred is no change and no error.
 */
gboolean
gloss_bookmarks_add (GlossBookmarks  *self,
                     const char      *bundle_key,
                     const char      *entry_id,
                     const char      *term,
                     const char      *bundle_title,
                     GError         **error)
{
  GlossBookmark *bookmark;

  g_return_val_if_fail (GLOSS_IS_BOOKMARKS (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!gloss_store_check_writable (gloss_bookmarks_get_store (self), error) ||
      !check_pair (bundle_key, entry_id, error) ||
      !check_text (term, FALSE, GLOSS_STORE_MAX_TEXT, N_("term"), error) ||
      !check_text (bundle_title, FALSE, GLOSS_STORE_MAX_TEXT, N_("bundle title"), error))
    return FALSE;

  if (gloss_bookmarks_has (self, bundle_key, entry_id))
    return TRUE;

  if (get_items (self)->len >= GLOSS_BOOKMARKS_MAX)
    {
      g_set_error (error, GLOSS_STORE_ERROR, GLOSS_STORE_ERROR_INVALID,
                   g_dngettext (GETTEXT_PACKAGE, "There is already %d bookmark",
                                "There are already %d bookmarks", GLOSS_BOOKMARKS_MAX),
                   GLOSS_BOOKMARKS_MAX);
      return FALSE;
    }

  bookmark = gloss_bookmark_new (bundle_key, entry_id, term, bundle_title, NULL, NULL);
  g_ptr_array_insert (get_items (self), 0, bookmark);
  g_hash_table_insert (self->index, key_of (bookmark), bookmark);
  _gloss_store_model_items_changed (GLOSS_STORE_MODEL (self), 0, 0, 1);
  gloss_store_changed (gloss_bookmarks_get_store (self));

  return TRUE;
}

/* Unstars an entry; not starred is no change and no error. */
gboolean
gloss_bookmarks_remove (GlossBookmarks  *self,
                        const char      *bundle_key,
                        const char      *entry_id,
                        GError         **error)
{
  g_autofree char *key = NULL;
  GlossBookmark *bookmark;
  guint position;

  g_return_val_if_fail (GLOSS_IS_BOOKMARKS (self), FALSE);
  g_return_val_if_fail (bundle_key != NULL, FALSE);
  g_return_val_if_fail (entry_id != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!gloss_store_check_writable (gloss_bookmarks_get_store (self), error))
    return FALSE;

  key = _gloss_store_pair_key (bundle_key, entry_id);
  bookmark = g_hash_table_lookup (self->index, key);
  if (bookmark == NULL)
    return TRUE;

  if (!find_position (self, bookmark, &position))
    g_assert_not_reached ();

  g_hash_table_remove (self->index, key);
  g_ptr_array_remove_index (get_items (self), position);
  _gloss_store_model_items_changed (GLOSS_STORE_MODEL (self), position, 1, 0);
  gloss_store_changed (gloss_bookmarks_get_store (self));

  return TRUE;
}

/**
 * gloss_bookmarks_toggle:
 * @bookmarked: (out) (optional): whether the entry is starred afterwards
 *
 * Stars an entry that is not starred, and unstars one that is.
 */
gboolean
gloss_bookmarks_toggle (GlossBookmarks  *self,
                        const char      *bundle_key,
                        const char      *entry_id,
                        const char      *term,
                        const char      *bundle_title,
                        gboolean        *bookmarked,
                        GError         **error)
{
  gboolean was;

  g_return_val_if_fail (GLOSS_IS_BOOKMARKS (self), FALSE);
  g_return_val_if_fail (bundle_key != NULL, FALSE);
  g_return_val_if_fail (entry_id != NULL, FALSE);

  was = gloss_bookmarks_has (self, bundle_key, entry_id);

  if (was ? !gloss_bookmarks_remove (self, bundle_key, entry_id, error)
          : !gloss_bookmarks_add (self, bundle_key, entry_id, term, bundle_title, error))
    {
      if (bookmarked != NULL)
        *bookmarked = was;
      return FALSE;
    }

  if (bookmarked != NULL)
    *bookmarked = !was;

  return TRUE;
}

/**
 * gloss_bookmarks_set_note:
 * @note: (nullable): the note; NULL or "" removes it
 * @error: GLOSS_STORE_ERROR_NOT_FOUND when the entry is not starred
 *
 * The bookmark is replaced by one with the new note, at the same position.
 */
gboolean
gloss_bookmarks_set_note (GlossBookmarks  *self,
                          const char      *bundle_key,
                          const char      *entry_id,
                          const char      *note,
                          GError         **error)
{
  GlossBookmark *old;
  GlossBookmark *bookmark;
  guint position;

  g_return_val_if_fail (GLOSS_IS_BOOKMARKS (self), FALSE);
  g_return_val_if_fail (bundle_key != NULL, FALSE);
  g_return_val_if_fail (entry_id != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!gloss_store_check_writable (gloss_bookmarks_get_store (self), error) ||
      !check_text (note, FALSE, GLOSS_STORE_MAX_NOTE, N_("note"), error))
    return FALSE;

  old = gloss_bookmarks_lookup (self, bundle_key, entry_id);
  if (old == NULL)
    {
      g_set_error (error, GLOSS_STORE_ERROR, GLOSS_STORE_ERROR_NOT_FOUND,
                   _("This entry is not bookmarked"));
      return FALSE;
    }

  if (g_strcmp0 (gloss_bookmark_get_note (old), note != NULL ? note : "") == 0)
    return TRUE;

  if (!find_position (self, old, &position))
    g_assert_not_reached ();

  bookmark = gloss_bookmark_copy_with_note (old, note);
  g_hash_table_insert (self->index, key_of (bookmark), bookmark);
  g_ptr_array_index (get_items (self), position) = bookmark;
  g_object_unref (old);
  _gloss_store_model_items_changed (GLOSS_STORE_MODEL (self), position, 1, 1);
  gloss_store_changed (gloss_bookmarks_get_store (self));

  return TRUE;
}

gboolean
gloss_bookmarks_clear (GlossBookmarks  *self,
                       GError         **error)
{
  guint n;

  g_return_val_if_fail (GLOSS_IS_BOOKMARKS (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!gloss_store_check_writable (gloss_bookmarks_get_store (self), error))
    return FALSE;

  n = get_items (self)->len;
  if (n == 0)
    return TRUE;

  g_hash_table_remove_all (self->index);
  g_ptr_array_set_size (get_items (self), 0);
  _gloss_store_model_items_changed (GLOSS_STORE_MODEL (self), 0, n, 0);
  gloss_store_changed (gloss_bookmarks_get_store (self));

  return TRUE;
}

/**
 * gloss_bookmarks_search:
 * @query: (nullable): words to find in the term, note or bundle title;
 *   case and accents do not matter (gloss_fold())
 *
 * Returns: (transfer full): a GListStore of the matching GlossBookmark,
 *   newest first; a snapshot, to be made again when the bookmarks change
 */
GListModel *
gloss_bookmarks_search (GlossBookmarks *self,
                        const char     *query)
{
  g_auto(GStrv) words = NULL;
  GListStore *result;

  g_return_val_if_fail (GLOSS_IS_BOOKMARKS (self), NULL);

  words = _gloss_store_query_words (query);
  result = g_list_store_new (GLOSS_TYPE_BOOKMARK);

  for (guint i = 0; i < get_items (self)->len; i++)
    {
      GlossBookmark *bookmark = g_ptr_array_index (get_items (self), i);

      if (_gloss_bookmark_matches_words (bookmark, words))
        g_list_store_append (result, bookmark);
    }

  return G_LIST_MODEL (result);
}

/* Returns: (transfer full): the bookmarks in the file format */
GBytes *
gloss_bookmarks_export_json (GlossBookmarks *self)
{
  g_return_val_if_fail (GLOSS_IS_BOOKMARKS (self), NULL);

  return gloss_store_serialize (gloss_bookmarks_get_store (self));
}

/* Backslash-escapes what Markdown would read as markup: all of it inline,
 * and what starts a block at the start of a line. */
static void
append_markdown_text (GString    *out,
                      const char *text,
                      const char *indent)
{
  gboolean line_start = TRUE;

  for (const char *p = text; *p != '\0'; p++)
    {
      char c = *p;

      if (c == '\r')
        continue;

      if (c == '\n')
        {
          g_string_append_c (out, '\n');
          g_string_append (out, indent);
          line_start = TRUE;
          continue;
        }

      if (line_start && (c == ' ' || c == '\t'))
        {
          /* Four spaces would start a code block. */
          continue;
        }

      if (strchr ("\\`*_{}[]<>()#!|~&$", c) != NULL ||
          (line_start && strchr ("-+=:", c) != NULL))
        g_string_append_c (out, '\\');
      else if (line_start && g_ascii_isdigit (c))
        {
          /* "1." or "1)" would start an ordered list. */
          const char *q = p;

          while (g_ascii_isdigit (*q))
            q++;
          if (*q == '.' || *q == ')')
            {
              g_string_append_len (out, p, q - p);
              g_string_append_c (out, '\\');
              p = q;
              c = *q;
            }
        }

      g_string_append_c (out, c);
      line_start = FALSE;
    }
}

/**
 * gloss_bookmarks_export_markdown:
 *
 * A readable list: a "# Bookmarks" heading, then one "## Title" section per
 * bundle (bundles in order of their newest bookmark), then one item per
 * bookmark, "- **Term**", and its note on the following lines, indented.
 *
 * Returns: (transfer full): Markdown text
 */
char *
gloss_bookmarks_export_markdown (GlossBookmarks *self)
{
  g_autoptr(GPtrArray) bundles = NULL;
  g_autoptr(GHashTable) groups = NULL;
  GString *out;

  g_return_val_if_fail (GLOSS_IS_BOOKMARKS (self), NULL);

  bundles = g_ptr_array_new ();
  groups = g_hash_table_new_full (g_str_hash, g_str_equal, NULL,
                                  (GDestroyNotify)g_ptr_array_unref);

  for (guint i = 0; i < get_items (self)->len; i++)
    {
      GlossBookmark *bookmark = g_ptr_array_index (get_items (self), i);
      const char *key = gloss_bookmark_get_bundle_key (bookmark);
      GPtrArray *group = g_hash_table_lookup (groups, key);

      if (group == NULL)
        {
          group = g_ptr_array_new ();
          g_hash_table_insert (groups, (gpointer)key, group);
          g_ptr_array_add (bundles, (gpointer)key);
        }
      g_ptr_array_add (group, bookmark);
    }

  out = g_string_new ("# ");
  g_string_append (out, _("Bookmarks"));
  g_string_append (out, "\n");

  for (guint i = 0; i < bundles->len; i++)
    {
      GPtrArray *group = g_hash_table_lookup (groups, g_ptr_array_index (bundles, i));
      GlossBookmark *first = g_ptr_array_index (group, 0);
      g_autofree char *title = g_strdelimit (g_strdup (gloss_bookmark_get_bundle_title (first)),
                                             "\r\n", ' ');

      g_string_append (out, "\n## ");
      append_markdown_text (out, title, "");
      g_string_append (out, "\n\n");

      for (guint j = 0; j < group->len; j++)
        {
          GlossBookmark *bookmark = g_ptr_array_index (group, j);
          g_autofree char *term = g_strdelimit (g_strdup (gloss_bookmark_get_term (bookmark)),
                                                "\r\n", ' ');

          g_string_append (out, "- **");
          append_markdown_text (out, term, "");
          g_string_append (out, "**");

          if (gloss_bookmark_has_note (bookmark))
            {
              g_string_append (out, "\n  ");
              append_markdown_text (out, gloss_bookmark_get_note (bookmark), "  ");
            }

          g_string_append_c (out, '\n');
        }
    }

  return g_string_free (out, FALSE);
}

/**
 * gloss_bookmarks_import:
 * @bytes: a file in the format above, such as an export from another machine
 * @n_added: (out) (optional): how many bookmarks were new or gained a note
 * @error: why the file was refused
 *
 * Merges: a bookmark already here stays as it is, but takes the imported
 * note when it has none. Everything is checked before anything changes:
 * on error, nothing changed.
 */
gboolean
gloss_bookmarks_import (GlossBookmarks  *self,
                        GBytes          *bytes,
                        guint           *n_added,
                        GError         **error)
{
  g_autoptr(JsonObject) root = NULL;
  g_autoptr(GPtrArray) imported = NULL;
  g_autoptr(GPtrArray) merged = NULL;
  g_autoptr(GHashTable) positions = NULL;
  guint n_new = 0;
  guint changed = 0;
  guint old_len;

  g_return_val_if_fail (GLOSS_IS_BOOKMARKS (self), FALSE);
  g_return_val_if_fail (bytes != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (n_added != NULL)
    *n_added = 0;

  if (!gloss_store_check_writable (gloss_bookmarks_get_store (self), error))
    return FALSE;

  root = gloss_store_parse (gloss_bookmarks_get_store (self), bytes, error);
  if (root == NULL)
    return FALSE;

  imported = parse_bookmarks (root, error);
  if (imported == NULL)
    return FALSE;

  for (guint i = 0; i < imported->len; i++)
    if (!gloss_bookmarks_has (self,
                              gloss_bookmark_get_bundle_key (g_ptr_array_index (imported, i)),
                              gloss_bookmark_get_entry_id (g_ptr_array_index (imported, i))))
      n_new++;

  if (get_items (self)->len + n_new > GLOSS_BOOKMARKS_MAX)
    {
      g_set_error (error, GLOSS_STORE_ERROR, GLOSS_STORE_ERROR_INVALID,
                   g_dngettext (GETTEXT_PACKAGE, "Importing would make more than %d bookmark",
                                "Importing would make more than %d bookmarks",
                                GLOSS_BOOKMARKS_MAX),
                   GLOSS_BOOKMARKS_MAX);
      return FALSE;
    }

  /* Nothing can fail from here on. */
  positions = g_hash_table_new (NULL, NULL);
  merged = g_ptr_array_new_full (get_items (self)->len + n_new, g_object_unref);
  for (guint i = 0; i < get_items (self)->len; i++)
    {
      GlossBookmark *bookmark = g_ptr_array_index (get_items (self), i);

      g_hash_table_insert (positions, bookmark, GUINT_TO_POINTER (i));
      g_ptr_array_add (merged, g_object_ref (bookmark));
    }

  for (guint i = 0; i < imported->len; i++)
    {
      GlossBookmark *bookmark = g_ptr_array_index (imported, i);
      GlossBookmark *existing = gloss_bookmarks_lookup (self,
                                                        gloss_bookmark_get_bundle_key (bookmark),
                                                        gloss_bookmark_get_entry_id (bookmark));

      if (existing == NULL)
        {
          g_ptr_array_add (merged, g_object_ref (bookmark));
          changed++;
        }
      else if (!gloss_bookmark_has_note (existing) && gloss_bookmark_has_note (bookmark))
        {
          guint position = GPOINTER_TO_UINT (g_hash_table_lookup (positions, existing));

          g_ptr_array_index (merged, position) =
            gloss_bookmark_copy_with_note (existing, gloss_bookmark_get_note (bookmark));
          g_object_unref (existing);
          changed++;
        }
    }

  if (n_added != NULL)
    *n_added = changed;

  if (changed == 0)
    return TRUE;

  g_ptr_array_sort (merged, compare_newest_first);

  old_len = get_items (self)->len;
  g_ptr_array_set_size (get_items (self), 0);
  g_ptr_array_extend_and_steal (get_items (self), g_steal_pointer (&merged));
  rebuild_index (self);
  _gloss_store_model_items_changed (GLOSS_STORE_MODEL (self), 0, old_len, get_items (self)->len);
  gloss_store_changed (gloss_bookmarks_get_store (self));

  return TRUE;
}

/* gloss_bookmarks_import() of a file, read with gloss_store_read_file(). */
gboolean
gloss_bookmarks_import_file (GlossBookmarks  *self,
                             GFile           *file,
                             guint           *n_added,
                             GError         **error)
{
  g_autoptr(GBytes) bytes = NULL;

  g_return_val_if_fail (GLOSS_IS_BOOKMARKS (self), FALSE);
  g_return_val_if_fail (G_IS_FILE (file), FALSE);

  if (n_added != NULL)
    *n_added = 0;

  if (!gloss_store_check_writable (gloss_bookmarks_get_store (self), error))
    return FALSE;

  bytes = gloss_store_read_file (file, NULL, error);
  if (bytes == NULL)
    return FALSE;

  return gloss_bookmarks_import (self, bytes, n_added, error);
}
