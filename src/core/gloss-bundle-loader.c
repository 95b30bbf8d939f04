/* gloss-bundle-loader.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "gloss-bundle-loader"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <glib/gstdio.h>

#include "gloss-bundle-private.h"
#include "gloss-cache.h"
#include "gloss-hash.h"
#include "gloss-jvalue.h"
#include "gloss-link.h"
#include "gloss-markdown.h"
#include "gloss-prescan.h"
#include "gloss-text.h"

/* The schema walk, from JSON bytes to an image (gloss-cache.h). The
 * pre-scan has already proved the bytes are strict JSON and told us where
 * each top-level member and each entry lies, so each entry is read on its
 * own, by a small reader that keeps nothing once the entry is walked, and
 * the entries are shared out between a few threads. Each thread writes its
 * entries' records into one shared buffer and keeps, per entry, what the
 * hot sections need and the problems it found; a sequential merge then
 * does, in file order, what depends on the entries before (duplicate ids)
 * or on all of them (references), so the problems come out in the order a
 * single pass finds them. No JSON tree outlives the entry it describes. */

#define MAX_WALKERS       4
#define MIN_PER_WALKER    256

static const char * const top_level_fields[] = {
  "format", "version", "id", "title", "description", "language", "license",
  "authors", "updated", "categories", "entries", NULL
};

static const char * const entry_fields[] = {
  "id", "term", "title", "aliases", "summary", "category", "tags", "mature",
  "notice", "published", "updated", "reading_minutes", "sources", "stats",
  "sections", "faq", "related", NULL
};

static const char * const category_fields[] = { "id", "name", "description", NULL };
static const char * const stat_fields[] = { "label", "value", "note", NULL };
static const char * const section_fields[] = { "heading", "body", NULL };
static const char * const faq_fields[] = { "question", "answer", NULL };

/* Where a reference was found, rebuilt into a JSON Pointer only when it
 * points nowhere: most never need one. */
enum
{
  REF_SECTION_BODY,
  REF_FAQ_ANSWER,
  REF_RELATED,
};

typedef struct
{
  guint32 entry;     /* index in /entries */
  guint16 kind;
  guint16 pad;
  guint32 item;      /* section, faq or related index */
  guint32 target;    /* offset in the walker's ref blob */
} PendingRef;

typedef struct
{
  const char *label;
  const char *value;
  const char *note;
} WStat;

typedef struct
{
  const char *heading;
  const char *body;
} WSection;

typedef struct
{
  const char *question;
  const char *answer;
} WFaq;

/* One entry as the walk reads it; every string lives in the arena. */
typedef struct
{
  const char *id;
  const char *term;
  const char *title;
  const char *summary;
  const char *category;
  const char *notice;
  const char *published;
  const char *updated;
  GPtrArray  *aliases;
  GPtrArray  *tags;
  GPtrArray  *sources;
  GArray     *stats;
  GArray     *sections;
  GArray     *faq;
  guint       reading_minutes;
  gboolean    mature;
} WalkEntry;

enum
{
  ITEM_OK,
  ITEM_SKIPPED,          /* before its id was known to be valid */
  ITEM_SKIPPED_WITH_ID,  /* a valid id: still a duplicate if an earlier entry has it */
};

typedef struct
{
  guint32 status;
  guint32 problems_end;  /* in the walker's problems */
  guint32 refs_end;      /* in the walker's refs */
  guint32 id;            /* offsets in the walker's hot blob */
  guint32 term;
  guint32 category;
  guint32 tags;          /* in the walker's tag offsets */
  guint32 n_tags;
  guint32 flags;
  guint32 record_size;
  guint64 record;
  guint32 record_check;
  guint32 json_check;
} WalkItem;

typedef struct _Loader Loader;

typedef struct
{
  Loader       *loader;
  guint         first;
  guint         last;
  GlossJvArena *arena;
  WalkEntry     entry;
  GArray       *items;       /* of WalkItem */
  GString      *hot;
  GArray       *tag_offsets; /* of guint32 */
  GPtrArray    *problems;    /* of GlossProblem */
  GArray       *refs;        /* of PendingRef */
  GString      *ref_blob;
  GHashTable   *category_ids;
  GArray       *pieces;      /* of Piece, for write_record () */
  gboolean      cancelled;
  gboolean      overflow;
} Walker;

struct _Loader
{
  const char          *data;
  gsize                length;
  GlossScan           *scan;
  GCancellable        *cancellable;
  GHashTable          *category_ids;   /* read-only once the header is walked */
  guint8              *records;        /* an anonymous mapping, reserved large */
  gsize                records_cap;
  gsize                records_used;   /* atomic */
  gint                 walked;         /* atomic */
  const GlossLoadProgress *progress;
};

/* Quotes bundle text inside a message: short, and with nothing that could
 * drive a terminal or fake a new line. */
static char *
quote (const char *text)
{
  GString *out = g_string_new ("“");
  guint n = 0;

  for (const char *p = text; *p; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (n++ == 40)
        {
          g_string_append (out, "…");
          break;
        }

      if (c < 0x20 || (c >= 0x7F && c <= 0x9F) || (c >= 0x202A && c <= 0x202E) ||
          (c >= 0x2066 && c <= 0x2069))
        g_string_append_printf (out, "\\u%04X", c);
      else
        g_string_append_unichar (out, c);
    }

  g_string_append (out, "”");
  return g_string_free (out, FALSE);
}

/* Escapes a member name for a JSON Pointer (RFC 6901). Names are bundle
 * text too: control and bidi characters are written as \uXXXX so that a
 * location can never drive a terminal or reorder the line it is on. */
static char *
pointer_join (const char *parent,
              const char *member)
{
  GString *out = g_string_new (parent);

  if (out->len == 1 && out->str[0] == '/')
    g_string_truncate (out, 0);

  g_string_append_c (out, '/');
  for (const char *p = member; *p; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (c == '~')
        g_string_append (out, "~0");
      else if (c == '/')
        g_string_append (out, "~1");
      else if (c < 0x20 || (c >= 0x7F && c <= 0x9F) || (c >= 0x202A && c <= 0x202E) ||
               (c >= 0x2066 && c <= 0x2069))
        g_string_append_printf (out, "\\u%04X", c);
      else
        g_string_append_unichar (out, c);
    }

  return g_string_free (out, FALSE);
}

static char *
pointer_index (const char *parent,
               guint       index)
{
  return g_strdup_printf ("%s/%u", parent, index);
}

static void
add_problem (GPtrArray     *problems,
             GlossSeverity  severity,
             const char    *location,
             const char    *message)
{
  g_ptr_array_add (problems, gloss_problem_new (severity, location, message));
}

G_GNUC_PRINTF (3, 4)
static void
warn (Walker     *w,
      const char *location,
      const char *format,
      ...)
{
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);

  add_problem (w->problems, GLOSS_SEVERITY_WARNING, location, message);
}

G_GNUC_PRINTF (3, 4)
static void
skip_entry (Walker     *w,
            const char *location,
            const char *format,
            ...)
{
  g_autofree char *message = NULL;
  g_autofree char *full = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);

  full = g_strdup_printf ("entry skipped: %s", message);
  add_problem (w->problems, GLOSS_SEVERITY_ERROR, location, full);
}

G_GNUC_PRINTF (3, 4)
static gboolean
refuse (GError    **error,
        const char *location,
        const char *format,
        ...)
{
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);

  g_set_error (error, GLOSS_BUNDLE_ERROR, GLOSS_BUNDLE_ERROR_REFUSED, "%s: %s", location, message);
  return FALSE;
}

static const char *
node_kind (const GlossJv *node)
{
  switch (node->type)
    {
    case GLOSS_JV_OBJECT:
      return "an object";
    case GLOSS_JV_ARRAY:
      return "an array";
    case GLOSS_JV_NULL:
      return "null";
    case GLOSS_JV_STRING:
      return "a string";
    case GLOSS_JV_BOOLEAN:
      return "a boolean";
    case GLOSS_JV_INTEGER:
    case GLOSS_JV_DOUBLE:
    default:
      return "a number";
    }
}

static void
warn_unknown_fields (Walker             *w,
                     const GlossJv      *object,
                     const char         *location,
                     const char * const *known)
{
  for (guint i = 0; i < object->len; i++)
    {
      const char *name = object->v.members[i].name;

      if (!g_strv_contains (known, name))
        {
          g_autofree char *path = pointer_join (location, name);
          g_autofree char *quoted = quote (name);

          warn (w, path, "unknown field %s is ignored", quoted);
        }
    }
}

static const char *
cap_name (guint max_chars)
{
  if (max_chars == GLOSS_TEXT_MAX_SHORT)
    return "512";
  if (max_chars == GLOSS_TEXT_MAX_LONG)
    return "200,000";
  return "4,000";
}

static inline gboolean
is_mark (gunichar c)
{
  switch ((int)g_unichar_type (c))
    {
    case G_UNICODE_SPACING_MARK:
    case G_UNICODE_ENCLOSING_MARK:
    case G_UNICODE_NON_SPACING_MARK:
      return TRUE;
    default:
      return FALSE;
    }
}

