/* gloss-store.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* The persistence engine under bookmarks, history and the library: one JSON
 * file of user data, read strictly, written atomically and durably, by one
 * process at a time.
 *
 * Every file has the same header, then the members of its store:
 *
 *   { "format": "gloss-bookmarks", "version": 1, "bookmarks": [ … ] }
 *
 * The formats are described in gloss-bookmarks.h, gloss-history.h and
 * gloss-library.h. A file is refused when it is not strict JSON (see
 * gloss_prescan()), is bigger than GLOSS_STORE_MAX_FILE_SIZE, has another
 * "format", or a "version" that is not a positive integer; members a store
 * does not know are ignored, so that an older Gloss reads a newer file of
 * the same version.
 *
 * Writes go through g_file_set_contents_full() with
 * G_FILE_SET_CONTENTS_CONSISTENT | G_FILE_SET_CONTENTS_DURABLE and mode
 * 0600: a temporary sibling "FILE.XXXXXX", fsync, rename, then an fsync of
 * the directory. A crash leaves either the old or the new file, and maybe a
 * stale temporary sibling, which the next start removes.
 *
 * One writer per file: the store takes an advisory lock (flock) on
 * "FILE.lock" when it opens. A second store on the same file, in this or
 * another process, loads the data but is read-only: it never writes, and the
 * models on top of it refuse changes with GLOSS_STORE_ERROR_READ_ONLY.
 *
 * A file that exists but cannot be used is never overwritten: when its bytes
 * are refused it is renamed to "FILE.corrupt-YYYYMMDD-HHMMSS" (local time)
 * and the store starts empty with #GlossStore:corrupt set; when it cannot be
 * read at all (permissions, I/O errors), was written by a newer Gloss, or
 * cannot be moved aside, the store is read-only. Either way
 * gloss_store_get_load_error() says what happened, for the UI to tell the
 * user once. */

#define GLOSS_STORE_ERROR (gloss_store_error_quark ())

typedef enum
{
  /* Reading or writing failed: permissions, full disk, read-only file
   * system, I/O error. The message names the file and the reason. */
  GLOSS_STORE_ERROR_IO,
  /* The bytes are not a file of the expected format: syntax, wrong types,
   * missing members, limits. The message starts with the location, a
   * "LINE:COLUMN" or a JSON Pointer such as "/bookmarks/3/entry". */
  GLOSS_STORE_ERROR_INVALID,
  /* Bigger than GLOSS_STORE_MAX_FILE_SIZE. */
  GLOSS_STORE_ERROR_TOO_LARGE,
  /* The "version" is newer than this Gloss understands. */
  GLOSS_STORE_ERROR_NEWER_VERSION,
  /* Another Gloss holds the file's lock: this store is read-only. */
  GLOSS_STORE_ERROR_LOCKED,
  /* A change was refused because the store is read-only. */
  GLOSS_STORE_ERROR_READ_ONLY,
  /* The item to change is not in the store (removed meanwhile). */
  GLOSS_STORE_ERROR_NOT_FOUND,
} GlossStoreError;

/* Files (and imports) bigger than this are refused before parsing. */
#define GLOSS_STORE_MAX_FILE_SIZE (16 * 1024 * 1024)

/* How long after a change the debounced save runs. */
#define GLOSS_STORE_SAVE_DELAY_MS 500

/* How long after a failed save the store tries again by itself. */
#define GLOSS_STORE_RETRY_DELAY_MS 10000

/* Size limits of the strings in every store, in bytes. */
#define GLOSS_STORE_MAX_KEY   4096   /* bundle keys, entry ids, paths */
#define GLOSS_STORE_MAX_TEXT  8192   /* terms and titles */
#define GLOSS_STORE_MAX_NOTE  65536  /* bookmark notes */

/* Reads the members of a checked root object into the owner. Must validate
 * everything before changing anything, and return FALSE with
 * GLOSS_STORE_ERROR_INVALID when something is wrong. */
typedef gboolean (*GlossStoreLoadFunc) (JsonObject  *root,
                                        gpointer     user_data,
                                        GError     **error);

/* Adds the owner's members to the root object being built, after "format"
 * and "version". */
typedef void     (*GlossStoreSaveFunc) (JsonBuilder *builder,
                                        gpointer     user_data);

#define GLOSS_TYPE_STORE (gloss_store_get_type ())

G_DECLARE_FINAL_TYPE (GlossStore, gloss_store, GLOSS, STORE, GObject)

GQuark        gloss_store_error_quark     (void);

char         *gloss_store_default_path    (const char          *name);

GlossStore   *gloss_store_new             (const char          *path,
                                           const char          *format,
                                           guint                version);
void          gloss_store_open            (GlossStore          *self,
                                           GlossStoreLoadFunc   load_func,
                                           GlossStoreSaveFunc   save_func,
                                           gpointer             user_data);
void          gloss_store_close           (GlossStore          *self);

void          gloss_store_changed         (GlossStore          *self);
gboolean      gloss_store_flush           (GlossStore          *self,
                                           GError             **error);
gboolean      gloss_store_check_writable  (GlossStore          *self,
                                           GError             **error);

const char   *gloss_store_get_path        (GlossStore          *self);
const char   *gloss_store_get_format      (GlossStore          *self);
guint         gloss_store_get_version     (GlossStore          *self);
gboolean      gloss_store_get_read_only   (GlossStore          *self);
gboolean      gloss_store_get_corrupt     (GlossStore          *self);
const char   *gloss_store_get_backup_path (GlossStore          *self);
const GError *gloss_store_get_load_error  (GlossStore          *self);
gboolean      gloss_store_get_failing     (GlossStore          *self);
gboolean      gloss_store_get_dirty       (GlossStore          *self);

GBytes       *gloss_store_serialize       (GlossStore          *self);
JsonObject   *gloss_store_parse           (GlossStore          *self,
                                           GBytes              *bytes,
                                           GError             **error);
GBytes       *gloss_store_read_file       (GFile               *file,
                                           GCancellable        *cancellable,
                                           GError             **error);

G_END_DECLS
