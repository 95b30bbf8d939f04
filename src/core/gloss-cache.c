/* gloss-cache.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "gloss-cache"

/* fallocate () */
#define _GNU_SOURCE

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <locale.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include <glib/gstdio.h>

#include "gloss-cache.h"
#include "gloss-hash.h"

/* A file modified this close to the moment it was read may be modified
 * again without its size or timestamp changing (timestamps are coarser
 * than they look): such a cache is trusted only after its content hash
 * has been checked again. */
#define RACY_USEC (2 * G_USEC_PER_SEC)

#define ALIGN8(x) (((x) + 7) & ~(guint64)7)

G_STATIC_ASSERT (sizeof (GlossCacheHeader) % 8 == 0);
G_STATIC_ASSERT (sizeof (GlossCacheEntry) % 8 == 0);
G_STATIC_ASSERT (sizeof (GlossCacheMeta) % 8 == 0);

/* What an empty section points at: valid for any small read. */
static const guint64 empty_section[8];

typedef struct
{
  gpointer       data;
  GDestroyNotify free_func;
} Owned;

static void
clear_owned (gpointer data)
{
  Owned *owned = data;

  if (owned->free_func != NULL && owned->data != NULL)
    owned->free_func (owned->data);
}

GlossImage *
gloss_image_new (void)
{
  GlossImage *image = g_new0 (GlossImage, 1);

  g_atomic_ref_count_init (&image->ref_count);
  for (guint i = 0; i < GLOSS_N_SECTIONS; i++)
    image->section_data[i] = (const guint8 *)empty_section;
  image->owned = g_ptr_array_new_with_free_func (g_free);

  return image;
}

GlossImage *
gloss_image_ref (GlossImage *image)
{
  g_return_val_if_fail (image != NULL, NULL);

  g_atomic_ref_count_inc (&image->ref_count);
  return image;
}

void
gloss_image_unref (GlossImage *image)
{
  g_return_if_fail (image != NULL);

  if (!g_atomic_ref_count_dec (&image->ref_count))
    return;

  for (guint i = image->owned->len; i > 0; i--)
    clear_owned (g_ptr_array_index (image->owned, i - 1));
  g_ptr_array_unref (image->owned);
  g_clear_pointer (&image->mapping, g_bytes_unref);
  g_free (image->cache_path);
  g_free (image);
}

/* Hands @image memory to free with it. */
void
gloss_image_take (GlossImage     *image,
                  gpointer        data,
                  GDestroyNotify  free_func)
{
  Owned *owned = g_new (Owned, 1);

  owned->data = data;
  owned->free_func = free_func;
  g_ptr_array_add (image->owned, owned);
}

/* Sets a section of an image built in memory; @free_func, when given,
 * frees @data with the image. */
void
gloss_image_set_section (GlossImage     *image,
                         GlossSectionId  id,
                         gconstpointer   data,
                         gsize           size,
                         GDestroyNotify  free_func)
{
  g_return_if_fail (id < GLOSS_N_SECTIONS);

  if (free_func != NULL && data != NULL)
    {
      Owned *owned = g_new (Owned, 1);

      owned->data = (gpointer)data;
      owned->free_func = free_func;
      g_ptr_array_add (image->owned, owned);
    }

  image->section_data[id] = size > 0 && data != NULL ? data : (const guint8 *)empty_section;
  image->section_size[id] = size;
}

/* A string reference is good when it points at the start of a string of
 * the section: the first byte, or the byte after a NUL. The section's
 * strings were checked to be UTF-8 as a whole, and its last byte is a
 * NUL, so such a string is NUL-terminated UTF-8. */
static inline gboolean
string_ref_ok (const char *strings,
               gsize       size,
               guint32     offset)
{
  return offset < size && (offset == 0 || strings[offset - 1] == '\0');
}

const char *
gloss_image_string (GlossImage *image,
                    guint32     offset)
{
  if (offset == GLOSS_CACHE_NONE)
    return NULL;

  g_assert (string_ref_ok (image->strings, image->strings_size, offset));
  return image->strings + offset;
}

/* Whether @len bytes are UTF-8 (RFC 3629: no overlong forms, no
 * surrogates, nothing past U+10FFFF), NULs allowed and counted: a section
 * of NUL-terminated strings is checked in one pass, eight bytes at a time
 * where it is ASCII, which most of it is. */
