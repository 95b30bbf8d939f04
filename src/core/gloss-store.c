/* gloss-store.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "gloss-store"

#include "config.h"

#include "gloss-store.h"
#include "gloss-store-private.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>

#include "gloss-fold.h"
#include "gloss-prescan.h"

/* g_file_set_contents_full() writes "FILE.XXXXXX", six letters or digits. */
#define TEMP_SUFFIX_LEN 6

struct _GlossStore
{
  GObject             parent_instance;

  char               *path;
  char               *format;
  guint               version;

  GlossStoreLoadFunc  load_func;
  GlossStoreSaveFunc  save_func;
  gpointer            user_data;

  int                 lock_fd;
  GError             *load_error;
  char               *backup_path;

  guint               save_source;
  guint64             changed_gen;  /* bumped by every change */
  guint64             queued_gen;   /* the newest generation handed to a thread */
  guint64             saved_gen;    /* the newest generation known to be on disk */

  /* Held while writing, so that a flush waits for a save running in a
   * thread, and an older version never lands after a newer one. */
  GMutex              write_mutex;
  guint64             written_gen;
  gboolean            write_closed;

  guint               opened : 1;
  guint               closed : 1;
  guint               read_only : 1;
  guint               corrupt : 1;
  guint               failing : 1;
};

enum {
  PROP_0,
  PROP_PATH,
  PROP_FORMAT,
  PROP_VERSION,
  PROP_READ_ONLY,
  PROP_CORRUPT,
  PROP_BACKUP_PATH,
  PROP_FAILING,
  PROP_DIRTY,
  N_PROPS
};

enum {
  SAVE_FAILED,
  N_SIGNALS
};

typedef struct
{
  GBytes  *bytes;
  guint64  gen;
} SaveJob;

G_DEFINE_FINAL_TYPE (GlossStore, gloss_store, G_TYPE_OBJECT)
G_DEFINE_QUARK (gloss-store-error-quark, gloss_store_error)

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static void start_save (GlossStore *self);

static void
save_job_free (gpointer data)
{
  SaveJob *job = data;

  g_bytes_unref (job->bytes);
  g_free (job);
}

static char *
display_name (GlossStore *self)
{
  return g_filename_display_basename (self->path);
}

static gboolean
get_dirty (GlossStore *self)
{
  return self->changed_gen > self->saved_gen;
}

static void
set_load_error (GlossStore *self,
                GError     *error)
{
  g_clear_error (&self->load_error);
  self->load_error = error;
}

static void
set_read_only (GlossStore *self)
{
  if (self->read_only)
    return;

  self->read_only = TRUE;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_READ_ONLY]);
}

static void
set_failing (GlossStore *self,
             gboolean    failing)
{
  if (self->failing == !!failing)
    return;

  self->failing = !!failing;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FAILING]);
}

/* ---- Reading and checking ---------------------------------------------- */

/* Reads at most GLOSS_STORE_MAX_FILE_SIZE bytes, refusing anything that is
 * not a regular file before opening it (opening a FIFO would block). */
