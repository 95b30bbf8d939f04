/* gloss-entry.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* A "By the numbers" card. */
typedef struct
{
  char *label;
  char *value;
  char *note;      /* nullable */
} GlossStat;

/* One part of the article; @body is CommonMark. */
typedef struct
{
  char *heading;   /* nullable */
  char *body;
} GlossSection;

/* One "Quick answers" row; @answer is CommonMark. */
typedef struct
{
  char *question;
  char *answer;
} GlossFaq;

#define GLOSS_TYPE_ENTRY (gloss_entry_get_type ())

G_DECLARE_FINAL_TYPE (GlossEntry, gloss_entry, GLOSS, ENTRY, GObject)

/* Every string is valid UTF-8, already cleaned by the loader (caps applied,
 * bidi and other control characters removed). Entries are immutable. */
const char         *gloss_entry_get_id              (GlossEntry  *self);
const char         *gloss_entry_get_term            (GlossEntry  *self);
const char         *gloss_entry_get_title           (GlossEntry  *self);
const char         *gloss_entry_get_summary         (GlossEntry  *self);
const char         *gloss_entry_get_category        (GlossEntry  *self);
const char         *gloss_entry_get_notice          (GlossEntry  *self);
const char         *gloss_entry_get_published       (GlossEntry  *self);
const char         *gloss_entry_get_updated         (GlossEntry  *self);
gboolean            gloss_entry_get_mature          (GlossEntry  *self);
guint               gloss_entry_get_reading_minutes (GlossEntry  *self);
const char * const *gloss_entry_get_aliases         (GlossEntry  *self);
const char * const *gloss_entry_get_tags            (GlossEntry  *self);
const char * const *gloss_entry_get_sources         (GlossEntry  *self);
const char * const *gloss_entry_get_related         (GlossEntry  *self);
const GlossStat    *gloss_entry_get_stats           (GlossEntry  *self,
                                                     guint       *n_stats);
const GlossSection *gloss_entry_get_sections        (GlossEntry  *self,
                                                     guint       *n_sections);
const GlossFaq     *gloss_entry_get_faq             (GlossEntry  *self,
                                                     guint       *n_faq);
gboolean            gloss_entry_has_tag             (GlossEntry  *self,
                                                     const char  *tag);
JsonNode           *gloss_entry_to_json             (GlossEntry  *self);
char               *gloss_entry_to_text             (GlossEntry  *self);

G_END_DECLS
