/* gloss-jvalue.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* A small JSON reader for values the pre-scan has already proved to be
 * strict JSON: one pass, no hash tables, every node and string in an arena
 * that is reset between entries. It reads a bundle's entries several times
 * faster than json-glib and keeps nothing once an entry is walked. Numbers
 * follow json-glib's types (an integer literal is an integer, exact when it
 * fits in 64 bits; anything with a fraction or an exponent is a double), so
 * the schema walk says the same things it said with json-glib. */

typedef enum
{
  GLOSS_JV_NULL,
  GLOSS_JV_BOOLEAN,
  GLOSS_JV_STRING,
  GLOSS_JV_INTEGER,
  GLOSS_JV_DOUBLE,
  GLOSS_JV_ARRAY,
  GLOSS_JV_OBJECT,
} GlossJvType;

typedef struct _GlossJv       GlossJv;
typedef struct _GlossJvMember GlossJvMember;
typedef struct _GlossJvArena  GlossJvArena;

struct _GlossJv
{
  GlossJvType  type;
  guint32      len;       /* a string's bytes; an array's or object's items */
  gboolean     exact;     /* an integer that fits in 64 bits */
  union
  {
    gboolean       boolean;
    gint64         integer;
    const char    *string;  /* NUL-terminated, valid UTF-8 */
    GlossJv       *items;
    GlossJvMember *members; /* in document order */
  } v;
};

struct _GlossJvMember
{
  const char *name;
  GlossJv     value;
};

GlossJvArena  *gloss_jv_arena_new     (void);
void           gloss_jv_arena_free    (GlossJvArena *arena);
void           gloss_jv_arena_reset   (GlossJvArena *arena);
gpointer       gloss_jv_arena_alloc   (GlossJvArena *arena,
                                       gsize         size);
char          *gloss_jv_arena_strndup (GlossJvArena *arena,
                                       const char   *text,
                                       gsize         length);

/* Reads the one value in @data. Returns %NULL when the bytes are not the
 * strict JSON the pre-scan promised (never crashes on them). */
const GlossJv *gloss_jv_parse         (GlossJvArena *arena,
                                       const char   *data,
                                       gsize         length);

const GlossJv *gloss_jv_get_member    (const GlossJv *object,
                                       const char    *name);

static inline gboolean
gloss_jv_is_string (const GlossJv *value)
{
  return value != NULL && value->type == GLOSS_JV_STRING;
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (GlossJvArena, gloss_jv_arena_free)

G_END_DECLS