gboolean
gloss_utf8_check (const char *data,
                  gsize       len,
                  gsize      *n_nul)
{
  const guchar *p = (const guchar *)data;
  const guchar *end = p + len;
  const guint64 high = G_GUINT64_CONSTANT (0x8080808080808080);
  const guint64 low7 = G_GUINT64_CONSTANT (0x7F7F7F7F7F7F7F7F);
  gsize nul = 0;

  while (p < end)
    {
      guchar c;

      while (end - p >= 8)
        {
          guint64 w;
          guint64 zero;

          memcpy (&w, p, 8);
          if (w & high)
            break;
          /* The high bit of each byte that is 0, exactly. */
          zero = ~(((w & low7) + low7) | w | low7);
          if (zero != 0)
            nul += ((zero >> 7) * G_GUINT64_CONSTANT (0x0101010101010101)) >> 56;
          p += 8;
        }

      if (p >= end)
        break;

      c = *p;
      if (c < 0x80)
        {
          nul += c == 0;
          p++;
        }
      else if (c < 0xC2)
        return FALSE;
      else if (c < 0xE0)
        {
          if (end - p < 2 || (p[1] & 0xC0) != 0x80)
            return FALSE;
          p += 2;
        }
      else if (c < 0xF0)
        {
          if (end - p < 3 || (p[1] & 0xC0) != 0x80 || (p[2] & 0xC0) != 0x80 ||
              (c == 0xE0 && p[1] < 0xA0) || (c == 0xED && p[1] > 0x9F))
            return FALSE;
          p += 3;
        }
      else if (c < 0xF5)
        {
          if (end - p < 4 || (p[1] & 0xC0) != 0x80 || (p[2] & 0xC0) != 0x80 ||
              (p[3] & 0xC0) != 0x80 || (c == 0xF0 && p[1] < 0x90) || (c == 0xF4 && p[1] > 0x8F))
            return FALSE;
          p += 4;
        }
      else
        return FALSE;
    }

  if (n_nul != NULL)
    *n_nul = nul;
  return TRUE;
}

/* Every string of a string section: NUL-terminated, valid UTF-8. */
static gboolean
check_strings (const char *strings,
               gsize       size)
{
  if (size == 0)
    return TRUE;

  return strings[size - 1] == '\0' && gloss_utf8_check (strings, size, NULL);
}

static gboolean
corrupt (GError    **error,
         const char *what)
{
  g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "damaged cache: %s", what);
  return FALSE;
}

static gboolean
check_u32_refs (const guint32 *refs,
                gsize          n,
                const char    *strings,
                gsize          strings_size,
                gboolean       nullable)
{
  for (gsize i = 0; i < n; i++)
    {
      if (refs[i] == GLOSS_CACHE_NONE && nullable)
        continue;
      if (!string_ref_ok (strings, strings_size, refs[i]))
        return FALSE;
    }

  return TRUE;
}

/* Checks every section the bundle reads (gloss-index.c checks its own)
 * and sets the image's shortcuts. Cheap: linear in the number of entries
 * and the size of the strings, never in the records. */
gboolean
gloss_image_check (GlossImage  *image,
                   GError     **error)
{
  const char *strings;
  gsize strings_size;
  const GlossCacheMeta *meta;
  const GlossCacheEntry *entries;
  const guint32 *u32;
  gsize size;
  gsize n;
  guint n_entries;
  g_autofree guint8 *seen = NULL;

  /* Strings first: everything else points into them. */
  strings = gloss_image_section (image, GLOSS_SECTION_STRINGS, &strings_size);
  if (strings_size == 0 || !check_strings (strings, strings_size))
    return corrupt (error, "strings");
  image->strings = strings;
  image->strings_size = strings_size;

  meta = gloss_image_section (image, GLOSS_SECTION_META, &size);
  if (size != sizeof (GlossCacheMeta))
    return corrupt (error, "meta");
  {
    const guint32 refs[] = { meta->id, meta->title, meta->description, meta->language,
                             meta->license, meta->updated };

    if (!check_u32_refs (refs, G_N_ELEMENTS (refs), strings, strings_size, TRUE))
      return corrupt (error, "meta strings");
  }
  if (meta->n_entries > GLOSS_CACHE_NONE / 2 || meta->n_skipped > meta->n_errors)
    return corrupt (error, "meta counts");
  image->meta = meta;
  n_entries = meta->n_entries;

  u32 = gloss_image_section (image, GLOSS_SECTION_AUTHORS, &size);
  if (size % 4 != 0 || !check_u32_refs (u32, size / 4, strings, strings_size, FALSE))
    return corrupt (error, "authors");

  {
    const GlossCacheCategory *categories;

    categories = gloss_image_section (image, GLOSS_SECTION_CATEGORIES, &size);
    if (size % sizeof (GlossCacheCategory) != 0)
      return corrupt (error, "categories");
    for (gsize i = 0; i < size / sizeof (GlossCacheCategory); i++)
      {
        if (!string_ref_ok (strings, strings_size, categories[i].id) ||
            !string_ref_ok (strings, strings_size, categories[i].name) ||
            (categories[i].description != GLOSS_CACHE_NONE &&
             !string_ref_ok (strings, strings_size, categories[i].description)))
          return corrupt (error, "category strings");
      }
  }

  u32 = gloss_image_section (image, GLOSS_SECTION_TAGLISTS, &size);
  if (size % 4 != 0 || !check_u32_refs (u32, size / 4, strings, strings_size, FALSE))
    return corrupt (error, "tag lists");
  image->taglists = u32;
  image->n_taglists = size / 4;

  u32 = gloss_image_section (image, GLOSS_SECTION_RELATED, &size);
  if (size % 4 != 0)
    return corrupt (error, "related");
  for (gsize i = 0; i < size / 4; i++)
    if (u32[i] >= n_entries)
      return corrupt (error, "related positions");
  image->related = u32;
  image->n_related = size / 4;

  image->records = gloss_image_section (image, GLOSS_SECTION_RECORDS, &image->records_size);

  entries = gloss_image_section (image, GLOSS_SECTION_ENTRIES, &size);
  if (size != (gsize)n_entries * sizeof (GlossCacheEntry))
    return corrupt (error, "entry table size");
  for (guint i = 0, tags = 0, related = 0; i < n_entries; i++)
    {
      const GlossCacheEntry *e = &entries[i];

      /* Lists follow each other, so the bundle can lay out every entry's
       * tags, each NULL-terminated, in one block. */
      if (e->tags != tags || e->related != related)
        return corrupt (error, "entry lists");
      tags += e->n_tags;
      related += e->n_related;

      if (!string_ref_ok (strings, strings_size, e->id) ||
          !string_ref_ok (strings, strings_size, e->term) ||
          (e->category != GLOSS_CACHE_NONE && !string_ref_ok (strings, strings_size, e->category)) ||
          (e->flags & ~GLOSS_CACHE_ENTRY_MATURE) != 0 ||
          (guint64)e->tags + e->n_tags > image->n_taglists ||
          (guint64)e->related + e->n_related > image->n_related ||
          e->record > image->records_size ||
          e->record_size > image->records_size - e->record ||
          (image->mapping != NULL &&
           (e->json > image->header.source_size ||
            e->json_size > image->header.source_size - e->json)))
        return corrupt (error, "entry table");
    }
  image->entries = entries;
  image->n_entries = n_entries;

  /* Both orders must be permutations: a position twice would show an
   * entry twice, and one missing would hide it. */
  seen = g_new0 (guint8, n_entries + 1);
  for (guint which = 0; which < 2; which++)
    {
      u32 = gloss_image_section (image, which == 0 ? GLOSS_SECTION_SORTED : GLOSS_SECTION_BY_ID,
                                 &size);
      if (size != (gsize)n_entries * 4)
        return corrupt (error, "entry orders");
      for (guint i = 0; i < n_entries; i++)
        {
          if (u32[i] >= n_entries || seen[u32[i]] != which)
            return corrupt (error, "entry orders");
          seen[u32[i]]++;
        }
    }

  {
    const GlossCacheProblem *problems;
    const char *pstrings;
    gsize pstrings_size;

    pstrings = gloss_image_section (image, GLOSS_SECTION_PROBLEM_STRINGS, &pstrings_size);
    if (!check_strings (pstrings, pstrings_size))
      return corrupt (error, "problem strings");
    problems = gloss_image_section (image, GLOSS_SECTION_PROBLEMS, &size);
    if (size % sizeof (GlossCacheProblem) != 0)
      return corrupt (error, "problems");
    n = size / sizeof (GlossCacheProblem);
    for (gsize i = 0; i < n; i++)
      {
        if (problems[i].severity > 1 ||
            !string_ref_ok (pstrings, pstrings_size, problems[i].location) ||
            !string_ref_ok (pstrings, pstrings_size, problems[i].message))
          return corrupt (error, "problem table");
      }
  }

  return TRUE;
}

