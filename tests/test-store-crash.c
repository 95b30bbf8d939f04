/* test-store-crash.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <signal.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <glib/gstdio.h>

#include "gloss-bookmarks.h"

/* A child saves bookmarks in a tight loop: version k of the file holds the
 * bookmarks 0 … k-1, whose contents follow from their number, and after
 * MAX_BOOKMARKS the list is cleared and grows again. The parent kills it
 * with SIGKILL at random moments, then checks that the file on disk is
 * always one complete version: strict JSON, the expected header, exactly
 * the bookmarks 0 … n-1 for some n, each with its exact contents. */

#define DEFAULT_KILLS  200
#define MAX_BOOKMARKS  150
#define MAX_DELAY_USEC 20000
#define BUNDLE_KEY     "org.example.crash"
#define BUNDLE_TITLE   "Crash = Test"

static char *
entry_id_for (guint i)
{
  return g_strdup_printf ("e%u=#[x]", i);
}

static char *
term_for (guint i)
{
  return g_strdup_printf ("Term %u ünï", i);
}

/* Notes of varied sizes, so that writes take a while and differ in length;
 * every fourth bookmark has none. */
static char *
note_for (guint i)
{
  GString *note = g_string_new (NULL);
  guint length = (i % 4 == 0) ? 0 : 300 + (i * 37) % 1500;

  while (note->len < length)
    g_string_append_printf (note, "note %u: \"quoted\"\n", i);

  return g_string_free (note, FALSE);
}

/* Writes a byte to @progress_fd after each complete save. */
static G_NORETURN void
child_main (const char *path,
            int         progress_fd)
{
  GlossBookmarks *bookmarks = gloss_bookmarks_new (path);
  GlossStore *store = gloss_bookmarks_get_store (bookmarks);

  if (gloss_bookmarks_get_read_only (bookmarks) || gloss_store_get_corrupt (store))
    _exit (3);

  for (;;)
    {
      guint n = g_list_model_get_n_items (G_LIST_MODEL (bookmarks));
      GError *error = NULL;

      if (n >= MAX_BOOKMARKS)
        {
          if (!gloss_bookmarks_clear (bookmarks, &error))
            _exit (4);
        }
      else
        {
          g_autofree char *id = entry_id_for (n);
          g_autofree char *term = term_for (n);
          g_autofree char *note = note_for (n);

          if (!gloss_bookmarks_add (bookmarks, BUNDLE_KEY, id, term, BUNDLE_TITLE, &error) ||
              !gloss_bookmarks_set_note (bookmarks, BUNDLE_KEY, id, note, &error))
            _exit (5);
        }

      if (!gloss_store_flush (store, &error))
        _exit (6);

      if (write (progress_fd, "s", 1) != 1)
        _exit (7);
    }
}

static guint
count_temporaries (const char *dir_path)
{
  g_autoptr(GDir) dir = g_dir_open (dir_path, 0, NULL);
  const char *name;
  guint n = 0;

  g_assert_nonnull (dir);
  while ((name = g_dir_read_name (dir)) != NULL)
    if (g_str_has_prefix (name, "bookmarks.json.") && strlen (name) == strlen ("bookmarks.json.") + 6)
      n++;

  return n;
}

