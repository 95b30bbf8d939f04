/* gloss-application.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "gloss-bookmarks.h"
#include "gloss-history.h"
#include "gloss-library.h"

G_BEGIN_DECLS

#define GLOSS_TYPE_APPLICATION (gloss_application_get_type ())

G_DECLARE_FINAL_TYPE (GlossApplication, gloss_application, GLOSS, APPLICATION, AdwApplication)

GlossApplication *gloss_application_new          (void);
GSettings        *gloss_application_get_settings     (GlossApplication *self);
GlossBookmarks   *gloss_application_get_bookmarks    (GlossApplication *self);
GlossHistory     *gloss_application_get_history      (GlossApplication *self);
GlossLibrary     *gloss_application_get_library      (GlossApplication *self);
char             *gloss_application_dup_store_notice (GlossApplication *self);

G_END_DECLS
