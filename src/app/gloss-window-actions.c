/* gloss-window-actions.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "gloss-window-actions"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "gloss-bookmark.h"
#include "gloss-library-item.h"
#include "gloss-text.h"
#include "gloss-window-private.h"

#define MAX_PROBLEMS_SHOWN 2000

static void
on_open_response (GtkNativeDialog *dialog,
                  int              response,
                  GlossWindow     *self)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));

      if (file == NULL)
        ;
      else if (g_object_get_data (G_OBJECT (dialog), "gloss-add") != NULL)
        gloss_window_add_file (self, file);
      else
        gloss_window_open_file (self, file, NULL);
    }

  gtk_native_dialog_destroy (dialog);
  g_object_unref (dialog);
}

/* Open replaces the glossaries shown; Add opens one more beside them. */
static void
open_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *param)
{
  GlossWindow *self = GLOSS_WINDOW (widget);
  gboolean add = g_str_equal (action_name, "win.add-bundle");
  g_autoptr(GtkFileFilter) bundles = gtk_file_filter_new ();
  g_autoptr(GtkFileFilter) all = gtk_file_filter_new ();
  GtkFileChooserNative *dialog;

  gtk_file_filter_set_name (bundles, _("Glossary bundles"));
  gtk_file_filter_add_mime_type (bundles, "application/x-gloss-bundle+json");
  gtk_file_filter_add_mime_type (bundles, "application/json");
  gtk_file_filter_add_suffix (bundles, "json");
  gtk_file_filter_set_name (all, _("All files"));
  gtk_file_filter_add_pattern (all, "*");

  dialog = gtk_file_chooser_native_new (add ? _("Add a Glossary to Search") : _("Open a Bundle"),
                                        GTK_WINDOW (self), GTK_FILE_CHOOSER_ACTION_OPEN,
                                        add ? _("_Add") : _("_Open"), _("_Cancel"));
  if (add)
    g_object_set_data (G_OBJECT (dialog), "gloss-add", GINT_TO_POINTER (1));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (dialog), TRUE);
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (dialog), bundles);
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (dialog), all);
  g_signal_connect (dialog, "response", G_CALLBACK (on_open_response), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (dialog));
}

static void
open_builtin_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *param)
{
  gloss_window_open_builtin (GLOSS_WINDOW (widget));
}

static void
search_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *param)
{
  GlossWindow *self = GLOSS_WINDOW (widget);

  adw_leaflet_set_visible_child (self->leaflet, GTK_WIDGET (self->sidebar));
  gtk_widget_grab_focus (GTK_WIDGET (self->search_entry));
  gtk_editable_select_region (GTK_EDITABLE (self->search_entry), 0, -1);
}

static void
back_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *param)
{
  _gloss_window_go_history (GLOSS_WINDOW (widget), -1);
}

static void
forward_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *param)
{
  _gloss_window_go_history (GLOSS_WINDOW (widget), +1);
}

static void
show_list_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *param)
{
  GlossWindow *self = GLOSS_WINDOW (widget);

  adw_leaflet_set_visible_child (self->leaflet, GTK_WIDGET (self->sidebar));
}

static void
zoom (GlossWindow *self,
      double       factor)
{
  double scale = factor == 0 ? 1.0 : g_settings_get_double (self->settings, "text-scale") * factor;

  g_settings_set_double (self->settings, "text-scale", CLAMP (scale, 0.6, 2.0));
}

static void
zoom_in_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *param)
{
  zoom (GLOSS_WINDOW (widget), 1.1);
}

static void
zoom_out_action (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *param)
{
  zoom (GLOSS_WINDOW (widget), 1 / 1.1);
}

static void
zoom_reset_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *param)
{
  zoom (GLOSS_WINDOW (widget), 0);
}

static void
filter_tag_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *param)
{
  _gloss_window_set_tag (GLOSS_WINDOW (widget), g_variant_get_string (param, NULL));
}

/* A row of plain text: preference rows read markup unless told not to. */
static void
add_info_row (AdwPreferencesGroup *group,
              const char          *title,
              const char          *value)
{
  GtkWidget *row;

  if (value == NULL || value[0] == '\0')
    return;

  row = adw_action_row_new ();
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  {
    /* Bundle text: give long runs places to wrap. */
    g_autofree char *breakable = gloss_text_breakable (value);
    adw_action_row_set_subtitle (ADW_ACTION_ROW (row), breakable);
  }
  adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (row), 0);
  gtk_widget_add_css_class (row, "property");
  adw_preferences_group_add (group, row);
}

