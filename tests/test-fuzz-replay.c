/* test-fuzz-replay.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "test-fuzz-replay"

#include "config.h"

#include <stdint.h>

#include <glib.h>

/*
 * Replays inputs through a libFuzzer target built without libFuzzer, in
 * the plain build, the sanitizers' and under valgrind: every input the
 * fuzzer once stopped on (tests/data/fuzz-regressions/, named
 * TARGET-*), and the target's seed corpus (fuzz/corpus/TARGET/). The
 * target's own checks abort on a broken promise, a warning or a critical.
 *
 * Usage: test-fuzz-replay-TARGET TARGET [GTest options]
 */

int LLVMFuzzerInitialize   (int            *argc,
                            char         ***argv);
int LLVMFuzzerTestOneInput (const uint8_t  *data,
                            size_t          size);

static void
replay (gconstpointer data)
{
  const char *path = data;
  g_autoptr(GError) error = NULL;
  g_autofree char *contents = NULL;
  gsize size;

  g_file_get_contents (path, &contents, &size, &error);
  g_assert_no_error (error);
  g_assert_cmpint (LLVMFuzzerTestOneInput ((const uint8_t *)contents, size), ==, 0);
}

/* Adds a test for each file of @dir whose name starts with @prefix. */
static guint
add_inputs (const char *kind,
            const char *dir_path,
            const char *prefix)
{
  g_autoptr(GDir) dir = g_dir_open (dir_path, 0, NULL);
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  const char *name;

  if (dir == NULL)
    return 0;

  while ((name = g_dir_read_name (dir)) != NULL)
    {
      if (g_str_has_prefix (name, prefix))
        g_ptr_array_add (names, g_strdup (name));
    }
  g_ptr_array_sort (names, (GCompareFunc)g_strcmp0);

  for (guint i = 0; i < names->len; i++)
    {
      const char *file = g_ptr_array_index (names, i);
      g_autofree char *test_path = g_strdup_printf ("/gloss/fuzz-replay/%s/%s", kind, file);

      /* Kept for the life of the process: the test's data. */
      g_test_add_data_func_full (test_path, g_build_filename (dir_path, file, NULL), replay,
                                 g_free);
    }

  return names->len;
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *regressions = NULL;
  g_autofree char *corpus = NULL;
  g_autofree char *prefix = NULL;
  const char *target;
  guint n = 0;

  g_test_init (&argc, &argv, NULL);
  if (argc != 2)
    {
      g_printerr ("Usage: %s TARGET\n", argv[0]);
      return 2;
    }
  target = argv[1];

  LLVMFuzzerInitialize (&argc, &argv);

  regressions = g_test_build_filename (G_TEST_DIST, "data", "fuzz-regressions", NULL);
  prefix = g_strconcat (target, "-", NULL);
  n += add_inputs ("regressions", regressions, prefix);
  corpus = g_test_build_filename (G_TEST_DIST, "..", "fuzz", "corpus", target, NULL);
  n += add_inputs ("seeds", corpus, "");
  g_assert_cmpuint (n, >, 0);

  return g_test_run ();
}
