/* gloss-bundle.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "gloss-bundle"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <glib/gstdio.h>

#include "gloss-bundle-private.h"
#include "gloss-entry-private.h"
#include "gloss-index.h"

static void list_model_iface_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (GlossBundle, gloss_bundle, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL, list_model_iface_init))

G_DEFINE_QUARK (gloss-bundle-error-quark, gloss_bundle_error)

static void
clear_category (gpointer data)
{
  GlossCategory *category = data;

  g_free (category->id);
  g_free (category->name);
  g_free (category->description);
}

static void
gloss_bundle_finalize (GObject *object)
{
  GlossBundle *self = (GlossBundle *)object;

  g_clear_object (&self->index);
  g_clear_object (&self->file);
  g_free (self->id);
  g_free (self->title);
  g_free (self->description);
  g_free (self->language);
  g_free (self->license);
  g_free (self->updated);
  g_strfreev (self->authors);
  g_clear_pointer (&self->categories, g_array_unref);
  g_clear_pointer (&self->entries, g_ptr_array_unref);
  g_clear_pointer (&self->by_id, g_hash_table_unref);
  g_clear_pointer (&self->sorted, g_free);
  g_clear_pointer (&self->problems, g_ptr_array_unref);

  G_OBJECT_CLASS (gloss_bundle_parent_class)->finalize (object);
}

static void
gloss_bundle_class_init (GlossBundleClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = gloss_bundle_finalize;
}

static void
gloss_bundle_init (GlossBundle *self)
{
  self->categories = g_array_new (FALSE, TRUE, sizeof (GlossCategory));
  g_array_set_clear_func (self->categories, clear_category);
  self->entries = g_ptr_array_new_with_free_func (g_object_unref);
  self->by_id = g_hash_table_new (g_str_hash, g_str_equal);
  self->problems = g_ptr_array_new_with_free_func ((GDestroyNotify)gloss_problem_free);
}

static GType
list_model_get_item_type (GListModel *model)
{
  return GLOSS_TYPE_ENTRY;
}

static guint
list_model_get_n_items (GListModel *model)
{
  return GLOSS_BUNDLE (model)->entries->len;
}

static gpointer
list_model_get_item (GListModel *model,
                     guint       position)
{
  GlossBundle *self = GLOSS_BUNDLE (model);

  if (position >= self->entries->len)
    return NULL;

  return g_object_ref (g_ptr_array_index (self->entries, position));
}

static void
list_model_iface_init (GListModelInterface *iface)
{
  iface->get_item_type = list_model_get_item_type;
  iface->get_n_items = list_model_get_n_items;
  iface->get_item = list_model_get_item;
}

GlossBundle *
_gloss_bundle_new (void)
{
  return g_object_new (GLOSS_TYPE_BUNDLE, NULL);
}

void
_gloss_bundle_add_category (GlossBundle *self,
                            char        *id,
                            char        *name,
                            char        *description)
{
  GlossCategory category = { id, name, description };

  g_array_append_val (self->categories, category);
}

void
_gloss_bundle_take_entry (GlossBundle *self,
                          GlossEntry  *entry)
{
  g_ptr_array_add (self->entries, entry);
  g_hash_table_insert (self->by_id, (gpointer)gloss_entry_get_id (entry),
                       GUINT_TO_POINTER (self->entries->len));
}

typedef struct
{
  char  *key;
  guint  position;
} SortItem;

static int
compare_sort_items (gconstpointer a,
                    gconstpointer b)
{
  const SortItem *sa = a;
  const SortItem *sb = b;
  int ret = strcmp (sa->key, sb->key);

  if (ret == 0)
    ret = (sa->position > sb->position) - (sa->position < sb->position);

  return ret;
}

/* The sidebar's order: by term, with the locale's collation. */
void
_gloss_bundle_sort (GlossBundle *self)
{
  guint n = self->entries->len;
  g_autofree SortItem *items = g_new (SortItem, n + 1);

  for (guint i = 0; i < n; i++)
    {
      GlossEntry *entry = g_ptr_array_index (self->entries, i);

      items[i].key = g_utf8_collate_key (gloss_entry_get_term (entry), -1);
      items[i].position = i;
    }

  qsort (items, n, sizeof (SortItem), compare_sort_items);

  g_clear_pointer (&self->sorted, g_free);
  self->sorted = g_new (guint, n + 1);
  for (guint i = 0; i < n; i++)
    {
      self->sorted[i] = items[i].position;
      g_free (items[i].key);
    }
}

