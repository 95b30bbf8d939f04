/* gloss-bundle.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "gloss-bundle"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <glib/gstdio.h>

#include "gloss-bundle-private.h"
#include "gloss-entry-private.h"
#include "gloss-hash.h"
#include "gloss-index-private.h"
#include "gloss-text.h"

G_STATIC_ASSERT (sizeof (guint) == sizeof (guint32));

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

typedef struct
{
  GlossEntry **entries;
  guint        n;
} Release;

static gpointer
release_entries (gpointer data)
{
  Release *release = data;

  for (guint i = 0; i < release->n; i++)
    g_clear_object (&release->entries[i]);
  g_free (release->entries);
  g_free (release);
  return NULL;
}

static void
gloss_bundle_finalize (GObject *object)
{
  GlossBundle *self = (GlossBundle *)object;

  g_clear_object (&self->index);

  /* A hundred thousand entries take a while to let go of: not on the
   * thread that drops the bundle, which is the UI's. */
  if (self->entries != NULL)
    {
      Release *release = g_new (Release, 1);

      release->entries = g_steal_pointer (&self->entries);
      release->n = self->n_entries;
      if (release->n > 4096)
        g_thread_unref (g_thread_new ("gloss-release", release_entries, release));
      else
        release_entries (release);
    }

  g_clear_pointer (&self->image, gloss_image_unref);
  g_clear_object (&self->file);
  g_free (self->id);
  g_free (self->title);
  g_free (self->description);
  g_free (self->language);
  g_free (self->license);
  g_free (self->updated);
  g_strfreev (self->authors);
  g_free (self->source_path);
  g_clear_pointer (&self->categories, g_array_unref);
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
}

static GType
list_model_get_item_type (GListModel *model)
{
  return GLOSS_TYPE_ENTRY;
}

static guint
list_model_get_n_items (GListModel *model)
{
  return GLOSS_BUNDLE (model)->n_entries;
}

static gpointer
list_model_get_item (GListModel *model,
                     guint       position)
{
  GlossBundle *self = GLOSS_BUNDLE (model);

  if (position >= self->n_entries)
    return NULL;

  return g_object_ref (gloss_bundle_get_entry (self, position));
}

static void
list_model_iface_init (GListModelInterface *iface)
{
  iface->get_item_type = list_model_get_item_type;
  iface->get_n_items = list_model_get_n_items;
  iface->get_item = list_model_get_item;
}

/* The bundle over a checked @image. The file's name and path stand in
 * for a missing title and id, as the loader's warnings say. */
static GlossBundle *
bundle_new_from_image (GlossImage *image,
                       const char *display_name,
                       const char *fallback_id)
{
  GlossBundle *self = g_object_new (GLOSS_TYPE_BUNDLE, NULL);
  const GlossCacheMeta *meta = image->meta;
  const GlossCacheCategory *categories;
  const guint32 *authors;
  gsize size;

  self->image = gloss_image_ref (image);
  self->n_entries = image->n_entries;
  self->entries = g_new0 (GlossEntry *, self->n_entries + 1);

  self->id = g_strdup (gloss_image_string (image, meta->id));
  if (self->id == NULL)
    self->id = g_strdup (fallback_id);
  self->title = g_strdup (gloss_image_string (image, meta->title));
  if (self->title == NULL)
    {
      /* A file's name is text from outside too, held to a title's rules. */
      self->title = gloss_text_clean (display_name, -1, GLOSS_TEXT_MAX_SHORT,
                                      GLOSS_TEXT_STRIP_BIDI | GLOSS_TEXT_SINGLE_LINE, NULL);
      if (gloss_text_is_blank (self->title))
        {
          g_free (self->title);
          self->title = g_strdup ("bundle");
        }
    }
  self->description = g_strdup (gloss_image_string (image, meta->description));
  self->language = g_strdup (gloss_image_string (image, meta->language));
  self->license = g_strdup (gloss_image_string (image, meta->license));
  self->updated = g_strdup (gloss_image_string (image, meta->updated));
  self->n_skipped = meta->n_skipped;
  self->n_errors = meta->n_errors;
  self->n_warnings = meta->n_warnings;

  authors = gloss_image_section (image, GLOSS_SECTION_AUTHORS, &size);
  self->authors = g_new0 (char *, size / 4 + 1);
  for (gsize i = 0; i < size / 4; i++)
    self->authors[i] = g_strdup (gloss_image_string (image, authors[i]));

  categories = gloss_image_section (image, GLOSS_SECTION_CATEGORIES, &size);
  for (gsize i = 0; i < size / sizeof (GlossCacheCategory); i++)
    {
      GlossCategory category;

      category.id = g_strdup (gloss_image_string (image, categories[i].id));
      category.name = g_strdup (gloss_image_string (image, categories[i].name));
      category.description = g_strdup (gloss_image_string (image, categories[i].description));
      g_array_append_val (self->categories, category);
    }

  return self;
}

