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

  /* What is left to build of the article, built a slice a frame so that
   * no entry, however large, holds the main loop for long. */
  GQueue      *work;
  GQueue      *answers;     /* Answer runs still to show, before the work */
  GtkWidget   *container;   /* where the current run of parts goes */
  GPtrArray   *blocks;      /* of the section being built */
  guint        next_block;
  guint        tick_id;     /* building a slice each frame */
  guint        idle_id;     /* or in idle time, while not on screen */
  guint        page_left;   /* cost still to spend before "Continue reading" */
  GtkWidget   *more_button;
  GtkWidget   *header_end;  /* the last widget above the parts */
  gpointer     container_work;  /* the part that made container */
  guint        page_idle_id;    /* a page change the reader asked for */

  /* How much a frame may build: cost units, adjusted to what the last
   * frames took to build, lay out and draw. */
  guint        frame_budget;
  gint64       slice_start;
  guint        slice_cost;
  GdkFrameClock *clock;
  gulong       after_paint_id;
};

/* An answer's blocks, shown a slice at a time like the article's and paged
 * the same way; owned by the answer's box. */
typedef struct
{
  GlossArticle *self;
  GtkBox       *box;
  GPtrArray    *blocks;
  guint         next;
  guint         page_left;
  GtkWidget    *more_button;
  gboolean      queued;
} Answer;

/* Parts are made in order; each of these appends one thing. None is 0, so
 * that no part is a NULL pointer. */
