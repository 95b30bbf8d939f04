/* gloss-bench-render.c: how long the article and a list row take to show
 * hostile entries, measured on the real widgets (needs a display: run it
 * under xvfb-run). Prints a table.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <adwaita.h>

#include "gloss-article.h"
#include "gloss-entry-row.h"
#include "gloss-hit.h"

typedef struct
{
  const char *name;
  char       *entry_json;
} Case;

static char *
repeat (const char *piece,
        gsize       total_bytes)
{
  GString *out = g_string_sized_new (total_bytes + strlen (piece));

  while (out->len + strlen (piece) <= total_bytes)
    g_string_append (out, piece);

  return g_string_free (out, FALSE);
}

static char *
json_string (const char *text)
{
  g_autoptr(JsonNode) node = json_node_new (JSON_NODE_VALUE);

  json_node_set_string (node, text);
  return json_to_string (node, FALSE);
}

static char *
entry_with_body (const char *id,
                 const char *body)
{
  g_autofree char *body_json = json_string (body);

  return g_strdup_printf ("{\"id\":\"%s\",\"term\":\"%s\",\"sections\":[{\"heading\":\"H\","
                          "\"body\":%s}]}", id, id, body_json);
}

static char *
entry_with_many (const char *id,
                 const char *field,
                 const char *item,
                 guint       count)
{
  GString *out = g_string_new (NULL);

  g_string_append_printf (out, "{\"id\":\"%s\",\"term\":\"%s\",\"%s\":[", id, id, field);
  for (guint i = 0; i < count; i++)
    g_string_append_printf (out, "%s%s", i ? "," : "", item);
  g_string_append (out, "]}");

  return g_string_free (out, FALSE);
}

static GPtrArray *
make_cases (void)
{
  GPtrArray *cases = g_ptr_array_new ();
  g_autofree char *word = repeat ("a", 199000);
  g_autofree char *marks = repeat ("e\xcc\x81\xcc\x82\xcc\x83\xcc\x84" "x", 199000);
  g_autofree char *spans = repeat ("*a* ", 199000);
  g_autofree char *links = repeat ("[x](entry:nope) ", 199000);
  g_autofree char *prose = repeat ("The quick brown fox jumps over the lazy dog. ", 199000);
  g_autofree char *bidi = repeat ("\xe2\x80\xae" "abc" "\xe2\x80\xac ", 199000);
  g_autofree char *cjk = repeat ("\xe6\x97\xa5\xe6\x9c\xac\xe8\xaa\x9e", 199000);
  g_autofree char *list = repeat ("- item\n", 199000);
  g_autofree char *quotes = repeat (">", 199000);
  g_autofree char *long_term = repeat ("W", 512);
  g_autofree char *long_summary = repeat ("S", 4000);
  Case *c;

#define ADD(n, json) \
  c = g_new0 (Case, 1); c->name = n; c->entry_json = json; g_ptr_array_add (cases, c)

  ADD ("normal entry (built-in tsundere)", NULL);
  ADD ("one 199,000-character word", entry_with_body ("word", word));
  ADD ("combining marks on every letter", entry_with_body ("marks", marks));
  ADD ("50,000 emphasis spans", entry_with_body ("spans", spans));
  ADD ("12,000 broken entry links", entry_with_body ("links", links));
  ADD ("199,000 characters of prose", entry_with_body ("prose", prose));
  ADD ("bidi overrides everywhere", entry_with_body ("bidi", bidi));
  ADD ("199,000 characters of CJK", entry_with_body ("cjk", cjk));
  ADD ("28,000 list items", entry_with_body ("list", list));
  ADD ("199,000 nested quotes", entry_with_body ("quotes", quotes));
  ADD ("2,000 sections", entry_with_many ("sections", "sections",
                                          "{\"heading\":\"Heading\",\"body\":\"Some *text* here.\"}",
                                          2000));
  ADD ("2,000 stats", entry_with_many ("stats", "stats",
                                       "{\"label\":\"L\",\"value\":\"V\",\"note\":\"N\"}", 2000));
  ADD ("2,000 questions", entry_with_many ("faq", "faq",
                                           "{\"question\":\"Q?\",\"answer\":\"A.\"}", 2000));
  ADD ("2,000 tags", entry_with_many ("tags", "tags", "\"tag\"", 2000));
  {
    g_autofree char *t = json_string (long_term);
    g_autofree char *su = json_string (long_summary);
    ADD ("512-character term, 4,000-character summary",
         g_strdup_printf ("{\"id\":\"long\",\"term\":%s,\"title\":%s,\"summary\":%s}", t, t, su));
  }

#undef ADD

  return cases;
}

static GlossBundle *
load_case (const Case *c,
           GError    **error)
{
  g_autoptr(GBytes) bytes = NULL;
  char *json;

  if (c->entry_json == NULL)
    {
      g_autofree char *path = g_build_filename (SOURCE_ROOT, "data", "default.gloss.json", NULL);
      g_autoptr(GFile) file = g_file_new_for_path (path);

      return gloss_bundle_new_from_file (file, NULL, error);
    }

  json = g_strdup_printf ("{\"format\":\"gloss-bundle\",\"version\":1,\"title\":\"Bench\","
                          "\"entries\":[%s]}", c->entry_json);
  bytes = g_bytes_new_take (json, strlen (json));
  json = NULL;
  return gloss_bundle_new_from_bytes (bytes, "bench", "bench", NULL, error);
}

/* Lays out and draws @widget at @width, the work a frame would do. */
static void
lay_out_and_draw (GtkWidget *widget,
                  int        width)
{
  g_autoptr(GtkSnapshot) snapshot = gtk_snapshot_new ();
  g_autoptr(GskRenderNode) node = NULL;
  int min_height;
  int nat_height;

  gtk_widget_measure (widget, GTK_ORIENTATION_VERTICAL, width, &min_height, &nat_height,
                      NULL, NULL);
  gtk_widget_size_allocate (widget, &(GtkAllocation) { 0, 0, width, nat_height }, -1);
  gtk_widget_snapshot_child (gtk_widget_get_parent (widget), widget, snapshot);
  node = gtk_snapshot_free_to_node (g_steal_pointer (&snapshot));
}

