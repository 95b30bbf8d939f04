/* test-window.c: the real window, driven as a user would, under Xvfb.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gstdio.h>

#include "gloss-application.h"
#include "gloss-bookmark.h"
#include "gloss-article.h"
#include "gloss-entry-row.h"
#include "gloss-row-label.h"
#include "gloss-user-list.h"
#include "gloss-window.h"
#include "gloss-test-util.h"

static guint
count_widgets (GtkWidget  *root,
               GType       type,
               const char *css_class)
{
  g_autoptr(GPtrArray) all = g_ptr_array_new ();

  gloss_test_collect_widgets (root, type, css_class, all);
  return all->len;
}

typedef struct
{
  GlossWindow *window;
  GtkWidget   *search;
  GtkListView *list;
  GlossArticle *article;
  guint        uris_opened;
} Fixture;

static gboolean
window_painted (gpointer data)
{
  Fixture *f = data;

  return gtk_widget_get_mapped (GTK_WIDGET (f->window)) &&
         gtk_widget_get_width (GTK_WIDGET (f->window)) > 0;
}

static void
on_open_uri (GlossArticle *article,
             const char   *uri,
             Fixture      *f)
{
  f->uris_opened++;
}

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  f->window = gloss_window_new (NULL);
  gtk_window_set_default_size (GTK_WINDOW (f->window), 1280, 800);
  gloss_window_open_builtin (f->window);
  gtk_window_present (GTK_WINDOW (f->window));
  g_assert_true (gloss_test_wait_until (window_painted, f, 5000));

  f->search = gloss_test_find_widget (GTK_WIDGET (f->window), GTK_TYPE_SEARCH_ENTRY, NULL);
  f->list = GTK_LIST_VIEW (gloss_test_find_widget (GTK_WIDGET (f->window), GTK_TYPE_LIST_VIEW,
                                        "navigation-sidebar"));
  f->article = GLOSS_ARTICLE (gloss_test_find_widget (GTK_WIDGET (f->window), GLOSS_TYPE_ARTICLE, NULL));
  g_assert_nonnull (f->search);
  g_assert_nonnull (f->list);
  g_assert_nonnull (f->article);

  /* Every external link the article lets through ends in this signal. */
  g_signal_connect (f->article, "open-uri", G_CALLBACK (on_open_uri), f);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  g_object_ref (f->window);
  gtk_window_destroy (GTK_WINDOW (f->window));
  gloss_test_wait_ms (20);
  g_assert_finalize_object (f->window);
}

static GListModel *
list_model (Fixture *f)
{
  return G_LIST_MODEL (gtk_list_view_get_model (f->list));
}

static char *
row_term (Fixture *f,
          guint    row)
{
  g_autoptr(GObject) hit = g_list_model_get_item (list_model (f), row);
  char *term = NULL;

  g_object_get (hit, "term", &term, NULL);
  return term;
}

typedef struct
{
  const char *query;
  guint       count;
} SearchWait;

/* GtkText replaces text by deleting it first, and the search entry reports
 * the empty text at once: count only the search for the query itself. */
static void
on_search_changed (GtkSearchEntry *entry,
                   SearchWait     *wait)
{
  if (g_strcmp0 (gtk_editable_get_text (GTK_EDITABLE (entry)), wait->query) == 0)
    wait->count++;
}

static gboolean
count_positive (gpointer data)
{
  return *(guint *)data > 0;
}

/* Types a query and waits until the window has searched for it (its own
 * handler runs before ours), however slow the build. */
static void
search_for (Fixture    *f,
            const char *query)
{
  SearchWait wait = { query, 0 };
  gulong id = g_signal_connect (f->search, "search-changed",
                                G_CALLBACK (on_search_changed), &wait);

  gtk_editable_set_text (GTK_EDITABLE (f->search), query);
  g_assert_true (gloss_test_wait_until (count_positive, &wait.count, 10000));
  g_signal_handler_disconnect (f->search, id);
}

typedef struct
{
  Fixture    *f;
  const char *term;
} FirstRow;

static gboolean
first_row_is (gpointer data)
{
  FirstRow *fr = data;
  g_autofree char *term = NULL;

  if (g_list_model_get_n_items (list_model (fr->f)) == 0)
    return FALSE;

  term = row_term (fr->f, 0);
  return g_strcmp0 (term, fr->term) == 0;
}

static void
type_query (Fixture    *f,
            const char *query,
            const char *expected_first)
{
  FirstRow fr = { f, expected_first };

  search_for (f, query);
  g_assert_true (first_row_is (&fr));
}

static const char *
label_text_with_class (GtkWidget  *root,
                       const char *css_class)
{
  GtkWidget *label = gloss_test_find_widget (root, GTK_TYPE_LABEL, css_class);

  return label ? gtk_label_get_text (GTK_LABEL (label)) : NULL;
}

static const char *
headline (Fixture *f)
{
  return label_text_with_class (GTK_WIDGET (f->article), "gloss-headline");
}

static gboolean
article_complete (gpointer data)
{
  return !gloss_article_get_building (data);
}

/* Long articles are built a slice at a time after their first screenful. */
static void
wait_for_article (Fixture *f)
{
  gloss_test_wait_ms (20);
  g_assert_true (gloss_test_wait_until (article_complete, f->article, 10000));
}

static void
open_row (Fixture *f,
          guint    row)
{
  g_signal_emit_by_name (f->list, "activate", row);
  wait_for_article (f);
}

/* The term a sidebar row shows. */
static const char *
row_term_text (GtkWidget *row)
{
  GtkWidget *label = gloss_test_find_widget (row, GLOSS_TYPE_ROW_LABEL, "gloss-row-term");

  return label ? gloss_row_label_get_text (GLOSS_ROW_LABEL (label)) : NULL;
}

/* The sidebar's row for @term, or NULL; only among the rows on screen
 * (mapped) when @mapped. */
