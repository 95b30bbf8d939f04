/* test-big-bundle.c: a 100,000-entry bundle opened in the real window.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>

#include <glib/gstdio.h>
#if HAVE_VALGRIND_H
#include <valgrind/valgrind.h>
#endif

#include "gloss-cache.h"
#include "gloss-window.h"
#include "gloss-test-util.h"

/*
 * While a big bundle loads, the window stays a window: the main loop keeps
 * running (a tick every millisecond, the longest gap measured), the
 * progress bar shows a real fraction that only grows, and the bundle that
 * was open stays open and usable (searched, an entry shown) until the new
 * one is ready. Then the same bundle again, from its cache; and a load
 * overtaken by another.
 */

/* A real dictionary's size; a fifth of it under valgrind (see main ()). */
static guint n_entries = 100000;

/* What counts as the loop not blocking: the longest the main thread
 * works between two ticks of its loop. A frame is 16 ms; the plain build
 * gets twice that for a slower machine, and sanitizer builds (every
 * allocation unwinds its stack) ten times slower still. The wall-clock gap
 * is reported too, but not held to it: on a busy machine other processes
 * take the CPU. Under valgrind it is a hang guard (see main ()). */
#if defined(__SANITIZE_ADDRESS__)
#define MAX_BUSY_MS 2000
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define MAX_BUSY_MS 2000
#endif
#endif
#ifndef MAX_BUSY_MS
#define MAX_BUSY_MS 32
#endif
static gint64 max_busy_ms = MAX_BUSY_MS;

static char *tmp_dir;
static char *big_path;

/* A bundle of @n short entries: the size that matters here is the count
 * (the sidebar, the index, the entry objects), not the text. */
static void
write_big_bundle (const char *path,
                  guint       n)
{
  GString *out = g_string_sized_new ((gsize)n * 400);
  g_autoptr(GError) error = NULL;
  struct timespec times[2];

  g_string_append (out, "{\"format\":\"gloss-bundle\",\"version\":1,\"id\":\"test.big\","
                        "\"title\":\"Big test bundle\",\"entries\":[\n");
  for (guint i = 0; i < n; i++)
    g_string_append_printf (out,
                            "%s{\"id\":\"big-%u\",\"term\":\"Bigterm %u\",\"aliases\":[\"B%u\"],"
                            "\"summary\":\"Summary of entry %u, with the word zyzzyva%u.\","
                            "\"tags\":[\"t%u\"],\"sections\":[{\"heading\":\"About\",\"body\":"
                            "\"Entry %u of the big bundle: some words to index, a [link]"
                            "(entry:big-%u), and more words after it so that the body is "
                            "not empty.\"}]}",
                            i > 0 ? ",\n" : "", i, i, i, i, i % 1000, i % 20, i, (i + 1) % n);
  g_string_append (out, "\n]}\n");

  g_file_set_contents (path, out->str, out->len, &error);
  g_assert_no_error (error);
  g_string_free (out, TRUE);

  /* An old file: its cache is not "racily clean". */
  clock_gettime (CLOCK_REALTIME, &times[0]);
  times[0].tv_sec -= 60;
  times[1] = times[0];
  g_assert_cmpint (utimensat (AT_FDCWD, path, times, 0), ==, 0);
}

typedef struct
{
  GlossWindow    *window;
  GtkWidget      *search;
  GtkListView    *list;
  GtkProgressBar *bar;
  GtkRevealer    *revealer;
  GArray         *fractions;
  gboolean        revealed;
  gint64          last_tick;
  gint64          last_cpu;
  gint64          max_gap;
  gint64          max_busy;
  guint           tick;
} Fixture;

static gint64
thread_cpu_usec (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_THREAD_CPUTIME_ID, &ts);
  return ts.tv_sec * G_USEC_PER_SEC + ts.tv_nsec / 1000;
}

