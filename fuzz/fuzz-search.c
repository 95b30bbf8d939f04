/* fuzz-search.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "fuzz-search"

#include "config.h"

#include <stdint.h>
#include <string.h>

#include "gloss-bundle.h"
#include "gloss-filter.h"
#include "gloss-index.h"

#include "fuzz-log.h"

/*
 * Runs arbitrary queries against a small bundle and checks what search
 * promises: results are valid positions, never hidden entries under the
 * filter, at most the limit, the total at least the number returned, and
 * every explanation is well-formed markup that uses only <b>.
 */

int LLVMFuzzerInitialize   (int            *argc,
                            char         ***argv);
int LLVMFuzzerTestOneInput (const uint8_t  *data,
                            size_t          size);

static const char bundle_json[] =
  "{\"format\":\"gloss-bundle\",\"version\":1,\"title\":\"Fuzz\","
  "\"categories\":[{\"id\":\"c\",\"name\":\"C\"}],\"entries\":["
  "{\"id\":\"cpp\",\"term\":\"C++\",\"aliases\":[\"cplusplus\"],\"tags\":[\"lang\"],"
  "\"summary\":\"A language with <angle> & ampersands.\"},"
  "{\"id\":\"devnull\",\"term\":\"/dev/null\",\"summary\":\"The bit bucket.\"},"
  "{\"id\":\"naive\",\"term\":\"Naïve\",\"aliases\":[\"naive\"],\"mature\":true},"
  "{\"id\":\"strasse\",\"term\":\"Straße\",\"tags\":[\"de\"],"
  "\"sections\":[{\"heading\":\"H\",\"body\":\"Eine *Straße* in [Berlin](entry:cpp).\"}]},"
  "{\"id\":\"ntr\",\"term\":\"寝取られ\",\"aliases\":[\"NTR\",\"ＮＴＲ\"],"
  "\"faq\":[{\"question\":\"が?\",\"answer\":\"かが ガ 日本語のテキスト\"}]},"
  "{\"id\":\"greek\",\"term\":\"Ελληνικά\",\"summary\":\"ά έ ή ί ό ύ ώ\"},"
  "{\"id\":\"long\",\"term\":\"Supercalifragilisticexpialidocious\","
  "\"summary\":\"aaaa bbbb cccc dddd eeee ffff gggg hhhh iiii jjjj kkkk\"}]}";

static GlossBundle *bundle;
static GlossFilter *filters[3];

static void
check_markup (const char *markup)
{
  g_autoptr(GMarkupParseContext) context = NULL;
  g_autofree char *wrapped = g_strconcat ("<markup>", markup, "</markup>", NULL);
  GMarkupParser parser = { 0 };

  context = g_markup_parse_context_new (&parser, 0, NULL, NULL);
  if (!g_markup_parse_context_parse (context, wrapped, -1, NULL) ||
      !g_markup_parse_context_end_parse (context, NULL))
    g_error ("explanation is not well-formed markup: %s", markup);

  for (const char *p = strchr (markup, '<'); p != NULL; p = strchr (p + 1, '<'))
    {
      if (!g_str_has_prefix (p, "<b>") && !g_str_has_prefix (p, "</b>"))
        g_error ("explanation uses markup other than <b>: %s", markup);
    }
}

int
LLVMFuzzerInitialize (int    *argc,
                      char ***argv)
{
  fuzz_log_init ();
  return 0;
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autofree char *query = NULL;

  if (bundle == NULL)
    {
      g_autoptr(GBytes) bytes = g_bytes_new_static (bundle_json, strlen (bundle_json));
      const char *hidden[] = { "de", NULL };

      bundle = gloss_bundle_new_from_bytes (bytes, "fuzz", "fuzz", NULL, NULL);
      g_assert (bundle != NULL);
      filters[0] = gloss_filter_new (FALSE, NULL);
      filters[1] = gloss_filter_new (TRUE, NULL);
      filters[2] = gloss_filter_new (FALSE, hidden);
    }

  /* The app and gloss-cli only ever pass valid UTF-8. */
  if (!g_utf8_validate ((const char *)data, size, NULL) || memchr (data, 0, size) != NULL)
    return 0;

  query = g_strndup ((const char *)data, size);

  for (guint f = 0; f < G_N_ELEMENTS (filters); f++)
    {
      GlossIndex *index = gloss_bundle_get_index (bundle);
      g_autoptr(GlossResults) results = gloss_index_search (index, query, filters[f], 3);
      guint n = gloss_results_get_n_matches (results);

      g_assert (n <= 3);
      g_assert (gloss_results_get_total (results) >= n);

      for (guint i = 0; i < n; i++)
        {
          guint position = gloss_results_get_match (results, i)->position;
          g_autofree char *markup = NULL;
          g_autofree char *plain = NULL;

          g_assert (position < gloss_bundle_get_n_entries (bundle));
          g_assert (gloss_filter_allows (filters[f], gloss_bundle_get_entry (bundle, position)));

          markup = gloss_index_explain (index, position, query, TRUE);
          plain = gloss_index_explain (index, position, query, FALSE);
          if (markup != NULL)
            check_markup (markup);
          if (plain != NULL)
            g_assert (g_utf8_validate (plain, -1, NULL));
        }
    }

  return 0;
}