/* A record failed its check: the cache is removed, so that the next open
 * builds a good one, and the entry shows what the hot sections know. */
void
gloss_image_mark_damaged (GlossImage *image)
{
  if (!g_atomic_int_compare_and_exchange (&image->damaged, 0, 1))
    return;

  if (image->cache_path != NULL)
    {
      g_debug ("%s: a record is damaged; the cache is removed", image->cache_path);
      g_unlink (image->cache_path);
    }
}

/* Keys and paths */

static char *cache_dir_override;
static gboolean cache_disabled;

/* For tests and benchmarks: open every bundle from its JSON. */
void
gloss_cache_set_enabled (gboolean enabled)
{
  cache_disabled = !enabled;
}

/* Whether bundles are cached: not with GLOSS_CACHE=0 in the environment. */
gboolean
gloss_cache_get_enabled (void)
{
  const char *value;

  if (cache_disabled)
    return FALSE;

  value = g_getenv ("GLOSS_CACHE");
  return value == NULL || !g_str_equal (value, "0");
}

/* Returns: (transfer full): the folder of the cache files. */
char *
gloss_cache_get_dir (void)
{
  if (cache_dir_override != NULL)
    return g_strdup (cache_dir_override);

  return g_build_filename (g_get_user_cache_dir (), "gloss", NULL);
}

/* For tests and benchmarks: another folder, or %NULL for the default. */
void
gloss_cache_set_dir (const char *dir)
{
  g_free (cache_dir_override);
  cache_dir_override = g_strdup (dir);
}

static const char *
collation_locale (void)
{
  const char *locale = setlocale (LC_COLLATE, NULL);

  return locale != NULL ? locale : "C";
}

/* Fills in @key for the bundle at @path, as @st says it is now. FALSE when
 * the path has no canonical form (the bundle then loads uncached). */
