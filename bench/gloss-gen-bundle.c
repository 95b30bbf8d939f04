/* gloss-gen-bundle.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* Writes a made-up but realistic bundle for the benchmarks: a vocabulary of
 * invented words with Zipf-like frequencies (a few very common, most rare),
 * terms of 1 to 3 words, aliases (initials, a variant, sometimes katakana),
 * tags, a summary, 3 to 5 Markdown sections with links and emphasis, one or
 * two FAQ rows; about 2.5 KB of JSON an entry, so that 100,000 entries stay
 * under the loader's 256 MiB limit. The same seed gives the same file. */

#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <glib.h>

#define N_WORDS        40000
#define N_NAME_WORDS   20000   /* names draw from ranks 200..N_NAME_WORDS only */
#define N_TAGS         80

typedef struct
{
  guint64 state;
} Rng;

static guint64
rng_next (Rng *rng)
{
  guint64 z = (rng->state += G_GUINT64_CONSTANT (0x9E3779B97F4A7C15));

  z = (z ^ (z >> 30)) * G_GUINT64_CONSTANT (0xBF58476D1CE4E5B9);
  z = (z ^ (z >> 27)) * G_GUINT64_CONSTANT (0x94D049BB133111EB);
  return z ^ (z >> 31);
}

static guint
rng_range (Rng   *rng,
           guint  lo,
           guint  hi)  /* [lo, hi] */
{
  return lo + rng_next (rng) % (hi - lo + 1);
}

static double
rng_double (Rng *rng)
{
  return (rng_next (rng) >> 11) * (1.0 / 9007199254740992.0);
}

typedef struct
{
  Rng     rng;
  char  **words;
  double *cdf;       /* Zipf, s = 1 */
  char  **tags;
  double *tag_cdf;
  guint   n_entries;
  char  **ids;
  FILE   *out;
} Gen;

static const char *onsets[] = {
  "b", "d", "f", "g", "h", "k", "l", "m", "n", "p", "r", "s", "t", "v", "z",
  "br", "ch", "dr", "gr", "kr", "pl", "sh", "st", "th", "tr", "y", "w", "",
};
static const char *vowels[] = {
  "a", "e", "i", "o", "u", "a", "e", "o", "ai", "ou", "ea", "io",
};
static const char *codas[] = {
  "", "", "", "", "n", "r", "s", "l", "m", "t", "nd", "st", "rk",
};
static const char *accented[] = { "é", "ï", "ö", "ñ", "á", "ü" };
static const char *kana[] = {
  "ア", "カ", "サ", "タ", "ナ", "ハ", "マ", "ヤ", "ラ", "ワ", "キ", "シ", "チ", "ニ",
  "ミ", "リ", "ク", "ス", "ツ", "ヌ", "ム", "ル", "ン", "ー", "ガ", "ザ", "ダ", "バ", "パ",
};

static char *
make_word (Rng *rng)
{
  GString *w = g_string_new (NULL);
  guint n = rng_range (rng, 1, 100) <= 30 ? 1 : rng_range (rng, 1, 100) <= 70 ? 2 : 3;

  for (guint i = 0; i < n; i++)
    {
      g_string_append (w, onsets[rng_range (rng, 0, G_N_ELEMENTS (onsets) - 1)]);
      g_string_append (w, vowels[rng_range (rng, 0, G_N_ELEMENTS (vowels) - 1)]);
      if (i == n - 1 || rng_range (rng, 0, 3) == 0)
        g_string_append (w, codas[rng_range (rng, 0, G_N_ELEMENTS (codas) - 1)]);
    }

  /* A few words carry a diacritic. */
  if (w->len > 3 && rng_range (rng, 1, 100) <= 2)
    {
      guint at = rng_range (rng, 1, w->len - 1);

      g_string_insert (w, at, accented[rng_range (rng, 0, G_N_ELEMENTS (accented) - 1)]);
    }

  return g_string_free (w, FALSE);
}

static double *
zipf_cdf (guint n)
{
  double *cdf = g_new (double, n);
  double sum = 0;

  for (guint i = 0; i < n; i++)
    {
      sum += 1.0 / (i + 1);
      cdf[i] = sum;
    }
  for (guint i = 0; i < n; i++)
    cdf[i] /= sum;

  return cdf;
}

static guint
sample_cdf (Rng          *rng,
            const double *cdf,
            guint         n)
{
  double x = rng_double (rng);
  guint lo = 0;
  guint hi = n - 1;

  while (lo < hi)
    {
      guint mid = (lo + hi) / 2;

      if (cdf[mid] < x)
        lo = mid + 1;
      else
        hi = mid;
    }

  return lo;
}

static const char *
body_word (Gen *gen)
{
  return gen->words[sample_cdf (&gen->rng, gen->cdf, N_WORDS)];
}

