/* test-hostile.c: every hostile bundle of tests/data/hostile/, opened one
 * after another in the real window under Xvfb.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A file named refused-*.json must be refused: the bundle that was open
 * stays, with its article, and a message dialog names the file. Any other
 * file must open, with its own title, and then every entry is shown in the
 * article (each first view under a second), every FAQ answer of the first
 * page is opened, the bundle info, problems and preferences windows are
 * opened, and a search runs. After each step every label of every window is
 * held to what the bundle format promises:
 *
 *   - markup that parses (links taken out first, as GtkLabel does), and no
 *     bundle markup interpreted: the hostile files write "MKUP" right after
 *     a tag, so a shown "MKUP" not preceded by '>' lost its tag;
 *   - valid UTF-8, and no control character but tab and newline;
 *   - no UI text (" · ", " — ", quotes...) inside a bidi embedding,
 *     override or isolate that bundle text left open;
 *   - every link target one the link policy accepts, on a label that
 *     handles activate-link itself; following each one reaches "open-uri"
 *     only for http, https and mailto, and nothing ever reaches the
 *     desktop's launcher;
 *   - no window (nor the category list) needs more than MAX_WINDOW_SIZE
 *     pixels either way: text that cannot wrap must not widen the window
 *     (past 32,767 pixels the X server refuses it, and GTK exits).
 *
 * Files made at run time add what cannot be committed: a FIFO, a folder, a
 * sparse 257 MiB file, a missing file, and hostile file names.
 *
 * Findings are collected and reported together at the end of each test;
 * GLOSS_HOSTILE_ONLY=SUBSTRING runs only the files whose name has it.
 */

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <unistd.h>

#include <glib/gstdio.h>
#include <gtk/gtk.h>
#ifdef GDK_WINDOWING_X11
#include <gdk/x11/gdkx.h>
#endif

#include "gloss-application.h"
#include "gloss-article.h"
#include "gloss-entry-row.h"
#include "gloss-hit.h"
#include "gloss-link.h"
#include "gloss-markdown.h"
#include "gloss-preferences-window.h"
#include "gloss-row-label.h"
#include "gloss-text.h"
#include "gloss-window.h"
#include "gloss-test-util.h"

#define ZWSP "\xe2\x80\x8b"

/* What any one step may take, in milliseconds: a hang guard that holds
 * under sanitizers and valgrind too. */
static guint time_limit_ms = 1000;

/* Under ASan or valgrind: see main (). */
static gboolean slow_tool;

/* No window may need more than this, in either direction. */
#define MAX_WINDOW_SIZE 2000

/* FAQ rows opened per entry: the answers of the first page are enough. */
#define MAX_FAQ_EXPANDED 14

/* "Continue Reading" pages read per entry: enough to cross from page to
 * page in a section, a list of cards, a list of answers. */
#define MAX_PAGES 6

/* A FAQ row's title shows this much of a longer question (gloss-article.c),
 * and "…"; the answer then starts with the question whole. */
#define FAQ_TITLE_CHARS 200

typedef struct
{
  GlossWindow  *window;
  GtkWidget    *search;
  GtkListView  *list;
  GlossArticle *article;

  /* open-uri: expected while the test follows an allowed link itself, with
   * the window's own handler (the one that launches) blocked. */
  gboolean      expect_uri;
  guint         uris_expected;
  guint         uris_unexpected;
  char         *last_uri;
  /* open-entry: links and cards ask for an entry in an idle callback. */
  guint         entries_asked;

  /* The file being checked, and what of it, for messages. */
  const char   *file;
  const char   *name;
  char         *entry_name;
  /* Search explanations quote a window of text: the MKUP rule is off. */
  gboolean      searching;

  /* Links found in labels: GtkLabel and its href. */
  GPtrArray    *link_labels;
  GPtrArray    *link_targets;

  /* What broke a promise: reported together at the end, so that one run
   * lists every finding (at most a few a file). */
  GPtrArray    *findings;
  guint         file_findings;

  guint         n_labels_checked;
  guint         n_links_followed;
  guint         n_entries_shown;
  gint64        slowest_view_us;
  char         *slowest_view;
  gint64        slowest_page_us;
  char         *slowest_page;
  /* The X server refused the window's size: it never paints again, and
   * the real app would have exited. The other checks go on. */
  gboolean      window_broken;
} Fixture;

/* Waiting */

static gboolean
wait_until (gboolean (*cond) (gpointer),
            gpointer   data,
            guint      timeout_ms)
{
  gint64 deadline = g_get_monotonic_time () + (gint64)timeout_ms * 1000;

  while (!cond (data))
    {
      if (g_get_monotonic_time () > deadline)
        return FALSE;
      g_main_context_iteration (NULL, FALSE);
      g_usleep (500);
    }

  return TRUE;
}

static void
wait_ms (guint ms)
{
  gint64 deadline = g_get_monotonic_time () + (gint64)ms * 1000;

  while (g_get_monotonic_time () < deadline)
    {
      g_main_context_iteration (NULL, FALSE);
      g_usleep (500);
    }
}

static double
ms_since (gint64 start)
{
  return (g_get_monotonic_time () - start) / 1000.0;
}

/* Widgets */

static GtkWindow *
find_message_dialog (void)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWindow) window = g_list_model_get_item (toplevels, i);

      if (ADW_IS_MESSAGE_DIALOG (window) && gtk_widget_get_visible (GTK_WIDGET (window)))
        return window;
    }

  return NULL;
}

/* A visible toplevel other than the main window and @except. */
static GtkWindow *
find_other_window (Fixture   *f,
                   GtkWindow *except)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWindow) window = g_list_model_get_item (toplevels, i);

      if (window != GTK_WINDOW (f->window) && window != except &&
          gtk_widget_get_visible (GTK_WIDGET (window)))
        return window;
    }

  return NULL;
}

static void
destroy_window (GtkWindow *window)
{
  gtk_window_destroy (window);
  wait_ms (5);
}

/* Findings */

#define MAX_FINDINGS_PER_FILE 12

static void finding (Fixture    *f,
                     const char *format,
                     ...) G_GNUC_PRINTF (2, 3);

static void
finding (Fixture    *f,
         const char *format,
         ...)
{
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);

  /* Quoted bundle text can be long and hold anything: keep it readable. */
  if (g_utf8_strlen (message, -1) > 300)
    {
      char *cut = g_utf8_offset_to_pointer (message, 300);
      strcpy (cut, "…");
    }
  for (char *p = message; *p != '\0'; p++)
    {
      if ((guchar)*p < 0x20)
        *p = '?';
    }

  for (guint i = 0; i < f->findings->len; i++)
    {
      const char *seen = g_ptr_array_index (f->findings, i);

      if (g_str_has_prefix (seen, f->name) && g_str_has_suffix (seen, message))
        return;
    }

  if (++f->file_findings > MAX_FINDINGS_PER_FILE)
    return;

  g_test_message ("FINDING: %s: %s", f->name, message);
  g_ptr_array_add (f->findings, g_strdup_printf ("%s: %s", f->name, message));
}

/* Text rules */

static gboolean
is_hidden_control (gunichar c)
{
  return (c < 0x20 && c != '\t' && c != '\n') || (c >= 0x7F && c <= 0x9F);
}

static char *
without_zwsp (const char *text)
{
  g_auto(GStrv) parts = g_strsplit (text, ZWSP, -1);

  return g_strjoinv ("", parts);
}