typedef enum
{
  WORK_TAGS = 1,
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

/* Enough for the first screenful; the rest follows a slice a frame, a page
 * at a time: past PAGE_COST the reader asks for more, so that no entry,
 * however long, makes every frame lay out thousands of widgets.
 *
 * Making a part is cheap; laying it out, in the frame after, is what costs,
 * and a label costs in proportion to its text. So parts have a cost (one,
 * and one more for each 400 bytes of text or markup), and each frame builds as much
 * as the last frames show fits in FRAME_TARGET_USEC of building, layout and
 * drawing. Out of sight (the window hidden), slices run in idle time. */
#define FIRST_SLICE_COST   10
#define FIRST_SLICE_USEC   (20 * 1000)
#define SLICE_USEC         (4 * 1000)
#define FRAME_TARGET_USEC  (10 * 1000)
#define FRAME_BUDGET_START 6
#define FRAME_BUDGET_MAX   24
#define PAGE_COST          120
#define ANSWER_FIRST_COST  6

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

static void stop_work           (GlossArticle *self);
static void gloss_article_map   (GtkWidget    *widget);
static void gloss_article_unmap (GtkWidget    *widget);

static void
gloss_article_dispose (GObject *object)
{
  GlossArticle *self = (GlossArticle *)object;

  stop_work (self);
  g_clear_pointer (&self->work, g_queue_free);
  g_clear_pointer (&self->answers, g_queue_free);
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

  widget_class->map = gloss_article_map;
  widget_class->unmap = gloss_article_unmap;

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
  self->answers = g_queue_new ();
  self->page_left = PAGE_COST;
  self->frame_budget = FRAME_BUDGET_START;
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

/* A wrapped label's minimum width is that of its text laid out as narrow as
 * it goes: for WORD_CHAR wrapping, a character a line, and the first frame
 * that shows a paragraph lays it out so (a few thousand characters cost
 * tens of milliseconds). The labels that hold long text (blocks, the dek,
 * the notice, stat cards) are at least this many characters wide, so the
 * layout has ten times fewer lines, and still far narrower than the
 * narrowest article. */
#define LABEL_MIN_CHARS 10

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

  /* Bigger letters: as narrow as the paragraphs. */
  gtk_label_set_width_chars (GTK_LABEL (label), LABEL_MIN_CHARS * 2 / 3);
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

/* @marker (a list item's bullet or number, a notice's icon) at the start of
 * @body's first line, @indent pixels left for it. Not a horizontal box: a
 * box asks a wrapped label for its width at a given height, which GtkLabel
 * answers by laying its text out at a dozen widths in turn (300 ms for a
 * notice of 4,000 characters, every time the height changes); an overlay
 * measures only its body. */
static GtkWidget *
new_hanging (GtkWidget *marker,
             GtkWidget *body,
             int        indent)
{
  GtkWidget *overlay = gtk_overlay_new ();

  gtk_widget_set_margin_start (body, indent);
  gtk_overlay_set_child (GTK_OVERLAY (overlay), body);
  gtk_widget_set_halign (marker, GTK_ALIGN_START);
  gtk_widget_set_valign (marker, GTK_ALIGN_START);
  gtk_overlay_add_overlay (GTK_OVERLAY (overlay), marker);

  return overlay;
}

/* What a part with @text costs to lay out, in the units of PAGE_COST: its
 * text, or its markup, whose tags cost Pango as much as characters do. */
static guint
text_cost (const char *text)
{
  return 1 + strlen (text) / 400;
}

/* One rendered block: a label, with a marker beside it for list items.
 * Returns its cost. */
static guint
append_block (GlossArticle     *self,
              GtkBox           *box,
              const GlossBlock *block)
{
  GtkWidget *label;
  GtkWidget *child;

  label = new_label (NULL, block_css_class (block));
  gtk_label_set_width_chars (GTK_LABEL (label), LABEL_MIN_CHARS);

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
      const char *text = block->marker ? block->marker : "";
      GtkWidget *marker = gtk_label_new (text);
      /* Markers are ours: a bullet, or digits and '.' or ')'. */
      int width = MAX (20, 9 * (int)g_utf8_strlen (text, -1));

      gtk_widget_add_css_class (marker, "gloss-list-marker");
      gtk_label_set_xalign (GTK_LABEL (marker), 1);
      gtk_widget_set_size_request (marker, width, -1);
      child = new_hanging (marker, label, width + 8);
    }

  if (block->depth > 0)
    gtk_widget_set_margin_start (child, 18 * (MIN (block->depth, 8) - 1) +
                                 (block->kind == GLOSS_BLOCK_QUOTE ? 0 : 4));

  gtk_box_append (box, child);

  return text_cost (block->markup);
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
  GtkWidget *icon = gtk_image_new_from_icon_name ("dialog-warning-symbolic");
  GtkWidget *label = new_text_label (gloss_entry_get_notice (self->entry), NULL);
  GtkWidget *box = new_hanging (icon, label, 16 + 12);

  gtk_label_set_width_chars (GTK_LABEL (label), LABEL_MIN_CHARS);
  gtk_widget_add_css_class (box, "gloss-notice");
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
  gtk_label_set_width_chars (GTK_LABEL (label), 16);
  gtk_label_set_width_chars (GTK_LABEL (value), 12);

  gtk_widget_add_css_class (card, "card");
  gtk_widget_add_css_class (card, "gloss-stat");
  gtk_widget_add_css_class (label, "dim-label");
  gtk_box_append (GTK_BOX (card), label);
  gtk_box_append (GTK_BOX (card), value);

  if (stat->note != NULL)
    {
      GtkWidget *note = new_text_label (stat->note, "gloss-stat-note");

      gtk_label_set_max_width_chars (GTK_LABEL (note), 16);
      gtk_label_set_width_chars (GTK_LABEL (note), 16);
      gtk_widget_add_css_class (note, "dim-label");
      gtk_box_append (GTK_BOX (card), note);
    }

  return card;
}

static void
answer_free (gpointer data)
{
  Answer *answer = data;

  /* The article drops its queue before any answer box goes. */
  g_assert (!answer->queued);
  g_ptr_array_unref (answer->blocks);
  g_free (answer);
}

static void schedule_work (GlossArticle *self);
static gboolean run_work (GlossArticle *self,
                          guint         max_cost,
                          gint64        max_usec);

/* Queues the next page of @answer: first, when the reader just opened it. */
static void
queue_answer (GlossArticle *self,
              Answer       *answer,
              gboolean      first)
{
  answer->page_left = PAGE_COST;
  answer->queued = TRUE;
  if (first)
    g_queue_push_head (self->answers, answer);
  else
    g_queue_push_tail (self->answers, answer);
}

/* Before the answers' boxes go. */
static void
drop_answers (GlossArticle *self)
{
  Answer *answer;

  while ((answer = g_queue_pop_head (self->answers)) != NULL)
    answer->queued = FALSE;
}

static void
on_answer_more_clicked (GtkButton *button,
                        Answer    *answer)
{
  GlossArticle *self = answer->self;
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (button));

  if (root != NULL && gtk_root_get_focus (root) == GTK_WIDGET (button))
    gtk_root_set_focus (root, NULL);

  gtk_box_remove (answer->box, answer->more_button);
  answer->more_button = NULL;
  queue_answer (self, answer, FALSE);
  schedule_work (self);
}