gboolean
gloss_cache_key_init (GlossCacheKey     *key,
                      const char        *path,
                      const struct stat *st)
{
  g_autofree char *canonical = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *name = NULL;
  GString *k;
  char *resolved;

  memset (key, 0, sizeof *key);

  resolved = realpath (path, NULL);
  if (resolved == NULL)
    return FALSE;
  canonical = g_strdup (resolved);
  free (resolved);

  k = g_string_new (canonical);
  g_string_append_c (k, '\0');
  g_string_append (k, collation_locale ());
  g_string_append_c (k, '\0');
  g_string_append (k, PACKAGE_VERSION);
  g_string_append_c (k, '\0');

  dir = gloss_cache_get_dir ();
  name = g_strdup_printf ("%016" G_GINT64_MODIFIER "x.gloss-cache",
                          gloss_hash64 (canonical, strlen (canonical), 0));

  key->source_path = g_steal_pointer (&canonical);
  key->cache_path = g_build_filename (dir, name, NULL);
  key->key_size = k->len;
  key->key = g_string_free (k, FALSE);
  key->key_hash = gloss_hash64 (key->key, key->key_size, GLOSS_CACHE_FORMAT_VERSION);
  key->dev = st->st_dev;
  key->ino = st->st_ino;
  key->size = st->st_size;
  key->mtime_sec = st->st_mtim.tv_sec;
  key->mtime_nsec = st->st_mtim.tv_nsec;

  return TRUE;
}

void
gloss_cache_key_clear (GlossCacheKey *key)
{
  g_clear_pointer (&key->source_path, g_free);
  g_clear_pointer (&key->cache_path, g_free);
  g_clear_pointer (&key->key, g_free);
}

/* Whether the file is still what @key says it was. */
gboolean
gloss_cache_key_matches_stat (const GlossCacheKey *key,
                              const struct stat   *st)
{
  return key->dev == (guint64)st->st_dev && key->ino == (guint64)st->st_ino &&
         key->size == (guint64)st->st_size && key->mtime_sec == st->st_mtim.tv_sec &&
         key->mtime_nsec == st->st_mtim.tv_nsec;
}

/* Reading and writing */

static guint64
image_checksum (const GlossCacheHeader *header,
                const guint8           *data[GLOSS_N_SECTIONS],
                const gsize             size[GLOSS_N_SECTIONS])
{
  GlossCacheHeader copy = *header;
  GlossHashState state;

  copy.checksum = 0;
  gloss_hash_init (&state, 0);
  gloss_hash_update (&state, &copy, sizeof copy);
  for (guint i = 0; i < GLOSS_N_SECTIONS; i++)
    {
      if (i != GLOSS_SECTION_RECORDS && !gloss_section_is_lazy (i))
        gloss_hash_update (&state, data[i], size[i]);
    }

  return gloss_hash_finish (&state);
}

/**
 * gloss_cache_file_checksum:
 *
 * The checksum the header of the cache file in @data should carry. A
 * section that runs past @size is hashed up to the end of the file: the
 * open refuses it before it looks at the checksum. For tools that forge
 * cache files on purpose (the cache fuzzer), so that what they change is
 * met by the checks behind the checksum.
 */
guint64
gloss_cache_file_checksum (const guint8 *data,
                           gsize         size)
{
  GlossCacheHeader header;
  const guint8 *section_data[GLOSS_N_SECTIONS];
  gsize section_size[GLOSS_N_SECTIONS];

  g_return_val_if_fail (size >= sizeof header, 0);

  memcpy (&header, data, sizeof header);
  for (guint i = 0; i < GLOSS_N_SECTIONS; i++)
    {
      guint64 offset = MIN (header.sections[i].offset, size);

      section_data[i] = data + offset;
      section_size[i] = MIN (header.sections[i].size, size - offset);
    }

  return image_checksum (&header, section_data, section_size);
}

guint64
gloss_cache_hash_file (int            fd,
                       GCancellable  *cancellable,
                       GError       **error)
{
  gsize buffer_size = 1024 * 1024;
  g_autofree guint8 *buffer = g_malloc (buffer_size);
  GlossHashState state;
  goffset offset = 0;

  gloss_hash_init (&state, 0);

  for (;;)
    {
      gssize n = pread (fd, buffer, buffer_size, offset);

      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0)
        {
          int saved_errno = errno;

          g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                       "cannot read: %s", g_strerror (saved_errno));
          return 0;
        }
      if (n == 0)
        break;

      gloss_hash_update (&state, buffer, n);
      offset += n;

      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        return 0;
    }

  return gloss_hash_finish (&state);
}

/* Whether @section lies within a file of @size bytes. */
static inline gboolean
section_in_file (const GlossCacheSection *section,
                 gsize                    size)
{
  return section->offset <= size && section->size <= size - section->offset;
}

/**
 * gloss_cache_file_seal:
 *
 * Makes every checksum of the cache file in @data agree with what it
 * holds: each entry's record check, the index's block checksums and the
 * header's checksum, as far as the file's section table lets them be
 * found. For tools that forge cache files on purpose (the cache fuzzer):
 * what they change then meets the checks behind the checksums, which
 * must hold against any content, instead of the checksums.
 */
