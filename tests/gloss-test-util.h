/* gloss-test-util.h: what the widget tests share
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

gboolean   gloss_test_wait_until      (gboolean  (*cond) (gpointer),
                                       gpointer    data,
                                       guint       timeout_ms);
void       gloss_test_wait_ms         (guint       ms);
GtkWidget *gloss_test_find_widget     (GtkWidget  *root,
                                       GType       type,
                                       const char *css_class);
void       gloss_test_collect_widgets (GtkWidget  *root,
                                       GType       type,
                                       const char *css_class,
                                       GPtrArray  *out);

G_END_DECLS
