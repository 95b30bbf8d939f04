/* fuzz-cache.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "fuzz-cache"

#include "config.h"

#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>

#include "gloss-bundle-private.h"
#include "gloss-cache.h"
#include "gloss-entry.h"
#include "gloss-filter.h"
#include "gloss-index.h"

#include "fuzz-log.h"

/*
 * The compiled cache's reader on arbitrary files: each input is a cache
 * file (gloss-cache.h), put where the cache of a bundle is expected and
 * opened as a load opens it first (_gloss_bundle_new_from_cache, the
 * code the app and gloss-cli run), then read as far as a user can reach:
 * the bundle's details, every entry with its record, the sidebar order,
 * the problems, searches, and the background check of the JSON. Either
 * the cache is refused, or whatever passed the checks reads without a
 * memory error, a warning or a broken promise (strings are UTF-8,
 * positions are entries).
 *
 * Before it is opened, the input is made to belong to the bundle: the
 * header gets the bundle's key (device, inode, size, time, key hash, the
 * content hash) and the key section is put after the input's bytes. Then
 * every checksum is made to agree with the content (gloss_cache_file_seal):
 * the header's, the records', the index blocks'. Without that nearly every
 * input would stop at a stale key or a checksum mismatch, and the fuzzer
 * would learn nothing; with it, the checks behind the checksums are what
 * meet the damage. The refusals of a wrong key or checksum are simple and
 * covered by test-cache.
 *
 * The bundle is data/default.gloss.json, large enough that the seeds'
 * entries (from smaller bundles) lie within it; a record that fails its
 * check is read again from it, and found not to match.
 *
 *   make fuzz FUZZERS=cache          (corpus: fuzz/corpus/cache, made by
 *                                     fuzz/make-cache-seeds.py)
 */

int LLVMFuzzerInitialize   (int            *argc,
                            char         ***argv);
int LLVMFuzzerTestOneInput (const uint8_t  *data,
                            size_t          size);

#define ALIGN8(n) (((n) + 7) & ~(gsize)7)

static char *tmp_dir;
static GlossCacheKey key;
static guint64 content_hash;
static GFile *source;
static GlossFilter *filters[2];

static void
check_utf8 (const char *what,
            const char *text,
            gboolean    nullable)
{
  if (text == NULL)
    {
      if (!nullable)
        g_error ("%s is NULL", what);
      return;
    }
  if (!g_utf8_validate (text, -1, NULL))
    g_error ("%s is not valid UTF-8", what);
}

static void
check_strv (const char         *what,
            const char * const *strv)
{
  if (strv == NULL)
    g_error ("%s is NULL", what);
  for (guint i = 0; strv[i] != NULL; i++)
    check_utf8 (what, strv[i], FALSE);
}

/* Everything the article of an entry shows, and what gloss-cli prints. */
static void
read_entry (GlossBundle *bundle,
            guint        position)
{
  GlossEntry *entry = gloss_bundle_get_entry (bundle, position);
  const char *id = gloss_entry_get_id (entry);
  const char * const *related;
  const GlossStat *stats;
  const GlossSection *sections;
  const GlossFaq *faq;
  g_autoptr(JsonNode) node = NULL;
  g_autofree char *json = NULL;
  g_autofree char *text = NULL;
  GlossEntry *found;
  guint n;

  check_utf8 ("id", id, FALSE);
  if (g_strcmp0 (gloss_bundle_get_entry_id (bundle, position), id) != 0)
    g_error ("entry %u: two ids", position);
  check_utf8 ("term", gloss_entry_get_term (entry), FALSE);
  check_utf8 ("sidebar term", gloss_bundle_get_entry_term (bundle, position), FALSE);
  check_utf8 ("title", gloss_entry_get_title (entry), FALSE);
  check_utf8 ("summary", gloss_entry_get_summary (entry), TRUE);
  check_utf8 ("category", gloss_entry_get_category (entry), TRUE);
  check_utf8 ("notice", gloss_entry_get_notice (entry), TRUE);
  check_utf8 ("published", gloss_entry_get_published (entry), TRUE);
  check_utf8 ("updated", gloss_entry_get_updated (entry), TRUE);
  check_strv ("aliases", gloss_entry_get_aliases (entry));
  check_strv ("tags", gloss_entry_get_tags (entry));
  check_strv ("sources", gloss_entry_get_sources (entry));
  gloss_entry_get_mature (entry);
  gloss_entry_get_reading_minutes (entry);

  /* A link to each related entry, as the "More like this" cards follow. */
  related = gloss_entry_get_related (entry);
  check_strv ("related", related);
  for (guint i = 0; related[i] != NULL; i++)
    {
      found = gloss_bundle_lookup_entry (bundle, related[i]);
      if (found != NULL && g_strcmp0 (gloss_entry_get_id (found), related[i]) != 0)
        g_error ("looking up %s finds %s", related[i], gloss_entry_get_id (found));
    }

  stats = gloss_entry_get_stats (entry, &n);
  for (guint i = 0; i < n; i++)
    {
      check_utf8 ("stat label", stats[i].label, FALSE);
      check_utf8 ("stat value", stats[i].value, FALSE);
      check_utf8 ("stat note", stats[i].note, TRUE);
    }
  sections = gloss_entry_get_sections (entry, &n);
  for (guint i = 0; i < n; i++)
    {
      check_utf8 ("section heading", sections[i].heading, TRUE);
      check_utf8 ("section body", sections[i].body, FALSE);
    }
  faq = gloss_entry_get_faq (entry, &n);
  for (guint i = 0; i < n; i++)
    {
      check_utf8 ("question", faq[i].question, FALSE);
      check_utf8 ("answer", faq[i].answer, FALSE);
    }

  node = gloss_entry_to_json (entry);
  json = json_to_string (node, FALSE);
  check_utf8 ("entry as JSON", json, FALSE);
  text = gloss_entry_to_text (entry);
  check_utf8 ("entry as text", text, FALSE);

  /* Looked up by its id, as a link to it is. A forged file may hold an id
   * twice, or its ids out of order, and the lookup then miss: that reads
   * differently, which no check can rule out, but what it finds has the id. */
  found = gloss_bundle_lookup_entry (bundle, id);
  if (found != NULL && g_strcmp0 (gloss_entry_get_id (found), id) != 0)
    g_error ("looking up %s finds %s", id, gloss_entry_get_id (found));
}

