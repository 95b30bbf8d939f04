/* test-prescan.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "test-prescan"

#include "config.h"

#include <string.h>
#include <time.h>

#include "gloss-bundle.h"
#include "gloss-prescan.h"

/* CPU time of this thread: the bounds below guard against work out of
 * proportion, and other work on the machine (a loaded CI runner, two
 * cores shared) must not fail them, as wall-clock time would. */
static gint64
cpu_usec (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_THREAD_CPUTIME_ID, &ts);
  return (gint64)ts.tv_sec * G_USEC_PER_SEC + ts.tv_nsec / 1000;
}

/* The literal's own length, so that embedded NUL bytes count. */
#define REFUSED(json, message) assert_refused (json, sizeof (json) - 1, message)
#define ACCEPTED(json) assert_accepted (json, sizeof (json) - 1)

static void
assert_refused (const char *json,
                gsize       length,
                const char *message)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GlossScan) scan = NULL;

  scan = gloss_prescan (json, length, &error);

  if (scan != NULL)
    g_error ("accepted: %s", json);
  g_assert_error (error, GLOSS_BUNDLE_ERROR, GLOSS_BUNDLE_ERROR_REFUSED);
  g_assert_cmpstr (error->message, ==, message);
}

static GlossScan *
assert_accepted (const char *json,
                 gsize       length)
{
  g_autoptr(GError) error = NULL;
  GlossScan *scan;

  scan = gloss_prescan (json, length, &error);
  g_assert_no_error (error);
  g_assert_nonnull (scan);
  g_assert_nonnull (scan->members);
  g_assert_nonnull (scan->unsafe_numbers);

  return scan;
}

static char *
span_text (const char      *json,
           const GlossSpan *span)
{
  return g_strndup (json + span->offset, span->length);
}

static void
assert_member (const char *json,
               GlossScan  *scan,
               const char *name,
               const char *expected)
{
  const GlossSpan *span = g_hash_table_lookup (scan->members, name);
  g_autofree char *text = NULL;

  g_assert_nonnull (span);
  text = span_text (json, span);
  g_assert_cmpstr (text, ==, expected);
}

static void
assert_entry (const char *json,
              GlossScan  *scan,
              guint       position,
              const char *expected)
{
  g_autofree char *text = NULL;

  g_assert_nonnull (scan->entries);
  g_assert_cmpuint (position, <, scan->entries->len);
  text = span_text (json, &g_array_index (scan->entries, GlossSpan, position));
  g_assert_cmpstr (text, ==, expected);
}

static void
assert_unsafe (GlossScan          *scan,
               const char * const *pointers)
{
  guint n = g_strv_length ((char **)pointers);

  for (guint i = 0; i < n; i++)
    if (!g_hash_table_contains (scan->unsafe_numbers, pointers[i]))
      g_error ("%s is not recorded as unsafe", pointers[i]);
  g_assert_cmpuint (g_hash_table_size (scan->unsafe_numbers), ==, n);
}

static void
test_valid_bundle (void)
{
  static const char json[] =
    "{\n"
    "  \"format\": \"gloss-bundle\",\n"
    "  \"version\": 1,\n"
    "  \"authors\": [\"A\", \"B\"],\n"
    "  \"empty\": {},\n"
    "  \"nothing\": null,\n"
    "  \"entries\": [\n"
    "    {\"id\": \"a\", \"term\": \"A\", \"tags\": [], \"mature\": false},\n"
    "    {\"id\": \"b\", \"sections\": [{\"body\": \"x\"}]} ,\n"
    "    []\n"
    "  ]\n"
    "}\n";
  g_autoptr(GlossScan) scan = ACCEPTED (json);
  g_autofree char *root = span_text (json, &scan->root);

  g_assert_true (scan->root_is_object);
  g_assert_cmpuint (scan->root.offset, ==, 0);
  g_assert_cmpuint (scan->root.length, ==, strlen (json) - 1);
  g_assert_cmpint (root[0], ==, '{');
  g_assert_cmpstr (root + strlen (root) - 3, ==, "]\n}");

  g_assert_cmpuint (g_hash_table_size (scan->members), ==, 6);
  assert_member (json, scan, "format", "\"gloss-bundle\"");
  assert_member (json, scan, "version", "1");
  assert_member (json, scan, "authors", "[\"A\", \"B\"]");
  assert_member (json, scan, "empty", "{}");
  assert_member (json, scan, "nothing", "null");

  g_assert_nonnull (scan->entries);
  g_assert_cmpuint (scan->entries->len, ==, 3);
  assert_entry (json, scan, 0, "{\"id\": \"a\", \"term\": \"A\", \"tags\": [], \"mature\": false}");
  assert_entry (json, scan, 1, "{\"id\": \"b\", \"sections\": [{\"body\": \"x\"}]}");
  assert_entry (json, scan, 2, "[]");

  assert_unsafe (scan, (const char *[]) { NULL });
}

