/* gloss-bench-minimal-window.c: the baseline for the launch benchmark, a
 * minimal AdwApplicationWindow that reports its first frame the way Gloss
 * does; with --redraws N, what its later frames cost; with --same-widgets,
 * the same window holding what Gloss's first frame shows, made of GTK's and
 * libadwaita's own widgets with no app behind them.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <stdlib.h>
#include <time.h>

#include <adwaita.h>

static void
on_after_paint (GdkFrameClock *clock,
                gpointer       user_data)
{
  struct timespec ts;

  clock_gettime (CLOCK_MONOTONIC, &ts);
  g_printerr ("gloss-timing first-frame %.6f\n", ts.tv_sec + ts.tv_nsec / 1e9);
  g_signal_handlers_disconnect_by_func (clock, on_after_paint, user_data);
}

/* --redraws N: after the first frame, a label in the header bar changes
 * on every frame; N frames are reported from their start to their end
 * ("redraw"), then the program quits. What a frame costs a window of this
 * size when next to nothing changes: the floor under the keystroke figure
 * (where the GL renderer cannot tell what the screen still holds, as on
 * Xvfb with llvmpipe, every frame redraws the whole window). */
static int redraws;
static gint64 frame_start;
static gboolean first_frame_seen;

static void
on_redraw_begin (GdkFrameClock *clock,
                 GtkWidget     *window)
{
  frame_start = g_get_monotonic_time ();
}

static void
on_redraw_end (GdkFrameClock *clock,
               GtkWidget     *window)
{
  if (!first_frame_seen)
    first_frame_seen = TRUE;
  else
    {
      g_printerr ("gloss-timing redraw %.6f\n", (g_get_monotonic_time () - frame_start) / 1e6);
      if (--redraws <= 0)
        {
          g_printerr ("gloss-timing redraws-done %.6f\n", g_get_monotonic_time () / 1e6);
          g_application_quit (g_application_get_default ());
          return;
        }
    }
}

/* Each frame shows something new, as a window does when it changes. */
static gboolean
tick (GtkWidget     *label,
      GdkFrameClock *clock,
      gpointer       user_data)
{
  g_autofree char *text = g_strdup_printf ("%d", redraws);

  gtk_label_set_text (GTK_LABEL (label), text);
  return G_SOURCE_CONTINUE;
}


/* --same-widgets: what Gloss's first frame shows on the built-in glossary,
 * with stock widgets and made-up text of the same lengths: a leaflet with the
 * sidebar (header bar with a title, subtitle and two buttons; a view switcher
 * of three pages; a search entry; a drop-down; the list: 43 rows of a term
 * and a line of summary, a letter heading above the first of each letter)
 * and the content (header bar with four buttons; a status page). No bundle,
 * search, settings or user data: the floor under Gloss's launch for the
 * widgets it must show. */