static void
show_answer_more_button (Answer *answer)
{
  answer->more_button = gtk_button_new_with_label (_("Continue Reading"));
  gtk_widget_set_halign (answer->more_button, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (answer->more_button, "pill");
  gtk_widget_add_css_class (answer->more_button, "gloss-answer-more");
  gtk_widget_set_tooltip_text (answer->more_button,
                               _("This answer is long: show the next part of it"));
  g_signal_connect (answer->more_button, "clicked", G_CALLBACK (on_answer_more_clicked), answer);
  gtk_box_append (answer->box, answer->more_button);
}

/* Shows the next block of the first answer waiting. Returns its cost. */
static guint
answer_work (GlossArticle *self)
{
  Answer *answer = g_queue_peek_head (self->answers);
  guint cost;

  cost = append_block (self, answer->box, g_ptr_array_index (answer->blocks, answer->next++));
  answer->page_left -= MIN (answer->page_left, cost);

  if (answer->next == answer->blocks->len || answer->page_left == 0)
    {
      g_queue_pop_head (self->answers);
      answer->queued = FALSE;
      if (answer->next < answer->blocks->len)
        show_answer_more_button (answer);
    }

  return cost;
}

/* An answer is rendered when its row is first opened: most never are. Its
 * first blocks are shown at once, the rest as the article's are. */
static void
on_faq_expanded (AdwExpanderRow *row,
                 GParamSpec     *pspec,
                 GlossArticle   *self)
{
  GtkBox *box = g_object_get_data (G_OBJECT (row), "gloss-answer");
  const char *markdown = g_object_get_data (G_OBJECT (row), "gloss-answer-markdown");
  Answer *answer;

  if (!adw_expander_row_get_expanded (row) || markdown == NULL)
    return;

  if (g_object_get_data (G_OBJECT (row), "gloss-full-question") != NULL)
    {
      const char *question = g_object_get_data (G_OBJECT (row), "gloss-full-question");

      gtk_box_append (box, new_text_label (question, "gloss-answer-question"));
    }

  answer = g_new0 (Answer, 1);
  answer->self = self;
  answer->box = box;
  answer->blocks = gloss_markdown_render (markdown, -1, check_entry_link, self);
  g_object_set_data_full (G_OBJECT (box), "gloss-answer-run", answer, answer_free);
  g_object_set_data (G_OBJECT (row), "gloss-answer-markdown", NULL);

  if (answer->blocks->len == 0)
    return;

  /* Before the article's own parts: this is what the reader asked for. */
  queue_answer (self, answer, TRUE);
  if (run_work (self, ANSWER_FIRST_COST, SLICE_USEC))
    schedule_work (self);
}

/* A row's title sits in libadwaita's horizontal boxes, which ask it for
 * its width at a given height: for a question of thousands of characters,
 * a dozen layouts of all of it, each time. Longer questions are cut in the
 * title, which says so, and shown whole above the answer. */
#define FAQ_TITLE_CHARS 200

static GtkWidget *
build_faq_row (GlossArticle   *self,
               const GlossFaq *faq)
{
  g_autofree char *title = NULL;
  g_autofree char *question = NULL;
  GtkWidget *row = adw_expander_row_new ();
  GtkWidget *answer = gtk_box_new (GTK_ORIENTATION_VERTICAL, 8);

  if (g_utf8_strlen (faq->question, -1) > FAQ_TITLE_CHARS)
    {
      g_autofree char *cut = g_utf8_substring (faq->question, 0, FAQ_TITLE_CHARS);
      /* Isolated: a direction the cut left open must not reach the "…". */
      g_autofree char *isolated = gloss_text_isolate (cut);

      title = g_strconcat (isolated, "…", NULL);
      g_object_set_data (G_OBJECT (row), "gloss-full-question", faq->question);
    }
  question = gloss_text_breakable (title != NULL ? title : faq->question);

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

/* Takes down the parts of a page, keeping the headline and what follows it
 * down to the byline or notice. */
static void
clear_parts (GlossArticle *self)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  GtkWidget *focus = root ? gtk_root_get_focus (root) : NULL;
  GtkWidget *child;

  if (focus != NULL && gtk_widget_is_ancestor (focus, GTK_WIDGET (self->box)))
    gtk_root_set_focus (root, NULL);

  while ((child = gtk_widget_get_last_child (GTK_WIDGET (self->box))) != NULL &&
         child != self->header_end)
    gtk_box_remove (self->box, child);
  self->container = NULL;
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

/* A section's box and heading, for its first blocks or, on a later page,
 * for the rest of them. Returns the cost. */
static guint
open_section (GlossArticle *self,
              guint         index)
{
  guint n_sections;
  const GlossSection *section = &gloss_entry_get_sections (self->entry, &n_sections)[index];
  guint cost = 1;

  self->container = gtk_box_new (GTK_ORIENTATION_VERTICAL, 10);
  gtk_widget_add_css_class (self->container, "gloss-section");
  if (section->heading != NULL)
    {
      g_autofree char *heading = gloss_text_breakable (section->heading);
      gtk_box_append (GTK_BOX (self->container), new_heading (heading));
      cost = text_cost (heading);
    }
  gtk_box_append (self->box, self->container);

  return cost;
}

/* Makes one part of the article and appends it where it belongs. Returns
 * what it costs to lay out: long text costs more. */
static guint
do_work (GlossArticle *self,
         gpointer      work)
{
  guint index = WORK_INDEX (work);
  guint cost = 1;

  /* The parts that start a container, to start it again on a new page. */
  switch ((WorkKind)WORK_KIND (work))
    {
    case WORK_TAGS:
    case WORK_STATS:
    case WORK_SECTION:
    case WORK_FAQ_LIST:
    case WORK_RELATED_LIST:
      self->container_work = work;
      break;

    case WORK_TAG:
    case WORK_STAT:
    case WORK_BLOCK:
    case WORK_FAQ:
    case WORK_RELATED:
    default:
      break;
    }

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
        cost = text_cost (stats[index].label) + text_cost (stats[index].value) +
               (stats[index].note ? text_cost (stats[index].note) : 0);
      }
      break;

    case WORK_SECTION:
      {
        guint n_sections;
        const GlossSection *section = &gloss_entry_get_sections (self->entry, &n_sections)[index];

        cost = open_section (self, index);
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

        cost = append_block (self, GTK_BOX (self->container), block);
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
        /* An expander row is a dozen widgets; its title, at most
         * FAQ_TITLE_CHARS. */
        cost = 3 + MIN (text_cost (faq[index].question), 3);
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
        cost = text_cost (gloss_entry_get_term (target)) + 1;
      }
      break;

    default:
      g_assert_not_reached ();
    }

  return cost;
}

