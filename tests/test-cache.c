/* test-cache.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "test-cache"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <locale.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>

#include "gloss-bundle.h"
#include "gloss-cache.h"
#include "gloss-filter.h"
#include "gloss-hash.h"
#include "gloss-index.h"

/*
 * The compiled cache (gloss-cache.h). Whatever happens to the cache file,
 * a bundle opens with exactly what a parse of its JSON gives: a dump of
 * everything a user or a script can see (metadata, problems, sidebar order,
 * every entry as JSON, searches and their explanations) is compared with
 * one made with the cache off. The file is truncated, has bytes flipped
 * one at a time all over it, says another format version, belongs to
 * another bundle, locale or machine, is forged with good checksums and bad
 * offsets, and describes a bundle that changed since: each time the open
 * is right, and the cache is rebuilt.
 */

static char *tmp_dir;
static char *cache_dir;

/* The tests that open a bundle hundreds of times search less each time:
 * the sanitizers' build has to run them too. */
static gboolean light_dump;

static const char * const queries[] = {
  "a", "ze", "zebra", "zoe", "arger", "tag", "faitrio", "body", "missing", "word3",
  "naïve", "日本", "tsundere", "x y", NULL
};

static char *
tmp_path (const char *name)
{
  return g_build_filename (tmp_dir, name, NULL);
}

/* Sets the file's times @seconds back, so that no cache made from it is
 * "racily clean" (see gloss-cache.c) unless a test wants one. */
static void
age_file_by (const char *path,
             int         seconds)
{
  struct timespec times[2];

  clock_gettime (CLOCK_REALTIME, &times[0]);
  times[0].tv_sec -= seconds;
  times[0].tv_nsec = 123456789;
  times[1] = times[0];
  g_assert_cmpint (utimensat (AT_FDCWD, path, times, 0), ==, 0);
}

static void
age_file (const char *path)
{
  age_file_by (path, 60);
}

static void
write_bundle (const char *path,
              const char *json)
{
  g_autoptr(GError) error = NULL;

  g_file_set_contents (path, json, -1, &error);
  g_assert_no_error (error);
  age_file (path);
}

/* A bundle with a bit of everything the cache must keep: categories,
 * warnings, skipped and duplicate entries, mature ones, tags, related ids
 * and links that resolve and that do not, non-ASCII terms (the sidebar's
 * collation), every optional field. @variant changes the text, not the
 * length of the file. */
static char *
make_json (guint n,
           char  variant)
{
  static const char * const terms[] = {
    "Zebra", "Ärger", "zoë", "Apple", "apple", "Naïve", "日本語", "Éclair", "eclair", "Ωmega",
  };
  GString *out = g_string_new (NULL);

  g_string_append (out, "{\"format\":\"gloss-bundle\",\"version\":1,\"id\":\"test.cache\","
                        "\"title\":\"Cache test\",\"description\":\"Every field.\","
                        "\"language\":\"en\",\"license\":\"CC0-1.0\",\"updated\":\"2026-01-02\","
                        "\"authors\":[\"A. Author\",\"B. Author\"],\"extra\":1,"
                        "\"categories\":[{\"id\":\"c1\",\"name\":\"One\",\"description\":\"First\"},"
                        "{\"id\":\"c2\",\"name\":\"Two\"}],\"entries\":[\n");

  for (guint i = 0; i < n; i++)
    {
      if (i > 0)
        g_string_append (out, ",\n");

      if (i % 37 == 5)
        {
          /* skipped: no term; then a duplicate id */
          g_string_append_printf (out, "{\"id\":\"skip%u\",\"title\":\"No term\"}", i);
          continue;
        }
      if (i % 41 == 7)
        {
          g_string_append_printf (out, "{\"id\":\"e%u\",\"term\":\"Duplicate\"}", i - 1);
          continue;
        }

      g_string_append_printf (out,
                              "{\"id\":\"e%u\",\"term\":\"%s %u%c\",\"aliases\":[\"A%u\",\"alias %c\"],"
                              "\"summary\":\"Summary %u of the word%u body%c faitrio.\","
                              "\"category\":\"%s\",\"tags\":[\"tag%u\",\"all\"],",
                              i, terms[i % G_N_ELEMENTS (terms)], i, variant, i, variant,
                              i, i % 50, variant, i % 3 == 0 ? "c1" : i % 3 == 1 ? "c2" : "nope",
                              i % 7);
      if (i % 5 == 0)
        g_string_append (out, "\"mature\":true,\"notice\":\"Careful.\",");
      if (i % 11 == 0)
        g_string_append (out, "\"published\":\"2026-02-30\",\"unknown\":[1],");
      if (i % 4 == 0)
        g_string_append_printf (out, "\"title\":\"Title %u\",\"reading_minutes\":%u,", i, i % 9 + 1);
      g_string_append_printf (out,
                              "\"sources\":[\"Src\"],\"stats\":[{\"label\":\"L\",\"value\":\"%u\","
                              "\"note\":\"n\"}],\"sections\":[{\"heading\":\"H%c\",\"body\":"
                              "\"Body text %u with [a link](entry:e%u) and [a bad one](entry:gone%u) "
                              "and *emphasis* and word%u.\\n\\nSecond paragraph %c.\"},{\"body\":\"Two\"}],"
                              "\"faq\":[{\"question\":\"Q%u?\",\"answer\":\"A [x](javascript:y)\"}],"
                              "\"related\":[\"e%u\",\"e%u\",\"nobody\",\"e%u\"]}",
                              i, variant, i, (i + 1) % n, i, i % 13, variant, i, (i + 3) % n, i,
                              (i + 3) % n);
    }

  g_string_append (out, "\n]}\n");
  return g_string_free (out, FALSE);
}

