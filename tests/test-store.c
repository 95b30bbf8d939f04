/* test-store.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* unshare() and the CLONE_ flags */
#define _GNU_SOURCE

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <glib/gstdio.h>

#include "gloss-bookmarks.h"
#include "gloss-history.h"
#include "gloss-library.h"
#include "gloss-store.h"

/* Ids that would break a GKeyFile or a naive separator, as data. */
static const char *hostile_ids[] = {
  "a=b",
  "#x",
  "[x]",
  "ünïcødé-日本語-😀",
  "with\nnewline",
  "quote\"and\\backslash",
  "\x01\x1f control",
  " leading and trailing ",
  "5:x\ny",
};

/* ---- Helpers ------------------------------------------------------------ */

static void
remove_tree (const char *path)
{
  GStatBuf st;

  if (g_lstat (path, &st) != 0)
    return;

  if (S_ISDIR (st.st_mode))
    {
      g_autoptr(GDir) dir = NULL;
      const char *name;

      g_chmod (path, 0700);
      dir = g_dir_open (path, 0, NULL);
      while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
        {
          g_autofree char *child = g_build_filename (path, name, NULL);

          remove_tree (child);
        }
      g_rmdir (path);
    }
  else
    g_unlink (path);
}

typedef struct
{
  char *dir;
} Fixture;

static void
fixture_setup (Fixture       *fixture,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  fixture->dir = g_dir_make_tmp ("gloss-store-XXXXXX", &error);
  g_assert_no_error (error);
}

static void
fixture_teardown (Fixture       *fixture,
                  gconstpointer  data)
{
  remove_tree (fixture->dir);
  g_free (fixture->dir);
}

static char *
path_in (Fixture    *fixture,
         const char *name)
{
  return g_build_filename (fixture->dir, name, NULL);
}

static void
write_file (const char *path,
            const char *contents,
            gssize      length)
{
  g_autoptr(GError) error = NULL;

  g_file_set_contents (path, contents, length, &error);
  g_assert_no_error (error);
}

static GBytes *
read_bytes (const char *path)
{
  g_autoptr(GError) error = NULL;
  char *contents;
  gsize length;

  g_file_get_contents (path, &contents, &length, &error);
  g_assert_no_error (error);

  return g_bytes_new_take (contents, length);
}

static int
compare_names (gconstpointer a,
               gconstpointer b)
{
  return strcmp (*(const char * const *)a, *(const char * const *)b);
}

/* Names in @dir, sorted, space-separated. */
static char *
list_dir (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  const char *name;

  g_assert_nonnull (dir);
  while ((name = g_dir_read_name (dir)) != NULL)
    g_ptr_array_add (names, g_strdup (name));
  g_ptr_array_sort (names, compare_names);
  g_ptr_array_add (names, NULL);

  return g_strjoinv (" ", (char **)names->pdata);
}

static GDateTime *
utc (int    year,
     int    month,
     int    day,
     int    hour,
     int    minute,
     double seconds)
{
  return g_date_time_new_utc (year, month, day, hour, minute, seconds);
}

static void
flush_ok (GlossStore *store)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (gloss_store_flush (store, &error));
  g_assert_no_error (error);
  g_assert_false (gloss_store_get_dirty (store));
}

static void
assert_clean_open (GlossStore *store)
{
  const GError *error = gloss_store_get_load_error (store);

  if (error != NULL)
    g_error ("Unexpected load error: %s", error->message);
  g_assert_false (gloss_store_get_read_only (store));
  g_assert_false (gloss_store_get_corrupt (store));
}

static void
assert_bookmarks_equal (GListModel *a,
                        GListModel *b)
{
  guint n = g_list_model_get_n_items (a);

  g_assert_cmpuint (n, ==, g_list_model_get_n_items (b));
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(GlossBookmark) x = g_list_model_get_item (a, i);
      g_autoptr(GlossBookmark) y = g_list_model_get_item (b, i);

      g_assert_true (gloss_bookmark_equal (x, y));
    }
}

static void
assert_history_equal (GListModel *a,
                      GListModel *b)
{
  guint n = g_list_model_get_n_items (a);

  g_assert_cmpuint (n, ==, g_list_model_get_n_items (b));
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(GlossHistoryItem) x = g_list_model_get_item (a, i);
      g_autoptr(GlossHistoryItem) y = g_list_model_get_item (b, i);

      g_assert_true (gloss_history_item_equal (x, y));
    }
}

static GlossBookmark *
bookmark_at (GlossBookmarks *bookmarks,
             guint           position)
{
  GlossBookmark *bookmark = g_list_model_get_item (G_LIST_MODEL (bookmarks), position);

  g_assert_nonnull (bookmark);
  g_object_unref (bookmark);  /* the model keeps it */
  return bookmark;
}

static void
add_ok (GlossBookmarks *bookmarks,
        const char     *bundle,
        const char     *entry,
        const char     *term,
        const char     *title)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (gloss_bookmarks_add (bookmarks, bundle, entry, term, title, &error));
  g_assert_no_error (error);
}

static void
count_save_failed (GlossStore   *store,
                   const GError *error,
                   gpointer      data)
{
  g_assert_error ((GError *)error, GLOSS_STORE_ERROR, GLOSS_STORE_ERROR_IO);
  (*(guint *)data)++;
}

static void
count_notify (GObject    *object,
              GParamSpec *pspec,
              gpointer    data)
{
  (*(guint *)data)++;
}

/* ---- Round trips -------------------------------------------------------- */

static void
test_default_path (void)
{
  g_autofree char *path = gloss_store_default_path ("bookmarks");
  g_autofree char *expected = g_build_filename (g_get_user_data_dir (), "gloss",
                                                "bookmarks.json", NULL);

  g_assert_cmpstr (path, ==, expected);
}

static void
test_bookmarks_round_trip (Fixture       *fixture,
                           gconstpointer  data)
{
  g_autofree char *path = path_in (fixture, "sub/dir/bookmarks.json");
  g_autoptr(GlossBookmarks) bookmarks = NULL;
  g_autoptr(GlossBookmarks) again = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autofree char *listing = NULL;
  g_autofree char *dir = NULL;
  JsonObject *root;
  gboolean starred = FALSE;
  GStatBuf st;

  bookmarks = gloss_bookmarks_new (path);
  assert_clean_open (gloss_bookmarks_get_store (bookmarks));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (bookmarks)), ==, 0);

  for (guint i = 0; i < G_N_ELEMENTS (hostile_ids); i++)
    {
      g_autofree char *term = g_strdup_printf ("Term %u «%s»", i, hostile_ids[i]);

      add_ok (bookmarks, "org.example.glossary", hostile_ids[i], term, "Example = Glossary");
      add_ok (bookmarks, hostile_ids[i], "entry", NULL, NULL);
    }

  /* Same id in two bundles, and a bundle keyed on its path. */
  add_ok (bookmarks, "/home/ada/My Glossary [draft].json", "a=b", "A", "Draft");
  g_assert_true (gloss_bookmarks_has (bookmarks, "org.example.glossary", "a=b"));
  g_assert_true (gloss_bookmarks_has (bookmarks, "/home/ada/My Glossary [draft].json", "a=b"));
  g_assert_false (gloss_bookmarks_has (bookmarks, "org.example", "a=b"));

  /* Adding twice changes nothing. */
  add_ok (bookmarks, "org.example.glossary", "#x", "Again", NULL);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (bookmarks)), ==,
                    2 * G_N_ELEMENTS (hostile_ids) + 1);

  g_assert_true (gloss_bookmarks_set_note (bookmarks, "org.example.glossary", "[x]",
                                           "Line one\nLine two = **bold**\n# not a heading",
                                           &error));
  g_assert_no_error (error);
  g_assert_true (gloss_bookmarks_set_note (bookmarks, "org.example.glossary", "#x", "😀", &error));
  g_assert_no_error (error);
  g_assert_false (gloss_bookmarks_set_note (bookmarks, "org.example.glossary", "nope", "x",
                                            &error));
  g_assert_error (error, GLOSS_STORE_ERROR, GLOSS_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);

  /* Toggle off and on again. */
  g_assert_true (gloss_bookmarks_toggle (bookmarks, "org.example.glossary", "a=b", NULL, NULL,
                                         &starred, &error));
  g_assert_false (starred);
  g_assert_true (gloss_bookmarks_toggle (bookmarks, "org.example.glossary", "a=b", "A = B",
                                         "Example", &starred, &error));
  g_assert_true (starred);
  g_assert_no_error (error);

  /* Unusable strings are refused, never saved. */
  g_assert_false (gloss_bookmarks_add (bookmarks, "org.example", "\xff\xfe", NULL, NULL, &error));
  g_assert_error (error, GLOSS_STORE_ERROR, GLOSS_STORE_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_false (gloss_bookmarks_add (bookmarks, "", "x", NULL, NULL, &error));
  g_assert_error (error, GLOSS_STORE_ERROR, GLOSS_STORE_ERROR_INVALID);
  g_clear_error (&error);

  g_assert_true (gloss_store_get_dirty (gloss_bookmarks_get_store (bookmarks)));
  flush_ok (gloss_bookmarks_get_store (bookmarks));

  /* The file: the header, 0600, no temporary file left. */
  g_assert_cmpint (g_stat (path, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);
  dir = g_path_get_dirname (path);
  listing = list_dir (dir);
  g_assert_cmpstr (listing, ==, "bookmarks.json bookmarks.json.lock");

  bytes = read_bytes (path);
  json_parser_load_from_data (parser, g_bytes_get_data (bytes, NULL),
                              g_bytes_get_size (bytes), &error);
  g_assert_no_error (error);
  root = json_node_get_object (json_parser_get_root (parser));
  g_assert_cmpstr (json_object_get_string_member (root, "format"), ==, "gloss-bookmarks");
  g_assert_cmpint (json_object_get_int_member (root, "version"), ==, 1);

  /* A fresh object reads back the same, in the same order. */
  g_clear_object (&bookmarks);
  bookmarks = gloss_bookmarks_new (path);
  assert_clean_open (gloss_bookmarks_get_store (bookmarks));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (bookmarks)), ==,
                    2 * G_N_ELEMENTS (hostile_ids) + 1);

  for (guint i = 0; i < G_N_ELEMENTS (hostile_ids); i++)
    {
      GlossBookmark *bookmark = gloss_bookmarks_lookup (bookmarks, "org.example.glossary",
                                                        hostile_ids[i]);

      g_assert_nonnull (bookmark);
      g_assert_cmpstr (gloss_bookmark_get_entry_id (bookmark), ==, hostile_ids[i]);
      g_assert_true (gloss_bookmarks_has (bookmarks, hostile_ids[i], "entry"));
      g_assert_cmpstr (gloss_bookmark_get_term (gloss_bookmarks_lookup (bookmarks,
                                                                        hostile_ids[i],
                                                                        "entry")),
                       ==, "entry");
    }
  g_assert_cmpstr (gloss_bookmark_get_note (gloss_bookmarks_lookup (bookmarks,
                                                                    "org.example.glossary",
                                                                    "[x]")),
                   ==, "Line one\nLine two = **bold**\n# not a heading");
  g_assert_cmpstr (gloss_bookmark_get_term (gloss_bookmarks_lookup (bookmarks,
                                                                    "org.example.glossary",
                                                                    "a=b")),
                   ==, "A = B");

  /* Loading and saving again is byte for byte the same file. */
  again = gloss_bookmarks_new (path);
  g_assert_true (gloss_bookmarks_get_read_only (again));
  assert_bookmarks_equal (G_LIST_MODEL (bookmarks), G_LIST_MODEL (again));
  {
    g_autoptr(GBytes) exported = gloss_bookmarks_export_json (bookmarks);

    g_assert_true (g_bytes_equal (exported, bytes));
  }

  /* Remove and clear. */
  g_assert_true (gloss_bookmarks_remove (bookmarks, "org.example.glossary", "#x", &error));
  g_assert_false (gloss_bookmarks_has (bookmarks, "org.example.glossary", "#x"));
  g_assert_true (gloss_bookmarks_remove (bookmarks, "org.example.glossary", "#x", &error));
  g_assert_true (gloss_bookmarks_clear (bookmarks, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (bookmarks)), ==, 0);
}