static int
compare_doubles (gconstpointer a,
                 gconstpointer b)
{
  double da = *(const double *)a;
  double db = *(const double *)b;

  return (da > db) - (da < db);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GPtrArray) cases = NULL;
  GtkWidget *window;
  GtkWidget *box;
  guint runs = 5;

  g_setenv ("GSETTINGS_BACKEND", "memory", TRUE);
  gtk_init ();
  adw_init ();

  cases = make_cases ();
  window = gtk_window_new ();
  gtk_window_set_default_size (GTK_WINDOW (window), 800, 600);
  box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  {
    /* The window keeps its size however long the article grows. */
    GtkWidget *scroller = gtk_scrolled_window_new ();

    gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scroller), box);
    gtk_window_set_child (GTK_WINDOW (window), scroller);
  }
  gtk_window_present (GTK_WINDOW (window));

  g_print ("Showing one entry: set the article, lay it out at 760 px and draw it (first\n"
           "view); the rest of a long article follows in slices between frames (longest\n"
           "slice with its layout, and the whole). A list row: set and draw at 320 px.\n"
           "Median of %u runs, ms.\n\n", runs);
  g_print ("%-46s %10s %10s %10s %10s\n", "entry", "first view", "slice", "complete", "row");

  for (guint i = 0; i < cases->len; i++)
    {
      const Case *c = g_ptr_array_index (cases, i);
      g_autoptr(GError) error = NULL;
      g_autoptr(GlossBundle) bundle = load_case (c, &error);
      g_autoptr(GArray) article_times = g_array_new (FALSE, FALSE, sizeof (double));
      g_autoptr(GArray) row_times = g_array_new (FALSE, FALSE, sizeof (double));
      g_autoptr(GArray) complete_times = g_array_new (FALSE, FALSE, sizeof (double));
      g_autoptr(GArray) slice_times = g_array_new (FALSE, FALSE, sizeof (double));
      GlossEntry *entry;

      if (bundle == NULL)
        {
          g_print ("%-46s refused: %s\n", c->name, error->message);
          continue;
        }

      entry = c->entry_json == NULL ? gloss_bundle_lookup_entry (bundle, "tsundere")
                                    : gloss_bundle_get_entry (bundle, 0);

      for (guint run = 0; run < runs; run++)
        {
          GtkWidget *article = g_object_new (GLOSS_TYPE_ARTICLE, NULL);
          GtkWidget *row = g_object_new (GLOSS_TYPE_ENTRY_ROW, NULL);
          g_autoptr(GlossHit) hit = gloss_hit_new (entry, "A", NULL);
          gint64 start;
          double ms;

          gtk_box_append (GTK_BOX (box), article);
          gtk_box_append (GTK_BOX (box), row);

          start = g_get_monotonic_time ();
          gloss_article_set_entry (GLOSS_ARTICLE (article), bundle, entry, NULL);
          lay_out_and_draw (article, 760);
          ms = (g_get_monotonic_time () - start) / 1000.0;
          g_array_append_val (article_times, ms);

          /* The rest of a long article comes in slices between frames: time
           * the longest slice (with its layout) and the whole. */
          {
            double longest = 0;

            while (gloss_article_get_building (GLOSS_ARTICLE (article)))
              {
                gint64 slice_start = g_get_monotonic_time ();

                g_main_context_iteration (NULL, FALSE);
                lay_out_and_draw (article, 760);
                longest = MAX (longest, (g_get_monotonic_time () - slice_start) / 1000.0);
              }
            ms = (g_get_monotonic_time () - start) / 1000.0;
            g_array_append_val (complete_times, ms);
            g_array_append_val (slice_times, longest);
          }

          start = g_get_monotonic_time ();
          gloss_entry_row_set_hit (GLOSS_ENTRY_ROW (row), hit);
          lay_out_and_draw (row, 320);
          ms = (g_get_monotonic_time () - start) / 1000.0;
          g_array_append_val (row_times, ms);

          gtk_box_remove (GTK_BOX (box), article);
          gtk_box_remove (GTK_BOX (box), row);
        }

      g_array_sort (article_times, compare_doubles);
      g_array_sort (row_times, compare_doubles);
      g_array_sort (complete_times, compare_doubles);
      g_array_sort (slice_times, compare_doubles);
      g_print ("%-46s %10.1f %10.1f %10.1f %10.2f\n", c->name,
               g_array_index (article_times, double, runs / 2),
               g_array_index (slice_times, double, runs / 2),
               g_array_index (complete_times, double, runs / 2),
               g_array_index (row_times, double, runs / 2));
    }

  gtk_window_destroy (GTK_WINDOW (window));
  return 0;
}
