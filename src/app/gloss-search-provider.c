/* gloss-search-provider.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "gloss-search-provider"

#include "config.h"

#include "gloss-filter.h"
#include "gloss-index.h"
#include "gloss-search-provider.h"
#include "gloss-shell-search-provider2.h"
#include "gloss-text.h"
#include "gloss-window.h"

#define MAX_RESULTS 20

/* Answers GNOME Shell's overview searches from the bundle that was open
 * last. The bundle loads in a worker thread on the first query; calls that
 * arrive meanwhile wait for it. Mature entries are never results here, and
 * hidden tags stay hidden. */
struct _GlossSearchProvider
{
  GObject                    parent_instance;

  GApplication              *application;  /* weak */
  GlossShellSearchProvider2 *skeleton;
  GSettings                 *settings;
  GlossBundle               *bundle;
  char                      *bundle_path;  /* "" for the built-in bundle */
  GCancellable              *cancellable;
  GPtrArray                 *waiting;      /* of Call */
};

G_DEFINE_FINAL_TYPE (GlossSearchProvider, gloss_search_provider, G_TYPE_OBJECT)

typedef enum
{
  CALL_INITIAL,
  CALL_SUBSEARCH,
  CALL_METAS,
} CallKind;

typedef struct
{
  CallKind               kind;
  GDBusMethodInvocation *invocation;
  char                 **strings;     /* terms, or identifiers */
} Call;

static void
call_free (gpointer data)
{
  Call *call = data;

  g_clear_object (&call->invocation);
  g_strfreev (call->strings);
  g_free (call);
}

static GlossFilter *
new_filter (GlossSearchProvider *self)
{
  g_auto(GStrv) hidden = g_settings_get_strv (self->settings, "hidden-tags");

  /* Never mature entries in the overview, whatever the app shows. */
  return gloss_filter_new (FALSE, (const char * const *)hidden);
}

static GVariant *
search (GlossSearchProvider *self,
        char               **terms)
{
  g_autoptr(GVariantBuilder) builder = g_variant_builder_new (G_VARIANT_TYPE ("as"));
  g_autoptr(GlossFilter) filter = NULL;
  g_autoptr(GlossResults) results = NULL;
  g_autofree char *query = NULL;

  if (self->bundle == NULL || terms == NULL || terms[0] == NULL)
    return g_variant_builder_end (builder);

  query = g_strjoinv (" ", terms);
  filter = new_filter (self);
  results = gloss_index_search (gloss_bundle_get_index (self->bundle), query, filter, MAX_RESULTS);

  for (guint i = 0; i < gloss_results_get_n_matches (results); i++)
    {
      GlossEntry *entry = gloss_bundle_get_entry (self->bundle,
                                                  gloss_results_get_match (results, i)->position);
      g_variant_builder_add (builder, "s", gloss_entry_get_id (entry));
    }

  return g_variant_builder_end (builder);
}

static GVariant *
get_metas (GlossSearchProvider *self,
           char               **ids)
{
  g_autoptr(GVariantBuilder) builder = g_variant_builder_new (G_VARIANT_TYPE ("aa{sv}"));
  g_autoptr(GlossFilter) filter = new_filter (self);
  g_autoptr(GIcon) icon = g_themed_icon_new (APP_ID);
  g_autofree char *icon_string = g_icon_to_string (icon);

  for (guint i = 0; ids != NULL && ids[i] != NULL; i++)
    {
      GlossEntry *entry = self->bundle ? gloss_bundle_lookup_entry (self->bundle, ids[i]) : NULL;
      GVariantDict dict;

      if (entry == NULL || !gloss_filter_allows (filter, entry))
        continue;

      g_variant_dict_init (&dict, NULL);
      g_variant_dict_insert (&dict, "id", "s", ids[i]);
      g_variant_dict_insert (&dict, "name", "s", gloss_entry_get_term (entry));
      g_variant_dict_insert (&dict, "gicon", "s", icon_string);
      if (gloss_entry_get_summary (entry) != NULL)
        {
          g_autofree char *line = gloss_text_for_row (gloss_entry_get_summary (entry));
          g_variant_dict_insert (&dict, "description", "s", line);
        }
      g_variant_builder_add_value (builder, g_variant_dict_end (&dict));
    }

  return g_variant_builder_end (builder);
}