static void
test_bookmarks_search (Fixture       *fixture,
                       gconstpointer  data)
{
  g_autofree char *path = path_in (fixture, "bookmarks.json");
  g_autoptr(GlossBookmarks) bookmarks = gloss_bookmarks_new (path);
  g_autoptr(GError) error = NULL;
  struct { const char *query; guint n; } cases[] = {
    { NULL, 4 },
    { "", 4 },
    { "   ", 4 },
    { "CAFÉ", 2 },           /* case and accents fold */
    { "cafe", 2 },
    { "naïve", 1 },          /* the note */
    { "NAIVE café", 1 },     /* every word */
    { "Fandom", 2 },         /* the bundle title */
    { "#x", 1 },
    { "absent", 0 },
  };

  add_ok (bookmarks, "b1", "e1", "Café", "Fandom Glossary");
  add_ok (bookmarks, "b1", "e2", "Tea", "Fandom Glossary");
  add_ok (bookmarks, "b2", "e3", "Cafe au lait", "Food");
  add_ok (bookmarks, "b2", "#x", "#x marks", "Food");
  g_assert_true (gloss_bookmarks_set_note (bookmarks, "b1", "e1", "A naive note", &error));
  g_assert_no_error (error);

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GListModel) result = gloss_bookmarks_search (bookmarks, cases[i].query);

      g_assert_cmpuint (g_list_model_get_n_items (result), ==, cases[i].n);
    }

  g_assert_true (gloss_bookmark_matches (bookmark_at (bookmarks, 0), "MARKS"));
  g_assert_false (gloss_bookmark_matches (bookmark_at (bookmarks, 0), "tea"));
}

static void
test_bookmarks_markdown (Fixture       *fixture,
                         gconstpointer  data)
{
  g_autofree char *path = path_in (fixture, "bookmarks.json");
  g_autoptr(GlossBookmarks) bookmarks = gloss_bookmarks_new (path);
  g_autoptr(GError) error = NULL;
  g_autofree char *markdown = NULL;

  add_ok (bookmarks, "b1", "e1", "*Star* [link](x)", "Fandom <Glossary>");
  add_ok (bookmarks, "b2", "e2", "1. Numbered", "Food");
  g_assert_true (gloss_bookmarks_set_note (bookmarks, "b1", "e1",
                                           "First line\n# second\n- third", &error));
  g_assert_no_error (error);

  markdown = gloss_bookmarks_export_markdown (bookmarks);
  g_test_message ("%s", markdown);
  g_assert_cmpstr (markdown, ==,
                   "# Bookmarks\n"
                   "\n"
                   "## Food\n"
                   "\n"
                   "- **1\\. Numbered**\n"
                   "\n"
                   "## Fandom \\<Glossary\\>\n"
                   "\n"
                   "- **\\*Star\\* \\[link\\]\\(x\\)**\n"
                   "  First line\n"
                   "  \\# second\n"
                   "  \\- third\n");
}

static void
test_history_round_trip (Fixture       *fixture,
                         gconstpointer  data)
{
  g_autofree char *path = path_in (fixture, "history.json");
  g_autoptr(GlossHistory) history = gloss_history_new (path);
  g_autoptr(GlossHistory) again = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GlossHistoryItem) first = NULL;
  guint n_items = 0;

  assert_clean_open (gloss_history_get_store (history));
  g_assert_true (gloss_history_get_enabled (history));

  for (guint i = 0; i < G_N_ELEMENTS (hostile_ids); i++)
    {
      g_autoptr(GDateTime) when = utc (2024, 3, 1 + i, 10, 0, 0.25 + i);

      g_assert_true (gloss_history_record (history, "org.example", hostile_ids[i],
                                           hostile_ids[i], "Example", when));
      g_assert_true (gloss_history_record (history, hostile_ids[i], "e", NULL, NULL, when));
    }
  n_items = g_list_model_get_n_items (G_LIST_MODEL (history));
  g_assert_cmpuint (n_items, ==, 2 * G_N_ELEMENTS (hostile_ids));

  /* Newest first. */
  first = g_list_model_get_item (G_LIST_MODEL (history), 0);
  g_assert_cmpint (g_date_time_get_day_of_month (gloss_history_item_get_viewed (first)), ==,
                   G_N_ELEMENTS (hostile_ids));

  /* Off: nothing is recorded, and the switch is saved. */
  gloss_history_set_enabled (history, FALSE);
  g_assert_false (gloss_history_record (history, "org.example", "more", NULL, NULL, NULL));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (history)), ==, n_items);
  flush_ok (gloss_history_get_store (history));

  g_clear_object (&history);
  history = gloss_history_new (path);
  assert_clean_open (gloss_history_get_store (history));
  g_assert_false (gloss_history_get_enabled (history));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (history)), ==, n_items);

  again = gloss_history_new (path);
  g_assert_true (gloss_history_get_read_only (again));
  assert_history_equal (G_LIST_MODEL (history), G_LIST_MODEL (again));
  g_clear_object (&again);

  /* Search the term and bundle title. */
  {
    g_autoptr(GListModel) r1 = gloss_history_search (history, "ÜNÏCØDÉ");
    g_autoptr(GListModel) r2 = gloss_history_search (history, "example");
    g_autoptr(GListModel) r3 = gloss_history_search (history, NULL);

    g_assert_cmpuint (g_list_model_get_n_items (r1), ==, 2);
    g_assert_cmpuint (g_list_model_get_n_items (r2), ==, G_N_ELEMENTS (hostile_ids));
    g_assert_cmpuint (g_list_model_get_n_items (r3), ==, n_items);
  }

  /* Clear, and it stays cleared. */
  gloss_history_set_enabled (history, TRUE);
  g_assert_true (gloss_history_clear (history, &error));
  g_assert_no_error (error);
  flush_ok (gloss_history_get_store (history));
  g_clear_object (&history);
  history = gloss_history_new (path);
  g_assert_true (gloss_history_get_enabled (history));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (history)), ==, 0);
}

