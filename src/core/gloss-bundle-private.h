/* gloss-bundle-private.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "gloss-bundle.h"
#include "gloss-cache.h"

G_BEGIN_DECLS

/* A bundle is a view of an image (gloss-cache.h): a cache file mapped
 * from disk, or the same sections just compiled in memory. Its entries
 * are made the first time someone asks for them, and hold little more
 * than pointers into the image. */
struct _GlossBundle
{
  GObject       parent_instance;

  GFile        *file;
  char         *id;
  char         *title;
  char         *description;
  char         *language;
  char         *license;
  char         *updated;
  char        **authors;
  GArray       *categories;  /* of GlossCategory */
  GlossImage   *image;
  guint         n_entries;
  GlossEntry  **entries;     /* by position; each made on first use */
  GPtrArray    *problems;    /* of GlossProblem, made on first use */
  gsize         problems_ready;
  GlossIndex   *index;
  guint         n_skipped;
  guint         n_errors;
  guint         n_warnings;
  char         *source_path; /* canonical, when cached */
  gboolean      from_cache;
};

/* Load progress, reported from the loading threads. */
typedef struct
{
  void     (*func) (double   fraction,
                    gpointer data);
  gpointer   data;
} GlossLoadProgress;

static inline void
_gloss_load_progress (const GlossLoadProgress *progress,
                      double                   fraction)
{
  if (progress != NULL && progress->func != NULL)
    progress->func (fraction, progress->data);
}

/* One entry's text, read straight from its record: what the index builder
 * reads, with no entry object made. The arrays are reused from one entry
 * to the next. */
typedef struct
{
  const char *term;
  const char *title;       /* never NULL: the term stands in */
  const char *summary;
  gboolean    mature;
  GPtrArray  *aliases;
  GPtrArray  *tags;
  GPtrArray  *sections;    /* heading (nullable), body, heading, body, … */
  GPtrArray  *faq;         /* question, answer, … */
} GlossEntryView;

GlossBundle  *_gloss_bundle_new_from_cache (GFile                  *file,
                                           GError                **error);

void          _gloss_entry_view_init     (GlossEntryView          *view);
void          _gloss_entry_view_clear    (GlossEntryView          *view);
gboolean      _gloss_bundle_view_entry   (GlossBundle             *self,
                                          guint                    position,
                                          GlossEntryView          *view);
const guint8 *_gloss_bundle_peek_record  (GlossBundle             *self,
                                          guint                    position);

static inline gboolean
_gloss_bundle_is_mature (GlossBundle *self,
                         guint        position)
{
  return (self->image->entries[position].flags & GLOSS_CACHE_ENTRY_MATURE) != 0;
}

/* Implemented in gloss-bundle-loader.c: the pre-scan, then the schema walk,
 * into an image with every section but the index's. */
GlossImage   *_gloss_bundle_compile      (const char              *data,
                                          gsize                    length,
                                          GCancellable            *cancellable,
                                          const GlossLoadProgress *progress,
                                          GError                 **error);

guint8       *_gloss_image_recover_record (GlossImage          *image,
                                           guint                position,
                                           gsize               *size,
                                           guint32            **related,
                                           guint               *n_related);

G_END_DECLS