static GtkWidget *
new_dialog_window (GlossWindow *self,
                   const char  *title,
                   GtkWidget   *child)
{
  GtkWidget *window = adw_window_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  GtkWidget *header = adw_header_bar_new ();
  GtkShortcutController *shortcuts;

  gtk_window_set_title (GTK_WINDOW (window), title);
  gtk_window_set_transient_for (GTK_WINDOW (window), GTK_WINDOW (self));
  gtk_window_set_modal (GTK_WINDOW (window), TRUE);
  gtk_window_set_default_size (GTK_WINDOW (window), 560, 620);
  gtk_widget_set_vexpand (child, TRUE);
  gtk_box_append (GTK_BOX (box), header);
  gtk_box_append (GTK_BOX (box), child);
  adw_window_set_content (ADW_WINDOW (window), box);

  shortcuts = GTK_SHORTCUT_CONTROLLER (gtk_shortcut_controller_new ());
  gtk_shortcut_controller_add_shortcut (shortcuts,
                                        gtk_shortcut_new (gtk_keyval_trigger_new (GDK_KEY_Escape, 0),
                                                          gtk_named_action_new ("window.close")));
  gtk_widget_add_controller (window, GTK_EVENT_CONTROLLER (shortcuts));

  return window;
}

/* A glossary's part of Bundle Info: what it is, then its details; under
 * @heading when the window searches several. */
static void
add_bundle_info (AdwPreferencesPage *page,
                 GlossBundle        *bundle,
                 const char         *heading)
{
  g_autofree char *authors = NULL;
  g_autofree char *counts = NULL;
  g_autofree char *path = NULL;
  GtkWidget *about = adw_preferences_group_new ();
  GtkWidget *details = adw_preferences_group_new ();
  guint n_categories;

  if (heading != NULL)
    adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (about), heading);
  adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (details), _("Details"));

  add_info_row (ADW_PREFERENCES_GROUP (about), _("Title"), gloss_bundle_get_title (bundle));
  add_info_row (ADW_PREFERENCES_GROUP (about), _("Description"),
                gloss_bundle_get_description (bundle));

  /* Translators: between two authors of a glossary */
  authors = g_strjoinv (C_("list separator", ", "), (char **)gloss_bundle_get_authors (bundle));
  gloss_bundle_get_categories (bundle, &n_categories);
  {
    guint n_entries = gloss_bundle_get_n_entries (bundle);
    guint n_skipped = gloss_bundle_get_n_skipped (bundle);
    guint n_warnings = gloss_bundle_get_n_warnings (bundle);
    g_autofree char *entries = NULL;
    g_autofree char *categories = NULL;
    g_autofree char *skipped = NULL;
    g_autofree char *warnings = NULL;

    entries = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u entry", "%u entries",
                                            n_entries), n_entries);
    categories = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u category", "%u categories",
                                               n_categories), n_categories);
    /* Translators: entries of a bundle that could not be read */
    skipped = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u skipped", "%u skipped",
                                            n_skipped), n_skipped);
    warnings = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u warning", "%u warnings",
                                             n_warnings), n_warnings);
    /* Translators: a bundle's counts: “120 entries”, “8 categories”,
     * “2 skipped”, “1 warning”; use %1$s… to reorder them */
    counts = g_strdup_printf (_("%s in %s; %s, %s"), entries, categories, skipped, warnings);
  }
  if (gloss_bundle_get_file (bundle) != NULL)
    {
      g_autofree char *native = g_file_get_path (gloss_bundle_get_file (bundle));
      path = native ? g_filename_display_name (native) : NULL;
    }

  add_info_row (ADW_PREFERENCES_GROUP (details), _("Entries"), counts);
  add_info_row (ADW_PREFERENCES_GROUP (details), _("Authors"), authors);
  add_info_row (ADW_PREFERENCES_GROUP (details), _("License"), gloss_bundle_get_license (bundle));
  add_info_row (ADW_PREFERENCES_GROUP (details), _("Language"),
                gloss_bundle_get_language (bundle));
  add_info_row (ADW_PREFERENCES_GROUP (details), _("Updated"), gloss_bundle_get_updated (bundle));
  add_info_row (ADW_PREFERENCES_GROUP (details), _("Identity"), gloss_bundle_get_id (bundle));
  add_info_row (ADW_PREFERENCES_GROUP (details), _("File"),
                path ? path : _("Built into Gloss"));

  adw_preferences_page_add (page, ADW_PREFERENCES_GROUP (about));
  adw_preferences_page_add (page, ADW_PREFERENCES_GROUP (details));
}

