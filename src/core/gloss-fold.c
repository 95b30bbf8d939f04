/* gloss-fold.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "gloss-fold"

#include "config.h"

#include <string.h>

#include "gloss-fold.h"

/* Most searchable text is ASCII, and building the index folds every byte of
 * a bundle (300 MB at 100,000 entries), so ASCII never leaves the byte loop.
 * Other characters are folded one cluster at a time (a base character and
 * the combining marks after it), which keeps the mapping from folded tokens
 * back to the input exact. Single characters below U+0800 (Latin, Greek,
 * Cyrillic, ...) come from a table computed once; CJK ideographs, kana,
 * Hangul syllables and any other character with no case and no
 * decomposition (emoji, symbols) fold to themselves; the rest takes GLib's
 * normalisation.
 *
 * Folding cluster by cluster gives the same result as folding the whole
 * string, except for conjoining Hangul jamo typed one by one, which stay
 * decomposed; halfwidth katakana voicing marks count as marks so that `ｶﾞ`
 * still becomes `ガ`. */

enum
{
  CLASS_SEPARATOR,
  CLASS_WORD,      /* a letter of a script written with spaces */
  CLASS_NO_SPACE,  /* a letter of a script written without spaces */
  CLASS_COMMON,    /* digits, and letters of no script (ー): join the current run */
  CLASS_MARK,      /* combining marks: join the current run, never start one */
};

typedef struct
{
  guint8 len;
  char   bytes[15];
} FoldSlot;

#define TWO_BYTE_FIRST 0x80
#define TWO_BYTE_LAST  0x7FF
#define NOT_CACHED     0xFF

static FoldSlot *two_byte_table;

static const char ascii_lower[128] = {
  0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15,
  16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31,
  ' ', '!', '"', '#', '$', '%', '&', '\'', '(', ')', '*', '+', ',', '-', '.', '/',
  '0', '1', '2', '3', '4', '5', '6', '7', '8', '9', ':', ';', '<', '=', '>', '?',
  '@', 'a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i', 'j', 'k', 'l', 'm', 'n', 'o',
  'p', 'q', 'r', 's', 't', 'u', 'v', 'w', 'x', 'y', 'z', '[', '\\', ']', '^', '_',
  '`', 'a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i', 'j', 'k', 'l', 'm', 'n', 'o',
  'p', 'q', 'r', 's', 't', 'u', 'v', 'w', 'x', 'y', 'z', '{', '|', '}', '~', 127,
};

/* CLASS_WORD for letters, CLASS_COMMON for digits, else CLASS_SEPARATOR. */
#define W CLASS_WORD
#define D CLASS_COMMON
static const guint8 ascii_classes[256] = {
  0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
  0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
  0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
  D, D, D, D, D, D, D, D, D, D, 0, 0, 0, 0, 0, 0,
  0, W, W, W, W, W, W, W, W, W, W, W, W, W, W, W,
  W, W, W, W, W, W, W, W, W, W, W, 0, 0, 0, 0, 0,
  0, W, W, W, W, W, W, W, W, W, W, W, W, W, W, W,
  W, W, W, W, W, W, W, W, W, W, W, 0, 0, 0, 0, 0,
  /* not ASCII: stops the byte loop */
};
#undef W
#undef D

G_STATIC_ASSERT (CLASS_SEPARATOR == 0);

static inline guint
ascii_class (guchar b)
{
  return ascii_classes[b];
}

static inline gboolean
is_cluster_mark (gunichar c)
{
  GUnicodeType type;

  if (c == 0xFF9E || c == 0xFF9F)
    return TRUE;
  if (c < 0x300)
    return FALSE;

  type = g_unichar_type (c);
  return type == G_UNICODE_NON_SPACING_MARK ||
         type == G_UNICODE_SPACING_MARK ||
         type == G_UNICODE_ENCLOSING_MARK;
}

static inline gboolean
script_drops_marks (GUnicodeScript script)
{
  return script == G_UNICODE_SCRIPT_LATIN ||
         script == G_UNICODE_SCRIPT_GREEK ||
         script == G_UNICODE_SCRIPT_CYRILLIC;
}