static GtkWidget *
row_for_term (GtkWidget  *root,
              const char *term,
              gboolean    mapped)
{
  g_autoptr(GPtrArray) rows = g_ptr_array_new ();

  gloss_test_collect_widgets (root, GLOSS_TYPE_ENTRY_ROW, NULL, rows);
  for (guint i = 0; i < rows->len; i++)
    {
      GtkWidget *row = g_ptr_array_index (rows, i);

      if ((!mapped || gtk_widget_get_mapped (row)) &&
          g_strcmp0 (row_term_text (row), term) == 0)
        return row;
    }

  return NULL;
}

/* Whether the row's summary line was shaped, that is, drawn on screen. */
static gboolean
row_detail_laid_out (GtkWidget *row)
{
  GtkWidget *detail = gloss_test_find_widget (row, GLOSS_TYPE_ROW_LABEL, "gloss-row-detail");

  g_assert_nonnull (detail);
  return gloss_row_label_get_laid_out (GLOSS_ROW_LABEL (detail));
}

/* Rows visible on screen, as the user reads them: drawn with their text. */
static gboolean
some_row_shows (GtkWidget  *root,
                const char *term)
{
  GtkWidget *row = row_for_term (root, term, TRUE);

  return row != NULL && row_detail_laid_out (row);
}

typedef struct
{
  Fixture    *f;
  const char *term;
} RowShows;

static gboolean
row_shows_cb (gpointer data)
{
  RowShows *rs = data;

  return some_row_shows (GTK_WIDGET (rs->f->window), rs->term);
}

/* Waits for a frame to draw the row for @term, however slow the build. */
static gboolean
row_comes_to_show (Fixture    *f,
                   const char *term)
{
  RowShows rs = { f, term };

  return gloss_test_wait_until (row_shows_cb, &rs, 10000);
}

static void
test_search (Fixture       *f,
             gconstpointer  data)
{
  g_assert_cmpuint (g_list_model_get_n_items (list_model (f)), >, 30);

  type_query (f, "tsun", "Tsundere");
  gloss_test_wait_ms (100);
  g_assert_true (row_comes_to_show (f, "Tsundere"));

  /* An alias in Japanese finds its entry. */
  type_query (f, "ツンデレ", "Tsundere");

  /* Mature entries are hidden by default. */
  search_for (f, "netorare");
  for (guint i = 0; i < g_list_model_get_n_items (list_model (f)); i++)
    {
      g_autofree char *term = row_term (f, i);
      g_assert_cmpstr (term, !=, "Netorare");
    }

  /* Nothing matches: the empty state says so. */
  search_for (f, "qqqzzzxxy");
  g_assert_cmpuint (g_list_model_get_n_items (list_model (f)), ==, 0);
  g_assert_nonnull (gloss_test_find_widget (GTK_WIDGET (f->window), ADW_TYPE_STATUS_PAGE, NULL));
}

/* GTK 4.8's list view keeps a widget for every row of a short list and
 * measures them all: the summaries of the rows below the window's bottom
 * are not shaped until scrolled to. */
static void
test_rows_shaped_in_view (Fixture       *f,
                          gconstpointer  data)
{
  guint n = g_list_model_get_n_items (list_model (f));
  g_autofree char *first = row_term (f, 0);
  g_autofree char *last = row_term (f, n - 1);
  GtkAdjustment *vadjustment = gtk_scrollable_get_vadjustment (GTK_SCROLLABLE (f->list));
  GtkWidget *last_row;

  gloss_test_wait_ms (100);
  g_assert_true (row_comes_to_show (f, first));
  last_row = row_for_term (GTK_WIDGET (f->window), last, FALSE);
  g_assert_nonnull (last_row);
  g_assert_false (row_detail_laid_out (last_row));

  gtk_adjustment_set_value (vadjustment, gtk_adjustment_get_upper (vadjustment));
  gloss_test_wait_ms (100);
  g_assert_true (row_comes_to_show (f, last));
}

static void
test_article (Fixture       *f,
              gconstpointer  data)
{
  GtkWidget *root = GTK_WIDGET (f->article);
  const char *byline;

  type_query (f, "tsundere", "Tsundere");
  open_row (f, 0);

  g_assert_nonnull (headline (f));
  g_assert_true (g_str_has_prefix (headline (f), "Tsundere"));
  g_assert_nonnull (label_text_with_class (root, "gloss-dek"));
  byline = label_text_with_class (root, "gloss-byline");
  g_assert_nonnull (byline);
  g_assert_nonnull (strstr (byline, "min read"));
  g_assert_cmpuint (count_widgets (root, GTK_TYPE_BOX, "gloss-stat"), >=, 2);
  g_assert_cmpuint (count_widgets (root, GTK_TYPE_BOX, "gloss-section"), >=, 3);
  g_assert_cmpuint (count_widgets (root, ADW_TYPE_EXPANDER_ROW, NULL), >=, 3);
  g_assert_cmpuint (count_widgets (root, GTK_TYPE_BUTTON, "gloss-card"), >=, 3);
  g_assert_cmpuint (count_widgets (root, GTK_TYPE_BUTTON, "gloss-tag"), >=, 2);
}

static gboolean
widget_mapped (gpointer data)
{
  return gtk_widget_get_mapped (data);
}

static void
test_faq_expands (Fixture       *f,
                  gconstpointer  data)
{
  GtkWidget *row;
  GtkWidget *answer;

  type_query (f, "tsundere", "Tsundere");
  open_row (f, 0);

  row = gloss_test_find_widget (GTK_WIDGET (f->article), ADW_TYPE_EXPANDER_ROW, NULL);
  g_assert_nonnull (row);
  answer = gloss_test_find_widget (row, GTK_TYPE_BOX, "gloss-answer");
  g_assert_nonnull (answer);
  g_assert_false (gtk_widget_get_mapped (answer));

  adw_expander_row_set_expanded (ADW_EXPANDER_ROW (row), TRUE);
  g_assert_true (gloss_test_wait_until (widget_mapped, answer, 2000));
  g_assert_nonnull (gloss_test_find_widget (answer, GTK_TYPE_LABEL, "gloss-paragraph"));
}