static void
test_valid_members_spans (void)
{
  static const char json[] = " \t\r\n{\"a\":\"x\\\"}\",\"b\" : [ 1 , 2 ] ,\"c\":-0.5e-3,"
                             "\"entries\":[ \"s\" ,{\"k\":[{}]},true,false,null,-12]} \n";
  g_autoptr(GlossScan) scan = ACCEPTED (json);
  g_autofree char *root = span_text (json, &scan->root);

  g_assert_true (scan->root_is_object);
  g_assert_cmpuint (scan->root.offset, ==, 4);
  g_assert_cmpint (root[0], ==, '{');
  g_assert_cmpint (root[strlen (root) - 1], ==, '}');
  g_assert_cmpuint (scan->root.offset + scan->root.length, ==, strlen (json) - 2);

  assert_member (json, scan, "a", "\"x\\\"}\"");
  assert_member (json, scan, "b", "[ 1 , 2 ]");
  assert_member (json, scan, "c", "-0.5e-3");
  assert_member (json, scan, "entries", "[ \"s\" ,{\"k\":[{}]},true,false,null,-12]");

  g_assert_cmpuint (scan->entries->len, ==, 6);
  assert_entry (json, scan, 0, "\"s\"");
  assert_entry (json, scan, 1, "{\"k\":[{}]}");
  assert_entry (json, scan, 2, "true");
  assert_entry (json, scan, 3, "false");
  assert_entry (json, scan, 4, "null");
  assert_entry (json, scan, 5, "-12");
}

static void
test_valid_not_object (void)
{
  static const char *const roots[] = { "[]", " [1, {\"entries\": []}] ", "\"entries\"", "0",
                                       "-1", "true", "false", "null", "\"\"" };

  for (guint i = 0; i < G_N_ELEMENTS (roots); i++)
    {
      g_autoptr(GlossScan) scan = assert_accepted (roots[i], strlen (roots[i]));
      g_autofree char *root = span_text (roots[i], &scan->root);
      g_autofree char *stripped = g_strstrip (g_strdup (roots[i]));

      g_assert_false (scan->root_is_object);
      g_assert_cmpuint (g_hash_table_size (scan->members), ==, 0);
      g_assert_null (scan->entries);
      g_assert_cmpstr (root, ==, stripped);
    }
}

static void
test_valid_entries_not_array (void)
{
  g_autoptr(GlossScan) object = ACCEPTED ("{\"entries\": {\"a\": []}}");
  g_autoptr(GlossScan) nested = ACCEPTED ("{\"x\": {\"entries\": [1]}, \"y\": [[1]]}");
  g_autoptr(GlossScan) empty = ACCEPTED ("{\"entries\": []}");
  g_autoptr(GlossScan) escaped = ACCEPTED ("{\"\\u0065ntries\": [1, 2]}");

  g_assert_null (object->entries);
  g_assert_null (nested->entries);
  g_assert_nonnull (empty->entries);
  g_assert_cmpuint (empty->entries->len, ==, 0);
  g_assert_cmpuint (escaped->entries->len, ==, 2);
}

static void
test_valid_bom (void)
{
  static const char json[] = "\xEF\xBB\xBF {\"a\": 1}";
  g_autoptr(GlossScan) scan = ACCEPTED (json);

  g_assert_true (scan->root_is_object);
  g_assert_cmpuint (scan->root.offset, ==, 4);
  assert_member (json, scan, "a", "1");

  /* The BOM is not a column; only one BOM, and only at the start. */
  REFUSED ("\xEF\xBB\xBF{,}", "1:2: unexpected character ',', expected a double-quoted object key");
  REFUSED ("\xEF\xBB\xBF\xEF\xBB\xBF{}", "1:1: unexpected character U+FEFF, expected a value");
  REFUSED ("{} \xEF\xBB\xBF", "1:4: unexpected character U+FEFF after the top-level value");
}

static void
test_valid_unicode (void)
{
  static const char json[] =
    "{\"caf\\u00e9\": \"\\\"\\\\\\/\\b\\f\\n\\r\\t\","
    " \"\\ud83d\\ude00\": \"\\uD83D\\uDE00 \\uDBFF\\uDFFF \\u20AC \\u007f\","
    " \"raw\": \"é € 😀 \xF4\x8F\xBF\xBF \x7F 寝取られ\","
    " \"a\\/b\": 1,"
    " \"\": 2}";
  g_autoptr(GlossScan) scan = ACCEPTED (json);

  g_assert_cmpuint (g_hash_table_size (scan->members), ==, 5);
  g_assert_true (g_hash_table_contains (scan->members, "café"));
  g_assert_true (g_hash_table_contains (scan->members, "😀"));
  g_assert_true (g_hash_table_contains (scan->members, "raw"));
  g_assert_true (g_hash_table_contains (scan->members, "a/b"));
  g_assert_true (g_hash_table_contains (scan->members, ""));
  assert_member (json, scan, "a/b", "1");
}

