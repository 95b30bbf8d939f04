/* gloss-history.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "gloss-history-item.h"
#include "gloss-store.h"
#include "gloss-store-model.h"

G_BEGIN_DECLS

/* Recently viewed entries across all bundles: a GListModel of
 * GlossHistoryItem, newest first, at most GLOSS_HISTORY_MAX (the oldest go),
 * saved in one GlossStore. An entry viewed again on the same day moves to
 * the top instead of appearing twice in that day.
 *
 * On disk, `$XDG_DATA_HOME/gloss/history.json`, and the JSON export:
 *
 *   {
 *     "format": "gloss-history",
 *     "version": 1,
 *     "enabled": true,                          optional, default: true
 *     "history": [                              newest first
 *       {
 *         "bundle": "org.example.fandom",       bundle id, or path; required
 *         "entry": "#x",                        entry id; required
 *         "term": "Hash X",                     optional, default: entry
 *         "bundle_title": "Fandom Glossary",    optional, default: bundle
 *         "viewed": "2024-05-01T09:30:00.5Z"    ISO 8601 with zone; required
 *       }
 *     ]
 *   }
 *
 * Limits as for bookmarks; a file may list up to GLOSS_HISTORY_MAX_FILE
 * items, of which the newest GLOSS_HISTORY_MAX are kept. */

#define GLOSS_HISTORY_FORMAT   "gloss-history"
#define GLOSS_HISTORY_VERSION  1
#define GLOSS_HISTORY_MAX      5000
#define GLOSS_HISTORY_MAX_FILE 100000

#define GLOSS_TYPE_HISTORY (gloss_history_get_type ())

G_DECLARE_FINAL_TYPE (GlossHistory, gloss_history, GLOSS, HISTORY, GlossStoreModel)

GlossHistory *gloss_history_new           (const char     *path);
GlossStore   *gloss_history_get_store     (GlossHistory   *self);
gboolean      gloss_history_get_read_only (GlossHistory   *self);
gboolean      gloss_history_get_enabled   (GlossHistory   *self);
void          gloss_history_set_enabled   (GlossHistory   *self,
                                           gboolean        enabled);

gboolean      gloss_history_record        (GlossHistory   *self,
                                           const char     *bundle_key,
                                           const char     *entry_id,
                                           const char     *term,
                                           const char     *bundle_title,
                                           GDateTime      *viewed);
gboolean      gloss_history_clear         (GlossHistory   *self,
                                           GError        **error);

GListModel   *gloss_history_search        (GlossHistory   *self,
                                           const char     *query);

char         *gloss_history_day_key       (GDateTime      *time,
                                           GDateTime      *now);
char         *gloss_history_day_label     (GDateTime      *time,
                                           GDateTime      *now);

GBytes       *gloss_history_export_json   (GlossHistory   *self);
gboolean      gloss_history_import        (GlossHistory   *self,
                                           GBytes         *bytes,
                                           guint          *n_added,
                                           GError        **error);
gboolean      gloss_history_import_file   (GlossHistory   *self,
                                           GFile          *file,
                                           guint          *n_added,
                                           GError        **error);

G_END_DECLS
