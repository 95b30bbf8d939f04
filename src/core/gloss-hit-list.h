/* gloss-hit-list.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "gloss-bundle.h"
#include "gloss-group.h"
#include "gloss-hit.h"

G_BEGIN_DECLS

#define GLOSS_TYPE_HIT_LIST (gloss_hit_list_get_type ())

G_DECLARE_FINAL_TYPE (GlossHitList, gloss_hit_list, GLOSS, HIT_LIST, GObject)

/* A GListModel of GlossHit over a list of entries of a group of bundles:
 * the sidebar's model. Rows are made only when asked for (the list view
 * asks for the visible ones), so 100,000 entries cost 800 KB, not 100,000
 * objects. */
GlossHitList *gloss_hit_list_new            (void);
void          gloss_hit_list_set            (GlossHitList        *self,
                                             GlossGroup          *group,
                                             GArray              *refs,
                                             gboolean             letter_headings,
                                             gboolean             show_source,
                                             GlossHitExplainFunc  explain,
                                             gpointer             explain_data,
                                             GDestroyNotify       explain_destroy);
void          gloss_hit_list_clear          (GlossHitList        *self);
GlossGroup   *gloss_hit_list_get_group      (GlossHitList        *self);
GlossBundle  *gloss_hit_list_get_bundle     (GlossHitList        *self,
                                             guint                row);
GlossEntry   *gloss_hit_list_get_entry      (GlossHitList        *self,
                                             guint                row);
gboolean      gloss_hit_list_find_entry     (GlossHitList        *self,
                                             GlossBundle         *bundle,
                                             guint                position,
                                             guint               *row);
char         *gloss_hit_list_dup_letter     (const char          *term);

G_END_DECLS
