/* gloss-article.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "gloss-article"

#include "config.h"

#include <string.h>

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

  /* What is left to build of the article, built a slice at a time so that
   * no entry, however large, holds the main loop for long. */
  GQueue      *work;
  GtkWidget   *container;   /* where the current run of parts goes */
  GPtrArray   *blocks;      /* of the section being built */
  guint        next_block;
  guint        work_source;
  guint        page_left;   /* parts still to make before "Continue reading" */
  GtkWidget   *more_button;
};

/* Parts are made in order; each of these appends one thing. */
typedef enum
{
  WORK_TAGS,
  WORK_TAG,
  WORK_STATS,
  WORK_STAT,
  WORK_SECTION,
  WORK_BLOCK,
  WORK_FAQ_LIST,
  WORK_FAQ,
  WORK_RELATED_LIST,
  WORK_RELATED,
} WorkKind;

#define WORK(kind, index) GUINT_TO_POINTER (((index) << 4) | (kind))
#define WORK_KIND(w)      (GPOINTER_TO_UINT (w) & 0xf)
#define WORK_INDEX(w)     (GPOINTER_TO_UINT (w) >> 4)

/* Enough for the first screenful; the rest follows in idle slices, a page
 * at a time: past PAGE_PARTS parts the reader asks for more, so that no
 * entry, however long, makes every frame lay out thousands of widgets. */
#define FIRST_SLICE_ITEMS 8
#define FIRST_SLICE_USEC  (20 * 1000)
#define SLICE_ITEMS       3
#define SLICE_USEC        (4 * 1000)
#define PAGE_PARTS        120

enum {
  PROP_0,
  PROP_BUILDING,
  N_PROPS
};

enum {
  OPEN_ENTRY,
  OPEN_URI,
  FILTER_TAG,
  N_SIGNALS
};

G_DEFINE_FINAL_TYPE (GlossArticle, gloss_article, GTK_TYPE_WIDGET)

static guint signals[N_SIGNALS];
static GParamSpec *properties[N_PROPS];

static void stop_work (GlossArticle *self);

static void
gloss_article_dispose (GObject *object)
{
  GlossArticle *self = (GlossArticle *)object;

  stop_work (self);
  g_clear_pointer (&self->work, g_queue_free);
  gtk_widget_dispose_template (GTK_WIDGET (self), GLOSS_TYPE_ARTICLE);
  g_clear_object (&self->bundle);
  g_clear_object (&self->entry);
  g_clear_pointer (&self->filter, gloss_filter_unref);

  G_OBJECT_CLASS (gloss_article_parent_class)->dispose (object);
}

