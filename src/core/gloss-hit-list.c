/* gloss-hit-list.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "gloss-hit-list"

#include "config.h"

#include "gloss-hit-list.h"

struct _GlossHitList
{
  GObject              parent_instance;

  GlossBundle         *bundle;
  GArray              *positions;
  GHashTable          *hits;       /* row → GlossHit, made on demand */
  GlossHitExplainFunc  explain;
  gpointer             explain_data;
  GDestroyNotify       explain_destroy;
  gboolean             letter_headings;
};

static void list_model_iface_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (GlossHitList, gloss_hit_list, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL, list_model_iface_init))

static void
clear_explain (GlossHitList *self)
{
  if (self->explain_destroy != NULL)
    self->explain_destroy (self->explain_data);

  self->explain = NULL;
  self->explain_data = NULL;
  self->explain_destroy = NULL;
}

static void
gloss_hit_list_finalize (GObject *object)
{
  GlossHitList *self = (GlossHitList *)object;

  clear_explain (self);
  g_clear_object (&self->bundle);
  g_clear_pointer (&self->positions, g_array_unref);
  g_clear_pointer (&self->hits, g_hash_table_unref);

  G_OBJECT_CLASS (gloss_hit_list_parent_class)->finalize (object);
}

static void
gloss_hit_list_class_init (GlossHitListClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = gloss_hit_list_finalize;
}

static void
gloss_hit_list_init (GlossHitList *self)
{
  self->positions = g_array_new (FALSE, FALSE, sizeof (guint));
  self->hits = g_hash_table_new_full (NULL, NULL, NULL, g_object_unref);
}

static GType
list_model_get_item_type (GListModel *model)
{
  return GLOSS_TYPE_HIT;
}

static guint
list_model_get_n_items (GListModel *model)
{
  return GLOSS_HIT_LIST (model)->positions->len;
}

/* The heading letter of a term: its first letter without accents, upper
 * case; "#" for terms that start with a digit or a symbol. */
char *
gloss_hit_list_dup_letter (const char *term)
{
  g_autofree char *first = NULL;
  gunichar c;

  if (term == NULL || term[0] == '\0')
    return g_strdup ("#");

  first = g_utf8_normalize (term, g_utf8_next_char (term) - term, G_NORMALIZE_ALL);
  c = first != NULL ? g_utf8_get_char (first) : 0;

  if (!g_unichar_isalpha (c))
    return g_strdup ("#");

  c = g_unichar_toupper (c);
  return g_ucs4_to_utf8 (&c, 1, NULL, NULL, NULL);
}

static char *
heading_for_row (GlossHitList *self,
                 guint         row)
{
  GlossEntry *entry;
  GlossEntry *previous;
  g_autofree char *letter = NULL;
  g_autofree char *previous_letter = NULL;

  entry = gloss_bundle_get_entry (self->bundle, g_array_index (self->positions, guint, row));
  letter = gloss_hit_list_dup_letter (gloss_entry_get_term (entry));

  if (row == 0)
    return g_steal_pointer (&letter);

  previous = gloss_bundle_get_entry (self->bundle,
                                     g_array_index (self->positions, guint, row - 1));
  previous_letter = gloss_hit_list_dup_letter (gloss_entry_get_term (previous));

  if (g_str_equal (letter, previous_letter))
    return NULL;

  return g_steal_pointer (&letter);
}

static gpointer
list_model_get_item (GListModel *model,
                     guint       row)
{
  GlossHitList *self = GLOSS_HIT_LIST (model);
  g_autofree char *heading = NULL;
  g_autofree char *match = NULL;
  GlossHit *hit;
  guint position;

  if (row >= self->positions->len)
    return NULL;

  hit = g_hash_table_lookup (self->hits, GUINT_TO_POINTER (row));
  if (hit != NULL)
    return g_object_ref (hit);

  position = g_array_index (self->positions, guint, row);

  if (self->letter_headings)
    heading = heading_for_row (self, row);
  if (self->explain != NULL)
    match = self->explain (position, self->explain_data);

  hit = gloss_hit_new (gloss_bundle_get_entry (self->bundle, position), heading, match);
  g_hash_table_insert (self->hits, GUINT_TO_POINTER (row), hit);

  return g_object_ref (hit);
}

static void
list_model_iface_init (GListModelInterface *iface)
{
  iface->get_item_type = list_model_get_item_type;
  iface->get_n_items = list_model_get_n_items;
  iface->get_item = list_model_get_item;
}

GlossHitList *
gloss_hit_list_new (void)
{
  return g_object_new (GLOSS_TYPE_HIT_LIST, NULL);
}

/**
 * gloss_hit_list_set:
 * @positions: (transfer full): entry positions in @bundle, in display order
 * @letter_headings: whether rows that start a new letter carry a heading
 * @explain: (nullable): says why a row matched, called only for shown rows
 *
 * Replaces the rows at once, with one items-changed.
 */
void
gloss_hit_list_set (GlossHitList        *self,
                    GlossBundle         *bundle,
                    GArray              *positions,
                    gboolean             letter_headings,
                    GlossHitExplainFunc  explain,
                    gpointer             explain_data,
                    GDestroyNotify       explain_destroy)
{
  guint removed;

  g_return_if_fail (GLOSS_IS_HIT_LIST (self));
  g_return_if_fail (bundle == NULL || GLOSS_IS_BUNDLE (bundle));
  g_return_if_fail (positions != NULL);

  removed = self->positions->len;

  clear_explain (self);
  g_set_object (&self->bundle, bundle);
  g_array_unref (self->positions);
  self->positions = positions;
  g_hash_table_remove_all (self->hits);
  self->letter_headings = letter_headings;
  self->explain = explain;
  self->explain_data = explain_data;
  self->explain_destroy = explain_destroy;

  if (removed > 0 || positions->len > 0)
    g_list_model_items_changed (G_LIST_MODEL (self), 0, removed, positions->len);
}

GlossBundle *
gloss_hit_list_get_bundle (GlossHitList *self)
{
  g_return_val_if_fail (GLOSS_IS_HIT_LIST (self), NULL);
  return self->bundle;
}

guint
gloss_hit_list_get_position (GlossHitList *self,
                             guint         row)
{
  g_return_val_if_fail (GLOSS_IS_HIT_LIST (self), G_MAXUINT);
  g_return_val_if_fail (row < self->positions->len, G_MAXUINT);

  return g_array_index (self->positions, guint, row);
}

/* Finds the row that shows the entry at @position. Linear, but only run when
 * the article changes, never per keystroke. */
gboolean
gloss_hit_list_find_position (GlossHitList *self,
                              guint         position,
                              guint        *row)
{
  g_return_val_if_fail (GLOSS_IS_HIT_LIST (self), FALSE);

  for (guint i = 0; i < self->positions->len; i++)
    {
      if (g_array_index (self->positions, guint, i) == position)
        {
          if (row != NULL)
            *row = i;
          return TRUE;
        }
    }

  return FALSE;
}
