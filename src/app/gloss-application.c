/* gloss-application.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "gloss-application"

#include "config.h"

#include <glib/gi18n.h>

#include "gloss-application.h"
#include "gloss-bookmarks.h"
#include "gloss-history.h"
#include "gloss-library.h"
#include "gloss-preferences-window.h"
#include "gloss-search-provider.h"
#include "gloss-window.h"

struct _GlossApplication
{
  AdwApplication  parent_instance;

  GSettings           *settings;
  GlossSearchProvider *search_provider;
  GlossBookmarks      *bookmarks;
  GlossHistory        *history;
  GlossLibrary        *library;
};

G_DEFINE_FINAL_TYPE (GlossApplication, gloss_application, ADW_TYPE_APPLICATION)

static const GOptionEntry option_entries[] = {
  { "entry", 'e', 0, G_OPTION_ARG_STRING, NULL,
    N_("Open the entry with this id"), N_("ID") },
  { "version", 0, 0, G_OPTION_ARG_NONE, NULL,
    N_("Print the version and exit"), NULL },
  { G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_FILENAME_ARRAY, NULL, NULL, NULL },
  { NULL }
};

GlossApplication *
gloss_application_new (void)
{
  return g_object_new (GLOSS_TYPE_APPLICATION,
                       "application-id", APP_ID,
                       "resource-base-path", RESOURCE_BASE,
                       "flags", G_APPLICATION_HANDLES_COMMAND_LINE | G_APPLICATION_HANDLES_OPEN,
                       NULL);
}

GSettings *
gloss_application_get_settings (GlossApplication *self)
{
  g_return_val_if_fail (GLOSS_IS_APPLICATION (self), NULL);
  return self->settings;
}

GlossBookmarks *
gloss_application_get_bookmarks (GlossApplication *self)
{
  g_return_val_if_fail (GLOSS_IS_APPLICATION (self), NULL);
  return self->bookmarks;
}

GlossHistory *
gloss_application_get_history (GlossApplication *self)
{
  g_return_val_if_fail (GLOSS_IS_APPLICATION (self), NULL);
  return self->history;
}

GlossLibrary *
gloss_application_get_library (GlossApplication *self)
{
  g_return_val_if_fail (GLOSS_IS_APPLICATION (self), NULL);
  return self->library;
}

/* The problems the stores met while loading, said once per start: a file
 * moved aside as corrupt, one in use by another Gloss, or from a newer one. */
char *
gloss_application_dup_store_notice (GlossApplication *self)
{
  GlossStore *stores[3];
  g_autoptr(GString) text = g_string_new (NULL);

  g_return_val_if_fail (GLOSS_IS_APPLICATION (self), NULL);

  stores[0] = gloss_bookmarks_get_store (self->bookmarks);
  stores[1] = gloss_history_get_store (self->history);
  stores[2] = gloss_library_get_store (self->library);

  for (guint i = 0; i < G_N_ELEMENTS (stores); i++)
    {
      const GError *error = gloss_store_get_load_error (stores[i]);

      if (error == NULL)
        continue;
      if (text->len > 0)
        g_string_append_c (text, '\n');
      g_string_append (text, error->message);
    }

  return text->len > 0 ? g_strdup (text->str) : NULL;
}

/* A new window; the first one tells the user, once, what went wrong with
 * their saved data (a file moved aside as corrupt, and so on). */
static GlossWindow *
new_window (GlossApplication *self)
{
  static gboolean told;
  GlossWindow *window = gloss_window_new (self);

  if (!told)
    {
      g_autofree char *notice = gloss_application_dup_store_notice (self);

      if (notice != NULL)
        gloss_window_show_message (window, notice);
      told = TRUE;
    }

  return window;
}

/* The window to act in: the active one, or a new one that opens on the last
 * bundle (or the built-in one) when @restore is TRUE. */
static GlossWindow *
get_window (GlossApplication *self,
            gboolean          restore)
{
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (self));

  if (window == NULL)
    {
      window = GTK_WINDOW (new_window (self));
      if (restore)
        gloss_window_restore_bundle (GLOSS_WINDOW (window), NULL);
    }

  return GLOSS_WINDOW (window);
}