static void
test_history_cap_and_days (Fixture       *fixture,
                           gconstpointer  data)
{
  g_autofree char *path = path_in (fixture, "history.json");
  g_autoptr(GlossHistory) history = gloss_history_new (path);
  g_autoptr(GDateTime) base = utc (2020, 1, 1, 0, 0, 0);
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autoptr(GDateTime) yesterday = g_date_time_add_days (now, -1);
  g_autoptr(GDateTime) long_ago = g_date_time_new_local (2021, 7, 4, 12, 0, 0);
  g_autoptr(GlossHistoryItem) newest = NULL;
  g_autoptr(GlossHistoryItem) oldest = NULL;
  g_autofree char *key_today = NULL;
  g_autofree char *key_yesterday = NULL;
  g_autofree char *key_old = NULL;
  g_autofree char *label = NULL;
  guint n;

  /* One view a minute: the oldest go past the cap. */
  for (guint i = 0; i < GLOSS_HISTORY_MAX + 7; i++)
    {
      g_autoptr(GDateTime) when = g_date_time_add_minutes (base, i);
      g_autofree char *id = g_strdup_printf ("e%u", i);

      g_assert_true (gloss_history_record (history, "b", id, NULL, NULL, when));
    }
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (history)), ==, GLOSS_HISTORY_MAX);
  newest = g_list_model_get_item (G_LIST_MODEL (history), 0);
  oldest = g_list_model_get_item (G_LIST_MODEL (history), GLOSS_HISTORY_MAX - 1);
  g_assert_cmpstr (gloss_history_item_get_entry_id (newest), ==, "e5006");
  g_assert_cmpstr (gloss_history_item_get_entry_id (oldest), ==, "e7");

  /* The same entry again on the same day moves up, once per day. */
  g_assert_true (gloss_history_clear (history, NULL));
  g_assert_true (gloss_history_record (history, "b", "x", NULL, NULL, base));
  g_assert_true (gloss_history_record (history, "b", "y", NULL, NULL, NULL));
  g_assert_true (gloss_history_record (history, "b", "x", NULL, NULL, NULL));
  g_assert_true (gloss_history_record (history, "b", "x", NULL, NULL, NULL));
  n = g_list_model_get_n_items (G_LIST_MODEL (history));
  g_assert_cmpuint (n, ==, 3);
  g_clear_object (&newest);
  newest = g_list_model_get_item (G_LIST_MODEL (history), 0);
  g_assert_cmpstr (gloss_history_item_get_entry_id (newest), ==, "x");

  /* Day keys for grouping. */
  key_today = gloss_history_day_key (now, NULL);
  key_yesterday = gloss_history_day_key (yesterday, now);
  key_old = gloss_history_day_key (long_ago, now);
  g_assert_cmpstr (key_today, ==, "today");
  g_assert_cmpstr (key_yesterday, ==, "yesterday");
  g_assert_cmpstr (key_old, ==, "2021-07-04");
  label = gloss_history_day_label (long_ago, now);
  g_assert_cmpstr (label, ==, "Sunday, July 4, 2021");
}

static void
test_library_round_trip (Fixture       *fixture,
                         gconstpointer  data)
{
  g_autofree char *path = path_in (fixture, "library.json");
  g_autofree char *one = path_in (fixture, "one.json");
  g_autofree char *two = path_in (fixture, "two [2].json");
  g_autofree char *moved = path_in (fixture, "moved.json");
  g_autoptr(GlossLibrary) library = NULL;
  g_autoptr(GlossLibrary) again = NULL;
  g_autoptr(GError) error = NULL;
  GlossLibraryItem *item;
  guint n_missing_notify = 0;

  write_file (one, "{}", -1);
  write_file (two, "{}", -1);

  library = gloss_library_new (path);
  assert_clean_open (gloss_library_get_store (library));
  g_assert_null (gloss_library_get_last (library));

  g_assert_true (gloss_library_touch (library, "org.example.one", one, "One", 48, &error));
  g_usleep (2000);
  g_assert_true (gloss_library_touch (library, two, two, NULL, 3, &error));
  g_usleep (2000);
  g_assert_true (gloss_library_touch (library, "a=b", moved, "Moved #1", 0, &error));
  g_assert_no_error (error);
  g_assert_false (gloss_library_touch (library, "rel", "relative.json", NULL, 0, &error));
  g_assert_error (error, GLOSS_STORE_ERROR, GLOSS_STORE_ERROR_INVALID);
  g_clear_error (&error);

  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (library)), ==, 3);
  item = gloss_library_get_last (library);
  g_assert_cmpstr (gloss_library_item_get_key (item), ==, "a=b");
  g_assert_true (gloss_library_item_get_missing (item));
  item = gloss_library_lookup (library, two);
  g_assert_cmpstr (gloss_library_item_get_title (item), ==, "two [2].json");
  g_assert_false (gloss_library_item_get_missing (item));

  flush_ok (gloss_library_get_store (library));
  g_clear_object (&library);

  /* A bundle that vanished is kept, shown as missing. */
  g_unlink (one);
  library = gloss_library_new (path);
  assert_clean_open (gloss_library_get_store (library));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (library)), ==, 3);
  item = gloss_library_lookup (library, "org.example.one");
  g_assert_nonnull (item);
  g_assert_true (gloss_library_item_get_missing (item));
  g_assert_cmpuint (gloss_library_item_get_n_entries (item), ==, 48);
  g_assert_cmpstr (gloss_library_item_get_title (item), ==, "One");

  again = gloss_library_new (path);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (again)), ==, 3);
  for (guint i = 0; i < 3; i++)
    {
      g_autoptr(GlossLibraryItem) x = g_list_model_get_item (G_LIST_MODEL (library), i);
      g_autoptr(GlossLibraryItem) y = g_list_model_get_item (G_LIST_MODEL (again), i);

      g_assert_true (gloss_library_item_equal (x, y));
    }
  g_clear_object (&again);

  /* It comes back where it was: noticed on the next check. */
  item = gloss_library_lookup (library, "a=b");
  g_signal_connect (item, "notify::missing", G_CALLBACK (count_notify), &n_missing_notify);
  write_file (moved, "{}", -1);
  gloss_library_check_missing (library);
  g_assert_false (gloss_library_item_get_missing (item));
  g_assert_cmpuint (n_missing_notify, ==, 1);

  /* Opened from a new place: same key, new path, first again. */
  g_assert_true (gloss_library_touch (library, "org.example.one", two, "One", 50, &error));
  item = gloss_library_get_last (library);
  g_assert_cmpstr (gloss_library_item_get_path (item), ==, two);
  g_assert_false (gloss_library_item_get_missing (item));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (library)), ==, 3);

  /* Only the user removes. */
  g_assert_true (gloss_library_remove (library, "a=b", &error));
  g_assert_no_error (error);
  g_assert_null (gloss_library_lookup (library, "a=b"));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (library)), ==, 2);
}

/* The debounced save writes in a thread, without a flush. */
static void
test_debounced_save (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autofree char *path = path_in (fixture, "bookmarks.json");
  g_autoptr(GlossBookmarks) bookmarks = gloss_bookmarks_new (path);
  GlossStore *store = gloss_bookmarks_get_store (bookmarks);
  g_autoptr(GlossBookmarks) reader = NULL;
  gint64 deadline;

  for (guint i = 0; i < 50; i++)
    {
      g_autofree char *id = g_strdup_printf ("e%u", i);

      add_ok (bookmarks, "b", id, NULL, NULL);
    }
  g_assert_true (gloss_store_get_dirty (store));
  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));

  deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;
  while (gloss_store_get_dirty (store) && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  g_assert_false (gloss_store_get_dirty (store));

  reader = gloss_bookmarks_new (path);
  assert_bookmarks_equal (G_LIST_MODEL (bookmarks), G_LIST_MODEL (reader));
}

/* A save that fails in the worker thread is reported once, and a later
 * flush that succeeds clears the flag. */
