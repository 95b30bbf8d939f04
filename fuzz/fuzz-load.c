/* fuzz-load.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "fuzz-load"

#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "gloss-bundle.h"
#include "gloss-entry.h"
#include "gloss-filter.h"
#include "gloss-index.h"
#include "gloss-text.h"

#include "fuzz-log.h"

/*
 * The whole load path on arbitrary bytes: pre-scan, json-glib, schema walk,
 * sort and index build. Either the bundle is refused with a message that
 * starts with its location ("LINE:COLUMN: " or a JSON Pointer), or every
 * string in it is clean and every rule of bundle-format.md holds.
 *
 *   clang -g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all \
 *     -I src/core -I BUILDDIR fuzz/fuzz-load.c src/core/gloss-*.c \
 *     $(pkg-config --cflags --libs glib-2.0 gio-2.0 json-glib-1.0 md4c) -lm -o fuzz-load
 *   ./fuzz-load -dict=fuzz/load.dict fuzz/corpus/load
 */

int LLVMFuzzerInitialize   (int            *argc,
                            char         ***argv);
int LLVMFuzzerTestOneInput (const uint8_t  *data,
                            size_t          size);

static gboolean
is_bidi_control (gunichar c)
{
  return (c >= 0x202A && c <= 0x202E) || (c >= 0x2066 && c <= 0x2069);
}

static gboolean
is_mark (gunichar c)
{
  GUnicodeType type = g_unichar_type (c);

  return type == G_UNICODE_SPACING_MARK || type == G_UNICODE_ENCLOSING_MARK ||
         type == G_UNICODE_NON_SPACING_MARK;
}

/* Valid UTF-8, no control character but tab and newline, at most @cap code
 * points, at most 30 combining marks in a row; no bidi controls either when
 * @no_bidi. NULL is fine when @nullable. */
static void
check_string (const char *what,
              const char *text,
              guint       cap,
              gboolean    no_bidi,
              gboolean    nullable)
{
  guint n_chars = 0;
  guint n_marks = 0;

  if (text == NULL)
    {
      if (!nullable)
        g_error ("%s is NULL", what);
      return;
    }

  if (!g_utf8_validate (text, -1, NULL))
    g_error ("%s is not valid UTF-8", what);

  for (const char *p = text; *p; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if ((c < 0x20 && c != '\t' && c != '\n') || (c >= 0x7F && c <= 0x9F))
        g_error ("%s holds control character U+%04X", what, c);
      if (no_bidi && is_bidi_control (c))
        g_error ("%s holds bidi control U+%04X", what, c);

      if (is_mark (c))
        {
          if (++n_marks > GLOSS_TEXT_MAX_MARKS)
            g_error ("%s has more than %u combining marks in a row", what, GLOSS_TEXT_MAX_MARKS);
        }
      else
        n_marks = 0;

      n_chars++;
    }

  if (n_chars > cap)
    g_error ("%s has %u characters, over the cap of %u", what, n_chars, cap);
}

static void
check_strv (const char         *what,
            const char * const *strv,
            guint               cap,
            gboolean            no_bidi)
{
  if (strv == NULL)
    g_error ("%s is NULL", what);

  for (guint i = 0; strv[i] != NULL; i++)
    {
      check_string (what, strv[i], cap, no_bidi, FALSE);
      if (gloss_text_is_blank (strv[i]))
        g_error ("%s holds a blank item", what);
    }
}

/* ^[a-z0-9][a-z0-9._-]{0,127}$, or with A-Z too for a bundle id. */
static gboolean
is_valid_id (const char *id,
             gboolean    upper)
{
  gsize len = strlen (id);

  if (len == 0 || len > 128)
    return FALSE;

  for (gsize i = 0; i < len; i++)
    {
      char c = id[i];
      gboolean ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                    (upper && c >= 'A' && c <= 'Z') ||
                    (i > 0 && (c == '.' || c == '_' || c == '-'));

      if (!ok)
        return FALSE;
    }

  return TRUE;
}

