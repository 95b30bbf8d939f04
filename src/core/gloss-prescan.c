/* gloss-prescan.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "gloss-prescan"

#include "config.h"

#include "gloss-prescan.h"

#include <string.h>

#include "gloss-bundle.h"

/* The pre-scan is one loop over the bytes with an explicit stack of open
 * arrays and objects (never recursion: a hostile file may nest 100,000
 * levels). It does no allocation per value on the happy path: keys of the
 * open objects live in one stack (an object's keys are always on top while
 * it is open), escaped keys are unescaped into one arena, and the JSON
 * Pointer of a value is only built when a number needs reporting. Line and
 * column are computed only when refusing, by counting again up to the
 * offending byte. */

#define NO_POS G_MAXSIZE

/* Objects with fewer keys than this are checked for duplicates by comparing
 * against each key; bigger ones get a hash index. */
#define LINEAR_KEYS 16

/* How much of a key a message quotes. */
#define MAX_QUOTED_CHARS 64

typedef struct
{
  gsize    off;       /* into the input, or into the arena when unescaped */
  gsize    len;
  guint32  hash;
  gboolean in_arena;
} Key;

typedef struct
{
  gboolean is_object;
  gboolean is_entries;
  gsize    index;       /* arrays: the index of the current element */
  gsize    key_start;   /* objects: first key of this object in the key stack */
  gsize    arena_start;
  gsize    cur_key;     /* objects: the key of the current member */
  gsize   *slots;       /* objects with many keys: key position + 1, 0 is empty */
  gsize    n_slots;     /* a power of two */
} Level;

typedef struct
{
  const guchar *data;
  gsize         len;
  gsize         bom;
  GlossScan    *scan;
  GError      **error;

  Level         levels[GLOSS_BUNDLE_MAX_DEPTH];
  guint         depth;
  GArray       *keys;
  GByteArray   *arena;

  gsize         member_start;
  gsize         element_start;
} Scanner;

typedef enum
{
  STATE_VALUE,
  STATE_KEY,
  STATE_AFTER_VALUE,
} State;

/* Bytes that end the fast run inside a string: controls, '"', '\\' and
 * everything non-ASCII. */
static const guint8 string_stop[256] = {
  1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
  1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
  0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
  0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
  0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
  0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0,
  0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
  0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
  1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
  1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
  1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
  1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
  1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
  1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
  1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
  1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
};

static inline gboolean
is_digit (guchar c)
{
  return c >= '0' && c <= '9';
}

static inline gboolean
is_ws (guchar c)
{
  return c == ' ' || c == '\n' || c == '\r' || c == '\t';
}

static inline gsize
skip_ws (const guchar *p,
         gsize         len,
         gsize         pos)
{
  while (pos < len && is_ws (p[pos]))
    pos++;
  return pos;
}

/* Whether any of the eight bytes in @x ends the fast run of a string. Exact
 * for "any", which is all the caller needs. */
static inline gboolean
has_string_stop (guint64 x)
{
  const guint64 ones = G_GUINT64_CONSTANT (0x0101010101010101);
  const guint64 highs = G_GUINT64_CONSTANT (0x8080808080808080);
  guint64 quote = x ^ (ones * '"');
  guint64 backslash = x ^ (ones * '\\');
  guint64 r;

  r = ((x - ones * 0x20) & ~x)
    | ((quote - ones) & ~quote)
    | ((backslash - ones) & ~backslash)
    | x;

  return (r & highs) != 0;
}

static inline int
hex_value (guchar c)
{
  if (c >= '0' && c <= '9')
    return c - '0';
  if (c >= 'a' && c <= 'f')
    return c - 'a' + 10;
  if (c >= 'A' && c <= 'F')
    return c - 'A' + 10;
  return -1;
}

/* The value of four hex digits at @p, or -1. */
static inline int
hex4 (const guchar *p)
{
  int a = hex_value (p[0]);
  int b = hex_value (p[1]);
  int c = hex_value (p[2]);
  int d = hex_value (p[3]);

  if ((a | b | c | d) < 0)
    return -1;

  return (a << 12) | (b << 8) | (c << 4) | d;
}

