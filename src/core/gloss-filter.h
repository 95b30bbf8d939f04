/* gloss-filter.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "gloss-entry.h"

G_BEGIN_DECLS

/* What the user chose not to see. A NULL filter means the defaults: mature
 * entries hidden, no tag hidden. Immutable once made; share it by ref. */
typedef struct _GlossFilter GlossFilter;

#define GLOSS_TYPE_FILTER (gloss_filter_get_type ())

GType        gloss_filter_get_type       (void) G_GNUC_CONST;
GlossFilter *gloss_filter_new            (gboolean            include_mature,
                                          const char * const *hidden_tags);
GlossFilter *gloss_filter_ref            (GlossFilter        *self);
void         gloss_filter_unref          (GlossFilter        *self);
gboolean     gloss_filter_get_include_mature (const GlossFilter *self);
const char * const *gloss_filter_get_hidden_tags (const GlossFilter *self);
gboolean     gloss_filter_is_tag_hidden  (const GlossFilter  *self,
                                          const char         *tag);
gboolean     gloss_filter_allows         (const GlossFilter  *self,
                                          GlossEntry         *entry);
gboolean     gloss_filter_equal          (const GlossFilter  *a,
                                          const GlossFilter  *b);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (GlossFilter, gloss_filter_unref)

G_END_DECLS