static void
answer (GlossSearchProvider *self,
        Call                *call)
{
  switch (call->kind)
    {
    case CALL_INITIAL:
    case CALL_SUBSEARCH:
      g_dbus_method_invocation_return_value (call->invocation,
                                             g_variant_new_tuple ((GVariant *[1]) {
                                               search (self, call->strings) }, 1));
      break;

    case CALL_METAS:
      g_dbus_method_invocation_return_value (call->invocation,
                                             g_variant_new_tuple ((GVariant *[1]) {
                                               get_metas (self, call->strings) }, 1));
      break;

    default:
      g_assert_not_reached ();
    }
}

static void
answer_waiting (GlossSearchProvider *self)
{
  g_autoptr(GPtrArray) waiting = g_steal_pointer (&self->waiting);

  self->waiting = g_ptr_array_new_with_free_func (call_free);
  for (guint i = 0; i < waiting->len; i++)
    answer (self, g_ptr_array_index (waiting, i));
}

static void
on_bundle_loaded (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GlossSearchProvider) self = user_data;
  g_autoptr(GlossBundle) bundle = NULL;
  g_autoptr(GError) error = NULL;

  bundle = gloss_bundle_new_from_file_finish (result, &error);

  if (self->application != NULL)
    g_application_release (self->application);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  g_clear_object (&self->cancellable);
  /* A bundle that can't be read gives no results, not someone else's. */
  g_set_object (&self->bundle, bundle);
  answer_waiting (self);
}

/* Makes sure the last open bundle is loaded; returns FALSE while it loads. */
static gboolean
ensure_bundle (GlossSearchProvider *self)
{
  g_autofree char *path = g_settings_get_string (self->settings, "last-bundle");

  if (self->bundle_path != NULL && g_str_equal (path, self->bundle_path))
    return self->cancellable == NULL;

  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->bundle);
  g_free (self->bundle_path);
  self->bundle_path = g_strdup (path);

  if (path[0] == '\0')
    {
      self->bundle = gloss_window_load_builtin_bundle ();
      return TRUE;
    }

  {
    g_autoptr(GFile) file = g_file_new_for_path (path);

    self->cancellable = g_cancellable_new ();
    if (self->application != NULL)
      g_application_hold (self->application);
    gloss_bundle_new_from_file_async (file, self->cancellable, on_bundle_loaded,
                                      g_object_ref (self));
  }

  return FALSE;
}

static gboolean
handle_call (GlossSearchProvider   *self,
             CallKind               kind,
             GDBusMethodInvocation *invocation,
             const char * const    *strings)
{
  Call *call = g_new0 (Call, 1);

  call->kind = kind;
  call->invocation = g_object_ref (invocation);
  call->strings = g_strdupv ((char **)strings);

  if (ensure_bundle (self))
    {
      answer (self, call);
      call_free (call);
    }
  else
    g_ptr_array_add (self->waiting, call);

  return TRUE;
}

static gboolean
on_get_initial_result_set (GlossShellSearchProvider2 *skeleton,
                           GDBusMethodInvocation     *invocation,
                           const char * const        *terms,
                           GlossSearchProvider       *self)
{
  return handle_call (self, CALL_INITIAL, invocation, terms);
}

static gboolean
on_get_subsearch_result_set (GlossShellSearchProvider2 *skeleton,
                             GDBusMethodInvocation     *invocation,
                             const char * const        *previous_results,
                             const char * const        *terms,
                             GlossSearchProvider       *self)
{
  return handle_call (self, CALL_SUBSEARCH, invocation, terms);
}

static gboolean
on_get_result_metas (GlossShellSearchProvider2 *skeleton,
                     GDBusMethodInvocation     *invocation,
                     const char * const        *identifiers,
                     GlossSearchProvider       *self)
{
  return handle_call (self, CALL_METAS, invocation, identifiers);
}

