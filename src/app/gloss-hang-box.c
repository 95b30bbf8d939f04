/* gloss-hang-box.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "gloss-hang-box"

#include "config.h"

#include "gloss-hang-box.h"

/* A marker (a list item's bullet or number, a notice's icon) hanging at the
 * start of a wrapped label, the label's lines all beside it.
 *
 * A horizontal GtkBox would draw the same, but it asks a wrapped label for
 * its width at a given height, which GtkLabel answers by laying its text out
 * at a dozen widths in turn (a binary search); for a paragraph of a few
 * thousand characters that is a few hundred milliseconds, every time the
 * height changes. This box asks its body only for its width unconstrained
 * and for its height at a width, as a vertical box does. */
struct _GlossHangBox
{
  GtkWidget  parent_instance;

  GtkWidget *marker;
  GtkWidget *body;
  int        marker_width;  /* the marker's column is at least this wide */
  int        spacing;
};

G_DEFINE_FINAL_TYPE (GlossHangBox, gloss_hang_box, GTK_TYPE_WIDGET)

static void
gloss_hang_box_dispose (GObject *object)
{
  GlossHangBox *self = (GlossHangBox *)object;

  g_clear_pointer (&self->marker, gtk_widget_unparent);
  g_clear_pointer (&self->body, gtk_widget_unparent);

  G_OBJECT_CLASS (gloss_hang_box_parent_class)->dispose (object);
}

/* The marker's column for a box @width wide (-1: unconstrained): its
 * natural width, or its minimum if the body would not fit otherwise. */
static int
marker_column (GlossHangBox *self,
               int           width)
{
  int marker_min;
  int marker_nat;
  int body_min;

  gtk_widget_measure (self->marker, GTK_ORIENTATION_HORIZONTAL, -1,
                      &marker_min, &marker_nat, NULL, NULL);
  marker_min = MAX (marker_min, self->marker_width);
  marker_nat = MAX (marker_nat, self->marker_width);

  if (width < 0)
    return marker_nat;

  gtk_widget_measure (self->body, GTK_ORIENTATION_HORIZONTAL, -1, &body_min, NULL, NULL, NULL);
  if (width - marker_nat - self->spacing >= body_min)
    return marker_nat;

  return marker_min;
}

static void
gloss_hang_box_measure (GtkWidget      *widget,
                        GtkOrientation  orientation,
                        int             for_size,
                        int            *minimum,
                        int            *natural,
                        int            *minimum_baseline,
                        int            *natural_baseline)
{
  GlossHangBox *self = GLOSS_HANG_BOX (widget);

  if (orientation == GTK_ORIENTATION_HORIZONTAL)
    {
      int marker_min, marker_nat;
      int body_min, body_nat;

      /* Whatever the height: a wrapped label's width for a height is the
       * question this box exists not to ask. */
      gtk_widget_measure (self->marker, GTK_ORIENTATION_HORIZONTAL, -1,
                          &marker_min, &marker_nat, NULL, NULL);
      gtk_widget_measure (self->body, GTK_ORIENTATION_HORIZONTAL, -1,
                          &body_min, &body_nat, NULL, NULL);
      *minimum = MAX (marker_min, self->marker_width) + self->spacing + body_min;
      *natural = MAX (marker_nat, self->marker_width) + self->spacing + body_nat;
    }
  else
    {
      int column = marker_column (self, for_size);
      int body_width = for_size < 0 ? -1 : MAX (0, for_size - column - self->spacing);
      int marker_min, marker_nat;
      int body_min, body_nat;

      gtk_widget_measure (self->marker, GTK_ORIENTATION_VERTICAL, for_size < 0 ? -1 : column,
                          &marker_min, &marker_nat, NULL, NULL);
      gtk_widget_measure (self->body, GTK_ORIENTATION_VERTICAL, body_width,
                          &body_min, &body_nat, NULL, NULL);
      *minimum = MAX (marker_min, body_min);
      *natural = MAX (marker_nat, body_nat);
    }
}

static void
gloss_hang_box_size_allocate (GtkWidget *widget,
                              int        width,
                              int        height,
                              int        baseline)
{
  GlossHangBox *self = GLOSS_HANG_BOX (widget);
  int column = marker_column (self, width);
  int body_width = MAX (0, width - column - self->spacing);
  int marker_height;
  GtkAllocation marker_allocation;
  GtkAllocation body_allocation;

  /* The marker stays at the top of the first line, its own height. */
  gtk_widget_measure (self->marker, GTK_ORIENTATION_VERTICAL, column,
                      NULL, &marker_height, NULL, NULL);
  marker_allocation = (GtkAllocation) { 0, 0, column, MIN (marker_height, height) };
  body_allocation = (GtkAllocation) { column + self->spacing, 0, body_width, height };

  if (gtk_widget_get_direction (widget) == GTK_TEXT_DIR_RTL)
    {
      marker_allocation.x = width - column;
      body_allocation.x = 0;
    }

  gtk_widget_size_allocate (self->marker, &marker_allocation, -1);
  gtk_widget_size_allocate (self->body, &body_allocation, -1);
}

static GtkSizeRequestMode
gloss_hang_box_get_request_mode (GtkWidget *widget)
{
  return GTK_SIZE_REQUEST_HEIGHT_FOR_WIDTH;
}

static void
gloss_hang_box_class_init (GlossHangBoxClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = gloss_hang_box_dispose;

  widget_class->measure = gloss_hang_box_measure;
  widget_class->size_allocate = gloss_hang_box_size_allocate;
  widget_class->get_request_mode = gloss_hang_box_get_request_mode;

  gtk_widget_class_set_css_name (widget_class, "glosshangbox");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);
}

static void
gloss_hang_box_init (GlossHangBox *self)
{
}

/**
 * gloss_hang_box_new:
 * @marker: a small widget: a bullet, a number, an icon
 * @body: what hangs beside it, typically a wrapped label
 * @marker_width: the least width of the marker's column, so that markers of
 *   different widths line their bodies up
 * @spacing: between the marker's column and the body
 */
GtkWidget *
gloss_hang_box_new (GtkWidget *marker,
                    GtkWidget *body,
                    int        marker_width,
                    int        spacing)
{
  GlossHangBox *self;

  g_return_val_if_fail (GTK_IS_WIDGET (marker), NULL);
  g_return_val_if_fail (GTK_IS_WIDGET (body), NULL);
  g_return_val_if_fail (gtk_widget_get_parent (marker) == NULL, NULL);
  g_return_val_if_fail (gtk_widget_get_parent (body) == NULL, NULL);

  self = g_object_new (GLOSS_TYPE_HANG_BOX, NULL);
  self->marker_width = MAX (marker_width, 0);
  self->spacing = MAX (spacing, 0);
  self->marker = marker;
  self->body = body;
  gtk_widget_set_parent (marker, GTK_WIDGET (self));
  gtk_widget_set_parent (body, GTK_WIDGET (self));

  return GTK_WIDGET (self);
}