static inline gboolean
is_continuation (guchar c)
{
  return (c & 0xC0) == 0x80;
}

/* Decodes the multi-byte UTF-8 sequence at @off (its first byte is not
 * ASCII). Returns its length, or 0 with a short reason in @why (or NULL when
 * the byte alone says it all). */
static gsize
utf8_sequence (const guchar  *p,
               gsize          len,
               gsize          off,
               gunichar      *out,
               const char   **why)
{
  guchar c = p[off];
  guchar lo = 0x80;
  guchar hi = 0xBF;
  gsize n;
  gunichar cp;

  *why = NULL;

  if (c < 0xC0)
    {
      *why = "continuation byte without a lead byte";
      return 0;
    }
  else if (c < 0xC2)
    {
      *why = "overlong encoding";
      return 0;
    }
  else if (c < 0xE0)
    {
      n = 2;
      cp = c & 0x1F;
    }
  else if (c < 0xF0)
    {
      n = 3;
      cp = c & 0x0F;
      if (c == 0xE0)
        lo = 0xA0;
      else if (c == 0xED)
        hi = 0x9F;
    }
  else if (c < 0xF5)
    {
      n = 4;
      cp = c & 0x07;
      if (c == 0xF0)
        lo = 0x90;
      else if (c == 0xF4)
        hi = 0x8F;
    }
  else
    {
      if (c < 0xF8)
        *why = "beyond U+10FFFF";
      return 0;
    }

  if (off + 1 >= len || !is_continuation (p[off + 1]))
    {
      *why = "truncated sequence";
      return 0;
    }
  if (p[off + 1] < lo)
    {
      *why = "overlong encoding";
      return 0;
    }
  if (p[off + 1] > hi)
    {
      *why = c == 0xED ? "encoded surrogate" : "beyond U+10FFFF";
      return 0;
    }

  for (gsize i = 1; i < n; i++)
    {
      if (off + i >= len || !is_continuation (p[off + i]))
        {
          *why = "truncated sequence";
          return 0;
        }
      cp = (cp << 6) | (p[off + i] & 0x3F);
    }

  *out = cp;

  return n;
}

/* Line and column (1-based, columns in code points) of @off. Everything
 * before @off has been checked to be valid UTF-8, so counting the bytes that
 * are not continuation bytes counts code points. */
static void
locate (const Scanner *s,
        gsize          off,
        gsize         *line,
        gsize         *column)
{
  const guchar *p = s->data;
  gsize line_start = s->bom;
  gsize n_lines = 1;
  gsize n_columns = 1;

  g_assert (off <= s->len);

  for (const guchar *nl = memchr (p + line_start, '\n', off - line_start);
       nl != NULL;
       nl = memchr (p + line_start, '\n', off - line_start))
    {
      n_lines++;
      line_start = (gsize)(nl - p) + 1;
    }

  for (gsize i = line_start; i < off; i++)
    if (!is_continuation (p[i]))
      n_columns++;

  *line = n_lines;
  *column = n_columns;
}

static gboolean G_GNUC_PRINTF (3, 4)
fail (Scanner    *s,
      gsize       off,
      const char *format,
      ...)
{
  g_autofree char *message = NULL;
  gsize line;
  gsize column;
  va_list args;

  if (s->error == NULL)
    return FALSE;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);

  locate (s, off, &line, &column);

  g_set_error (s->error, GLOSS_BUNDLE_ERROR, GLOSS_BUNDLE_ERROR_REFUSED,
               "%" G_GSIZE_FORMAT ":%" G_GSIZE_FORMAT ": %s",
               line, column, message);

  return FALSE;
}

static gboolean
fail_utf8 (Scanner    *s,
           gsize       off,
           const char *why)
{
  if (why != NULL)
    return fail (s, off, "invalid UTF-8 byte 0x%02x (%s)", s->data[off], why);
  else
    return fail (s, off, "invalid UTF-8 byte 0x%02x", s->data[off]);
}