/* Returns how many bookmarks the file holds, after checking them all. */
static guint
check_version (const char *path)
{
  g_autoptr(GlossBookmarks) bookmarks = gloss_bookmarks_new (path);
  GlossStore *store = gloss_bookmarks_get_store (bookmarks);
  g_autofree gboolean *seen = NULL;
  guint n;

  if (gloss_store_get_load_error (store) != NULL)
    g_error ("Version not readable: %s", gloss_store_get_load_error (store)->message);
  g_assert_false (gloss_store_get_corrupt (store));
  g_assert_false (gloss_store_get_read_only (store));

  n = g_list_model_get_n_items (G_LIST_MODEL (bookmarks));
  g_assert_cmpuint (n, <=, MAX_BOOKMARKS);
  seen = g_new0 (gboolean, MAX_BOOKMARKS);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(GlossBookmark) bookmark = g_list_model_get_item (G_LIST_MODEL (bookmarks), i);
      const char *id = gloss_bookmark_get_entry_id (bookmark);
      g_autofree char *expected_id = NULL;
      g_autofree char *term = NULL;
      g_autofree char *note = NULL;
      guint64 k;

      g_assert_true (g_str_has_prefix (id, "e"));
      k = g_ascii_strtoull (id + 1, NULL, 10);
      g_assert_cmpuint (k, <, n);
      g_assert_false (seen[k]);
      seen[k] = TRUE;

      expected_id = entry_id_for (k);
      term = term_for (k);
      note = note_for (k);
      g_assert_cmpstr (id, ==, expected_id);
      g_assert_cmpstr (gloss_bookmark_get_bundle_key (bookmark), ==, BUNDLE_KEY);
      g_assert_cmpstr (gloss_bookmark_get_bundle_title (bookmark), ==, BUNDLE_TITLE);
      g_assert_cmpstr (gloss_bookmark_get_term (bookmark), ==, term);
      g_assert_cmpstr (gloss_bookmark_get_note (bookmark), ==, note);
    }

  return n;
}

static void
test_crash (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("gloss-crash-XXXXXX", &error);
  g_autofree char *path = NULL;
  g_autofree char *lock_path = NULL;
  g_autoptr(GHashTable) versions = g_hash_table_new (NULL, NULL);
  const char *env = g_getenv ("GLOSS_CRASH_KILLS");
  guint n_kills = env != NULL ? (guint)g_ascii_strtoull (env, NULL, 10) : DEFAULT_KILLS;
  guint n_with_temporaries = 0;
  guint n_total = 0;
  gboolean had_file = FALSE;
  gint64 start = g_get_monotonic_time ();

  g_assert_no_error (error);
  path = g_build_filename (dir, "bookmarks.json", NULL);
  lock_path = g_strconcat (path, ".lock", NULL);

  for (guint round = 0; round < n_kills; round++)
    {
      pid_t pid;
      int status;
      int progress[2];
      char byte;
      guint n;

      g_assert_cmpint (pipe (progress), ==, 0);
      pid = fork ();
      g_assert_cmpint (pid, >=, 0);
      if (pid == 0)
        {
          close (progress[0]);
          child_main (path, progress[1]);
        }
      close (progress[1]);

      /* Every other round, wait for one complete save first, so that the
       * writer makes progress however slow the build (sanitizers,
       * valgrind); the other rounds may also kill it while it starts. */
      if (round % 2 == 0 && read (progress[0], &byte, 1) != 1)
        g_error ("The writer died before its first save");
      g_usleep (g_test_rand_int_range (0, MAX_DELAY_USEC));
      g_assert_cmpint (kill (pid, SIGKILL), ==, 0);
      g_assert_cmpint (waitpid (pid, &status, 0), ==, pid);
      if (!WIFSIGNALED (status) || WTERMSIG (status) != SIGKILL)
        g_error ("The writer did not die by SIGKILL: status %d", status);
      close (progress[0]);

      if (count_temporaries (dir) > 0)
        n_with_temporaries++;

      if (!g_file_test (path, G_FILE_TEST_EXISTS))
        {
          /* Only before the very first complete write. */
          g_assert_false (had_file);
          continue;
        }
      had_file = TRUE;

      n = check_version (path);
      g_hash_table_add (versions, GUINT_TO_POINTER (n + 1));
      n_total += n;

      /* Opening removed what the killed writer left. */
      g_assert_cmpuint (count_temporaries (dir), ==, 0);
    }

  g_test_message ("%u kills in %.1f s: %u different versions seen, %u kills left a "
                  "temporary file behind",
                  n_kills, (g_get_monotonic_time () - start) / (double)G_USEC_PER_SEC,
                  g_hash_table_size (versions), n_with_temporaries);

  /* The writer made progress between kills, so the kills hit many versions. */
  g_assert_true (had_file);
  if (n_kills >= 20)
    g_assert_cmpuint (g_hash_table_size (versions), >=, 10);
  g_assert_cmpuint (n_total, >, 0);

  g_unlink (path);
  g_unlink (lock_path);
  g_assert_cmpint (g_rmdir (dir), ==, 0);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/gloss/store/crash/sigkill", test_crash);

  return g_test_run ();
}
