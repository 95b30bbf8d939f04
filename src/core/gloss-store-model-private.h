/* gloss-store-model-private.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "gloss-store-model.h"

G_BEGIN_DECLS

void       _gloss_store_model_open          (GlossStoreModel    *self,
                                             const char         *path,
                                             const char         *format,
                                             guint               version,
                                             GlossStoreLoadFunc  load_func,
                                             GlossStoreSaveFunc  save_func);
GPtrArray *_gloss_store_model_get_items     (GlossStoreModel    *self);
void       _gloss_store_model_items_changed (GlossStoreModel    *self,
                                             guint               position,
                                             guint               removed,
                                             guint               added);

G_END_DECLS
