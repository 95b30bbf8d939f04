/* gloss-article.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "gloss-article"

#include "config.h"

#include <glib/gi18n.h>

#include "gloss-article.h"
#include "gloss-link.h"
#include "gloss-markdown.h"
#include "gloss-text.h"

/* The content pane: one entry laid out as an article. Everything from the
 * bundle goes into labels as plain text, or as markup the core built with
 * every character escaped; links are checked again on activation. */
struct _GlossArticle
{
  GtkWidget    parent_instance;

  GlossBundle *bundle;
  GlossEntry  *entry;
  GlossFilter *filter;

  AdwClamp    *clamp;
  GtkBox      *box;
};

enum {
  OPEN_ENTRY,
  OPEN_URI,
  FILTER_TAG,
  N_SIGNALS
};

G_DEFINE_FINAL_TYPE (GlossArticle, gloss_article, GTK_TYPE_WIDGET)

static guint signals[N_SIGNALS];

static void
gloss_article_dispose (GObject *object)
{
  GlossArticle *self = (GlossArticle *)object;

  gtk_widget_dispose_template (GTK_WIDGET (self), GLOSS_TYPE_ARTICLE);
  g_clear_object (&self->bundle);
  g_clear_object (&self->entry);
  g_clear_pointer (&self->filter, gloss_filter_unref);

  G_OBJECT_CLASS (gloss_article_parent_class)->dispose (object);
}

static void
gloss_article_class_init (GlossArticleClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = gloss_article_dispose;

  /**
   * GlossArticle::open-entry:
   * @entry_id: the id of an entry of the same bundle
   *
   * A link, a card or a tag asks to open another entry.
   */
  signals[OPEN_ENTRY] =
    g_signal_new ("open-entry", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);

  /**
   * GlossArticle::open-uri:
   * @uri: an http, https or mailto URI that passed the link policy
   *
   * The user clicked an external link.
   */
  signals[OPEN_URI] =
    g_signal_new ("open-uri", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);

  /**
   * GlossArticle::filter-tag:
   * @tag: the tag chip the user clicked
   */
  signals[FILTER_TAG] =
    g_signal_new ("filter-tag", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_BASE "/gloss-article.ui");
  gtk_widget_class_bind_template_child (widget_class, GlossArticle, clamp);
  gtk_widget_class_bind_template_child (widget_class, GlossArticle, box);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "glossarticle");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_DOCUMENT);
}

static void
gloss_article_init (GlossArticle *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

typedef struct
{
  GlossArticle *self;
  char         *entry_id;
} PendingOpen;

static gboolean
emit_open_entry (gpointer data)
{
  PendingOpen *pending = data;

  g_signal_emit (pending->self, signals[OPEN_ENTRY], 0, pending->entry_id);
  g_object_unref (pending->self);
  g_free (pending->entry_id);
  g_free (pending);

  return G_SOURCE_REMOVE;
}

/* Opening an entry rebuilds the article, which destroys the label or card
 * that asked for it: let that widget finish handling its event first. */
static void
open_entry_soon (GlossArticle *self,
                 const char   *entry_id)
{
  PendingOpen *pending = g_new0 (PendingOpen, 1);

  pending->self = g_object_ref (self);
  pending->entry_id = g_strdup (entry_id);
  g_idle_add_full (G_PRIORITY_HIGH_IDLE, emit_open_entry, pending, NULL);
}

/* Every link in bundle text ends here. GTK would otherwise open any scheme
 * that has a handler, so the policy is applied again and TRUE is returned
 * whatever happens. */
static gboolean
on_activate_link (GtkLabel     *label,
                  const char   *uri,
                  GlossArticle *self)
{
  g_autofree char *entry_id = NULL;

  switch (gloss_link_classify (uri, &entry_id))
    {
    case GLOSS_LINK_ENTRY:
      open_entry_soon (self, entry_id);
      break;

    case GLOSS_LINK_EXTERNAL:
      g_signal_emit (self, signals[OPEN_URI], 0, uri);
      break;

    case GLOSS_LINK_REFUSED:
    default:
      break;
    }

  return TRUE;
}

static GtkWidget *
new_label (const char *text,
           const char *css_class)
{
  GtkWidget *label = gtk_label_new (text);

  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (label), PANGO_WRAP_WORD_CHAR);
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_selectable (GTK_LABEL (label), TRUE);
  if (css_class != NULL)
    gtk_widget_add_css_class (label, css_class);

  return label;
}