static void
test_valid_nested (void)
{
  static const char json[] =
    "{\"a\": {\"b\": {\"c\": [[[], {}], [{\"a\": 1, \"b\": [true]}]]}},"
    " \"b\": [{\"a\": 1}, {\"a\": 2}, {\"a\": {\"a\": {\"a\": 3}}}],"
    " \"c\": {\"a\": 1, \"b\": 2}}";
  g_autoptr(GlossScan) scan = ACCEPTED (json);

  g_assert_cmpuint (g_hash_table_size (scan->members), ==, 3);
  assert_member (json, scan, "c", "{\"a\": 1, \"b\": 2}");
}

static void
test_unsafe_numbers (void)
{
  static const char json[] =
    "{\"version\": 1.0,\n"
    " \"entries\": [{\"reading_minutes\": 1e3}, {\"reading_minutes\": 5},\n"
    "               {\"stats\": [0, -0, 1E+2, 2.5]}],\n"
    " \"max\": 9223372036854775807, \"min\": -9223372036854775808,\n"
    " \"over\": 9223372036854775808, \"under\": -9223372036854775809,\n"
    " \"huge\": 123456789012345678901234567890, \"short\": 999999999999999999,\n"
    " \"a/b\": {\"c~d\": [0, 0.5], \"~1\": -1e-1, \"\\u002f\": 1.5}}";
  static const char *const unsafe[] = {
    "/version",
    "/entries/0/reading_minutes",
    "/entries/2/stats/2",
    "/entries/2/stats/3",
    "/over",
    "/under",
    "/huge",
    "/a~1b/c~0d/1",
    "/a~1b/~01",
    "/a~1b/~1",
    NULL
  };
  g_autoptr(GlossScan) scan = ACCEPTED (json);
  g_autoptr(GlossScan) root = ACCEPTED ("  1.5 ");
  g_autoptr(GlossScan) array = ACCEPTED ("[1, [2, 3e0]]");
  g_autoptr(GlossScan) none = ACCEPTED ("[0, -0, 1, 9223372036854775807]");

  assert_unsafe (scan, unsafe);
  assert_unsafe (root, (const char *[]) { "/", NULL });
  assert_unsafe (array, (const char *[]) { "/1/1", NULL });
  assert_unsafe (none, (const char *[]) { NULL });
}

static void
test_empty (void)
{
  REFUSED ("", "1:1: the input is empty");
  REFUSED ("\xEF\xBB\xBF", "1:1: the input is empty");
  REFUSED ("   ", "1:4: unexpected end of input, expected a value");
  REFUSED ("\n\n", "3:1: unexpected end of input, expected a value");
}

static void
test_truncated (void)
{
  REFUSED ("{", "1:2: unexpected end of input, expected a double-quoted object key");
  REFUSED ("{\"a\"", "1:5: unexpected end of input, expected ':' after the object key");
  REFUSED ("{\"a\":", "1:6: unexpected end of input, expected a value");
  REFUSED ("{\"a\":1", "1:7: unexpected end of input, expected ',' or '}' after an object member");
  REFUSED ("[1,\n", "2:1: unexpected end of input, expected a value");
  REFUSED ("[1", "1:3: unexpected end of input, expected ',' or ']' after an array element");
  REFUSED ("[\"abc", "1:2: unterminated string");
  REFUSED ("[\"abc\\", "1:2: unterminated string");
  REFUSED ("{\"a\": \"é\\\"}", "1:7: unterminated string");
  REFUSED ("[tr", "1:2: invalid literal, expected true, false or null");
}

static void
test_syntax (void)
{
  REFUSED ("{\"a\" 1}", "1:6: unexpected character '1', expected ':' after the object key");
  REFUSED ("{\"a\": 1 \"b\": 2}",
           "1:9: unexpected character '\"', expected ',' or '}' after an object member");
  REFUSED ("[1 2]", "1:4: unexpected character '2', expected ',' or ']' after an array element");
  REFUSED ("[1}", "1:3: unexpected character '}', expected ',' or ']' after an array element");
  REFUSED ("{\"a\":1]", "1:7: unexpected character ']', expected ',' or '}' after an object member");
  REFUSED ("[,1]", "1:2: unexpected character ',', expected a value");
  REFUSED ("{\"a\":}", "1:6: unexpected character '}', expected a value");
  REFUSED ("{1: 2}", "1:2: unexpected character '1', expected a double-quoted object key");
  REFUSED ("var x = {}", "1:1: unexpected character 'v', expected a value");
  REFUSED ("[True]", "1:2: unexpected character 'T', expected a value");
  REFUSED ("[nul]", "1:2: invalid literal, expected true, false or null");
  REFUSED ("[falsy]", "1:2: invalid literal, expected true, false or null");
  REFUSED ("[truex]", "1:6: unexpected character 'x', expected ',' or ']' after an array element");
  REFUSED ("[undefined]", "1:2: unexpected character 'u', expected a value");
  /* Only the four JSON white-space characters. */
  REFUSED ("[\f1]", "1:2: unexpected character U+000C, expected a value");
  REFUSED ("[\xC2\xA0" "1]", "1:2: unexpected character U+00A0, expected a value");
  REFUSED ("[\v1]", "1:2: unexpected character U+000B, expected a value");
  REFUSED ("[\0]", "1:2: unexpected character U+0000, expected a value");
}

