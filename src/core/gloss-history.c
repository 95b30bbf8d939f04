/* gloss-history.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "gloss-history"

#include "config.h"

#include "gloss-history.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "gloss-history-item-private.h"
#include "gloss-store-private.h"
#include "gloss-store-model-private.h"

struct _GlossHistory
{
  GlossStoreModel parent_instance;

  gboolean    enabled;
};

enum {
  PROP_0,
  PROP_ENABLED,
  N_PROPS
};

G_DEFINE_FINAL_TYPE (GlossHistory, gloss_history, GLOSS_TYPE_STORE_MODEL)

/* The items: GlossHistoryItem, newest first */
static inline GPtrArray *
get_items (GlossHistory *self)
{
  return _gloss_store_model_get_items (GLOSS_STORE_MODEL (self));
}

static GParamSpec *properties[N_PROPS];

/* ---- Internals ---------------------------------------------------------- */

static int
compare_newest_first (gconstpointer a,
                      gconstpointer b)
{
  GlossHistoryItem *ia = *(GlossHistoryItem * const *)a;
  GlossHistoryItem *ib = *(GlossHistoryItem * const *)b;

  return g_date_time_compare (gloss_history_item_get_viewed (ib),
                              gloss_history_item_get_viewed (ia));
}

/* The local calendar day, as one comparable number. */
static int
local_day (GDateTime *time)
{
  g_autoptr(GDateTime) local = g_date_time_to_local (time);
  int year, month, day;

  g_date_time_get_ymd (local, &year, &month, &day);

  return year * 10000 + month * 100 + day;
}

static gboolean
same_pair (GlossHistoryItem *a,
           GlossHistoryItem *b)
{
  return g_str_equal (gloss_history_item_get_bundle_key (a),
                      gloss_history_item_get_bundle_key (b)) &&
         g_str_equal (gloss_history_item_get_entry_id (a),
                      gloss_history_item_get_entry_id (b));
}

static char *
identity_of (GlossHistoryItem *item)
{
  g_autofree char *pair = _gloss_store_pair_key (gloss_history_item_get_bundle_key (item),
                                                 gloss_history_item_get_entry_id (item));
  GDateTime *viewed = gloss_history_item_get_viewed (item);

  return g_strdup_printf ("%s\n%" G_GINT64_FORMAT ".%06d", pair,
                          g_date_time_to_unix (viewed),
                          g_date_time_get_microsecond (viewed));
}

static void
trim (GlossHistory *self)
{
  guint n = get_items (self)->len;

  if (n <= GLOSS_HISTORY_MAX)
    return;

  g_ptr_array_set_size (get_items (self), GLOSS_HISTORY_MAX);
  _gloss_store_model_items_changed (GLOSS_STORE_MODEL (self), GLOSS_HISTORY_MAX,
                                    n - GLOSS_HISTORY_MAX, 0);
}

static gboolean
check_text (const char *value,
            gboolean    required,
            gsize       max_bytes)
{
  if (value == NULL || *value == '\0')
    return !required;

  return strlen (value) <= max_bytes && g_utf8_validate (value, -1, NULL);
}

/* Reads and checks every item of @root before anything is changed.
 * Returns: (transfer full): GlossHistoryItem, in file order */
static GPtrArray *
parse_items (JsonObject  *root,
             GError     **error)
{
  g_autoptr(JsonArray) array = NULL;
  g_autoptr(GPtrArray) items = NULL;
  guint n;

  array = _gloss_json_get_array (root, "history", GLOSS_HISTORY_MAX_FILE, error);
  if (array == NULL)
    return NULL;

  n = json_array_get_length (array);
  items = g_ptr_array_new_full (n, g_object_unref);

  for (guint i = 0; i < n; i++)
    {
      g_autofree char *pointer = g_strdup_printf ("/history/%u", i);
      g_autoptr(GDateTime) viewed = NULL;
      const char *bundle, *entry, *term, *title;
      JsonObject *object;

      if (!(object = _gloss_json_array_object (array, i, pointer, error)) ||
          !_gloss_json_get_string (object, pointer, "bundle", TRUE, GLOSS_STORE_MAX_KEY,
                                   &bundle, error) ||
          !_gloss_json_get_string (object, pointer, "entry", TRUE, GLOSS_STORE_MAX_KEY,
                                   &entry, error) ||
          !_gloss_json_get_string (object, pointer, "term", FALSE, GLOSS_STORE_MAX_TEXT,
                                   &term, error) ||
          !_gloss_json_get_string (object, pointer, "bundle_title", FALSE,
                                   GLOSS_STORE_MAX_TEXT, &title, error) ||
          !_gloss_json_get_time (object, pointer, "viewed", &viewed, error))
        return NULL;

      g_ptr_array_add (items, gloss_history_item_new (bundle, entry, term, title, viewed));
    }

  return g_steal_pointer (&items);
}

