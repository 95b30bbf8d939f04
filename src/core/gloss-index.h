/* gloss-index.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "gloss-bundle.h"
#include "gloss-filter.h"

G_BEGIN_DECLS

/* Why an entry matched, best first (bundle-format.md, "Search"). Results
 * come sorted by step (see GlossMatch), then by score (body tiers), then by
 * term. */
typedef enum
{
  GLOSS_MATCH_EXACT,       /* the term or an alias is the query */
  GLOSS_MATCH_PREFIX,      /* the term or an alias starts with the query */
  GLOSS_MATCH_NAME,        /* every word starts a word of the term, an alias or the title */
  GLOSS_MATCH_TAG,         /* ... or of a tag */
  GLOSS_MATCH_BODY,        /* some word only in the summary, a section or the FAQ */
  GLOSS_MATCH_TYPO_NAME,   /* the same three, with a query word one edit away */
  GLOSS_MATCH_TYPO_TAG,
  GLOSS_MATCH_TYPO_BODY,
} GlossMatchTier;

typedef struct
{
  guint           position;  /* of the entry in the bundle */
  GlossMatchTier  tier;
  float           score;     /* BM25 for the body tiers, 0 otherwise */
  guint           step;      /* finer than the tier, the same in every index:
                              * within a tier, a term before an alias, names
                              * with the query as typed first */
} GlossMatch;

/* The answer to one query: the best matches and how many there are in all.
 * Immutable; share it by ref. */
typedef struct _GlossResults GlossResults;

#define GLOSS_TYPE_RESULTS (gloss_results_get_type ())

GType             gloss_results_get_type      (void) G_GNUC_CONST;
GlossResults     *gloss_results_ref           (GlossResults *self);
void              gloss_results_unref         (GlossResults *self);
guint             gloss_results_get_n_matches (GlossResults *self);
guint             gloss_results_get_total     (GlossResults *self);
const GlossMatch *gloss_results_get_match     (GlossResults *self,
                                               guint         i);
const GlossMatch *gloss_results_get_matches   (GlossResults *self,
                                               guint        *n_matches);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (GlossResults, gloss_results_unref)

#define GLOSS_TYPE_INDEX (gloss_index_get_type ())

G_DECLARE_FINAL_TYPE (GlossIndex, gloss_index, GLOSS, INDEX, GObject)

/* Built once per bundle, in the thread that loads it; immutable afterwards,
 * so it may be searched from any thread at once. It holds a weak reference
 * on @bundle (for gloss_index_explain()), so the bundle may own it. */
GlossIndex   *gloss_index_new           (GlossBundle   *bundle);
GlossIndex   *gloss_index_build         (GlossBundle   *bundle,
                                         GCancellable  *cancellable,
                                         GError       **error);
GlossResults *gloss_index_search        (GlossIndex    *self,
                                         const char    *query,
                                         GlossFilter   *filter,
                                         guint          limit);
char         *gloss_index_explain       (GlossIndex    *self,
                                         guint          position,
                                         const char    *query,
                                         gboolean       markup);
guint         gloss_index_get_n_entries (GlossIndex    *self);
gsize         gloss_index_get_size      (GlossIndex    *self);

G_END_DECLS