/* The open glossary, and each one added to its search. */
static void
bundle_info_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *param)
{
  GlossWindow *self = GLOSS_WINDOW (widget);
  guint n_bundles = self->group ? gloss_group_get_n_bundles (self->group) : 0;
  GtkWidget *page;

  if (self->bundle == NULL)
    return;

  /* A group still being made for a glossary just opened is the old one. */
  if (n_bundles > 0 && gloss_group_get_bundle (self->group, 0) != self->bundle)
    n_bundles = 0;

  page = adw_preferences_page_new ();
  if (n_bundles < 2)
    add_bundle_info (ADW_PREFERENCES_PAGE (page), self->bundle, NULL);
  else
    for (guint i = 0; i < n_bundles; i++)
      add_bundle_info (ADW_PREFERENCES_PAGE (page), gloss_group_get_bundle (self->group, i),
                       i == 0 ? _("Open Glossary") : _("Added to the Search"));

  gtk_window_present (GTK_WINDOW (new_dialog_window (self, _("Bundle Info"), page)));
}

static void
show_problems_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *param)
{
  GlossWindow *self = GLOSS_WINDOW (widget);
  g_autoptr(GString) text = g_string_new (NULL);
  GtkWidget *scroller;
  GtkWidget *view;
  GPtrArray *problems;

  if (self->bundle == NULL)
    return;

  problems = gloss_bundle_get_problems (self->bundle);
  for (guint i = 0; i < problems->len && i < MAX_PROBLEMS_SHOWN; i++)
    {
      const GlossProblem *problem = g_ptr_array_index (problems, i);

      g_string_append_printf (text, "%s %s\n    %s\n\n",
                              problem->severity == GLOSS_SEVERITY_ERROR ? "✖" : "⚠",
                              problem->location, problem->message);
    }
  if (problems->len > MAX_PROBLEMS_SHOWN)
    {
      guint more = problems->len - MAX_PROBLEMS_SHOWN;

      g_string_append_printf (text,
                              g_dngettext (GETTEXT_PACKAGE,
                                           "…and %u more; run “gloss-cli validate” "
                                           "for all of them.\n",
                                           "…and %u more; run “gloss-cli validate” "
                                           "for all of them.\n",
                                           more),
                              more);
    }

  view = gtk_text_view_new ();
  gtk_text_view_set_editable (GTK_TEXT_VIEW (view), FALSE);
  gtk_text_view_set_wrap_mode (GTK_TEXT_VIEW (view), GTK_WRAP_WORD_CHAR);
  gtk_text_view_set_monospace (GTK_TEXT_VIEW (view), TRUE);
  gtk_text_view_set_left_margin (GTK_TEXT_VIEW (view), 12);
  gtk_text_view_set_right_margin (GTK_TEXT_VIEW (view), 12);
  gtk_text_view_set_top_margin (GTK_TEXT_VIEW (view), 12);
  gtk_text_buffer_set_text (gtk_text_view_get_buffer (GTK_TEXT_VIEW (view)), text->str, -1);
  gtk_accessible_update_property (GTK_ACCESSIBLE (view), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Problems found in the bundle"), -1);

  scroller = gtk_scrolled_window_new ();
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scroller), view);

  gtk_window_present (GTK_WINDOW (new_dialog_window (self, _("Problems in This Bundle"),
                                                     scroller)));
}

static void
on_mature_confirm (AdwMessageDialog *dialog,
                   const char       *response,
                   GlossWindow      *self)
{
  if (g_str_equal (response, "show"))
    {
      g_settings_set_boolean (self->settings, "mature-confirmed", TRUE);
      g_settings_set_boolean (self->settings, "show-mature", TRUE);
    }
}