static void
dump_results (GString     *out,
              GlossBundle *bundle,
              const char  *query,
              GlossFilter *filter)
{
  GlossIndex *index = gloss_bundle_get_index (bundle);
  g_autoptr(GlossResults) results = gloss_index_search (index, query, filter, 15);

  g_string_append_printf (out, "search %s: %u\n", query, gloss_results_get_total (results));
  for (guint i = 0; i < gloss_results_get_n_matches (results); i++)
    {
      const GlossMatch *m = gloss_results_get_match (results, i);
      g_autofree char *why = gloss_index_explain (index, m->position, query, TRUE);

      g_string_append_printf (out, "  %u %u %.4f %s\n", m->position, m->tier, m->score,
                              why != NULL ? why : "-");
    }
}

/* Everything a user or a script can see of @bundle, as text. */
static char *
dump (GlossBundle *bundle)
{
  GString *out = g_string_new (NULL);
  g_autoptr(GlossFilter) mature = gloss_filter_new (TRUE, NULL);
  const char * const hidden_tags[] = { "tag3", NULL };
  g_autoptr(GlossFilter) hidden = gloss_filter_new (FALSE, hidden_tags);
  const GlossCategory *categories;
  const guint *sorted;
  GPtrArray *problems;
  guint n;

  g_string_append_printf (out, "%s|%s|%s|%s|%s|%s\n", gloss_bundle_get_id (bundle),
                          gloss_bundle_get_title (bundle), gloss_bundle_get_description (bundle),
                          gloss_bundle_get_language (bundle), gloss_bundle_get_license (bundle),
                          gloss_bundle_get_updated (bundle));
  for (const char * const *a = gloss_bundle_get_authors (bundle); *a != NULL; a++)
    g_string_append_printf (out, "author %s\n", *a);
  categories = gloss_bundle_get_categories (bundle, &n);
  for (guint i = 0; i < n; i++)
    g_string_append_printf (out, "category %s %s %s\n", categories[i].id, categories[i].name,
                            categories[i].description ? categories[i].description : "-");

  g_string_append_printf (out, "%u entries, %u skipped, %u errors, %u warnings\n",
                          gloss_bundle_get_n_entries (bundle), gloss_bundle_get_n_skipped (bundle),
                          gloss_bundle_get_n_errors (bundle), gloss_bundle_get_n_warnings (bundle));

  problems = gloss_bundle_get_problems (bundle);
  for (guint i = 0; i < problems->len; i++)
    {
      const GlossProblem *p = g_ptr_array_index (problems, i);

      g_string_append_printf (out, "problem %d %s %s\n", p->severity, p->location, p->message);
    }

  sorted = gloss_bundle_get_sorted (bundle, &n);
  g_string_append (out, "sorted");
  for (guint i = 0; i < n; i++)
    g_string_append_printf (out, " %u", sorted[i]);
  g_string_append_c (out, '\n');

  for (guint i = 0; i < gloss_bundle_get_n_entries (bundle); i++)
    {
      GlossEntry *entry = gloss_bundle_get_entry (bundle, i);
      g_autoptr(JsonNode) node = gloss_entry_to_json (entry);
      g_autofree char *json = json_to_string (node, FALSE);
      g_autofree char *text = gloss_entry_to_text (entry);
      guint position = G_MAXUINT;

      g_assert_true (gloss_bundle_find_entry (bundle, gloss_entry_get_id (entry), &position));
      g_assert_cmpuint (position, ==, i);
      g_assert_true (gloss_bundle_lookup_entry (bundle, gloss_entry_get_id (entry)) == entry);
      g_assert_cmpstr (gloss_bundle_get_entry_id (bundle, i), ==, gloss_entry_get_id (entry));
      g_assert_cmpstr (gloss_bundle_get_entry_term (bundle, i), ==, gloss_entry_get_term (entry));

      g_string_append_printf (out, "%s\n%s%s", json, text,
                              gloss_entry_has_tag (entry, "all") ? "" : "untagged\n");
    }
  g_assert_false (gloss_bundle_find_entry (bundle, "no-such-entry", NULL));

  for (guint i = 0; queries[i] != NULL; i++)
    {
      if (light_dump && i % 4 != 0)
        continue;
      dump_results (out, bundle, queries[i], NULL);
      if (light_dump)
        continue;
      dump_results (out, bundle, queries[i], mature);
      dump_results (out, bundle, queries[i], hidden);
    }

  return g_string_free (out, FALSE);
}

static GlossBundle *
open_bundle (const char *path,
             gboolean   *from_cache)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GError) error = NULL;
  GlossBundle *bundle;

  bundle = gloss_bundle_new_from_file (file, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (bundle);
  if (from_cache != NULL)
    *from_cache = gloss_bundle_get_from_cache (bundle);

  return bundle;
}

/* The dump of the bundle parsed from its JSON, the cache left alone. */
static char *
reference_dump (const char *path)
{
  g_autoptr(GlossBundle) bundle = NULL;

  gloss_cache_set_enabled (FALSE);
  bundle = open_bundle (path, NULL);
  gloss_cache_set_enabled (TRUE);
  g_assert_false (gloss_bundle_get_from_cache (bundle));

  return dump (bundle);
}

static char *
open_and_dump (const char *path,
               gboolean   *from_cache)
{
  g_autoptr(GlossBundle) bundle = open_bundle (path, from_cache);

  return dump (bundle);
}

static char *
cache_path_of (const char *path)
{
  GlossCacheKey key;
  struct stat st;
  char *cache_path;

  g_assert_cmpint (g_stat (path, &st), ==, 0);
  g_assert_true (gloss_cache_key_init (&key, path, &st));
  cache_path = g_strdup (key.cache_path);
  gloss_cache_key_clear (&key);

  return cache_path;
}

static GBytes *
read_bytes (const char *path)
{
  g_autoptr(GError) error = NULL;
  char *data;
  gsize len;

  g_file_get_contents (path, &data, &len, &error);
  g_assert_no_error (error);
  return g_bytes_new_take (data, len);
}