/* Writes how a message names the character at @off: 'x' for printable
 * ASCII, U+XXXX otherwise. Returns FALSE, having set the error, when the
 * byte is not valid UTF-8. */
static gboolean
describe_char (Scanner *s,
               gsize    off,
               char     buf[16])
{
  guchar c = s->data[off];

  if (c >= 0x80)
    {
      const char *why;
      gunichar cp;

      if (utf8_sequence (s->data, s->len, off, &cp, &why) == 0)
        return fail_utf8 (s, off, why);
      g_snprintf (buf, 16, "U+%04X", cp);
    }
  else if (c < 0x20 || c == 0x7F)
    g_snprintf (buf, 16, "U+%04X", c);
  else
    g_snprintf (buf, 16, "'%c'", c);

  return TRUE;
}

/* Refuses the byte at @off, which cannot start what @expected names. The
 * usual mistakes get their own message. */
static gboolean
fail_unexpected (Scanner    *s,
                 gsize       off,
                 const char *expected)
{
  char what[16];

  if (off >= s->len)
    return fail (s, off, "unexpected end of input, expected %s", expected);

  switch (s->data[off])
    {
    case '/':
      return fail (s, off, "comments are not allowed in JSON");
    case '\'':
      return fail (s, off, "single quotes are not allowed in JSON, use double quotes");
    default:
      break;
    }

  if (!describe_char (s, off, what))
    return FALSE;

  return fail (s, off, "unexpected character %s, expected %s", what, expected);
}

static inline const guchar *
key_data (const Scanner *s,
          const Key     *key)
{
  return key->in_arena ? s->arena->data + key->off : s->data + key->off;
}

/* Appends @key to @str for a message: quotes, backslashes and controls
 * escaped, long keys cut. */
static void
append_key_for_message (GString      *str,
                        const guchar *p,
                        gsize         len)
{
  gsize n_chars = 0;

  for (gsize i = 0; i < len; i++)
    {
      guchar c = p[i];

      if (!is_continuation (c) && n_chars++ == MAX_QUOTED_CHARS)
        {
          g_string_append (str, "…");
          break;
        }

      if (c == '"' || c == '\\')
        {
          g_string_append_c (str, '\\');
          g_string_append_c (str, c);
        }
      else if (c < 0x20 || c == 0x7F)
        g_string_append_printf (str, "\\u%04x", c);
      else
        g_string_append_c (str, c);
    }
}

/* Appends @key to a JSON Pointer, escaped as RFC 6901 says. */
static void
append_key_for_pointer (GString      *str,
                        const guchar *p,
                        gsize         len)
{
  gsize run = 0;

  for (gsize i = 0; i < len; i++)
    {
      if (p[i] != '~' && p[i] != '/')
        continue;

      g_string_append_len (str, (const char *)p + run, i - run);
      g_string_append (str, p[i] == '~' ? "~0" : "~1");
      run = i + 1;
    }

  g_string_append_len (str, (const char *)p + run, len - run);
}

/* The JSON Pointer of the value being scanned. Only called for the rare
 * values that need reporting. */
static char *
current_pointer (const Scanner *s)
{
  GString *str;

  if (s->depth == 0)
    return g_strdup ("/");

  str = g_string_new (NULL);

  for (guint i = 0; i < s->depth; i++)
    {
      const Level *level = &s->levels[i];

      g_string_append_c (str, '/');

      if (level->is_object)
        {
          const Key *key = &g_array_index (s->keys, Key, level->cur_key);

          append_key_for_pointer (str, key_data (s, key), key->len);
        }
      else
        g_string_append_printf (str, "%" G_GSIZE_FORMAT, level->index);
    }

  return g_string_free (str, FALSE);
}

/* Checks the string whose opening quote is at *@pos and moves *@pos past its
 * closing quote. @escaped tells whether it holds any escape. */