static void rebuild (GlossArticle *self);

static void
scroll_to_top (GlossArticle *self)
{
  GtkWidget *scroller = gtk_widget_get_ancestor (GTK_WIDGET (self), GTK_TYPE_SCROLLED_WINDOW);

  if (scroller != NULL)
    gtk_adjustment_set_value (gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (scroller)),
                              0);
}

static gboolean
show_start_in_idle (gpointer user_data)
{
  GlossArticle *self = user_data;

  self->page_idle_id = 0;
  rebuild (self);
  scroll_to_top (self);

  return G_SOURCE_REMOVE;
}

/* A page change takes down the button that asked for it: let the button
 * finish handling its event first. */
static void
on_start_clicked (GtkButton    *button,
                  GlossArticle *self)
{
  if (self->page_idle_id == 0)
    self->page_idle_id = g_idle_add_full (G_PRIORITY_HIGH_IDLE, show_start_in_idle, self, NULL);
}

/* The next page takes the place of the one read: however long the entry,
 * the article holds one page of parts, which every frame lays out and the
 * next entry must take down. */
static gboolean
show_next_page_in_idle (gpointer user_data)
{
  GlossArticle *self = user_data;
  GtkWidget *start;
  gpointer next;

  self->page_idle_id = 0;

  drop_answers (self);
  clear_parts (self);
  self->more_button = NULL;

  start = gtk_button_new_with_label (_("Back to the Start"));
  gtk_widget_set_halign (start, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (start, "pill");
  gtk_widget_add_css_class (start, "gloss-start");
  gtk_widget_set_tooltip_text (start, _("Show this entry from its beginning"));
  g_signal_connect (start, "clicked", G_CALLBACK (on_start_clicked), self);
  gtk_box_append (self->box, start);

  /* A section, a list of cards or of answers the last page ended in goes
   * on under its heading. */
  next = g_queue_peek_head (self->work);
  if (next != NULL && self->container_work != NULL)
    {
      switch ((WorkKind)WORK_KIND (next))
        {
        case WORK_BLOCK:
          open_section (self, WORK_INDEX (self->container_work));
          break;

        case WORK_TAG:
        case WORK_STAT:
        case WORK_FAQ:
        case WORK_RELATED:
          do_work (self, self->container_work);
          break;

        case WORK_TAGS:
        case WORK_STATS:
        case WORK_SECTION:
        case WORK_FAQ_LIST:
        case WORK_RELATED_LIST:
        default:
          break;
        }
    }

  self->page_left = PAGE_COST;
  scroll_to_top (self);
  gtk_widget_grab_focus (start);

  self->slice_start = g_get_monotonic_time ();
  self->slice_cost = 0;
  if (run_work (self, FIRST_SLICE_COST, FIRST_SLICE_USEC))
    schedule_work (self);

  return G_SOURCE_REMOVE;
}

static void
on_more_clicked (GtkButton    *button,
                 GlossArticle *self)
{
  if (self->page_idle_id == 0)
    self->page_idle_id = g_idle_add_full (G_PRIORITY_HIGH_IDLE, show_next_page_in_idle, self,
                                          NULL);
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

/* Whether parts are waiting that may be built now (not past a "Continue
 * Reading" button). */
static gboolean
has_work (GlossArticle *self)
{
  return !g_queue_is_empty (self->answers) ||
         (!g_queue_is_empty (self->work) && self->page_left > 0);
}

/* Makes queued parts, answers first, until @max_cost is spent (at least
 * one part is made), @max_usec have passed, or the page is full. Returns
 * whether there is more to do now. */
static gboolean
run_work (GlossArticle *self,
          guint         max_cost,
          gint64        max_usec)
{
  gint64 deadline = g_get_monotonic_time () + max_usec;
  guint spent = 0;

  while (spent < max_cost && has_work (self))
    {
      if (!g_queue_is_empty (self->answers))
        spent += answer_work (self);
      else
        {
          guint cost = do_work (self, g_queue_pop_head (self->work));

          spent += cost;
          self->page_left -= MIN (self->page_left, cost);
        }

      if (g_get_monotonic_time () >= deadline)
        break;
    }

  self->slice_cost += spent;

  if (!g_queue_is_empty (self->work) && self->page_left == 0)
    show_more_button (self);
  if (g_queue_is_empty (self->work))
    g_clear_pointer (&self->blocks, g_ptr_array_unref);

  return has_work (self);
}

/* After the frame that laid out and drew the last slice: the next slice is
 * as big as this one's cost shows fits in FRAME_TARGET_USEC, growing by
 * half at most. */
static void
on_after_paint (GdkFrameClock *clock,
                GlossArticle  *self)
{
  gint64 frame_usec;
  guint budget = self->frame_budget;
  guint fits;

  if (self->slice_cost == 0)
    return;

  frame_usec = MAX (1, g_get_monotonic_time () - self->slice_start);
  fits = self->slice_cost * FRAME_TARGET_USEC / frame_usec;
  if (frame_usec > FRAME_TARGET_USEC)
    budget = MIN (budget, fits);
  else if (self->slice_cost >= budget)
    budget = MIN (fits, budget + budget / 2 + 1);
  self->frame_budget = CLAMP (budget, 1, FRAME_BUDGET_MAX);
  self->slice_cost = 0;
}

static void
watch_frames (GlossArticle *self,
              gboolean      watch)
{
  if (watch && self->clock == NULL)
    {
      self->clock = gtk_widget_get_frame_clock (GTK_WIDGET (self));
      if (self->clock != NULL)
        {
          g_object_ref (self->clock);
          self->after_paint_id = g_signal_connect (self->clock, "after-paint",
                                                   G_CALLBACK (on_after_paint), self);
        }
    }
  else if (!watch && self->clock != NULL)
    {
      g_clear_signal_handler (&self->after_paint_id, self->clock);
      g_clear_object (&self->clock);
    }
}

static void work_done (GlossArticle *self);

/* A slice a frame, in the frame's update phase: its layout and drawing
 * follow at once, and on_after_paint() sees what they took. */
static gboolean
work_on_tick (GtkWidget     *widget,
              GdkFrameClock *clock,
              gpointer       user_data)
{
  GlossArticle *self = GLOSS_ARTICLE (widget);

  self->slice_start = g_get_monotonic_time ();
  self->slice_cost = 0;
  if (run_work (self, self->frame_budget, SLICE_USEC))
    return G_SOURCE_CONTINUE;

  self->tick_id = 0;
  work_done (self);

  return G_SOURCE_REMOVE;
}

static gboolean
work_in_idle (gpointer user_data)
{
  GlossArticle *self = user_data;

  if (run_work (self, self->frame_budget, SLICE_USEC))
    return G_SOURCE_CONTINUE;

  self->idle_id = 0;
  work_done (self);

  return G_SOURCE_REMOVE;
}

gboolean
gloss_article_get_building (GlossArticle *self)
{
  g_return_val_if_fail (GLOSS_IS_ARTICLE (self), FALSE);
  return self->tick_id != 0 || self->idle_id != 0;
}

/* Builds what is left, in the frames to come while the article is on
 * screen, in idle time otherwise. */
static void
schedule_work (GlossArticle *self)
{
  gboolean was_building = gloss_article_get_building (self);

  if (was_building || !has_work (self))
    return;

  if (gtk_widget_get_mapped (GTK_WIDGET (self)))
    {
      watch_frames (self, TRUE);
      self->tick_id = gtk_widget_add_tick_callback (GTK_WIDGET (self), work_on_tick, NULL, NULL);
    }
  else
    self->idle_id = g_idle_add_full (G_PRIORITY_DEFAULT_IDLE, work_in_idle, self, NULL);

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUILDING]);
}

