/* test-loader.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "test-loader"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <locale.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <unistd.h>

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#if HAVE_VALGRIND_H
#include <valgrind/valgrind.h>
#endif

#include "gloss-bundle.h"
#include "gloss-entry.h"
#include "gloss-problem.h"

/*
 * The loader against bundle-format.md: one test (at least) for every row of
 * the limits table and the errors table and for every field rule. Each one
 * asserts the outcome (refused, entry skipped, field ignored with a warning,
 * cut, defaulted), the message and where it points: LINE:COLUMN for syntax,
 * the JSON Pointer for everything else.
 *
 * JSON inside C strings is written with single quotes, turned into double
 * quotes by dq () before loading; the syntax tests that need a real single
 * quote build their bytes directly.
 */

static char *tmp_dir;

/* How much slower than the plain build this one runs: the bounds on time
 * below catch work that grows out of proportion, and stay hang guards
 * under valgrind, where everything runs some fifty times slower. */
static gint64
time_scale (void)
{
#if HAVE_VALGRIND_H
  if (RUNNING_ON_VALGRIND)
    return 50;
#endif
  return 1;
}

/* The loader's messages about the limits: they name the spec's numbers. */
#define CUT_512    "longer than 512 characters; cut"
#define CUT_4000   "longer than 4,000 characters; cut"
#define CUT_200000 "longer than 200,000 characters; cut"
#define MARKS      "more than 30 combining marks on one character; the rest were dropped"

#define HEAD \
  "{'format':'gloss-bundle','version':1,'title':'Test'," \
  "'categories':[{'id':'glossary','name':'Glossary'}],"

/* Single quotes to double quotes. */
static char *
dq (const char *json)
{
  char *out = g_strdup (json);

  for (char *p = out; *p; p++)
    {
      if (*p == '\'')
        *p = '"';
    }

  return out;
}

/* A JSON string literal for @text: only what JSON requires is escaped, so
 * DEL, C1 controls and everything else stay raw UTF-8. */
static char *
json_quote (const char *text)
{
  GString *out = g_string_new ("\"");

  for (const char *p = text; *p; p++)
    {
      guchar c = (guchar)*p;

      if (c == '"' || c == '\\')
        {
          g_string_append_c (out, '\\');
          g_string_append_c (out, c);
        }
      else if (c < 0x20)
        g_string_append_printf (out, "\\u%04x", c);
      else
        g_string_append_c (out, c);
    }

  g_string_append_c (out, '"');
  return g_string_free (out, FALSE);
}

static char *
repeat (const char *unit,
        guint       n)
{
  GString *out = g_string_sized_new (strlen (unit) * n + 1);

  for (guint i = 0; i < n; i++)
    g_string_append (out, unit);

  return g_string_free (out, FALSE);
}

static char *
data_path (const char *name)
{
  return g_test_build_filename (G_TEST_DIST, "data", name, NULL);
}

static char *
tmp_path (const char *name)
{
  return g_build_filename (tmp_dir, name, NULL);
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

static GlossBundle *
load_bytes (const char  *data,
            gsize        length,
            GError     **error)
{
  g_autoptr(GBytes) bytes = g_bytes_new (data, length);

  return gloss_bundle_new_from_bytes (bytes, "test.json", "/tmp/test.json", NULL, error);
}

/* Loads single-quoted JSON that must open. */
static GlossBundle *
load_json (const char *json_sq)
{
  g_autofree char *json = dq (json_sq);
  g_autoptr(GError) error = NULL;
  GlossBundle *bundle;

  bundle = load_bytes (json, strlen (json), &error);
  g_assert_no_error (error);
  g_assert_true (GLOSS_IS_BUNDLE (bundle));

  return bundle;
}

static GlossBundle *
load_entries (const char *entries_sq)
{
  g_autofree char *json = g_strconcat (HEAD "'entries':[", entries_sq, "]}", NULL);

  return load_json (json);
}

static GlossBundle *
load_file (const char  *path,
           GError     **error)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);

  return gloss_bundle_new_from_file (file, NULL, error);
}

static void
check_refusal (const GError *error,
               const char   *location,
               const char   *message,
               gboolean      prefix)
{
  g_autoptr(GlossProblem) problem = NULL;
  g_autofree char *expected = g_strdup_printf ("%s: %s", location, message);

  g_assert_error (error, GLOSS_BUNDLE_ERROR, GLOSS_BUNDLE_ERROR_REFUSED);
  if (prefix)
    {
      if (!g_str_has_prefix (error->message, expected))
        g_error ("refused with “%s”, expected it to start with “%s”", error->message, expected);
    }
  else
    g_assert_cmpstr (error->message, ==, expected);

  problem = gloss_bundle_error_to_problem (error);
  g_assert_cmpint (problem->severity, ==, GLOSS_SEVERITY_ERROR);
  g_assert_cmpstr (problem->location, ==, location);
  if (prefix)
    g_assert_true (g_str_has_prefix (problem->message, message));
  else
    g_assert_cmpstr (problem->message, ==, message);
}

static void
assert_refused_bytes (const char *data,
                      gsize       length,
                      const char *location,
                      const char *message)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GlossBundle) bundle = NULL;

  bundle = load_bytes (data, length, &error);
  g_assert_null (bundle);
  check_refusal (error, location, message, FALSE);
}

/* "1:COLUMN" of the first @needle in one-line @json, columns in code points. */
static char *
location_of (const char *json,
             const char *needle)
{
  const char *at = strstr (json, needle);

  g_assert_nonnull (at);
  g_assert_null (memchr (json, '\n', at - json));

  return g_strdup_printf ("1:%ld", g_utf8_strlen (json, at - json) + 1);
}

/* Refused at the first @needle, single-quoted JSON. */
static void
assert_refused_at (const char *json_sq,
                   const char *needle,
                   const char *message)
{
  g_autofree char *json = dq (json_sq);
  g_autofree char *needle_dq = dq (needle);
  g_autofree char *location = location_of (json, needle_dq);

  assert_refused_bytes (json, strlen (json), location, message);
}

/* Refused, single-quoted JSON. */
static void
assert_refused (const char *json_sq,
                const char *location,
                const char *message)
{
  g_autofree char *json = dq (json_sq);

  assert_refused_bytes (json, strlen (json), location, message);
}

static void
assert_refused_prefix (const char *json_sq,
                       const char *location,
                       const char *message)
{
  g_autofree char *json = dq (json_sq);
  g_autoptr(GError) error = NULL;
  g_autoptr(GlossBundle) bundle = NULL;

  bundle = load_bytes (json, strlen (json), &error);
  g_assert_null (bundle);
  check_refusal (error, location, message, TRUE);
}

typedef struct
{
  GlossSeverity  severity;
  const char    *location;
  const char    *message;
} Expected;

#define W(loc, msg) { GLOSS_SEVERITY_WARNING, loc, msg }
#define E(loc, msg) { GLOSS_SEVERITY_ERROR, loc, msg }

static void
dump_problems (GlossBundle *bundle)
{
  GPtrArray *problems = gloss_bundle_get_problems (bundle);

  for (guint i = 0; i < problems->len; i++)
    {
      g_autofree char *line = gloss_problem_format (g_ptr_array_index (problems, i), "test.json");
      g_test_message ("  problem: %s", line);
    }
}

/* Exactly these problems, in any order, and the counts to match. */
static void
assert_problems_impl (GlossBundle    *bundle,
                      const Expected *expected,
                      guint           n_expected)
{
  GPtrArray *problems = gloss_bundle_get_problems (bundle);
  g_autofree gboolean *used = g_new0 (gboolean, problems->len + 1);
  guint n_warnings = 0;
  guint n_errors = 0;

  for (guint i = 0; i < n_expected; i++)
    {
      gboolean found = FALSE;

      for (guint j = 0; j < problems->len && !found; j++)
        {
          const GlossProblem *problem = g_ptr_array_index (problems, j);

          if (!used[j] && problem->severity == expected[i].severity &&
              g_str_equal (problem->location, expected[i].location) &&
              g_str_equal (problem->message, expected[i].message))
            found = used[j] = TRUE;
        }

      if (!found)
        {
          dump_problems (bundle);
          g_error ("no %s at %s: %s",
                   expected[i].severity == GLOSS_SEVERITY_ERROR ? "error" : "warning",
                   expected[i].location, expected[i].message);
        }

      if (expected[i].severity == GLOSS_SEVERITY_ERROR)
        n_errors++;
      else
        n_warnings++;
    }

  if (problems->len != n_expected)
    {
      dump_problems (bundle);
      g_error ("%u problems, expected %u", problems->len, n_expected);
    }

  g_assert_cmpuint (gloss_bundle_get_n_warnings (bundle), ==, n_warnings);
  g_assert_cmpuint (gloss_bundle_get_n_errors (bundle), ==, n_errors);
}

#define assert_problems(bundle, ...) \
  assert_problems_impl (bundle, (const Expected[]) { __VA_ARGS__ }, \
                        sizeof ((const Expected[]) { __VA_ARGS__ }) / sizeof (Expected))
#define assert_no_problems(bundle) assert_problems_impl (bundle, NULL, 0)

static JsonNode *
entry_json (GlossBundle *bundle,
            guint        position)
{
  return gloss_entry_to_json (gloss_bundle_get_entry (bundle, position));
}

static char *
entry_json_string (GlossBundle *bundle,
                   guint        position)
{
  g_autoptr(JsonNode) node = entry_json (bundle, position);

  return json_to_string (node, FALSE);
}

/* Resolves a JSON Pointer in @root; NULL when it leads nowhere. */
static JsonNode *
resolve (JsonNode   *root,
         const char *pointer)
{
  g_auto(GStrv) parts = NULL;
  JsonNode *node = root;

  if (pointer[0] == '\0')
    return root;

  g_assert_true (pointer[0] == '/');
  parts = g_strsplit (pointer + 1, "/", -1);

  for (guint i = 0; parts[i] != NULL && node != NULL; i++)
    {
      if (JSON_NODE_HOLDS_OBJECT (node))
        node = json_object_get_member (json_node_get_object (node), parts[i]);
      else if (JSON_NODE_HOLDS_ARRAY (node))
        {
          JsonArray *array = json_node_get_array (node);
          guint index = (guint)g_ascii_strtoull (parts[i], NULL, 10);

          node = index < json_array_get_length (array) ? json_array_get_element (array, index)
                                                       : NULL;
        }
      else
        node = NULL;
    }

  return node;
}

/* The loaded value at a bundle path, as the app holds it; NULL when it is
 * not there. Entry paths go through gloss_entry_to_json (). */
static char *
lookup_value (GlossBundle *bundle,
              const char  *path)
{
  guint index;

  if (g_str_equal (path, "/title"))
    return g_strdup (gloss_bundle_get_title (bundle));
  if (g_str_equal (path, "/id"))
    return g_strdup (gloss_bundle_get_id (bundle));
  if (g_str_equal (path, "/description"))
    return g_strdup (gloss_bundle_get_description (bundle));
  if (g_str_equal (path, "/language"))
    return g_strdup (gloss_bundle_get_language (bundle));
  if (g_str_equal (path, "/license"))
    return g_strdup (gloss_bundle_get_license (bundle));
  if (g_str_equal (path, "/updated"))
    return g_strdup (gloss_bundle_get_updated (bundle));

  if (sscanf (path, "/authors/%u", &index) == 1)
    {
      const char * const *authors = gloss_bundle_get_authors (bundle);

      return index < g_strv_length ((char **)authors) ? g_strdup (authors[index]) : NULL;
    }

  if (g_str_has_prefix (path, "/categories/"))
    {
      const GlossCategory *categories;
      guint n_categories;
      char field[32] = "";

      g_assert_cmpint (sscanf (path, "/categories/%u/%31s", &index, field), ==, 2);
      categories = gloss_bundle_get_categories (bundle, &n_categories);
      if (index >= n_categories)
        return NULL;
      if (g_str_equal (field, "id"))
        return g_strdup (categories[index].id);
      if (g_str_equal (field, "name"))
        return g_strdup (categories[index].name);
      if (g_str_equal (field, "description"))
        return g_strdup (categories[index].description);
      g_assert_not_reached ();
    }

  if (g_str_has_prefix (path, "/entries/"))
    {
      g_autoptr(JsonNode) root = NULL;
      const char *rest;
      JsonNode *node;
      char *end;

      index = (guint)g_ascii_strtoull (path + strlen ("/entries/"), &end, 10);
      rest = end;
      if (index >= gloss_bundle_get_n_entries (bundle))
        return NULL;
      root = entry_json (bundle, index);
      node = resolve (root, rest);
      if (node == NULL || !JSON_NODE_HOLDS_VALUE (node))
        return NULL;
      return g_strdup (json_node_get_string (node));
    }

  g_assert_not_reached ();
}

static void
assert_value (GlossBundle *bundle,
              const char  *path,
              const char  *expected)
{
  g_autofree char *value = lookup_value (bundle, path);

  g_assert_cmpstr (value, ==, expected);
}

/* File limits */

typedef struct
{
  GMutex       mutex;
  GCond        cond;
  char        *path;
  GlossBundle *bundle;
  GError      *error;
  gboolean     done;
} GuardedLoad;

static gpointer
guarded_load_thread (gpointer data)
{
  GuardedLoad *load = data;
  GError *error = NULL;
  GlossBundle *bundle;

  bundle = load_file (load->path, &error);

  g_mutex_lock (&load->mutex);
  load->bundle = bundle;
  load->error = error;
  load->done = TRUE;
  g_cond_signal (&load->cond);
  g_mutex_unlock (&load->mutex);

  return NULL;
}

/* Loads @path synchronously in a thread and fails, instead of hanging the
 * test run, when it takes longer than five seconds (a FIFO without a
 * writer blocks a plain open () or read () for ever). */
static GlossBundle *
load_file_guarded (const char  *path,
                   GError     **error)
{
  GuardedLoad load = { 0 };
  GThread *thread;
  gint64 deadline;
  GlossBundle *bundle;

  g_mutex_init (&load.mutex);
  g_cond_init (&load.cond);
  load.path = g_strdup (path);

  thread = g_thread_new ("guarded-load", guarded_load_thread, &load);
  deadline = g_get_monotonic_time () + 5 * G_TIME_SPAN_SECOND;

  g_mutex_lock (&load.mutex);
  while (!load.done)
    {
      if (!g_cond_wait_until (&load.cond, &load.mutex, deadline))
        g_error ("loading %s did not return within 5 s", path);
    }
  g_mutex_unlock (&load.mutex);

  g_thread_join (thread);
  g_mutex_clear (&load.mutex);
  g_cond_clear (&load.cond);
  g_free (load.path);

  bundle = load.bundle;
  if (load.error != NULL)
    g_propagate_error (error, load.error);

  return bundle;
}

