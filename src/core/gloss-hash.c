/* gloss-hash.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "gloss-hash"

#include "config.h"

#include <string.h>

#include "gloss-hash.h"

#define PRIME1 G_GUINT64_CONSTANT (0x9E3779B185EBCA87)
#define PRIME2 G_GUINT64_CONSTANT (0xC2B2AE3D27D4EB4F)
#define PRIME3 G_GUINT64_CONSTANT (0x165667B19E3779F9)
#define PRIME4 G_GUINT64_CONSTANT (0x85EBCA77C2B2AE63)
#define PRIME5 G_GUINT64_CONSTANT (0x27D4EB2F165667C5)

static inline guint64
rotl64 (guint64 x,
        guint   r)
{
  return (x << r) | (x >> (64 - r));
}

/* Unaligned little-endian reads: the spec's byte order on every host. */
static inline guint64
read64 (const guint8 *p)
{
  guint64 v;

  memcpy (&v, p, 8);
  return GUINT64_FROM_LE (v);
}

static inline guint32
read32 (const guint8 *p)
{
  guint32 v;

  memcpy (&v, p, 4);
  return GUINT32_FROM_LE (v);
}

static inline guint64
round64 (guint64 acc,
         guint64 input)
{
  acc += input * PRIME2;
  acc = rotl64 (acc, 31);
  return acc * PRIME1;
}

static inline guint64
merge_round (guint64 acc,
             guint64 val)
{
  acc ^= round64 (0, val);
  return acc * PRIME1 + PRIME4;
}

/* Consumes whole 32-byte stripes; returns where it stopped. */
static const guint8 *
consume_stripes (guint64      *v,
                 const guint8 *p,
                 const guint8 *limit)
{
  guint64 v1 = v[0], v2 = v[1], v3 = v[2], v4 = v[3];

  while (p + 32 <= limit)
    {
      v1 = round64 (v1, read64 (p));
      v2 = round64 (v2, read64 (p + 8));
      v3 = round64 (v3, read64 (p + 16));
      v4 = round64 (v4, read64 (p + 24));
      p += 32;
    }

  v[0] = v1;
  v[1] = v2;
  v[2] = v3;
  v[3] = v4;
  return p;
}

static guint64
finalize (guint64       h,
          const guint8 *p,
          gsize         len)
{
  while (len >= 8)
    {
      h ^= round64 (0, read64 (p));
      h = rotl64 (h, 27) * PRIME1 + PRIME4;
      p += 8;
      len -= 8;
    }

  if (len >= 4)
    {
      h ^= (guint64)read32 (p) * PRIME1;
      h = rotl64 (h, 23) * PRIME2 + PRIME3;
      p += 4;
      len -= 4;
    }

  while (len > 0)
    {
      h ^= (*p) * PRIME5;
      h = rotl64 (h, 11) * PRIME1;
      p++;
      len--;
    }

  h ^= h >> 33;
  h *= PRIME2;
  h ^= h >> 29;
  h *= PRIME3;
  h ^= h >> 32;

  return h;
}

static guint64
merge_lanes (const guint64 *v)
{
  guint64 h = rotl64 (v[0], 1) + rotl64 (v[1], 7) + rotl64 (v[2], 12) + rotl64 (v[3], 18);

  h = merge_round (h, v[0]);
  h = merge_round (h, v[1]);
  h = merge_round (h, v[2]);
  h = merge_round (h, v[3]);
  return h;
}

/* The hash of @length bytes at @data in one call. */
guint64
gloss_hash64 (gconstpointer data,
              gsize         length,
              guint64       seed)
{
  const guint8 *p = data;
  const guint8 *end = p + length;
  guint64 h;

  if (length >= 32)
    {
      guint64 v[4] = { seed + PRIME1 + PRIME2, seed + PRIME2, seed, seed - PRIME1 };

      p = consume_stripes (v, p, end);
      h = merge_lanes (v);
    }
  else
    h = seed + PRIME5;

  h += length;
  return finalize (h, p, end - p);
}

void
gloss_hash_init (GlossHashState *state,
                 guint64         seed)
{
  memset (state, 0, sizeof *state);
  state->seed = seed;
  state->v[0] = seed + PRIME1 + PRIME2;
  state->v[1] = seed + PRIME2;
  state->v[2] = seed;
  state->v[3] = seed - PRIME1;
}

void
gloss_hash_update (GlossHashState *state,
                   gconstpointer   data,
                   gsize           length)
{
  const guint8 *p = data;
  const guint8 *end = p + length;

  state->total_len += length;

  if (state->buffered + length < 32)
    {
      if (length > 0)
        memcpy (state->buffer + state->buffered, p, length);
      state->buffered += length;
      return;
    }

  if (state->buffered > 0)
    {
      guint fill = 32 - state->buffered;

      memcpy (state->buffer + state->buffered, p, fill);
      consume_stripes (state->v, state->buffer, state->buffer + 32);
      p += fill;
      state->buffered = 0;
    }

  p = consume_stripes (state->v, p, end);

  if (p < end)
    {
      memcpy (state->buffer, p, end - p);
      state->buffered = end - p;
    }
}

guint64
gloss_hash_finish (const GlossHashState *state)
{
  guint64 h;

  if (state->total_len >= 32)
    h = merge_lanes (state->v);
  else
    h = state->seed + PRIME5;

  h += state->total_len;
  return finalize (h, state->buffer, state->buffered);
}