/* Turning mature entries on asks once, the first time. */
static void
change_show_mature (GSimpleAction *action,
                    GVariant      *value,
                    gpointer       user_data)
{
  GlossWindow *self = user_data;
  gboolean show = g_variant_get_boolean (value);

  if (show && !g_settings_get_boolean (self->settings, "mature-confirmed"))
    {
      GtkWidget *dialog;

      dialog = adw_message_dialog_new (GTK_WINDOW (self), _("Show Mature Entries?"),
                                       _("Some entries describe adult themes. They stay hidden "
                                         "everywhere (lists, search, cards and links) until you "
                                         "choose to see them. You can hide them again at any "
                                         "time from the menu."));
      adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                        "cancel", _("_Keep Hidden"),
                                        "show", _("_Show Mature Entries"),
                                        NULL);
      adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "show",
                                                  ADW_RESPONSE_DESTRUCTIVE);
      adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
      adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
      g_signal_connect (dialog, "response", G_CALLBACK (on_mature_confirm), self);
      gtk_window_present (GTK_WINDOW (dialog));
      return;
    }

  g_settings_set_boolean (self->settings, "show-mature", show);
}

static void
sync_show_mature (GlossWindow *self)
{
  GAction *action = g_action_map_lookup_action (G_ACTION_MAP (self), "show-mature");

  g_simple_action_set_state (G_SIMPLE_ACTION (action),
                             g_variant_new_boolean (g_settings_get_boolean (self->settings,
                                                                            "show-mature")));
}

static void
bookmark_action (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *param)
{
  GlossWindow *self = GLOSS_WINDOW (widget);
  GlossEntry *entry = gloss_article_get_entry (self->article);
  g_autoptr(GError) error = NULL;
  gboolean bookmarked;

  if (entry == NULL || self->bookmarks == NULL || self->bundle == NULL)
    return;

  if (!gloss_bookmarks_toggle (self->bookmarks, gloss_bundle_get_id (self->bundle),
                               gloss_entry_get_id (entry), gloss_entry_get_term (entry),
                               gloss_bundle_get_title (self->bundle), &bookmarked, &error))
    {
      _gloss_window_toast (self, error->message);
      return;
    }

  {
    g_autofree char *quoted = gloss_text_for_message (gloss_entry_get_term (entry));
    g_autofree char *text = g_strdup_printf (bookmarked ? _("“%s” bookmarked")
                                                        : _("Bookmark of “%s” removed"),
                                             quoted);
    _gloss_window_toast (self, text);
  }
}

static void
on_note_response (AdwMessageDialog *dialog,
                  const char       *response,
                  GlossWindow      *self)
{
  GtkEditable *editable = g_object_get_data (G_OBJECT (dialog), "gloss-note-entry");
  const char *entry_id = g_object_get_data (G_OBJECT (dialog), "gloss-entry-id");
  const char *bundle_key = g_object_get_data (G_OBJECT (dialog), "gloss-bundle-key");
  g_autoptr(GError) error = NULL;

  if (!g_str_equal (response, "save"))
    return;

  if (!gloss_bookmarks_set_note (self->bookmarks, bundle_key, entry_id,
                                 gtk_editable_get_text (editable), &error))
    _gloss_window_toast (self, error->message);
}

