/* gloss-article.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "gloss-bundle.h"
#include "gloss-filter.h"

G_BEGIN_DECLS

#define GLOSS_TYPE_ARTICLE (gloss_article_get_type ())

G_DECLARE_FINAL_TYPE (GlossArticle, gloss_article, GLOSS, ARTICLE, GtkWidget)

void        gloss_article_set_entry (GlossArticle *self,
                                     GlossBundle  *bundle,
                                     GlossEntry   *entry,
                                     GlossFilter  *filter);
GlossEntry *gloss_article_get_entry (GlossArticle *self);
GlossBundle *gloss_article_get_bundle (GlossArticle *self);
gboolean    gloss_article_get_building (GlossArticle *self);

G_END_DECLS