/* Whether gloss_text_clean() would give @text back unchanged: the common
 * case, checked in one read-only pass instead of a copy a character at a
 * time. Any doubt answers FALSE, and the real cleaning runs. */
static gboolean
clean_is_identity (const char     *text,
                   gsize           len,
                   guint           max_chars,
                   GlossTextFlags  flags)
{
  const guchar *p = (const guchar *)text;
  const guchar *end = p + len;
  guint n_chars = 0;
  guint n_marks = 0;

  /* Printable ASCII, eight bytes at a time: no byte with the high bit, none
   * below 0x20, none 0x7F (the tests may stop early, never late). */
  if (len <= max_chars)
    {
      const guint64 ones = G_GUINT64_CONSTANT (0x0101010101010101);
      const guint64 high = G_GUINT64_CONSTANT (0x8080808080808080);

      while (end - p >= 8)
        {
          guint64 w;
          guint64 del;

          memcpy (&w, p, 8);
          del = w ^ (ones * 0x7F);
          if ((w | ((w - ones * 0x20) & ~w) | ((del - ones) & ~del)) & high)
            break;
          p += 8;
        }
      while (p < end && *p >= 0x20 && *p < 0x7F)
        p++;
      if (p == end)
        return TRUE;
      n_chars = p - (const guchar *)text;
    }
  else
    p = (const guchar *)text;

  while (p < end)
    {
      guchar b = *p;

      if (b < 0x80)
        {
          if (b < 0x20)
            {
              if (b != '\t' && b != '\n')
                return FALSE;
              if (flags & GLOSS_TEXT_SINGLE_LINE)
                return FALSE;
            }
          else if (b == 0x7F)
            return FALSE;
          n_marks = 0;
          p++;
        }
      else
        {
          gunichar c = g_utf8_get_char ((const char *)p);

          if (c <= 0x9F)
            return FALSE;
          if ((flags & GLOSS_TEXT_STRIP_BIDI) &&
              ((c >= 0x202A && c <= 0x202E) || (c >= 0x2066 && c <= 0x2069)))
            return FALSE;
          if (c >= 0x300 && is_mark (c))
            {
              if (++n_marks > GLOSS_TEXT_MAX_MARKS)
                return FALSE;
            }
          else
            n_marks = 0;
          p = (const guchar *)g_utf8_next_char (p);
        }

      if (++n_chars > max_chars)
        return FALSE;
    }

  return TRUE;
}

/* Cleans a string from the bundle and warns about what had to change.
 * The result lives in the walker's arena. */
static const char *
clean_string (Walker         *w,
              const char     *text,
              gsize           len,
              const char     *parent,
              const char     *name,
              guint           max_chars,
              GlossTextFlags  flags)
{
  g_autofree char *clean = NULL;
  GlossTextChanges changes;

  if (clean_is_identity (text, len, max_chars, flags))
    return text;

  clean = gloss_text_clean (text, len, max_chars, flags, &changes);

  if (changes & (GLOSS_TEXT_CHANGED_MARKS | GLOSS_TEXT_CHANGED_CUT))
    {
      g_autofree char *location = name != NULL ? pointer_join (parent, name) : g_strdup (parent);

      if (changes & GLOSS_TEXT_CHANGED_MARKS)
        warn (w, location, "more than %u combining marks on one character; the rest were dropped",
              GLOSS_TEXT_MAX_MARKS);
      if (changes & GLOSS_TEXT_CHANGED_CUT)
        warn (w, location, "longer than %s characters; cut", cap_name (max_chars));
    }

  return gloss_jv_arena_strndup (w->arena, clean, strlen (clean));
}

/* An optional string member: NULL when absent; a warning when it is there
 * but not a string. */
static const char *
get_string (Walker         *w,
            const GlossJv  *object,
            const char     *parent,
            const char     *name,
            guint           max_chars,
            GlossTextFlags  flags)
{
  const GlossJv *node = gloss_jv_get_member (object, name);

  if (node == NULL)
    return NULL;

  if (node->type != GLOSS_JV_STRING)
    {
      g_autofree char *location = pointer_join (parent, name);

      warn (w, location, "expected a string, found %s; ignored", node_kind (node));
      return NULL;
    }

  return clean_string (w, node->v.string, node->len, parent, name, max_chars, flags);
}

static const char *
get_date (Walker        *w,
          const GlossJv *object,
          const char    *parent,
          const char    *name)
{
  const char *value = get_string (w, object, parent, name, GLOSS_TEXT_MAX_SHORT, 0);

  if (value != NULL && !gloss_text_is_date (value))
    {
      g_autofree char *location = pointer_join (parent, name);
      g_autofree char *quoted = quote (value);

      warn (w, location, "%s is not a date written YYYY-MM-DD; ignored", quoted);
      return NULL;
    }

  return value;
}

/* An optional array of strings, into @values; items of another type are
 * dropped with a warning, empty items silently. FALSE when absent or not
 * an array. */
static gboolean
get_strv (Walker         *w,
          const GlossJv  *object,
          const char     *parent,
          const char     *name,
          guint           max_chars,
          GlossTextFlags  flags,
          GPtrArray      *values)
{
  g_autofree char *location = NULL;
  const GlossJv *node;

  g_ptr_array_set_size (values, 0);

  node = gloss_jv_get_member (object, name);
  if (node == NULL)
    return FALSE;

  location = pointer_join (parent, name);

  if (node->type != GLOSS_JV_ARRAY)
    {
      warn (w, location, "expected an array of strings, found %s; ignored", node_kind (node));
      return FALSE;
    }

  for (guint i = 0; i < node->len; i++)
    {
      const GlossJv *item = &node->v.items[i];
      const char *value;

      if (item->type != GLOSS_JV_STRING)
        {
          g_autofree char *item_location = pointer_index (location, i);

          warn (w, item_location, "expected a string, found %s; ignored", node_kind (item));
          continue;
        }

      if (clean_is_identity (item->v.string, item->len, max_chars, flags))
        value = item->v.string;
      else
        {
          g_autofree char *item_location = pointer_index (location, i);

          value = clean_string (w, item->v.string, item->len, item_location, NULL, max_chars,
                                flags);
        }

      if (!gloss_text_is_blank (value))
        g_ptr_array_add (values, (gpointer)value);
    }

  return TRUE;
}

/* Walks an optional array of objects, calling @func on each object item. */
static void
foreach_object (Walker        *w,
                const GlossJv *object,
                const char    *parent,
                const char    *name,
                void         (*func) (Walker        *w,
                                      const GlossJv *item,
                                      const char    *location,
                                      guint          index,
                                      gpointer       data),
                gpointer       data)
{
  g_autofree char *location = NULL;
  const GlossJv *node;

  node = gloss_jv_get_member (object, name);
  if (node == NULL)
    return;

  location = pointer_join (parent, name);

  if (node->type != GLOSS_JV_ARRAY)
    {
      warn (w, location, "expected an array, found %s; ignored", node_kind (node));
      return;
    }

  for (guint i = 0; i < node->len; i++)
    {
      const GlossJv *item = &node->v.items[i];
      char item_location[512];

      if (strlen (location) + 16 < sizeof item_location)
        g_snprintf (item_location, sizeof item_location, "%s/%u", location, i);
      else
        g_strlcpy (item_location, "", sizeof item_location);

      if (item->type != GLOSS_JV_OBJECT)
        {
          g_autofree char *long_location = pointer_index (location, i);

          warn (w, long_location, "expected an object, found %s; ignored", node_kind (item));
          continue;
        }

      if (item_location[0] != '\0')
        func (w, item, item_location, i, data);
      else
        {
          g_autofree char *long_location = pointer_index (location, i);

          func (w, item, long_location, i, data);
        }
    }
}

/* A required string inside an array item: the item is ignored without it. */
static const char *
require_string (Walker         *w,
                const GlossJv  *object,
                const char     *parent,
                const char     *name,
                const char     *what,
                guint           max_chars,
                GlossTextFlags  flags)
{
  const char *value = get_string (w, object, parent, name, max_chars, flags);

  if (gloss_text_is_blank (value))
    {
      if (gloss_jv_get_member (object, name) == NULL)
        warn (w, parent, "%s without \"%s\"; ignored", what, name);
      else if (value != NULL)
        {
          g_autofree char *location = pointer_join (parent, name);

          warn (w, location, "empty \"%s\"; the %s is ignored", name, what);
        }
      value = NULL;
    }

  return value;
}

/* A JSON integer held exactly in 64 bits (no fraction, no exponent). */
static gboolean
get_exact_integer (const GlossJv *node,
                   gint64        *value)
{
  if (node->type != GLOSS_JV_INTEGER || !node->exact)
    return FALSE;

  *value = node->v.integer;
  return TRUE;
}

