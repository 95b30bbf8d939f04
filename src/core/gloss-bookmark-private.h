/* gloss-bookmark-private.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "gloss-bookmark.h"

G_BEGIN_DECLS

/* gloss_bookmark_matches() with the query already split by
 * _gloss_store_query_words(), for searching many bookmarks. */
gboolean _gloss_bookmark_matches_words (GlossBookmark *self,
                                        char * const  *words);

G_END_DECLS