static gboolean
is_bidi_control (gunichar c)
{
  return (c >= 0x202A && c <= 0x202E) || (c >= 0x2066 && c <= 0x2069);
}

/* @text without what never shows: control characters (but tab and newline),
 * bidi controls, zero-width spaces. */
static char *
without_invisible (const char *text)
{
  GString *out = g_string_sized_new (strlen (text));

  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (!is_hidden_control (c) && !is_bidi_control (c) && c != 0x200B)
        g_string_append_unichar (out, c);
    }

  return g_string_free (out, FALSE);
}

/* Strings only the UI writes: they must never be inside a bidi context
 * that bundle text opened. */
static const char * const ui_markers[] = {
  " · ", " — ", ", ", ": ", "min read", "Sources: ", "Updated ", "Published ", "“", "”",
  "Could not open", "is a mature entry", "in this glossary",
};

static gboolean
is_bidi_embedding (gunichar c)
{
  return c >= 0x202A && c <= 0x202E && c != 0x202C;
}

static gboolean
is_bidi_isolate (gunichar c)
{
  return c >= 0x2066 && c <= 0x2068;
}

/* Follows UAX #9's explicit levels over @text and fails where UI text sits
 * inside one that is still open. */
static void
check_bidi (Fixture    *f,
            const char *what,
            const char *text)
{
  GArray *stack = g_array_new (FALSE, FALSE, sizeof (gunichar));

  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (c == '\n' || c == '\r' || c == 0x2029)
        g_array_set_size (stack, 0);
      else if (is_bidi_embedding (c) || is_bidi_isolate (c))
        g_array_append_val (stack, c);
      else if (c == 0x202C)
        {
          if (stack->len > 0 && is_bidi_embedding (g_array_index (stack, gunichar, stack->len - 1)))
            g_array_set_size (stack, stack->len - 1);
        }
      else if (c == 0x2069)
        {
          for (guint i = stack->len; i > 0; i--)
            {
              if (is_bidi_isolate (g_array_index (stack, gunichar, i - 1)))
                {
                  g_array_set_size (stack, i - 1);
                  break;
                }
            }
        }
      else if (stack->len > 0)
        {
          for (guint i = 0; i < G_N_ELEMENTS (ui_markers); i++)
            {
              if (g_str_has_prefix (p, ui_markers[i]))
                {
                  finding (f, "%s: UI text “%s” inside a bidi context the bundle left open "
                           "(U+%04X): “%s”", what, ui_markers[i],
                           g_array_index (stack, gunichar, stack->len - 1), text);
                  g_array_unref (stack);
                  return;
                }
            }
        }
    }

  g_array_unref (stack);
}

static void
check_text (Fixture    *f,
            const char *what,
            const char *text,
            gboolean    mkup_rule)
{
  g_autofree char *plain = NULL;

  if (text == NULL)
    return;

  if (!g_utf8_validate (text, -1, NULL))
    finding (f, "%s: invalid UTF-8", what);

  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
    {
      if (is_hidden_control (g_utf8_get_char (p)))
        finding (f, "%s: control character U+%04X in “%s”", what, g_utf8_get_char (p), text);
    }

  check_bidi (f, what, text);

  if (!mkup_rule)
    return;

  plain = without_zwsp (text);
  for (const char *p = strstr (plain, "MKUP"); p != NULL; p = strstr (p + 1, "MKUP"))
    {
      if (p == plain || p[-1] != '>')
        finding (f, "%s: bundle markup was interpreted (a tag before MKUP is gone): “%s”",
                 what, text);
    }
}

/* Markup */

typedef struct
{
  GString   *rebuilt;
  GPtrArray *hrefs;
} Rebuild;

static void
rebuild_start (GMarkupParseContext  *context,
               const char           *element,
               const char          **names,
               const char          **values,
               gpointer              user_data,
               GError              **error)
{
  Rebuild *r = user_data;

  if (strcmp (element, "a") == 0)
    {
      for (guint i = 0; names[i] != NULL; i++)
        {
          if (strcmp (names[i], "href") == 0)
            g_ptr_array_add (r->hrefs, g_strdup (values[i]));
        }
      return;
    }

  g_string_append_printf (r->rebuilt, "<%s", element);
  for (guint i = 0; names[i] != NULL; i++)
    {
      g_autofree char *value = g_markup_escape_text (values[i], -1);
      g_string_append_printf (r->rebuilt, " %s=\"%s\"", names[i], value);
    }
  g_string_append_c (r->rebuilt, '>');
}

static void
rebuild_end (GMarkupParseContext  *context,
             const char           *element,
             gpointer              user_data,
             GError              **error)
{
  Rebuild *r = user_data;

  if (strcmp (element, "a") != 0)
    g_string_append_printf (r->rebuilt, "</%s>", element);
}

static void
rebuild_text (GMarkupParseContext  *context,
              const char           *text,
              gsize                 len,
              gpointer              user_data,
              GError              **error)
{
  Rebuild *r = user_data;
  g_autofree char *escaped = g_markup_escape_text (text, len);

  g_string_append (r->rebuilt, escaped);
}

/* GtkLabel takes <a> out itself before Pango sees the markup: do the same,
 * keep the targets, and have Pango parse the rest. */
static void
check_markup (Fixture    *f,
              GtkLabel   *label,
              const char *markup)
{
  static const GMarkupParser parser = { rebuild_start, rebuild_end, rebuild_text, NULL, NULL };
  g_autoptr(GMarkupParseContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *wrapped = g_strconcat ("<markup>", markup, "</markup>", NULL);
  g_autoptr(GPtrArray) hrefs = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GString) rebuilt = g_string_new (NULL);
  Rebuild r = { rebuilt, hrefs };

  context = g_markup_parse_context_new (&parser, 0, &r, NULL);
  if (!g_markup_parse_context_parse (context, wrapped, -1, &error) ||
      !g_markup_parse_context_end_parse (context, &error))
    {
      finding (f, "label markup is not well-formed (%s): %s", error->message, markup);
      return;
    }

  if (!pango_parse_markup (rebuilt->str, -1, 0, NULL, NULL, NULL, &error))
    {
      finding (f, "Pango refuses label markup (%s): %s", error->message, markup);
      return;
    }

  for (guint i = 0; i < hrefs->len; i++)
    {
      const char *href = g_ptr_array_index (hrefs, i);
      g_autofree char *entry_id = NULL;
      GlossLinkKind kind = gloss_link_classify (href, &entry_id);

      if (kind == GLOSS_LINK_REFUSED)
        {
          finding (f, "a label links to a refused target “%s”", href);
          continue;
        }

      /* A label that does not handle its links itself would let GTK open
       * any scheme the desktop knows. */
      if (!g_signal_has_handler_pending (label, g_signal_lookup ("activate-link", GTK_TYPE_LABEL),
                                         0, FALSE))
        {
          finding (f, "a label links to “%s” with no activate-link handler", href);
          continue;
        }

      if (kind == GLOSS_LINK_ENTRY)
        {
          GlossBundle *bundle = gloss_window_get_bundle (f->window);
          GlossEntry *target = gloss_bundle_lookup_entry (bundle, entry_id);

          if (target == NULL)
            finding (f, "a link to the missing entry “%s”", entry_id);
          else if (gloss_entry_get_mature (target))
            finding (f, "a link to the hidden mature entry “%s”", entry_id);
        }

      if (f->link_labels != NULL && f->link_labels->len < 400)
        {
          g_ptr_array_add (f->link_labels, g_object_ref (label));
          g_ptr_array_add (f->link_targets, g_strdup (href));
        }
    }
}

