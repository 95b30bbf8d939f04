/* gloss-link.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef enum
{
  GLOSS_LINK_REFUSED,
  GLOSS_LINK_ENTRY,
  GLOSS_LINK_EXTERNAL,
} GlossLinkKind;

/* Longer link targets (in bytes, once escaped with gloss_link_escape_uri())
 * are refused: they serve no reader and make huge tooltips.
 */
#define GLOSS_LINK_MAX_LENGTH 4096

GlossLinkKind  gloss_link_classify          (const char  *target,
                                             char       **entry_id);
gboolean       gloss_link_is_valid_entry_id (const char  *entry_id);
char          *gloss_link_escape_uri        (const char  *target);

G_END_DECLS
