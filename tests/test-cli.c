/* test-cli.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "test-cli"

#include "config.h"

#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>

/*
 * gloss-cli end to end, through the real binary (GLOSS_CLI), against the
 * interface fixed in bundle-format.md: output shapes and exit codes 0, 1
 * and 2 for every subcommand on good, broken, refused and unreadable files.
 */

static const char *cli_path;
static char *tmp_dir;

/* GLOSS_TEST_WRAPPER (valgrind, under `make valgrind`) runs gloss-cli
 * too, with more time to finish. */
static char **wrapper;

typedef struct
{
  int   status;  /* the exit code */
  char *out;
  char *err;
} Run;

static void
run_clear (Run *run)
{
  g_clear_pointer (&run->out, g_free);
  g_clear_pointer (&run->err, g_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Run, run_clear)

/* Runs gloss-cli with the NULL-terminated arguments, no shell in between,
 * under `timeout` so that a hang (a FIFO read the wrong way) fails the test
 * instead of stalling the run (and inside the test wrapper, if any). */
static void
run_cli_v (Run        *run,
           const char *first,
           va_list     args)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) envp = g_get_environ ();
  int wait_status;

  g_ptr_array_add (argv, (char *)"timeout");
  g_ptr_array_add (argv, (char *)(wrapper != NULL ? "300" : "20"));
  for (guint i = 0; wrapper != NULL && wrapper[i] != NULL; i++)
    {
      if (wrapper[i][0] != '\0')
        g_ptr_array_add (argv, wrapper[i]);
    }
  g_ptr_array_add (argv, (char *)cli_path);
  for (const char *arg = first; arg != NULL; arg = va_arg (args, const char *))
    g_ptr_array_add (argv, (char *)arg);
  g_ptr_array_add (argv, NULL);

  /* Plain messages and code-point collation whatever the caller's locale. */
  envp = g_environ_setenv (envp, "LC_ALL", "C.UTF-8", TRUE);
  envp = g_environ_unsetenv (envp, "LANGUAGE");

  g_spawn_sync (NULL, (char **)argv->pdata, envp, G_SPAWN_SEARCH_PATH, NULL, NULL,
                &run->out, &run->err, &wait_status, &error);
  g_assert_no_error (error);

  g_assert_true (WIFEXITED (wait_status));
  run->status = WEXITSTATUS (wait_status);
  if (run->status == 124)
    g_error ("gloss-cli did not finish within %s s", (char *)argv->pdata[1]);

  g_test_message ("exit %d\n--- stdout\n%s--- stderr\n%s---", run->status, run->out, run->err);
}

