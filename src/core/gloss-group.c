/* gloss-group.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "gloss-group"

#include "config.h"

#include <string.h>

#include "gloss-group.h"

/* Several bundles searched and listed as one, as GoldenDict's dictionary
 * groups are. Each bundle keeps its own index; the group merges their
 * answers. To order two terms of different bundles without collating them
 * at every keystroke, the group collates every term once, when it is made,
 * and keeps each entry's rank in the merged order: after that, "ties by
 * term" is an integer comparison. */
struct _GlossGroup
{
  GObject        parent_instance;
  GPtrArray     *bundles;
  GlossGroupRef *sorted;     /* every entry, in the merged term order */
  guint          n_sorted;
  guint        **rank;       /* per bundle: position → place in sorted */
};

G_DEFINE_FINAL_TYPE (GlossGroup, gloss_group, G_TYPE_OBJECT)

static void
gloss_group_finalize (GObject *object)
{
  GlossGroup *self = (GlossGroup *)object;

  if (self->rank != NULL)
    for (guint b = 0; b < self->bundles->len; b++)
      g_free (self->rank[b]);
  g_free (self->rank);
  g_free (self->sorted);
  g_clear_pointer (&self->bundles, g_ptr_array_unref);

  G_OBJECT_CLASS (gloss_group_parent_class)->finalize (object);
}

static void
gloss_group_class_init (GlossGroupClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = gloss_group_finalize;
}

static void
gloss_group_init (GlossGroup *self)
{
  self->bundles = g_ptr_array_new_with_free_func (g_object_unref);
}

/* Merges the bundles' own sorted orders (each made with the same
 * collation) into one, by the terms' collation keys; equal terms keep the
 * bundles' order. */
static void
merge_sorted (GlossGroup *self)
{
  guint n_bundles = self->bundles->len;
  g_autofree const guint **orders = g_new0 (const guint *, n_bundles);
  g_autofree guint *lengths = g_new0 (guint, n_bundles);
  g_autofree guint *heads = g_new0 (guint, n_bundles);
  g_autofree char ***keys = g_new0 (char **, n_bundles);
  guint out = 0;

  for (guint b = 0; b < n_bundles; b++)
    {
      GlossBundle *bundle = g_ptr_array_index (self->bundles, b);

      orders[b] = gloss_bundle_get_sorted (bundle, &lengths[b]);
      self->n_sorted += lengths[b];
    }

  self->sorted = g_new (GlossGroupRef, MAX (self->n_sorted, 1));

  if (n_bundles == 1)
    {
      for (guint i = 0; i < lengths[0]; i++)
        self->sorted[i] = (GlossGroupRef) { 0, orders[0][i] };
      return;
    }

  for (guint b = 0; b < n_bundles; b++)
    {
      GlossBundle *bundle = g_ptr_array_index (self->bundles, b);

      keys[b] = g_new (char *, MAX (lengths[b], 1));
      for (guint i = 0; i < lengths[b]; i++)
        keys[b][i] = g_utf8_collate_key (gloss_bundle_get_entry_term (bundle, orders[b][i]), -1);
    }

  while (out < self->n_sorted)
    {
      guint best = G_MAXUINT;

      for (guint b = 0; b < n_bundles; b++)
        if (heads[b] < lengths[b] &&
            (best == G_MAXUINT || strcmp (keys[b][heads[b]], keys[best][heads[best]]) < 0))
          best = b;

      self->sorted[out++] = (GlossGroupRef) { best, orders[best][heads[best]] };
      heads[best]++;
    }

  for (guint b = 0; b < n_bundles; b++)
    {
      for (guint i = 0; i < lengths[b]; i++)
        g_free (keys[b][i]);
      g_free (keys[b]);
    }
}

/**
 * gloss_group_new:
 * @bundles: (array length=n_bundles): the bundles, in the order the user
 *   added them (it breaks ties between equal terms)
 *
 * Returns: (transfer full): the group
 */