static gboolean
is_valid_entry_id (const char *id)
{
  gsize len = strlen (id);

  if (len == 0 || len > 128)
    return FALSE;

  if (!g_ascii_islower (id[0]) && !g_ascii_isdigit (id[0]))
    return FALSE;

  for (gsize i = 1; i < len; i++)
    {
      char c = id[i];

      if (!g_ascii_islower (c) && !g_ascii_isdigit (c) && c != '.' && c != '_' && c != '-')
        return FALSE;
    }

  return TRUE;
}

static gboolean
is_valid_bundle_id (const char *id)
{
  gsize len = strlen (id);

  if (len == 0 || len > 128 || !g_ascii_isalnum (id[0]))
    return FALSE;

  for (gsize i = 1; i < len; i++)
    {
      char c = id[i];

      if (!g_ascii_isalnum (c) && c != '.' && c != '_' && c != '-')
        return FALSE;
    }

  return TRUE;
}

/* Counts words as gloss_text_count_words() does (runs of letters, digits
 * and apostrophes), a table lookup a byte for ASCII. */
static guint8 word_class[256];

static void
init_word_class (void)
{
  static gsize done = 0;

  if (g_once_init_enter (&done))
    {
      for (guint b = 0; b < 256; b++)
        word_class[b] = b >= 0x80 ? 2 : (g_ascii_isalnum (b) || b == '\'');
      g_once_init_leave (&done, 1);
    }
}

static guint
count_words (const char *text)
{
  guint in_word = 0;
  guint n = 0;

  if (text == NULL)
    return 0;

  for (const char *p = text; *p; )
    {
      guint c = word_class[(guchar)*p];

      if (G_LIKELY (c < 2))
        p++;
      else
        {
          c = g_unichar_isalnum (g_utf8_get_char (p)) ? 1 : 0;
          p = g_utf8_next_char (p);
        }

      n += c & (in_word ^ 1);
      in_word = c;
    }

  return n;
}

/* Entries */

static void
walk_category (Walker        *w,
               const GlossJv *object,
               const char    *location,
               guint          index,
               gpointer       data)
{
  GArray *categories = data;
  const char *id;
  const char *name;
  const char *description;
  const char *triple[3];

  warn_unknown_fields (w, object, location, category_fields);

  id = require_string (w, object, location, "id", "category", GLOSS_TEXT_MAX_SHORT,
                       GLOSS_TEXT_SINGLE_LINE);
  name = require_string (w, object, location, "name", "category", GLOSS_TEXT_MAX_SHORT,
                         GLOSS_TEXT_SINGLE_LINE | GLOSS_TEXT_STRIP_BIDI);
  if (id == NULL || name == NULL)
    return;

  if (g_hash_table_contains (w->category_ids, id))
    {
      g_autofree char *id_location = pointer_join (location, "id");
      g_autofree char *quoted = quote (id);

      warn (w, id_location, "duplicate category id %s; ignored", quoted);
      return;
    }

  g_hash_table_add (w->category_ids, g_strdup (id));
  description = get_string (w, object, location, "description", GLOSS_TEXT_MAX_PLAIN, 0);

  triple[0] = id;
  triple[1] = name;
  triple[2] = description;
  g_array_append_vals (categories, triple, 3);
}

static void
walk_stat (Walker        *w,
           const GlossJv *object,
           const char    *location,
           guint          index,
           gpointer       data)
{
  WStat stat = { NULL, };

  warn_unknown_fields (w, object, location, stat_fields);

  stat.label = require_string (w, object, location, "label", "stat", GLOSS_TEXT_MAX_SHORT,
                               GLOSS_TEXT_SINGLE_LINE);
  stat.value = require_string (w, object, location, "value", "stat", GLOSS_TEXT_MAX_PLAIN, 0);
  if (stat.label == NULL || stat.value == NULL)
    return;

  stat.note = get_string (w, object, location, "note", GLOSS_TEXT_MAX_PLAIN, 0);
  g_array_append_val (w->entry.stats, stat);
}

typedef struct
{
  Walker *w;
  guint   entry;
  guint   kind;
  guint   item;
} LinkCollect;

static void
add_pending_ref (Walker     *w,
                 guint       entry,
                 guint       kind,
                 guint       item,
                 const char *target)
{
  PendingRef ref = { entry, kind, 0, item, w->ref_blob->len };

  g_string_append_len (w->ref_blob, target, strlen (target) + 1);
  g_array_append_val (w->refs, ref);
}

static char *
ref_location (guint entry,
              guint kind,
              guint item)
{
  switch (kind)
    {
    case REF_SECTION_BODY:
      return g_strdup_printf ("/entries/%u/sections/%u/body", entry, item);
    case REF_FAQ_ANSWER:
      return g_strdup_printf ("/entries/%u/faq/%u/answer", entry, item);
    case REF_RELATED:
    default:
      return g_strdup_printf ("/entries/%u/related/%u", entry, item);
    }
}

static void
collect_link (const char *target,
              gpointer    user_data)
{
  LinkCollect *lc = user_data;
  g_autofree char *entry_id = NULL;

  switch (gloss_link_classify (target, &entry_id))
    {
    case GLOSS_LINK_ENTRY:
      add_pending_ref (lc->w, lc->entry, lc->kind, lc->item, entry_id);
      break;

    case GLOSS_LINK_REFUSED:
      {
        g_autofree char *quoted = quote (target);
        g_autofree char *location = ref_location (lc->entry, lc->kind, lc->item);

        warn (lc->w, location,
              "link to %s is not allowed (only entry:, http:, https: and mailto: without "
              "user info); shown as plain text", quoted);
      }
      break;

    case GLOSS_LINK_EXTERNAL:
    default:
      break;
    }
}

/* Notes every link of a Markdown text, read exactly as the renderer reads
 * it: entry links to check once all entries are known, refused ones at
 * once. */
static void
collect_links (Walker     *w,
               guint       entry,
               guint       kind,
               guint       item,
               const char *markdown)
{
  LinkCollect lc = { w, entry, kind, item };

  /* Every link, inline or <autolink>, has a scheme: a body without a
   * colon links nowhere and needn't be parsed. */
  if (strchr (markdown, ':') == NULL)
    return;

  gloss_markdown_foreach_link (markdown, -1, collect_link, &lc);
}

static void
walk_section (Walker        *w,
              const GlossJv *object,
              const char    *location,
              guint          index,
              gpointer       data)
{
  guint entry_index = GPOINTER_TO_UINT (data);
  WSection section = { NULL, };

  warn_unknown_fields (w, object, location, section_fields);

  section.body = require_string (w, object, location, "body", "section", GLOSS_TEXT_MAX_LONG, 0);
  if (section.body == NULL)
    return;

  collect_links (w, entry_index, REF_SECTION_BODY, index, section.body);

  section.heading = get_string (w, object, location, "heading", GLOSS_TEXT_MAX_SHORT,
                                GLOSS_TEXT_SINGLE_LINE);
  if (gloss_text_is_blank (section.heading))
    section.heading = NULL;

  g_array_append_val (w->entry.sections, section);
}

static void
walk_faq (Walker        *w,
          const GlossJv *object,
          const char    *location,
          guint          index,
          gpointer       data)
{
  guint entry_index = GPOINTER_TO_UINT (data);
  WFaq faq = { NULL, };

  warn_unknown_fields (w, object, location, faq_fields);

  faq.question = require_string (w, object, location, "question", "question",
                                 GLOSS_TEXT_MAX_PLAIN, GLOSS_TEXT_SINGLE_LINE);
  faq.answer = require_string (w, object, location, "answer", "question",
                               GLOSS_TEXT_MAX_LONG, 0);
  if (faq.question == NULL || faq.answer == NULL)
    return;

  collect_links (w, entry_index, REF_FAQ_ANSWER, index, faq.answer);

  g_array_append_val (w->entry.faq, faq);
}

/* `related` ids, each checked later against its original position. */
static void
collect_related (Walker        *w,
                 const GlossJv *object,
                 const char    *parent,
                 guint          entry_index)
{
  const GlossJv *node;

  node = gloss_jv_get_member (object, "related");
  if (node == NULL)
    return;

  if (node->type != GLOSS_JV_ARRAY)
    {
      g_autofree char *location = pointer_join (parent, "related");

      warn (w, location, "expected an array of strings, found %s; ignored", node_kind (node));
      return;
    }

  for (guint i = 0; i < node->len; i++)
    {
      const GlossJv *item = &node->v.items[i];

      if (item->type != GLOSS_JV_STRING)
        {
          g_autofree char *location = ref_location (entry_index, REF_RELATED, i);

          warn (w, location, "expected a string, found %s; ignored", node_kind (item));
          continue;
        }

      if (!gloss_text_is_blank (item->v.string))
        add_pending_ref (w, entry_index, REF_RELATED, i, item->v.string);
    }
}

static guint32
hot_string (Walker     *w,
            const char *s)
{
  guint32 offset;

  if (s == NULL)
    return GLOSS_CACHE_NONE;

  offset = w->hot->len;
  g_string_append_len (w->hot, s, strlen (s) + 1);
  return offset;
}

