/* gloss-hit-list.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "gloss-bundle.h"
#include "gloss-hit.h"

G_BEGIN_DECLS

#define GLOSS_TYPE_HIT_LIST (gloss_hit_list_get_type ())

G_DECLARE_FINAL_TYPE (GlossHitList, gloss_hit_list, GLOSS, HIT_LIST, GObject)

/* Returns the markup saying why the entry at @position matched, or NULL. */
typedef char *(*GlossHitExplainFunc) (guint    position,
                                      gpointer user_data);

/* A GListModel of GlossHit over a list of entry positions: the sidebar's
 * model. Rows are made only when asked for (the list view asks for the
 * visible ones), so 100,000 positions cost 400 KB, not 100,000 objects. */
GlossHitList *gloss_hit_list_new            (void);
void          gloss_hit_list_set            (GlossHitList        *self,
                                             GlossBundle         *bundle,
                                             GArray              *positions,
                                             gboolean             letter_headings,
                                             GlossHitExplainFunc  explain,
                                             gpointer             explain_data,
                                             GDestroyNotify       explain_destroy);
GlossBundle  *gloss_hit_list_get_bundle     (GlossHitList        *self);
guint         gloss_hit_list_get_position   (GlossHitList        *self,
                                             guint                row);
gboolean      gloss_hit_list_find_position  (GlossHitList        *self,
                                             guint                position,
                                             guint               *row);
char         *gloss_hit_list_dup_letter     (const char          *term);

G_END_DECLS
