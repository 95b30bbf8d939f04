/* gloss-hash.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* XXH64 (Yann Collet's xxHash, 64-bit variant), written from its
 * specification: a fast checksum for the compiled cache, not a
 * cryptographic hash. About 8 GB/s on one core here, so checking the part
 * of a cache that is read at open costs a few milliseconds. */

typedef struct
{
  guint64 total_len;
  guint64 v[4];
  guint8  buffer[32];
  guint   buffered;
  guint64 seed;
} GlossHashState;

guint64 gloss_hash64        (gconstpointer   data,
                             gsize           length,
                             guint64         seed);

void    gloss_hash_init     (GlossHashState *state,
                             guint64         seed);
void    gloss_hash_update   (GlossHashState *state,
                             gconstpointer   data,
                             gsize           length);
guint64 gloss_hash_finish   (const GlossHashState *state);

G_END_DECLS