static void
check_refusal (const GError *error,
               size_t        size)
{
  g_autoptr(GlossProblem) problem = NULL;

  if (error == NULL)
    g_error ("no bundle and no error");

  if (g_error_matches (error, GLOSS_BUNDLE_ERROR, GLOSS_BUNDLE_ERROR_IO))
    {
      /* Only for more than 256 MiB, which libFuzzer never hands over. */
      if (size <= GLOSS_BUNDLE_MAX_FILE_SIZE)
        g_error ("I/O error on bytes in memory: %s", error->message);
      return;
    }

  if (!g_error_matches (error, GLOSS_BUNDLE_ERROR, GLOSS_BUNDLE_ERROR_REFUSED))
    g_error ("unexpected error %s: %s", g_quark_to_string (error->domain), error->message);

  if (!g_utf8_validate (error->message, -1, NULL))
    g_error ("the refusal is not valid UTF-8");

  if (error->message[0] != '/' &&
      !g_regex_match_simple ("^[1-9][0-9]*:[1-9][0-9]*: ", error->message, 0, 0))
    g_error ("the refusal does not start with its location: %s", error->message);

  problem = gloss_bundle_error_to_problem (error);
  if (problem->location[0] == '\0' || problem->message[0] == '\0')
    g_error ("the refusal does not split into a location and a text: %s", error->message);
}

/* Set FUZZ_LOAD_RAW_LOCATIONS=1 to let problem locations carry control
 * and bidi characters (member names go into JSON Pointers unescaped, which
 * is reported), so a run can look for other bugs meanwhile. */
static gboolean allow_raw_locations;

/* A message about a bundle quotes the bundle's text: it must not carry a
 * control character to the terminal or the screen. */
static void
check_problems (GlossBundle *bundle)
{
  GPtrArray *problems = gloss_bundle_get_problems (bundle);
  guint n_errors = 0;
  guint n_warnings = 0;

  for (guint i = 0; i < problems->len; i++)
    {
      const GlossProblem *problem = g_ptr_array_index (problems, i);

      if (problem->location[0] != '/')
        g_error ("problem location “%s” is not a JSON Pointer", problem->location);
      if (!allow_raw_locations)
        check_string ("problem location", problem->location, G_MAXUINT, TRUE, FALSE);
      else if (!g_utf8_validate (problem->location, -1, NULL))
        g_error ("problem location is not valid UTF-8");
      check_string ("problem message", problem->message, G_MAXUINT, TRUE, FALSE);
      if (strchr (problem->message, '\n') != NULL || strchr (problem->message, '\t') != NULL)
        g_error ("problem message spans lines: %s", problem->message);

      if (problem->severity == GLOSS_SEVERITY_ERROR)
        n_errors++;
      else
        n_warnings++;
    }

  if (n_errors != gloss_bundle_get_n_errors (bundle) ||
      n_warnings != gloss_bundle_get_n_warnings (bundle))
    g_error ("problem counts disagree with the list");
  if (gloss_bundle_get_n_skipped (bundle) > n_errors)
    g_error ("more skipped entries than errors");
}