static void
check_label (Fixture  *f,
             GtkLabel *label)
{
  const char *text = gtk_label_get_text (label);
  gboolean row_detail = gtk_widget_has_css_class (GTK_WIDGET (label), "gloss-row-detail");

  check_text (f, "label", text, !(f->searching && row_detail));

  if (gtk_label_get_use_markup (label))
    check_markup (f, label, gtk_label_get_label (label));

  f->n_labels_checked++;
}

static void
check_text_view (Fixture     *f,
                 GtkTextView *view)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (view);
  GtkTextIter start, end;
  g_autofree char *text = NULL;

  gtk_text_buffer_get_bounds (buffer, &start, &end);
  text = gtk_text_buffer_get_text (buffer, &start, &end, TRUE);
  check_text (f, "text view", text, TRUE);
}

/* Bundle text wraps, or is cut, or scrolls: it never makes a window need
 * more than the screen. (Beyond 32,767 pixels the X server refuses the
 * window, and GTK exits.) */
static void
check_size (Fixture   *f,
            GtkWindow *window)
{
  int width;
  int height;

  if (slow_tool || !gtk_widget_get_visible (GTK_WIDGET (window)))
    return;

  gtk_widget_measure (GTK_WIDGET (window), GTK_ORIENTATION_HORIZONTAL, -1,
                      &width, NULL, NULL, NULL);
  gtk_widget_measure (GTK_WIDGET (window), GTK_ORIENTATION_VERTICAL, -1,
                      &height, NULL, NULL, NULL);
  if (width > MAX_WINDOW_SIZE || height > MAX_WINDOW_SIZE)
    {
      g_autoptr(GPtrArray) labels = g_ptr_array_new ();
      g_autofree char *culprit = NULL;

      /* Name the widest label: most likely the cause. */
      gloss_test_collect_widgets (GTK_WIDGET (window), GTK_TYPE_LABEL, NULL, labels);
      for (guint i = 0, widest = 0; i < labels->len; i++)
        {
          GtkWidget *label = g_ptr_array_index (labels, i);
          int label_width;

          gtk_widget_measure (label, GTK_ORIENTATION_HORIZONTAL, -1,
                              &label_width, NULL, NULL, NULL);
          if ((guint)label_width > widest)
            {
              g_auto(GStrv) classes = gtk_widget_get_css_classes (label);

              widest = label_width;
              g_free (culprit);
              culprit = g_strdup (classes[0] ? classes[0] : "no class");
            }
        }

      finding (f, "%s needs at least %d x %d pixels (widest label: .%s)",
               G_OBJECT_TYPE_NAME (window), width, height, culprit ? culprit : "?");
      if (MAX (width, height) > 32767 && !f->window_broken)
        {
          finding (f, "the X server refuses a window that large: the app would exit here; "
                   "first views are no longer timed to a frame");
          f->window_broken = TRUE;
        }
    }
}

/* Every label of every window, and every window's title. */
static void
check_all_windows (Fixture *f)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWindow) window = g_list_model_get_item (toplevels, i);
      g_autoptr(GPtrArray) labels = g_ptr_array_new ();
      g_autoptr(GPtrArray) views = g_ptr_array_new ();

      check_text (f, "window title", gtk_window_get_title (window), TRUE);
      check_size (f, window);

      gloss_test_collect_widgets (GTK_WIDGET (window), GTK_TYPE_LABEL, NULL, labels);
      for (guint j = 0; j < labels->len; j++)
        check_label (f, g_ptr_array_index (labels, j));

      /* The sidebar's rows draw their lines themselves. */
      g_ptr_array_set_size (labels, 0);
      gloss_test_collect_widgets (GTK_WIDGET (window), GLOSS_TYPE_ROW_LABEL, NULL, labels);
      for (guint j = 0; j < labels->len; j++)
        {
          GtkWidget *label = g_ptr_array_index (labels, j);

          check_text (f, "row", gloss_row_label_get_text (GLOSS_ROW_LABEL (label)),
                      !(f->searching && gtk_widget_has_css_class (label, "gloss-row-detail")));
          f->n_labels_checked++;
        }

      gloss_test_collect_widgets (GTK_WIDGET (window), GTK_TYPE_TEXT_VIEW, NULL, views);
      for (guint j = 0; j < views->len; j++)
        check_text_view (f, g_ptr_array_index (views, j));

      if (ADW_IS_MESSAGE_DIALOG (window))
        {
          check_text (f, "dialog heading",
                      adw_message_dialog_get_heading (ADW_MESSAGE_DIALOG (window)), TRUE);
          check_text (f, "dialog body",
                      adw_message_dialog_get_body (ADW_MESSAGE_DIALOG (window)), TRUE);
        }
    }
}

/* The fixture */

static void clear_links (Fixture *f);

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
  if (f->expect_uri)
    f->uris_expected++;
  else
    f->uris_unexpected++;

  g_free (f->last_uri);
  f->last_uri = g_strdup (uri);
}

static void
on_open_entry (GlossArticle *article,
               const char   *entry_id,
               Fixture      *f)
{
  f->entries_asked++;
}

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  f->window = gloss_window_new (NULL);
  gtk_window_set_default_size (GTK_WINDOW (f->window), 1280, 800);
  gloss_window_open_builtin (f->window);
  gtk_window_present (GTK_WINDOW (f->window));
  g_assert_true (wait_until (window_painted, f, 5000 + time_limit_ms * 5));
  if (slow_tool)
    gtk_widget_set_visible (GTK_WIDGET (f->window), FALSE);

  f->search = gloss_test_find_widget (GTK_WIDGET (f->window), GTK_TYPE_SEARCH_ENTRY, NULL);
  f->list = GTK_LIST_VIEW (gloss_test_find_widget (GTK_WIDGET (f->window), GTK_TYPE_LIST_VIEW,
                                        "navigation-sidebar"));
  f->article = GLOSS_ARTICLE (gloss_test_find_widget (GTK_WIDGET (f->window), GLOSS_TYPE_ARTICLE, NULL));
  g_assert_nonnull (f->search);
  g_assert_nonnull (f->list);
  g_assert_nonnull (f->article);

  g_signal_connect (f->article, "open-uri", G_CALLBACK (on_open_uri), f);
  g_signal_connect (f->article, "open-entry", G_CALLBACK (on_open_entry), f);
  f->name = "built-in";
  f->findings = g_ptr_array_new_with_free_func (g_free);

#ifdef GDK_WINDOWING_X11
  /* A window too large for the X server would end the test with the first
   * finding; check_size() reports it instead. */
  if (GDK_IS_X11_DISPLAY (gdk_display_get_default ()))
    gdk_x11_display_error_trap_push (gdk_display_get_default ());
#endif
}

/* Every finding of the test, in one failure. */
static void
report_findings (Fixture *f)
{
  g_autoptr(GString) all = g_string_new (NULL);

  if (f->findings->len == 0)
    return;

  for (guint i = 0; i < f->findings->len; i++)
    g_string_append_printf (all, "\n  %s", (char *)g_ptr_array_index (f->findings, i));

  g_test_fail_printf ("%u findings:%s", f->findings->len, all->str);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  GtkWindow *other;

  g_assert_cmpuint (f->uris_unexpected, ==, 0);

  while ((other = find_other_window (f, NULL)) != NULL)
    destroy_window (other);

  g_object_ref (f->window);
  gtk_window_destroy (GTK_WINDOW (f->window));
  wait_ms (20);
  g_assert_finalize_object (f->window);
#ifdef GDK_WINDOWING_X11
  if (GDK_IS_X11_DISPLAY (gdk_display_get_default ()))
    gdk_x11_display_error_trap_pop_ignored (gdk_display_get_default ());
#endif
  clear_links (f);
  g_ptr_array_unref (f->findings);
  g_free (f->last_uri);
  g_free (f->slowest_view);
  g_free (f->slowest_page);
  g_free (f->entry_name);
}