/* The first label in the article whose markup links to an entry. */
static GtkWidget *
find_entry_link_label (GtkWidget *root)
{
  g_autoptr(GPtrArray) labels = g_ptr_array_new ();

  gloss_test_collect_widgets (root, GTK_TYPE_LABEL, "gloss-paragraph", labels);
  for (guint i = 0; i < labels->len; i++)
    {
      GtkLabel *label = g_ptr_array_index (labels, i);

      if (strstr (gtk_label_get_label (label), "href=\"entry:") != NULL)
        return GTK_WIDGET (label);
    }

  return NULL;
}

typedef struct
{
  Fixture    *f;
  const char *text;
  gboolean    equal;
} HeadlineWait;

static gboolean
headline_is (gpointer data)
{
  HeadlineWait *hw = data;

  return (g_strcmp0 (headline (hw->f), hw->text) == 0) == hw->equal;
}

/* Navigation may go through an idle: wait for the headline to change (or
 * come back), however slow the build, then for the article to be built. */
static void
wait_for_headline (Fixture    *f,
                   const char *text,
                   gboolean    equal)
{
  HeadlineWait hw = { f, text, equal };

  g_assert_true (gloss_test_wait_until (headline_is, &hw, 10000));
  wait_for_article (f);
}

static void
test_links_and_back (Fixture       *f,
                     gconstpointer  data)
{
  g_autofree char *first = NULL;
  g_autofree char *target = NULL;
  GtkWidget *label;
  const char *markup;
  const char *start;
  gboolean handled = FALSE;

  type_query (f, "tsundere", "Tsundere");
  open_row (f, 0);
  first = g_strdup (headline (f));

  label = find_entry_link_label (GTK_WIDGET (f->article));
  g_assert_nonnull (label);
  markup = gtk_label_get_label (GTK_LABEL (label));
  start = strstr (markup, "href=\"entry:") + strlen ("href=\"");
  target = g_strndup (start, strchr (start, '"') - start);

  /* Following the link is what a click does: GtkLabel emits activate-link. */
  g_signal_emit_by_name (label, "activate-link", target, &handled);
  g_assert_true (handled);
  wait_for_headline (f, first, FALSE);

  gtk_widget_activate_action (GTK_WIDGET (f->window), "win.back", NULL);
  wait_for_headline (f, first, TRUE);

  gtk_widget_activate_action (GTK_WIDGET (f->window), "win.forward", NULL);
  wait_for_headline (f, first, FALSE);
  g_assert_cmpuint (f->uris_opened, ==, 0);
}

static void
test_refused_links (Fixture       *f,
                    gconstpointer  data)
{
  static const char *refused[] = {
    "file:///etc/passwd",
    "javascript:alert(1)",
    "data:text/html,<b>x</b>",
    "https://good@evil.example/",
    "../relative/path",
    "entry:NOT-VALID",
  };
  g_autofree char *first = NULL;
  GtkWidget *label;

  type_query (f, "tsundere", "Tsundere");
  open_row (f, 0);
  first = g_strdup (headline (f));

  label = gloss_test_find_widget (GTK_WIDGET (f->article), GTK_TYPE_LABEL, "gloss-paragraph");
  g_assert_nonnull (label);

  for (guint i = 0; i < G_N_ELEMENTS (refused); i++)
    {
      gboolean handled = FALSE;

      g_signal_emit_by_name (label, "activate-link", refused[i], &handled);
      g_assert_true (handled);
    }

  gloss_test_wait_ms (50);
  g_assert_cmpuint (f->uris_opened, ==, 0);
  g_assert_cmpstr (headline (f), ==, first);

  /* An allowed scheme goes through, and only to the one handler. */
  {
    gboolean handled = FALSE;

    g_signal_handlers_block_matched (f->article, G_SIGNAL_MATCH_DATA, 0, 0, NULL, NULL,
                                     f->window);
    g_signal_emit_by_name (label, "activate-link", "https://example.org/", &handled);
    g_signal_handlers_unblock_matched (f->article, G_SIGNAL_MATCH_DATA, 0, 0, NULL, NULL,
                                       f->window);
    g_assert_true (handled);
    g_assert_cmpuint (f->uris_opened, ==, 1);
  }
}

static gboolean
not_loading (gpointer data)
{
  return !gloss_window_get_loading (data);
}

static GtkWindow *
find_message_dialog (void)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWindow) window = g_list_model_get_item (toplevels, i);

      /* Still owned by the list of toplevels once our reference goes. */
      if (ADW_IS_MESSAGE_DIALOG (window) && gtk_widget_get_visible (GTK_WIDGET (window)))
        return window;
    }

  return NULL;
}

static void
test_refused_bundle (Fixture       *f,
                     gconstpointer  data)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "data", "bad-syntax.json", NULL);
  g_autoptr(GFile) file = NULL;
  GlossBundle *before = gloss_window_get_bundle (f->window);
  GtkWindow *dialog;
  const char *body;

  if (!g_file_test (path, G_FILE_TEST_EXISTS))
    {
      g_autofree char *dir = g_dir_make_tmp ("gloss-XXXXXX", NULL);

      g_free (path);
      path = g_build_filename (dir, "bad-syntax.json", NULL);
      g_assert_true (g_file_set_contents (path, "{\n  \"format\": \"gloss-bundle\",\n  oops\n}",
                                          -1, NULL));
    }

  file = g_file_new_for_path (path);
  type_query (f, "tsundere", "Tsundere");
  open_row (f, 0);

  gloss_window_open_file (f->window, file, NULL);
  g_assert_true (gloss_test_wait_until (not_loading, f->window, 5000));
  gloss_test_wait_ms (50);

  /* The previous bundle and article are still there... */
  g_assert_true (gloss_window_get_bundle (f->window) == before);
  g_assert_true (g_str_has_prefix (headline (f), "Tsundere"));

  /* ...and the error is shown, with where it is. */
  dialog = find_message_dialog ();
  g_assert_nonnull (dialog);
  body = adw_message_dialog_get_body (ADW_MESSAGE_DIALOG (dialog));
  g_assert_nonnull (strstr (body, "bad-syntax.json"));
  g_assert_nonnull (strstr (body, ":6:33"));
  gtk_window_destroy (dialog);
}