static gboolean
tick (gpointer data)
{
  Fixture *f = data;
  gint64 now = g_get_monotonic_time ();
  gint64 cpu = thread_cpu_usec ();

  f->max_gap = MAX (f->max_gap, now - f->last_tick);
  f->max_busy = MAX (f->max_busy, cpu - f->last_cpu);
  f->last_tick = now;
  f->last_cpu = cpu;
  if (gtk_revealer_get_reveal_child (f->revealer))
    f->revealed = TRUE;

  return G_SOURCE_CONTINUE;
}

static void
on_fraction (GtkProgressBar *bar,
             GParamSpec     *pspec,
             Fixture        *f)
{
  double fraction = gtk_progress_bar_get_fraction (bar);

  g_array_append_val (f->fractions, fraction);
}

static gboolean
window_painted (gpointer data)
{
  Fixture *f = data;

  return gtk_widget_get_mapped (GTK_WIDGET (f->window)) &&
         gtk_widget_get_width (GTK_WIDGET (f->window)) > 0;
}

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  f->window = gloss_window_new (NULL);
  gtk_window_set_default_size (GTK_WINDOW (f->window), 1024, 768);
  gloss_window_open_builtin (f->window);
  gtk_window_present (GTK_WINDOW (f->window));
  g_assert_true (gloss_test_wait_until (window_painted, f, 5000));

  f->search = gloss_test_find_widget (GTK_WIDGET (f->window), GTK_TYPE_SEARCH_ENTRY, NULL);
  f->list = GTK_LIST_VIEW (gloss_test_find_widget (GTK_WIDGET (f->window), GTK_TYPE_LIST_VIEW,
                                        "navigation-sidebar"));
  f->bar = GTK_PROGRESS_BAR (gloss_test_find_widget (GTK_WIDGET (f->window), GTK_TYPE_PROGRESS_BAR, NULL));
  g_assert_nonnull (f->search);
  g_assert_nonnull (f->list);
  g_assert_nonnull (f->bar);
  f->revealer = GTK_REVEALER (gtk_widget_get_ancestor (GTK_WIDGET (f->bar), GTK_TYPE_REVEALER));
  g_assert_nonnull (f->revealer);

  f->fractions = g_array_new (FALSE, FALSE, sizeof (double));
  g_signal_connect (f->bar, "notify::fraction", G_CALLBACK (on_fraction), f);
}

/* Whether only the test holds @data: a load being cancelled holds the
 * window until its thread sees the cancellation, which under valgrind
 * takes a while. */
static gboolean
only_test_holds (gpointer data)
{
  return g_atomic_int_get (&G_OBJECT (data)->ref_count) == 1;
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  g_clear_handle_id (&f->tick, g_source_remove);
  g_signal_handlers_disconnect_by_func (f->bar, on_fraction, f);
  g_array_unref (f->fractions);

  g_object_ref (f->window);
  gtk_window_destroy (GTK_WINDOW (f->window));
  gloss_test_wait_ms (20);
  gloss_test_wait_until (only_test_holds, f->window, 5000);
  g_assert_finalize_object (f->window);
}

static void
start_ticking (Fixture *f)
{
  f->max_gap = 0;
  f->max_busy = 0;
  f->last_tick = g_get_monotonic_time ();
  f->last_cpu = thread_cpu_usec ();
  f->tick = g_timeout_add (1, tick, f);
}

static void
stop_ticking (Fixture *f)
{
  g_clear_handle_id (&f->tick, g_source_remove);
}

static gboolean
not_loading (gpointer data)
{
  Fixture *f = data;

  return !gloss_window_get_loading (f->window);
}

static guint
n_rows (Fixture *f)
{
  return g_list_model_get_n_items (G_LIST_MODEL (gtk_list_view_get_model (f->list)));
}

static char *
row_term (Fixture *f,
          guint    row)
{
  g_autoptr(GObject) hit = g_list_model_get_item (G_LIST_MODEL (gtk_list_view_get_model (f->list)),
                                                  row);
  char *term = NULL;

  g_object_get (hit, "term", &term, NULL);
  return term;
}

