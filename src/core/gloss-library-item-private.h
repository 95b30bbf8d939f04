/* gloss-library-item-private.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "gloss-library-item.h"

G_BEGIN_DECLS

/* Looks at the file again; notifies "missing" when that changed. */
void _gloss_library_item_check_missing (GlossLibraryItem *self);

G_END_DECLS
