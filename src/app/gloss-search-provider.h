/* gloss-search-provider.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define GLOSS_TYPE_SEARCH_PROVIDER (gloss_search_provider_get_type ())

G_DECLARE_FINAL_TYPE (GlossSearchProvider, gloss_search_provider, GLOSS, SEARCH_PROVIDER, GObject)

GlossSearchProvider *gloss_search_provider_new      (GApplication         *application);
gboolean             gloss_search_provider_export   (GlossSearchProvider  *self,
                                                     GDBusConnection      *connection,
                                                     const char           *object_path,
                                                     GError              **error);
void                 gloss_search_provider_unexport (GlossSearchProvider  *self);

G_END_DECLS