GBytes *
gloss_store_read_file (GFile         *file,
                       GCancellable  *cancellable,
                       GError       **error)
{
  g_autoptr(GFileInfo) info = NULL;
  g_autoptr(GFileInputStream) in = NULL;
  g_autoptr(GByteArray) buf = NULL;
  g_autofree char *name = NULL;
  guint8 chunk[64 * 1024];

  g_return_val_if_fail (G_IS_FILE (file), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  info = g_file_query_info (file,
                            G_FILE_ATTRIBUTE_STANDARD_TYPE ","
                            G_FILE_ATTRIBUTE_STANDARD_SIZE ","
                            G_FILE_ATTRIBUTE_STANDARD_DISPLAY_NAME,
                            G_FILE_QUERY_INFO_NONE, cancellable, error);
  if (info == NULL)
    return NULL;

  name = g_strdup (g_file_info_get_display_name (info));

  if (g_file_info_get_file_type (info) != G_FILE_TYPE_REGULAR)
    {
      g_set_error (error, GLOSS_STORE_ERROR, GLOSS_STORE_ERROR_IO,
                   _("“%s” is not a regular file"), name);
      return NULL;
    }

  if (g_file_info_get_size (info) > GLOSS_STORE_MAX_FILE_SIZE)
    goto too_large;

  in = g_file_read (file, cancellable, error);
  if (in == NULL)
    return NULL;

  buf = g_byte_array_new ();
  for (;;)
    {
      gssize n = g_input_stream_read (G_INPUT_STREAM (in), chunk, sizeof chunk,
                                      cancellable, error);

      if (n < 0)
        return NULL;
      if (n == 0)
        break;
      if (buf->len + (gsize)n > GLOSS_STORE_MAX_FILE_SIZE)
        goto too_large;
      g_byte_array_append (buf, chunk, n);
    }

  return g_byte_array_free_to_bytes (g_steal_pointer (&buf));

too_large:
  g_set_error (error, GLOSS_STORE_ERROR, GLOSS_STORE_ERROR_TOO_LARGE,
               _("“%s” is bigger than %d MiB"), name,
               GLOSS_STORE_MAX_FILE_SIZE / (1024 * 1024));
  return NULL;
}

/* Strict JSON only: gloss_prescan() refuses what json-glib would accept
 * wrongly (duplicate keys, invalid UTF-8, deep nesting, comments…), and no
 * store has a number that is not an integer. */
static JsonNode *
parse_strict (const char  *data,
              gsize        length,
              GError     **error)
{
  g_autoptr(GlossScan) scan = NULL;
  g_autoptr(JsonParser) parser = NULL;
  g_autoptr(GError) local_error = NULL;
  GHashTableIter iter;
  gpointer pointer;

  scan = gloss_prescan (data, length, &local_error);
  if (scan == NULL)
    {
      g_set_error (error, GLOSS_STORE_ERROR, GLOSS_STORE_ERROR_INVALID,
                   "%s", local_error->message);
      return NULL;
    }

  g_hash_table_iter_init (&iter, scan->unsafe_numbers);
  if (g_hash_table_iter_next (&iter, &pointer, NULL))
    {
      g_set_error (error, GLOSS_STORE_ERROR, GLOSS_STORE_ERROR_INVALID,
                   _("%s: not a whole number in range"), (const char *)pointer);
      return NULL;
    }

  if (!scan->root_is_object)
    {
      g_set_error (error, GLOSS_STORE_ERROR, GLOSS_STORE_ERROR_INVALID,
                   _("/: expected an object"));
      return NULL;
    }

  parser = json_parser_new_immutable ();
  if (!json_parser_load_from_data (parser, data + scan->root.offset,
                                   scan->root.length, &local_error))
    {
      g_set_error (error, GLOSS_STORE_ERROR, GLOSS_STORE_ERROR_INVALID,
                   "%s", local_error->message);
      return NULL;
    }

  return json_parser_steal_root (parser);
}

/* Parses and checks the header; a newer version is not an error here. */
static JsonObject *
parse_checked (GlossStore  *self,
               GBytes      *bytes,
               gint64      *version,
               GError     **error)
{
  g_autoptr(JsonNode) root = NULL;
  JsonObject *object;
  const char *format;
  gsize length;
  const char *data = g_bytes_get_data (bytes, &length);

  if (length > GLOSS_STORE_MAX_FILE_SIZE)
    {
      g_set_error (error, GLOSS_STORE_ERROR, GLOSS_STORE_ERROR_TOO_LARGE,
                   _("The file is bigger than %d MiB"),
                   GLOSS_STORE_MAX_FILE_SIZE / (1024 * 1024));
      return NULL;
    }

  if (data == NULL)
    data = "";

  root = parse_strict (data, length, error);
  if (root == NULL)
    return NULL;

  object = json_node_get_object (root);

  if (!_gloss_json_get_string (object, "", "format", TRUE, 256, &format, error))
    return NULL;

  if (!g_str_equal (format, self->format))
    {
      g_set_error (error, GLOSS_STORE_ERROR, GLOSS_STORE_ERROR_INVALID,
                   _("/format: expected “%s”, found “%s”"), self->format, format);
      return NULL;
    }

  if (!_gloss_json_get_int (object, "", "version", 1, G_MAXINT32, version, error))
    return NULL;

  return json_object_ref (object);
}

/**
 * gloss_store_parse:
 * @self: a store, for its format and version
 * @bytes: untrusted bytes, such as a file the user imports
 *
 * Parses @bytes strictly and checks its header; refuses a newer version with
 * GLOSS_STORE_ERROR_NEWER_VERSION. Nothing is changed.
 *
 * Returns: (transfer full): the root object
 */
JsonObject *
gloss_store_parse (GlossStore  *self,
                   GBytes      *bytes,
                   GError     **error)
{
  g_autoptr(JsonObject) root = NULL;
  gint64 version = 0;

  g_return_val_if_fail (GLOSS_IS_STORE (self), NULL);
  g_return_val_if_fail (bytes != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  root = parse_checked (self, bytes, &version, error);
  if (root == NULL)
    return NULL;

  if (version > self->version)
    {
      g_set_error (error, GLOSS_STORE_ERROR, GLOSS_STORE_ERROR_NEWER_VERSION,
                   _("The file was written by a newer version of Gloss (%s version %lld)"),
                   self->format, (long long)version);
      return NULL;
    }

  return g_steal_pointer (&root);
}

/* ---- Opening ------------------------------------------------------------ */

static gboolean
acquire_lock (GlossStore  *self,
              GError     **error)
{
  g_autofree char *lock_path = g_strconcat (self->path, ".lock", NULL);
  g_autofree char *name = display_name (self);
  int fd;
  int saved_errno;

  fd = g_open (lock_path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  if (fd < 0)
    {
      saved_errno = errno;
      g_set_error (error, GLOSS_STORE_ERROR, GLOSS_STORE_ERROR_IO,
                   _("“%s” cannot be locked, so changes are not saved: %s"),
                   name, g_strerror (saved_errno));
      return FALSE;
    }

  if (flock (fd, LOCK_EX | LOCK_NB) != 0)
    {
      saved_errno = errno;

      /* A file system without locks: better one writer unchecked than a
       * user who can never save. */
      if (saved_errno == ENOLCK || saved_errno == EINVAL || saved_errno == EOPNOTSUPP)
        {
          g_debug ("No lock for %s: %s", lock_path, g_strerror (saved_errno));
          self->lock_fd = fd;
          return TRUE;
        }

      close (fd);

      if (saved_errno == EWOULDBLOCK)
        g_set_error (error, GLOSS_STORE_ERROR, GLOSS_STORE_ERROR_LOCKED,
                     _("“%s” is in use by another Gloss, so changes made here are not saved"),
                     name);
      else
        g_set_error (error, GLOSS_STORE_ERROR, GLOSS_STORE_ERROR_IO,
                     _("“%s” cannot be locked, so changes are not saved: %s"),
                     name, g_strerror (saved_errno));
      return FALSE;
    }

  self->lock_fd = fd;
  return TRUE;
}

static gboolean
is_temp_sibling (const char *name,
                 const char *base)
{
  gsize base_len = strlen (base);

  if (strncmp (name, base, base_len) != 0 || name[base_len] != '.')
    return FALSE;

  name += base_len + 1;
  if (strlen (name) != TEMP_SUFFIX_LEN)
    return FALSE;

  for (guint i = 0; i < TEMP_SUFFIX_LEN; i++)
    if (!g_ascii_isalnum (name[i]))
      return FALSE;

  return TRUE;
}

/* A crash during g_file_set_contents_full() leaves "FILE.XXXXXX" behind.
 * Only the lock holder may remove them: another writer's temporary file
 * would be live. */
static void
remove_stale_temporaries (GlossStore *self)
{
  g_autofree char *dir_path = g_path_get_dirname (self->path);
  g_autofree char *base = g_path_get_basename (self->path);
  g_autoptr(GDir) dir = NULL;
  const char *name;

  dir = g_dir_open (dir_path, 0, NULL);
  if (dir == NULL)
    return;

  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *full = NULL;
      GStatBuf st;

      if (!is_temp_sibling (name, base))
        continue;

      full = g_build_filename (dir_path, name, NULL);
      if (g_lstat (full, &st) == 0 && S_ISREG (st.st_mode) && g_unlink (full) == 0)
        g_debug ("Removed stale temporary file %s", full);
    }
}

static char *
pick_backup_path (GlossStore *self)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *stamp = g_date_time_format (now, "%Y%m%d-%H%M%S");
  char *path = g_strdup_printf ("%s.corrupt-%s", self->path, stamp);

  for (guint i = 2; g_file_test (path, G_FILE_TEST_EXISTS | G_FILE_TEST_IS_SYMLINK); i++)
    {
      g_free (path);
      path = g_strdup_printf ("%s.corrupt-%s-%u", self->path, stamp, i);
    }

  return path;
}

/* The file's bytes were refused: move it aside so that the user's data is
 * never overwritten, and start empty. */
static void
quarantine (GlossStore *self,
            GError     *reason)
{
  g_autofree char *name = display_name (self);
  g_autofree char *backup = NULL;
  g_autofree char *backup_name = NULL;
  int saved_errno;

  if (self->lock_fd < 0)
    {
      set_read_only (self);
      set_load_error (self, g_error_new (GLOSS_STORE_ERROR, reason->code,
                                         _("“%s” cannot be read (%s); it is left as it is "
                                           "and changes are not saved"),
                                         name, reason->message));
      return;
    }

  backup = pick_backup_path (self);
  if (g_rename (self->path, backup) != 0)
    {
      saved_errno = errno;
      set_read_only (self);
      set_load_error (self, g_error_new (GLOSS_STORE_ERROR, GLOSS_STORE_ERROR_IO,
                                         _("“%s” cannot be read (%s) nor moved aside (%s); "
                                           "it is left as it is and changes are not saved"),
                                         name, reason->message, g_strerror (saved_errno)));
      return;
    }

  backup_name = g_filename_display_basename (backup);
  self->corrupt = TRUE;
  self->backup_path = g_steal_pointer (&backup);
  set_load_error (self, g_error_new (GLOSS_STORE_ERROR, reason->code,
                                     _("“%s” could not be read (%s); it was kept as “%s” "
                                       "and Gloss starts afresh"),
                                     name, reason->message, backup_name));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CORRUPT]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BACKUP_PATH]);
}