static void
work_done (GlossArticle *self)
{
  watch_frames (self, FALSE);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUILDING]);
}

/* Building moves between frames and idle time as the article is shown and
 * hidden. */
static void
unschedule_work (GlossArticle *self)
{
  if (self->tick_id != 0)
    gtk_widget_remove_tick_callback (GTK_WIDGET (self), self->tick_id);
  self->tick_id = 0;
  g_clear_handle_id (&self->idle_id, g_source_remove);
  watch_frames (self, FALSE);
}

static void
gloss_article_map (GtkWidget *widget)
{
  GlossArticle *self = GLOSS_ARTICLE (widget);

  GTK_WIDGET_CLASS (gloss_article_parent_class)->map (widget);

  if (self->idle_id != 0)
    {
      g_clear_handle_id (&self->idle_id, g_source_remove);
      watch_frames (self, TRUE);
      self->tick_id = gtk_widget_add_tick_callback (widget, work_on_tick, NULL, NULL);
    }
}

static void
gloss_article_unmap (GtkWidget *widget)
{
  GlossArticle *self = GLOSS_ARTICLE (widget);

  if (self->tick_id != 0)
    {
      gtk_widget_remove_tick_callback (widget, self->tick_id);
      self->tick_id = 0;
      watch_frames (self, FALSE);
      self->idle_id = g_idle_add_full (G_PRIORITY_DEFAULT_IDLE, work_in_idle, self, NULL);
    }

  GTK_WIDGET_CLASS (gloss_article_parent_class)->unmap (widget);
}