static GListModel *
list_model (Fixture *f)
{
  return G_LIST_MODEL (gtk_list_view_get_model (f->list));
}

static gboolean
not_loading (gpointer data)
{
  return !gloss_window_get_loading (data);
}

static gboolean
article_complete (gpointer data)
{
  return !gloss_article_get_building (data);
}

static const char *
headline (Fixture *f)
{
  GtkWidget *label = gloss_test_find_widget (GTK_WIDGET (f->article), GTK_TYPE_LABEL, "gloss-headline");

  return label ? gtk_label_get_text (GTK_LABEL (label)) : NULL;
}

typedef struct
{
  const char *query;
  guint       count;
} SearchWait;

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

static void
count_paint (guint *paints)
{
  (*paints)++;
}

static void
search_for (Fixture    *f,
            const char *query)
{
  SearchWait wait = { query, 0 };
  gulong id = g_signal_connect (f->search, "search-changed", G_CALLBACK (on_search_changed), &wait);

  gtk_editable_set_text (GTK_EDITABLE (f->search), query);
  g_assert_true (wait_until (count_positive, &wait.count, 2000 + time_limit_ms * 2));
  g_signal_handler_disconnect (f->search, id);
}

/* Following links */

static void
clear_links (Fixture *f)
{
  g_clear_pointer (&f->link_labels, g_ptr_array_unref);
  g_clear_pointer (&f->link_targets, g_ptr_array_unref);
}

static void
start_links (Fixture *f)
{
  clear_links (f);
  f->link_labels = g_ptr_array_new_with_free_func (g_object_unref);
  f->link_targets = g_ptr_array_new_with_free_func (g_free);
}

/* What a click does: GtkLabel emits activate-link. The window's handler,
 * the one that launches, is blocked: only the count says what got through. */
static gboolean
follow_link (Fixture    *f,
             GtkLabel   *label,
             const char *target)
{
  gboolean handled = FALSE;
  guint expected = f->uris_expected;

  g_signal_handlers_block_matched (f->article, G_SIGNAL_MATCH_DATA, 0, 0, NULL, NULL, f->window);
  f->expect_uri = TRUE;
  g_signal_emit_by_name (label, "activate-link", target, &handled);
  f->expect_uri = FALSE;
  g_signal_handlers_unblock_matched (f->article, G_SIGNAL_MATCH_DATA, 0, 0, NULL, NULL, f->window);

  if (!handled)
    finding (f, "activate-link for “%s” was left to GTK", target);

  f->n_links_followed++;
  return f->uris_expected > expected;
}

typedef struct
{
  Fixture    *f;
  guint       asked;
  const char *entry_id;
} EntryWait;

/* The link was taken (open-entry emitted), and its entry is shown. */
static gboolean
entry_is_shown (gpointer data)
{
  EntryWait *wait = data;
  GlossEntry *entry = gloss_article_get_entry (wait->f->article);

  return wait->f->entries_asked > wait->asked &&
         entry != NULL && g_strcmp0 (gloss_entry_get_id (entry), wait->entry_id) == 0 &&
         !gloss_article_get_building (wait->f->article);
}

/* Follows every link collected from labels; at most one entry link, which
 * rebuilds the article. */
static void
follow_collected_links (Fixture *f)
{
  g_autoptr(GPtrArray) labels = g_steal_pointer (&f->link_labels);
  g_autoptr(GPtrArray) targets = g_steal_pointer (&f->link_targets);
  gboolean followed_entry = FALSE;

  clear_links (f);
  if (labels == NULL)
    return;

  for (guint i = 0; i < labels->len; i++)
    {
      GtkLabel *label = g_ptr_array_index (labels, i);
      const char *target = g_ptr_array_index (targets, i);
      g_autofree char *entry_id = NULL;

      switch (gloss_link_classify (target, &entry_id))
        {
        case GLOSS_LINK_EXTERNAL:
          if (!follow_link (f, label, target))
            finding (f, "an allowed link “%s” did not reach open-uri", target);
          else if (g_strcmp0 (f->last_uri, target) != 0)
            finding (f, "the link “%s” reached open-uri as “%s”", target, f->last_uri);
          break;

        case GLOSS_LINK_ENTRY:
          if (!followed_entry)
            {
              EntryWait wait = { f, f->entries_asked, entry_id };

              followed_entry = TRUE;
              if (follow_link (f, label, target))
                finding (f, "an entry link “%s” reached open-uri", target);
              if (!wait_until (entry_is_shown, &wait, time_limit_ms))
                finding (f, "following “%s” did not show that entry within %u ms",
                         target, time_limit_ms);
            }
          break;

        case GLOSS_LINK_REFUSED:
        default:
          g_assert_not_reached ();
        }
    }
}

/* Targets that must never reach the launcher, whatever label they come
 * from; entry: ones name no entry of any hostile bundle. */
static const char * const refused_targets[] = {
  "javascript:alert(1)", "JAVASCRIPT:alert(1)", "file:///etc/passwd", "FILE:/etc/passwd",
  "data:text/html,<b>x</b>", "vbscript:msgbox(1)", "relative/path", "../../etc/passwd",
  "/etc/passwd", "//evil.example/", "https://user@evil.example/",
  "https://good.example@evil.example/", "https://user:pw@evil.example/",
  "mailto:someone@example.org?attach=/etc/passwd",
  "mailto:someone@example.org?attachment=/etc/passwd", "about:blank", "ftp://example.org/",
  "smb://evil/share", "https://", "https:evil.example", "entry:NOT-VALID", "ENTRY:missing",
  "entry:", "", " https://example.org/", "https://example.org/\n",
};

static void
follow_refused_targets (Fixture *f)
{
  GtkWidget *label = gloss_test_find_widget (GTK_WIDGET (f->article), GTK_TYPE_LABEL, "gloss-paragraph");
  g_autofree char *long_url = NULL;
  GlossEntry *shown = gloss_article_get_entry (f->article);

  if (label == NULL)
    return;

  for (guint i = 0; i < G_N_ELEMENTS (refused_targets); i++)
    {
      if (follow_link (f, GTK_LABEL (label), refused_targets[i]))
        finding (f, "refused target “%s” reached open-uri", refused_targets[i]);
    }

  /* Over GLOSS_LINK_MAX_LENGTH: refused however good its scheme. */
  long_url = g_strnfill (GLOSS_LINK_MAX_LENGTH + 10, 'a');
  memcpy (long_url, "https://example.org/", strlen ("https://example.org/"));
  if (follow_link (f, GTK_LABEL (label), long_url))
    finding (f, "a %zu-byte URL reached open-uri", strlen (long_url));

  /* No entry link among them: the article still shows the same entry. */
  wait_ms (5);
  g_assert_true (gloss_article_get_entry (f->article) == shown);
}

/* Entries */