static void
test_file_missing (void)
{
  g_autofree char *path = tmp_path ("does-not-exist.json");
  g_autoptr(GError) error = NULL;
  g_autoptr(GlossBundle) bundle = NULL;

  bundle = load_file_guarded (path, &error);
  g_assert_null (bundle);
  g_assert_error (error, GLOSS_BUNDLE_ERROR, GLOSS_BUNDLE_ERROR_IO);
  g_assert_cmpstr (error->message, ==, "cannot open: No such file or directory");
}

static void
test_file_directory (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GlossBundle) bundle = NULL;

  bundle = load_file_guarded (tmp_dir, &error);
  g_assert_null (bundle);
  g_assert_error (error, GLOSS_BUNDLE_ERROR, GLOSS_BUNDLE_ERROR_IO);
  g_assert_cmpstr (error->message, ==, "is a folder, not a bundle file");
}

static void
test_file_fifo (void)
{
  g_autofree char *path = tmp_path ("fifo.json");
  g_autoptr(GError) error = NULL;
  g_autoptr(GlossBundle) bundle = NULL;

  g_assert_no_errno (mkfifo (path, 0600));

  /* No writer: opening or reading it the ordinary way would block. */
  bundle = load_file_guarded (path, &error);
  g_assert_null (bundle);
  g_assert_error (error, GLOSS_BUNDLE_ERROR, GLOSS_BUNDLE_ERROR_IO);
  g_assert_cmpstr (error->message, ==, "not a regular file");

  g_assert_no_errno (g_unlink (path));
}

static void
test_file_device (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GlossBundle) bundle = NULL;

  bundle = load_file_guarded ("/dev/null", &error);
  g_assert_null (bundle);
  g_assert_error (error, GLOSS_BUNDLE_ERROR, GLOSS_BUNDLE_ERROR_IO);
  g_assert_cmpstr (error->message, ==, "not a regular file");
}

static void
make_sparse_file (const char *path,
                  goffset     size)
{
  int fd = g_open (path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);

  g_assert_cmpint (fd, >=, 0);
  g_assert_no_errno (ftruncate (fd, size));
  g_assert_no_errno (close (fd));
}

static glong
max_rss_kib (void)
{
  struct rusage usage;

  g_assert_no_errno (getrusage (RUSAGE_SELF, &usage));
  return usage.ru_maxrss;
}

static void
test_file_too_big (void)
{
  g_autofree char *path = tmp_path ("too-big.json");
  g_autoptr(GError) error = NULL;
  g_autoptr(GlossBundle) bundle = NULL;
  glong rss_before;
  gint64 start;
  gint64 elapsed;

  make_sparse_file (path, GLOSS_BUNDLE_MAX_FILE_SIZE + (goffset)1);

  rss_before = max_rss_kib ();
  start = g_get_monotonic_time ();
  bundle = load_file_guarded (path, &error);
  elapsed = g_get_monotonic_time () - start;

  g_assert_null (bundle);
  /* If the zeros had been read, the pre-scan would have refused them as
   * syntax (GLOSS_BUNDLE_ERROR_REFUSED at 1:1), after 256 MiB of memory. */
  g_assert_error (error, GLOSS_BUNDLE_ERROR, GLOSS_BUNDLE_ERROR_IO);
  g_assert_cmpstr (error->message, ==, "larger than 256 MiB (268435457 bytes); not read");
  g_assert_cmpint (max_rss_kib () - rss_before, <, 64 * 1024);
  g_test_message ("refused in %" G_GINT64_FORMAT " µs", elapsed);
  g_assert_cmpint (elapsed, <, G_TIME_SPAN_SECOND * time_scale ());

  g_assert_no_errno (g_unlink (path));
}

/* 256 MiB is still allowed: the file is read, and the pre-scan refuses its
 * zero bytes as syntax. */
static void
test_file_size_limit (void)
{
  g_autofree char *path = tmp_path ("at-limit.json");
  g_autoptr(GError) error = NULL;
  g_autoptr(GlossBundle) bundle = NULL;

  make_sparse_file (path, GLOSS_BUNDLE_MAX_FILE_SIZE);

  bundle = load_file_guarded (path, &error);
  g_assert_null (bundle);
  g_assert_error (error, GLOSS_BUNDLE_ERROR, GLOSS_BUNDLE_ERROR_REFUSED);
  g_assert_true (g_str_has_prefix (error->message, "1:1: "));

  g_assert_no_errno (g_unlink (path));
}

static void
test_bytes_too_big (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GlossBundle) bundle = NULL;
  g_autoptr(GBytes) bytes = NULL;
  gpointer zeros = g_malloc0 (GLOSS_BUNDLE_MAX_FILE_SIZE + 1);

  bytes = g_bytes_new_take (zeros, GLOSS_BUNDLE_MAX_FILE_SIZE + 1);
  bundle = gloss_bundle_new_from_bytes (bytes, "big.json", "big", NULL, &error);
  g_assert_null (bundle);
  g_assert_error (error, GLOSS_BUNDLE_ERROR, GLOSS_BUNDLE_ERROR_IO);
  g_assert_cmpstr (error->message, ==, "larger than 256 MiB; not read");
}

static void
test_file_good (void)
{
  g_autofree char *path = data_path ("good.json");
  g_autoptr(GError) error = NULL;
  g_autoptr(GlossBundle) bundle = NULL;
  g_autoptr(GFile) file = NULL;

  bundle = load_file (path, &error);
  g_assert_no_error (error);
  g_assert_nonnull (bundle);

  file = g_file_new_for_path (path);
  g_assert_true (g_file_equal (gloss_bundle_get_file (bundle), file));
  g_assert_cmpstr (gloss_bundle_get_id (bundle), ==, "org.example.greek-letters");
  g_assert_cmpstr (gloss_bundle_get_title (bundle), ==, "Greek Letters");
  g_assert_cmpuint (gloss_bundle_get_n_entries (bundle), ==, 4);
  g_assert_cmpuint (gloss_bundle_get_n_skipped (bundle), ==, 0);
  g_assert_nonnull (gloss_bundle_get_index (bundle));
  assert_no_problems (bundle);

  /* File order is kept; lookup by id works. */
  g_assert_cmpstr (gloss_entry_get_id (gloss_bundle_get_entry (bundle, 0)), ==, "gamma");
  g_assert_cmpstr (gloss_entry_get_term (gloss_bundle_lookup_entry (bundle, "beta")), ==, "Beta");
  g_assert_true (gloss_entry_get_mature (gloss_bundle_lookup_entry (bundle, "delta")));
  g_assert_null (gloss_bundle_lookup_entry (bundle, "epsilon"));
}

/* Without an id, or with an invalid one, the file's absolute path stands in;
 * without a title, the file's name. */