static void
stop_work (GlossArticle *self)
{
  gboolean was_building = gloss_article_get_building (self);

  unschedule_work (self);
  g_clear_handle_id (&self->page_idle_id, g_source_remove);
  if (self->work != NULL)
    g_queue_clear (self->work);
  if (self->answers != NULL)
    drop_answers (self);
  g_clear_pointer (&self->blocks, g_ptr_array_unref);
  self->container = NULL;
  self->container_work = NULL;
  self->more_button = NULL;
  self->header_end = NULL;
  self->page_left = PAGE_COST;
  self->slice_cost = 0;

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
    gtk_label_set_width_chars (GTK_LABEL (headline), LABEL_MIN_CHARS / 2);
    gtk_accessible_update_property (GTK_ACCESSIBLE (headline),
                                    GTK_ACCESSIBLE_PROPERTY_LEVEL, 1, -1);
    gtk_box_append (self->box, headline);
  }

  if (gloss_entry_get_summary (self->entry) != NULL)
    {
      GtkWidget *dek = new_text_label (gloss_entry_get_summary (self->entry), "gloss-dek");

      gtk_label_set_width_chars (GTK_LABEL (dek), LABEL_MIN_CHARS);
      gtk_box_append (self->box, dek);
    }

  gtk_box_append (self->box, build_byline (self));

  if (gloss_entry_get_notice (self->entry) != NULL)
    gtk_box_append (self->box, build_notice (self));

  self->header_end = gtk_widget_get_last_child (GTK_WIDGET (self->box));
  self->container_work = NULL;
  queue_parts (self);

  /* The first screenful goes into the first frame. */
  self->frame_budget = FRAME_BUDGET_START;
  self->slice_start = g_get_monotonic_time ();
  self->slice_cost = 0;
  if (run_work (self, FIRST_SLICE_COST, FIRST_SLICE_USEC))
    schedule_work (self);
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
