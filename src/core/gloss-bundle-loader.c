/* gloss-bundle-loader.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "gloss-bundle-loader"

#include "config.h"

#include <string.h>

#include <json-glib/json-glib.h>

#include "gloss-bundle-private.h"
#include "gloss-entry-private.h"
#include "gloss-index.h"
#include "gloss-link.h"
#include "gloss-markdown.h"
#include "gloss-prescan.h"
#include "gloss-text.h"

/* The schema walk. The pre-scan has already proved the bytes are strict JSON
 * and told us where each top-level member and each entry lies, so json-glib
 * parses one small value at a time: peak memory stays near the file's size
 * and no JSON tree outlives the entry it describes. */

/* A reference to another entry (a `related` id or an `entry:` link),
 * checked once every entry is known. */
typedef struct
{
  GlossEntry *entry;
  char       *location;
  char       *target;
  gboolean    related;
} PendingRef;

typedef struct
{
  const char   *data;
  GlossScan    *scan;
  JsonParser   *parser;
  GlossBundle  *bundle;
  GHashTable   *category_ids;
  GArray       *refs;         /* of PendingRef */
} Walker;

static void
clear_pending_ref (gpointer data)
{
  PendingRef *ref = data;

  g_free (ref->location);
  g_free (ref->target);
}

static void
add_pending_ref (Walker     *w,
                 GlossEntry *entry,
                 const char *location,
                 const char *target,
                 gboolean    related)
{
  PendingRef ref = { entry, g_strdup (location), g_strdup (target), related };

  g_array_append_val (w->refs, ref);
}

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

  g_ptr_array_add (w->bundle->problems,
                   gloss_problem_new (GLOSS_SEVERITY_WARNING, location, message));
  w->bundle->n_warnings++;
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
  g_ptr_array_add (w->bundle->problems,
                   gloss_problem_new (GLOSS_SEVERITY_ERROR, location, full));
  w->bundle->n_errors++;
  w->bundle->n_skipped++;
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
node_kind (JsonNode *node)
{
  switch (JSON_NODE_TYPE (node))
    {
    case JSON_NODE_OBJECT:
      return "an object";
    case JSON_NODE_ARRAY:
      return "an array";
    case JSON_NODE_NULL:
      return "null";
    case JSON_NODE_VALUE:
    default:
      break;
    }

  switch (json_node_get_value_type (node))
    {
    case G_TYPE_STRING:
      return "a string";
    case G_TYPE_BOOLEAN:
      return "a boolean";
    default:
      return "a number";
    }
}

static gboolean
node_is_string (JsonNode *node)
{
  return JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING;
}

/* Parses one value the pre-scan has already checked. */
static JsonNode *
parse_span (Walker          *w,
            const GlossSpan *span)
{
  g_autoptr(GError) error = NULL;

  if (!json_parser_load_from_data (w->parser, w->data + span->offset, span->length, &error))
    {
      /* The pre-scan accepts only strict JSON, which json-glib always reads. */
      g_critical ("json-glib refused a value the pre-scan accepted: %s", error->message);
      return NULL;
    }

  return json_parser_steal_root (w->parser);
}

