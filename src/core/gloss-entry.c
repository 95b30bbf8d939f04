/* gloss-entry.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "gloss-entry"

#include "config.h"

#include "gloss-bundle-private.h"
#include "gloss-entry-private.h"
#include "gloss-hash.h"
#include "gloss-markdown.h"

enum {
  PROP_0,
  PROP_ID,
  PROP_TERM,
  PROP_TITLE,
  PROP_SUMMARY,
  PROP_CATEGORY,
  PROP_MATURE,
  N_PROPS
};

G_DEFINE_FINAL_TYPE (GlossEntry, gloss_entry, G_TYPE_OBJECT)

static GParamSpec *properties[N_PROPS];
static const char * const empty_strv[] = { NULL };

static void
gloss_entry_finalize (GObject *object)
{
  GlossEntry *self = (GlossEntry *)object;

  if (self->cold != NULL)
    g_free (self->cold->owned);
  g_free (self->cold);
  g_free (self->tags);
  g_clear_pointer (&self->image, gloss_image_unref);

  G_OBJECT_CLASS (gloss_entry_parent_class)->finalize (object);
}

static void
gloss_entry_get_property (GObject    *object,
                          guint       prop_id,
                          GValue     *value,
                          GParamSpec *pspec)
{
  GlossEntry *self = GLOSS_ENTRY (object);

  switch (prop_id)
    {
    case PROP_ID:
      g_value_set_string (value, self->id);
      break;

    case PROP_TERM:
      g_value_set_string (value, self->term);
      break;

    case PROP_TITLE:
      g_value_set_string (value, gloss_entry_get_title (self));
      break;

    case PROP_SUMMARY:
      g_value_set_string (value, gloss_entry_get_summary (self));
      break;

    case PROP_CATEGORY:
      g_value_set_string (value, self->category);
      break;

    case PROP_MATURE:
      g_value_set_boolean (value, self->mature);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
gloss_entry_class_init (GlossEntryClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = gloss_entry_finalize;
  object_class->get_property = gloss_entry_get_property;

  properties[PROP_ID] =
    g_param_spec_string ("id", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_TERM] =
    g_param_spec_string ("term", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_TITLE] =
    g_param_spec_string ("title", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_SUMMARY] =
    g_param_spec_string ("summary", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_CATEGORY] =
    g_param_spec_string ("category", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_MATURE] =
    g_param_spec_boolean ("mature", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
gloss_entry_init (GlossEntry *self)
{
}

/* Makes the entry at @position of @image: the hot fields now (strings in
 * the image, which an entry keeps alive: it may outlive its bundle), the
 * record later. */
GlossEntry *
_gloss_entry_new (GlossImage *image,
                  guint       position)
{
  const GlossCacheEntry *row = &image->entries[position];
  GlossEntry *self = g_object_new (GLOSS_TYPE_ENTRY, NULL);

  self->image = gloss_image_ref (image);
  self->position = position;
  self->id = gloss_image_string (image, row->id);
  self->term = gloss_image_string (image, row->term);
  self->category = gloss_image_string (image, row->category);
  self->mature = (row->flags & GLOSS_CACHE_ENTRY_MATURE) != 0;

  self->tags = g_new (const char *, row->n_tags + 1);
  for (guint i = 0; i < row->n_tags; i++)
    self->tags[i] = gloss_image_string (image, image->taglists[row->tags + i]);
  self->tags[row->n_tags] = NULL;

  return self;
}

/* Decodes a record: a first pass checks it (when @check) and counts, then
 * one block holds every list and the second pass fills it in. %NULL when
 * the record does not hold up. */