static void
test_comments (void)
{
  REFUSED ("// comment\n{}", "1:1: comments are not allowed in JSON");
  REFUSED ("{\n  \"a\": 1 // one\n}", "2:10: comments are not allowed in JSON");
  REFUSED ("{\"a\": /* one */ 1}", "1:7: comments are not allowed in JSON");
  REFUSED ("{/* key */ \"a\": 1}", "1:2: comments are not allowed in JSON");
  REFUSED ("{\"a\" /**/: 1}", "1:6: comments are not allowed in JSON");
  REFUSED ("[1, # one\n 2]", "1:5: unexpected character '#', expected a value");
  REFUSED ("{}\n/* the end */", "2:1: comments are not allowed in JSON");
  REFUSED ("{} //", "1:4: comments are not allowed in JSON");
}

static void
test_single_quotes (void)
{
  REFUSED ("{'a': 1}", "1:2: single quotes are not allowed in JSON, use double quotes");
  REFUSED ("{\"a\": 'b'}", "1:7: single quotes are not allowed in JSON, use double quotes");
  REFUSED ("['b']", "1:2: single quotes are not allowed in JSON, use double quotes");
}

static void
test_unquoted_keys (void)
{
  REFUSED ("{a: 1}", "1:2: object keys must be double-quoted strings");
  REFUSED ("{\"a\": 1, id: 2}", "1:10: object keys must be double-quoted strings");
  REFUSED ("{_a: 1}", "1:2: object keys must be double-quoted strings");
  REFUSED ("{$a: 1}", "1:2: object keys must be double-quoted strings");
}

static void
test_numbers (void)
{
  REFUSED ("[0x1F]", "1:2: hexadecimal numbers are not allowed in JSON");
  REFUSED ("[-0X1F]", "1:2: hexadecimal numbers are not allowed in JSON");
  REFUSED ("[01]", "1:2: numbers must not have leading zeros");
  REFUSED ("[1, -007]", "1:5: numbers must not have leading zeros");
  REFUSED ("[00]", "1:2: numbers must not have leading zeros");
  REFUSED ("[+1]", "1:2: numbers must not start with '+'");
  REFUSED ("[.5]", "1:2: numbers must have a digit before the decimal point");
  REFUSED ("[-.5]", "1:2: '-' must be followed by a digit");
  REFUSED ("[5.]", "1:3: a decimal point must be followed by a digit");
  REFUSED ("[5.e3]", "1:3: a decimal point must be followed by a digit");
  REFUSED ("{\"a\": 5.", "1:8: a decimal point must be followed by a digit");
  REFUSED ("[1e]", "1:3: an exponent must have digits");
  REFUSED ("[1.5E+]", "1:5: an exponent must have digits");
  REFUSED ("[-]", "1:2: '-' must be followed by a digit");
  REFUSED ("-", "1:1: '-' must be followed by a digit");
  REFUSED ("[1.2.3]", "1:5: unexpected character '.', expected ',' or ']' after an array element");
  REFUSED ("[NaN]", "1:2: NaN and Infinity are not allowed in JSON");
  REFUSED ("[Infinity]", "1:2: NaN and Infinity are not allowed in JSON");
  REFUSED ("{\"a\": -Infinity}", "1:7: NaN and Infinity are not allowed in JSON");
  REFUSED ("[1_000]", "1:3: unexpected character '_', expected ',' or ']' after an array element");
}

static void
test_trailing_commas (void)
{
  REFUSED ("[1, 2,]", "1:6: trailing comma before ']'");
  REFUSED ("{\"a\": 1,}", "1:8: trailing comma before '}'");
  REFUSED ("{\n  \"a\": [\n    1,\n  ],\n}", "3:6: trailing comma before ']'");
  REFUSED ("{\n  \"a\": 1,\n}", "2:9: trailing comma before '}'");
  REFUSED ("[1,,2]", "1:4: unexpected character ',', expected a value");
}