static inline guint8 *
put_u32 (guint8  *p,
         guint32  v)
{
  memcpy (p, &v, 4);
  return p + 4;
}

/* The record's strings, in the order they are written, with their
 * lengths: measured once, for the size and then for the copy. */
typedef struct
{
  const char *s;
  gsize       len;
} Piece;

static inline void
add_piece (GArray     *pieces,
           gsize      *size,
           const char *s)
{
  Piece piece = { s, s != NULL ? strlen (s) : 0 };

  g_array_append_val (pieces, piece);
  *size += 4 + (s != NULL ? piece.len + 1 : 0);
}

static inline guint8 *
put_piece (guint8      *p,
           const Piece *piece)
{
  if (piece->s == NULL)
    return put_u32 (p, GLOSS_CACHE_NONE);

  p = put_u32 (p, piece->len);
  memcpy (p, piece->s, piece->len + 1);
  return p + piece->len + 1;
}

/* Writes the entry's record (gloss-cache.h) into the shared buffer. */
static gboolean
write_record (Walker   *w,
              WalkItem *item)
{
  const WalkEntry *e = &w->entry;
  Loader *loader = w->loader;
  GArray *pieces = w->pieces;
  const Piece *piece;
  gsize size = 4 + 5 * 4;   /* the reading time and the five lists' lengths */
  gsize offset;
  guint8 *p;

  g_array_set_size (pieces, 0);
  add_piece (pieces, &size, e->title);
  add_piece (pieces, &size, e->summary);
  add_piece (pieces, &size, e->notice);
  add_piece (pieces, &size, e->published);
  add_piece (pieces, &size, e->updated);
  for (guint i = 0; i < e->aliases->len; i++)
    add_piece (pieces, &size, g_ptr_array_index (e->aliases, i));
  for (guint i = 0; i < e->sources->len; i++)
    add_piece (pieces, &size, g_ptr_array_index (e->sources, i));
  for (guint i = 0; i < e->stats->len; i++)
    {
      const WStat *st = &g_array_index (e->stats, WStat, i);

      add_piece (pieces, &size, st->label);
      add_piece (pieces, &size, st->value);
      add_piece (pieces, &size, st->note);
    }
  for (guint i = 0; i < e->sections->len; i++)
    {
      const WSection *sec = &g_array_index (e->sections, WSection, i);

      add_piece (pieces, &size, sec->heading);
      add_piece (pieces, &size, sec->body);
    }
  for (guint i = 0; i < e->faq->len; i++)
    {
      const WFaq *f = &g_array_index (e->faq, WFaq, i);

      add_piece (pieces, &size, f->question);
      add_piece (pieces, &size, f->answer);
    }

  if (size > G_MAXUINT32)
    return FALSE;

  offset = __atomic_fetch_add (&loader->records_used, size, __ATOMIC_RELAXED);
  if (offset > loader->records_cap || size > loader->records_cap - offset)
    return FALSE;

  p = loader->records + offset;
  piece = (const Piece *)(gpointer)pieces->data;
  p = put_u32 (p, e->reading_minutes);
  for (guint i = 0; i < 5; i++)
    p = put_piece (p, piece++);
  p = put_u32 (p, e->aliases->len);
  for (guint i = 0; i < e->aliases->len; i++)
    p = put_piece (p, piece++);
  p = put_u32 (p, e->sources->len);
  for (guint i = 0; i < e->sources->len; i++)
    p = put_piece (p, piece++);
  p = put_u32 (p, e->stats->len);
  for (guint i = 0; i < 3 * e->stats->len; i++)
    p = put_piece (p, piece++);
  p = put_u32 (p, e->sections->len);
  for (guint i = 0; i < 2 * e->sections->len; i++)
    p = put_piece (p, piece++);
  p = put_u32 (p, e->faq->len);
  for (guint i = 0; i < 2 * e->faq->len; i++)
    p = put_piece (p, piece++);
  g_assert (p == loader->records + offset + size);

  item->record = offset;
  item->record_size = size;
  item->record_check = (guint32)gloss_hash64 (loader->records + offset, size, 0);
  return TRUE;
}

static void
walk_entry_reset (WalkEntry *e)
{
  e->id = e->term = e->title = e->summary = e->category = NULL;
  e->notice = e->published = e->updated = NULL;
  g_ptr_array_set_size (e->aliases, 0);
  g_ptr_array_set_size (e->tags, 0);
  g_ptr_array_set_size (e->sources, 0);
  g_array_set_size (e->stats, 0);
  g_array_set_size (e->sections, 0);
  g_array_set_size (e->faq, 0);
  e->reading_minutes = 0;
  e->mature = FALSE;
}

/* Reads one entry. Returns the item's status; an ITEM_OK entry has its
 * record written and its hot fields in @item. */
static guint
walk_entry (Walker        *w,
            const GlossJv *node,
            guint          index,
            WalkItem      *item)
{
  WalkEntry *e = &w->entry;
  char location[32];
  const GlossJv *object = node;
  const GlossJv *member;
  const char *id;

  g_snprintf (location, sizeof location, "/entries/%u", index);
  walk_entry_reset (e);

  if (node->type != GLOSS_JV_OBJECT)
    {
      skip_entry (w, location, "expected an object, found %s", node_kind (node));
      return ITEM_SKIPPED;
    }

  member = gloss_jv_get_member (object, "id");
  if (member == NULL)
    {
      skip_entry (w, location, "no \"id\"");
      return ITEM_SKIPPED;
    }
  if (member->type != GLOSS_JV_STRING)
    {
      g_autofree char *id_location = pointer_join (location, "id");

      skip_entry (w, id_location, "\"id\" must be a string, found %s", node_kind (member));
      return ITEM_SKIPPED;
    }
  if (!is_valid_entry_id (member->v.string))
    {
      g_autofree char *id_location = pointer_join (location, "id");
      g_autofree char *quoted = quote (member->v.string);

      skip_entry (w, id_location,
                  "invalid id %s (lowercase letters, digits, '.', '_' and '-', at most 128)",
                  quoted);
      return ITEM_SKIPPED;
    }

  id = member->v.string;
  item->id = hot_string (w, id);

  /* From here on, a duplicate id overrides whatever this walk says: the
   * merge knows about the entries of the other walkers. */
  member = gloss_jv_get_member (object, "term");
  if (member == NULL)
    {
      skip_entry (w, location, "no \"term\"");
      return ITEM_SKIPPED_WITH_ID;
    }
  e->term = get_string (w, object, location, "term", GLOSS_TEXT_MAX_SHORT,
                        GLOSS_TEXT_STRIP_BIDI | GLOSS_TEXT_SINGLE_LINE);
  if (gloss_text_is_blank (e->term))
    {
      g_autofree char *term_location = pointer_join (location, "term");

      if (e->term == NULL)
        skip_entry (w, term_location, "\"term\" must be a string, found %s", node_kind (member));
      else
        skip_entry (w, term_location, "empty \"term\"");
      return ITEM_SKIPPED_WITH_ID;
    }

  warn_unknown_fields (w, object, location, entry_fields);

  e->title = get_string (w, object, location, "title", GLOSS_TEXT_MAX_SHORT,
                         GLOSS_TEXT_STRIP_BIDI | GLOSS_TEXT_SINGLE_LINE);
  if (gloss_text_is_blank (e->title))
    e->title = NULL;

  get_strv (w, object, location, "aliases", GLOSS_TEXT_MAX_SHORT,
            GLOSS_TEXT_STRIP_BIDI | GLOSS_TEXT_SINGLE_LINE, e->aliases);
  e->summary = get_string (w, object, location, "summary", GLOSS_TEXT_MAX_PLAIN, 0);
  e->category = get_string (w, object, location, "category", GLOSS_TEXT_MAX_SHORT,
                            GLOSS_TEXT_SINGLE_LINE);
  if (e->category != NULL && !g_hash_table_contains (w->category_ids, e->category))
    {
      g_autofree char *path = pointer_join (location, "category");
      g_autofree char *quoted = quote (e->category);

      warn (w, path, "unknown category %s; ignored", quoted);
      e->category = NULL;
    }

  get_strv (w, object, location, "tags", GLOSS_TEXT_MAX_SHORT, GLOSS_TEXT_SINGLE_LINE, e->tags);

  member = gloss_jv_get_member (object, "mature");
  if (member != NULL)
    {
      if (member->type == GLOSS_JV_BOOLEAN)
        e->mature = member->v.boolean;
      else
        {
          g_autofree char *path = pointer_join (location, "mature");

          warn (w, path, "expected true or false, found %s; treated as true", node_kind (member));
          e->mature = TRUE;
        }
    }

  e->notice = get_string (w, object, location, "notice", GLOSS_TEXT_MAX_PLAIN, 0);
  e->published = get_date (w, object, location, "published");
  e->updated = get_date (w, object, location, "updated");

  member = gloss_jv_get_member (object, "reading_minutes");
  if (member != NULL)
    {
      gint64 minutes;

      if (get_exact_integer (member, &minutes) && minutes > 0 && minutes <= G_MAXINT)
        e->reading_minutes = (guint)minutes;
      else
        {
          g_autofree char *path = pointer_join (location, "reading_minutes");

          warn (w, path, "expected a whole number of minutes above 0; ignored");
        }
    }

  get_strv (w, object, location, "sources", GLOSS_TEXT_MAX_SHORT, GLOSS_TEXT_SINGLE_LINE,
            e->sources);
  foreach_object (w, object, location, "stats", walk_stat, NULL);
  foreach_object (w, object, location, "sections", walk_section, GUINT_TO_POINTER (index));
  foreach_object (w, object, location, "faq", walk_faq, GUINT_TO_POINTER (index));
  collect_related (w, object, location, index);

  /* The defaults */
  if (e->reading_minutes == 0)
    {
      guint words = count_words (e->summary);

      for (guint i = 0; i < e->sections->len; i++)
        {
          const WSection *s = &g_array_index (e->sections, WSection, i);
          words += count_words (s->heading) + count_words (s->body);
        }

      for (guint i = 0; i < e->faq->len; i++)
        {
          const WFaq *f = &g_array_index (e->faq, WFaq, i);
          words += count_words (f->question) + count_words (f->answer);
        }

      e->reading_minutes = MAX (1, (words + 199) / 200);
    }

  item->term = hot_string (w, e->term);
  item->category = hot_string (w, e->category);
  item->tags = w->tag_offsets->len;
  item->n_tags = e->tags->len;
  for (guint i = 0; i < e->tags->len; i++)
    {
      guint32 offset = hot_string (w, g_ptr_array_index (e->tags, i));

      g_array_append_val (w->tag_offsets, offset);
    }
  item->flags = e->mature ? GLOSS_CACHE_ENTRY_MATURE : 0;

  if (!write_record (w, item))
    {
      w->overflow = TRUE;
      return ITEM_SKIPPED;
    }

  return ITEM_OK;
}

