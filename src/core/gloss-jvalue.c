/* gloss-jvalue.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "gloss-jvalue"

#include "config.h"

#include <string.h>

#include "gloss-jvalue.h"

#define CHUNK_SIZE (64 * 1024)

typedef struct _Chunk Chunk;

struct _Chunk
{
  Chunk *next;
  gsize  size;
  gsize  used;
  /* data follows, aligned */
};

#define CHUNK_HEADER (((sizeof (Chunk)) + 15) & ~(gsize)15)

struct _GlossJvArena
{
  Chunk   *chunks;      /* the current one first */
  GArray  *stack;       /* of GlossJv: items of the open arrays */
  GArray  *members;     /* of GlossJvMember: members of the open objects */
};

GlossJvArena *
gloss_jv_arena_new (void)
{
  GlossJvArena *arena = g_new0 (GlossJvArena, 1);

  arena->stack = g_array_new (FALSE, FALSE, sizeof (GlossJv));
  arena->members = g_array_new (FALSE, FALSE, sizeof (GlossJvMember));
  return arena;
}

static void
free_chunks (Chunk *chunk)
{
  while (chunk != NULL)
    {
      Chunk *next = chunk->next;

      g_free (chunk);
      chunk = next;
    }
}

void
gloss_jv_arena_free (GlossJvArena *arena)
{
  if (arena == NULL)
    return;

  free_chunks (arena->chunks);
  g_array_unref (arena->stack);
  g_array_unref (arena->members);
  g_free (arena);
}

/* Forgets everything allocated; keeps one ordinary chunk for the next
 * value. */
void
gloss_jv_arena_reset (GlossJvArena *arena)
{
  Chunk *keep = NULL;

  for (Chunk *c = arena->chunks; c != NULL; )
    {
      Chunk *next = c->next;

      if (keep == NULL && c->size == CHUNK_SIZE)
        {
          keep = c;
          keep->next = NULL;
          keep->used = 0;
        }
      else
        g_free (c);
      c = next;
    }
  arena->chunks = keep;
}

gpointer
gloss_jv_arena_alloc (GlossJvArena *arena,
                      gsize         size)
{
  Chunk *chunk = arena->chunks;
  gpointer ret;

  size = (size + 7) & ~(gsize)7;

  if (chunk == NULL || chunk->size - chunk->used < size)
    {
      gsize chunk_size = MAX (CHUNK_SIZE, size);

      chunk = g_malloc (CHUNK_HEADER + chunk_size);
      chunk->size = chunk_size;
      chunk->used = 0;

      /* A big one-off chunk goes behind the current one, which still has
       * room for small things. */
      if (chunk_size > CHUNK_SIZE && arena->chunks != NULL)
        {
          chunk->next = arena->chunks->next;
          arena->chunks->next = chunk;
        }
      else
        {
          chunk->next = arena->chunks;
          arena->chunks = chunk;
        }
    }

  ret = (char *)chunk + CHUNK_HEADER + chunk->used;
  chunk->used += size;
  return ret;
}

char *
gloss_jv_arena_strndup (GlossJvArena *arena,
                        const char   *text,
                        gsize         length)
{
  char *copy = gloss_jv_arena_alloc (arena, length + 1);

  memcpy (copy, text, length);
  copy[length] = '\0';
  return copy;
}

typedef struct
{
  GlossJvArena *arena;
  const char   *p;
  const char   *end;
  guint         depth;
  char         *strings;   /* as many bytes as the input: escapes only shrink */
  gsize         strings_used;
} Parser;

static inline void
skip_space (Parser *ps)
{
  while (ps->p < ps->end &&
         (*ps->p == ' ' || *ps->p == '\n' || *ps->p == '\r' || *ps->p == '\t'))
    ps->p++;
}

static inline int
hex_value (char c)
{
  if (c >= '0' && c <= '9')
    return c - '0';
  if (c >= 'a' && c <= 'f')
    return c - 'a' + 10;
  if (c >= 'A' && c <= 'F')
    return c - 'A' + 10;
  return -1;
}

static gboolean
read_hex4 (const char *p,
           const char *end,
           gunichar   *out)
{
  gunichar v = 0;

  if (end - p < 4)
    return FALSE;

  for (guint i = 0; i < 4; i++)
    {
      int h = hex_value (p[i]);

      if (h < 0)
        return FALSE;
      v = v << 4 | h;
    }

  *out = v;
  return TRUE;
}

/* The first '"' or '\\' in [p, end), eight bytes at a time: a byte of x is
 * 0 where the byte of the word was the one looked for; the test below can
 * only err on the side of stopping early, where the byte loop takes over. */