/* A label for bundle text: wrapped anywhere a long run needs it. */
static GtkWidget *
new_text_label (const char *text,
                const char *css_class)
{
  g_autofree char *breakable = gloss_text_breakable (text);

  return new_label (breakable, css_class);
}

static GtkWidget *
new_heading (const char *text)
{
  GtkWidget *label = new_label (text, "gloss-part-heading");

  gtk_label_set_selectable (GTK_LABEL (label), FALSE);
  gtk_accessible_update_property (GTK_ACCESSIBLE (label),
                                  GTK_ACCESSIBLE_PROPERTY_LEVEL, 2, -1);

  return label;
}

static char *
check_entry_link (const char *entry_id,
                  gpointer    user_data)
{
  GlossArticle *self = user_data;
  GlossEntry *target = gloss_bundle_lookup_entry (self->bundle, entry_id);

  if (target == NULL)
    return g_strdup_printf (_("There is no entry “%s” in this glossary"), entry_id);

  if (!gloss_filter_allows (self->filter, target))
    {
      if (gloss_entry_get_mature (target) && !gloss_filter_get_include_mature (self->filter))
        return g_strdup (_("This entry is mature and hidden; turn on mature entries to follow it"));
      return g_strdup (_("This entry has a tag you chose to hide"));
    }

  return NULL;
}

static const char *
block_css_class (const GlossBlock *block)
{
  switch (block->kind)
    {
    case GLOSS_BLOCK_HEADING:
      return block->level <= 2 ? "gloss-block-heading" : "gloss-block-subheading";
    case GLOSS_BLOCK_QUOTE:
      return "gloss-quote";
    case GLOSS_BLOCK_CODE:
      return "gloss-code";
    case GLOSS_BLOCK_LIST_ITEM:
    case GLOSS_BLOCK_PARAGRAPH:
    default:
      return "gloss-paragraph";
    }
}

/* Renders Markdown into @box, one label per block. */
static void
append_markdown (GlossArticle *self,
                 GtkBox       *box,
                 const char   *markdown)
{
  g_autoptr(GPtrArray) blocks = gloss_markdown_render (markdown, -1, check_entry_link, self);

  for (guint i = 0; i < blocks->len; i++)
    {
      const GlossBlock *block = g_ptr_array_index (blocks, i);
      GtkWidget *label;
      GtkWidget *child;

      label = new_label (NULL, block_css_class (block));
      gtk_label_set_markup (GTK_LABEL (label), block->markup);
      g_signal_connect (label, "activate-link", G_CALLBACK (on_activate_link), self);

      if (block->notes != NULL)
        {
          g_autofree char *tooltip = g_strjoinv ("\n", block->notes);
          gtk_widget_set_tooltip_text (label, tooltip);
        }

      if (block->kind == GLOSS_BLOCK_HEADING)
        gtk_accessible_update_property (GTK_ACCESSIBLE (label),
                                        GTK_ACCESSIBLE_PROPERTY_LEVEL, 2 + block->level, -1);

      child = label;

      if (block->kind == GLOSS_BLOCK_LIST_ITEM)
        {
          GtkWidget *marker = gtk_label_new (block->marker ? block->marker : "");
          GtkWidget *row = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 8);

          gtk_widget_add_css_class (marker, "gloss-list-marker");
          gtk_label_set_xalign (GTK_LABEL (marker), 1);
          gtk_widget_set_valign (marker, GTK_ALIGN_START);
          gtk_widget_set_size_request (marker, 20, -1);
          gtk_widget_set_hexpand (label, TRUE);
          gtk_box_append (GTK_BOX (row), marker);
          gtk_box_append (GTK_BOX (row), label);
          child = row;
        }

      if (block->depth > 0)
        gtk_widget_set_margin_start (child, 18 * (MIN (block->depth, 8) - 1) +
                                     (block->kind == GLOSS_BLOCK_QUOTE ? 0 : 4));

      gtk_box_append (box, child);
    }
}

