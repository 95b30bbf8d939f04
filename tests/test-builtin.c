/* test-builtin.c: the glossary built into Gloss uses the format well.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "gloss-bundle.h"
#include "gloss-filter.h"

static GlossBundle *
load_builtin (void)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "..", "data", "default.gloss.json",
                                                 NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GError) error = NULL;
  GlossBundle *bundle;

  bundle = gloss_bundle_new_from_file (file, NULL, &error);
  g_assert_no_error (error);

  return bundle;
}

/* What `gloss-cli validate --strict` demands: no error, no warning, so
 * every `entry:` link and `related` id resolves. */
static void
test_builtin_strict (void)
{
  g_autoptr(GlossBundle) bundle = load_builtin ();
  GPtrArray *problems = gloss_bundle_get_problems (bundle);

  for (guint i = 0; i < problems->len; i++)
    {
      const GlossProblem *problem = g_ptr_array_index (problems, i);
      g_test_message ("%s: %s", problem->location, problem->message);
    }
  g_assert_cmpuint (problems->len, ==, 0);
  g_assert_cmpuint (gloss_bundle_get_n_skipped (bundle), ==, 0);
}

static void
test_builtin_rich (void)
{
  g_autoptr(GlossBundle) bundle = load_builtin ();
  g_autoptr(GlossFilter) defaults = gloss_filter_new (FALSE, NULL);
  guint n = gloss_bundle_get_n_entries (bundle);
  guint n_mature = 0;
  guint n_categories;

  g_assert_cmpuint (n, >=, 40);
  gloss_bundle_get_categories (bundle, &n_categories);
  g_assert_cmpuint (n_categories, >=, 5);
  g_assert_nonnull (gloss_bundle_get_description (bundle));
  g_assert_nonnull (gloss_bundle_get_license (bundle));

  for (guint i = 0; i < n; i++)
    {
      GlossEntry *entry = gloss_bundle_get_entry (bundle, i);
      const char * const *related = gloss_entry_get_related (entry);
      guint n_stats;
      guint n_sections;
      guint n_faq;

      g_test_message ("%s", gloss_entry_get_id (entry));

      gloss_entry_get_stats (entry, &n_stats);
      gloss_entry_get_sections (entry, &n_sections);
      gloss_entry_get_faq (entry, &n_faq);

      /* Every part of the format, where it fits. */
      g_assert_cmpstr (gloss_entry_get_title (entry), !=, gloss_entry_get_term (entry));
      g_assert_nonnull (gloss_entry_get_summary (entry));
      g_assert_nonnull (gloss_entry_get_category (entry));
      g_assert_nonnull (gloss_entry_get_published (entry));
      g_assert_nonnull (gloss_entry_get_tags (entry)[0]);
      g_assert_nonnull (gloss_entry_get_sources (entry)[0]);
      g_assert_cmpuint (n_stats, >=, 2);
      g_assert_cmpuint (n_sections, >=, 3);
      g_assert_cmpuint (n_sections, <=, 6);
      g_assert_cmpuint (n_faq, >=, 3);
      g_assert_cmpuint (n_faq, <=, 5);
      g_assert_cmpuint (g_strv_length ((char **)related), >=, 3);
      g_assert_cmpuint (g_strv_length ((char **)related), <=, 4);

      for (guint j = 0; related[j] != NULL; j++)
        g_assert_nonnull (gloss_bundle_lookup_entry (bundle, related[j]));

      if (gloss_entry_get_mature (entry))
        {
          n_mature++;
          g_assert_nonnull (gloss_entry_get_notice (entry));
          g_assert_false (gloss_filter_allows (defaults, entry));
        }
    }

  /* Mature entries are there, and hidden by default the rest still makes a
   * rich glossary of its own. */
  g_assert_cmpuint (n_mature, >=, 4);
  g_assert_cmpuint (n - n_mature, >=, 40);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/gloss/builtin/strict", test_builtin_strict);
  g_test_add_func ("/gloss/builtin/rich", test_builtin_rich);

  return g_test_run ();
}