/* Makes every entry now, in the loading thread: the sidebar reads them
 * all, and making a hundred thousand would hold up the UI's thread. */
static void
prepare_entries (GlossBundle *self)
{
  for (guint i = 0; i < self->n_entries; i++)
    gloss_bundle_get_entry (self, i);
}

void
_gloss_entry_view_init (GlossEntryView *view)
{
  memset (view, 0, sizeof *view);
  view->aliases = g_ptr_array_new ();
  view->tags = g_ptr_array_new ();
  view->sections = g_ptr_array_new ();
  view->faq = g_ptr_array_new ();
}

void
_gloss_entry_view_clear (GlossEntryView *view)
{
  g_clear_pointer (&view->aliases, g_ptr_array_unref);
  g_clear_pointer (&view->tags, g_ptr_array_unref);
  g_clear_pointer (&view->sections, g_ptr_array_unref);
  g_clear_pointer (&view->faq, g_ptr_array_unref);
}

/* Fills in @view from the entry's record, without making the entry. Any
 * thread. FALSE when a mapped record fails its check. */
gboolean
_gloss_bundle_view_entry (GlossBundle    *self,
                          guint           position,
                          GlossEntryView *view)
{
  GlossImage *image = self->image;
  const GlossCacheEntry *row = &image->entries[position];
  const guint8 *record = image->records + row->record;
  gboolean check = !image->trusted;
  GlossRecordReader r;
  guint n;

  g_ptr_array_set_size (view->aliases, 0);
  g_ptr_array_set_size (view->tags, 0);
  g_ptr_array_set_size (view->sections, 0);
  g_ptr_array_set_size (view->faq, 0);

  view->term = gloss_image_string (image, row->term);
  view->title = view->term;
  view->summary = NULL;
  view->mature = (row->flags & GLOSS_CACHE_ENTRY_MATURE) != 0;
  for (guint i = 0; i < row->n_tags; i++)
    g_ptr_array_add (view->tags, (gpointer)gloss_image_string (image,
                                                               image->taglists[row->tags + i]));

  if (check && (guint32)gloss_hash64 (record, row->record_size, 0) != row->record_check)
    return FALSE;

  gloss_record_reader_init (&r, record, row->record_size, check);
  gloss_record_read_u32 (&r);
  {
    const char *title = gloss_record_read_string (&r);

    if (title != NULL)
      view->title = title;
  }
  view->summary = gloss_record_read_string (&r);
  gloss_record_read_string (&r);
  gloss_record_read_string (&r);
  gloss_record_read_string (&r);

  n = gloss_record_read_count (&r, 4);
  for (guint i = 0; i < n && !r.failed; i++)
    g_ptr_array_add (view->aliases, (gpointer)gloss_record_read_string (&r));
  n = gloss_record_read_count (&r, 4);
  for (guint i = 0; i < n && !r.failed; i++)
    gloss_record_read_string (&r);
  n = gloss_record_read_count (&r, 12);
  for (guint i = 0; i < 3 * n && !r.failed; i++)
    gloss_record_read_string (&r);
  n = gloss_record_read_count (&r, 8);
  for (guint i = 0; i < 2 * n && !r.failed; i++)
    g_ptr_array_add (view->sections, (gpointer)gloss_record_read_string (&r));
  n = gloss_record_read_count (&r, 8);
  for (guint i = 0; i < 2 * n && !r.failed; i++)
    g_ptr_array_add (view->faq, (gpointer)gloss_record_read_string (&r));

  if (r.failed)
    {
      g_ptr_array_set_size (view->aliases, 0);
      g_ptr_array_set_size (view->sections, 0);
      g_ptr_array_set_size (view->faq, 0);
      view->title = view->term;
      view->summary = NULL;
      return FALSE;
    }

  return TRUE;
}

/* Where the entry's record starts, to prefetch it. */
const guint8 *
_gloss_bundle_peek_record (GlossBundle *self,
                           guint        position)
{
  return self->image->records + self->image->entries[position].record;
}

