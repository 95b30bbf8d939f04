/* gloss-entry.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "gloss-entry"

#include "config.h"

#include "gloss-entry-private.h"
#include "gloss-text.h"

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
clear_stat (gpointer data)
{
  GlossStat *stat = data;

  g_free (stat->label);
  g_free (stat->value);
  g_free (stat->note);
}

static void
clear_section (gpointer data)
{
  GlossSection *section = data;

  g_free (section->heading);
  g_free (section->body);
}

static void
clear_faq (gpointer data)
{
  GlossFaq *faq = data;

  g_free (faq->question);
  g_free (faq->answer);
}

static void
gloss_entry_finalize (GObject *object)
{
  GlossEntry *self = (GlossEntry *)object;

  g_free (self->id);
  g_free (self->term);
  g_free (self->title);
  g_free (self->summary);
  g_free (self->category);
  g_free (self->notice);
  g_free (self->published);
  g_free (self->updated);
  g_strfreev (self->aliases);
  g_strfreev (self->tags);
  g_strfreev (self->sources);
  g_strfreev (self->related);
  g_clear_pointer (&self->stats, g_array_unref);
  g_clear_pointer (&self->sections, g_array_unref);
  g_clear_pointer (&self->faq, g_array_unref);

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
      g_value_set_string (value, self->summary);
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

GlossEntry *
_gloss_entry_new (void)
{
  GlossEntry *self = g_object_new (GLOSS_TYPE_ENTRY, NULL);

  self->stats = g_array_new (FALSE, TRUE, sizeof (GlossStat));
  g_array_set_clear_func (self->stats, clear_stat);
  self->sections = g_array_new (FALSE, TRUE, sizeof (GlossSection));
  g_array_set_clear_func (self->sections, clear_section);
  self->faq = g_array_new (FALSE, TRUE, sizeof (GlossFaq));
  g_array_set_clear_func (self->faq, clear_faq);

  return self;
}

/* Fills in the defaults once the loader has set every field it found. */
void
_gloss_entry_finish (GlossEntry *self)
{
  if (self->reading_minutes == 0)
    {
      guint words = gloss_text_count_words (self->summary);

      for (guint i = 0; i < self->sections->len; i++)
        {
          const GlossSection *s = &g_array_index (self->sections, GlossSection, i);
          words += gloss_text_count_words (s->heading) + gloss_text_count_words (s->body);
        }

      for (guint i = 0; i < self->faq->len; i++)
        {
          const GlossFaq *f = &g_array_index (self->faq, GlossFaq, i);
          words += gloss_text_count_words (f->question) + gloss_text_count_words (f->answer);
        }

      self->reading_minutes = MAX (1, (words + 199) / 200);
    }

  if (self->aliases == NULL)
    self->aliases = g_new0 (char *, 1);
  if (self->tags == NULL)
    self->tags = g_new0 (char *, 1);
  if (self->sources == NULL)
    self->sources = g_new0 (char *, 1);
  if (self->related == NULL)
    self->related = g_new0 (char *, 1);
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
  return self->title != NULL ? self->title : self->term;
}

const char *
gloss_entry_get_summary (GlossEntry *self)
{
  g_return_val_if_fail (GLOSS_IS_ENTRY (self), NULL);
  return self->summary;
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
  return self->notice;
}

const char *
gloss_entry_get_published (GlossEntry *self)
{
  g_return_val_if_fail (GLOSS_IS_ENTRY (self), NULL);
  return self->published;
}

const char *
gloss_entry_get_updated (GlossEntry *self)
{
  g_return_val_if_fail (GLOSS_IS_ENTRY (self), NULL);
  return self->updated;
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
  return self->reading_minutes;
}

const char * const *
gloss_entry_get_aliases (GlossEntry *self)
{
  g_return_val_if_fail (GLOSS_IS_ENTRY (self), empty_strv);
  return self->aliases ? (const char * const *)self->aliases : empty_strv;
}

const char * const *
gloss_entry_get_tags (GlossEntry *self)
{
  g_return_val_if_fail (GLOSS_IS_ENTRY (self), empty_strv);
  return self->tags ? (const char * const *)self->tags : empty_strv;
}

const char * const *
gloss_entry_get_sources (GlossEntry *self)
{
  g_return_val_if_fail (GLOSS_IS_ENTRY (self), empty_strv);
  return self->sources ? (const char * const *)self->sources : empty_strv;
}

const char * const *
gloss_entry_get_related (GlossEntry *self)
{
  g_return_val_if_fail (GLOSS_IS_ENTRY (self), empty_strv);
  return self->related ? (const char * const *)self->related : empty_strv;
}

const GlossStat *
gloss_entry_get_stats (GlossEntry *self,
                       guint      *n_stats)
{
  g_return_val_if_fail (GLOSS_IS_ENTRY (self), NULL);
  g_return_val_if_fail (n_stats != NULL, NULL);

  *n_stats = self->stats->len;
  return (const GlossStat *)(gpointer)self->stats->data;
}

const GlossSection *
gloss_entry_get_sections (GlossEntry *self,
                          guint      *n_sections)
{
  g_return_val_if_fail (GLOSS_IS_ENTRY (self), NULL);
  g_return_val_if_fail (n_sections != NULL, NULL);

  *n_sections = self->sections->len;
  return (const GlossSection *)(gpointer)self->sections->data;
}

