/* gloss-bookmarks.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "gloss-bookmark.h"
#include "gloss-store.h"
#include "gloss-store-model.h"

G_BEGIN_DECLS

/* The user's bookmarks across all bundles: a GListModel of GlossBookmark,
 * newest first, saved in one GlossStore.
 *
 * On disk, `$XDG_DATA_HOME/gloss/bookmarks.json`, and the JSON export:
 *
 *   {
 *     "format": "gloss-bookmarks",
 *     "version": 1,
 *     "bookmarks": [
 *       {
 *         "bundle": "org.example.fandom",       bundle id, or path; required
 *         "entry": "a=b",                       entry id; required
 *         "term": "A equals B",                 optional, default: entry
 *         "bundle_title": "Fandom Glossary",    optional, default: bundle
 *         "note": "see also …",                 optional, default: ""
 *         "created": "2024-05-01T09:30:00Z"     ISO 8601 with zone; required
 *       }
 *     ]
 *   }
 *
 * Ids are any non-empty UTF-8 up to GLOSS_STORE_MAX_KEY bytes; the term and
 * title up to GLOSS_STORE_MAX_TEXT, the note up to GLOSS_STORE_MAX_NOTE;
 * at most GLOSS_BOOKMARKS_MAX bookmarks. A pair that appears twice keeps
 * its first occurrence. */

#define GLOSS_BOOKMARKS_FORMAT  "gloss-bookmarks"
#define GLOSS_BOOKMARKS_VERSION 1
#define GLOSS_BOOKMARKS_MAX     100000

#define GLOSS_TYPE_BOOKMARKS (gloss_bookmarks_get_type ())

G_DECLARE_FINAL_TYPE (GlossBookmarks, gloss_bookmarks, GLOSS, BOOKMARKS, GlossStoreModel)

GlossBookmarks *gloss_bookmarks_new             (const char      *path);
GlossStore     *gloss_bookmarks_get_store       (GlossBookmarks  *self);
gboolean        gloss_bookmarks_get_read_only   (GlossBookmarks  *self);

gboolean        gloss_bookmarks_has             (GlossBookmarks  *self,
                                                 const char      *bundle_key,
                                                 const char      *entry_id);
GlossBookmark  *gloss_bookmarks_lookup          (GlossBookmarks  *self,
                                                 const char      *bundle_key,
                                                 const char      *entry_id);
gboolean        gloss_bookmarks_add             (GlossBookmarks  *self,
                                                 const char      *bundle_key,
                                                 const char      *entry_id,
                                                 const char      *term,
                                                 const char      *bundle_title,
                                                 GError         **error);
gboolean        gloss_bookmarks_remove          (GlossBookmarks  *self,
                                                 const char      *bundle_key,
                                                 const char      *entry_id,
                                                 GError         **error);
gboolean        gloss_bookmarks_toggle          (GlossBookmarks  *self,
                                                 const char      *bundle_key,
                                                 const char      *entry_id,
                                                 const char      *term,
                                                 const char      *bundle_title,
                                                 gboolean        *bookmarked,
                                                 GError         **error);
gboolean        gloss_bookmarks_set_note        (GlossBookmarks  *self,
                                                 const char      *bundle_key,
                                                 const char      *entry_id,
                                                 const char      *note,
                                                 GError         **error);
gboolean        gloss_bookmarks_clear           (GlossBookmarks  *self,
                                                 GError         **error);

GListModel     *gloss_bookmarks_search          (GlossBookmarks  *self,
                                                 const char      *query);

GBytes         *gloss_bookmarks_export_json     (GlossBookmarks  *self);
char           *gloss_bookmarks_export_markdown (GlossBookmarks  *self);
gboolean        gloss_bookmarks_import          (GlossBookmarks  *self,
                                                 GBytes          *bytes,
                                                 guint           *n_added,
                                                 GError         **error);
gboolean        gloss_bookmarks_import_file     (GlossBookmarks  *self,
                                                 GFile           *file,
                                                 guint           *n_added,
                                                 GError         **error);

G_END_DECLS