/* Reads a whole regular file of at most GLOSS_BUNDLE_MAX_FILE_SIZE bytes.
 * The type and size are checked on the open descriptor, so a FIFO or a
 * device is refused before anything is read from it. */
static GBytes *
read_bundle_file (const char  *path,
                  const char  *display_name,
                  GError     **error)
{
  g_autofree char *buffer = NULL;
  struct stat st;
  gsize done = 0;
  int fd;

  fd = g_open (path, O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY, 0);
  if (fd < 0)
    {
      int saved_errno = errno;

      g_set_error (error, GLOSS_BUNDLE_ERROR, GLOSS_BUNDLE_ERROR_IO,
                   "cannot open: %s", g_strerror (saved_errno));
      return NULL;
    }

  if (fstat (fd, &st) != 0)
    {
      int saved_errno = errno;

      close (fd);
      g_set_error (error, GLOSS_BUNDLE_ERROR, GLOSS_BUNDLE_ERROR_IO,
                   "cannot read: %s", g_strerror (saved_errno));
      return NULL;
    }

  if (!S_ISREG (st.st_mode))
    {
      close (fd);
      g_set_error (error, GLOSS_BUNDLE_ERROR, GLOSS_BUNDLE_ERROR_IO,
                   S_ISDIR (st.st_mode) ? "is a folder, not a bundle file"
                                        : "not a regular file");
      return NULL;
    }

  if (st.st_size > GLOSS_BUNDLE_MAX_FILE_SIZE)
    {
      close (fd);
      g_set_error (error, GLOSS_BUNDLE_ERROR, GLOSS_BUNDLE_ERROR_IO,
                   "larger than 256 MiB (%" G_GINT64_FORMAT " bytes); not read",
                   (gint64)st.st_size);
      return NULL;
    }

  /* One byte more than the size, to notice a file that grows meanwhile. */
  buffer = g_malloc (st.st_size + 1);
  for (;;)
    {
      gssize n = read (fd, buffer + done, st.st_size + 1 - done);

      if (n < 0 && errno == EINTR)
        continue;

      if (n < 0)
        {
          int saved_errno = errno;

          close (fd);
          g_set_error (error, GLOSS_BUNDLE_ERROR, GLOSS_BUNDLE_ERROR_IO,
                       "cannot read: %s", g_strerror (saved_errno));
          return NULL;
        }

      if (n == 0)
        break;

      done += n;
      if (done > (gsize)st.st_size)
        {
          close (fd);
          g_set_error (error, GLOSS_BUNDLE_ERROR, GLOSS_BUNDLE_ERROR_IO,
                       "the file changed while it was read");
          return NULL;
        }
    }

  close (fd);

  return g_bytes_new_take (g_steal_pointer (&buffer), done);
}

static char *
file_display_name (GFile *file)
{
  g_autofree char *basename = g_file_get_basename (file);

  return g_filename_display_name (basename != NULL ? basename : "bundle");
}

/**
 * gloss_bundle_new_from_file:
 *
 * Loads a bundle synchronously. On a problem with the file itself, the error
 * is GLOSS_BUNDLE_ERROR_IO; on a refused bundle, GLOSS_BUNDLE_ERROR_REFUSED
 * with a message that starts with the location ("3:14: …" or "/version: …").
 */
GlossBundle *
gloss_bundle_new_from_file (GFile         *file,
                            GCancellable  *cancellable,
                            GError       **error)
{
  g_autofree char *display_name = NULL;
  g_autofree char *path = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GlossBundle) bundle = NULL;

  g_return_val_if_fail (G_IS_FILE (file), NULL);
  g_return_val_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable), NULL);

  display_name = file_display_name (file);
  path = g_file_get_path (file);

  if (path != NULL)
    bytes = read_bundle_file (path, display_name, error);
  else
    {
      g_autoptr(GError) local_error = NULL;

      bytes = g_file_load_bytes (file, cancellable, NULL, &local_error);
      if (bytes == NULL)
        g_set_error (error, GLOSS_BUNDLE_ERROR, GLOSS_BUNDLE_ERROR_IO,
                     "cannot read: %s", local_error->message);
      else if (g_bytes_get_size (bytes) > GLOSS_BUNDLE_MAX_FILE_SIZE)
        {
          g_set_error (error, GLOSS_BUNDLE_ERROR, GLOSS_BUNDLE_ERROR_IO,
                       "larger than 256 MiB; not read");
          g_clear_pointer (&bytes, g_bytes_unref);
        }
    }

  if (bytes == NULL)
    return NULL;

  bundle = _gloss_bundle_load (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes),
                               display_name, path != NULL ? path : g_file_peek_path (file),
                               cancellable, error);
  if (bundle == NULL)
    return NULL;

  if (path == NULL && bundle->id == NULL)
    {
      g_autofree char *uri = g_file_get_uri (file);
      bundle->id = g_steal_pointer (&uri);
    }

  bundle->file = g_object_ref (file);

  return g_steal_pointer (&bundle);
}