static void
test_file_fallbacks (void)
{
  g_autofree char *path = tmp_path ("no-id.gloss.json");
  g_autoptr(GError) error = NULL;
  g_autoptr(GlossBundle) bundle = NULL;
  g_autoptr(GlossBundle) bundle2 = NULL;
  g_autofree char *json = dq ("{'format':'gloss-bundle','version':1,'entries':[]}");
  g_autofree char *json2 = dq ("{'format':'gloss-bundle','version':1,'id':'no spaces',"
                               "'title':'T','entries':[]}");

  g_assert_true (g_path_is_absolute (path));

  write_file (path, json, -1);
  bundle = load_file (path, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (gloss_bundle_get_id (bundle), ==, path);
  g_assert_cmpstr (gloss_bundle_get_title (bundle), ==, "no-id.gloss.json");
  assert_problems (bundle, W ("/title", "missing or empty; the file's name stands in"));

  write_file (path, json2, -1);
  bundle2 = load_file (path, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (gloss_bundle_get_id (bundle2), ==, path);
  assert_problems (bundle2,
                   W ("/id", "invalid bundle id “no spaces” (letters, digits, '.', '_' and '-', "
                      "at most 128); the file's path stands in"));

  g_assert_no_errno (g_unlink (path));
}

/* Strict JSON: a few cases end to end (the pre-scan has its own tests). */

static void
test_syntax_file_location (void)
{
  g_autofree char *path = data_path ("bad-syntax.json");
  g_autoptr(GError) error = NULL;
  g_autoptr(GlossBundle) bundle = NULL;

  bundle = load_file (path, &error);
  g_assert_null (bundle);
  check_refusal (error, "6:33", "trailing comma before '}'", FALSE);
}

static void
test_syntax_u0000 (void)
{
  assert_refused_at (HEAD "'entries':[{'id':'a','term':'x\\u0000y'}]}",
                     "\\u0000", "\\u0000 is not allowed in strings");
}

static void
test_syntax_lone_surrogate (void)
{
  assert_refused_at (HEAD "'entries':[{'id':'a','term':'\\ud800'}]}",
                     "\\ud800", "lone surrogate \\ud800");
  assert_refused_at (HEAD "'entries':[{'id':'a','term':'\\udc00x'}]}",
                     "\\udc00", "lone surrogate \\udc00");
  /* A high surrogate followed by something that is not a low one. */
  assert_refused_at (HEAD "'entries':[{'id':'a','term':'\\ud83d\\u0041'}]}",
                     "\\ud83d", "lone surrogate \\ud83d");
}

static void
test_syntax_duplicate_key (void)
{
  assert_refused_at (HEAD "'entries':[{'id':'a','term':'A','id':'b'}]}",
                     "'id':'b'", "duplicate key \"id\" in object");
  assert_refused_at (HEAD "'entries':[],'title':'Again'}",
                     "'title':'Again'", "duplicate key \"title\" in object");
}

static void
test_syntax_comments (void)
{
  assert_refused ("{'format':'gloss-bundle', // a bundle\n'version':1,'entries':[]}",
                  "1:27", "comments are not allowed in JSON");
  assert_refused ("{'format':'gloss-bundle','version':1,'entries':[]}\n/* done */",
                  "2:1", "comments are not allowed in JSON");
}

static void
test_syntax_single_quotes (void)
{
  static const char json[] = "{\"format\":'gloss-bundle',\"version\":1,\"entries\":[]}";

  assert_refused_bytes (json, sizeof json - 1, "1:11",
                        "single quotes are not allowed in JSON, use double quotes");
}

static void
test_syntax_trailing_garbage (void)
{
  assert_refused ("{'format':'gloss-bundle','version':1,'title':'T','entries':[]}\n\n  x",
                  "3:3", "unexpected character 'x' after the top-level value");
  assert_refused ("{'format':'gloss-bundle','version':1,'title':'T','entries':[]}{}",
                  "1:63", "unexpected character '{' after the top-level value");
}

static void
test_syntax_invalid_utf8 (void)
{
  static const char json[] =
    "{\"format\":\"gloss-bundle\",\"version\":1,\n\"title\":\"caf\xc3\xa9 \xff\",\"entries\":[]}";

  /* The column counts code points: "é" is one. */
  assert_refused_bytes (json, sizeof json - 1, "2:15", "invalid UTF-8 byte 0xff");
}

static void
test_syntax_empty (void)
{
  assert_refused_bytes ("", 0, "1:1", "the input is empty");
  assert_refused_bytes ("\xef\xbb\xbf", 3, "1:1", "the input is empty");
}

static void
test_syntax_bom (void)
{
  static const char json[] =
    "\xef\xbb\xbf{\"format\":\"gloss-bundle\",\"version\":1,\"title\":\"Bom\","
    "\"entries\":[{\"id\":\"a\",\"term\":\"A\"}]}";
  g_autoptr(GError) error = NULL;
  g_autoptr(GlossBundle) bundle = NULL;

  bundle = load_bytes (json, sizeof json - 1, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (gloss_bundle_get_title (bundle), ==, "Bom");
  g_assert_cmpuint (gloss_bundle_get_n_entries (bundle), ==, 1);
  assert_no_problems (bundle);
}

/* Nesting: the top-level object is level 1; 64 levels open, 65 are refused. */

static char *
nested_bundle (guint depth)
{
  /* Level 1 is the top-level object; the rest are arrays in "deep". */
  g_autofree char *open = repeat ("[", depth - 1);
  g_autofree char *close = repeat ("]", depth - 1);

  return g_strconcat ("{\"format\":\"gloss-bundle\",\"version\":1,\"title\":\"T\","
                      "\"entries\":[],\"deep\":", open, close, "}", NULL);
}

static void
test_limits_nesting_64 (void)
{
  g_autofree char *json = nested_bundle (64);
  g_autoptr(GError) error = NULL;
  g_autoptr(GlossBundle) bundle = NULL;

  bundle = load_bytes (json, strlen (json), &error);
  g_assert_no_error (error);
  assert_problems (bundle, W ("/deep", "unknown field “deep” is ignored"));
}

static void
test_limits_nesting_64_in_entry (void)
{
  /* /entries (2), the entry (3), then 61 arrays: 64 levels. */
  g_autofree char *open = repeat ("[", 61);
  g_autofree char *close = repeat ("]", 61);
  g_autofree char *entries = g_strconcat ("{'id':'a','term':'A','deep':", open, close, "}", NULL);
  g_autoptr(GlossBundle) bundle = load_entries (entries);

  g_assert_cmpuint (gloss_bundle_get_n_entries (bundle), ==, 1);
  assert_problems (bundle, W ("/entries/0/deep", "unknown field “deep” is ignored"));
}

static void
test_limits_nesting_65 (void)
{
  g_autofree char *json = nested_bundle (65);
  const char *prefix = "{\"format\":\"gloss-bundle\",\"version\":1,\"title\":\"T\","
                       "\"entries\":[],\"deep\":";
  g_autofree char *location = NULL;

  /* The 64th '[' opens level 65. */
  location = g_strdup_printf ("1:%" G_GSIZE_FORMAT, strlen (prefix) + 64);
  assert_refused_bytes (json, strlen (json), location, "nesting deeper than 64 levels");
}

static void
test_limits_nesting_hostile (void)
{
  g_autofree char *open = repeat ("[", 100000);
  g_autofree char *close = repeat ("]", 100000);
  g_autofree char *json = g_strconcat (open, close, NULL);
  g_autofree char *in_entries = g_strconcat ("{\"format\":\"gloss-bundle\",\"version\":1,"
                                             "\"entries\":[", open, close, "]}", NULL);
  g_autofree char *location = NULL;
  gint64 start = g_get_monotonic_time ();
  gint64 elapsed;

  assert_refused_bytes (json, strlen (json), "1:65", "nesting deeper than 64 levels");
  /* The object is level 1, /entries 2: the 63rd '[' inside opens 65. */
  location = g_strdup_printf ("1:%" G_GSIZE_FORMAT,
                              strlen (in_entries) - strlen (open) - strlen (close) - 2 + 63);
  assert_refused_bytes (in_entries, strlen (in_entries), location,
                        "nesting deeper than 64 levels");

  elapsed = g_get_monotonic_time () - start;
  g_test_message ("two 100,000-level arrays refused in %" G_GINT64_FORMAT " µs", elapsed);
  g_assert_cmpint (elapsed, <, G_TIME_SPAN_SECOND * time_scale ());
}

/* Entries: at most 1,000,000. */

#define MANY_HEAD "{\"format\":\"gloss-bundle\",\"version\":1,\"title\":\"T\",\"entries\":["

static char *
many_entries (guint   n,
              gsize  *length)
{
  GString *out = g_string_sized_new (strlen (MANY_HEAD) + 3 * (gsize)n + 2);

  g_string_append (out, MANY_HEAD);
  for (guint i = 0; i < n; i++)
    g_string_append (out, i == 0 ? "{}" : ",{}");
  g_string_append (out, "]}");

  *length = out->len;
  return g_string_free (out, FALSE);
}

static void
test_limits_entries_over (void)
{
  gsize length;
  g_autofree char *json = many_entries (GLOSS_BUNDLE_MAX_ENTRIES + 1, &length);
  g_autofree char *location = NULL;
  gint64 start;
  gint64 elapsed;

  /* The 1,000,001st element: "{}" then ",{}" each. */
  location = g_strdup_printf ("1:%" G_GSIZE_FORMAT,
                              strlen (MANY_HEAD) + 3 * GLOSS_BUNDLE_MAX_ENTRIES + 1);

  start = g_get_monotonic_time ();
  assert_refused_bytes (json, length, location, "more than 1000000 entries");
  elapsed = g_get_monotonic_time () - start;
  g_test_message ("1,000,001 entries refused in %" G_GINT64_FORMAT " µs", elapsed);
  g_assert_cmpint (elapsed, <, 2 * G_TIME_SPAN_SECOND * time_scale ());
}

static void
test_limits_entries_at_limit (void)
{
  gsize length;
  g_autofree char *json = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GlossBundle) bundle = NULL;
  gint64 start;

  /* Each one is skipped ({} has no id), but the bundle opens. */
  json = many_entries (GLOSS_BUNDLE_MAX_ENTRIES, &length);
  start = g_get_monotonic_time ();
  bundle = load_bytes (json, length, &error);
  g_assert_no_error (error);
  g_test_message ("1,000,000 entries loaded in %" G_GINT64_FORMAT " µs",
                  g_get_monotonic_time () - start);
  g_assert_cmpuint (gloss_bundle_get_n_entries (bundle), ==, 0);
  g_assert_cmpuint (gloss_bundle_get_n_skipped (bundle), ==, GLOSS_BUNDLE_MAX_ENTRIES);
}

/* String caps. Every string field, its path in a bundle and its cap. */

typedef struct
{
  const char *path;
  const char *template;  /* single-quoted, @@ where the JSON string goes */
  guint       cap;
  const char *cut_message;
} StringField;

#define ENTRY_WITH(member) HEAD "'entries':[{'id':'a','term':'A'," member "}]}"

static const StringField short_fields[] = {
  { "/title", "{'format':'gloss-bundle','version':1,'title':@@,'entries':[]}", 512, CUT_512 },
  { "/entries/0/term", HEAD "'entries':[{'id':'a','term':@@}]}", 512, CUT_512 },
  { "/entries/0/title", ENTRY_WITH ("'title':@@"), 512, CUT_512 },
  { "/entries/0/aliases/0", ENTRY_WITH ("'aliases':[@@]"), 512, CUT_512 },
  { "/entries/0/sections/0/heading", ENTRY_WITH ("'sections':[{'heading':@@,'body':'b'}]"), 512,
    CUT_512 },
  { "/entries/0/tags/0", ENTRY_WITH ("'tags':[@@]"), 512, CUT_512 },
  { "/entries/0/sources/0", ENTRY_WITH ("'sources':[@@]"), 512, CUT_512 },
  { "/categories/0/id",
    "{'format':'gloss-bundle','version':1,'title':'T','categories':[{'id':@@,'name':'N'}],"
    "'entries':[]}", 512, CUT_512 },
  { "/categories/0/name",
    "{'format':'gloss-bundle','version':1,'title':'T','categories':[{'id':'c','name':@@}],"
    "'entries':[]}", 512, CUT_512 },
  { "/entries/0/stats/0/label", ENTRY_WITH ("'stats':[{'label':@@,'value':'v'}]"), 512, CUT_512 },
};

static const StringField plain_fields[] = {
  { "/entries/0/summary", ENTRY_WITH ("'summary':@@"), 4000, CUT_4000 },
  { "/entries/0/notice", ENTRY_WITH ("'notice':@@"), 4000, CUT_4000 },
  { "/entries/0/stats/0/value", ENTRY_WITH ("'stats':[{'label':'l','value':@@}]"), 4000,
    CUT_4000 },
  { "/entries/0/stats/0/note", ENTRY_WITH ("'stats':[{'label':'l','value':'v','note':@@}]"), 4000,
    CUT_4000 },
  { "/entries/0/faq/0/question", ENTRY_WITH ("'faq':[{'question':@@,'answer':'a'}]"), 4000,
    CUT_4000 },
  { "/description", "{'format':'gloss-bundle','version':1,'title':'T','description':@@,"
    "'entries':[]}", 4000, CUT_4000 },
  { "/categories/0/description",
    "{'format':'gloss-bundle','version':1,'title':'T',"
    "'categories':[{'id':'c','name':'N','description':@@}],'entries':[]}", 4000, CUT_4000 },
};

/* "every other string": 4,000 too. */
static const StringField other_fields[] = {
  { "/language", "{'format':'gloss-bundle','version':1,'title':'T','language':@@,"
    "'entries':[]}", 4000, CUT_4000 },
  { "/license", "{'format':'gloss-bundle','version':1,'title':'T','license':@@,"
    "'entries':[]}", 4000, CUT_4000 },
  { "/authors/0", "{'format':'gloss-bundle','version':1,'title':'T','authors':[@@],"
    "'entries':[]}", 4000, CUT_4000 },
};

static const StringField long_fields[] = {
  { "/entries/0/sections/0/body", ENTRY_WITH ("'sections':[{'body':@@}]"), 200000, CUT_200000 },
  { "/entries/0/faq/0/answer", ENTRY_WITH ("'faq':[{'question':'q','answer':@@}]"), 200000,
    CUT_200000 },
};

/* Loads @field's template with @value (raw UTF-8) in place. */
static GlossBundle *
load_field (const StringField *field,
            const char        *value)
{
  g_autofree char *json = dq (field->template);
  g_autofree char *literal = json_quote (value);
  g_autoptr(GString) str = g_string_new (json);
  g_autoptr(GError) error = NULL;
  GlossBundle *bundle;

  g_assert_cmpuint (g_string_replace (str, "@@", literal, 1), ==, 1);
  bundle = load_bytes (str->str, str->len, &error);
  g_assert_no_error (error);

  return bundle;
}

/* Cut at the cap, at a character boundary: the character at the boundary
 * is @unit (1 to 4 bytes), so a byte cut would split it. */
static void
check_cut (const StringField *field)
{
  static const char * const units[] = { "x", "é", "字", "𝄞" };

  for (guint u = 0; u < G_N_ELEMENTS (units); u++)
    {
      g_autofree char *head = repeat ("a", field->cap - 1);
      g_autofree char *at_cap = NULL;
      g_autofree char *over = NULL;
      g_autofree char *tail = repeat (units[u], 3);
      g_autoptr(GlossBundle) exact = NULL;
      g_autoptr(GlossBundle) cut = NULL;
      g_autofree char *value = NULL;

      /* Exactly at the cap: untouched. */
      at_cap = g_strconcat (head, units[u], NULL);
      exact = load_field (field, at_cap);
      assert_no_problems (exact);
      assert_value (exact, field->path, at_cap);

      /* Two characters over: cut back to the cap. */
      over = g_strconcat (head, tail, NULL);
      cut = load_field (field, over);
      assert_problems (cut, W (field->path, field->cut_message));
      value = lookup_value (cut, field->path);
      g_assert_nonnull (value);
      g_assert_true (g_utf8_validate (value, -1, NULL));
      g_assert_cmpuint (g_utf8_strlen (value, -1), ==, field->cap);
      g_assert_cmpstr (value, ==, at_cap);
    }
}

static void
test_limits_cut_512 (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (short_fields); i++)
    {
      g_test_message ("%s", short_fields[i].path);
      check_cut (&short_fields[i]);
    }
}

static void
test_limits_cut_4000 (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (plain_fields); i++)
    {
      g_test_message ("%s", plain_fields[i].path);
      check_cut (&plain_fields[i]);
    }
}

static void
test_limits_cut_200000 (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (long_fields); i++)
    {
      g_test_message ("%s", long_fields[i].path);
      check_cut (&long_fields[i]);
    }
}

/* "summary, notice, a stat's value and note, a question, every other string
 * | 4,000 characters": language, license and authors are not in the
 * 512-character row. */
static void
test_limits_cut_other_strings (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (other_fields); i++)
    {
      g_test_message ("%s", other_fields[i].path);
      check_cut (&other_fields[i]);
    }
}

static void
test_limits_combining_marks (void)
{
  static const StringField * const fields[] = {
    &short_fields[1], &plain_fields[0], &long_fields[0],
  };
  g_autofree char *marks_30 = repeat ("\xcc\x81", 30);  /* U+0301 */
  g_autofree char *marks_40 = repeat ("\xcc\x81", 40);
  g_autofree char *marks_20 = repeat ("\xcc\x81", 20);

  for (guint i = 0; i < G_N_ELEMENTS (fields); i++)
    {
      g_autofree char *ok = g_strconcat ("e", marks_30, "x", NULL);
      g_autofree char *two_bases = g_strconcat ("e", marks_20, "o", marks_20, NULL);
      g_autofree char *too_many = g_strconcat ("e", marks_40, "x", NULL);
      g_autoptr(GlossBundle) b_ok = load_field (fields[i], ok);
      g_autoptr(GlossBundle) b_two = load_field (fields[i], two_bases);
      g_autoptr(GlossBundle) b_many = load_field (fields[i], too_many);

      g_test_message ("%s", fields[i]->path);

      /* 30 on one base, or 20 on each of two, are fine. */
      assert_no_problems (b_ok);
      assert_value (b_ok, fields[i]->path, ok);
      assert_no_problems (b_two);
      assert_value (b_two, fields[i]->path, two_bases);

      /* 40: the ten after the 30th are dropped, what follows is kept. */
      assert_problems (b_many, W (fields[i]->path, MARKS));
      assert_value (b_many, fields[i]->path, ok);
    }
}

/* Marks are dropped before the cut: 601 code points of which 170 are
 * excess marks leave 431, under the cap, so nothing is cut. */
static void
test_limits_combining_marks_before_cut (void)
{
  g_autofree char *marks_200 = repeat ("\xcc\x81", 200);
  g_autofree char *marks_30 = repeat ("\xcc\x81", 30);
  g_autofree char *xs = repeat ("x", 400);
  g_autofree char *term = g_strconcat ("e", marks_200, xs, NULL);
  g_autofree char *expected = g_strconcat ("e", marks_30, xs, NULL);
  g_autoptr(GlossBundle) bundle = load_field (&short_fields[1], term);

  assert_problems (bundle, W ("/entries/0/term", MARKS));
  assert_value (bundle, "/entries/0/term", expected);
}

/* Integer fields */

static void
test_integers_version (void)
{
  g_autoptr(GlossBundle) bundle = NULL;

  bundle = load_json ("{'format':'gloss-bundle','version':1,'title':'T','entries':[]}");
  assert_no_problems (bundle);

  assert_refused ("{'format':'gloss-bundle','version':1.0,'entries':[]}",
                  "/version", "must be a whole number, found a number");
  assert_refused ("{'format':'gloss-bundle','version':1e0,'entries':[]}",
                  "/version", "must be a whole number, found a number");
  assert_refused ("{'format':'gloss-bundle','version':'1','entries':[]}",
                  "/version", "must be a whole number, found a string");
  assert_refused ("{'format':'gloss-bundle','version':null,'entries':[]}",
                  "/version", "must be a whole number, found null");
  assert_refused ("{'format':'gloss-bundle','entries':[]}", "/version", "missing");
  assert_refused ("{'format':'gloss-bundle','version':0,'entries':[]}",
                  "/version", "unknown version 0");
  assert_refused ("{'format':'gloss-bundle','version':-1,'entries':[]}",
                  "/version", "unknown version -1");

  /* A higher version. */
  assert_refused_prefix ("{'format':'gloss-bundle','version':2,'entries':[]}",
                         "/version", "made for a newer version of Gloss");
  assert_refused_prefix ("{'format':'gloss-bundle','version':9223372036854775807,'entries':[]}",
                         "/version", "made for a newer version of Gloss");
  assert_refused_prefix ("{'format':'gloss-bundle','version':99999999999999999999,'entries':[]}",
                         "/version", "made for a newer version of Gloss");
}