static void
test_save_failed_signal (Fixture       *fixture,
                         gconstpointer  data)
{
  g_autofree char *sub = path_in (fixture, "sub");
  g_autofree char *path = path_in (fixture, "sub/bookmarks.json");
  g_autoptr(GlossBookmarks) bookmarks = gloss_bookmarks_new (path);
  GlossStore *store = gloss_bookmarks_get_store (bookmarks);
  g_autoptr(GError) error = NULL;
  guint n_failed = 0;
  gint64 deadline;

  g_signal_connect (store, "save-failed", G_CALLBACK (count_save_failed), &n_failed);
  add_ok (bookmarks, "b", "one", NULL, NULL);
  flush_ok (store);

  /* The directory becomes a file: nothing can be written there. */
  remove_tree (sub);
  write_file (sub, "not a directory", -1);

  add_ok (bookmarks, "b", "two", NULL, NULL);
  deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;
  while (!gloss_store_get_failing (store) && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  g_assert_true (gloss_store_get_failing (store));
  g_assert_true (gloss_store_get_dirty (store));
  g_assert_cmpuint (n_failed, ==, 1);

  /* Still failing: an error, but no second signal. */
  g_assert_false (gloss_store_flush (store, &error));
  g_assert_error (error, GLOSS_STORE_ERROR, GLOSS_STORE_ERROR_IO);
  g_test_message ("save error: %s", error->message);
  g_clear_error (&error);
  g_assert_cmpuint (n_failed, ==, 1);

  g_unlink (sub);
  flush_ok (store);
  g_assert_false (gloss_store_get_failing (store));
}

/* ---- Hostile imports ---------------------------------------------------- */

#define HEADER "{\"format\": \"gloss-bookmarks\", \"version\": 1, "
#define GOOD "{\"bundle\": \"b\", \"entry\": \"new\", \"created\": \"2024-01-01T00:00:00Z\"}"

static void
assert_refused (GlossBookmarks *bookmarks,
                GBytes         *bytes,
                int             code)
{
  g_autoptr(GBytes) before = gloss_bookmarks_export_json (bookmarks);
  g_autoptr(GBytes) after = NULL;
  g_autoptr(GError) error = NULL;
  guint n_added = 99;

  g_assert_false (gloss_bookmarks_import (bookmarks, bytes, &n_added, &error));
  g_assert_error (error, GLOSS_STORE_ERROR, code);
  g_assert_cmpstr (error->message, !=, "");
  g_assert_cmpuint (n_added, ==, 0);
  g_test_message ("refused: %s", error->message);

  after = gloss_bookmarks_export_json (bookmarks);
  g_assert_true (g_bytes_equal (before, after));
  g_assert_false (gloss_store_get_dirty (gloss_bookmarks_get_store (bookmarks)));
}

static void
assert_refused_text (GlossBookmarks *bookmarks,
                     const char     *text,
                     int             code)
{
  g_autoptr(GBytes) bytes = g_bytes_new (text, strlen (text));

  assert_refused (bookmarks, bytes, code);
}

static void
test_import_hostile (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autofree char *path = path_in (fixture, "bookmarks.json");
  g_autofree char *huge = path_in (fixture, "huge.json");
  g_autofree char *fifo = path_in (fixture, "fifo.json");
  g_autoptr(GlossBookmarks) bookmarks = gloss_bookmarks_new (path);
  g_autoptr(GError) error = NULL;
  g_autoptr(GFile) file = NULL;
  g_autoptr(GBytes) before = NULL;
  g_autoptr(GBytes) after = NULL;
  g_autofree char *long_note = NULL;
  g_autofree char *text = NULL;
  GString *deep;
  GString *many;
  int fd;
  const struct { const char *json; int code; } cases[] = {
    { "", GLOSS_STORE_ERROR_INVALID },
    { "hello", GLOSS_STORE_ERROR_INVALID },
    { "[]", GLOSS_STORE_ERROR_INVALID },
    { "\"gloss-bookmarks\"", GLOSS_STORE_ERROR_INVALID },
    { "{}", GLOSS_STORE_ERROR_INVALID },
    { "{\"format\": \"gloss-history\", \"version\": 1, \"history\": []}",
      GLOSS_STORE_ERROR_INVALID },
    { "{\"format\": 7, \"version\": 1}", GLOSS_STORE_ERROR_INVALID },
    { "{\"format\": \"gloss-bookmarks\"}", GLOSS_STORE_ERROR_INVALID },
    { "{\"format\": \"gloss-bookmarks\", \"version\": \"1\"}", GLOSS_STORE_ERROR_INVALID },
    { "{\"format\": \"gloss-bookmarks\", \"version\": 1.0}", GLOSS_STORE_ERROR_INVALID },
    { "{\"format\": \"gloss-bookmarks\", \"version\": 0}", GLOSS_STORE_ERROR_INVALID },
    { "{\"format\": \"gloss-bookmarks\", \"version\": 99999999999999999999}",
      GLOSS_STORE_ERROR_INVALID },
    { "{\"format\": \"gloss-bookmarks\", \"version\": 2, \"bookmarks\": []}",
      GLOSS_STORE_ERROR_NEWER_VERSION },
    { HEADER "\"bookmarks\": {}}", GLOSS_STORE_ERROR_INVALID },
    { HEADER "\"bookmarks\": \"not a list\"}", GLOSS_STORE_ERROR_INVALID },
    { HEADER "\"bookmarks\": [1]}", GLOSS_STORE_ERROR_INVALID },
    { HEADER "\"bookmarks\": [[]]}", GLOSS_STORE_ERROR_INVALID },
    { HEADER "\"bookmarks\": [{\"bundle\": \"b\", \"entry\": 5, "
      "\"created\": \"2024-01-01T00:00:00Z\"}]}", GLOSS_STORE_ERROR_INVALID },
    { HEADER "\"bookmarks\": [{\"bundle\": \"b\", \"entry\": \"\", "
      "\"created\": \"2024-01-01T00:00:00Z\"}]}", GLOSS_STORE_ERROR_INVALID },
    { HEADER "\"bookmarks\": [{\"bundle\": \"b\", \"entry\": \"e\"}]}",
      GLOSS_STORE_ERROR_INVALID },
    { HEADER "\"bookmarks\": [{\"bundle\": \"b\", \"entry\": \"e\", "
      "\"created\": \"yesterday\"}]}", GLOSS_STORE_ERROR_INVALID },
    { HEADER "\"bookmarks\": [{\"bundle\": \"b\", \"entry\": \"e\", "
      "\"created\": \"2024-01-01T00:00:00\"}]}", GLOSS_STORE_ERROR_INVALID },
    { HEADER "\"bookmarks\": [{\"bundle\": \"b\", \"entry\": \"e\", "
      "\"created\": 1704067200}]}", GLOSS_STORE_ERROR_INVALID },
    { HEADER "\"bookmarks\": [{\"bundle\": \"b\", \"entry\": \"e\", "
      "\"created\": \"0001-01-01T00:00:00+01:00\"}]}", GLOSS_STORE_ERROR_INVALID },
    { HEADER "\"bookmarks\": [{\"bundle\": \"b\", \"entry\": \"e\", \"note\": [\"x\"], "
      "\"created\": \"2024-01-01T00:00:00Z\"}]}", GLOSS_STORE_ERROR_INVALID },
    { HEADER "\"bookmarks\": [{\"bundle\": \"b\", \"entry\": \"e\", \"term\": true, "
      "\"created\": \"2024-01-01T00:00:00Z\"}]}", GLOSS_STORE_ERROR_INVALID },
    /* One bad item among good ones: nothing is taken. */
    { HEADER "\"bookmarks\": [" GOOD ", " GOOD ", {\"bundle\": null, \"entry\": \"e\", "
      "\"created\": \"2024-01-01T00:00:00Z\"}]}", GLOSS_STORE_ERROR_INVALID },
    /* Strict JSON. */
    { HEADER "\"bookmarks\": [" GOOD ",]}", GLOSS_STORE_ERROR_INVALID },
    { HEADER "\"bookmarks\": [" GOOD "]} // comment", GLOSS_STORE_ERROR_INVALID },
    { HEADER "\"bookmarks\": [" GOOD "]} {}", GLOSS_STORE_ERROR_INVALID },
    { HEADER "\"bookmarks\": [], \"bookmarks\": [" GOOD "]}", GLOSS_STORE_ERROR_INVALID },
    { "{\"format\": \"gloss-bookmarks\", \"format\": \"gloss-bookmarks\", \"version\": 1}",
      GLOSS_STORE_ERROR_INVALID },
    { HEADER "\"bookmarks\": [{\"bundle\": \"b\", \"entry\": \"e\", \"entry\": \"f\", "
      "\"created\": \"2024-01-01T00:00:00Z\"}]}", GLOSS_STORE_ERROR_INVALID },
    { HEADER "\"bookmarks\": [{\"bundle\": \"b\", \"entry\": \"\\u0000\", "
      "\"created\": \"2024-01-01T00:00:00Z\"}]}", GLOSS_STORE_ERROR_INVALID },
    { HEADER "\"bookmarks\": [{\"bundle\": \"b\", \"entry\": \"\\ud800\", "
      "\"created\": \"2024-01-01T00:00:00Z\"}]}", GLOSS_STORE_ERROR_INVALID },
    { HEADER "\"bookmarks\": [{\"bundle\": \"b\", \"entry\": \"\xff\xfe\", "
      "\"created\": \"2024-01-01T00:00:00Z\"}]}", GLOSS_STORE_ERROR_INVALID },
    { HEADER "\"bookmarks\": [{\"bundle\": \"b\", \"entry\": \"\xc3\", "
      "\"created\": \"2024-01-01T00:00:00Z\"}]}", GLOSS_STORE_ERROR_INVALID },
    { HEADER "\"bookmarks\": [{\"bundle\": \"b\", \"entry\": \"\xed\xa0\x80\", "
      "\"created\": \"2024-01-01T00:00:00Z\"}]}", GLOSS_STORE_ERROR_INVALID },
    { HEADER "\"bookmarks\": [{\"bundle\": \"b\", \"entry\": \"raw\ttab\", "
      "\"created\": \"2024-01-01T00:00:00Z\"}]}", GLOSS_STORE_ERROR_INVALID },
  };

  add_ok (bookmarks, "b", "kept", "Kept", "B");
  add_ok (bookmarks, "b", "a=b", "A", "B");
  flush_ok (gloss_bookmarks_get_store (bookmarks));
  before = read_bytes (path);

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    assert_refused_text (bookmarks, cases[i].json, cases[i].code);

  /* Deep nesting, in a member nobody reads. */
  deep = g_string_new (HEADER "\"x\": ");
  for (guint i = 0; i < 100000; i++)
    g_string_append_c (deep, '[');
  for (guint i = 0; i < 100000; i++)
    g_string_append_c (deep, ']');
  g_string_append (deep, "}");
  assert_refused_text (bookmarks, deep->str, GLOSS_STORE_ERROR_INVALID);
  g_string_free (deep, TRUE);

  /* Too many items. */
  many = g_string_new (HEADER "\"bookmarks\": [");
  for (guint i = 0; i <= GLOSS_BOOKMARKS_MAX; i++)
    g_string_append (many, i == 0 ? "{}" : ",{}");
  g_string_append (many, "]}");
  assert_refused_text (bookmarks, many->str, GLOSS_STORE_ERROR_INVALID);
  g_string_free (many, TRUE);

  /* A note over the limit. */
  long_note = g_strnfill (GLOSS_STORE_MAX_NOTE + 1, 'n');
  text = g_strdup_printf (HEADER "\"bookmarks\": [{\"bundle\": \"b\", \"entry\": \"e\", "
                          "\"note\": \"%s\", \"created\": \"2024-01-01T00:00:00Z\"}]}",
                          long_note);
  assert_refused_text (bookmarks, text, GLOSS_STORE_ERROR_INVALID);

  /* Bytes over the size limit, in memory... */
  {
    gsize size = GLOSS_STORE_MAX_FILE_SIZE + 1;
    char *big = g_malloc (size);
    g_autoptr(GBytes) bytes = NULL;

    memset (big, ' ', size);
    big[0] = '{';
    big[size - 1] = '}';
    bytes = g_bytes_new_take (big, size);
    assert_refused (bookmarks, bytes, GLOSS_STORE_ERROR_TOO_LARGE);
  }

  /* ...and a 100 MB file, refused before it is read. */
  fd = g_open (huge, O_WRONLY | O_CREAT | O_TRUNC, 0600);
  g_assert_cmpint (fd, >=, 0);
  g_assert_cmpint (ftruncate (fd, 100 * 1024 * 1024), ==, 0);
  close (fd);
  file = g_file_new_for_path (huge);
  g_assert_false (gloss_bookmarks_import_file (bookmarks, file, NULL, &error));
  g_assert_error (error, GLOSS_STORE_ERROR, GLOSS_STORE_ERROR_TOO_LARGE);
  g_test_message ("refused: %s", error->message);
  g_clear_error (&error);
  g_clear_object (&file);

  /* Not a regular file: a FIFO (opening it would block) and a directory. */
  g_assert_cmpint (mkfifo (fifo, 0600), ==, 0);
  file = g_file_new_for_path (fifo);
  g_assert_false (gloss_bookmarks_import_file (bookmarks, file, NULL, &error));
  g_assert_error (error, GLOSS_STORE_ERROR, GLOSS_STORE_ERROR_IO);
  g_clear_error (&error);
  g_clear_object (&file);
  file = g_file_new_for_path (fixture->dir);
  g_assert_false (gloss_bookmarks_import_file (bookmarks, file, NULL, &error));
  g_assert_error (error, GLOSS_STORE_ERROR, GLOSS_STORE_ERROR_IO);
  g_clear_error (&error);

  /* Nothing changed on disk either. */
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (bookmarks)), ==, 2);
  flush_ok (gloss_bookmarks_get_store (bookmarks));
  after = read_bytes (path);
  g_assert_true (g_bytes_equal (before, after));
}