static void
edit_note_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *param)
{
  GlossWindow *self = GLOSS_WINDOW (widget);
  GlossEntry *entry = gloss_article_get_entry (self->article);
  GlossBookmark *bookmark;
  GtkWidget *dialog;
  GtkWidget *note;

  if (entry == NULL || self->bookmarks == NULL || self->bundle == NULL)
    return;

  bookmark = gloss_bookmarks_lookup (self->bookmarks, gloss_bundle_get_id (self->bundle),
                                     gloss_entry_get_id (entry));
  if (bookmark == NULL)
    return;

  dialog = adw_message_dialog_new (GTK_WINDOW (self), _("Bookmark Note"),
                                   _("A few words to remember why you kept this entry."));
  note = gtk_entry_new ();
  gtk_editable_set_text (GTK_EDITABLE (note),
                         gloss_bookmark_get_note (bookmark) ? gloss_bookmark_get_note (bookmark) : "");
  gtk_entry_set_activates_default (GTK_ENTRY (note), TRUE);
  gtk_accessible_update_property (GTK_ACCESSIBLE (note), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Note"), -1);
  adw_message_dialog_set_extra_child (ADW_MESSAGE_DIALOG (dialog), note);
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"),
                                    "save", _("_Save"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "save",
                                              ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "save");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_object_set_data (G_OBJECT (dialog), "gloss-note-entry", note);
  g_object_set_data_full (G_OBJECT (dialog), "gloss-entry-id",
                          g_strdup (gloss_entry_get_id (entry)), g_free);
  g_object_set_data_full (G_OBJECT (dialog), "gloss-bundle-key",
                          g_strdup (gloss_bundle_get_id (self->bundle)), g_free);
  g_signal_connect (dialog, "response", G_CALLBACK (on_note_response), self);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
on_clear_history_response (AdwMessageDialog *dialog,
                           const char       *response,
                           GlossWindow      *self)
{
  g_autoptr(GError) error = NULL;

  if (g_str_equal (response, "clear") && !gloss_history_clear (self->history_store, &error))
    _gloss_window_toast (self, error->message);
}

static void
clear_history_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *param)
{
  GlossWindow *self = GLOSS_WINDOW (widget);
  GtkWidget *dialog;

  if (self->history_store == NULL)
    return;

  dialog = adw_message_dialog_new (GTK_WINDOW (self), _("Clear History?"),
                                   _("The list of entries you have read will be emptied. "
                                     "Bookmarks stay."));
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"),
                                    "clear", _("C_lear"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "clear",
                                              ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_signal_connect (dialog, "response", G_CALLBACK (on_clear_history_response), self);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
on_export_response (GtkNativeDialog *dialog,
                    int              response,
                    GlossWindow     *self)
{
  const char *what = g_object_get_data (G_OBJECT (dialog), "gloss-export");

  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));
      g_autoptr(GBytes) bytes = NULL;
      g_autoptr(GError) error = NULL;

      if (g_str_equal (what, "bookmarks-json"))
        bytes = gloss_bookmarks_export_json (self->bookmarks);
      else if (g_str_equal (what, "history-json"))
        bytes = gloss_history_export_json (self->history_store);
      else
        {
          char *markdown = gloss_bookmarks_export_markdown (self->bookmarks);
          bytes = g_bytes_new_take (markdown, strlen (markdown));
        }

      if (!g_file_replace_contents (file, g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes),
                                    NULL, FALSE, G_FILE_CREATE_REPLACE_DESTINATION, NULL, NULL,
                                    &error))
        _gloss_window_toast (self, error->message);
      else
        _gloss_window_toast (self, _("Exported"));
    }

  gtk_native_dialog_destroy (dialog);
  g_object_unref (dialog);
}

static void
export_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *param)
{
  GlossWindow *self = GLOSS_WINDOW (widget);
  const char *what = g_variant_get_string (param, NULL);
  GtkFileChooserNative *dialog;

  if (self->bookmarks == NULL || self->history_store == NULL)
    return;

  dialog = gtk_file_chooser_native_new (_("Export"), GTK_WINDOW (self),
                                        GTK_FILE_CHOOSER_ACTION_SAVE, _("_Export"), _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (dialog), TRUE);
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (dialog),
                                     g_str_equal (what, "bookmarks-markdown")
                                       ? _("Gloss bookmarks.md")
                                       : g_str_equal (what, "history-json")
                                         ? _("Gloss history.json")
                                         : _("Gloss bookmarks.json"));
  g_object_set_data_full (G_OBJECT (dialog), "gloss-export", g_strdup (what), g_free);
  g_signal_connect (dialog, "response", G_CALLBACK (on_export_response), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (dialog));
}