/* Bundle text as a label shows it: without what never shows, tabs as
 * spaces and runs of spaces as one (labels collapse them). */
static char *
as_shown (const char *text)
{
  g_autofree char *visible = without_invisible (text);
  GString *out = g_string_sized_new (strlen (visible));

  for (const char *p = visible; *p != '\0'; p++)
    {
      char c = *p == '\t' ? ' ' : *p;

      if (c == ' ' && out->len > 0 && out->str[out->len - 1] == ' ')
        continue;
      g_string_append_c (out, c);
    }

  return g_string_free (out, FALSE);
}

/* Each question shows in its row's title, cut to FAQ_TITLE_CHARS and "…"
 * when longer; opened, a cut one shows whole above its answer. */
static void
check_question (Fixture        *f,
                AdwExpanderRow *row,
                const GlossFaq *faq)
{
  g_autofree char *question = as_shown (faq->question);
  g_autofree char *title = as_shown (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)));
  GtkWidget *whole = gloss_test_find_widget (GTK_WIDGET (row), GTK_TYPE_LABEL, "gloss-answer-question");

  if (g_utf8_strlen (faq->question, -1) <= FAQ_TITLE_CHARS)
    {
      if (g_strcmp0 (title, question) != 0)
        finding (f, "the question “%s” shows as “%s”", question, title);
      if (whole != NULL)
        finding (f, "the question “%s” is repeated above its answer", question);
      return;
    }

  {
    g_autofree char *cut = g_utf8_substring (faq->question, 0, FAQ_TITLE_CHARS);
    g_autofree char *cut_shown = as_shown (cut);
    g_autofree char *expected = g_strconcat (cut_shown, "…", NULL);

    if (g_strcmp0 (title, expected) != 0)
      finding (f, "a long question's title is “%s”, not its start and “…”", title);
  }

  if (whole == NULL)
    finding (f, "a long question is not shown whole with its answer");
  else
    {
      g_autofree char *shown = as_shown (gtk_label_get_text (GTK_LABEL (whole)));

      if (g_strcmp0 (shown, question) != 0)
        finding (f, "a long question shows as “%s” with its answer", shown);
    }
}

static void
expand_faq (Fixture *f)
{
  g_autoptr(GPtrArray) rows = g_ptr_array_new ();
  GlossEntry *entry = gloss_article_get_entry (f->article);
  const GlossFaq *faq;
  guint n_faq;

  faq = gloss_entry_get_faq (entry, &n_faq);
  gloss_test_collect_widgets (GTK_WIDGET (f->article), ADW_TYPE_EXPANDER_ROW, NULL, rows);
  g_assert_cmpuint (rows->len, <=, n_faq);
  for (guint i = 0; i < rows->len && i < MAX_FAQ_EXPANDED; i++)
    {
      gint64 start = g_get_monotonic_time ();

      adw_expander_row_set_expanded (g_ptr_array_index (rows, i), TRUE);
      g_main_context_iteration (NULL, FALSE);
      if (ms_since (start) > time_limit_ms)
        finding (f, "opening a FAQ answer took %.0f ms", ms_since (start));

      /* The first page shows the first questions, in order. */
      check_question (f, g_ptr_array_index (rows, i), &faq[i]);
    }

  /* A long answer comes in slices too. */
  if (!wait_until (article_complete, f->article, time_limit_ms * 5))
    finding (f, "answers still building after %u ms", time_limit_ms * 5);
}

/* Pages */

/* What the sections show: their blocks' text, one a line, as shown. */
static void
append_block_text (GString    *out,
                   const char *text)
{
  g_autofree char *shown = as_shown (text);

  if (shown[0] == '\0')
    return;
  g_string_append (out, shown);
  g_string_append_c (out, '\n');
}

static GString *
sections_text (GlossEntry *entry)
{
  GString *out = g_string_new (NULL);
  const GlossSection *sections;
  guint n_sections;

  sections = gloss_entry_get_sections (entry, &n_sections);
  for (guint i = 0; i < n_sections; i++)
    {
      g_autoptr(GPtrArray) blocks = gloss_markdown_render (sections[i].body, -1, NULL, NULL);

      for (guint j = 0; j < blocks->len; j++)
        append_block_text (out, ((GlossBlock *)g_ptr_array_index (blocks, j))->text);
    }

  return out;
}

static gboolean
is_block_label (GtkWidget *widget)
{
  static const char * const classes[] = {
    "gloss-paragraph", "gloss-quote", "gloss-code", "gloss-block-heading",
    "gloss-block-subheading",
  };

  for (guint i = 0; i < G_N_ELEMENTS (classes); i++)
    {
      if (gtk_widget_has_css_class (widget, classes[i]))
        return TRUE;
    }

  return FALSE;
}

/* The text of the sections on the page shown (answers left out). */
static void
append_page_text (Fixture *f,
                  GString *out)
{
  g_autoptr(GPtrArray) sections = g_ptr_array_new ();

  gloss_test_collect_widgets (GTK_WIDGET (f->article), GTK_TYPE_BOX, "gloss-section", sections);
  for (guint i = 0; i < sections->len; i++)
    {
      g_autoptr(GPtrArray) labels = g_ptr_array_new ();

      gloss_test_collect_widgets (g_ptr_array_index (sections, i), GTK_TYPE_LABEL, NULL, labels);
      for (guint j = 0; j < labels->len; j++)
        {
          GtkWidget *label = g_ptr_array_index (labels, j);

          if (is_block_label (label))
            append_block_text (out, gtk_label_get_text (GTK_LABEL (label)));
        }
    }
}

typedef struct
{
  GlossArticle *article;
  GtkWidget    *button;  /* weak: it goes with the page it ends or starts */
} PageTurn;

static gboolean
page_turned (gpointer data)
{
  PageTurn *turn = data;

  return turn->button == NULL && !gloss_article_get_building (turn->article);
}

/* Clicks @button, which takes its page down; FALSE if the next page did not
 * come within the time limit. */
static gboolean
turn_page (Fixture   *f,
           GtkWidget *button)
{
  PageTurn turn = { f->article, button };
  gboolean turned;

  g_object_add_weak_pointer (G_OBJECT (button), (gpointer *)&turn.button);
  g_signal_emit_by_name (button, "clicked");
  turned = wait_until (page_turned, &turn, time_limit_ms * 5);
  if (turn.button != NULL)
    g_object_remove_weak_pointer (G_OBJECT (turn.button), (gpointer *)&turn.button);

  return turned;
}

/* A long entry is read a page at a time: each page takes the place of the
 * last, under the same headline, and the pages show the sections' text in
 * order, every character once; "Back to the Start" shows the first page. */
