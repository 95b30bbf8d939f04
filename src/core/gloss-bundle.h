/* gloss-bundle.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "gloss-entry.h"
#include "gloss-problem.h"

G_BEGIN_DECLS

typedef struct _GlossIndex GlossIndex;

#define GLOSS_BUNDLE_ERROR (gloss_bundle_error_quark ())

typedef enum
{
  /* The file cannot be read: missing, unreadable, not a regular file, or
   * over the size limit. gloss-cli exits 2. */
  GLOSS_BUNDLE_ERROR_IO,
  /* The bytes were read but the bundle is refused (syntax, structure,
   * limits). The message starts with the location. gloss-cli exits 1. */
  GLOSS_BUNDLE_ERROR_REFUSED,
} GlossBundleError;

typedef struct
{
  char *id;
  char *name;
  char *description;  /* nullable */
} GlossCategory;

#define GLOSS_BUNDLE_MAX_FILE_SIZE (256 * 1024 * 1024)
#define GLOSS_BUNDLE_MAX_ENTRIES   1000000
#define GLOSS_BUNDLE_MAX_DEPTH     64

#define GLOSS_TYPE_BUNDLE (gloss_bundle_get_type ())

G_DECLARE_FINAL_TYPE (GlossBundle, gloss_bundle, GLOSS, BUNDLE, GObject)

GQuark               gloss_bundle_error_quark          (void);

GlossBundle         *gloss_bundle_new_from_file        (GFile                *file,
                                                        GCancellable         *cancellable,
                                                        GError              **error);
GlossBundle         *gloss_bundle_new_from_bytes       (GBytes               *bytes,
                                                        const char           *display_name,
                                                        const char           *fallback_id,
                                                        GCancellable         *cancellable,
                                                        GError              **error);
void                 gloss_bundle_new_from_file_async  (GFile                *file,
                                                        GCancellable         *cancellable,
                                                        GAsyncReadyCallback   callback,
                                                        gpointer              user_data);
GlossBundle         *gloss_bundle_new_from_file_finish (GAsyncResult         *result,
                                                        GError              **error);

/* Called with the fraction of a load done, from 0 to 1. */
typedef void (*GlossBundleProgressFunc) (double    fraction,
                                         gpointer  user_data);

void                 gloss_bundle_load_async           (GFile                   *file,
                                                        GlossBundleProgressFunc  progress,
                                                        gpointer                 progress_data,
                                                        GDestroyNotify           progress_destroy,
                                                        GCancellable            *cancellable,
                                                        GAsyncReadyCallback      callback,
                                                        gpointer                 user_data);
GlossBundle         *gloss_bundle_load_finish          (GAsyncResult         *result,
                                                        GError              **error);

/* The compiled cache (see gloss-cache.h) */
gboolean             gloss_bundle_get_from_cache       (GlossBundle          *self);
gboolean             gloss_bundle_check_source         (GlossBundle          *self,
                                                        GCancellable         *cancellable,
                                                        GError              **error);
void                 gloss_bundle_check_source_async   (GlossBundle          *self,
                                                        GCancellable         *cancellable,
                                                        GAsyncReadyCallback   callback,
                                                        gpointer              user_data);
gboolean             gloss_bundle_check_source_finish  (GlossBundle          *self,
                                                        GAsyncResult         *result,
                                                        GError              **error);

/* Splits a GLOSS_BUNDLE_ERROR_REFUSED message into its location and text. */
GlossProblem        *gloss_bundle_error_to_problem     (const GError         *error);

GFile               *gloss_bundle_get_file             (GlossBundle          *self);
const char          *gloss_bundle_get_id               (GlossBundle          *self);
const char          *gloss_bundle_get_title            (GlossBundle          *self);
const char          *gloss_bundle_get_description      (GlossBundle          *self);
const char          *gloss_bundle_get_language         (GlossBundle          *self);
const char          *gloss_bundle_get_license          (GlossBundle          *self);
const char          *gloss_bundle_get_updated          (GlossBundle          *self);
const char * const  *gloss_bundle_get_authors          (GlossBundle          *self);
const GlossCategory *gloss_bundle_get_categories       (GlossBundle          *self,
                                                        guint                *n_categories);
const GlossCategory *gloss_bundle_lookup_category      (GlossBundle          *self,
                                                        const char           *category_id);

guint                gloss_bundle_get_n_entries        (GlossBundle          *self);
GlossEntry          *gloss_bundle_get_entry            (GlossBundle          *self,
                                                        guint                 position);
const char          *gloss_bundle_get_entry_id         (GlossBundle          *self,
                                                        guint                 position);
const char          *gloss_bundle_get_entry_term       (GlossBundle          *self,
                                                        guint                 position);
GlossEntry          *gloss_bundle_lookup_entry         (GlossBundle          *self,
                                                        const char           *entry_id);
gboolean             gloss_bundle_find_entry           (GlossBundle          *self,
                                                        const char           *entry_id,
                                                        guint                *position);
const guint         *gloss_bundle_get_sorted           (GlossBundle          *self,
                                                        guint                *n_sorted);

GlossIndex          *gloss_bundle_get_index            (GlossBundle          *self);

GPtrArray           *gloss_bundle_get_problems         (GlossBundle          *self);
guint                gloss_bundle_get_n_skipped        (GlossBundle          *self);
guint                gloss_bundle_get_n_errors         (GlossBundle          *self);
guint                gloss_bundle_get_n_warnings       (GlossBundle          *self);

G_END_DECLS
