/* gloss-text.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "gloss-text"

#include "config.h"

#include <string.h>

#include "gloss-text.h"

static inline gboolean
is_bidi_control (gunichar c)
{
  return (c >= 0x202A && c <= 0x202E) || (c >= 0x2066 && c <= 0x2069);
}

static inline gboolean
is_hidden_control (gunichar c)
{
  return (c >= 0x01 && c <= 0x1F && c != '\t' && c != '\n') || (c >= 0x7F && c <= 0x9F);
}

static inline gboolean
is_mark (gunichar c)
{
  switch ((int)g_unichar_type (c))
    {
    case G_UNICODE_SPACING_MARK:
    case G_UNICODE_ENCLOSING_MARK:
    case G_UNICODE_NON_SPACING_MARK:
      return TRUE;
    default:
      return FALSE;
    }
}

/* Cleans one string from a bundle, in the spec's order: bidi controls and
 * hidden control characters removed, combining marks beyond 30 after one
 * base dropped, then the cut at @max_chars code points. @text must be valid
 * UTF-8 (the pre-scan guarantees it). The common case, short ASCII with
 * nothing to change, costs one pass and one copy. */
char *
gloss_text_clean (const char       *text,
                  gssize            length,
                  guint             max_chars,
                  GlossTextFlags    flags,
                  GlossTextChanges *changes)
{
  GlossTextChanges changed = GLOSS_TEXT_CHANGED_NOTHING;
  const char *p;
  const char *end;
  GString *out;
  guint n_chars = 0;
  guint n_marks = 0;

  g_return_val_if_fail (text != NULL, NULL);

  if (length < 0)
    length = strlen (text);

  end = text + length;
  out = g_string_sized_new (length);

  for (p = text; p < end; )
    {
      guchar b = (guchar)*p;
      gunichar c;
      const char *next;

      if (b < 0x80)
        {
          c = b;
          next = p + 1;
        }
      else
        {
          c = g_utf8_get_char (p);
          next = g_utf8_next_char (p);
        }

      if (c == 0 || is_hidden_control (c))
        {
          changed |= GLOSS_TEXT_CHANGED_CONTROLS;
          p = next;
          continue;
        }

      if ((flags & GLOSS_TEXT_STRIP_BIDI) && is_bidi_control (c))
        {
          changed |= GLOSS_TEXT_CHANGED_BIDI;
          p = next;
          continue;
        }

      if (c >= 0x300 && is_mark (c))
        {
          if (++n_marks > GLOSS_TEXT_MAX_MARKS)
            {
              changed |= GLOSS_TEXT_CHANGED_MARKS;
              p = next;
              continue;
            }
        }
      else
        n_marks = 0;

      if (n_chars >= max_chars)
        {
          changed |= GLOSS_TEXT_CHANGED_CUT;
          break;
        }

      if ((flags & GLOSS_TEXT_SINGLE_LINE) && (c == '\n' || c == '\t'))
        g_string_append_c (out, ' ');
      else
        g_string_append_len (out, p, next - p);

      n_chars++;
      p = next;
    }

  if (changes != NULL)
    *changes = changed;

  return g_string_free (out, FALSE);
}

gboolean
gloss_text_is_blank (const char *text)
{
  if (text == NULL)
    return TRUE;

  for (const char *p = text; *p; p = g_utf8_next_char (p))
    {
      if (!g_unichar_isspace (g_utf8_get_char (p)))
        return FALSE;
    }

  return TRUE;
}

/* Whether @text is a real calendar date written YYYY-MM-DD. */
gboolean
gloss_text_is_date (const char *text)
{
  guint y, m, d;

  if (text == NULL || strlen (text) != 10)
    return FALSE;

  for (guint i = 0; i < 10; i++)
    {
      if (i == 4 || i == 7)
        {
          if (text[i] != '-')
            return FALSE;
        }
      else if (!g_ascii_isdigit (text[i]))
        return FALSE;
    }

  y = (text[0] - '0') * 1000 + (text[1] - '0') * 100 + (text[2] - '0') * 10 + (text[3] - '0');
  m = (text[5] - '0') * 10 + (text[6] - '0');
  d = (text[8] - '0') * 10 + (text[9] - '0');

  return y >= 1 && g_date_valid_dmy (d, m, y);
}

/* Counts words the way a reader would: runs of letters or digits. */
guint
gloss_text_count_words (const char *text)
{
  gboolean in_word = FALSE;
  guint n = 0;

  if (text == NULL)
    return 0;

  for (const char *p = text; *p; )
    {
      guchar b = (guchar)*p;
      gboolean word_char;

      if (b < 0x80)
        {
          word_char = g_ascii_isalnum (b) || b == '\'';
          p++;
        }
      else
        {
          word_char = g_unichar_isalnum (g_utf8_get_char (p));
          p = g_utf8_next_char (p);
        }

      if (word_char && !in_word)
        n++;
      in_word = word_char;
    }

  return n;
}