/* Characters that no step of the fold changes. */
static inline gboolean
folds_to_itself (gunichar c)
{
  return (c >= 0x4E00 && c <= 0x9FFF) ||   /* CJK unified ideographs */
         (c >= 0x3400 && c <= 0x4DBF) ||   /* extension A */
         (c >= 0x3041 && c <= 0x3096) ||   /* hiragana */
         (c >= 0x30A1 && c <= 0x30FA) ||   /* katakana */
         (c >= 0x30FC && c <= 0x30FE) ||
         (c >= 0xAC00 && c <= 0xD7A3);     /* Hangul syllables */
}

gboolean
gloss_fold_is_no_space (gunichar c)
{
  switch ((int)g_unichar_get_script (c))
    {
    case G_UNICODE_SCRIPT_HAN:
    case G_UNICODE_SCRIPT_HIRAGANA:
    case G_UNICODE_SCRIPT_KATAKANA:
    case G_UNICODE_SCRIPT_BOPOMOFO:
    case G_UNICODE_SCRIPT_THAI:
    case G_UNICODE_SCRIPT_LAO:
    case G_UNICODE_SCRIPT_KHMER:
    case G_UNICODE_SCRIPT_MYANMAR:
      return TRUE;
    default:
      return FALSE;
    }
}

static inline guint
char_class (gunichar c)
{
  GUnicodeType type;

  if (c < 0x80)
    return ascii_class (c);

  type = g_unichar_type (c);
  switch ((int)type)
    {
    case G_UNICODE_NON_SPACING_MARK:
    case G_UNICODE_SPACING_MARK:
    case G_UNICODE_ENCLOSING_MARK:
      return CLASS_MARK;

    case G_UNICODE_LOWERCASE_LETTER:
    case G_UNICODE_MODIFIER_LETTER:
    case G_UNICODE_OTHER_LETTER:
    case G_UNICODE_TITLECASE_LETTER:
    case G_UNICODE_UPPERCASE_LETTER:
    case G_UNICODE_DECIMAL_NUMBER:
    case G_UNICODE_LETTER_NUMBER:
    case G_UNICODE_OTHER_NUMBER:
      break;

    default:
      return CLASS_SEPARATOR;
    }

  if (folds_to_itself (c) && c < 0xAC00)
    return CLASS_NO_SPACE;

  switch ((int)g_unichar_get_script (c))
    {
    case G_UNICODE_SCRIPT_COMMON:
    case G_UNICODE_SCRIPT_INHERITED:
      return CLASS_COMMON;
    default:
      return gloss_fold_is_no_space (c) ? CLASS_NO_SPACE : CLASS_WORD;
    }
}

/* The full fold of one cluster: NFKD, marks dropped on Latin, Greek and
 * Cyrillic bases, case folding, NFC. @context is the script of the base
 * when the cluster is a lone mark (its base was ASCII). */
static void
fold_cluster_slow (const char     *text,
                   gsize           len,
                   GUnicodeScript  context,
                   GString        *out)
{
  g_autofree char *decomposed = NULL;
  g_autofree char *folded = NULL;
  g_autofree char *composed = NULL;
  GUnicodeScript base_script = context;
  GString *kept;

  decomposed = g_utf8_normalize (text, len, G_NORMALIZE_ALL);
  if (decomposed == NULL)
    return;

  kept = g_string_sized_new (strlen (decomposed));
  for (const char *p = decomposed; *p; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (g_unichar_type (c) == G_UNICODE_NON_SPACING_MARK)
        {
          if (script_drops_marks (base_script))
            continue;
        }
      else if (!is_cluster_mark (c))
        base_script = g_unichar_get_script (c);

      g_string_append_len (kept, p, g_utf8_next_char (p) - p);
    }

  folded = g_utf8_casefold (kept->str, kept->len);
  g_string_free (kept, TRUE);
  composed = g_utf8_normalize (folded, -1, G_NORMALIZE_DEFAULT_COMPOSE);
  if (composed != NULL)
    g_string_append (out, composed);
}

static FoldSlot *
get_two_byte_table (void)
{
  static gsize initialized;

  if (g_once_init_enter (&initialized))
    {
      FoldSlot *table = g_new0 (FoldSlot, TWO_BYTE_LAST - TWO_BYTE_FIRST + 1);
      GString *out = g_string_new (NULL);

      for (gunichar c = TWO_BYTE_FIRST; c <= TWO_BYTE_LAST; c++)
        {
          FoldSlot *slot = &table[c - TWO_BYTE_FIRST];
          char utf8[8];
          int n = g_unichar_to_utf8 (c, utf8);

          g_string_truncate (out, 0);
          fold_cluster_slow (utf8, n, G_UNICODE_SCRIPT_COMMON, out);
          if (out->len < sizeof slot->bytes)
            {
              slot->len = out->len;
              memcpy (slot->bytes, out->str, out->len);
            }
          else
            slot->len = NOT_CACHED;
        }

      g_string_free (out, TRUE);
      two_byte_table = table;
      g_once_init_leave (&initialized, 1);
    }

  return two_byte_table;
}