/**
 * gloss_store_open:
 * @self: a store
 * @load_func: reads a checked root object into the owner
 * @save_func: writes the owner's members
 * @user_data: the owner
 *
 * Takes the lock, removes stale temporary files, reads the file and hands it
 * to @load_func. Never fails: a missing file is an empty state, and every
 * other problem leaves an empty or read-only state with
 * gloss_store_get_load_error() set (see the top of gloss-store.h). The
 * owner must call gloss_store_close() before it goes away.
 */
void
gloss_store_open (GlossStore         *self,
                  GlossStoreLoadFunc  load_func,
                  GlossStoreSaveFunc  save_func,
                  gpointer            user_data)
{
  g_autofree char *dir = NULL;
  g_autofree char *name = NULL;
  g_autoptr(GFile) file = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(JsonObject) root = NULL;
  g_autoptr(GError) error = NULL;
  gint64 version = 0;

  g_return_if_fail (GLOSS_IS_STORE (self));
  g_return_if_fail (load_func != NULL);
  g_return_if_fail (save_func != NULL);
  g_return_if_fail (!self->opened);

  self->opened = TRUE;
  self->load_func = load_func;
  self->save_func = save_func;
  self->user_data = user_data;

  name = display_name (self);
  dir = g_path_get_dirname (self->path);
  g_mkdir_with_parents (dir, 0700);

  if (acquire_lock (self, &error))
    remove_stale_temporaries (self);
  else
    {
      set_read_only (self);
      set_load_error (self, g_steal_pointer (&error));
    }

  file = g_file_new_for_path (self->path);
  bytes = gloss_store_read_file (file, NULL, &error);
  if (bytes == NULL)
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND))
        return;

      if (g_error_matches (error, GLOSS_STORE_ERROR, GLOSS_STORE_ERROR_TOO_LARGE))
        {
          quarantine (self, error);
          return;
        }

      set_read_only (self);
      set_load_error (self, g_error_new (GLOSS_STORE_ERROR, GLOSS_STORE_ERROR_IO,
                                         _("“%s” cannot be read (%s); it is left as it is "
                                           "and changes are not saved"),
                                         name, error->message));
      return;
    }

  root = parse_checked (self, bytes, &version, &error);
  if (root == NULL)
    {
      quarantine (self, error);
      return;
    }

  if (version > self->version)
    {
      /* Show what can be read, never write over it. */
      set_read_only (self);
      set_load_error (self, g_error_new (GLOSS_STORE_ERROR, GLOSS_STORE_ERROR_NEWER_VERSION,
                                         _("“%s” was written by a newer version of Gloss; "
                                           "it is shown but not changed"),
                                         name));
      if (!self->load_func (root, self->user_data, &error))
        g_debug ("Newer %s not readable: %s", self->path, error->message);
      return;
    }

  if (!self->load_func (root, self->user_data, &error))
    quarantine (self, error);
}

