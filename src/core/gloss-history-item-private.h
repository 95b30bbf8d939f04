/* gloss-history-item-private.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "gloss-history-item.h"

G_BEGIN_DECLS

/* gloss_history_item_matches() with the query already split by
 * _gloss_store_query_words(), for searching many items. */
gboolean _gloss_history_item_matches_words (GlossHistoryItem *self,
                                            char * const     *words);

G_END_DECLS