static gboolean
load_func (JsonObject  *root,
           gpointer     user_data,
           GError     **error)
{
  GlossHistory *self = user_data;
  g_autoptr(GPtrArray) items = NULL;
  gboolean enabled = TRUE;

  if (!_gloss_json_get_boolean (root, "", "enabled", &enabled, error))
    return FALSE;

  items = parse_items (root, error);
  if (items == NULL)
    return FALSE;

  g_ptr_array_sort (items, compare_newest_first);
  if (items->len > GLOSS_HISTORY_MAX)
    g_ptr_array_set_size (items, GLOSS_HISTORY_MAX);

  g_ptr_array_extend_and_steal (get_items (self), g_steal_pointer (&items));
  self->enabled = enabled;

  return TRUE;
}

static void
save_func (JsonBuilder *builder,
           gpointer     user_data)
{
  GlossHistory *self = user_data;

  json_builder_set_member_name (builder, "enabled");
  json_builder_add_boolean_value (builder, self->enabled);

  json_builder_set_member_name (builder, "history");
  json_builder_begin_array (builder);

  for (guint i = 0; i < get_items (self)->len; i++)
    {
      GlossHistoryItem *item = g_ptr_array_index (get_items (self), i);

      json_builder_begin_object (builder);
      _gloss_json_add_string (builder, "bundle", gloss_history_item_get_bundle_key (item));
      _gloss_json_add_string (builder, "entry", gloss_history_item_get_entry_id (item));
      _gloss_json_add_string (builder, "term", gloss_history_item_get_term (item));
      _gloss_json_add_string (builder, "bundle_title", gloss_history_item_get_bundle_title (item));
      _gloss_json_add_time (builder, "viewed", gloss_history_item_get_viewed (item));
      json_builder_end_object (builder);
    }

  json_builder_end_array (builder);
}

/* ---- GObject ------------------------------------------------------------ */