static const char *
name_word (Gen *gen)
{
  return gen->words[rng_range (&gen->rng, 200, N_NAME_WORDS - 1)];
}

static void
append_capitalized (GString    *out,
                    const char *word)
{
  g_string_append_c (out, g_ascii_toupper (word[0]));
  g_string_append (out, word + 1);
}

/* A sentence of @n words; with @markdown, maybe a link or emphasis. */
static void
append_sentence (Gen      *gen,
                 GString  *out,
                 guint     n,
                 gboolean  markdown)
{
  for (guint i = 0; i < n; i++)
    {
      const char *w = body_word (gen);
      guint roll = rng_range (&gen->rng, 1, 1000);

      if (i > 0)
        g_string_append_c (out, ' ');

      if (markdown && roll <= 8 && i + 2 < n)
        {
          g_string_append_printf (out, "[%s %s](entry:%s)", w, body_word (gen),
                                  gen->ids[rng_range (&gen->rng, 0, gen->n_entries - 1)]);
          i++;
        }
      else if (markdown && roll <= 16)
        g_string_append_printf (out, "**%s**", w);
      else if (i == 0)
        append_capitalized (out, w);
      else
        g_string_append (out, w);

      if (i + 1 < n && rng_range (&gen->rng, 1, 12) == 1)
        g_string_append_c (out, ',');
    }
  g_string_append_c (out, '.');
}

static void
append_paragraph (Gen      *gen,
                  GString  *out,
                  guint     n_words,
                  gboolean  markdown)
{
  while (n_words > 0)
    {
      guint n = rng_range (&gen->rng, 6, 16);

      n = MIN (n, n_words);

      if (out->len > 0 && out->str[out->len - 1] != '\n')
        g_string_append_c (out, ' ');
      append_sentence (gen, out, n, markdown);
      n_words -= n;
    }
}

static void
write_string (FILE       *out,
              const char *key,
              const char *value)
{
  /* Generated text holds no quotes, backslashes or controls but \n. */
  fprintf (out, "\"%s\":\"", key);
  for (const char *p = value; *p; p++)
    {
      if (*p == '\n')
        fputs ("\\n", out);
      else
        fputc (*p, out);
    }
  fputc ('"', out);
}

