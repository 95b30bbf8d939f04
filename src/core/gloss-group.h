/* gloss-group.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "gloss-bundle.h"
#include "gloss-filter.h"
#include "gloss-index.h"

G_BEGIN_DECLS

/* One entry of one of the group's bundles. */
typedef struct
{
  guint bundle;    /* the bundle's place in the group */
  guint position;  /* the entry's position in that bundle */
} GlossGroupRef;

/* A match of a search over the group, ordered as one bundle's results are
 * (bundle-format.md, "Search"), the terms of all bundles collated as one. */
typedef struct
{
  guint          bundle;
  guint          position;
  GlossMatchTier tier;
  float          score;
  guint          step;
} GlossGroupMatch;

#define GLOSS_GROUP_ALL G_MAXUINT

#define GLOSS_TYPE_GROUP (gloss_group_get_type ())

G_DECLARE_FINAL_TYPE (GlossGroup, gloss_group, GLOSS, GROUP, GObject)

/* Several bundles read as one: their entries in one alphabetical order, and
 * one search over all of them or one. Immutable once made; making one of
 * several big bundles collates every term, so do it in a worker thread. */
GlossGroup          *gloss_group_new            (GlossBundle * const *bundles,
                                                 guint                n_bundles);
void                 gloss_group_new_async      (GlossBundle * const *bundles,
                                                 guint                n_bundles,
                                                 GCancellable        *cancellable,
                                                 GAsyncReadyCallback  callback,
                                                 gpointer             user_data);
GlossGroup          *gloss_group_new_finish     (GAsyncResult        *result,
                                                 GError             **error);
guint                gloss_group_get_n_bundles  (GlossGroup          *self);
GlossBundle         *gloss_group_get_bundle     (GlossGroup          *self,
                                                 guint                i);
gboolean             gloss_group_find_bundle    (GlossGroup          *self,
                                                 GlossBundle         *bundle,
                                                 guint               *i);
GlossBundle         *gloss_group_lookup_bundle  (GlossGroup          *self,
                                                 const char          *id);
guint                gloss_group_get_n_entries  (GlossGroup          *self);
const GlossGroupRef *gloss_group_get_sorted     (GlossGroup          *self,
                                                 guint               *n_sorted);
GArray              *gloss_group_search         (GlossGroup          *self,
                                                 const char          *query,
                                                 GlossFilter         *filter,
                                                 guint                scope,
                                                 guint                limit,
                                                 guint               *total);

G_END_DECLS
