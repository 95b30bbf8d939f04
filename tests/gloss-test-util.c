/* gloss-test-util.c: what the widget tests share
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#if HAVE_VALGRIND_H
#include <valgrind/valgrind.h>
#endif

#include "gloss-test-util.h"

/* Iterates the main loop until @cond holds or @timeout_ms passes. */
gboolean
gloss_test_wait_until (gboolean (*cond) (gpointer),
                       gpointer   data,
                       guint      timeout_ms)
{
  gint64 deadline = g_get_monotonic_time () + (gint64)timeout_ms * 1000;

#if HAVE_VALGRIND_H
  /* A hang guard there, where everything runs some fifty times slower. */
  if (RUNNING_ON_VALGRIND)
    deadline += (gint64)timeout_ms * 1000 * 50;
#endif

  while (!cond (data))
    {
      if (g_get_monotonic_time () > deadline)
        return FALSE;
      g_main_context_iteration (NULL, FALSE);
      g_usleep (1000);
    }

  return TRUE;
}

void
gloss_test_wait_ms (guint ms)
{
  gint64 deadline = g_get_monotonic_time () + (gint64)ms * 1000;

  while (g_get_monotonic_time () < deadline)
    {
      g_main_context_iteration (NULL, FALSE);
      g_usleep (1000);
    }
}

/* Finds the first descendant of @root (depth first) of @type that has
 * @css_class (if not NULL). */
GtkWidget *
gloss_test_find_widget (GtkWidget  *root,
                        GType       type,
                        const char *css_class)
{
  if (G_TYPE_CHECK_INSTANCE_TYPE (root, type) &&
      (css_class == NULL || gtk_widget_has_css_class (root, css_class)))
    return root;

  for (GtkWidget *child = gtk_widget_get_first_child (root);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = gloss_test_find_widget (child, type, css_class);

      if (found != NULL)
        return found;
    }

  return NULL;
}

void
gloss_test_collect_widgets (GtkWidget  *root,
                            GType       type,
                            const char *css_class,
                            GPtrArray  *out)
{
  if (G_TYPE_CHECK_INSTANCE_TYPE (root, type) &&
      (css_class == NULL || gtk_widget_has_css_class (root, css_class)))
    g_ptr_array_add (out, root);

  for (GtkWidget *child = gtk_widget_get_first_child (root);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    gloss_test_collect_widgets (child, type, css_class, out);
}