static const char same_widgets_ui[] =
  "<interface>"
  "<object class='AdwLeaflet' id='leaflet'>"
  " <child><object class='GtkBox'><property name='orientation'>vertical</property>"
  "  <property name='width-request'>300</property><property name='hexpand'>False</property>"
  "  <child><object class='AdwHeaderBar'><property name='show-end-title-buttons'>False</property>"
  "   <property name='title-widget'><object class='AdwWindowTitle'>"
  "    <property name='title'>Fandom &amp; AI Companion Glossary</property>"
  "    <property name='subtitle'>43 entries, 5 hidden</property></object></property>"
  "   <child type='start'><object class='GtkButton'><property name='icon-name'>document-open-symbolic</property></object></child>"
  "   <child type='end'><object class='GtkMenuButton'><property name='icon-name'>open-menu-symbolic</property></object></child>"
  "  </object></child>"
  "  <child><object class='AdwViewSwitcher'><property name='stack'>stack</property>"
  "   <property name='policy'>narrow</property></object></child>"
  "  <child><object class='GtkBox'><property name='orientation'>vertical</property><property name='spacing'>6</property>"
  "   <property name='margin-start'>8</property><property name='margin-end'>8</property><property name='margin-top'>8</property><property name='margin-bottom'>6</property>"
  "   <child><object class='GtkSearchEntry' id='search'><property name='placeholder-text'>Search the glossary</property></object></child>"
  "   <child><object class='GtkDropDown'><property name='model'><object class='GtkStringList'><items><item>All categories</item><item>Fandom</item></items></object></property></object></child>"
  "  </object></child>"
  "  <child><object class='AdwViewStack' id='stack'><property name='vexpand'>True</property>"
  "   <child><object class='AdwViewStackPage'><property name='name'>entries</property><property name='title'>Entries</property>"
  "    <property name='icon-name'>view-list-bullet-symbolic</property>"
  "    <property name='child'><object class='GtkScrolledWindow'><property name='hscrollbar-policy'>never</property>"
  "     <property name='child'><object class='GtkListView' id='list'><style><class name='navigation-sidebar'/></style></object></property>"
  "    </object></property></object></child>"
  "   <child><object class='AdwViewStackPage'><property name='name'>bookmarks</property><property name='title'>Bookmarks</property>"
  "    <property name='icon-name'>starred-symbolic</property><property name='child'><object class='GtkBox'/></property></object></child>"
  "   <child><object class='AdwViewStackPage'><property name='name'>history</property><property name='title'>History</property>"
  "    <property name='icon-name'>document-open-recent-symbolic</property><property name='child'><object class='GtkBox'/></property></object></child>"
  "  </object></child>"
  " </object></child>"
  " <child><object class='AdwLeafletPage'><property name='navigatable'>False</property><property name='child'>"
  "  <object class='GtkSeparator'><property name='orientation'>vertical</property><style><class name='sidebar'/></style></object>"
  " </property></object></child>"
  " <child><object class='GtkBox'><property name='orientation'>vertical</property><property name='hexpand'>True</property>"
  "  <child><object class='AdwHeaderBar'><property name='title-widget'><object class='AdwWindowTitle'/></property>"
  "   <child type='start'><object class='GtkBox'><style><class name='linked'/></style>"
  "    <child><object class='GtkButton'><property name='icon-name'>go-previous-symbolic</property><property name='sensitive'>False</property></object></child>"
  "    <child><object class='GtkButton'><property name='icon-name'>go-next-symbolic</property><property name='sensitive'>False</property></object></child>"
  "   </object></child>"
  "   <child type='end'><object class='GtkMenuButton'><property name='icon-name'>view-more-symbolic</property></object></child>"
  "   <child type='end'><object class='GtkButton'><property name='icon-name'>non-starred-symbolic</property><property name='sensitive'>False</property></object></child>"
  "  </object></child>"
  "  <child><object class='AdwStatusPage'><property name='vexpand'>True</property>"
  "   <property name='icon-name'>accessories-dictionary-symbolic</property>"
  "   <property name='title'>Pick an Entry</property>"
  "   <property name='description'>Search or choose a term from the list to read about it.</property>"
  "  </object></child>"
  " </object></child>"
  "</object>"
  "</interface>";

static const char same_widgets_css[] =
  ".mock-row { padding: 4px 2px; }"
  ".mock-letter { font-weight: 800; font-size: 0.85em; color: @accent_color; margin: 10px 0 4px 0; }"
  ".mock-term { font-weight: 600; }"
  ".mock-detail { font-size: 0.9em; }";

static const char *const words[] = {
  "ambient", "banner", "bishonen", "canon", "chibi", "companion", "context", "cosplay",
  "dandere", "deredere", "doujinshi", "fanfic", "filler", "gacha", "headcanon", "isekai",
  "jargon", "kuudere", "lore", "mecha", "memory", "moe", "nakama", "oneshot", "otaku",
  "persona", "prompt", "quest", "retcon", "roleplay", "senpai", "shipping", "shonen",
  "slowburn", "token", "trope", "tsundere", "universe", "villain", "waifu", "worldbuilding",
  "yandere", "zine", NULL,
};
#define N_WORDS (G_N_ELEMENTS (words) - 1)

static void
setup_row (GtkSignalListItemFactory *factory,
           GtkListItem              *item)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  GtkWidget *heading = gtk_label_new (NULL);
  GtkWidget *term = gtk_label_new (NULL);
  GtkWidget *detail = gtk_label_new (NULL);

  gtk_widget_add_css_class (box, "mock-row");
  gtk_label_set_xalign (GTK_LABEL (heading), 0);
  gtk_widget_add_css_class (heading, "mock-letter");
  gtk_label_set_xalign (GTK_LABEL (term), 0);
  gtk_label_set_ellipsize (GTK_LABEL (term), PANGO_ELLIPSIZE_END);
  gtk_widget_add_css_class (term, "mock-term");
  gtk_label_set_xalign (GTK_LABEL (detail), 0);
  gtk_label_set_ellipsize (GTK_LABEL (detail), PANGO_ELLIPSIZE_END);
  gtk_label_set_single_line_mode (GTK_LABEL (detail), TRUE);
  gtk_widget_add_css_class (detail, "mock-detail");
  gtk_widget_add_css_class (detail, "dim-label");
  gtk_box_append (GTK_BOX (box), heading);
  gtk_box_append (GTK_BOX (box), term);
  gtk_box_append (GTK_BOX (box), detail);
  gtk_list_item_set_child (item, box);
}