static GlossEntryCold *
decode_cold (GlossImage    *image,
             const guint8  *record,
             gsize          record_size,
             gboolean       check,
             const guint32 *related,
             guint          n_related)
{
  GlossRecordReader r;
  GlossEntryCold *cold;
  guint n_aliases, n_sources, n_stats, n_sections, n_faq;
  gsize size;
  char *p;

  gloss_record_reader_init (&r, record, record_size, check);
  gloss_record_read_u32 (&r);
  for (guint i = 0; i < 5; i++)
    gloss_record_read_string (&r);
  n_aliases = gloss_record_read_count (&r, 4);
  for (guint i = 0; i < n_aliases && !r.failed; i++)
    if (gloss_record_read_string (&r) == NULL)
      r.failed = TRUE;
  n_sources = gloss_record_read_count (&r, 4);
  for (guint i = 0; i < n_sources && !r.failed; i++)
    if (gloss_record_read_string (&r) == NULL)
      r.failed = TRUE;
  n_stats = gloss_record_read_count (&r, 12);
  for (guint i = 0; i < n_stats && !r.failed; i++)
    {
      if (gloss_record_read_string (&r) == NULL || gloss_record_read_string (&r) == NULL)
        r.failed = TRUE;
      gloss_record_read_string (&r);
    }
  n_sections = gloss_record_read_count (&r, 8);
  for (guint i = 0; i < n_sections && !r.failed; i++)
    {
      gloss_record_read_string (&r);
      if (gloss_record_read_string (&r) == NULL)
        r.failed = TRUE;
    }
  n_faq = gloss_record_read_count (&r, 8);
  for (guint i = 0; i < n_faq && !r.failed; i++)
    {
      if (gloss_record_read_string (&r) == NULL || gloss_record_read_string (&r) == NULL)
        r.failed = TRUE;
    }
  if (r.failed || (check && r.p != r.end))
    return NULL;

  size = sizeof (GlossEntryCold) +
         ((gsize)n_aliases + n_sources + n_related + 3) * sizeof (char *) +
         (gsize)n_stats * sizeof (GlossStat) + (gsize)n_sections * sizeof (GlossSection) +
         (gsize)n_faq * sizeof (GlossFaq);
  cold = g_malloc0 (size);
  p = (char *)(cold + 1);
  cold->aliases = (const char **)(gpointer)p;
  p += (n_aliases + 1) * sizeof (char *);
  cold->sources = (const char **)(gpointer)p;
  p += (n_sources + 1) * sizeof (char *);
  cold->related = (const char **)(gpointer)p;
  p += (n_related + 1) * sizeof (char *);
  cold->stats = (GlossStat *)(gpointer)p;
  p += n_stats * sizeof (GlossStat);
  cold->sections = (GlossSection *)(gpointer)p;
  p += n_sections * sizeof (GlossSection);
  cold->faq = (GlossFaq *)(gpointer)p;
  cold->n_stats = n_stats;
  cold->n_sections = n_sections;
  cold->n_faq = n_faq;

  /* Pass 2: the record is known good. */
  gloss_record_reader_init (&r, record, record_size, FALSE);
  cold->reading_minutes = gloss_record_read_u32 (&r);
  cold->title = gloss_record_read_string (&r);
  cold->summary = gloss_record_read_string (&r);
  cold->notice = gloss_record_read_string (&r);
  cold->published = gloss_record_read_string (&r);
  cold->updated = gloss_record_read_string (&r);
  gloss_record_read_u32 (&r);
  for (guint i = 0; i < n_aliases; i++)
    cold->aliases[i] = gloss_record_read_string (&r);
  gloss_record_read_u32 (&r);
  for (guint i = 0; i < n_sources; i++)
    cold->sources[i] = gloss_record_read_string (&r);
  gloss_record_read_u32 (&r);
  for (guint i = 0; i < n_stats; i++)
    {
      cold->stats[i].label = (char *)gloss_record_read_string (&r);
      cold->stats[i].value = (char *)gloss_record_read_string (&r);
      cold->stats[i].note = (char *)gloss_record_read_string (&r);
    }
  gloss_record_read_u32 (&r);
  for (guint i = 0; i < n_sections; i++)
    {
      cold->sections[i].heading = (char *)gloss_record_read_string (&r);
      cold->sections[i].body = (char *)gloss_record_read_string (&r);
    }
  gloss_record_read_u32 (&r);
  for (guint i = 0; i < n_faq; i++)
    {
      cold->faq[i].question = (char *)gloss_record_read_string (&r);
      cold->faq[i].answer = (char *)gloss_record_read_string (&r);
    }
  for (guint i = 0; i < n_related; i++)
    cold->related[i] = gloss_image_string (image, image->entries[related[i]].id);

  if (cold->reading_minutes == 0)
    cold->reading_minutes = 1;

  return cold;
}

/* Reads the entry's record. One that fails its check (a damaged cache
 * file) is not trusted: the entry is read again from the bundle's JSON
 * and the cache removed, so the next open rebuilds it. */
