/* gloss-history-item.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

#define GLOSS_TYPE_HISTORY_ITEM (gloss_history_item_get_type ())

G_DECLARE_FINAL_TYPE (GlossHistoryItem, gloss_history_item, GLOSS, HISTORY_ITEM, GObject)

/* One viewed entry: a row of the History view. Immutable; the term and
 * bundle title are snapshots from when it was viewed. */
GlossHistoryItem *gloss_history_item_new              (const char       *bundle_key,
                                                       const char       *entry_id,
                                                       const char       *term,
                                                       const char       *bundle_title,
                                                       GDateTime        *viewed);
const char       *gloss_history_item_get_bundle_key   (GlossHistoryItem *self);
const char       *gloss_history_item_get_entry_id     (GlossHistoryItem *self);
const char       *gloss_history_item_get_term         (GlossHistoryItem *self);
const char       *gloss_history_item_get_bundle_title (GlossHistoryItem *self);
GDateTime        *gloss_history_item_get_viewed       (GlossHistoryItem *self);
gboolean          gloss_history_item_matches          (GlossHistoryItem *self,
                                                       const char       *query);
gboolean          gloss_history_item_equal            (GlossHistoryItem *a,
                                                       GlossHistoryItem *b);

G_END_DECLS