static void
check_entry (GlossBundle *bundle,
             GlossEntry  *entry,
             GHashTable  *ids)
{
  const char *id = gloss_entry_get_id (entry);
  const char * const *related;
  const GlossStat *stats;
  const GlossSection *sections;
  const GlossFaq *faq;
  g_autoptr(JsonNode) node = NULL;
  g_autofree char *text = NULL;
  g_autofree char *json = NULL;
  guint n;

  if (id == NULL || !is_valid_id (id, FALSE))
    g_error ("invalid entry id");
  if (!g_hash_table_add (ids, (gpointer)id))
    g_error ("duplicate entry id %s", id);
  if (gloss_bundle_lookup_entry (bundle, id) != entry)
    g_error ("lookup of %s finds another entry", id);

  check_string ("term", gloss_entry_get_term (entry), GLOSS_TEXT_MAX_SHORT, TRUE, FALSE);
  if (gloss_text_is_blank (gloss_entry_get_term (entry)))
    g_error ("entry %s has an empty term", id);
  check_string ("title", gloss_entry_get_title (entry), GLOSS_TEXT_MAX_SHORT, TRUE, FALSE);
  check_strv ("aliases", gloss_entry_get_aliases (entry), GLOSS_TEXT_MAX_SHORT, TRUE);
  check_string ("summary", gloss_entry_get_summary (entry), GLOSS_TEXT_MAX_PLAIN, FALSE, TRUE);
  check_string ("notice", gloss_entry_get_notice (entry), GLOSS_TEXT_MAX_PLAIN, FALSE, TRUE);
  check_strv ("tags", gloss_entry_get_tags (entry), GLOSS_TEXT_MAX_SHORT, FALSE);
  check_strv ("sources", gloss_entry_get_sources (entry), GLOSS_TEXT_MAX_SHORT, FALSE);

  if (gloss_entry_get_category (entry) != NULL &&
      gloss_bundle_lookup_category (bundle, gloss_entry_get_category (entry)) == NULL)
    g_error ("entry %s has an unknown category", id);

  if (gloss_entry_get_published (entry) != NULL &&
      !gloss_text_is_date (gloss_entry_get_published (entry)))
    g_error ("entry %s has a bad published date", id);
  if (gloss_entry_get_updated (entry) != NULL &&
      !gloss_text_is_date (gloss_entry_get_updated (entry)))
    g_error ("entry %s has a bad updated date", id);

  if (gloss_entry_get_reading_minutes (entry) == 0)
    g_error ("entry %s reads in 0 minutes", id);

  related = gloss_entry_get_related (entry);
  for (guint i = 0; related[i] != NULL; i++)
    {
      if (g_str_equal (related[i], id))
        g_error ("entry %s is related to itself", id);
      if (gloss_bundle_lookup_entry (bundle, related[i]) == NULL)
        g_error ("entry %s is related to a missing entry", id);
    }

  stats = gloss_entry_get_stats (entry, &n);
  for (guint i = 0; i < n; i++)
    {
      check_string ("stat label", stats[i].label, GLOSS_TEXT_MAX_SHORT, FALSE, FALSE);
      check_string ("stat value", stats[i].value, GLOSS_TEXT_MAX_PLAIN, FALSE, FALSE);
      check_string ("stat note", stats[i].note, GLOSS_TEXT_MAX_PLAIN, FALSE, TRUE);
    }

  sections = gloss_entry_get_sections (entry, &n);
  for (guint i = 0; i < n; i++)
    {
      check_string ("section heading", sections[i].heading, GLOSS_TEXT_MAX_SHORT, FALSE, TRUE);
      check_string ("section body", sections[i].body, GLOSS_TEXT_MAX_LONG, FALSE, FALSE);
    }

  faq = gloss_entry_get_faq (entry, &n);
  for (guint i = 0; i < n; i++)
    {
      check_string ("question", faq[i].question, GLOSS_TEXT_MAX_PLAIN, FALSE, FALSE);
      check_string ("answer", faq[i].answer, GLOSS_TEXT_MAX_LONG, FALSE, FALSE);
    }

  /* What `gloss-cli show` prints. */
  node = gloss_entry_to_json (entry);
  json = json_to_string (node, FALSE);
  if (!g_utf8_validate (json, -1, NULL))
    g_error ("entry %s as JSON is not UTF-8", id);
  text = gloss_entry_to_text (entry);
  if (!g_utf8_validate (text, -1, NULL))
    g_error ("entry %s as text is not UTF-8", id);
}