static GlossEntryCold *
read_cold (GlossEntry *self)
{
  GlossImage *image = self->image;
  const GlossCacheEntry *row = &image->entries[self->position];
  const guint8 *record = image->records + row->record;
  gboolean check = !image->trusted;
  GlossEntryCold *cold = NULL;
  g_autofree guint32 *related = NULL;
  guint8 *recovered;
  gsize size;
  guint n_related;

  if (!check || (guint32)gloss_hash64 (record, row->record_size, 0) == row->record_check)
    cold = decode_cold (image, record, row->record_size, check,
                        image->related + row->related, row->n_related);
  if (cold != NULL)
    return cold;

  gloss_image_mark_damaged (image);

  recovered = _gloss_image_recover_record (image, self->position, &size, &related, &n_related);
  if (recovered != NULL)
    {
      cold = decode_cold (image, recovered, size, FALSE, related, n_related);
      if (cold != NULL)
        {
          cold->owned = recovered;
          return cold;
        }
      g_free (recovered);
    }

  /* The JSON changed too: what the hot sections know, and nothing else. */
  cold = g_malloc0 (sizeof (GlossEntryCold) + 3 * sizeof (char *));
  cold->aliases = (const char **)(gpointer)(cold + 1);
  cold->sources = cold->aliases + 1;
  cold->related = cold->aliases + 2;
  cold->reading_minutes = 1;
  cold->damaged = TRUE;
  return cold;
}

static inline const GlossEntryCold *
ensure_cold (GlossEntry *self)
{
  if (g_once_init_enter (&self->cold_ready))
    {
      self->cold = read_cold (self);
      g_once_init_leave (&self->cold_ready, 1);
    }

  return self->cold;
}

const char *
gloss_entry_get_id (GlossEntry *self)
{
  g_return_val_if_fail (GLOSS_IS_ENTRY (self), NULL);
  return self->id;
}

const char *
gloss_entry_get_term (GlossEntry *self)
{
  g_return_val_if_fail (GLOSS_IS_ENTRY (self), NULL);
  return self->term;
}

/* The headline: the title when the bundle gives one, else the term. */
const char *
gloss_entry_get_title (GlossEntry *self)
{
  g_return_val_if_fail (GLOSS_IS_ENTRY (self), NULL);
  return ensure_cold (self)->title != NULL ? self->cold->title : self->term;
}

const char *
gloss_entry_get_summary (GlossEntry *self)
{
  g_return_val_if_fail (GLOSS_IS_ENTRY (self), NULL);
  return ensure_cold (self)->summary;
}

const char *
gloss_entry_get_category (GlossEntry *self)
{
  g_return_val_if_fail (GLOSS_IS_ENTRY (self), NULL);
  return self->category;
}

const char *
gloss_entry_get_notice (GlossEntry *self)
{
  g_return_val_if_fail (GLOSS_IS_ENTRY (self), NULL);
  return ensure_cold (self)->notice;
}

const char *
gloss_entry_get_published (GlossEntry *self)
{
  g_return_val_if_fail (GLOSS_IS_ENTRY (self), NULL);
  return ensure_cold (self)->published;
}

const char *
gloss_entry_get_updated (GlossEntry *self)
{
  g_return_val_if_fail (GLOSS_IS_ENTRY (self), NULL);
  return ensure_cold (self)->updated;
}

gboolean
gloss_entry_get_mature (GlossEntry *self)
{
  g_return_val_if_fail (GLOSS_IS_ENTRY (self), FALSE);
  return self->mature;
}

guint
gloss_entry_get_reading_minutes (GlossEntry *self)
{
  g_return_val_if_fail (GLOSS_IS_ENTRY (self), 0);
  return ensure_cold (self)->reading_minutes;
}

const char * const *
gloss_entry_get_aliases (GlossEntry *self)
{
  g_return_val_if_fail (GLOSS_IS_ENTRY (self), empty_strv);
  return (const char * const *)ensure_cold (self)->aliases;
}

const char * const *
gloss_entry_get_tags (GlossEntry *self)
{
  g_return_val_if_fail (GLOSS_IS_ENTRY (self), empty_strv);
  return self->tags != NULL ? (const char * const *)self->tags : empty_strv;
}

const char * const *
gloss_entry_get_sources (GlossEntry *self)
{
  g_return_val_if_fail (GLOSS_IS_ENTRY (self), empty_strv);
  return (const char * const *)ensure_cold (self)->sources;
}

const char * const *
gloss_entry_get_related (GlossEntry *self)
{
  g_return_val_if_fail (GLOSS_IS_ENTRY (self), empty_strv);
  return (const char * const *)ensure_cold (self)->related;
}

const GlossStat *
gloss_entry_get_stats (GlossEntry *self,
                       guint      *n_stats)
{
  g_return_val_if_fail (GLOSS_IS_ENTRY (self), NULL);
  g_return_val_if_fail (n_stats != NULL, NULL);

  *n_stats = ensure_cold (self)->n_stats;
  return self->cold->stats;
}