static gboolean
is_folded (gpointer data)
{
  AdwLeaflet *leaflet = data;

  return adw_leaflet_get_folded (leaflet);
}

static void
test_narrow_folds (Fixture       *f,
                   gconstpointer  data)
{
  AdwLeaflet *leaflet = ADW_LEAFLET (gloss_test_find_widget (GTK_WIDGET (f->window), ADW_TYPE_LEAFLET, NULL));

  g_assert_false (adw_leaflet_get_folded (leaflet));
  gtk_window_set_default_size (GTK_WINDOW (f->window), 400, 800);
  g_assert_true (gloss_test_wait_until (is_folded, leaflet, 3000));

  /* Picking an entry shows the article alone, with a way back. */
  type_query (f, "tsundere", "Tsundere");
  open_row (f, 0);
  g_assert_true (adw_leaflet_get_visible_child (leaflet) != GTK_WIDGET (f->list));
  gtk_widget_activate_action (GTK_WIDGET (f->window), "win.show-list", NULL);
  gloss_test_wait_ms (50);
  g_assert_true (gtk_widget_is_ancestor (GTK_WIDGET (f->list),
                                         adw_leaflet_get_visible_child (leaflet)));
}

/* Several glossaries open as one: search across them, each row saying
 * where it comes from; links stay in their glossary; one can be searched
 * alone, and taken out again. */
static const char second_bundle[] =
  "{\"format\": \"gloss-bundle\", \"version\": 1, \"id\": \"test.second\","
  " \"title\": \"Second Glossary\", \"entries\": ["
  "  {\"id\": \"tsun\", \"term\": \"Tsun\", \"summary\": \"The cold half.\","
  "   \"sections\": [{\"heading\": \"See also\","
  "                   \"body\": \"The whole family: [dere types](entry:dere-types).\"}]},"
  "  {\"id\": \"dere-types\", \"term\": \"Dere types\","
  "   \"summary\": \"Character archetypes named after dere.\"}]}";

static gboolean
group_has (gpointer data)
{
  Fixture *f = data;
  GlossGroup *group = gloss_window_get_group (f->window);
  guint want = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (f->window), "test-want"));

  return group != NULL && gloss_group_get_n_bundles (group) == want;
}

static void
wait_for_group (Fixture *f,
                guint    n_bundles)
{
  g_object_set_data (G_OBJECT (f->window), "test-want", GUINT_TO_POINTER (n_bundles));
  g_assert_true (gloss_test_wait_until (group_has, f, 20000));
  gloss_test_wait_ms (20);
}

static char *
row_source (Fixture *f,
            guint    row)
{
  g_autoptr(GObject) hit = g_list_model_get_item (list_model (f), row);
  char *source = NULL;

  g_object_get (hit, "source", &source, NULL);
  return source;
}

/* The drop-down whose first item is "All Glossaries" */
static GtkDropDown *
scope_dropdown (Fixture *f)
{
  g_autoptr(GPtrArray) downs = g_ptr_array_new ();

  gloss_test_collect_widgets (GTK_WIDGET (f->window), GTK_TYPE_DROP_DOWN, NULL, downs);
  for (guint i = 0; i < downs->len; i++)
    {
      GListModel *model = gtk_drop_down_get_model (g_ptr_array_index (downs, i));
      g_autoptr(GObject) first = model ? g_list_model_get_item (model, 0) : NULL;

      if (GTK_IS_STRING_OBJECT (first) &&
          g_str_equal (gtk_string_object_get_string (GTK_STRING_OBJECT (first)), "All Glossaries"))
        return g_ptr_array_index (downs, i);
    }

  return NULL;
}

/* Opens Bundle Info as the menu does, and reads the title of each
 * glossary it describes, in order; closes it. */
static GPtrArray *
bundle_info_titles (GlossWindow *window)
{
  GListModel *toplevels = gtk_window_get_toplevels ();
  GPtrArray *titles = g_ptr_array_new_with_free_func (g_free);
  GtkWindow *dialog = NULL;
  g_autoptr(GPtrArray) rows = g_ptr_array_new ();

  gtk_widget_activate_action (GTK_WIDGET (window), "win.bundle-info", NULL);
  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWindow) toplevel = g_list_model_get_item (toplevels, i);

      if (g_strcmp0 (gtk_window_get_title (toplevel), "Bundle Info") == 0)
        dialog = toplevel;
    }
  g_assert_nonnull (dialog);

  gloss_test_collect_widgets (GTK_WIDGET (dialog), ADW_TYPE_ACTION_ROW, NULL, rows);
  for (guint i = 0; i < rows->len; i++)
    if (g_strcmp0 (adw_preferences_row_get_title (g_ptr_array_index (rows, i)), "Title") == 0)
      g_ptr_array_add (titles, g_strdup (adw_action_row_get_subtitle (g_ptr_array_index (rows, i))));
  gtk_window_destroy (dialog);

  return titles;
}

