/* gloss-library-item.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define GLOSS_TYPE_LIBRARY_ITEM (gloss_library_item_get_type ())

G_DECLARE_FINAL_TYPE (GlossLibraryItem, gloss_library_item, GLOSS, LIBRARY_ITEM, GObject)

/* One bundle the user opened: a row of the bundle switcher. Immutable but
 * for #GlossLibraryItem:missing, which GlossLibrary updates (and notifies)
 * when it looks at the file again. */
GlossLibraryItem *gloss_library_item_new             (const char       *key,
                                                      const char       *path,
                                                      const char       *title,
                                                      guint             n_entries,
                                                      GDateTime        *last_opened);
const char       *gloss_library_item_get_key         (GlossLibraryItem *self);
const char       *gloss_library_item_get_path        (GlossLibraryItem *self);
GFile            *gloss_library_item_get_file        (GlossLibraryItem *self);
const char       *gloss_library_item_get_title       (GlossLibraryItem *self);
guint             gloss_library_item_get_n_entries   (GlossLibraryItem *self);
GDateTime        *gloss_library_item_get_last_opened (GlossLibraryItem *self);
gboolean          gloss_library_item_get_missing     (GlossLibraryItem *self);
gboolean          gloss_library_item_equal           (GlossLibraryItem *a,
                                                      GlossLibraryItem *b);

G_END_DECLS