static void
test_second_value (void)
{
  REFUSED ("{} {}", "1:4: unexpected character '{' after the top-level value");
  REFUSED ("{}x", "1:3: unexpected character 'x' after the top-level value");
  REFUSED ("{}\n\n  x", "3:3: unexpected character 'x' after the top-level value");
  REFUSED ("\"a\" \"b\"", "1:5: unexpected character '\"' after the top-level value");
  REFUSED ("1 2", "1:3: unexpected character '2' after the top-level value");
  REFUSED ("{},", "1:3: unexpected character ',' after the top-level value");
  REFUSED ("{}\0", "1:3: unexpected character U+0000 after the top-level value");
  REFUSED ("{}\xFF", "1:3: invalid UTF-8 byte 0xff");

  /* Trailing white space is fine. */
  g_autoptr(GlossScan) scan = ACCEPTED ("{} \n\t\r\n");
  g_assert_cmpuint (scan->root.length, ==, 2);
}

static void
test_control_characters (void)
{
  REFUSED ("[\"a\tb\"]", "1:4: raw control character U+0009 in string (escape it as \\t)");
  REFUSED ("{\"a\": \"line\nbreak\"}",
           "1:12: raw control character U+000A in string (escape it as \\n)");
  REFUSED ("[\"\r\"]", "1:3: raw control character U+000D in string (escape it as \\r)");
  REFUSED ("[\"\x01\"]", "1:3: raw control character U+0001 in string (escape it as \\u0001)");
  REFUSED ("[\"\x1F\"]", "1:3: raw control character U+001F in string (escape it as \\u001f)");
  REFUSED ("[\"ab\0\"]", "1:5: raw control character U+0000 in string (escape it as \\u0000)");
  REFUSED ("{\"k\x08\": 1}", "1:4: raw control character U+0008 in string (escape it as \\b)");
  /* Past the fast eight-byte loop. */
  REFUSED ("[\"0123456789abcdef\x0C\"]",
           "1:19: raw control character U+000C in string (escape it as \\f)");
}

static void
test_escapes (void)
{
  REFUSED ("[\"\\x41\"]", "1:3: invalid escape \\ followed by 'x' in string");
  REFUSED ("[\"\\'\"]", "1:3: invalid escape \\ followed by ''' in string");
  REFUSED ("[\"\\U0041\"]", "1:3: invalid escape \\ followed by 'U' in string");
  REFUSED ("[\"\\\xC3\xA9\"]", "1:3: invalid escape \\ followed by U+00E9 in string");
  REFUSED ("[\"\\\xFF\"]", "1:4: invalid UTF-8 byte 0xff");
  REFUSED ("[\"\\u12\"]", "1:3: invalid \\u escape (it needs four hex digits)");
  REFUSED ("[\"\\u12G4\"]", "1:3: invalid \\u escape (it needs four hex digits)");
  REFUSED ("[\"\\u", "1:3: invalid \\u escape (it needs four hex digits)");
  REFUSED ("[\"é\\0\"]", "1:4: invalid escape \\ followed by '0' in string");
}

static void
test_u0000 (void)
{
  REFUSED ("[\"a\\u0000\"]", "1:4: \\u0000 is not allowed in strings");
  REFUSED ("{\"\\u0000\": 1}", "1:3: \\u0000 is not allowed in strings");
}

static void
test_surrogates (void)
{
  REFUSED ("[\"\\ud800\"]", "1:3: lone surrogate \\ud800");
  REFUSED ("[\"\\uD800\"]", "1:3: lone surrogate \\ud800");
  REFUSED ("[\"\\ud800x\"]", "1:3: lone surrogate \\ud800");
  REFUSED ("[\"\\ud800\\u0041\"]", "1:3: lone surrogate \\ud800");
  REFUSED ("[\"ab\\ud800\\ud800\"]", "1:5: lone surrogate \\ud800");
  REFUSED ("[\"\\udbff\\ue000\"]", "1:3: lone surrogate \\udbff");
  REFUSED ("[\"\\udc00\\ud800\"]", "1:3: lone surrogate \\udc00");
  REFUSED ("[\"\\udfff\"]", "1:3: lone surrogate \\udfff");
  REFUSED ("[\"\\ud83d\\ude00\\ude00\"]", "1:15: lone surrogate \\ude00");
  REFUSED ("[\"\\ud800\\", "1:3: lone surrogate \\ud800");
}

