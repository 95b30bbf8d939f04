/* gloss-entry-private.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "gloss-cache.h"
#include "gloss-entry.h"

G_BEGIN_DECLS

/* What only the article needs, read from the entry's record the first
 * time any of it is asked for. Strings point into the image. */
typedef struct
{
  const char    *title;          /* NULL: the term stands in */
  const char    *summary;
  const char    *notice;
  const char    *published;
  const char    *updated;
  const char   **aliases;
  const char   **sources;
  const char   **related;
  GlossStat     *stats;
  GlossSection  *sections;
  GlossFaq      *faq;
  guint          n_stats;
  guint          n_sections;
  guint          n_faq;
  guint          reading_minutes;
  gboolean       damaged;
  guint8        *owned;          /* a record read again from the JSON */
} GlossEntryCold;

/* An entry: what the list, the filters and the search read (id, term,
 * category, tags, mature) at once, from the image's hot sections; the rest
 * on first use. Immutable once made, so it may be read from any thread. */
struct _GlossEntry
{
  GObject              parent_instance;

  GlossImage          *image;
  guint                position;
  const char          *id;
  const char          *term;
  const char          *category;
  const char         **tags;           /* NULL-terminated; strings in the image */
  gboolean             mature;
  gsize                cold_ready;
  GlossEntryCold      *cold;
};

GlossEntry *_gloss_entry_new (GlossImage         *image,
                              guint               position);

G_END_DECLS