static void
walker_init (Walker *w,
             Loader *loader,
             guint   first,
             guint   last)
{
  memset (w, 0, sizeof *w);
  w->loader = loader;
  w->first = first;
  w->last = last;
  w->arena = gloss_jv_arena_new ();
  w->entry.aliases = g_ptr_array_new ();
  w->entry.tags = g_ptr_array_new ();
  w->entry.sources = g_ptr_array_new ();
  w->entry.stats = g_array_new (FALSE, FALSE, sizeof (WStat));
  w->entry.sections = g_array_new (FALSE, FALSE, sizeof (WSection));
  w->entry.faq = g_array_new (FALSE, FALSE, sizeof (WFaq));
  w->items = g_array_sized_new (FALSE, TRUE, sizeof (WalkItem), last - first);
  w->hot = g_string_sized_new (64 * (gsize)(last - first) + 64);
  w->tag_offsets = g_array_new (FALSE, FALSE, sizeof (guint32));
  w->problems = g_ptr_array_new_with_free_func ((GDestroyNotify)gloss_problem_free);
  w->refs = g_array_new (FALSE, FALSE, sizeof (PendingRef));
  w->ref_blob = g_string_new (NULL);
  w->category_ids = loader->category_ids;
  w->pieces = g_array_new (FALSE, FALSE, sizeof (Piece));
}

static void
walker_clear (Walker *w)
{
  g_clear_pointer (&w->arena, gloss_jv_arena_free);
  g_clear_pointer (&w->entry.aliases, g_ptr_array_unref);
  g_clear_pointer (&w->entry.tags, g_ptr_array_unref);
  g_clear_pointer (&w->entry.sources, g_ptr_array_unref);
  g_clear_pointer (&w->entry.stats, g_array_unref);
  g_clear_pointer (&w->entry.sections, g_array_unref);
  g_clear_pointer (&w->entry.faq, g_array_unref);
  g_clear_pointer (&w->items, g_array_unref);
  if (w->hot != NULL)
    g_string_free (g_steal_pointer (&w->hot), TRUE);
  g_clear_pointer (&w->tag_offsets, g_array_unref);
  g_clear_pointer (&w->problems, g_ptr_array_unref);
  g_clear_pointer (&w->refs, g_array_unref);
  if (w->ref_blob != NULL)
    g_string_free (g_steal_pointer (&w->ref_blob), TRUE);
  g_clear_pointer (&w->pieces, g_array_unref);
}

static gpointer
walker_run (gpointer data)
{
  Walker *w = data;
  Loader *loader = w->loader;
  GArray *spans = loader->scan->entries;

  for (guint i = w->first; i < w->last; i++)
    {
      const GlossSpan *span = &g_array_index (spans, GlossSpan, i);
      WalkItem item;
      const GlossJv *node;

      if ((i & 0xff) == 0)
        {
          if (g_cancellable_is_cancelled (loader->cancellable))
            {
              w->cancelled = TRUE;
              break;
            }

          /* The first walker speaks for all: progress from 5 % to 55 %. */
          if (w->first == 0 && loader->progress != NULL)
            _gloss_load_progress (loader->progress,
                                  0.05 + 0.5 * g_atomic_int_get (&loader->walked) / spans->len);
        }

      memset (&item, 0, sizeof item);
      item.category = GLOSS_CACHE_NONE;
      item.json_check = (guint32)gloss_hash64 (loader->data + span->offset, span->length, 0);

      node = gloss_jv_parse (w->arena, loader->data + span->offset, span->length);
      if (node == NULL)
        {
          char location[32];

          g_snprintf (location, sizeof location, "/entries/%u", i);
          skip_entry (w, location, "could not be parsed");
          item.status = ITEM_SKIPPED;
        }
      else
        item.status = walk_entry (w, node, i, &item);

      item.problems_end = w->problems->len;
      item.refs_end = w->refs->len;
      g_array_append_val (w->items, item);
      gloss_jv_arena_reset (w->arena);

      if ((i & 0x3f) == 0x3f)
        g_atomic_int_add (&loader->walked, 64);
    }

  return NULL;
}

/* The header */

static const GlossJv *
parse_member (Walker         *w,
              const char     *name)
{
  const GlossSpan *span = g_hash_table_lookup (w->loader->scan->members, name);

  if (span == NULL)
    return NULL;

  return gloss_jv_parse (w->arena, w->loader->data + span->offset, span->length);
}

typedef struct
{
  const char *id;
  const char *title;
  gboolean    title_missing;
  const char *description;
  const char *language;
  const char *license;
  const char *updated;
  GPtrArray  *authors;
  GArray     *categories;   /* of const char *: id, name, description */
} Header;

static gboolean
walk_header (Walker  *w,
             Header  *h,
             GError **error)
{
  GlossScan *scan = w->loader->scan;
  const GlossJv *format;
  const GlossJv *version;
  GlossJv object = { GLOSS_JV_OBJECT, 0, FALSE, { 0, } };
  g_autoptr(GPtrArray) names = NULL;
  GHashTableIter iter;
  gpointer key;
  gint64 number;

  if (!scan->root_is_object)
    return refuse (error, "/", "the top level must be an object, not a Gloss bundle");

  format = parse_member (w, "format");
  if (format == NULL)
    return refuse (error, "/format", "missing: not a Gloss bundle");
  if (format->type != GLOSS_JV_STRING || !g_str_equal (format->v.string, "gloss-bundle"))
    return refuse (error, "/format", "must be \"gloss-bundle\": not a Gloss bundle");

  version = parse_member (w, "version");
  if (version == NULL)
    return refuse (error, "/version", "missing");
  if (!get_exact_integer (version, &number))
    {
      const GlossSpan *span = g_hash_table_lookup (scan->members, "version");

      /* A whole number too large for 64 bits is still a newer version. */
      if (version->type == GLOSS_JV_INTEGER && w->loader->data[span->offset] != '-')
        return refuse (error, "/version", "made for a newer version of Gloss");
      return refuse (error, "/version", "must be a whole number, found %s", node_kind (version));
    }
  if (number > 1)
    return refuse (error, "/version",
                   "made for a newer version of Gloss (bundle version %" G_GINT64_FORMAT
                   "; this Gloss reads version 1)", number);
  if (number < 1)
    return refuse (error, "/version", "unknown version %" G_GINT64_FORMAT, number);

  if (scan->entries == NULL)
    {
      if (g_hash_table_contains (scan->members, "entries"))
        return refuse (error, "/entries", "must be an array");
      return refuse (error, "/entries", "missing: a bundle needs an \"entries\" array");
    }

  /* The small header members, gathered into one object so the generic
   * helpers can read them; unknown ones are reported by name. */
  names = g_ptr_array_new ();
  g_hash_table_iter_init (&iter, scan->members);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    {
      if (g_str_equal (key, "entries") || g_str_equal (key, "format") ||
          g_str_equal (key, "version"))
        continue;
      g_ptr_array_add (names, key);
    }
  g_ptr_array_sort (names, (GCompareFunc)g_strcmp0);

  object.len = names->len;
  object.v.members = gloss_jv_arena_alloc (w->arena, (names->len + 1) * sizeof (GlossJvMember));
  for (guint i = 0; i < names->len; i++)
    {
      const GlossJv *value = parse_member (w, g_ptr_array_index (names, i));

      if (value == NULL)
        return refuse (error, "/", "could not be read");
      object.v.members[i].name = g_ptr_array_index (names, i);
      object.v.members[i].value = *value;
    }

  for (guint i = 0; i < names->len; i++)
    {
      const char *name = g_ptr_array_index (names, i);

      if (!g_strv_contains (top_level_fields, name))
        {
          g_autofree char *path = pointer_join ("/", name);
          g_autofree char *quoted = quote (name);

          warn (w, path, "unknown field %s is ignored", quoted);
        }
    }

  h->id = get_string (w, &object, "/", "id", GLOSS_TEXT_MAX_SHORT, 0);
  if (h->id != NULL && !is_valid_bundle_id (h->id))
    {
      g_autofree char *quoted = quote (h->id);

      warn (w, "/id", "invalid bundle id %s (letters, digits, '.', '_' and '-', at most 128); "
            "the file's path stands in", quoted);
      h->id = NULL;
    }

  h->title = get_string (w, &object, "/", "title", GLOSS_TEXT_MAX_SHORT,
                         GLOSS_TEXT_STRIP_BIDI | GLOSS_TEXT_SINGLE_LINE);
  if (gloss_text_is_blank (h->title))
    {
      h->title = NULL;
      h->title_missing = TRUE;
      warn (w, "/title", "missing or empty; the file's name stands in");
    }

  h->description = get_string (w, &object, "/", "description", GLOSS_TEXT_MAX_PLAIN, 0);
  h->language = get_string (w, &object, "/", "language", GLOSS_TEXT_MAX_PLAIN,
                            GLOSS_TEXT_SINGLE_LINE);
  h->license = get_string (w, &object, "/", "license", GLOSS_TEXT_MAX_PLAIN,
                           GLOSS_TEXT_SINGLE_LINE);
  h->updated = get_date (w, &object, "/", "updated");
  get_strv (w, &object, "/", "authors", GLOSS_TEXT_MAX_PLAIN, GLOSS_TEXT_SINGLE_LINE,
            h->authors);

  foreach_object (w, &object, "/", "categories", walk_category, h->categories);

  return TRUE;
}

