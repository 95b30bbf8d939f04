/* gloss-bench-group.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* Times several bundles searched as one (GlossGroup), on bundles made by
 * gloss-gen-bundle: making the group (collating every term), listing every
 * entry in the merged order through the filter as the sidebar does without
 * a query, and searching every prefix of 200 terms as they are typed, over
 * all the bundles at once. Prints one table.
 *
 *   gloss-bench-group FILE FILE...
 */

#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "gloss-bundle.h"
#include "gloss-group.h"

#define LIMIT 1000      /* what the sidebar asks for */
#define RUNS  5

static double
now_ms (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_MONOTONIC, &ts);
  return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static int
compare_double (gconstpointer a,
                gconstpointer b)
{
  double x = *(const double *)a;
  double y = *(const double *)b;

  return x < y ? -1 : x > y;
}

static double
percentile (GArray *times,
            double  p)
{
  guint i;

  g_array_sort (times, compare_double);
  i = (guint)(p * (times->len - 1) + 0.5);
  return g_array_index (times, double, i);
}

static void
print_row (const char *what,
           GArray     *times)
{
  printf ("%-34s %6u %9.3f %9.3f %9.3f\n", what, times->len, percentile (times, 0.5),
          percentile (times, 0.95), percentile (times, 1.0));
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GPtrArray) bundles = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GArray) make = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) list = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) typed = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GlossFilter) filter = gloss_filter_new (FALSE, NULL);
  g_autoptr(GlossGroup) group = NULL;
  g_autoptr(GPtrArray) terms = g_ptr_array_new_with_free_func (g_free);
  guint n_entries = 0;
  GRand *rand;

  if (argc < 2)
    {
      fprintf (stderr, "usage: %s FILE...\n", argv[0]);
      return 2;
    }

  for (int i = 1; i < argc; i++)
    {
      g_autoptr(GFile) file = g_file_new_for_commandline_arg (argv[i]);
      g_autoptr(GError) error = NULL;
      GlossBundle *bundle = gloss_bundle_new_from_file (file, NULL, &error);

      if (bundle == NULL)
        {
          fprintf (stderr, "%s: %s\n", argv[i], error->message);
          return 1;
        }
      n_entries += gloss_bundle_get_n_entries (bundle);
      g_ptr_array_add (bundles, bundle);
    }

  for (guint run = 0; run < RUNS; run++)
    {
      double start = now_ms ();

      g_clear_object (&group);
      group = gloss_group_new ((GlossBundle * const *)bundles->pdata, bundles->len);
      g_array_append_vals (make, (double[]) { now_ms () - start }, 1);
    }

  /* The sidebar without a query: every entry, filtered, in order */
  for (guint run = 0; run < RUNS; run++)
    {
      g_autoptr(GArray) refs = g_array_new (FALSE, FALSE, sizeof (GlossGroupRef));
      const GlossGroupRef *sorted;
      double start = now_ms ();
      guint n;

      sorted = gloss_group_get_sorted (group, &n);
      for (guint i = 0; i < n; i++)
        {
          GlossBundle *bundle = gloss_group_get_bundle (group, sorted[i].bundle);

          if (gloss_filter_allows (filter, gloss_bundle_get_entry (bundle, sorted[i].position)))
            g_array_append_val (refs, sorted[i]);
        }
      g_array_append_vals (list, (double[]) { now_ms () - start }, 1);
    }

  /* Every prefix of 200 terms, from any of the bundles, as typed */
  rand = g_rand_new_with_seed (7);
  for (guint i = 0; i < 200; i++)
    {
      GlossBundle *bundle = g_ptr_array_index (bundles, g_rand_int_range (rand, 0, bundles->len));
      guint position = g_rand_int_range (rand, 0, gloss_bundle_get_n_entries (bundle));

      g_ptr_array_add (terms, g_utf8_strdown (gloss_bundle_get_entry_term (bundle, position), -1));
    }
  g_rand_free (rand);

  for (guint i = 0; i < terms->len; i++)
    {
      const char *term = g_ptr_array_index (terms, i);
      glong length = MIN (g_utf8_strlen (term, -1), 10);

      for (glong l = 1; l <= length; l++)
        {
          g_autofree char *prefix = g_utf8_substring (term, 0, l);
          g_autoptr(GArray) matches = NULL;
          double start;
          guint total;

          if (g_str_has_suffix (prefix, " "))
            continue;

          start = now_ms ();
          matches = gloss_group_search (group, prefix, filter, GLOSS_GROUP_ALL, LIMIT, &total);
          g_array_append_vals (typed, (double[]) { now_ms () - start }, 1);
        }
    }

  printf ("%u bundles, %u entries in all\n", bundles->len, n_entries);
  printf ("%-34s %6s %9s %9s %9s\n", "ms", "count", "p50", "p95", "max");
  print_row ("make the group (collate all terms)", make);
  print_row ("list all, filtered (no query)", list);
  print_row ("search all, each prefix typed", typed);

  return 0;
}
