/* test-markdown.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "test-markdown"

#include "config.h"

#include <string.h>

#include "gloss-link.h"
#include "gloss-markdown.h"

#define ZWSP "\xe2\x80\x8b"

/* Pango would need a display-free check too; GMarkup with the element names
 * Pango and GtkLabel know is what the core can test.
 */
static const char * const allowed_elements[] = {
  "markup", "a", "b", "i", "tt", "span", "s", "u", "sub", "sup", "big", "small",
};

typedef struct
{
  GString *text;
  guint    links;
} Visit;

static void
visit_text (GMarkupParseContext  *context,
            const char           *text,
            gsize                 len,
            gpointer              user_data,
            GError              **error)
{
  Visit *visit = user_data;

  g_string_append_len (visit->text, text, len);
}

static void
title_start (GMarkupParseContext  *context,
             const char           *element,
             const char          **names,
             const char          **values,
             gpointer              user_data,
             GError              **error)
{
  if (!g_str_equal (element, "markup"))
    g_error ("element <%s> in a link tooltip", element);
}

/* GtkLabel shows a link's title as tooltip markup: it must parse, hold no
 * element, and show the target of an external link as it is.
 */
static void
assert_title_sound (const char *href,
                    const char *title)
{
  static const GMarkupParser parser = { title_start, NULL, visit_text, NULL, NULL };
  g_autoptr(GMarkupParseContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *wrapped = NULL;
  Visit visit = { g_string_new (NULL), 0 };

  g_assert_nonnull (title);
  wrapped = g_strconcat ("<markup>", title, "</markup>", NULL);
  context = g_markup_parse_context_new (&parser, 0, &visit, NULL);
  if (!g_markup_parse_context_parse (context, wrapped, -1, &error) ||
      !g_markup_parse_context_end_parse (context, &error))
    g_error ("link tooltip does not parse (%s): %s", error->message, title);

  if (gloss_link_classify (href, NULL) == GLOSS_LINK_EXTERNAL)
    g_assert_cmpstr (visit.text->str, ==, href);
  else
    g_assert_nonnull (strstr (visit.text->str, href + strlen ("entry:")));

  g_string_free (visit.text, TRUE);
}

static void
visit_start (GMarkupParseContext  *context,
             const char           *element,
             const char          **names,
             const char          **values,
             gpointer              user_data,
             GError              **error)
{
  Visit *visit = user_data;
  gboolean known = FALSE;

  for (guint i = 0; i < G_N_ELEMENTS (allowed_elements); i++)
    known |= g_str_equal (element, allowed_elements[i]);
  if (!known)
    g_error ("unexpected element <%s>", element);

  if (g_str_equal (element, "a"))
    {
      const char *href = NULL;
      const char *title = NULL;

      visit->links++;

      for (guint i = 0; names[i] != NULL; i++)
        {
          if (g_str_equal (names[i], "href"))
            href = values[i];
          else if (g_str_equal (names[i], "title"))
            title = values[i];
          else
            g_error ("unexpected attribute %s on <a>", names[i]);
        }

      g_assert_nonnull (href);
      g_assert_cmpint (gloss_link_classify (href, NULL), !=, GLOSS_LINK_REFUSED);
      assert_title_sound (href, title);
    }
  else
    {
      g_assert_null (names[0]);
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

/* Where a label may break a line, as the renderer sees it. */
static gboolean
is_break_opportunity (gunichar c)
{
  switch ((int)g_unichar_break_type (c))
    {
    case G_UNICODE_BREAK_SPACE:
    case G_UNICODE_BREAK_ZERO_WIDTH_SPACE:
    case G_UNICODE_BREAK_AFTER:
    case G_UNICODE_BREAK_IDEOGRAPHIC:
    case G_UNICODE_BREAK_MANDATORY:
    case G_UNICODE_BREAK_LINE_FEED:
    case G_UNICODE_BREAK_NEXT_LINE:
      return TRUE;

    default:
      return c == '\t';
    }
}

static guint
longest_run (const char *text)
{
  guint longest = 0;
  guint run = 0;

  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
    {
      if (is_break_opportunity (g_utf8_get_char (p)))
        run = 0;
      else
        run++;
      longest = MAX (longest, run);
    }

  return longest;
}

static guint
count_elements (const char *markup)
{
  guint n = 0;

  for (const char *p = strchr (markup, '<'); p != NULL; p = strchr (p + 1, '<'))
    n += p[1] != '/';

  return n;
}

/* The markup parses, uses only known elements, links only to what the
 * policy allows, and shows exactly the block's text; and the block is small
 * enough for Pango: so many characters, elements, characters without a
 * break at most.
 */
static guint
assert_block_sound (const GlossBlock *block)
{
  static const GMarkupParser parser = { visit_start, NULL, visit_text, NULL, NULL };
  g_autoptr(GMarkupParseContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *wrapped = NULL;
  g_autofree char *shown = NULL;
  g_autofree char *text = NULL;
  Visit visit = { g_string_new (NULL), 0 };

  g_assert_nonnull (block->markup);
  g_assert_nonnull (block->text);
  g_assert_true (g_utf8_validate (block->markup, -1, NULL));
  g_assert_true (g_utf8_validate (block->text, -1, NULL));
  g_assert_false (has_hidden_controls (block->markup));
  g_assert_false (has_hidden_controls (block->text));

  wrapped = g_strconcat ("<markup>", block->markup, "</markup>", NULL);
  context = g_markup_parse_context_new (&parser, 0, &visit, NULL);
  if (!g_markup_parse_context_parse (context, wrapped, -1, &error) ||
      !g_markup_parse_context_end_parse (context, &error))
    g_error ("markup does not parse (%s): %s", error->message, block->markup);

  shown = without_zwsp (visit.text->str);
  text = without_zwsp (block->text);
  g_assert_cmpstr (shown, ==, text);

  g_assert_cmpuint (g_utf8_strlen (block->text, -1), <=, GLOSS_MARKDOWN_BLOCK_MAX_CHARS);
  g_assert_cmpuint (count_elements (block->markup), <=, GLOSS_MARKDOWN_BLOCK_MAX_ELEMENTS);
  g_assert_cmpuint (longest_run (visit.text->str), <=, GLOSS_MARKDOWN_MAX_RUN);

  g_string_free (visit.text, TRUE);

  switch (block->kind)
    {
    case GLOSS_BLOCK_HEADING:
      g_assert_cmpuint (block->level, >=, 1);
      g_assert_cmpuint (block->level, <=, 6);
      break;

    case GLOSS_BLOCK_LIST_ITEM:
    case GLOSS_BLOCK_QUOTE:
      g_assert_cmpuint (block->level, >=, 1);
      g_assert_cmpuint (block->level, <=, GLOSS_MARKDOWN_MAX_DEPTH);
      break;

    case GLOSS_BLOCK_PARAGRAPH:
    case GLOSS_BLOCK_CODE:
    default:
      g_assert_cmpuint (block->level, <=, GLOSS_MARKDOWN_MAX_DEPTH);
      break;
    }
  g_assert_cmpuint (block->depth, <=, GLOSS_MARKDOWN_MAX_DEPTH);
  if (block->marker != NULL)
    g_assert_cmpint (block->kind, ==, GLOSS_BLOCK_LIST_ITEM);

  return visit.links;
}

static char *
check_entry (const char *entry_id,
             gpointer    user_data)
{
  if (user_data != NULL)
    (*(guint *)user_data)++;

  if (g_str_equal (entry_id, "missing"))
    return g_strdup_printf ("No entry “%s” in this glossary", entry_id);
  if (g_str_equal (entry_id, "hidden"))
    return g_strdup ("Hidden by your filters");

  return NULL;
}

static GPtrArray *
render (const char *markdown)
{
  GPtrArray *blocks = gloss_markdown_render (markdown, -1, check_entry, NULL);

  g_assert_nonnull (blocks);
  for (guint i = 0; i < blocks->len; i++)
    assert_block_sound (g_ptr_array_index (blocks, i));

  return blocks;
}

#define BLOCK(blocks, i) ((GlossBlock *)g_ptr_array_index ((blocks), (i)))

static void
assert_block (const GlossBlock *block,
              GlossBlockKind    kind,
              guint             level,
              const char       *marker,
              const char       *markup,
              const char       *text)
{
  g_assert_cmpint (block->kind, ==, kind);
  g_assert_cmpuint (block->level, ==, level);
  g_assert_cmpstr (block->marker, ==, marker);
  g_assert_cmpstr (block->markup, ==, markup);
  if (text != NULL)
    g_assert_cmpstr (block->text, ==, text);
}

/* Renders text that makes one paragraph, checks its markup and text. */
static void
assert_paragraph (const char *markdown,
                  const char *markup,
                  const char *text)
{
  g_autoptr(GPtrArray) blocks = render (markdown);

  g_assert_cmpuint (blocks->len, ==, 1);
  assert_block (BLOCK (blocks, 0), GLOSS_BLOCK_PARAGRAPH, 0, NULL, markup, text);
  g_assert_null (BLOCK (blocks, 0)->notes);
}

static void
test_markdown_inline (void)
{
  assert_paragraph ("*em* **strong** `code` _em_ __strong__",
                    "<i>em</i> <b>strong</b> <tt>code</tt> <i>em</i> <b>strong</b>",
                    "em strong code em strong");
  assert_paragraph ("***both*** *a **b** c*",
                    "<i><b>both</b></i> <i>a <b>b</b> c</i>",
                    "both a b c");
  /* Nested emphasis looks the same: only the outer tag is written. */
  assert_paragraph ("*a _b_ c*", "<i>a b c</i>", "a b c");
  assert_paragraph ("`<b> & </b>`", "<tt>&lt;b&gt; &amp; &lt;/b&gt;</tt>", "<b> & </b>");
  assert_paragraph ("plain text", "plain text", "plain text");
}

static void
test_markdown_breaks (void)
{
  assert_paragraph ("a  \nb\nc", "a\nb c", "a\nb c");
  assert_paragraph ("a\\\nb", "a\nb", "a\nb");
  assert_paragraph ("  leading and trailing  ", "leading and trailing", NULL);
}

static void
test_markdown_raw_html (void)
{
  assert_paragraph ("<b>x</b>", "&lt;b&gt;x&lt;/b&gt;", "<b>x</b>");
  assert_paragraph ("<script>alert(1)</script>",
                    "&lt;script&gt;alert(1)&lt;/script&gt;",
                    "<script>alert(1)</script>");
  assert_paragraph ("<a href=\"javascript:x\">y</a> <!-- c -->",
                    "&lt;a href=\"javascript:x\"&gt;y&lt;/a&gt; &lt;!-- c --&gt;",
                    "<a href=\"javascript:x\">y</a> <!-- c -->");
  /* An HTML block is a paragraph too, and Markdown inside it still works. */
  assert_paragraph ("<div>\n*hi*\n</div>", "&lt;div&gt; <i>hi</i> &lt;/div&gt;", "<div> hi </div>");
  assert_paragraph ("<span foreground=\"red\">x</span>",
                    "&lt;span foreground=\"red\"&gt;x&lt;/span&gt;",
                    "<span foreground=\"red\">x</span>");
}

static void
test_markdown_escaping (void)
{
  assert_paragraph ("Tom & Jerry < 3 > 2", "Tom &amp; Jerry &lt; 3 &gt; 2", "Tom & Jerry < 3 > 2");
  assert_paragraph ("&amp; &lt;b&gt; &quot;", "&amp; &lt;b&gt; \"", "& <b> \"");
  assert_paragraph ("&copy; &ngE; &#x1F600; &#X41; &#65;", "© ≧̸ 😀 A A", "© ≧̸ 😀 A A");
  /* Unknown names stay as written; NUL and out-of-range become U+FFFD. */
  assert_paragraph ("&bogus; &#0; &#x110000; &#xD800;", "&amp;bogus; � � �", "&bogus; � � �");
  assert_paragraph ("\\<b\\> \\*", "&lt;b&gt; *", "<b> *");
  assert_paragraph ("a&#1;b&#x7f;c&#x85;d", "abcd", "abcd");
}

static void
test_markdown_controls (void)
{
  g_autoptr(GPtrArray) blocks = NULL;
  static const char nul_text[] = "a\0b";

  assert_paragraph ("a\x01\x02" "b\x7f" "c\xc2\x85" "d\te\x0b" "f\x1b[31mg",
                    "abcd\tef[31mg", "abcd\tef[31mg");
  assert_paragraph ("a\rb", "a b", "a b");

  blocks = gloss_markdown_render (nul_text, sizeof nul_text - 1, NULL, NULL);
  g_assert_cmpuint (blocks->len, ==, 1);
  g_assert_cmpstr (BLOCK (blocks, 0)->markup, ==, "a\xef\xbf\xbd" "b");
}

static void
test_markdown_image (void)
{
  assert_paragraph ("![alt *text* & more](picture.png \"title\")", "alt text &amp; more",
                    "alt text & more");
  assert_paragraph ("![outer ![inner](a.png) [link](https://example.com)](b.png)",
                    "outer inner link", NULL);
  assert_paragraph ("![](empty.png)x", "x", "x");
  assert_paragraph ("[![logo](logo.png)](https://example.com)",
                    "<a href=\"https://example.com\" title=\"https://example.com\">logo</a>",
                    "logo");
}

static void
test_markdown_headings (void)
{
  g_autoptr(GPtrArray) blocks = render ("# One\n\n### Three *em*\n\nSetext\n---\n\ntext");

  g_assert_cmpuint (blocks->len, ==, 4);
  assert_block (BLOCK (blocks, 0), GLOSS_BLOCK_HEADING, 1, NULL, "One", "One");
  assert_block (BLOCK (blocks, 1), GLOSS_BLOCK_HEADING, 3, NULL, "Three <i>em</i>", "Three em");
  assert_block (BLOCK (blocks, 2), GLOSS_BLOCK_HEADING, 2, NULL, "Setext", "Setext");
  assert_block (BLOCK (blocks, 3), GLOSS_BLOCK_PARAGRAPH, 0, NULL, "text", "text");
}

static void
test_markdown_lists (void)
{
  g_autoptr(GPtrArray) blocks = NULL;

  blocks = render ("- a\n- *b*\n  - c\n    1. d\n- e\n");
  g_assert_cmpuint (blocks->len, ==, 5);
  assert_block (BLOCK (blocks, 0), GLOSS_BLOCK_LIST_ITEM, 1, "•", "a", "a");
  assert_block (BLOCK (blocks, 1), GLOSS_BLOCK_LIST_ITEM, 1, "•", "<i>b</i>", "b");
  assert_block (BLOCK (blocks, 2), GLOSS_BLOCK_LIST_ITEM, 2, "•", "c", "c");
  assert_block (BLOCK (blocks, 3), GLOSS_BLOCK_LIST_ITEM, 3, "1.", "d", "d");
  assert_block (BLOCK (blocks, 4), GLOSS_BLOCK_LIST_ITEM, 1, "•", "e", "e");
  g_clear_pointer (&blocks, g_ptr_array_unref);

  /* Start numbers count; later paragraphs of an item have no marker. */
  blocks = render ("3. three\n\n   more\n4. four\n\n9) nine\n10) ten\n");
  g_assert_cmpuint (blocks->len, ==, 5);
  assert_block (BLOCK (blocks, 0), GLOSS_BLOCK_LIST_ITEM, 1, "3.", "three", "three");
  assert_block (BLOCK (blocks, 1), GLOSS_BLOCK_LIST_ITEM, 1, NULL, "more", "more");
  assert_block (BLOCK (blocks, 2), GLOSS_BLOCK_LIST_ITEM, 1, "4.", "four", "four");
  assert_block (BLOCK (blocks, 3), GLOSS_BLOCK_LIST_ITEM, 1, "9)", "nine", "nine");
  assert_block (BLOCK (blocks, 4), GLOSS_BLOCK_LIST_ITEM, 1, "10)", "ten", "ten");
  g_clear_pointer (&blocks, g_ptr_array_unref);

  /* An item that starts with a code block or is empty keeps its marker. */
  blocks = render ("- ```\n  code\n  ```\n-\n- x");
  g_assert_cmpuint (blocks->len, ==, 4);
  assert_block (BLOCK (blocks, 0), GLOSS_BLOCK_LIST_ITEM, 1, "•", "", "");
  assert_block (BLOCK (blocks, 1), GLOSS_BLOCK_CODE, 1, NULL, "<tt>code</tt>", "code");
  assert_block (BLOCK (blocks, 2), GLOSS_BLOCK_LIST_ITEM, 1, "•", "", "");
  assert_block (BLOCK (blocks, 3), GLOSS_BLOCK_LIST_ITEM, 1, "•", "x", "x");
  g_clear_pointer (&blocks, g_ptr_array_unref);

  blocks = render ("1. 2. 3. deep");
  g_assert_cmpuint (blocks->len, ==, 3);
  assert_block (BLOCK (blocks, 0), GLOSS_BLOCK_LIST_ITEM, 1, "1.", "", "");
  assert_block (BLOCK (blocks, 1), GLOSS_BLOCK_LIST_ITEM, 2, "2.", "", "");
  assert_block (BLOCK (blocks, 2), GLOSS_BLOCK_LIST_ITEM, 3, "3.", "deep", "deep");
}

static void
test_markdown_quotes (void)
{
  g_autoptr(GPtrArray) blocks = render ("> one\n>\n> > two\n>\n> - item\n\n- > quoted item");

  g_assert_cmpuint (blocks->len, ==, 5);
  assert_block (BLOCK (blocks, 0), GLOSS_BLOCK_QUOTE, 1, NULL, "one", "one");
  assert_block (BLOCK (blocks, 1), GLOSS_BLOCK_QUOTE, 2, NULL, "two", "two");
  assert_block (BLOCK (blocks, 2), GLOSS_BLOCK_LIST_ITEM, 2, "•", "item", "item");
  assert_block (BLOCK (blocks, 3), GLOSS_BLOCK_LIST_ITEM, 1, "•", "", "");
  assert_block (BLOCK (blocks, 4), GLOSS_BLOCK_QUOTE, 2, NULL, "quoted item", "quoted item");
}

static void
test_markdown_code_block (void)
{
  g_autoptr(GPtrArray) blocks = render ("```c\nif (a < b && c)\n  x = \"<i>\";\n```\n\n"
                                        "    indented\n\n"
                                        "> ```\n> quoted\n> ```");

  g_assert_cmpuint (blocks->len, ==, 3);
  assert_block (BLOCK (blocks, 0), GLOSS_BLOCK_CODE, 0, NULL,
                "<tt>if (a &lt; b &amp;&amp; c)\n  x = \"&lt;i&gt;\";</tt>",
                "if (a < b && c)\n  x = \"<i>\";");
  assert_block (BLOCK (blocks, 1), GLOSS_BLOCK_CODE, 0, NULL, "<tt>indented</tt>", "indented");
  assert_block (BLOCK (blocks, 2), GLOSS_BLOCK_CODE, 1, NULL, "<tt>quoted</tt>", "quoted");
}

static void
test_markdown_thematic_break (void)
{
  g_autoptr(GPtrArray) blocks = render ("a\n\n***\n\nb\n\n---");

  g_assert_cmpuint (blocks->len, ==, 2);
  g_assert_cmpstr (BLOCK (blocks, 0)->text, ==, "a");
  g_assert_cmpstr (BLOCK (blocks, 1)->text, ==, "b");
}

static void
test_markdown_links_external (void)
{
  /* "<" and ">" are no URI characters: refused. */
  assert_paragraph ("[Example *site*](https://example.com/a?b=1&c=<2>)",
                    "Example <i>site</i>", "Example site");
  assert_paragraph ("[Example *site*](https://example.com/a?b=1&c=2 \"Ignored\")",
                    "<a href=\"https://example.com/a?b=1&amp;c=2\" "
                    "title=\"https://example.com/a?b=1&amp;amp;c=2\">Example <i>site</i></a>",
                    "Example site");
  assert_paragraph ("[x](https://example.com/it's)",
                    "<a href=\"https://example.com/it&#39;s\" "
                    "title=\"https://example.com/it&amp;apos;s\">x</a>",
                    "x");
  assert_paragraph ("[x](https://example.com/?a=1&amp;b=2)",
                    "<a href=\"https://example.com/?a=1&amp;b=2\" "
                    "title=\"https://example.com/?a=1&amp;amp;b=2\">x</a>",
                    "x");
  assert_paragraph ("<https://example.org/x> <someone@example.com>",
                    "<a href=\"https://example.org/x\" title=\"https://example.org/x\">"
                    "https://example.org/x</a> "
                    "<a href=\"mailto:someone@example.com\" title=\"mailto:someone@example.com\">"
                    "someone@example.com</a>",
                    "https://example.org/x someone@example.com");
  assert_paragraph ("[ja](https://ja.wikipedia.org/wiki/寝取られ)",
                    "<a href=\"https://ja.wikipedia.org/wiki/"
                    "%E5%AF%9D%E5%8F%96%E3%82%89%E3%82%8C\" "
                    "title=\"https://ja.wikipedia.org/wiki/%E5%AF%9D%E5%8F%96%E3%82%89%E3%82%8C\">"
                    "ja</a>",
                    "ja");
  assert_paragraph ("[ref][r]\n\n[r]: https://example.com/ref \"t\"",
                    "<a href=\"https://example.com/ref\" title=\"https://example.com/ref\">ref</a>",
                    "ref");
  /* A link nobody can see is left out. */
  assert_paragraph ("a[](https://example.com)b", "ab", "ab");
}

static void
test_markdown_links_entry (void)
{
  g_autoptr(GPtrArray) blocks = NULL;
  guint calls = 0;

  assert_paragraph ("See [the *other* one](entry:netori).",
                    "See <a href=\"entry:netori\" title=\"Open “netori”\">"
                    "the <i>other</i> one</a>.",
                    "See the other one.");
  assert_paragraph ("<entry:netori>",
                    "<a href=\"entry:netori\" title=\"Open “netori”\">entry:netori</a>",
                    "entry:netori");
  assert_paragraph ("[x](ENTRY:netori)",
                    "<a href=\"entry:netori\" title=\"Open “netori”\">x</a>", "x");
  assert_paragraph ("[x](entry:Bad_Id) [y](entry:)", "x y", "x y");

  /* Refused by the check function: plain text, with the reason noted. */
  blocks = gloss_markdown_render ("A [*gone*](entry:missing), a [secret](entry:hidden), "
                                  "[gone](entry:missing) again and [fine](entry:fine).",
                                  -1, check_entry, &calls);
  g_assert_cmpuint (blocks->len, ==, 1);
  assert_block_sound (BLOCK (blocks, 0));
  g_assert_cmpuint (calls, ==, 4);
  assert_block (BLOCK (blocks, 0), GLOSS_BLOCK_PARAGRAPH, 0, NULL,
                "A <i>gone</i>, a secret, gone again and "
                "<a href=\"entry:fine\" title=\"Open “fine”\">fine</a>.",
                "A gone, a secret, gone again and fine.");
  g_assert_nonnull (BLOCK (blocks, 0)->notes);
  g_assert_cmpuint (g_strv_length (BLOCK (blocks, 0)->notes), ==, 2);
  g_assert_cmpstr (BLOCK (blocks, 0)->notes[0], ==, "gone: No entry “missing” in this glossary");
  g_assert_cmpstr (BLOCK (blocks, 0)->notes[1], ==, "secret: Hidden by your filters");
  g_clear_pointer (&blocks, g_ptr_array_unref);

  /* No check function: every entry link is fine. */
  blocks = gloss_markdown_render ("[gone](entry:missing)", -1, NULL, NULL);
  g_assert_cmpuint (blocks->len, ==, 1);
  g_assert_cmpstr (BLOCK (blocks, 0)->markup, ==,
                   "<a href=\"entry:missing\" title=\"Open “missing”\">gone</a>");
  g_assert_null (BLOCK (blocks, 0)->notes);
}

static void
test_markdown_links_notes (void)
{
  g_autoptr(GString) markdown = g_string_new (NULL);
  g_autoptr(GPtrArray) blocks = NULL;
  g_autofree char *long_label = g_strnfill (200, 'x');
  char **notes;

  g_string_append_printf (markdown, "[%s](entry:missing) ", long_label);
  for (guint i = 0; i < 30; i++)
    g_string_append_printf (markdown, "[l%u](entry:missing) ", i);

  blocks = render (markdown->str);
  g_assert_cmpuint (blocks->len, ==, 1);
  notes = BLOCK (blocks, 0)->notes;
  g_assert_nonnull (notes);

  /* Labels are cut, and a tooltip does not grow without end. */
  g_assert_true (g_str_has_suffix (notes[0], "…: No entry “missing” in this glossary"));
  g_assert_cmpuint (g_utf8_strlen (notes[0], -1), <, 120);
  g_assert_cmpuint (g_strv_length (notes), <=, 11);
  g_assert_cmpstr (notes[g_strv_length (notes) - 1], ==, "…");
}

static void
test_markdown_links_refused (void)
{
  static const char * const refused[] = {
    "[label](file:///etc/passwd)",
    "[label](javascript:alert(1))",
    "[label](JavaScript:alert(1))",
    "[label](data:text/html,x)",
    "[label](relative/path)",
    "[label](/absolute)",
    "[label](//example.com)",
    "[label](#frag)",
    "[label](https://good@evil.example)",
    "[label](https://evil.example\\\\@good.example)",
    "[label](<https://example.com/a b>)",
    "[label](https:example.com)",
    "[label](http:/x)",
    "[label](mailto:)",
    "[label](mailto:a@example.com?attach=/etc/passwd)",
    "[label](ftp://example.com)",
    "[label](entry:UPPER)",
    "[label](<entry:a b>)",
    "[label](https://example.com/&#x202e;)",
    "[label](https://example.com/%00x)",
    "<file:///etc/passwd>",
    "<javascript:alert(1)>",
  };

  for (guint i = 0; i < G_N_ELEMENTS (refused); i++)
    {
      g_autoptr(GPtrArray) blocks = render (refused[i]);

      g_assert_cmpuint (blocks->len, ==, 1);
      g_assert_null (strstr (BLOCK (blocks, 0)->markup, "<a"));
      g_assert_null (BLOCK (blocks, 0)->notes);
      if (refused[i][0] == '[')
        g_assert_cmpstr (BLOCK (blocks, 0)->markup, ==, "label");
    }
}

static void
test_markdown_long_runs (void)
{
  g_autofree char *word = g_strnfill (100000, 'a');
  g_autofree char *url = g_strnfill (3000, 'b');
  g_autofree char *link = g_strdup_printf ("[%s](https://example.com/%s)", word, url);
  g_autoptr(GPtrArray) blocks = render (word);
  g_autoptr(GString) markup = g_string_new (NULL);
  g_autoptr(GString) text = g_string_new (NULL);
  g_auto(GStrv) pieces = NULL;
  g_autofree char *href = NULL;
  guint n_pieces;

  /* The word comes in blocks small enough for Pango to lay out quickly,
   * which together hold all of it. */
  g_assert_cmpuint (blocks->len, >=, 100000 / 1500);
  for (guint i = 0; i < blocks->len; i++)
    {
      g_assert_cmpuint (g_utf8_strlen (BLOCK (blocks, i)->text, -1), <=, 1000);
      g_assert_cmpint (BLOCK (blocks, i)->kind, ==, GLOSS_BLOCK_PARAGRAPH);
      g_string_append (markup, BLOCK (blocks, i)->markup);
      g_string_append (text, BLOCK (blocks, i)->text);
    }

  /* Break opportunities every 60 or so characters, none in the text. */
  pieces = g_strsplit (markup->str, ZWSP, -1);
  n_pieces = g_strv_length (pieces);
  g_assert_cmpstr (text->str, ==, word);
  g_assert_cmpuint (n_pieces, >=, 100000 / 61);
  for (guint i = 0; i < n_pieces; i++)
    g_assert_cmpuint (strlen (pieces[i]), <=, 60);
  g_clear_pointer (&blocks, g_ptr_array_unref);

  /* Not inside href, though; a link cut in pieces links from each. */
  blocks = render (link);
  href = g_strdup_printf ("href=\"https://example.com/%s\"", url);
  g_assert_nonnull (strstr (BLOCK (blocks, 0)->markup, href));
  g_assert_nonnull (strstr (BLOCK (blocks, 0)->markup, ZWSP));
  g_clear_pointer (&blocks, g_ptr_array_unref);

  /* Spaces are break opportunities already. */
  blocks = render ("short words only, many of them, in a sentence that goes on and on and on "
                   "for more than sixty characters in all");
  g_assert_null (strstr (BLOCK (blocks, 0)->markup, ZWSP));
  g_clear_pointer (&blocks, g_ptr_array_unref);

  /* No break inside a character with combining marks. */
  {
    g_autoptr(GString) marks = g_string_new (NULL);

    for (guint i = 0; i < 200; i++)
      g_string_append (marks, "e\xcc\x81");
    blocks = render (marks->str);
    g_assert_null (strstr (BLOCK (blocks, 0)->markup, ZWSP "\xcc\x81"));
    g_assert_nonnull (strstr (BLOCK (blocks, 0)->markup, ZWSP));
  }
}

/* Text dense with elements comes in blocks of a few dozen at most, which
 * together show all of it (render () checks each block's shape). */
static void
test_markdown_dense_elements (void)
{
  static const struct
  {
    const char *piece;
    const char *shown;
  } cases[] = {
    { "*a* ", "a " },
    { "**a** *b* `c` ", "a b c " },
    { "[x](https://example.org/) ", "x " },
    { "*[x](https://example.org/)* ", "x " },
    { "[x](entry:missing) ", "x " },
    { "*a*_b_**c**", "abc" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GString) markdown = g_string_new (NULL);
      g_autoptr(GString) expected = g_string_new (NULL);
      g_autoptr(GString) shown = g_string_new (NULL);
      g_autoptr(GPtrArray) blocks = NULL;

      for (guint j = 0; j < 2000; j++)
        {
          g_string_append (markdown, cases[i].piece);
          g_string_append (expected, cases[i].shown);
        }

      blocks = render (markdown->str);
      g_assert_cmpuint (blocks->len, >, 1);
      for (guint j = 0; j < blocks->len; j++)
        {
          g_autofree char *text = without_zwsp (BLOCK (blocks, j)->text);

          g_string_append (shown, text);
        }
      g_assert_cmpstr (g_strchomp (shown->str), ==, g_strchomp (expected->str));
    }
}

/* Entities can stack more combining marks on a character than the loader
 * lets through: the rest is left out, and the block says so. */
static void
test_markdown_mark_stacks (void)
{
  g_autoptr(GString) markdown = g_string_new ("a");
  g_autoptr(GString) expected = g_string_new ("a");
  g_autoptr(GPtrArray) blocks = NULL;

  for (guint i = 0; i < 50000; i++)
    g_string_append (markdown, "&#769;");
  for (guint i = 0; i < 30; i++)
    g_string_append (expected, "\xcc\x81");
  g_string_append (markdown, " b&#x301;&#x301;");
  g_string_append (expected, " b\xcc\x81\xcc\x81");

  blocks = render (markdown->str);
  g_assert_cmpuint (blocks->len, ==, 1);
  g_assert_cmpstr (BLOCK (blocks, 0)->text, ==, expected->str);
  g_assert_nonnull (BLOCK (blocks, 0)->notes);
  g_assert_nonnull (strstr (BLOCK (blocks, 0)->notes[0], "30"));
  g_clear_pointer (&blocks, g_ptr_array_unref);

  /* Thirty are kept, with nothing said. */
  g_string_truncate (markdown, 0);
  g_string_append (markdown, "a");
  for (guint i = 0; i < 30; i++)
    g_string_append (markdown, "\xcc\x81");
  blocks = render (markdown->str);
  g_assert_cmpstr (BLOCK (blocks, 0)->text, ==, markdown->str);
  g_assert_null (BLOCK (blocks, 0)->notes);
}

static void
test_markdown_block_limit (void)
{
  g_autoptr(GString) markdown = g_string_new (NULL);
  g_autoptr(GPtrArray) blocks = NULL;
  g_autoptr(GString) all_text = g_string_new (NULL);

  for (guint i = 0; i < 2000; i++)
    g_string_append_printf (markdown, "- item %u\n", i);

  blocks = render (markdown->str);
  g_assert_cmpuint (blocks->len, >, GLOSS_MARKDOWN_MAX_BLOCKS);
  g_assert_cmpuint (blocks->len, <, GLOSS_MARKDOWN_MAX_BLOCKS + 40);

  for (guint i = 0; i < blocks->len; i++)
    g_string_append_printf (all_text, "%s\n", BLOCK (blocks, i)->text);

  /* Nothing is lost, items past the limit keep their markers. */
  g_assert_nonnull (strstr (all_text->str, "item 0\n"));
  g_assert_nonnull (strstr (all_text->str, "• item 1999\n"));
  g_assert_cmpint (BLOCK (blocks, GLOSS_MARKDOWN_MAX_BLOCKS)->kind, ==, GLOSS_BLOCK_PARAGRAPH);
  g_assert_null (BLOCK (blocks, GLOSS_MARKDOWN_MAX_BLOCKS)->marker);
  g_assert_true (g_str_has_prefix (BLOCK (blocks, GLOSS_MARKDOWN_MAX_BLOCKS)->text,
                                   "• item 256\n• item 257\n"));
}

static void
test_markdown_depth_limit (void)
{
  g_autoptr(GString) markdown = g_string_new (NULL);
  g_autoptr(GPtrArray) blocks = NULL;

  for (guint i = 0; i < 100; i++)
    g_string_append (markdown, "> ");
  g_string_append (markdown, "deep");

  blocks = render (markdown->str);
  g_assert_cmpuint (blocks->len, ==, 1);
  assert_block (BLOCK (blocks, 0), GLOSS_BLOCK_QUOTE, GLOSS_MARKDOWN_MAX_DEPTH, NULL,
                "deep", "deep");
}

static void
test_markdown_invalid_utf8 (void)
{
  static const char bad[] = "a\xff" "b\xc3" "c\xed\xa0\x80" "d";
  g_autoptr(GPtrArray) blocks = gloss_markdown_render (bad, sizeof bad - 1, NULL, NULL);

  g_assert_cmpuint (blocks->len, ==, 1);
  assert_block_sound (BLOCK (blocks, 0));
  g_assert_cmpstr (BLOCK (blocks, 0)->text, ==,
                   "a\xef\xbf\xbd" "b\xef\xbf\xbd" "c\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd" "d");
}

static void
test_markdown_empty (void)
{
  g_autoptr(GPtrArray) blocks = gloss_markdown_render ("", -1, NULL, NULL);
  g_autoptr(GPtrArray) blocks2 = gloss_markdown_render ("   \n\n\t\n", -1, NULL, NULL);
  g_autoptr(GPtrArray) blocks3 = gloss_markdown_render (NULL, 0, NULL, NULL);

  g_assert_cmpuint (blocks->len, ==, 0);
  g_assert_cmpuint (blocks2->len, ==, 0);
  g_assert_cmpuint (blocks3->len, ==, 0);
}

static void
test_markdown_length (void)
{
  g_autoptr(GPtrArray) blocks = gloss_markdown_render ("*a* and more", 3, NULL, NULL);

  g_assert_cmpuint (blocks->len, ==, 1);
  g_assert_cmpstr (BLOCK (blocks, 0)->markup, ==, "<i>a</i>");
}

/* Inputs that have broken Markdown renderers, or might break ours. */
static const char * const nasty[] = {
  "<",
  "&",
  "&#",
  "&#x;",
  "&;",
  "]]>",
  "<![CDATA[x]]>",
  "<?xml version=\"1.0\"?>",
  "<!DOCTYPE markup [<!ENTITY x \"y\">]>&x;",
  "</markup><markup>",
  "</a></b></i></tt>",
  "<a href='x'>",
  "\"'\"'",
  "[a](https://example.com/\"><b>x</b>)",
  "[a](<https://example.com/\"onmouseover=\"x>)",
  "[a](https://example.com/ \"title\" \"x\")",
  "[a](https://example.com/'><span foreground='red'>)",
  "[<b>](https://example.com)",
  "[*a](https://example.com)*",
  "*[a*](https://example.com)",
  "**a [b** c](https://example.com)",
  "`[a`](https://example.com)",
  "[a `](https://example.com)`",
  "[[a](https://example.com)](https://example.org)",
  "[a [b](https://example.com) c](https://example.org)",
  "![a [b](https://example.com) c](x.png)",
  "[![a](b.png) ![c](d.png)](https://example.com)",
  "<https://example.com/<b>>",
  "<https://example.com/&amp;>",
  "<mailto:a@b.c?subject=<b>>",
  "\\",
  "\\\\",
  "    \t\t  code\x01",
  "```\n<b>\n```",
  "~~~\n&amp;\n~~~",
  "> ```\n> code\n\nlazy",
  "- a\n > b\n   - c\n     ```\n     d",
  "1. a\n   > b\n   > 2. c",
  "- [ ] task\n- [x] done",
  "| a | b |\n|---|---|\n| c | d |",
  "~~strike~~ ==mark== $x$ [[wiki]]",
  "a\u2028b\u2029c\xc2\x85" "d",
  "\xe2\x80\xae" "reversed" "\xe2\x80\xac",
  "\xef\xbb\xbf" "bom",
  "\xf4\x8f\xbf\xbf\xef\xbf\xbe",
  "a\xcc\x81\xcc\x81\xcc\x81\xcc\x81\xcc\x81\xcc\x81\xcc\x81\xcc\x81",
  "🇯🇵🇯🇵🇯🇵👩‍👩‍👧‍👦",
  "[x]: https://example.com\n[x]",
  "[x]\n\n[x]: javascript:alert(1)",
  "[a](entry:missing)[b](entry:missing)",
  "*a **b** c* ***d*** _e __f__ g_",
  "***a**b*",
  "a**b**c__d__e",
  "&lt;script&gt;",
  "&amp;lt;",
  "&#60;b&#62;",
  "&#x3C;i&#x3e;",
  "# <b>\n## &lt;\n###### [x](entry:y)",
  "\n\n\n",
  "\t",
  "-",
  "1.",
  ">",
  "#",
  "[",
  "](",
  "![",
  "<!--",
  "<a",
  "x\n===",
  "    ",
  /* md4c 0.4.8 read past the end of this one (md_is_inline_link_spec()) */
  "[entry](e*ntry:netori) [missing](entry:missi[enngma[wle.com/a) [wle.com/a?bcopy=1<com> "
  "[mail](mailto](eng) [web](https:s://ext{.",
  "1.",
  "[a](b\n",
};

static void
test_markdown_nasty (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (nasty); i++)
    {
      g_autoptr(GPtrArray) blocks = render (nasty[i]);

      for (guint j = 0; j < blocks->len; j++)
        {
          const char *markup = BLOCK (blocks, j)->markup;

          /* Only our own tags; nothing from the input is markup. */
          g_assert_null (strstr (markup, "<b>x</b>"));
          g_assert_null (strstr (markup, "<span"));
          g_assert_null (strstr (markup, "<!"));
          g_assert_null (strstr (markup, "<?"));
          g_assert_null (strstr (markup, "javascript"));
        }
    }
}

static char *
repeat (const char *piece,
        gsize       total)
{
  gsize len = strlen (piece);
  GString *str = g_string_sized_new (total + len);

  while (str->len < total)
    g_string_append_len (str, piece, len);

  return g_string_free (str, FALSE);
}

/* A hang guard only: the budget of 100 ms per entry is measured in the
 * benchmarks, with an optimised build.
 */
static void
test_markdown_bombs (void)
{
  static const char * const pieces[] = {
    ">", "> ", "> - ", "- > ", "[", "]", "[a](", "](", "![", "[![", "*", "*a", "a*", "**a",
    "*a **b ", "_a ", "a_ ", "*_", "`", "``a", "<", "<a", "<https://a.b/", "&amp;", "&#", "\\",
    "- ", "1. ", "   - ", "x\n", "x\n\n", "- x\n", "a  \n", "[a]: b\n", "[a] ", "[entry:x](",
    "[x](entry:missing) ", "\xcc\x81", "\xe2\x80\x8b", "a", "漢", "\x01",
  };

  for (guint i = 0; i < G_N_ELEMENTS (pieces); i++)
    {
      g_autofree char *bomb = repeat (pieces[i], 100000);
      g_autofree char *escaped = g_strescape (pieces[i], NULL);
      g_autoptr(GPtrArray) blocks = NULL;
      gint64 start = g_get_monotonic_time ();
      gint64 elapsed;

      blocks = gloss_markdown_render (bomb, -1, check_entry, NULL);
      elapsed = g_get_monotonic_time () - start;
      for (guint j = 0; j < blocks->len; j++)
        assert_block_sound (g_ptr_array_index (blocks, j));

      g_test_message ("'%s' x %zu: %u blocks, %.1f ms",
                      escaped, 100000 / strlen (pieces[i]), blocks->len, elapsed / 1000.0);
      g_assert_cmpint (elapsed, <, 10 * G_USEC_PER_SEC);
      g_assert_cmpuint (blocks->len, <=, GLOSS_MARKDOWN_MAX_BLOCKS + 100000 / 500 * 2 + 1);
    }

  /* Nesting made of lines. */
  {
    g_autoptr(GString) bomb = g_string_new (NULL);
    g_autoptr(GPtrArray) blocks = NULL;
    gint64 start = g_get_monotonic_time ();

    for (guint i = 0; i < 300; i++)
      {
        for (guint j = 0; j < i; j++)
          g_string_append (bomb, "  ");
        g_string_append (bomb, "- a\n");
      }

    blocks = gloss_markdown_render (bomb->str, -1, check_entry, NULL);
    g_assert_cmpint (g_get_monotonic_time () - start, <, 10 * G_USEC_PER_SEC);
    for (guint j = 0; j < blocks->len; j++)
      assert_block_sound (g_ptr_array_index (blocks, j));
  }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/gloss/markdown/inline", test_markdown_inline);
  g_test_add_func ("/gloss/markdown/breaks", test_markdown_breaks);
  g_test_add_func ("/gloss/markdown/raw-html", test_markdown_raw_html);
  g_test_add_func ("/gloss/markdown/escaping", test_markdown_escaping);
  g_test_add_func ("/gloss/markdown/controls", test_markdown_controls);
  g_test_add_func ("/gloss/markdown/image", test_markdown_image);
  g_test_add_func ("/gloss/markdown/headings", test_markdown_headings);
  g_test_add_func ("/gloss/markdown/lists", test_markdown_lists);
  g_test_add_func ("/gloss/markdown/quotes", test_markdown_quotes);
  g_test_add_func ("/gloss/markdown/code-block", test_markdown_code_block);
  g_test_add_func ("/gloss/markdown/thematic-break", test_markdown_thematic_break);
  g_test_add_func ("/gloss/markdown/links/external", test_markdown_links_external);
  g_test_add_func ("/gloss/markdown/links/entry", test_markdown_links_entry);
  g_test_add_func ("/gloss/markdown/links/notes", test_markdown_links_notes);
  g_test_add_func ("/gloss/markdown/links/refused", test_markdown_links_refused);
  g_test_add_func ("/gloss/markdown/long-runs", test_markdown_long_runs);
  g_test_add_func ("/gloss/markdown/dense-elements", test_markdown_dense_elements);
  g_test_add_func ("/gloss/markdown/mark-stacks", test_markdown_mark_stacks);
  g_test_add_func ("/gloss/markdown/block-limit", test_markdown_block_limit);
  g_test_add_func ("/gloss/markdown/depth-limit", test_markdown_depth_limit);
  g_test_add_func ("/gloss/markdown/invalid-utf8", test_markdown_invalid_utf8);
  g_test_add_func ("/gloss/markdown/empty", test_markdown_empty);
  g_test_add_func ("/gloss/markdown/length", test_markdown_length);
  g_test_add_func ("/gloss/markdown/nasty", test_markdown_nasty);
  g_test_add_func ("/gloss/markdown/bombs", test_markdown_bombs);

  return g_test_run ();
}