/* Reads a whole regular file of at most GLOSS_BUNDLE_MAX_FILE_SIZE bytes
 * from @fd, whose type and size were checked. */
static GBytes *
read_bundle_fd (int                fd,
                const struct stat *st,
                GError           **error)
{
  g_autofree char *buffer = NULL;
  gsize done = 0;

  /* One byte more than the size, to notice a file that grows meanwhile. */
  buffer = g_malloc (st->st_size + 1);
  for (;;)
    {
      gssize n = read (fd, buffer + done, st->st_size + 1 - done);

      if (n < 0 && errno == EINTR)
        continue;

      if (n < 0)
        {
          int saved_errno = errno;

          g_set_error (error, GLOSS_BUNDLE_ERROR, GLOSS_BUNDLE_ERROR_IO,
                       "cannot read: %s", g_strerror (saved_errno));
          return NULL;
        }

      if (n == 0)
        break;

      done += n;
      if (done > (gsize)st->st_size)
        {
          g_set_error (error, GLOSS_BUNDLE_ERROR, GLOSS_BUNDLE_ERROR_IO,
                       "the file changed while it was read");
          return NULL;
        }
    }

  return g_bytes_new_take (g_steal_pointer (&buffer), done);
}

/* Opens a bundle file for reading. The type and size are checked on the
 * open descriptor, so a FIFO or a device is refused before anything is
 * read from it. */
static int
open_bundle_file (const char   *path,
                  struct stat  *st,
                  GError      **error)
{
  int fd;

  fd = g_open (path, O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY, 0);
  if (fd < 0)
    {
      int saved_errno = errno;

      g_set_error (error, GLOSS_BUNDLE_ERROR, GLOSS_BUNDLE_ERROR_IO,
                   "cannot open: %s", g_strerror (saved_errno));
      return -1;
    }

  if (fstat (fd, st) != 0)
    {
      int saved_errno = errno;

      close (fd);
      g_set_error (error, GLOSS_BUNDLE_ERROR, GLOSS_BUNDLE_ERROR_IO,
                   "cannot read: %s", g_strerror (saved_errno));
      return -1;
    }

  if (!S_ISREG (st->st_mode))
    {
      close (fd);
      g_set_error (error, GLOSS_BUNDLE_ERROR, GLOSS_BUNDLE_ERROR_IO,
                   S_ISDIR (st->st_mode) ? "is a folder, not a bundle file"
                                         : "not a regular file");
      return -1;
    }

  if (st->st_size > GLOSS_BUNDLE_MAX_FILE_SIZE)
    {
      close (fd);
      g_set_error (error, GLOSS_BUNDLE_ERROR, GLOSS_BUNDLE_ERROR_IO,
                   "larger than 256 MiB (%" G_GINT64_FORMAT " bytes); not read",
                   (gint64)st->st_size);
      return -1;
    }

  return fd;
}

static char *
file_display_name (GFile *file)
{
  g_autofree char *basename = g_file_get_basename (file);

  return g_filename_display_name (basename != NULL ? basename : "bundle");
}

typedef struct
{
  GBytes  *bytes;
  guint64  hash;
} HashJob;

static gpointer
hash_run (gpointer data)
{
  HashJob *job = data;

  job->hash = gloss_hash64 (g_bytes_get_data (job->bytes, NULL), g_bytes_get_size (job->bytes), 0);
  return NULL;
}

typedef struct
{
  GlossCacheWriter *writer;
  GlossImage       *image;
  gboolean          ok;
} RecordsJob;

static gpointer
records_run (gpointer data)
{
  RecordsJob *job = data;
  g_autoptr(GError) error = NULL;

  job->ok = gloss_cache_writer_write_records (job->writer, job->image, &error);
  if (!job->ok)
    g_debug ("the cache's records were not written: %s", error->message);
  return NULL;
}

/* Compiles @bytes (which it takes), builds the index and, given a @key,
 * writes the cache and hands back the bundle over the mapped file, so that
 * no more than the pages in use stay in memory. */