static void
test_group (Fixture       *f,
            gconstpointer  data)
{
  g_autofree char *dir = g_dir_make_tmp ("gloss-group-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "second.gloss.json", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GSettings) settings = g_settings_new ("io.github.glossapp.Gloss");
  g_auto(GStrv) saved = NULL;
  const char *builtin_title = gloss_bundle_get_title (gloss_window_get_bundle (f->window));
  g_autofree char *source0 = NULL;
  g_autofree char *source1 = NULL;
  g_autofree char *term1 = NULL;
  g_autofree char *target = NULL;
  GtkDropDown *scope;
  GtkWidget *label;
  const char *markup;
  const char *start;
  gboolean handled = FALSE;
  GlossWindow *restored;

  g_assert_true (g_file_set_contents (path, second_bundle, -1, NULL));
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (scope_dropdown (f))));

  gloss_window_add_file (f->window, file);
  wait_for_group (f, 2);
  scope = scope_dropdown (f);
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (scope)));
  saved = g_settings_get_strv (settings, "group-bundles");
  g_assert_cmpuint (g_strv_length (saved), ==, 1);
  g_assert_cmpstr (saved[0], ==, path);

  /* One ranking across both: the exact term of the added glossary, then
   * the built-in one's term it starts; each row names its glossary. */
  type_query (f, "tsun", "Tsun");
  g_assert_cmpuint (g_list_model_get_n_items (list_model (f)), >=, 2);
  term1 = row_term (f, 1);
  g_assert_cmpstr (term1, ==, "Tsundere");
  source0 = row_source (f, 0);
  source1 = row_source (f, 1);
  g_assert_cmpstr (source0, ==, "Second Glossary");
  g_assert_cmpstr (source1, ==, builtin_title);
  gloss_test_wait_ms (50);
  g_assert_nonnull (gloss_test_find_widget (GTK_WIDGET (f->list), GTK_TYPE_LABEL, "gloss-row-source"));

  /* Bundle Info tells of both, the open one first. */
  {
    g_autoptr(GPtrArray) titles = bundle_info_titles (f->window);

    g_assert_cmpuint (titles->len, ==, 2);
    g_assert_cmpstr (g_ptr_array_index (titles, 0), ==, builtin_title);
    g_assert_cmpstr (g_ptr_array_index (titles, 1), ==, "Second Glossary");
  }

  /* A link in the added glossary leads within it, and back returns. */
  open_row (f, 0);
  g_assert_cmpstr (headline (f), ==, "Tsun");
  label = find_entry_link_label (GTK_WIDGET (f->article));
  g_assert_nonnull (label);
  markup = gtk_label_get_label (GTK_LABEL (label));
  start = strstr (markup, "href=\"entry:") + strlen ("href=\"");
  target = g_strndup (start, strchr (start, '"') - start);
  g_assert_cmpstr (target, ==, "entry:dere-types");
  g_signal_emit_by_name (label, "activate-link", target, &handled);
  g_assert_true (handled);
  wait_for_headline (f, "Dere types", TRUE);
  gtk_widget_activate_action (GTK_WIDGET (f->window), "win.back", NULL);
  wait_for_headline (f, "Tsun", TRUE);

  /* Searching the built-in glossary alone */
  gtk_drop_down_set_selected (scope, 1);
  type_query (f, "tsundere", "Tsundere");
  g_clear_pointer (&source0, g_free);
  source0 = row_source (f, 0);
  g_assert_null (source0);
  search_for (f, "tsun");
  for (guint i = 0; i < g_list_model_get_n_items (list_model (f)); i++)
    {
      g_autofree char *term = row_term (f, i);
      g_assert_cmpstr (term, !=, "Tsun");
    }

  /* Taken out: the group is the built-in glossary again, and its entry
   * shown goes with it. */
  gtk_drop_down_set_selected (scope, 0);
  g_assert_true (gloss_window_remove_from_group (f->window, "test.second"));
  wait_for_group (f, 1);
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (scope)));
  {
    g_autoptr(GPtrArray) titles = bundle_info_titles (f->window);

    g_assert_cmpuint (titles->len, ==, 1);
    g_assert_cmpstr (g_ptr_array_index (titles, 0), ==, builtin_title);
  }
  g_clear_pointer (&saved, g_strfreev);
  saved = g_settings_get_strv (settings, "group-bundles");
  g_assert_cmpuint (g_strv_length (saved), ==, 0);

  /* Added again, it is restored with the window next time. */
  gloss_window_add_file (f->window, file);
  wait_for_group (f, 2);
  restored = gloss_window_new (NULL);
  gloss_window_restore_bundle (restored, NULL);
  {
    Fixture r = { restored };

    wait_for_group (&r, 2);
  }
  g_object_ref (restored);
  gtk_window_destroy (GTK_WINDOW (restored));
  gloss_test_wait_ms (20);
  g_assert_finalize_object (restored);

  g_assert_true (gloss_window_remove_from_group (f->window, "test.second"));
  wait_for_group (f, 1);
  g_unlink (path);
  g_rmdir (dir);
}

/* Removes a test's data folder: the files the stores wrote in its "gloss"
 * folder, the folder, and what else the test put at its top. */
static void
remove_data_dir (const char *data_dir)
{
  g_autofree char *gloss_dir = g_build_filename (data_dir, "gloss", NULL);
  const char *dirs[] = { gloss_dir, data_dir };

  for (guint i = 0; i < G_N_ELEMENTS (dirs); i++)
    {
      g_autoptr(GDir) dir = g_dir_open (dirs[i], 0, NULL);
      const char *name;

      while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
        {
          g_autofree char *path = g_build_filename (dirs[i], name, NULL);

          g_unlink (path);
        }
      g_rmdir (dirs[i]);
    }
}

/* Bookmarks survive a restart: one process bookmarks an entry and quits,
 * a new one with the same data folder finds it in Bookmarks and opens it. */
static GlossWindow *
window_with_user_data (const char      *data_dir,
                       GlossBookmarks **bookmarks,
                       GlossHistory   **history,
                       GlossLibrary   **library)
{
  /* In @data_dir, as the app keeps them in $XDG_DATA_HOME: never in the
   * user's own (GLib reads XDG_DATA_HOME once, before a test can set it). */
  g_autofree char *bookmarks_path = g_build_filename (data_dir, "gloss", "bookmarks.json", NULL);
  g_autofree char *history_path = g_build_filename (data_dir, "gloss", "history.json", NULL);
  g_autofree char *library_path = g_build_filename (data_dir, "gloss", "library.json", NULL);
  GlossWindow *window = gloss_window_new (NULL);
  Fixture f = { window };

  *bookmarks = gloss_bookmarks_new (bookmarks_path);
  *history = gloss_history_new (history_path);
  *library = gloss_library_new (library_path);
  gloss_window_set_user_data (window, *bookmarks, *history, *library);
  gtk_window_set_default_size (GTK_WINDOW (window), 1280, 800);
  gloss_window_open_builtin (window);
  gtk_window_present (GTK_WINDOW (window));
  g_assert_true (gloss_test_wait_until (window_painted, &f, 5000));

  return window;
}