static void
gloss_article_get_property (GObject    *object,
                            guint       prop_id,
                            GValue     *value,
                            GParamSpec *pspec)
{
  GlossArticle *self = GLOSS_ARTICLE (object);

  switch (prop_id)
    {
    case PROP_BUILDING:
      g_value_set_boolean (value, gloss_article_get_building (self));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
gloss_article_class_init (GlossArticleClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = gloss_article_dispose;
  object_class->get_property = gloss_article_get_property;

  /**
   * GlossArticle:building:
   *
   * Whether parts of a long article are still being added.
   */
  properties[PROP_BUILDING] =
    g_param_spec_boolean ("building", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

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
  self->work = g_queue_new ();
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
    {
      g_autofree char *quoted = gloss_text_for_message (entry_id);
      return g_strdup_printf (_("There is no entry “%s” in this glossary"), quoted);
    }

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

/* The block's markup as a label should show it. Tabs become spaces, and
 * outside code, runs of spaces become one, as a browser shows Markdown; in
 * code, runs keep up to 32 spaces, more than any indentation needs. A label
 * cannot wrap inside a run of white space, and thousands of them cost Pango
 * seconds. Our markup has no white space that matters inside tags. */
static char *
display_markup (const GlossBlock *block)
{
  guint max_run = block->kind == GLOSS_BLOCK_CODE ? 32 : 1;
  gboolean in_tag = FALSE;
  guint run = 0;
  GString *out;

  if (strchr (block->markup, '\t') == NULL && strstr (block->markup, "  ") == NULL)
    return g_strdup (block->markup);

  out = g_string_sized_new (strlen (block->markup));
  for (const char *p = block->markup; *p; p++)
    {
      char c = *p;

      if (c == '<')
        in_tag = TRUE;
      else if (c == '>')
        in_tag = FALSE;

      if (!in_tag && (c == ' ' || c == '\t'))
        {
          if (++run > max_run)
            continue;
          c = ' ';
        }
      else if (!in_tag)
        run = 0;

      g_string_append_c (out, c);
    }

  return g_string_free (out, FALSE);
}

/* One rendered block: a label, with a marker beside it for list items. */
static void
append_block (GlossArticle     *self,
              GtkBox           *box,
              const GlossBlock *block)
{
  GtkWidget *label;
  GtkWidget *child;

  label = new_label (NULL, block_css_class (block));

  {
    g_autofree char *markup = display_markup (block);
    gtk_label_set_markup (GTK_LABEL (label), markup);
  }
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

/* Renders Markdown into @box at once, one label per block: for answers,
 * which are short and shown on demand. */
static void
append_markdown (GlossArticle *self,
                 GtkBox       *box,
                 const char   *markdown)
{
  g_autoptr(GPtrArray) blocks = gloss_markdown_render (markdown, -1, check_entry_link, self);

  for (guint i = 0; i < blocks->len; i++)
    append_block (self, box, g_ptr_array_index (blocks, i));
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
            {
              /* Translators: between two sources in a byline */
              g_string_append (list, C_("list separator", ", "));
            }
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
build_tag (GlossArticle *self,
           const char   *tag)
{
  g_autofree char *quoted = gloss_text_for_message (tag);
  g_autofree char *tooltip = g_strdup_printf (_("Show entries tagged “%s”"), quoted);
  GtkWidget *button = gtk_button_new ();
  GtkWidget *label = gtk_label_new (tag);

  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
  gtk_label_set_max_width_chars (GTK_LABEL (label), 30);
  gtk_button_set_child (GTK_BUTTON (button), label);
  gtk_widget_add_css_class (button, "gloss-tag");
  gtk_widget_set_tooltip_text (button, tooltip);
  g_object_set_data_full (G_OBJECT (button), "gloss-tag", g_strdup (tag), g_free);
  g_signal_connect (button, "clicked", G_CALLBACK (on_tag_clicked), self);

  return button;
}

static GtkWidget *
build_stat (const GlossStat *stat)
{
  GtkWidget *card = gtk_box_new (GTK_ORIENTATION_VERTICAL, 4);
  GtkWidget *label = new_text_label (stat->label, "gloss-stat-label");
  GtkWidget *value = new_text_label (stat->value, "gloss-stat-value");

  /* Bounded natural widths let the flow box fit three cards a line. */
  gtk_label_set_max_width_chars (GTK_LABEL (label), 16);
  gtk_label_set_max_width_chars (GTK_LABEL (value), 12);

  gtk_widget_add_css_class (card, "card");
  gtk_widget_add_css_class (card, "gloss-stat");
  gtk_widget_add_css_class (label, "dim-label");
  gtk_box_append (GTK_BOX (card), label);
  gtk_box_append (GTK_BOX (card), value);

  if (stat->note != NULL)
    {
      GtkWidget *note = new_text_label (stat->note, "gloss-stat-note");

      gtk_label_set_max_width_chars (GTK_LABEL (note), 16);
      gtk_widget_add_css_class (note, "dim-label");
      gtk_box_append (GTK_BOX (card), note);
    }

  return card;
}

/* An answer is rendered when its row is first opened: most never are. */
static void
on_faq_expanded (AdwExpanderRow *row,
                 GParamSpec     *pspec,
                 GlossArticle   *self)
{
  GtkBox *answer = g_object_get_data (G_OBJECT (row), "gloss-answer");
  const char *markdown = g_object_get_data (G_OBJECT (row), "gloss-answer-markdown");

  if (!adw_expander_row_get_expanded (row) || markdown == NULL)
    return;

  append_markdown (self, answer, markdown);
  g_object_set_data (G_OBJECT (row), "gloss-answer-markdown", NULL);
}

static GtkWidget *
build_faq_row (GlossArticle   *self,
               const GlossFaq *faq)
{
  g_autofree char *question = gloss_text_breakable (faq->question);
  GtkWidget *row = adw_expander_row_new ();
  GtkWidget *answer = gtk_box_new (GTK_ORIENTATION_VERTICAL, 8);

  /* Row titles are markup by default: bundle text must stay text. */
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), question);
  gtk_widget_add_css_class (answer, "gloss-answer");
  adw_expander_row_add_row (ADW_EXPANDER_ROW (row), answer);
  g_object_set_data (G_OBJECT (row), "gloss-answer", answer);
  /* The entry outlives the row: the article holds a reference to it. */
  g_object_set_data (G_OBJECT (row), "gloss-answer-markdown", faq->answer);
  g_signal_connect (row, "notify::expanded", G_CALLBACK (on_faq_expanded), self);

  return row;
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

static GtkWidget *
start_flow (GlossArticle *self,
            const char   *heading,
            guint         max_per_line,
            gboolean      homogeneous)
{
  GtkWidget *flow = new_flow_box (heading);

  if (heading != NULL)
    gtk_box_append (self->box, new_heading (heading));

  gtk_flow_box_set_homogeneous (GTK_FLOW_BOX (flow), homogeneous);
  gtk_flow_box_set_min_children_per_line (GTK_FLOW_BOX (flow), 1);
  gtk_flow_box_set_max_children_per_line (GTK_FLOW_BOX (flow), max_per_line);
  gtk_box_append (self->box, flow);

  return flow;
}

/* Makes one part of the article and appends it where it belongs. Returns
 * what it costs of the page: long text costs more. */
static guint
do_work (GlossArticle *self,
         gpointer      work)
{
  guint index = WORK_INDEX (work);
  guint cost = 1;

  switch ((WorkKind)WORK_KIND (work))
    {
    case WORK_TAGS:
      self->container = start_flow (self, NULL, 30, FALSE);
      gtk_widget_add_css_class (self->container, "gloss-tags");
      gtk_accessible_update_property (GTK_ACCESSIBLE (self->container),
                                      GTK_ACCESSIBLE_PROPERTY_LABEL, _("Tags"), -1);
      break;

    case WORK_TAG:
      {
        GtkWidget *button = build_tag (self, gloss_entry_get_tags (self->entry)[index]);

        gtk_flow_box_append (GTK_FLOW_BOX (self->container), button);
        gtk_widget_set_halign (gtk_widget_get_parent (button), GTK_ALIGN_START);
      }
      break;

    case WORK_STATS:
      self->container = start_flow (self, _("By the numbers"), 3, TRUE);
      break;

    case WORK_STAT:
      {
        guint n_stats;
        const GlossStat *stats = gloss_entry_get_stats (self->entry, &n_stats);

        gtk_flow_box_append (GTK_FLOW_BOX (self->container), build_stat (&stats[index]));
      }
      break;

    case WORK_SECTION:
      {
        guint n_sections;
        const GlossSection *section = &gloss_entry_get_sections (self->entry, &n_sections)[index];

        self->container = gtk_box_new (GTK_ORIENTATION_VERTICAL, 10);
        gtk_widget_add_css_class (self->container, "gloss-section");
        if (section->heading != NULL)
          {
            g_autofree char *heading = gloss_text_breakable (section->heading);
            gtk_box_append (GTK_BOX (self->container), new_heading (heading));
          }
        gtk_box_append (self->box, self->container);

        g_clear_pointer (&self->blocks, g_ptr_array_unref);
        self->blocks = gloss_markdown_render (section->body, -1, check_entry_link, self);
        self->next_block = 0;
        if (self->blocks->len > 0)
          g_queue_push_head (self->work, WORK (WORK_BLOCK, 0));
      }
      break;

    case WORK_BLOCK:
      {
        const GlossBlock *block = g_ptr_array_index (self->blocks, self->next_block++);

        append_block (self, GTK_BOX (self->container), block);
        cost += strlen (block->text) / 400;
      }
      if (self->next_block < self->blocks->len)
        g_queue_push_head (self->work, WORK (WORK_BLOCK, 0));
      break;

    case WORK_FAQ_LIST:
      gtk_box_append (self->box, new_heading (_("Quick answers")));
      self->container = gtk_list_box_new ();
      gtk_list_box_set_selection_mode (GTK_LIST_BOX (self->container), GTK_SELECTION_NONE);
      gtk_widget_add_css_class (self->container, "boxed-list");
      gtk_accessible_update_property (GTK_ACCESSIBLE (self->container),
                                      GTK_ACCESSIBLE_PROPERTY_LABEL, _("Quick answers"), -1);
      gtk_box_append (self->box, self->container);
      break;

    case WORK_FAQ:
      {
        guint n_faq;
        const GlossFaq *faq = gloss_entry_get_faq (self->entry, &n_faq);

        gtk_list_box_append (GTK_LIST_BOX (self->container), build_faq_row (self, &faq[index]));
      }
      break;

    case WORK_RELATED_LIST:
      self->container = start_flow (self, _("More like this"), 2, TRUE);
      break;

    case WORK_RELATED:
      {
        GlossEntry *target;

        target = gloss_bundle_lookup_entry (self->bundle,
                                            gloss_entry_get_related (self->entry)[index]);
        gtk_flow_box_append (GTK_FLOW_BOX (self->container),
                             build_related_card (self, target));
      }
      break;

    default:
      g_assert_not_reached ();
    }

  return cost;
}

static gboolean work_in_idle (gpointer user_data);

static void
on_more_clicked (GtkButton    *button,
                 GlossArticle *self)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));

  /* The button goes; keep the keyboard focus in the article. */
  if (root != NULL && gtk_root_get_focus (root) == GTK_WIDGET (button))
    gtk_root_set_focus (root, NULL);

  gtk_box_remove (self->box, self->more_button);
  self->more_button = NULL;
  self->page_left = PAGE_PARTS;

  if (self->work_source == 0)
    {
      self->work_source = g_idle_add_full (G_PRIORITY_DEFAULT_IDLE, work_in_idle, self, NULL);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUILDING]);
    }
}