static char *
format_date (const char *date)
{
  g_autoptr(GDateTime) dt = NULL;
  g_autofree char *iso = NULL;

  iso = g_strdup_printf ("%sT00:00:00Z", date);
  dt = g_date_time_new_from_iso8601 (iso, NULL);
  if (dt == NULL)
    return g_strdup (date);

  /* Translators: a date in a byline, see strftime(3) */
  return g_date_time_format (dt, _("%-d %B %Y"));
}

static GtkWidget *
build_byline (GlossArticle *self)
{
  g_autoptr(GPtrArray) parts = g_ptr_array_new_with_free_func (g_free);
  const GlossCategory *category;
  const char * const *sources;
  guint minutes;

  category = gloss_bundle_lookup_category (self->bundle, gloss_entry_get_category (self->entry));
  if (category != NULL)
    g_ptr_array_add (parts, gloss_text_isolate (category->name));

  if (gloss_entry_get_updated (self->entry) != NULL &&
      g_strcmp0 (gloss_entry_get_updated (self->entry),
                 gloss_entry_get_published (self->entry)) != 0)
    {
      g_autofree char *date = format_date (gloss_entry_get_updated (self->entry));
      g_ptr_array_add (parts, g_strdup_printf (_("Updated %s"), date));
    }
  else if (gloss_entry_get_published (self->entry) != NULL)
    {
      g_autofree char *date = format_date (gloss_entry_get_published (self->entry));
      g_ptr_array_add (parts, g_strdup_printf (_("Published %s"), date));
    }

  minutes = gloss_entry_get_reading_minutes (self->entry);
  g_ptr_array_add (parts, g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u min read",
                                                        "%u min read", minutes), minutes));

  sources = gloss_entry_get_sources (self->entry);
  if (sources[0] != NULL)
    {
      g_autoptr(GString) list = g_string_new (NULL);

      for (guint i = 0; sources[i] != NULL; i++)
        {
          g_autofree char *isolated = gloss_text_isolate (sources[i]);

          if (i > 0)
            g_string_append (list, ", ");
          g_string_append (list, isolated);
        }

      g_ptr_array_add (parts, g_strdup_printf (_("Sources: %s"), list->str));
    }

  g_ptr_array_add (parts, NULL);

  {
    g_autofree char *text = g_strjoinv (" · ", (char **)parts->pdata);
    GtkWidget *label = new_text_label (text, "gloss-byline");

    gtk_widget_add_css_class (label, "dim-label");
    return label;
  }
}

static GtkWidget *
build_notice (GlossArticle *self)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  GtkWidget *icon = gtk_image_new_from_icon_name ("dialog-warning-symbolic");
  GtkWidget *label = new_text_label (gloss_entry_get_notice (self->entry), NULL);

  gtk_widget_add_css_class (box, "gloss-notice");
  gtk_widget_set_valign (icon, GTK_ALIGN_START);
  gtk_widget_set_hexpand (label, TRUE);
  gtk_box_append (GTK_BOX (box), icon);
  gtk_box_append (GTK_BOX (box), label);
  gtk_accessible_update_property (GTK_ACCESSIBLE (box),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Content note"), -1);

  return box;
}

static void
on_tag_clicked (GtkButton    *button,
                GlossArticle *self)
{
  const char *tag = g_object_get_data (G_OBJECT (button), "gloss-tag");

  g_signal_emit (self, signals[FILTER_TAG], 0, tag);
}