static void
close_user_data (GlossWindow    *window,
                 GlossBookmarks *bookmarks,
                 GlossHistory   *history,
                 GlossLibrary   *library)
{
  g_assert_true (gloss_store_flush (gloss_bookmarks_get_store (bookmarks), NULL));
  g_assert_true (gloss_store_flush (gloss_history_get_store (history), NULL));
  g_object_ref (window);
  gtk_window_destroy (GTK_WINDOW (window));
  gloss_test_wait_ms (20);
  g_assert_finalize_object (window);
  g_assert_finalize_object (bookmarks);
  g_assert_finalize_object (history);
  g_assert_finalize_object (library);
}

static void
test_bookmark_survives_restart (void)
{
  g_autofree char *data_dir = NULL;

  if (g_test_subprocess ())
    {
      GlossBookmarks *bookmarks;
      GlossHistory *history;
      GlossLibrary *library;
      GlossWindow *window = window_with_user_data (g_getenv ("GLOSS_TEST_DATA_DIR"),
                                                   &bookmarks, &history, &library);
      const char *phase = g_getenv ("GLOSS_TEST_PHASE");

      if (g_strcmp0 (phase, "bookmark") == 0)
        {
          g_assert_true (gloss_window_show_entry_id (window, "yandere"));
          gtk_widget_activate_action (GTK_WIDGET (window), "win.bookmark", NULL);
          g_assert_true (gloss_bookmarks_has (bookmarks, "io.github.glossapp.Gloss.fandom-glossary",
                                              "yandere"));
        }
      else
        {
          GtkWidget *stack = gloss_test_find_widget (GTK_WIDGET (window), ADW_TYPE_VIEW_STACK, NULL);
          GtkListView *view = NULL;
          g_autoptr(GPtrArray) views = g_ptr_array_new ();
          g_autoptr(GObject) first = NULL;
          GlossArticle *article;
          Fixture f = { window };

          /* What a user does: the Bookmarks page, then the bookmark. */
          adw_view_stack_set_visible_child_name (ADW_VIEW_STACK (stack), "bookmarks");
          gloss_test_wait_ms (50);
          gloss_test_collect_widgets (stack, GTK_TYPE_LIST_VIEW, NULL, views);
          for (guint i = 0; i < views->len; i++)
            if (gtk_widget_get_mapped (g_ptr_array_index (views, i)))
              view = g_ptr_array_index (views, i);
          g_assert_nonnull (view);
          g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (gtk_list_view_get_model (view))),
                            ==, 1);
          first = g_list_model_get_item (G_LIST_MODEL (gtk_list_view_get_model (view)), 0);
          g_assert_cmpstr (gloss_bookmark_get_term (GLOSS_BOOKMARK (first)), ==, "Yandere");

          g_signal_emit_by_name (view, "activate", 0);
          article = GLOSS_ARTICLE (gloss_test_find_widget (GTK_WIDGET (window), GLOSS_TYPE_ARTICLE, NULL));
          f.article = article;
          wait_for_article (&f);
          g_assert_true (g_str_has_prefix (label_text_with_class (GTK_WIDGET (article),
                                                                  "gloss-headline"),
                                           "Yandere"));

          /* Reading it went into the history too. */
          g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (history)), >=, 1);
        }

      close_user_data (window, bookmarks, history, library);
      return;
    }

  data_dir = g_dir_make_tmp ("gloss-data-XXXXXX", NULL);
  g_setenv ("GLOSS_TEST_DATA_DIR", data_dir, TRUE);

  g_setenv ("GLOSS_TEST_PHASE", "bookmark", TRUE);
  g_test_trap_subprocess (NULL, 30 * G_USEC_PER_SEC, G_TEST_SUBPROCESS_INHERIT_STDERR);
  g_test_trap_assert_passed ();

  g_setenv ("GLOSS_TEST_PHASE", "find", TRUE);
  g_test_trap_subprocess (NULL, 30 * G_USEC_PER_SEC, G_TEST_SUBPROCESS_INHERIT_STDERR);
  g_test_trap_assert_passed ();
  remove_data_dir (data_dir);
}

static GtkWindow *
find_toplevel (const char *title)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWindow) window = g_list_model_get_item (toplevels, i);

      if (g_strcmp0 (gtk_window_get_title (window), title) == 0 &&
          gtk_widget_get_visible (GTK_WIDGET (window)))
        return window;
    }

  return NULL;
}

static GtkWidget *
library_row (GtkWindow  *library,
             const char *title)
{
  g_autoptr(GPtrArray) rows = g_ptr_array_new ();

  gloss_test_collect_widgets (GTK_WIDGET (library), ADW_TYPE_ACTION_ROW, NULL, rows);
  for (guint i = 0; i < rows->len; i++)
    if (g_strcmp0 (adw_preferences_row_get_title (g_ptr_array_index (rows, i)), title) == 0)
      return g_ptr_array_index (rows, i);

  return NULL;
}

static gboolean
bundle_is (gpointer data)
{
  Fixture *f = data;
  const char *id = g_object_get_data (G_OBJECT (f->window), "test-bundle-id");

  return !gloss_window_get_loading (f->window) &&
         g_strcmp0 (gloss_bundle_get_id (gloss_window_get_bundle (f->window)), id) == 0;
}

static void
wait_for_bundle (Fixture    *f,
                 const char *id)
{
  g_object_set_data_full (G_OBJECT (f->window), "test-bundle-id", g_strdup (id), g_free);
  g_assert_true (gloss_test_wait_until (bundle_is, f, 20000));
}

/* Recent Glossaries, as a user uses it: the built-in row opens the
 * built-in glossary; the tick beside another searches it together. */
