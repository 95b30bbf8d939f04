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

  GlossGroup          *group;
  GArray              *refs;       /* GlossGroupRef, in display order */
  GHashTable          *hits;       /* row → GlossHit, made on demand */
  GlossHitExplainer   *explainer;  /* or NULL */
  gboolean             letter_headings;
  gboolean             show_source;
};

static void list_model_iface_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (GlossHitList, gloss_hit_list, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL, list_model_iface_init))

static void
gloss_hit_list_finalize (GObject *object)
{
  GlossHitList *self = (GlossHitList *)object;

  g_clear_pointer (&self->explainer, gloss_hit_explainer_unref);
  g_clear_object (&self->group);
  g_clear_pointer (&self->refs, g_array_unref);
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
  self->refs = g_array_new (FALSE, FALSE, sizeof (GlossGroupRef));
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
  return GLOSS_HIT_LIST (model)->refs->len;
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

static GlossEntry *
entry_at (GlossHitList *self,
          guint         row)
{
  const GlossGroupRef *ref = &g_array_index (self->refs, GlossGroupRef, row);

  return gloss_bundle_get_entry (gloss_group_get_bundle (self->group, ref->bundle),
                                 ref->position);
}

static char *
heading_for_row (GlossHitList *self,
                 guint         row)
{
  g_autofree char *letter = NULL;
  g_autofree char *previous_letter = NULL;

  letter = gloss_hit_list_dup_letter (gloss_entry_get_term (entry_at (self, row)));
  if (row == 0)
    return g_steal_pointer (&letter);

  previous_letter = gloss_hit_list_dup_letter (gloss_entry_get_term (entry_at (self, row - 1)));
  if (g_str_equal (letter, previous_letter))
    return NULL;

  return g_steal_pointer (&letter);
}

/* What the hit at @row says: its entry, letter heading and source; its
 * bundle and position there, for the explainer. */
static GlossEntry *
describe_row (GlossHitList  *self,
              guint          row,
              char         **heading,
              const char   **source,
              GlossBundle  **bundle,
              guint         *position)
{
  const GlossGroupRef *ref = &g_array_index (self->refs, GlossGroupRef, row);

  *bundle = gloss_group_get_bundle (self->group, ref->bundle);
  *position = ref->position;
  *heading = self->letter_headings ? heading_for_row (self, row) : NULL;
  *source = self->show_source ? gloss_bundle_get_title (*bundle) : NULL;

  return gloss_bundle_get_entry (*bundle, ref->position);
}

static gpointer
list_model_get_item (GListModel *model,
                     guint       row)
{
  GlossHitList *self = GLOSS_HIT_LIST (model);
  g_autofree char *heading = NULL;
  const char *source;
  GlossBundle *bundle;
  GlossEntry *entry;
  GlossHit *hit;
  guint position;

  if (row >= self->refs->len)
    return NULL;

  hit = g_hash_table_lookup (self->hits, GUINT_TO_POINTER (row));
  if (hit != NULL)
    return g_object_ref (hit);

  entry = describe_row (self, row, &heading, &source, &bundle, &position);
  hit = gloss_hit_new (entry, heading, NULL);
  if (self->explainer != NULL)
    gloss_hit_set_explainer (hit, self->explainer, bundle, position);
  if (source != NULL)
    gloss_hit_set_source (hit, source);
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
 * @group: (nullable): the bundles @refs point into
 * @refs: (transfer full) (element-type GlossGroupRef): the entries, in
 *   display order
 * @letter_headings: whether rows that start a new letter carry a heading
 * @show_source: whether rows say which glossary they come from
 * @explain: (nullable): says why a row matched, called only for the rows
 *   whose match is asked for (the ones drawn on screen)
 *
 * Replaces the rows at once, with one items-changed.
 */
void
gloss_hit_list_set (GlossHitList        *self,
                    GlossGroup          *group,
                    GArray              *refs,
                    gboolean             letter_headings,
                    gboolean             show_source,
                    GlossHitExplainFunc  explain,
                    gpointer             explain_data,
                    GDestroyNotify       explain_destroy)
{
  g_autoptr(GPtrArray) kept = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GArray) kept_rows = g_array_new (FALSE, FALSE, sizeof (guint));
  GHashTableIter iter;
  gpointer key;
  GlossHit *hit;
  guint removed;
  guint common;

  g_return_if_fail (GLOSS_IS_HIT_LIST (self));
  g_return_if_fail (group == NULL || GLOSS_IS_GROUP (group));
  g_return_if_fail (refs != NULL);
  g_return_if_fail (group != NULL || refs->len == 0);

  removed = self->refs->len;
  common = MIN (removed, refs->len);

  g_clear_pointer (&self->explainer, gloss_hit_explainer_unref);
  if (explain != NULL)
    self->explainer = gloss_hit_explainer_new (explain, explain_data, explain_destroy);
  else if (explain_destroy != NULL)
    explain_destroy (explain_data);
  g_set_object (&self->group, group);
  self->letter_headings = letter_headings;
  self->show_source = show_source;
  g_array_unref (self->refs);
  self->refs = refs;

  /* The rows both lists have are not replaced: their hits, the ones the
   * list view asked for, now stand for the new rows (they notify, and the
   * rows showing them follow). The list view keeps its row widgets: GTK
   * 4.8's makes them anew for new items (a template each, 200 of them for
   * every keystroke at 100,000 entries) and, told that every row was
   * replaced, asks for every new item to find the rows it tracks. */
  g_hash_table_iter_init (&iter, self->hits);
  while (g_hash_table_iter_next (&iter, &key, (gpointer *)&hit))
    {
      guint row = GPOINTER_TO_UINT (key);

      if (row >= common)
        g_hash_table_iter_remove (&iter);
      else
        {
          g_array_append_val (kept_rows, row);
          g_ptr_array_add (kept, g_object_ref (hit));
        }
    }

  /* Not while iterating: a notification may ask the list for items. */
  for (guint i = 0; i < kept->len; i++)
    {
      g_autofree char *heading = NULL;
      const char *source;
      GlossBundle *bundle;
      GlossEntry *entry;
      guint position;

      entry = describe_row (self, g_array_index (kept_rows, guint, i), &heading, &source,
                            &bundle, &position);
      gloss_hit_reset (g_ptr_array_index (kept, i), entry, heading, source, self->explainer,
                       bundle, position);
    }

  if (removed != refs->len)
    g_list_model_items_changed (G_LIST_MODEL (self), common, removed - common,
                                refs->len - common);
}

/* Empties the list. */
void
gloss_hit_list_clear (GlossHitList *self)
{
  g_return_if_fail (GLOSS_IS_HIT_LIST (self));

  gloss_hit_list_set (self, NULL, g_array_new (FALSE, FALSE, sizeof (GlossGroupRef)),
                      FALSE, FALSE, NULL, NULL, NULL);
}

/* Returns: (transfer none) (nullable): the group the rows come from */
GlossGroup *
gloss_hit_list_get_group (GlossHitList *self)
{
  g_return_val_if_fail (GLOSS_IS_HIT_LIST (self), NULL);
  return self->group;
}

/* Returns: (transfer none): the bundle of the entry at @row */
GlossBundle *
gloss_hit_list_get_bundle (GlossHitList *self,
                           guint         row)
{
  g_return_val_if_fail (GLOSS_IS_HIT_LIST (self), NULL);
  g_return_val_if_fail (row < self->refs->len, NULL);

  return gloss_group_get_bundle (self->group, g_array_index (self->refs, GlossGroupRef, row).bundle);
}

/* Returns: (transfer none): the entry at @row */
GlossEntry *
gloss_hit_list_get_entry (GlossHitList *self,
                          guint         row)
{
  g_return_val_if_fail (GLOSS_IS_HIT_LIST (self), NULL);
  g_return_val_if_fail (row < self->refs->len, NULL);

  return entry_at (self, row);
}

/* Finds the row that shows the entry at @position of @bundle. Linear, but
 * only run when the article changes, never per keystroke. */
gboolean
gloss_hit_list_find_entry (GlossHitList *self,
                           GlossBundle  *bundle,
                           guint         position,
                           guint        *row)
{
  guint b;

  g_return_val_if_fail (GLOSS_IS_HIT_LIST (self), FALSE);

  if (self->group == NULL || !gloss_group_find_bundle (self->group, bundle, &b))
    return FALSE;

  for (guint i = 0; i < self->refs->len; i++)
    {
      const GlossGroupRef *ref = &g_array_index (self->refs, GlossGroupRef, i);

      if (ref->bundle == b && ref->position == position)
        {
          if (row != NULL)
            *row = i;
          return TRUE;
        }
    }

  return FALSE;
}