G_GNUC_NULL_TERMINATED
static void
run_cli (Run        *run,
         const char *first,
         ...)
{
  va_list args;

  run_clear (run);
  va_start (args, first);
  run_cli_v (run, first, args);
  va_end (args);
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

/* Writes single-quoted JSON to a file in the temp dir. */
static char *
write_bundle (const char *name,
              const char *json_sq)
{
  g_autofree char *json = g_strdup (json_sq);
  g_autoptr(GError) error = NULL;
  char *path = tmp_path (name);

  for (char *p = json; *p; p++)
    {
      if (*p == '\'')
        *p = '"';
    }

  g_file_set_contents (path, json, -1, &error);
  g_assert_no_error (error);

  return path;
}

static char **
lines (const char *text)
{
  g_auto(GStrv) split = g_strsplit (text, "\n", -1);
  guint n = g_strv_length (split);

  /* Output ends with a newline: no empty last line. */
  g_assert_cmpuint (n, >, 0);
  g_assert_cmpstr (split[n - 1], ==, "");
  g_free (split[n - 1]);
  split[n - 1] = NULL;

  return g_steal_pointer (&split);
}

/* `ID<TAB>TERM` lines. */
static void
assert_id_term_lines (const char *out)
{
  g_auto(GStrv) split = lines (out);

  for (guint i = 0; split[i] != NULL; i++)
    {
      if (!g_regex_match_simple ("^[a-z0-9][a-z0-9._-]{0,127}\t[^\t]+$", split[i], 0, 0))
        g_error ("not an ID<TAB>TERM line: “%s”", split[i]);
    }
}

/* Bad usage */

static void
test_usage (void)
{
  g_autofree char *good = data_path ("good.json");
  g_auto(Run) run = { 0 };

  run_cli (&run, NULL, NULL);
  g_assert_cmpint (run.status, ==, 2);
  g_assert_true (strstr (run.err, "Usage:") != NULL);

  run_cli (&run, "frobnicate", good, NULL);
  g_assert_cmpint (run.status, ==, 2);
  g_assert_true (strstr (run.err, "unknown command") != NULL);

  run_cli (&run, "validate", NULL);
  g_assert_cmpint (run.status, ==, 2);

  run_cli (&run, "validate", "--no-such-option", good, NULL);
  g_assert_cmpint (run.status, ==, 2);

  run_cli (&run, "list", NULL);
  g_assert_cmpint (run.status, ==, 2);

  run_cli (&run, "list", good, good, NULL);
  g_assert_cmpint (run.status, ==, 2);

  run_cli (&run, "show", good, NULL);
  g_assert_cmpint (run.status, ==, 2);

  run_cli (&run, "show", good, "alpha", "beta", NULL);
  g_assert_cmpint (run.status, ==, 2);

  run_cli (&run, "search", good, NULL);
  g_assert_cmpint (run.status, ==, 2);

  run_cli (&run, "search", "--limit", "0", good, "alpha", NULL);
  g_assert_cmpint (run.status, ==, 2);

  run_cli (&run, "search", "--limit", "many", good, "alpha", NULL);
  g_assert_cmpint (run.status, ==, 2);

  /* Bad usage reads nothing and prints nothing on stdout. */
  g_assert_cmpstr (run.out, ==, "");

  run_cli (&run, "--help", NULL);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_true (strstr (run.out, "gloss-cli validate") != NULL);
}

/* validate */

static void
test_validate_good (void)
{
  g_autofree char *good = data_path ("good.json");
  g_autofree char *summary = g_strdup_printf ("%s: 4 entries, 0 skipped; 0 errors, 0 warnings\n",
                                              good);
  g_auto(Run) run = { 0 };

  run_cli (&run, "validate", good, NULL);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_cmpstr (run.out, ==, summary);

  run_cli (&run, "validate", "--strict", good, NULL);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_cmpstr (run.out, ==, summary);

  /* The built-in glossary is valid and warns about nothing. */
  {
    g_autofree char *builtin = g_test_build_filename (G_TEST_DIST, "..", "data",
                                                      "default.gloss.json", NULL);

    run_cli (&run, "validate", "--strict", builtin, NULL);
    g_assert_cmpint (run.status, ==, 0);
  }
}

static void
test_validate_syntax (void)
{
  g_autofree char *bad = data_path ("bad-syntax.json");
  g_autofree char *expected = NULL;
  g_auto(GStrv) out = NULL;
  g_auto(Run) run = { 0 };

  run_cli (&run, "validate", bad, NULL);
  g_assert_cmpint (run.status, ==, 1);

  /* FILE:LINE:COLUMN: error: …, then the summary line. */
  out = lines (run.out);
  g_assert_cmpuint (g_strv_length (out), ==, 2);
  expected = g_strdup_printf ("%s:6:33: error: trailing comma before '}'", bad);
  g_assert_cmpstr (out[0], ==, expected);
  g_assert_true (g_str_has_prefix (out[1], bad));
  g_assert_true (g_str_has_prefix (out[1] + strlen (bad), ": "));
  g_assert_true (strstr (out[1], "1 error") != NULL);
}

static void
test_validate_refused (void)
{
  static const struct {
    const char *json;
    const char *line;
  } cases[] = {
    { "[]", "/: error: the top level must be an object, not a Gloss bundle" },
    { "{'format':'gloss','version':1,'entries':[]}",
      "/format: error: must be \"gloss-bundle\": not a Gloss bundle" },
    { "{'format':'gloss-bundle','version':2,'entries':[]}",
      "/version: error: made for a newer version of Gloss" },
    { "{'format':'gloss-bundle','version':1}",
      "/entries: error: missing: a bundle needs an \"entries\" array" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *path = write_bundle ("refused.json", cases[i].json);
      g_autofree char *prefix = g_strdup_printf ("%s: %s", path, cases[i].line);
      g_auto(GStrv) out = NULL;
      g_auto(Run) run = { 0 };

      run_cli (&run, "validate", path, NULL);
      g_assert_cmpint (run.status, ==, 1);
      out = lines (run.out);
      g_assert_cmpuint (g_strv_length (out), ==, 2);
      g_assert_true (g_str_has_prefix (out[0], prefix));
      g_assert_true (strstr (out[1], "1 error") != NULL);
    }
}

static void
test_validate_three_broken (void)
{
  g_autofree char *path = data_path ("three-broken-entries.json");
  g_autofree char *line1 = NULL;
  g_autofree char *line2 = NULL;
  g_autofree char *line3 = NULL;
  g_autofree char *summary = NULL;
  g_auto(GStrv) out = NULL;
  g_auto(Run) run = { 0 };

  run_cli (&run, "validate", path, NULL);
  g_assert_cmpint (run.status, ==, 1);

  line1 = g_strdup_printf ("%s: /entries/1: error: entry skipped: expected an object, "
                           "found a string", path);
  line2 = g_strdup_printf ("%s: /entries/3: error: entry skipped: no \"id\"", path);
  line3 = g_strdup_printf ("%s: /entries/5/term: error: entry skipped: empty \"term\"", path);
  summary = g_strdup_printf ("%s: 4 entries, 3 skipped; 3 errors, 0 warnings", path);

  out = lines (run.out);
  g_assert_cmpuint (g_strv_length (out), ==, 4);
  g_assert_true (g_strv_contains ((const char * const *)out, line1));
  g_assert_true (g_strv_contains ((const char * const *)out, line2));
  g_assert_true (g_strv_contains ((const char * const *)out, line3));
  g_assert_cmpstr (out[3], ==, summary);
}

static void
test_validate_warnings (void)
{
  g_autofree char *path = data_path ("warnings.json");
  g_autofree char *line1 = NULL;
  g_autofree char *line2 = NULL;
  g_autofree char *summary = NULL;
  g_auto(GStrv) out = NULL;
  g_auto(Run) run = { 0 };

  line1 = g_strdup_printf ("%s: /entries/0/colour: warning: unknown field “colour” is ignored",
                           path);
  line2 = g_strdup_printf ("%s: /entries/1/related/0: warning: no entry with id “nowhere”; "
                           "ignored", path);
  summary = g_strdup_printf ("%s: 2 entries, 0 skipped; 0 errors, 2 warnings", path);

  /* Warnings alone pass... */
  run_cli (&run, "validate", path, NULL);
  g_assert_cmpint (run.status, ==, 0);
  out = lines (run.out);
  g_assert_cmpuint (g_strv_length (out), ==, 3);
  g_assert_true (g_strv_contains ((const char * const *)out, line1));
  g_assert_true (g_strv_contains ((const char * const *)out, line2));
  g_assert_cmpstr (out[2], ==, summary);

  /* ... but not with --strict, which prints the same. */
  run_cli (&run, "validate", "--strict", path, NULL);
  g_assert_cmpint (run.status, ==, 1);
  g_clear_pointer (&out, g_strfreev);
  out = lines (run.out);
  g_assert_cmpuint (g_strv_length (out), ==, 3);
  g_assert_cmpstr (out[2], ==, summary);
}

/* Bundle text never drives the terminal: no control character but newline
 * and tab in what validate prints, even from a hostile field name. */
static void
test_validate_no_controls (void)
{
  g_autofree char *path = write_bundle (
    "hostile.json",
    "{'format':'gloss-bundle','version':1,'title':'T\\u001b]0;x\\u0007',"
    "'entries':[{'id':'a','term':'\\u001b[31mA',"
    "'summary':'\\u001b[2J','\\u001b[2J\\u202eevil':1,"
    "'related':['\\u001b[5m']}]}");
  g_auto(Run) run = { 0 };
  gboolean clean = TRUE;

  run_cli (&run, "validate", path, NULL);
  g_assert_cmpint (run.status, ==, 0);

  for (const char *p = run.out; *p; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if ((c < 0x20 && c != '\n' && c != '\t') || (c >= 0x7F && c <= 0x9F) ||
          (c >= 0x202A && c <= 0x202E) || (c >= 0x2066 && c <= 0x2069))
        clean = FALSE;
    }

  /* An unknown field's name is escaped in its JSON Pointer: no ESC or bidi
   * control reaches the terminal. */
  g_assert_true (clean);
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

/* The files every subcommand must refuse to read, with exit 2. */
static GPtrArray *
unreadable_files (void)
{
  GPtrArray *paths = g_ptr_array_new_with_free_func (g_free);
  char *fifo = tmp_path ("fifo.json");
  char *big = tmp_path ("big.json");
  char *dir = tmp_path ("folder.json");

  if (!g_file_test (fifo, G_FILE_TEST_EXISTS))
    g_assert_no_errno (mkfifo (fifo, 0600));
  if (!g_file_test (big, G_FILE_TEST_EXISTS))
    make_sparse_file (big, 256 * 1024 * 1024 + 1);
  if (!g_file_test (dir, G_FILE_TEST_EXISTS))
    g_assert_no_errno (g_mkdir (dir, 0700));

  g_ptr_array_add (paths, tmp_path ("missing.json"));
  g_ptr_array_add (paths, fifo);
  g_ptr_array_add (paths, big);
  g_ptr_array_add (paths, dir);
  g_ptr_array_add (paths, g_strdup ("/dev/null"));

  /* Permissions mean nothing to root. */
  if (geteuid () != 0)
    {
      char *locked = tmp_path ("locked.json");
      g_autofree char *good = data_path ("good.json");
      g_autofree char *contents = NULL;

      g_assert_true (g_file_get_contents (good, &contents, NULL, NULL));
      g_assert_true (g_file_set_contents (locked, contents, -1, NULL));
      g_assert_no_errno (g_chmod (locked, 0));
      g_ptr_array_add (paths, locked);
    }

  return paths;
}

static void
test_validate_unreadable (void)
{
  g_autoptr(GPtrArray) paths = unreadable_files ();
  g_autofree char *good = data_path ("good.json");
  g_autofree char *broken = data_path ("three-broken-entries.json");

  for (guint i = 0; i < paths->len; i++)
    {
      const char *path = g_ptr_array_index (paths, i);
      g_autofree char *prefix = g_strdup_printf ("%s: error: ", path);
      g_auto(GStrv) out = NULL;
      g_auto(Run) run = { 0 };

      run_cli (&run, "validate", path, NULL);
      g_assert_cmpint (run.status, ==, 2);
      out = lines (run.out);
      g_assert_cmpuint (g_strv_length (out), ==, 2);
      g_assert_true (g_str_has_prefix (out[0], prefix));
      g_assert_true (g_str_has_prefix (out[1], path));

      /* Several files: the worst one decides. */
      run_cli (&run, "validate", good, path, broken, NULL);
      g_assert_cmpint (run.status, ==, 2);
    }
}

static void
test_validate_several (void)
{
  g_autofree char *good = data_path ("good.json");
  g_autofree char *warnings = data_path ("warnings.json");
  g_autofree char *broken = data_path ("three-broken-entries.json");
  g_autofree char *bad = data_path ("bad-syntax.json");
  g_auto(Run) run = { 0 };

  run_cli (&run, "validate", good, warnings, NULL);
  g_assert_cmpint (run.status, ==, 0);

  run_cli (&run, "validate", "--strict", good, warnings, NULL);
  g_assert_cmpint (run.status, ==, 1);

  run_cli (&run, "validate", broken, good, NULL);
  g_assert_cmpint (run.status, ==, 1);

  /* One summary line per file, whatever happened to it. */
  run_cli (&run, "validate", good, bad, broken, NULL);
  g_assert_cmpint (run.status, ==, 1);
  {
    g_auto(GStrv) out = lines (run.out);
    g_autofree char *good_summary = g_strdup_printf ("%s: 4 entries, 0 skipped; 0 errors, "
                                                     "0 warnings", good);

    /* 1 good summary + (syntax error, summary) + (3 problems, summary) */
    g_assert_cmpuint (g_strv_length (out), ==, 7);
    g_assert_cmpstr (out[0], ==, good_summary);
  }
}

/* list */

static void
test_list (void)
{
  g_autofree char *good = data_path ("good.json");
  g_auto(Run) run = { 0 };

  /* Sidebar order, the mature "Delta" hidden. */
  run_cli (&run, "list", good, NULL);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_cmpstr (run.out, ==, "alpha\tAlpha\nbeta\tBeta\ngamma\tGamma\n");
  assert_id_term_lines (run.out);

  run_cli (&run, "list", "--include-mature", good, NULL);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_cmpstr (run.out, ==, "alpha\tAlpha\nbeta\tBeta\ndelta\tDelta\ngamma\tGamma\n");
}

static void
test_list_three_broken (void)
{
  g_autofree char *path = data_path ("three-broken-entries.json");
  g_auto(Run) run = { 0 };

  /* Skipped entries don't refuse the bundle: the rest is listed. */
  run_cli (&run, "list", path, NULL);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_cmpstr (run.out, ==, "five\tFive\none\tOne\nthree\tThree\ntwo\tTwo\n");
}

static void
test_list_sidebar_order (void)
{
  g_autofree char *path = write_bundle (
    "order.json",
    "{'format':'gloss-bundle','version':1,'title':'T','entries':["
    "{'id':'z','term':'Zeta'},{'id':'m','term':'Mu','mature':'yes'},"
    "{'id':'a','term':'Alpha'},{'id':'o','term':'Omega'},"
    "{'id':'e','term':'Epsilon'}]}");
  g_auto(Run) run = { 0 };

  /* "mature": "yes" counts as true: hidden. */
  run_cli (&run, "list", path, NULL);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_cmpstr (run.out, ==, "a\tAlpha\ne\tEpsilon\no\tOmega\nz\tZeta\n");

  run_cli (&run, "list", "--include-mature", path, NULL);
  g_assert_cmpstr (run.out, ==, "a\tAlpha\ne\tEpsilon\nm\tMu\no\tOmega\nz\tZeta\n");
}

static void
test_list_refused (void)
{
  g_autofree char *bad = data_path ("bad-syntax.json");
  g_autofree char *expected = g_strdup_printf ("%s:6:33: error: trailing comma before '}'\n", bad);
  g_autoptr(GPtrArray) paths = unreadable_files ();
  g_auto(Run) run = { 0 };

  run_cli (&run, "list", bad, NULL);
  g_assert_cmpint (run.status, ==, 1);
  g_assert_cmpstr (run.out, ==, "");
  g_assert_cmpstr (run.err, ==, expected);

  for (guint i = 0; i < paths->len; i++)
    {
      run_cli (&run, "list", (const char *)g_ptr_array_index (paths, i), NULL);
      g_assert_cmpint (run.status, ==, 2);
      g_assert_cmpstr (run.out, ==, "");
    }
}

/* show */

static void
test_show_text (void)
{
  g_autofree char *good = data_path ("good.json");
  g_autofree char *every = data_path ("every-field.json");
  g_auto(Run) run = { 0 };

  run_cli (&run, "show", good, "alpha", NULL);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_true (g_str_has_prefix (run.out, "Alpha\n"));
  g_assert_true (strstr (run.out, "The first letter of the Greek alphabet.") != NULL);
  g_assert_true (strstr (run.out, "alpha") != NULL);
  g_assert_cmpstr (run.err, ==, "");

  run_cli (&run, "show", "--include-mature", every, "netorare", NULL);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_true (g_str_has_prefix (run.out,
                                   "Netorare (NTR): a story told from the one left behind\n"));
  g_assert_true (strstr (run.out, "Adult theme, described in plain, non-explicit terms.") != NULL);
  g_assert_true (strstr (run.out, "What the word says") != NULL);
  g_assert_true (strstr (run.out, "What does NTR stand for?") != NULL);
  g_assert_true (strstr (run.out, "Passive of the verb netoru") != NULL);
  /* Markdown as a reader sees it: a link is its label */
  g_assert_true (strstr (run.out, "\nMarkdown text with a link.\n") != NULL);
  g_assert_true (strstr (run.out, "\nA: Netorare.\n") != NULL);
  g_assert_null (strstr (run.out, "](entry:"));
}

static JsonObject *
parse_object (const char *text)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  JsonNode *root;

  json_parser_load_from_data (parser, text, -1, &error);
  g_assert_no_error (error);
  root = json_parser_get_root (parser);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (root));

  return json_object_ref (json_node_get_object (root));
}

static guint
array_length (JsonObject *object,
              const char *member)
{
  g_assert_true (json_object_has_member (object, member));
  return json_array_get_length (json_object_get_array_member (object, member));
}

static void
test_show_json (void)
{
  g_autofree char *every = data_path ("every-field.json");
  g_auto(Run) run = { 0 };

  /* Defaults filled in: title from the term, mature false, reading time
   * computed, empty lists present. */
  run_cli (&run, "show", "--json", every, "netori", NULL);
  g_assert_cmpint (run.status, ==, 0);
  {
    g_autoptr(JsonObject) entry = parse_object (run.out);

    g_assert_cmpstr (json_object_get_string_member (entry, "id"), ==, "netori");
    g_assert_cmpstr (json_object_get_string_member (entry, "term"), ==, "Netori");
    g_assert_cmpstr (json_object_get_string_member (entry, "title"), ==, "Netori");
    g_assert_false (json_object_get_boolean_member (entry, "mature"));
    g_assert_cmpint (json_object_get_int_member (entry, "reading_minutes"), ==, 1);
    g_assert_cmpuint (array_length (entry, "aliases"), ==, 0);
    g_assert_cmpuint (array_length (entry, "tags"), ==, 0);
    g_assert_cmpuint (array_length (entry, "related"), ==, 1);
  }

  /* Every field as written. */
  run_cli (&run, "show", "--json", "--include-mature", every, "netorare", NULL);
  g_assert_cmpint (run.status, ==, 0);
  {
    g_autoptr(JsonObject) entry = parse_object (run.out);
    JsonObject *stat;

    g_assert_cmpstr (json_object_get_string_member (entry, "title"), ==,
                     "Netorare (NTR): a story told from the one left behind");
    g_assert_true (json_object_get_boolean_member (entry, "mature"));
    g_assert_cmpint (json_object_get_int_member (entry, "reading_minutes"), ==, 6);
    g_assert_cmpstr (json_object_get_string_member (entry, "category"), ==, "glossary");
    g_assert_cmpstr (json_object_get_string_member (entry, "published"), ==, "2026-05-25");
    g_assert_cmpuint (array_length (entry, "aliases"), ==, 2);
    g_assert_cmpuint (array_length (entry, "sections"), ==, 2);
    g_assert_cmpuint (array_length (entry, "faq"), ==, 1);
    g_assert_cmpuint (array_length (entry, "stats"), ==, 2);
    stat = json_array_get_object_element (json_object_get_array_member (entry, "stats"), 0);
    g_assert_cmpstr (json_object_get_string_member (stat, "note"), ==, "Japanese grammar");
  }
}

/* --json is the entry as the app holds it: cuts and removals applied,
 * ignored fields gone. */
static void
test_show_json_cleaned (void)
{
  g_autofree char *path = write_bundle (
    "cleaned.json",
    "{'format':'gloss-bundle','version':1,'title':'T','entries':["
    "{'id':'a','term':'\\u202eAl\\u0007pha\\u2066','colour':'x',"
    "'published':'2026-02-30','category':'nope','mature':1,"
    "'related':['a','nowhere'],'reading_minutes':2.5,"
    "'stats':[{'label':'no value'}]}]}");
  g_auto(Run) run = { 0 };

  run_cli (&run, "show", "--json", "--include-mature", path, "a", NULL);
  g_assert_cmpint (run.status, ==, 0);
  {
    g_autoptr(JsonObject) entry = parse_object (run.out);

    g_assert_cmpstr (json_object_get_string_member (entry, "term"), ==, "Alpha");
    g_assert_cmpstr (json_object_get_string_member (entry, "title"), ==, "Alpha");
    g_assert_false (json_object_has_member (entry, "colour"));
    g_assert_false (json_object_has_member (entry, "published"));
    g_assert_false (json_object_has_member (entry, "category"));
    g_assert_true (json_object_get_boolean_member (entry, "mature"));
    g_assert_cmpint (json_object_get_int_member (entry, "reading_minutes"), ==, 1);
    g_assert_cmpuint (array_length (entry, "related"), ==, 0);
    g_assert_cmpuint (array_length (entry, "stats"), ==, 0);
  }
}

static void
test_show_missing_or_mature (void)
{
  g_autofree char *good = data_path ("good.json");
  g_autofree char *broken = data_path ("three-broken-entries.json");
  g_auto(Run) run = { 0 };

  run_cli (&run, "show", good, "epsilon", NULL);
  g_assert_cmpint (run.status, ==, 1);
  g_assert_cmpstr (run.out, ==, "");
  g_assert_true (strstr (run.err, "epsilon") != NULL);

  /* A skipped entry is not there. */
  run_cli (&run, "show", broken, "four", NULL);
  g_assert_cmpint (run.status, ==, 1);

  /* Mature: hidden, as if not there, unless asked for. */
  run_cli (&run, "show", good, "delta", NULL);
  g_assert_cmpint (run.status, ==, 1);
  g_assert_cmpstr (run.out, ==, "");
  g_assert_true (strstr (run.err, "--include-mature") != NULL);

  run_cli (&run, "show", "--json", good, "delta", NULL);
  g_assert_cmpint (run.status, ==, 1);
  g_assert_cmpstr (run.out, ==, "");

  run_cli (&run, "show", "--include-mature", good, "delta", NULL);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_true (g_str_has_prefix (run.out, "Delta\n"));
}

static void
test_show_refused (void)
{
  g_autofree char *bad = data_path ("bad-syntax.json");
  g_autoptr(GPtrArray) paths = unreadable_files ();
  g_auto(Run) run = { 0 };

  run_cli (&run, "show", bad, "one", NULL);
  g_assert_cmpint (run.status, ==, 1);
  g_assert_cmpstr (run.out, ==, "");

  for (guint i = 0; i < paths->len; i++)
    {
      run_cli (&run, "show", (const char *)g_ptr_array_index (paths, i), "alpha", NULL);
      g_assert_cmpint (run.status, ==, 2);
      g_assert_cmpstr (run.out, ==, "");
    }
}

/* search */

static char **
result_ids (const char *out)
{
  g_auto(GStrv) split = lines (out);
  GPtrArray *ids = g_ptr_array_new ();

  for (guint i = 0; split[i] != NULL; i++)
    g_ptr_array_add (ids, g_strndup (split[i], strcspn (split[i], "\t")));
  g_ptr_array_add (ids, NULL);

  return (char **)g_ptr_array_free (ids, FALSE);
}

static void
test_search (void)
{
  g_autofree char *good = data_path ("good.json");
  g_auto(GStrv) ids = NULL;
  g_auto(Run) run = { 0 };

  run_cli (&run, "search", good, "alpha", NULL);
  g_assert_cmpint (run.status, ==, 0);
  assert_id_term_lines (run.out);
  /* The exact term first. */
  g_assert_true (g_str_has_prefix (run.out, "alpha\tAlpha\n"));

  /* An alias matches like the term. */
  run_cli (&run, "search", good, "A1", NULL);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_true (g_str_has_prefix (run.out, "alpha\tAlpha\n"));

  /* Several words: all must match. */
  run_cli (&run, "search", good, "letter", "greek", NULL);
  g_assert_cmpint (run.status, ==, 0);
  assert_id_term_lines (run.out);
  ids = result_ids (run.out);
  g_assert_cmpuint (g_strv_length (ids), ==, 3);
  g_assert_true (g_strv_contains ((const char * const *)ids, "alpha"));
  g_assert_true (g_strv_contains ((const char * const *)ids, "beta"));
  g_assert_true (g_strv_contains ((const char * const *)ids, "gamma"));

  /* Nothing found is still success, with no output. */
  run_cli (&run, "search", good, "xylophone", NULL);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_cmpstr (run.out, ==, "");
}

static void
test_search_limit (void)
{
  g_autoptr(GString) json = g_string_new ("{'format':'gloss-bundle','version':1,'title':'T',"
                                          "'entries':[");
  g_autofree char *path = NULL;
  g_auto(GStrv) out = NULL;
  g_auto(Run) run = { 0 };

  for (guint i = 0; i < 30; i++)
    g_string_append_printf (json, "%s{'id':'e%02u','term':'Entry %02u',"
                            "'summary':'A common word here.'}", i == 0 ? "" : ",", i, i);
  g_string_append (json, "]}");
  path = write_bundle ("thirty.json", json->str);

  /* Default limit: 20. */
  run_cli (&run, "search", path, "common", NULL);
  g_assert_cmpint (run.status, ==, 0);
  out = lines (run.out);
  g_assert_cmpuint (g_strv_length (out), ==, 20);
  g_clear_pointer (&out, g_strfreev);

  run_cli (&run, "search", "--limit", "50", path, "common", NULL);
  g_assert_cmpint (run.status, ==, 0);
  out = lines (run.out);
  g_assert_cmpuint (g_strv_length (out), ==, 30);
  g_clear_pointer (&out, g_strfreev);

  run_cli (&run, "search", "--limit", "3", path, "common", NULL);
  g_assert_cmpint (run.status, ==, 0);
  out = lines (run.out);
  g_assert_cmpuint (g_strv_length (out), ==, 3);
  assert_id_term_lines (run.out);
}

static void
test_search_json (void)
{
  g_autofree char *good = data_path ("good.json");
  g_auto(GStrv) text_ids = NULL;
  g_auto(Run) run = { 0 };
  JsonArray *results;

  run_cli (&run, "search", good, "letter", NULL);
  g_assert_cmpint (run.status, ==, 0);
  text_ids = result_ids (run.out);

  run_cli (&run, "search", "--json", good, "letter", NULL);
  g_assert_cmpint (run.status, ==, 0);
  {
    g_autoptr(JsonObject) root = parse_object (run.out);

    g_assert_true (json_object_has_member (root, "results"));
    results = json_object_get_array_member (root, "results");
    g_assert_cmpuint (json_array_get_length (results), ==, g_strv_length (text_ids));

    /* The same results in the same order, each with its id and term. */
    for (guint i = 0; i < json_array_get_length (results); i++)
      {
        JsonObject *result = json_array_get_object_element (results, i);

        g_assert_cmpstr (json_object_get_string_member (result, "id"), ==, text_ids[i]);
        g_assert_nonnull (json_object_get_string_member (result, "term"));
        g_assert_cmpstr (json_object_get_string_member (result, "id"), !=, "delta");
      }
  }

  run_cli (&run, "search", "--json", "--limit", "1", good, "letter", NULL);
  g_assert_cmpint (run.status, ==, 0);
  {
    g_autoptr(JsonObject) root = parse_object (run.out);

    g_assert_cmpuint (array_length (root, "results"), ==, 1);
  }
}

static void
test_search_mature (void)
{
  g_autofree char *good = data_path ("good.json");
  g_auto(Run) run = { 0 };

  run_cli (&run, "search", good, "delta", NULL);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_cmpstr (run.out, ==, "");

  run_cli (&run, "search", good, "mature", "switch", NULL);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_cmpstr (run.out, ==, "");

  run_cli (&run, "search", "--json", good, "delta", NULL);
  g_assert_cmpint (run.status, ==, 0);
  {
    g_autoptr(JsonObject) root = parse_object (run.out);

    g_assert_cmpuint (array_length (root, "results"), ==, 0);
  }

  run_cli (&run, "search", "--include-mature", good, "delta", NULL);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_true (g_str_has_prefix (run.out, "delta\tDelta\n"));

  run_cli (&run, "search", "--include-mature", "--json", good, "delta", NULL);
  g_assert_cmpint (run.status, ==, 0);
  {
    g_autoptr(JsonObject) root = parse_object (run.out);
    JsonArray *results = json_object_get_array_member (root, "results");

    g_assert_cmpuint (json_array_get_length (results), >=, 1);
    g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (results, 0),
                                                    "id"), ==, "delta");
  }
}