static void
test_import_hostile_history (Fixture       *fixture,
                             gconstpointer  data)
{
  g_autofree char *path = path_in (fixture, "history.json");
  g_autoptr(GlossHistory) history = gloss_history_new (path);
  g_autoptr(GBytes) before = NULL;
  const char *cases[] = {
    "{\"format\": \"gloss-bookmarks\", \"version\": 1}",
    "{\"format\": \"gloss-history\", \"version\": 1, \"enabled\": \"yes\"}",
    "{\"format\": \"gloss-history\", \"version\": 1, \"history\": [{\"bundle\": \"b\", "
    "\"entry\": \"e\", \"viewed\": \"2024-13-45T00:00:00Z\"}]}",
    "{\"format\": \"gloss-history\", \"version\": 1, \"history\": [{\"bundle\": \"b\", "
    "\"entry\": \"e\", \"viewed\": \"2024-01-01T00:00:00Z\"}, 7]}",
    "{\"format\": \"gloss-history\", \"version\": 1, \"history\": [{\"bundle\": \"b\", "
    "\"entry\": \"\xf0\x28\x8c\x28\", \"viewed\": \"2024-01-01T00:00:00Z\"}]}",
  };

  g_assert_true (gloss_history_record (history, "b", "e", NULL, NULL, NULL));
  before = gloss_history_export_json (history);

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GBytes) bytes = g_bytes_new_static (cases[i], strlen (cases[i]));
      g_autoptr(GBytes) after = NULL;
      g_autoptr(GError) error = NULL;

      g_assert_false (gloss_history_import (history, bytes, NULL, &error));
      g_assert_error (error, GLOSS_STORE_ERROR, GLOSS_STORE_ERROR_INVALID);
      g_test_message ("refused: %s", error->message);
      after = gloss_history_export_json (history);
      g_assert_true (g_bytes_equal (before, after));
    }
}

static void
test_import_merge (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autofree char *path = path_in (fixture, "bookmarks.json");
  g_autofree char *other_path = path_in (fixture, "other/bookmarks.json");
  g_autofree char *history_path = path_in (fixture, "history.json");
  g_autofree char *other_history_path = path_in (fixture, "other/history.json");
  g_autofree char *export_path = path_in (fixture, "export.json");
  g_autoptr(GlossBookmarks) bookmarks = gloss_bookmarks_new (path);
  g_autoptr(GlossBookmarks) other = gloss_bookmarks_new (other_path);
  g_autoptr(GlossHistory) history = gloss_history_new (history_path);
  g_autoptr(GlossHistory) other_history = gloss_history_new (other_history_path);
  g_autoptr(GBytes) exported = NULL;
  g_autoptr(GFile) file = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GDateTime) base = utc (2023, 5, 1, 8, 0, 0);
  guint n_added = 0;

  add_ok (bookmarks, "b", "mine", "Mine", NULL);
  add_ok (bookmarks, "b", "both", "Both", NULL);
  add_ok (bookmarks, "b", "noted", "Noted", NULL);
  g_assert_true (gloss_bookmarks_set_note (bookmarks, "b", "noted", "my note", &error));

  add_ok (other, "b", "both", "Both elsewhere", NULL);
  add_ok (other, "b", "noted", "Noted", NULL);
  add_ok (other, "c", "#x", "Theirs", NULL);
  g_assert_true (gloss_bookmarks_set_note (other, "b", "both", "their note", &error));
  g_assert_true (gloss_bookmarks_set_note (other, "b", "noted", "their other note", &error));
  g_assert_no_error (error);

  /* Through a file, as between machines. */
  exported = gloss_bookmarks_export_json (other);
  write_file (export_path, g_bytes_get_data (exported, NULL), g_bytes_get_size (exported));
  file = g_file_new_for_path (export_path);
  g_assert_true (gloss_bookmarks_import_file (bookmarks, file, &n_added, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (n_added, ==, 2);   /* #x new, "both" gains a note */
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (bookmarks)), ==, 4);
  g_assert_cmpstr (gloss_bookmark_get_note (gloss_bookmarks_lookup (bookmarks, "b", "both")),
                   ==, "their note");
  g_assert_cmpstr (gloss_bookmark_get_term (gloss_bookmarks_lookup (bookmarks, "b", "both")),
                   ==, "Both");
  g_assert_cmpstr (gloss_bookmark_get_note (gloss_bookmarks_lookup (bookmarks, "b", "noted")),
                   ==, "my note");
  g_assert_true (gloss_bookmarks_has (bookmarks, "c", "#x"));

  /* Importing again adds nothing. */
  g_assert_true (gloss_bookmarks_import (bookmarks, exported, &n_added, &error));
  g_assert_cmpuint (n_added, ==, 0);

  /* The import is saved. */
  flush_ok (gloss_bookmarks_get_store (bookmarks));
  g_clear_object (&bookmarks);
  bookmarks = gloss_bookmarks_new (path);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (bookmarks)), ==, 4);

  /* History: union, newest first, capped. */
  for (guint i = 0; i < 10; i++)
    {
      g_autoptr(GDateTime) when = g_date_time_add_hours (base, 24 * i);
      g_autofree char *id = g_strdup_printf ("e%u", i);

      g_assert_true (gloss_history_record (i % 2 ? history : other_history, "b", id, NULL,
                                           NULL, when));
      if (i == 4)
        g_assert_true (gloss_history_record (history, "b", id, NULL, NULL, when));
    }
  g_clear_pointer (&exported, g_bytes_unref);
  exported = gloss_history_export_json (other_history);
  g_assert_true (gloss_history_import (history, exported, &n_added, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (n_added, ==, 4);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (history)), ==, 10);
  for (guint i = 0; i < 10; i++)
    {
      g_autoptr(GlossHistoryItem) item = g_list_model_get_item (G_LIST_MODEL (history), i);
      g_autofree char *id = g_strdup_printf ("e%u", 9 - i);

      g_assert_cmpstr (gloss_history_item_get_entry_id (item), ==, id);
    }
}

