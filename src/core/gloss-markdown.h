/* gloss-markdown.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef enum
{
  GLOSS_BLOCK_PARAGRAPH,
  GLOSS_BLOCK_HEADING,
  GLOSS_BLOCK_LIST_ITEM,
  GLOSS_BLOCK_QUOTE,
  GLOSS_BLOCK_CODE,
} GlossBlockKind;

/* Nesting of quotes and lists deeper than this is flattened. */
#define GLOSS_MARKDOWN_MAX_DEPTH 32

/* After this many blocks, the rest of a text is gathered into paragraphs of
 * a few thousand characters, so that hostile input cannot ask for a
 * hundred thousand widgets.
 */
#define GLOSS_MARKDOWN_MAX_BLOCKS 256

/* The shape of every block, so that Pango lays any one of them out in a
 * few milliseconds: at most this many characters of text, this many
 * elements in its markup, and this many characters in a row without a
 * place to break the line (a space, or an inserted U+200B).
 */
#define GLOSS_MARKDOWN_BLOCK_MAX_CHARS    960
#define GLOSS_MARKDOWN_BLOCK_MAX_ELEMENTS 64
#define GLOSS_MARKDOWN_MAX_RUN            92

typedef struct
{
  GlossBlockKind   kind;
  /* HEADING: 1-6. LIST_ITEM, QUOTE, CODE: nesting depth of the quotes and
   * lists around the block, from 1 (0 for a code block at top level).
   * PARAGRAPH: 0.
   */
  guint            level;
  /* Quotes and lists around the block, at most GLOSS_MARKDOWN_MAX_DEPTH;
   * the same as level except for headings.
   */
  guint            depth;
  /* LIST_ITEM: "•" or "3." ("3)" when so written) for the first block of
   * an item, NULL for its later paragraphs. NULL for other kinds.
   */
  char            *marker;
  /* Pango markup for a GtkLabel: only <a>, <b>, <i> and <tt> elements,
   * every character of the bundle escaped, break opportunities (U+200B)
   * inserted into long runs without spaces.
   */
  char            *markup;
  /* The visible text of markup, without the inserted U+200B. */
  char            *text;
  /* NULL, or "label: reason" for each link rendered as plain text because
   * the check function refused it. Plain text: use as a tooltip text, not
   * tooltip markup.
   */
  char           **notes;
} GlossBlock;

/* Returns NULL when the entry exists and may be shown, or a newly allocated
 * reason why a link to it renders as plain text.
 */
typedef char *(*GlossLinkCheckFunc) (const char *entry_id,
                                     gpointer    user_data);

typedef void (*GlossLinkFunc) (const char *target,
                               gpointer    user_data);

void        gloss_block_free      (GlossBlock         *block);
GPtrArray  *gloss_markdown_render (const char         *markdown,
                                   gssize              length,
                                   GlossLinkCheckFunc  check,
                                   gpointer            user_data);

void        gloss_markdown_foreach_link (const char    *markdown,
                                         gssize         length,
                                         GlossLinkFunc  func,
                                         gpointer       user_data);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (GlossBlock, gloss_block_free)

G_END_DECLS