static void
test_search_refused (void)
{
  g_autofree char *bad = data_path ("bad-syntax.json");
  g_autofree char *broken = data_path ("three-broken-entries.json");
  g_autoptr(GPtrArray) paths = unreadable_files ();
  g_auto(Run) run = { 0 };

  run_cli (&run, "search", bad, "one", NULL);
  g_assert_cmpint (run.status, ==, 1);
  g_assert_cmpstr (run.out, ==, "");

  /* Skipped entries: the rest is searched. */
  run_cli (&run, "search", broken, "three", NULL);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_true (g_str_has_prefix (run.out, "three\tThree\n"));

  for (guint i = 0; i < paths->len; i++)
    {
      run_cli (&run, "search", (const char *)g_ptr_array_index (paths, i), "alpha", NULL);
      g_assert_cmpint (run.status, ==, 2);
      g_assert_cmpstr (run.out, ==, "");
    }
}

static void
remove_tmp_dir (void)
{
  g_autoptr(GDir) dir = g_dir_open (tmp_dir, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = tmp_path (name);

      if (g_file_test (path, G_FILE_TEST_IS_DIR))
        g_rmdir (path);
      else
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

  g_test_init (&argc, &argv, NULL);

  cli_path = g_getenv ("GLOSS_CLI");
  if (cli_path == NULL || !g_file_test (cli_path, G_FILE_TEST_IS_EXECUTABLE))
    {
      g_printerr ("GLOSS_CLI must name the gloss-cli binary\n");
      return 1;
    }

  if (g_getenv ("GLOSS_TEST_WRAPPER") != NULL && *g_getenv ("GLOSS_TEST_WRAPPER") != '\0')
    wrapper = g_strsplit_set (g_getenv ("GLOSS_TEST_WRAPPER"), " ", -1);

  tmp_dir = g_dir_make_tmp ("gloss-test-cli-XXXXXX", &error);
  g_assert_no_error (error);

  g_test_add_func ("/gloss/cli/usage", test_usage);
  g_test_add_func ("/gloss/cli/validate/good", test_validate_good);
  g_test_add_func ("/gloss/cli/validate/syntax", test_validate_syntax);
  g_test_add_func ("/gloss/cli/validate/refused", test_validate_refused);
  g_test_add_func ("/gloss/cli/validate/three-broken", test_validate_three_broken);
  g_test_add_func ("/gloss/cli/validate/warnings", test_validate_warnings);
  g_test_add_func ("/gloss/cli/validate/no-controls", test_validate_no_controls);
  g_test_add_func ("/gloss/cli/validate/unreadable", test_validate_unreadable);
  g_test_add_func ("/gloss/cli/validate/several", test_validate_several);
  g_test_add_func ("/gloss/cli/list/good", test_list);
  g_test_add_func ("/gloss/cli/list/three-broken", test_list_three_broken);
  g_test_add_func ("/gloss/cli/list/sidebar-order", test_list_sidebar_order);
  g_test_add_func ("/gloss/cli/list/refused", test_list_refused);
  g_test_add_func ("/gloss/cli/show/text", test_show_text);
  g_test_add_func ("/gloss/cli/show/json", test_show_json);
  g_test_add_func ("/gloss/cli/show/json-cleaned", test_show_json_cleaned);
  g_test_add_func ("/gloss/cli/show/missing-or-mature", test_show_missing_or_mature);
  g_test_add_func ("/gloss/cli/show/refused", test_show_refused);
  g_test_add_func ("/gloss/cli/search/basic", test_search);
  g_test_add_func ("/gloss/cli/search/limit", test_search_limit);
  g_test_add_func ("/gloss/cli/search/json", test_search_json);
  g_test_add_func ("/gloss/cli/search/mature", test_search_mature);
  g_test_add_func ("/gloss/cli/search/refused", test_search_refused);

  ret = g_test_run ();

  remove_tmp_dir ();
  g_free (tmp_dir);
  g_strfreev (wrapper);

  return ret;
}