static void
test_utf8 (void)
{
  REFUSED ("\xFF", "1:1: invalid UTF-8 byte 0xff");
  REFUSED ("[\"é\xFF\"]", "1:4: invalid UTF-8 byte 0xff");
  REFUSED ("[\"😀\xFE\"]", "1:4: invalid UTF-8 byte 0xfe");
  REFUSED ("{\n\"日本\": \"語\xFF\"}", "2:9: invalid UTF-8 byte 0xff");
  REFUSED ("[\"\xC0\x80\"]", "1:3: invalid UTF-8 byte 0xc0 (overlong encoding)");
  REFUSED ("[\"\xC1\xBF\"]", "1:3: invalid UTF-8 byte 0xc1 (overlong encoding)");
  REFUSED ("[\"\xE0\x80\xAF\"]", "1:3: invalid UTF-8 byte 0xe0 (overlong encoding)");
  REFUSED ("[\"\xF0\x80\x80\xAF\"]", "1:3: invalid UTF-8 byte 0xf0 (overlong encoding)");
  REFUSED ("[\"\xED\xA0\x80\"]", "1:3: invalid UTF-8 byte 0xed (encoded surrogate)");
  REFUSED ("[\"\xED\xBF\xBF\"]", "1:3: invalid UTF-8 byte 0xed (encoded surrogate)");
  REFUSED ("[\"\xF4\x90\x80\x80\"]", "1:3: invalid UTF-8 byte 0xf4 (beyond U+10FFFF)");
  REFUSED ("[\"\xF5\x80\x80\x80\"]", "1:3: invalid UTF-8 byte 0xf5 (beyond U+10FFFF)");
  REFUSED ("[\"\x80\"]", "1:3: invalid UTF-8 byte 0x80 (continuation byte without a lead byte)");
  REFUSED ("[\"a\xE2\x82\"]", "1:4: invalid UTF-8 byte 0xe2 (truncated sequence)");
  REFUSED ("[\"a\xF0\x9F\x98\"]", "1:4: invalid UTF-8 byte 0xf0 (truncated sequence)");
  REFUSED ("[\"a\xE2\x82", "1:4: invalid UTF-8 byte 0xe2 (truncated sequence)");
  REFUSED ("[\"\xC3\"]", "1:3: invalid UTF-8 byte 0xc3 (truncated sequence)");
  /* Outside strings, and in keys. */
  REFUSED ("[\xE2\x82]", "1:2: invalid UTF-8 byte 0xe2 (truncated sequence)");
  REFUSED ("{\"\xFF\": 1}", "1:3: invalid UTF-8 byte 0xff");
  REFUSED ("{\"k\": 1\xC0}", "1:8: invalid UTF-8 byte 0xc0 (overlong encoding)");
  /* Past the fast eight-byte loop. */
  REFUSED ("[\"0123456789abcdef\xF8\"]", "1:19: invalid UTF-8 byte 0xf8");
  /* Non-ASCII characters outside strings are refused but named. */
  REFUSED ("[é]", "1:2: unexpected character U+00E9, expected a value");
}

static void
test_duplicate_keys (void)
{
  REFUSED ("{\"a\": 1, \"a\": 2}", "1:10: duplicate key \"a\" in object");
  REFUSED ("{\"a\": 1, \"\\u0061\": 2}", "1:10: duplicate key \"a\" in object");
  REFUSED ("{\"\\u0061\": 1, \"a\": 2}", "1:15: duplicate key \"a\" in object");
  REFUSED ("{\"é\": 1, \"\\u00e9\": 2}", "1:10: duplicate key \"é\" in object");
  REFUSED ("{\"😀\": 1, \"\\ud83d\\ude00\": 2}", "1:10: duplicate key \"😀\" in object");
  REFUSED ("{\"a/b\": 1, \"a\\/b\": 2}", "1:12: duplicate key \"a/b\" in object");
  REFUSED ("{\"x\\\"y\": 1, \"x\\\"y\": 2}", "1:13: duplicate key \"x\\\"y\" in object");
  REFUSED ("{\"\\n\": 1, \"\\n\": 2}", "1:11: duplicate key \"\\u000a\" in object");
  REFUSED ("{\"\": 1, \"\": 2}", "1:9: duplicate key \"\" in object");
  REFUSED ("{\n  \"id\": 1,\n  \"term\": 2,\n  \"id\": 3\n}",
           "4:3: duplicate key \"id\" in object");
  /* Keys of nested objects are their own. */
  REFUSED ("{\"a\": {\"b\": 1}, \"b\": 2, \"a\": 3}", "1:25: duplicate key \"a\" in object");
  REFUSED ("[{\"a\": {\"x\": [{\"y\": 1, \"y\": 2}]}}]", "1:24: duplicate key \"y\" in object");

  {
    g_autoptr(GlossScan) scan = ACCEPTED ("{\"a\": {\"a\": {\"a\": 1}, \"b\": 2}, \"b\": {\"a\": 1},"
                                          " \"c\": [{\"a\": 1}, {\"a\": 2}], \"A\": 1, \"a \": 1}");

    g_assert_cmpuint (g_hash_table_size (scan->members), ==, 5);
  }
}

/* Builds an object with @n_keys keys "kN", the last one a repeat of
 * @duplicate (or none when negative). */
static GString *
build_object (guint n_keys,
              gint  duplicate)
{
  GString *json = g_string_sized_new (n_keys * 16);

  g_string_append_c (json, '{');
  for (guint i = 0; i < n_keys; i++)
    g_string_append_printf (json, "%s\"k%u\": {\"x\": %u, \"y\": %u}",
                            i ? "," : "", i, i, i);
  if (duplicate >= 0)
    g_string_append_printf (json, ",\"k%d\": 0", duplicate);
  g_string_append_c (json, '}');

  return json;
}