GlossGroup *
gloss_group_new (GlossBundle * const *bundles,
                 guint                n_bundles)
{
  GlossGroup *self;

  g_return_val_if_fail (bundles != NULL || n_bundles == 0, NULL);
  for (guint b = 0; b < n_bundles; b++)
    g_return_val_if_fail (GLOSS_IS_BUNDLE (bundles[b]), NULL);

  self = g_object_new (GLOSS_TYPE_GROUP, NULL);
  for (guint b = 0; b < n_bundles; b++)
    g_ptr_array_add (self->bundles, g_object_ref (bundles[b]));

  merge_sorted (self);

  self->rank = g_new0 (guint *, MAX (n_bundles, 1));
  for (guint b = 0; b < n_bundles; b++)
    self->rank[b] = g_new0 (guint, MAX (gloss_bundle_get_n_entries (bundles[b]), 1));
  for (guint i = 0; i < self->n_sorted; i++)
    self->rank[self->sorted[i].bundle][self->sorted[i].position] = i;

  return self;
}

static void
group_new_thread (GTask        *task,
                  gpointer      source,
                  gpointer      task_data,
                  GCancellable *cancellable)
{
  GPtrArray *bundles = task_data;

  g_task_return_pointer (task,
                         gloss_group_new ((GlossBundle * const *)bundles->pdata, bundles->len),
                         g_object_unref);
}

/* Makes the group in a worker thread (collating the terms of big bundles
 * takes a while). */
void
gloss_group_new_async (GlossBundle * const *bundles,
                       guint                n_bundles,
                       GCancellable        *cancellable,
                       GAsyncReadyCallback  callback,
                       gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (NULL, cancellable, callback, user_data);
  GPtrArray *copy = g_ptr_array_new_with_free_func (g_object_unref);

  for (guint b = 0; b < n_bundles; b++)
    g_ptr_array_add (copy, g_object_ref (bundles[b]));

  g_task_set_source_tag (task, gloss_group_new_async);
  g_task_set_priority (task, G_PRIORITY_LOW);
  g_task_set_return_on_cancel (task, TRUE);
  g_task_set_task_data (task, copy, (GDestroyNotify)g_ptr_array_unref);
  g_task_run_in_thread (task, group_new_thread);
}

