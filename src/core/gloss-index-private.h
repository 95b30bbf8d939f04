/* gloss-index-private.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "gloss-bundle-private.h"
#include "gloss-cache.h"
#include "gloss-index.h"

G_BEGIN_DECLS

/* gloss_index_build(), reporting progress from 55 % to 90 %. */
GlossIndex *_gloss_index_build          (GlossBundle              *bundle,
                                         GCancellable             *cancellable,
                                         const GlossLoadProgress  *progress,
                                         GError                  **error);

/* Points @image's index sections at the index's arrays, to write them. */
void        _gloss_index_set_sections   (GlossIndex               *self,
                                         GlossImage               *image);

/* The index held in @image's sections, checked (every offset and length
 * against what it points into), used where it lies. */
GlossIndex *_gloss_index_new_from_image (GlossBundle              *bundle,
                                         GlossImage               *image,
                                         GError                  **error);

G_END_DECLS
