/* gloss-search-provider.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "gloss-search-provider"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "gloss-filter.h"
#include "gloss-group.h"
#include "gloss-index.h"
#include "gloss-search-provider.h"
#include "gloss-shell-search-provider2.h"
#include "gloss-text.h"
#include "gloss-window.h"

#define MAX_RESULTS 20

/* Answers GNOME Shell's overview searches from the glossaries the app
 * opens: the one open last and those searched together with it, as one
 * group. They load in worker threads on the first query; calls that arrive
 * meanwhile wait for them. Mature entries are never results here, and
 * hidden tags stay hidden.
 *
 * A result of the glossary open last is its entry's id; one of the others
 * is "ID@N", N its place in the group ('@' is never in an entry id). */
struct _GlossSearchProvider
{
  GObject                    parent_instance;

  GApplication              *application;  /* weak */
  GlossShellSearchProvider2 *skeleton;
  GSettings                 *settings;
  GlossGroup                *group;
  char                     **paths;        /* last-bundle ("" built-in), group-bundles */
  GCancellable              *cancellable;
  GPtrArray                 *loaded;       /* GlossBundle or NULL, one per path */
  guint                      pending;
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
  g_autoptr(GArray) matches = NULL;
  g_autofree char *query = NULL;

  if (self->group == NULL || terms == NULL || terms[0] == NULL)
    return g_variant_builder_end (builder);

  query = g_strjoinv (" ", terms);
  filter = new_filter (self);
  matches = gloss_group_search (self->group, query, filter, GLOSS_GROUP_ALL, MAX_RESULTS, NULL);

  for (guint i = 0; i < matches->len; i++)
    {
      const GlossGroupMatch *m = &g_array_index (matches, GlossGroupMatch, i);
      const char *id = gloss_bundle_get_entry_id (gloss_group_get_bundle (self->group, m->bundle),
                                                  m->position);

      if (m->bundle == 0)
        g_variant_builder_add (builder, "s", id);
      else
        g_variant_builder_add_value (builder,
                                     g_variant_new_take_string (g_strdup_printf ("%s@%u", id,
                                                                                 m->bundle)));
    }

  return g_variant_builder_end (builder);
}