static void
on_import_response (GtkNativeDialog *dialog,
                    int              response,
                    GlossWindow     *self)
{
  const char *what = g_object_get_data (G_OBJECT (dialog), "gloss-import");

  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));
      g_autoptr(GError) error = NULL;
      gboolean ok;
      guint n_added = 0;

      if (g_str_equal (what, "bookmarks"))
        ok = gloss_bookmarks_import_file (self->bookmarks, file, &n_added, &error);
      else
        ok = gloss_history_import_file (self->history_store, file, &n_added, &error);

      if (!ok)
        {
          g_autofree char *basename = g_file_get_basename (file);
          g_autofree char *display = g_filename_display_name (basename ? basename : "?");
          g_autofree char *name = gloss_text_for_message (display);
          g_autofree char *heading = g_strdup_printf (_("Could not import “%s”"), name);
          GtkWidget *error_dialog = adw_message_dialog_new (GTK_WINDOW (self), heading,
                                                            error->message);

          adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (error_dialog), "close",
                                           _("_Close"));
          gtk_window_present (GTK_WINDOW (error_dialog));
        }
      else
        {
          g_autofree char *text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                                "%u item imported",
                                                                "%u items imported", n_added),
                                                   n_added);
          _gloss_window_toast (self, text);
        }
    }

  gtk_native_dialog_destroy (dialog);
  g_object_unref (dialog);
}

static void
import_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *param)
{
  GlossWindow *self = GLOSS_WINDOW (widget);
  g_autoptr(GtkFileFilter) json = gtk_file_filter_new ();
  GtkFileChooserNative *dialog;

  if (self->bookmarks == NULL || self->history_store == NULL)
    return;

  gtk_file_filter_set_name (json, _("JSON files"));
  gtk_file_filter_add_mime_type (json, "application/json");
  gtk_file_filter_add_suffix (json, "json");

  dialog = gtk_file_chooser_native_new (_("Import"), GTK_WINDOW (self),
                                        GTK_FILE_CHOOSER_ACTION_OPEN, _("_Import"), _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (dialog), TRUE);
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (dialog), json);
  g_object_set_data_full (G_OBJECT (dialog), "gloss-import",
                          g_strdup (g_variant_get_string (param, NULL)), g_free);
  g_signal_connect (dialog, "response", G_CALLBACK (on_import_response), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (dialog));
}

static void
on_library_row_activated (AdwActionRow *row,
                          GlossWindow  *self)
{
  GtkWindow *library_window = GTK_WINDOW (gtk_widget_get_root (GTK_WIDGET (row)));
  GlossLibraryItem *item = g_object_get_data (G_OBJECT (row), "gloss-library-item");

  if (gloss_library_item_get_missing (item))
    return;

  gloss_window_open_file (self, gloss_library_item_get_file (item), NULL);
  gtk_window_close (library_window);
}

static void
on_library_builtin_activated (AdwActionRow *row,
                              GlossWindow  *self)
{
  GtkWindow *library_window = GTK_WINDOW (gtk_widget_get_root (GTK_WIDGET (row)));

  gloss_window_open_builtin (self);
  gtk_window_close (library_window);
}

/* The check beside a glossary: search it together with the one open. */
static void
on_library_together_toggled (GtkCheckButton *check,
                             GlossWindow    *self)
{
  GtkWidget *row = g_object_get_data (G_OBJECT (check), "gloss-row");
  GlossLibraryItem *item = g_object_get_data (G_OBJECT (row), "gloss-library-item");

  if (gtk_check_button_get_active (check))
    gloss_window_add_file (self, gloss_library_item_get_file (item));
  else
    gloss_window_remove_from_group (self, gloss_library_item_get_key (item));
}

static void
on_library_remove_clicked (GtkButton   *button,
                           GlossWindow *self)
{
  GtkWidget *row = g_object_get_data (G_OBJECT (button), "gloss-row");
  GlossLibraryItem *item = g_object_get_data (G_OBJECT (row), "gloss-library-item");
  g_autoptr(GError) error = NULL;

  if (!gloss_library_remove (self->library, gloss_library_item_get_key (item), &error))
    {
      _gloss_window_toast (self, error->message);
      return;
    }

  gtk_widget_set_visible (row, FALSE);
}

/* The bundle switcher: every glossary opened, newest first; one that moved
 * or vanished stays listed, marked missing, until the user removes it. */
