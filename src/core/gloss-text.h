/* gloss-text.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* The spec's caps, in Unicode code points. */
#define GLOSS_TEXT_MAX_SHORT  512
#define GLOSS_TEXT_MAX_PLAIN  4000
#define GLOSS_TEXT_MAX_LONG   200000
#define GLOSS_TEXT_MAX_MARKS  30

typedef enum
{
  GLOSS_TEXT_NONE         = 0,
  /* Remove U+202A–U+202E and U+2066–U+2069 (terms, aliases, titles). */
  GLOSS_TEXT_STRIP_BIDI   = 1 << 0,
  /* Turn newlines and tabs into spaces (one-line fields). */
  GLOSS_TEXT_SINGLE_LINE  = 1 << 1,
} GlossTextFlags;

typedef enum
{
  GLOSS_TEXT_CHANGED_NOTHING  = 0,
  GLOSS_TEXT_CHANGED_CUT      = 1 << 0,
  GLOSS_TEXT_CHANGED_MARKS    = 1 << 1,
  GLOSS_TEXT_CHANGED_BIDI     = 1 << 2,
  GLOSS_TEXT_CHANGED_CONTROLS = 1 << 3,
} GlossTextChanges;

char     *gloss_text_clean        (const char       *text,
                                   gssize            length,
                                   guint             max_chars,
                                   GlossTextFlags    flags,
                                   GlossTextChanges *changes);
gboolean  gloss_text_is_blank     (const char       *text);
gboolean  gloss_text_is_date      (const char       *text);
guint     gloss_text_count_words  (const char       *text);

/* Display helpers: bundle text on its way to a label. */
char     *gloss_text_for_row      (const char       *text);
char     *gloss_text_isolate      (const char       *text);
char     *gloss_text_breakable    (const char       *text);
char     *gloss_text_for_message  (const char       *text);

G_END_DECLS