static void
read_pages (Fixture    *f,
            GlossEntry *entry,
            guint       row)
{
  g_autoptr(GString) expected = NULL;
  g_autoptr(GString) seen = g_string_new (NULL);
  g_autofree char *title = without_zwsp (gloss_entry_get_title (entry));
  GtkWidget *more;
  guint pages = 1;

  /* A link followed may have shown another entry. */
  if (gloss_article_get_entry (f->article) != entry)
    {
      g_signal_emit_by_name (f->list, "activate", row);
      if (!wait_until (article_complete, f->article, time_limit_ms * 5))
        finding (f, "still building its first page after %u ms", time_limit_ms * 5);
    }
  g_assert_true (gloss_article_get_entry (f->article) == entry);

  expected = sections_text (entry);
  append_page_text (f, seen);
  while ((more = gloss_test_find_widget (GTK_WIDGET (f->article), GTK_TYPE_BUTTON, "gloss-more")) != NULL &&
         pages < (slow_tool ? 2 : MAX_PAGES))
    {
      g_autofree char *shown = NULL;

      if (!turn_page (f, more))
        {
          finding (f, "page %u did not come within %u ms", pages + 1, time_limit_ms * 5);
          return;
        }
      pages++;

      shown = without_zwsp (headline (f));
      if (g_strcmp0 (shown, title) != 0)
        finding (f, "page %u has the headline “%s”", pages, shown);
      if (gloss_test_find_widget (GTK_WIDGET (f->article), GTK_TYPE_BUTTON, "gloss-start") == NULL)
        finding (f, "page %u has no way back to the start", pages);
      append_page_text (f, seen);
      check_all_windows (f);
    }

  if (!g_str_has_prefix (expected->str, seen->str))
    finding (f, "%u pages do not show the sections' text in order", pages);
  else if (more == NULL && !g_str_equal (expected->str, seen->str))
    finding (f, "the last of %u pages ends before the sections' text does", pages);

  if (pages > 1)
    {
      GtkWidget *start = gloss_test_find_widget (GTK_WIDGET (f->article), GTK_TYPE_BUTTON, "gloss-start");
      g_autoptr(GString) first = g_string_new (NULL);

      if (start == NULL || !turn_page (f, start))
        {
          finding (f, "“Back to the Start” did not show the first page");
          return;
        }
      append_page_text (f, first);
      if (gloss_test_find_widget (GTK_WIDGET (f->article), GTK_TYPE_BUTTON, "gloss-start") != NULL ||
          !g_str_has_prefix (expected->str, first->str))
        finding (f, "“Back to the Start” did not show the first page");
    }

  if (pages > 1)
    g_test_message ("%s: read %u pages", f->name, pages);
}

static void
view_entry (Fixture    *f,
            GlossEntry *entry,
            guint       row)
{
  GdkFrameClock *clock = gtk_widget_get_frame_clock (GTK_WIDGET (f->window));
  gint64 start = g_get_monotonic_time ();
  g_autofree char *title = NULL;
  g_autofree char *shown = NULL;
  g_autofree char *term = NULL;
  guint paints = 0;
  gulong id;
  double first_view;
  double complete;

  /* First view: the entry is in the article and a frame shows it. The rest
   * of its first page follows in idle slices that keep the window
   * responsive; those get a looser hang guard. */
  id = g_signal_connect_swapped (clock, "after-paint", G_CALLBACK (count_paint), &paints);
  g_signal_emit_by_name (f->list, "activate", row);
  if (!slow_tool && !f->window_broken &&
      !wait_until (count_positive, &paints, time_limit_ms * 2))
    {
      finding (f, "the window stopped painting");
      f->window_broken = TRUE;
    }
  g_signal_handler_disconnect (clock, id);
  first_view = ms_since (start);

  if (!wait_until (article_complete, f->article, time_limit_ms * 5))
    finding (f, "still building its first page after %u ms", time_limit_ms * 5);
  complete = ms_since (start);

  g_test_message ("%s: shown in %.1f ms, first page complete in %.1f ms",
                  f->name, first_view, complete);
  if (first_view > time_limit_ms)
    finding (f, "the first view took %.0f ms", first_view);
  if (first_view * 1000 > f->slowest_view_us)
    {
      f->slowest_view_us = first_view * 1000;
      g_free (f->slowest_view);
      f->slowest_view = g_strdup (f->name);
    }
  if (complete * 1000 > f->slowest_page_us)
    {
      f->slowest_page_us = complete * 1000;
      g_free (f->slowest_page);
      f->slowest_page = g_strdup (f->name);
    }
  f->n_entries_shown++;

  /* The article shows this entry, its headline as the bundle has it. */
  if (gloss_article_get_entry (f->article) != entry)
    g_error ("%s: row %u: the article shows %s", f->name, row,
             gloss_article_get_entry (f->article)
               ? gloss_entry_get_id (gloss_article_get_entry (f->article)) : "nothing");
  g_assert_nonnull (headline (f));
  title = without_zwsp (gloss_entry_get_title (entry));
  shown = without_zwsp (headline (f));
  g_assert_cmpstr (shown, ==, title);

  /* The window title starts with the term and ends with the bundle's. */
  term = gloss_text_for_row (gloss_entry_get_term (entry));
  g_assert_true (g_str_has_prefix (gtk_window_get_title (GTK_WINDOW (f->window)), term));
  g_assert_true (g_str_has_suffix (gtk_window_get_title (GTK_WINDOW (f->window)),
                                   gloss_bundle_get_title (gloss_window_get_bundle (f->window))));

  expand_faq (f);
  check_all_windows (f);
}

static void
view_every_entry (Fixture *f)
{
  GlossBundle *bundle = gloss_window_get_bundle (f->window);
  guint n_rows = g_list_model_get_n_items (list_model (f));
  guint n_visible = 0;
  gboolean followed_refused = FALSE;

  /* Every entry the filters allow is a row; mature ones are hidden. */
  for (guint i = 0; i < gloss_bundle_get_n_entries (bundle); i++)
    {
      GlossEntry *entry = gloss_bundle_get_entry (bundle, i);

      if (!gloss_entry_get_mature (entry))
        n_visible++;
      else if (gloss_window_show_entry_id (f->window, gloss_entry_get_id (entry)))
        finding (f, "the mature entry %s was shown", gloss_entry_get_id (entry));
    }
  g_assert_cmpuint (n_rows, ==, n_visible);

  for (guint row = 0; row < n_rows; row++)
    {
      g_autoptr(GlossHit) hit = g_list_model_get_item (list_model (f), row);
      GlossEntry *entry = gloss_hit_get_entry (hit);

      g_assert_false (gloss_entry_get_mature (entry));
      g_free (f->entry_name);
      f->entry_name = g_strdup_printf ("%s#%s", f->file, gloss_entry_get_id (entry));
      f->name = f->entry_name;
      start_links (f);
      view_entry (f, entry, row);
      if (!followed_refused)
        {
          follow_refused_targets (f);
          followed_refused = TRUE;
        }
      follow_collected_links (f);
      read_pages (f, entry, row);
    }

  f->name = f->file;
}

