/* gloss-index.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "gloss-index"

/* memmem () */
#define _GNU_SOURCE

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "gloss-bundle-private.h"
#include "gloss-fold.h"
#include "gloss-hash.h"
#include "gloss-index-private.h"

/* The index is a handful of flat arrays, so that it can later be written to
 * disk and mapped back as is, and the query path reads nothing else:
 *
 * - documents are entries renumbered in sidebar order (by term), so that
 *   "ties by term" is "ascending document number" everywhere;
 * - the vocabulary: every folded token, sorted bytewise, as one blob of
 *   NUL-terminated words and their offsets. A query word is a prefix, so it
 *   is a range of the vocabulary found by binary search;
 * - for each of three spaces (names: term, aliases, title; tags; body:
 *   summary, sections, FAQ) and each word, the documents it occurs in,
 *   delta-coded as varints with the term frequency in the low bits;
 * - "rollups": for each vocabulary prefix whose documents add up to more
 *   postings than half the documents, the union as a bitset, so that typing
 *   "a" costs one 12 KB copy, not a million postings, at 100,000 entries;
 * - the folded terms and aliases, sorted, for the exact and prefix tiers;
 *   an alias's document carries KEY_ALIAS, as a term ranks before an alias;
 * - the raw tags, for the user's hidden tags, and a bitset of mature entries.
 *
 * A query computes, as bitsets over documents, the entries matching every
 * word in any field, in names, and in names or tags; the tiers follow from
 * those, the total count is a popcount, and only the body tier, and only
 * when the better tiers leave room under the limit, is scored (BM25). */

#define NO_SPACE_WINDOW   6        /* characters of a no-space run indexed at each start */
#define ROLLUP_MIN        1024     /* postings in a prefix range worth a precomputed union */
#define SCORE_BUDGET      (1 << 16)
#define MAX_QUERY_WORDS   16
#define MAX_QUERY_BYTES   1024
#define TYPO_MIN_CHARS    4
#define TF_BITS           3
#define TF_MAX            (1 << TF_BITS)
#define BM25_K1           1.2f
#define BM25_B            0.75f
#define MIN_DOCS_PER_THREAD 2048
#define KEY_ALIAS         0x80000000u  /* in key_docs: the key is an alias, not the term */
#define MAX_TYPO_KEYS     64
#define STEPS_PER_PASS    9     /* collect calls in search_pass () */
#define MAX_SPELLING_WORDS 4       /* query words whose joins are tried as keys */
#define MAX_THREADS       4

enum
{
  SPACE_NAMES,
  SPACE_TAGS,
  SPACE_BODY,
  N_SPACES
};

typedef struct
{
  guint32 *cum;            /* n_words + 1: postings before each word */
  guint32 *offsets;        /* n_words + 1: byte offsets into data */
  guint8  *data;           /* varint ((doc - previous doc) << TF_BITS | (tf - 1)) */
  gsize    data_size;
  guint    n_rollups;
  guint32 *rollup_ranges;  /* 2 × n_rollups: [lo, hi), sorted */
  guint64 *rollup_bits;    /* n_rollups × n_bitwords */
} Space;

struct _GlossIndex
{
  GObject   parent_instance;

  GWeakRef  bundle;

  /* Built: the arrays are the index's own. Loaded: they lie in the image,
   * which the index keeps alive. */
  GlossImage *image;

  /* Loaded: the postings and rollups are checked a block at a time, the
   * first time a search reads them (gloss-cache.h). */
  const guint32 *block_sums;
  gint          *block_ok;       /* a bit a block, atomic */
  guint          block_base[N_SPACES * 5];
  gint           damaged;
  GMutex         fallback_lock;
  GlossIndex    *fallback;       /* built again from the records after damage */

  guint     n_docs;
  guint     n_bitwords;
  guint     rollup_threshold;
  guint32  *doc_position;   /* document → position in the bundle */
  guint32  *position_doc;   /* position → document */
  guint32  *doc_length;     /* body tokens, for BM25 */
  float     avg_length;
  guint64  *mature_bits;

  guint     n_words;
  char     *vocab;          /* NUL-terminated words, sorted */
  gsize     vocab_size;
  guint32  *vocab_offsets;  /* n_words + 1 */

  Space     spaces[N_SPACES];

  guint     n_keys;
  char     *keys;           /* folded terms and aliases, NUL-terminated, sorted */
  gsize     keys_size;
  guint32  *key_offsets;    /* n_keys + 1 */
  guint32  *key_docs;       /* | KEY_ALIAS for an alias */

  guint     n_tags;
  char     *tags;           /* raw tags, NUL-terminated, sorted */
  gsize     tags_size;
  guint32  *tag_offsets;    /* n_tags + 1 */
  guint32  *tag_doc_offsets;/* n_tags + 1 */
  guint32  *tag_docs;
};

G_DEFINE_FINAL_TYPE (GlossIndex, gloss_index, G_TYPE_OBJECT)

/* Results */

struct _GlossResults
{
  gatomicrefcount  ref_count;
  guint            total;
  guint            n_matches;
  GlossMatch      *matches;
};

G_DEFINE_BOXED_TYPE (GlossResults, gloss_results, gloss_results_ref, gloss_results_unref)

GlossResults *
gloss_results_ref (GlossResults *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  g_atomic_ref_count_inc (&self->ref_count);
  return self;
}

void
gloss_results_unref (GlossResults *self)
{
  g_return_if_fail (self != NULL);

  if (g_atomic_ref_count_dec (&self->ref_count))
    {
      g_free (self->matches);
      g_free (self);
    }
}

/* Returns: how many matches the results hold (at most the limit). */
guint
gloss_results_get_n_matches (GlossResults *self)
{
  g_return_val_if_fail (self != NULL, 0);

  return self->n_matches;
}

/* Returns: how many entries matched in all, beyond the limit too. */
guint
gloss_results_get_total (GlossResults *self)
{
  g_return_val_if_fail (self != NULL, 0);

  return self->total;
}

const GlossMatch *
gloss_results_get_match (GlossResults *self,
                         guint         i)
{
  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (i < self->n_matches, NULL);

  return &self->matches[i];
}

const GlossMatch *
gloss_results_get_matches (GlossResults *self,
                           guint        *n_matches)
{
  g_return_val_if_fail (self != NULL, NULL);

  if (n_matches != NULL)
    *n_matches = self->n_matches;
  return self->matches;
}

/* Small helpers */

static inline const char *
vocab_word (GlossIndex *self,
            guint       g)
{
  return self->vocab + self->vocab_offsets[g];
}

static inline guint
vocab_word_len (GlossIndex *self,
                guint       g)
{
  return self->vocab_offsets[g + 1] - self->vocab_offsets[g] - 1;
}

static inline guint
varint_size (guint32 v)
{
  return v < (1u << 7) ? 1 : v < (1u << 14) ? 2 : v < (1u << 21) ? 3 : v < (1u << 28) ? 4 : 5;
}

static inline guint8 *
write_varint (guint8  *p,
              guint32  v)
{
  while (v >= 0x80)
    {
      *p++ = (v & 0x7F) | 0x80;
      v >>= 7;
    }
  *p++ = v;
  return p;
}

/* At most five bytes: a list read from a damaged file may not run on
 * (each list's data is followed by eight bytes of padding). */
static inline const guint8 *
read_varint (const guint8 *p,
             guint32      *v)
{
  guint32 x = *p++;
  guint shift = 7;

  if (G_LIKELY (x < 0x80))
    {
      *v = x;
      return p;
    }

  x &= 0x7F;
  for (;;)
    {
      guint32 b = *p++;

      x |= (b & 0x7F) << shift;
      if (b < 0x80 || shift == 28)
        break;
      shift += 7;
    }

  *v = x;
  return p;
}

static inline void
bit_set (guint64 *bits,
         guint    doc)
{
  bits[doc >> 6] |= G_GUINT64_CONSTANT (1) << (doc & 63);
}

static inline gboolean
bit_get (const guint64 *bits,
         guint          doc)
{
  return (bits[doc >> 6] >> (doc & 63)) & 1;
}

/* ln (x) for x >= 1, to a few parts per million: the core links no libm.
 * x = m × 2^e with m in [1, 2), and ln m = 2 atanh ((m - 1) / (m + 1)). */
static float
ln_approx (float x)
{
  int e = 0;
  float y;
  float y2;

  while (x >= 2.0f)
    {
      x *= 0.5f;
      e++;
    }

  y = (x - 1.0f) / (x + 1.0f);
  y2 = y * y;
  return e * 0.69314718f +
         2.0f * y * (1.0f + y2 * (1.0f / 3 + y2 * (1.0f / 5 + y2 * (1.0f / 7 + y2 / 9))));
}

/* Building: each thread reads a range of documents into its own vocabulary
 * and a list of (word, space, tf) records; the vocabularies are then merged
 * into one sorted one and the records become postings in two passes. */

typedef struct
{
  guint32 offset;
  guint32 doc;
} KeyItem;

/* One slot of a builder's open-addressing table: the hash and length of
 * the word and its first 8 bytes, so that most lookups never leave the
 * slot's cache line. */
typedef struct
{
  guint32 tag;      /* hash << 8 | MIN (len, 255) */
  guint32 id;       /* + 1; 0: empty */
  guint64 head;     /* the first 16 bytes, zero-padded */
  guint64 head2;
} Slot;

/* Tokens wait in batches of PENDING_MAX, so that the table slot of each is
 * fetched from memory while the ones before it are added. */
#define PENDING_MAX 64
#define PENDING_TEXT (PENDING_MAX * (GLOSS_FOLD_MAX_WORD + 1))

typedef struct
{
  guint64 head;
  guint64 head2;
  guint32 hash;
  guint16 offset;
  guint16 len;
} Pending;

typedef struct
{
  guint32 key;      /* word id × N_SPACES + space */
  guint32 stamp;    /* document + 1; other values: empty */
  guint32 rec;
} DocSlot;

typedef struct
{
  GlossBundle   *bundle;
  const guint   *sorted;
  guint          doc_lo;
  guint          doc_hi;
  GCancellable  *cancellable;
  gboolean       cancelled;
  guint32       *doc_length;     /* the index's, indexed by document */
  GlossEntryView view;
  const GlossLoadProgress *progress;
  guint          n_docs;
  gint          *docs_done;      /* shared, atomic */

  /* the local vocabulary */
  char          *words;          /* NUL-terminated */
  gsize          words_len;
  gsize          words_alloc;
  guint32       *word_offsets;
  guint          n_local;
  guint          local_alloc;
  Slot          *table;
  guint          table_mask;

  /* the (word, space) pairs of the document being read, and their records:
   * small, so it stays in the cache where a per-word array would not */
  DocSlot       *seen;
  guint          seen_mask;
  guint          n_seen;

  /* records, in document order */
  guint32       *rec_word;       /* local id << 2 | space */
  guint16       *rec_tf;
  gsize          n_rec;
  gsize          rec_alloc;
  guint32       *doc_rec_start;  /* doc_hi - doc_lo + 1 */

  GString       *key_blob;
  GArray        *key_items;      /* of KeyItem */
  GString       *tag_blob;
  GArray        *tag_items;      /* of KeyItem */

  Pending        pending[PENDING_MAX];
  guint          n_pending;
  guint          pending_len;
  char           pending_text[PENDING_TEXT];

  /* the document being read */
  guint          doc;
  guint          space;
  guint          weight;
  guint          body_len;
} Builder;

static void
builder_grow_table (Builder *b)
{
  guint new_size = (b->table_mask + 1) * 2;
  Slot *table = g_new0 (Slot, new_size);

  for (guint i = 0; i <= b->table_mask; i++)
    {
      guint j;

      if (b->table[i].id == 0)
        continue;
      for (j = (b->table[i].tag >> 8) & (new_size - 1); table[j].id != 0; j = (j + 1) & (new_size - 1))
        ;
      table[j] = b->table[i];
    }

  g_free (b->table);
  b->table = table;
  b->table_mask = new_size - 1;
}

static inline guint64
load_head (const char *s,
           guint       len)
{
  guint64 v = 0;

  if (len >= 8)
    memcpy (&v, s, 8);
  else
    {
      for (guint i = 0; i < len; i++)
        v |= (guint64)(guchar)s[i] << (8 * i);
    }

  return v;
}

static inline guint32
hash_word (guint64     head,
           const char *s,
           guint       len)
{
  guint64 h = (head ^ len) * G_GUINT64_CONSTANT (0xFF51AFD7ED558CCD);

  for (guint i = 8; i < len; i += 8)
    {
      guint64 v = load_head (s + i, MIN (8, len - i));

      h = (h ^ (h >> 32) ^ v) * G_GUINT64_CONSTANT (0xC4CEB9FE1A85EC53);
    }

  h ^= h >> 29;
  h *= G_GUINT64_CONSTANT (0x9E3779B97F4A7C15);
  return h >> 32;
}

static guint
builder_intern (Builder    *b,
                const char *word,
                guint       len,
                guint64     head,
                guint64     head2,
                guint32     h)
{
  guint32 tag = h << 8 | MIN (len, 255);
  guint i;
  guint id;

  for (i = h & b->table_mask; b->table[i].id != 0; i = (i + 1) & b->table_mask)
    {
      const Slot *slot = &b->table[i];

      if (slot->tag == tag && slot->head == head && slot->head2 == head2)
        {
          const char *other;

          if (len <= 16)
            return slot->id - 1;

          other = b->words + b->word_offsets[slot->id - 1];
          if (memcmp (other + 16, word + 16, len - 16) == 0 && other[len] == '\0')
            return slot->id - 1;
        }
    }

  id = b->n_local++;
  if (id >= b->local_alloc)
    {
      b->local_alloc *= 2;
      b->word_offsets = g_renew (guint32, b->word_offsets, b->local_alloc);
    }

  if (b->words_len + len + 1 > b->words_alloc)
    {
      b->words_alloc = MAX (b->words_alloc * 2, b->words_len + len + 1);
      b->words = g_realloc (b->words, b->words_alloc);
    }

  b->word_offsets[id] = b->words_len;
  memcpy (b->words + b->words_len, word, len);
  b->words[b->words_len + len] = '\0';
  b->words_len += len + 1;

  b->table[i].tag = tag;
  b->table[i].id = id + 1;
  b->table[i].head = head;
  b->table[i].head2 = head2;
  if (b->n_local * 2 > b->table_mask)
    builder_grow_table (b);

  return id;
}

static void
builder_grow_seen (Builder *b)
{
  guint new_size = (b->seen_mask + 1) * 2;
  DocSlot *seen = g_new0 (DocSlot, new_size);
  guint32 stamp = b->doc + 1;

  for (guint i = 0; i <= b->seen_mask; i++)
    {
      guint j;

      if (b->seen[i].stamp != stamp)
        continue;
      for (j = (b->seen[i].key * 0x9E3779B1u) >> 8 & (new_size - 1); seen[j].stamp == stamp;
           j = (j + 1) & (new_size - 1))
        ;
      seen[j] = b->seen[i];
    }

  g_free (b->seen);
  b->seen = seen;
  b->seen_mask = new_size - 1;
}

static inline void
builder_add (Builder       *b,
             const char    *word,
             const Pending *pending)
{
  guint32 key = builder_intern (b, word, pending->len, pending->head, pending->head2,
                                pending->hash) * N_SPACES + b->space;
  guint32 stamp = b->doc + 1;
  DocSlot *slot;
  guint i;

  if (b->space == SPACE_BODY)
    b->body_len++;

  for (i = (key * 0x9E3779B1u) >> 8 & b->seen_mask; b->seen[i].stamp == stamp;
       i = (i + 1) & b->seen_mask)
    {
      if (b->seen[i].key == key)
        {
          guint tf = b->rec_tf[b->seen[i].rec] + b->weight;

          b->rec_tf[b->seen[i].rec] = MIN (tf, G_MAXUINT16);
          return;
        }
    }
  slot = &b->seen[i];

  if (b->n_rec == b->rec_alloc)
    {
      b->rec_alloc *= 2;
      b->rec_word = g_renew (guint32, b->rec_word, b->rec_alloc);
      b->rec_tf = g_renew (guint16, b->rec_tf, b->rec_alloc);
    }

  slot->key = key;
  slot->stamp = stamp;
  slot->rec = b->n_rec;
  b->rec_word[b->n_rec] = (key / N_SPACES) << 2 | b->space;
  b->rec_tf[b->n_rec] = b->weight;
  b->n_rec++;

  if (++b->n_seen * 2 > b->seen_mask)
    builder_grow_seen (b);
}

