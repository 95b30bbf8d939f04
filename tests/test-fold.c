/* test-fold.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "gloss-fold.h"

static void
assert_fold (const char *input,
             const char *expected)
{
  g_autofree char *folded = gloss_fold (input, -1);

  g_assert_cmpstr (folded, ==, expected);
}

static void
test_fold_ascii (void)
{
  assert_fold ("", "");
  assert_fold ("Hello, World! 42", "hello, world! 42");
  assert_fold ("C++ /dev/null .NET", "c++ /dev/null .net");
}

static void
test_fold_case (void)
{
  assert_fold ("Straße", "strasse");
  assert_fold ("STRASSE", "strasse");
  assert_fold ("ẞ", "ss");
  assert_fold ("ΣΟΦΟΣ σοφος", "σοφοσ σοφοσ");
  assert_fold ("İstanbul", "istanbul");
}

static void
test_fold_compatibility (void)
{
  assert_fold ("ＮＴＲ", "ntr");
  assert_fold ("ﬁle", "file");
  assert_fold ("①", "1");
  assert_fold ("Ⅻ", "xii");
  assert_fold ("ｶﾞ", "ガ");
  assert_fold ("㍻", "平成");
}

static void
test_fold_diacritics (void)
{
  assert_fold ("naïve", "naive");
  assert_fold ("nai\xcc\x88ve", "naive");        /* decomposed, mark after ASCII */
  assert_fold ("Ångström Café", "angstrom cafe");
  assert_fold ("Ἀθῆναι", "αθηναι");
  assert_fold ("Ёлка й", "елка и");
  assert_fold ("Ｅ\xcc\x81", "e");                /* fullwidth base, combining acute */
}

static void
test_fold_kept_marks (void)
{
  /* Japanese voicing marks are not diacritics. */
  assert_fold ("が", "が");
  assert_fold ("か\xe3\x82\x99", "が");           /* か + U+3099 recomposes */
  assert_fold ("パン", "パン");
  g_assert_false (g_str_equal ("が", "か"));

  /* Marks on other scripts stay too. */
  assert_fold ("हिन्दी", "हिन्दी");
  assert_fold ("한국어", "한국어");
}

/* The fold of one character the slow way, on the whole string: NFKD, marks
 * dropped after a Latin, Greek or Cyrillic base, case folding, NFC. */
static char *
reference_fold (const char *text)
{
  g_autofree char *decomposed = g_utf8_normalize (text, -1, G_NORMALIZE_ALL);
  g_autofree char *folded = NULL;
  g_autoptr(GString) kept = g_string_new (NULL);
  GUnicodeScript base = G_UNICODE_SCRIPT_COMMON;

  for (const char *p = decomposed; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);
      GUnicodeType type = g_unichar_type (c);

      if (type == G_UNICODE_NON_SPACING_MARK &&
          (base == G_UNICODE_SCRIPT_LATIN || base == G_UNICODE_SCRIPT_GREEK ||
           base == G_UNICODE_SCRIPT_CYRILLIC))
        continue;
      if (type != G_UNICODE_NON_SPACING_MARK && type != G_UNICODE_SPACING_MARK &&
          type != G_UNICODE_ENCLOSING_MARK && c != 0xFF9E && c != 0xFF9F)
        base = g_unichar_get_script (c);
      g_string_append_unichar (kept, c);
    }

  folded = g_utf8_casefold (kept->str, kept->len);
  return g_utf8_normalize (folded, -1, G_NORMALIZE_DEFAULT_COMPOSE);
}

/* The shortcuts for single characters (a table below U+0800, characters
 * that fold to themselves) agree with the full fold, for every code point. */
static void
test_fold_every_character (void)
{
  guint checked = 0;

  for (gunichar c = 0x80; c <= 0x10FFFF; c++)
    {
      char text[8] = { 0, };
      g_autofree char *expected = NULL;
      g_autofree char *folded = NULL;

      if (c >= 0xD800 && c <= 0xDFFF)
        continue;

      g_unichar_to_utf8 (c, text);
      expected = reference_fold (text);
      folded = gloss_fold (text, -1);
      if (g_strcmp0 (folded, expected) != 0)
        g_error ("U+%04X folds to \"%s\", not \"%s\"", c, folded, expected);
      checked++;
    }

  g_assert_cmpuint (checked, ==, 0x10FFFF - 0x80 + 1 - 0x800);
}

static void
test_fold_key (void)
{
  g_autofree char *a = gloss_fold_key ("  Foo \t  Bar\n", -1);
  g_autofree char *b = gloss_fold_key ("ＦＯＯ　ｂａｒ", -1);
  g_autofree char *c = gloss_fold_key ("", -1);

  g_assert_cmpstr (a, ==, "foo bar");
  g_assert_cmpstr (b, ==, "foo bar");
  g_assert_cmpstr (c, ==, "");
}