static void
bind_row (GtkSignalListItemFactory *factory,
          GtkListItem              *item)
{
  GtkWidget *heading = gtk_widget_get_first_child (gtk_list_item_get_child (item));
  GtkWidget *term = gtk_widget_get_next_sibling (heading);
  GtkWidget *detail = gtk_widget_get_next_sibling (term);
  guint i = gtk_list_item_get_position (item);
  g_autofree char *title = g_strdup (words[i]);
  g_autofree char *letter = g_utf8_strup (words[i], 1);
  g_autofree char *summary = NULL;

  title[0] = g_ascii_toupper (title[0]);
  summary = g_strdup_printf ("%s is a word people who read about %s look up, with more "
                             "to it than a line can hold.", title, words[(i * 7) % N_WORDS]);
  gtk_widget_set_visible (heading, i == 0 || words[i - 1][0] != words[i][0]);
  gtk_label_set_text (GTK_LABEL (heading), letter);
  gtk_label_set_text (GTK_LABEL (term), title);
  gtk_label_set_text (GTK_LABEL (detail), summary);
}

static GtkWidget *
build_same_widgets (GtkWidget **search)
{
  g_autoptr(GtkBuilder) builder = gtk_builder_new_from_string (same_widgets_ui, -1);
  g_autoptr(GtkCssProvider) css = gtk_css_provider_new ();
  g_autoptr(GtkListItemFactory) factory = gtk_signal_list_item_factory_new ();
  g_autoptr(GtkNoSelection) selection =
    gtk_no_selection_new (G_LIST_MODEL (gtk_string_list_new ((const char * const *) words)));
  GtkListView *list = GTK_LIST_VIEW (gtk_builder_get_object (builder, "list"));

  gtk_css_provider_load_from_data (css, same_widgets_css, -1);
  gtk_style_context_add_provider_for_display (gdk_display_get_default (),
                                              GTK_STYLE_PROVIDER (css),
                                              GTK_STYLE_PROVIDER_PRIORITY_APPLICATION);
  g_signal_connect (factory, "setup", G_CALLBACK (setup_row), NULL);
  g_signal_connect (factory, "bind", G_CALLBACK (bind_row), NULL);
  gtk_list_view_set_factory (list, factory);
  gtk_list_view_set_model (list, GTK_SELECTION_MODEL (selection));
  *search = GTK_WIDGET (gtk_builder_get_object (builder, "search"));

  return g_object_ref (GTK_WIDGET (gtk_builder_get_object (builder, "leaflet")));
}

static gboolean same_widgets;

static void
on_activate (GApplication *app)
{
  GtkWidget *window = adw_application_window_new (GTK_APPLICATION (app));
  GtkWidget *header = NULL;

  if (same_widgets)
    {
      GtkWidget *search;
      g_autoptr(GtkWidget) content = build_same_widgets (&search);

      adw_application_window_set_content (ADW_APPLICATION_WINDOW (window), content);
      /* As Gloss, which starts in its search entry. */
      gtk_widget_grab_focus (search);
    }
  else
    {
      GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);

      header = adw_header_bar_new ();
      gtk_box_append (GTK_BOX (box), header);
      adw_application_window_set_content (ADW_APPLICATION_WINDOW (window), box);
    }
  gtk_window_set_default_size (GTK_WINDOW (window), 1100, 760);
  gtk_widget_realize (window);
  g_signal_connect (gtk_widget_get_frame_clock (window), "after-paint",
                    G_CALLBACK (on_after_paint), NULL);
  gtk_window_present (GTK_WINDOW (window));

  if (redraws > 0 && header != NULL)
    {
      GtkWidget *label = gtk_label_new (NULL);

      adw_header_bar_set_title_widget (ADW_HEADER_BAR (header), label);
      gtk_widget_add_tick_callback (label, tick, NULL, NULL);
      g_signal_connect (gtk_widget_get_frame_clock (window), "before-paint",
                        G_CALLBACK (on_redraw_begin), window);
      g_signal_connect (gtk_widget_get_frame_clock (window), "after-paint",
                        G_CALLBACK (on_redraw_end), window);
    }
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(AdwApplication) app = adw_application_new ("io.github.glossapp.BenchMinimal",
                                                       G_APPLICATION_NON_UNIQUE);

  if (argc == 3 && g_str_equal (argv[1], "--redraws"))
    {
      redraws = atoi (argv[2]);
      argc = 1;
    }
  else if (argc == 2 && g_str_equal (argv[1], "--same-widgets"))
    {
      same_widgets = TRUE;
      argc = 1;
    }

  g_signal_connect (app, "activate", G_CALLBACK (on_activate), NULL);
  return g_application_run (G_APPLICATION (app), argc, argv);
}