static inline const char *
find_quote_or_backslash (const char *p,
                         const char *end)
{
  const guint64 ones = G_GUINT64_CONSTANT (0x0101010101010101);
  const guint64 high = G_GUINT64_CONSTANT (0x8080808080808080);

  while (end - p >= 8)
    {
      guint64 w;
      guint64 x;
      guint64 y;

      memcpy (&w, p, 8);
      x = w ^ (ones * '"');
      y = w ^ (ones * '\\');
      if ((((x - ones) & ~x) | ((y - ones) & ~y)) & high)
        break;
      p += 8;
    }

  while (p < end && *p != '"' && *p != '\\')
    p++;

  return p;
}

/* Decodes the string whose opening quote is just behind ps->p into the
 * parser's string buffer. */
static gboolean
parse_string (Parser      *ps,
              const char **out,
              guint32     *out_len)
{
  char *start = ps->strings + ps->strings_used;
  char *o = start;
  const char *p = ps->p;
  const char *end = ps->end;

  for (;;)
    {
      const char *run = p;

      /* Plain bytes up to the next quote or backslash, copied at once. */
      p = find_quote_or_backslash (p, end);
      if (p > run)
        {
          memcpy (o, run, p - run);
          o += p - run;
        }

      if (p >= end)
        return FALSE;

      if (*p == '"')
        {
          p++;
          break;
        }

      /* A backslash */
      p++;
      if (p >= end)
        return FALSE;

      switch (*p++)
        {
        case '"': *o++ = '"'; break;
        case '\\': *o++ = '\\'; break;
        case '/': *o++ = '/'; break;
        case 'b': *o++ = '\b'; break;
        case 'f': *o++ = '\f'; break;
        case 'n': *o++ = '\n'; break;
        case 'r': *o++ = '\r'; break;
        case 't': *o++ = '\t'; break;
        case 'u':
          {
            gunichar c;

            if (!read_hex4 (p, end, &c))
              return FALSE;
            p += 4;

            if (c >= 0xD800 && c <= 0xDBFF)
              {
                gunichar low;

                if (end - p < 6 || p[0] != '\\' || p[1] != 'u' || !read_hex4 (p + 2, end, &low) ||
                    low < 0xDC00 || low > 0xDFFF)
                  return FALSE;
                p += 6;
                c = 0x10000 + ((c - 0xD800) << 10) + (low - 0xDC00);
              }
            else if ((c >= 0xDC00 && c <= 0xDFFF) || c == 0)
              return FALSE;

            o += g_unichar_to_utf8 (c, o);
          }
          break;
        default:
          return FALSE;
        }
    }

  /* The pre-scan checked the encoding; a stray NUL would cut the string. */
  if (memchr (start, '\0', o - start) != NULL)
    return FALSE;

  *o++ = '\0';
  ps->strings_used = o - ps->strings;
  ps->p = p;
  *out = start;
  *out_len = (o - start) - 1;
  return TRUE;
}

static gboolean
parse_number (Parser  *ps,
              GlossJv *value)
{
  const char *p = ps->p;
  const char *end = ps->end;
  gboolean negative = FALSE;
  gboolean overflow = FALSE;
  gboolean integer = TRUE;
  guint64 acc = 0;
  const char *digits;

  if (p < end && *p == '-')
    {
      negative = TRUE;
      p++;
    }

  digits = p;
  while (p < end && *p >= '0' && *p <= '9')
    {
      guint d = *p - '0';

      if (acc > (G_MAXUINT64 - d) / 10)
        overflow = TRUE;
      else
        acc = acc * 10 + d;
      p++;
    }
  if (p == digits)
    return FALSE;

  if (p < end && *p == '.')
    {
      integer = FALSE;
      p++;
      while (p < end && *p >= '0' && *p <= '9')
        p++;
    }

  if (p < end && (*p == 'e' || *p == 'E'))
    {
      integer = FALSE;
      p++;
      if (p < end && (*p == '+' || *p == '-'))
        p++;
      while (p < end && *p >= '0' && *p <= '9')
        p++;
    }

  if (integer)
    {
      value->type = GLOSS_JV_INTEGER;
      if (!overflow && !negative && acc <= (guint64)G_MAXINT64)
        {
          value->exact = TRUE;
          value->v.integer = (gint64)acc;
        }
      else if (!overflow && negative && acc <= (guint64)G_MAXINT64 + 1)
        {
          value->exact = TRUE;
          value->v.integer = acc == (guint64)G_MAXINT64 + 1 ? G_MININT64 : -(gint64)acc;
        }
      else
        {
          /* json-glib would hold a wrapped value; nobody reads it. */
          value->exact = FALSE;
          value->v.integer = 0;
        }
    }
  else
    value->type = GLOSS_JV_DOUBLE;

  ps->p = p;
  return TRUE;
}

static gboolean
literal (Parser     *ps,
         const char *word,
         gsize       len)
{
  if ((gsize)(ps->end - ps->p) < len || memcmp (ps->p, word, len) != 0)
    return FALSE;

  ps->p += len;
  return TRUE;
}

static gboolean parse_value (Parser  *ps,
                             GlossJv *value);