static gboolean
scan_string (Scanner  *s,
             gsize    *pos,
             gboolean *escaped)
{
  const guchar *p = s->data;
  const gsize len = s->len;
  const gsize quote = *pos;
  gsize i = quote + 1;

  *escaped = FALSE;

  for (;;)
    {
      guchar c;

      /* The fast path: eight plain ASCII bytes at a time, then one by one. */
      while (i + 8 <= len)
        {
          guint64 x;

          memcpy (&x, p + i, 8);
          if (has_string_stop (x))
            break;
          i += 8;
        }
      while (i < len && !string_stop[p[i]])
        i++;

      if G_UNLIKELY (i >= len)
        return fail (s, quote, "unterminated string");

      c = p[i];

      if (c == '"')
        {
          *pos = i + 1;
          return TRUE;
        }
      else if (c == '\\')
        {
          guchar e;

          if (i + 1 >= len)
            return fail (s, quote, "unterminated string");

          *escaped = TRUE;
          e = p[i + 1];

          switch (e)
            {
            case '"':
            case '\\':
            case '/':
            case 'b':
            case 'f':
            case 'n':
            case 'r':
            case 't':
              i += 2;
              break;

            case 'u':
              {
                int cp;

                if (i + 6 > len || (cp = hex4 (p + i + 2)) < 0)
                  return fail (s, i, "invalid \\u escape (it needs four hex digits)");

                if (cp == 0)
                  return fail (s, i, "\\u0000 is not allowed in strings");

                if (cp >= 0xDC00 && cp <= 0xDFFF)
                  return fail (s, i, "lone surrogate \\u%04x", cp);

                if (cp >= 0xD800 && cp <= 0xDBFF)
                  {
                    int low;

                    if (i + 12 > len ||
                        p[i + 6] != '\\' ||
                        p[i + 7] != 'u' ||
                        (low = hex4 (p + i + 8)) < 0xDC00 ||
                        low > 0xDFFF)
                      return fail (s, i, "lone surrogate \\u%04x", cp);

                    i += 12;
                  }
                else
                  i += 6;
              }
              break;

            default:
              {
                char what[16];

                if (!describe_char (s, i + 1, what))
                  return FALSE;

                return fail (s, i, "invalid escape \\ followed by %s in string", what);
              }
            }
        }
      else if (c < 0x20)
        {
          static const char *const short_escapes[0x20] = {
            ['\b'] = "\\b", ['\f'] = "\\f", ['\n'] = "\\n", ['\r'] = "\\r", ['\t'] = "\\t",
          };

          if (short_escapes[c] != NULL)
            return fail (s, i, "raw control character U+%04X in string (escape it as %s)",
                         c, short_escapes[c]);
          else
            return fail (s, i, "raw control character U+%04X in string (escape it as \\u%04x)",
                         c, c);
        }
      else
        {
          const char *why;
          gunichar cp;
          gsize n = utf8_sequence (p, len, i, &cp, &why);

          if (n == 0)
            return fail_utf8 (s, i, why);

          i += n;
        }
    }
}

/* Unescapes a key that scan_string() checked into the arena. */
static void
unescape_into (GByteArray   *arena,
               const guchar *p,
               gsize         len)
{
  gsize i = 0;

  while (i < len)
    {
      const guchar *backslash = memchr (p + i, '\\', len - i);
      guchar c;

      if (backslash == NULL)
        {
          g_byte_array_append (arena, p + i, len - i);
          return;
        }

      g_byte_array_append (arena, p + i, backslash - (p + i));
      i = backslash - p;

      if (p[i + 1] == 'u')
        {
          gunichar cp = hex4 (p + i + 2);
          char utf8[6];
          int n;

          i += 6;
          if (cp >= 0xD800 && cp <= 0xDBFF)
            {
              cp = 0x10000 + ((cp - 0xD800) << 10) + (hex4 (p + i + 2) - 0xDC00);
              i += 6;
            }

          n = g_unichar_to_utf8 (cp, utf8);
          g_byte_array_append (arena, (const guint8 *)utf8, n);
          continue;
        }

      switch (p[i + 1])
        {
        case 'b':
          c = '\b';
          break;
        case 'f':
          c = '\f';
          break;
        case 'n':
          c = '\n';
          break;
        case 'r':
          c = '\r';
          break;
        case 't':
          c = '\t';
          break;
        default:
          c = p[i + 1];
          break;
        }

      g_byte_array_append (arena, &c, 1);
      i += 2;
    }
}

