/* gloss-entry-row.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "gloss-hit.h"

G_BEGIN_DECLS

#define GLOSS_TYPE_ENTRY_ROW (gloss_entry_row_get_type ())

G_DECLARE_FINAL_TYPE (GlossEntryRow, gloss_entry_row, GLOSS, ENTRY_ROW, GtkWidget)

GlossHit *gloss_entry_row_get_hit (GlossEntryRow *self);
void      gloss_entry_row_set_hit (GlossEntryRow *self,
                                   GlossHit      *hit);

G_END_DECLS