static void
show_more_button (GlossArticle *self)
{
  if (self->more_button != NULL)
    return;

  self->more_button = gtk_button_new_with_label (_("Continue Reading"));
  gtk_widget_set_halign (self->more_button, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (self->more_button, "pill");
  gtk_widget_add_css_class (self->more_button, "gloss-more");
  gtk_widget_set_tooltip_text (self->more_button,
                               _("This entry is long: show the next part of it"));
  g_signal_connect (self->more_button, "clicked", G_CALLBACK (on_more_clicked), self);
  gtk_box_append (self->box, self->more_button);
}

/* Runs queued parts until the slice's item count or time is spent, or the
 * page is full. Returns whether to keep going in the next slice. */
static gboolean
run_work (GlossArticle *self,
          guint         max_items,
          gint64        max_usec)
{
  gint64 deadline = g_get_monotonic_time () + max_usec;

  for (guint n = 0; n < max_items && !g_queue_is_empty (self->work); n++)
    {
      if (self->page_left == 0)
        {
          show_more_button (self);
          return FALSE;
        }

      self->page_left -= MIN (self->page_left, do_work (self, g_queue_pop_head (self->work)));
      if (g_get_monotonic_time () >= deadline)
        break;
    }

  return !g_queue_is_empty (self->work) && self->page_left > 0;
}

static gboolean
work_in_idle (gpointer user_data)
{
  GlossArticle *self = user_data;

  if (run_work (self, SLICE_ITEMS, SLICE_USEC))
    return G_SOURCE_CONTINUE;

  self->work_source = 0;
  if (g_queue_is_empty (self->work))
    g_clear_pointer (&self->blocks, g_ptr_array_unref);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUILDING]);

  return G_SOURCE_REMOVE;
}