static void
gloss_application_activate (GApplication *app)
{
  GlossWindow *window = get_window (GLOSS_APPLICATION (app), TRUE);

  gtk_window_present (GTK_WINDOW (window));
}

static void
gloss_application_open (GApplication  *app,
                        GFile        **files,
                        int            n_files,
                        const char    *hint)
{
  GlossWindow *window = get_window (GLOSS_APPLICATION (app), FALSE);

  if (n_files > 0)
    gloss_window_open_file (window, files[0], NULL);
  gtk_window_present (GTK_WINDOW (window));
}

static int
gloss_application_handle_local_options (GApplication *app,
                                        GVariantDict *options)
{
  if (g_variant_dict_contains (options, "version"))
    {
      g_print ("gloss %s\n", PACKAGE_VERSION);
      return 0;
    }

  return -1;
}

static int
gloss_application_command_line (GApplication            *app,
                                GApplicationCommandLine *cmdline)
{
  GlossApplication *self = GLOSS_APPLICATION (app);
  g_autofree const char **files = NULL;
  const char *entry_id = NULL;
  GVariantDict *options;
  GlossWindow *window;

  options = g_application_command_line_get_options_dict (cmdline);
  g_variant_dict_lookup (options, "entry", "&s", &entry_id);
  g_variant_dict_lookup (options, G_OPTION_REMAINING, "^a&ay", &files);

  if (files != NULL && files[0] != NULL)
    {
      g_autoptr(GFile) file = g_application_command_line_create_file_for_arg (cmdline, files[0]);

      window = get_window (self, FALSE);
      gloss_window_open_file (window, file, entry_id);
    }
  else if (gtk_application_get_active_window (GTK_APPLICATION (self)) == NULL)
    {
      window = new_window (self);
      gloss_window_restore_bundle (window, entry_id);
    }
  else
    {
      window = get_window (self, FALSE);
      if (entry_id != NULL)
        gloss_window_show_entry_id (window, entry_id);
    }

  gtk_window_present (GTK_WINDOW (window));

  return 0;
}

static void
about_action (GSimpleAction *action,
              GVariant      *parameter,
              gpointer       user_data)
{
  GlossApplication *self = user_data;
  GtkWindow *parent = gtk_application_get_active_window (GTK_APPLICATION (self));
  static const char *developers[] = { "The Gloss developers", NULL };
  GtkWidget *about;

  about = g_object_new (ADW_TYPE_ABOUT_WINDOW,
                        "transient-for", parent,
                        "application-name", _("Gloss"),
                        "application-icon", APP_ID,
                        "developer-name", _("The Gloss developers"),
                        "version", PACKAGE_VERSION,
                        "comments", _("Read glossaries offline: search as you type, "
                                      "follow links, keep your place."),
                        "website", "https://github.com/glossapp/gloss",
                        "issue-url", "https://github.com/glossapp/gloss/issues",
                        "license-type", GTK_LICENSE_GPL_3_0,
                        "developers", developers,
                        "copyright", _("© 2026 The Gloss developers"),
                        /* Translators: put your names here, one a line */
                        "translator-credits", _("translator-credits"),
                        NULL);
  gtk_window_present (GTK_WINDOW (about));
}

static void
preferences_action (GSimpleAction *action,
                    GVariant      *parameter,
                    gpointer       user_data)
{
  GlossApplication *self = user_data;
  GtkWindow *parent = gtk_application_get_active_window (GTK_APPLICATION (self));
  GlossBundle *bundle = GLOSS_IS_WINDOW (parent) ? gloss_window_get_bundle (GLOSS_WINDOW (parent))
                                                 : NULL;

  gtk_window_present (GTK_WINDOW (gloss_preferences_window_new (parent, bundle)));
}

static void
quit_action (GSimpleAction *action,
             GVariant      *parameter,
             gpointer       user_data)
{
  GlossApplication *self = user_data;
  GList *windows = gtk_application_get_windows (GTK_APPLICATION (self));

  /* Close windows first so each saves its state. */
  for (GList *l = windows; l != NULL; )
    {
      GList *next = l->next;
      gtk_window_close (l->data);
      l = next;
    }

  g_application_quit (G_APPLICATION (self));
}

