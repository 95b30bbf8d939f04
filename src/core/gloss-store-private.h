/* gloss-store-private.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "gloss-store.h"

G_BEGIN_DECLS

/* Typed reads of untrusted JSON for the stores' load and import code. Each
 * fails with GLOSS_STORE_ERROR_INVALID and a message that starts with the
 * JSON Pointer of the offending value, "@pointer/@member". A member that is
 * absent or null is "missing": an error when @required, else *@value is
 * left NULL (or the default). */
gboolean    _gloss_json_get_string   (JsonObject   *object,
                                      const char   *pointer,
                                      const char   *member,
                                      gboolean      required,
                                      gsize         max_bytes,
                                      const char  **value,
                                      GError      **error);
gboolean    _gloss_json_get_int      (JsonObject   *object,
                                      const char   *pointer,
                                      const char   *member,
                                      gint64        min,
                                      gint64        max,
                                      gint64       *value,
                                      GError      **error);
gboolean    _gloss_json_get_boolean  (JsonObject   *object,
                                      const char   *pointer,
                                      const char   *member,
                                      gboolean     *value,
                                      GError      **error);
gboolean    _gloss_json_get_time     (JsonObject   *object,
                                      const char   *pointer,
                                      const char   *member,
                                      GDateTime   **value,
                                      GError      **error);
/* An absent member is an empty list; anything but an array, or one longer
 * than @max_length, is refused. */
JsonArray  *_gloss_json_get_array    (JsonObject   *object,
                                      const char   *member,
                                      guint         max_length,
                                      GError      **error);
JsonObject *_gloss_json_array_object (JsonArray    *array,
                                      guint         index,
                                      const char   *pointer,
                                      GError      **error);

void        _gloss_json_add_string   (JsonBuilder  *builder,
                                      const char   *member,
                                      const char   *value);
void        _gloss_json_add_time     (JsonBuilder  *builder,
                                      const char   *member,
                                      GDateTime    *value);

/* Times are kept and written in UTC, ISO 8601 with a "Z". */
GDateTime  *_gloss_store_now         (void);

/* The search shared by the stores: @query is folded with gloss_fold() and
 * split at white space; an item matches when every word is a substring of
 * its folded text. NULL or no words: everything matches. */
char      **_gloss_store_query_words (const char   *query);
gboolean    _gloss_store_words_match (const char   *folded_text,
                                      char * const *words);

/* A hash key for a (bundle key, entry id) pair that no choice of ids can
 * make ambiguous: the length of the bundle key comes first. */
char       *_gloss_store_pair_key    (const char   *bundle_key,
                                      const char   *entry_id);

G_END_DECLS
