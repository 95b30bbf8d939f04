/* gloss-bench-search.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* Times the search index on bundles made by gloss-gen-bundle: the build
 * (gloss_index_new alone), its memory against the bundle's text, and
 * queries of each kind a person makes: every prefix of 200 terms as they
 * are typed, 1- to 3-word queries, words found only in bodies, misspellings,
 * and queries that match nothing. Prints one table per bundle. */

#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <glib/gstdio.h>

#include "gloss-bundle.h"
#include "gloss-fold.h"
#include "gloss-index.h"

#define LIMIT 20

enum
{
  KIND_PREFIX_SHORT,
  KIND_PREFIX_MID,
  KIND_PREFIX_LONG,
  KIND_WORDS,
  KIND_BODY,
  KIND_TYPO,
  KIND_NONE,
  KIND_EXPLAIN,
  N_KINDS
};

static const char *kind_names[N_KINDS] = {
  "prefix 1-2 chars",
  "prefix 3-5 chars",
  "prefix 6-10 chars",
  "1-3 words",
  "body-only word",
  "misspelt word",
  "no match",
  "explain 20 rows",
};

typedef struct
{
  char *text;
  guint kind;
} Query;

static double
now_ms (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_MONOTONIC, &ts);
  return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static double
cpu_ms (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_PROCESS_CPUTIME_ID, &ts);
  return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static double
rss_mb (void)
{
  g_autofree char *statm = NULL;
  unsigned long size = 0;
  unsigned long resident = 0;

  if (!g_file_get_contents ("/proc/self/statm", &statm, NULL, NULL))
    return 0;
  if (sscanf (statm, "%lu %lu", &size, &resident) != 2)
    return 0;
  return resident * (double)sysconf (_SC_PAGESIZE) / 1e6;
}

/* Other work on the machine skews the timings: say how much there was. */
static const char *
load_average (void)
{
  static char text[32];
  g_autofree char *loadavg = NULL;

  if (!g_file_get_contents ("/proc/loadavg", &loadavg, NULL, NULL))
    return "unknown";
  g_strlcpy (text, loadavg, sizeof text);
  if (strchr (text, ' ') != NULL)
    *strchr (text, ' ') = '\0';
  return text;
}

static gsize
strv_len_bytes (const char * const *strv)
{
  gsize n = 0;

  for (guint i = 0; strv[i] != NULL; i++)
    n += strlen (strv[i]);
  return n;
}

/* The searchable text of the bundle, in bytes. */
static gsize
text_size (GlossBundle *bundle)
{
  gsize n = 0;

  for (guint i = 0; i < gloss_bundle_get_n_entries (bundle); i++)
    {
      GlossEntry *entry = gloss_bundle_get_entry (bundle, i);
      const GlossSection *sections;
      const GlossFaq *faq;
      guint n_sections, n_faq;

      n += strlen (gloss_entry_get_term (entry));
      n += strlen (gloss_entry_get_title (entry));
      n += gloss_entry_get_summary (entry) ? strlen (gloss_entry_get_summary (entry)) : 0;
      n += strv_len_bytes (gloss_entry_get_aliases (entry));
      n += strv_len_bytes (gloss_entry_get_tags (entry));
      sections = gloss_entry_get_sections (entry, &n_sections);
      for (guint k = 0; k < n_sections; k++)
        n += (sections[k].heading ? strlen (sections[k].heading) : 0) + strlen (sections[k].body);
      faq = gloss_entry_get_faq (entry, &n_faq);
      for (guint k = 0; k < n_faq; k++)
        n += strlen (faq[k].question) + strlen (faq[k].answer);
    }

  return n;
}

static gboolean
collect_word (const GlossToken *token,
              gpointer          user_data)
{
  GPtrArray *words = user_data;

  if (token->kind == GLOSS_TOKEN_WORD)
    g_ptr_array_add (words, g_strndup (token->text, token->len));
  return TRUE;
}