/* Replaces the cache file's content with @data, in place (no sync: the
 * tests write hundreds). */
static void
put_cache (const char   *cache_path,
           const guint8 *data,
           gsize         len)
{
  int fd = g_open (cache_path, O_WRONLY | O_CREAT | O_TRUNC, 0600);

  g_assert_cmpint (fd, >=, 0);
  g_assert_cmpint (len == 0 ? 0 : write (fd, data, len), ==, (gssize)len);
  g_assert_cmpint (close (fd), ==, 0);
}

/* A fresh bundle file and its cache, and the reference dump. */
typedef struct
{
  char   *path;
  char   *cache_path;
  char   *reference;
  GBytes *cache;     /* the good cache file's bytes */
} Fixture;

static void
fixture_init (Fixture    *f,
              const char *name,
              guint       n)
{
  g_autofree char *json = make_json (n, 'a');
  gboolean from_cache = TRUE;
  g_autofree char *first = NULL;

  f->path = tmp_path (name);
  write_bundle (f->path, json);
  f->cache_path = cache_path_of (f->path);
  g_unlink (f->cache_path);
  f->reference = reference_dump (f->path);
  g_assert_false (g_file_test (f->cache_path, G_FILE_TEST_EXISTS));

  first = open_and_dump (f->path, &from_cache);
  g_assert_false (from_cache);
  g_assert_cmpstr (first, ==, f->reference);
  g_assert_true (g_file_test (f->cache_path, G_FILE_TEST_EXISTS));
  f->cache = read_bytes (f->cache_path);
}

static void
fixture_clear (Fixture *f)
{
  g_unlink (f->cache_path);
  g_unlink (f->path);
  g_free (f->path);
  g_free (f->cache_path);
  g_free (f->reference);
  g_bytes_unref (f->cache);
}

/* Opens the bundle until it comes from its cache, which takes at most two
 * more opens (one that writes a good cache, one that uses it), each as it
 * should be. */
static void
assert_rebuilt (Fixture    *f,
                const char *what)
{
  for (guint i = 0; i < 2; i++)
    {
      g_autofree char *again = NULL;
      gboolean from_cache = FALSE;

      again = open_and_dump (f->path, &from_cache);
      g_assert_cmpstr (again, ==, f->reference);
      if (from_cache)
        return;
    }

  g_error ("%s: the cache was not rebuilt", what);
}

/* The cache as it is now opens right, and whatever happened, a good cache
 * comes back. */
static void
assert_opens_right (Fixture    *f,
                    gboolean    expect_cached,
                    const char *what)
{
  g_autofree char *got = NULL;
  gboolean from_cache = FALSE;

  got = open_and_dump (f->path, &from_cache);
  if (g_strcmp0 (got, f->reference) != 0)
    g_error ("%s: the bundle opened differently", what);
  if (from_cache != expect_cached)
    g_error ("%s: %s", what, expect_cached ? "the cache was not used" : "a bad cache was used");

  assert_rebuilt (f, what);
}

