/* gloss-bench-load.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* Times opening bundles made by gloss-gen-bundle, each run in a process of
 * its own (so that peak memory is the run's): json-glib's parse of the
 * file (the yardstick), the first open (pre-scan, walk, index, cache
 * written), the open from the cache, and `gloss-cli search` on the cached
 * bundle, start to exit. Prints every run and the medians.
 *
 *   gloss-bench-load [--runs N] [--cli PATH] FILE...
 */

#include "config.h"

#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>

#include "gloss-bundle.h"
#include "gloss-cache.h"
#include "gloss-index.h"

static double
now_ms (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_MONOTONIC, &ts);
  return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

/* VmRSS or VmHWM of this process, in MB. */
static double
status_mb (const char *field)
{
  g_autofree char *status = NULL;
  const char *line;

  if (!g_file_get_contents ("/proc/self/status", &status, NULL, NULL))
    return 0;

  line = strstr (status, field);
  if (line == NULL)
    return 0;

  return g_ascii_strtod (line + strlen (field) + 1, NULL) / 1024.0;
}

static char *
cache_file (const char *path)
{
  GlossCacheKey key;
  struct stat st;
  char *cache_path;

  if (g_stat (path, &st) != 0 || !gloss_cache_key_init (&key, path, &st))
    return NULL;

  cache_path = g_strdup (key.cache_path);
  gloss_cache_key_clear (&key);
  return cache_path;
}

/* One measurement in this process; prints "ms peak-MB steady-MB". */
static int
child (const char *mode,
       const char *path)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GError) error = NULL;
  g_autoptr(GlossBundle) bundle = NULL;
  double start;
  double elapsed;

  if (g_str_equal (mode, "json-glib"))
    {
      g_autoptr(JsonParser) parser = json_parser_new_immutable ();
      g_autofree char *data = NULL;
      gsize length;

      if (!g_file_get_contents (path, &data, &length, &error))
        g_error ("%s", error->message);
      start = now_ms ();
      if (!json_parser_load_from_data (parser, data, length, &error))
        g_error ("%s", error->message);
      elapsed = now_ms () - start;
      g_print ("%.1f %.1f %.1f\n", elapsed, status_mb ("VmHWM:"), status_mb ("VmRSS:"));
      return 0;
    }

  if (g_str_equal (mode, "first"))
    {
      g_autofree char *cache_path = cache_file (path);

      if (cache_path != NULL)
        g_unlink (cache_path);
    }

  start = now_ms ();
  bundle = gloss_bundle_new_from_file (file, NULL, &error);
  elapsed = now_ms () - start;
  if (bundle == NULL)
    g_error ("%s: %s", path, error->message);
  if (g_str_equal (mode, "cached") && !gloss_bundle_get_from_cache (bundle))
    g_error ("%s: not opened from the cache", path);

  /* Steady: once loaded, with the bundle held and one search made (the
   * sidebar and the index are what a running app touches). */
  {
    g_autoptr(GlossResults) results = gloss_index_search (gloss_bundle_get_index (bundle),
                                                          "faitrio", NULL, 20);
    for (guint i = 0; i < gloss_results_get_n_matches (results); i++)
      gloss_entry_get_summary (gloss_bundle_get_entry (bundle,
                                                       gloss_results_get_match (results, i)->position));
  }

  g_print ("%.1f %.1f %.1f\n", elapsed, status_mb ("VmHWM:"), status_mb ("VmRSS:"));
  return 0;
}

typedef struct
{
  GArray *ms;
  GArray *peak;
  GArray *steady;
} Series;

static void
series_init (Series *s)
{
  s->ms = g_array_new (FALSE, FALSE, sizeof (double));
  s->peak = g_array_new (FALSE, FALSE, sizeof (double));
  s->steady = g_array_new (FALSE, FALSE, sizeof (double));
}