/* Whether the fold leaves @c, alone, as it is: it has no case and no
 * decomposition. Emoji, symbols, punctuation and most letters of scripts
 * without case (Arabic, Hebrew, Indic, Ethiopic, ...) are such; the test
 * compares this with GLib's full fold for every code point. */
static inline gboolean
folds_unchanged (gunichar c)
{
  /* The last ones found, per thread: text repeats its characters. */
  static __thread gunichar known[64];
  gunichar decomposed[G_UNICHAR_MAX_DECOMPOSITION_LENGTH];

  if (known[c % G_N_ELEMENTS (known)] == c)
    return TRUE;

  if (g_unichar_tolower (c) == c &&
      g_unichar_toupper (c) == c &&
      g_unichar_fully_decompose (c, TRUE, decomposed, G_N_ELEMENTS (decomposed)) == 1 &&
      decomposed[0] == c)
    {
      known[c % G_N_ELEMENTS (known)] = c;
      return TRUE;
    }

  return FALSE;
}

/* Folds the cluster starting at the non-ASCII byte @p and appends it to
 * @out. Returns where the next cluster starts. Invalid bytes are dropped. */
static const char *
fold_cluster (const char *text,
              const char *p,
              const char *end,
              GString    *out)
{
  gunichar c = g_utf8_get_char_validated (p, end - p);
  const char *q;
  gboolean lone;
  GUnicodeScript context = G_UNICODE_SCRIPT_COMMON;

  if (c == (gunichar)-1 || c == (gunichar)-2)
    return p + 1;

  q = g_utf8_next_char (p);
  lone = is_cluster_mark (c);

  if (!lone && (q >= end || (guchar)*q < 0x80 ||
                !is_cluster_mark (g_utf8_get_char_validated (q, end - q))))
    {
      if (c <= TWO_BYTE_LAST)
        {
          const FoldSlot *slot = &get_two_byte_table ()[c - TWO_BYTE_FIRST];

          if (slot->len != NOT_CACHED)
            {
              g_string_append_len (out, slot->bytes, slot->len);
              return q;
            }
        }
      else if (folds_to_itself (c) || folds_unchanged (c))
        {
          g_string_append_len (out, p, q - p);
          return q;
        }
    }

  while (q < end && (guchar)*q >= 0x80)
    {
      gunichar m = g_utf8_get_char_validated (q, end - q);

      if (m == (gunichar)-1 || m == (gunichar)-2 || !is_cluster_mark (m))
        break;
      q = g_utf8_next_char (q);
    }

  /* A lone mark only follows an ASCII character or starts the text. */
  if (lone && p > text && g_ascii_isalpha (p[-1]))
    context = G_UNICODE_SCRIPT_LATIN;

  fold_cluster_slow (p, q - p, context, out);
  return q;
}

/**
 * gloss_fold_append:
 * @out: where the folded text goes
 * @utf8: valid UTF-8 (invalid bytes are dropped)
 * @len: bytes of @utf8, or -1 if nul-terminated
 *
 * Appends the fold of @utf8 to @out.
 */
void
gloss_fold_append (GString    *out,
                   const char *utf8,
                   gssize      len)
{
  const char *p;
  const char *end;

  g_return_if_fail (out != NULL);
  g_return_if_fail (utf8 != NULL || len == 0);

  if (len < 0)
    len = strlen (utf8);

  end = utf8 + len;
  for (p = utf8; p < end; )
    {
      const char *run = p;

      while (p < end && (guchar)*p < 0x80)
        p++;

      if (p > run)
        {
          gsize old_len = out->len;
          char *dst;

          g_string_set_size (out, old_len + (p - run));
          dst = out->str + old_len;
          for (const char *s = run; s < p; s++)
            *dst++ = ascii_lower[(guchar)*s];
        }

      if (p < end)
        p = fold_cluster (utf8, p, end, out);
    }
}

/**
 * gloss_fold:
 * @utf8: valid UTF-8
 * @len: bytes of @utf8, or -1 if nul-terminated
 *
 * Returns: (transfer full): @utf8 folded for comparison (see gloss-fold.h)
 */