static void
write_entry (Gen   *gen,
             guint  i)
{
  FILE *out = gen->out;
  Rng *rng = &gen->rng;
  g_autoptr(GString) term = g_string_new (NULL);
  g_autoptr(GString) text = g_string_new (NULL);
  const char *term_words[3];
  guint n_term = rng_range (rng, 1, 100) <= 45 ? 1 : rng_range (rng, 1, 100) <= 75 ? 2 : 3;
  guint n;

  for (guint k = 0; k < n_term; k++)
    {
      term_words[k] = name_word (gen);
      if (k > 0)
        g_string_append_c (term, ' ');
      if (k == 0)
        append_capitalized (term, term_words[k]);
      else
        g_string_append (term, term_words[k]);
    }

  fprintf (out, "%s\n{\"id\":\"%s\",", i > 0 ? "," : "", gen->ids[i]);
  write_string (out, "term", term->str);

  if (rng_range (rng, 1, 100) <= 40)
    {
      g_string_assign (text, term->str);
      g_string_append (text, ": ");
      for (guint k = 0, m = rng_range (rng, 3, 7); k < m; k++)
        {
          g_string_append (text, k == 0 ? "" : " ");
          g_string_append (text, k % 2 ? body_word (gen) : name_word (gen));
        }
      fputc (',', out);
      write_string (out, "title", text->str);
    }

  /* Aliases: initials of a multi-word term, a variant, katakana. */
  n = rng_range (rng, 0, 2);
  if (n > 0 || n_term > 1)
    {
      fputs (",\"aliases\":[", out);
      g_string_truncate (text, 0);
      if (n_term > 1)
        {
          for (guint k = 0; k < n_term; k++)
            g_string_append_c (text, g_ascii_toupper (term_words[k][0]));
          fprintf (out, "\"%s\"", text->str);
        }
      for (guint k = 0; k < n; k++)
        {
          g_string_truncate (text, 0);
          if (rng_range (rng, 1, 100) <= 10)
            for (guint c = 0, m = rng_range (rng, 3, 6); c < m; c++)
              g_string_append (text, kana[rng_range (rng, 0, G_N_ELEMENTS (kana) - 1)]);
          else
            {
              append_capitalized (text, name_word (gen));
              if (rng_range (rng, 0, 1))
                g_string_append_printf (text, "-%s", name_word (gen));
            }
          fprintf (out, "%s\"%s\"", (k > 0 || n_term > 1) ? "," : "", text->str);
        }
      fputc (']', out);
    }

  fputs (",\"tags\":[", out);
  n = rng_range (rng, 1, 3);
  for (guint k = 0; k < n; k++)
    fprintf (out, "%s\"%s\"", k ? "," : "",
             gen->tags[sample_cdf (rng, gen->tag_cdf, N_TAGS)]);
  fputc (']', out);

  if (rng_range (rng, 1, 100) <= 3)
    fputs (",\"mature\":true", out);

  g_string_truncate (text, 0);
  append_paragraph (gen, text, rng_range (rng, 18, 30), FALSE);
  fputc (',', out);
  write_string (out, "summary", text->str);

  fputs (",\"sections\":[", out);
  n = rng_range (rng, 3, 5);
  for (guint k = 0; k < n; k++)
    {
      g_string_truncate (text, 0);
      for (guint w = 0, m = rng_range (rng, 2, 5); w < m; w++)
        {
          if (w > 0)
            g_string_append_c (text, ' ');
          if (w == 0)
            append_capitalized (text, body_word (gen));
          else
            g_string_append (text, body_word (gen));
        }
      fprintf (out, "%s{", k ? "," : "");
      write_string (out, "heading", text->str);

      g_string_truncate (text, 0);
      append_paragraph (gen, text, rng_range (rng, 18, 36), TRUE);
      g_string_append (text, "\n\n");
      append_paragraph (gen, text, rng_range (rng, 12, 30), TRUE);
      fputc (',', out);
      write_string (out, "body", text->str);
      fputc ('}', out);
    }
  fputc (']', out);

  fputs (",\"faq\":[", out);
  n = rng_range (rng, 1, 2);
  for (guint k = 0; k < n; k++)
    {
      g_string_truncate (text, 0);
      append_sentence (gen, text, rng_range (rng, 5, 9), FALSE);
      text->str[text->len - 1] = '?';
      fprintf (out, "%s{", k ? "," : "");
      write_string (out, "question", text->str);
      g_string_truncate (text, 0);
      append_paragraph (gen, text, rng_range (rng, 12, 28), TRUE);
      fputc (',', out);
      write_string (out, "answer", text->str);
      fputc ('}', out);
    }
  fputs ("]}", out);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  guint64 seed = 1;
  Gen gen = { { 0 }, };
  const char *path;
  guint i;

  if (argc >= 3 && g_str_equal (argv[1], "--seed"))
    {
      seed = g_ascii_strtoull (argv[2], NULL, 10);
      argc -= 2;
      argv += 2;
    }

  if (argc != 3)
    {
      g_printerr ("usage: gloss-gen-bundle [--seed N] N_ENTRIES FILE\n");
      return 2;
    }

  gen.n_entries = g_ascii_strtoull (argv[1], NULL, 10);
  path = argv[2];
  if (gen.n_entries == 0)
    {
      g_printerr ("gloss-gen-bundle: N_ENTRIES must be 1 or more\n");
      return 2;
    }

  gen.rng.state = seed;
  gen.words = g_new (char *, N_WORDS);
  for (i = 0; i < N_WORDS; )
    {
      char *w = make_word (&gen.rng);

      if (strlen (w) < 2 || g_hash_table_contains (seen, w))
        {
          g_free (w);
          continue;
        }
      g_hash_table_add (seen, w);
      gen.words[i++] = w;
    }
  gen.cdf = zipf_cdf (N_WORDS);

  gen.tags = g_new (char *, N_TAGS);
  for (i = 0; i < N_TAGS; i++)
    gen.tags[i] = g_strdup (gen.words[rng_range (&gen.rng, 100, 3000)]);
  gen.tag_cdf = zipf_cdf (N_TAGS);

  gen.ids = g_new (char *, gen.n_entries);
  for (i = 0; i < gen.n_entries; i++)
    {
      const char *w = gen.words[rng_range (&gen.rng, 200, N_WORDS - 1)];

      /* Ids are ASCII. */
      gen.ids[i] = g_str_is_ascii (w) ? g_strdup_printf ("%s-%u", w, i) : g_strdup_printf ("e-%u", i);
    }

  gen.out = fopen (path, "w");
  if (gen.out == NULL)
    {
      g_printerr ("gloss-gen-bundle: cannot write %s\n", path);
      return 2;
    }
  setvbuf (gen.out, NULL, _IOFBF, 1 << 20);

  fprintf (gen.out, "{\"format\":\"gloss-bundle\",\"version\":1,\"id\":\"bench.%u\","
                    "\"title\":\"Benchmark bundle of %u entries\",\"entries\":[",
           gen.n_entries, gen.n_entries);
  for (i = 0; i < gen.n_entries; i++)
    write_entry (&gen, i);
  fputs ("\n]}\n", gen.out);

  if (fclose (gen.out) != 0)
    {
      g_printerr ("gloss-gen-bundle: cannot write %s\n", path);
      return 2;
    }

  return 0;
}