typedef struct
{
  const char *query;
  guint       count;
} SearchWait;

static void
on_search_changed (GtkSearchEntry *entry,
                   SearchWait     *wait)
{
  if (g_strcmp0 (gtk_editable_get_text (GTK_EDITABLE (entry)), wait->query) == 0)
    wait->count++;
}

static gboolean
count_positive (gpointer data)
{
  return *(guint *)data > 0;
}

static void
search_for (Fixture    *f,
            const char *query)
{
  SearchWait wait = { query, 0 };
  gulong id = g_signal_connect (f->search, "search-changed",
                                G_CALLBACK (on_search_changed), &wait);

  gtk_editable_set_text (GTK_EDITABLE (f->search), query);
  g_assert_true (gloss_test_wait_until (count_positive, &wait.count, 10000));
  g_signal_handler_disconnect (f->search, id);
}

static void
test_first_open (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(GFile) file = g_file_new_for_path (big_path);
  g_autofree char *cache = NULL;
  GlossBundle *builtin = gloss_window_get_bundle (f->window);
  gboolean used_old = FALSE;
  gint64 start;
  double elapsed;

  {
    GlossCacheKey key;
    struct stat st;

    g_assert_cmpint (g_stat (big_path, &st), ==, 0);
    g_assert_true (gloss_cache_key_init (&key, big_path, &st));
    cache = g_strdup (key.cache_path);
    gloss_cache_key_clear (&key);
    g_unlink (cache);
  }

  start_ticking (f);
  start = g_get_monotonic_time ();
  gloss_window_open_file (f->window, file, NULL);
  g_assert_true (gloss_window_get_loading (f->window));

  /* The bundle that was open is still the one shown, and it works: a
   * search, an entry. The loop keeps running all along. */
  while (gloss_window_get_loading (f->window) && !used_old)
    {
      g_autofree char *term = NULL;

      search_for (f, "tsundere");
      if (!gloss_window_get_loading (f->window))
        break;
      g_assert_true (gloss_window_get_bundle (f->window) == builtin);
      g_assert_cmpuint (n_rows (f), >, 0);
      term = row_term (f, 0);
      g_assert_cmpstr (term, ==, "Tsundere");
      g_assert_true (gloss_window_show_entry_id (f->window, "tsundere"));
      used_old = TRUE;
    }
  g_assert_true (used_old);

  g_assert_true (gloss_test_wait_until (not_loading, f, 600000));
  elapsed = (g_get_monotonic_time () - start) / 1e6;
  stop_ticking (f);

  g_test_message ("opened %u entries in %.2f s; %u progress updates; longest main loop gap "
                  "%.1f ms, of which busy %.1f ms",
                  gloss_bundle_get_n_entries (gloss_window_get_bundle (f->window)),
                  elapsed, f->fractions->len, f->max_gap / 1e3, f->max_busy / 1e3);

  /* The new bundle, whole, in the list and searchable */
  g_assert_true (gloss_window_get_bundle (f->window) != builtin);
  g_assert_cmpuint (gloss_bundle_get_n_entries (gloss_window_get_bundle (f->window)), ==,
                    n_entries);
  g_assert_cmpuint (n_rows (f), ==, n_entries);
  search_for (f, "zyzzyva7");
  g_assert_cmpuint (n_rows (f), >, 0);
  g_assert_true (g_file_test (cache, G_FILE_TEST_EXISTS));

  /* The bar showed, with real fractions that only grew, and is gone. */
  g_assert_true (f->revealed);
  g_assert_cmpuint (f->fractions->len, >, 2);
  for (guint i = 0; i < f->fractions->len; i++)
    {
      double fr = g_array_index (f->fractions, double, i);

      g_assert_cmpfloat (fr, >=, 0.0);
      g_assert_cmpfloat (fr, <=, 1.0);
      if (i > 0 && fr > 0.0)
        g_assert_cmpfloat (fr, >=, g_array_index (f->fractions, double, i - 1));
    }
  g_assert_cmpfloat (g_array_index (f->fractions, double, f->fractions->len - 1), >, 0.5);
  g_assert_false (gtk_revealer_get_reveal_child (f->revealer));

  g_assert_cmpint (f->max_busy, <, max_busy_ms * 1000);
}