static void
builder_flush (Builder *b)
{
  for (guint i = 0; i < b->n_pending; i++)
    builder_add (b, b->pending_text + b->pending[i].offset, &b->pending[i]);

  b->n_pending = 0;
  b->pending_len = 0;
}

static inline void
builder_push (Builder    *b,
              const char *word,
              guint       len)
{
  Pending *pending;

  if (b->n_pending == PENDING_MAX || b->pending_len + len + 1 > PENDING_TEXT)
    builder_flush (b);

  pending = &b->pending[b->n_pending++];
  pending->offset = b->pending_len;
  pending->len = len;
  pending->head = load_head (word, len);
  pending->head2 = len > 8 ? load_head (word + 8, MIN (len - 8, 8)) : 0;
  pending->hash = hash_word (pending->head, word, len);
  memcpy (b->pending_text + b->pending_len, word, len);
  b->pending_len += len;

  __builtin_prefetch (&b->table[pending->hash & b->table_mask]);
}

static gboolean
builder_on_token (const GlossToken *token,
                  gpointer          user_data)
{
  Builder *b = user_data;

  if (token->kind == GLOSS_TOKEN_WORD)
    {
      builder_push (b, token->text, token->len);
      return TRUE;
    }

  /* A run written without spaces is matched as a substring: index the
   * window of NO_SPACE_WINDOW characters starting at each character, so a
   * prefix search of the vocabulary finds every substring that long. */
  for (const char *p = token->text, *end = token->text + token->len; p < end;
       p = g_utf8_next_char (p))
    {
      const char *q = p;

      for (guint i = 0; i < NO_SPACE_WINDOW && q < end; i++)
        q = g_utf8_next_char (q);
      builder_push (b, p, q - p);
    }

  return TRUE;
}

static inline void
builder_read (Builder            *b,
              const char         *text,
              guint               space,
              guint               weight,
              GlossTokenizeFlags  flags)
{
  if (text == NULL || text[0] == '\0')
    return;

  b->space = space;
  b->weight = weight;
  gloss_fold_tokenize (text, -1, flags, builder_on_token, b);
  builder_flush (b);
}

static void
builder_add_key (GString    *blob,
                 GArray     *items,
                 const char *key,
                 guint32     doc)
{
  KeyItem item = { blob->len, doc };

  if (key == NULL || key[0] == '\0')
    return;

  g_string_append_len (blob, key, strlen (key) + 1);
  g_array_append_val (items, item);
}

/* Reads one entry's text, straight from its record in the bundle's
 * image: no entry object is made. */
static void
builder_read_entry (Builder              *b,
                    const GlossEntryView *view)
{
  g_autofree char *term_key = NULL;

  b->body_len = 0;

  builder_read (b, view->term, SPACE_NAMES, 1, GLOSS_TOKENIZE_NONE);
  for (guint i = 0; i < view->aliases->len; i++)
    builder_read (b, g_ptr_array_index (view->aliases, i), SPACE_NAMES, 1, GLOSS_TOKENIZE_NONE);
  builder_read (b, view->title, SPACE_NAMES, 1, GLOSS_TOKENIZE_NONE);

  term_key = gloss_fold_key (view->term, -1);
  builder_add_key (b->key_blob, b->key_items, term_key, b->doc);
  for (guint i = 0; i < view->aliases->len; i++)
    {
      g_autofree char *key = gloss_fold_key (g_ptr_array_index (view->aliases, i), -1);

      builder_add_key (b->key_blob, b->key_items, key, b->doc | KEY_ALIAS);
    }

  for (guint i = 0; i < view->tags->len; i++)
    {
      builder_read (b, g_ptr_array_index (view->tags, i), SPACE_TAGS, 1, GLOSS_TOKENIZE_NONE);
      builder_add_key (b->tag_blob, b->tag_items, g_ptr_array_index (view->tags, i), b->doc);
    }

  /* Short fields count twice in the body's term frequencies. */
  builder_read (b, view->summary, SPACE_BODY, 2, GLOSS_TOKENIZE_NONE);

  for (guint i = 0; i + 1 < view->sections->len; i += 2)
    {
      builder_read (b, g_ptr_array_index (view->sections, i), SPACE_BODY, 2, GLOSS_TOKENIZE_NONE);
      builder_read (b, g_ptr_array_index (view->sections, i + 1), SPACE_BODY, 1,
                    GLOSS_TOKENIZE_MARKDOWN);
    }

  for (guint i = 0; i + 1 < view->faq->len; i += 2)
    {
      builder_read (b, g_ptr_array_index (view->faq, i), SPACE_BODY, 2, GLOSS_TOKENIZE_NONE);
      builder_read (b, g_ptr_array_index (view->faq, i + 1), SPACE_BODY, 1,
                    GLOSS_TOKENIZE_MARKDOWN);
    }

  b->doc_length[b->doc] = b->body_len;
}

static gpointer
builder_run (gpointer data)
{
  Builder *b = data;

  for (guint doc = b->doc_lo; doc < b->doc_hi; doc++)
    {
      if ((doc & 255) == 0)
        {
          if (g_cancellable_is_cancelled (b->cancellable))
            {
              b->cancelled = TRUE;
              break;
            }

          if (doc > b->doc_lo)
            g_atomic_int_add (b->docs_done, 256);
          if (b->doc_lo == 0 && b->progress != NULL && b->n_docs > 0)
            _gloss_load_progress (b->progress,
                                  0.55 + 0.35 * g_atomic_int_get (b->docs_done) / b->n_docs);
        }

      /* Records lie in the image in another order than the documents':
       * ask for the next one's while this one is read. */
      if (doc + 1 < b->doc_hi)
        {
          const guint8 *next = _gloss_bundle_peek_record (b->bundle, b->sorted[doc + 1]);

          __builtin_prefetch (next);
          __builtin_prefetch (next + 64);
          __builtin_prefetch (next + 128);
        }

      b->doc = doc;
      b->n_seen = 0;
      b->doc_rec_start[doc - b->doc_lo] = b->n_rec;
      _gloss_bundle_view_entry (b->bundle, b->sorted[doc], &b->view);
      builder_read_entry (b, &b->view);
    }

  b->doc_rec_start[b->doc_hi - b->doc_lo] = b->n_rec;
  return NULL;
}

static Builder *
builder_new (GlossBundle  *bundle,
             const guint  *sorted,
             guint         doc_lo,
             guint         doc_hi,
             guint32      *doc_length,
             GCancellable *cancellable)
{
  Builder *b = g_new0 (Builder, 1);
  guint n = doc_hi - doc_lo;

  b->bundle = bundle;
  b->sorted = sorted;
  b->doc_lo = doc_lo;
  b->doc_hi = doc_hi;
  b->doc_length = doc_length;
  b->cancellable = cancellable;

  b->local_alloc = 1024;
  b->word_offsets = g_new (guint32, b->local_alloc);
  b->seen_mask = 4095;
  b->seen = g_new0 (DocSlot, b->seen_mask + 1);
  b->words_alloc = 16384;
  b->words = g_malloc (b->words_alloc);
  b->table_mask = 4095;
  b->table = g_new0 (Slot, b->table_mask + 1);

  b->rec_alloc = MAX (1024, (gsize)n * 256);
  b->rec_word = g_new (guint32, b->rec_alloc);
  b->rec_tf = g_new (guint16, b->rec_alloc);
  b->doc_rec_start = g_new (guint32, n + 1);

  b->key_blob = g_string_new (NULL);
  b->key_items = g_array_new (FALSE, FALSE, sizeof (KeyItem));
  b->tag_blob = g_string_new (NULL);
  b->tag_items = g_array_new (FALSE, FALSE, sizeof (KeyItem));

  _gloss_entry_view_init (&b->view);

  return b;
}

/* Frees what merging no longer needs; the blobs stay for the keys. */
static void
builder_free_records (Builder *b)
{
  g_clear_pointer (&b->rec_word, g_free);
  g_clear_pointer (&b->rec_tf, g_free);
  g_clear_pointer (&b->doc_rec_start, g_free);
  g_clear_pointer (&b->seen, g_free);
  g_clear_pointer (&b->table, g_free);
  _gloss_entry_view_clear (&b->view);
}

static void
builder_free (Builder *b)
{
  builder_free_records (b);
  g_free (b->words);
  g_free (b->word_offsets);
  g_string_free (b->key_blob, TRUE);
  g_array_unref (b->key_items);
  g_string_free (b->tag_blob, TRUE);
  g_array_unref (b->tag_items);
  g_free (b);
}

static int
compare_local_words (gconstpointer a,
                     gconstpointer b,
                     gpointer      user_data)
{
  const Builder *builder = user_data;

  return strcmp (builder->words + builder->word_offsets[*(const guint32 *)a],
                 builder->words + builder->word_offsets[*(const guint32 *)b]);
}

/* Merges the sorted local vocabularies into the index's, and returns for
 * each builder the map from its local ids to global ones. */
static guint32 **
merge_vocabularies (GlossIndex  *self,
                    Builder    **builders,
                    guint        n_builders)
{
  guint32 **maps = g_new0 (guint32 *, n_builders);
  guint32 **orders = g_new0 (guint32 *, n_builders);
  guint *heads = g_new0 (guint, n_builders);
  GString *vocab = g_string_new (NULL);
  GArray *offsets = g_array_new (FALSE, FALSE, sizeof (guint32));

  for (guint t = 0; t < n_builders; t++)
    {
      Builder *b = builders[t];

      orders[t] = g_new (guint32, b->n_local + 1);
      for (guint i = 0; i < b->n_local; i++)
        orders[t][i] = i;
      g_qsort_with_data (orders[t], b->n_local, sizeof (guint32), compare_local_words, b);
      maps[t] = g_new (guint32, b->n_local + 1);
    }

  for (;;)
    {
      const char *smallest = NULL;
      guint32 gid = offsets->len;
      guint32 offset = vocab->len;

      for (guint t = 0; t < n_builders; t++)
        {
          Builder *b = builders[t];
          const char *w;

          if (heads[t] >= b->n_local)
            continue;
          w = b->words + b->word_offsets[orders[t][heads[t]]];
          if (smallest == NULL || strcmp (w, smallest) < 0)
            smallest = w;
        }

      if (smallest == NULL)
        break;

      g_array_append_val (offsets, offset);
      g_string_append_len (vocab, smallest, strlen (smallest) + 1);

      for (guint t = 0; t < n_builders; t++)
        {
          Builder *b = builders[t];

          if (heads[t] < b->n_local &&
              strcmp (b->words + b->word_offsets[orders[t][heads[t]]], vocab->str + offset) == 0)
            {
              maps[t][orders[t][heads[t]]] = gid;
              heads[t]++;
            }
        }
    }

  self->n_words = offsets->len;
  g_array_append_val (offsets, vocab->len);
  self->vocab_size = vocab->len;
  self->vocab = g_string_free (vocab, FALSE);
  self->vocab_offsets = (guint32 *)(gpointer)g_array_free (offsets, FALSE);

  for (guint t = 0; t < n_builders; t++)
    g_free (orders[t]);
  g_free (orders);
  g_free (heads);

  return maps;
}

/* What a builder's documents add to one list. Indexed by local word id,
 * whose order is first use: the common words stay together in the cache. */
typedef struct
{
  guint32 df;
  guint32 size;    /* bytes; after pass 1: where to write */
  guint32 first;   /* first document << 4 | its tf */
  guint32 last;    /* last document; after pass 1: the one before the first */
} PostState;

G_STATIC_ASSERT (GLOSS_BUNDLE_MAX_ENTRIES < (1 << 28));
G_STATIC_ASSERT (TF_MAX < 16);

typedef struct
{
  GlossIndex    *self;
  const Builder *b;
  guint          pass;
  PostState     *state;      /* local id × N_SPACES + space */
  guint32       *inverse;    /* global id → local id, or G_MAXUINT32 */
} PostingsJob;

/* Pass 1 counts and sizes this builder's share of each list (all but its
 * first posting, whose delta depends on the builders before); pass 2
 * writes it where the sequential step in between said. */
static gpointer
postings_job_run (gpointer data)
{
  PostingsJob *job = data;
  const Builder *b = job->b;
  PostState *state = job->state;

  for (guint doc = b->doc_lo; doc < b->doc_hi; doc++)
    {
      gsize start = b->doc_rec_start[doc - b->doc_lo];
      gsize end = b->doc_rec_start[doc - b->doc_lo + 1];

      for (gsize r = start; r < end; r++)
        {
          guint32 rw = b->rec_word[r];
          guint s = rw & 3;
          PostState *st = &state[(rw >> 2) * N_SPACES + s];
          guint tf = MIN (b->rec_tf[r], TF_MAX);

          if (job->pass == 0)
            {
              if (st->df++ == 0)
                st->first = doc << 4 | tf;
              else
                st->size += varint_size ((doc - st->last) << TF_BITS | (tf - 1));
            }
          else
            {
              Space *sp = &job->self->spaces[s];

              st->size = write_varint (sp->data + st->size,
                                       (doc - st->last) << TF_BITS | (tf - 1)) - sp->data;
            }
          st->last = doc;
        }
    }

  return NULL;
}

/* Runs @func on each of @n jobs, one thread each, the first in this one. */
static void
run_parallel (GThreadFunc  func,
              gpointer     jobs,
              gsize        job_size,
              guint        n)
{
  GThread *threads[MAX_THREADS] = { NULL, };

  for (guint t = 1; t < n; t++)
    threads[t] = g_thread_new ("gloss-index", func, (char *)jobs + t * job_size);
  func (jobs);
  for (guint t = 1; t < n; t++)
    g_thread_join (threads[t]);
}

/* Turns the records into postings, each builder's documents in a thread of
 * their own: records come in document order, so lists come out sorted. */
static void
build_postings (GlossIndex  *self,
                Builder    **builders,
                guint        n_builders,
                guint32    **maps)
{
  PostingsJob jobs[MAX_THREADS];

  for (guint t = 0; t < n_builders; t++)
    {
      jobs[t].self = self;
      jobs[t].b = builders[t];
      jobs[t].pass = 0;
      jobs[t].state = g_new0 (PostState, (gsize)builders[t]->n_local * N_SPACES + 1);
      jobs[t].inverse = g_new (guint32, self->n_words + 1);
      memset (jobs[t].inverse, 0xFF, (self->n_words + 1) * sizeof (guint32));
      for (guint lid = 0; lid < builders[t]->n_local; lid++)
        jobs[t].inverse[maps[t][lid]] = lid;
    }

  run_parallel (postings_job_run, jobs, sizeof (PostingsJob), n_builders);

  for (guint s = 0; s < N_SPACES; s++)
    {
      Space *sp = &self->spaces[s];
      guint32 cum = 0;
      guint32 off = 0;

      sp->cum = g_new (guint32, self->n_words + 1);
      sp->offsets = g_new (guint32, self->n_words + 1);
      for (guint g = 0; g < self->n_words; g++)
        {
          guint32 previous = 0;

          sp->cum[g] = cum;
          sp->offsets[g] = off;
          for (guint t = 0; t < n_builders; t++)
            {
              guint32 lid = jobs[t].inverse[g];
              PostState *st;
              guint32 last;

              if (lid == G_MAXUINT32)
                continue;
              st = &jobs[t].state[lid * N_SPACES + s];
              if (st->df == 0)
                continue;

              st->size += varint_size (((st->first >> 4) - previous) << TF_BITS |
                                       ((st->first & 15) - 1));
              last = st->last;
              st->last = previous;
              previous = last;

              cum += st->df;
              last = off;
              off += st->size;
              st->size = last;
            }
        }
      sp->cum[self->n_words] = cum;
      sp->offsets[self->n_words] = off;
      sp->data_size = off;
      /* Zeroed padding: a reader of a damaged copy stops within it. */
      sp->data = g_malloc (off + 8);
      memset (sp->data + off, 0, 8);
    }

  for (guint t = 0; t < n_builders; t++)
    jobs[t].pass = 1;

  run_parallel (postings_job_run, jobs, sizeof (PostingsJob), n_builders);

  for (guint t = 0; t < n_builders; t++)
    {
      g_free (jobs[t].state);
      g_free (jobs[t].inverse);
    }
}