static void
test_integers_reading_minutes (void)
{
  static const char * const bad[] = {
    "0", "-1", "2.5", "1e2", "1E2", "100.0", "99999999999999999999", "-99999999999999999999",
    "9223372036854775808", "3000000000", "'5'", "null", "true", "[5]",
  };
  g_autofree char *words = repeat ("word ", 1000);
  g_autoptr(GlossBundle) ok = NULL;

  ok = load_entries ("{'id':'a','term':'A','reading_minutes':7}");
  assert_no_problems (ok);
  g_assert_cmpuint (gloss_entry_get_reading_minutes (gloss_bundle_get_entry (ok, 0)), ==, 7);

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autofree char *entry = g_strdup_printf ("{'id':'a','term':'A','reading_minutes':%s,"
                                                "'sections':[{'body':'%s'}]}", bad[i], words);
      g_autoptr(GlossBundle) bundle = NULL;

      g_test_message ("reading_minutes: %s", bad[i]);
      bundle = load_entries (entry);
      g_assert_cmpuint (gloss_bundle_get_n_entries (bundle), ==, 1);
      assert_problems (bundle, W ("/entries/0/reading_minutes",
                                  "expected a whole number of minutes above 0; ignored"));
      /* The computed default: 1,000 words at 200 a minute. */
      g_assert_cmpuint (gloss_entry_get_reading_minutes (gloss_bundle_get_entry (bundle, 0)),
                        ==, 5);
    }
}

/* Text cleaning */

static void
test_text_bidi (void)
{
  static const char bidi[] =
    "\u202a" "a" "\u202b" "b" "\u202c" "c" "\u202d" "d" "\u202e" "e"
    "\u2066" "f" "\u2067" "g" "\u2068" "h" "\u2069" "i";
  static const StringField * const fields[] = {
    &short_fields[0], &short_fields[1], &short_fields[2], &short_fields[3],
  };

  for (guint i = 0; i < G_N_ELEMENTS (fields); i++)
    {
      g_autoptr(GlossBundle) bundle = load_field (fields[i], bidi);

      g_test_message ("%s", fields[i]->path);
      g_assert_cmpuint (gloss_bundle_get_n_skipped (bundle), ==, 0);
      assert_value (bundle, fields[i]->path, "abcdefghi");
    }
}

static void
test_text_bidi_only_term (void)
{
  g_autoptr(GlossBundle) bundle = NULL;

  bundle = load_entries ("{'id':'a','term':'\\u202e\\u2066\\u2069'},"
                         "{'id':'b','term':'B','aliases':['\\u202e','NTR'],"
                         "'title':'\\u2067\\u2069'}");

  g_assert_cmpuint (gloss_bundle_get_n_entries (bundle), ==, 1);
  g_assert_cmpuint (gloss_bundle_get_n_skipped (bundle), ==, 1);
  assert_problems (bundle, E ("/entries/0/term", "entry skipped: empty \"term\""));

  /* An alias or a title left empty is dropped; the title falls back. */
  assert_value (bundle, "/entries/0/aliases/0", "NTR");
  assert_value (bundle, "/entries/0/aliases/1", NULL);
  assert_value (bundle, "/entries/0/title", "B");
}

/* Removed "before they are checked": 512 letters plus bidi controls are not
 * over the cap. */
static void
test_text_bidi_before_cut (void)
{
  g_autofree char *letters = repeat ("a", 512);
  g_autofree char *term = g_strconcat ("\u202e", letters, "\u202c\u2066\u2069", NULL);
  g_autoptr(GlossBundle) bundle = load_field (&short_fields[1], term);

  assert_no_problems (bundle);
  assert_value (bundle, "/entries/0/term", letters);
}

static gboolean
has_hidden_control (const char *text)
{
  for (const char *p = text; *p; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if ((c >= 0x01 && c <= 0x1F && c != '\t' && c != '\n') || (c >= 0x7F && c <= 0x9F))
        return TRUE;
    }

  return FALSE;
}

static char *
strip_blanks (const char *text)
{
  GString *out = g_string_new (NULL);

  for (const char *p = text; *p; p++)
    {
      if (*p != ' ' && *p != '\t' && *p != '\n')
        g_string_append_c (out, *p);
    }

  return g_string_free (out, FALSE);
}

/* U+0001–U+001F but tab and newline, and U+007F–U+009F, never reach the
 * screen: not from any string field. Tab and newline stay in multi-line
 * text. */
static void
test_text_control_characters (void)
{
  /* \x01 \x1b \x1f \r \x7f raw, U+0080 U+0085 U+009F raw; tab and newline. */
  static const char dirty[] =
    "a\x01" "b\x1b[31m" "c\x1f" "d\r" "e\x7f" "f\xc2\x80" "g\xc2\x85" "h\xc2\x9f" "i\tj\nk";
  const StringField *all[G_N_ELEMENTS (short_fields) + G_N_ELEMENTS (plain_fields) +
                         G_N_ELEMENTS (other_fields) + G_N_ELEMENTS (long_fields)];
  guint n = 0;

  for (guint i = 0; i < G_N_ELEMENTS (short_fields); i++)
    all[n++] = &short_fields[i];
  for (guint i = 0; i < G_N_ELEMENTS (plain_fields); i++)
    all[n++] = &plain_fields[i];
  for (guint i = 0; i < G_N_ELEMENTS (other_fields); i++)
    all[n++] = &other_fields[i];
  for (guint i = 0; i < G_N_ELEMENTS (long_fields); i++)
    all[n++] = &long_fields[i];

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(GlossBundle) bundle = load_field (all[i], dirty);
      g_autofree char *value = lookup_value (bundle, all[i]->path);
      g_autofree char *visible = NULL;

      g_assert_nonnull (value);
      {
        g_autofree char *escaped = g_strescape (value, NULL);
        g_test_message ("%s: %s", all[i]->path, escaped);
      }
      g_assert_true (g_utf8_validate (value, -1, NULL));
      g_assert_false (has_hidden_control (value));
      visible = strip_blanks (value);
      g_assert_cmpstr (visible, ==, "ab[31mcdefghijk");
    }

  /* Multi-line text keeps its tabs and newlines. */
  {
    g_autoptr(GlossBundle) bundle = load_field (&plain_fields[0], dirty);
    g_autoptr(GlossBundle) body = load_field (&long_fields[0], dirty);

    assert_value (bundle, "/entries/0/summary", "ab[31mcdefghi\tj\nk");
    assert_value (body, "/entries/0/sections/0/body", "ab[31mcdefghi\tj\nk");
  }
}

/* The same, written as JSON escapes. */
static void
test_text_control_escapes (void)
{
  g_autoptr(GlossBundle) bundle = NULL;

  bundle = load_entries ("{'id':'a','term':'T\\u0007erm','summary':'a\\u0001b\\u001fc\\u007fd"
                         "\\u0080e\\u009ff\\rg\\bh\\fi\\tj\\nk'}");

  assert_value (bundle, "/entries/0/term", "Term");
  assert_value (bundle, "/entries/0/summary", "abcdefghi\tj\nk");
}

/* Entries that are skipped */

static void
test_entries_not_object (void)
{
  g_autoptr(GlossBundle) bundle = NULL;

  bundle = load_entries ("{'id':'a','term':'A'},'b',42,null,true,[{'id':'c','term':'C'}],"
                         "{'id':'d','term':'D'}");

  g_assert_cmpuint (gloss_bundle_get_n_entries (bundle), ==, 2);
  g_assert_cmpuint (gloss_bundle_get_n_skipped (bundle), ==, 5);
  assert_problems (bundle,
                   E ("/entries/1", "entry skipped: expected an object, found a string"),
                   E ("/entries/2", "entry skipped: expected an object, found a number"),
                   E ("/entries/3", "entry skipped: expected an object, found null"),
                   E ("/entries/4", "entry skipped: expected an object, found a boolean"),
                   E ("/entries/5", "entry skipped: expected an object, found an array"));
  g_assert_cmpstr (gloss_entry_get_id (gloss_bundle_get_entry (bundle, 1)), ==, "d");
}

static void
test_entries_missing_id (void)
{
  g_autoptr(GlossBundle) bundle = NULL;

  bundle = load_entries ("{'term':'No id'},{'id':'a','term':'A'},{'id':7,'term':'Number'},"
                         "{'id':null,'term':'Null'}");

  g_assert_cmpuint (gloss_bundle_get_n_entries (bundle), ==, 1);
  g_assert_cmpuint (gloss_bundle_get_n_skipped (bundle), ==, 3);
  assert_problems (bundle,
                   E ("/entries/0", "entry skipped: no \"id\""),
                   E ("/entries/2/id", "entry skipped: \"id\" must be a string, found a number"),
                   E ("/entries/3/id", "entry skipped: \"id\" must be a string, found null"));
}

static void
test_entries_invalid_id (void)
{
  g_autofree char *id_128 = repeat ("a", 128);
  g_autofree char *id_129 = repeat ("a", 129);
  g_autofree char *a40 = repeat ("a", 40);
  g_autofree char *entries = g_strdup_printf (
    "{'id':'Netorare','term':'Upper'},"
    "{'id':'%s','term':'Long'},"
    "{'id':'%s','term':'Max'},"
    "{'id':'-dash','term':'Dash first'},"
    "{'id':'a b','term':'Space'},"
    "{'id':'','term':'Empty'},"
    "{'id':'caf\u00e9','term':'Accent'},"
    "{'id':'a/b','term':'Slash'},"
    "{'id':'0a._-z','term':'Punctuation'}",
    id_129, id_128);
  g_autofree char *long_message = g_strdup_printf (
    "entry skipped: invalid id “%s…” (lowercase letters, digits, '.', '_' and '-', at most 128)",
    a40);
  g_autoptr(GlossBundle) bundle = load_entries (entries);

#define INVALID(n, id) \
  E ("/entries/" #n "/id", \
     "entry skipped: invalid id “" id "” (lowercase letters, digits, '.', '_' and '-', " \
     "at most 128)")

  g_assert_cmpuint (gloss_bundle_get_n_entries (bundle), ==, 2);
  g_assert_cmpuint (gloss_bundle_get_n_skipped (bundle), ==, 7);
  assert_problems (bundle,
                   INVALID (0, "Netorare"),
                   E ("/entries/1/id", long_message),
                   INVALID (3, "-dash"),
                   INVALID (4, "a b"),
                   INVALID (5, ""),
                   INVALID (6, "caf\u00e9"),
                   INVALID (7, "a/b"));
  g_assert_nonnull (gloss_bundle_lookup_entry (bundle, id_128));
  g_assert_nonnull (gloss_bundle_lookup_entry (bundle, "0a._-z"));

#undef INVALID
}

static void
test_entries_missing_term (void)
{
  g_autoptr(GlossBundle) bundle = NULL;

  bundle = load_entries ("{'id':'a'},{'id':'b','term':'B'},{'id':'c','term':42},"
                         "{'id':'d','term':['D']}");

  g_assert_cmpuint (gloss_bundle_get_n_entries (bundle), ==, 1);
  g_assert_cmpuint (gloss_bundle_get_n_skipped (bundle), ==, 3);
  assert_problems (bundle,
                   E ("/entries/0", "entry skipped: no \"term\""),
                   /* The wrong type is reported too, as for any string field. */
                   W ("/entries/2/term", "expected a string, found a number; ignored"),
                   E ("/entries/2/term",
                      "entry skipped: \"term\" must be a string, found a number"),
                   W ("/entries/3/term", "expected a string, found an array; ignored"),
                   E ("/entries/3/term",
                      "entry skipped: \"term\" must be a string, found an array"));
}

static void
test_entries_empty_term (void)
{
  g_autoptr(GlossBundle) bundle = NULL;

  bundle = load_entries ("{'id':'a','term':''},{'id':'b','term':'  \\t '},"
                         "{'id':'c','term':'\\u0001\\u007f'},{'id':'d','term':'D'}");

  g_assert_cmpuint (gloss_bundle_get_n_entries (bundle), ==, 1);
  g_assert_cmpuint (gloss_bundle_get_n_skipped (bundle), ==, 3);
  assert_problems (bundle,
                   E ("/entries/0/term", "entry skipped: empty \"term\""),
                   E ("/entries/1/term", "entry skipped: empty \"term\""),
                   E ("/entries/2/term", "entry skipped: empty \"term\""));
}

static void
test_entries_duplicate_id (void)
{
  g_autoptr(GlossBundle) bundle = NULL;

  bundle = load_entries ("{'id':'a','term':'First'},{'id':'b','term':'B'},"
                         "{'id':'a','term':'Second'},{'id':'a','term':'Third'}");

  g_assert_cmpuint (gloss_bundle_get_n_entries (bundle), ==, 2);
  g_assert_cmpuint (gloss_bundle_get_n_skipped (bundle), ==, 2);
  assert_problems (bundle,
                   E ("/entries/2/id",
                      "entry skipped: duplicate id “a” (already used by “First”)"),
                   E ("/entries/3/id",
                      "entry skipped: duplicate id “a” (already used by “First”)"));
  g_assert_cmpstr (gloss_entry_get_term (gloss_bundle_lookup_entry (bundle, "a")), ==, "First");
}

/* A skipped entry does not take its id: a later entry may use it. */
static void
test_entries_skipped_id_is_free (void)
{
  g_autoptr(GlossBundle) bundle = NULL;

  bundle = load_entries ("{'id':'a','term':''},{'id':'a','term':'Kept'}");

  g_assert_cmpuint (gloss_bundle_get_n_entries (bundle), ==, 1);
  assert_problems (bundle, E ("/entries/0/term", "entry skipped: empty \"term\""));
  g_assert_cmpstr (gloss_entry_get_term (gloss_bundle_lookup_entry (bundle, "a")), ==, "Kept");
}

static void
test_entries_three_broken (void)
{
  g_autofree char *path = data_path ("three-broken-entries.json");
  g_autoptr(GError) error = NULL;
  g_autoptr(GlossBundle) bundle = NULL;
  static const char * const ids[] = { "one", "two", "three", "five" };

  bundle = load_file (path, &error);
  g_assert_no_error (error);

  g_assert_cmpuint (gloss_bundle_get_n_entries (bundle), ==, 4);
  g_assert_cmpuint (gloss_bundle_get_n_skipped (bundle), ==, 3);
  assert_problems (bundle,
                   E ("/entries/1", "entry skipped: expected an object, found a string"),
                   E ("/entries/3", "entry skipped: no \"id\""),
                   E ("/entries/5/term", "entry skipped: empty \"term\""));

  for (guint i = 0; i < G_N_ELEMENTS (ids); i++)
    g_assert_cmpstr (gloss_entry_get_id (gloss_bundle_get_entry (bundle, i)), ==, ids[i]);
}

/* Optional fields of the wrong type: a warning at the field, and the entry
 * loads as if the field were absent. */

typedef struct
{
  const char *member;
  const char *location;
  const char *message;
} WrongType;

