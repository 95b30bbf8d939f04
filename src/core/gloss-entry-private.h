/* gloss-entry-private.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "gloss-entry.h"

G_BEGIN_DECLS

/* The loader fills an entry in before anyone else sees it; afterwards it is
 * immutable, so it may be read from any thread. */
struct _GlossEntry
{
  GObject       parent_instance;

  char         *id;
  char         *term;
  char         *title;          /* NULL: the term stands in */
  char         *summary;
  char         *category;
  char         *notice;
  char         *published;
  char         *updated;
  char        **aliases;
  char        **tags;
  char        **sources;
  char        **related;
  GArray       *stats;          /* of GlossStat */
  GArray       *sections;       /* of GlossSection */
  GArray       *faq;            /* of GlossFaq */
  guint         reading_minutes;
  guint         mature : 1;
};

GlossEntry *_gloss_entry_new              (void);
void        _gloss_entry_finish           (GlossEntry *self);

G_END_DECLS