static GPtrArray *
words_of (const char *text)
{
  GPtrArray *words = g_ptr_array_new_with_free_func (g_free);

  if (text != NULL)
    gloss_fold_tokenize (text, -1, GLOSS_TOKENIZE_MARKDOWN, collect_word, words);
  return words;
}

static void
add_names (GHashTable *names,
           const char *text)
{
  g_autoptr(GPtrArray) words = words_of (text);

  for (guint i = 0; i < words->len; i++)
    g_hash_table_add (names, g_strdup (g_ptr_array_index (words, i)));
}

static char *
misspell (GRand      *rand,
          const char *word)
{
  GString *w = g_string_new (word);
  guint at = g_rand_int_range (rand, 1, w->len - 1);
  char c = 'a' + g_rand_int_range (rand, 0, 26);

  switch (g_rand_int_range (rand, 0, 4))
    {
    case 0:
      g_string_erase (w, at, 1);
      break;
    case 1:
      g_string_insert_c (w, at, c);
      break;
    case 2:
      w->str[at] = w->str[at] == c ? 'q' : c;
      break;
    default:
      {
        char tmp = w->str[at];

        w->str[at] = w->str[at + 1];
        w->str[at + 1] = tmp;
      }
      break;
    }

  return g_string_free (w, FALSE);
}

static gboolean
is_ascii_word (const char *w,
               guint       min_len)
{
  guint n = 0;

  for (; *w; w++, n++)
    {
      if (!g_ascii_islower (*w))
        return FALSE;
    }
  return n >= min_len;
}

static GArray *
make_queries (GlossBundle *bundle,
              GRand       *rand)
{
  GArray *queries = g_array_new (FALSE, FALSE, sizeof (Query));
  g_autoptr(GHashTable) names = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  guint n = gloss_bundle_get_n_entries (bundle);

#define ADD(str, k) G_STMT_START { Query _q = { (str), (k) }; g_array_append_val (queries, _q); } G_STMT_END

  for (guint i = 0; i < n; i++)
    {
      GlossEntry *entry = gloss_bundle_get_entry (bundle, i);
      const char * const *aliases = gloss_entry_get_aliases (entry);

      add_names (names, gloss_entry_get_term (entry));
      add_names (names, gloss_entry_get_title (entry));
      for (guint k = 0; aliases[k] != NULL; k++)
        add_names (names, aliases[k]);
    }

  /* Every prefix of 200 terms, as typed. */
  for (guint t = 0; t < 200; t++)
    {
      GlossEntry *entry = gloss_bundle_get_entry (bundle, g_rand_int_range (rand, 0, n));
      const char *term = gloss_entry_get_term (entry);
      const char *p = term;

      for (guint len = 1; len <= 10 && *p; len++)
        {
          p = g_utf8_next_char (p);
          ADD (g_strndup (term, p - term),
               len <= 2 ? KIND_PREFIX_SHORT : len <= 5 ? KIND_PREFIX_MID : KIND_PREFIX_LONG);
        }
    }

  /* 1 to 3 words from one entry's text. */
  for (guint q = 0; q < 400; q++)
    {
      GlossEntry *entry = gloss_bundle_get_entry (bundle, g_rand_int_range (rand, 0, n));
      const GlossSection *sections;
      guint n_sections;
      g_autoptr(GPtrArray) words = NULL;
      GString *query = g_string_new (NULL);
      guint n_words = g_rand_int_range (rand, 1, 4);

      sections = gloss_entry_get_sections (entry, &n_sections);
      words = words_of (n_sections > 0 ? sections[g_rand_int_range (rand, 0, n_sections)].body
                                       : gloss_entry_get_term (entry));
      if (words->len == 0)
        continue;
      for (guint k = 0; k < n_words; k++)
        {
          if (k > 0)
            g_string_append_c (query, ' ');
          g_string_append (query, g_ptr_array_index (words, g_rand_int_range (rand, 0, words->len)));
        }
      ADD (g_string_free (query, FALSE), KIND_WORDS);
    }

  /* Words found in bodies but in no term, alias or title. */
  for (guint q = 0, guard = 0; q < 300 && guard < 100000; guard++)
    {
      GlossEntry *entry = gloss_bundle_get_entry (bundle, g_rand_int_range (rand, 0, n));
      g_autoptr(GPtrArray) words = words_of (gloss_entry_get_summary (entry));
      const char *w;

      if (words->len == 0)
        continue;
      w = g_ptr_array_index (words, g_rand_int_range (rand, 0, words->len));
      if (g_hash_table_contains (names, w))
        continue;
      ADD (g_strdup (w), KIND_BODY);
      q++;
    }

  /* One edit away from a word of 5 letters or more. */
  for (guint q = 0, guard = 0; q < 300 && guard < 100000; guard++)
    {
      GlossEntry *entry = gloss_bundle_get_entry (bundle, g_rand_int_range (rand, 0, n));
      g_autoptr(GPtrArray) words = words_of (g_rand_boolean (rand) ? gloss_entry_get_term (entry)
                                                                   : gloss_entry_get_summary (entry));
      const char *w;

      if (words->len == 0)
        continue;
      w = g_ptr_array_index (words, g_rand_int_range (rand, 0, words->len));
      if (!is_ascii_word (w, 5))
        continue;
      ADD (misspell (rand, w), KIND_TYPO);
      q++;
    }

  /* Nothing like any word: the typo search runs and finds nothing. */
  for (guint q = 0; q < 200; q++)
    {
      GString *w = g_string_new (NULL);
      guint len = q < 40 ? g_rand_int_range (rand, 2, 4) : g_rand_int_range (rand, 5, 10);

      for (guint k = 0; k < len; k++)
        g_string_append_c (w, "qxzjvwk"[g_rand_int_range (rand, 0, 7)]);
      if (q % 4 == 0)
        g_string_append (w, " xqz");
      ADD (g_string_free (w, FALSE), KIND_NONE);
    }

#undef ADD

  return queries;
}

