/* gloss-user-list.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define GLOSS_TYPE_USER_LIST (gloss_user_list_get_type ())

G_DECLARE_FINAL_TYPE (GlossUserList, gloss_user_list, GLOSS, USER_LIST, GtkWidget)

GtkWidget *gloss_user_list_new       (const char    *icon_name,
                                      const char    *description,
                                      const char    *list_label);
void       gloss_user_list_set_model (GlossUserList *self,
                                      GListModel    *model,
                                      const char    *empty_title);

G_END_DECLS