const GlossSection *
gloss_entry_get_sections (GlossEntry *self,
                          guint      *n_sections)
{
  g_return_val_if_fail (GLOSS_IS_ENTRY (self), NULL);
  g_return_val_if_fail (n_sections != NULL, NULL);

  *n_sections = ensure_cold (self)->n_sections;
  return self->cold->sections;
}

const GlossFaq *
gloss_entry_get_faq (GlossEntry *self,
                     guint      *n_faq)
{
  g_return_val_if_fail (GLOSS_IS_ENTRY (self), NULL);
  g_return_val_if_fail (n_faq != NULL, NULL);

  *n_faq = ensure_cold (self)->n_faq;
  return self->cold->faq;
}

gboolean
gloss_entry_has_tag (GlossEntry *self,
                     const char *tag)
{
  g_return_val_if_fail (GLOSS_IS_ENTRY (self), FALSE);
  return tag != NULL && g_strv_contains (gloss_entry_get_tags (self), tag);
}

static void
add_string (JsonBuilder *builder,
            const char  *name,
            const char  *value)
{
  if (value == NULL)
    return;

  json_builder_set_member_name (builder, name);
  json_builder_add_string_value (builder, value);
}

static void
add_strv (JsonBuilder        *builder,
          const char         *name,
          const char * const *values)
{
  json_builder_set_member_name (builder, name);
  json_builder_begin_array (builder);
  for (guint i = 0; values[i] != NULL; i++)
    json_builder_add_string_value (builder, values[i]);
  json_builder_end_array (builder);
}

/* The entry as the app holds it: defaults filled in, cuts and removals
 * applied, ignored fields gone. Field order follows the spec. */
JsonNode *
gloss_entry_to_json (GlossEntry *self)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  const GlossEntryCold *cold;

  g_return_val_if_fail (GLOSS_IS_ENTRY (self), NULL);

  cold = ensure_cold (self);

  json_builder_begin_object (builder);
  add_string (builder, "id", self->id);
  add_string (builder, "term", self->term);
  add_string (builder, "title", gloss_entry_get_title (self));
  add_strv (builder, "aliases", gloss_entry_get_aliases (self));
  add_string (builder, "summary", cold->summary);
  add_string (builder, "category", self->category);
  add_strv (builder, "tags", gloss_entry_get_tags (self));
  json_builder_set_member_name (builder, "mature");
  json_builder_add_boolean_value (builder, self->mature);
  add_string (builder, "notice", cold->notice);
  add_string (builder, "published", cold->published);
  add_string (builder, "updated", cold->updated);
  json_builder_set_member_name (builder, "reading_minutes");
  json_builder_add_int_value (builder, cold->reading_minutes);
  add_strv (builder, "sources", gloss_entry_get_sources (self));

  json_builder_set_member_name (builder, "stats");
  json_builder_begin_array (builder);
  for (guint i = 0; i < cold->n_stats; i++)
    {
      const GlossStat *stat = &cold->stats[i];

      json_builder_begin_object (builder);
      add_string (builder, "label", stat->label);
      add_string (builder, "value", stat->value);
      add_string (builder, "note", stat->note);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);

  json_builder_set_member_name (builder, "sections");
  json_builder_begin_array (builder);
  for (guint i = 0; i < cold->n_sections; i++)
    {
      const GlossSection *section = &cold->sections[i];

      json_builder_begin_object (builder);
      add_string (builder, "heading", section->heading);
      add_string (builder, "body", section->body);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);

  json_builder_set_member_name (builder, "faq");
  json_builder_begin_array (builder);
  for (guint i = 0; i < cold->n_faq; i++)
    {
      const GlossFaq *faq = &cold->faq[i];

      json_builder_begin_object (builder);
      add_string (builder, "question", faq->question);
      add_string (builder, "answer", faq->answer);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);

  add_strv (builder, "related", gloss_entry_get_related (self));
  json_builder_end_object (builder);

  return json_builder_get_root (builder);
}

static void
append_list (GString            *out,
             const char         *label,
             const char * const *values)
{
  if (values[0] == NULL)
    return;

  g_autofree char *joined = g_strjoinv (", ", (char **)values);
  g_string_append_printf (out, "%s: %s\n", label, joined);
}

/* Appends Markdown @markdown as the text a reader sees: what the app
 * shows, escapes resolved and links as their labels, a blank line between
 * blocks; lists and quotes marked and indented as in a plain-text mail,
 * code indented. @lead goes before the first block. */