/* ---- Damage and concurrency --------------------------------------------- */

static void
assert_quarantined (Fixture    *fixture,
                    const char *contents,
                    gssize      length,
                    int         code)
{
  g_autofree char *path = path_in (fixture, "bookmarks.json");
  g_autoptr(GlossBookmarks) bookmarks = NULL;
  g_autoptr(GBytes) original = NULL;
  g_autoptr(GBytes) backup = NULL;
  g_autoptr(GBytes) saved = NULL;
  GlossStore *store;
  const GError *load_error;
  const char *backup_path;

  write_file (path, contents, length);
  original = read_bytes (path);

  bookmarks = gloss_bookmarks_new (path);
  store = gloss_bookmarks_get_store (bookmarks);
  load_error = gloss_store_get_load_error (store);

  g_assert_true (gloss_store_get_corrupt (store));
  g_assert_false (gloss_store_get_read_only (store));
  g_assert_error ((GError *)load_error, GLOSS_STORE_ERROR, code);
  g_test_message ("notice: %s", load_error->message);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (bookmarks)), ==, 0);

  /* Renamed aside, byte for byte; the original name is free. */
  backup_path = gloss_store_get_backup_path (store);
  g_assert_nonnull (backup_path);
  g_assert_true (g_str_has_prefix (backup_path, path));
  g_assert_true (g_regex_match_simple ("\\.corrupt-[0-9]{8}-[0-9]{6}(-[0-9]+)?$",
                                       backup_path, 0, 0));
  g_assert_nonnull (strstr (load_error->message, "corrupt-"));
  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));
  backup = read_bytes (backup_path);
  g_assert_true (g_bytes_equal (original, backup));

  /* Work goes on, and saving does not touch the backup. */
  add_ok (bookmarks, "b", "after", NULL, NULL);
  flush_ok (store);
  saved = read_bytes (backup_path);
  g_assert_true (g_bytes_equal (original, saved));

  g_clear_object (&bookmarks);
  bookmarks = gloss_bookmarks_new (path);
  assert_clean_open (gloss_bookmarks_get_store (bookmarks));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (bookmarks)), ==, 1);
  g_clear_object (&bookmarks);
  g_unlink (path);
}

static void
test_corrupt (Fixture       *fixture,
              gconstpointer  data)
{
  g_autofree char *path = path_in (fixture, "bookmarks.json");
  g_autofree char *listing = NULL;
  char *big;

  assert_quarantined (fixture, "{\"format\": \"gloss-bookmarks\", \"version\": 1, \"bookm", -1,
                      GLOSS_STORE_ERROR_INVALID);
  assert_quarantined (fixture, "", 0, GLOSS_STORE_ERROR_INVALID);
  assert_quarantined (fixture, "\0\0\0\0", 4, GLOSS_STORE_ERROR_INVALID);
  assert_quarantined (fixture, "{\"format\": \"gloss-bookmarks\", \"version\": 1, "
                      "\"bookmarks\": 5}", -1, GLOSS_STORE_ERROR_INVALID);
  assert_quarantined (fixture, "{\"format\": \"gloss-library\", \"version\": 1}", -1,
                      GLOSS_STORE_ERROR_INVALID);
  assert_quarantined (fixture, "{\"format\": \"gloss-bookmarks\", \"version\": 1, "
                      "\"bookmarks\": [{\"bundle\": \"b\", \"entry\": \"\xc0\xaf\", "
                      "\"created\": \"2024-01-01T00:00:00Z\"}]}", -1,
                      GLOSS_STORE_ERROR_INVALID);

  /* Too big to be ours: not even read. */
  big = g_malloc (GLOSS_STORE_MAX_FILE_SIZE + 10);
  memset (big, ' ', GLOSS_STORE_MAX_FILE_SIZE + 10);
  assert_quarantined (fixture, big, GLOSS_STORE_MAX_FILE_SIZE + 10,
                      GLOSS_STORE_ERROR_TOO_LARGE);
  g_free (big);

  /* Several backups in the same second do not overwrite each other. */
  listing = list_dir (fixture->dir);
  g_test_message ("%s", listing);
  {
    g_auto(GStrv) names = g_strsplit (listing, " ", -1);
    guint n_backups = 0;

    for (guint i = 0; names[i] != NULL; i++)
      if (strstr (names[i], ".corrupt-") != NULL)
        n_backups++;
    g_assert_cmpuint (n_backups, ==, 7);
  }

  /* The file is a directory: it cannot be read, so it is left alone and
   * the store is read-only. */
  g_assert_cmpint (g_mkdir (path, 0700), ==, 0);
  {
    g_autoptr(GlossBookmarks) bookmarks = gloss_bookmarks_new (path);
    GlossStore *store = gloss_bookmarks_get_store (bookmarks);
    g_autoptr(GError) error = NULL;

    g_assert_true (gloss_store_get_read_only (store));
    g_assert_false (gloss_store_get_corrupt (store));
    g_assert_error ((GError *)gloss_store_get_load_error (store),
                    GLOSS_STORE_ERROR, GLOSS_STORE_ERROR_IO);
    g_test_message ("notice: %s", gloss_store_get_load_error (store)->message);
    g_assert_false (gloss_bookmarks_add (bookmarks, "b", "e", NULL, NULL, &error));
    g_assert_error (error, GLOSS_STORE_ERROR, GLOSS_STORE_ERROR_READ_ONLY);
  }
  g_assert_true (g_file_test (path, G_FILE_TEST_IS_DIR));
  g_rmdir (path);
}

static void
test_newer_version (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autofree char *path = path_in (fixture, "bookmarks.json");
  const char *newer = "{\"format\": \"gloss-bookmarks\", \"version\": 2, \"colour\": \"red\", "
                      "\"bookmarks\": [{\"bundle\": \"b\", \"entry\": \"e\", \"stars\": 5, "
                      "\"created\": \"2024-01-01T00:00:00+02:00\"}]}";
  g_autoptr(GlossBookmarks) bookmarks = NULL;
  g_autoptr(GBytes) after = NULL;
  g_autoptr(GError) error = NULL;
  GlossStore *store;

  write_file (path, newer, -1);
  bookmarks = gloss_bookmarks_new (path);
  store = gloss_bookmarks_get_store (bookmarks);

  /* Shown, never written over. */
  g_assert_true (gloss_store_get_read_only (store));
  g_assert_false (gloss_store_get_corrupt (store));
  g_assert_error ((GError *)gloss_store_get_load_error (store),
                  GLOSS_STORE_ERROR, GLOSS_STORE_ERROR_NEWER_VERSION);
  g_assert_true (gloss_bookmarks_has (bookmarks, "b", "e"));
  g_assert_false (gloss_bookmarks_remove (bookmarks, "b", "e", &error));
  g_assert_error (error, GLOSS_STORE_ERROR, GLOSS_STORE_ERROR_READ_ONLY);
  g_clear_error (&error);
  flush_ok (store);
  g_clear_object (&bookmarks);

  after = read_bytes (path);
  g_assert_cmpmem (g_bytes_get_data (after, NULL), g_bytes_get_size (after),
                   newer, strlen (newer));
}

static void
test_stale_temporaries (Fixture       *fixture,
                        gconstpointer  data)
{
  g_autofree char *path = path_in (fixture, "bookmarks.json");
  g_autoptr(GlossBookmarks) bookmarks = NULL;
  g_autofree char *listing = NULL;
  const char *stale[] = { "bookmarks.json.Ab12Cd", "bookmarks.json.ZZZZZZ",
                          "bookmarks.json.000000" };
  const char *kept[] = { "bookmarks.json.corrupt-20240101-000000", "bookmarks.json.tmp",
                         "bookmarks.json.Ab12Cd7", "bookmarks.json.Ab-2Cd", "history.json.Ab12Cd",
                         "bookmarks.jsonXAb12Cd" };

  write_file (path, "{\"format\": \"gloss-bookmarks\", \"version\": 1}", -1);
  for (guint i = 0; i < G_N_ELEMENTS (stale); i++)
    {
      g_autofree char *p = path_in (fixture, stale[i]);

      write_file (p, "{\"format\": \"gloss-bookm", -1);
    }
  for (guint i = 0; i < G_N_ELEMENTS (kept); i++)
    {
      g_autofree char *p = path_in (fixture, kept[i]);

      write_file (p, "keep", -1);
    }

  bookmarks = gloss_bookmarks_new (path);
  assert_clean_open (gloss_bookmarks_get_store (bookmarks));

  listing = list_dir (fixture->dir);
  g_assert_cmpstr (listing, ==,
                   "bookmarks.json bookmarks.json.Ab-2Cd bookmarks.json.Ab12Cd7 "
                   "bookmarks.json.corrupt-20240101-000000 bookmarks.json.lock "
                   "bookmarks.json.tmp bookmarks.jsonXAb12Cd history.json.Ab12Cd");
}

