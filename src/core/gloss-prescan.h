/* gloss-prescan.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* A byte range inside the scanned buffer. */
typedef struct
{
  gsize offset;
  gsize length;
} GlossSpan;

/* What the pre-scan learnt about a bundle's bytes, so the loader can hand
 * json-glib one small, already-validated value at a time. */
typedef struct
{
  /* The top-level value, without the BOM and surrounding white space. */
  GlossSpan   root;
  gboolean    root_is_object;

  /* Top-level member name (unescaped UTF-8) → GlossSpan * of its value.
   * Empty when the root is not an object. */
  GHashTable *members;

  /* When "/entries" exists and is an array: one GlossSpan per element, in
   * order. NULL otherwise. */
  GArray     *entries;

  /* JSON Pointers ("/entries/3/reading_minutes") of every number that is not
   * an integer json-glib can hold exactly: it has a fraction or an exponent,
   * or is outside the gint64 range. */
  GHashTable *unsafe_numbers;
} GlossScan;

/* Checks that @data is strict RFC 8259 JSON in UTF-8 (an optional UTF-8 BOM
 * first), in one linear pass, and refuses with GLOSS_BUNDLE_ERROR_REFUSED and
 * a message "LINE:COLUMN: …" (1-based, columns in code points) anything
 * json-glib would accept wrongly: comments, single quotes, hex or leading-zero
 * numbers, trailing commas, a second top-level value, raw control characters
 * in strings, \u0000, lone surrogates, invalid UTF-8, duplicate keys in an
 * object, nesting deeper than GLOSS_BUNDLE_MAX_DEPTH, and more than
 * GLOSS_BUNDLE_MAX_ENTRIES elements in "/entries". */
GlossScan *gloss_prescan      (const char *data,
                               gsize       length,
                               GError    **error);
void       gloss_scan_free    (GlossScan  *scan);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (GlossScan, gloss_scan_free)

G_END_DECLS