static inline void
or_postings (const Space *sp,
             guint        g,
             guint        n_docs,
             guint64     *bits)
{
  const guint8 *p = sp->data + sp->offsets[g];
  const guint8 *end = sp->data + sp->offsets[g + 1];
  guint32 doc = 0;

  while (p < end)
    {
      guint32 v;

      p = read_varint (p, &v);
      doc += v >> TF_BITS;
      if (G_UNLIKELY (doc >= n_docs))
        break;
      bit_set (bits, doc);
    }
}

typedef struct
{
  guint32 lo;
  guint32 hi;
  guint   level;
  guint   index;   /* into the rollup table */
} Group;

static int
compare_ranges (gconstpointer a,
                gconstpointer b)
{
  const guint32 *ra = a;
  const guint32 *rb = b;

  if (ra[0] != rb[0])
    return ra[0] < rb[0] ? -1 : 1;
  if (ra[1] != rb[1])
    return ra[1] < rb[1] ? -1 : 1;
  return 0;
}

/* Precomputes the union of every vocabulary prefix range with more than
 * rollup_threshold postings in @sp. Found top-down, level by level (prefix
 * length in bytes, at character boundaries); built bottom-up, so that each
 * union reuses those of its longer prefixes. */
static void
build_rollups (GlossIndex *self,
               Space      *sp)
{
  g_autoptr(GArray) groups = g_array_new (FALSE, FALSE, sizeof (Group));
  g_autoptr(GHashTable) by_range = g_hash_table_new (g_int64_hash, g_int64_equal);
  g_autofree gint64 *range_keys = NULL;
  g_autofree guint *child = NULL;
  g_autofree guint32 *sorted_ranges = NULL;
  guint n_unique = 0;
  guint64 *bits;
  guint level;

  for (level = 1; level <= GLOSS_FOLD_MAX_WORD; level++)
    {
      gboolean found = FALSE;
      guint g = 0;

      while (g < self->n_words)
        {
          const char *w = vocab_word (self, g);
          guint len = vocab_word_len (self, g);
          guint hi;

          if (len < level || (level < len && ((guchar)w[level] & 0xC0) == 0x80))
            {
              g++;
              continue;
            }

          for (hi = g + 1; hi < self->n_words; hi++)
            {
              if (strncmp (vocab_word (self, hi), w, level) != 0)
                break;
            }

          if (sp->cum[hi] - sp->cum[g] > self->rollup_threshold)
            {
              Group group = { g, hi, level, 0 };

              g_array_append_val (groups, group);
              found = TRUE;
            }
          g = hi;
        }

      if (!found)
        break;
    }

  sp->n_rollups = 0;
  if (groups->len == 0)
    return;

  /* Identical ranges (a prefix and its only continuation) share a union. */
  range_keys = g_new (gint64, groups->len);
  for (guint i = 0; i < groups->len; i++)
    {
      Group *group = &g_array_index (groups, Group, i);
      gpointer existing;

      range_keys[i] = (gint64)group->lo << 32 | group->hi;
      existing = g_hash_table_lookup (by_range, &range_keys[i]);
      if (existing != NULL)
        group->index = GPOINTER_TO_UINT (existing) - 1;
      else
        {
          group->index = n_unique++;
          g_hash_table_insert (by_range, &range_keys[i], GUINT_TO_POINTER (group->index + 1));
        }
    }

  bits = g_new0 (guint64, (gsize)n_unique * self->n_bitwords);
  child = g_new (guint, self->n_words);
  memset (child, 0xFF, self->n_words * sizeof (guint));

  /* Deepest level first; groups of one level are disjoint. */
  for (guint i = groups->len; i > 0; )
    {
      guint level_start = i;
      guint this_level = g_array_index (groups, Group, i - 1).level;

      while (level_start > 0 && g_array_index (groups, Group, level_start - 1).level == this_level)
        level_start--;

      for (guint j = level_start; j < i; j++)
        {
          Group *group = &g_array_index (groups, Group, j);
          guint64 *out = bits + (gsize)group->index * self->n_bitwords;

          for (guint g = group->lo; g < group->hi; )
            {
              guint c = child[g];

              if (c != G_MAXUINT && c != group->index)
                {
                  const Group *sub = &g_array_index (groups, Group, c);
                  const guint64 *in = bits + (gsize)sub->index * self->n_bitwords;

                  for (guint k = 0; k < self->n_bitwords; k++)
                    out[k] |= in[k];
                  g = sub->hi;
                }
              else
                {
                  or_postings (sp, g, self->n_docs, out);
                  g++;
                }
            }
        }

      for (guint j = level_start; j < i; j++)
        child[g_array_index (groups, Group, j).lo] = j;

      i = level_start;
    }

  /* The table, sorted by range. */
  sorted_ranges = g_new (guint32, 3 * (gsize)n_unique);
  for (guint i = 0; i < groups->len; i++)
    {
      const Group *group = &g_array_index (groups, Group, i);

      sorted_ranges[3 * group->index] = group->lo;
      sorted_ranges[3 * group->index + 1] = group->hi;
      sorted_ranges[3 * group->index + 2] = group->index;
    }
  if (n_unique > 0)
    qsort (sorted_ranges, n_unique, 3 * sizeof (guint32), compare_ranges);

  sp->n_rollups = n_unique;
  sp->rollup_ranges = g_new (guint32, 2 * (gsize)n_unique);
  sp->rollup_bits = g_new (guint64, (gsize)n_unique * self->n_bitwords);
  for (guint i = 0; i < n_unique; i++)
    {
      sp->rollup_ranges[2 * i] = sorted_ranges[3 * i];
      sp->rollup_ranges[2 * i + 1] = sorted_ranges[3 * i + 1];
      memcpy (sp->rollup_bits + (gsize)i * self->n_bitwords,
              bits + (gsize)sorted_ranges[3 * i + 2] * self->n_bitwords,
              self->n_bitwords * sizeof (guint64));
    }
  g_free (bits);
}

typedef struct
{
  const char *str;
  guint32     doc;
} SortKey;

static int
compare_sort_keys (gconstpointer a,
                   gconstpointer b)
{
  const SortKey *ka = a;
  const SortKey *kb = b;
  int cmp = strcmp (ka->str, kb->str);

  if (cmp != 0)
    return cmp;
  return ka->doc < kb->doc ? -1 : ka->doc > kb->doc;
}

/* Sorts the (string, document) pairs of every builder into one table. */
static void
build_string_table (Builder  **builders,
                    guint      n_builders,
                    gboolean   tags,
                    guint     *n_out,
                    char     **blob_out,
                    gsize     *blob_size_out,
                    guint32  **offsets_out,
                    guint32  **docs_out,
                    guint32  **doc_offsets_out)
{
  g_autoptr(GArray) keys = g_array_new (FALSE, FALSE, sizeof (SortKey));
  GString *blob = g_string_new (NULL);
  GArray *offsets = g_array_new (FALSE, FALSE, sizeof (guint32));
  GArray *docs = g_array_new (FALSE, FALSE, sizeof (guint32));
  GArray *doc_offsets = g_array_new (FALSE, FALSE, sizeof (guint32));

  for (guint t = 0; t < n_builders; t++)
    {
      GString *b_blob = tags ? builders[t]->tag_blob : builders[t]->key_blob;
      GArray *items = tags ? builders[t]->tag_items : builders[t]->key_items;

      for (guint i = 0; i < items->len; i++)
        {
          const KeyItem *item = &g_array_index (items, KeyItem, i);
          SortKey key = { b_blob->str + item->offset, item->doc };

          g_array_append_val (keys, key);
        }
    }

  /* qsort and memset want valid pointers even for zero items. */
  if (keys->len > 0)
    qsort (keys->data, keys->len, sizeof (SortKey), compare_sort_keys);

  for (guint i = 0; i < keys->len; i++)
    {
      const SortKey *key = &g_array_index (keys, SortKey, i);
      gboolean same_string = i > 0 && strcmp (key->str, g_array_index (keys, SortKey, i - 1).str) == 0;

      if (same_string && key->doc == g_array_index (keys, SortKey, i - 1).doc)
        continue;

      /* Keys: one row per (string, document); tags: one row per string,
       * with its documents. */
      if (!tags || !same_string)
        {
          guint32 offset = blob->len;
          guint32 n_docs = docs->len;

          g_array_append_val (offsets, offset);
          g_string_append_len (blob, key->str, strlen (key->str) + 1);
          if (tags)
            g_array_append_val (doc_offsets, n_docs);
        }
      g_array_append_val (docs, key->doc);
    }

  *n_out = offsets->len;
  g_array_append_val (offsets, blob->len);
  if (tags)
    {
      g_array_append_val (doc_offsets, docs->len);
      *doc_offsets_out = (guint32 *)(gpointer)g_array_free (doc_offsets, FALSE);
    }
  else
    g_array_free (doc_offsets, TRUE);

  *blob_size_out = blob->len;
  *blob_out = g_string_free (blob, FALSE);
  *offsets_out = (guint32 *)(gpointer)g_array_free (offsets, FALSE);
  *docs_out = (guint32 *)(gpointer)g_array_free (docs, FALSE);
}

typedef struct
{
  GlossIndex  *self;
  Builder    **builders;
  guint        n_builders;
} TablesJob;

static gpointer
build_tables (gpointer data)
{
  TablesJob *job = data;
  GlossIndex *self = job->self;

  build_string_table (job->builders, job->n_builders, FALSE, &self->n_keys, &self->keys,
                      &self->keys_size, &self->key_offsets, &self->key_docs, NULL);
  build_string_table (job->builders, job->n_builders, TRUE, &self->n_tags, &self->tags,
                      &self->tags_size, &self->tag_offsets, &self->tag_docs,
                      &self->tag_doc_offsets);
  return NULL;
}

/**
 * gloss_index_build:
 * @bundle: a loaded bundle
 * @cancellable: (nullable): stops the build
 * @error: set when cancelled
 *
 * Builds the search index of @bundle. Meant for the worker thread that
 * loads the bundle: it takes about a second per 100,000 entries (using up
 * to four threads of its own).
 *
 * Returns: (transfer full) (nullable): the index, or %NULL when cancelled
 */
GlossIndex *
gloss_index_build (GlossBundle   *bundle,
                   GCancellable  *cancellable,
                   GError       **error)
{
  g_return_val_if_fail (GLOSS_IS_BUNDLE (bundle), NULL);
  g_return_val_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable), NULL);

  return _gloss_index_build (bundle, cancellable, NULL, error);
}

GlossIndex *
_gloss_index_build (GlossBundle              *bundle,
                    GCancellable             *cancellable,
                    const GlossLoadProgress  *progress,
                    GError                  **error)
{
  g_autoptr(GlossIndex) self = NULL;
  g_autofree guint *identity = NULL;
  Builder *builders[MAX_THREADS];
  GThread *threads[MAX_THREADS] = { NULL, };
  guint32 **maps;
  TablesJob tables_job;
  GThread *tables_thread;
  const guint *sorted;
  guint n_sorted = 0;
  guint n_builders;
  guint n;
  gboolean cancelled = FALSE;
  guint64 total_length = 0;
  gint docs_done = 0;

  self = g_object_new (GLOSS_TYPE_INDEX, NULL);
  g_weak_ref_set (&self->bundle, bundle);

  n = gloss_bundle_get_n_entries (bundle);
  sorted = gloss_bundle_get_sorted (bundle, &n_sorted);
  if (sorted == NULL || n_sorted != n)
    {
      identity = g_new (guint, n + 1);
      for (guint i = 0; i < n; i++)
        identity[i] = i;
      sorted = identity;
    }

  self->n_docs = n;
  self->n_bitwords = (n + 63) / 64;
  self->rollup_threshold = MAX (n / 2, ROLLUP_MIN);
  self->doc_position = g_new (guint32, n + 1);
  self->position_doc = g_new (guint32, n + 1);
  self->doc_length = g_new0 (guint32, n + 1);
  self->mature_bits = g_new0 (guint64, self->n_bitwords + 1);

  for (guint doc = 0; doc < n; doc++)
    {
      self->doc_position[doc] = sorted[doc];
      self->position_doc[sorted[doc]] = doc;
      if (_gloss_bundle_is_mature (bundle, sorted[doc]))
        bit_set (self->mature_bits, doc);
    }

  n_builders = CLAMP (n / MIN_DOCS_PER_THREAD, 1, MIN (MAX_THREADS, g_get_num_processors ()));
  for (guint t = 0; t < n_builders; t++)
    {
      builders[t] = builder_new (bundle, sorted, (guint64)n * t / n_builders,
                                 (guint64)n * (t + 1) / n_builders, self->doc_length, cancellable);
      builders[t]->progress = progress;
      builders[t]->n_docs = n;
      builders[t]->docs_done = &docs_done;
    }

  for (guint t = 1; t < n_builders; t++)
    threads[t] = g_thread_new ("gloss-index", builder_run, builders[t]);
  builder_run (builders[0]);
  for (guint t = 1; t < n_builders; t++)
    g_thread_join (threads[t]);

  for (guint t = 0; t < n_builders; t++)
    cancelled |= builders[t]->cancelled;

  if (cancelled || g_cancellable_set_error_if_cancelled (cancellable, error))
    {
      if (cancelled)
        g_cancellable_set_error_if_cancelled (cancellable, error);
      for (guint t = 0; t < n_builders; t++)
        builder_free (builders[t]);
      return NULL;
    }

  maps = merge_vocabularies (self, builders, n_builders);
  build_postings (self, builders, n_builders, maps);
  for (guint t = 0; t < n_builders; t++)
    {
      builder_free_records (builders[t]);
      g_free (maps[t]);
    }
  g_free (maps);

  /* The keys and tags in a thread, the rollups in this one. */
  tables_job.self = self;
  tables_job.builders = builders;
  tables_job.n_builders = n_builders;
  tables_thread = g_thread_new ("gloss-index", build_tables, &tables_job);
  for (guint s = 0; s < N_SPACES; s++)
    build_rollups (self, &self->spaces[s]);
  g_thread_join (tables_thread);

  for (guint t = 0; t < n_builders; t++)
    builder_free (builders[t]);

  for (guint doc = 0; doc < n; doc++)
    total_length += self->doc_length[doc];
  self->avg_length = n > 0 ? MAX (1.0, (double)total_length / n) : 1.0;

  return g_steal_pointer (&self);
}

/**
 * gloss_index_new:
 * @bundle: a loaded bundle
 *
 * Builds the search index of @bundle; see gloss_index_build().
 *
 * Returns: (transfer full): the index
 */
GlossIndex *
gloss_index_new (GlossBundle *bundle)
{
  return gloss_index_build (bundle, NULL, NULL);
}