static void
gloss_history_get_property (GObject    *object,
                            guint       prop_id,
                            GValue     *value,
                            GParamSpec *pspec)
{
  GlossHistory *self = GLOSS_HISTORY (object);

  switch (prop_id)
    {
    case PROP_ENABLED:
      g_value_set_boolean (value, self->enabled);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
gloss_history_set_property (GObject      *object,
                            guint         prop_id,
                            const GValue *value,
                            GParamSpec   *pspec)
{
  GlossHistory *self = GLOSS_HISTORY (object);

  switch (prop_id)
    {
    case PROP_ENABLED:
      gloss_history_set_enabled (self, g_value_get_boolean (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
gloss_history_class_init (GlossHistoryClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GlossStoreModelClass *model_class = GLOSS_STORE_MODEL_CLASS (klass);

  model_class->item_type = GLOSS_TYPE_HISTORY_ITEM;

  object_class->get_property = gloss_history_get_property;
  object_class->set_property = gloss_history_set_property;

  /* When FALSE, gloss_history_record() records nothing. Saved in the
   * history file. */
  properties[PROP_ENABLED] =
    g_param_spec_boolean ("enabled", NULL, NULL,
                          TRUE,
                          (G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY));

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
gloss_history_init (GlossHistory *self)
{
  self->enabled = TRUE;
}

/**
 * gloss_history_new:
 * @path: the JSON file, such as gloss_store_default_path ("history")
 *
 * Loads the history. Never fails: look at the store's load error and flags
 * for what to tell the user (gloss-store.h).
 */
GlossHistory *
gloss_history_new (const char *path)
{
  GlossHistory *self;

  g_return_val_if_fail (path != NULL, NULL);

  self = g_object_new (GLOSS_TYPE_HISTORY, NULL);
  _gloss_store_model_open (GLOSS_STORE_MODEL (self), path, GLOSS_HISTORY_FORMAT,
                           GLOSS_HISTORY_VERSION, load_func, save_func);

  return self;
}

/* Returns: (transfer none): the store, for its flags and signals */
GlossStore *
gloss_history_get_store (GlossHistory *self)
{
  g_return_val_if_fail (GLOSS_IS_HISTORY (self), NULL);

  return gloss_store_model_get_store (GLOSS_STORE_MODEL (self));
}

gboolean
gloss_history_get_read_only (GlossHistory *self)
{
  g_return_val_if_fail (GLOSS_IS_HISTORY (self), TRUE);

  return gloss_store_model_get_read_only (GLOSS_STORE_MODEL (self));
}

gboolean
gloss_history_get_enabled (GlossHistory *self)
{
  g_return_val_if_fail (GLOSS_IS_HISTORY (self), FALSE);

  return self->enabled;
}

/* Turning history off keeps what was recorded; gloss_history_clear() drops
 * it. In a read-only history the switch holds for this session only. */
void
gloss_history_set_enabled (GlossHistory *self,
                           gboolean      enabled)
{
  g_return_if_fail (GLOSS_IS_HISTORY (self));

  enabled = !!enabled;
  if (self->enabled == enabled)
    return;

  self->enabled = enabled;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ENABLED]);
  gloss_store_changed (gloss_history_get_store (self));
}

/**
 * gloss_history_record:
 * @self: the history
 * @bundle_key: the bundle's id, or its path when it has none
 * @entry_id: the entry's id
 * @term: (nullable): the entry's term, kept as a snapshot
 * @bundle_title: (nullable): the bundle's title, kept as a snapshot
 * @viewed: (nullable): when; now when NULL
 *
 * Records a view, unless history is off or read-only. The same entry viewed
 * earlier that day is moved rather than repeated.
 *
 * Returns: whether it was recorded
 */
gboolean
gloss_history_record (GlossHistory *self,
                      const char   *bundle_key,
                      const char   *entry_id,
                      const char   *term,
                      const char   *bundle_title,
                      GDateTime    *viewed)
{
  g_autoptr(GlossHistoryItem) item = NULL;
  g_autoptr(GDateTime) local = NULL;
  g_autoptr(GDateTime) day_start = NULL;
  g_autoptr(GDateTime) day_end = NULL;
  GDateTime *when;
  int year, month, day;
  guint position;

  g_return_val_if_fail (GLOSS_IS_HISTORY (self), FALSE);

  if (!self->enabled || gloss_history_get_read_only (self))
    return FALSE;

  if (!check_text (bundle_key, TRUE, GLOSS_STORE_MAX_KEY) ||
      !check_text (entry_id, TRUE, GLOSS_STORE_MAX_KEY) ||
      !check_text (term, FALSE, GLOSS_STORE_MAX_TEXT) ||
      !check_text (bundle_title, FALSE, GLOSS_STORE_MAX_TEXT))
    {
      g_debug ("Not recording an entry with unusable ids or snapshots");
      return FALSE;
    }

  item = gloss_history_item_new (bundle_key, entry_id, term, bundle_title, viewed);
  when = gloss_history_item_get_viewed (item);
  local = g_date_time_to_local (when);
  g_date_time_get_ymd (local, &year, &month, &day);
  day_start = g_date_time_new (g_date_time_get_timezone (local), year, month, day, 0, 0, 0);
  day_end = g_date_time_add_days (day_start, 1);

  /* The same day's items are next to each other, newest first. */
  for (guint i = 0; i < get_items (self)->len; i++)
    {
      GlossHistoryItem *other = g_ptr_array_index (get_items (self), i);
      GDateTime *other_when = gloss_history_item_get_viewed (other);

      if (g_date_time_compare (other_when, day_end) >= 0)
        continue;
      if (g_date_time_compare (other_when, day_start) < 0)
        break;

      if (same_pair (other, item))
        {
          g_ptr_array_remove_index (get_items (self), i);
          _gloss_store_model_items_changed (GLOSS_STORE_MODEL (self), i, 1, 0);
          break;
        }
    }

  for (position = 0; position < get_items (self)->len; position++)
    {
      GlossHistoryItem *other = g_ptr_array_index (get_items (self), position);

      if (g_date_time_compare (gloss_history_item_get_viewed (other), when) <= 0)
        break;
    }

  g_ptr_array_insert (get_items (self), position, g_object_ref (item));
  _gloss_store_model_items_changed (GLOSS_STORE_MODEL (self), position, 0, 1);
  trim (self);
  gloss_store_changed (gloss_history_get_store (self));

  return TRUE;
}

gboolean
gloss_history_clear (GlossHistory  *self,
                     GError       **error)
{
  guint n;

  g_return_val_if_fail (GLOSS_IS_HISTORY (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!gloss_store_check_writable (gloss_history_get_store (self), error))
    return FALSE;

  n = get_items (self)->len;
  if (n == 0)
    return TRUE;

  g_ptr_array_set_size (get_items (self), 0);
  _gloss_store_model_items_changed (GLOSS_STORE_MODEL (self), 0, n, 0);
  gloss_store_changed (gloss_history_get_store (self));

  return TRUE;
}

/**
 * gloss_history_search:
 * @query: (nullable): words to find in the term or bundle title; case and
 *   accents do not matter (gloss_fold())
 *
 * Returns: (transfer full): a GListStore of the matching GlossHistoryItem,
 *   newest first; a snapshot, to be made again when the history changes
 */
GListModel *
gloss_history_search (GlossHistory *self,
                      const char   *query)
{
  g_auto(GStrv) words = NULL;
  GListStore *result;

  g_return_val_if_fail (GLOSS_IS_HISTORY (self), NULL);

  words = _gloss_store_query_words (query);
  result = g_list_store_new (GLOSS_TYPE_HISTORY_ITEM);

  for (guint i = 0; i < get_items (self)->len; i++)
    {
      GlossHistoryItem *item = g_ptr_array_index (get_items (self), i);

      if (_gloss_history_item_matches_words (item, words))
        g_list_store_append (result, item);
    }

  return G_LIST_MODEL (result);
}

/**
 * gloss_history_day_key:
 * @time: when an item was viewed
 * @now: (nullable): the current time; now when NULL
 *
 * The group an item falls in, in local time: "today", "yesterday", or its
 * date "YYYY-MM-DD". A list shows a day heading above an item whose key
 * differs from the item before it.
 *
 * Returns: (transfer full): the key
 */
char *
gloss_history_day_key (GDateTime *time,
                       GDateTime *now)
{
  g_autoptr(GDateTime) local = NULL;
  g_autoptr(GDateTime) current = NULL;
  g_autoptr(GDateTime) yesterday = NULL;
  int day;

  g_return_val_if_fail (time != NULL, NULL);

  local = g_date_time_to_local (time);
  current = now != NULL ? g_date_time_to_local (now) : g_date_time_new_now_local ();
  yesterday = g_date_time_add_days (current, -1);
  day = local_day (local);

  if (day == local_day (current))
    return g_strdup ("today");

  if (day == local_day (yesterday))
    return g_strdup ("yesterday");

  return g_date_time_format (local, "%Y-%m-%d");
}

/* The heading of gloss_history_day_key()'s group, for people: "Today",
 * "Yesterday", or the date in the locale's words.
 * Returns: (transfer full): the label */
char *
gloss_history_day_label (GDateTime *time,
                         GDateTime *now)
{
  g_autofree char *key = NULL;
  g_autoptr(GDateTime) local = NULL;

  g_return_val_if_fail (time != NULL, NULL);

  key = gloss_history_day_key (time, now);
  if (g_str_equal (key, "today"))
    return g_strdup (_("Today"));
  if (g_str_equal (key, "yesterday"))
    return g_strdup (_("Yesterday"));

  local = g_date_time_to_local (time);
  /* Translators: a day heading in the history, see g_date_time_format() */
  return g_date_time_format (local, _("%A, %B %-d, %Y"));
}

/* Returns: (transfer full): the history in the file format */
GBytes *
gloss_history_export_json (GlossHistory *self)
{
  g_return_val_if_fail (GLOSS_IS_HISTORY (self), NULL);

  return gloss_store_serialize (gloss_history_get_store (self));
}

/**
 * gloss_history_import:
 * @bytes: a file in the format above
 * @n_added: (out) (optional): how many imported views were new and kept
 * @error: why the file was refused
 *
 * Merges the views of @bytes (its "enabled" is ignored) with these, newest
 * first, keeping the newest GLOSS_HISTORY_MAX. Everything is checked before
 * anything changes: on error, nothing changed.
 */
gboolean
gloss_history_import (GlossHistory  *self,
                      GBytes        *bytes,
                      guint         *n_added,
                      GError       **error)
{
  g_autoptr(JsonObject) root = NULL;
  g_autoptr(GPtrArray) imported = NULL;
  g_autoptr(GPtrArray) merged = NULL;
  g_autoptr(GHashTable) seen = NULL;
  g_autoptr(GHashTable) added = NULL;
  gboolean enabled = TRUE;
  guint kept = 0;
  guint old_len;

  g_return_val_if_fail (GLOSS_IS_HISTORY (self), FALSE);
  g_return_val_if_fail (bytes != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (n_added != NULL)
    *n_added = 0;

  if (!gloss_store_check_writable (gloss_history_get_store (self), error))
    return FALSE;

  root = gloss_store_parse (gloss_history_get_store (self), bytes, error);
  if (root == NULL)
    return FALSE;

  if (!_gloss_json_get_boolean (root, "", "enabled", &enabled, error))
    return FALSE;

  imported = parse_items (root, error);
  if (imported == NULL)
    return FALSE;

  /* Nothing can fail from here on. */
  seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  added = g_hash_table_new (NULL, NULL);
  merged = g_ptr_array_new_full (get_items (self)->len + imported->len, g_object_unref);

  for (guint i = 0; i < get_items (self)->len; i++)
    {
      GlossHistoryItem *item = g_ptr_array_index (get_items (self), i);

      g_hash_table_add (seen, identity_of (item));
      g_ptr_array_add (merged, g_object_ref (item));
    }

  for (guint i = 0; i < imported->len; i++)
    {
      GlossHistoryItem *item = g_ptr_array_index (imported, i);

      if (g_hash_table_add (seen, identity_of (item)))
        {
          g_hash_table_add (added, item);
          g_ptr_array_add (merged, g_object_ref (item));
        }
    }

  if (g_hash_table_size (added) == 0)
    return TRUE;

  g_ptr_array_sort (merged, compare_newest_first);
  if (merged->len > GLOSS_HISTORY_MAX)
    g_ptr_array_set_size (merged, GLOSS_HISTORY_MAX);

  for (guint i = 0; i < merged->len; i++)
    if (g_hash_table_contains (added, g_ptr_array_index (merged, i)))
      kept++;

  if (n_added != NULL)
    *n_added = kept;

  if (kept == 0)
    return TRUE;

  old_len = get_items (self)->len;
  g_ptr_array_set_size (get_items (self), 0);
  g_ptr_array_extend_and_steal (get_items (self), g_steal_pointer (&merged));
  _gloss_store_model_items_changed (GLOSS_STORE_MODEL (self), 0, old_len, get_items (self)->len);
  gloss_store_changed (gloss_history_get_store (self));

  return TRUE;
}

/* gloss_history_import() of a file, read with gloss_store_read_file(). */
gboolean
gloss_history_import_file (GlossHistory  *self,
                           GFile         *file,
                           guint         *n_added,
                           GError       **error)
{
  g_autoptr(GBytes) bytes = NULL;

  g_return_val_if_fail (GLOSS_IS_HISTORY (self), FALSE);
  g_return_val_if_fail (G_IS_FILE (file), FALSE);

  if (n_added != NULL)
    *n_added = 0;

  if (!gloss_store_check_writable (gloss_history_get_store (self), error))
    return FALSE;

  bytes = gloss_store_read_file (file, NULL, error);
  if (bytes == NULL)
    return FALSE;

  return gloss_history_import (self, bytes, n_added, error);
}
