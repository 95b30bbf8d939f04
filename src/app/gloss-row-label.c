/* gloss-row-label.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "gloss-row-label"

#include "config.h"

#include "gloss-row-label.h"

/* One line of a sidebar row, ellipsized at its end: what a GtkLabel with
 * single-line-mode and ellipsize=end shows, but shaped only when drawn where
 * it can be seen.
 *
 * GTK 4.8's list view keeps a widget for up to 200 rows around what it
 * shows, and measures, lays out and draws every one of them; a GtkLabel
 * shapes its whole text to measure it. A row's size does not depend on its
 * text here: its height is a line of its font (with that line's baseline,
 * for a neighbour aligned to it), its minimum width width-chars of it, its
 * natural width max-width-chars (what a GtkLabel reports for a text longer
 * than that, as sidebar texts are). So a new text
 * only redraws, and the text is shaped when the line is drawn inside the
 * scrollable that holds it (the list view), or anywhere when there is none.
 * The widget's CSS name is "label", so it is styled as one.
 *
 * Its text can be deferred too: a row's second line is the entry's summary
 * or why it matched a search, and either takes reading the entry; only the
 * rows drawn ask. */
struct _GlossRowLabel
{
  GtkWidget    parent_instance;

  char        *text;            /* plain text, for accessibility and tests */
  char        *markup;          /* or NULL */

  /* Set by gloss_row_label_set_deferred(): what makes the markup, when the
   * line is first drawn or its text asked for; @text is the fallback until
   * then. */
  GlossRowLabelFunc       deferred;
  gpointer                deferred_data;
  GDestroyNotify          deferred_destroy;
  int          width_chars;
  int          max_width_chars;

  guint        metrics_serial;  /* of the pango context the sizes below are for */
  int          char_pixels;     /* as GtkLabel: the wider of a char and a digit */
  int          line_height;     /* a line's logical height, Pango units */
  int          baseline;        /* and its baseline, from its top */

  PangoLayout *layout;          /* made when first drawn where it can be seen */
  guint        layout_serial;
  int          layout_width;
};

enum {
  PROP_0,
  PROP_WIDTH_CHARS,
  PROP_MAX_WIDTH_CHARS,
  N_PROPS
};

G_DEFINE_FINAL_TYPE (GlossRowLabel, gloss_row_label, GTK_TYPE_WIDGET)

static GParamSpec *properties[N_PROPS];

static void
ensure_metrics (GlossRowLabel *self)
{
  PangoContext *context = gtk_widget_get_pango_context (GTK_WIDGET (self));
  guint serial = pango_context_get_serial (context);
  PangoFontMetrics *metrics;
  g_autoptr(PangoLayout) empty = NULL;
  PangoRectangle logical;

  if (serial == self->metrics_serial && self->line_height > 0)
    return;

  metrics = pango_context_get_metrics (context, pango_context_get_font_description (context),
                                       pango_context_get_language (context));
  self->char_pixels = MAX (pango_font_metrics_get_approximate_char_width (metrics),
                           pango_font_metrics_get_approximate_digit_width (metrics));
  pango_font_metrics_unref (metrics);

  /* The height of one line in the widget's font, as a GtkLabel measures a
   * line of text in that font. */
  empty = pango_layout_new (context);
  pango_layout_get_extents (empty, NULL, &logical);
  self->line_height = logical.height;
  self->baseline = pango_layout_get_baseline (empty);
  self->metrics_serial = serial;
}

static void
gloss_row_label_measure (GtkWidget      *widget,
                         GtkOrientation  orientation,
                         int             for_size,
                         int            *minimum,
                         int            *natural,
                         int            *minimum_baseline,
                         int            *natural_baseline)
{
  GlossRowLabel *self = GLOSS_ROW_LABEL (widget);

  ensure_metrics (self);

  if (orientation == GTK_ORIENTATION_HORIZONTAL)
    {
      int min = self->char_pixels * MAX (self->width_chars, 0);
      int nat = self->char_pixels * MAX (self->max_width_chars, self->width_chars);

      *minimum = PANGO_PIXELS_CEIL (min);
      *natural = PANGO_PIXELS_CEIL (MAX (min, nat));
    }
  else
    {
      *minimum = *natural = PANGO_PIXELS_CEIL (self->line_height);
      *minimum_baseline = *natural_baseline = PANGO_PIXELS (self->baseline);
    }
}