static void
stop_work (GlossArticle *self)
{
  gboolean was_building = self->work_source != 0;

  g_clear_handle_id (&self->work_source, g_source_remove);
  if (self->work != NULL)
    g_queue_clear (self->work);
  g_clear_pointer (&self->blocks, g_ptr_array_unref);
  self->container = NULL;
  self->more_button = NULL;
  self->page_left = PAGE_PARTS;

  if (was_building)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUILDING]);
}

static void
queue_parts (GlossArticle *self)
{
  const char * const *tags = gloss_entry_get_tags (self->entry);
  const char * const *related = gloss_entry_get_related (self->entry);
  gboolean any_related = FALSE;
  guint n_stats;
  guint n_sections;
  guint n_faq;

  if (tags[0] != NULL)
    g_queue_push_tail (self->work, WORK (WORK_TAGS, 0));
  for (guint i = 0; tags[i] != NULL; i++)
    g_queue_push_tail (self->work, WORK (WORK_TAG, i));

  gloss_entry_get_stats (self->entry, &n_stats);
  if (n_stats > 0)
    g_queue_push_tail (self->work, WORK (WORK_STATS, 0));
  for (guint i = 0; i < n_stats; i++)
    g_queue_push_tail (self->work, WORK (WORK_STAT, i));

  gloss_entry_get_sections (self->entry, &n_sections);
  for (guint i = 0; i < n_sections; i++)
    g_queue_push_tail (self->work, WORK (WORK_SECTION, i));

  gloss_entry_get_faq (self->entry, &n_faq);
  if (n_faq > 0)
    g_queue_push_tail (self->work, WORK (WORK_FAQ_LIST, 0));
  for (guint i = 0; i < n_faq; i++)
    g_queue_push_tail (self->work, WORK (WORK_FAQ, i));

  for (guint i = 0; related[i] != NULL; i++)
    {
      GlossEntry *target = gloss_bundle_lookup_entry (self->bundle, related[i]);

      if (target == NULL || !gloss_filter_allows (self->filter, target))
        continue;

      if (!any_related)
        g_queue_push_tail (self->work, WORK (WORK_RELATED_LIST, 0));
      any_related = TRUE;
      g_queue_push_tail (self->work, WORK (WORK_RELATED, i));
    }
}

static void
rebuild (GlossArticle *self)
{
  stop_work (self);
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

  queue_parts (self);

  if (run_work (self, FIRST_SLICE_ITEMS, FIRST_SLICE_USEC))
    {
      self->work_source = g_idle_add_full (G_PRIORITY_DEFAULT_IDLE, work_in_idle, self, NULL);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUILDING]);
    }
  else if (g_queue_is_empty (self->work))
    g_clear_pointer (&self->blocks, g_ptr_array_unref);
}

gboolean
gloss_article_get_building (GlossArticle *self)
{
  g_return_val_if_fail (GLOSS_IS_ARTICLE (self), FALSE);
  return self->work_source != 0;
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

/* Returns: (transfer none) (nullable): the bundle of the entry shown */
GlossBundle *
gloss_article_get_bundle (GlossArticle *self)
{
  g_return_val_if_fail (GLOSS_IS_ARTICLE (self), NULL);
  return self->bundle;
}
