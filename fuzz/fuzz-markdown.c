/* fuzz-markdown.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "fuzz-markdown"

#include "config.h"

#include <stdint.h>
#include <string.h>

#include "gloss-link.h"
#include "gloss-markdown.h"

#include "fuzz-log.h"

/*
 * Renders arbitrary Markdown and checks what gloss-markdown promises: every
 * block's markup is well-formed, uses only Pango's elements, links only to
 * targets the link policy accepts with tooltips that are safe markup, and
 * shows exactly the block's text.
 *
 *   clang -g -O1 -fsanitize=fuzzer,address,undefined -I src/core -I BUILDDIR \
 *     fuzz/fuzz-markdown.c src/core/gloss-markdown.c src/core/gloss-link.c \
 *     $(pkg-config --cflags --libs glib-2.0 md4c)
 *   ./a.out fuzz/corpus/markdown
 */

int LLVMFuzzerInitialize   (int            *argc,
                            char         ***argv);
int LLVMFuzzerTestOneInput (const uint8_t  *data,
                            size_t          size);

static const char * const allowed_elements[] = {
  "markup", "a", "b", "i", "tt", "span", "s", "u", "sub", "sup", "big", "small",
};

#define ZWSP "\xe2\x80\x8b"

static gboolean
has_hidden_controls (const char *str)
{
  for (const char *p = str; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if ((c < 0x20 && c != '\t' && c != '\n') || (c >= 0x7F && c <= 0x9F))
        return TRUE;
    }

  return FALSE;
}

static void
visit_text (GMarkupParseContext  *context,
            const char           *text,
            gsize                 len,
            gpointer              user_data,
            GError              **error)
{
  g_string_append_len (user_data, text, len);
}

static void
title_start (GMarkupParseContext  *context,
             const char           *element,
             const char          **names,
             const char          **values,
             gpointer              user_data,
             GError              **error)
{
  if (strcmp (element, "markup") != 0)
    g_error ("element <%s> in a link tooltip", element);
}

/* GtkLabel shows a link's title as tooltip markup: it must parse, hold no
 * element, and show the target of an external link as it is.
 */
static void
check_title (const char *href,
             const char *title)
{
  static const GMarkupParser parser = { title_start, NULL, visit_text, NULL, NULL };
  g_autoptr(GMarkupParseContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GString) shown = g_string_new (NULL);
  g_autofree char *wrapped = NULL;

  if (title == NULL)
    g_error ("link without title");

  wrapped = g_strconcat ("<markup>", title, "</markup>", NULL);
  context = g_markup_parse_context_new (&parser, 0, shown, NULL);
  if (!g_markup_parse_context_parse (context, wrapped, -1, &error) ||
      !g_markup_parse_context_end_parse (context, &error))
    g_error ("link tooltip does not parse (%s): %s", error->message, title);

  if (gloss_link_classify (href, NULL) == GLOSS_LINK_EXTERNAL && strcmp (shown->str, href) != 0)
    g_error ("tooltip “%s” for a link to “%s”", shown->str, href);
}

static void
visit_start (GMarkupParseContext  *context,
             const char           *element,
             const char          **names,
             const char          **values,
             gpointer              user_data,
             GError              **error)
{
  gboolean known = FALSE;

  for (guint i = 0; i < G_N_ELEMENTS (allowed_elements); i++)
    known |= strcmp (element, allowed_elements[i]) == 0;
  if (!known)
    g_error ("unexpected element <%s>", element);

  if (strcmp (element, "a") == 0)
    {
      const char *href = NULL;
      const char *title = NULL;

      for (guint i = 0; names[i] != NULL; i++)
        {
          if (strcmp (names[i], "href") == 0)
            href = values[i];
          else if (strcmp (names[i], "title") == 0)
            title = values[i];
          else
            g_error ("unexpected attribute %s on <a>", names[i]);
        }

      if (href == NULL)
        g_error ("<a> without href");
      if (gloss_link_classify (href, NULL) == GLOSS_LINK_REFUSED)
        g_error ("link to a refused target: %s", href);
      check_title (href, title);
    }
  else if (names[0] != NULL)
    {
      g_error ("unexpected attribute %s on <%s>", names[0], element);
    }
}