/* The merge */

typedef struct
{
  GString    *strings;
  GHashTable *shared;     /* string → offset + 1, for strings worth sharing */
} StringTable;

static guint32
table_add (StringTable *t,
           const char  *s)
{
  guint32 offset;

  if (s == NULL)
    return GLOSS_CACHE_NONE;

  offset = t->strings->len;
  g_string_append_len (t->strings, s, strlen (s) + 1);
  return offset;
}

/* Tags and categories repeat: each is stored once. @s must outlive the
 * table. */
static guint32
table_add_shared (StringTable *t,
                  const char  *s)
{
  gpointer found;
  guint32 offset;

  if (s == NULL)
    return GLOSS_CACHE_NONE;

  found = g_hash_table_lookup (t->shared, s);
  if (found != NULL)
    return GPOINTER_TO_UINT (found) - 1;

  offset = table_add (t, s);
  g_hash_table_insert (t->shared, (gpointer)s, GUINT_TO_POINTER (offset + 1));
  return offset;
}

typedef struct
{
  char  *key;
  guint  position;
} SortItem;

static int
compare_sort_items (gconstpointer a,
                    gconstpointer b)
{
  const SortItem *sa = a;
  const SortItem *sb = b;
  int ret = strcmp (sa->key, sb->key);

  if (ret == 0)
    ret = (sa->position > sb->position) - (sa->position < sb->position);

  return ret;
}

typedef struct
{
  const char *strings;
  guint       position;
  guint32     id;
} IdItem;

static int
compare_id_items (gconstpointer a,
                  gconstpointer b)
{
  const IdItem *ia = a;
  const IdItem *ib = b;

  return strcmp (ia->strings + ia->id, ib->strings + ib->id);
}

typedef struct
{
  SortItem *items;
  guint     first;
  guint     last;
} CollateJob;

static gpointer
collate_run (gpointer data)
{
  CollateJob *job = data;

  for (guint i = job->first; i < job->last; i++)
    job->items[i].key = g_utf8_collate_key ((const char *)job->items[i].key, -1);

  return NULL;
}

/* The sidebar's order: by term, with the locale's collation (the keys
 * made in two threads: each is a strxfrm). */
static guint32 *
sort_by_term (const GlossCacheEntry *entries,
              guint                  n,
              const char            *strings)
{
  g_autofree SortItem *items = g_new (SortItem, n + 1);
  guint32 *sorted = g_new (guint32, n + 1);
  CollateJob jobs[2];
  GThread *thread = NULL;

  for (guint i = 0; i < n; i++)
    {
      items[i].key = (char *)strings + entries[i].term;
      items[i].position = i;
    }

  jobs[0].items = jobs[1].items = items;
  jobs[0].first = 0;
  jobs[0].last = jobs[1].first = n / 2;
  jobs[1].last = n;
  if (n > 4096 && g_get_num_processors () > 1)
    thread = g_thread_new ("gloss-collate", collate_run, &jobs[1]);
  else
    jobs[0].last = n;
  collate_run (&jobs[0]);
  if (thread != NULL)
    g_thread_join (thread);

  qsort (items, n, sizeof (SortItem), compare_sort_items);

  for (guint i = 0; i < n; i++)
    {
      sorted[i] = items[i].position;
      g_free (items[i].key);
    }

  return sorted;
}

/* Builds the image's sections from the walkers' outputs, in file order. */
static void
merge (Loader     *loader,
       GlossImage *image,
       Header     *h,
       Walker  *header_walker,
       Walker  *walkers,
       guint    n_walkers)
{
  g_autoptr(GHashTable) by_id = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GArray) entries = g_array_new (FALSE, TRUE, sizeof (GlossCacheEntry));
  g_autoptr(GArray) taglists = g_array_new (FALSE, FALSE, sizeof (guint32));
  g_autoptr(GArray) related = g_array_new (FALSE, FALSE, sizeof (guint32));
  g_autoptr(GArray) authors = g_array_new (FALSE, FALSE, sizeof (guint32));
  g_autoptr(GArray) categories = g_array_new (FALSE, FALSE, sizeof (GlossCacheCategory));
  g_autoptr(GArray) problems = g_array_new (FALSE, FALSE, sizeof (GlossCacheProblem));
  g_autoptr(GPtrArray) late = g_ptr_array_new_with_free_func ((GDestroyNotify)gloss_problem_free);
  g_autofree guint32 *positions = NULL;   /* entry index → position + 1 */
  g_autofree guint32 *sorted = NULL;
  g_autofree guint32 *by_id_order = NULL;
  g_autofree IdItem *id_items = NULL;
  GlossCacheMeta *meta;
  StringTable table;
  GString *pstrings;
  GHashTable *pshared;
  guint n_entries_in = loader->scan->entries->len;
  guint n_warnings = 0;
  guint n_errors = 0;
  guint n;

  table.strings = g_string_new (NULL);
  table.shared = g_hash_table_new (g_str_hash, g_str_equal);
  pstrings = g_string_new (NULL);
  pshared = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  positions = g_new0 (guint32, n_entries_in + 1);

  /* Problems go to their own strings; messages repeat a lot. */