static void
test_fields_wrong_type (void)
{
  static const WrongType cases[] = {
    { "'title':42", "/title", "expected a string, found a number; ignored" },
    { "'title':['T']", "/title", "expected a string, found an array; ignored" },
    { "'aliases':'NTR'", "/aliases", "expected an array of strings, found a string; ignored" },
    { "'aliases':[1]", "/aliases/0", "expected a string, found a number; ignored" },
    { "'summary':{}", "/summary", "expected a string, found an object; ignored" },
    { "'summary':null", "/summary", "expected a string, found null; ignored" },
    { "'category':7", "/category", "expected a string, found a number; ignored" },
    { "'tags':{'a':1}", "/tags", "expected an array of strings, found an object; ignored" },
    { "'tags':[true]", "/tags/0", "expected a string, found a boolean; ignored" },
    { "'notice':true", "/notice", "expected a string, found a boolean; ignored" },
    { "'published':20260525", "/published", "expected a string, found a number; ignored" },
    { "'updated':null", "/updated", "expected a string, found null; ignored" },
    { "'reading_minutes':'5'", "/reading_minutes",
      "expected a whole number of minutes above 0; ignored" },
    { "'sources':'Wikipedia'", "/sources",
      "expected an array of strings, found a string; ignored" },
    { "'sources':[null]", "/sources/0", "expected a string, found null; ignored" },
    { "'stats':{}", "/stats", "expected an array, found an object; ignored" },
    { "'stats':[1]", "/stats/0", "expected an object, found a number; ignored" },
    { "'stats':[{'label':1,'value':'v'}]", "/stats/0/label",
      "expected a string, found a number; ignored" },
    { "'sections':'text'", "/sections", "expected an array, found a string; ignored" },
    { "'sections':[[]]", "/sections/0", "expected an object, found an array; ignored" },
    { "'sections':[{'body':5}]", "/sections/0/body",
      "expected a string, found a number; ignored" },
    { "'faq':null", "/faq", "expected an array, found null; ignored" },
    { "'faq':['Q?']", "/faq/0", "expected an object, found a string; ignored" },
    { "'faq':[{'question':'q','answer':false}]", "/faq/0/answer",
      "expected a string, found a boolean; ignored" },
    { "'related':'b'", "/related", "expected an array of strings, found a string; ignored" },
    { "'related':{'b':true}", "/related",
      "expected an array of strings, found an object; ignored" },
  };
  g_autoptr(GlossBundle) plain = load_entries ("{'id':'a','term':'A'}");
  g_autofree char *plain_json = entry_json_string (plain, 0);

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *entry = g_strdup_printf ("{'id':'a','term':'A',%s}", cases[i].member);
      g_autofree char *location = g_strconcat ("/entries/0", cases[i].location, NULL);
      g_autoptr(GlossBundle) bundle = NULL;
      g_autofree char *json = NULL;

      g_test_message ("%s", cases[i].member);
      bundle = load_entries (entry);
      g_assert_cmpuint (gloss_bundle_get_n_entries (bundle), ==, 1);
      g_assert_cmpuint (gloss_bundle_get_n_skipped (bundle), ==, 0);
      assert_problems (bundle, W (location, cases[i].message));

      json = entry_json_string (bundle, 0);
      g_assert_cmpstr (json, ==, plain_json);
    }
}

static void
test_fields_mature (void)
{
  static const char * const not_boolean[] = { "'yes'", "'false'", "1", "0", "null", "{}", "[]" };
  static const char * const node_kinds[] = {
    "a string", "a string", "a number", "a number", "null", "an object", "an array"
  };
  g_autoptr(GlossBundle) bundle = NULL;

  bundle = load_entries ("{'id':'a','term':'A'},{'id':'b','term':'B','mature':false},"
                         "{'id':'c','term':'C','mature':true}");
  assert_no_problems (bundle);
  g_assert_false (gloss_entry_get_mature (gloss_bundle_get_entry (bundle, 0)));
  g_assert_false (gloss_entry_get_mature (gloss_bundle_get_entry (bundle, 1)));
  g_assert_true (gloss_entry_get_mature (gloss_bundle_get_entry (bundle, 2)));

  /* A typo must not expose content. */
  for (guint i = 0; i < G_N_ELEMENTS (not_boolean); i++)
    {
      g_autofree char *entry = g_strdup_printf ("{'id':'a','term':'A','mature':%s}",
                                                not_boolean[i]);
      g_autofree char *message = g_strdup_printf ("expected true or false, found %s; "
                                                  "treated as true", node_kinds[i]);
      g_autoptr(GlossBundle) b = load_entries (entry);

      g_test_message ("mature: %s", not_boolean[i]);
      assert_problems (b, W ("/entries/0/mature", message));
      g_assert_true (gloss_entry_get_mature (gloss_bundle_get_entry (b, 0)));
    }
}

static void
test_fields_dates (void)
{
  static const char * const bad[] = {
    "2026-02-30", "2023-02-29", "2026-13-01", "2026-00-10", "2026-01-00", "0000-01-01",
    "2026-1-05", "26-01-05", "2026/01/05", "2026-01-05T10:00", " 2026-01-05", "",
    "yesterday",
  };
  g_autoptr(GlossBundle) bundle = NULL;

  bundle = load_entries ("{'id':'a','term':'A','published':'2024-02-29','updated':'2026-12-31'}");
  assert_no_problems (bundle);
  assert_value (bundle, "/entries/0/published", "2024-02-29");
  assert_value (bundle, "/entries/0/updated", "2026-12-31");

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autofree char *entry = g_strdup_printf ("{'id':'a','term':'A','published':'%s',"
                                                "'updated':'%s'}", bad[i], bad[i]);
      g_autofree char *message = g_strdup_printf ("“%s” is not a date written YYYY-MM-DD; "
                                                  "ignored", bad[i]);
      g_autoptr(GlossBundle) b = load_entries (entry);

      g_test_message ("date: %s", bad[i]);
      assert_problems (b, W ("/entries/0/published", message), W ("/entries/0/updated", message));
      assert_value (b, "/entries/0/published", NULL);
      assert_value (b, "/entries/0/updated", NULL);
    }
}

static void
test_fields_stats (void)
{
  g_autoptr(GlossBundle) bundle = NULL;
  const GlossStat *stats;
  guint n_stats;

  bundle = load_entries ("{'id':'a','term':'A','stats':["
                         "{'value':'no label'},"
                         "{'label':'no value'},"
                         "{'label':'','value':'empty label'},"
                         "{'label':'Kept','value':'1','note':3},"
                         "{'label':'Also kept','value':'2','note':'n'}]}");

  assert_problems (bundle,
                   W ("/entries/0/stats/0", "stat without \"label\"; ignored"),
                   W ("/entries/0/stats/1", "stat without \"value\"; ignored"),
                   W ("/entries/0/stats/2/label", "empty \"label\"; the stat is ignored"),
                   W ("/entries/0/stats/3/note", "expected a string, found a number; ignored"));

  stats = gloss_entry_get_stats (gloss_bundle_get_entry (bundle, 0), &n_stats);
  g_assert_cmpuint (n_stats, ==, 2);
  g_assert_cmpstr (stats[0].label, ==, "Kept");
  g_assert_cmpstr (stats[0].value, ==, "1");
  g_assert_null (stats[0].note);
  g_assert_cmpstr (stats[1].label, ==, "Also kept");
  g_assert_cmpstr (stats[1].note, ==, "n");
}

static void
test_fields_sections (void)
{
  g_autoptr(GlossBundle) bundle = NULL;
  const GlossSection *sections;
  guint n_sections;

  bundle = load_entries ("{'id':'a','term':'A','sections':["
                         "{'heading':'No body'},"
                         "{'heading':'Empty','body':''},"
                         "{'heading':7,'body':'Heading of the wrong type'},"
                         "{'body':'No heading'}]}");

  assert_problems (bundle,
                   W ("/entries/0/sections/0", "section without \"body\"; ignored"),
                   W ("/entries/0/sections/1/body", "empty \"body\"; the section is ignored"),
                   W ("/entries/0/sections/2/heading",
                      "expected a string, found a number; ignored"));

  sections = gloss_entry_get_sections (gloss_bundle_get_entry (bundle, 0), &n_sections);
  g_assert_cmpuint (n_sections, ==, 2);
  g_assert_null (sections[0].heading);
  g_assert_cmpstr (sections[0].body, ==, "Heading of the wrong type");
  g_assert_null (sections[1].heading);
  g_assert_cmpstr (sections[1].body, ==, "No heading");
}

static void
test_fields_faq (void)
{
  g_autoptr(GlossBundle) bundle = NULL;
  const GlossFaq *faq;
  guint n_faq;

  bundle = load_entries ("{'id':'a','term':'A','faq':["
                         "{'question':'No answer?'},"
                         "{'answer':'No question.'},"
                         "{'question':'Empty answer?','answer':''},"
                         "{'question':'Kept?','answer':'Yes.'}]}");

  assert_problems (bundle,
                   W ("/entries/0/faq/0", "question without \"answer\"; ignored"),
                   W ("/entries/0/faq/1", "question without \"question\"; ignored"),
                   W ("/entries/0/faq/2/answer", "empty \"answer\"; the question is ignored"));

  faq = gloss_entry_get_faq (gloss_bundle_get_entry (bundle, 0), &n_faq);
  g_assert_cmpuint (n_faq, ==, 1);
  g_assert_cmpstr (faq[0].question, ==, "Kept?");
  g_assert_cmpstr (faq[0].answer, ==, "Yes.");
}

static void
test_fields_related (void)
{
  g_autoptr(GlossBundle) bundle = NULL;
  const char * const *related;

  bundle = load_entries ("{'id':'a','term':'A','related':['b','nowhere','a','c']},"
                         "{'id':'b','term':'B','related':['skipped']},"
                         "{'id':'skipped','term':''},"
                         "{'id':'c','term':'C','related':['a']}");

  assert_problems (bundle,
                   W ("/entries/0/related/1", "no entry with id “nowhere”; ignored"),
                   W ("/entries/0/related/2", "an entry cannot be related to itself; ignored"),
                   W ("/entries/1/related/0", "no entry with id “skipped”; ignored"),
                   E ("/entries/2/term", "entry skipped: empty \"term\""));

  related = gloss_entry_get_related (gloss_bundle_lookup_entry (bundle, "a"));
  g_assert_cmpuint (g_strv_length ((char **)related), ==, 2);
  g_assert_cmpstr (related[0], ==, "b");
  g_assert_cmpstr (related[1], ==, "c");
  g_assert_cmpuint (g_strv_length ((char **)gloss_entry_get_related (
                      gloss_bundle_lookup_entry (bundle, "b"))), ==, 0);
  related = gloss_entry_get_related (gloss_bundle_lookup_entry (bundle, "c"));
  g_assert_cmpstr (related[0], ==, "a");
}

static void
test_fields_category (void)
{
  g_autoptr(GlossBundle) bundle = NULL;

  bundle = load_entries ("{'id':'a','term':'A','category':'glossary'},"
                         "{'id':'b','term':'B','category':'nope'},"
                         "{'id':'c','term':'C','category':'Glossary'}");

  assert_problems (bundle,
                   W ("/entries/1/category", "unknown category “nope”; ignored"),
                   W ("/entries/2/category", "unknown category “Glossary”; ignored"));
  g_assert_cmpstr (gloss_entry_get_category (gloss_bundle_get_entry (bundle, 0)), ==, "glossary");
  g_assert_null (gloss_entry_get_category (gloss_bundle_get_entry (bundle, 1)));
  g_assert_null (gloss_entry_get_category (gloss_bundle_get_entry (bundle, 2)));
  g_assert_cmpstr (gloss_bundle_lookup_category (bundle, "glossary")->name, ==, "Glossary");
}

static void
test_fields_unknown (void)
{
  g_autoptr(GlossBundle) bundle = NULL;
  guint n;

  bundle = load_json ("{'format':'gloss-bundle','version':1,'title':'T','colour':'blue',"
                      "'categories':[{'id':'c','name':'C','icon':'x'}],"
                      "'entries':[{'id':'a','term':'A','Title':'typo','a/b~c':1,"
                      "'stats':[{'label':'l','value':'v','unit':'kg'}],"
                      "'sections':[{'body':'b','title':'t'}],"
                      "'faq':[{'question':'q','answer':'a','answers':'x'}]}]}");

  assert_problems (bundle,
                   W ("/colour", "unknown field “colour” is ignored"),
                   W ("/categories/0/icon", "unknown field “icon” is ignored"),
                   W ("/entries/0/Title", "unknown field “Title” is ignored"),
                   W ("/entries/0/a~1b~0c", "unknown field “a/b~c” is ignored"),
                   W ("/entries/0/stats/0/unit", "unknown field “unit” is ignored"),
                   W ("/entries/0/sections/0/title", "unknown field “title” is ignored"),
                   W ("/entries/0/faq/0/answers", "unknown field “answers” is ignored"));

  /* Only the unknown field is ignored: the item keeps the rest. */
  g_assert_cmpuint (gloss_bundle_get_n_entries (bundle), ==, 1);
  assert_value (bundle, "/entries/0/title", "A");
  gloss_entry_get_stats (gloss_bundle_get_entry (bundle, 0), &n);
  g_assert_cmpuint (n, ==, 1);
  gloss_entry_get_sections (gloss_bundle_get_entry (bundle, 0), &n);
  g_assert_cmpuint (n, ==, 1);
  gloss_entry_get_faq (gloss_bundle_get_entry (bundle, 0), &n);
  g_assert_cmpuint (n, ==, 1);
  gloss_bundle_get_categories (bundle, &n);
  g_assert_cmpuint (n, ==, 1);
}