static char *
without_zwsp (const char *str)
{
  GString *copy = g_string_sized_new (strlen (str));
  const char *p = str;
  const char *zwsp;

  while ((zwsp = strstr (p, ZWSP)) != NULL)
    {
      g_string_append_len (copy, p, zwsp - p);
      p = zwsp + strlen (ZWSP);
    }
  g_string_append (copy, p);

  return g_string_free (copy, FALSE);
}

static void
check_block (const GlossBlock *block)
{
  static const GMarkupParser parser = { visit_start, NULL, visit_text, NULL, NULL };
  g_autoptr(GMarkupParseContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GString) shown = g_string_new (NULL);
  g_autofree char *wrapped = NULL;
  g_autofree char *shown_text = NULL;
  g_autofree char *text = NULL;

  if (block->markup == NULL || block->text == NULL)
    g_error ("block without markup or text");
  if (!g_utf8_validate (block->markup, -1, NULL) || !g_utf8_validate (block->text, -1, NULL))
    g_error ("invalid UTF-8 in a block");
  if (has_hidden_controls (block->markup) || has_hidden_controls (block->text))
    g_error ("control characters in a block");

  wrapped = g_strconcat ("<markup>", block->markup, "</markup>", NULL);
  context = g_markup_parse_context_new (&parser, 0, shown, NULL);
  if (!g_markup_parse_context_parse (context, wrapped, -1, &error) ||
      !g_markup_parse_context_end_parse (context, &error))
    g_error ("markup does not parse (%s): %s", error->message, block->markup);

  shown_text = without_zwsp (shown->str);
  text = without_zwsp (block->text);
  if (strcmp (shown_text, text) != 0)
    g_error ("markup shows “%s”, text is “%s”", shown_text, text);

  if (block->level > GLOSS_MARKDOWN_MAX_DEPTH || block->depth > GLOSS_MARKDOWN_MAX_DEPTH)
    g_error ("block nested too deep");
  if (block->kind == GLOSS_BLOCK_HEADING && (block->level < 1 || block->level > 6))
    g_error ("heading level %u", block->level);
  if (block->marker != NULL && block->kind != GLOSS_BLOCK_LIST_ITEM)
    g_error ("marker on a block that is no list item");

  for (guint i = 0; block->notes != NULL && block->notes[i] != NULL; i++)
    {
      if (!g_utf8_validate (block->notes[i], -1, NULL) || has_hidden_controls (block->notes[i]))
        g_error ("bad note");
      if (i > 10)
        g_error ("too many notes");
    }
}

/* Refuses some entries, so that both paths are taken. */
static char *
check_entry (const char *entry_id,
             gpointer    user_data)
{
  if (!gloss_link_is_valid_entry_id (entry_id))
    g_error ("check called with a bad entry id");

  if (strlen (entry_id) % 2 == 1)
    return g_strdup_printf ("No entry “%s” in this glossary", entry_id);

  return NULL;
}

int
LLVMFuzzerInitialize (int    *argc,
                      char ***argv)
{
  fuzz_log_init ();
  return 0;
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(GPtrArray) blocks = NULL;

  /* The loader only ever passes valid UTF-8, without NUL. */
  if (!g_utf8_validate_len ((const char *)data, size, NULL))
    return 0;

  /* Not nul-terminated: ASan sees any read past the end. */
  blocks = gloss_markdown_render ((const char *)data, size, check_entry, NULL);
  if (blocks == NULL)
    g_error ("no blocks");

  if (blocks->len > GLOSS_MARKDOWN_MAX_BLOCKS + size / 1000 + 1)
    g_error ("%u blocks for %zu bytes", blocks->len, size);

  for (guint i = 0; i < blocks->len; i++)
    check_block (g_ptr_array_index (blocks, i));

  return 0;
}