#define ADD_PROBLEM(p)                                                              \
  G_STMT_START {                                                                    \
    const GlossProblem *problem_ = (p);                                             \
    GlossCacheProblem row_;                                                         \
    gpointer found_;                                                                \
                                                                                    \
    row_.severity = problem_->severity;                                             \
    row_.location = pstrings->len;                                                  \
    g_string_append_len (pstrings, problem_->location, strlen (problem_->location) + 1); \
    found_ = g_hash_table_lookup (pshared, problem_->message);                      \
    if (found_ != NULL)                                                             \
      row_.message = GPOINTER_TO_UINT (found_) - 1;                                 \
    else                                                                            \
      {                                                                             \
        row_.message = pstrings->len;                                               \
        g_string_append_len (pstrings, problem_->message, strlen (problem_->message) + 1); \
        g_hash_table_insert (pshared, g_strdup (problem_->message),                 \
                             GUINT_TO_POINTER (row_.message + 1));                  \
      }                                                                             \
    g_array_append_val (problems, row_);                                            \
    if (problem_->severity == GLOSS_SEVERITY_WARNING)                               \
      n_warnings++;                                                                 \
    else                                                                            \
      n_errors++;                                                                   \
  } G_STMT_END

  for (guint i = 0; i < header_walker->problems->len; i++)
    ADD_PROBLEM (g_ptr_array_index (header_walker->problems, i));

  /* Walk order is file order: walker by walker, item by item. */
  for (guint t = 0; t < n_walkers; t++)
    {
      Walker *w = &walkers[t];
      guint problems_start = 0;

      for (guint k = 0; k < w->items->len; k++)
        {
          const WalkItem *item = &g_array_index (w->items, WalkItem, k);
          guint index = w->first + k;
          const char *id = item->status != ITEM_SKIPPED ? w->hot->str + item->id : NULL;
          gpointer other = id != NULL ? g_hash_table_lookup (by_id, id) : NULL;

          if (other != NULL)
            {
              /* A duplicate id: what else the walk found does not count. */
              const GlossCacheEntry *first = &g_array_index (entries, GlossCacheEntry,
                                                             GPOINTER_TO_UINT (other) - 1);
              g_autofree char *quoted = quote (id);
              g_autofree char *message = NULL;
              char location[48];
              GlossProblem problem;

              g_snprintf (location, sizeof location, "/entries/%u/id", index);
              message = g_strdup_printf ("entry skipped: duplicate id %s (already used by “%s”)",
                                         quoted, table.strings->str + first->term);
              problem.severity = GLOSS_SEVERITY_ERROR;
              problem.location = location;
              problem.message = message;
              ADD_PROBLEM (&problem);
              problems_start = item->problems_end;
              continue;
            }

          for (guint p = problems_start; p < item->problems_end; p++)
            ADD_PROBLEM (g_ptr_array_index (w->problems, p));
          problems_start = item->problems_end;

          if (item->status == ITEM_OK)
            {
              GlossCacheEntry row = { 0, };

              row.id = table_add (&table, id);
              row.term = table_add (&table, w->hot->str + item->term);
              row.category = item->category == GLOSS_CACHE_NONE
                             ? GLOSS_CACHE_NONE
                             : table_add_shared (&table, w->hot->str + item->category);
              row.flags = item->flags;
              row.tags = taglists->len;
              row.n_tags = item->n_tags;
              for (guint j = 0; j < item->n_tags; j++)
                {
                  guint32 offset = g_array_index (w->tag_offsets, guint32, item->tags + j);
                  guint32 shared = table_add_shared (&table, w->hot->str + offset);

                  g_array_append_val (taglists, shared);
                }
              row.record = item->record;
              row.record_size = item->record_size;
              row.record_check = item->record_check;
              row.json = g_array_index (loader->scan->entries, GlossSpan, index).offset;
              row.json_size = g_array_index (loader->scan->entries, GlossSpan, index).length;
              row.json_check = item->json_check;

              g_array_append_val (entries, row);
              g_hash_table_insert (by_id, (gpointer)id, GUINT_TO_POINTER (entries->len));
              positions[index] = entries->len;
            }
        }
    }

  n = entries->len;

  /* References, now that every entry is known: `related` ids and `entry:`
   * links that point nowhere are warned about; related ids that do resolve
   * are kept, in order, once each. */
  for (guint t = 0; t < n_walkers; t++)
    {
      Walker *w = &walkers[t];
      guint refs_start = 0;

      for (guint k = 0; k < w->items->len; k++)
        {
          const WalkItem *item = &g_array_index (w->items, WalkItem, k);
          guint index = w->first + k;
          guint position = positions[index];
          GlossCacheEntry *row;

          if (position == 0)
            {
              refs_start = item->refs_end;
              continue;
            }

          row = &g_array_index (entries, GlossCacheEntry, position - 1);
          row->related = related->len;

          for (guint r = refs_start; r < item->refs_end; r++)
            {
              const PendingRef *ref = &g_array_index (w->refs, PendingRef, r);
              const char *target = w->ref_blob->str + ref->target;
              guint found = GPOINTER_TO_UINT (g_hash_table_lookup (by_id, target));
              gboolean is_related = ref->kind == REF_RELATED;

              if (is_related && found == position)
                {
                  g_autofree char *location = ref_location (ref->entry, ref->kind, ref->item);

                  add_problem (late, GLOSS_SEVERITY_WARNING, location,
                               "an entry cannot be related to itself; ignored");
                }
              else if (found == 0)
                {
                  g_autofree char *location = ref_location (ref->entry, ref->kind, ref->item);
                  g_autofree char *quoted = quote (target);
                  g_autofree char *message = NULL;

                  if (is_related)
                    message = g_strdup_printf ("no entry with id %s; ignored", quoted);
                  else
                    message = g_strdup_printf ("link to a missing entry %s; shown as plain text",
                                               quoted);
                  add_problem (late, GLOSS_SEVERITY_WARNING, location, message);
                }
              else if (is_related)
                {
                  guint32 target_position = found - 1;
                  gboolean seen = FALSE;

                  for (guint j = row->related; j < related->len && !seen; j++)
                    seen = g_array_index (related, guint32, j) == target_position;
                  if (!seen)
                    g_array_append_val (related, target_position);
                }
            }

          row->n_related = related->len - row->related;
          refs_start = item->refs_end;
        }
    }

  for (guint i = 0; i < late->len; i++)
    ADD_PROBLEM (g_ptr_array_index (late, i));

#undef ADD_PROBLEM

  /* The header's strings */
  meta = g_new0 (GlossCacheMeta, 1);
  meta->id = table_add (&table, h->id);
  meta->title = table_add (&table, h->title);
  meta->description = table_add (&table, h->description);
  meta->language = table_add (&table, h->language);
  meta->license = table_add (&table, h->license);
  meta->updated = table_add (&table, h->updated);
  meta->n_entries = n;
  meta->n_errors = n_errors;
  meta->n_skipped = n_errors;
  meta->n_warnings = n_warnings;
  for (guint i = 0; i < h->authors->len; i++)
    {
      guint32 offset = table_add (&table, g_ptr_array_index (h->authors, i));
      g_array_append_val (authors, offset);
    }
  for (guint i = 0; i + 2 < h->categories->len; i += 3)
    {
      GlossCacheCategory category;

      category.id = table_add (&table, g_array_index (h->categories, const char *, i));
      category.name = table_add (&table, g_array_index (h->categories, const char *, i + 1));
      category.description = table_add (&table, g_array_index (h->categories, const char *, i + 2));
      g_array_append_val (categories, category);
    }
  if (table.strings->len == 0)
    g_string_append_c (table.strings, '\0');

  sorted = sort_by_term ((const GlossCacheEntry *)(gpointer)entries->data, n, table.strings->str);

  id_items = g_new (IdItem, n + 1);
  for (guint i = 0; i < n; i++)
    {
      id_items[i].strings = table.strings->str;
      id_items[i].position = i;
      id_items[i].id = g_array_index (entries, GlossCacheEntry, i).id;
    }
  qsort (id_items, n, sizeof (IdItem), compare_id_items);
  by_id_order = g_new (guint32, n + 1);
  for (guint i = 0; i < n; i++)
    by_id_order[i] = id_items[i].position;

  gloss_image_set_section (image, GLOSS_SECTION_META, meta, sizeof *meta, g_free);
  gloss_image_set_section (image, GLOSS_SECTION_STRINGS, table.strings->str, table.strings->len,
                           g_free);
  g_string_free (table.strings, FALSE);
  g_hash_table_unref (table.shared);
  gloss_image_set_section (image, GLOSS_SECTION_PROBLEM_STRINGS, pstrings->str, pstrings->len,
                           g_free);
  g_string_free (pstrings, FALSE);
  g_hash_table_unref (pshared);

#define TAKE_ARRAY(id, array)                                                           \
  G_STMT_START {                                                                        \
    gsize size_ = (gsize)(array)->len * g_array_get_element_size (array);               \
    gloss_image_set_section (image, id, g_array_free (g_steal_pointer (&(array)), FALSE), \
                             size_, g_free);                                            \
  } G_STMT_END

  TAKE_ARRAY (GLOSS_SECTION_AUTHORS, authors);
  TAKE_ARRAY (GLOSS_SECTION_CATEGORIES, categories);
  TAKE_ARRAY (GLOSS_SECTION_ENTRIES, entries);
  TAKE_ARRAY (GLOSS_SECTION_TAGLISTS, taglists);
  TAKE_ARRAY (GLOSS_SECTION_RELATED, related);
  TAKE_ARRAY (GLOSS_SECTION_PROBLEMS, problems);
#undef TAKE_ARRAY

  gloss_image_set_section (image, GLOSS_SECTION_SORTED, g_steal_pointer (&sorted),
                           (gsize)n * 4, g_free);
  gloss_image_set_section (image, GLOSS_SECTION_BY_ID, g_steal_pointer (&by_id_order),
                           (gsize)n * 4, g_free);

  /* The image owns the records' memory already. */
  gloss_image_set_section (image, GLOSS_SECTION_RECORDS, loader->records, loader->records_used,
                           NULL);
}

/**
 * _gloss_bundle_compile:
 *
 * Checks, walks and compiles a bundle's bytes into an image held in
 * memory, with every section but the search index's.
 *
 * Returns: (transfer full) (nullable): the image, or %NULL with
 *   GLOSS_BUNDLE_ERROR_REFUSED (or a cancellation)
 */