static GtkWidget *
new_flow_box (const char *accessible_label)
{
  GtkWidget *flow = gtk_flow_box_new ();

  gtk_flow_box_set_selection_mode (GTK_FLOW_BOX (flow), GTK_SELECTION_NONE);
  gtk_flow_box_set_column_spacing (GTK_FLOW_BOX (flow), 8);
  gtk_flow_box_set_row_spacing (GTK_FLOW_BOX (flow), 8);
  gtk_accessible_update_property (GTK_ACCESSIBLE (flow),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, accessible_label, -1);

  return flow;
}

static GtkWidget *
build_tags (GlossArticle *self)
{
  const char * const *tags = gloss_entry_get_tags (self->entry);
  GtkWidget *flow = new_flow_box (_("Tags"));

  gtk_flow_box_set_max_children_per_line (GTK_FLOW_BOX (flow), 30);
  gtk_widget_add_css_class (flow, "gloss-tags");

  for (guint i = 0; tags[i] != NULL; i++)
    {
      g_autofree char *tooltip = g_strdup_printf (_("Show entries tagged “%s”"), tags[i]);
      GtkWidget *button = gtk_button_new ();
      GtkWidget *label = gtk_label_new (tags[i]);

      gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
      gtk_label_set_max_width_chars (GTK_LABEL (label), 30);
      gtk_button_set_child (GTK_BUTTON (button), label);
      gtk_widget_add_css_class (button, "gloss-tag");
      gtk_widget_set_tooltip_text (button, tooltip);
      g_object_set_data_full (G_OBJECT (button), "gloss-tag", g_strdup (tags[i]), g_free);
      g_signal_connect (button, "clicked", G_CALLBACK (on_tag_clicked), self);
      gtk_flow_box_append (GTK_FLOW_BOX (flow), button);
      gtk_widget_set_halign (gtk_widget_get_parent (button), GTK_ALIGN_START);
    }

  return flow;
}

static GtkWidget *
build_stats (GlossArticle *self)
{
  const GlossStat *stats;
  GtkWidget *flow = new_flow_box (_("By the numbers"));
  guint n_stats;

  stats = gloss_entry_get_stats (self->entry, &n_stats);
  gtk_flow_box_set_homogeneous (GTK_FLOW_BOX (flow), TRUE);
  gtk_flow_box_set_min_children_per_line (GTK_FLOW_BOX (flow), 1);
  gtk_flow_box_set_max_children_per_line (GTK_FLOW_BOX (flow), 3);

  for (guint i = 0; i < n_stats; i++)
    {
      GtkWidget *card = gtk_box_new (GTK_ORIENTATION_VERTICAL, 4);
      GtkWidget *label = new_text_label (stats[i].label, "gloss-stat-label");
      GtkWidget *value = new_text_label (stats[i].value, "gloss-stat-value");

      /* Bounded natural widths let the flow box fit three cards a line. */
      gtk_label_set_max_width_chars (GTK_LABEL (label), 16);
      gtk_label_set_max_width_chars (GTK_LABEL (value), 12);

      gtk_widget_add_css_class (card, "card");
      gtk_widget_add_css_class (card, "gloss-stat");
      gtk_widget_add_css_class (label, "dim-label");
      gtk_box_append (GTK_BOX (card), label);
      gtk_box_append (GTK_BOX (card), value);

      if (stats[i].note != NULL)
        {
          GtkWidget *note = new_text_label (stats[i].note, "gloss-stat-note");

          gtk_label_set_max_width_chars (GTK_LABEL (note), 16);

          gtk_widget_add_css_class (note, "dim-label");
          gtk_box_append (GTK_BOX (card), note);
        }

      gtk_flow_box_append (GTK_FLOW_BOX (flow), card);
    }

  return flow;
}

