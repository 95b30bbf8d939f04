/* gloss-fold.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* The one normalisation of searchable text and queries (bundle-format.md,
 * "Search"). In order: compatibility decomposition (NFKD); combining marks
 * (Mn) dropped when their base is Latin, Greek or Cyrillic, so Japanese
 * voicing marks stay; case folding; recomposition (NFC). Text is compared in
 * that NFC form, so that `が` stays one character and never matches `か`.
 * ASCII folds to lower case byte for byte. */

/* Longest word token kept, in bytes of folded text; the rest of a longer
 * word is ignored by the index and the query alike. */
#define GLOSS_FOLD_MAX_WORD 64

typedef enum
{
  /* Letters and digits between separators; matched as a word prefix. */
  GLOSS_TOKEN_WORD,
  /* A run of a script written without spaces (Han, kana, Thai, Lao, Khmer,
   * Myanmar); matched as a substring. */
  GLOSS_TOKEN_NO_SPACE,
} GlossTokenKind;

typedef struct
{
  const char     *text;   /* folded; not nul-terminated */
  guint           len;    /* bytes of @text */
  GlossTokenKind  kind;
  gsize           start;  /* byte range in the unfolded input */
  gsize           end;
} GlossToken;

typedef enum
{
  GLOSS_TOKENIZE_NONE     = 0,
  /* Markdown: skip link destinations `](…)` and autolinks `<scheme:…>`, so
   * that `[label](entry:x)` yields the label only. */
  GLOSS_TOKENIZE_MARKDOWN = 1 << 0,
} GlossTokenizeFlags;

/* Called once per token, in text order. Return FALSE to stop. */
typedef gboolean (*GlossTokenFunc) (const GlossToken *token,
                                    gpointer          user_data);

char     *gloss_fold             (const char         *utf8,
                                  gssize              len);
void      gloss_fold_append      (GString            *out,
                                  const char         *utf8,
                                  gssize              len);
char     *gloss_fold_key         (const char         *utf8,
                                  gssize              len);
void      gloss_fold_tokenize    (const char         *utf8,
                                  gssize              len,
                                  GlossTokenizeFlags  flags,
                                  GlossTokenFunc      func,
                                  gpointer            user_data);
gboolean  gloss_fold_is_no_space (gunichar            c);

G_END_DECLS