static gboolean
on_activate_result (GlossShellSearchProvider2 *skeleton,
                    GDBusMethodInvocation     *invocation,
                    const char                *identifier,
                    const char * const        *terms,
                    guint                      timestamp,
                    GlossSearchProvider       *self)
{
  if (self->application != NULL)
    g_action_group_activate_action (G_ACTION_GROUP (self->application), "open-entry",
                                    g_variant_new_string (identifier));

  gloss_shell_search_provider2_complete_activate_result (skeleton, invocation);
  return TRUE;
}

static gboolean
on_launch_search (GlossShellSearchProvider2 *skeleton,
                  GDBusMethodInvocation     *invocation,
                  const char * const        *terms,
                  guint                      timestamp,
                  GlossSearchProvider       *self)
{
  g_autofree char *query = g_strjoinv (" ", (char **)terms);

  if (self->application != NULL)
    g_action_group_activate_action (G_ACTION_GROUP (self->application), "search",
                                    g_variant_new_string (query));

  gloss_shell_search_provider2_complete_launch_search (skeleton, invocation);
  return TRUE;
}

static void
gloss_search_provider_dispose (GObject *object)
{
  GlossSearchProvider *self = (GlossSearchProvider *)object;

  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_weak_pointer (&self->application);

  G_OBJECT_CLASS (gloss_search_provider_parent_class)->dispose (object);
}

static void
gloss_search_provider_finalize (GObject *object)
{
  GlossSearchProvider *self = (GlossSearchProvider *)object;

  g_clear_object (&self->skeleton);
  g_clear_object (&self->settings);
  g_clear_object (&self->bundle);
  g_clear_pointer (&self->bundle_path, g_free);
  g_clear_pointer (&self->waiting, g_ptr_array_unref);

  G_OBJECT_CLASS (gloss_search_provider_parent_class)->finalize (object);
}

static void
gloss_search_provider_class_init (GlossSearchProviderClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = gloss_search_provider_dispose;
  object_class->finalize = gloss_search_provider_finalize;
}

static void
gloss_search_provider_init (GlossSearchProvider *self)
{
  self->settings = g_settings_new ("io.github.glossapp.Gloss");
  self->waiting = g_ptr_array_new_with_free_func (call_free);
  self->skeleton = gloss_shell_search_provider2_skeleton_new ();

  g_signal_connect (self->skeleton, "handle-get-initial-result-set",
                    G_CALLBACK (on_get_initial_result_set), self);
  g_signal_connect (self->skeleton, "handle-get-subsearch-result-set",
                    G_CALLBACK (on_get_subsearch_result_set), self);
  g_signal_connect (self->skeleton, "handle-get-result-metas",
                    G_CALLBACK (on_get_result_metas), self);
  g_signal_connect (self->skeleton, "handle-activate-result",
                    G_CALLBACK (on_activate_result), self);
  g_signal_connect (self->skeleton, "handle-launch-search",
                    G_CALLBACK (on_launch_search), self);
}

GlossSearchProvider *
gloss_search_provider_new (GApplication *application)
{
  GlossSearchProvider *self = g_object_new (GLOSS_TYPE_SEARCH_PROVIDER, NULL);

  g_set_weak_pointer (&self->application, application);
  return self;
}

gboolean
gloss_search_provider_export (GlossSearchProvider  *self,
                              GDBusConnection      *connection,
                              const char           *object_path,
                              GError              **error)
{
  g_return_val_if_fail (GLOSS_IS_SEARCH_PROVIDER (self), FALSE);

  return g_dbus_interface_skeleton_export (G_DBUS_INTERFACE_SKELETON (self->skeleton),
                                           connection, object_path, error);
}

void
gloss_search_provider_unexport (GlossSearchProvider *self)
{
  g_return_if_fail (GLOSS_IS_SEARCH_PROVIDER (self));

  g_dbus_interface_skeleton_unexport (G_DBUS_INTERFACE_SKELETON (self->skeleton));
}