static GtkWidget *
build_faq (GlossArticle *self)
{
  const GlossFaq *faq;
  GtkWidget *list = gtk_list_box_new ();
  guint n_faq;

  faq = gloss_entry_get_faq (self->entry, &n_faq);
  gtk_list_box_set_selection_mode (GTK_LIST_BOX (list), GTK_SELECTION_NONE);
  gtk_widget_add_css_class (list, "boxed-list");
  gtk_accessible_update_property (GTK_ACCESSIBLE (list),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Quick answers"), -1);

  for (guint i = 0; i < n_faq; i++)
    {
      g_autofree char *question = gloss_text_breakable (faq[i].question);
      GtkWidget *row = adw_expander_row_new ();
      GtkWidget *answer = gtk_box_new (GTK_ORIENTATION_VERTICAL, 8);

      /* Row titles are markup by default: bundle text must stay text. */
      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), question);
      gtk_widget_add_css_class (answer, "gloss-answer");
      append_markdown (self, GTK_BOX (answer), faq[i].answer);
      adw_expander_row_add_row (ADW_EXPANDER_ROW (row), answer);
      gtk_list_box_append (GTK_LIST_BOX (list), row);
    }

  return list;
}

static void
on_card_clicked (GtkButton    *button,
                 GlossArticle *self)
{
  const char *entry_id = g_object_get_data (G_OBJECT (button), "gloss-entry-id");

  open_entry_soon (self, entry_id);
}

static GtkWidget *
build_related_card (GlossArticle *self,
                    GlossEntry   *target)
{
  const GlossCategory *category;
  GtkWidget *button = gtk_button_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 4);
  GtkWidget *term = new_text_label (gloss_entry_get_term (target), "gloss-card-term");

  gtk_label_set_max_width_chars (GTK_LABEL (term), 30);
  gtk_label_set_selectable (GTK_LABEL (term), FALSE);
  gtk_box_append (GTK_BOX (box), term);

  category = gloss_bundle_lookup_category (self->bundle, gloss_entry_get_category (target));
  if (category != NULL)
    {
      GtkWidget *label = new_text_label (category->name, "gloss-card-category");

      gtk_label_set_selectable (GTK_LABEL (label), FALSE);
      gtk_widget_add_css_class (label, "dim-label");
      gtk_box_append (GTK_BOX (box), label);
    }

  if (gloss_entry_get_summary (target) != NULL)
    {
      g_autofree char *line = gloss_text_for_row (gloss_entry_get_summary (target));
      GtkWidget *label = new_label (line, "gloss-card-summary");

      gtk_label_set_selectable (GTK_LABEL (label), FALSE);
      gtk_label_set_lines (GTK_LABEL (label), 3);
      gtk_label_set_max_width_chars (GTK_LABEL (label), 30);
      gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
      gtk_box_append (GTK_BOX (box), label);
    }

  gtk_widget_set_valign (box, GTK_ALIGN_START);
  gtk_button_set_child (GTK_BUTTON (button), box);
  gtk_widget_add_css_class (button, "card");
  gtk_widget_add_css_class (button, "gloss-card");
  gtk_accessible_update_property (GTK_ACCESSIBLE (button),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, gloss_entry_get_term (target),
                                  -1);
  g_object_set_data_full (G_OBJECT (button), "gloss-entry-id",
                          g_strdup (gloss_entry_get_id (target)), g_free);
  g_signal_connect (button, "clicked", G_CALLBACK (on_card_clicked), self);

  return button;
}

static GtkWidget *
build_related (GlossArticle *self)
{
  const char * const *related = gloss_entry_get_related (self->entry);
  GtkWidget *flow = NULL;

  for (guint i = 0; related[i] != NULL; i++)
    {
      GlossEntry *target = gloss_bundle_lookup_entry (self->bundle, related[i]);

      if (target == NULL || !gloss_filter_allows (self->filter, target))
        continue;

      if (flow == NULL)
        {
          flow = new_flow_box (_("More like this"));
          gtk_flow_box_set_homogeneous (GTK_FLOW_BOX (flow), TRUE);
          gtk_flow_box_set_min_children_per_line (GTK_FLOW_BOX (flow), 1);
          gtk_flow_box_set_max_children_per_line (GTK_FLOW_BOX (flow), 2);
        }

      gtk_flow_box_append (GTK_FLOW_BOX (flow), build_related_card (self, target));
    }

  return flow;
}

