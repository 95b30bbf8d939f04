/* gloss-cache.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <string.h>
#include <sys/stat.h>

#include <gio/gio.h>

G_BEGIN_DECLS

/* The compiled form of a bundle, an "image": the bundle's entries and
 * search index as flat arrays, in one file under $XDG_CACHE_HOME/gloss/
 * (named after a hash of the bundle's canonical path) that is mapped, not
 * parsed, when the same bundle is opened again.
 *
 * The file is a header and sections, each at an 8-byte aligned offset:
 *
 *   header    magic, format version, byte order, file size, the key of the
 *             bundle it was made from (canonical path, device, inode, size,
 *             modification time in nanoseconds, collation locale, Gloss
 *             version), when the JSON was read, the JSON's content hash, a
 *             checksum, the section table
 *   records   from 64 KiB on: one record per entry with the rest of it
 *             (title, summary, aliases, article sections, FAQ, …), read
 *             when an entry is shown
 *   hot       from the next page on: everything the sidebar and search
 *             read: strings (ids, terms, categories, tags), one fixed-size
 *             row per entry (with its record's place and checksum, and its
 *             place in the JSON), the sidebar order, the ids in byte order,
 *             the problems, the search index
 *
 * The header's checksum (XXH64) covers the header and the hot sections
 * but the index's postings and rollups, which have a checksum a 64 KB
 * block, checked when a search first reads the block; each record has a
 * checksum of its own in its entry's row, checked when the entry is first
 * read. Every offset and length is checked against the section it points
 * into before use, and every string is checked to be NUL-terminated UTF-8:
 * the file is our own, but it is still input. */

#define GLOSS_CACHE_MAGIC          "GLOSSIMG"
/* 2: the index's key documents mark aliases (KEY_ALIAS in gloss-index.c). */
#define GLOSS_CACHE_FORMAT_VERSION 2
#define GLOSS_CACHE_BYTE_ORDER     0x01020304u
#define GLOSS_CACHE_NONE           G_MAXUINT32

typedef enum
{
  GLOSS_SECTION_KEY,              /* "canonical path\0locale\0gloss version\0" */
  GLOSS_SECTION_META,             /* GlossCacheMeta */
  GLOSS_SECTION_STRINGS,          /* NUL-terminated UTF-8; offsets point at string starts */
  GLOSS_SECTION_AUTHORS,          /* guint32 string offsets */
  GLOSS_SECTION_CATEGORIES,       /* GlossCacheCategory */
  GLOSS_SECTION_ENTRIES,          /* GlossCacheEntry, in file order */
  GLOSS_SECTION_TAGLISTS,         /* guint32 string offsets, the entries' tags */
  GLOSS_SECTION_RELATED,          /* guint32 positions, the entries' related */
  GLOSS_SECTION_SORTED,           /* guint32 positions in sidebar order */
  GLOSS_SECTION_BY_ID,            /* guint32 positions by id, bytewise */
  GLOSS_SECTION_PROBLEMS,         /* GlossCacheProblem */
  GLOSS_SECTION_PROBLEM_STRINGS,  /* NUL-terminated UTF-8 */

  /* The search index (gloss-index.c reads and checks them) */
  GLOSS_SECTION_INDEX_INFO,
  GLOSS_SECTION_INDEX_DOC_POSITION,
  GLOSS_SECTION_INDEX_POSITION_DOC,
  GLOSS_SECTION_INDEX_DOC_LENGTH,
  GLOSS_SECTION_INDEX_MATURE_BITS,
  GLOSS_SECTION_INDEX_VOCAB,
  GLOSS_SECTION_INDEX_VOCAB_OFFSETS,
  GLOSS_SECTION_INDEX_SPACE0,     /* per space: cum, offsets, data, rollup ranges, rollup bits */
  GLOSS_SECTION_INDEX_SPACE_LAST = GLOSS_SECTION_INDEX_SPACE0 + 3 * 5 - 1,
  GLOSS_SECTION_INDEX_KEYS,
  GLOSS_SECTION_INDEX_KEY_OFFSETS,
  GLOSS_SECTION_INDEX_KEY_DOCS,
  GLOSS_SECTION_INDEX_TAGS,
  GLOSS_SECTION_INDEX_TAG_OFFSETS,
  GLOSS_SECTION_INDEX_TAG_DOC_OFFSETS,
  GLOSS_SECTION_INDEX_TAG_DOCS,
  GLOSS_SECTION_INDEX_BLOCKS,     /* checksums of the lazily checked sections' blocks */

  /* Last, and outside the checksum: each record has its own. */
  GLOSS_SECTION_RECORDS,
  GLOSS_N_SECTIONS
} GlossSectionId;

typedef struct
{
  guint64 offset;
  guint64 size;
} GlossCacheSection;

/* The search index's postings and precomputed unions: most of the hot
 * part, read a few kilobytes at a time by a search. They are outside the
 * open's checksum; each block of GLOSS_CACHE_BLOCK_SIZE bytes has a
 * checksum of its own (in INDEX_BLOCKS), checked the first time a search
 * reads it (gloss-index.c). Their reading is bounded anyway: damage can
 * only ever mislead a search, and a block that fails its check makes the
 * index rebuild itself from the records. */
