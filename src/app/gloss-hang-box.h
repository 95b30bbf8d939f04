/* gloss-hang-box.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define GLOSS_TYPE_HANG_BOX (gloss_hang_box_get_type ())

G_DECLARE_FINAL_TYPE (GlossHangBox, gloss_hang_box, GLOSS, HANG_BOX, GtkWidget)

GtkWidget *gloss_hang_box_new (GtkWidget *marker,
                               GtkWidget *body,
                               int        marker_width,
                               int        spacing);

G_END_DECLS
