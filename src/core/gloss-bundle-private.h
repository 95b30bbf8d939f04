/* gloss-bundle-private.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "gloss-bundle.h"

G_BEGIN_DECLS

struct _GlossBundle
{
  GObject      parent_instance;

  GFile       *file;
  char        *id;
  char        *title;
  char        *description;
  char        *language;
  char        *license;
  char        *updated;
  char       **authors;
  GArray      *categories;  /* of GlossCategory */
  GPtrArray   *entries;     /* of GlossEntry, in file order */
  GHashTable  *by_id;       /* entry id → position + 1 */
  guint       *sorted;      /* positions in sidebar order */
  GPtrArray   *problems;    /* of GlossProblem */
  GlossIndex  *index;
  guint        n_skipped;
  guint        n_errors;
  guint        n_warnings;
};

GlossBundle *_gloss_bundle_new           (void);
void         _gloss_bundle_add_category  (GlossBundle *self,
                                          char        *id,
                                          char        *name,
                                          char        *description);
void         _gloss_bundle_take_entry    (GlossBundle *self,
                                          GlossEntry  *entry);
void         _gloss_bundle_sort          (GlossBundle *self);

/* Implemented in gloss-bundle-loader.c: the pre-scan, then the schema walk
 * over json-glib nodes, one value at a time. */
GlossBundle *_gloss_bundle_load          (const char   *data,
                                          gsize         length,
                                          const char   *display_name,
                                          const char   *fallback_id,
                                          GCancellable *cancellable,
                                          GError      **error);

G_END_DECLS