GlossGroup *
gloss_group_new_finish (GAsyncResult  *result,
                        GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

guint
gloss_group_get_n_bundles (GlossGroup *self)
{
  g_return_val_if_fail (GLOSS_IS_GROUP (self), 0);

  return self->bundles->len;
}

/* Returns: (transfer none): the bundle at @i */
GlossBundle *
gloss_group_get_bundle (GlossGroup *self,
                        guint       i)
{
  g_return_val_if_fail (GLOSS_IS_GROUP (self), NULL);
  g_return_val_if_fail (i < self->bundles->len, NULL);

  return g_ptr_array_index (self->bundles, i);
}

gboolean
gloss_group_find_bundle (GlossGroup  *self,
                         GlossBundle *bundle,
                         guint       *i)
{
  g_return_val_if_fail (GLOSS_IS_GROUP (self), FALSE);

  return g_ptr_array_find (self->bundles, bundle, i);
}

/* Returns: (transfer none) (nullable): the bundle whose id (or path, for
 * a bundle without one) is @id */
GlossBundle *
gloss_group_lookup_bundle (GlossGroup *self,
                           const char *id)
{
  g_return_val_if_fail (GLOSS_IS_GROUP (self), NULL);

  for (guint b = 0; b < self->bundles->len; b++)
    if (g_strcmp0 (gloss_bundle_get_id (g_ptr_array_index (self->bundles, b)), id) == 0)
      return g_ptr_array_index (self->bundles, b);

  return NULL;
}

guint
gloss_group_get_n_entries (GlossGroup *self)
{
  g_return_val_if_fail (GLOSS_IS_GROUP (self), 0);

  return self->n_sorted;
}

/* Returns: every entry of every bundle, in one alphabetical order. */
const GlossGroupRef *
gloss_group_get_sorted (GlossGroup *self,
                        guint      *n_sorted)
{
  g_return_val_if_fail (GLOSS_IS_GROUP (self), NULL);
  g_return_val_if_fail (n_sorted != NULL, NULL);

  *n_sorted = self->n_sorted;
  return self->sorted;
}

static gboolean
tier_is_scored (GlossMatchTier tier)
{
  return tier == GLOSS_MATCH_BODY || tier == GLOSS_MATCH_TYPO_BODY;
}

/* Whether @a comes before @b: the earlier step of the ranking (each index
 * numbers them alike), then (body tiers) the higher score, then the term,
 * then the earlier bundle. */
static gboolean
match_before (GlossGroup            *self,
              const GlossGroupMatch *a,
              const GlossGroupMatch *b)
{
  guint rank_a;
  guint rank_b;

  if (a->step != b->step)
    return a->step < b->step;

  if (tier_is_scored (a->tier) && a->score != b->score)
    return a->score > b->score;

  rank_a = self->rank[a->bundle][a->position];
  rank_b = self->rank[b->bundle][b->position];
  if (rank_a != rank_b)
    return rank_a < rank_b;

  return a->bundle < b->bundle;
}

/**
 * gloss_group_search:
 * @scope: a bundle's place in the group, or %GLOSS_GROUP_ALL
 * @limit: how many matches to return at most; 0 for all
 * @total: (out) (optional): how many entries matched in all
 *
 * Searches the bundles in @scope, each with its own index, and merges their
 * ranked answers into one ranking.
 *
 * Returns: (transfer full) (element-type GlossGroupMatch): the matches
 */
GArray *
gloss_group_search (GlossGroup  *self,
                    const char  *query,
                    GlossFilter *filter,
                    guint        scope,
                    guint        limit,
                    guint       *total)
{
  guint n_bundles;
  g_autofree GlossResults **results = NULL;
  g_autofree guint *heads = NULL;
  GArray *matches;
  guint all = 0;

  g_return_val_if_fail (GLOSS_IS_GROUP (self), NULL);
  g_return_val_if_fail (query != NULL, NULL);
  g_return_val_if_fail (scope == GLOSS_GROUP_ALL || scope < self->bundles->len, NULL);

  n_bundles = self->bundles->len;
  results = g_new0 (GlossResults *, MAX (n_bundles, 1));
  heads = g_new0 (guint, MAX (n_bundles, 1));
  matches = g_array_new (FALSE, FALSE, sizeof (GlossGroupMatch));

  for (guint b = 0; b < n_bundles; b++)
    {
      GlossIndex *index;

      if (scope != GLOSS_GROUP_ALL && scope != b)
        continue;

      index = gloss_bundle_get_index (g_ptr_array_index (self->bundles, b));
      results[b] = gloss_index_search (index, query, filter, limit);
      all += gloss_results_get_total (results[b]);
    }

  for (;;)
    {
      GlossGroupMatch best = { G_MAXUINT, 0, 0, 0, 0 };

      if (limit > 0 && matches->len >= limit)
        break;

      for (guint b = 0; b < n_bundles; b++)
        {
          const GlossMatch *m;
          GlossGroupMatch candidate;

          if (results[b] == NULL || heads[b] >= gloss_results_get_n_matches (results[b]))
            continue;

          m = gloss_results_get_match (results[b], heads[b]);
          candidate = (GlossGroupMatch) { b, m->position, m->tier, m->score, m->step };
          if (best.bundle == G_MAXUINT || match_before (self, &candidate, &best))
            best = candidate;
        }

      if (best.bundle == G_MAXUINT)
        break;

      g_array_append_val (matches, best);
      heads[best.bundle]++;
    }

  for (guint b = 0; b < n_bundles; b++)
    g_clear_pointer (&results[b], gloss_results_unref);

  if (total != NULL)
    *total = all;

  return matches;
}
