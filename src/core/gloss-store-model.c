/* gloss-store-model.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "gloss-store-model"

#include "config.h"

#include "gloss-store-model-private.h"

typedef struct
{
  GlossStore *store;
  GPtrArray  *items;
} GlossStoreModelPrivate;

enum {
  PROP_0,
  PROP_STORE,
  PROP_READ_ONLY,
  PROP_N_ITEMS,
  N_PROPS
};

static void list_model_iface_init (GListModelInterface *iface);

G_DEFINE_ABSTRACT_TYPE_WITH_CODE (GlossStoreModel, gloss_store_model, G_TYPE_OBJECT,
                                  G_ADD_PRIVATE (GlossStoreModel)
                                  G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL, list_model_iface_init))

static GParamSpec *properties[N_PROPS];

/* ---- GListModel --------------------------------------------------------- */

static GType
list_model_get_item_type (GListModel *model)
{
  return GLOSS_STORE_MODEL_GET_CLASS (model)->item_type;
}

static guint
list_model_get_n_items (GListModel *model)
{
  GlossStoreModelPrivate *priv = gloss_store_model_get_instance_private (GLOSS_STORE_MODEL (model));

  return priv->items->len;
}

static gpointer
list_model_get_item (GListModel *model,
                     guint       position)
{
  GlossStoreModelPrivate *priv = gloss_store_model_get_instance_private (GLOSS_STORE_MODEL (model));

  if (position >= priv->items->len)
    return NULL;

  return g_object_ref (g_ptr_array_index (priv->items, position));
}

static void
list_model_iface_init (GListModelInterface *iface)
{
  iface->get_item_type = list_model_get_item_type;
  iface->get_n_items = list_model_get_n_items;
  iface->get_item = list_model_get_item;
}

/* ---- GObject ------------------------------------------------------------ */

static void
store_notify_read_only (GlossStoreModel *self)
{
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_READ_ONLY]);
}

static void
gloss_store_model_dispose (GObject *object)
{
  GlossStoreModel *self = GLOSS_STORE_MODEL (object);
  GlossStoreModelPrivate *priv = gloss_store_model_get_instance_private (self);

  if (priv->store != NULL)
    {
      g_signal_handlers_disconnect_by_data (priv->store, object);
      gloss_store_close (priv->store);
    }
  g_clear_object (&priv->store);

  G_OBJECT_CLASS (gloss_store_model_parent_class)->dispose (object);
}

static void
gloss_store_model_finalize (GObject *object)
{
  GlossStoreModel *self = GLOSS_STORE_MODEL (object);
  GlossStoreModelPrivate *priv = gloss_store_model_get_instance_private (self);

  g_clear_pointer (&priv->items, g_ptr_array_unref);

  G_OBJECT_CLASS (gloss_store_model_parent_class)->finalize (object);
}

static void
gloss_store_model_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  GlossStoreModel *self = GLOSS_STORE_MODEL (object);
  GlossStoreModelPrivate *priv = gloss_store_model_get_instance_private (self);

  switch (prop_id)
    {
    case PROP_STORE:
      g_value_set_object (value, priv->store);
      break;

    case PROP_READ_ONLY:
      g_value_set_boolean (value, gloss_store_model_get_read_only (self));
      break;

    case PROP_N_ITEMS:
      g_value_set_uint (value, priv->items->len);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
gloss_store_model_class_init (GlossStoreModelClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = gloss_store_model_dispose;
  object_class->finalize = gloss_store_model_finalize;
  object_class->get_property = gloss_store_model_get_property;

  klass->item_type = G_TYPE_OBJECT;

  properties[PROP_STORE] =
    g_param_spec_object ("store", NULL, NULL,
                         GLOSS_TYPE_STORE,
                         (G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY));

  properties[PROP_READ_ONLY] =
    g_param_spec_boolean ("read-only", NULL, NULL,
                          FALSE,
                          (G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY));

  properties[PROP_N_ITEMS] =
    g_param_spec_uint ("n-items", NULL, NULL,
                       0, G_MAXUINT, 0,
                       (G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY));

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
gloss_store_model_init (GlossStoreModel *self)
{
  GlossStoreModelPrivate *priv = gloss_store_model_get_instance_private (self);

  priv->items = g_ptr_array_new_with_free_func (g_object_unref);
}

/* ---- Public ------------------------------------------------------------- */

/* Returns: (transfer none): the store, for its flags and signals */
GlossStore *
gloss_store_model_get_store (GlossStoreModel *self)
{
  GlossStoreModelPrivate *priv = gloss_store_model_get_instance_private (self);

  g_return_val_if_fail (GLOSS_IS_STORE_MODEL (self), NULL);

  return priv->store;
}

/* Whether changes can't be saved (the store said so): nothing changes. */
gboolean
gloss_store_model_get_read_only (GlossStoreModel *self)
{
  GlossStoreModelPrivate *priv = gloss_store_model_get_instance_private (self);

  g_return_val_if_fail (GLOSS_IS_STORE_MODEL (self), TRUE);

  return priv->store == NULL || gloss_store_get_read_only (priv->store);
}

/* ---- Protected ---------------------------------------------------------- */

/* Makes the store at @path and loads it; @load_func and @save_func get the
 * model as their data. Once, from the subclass's constructor. */
void
_gloss_store_model_open (GlossStoreModel    *self,
                         const char         *path,
                         const char         *format,
                         guint               version,
                         GlossStoreLoadFunc  load_func,
                         GlossStoreSaveFunc  save_func)
{
  GlossStoreModelPrivate *priv = gloss_store_model_get_instance_private (self);

  g_return_if_fail (GLOSS_IS_STORE_MODEL (self));
  g_return_if_fail (priv->store == NULL);

  priv->store = gloss_store_new (path, format, version);
  gloss_store_open (priv->store, load_func, save_func, self);
  g_signal_connect_swapped (priv->store, "notify::read-only",
                            G_CALLBACK (store_notify_read_only), self);
}

/* Returns: (transfer none): the items, for the subclass to change; say
 * what changed with _gloss_store_model_items_changed(). */
GPtrArray *
_gloss_store_model_get_items (GlossStoreModel *self)
{
  GlossStoreModelPrivate *priv = gloss_store_model_get_instance_private (self);

  return priv->items;
}

void
_gloss_store_model_items_changed (GlossStoreModel *self,
                                  guint            position,
                                  guint            removed,
                                  guint            added)
{
  g_list_model_items_changed (G_LIST_MODEL (self), position, removed, added);
  if (removed != added)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_ITEMS]);
}