const GlossFaq *
gloss_entry_get_faq (GlossEntry *self,
                     guint      *n_faq)
{
  g_return_val_if_fail (GLOSS_IS_ENTRY (self), NULL);
  g_return_val_if_fail (n_faq != NULL, NULL);

  *n_faq = self->faq->len;
  return (const GlossFaq *)(gpointer)self->faq->data;
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

  g_return_val_if_fail (GLOSS_IS_ENTRY (self), NULL);

  json_builder_begin_object (builder);
  add_string (builder, "id", self->id);
  add_string (builder, "term", self->term);
  add_string (builder, "title", gloss_entry_get_title (self));
  add_strv (builder, "aliases", gloss_entry_get_aliases (self));
  add_string (builder, "summary", self->summary);
  add_string (builder, "category", self->category);
  add_strv (builder, "tags", gloss_entry_get_tags (self));
  json_builder_set_member_name (builder, "mature");
  json_builder_add_boolean_value (builder, self->mature);
  add_string (builder, "notice", self->notice);
  add_string (builder, "published", self->published);
  add_string (builder, "updated", self->updated);
  json_builder_set_member_name (builder, "reading_minutes");
  json_builder_add_int_value (builder, self->reading_minutes);
  add_strv (builder, "sources", gloss_entry_get_sources (self));

  json_builder_set_member_name (builder, "stats");
  json_builder_begin_array (builder);
  for (guint i = 0; i < self->stats->len; i++)
    {
      const GlossStat *stat = &g_array_index (self->stats, GlossStat, i);

      json_builder_begin_object (builder);
      add_string (builder, "label", stat->label);
      add_string (builder, "value", stat->value);
      add_string (builder, "note", stat->note);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);

  json_builder_set_member_name (builder, "sections");
  json_builder_begin_array (builder);
  for (guint i = 0; i < self->sections->len; i++)
    {
      const GlossSection *section = &g_array_index (self->sections, GlossSection, i);

      json_builder_begin_object (builder);
      add_string (builder, "heading", section->heading);
      add_string (builder, "body", section->body);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);

  json_builder_set_member_name (builder, "faq");
  json_builder_begin_array (builder);
  for (guint i = 0; i < self->faq->len; i++)
    {
      const GlossFaq *faq = &g_array_index (self->faq, GlossFaq, i);

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

/* A readable plain-text rendering for `gloss-cli show`. */
char *
gloss_entry_to_text (GlossEntry *self)
{
  GString *out;

  g_return_val_if_fail (GLOSS_IS_ENTRY (self), NULL);

  out = g_string_new (NULL);
  g_string_append_printf (out, "%s\n", gloss_entry_get_title (self));
  if (self->title != NULL)
    g_string_append_printf (out, "Term: %s\n", self->term);
  g_string_append_printf (out, "Id: %s\n", self->id);
  append_list (out, "Also", gloss_entry_get_aliases (self));
  if (self->category)
    g_string_append_printf (out, "Category: %s\n", self->category);
  append_list (out, "Tags", gloss_entry_get_tags (self));
  if (self->published)
    g_string_append_printf (out, "Published: %s\n", self->published);
  if (self->updated)
    g_string_append_printf (out, "Updated: %s\n", self->updated);
  g_string_append_printf (out, "Reading time: %u min\n", self->reading_minutes);
  append_list (out, "Sources", gloss_entry_get_sources (self));
  if (self->mature)
    g_string_append (out, "Mature: yes\n");
  if (self->notice)
    g_string_append_printf (out, "\nContent note: %s\n", self->notice);
  if (self->summary)
    g_string_append_printf (out, "\n%s\n", self->summary);

  if (self->stats->len > 0)
    {
      g_string_append (out, "\nBy the numbers\n");
      for (guint i = 0; i < self->stats->len; i++)
        {
          const GlossStat *stat = &g_array_index (self->stats, GlossStat, i);

          g_string_append_printf (out, "  %s: %s", stat->label, stat->value);
          if (stat->note)
            g_string_append_printf (out, " (%s)", stat->note);
          g_string_append_c (out, '\n');
        }
    }

  for (guint i = 0; i < self->sections->len; i++)
    {
      const GlossSection *section = &g_array_index (self->sections, GlossSection, i);

      g_string_append_c (out, '\n');
      if (section->heading)
        g_string_append_printf (out, "## %s\n\n", section->heading);
      g_string_append_printf (out, "%s\n", section->body);
    }

  if (self->faq->len > 0)
    {
      g_string_append (out, "\nQuick answers\n");
      for (guint i = 0; i < self->faq->len; i++)
        {
          const GlossFaq *faq = &g_array_index (self->faq, GlossFaq, i);

          g_string_append_printf (out, "\nQ: %s\nA: %s\n", faq->question, faq->answer);
        }
    }

  if (self->related[0] != NULL)
    {
      g_autofree char *joined = g_strjoinv (", ", self->related);
      g_string_append_printf (out, "\nMore like this: %s\n", joined);
    }

  return g_string_free (out, FALSE);
}
