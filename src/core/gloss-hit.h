/* gloss-hit.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "gloss-entry.h"

G_BEGIN_DECLS

#define GLOSS_TYPE_HIT (gloss_hit_get_type ())

G_DECLARE_FINAL_TYPE (GlossHit, gloss_hit, GLOSS, HIT, GObject)

/* One row of the sidebar: an entry, the letter heading when it starts a
 * letter in the alphabetical list, and why it matched a search. */
GlossHit   *gloss_hit_new          (GlossEntry *entry,
                                    const char *heading,
                                    const char *match_markup);
GlossEntry *gloss_hit_get_entry    (GlossHit   *self);
const char *gloss_hit_get_heading  (GlossHit   *self);
const char *gloss_hit_get_match    (GlossHit   *self);
void        gloss_hit_set_source   (GlossHit   *self,
                                    const char *source);
const char *gloss_hit_get_source   (GlossHit   *self);
void        gloss_hit_reset        (GlossHit   *self,
                                    GlossEntry *entry,
                                    const char *heading,
                                    const char *match_markup,
                                    const char *source);

G_END_DECLS