static void
warn_unknown_fields (Walker             *w,
                     JsonObject         *object,
                     const char         *location,
                     const char * const *known)
{
  JsonObjectIter iter;
  const char *name;

  json_object_iter_init (&iter, object);
  while (json_object_iter_next (&iter, &name, NULL))
    {
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

/* Cleans a string from the bundle and warns about what had to change. */
static char *
clean_string (Walker         *w,
              const char     *text,
              const char     *location,
              guint           max_chars,
              GlossTextFlags  flags)
{
  GlossTextChanges changes;
  char *clean;

  clean = gloss_text_clean (text, -1, max_chars, flags, &changes);

  if (changes & GLOSS_TEXT_CHANGED_MARKS)
    warn (w, location, "more than %u combining marks on one character; the rest were dropped",
          GLOSS_TEXT_MAX_MARKS);
  if (changes & GLOSS_TEXT_CHANGED_CUT)
    warn (w, location, "longer than %s characters; cut", cap_name (max_chars));

  return clean;
}

/* An optional string member: NULL when absent; a warning when it is there
 * but not a string. */
static char *
get_string (Walker         *w,
            JsonObject     *object,
            const char     *parent,
            const char     *name,
            guint           max_chars,
            GlossTextFlags  flags)
{
  g_autofree char *location = NULL;
  JsonNode *node;

  node = json_object_get_member (object, name);
  if (node == NULL)
    return NULL;

  location = pointer_join (parent, name);

  if (!node_is_string (node))
    {
      warn (w, location, "expected a string, found %s; ignored", node_kind (node));
      return NULL;
    }

  return clean_string (w, json_node_get_string (node), location, max_chars, flags);
}

static char *
get_date (Walker     *w,
          JsonObject *object,
          const char *parent,
          const char *name)
{
  g_autofree char *value = get_string (w, object, parent, name, GLOSS_TEXT_MAX_SHORT, 0);

  if (value != NULL && !gloss_text_is_date (value))
    {
      g_autofree char *location = pointer_join (parent, name);
      g_autofree char *quoted = quote (value);

      warn (w, location, "%s is not a date written YYYY-MM-DD; ignored", quoted);
      return NULL;
    }

  return g_steal_pointer (&value);
}

/* An optional array of strings; items of another type are dropped with a
 * warning, empty items silently. */
static char **
get_strv (Walker         *w,
          JsonObject     *object,
          const char     *parent,
          const char     *name,
          guint           max_chars,
          GlossTextFlags  flags)
{
  g_autofree char *location = NULL;
  g_autoptr(GPtrArray) values = NULL;
  JsonArray *array;
  JsonNode *node;
  guint n;

  node = json_object_get_member (object, name);
  if (node == NULL)
    return NULL;

  location = pointer_join (parent, name);

  if (!JSON_NODE_HOLDS_ARRAY (node))
    {
      warn (w, location, "expected an array of strings, found %s; ignored", node_kind (node));
      return NULL;
    }

  array = json_node_get_array (node);
  n = json_array_get_length (array);
  values = g_ptr_array_new_full (n + 1, g_free);

  for (guint i = 0; i < n; i++)
    {
      JsonNode *item = json_array_get_element (array, i);
      g_autofree char *item_location = pointer_index (location, i);
      char *value;

      if (!node_is_string (item))
        {
          warn (w, item_location, "expected a string, found %s; ignored", node_kind (item));
          continue;
        }

      value = clean_string (w, json_node_get_string (item), item_location, max_chars, flags);
      if (gloss_text_is_blank (value))
        {
          g_free (value);
          continue;
        }

      g_ptr_array_add (values, value);
    }

  g_ptr_array_add (values, NULL);
  return (char **)g_ptr_array_free (g_steal_pointer (&values), FALSE);
}

/* Walks an optional array of objects, calling @func on each object item. */
static void
foreach_object (Walker     *w,
                JsonObject *object,
                const char *parent,
                const char *name,
                void      (*func) (Walker     *w,
                                   JsonObject *item,
                                   const char *location,
                                   gpointer    data),
                gpointer    data)
{
  g_autofree char *location = NULL;
  JsonArray *array;
  JsonNode *node;
  guint n;

  node = json_object_get_member (object, name);
  if (node == NULL)
    return;

  location = pointer_join (parent, name);

  if (!JSON_NODE_HOLDS_ARRAY (node))
    {
      warn (w, location, "expected an array, found %s; ignored", node_kind (node));
      return;
    }

  array = json_node_get_array (node);
  n = json_array_get_length (array);

  for (guint i = 0; i < n; i++)
    {
      JsonNode *item = json_array_get_element (array, i);
      g_autofree char *item_location = pointer_index (location, i);

      if (!JSON_NODE_HOLDS_OBJECT (item))
        {
          warn (w, item_location, "expected an object, found %s; ignored", node_kind (item));
          continue;
        }

      func (w, json_node_get_object (item), item_location, data);
    }
}

/* A required string inside an array item: the item is ignored without it. */
static char *
require_string (Walker         *w,
                JsonObject     *object,
                const char     *parent,
                const char     *name,
                const char     *what,
                guint           max_chars,
                GlossTextFlags  flags)
{
  char *value = get_string (w, object, parent, name, max_chars, flags);

  if (gloss_text_is_blank (value))
    {
      g_autofree char *location = pointer_join (parent, name);

      if (!json_object_has_member (object, name))
        warn (w, parent, "%s without \"%s\"; ignored", what, name);
      else if (value != NULL)
        warn (w, location, "empty \"%s\"; the %s is ignored", name, what);
      g_clear_pointer (&value, g_free);
    }

  return value;
}

static void
walk_category (Walker     *w,
               JsonObject *object,
               const char *location,
               gpointer    data)
{
  g_autofree char *id = NULL;
  g_autofree char *name = NULL;

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
  _gloss_bundle_add_category (w->bundle,
                              g_steal_pointer (&id),
                              g_steal_pointer (&name),
                              get_string (w, object, location, "description",
                                          GLOSS_TEXT_MAX_PLAIN, 0));
}

static void
walk_stat (Walker     *w,
           JsonObject *object,
           const char *location,
           gpointer    data)
{
  GlossEntry *entry = data;
  GlossStat stat = { 0 };

  warn_unknown_fields (w, object, location, stat_fields);

  stat.label = require_string (w, object, location, "label", "stat", GLOSS_TEXT_MAX_SHORT,
                               GLOSS_TEXT_SINGLE_LINE);
  stat.value = require_string (w, object, location, "value", "stat", GLOSS_TEXT_MAX_PLAIN, 0);
  if (stat.label == NULL || stat.value == NULL)
    {
      g_free (stat.label);
      g_free (stat.value);
      return;
    }

  stat.note = get_string (w, object, location, "note", GLOSS_TEXT_MAX_PLAIN, 0);
  g_array_append_val (entry->stats, stat);
}

static void collect_links   (Walker     *w,
                             GlossEntry *entry,
                             const char *markdown,
                             const char *location);
static void collect_related (Walker     *w,
                             JsonObject *object,
                             const char *parent,
                             GlossEntry *entry);

static void
walk_section (Walker     *w,
              JsonObject *object,
              const char *location,
              gpointer    data)
{
  GlossEntry *entry = data;
  GlossSection section = { 0 };

  warn_unknown_fields (w, object, location, section_fields);

  section.body = require_string (w, object, location, "body", "section", GLOSS_TEXT_MAX_LONG, 0);
  if (section.body == NULL)
    return;

  {
    g_autofree char *body_location = pointer_join (location, "body");
    collect_links (w, entry, section.body, body_location);
  }

  section.heading = get_string (w, object, location, "heading", GLOSS_TEXT_MAX_SHORT,
                                GLOSS_TEXT_SINGLE_LINE);
  if (gloss_text_is_blank (section.heading))
    g_clear_pointer (&section.heading, g_free);

  g_array_append_val (entry->sections, section);
}

static void
walk_faq (Walker     *w,
          JsonObject *object,
          const char *location,
          gpointer    data)
{
  GlossEntry *entry = data;
  GlossFaq faq = { 0 };

  warn_unknown_fields (w, object, location, faq_fields);

  faq.question = require_string (w, object, location, "question", "question",
                                 GLOSS_TEXT_MAX_PLAIN, GLOSS_TEXT_SINGLE_LINE);
  faq.answer = require_string (w, object, location, "answer", "question",
                               GLOSS_TEXT_MAX_LONG, 0);
  if (faq.question == NULL || faq.answer == NULL)
    {
      g_free (faq.question);
      g_free (faq.answer);
      return;
    }

  {
    g_autofree char *answer_location = pointer_join (location, "answer");
    collect_links (w, entry, faq.answer, answer_location);
  }

  g_array_append_val (entry->faq, faq);
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

/* A JSON integer json-glib holds exactly, per the pre-scan's list of
 * numbers it would alter. */
static gboolean
get_exact_integer (Walker     *w,
                   JsonNode   *node,
                   const char *location,
                   gint64     *value)
{
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_INT64)
    return FALSE;

  if (g_hash_table_contains (w->scan->unsafe_numbers, location))
    return FALSE;

  *value = json_node_get_int (node);
  return TRUE;
}

static void
walk_entry (Walker     *w,
            JsonNode   *node,
            guint       index)
{
  g_autofree char *location = g_strdup_printf ("/entries/%u", index);
  g_autofree char *id_location = NULL;
  g_autoptr(GlossEntry) entry = NULL;
  g_autofree char *id = NULL;
  JsonObject *object;
  JsonNode *member;
  guint first;

  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      skip_entry (w, location, "expected an object, found %s", node_kind (node));
      return;
    }

  object = json_node_get_object (node);
  id_location = pointer_join (location, "id");

  member = json_object_get_member (object, "id");
  if (member == NULL)
    {
      skip_entry (w, location, "no \"id\"");
      return;
    }
  if (!node_is_string (member))
    {
      skip_entry (w, id_location, "\"id\" must be a string, found %s", node_kind (member));
      return;
    }
  if (!is_valid_entry_id (json_node_get_string (member)))
    {
      g_autofree char *quoted = quote (json_node_get_string (member));

      skip_entry (w, id_location,
                  "invalid id %s (lowercase letters, digits, '.', '_' and '-', at most 128)",
                  quoted);
      return;
    }

  id = g_strdup (json_node_get_string (member));
  first = GPOINTER_TO_UINT (g_hash_table_lookup (w->bundle->by_id, id));
  if (first != 0)
    {
      GlossEntry *other = g_ptr_array_index (w->bundle->entries, first - 1);
      g_autofree char *quoted = quote (id);

      skip_entry (w, id_location, "duplicate id %s (already used by “%s”)", quoted,
                  gloss_entry_get_term (other));
      return;
    }

  entry = _gloss_entry_new ();
  entry->id = g_steal_pointer (&id);

  member = json_object_get_member (object, "term");
  if (member == NULL)
    {
      skip_entry (w, location, "no \"term\"");
      return;
    }
  entry->term = get_string (w, object, location, "term", GLOSS_TEXT_MAX_SHORT,
                            GLOSS_TEXT_STRIP_BIDI | GLOSS_TEXT_SINGLE_LINE);
  if (gloss_text_is_blank (entry->term))
    {
      g_autofree char *term_location = pointer_join (location, "term");

      if (entry->term == NULL)
        skip_entry (w, term_location, "\"term\" must be a string, found %s", node_kind (member));
      else
        skip_entry (w, term_location, "empty \"term\"");
      return;
    }

  warn_unknown_fields (w, object, location, entry_fields);

  entry->title = get_string (w, object, location, "title", GLOSS_TEXT_MAX_SHORT,
                             GLOSS_TEXT_STRIP_BIDI | GLOSS_TEXT_SINGLE_LINE);
  if (gloss_text_is_blank (entry->title))
    g_clear_pointer (&entry->title, g_free);

  entry->aliases = get_strv (w, object, location, "aliases", GLOSS_TEXT_MAX_SHORT,
                             GLOSS_TEXT_STRIP_BIDI | GLOSS_TEXT_SINGLE_LINE);
  entry->summary = get_string (w, object, location, "summary", GLOSS_TEXT_MAX_PLAIN, 0);
  entry->category = get_string (w, object, location, "category", GLOSS_TEXT_MAX_SHORT,
                                GLOSS_TEXT_SINGLE_LINE);
  if (entry->category != NULL && !g_hash_table_contains (w->category_ids, entry->category))
    {
      g_autofree char *path = pointer_join (location, "category");
      g_autofree char *quoted = quote (entry->category);

      warn (w, path, "unknown category %s; ignored", quoted);
      g_clear_pointer (&entry->category, g_free);
    }

  entry->tags = get_strv (w, object, location, "tags", GLOSS_TEXT_MAX_SHORT,
                          GLOSS_TEXT_SINGLE_LINE);

  member = json_object_get_member (object, "mature");
  if (member != NULL)
    {
      if (JSON_NODE_HOLDS_VALUE (member) && json_node_get_value_type (member) == G_TYPE_BOOLEAN)
        entry->mature = json_node_get_boolean (member);
      else
        {
          g_autofree char *path = pointer_join (location, "mature");

          warn (w, path, "expected true or false, found %s; treated as true", node_kind (member));
          entry->mature = TRUE;
        }
    }

  entry->notice = get_string (w, object, location, "notice", GLOSS_TEXT_MAX_PLAIN, 0);
  entry->published = get_date (w, object, location, "published");
  entry->updated = get_date (w, object, location, "updated");

  member = json_object_get_member (object, "reading_minutes");
  if (member != NULL)
    {
      g_autofree char *path = pointer_join (location, "reading_minutes");
      gint64 minutes;

      if (get_exact_integer (w, member, path, &minutes) && minutes > 0 && minutes <= G_MAXINT)
        entry->reading_minutes = (guint)minutes;
      else
        warn (w, path, "expected a whole number of minutes above 0; ignored");
    }

  entry->sources = get_strv (w, object, location, "sources", GLOSS_TEXT_MAX_SHORT,
                             GLOSS_TEXT_SINGLE_LINE);
  foreach_object (w, object, location, "stats", walk_stat, entry);
  foreach_object (w, object, location, "sections", walk_section, entry);
  foreach_object (w, object, location, "faq", walk_faq, entry);
  collect_related (w, object, location, entry);

  _gloss_entry_finish (entry);
  _gloss_bundle_take_entry (w->bundle, g_steal_pointer (&entry));
}

typedef struct
{
  Walker     *w;
  GlossEntry *entry;
  const char *location;
} LinkCollect;

static void
collect_link (const char *target,
              gpointer    user_data)
{
  LinkCollect *lc = user_data;
  g_autofree char *entry_id = NULL;

  switch (gloss_link_classify (target, &entry_id))
    {
    case GLOSS_LINK_ENTRY:
      add_pending_ref (lc->w, lc->entry, lc->location, entry_id, FALSE);
      break;

    case GLOSS_LINK_REFUSED:
      {
        g_autofree char *quoted = quote (target);

        warn (lc->w, lc->location,
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
               GlossEntry *entry,
               const char *markdown,
               const char *location)
{
  LinkCollect lc = { w, entry, location };

  /* Every link, inline or <autolink>, has a scheme: a body without a
   * colon links nowhere and needn't be parsed. */
  if (strchr (markdown, ':') == NULL)
    return;

  gloss_markdown_foreach_link (markdown, -1, collect_link, &lc);
}

/* `related` ids, each checked later against its original position. */
static void
collect_related (Walker     *w,
                 JsonObject *object,
                 const char *parent,
                 GlossEntry *entry)
{
  g_autofree char *location = NULL;
  JsonArray *array;
  JsonNode *node;
  guint n;

  node = json_object_get_member (object, "related");
  if (node == NULL)
    return;

  location = pointer_join (parent, "related");

  if (!JSON_NODE_HOLDS_ARRAY (node))
    {
      warn (w, location, "expected an array of strings, found %s; ignored", node_kind (node));
      return;
    }

  array = json_node_get_array (node);
  n = json_array_get_length (array);

  for (guint i = 0; i < n; i++)
    {
      JsonNode *item = json_array_get_element (array, i);
      g_autofree char *item_location = pointer_index (location, i);

      if (!node_is_string (item))
        {
          warn (w, item_location, "expected a string, found %s; ignored", node_kind (item));
          continue;
        }

      if (!gloss_text_is_blank (json_node_get_string (item)))
        add_pending_ref (w, entry, item_location, json_node_get_string (item), TRUE);
    }
}

/* Once every entry is known: `related` ids and `entry:` links that point
 * nowhere are warned about; related ids that do resolve are kept, in order,
 * once each. */
static void
resolve_references (Walker *w)
{
  g_autoptr(GPtrArray) kept = g_ptr_array_new ();
  GlossEntry *current = NULL;

  for (guint i = 0; i <= w->refs->len; i++)
    {
      PendingRef *ref = i < w->refs->len ? &g_array_index (w->refs, PendingRef, i) : NULL;
      gboolean exists;

      if (ref == NULL || ref->entry != current)
        {
          if (current != NULL && kept->len > 0)
            {
              g_strfreev (current->related);
              g_ptr_array_add (kept, NULL);
              current->related = g_strdupv ((char **)kept->pdata);
            }
          g_ptr_array_set_size (kept, 0);
          current = ref ? ref->entry : NULL;
        }

      if (ref == NULL)
        break;

      exists = g_hash_table_contains (w->bundle->by_id, ref->target);

      if (ref->related && exists && g_str_equal (ref->target, gloss_entry_get_id (ref->entry)))
        warn (w, ref->location, "an entry cannot be related to itself; ignored");
      else if (!exists)
        {
          g_autofree char *quoted = quote (ref->target);

          if (ref->related)
            warn (w, ref->location, "no entry with id %s; ignored", quoted);
          else
            warn (w, ref->location, "link to a missing entry %s; shown as plain text", quoted);
        }
      else if (ref->related)
        {
          gboolean seen = FALSE;

          for (guint j = 0; j < kept->len && !seen; j++)
            seen = g_str_equal (g_ptr_array_index (kept, j), ref->target);
          if (!seen)
            g_ptr_array_add (kept, ref->target);
        }
    }
}

static JsonNode *
get_member_node (Walker     *w,
                 const char *name)
{
  const GlossSpan *span = g_hash_table_lookup (w->scan->members, name);

  if (span == NULL)
    return NULL;

  return parse_span (w, span);
}

static gboolean
walk_header (Walker     *w,
             const char *display_name,
             const char *fallback_id,
             GError    **error)
{
  g_autoptr(JsonNode) format = NULL;
  g_autoptr(JsonNode) version = NULL;
  g_autoptr(JsonNode) header = NULL;
  g_autoptr(JsonObject) object = NULL;
  GHashTableIter iter;
  gpointer key;
  gint64 number;

  if (!w->scan->root_is_object)
    return refuse (error, "/", "the top level must be an object, not a Gloss bundle");

  format = get_member_node (w, "format");
  if (format == NULL)
    return refuse (error, "/format", "missing: not a Gloss bundle");
  if (!node_is_string (format) || !g_str_equal (json_node_get_string (format), "gloss-bundle"))
    return refuse (error, "/format", "must be \"gloss-bundle\": not a Gloss bundle");

  version = get_member_node (w, "version");
  if (version == NULL)
    return refuse (error, "/version", "missing");
  if (!get_exact_integer (w, version, "/version", &number))
    {
      const GlossSpan *span = g_hash_table_lookup (w->scan->members, "version");

      /* A whole number too large for json-glib is still a newer version. */
      if (JSON_NODE_HOLDS_VALUE (version) && json_node_get_value_type (version) == G_TYPE_INT64 &&
          w->data[span->offset] != '-')
        return refuse (error, "/version", "made for a newer version of Gloss");
      return refuse (error, "/version", "must be a whole number, found %s", node_kind (version));
    }
  if (number > 1)
    return refuse (error, "/version",
                   "made for a newer version of Gloss (bundle version %" G_GINT64_FORMAT
                   "; this Gloss reads version 1)", number);
  if (number < 1)
    return refuse (error, "/version", "unknown version %" G_GINT64_FORMAT, number);

  if (w->scan->entries == NULL)
    {
      if (g_hash_table_contains (w->scan->members, "entries"))
        return refuse (error, "/entries", "must be an array");
      return refuse (error, "/entries", "missing: a bundle needs an \"entries\" array");
    }

  /* The small header members, gathered into one object so the generic
   * helpers can read them. */
  object = json_object_new ();
  g_hash_table_iter_init (&iter, w->scan->members);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    {
      if (g_str_equal (key, "entries") || g_str_equal (key, "format") ||
          g_str_equal (key, "version"))
        continue;

      json_object_set_member (object, key, get_member_node (w, key));
    }

  {
    g_autoptr(GPtrArray) names = g_ptr_array_new ();
    const char * const *names_v;
    JsonObjectIter oiter;
    const char *name;

    json_object_iter_init (&oiter, object);
    while (json_object_iter_next (&oiter, &name, NULL))
      g_ptr_array_add (names, (gpointer)name);
    g_ptr_array_sort (names, (GCompareFunc)g_strcmp0);
    g_ptr_array_add (names, NULL);
    names_v = (const char * const *)names->pdata;

    for (guint i = 0; names_v[i] != NULL; i++)
      {
        if (!g_strv_contains (top_level_fields, names_v[i]))
          {
            g_autofree char *path = pointer_join ("/", names_v[i]);
            g_autofree char *quoted = quote (names_v[i]);

            warn (w, path, "unknown field %s is ignored", quoted);
          }
      }
  }

  w->bundle->id = get_string (w, object, "/", "id", GLOSS_TEXT_MAX_SHORT, 0);
  if (w->bundle->id != NULL && !is_valid_bundle_id (w->bundle->id))
    {
      g_autofree char *quoted = quote (w->bundle->id);

      warn (w, "/id", "invalid bundle id %s (letters, digits, '.', '_' and '-', at most 128); "
            "the file's path stands in", quoted);
      g_clear_pointer (&w->bundle->id, g_free);
    }
  if (w->bundle->id == NULL)
    w->bundle->id = g_strdup (fallback_id);

  w->bundle->title = get_string (w, object, "/", "title", GLOSS_TEXT_MAX_SHORT,
                                 GLOSS_TEXT_STRIP_BIDI | GLOSS_TEXT_SINGLE_LINE);
  if (gloss_text_is_blank (w->bundle->title))
    {
      g_clear_pointer (&w->bundle->title, g_free);
      warn (w, "/title", "missing or empty; the file's name stands in");
      w->bundle->title = g_strdup (display_name);
    }

  w->bundle->description = get_string (w, object, "/", "description", GLOSS_TEXT_MAX_PLAIN, 0);
  w->bundle->language = get_string (w, object, "/", "language", GLOSS_TEXT_MAX_PLAIN,
                                    GLOSS_TEXT_SINGLE_LINE);
  w->bundle->license = get_string (w, object, "/", "license", GLOSS_TEXT_MAX_PLAIN,
                                   GLOSS_TEXT_SINGLE_LINE);
  w->bundle->updated = get_date (w, object, "/", "updated");
  w->bundle->authors = get_strv (w, object, "/", "authors", GLOSS_TEXT_MAX_PLAIN,
                                 GLOSS_TEXT_SINGLE_LINE);
  if (w->bundle->authors == NULL)
    w->bundle->authors = g_new0 (char *, 1);

  foreach_object (w, object, "/", "categories", walk_category, NULL);

  return TRUE;
}

GlossBundle *
_gloss_bundle_load (const char   *data,
                    gsize         length,
                    const char   *display_name,
                    const char   *fallback_id,
                    GCancellable *cancellable,
                    GError      **error)
{
  g_autoptr(GlossBundle) bundle = NULL;
  g_autoptr(JsonParser) parser = NULL;
  g_autoptr(GHashTable) category_ids = NULL;
  g_autoptr(GlossScan) scan = NULL;
  g_autoptr(GArray) refs = NULL;
  Walker w;

  scan = gloss_prescan (data, length, error);
  if (scan == NULL)
    return NULL;

  bundle = _gloss_bundle_new ();
  parser = json_parser_new_immutable ();
  category_ids = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  w.data = data;
  w.scan = scan;
  w.parser = parser;
  w.bundle = bundle;
  w.category_ids = category_ids;
  refs = g_array_new (FALSE, FALSE, sizeof (PendingRef));
  g_array_set_clear_func (refs, clear_pending_ref);
  w.refs = refs;

  if (!walk_header (&w, display_name, fallback_id, error))
    return NULL;

  for (guint i = 0; i < scan->entries->len; i++)
    {
      g_autoptr(JsonNode) node = NULL;

      if ((i & 0xff) == 0 && g_cancellable_set_error_if_cancelled (cancellable, error))
        return NULL;

      node = parse_span (&w, &g_array_index (scan->entries, GlossSpan, i));
      if (node == NULL)
        {
          g_autofree char *location = g_strdup_printf ("/entries/%u", i);
          skip_entry (&w, location, "could not be parsed");
          continue;
        }

      walk_entry (&w, node, i);
    }

  resolve_references (&w);

  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return NULL;

  _gloss_bundle_sort (bundle);

  /* The index is built here, in the loading thread, so a bundle is never
   * handed out without it. */
  bundle->index = gloss_index_build (bundle, cancellable, error);
  if (bundle->index == NULL)
    return NULL;

  return g_steal_pointer (&bundle);
}