static void
test_duplicate_keys_many (void)
{
  /* Past the linear search: the hash index, and its growth. */
  for (guint n = 1; n < 100; n++)
    {
      g_autoptr(GString) ok = build_object (n, -1);
      g_autoptr(GString) first = build_object (n, 0);
      g_autoptr(GString) last = build_object (n, n - 1);
      g_autoptr(GlossScan) scan = assert_accepted (ok->str, ok->len);
      g_autofree char *message = NULL;

      g_assert_cmpuint (g_hash_table_size (scan->members), ==, n);

      message = g_strdup_printf ("1:%" G_GSIZE_FORMAT ": duplicate key \"k0\" in object",
                                 first->len - 7);
      assert_refused (first->str, first->len, message);
      g_free (message);

      message = g_strdup_printf ("1:%" G_GSIZE_FORMAT ": duplicate key \"k%u\" in object",
                                 last->len - 7 - (n - 1 >= 10), n - 1);
      assert_refused (last->str, last->len, message);
    }
}

static void
test_duplicate_keys_million (void)
{
  guint n = 1000000;
  g_autoptr(GString) json = g_string_sized_new (n * 16);
  g_autoptr(GlossScan) scan = NULL;
  g_autofree char *message = NULL;
  gint64 start;

  /* A nested object, so the keys do not all become members. */
  g_string_append (json, "{\"o\": {");
  for (guint i = 0; i < n; i++)
    g_string_append_printf (json, "%s\"%x\":0", i ? "," : "", i);
  g_string_append (json, "}}");

  start = cpu_usec ();
  scan = assert_accepted (json->str, json->len);
  g_assert_cmpint (cpu_usec () - start, <, 5 * G_USEC_PER_SEC);
  g_assert_cmpuint (g_hash_table_size (scan->members), ==, 1);

  /* The same key again at the end. */
  g_string_truncate (json, json->len - 2);
  g_string_append (json, ",\"\\u0031\":0}}");
  message = g_strdup_printf ("1:%" G_GSIZE_FORMAT ": duplicate key \"1\" in object",
                             json->len - 12 + 1);
  start = cpu_usec ();
  assert_refused (json->str, json->len, message);
  g_assert_cmpint (cpu_usec () - start, <, 5 * G_USEC_PER_SEC);
}

static GString *
build_nested (guint       depth,
              const char *open,
              const char *close)
{
  GString *json = g_string_new (NULL);

  for (guint i = 0; i < depth; i++)
    g_string_append (json, open);
  for (guint i = 0; i < depth; i++)
    g_string_append (json, close);

  return json;
}

static void
test_depth (void)
{
  g_autoptr(GString) arrays64 = build_nested (64, "[", "]");
  g_autoptr(GString) arrays65 = build_nested (65, "[", "]");
  g_autoptr(GString) objects64 = build_nested (63, "{\"a\":", "}");
  g_autoptr(GString) objects65 = build_nested (64, "{\"a\":", "}");
  g_autoptr(GlossScan) scan = NULL;
  g_autoptr(GlossScan) scan2 = NULL;
  g_autofree char *message = NULL;

  scan = assert_accepted (arrays64->str, arrays64->len);
  g_assert_cmpuint (scan->root.length, ==, 128);
  assert_refused (arrays65->str, arrays65->len, "1:65: nesting deeper than 64 levels");

  /* 63 objects and an empty array: 64 levels. */
  g_string_insert (objects64, 63 * 5, "[]");
  scan2 = assert_accepted (objects64->str, objects64->len);
  g_string_insert (objects65, 64 * 5, "[]");
  message = g_strdup_printf ("1:%u: nesting deeper than 64 levels", 64 * 5 + 1);
  assert_refused (objects65->str, objects65->len, message);

  /* The top level counts: an array of entries may hold 63 levels. */
  g_string_truncate (arrays64, 0);
  g_string_append (arrays64, "{\"entries\": ");
  for (guint i = 0; i < 63; i++)
    g_string_insert (arrays64, 12 + i, "[]");
  g_string_append_c (arrays64, '}');
  g_clear_pointer (&scan, gloss_scan_free);
  scan = assert_accepted (arrays64->str, arrays64->len);
  g_assert_cmpuint (scan->entries->len, ==, 1);
  g_string_insert (arrays64, 12 + 63, "[]");
  assert_refused (arrays64->str, arrays64->len, "1:76: nesting deeper than 64 levels");
}

static void
test_depth_hostile (void)
{
  g_autoptr(GString) arrays = build_nested (100000, "[", "]");
  g_autoptr(GString) objects = build_nested (100000, "{\"\":", "}");
  g_autoptr(GString) unclosed = g_string_new (NULL);
  gint64 start = cpu_usec ();

  assert_refused (arrays->str, arrays->len, "1:65: nesting deeper than 64 levels");
  assert_refused (objects->str, objects->len, "1:257: nesting deeper than 64 levels");

  for (guint i = 0; i < 100000; i++)
    g_string_append (unclosed, "[\n");
  assert_refused (unclosed->str, unclosed->len, "65:1: nesting deeper than 64 levels");

  g_assert_cmpint (cpu_usec () - start, <, G_USEC_PER_SEC);
}