/* ---- Writing ------------------------------------------------------------ */

static void
sync_directory (const char *path)
{
  g_autofree char *dir = g_path_get_dirname (path);
  int fd = g_open (dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC, 0);

  if (fd >= 0)
    {
      fsync (fd);
      close (fd);
    }
}

/* Runs in the main thread for a flush and in a worker for a debounced
 * save. */
static gboolean
write_bytes (GlossStore  *self,
             GBytes      *bytes,
             guint64      gen,
             GError     **error)
{
  g_autoptr(GError) local_error = NULL;
  gboolean ok = TRUE;

  g_mutex_lock (&self->write_mutex);

  if (!self->write_closed && gen > self->written_gen)
    {
      g_autofree char *dir = g_path_get_dirname (self->path);
      gsize length;
      const char *data = g_bytes_get_data (bytes, &length);

      g_mkdir_with_parents (dir, 0700);

      ok = g_file_set_contents_full (self->path, data, length,
                                     G_FILE_SET_CONTENTS_CONSISTENT |
                                     G_FILE_SET_CONTENTS_DURABLE,
                                     0600, &local_error);
      if (ok)
        {
          sync_directory (self->path);
          self->written_gen = gen;
        }
      else
        g_set_error (error, GLOSS_STORE_ERROR, GLOSS_STORE_ERROR_IO,
                     "%s", local_error->message);
    }

  g_mutex_unlock (&self->write_mutex);

  return ok;
}

static void
mark_saved (GlossStore *self,
            guint64     gen)
{
  gboolean was_dirty = get_dirty (self);

  if (gen > self->saved_gen)
    self->saved_gen = gen;

  set_failing (self, FALSE);

  if (was_dirty && !get_dirty (self))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DIRTY]);
}

static gboolean
retry_timeout (gpointer data)
{
  GlossStore *self = data;

  self->save_source = 0;
  start_save (self);

  return G_SOURCE_REMOVE;
}

/* Emits ::save-failed when saving starts failing, not for every attempt
 * while it keeps failing (#GlossStore:failing stays TRUE), and tries again
 * later by itself. */
static void
save_failed (GlossStore   *self,
             const GError *error)
{
  gboolean was_failing = self->failing;

  g_debug ("Saving %s failed: %s", self->path, error->message);

  self->queued_gen = self->saved_gen;

  if (self->save_source == 0 && !self->closed)
    self->save_source = g_timeout_add (GLOSS_STORE_RETRY_DELAY_MS, retry_timeout, self);

  set_failing (self, TRUE);

  if (!was_failing)
    g_signal_emit (self, signals[SAVE_FAILED], 0, error);
}