static void
test_fields_links (void)
{
  g_autoptr(GlossBundle) bundle = NULL;
  const GlossSection *sections;
  guint n;

  bundle = load_entries ("{'id':'a','term':'A',"
                         "'sections':[{'body':'See [B](entry:b) and [Z](entry:zeta).'},"
                         "{'body':'Reference [link][r].\\n\\n[r]: entry:ref-missing'},"
                         "{'body':'An autolink <entry:auto-missing>.'},"
                         "{'body':'`[code](entry:not-a-link)` and [web](https://example.org)'},"
                         "{'body':'[j](javascript:alert(1)) and [u](https://good@evil.example)'}],"
                         "'faq':[{'question':'Q?','answer':'[Y](entry:y) or [B](entry:b)'}]},"
                         "'skipped',"
                         "{'id':'b','term':'B','faq':[{'question':'Q?',"
                         "'answer':'[Skipped](entry:skipped)'}]}");

  assert_problems (bundle,
                   E ("/entries/1", "entry skipped: expected an object, found a string"),
                   W ("/entries/0/sections/0/body",
                      "link to a missing entry “zeta”; shown as plain text"),
                   W ("/entries/0/sections/1/body",
                      "link to a missing entry “ref-missing”; shown as plain text"),
                   W ("/entries/0/sections/2/body",
                      "link to a missing entry “auto-missing”; shown as plain text"),
                   W ("/entries/0/faq/0/answer",
                      "link to a missing entry “y”; shown as plain text"),
                   /* Links that will never open are worth a warning too. */
                   W ("/entries/0/sections/4/body",
                      "link to “javascript:alert(1)” is not allowed (only entry:, http:, https: "
                      "and mailto: without user info); shown as plain text"),
                   W ("/entries/0/sections/4/body",
                      "link to “https://good@evil.example” is not allowed (only entry:, http:, "
                      "https: and mailto: without user info); shown as plain text"),
                   /* The second loaded entry is /entries/2 in the file. */
                   W ("/entries/2/faq/0/answer",
                      "link to a missing entry “skipped”; shown as plain text"));

  /* The body itself is kept as written. */
  sections = gloss_entry_get_sections (gloss_bundle_get_entry (bundle, 0), &n);
  g_assert_cmpuint (n, ==, 5);
  g_assert_cmpstr (sections[0].body, ==, "See [B](entry:b) and [Z](entry:zeta).");
}

/* The JSON Pointer names the item in the file, even when an earlier item of
 * the same array was dropped. */
static void
test_fields_paths_after_dropped_items (void)
{
  g_autoptr(GlossBundle) bundle = NULL;

  bundle = load_entries ("{'id':'a','term':'A',"
                         "'sections':[{'heading':'no body'},{'body':'[x](entry:nope1)'}],"
                         "'faq':[{'question':'no answer'},"
                         "{'question':'q','answer':'[x](entry:nope2)'}],"
                         "'related':[1,'nope3']},"
                         "{'id':'b','term':'B','related':['','nope4']}");

  assert_problems (bundle,
                   W ("/entries/0/sections/0", "section without \"body\"; ignored"),
                   W ("/entries/0/faq/0", "question without \"answer\"; ignored"),
                   W ("/entries/0/related/0", "expected a string, found a number; ignored"),
                   W ("/entries/0/sections/1/body",
                      "link to a missing entry “nope1”; shown as plain text"),
                   W ("/entries/0/faq/1/answer",
                      "link to a missing entry “nope2”; shown as plain text"),
                   W ("/entries/0/related/1", "no entry with id “nope3”; ignored"),
                   W ("/entries/1/related/1", "no entry with id “nope4”; ignored"));
}

static gboolean
has_control_or_bidi (const char *text)
{
  for (const char *p = text; *p; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (c < 0x20 || (c >= 0x7F && c <= 0x9F) || (c >= 0x202A && c <= 0x202E) ||
          (c >= 0x2066 && c <= 0x2069))
        return TRUE;
    }

  return FALSE;
}

/* A field's name is bundle text too: when a problem names it, control
 * characters must not reach the screen (or a terminal, through gloss-cli),
 * and bidi controls must not reorder the line around it. */
static void
test_fields_hostile_name (void)
{
  g_autoptr(GlossBundle) bundle = NULL;
  GPtrArray *problems;
  gboolean clean = TRUE;

  bundle = load_entries ("{'id':'a','term':'A','\\u001b[2J\\u202eevil\\u0085':1}");

  problems = gloss_bundle_get_problems (bundle);
  g_assert_cmpuint (problems->len, ==, 1);
  for (guint i = 0; i < problems->len; i++)
    {
      const GlossProblem *problem = g_ptr_array_index (problems, i);

      g_assert_cmpint (problem->severity, ==, GLOSS_SEVERITY_WARNING);
      g_assert_true (g_str_has_prefix (problem->location, "/entries/0/"));
      g_assert_false (has_control_or_bidi (problem->message));
      if (has_control_or_bidi (problem->location))
        clean = FALSE;
    }

  /* ESC, C1 and bidi controls in a name are escaped in the location. */
  g_assert_true (clean);
}

/* One input the fuzzer stopped on, named by GLOSS_TEST_FUZZ_INPUT, in a
 * subprocess: it loads or is refused, without a crash or a critical. */
static void
test_fuzz_one_input (void)
{
  const char *path = g_getenv ("GLOSS_TEST_FUZZ_INPUT");
  g_autoptr(GError) error = NULL;
  g_autoptr(GlossBundle) bundle = NULL;

  if (!g_test_subprocess () || path == NULL)
    {
      g_test_skip ("run by /gloss/loader/fuzz/regressions");
      return;
    }

  bundle = load_file (path, &error);
  if (bundle == NULL)
    {
      g_assert_error (error, GLOSS_BUNDLE_ERROR, GLOSS_BUNDLE_ERROR_REFUSED);
      g_assert_true (error->message[0] == '/' ||
                     g_regex_match_simple ("^[0-9]+:[0-9]+: ", error->message, 0, 0));
    }
  else
    g_assert_no_error (error);
}

static void
test_fuzz_regressions (void)
{
  g_autofree char *dir_path = data_path ("fuzz-regressions");
  g_autoptr(GDir) dir = g_dir_open (dir_path, 0, NULL);
  g_autoptr(GString) failed = g_string_new (NULL);
  const char *name;

  g_assert_nonnull (dir);
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir_path, name, NULL);

      /* The loader's are JSON; other fuzzers' are replayed by test-fuzz-replay. */
      if (!g_str_has_suffix (name, ".json"))
        continue;

      g_setenv ("GLOSS_TEST_FUZZ_INPUT", path, TRUE);
      g_test_trap_subprocess ("/gloss/loader/fuzz/one-input", 10 * G_USEC_PER_SEC,
                              G_TEST_SUBPROCESS_INHERIT_STDERR);
      g_test_message ("%s: %s", name, g_test_trap_has_passed () ? "ok" : "FAILED");
      if (!g_test_trap_has_passed ())
        g_string_append_printf (failed, " %s", name);
    }
  g_unsetenv ("GLOSS_TEST_FUZZ_INPUT");

  if (failed->len > 0)
    g_test_message ("fuzz regressions failing:%s", failed->str);
  g_assert_cmpuint (failed->len, ==, 0);
}

/* The top level */

static void
test_top_not_object (void)
{
  assert_refused ("[]", "/", "the top level must be an object, not a Gloss bundle");
  assert_refused ("[{'format':'gloss-bundle','version':1,'entries':[]}]",
                  "/", "the top level must be an object, not a Gloss bundle");
  assert_refused ("42", "/", "the top level must be an object, not a Gloss bundle");
  assert_refused ("'gloss-bundle'", "/", "the top level must be an object, not a Gloss bundle");
  assert_refused ("null", "/", "the top level must be an object, not a Gloss bundle");
}

static void
test_top_format (void)
{
  assert_refused ("{'version':1,'entries':[]}", "/format", "missing: not a Gloss bundle");
  assert_refused ("{'format':'gloss','version':1,'entries':[]}",
                  "/format", "must be \"gloss-bundle\": not a Gloss bundle");
  assert_refused ("{'format':'Gloss-Bundle','version':1,'entries':[]}",
                  "/format", "must be \"gloss-bundle\": not a Gloss bundle");
  assert_refused ("{'format':['gloss-bundle'],'version':1,'entries':[]}",
                  "/format", "must be \"gloss-bundle\": not a Gloss bundle");
  assert_refused ("{'format':1,'version':1,'entries':[]}",
                  "/format", "must be \"gloss-bundle\": not a Gloss bundle");
}

static void
test_top_entries (void)
{
  assert_refused ("{'format':'gloss-bundle','version':1,'title':'T'}",
                  "/entries", "missing: a bundle needs an \"entries\" array");
  assert_refused ("{'format':'gloss-bundle','version':1,'entries':{}}",
                  "/entries", "must be an array");
  assert_refused ("{'format':'gloss-bundle','version':1,'entries':null}",
                  "/entries", "must be an array");
  assert_refused ("{'format':'gloss-bundle','version':1,'entries':'[]'}",
                  "/entries", "must be an array");
}

static void
test_top_empty_entries (void)
{
  g_autoptr(GlossBundle) bundle = NULL;
  guint n_sorted = 99;

  bundle = load_json ("{'format':'gloss-bundle','version':1,'title':'Empty','entries':[]}");
  assert_no_problems (bundle);
  g_assert_cmpuint (gloss_bundle_get_n_entries (bundle), ==, 0);
  g_assert_cmpuint (gloss_bundle_get_n_skipped (bundle), ==, 0);
  gloss_bundle_get_sorted (bundle, &n_sorted);
  g_assert_cmpuint (n_sorted, ==, 0);
  g_assert_nonnull (gloss_bundle_get_index (bundle));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (bundle)), ==, 0);
}