void
gloss_cache_file_seal (guint8 *data,
                       gsize   size)
{
  GlossCacheHeader header;
  const GlossCacheSection *entries;
  const GlossCacheSection *records;
  const GlossCacheSection *blocks;
  guint64 checksum;
  guint64 k = 0;

  g_return_if_fail (size >= sizeof header);

  memcpy (&header, data, sizeof header);
  entries = &header.sections[GLOSS_SECTION_ENTRIES];
  records = &header.sections[GLOSS_SECTION_RECORDS];
  blocks = &header.sections[GLOSS_SECTION_INDEX_BLOCKS];

  if (section_in_file (entries, size) && section_in_file (records, size))
    {
      for (guint64 off = 0; off + sizeof (GlossCacheEntry) <= entries->size;
           off += sizeof (GlossCacheEntry))
        {
          guint8 *row = data + entries->offset + off;
          GlossCacheEntry e;

          memcpy (&e, row, sizeof e);
          if (e.record > records->size || e.record_size > records->size - e.record)
            continue;
          e.record_check = (guint32)gloss_hash64 (data + records->offset + e.record,
                                                  e.record_size, 0);
          memcpy (row + G_STRUCT_OFFSET (GlossCacheEntry, record_check), &e.record_check,
                  sizeof e.record_check);
        }
    }

  /* Numbered through the lazy sections in order, as gloss-index.c does. */
  for (guint id = 0; id < GLOSS_N_SECTIONS && section_in_file (blocks, size); id++)
    {
      const GlossCacheSection *lazy = &header.sections[id];
      guint64 n_blocks;

      if (!gloss_section_is_lazy (id))
        continue;

      n_blocks = lazy->size / GLOSS_CACHE_BLOCK_SIZE + (lazy->size % GLOSS_CACHE_BLOCK_SIZE != 0);
      if (section_in_file (lazy, size))
        {
          for (guint64 b = 0; b < n_blocks && (k + b + 1) * 4 <= blocks->size; b++)
            {
              guint64 off = b * GLOSS_CACHE_BLOCK_SIZE;
              guint32 sum = gloss_hash64 (data + lazy->offset + off,
                                          MIN (GLOSS_CACHE_BLOCK_SIZE, lazy->size - off), 0);

              memcpy (data + blocks->offset + (k + b) * 4, &sum, 4);
            }
        }
      if (n_blocks > blocks->size)
        break;
      k += n_blocks;
    }

  checksum = gloss_cache_file_checksum (data, size);
  memcpy (data + G_STRUCT_OFFSET (GlossCacheHeader, checksum), &checksum, sizeof checksum);
}

/* Whether the source still hashes to @content_hash. */
static gboolean
source_unchanged (const char  *source_path,
                  guint64      content_hash,
                  GError     **error)
{
  g_autoptr(GError) local_error = NULL;
  guint64 hash;
  int fd;

  fd = g_open (source_path, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY, 0);
  if (fd < 0)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "cannot read the bundle again");
      return FALSE;
    }

  hash = gloss_cache_hash_file (fd, NULL, &local_error);
  close (fd);

  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }

  if (hash != content_hash)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "the bundle changed since");
      return FALSE;
    }

  return TRUE;
}

/* Sets the image's sections from a mapped file whose header is checked. */
static GlossImage *
image_from_mapping (GBytes                 *mapping,
                    const GlossCacheHeader *header,
                    const char             *cache_path)
{
  GlossImage *image = gloss_image_new ();
  const guint8 *base = g_bytes_get_data (mapping, NULL);

  image->mapping = g_bytes_ref (mapping);
  image->header = *header;
  image->cache_path = g_strdup (cache_path);
  for (guint i = 0; i < GLOSS_N_SECTIONS; i++)
    {
      image->section_size[i] = header->sections[i].size;
      image->section_data[i] = header->sections[i].size > 0 ? base + header->sections[i].offset
                                                            : (const guint8 *)empty_section;
    }

  return image;
}

static gboolean
check_header (const GlossCacheHeader *header,
              guint64                 file_size,
              GError                **error)
{
  if (memcmp (header->magic, GLOSS_CACHE_MAGIC, 8) != 0)
    return corrupt (error, "not a Gloss cache");
  if (header->format_version != GLOSS_CACHE_FORMAT_VERSION)
    return corrupt (error, "another format version");
  if (header->byte_order != GLOSS_CACHE_BYTE_ORDER)
    return corrupt (error, "another byte order");
  if (header->header_size != sizeof (GlossCacheHeader) || header->n_sections != GLOSS_N_SECTIONS)
    return corrupt (error, "another header layout");
  if (header->file_size != file_size)
    return corrupt (error, "truncated or grown");

  for (guint i = 0; i < GLOSS_N_SECTIONS; i++)
    {
      const GlossCacheSection *s = &header->sections[i];

      if (s->size == 0)
        continue;
      if (s->offset % 8 != 0 || s->offset < sizeof (GlossCacheHeader) ||
          s->offset > file_size || s->size > file_size - s->offset)
        return corrupt (error, "section table");
    }

  return TRUE;
}

/* Maps and checks the cache of @key: header, key, checksum of the hot
 * sections, every offset and string they hold. The records are checked
 * one by one as they are read. */