#define GLOSS_CACHE_BLOCK_SIZE (64 * 1024)

static inline gboolean
gloss_section_is_lazy (guint id)
{
  guint k;

  if (id < GLOSS_SECTION_INDEX_SPACE0 || id > GLOSS_SECTION_INDEX_SPACE_LAST)
    return FALSE;

  /* per space: cum, offsets, data, rollup ranges, rollup bits */
  k = (id - GLOSS_SECTION_INDEX_SPACE0) % 5;
  return k == 2 || k == 4;
}

typedef struct
{
  char              magic[8];
  guint32           format_version;
  guint32           byte_order;
  guint64           file_size;
  guint64           checksum;          /* XXH64 of this header (with 0 here) and the hot sections */
  guint64           key_hash;          /* XXH64 of the KEY section */
  guint64           source_dev;
  guint64           source_ino;
  guint64           source_size;
  gint64            source_mtime_sec;
  gint64            source_mtime_nsec;
  gint64            source_read_usec;  /* wall clock when the JSON was read */
  guint64           content_hash;      /* XXH64 of the JSON file */
  guint32           n_sections;
  guint32           header_size;
  GlossCacheSection sections[GLOSS_N_SECTIONS];
} GlossCacheHeader;

typedef struct
{
  guint32 id;            /* NONE: the file's path stands in */
  guint32 title;         /* NONE: the file's name stands in */
  guint32 description;
  guint32 language;
  guint32 license;
  guint32 updated;
  guint32 n_entries;
  guint32 n_skipped;
  guint32 n_errors;
  guint32 n_warnings;
  guint32 reserved[6];
} GlossCacheMeta;

typedef struct
{
  guint32 id;
  guint32 name;
  guint32 description;   /* or NONE */
} GlossCacheCategory;

#define GLOSS_CACHE_ENTRY_MATURE 1u

typedef struct
{
  guint32 id;
  guint32 term;
  guint32 category;      /* or NONE */
  guint32 flags;
  guint32 tags;          /* first in TAGLISTS */
  guint32 n_tags;
  guint32 related;       /* first in RELATED */
  guint32 n_related;
  guint64 record;        /* offset in RECORDS */
  guint32 record_size;
  guint32 record_check;  /* low 32 bits of the record's XXH64 */
  guint64 json;          /* where the entry lies in the JSON, to read it again */
  guint32 json_size;     /* when its record is damaged */
  guint32 json_check;    /* low 32 bits of those bytes' XXH64 */
} GlossCacheEntry;

typedef struct
{
  guint32 severity;
  guint32 location;      /* offsets in PROBLEM_STRINGS */
  guint32 message;
} GlossCacheProblem;

/* An image in memory: either a mapped cache file or sections built by the
 * loader in this process. Immutable; shared by a bundle, its index and its
 * entries, which each hold a reference. */
typedef struct _GlossImage GlossImage;

struct _GlossImage
{
  gatomicrefcount          ref_count;
  const guint8            *section_data[GLOSS_N_SECTIONS];
  gsize                    section_size[GLOSS_N_SECTIONS];
  GlossCacheHeader         header;

  /* Shortcuts, once checked */
  const char              *strings;
  gsize                    strings_size;
  const GlossCacheMeta    *meta;
  const GlossCacheEntry   *entries;
  guint                    n_entries;
  const guint32           *taglists;
  gsize                    n_taglists;
  const guint32           *related;
  gsize                    n_related;
  const guint8            *records;
  gsize                    records_size;

  GBytes                  *mapping;     /* the whole file, when mapped */
  char                    *cache_path;  /* the file, when mapped */
  gboolean                 trusted;     /* built or written by this process */
  gint                     damaged;     /* a record failed its check */
  GPtrArray               *owned;       /* what an image built in memory frees */
};

GlossImage  *gloss_image_new              (void);
GlossImage  *gloss_image_ref              (GlossImage    *image);
void         gloss_image_unref            (GlossImage    *image);
void         gloss_image_set_section      (GlossImage    *image,
                                           GlossSectionId id,
                                           gconstpointer  data,
                                           gsize          size,
                                           GDestroyNotify free_func);
void         gloss_image_take             (GlossImage    *image,
                                           gpointer       data,
                                           GDestroyNotify free_func);
gboolean     gloss_image_check            (GlossImage    *image,
                                           GError       **error);
const char  *gloss_image_string           (GlossImage    *image,
                                           guint32        offset);
void         gloss_image_mark_damaged     (GlossImage    *image);