static gboolean
collect_token (const GlossToken *token,
               gpointer          user_data)
{
  GString *out = user_data;

  if (out->len > 0)
    g_string_append_c (out, '|');
  g_string_append_len (out, token->text, token->len);
  if (token->kind == GLOSS_TOKEN_NO_SPACE)
    g_string_append (out, "*");
  g_string_append_printf (out, "@%" G_GSIZE_FORMAT "-%" G_GSIZE_FORMAT, token->start, token->end);
  return TRUE;
}

static void
assert_tokens (const char         *input,
               GlossTokenizeFlags  flags,
               const char         *expected)
{
  g_autoptr(GString) out = g_string_new (NULL);

  gloss_fold_tokenize (input, -1, flags, collect_token, out);
  g_assert_cmpstr (out->str, ==, expected);
}

static void
test_fold_tokenize (void)
{
  assert_tokens ("", 0, "");
  assert_tokens ("Café bar", 0, "cafe@0-5|bar@6-9");
  assert_tokens ("C++ /dev/null .NET", 0, "c@0-1|dev@5-8|null@9-13|net@15-18");
  assert_tokens ("don't 3D", 0, "don@0-3|t@4-5|3d@6-8");
  assert_tokens ("Straße", 0, "strasse@0-7");
  assert_tokens ("ＮＴＲ!", 0, "ntr@0-9");
  /* A lone mark at the start is dropped; marks join words. */
  assert_tokens ("\xcc\x81x", 0, "x@2-3");
  assert_tokens ("हिन्दी", 0, "हिन्दी@0-18");
}

static void
test_fold_tokenize_no_space (void)
{
  assert_tokens ("寝取られNTR", 0, "寝取られ*@0-12|ntr@12-15");
  assert_tokens ("ラーメン、第3話", 0, "ラーメン*@0-12|第3話*@15-22");
  assert_tokens ("ภาษาไทย ok", 0, "ภาษาไทย*@0-21|ok@22-24");
  assert_tokens ("한국어 단어", 0, "한국어@0-9|단어@10-16");
}

static void
test_fold_tokenize_markdown (void)
{
  assert_tokens ("see [the label](entry:x-y) more", GLOSS_TOKENIZE_MARKDOWN,
                 "see@0-3|the@5-8|label@9-14|more@27-31");
  assert_tokens ("see [the label](entry:x-y) more", 0,
                 "see@0-3|the@5-8|label@9-14|entry@16-21|x@22-23|y@24-25|more@27-31");
  assert_tokens ("a <https://x.org/p> b **c**", GLOSS_TOKENIZE_MARKDOWN, "a@0-1|b@20-21|c@24-25");
  assert_tokens ("1 < 2 > 0", GLOSS_TOKENIZE_MARKDOWN, "1@0-1|2@4-5|0@8-9");
}

static void
test_fold_tokenize_long_word (void)
{
  g_autofree char *word = g_strnfill (100, 'A');
  g_autofree char *expected = g_strdup_printf ("%.*s@0-100", GLOSS_FOLD_MAX_WORD,
                                               "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
                                               "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa");

  assert_tokens (word, 0, expected);
}

static gboolean
stop_after_first (const GlossToken *token,
                  gpointer          user_data)
{
  guint *n = user_data;

  (*n)++;
  return FALSE;
}

static void
test_fold_tokenize_stop (void)
{
  guint n = 0;

  gloss_fold_tokenize ("one two three", -1, 0, stop_after_first, &n);
  g_assert_cmpuint (n, ==, 1);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/gloss/fold/ascii", test_fold_ascii);
  g_test_add_func ("/gloss/fold/case", test_fold_case);
  g_test_add_func ("/gloss/fold/compatibility", test_fold_compatibility);
  g_test_add_func ("/gloss/fold/diacritics", test_fold_diacritics);
  g_test_add_func ("/gloss/fold/kept-marks", test_fold_kept_marks);
  g_test_add_func ("/gloss/fold/every-character", test_fold_every_character);
  g_test_add_func ("/gloss/fold/key", test_fold_key);
  g_test_add_func ("/gloss/fold/tokenize", test_fold_tokenize);
  g_test_add_func ("/gloss/fold/tokenize-no-space", test_fold_tokenize_no_space);
  g_test_add_func ("/gloss/fold/tokenize-markdown", test_fold_tokenize_markdown);
  g_test_add_func ("/gloss/fold/tokenize-long-word", test_fold_tokenize_long_word);
  g_test_add_func ("/gloss/fold/tokenize-stop", test_fold_tokenize_stop);

  return g_test_run ();
}