/* Whether any of the widget is inside the scrollable that holds it. */
static gboolean
is_in_view (GtkWidget *widget)
{
  GtkWidget *view = gtk_widget_get_ancestor (widget, GTK_TYPE_SCROLLABLE);
  graphene_rect_t bounds;

  if (view == NULL || !gtk_widget_compute_bounds (widget, view, &bounds))
    return TRUE;

  return bounds.origin.y + bounds.size.height > 0 &&
         bounds.origin.y < gtk_widget_get_height (view) &&
         bounds.origin.x + bounds.size.width > 0 &&
         bounds.origin.x < gtk_widget_get_width (view);
}

static void
clear_deferred (GlossRowLabel *self)
{
  GDestroyNotify destroy = self->deferred_destroy;
  gpointer data = self->deferred_data;

  self->deferred = NULL;
  self->deferred_data = NULL;
  self->deferred_destroy = NULL;
  if (destroy != NULL)
    destroy (data);
}

/* Puts @text and @markup in place; the caller redraws when it needs to. */
static void
replace_contents (GlossRowLabel *self,
                  char          *text,
                  char          *markup)
{
  g_free (self->text);
  g_free (self->markup);
  self->text = text;
  self->markup = markup;
  g_clear_object (&self->layout);

  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  self->text, -1);
}

/* Asks for the deferred text, if any is still to come. */
static void
resolve_deferred (GlossRowLabel *self)
{
  g_autofree char *markup = NULL;
  gboolean is_markup = FALSE;
  char *text = NULL;

  if (self->deferred == NULL)
    return;

  markup = self->deferred (self->deferred_data, &is_markup);
  clear_deferred (self);

  if (markup == NULL)
    return;

  if (!is_markup)
    {
      replace_contents (self, g_steal_pointer (&markup), NULL);
      return;
    }

  if (!pango_parse_markup (markup, -1, 0, NULL, &text, NULL, NULL))
    {
      g_critical ("Invalid markup for a row: %s", markup);
      return;
    }

  replace_contents (self, text, g_steal_pointer (&markup));
}

/* The characters shaped first: a line shows about 40 in a sidebar. */
#define FIRST_PREFIX_CHARS 48

/* Gives the layout as much of the text as it shows: a prefix, doubled
 * until it no longer fits (the layout ellipsizes it at the same place as
 * the whole text) or it is the whole text. A 160-character summary is not
 * shaped to show 40 of its characters, nor 160 glyphs as wide as a word. */
static void
set_layout_text (GlossRowLabel *self)
{
  const char *text = self->text ? self->text : "";

  for (guint n = FIRST_PREFIX_CHARS; ; n *= 2)
    {
      const char *end = text;

      for (guint i = 0; i < n && *end != '\0'; i++)
        end = g_utf8_next_char (end);

      pango_layout_set_text (self->layout, text, end - text);
      if (*end == '\0' || pango_layout_is_ellipsized (self->layout))
        break;
    }
}

static void
ensure_layout (GlossRowLabel *self,
               int            width)
{
  PangoContext *context = gtk_widget_get_pango_context (GTK_WIDGET (self));
  guint serial = pango_context_get_serial (context);

  if (self->layout != NULL && self->layout_serial == serial && self->layout_width == width)
    return;

  if (self->layout == NULL || self->layout_serial != serial)
    {
      g_clear_object (&self->layout);
      self->layout = gtk_widget_create_pango_layout (GTK_WIDGET (self), NULL);
      pango_layout_set_ellipsize (self->layout, PANGO_ELLIPSIZE_END);
      pango_layout_set_single_paragraph_mode (self->layout, TRUE);
      pango_layout_set_alignment (self->layout,
                                  gtk_widget_get_direction (GTK_WIDGET (self)) == GTK_TEXT_DIR_RTL
                                  ? PANGO_ALIGN_RIGHT : PANGO_ALIGN_LEFT);
      if (self->markup != NULL)
        pango_layout_set_markup (self->layout, self->markup, -1);
      self->layout_serial = serial;
    }

  pango_layout_set_width (self->layout, width * PANGO_SCALE);
  if (self->markup == NULL)
    set_layout_text (self);
  self->layout_width = width;
}

static void
gloss_row_label_snapshot (GtkWidget   *widget,
                          GtkSnapshot *snapshot)
{
  GlossRowLabel *self = GLOSS_ROW_LABEL (widget);
  GdkRGBA color;

  if (!is_in_view (widget))
    return;

  resolve_deferred (self);
  if (self->text == NULL || self->text[0] == '\0')
    return;

  ensure_layout (self, gtk_widget_get_width (widget));

  G_GNUC_BEGIN_IGNORE_DEPRECATIONS
  gtk_style_context_get_color (gtk_widget_get_style_context (widget), &color);
  G_GNUC_END_IGNORE_DEPRECATIONS

  gtk_snapshot_append_layout (snapshot, self->layout, &color);
}

