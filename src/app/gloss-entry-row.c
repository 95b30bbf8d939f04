/* gloss-entry-row.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "gloss-entry-row"

#include "config.h"

#include <glib/gi18n.h>

#include "gloss-entry-row.h"
#include "gloss-row-label.h"
#include "gloss-text.h"

/* One sidebar row: an optional letter heading, the term (and beside it its
 * glossary, when the list shows several), and one line under it: why the
 * entry matched the search, or its summary. Rows are recycled by the list
 * view, so everything is set from the hit each time.
 *
 * The row lays its labels out on a grid of its own, with no boxes, and makes
 * the heading and the glossary's label only when a row first shows one: the
 * list view of GTK 4.8 makes, styles and measures up to 200 rows at once, and
 * most rows have neither. */
struct _GlossEntryRow
{
  GtkWidget      parent_instance;

  GlossHit      *hit;

  GtkLabel      *heading_label;   /* or NULL until a row needs one */
  GlossRowLabel *term_label;
  GtkLabel      *source_label;    /* or NULL until a row needs one */
  GlossRowLabel *detail_label;
};

/* Where each label sits on the row's grid. */
enum {
  ROW_HEADING,
  ROW_TERM,
  ROW_DETAIL,
};

enum {
  PROP_0,
  PROP_HIT,
  N_PROPS
};

G_DEFINE_FINAL_TYPE (GlossEntryRow, gloss_entry_row, GTK_TYPE_WIDGET)

static void update_from_hit (GlossEntryRow *self);

static GParamSpec *properties[N_PROPS];

static void
gloss_entry_row_dispose (GObject *object)
{
  GlossEntryRow *self = (GlossEntryRow *)object;

  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (self)); child != NULL; )
    {
      GtkWidget *next = gtk_widget_get_next_sibling (child);

      gtk_widget_unparent (child);
      child = next;
    }
  self->heading_label = NULL;
  self->term_label = NULL;
  self->source_label = NULL;
  self->detail_label = NULL;

  if (self->hit != NULL)
    g_signal_handlers_disconnect_by_func (self->hit, update_from_hit, self);
  g_clear_object (&self->hit);

  G_OBJECT_CLASS (gloss_entry_row_parent_class)->dispose (object);
}

