/* test-text.c: the display helpers bundle text goes through on its way to
 * a label.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "gloss-text.h"

static void
assert_row (const char *input,
            const char *expected)
{
  g_autofree char *row = gloss_text_for_row (input);

  g_assert_cmpstr (row, ==, expected);
}

/* A row is one line of at most 160 columns; an ellipsis says when text was
 * cut, and only then. */
static void
test_text_for_row (void)
{
  g_autoptr(GString) ascii = g_string_new (NULL);
  g_autoptr(GString) wide = g_string_new (NULL);
  g_autofree char *ascii_row = NULL;
  g_autofree char *wide_row = NULL;
  g_autofree char *exact = NULL;

  assert_row ("", "");
  assert_row ("Two\nlines\tand a tab", "Two lines and a tab");

  for (guint i = 0; i < 400; i++)
    g_string_append_c (ascii, 'a' + i % 26);
  ascii_row = gloss_text_for_row (ascii->str);
  g_assert_cmpuint (g_utf8_strlen (ascii_row, -1), ==, 160 + 1);
  g_assert_true (g_str_has_suffix (ascii_row, "…"));
  g_assert_true (strncmp (ascii_row, ascii->str, 160) == 0);

  /* Exactly 160 characters: nothing cut, no ellipsis. */
  exact = g_strndup (ascii->str, 160);
  assert_row (exact, exact);

  /* Emoji and CJK take two columns each: half as many fit. */
  for (guint i = 0; i < 200; i++)
    g_string_append (wide, i % 2 ? "👩" : "語");
  wide_row = gloss_text_for_row (wide->str);
  g_assert_cmpuint (g_utf8_strlen (wide_row, -1), ==, 80 + 1);
  g_assert_true (g_str_has_suffix (wide_row, "…"));
}

static void
test_text_isolate (void)
{
  g_autofree char *isolated = gloss_text_isolate ("a\u202Eb\u2066c");

  /* Bidi controls inside are dropped; one isolate holds the text. */
  g_assert_cmpstr (isolated, ==, "\u2068abc\u2069");
}

static void
test_text_for_message (void)
{
  g_autofree char *message = gloss_text_for_message ("bad\xff\nname\u202E.json");
  g_autoptr(GString) long_text = g_string_new (NULL);
  g_autofree char *long_message = NULL;

  g_assert_true (g_utf8_validate (message, -1, NULL));
  g_assert_null (strchr (message, '\n'));
  g_assert_null (strstr (message, "\u202E"));
  g_assert_true (g_str_has_prefix (message, "\u2068bad"));
  g_assert_true (g_str_has_suffix (message, "name.json\u2069"));

  for (guint i = 0; i < 1000; i++)
    g_string_append_c (long_text, 'x');
  long_message = gloss_text_for_message (long_text->str);
  g_assert_cmpuint (g_utf8_strlen (long_message, -1), <=, 200 + 3);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/gloss/text/for-row", test_text_for_row);
  g_test_add_func ("/gloss/text/isolate", test_text_isolate);
  g_test_add_func ("/gloss/text/for-message", test_text_for_message);

  return g_test_run ();
}
