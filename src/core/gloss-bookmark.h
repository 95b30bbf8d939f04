/* gloss-bookmark.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

#define GLOSS_TYPE_BOOKMARK (gloss_bookmark_get_type ())

G_DECLARE_FINAL_TYPE (GlossBookmark, gloss_bookmark, GLOSS, BOOKMARK, GObject)

/* One starred entry: a row of the Bookmarks view. Immutable: a new note
 * replaces the item in GlossBookmarks (items-changed at its position). The
 * term and bundle title are snapshots from when it was starred, so the row
 * reads well while the bundle is not open. */
GlossBookmark *gloss_bookmark_new              (const char    *bundle_key,
                                                const char    *entry_id,
                                                const char    *term,
                                                const char    *bundle_title,
                                                const char    *note,
                                                GDateTime     *created);
GlossBookmark *gloss_bookmark_copy_with_note   (GlossBookmark *self,
                                                const char    *note);
const char    *gloss_bookmark_get_bundle_key   (GlossBookmark *self);
const char    *gloss_bookmark_get_entry_id     (GlossBookmark *self);
const char    *gloss_bookmark_get_term         (GlossBookmark *self);
const char    *gloss_bookmark_get_bundle_title (GlossBookmark *self);
const char    *gloss_bookmark_get_note         (GlossBookmark *self);
gboolean       gloss_bookmark_has_note         (GlossBookmark *self);
GDateTime     *gloss_bookmark_get_created      (GlossBookmark *self);
gboolean       gloss_bookmark_matches          (GlossBookmark *self,
                                                const char    *query);
gboolean       gloss_bookmark_equal            (GlossBookmark *a,
                                                GlossBookmark *b);

G_END_DECLS