static void
test_top_title (void)
{
  static const struct {
    const char *member;
    const char *type_warning;
  } cases[] = {
    { "", NULL },
    { "'title':'',", NULL },
    { "'title':' \\n ',", NULL },
    { "'title':'\\u202e\\u2069',", NULL },
    { "'title':5,", "expected a string, found a number; ignored" },
    { "'title':null,", "expected a string, found null; ignored" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *json = g_strdup_printf ("{'format':'gloss-bundle','version':1,%s"
                                               "'entries':[]}", cases[i].member);
      g_autoptr(GlossBundle) bundle = load_json (json);

      g_test_message ("%s", cases[i].member);
      g_assert_cmpstr (gloss_bundle_get_title (bundle), ==, "test.json");
      if (cases[i].type_warning != NULL)
        assert_problems (bundle,
                         W ("/title", cases[i].type_warning),
                         W ("/title", "missing or empty; the file's name stands in"));
      else
        assert_problems (bundle, W ("/title", "missing or empty; the file's name stands in"));
    }
}

static void
test_top_id (void)
{
  g_autofree char *id_128 = repeat ("A", 128);
  g_autofree char *id_129 = repeat ("A", 129);
  g_autofree char *a40 = repeat ("A", 40);
  static const char * const bad[] = { "no spaces", "-lead", ".lead", "", "slash/no", "caf\u00e9" };

  {
    g_autoptr(GlossBundle) bundle = load_json ("{'format':'gloss-bundle','version':1,'title':'T',"
                                               "'id':'Org.Example-1_x','entries':[]}");
    assert_no_problems (bundle);
    g_assert_cmpstr (gloss_bundle_get_id (bundle), ==, "Org.Example-1_x");
  }

  {
    g_autofree char *json = g_strdup_printf ("{'format':'gloss-bundle','version':1,'title':'T',"
                                             "'id':'%s','entries':[]}", id_128);
    g_autoptr(GlossBundle) bundle = load_json (json);
    assert_no_problems (bundle);
    g_assert_cmpstr (gloss_bundle_get_id (bundle), ==, id_128);
  }

  {
    g_autoptr(GlossBundle) bundle = load_json ("{'format':'gloss-bundle','version':1,'title':'T',"
                                               "'entries':[]}");
    assert_no_problems (bundle);
    g_assert_cmpstr (gloss_bundle_get_id (bundle), ==, "/tmp/test.json");
  }

  for (guint i = 0; i < G_N_ELEMENTS (bad) + 1; i++)
    {
      const char *id = i < G_N_ELEMENTS (bad) ? bad[i] : id_129;
      g_autofree char *json = g_strdup_printf ("{'format':'gloss-bundle','version':1,'title':'T',"
                                               "'id':'%s','entries':[]}", id);
      g_autofree char *shown = i < G_N_ELEMENTS (bad) ? g_strdup (id)
                                                      : g_strconcat (a40, "…", NULL);
      g_autofree char *message = g_strdup_printf ("invalid bundle id “%s” (letters, digits, '.', "
                                                  "'_' and '-', at most 128); the file's path "
                                                  "stands in", shown);
      g_autoptr(GlossBundle) bundle = load_json (json);

      g_test_message ("id: %s", id);
      assert_problems (bundle, W ("/id", message));
      g_assert_cmpstr (gloss_bundle_get_id (bundle), ==, "/tmp/test.json");
    }

  {
    g_autoptr(GlossBundle) bundle = load_json ("{'format':'gloss-bundle','version':1,'title':'T',"
                                               "'id':42,'entries':[]}");
    assert_problems (bundle, W ("/id", "expected a string, found a number; ignored"));
    g_assert_cmpstr (gloss_bundle_get_id (bundle), ==, "/tmp/test.json");
  }
}

static void
test_top_optional_fields (void)
{
  g_autoptr(GlossBundle) bundle = NULL;
  const GlossCategory *categories;
  guint n;

  bundle = load_json ("{'format':'gloss-bundle','version':1,'title':'T',"
                      "'description':1,'language':[],'license':{},'updated':'2026-02-30',"
                      "'authors':['Ada',7,'Grace'],"
                      "'categories':[{'id':'a','name':'A'},{'id':'b'},{'name':'No id'},"
                      "{'id':'a','name':'Again'},3,{'id':'c','name':'C','description':false}],"
                      "'entries':[]}");

  assert_problems (bundle,
                   W ("/description", "expected a string, found a number; ignored"),
                   W ("/language", "expected a string, found an array; ignored"),
                   W ("/license", "expected a string, found an object; ignored"),
                   W ("/updated", "“2026-02-30” is not a date written YYYY-MM-DD; ignored"),
                   W ("/authors/1", "expected a string, found a number; ignored"),
                   W ("/categories/1", "category without \"name\"; ignored"),
                   W ("/categories/2", "category without \"id\"; ignored"),
                   W ("/categories/3/id", "duplicate category id “a”; ignored"),
                   W ("/categories/4", "expected an object, found a number; ignored"),
                   W ("/categories/5/description", "expected a string, found a boolean; ignored"));

  g_assert_null (gloss_bundle_get_description (bundle));
  g_assert_null (gloss_bundle_get_language (bundle));
  g_assert_null (gloss_bundle_get_license (bundle));
  g_assert_null (gloss_bundle_get_updated (bundle));
  g_assert_cmpuint (g_strv_length ((char **)gloss_bundle_get_authors (bundle)), ==, 2);
  categories = gloss_bundle_get_categories (bundle, &n);
  g_assert_cmpuint (n, ==, 2);
  g_assert_cmpstr (categories[0].name, ==, "A");
  g_assert_cmpstr (categories[1].id, ==, "c");
  g_assert_null (categories[1].description);

  {
    g_autoptr(GlossBundle) b = load_json ("{'format':'gloss-bundle','version':1,'title':'T',"
                                          "'authors':'Ada','categories':{},'entries':[]}");

    assert_problems (b,
                     W ("/authors", "expected an array of strings, found a string; ignored"),
                     W ("/categories", "expected an array, found an object; ignored"));
    g_assert_cmpuint (g_strv_length ((char **)gloss_bundle_get_authors (b)), ==, 0);
  }
}

/* Defaults, every field, order */

static void
test_defaults (void)
{
  g_autofree char *words_1000 = repeat ("word ", 1000);
  g_autofree char *entries = g_strdup_printf (
    "{'id':'a','term':'Alpha'},"
    "{'id':'b','term':'Beta','summary':'Three short words.'},"
    "{'id':'c','term':'Gamma','sections':[{'body':'%s'}]}",
    words_1000);
  g_autoptr(GlossBundle) bundle = load_entries (entries);
  GlossEntry *entry = gloss_bundle_get_entry (bundle, 0);
  guint n;

  assert_no_problems (bundle);

  g_assert_cmpstr (gloss_entry_get_title (entry), ==, "Alpha");
  g_assert_false (gloss_entry_get_mature (entry));
  g_assert_cmpuint (gloss_entry_get_reading_minutes (entry), ==, 1);
  g_assert_null (gloss_entry_get_summary (entry));
  g_assert_null (gloss_entry_get_category (entry));
  g_assert_null (gloss_entry_get_notice (entry));
  g_assert_null (gloss_entry_get_published (entry));
  g_assert_null (gloss_entry_get_updated (entry));
  g_assert_cmpuint (g_strv_length ((char **)gloss_entry_get_aliases (entry)), ==, 0);
  g_assert_cmpuint (g_strv_length ((char **)gloss_entry_get_tags (entry)), ==, 0);
  g_assert_cmpuint (g_strv_length ((char **)gloss_entry_get_sources (entry)), ==, 0);
  g_assert_cmpuint (g_strv_length ((char **)gloss_entry_get_related (entry)), ==, 0);
  gloss_entry_get_stats (entry, &n);
  g_assert_cmpuint (n, ==, 0);
  gloss_entry_get_sections (entry, &n);
  g_assert_cmpuint (n, ==, 0);
  gloss_entry_get_faq (entry, &n);
  g_assert_cmpuint (n, ==, 0);

  /* About 200 words a minute, and at least one minute. */
  g_assert_cmpuint (gloss_entry_get_reading_minutes (gloss_bundle_get_entry (bundle, 1)), ==, 1);
  g_assert_cmpuint (gloss_entry_get_reading_minutes (gloss_bundle_get_entry (bundle, 2)), ==, 5);

  /* The JSON the app holds has the defaults filled in. */
  {
    g_autoptr(JsonNode) node = entry_json (bundle, 0);
    JsonObject *object = json_node_get_object (node);

    g_assert_cmpstr (json_object_get_string_member (object, "title"), ==, "Alpha");
    g_assert_false (json_object_get_boolean_member (object, "mature"));
    g_assert_cmpint (json_object_get_int_member (object, "reading_minutes"), ==, 1);
  }
}

static void
test_every_field (void)
{
  g_autofree char *path = data_path ("every-field.json");
  g_autoptr(GError) error = NULL;
  g_autoptr(GlossBundle) bundle = NULL;
  const char * const *strv;
  const GlossCategory *categories;
  const GlossStat *stats;
  const GlossSection *sections;
  const GlossFaq *faq;
  GlossEntry *entry;
  guint n;

  bundle = load_file (path, &error);
  g_assert_no_error (error);
  assert_no_problems (bundle);

  g_assert_cmpstr (gloss_bundle_get_id (bundle), ==, "org.example.every-field");
  g_assert_cmpstr (gloss_bundle_get_title (bundle), ==, "Every Field");
  g_assert_cmpstr (gloss_bundle_get_description (bundle), ==,
                   "A bundle that sets every field once.");
  g_assert_cmpstr (gloss_bundle_get_language (bundle), ==, "en-GB");
  g_assert_cmpstr (gloss_bundle_get_license (bundle), ==, "CC-BY-SA-4.0");
  g_assert_cmpstr (gloss_bundle_get_updated (bundle), ==, "2026-05-25");
  strv = gloss_bundle_get_authors (bundle);
  g_assert_cmpuint (g_strv_length ((char **)strv), ==, 2);
  g_assert_cmpstr (strv[1], ==, "Grace");
  categories = gloss_bundle_get_categories (bundle, &n);
  g_assert_cmpuint (n, ==, 2);
  g_assert_cmpstr (categories[0].id, ==, "glossary");
  g_assert_cmpstr (categories[0].description, ==, "Words and what they mean.");
  g_assert_null (categories[1].description);

  entry = gloss_bundle_lookup_entry (bundle, "netorare");
  g_assert_nonnull (entry);
  g_assert_cmpstr (gloss_entry_get_term (entry), ==, "Netorare");
  g_assert_cmpstr (gloss_entry_get_title (entry), ==,
                   "Netorare (NTR): a story told from the one left behind");
  strv = gloss_entry_get_aliases (entry);
  g_assert_cmpuint (g_strv_length ((char **)strv), ==, 2);
  g_assert_cmpstr (strv[1], ==, "寝取られ");
  g_assert_cmpstr (gloss_entry_get_summary (entry), ==, "One paragraph, shown under the title.");
  g_assert_cmpstr (gloss_entry_get_category (entry), ==, "glossary");
  g_assert_true (gloss_entry_has_tag (entry, "manga"));
  g_assert_false (gloss_entry_has_tag (entry, "anime"));
  g_assert_true (gloss_entry_get_mature (entry));
  g_assert_cmpstr (gloss_entry_get_notice (entry), ==,
                   "Adult theme, described in plain, non-explicit terms.");
  g_assert_cmpstr (gloss_entry_get_published (entry), ==, "2026-05-25");
  g_assert_cmpstr (gloss_entry_get_updated (entry), ==, "2026-06-01");
  g_assert_cmpuint (gloss_entry_get_reading_minutes (entry), ==, 6);
  strv = gloss_entry_get_sources (entry);
  g_assert_cmpuint (g_strv_length ((char **)strv), ==, 2);
  g_assert_cmpstr (strv[0], ==, "Anime fandom glossaries");
  stats = gloss_entry_get_stats (entry, &n);
  g_assert_cmpuint (n, ==, 2);
  g_assert_cmpstr (stats[0].label, ==, "Word form");
  g_assert_cmpstr (stats[0].value, ==, "Passive of the verb netoru");
  g_assert_cmpstr (stats[0].note, ==, "Japanese grammar");
  g_assert_null (stats[1].note);
  sections = gloss_entry_get_sections (entry, &n);
  g_assert_cmpuint (n, ==, 2);
  g_assert_cmpstr (sections[0].heading, ==, "What the word says");
  g_assert_cmpstr (sections[0].body, ==, "Markdown text with [a link](entry:netori).");
  g_assert_null (sections[1].heading);
  faq = gloss_entry_get_faq (entry, &n);
  g_assert_cmpuint (n, ==, 1);
  g_assert_cmpstr (faq[0].question, ==, "What does NTR stand for?");
  g_assert_cmpstr (faq[0].answer, ==, "*Netorare*.");
  strv = gloss_entry_get_related (entry);
  g_assert_cmpuint (g_strv_length ((char **)strv), ==, 1);
  g_assert_cmpstr (strv[0], ==, "netori");
}

static void
check_sorted_by_collation (GlossBundle *bundle)
{
  const guint *sorted;
  guint n_sorted;

  sorted = gloss_bundle_get_sorted (bundle, &n_sorted);
  g_assert_cmpuint (n_sorted, ==, gloss_bundle_get_n_entries (bundle));

  for (guint i = 0; i + 1 < n_sorted; i++)
    {
      const char *a = gloss_entry_get_term (gloss_bundle_get_entry (bundle, sorted[i]));
      const char *b = gloss_entry_get_term (gloss_bundle_get_entry (bundle, sorted[i + 1]));

      if (g_utf8_collate (a, b) > 0)
        g_error ("“%s” sorted before “%s”", a, b);
    }
}

static guint
sorted_rank (GlossBundle *bundle,
             const char  *id)
{
  const guint *sorted;
  guint n_sorted;
  guint position;

  g_assert_true (gloss_bundle_find_entry (bundle, id, &position));
  sorted = gloss_bundle_get_sorted (bundle, &n_sorted);
  for (guint i = 0; i < n_sorted; i++)
    {
      if (sorted[i] == position)
        return i;
    }

  g_assert_not_reached ();
}

static void
test_sorted (void)
{
  static const char entries[] =
    "{'id':'zebra','term':'zebra'},{'id':'apple','term':'apple'},"
    "{'id':'banana','term':'Banana'},{'id':'eclair','term':'\u00c9clair'},"
    "{'id':'fe','term':'fe'},{'id':'ff','term':'\ufb00'},{'id':'fg','term':'fg'},"
    "{'id':'ten','term':'10'},{'id':'a-ring','term':'A\u030a'},{'id':'kana','term':'\u304b\u306a'}";
  g_autoptr(GlossBundle) bundle = NULL;
  g_autofree char *saved = g_strdup (setlocale (LC_COLLATE, NULL));

  /* The locale's collation: whatever it is, sorted order agrees with
   * g_utf8_collate (), and not with strcmp () (U+FB00 “ﬀ” collates as
   * “ff”, between “fe” and “fg”; as bytes it sorts after all of ASCII). */
  bundle = load_entries (entries);
  check_sorted_by_collation (bundle);
  g_assert_cmpuint (sorted_rank (bundle, "fe"), <, sorted_rank (bundle, "ff"));
  g_assert_cmpuint (sorted_rank (bundle, "ff"), <, sorted_rank (bundle, "fg"));

  /* Where an English locale is installed, it puts case and accents second. */
  if (setlocale (LC_COLLATE, "en_US.UTF-8") != NULL)
    {
      g_autoptr(GlossBundle) english = load_entries (entries);

      check_sorted_by_collation (english);
      g_assert_cmpuint (sorted_rank (english, "apple"), <, sorted_rank (english, "banana"));
      g_assert_cmpuint (sorted_rank (english, "banana"), <, sorted_rank (english, "eclair"));
      g_assert_cmpuint (sorted_rank (english, "eclair"), <, sorted_rank (english, "zebra"));
      setlocale (LC_COLLATE, saved);
    }
  else
    g_test_message ("en_US.UTF-8 is not installed; checked the %s collation only", saved);
}

/* The async API */

typedef struct
{
  GMainLoop    *loop;
  GlossBundle  *bundle;
  GError       *error;
  gboolean      done;
  gint64        last_tick;
  gint64        max_gap;
  guint         n_ticks;
} AsyncLoad;

static void
async_load_done (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  AsyncLoad *load = user_data;

  g_assert_null (source);
  load->bundle = gloss_bundle_new_from_file_finish (result, &load->error);
  load->done = TRUE;
  g_main_loop_quit (load->loop);
}

static gboolean
async_timeout (gpointer user_data)
{
  g_error ("the async load did not finish within 30 s");
  return G_SOURCE_REMOVE;
}

static void
run_async (AsyncLoad    *load,
           const char   *path,
           GCancellable *cancellable)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);
  guint guard;

  load->done = FALSE;
  load->loop = g_main_loop_new (NULL, FALSE);
  gloss_bundle_new_from_file_async (file, cancellable, async_load_done, load);
  guard = g_timeout_add_seconds (30, async_timeout, NULL);
  /* The callback must not run before the main loop does. */
  g_assert_false (load->done);
  g_main_loop_run (load->loop);
  g_source_remove (guard);
  g_clear_pointer (&load->loop, g_main_loop_unref);
}

static void
assert_same_bundle (GlossBundle *a,
                    GlossBundle *b)
{
  GPtrArray *pa = gloss_bundle_get_problems (a);
  GPtrArray *pb = gloss_bundle_get_problems (b);
  const guint *sa;
  const guint *sb;
  guint na;
  guint nb;

  g_assert_true (g_file_equal (gloss_bundle_get_file (a), gloss_bundle_get_file (b)));
  g_assert_cmpstr (gloss_bundle_get_id (a), ==, gloss_bundle_get_id (b));
  g_assert_cmpstr (gloss_bundle_get_title (a), ==, gloss_bundle_get_title (b));
  g_assert_cmpstr (gloss_bundle_get_description (a), ==, gloss_bundle_get_description (b));
  g_assert_cmpuint (gloss_bundle_get_n_entries (a), ==, gloss_bundle_get_n_entries (b));
  g_assert_cmpuint (gloss_bundle_get_n_skipped (a), ==, gloss_bundle_get_n_skipped (b));
  g_assert_cmpuint (gloss_bundle_get_n_errors (a), ==, gloss_bundle_get_n_errors (b));
  g_assert_cmpuint (gloss_bundle_get_n_warnings (a), ==, gloss_bundle_get_n_warnings (b));
  g_assert_nonnull (gloss_bundle_get_index (b));

  g_assert_cmpuint (pa->len, ==, pb->len);
  for (guint i = 0; i < pa->len; i++)
    {
      g_autofree char *la = gloss_problem_format (g_ptr_array_index (pa, i), "f");
      g_autofree char *lb = gloss_problem_format (g_ptr_array_index (pb, i), "f");

      g_assert_cmpstr (la, ==, lb);
    }

  for (guint i = 0; i < gloss_bundle_get_n_entries (a); i++)
    {
      g_autofree char *ja = entry_json_string (a, i);
      g_autofree char *jb = entry_json_string (b, i);

      g_assert_cmpstr (ja, ==, jb);
    }

  sa = gloss_bundle_get_sorted (a, &na);
  sb = gloss_bundle_get_sorted (b, &nb);
  g_assert_cmpuint (na, ==, nb);
  if (na > 0)
    g_assert_cmpmem (sa, na * sizeof (guint), sb, nb * sizeof (guint));
}