static void
save_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  GlossStore *self = source_object;
  SaveJob *job = task_data;
  GError *error = NULL;

  if (write_bytes (self, job->bytes, job->gen, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

static void
save_done (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  GlossStore *self = GLOSS_STORE (object);
  SaveJob *job = g_task_get_task_data (G_TASK (result));
  g_autoptr(GError) error = NULL;

  if (g_task_propagate_boolean (G_TASK (result), &error))
    mark_saved (self, job->gen);
  else if (job->gen > self->saved_gen)
    save_failed (self, error);
}

static void
start_save (GlossStore *self)
{
  g_autoptr(GTask) task = NULL;
  SaveJob *job;

  if (self->closed || self->read_only || self->changed_gen <= self->queued_gen)
    return;

  job = g_new0 (SaveJob, 1);
  job->bytes = gloss_store_serialize (self);
  job->gen = self->changed_gen;
  self->queued_gen = job->gen;

  task = g_task_new (self, NULL, save_done, NULL);
  g_task_set_source_tag (task, start_save);
  g_task_set_task_data (task, job, save_job_free);
  g_task_run_in_thread (task, save_thread);
}

static gboolean
save_timeout (gpointer data)
{
  GlossStore *self = data;

  self->save_source = 0;
  start_save (self);

  return G_SOURCE_REMOVE;
}

/* json-glib 1.6 writes U+001F raw, which no strict reader (ours included)
 * accepts: the stores write JSON themselves. Strings are valid UTF-8,
 * checked on the way in. */
static void
append_string (GString    *out,
               const char *str)
{
  g_string_append_c (out, '"');

  for (const guchar *p = (const guchar *)str; *p != '\0'; p++)
    {
      switch (*p)
        {
        case '"':
          g_string_append (out, "\\\"");
          break;

        case '\\':
          g_string_append (out, "\\\\");
          break;

        case '\b':
          g_string_append (out, "\\b");
          break;

        case '\f':
          g_string_append (out, "\\f");
          break;

        case '\n':
          g_string_append (out, "\\n");
          break;

        case '\r':
          g_string_append (out, "\\r");
          break;

        case '\t':
          g_string_append (out, "\\t");
          break;

        default:
          if (*p < 0x20)
            g_string_append_printf (out, "\\u%04x", *p);
          else
            g_string_append_c (out, *p);
        }
    }

  g_string_append_c (out, '"');
}

static void
append_indent (GString *out,
               guint    depth)
{
  g_string_append_c (out, '\n');
  for (guint i = 0; i < depth; i++)
    g_string_append (out, "  ");
}

static void
append_node (GString  *out,
             JsonNode *node,
             guint     depth)
{
  switch (json_node_get_node_type (node))
    {
    case JSON_NODE_OBJECT:
      {
        JsonObjectIter iter;
        const char *name;
        JsonNode *member;
        gboolean first = TRUE;

        g_string_append_c (out, '{');
        json_object_iter_init_ordered (&iter, json_node_get_object (node));
        while (json_object_iter_next_ordered (&iter, &name, &member))
          {
            if (!first)
              g_string_append_c (out, ',');
            first = FALSE;
            append_indent (out, depth + 1);
            append_string (out, name);
            g_string_append (out, ": ");
            append_node (out, member, depth + 1);
          }
        if (!first)
          append_indent (out, depth);
        g_string_append_c (out, '}');
      }
      break;

    case JSON_NODE_ARRAY:
      {
        JsonArray *array = json_node_get_array (node);
        guint n = json_array_get_length (array);

        g_string_append_c (out, '[');
        for (guint i = 0; i < n; i++)
          {
            if (i > 0)
              g_string_append_c (out, ',');
            append_indent (out, depth + 1);
            append_node (out, json_array_get_element (array, i), depth + 1);
          }
        if (n > 0)
          append_indent (out, depth);
        g_string_append_c (out, ']');
      }
      break;

    case JSON_NODE_VALUE:
      switch (json_node_get_value_type (node))
        {
        case G_TYPE_STRING:
          append_string (out, json_node_get_string (node));
          break;

        case G_TYPE_INT64:
          g_string_append_printf (out, "%" G_GINT64_FORMAT, json_node_get_int (node));
          break;

        case G_TYPE_BOOLEAN:
          g_string_append (out, json_node_get_boolean (node) ? "true" : "false");
          break;

        default:
          g_assert_not_reached ();
        }
      break;

    case JSON_NODE_NULL:
    default:
      g_string_append (out, "null");
      break;
    }
}

/**
 * gloss_store_serialize:
 * @self: an opened store
 *
 * The bytes the store would write now: the header and the owner's members,
 * indented by two spaces. Export uses it too.
 *
 * Returns: (transfer full): UTF-8 JSON ending in a newline
 */
GBytes *
gloss_store_serialize (GlossStore *self)
{
  g_autoptr(JsonBuilder) builder = NULL;
  g_autoptr(JsonNode) root = NULL;
  GString *out;

  g_return_val_if_fail (GLOSS_IS_STORE (self), NULL);

  builder = json_builder_new_immutable ();
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "format");
  json_builder_add_string_value (builder, self->format);
  json_builder_set_member_name (builder, "version");
  json_builder_add_int_value (builder, self->version);
  if (self->save_func != NULL)
    self->save_func (builder, self->user_data);
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  out = g_string_sized_new (4096);
  append_node (out, root, 0);
  g_string_append_c (out, '\n');

  return g_string_free_to_bytes (out);
}

/**
 * gloss_store_changed:
 * @self: a store
 *
 * Says the owner's state changed: a save runs in a thread
 * GLOSS_STORE_SAVE_DELAY_MS later, once for any number of changes.
 */
void
gloss_store_changed (GlossStore *self)
{
  gboolean was_dirty;

  g_return_if_fail (GLOSS_IS_STORE (self));

  if (!self->opened || self->closed || self->read_only)
    return;

  was_dirty = get_dirty (self);
  self->changed_gen++;

  if (!was_dirty)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DIRTY]);

  if (self->save_source == 0)
    self->save_source = g_timeout_add (GLOSS_STORE_SAVE_DELAY_MS, save_timeout, self);
}

/**
 * gloss_store_flush:
 * @self: a store
 * @error: where to say why saving failed
 *
 * Writes pending changes now, in this thread, after any save running in a
 * thread. The app calls it on quit. A failure also emits ::save-failed
 * (when saving was not already failing); the file on disk is then the old
 * one, intact.
 *
 * Returns: TRUE when nothing is left unsaved (a read-only store has
 *   nothing to save)
 */