static void
clear_box (GtkBox *box)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (box));
  GtkWidget *focus = root ? gtk_root_get_focus (root) : NULL;
  GtkWidget *child;

  /* A selectable label may hold the keyboard focus: move it out before the
   * label goes, or GTK 4.8 keeps pointing at a destroyed widget. */
  if (focus != NULL && gtk_widget_is_ancestor (focus, GTK_WIDGET (box)))
    gtk_root_set_focus (root, NULL);

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (box))) != NULL)
    gtk_box_remove (box, child);
}

static void
rebuild (GlossArticle *self)
{
  const GlossSection *sections;
  GtkWidget *related;
  guint n_stats;
  guint n_sections;
  guint n_faq;

  clear_box (self->box);

  if (self->entry == NULL)
    return;

  {
    GtkWidget *headline = new_text_label (gloss_entry_get_title (self->entry), "gloss-headline");

    gtk_widget_add_css_class (headline, "title-1");
    gtk_accessible_update_property (GTK_ACCESSIBLE (headline),
                                    GTK_ACCESSIBLE_PROPERTY_LEVEL, 1, -1);
    gtk_box_append (self->box, headline);
  }

  if (gloss_entry_get_summary (self->entry) != NULL)
    gtk_box_append (self->box, new_text_label (gloss_entry_get_summary (self->entry), "gloss-dek"));

  gtk_box_append (self->box, build_byline (self));

  if (gloss_entry_get_notice (self->entry) != NULL)
    gtk_box_append (self->box, build_notice (self));

  if (gloss_entry_get_tags (self->entry)[0] != NULL)
    gtk_box_append (self->box, build_tags (self));

  gloss_entry_get_stats (self->entry, &n_stats);
  if (n_stats > 0)
    {
      gtk_box_append (self->box, new_heading (_("By the numbers")));
      gtk_box_append (self->box, build_stats (self));
    }

  sections = gloss_entry_get_sections (self->entry, &n_sections);
  for (guint i = 0; i < n_sections; i++)
    {
      GtkWidget *section = gtk_box_new (GTK_ORIENTATION_VERTICAL, 10);

      gtk_widget_add_css_class (section, "gloss-section");

      if (sections[i].heading != NULL)
        {
          g_autofree char *heading = gloss_text_breakable (sections[i].heading);
          gtk_box_append (GTK_BOX (section), new_heading (heading));
        }

      append_markdown (self, GTK_BOX (section), sections[i].body);
      gtk_box_append (self->box, section);
    }

  gloss_entry_get_faq (self->entry, &n_faq);
  if (n_faq > 0)
    {
      gtk_box_append (self->box, new_heading (_("Quick answers")));
      gtk_box_append (self->box, build_faq (self));
    }

  related = build_related (self);
  if (related != NULL)
    {
      gtk_box_append (self->box, new_heading (_("More like this")));
      gtk_box_append (self->box, related);
    }
}

/**
 * gloss_article_set_entry:
 * @entry: (nullable): an entry of @bundle
 * @filter: what the user chose not to see; links and cards respect it
 */
void
gloss_article_set_entry (GlossArticle *self,
                         GlossBundle  *bundle,
                         GlossEntry   *entry,
                         GlossFilter  *filter)
{
  g_return_if_fail (GLOSS_IS_ARTICLE (self));
  g_return_if_fail (!bundle || GLOSS_IS_BUNDLE (bundle));
  g_return_if_fail (!entry || GLOSS_IS_ENTRY (entry));

  g_set_object (&self->bundle, bundle);
  g_set_object (&self->entry, entry);
  g_clear_pointer (&self->filter, gloss_filter_unref);
  if (filter != NULL)
    self->filter = gloss_filter_ref (filter);

  rebuild (self);
}

GlossEntry *
gloss_article_get_entry (GlossArticle *self)
{
  g_return_val_if_fail (GLOSS_IS_ARTICLE (self), NULL);
  return self->entry;
}
