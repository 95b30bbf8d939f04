/* gloss-cli.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "gloss-cli"

#include "config.h"

#include <locale.h>
#include <stdio.h>
#include <stdlib.h>

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>

#include "gloss-bundle.h"
#include "gloss-filter.h"
#include "gloss-index.h"

/* Exit codes, fixed by the format contract. */
enum {
  EXIT_OK = 0,
  EXIT_REFUSED = 1,
  EXIT_UNREADABLE = 2,
};

static const char *usage_text =
  "Usage:\n"
  "  gloss-cli validate [--strict] FILE...\n"
  "  gloss-cli search [--limit N] [--json] [--include-mature] FILE QUERY...\n"
  "  gloss-cli show [--json] [--include-mature] FILE ID\n"
  "  gloss-cli list [--include-mature] FILE\n"
  "\n"
  "Validates, searches and prints Gloss glossary bundles.\n"
  "Exit status: 0 on success, 1 when a bundle is refused or has errors\n"
  "(or the entry is not there, or is hidden as mature), 2 when a file cannot\n"
  "be read or on bad usage.\n";

static int
usage_error (const char *message)
{
  if (message != NULL)
    g_printerr ("gloss-cli: %s\n", message);
  g_printerr ("%s", usage_text);
  return EXIT_UNREADABLE;
}

static char *
display_path (const char *path)
{
  return g_filename_display_name (path);
}

/* Loads FILE for list/show/search, printing why it could not be. */
static GlossBundle *
load_or_complain (const char *path,
                  int        *exit_code)
{
  g_autoptr(GFile) file = g_file_new_for_commandline_arg (path);
  g_autofree char *name = display_path (path);
  g_autoptr(GError) error = NULL;
  GlossBundle *bundle;

  bundle = gloss_bundle_new_from_file (file, NULL, &error);
  if (bundle == NULL)
    {
      g_autoptr(GlossProblem) problem = gloss_bundle_error_to_problem (error);
      g_autofree char *line = gloss_problem_format (problem, name);

      g_printerr ("%s\n", line);
      *exit_code = g_error_matches (error, GLOSS_BUNDLE_ERROR, GLOSS_BUNDLE_ERROR_IO)
                   ? EXIT_UNREADABLE : EXIT_REFUSED;
    }

  return bundle;
}

