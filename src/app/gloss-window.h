/* gloss-window.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "gloss-application.h"
#include "gloss-bundle.h"
#include "gloss-group.h"

G_BEGIN_DECLS

#define GLOSS_TYPE_WINDOW (gloss_window_get_type ())

G_DECLARE_FINAL_TYPE (GlossWindow, gloss_window, GLOSS, WINDOW, AdwApplicationWindow)

GlossWindow *gloss_window_new              (GlossApplication *application);
void         gloss_window_open_builtin     (GlossWindow      *self);
void         gloss_window_restore_bundle   (GlossWindow      *self,
                                            const char       *entry_id);
void         gloss_window_show_last_bundle_entry (GlossWindow *self,
                                            const char       *entry_id);
void         gloss_window_set_search_text  (GlossWindow      *self,
                                            const char       *text);
void         gloss_window_preload_builtin_bundle (void);
void         gloss_window_drop_preloaded_builtin_bundle (void);
GlossBundle *gloss_window_load_builtin_bundle (void);
void         gloss_window_set_user_data    (GlossWindow      *self,
                                            GlossBookmarks   *bookmarks,
                                            GlossHistory     *history,
                                            GlossLibrary     *library);
void         gloss_window_show_message     (GlossWindow      *self,
                                            const char       *text);
void         gloss_window_open_file        (GlossWindow      *self,
                                            GFile            *file,
                                            const char       *entry_id);
gboolean     gloss_window_show_entry_id    (GlossWindow      *self,
                                            const char       *entry_id);
GlossBundle *gloss_window_get_bundle       (GlossWindow      *self);
gboolean     gloss_window_get_loading      (GlossWindow      *self);
void         gloss_window_add_file         (GlossWindow      *self,
                                            GFile            *file);
gboolean     gloss_window_remove_from_group (GlossWindow     *self,
                                            const char       *bundle_id);
GlossGroup  *gloss_window_get_group        (GlossWindow      *self);
void         gloss_window_open_bundle_entry (GlossWindow     *self,
                                            GFile            *file,
                                            const char       *entry_id);

G_END_DECLS