static gboolean
parse_array (Parser  *ps,
             GlossJv *value)
{
  GArray *stack = ps->arena->stack;
  guint base = stack->len;
  guint n;

  ps->p++;
  skip_space (ps);

  if (ps->p < ps->end && *ps->p == ']')
    ps->p++;
  else
    {
      for (;;)
        {
          GlossJv item = { 0, };

          if (!parse_value (ps, &item))
            return FALSE;
          g_array_append_val (stack, item);

          skip_space (ps);
          if (ps->p >= ps->end)
            return FALSE;
          if (*ps->p == ',')
            {
              ps->p++;
              skip_space (ps);
              continue;
            }
          if (*ps->p != ']')
            return FALSE;
          ps->p++;
          break;
        }
    }

  n = stack->len - base;
  value->type = GLOSS_JV_ARRAY;
  value->len = n;
  value->v.items = gloss_jv_arena_alloc (ps->arena, MAX (n, 1) * sizeof (GlossJv));
  if (n > 0)
    memcpy (value->v.items, &g_array_index (stack, GlossJv, base), n * sizeof (GlossJv));
  g_array_set_size (stack, base);

  return TRUE;
}

static gboolean
parse_object (Parser  *ps,
              GlossJv *value)
{
  GArray *members = ps->arena->members;
  guint base = members->len;
  guint n;

  ps->p++;
  skip_space (ps);

  if (ps->p < ps->end && *ps->p == '}')
    ps->p++;
  else
    {
      for (;;)
        {
          GlossJvMember member = { NULL, { 0, } };
          guint32 name_len;

          if (ps->p >= ps->end || *ps->p != '"')
            return FALSE;
          ps->p++;
          if (!parse_string (ps, &member.name, &name_len))
            return FALSE;

          skip_space (ps);
          if (ps->p >= ps->end || *ps->p != ':')
            return FALSE;
          ps->p++;
          skip_space (ps);

          if (!parse_value (ps, &member.value))
            return FALSE;
          g_array_append_val (members, member);

          skip_space (ps);
          if (ps->p >= ps->end)
            return FALSE;
          if (*ps->p == ',')
            {
              ps->p++;
              skip_space (ps);
              continue;
            }
          if (*ps->p != '}')
            return FALSE;
          ps->p++;
          break;
        }
    }

  n = members->len - base;
  value->type = GLOSS_JV_OBJECT;
  value->len = n;
  value->v.members = gloss_jv_arena_alloc (ps->arena, MAX (n, 1) * sizeof (GlossJvMember));
  if (n > 0)
    memcpy (value->v.members, &g_array_index (members, GlossJvMember, base),
            n * sizeof (GlossJvMember));
  g_array_set_size (members, base);

  return TRUE;
}

static gboolean
parse_value (Parser  *ps,
             GlossJv *value)
{
  gboolean ok;

  if (ps->p >= ps->end)
    return FALSE;

  switch (*ps->p)
    {
    case '{':
    case '[':
      /* The pre-scan limits nesting; this limit only guards the stack
       * against bytes it never saw. */
      if (ps->depth >= 256)
        return FALSE;
      ps->depth++;
      ok = *ps->p == '{' ? parse_object (ps, value) : parse_array (ps, value);
      ps->depth--;
      return ok;

    case '"':
      ps->p++;
      value->type = GLOSS_JV_STRING;
      return parse_string (ps, &value->v.string, &value->len);

    case 't':
      value->type = GLOSS_JV_BOOLEAN;
      value->v.boolean = TRUE;
      return literal (ps, "true", 4);

    case 'f':
      value->type = GLOSS_JV_BOOLEAN;
      value->v.boolean = FALSE;
      return literal (ps, "false", 5);

    case 'n':
      value->type = GLOSS_JV_NULL;
      return literal (ps, "null", 4);

    default:
      return parse_number (ps, value);
    }
}

const GlossJv *
gloss_jv_parse (GlossJvArena *arena,
                const char   *data,
                gsize         length)
{
  Parser ps = { arena, data, data + length, 0, NULL, 0 };
  GlossJv *value;

  g_return_val_if_fail (arena != NULL, NULL);

  /* Every decoded string fits in as many bytes as its JSON text, NULs
   * included (each string has two quotes in the input). */
  ps.strings = gloss_jv_arena_alloc (arena, length + 1);

  value = gloss_jv_arena_alloc (arena, sizeof (GlossJv));
  memset (value, 0, sizeof *value);

  skip_space (&ps);
  if (!parse_value (&ps, value))
    {
      g_array_set_size (arena->stack, 0);
      g_array_set_size (arena->members, 0);
      return NULL;
    }

  skip_space (&ps);
  if (ps.p != ps.end)
    return NULL;

  return value;
}

const GlossJv *
gloss_jv_get_member (const GlossJv *object,
                     const char    *name)
{
  if (object == NULL || object->type != GLOSS_JV_OBJECT)
    return NULL;

  for (guint i = 0; i < object->len; i++)
    {
      if (strcmp (object->v.members[i].name, name) == 0)
        return &object->v.members[i].value;
    }

  return NULL;
}