static void
search (GlossBundle *bundle,
        const char  *query)
{
  GlossIndex *index = gloss_bundle_get_index (bundle);
  guint n_entries = gloss_bundle_get_n_entries (bundle);

  if (query == NULL || *query == '\0')
    return;

  for (guint f = 0; f < G_N_ELEMENTS (filters); f++)
    {
      g_autoptr(GlossResults) results = gloss_index_search (index, query, filters[f], 5);
      guint n = gloss_results_get_n_matches (results);

      if (n > 5 || gloss_results_get_total (results) < n)
        g_error ("search for %s: %u results of %u", query, n,
                 gloss_results_get_total (results));
      for (guint i = 0; i < n; i++)
        {
          guint position = gloss_results_get_match (results, i)->position;
          g_autofree char *explained = NULL;

          if (position >= n_entries)
            g_error ("search for %s gives position %u of %u", query, position, n_entries);
          explained = gloss_index_explain (index, position, query, TRUE);
          check_utf8 ("explanation", explained, TRUE);
        }
    }
}

static void
read_bundle (GlossBundle *bundle)
{
  const GlossCategory *categories;
  const guint *sorted;
  GPtrArray *problems;
  guint n_entries = gloss_bundle_get_n_entries (bundle);
  guint n;

  check_utf8 ("bundle id", gloss_bundle_get_id (bundle), FALSE);
  check_utf8 ("bundle title", gloss_bundle_get_title (bundle), FALSE);
  check_utf8 ("description", gloss_bundle_get_description (bundle), TRUE);
  check_utf8 ("language", gloss_bundle_get_language (bundle), TRUE);
  check_utf8 ("license", gloss_bundle_get_license (bundle), TRUE);
  check_utf8 ("updated", gloss_bundle_get_updated (bundle), TRUE);
  check_strv ("authors", gloss_bundle_get_authors (bundle));
  categories = gloss_bundle_get_categories (bundle, &n);
  for (guint i = 0; i < n; i++)
    {
      check_utf8 ("category id", categories[i].id, FALSE);
      check_utf8 ("category name", categories[i].name, FALSE);
      check_utf8 ("category description", categories[i].description, TRUE);
      gloss_bundle_lookup_category (bundle, categories[i].id);
    }

  /* The sidebar: every entry once, in its order. */
  sorted = gloss_bundle_get_sorted (bundle, &n);
  if (n != n_entries)
    g_error ("the sidebar has %u of %u entries", n, n_entries);
  for (guint i = 0; i < n; i++)
    {
      if (sorted[i] >= n_entries)
        g_error ("the sidebar holds position %u of %u", sorted[i], n_entries);
      read_entry (bundle, sorted[i]);
    }

  problems = gloss_bundle_get_problems (bundle);
  for (guint i = 0; i < problems->len; i++)
    {
      const GlossProblem *problem = g_ptr_array_index (problems, i);

      check_utf8 ("problem location", problem->location, FALSE);
      check_utf8 ("problem message", problem->message, FALSE);
    }
  gloss_bundle_get_n_skipped (bundle);
  gloss_bundle_get_n_errors (bundle);
  gloss_bundle_get_n_warnings (bundle);

  /* Searches as a user types them: a term, its first letters, a typo,
   * words of the built-in glossary, and scripts the folding treats apart. */
  search (bundle, "tsundere");
  search (bundle, "moe anime");
  search (bundle, "straße");
  search (bundle, "日本");
  search (bundle, "a");
  if (n_entries > 0)
    {
      const char *term = gloss_bundle_get_entry_term (bundle, sorted[n_entries / 2]);
      g_autofree char *prefix = g_utf8_substring (term, 0, MIN (g_utf8_strlen (term, -1), 3));
      g_autofree char *typo = g_strdup (term);

      if (strlen (typo) > 3)
        typo[1] = typo[1] == 'x' ? 'y' : 'x';
      search (bundle, term);
      search (bundle, prefix);
      if (g_utf8_validate (typo, -1, NULL))
        search (bundle, typo);
    }
}