char *
gloss_fold (const char *utf8,
            gssize      len)
{
  GString *out;

  g_return_val_if_fail (utf8 != NULL || len == 0, NULL);

  if (len < 0)
    len = strlen (utf8);

  out = g_string_sized_new (len + 1);
  gloss_fold_append (out, utf8, len);
  return g_string_free (out, FALSE);
}

/**
 * gloss_fold_key:
 * @utf8: valid UTF-8
 * @len: bytes of @utf8, or -1 if nul-terminated
 *
 * The exact-match key of a term, an alias or a whole query: the fold with
 * white space trimmed and every run of it made one space.
 *
 * Returns: (transfer full): the key
 */
char *
gloss_fold_key (const char *utf8,
                gssize      len)
{
  g_autofree char *folded = gloss_fold (utf8, len);
  GString *out = g_string_sized_new (strlen (folded));
  gboolean pending_space = FALSE;

  for (const char *p = folded; *p; )
    {
      const char *next;
      gboolean space;

      if ((guchar)*p < 0x80)
        {
          space = g_ascii_isspace (*p);
          next = p + 1;
        }
      else
        {
          space = g_unichar_isspace (g_utf8_get_char (p));
          next = g_utf8_next_char (p);
        }

      if (space)
        pending_space = out->len > 0;
      else
        {
          if (pending_space)
            g_string_append_c (out, ' ');
          pending_space = FALSE;
          if (next == p + 1)
            g_string_append_c (out, *p);
          else
            g_string_append_len (out, p, next - p);
        }
      p = next;
    }

  return g_string_free (out, FALSE);
}

typedef struct
{
  GlossTokenFunc  func;
  gpointer        user_data;
  GString        *buf;
  GlossTokenKind  kind;
  gboolean        active;
  gboolean        stop;
  gsize           start;
  gsize           end;
} Tokenizer;

static inline void
tokenizer_flush (Tokenizer *t)
{
  if (t->active && t->buf->len > 0)
    {
      GlossToken token = {
        .text = t->buf->str,
        .len = t->buf->len,
        .kind = t->kind,
        .start = t->start,
        .end = t->end,
      };

      if (!t->func (&token, t->user_data))
        t->stop = TRUE;
    }

  t->active = FALSE;
  t->buf->len = 0;
  t->buf->str[0] = '\0';
}

static inline void
tokenizer_begin (Tokenizer      *t,
                 GlossTokenKind  kind,
                 gsize           start)
{
  t->active = TRUE;
  t->kind = kind;
  t->start = start;
}

/* Adds one folded character of class @cls, from the input range
 * [@start, @end), to the current token. */
static void
tokenizer_feed (Tokenizer  *t,
                const char *bytes,
                guint       n_bytes,
                guint       cls,
                gsize       start,
                gsize       end)
{
  switch (cls)
    {
    case CLASS_SEPARATOR:
      tokenizer_flush (t);
      return;

    case CLASS_WORD:
      if (t->active && t->kind == GLOSS_TOKEN_NO_SPACE)
        tokenizer_flush (t);
      if (!t->active)
        tokenizer_begin (t, GLOSS_TOKEN_WORD, start);
      break;

    case CLASS_NO_SPACE:
      if (t->active && t->kind == GLOSS_TOKEN_WORD)
        tokenizer_flush (t);
      if (!t->active)
        tokenizer_begin (t, GLOSS_TOKEN_NO_SPACE, start);
      break;

    case CLASS_COMMON:
      if (!t->active)
        tokenizer_begin (t, GLOSS_TOKEN_WORD, start);
      break;

    case CLASS_MARK:
      if (!t->active)
        return;
      break;

    default:
      g_assert_not_reached ();
    }

  if (t->kind == GLOSS_TOKEN_NO_SPACE || t->buf->len + n_bytes <= GLOSS_FOLD_MAX_WORD)
    {
      if (t->buf->len + n_bytes < t->buf->allocated_len)
        {
          memcpy (t->buf->str + t->buf->len, bytes, n_bytes);
          t->buf->len += n_bytes;
          t->buf->str[t->buf->len] = '\0';
        }
      else
        g_string_append_len (t->buf, bytes, n_bytes);
    }
  t->end = end;
}

