/* gloss-library.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "gloss-library-item.h"
#include "gloss-store.h"
#include "gloss-store-model.h"

G_BEGIN_DECLS

/* Every bundle the user opened: a GListModel of GlossLibraryItem, most
 * recently opened first, saved in one GlossStore. A bundle whose file moved
 * or vanished stays, with #GlossLibraryItem:missing set, until the user
 * removes it; opening it again from its new place (same key) updates the
 * path.
 *
 * On disk, `$XDG_DATA_HOME/gloss/library.json`:
 *
 *   {
 *     "format": "gloss-library",
 *     "version": 1,
 *     "bundles": [                                  most recent first
 *       {
 *         "key": "org.example.fandom",              bundle id, or path; required
 *         "path": "/home/ada/fandom.json",          absolute path or URI; required
 *         "title": "Fandom Glossary",               optional, default: file name
 *         "entries": 48,                            optional, default: 0
 *         "last_opened": "2024-05-01T09:30:00Z"     ISO 8601 with zone; required
 *       }
 *     ]
 *   }
 *
 * At most GLOSS_LIBRARY_MAX bundles (touching one more is refused, nothing
 * is dropped to make room); a key that appears twice keeps its
 * first occurrence. */

#define GLOSS_LIBRARY_FORMAT  "gloss-library"
#define GLOSS_LIBRARY_VERSION 1
#define GLOSS_LIBRARY_MAX     10000

#define GLOSS_TYPE_LIBRARY (gloss_library_get_type ())

G_DECLARE_FINAL_TYPE (GlossLibrary, gloss_library, GLOSS, LIBRARY, GlossStoreModel)

GlossLibrary     *gloss_library_new           (const char    *path);
GlossStore       *gloss_library_get_store     (GlossLibrary  *self);
gboolean          gloss_library_get_read_only (GlossLibrary  *self);

gboolean          gloss_library_touch         (GlossLibrary  *self,
                                               const char    *key,
                                               const char    *path,
                                               const char    *title,
                                               guint          n_entries,
                                               GError       **error);
gboolean          gloss_library_remove        (GlossLibrary  *self,
                                               const char    *key,
                                               GError       **error);
GlossLibraryItem *gloss_library_lookup        (GlossLibrary  *self,
                                               const char    *key);
GlossLibraryItem *gloss_library_get_last      (GlossLibrary  *self);
void              gloss_library_check_missing (GlossLibrary  *self);

G_END_DECLS