static void
remove_tmp_dir (void)
{
  g_autofree char *cache_dir = g_build_filename (tmp_dir, "cache", NULL);

  g_unlink (key.cache_path);
  g_rmdir (cache_dir);
  g_rmdir (tmp_dir);
}

int
LLVMFuzzerInitialize (int    *argc,
                      char ***argv)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *cache_dir = NULL;
  struct stat st;
  int fd;

  fuzz_log_init ();
  g_setenv ("LC_ALL", "C.UTF-8", TRUE);

  tmp_dir = g_dir_make_tmp ("gloss-fuzz-cache-XXXXXX", &error);
  g_assert_no_error (error);
  cache_dir = g_build_filename (tmp_dir, "cache", NULL);
  g_mkdir (cache_dir, 0700);
  gloss_cache_set_dir (cache_dir);

  fd = g_open (GLOSS_FUZZ_SOURCE, O_RDONLY | O_CLOEXEC, 0);
  if (fd < 0 || fstat (fd, &st) != 0 || !gloss_cache_key_init (&key, GLOSS_FUZZ_SOURCE, &st))
    g_error ("cannot read %s", GLOSS_FUZZ_SOURCE);
  content_hash = gloss_cache_hash_file (fd, NULL, &error);
  g_assert_no_error (error);
  close (fd);

  source = g_file_new_for_path (GLOSS_FUZZ_SOURCE);
  atexit (remove_tmp_dir);
  filters[0] = gloss_filter_new (FALSE, NULL);
  filters[1] = gloss_filter_new (TRUE, NULL);

  return 0;
}

/* The input as the cache of the bundle: see the top of the file. */
static guint8 *
make_cache (const uint8_t *data,
            size_t         size,
            gsize         *out_size)
{
  GlossCacheHeader *header;
  guint8 *file;
  gsize key_offset;

  if (size < sizeof (GlossCacheHeader))
    {
      *out_size = size;
      return g_memdup2 (data, size);
    }

  key_offset = ALIGN8 (size);
  *out_size = key_offset + key.key_size;
  file = g_malloc0 (*out_size);
  memcpy (file, data, size);
  memcpy (file + key_offset, key.key, key.key_size);

  header = (GlossCacheHeader *)(gpointer)file;
  header->file_size = *out_size;
  header->key_hash = key.key_hash;
  header->source_dev = key.dev;
  header->source_ino = key.ino;
  header->source_size = key.size;
  header->source_mtime_sec = key.mtime_sec;
  header->source_mtime_nsec = key.mtime_nsec;
  header->content_hash = content_hash;
  header->sections[GLOSS_SECTION_KEY].offset = key_offset;
  header->sections[GLOSS_SECTION_KEY].size = key.key_size;
  gloss_cache_file_seal (file, *out_size);

  return file;
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(GlossBundle) bundle = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree guint8 *file = NULL;
  gsize file_size;
  int fd;

  file = make_cache (data, size, &file_size);

  /* A new file each time: the last one may still be mapped. */
  g_unlink (key.cache_path);
  fd = g_open (key.cache_path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0 || write (fd, file, file_size) != (gssize)file_size)
    g_error ("cannot write %s", key.cache_path);
  close (fd);

  bundle = _gloss_bundle_new_from_cache (source, &error);
  if (bundle == NULL)
    {
      if (error == NULL)
        g_error ("no bundle and no error");
      g_debug ("refused: %s", error->message);
      return 0;
    }
  g_debug ("opened: %u entries", gloss_bundle_get_n_entries (bundle));

  if (!gloss_bundle_get_from_cache (bundle))
    g_error ("a bundle from the cache says it is not");
  read_bundle (bundle);

  /* What the app does next in the background: hash the JSON again and
   * check every record. */
  gloss_bundle_check_source (bundle, NULL, NULL);

  return 0;
}