static void
test_lock (Fixture       *fixture,
           gconstpointer  data)
{
  g_autofree char *path = path_in (fixture, "bookmarks.json");
  g_autofree char *stale = path_in (fixture, "bookmarks.json.Ab12Cd");
  g_autoptr(GlossBookmarks) first = gloss_bookmarks_new (path);
  g_autoptr(GlossBookmarks) second = NULL;
  g_autoptr(GlossBookmarks) third = NULL;
  g_autoptr(GError) error = NULL;
  GlossStore *store;
  int ready[2];
  int release[2];
  pid_t pid;
  char byte = 0;
  int status;

  add_ok (first, "b", "one", NULL, NULL);
  flush_ok (gloss_bookmarks_get_store (first));
  write_file (stale, "x", -1);

  /* Same process, same file: the second is read-only and says why. */
  second = gloss_bookmarks_new (path);
  store = gloss_bookmarks_get_store (second);
  g_assert_true (gloss_store_get_read_only (store));
  g_assert_true (gloss_bookmarks_get_read_only (second));
  g_assert_error ((GError *)gloss_store_get_load_error (store),
                  GLOSS_STORE_ERROR, GLOSS_STORE_ERROR_LOCKED);
  g_test_message ("notice: %s", gloss_store_get_load_error (store)->message);
  g_assert_true (gloss_bookmarks_has (second, "b", "one"));
  g_assert_false (gloss_bookmarks_add (second, "b", "two", NULL, NULL, &error));
  g_assert_error (error, GLOSS_STORE_ERROR, GLOSS_STORE_ERROR_READ_ONLY);
  g_clear_error (&error);
  g_assert_false (gloss_bookmarks_clear (second, &error));
  g_assert_error (error, GLOSS_STORE_ERROR, GLOSS_STORE_ERROR_READ_ONLY);
  g_clear_error (&error);
  /* Not the lock holder: a temporary file may be live, so it stays. */
  g_assert_true (g_file_test (stale, G_FILE_TEST_EXISTS));
  g_clear_object (&second);

  /* The holder goes away: the next one may write. */
  g_clear_object (&first);
  third = gloss_bookmarks_new (path);
  assert_clean_open (gloss_bookmarks_get_store (third));
  g_clear_object (&third);

  /* Another process holds it. */
  g_assert_cmpint (pipe (ready), ==, 0);
  g_assert_cmpint (pipe (release), ==, 0);
  pid = fork ();
  g_assert_cmpint (pid, >=, 0);
  if (pid == 0)
    {
      GlossBookmarks *holder = gloss_bookmarks_new (path);

      /* Says "w" when it holds the lock, then waits. */
      if (write (ready[1], gloss_bookmarks_get_read_only (holder) ? "r" : "w", 1) != 1 ||
          read (release[0], &byte, 1) != 1)
        _exit (3);
      _exit (0);
    }
  g_assert_cmpint (read (ready[0], &byte, 1), ==, 1);
  g_assert_cmpint (byte, ==, 'w');
  second = gloss_bookmarks_new (path);
  g_assert_error ((GError *)gloss_store_get_load_error (gloss_bookmarks_get_store (second)),
                  GLOSS_STORE_ERROR, GLOSS_STORE_ERROR_LOCKED);
  g_assert_true (gloss_bookmarks_has (second, "b", "one"));
  g_clear_object (&second);
  g_assert_cmpint (write (release[1], "x", 1), ==, 1);
  g_assert_cmpint (waitpid (pid, &status, 0), ==, pid);
  close (ready[0]);
  close (ready[1]);
  close (release[0]);
  close (release[1]);
}

/* ---- Full disk and read-only directory ---------------------------------- */

#define SKIP_PREFIX "SKIP: "
#define PASSED      "PASSED"

static gboolean
write_proc (const char *path,
            const char *text)
{
  int fd = open (path, O_WRONLY | O_CLOEXEC);
  gboolean ok;

  if (fd < 0)
    return FALSE;
  ok = write (fd, text, strlen (text)) == (gssize)strlen (text);
  close (fd);
  return ok;
}

/* In a forked child: a private mount namespace (as root, or as anyone
 * through a user namespace) with a small tmpfs on @target. */
static gboolean
mount_private_tmpfs (const char  *target,
                     const char  *options,
                     char       **reason)
{
  if (unshare (CLONE_NEWNS) != 0)
    {
      uid_t uid = getuid ();
      gid_t gid = getgid ();
      g_autofree char *uid_map = g_strdup_printf ("0 %u 1", (guint)uid);
      g_autofree char *gid_map = g_strdup_printf ("0 %u 1", (guint)gid);

      if (unshare (CLONE_NEWUSER | CLONE_NEWNS) != 0)
        {
          *reason = g_strdup_printf ("no mount namespace: %s", g_strerror (errno));
          return FALSE;
        }
      write_proc ("/proc/self/setgroups", "deny");
      if (!write_proc ("/proc/self/uid_map", uid_map) ||
          !write_proc ("/proc/self/gid_map", gid_map))
        {
          *reason = g_strdup ("cannot map ids in a user namespace");
          return FALSE;
        }
    }

  if (mount (NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) != 0 ||
      mount ("tmpfs", target, "tmpfs", MS_NOSUID | MS_NODEV, options) != 0)
    {
      *reason = g_strdup_printf ("cannot mount a tmpfs: %s", g_strerror (errno));
      return FALSE;
    }

  return TRUE;
}

typedef void (*ChildFunc) (const char *mount_point);

/* Runs @func in a child with a tmpfs mounted on a fresh directory; skips
 * with the child's reason when it cannot mount. The child uses only
 * synchronous saves: threads do not survive fork(). */
static void
run_in_tmpfs (Fixture    *fixture,
              const char *options,
              ChildFunc   func)
{
  g_autofree char *mount_point = path_in (fixture, "mnt");
  char reason[512] = { 0 };
  int fds[2];
  pid_t pid;
  int status;

  g_assert_cmpint (g_mkdir (mount_point, 0700), ==, 0);
  g_assert_cmpint (pipe (fds), ==, 0);

  pid = fork ();
  g_assert_cmpint (pid, >=, 0);
  if (pid == 0)
    {
      g_autofree char *why = NULL;

      close (fds[0]);
      if (!mount_private_tmpfs (mount_point, options, &why))
        {
          g_autofree char *message = g_strconcat (SKIP_PREFIX, why, NULL);

          if (write (fds[1], message, strlen (message)) < 0)
            _exit (1);
          _exit (0);
        }
      func (mount_point);
      if (write (fds[1], PASSED, strlen (PASSED)) < 0)
        _exit (1);
      _exit (0);
    }

  /* The child says how it ended: its exit status alone would not do under
   * valgrind, which reports what the parent's threads held as leaked. */
  close (fds[1]);
  for (gsize length = 0; length < sizeof reason - 1;)
    {
      gssize n = read (fds[0], reason + length, sizeof reason - 1 - length);

      if (n <= 0)
        break;
      length += n;
    }
  close (fds[0]);
  g_assert_cmpint (waitpid (pid, &status, 0), ==, pid);

  if (g_str_has_prefix (reason, SKIP_PREFIX))
    {
      g_test_skip (reason + strlen (SKIP_PREFIX));
      return;
    }

  if (!g_str_equal (reason, PASSED))
    g_error ("The child failed (status %d)", status);
}

static void
fill_with_notes (GlossBookmarks *bookmarks,
                 guint           n)
{
  g_autofree char *note = g_strnfill (4000, 'x');
  g_autoptr(GError) error = NULL;

  for (guint i = 0; i < n; i++)
    {
      g_autofree char *id = g_strdup_printf ("big%u", i);

      add_ok (bookmarks, "b", id, NULL, NULL);
      g_assert_true (gloss_bookmarks_set_note (bookmarks, "b", id, note, &error));
      g_assert_no_error (error);
    }
}