static int
compare_doubles (gconstpointer a,
                 gconstpointer b)
{
  double x = *(const double *)a;
  double y = *(const double *)b;

  return x < y ? -1 : x > y;
}

static double
percentile (GArray *sorted,
            double  p)
{
  guint i;

  if (sorted->len == 0)
    return 0;
  i = (guint)(p * (sorted->len - 1) + 0.5);
  return g_array_index (sorted, double, i);
}

static void
bench_bundle (const char *path)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GError) error = NULL;
  g_autoptr(GlossBundle) bundle = NULL;
  g_autoptr(GlossIndex) index = NULL;
  g_autoptr(GRand) rand = g_rand_new_with_seed (7);
  g_autoptr(GArray) queries = NULL;
  GArray *times[N_KINDS];
  GArray *all_prefix = g_array_new (FALSE, FALSE, sizeof (double));
  GArray *all_queries = g_array_new (FALSE, FALSE, sizeof (double));
  double t0, c0, load_ms, build_ms, build_cpu_ms, rss_before, rss_after;
  gsize text_bytes;
  guint n_queries = 0;
  GStatBuf st;

  t0 = now_ms ();
  bundle = gloss_bundle_new_from_file (file, NULL, &error);
  if (bundle == NULL)
    {
      g_printerr ("%s: %s\n", path, error->message);
      exit (1);
    }
  load_ms = now_ms () - t0;

  text_bytes = text_size (bundle);
  if (g_stat (path, &st) != 0)
    st.st_size = 0;

  rss_before = rss_mb ();
  t0 = now_ms ();
  c0 = cpu_ms ();
  index = gloss_index_new (bundle);
  build_ms = now_ms () - t0;
  build_cpu_ms = cpu_ms () - c0;
  rss_after = rss_mb ();

  queries = make_queries (bundle, rand);
  for (guint k = 0; k < N_KINDS; k++)
    times[k] = g_array_new (FALSE, FALSE, sizeof (double));

  /* A warm-up pass, then the timed one. */
  for (guint pass = 0; pass < 2; pass++)
    {
      for (guint i = 0; i < queries->len; i++)
        {
          const Query *q = &g_array_index (queries, Query, i);
          g_autoptr(GlossResults) results = NULL;
          double ms;

          t0 = now_ms ();
          results = gloss_index_search (index, q->text, NULL, LIMIT);
          ms = now_ms () - t0;

          if (pass == 0)
            continue;

          g_array_append_val (times[q->kind], ms);
          g_array_append_val (all_queries, ms);
          if (q->kind <= KIND_PREFIX_LONG)
            g_array_append_val (all_prefix, ms);
          n_queries++;

          if (q->kind == KIND_WORDS)
            {
              t0 = now_ms ();
              for (guint r = 0; r < gloss_results_get_n_matches (results); r++)
                g_free (gloss_index_explain (index, gloss_results_get_match (results, r)->position,
                                             q->text, TRUE));
              ms = now_ms () - t0;
              g_array_append_val (times[KIND_EXPLAIN], ms);
            }
        }
    }

  g_print ("\n%s: %u entries, file %.1f MB, text %.1f MB, loaded in %.1f s\n",
           path, gloss_bundle_get_n_entries (bundle), st.st_size / 1e6, text_bytes / 1e6,
           load_ms / 1e3);
  g_print ("index build  %8.3f s  (CPU time %.3f s, %u processors, load %s)\n", build_ms / 1e3,
           build_cpu_ms / 1e3, g_get_num_processors (), load_average ());
  g_print ("index size   %8.1f MB  (%.0f%% of the text; RSS grew %.1f MB)\n",
           gloss_index_get_size (index) / 1e6, 100.0 * gloss_index_get_size (index) / MAX (text_bytes, 1),
           rss_after - rss_before);
  g_print ("%-20s %7s %9s %9s %9s\n", "queries (limit 20)", "count", "p50 ms", "p95 ms", "max ms");

  for (guint k = 0; k <= N_KINDS; k++)
    {
      GArray *t = k < N_KINDS ? times[k] : NULL;
      const char *name = k < N_KINDS ? kind_names[k] : NULL;

      if (k == KIND_NONE + 1)
        {
          GArray *extra[] = { all_prefix, all_queries };
          const char *extra_names[] = { "all prefixes", "all queries" };

          for (guint e = 0; e < 2; e++)
            {
              g_array_sort (extra[e], compare_doubles);
              g_print ("%-20s %7u %9.3f %9.3f %9.3f\n", extra_names[e], extra[e]->len,
                       percentile (extra[e], 0.5), percentile (extra[e], 0.95),
                       percentile (extra[e], 1.0));
            }
        }
      if (t == NULL)
        break;

      g_array_sort (t, compare_doubles);
      g_print ("%-20s %7u %9.3f %9.3f %9.3f\n", name, t->len,
               percentile (t, 0.5), percentile (t, 0.95), percentile (t, 1.0));
    }

  g_assert (n_queries >= 2000);

  for (guint i = 0; i < queries->len; i++)
    g_free (g_array_index (queries, Query, i).text);
  for (guint k = 0; k < N_KINDS; k++)
    g_array_unref (times[k]);
  g_array_unref (all_prefix);
  g_array_unref (all_queries);
}

int
main (int   argc,
      char *argv[])
{
  if (argc < 2)
    {
      g_printerr ("usage: gloss-bench-search BUNDLE...\n"
                  "  (make bundles with gloss-gen-bundle N FILE)\n");
      return 2;
    }

  for (int i = 1; i < argc; i++)
    bench_bundle (argv[i]);

  return 0;
}