static int
cmd_validate (int    argc,
              char **argv)
{
  gboolean strict = FALSE;
  g_auto(GStrv) files = NULL;
  GOptionEntry entries[] = {
    { "strict", 0, 0, G_OPTION_ARG_NONE, &strict, "Treat warnings as errors", NULL },
    { G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &files, NULL, NULL },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new ("FILE… — check bundles");
  g_autoptr(GError) error = NULL;
  int ret = EXIT_OK;

  g_option_context_set_help_enabled (context, TRUE);
  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    return usage_error (error->message);
  if (files == NULL || files[0] == NULL)
    return usage_error ("validate needs at least one FILE");

  for (guint i = 0; files[i] != NULL; i++)
    {
      g_autoptr(GFile) file = g_file_new_for_commandline_arg (files[i]);
      g_autofree char *name = display_path (files[i]);
      g_autoptr(GlossBundle) bundle = NULL;
      g_autoptr(GError) load_error = NULL;
      GPtrArray *problems;
      guint n_errors;
      guint n_warnings;

      bundle = gloss_bundle_new_from_file (file, NULL, &load_error);
      if (bundle == NULL)
        {
          g_autoptr(GlossProblem) problem = gloss_bundle_error_to_problem (load_error);
          g_autofree char *line = gloss_problem_format (problem, name);
          gboolean unreadable = g_error_matches (load_error, GLOSS_BUNDLE_ERROR,
                                                 GLOSS_BUNDLE_ERROR_IO);

          g_print ("%s\n", line);
          g_print ("%s: %s\n", name, unreadable ? "not read" : "refused: 1 error");
          ret = MAX (ret, unreadable ? EXIT_UNREADABLE : EXIT_REFUSED);
          continue;
        }

      problems = gloss_bundle_get_problems (bundle);
      for (guint j = 0; j < problems->len; j++)
        {
          g_autofree char *line = gloss_problem_format (g_ptr_array_index (problems, j), name);
          g_print ("%s\n", line);
        }

      n_errors = gloss_bundle_get_n_errors (bundle);
      n_warnings = gloss_bundle_get_n_warnings (bundle);
      g_print ("%s: %u %s, %u skipped; %u %s, %u %s\n", name,
               gloss_bundle_get_n_entries (bundle),
               gloss_bundle_get_n_entries (bundle) == 1 ? "entry" : "entries",
               gloss_bundle_get_n_skipped (bundle),
               n_errors, n_errors == 1 ? "error" : "errors",
               n_warnings, n_warnings == 1 ? "warning" : "warnings");

      if (n_errors > 0 || (strict && n_warnings > 0))
        ret = MAX (ret, EXIT_REFUSED);
    }

  return ret;
}

static int
cmd_list (int    argc,
          char **argv)
{
  gboolean include_mature = FALSE;
  g_auto(GStrv) args = NULL;
  GOptionEntry entries[] = {
    { "include-mature", 0, 0, G_OPTION_ARG_NONE, &include_mature, "List mature entries too", NULL },
    { G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &args, NULL, NULL },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new ("FILE — list entries in sidebar order");
  g_autoptr(GlossBundle) bundle = NULL;
  g_autoptr(GlossFilter) filter = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GString) out = NULL;
  const guint *sorted;
  guint n_sorted;
  int ret = EXIT_OK;

  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    return usage_error (error->message);
  if (args == NULL || g_strv_length (args) != 1)
    return usage_error ("list takes one FILE");

  bundle = load_or_complain (args[0], &ret);
  if (bundle == NULL)
    return ret;

  filter = gloss_filter_new (include_mature, NULL);
  sorted = gloss_bundle_get_sorted (bundle, &n_sorted);
  out = g_string_new (NULL);

  for (guint i = 0; i < n_sorted; i++)
    {
      GlossEntry *entry = gloss_bundle_get_entry (bundle, sorted[i]);

      if (!gloss_filter_allows (filter, entry))
        continue;

      g_string_append_printf (out, "%s\t%s\n", gloss_entry_get_id (entry),
                              gloss_entry_get_term (entry));
    }

  fwrite (out->str, 1, out->len, stdout);

  return EXIT_OK;
}

static int
cmd_show (int    argc,
          char **argv)
{
  gboolean include_mature = FALSE;
  gboolean json = FALSE;
  g_auto(GStrv) args = NULL;
  GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, "Print the entry as JSON", NULL },
    { "include-mature", 0, 0, G_OPTION_ARG_NONE, &include_mature, "Show mature entries too", NULL },
    { G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &args, NULL, NULL },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new ("FILE ID — print one entry");
  g_autoptr(GlossBundle) bundle = NULL;
  g_autoptr(GlossFilter) filter = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *name = NULL;
  GlossEntry *entry;
  int ret = EXIT_OK;

  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    return usage_error (error->message);
  if (args == NULL || g_strv_length (args) != 2)
    return usage_error ("show takes a FILE and an ID");
  if (!g_utf8_validate (args[1], -1, NULL))
    return usage_error ("the ID is not valid UTF-8");

  bundle = load_or_complain (args[0], &ret);
  if (bundle == NULL)
    return ret;

  name = display_path (args[0]);
  filter = gloss_filter_new (include_mature, NULL);
  entry = gloss_bundle_lookup_entry (bundle, args[1]);

  if (entry == NULL)
    {
      g_printerr ("%s: no entry with id “%s”\n", name, args[1]);
      return EXIT_REFUSED;
    }

  if (!gloss_filter_allows (filter, entry))
    {
      g_printerr ("%s: “%s” is a mature entry; add --include-mature to show it\n",
                  name, args[1]);
      return EXIT_REFUSED;
    }

  if (json)
    {
      g_autoptr(JsonNode) node = gloss_entry_to_json (entry);
      g_autofree char *text = json_to_string (node, TRUE);

      g_print ("%s\n", text);
    }
  else
    {
      g_autofree char *text = gloss_entry_to_text (entry);

      g_print ("%s", text);
    }

  return EXIT_OK;
}

