/* gloss-preferences-window.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "gloss-preferences-window"

#include "config.h"

#include <glib/gi18n.h>

#include "gloss-preferences-window.h"

#define MAX_TAG_ROWS 300

/* Filters, reading and history. Every control is bound to GSettings, so the
 * window owns no state of its own; the mature switch goes through the
 * window's action, which asks once before showing mature entries. */
struct _GlossPreferencesWindow
{
  AdwPreferencesWindow  parent_instance;

  GSettings            *settings;
  GlossBundle          *bundle;

  GtkSwitch            *mature_switch;
  GtkSwitch            *history_switch;
  GtkAdjustment        *text_scale_adjustment;
  AdwPreferencesGroup  *tags_group;
};

G_DEFINE_FINAL_TYPE (GlossPreferencesWindow, gloss_preferences_window, ADW_TYPE_PREFERENCES_WINDOW)

typedef struct
{
  const char *tag;
  guint       count;
} TagCount;

static int
compare_tag_counts (gconstpointer a,
                    gconstpointer b)
{
  const TagCount *ta = a;
  const TagCount *tb = b;

  if (ta->count != tb->count)
    return ta->count < tb->count ? 1 : -1;

  return g_utf8_collate (ta->tag, tb->tag);
}

static void
on_tag_switch_active (GtkSwitch              *sw,
                      GParamSpec             *pspec,
                      GlossPreferencesWindow *self)
{
  const char *tag = g_object_get_data (G_OBJECT (sw), "gloss-tag");
  g_auto(GStrv) hidden = g_settings_get_strv (self->settings, "hidden-tags");
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  gboolean hide = !gtk_switch_get_active (sw);
  g_auto(GStrv) result = NULL;

  for (guint i = 0; hidden[i] != NULL; i++)
    {
      if (!g_str_equal (hidden[i], tag))
        g_strv_builder_add (builder, hidden[i]);
    }
  if (hide)
    g_strv_builder_add (builder, tag);

  result = g_strv_builder_end (builder);
  g_settings_set_strv (self->settings, "hidden-tags", (const char * const *)result);
}

/* One switch per tag of the open bundle, most used first; a tag the user
 * hid stays listed even when this bundle doesn't use it, so it can be shown
 * again. */
static void
populate_tags (GlossPreferencesWindow *self)
{
  g_autoptr(GHashTable) counts = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GArray) sorted = g_array_new (FALSE, FALSE, sizeof (TagCount));
  g_auto(GStrv) hidden = g_settings_get_strv (self->settings, "hidden-tags");
  GHashTableIter iter;
  gpointer key;
  gpointer value;

  if (self->bundle != NULL)
    {
      guint n = gloss_bundle_get_n_entries (self->bundle);

      for (guint i = 0; i < n; i++)
        {
          const char * const *tags = gloss_entry_get_tags (gloss_bundle_get_entry (self->bundle, i));

          for (guint j = 0; tags[j] != NULL; j++)
            {
              guint count = GPOINTER_TO_UINT (g_hash_table_lookup (counts, tags[j]));
              g_hash_table_insert (counts, (gpointer)tags[j], GUINT_TO_POINTER (count + 1));
            }
        }
    }

  for (guint i = 0; hidden[i] != NULL; i++)
    {
      if (!g_hash_table_contains (counts, hidden[i]))
        g_hash_table_insert (counts, hidden[i], GUINT_TO_POINTER (0));
    }

  g_hash_table_iter_init (&iter, counts);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      TagCount tc = { key, GPOINTER_TO_UINT (value) };
      g_array_append_val (sorted, tc);
    }
  g_array_sort (sorted, compare_tag_counts);

  for (guint i = 0; i < sorted->len && i < MAX_TAG_ROWS; i++)
    {
      const TagCount *tc = &g_array_index (sorted, TagCount, i);
      g_autofree char *subtitle = NULL;
      GtkWidget *row = adw_action_row_new ();
      GtkWidget *sw = gtk_switch_new ();

      if (tc->count > 0)
        subtitle = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u entry", "%u entries",
                                                 tc->count), tc->count);
      else
        subtitle = g_strdup (_("Not used in this glossary"));

      /* Tags come from the bundle: plain text, never markup. */
      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), tc->tag);
      /* One line, ellipsized: a tag can be one unbreakable cluster. */
      adw_action_row_set_title_lines (ADW_ACTION_ROW (row), 1);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
      gtk_switch_set_active (GTK_SWITCH (sw), !g_strv_contains ((const char * const *)hidden,
                                                                tc->tag));
      gtk_widget_set_valign (sw, GTK_ALIGN_CENTER);
      gtk_accessible_update_property (GTK_ACCESSIBLE (sw), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                      tc->tag, -1);
      g_object_set_data_full (G_OBJECT (sw), "gloss-tag", g_strdup (tc->tag), g_free);
      g_signal_connect (sw, "notify::active", G_CALLBACK (on_tag_switch_active), self);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), sw);
      adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), sw);
      adw_preferences_group_add (self->tags_group, row);
    }

  gtk_widget_set_visible (GTK_WIDGET (self->tags_group), sorted->len > 0);
}