static GlossBundle *
compile_bundle (GBytes                   *bytes,
                const char               *display_name,
                const char               *fallback_id,
                const GlossCacheKey      *key,
                gint64                    read_usec,
                GCancellable             *cancellable,
                const GlossLoadProgress  *progress,
                GError                  **error)
{
  g_autoptr(GlossImage) image = NULL;
  g_autoptr(GlossImage) written = NULL;
  g_autoptr(GlossBundle) bundle = NULL;
  g_autoptr(GlossCacheWriter) writer = NULL;
  g_autoptr(GError) write_error = NULL;
  HashJob hash_job = { bytes, 0 };
  RecordsJob records_job = { NULL, NULL, FALSE };
  GThread *hash_thread = NULL;
  GThread *records_thread = NULL;
  gint64 t0 = g_get_monotonic_time ();
  gint64 t1, t2, t3;

  if (key != NULL)
    {
      /* The content hash, for the background check of later opens, beside
       * the pre-scan. */
      hash_thread = g_thread_new ("gloss-hash", hash_run, &hash_job);
      writer = gloss_cache_writer_new (key, &write_error);
      if (writer == NULL)
        g_debug ("%s: no cache: %s", key->source_path, write_error->message);
      g_clear_error (&write_error);
    }

  image = _gloss_bundle_compile (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes),
                                 cancellable, progress, error);

  if (hash_thread != NULL)
    g_thread_join (hash_thread);

  /* Nothing points into the JSON any more: let it go before indexing. */
  g_bytes_unref (bytes);

  if (image == NULL)
    return NULL;

  bundle = bundle_new_from_image (image, display_name, fallback_id);
  t1 = g_get_monotonic_time ();

  /* The records go to the cache file while the index is built: with
   * O_DIRECT that is the disk's work, not the CPU's. */
  if (writer != NULL)
    {
      records_job.writer = writer;
      records_job.image = image;
      records_thread = g_thread_new ("gloss-write", records_run, &records_job);
    }

  /* The index is built here, in the loading thread, so a bundle is never
   * handed out without it. */
  bundle->index = _gloss_index_build (bundle, cancellable, progress, error);
  if (records_thread != NULL)
    g_thread_join (records_thread);
  if (bundle->index == NULL)
    return NULL;
  t2 = g_get_monotonic_time ();
  if (t2 - t0 > 100 * 1000)
    g_debug ("%s: compiled in %.0f ms, indexed in %.0f ms", display_name, (t1 - t0) / 1e3,
             (t2 - t1) / 1e3);

  if (writer == NULL || !records_job.ok)
    return g_steal_pointer (&bundle);

  _gloss_load_progress (progress, 0.9);
  _gloss_index_set_sections (bundle->index, image);
  written = gloss_cache_writer_finish (writer, key, image, hash_job.hash, read_usec, &write_error);
  t3 = g_get_monotonic_time ();
  if (t3 - t0 > 100 * 1000)
    g_debug ("%s: cache written in %.0f ms", display_name, (t3 - t2) / 1e3);
  if (written == NULL)
    {
      /* Not the user's problem: the bundle opened; the next open parses
       * the JSON again. */
      g_debug ("%s: no cache written: %s", key->source_path, write_error->message);
      return g_steal_pointer (&bundle);
    }

  {
    g_autoptr(GlossBundle) mapped = bundle_new_from_image (written, display_name, fallback_id);
    g_autoptr(GError) index_error = NULL;

    mapped->index = _gloss_index_new_from_image (mapped, written, &index_error);
    if (mapped->index == NULL)
      {
        g_critical ("%s: the cache just written does not read back: %s", key->cache_path,
                    index_error->message);
        g_unlink (key->cache_path);
        return g_steal_pointer (&bundle);
      }

    mapped->source_path = g_strdup (key->source_path);
    return g_steal_pointer (&mapped);
  }
}

/* The bundle from its cache, if there is a good one. */
static GlossBundle *
open_cached (const GlossCacheKey *key,
             const char          *display_name,
             const char          *fallback_id)
{
  g_autoptr(GlossImage) image = NULL;
  g_autoptr(GlossBundle) bundle = NULL;
  g_autoptr(GError) error = NULL;

  image = gloss_cache_open (key, &error);
  if (image == NULL)
    {
      /* Gone now, so that the new one is written afresh, not over it. */
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND))
        {
          g_debug ("%s: cache not used: %s", key->source_path, error->message);
          g_unlink (key->cache_path);
        }
      return NULL;
    }

  bundle = bundle_new_from_image (image, display_name, fallback_id);
  bundle->index = _gloss_index_new_from_image (bundle, image, &error);
  if (bundle->index == NULL)
    {
      g_debug ("%s: cache not used: %s", key->source_path, error->message);
      return NULL;
    }

  bundle->from_cache = TRUE;
  bundle->source_path = g_strdup (key->source_path);
  return g_steal_pointer (&bundle);
}

