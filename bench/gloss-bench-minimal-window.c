/* gloss-bench-minimal-window.c: the baseline for the launch benchmark, a
 * minimal AdwApplicationWindow that reports its first frame the way Gloss
 * does, and with --redraws N, what its later frames cost.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <stdlib.h>
#include <time.h>

#include <adwaita.h>

static void
on_after_paint (GdkFrameClock *clock,
                gpointer       user_data)
{
  struct timespec ts;

  clock_gettime (CLOCK_MONOTONIC, &ts);
  g_printerr ("gloss-timing first-frame %.6f\n", ts.tv_sec + ts.tv_nsec / 1e9);
  g_signal_handlers_disconnect_by_func (clock, on_after_paint, user_data);
}

/* --redraws N: after the first frame, a label in the header bar changes
 * on every frame; N frames are reported from their start to their end
 * ("redraw"), then the program quits. What a frame costs a window of this
 * size when next to nothing changes: the floor under the keystroke figure
 * (where the GL renderer cannot tell what the screen still holds, as on
 * Xvfb with llvmpipe, every frame redraws the whole window). */
static int redraws;
static gint64 frame_start;
static gboolean first_frame_seen;

static void
on_redraw_begin (GdkFrameClock *clock,
                 GtkWidget     *window)
{
  frame_start = g_get_monotonic_time ();
}

static void
on_redraw_end (GdkFrameClock *clock,
               GtkWidget     *window)
{
  if (!first_frame_seen)
    first_frame_seen = TRUE;
  else
    {
      g_printerr ("gloss-timing redraw %.6f\n", (g_get_monotonic_time () - frame_start) / 1e6);
      if (--redraws <= 0)
        {
          g_printerr ("gloss-timing redraws-done %.6f\n", g_get_monotonic_time () / 1e6);
          g_application_quit (g_application_get_default ());
          return;
        }
    }
}

/* Each frame shows something new, as a window does when it changes. */
static gboolean
tick (GtkWidget     *label,
      GdkFrameClock *clock,
      gpointer       user_data)
{
  g_autofree char *text = g_strdup_printf ("%d", redraws);

  gtk_label_set_text (GTK_LABEL (label), text);
  return G_SOURCE_CONTINUE;
}

static void
on_activate (GApplication *app)
{
  GtkWidget *window = adw_application_window_new (GTK_APPLICATION (app));
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);

  gtk_box_append (GTK_BOX (box), adw_header_bar_new ());
  adw_application_window_set_content (ADW_APPLICATION_WINDOW (window), box);
  gtk_window_set_default_size (GTK_WINDOW (window), 1100, 760);
  gtk_widget_realize (window);
  g_signal_connect (gtk_widget_get_frame_clock (window), "after-paint",
                    G_CALLBACK (on_after_paint), NULL);
  gtk_window_present (GTK_WINDOW (window));

  if (redraws > 0)
    {
      GtkWidget *label = gtk_label_new (NULL);

      adw_header_bar_set_title_widget (ADW_HEADER_BAR (gtk_widget_get_first_child (box)), label);
      gtk_widget_add_tick_callback (label, tick, NULL, NULL);
      g_signal_connect (gtk_widget_get_frame_clock (window), "before-paint",
                        G_CALLBACK (on_redraw_begin), window);
      g_signal_connect (gtk_widget_get_frame_clock (window), "after-paint",
                        G_CALLBACK (on_redraw_end), window);
    }
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(AdwApplication) app = adw_application_new ("io.github.glossapp.BenchMinimal",
                                                       G_APPLICATION_NON_UNIQUE);

  if (argc == 3 && g_str_equal (argv[1], "--redraws"))
    {
      redraws = atoi (argv[2]);
      argc = 1;
    }

  g_signal_connect (app, "activate", G_CALLBACK (on_activate), NULL);
  return g_application_run (G_APPLICATION (app), argc, argv);
}