static int
cmd_search (int    argc,
            char **argv)
{
  gboolean include_mature = FALSE;
  gboolean json = FALSE;
  int limit = 20;
  g_auto(GStrv) args = NULL;
  GOptionEntry entries[] = {
    { "limit", 0, 0, G_OPTION_ARG_INT, &limit, "Print at most N results (default 20)", "N" },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, "Print the results as JSON", NULL },
    { "include-mature", 0, 0, G_OPTION_ARG_NONE, &include_mature, "Search mature entries too", NULL },
    { G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &args, NULL, NULL },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new ("FILE QUERY… — search a bundle");
  g_autoptr(GlossBundle) bundle = NULL;
  g_autoptr(GlossFilter) filter = NULL;
  g_autoptr(GlossResults) results = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *query = NULL;
  GlossIndex *index;
  int ret = EXIT_OK;

  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    return usage_error (error->message);
  if (args == NULL || g_strv_length (args) < 2)
    return usage_error ("search takes a FILE and a QUERY");
  if (limit < 1)
    return usage_error ("--limit must be 1 or more");

  /* Arguments come as the bytes given, whatever the locale: the file is a
   * file name, the query must be UTF-8 text. */
  query = g_strjoinv (" ", args + 1);
  if (!g_utf8_validate (query, -1, NULL))
    return usage_error ("the QUERY is not valid UTF-8");

  bundle = load_or_complain (args[0], &ret);
  if (bundle == NULL)
    return ret;

  filter = gloss_filter_new (include_mature, NULL);
  index = gloss_bundle_get_index (bundle);
  results = gloss_index_search (index, query, filter, limit);

  if (json)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();
      g_autoptr(JsonNode) root = NULL;
      g_autofree char *text = NULL;

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "query");
      json_builder_add_string_value (builder, query);
      json_builder_set_member_name (builder, "total");
      json_builder_add_int_value (builder, gloss_results_get_total (results));
      json_builder_set_member_name (builder, "results");
      json_builder_begin_array (builder);
      for (guint i = 0; i < gloss_results_get_n_matches (results); i++)
        {
          guint position = gloss_results_get_match (results, i)->position;
          GlossEntry *entry = gloss_bundle_get_entry (bundle, position);
          g_autofree char *why = gloss_index_explain (index, position, query, FALSE);

          json_builder_begin_object (builder);
          json_builder_set_member_name (builder, "id");
          json_builder_add_string_value (builder, gloss_entry_get_id (entry));
          json_builder_set_member_name (builder, "term");
          json_builder_add_string_value (builder, gloss_entry_get_term (entry));
          if (gloss_entry_get_summary (entry) != NULL)
            {
              json_builder_set_member_name (builder, "summary");
              json_builder_add_string_value (builder, gloss_entry_get_summary (entry));
            }
          if (why != NULL)
            {
              json_builder_set_member_name (builder, "match");
              json_builder_add_string_value (builder, why);
            }
          json_builder_end_object (builder);
        }
      json_builder_end_array (builder);
      json_builder_end_object (builder);

      root = json_builder_get_root (builder);
      text = json_to_string (root, TRUE);
      g_print ("%s\n", text);
    }
  else
    {
      g_autoptr(GString) out = g_string_new (NULL);

      for (guint i = 0; i < gloss_results_get_n_matches (results); i++)
        {
          GlossEntry *entry = gloss_bundle_get_entry (bundle,
                                                      gloss_results_get_match (results, i)->position);

          g_string_append_printf (out, "%s\t%s\n", gloss_entry_get_id (entry),
                                  gloss_entry_get_term (entry));
        }
      fwrite (out->str, 1, out->len, stdout);
    }

  return EXIT_OK;
}

/* Bundle text is UTF-8 and goes out as UTF-8 whatever the locale: g_print
 * would otherwise turn every non-ASCII character into '?' under LANG=C. */
static void
print_raw (const char *string)
{
  fputs (string, stdout);
}

static void
printerr_raw (const char *string)
{
  fputs (string, stderr);
}

int
main (int    argc,
      char **argv)
{
  const char *command;

  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);
  g_set_print_handler (print_raw);
  g_set_printerr_handler (printerr_raw);

  if (argc < 2)
    return usage_error (NULL);

  command = argv[1];

  if (g_str_equal (command, "--help") || g_str_equal (command, "-h") ||
      g_str_equal (command, "help"))
    {
      g_print ("%s", usage_text);
      return EXIT_OK;
    }

  if (g_str_equal (command, "--version"))
    {
      g_print ("gloss-cli %s\n", PACKAGE_VERSION);
      return EXIT_OK;
    }

  /* Each subcommand parses the arguments after its name, and its --help
   * names it. */
  {
    g_autofree char *prgname = g_strdup_printf ("gloss-cli %s", command);
    g_set_prgname (prgname);
  }
  if (g_str_equal (command, "validate"))
    return cmd_validate (argc - 1, argv + 1);
  if (g_str_equal (command, "list"))
    return cmd_list (argc - 1, argv + 1);
  if (g_str_equal (command, "show"))
    return cmd_show (argc - 1, argv + 1);
  if (g_str_equal (command, "search"))
    return cmd_search (argc - 1, argv + 1);

  {
    g_autofree char *message = g_strdup_printf ("unknown command “%s”", command);
    return usage_error (message);
  }
}