static inline guint32
hash_bytes (const guchar *p,
            gsize         len)
{
  guint32 h = 2166136261u;

  for (gsize i = 0; i < len; i++)
    h = (h ^ p[i]) * 16777619u;

  return h;
}

static inline gboolean
keys_equal (const Scanner *s,
            const Key     *a,
            const Key     *b)
{
  return a->hash == b->hash &&
         a->len == b->len &&
         memcmp (key_data (s, a), key_data (s, b), a->len) == 0;
}

/* (Re)builds the hash index of @level with room for @n_keys keys. */
static void
index_rebuild (Scanner *s,
               Level   *level,
               gsize    n_keys)
{
  gsize n_slots = 64;

  while (n_slots < n_keys * 2)
    n_slots *= 2;

  g_free (level->slots);
  level->slots = g_new0 (gsize, n_slots);
  level->n_slots = n_slots;

  for (gsize k = level->key_start; k < s->keys->len; k++)
    {
      const Key *key = &g_array_index (s->keys, Key, k);
      gsize slot = key->hash & (n_slots - 1);

      while (level->slots[slot] != 0)
        slot = (slot + 1) & (n_slots - 1);
      level->slots[slot] = k + 1;
    }
}

/* Records the key of the current member of the innermost object, refusing
 * it if the object already has it. @quote is its opening quote, @end is
 * just past its closing one. */
static gboolean
add_key (Scanner  *s,
         gsize     quote,
         gsize     end,
         gboolean  escaped)
{
  Level *level = &s->levels[s->depth - 1];
  gsize n_keys = s->keys->len - level->key_start;
  gsize slot = 0;
  Key key;

  g_assert (level->is_object);

  if (escaped)
    {
      key.off = s->arena->len;
      unescape_into (s->arena, s->data + quote + 1, end - quote - 2);
      key.len = s->arena->len - key.off;
      key.in_arena = TRUE;
    }
  else
    {
      key.off = quote + 1;
      key.len = end - quote - 2;
      key.in_arena = FALSE;
    }
  key.hash = hash_bytes (key_data (s, &key), key.len);

  if (level->slots == NULL && n_keys < LINEAR_KEYS)
    {
      for (gsize k = level->key_start; k < s->keys->len; k++)
        if G_UNLIKELY (keys_equal (s, &key, &g_array_index (s->keys, Key, k)))
          goto duplicate;
    }
  else
    {
      if (level->slots == NULL || (n_keys + 1) * 2 > level->n_slots)
        index_rebuild (s, level, n_keys + 1);

      for (slot = key.hash & (level->n_slots - 1);
           level->slots[slot] != 0;
           slot = (slot + 1) & (level->n_slots - 1))
        if G_UNLIKELY (keys_equal (s, &key, &g_array_index (s->keys, Key, level->slots[slot] - 1)))
          goto duplicate;
    }

  g_array_append_val (s->keys, key);
  level->cur_key = s->keys->len - 1;
  if (level->slots != NULL)
    level->slots[slot] = s->keys->len;

  return TRUE;

duplicate:
  {
    g_autoptr(GString) shown = g_string_new (NULL);

    append_key_for_message (shown, key_data (s, &key), key.len);

    return fail (s, quote, "duplicate key \"%s\" in object", shown->str);
  }
}