static gboolean
bundle_is_big (gpointer data)
{
  Fixture *f = data;

  return !gloss_window_get_loading (f->window) &&
         gloss_bundle_get_n_entries (gloss_window_get_bundle (f->window)) == n_entries;
}

/* Again, now from the cache: at once, and the background check of the
 * file finds nothing to reopen. */
static void
test_cached_open (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(GFile) file = g_file_new_for_path (big_path);
  GlossBundle *bundle;
  gint64 start;

  /* The first test left the cache; make sure of it. */
  {
    g_autoptr(GlossBundle) warm = gloss_bundle_new_from_file (file, NULL, NULL);
    g_assert_nonnull (warm);
  }

  start_ticking (f);
  start = g_get_monotonic_time ();
  gloss_window_open_file (f->window, file, NULL);
  g_assert_true (gloss_test_wait_until (bundle_is_big, f, 60000));
  g_test_message ("opened from the cache in %.1f ms; longest gap %.1f ms, of which busy %.1f ms",
                  (g_get_monotonic_time () - start) / 1e3, f->max_gap / 1e3, f->max_busy / 1e3);

  bundle = gloss_window_get_bundle (f->window);
  g_assert_true (gloss_bundle_get_from_cache (bundle));
  g_assert_cmpuint (n_rows (f), ==, n_entries);

  /* The check reads the whole file; the bundle stays. */
  gloss_test_wait_ms (1500);
  stop_ticking (f);
  g_test_message ("after the background check: longest gap %.1f ms, of which busy %.1f ms",
                  f->max_gap / 1e3, f->max_busy / 1e3);
  g_assert_true (gloss_window_get_bundle (f->window) == bundle);
  g_assert_false (gloss_window_get_loading (f->window));
  g_assert_cmpint (f->max_busy, <, max_busy_ms * 1000);
}

typedef struct
{
  GlossWindow *window;
  GlossBundle *at_first_paint;
  gboolean     painted;
} FirstPaint;

static void
on_after_paint (GdkFrameClock *clock,
                FirstPaint    *fp)
{
  if (!fp->painted)
    {
      fp->painted = TRUE;
      fp->at_first_paint = gloss_window_get_bundle (fp->window);
    }
}

static gboolean
big_and_painted (gpointer data)
{
  FirstPaint *fp = data;

  return fp->painted && !gloss_window_get_loading (fp->window) &&
         gloss_bundle_get_n_entries (gloss_window_get_bundle (fp->window)) == n_entries;
}

/* At launch, with the big bundle as the last one opened: its cache is
 * ready before the window has drawn itself, and the window still draws
 * first (with the built-in bundle), the big list a frame later. */
static void
test_restored_at_launch (void)
{
  g_autoptr(GFile) file = g_file_new_for_path (big_path);
  GlossWindow *window;
  GlossBundle *builtin;
  FirstPaint fp = { NULL, NULL, FALSE };
  gulong id;

  {
    g_autoptr(GlossBundle) warm = gloss_bundle_new_from_file (file, NULL, NULL);
    g_assert_nonnull (warm);
  }

  window = gloss_window_new (NULL);
  gtk_window_set_default_size (GTK_WINDOW (window), 1024, 768);
  gloss_window_open_builtin (window);
  builtin = gloss_window_get_bundle (window);
  gloss_window_open_file (window, file, NULL);
  gtk_window_present (GTK_WINDOW (window));

  fp.window = window;
  id = g_signal_connect (gtk_widget_get_frame_clock (GTK_WIDGET (window)), "after-paint",
                         G_CALLBACK (on_after_paint), &fp);
  g_assert_true (gloss_test_wait_until (big_and_painted, &fp, 60000));
  g_signal_handler_disconnect (gtk_widget_get_frame_clock (GTK_WIDGET (window)), id);

  g_assert_true (fp.at_first_paint == builtin);
  g_assert_true (gloss_bundle_get_from_cache (gloss_window_get_bundle (window)));

  g_object_ref (window);
  gtk_window_destroy (GTK_WINDOW (window));
  gloss_test_wait_ms (20);
  gloss_test_wait_until (only_test_holds, window, 5000);
  g_assert_finalize_object (window);
}