/**
 * gloss_bundle_new_from_bytes:
 * @fallback_id: the identity to use when the bundle has no valid "id"
 *
 * Loads a bundle held in memory, such as the built-in one.
 */
GlossBundle *
gloss_bundle_new_from_bytes (GBytes        *bytes,
                             const char    *display_name,
                             const char    *fallback_id,
                             GCancellable  *cancellable,
                             GError       **error)
{
  g_return_val_if_fail (bytes != NULL, NULL);
  g_return_val_if_fail (display_name != NULL, NULL);
  g_return_val_if_fail (fallback_id != NULL, NULL);

  if (g_bytes_get_size (bytes) > GLOSS_BUNDLE_MAX_FILE_SIZE)
    {
      g_set_error (error, GLOSS_BUNDLE_ERROR, GLOSS_BUNDLE_ERROR_IO,
                   "larger than 256 MiB; not read");
      return NULL;
    }

  return _gloss_bundle_load (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes),
                             display_name, fallback_id, cancellable, error);
}

static void
load_in_thread (GTask        *task,
                gpointer      source_object,
                gpointer      task_data,
                GCancellable *cancellable)
{
  GFile *file = task_data;
  GlossBundle *bundle;
  GError *error = NULL;

  bundle = gloss_bundle_new_from_file (file, cancellable, &error);
  if (bundle == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, bundle, g_object_unref);
}

/**
 * gloss_bundle_new_from_file_async:
 *
 * Loads a bundle in a worker thread. The callback gets either a finished,
 * immutable bundle or an error: nothing half-loaded is ever handed out.
 */
void
gloss_bundle_new_from_file_async (GFile               *file,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (G_IS_FILE (file));
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, gloss_bundle_new_from_file_async);
  g_task_set_name (task, "[gloss] load bundle");
  g_task_set_task_data (task, g_object_ref (file), g_object_unref);
  g_task_set_return_on_cancel (task, FALSE);
  g_task_run_in_thread (task, load_in_thread);
}

GlossBundle *
gloss_bundle_new_from_file_finish (GAsyncResult  *result,
                                   GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) ==
                        gloss_bundle_new_from_file_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* Splits an error's message into the location and the text, so callers can
 * format it as FILE:LINE:COLUMN or show the JSON path on its own. */
GlossProblem *
gloss_bundle_error_to_problem (const GError *error)
{
  const char *message;
  const char *sep;

  g_return_val_if_fail (error != NULL, NULL);

  message = error->message;

  if (g_error_matches (error, GLOSS_BUNDLE_ERROR, GLOSS_BUNDLE_ERROR_REFUSED) &&
      (sep = strstr (message, ": ")) != NULL)
    {
      g_autofree char *location = g_strndup (message, sep - message);

      return gloss_problem_new (GLOSS_SEVERITY_ERROR, location, sep + 2);
    }

  return gloss_problem_new (GLOSS_SEVERITY_ERROR, "", message);
}

GFile *
gloss_bundle_get_file (GlossBundle *self)
{
  g_return_val_if_fail (GLOSS_IS_BUNDLE (self), NULL);
  return self->file;
}

const char *
gloss_bundle_get_id (GlossBundle *self)
{
  g_return_val_if_fail (GLOSS_IS_BUNDLE (self), NULL);
  return self->id;
}

const char *
gloss_bundle_get_title (GlossBundle *self)
{
  g_return_val_if_fail (GLOSS_IS_BUNDLE (self), NULL);
  return self->title;
}

const char *
gloss_bundle_get_description (GlossBundle *self)
{
  g_return_val_if_fail (GLOSS_IS_BUNDLE (self), NULL);
  return self->description;
}

const char *
gloss_bundle_get_language (GlossBundle *self)
{
  g_return_val_if_fail (GLOSS_IS_BUNDLE (self), NULL);
  return self->language;
}