static void
full_disk_child (const char *mount_point)
{
  g_autofree char *path = g_build_filename (mount_point, "bookmarks.json", NULL);
  g_autofree char *filler = g_build_filename (mount_point, "filler", NULL);
  g_autoptr(GlossBookmarks) bookmarks = gloss_bookmarks_new (path);
  GlossStore *store = gloss_bookmarks_get_store (bookmarks);
  g_autoptr(GBytes) before = NULL;
  g_autoptr(GBytes) after = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *listing = NULL;
  char block[4096];
  guint n_failed = 0;
  int fd;

  g_signal_connect (store, "save-failed", G_CALLBACK (count_save_failed), &n_failed);
  add_ok (bookmarks, "b", "old", "Old", NULL);
  flush_ok (store);
  before = read_bytes (path);

  /* Fill the disk to the last block. */
  memset (block, 'f', sizeof block);
  fd = open (filler, O_WRONLY | O_CREAT | O_CLOEXEC, 0600);
  g_assert_cmpint (fd, >=, 0);
  while (write (fd, block, sizeof block) > 0)
    ;
  g_assert_cmpint (errno, ==, ENOSPC);
  close (fd);

  fill_with_notes (bookmarks, 20);
  g_assert_false (gloss_store_flush (store, &error));
  g_assert_error (error, GLOSS_STORE_ERROR, GLOSS_STORE_ERROR_IO);
  g_assert_nonnull (strstr (error->message, g_strerror (ENOSPC)));
  g_printerr ("full disk: %s\n", error->message);
  g_clear_error (&error);
  g_assert_cmpuint (n_failed, ==, 1);
  g_assert_true (gloss_store_get_failing (store));
  g_assert_true (gloss_store_get_dirty (store));

  /* The old file is whole, and no temporary file is left. */
  after = read_bytes (path);
  g_assert_true (g_bytes_equal (before, after));
  listing = list_dir (mount_point);
  g_assert_cmpstr (listing, ==, "bookmarks.json bookmarks.json.lock filler");

  /* Room again: the next flush saves everything. */
  g_unlink (filler);
  flush_ok (store);
  g_assert_false (gloss_store_get_failing (store));
  g_clear_object (&bookmarks);
  bookmarks = gloss_bookmarks_new (path);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (bookmarks)), ==, 21);
}

static void
test_full_disk (Fixture       *fixture,
                gconstpointer  data)
{
  run_in_tmpfs (fixture, "size=256k,mode=0700", full_disk_child);
}

static void
read_only_child (const char *mount_point)
{
  g_autofree char *path = g_build_filename (mount_point, "bookmarks.json", NULL);
  g_autoptr(GlossBookmarks) bookmarks = gloss_bookmarks_new (path);
  g_autoptr(GlossBookmarks) reader = NULL;
  GlossStore *store = gloss_bookmarks_get_store (bookmarks);
  g_autoptr(GBytes) before = NULL;
  g_autoptr(GBytes) after = NULL;
  g_autoptr(GError) error = NULL;

  add_ok (bookmarks, "b", "old", "Old", NULL);
  flush_ok (store);
  before = read_bytes (path);

  /* A read-only bind mount: unlike remounting the tmpfs itself, it does
   * not mind the lock file being open for writing. */
  g_assert_cmpint (mount (mount_point, mount_point, NULL, MS_BIND, NULL), ==, 0);
  g_assert_cmpint (mount (NULL, mount_point, NULL, MS_REMOUNT | MS_BIND | MS_RDONLY, NULL),
                   ==, 0);

  add_ok (bookmarks, "b", "new", "New", NULL);
  g_assert_false (gloss_store_flush (store, &error));
  g_assert_error (error, GLOSS_STORE_ERROR, GLOSS_STORE_ERROR_IO);
  g_assert_nonnull (strstr (error->message, g_strerror (EROFS)));
  g_printerr ("read-only: %s\n", error->message);
  g_clear_error (&error);

  after = read_bytes (path);
  g_assert_true (g_bytes_equal (before, after));

  /* Started on a read-only file system: the data is shown, read-only. */
  g_clear_object (&bookmarks);
  reader = gloss_bookmarks_new (path);
  g_assert_true (gloss_bookmarks_get_read_only (reader));
  g_assert_true (gloss_bookmarks_has (reader, "b", "old"));
  g_assert_false (gloss_bookmarks_has (reader, "b", "new"));
}

/* chmod 0500 works for everyone but root, who gets a read-only tmpfs. */
static void
test_read_only_dir (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autofree char *dir = path_in (fixture, "ro");
  g_autofree char *path = path_in (fixture, "ro/bookmarks.json");
  g_autofree char *probe = path_in (fixture, "ro/probe");
  g_autoptr(GlossBookmarks) bookmarks = NULL;
  g_autoptr(GBytes) before = NULL;
  g_autoptr(GBytes) after = NULL;
  g_autoptr(GError) error = NULL;
  GlossStore *store;
  int fd;

  g_assert_cmpint (g_mkdir (dir, 0700), ==, 0);
  bookmarks = gloss_bookmarks_new (path);
  store = gloss_bookmarks_get_store (bookmarks);
  add_ok (bookmarks, "b", "old", "Old", NULL);
  flush_ok (store);
  before = read_bytes (path);

  g_assert_cmpint (g_chmod (dir, 0500), ==, 0);
  fd = g_open (probe, O_WRONLY | O_CREAT | O_EXCL, 0600);
  if (fd >= 0)
    {
      /* Permissions do not stop us: we are root. */
      close (fd);
      g_unlink (probe);
      g_chmod (dir, 0700);
      g_clear_object (&bookmarks);
      g_test_message ("chmod 0500 does not stop root; trying a read-only tmpfs");
      run_in_tmpfs (fixture, "size=1m,mode=0700", read_only_child);
      return;
    }

  add_ok (bookmarks, "b", "new", "New", NULL);
  g_assert_false (gloss_store_flush (store, &error));
  g_assert_error (error, GLOSS_STORE_ERROR, GLOSS_STORE_ERROR_IO);
  g_test_message ("read-only: %s", error->message);
  g_chmod (dir, 0700);

  after = read_bytes (path);
  g_assert_true (g_bytes_equal (before, after));
}

/* What the three models share (GlossStoreModel): the list's item type, and
 * "n-items" told when the count changes. */
static void
test_models_share (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autofree char *bookmarks_path = path_in (fixture, "bookmarks.json");
  g_autofree char *history_path = path_in (fixture, "history.json");
  g_autofree char *library_path = path_in (fixture, "library.json");
  g_autoptr(GlossBookmarks) bookmarks = gloss_bookmarks_new (bookmarks_path);
  g_autoptr(GlossHistory) history = gloss_history_new (history_path);
  g_autoptr(GlossLibrary) library = gloss_library_new (library_path);
  g_autoptr(GError) error = NULL;
  guint n_notify = 0;
  guint n_items = 0;
  gboolean read_only = TRUE;
  GlossStore *store = NULL;

  g_assert_true (g_list_model_get_item_type (G_LIST_MODEL (bookmarks)) == GLOSS_TYPE_BOOKMARK);
  g_assert_true (g_list_model_get_item_type (G_LIST_MODEL (history)) == GLOSS_TYPE_HISTORY_ITEM);
  g_assert_true (g_list_model_get_item_type (G_LIST_MODEL (library)) == GLOSS_TYPE_LIBRARY_ITEM);

  g_signal_connect (bookmarks, "notify::n-items", G_CALLBACK (count_notify), &n_notify);
  g_assert_true (gloss_bookmarks_add (bookmarks, "b", "e1", "One", "B", &error));
  g_assert_no_error (error);
  g_assert_true (gloss_bookmarks_add (bookmarks, "b", "e2", "Two", "B", &error));
  g_assert_no_error (error);
  g_assert_cmpuint (n_notify, ==, 2);
  g_object_get (bookmarks, "n-items", &n_items, "read-only", &read_only, "store", &store, NULL);
  g_assert_cmpuint (n_items, ==, 2);
  g_assert_false (read_only);
  g_assert_true (store == gloss_bookmarks_get_store (bookmarks));
  g_object_unref (store);

  g_assert_true (gloss_history_record (history, "b", "e1", "One", "B", NULL));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (history)), ==, 1);
  g_assert_true (gloss_library_touch (library, "b", "/b.json", "B", 2, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (library)), ==, 1);
}

int
main (int   argc,
      char *argv[])
{
  g_setenv ("LC_ALL", "C.UTF-8", TRUE);
  g_setenv ("TZ", "UTC", TRUE);
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add ("/gloss/store/" path, Fixture, NULL, fixture_setup, func, fixture_teardown)

  g_test_add_func ("/gloss/store/default-path", test_default_path);
  ADD ("bookmarks/round-trip", test_bookmarks_round_trip);
  ADD ("bookmarks/search", test_bookmarks_search);
  ADD ("bookmarks/markdown", test_bookmarks_markdown);
  ADD ("history/round-trip", test_history_round_trip);
  ADD ("history/cap-and-days", test_history_cap_and_days);
  ADD ("library/round-trip", test_library_round_trip);
  ADD ("models-share", test_models_share);
  ADD ("save/debounced", test_debounced_save);
  ADD ("save/failed-signal", test_save_failed_signal);
  ADD ("import/hostile", test_import_hostile);
  ADD ("import/hostile-history", test_import_hostile_history);
  ADD ("import/merge", test_import_merge);
  ADD ("load/corrupt", test_corrupt);
  ADD ("load/newer-version", test_newer_version);
  ADD ("load/stale-temporaries", test_stale_temporaries);
  ADD ("lock", test_lock);
  ADD ("save/full-disk", test_full_disk);
  ADD ("save/read-only-dir", test_read_only_dir);

#undef ADD

  return g_test_run ();
}