/* The other windows a bundle's text reaches. */
static void
check_side_windows (Fixture *f)
{
  GlossBundle *bundle = gloss_window_get_bundle (f->window);
  GtkWindow *other;
  GtkWidget *preferences;
  GtkDropDown *categories;
  guint n_categories;

  gtk_widget_activate_action (GTK_WIDGET (f->window), "win.bundle-info", NULL);
  wait_ms (5);
  other = find_other_window (f, NULL);
  g_assert_nonnull (other);
  check_all_windows (f);
  destroy_window (other);

  if (gloss_bundle_get_problems (bundle)->len > 0)
    {
      gtk_widget_activate_action (GTK_WIDGET (f->window), "win.show-problems", NULL);
      wait_ms (5);
      other = find_other_window (f, NULL);
      g_assert_nonnull (other);
      g_assert_nonnull (gloss_test_find_widget (GTK_WIDGET (other), GTK_TYPE_TEXT_VIEW, NULL));
      check_all_windows (f);
      destroy_window (other);
    }

  /* Tags in preference rows, whose titles are markup by default. */
  preferences = gloss_preferences_window_new (GTK_WINDOW (f->window), bundle);
  gtk_window_present (GTK_WINDOW (preferences));
  wait_ms (5);
  check_all_windows (f);
  destroy_window (GTK_WINDOW (preferences));

  /* Category names in the drop-down's button. */
  categories = GTK_DROP_DOWN (gloss_test_find_widget (GTK_WIDGET (f->window), GTK_TYPE_DROP_DOWN, NULL));
  gloss_bundle_get_categories (bundle, &n_categories);
  if (categories != NULL && n_categories > 0)
    {
      GtkWidget *popover;

      for (guint i = 1; i <= MIN (n_categories, 4); i++)
        {
          gtk_drop_down_set_selected (categories, i);
          wait_ms (2);
          check_all_windows (f);
        }
      gtk_drop_down_set_selected (categories, 0);

      /* The list of every category name, in a popover of its own. */
      g_signal_emit_by_name (categories, "activate");
      wait_ms (20);
      popover = gloss_test_find_widget (GTK_WIDGET (categories), GTK_TYPE_POPOVER, NULL);
      g_assert_nonnull (popover);
      if (gtk_widget_get_visible (popover))
        {
          int width;

          gtk_widget_measure (popover, GTK_ORIENTATION_HORIZONTAL, -1, &width, NULL, NULL, NULL);
          if (width > MAX_WINDOW_SIZE)
            finding (f, "the category list needs at least %d pixels across", width);
          check_all_windows (f);
          gtk_popover_popdown (GTK_POPOVER (popover));
          wait_ms (5);
        }
    }
}

/* A search that matches the bundle's first row: explanations quote text. */
static void
check_search (Fixture *f)
{
  g_autoptr(GlossHit) hit = NULL;
  g_autofree char *query = NULL;
  const char *term;
  const char *end;

  if (g_list_model_get_n_items (list_model (f)) == 0)
    return;

  hit = g_list_model_get_item (list_model (f), 0);
  term = gloss_entry_get_term (gloss_hit_get_entry (hit));
  end = term;
  while (*end != '\0' && g_unichar_isalnum (g_utf8_get_char (end)) &&
         g_utf8_pointer_to_offset (term, end) < 20)
    end = g_utf8_next_char (end);
  query = end > term ? g_strndup (term, end - term) : g_strdup ("MKUP");

  f->searching = TRUE;
  search_for (f, query);
  wait_ms (5);
  check_all_windows (f);
  if (strcmp (query, "MKUP") != 0)
    {
      search_for (f, "MKUP");
      wait_ms (5);
      check_all_windows (f);
    }
  f->searching = FALSE;
  search_for (f, "");
}

/* One file */

static void
open_case (Fixture    *f,
           const char *path,
           gboolean    refused)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autofree char *basename = g_path_get_basename (path);
  g_autofree char *display = g_filename_display_name (basename);
  g_autofree char *before_title = g_strdup (gtk_window_get_title (GTK_WINDOW (f->window)));
  g_autofree char *before_headline = g_strdup (headline (f));
  GlossBundle *before = gloss_window_get_bundle (f->window);
  GlossEntry *before_entry = gloss_article_get_entry (f->article);
  GlossBundle *after;
  GtkWindow *dialog;
  gint64 start;
  double elapsed;

  f->name = f->file = display;
  f->file_findings = 0;
  g_test_message ("%s: opening (%s)", display, refused ? "must be refused" : "must open");

  start = g_get_monotonic_time ();
  gloss_window_open_file (f->window, file, NULL);
  if (!wait_until (not_loading, f->window, time_limit_ms * 5))
    g_error ("%s: still loading after %u ms", display, time_limit_ms * 5);
  elapsed = ms_since (start);
  g_test_message ("%s: loaded in %.1f ms", display, elapsed);
  if (elapsed > time_limit_ms)
    finding (f, "loading took %.0f ms", elapsed);
  wait_ms (5);

  /* Alive. */
  g_assert_true (GLOSS_IS_WINDOW (f->window));
  g_assert_true (gtk_widget_get_realized (GTK_WIDGET (f->window)));
  g_assert_true (slow_tool || gtk_widget_get_mapped (GTK_WIDGET (f->window)));
  after = gloss_window_get_bundle (f->window);
  g_assert_nonnull (after);
  dialog = find_message_dialog ();

  if (refused)
    {
      const char *body;

      if (after != before)
        {
          finding (f, "must be refused, but it opened");
          check_all_windows (f);
          return;
        }

      /* Nothing changed: the bundle, the article, the title. */
      g_assert_true (gloss_article_get_entry (f->article) == before_entry);
      g_assert_cmpstr (headline (f), ==, before_headline);
      g_assert_cmpstr (gtk_window_get_title (GTK_WINDOW (f->window)), ==, before_title);

      /* One message that names the file. */
      if (dialog == NULL)
        {
          finding (f, "refused without a message");
          return;
        }
      body = adw_message_dialog_get_body (ADW_MESSAGE_DIALOG (dialog));
      g_assert_nonnull (body);
      {
        /* As shown: controls and bidi controls in a name may be taken out. */
        g_autofree char *shown_body = without_invisible (body);
        g_autofree char *shown_name = without_invisible (display);

        if (strstr (shown_body, shown_name) == NULL)
          finding (f, "the message does not name the file: %s", body);
      }
      g_assert_false (adw_message_dialog_get_body_use_markup (ADW_MESSAGE_DIALOG (dialog)));
      g_assert_false (adw_message_dialog_get_heading_use_markup (ADW_MESSAGE_DIALOG (dialog)));
      g_test_message ("%s: %s", display, body);

      check_all_windows (f);
      destroy_window (dialog);
      g_assert_null (find_message_dialog ());
    }
  else
    {
      const char *title;

      if (dialog != NULL)
        {
          finding (f, "must open, but was refused: %s",
                   adw_message_dialog_get_body (ADW_MESSAGE_DIALOG (dialog)));
          check_all_windows (f);
          destroy_window (dialog);
          return;
        }
      g_assert_true (after != before);
      g_assert_true (g_file_equal (gloss_bundle_get_file (after), file));

      /* The title is the bundle's, as loaded, as plain text. */
      title = gloss_bundle_get_title (after);
      g_assert_nonnull (title);
      g_assert_false (gloss_text_is_blank (title));
      for (const char *p = title; *p != '\0'; p = g_utf8_next_char (p))
        {
          gunichar c = g_utf8_get_char (p);

          if (is_bidi_control (c))
            {
              finding (f, "the bundle's title keeps bidi control U+%04X", c);
              break;
            }
        }
      g_assert_cmpstr (gtk_window_get_title (GTK_WINDOW (f->window)), ==, title);
      g_assert_null (gloss_article_get_entry (f->article));

      check_all_windows (f);
      view_every_entry (f);
      check_side_windows (f);
      check_search (f);
      check_all_windows (f);
    }

  /* Nothing reached the launcher. */
  g_assert_cmpuint (f->uris_unexpected, ==, 0);
  f->name = "between files";
}

static int
compare_names (gconstpointer a,
               gconstpointer b)
{
  return strcmp (*(const char * const *)a, *(const char * const *)b);
}

static GPtrArray *
list_hostile_files (const char *dir_path)
{
  g_autoptr(GDir) dir = g_dir_open (dir_path, 0, NULL);
  GPtrArray *names = g_ptr_array_new_with_free_func (g_free);
  /* GLOSS_HOSTILE_ONLY=SUBSTRING narrows the run, to chase one finding. */
  const char *only = g_getenv ("GLOSS_HOSTILE_ONLY");
  const char *name;

  g_assert_nonnull (dir);
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      if (g_str_has_suffix (name, ".json") && (only == NULL || strstr (name, only) != NULL))
        g_ptr_array_add (names, g_strdup (name));
    }
  g_ptr_array_sort (names, compare_names);

  return names;
}