/* The bundle in @file from its cache alone, as a load looks for it first
 * (a bad cache is removed); %NULL, with the reason in @error, when there
 * is no good one. */
GlossBundle *
_gloss_bundle_new_from_cache (GFile   *file,
                              GError **error)
{
  g_autofree char *display_name = file_display_name (file);
  g_autofree char *path = g_file_get_path (file);
  GlossCacheKey key = { NULL, };
  GlossBundle *bundle;
  struct stat st;
  int fd;

  if (path == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED, "not a local file");
      return NULL;
    }

  fd = open_bundle_file (path, &st, error);
  if (fd < 0)
    return NULL;
  close (fd);

  if (!gloss_cache_key_init (&key, path, &st))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "no cache key");
      return NULL;
    }

  bundle = open_cached (&key, display_name, path);
  gloss_cache_key_clear (&key);
  if (bundle == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "no usable cache");
      return NULL;
    }

  bundle->file = g_object_ref (file);
  return bundle;
}

static GlossBundle *
load_file (GFile                    *file,
           GCancellable             *cancellable,
           const GlossLoadProgress  *progress,
           GError                  **error)
{
  g_autofree char *display_name = NULL;
  g_autofree char *path = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GlossBundle) bundle = NULL;
  GlossCacheKey key = { NULL, };
  gboolean have_key = FALSE;
  gint64 read_usec = 0;

  display_name = file_display_name (file);
  path = g_file_get_path (file);

  if (path != NULL)
    {
      struct stat st;
      struct stat after;
      int fd;

      fd = open_bundle_file (path, &st, error);
      if (fd < 0)
        return NULL;

      have_key = gloss_cache_get_enabled () && gloss_cache_key_init (&key, path, &st);
      if (have_key)
        {
          bundle = open_cached (&key, display_name, path);
          if (bundle != NULL)
            {
              close (fd);
              gloss_cache_key_clear (&key);
              bundle->file = g_object_ref (file);
              return g_steal_pointer (&bundle);
            }
        }

      read_usec = g_get_real_time ();
      bytes = read_bundle_fd (fd, &st, error);

      /* A file that changed while it was read gets no cache: the key
       * would not describe what was read. */
      if (bytes != NULL && have_key && (fstat (fd, &after) != 0 ||
                                        !gloss_cache_key_matches_stat (&key, &after)))
        {
          gloss_cache_key_clear (&key);
          have_key = FALSE;
        }
      close (fd);
    }
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

  if (bytes != NULL)
    {
      g_autofree char *uri = path == NULL ? g_file_get_uri (file) : NULL;
      gsize length = g_bytes_get_size (bytes);

      bundle = compile_bundle (g_steal_pointer (&bytes), display_name, path != NULL ? path : uri,
                               have_key ? &key : NULL, read_usec, cancellable, progress, error);

#ifdef __GLIBC__
      /* The load freed a few times the file's size, much of it in the
       * arenas of the threads that did the work, which glibc keeps: give
       * it back, or the process holds on to it for good. */
      if (length > 1024 * 1024)
        malloc_trim (0);
#endif
    }

  if (have_key)
    gloss_cache_key_clear (&key);

  if (bundle == NULL)
    return NULL;

  bundle->file = g_object_ref (file);

  return g_steal_pointer (&bundle);
}

/**
 * gloss_bundle_new_from_file:
 *
 * Loads a bundle synchronously: from its cache when there is a good one,
 * else from the JSON, writing the cache. On a problem with the file itself,
 * the error is GLOSS_BUNDLE_ERROR_IO; on a refused bundle,
 * GLOSS_BUNDLE_ERROR_REFUSED with a message that starts with the location
 * ("3:14: …" or "/version: …").
 */
GlossBundle *
gloss_bundle_new_from_file (GFile         *file,
                            GCancellable  *cancellable,
                            GError       **error)
{
  g_return_val_if_fail (G_IS_FILE (file), NULL);
  g_return_val_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable), NULL);

  return load_file (file, cancellable, NULL, error);
}

/**
 * gloss_bundle_new_from_bytes:
 * @fallback_id: the identity to use when the bundle has no valid "id"
 *
 * Loads a bundle held in memory, such as the built-in one. Never cached.
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

  return compile_bundle (g_bytes_ref (bytes), display_name, fallback_id, NULL, 0, cancellable,
                         NULL, error);
}

/* Progress, from the loading threads to the caller's main context: the
 * latest fraction, at most one dispatch pending at a time. */