static void
series_clear (Series *s)
{
  g_array_unref (s->ms);
  g_array_unref (s->peak);
  g_array_unref (s->steady);
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
median (GArray *values)
{
  g_autofree double *sorted = NULL;
  guint n = values->len;

  if (n == 0)
    return 0;

  sorted = g_memdup2 (values->data, n * sizeof (double));
  qsort (sorted, n, sizeof (double), compare_doubles);
  return n % 2 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
}

static void
run_child (const char *self,
           const char *mode,
           const char *path,
           Series     *s)
{
  const char *argv[] = { self, "--child", mode, path, NULL };
  g_autofree char *out = NULL;
  g_autoptr(GError) error = NULL;
  int status;
  double ms, peak, steady;

  if (!g_spawn_sync (NULL, (char **)argv, NULL, G_SPAWN_DEFAULT, NULL, NULL, &out, NULL, &status,
                     &error) ||
      !g_spawn_check_wait_status (status, &error))
    g_error ("%s %s: %s", mode, path, error->message);

  if (sscanf (out, "%lf %lf %lf", &ms, &peak, &steady) != 3)
    g_error ("%s %s: unexpected output %s", mode, path, out);

  g_array_append_val (s->ms, ms);
  g_array_append_val (s->peak, peak);
  g_array_append_val (s->steady, steady);
}

/* `gloss-cli search`, start to exit, output discarded. */
static double
run_cli (const char *cli,
         const char *path,
         const char *query)
{
  const char *argv[] = { cli, "search", path, query, NULL };
  g_autoptr(GError) error = NULL;
  int status;
  double start = now_ms ();

  if (!g_spawn_sync (NULL, (char **)argv, NULL, G_SPAWN_STDOUT_TO_DEV_NULL, NULL, NULL, NULL,
                     NULL, &status, &error) ||
      !g_spawn_check_wait_status (status, &error))
    g_error ("gloss-cli search %s: %s", path, error->message);

  return now_ms () - start;
}

static void
print_row (const char *name,
           GArray     *values,
           const char *unit)
{
  g_autoptr(GString) all = g_string_new (NULL);

  for (guint i = 0; i < values->len; i++)
    g_string_append_printf (all, "%s%.1f", i ? " " : "", g_array_index (values, double, i));
  g_print ("  %-34s %10.1f %-3s  [%s]\n", name, median (values), unit, all->str);
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *cli = NULL;
  g_auto(GStrv) files = NULL;
  int runs = 5;
  GOptionEntry entries[] = {
    { "runs", 0, 0, G_OPTION_ARG_INT, &runs, "Runs of each measurement (5)", "N" },
    { "cli", 0, 0, G_OPTION_ARG_FILENAME, &cli, "gloss-cli to time", "PATH" },
    { G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &files, NULL, NULL },
    { NULL }
  };
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *self = NULL;
  g_autofree char *cache_home = NULL;

  /* As gloss and gloss-cli do: the collation locale is part of the cache's
   * key. */
  setlocale (LC_ALL, "");

  if (argc == 4 && g_str_equal (argv[1], "--child"))
    return child (argv[2], argv[3]);

  context = g_option_context_new ("FILE… — time opening bundles");
  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error) || files == NULL)
    {
      g_printerr ("%s\n", error ? error->message : "no FILE given");
      return 2;
    }

  /* Caches of our own, out of the user's way and gone afterwards: the
   * children and gloss-cli inherit the variable. */
  cache_home = g_dir_make_tmp ("gloss-bench-load-XXXXXX", NULL);
  g_setenv ("XDG_CACHE_HOME", cache_home, TRUE);

  self = g_canonicalize_filename (argv[0], NULL);
  if (cli == NULL)
    {
      g_autofree char *dir = g_path_get_dirname (self);
      cli = g_build_filename (dir, "..", "src", "cli", "gloss-cli", NULL);
    }

  g_print ("Opening bundles: every run in a process of its own; medians, then each run\n"
           "(first open = pre-scan, walk, index and cache written; cached open = the cache\n"
           "mapped and checked; steady RSS = after the open and one search)\n");

  for (guint f = 0; files[f] != NULL; f++)
    {
      const char *path = files[f];
      Series json, first, cached;
      g_autoptr(GArray) cli_ms = g_array_new (FALSE, FALSE, sizeof (double));
      g_autoptr(GArray) ratio = g_array_new (FALSE, FALSE, sizeof (double));
      g_autoptr(GArray) peak_ratio = g_array_new (FALSE, FALSE, sizeof (double));
      g_autoptr(GArray) steady_ratio = g_array_new (FALSE, FALSE, sizeof (double));
      g_autoptr(GlossBundle) bundle = NULL;
      g_autoptr(GFile) file = g_file_new_for_path (path);
      struct stat st;
      double mb;
      guint n_entries;

      if (g_stat (path, &st) != 0)
        g_error ("%s: cannot stat", path);
      mb = st.st_size / (1024.0 * 1024.0);

      series_init (&json);
      series_init (&first);
      series_init (&cached);

      /* Interleaved, so that each sees the same machine. */
      for (int r = 0; r < runs; r++)
        {
          run_child (self, "json-glib", path, &json);
          run_child (self, "first", path, &first);
          run_child (self, "cached", path, &cached);
          for (guint q = 0; q < 3; q++)
            {
              static const char * const cli_queries[] = { "faitrio", "stiochoust bo", "zzqx" };
              double ms = run_cli (cli, path, cli_queries[q]);

              g_array_append_val (cli_ms, ms);
            }
        }

      for (guint i = 0; i < first.ms->len; i++)
        {
          double v = g_array_index (first.ms, double, i) / g_array_index (json.ms, double, i);
          g_array_append_val (ratio, v);
          v = g_array_index (first.peak, double, i) / mb;
          g_array_append_val (peak_ratio, v);
          v = g_array_index (first.steady, double, i) / mb;
          g_array_append_val (steady_ratio, v);
        }

      bundle = gloss_bundle_new_from_file (file, NULL, NULL);
      n_entries = bundle ? gloss_bundle_get_n_entries (bundle) : 0;

      g_print ("\n%s: %u entries, %.1f MB\n", path, n_entries, mb);
      g_print ("  %-34s %10s      %s\n", "", "median", "runs");
      print_row ("json-glib parse (yardstick)", json.ms, "ms");
      print_row ("first open (JSON)", first.ms, "ms");
      print_row ("first open / json-glib parse", ratio, "x");
      print_row ("cached open", cached.ms, "ms");
      print_row ("gloss-cli search, cached (wall)", cli_ms, "ms");
      print_row ("peak RSS, first open", first.peak, "MB");
      print_row ("peak RSS / file size, first open", peak_ratio, "x");
      print_row ("steady RSS, after first open", first.steady, "MB");
      print_row ("steady RSS / file size", steady_ratio, "x");
      print_row ("peak RSS, cached open", cached.peak, "MB");
      print_row ("steady RSS, cached open", cached.steady, "MB");
      print_row ("json-glib parse, peak RSS", json.peak, "MB");

      series_clear (&json);
      series_clear (&first);
      series_clear (&cached);
    }

  {
    g_autofree char *dir = g_build_filename (cache_home, "gloss", NULL);
    g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
    const char *name;

    while (d != NULL && (name = g_dir_read_name (d)) != NULL)
      {
        g_autofree char *path = g_build_filename (dir, name, NULL);
        g_unlink (path);
      }
    g_rmdir (dir);
    g_rmdir (cache_home);
  }

  return 0;
}