static void
library_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *param)
{
  GlossWindow *self = GLOSS_WINDOW (widget);
  GtkWidget *page = adw_preferences_page_new ();
  GtkWidget *group = adw_preferences_group_new ();
  GListModel *model;
  guint n;

  if (self->library == NULL)
    return;

  gloss_library_check_missing (self->library);
  model = G_LIST_MODEL (self->library);
  n = g_list_model_get_n_items (model);

  adw_preferences_group_set_description (ADW_PREFERENCES_GROUP (group),
                                         n == 0 ? _("Glossaries you open appear here.")
                                                : _("Every glossary you have opened, most "
                                                    "recent first. Tick others to search them "
                                                    "together with the one open."));

  {
    GtkWidget *row = adw_action_row_new ();

    adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), _("Built-in Glossary"));
    adw_action_row_set_subtitle (ADW_ACTION_ROW (row), _("Comes with Gloss"));
    /* Not "win.open-builtin": this dialog is a window of its own, where
     * the main window's actions do not reach. */
    gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);
    g_signal_connect (row, "activated", G_CALLBACK (on_library_builtin_activated), self);
    adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), row);
  }

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(GlossLibraryItem) item = g_list_model_get_item (model, i);
      g_autofree char *path = g_filename_display_name (gloss_library_item_get_path (item));
      g_autofree char *subtitle = NULL;
      GtkWidget *row = adw_action_row_new ();
      GtkWidget *remove = gtk_button_new_from_icon_name ("user-trash-symbolic");
      GtkWidget *together = gtk_check_button_new ();
      GlossGroup *open = gloss_window_get_group (self);
      GlossBundle *bundle = open ? gloss_group_lookup_bundle (open, gloss_library_item_get_key (item))
                                 : NULL;
      gboolean is_last = bundle != NULL && bundle == gloss_window_get_bundle (self);

      if (gloss_library_item_get_missing (item))
        subtitle = g_strdup_printf (_("Missing: %s"), path);
      else
        subtitle = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u entry · %s",
                                                 "%u entries · %s",
                                                 gloss_library_item_get_n_entries (item)),
                                    gloss_library_item_get_n_entries (item), path);

      /* Titles and paths come from bundles and disks: plain text. */
      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row),
                                     gloss_library_item_get_title (item));
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
      adw_action_row_set_title_lines (ADW_ACTION_ROW (row), 2);
      adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (row), 2);
      if (gloss_library_item_get_missing (item))
        {
          GtkWidget *icon = gtk_image_new_from_icon_name ("dialog-warning-symbolic");

          gtk_widget_set_tooltip_text (icon, _("This file moved or was deleted"));
          adw_action_row_add_prefix (ADW_ACTION_ROW (row), icon);
        }
      else
        gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);

      /* Ticked when searched together; the one opened last always is. */
      gtk_widget_set_valign (together, GTK_ALIGN_CENTER);
      gtk_check_button_set_active (GTK_CHECK_BUTTON (together), bundle != NULL);
      gtk_widget_set_sensitive (together, !is_last && !gloss_library_item_get_missing (item));
      gtk_widget_set_tooltip_text (together, is_last ? _("This glossary is open")
                                                     : _("Search Together with the Open Glossary"));
      gtk_accessible_update_property (GTK_ACCESSIBLE (together), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                      _("Search together with the open glossary"), -1);
      g_object_set_data (G_OBJECT (together), "gloss-row", row);
      g_signal_connect (together, "toggled", G_CALLBACK (on_library_together_toggled), self);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), together);

      gtk_widget_set_valign (remove, GTK_ALIGN_CENTER);
      gtk_widget_add_css_class (remove, "flat");
      gtk_widget_set_tooltip_text (remove, _("Forget This Glossary"));
      gtk_accessible_update_property (GTK_ACCESSIBLE (remove), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                      _("Forget this glossary"), -1);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), remove);

      g_object_set_data_full (G_OBJECT (row), "gloss-library-item", g_object_ref (item),
                              g_object_unref);
      g_object_set_data (G_OBJECT (remove), "gloss-row", row);
      g_signal_connect (row, "activated", G_CALLBACK (on_library_row_activated), self);
      g_signal_connect (remove, "clicked", G_CALLBACK (on_library_remove_clicked), self);
      adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), row);
    }

  adw_preferences_page_add (ADW_PREFERENCES_PAGE (page), ADW_PREFERENCES_GROUP (group));
  gtk_window_present (GTK_WINDOW (new_dialog_window (self, _("Recent Glossaries"), page)));
}

/* The keyboard shortcuts window is built the first time it is asked for:
 * GtkApplication would build it (from gtk/help-overlay.ui) with every
 * window, before the window's first frame. */