static void
gloss_row_label_direction_changed (GtkWidget        *widget,
                                   GtkTextDirection  previous)
{
  GlossRowLabel *self = GLOSS_ROW_LABEL (widget);

  g_clear_object (&self->layout);
  GTK_WIDGET_CLASS (gloss_row_label_parent_class)->direction_changed (widget, previous);
}

static void
gloss_row_label_finalize (GObject *object)
{
  GlossRowLabel *self = GLOSS_ROW_LABEL (object);

  clear_deferred (self);
  g_clear_object (&self->layout);
  g_free (self->text);
  g_free (self->markup);

  G_OBJECT_CLASS (gloss_row_label_parent_class)->finalize (object);
}

static void
gloss_row_label_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  GlossRowLabel *self = GLOSS_ROW_LABEL (object);

  switch (prop_id)
    {
    case PROP_WIDTH_CHARS:
      g_value_set_int (value, self->width_chars);
      break;

    case PROP_MAX_WIDTH_CHARS:
      g_value_set_int (value, self->max_width_chars);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
gloss_row_label_set_property (GObject      *object,
                              guint         prop_id,
                              const GValue *value,
                              GParamSpec   *pspec)
{
  GlossRowLabel *self = GLOSS_ROW_LABEL (object);
  int *field;

  switch (prop_id)
    {
    case PROP_WIDTH_CHARS:
      field = &self->width_chars;
      break;

    case PROP_MAX_WIDTH_CHARS:
      field = &self->max_width_chars;
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
      return;
    }

  if (*field != g_value_get_int (value))
    {
      *field = g_value_get_int (value);
      gtk_widget_queue_resize (GTK_WIDGET (self));
      g_object_notify_by_pspec (object, pspec);
    }
}

static void
gloss_row_label_class_init (GlossRowLabelClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->finalize = gloss_row_label_finalize;
  object_class->get_property = gloss_row_label_get_property;
  object_class->set_property = gloss_row_label_set_property;

  widget_class->measure = gloss_row_label_measure;
  widget_class->snapshot = gloss_row_label_snapshot;
  widget_class->direction_changed = gloss_row_label_direction_changed;

  properties[PROP_WIDTH_CHARS] =
    g_param_spec_int ("width-chars", NULL, NULL, -1, G_MAXINT, -1,
                      G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_MAX_WIDTH_CHARS] =
    g_param_spec_int ("max-width-chars", NULL, NULL, -1, G_MAXINT, -1,
                      G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_css_name (widget_class, "label");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_LABEL);
}

static void
gloss_row_label_init (GlossRowLabel *self)
{
  self->width_chars = -1;
  self->max_width_chars = -1;
}

GtkWidget *
gloss_row_label_new (void)
{
  return g_object_new (GLOSS_TYPE_ROW_LABEL, NULL);
}

/* The plain text shown (a deferred markup is made now). */
const char *
gloss_row_label_get_text (GlossRowLabel *self)
{
  g_return_val_if_fail (GLOSS_IS_ROW_LABEL (self), NULL);

  resolve_deferred (self);
  return self->text ? self->text : "";
}

static void
set_contents (GlossRowLabel *self,
              char          *text,
              char          *markup)
{
  clear_deferred (self);
  replace_contents (self, text, markup);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

void
gloss_row_label_set_text (GlossRowLabel *self,
                          const char    *text)
{
  g_return_if_fail (GLOSS_IS_ROW_LABEL (self));

  if (text == NULL)
    text = "";
  if (self->deferred == NULL && self->markup == NULL && g_strcmp0 (self->text, text) == 0)
    return;

  set_contents (self, g_strdup (text), NULL);
}

/* Shows the text (or markup) @func makes from @data, asked for when the
 * line is first drawn where it can be seen (or its text asked for);
 * @fallback until then, and after if @func returns NULL. */
void
gloss_row_label_set_deferred (GlossRowLabel           *self,
                              GlossRowLabelFunc        func,
                              gpointer                 data,
                              GDestroyNotify           destroy,
                              const char              *fallback)
{
  g_return_if_fail (GLOSS_IS_ROW_LABEL (self));
  g_return_if_fail (func != NULL);

  set_contents (self, g_strdup (fallback ? fallback : ""), NULL);
  self->deferred = func;
  self->deferred_data = data;
  self->deferred_destroy = destroy;
}

/* Whether the text has been shaped, that is, drawn where it can be seen. */
gboolean
gloss_row_label_get_laid_out (GlossRowLabel *self)
{
  g_return_val_if_fail (GLOSS_IS_ROW_LABEL (self), FALSE);
  return self->layout != NULL;
}