static void
check_bundle (GlossBundle *bundle)
{
  g_autoptr(GHashTable) ids = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GHashTable) category_ids = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GlossFilter) filter = gloss_filter_new (TRUE, NULL);
  g_autofree gboolean *seen = NULL;
  const GlossCategory *categories;
  const guint *sorted;
  guint n_entries;
  guint n_sorted;
  guint n;

  if (gloss_bundle_get_id (bundle) == NULL)
    g_error ("no bundle id");
  if (!g_str_equal (gloss_bundle_get_id (bundle), "fuzz") &&
      !is_valid_id (gloss_bundle_get_id (bundle), TRUE))
    g_error ("invalid bundle id kept");

  check_string ("bundle title", gloss_bundle_get_title (bundle), GLOSS_TEXT_MAX_SHORT, TRUE,
                FALSE);
  if (gloss_text_is_blank (gloss_bundle_get_title (bundle)))
    g_error ("blank bundle title");
  check_string ("description", gloss_bundle_get_description (bundle), GLOSS_TEXT_MAX_PLAIN,
                FALSE, TRUE);
  check_string ("language", gloss_bundle_get_language (bundle), GLOSS_TEXT_MAX_PLAIN, FALSE, TRUE);
  check_string ("license", gloss_bundle_get_license (bundle), GLOSS_TEXT_MAX_PLAIN, FALSE, TRUE);
  if (gloss_bundle_get_updated (bundle) != NULL &&
      !gloss_text_is_date (gloss_bundle_get_updated (bundle)))
    g_error ("bad bundle date");
  check_strv ("authors", gloss_bundle_get_authors (bundle), GLOSS_TEXT_MAX_PLAIN, FALSE);

  categories = gloss_bundle_get_categories (bundle, &n);
  for (guint i = 0; i < n; i++)
    {
      check_string ("category id", categories[i].id, GLOSS_TEXT_MAX_SHORT, FALSE, FALSE);
      check_string ("category name", categories[i].name, GLOSS_TEXT_MAX_SHORT, FALSE, FALSE);
      check_string ("category description", categories[i].description, GLOSS_TEXT_MAX_PLAIN,
                    FALSE, TRUE);
      if (!g_hash_table_add (category_ids, categories[i].id))
        g_error ("duplicate category id");
    }

  n_entries = gloss_bundle_get_n_entries (bundle);
  if (n_entries > GLOSS_BUNDLE_MAX_ENTRIES)
    g_error ("too many entries");
  for (guint i = 0; i < n_entries; i++)
    check_entry (bundle, gloss_bundle_get_entry (bundle, i), ids);

  /* The sidebar order is a permutation of the entries. */
  sorted = gloss_bundle_get_sorted (bundle, &n_sorted);
  if (n_sorted != n_entries)
    g_error ("sorted holds %u positions for %u entries", n_sorted, n_entries);
  seen = g_new0 (gboolean, n_entries + 1);
  for (guint i = 0; i < n_sorted; i++)
    {
      if (sorted[i] >= n_entries || seen[sorted[i]])
        g_error ("sorted is not a permutation");
      seen[sorted[i]] = TRUE;
    }

  check_problems (bundle);

  /* The index was built with the bundle: search it with the first term. */
  if (gloss_bundle_get_index (bundle) == NULL)
    g_error ("no index");
  if (n_entries > 0)
    {
      GlossEntry *first = gloss_bundle_get_entry (bundle, 0);
      g_autoptr(GlossResults) results = NULL;

      results = gloss_index_search (gloss_bundle_get_index (bundle), gloss_entry_get_term (first),
                                    filter, 5);
      if (gloss_results_get_n_matches (results) > 5)
        g_error ("more results than the limit");
      for (guint i = 0; i < gloss_results_get_n_matches (results); i++)
        {
          if (gloss_results_get_match (results, i)->position >= n_entries)
            g_error ("a result points past the entries");
        }
    }
}

/* The loader reports through GError and problems: a g_warning () or a
 * g_critical () anywhere is a bug, and so is a broken invariant
 * (g_error ()); fuzz-log.h stops on those. */

int
LLVMFuzzerInitialize (int    *argc,
                      char ***argv)
{
  fuzz_log_init ();
  g_setenv ("LC_ALL", "C.UTF-8", TRUE);
  allow_raw_locations = g_getenv ("FUZZ_LOAD_RAW_LOCATIONS") != NULL;

  return 0;
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(GBytes) bytes = g_bytes_new_static (data, size);
  g_autoptr(GError) error = NULL;
  g_autoptr(GlossBundle) bundle = NULL;

  bundle = gloss_bundle_new_from_bytes (bytes, "fuzz.json", "fuzz", NULL, &error);

  if (bundle == NULL)
    check_refusal (error, size);
  else if (error != NULL)
    g_error ("a bundle and an error");
  else
    check_bundle (bundle);

  return 0;
}
