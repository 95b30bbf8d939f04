/* gloss-row-label.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define GLOSS_TYPE_ROW_LABEL (gloss_row_label_get_type ())

G_DECLARE_FINAL_TYPE (GlossRowLabel, gloss_row_label, GLOSS, ROW_LABEL, GtkWidget)

/* Returns the text to show, or NULL to keep the fallback text. When it
 * sets @markup, the text is Pango markup the app made, with the bundle's
 * text escaped. */
typedef char *(*GlossRowLabelFunc) (gpointer  data,
                                    gboolean *markup);

GtkWidget  *gloss_row_label_new          (void);
const char *gloss_row_label_get_text     (GlossRowLabel           *self);
void        gloss_row_label_set_text     (GlossRowLabel           *self,
                                          const char              *text);
void        gloss_row_label_set_deferred (GlossRowLabel           *self,
                                          GlossRowLabelFunc        func,
                                          gpointer                 data,
                                          GDestroyNotify           destroy,
                                          const char              *fallback);
gboolean    gloss_row_label_get_laid_out (GlossRowLabel           *self);

G_END_DECLS