static void
on_mature_switch_active (GtkSwitch              *sw,
                         GParamSpec             *pspec,
                         GlossPreferencesWindow *self)
{
  GtkWindow *parent = gtk_window_get_transient_for (GTK_WINDOW (self));
  gboolean active = gtk_switch_get_active (sw);

  if (active == g_settings_get_boolean (self->settings, "show-mature"))
    return;

  if (parent != NULL)
    g_action_group_change_action_state (G_ACTION_GROUP (parent), "show-mature",
                                        g_variant_new_boolean (active));

  /* The first time, the window asks; until then the switch follows the
   * setting, not the click. */
  if (active != g_settings_get_boolean (self->settings, "show-mature"))
    gtk_switch_set_active (sw, g_settings_get_boolean (self->settings, "show-mature"));
}

static void
sync_mature (GlossPreferencesWindow *self)
{
  gtk_switch_set_active (self->mature_switch,
                         g_settings_get_boolean (self->settings, "show-mature"));
}

static void
gloss_preferences_window_dispose (GObject *object)
{
  GlossPreferencesWindow *self = (GlossPreferencesWindow *)object;

  g_clear_object (&self->settings);
  g_clear_object (&self->bundle);

  G_OBJECT_CLASS (gloss_preferences_window_parent_class)->dispose (object);
}

static void
gloss_preferences_window_class_init (GlossPreferencesWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = gloss_preferences_window_dispose;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_BASE "/gloss-preferences-window.ui");
  gtk_widget_class_bind_template_child (widget_class, GlossPreferencesWindow, mature_switch);
  gtk_widget_class_bind_template_child (widget_class, GlossPreferencesWindow, history_switch);
  gtk_widget_class_bind_template_child (widget_class, GlossPreferencesWindow,
                                        text_scale_adjustment);
  gtk_widget_class_bind_template_child (widget_class, GlossPreferencesWindow, tags_group);
  gtk_widget_class_bind_template_callback (widget_class, on_mature_switch_active);
}

static void
gloss_preferences_window_init (GlossPreferencesWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->settings = g_settings_new ("io.github.glossapp.Gloss");

  g_settings_bind (self->settings, "history-enabled", self->history_switch, "active",
                   G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (self->settings, "text-scale", self->text_scale_adjustment, "value",
                   G_SETTINGS_BIND_DEFAULT);
  sync_mature (self);
  g_signal_connect_object (self->settings, "changed::show-mature",
                           G_CALLBACK (sync_mature), self, G_CONNECT_SWAPPED);
}

GtkWidget *
gloss_preferences_window_new (GtkWindow   *parent,
                              GlossBundle *bundle)
{
  GlossPreferencesWindow *self;

  g_return_val_if_fail (!bundle || GLOSS_IS_BUNDLE (bundle), NULL);

  self = g_object_new (GLOSS_TYPE_PREFERENCES_WINDOW,
                       "transient-for", parent,
                       NULL);
  g_set_object (&self->bundle, bundle);
  populate_tags (self);

  return GTK_WIDGET (self);
}