/* From the Shell's search results: an entry of the last open bundle. */
static void
open_entry_action (GSimpleAction *action,
                   GVariant      *parameter,
                   gpointer       user_data)
{
  GlossApplication *self = user_data;
  const char *entry_id = g_variant_get_string (parameter, NULL);
  GlossWindow *window;

  if (gtk_application_get_active_window (GTK_APPLICATION (self)) == NULL)
    {
      window = new_window (self);
      gloss_window_restore_bundle (window, entry_id);
    }
  else
    {
      window = get_window (self, FALSE);
      gloss_window_show_last_bundle_entry (window, entry_id);
    }

  gtk_window_present (GTK_WINDOW (window));
}

/* A result of a glossary searched together with the last one (from the
 * Shell): the glossary's path and the entry's id. */
static void
open_bundle_entry_action (GSimpleAction *action,
                          GVariant      *parameter,
                          gpointer       user_data)
{
  GlossApplication *self = user_data;
  g_autoptr(GFile) file = NULL;
  const char *path;
  const char *entry_id;
  GlossWindow *window;

  g_variant_get (parameter, "(&s&s)", &path, &entry_id);
  file = g_file_new_for_path (path);

  if (gtk_application_get_active_window (GTK_APPLICATION (self)) == NULL)
    {
      window = new_window (self);
      gloss_window_restore_bundle (window, NULL);
    }
  else
    window = get_window (self, FALSE);

  gloss_window_open_bundle_entry (window, file, entry_id);
  gtk_window_present (GTK_WINDOW (window));
}

static void
search_action (GSimpleAction *action,
               GVariant      *parameter,
               gpointer       user_data)
{
  GlossWindow *window = get_window (GLOSS_APPLICATION (user_data), TRUE);

  gloss_window_set_search_text (window, g_variant_get_string (parameter, NULL));
  gtk_window_present (GTK_WINDOW (window));
}

static const GActionEntry app_actions[] = {
  { "open-entry", open_entry_action, "s" },
  { "open-bundle-entry", open_bundle_entry_action, "(ss)" },
  { "search", search_action, "s" },
  { "about", about_action },
  { "preferences", preferences_action },
  { "quit", quit_action },
};

static void
gloss_application_startup (GApplication *app)
{
  GlossApplication *self = GLOSS_APPLICATION (app);
  static const char *quit_accels[] = { "<Control>q", NULL };
  static const char *close_accels[] = { "<Control>w", NULL };
  static const char *preferences_accels[] = { "<Control>comma", NULL };
  static const char *shortcuts_accels[] = { "<Control>question", NULL };

  /* The built-in glossary loads in its own thread while GTK starts here:
   * the window opens on it (or on the last glossary, after it). */
  gloss_window_preload_builtin_bundle ();

  G_APPLICATION_CLASS (gloss_application_parent_class)->startup (app);

  /* Started by D-Bus for the Shell's searches: stay a while between them
   * (the glossaries load once), as GNOME's search providers do. */
  if (g_application_get_flags (app) & G_APPLICATION_IS_SERVICE)
    g_application_set_inactivity_timeout (app, 10000);

  g_action_map_add_action_entries (G_ACTION_MAP (self), app_actions,
                                   G_N_ELEMENTS (app_actions), self);
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "app.quit", quit_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "window.close", close_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "app.preferences",
                                         preferences_accels);
  /* Ours, as the shortcuts window is built when first shown (see
   * show_help_overlay_action()), not by GtkApplication. */
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "win.show-help-overlay",
                                         shortcuts_accels);

  gtk_window_set_default_icon_name (APP_ID);

  /* Here rather than in init: `gloss --help` must work without the schema. */
  self->settings = g_settings_new ("io.github.glossapp.Gloss");

  /* User data lives in the primary instance only, so there is one writer. */
  {
    g_autofree char *bookmarks_path = gloss_store_default_path ("bookmarks");
    g_autofree char *history_path = gloss_store_default_path ("history");
    g_autofree char *library_path = gloss_store_default_path ("library");

    self->bookmarks = gloss_bookmarks_new (bookmarks_path);
    self->history = gloss_history_new (history_path);
    self->library = gloss_library_new (library_path);
  }

  g_settings_bind (self->settings, "history-enabled", self->history, "enabled",
                   G_SETTINGS_BIND_DEFAULT);
}