gboolean
gloss_store_flush (GlossStore  *self,
                   GError     **error)
{
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) local_error = NULL;
  guint64 gen;

  g_return_val_if_fail (GLOSS_IS_STORE (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  g_clear_handle_id (&self->save_source, g_source_remove);

  if (!self->opened || self->read_only || !get_dirty (self))
    return TRUE;

  bytes = gloss_store_serialize (self);
  gen = self->changed_gen;

  if (!write_bytes (self, bytes, gen, &local_error))
    {
      save_failed (self, local_error);
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }

  mark_saved (self, gen);
  return TRUE;
}

/**
 * gloss_store_close:
 * @self: a store
 *
 * Flushes, forgets the owner and releases the lock; later changes are
 * ignored. Called by the owner when it goes away, and by dispose.
 */
void
gloss_store_close (GlossStore *self)
{
  g_return_if_fail (GLOSS_IS_STORE (self));

  if (self->closed)
    return;

  gloss_store_flush (self, NULL);

  self->closed = TRUE;
  g_clear_handle_id (&self->save_source, g_source_remove);

  /* A save still queued in a thread must not write once the lock is gone. */
  g_mutex_lock (&self->write_mutex);
  self->write_closed = TRUE;
  g_mutex_unlock (&self->write_mutex);

  self->load_func = NULL;
  self->save_func = NULL;
  self->user_data = NULL;

  if (self->lock_fd >= 0)
    {
      close (self->lock_fd);
      self->lock_fd = -1;
    }
}

/**
 * gloss_store_check_writable:
 * @self: a store
 * @error: the reason, GLOSS_STORE_ERROR_READ_ONLY
 *
 * The owners call it before a change.
 */
gboolean
gloss_store_check_writable (GlossStore  *self,
                            GError     **error)
{
  g_return_val_if_fail (GLOSS_IS_STORE (self), FALSE);

  if (!self->read_only && !self->closed)
    return TRUE;

  if (self->load_error != NULL)
    g_set_error (error, GLOSS_STORE_ERROR, GLOSS_STORE_ERROR_READ_ONLY,
                 "%s", self->load_error->message);
  else
    {
      g_autofree char *name = display_name (self);

      g_set_error (error, GLOSS_STORE_ERROR, GLOSS_STORE_ERROR_READ_ONLY,
                   _("“%s” cannot be changed"), name);
    }

  return FALSE;
}

/* ---- GObject ------------------------------------------------------------ */

/**
 * gloss_store_default_path:
 * @name: "bookmarks", "history" or "library"
 *
 * Returns: (transfer full): `$XDG_DATA_HOME/gloss/NAME.json`
 */
char *
gloss_store_default_path (const char *name)
{
  g_autofree char *file_name = NULL;

  g_return_val_if_fail (name != NULL, NULL);

  file_name = g_strconcat (name, ".json", NULL);
  return g_build_filename (g_get_user_data_dir (), "gloss", file_name, NULL);
}

/**
 * gloss_store_new:
 * @path: the JSON file, which need not exist
 * @format: the "format" of the header, such as "gloss-bookmarks"
 * @version: the newest version this Gloss writes
 *
 * Returns: (transfer full): a store, to be opened by its owner
 */
GlossStore *
gloss_store_new (const char *path,
                 const char *format,
                 guint       version)
{
  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (format != NULL, NULL);
  g_return_val_if_fail (version > 0, NULL);

  return g_object_new (GLOSS_TYPE_STORE,
                       "path", path,
                       "format", format,
                       "version", version,
                       NULL);
}

static void
gloss_store_dispose (GObject *object)
{
  GlossStore *self = (GlossStore *)object;

  gloss_store_close (self);

  G_OBJECT_CLASS (gloss_store_parent_class)->dispose (object);
}

static void
gloss_store_finalize (GObject *object)
{
  GlossStore *self = (GlossStore *)object;

  g_free (self->path);
  g_free (self->format);
  g_free (self->backup_path);
  g_clear_error (&self->load_error);
  g_mutex_clear (&self->write_mutex);

  G_OBJECT_CLASS (gloss_store_parent_class)->finalize (object);
}

static void
gloss_store_get_property (GObject    *object,
                          guint       prop_id,
                          GValue     *value,
                          GParamSpec *pspec)
{
  GlossStore *self = GLOSS_STORE (object);

  switch (prop_id)
    {
    case PROP_PATH:
      g_value_set_string (value, self->path);
      break;

    case PROP_FORMAT:
      g_value_set_string (value, self->format);
      break;

    case PROP_VERSION:
      g_value_set_uint (value, self->version);
      break;

    case PROP_READ_ONLY:
      g_value_set_boolean (value, self->read_only);
      break;

    case PROP_CORRUPT:
      g_value_set_boolean (value, self->corrupt);
      break;

    case PROP_BACKUP_PATH:
      g_value_set_string (value, self->backup_path);
      break;

    case PROP_FAILING:
      g_value_set_boolean (value, self->failing);
      break;

    case PROP_DIRTY:
      g_value_set_boolean (value, get_dirty (self));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
gloss_store_set_property (GObject      *object,
                          guint         prop_id,
                          const GValue *value,
                          GParamSpec   *pspec)
{
  GlossStore *self = GLOSS_STORE (object);

  switch (prop_id)
    {
    case PROP_PATH:
      self->path = g_value_dup_string (value);
      break;

    case PROP_FORMAT:
      self->format = g_value_dup_string (value);
      break;

    case PROP_VERSION:
      self->version = g_value_get_uint (value);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
gloss_store_class_init (GlossStoreClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = gloss_store_dispose;
  object_class->finalize = gloss_store_finalize;
  object_class->get_property = gloss_store_get_property;
  object_class->set_property = gloss_store_set_property;

  properties[PROP_PATH] =
    g_param_spec_string ("path", NULL, NULL,
                         NULL,
                         (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY |
                          G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY));

  properties[PROP_FORMAT] =
    g_param_spec_string ("format", NULL, NULL,
                         NULL,
                         (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY |
                          G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY));

  properties[PROP_VERSION] =
    g_param_spec_uint ("version", NULL, NULL,
                       1, G_MAXINT32, 1,
                       (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY |
                        G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY));

  /* Another Gloss holds the lock, the file could not be read or moved
   * aside, or was written by a newer Gloss: nothing is written. */
  properties[PROP_READ_ONLY] =
    g_param_spec_boolean ("read-only", NULL, NULL,
                          FALSE,
                          (G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY));

  /* The file was refused and renamed to #GlossStore:backup-path. */
  properties[PROP_CORRUPT] =
    g_param_spec_boolean ("corrupt", NULL, NULL,
                          FALSE,
                          (G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY));

  properties[PROP_BACKUP_PATH] =
    g_param_spec_string ("backup-path", NULL, NULL,
                         NULL,
                         (G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY));

  /* The last save failed; TRUE until one succeeds. Bind a banner to it. */
  properties[PROP_FAILING] =
    g_param_spec_boolean ("failing", NULL, NULL,
                          FALSE,
                          (G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY));

  /* Changes not yet on disk. */
  properties[PROP_DIRTY] =
    g_param_spec_boolean ("dirty", NULL, NULL,
                          FALSE,
                          (G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY));

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * GlossStore::save-failed:
   * @self: the store
   * @error: why, GLOSS_STORE_ERROR_IO with the system's reason
   *
   * Saving started failing; the old file is intact. Not emitted again
   * until a save succeeded (#GlossStore:failing goes back to FALSE).
   */
  signals[SAVE_FAILED] =
    g_signal_new ("save-failed",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_ERROR);
}

static void
gloss_store_init (GlossStore *self)
{
  self->lock_fd = -1;
  g_mutex_init (&self->write_mutex);
}

const char *
gloss_store_get_path (GlossStore *self)
{
  g_return_val_if_fail (GLOSS_IS_STORE (self), NULL);

  return self->path;
}

const char *
gloss_store_get_format (GlossStore *self)
{
  g_return_val_if_fail (GLOSS_IS_STORE (self), NULL);

  return self->format;
}

guint
gloss_store_get_version (GlossStore *self)
{
  g_return_val_if_fail (GLOSS_IS_STORE (self), 0);

  return self->version;
}

gboolean
gloss_store_get_read_only (GlossStore *self)
{
  g_return_val_if_fail (GLOSS_IS_STORE (self), FALSE);

  return self->read_only;
}

gboolean
gloss_store_get_corrupt (GlossStore *self)
{
  g_return_val_if_fail (GLOSS_IS_STORE (self), FALSE);

  return self->corrupt;
}

const char *
gloss_store_get_backup_path (GlossStore *self)
{
  g_return_val_if_fail (GLOSS_IS_STORE (self), NULL);

  return self->backup_path;
}

/**
 * gloss_store_get_load_error:
 * @self: a store
 *
 * What the user should be told once about opening the file, or NULL when
 * all went well. The message is a whole sentence naming the file. Codes:
 * GLOSS_STORE_ERROR_INVALID or _TOO_LARGE (the file was refused: renamed
 * aside when #GlossStore:corrupt, else left alone and the store read-only),
 * _LOCKED, _NEWER_VERSION and _IO (read-only).
 */
const GError *
gloss_store_get_load_error (GlossStore *self)
{
  g_return_val_if_fail (GLOSS_IS_STORE (self), NULL);

  return self->load_error;
}

gboolean
gloss_store_get_failing (GlossStore *self)
{
  g_return_val_if_fail (GLOSS_IS_STORE (self), FALSE);

  return self->failing;
}

gboolean
gloss_store_get_dirty (GlossStore *self)
{
  g_return_val_if_fail (GLOSS_IS_STORE (self), FALSE);

  return get_dirty (self);
}

/* ---- Helpers for the stores (gloss-store-private.h) --------------------- */

static JsonNode *
get_member (JsonObject *object,
            const char *member)
{
  JsonNode *node = json_object_get_member (object, member);

  if (node != NULL && JSON_NODE_HOLDS_NULL (node))
    return NULL;

  return node;
}

static gboolean
holds_type (JsonNode *node,
            GType     type)
{
  return JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == type;
}

gboolean
_gloss_json_get_string (JsonObject   *object,
                        const char   *pointer,
                        const char   *member,
                        gboolean      required,
                        gsize         max_bytes,
                        const char  **value,
                        GError      **error)
{
  JsonNode *node = get_member (object, member);
  const char *str;

  *value = NULL;

  if (node == NULL)
    {
      if (!required)
        return TRUE;

      g_set_error (error, GLOSS_STORE_ERROR, GLOSS_STORE_ERROR_INVALID,
                   _("%s/%s: missing"), pointer, member);
      return FALSE;
    }

  if (!holds_type (node, G_TYPE_STRING))
    {
      g_set_error (error, GLOSS_STORE_ERROR, GLOSS_STORE_ERROR_INVALID,
                   _("%s/%s: expected a string"), pointer, member);
      return FALSE;
    }

  str = json_node_get_string (node);

  if (strlen (str) > max_bytes)
    {
      g_set_error (error, GLOSS_STORE_ERROR, GLOSS_STORE_ERROR_INVALID,
                   _("%s/%s: longer than %zu bytes"),
                   pointer, member, (size_t)max_bytes);
      return FALSE;
    }

  /* json-glib was handed prescanned bytes; checked again because a string
   * that is not UTF-8 would make every later save unreadable. */
  if (!g_utf8_validate (str, -1, NULL))
    {
      g_set_error (error, GLOSS_STORE_ERROR, GLOSS_STORE_ERROR_INVALID,
                   _("%s/%s: not valid UTF-8"), pointer, member);
      return FALSE;
    }

  if (required && *str == '\0')
    {
      g_set_error (error, GLOSS_STORE_ERROR, GLOSS_STORE_ERROR_INVALID,
                   _("%s/%s: empty"), pointer, member);
      return FALSE;
    }

  *value = str;
  return TRUE;
}

gboolean
_gloss_json_get_int (JsonObject  *object,
                     const char  *pointer,
                     const char  *member,
                     gint64       min,
                     gint64       max,
                     gint64      *value,
                     GError     **error)
{
  JsonNode *node = get_member (object, member);
  gint64 n;

  if (node == NULL)
    {
      g_set_error (error, GLOSS_STORE_ERROR, GLOSS_STORE_ERROR_INVALID,
                   _("%s/%s: missing"), pointer, member);
      return FALSE;
    }

  if (!holds_type (node, G_TYPE_INT64))
    {
      g_set_error (error, GLOSS_STORE_ERROR, GLOSS_STORE_ERROR_INVALID,
                   _("%s/%s: expected a whole number"), pointer, member);
      return FALSE;
    }

  n = json_node_get_int (node);
  if (n < min || n > max)
    {
      g_set_error (error, GLOSS_STORE_ERROR, GLOSS_STORE_ERROR_INVALID,
                   _("%s/%s: %lld is outside %lld–%lld"),
                   pointer, member, (long long)n, (long long)min, (long long)max);
      return FALSE;
    }

  *value = n;
  return TRUE;
}

gboolean
_gloss_json_get_boolean (JsonObject  *object,
                         const char  *pointer,
                         const char  *member,
                         gboolean    *value,
                         GError     **error)
{
  JsonNode *node = get_member (object, member);

  if (node == NULL)
    return TRUE;

  if (!holds_type (node, G_TYPE_BOOLEAN))
    {
      g_set_error (error, GLOSS_STORE_ERROR, GLOSS_STORE_ERROR_INVALID,
                   _("%s/%s: expected true or false"), pointer, member);
      return FALSE;
    }

  *value = json_node_get_boolean (node);
  return TRUE;
}

gboolean
_gloss_json_get_time (JsonObject  *object,
                      const char  *pointer,
                      const char  *member,
                      GDateTime  **value,
                      GError     **error)
{
  g_autoptr(GDateTime) time = NULL;
  const char *str;

  *value = NULL;

  if (!_gloss_json_get_string (object, pointer, member, TRUE, 64, &str, error))
    return FALSE;

  /* No default time zone: a time without one is refused. */
  time = g_date_time_new_from_iso8601 (str, NULL);
  if (time != NULL)
    *value = g_date_time_to_utc (time);

  if (*value == NULL)
    {
      g_set_error (error, GLOSS_STORE_ERROR, GLOSS_STORE_ERROR_INVALID,
                   _("%s/%s: not an ISO 8601 date and time with a time zone"),
                   pointer, member);
      return FALSE;
    }

  return TRUE;
}

JsonArray *
_gloss_json_get_array (JsonObject  *object,
                       const char  *member,
                       guint        max_length,
                       GError     **error)
{
  JsonNode *node = get_member (object, member);
  JsonArray *array;

  if (node == NULL)
    return json_array_new ();

  if (!JSON_NODE_HOLDS_ARRAY (node))
    {
      g_set_error (error, GLOSS_STORE_ERROR, GLOSS_STORE_ERROR_INVALID,
                   _("/%s: expected an array"), member);
      return NULL;
    }

  array = json_node_get_array (node);
  if (json_array_get_length (array) > max_length)
    {
      g_set_error (error, GLOSS_STORE_ERROR, GLOSS_STORE_ERROR_INVALID,
                   g_dngettext (GETTEXT_PACKAGE, "/%s: more than %u item",
                                "/%s: more than %u items", max_length),
                   member, max_length);
      return NULL;
    }

  return json_array_ref (array);
}

JsonObject *
_gloss_json_array_object (JsonArray   *array,
                          guint        index,
                          const char  *pointer,
                          GError     **error)
{
  JsonNode *node = json_array_get_element (array, index);

  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      g_set_error (error, GLOSS_STORE_ERROR, GLOSS_STORE_ERROR_INVALID,
                   _("%s: expected an object"), pointer);
      return NULL;
    }

  return json_node_get_object (node);
}

void
_gloss_json_add_string (JsonBuilder *builder,
                        const char  *member,
                        const char  *value)
{
  if (value == NULL)
    return;

  json_builder_set_member_name (builder, member);
  json_builder_add_string_value (builder, value);
}

void
_gloss_json_add_time (JsonBuilder *builder,
                      const char  *member,
                      GDateTime   *value)
{
  g_autofree char *str = g_date_time_format_iso8601 (value);

  json_builder_set_member_name (builder, member);
  json_builder_add_string_value (builder, str);
}

GDateTime *
_gloss_store_now (void)
{
  return g_date_time_new_now_utc ();
}

char **
_gloss_store_query_words (const char *query)
{
  g_autofree char *valid = NULL;
  g_autofree char *folded = NULL;
  g_auto(GStrv) parts = NULL;
  GPtrArray *words;

  if (query == NULL)
    return NULL;

  valid = g_utf8_make_valid (query, -1);
  folded = gloss_fold (valid, -1);
  parts = g_strsplit_set (folded, " \t\n\r\f\v", -1);

  words = g_ptr_array_new ();
  for (guint i = 0; parts[i] != NULL; i++)
    if (parts[i][0] != '\0')
      g_ptr_array_add (words, g_strdup (parts[i]));

  if (words->len == 0)
    {
      g_ptr_array_free (words, TRUE);
      return NULL;
    }

  g_ptr_array_add (words, NULL);
  return (char **)g_ptr_array_free (words, FALSE);
}

gboolean
_gloss_store_words_match (const char   *folded_text,
                          char * const *words)
{
  if (words == NULL)
    return TRUE;

  for (guint i = 0; words[i] != NULL; i++)
    if (strstr (folded_text, words[i]) == NULL)
      return FALSE;

  return TRUE;
}

char *
_gloss_store_pair_key (const char *bundle_key,
                       const char *entry_id)
{
  return g_strdup_printf ("%" G_GSIZE_FORMAT ":%s\n%s",
                          strlen (bundle_key), bundle_key, entry_id);
}