static void
test_reopen (void)
{
  Fixture f;
  g_autoptr(GlossBundle) bundle = NULL;
  g_autoptr(GlossBundle) again = NULL;
  g_autoptr(GError) error = NULL;
  gboolean from_cache = FALSE;

  fixture_init (&f, "reopen.json", 300);

  bundle = open_bundle (f.path, &from_cache);
  g_assert_true (from_cache);
  {
    g_autofree char *got = dump (bundle);
    g_assert_cmpstr (got, ==, f.reference);
  }

  /* Problems survive the cache (skipped entries, warnings, references). */
  g_assert_cmpuint (gloss_bundle_get_n_skipped (bundle), >, 0);
  g_assert_cmpuint (gloss_bundle_get_n_warnings (bundle), >, 0);

  /* Nothing changed: the check of the source agrees. */
  g_assert_true (gloss_bundle_check_source (bundle, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (g_file_test (f.cache_path, G_FILE_TEST_EXISTS));

  /* An entry outlives its bundle (and the image under it). */
  {
    g_autoptr(GlossEntry) entry = g_object_ref (gloss_bundle_get_entry (bundle, 3));

    g_clear_object (&bundle);
    g_assert_nonnull (gloss_entry_get_title (entry));
    g_assert_nonnull (gloss_entry_get_tags (entry)[0]);
  }

  again = open_bundle (f.path, &from_cache);
  g_assert_true (from_cache);

  fixture_clear (&f);
}

/* Empty, all skipped, one entry: the edges of every table. */
static void
test_small (void)
{
  static const char * const jsons[] = {
    "{\"format\":\"gloss-bundle\",\"version\":1,\"entries\":[]}",
    "{\"format\":\"gloss-bundle\",\"version\":1,\"title\":\"T\",\"entries\":[{\"id\":\"a\"},7]}",
    ("{\"format\":\"gloss-bundle\",\"version\":1,\"title\":\"T\",\"entries\":"
     "[{\"id\":\"a\",\"term\":\"A\"}]}"),
  };

  for (guint i = 0; i < G_N_ELEMENTS (jsons); i++)
    {
      g_autofree char *path = tmp_path ("small.json");
      g_autofree char *reference = NULL;
      g_autofree char *first = NULL;
      g_autofree char *second = NULL;
      gboolean from_cache;

      write_bundle (path, jsons[i]);
      reference = reference_dump (path);
      first = open_and_dump (path, &from_cache);
      second = open_and_dump (path, &from_cache);
      g_assert_true (from_cache);
      g_assert_cmpstr (first, ==, reference);
      g_assert_cmpstr (second, ==, reference);
    }
}

static void
test_truncated (void)
{
  Fixture f;
  gsize size;
  const guint8 *data;

  fixture_init (&f, "truncated.json", 200);
  data = g_bytes_get_data (f.cache, &size);

  {
    const gsize lengths[] = { 0, 1, 8, sizeof (GlossCacheHeader) - 1, sizeof (GlossCacheHeader),
                              64 * 1024, size / 3, size / 2, size - 8, size - 1 };

    for (guint i = 0; i < G_N_ELEMENTS (lengths); i++)
      {
        g_autofree char *what = g_strdup_printf ("truncated to %" G_GSIZE_FORMAT " bytes",
                                                 lengths[i]);

        put_cache (f.cache_path, data, lengths[i]);
        assert_opens_right (&f, FALSE, what);
      }
  }

  /* Grown: a byte more than the header says. */
  {
    g_autofree guint8 *longer = g_malloc0 (size + 1);

    memcpy (longer, data, size);
    put_cache (f.cache_path, longer, size + 1);
    assert_opens_right (&f, FALSE, "grown by a byte");
  }

  fixture_clear (&f);
}

/* The sections a byte at @offset falls in. */
static int
section_at (const GlossCacheHeader *h,
            gsize                   offset)
{
  if (offset < sizeof *h)
    return -1;

  for (guint i = 0; i < GLOSS_N_SECTIONS; i++)
    {
      if (h->sections[i].size > 0 && offset >= h->sections[i].offset &&
          offset < h->sections[i].offset + h->sections[i].size)
        return i;
    }

  return -2;  /* padding */
}

static void
flip_and_check (Fixture      *f,
                const guint8 *data,
                gsize         size,
                gsize         offset,
                guint8        mask)
{
  const GlossCacheHeader *h = (const GlossCacheHeader *)(gconstpointer)data;
  g_autofree guint8 *copy = g_memdup2 (data, size);
  g_autofree char *what = NULL;
  g_autofree char *got = NULL;
  int section = section_at (h, offset);
  gboolean from_cache;

  copy[offset] ^= mask;
  put_cache (f->cache_path, copy, size);
  what = g_strdup_printf ("byte %" G_GSIZE_FORMAT " ^ 0x%02x (section %d)", offset, mask,
                          section);

  got = open_and_dump (f->path, &from_cache);
  if (g_strcmp0 (got, f->reference) != 0)
    g_error ("%s: the bundle opened differently", what);

  /* The header and the hot sections are checked at open; a record when it
   * is read, which the dump did; a block of the index's postings when a
   * search reads it (and then the index is built again: the dump was
   * right), or else by the background check. Either way the file is gone
   * or rebuilt, unless the byte was padding nobody reads. */
  if (section == GLOSS_SECTION_RECORDS)
    {
      g_assert_true (from_cache);
      g_assert_false (g_file_test (f->cache_path, G_FILE_TEST_EXISTS));
    }
  else if (section >= 0 && gloss_section_is_lazy (section))
    {
      if (g_file_test (f->cache_path, G_FILE_TEST_EXISTS))
        {
          g_autoptr(GlossBundle) bundle = open_bundle (f->path, &from_cache);
          g_autoptr(GError) error = NULL;

          g_assert_true (from_cache);
          if (gloss_bundle_check_source (bundle, NULL, &error))
            g_error ("%s: the background check did not notice", what);
          g_assert_false (g_file_test (f->cache_path, G_FILE_TEST_EXISTS));
        }
    }
  else if (section != -2)
    {
      if (from_cache)
        g_error ("%s: the damage was not noticed at open", what);
    }

  assert_rebuilt (f, what);
}

static void
test_flipped (void)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (42);
  const GlossCacheHeader *h;
  const guint8 *data;
  Fixture f;
  gsize size;
  guint n = 0;

  light_dump = TRUE;
  fixture_init (&f, "flipped.json", 60);
  data = g_bytes_get_data (f.cache, &size);
  h = (const GlossCacheHeader *)(gconstpointer)data;

  /* Every field of the header but the section table (in quick mode,
   * every other one)... */
  for (gsize offset = 0; offset < G_STRUCT_OFFSET (GlossCacheHeader, sections);
       offset += g_test_quick () ? 8 : 4)
    {
      flip_and_check (&f, data, size, offset, 0x01);
      n++;
    }

  /* ...the table, and the first, middle and last byte of every section
   * (in quick mode, one entry of the table in four, and one byte of each
   * section somewhere)... */
  for (guint i = 0; i < GLOSS_N_SECTIONS; i++)
    {
      gsize entry = G_STRUCT_OFFSET (GlossCacheHeader, sections) + i * sizeof (GlossCacheSection);

      if (!g_test_quick () || i % 4 == 0)
        {
          flip_and_check (&f, data, size, entry, 0x08);
          flip_and_check (&f, data, size, entry + 8, 0x10);
          n += 2;
        }

      if (h->sections[i].size == 0)
        continue;
      if (g_test_quick ())
        {
          flip_and_check (&f, data, size,
                          h->sections[i].offset + g_rand_int_range (rand, 0, h->sections[i].size),
                          0x04);
          n++;
          continue;
        }
      flip_and_check (&f, data, size, h->sections[i].offset, 0x80);
      flip_and_check (&f, data, size, h->sections[i].offset + h->sections[i].size / 2, 0x20);
      flip_and_check (&f, data, size, h->sections[i].offset + h->sections[i].size - 1, 0xFF);
      n += 3;
    }

  /* ...and anywhere at all. */
  for (guint i = 0; i < (g_test_quick () ? 12u : 60u); i++)
    {
      flip_and_check (&f, data, size, g_rand_int_range (rand, 0, size),
                      1 << g_rand_int_range (rand, 0, 8));
      n++;
    }

  g_test_message ("%u flipped bytes, each noticed or harmless", n);
  fixture_clear (&f);
  light_dump = FALSE;
}

/* Recomputes the header's checksum after a test changed a hot section on
 * purpose: the damage the checksum cannot see, which the checks must. */
static void
reseal (guint8 *data,
        gsize   size)
{
  GlossCacheHeader *h = (GlossCacheHeader *)(gpointer)data;
  GlossCacheHeader copy = *h;
  GlossHashState state;

  copy.checksum = 0;
  gloss_hash_init (&state, 0);
  gloss_hash_update (&state, &copy, sizeof copy);
  for (guint i = 0; i < GLOSS_N_SECTIONS; i++)
    {
      /* A section the test made too long is hashed up to the end: it is
       * refused before its checksum is looked at. */
      if (i != GLOSS_SECTION_RECORDS && !gloss_section_is_lazy (i) && h->sections[i].offset <= size)
        gloss_hash_update (&state, data + h->sections[i].offset,
                           MIN (h->sections[i].size, size - h->sections[i].offset));
    }
  h->checksum = gloss_hash_finish (&state);
}

static void
test_version (void)
{
  Fixture f;
  g_autofree guint8 *copy = NULL;
  GlossCacheHeader *h;
  gsize size;

  fixture_init (&f, "version.json", 50);
  copy = g_bytes_unref_to_data (g_bytes_ref (f.cache), &size);
  h = (GlossCacheHeader *)(gpointer)copy;

  h->format_version = GLOSS_CACHE_FORMAT_VERSION + 1;
  reseal (copy, size);
  put_cache (f.cache_path, copy, size);
  assert_opens_right (&f, FALSE, "a newer format version");

  h->format_version = GLOSS_CACHE_FORMAT_VERSION;
  h->byte_order = GUINT32_SWAP_LE_BE (GLOSS_CACHE_BYTE_ORDER);
  reseal (copy, size);
  put_cache (f.cache_path, copy, size);
  assert_opens_right (&f, FALSE, "the other byte order");

  h->byte_order = GLOSS_CACHE_BYTE_ORDER;
  memcpy (h->magic, "NOTGLOSS", 8);
  reseal (copy, size);
  put_cache (f.cache_path, copy, size);
  assert_opens_right (&f, FALSE, "another magic");

  fixture_clear (&f);
}

static void
test_foreign (void)
{
  Fixture f;
  Fixture other;
  g_autoptr(GRand) rand = g_rand_new_with_seed (7);
  g_autofree guint8 *noise = NULL;
  const guint8 *data;
  gsize size;

  fixture_init (&f, "foreign.json", 60);
  fixture_init (&other, "other.json", 80);

  /* Another bundle's cache, good in itself */
  data = g_bytes_get_data (other.cache, &size);
  put_cache (f.cache_path, data, size);
  assert_opens_right (&f, FALSE, "the cache of another bundle");

  /* Noise of the right size */
  data = g_bytes_get_data (f.cache, &size);
  noise = g_malloc (size);
  for (gsize i = 0; i < size; i++)
    noise[i] = g_rand_int (rand);
  put_cache (f.cache_path, noise, size);
  assert_opens_right (&f, FALSE, "noise");

  /* A cache made in another collation locale: the sidebar's order may
   * differ, so it is not used. */
  {
    g_autofree char *saved = g_strdup (setlocale (LC_COLLATE, NULL));
    g_autofree char *other_reference = NULL;
    g_autofree char *got = NULL;
    gboolean from_cache;

    put_cache (f.cache_path, data, size);
    g_assert_nonnull (setlocale (LC_COLLATE, g_str_equal (saved, "C") ? "C.UTF-8" : "C"));
    other_reference = reference_dump (f.path);
    got = open_and_dump (f.path, &from_cache);
    g_assert_false (from_cache);
    g_assert_cmpstr (got, ==, other_reference);
    setlocale (LC_COLLATE, saved);
    assert_opens_right (&f, FALSE, "a cache of another locale");
  }

  /* Not a regular file */
  g_unlink (f.cache_path);
  g_assert_cmpint (g_mkdir (f.cache_path, 0700), ==, 0);
  {
    g_autofree char *got = NULL;
    gboolean from_cache;

    got = open_and_dump (f.path, &from_cache);
    g_assert_false (from_cache);
    g_assert_cmpstr (got, ==, f.reference);
  }
  g_assert_cmpint (g_rmdir (f.cache_path), ==, 0);

  fixture_clear (&other);
  fixture_clear (&f);
}

/* Writes @json over the file in place: same inode, and with @keep_time the
 * same modification time, as an editor or a copy tool that preserves times
 * could leave it. */
static void
rewrite_in_place (const char *path,
                  const char *json,
                  gboolean    keep_time)
{
  struct stat st;
  int fd;

  g_assert_cmpint (g_stat (path, &st), ==, 0);
  fd = g_open (path, O_WRONLY, 0);
  g_assert_cmpint (fd, >=, 0);
  g_assert_cmpint (pwrite (fd, json, strlen (json), 0), ==, (gssize)strlen (json));
  g_assert_cmpint (ftruncate (fd, strlen (json)), ==, 0);
  close (fd);

  if (keep_time)
    {
      struct timespec times[2] = { st.st_atim, st.st_mtim };

      g_assert_cmpint (utimensat (AT_FDCWD, path, times, 0), ==, 0);
    }
}

static void
test_changed (void)
{
  Fixture f;
  g_autofree char *json_b = make_json (90, 'b');
  g_autofree char *json_c = make_json (90, 'c');
  g_autofree char *reference_b = NULL;
  g_autofree char *reference_c = NULL;
  g_autoptr(GlossBundle) stale = NULL;
  g_autoptr(GError) error = NULL;
  gboolean from_cache;

  fixture_init (&f, "changed.json", 90);

  /* An ordinary change: a new time, so a new key. */
  rewrite_in_place (f.path, json_b, FALSE);
  age_file_by (f.path, 120);
  reference_b = reference_dump (f.path);
  g_assert_cmpstr (reference_b, !=, f.reference);
  {
    g_autofree char *got = open_and_dump (f.path, &from_cache);

    g_assert_false (from_cache);
    g_assert_cmpstr (got, ==, reference_b);
  }

  /* The same size and time, on an old file: the open trusts them, the
   * background check does not, and the file opens right after it. */
  rewrite_in_place (f.path, json_c, TRUE);
  stale = open_bundle (f.path, &from_cache);
  g_assert_true (from_cache);
  g_assert_false (gloss_bundle_check_source (stale, NULL, &error));
  g_assert_nonnull (error);
  g_test_message ("the check says: %s", error->message);
  g_assert_false (g_file_test (f.cache_path, G_FILE_TEST_EXISTS));

  reference_c = reference_dump (f.path);
  {
    g_autofree char *got = open_and_dump (f.path, &from_cache);

    g_assert_false (from_cache);
    g_assert_cmpstr (got, ==, reference_c);
  }

  fixture_clear (&f);
}

/* A file changed within the timestamp's resolution of when its cache was
 * made: the open itself reads the file again. */
static void
test_racy (void)
{
  g_autofree char *path = tmp_path ("racy.json");
  g_autofree char *json_a = make_json (40, 'a');
  g_autofree char *json_b = make_json (40, 'b');
  g_autofree char *reference_b = NULL;
  g_autofree char *cache_path = NULL;
  g_autoptr(GError) error = NULL;
  gboolean from_cache;

  g_file_set_contents (path, json_a, -1, &error);
  g_assert_no_error (error);
  cache_path = cache_path_of (path);
  g_unlink (cache_path);

  {
    g_autofree char *first = open_and_dump (path, &from_cache);
    g_autofree char *second = open_and_dump (path, &from_cache);

    /* Racy, yet unchanged: used, after reading the file again. */
    g_assert_true (from_cache);
    g_assert_cmpstr (first, ==, second);
  }

  rewrite_in_place (path, json_b, TRUE);
  reference_b = reference_dump (path);
  {
    g_autofree char *got = open_and_dump (path, &from_cache);

    g_assert_false (from_cache);
    g_assert_cmpstr (got, ==, reference_b);
  }

  g_unlink (cache_path);
  g_unlink (path);
}

/* Good checksums over bad content: what a forged or buggy file could hold.
 * Each is refused at open, or (a record) read again from the JSON. */
static void
test_forged (void)
{
  Fixture f;
  const guint8 *data;
  GlossCacheHeader *h;
  gsize size;

  fixture_init (&f, "forged.json", 100);
  data = g_bytes_get_data (f.cache, &size);

  /* An entry's id pointing into the middle of a string */
  {
    g_autofree guint8 *copy = g_memdup2 (data, size);
    GlossCacheEntry *entries;

    h = (GlossCacheHeader *)(gpointer)copy;
    entries = (GlossCacheEntry *)(gpointer)(copy + h->sections[GLOSS_SECTION_ENTRIES].offset);
    entries[3].id += 1;
    reseal (copy, size);
    put_cache (f.cache_path, copy, size);
    assert_opens_right (&f, FALSE, "an id pointing into a string");
  }

  /* A record past the end of the records */
  {
    g_autofree guint8 *copy = g_memdup2 (data, size);
    GlossCacheEntry *entries;

    h = (GlossCacheHeader *)(gpointer)copy;
    entries = (GlossCacheEntry *)(gpointer)(copy + h->sections[GLOSS_SECTION_ENTRIES].offset);
    entries[7].record_size = G_MAXUINT32;
    reseal (copy, size);
    put_cache (f.cache_path, copy, size);
    assert_opens_right (&f, FALSE, "a record past the end");
  }

  /* The sidebar order with a position twice */
  {
    g_autofree guint8 *copy = g_memdup2 (data, size);
    guint32 *sorted;

    h = (GlossCacheHeader *)(gpointer)copy;
    sorted = (guint32 *)(gpointer)(copy + h->sections[GLOSS_SECTION_SORTED].offset);
    sorted[1] = sorted[0];
    reseal (copy, size);
    put_cache (f.cache_path, copy, size);
    assert_opens_right (&f, FALSE, "a position twice in the sidebar order");
  }

  /* A section overlapping the end of the file */
  {
    g_autofree guint8 *copy = g_memdup2 (data, size);

    h = (GlossCacheHeader *)(gpointer)copy;
    h->sections[GLOSS_SECTION_STRINGS].size = size;
    reseal (copy, size);
    put_cache (f.cache_path, copy, size);
    assert_opens_right (&f, FALSE, "a section past the end of the file");
  }

  /* The index: vocabulary out of order, postings offsets past their data,
   * a key pointing at a document that is not there */
  {
    g_autofree guint8 *copy = g_memdup2 (data, size);
    char *vocab;

    h = (GlossCacheHeader *)(gpointer)copy;
    vocab = (char *)(copy + h->sections[GLOSS_SECTION_INDEX_VOCAB].offset);
    g_assert_cmpuint (h->sections[GLOSS_SECTION_INDEX_VOCAB].size, >, 4);
    vocab[0] = 'z';
    reseal (copy, size);
    put_cache (f.cache_path, copy, size);
    assert_opens_right (&f, FALSE, "an unsorted vocabulary");
  }
  {
    g_autofree guint8 *copy = g_memdup2 (data, size);
    guint32 *offsets;
    guint n;

    h = (GlossCacheHeader *)(gpointer)copy;
    offsets = (guint32 *)(gpointer)(copy + h->sections[GLOSS_SECTION_INDEX_SPACE0 + 1].offset);
    n = h->sections[GLOSS_SECTION_INDEX_SPACE0 + 1].size / 4;
    offsets[n / 2] = G_MAXUINT32;
    reseal (copy, size);
    put_cache (f.cache_path, copy, size);
    assert_opens_right (&f, FALSE, "postings past their data");
  }
  {
    g_autofree guint8 *copy = g_memdup2 (data, size);
    guint32 *docs;

    h = (GlossCacheHeader *)(gpointer)copy;
    docs = (guint32 *)(gpointer)(copy + h->sections[GLOSS_SECTION_INDEX_KEY_DOCS].offset);
    docs[0] = 1000000;
    reseal (copy, size);
    put_cache (f.cache_path, copy, size);
    assert_opens_right (&f, FALSE, "a key of a missing document");
  }

  /* Postings whose bytes were changed behind a good checksum can only
   * give wrong results, never read out of bounds: every byte 0xFF. */
  {
    g_autofree guint8 *copy = g_memdup2 (data, size);
    g_autoptr(GlossBundle) bundle = NULL;
    gboolean from_cache;
    const GlossCacheSection *s;

    h = (GlossCacheHeader *)(gpointer)copy;
    for (guint space = 0; space < 3; space++)
      {
        s = &h->sections[GLOSS_SECTION_INDEX_SPACE0 + space * 5 + 2];
        memset (copy + s->offset, 0xFF, s->size - 8);
      }
    reseal (copy, size);
    put_cache (f.cache_path, copy, size);
    bundle = open_bundle (f.path, &from_cache);
    g_assert_true (from_cache);
    for (guint i = 0; queries[i] != NULL; i++)
      {
        g_autoptr(GlossResults) results = gloss_index_search (gloss_bundle_get_index (bundle),
                                                              queries[i], NULL, 0);

        for (guint k = 0; k < gloss_results_get_n_matches (results); k++)
          g_assert_cmpuint (gloss_results_get_match (results, k)->position, <,
                            gloss_bundle_get_n_entries (bundle));
      }
    g_clear_object (&bundle);
    g_unlink (f.cache_path);
    assert_opens_right (&f, FALSE, "postings of 0xFF");
  }

  /* A record that passes its own check but is not UTF-8: read again from
   * the JSON, and the cache dropped. */
  {
    g_autofree guint8 *copy = g_memdup2 (data, size);
    GlossCacheEntry *entries;
    guint8 *record;
    gboolean changed = FALSE;

    h = (GlossCacheHeader *)(gpointer)copy;
    entries = (GlossCacheEntry *)(gpointer)(copy + h->sections[GLOSS_SECTION_ENTRIES].offset);
    record = copy + h->sections[GLOSS_SECTION_RECORDS].offset + entries[2].record;
    for (guint i = 8; i < entries[2].record_size && !changed; i++)
      {
        if (g_ascii_isalpha (record[i]))
          {
            record[i] = 0xFF;
            changed = TRUE;
          }
      }
    g_assert_true (changed);
    entries[2].record_check = (guint32)gloss_hash64 (record, entries[2].record_size, 0);
    reseal (copy, size);
    put_cache (f.cache_path, copy, size);
    assert_opens_right (&f, TRUE, "a record that is not UTF-8");
    g_assert_true (g_file_test (f.cache_path, G_FILE_TEST_EXISTS));
  }

  fixture_clear (&f);
}

/* Random damage behind a good checksum, a few bytes at a time anywhere in
 * the sections checked at open: whatever passes the checks may read
 * differently (no checksum can tell a forged file from a good one), but
 * nothing reads out of bounds (the sanitizers' build runs this too), and
 * every position a search gives is an entry. */
static void
test_forged_random (void)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (1234);
  const GlossCacheHeader *h;
  const guint8 *data;
  Fixture f;
  gsize size;
  guint n_used = 0;
  guint rounds = g_test_quick () ? 150 : 1500;

  light_dump = TRUE;
  fixture_init (&f, "forged-random.json", 40);
  data = g_bytes_get_data (f.cache, &size);
  h = (const GlossCacheHeader *)(gconstpointer)data;

  for (guint round = 0; round < rounds; round++)
    {
      g_autofree guint8 *copy = g_memdup2 (data, size);
      g_autoptr(GlossBundle) bundle = NULL;
      g_autofree char *got = NULL;
      guint n_bytes = g_rand_int_range (rand, 1, 9);
      gboolean from_cache;

      for (guint k = 0; k < n_bytes; k++)
        {
          guint id;

          do
            id = g_rand_int_range (rand, 0, GLOSS_N_SECTIONS);
          while (h->sections[id].size == 0 || id == GLOSS_SECTION_RECORDS ||
                 id == GLOSS_SECTION_KEY);

          copy[h->sections[id].offset + g_rand_int_range (rand, 0, h->sections[id].size)] =
            g_rand_int (rand);
        }
      reseal (copy, size);
      put_cache (f.cache_path, copy, size);

      bundle = open_bundle (f.path, &from_cache);
      n_used += from_cache;
      got = dump (bundle);
      for (guint i = 0; queries[i] != NULL; i++)
        {
          g_autoptr(GlossResults) results = gloss_index_search (gloss_bundle_get_index (bundle),
                                                                queries[i], NULL, 0);

          for (guint k = 0; k < gloss_results_get_n_matches (results); k++)
            g_assert_cmpuint (gloss_results_get_match (results, k)->position, <,
                              gloss_bundle_get_n_entries (bundle));
        }
    }

  g_test_message ("%u forged caches, %u passed the checks and were read", rounds, n_used);
  assert_rebuilt (&f, "after forgeries");
  fixture_clear (&f);
  light_dump = FALSE;
}