static void
show_help_overlay_action (GtkWidget  *widget,
                          const char *action_name,
                          GVariant   *param)
{
  GtkApplicationWindow *window = GTK_APPLICATION_WINDOW (widget);
  GtkShortcutsWindow *overlay = gtk_application_window_get_help_overlay (window);

  if (overlay == NULL)
    {
      g_autoptr(GtkBuilder) builder = NULL;

      builder = gtk_builder_new_from_resource (RESOURCE_BASE "/gloss-shortcuts-window.ui");
      overlay = GTK_SHORTCUTS_WINDOW (gtk_builder_get_object (builder, "help_overlay"));
      gtk_application_window_set_help_overlay (window, overlay);
    }

  gtk_window_present (GTK_WINDOW (overlay));
}

void
_gloss_window_class_install_actions (GlossWindowClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  gtk_widget_class_install_action (widget_class, "win.open", NULL, open_action);
  gtk_widget_class_install_action (widget_class, "win.add-bundle", NULL, open_action);
  gtk_widget_class_install_action (widget_class, "win.open-builtin", NULL, open_builtin_action);
  gtk_widget_class_install_action (widget_class, "win.search", NULL, search_action);
  gtk_widget_class_install_action (widget_class, "win.back", NULL, back_action);
  gtk_widget_class_install_action (widget_class, "win.forward", NULL, forward_action);
  gtk_widget_class_install_action (widget_class, "win.show-list", NULL, show_list_action);
  gtk_widget_class_install_action (widget_class, "win.zoom-in", NULL, zoom_in_action);
  gtk_widget_class_install_action (widget_class, "win.zoom-out", NULL, zoom_out_action);
  gtk_widget_class_install_action (widget_class, "win.zoom-reset", NULL, zoom_reset_action);
  gtk_widget_class_install_action (widget_class, "win.filter-tag", "s", filter_tag_action);
  gtk_widget_class_install_action (widget_class, "win.bundle-info", NULL, bundle_info_action);
  gtk_widget_class_install_action (widget_class, "win.show-problems", NULL, show_problems_action);
  gtk_widget_class_install_action (widget_class, "win.bookmark", NULL, bookmark_action);
  gtk_widget_class_install_action (widget_class, "win.edit-note", NULL, edit_note_action);
  gtk_widget_class_install_action (widget_class, "win.clear-history", NULL, clear_history_action);
  gtk_widget_class_install_action (widget_class, "win.export", "s", export_action);
  gtk_widget_class_install_action (widget_class, "win.import", "s", import_action);
  gtk_widget_class_install_action (widget_class, "win.library", NULL, library_action);
  gtk_widget_class_install_action (widget_class, "win.show-help-overlay", NULL,
                                   show_help_overlay_action);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_o, GDK_CONTROL_MASK, "win.open", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_o, GDK_CONTROL_MASK | GDK_SHIFT_MASK,
                                       "win.add-bundle", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_f, GDK_CONTROL_MASK, "win.search", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Left, GDK_ALT_MASK, "win.back", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Right, GDK_ALT_MASK, "win.forward", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Back, 0, "win.back", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Forward, 0, "win.forward", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_plus, GDK_CONTROL_MASK, "win.zoom-in", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_equal, GDK_CONTROL_MASK, "win.zoom-in", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_KP_Add, GDK_CONTROL_MASK, "win.zoom-in", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_minus, GDK_CONTROL_MASK, "win.zoom-out", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_KP_Subtract, GDK_CONTROL_MASK, "win.zoom-out", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_0, GDK_CONTROL_MASK, "win.zoom-reset", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_KP_0, GDK_CONTROL_MASK, "win.zoom-reset", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_i, GDK_CONTROL_MASK, "win.bundle-info", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_d, GDK_CONTROL_MASK, "win.bookmark", NULL);
}

void
_gloss_window_init_actions (GlossWindow *self)
{
  g_autoptr(GSimpleAction) show_mature = NULL;

  show_mature = g_simple_action_new_stateful ("show-mature", NULL,
                                              g_variant_new_boolean (FALSE));
  g_signal_connect (show_mature, "change-state", G_CALLBACK (change_show_mature), self);
  g_action_map_add_action (G_ACTION_MAP (self), G_ACTION (show_mature));

  sync_show_mature (self);
  g_signal_connect_object (self->settings, "changed::show-mature",
                           G_CALLBACK (sync_show_mature), self, G_CONNECT_SWAPPED);
}