static void
test_entries_limit (void)
{
  g_autoptr(GString) json = g_string_sized_new (2 * GLOSS_BUNDLE_MAX_ENTRIES + 64);
  g_autoptr(GlossScan) scan = NULL;
  g_autofree char *message = NULL;
  gsize prefix;

  g_string_append (json, "{\"entries\":[");
  prefix = json->len;
  for (guint i = 0; i < GLOSS_BUNDLE_MAX_ENTRIES; i++)
    g_string_append (json, "0,");
  json->str[json->len - 1] = ']';
  g_string_append_c (json, '}');

  scan = assert_accepted (json->str, json->len);
  g_assert_cmpuint (scan->entries->len, ==, GLOSS_BUNDLE_MAX_ENTRIES);
  g_assert_cmpuint (g_array_index (scan->entries, GlossSpan, 999999).offset, ==,
                    prefix + 2 * 999999);

  /* One more. */
  g_string_truncate (json, json->len - 2);
  g_string_append (json, ",{}]}");
  message = g_strdup_printf ("1:%" G_GSIZE_FORMAT ": more than 1000000 entries",
                             prefix + 2 * GLOSS_BUNDLE_MAX_ENTRIES + 1);
  assert_refused (json->str, json->len, message);

  /* Other arrays are not limited. */
  g_string_overwrite (json, 2, "ENTRIES");
  g_clear_pointer (&scan, gloss_scan_free);
  scan = assert_accepted (json->str, json->len);
  g_assert_null (scan->entries);
}

static void
test_locations (void)
{
  /* Lines end at LF only; a CR is a column. */
  REFUSED ("{\r\n\"a\": 1,\r\n\"a\": 2}", "3:1: duplicate key \"a\" in object");
  REFUSED ("{\r\"a\": 1,\r\"a\": 2}", "1:11: duplicate key \"a\" in object");
  /* Columns count code points: 2, 3 and 4-byte characters are one each. */
  REFUSED ("[\"é€😀\", x]", "1:9: unexpected character 'x', expected a value");
  REFUSED ("[\n\"é€😀\",\n\t\"寝取られ\", x]", "3:10: unexpected character 'x', expected a value");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/gloss/prescan/valid/bundle", test_valid_bundle);
  g_test_add_func ("/gloss/prescan/valid/member-spans", test_valid_members_spans);
  g_test_add_func ("/gloss/prescan/valid/not-object", test_valid_not_object);
  g_test_add_func ("/gloss/prescan/valid/entries-not-array", test_valid_entries_not_array);
  g_test_add_func ("/gloss/prescan/valid/bom", test_valid_bom);
  g_test_add_func ("/gloss/prescan/valid/unicode", test_valid_unicode);
  g_test_add_func ("/gloss/prescan/valid/nested", test_valid_nested);
  g_test_add_func ("/gloss/prescan/unsafe-numbers", test_unsafe_numbers);
  g_test_add_func ("/gloss/prescan/empty", test_empty);
  g_test_add_func ("/gloss/prescan/truncated", test_truncated);
  g_test_add_func ("/gloss/prescan/syntax", test_syntax);
  g_test_add_func ("/gloss/prescan/comments", test_comments);
  g_test_add_func ("/gloss/prescan/single-quotes", test_single_quotes);
  g_test_add_func ("/gloss/prescan/unquoted-keys", test_unquoted_keys);
  g_test_add_func ("/gloss/prescan/numbers", test_numbers);
  g_test_add_func ("/gloss/prescan/trailing-commas", test_trailing_commas);
  g_test_add_func ("/gloss/prescan/second-value", test_second_value);
  g_test_add_func ("/gloss/prescan/control-characters", test_control_characters);
  g_test_add_func ("/gloss/prescan/escapes", test_escapes);
  g_test_add_func ("/gloss/prescan/u0000", test_u0000);
  g_test_add_func ("/gloss/prescan/surrogates", test_surrogates);
  g_test_add_func ("/gloss/prescan/utf8", test_utf8);
  g_test_add_func ("/gloss/prescan/duplicate-keys", test_duplicate_keys);
  g_test_add_func ("/gloss/prescan/duplicate-keys-many", test_duplicate_keys_many);
  g_test_add_func ("/gloss/prescan/duplicate-keys-million", test_duplicate_keys_million);
  g_test_add_func ("/gloss/prescan/depth", test_depth);
  g_test_add_func ("/gloss/prescan/depth-hostile", test_depth_hostile);
  g_test_add_func ("/gloss/prescan/entries-limit", test_entries_limit);
  g_test_add_func ("/gloss/prescan/locations", test_locations);

  return g_test_run ();
}
