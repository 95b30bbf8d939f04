/* gloss-hit.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "gloss-bundle.h"
#include "gloss-entry.h"

G_BEGIN_DECLS

/* Returns the markup saying why the entry at @position of @bundle matched,
 * or NULL. */
typedef char *(*GlossHitExplainFunc) (GlossBundle *bundle,
                                      guint        position,
                                      gpointer     user_data);

/* A search's explain function and its data, shared by the hits that have
 * not asked it yet. */
typedef struct _GlossHitExplainer GlossHitExplainer;

GlossHitExplainer *gloss_hit_explainer_new   (GlossHitExplainFunc  func,
                                              gpointer             data,
                                              GDestroyNotify       destroy);
GlossHitExplainer *gloss_hit_explainer_ref   (GlossHitExplainer   *self);
void               gloss_hit_explainer_unref (GlossHitExplainer   *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (GlossHitExplainer, gloss_hit_explainer_unref)

#define GLOSS_TYPE_HIT (gloss_hit_get_type ())

G_DECLARE_FINAL_TYPE (GlossHit, gloss_hit, GLOSS, HIT, GObject)

/* One row of the sidebar: an entry, the letter heading when it starts a
 * letter in the alphabetical list, and why it matched a search: given, or
 * asked of an explainer when first wanted (a row drawn on screen). */
GlossHit   *gloss_hit_new               (GlossEntry        *entry,
                                         const char        *heading,
                                         const char        *match_markup);
GlossEntry *gloss_hit_get_entry         (GlossHit          *self);
const char *gloss_hit_get_heading       (GlossHit          *self);
const char *gloss_hit_get_match         (GlossHit          *self);
gboolean    gloss_hit_get_match_pending (GlossHit          *self);
void        gloss_hit_set_explainer     (GlossHit          *self,
                                         GlossHitExplainer *explainer,
                                         GlossBundle       *bundle,
                                         guint              position);
void        gloss_hit_set_source        (GlossHit          *self,
                                         const char        *source);
const char *gloss_hit_get_source        (GlossHit          *self);
void        gloss_hit_reset             (GlossHit          *self,
                                         GlossEntry        *entry,
                                         const char        *heading,
                                         const char        *source,
                                         GlossHitExplainer *explainer,
                                         GlossBundle       *bundle,
                                         guint              position);

G_END_DECLS