GlossImage *
gloss_cache_open (const GlossCacheKey  *key,
                  GError              **error)
{
  g_autoptr(GMappedFile) mapped = NULL;
  g_autoptr(GBytes) mapping = NULL;
  g_autoptr(GlossImage) image = NULL;
  GlossCacheHeader header;
  struct stat st;
  gssize n;
  int fd;

  fd = g_open (key->cache_path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NOCTTY, 0);
  if (fd < 0)
    {
      int saved_errno = errno;

      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno), "%s",
                   g_strerror (saved_errno));
      return NULL;
    }

  if (fstat (fd, &st) != 0 || !S_ISREG (st.st_mode) || (gsize)st.st_size < sizeof header)
    {
      close (fd);
      corrupt (error, "not a regular file of a cache's size");
      return NULL;
    }

  do
    n = pread (fd, &header, sizeof header, 0);
  while (n < 0 && errno == EINTR);

  if (n != sizeof header || !check_header (&header, st.st_size, error))
    {
      close (fd);
      if (n != sizeof header)
        corrupt (error, "short header");
      return NULL;
    }

  if (header.key_hash != key->key_hash || header.source_dev != key->dev ||
      header.source_ino != key->ino || header.source_size != key->size ||
      header.source_mtime_sec != key->mtime_sec || header.source_mtime_nsec != key->mtime_nsec)
    {
      close (fd);
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                   "stale: made from another file, version or locale");
      return NULL;
    }

  mapped = g_mapped_file_new_from_fd (fd, FALSE, NULL);
  close (fd);
  if (mapped == NULL || g_mapped_file_get_length (mapped) != (gsize)st.st_size)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "cannot map the cache");
      return NULL;
    }
  mapping = g_mapped_file_get_bytes (mapped);

  image = image_from_mapping (mapping, &header, key->cache_path);

  if (image_checksum (&header, image->section_data, image->section_size) != header.checksum)
    {
      corrupt (error, "checksum mismatch");
      return NULL;
    }

  if (image->section_size[GLOSS_SECTION_KEY] != key->key_size ||
      memcmp (image->section_data[GLOSS_SECTION_KEY], key->key, key->key_size) != 0)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "stale: another key");
      return NULL;
    }

  if (!gloss_image_check (image, error))
    return NULL;

  /* Racily clean: the file was read within the timestamp's resolution of
   * its last change, so a later change may have left size and time alone. */
  if (header.source_read_usec - (header.source_mtime_sec * G_USEC_PER_SEC +
                                 header.source_mtime_nsec / 1000) < RACY_USEC &&
      !source_unchanged (key->source_path, header.content_hash, error))
    return NULL;

  return g_steal_pointer (&image);
}

static gboolean
write_all (int            fd,
           gconstpointer  data,
           gsize          size,
           goffset        offset,
           GError       **error)
{
  const guint8 *p = data;

  while (size > 0)
    {
      gssize n = pwrite (fd, p, MIN (size, 64 * 1024 * 1024), offset);

      if (n < 0 && errno == EINTR)
        continue;
      if (n <= 0)
        {
          int saved_errno = n < 0 ? errno : ENOSPC;

          g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                       "cannot write the cache: %s", g_strerror (saved_errno));
          return FALSE;
        }

      p += n;
      size -= n;
      offset += n;
    }

  return TRUE;
}

/* Where the records start in a cache file: a page boundary (of any page
 * size Linux uses), so they can be mapped there while the file is made. */
#define RECORDS_OFFSET (64 * 1024)

struct _GlossCacheWriter
{
  char    *cache_path;
  char    *tmp_path;
  int      fd;
  gboolean records_written;
  GError  *records_error;
};

typedef struct
{
  guint8 *data;
  gsize   size;
} Region;

static void
region_free (gpointer data)
{
  Region *region = data;

  munmap (region->data, region->size);
  g_free (region);
}

/* Starts a cache file for @key: a temporary file beside where it goes. */
GlossCacheWriter *
gloss_cache_writer_new (const GlossCacheKey  *key,
                        GError              **error)
{
  g_autofree char *dir = g_path_get_dirname (key->cache_path);
  GlossCacheWriter *writer;

  if (g_mkdir_with_parents (dir, 0700) != 0)
    {
      int saved_errno = errno;

      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                   "cannot make %s: %s", dir, g_strerror (saved_errno));
      return NULL;
    }

  writer = g_new0 (GlossCacheWriter, 1);
  writer->cache_path = g_strdup (key->cache_path);
  writer->tmp_path = g_strdup_printf ("%s.XXXXXX", key->cache_path);
  writer->fd = g_mkstemp_full (writer->tmp_path, O_RDWR | O_CLOEXEC, 0600);
  if (writer->fd < 0)
    {
      int saved_errno = errno;

      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                   "cannot create the cache: %s", g_strerror (saved_errno));
      g_free (writer->cache_path);
      g_free (writer->tmp_path);
      g_free (writer);
      return NULL;
    }

  return writer;
}

/* Drops the file if it was not finished. Records mapped from it stay
 * readable as long as the image that holds them. */
void
gloss_cache_writer_free (GlossCacheWriter *writer)
{
  if (writer == NULL)
    return;

  if (writer->fd >= 0)
    {
      close (writer->fd);
      g_unlink (writer->tmp_path);
    }
  g_clear_error (&writer->records_error);
  g_free (writer->cache_path);
  g_free (writer->tmp_path);
  g_free (writer);
}