const char *
gloss_bundle_get_license (GlossBundle *self)
{
  g_return_val_if_fail (GLOSS_IS_BUNDLE (self), NULL);
  return self->license;
}

const char *
gloss_bundle_get_updated (GlossBundle *self)
{
  g_return_val_if_fail (GLOSS_IS_BUNDLE (self), NULL);
  return self->updated;
}

const char * const *
gloss_bundle_get_authors (GlossBundle *self)
{
  g_return_val_if_fail (GLOSS_IS_BUNDLE (self), NULL);
  return (const char * const *)self->authors;
}

const GlossCategory *
gloss_bundle_get_categories (GlossBundle *self,
                             guint       *n_categories)
{
  g_return_val_if_fail (GLOSS_IS_BUNDLE (self), NULL);
  g_return_val_if_fail (n_categories != NULL, NULL);

  *n_categories = self->categories->len;
  return (const GlossCategory *)(gpointer)self->categories->data;
}

const GlossCategory *
gloss_bundle_lookup_category (GlossBundle *self,
                              const char  *category_id)
{
  g_return_val_if_fail (GLOSS_IS_BUNDLE (self), NULL);

  if (category_id == NULL)
    return NULL;

  for (guint i = 0; i < self->categories->len; i++)
    {
      const GlossCategory *category = &g_array_index (self->categories, GlossCategory, i);

      if (g_str_equal (category->id, category_id))
        return category;
    }

  return NULL;
}

guint
gloss_bundle_get_n_entries (GlossBundle *self)
{
  g_return_val_if_fail (GLOSS_IS_BUNDLE (self), 0);
  return self->entries->len;
}

/* Returns: (transfer none): the entry at @position in file order. */
GlossEntry *
gloss_bundle_get_entry (GlossBundle *self,
                        guint        position)
{
  g_return_val_if_fail (GLOSS_IS_BUNDLE (self), NULL);
  g_return_val_if_fail (position < self->entries->len, NULL);

  return g_ptr_array_index (self->entries, position);
}

gboolean
gloss_bundle_find_entry (GlossBundle *self,
                         const char  *entry_id,
                         guint       *position)
{
  guint found;

  g_return_val_if_fail (GLOSS_IS_BUNDLE (self), FALSE);

  if (entry_id == NULL)
    return FALSE;

  found = GPOINTER_TO_UINT (g_hash_table_lookup (self->by_id, entry_id));
  if (found == 0)
    return FALSE;

  if (position != NULL)
    *position = found - 1;

  return TRUE;
}

/* Returns: (transfer none) (nullable): the entry with that id. */
GlossEntry *
gloss_bundle_lookup_entry (GlossBundle *self,
                           const char  *entry_id)
{
  guint position;

  if (!gloss_bundle_find_entry (self, entry_id, &position))
    return NULL;

  return g_ptr_array_index (self->entries, position);
}

/* Returns: the positions of all entries in sidebar order (by term, with the
 * locale's collation). */
const guint *
gloss_bundle_get_sorted (GlossBundle *self,
                         guint       *n_sorted)
{
  g_return_val_if_fail (GLOSS_IS_BUNDLE (self), NULL);
  g_return_val_if_fail (n_sorted != NULL, NULL);

  *n_sorted = self->entries->len;
  return self->sorted;
}

/* Returns: (transfer none): the search index, built with the bundle. */
GlossIndex *
gloss_bundle_get_index (GlossBundle *self)
{
  g_return_val_if_fail (GLOSS_IS_BUNDLE (self), NULL);
  return self->index;
}

/* Returns: (transfer none) (element-type GlossProblem): every warning and
 * skipped entry, in the order they were found. */
GPtrArray *
gloss_bundle_get_problems (GlossBundle *self)
{
  g_return_val_if_fail (GLOSS_IS_BUNDLE (self), NULL);
  return self->problems;
}

guint
gloss_bundle_get_n_skipped (GlossBundle *self)
{
  g_return_val_if_fail (GLOSS_IS_BUNDLE (self), 0);
  return self->n_skipped;
}

guint
gloss_bundle_get_n_errors (GlossBundle *self)
{
  g_return_val_if_fail (GLOSS_IS_BUNDLE (self), 0);
  return self->n_errors;
}

guint
gloss_bundle_get_n_warnings (GlossBundle *self)
{
  g_return_val_if_fail (GLOSS_IS_BUNDLE (self), 0);
  return self->n_warnings;
}