typedef struct
{
  gatomicrefcount          ref_count;
  GMainContext            *context;
  GlossBundleProgressFunc  func;
  gpointer                 data;
  GDestroyNotify           destroy;
  gint                     permille;    /* atomic */
  gint                     reported;    /* atomic: what was last sent */
  gint64                   sent_at;     /* when; only the thread that sends */
  gint                     pending;     /* atomic */
  gint                     done;        /* atomic */
} ProgressRelay;

static ProgressRelay *
progress_relay_ref (ProgressRelay *relay)
{
  g_atomic_ref_count_inc (&relay->ref_count);
  return relay;
}

static void
progress_relay_unref (gpointer data)
{
  ProgressRelay *relay = data;

  if (!g_atomic_ref_count_dec (&relay->ref_count))
    return;

  if (relay->destroy != NULL)
    relay->destroy (relay->data);
  g_main_context_unref (relay->context);
  g_free (relay);
}

static gboolean
progress_relay_dispatch (gpointer data)
{
  ProgressRelay *relay = data;
  int permille;

  g_atomic_int_set (&relay->pending, 0);
  permille = g_atomic_int_get (&relay->permille);

  if (!g_atomic_int_get (&relay->done))
    relay->func (permille / 1000.0, relay->data);

  return G_SOURCE_REMOVE;
}

static void
progress_relay_report (double   fraction,
                       gpointer data)
{
  ProgressRelay *relay = data;
  int permille = CLAMP ((int)(fraction * 1000), 0, 1000);

  g_atomic_int_set (&relay->permille, permille);

  /* A step a progress bar shows, at most ten times a second: each one is
   * a frame to draw, which is not free without a GPU. */
  if (ABS (permille - g_atomic_int_get (&relay->reported)) < 10 ||
      g_get_monotonic_time () - relay->sent_at < 100 * 1000)
    return;

  if (g_atomic_int_compare_and_exchange (&relay->pending, 0, 1))
    {
      relay->sent_at = g_get_monotonic_time ();
      g_atomic_int_set (&relay->reported, permille);
      g_main_context_invoke_full (relay->context, G_PRIORITY_DEFAULT, progress_relay_dispatch,
                                  progress_relay_ref (relay), progress_relay_unref);
    }
}

typedef struct
{
  GFile         *file;
  ProgressRelay *relay;
} LoadData;

static void
load_data_free (gpointer data)
{
  LoadData *ld = data;

  g_clear_object (&ld->file);
  if (ld->relay != NULL)
    progress_relay_unref (ld->relay);
  g_free (ld);
}

/* Background work gets threads of its own rather than GTask's pool's:
 * each lowers its priority, and the threads it starts inherit that, so
 * that on a busy machine the UI's thread always comes first (the pool's
 * threads are shared, and a thread may not raise its priority back). */
static void
lower_priority (void)
{
  int tid = syscall (SYS_gettid);

  errno = 0;
  if (setpriority (PRIO_PROCESS, tid, MIN (getpriority (PRIO_PROCESS, tid) + 10, 19)) != 0)
    g_debug ("could not lower a background thread's priority: %s", g_strerror (errno));
}

static gpointer
load_thread (gpointer data)
{
  GTask *task = data;
  LoadData *ld = g_task_get_task_data (task);
  GCancellable *cancellable = g_task_get_cancellable (task);
  GlossLoadProgress progress = { NULL, NULL };
  GlossBundle *bundle;
  GError *error = NULL;

  lower_priority ();

  if (ld->relay != NULL)
    {
      progress.func = progress_relay_report;
      progress.data = ld->relay;
    }

  bundle = load_file (ld->file, cancellable, &progress, &error);
  if (bundle != NULL)
    prepare_entries (bundle);

  if (ld->relay != NULL)
    g_atomic_int_set (&ld->relay->done, 1);

  if (bundle == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, bundle, g_object_unref);

  g_object_unref (task);
  return NULL;
}