static inline gconstpointer
gloss_image_section (GlossImage     *image,
                     GlossSectionId  id,
                     gsize          *size)
{
  if (size != NULL)
    *size = image->section_size[id];
  return image->section_data[id];
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (GlossImage, gloss_image_unref)

gboolean     gloss_utf8_check             (const char    *data,
                                           gsize          len,
                                           gsize         *n_nul);

/* What a cache is keyed on. */
typedef struct
{
  char    *source_path;   /* canonical */
  char    *cache_path;
  char    *key;           /* the KEY section's bytes */
  gsize    key_size;
  guint64  key_hash;
  guint64  dev;
  guint64  ino;
  guint64  size;
  gint64   mtime_sec;
  gint64   mtime_nsec;
} GlossCacheKey;

gboolean     gloss_cache_key_init         (GlossCacheKey       *key,
                                           const char          *path,
                                           const struct stat   *st);
void         gloss_cache_key_clear        (GlossCacheKey       *key);
gboolean     gloss_cache_key_matches_stat (const GlossCacheKey *key,
                                           const struct stat   *st);

gboolean     gloss_cache_get_enabled      (void);
void         gloss_cache_set_enabled      (gboolean             enabled);
char        *gloss_cache_get_dir          (void);
void         gloss_cache_set_dir          (const char          *dir);

guint64      gloss_cache_file_checksum    (const guint8        *data,
                                           gsize                size);
void         gloss_cache_file_seal        (guint8              *data,
                                           gsize                size);

/* Maps the cache file of @key and checks it. %NULL, with the reason in
 * @error, when there is none or it cannot be used. */
GlossImage  *gloss_cache_open             (const GlossCacheKey *key,
                                           GError             **error);

/* Writing a cache: a temporary file, the records (which may be written
 * while the index is built), then the rest and a rename. */
typedef struct _GlossCacheWriter GlossCacheWriter;

GlossCacheWriter *gloss_cache_writer_new         (const GlossCacheKey  *key,
                                                  GError              **error);
void              gloss_cache_writer_free        (GlossCacheWriter     *writer);
gboolean          gloss_cache_writer_write_records (GlossCacheWriter   *writer,
                                                    GlossImage         *image,
                                                    GError            **error);
GlossImage       *gloss_cache_writer_finish      (GlossCacheWriter     *writer,
                                                  const GlossCacheKey  *key,
                                                  GlossImage           *image,
                                                  guint64               content_hash,
                                                  gint64                read_usec,
                                                  GError              **error);
guint8           *gloss_cache_map_anonymous      (gsize                 cap,
                                                  GlossImage           *owner);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (GlossCacheWriter, gloss_cache_writer_free)

/* Whether the JSON behind @image still hashes to what it did when the
 * cache was made, and every record still passes its check. */
gboolean     gloss_cache_verify           (GlossImage          *image,
                                           const char          *source_path,
                                           GCancellable        *cancellable,
                                           GError             **error);

guint64      gloss_cache_hash_file        (int                  fd,
                                           GCancellable        *cancellable,
                                           GError             **error);

/* Records: one entry's cold fields, written by the loader and read back by
 * gloss-entry.c and the index builder. A string is its byte length as a
 * guint32 (GLOSS_CACHE_NONE for none), the bytes and a NUL; a list is its
 * length, then its items:
 *
 *   reading_minutes; title, summary, notice, published, updated;
 *   aliases; sources; stats (label, value, note); sections (heading,
 *   body); faq (question, answer) */
typedef struct
{
  const guint8 *p;
  const guint8 *end;
  gboolean      check;    /* bounds and UTF-8 checks (a mapped file) */
  gboolean      failed;
} GlossRecordReader;

static inline void
gloss_record_reader_init (GlossRecordReader *reader,
                          const guint8      *data,
                          gsize              size,
                          gboolean           check)
{
  reader->p = data;
  reader->end = data + size;
  reader->check = check;
  reader->failed = FALSE;
}

static inline guint32
gloss_record_read_u32 (GlossRecordReader *reader)
{
  guint32 v;

  if (reader->check && (reader->failed || reader->end - reader->p < 4))
    {
      reader->failed = TRUE;
      return 0;
    }

  memcpy (&v, reader->p, 4);
  reader->p += 4;
  return v;
}

/* A string: in bounds, NUL-terminated, UTF-8 with no NUL inside (when
 * checking; the count stays at 1 unless the check passes). */
static inline const char *
gloss_record_read_string (GlossRecordReader *reader)
{
  guint32 len = gloss_record_read_u32 (reader);
  const char *s;

  if (len == GLOSS_CACHE_NONE || reader->failed)
    return NULL;

  if (reader->check)
    {
      gsize nul = 1;

      if ((gsize)(reader->end - reader->p) > len && reader->p[len] == '\0')
        gloss_utf8_check ((const char *)reader->p, len, &nul);
      if (nul != 0)
        {
          reader->failed = TRUE;
          return NULL;
        }
    }

  s = (const char *)reader->p;
  reader->p += (gsize)len + 1;
  return s;
}

/* A list's length, which must leave room for that many items of at least
 * @min_item_size bytes each. */
static inline guint32
gloss_record_read_count (GlossRecordReader *reader,
                         guint              min_item_size)
{
  guint32 n = gloss_record_read_u32 (reader);

  if (reader->check && !reader->failed &&
      (guint64)n * min_item_size > (guint64)(reader->end - reader->p))
    {
      reader->failed = TRUE;
      return 0;
    }

  return n;
}

G_END_DECLS