static void
test_library_window (void)
{
  g_autofree char *data_dir = g_dir_make_tmp ("gloss-data-XXXXXX", NULL);
  g_autofree char *path = NULL;
  g_autoptr(GFile) file = NULL;
  GlossBookmarks *bookmarks;
  GlossHistory *history;
  GlossLibrary *library;
  GlossWindow *window;
  GtkWindow *dialog;
  GtkWidget *row;
  GtkWidget *check;
  Fixture f = { NULL };

  path = g_build_filename (data_dir, "second.gloss.json", NULL);
  file = g_file_new_for_path (path);
  g_assert_true (g_file_set_contents (path, second_bundle, -1, NULL));

  window = window_with_user_data (data_dir, &bookmarks, &history, &library);
  f.window = window;
  gloss_window_open_file (window, file, NULL);
  wait_for_bundle (&f, "test.second");

  gtk_widget_activate_action (GTK_WIDGET (window), "win.library", NULL);
  dialog = find_toplevel ("Recent Glossaries");
  g_assert_nonnull (dialog);
  row = library_row (dialog, "Built-in Glossary");
  g_assert_nonnull (row);
  g_assert_true (gtk_widget_is_sensitive (row));
  g_signal_emit_by_name (row, "activated");
  wait_for_bundle (&f, "io.github.glossapp.Gloss.fandom-glossary");
  gloss_test_wait_ms (50);
  g_assert_null (find_toplevel ("Recent Glossaries"));

  gtk_widget_activate_action (GTK_WIDGET (window), "win.library", NULL);
  dialog = find_toplevel ("Recent Glossaries");
  row = library_row (dialog, "Second Glossary");
  g_assert_nonnull (row);
  check = gloss_test_find_widget (row, GTK_TYPE_CHECK_BUTTON, NULL);
  g_assert_nonnull (check);
  g_assert_true (gtk_widget_is_sensitive (check));
  g_assert_false (gtk_check_button_get_active (GTK_CHECK_BUTTON (check)));
  gtk_check_button_set_active (GTK_CHECK_BUTTON (check), TRUE);
  wait_for_group (&f, 2);
  g_assert_true (gloss_window_get_bundle (window) ==
                 gloss_group_get_bundle (gloss_window_get_group (window), 0));

  gtk_check_button_set_active (GTK_CHECK_BUTTON (check), FALSE);
  wait_for_group (&f, 1);
  gtk_window_destroy (dialog);

  close_user_data (window, bookmarks, history, library);
  remove_data_dir (data_dir);
}

/* The widget of @type on screen (mapped) under @root, or NULL. */
static GtkWidget *
mapped_widget (GtkWidget *root,
               GType      type)
{
  g_autoptr(GPtrArray) all = g_ptr_array_new ();

  gloss_test_collect_widgets (root, type, NULL, all);
  for (guint i = 0; i < all->len; i++)
    if (gtk_widget_get_mapped (g_ptr_array_index (all, i)))
      return g_ptr_array_index (all, i);

  return NULL;
}

/* What the Bookmarks or History page shows: its list's items, or its empty
 * page's title in @empty_title. */
static guint
user_page_items (GlossWindow  *window,
                 const char   *page,
                 const char  **empty_title)
{
  GtkWidget *stack = gloss_test_find_widget (GTK_WIDGET (window), ADW_TYPE_VIEW_STACK, NULL);
  GtkWidget *list = NULL;
  GtkWidget *view;
  GtkWidget *status;

  adw_view_stack_set_visible_child_name (ADW_VIEW_STACK (stack), page);
  gloss_test_wait_ms (50);
  list = mapped_widget (stack, GLOSS_TYPE_USER_LIST);
  g_assert_nonnull (list);
  view = mapped_widget (list, GTK_TYPE_LIST_VIEW);
  status = mapped_widget (list, ADW_TYPE_STATUS_PAGE);
  g_assert_true ((view == NULL) != (status == NULL));

  *empty_title = status ? adw_status_page_get_title (ADW_STATUS_PAGE (status)) : NULL;
  return view ? g_list_model_get_n_items (G_LIST_MODEL (gtk_list_view_get_model (GTK_LIST_VIEW (view))))
              : 0;
}

/* The Bookmarks and History pages, made when first shown: empty, then
 * holding what the user starred and read, narrowed by the search entry. */
static void
test_user_pages (void)
{
  g_autofree char *data_dir = g_dir_make_tmp ("gloss-data-XXXXXX", NULL);
  GlossBookmarks *bookmarks;
  GlossHistory *history;
  GlossLibrary *library;
  GlossWindow *window;
  GtkWidget *stack;
  GtkWidget *row_title;
  GtkWidget *day;
  g_autofree char *placeholder = NULL;
  const char *empty = NULL;
  Fixture f = { NULL };

  window = window_with_user_data (data_dir, &bookmarks, &history, &library);
  f.window = window;
  f.search = gloss_test_find_widget (GTK_WIDGET (window), GTK_TYPE_SEARCH_ENTRY, NULL);
  stack = gloss_test_find_widget (GTK_WIDGET (window), ADW_TYPE_VIEW_STACK, NULL);

  /* Not made before they are shown. */
  g_assert_cmpuint (count_widgets (GTK_WIDGET (window), GLOSS_TYPE_USER_LIST, NULL), ==, 0);

  g_assert_cmpuint (user_page_items (window, "bookmarks", &empty), ==, 0);
  g_assert_cmpstr (empty, ==, "No Bookmarks");
  g_object_get (f.search, "placeholder-text", &placeholder, NULL);
  g_assert_cmpstr (placeholder, ==, "Search bookmarks");
  g_assert_cmpuint (user_page_items (window, "history", &empty), ==, 0);
  g_assert_cmpstr (empty, ==, "No History");
  g_assert_cmpuint (count_widgets (GTK_WIDGET (window), GLOSS_TYPE_USER_LIST, NULL), ==, 2);

  /* Read and star an entry: both pages list it. */
  adw_view_stack_set_visible_child_name (ADW_VIEW_STACK (stack), "entries");
  g_assert_true (gloss_window_show_entry_id (window, "yandere"));
  gtk_widget_activate_action (GTK_WIDGET (window), "win.bookmark", NULL);
  g_assert_cmpuint (user_page_items (window, "bookmarks", &empty), ==, 1);
  row_title = gloss_test_find_widget (mapped_widget (stack, GTK_TYPE_LIST_VIEW), GTK_TYPE_LABEL,
                                      "gloss-row-term");
  g_assert_nonnull (row_title);
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (row_title)), ==, "Yandere");
  g_assert_cmpuint (user_page_items (window, "history", &empty), ==, 1);
  day = gloss_test_find_widget (mapped_widget (stack, GTK_TYPE_LIST_VIEW), GTK_TYPE_LABEL,
                                "gloss-letter");
  g_assert_nonnull (day);
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (day)), ==, "Today");

  /* The search entry narrows the page shown. */
  search_for (&f, "zzzz");
  g_assert_cmpuint (user_page_items (window, "history", &empty), ==, 0);
  g_assert_cmpstr (empty, ==, "No Matching History");
  g_assert_cmpuint (user_page_items (window, "bookmarks", &empty), ==, 0);
  g_assert_cmpstr (empty, ==, "No Matching Bookmarks");
  search_for (&f, "yan");
  g_assert_cmpuint (user_page_items (window, "bookmarks", &empty), ==, 1);

  close_user_data (window, bookmarks, history, library);
  remove_data_dir (data_dir);
}