static void
gloss_index_finalize (GObject *object)
{
  GlossIndex *self = (GlossIndex *)object;

  g_weak_ref_clear (&self->bundle);
  g_clear_object (&self->fallback);
  g_mutex_clear (&self->fallback_lock);
  g_free (self->block_ok);

  if (self->image != NULL)
    {
      gloss_image_unref (self->image);
      G_OBJECT_CLASS (gloss_index_parent_class)->finalize (object);
      return;
    }

  g_free (self->doc_position);
  g_free (self->position_doc);
  g_free (self->doc_length);
  g_free (self->mature_bits);
  g_free (self->vocab);
  g_free (self->vocab_offsets);
  for (guint s = 0; s < N_SPACES; s++)
    {
      g_free (self->spaces[s].cum);
      g_free (self->spaces[s].offsets);
      g_free (self->spaces[s].data);
      g_free (self->spaces[s].rollup_ranges);
      g_free (self->spaces[s].rollup_bits);
    }
  g_free (self->keys);
  g_free (self->key_offsets);
  g_free (self->key_docs);
  g_free (self->tags);
  g_free (self->tag_offsets);
  g_free (self->tag_doc_offsets);
  g_free (self->tag_docs);

  G_OBJECT_CLASS (gloss_index_parent_class)->finalize (object);
}

static void
gloss_index_class_init (GlossIndexClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = gloss_index_finalize;
}

static void
gloss_index_init (GlossIndex *self)
{
  g_weak_ref_init (&self->bundle, NULL);
  g_mutex_init (&self->fallback_lock);
}

guint
gloss_index_get_n_entries (GlossIndex *self)
{
  g_return_val_if_fail (GLOSS_IS_INDEX (self), 0);

  return self->n_docs;
}

/* Returns: the bytes the index's arrays take. */
gsize
gloss_index_get_size (GlossIndex *self)
{
  gsize size;
  gsize bitset = self->n_bitwords * sizeof (guint64);

  g_return_val_if_fail (GLOSS_IS_INDEX (self), 0);

  size = sizeof *self;
  size += 3 * (gsize)self->n_docs * sizeof (guint32) + bitset;
  size += self->vocab_size + ((gsize)self->n_words + 1) * sizeof (guint32);
  for (guint s = 0; s < N_SPACES; s++)
    {
      const Space *sp = &self->spaces[s];

      size += 2 * ((gsize)self->n_words + 1) * sizeof (guint32) + sp->data_size;
      size += sp->n_rollups * (2 * sizeof (guint32) + bitset);
    }
  size += self->keys_size + ((gsize)self->n_keys * 2 + 1) * sizeof (guint32);
  size += self->tags_size + ((gsize)self->n_tags * 2 + 2) * sizeof (guint32);
  size += (gsize)self->tag_doc_offsets[self->n_tags] * sizeof (guint32);

  return size;
}

/* On disk: the arrays as they are, one section each (gloss-cache.h), and
 * the sizes and counts in an info section. */

typedef struct
{
  guint32 n_docs;
  guint32 n_bitwords;
  guint32 rollup_threshold;
  guint32 n_words;
  float   avg_length;
  guint32 n_keys;
  guint32 n_tags;
  guint32 n_rollups[N_SPACES];
  guint32 reserved;
  guint64 vocab_size;
  guint64 keys_size;
  guint64 tags_size;
  guint64 data_size[N_SPACES];
} IndexInfo;

G_STATIC_ASSERT (sizeof (IndexInfo) % 8 == 0);

enum
{
  SPACE_CUM,
  SPACE_OFFSETS,
  SPACE_DATA,
  SPACE_ROLLUP_RANGES,
  SPACE_ROLLUP_BITS,
  N_SPACE_SECTIONS
};

G_STATIC_ASSERT (GLOSS_SECTION_INDEX_SPACE0 + N_SPACES * N_SPACE_SECTIONS ==
                 GLOSS_SECTION_INDEX_SPACE_LAST + 1);

static inline GlossSectionId
space_section (guint space,
               guint which)
{
  return GLOSS_SECTION_INDEX_SPACE0 + space * N_SPACE_SECTIONS + which;
}

void
_gloss_index_set_sections (GlossIndex *self,
                           GlossImage *image)
{
  IndexInfo *info = g_new0 (IndexInfo, 1);
  gsize docs = (gsize)self->n_docs * sizeof (guint32);
  gsize bitset = (gsize)self->n_bitwords * sizeof (guint64);
  gsize words = ((gsize)self->n_words + 1) * sizeof (guint32);

  info->n_docs = self->n_docs;
  info->n_bitwords = self->n_bitwords;
  info->rollup_threshold = self->rollup_threshold;
  info->n_words = self->n_words;
  info->avg_length = self->avg_length;
  info->n_keys = self->n_keys;
  info->n_tags = self->n_tags;
  info->vocab_size = self->vocab_size;
  info->keys_size = self->keys_size;
  info->tags_size = self->tags_size;

  gloss_image_set_section (image, GLOSS_SECTION_INDEX_INFO, info, sizeof *info, g_free);
  gloss_image_set_section (image, GLOSS_SECTION_INDEX_DOC_POSITION, self->doc_position, docs, NULL);
  gloss_image_set_section (image, GLOSS_SECTION_INDEX_POSITION_DOC, self->position_doc, docs, NULL);
  gloss_image_set_section (image, GLOSS_SECTION_INDEX_DOC_LENGTH, self->doc_length, docs, NULL);
  gloss_image_set_section (image, GLOSS_SECTION_INDEX_MATURE_BITS, self->mature_bits, bitset, NULL);
  gloss_image_set_section (image, GLOSS_SECTION_INDEX_VOCAB, self->vocab, self->vocab_size, NULL);
  gloss_image_set_section (image, GLOSS_SECTION_INDEX_VOCAB_OFFSETS, self->vocab_offsets, words,
                           NULL);

  for (guint s = 0; s < N_SPACES; s++)
    {
      const Space *sp = &self->spaces[s];

      info->n_rollups[s] = sp->n_rollups;
      info->data_size[s] = sp->data_size;
      gloss_image_set_section (image, space_section (s, SPACE_CUM), sp->cum, words, NULL);
      gloss_image_set_section (image, space_section (s, SPACE_OFFSETS), sp->offsets, words, NULL);
      gloss_image_set_section (image, space_section (s, SPACE_DATA), sp->data,
                               sp->data_size + 8, NULL);
      gloss_image_set_section (image, space_section (s, SPACE_ROLLUP_RANGES), sp->rollup_ranges,
                               (gsize)sp->n_rollups * 2 * sizeof (guint32), NULL);
      gloss_image_set_section (image, space_section (s, SPACE_ROLLUP_BITS), sp->rollup_bits,
                               (gsize)sp->n_rollups * bitset, NULL);
    }

  gloss_image_set_section (image, GLOSS_SECTION_INDEX_KEYS, self->keys, self->keys_size, NULL);
  gloss_image_set_section (image, GLOSS_SECTION_INDEX_KEY_OFFSETS, self->key_offsets,
                           ((gsize)self->n_keys + 1) * sizeof (guint32), NULL);
  gloss_image_set_section (image, GLOSS_SECTION_INDEX_KEY_DOCS, self->key_docs,
                           (gsize)self->n_keys * sizeof (guint32), NULL);
  gloss_image_set_section (image, GLOSS_SECTION_INDEX_TAGS, self->tags, self->tags_size, NULL);
  gloss_image_set_section (image, GLOSS_SECTION_INDEX_TAG_OFFSETS, self->tag_offsets,
                           ((gsize)self->n_tags + 1) * sizeof (guint32), NULL);
  gloss_image_set_section (image, GLOSS_SECTION_INDEX_TAG_DOC_OFFSETS, self->tag_doc_offsets,
                           ((gsize)self->n_tags + 1) * sizeof (guint32), NULL);
  gloss_image_set_section (image, GLOSS_SECTION_INDEX_TAG_DOCS, self->tag_docs,
                           (gsize)self->tag_doc_offsets[self->n_tags] * sizeof (guint32), NULL);

  /* A checksum a block of the lazily checked sections, in section order. */
  {
    GArray *sums = g_array_new (FALSE, FALSE, sizeof (guint32));

    for (guint id = 0; id < GLOSS_N_SECTIONS; id++)
      {
        gsize size;
        const guint8 *data;

        if (!gloss_section_is_lazy (id))
          continue;
        data = gloss_image_section (image, id, &size);
        for (gsize off = 0; off < size; off += GLOSS_CACHE_BLOCK_SIZE)
          {
            guint32 sum = gloss_hash64 (data + off, MIN (GLOSS_CACHE_BLOCK_SIZE, size - off), 0);

            g_array_append_val (sums, sum);
          }
      }
    gloss_image_set_section (image, GLOSS_SECTION_INDEX_BLOCKS, sums->data,
                             sums->len * sizeof (guint32), g_free);
    g_array_free (sums, FALSE);
  }
}

/* Whether [@start, @start + @len) of the lazily checked section @id is
 * sound: each of its blocks is checked against its checksum the first
 * time (always sound in a built index). A varint may be read up to four
 * bytes past its list: those bytes are checked too. */
static gboolean
check_blocks (GlossIndex    *self,
              GlossSectionId id,
              gsize          start,
              gsize          len)
{
  gsize size;
  const guint8 *data;
  gsize first;
  gsize last;

  if (self->block_sums == NULL)
    return TRUE;

  data = gloss_image_section (self->image, id, &size);
  if (size == 0)
    return TRUE;

  first = start / GLOSS_CACHE_BLOCK_SIZE;
  last = MIN (start + len + 4, size - 1) / GLOSS_CACHE_BLOCK_SIZE;

  for (gsize b = first; b <= last; b++)
    {
      guint k = self->block_base[id - GLOSS_SECTION_INDEX_SPACE0] + b;
      gint bit = 1 << (k % 32);
      gsize off = b * GLOSS_CACHE_BLOCK_SIZE;

      if (g_atomic_int_get (&self->block_ok[k / 32]) & bit)
        continue;

      if ((guint32)gloss_hash64 (data + off, MIN (GLOSS_CACHE_BLOCK_SIZE, size - off), 0) !=
          self->block_sums[k])
        {
          g_atomic_int_set (&self->damaged, 1);
          return FALSE;
        }

      g_atomic_int_or ((guint *)&self->block_ok[k / 32], bit);
    }

  return TRUE;
}

static gboolean
bad_index (GError    **error,
           const char *what)
{
  g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "damaged cache: index %s", what);
  return FALSE;
}

/* Points @out at section @id when it holds exactly @size bytes. */
static gboolean
take_section (GlossImage     *image,
              GlossSectionId  id,
              guint64         size,
              gconstpointer  *out)
{
  gsize actual;

  *out = gloss_image_section (image, id, &actual);
  return actual == size;
}

/* Offsets into a blob of @blob_size bytes: from 0, never down, ending at
 * @last (when not G_MAXUINT64), each below the blob's size. */
static gboolean
check_offsets (const guint32 *offsets,
               guint          n,
               guint64        last)
{
  for (guint i = 0; i < n; i++)
    {
      if (offsets[i + 1] < offsets[i])
        return FALSE;
    }

  return offsets[0] == 0 && (last == G_MAXUINT64 || offsets[n] == last);
}

/* The strings of a table: each in the blob, NUL-terminated, valid UTF-8;
 * when @packed, laid out one after the other (each offset where the string
 * before ended, exactly one NUL each: the lengths the offsets imply are
 * the strings' own); when @sorted, in strictly increasing byte order,
 * which the binary searches and the typo walk rely on. A table neither
 * packed nor sorted (the keys) is only read through strncmp: each offset in
 * the blob and a NUL at its end suffice. */
static gboolean
check_string_table (const char    *blob,
                    guint64        blob_size,
                    const guint32 *offsets,
                    guint          n,
                    gboolean       packed,
                    gboolean       sorted)
{
  gsize n_nul;

  if (n == 0)
    return TRUE;
  if (blob_size == 0 || blob[blob_size - 1] != '\0')
    return FALSE;

  if (!packed)
    {
      for (guint i = 0; i < n; i++)
        if (offsets[i] >= blob_size)
          return FALSE;
      return TRUE;
    }

  if (!gloss_utf8_check (blob, blob_size, &n_nul) || n_nul != n)
    return FALSE;

  for (guint i = 0; i < n; i++)
    {
      guint64 end = i + 1 < n ? offsets[i + 1] : blob_size;

      if (offsets[i] >= end || end > blob_size || blob[end - 1] != '\0')
        return FALSE;
      if (sorted && i > 0 && strcmp (blob + offsets[i - 1], blob + offsets[i]) >= 0)
        return FALSE;
    }

  return TRUE;
}

/**
 * _gloss_index_new_from_image:
 *
 * The index as the image holds it, used in place. Everything a search or
 * an explanation reads is checked first (sizes, offsets, document numbers,
 * the order and encoding of the word tables): a damaged or forged file is
 * refused, never read out of bounds. What is left unchecked, the postings'
 * content, is read with bounds (five bytes a number, documents below the
 * count), so that it can only ever give wrong results, and the checksum
 * makes even that unlikely.
 */