/* Whatever is still waiting to be saved is written before we go. */
static void
gloss_application_shutdown (GApplication *app)
{
  GlossApplication *self = GLOSS_APPLICATION (app);
  GlossStore *stores[3] = {
    gloss_bookmarks_get_store (self->bookmarks),
    gloss_history_get_store (self->history),
    gloss_library_get_store (self->library),
  };

  for (guint i = 0; i < G_N_ELEMENTS (stores); i++)
    {
      g_autoptr(GError) error = NULL;

      if (!gloss_store_flush (stores[i], &error))
        g_printerr ("gloss: %s: %s\n", gloss_store_get_path (stores[i]), error->message);
    }

  /* Not taken by a window (Gloss was the Shell's search service): the
   * thread is joined all the same. */
  gloss_window_drop_preloaded_builtin_bundle ();

  G_APPLICATION_CLASS (gloss_application_parent_class)->shutdown (app);
}

static void
gloss_application_constructed (GObject *object)
{
  GlossApplication *self = GLOSS_APPLICATION (object);

  G_OBJECT_CLASS (gloss_application_parent_class)->constructed (object);

  g_application_add_main_option_entries (G_APPLICATION (self), option_entries);
  g_application_set_option_context_parameter_string (G_APPLICATION (self), _("[FILE]"));
  g_application_set_option_context_summary (G_APPLICATION (self),
                                            _("Read a glossary bundle. With no FILE, Gloss opens "
                                              "the bundle that was open last, or its built-in one."));
}

static gboolean
gloss_application_dbus_register (GApplication     *app,
                                 GDBusConnection  *connection,
                                 const char       *object_path,
                                 GError          **error)
{
  GlossApplication *self = GLOSS_APPLICATION (app);
  g_autofree char *provider_path = NULL;

  if (!G_APPLICATION_CLASS (gloss_application_parent_class)->dbus_register (app, connection,
                                                                            object_path, error))
    return FALSE;

  provider_path = g_strconcat (object_path, "/SearchProvider", NULL);
  self->search_provider = gloss_search_provider_new (app);

  return gloss_search_provider_export (self->search_provider, connection, provider_path, error);
}

static void
gloss_application_dbus_unregister (GApplication    *app,
                                   GDBusConnection *connection,
                                   const char      *object_path)
{
  GlossApplication *self = GLOSS_APPLICATION (app);

  if (self->search_provider != NULL)
    {
      gloss_search_provider_unexport (self->search_provider);
      g_clear_object (&self->search_provider);
    }

  G_APPLICATION_CLASS (gloss_application_parent_class)->dbus_unregister (app, connection,
                                                                         object_path);
}

static void
gloss_application_finalize (GObject *object)
{
  GlossApplication *self = GLOSS_APPLICATION (object);

  g_clear_object (&self->search_provider);
  g_clear_object (&self->bookmarks);
  g_clear_object (&self->history);
  g_clear_object (&self->library);
  g_clear_object (&self->settings);

  G_OBJECT_CLASS (gloss_application_parent_class)->finalize (object);
}

static void
gloss_application_class_init (GlossApplicationClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GApplicationClass *app_class = G_APPLICATION_CLASS (klass);

  object_class->constructed = gloss_application_constructed;
  object_class->finalize = gloss_application_finalize;

  app_class->activate = gloss_application_activate;
  app_class->open = gloss_application_open;
  app_class->command_line = gloss_application_command_line;
  app_class->handle_local_options = gloss_application_handle_local_options;
  app_class->startup = gloss_application_startup;
  app_class->shutdown = gloss_application_shutdown;
  app_class->dbus_register = gloss_application_dbus_register;
  app_class->dbus_unregister = gloss_application_dbus_unregister;
}

static void
gloss_application_init (GlossApplication *self)
{
}