static void
gloss_entry_row_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  GlossEntryRow *self = GLOSS_ENTRY_ROW (object);

  switch (prop_id)
    {
    case PROP_HIT:
      g_value_set_object (value, self->hit);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
gloss_entry_row_set_property (GObject      *object,
                              guint         prop_id,
                              const GValue *value,
                              GParamSpec   *pspec)
{
  GlossEntryRow *self = GLOSS_ENTRY_ROW (object);

  switch (prop_id)
    {
    case PROP_HIT:
      gloss_entry_row_set_hit (self, g_value_get_object (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
gloss_entry_row_class_init (GlossEntryRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = gloss_entry_row_dispose;
  object_class->get_property = gloss_entry_row_get_property;
  object_class->set_property = gloss_entry_row_set_property;

  properties[PROP_HIT] =
    g_param_spec_object ("hit", NULL, NULL, GLOSS_TYPE_HIT,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_GRID_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "glossentryrow");
}

static void
place (GlossEntryRow *self,
       GtkWidget     *child,
       int            row,
       int            column,
       int            column_span)
{
  GtkLayoutManager *layout = gtk_widget_get_layout_manager (GTK_WIDGET (self));
  GtkGridLayoutChild *cell = GTK_GRID_LAYOUT_CHILD (gtk_layout_manager_get_layout_child (layout, child));

  gtk_grid_layout_child_set_row (cell, row);
  gtk_grid_layout_child_set_column (cell, column);
  gtk_grid_layout_child_set_column_span (cell, column_span);
}

static void
gloss_entry_row_init (GlossEntryRow *self)
{
  GtkWidget *term = g_object_new (GLOSS_TYPE_ROW_LABEL,
                                  "hexpand", TRUE,
                                  "valign", GTK_ALIGN_BASELINE,
                                  "width-chars", 10,
                                  "max-width-chars", 34,
                                  "css-classes", (const char *[]) { "gloss-row-term", NULL },
                                  NULL);
  GtkWidget *detail = g_object_new (GLOSS_TYPE_ROW_LABEL,
                                    "width-chars", 16,
                                    "max-width-chars", 34,
                                    "css-classes", (const char *[]) { "gloss-row-detail", "dim-label", NULL },
                                    NULL);

  gtk_widget_set_parent (term, GTK_WIDGET (self));
  gtk_widget_set_parent (detail, GTK_WIDGET (self));
  place (self, term, ROW_TERM, 0, 1);
  place (self, detail, ROW_DETAIL, 0, 2);
  self->term_label = GLOSS_ROW_LABEL (term);
  self->detail_label = GLOSS_ROW_LABEL (detail);
}

/* The letter heading above the first row of each letter. */
static GtkLabel *
ensure_heading_label (GlossEntryRow *self)
{
  if (self->heading_label == NULL)
    {
      GtkWidget *label = g_object_new (GTK_TYPE_LABEL,
                                       "xalign", 0.0f,
                                       "css-classes", (const char *[]) { "gloss-letter", NULL },
                                       NULL);

      gtk_widget_insert_after (label, GTK_WIDGET (self), NULL);
      place (self, label, ROW_HEADING, 0, 2);
      self->heading_label = GTK_LABEL (label);
    }

  return self->heading_label;
}

/* The glossary a result comes from, beside its term. */
static GtkLabel *
ensure_source_label (GlossEntryRow *self)
{
  if (self->source_label == NULL)
    {
      GtkWidget *label = g_object_new (GTK_TYPE_LABEL,
                                       "xalign", 1.0f,
                                       "valign", GTK_ALIGN_BASELINE,
                                       "ellipsize", PANGO_ELLIPSIZE_END,
                                       "single-line-mode", TRUE,
                                       "max-width-chars", 14,
                                       "margin-start", 6,
                                       "css-classes", (const char *[]) { "gloss-row-source", "caption",
                                                                         "dim-label", NULL },
                                       NULL);

      gtk_widget_insert_after (label, GTK_WIDGET (self), GTK_WIDGET (self->term_label));
      place (self, label, ROW_TERM, 1, 1);
      self->source_label = GTK_LABEL (label);
    }

  return self->source_label;
}

GlossHit *
gloss_entry_row_get_hit (GlossEntryRow *self)
{
  g_return_val_if_fail (GLOSS_IS_ENTRY_ROW (self), NULL);
  return self->hit;
}

/* The second line: why the entry matched a search, or its summary. */
static char *
dup_row_detail (gpointer  data,
                gboolean *markup)
{
  GlossHit *hit = data;
  const char *match = gloss_hit_get_match (hit);
  const char *summary;

  *markup = match != NULL;
  if (match != NULL)
    return g_strdup (match);

  summary = gloss_entry_get_summary (gloss_hit_get_entry (hit));
  return gloss_text_for_row (summary ? summary : "");
}

/* Shows what the hit says; again when the list reuses the hit for another
 * row. Without a hit, the row shows nothing, and holds on to nothing (a
 * second line still to be made holds its hit, and that hit its bundle). */
static void
update_from_hit (GlossEntryRow *self)
{
  GlossHit *hit = self->hit;

  if (hit == NULL)
    {
      if (self->heading_label != NULL)
        gtk_widget_set_visible (GTK_WIDGET (self->heading_label), FALSE);
      if (self->source_label != NULL)
        gtk_widget_set_visible (GTK_WIDGET (self->source_label), FALSE);
      gloss_row_label_set_text (self->term_label, "");
      gloss_row_label_set_text (self->detail_label, "");
    }
  else
    {
      GlossEntry *entry = gloss_hit_get_entry (hit);
      const char *heading = gloss_hit_get_heading (hit);
      g_autofree char *term = gloss_text_for_row (gloss_entry_get_term (entry));

      if (heading != NULL)
        {
          gtk_label_set_text (ensure_heading_label (self), heading);
          gtk_widget_set_visible (GTK_WIDGET (self->heading_label), TRUE);
        }
      else if (self->heading_label != NULL)
        gtk_widget_set_visible (GTK_WIDGET (self->heading_label), FALSE);
      gloss_row_label_set_text (self->term_label, term);

      /* Which glossary, when the list shows several (a bundle's title:
       * plain text, cleaned like every row). */
      if (gloss_hit_get_source (hit) != NULL)
        {
          g_autofree char *source = gloss_text_for_row (gloss_hit_get_source (hit));

          gtk_label_set_text (ensure_source_label (self), source);
          gtk_widget_set_tooltip_text (GTK_WIDGET (self->source_label), source);
          gtk_widget_set_visible (GTK_WIDGET (self->source_label), TRUE);
        }
      else if (self->source_label != NULL)
        gtk_widget_set_visible (GTK_WIDGET (self->source_label), FALSE);

      /* The second line is made when the row is drawn: the list view keeps
       * up to 200 rows, most of them off screen, and the summary and why a
       * search result matched both take reading the entry's record. A row
       * keeps its second line even when it stays empty, so that every row
       * is as tall as the next. */
      gloss_row_label_set_deferred (self->detail_label, dup_row_detail, g_object_ref (hit),
                                    g_object_unref, NULL);

      if (gloss_hit_get_source (hit) != NULL)
        {
          /* Translators: a result's accessible name: the term, then its glossary */
          g_autofree char *label = g_strdup_printf (_("%s, in %s"), gloss_entry_get_term (entry),
                                                    gloss_hit_get_source (hit));

          gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                          GTK_ACCESSIBLE_PROPERTY_LABEL, label, -1);
        }
      else
        gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                        GTK_ACCESSIBLE_PROPERTY_LABEL,
                                        gloss_entry_get_term (entry), -1);
    }
}

void
gloss_entry_row_set_hit (GlossEntryRow *self,
                         GlossHit      *hit)
{
  g_return_if_fail (GLOSS_IS_ENTRY_ROW (self));
  g_return_if_fail (!hit || GLOSS_IS_HIT (hit));

  if (self->hit == hit)
    return;

  if (self->hit != NULL)
    g_signal_handlers_disconnect_by_func (self->hit, update_from_hit, self);
  g_set_object (&self->hit, hit);
  if (hit != NULL)
    g_signal_connect_object (hit, "notify::entry", G_CALLBACK (update_from_hit), self,
                             G_CONNECT_SWAPPED);

  update_from_hit (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_HIT]);
}