static gboolean
push_level (Scanner  *s,
            gsize     pos,
            gboolean  is_object)
{
  Level *level;

  if G_UNLIKELY (s->depth == GLOSS_BUNDLE_MAX_DEPTH)
    return fail (s, pos, "nesting deeper than %d levels", GLOSS_BUNDLE_MAX_DEPTH);

  level = &s->levels[s->depth++];
  level->is_object = is_object;
  level->is_entries = FALSE;
  level->index = 0;
  level->key_start = s->keys->len;
  level->arena_start = s->arena->len;
  level->cur_key = NO_POS;
  level->slots = NULL;
  level->n_slots = 0;

  return TRUE;
}

static void
pop_level (Scanner *s)
{
  Level *level = &s->levels[--s->depth];

  if (level->is_object)
    {
      g_array_set_size (s->keys, level->key_start);
      g_byte_array_set_size (s->arena, level->arena_start);
      g_clear_pointer (&level->slots, g_free);
    }
}

/* Whether the current member of the root object is "entries". */
static gboolean
at_entries_member (const Scanner *s)
{
  const Key *key;

  if (s->depth != 1 || !s->levels[0].is_object)
    return FALSE;

  key = &g_array_index (s->keys, Key, s->levels[0].cur_key);

  return key->len == 7 && memcmp (key_data (s, key), "entries", 7) == 0;
}

/* Whether the integer digits at @p fit in a gint64. They have no leading
 * zero. */
static gboolean
fits_int64 (const guchar *p,
            gsize         n_digits,
            gboolean      negative)
{
  if (n_digits < 19)
    return TRUE;
  if (n_digits > 19)
    return FALSE;

  return memcmp (p, negative ? "9223372036854775808" : "9223372036854775807", 19) <= 0;
}

static gboolean
matches (const Scanner *s,
         gsize          pos,
         const char    *word)
{
  gsize n = strlen (word);

  return s->len - pos >= n && memcmp (s->data + pos, word, n) == 0;
}

/* Checks the number at *@pos and moves *@pos past it. */
static gboolean
scan_number (Scanner  *s,
             gsize    *pos,
             gboolean *unsafe)
{
  const guchar *p = s->data;
  const gsize len = s->len;
  const gsize start = *pos;
  gsize i = start;
  gsize digits;
  gsize n_digits;
  gboolean negative = FALSE;
  gboolean integer = TRUE;

  if (p[i] == '-')
    {
      negative = TRUE;
      i++;
    }

  digits = i;

  if (i < len && p[i] == '0')
    {
      i++;
      if (i < len && (p[i] == 'x' || p[i] == 'X'))
        return fail (s, start, "hexadecimal numbers are not allowed in JSON");
      if (i < len && is_digit (p[i]))
        return fail (s, start, "numbers must not have leading zeros");
    }
  else if (i < len && is_digit (p[i]))
    {
      while (i < len && is_digit (p[i]))
        i++;
    }
  else if (matches (s, i, "Infinity"))
    return fail (s, start, "NaN and Infinity are not allowed in JSON");
  else
    return fail (s, start, "'-' must be followed by a digit");

  n_digits = i - digits;

  if (i < len && p[i] == '.')
    {
      integer = FALSE;
      i++;
      if (i >= len || !is_digit (p[i]))
        return fail (s, i - 1, "a decimal point must be followed by a digit");
      while (i < len && is_digit (p[i]))
        i++;
    }

  if (i < len && (p[i] == 'e' || p[i] == 'E'))
    {
      gsize e = i;

      integer = FALSE;
      i++;
      if (i < len && (p[i] == '+' || p[i] == '-'))
        i++;
      if (i >= len || !is_digit (p[i]))
        return fail (s, e, "an exponent must have digits");
      while (i < len && is_digit (p[i]))
        i++;
    }

  *unsafe = !integer || !fits_int64 (p + digits, n_digits, negative);
  *pos = i;

  return TRUE;
}