static void
start_load (GFile                   *file,
            GlossBundleProgressFunc  progress,
            gpointer                 progress_data,
            GDestroyNotify           progress_destroy,
            GCancellable            *cancellable,
            GAsyncReadyCallback      callback,
            gpointer                 user_data,
            gpointer                 source_tag)
{
  g_autoptr(GTask) task = NULL;
  LoadData *ld;

  ld = g_new0 (LoadData, 1);
  ld->file = g_object_ref (file);
  if (progress != NULL)
    {
      ld->relay = g_new0 (ProgressRelay, 1);
      g_atomic_ref_count_init (&ld->relay->ref_count);
      ld->relay->context = g_main_context_ref_thread_default ();
      ld->relay->func = progress;
      ld->relay->data = progress_data;
      ld->relay->destroy = progress_destroy;
    }
  else if (progress_destroy != NULL)
    progress_destroy (progress_data);

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, source_tag);
  g_task_set_name (task, "[gloss] load bundle");
  g_task_set_task_data (task, ld, load_data_free);
  g_task_set_return_on_cancel (task, FALSE);
  g_thread_unref (g_thread_new ("gloss-load", load_thread, g_steal_pointer (&task)));
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
  g_return_if_fail (G_IS_FILE (file));
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  start_load (file, NULL, NULL, NULL, cancellable, callback, user_data,
              gloss_bundle_new_from_file_async);
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

/**
 * gloss_bundle_load_async:
 * @progress: (nullable): called in the caller's thread-default main
 *   context with the fraction done (0 to 1), now and then, never after
 *   the result is ready
 *
 * As gloss_bundle_new_from_file_async(), reporting progress: a cached
 * bundle opens at once; a first open parses, checks, indexes and writes
 * the cache, which takes a few seconds for a large bundle.
 */
void
gloss_bundle_load_async (GFile                   *file,
                         GlossBundleProgressFunc  progress,
                         gpointer                 progress_data,
                         GDestroyNotify           progress_destroy,
                         GCancellable            *cancellable,
                         GAsyncReadyCallback      callback,
                         gpointer                 user_data)
{
  g_return_if_fail (G_IS_FILE (file));
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  start_load (file, progress, progress_data, progress_destroy, cancellable, callback, user_data,
              gloss_bundle_load_async);
}