static void
show_first_entry (Fixture *f)
{
  g_assert_cmpuint (g_list_model_get_n_items (list_model (f)), >, 0);
  g_signal_emit_by_name (f->list, "activate", 0);
  g_assert_true (wait_until (article_complete, f->article, 2000 + time_limit_ms * 2));
  g_assert_nonnull (headline (f));
}

static void
test_every_file (Fixture       *f,
                 gconstpointer  data)
{
  g_autofree char *dir = g_test_build_filename (G_TEST_DIST, "data", "hostile", NULL);
  g_autoptr(GPtrArray) names = list_hostile_files (dir);
  guint n_refused = 0;
  gint64 start = g_get_monotonic_time ();

  if (g_getenv ("GLOSS_HOSTILE_ONLY") == NULL)
    g_assert_cmpuint (names->len, >=, 40);

  /* Built-in bundle, one entry shown. */
  show_first_entry (f);
  check_all_windows (f);

  for (guint i = 0; i < names->len; i++)
    {
      const char *name = g_ptr_array_index (names, i);
      g_autofree char *path = g_build_filename (dir, name, NULL);
      gboolean refused = g_str_has_prefix (name, "refused-");

      open_case (f, path, refused);
      n_refused += refused;

      /* Keep an entry on show, so that a refusal has something to keep. */
      if (!refused && g_list_model_get_n_items (list_model (f)) > 0)
        show_first_entry (f);
    }

  g_test_message ("%u files (%u refused) in %.1f s; %u entries shown, slowest first view %s "
                  "in %.1f ms, slowest first page %s in %.1f ms; %u labels checked, "
                  "%u links followed",
                  names->len, n_refused, ms_since (start) / 1000, f->n_entries_shown,
                  f->slowest_view ? f->slowest_view : "-", f->slowest_view_us / 1000.0,
                  f->slowest_page ? f->slowest_page : "-", f->slowest_page_us / 1000.0,
                  f->n_labels_checked, f->n_links_followed);
  report_findings (f);
}

/* Files that cannot be committed: made here, in a private folder. */
static void
test_made_at_run_time (Fixture       *f,
                       gconstpointer  data)
{
  g_autofree char *tmp = g_dir_make_tmp ("gloss-hostile-XXXXXX", NULL);
  g_autofree char *source_dir = g_test_build_filename (G_TEST_DIST, "data", "hostile", NULL);
  g_autofree char *fifo = g_build_filename (tmp, "refused-fifo.json", NULL);
  g_autofree char *folder = g_build_filename (tmp, "refused-folder.json", NULL);
  g_autofree char *huge = g_build_filename (tmp, "refused-257-mib.json", NULL);
  g_autofree char *missing = g_build_filename (tmp, "refused-missing.json", NULL);
  g_autofree char *bad_name = g_build_filename (tmp, "refused-<b>MKUP<i> &amp; \x1b[2J\u202e"
                                                "nosj.exe.json", NULL);
  g_autofree char *good_name = g_build_filename (tmp, "<i>MKUP<b> &lt; \u202eevil.json", NULL);
  g_autofree char *syntax = NULL;
  g_autofree char *no_title = NULL;
  g_autofree char *contents = NULL;
  gsize length;
  int fd;

  g_assert_nonnull (tmp);
  show_first_entry (f);

  /* A FIFO nobody writes to: opening it must not block. */
  g_assert_cmpint (mkfifo (fifo, 0600), ==, 0);
  open_case (f, fifo, TRUE);

  g_assert_cmpint (g_mkdir (folder, 0700), ==, 0);
  open_case (f, folder, TRUE);

  /* Sparse: refused on its size, before a byte is read. */
  fd = g_open (huge, O_CREAT | O_WRONLY, 0600);
  g_assert_cmpint (fd, >=, 0);
  g_assert_cmpint (ftruncate (fd, (off_t)257 * 1024 * 1024), ==, 0);
  close (fd);
  open_case (f, huge, TRUE);

  open_case (f, missing, TRUE);

  /* File names are shown too: in the message, and as the title of a
   * bundle without one. */
  syntax = g_build_filename (source_dir, "refused-syntax-error.json", NULL);
  g_assert_true (g_file_get_contents (syntax, &contents, &length, NULL));
  g_assert_true (g_file_set_contents (bad_name, contents, length, NULL));
  open_case (f, bad_name, TRUE);
  g_clear_pointer (&contents, g_free);

  no_title = g_build_filename (source_dir, "no-title.json", NULL);
  g_assert_true (g_file_get_contents (no_title, &contents, &length, NULL));
  g_assert_true (g_file_set_contents (good_name, contents, length, NULL));
  open_case (f, good_name, FALSE);

  /* A toast quoting a hostile id (an id can come from the command line or
   * the Shell's search provider): escaped, and plain to read. */
  f->name = "a toast for a hostile entry id";
  g_assert_false (gloss_window_show_entry_id (f->window, "<b>MKUP</b> \u202e\x1b[2J"));
  wait_ms (20);
  check_all_windows (f);

  g_unlink (fifo);
  g_rmdir (folder);
  g_unlink (huge);
  g_unlink (bad_name);
  g_unlink (good_name);
  g_rmdir (tmp);
  report_findings (f);
}

/* Under valgrind everything is some fifty times slower. */
static gboolean
running_on_valgrind (void)
{
  g_autofree char *maps = NULL;

  return g_file_get_contents ("/proc/self/maps", &maps, NULL, NULL) &&
         strstr (maps, "vgpreload") != NULL;
}

int
main (int   argc,
      char *argv[])
{
  g_setenv ("GSETTINGS_BACKEND", "memory", TRUE);
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();

  /* Pango lays out text with many small allocations, and `make check-asan`
   * unwinds the stack on every one (fast_unwind_on_malloc=0): long text
   * lays out some fifty times slower there, as everything does under
   * valgrind. There the window is hidden once painted, so that our code
   * runs in full but the layout of huge text, Pango's, is left out; sizes
   * and frames are checked in the plain build. The limits stay hang guards. */
#if defined(__SANITIZE_ADDRESS__)
  slow_tool = TRUE;
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
  slow_tool = TRUE;
#endif
#endif
  slow_tool |= running_on_valgrind ();
  if (slow_tool)
    time_limit_ms *= 60;

  /* "Within a second" holds on a machine to ourselves; when other work
   * holds the cores (a developer's fuzzers, parallel test runs), the guards
   * stretch by how oversubscribed the cores are. */
  {
    g_autofree char *loadavg = NULL;

    if (g_file_get_contents ("/proc/loadavg", &loadavg, NULL, NULL))
      {
        double load = g_ascii_strtod (loadavg, NULL);
        double factor = load / MAX (1, g_get_num_processors ());

        if (factor > 1)
          time_limit_ms = (guint)(time_limit_ms * MIN (factor, 10));
      }
  }

#define ADD(path, func) \
  g_test_add ("/gloss/hostile/" path, Fixture, NULL, fixture_setup, func, fixture_teardown)

  ADD ("every-file", test_every_file);
  ADD ("made-at-run-time", test_made_at_run_time);

  return g_test_run ();
}