static void
append_markdown (GString    *out,
                 const char *lead,
                 const char *markdown)
{
  g_autoptr(GPtrArray) blocks = gloss_markdown_render (markdown, -1, NULL, NULL);

  g_string_append (out, lead);
  for (guint i = 0; i < blocks->len; i++)
    {
      const GlossBlock *block = g_ptr_array_index (blocks, i);
      g_autoptr(GString) first = g_string_new (NULL);
      g_autoptr(GString) rest = NULL;
      guint nesting = block->depth > 0 ? block->depth - 1 : 0;

      for (guint k = 0; k < nesting; k++)
        g_string_append (first, "  ");
      rest = g_string_new (first->str);

      /* Later lines line up under the first's text; a quote's keep "> ". */
      switch (block->kind)
        {
        case GLOSS_BLOCK_QUOTE:
          g_string_append (first, "> ");
          g_string_append (rest, "> ");
          break;
        case GLOSS_BLOCK_LIST_ITEM:
          {
            const char *marker = block->marker != NULL ? block->marker : "";
            glong width = g_utf8_strlen (marker, -1) + 1;

            g_string_append_printf (first, "%s ", marker);
            for (glong k = 0; k < width; k++)
              g_string_append_c (rest, ' ');
          }
          break;
        case GLOSS_BLOCK_CODE:
          g_string_append (first, "    ");
          g_string_append (rest, "    ");
          break;
        case GLOSS_BLOCK_PARAGRAPH:
        case GLOSS_BLOCK_HEADING:
        default:
          break;
        }

      if (i > 0)
        g_string_append_c (out, '\n');
      g_string_append (out, first->str);
      for (const char *p = block->text; *p != '\0'; p++)
        {
          g_string_append_c (out, *p);
          if (*p == '\n' && p[1] != '\0')
            g_string_append (out, rest->str);
        }
      g_string_append_c (out, '\n');
    }
  if (blocks->len == 0)
    g_string_append_c (out, '\n');
}

/* A readable plain-text rendering for `gloss-cli show`. */
char *
gloss_entry_to_text (GlossEntry *self)
{
  const GlossEntryCold *cold;
  GString *out;

  g_return_val_if_fail (GLOSS_IS_ENTRY (self), NULL);

  cold = ensure_cold (self);

  out = g_string_new (NULL);
  g_string_append_printf (out, "%s\n", gloss_entry_get_title (self));
  if (cold->title != NULL)
    g_string_append_printf (out, "Term: %s\n", self->term);
  g_string_append_printf (out, "Id: %s\n", self->id);
  append_list (out, "Also", gloss_entry_get_aliases (self));
  if (self->category)
    g_string_append_printf (out, "Category: %s\n", self->category);
  append_list (out, "Tags", gloss_entry_get_tags (self));
  if (cold->published)
    g_string_append_printf (out, "Published: %s\n", cold->published);
  if (cold->updated)
    g_string_append_printf (out, "Updated: %s\n", cold->updated);
  g_string_append_printf (out, "Reading time: %u min\n", cold->reading_minutes);
  append_list (out, "Sources", gloss_entry_get_sources (self));
  if (self->mature)
    g_string_append (out, "Mature: yes\n");
  if (cold->notice)
    g_string_append_printf (out, "\nContent note: %s\n", cold->notice);
  if (cold->summary)
    g_string_append_printf (out, "\n%s\n", cold->summary);

  if (cold->n_stats > 0)
    {
      g_string_append (out, "\nBy the numbers\n");
      for (guint i = 0; i < cold->n_stats; i++)
        {
          const GlossStat *stat = &cold->stats[i];

          g_string_append_printf (out, "  %s: %s", stat->label, stat->value);
          if (stat->note)
            g_string_append_printf (out, " (%s)", stat->note);
          g_string_append_c (out, '\n');
        }
    }

  for (guint i = 0; i < cold->n_sections; i++)
    {
      const GlossSection *section = &cold->sections[i];

      g_string_append_c (out, '\n');
      if (section->heading)
        g_string_append_printf (out, "## %s\n\n", section->heading);
      append_markdown (out, "", section->body);
    }

  if (cold->n_faq > 0)
    {
      g_string_append (out, "\nQuick answers\n");
      for (guint i = 0; i < cold->n_faq; i++)
        {
          const GlossFaq *faq = &cold->faq[i];

          g_string_append_printf (out, "\nQ: %s\n", faq->question);
          append_markdown (out, "A: ", faq->answer);
        }
    }

  if (cold->related[0] != NULL)
    {
      g_autofree char *joined = g_strjoinv (", ", (char **)cold->related);
      g_string_append_printf (out, "\nMore like this: %s\n", joined);
    }

  return g_string_free (out, FALSE);
}