/* One line for a list row, of at most 160 columns (a wide character, as
 * CJK or emoji, takes two): rows are ellipsized anyway, and laying out a
 * 4,000-character summary per row, or drawing 160 colour emoji, would cost
 * far more than the row is worth. */
char *
gloss_text_for_row (const char *text)
{
  GString *out;
  guint columns = 0;
  const char *p;

  g_return_val_if_fail (text != NULL, NULL);

  out = g_string_new (NULL);
  for (p = text; *p && columns < 160; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (c == '\n' || c == '\t')
        g_string_append_c (out, ' ');
      else
        g_string_append_unichar (out, c);
      columns += c >= 0x1100 && g_unichar_iswide (c) ? 2 : 1;
    }

  if (*p != '\0')
    g_string_append (out, "…");

  return g_string_free (out, FALSE);
}

/* Wraps bundle text in FIRST STRONG ISOLATE … POP DIRECTIONAL ISOLATE, so
 * that it cannot reorder the text around it when it is part of a longer
 * string (a byline, a sentence of the UI). Bidi controls inside are dropped
 * first: an isolate or embedding the text left open would otherwise reach
 * past our closing one. */
char *
gloss_text_isolate (const char *text)
{
  GString *out;

  g_return_val_if_fail (text != NULL, NULL);

  out = g_string_new ("\u2068");
  for (const char *p = text; *p; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (!is_bidi_control (c))
        g_string_append_unichar (out, c);
    }
  g_string_append (out, "\u2069");

  return g_string_free (out, FALSE);
}

/* Text from outside (a file name, an id typed on the command line, a
 * bundle string) about to be quoted in one of our own sentences: control
 * and bidi characters dropped, at most 200 characters, isolated. */
char *
gloss_text_for_message (const char *text)
{
  g_autofree char *clean = NULL;

  g_return_val_if_fail (text != NULL, NULL);

  if (!g_utf8_validate (text, -1, NULL))
    clean = g_utf8_make_valid (text, -1);
  else
    clean = g_strdup (text);

  {
    g_autofree char *cut = gloss_text_clean (clean, -1, 200,
                                             GLOSS_TEXT_STRIP_BIDI | GLOSS_TEXT_SINGLE_LINE, NULL);
    GString *out = g_string_new (NULL);

    /* gloss_text_clean keeps tabs and newlines; one line has neither. */
    for (const char *p = cut; *p; p = g_utf8_next_char (p))
      {
        gunichar c = g_utf8_get_char (p);
        g_string_append_unichar (out, c == '\t' || c == '\n' ? ' ' : c);
      }

    g_free (clean);
    clean = g_string_free (out, FALSE);
  }

  return gloss_text_isolate (clean);
}

/* Whether Pango may break a line at @c: spaces that are not no-break ones. */
static gboolean
is_breaking_space (gunichar c)
{
  switch (c)
    {
    case 0x00A0:  /* NO-BREAK SPACE */
    case 0x2007:  /* FIGURE SPACE */
    case 0x202F:  /* NARROW NO-BREAK SPACE */
    case 0x2060:  /* WORD JOINER */
    case 0xFEFF:
      return FALSE;
    default:
      return c == 0x200B || g_unichar_isspace (c);
    }
}

/* Inserts ZERO WIDTH SPACE into runs of more than 40 characters without a
 * place to break, so a label can wrap a 512-character word instead of
 * growing wider than the window; tabs become spaces, which a label can wrap
 * (a run of tabs would make it thousands of pixels wide). */
char *
gloss_text_breakable (const char *text)
{
  GString *out;
  guint spaces = 0;
  guint run = 0;

  g_return_val_if_fail (text != NULL, NULL);

  out = g_string_sized_new (strlen (text));
  for (const char *p = text; *p; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (c == '\t')
        c = ' ';

      /* A long run of spaces of any kind cannot wrap and costs Pango
       * dearly: keep four. */
      if (g_unichar_isspace (c) && c != '\n')
        {
          if (++spaces > 4)
            continue;
        }
      else
        spaces = 0;

      if (is_breaking_space (c))
        run = 0;
      else if (++run > 40 && g_unichar_type (c) != G_UNICODE_NON_SPACING_MARK &&
               g_unichar_type (c) != G_UNICODE_SPACING_MARK &&
               g_unichar_type (c) != G_UNICODE_ENCLOSING_MARK)
        {
          g_string_append (out, "\u200B");
          run = 1;
        }

      g_string_append_unichar (out, c);
    }

  return g_string_free (out, FALSE);
}