/* No cache can be written: the bundle opens all the same, quietly. */
static void
test_unwritable (void)
{
  g_autofree char *path = tmp_path ("unwritable.json");
  g_autofree char *json = make_json (30, 'a');
  g_autofree char *blocked = tmp_path ("blocked");
  g_autofree char *reference = NULL;
  gboolean from_cache;

  write_bundle (path, json);
  reference = reference_dump (path);

  /* The cache folder's place taken by a file */
  g_file_set_contents (blocked, "", 0, NULL);
  gloss_cache_set_dir (blocked);
  for (guint i = 0; i < 2; i++)
    {
      g_autofree char *got = open_and_dump (path, &from_cache);

      g_assert_false (from_cache);
      g_assert_cmpstr (got, ==, reference);
    }
  gloss_cache_set_dir (cache_dir);
  g_unlink (blocked);
  g_unlink (path);
}

typedef struct
{
  const char *path;
  char       *dump;
} ThreadLoad;

static gpointer
load_thread (gpointer data)
{
  ThreadLoad *tl = data;

  tl->dump = open_and_dump (tl->path, NULL);
  return NULL;
}

/* Several opens of one bundle at once, each writing the cache. */
static void
test_concurrent (void)
{
  Fixture f;
  ThreadLoad loads[4];
  GThread *threads[4];

  fixture_init (&f, "concurrent.json", 150);
  for (guint round = 0; round < 2; round++)
    {
      g_unlink (f.cache_path);
      for (guint i = 0; i < 4; i++)
        {
          loads[i].path = f.path;
          threads[i] = g_thread_new ("load", load_thread, &loads[i]);
        }
      for (guint i = 0; i < 4; i++)
        {
          g_thread_join (threads[i]);
          g_assert_cmpstr (loads[i].dump, ==, f.reference);
          g_free (loads[i].dump);
        }
    }
  assert_opens_right (&f, TRUE, "after concurrent writers");

  /* No temporary file left behind */
  {
    g_autoptr(GDir) dir = g_dir_open (cache_dir, 0, NULL);
    const char *name;

    while ((name = g_dir_read_name (dir)) != NULL)
      g_assert_true (g_str_has_suffix (name, ".gloss-cache"));
  }

  fixture_clear (&f);
}