/* Room for @cap bytes of records in memory, reserved, not used: only the
 * pages written to count. In huge pages where the system has them: a
 * quarter of a gigabyte is filled in a few milliseconds rather than a
 * hundred. */
guint8 *
gloss_cache_map_anonymous (gsize       cap,
                           GlossImage *owner)
{
  Region *region;
  gpointer data;

  data = mmap (NULL, cap, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE,
               -1, 0);
  if (data == MAP_FAILED)
    return NULL;
  madvise (data, cap, MADV_HUGEPAGE);

  region = g_new (Region, 1);
  region->data = data;
  region->size = cap;
  gloss_image_take (owner, region, region_free);
  return data;
}

/* The records go first in the file, at a page boundary, and the hot
 * sections after them at the next: the records can be written on their own,
 * beside the index build, without going through the page cache. */
#define PAGE_ALIGN(x) (((x) + 4095) & ~(guint64)4095)

/* Writes @image's records into the file. With O_DIRECT where the file
 * system allows it: the bytes go from the loader's memory to the disk
 * without a copy, so this costs the CPU next to nothing and may run beside
 * the index build; else an ordinary write. The records are read back
 * through the page cache later, a few kilobytes for each entry shown. */
gboolean
gloss_cache_writer_write_records (GlossCacheWriter  *writer,
                                  GlossImage        *image,
                                  GError           **error)
{
  const guint8 *records = image->section_data[GLOSS_SECTION_RECORDS];
  gsize size = image->section_size[GLOSS_SECTION_RECORDS];
  gboolean done = FALSE;
  int dfd;

  if (size == 0)
    {
      writer->records_written = TRUE;
      return TRUE;
    }

  /* O_DIRECT wants an aligned buffer, offset and length: the records lie
   * in an mmap'ed region (page aligned) with zeros after them. */
  dfd = ((guintptr)records % 4096 == 0) ? g_open (writer->tmp_path, O_WRONLY | O_DIRECT | O_CLOEXEC, 0)
                                        : -1;
  if (dfd >= 0)
    {
      done = write_all (dfd, records, PAGE_ALIGN (size), RECORDS_OFFSET, NULL);
      close (dfd);
    }

  if (!done && !write_all (writer->fd, records, size, RECORDS_OFFSET, error))
    return FALSE;

  writer->records_written = TRUE;
  return TRUE;
}

/* Writes the rest of @image as the cache of @key and puts it in place,
 * the way g_file_set_contents_full() does with CONSISTENT | ONLY_EXISTING
 * (fsync when an older cache is replaced, then rename), but section by
 * section: the image is not one buffer, and its records are already in
 * the file. Returns the file mapped back, or %NULL. */
GlossImage *
gloss_cache_writer_finish (GlossCacheWriter     *writer,
                           const GlossCacheKey  *key,
                           GlossImage           *image,
                           guint64               content_hash,
                           gint64                read_usec,
                           GError              **error)
{
  g_autoptr(GMappedFile) mapped = NULL;
  g_autoptr(GBytes) mapping = NULL;
  g_autoptr(GlossImage) written = NULL;
  const guint8 *data[GLOSS_N_SECTIONS];
  gsize sizes[GLOSS_N_SECTIONS];
  GlossCacheHeader header;
  guint64 offset;
  gboolean replacing;

  memset (&header, 0, sizeof header);
  memcpy (header.magic, GLOSS_CACHE_MAGIC, 8);
  header.format_version = GLOSS_CACHE_FORMAT_VERSION;
  header.byte_order = GLOSS_CACHE_BYTE_ORDER;
  header.key_hash = key->key_hash;
  header.source_dev = key->dev;
  header.source_ino = key->ino;
  header.source_size = key->size;
  header.source_mtime_sec = key->mtime_sec;
  header.source_mtime_nsec = key->mtime_nsec;
  header.source_read_usec = read_usec;
  header.content_hash = content_hash;
  header.n_sections = GLOSS_N_SECTIONS;
  header.header_size = sizeof header;

  G_STATIC_ASSERT (sizeof (GlossCacheHeader) <= RECORDS_OFFSET);

  if (!writer->records_written &&
      !gloss_cache_writer_write_records (writer, image, error))
    return NULL;

  /* The records first; the hot sections after, from the next page. */
  header.sections[GLOSS_SECTION_RECORDS].offset = RECORDS_OFFSET;
  header.sections[GLOSS_SECTION_RECORDS].size = image->section_size[GLOSS_SECTION_RECORDS];
  data[GLOSS_SECTION_RECORDS] = image->section_data[GLOSS_SECTION_RECORDS];
  sizes[GLOSS_SECTION_RECORDS] = image->section_size[GLOSS_SECTION_RECORDS];
  offset = PAGE_ALIGN (RECORDS_OFFSET + image->section_size[GLOSS_SECTION_RECORDS]);

  for (guint i = 0; i < GLOSS_N_SECTIONS; i++)
    {
      gsize size;

      if (i == GLOSS_SECTION_RECORDS)
        continue;

      if (i == GLOSS_SECTION_KEY)
        {
          data[i] = (const guint8 *)key->key;
          size = key->key_size;
        }
      else
        {
          data[i] = image->section_data[i];
          size = image->section_size[i];
        }

      sizes[i] = size;
      header.sections[i].offset = size > 0 ? offset : 0;
      header.sections[i].size = size;
      offset = ALIGN8 (offset + size);
    }
  header.file_size = offset;
  header.checksum = image_checksum (&header, data, sizes);

  if (!write_all (writer->fd, &header, sizeof header, 0, error))
    return NULL;
  for (guint i = 0; i < GLOSS_N_SECTIONS; i++)
    {
      if (i == GLOSS_SECTION_RECORDS)
        continue;
      if (header.sections[i].size > 0 &&
          !write_all (writer->fd, data[i], header.sections[i].size, header.sections[i].offset,
                      error))
        return NULL;
    }

  /* Also gives back the blocks reserved for records that were not
   * needed. */
  if (ftruncate (writer->fd, header.file_size) != 0)
    {
      int saved_errno = errno;

      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                   "cannot size the cache: %s", g_strerror (saved_errno));
      return NULL;
    }

  replacing = g_file_test (writer->cache_path, G_FILE_TEST_EXISTS);
  if (replacing && fsync (writer->fd) != 0)
    {
      int saved_errno = errno;

      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                   "cannot sync the cache: %s", g_strerror (saved_errno));
      return NULL;
    }

  if (g_rename (writer->tmp_path, writer->cache_path) != 0)
    {
      int saved_errno = errno;

      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                   "cannot rename the cache: %s", g_strerror (saved_errno));
      return NULL;
    }

  /* Mapped from our own descriptor: the bytes we wrote, whoever replaces
   * the file meanwhile. */
  mapped = g_mapped_file_new_from_fd (writer->fd, FALSE, error);
  close (writer->fd);
  writer->fd = -1;
  if (mapped == NULL)
    return NULL;
  mapping = g_mapped_file_get_bytes (mapped);

  written = image_from_mapping (mapping, &header, writer->cache_path);
  written->trusted = TRUE;
  if (!gloss_image_check (written, error))
    return NULL;

  return g_steal_pointer (&written);
}