/* The value starting at @pos is none of the JSON values. */
static gboolean
fail_value (Scanner *s,
            gsize    pos,
            gsize    comma)
{
  guchar c = pos < s->len ? s->data[pos] : 0;

  if (comma != NO_POS && c == ']')
    return fail (s, comma, "trailing comma before ']'");
  if (c == '+')
    return fail (s, pos, "numbers must not start with '+'");
  if (c == '.')
    return fail (s, pos, "numbers must have a digit before the decimal point");
  if (matches (s, pos, "NaN") || matches (s, pos, "Infinity"))
    return fail (s, pos, "NaN and Infinity are not allowed in JSON");
  if (c == 't' || c == 'f' || c == 'n')
    return fail (s, pos, "invalid literal, expected true, false or null");

  return fail_unexpected (s, pos, "a value");
}

/* The object member starting at @pos does not start with a key. */
static gboolean
fail_key (Scanner *s,
          gsize    pos,
          gsize    comma)
{
  guchar c = pos < s->len ? s->data[pos] : 0;

  if (comma != NO_POS && c == '}')
    return fail (s, comma, "trailing comma before '}'");
  if (g_ascii_isalpha (c) || c == '_' || c == '$')
    return fail (s, pos, "object keys must be double-quoted strings");

  return fail_unexpected (s, pos, "a double-quoted object key");
}

static gboolean
scan_document (Scanner *s)
{
  const guchar *p = s->data;
  const gsize len = s->len;
  GlossScan *scan = s->scan;
  gsize pos = s->bom;
  gsize comma = NO_POS;
  State state = STATE_VALUE;

  if (pos == len)
    return fail (s, pos, "the input is empty");

  for (;;)
    {
      switch (state)
        {
        case STATE_VALUE:
          {
            Level *top = s->depth > 0 ? &s->levels[s->depth - 1] : NULL;
            gboolean escaped = FALSE;
            gboolean unsafe = FALSE;

            pos = skip_ws (p, len, pos);
            if G_UNLIKELY (pos >= len)
              return fail_unexpected (s, pos, "a value");

            if (top == NULL)
              scan->root.offset = pos;
            else if (s->depth == 1 && top->is_object)
              s->member_start = pos;
            else if (top->is_entries)
              {
                if G_UNLIKELY (top->index >= GLOSS_BUNDLE_MAX_ENTRIES)
                  return fail (s, pos, "more than %d entries", GLOSS_BUNDLE_MAX_ENTRIES);
                s->element_start = pos;
              }

            state = STATE_AFTER_VALUE;

            switch (p[pos])
              {
              case '"':
                if (!scan_string (s, &pos, &escaped))
                  return FALSE;
                break;

              case '{':
                if (!push_level (s, pos, TRUE))
                  return FALSE;
                pos = skip_ws (p, len, pos + 1);
                if (pos < len && p[pos] == '}')
                  {
                    pop_level (s);
                    pos++;
                  }
                else
                  {
                    comma = NO_POS;
                    state = STATE_KEY;
                  }
                break;

              case '[':
                {
                  gboolean is_entries = at_entries_member (s);

                  if (!push_level (s, pos, FALSE))
                    return FALSE;
                  if (is_entries)
                    {
                      s->levels[s->depth - 1].is_entries = TRUE;
                      scan->entries = g_array_new (FALSE, FALSE, sizeof (GlossSpan));
                    }
                  pos = skip_ws (p, len, pos + 1);
                  if (pos < len && p[pos] == ']')
                    {
                      pop_level (s);
                      pos++;
                    }
                  else
                    {
                      comma = NO_POS;
                      state = STATE_VALUE;
                    }
                }
                break;

              case '-':
              case '0': case '1': case '2': case '3': case '4':
              case '5': case '6': case '7': case '8': case '9':
                if (!scan_number (s, &pos, &unsafe))
                  return FALSE;
                if G_UNLIKELY (unsafe)
                  g_hash_table_add (scan->unsafe_numbers, current_pointer (s));
                break;

              case 't':
                if (!matches (s, pos, "true"))
                  return fail_value (s, pos, comma);
                pos += 4;
                break;

              case 'f':
                if (!matches (s, pos, "false"))
                  return fail_value (s, pos, comma);
                pos += 5;
                break;

              case 'n':
                if (!matches (s, pos, "null"))
                  return fail_value (s, pos, comma);
                pos += 4;
                break;

              default:
                return fail_value (s, pos, comma);
              }
          }
          break;

        case STATE_KEY:
          {
            gsize quote;
            gboolean escaped = FALSE;

            pos = skip_ws (p, len, pos);
            if G_UNLIKELY (pos >= len || p[pos] != '"')
              return fail_key (s, pos, comma);

            quote = pos;
            if (!scan_string (s, &pos, &escaped) ||
                !add_key (s, quote, pos, escaped))
              return FALSE;

            pos = skip_ws (p, len, pos);
            if G_UNLIKELY (pos >= len || p[pos] != ':')
              return fail_unexpected (s, pos, "':' after the object key");

            pos++;
            state = STATE_VALUE;
          }
          break;

        case STATE_AFTER_VALUE:
          {
            Level *top;
            guchar closer;

            if (s->depth == 0)
              {
                scan->root.length = pos - scan->root.offset;
                pos = skip_ws (p, len, pos);
                if (pos == len)
                  return TRUE;
                else if (p[pos] == '/')
                  return fail (s, pos, "comments are not allowed in JSON");
                else
                  {
                    char what[16];

                    if (!describe_char (s, pos, what))
                      return FALSE;
                    return fail (s, pos, "unexpected character %s after the top-level value",
                                 what);
                  }
              }

            top = &s->levels[s->depth - 1];

            if (s->depth == 1 && top->is_object)
              {
                const Key *key = &g_array_index (s->keys, Key, top->cur_key);
                GlossSpan *span = g_new (GlossSpan, 1);

                span->offset = s->member_start;
                span->length = pos - s->member_start;
                g_hash_table_insert (scan->members,
                                     g_strndup ((const char *)key_data (s, key), key->len),
                                     span);
              }
            else if (top->is_entries)
              {
                GlossSpan span = { s->element_start, pos - s->element_start };

                g_array_append_val (scan->entries, span);
              }

            pos = skip_ws (p, len, pos);
            closer = top->is_object ? '}' : ']';

            if (pos < len && p[pos] == ',')
              {
                comma = pos++;
                if (top->is_object)
                  state = STATE_KEY;
                else
                  {
                    top->index++;
                    state = STATE_VALUE;
                  }
              }
            else if (pos < len && p[pos] == closer)
              {
                pop_level (s);
                pos++;
              }
            else if (top->is_object)
              return fail_unexpected (s, pos, "',' or '}' after an object member");
            else
              return fail_unexpected (s, pos, "',' or ']' after an array element");
          }
          break;

        default:
          g_assert_not_reached ();
        }
    }
}