GlossImage *
_gloss_bundle_compile (const char               *data,
                       gsize                     length,
                       GCancellable             *cancellable,
                       const GlossLoadProgress  *progress,
                       GError                  **error)
{
  g_autoptr(GlossScan) scan = NULL;
  g_autoptr(GHashTable) category_ids = NULL;
  g_autoptr(GlossImage) image = NULL;
  Walker header_walker;
  Walker walkers[MAX_WALKERS];
  GThread *threads[MAX_WALKERS] = { NULL, };
  Header h = { NULL, };
  Loader loader;
  guint n_walkers;
  guint n_entries;
  gboolean failed = FALSE;
  gboolean overflow = FALSE;

  init_word_class ();

  gint64 t0 = g_get_monotonic_time ();
  gint64 t1 = 0, t2 = 0;

  scan = gloss_prescan (data, length, error);
  if (scan == NULL)
    return NULL;
  t1 = g_get_monotonic_time ();

  _gloss_load_progress (progress, 0.05);

  memset (&loader, 0, sizeof loader);
  category_ids = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  loader.data = data;
  loader.length = length;
  loader.scan = scan;
  loader.cancellable = cancellable;
  loader.category_ids = category_ids;
  loader.progress = progress;

  walker_init (&header_walker, &loader, 0, 0);
  h.authors = g_ptr_array_new ();
  h.categories = g_array_new (FALSE, FALSE, sizeof (const char *));

  if (!walk_header (&header_walker, &h, error))
    {
      failed = TRUE;
      goto out;
    }

  n_entries = scan->entries->len;

  /* A record is never more than twice its JSON (a string of one
   * character, "x", is four bytes of length, the character and a NUL),
   * plus the fixed part of each entry. Reserved, not used. */
  loader.records_cap = 2 * (gsize)length + 64 * (gsize)n_entries + 4096;
  image = gloss_image_new ();
  loader.records = gloss_cache_map_anonymous (loader.records_cap, image);
  if (loader.records == NULL)
    {
      g_set_error (error, GLOSS_BUNDLE_ERROR, GLOSS_BUNDLE_ERROR_IO, "out of memory");
      failed = TRUE;
      goto out;
    }

  n_walkers = CLAMP (n_entries / MIN_PER_WALKER, 1, MIN (MAX_WALKERS, g_get_num_processors ()));
  for (guint t = 0; t < n_walkers; t++)
    walker_init (&walkers[t], &loader, (guint64)n_entries * t / n_walkers,
                 (guint64)n_entries * (t + 1) / n_walkers);

  for (guint t = 1; t < n_walkers; t++)
    threads[t] = g_thread_new ("gloss-walk", walker_run, &walkers[t]);
  walker_run (&walkers[0]);
  for (guint t = 1; t < n_walkers; t++)
    g_thread_join (threads[t]);

  for (guint t = 0; t < n_walkers; t++)
    {
      failed |= walkers[t].cancelled;
      overflow |= walkers[t].overflow;
    }

  if (failed || g_cancellable_set_error_if_cancelled (cancellable, error))
    {
      if (error != NULL && *error == NULL)
        g_cancellable_set_error_if_cancelled (cancellable, error);
      failed = TRUE;
    }
  else if (overflow)
    {
      g_set_error (error, GLOSS_BUNDLE_ERROR, GLOSS_BUNDLE_ERROR_IO,
                   "an entry is too large to hold");
      failed = TRUE;
    }
  else
    {
      _gloss_load_progress (progress, 0.55);
      t2 = g_get_monotonic_time ();
      merge (&loader, image, &h, &header_walker, walkers, n_walkers);
      if (g_get_monotonic_time () - t0 > 100 * 1000)
        g_debug ("pre-scan %.0f ms, walk %.0f ms (%u threads), merge %.0f ms", (t1 - t0) / 1e3,
                 (t2 - t1) / 1e3, n_walkers, (g_get_monotonic_time () - t2) / 1e3);
    }

  for (guint t = 0; t < n_walkers; t++)
    walker_clear (&walkers[t]);

out:
  walker_clear (&header_walker);
  g_ptr_array_unref (h.authors);
  g_array_unref (h.categories);

  if (failed)
    return NULL;

  {
    g_autoptr(GError) check_error = NULL;

    if (!gloss_image_check (image, &check_error))
      {
        g_critical ("a bundle compiled into a broken image: %s", check_error->message);
        g_set_error (error, GLOSS_BUNDLE_ERROR, GLOSS_BUNDLE_ERROR_IO, "internal error");
        return NULL;
      }
  }
  image->trusted = TRUE;

  return g_steal_pointer (&image);
}

/* The position of the entry with @id in @image, by binary search. */
static gboolean
image_find_entry (GlossImage *image,
                  const char *id,
                  guint      *position)
{
  const guint32 *by_id = gloss_image_section (image, GLOSS_SECTION_BY_ID, NULL);
  guint lo = 0;
  guint hi = image->n_entries;

  while (lo < hi)
    {
      guint mid = lo + (hi - lo) / 2;
      int cmp = strcmp (gloss_image_string (image, image->entries[by_id[mid]].id), id);

      if (cmp == 0)
        {
          *position = by_id[mid];
          return TRUE;
        }
      if (cmp < 0)
        lo = mid + 1;
      else
        hi = mid;
    }

  return FALSE;
}

/**
 * _gloss_image_recover_record:
 *
 * For a mapped record that failed its check: the entry read again from
 * the bundle's JSON, walked as the first load walked it, when the file is
 * still the one the cache was made from and the entry's bytes still hash
 * as they did. The walk's warnings are known already and dropped.
 *
 * Returns: (transfer full) (nullable): the record, and in @related (freed
 *   by the caller) the positions of its related entries
 */
guint8 *
_gloss_image_recover_record (GlossImage  *image,
                             guint        position,
                             gsize       *size,
                             guint32    **related,
                             guint       *n_related)
{
  const GlossCacheEntry *row = &image->entries[position];
  const GlossCacheCategory *categories;
  g_autoptr(GHashTable) category_ids = NULL;
  g_autoptr(GArray) kept = NULL;
  g_autofree char *json = NULL;
  guint8 *record = NULL;
  const GlossJv *node;
  const char *path;
  struct stat st;
  WalkItem item;
  Walker w;
  Loader loader;
  gsize n;
  gssize got;
  int fd;

  if (image->mapping == NULL || image->section_size[GLOSS_SECTION_KEY] == 0)
    return NULL;

  /* The KEY section matched this process's key: its first string is the
   * bundle's canonical path. */
  path = (const char *)image->section_data[GLOSS_SECTION_KEY];
  fd = g_open (path, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY, 0);
  if (fd < 0)
    return NULL;

  if (fstat (fd, &st) != 0 || (guint64)st.st_dev != image->header.source_dev ||
      (guint64)st.st_ino != image->header.source_ino ||
      (guint64)st.st_size != image->header.source_size ||
      st.st_mtim.tv_sec != image->header.source_mtime_sec ||
      st.st_mtim.tv_nsec != image->header.source_mtime_nsec)
    {
      close (fd);
      return NULL;
    }

  json = g_malloc (row->json_size + 1);
  do
    got = pread (fd, json, row->json_size, row->json);
  while (got < 0 && errno == EINTR);
  close (fd);

  if (got != (gssize)row->json_size ||
      (guint32)gloss_hash64 (json, row->json_size, 0) != row->json_check)
    return NULL;

  category_ids = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  categories = gloss_image_section (image, GLOSS_SECTION_CATEGORIES, &n);
  for (gsize i = 0; i < n / sizeof (GlossCacheCategory); i++)
    g_hash_table_add (category_ids, g_strdup (gloss_image_string (image, categories[i].id)));

  memset (&loader, 0, sizeof loader);
  loader.data = json;
  loader.length = row->json_size;
  loader.category_ids = category_ids;
  loader.records_cap = 2 * (gsize)row->json_size + 4096;
  loader.records = g_malloc (loader.records_cap);

  walker_init (&w, &loader, 0, 0);
  memset (&item, 0, sizeof item);
  item.category = GLOSS_CACHE_NONE;

  node = gloss_jv_parse (w.arena, json, row->json_size);
  if (node != NULL && walk_entry (&w, node, position, &item) == ITEM_OK &&
      g_str_equal (w.hot->str + item.id, gloss_image_string (image, row->id)))
    {
      kept = g_array_new (FALSE, FALSE, sizeof (guint32));
      for (guint r = 0; r < w.refs->len; r++)
        {
          const PendingRef *ref = &g_array_index (w.refs, PendingRef, r);
          guint target;
          gboolean seen = FALSE;

          if (ref->kind != REF_RELATED ||
              !image_find_entry (image, w.ref_blob->str + ref->target, &target) ||
              target == position)
            continue;

          for (guint j = 0; j < kept->len && !seen; j++)
            seen = g_array_index (kept, guint32, j) == target;
          if (!seen)
            g_array_append_val (kept, target);
        }

      record = g_memdup2 (loader.records + item.record, item.record_size);
      *size = item.record_size;
      *n_related = kept->len;
      *related = (guint32 *)(gpointer)g_array_free (g_steal_pointer (&kept), FALSE);
    }

  walker_clear (&w);
  g_free (loader.records);

  return record;
}
