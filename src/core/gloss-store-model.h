/* gloss-store-model.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "gloss-store.h"

G_BEGIN_DECLS

#define GLOSS_TYPE_STORE_MODEL (gloss_store_model_get_type ())

G_DECLARE_DERIVABLE_TYPE (GlossStoreModel, gloss_store_model, GLOSS, STORE_MODEL, GObject)

/* What the user's bookmarks, history and library share: a GListModel of
 * their items, kept in one GlossStore. Subclasses name the items' type,
 * open the store, and change the items through the protected calls of
 * gloss-store-model-private.h. */
struct _GlossStoreModelClass
{
  GObjectClass parent_class;

  GType        item_type;

  /*< private >*/
  gpointer     padding[4];
};

GlossStore *gloss_store_model_get_store     (GlossStoreModel *self);
gboolean    gloss_store_model_get_read_only (GlossStoreModel *self);

G_END_DECLS