typedef struct
{
  GMainLoop   *loop;
  GlossBundle *bundle;
  GError      *error;
  GArray      *fractions;
  gboolean     done;
  gboolean     late;
} AsyncLoad;

static void
on_progress (double   fraction,
             gpointer user_data)
{
  AsyncLoad *load = user_data;

  if (load->done)
    load->late = TRUE;
  g_array_append_val (load->fractions, fraction);
}

static void
on_loaded (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  AsyncLoad *load = user_data;

  load->bundle = gloss_bundle_load_finish (result, &load->error);
  load->done = TRUE;
  g_main_loop_quit (load->loop);
}

/* The app's way in: progress from 0 to 1, then the bundle; the same from
 * the JSON and from the cache. */
static void
test_async_progress (void)
{
  g_autofree char *path = tmp_path ("async.json");
  g_autofree char *json = make_json (1500, 'a');
  g_autofree char *reference = NULL;
  g_autofree char *cache_path = NULL;
  g_autoptr(GFile) file = NULL;

  light_dump = TRUE;
  write_bundle (path, json);
  reference = reference_dump (path);
  file = g_file_new_for_path (path);
  cache_path = cache_path_of (path);
  g_unlink (cache_path);

  for (guint round = 0; round < 2; round++)
    {
      AsyncLoad load = { NULL, };
      g_autofree char *got = NULL;

      load.loop = g_main_loop_new (NULL, FALSE);
      load.fractions = g_array_new (FALSE, FALSE, sizeof (double));
      gloss_bundle_load_async (file, on_progress, &load, NULL, NULL, on_loaded, &load);
      g_main_loop_run (load.loop);

      /* Anything dispatched already must not come after the result. */
      while (g_main_context_iteration (NULL, FALSE))
        ;

      g_assert_no_error (load.error);
      g_assert_true (GLOSS_IS_BUNDLE (load.bundle));
      g_assert_cmpint (gloss_bundle_get_from_cache (load.bundle), ==, round == 1);
      g_assert_false (load.late);
      for (guint i = 0; i < load.fractions->len; i++)
        {
          double fr = g_array_index (load.fractions, double, i);

          g_assert_cmpfloat (fr, >=, 0.0);
          g_assert_cmpfloat (fr, <=, 1.0);
          if (i > 0)
            g_assert_cmpfloat (fr, >=, g_array_index (load.fractions, double, i - 1));
        }
      g_test_message ("round %u: %u progress reports", round, load.fractions->len);
      if (round == 0)
        g_assert_cmpuint (load.fractions->len, >, 0);

      got = dump (load.bundle);
      g_assert_cmpstr (got, ==, reference);

      g_object_unref (load.bundle);
      g_array_unref (load.fractions);
      g_main_loop_unref (load.loop);
    }

  light_dump = FALSE;
  g_unlink (path);
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
  int ret;

  setlocale (LC_ALL, "");
  g_test_init (&argc, &argv, NULL);

  tmp_dir = g_dir_make_tmp ("gloss-test-cache-XXXXXX", NULL);
  g_assert_nonnull (tmp_dir);
  cache_dir = g_build_filename (tmp_dir, "cache", NULL);
  gloss_cache_set_dir (cache_dir);

  g_test_add_func ("/gloss/cache/reopen", test_reopen);
  g_test_add_func ("/gloss/cache/small", test_small);
  g_test_add_func ("/gloss/cache/truncated", test_truncated);
  g_test_add_func ("/gloss/cache/flipped", test_flipped);
  g_test_add_func ("/gloss/cache/version", test_version);
  g_test_add_func ("/gloss/cache/foreign", test_foreign);
  g_test_add_func ("/gloss/cache/changed", test_changed);
  g_test_add_func ("/gloss/cache/racy", test_racy);
  g_test_add_func ("/gloss/cache/forged", test_forged);
  g_test_add_func ("/gloss/cache/forged-random", test_forged_random);
  g_test_add_func ("/gloss/cache/unwritable", test_unwritable);
  g_test_add_func ("/gloss/cache/concurrent", test_concurrent);
  g_test_add_func ("/gloss/cache/async-progress", test_async_progress);

  ret = g_test_run ();

  remove_dir (tmp_dir);
  g_free (cache_dir);
  g_free (tmp_dir);

  return ret;
}