GlossIndex *
_gloss_index_new_from_image (GlossBundle  *bundle,
                             GlossImage   *image,
                             GError      **error)
{
  g_autoptr(GlossIndex) self = g_object_new (GLOSS_TYPE_INDEX, NULL);
  g_autofree guint8 *seen = NULL;
  const IndexInfo *info;
  gconstpointer p;
  guint n;
  guint64 docs;
  guint64 bitset;
  guint64 words;

  /* From here on the arrays are the image's: never freed with the index. */
  self->image = gloss_image_ref (image);

  if (!take_section (image, GLOSS_SECTION_INDEX_INFO, sizeof (IndexInfo), &p))
    return bad_index (error, "info"), NULL;
  info = p;

  n = info->n_docs;
  if (n != gloss_bundle_get_n_entries (bundle) || info->n_bitwords != (n + 63) / 64 ||
      !(info->avg_length >= 1.0f && info->avg_length <= 1e12f) ||
      info->n_words >= G_MAXUINT32 || info->n_keys >= G_MAXUINT32 ||
      info->n_tags >= G_MAXUINT32)
    return bad_index (error, "counts"), NULL;

  self->n_docs = n;
  self->n_bitwords = info->n_bitwords;
  self->rollup_threshold = info->rollup_threshold;
  self->avg_length = info->avg_length;
  self->n_words = info->n_words;
  self->vocab_size = info->vocab_size;
  self->n_keys = info->n_keys;
  self->keys_size = info->keys_size;
  self->n_tags = info->n_tags;
  self->tags_size = info->tags_size;

  docs = (guint64)n * sizeof (guint32);
  bitset = (guint64)self->n_bitwords * sizeof (guint64);
  words = ((guint64)self->n_words + 1) * sizeof (guint32);

#define TAKE(id, size, field)                                                   \
  G_STMT_START {                                                                \
    if (!take_section (image, id, size, &p))                                    \
      return bad_index (error, #field), NULL;                                   \
    self->field = (gpointer)p;                                                  \
  } G_STMT_END

  TAKE (GLOSS_SECTION_INDEX_DOC_POSITION, docs, doc_position);
  TAKE (GLOSS_SECTION_INDEX_POSITION_DOC, docs, position_doc);
  TAKE (GLOSS_SECTION_INDEX_DOC_LENGTH, docs, doc_length);
  TAKE (GLOSS_SECTION_INDEX_MATURE_BITS, bitset, mature_bits);
  TAKE (GLOSS_SECTION_INDEX_VOCAB, self->vocab_size, vocab);
  TAKE (GLOSS_SECTION_INDEX_VOCAB_OFFSETS, words, vocab_offsets);
  TAKE (GLOSS_SECTION_INDEX_KEYS, self->keys_size, keys);
  TAKE (GLOSS_SECTION_INDEX_KEY_OFFSETS, ((guint64)self->n_keys + 1) * 4, key_offsets);
  TAKE (GLOSS_SECTION_INDEX_KEY_DOCS, (guint64)self->n_keys * 4, key_docs);
  TAKE (GLOSS_SECTION_INDEX_TAGS, self->tags_size, tags);
  TAKE (GLOSS_SECTION_INDEX_TAG_OFFSETS, ((guint64)self->n_tags + 1) * 4, tag_offsets);
  TAKE (GLOSS_SECTION_INDEX_TAG_DOC_OFFSETS, ((guint64)self->n_tags + 1) * 4, tag_doc_offsets);
  TAKE (GLOSS_SECTION_INDEX_TAG_DOCS, (guint64)self->tag_doc_offsets[self->n_tags] * 4, tag_docs);

  for (guint s = 0; s < N_SPACES; s++)
    {
      Space *sp = &self->spaces[s];

      sp->n_rollups = info->n_rollups[s];
      sp->data_size = info->data_size[s];
      if (sp->data_size > G_MAXUINT32 || sp->n_rollups > self->n_words)
        return bad_index (error, "space counts"), NULL;
      TAKE (space_section (s, SPACE_CUM), words, spaces[s].cum);
      TAKE (space_section (s, SPACE_OFFSETS), words, spaces[s].offsets);
      TAKE (space_section (s, SPACE_DATA), sp->data_size + 8, spaces[s].data);
      TAKE (space_section (s, SPACE_ROLLUP_RANGES), (guint64)sp->n_rollups * 8,
            spaces[s].rollup_ranges);
      TAKE (space_section (s, SPACE_ROLLUP_BITS), (guint64)sp->n_rollups * bitset,
            spaces[s].rollup_bits);
    }
#undef TAKE

  /* The lazily checked sections' block checksums */
  {
    guint n_blocks = 0;
    gsize blocks_size;

    for (guint id = GLOSS_SECTION_INDEX_SPACE0; id <= GLOSS_SECTION_INDEX_SPACE_LAST; id++)
      {
        gsize size;

        if (!gloss_section_is_lazy (id))
          continue;
        gloss_image_section (image, id, &size);
        self->block_base[id - GLOSS_SECTION_INDEX_SPACE0] = n_blocks;
        n_blocks += (size + GLOSS_CACHE_BLOCK_SIZE - 1) / GLOSS_CACHE_BLOCK_SIZE;
      }

    self->block_sums = gloss_image_section (image, GLOSS_SECTION_INDEX_BLOCKS, &blocks_size);
    if (blocks_size != (gsize)n_blocks * sizeof (guint32))
      return bad_index (error, "block checksums"), NULL;
    self->block_ok = g_new0 (gint, n_blocks / 32 + 1);
  }

  /* Documents: a permutation of the positions, and its inverse. */
  seen = g_new0 (guint8, n + 1);
  for (guint d = 0; d < n; d++)
    {
      guint32 pos = self->doc_position[d];

      if (pos >= n || seen[pos] || self->position_doc[pos] != d)
        return bad_index (error, "documents"), NULL;
      seen[pos] = 1;
    }

  if (!check_offsets (self->vocab_offsets, self->n_words, self->vocab_size) ||
      !check_string_table (self->vocab, self->vocab_size, self->vocab_offsets, self->n_words,
                           TRUE, TRUE))
    return bad_index (error, "vocabulary"), NULL;

  for (guint s = 0; s < N_SPACES; s++)
    {
      const Space *sp = &self->spaces[s];

      if (!check_offsets (sp->cum, self->n_words, G_MAXUINT64) ||
          !check_offsets (sp->offsets, self->n_words, sp->data_size))
        return bad_index (error, "postings"), NULL;

      for (guint r = 0; r < sp->n_rollups; r++)
        {
          const guint32 *range = sp->rollup_ranges + 2 * r;

          if (range[0] >= range[1] || range[1] > self->n_words ||
              (r > 0 && (range[-2] > range[0] || (range[-2] == range[0] && range[-1] >= range[1]))))
            return bad_index (error, "rollups"), NULL;
        }
    }

  if (!check_offsets (self->key_offsets, self->n_keys, G_MAXUINT64) ||
      !check_string_table (self->keys, self->keys_size, self->key_offsets, self->n_keys,
                           FALSE, FALSE))
    return bad_index (error, "keys"), NULL;
  for (guint k = 0; k < self->n_keys; k++)
    if ((self->key_docs[k] & ~KEY_ALIAS) >= n)
      return bad_index (error, "key documents"), NULL;

  if (!check_offsets (self->tag_offsets, self->n_tags, G_MAXUINT64) ||
      !check_string_table (self->tags, self->tags_size, self->tag_offsets, self->n_tags,
                           TRUE, TRUE) ||
      !check_offsets (self->tag_doc_offsets, self->n_tags, G_MAXUINT64))
    return bad_index (error, "tags"), NULL;
  for (guint k = 0; k < self->tag_doc_offsets[self->n_tags]; k++)
    if (self->tag_docs[k] >= n)
      return bad_index (error, "tag documents"), NULL;

  g_weak_ref_set (&self->bundle, bundle);

  return g_steal_pointer (&self);
}

/* Searching */

/* The first word in [lo, hi) of the sorted @strings whose first @len bytes
 * compare >= @s (@upper: > @s) — the bounds of the words starting with @s. */
static guint
bound (const char    *blob,
       const guint32 *offsets,
       guint          lo,
       guint          hi,
       const char    *s,
       guint          len,
       gboolean       upper)
{
  while (lo < hi)
    {
      guint mid = lo + (hi - lo) / 2;
      int cmp = strncmp (blob + offsets[mid], s, len);

      if (cmp < 0 || (upper && cmp == 0))
        lo = mid + 1;
      else
        hi = mid;
    }

  return lo;
}

static inline guint
vocab_bound (GlossIndex *self,
             guint       lo,
             guint       hi,
             const char *s,
             guint       len,
             gboolean    upper)
{
  return bound (self->vocab, self->vocab_offsets, lo, hi, s, len, upper);
}

/* Whether the NUL-terminated @s (@len bytes) is a word in [lo, hi). */
static gboolean
vocab_lookup (GlossIndex *self,
              guint       lo,
              guint       hi,
              const char *s,
              guint       len,
              guint      *found)
{
  guint g = vocab_bound (self, lo, hi, s, len + 1, FALSE);

  if (g < hi && strcmp (vocab_word (self, g), s) == 0)
    {
      *found = g;
      return TRUE;
    }

  return FALSE;
}

static void
add_candidate (GlossIndex *self,
               guint       lo,
               guint       hi,
               GString    *candidate,
               GArray     *out)
{
  guint g;

  if (vocab_lookup (self, lo, hi, candidate->str, candidate->len, &g))
    g_array_append_val (out, g);
}

static int
compare_guint32 (gconstpointer a,
                 gconstpointer b)
{
  guint32 x = *(const guint32 *)a;
  guint32 y = *(const guint32 *)b;

  return x < y ? -1 : x > y;
}

/* Appends to @out the vocabulary words one edit (insertion, deletion,
 * substitution or transposition of neighbours) away from @word, by walking
 * the sorted vocabulary: an edit at position i keeps the first i characters,
 * so each position costs a few binary searches in a shrinking range, plus one
 * per distinct next character for substitutions and insertions. */
static void
find_typos (GlossIndex *self,
            const char *word,
            guint       len,
            GArray     *out)
{
  g_autoptr(GString) candidate = g_string_sized_new (len + 8);
  guint lo = 0;
  guint hi = self->n_words;
  guint i = 0;

  while (lo < hi)
    {
      guint clen = i < len ? (guint)(g_utf8_next_char (word + i) - (word + i)) : 0;
      guint c = lo;

      if (i < len)
        {
          /* deletion */
          g_string_truncate (candidate, 0);
          g_string_append_len (candidate, word, i);
          g_string_append_len (candidate, word + i + clen, len - i - clen);
          add_candidate (self, lo, hi, candidate, out);

          /* transposition */
          if (i + clen < len)
            {
              const char *second = word + i + clen;
              guint c2len = g_utf8_next_char (second) - second;

              if (c2len != clen || memcmp (second, word + i, clen) != 0)
                {
                  g_string_truncate (candidate, 0);
                  g_string_append_len (candidate, word, i);
                  g_string_append_len (candidate, second, c2len);
                  g_string_append_len (candidate, word + i, clen);
                  g_string_append_len (candidate, second + c2len, len - i - clen - c2len);
                  add_candidate (self, lo, hi, candidate, out);
                }
            }
        }

      /* substitutions and insertions: one per next character in the range */
      if (c < hi && vocab_word_len (self, c) == i)
        c++;
      while (c < hi)
        {
          const char *w = vocab_word (self, c);
          guint wclen = g_utf8_next_char (w + i) - (w + i);
          guint chi;

          /* Skip scripts written without spaces, whose windows would make
           * thousands of next characters. */
          if ((guchar)w[i] >= 0xE3 && (guchar)w[i] <= 0xE9)
            {
              g_string_truncate (candidate, 0);
              g_string_append_len (candidate, w, i);
              g_string_append_c (candidate, (char)0xEA);
              c = vocab_bound (self, c, hi, candidate->str, i + 1, FALSE);
              continue;
            }

          chi = vocab_bound (self, c, hi, w, i + wclen, TRUE);

          if (i < len && (wclen != clen || memcmp (w + i, word + i, clen) != 0))
            {
              g_string_truncate (candidate, 0);
              g_string_append_len (candidate, w, i + wclen);
              g_string_append_len (candidate, word + i + clen, len - i - clen);
              add_candidate (self, c, chi, candidate, out);
            }

          g_string_truncate (candidate, 0);
          g_string_append_len (candidate, w, i + wclen);
          g_string_append_len (candidate, word + i, len - i);
          add_candidate (self, c, chi, candidate, out);

          c = chi;
        }

      if (i >= len)
        break;

      lo = vocab_bound (self, lo, hi, word, i + clen, FALSE);
      hi = vocab_bound (self, lo, hi, word, i + clen, TRUE);
      i += clen;
    }

  if (out->len > 1)
    {
      guint n = 1;

      if (out->len > 0)
        qsort (out->data, out->len, sizeof (guint32), compare_guint32);
      for (guint k = 1; k < out->len; k++)
        {
          if (g_array_index (out, guint32, k) != g_array_index (out, guint32, n - 1))
            g_array_index (out, guint32, n++) = g_array_index (out, guint32, k);
        }
      g_array_set_size (out, n);
    }
}

typedef struct
{
  char     *text;
  guint     len;
  GArray   *ranges;       /* of guint32 pairs [lo, hi) in the vocabulary */
  GArray   *typos;        /* of guint32: words one edit away, outside ranges */
  gboolean  whole;        /* typed in full: matches as a word, not a prefix */
} QueryWord;

typedef struct
{
  const char *text;          /* while parsing */
  char      *key;            /* the whole query, for the exact and prefix tiers */
  char      *accented;       /* the same, accents kept (accented_key ()) */
  QueryWord  words[MAX_QUERY_WORDS];
  guint      n_words;
  gboolean   typo;           /* some word has words one edit away to try */
} Query;

/* Whether the word ending at @end of @text was typed in full: punctuation
 * follows it at once ("c" in "c++", "tcp" in "tcp/ip", "e" in "e-mail"), so
 * that it is not the start of a longer word being typed. */
static gboolean
word_is_whole (const char *text,
               gsize       end)
{
  return g_ascii_ispunct (text[end]);
}

static void
query_add_word (Query      *query,
                const char *text,
                guint       len,
                gboolean    whole)
{
  QueryWord *word;

  if (query->n_words >= MAX_QUERY_WORDS)
    return;

  for (guint i = 0; i < query->n_words; i++)
    {
      if (query->words[i].len == len && memcmp (query->words[i].text, text, len) == 0)
        return;
    }

  word = &query->words[query->n_words++];
  word->text = g_strndup (text, len);
  word->len = len;
  word->ranges = g_array_new (FALSE, FALSE, sizeof (guint32));
  word->typos = g_array_new (FALSE, FALSE, sizeof (guint32));
  word->whole = whole;
}

static gboolean
query_on_token (const GlossToken *token,
                gpointer          user_data)
{
  Query *query = user_data;
  const char *end = token->text + token->len;
  const char *p = token->text;

  if (token->kind == GLOSS_TOKEN_WORD)
    {
      query_add_word (query, token->text, token->len, word_is_whole (query->text, token->end));
      return TRUE;
    }

  /* A no-space run longer than the indexed windows: every window must be
   * there (the last one ends with the run). */
  for (;;)
    {
      const char *q = p;
      guint i;

      for (i = 0; i < NO_SPACE_WINDOW && q < end; i++)
        q = g_utf8_next_char (q);

      if (q == end && p != token->text && i < NO_SPACE_WINDOW)
        {
          /* Move the last window back so that it is a full one. */
          p = q;
          for (i = 0; i < NO_SPACE_WINDOW; i++)
            p = g_utf8_prev_char (p);
        }

      query_add_word (query, p, q - p, FALSE);
      if (q == end)
        break;
      p = q;
    }

  return TRUE;
}

static void
query_clear (Query *query)
{
  g_free (query->key);
  g_free (query->accented);
  for (guint i = 0; i < query->n_words; i++)
    {
      g_free (query->words[i].text);
      g_array_unref (query->words[i].ranges);
      g_array_unref (query->words[i].typos);
    }
}

/* A term or query with its case folded and its white space made single
 * spaces, but its accents kept: "Résumé" is "résumé", not "resume". */
static char *
accented_key (const char *text)
{
  g_autofree char *nfc = g_utf8_normalize (text, -1, G_NORMALIZE_NFC);
  g_autofree char *folded = g_utf8_casefold (nfc != NULL ? nfc : "", -1);
  g_auto(GStrv) words = g_strsplit_set (folded, " \t\n\r", -1);
  GString *out = g_string_new (NULL);

  for (guint i = 0; words[i] != NULL; i++)
    {
      if (words[i][0] == '\0')
        continue;
      if (out->len > 0)
        g_string_append_c (out, ' ');
      g_string_append (out, words[i]);
    }

  return g_string_free (out, FALSE);
}

/* Moves from @exact to @accented the entries whose term is the query with
 * its accents as typed: of "Resume" and "Résumé", both the query "résumé"
 * folded, "résumé" finds "Résumé" first. Only when there are several. */
static void
split_accented (GlossIndex  *self,
                const Query *query,
                guint64     *exact,
                guint64     *accented)
{
  g_autoptr(GlossBundle) bundle = NULL;
  guint n = 0;

  for (guint k = 0; k < self->n_bitwords && n < 2; k++)
    n += __builtin_popcountll (exact[k]);
  if (n < 2)
    return;

  bundle = g_weak_ref_get (&self->bundle);
  if (bundle == NULL || bundle->image == NULL)
    return;

  for (guint k = 0; k < self->n_bitwords; k++)
    {
      guint64 w = exact[k];

      while (w != 0)
        {
          guint doc = k * 64 + __builtin_ctzll (w);
          guint position = self->doc_position[doc];
          g_autofree char *term = NULL;

          w &= w - 1;
          if (position >= bundle->image->n_entries)
            continue;
          term = accented_key (bundle->image->strings + bundle->image->entries[position].term);
          if (strcmp (term, query->accented) == 0)
            {
              bit_set (accented, doc);
              exact[k] &= ~(G_GUINT64_CONSTANT (1) << (doc % 64));
            }
        }
    }
}

static void
query_parse (GlossIndex *self,
             Query      *query,
             const char *text)
{
  g_autofree char *valid = NULL;
  gsize len = strlen (text);

  memset (query, 0, sizeof *query);

  if (len > MAX_QUERY_BYTES)
    len = g_utf8_find_prev_char (text, text + MAX_QUERY_BYTES + 1) - text;
  valid = g_utf8_make_valid (text, len);

  query->key = gloss_fold_key (valid, -1);
  query->accented = accented_key (valid);
  query->text = valid;
  gloss_fold_tokenize (valid, -1, GLOSS_TOKENIZE_NONE, query_on_token, query);
  query->text = NULL;

  for (guint i = 0; i < query->n_words; i++)
    {
      QueryWord *word = &query->words[i];
      guint32 range[2];
      guint32 in_names = 0;

      range[0] = vocab_bound (self, 0, self->n_words, word->text, word->len, FALSE);
      range[1] = vocab_bound (self, range[0], self->n_words, word->text, word->len, TRUE);

      /* A word typed in full is the one word, the first of its range. */
      if (word->whole && range[0] < range[1])
        range[1] = vocab_word_len (self, range[0]) == word->len ? range[0] + 1 : range[0];

      if (range[0] < range[1])
        {
          g_array_append_vals (word->ranges, range, 2);
          in_names = self->spaces[SPACE_NAMES].cum[range[1]] - self->spaces[SPACE_NAMES].cum[range[0]] +
                     self->spaces[SPACE_TAGS].cum[range[1]] - self->spaces[SPACE_TAGS].cum[range[0]];
        }

      /* A word that starts no word of a term, alias, title or tag may be a
       * misspelling even where some article has it ("recieve"): the words
       * one edit away are tried too, below every match of the word itself. */
      if (in_names == 0 &&
          g_utf8_strlen (word->text, word->len) >= TYPO_MIN_CHARS &&
          !gloss_fold_is_no_space (g_utf8_get_char (word->text)))
        {
          g_autoptr(GArray) found = g_array_new (FALSE, FALSE, sizeof (guint32));

          find_typos (self, word->text, word->len, found);
          for (guint k = 0; k < found->len; k++)
            {
              guint32 g = g_array_index (found, guint32, k);

              if (range[0] >= range[1] || g < range[0] || g >= range[1])
                g_array_append_val (word->typos, g);
            }
          query->typo |= word->typos->len > 0;
        }
    }
}

/* Makes the query's second pass: each word with words one edit away
 * matches them as well as itself. */
static void
query_add_typos (Query *query)
{
  for (guint i = 0; i < query->n_words; i++)
    {
      QueryWord *word = &query->words[i];

      for (guint k = 0; k < word->typos->len; k++)
        {
          guint32 range[2];

          range[0] = g_array_index (word->typos, guint32, k);
          range[1] = range[0] + 1;
          g_array_append_vals (word->ranges, range, 2);
        }
    }
}

static const guint64 *
find_rollup (GlossIndex  *self,
             const Space *sp,
             guint32      lo,
             guint32      hi)
{
  guint a = 0;
  guint b = sp->n_rollups;

  while (a < b)
    {
      guint mid = a + (b - a) / 2;
      const guint32 *r = sp->rollup_ranges + 2 * mid;

      if (r[0] < lo || (r[0] == lo && r[1] < hi))
        a = mid + 1;
      else
        b = mid;
    }

  if (a < sp->n_rollups && sp->rollup_ranges[2 * a] == lo && sp->rollup_ranges[2 * a + 1] == hi)
    return sp->rollup_bits + (gsize)a * self->n_bitwords;

  return NULL;
}

/* Sets in @bits the documents where @word occurs in @space. */
static void
word_bits (GlossIndex      *self,
           guint            space,
           const QueryWord *word,
           guint64         *bits)
{
  const Space *sp = &self->spaces[space];

  if (self->n_bitwords > 0)
    memset (bits, 0, self->n_bitwords * sizeof (guint64));

  for (guint r = 0; r < word->ranges->len; r += 2)
    {
      guint32 lo = g_array_index (word->ranges, guint32, r);
      guint32 hi = g_array_index (word->ranges, guint32, r + 1);

      if (sp->cum[hi] - sp->cum[lo] > self->rollup_threshold)
        {
          const guint64 *rollup = find_rollup (self, sp, lo, hi);

          if (rollup != NULL &&
              check_blocks (self, space_section (space, SPACE_ROLLUP_BITS),
                            (const guint8 *)rollup - (const guint8 *)sp->rollup_bits,
                            self->n_bitwords * sizeof (guint64)))
            {
              for (guint k = 0; k < self->n_bitwords; k++)
                bits[k] |= rollup[k];
              continue;
            }
        }

      for (guint g = lo; g < hi; g++)
        {
          if (sp->cum[g + 1] > sp->cum[g] &&
              check_blocks (self, space_section (space, SPACE_DATA), sp->offsets[g],
                            sp->offsets[g + 1] - sp->offsets[g]))
            or_postings (sp, g, self->n_docs, bits);
        }
    }
}

/* The entries the user chose not to see. */
static void
excluded_bits (GlossIndex  *self,
               GlossFilter *filter,
               guint64     *bits)
{
  const char * const *hidden = gloss_filter_get_hidden_tags (filter);

  /* memset and memcpy want valid pointers even for zero bytes. */
  if (self->n_bitwords == 0)
    return;

  if (gloss_filter_get_include_mature (filter))
    memset (bits, 0, self->n_bitwords * sizeof (guint64));
  else
    memcpy (bits, self->mature_bits, self->n_bitwords * sizeof (guint64));

  for (guint i = 0; hidden[i] != NULL; i++)
    {
      guint len = strlen (hidden[i]);
      guint t = bound (self->tags, self->tag_offsets, 0, self->n_tags, hidden[i], len + 1, FALSE);

      if (t < self->n_tags && strcmp (self->tags + self->tag_offsets[t], hidden[i]) == 0)
        {
          for (guint k = self->tag_doc_offsets[t]; k < self->tag_doc_offsets[t + 1]; k++)
            bit_set (bits, self->tag_docs[k]);
        }
    }
}

typedef struct
{
  float   score;
  guint32 doc;
} Scored;

/* Whether @a ranks below @b: lower score, then later term. */
static inline gboolean
scored_worse (const Scored *a,
              const Scored *b)
{
  return a->score < b->score || (a->score == b->score && a->doc > b->doc);
}

static void
heap_sift_down (Scored *heap,
                guint   n,
                guint   i)
{
  for (;;)
    {
      guint worst = i;
      guint l = 2 * i + 1;
      guint r = l + 1;
      Scored tmp;

      if (l < n && scored_worse (&heap[l], &heap[worst]))
        worst = l;
      if (r < n && scored_worse (&heap[r], &heap[worst]))
        worst = r;
      if (worst == i)
        return;

      tmp = heap[i];
      heap[i] = heap[worst];
      heap[worst] = tmp;
      i = worst;
    }
}

static int
compare_scored (gconstpointer a,
                gconstpointer b)
{
  const Scored *x = a;
  const Scored *y = b;

  if (scored_worse (x, y))
    return 1;
  if (scored_worse (y, x))
    return -1;
  return 0;
}

/* Adds to @scores the BM25 weight of @word's body postings, for the
 * documents in @candidates. A short prefix can stand for a million postings;
 * past SCORE_BUDGET of them, the commonest words (which weigh least) are
 * left out, and then the rest of the range, so a query costs a bounded
 * time: the score is BM25-like, not BM25. */
static void
score_word (GlossIndex      *self,
            const QueryWord *word,
            const guint64   *candidates,
            float           *scores)
{
  const Space *sp = &self->spaces[SPACE_BODY];
  guint32 total = 0;
  guint32 max_df = G_MAXUINT32;
  guint32 budget = SCORE_BUDGET;

  for (guint r = 0; r < word->ranges->len; r += 2)
    total += sp->cum[g_array_index (word->ranges, guint32, r + 1)] -
             sp->cum[g_array_index (word->ranges, guint32, r)];
  if (total > SCORE_BUDGET)
    max_df = MAX (self->n_docs / 16, 1);

  for (guint r = 0; r < word->ranges->len && budget > 0; r += 2)
    {
      guint32 lo = g_array_index (word->ranges, guint32, r);
      guint32 hi = g_array_index (word->ranges, guint32, r + 1);

      for (guint g = lo; g < hi && budget > 0; g++)
        {
          guint32 df = sp->cum[g + 1] - sp->cum[g];
          const guint8 *p = sp->data + sp->offsets[g];
          const guint8 *end = sp->data + sp->offsets[g + 1];
          guint32 doc = 0;
          float idf;

          if (df == 0 || df > max_df ||
              !check_blocks (self, space_section (SPACE_BODY, SPACE_DATA), sp->offsets[g],
                             sp->offsets[g + 1] - sp->offsets[g]))
            continue;

          budget = df < budget ? budget - df : 0;
          idf = ln_approx (1.0f + (self->n_docs - df + 0.5f) / (df + 0.5f));
          while (p < end)
            {
              guint32 v;

              p = read_varint (p, &v);
              doc += v >> TF_BITS;
              if (G_UNLIKELY (doc >= self->n_docs))
                break;
              if (bit_get (candidates, doc))
                {
                  float tf = (v & (TF_MAX - 1)) + 1;
                  float norm = 1.0f - BM25_B + BM25_B * self->doc_length[doc] / self->avg_length;

                  scores[doc] += idf * tf * (BM25_K1 + 1.0f) / (tf + BM25_K1 * norm);
                }
            }
        }
    }
}

typedef struct
{
  GArray *matches;
  guint   limit;
  guint   step;      /* of the ranking, for GlossMatch.step */
} Collector;

static inline gboolean
collector_full (const Collector *c)
{
  return c->limit > 0 && c->matches->len >= c->limit;
}

/* Adds the documents of @bits, in term order, until the limit. */
static void
collect_in_order (GlossIndex     *self,
                  Collector      *c,
                  const guint64  *bits,
                  GlossMatchTier  tier)
{
  for (guint k = 0; k < self->n_bitwords && !collector_full (c); k++)
    {
      guint64 w = bits[k];

      while (w != 0 && !collector_full (c))
        {
          guint doc = k * 64 + __builtin_ctzll (w);
          GlossMatch match = { self->doc_position[doc], tier, 0.0f, c->step };

          g_array_append_val (c->matches, match);
          w &= w - 1;
        }
    }
}

/* Adds the documents of @bits by BM25 score, best first, until the limit. */
static void
collect_by_score (GlossIndex     *self,
                  Collector      *c,
                  Query          *query,
                  const guint64  *bits,
                  GlossMatchTier  tier)
{
  g_autofree float *scores = g_new0 (float, self->n_docs + 1);
  g_autofree Scored *heap = NULL;
  guint want = c->limit > 0 ? c->limit - c->matches->len : G_MAXUINT;
  guint n = 0;
  guint alloc = MIN (want, 1024);

  for (guint i = 0; i < query->n_words; i++)
    score_word (self, &query->words[i], bits, scores);

  heap = g_new (Scored, alloc);
  for (guint k = 0; k < self->n_bitwords; k++)
    {
      guint64 w = bits[k];

      while (w != 0)
        {
          Scored s = { 0, k * 64 + __builtin_ctzll (w) };

          s.score = scores[s.doc];
          w &= w - 1;

          if (n < want)
            {
              if (n == alloc)
                {
                  alloc *= 2;
                  heap = g_renew (Scored, heap, alloc);
                }
              heap[n++] = s;
              if (n == want)
                {
                  for (guint j = n / 2; j > 0; j--)
                    heap_sift_down (heap, n, j - 1);
                }
            }
          else if (scored_worse (&heap[0], &s))
            {
              heap[0] = s;
              heap_sift_down (heap, n, 0);
            }
        }
    }

  if (n > 0)
    qsort (heap, n, sizeof (Scored), compare_scored);
  for (guint i = 0; i < n; i++)
    {
      GlossMatch match = { self->doc_position[heap[i].doc], tier, heap[i].score, c->step };

      g_array_append_val (c->matches, match);
    }
}

/* Adds to @exact and @prefix the documents whose term or an alias is, or
 * starts with, @key: to the first of each pair for the term, the second
 * for an alias. @prefix may be %NULL. */
static void
key_bits (GlossIndex *self,
          const char *key,
          guint64    *exact,
          guint64    *prefix)
{
  guint len = strlen (key);
  guint W = self->n_bitwords;
  guint lo;
  guint hi;

  if (len == 0)
    return;

  lo = bound (self->keys, self->key_offsets, 0, self->n_keys, key, len, FALSE);
  hi = bound (self->keys, self->key_offsets, lo, self->n_keys, key, len, TRUE);
  for (guint k = lo; k < hi; k++)
    {
      guint32 doc = self->key_docs[k] & ~KEY_ALIAS;
      guint64 *bits = self->keys[self->key_offsets[k] + len] == '\0' ? exact : prefix;

      if (bits != NULL)
        bit_set ((self->key_docs[k] & KEY_ALIAS) ? bits + W : bits, doc);
    }
}

/* Whether @key says more than its words: punctuation the words leave out,
 * as in "c++", ".net" or "tcp/ip". */
static gboolean
key_has_punctuation (const Query *query)
{
  const char *p = query->key;

  for (guint i = 0; i < query->n_words; i++)
    {
      const QueryWord *word = &query->words[i];

      while (*p == ' ')
        p++;
      if (strncmp (p, word->text, word->len) != 0)
        return TRUE;
      p += word->len;
    }
  while (*p == ' ')
    p++;

  return *p != '\0';
}

/* Sets in @bits the documents whose term or an alias has @key in it, up to
 * the end of a word: "Visual C++" and "C/C++" for "c++", "VB.NET" for
 * ".net", but not "Network". A scan of the keys, made only for a query with
 * punctuation in it. */
static void
key_contains_bits (GlossIndex *self,
                   const char *key,
                   guint64    *bits)
{
  gsize len = strlen (key);
  const char *blob = self->keys;
  const char *end = self->keys + self->keys_size;
  const char *p = blob;

  if (len == 0 || self->n_keys == 0)
    return;

  while (p < end && (p = memmem (p, end - p, key, len)) != NULL)
    {
      const char *after = p + len;
      guint32 at = p - blob;
      guint lo = 0;
      guint hi = self->n_keys;

      /* The key it is in: the last one starting at or before it. */
      while (hi - lo > 1)
        {
          guint mid = lo + (hi - lo) / 2;

          if (self->key_offsets[mid] <= at)
            lo = mid;
          else
            hi = mid;
        }

      if (!g_ascii_isalnum (*after) && (guchar)*after < 0x80)
        bit_set (bits, self->key_docs[lo] & ~KEY_ALIAS);
      p++;
    }
}

/* Adds to @exact and @prefix (as key_bits()) the documents whose term or an
 * alias is, or starts with, the query with its words joined otherwise: a
 * query of a few words joined by spaces, hyphens or slashes also finds the
 * names that join them with any of those or nothing ("object oriented
 * programming" is "object-oriented programming", "tcp ip" is "TCP/IP",
 * "e-mail" is "email"). Words run together are an exact match only: "i/o"
 * finds "IO" but not "IOTA". */
static void
spelling_key_bits (GlossIndex  *self,
                   const Query *query,
                   guint64     *exact,
                   guint64     *prefix)
{
  static const char *joins[] = { " ", "-", "/", "" };
  g_autoptr(GString) variant = g_string_new (NULL);
  const char *p = query->key;
  guint n_gaps;
  guint n_variants = 1;

  if (query->n_words < 2 || query->n_words > MAX_SPELLING_WORDS)
    return;

  /* The key must be its words with one space, hyphen or slash between. */
  for (guint i = 0; i < query->n_words; i++)
    {
      const QueryWord *word = &query->words[i];

      if (word->whole && i + 1 == query->n_words)
        return;
      if (strncmp (p, word->text, word->len) != 0)
        return;
      p += word->len;
      if (i + 1 < query->n_words)
        {
          if (*p != ' ' && *p != '-' && *p != '/')
            return;
          p++;
        }
    }
  if (*p != '\0')
    return;

  n_gaps = query->n_words - 1;
  for (guint i = 0; i < n_gaps; i++)
    n_variants *= G_N_ELEMENTS (joins);

  for (guint v = 0; v < n_variants; v++)
    {
      guint code = v;
      gboolean run_together = FALSE;

      g_string_truncate (variant, 0);
      for (guint i = 0; i < query->n_words; i++)
        {
          g_string_append_len (variant, query->words[i].text, query->words[i].len);
          if (i < n_gaps)
            {
              const char *join = joins[code % G_N_ELEMENTS (joins)];

              g_string_append (variant, join);
              run_together |= join[0] == '\0';
              code /= G_N_ELEMENTS (joins);
            }
        }
      if (strcmp (variant->str, query->key) != 0)
        key_bits (self, variant->str, exact, run_together ? NULL : prefix);
    }
}

/* Adds to @exact and @prefix (as key_bits()) the documents whose term or
 * an alias is, or starts with, the query with its misspelt words put right:
 * "algoritm" finds the entry "algorithm" before the entries that merely have
 * the word. Only for a query that is its words, and at most MAX_TYPO_KEYS
 * ways of putting it right. */
static void
typo_key_bits (GlossIndex  *self,
               const Query *query,
               guint64     *exact,
               guint64     *prefix)
{
  g_autoptr(GString) joined = g_string_new (NULL);
  guint counter[MAX_QUERY_WORDS] = { 0 };
  guint n_keys = 1;

  for (guint i = 0; i < query->n_words; i++)
    {
      if (i > 0)
        g_string_append_c (joined, ' ');
      g_string_append_len (joined, query->words[i].text, query->words[i].len);
      n_keys *= MAX (query->words[i].typos->len, 1);
      if (n_keys > MAX_TYPO_KEYS)
        return;
    }
  if (strcmp (joined->str, query->key) != 0)
    return;

  for (guint n = 0; n < n_keys; n++)
    {
      g_string_truncate (joined, 0);
      for (guint i = 0; i < query->n_words; i++)
        {
          const QueryWord *word = &query->words[i];

          if (i > 0)
            g_string_append_c (joined, ' ');
          if (word->typos->len > 0)
            g_string_append (joined, vocab_word (self, g_array_index (word->typos, guint32, counter[i])));
          else
            g_string_append_len (joined, word->text, word->len);
        }
      key_bits (self, joined->str, exact, prefix);

      for (guint i = 0; i < query->n_words; i++)
        {
          if (query->words[i].typos->len == 0)
            continue;
          if (++counter[i] < query->words[i].typos->len)
            break;
          counter[i] = 0;
        }
    }
}

/* One pass of a search: the entries matching every word of @query (with
 * @typo, the words one edit away too) and not in @seen, added to
 * @collector tier by tier, and to @seen. Returns how many there are. */
static guint
search_pass (GlossIndex    *self,
             Query         *query,
             gboolean       typo,
             const guint64 *excluded,
             guint64       *seen,
             Collector     *collector)
{
  guint W = self->n_bitwords;
  g_autofree guint64 *all = g_new (guint64, W);
  g_autofree guint64 *names = g_new (guint64, W);
  g_autofree guint64 *names_tags = g_new (guint64, W);
  g_autofree guint64 *exact = g_new0 (guint64, 2 * (gsize)W);
  g_autofree guint64 *prefix = g_new0 (guint64, 2 * (gsize)W);
  g_autofree guint64 *scratch = g_new (guint64, 3 * (gsize)W);
  g_autofree guint64 *contains = g_new0 (guint64, W);
  g_autofree guint64 *accented = g_new0 (guint64, W);
  guint64 *exact_alias = exact + W;
  guint64 *prefix_alias = prefix + W;
  gboolean any = FALSE;
  guint total = 0;

  for (guint k = 0; k < W; k++)
    {
      all[k] = ~excluded[k] & ~seen[k];
      names[k] = G_MAXUINT64;
      names_tags[k] = G_MAXUINT64;
    }
  if (self->n_docs % 64 != 0)
    all[W - 1] &= (G_GUINT64_CONSTANT (1) << (self->n_docs % 64)) - 1;

  for (guint i = 0; i < query->n_words; i++)
    {
      guint64 *n_bits = scratch;
      guint64 *t_bits = scratch + W;
      guint64 *b_bits = scratch + 2 * W;

      word_bits (self, SPACE_NAMES, &query->words[i], n_bits);
      word_bits (self, SPACE_TAGS, &query->words[i], t_bits);
      word_bits (self, SPACE_BODY, &query->words[i], b_bits);

      for (guint k = 0; k < W; k++)
        {
          all[k] &= n_bits[k] | t_bits[k] | b_bits[k];
          names[k] &= n_bits[k];
          names_tags[k] &= n_bits[k] | t_bits[k];
        }
    }

  if (typo)
    typo_key_bits (self, query, exact, prefix);
  else
    {
      key_bits (self, query->key, exact, prefix);
      spelling_key_bits (self, query, exact, prefix);
      if (key_has_punctuation (query))
        key_contains_bits (self, query->key, contains);
    }

  /* A query of punctuation only ("++") has no words: the keys decide. */
  if (query->n_words == 0)
    memset (all, 0, W * sizeof (guint64));

  /* Tiers: the term is the query, an alias is; the term starts with it, an
   * alias does; words of the names (those with the query as typed in them
   * first); of the tags; the rest, by score. */
  for (guint k = 0; k < W; k++)
    {
      guint64 out = excluded[k] | seen[k];

      exact[k] &= ~out;
      exact_alias[k] &= ~out & ~exact[k];
      prefix[k] &= ~out & ~exact[k] & ~exact_alias[k];
      prefix_alias[k] &= ~out & ~exact[k] & ~exact_alias[k] & ~prefix[k];
      out |= exact[k] | exact_alias[k] | prefix[k] | prefix_alias[k];
      all[k] |= out & ~excluded[k] & ~seen[k];
      names[k] &= all[k] & ~out;
      contains[k] &= names[k];
      names[k] &= ~contains[k];
      names_tags[k] &= all[k] & ~out & ~names[k] & ~contains[k];
      total += __builtin_popcountll (all[k]);
      seen[k] |= all[k];
      all[k] &= ~out & ~contains[k] & ~names[k] & ~names_tags[k];
      any |= all[k] != 0;
    }

  if (!typo)
    split_accented (self, query, exact, accented);

  /* Each step of the ranking numbered the same in every index, so that
   * several bundles' results merge as one (gloss-group.c). */
  collector->step = typo ? STEPS_PER_PASS : 0;
  collect_in_order (self, collector, accented, GLOSS_MATCH_EXACT);
  collector->step++;
  collect_in_order (self, collector, exact, typo ? GLOSS_MATCH_TYPO_NAME : GLOSS_MATCH_EXACT);
  collector->step++;
  collect_in_order (self, collector, exact_alias, typo ? GLOSS_MATCH_TYPO_NAME : GLOSS_MATCH_EXACT);
  collector->step++;
  collect_in_order (self, collector, prefix, typo ? GLOSS_MATCH_TYPO_NAME : GLOSS_MATCH_PREFIX);
  collector->step++;
  collect_in_order (self, collector, prefix_alias, typo ? GLOSS_MATCH_TYPO_NAME : GLOSS_MATCH_PREFIX);
  collector->step++;
  collect_in_order (self, collector, contains, GLOSS_MATCH_NAME);
  collector->step++;
  collect_in_order (self, collector, names, typo ? GLOSS_MATCH_TYPO_NAME : GLOSS_MATCH_NAME);
  collector->step++;
  collect_in_order (self, collector, names_tags, typo ? GLOSS_MATCH_TYPO_TAG : GLOSS_MATCH_TAG);
  collector->step++;

  if (any && !collector_full (collector))
    collect_by_score (self, collector, query, all,
                      typo ? GLOSS_MATCH_TYPO_BODY : GLOSS_MATCH_BODY);

  return total;
}

static GlossResults *
results_new (GArray *matches,
             guint   total)
{
  GlossResults *results = g_new0 (GlossResults, 1);

  g_atomic_ref_count_init (&results->ref_count);
  results->total = total;
  results->n_matches = matches->len;
  results->matches = (GlossMatch *)(gpointer)g_array_free (matches, FALSE);

  return results;
}

/**
 * gloss_index_search:
 * @self: an index
 * @query: what the user typed
 * @filter: (nullable): what the user chose not to see; %NULL for defaults
 * @limit: how many matches to return at most; 0 for all
 *
 * Finds the entries matching every word of @query, ranked as the spec
 * says: exact term or alias, term or alias starting with the query, words
 * of the term, aliases or title, tags, then summary and body by BM25; ties
 * by term, but a term before an alias in the first two tiers, and names
 * with a punctuated query in them as typed ("Visual C++") first in the
 * third. A word of 4 characters or more that starts no word of a name or
 * tag also matches the words one edit away, below every match of the
 * words as typed, in the same tiers (the corrected query as the key).
 *
 * Returns: (transfer full): the results, never %NULL
 */
GlossResults *
gloss_index_search (GlossIndex  *self,
                    const char  *query_text,
                    GlossFilter *filter,
                    guint        limit)
{
  GArray *matches = g_array_new (FALSE, FALSE, sizeof (GlossMatch));
  Collector collector = { matches, limit };
  Query query;
  g_autofree guint64 *excluded = NULL;
  g_autofree guint64 *seen = NULL;
  gboolean typo_possible;
  guint total = 0;

  g_return_val_if_fail (GLOSS_IS_INDEX (self), NULL);
  g_return_val_if_fail (query_text != NULL, NULL);

  if (g_atomic_pointer_get (&self->fallback) != NULL)
    {
      g_array_unref (matches);
      return gloss_index_search (self->fallback, query_text, filter, limit);
    }

  query_parse (self, &query, query_text);

  /* The second pass, with words one edit away, needs every word to match
   * something, as itself or put right. */
  typo_possible = query.typo;
  for (guint i = 0; i < query.n_words && typo_possible; i++)
    typo_possible = query.words[i].ranges->len > 0 || query.words[i].typos->len > 0;

  if (self->n_docs == 0 || query.key[0] == '\0')
    {
      query_clear (&query);
      return results_new (matches, 0);
    }

  excluded = g_new (guint64, self->n_bitwords);
  seen = g_new0 (guint64, self->n_bitwords);
  excluded_bits (self, filter, excluded);

  /* A word that starts no word of the bundle leaves only the names that
   * are the query or start with it: "i/o" is "IO", whose word is "io". */
  total += search_pass (self, &query, FALSE, excluded, seen, &collector);

  if (typo_possible)
    {
      query_add_typos (&query);
      total += search_pass (self, &query, TRUE, excluded, seen, &collector);
    }

  query_clear (&query);

  /* A block failed its check: these results cannot be trusted. The index
   * is built again from the entries' records (once; about a second per
   * 100,000 entries), the cache file removed, and the search made again. */
  if (G_UNLIKELY (g_atomic_int_get (&self->damaged)))
    {
      GlossIndex *fallback;

      g_array_unref (matches);
      g_mutex_lock (&self->fallback_lock);
      if (self->fallback == NULL)
        {
          g_autoptr(GlossBundle) bundle = g_weak_ref_get (&self->bundle);

          g_debug ("a block of the index failed its check: rebuilding the index");
          gloss_image_mark_damaged (self->image);
          if (bundle != NULL)
            g_atomic_pointer_set (&self->fallback, gloss_index_build (bundle, NULL, NULL));
        }
      fallback = self->fallback;
      g_mutex_unlock (&self->fallback_lock);

      if (fallback != NULL)
        return gloss_index_search (fallback, query_text, filter, limit);
      return results_new (g_array_new (FALSE, FALSE, sizeof (GlossMatch)), 0);
    }

  return results_new (matches, total);
}

/* Explaining: done on the entry's text, for the rows shown only. */

#define SNIPPET_WORDS     12
#define SNIPPET_LEAD      3
#define SNIPPET_MAX_BYTES 360

typedef struct
{
  char     *text;
  guint     len;
  guint     n_chars;
  gunichar *chars;
  gboolean  no_space;
  gboolean  typo;       /* starts no word of the bundle: words one edit away match */
  gboolean  whole;      /* typed in full (word_is_whole ()) */
} ExplainWord;

typedef struct
{
  const char  *text;    /* while parsing */
  char        *key;
  ExplainWord  words[MAX_QUERY_WORDS];
  guint        n_words;
} Explain;

typedef struct
{
  gsize start;
  gsize end;
} Span;

typedef struct
{
  gsize start;
  gsize end;
  guint mask;
} ScannedToken;

typedef struct
{
  const Explain *ex;
  const char    *text;
  guint          mask;
  GArray        *hits;      /* of Span, in the scanned text */
  GArray        *tokens;    /* of ScannedToken, or NULL */
} Scan;

static gboolean
explain_on_token (const GlossToken *token,
                  gpointer          user_data)
{
  Explain *ex = user_data;
  ExplainWord *word;

  if (ex->n_words >= MAX_QUERY_WORDS)
    return FALSE;

  word = &ex->words[ex->n_words++];
  word->text = g_strndup (token->text, token->len);
  word->len = token->len;
  word->chars = g_utf8_to_ucs4_fast (word->text, word->len, NULL);
  word->n_chars = g_utf8_strlen (word->text, word->len);
  word->no_space = token->kind == GLOSS_TOKEN_NO_SPACE;
  word->whole = !word->no_space && word_is_whole (ex->text, token->end);
  return TRUE;
}

static void
explain_clear (Explain *ex)
{
  g_free (ex->key);
  for (guint i = 0; i < ex->n_words; i++)
    {
      g_free (ex->words[i].text);
      g_free (ex->words[i].chars);
    }
}

/* Whether @a and @b are at most one insertion, deletion, substitution or
 * transposition of neighbours apart. */
static gboolean
within_one_edit (const gunichar *a,
                 guint           na,
                 const gunichar *b,
                 guint           nb)
{
  guint i = 0;

  if (na > nb + 1 || nb > na + 1)
    return FALSE;

  while (i < na && i < nb && a[i] == b[i])
    i++;
  if (i == na || i == nb)
    return TRUE;

  if (na == nb)
    {
      /* substitution, or transposition */
      if (memcmp (a + i + 1, b + i + 1, (na - i - 1) * sizeof (gunichar)) == 0)
        return TRUE;
      return i + 1 < na && a[i] == b[i + 1] && a[i + 1] == b[i] &&
             memcmp (a + i + 2, b + i + 2, (na - i - 2) * sizeof (gunichar)) == 0;
    }

  if (na > nb)
    return memcmp (a + i + 1, b + i, (na - i - 1) * sizeof (gunichar)) == 0;
  return memcmp (a + i, b + i + 1, (nb - i - 1) * sizeof (gunichar)) == 0;
}

/* Whether @word matches @token as the index would: a word prefix, a
 * substring of a no-space run, or a whole word one edit away. Sets the part
 * of the input to highlight. */
static gboolean
token_matches (const ExplainWord *word,
               const GlossToken  *token,
               const char        *input,
               Span              *hit)
{
  hit->start = token->start;
  hit->end = token->end;

  if (token->kind == GLOSS_TOKEN_NO_SPACE)
    {
      const char *found = g_strstr_len (token->text, token->len, word->text);

      if (found == NULL)
        return FALSE;

      /* Highlight just the substring when folding changed nothing. */
      if (token->end - token->start == token->len &&
          memcmp (input + token->start, token->text, token->len) == 0)
        {
          hit->start = token->start + (found - token->text);
          hit->end = hit->start + word->len;
        }
      return TRUE;
    }

  if (word->no_space)
    return FALSE;

  if ((word->whole ? token->len == word->len : token->len >= word->len) &&
      memcmp (token->text, word->text, word->len) == 0)
    return TRUE;

  if (word->typo && token->len + 4 >= word->len && token->len <= word->len + 4)
    {
      g_autofree gunichar *chars = g_utf8_to_ucs4_fast (token->text, token->len, NULL);
      guint n = g_utf8_strlen (token->text, token->len);

      return within_one_edit (word->chars, word->n_chars, chars, n);
    }

  return FALSE;
}

static gboolean
scan_on_token (const GlossToken *token,
               gpointer          user_data)
{
  Scan *scan = user_data;
  ScannedToken scanned = { token->start, token->end, 0 };

  for (guint i = 0; i < scan->ex->n_words; i++)
    {
      Span hit;

      if (token_matches (&scan->ex->words[i], token, scan->text, &hit))
        {
          scanned.mask |= 1u << i;
          g_array_append_val (scan->hits, hit);
        }
    }

  scan->mask |= scanned.mask;
  if (scan->tokens != NULL)
    g_array_append_val (scan->tokens, scanned);

  return TRUE;
}

static void
scan_init (Scan          *scan,
           const Explain *ex,
           const char    *text,
           gboolean       keep_tokens)
{
  scan->ex = ex;
  scan->text = text;
  scan->mask = 0;
  scan->hits = g_array_new (FALSE, FALSE, sizeof (Span));
  scan->tokens = keep_tokens ? g_array_new (FALSE, FALSE, sizeof (ScannedToken)) : NULL;

  if (text != NULL)
    gloss_fold_tokenize (text, -1, GLOSS_TOKENIZE_NONE, scan_on_token, scan);
}

static void
scan_clear (Scan *scan)
{
  g_clear_pointer (&scan->hits, g_array_unref);
  g_clear_pointer (&scan->tokens, g_array_unref);
}

static guint
scan_text_mask (const Explain *ex,
                const char    *text)
{
  Scan scan;
  guint mask;

  scan_init (&scan, ex, text, FALSE);
  mask = scan.mask;
  scan_clear (&scan);
  return mask;
}

static int
compare_spans (gconstpointer a,
               gconstpointer b)
{
  const Span *x = a;
  const Span *y = b;

  if (x->start != y->start)
    return x->start < y->start ? -1 : 1;
  return x->end < y->end ? 1 : x->end > y->end ? -1 : 0;
}

/* Appends @text[@start, @end) with the hits in bold, escaped for markup. */
static void
append_highlighted (GString    *out,
                    const char *text,
                    gsize       start,
                    gsize       end,
                    GArray     *hits,
                    gboolean    markup)
{
  gsize at = start;

  g_array_sort (hits, compare_spans);

  for (guint i = 0; i < hits->len; i++)
    {
      Span hit = g_array_index (hits, Span, i);
      g_autofree char *before = NULL;
      g_autofree char *bold = NULL;

      hit.start = MAX (hit.start, at);
      hit.end = MIN (hit.end, end);
      if (hit.start >= hit.end)
        continue;

      if (!markup)
        continue;

      before = g_markup_escape_text (text + at, hit.start - at);
      bold = g_markup_escape_text (text + hit.start, hit.end - hit.start);
      g_string_append_printf (out, "%s<b>%s</b>", before, bold);
      at = hit.end;
    }

  if (markup)
    {
      g_autofree char *rest = g_markup_escape_text (text + at, end - at);

      g_string_append (out, rest);
    }
  else
    g_string_append_len (out, text + start, end - start);
}

/* "label: text", with the matched words in bold. The markup form is shown
 * in the app, in the user's language; the plain one is gloss-cli's fixed
 * output, which scripts read, so its label stays English. */
static char *
explain_field (const Explain *ex,
               const char    *label,
               const char    *text,
               gboolean       markup)
{
  GString *out = g_string_new (markup ? _(label) : label);
  Scan scan;

  g_string_append (out, ": ");
  scan_init (&scan, ex, text, FALSE);
  append_highlighted (out, text, 0, strlen (text), scan.hits, markup);
  scan_clear (&scan);

  return g_string_free (out, FALSE);
}

/* Markdown to one line of plain text, crudely: link labels without their
 * destinations, no emphasis or code marks, no block markers. */
static char *
markdown_to_plain (const char *md)
{
  GString *out = g_string_sized_new (strlen (md));
  gboolean line_start = TRUE;
  const char *end = md + strlen (md);

  for (const char *p = md; p < end; )
    {
      if (line_start)
        {
          while (p < end && (*p == ' ' || *p == '\t'))
            p++;
          while (p < end && (*p == '#' || *p == '>'))
            p++;
          if (p + 1 < end && (*p == '-' || *p == '+') && p[1] == ' ')
            p += 2;
          line_start = FALSE;
          continue;
        }

      switch (*p)
        {
        case '\n':
        case '\r':
        case '\t':
          if (out->len > 0 && out->str[out->len - 1] != ' ')
            g_string_append_c (out, ' ');
          line_start = *p == '\n';
          p++;
          break;

        case ' ':
          if (out->len > 0 && out->str[out->len - 1] != ' ')
            g_string_append_c (out, ' ');
          p++;
          break;

        case '*':
        case '`':
        case '[':
          p++;
          break;

        case '!':
          if (p + 1 < end && p[1] == '[')
            p++;
          else
            g_string_append_c (out, *p++);
          break;

        case ']':
          if (p + 1 < end && p[1] == '(')
            {
              int depth = 0;

              for (p++; p < end; p++)
                {
                  if (*p == '(')
                    depth++;
                  else if (*p == ')' && --depth == 0)
                    {
                      p++;
                      break;
                    }
                }
            }
          else
            p++;
          break;

        case '\\':
          if (p + 1 < end && g_ascii_ispunct (p[1]))
            p++;
          g_string_append_c (out, *p++);
          break;

        default:
          g_string_append_c (out, *p++);
          break;
        }
    }

  while (out->len > 0 && out->str[out->len - 1] == ' ')
    g_string_truncate (out, out->len - 1);

  return g_string_free (out, FALSE);
}

typedef struct
{
  guint  n_words;    /* distinct query words in the window */
  guint  n_hits;
  guint  first;      /* token */
  guint  last;       /* token, exclusive */
} Window;

/* The window of about SNIPPET_WORDS tokens of @scan with the most distinct
 * query words, then the most matches, then the earliest. */
static Window
best_window (const Scan *scan)
{
  Window best = { 0, 0, 0, 0 };
  const ScannedToken *tokens = (const ScannedToken *)(gpointer)scan->tokens->data;
  guint n = scan->tokens->len;

  for (guint a = 0; a < n; a++)
    {
      Window w = { 0, 0, 0, 0 };
      guint mask = 0;

      if (tokens[a].mask == 0)
        continue;

      w.first = a > SNIPPET_LEAD ? a - SNIPPET_LEAD : 0;
      w.last = MIN (n, w.first + SNIPPET_WORDS);
      for (guint i = w.first; i < w.last; i++)
        {
          mask |= tokens[i].mask;
          w.n_hits += tokens[i].mask != 0;
        }
      w.n_words = __builtin_popcount (mask);

      if (w.n_words > best.n_words || (w.n_words == best.n_words && w.n_hits > best.n_hits))
        best = w;
    }

  return best;
}

static char *
snippet (const Scan *scan,
         Window      w,
         gboolean    markup)
{
  const ScannedToken *tokens = (const ScannedToken *)(gpointer)scan->tokens->data;
  GString *out = g_string_new (NULL);
  gsize start = tokens[w.first].start;
  gsize end = tokens[w.last - 1].end;
  gboolean cut_start = w.first > 0;
  gboolean cut_end = w.last < scan->tokens->len;

  if (!cut_end)
    end = strlen (scan->text);
  else
    {
      /* End at the next white space, after a closing mark or a full stop. */
      gsize limit = tokens[w.last].start;

      while (end < limit && !g_ascii_isspace (scan->text[end]))
        end++;
    }

  /* Start after white space: "<b>bold" rather than "b>bold". */
  {
    gsize limit = w.first > 0 ? tokens[w.first - 1].end : 0;

    while (start > limit && !g_ascii_isspace (scan->text[start - 1]))
      start--;
  }

  /* Long runs without spaces: keep the span near its first match. */
  if (end - start > SNIPPET_MAX_BYTES)
    {
      gsize anchor = start;

      for (guint i = 0; i < scan->hits->len; i++)
        {
          const Span *hit = &g_array_index (scan->hits, Span, i);

          if (hit->start >= start && hit->end <= end)
            {
              anchor = hit->start;
              break;
            }
        }

      if (anchor > start + SNIPPET_MAX_BYTES / 3)
        {
          start = g_utf8_find_prev_char (scan->text, scan->text + anchor - SNIPPET_MAX_BYTES / 3 + 1)
                  - scan->text;
          cut_start = TRUE;
        }
      if (end > start + SNIPPET_MAX_BYTES)
        {
          end = g_utf8_find_prev_char (scan->text, scan->text + start + SNIPPET_MAX_BYTES + 1)
                - scan->text;
          cut_end = TRUE;
        }
    }

  if (cut_start)
    g_string_append (out, "…");
  append_highlighted (out, scan->text, start, end, scan->hits, markup);
  if (cut_end)
    g_string_append (out, "…");

  return g_string_free (out, FALSE);
}

/* Whether the keys @a and @b differ only in how they join their words
 * (spaces, hyphens, slashes or nothing; spelling_key_bits ()). */
static gboolean
same_but_joins (const char *a,
                const char *b)
{
  for (;;)
    {
      while (*a == ' ' || *a == '-' || *a == '/')
        a++;
      while (*b == ' ' || *b == '-' || *b == '/')
        b++;
      if (*a != *b)
        return FALSE;
      if (*a == '\0')
        return TRUE;
      a++;
      b++;
    }
}

/**
 * gloss_index_explain:
 * @self: an index
 * @position: of an entry that matched @query
 * @query: the query
 * @markup: %TRUE for Pango markup (the text escaped, the matched words in
 *   `<b>`), %FALSE for plain text
 *
 * Says why the entry matched, for the rows shown: "alias: NTR",
 * "title: …", "tag: romance", or about 12 words of the summary, a section
 * or the FAQ around the matched words. Reads the entry's text.
 *
 * Returns: (transfer full) (nullable): the explanation, or %NULL when the
 *   term itself matched (the row shows it already) or nothing did
 */
char *
gloss_index_explain (GlossIndex *self,
                     guint       position,
                     const char *query,
                     gboolean    markup)
{
  g_autoptr(GlossBundle) bundle = NULL;
  g_autofree char *valid = NULL;
  g_autofree char *term_key = NULL;
  Explain ex = { NULL, };
  GlossEntry *entry;
  const char * const *aliases;
  const char * const *tags;
  const GlossSection *sections;
  const GlossFaq *faq;
  guint n_sections;
  guint n_faq;
  guint full;
  guint names_mask;
  guint tags_mask = 0;
  guint title_mask;
  char *result = NULL;

  g_return_val_if_fail (GLOSS_IS_INDEX (self), NULL);
  g_return_val_if_fail (query != NULL, NULL);

  bundle = g_weak_ref_get (&self->bundle);
  if (bundle == NULL || position >= gloss_bundle_get_n_entries (bundle))
    return NULL;
  entry = gloss_bundle_get_entry (bundle, position);

  valid = g_utf8_make_valid (query, MIN (strlen (query), MAX_QUERY_BYTES));
  ex.key = gloss_fold_key (valid, -1);
  ex.text = valid;
  gloss_fold_tokenize (valid, -1, GLOSS_TOKENIZE_NONE, explain_on_token, &ex);
  ex.text = NULL;
  if (ex.key[0] == '\0')
    goto out;

  for (guint i = 0; i < ex.n_words; i++)
    {
      ExplainWord *word = &ex.words[i];
      guint lo = vocab_bound (self, 0, self->n_words, word->text, word->len, FALSE);
      guint hi = vocab_bound (self, lo, self->n_words, word->text, word->len, TRUE);

      /* As query_parse() has it: a word that starts no word of a name or
       * tag also matches the words one edit away. */
      word->typo = !word->no_space && word->n_chars >= TYPO_MIN_CHARS &&
                   self->spaces[SPACE_NAMES].cum[hi] - self->spaces[SPACE_NAMES].cum[lo] +
                   self->spaces[SPACE_TAGS].cum[hi] - self->spaces[SPACE_TAGS].cum[lo] == 0;
    }
  full = ex.n_words > 0 ? (1u << ex.n_words) - 1 : 0;

  /* The exact and prefix tiers, the words joined as typed or otherwise */
  term_key = gloss_fold_key (gloss_entry_get_term (entry), -1);
  if (g_str_has_prefix (term_key, ex.key) || same_but_joins (term_key, ex.key))
    goto out;

  aliases = gloss_entry_get_aliases (entry);
  for (guint i = 0; aliases[i] != NULL; i++)
    {
      g_autofree char *alias_key = gloss_fold_key (aliases[i], -1);

      if (g_str_has_prefix (alias_key, ex.key) || same_but_joins (alias_key, ex.key))
        {
          /* Translators: in a search result, before the alias that matched */
          result = explain_field (&ex, N_("alias"), aliases[i], markup);
          goto out;
        }
    }

  if (full == 0)
    goto out;

  /* Names: the term, an alias, the title, or all of them together */
  names_mask = scan_text_mask (&ex, gloss_entry_get_term (entry));
  if (names_mask == full)
    goto out;

  for (guint i = 0; aliases[i] != NULL; i++)
    {
      guint mask = scan_text_mask (&ex, aliases[i]);

      if (mask == full)
        {
          result = explain_field (&ex, N_("alias"), aliases[i], markup);
          goto out;
        }
      names_mask |= mask;
    }

  title_mask = scan_text_mask (&ex, gloss_entry_get_title (entry));
  names_mask |= title_mask;
  if (title_mask == full || (names_mask == full && title_mask != 0))
    {
      /* Translators: in a search result, before the entry title that matched */
      result = explain_field (&ex, N_("title"), gloss_entry_get_title (entry), markup);
      goto out;
    }

  tags = gloss_entry_get_tags (entry);
  for (guint i = 0; tags[i] != NULL; i++)
    tags_mask |= scan_text_mask (&ex, tags[i]);
  if ((names_mask | tags_mask) == full && (tags_mask & ~names_mask) != 0)
    {
      for (guint i = 0; tags[i] != NULL; i++)
        {
          if (scan_text_mask (&ex, tags[i]) & ~names_mask)
            {
              /* Translators: in a search result, before the tag that matched */
              result = explain_field (&ex, N_("tag"), tags[i], markup);
              goto out;
            }
        }
    }

  /* The body: the best window of the summary, sections and FAQ */
  {
    g_autoptr(GPtrArray) texts = g_ptr_array_new_with_free_func (g_free);
    Scan best_scan = { NULL, };
    Window best = { 0, 0, 0, 0 };

    if (gloss_entry_get_summary (entry) != NULL)
      g_ptr_array_add (texts, markdown_to_plain (gloss_entry_get_summary (entry)));
    sections = gloss_entry_get_sections (entry, &n_sections);
    for (guint i = 0; i < n_sections; i++)
      {
        if (sections[i].heading != NULL)
          g_ptr_array_add (texts, markdown_to_plain (sections[i].heading));
        g_ptr_array_add (texts, markdown_to_plain (sections[i].body));
      }
    faq = gloss_entry_get_faq (entry, &n_faq);
    for (guint i = 0; i < n_faq; i++)
      {
        g_ptr_array_add (texts, markdown_to_plain (faq[i].question));
        g_ptr_array_add (texts, markdown_to_plain (faq[i].answer));
      }

    for (guint i = 0; i < texts->len; i++)
      {
        Scan scan;
        Window w;

        scan_init (&scan, &ex, g_ptr_array_index (texts, i), TRUE);
        if (scan.mask == 0)
          {
            scan_clear (&scan);
            continue;
          }

        w = best_window (&scan);
        if (best_scan.hits == NULL || w.n_words > best.n_words ||
            (w.n_words == best.n_words && w.n_hits > best.n_hits))
          {
            scan_clear (&best_scan);
            best_scan = scan;
            best = w;
          }
        else
          scan_clear (&scan);

        if (best.n_words == ex.n_words && best.n_hits >= ex.n_words)
          break;
      }

    if (best_scan.hits != NULL)
      {
        result = snippet (&best_scan, best, markup);
        scan_clear (&best_scan);
      }
    else if (title_mask != 0)
      result = explain_field (&ex, N_("title"), gloss_entry_get_title (entry), markup);
  }

out:
  explain_clear (&ex);
  return result;
}