/* Skips a Markdown link destination: @p is at the '(' after ']'. */
static const char *
skip_link_destination (const char *p,
                       const char *end)
{
  int depth = 0;

  for (const char *q = p; q < end; q++)
    {
      if (*q == '(')
        depth++;
      else if (*q == ')' && --depth == 0)
        return q + 1;
      else if (*q == '\n' && q + 1 < end && q[1] == '\n')
        break;
    }

  return p + 1;
}

/* Skips an autolink `<scheme:...>`: @p is at the '<'. */
static const char *
skip_autolink (const char *p,
               const char *end)
{
  const char *q = p + 1;

  if (q >= end || !g_ascii_isalpha (*q))
    return p + 1;

  while (q < end && (g_ascii_isalnum (*q) || *q == '+' || *q == '.' || *q == '-'))
    q++;
  if (q >= end || *q != ':' || q - p > 33)
    return p + 1;

  for (; q < end; q++)
    {
      if (*q == '>')
        return q + 1;
      if (*q == '<' || g_ascii_isspace (*q))
        break;
    }

  return p + 1;
}

/**
 * gloss_fold_tokenize:
 * @utf8: valid UTF-8 (invalid bytes are separators)
 * @len: bytes of @utf8, or -1 if nul-terminated
 * @flags: how to read @utf8
 * @func: called with each token
 * @user_data: for @func
 *
 * Folds @utf8 and splits it into tokens: words (letters, digits and their
 * marks, cut at %GLOSS_FOLD_MAX_WORD bytes) and runs of scripts written
 * without spaces. Everything else separates tokens, so `C++` is `c` and
 * `/dev/null` is `dev`, `null`.
 */
void
gloss_fold_tokenize (const char         *utf8,
                     gssize              len,
                     GlossTokenizeFlags  flags,
                     GlossTokenFunc      func,
                     gpointer            user_data)
{
  Tokenizer t = { func, user_data, NULL, GLOSS_TOKEN_WORD, FALSE, FALSE, 0, 0 };
  GString *scratch;
  const char *p;
  const char *end;
  gboolean markdown = (flags & GLOSS_TOKENIZE_MARKDOWN) != 0;

  g_return_if_fail (utf8 != NULL || len == 0);
  g_return_if_fail (func != NULL);

  if (len < 0)
    len = strlen (utf8);

  t.buf = g_string_sized_new (GLOSS_FOLD_MAX_WORD + 8);
  scratch = g_string_sized_new (32);
  end = utf8 + len;

  for (p = utf8; p < end && !t.stop; )
    {
      guchar b = (guchar)*p;

      if (b < 0x80)
        {
          guint cls = ascii_class (b);

          if (cls == CLASS_SEPARATOR)
            {
              tokenizer_flush (&t);
              if (markdown && b == ']' && p + 1 < end && p[1] == '(')
                p = skip_link_destination (p + 1, end);
              else if (markdown && b == '<')
                p = skip_autolink (p, end);
              else
                p++;
              continue;
            }

          if (!t.active || t.kind != GLOSS_TOKEN_WORD)
            {
              char c = ascii_lower[b];

              tokenizer_feed (&t, &c, 1, cls, p - utf8, p + 1 - utf8);
              p++;
            }

          if (t.active && t.kind == GLOSS_TOKEN_WORD)
            {
              /* The hot path: the ASCII letters and digits of a word. The
               * buffer has room for GLOSS_FOLD_MAX_WORD bytes. */
              char *dst = t.buf->str + t.buf->len;
              char *dst_end = t.buf->str + GLOSS_FOLD_MAX_WORD;

              while (p < end && ascii_classes[(guchar)*p] != CLASS_SEPARATOR)
                {
                  if (dst < dst_end)
                    *dst++ = ascii_lower[(guchar)*p];
                  p++;
                }
              t.buf->len = dst - t.buf->str;
              *dst = '\0';
              t.end = p - utf8;
            }
        }
      else
        {
          const char *next;
          gsize start = p - utf8;

          g_string_truncate (scratch, 0);
          next = fold_cluster (utf8, p, end, scratch);

          for (const char *s = scratch->str; s < scratch->str + scratch->len && !t.stop; )
            {
              gunichar c = g_utf8_get_char (s);
              const char *s_next = g_utf8_next_char (s);

              tokenizer_feed (&t, s, s_next - s, char_class (c), start, next - utf8);
              s = s_next;
            }
          p = next;
        }
    }

  if (!t.stop)
    tokenizer_flush (&t);

  g_string_free (t.buf, TRUE);
  g_string_free (scratch, TRUE);
}