typedef struct
{
  Fixture *f;
  guint    n;
} RowCount;

static gboolean
has_n_rows (gpointer data)
{
  RowCount *rc = data;

  return g_list_model_get_n_items (list_model (rc->f)) == rc->n;
}

static gboolean
rows_change (gpointer data)
{
  RowCount *rc = data;

  return g_list_model_get_n_items (list_model (rc->f)) != rc->n;
}

/* The list without a query follows the filters, also after a search was
 * typed and emptied under other filters. */
static void
test_filters_and_search (Fixture       *f,
                         gconstpointer  data)
{
  g_autoptr(GSettings) settings = g_settings_new ("io.github.glossapp.Gloss");
  const char *hidden[] = { "fandom", NULL };
  RowCount rc = { f, 0 };
  guint n_default;
  guint n_mature;
  guint n_hidden;

  n_default = g_list_model_get_n_items (list_model (f));
  g_assert_cmpuint (n_default, ==, 43);  /* 48, 5 of them mature */
  search_for (f, "a");
  search_for (f, "");
  rc.n = n_default;
  g_assert_true (gloss_test_wait_until (has_n_rows, &rc, 5000));

  g_settings_set_boolean (settings, "show-mature", TRUE);
  g_assert_true (gloss_test_wait_until (rows_change, &rc, 5000));
  n_mature = g_list_model_get_n_items (list_model (f));
  g_assert_cmpuint (n_mature, ==, 48);

  g_settings_set_strv (settings, "hidden-tags", hidden);
  rc.n = n_mature;
  g_assert_true (gloss_test_wait_until (rows_change, &rc, 5000));
  n_hidden = g_list_model_get_n_items (list_model (f));
  g_assert_cmpuint (n_hidden, <, n_mature);

  /* A search and back: the list is the one these filters allow. */
  search_for (f, "a");
  search_for (f, "");
  rc.n = n_hidden;
  g_assert_true (gloss_test_wait_until (has_n_rows, &rc, 5000));

  g_settings_reset (settings, "hidden-tags");
  g_settings_reset (settings, "show-mature");
  rc.n = n_default;
  g_assert_true (gloss_test_wait_until (has_n_rows, &rc, 5000));
}

static gboolean
pointer_cleared (gpointer data)
{
  return *(gpointer *)data == NULL;
}

/* A glossary replaced by another goes: nothing the sidebar kept from its
 * searches (rows let go, lines still to be made) holds on to it. */
static void
test_replaced_bundle_goes (Fixture       *f,
                           gconstpointer  data)
{
  g_autofree char *dir = g_dir_make_tmp ("gloss-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "two.json", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  GlossBundle *before = gloss_window_get_bundle (f->window);

  g_assert_true (g_file_set_contents (path,
                                      "{\"format\": \"gloss-bundle\", \"version\": 1,"
                                      " \"title\": \"Two\", \"entries\": ["
                                      "{\"id\": \"a\", \"term\": \"Alpha\"},"
                                      "{\"id\": \"b\", \"term\": \"Beta\"}]}", -1, NULL));

  /* Many results, most rows off screen, then none: the list view lets its
   * rows go, and a smaller glossary takes only two of them back. */
  search_for (f, "a");
  gloss_test_wait_ms (50);
  search_for (f, "zzqx");
  gloss_test_wait_ms (50);

  g_object_add_weak_pointer (G_OBJECT (before), (gpointer *)&before);
  gloss_window_open_file (f->window, file, NULL);
  g_assert_true (gloss_test_wait_until (not_loading, f->window, 5000));
  g_assert_cmpstr (gloss_bundle_get_title (gloss_window_get_bundle (f->window)), ==, "Two");
  g_assert_true (gloss_test_wait_until (pointer_cleared, &before, 5000));

  g_unlink (path);
  g_rmdir (dir);
}

int
main (int   argc,
      char *argv[])
{
  g_setenv ("GSETTINGS_BACKEND", "memory", TRUE);
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();

#define ADD(path, func) \
  g_test_add ("/gloss/window/" path, Fixture, NULL, fixture_setup, func, fixture_teardown)

  ADD ("search", test_search);
  ADD ("rows-shaped-in-view", test_rows_shaped_in_view);
  ADD ("article", test_article);
  ADD ("faq-expands", test_faq_expands);
  ADD ("links-and-back", test_links_and_back);
  ADD ("refused-links", test_refused_links);
  ADD ("refused-bundle", test_refused_bundle);
  ADD ("narrow-folds", test_narrow_folds);
  ADD ("group", test_group);
  ADD ("filters-and-search", test_filters_and_search);
  ADD ("replaced-bundle-goes", test_replaced_bundle_goes);
  g_test_add_func ("/gloss/window/bookmark-survives-restart", test_bookmark_survives_restart);
  g_test_add_func ("/gloss/window/library-window", test_library_window);
  g_test_add_func ("/gloss/window/user-pages", test_user_pages);

  return g_test_run ();
}