static int
compare_records (gconstpointer a,
                 gconstpointer b,
                 gpointer      user_data)
{
  const GlossCacheEntry *entries = user_data;
  guint64 x = entries[*(const guint32 *)a].record;
  guint64 y = entries[*(const guint32 *)b].record;

  return x < y ? -1 : x > y;
}

/* The slow, thorough check, for a worker thread after a cached open: the
 * JSON still hashes to what it did, and every record passes its check.
 * Records are read in file order and dropped from memory behind. */
gboolean
gloss_cache_verify (GlossImage    *image,
                    const char    *source_path,
                    GCancellable  *cancellable,
                    GError       **error)
{
  g_autofree guint32 *order = NULL;
  const guint8 *records = image->records;
  gsize page = sysconf (_SC_PAGESIZE);
  gsize dropped = 0;

  if (image->mapping == NULL)
    return TRUE;

  if (!source_unchanged (source_path, image->header.content_hash, error))
    return FALSE;

  /* The index's lazily checked blocks, all of them */
  {
    gsize n_sums;
    const guint32 *sums = gloss_image_section (image, GLOSS_SECTION_INDEX_BLOCKS, &n_sums);
    gsize k = 0;

    n_sums /= sizeof (guint32);
    for (guint id = 0; id < GLOSS_N_SECTIONS; id++)
      {
        gsize size;
        const guint8 *data;

        if (!gloss_section_is_lazy (id))
          continue;
        data = gloss_image_section (image, id, &size);
        for (gsize off = 0; off < size; off += GLOSS_CACHE_BLOCK_SIZE, k++)
          {
            if (k >= n_sums ||
                (guint32)gloss_hash64 (data + off, MIN (GLOSS_CACHE_BLOCK_SIZE, size - off), 0) !=
                sums[k])
              {
                gloss_image_mark_damaged (image);
                return corrupt (error, "an index block");
              }
          }
      }
  }

  order = g_new (guint32, image->n_entries + 1);
  for (guint i = 0; i < image->n_entries; i++)
    order[i] = i;
  g_qsort_with_data (order, image->n_entries, sizeof (guint32), compare_records,
                     (gpointer)image->entries);

  for (guint i = 0; i < image->n_entries; i++)
    {
      const GlossCacheEntry *e = &image->entries[order[i]];
      gsize end;

      if ((i & 1023) == 0 && g_cancellable_set_error_if_cancelled (cancellable, error))
        return FALSE;

      if ((guint32)gloss_hash64 (records + e->record, e->record_size, 0) != e->record_check)
        {
          gloss_image_mark_damaged (image);
          return corrupt (error, "a record");
        }

      /* Give back what was read, a few megabytes at a time: checking
       * must not make the process hold the whole file. */
      end = ((gsize)(records - (const guint8 *)g_bytes_get_data (image->mapping, NULL)) +
             e->record) / page * page;
      if (end > dropped + 8 * 1024 * 1024)
        {
          const guint8 *base = g_bytes_get_data (image->mapping, NULL);

          if (dropped == 0)
            dropped = (records - base) / page * page;
          madvise ((gpointer)(base + dropped), end - dropped, MADV_DONTNEED);
          dropped = end;
        }
    }

  return TRUE;
}
