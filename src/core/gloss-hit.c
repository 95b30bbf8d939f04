/* gloss-hit.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "gloss-hit"

#include "config.h"

#include "gloss-hit.h"

struct _GlossHit
{
  GObject     parent_instance;

  GlossEntry        *entry;
  char              *heading;
  char              *match;
  char              *source;

  /* Until the match is first asked for */
  GlossHitExplainer *explainer;
  GlossBundle       *bundle;
  guint              position;
};

struct _GlossHitExplainer
{
  gatomicrefcount     ref_count;
  GlossHitExplainFunc func;
  gpointer            data;
  GDestroyNotify      destroy;
};

GlossHitExplainer *
gloss_hit_explainer_new (GlossHitExplainFunc func,
                         gpointer            data,
                         GDestroyNotify      destroy)
{
  GlossHitExplainer *self;

  g_return_val_if_fail (func != NULL, NULL);

  self = g_new0 (GlossHitExplainer, 1);
  g_atomic_ref_count_init (&self->ref_count);
  self->func = func;
  self->data = data;
  self->destroy = destroy;

  return self;
}

GlossHitExplainer *
gloss_hit_explainer_ref (GlossHitExplainer *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  g_atomic_ref_count_inc (&self->ref_count);
  return self;
}

void
gloss_hit_explainer_unref (GlossHitExplainer *self)
{
  g_return_if_fail (self != NULL);

  if (g_atomic_ref_count_dec (&self->ref_count))
    {
      if (self->destroy != NULL)
        self->destroy (self->data);
      g_free (self);
    }
}

static void
clear_pending (GlossHit *self)
{
  g_clear_pointer (&self->explainer, gloss_hit_explainer_unref);
  g_clear_object (&self->bundle);
}

enum {
  PROP_0,
  PROP_ENTRY,
  PROP_TERM,
  PROP_SUMMARY,
  PROP_HEADING,
  PROP_MATCH,
  PROP_SOURCE,
  N_PROPS
};

G_DEFINE_FINAL_TYPE (GlossHit, gloss_hit, G_TYPE_OBJECT)

static GParamSpec *properties[N_PROPS];

static void
gloss_hit_finalize (GObject *object)
{
  GlossHit *self = (GlossHit *)object;

  clear_pending (self);
  g_clear_object (&self->entry);
  g_free (self->heading);
  g_free (self->match);
  g_free (self->source);

  G_OBJECT_CLASS (gloss_hit_parent_class)->finalize (object);
}

static void
gloss_hit_get_property (GObject    *object,
                        guint       prop_id,
                        GValue     *value,
                        GParamSpec *pspec)
{
  GlossHit *self = GLOSS_HIT (object);

  switch (prop_id)
    {
    case PROP_ENTRY:
      g_value_set_object (value, self->entry);
      break;

    case PROP_TERM:
      g_value_set_string (value, gloss_entry_get_term (self->entry));
      break;

    case PROP_SUMMARY:
      g_value_set_string (value, gloss_entry_get_summary (self->entry));
      break;

    case PROP_HEADING:
      g_value_set_string (value, self->heading);
      break;

    case PROP_MATCH:
      g_value_set_string (value, gloss_hit_get_match (self));
      break;

    case PROP_SOURCE:
      g_value_set_string (value, self->source);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
gloss_hit_class_init (GlossHitClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = gloss_hit_finalize;
  object_class->get_property = gloss_hit_get_property;

  properties[PROP_ENTRY] =
    g_param_spec_object ("entry", NULL, NULL, GLOSS_TYPE_ENTRY,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_TERM] =
    g_param_spec_string ("term", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_SUMMARY] =
    g_param_spec_string ("summary", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_HEADING] =
    g_param_spec_string ("heading", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_MATCH] =
    g_param_spec_string ("match", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);

  properties[PROP_SOURCE] =
    g_param_spec_string ("source", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
gloss_hit_init (GlossHit *self)
{
}

GlossHit *
gloss_hit_new (GlossEntry *entry,
               const char *heading,
               const char *match_markup)
{
  GlossHit *self;

  g_return_val_if_fail (GLOSS_IS_ENTRY (entry), NULL);

  self = g_object_new (GLOSS_TYPE_HIT, NULL);
  self->entry = g_object_ref (entry);
  self->heading = g_strdup (heading);
  self->match = g_strdup (match_markup);

  return self;
}

GlossEntry *
gloss_hit_get_entry (GlossHit *self)
{
  g_return_val_if_fail (GLOSS_IS_HIT (self), NULL);
  return self->entry;
}

const char *
gloss_hit_get_heading (GlossHit *self)
{
  g_return_val_if_fail (GLOSS_IS_HIT (self), NULL);
  return self->heading;
}

/* Asks the explainer the first time. */
const char *
gloss_hit_get_match (GlossHit *self)
{
  g_return_val_if_fail (GLOSS_IS_HIT (self), NULL);

  if (self->explainer != NULL)
    {
      g_free (self->match);
      self->match = self->explainer->func (self->bundle, self->position, self->explainer->data);
      clear_pending (self);
    }

  return self->match;
}

/* Whether the match is still to be asked for. */
gboolean
gloss_hit_get_match_pending (GlossHit *self)
{
  g_return_val_if_fail (GLOSS_IS_HIT (self), FALSE);
  return self->explainer != NULL;
}

/* The match will come from @explainer, for the entry at @position of
 * @bundle, when first asked for. */
void
gloss_hit_set_explainer (GlossHit          *self,
                         GlossHitExplainer *explainer,
                         GlossBundle       *bundle,
                         guint              position)
{
  g_return_if_fail (GLOSS_IS_HIT (self));
  g_return_if_fail (explainer == NULL || GLOSS_IS_BUNDLE (bundle));

  clear_pending (self);
  g_clear_pointer (&self->match, g_free);
  if (explainer != NULL)
    {
      self->explainer = gloss_hit_explainer_ref (explainer);
      self->bundle = g_object_ref (bundle);
      self->position = position;
    }
}

/* The title of the glossary the entry comes from, when the list shows
 * entries of several (plain text, from the bundle). */
void
gloss_hit_set_source (GlossHit   *self,
                      const char *source)
{
  g_return_if_fail (GLOSS_IS_HIT (self));

  g_free (self->source);
  self->source = g_strdup (source);
}

/* The list reuses its hits: @self now stands for @entry (its match from
 * @explainer when there is one, see gloss_hit_set_explainer()), and says
 * so with one notification of "entry" once every field is set. */
void
gloss_hit_reset (GlossHit          *self,
                 GlossEntry        *entry,
                 const char        *heading,
                 const char        *source,
                 GlossHitExplainer *explainer,
                 GlossBundle       *bundle,
                 guint              position)
{
  g_return_if_fail (GLOSS_IS_HIT (self));
  g_return_if_fail (GLOSS_IS_ENTRY (entry));

  g_set_object (&self->entry, entry);
  g_free (self->heading);
  self->heading = g_strdup (heading);
  gloss_hit_set_explainer (self, explainer, bundle, position);
  g_free (self->source);
  self->source = g_strdup (source);

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ENTRY]);
}

const char *
gloss_hit_get_source (GlossHit *self)
{
  g_return_val_if_fail (GLOSS_IS_HIT (self), NULL);
  return self->source;
}
