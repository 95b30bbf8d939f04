/* gloss-application.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define GLOSS_TYPE_APPLICATION (gloss_application_get_type ())

G_DECLARE_FINAL_TYPE (GlossApplication, gloss_application, GLOSS, APPLICATION, AdwApplication)

GlossApplication *gloss_application_new          (void);
GSettings        *gloss_application_get_settings (GlossApplication *self);

G_END_DECLS