GlossScan *
gloss_prescan (const char  *data,
               gsize        length,
               GError     **error)
{
  Scanner s = { 0 };
  GlossScan *scan;
  gboolean ok;

  g_return_val_if_fail (data != NULL || length == 0, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  scan = g_new0 (GlossScan, 1);
  scan->members = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  scan->unsafe_numbers = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  s.data = (const guchar *)(data != NULL ? data : "");
  s.len = length;
  s.scan = scan;
  s.error = error;
  s.keys = g_array_new (FALSE, FALSE, sizeof (Key));
  s.arena = g_byte_array_new ();

  if (length >= 3 && memcmp (data, "\xEF\xBB\xBF", 3) == 0)
    s.bom = 3;

  ok = scan_document (&s);

  while (s.depth > 0)
    pop_level (&s);
  g_array_unref (s.keys);
  g_byte_array_unref (s.arena);

  if (!ok)
    {
      gloss_scan_free (scan);
      return NULL;
    }

  scan->root_is_object = data[scan->root.offset] == '{';

  return scan;
}

void
gloss_scan_free (GlossScan *scan)
{
  if (scan == NULL)
    return;

  g_clear_pointer (&scan->members, g_hash_table_unref);
  g_clear_pointer (&scan->entries, g_array_unref);
  g_clear_pointer (&scan->unsafe_numbers, g_hash_table_unref);
  g_free (scan);
}