/* The bundle a result identifier points into, and the entry's id there */
static GlossBundle *
resolve (GlossSearchProvider  *self,
         const char           *identifier,
         char                **entry_id)
{
  const char *at = strchr (identifier, '@');
  guint64 n = 0;

  *entry_id = NULL;
  if (self->group == NULL || gloss_group_get_n_bundles (self->group) == 0)
    return NULL;

  if (at == NULL)
    {
      *entry_id = g_strdup (identifier);
      return gloss_group_get_bundle (self->group, 0);
    }

  if (!g_ascii_string_to_unsigned (at + 1, 10, 1, gloss_group_get_n_bundles (self->group) - 1,
                                   &n, NULL))
    return NULL;

  *entry_id = g_strndup (identifier, at - identifier);
  return gloss_group_get_bundle (self->group, n);
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
      g_autofree char *entry_id = NULL;
      GlossBundle *bundle = resolve (self, ids[i], &entry_id);
      GlossEntry *entry = bundle ? gloss_bundle_lookup_entry (bundle, entry_id) : NULL;
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
      if (bundle != gloss_group_get_bundle (self->group, 0))
        {
          /* Which glossary, when it is not the one open last */
          g_autofree char *title = gloss_text_for_row (gloss_bundle_get_title (bundle));
          const char *summary = NULL;
          g_autofree char *line = NULL;

          g_variant_dict_lookup (&dict, "description", "&s", &summary);
          /* Translators: a search result in GNOME Shell: its glossary, then its summary */
          line = summary ? g_strdup_printf (_("%s — %s"), title, summary) : g_strdup (title);
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
on_group_made (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GlossSearchProvider) self = user_data;
  g_autoptr(GlossGroup) group = gloss_group_new_finish (result, NULL);

  /* NULL when cancelled: the settings changed, a newer group is coming. */
  if (group != NULL)
    {
      g_clear_object (&self->cancellable);
      g_set_object (&self->group, group);
      answer_waiting (self);
    }

  if (self->application != NULL)
    g_application_release (self->application);
}

/* Every glossary loaded (or failed): the ones that loaded make the group.
 * One that can't be read gives no results, not someone else's. */
static void
make_group (GlossSearchProvider *self)
{
  g_autoptr(GPtrArray) bundles = g_ptr_array_new ();

  for (guint i = 0; i < self->loaded->len; i++)
    if (g_ptr_array_index (self->loaded, i) != NULL)
      g_ptr_array_add (bundles, g_ptr_array_index (self->loaded, i));

  /* One glossary makes its group at once: nothing to collate. */
  if (bundles->len <= 1)
    {
      g_clear_object (&self->cancellable);
      g_clear_object (&self->group);
      self->group = gloss_group_new ((GlossBundle * const *)bundles->pdata, bundles->len);
      answer_waiting (self);
      return;
    }

  if (self->application != NULL)
    g_application_hold (self->application);
  gloss_group_new_async ((GlossBundle * const *)bundles->pdata, bundles->len, self->cancellable,
                         on_group_made, g_object_ref (self));
}

/* Slots of glossaries that could not be read are NULL. */
static void
unref_bundle (gpointer bundle)
{
  if (bundle != NULL)
    g_object_unref (bundle);
}

typedef struct
{
  GlossSearchProvider *self;
  GCancellable        *cancellable;
  guint                slot;
} Load;

static void
on_bundle_loaded (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  Load *load = user_data;
  GlossSearchProvider *self = load->self;
  g_autoptr(GlossBundle) bundle = NULL;
  g_autoptr(GError) error = NULL;

  bundle = gloss_bundle_new_from_file_finish (result, &error);

  if (!g_cancellable_is_cancelled (load->cancellable))
    {
      if (bundle == NULL)
        g_debug ("Not searching a glossary: %s", error->message);
      g_ptr_array_index (self->loaded, load->slot) = g_steal_pointer (&bundle);
      if (--self->pending == 0)
        make_group (self);
    }

  /* Released last: the group, when it is made in a thread, holds its own. */
  if (self->application != NULL)
    g_application_release (self->application);

  g_object_unref (load->cancellable);
  g_object_unref (load->self);
  g_free (load);
}

/* The glossaries to search: the app's last one, then those it searches
 * together with it. */
static char **
wanted_paths (GlossSearchProvider *self)
{
  g_autofree char *last = g_settings_get_string (self->settings, "last-bundle");
  g_auto(GStrv) extras = g_settings_get_strv (self->settings, "group-bundles");
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

  g_strv_builder_add (builder, last);
  for (guint i = 0; extras[i] != NULL; i++)
    if (extras[i][0] != '\0' && !g_str_equal (extras[i], last))
      g_strv_builder_add (builder, extras[i]);

  return g_strv_builder_end (builder);
}

/* Makes sure the glossaries are loaded; returns FALSE while they load. */
static gboolean
ensure_group (GlossSearchProvider *self)
{
  g_auto(GStrv) paths = wanted_paths (self);

  if (self->paths != NULL && g_strv_equal ((const char * const *)paths,
                                           (const char * const *)self->paths))
    return self->cancellable == NULL;

  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->group);
  g_strfreev (self->paths);
  self->paths = g_steal_pointer (&paths);
  self->cancellable = g_cancellable_new ();

  g_ptr_array_set_size (self->loaded, 0);
  g_ptr_array_set_size (self->loaded, g_strv_length (self->paths));
  self->pending = self->loaded->len;

  for (guint i = 0; self->paths[i] != NULL; i++)
    {
      g_autoptr(GFile) file = NULL;
      Load *load;

      if (self->paths[i][0] == '\0')
        {
          g_ptr_array_index (self->loaded, i) = gloss_window_load_builtin_bundle ();
          self->pending--;
          continue;
        }

      load = g_new0 (Load, 1);
      load->self = g_object_ref (self);
      load->cancellable = g_object_ref (self->cancellable);
      load->slot = i;
      file = g_file_new_for_path (self->paths[i]);
      if (self->application != NULL)
        g_application_hold (self->application);
      gloss_bundle_new_from_file_async (file, self->cancellable, on_bundle_loaded, load);
    }

  if (self->pending == 0)
    make_group (self);

  return self->cancellable == NULL;
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

  if (ensure_group (self))
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
  g_autofree char *entry_id = NULL;
  GlossBundle *bundle = resolve (self, identifier, &entry_id);

  if (self->application == NULL)
    ;
  else if (strchr (identifier, '@') == NULL)
    g_action_group_activate_action (G_ACTION_GROUP (self->application), "open-entry",
                                    g_variant_new_string (identifier));
  else if (bundle != NULL && gloss_bundle_get_file (bundle) != NULL)
    {
      g_autofree char *path = g_file_get_path (gloss_bundle_get_file (bundle));

      if (path != NULL)
        g_action_group_activate_action (G_ACTION_GROUP (self->application), "open-bundle-entry",
                                        g_variant_new ("(ss)", path, entry_id));
    }

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
  g_clear_object (&self->group);
  g_clear_pointer (&self->paths, g_strfreev);
  g_clear_pointer (&self->loaded, g_ptr_array_unref);
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
  self->loaded = g_ptr_array_new_with_free_func (unref_bundle);
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