static void
test_async_same_as_sync (void)
{
  static const char * const names[] = { "good.json", "every-field.json",
                                        "three-broken-entries.json", "warnings.json" };

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_autofree char *path = data_path (names[i]);
      g_autoptr(GError) error = NULL;
      g_autoptr(GlossBundle) sync = NULL;
      AsyncLoad load = { 0 };

      g_test_message ("%s", names[i]);
      sync = load_file (path, &error);
      g_assert_no_error (error);

      run_async (&load, path, NULL);
      g_assert_no_error (load.error);
      g_assert_true (GLOSS_IS_BUNDLE (load.bundle));
      assert_same_bundle (sync, load.bundle);
      g_assert_finalize_object (load.bundle);
    }
}

static void
test_async_errors (void)
{
  g_autofree char *missing = tmp_path ("missing.json");
  g_autofree char *bad = data_path ("bad-syntax.json");
  g_autofree char *fifo = tmp_path ("async-fifo.json");
  AsyncLoad load = { 0 };

  run_async (&load, missing, NULL);
  g_assert_null (load.bundle);
  g_assert_error (load.error, GLOSS_BUNDLE_ERROR, GLOSS_BUNDLE_ERROR_IO);
  g_clear_error (&load.error);

  run_async (&load, bad, NULL);
  g_assert_null (load.bundle);
  check_refusal (load.error, "6:33", "trailing comma before '}'", FALSE);
  g_clear_error (&load.error);

  g_assert_no_errno (mkfifo (fifo, 0600));
  run_async (&load, fifo, NULL);
  g_assert_null (load.bundle);
  g_assert_error (load.error, GLOSS_BUNDLE_ERROR, GLOSS_BUNDLE_ERROR_IO);
  g_clear_error (&load.error);
  g_assert_no_errno (g_unlink (fifo));
}

static void
test_async_cancel_before (void)
{
  g_autofree char *path = data_path ("good.json");
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  AsyncLoad load = { 0 };

  g_cancellable_cancel (cancellable);
  run_async (&load, path, cancellable);
  g_assert_null (load.bundle);
  g_assert_error (load.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&load.error);
}

/* A bundle of about 30 MB, written once for the tests that need a big one. */
static const char *
big_bundle_path (void)
{
  static char *path;
  GString *out;

  if (path != NULL)
    return path;

  out = g_string_sized_new (32 * 1024 * 1024);
  g_string_append (out, "{\"format\":\"gloss-bundle\",\"version\":1,\"title\":\"Big\","
                        "\"entries\":[\n");
  for (guint i = 0; out->len < 30 * 1000 * 1000; i++)
    {
      if (i > 0)
        g_string_append (out, ",\n");
      g_string_append_printf (out,
                              "{\"id\":\"e%06u\",\"term\":\"Term %u\",\"aliases\":[\"T%u\"],"
                              "\"summary\":\"Summary number %u of a big bundle, with a few words "
                              "that repeat so the index has some work to do.\","
                              "\"tags\":[\"tag%u\"],\"sections\":[{\"heading\":\"Part\","
                              "\"body\":\"",
                              i, i, i, i, i % 50);
      for (guint w = 0; w < 100; w++)
        g_string_append_printf (out, "word%u ", (i * 7 + w * 13) % 5000);
      g_string_append_printf (out, "[next](entry:e%06u)\"}],\"related\":[\"e%06u\"]}",
                              i + 1, i == 0 ? 1 : i - 1);
    }
  g_string_append (out, "\n]}\n");

  path = tmp_path ("big.json");
  write_file (path, out->str, out->len);
  g_test_message ("wrote %" G_GSIZE_FORMAT " bytes to %s", out->len, path);
  g_string_free (out, TRUE);

  return path;
}

static gboolean
cancel_soon (gpointer user_data)
{
  g_cancellable_cancel (user_data);
  return G_SOURCE_REMOVE;
}

static void
test_async_cancel_during (void)
{
  const char *path = big_bundle_path ();
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  AsyncLoad load = { 0 };
  gint64 start;

  start = g_get_monotonic_time ();
  g_timeout_add (20, cancel_soon, cancellable);
  run_async (&load, path, cancellable);
  g_test_message ("cancelled load returned after %" G_GINT64_FORMAT " ms",
                  (g_get_monotonic_time () - start) / 1000);
  g_assert_null (load.bundle);
  g_assert_error (load.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&load.error);
}

static gboolean
tick (gpointer user_data)
{
  AsyncLoad *load = user_data;
  gint64 now = g_get_monotonic_time ();

  if (!load->done)
    {
      load->max_gap = MAX (load->max_gap, now - load->last_tick);
      load->n_ticks++;
    }
  load->last_tick = now;

  return G_SOURCE_CONTINUE;
}

/* Loading must not block the main loop: a guard against blocking, not a
 * benchmark. */
static void
test_async_responsive (void)
{
  const char *path = big_bundle_path ();
  g_autoptr(GFile) file = g_file_new_for_path (path);
  AsyncLoad load = { 0 };
  gint64 start;
  gint64 elapsed;
  guint id;

  load.loop = g_main_loop_new (NULL, FALSE);
  id = g_timeout_add (1, tick, &load);

  start = load.last_tick = g_get_monotonic_time ();
  gloss_bundle_new_from_file_async (file, NULL, async_load_done, &load);
  g_main_loop_run (load.loop);
  g_source_remove (id);
  elapsed = g_get_monotonic_time () - start;

  g_assert_no_error (load.error);
  g_assert_true (GLOSS_IS_BUNDLE (load.bundle));
  g_test_message ("loaded %u entries in %" G_GINT64_FORMAT " ms; %u ticks, "
                  "largest gap between ticks %" G_GINT64_FORMAT " µs",
                  gloss_bundle_get_n_entries (load.bundle),
                  elapsed / 1000, load.n_ticks, load.max_gap);
  g_assert_cmpuint (gloss_bundle_get_n_entries (load.bundle), >, 10000);
  g_assert_cmpuint (gloss_bundle_get_n_skipped (load.bundle), ==, 0);
  /* A guard against blocking, not a benchmark (bench/ measures the gap):
   * sanitizer builds run many times slower and share two cores with
   * whatever else runs, so they get a looser bound; under valgrind, which
   * runs one thread at a time, it is a hang guard: the loop ran all
   * through the load. */
  if (time_scale () > 1)
    g_assert_cmpint (load.max_gap, <, elapsed / 2);
  else
    g_assert_cmpint (load.max_gap, <, (g_getenv ("ASAN_OPTIONS") ? 1000 : 100) * 1000);

  g_object_unref (load.bundle);
  g_main_loop_unref (load.loop);
}

static void
remove_tmp_dir (void)
{
  g_autoptr(GDir) dir = g_dir_open (tmp_dir, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = tmp_path (name);
      g_unlink (path);
    }

  g_rmdir (tmp_dir);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  int ret;

  /* The sidebar order is the locale's: run in a UTF-8 one. */
  setlocale (LC_ALL, "");
  if (!g_get_charset (NULL))
    setlocale (LC_ALL, "C.UTF-8");

  g_test_init (&argc, &argv, NULL);

  tmp_dir = g_dir_make_tmp ("gloss-test-loader-XXXXXX", &error);
  g_assert_no_error (error);

  /* Files (the size tests first, so the memory check sees a small heap). */
  g_test_add_func ("/gloss/loader/file/too-big", test_file_too_big);
  g_test_add_func ("/gloss/loader/file/size-limit", test_file_size_limit);
  g_test_add_func ("/gloss/loader/file/bytes-too-big", test_bytes_too_big);
  g_test_add_func ("/gloss/loader/file/missing", test_file_missing);
  g_test_add_func ("/gloss/loader/file/directory", test_file_directory);
  g_test_add_func ("/gloss/loader/file/fifo", test_file_fifo);
  g_test_add_func ("/gloss/loader/file/device", test_file_device);
  g_test_add_func ("/gloss/loader/file/good", test_file_good);
  g_test_add_func ("/gloss/loader/file/fallbacks", test_file_fallbacks);

  /* Strict JSON */
  g_test_add_func ("/gloss/loader/syntax/file-location", test_syntax_file_location);
  g_test_add_func ("/gloss/loader/syntax/u0000", test_syntax_u0000);
  g_test_add_func ("/gloss/loader/syntax/lone-surrogate", test_syntax_lone_surrogate);
  g_test_add_func ("/gloss/loader/syntax/duplicate-key", test_syntax_duplicate_key);
  g_test_add_func ("/gloss/loader/syntax/comments", test_syntax_comments);
  g_test_add_func ("/gloss/loader/syntax/single-quotes", test_syntax_single_quotes);
  g_test_add_func ("/gloss/loader/syntax/trailing-garbage", test_syntax_trailing_garbage);
  g_test_add_func ("/gloss/loader/syntax/invalid-utf8", test_syntax_invalid_utf8);
  g_test_add_func ("/gloss/loader/syntax/empty", test_syntax_empty);
  g_test_add_func ("/gloss/loader/syntax/bom", test_syntax_bom);

  /* Limits */
  g_test_add_func ("/gloss/loader/limits/nesting-64", test_limits_nesting_64);
  g_test_add_func ("/gloss/loader/limits/nesting-64-in-entry", test_limits_nesting_64_in_entry);
  g_test_add_func ("/gloss/loader/limits/nesting-65", test_limits_nesting_65);
  g_test_add_func ("/gloss/loader/limits/nesting-100000", test_limits_nesting_hostile);
  g_test_add_func ("/gloss/loader/limits/entries-over-million", test_limits_entries_over);
  g_test_add_func ("/gloss/loader/limits/entries-million", test_limits_entries_at_limit);
  g_test_add_func ("/gloss/loader/limits/cut-512", test_limits_cut_512);
  g_test_add_func ("/gloss/loader/limits/cut-4000", test_limits_cut_4000);
  g_test_add_func ("/gloss/loader/limits/cut-200000", test_limits_cut_200000);
  g_test_add_func ("/gloss/loader/limits/cut-other-strings", test_limits_cut_other_strings);
  g_test_add_func ("/gloss/loader/limits/combining-marks", test_limits_combining_marks);
  g_test_add_func ("/gloss/loader/limits/combining-marks-before-cut",
                   test_limits_combining_marks_before_cut);
  g_test_add_func ("/gloss/loader/integers/version", test_integers_version);
  g_test_add_func ("/gloss/loader/integers/reading-minutes", test_integers_reading_minutes);

  /* Text */
  g_test_add_func ("/gloss/loader/text/bidi", test_text_bidi);
  g_test_add_func ("/gloss/loader/text/bidi-only-term", test_text_bidi_only_term);
  g_test_add_func ("/gloss/loader/text/bidi-before-cut", test_text_bidi_before_cut);
  g_test_add_func ("/gloss/loader/text/control-characters", test_text_control_characters);
  g_test_add_func ("/gloss/loader/text/control-escapes", test_text_control_escapes);

  /* Entries */
  g_test_add_func ("/gloss/loader/entries/not-object", test_entries_not_object);
  g_test_add_func ("/gloss/loader/entries/missing-id", test_entries_missing_id);
  g_test_add_func ("/gloss/loader/entries/invalid-id", test_entries_invalid_id);
  g_test_add_func ("/gloss/loader/entries/missing-term", test_entries_missing_term);
  g_test_add_func ("/gloss/loader/entries/empty-term", test_entries_empty_term);
  g_test_add_func ("/gloss/loader/entries/duplicate-id", test_entries_duplicate_id);
  g_test_add_func ("/gloss/loader/entries/skipped-id-is-free", test_entries_skipped_id_is_free);
  g_test_add_func ("/gloss/loader/entries/three-broken", test_entries_three_broken);

  /* Fields */
  g_test_add_func ("/gloss/loader/fields/wrong-type", test_fields_wrong_type);
  g_test_add_func ("/gloss/loader/fields/mature", test_fields_mature);
  g_test_add_func ("/gloss/loader/fields/dates", test_fields_dates);
  g_test_add_func ("/gloss/loader/fields/stats", test_fields_stats);
  g_test_add_func ("/gloss/loader/fields/sections", test_fields_sections);
  g_test_add_func ("/gloss/loader/fields/faq", test_fields_faq);
  g_test_add_func ("/gloss/loader/fields/related", test_fields_related);
  g_test_add_func ("/gloss/loader/fields/category", test_fields_category);
  g_test_add_func ("/gloss/loader/fields/unknown", test_fields_unknown);
  g_test_add_func ("/gloss/loader/fields/links", test_fields_links);
  g_test_add_func ("/gloss/loader/fields/paths-after-dropped-items",
                   test_fields_paths_after_dropped_items);
  g_test_add_func ("/gloss/loader/fields/hostile-name", test_fields_hostile_name);
  g_test_add_func ("/gloss/loader/fuzz/regressions", test_fuzz_regressions);
  g_test_add_func ("/gloss/loader/fuzz/one-input", test_fuzz_one_input);

  /* Top level */
  g_test_add_func ("/gloss/loader/top/not-object", test_top_not_object);
  g_test_add_func ("/gloss/loader/top/format", test_top_format);
  g_test_add_func ("/gloss/loader/top/entries", test_top_entries);
  g_test_add_func ("/gloss/loader/top/empty-entries", test_top_empty_entries);
  g_test_add_func ("/gloss/loader/top/title", test_top_title);
  g_test_add_func ("/gloss/loader/top/id", test_top_id);
  g_test_add_func ("/gloss/loader/top/optional-fields", test_top_optional_fields);

  /* Defaults and order */
  g_test_add_func ("/gloss/loader/defaults", test_defaults);
  g_test_add_func ("/gloss/loader/every-field", test_every_field);
  g_test_add_func ("/gloss/loader/sorted", test_sorted);

  /* Async */
  g_test_add_func ("/gloss/loader/async/same-as-sync", test_async_same_as_sync);
  g_test_add_func ("/gloss/loader/async/errors", test_async_errors);
  g_test_add_func ("/gloss/loader/async/cancel-before", test_async_cancel_before);
  g_test_add_func ("/gloss/loader/async/cancel-during", test_async_cancel_during);
  g_test_add_func ("/gloss/loader/async/responsive", test_async_responsive);

  ret = g_test_run ();

  remove_tmp_dir ();
  g_free (tmp_dir);

  return ret;
}