GlossBundle *
gloss_bundle_load_finish (GAsyncResult  *result,
                          GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == gloss_bundle_load_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/**
 * gloss_bundle_get_from_cache:
 *
 * Returns: whether the bundle was opened from its compiled cache rather
 *   than parsed
 */
gboolean
gloss_bundle_get_from_cache (GlossBundle *self)
{
  g_return_val_if_fail (GLOSS_IS_BUNDLE (self), FALSE);
  return self->from_cache;
}

/**
 * gloss_bundle_check_source:
 *
 * For a bundle opened from its cache: whether the JSON file still hashes
 * to what it did when the cache was written, and every record of the
 * cache still passes its check. The open trusted the file's identity,
 * size and modification time; this reads everything (about a second for
 * 250 MB; meant for a worker thread). On %FALSE the cache is removed, so
 * opening the file again parses it.
 *
 * Returns: %TRUE when the bundle is what the file says (always, for a
 *   bundle not opened from a cache)
 */
gboolean
gloss_bundle_check_source (GlossBundle   *self,
                           GCancellable  *cancellable,
                           GError       **error)
{
  g_return_val_if_fail (GLOSS_IS_BUNDLE (self), FALSE);

  if (!self->from_cache)
    return TRUE;

  {
    g_autoptr(GError) local_error = NULL;

    if (gloss_cache_verify (self->image, self->source_path, cancellable, &local_error))
      return TRUE;

    if (!g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
      {
        g_debug ("%s: %s; the cache is removed", self->source_path, local_error->message);
        gloss_image_mark_damaged (self->image);
      }
    g_propagate_error (error, g_steal_pointer (&local_error));
    return FALSE;
  }
}

static gpointer
check_thread (gpointer data)
{
  GTask *task = data;
  GError *error = NULL;

  lower_priority ();

  if (gloss_bundle_check_source (g_task_get_source_object (task), g_task_get_cancellable (task),
                                 &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);

  g_object_unref (task);
  return NULL;
}

void
gloss_bundle_check_source_async (GlossBundle         *self,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (GLOSS_IS_BUNDLE (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, gloss_bundle_check_source_async);
  g_task_set_name (task, "[gloss] check bundle cache");
  g_task_set_priority (task, G_PRIORITY_LOW);
  g_thread_unref (g_thread_new ("gloss-check", check_thread, g_steal_pointer (&task)));
}

gboolean
gloss_bundle_check_source_finish (GlossBundle   *self,
                                  GAsyncResult  *result,
                                  GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
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
  return self->n_entries;
}

/* Returns: (transfer none): the entry at @position in file order, made on
 * first use. Any thread. */
GlossEntry *
gloss_bundle_get_entry (GlossBundle *self,
                        guint        position)
{
  GlossEntry *entry;

  g_return_val_if_fail (GLOSS_IS_BUNDLE (self), NULL);
  g_return_val_if_fail (position < self->n_entries, NULL);

  entry = g_atomic_pointer_get (&self->entries[position]);
  if (G_LIKELY (entry != NULL))
    return entry;

  entry = _gloss_entry_new (self->image, position);
  if (!g_atomic_pointer_compare_and_exchange (&self->entries[position], NULL, entry))
    {
      g_object_unref (entry);
      entry = g_atomic_pointer_get (&self->entries[position]);
    }

  return entry;
}

/* Returns: the id of the entry at @position, without making the entry. */
const char *
gloss_bundle_get_entry_id (GlossBundle *self,
                           guint        position)
{
  g_return_val_if_fail (GLOSS_IS_BUNDLE (self), NULL);
  g_return_val_if_fail (position < self->n_entries, NULL);

  return gloss_image_string (self->image, self->image->entries[position].id);
}

/* Returns: the term of the entry at @position, without making the entry. */
const char *
gloss_bundle_get_entry_term (GlossBundle *self,
                             guint        position)
{
  g_return_val_if_fail (GLOSS_IS_BUNDLE (self), NULL);
  g_return_val_if_fail (position < self->n_entries, NULL);

  return gloss_image_string (self->image, self->image->entries[position].term);
}

/* Binary search in the ids' byte order. */
gboolean
gloss_bundle_find_entry (GlossBundle *self,
                         const char  *entry_id,
                         guint       *position)
{
  const guint32 *by_id;
  guint lo = 0;
  guint hi;

  g_return_val_if_fail (GLOSS_IS_BUNDLE (self), FALSE);

  if (entry_id == NULL)
    return FALSE;

  by_id = gloss_image_section (self->image, GLOSS_SECTION_BY_ID, NULL);
  hi = self->n_entries;

  while (lo < hi)
    {
      guint mid = lo + (hi - lo) / 2;
      int cmp = strcmp (gloss_image_string (self->image, self->image->entries[by_id[mid]].id),
                        entry_id);

      if (cmp == 0)
        {
          if (position != NULL)
            *position = by_id[mid];
          return TRUE;
        }
      if (cmp < 0)
        lo = mid + 1;
      else
        hi = mid;
    }

  return FALSE;
}

/* Returns: (transfer none) (nullable): the entry with that id. */
GlossEntry *
gloss_bundle_lookup_entry (GlossBundle *self,
                           const char  *entry_id)
{
  guint position;

  if (!gloss_bundle_find_entry (self, entry_id, &position))
    return NULL;

  return gloss_bundle_get_entry (self, position);
}

/* Returns: the positions of all entries in sidebar order (by term, with the
 * locale's collation). */
const guint *
gloss_bundle_get_sorted (GlossBundle *self,
                         guint       *n_sorted)
{
  g_return_val_if_fail (GLOSS_IS_BUNDLE (self), NULL);
  g_return_val_if_fail (n_sorted != NULL, NULL);

  *n_sorted = self->n_entries;
  return gloss_image_section (self->image, GLOSS_SECTION_SORTED, NULL);
}

/* Returns: (transfer none): the search index, built with the bundle. */
GlossIndex *
gloss_bundle_get_index (GlossBundle *self)
{
  g_return_val_if_fail (GLOSS_IS_BUNDLE (self), NULL);
  return self->index;
}

/* Returns: (transfer none) (element-type GlossProblem): every warning and
 * skipped entry, in the order they were found; made on first use. */
GPtrArray *
gloss_bundle_get_problems (GlossBundle *self)
{
  g_return_val_if_fail (GLOSS_IS_BUNDLE (self), NULL);

  if (g_once_init_enter (&self->problems_ready))
    {
      const GlossCacheProblem *rows;
      const char *strings;
      gsize size;
      GPtrArray *problems;

      rows = gloss_image_section (self->image, GLOSS_SECTION_PROBLEMS, &size);
      strings = gloss_image_section (self->image, GLOSS_SECTION_PROBLEM_STRINGS, NULL);
      problems = g_ptr_array_new_full (size / sizeof *rows,
                                       (GDestroyNotify)gloss_problem_free);
      for (gsize i = 0; i < size / sizeof *rows; i++)
        g_ptr_array_add (problems, gloss_problem_new (rows[i].severity, strings + rows[i].location,
                                                      strings + rows[i].message));
      self->problems = problems;
      g_once_init_leave (&self->problems_ready, 1);
    }

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