static gboolean
bundle_is_builtin (gpointer data)
{
  Fixture *f = data;

  return !gloss_window_get_loading (f->window) &&
         g_strcmp0 (gloss_bundle_get_id (gloss_window_get_bundle (f->window)), "test.small") == 0;
}

/* Opening something else cancels the load under way. */
static void
test_overtaken (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GFile) big = g_file_new_for_path (big_path);
  g_autofree char *small_path = g_build_filename (tmp_dir, "small.json", NULL);
  g_autoptr(GFile) small = g_file_new_for_path (small_path);

  g_assert_true (g_file_set_contents (small_path,
                                      "{\"format\":\"gloss-bundle\",\"version\":1,"
                                      "\"id\":\"test.small\",\"title\":\"Small\",\"entries\":"
                                      "[{\"id\":\"one\",\"term\":\"One\"}]}", -1, NULL));
  gloss_cache_set_enabled (FALSE);
  gloss_window_open_file (f->window, big, NULL);
  gloss_test_wait_ms (50);
  gloss_window_open_file (f->window, small, NULL);
  g_assert_true (gloss_test_wait_until (bundle_is_builtin, f, 60000));
  gloss_cache_set_enabled (TRUE);

  /* The big load, cancelled, never lands. */
  gloss_test_wait_ms (500);
  g_assert_cmpuint (gloss_bundle_get_n_entries (gloss_window_get_bundle (f->window)), ==, 1);
  g_unlink (small_path);
}

static void
remove_dir (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      if (g_file_test (child, G_FILE_TEST_IS_DIR))
        remove_dir (child);
      else
        g_unlink (child);
    }
  g_rmdir (path);
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *cache_dir = NULL;
  int ret;

  gtk_test_init (&argc, &argv, NULL);
  adw_init ();

  tmp_dir = g_dir_make_tmp ("gloss-test-big-XXXXXX", NULL);
  g_assert_nonnull (tmp_dir);
  cache_dir = g_build_filename (tmp_dir, "cache", NULL);
  gloss_cache_set_dir (cache_dir);
  big_path = g_build_filename (tmp_dir, "big.json", NULL);

  /* Under valgrind (`make valgrind`) everything runs some fifty times
   * slower and one thread at a time: the same paths with a fifth of the
   * entries, and the bound on the main thread's work a hang guard. */
#if HAVE_VALGRIND_H
  if (RUNNING_ON_VALGRIND)
    {
      n_entries = 20000;
      max_busy_ms = 60 * 1000;
    }
#endif
  write_big_bundle (big_path, n_entries);

  g_test_add ("/gloss/big-bundle/first-open", Fixture, NULL, fixture_setup, test_first_open,
              fixture_teardown);
  g_test_add ("/gloss/big-bundle/cached-open", Fixture, NULL, fixture_setup, test_cached_open,
              fixture_teardown);
  g_test_add ("/gloss/big-bundle/overtaken", Fixture, NULL, fixture_setup, test_overtaken,
              fixture_teardown);
  g_test_add_func ("/gloss/big-bundle/restored-at-launch", test_restored_at_launch);

  ret = g_test_run ();

  remove_dir (tmp_dir);
  g_free (big_path);
  g_free (tmp_dir);

  return ret;
}
