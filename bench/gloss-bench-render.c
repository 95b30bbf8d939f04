/* gloss-bench-render.c: how long Gloss holds its main loop while it shows
 * hostile entries, measured in the real window (needs a display: run it
 * under xvfb-run, with GSK_RENDERER=cairo for figures that do not depend on
 * llvmpipe). Every entry of every bundle in tests/data/hostile/ that opens
 * is shown, with the built-in glossary's entries as the baseline and a few
 * generated entries bigger than any file there; the worst are printed as a
 * table.
 *
 * Each main-loop block a reader can meet while an entry is shown is timed,
 * and so is each frame: the first view, each later slice of a long article
 * (and each "Continue Reading" page), each FAQ answer opened, and a list
 * row, browsing and searching.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>
#include <time.h>

#include <adwaita.h>
#include <glib/gstdio.h>

#include "gloss-article.h"
#include "gloss-entry-row.h"
#include "gloss-hit.h"
#include "gloss-index.h"
#include "gloss-window.h"

typedef struct
{
  const char *name;
  char       *entry_json;
} Case;

/* Medians over the runs, ms. */
typedef struct
{
  char   *name;
  double  first_view;  /* showing the entry, and the frame that shows it */
  double  slice;       /* the longest later block: a slice, a frame, a page start */
  double  expand;      /* the longest FAQ answer opened, with its frame */
  double  whole;       /* every block of every page added up */
  double  row;
  double  search_row;  /* with the explanation of why it matched */
  guint   pages;
} Result;

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
  g_autofree char *web_links = repeat ("*[x](https://example.org/)* ", 199000);
  g_autofree char *prose = repeat ("The quick brown fox jumps over the lazy dog. ", 199000);
  g_autofree char *bidi = repeat ("\xe2\x80\xae" "abc" "\xe2\x80\xac ", 199000);
  g_autofree char *cjk = repeat ("\xe6\x97\xa5\xe6\x9c\xac\xe8\xaa\x9e", 199000);
  g_autofree char *list = repeat ("- item\n", 199000);
  g_autofree char *quotes = repeat (">", 199000);
  g_autofree char *long_term = repeat ("W", 512);
  g_autofree char *long_summary = repeat ("S", 4000);
  g_autofree char *long_question = repeat ("Why would anyone ask this? ", 4000);
  Case *c;

#define ADD(n, json) \
  c = g_new0 (Case, 1); c->name = n; c->entry_json = json; g_ptr_array_add (cases, c)

  ADD ("one 199,000-character word", entry_with_body ("word", word));
  ADD ("combining marks on every letter", entry_with_body ("marks", marks));
  ADD ("50,000 emphasis spans", entry_with_body ("spans", spans));
  ADD ("12,000 broken entry links", entry_with_body ("links", links));
  ADD ("6,800 web links in emphasis", entry_with_body ("web-links", web_links));
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
    g_autofree char *q = json_string (long_question);
    g_autofree char *item = g_strdup_printf ("{\"question\":%s,\"answer\":\"A.\"}", q);
    ADD ("100 questions of 4,000 characters", entry_with_many ("long-faq", "faq", item, 100));
  }
  {
    g_autofree char *v = json_string (long_question);
    g_autofree char *item = g_strdup_printf ("{\"label\":%s,\"value\":%s,\"note\":%s}", v, v, v);
    ADD ("100 stats of 3 by 4,000 characters", entry_with_many ("long-stats", "stats", item, 100));
  }
  {
    g_autofree char *a = json_string (spans);
    g_autofree char *item = g_strdup_printf ("{\"question\":\"Q?\",\"answer\":%s}", a);
    ADD ("50,000 emphasis spans in an answer", entry_with_many ("answer", "faq", item, 1));
  }
  {
    g_autofree char *a = json_string (word);
    g_autofree char *item = g_strdup_printf ("{\"question\":\"Q?\",\"answer\":%s}", a);
    ADD ("a 199,000-character word in an answer", entry_with_many ("answer-word", "faq", item, 1));
  }
  {
    g_autofree char *t = json_string (long_term);
    g_autofree char *su = json_string (long_summary);
    ADD ("512-character term, 4,000-character summary",
         g_strdup_printf ("{\"id\":\"long\",\"term\":%s,\"title\":%s,\"summary\":%s}", t, t, su));
  }

#undef ADD

  return cases;
}

/* --wall: time blocks on the wall clock instead. */
static gboolean wall_clock;

/* Blocks are timed in the main thread's CPU time, by default: on a machine
 * other work shares, the wall clock also counts the time the scheduler
 * gave to others, which the app does not control. */
static gint64
now (void)
{
  struct timespec ts;

  if (wall_clock)
    return g_get_monotonic_time ();

  clock_gettime (CLOCK_THREAD_CPUTIME_ID, &ts);
  return (gint64)ts.tv_sec * G_USEC_PER_SEC + ts.tv_nsec / 1000;
}

static double
ms_since (gint64 start)
{
  return (now () - start) / 1000.0;
}

static int
compare_doubles (gconstpointer a,
                 gconstpointer b)
{
  double da = *(const double *)a;
  double db = *(const double *)b;

  return (da > db) - (da < db);
}

static double
median (GArray *times)
{
  g_array_sort (times, compare_doubles);
  return g_array_index (times, double, times->len / 2);
}

static void
collect (GtkWidget  *widget,
         GType       type,
         const char *css_class,
         GPtrArray  *out)
{
  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      if (G_TYPE_CHECK_INSTANCE_TYPE (child, type) &&
          (css_class == NULL || gtk_widget_has_css_class (child, css_class)))
        g_ptr_array_add (out, child);
      collect (child, type, css_class, out);
    }
}

static GtkWidget *
find_widget (GtkWidget  *root,
             GType       type,
             const char *css_class)
{
  g_autoptr(GPtrArray) found = g_ptr_array_new ();

  collect (root, type, css_class, found);
  return found->len > 0 ? g_ptr_array_index (found, 0) : NULL;
}

/* What a search row shows: the first word of the term as the query, and
 * the index's explanation of the match, made when the row is bound. */
static char *
query_for (GlossEntry *entry)
{
  const char *term = gloss_entry_get_term (entry);
  const char *end = term;

  while (*end != '\0' && g_unichar_isalnum (g_utf8_get_char (end)) &&
         g_utf8_pointer_to_offset (term, end) < 20)
    end = g_utf8_next_char (end);

  return end > term ? g_strndup (term, end - term) : g_strdup ("a");
}

/* The entry a row shows before it is bound to the one measured. */
#define NEUTRAL_BUNDLE \
  "{\"format\": \"gloss-bundle\", \"version\": 1, \"title\": \"Neutral\", \"entries\": [" \
  "{\"id\": \"n\", \"term\": \"Neutral\", \"summary\": \"A short summary.\"}]}"

/* At most this many FAQ answers opened per run, spread over the article. */
#define MAX_ANSWERS 60

/* --trace: every block of every run, as it happens. */
static gboolean trace;

/* Frames painted, by any of our windows. */
static guint paints;

static void
on_after_paint (GdkFrameClock *clock,
                gpointer       data)
{
  paints++;
}

static void
count_paints (GtkWidget *window)
{
  g_signal_connect (gtk_widget_get_frame_clock (window), "after-paint",
                    G_CALLBACK (on_after_paint), NULL);
}

typedef gboolean (*DoneFunc) (gpointer data);

/* Runs the main loop as the app's would run, until @done says the work is
 * over and a frame has been painted since (or nothing more happens), and
 * times each dispatch: each is a time the window could not respond. Adds
 * the longest to @longest and all of them to @total, in ms; the waits
 * between them are not counted. */
static void
run_blocks (const char *what,
            DoneFunc    done,
            gpointer    data,
            double     *longest,
            double     *total)
{
  gint64 quiet_since = g_get_monotonic_time ();  /* on the wall clock */
  guint done_at = G_MAXUINT;

  for (;;)
    {
      gint64 start = now ();

      if (g_main_context_iteration (NULL, FALSE))
        {
          double ms = ms_since (start);

          if (trace && ms >= 1)
            g_print ("  %s %.1f ms\n", what, ms);
          if (longest != NULL)
            *longest = MAX (*longest, ms);
          if (total != NULL)
            *total += ms;
          quiet_since = g_get_monotonic_time ();
        }
      else
        {
          g_usleep (100);
        }

      if (done_at == G_MAXUINT && (done == NULL || done (data)))
        done_at = paints;
      if (done_at != G_MAXUINT &&
          (paints > done_at || g_get_monotonic_time () - quiet_since > 100 * 1000))
        break;
    }
}

/* Frames painted by the window that holds the measured row. */
static guint row_paints;

static void
on_row_window_painted (GdkFrameClock *clock,
                       gpointer       data)
{
  row_paints++;
}

static gboolean
row_painted (gpointer data)
{
  return row_paints > GPOINTER_TO_UINT (data);
}

static gboolean
article_built (gpointer data)
{
  return !gloss_article_get_building (data);
}

typedef struct
{
  GtkWidget *article;
  GtkWidget *more;  /* weak: the button goes with the page it ends */
} PageTurn;

static gboolean
page_turned (gpointer data)
{
  PageTurn *turn = data;

  return turn->more == NULL && !gloss_article_get_building (GLOSS_ARTICLE (turn->article));
}

static gboolean
not_loading (gpointer data)
{
  return !gloss_window_get_loading (data);
}

/* The first view: what activating a row runs (the window shows the entry),
 * and the frame that shows it. Slices that run before that frame count as
 * slices. */
static double
show_entry (GlossWindow *window,
            GlossEntry  *entry,
            double      *longest,
            double      *total)
{
  guint before = paints;
  gint64 start = now ();
  double ms;

  if (!gloss_window_show_entry_id (window, gloss_entry_get_id (entry)))
    g_error ("the window would not show %s", gloss_entry_get_id (entry));
  ms = ms_since (start);

  while (paints == before)
    {
      double block;

      start = now ();
      if (!g_main_context_iteration (NULL, FALSE))
        {
          g_usleep (100);
          continue;
        }
      block = ms_since (start);
      if (paints > before)
        ms += block;
      else
        {
          if (trace && block >= 1)
            g_print ("  before the first frame %.1f ms\n", block);
          *longest = MAX (*longest, block);
          *total += block;
        }
    }

  if (trace)
    g_print ("  first view %.1f ms\n", ms);

  return ms;
}

typedef struct
{
  GlossWindow  *window;
  GlossArticle *article;
  GtkWidget    *row;       /* in a window of its own, the sidebar's width */
  GlossHit     *neutral;   /* a short entry the row shows between two measures */
  guint         runs;
} Bench;

static void
measure_entry (Bench       *bench,
               GlossBundle *bundle,
               guint        position,
               Result      *result)
{
  GlossEntry *entry = gloss_bundle_get_entry (bundle, position);
  g_autoptr(GArray) first_views = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) slices = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) expands = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) wholes = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) rows = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) search_rows = g_array_new (FALSE, FALSE, sizeof (double));
  g_autofree char *query = query_for (entry);
  GlossIndex *index = gloss_bundle_get_index (bundle);

  for (guint run = 0; run < bench->runs; run++)
    {
      GtkWidget *article = GTK_WIDGET (bench->article);
      g_autoptr(GPtrArray) answers = g_ptr_array_new ();
      GtkWidget *more;
      double whole = 0;
      double longest = 0;
      double ms;
      guint pages = 1;

      ms = show_entry (bench->window, entry, &longest, &whole);
      g_array_append_val (first_views, ms);
      whole += ms;

      /* The rest comes in slices between frames, a page at a time ("Continue
       * Reading"): each slice, each page start and each frame is a block. */
      run_blocks ("slice", article_built, article, &longest, &whole);
      while ((more = find_widget (article, GTK_TYPE_BUTTON, "gloss-more")) != NULL)
        {
          PageTurn turn = { article, more };
          gint64 start = now ();

          pages++;
          g_object_add_weak_pointer (G_OBJECT (more), (gpointer *)&turn.more);
          g_signal_emit_by_name (more, "clicked");
          ms = ms_since (start);
          longest = MAX (longest, ms);
          whole += ms;
          run_blocks ("slice", page_turned, &turn, &longest, &whole);
          if (turn.more != NULL)
            g_object_remove_weak_pointer (G_OBJECT (turn.more), (gpointer *)&turn.more);
        }
      g_array_append_val (slices, longest);
      g_array_append_val (wholes, whole);
      result->pages = pages;

      /* FAQ answers are made when opened: the call and the frame after it. */
      collect (article, ADW_TYPE_EXPANDER_ROW, NULL, answers);
      longest = 0;
      for (guint i = 0, n = MIN (answers->len, MAX_ANSWERS); i < n; i++)
        {
          AdwExpanderRow *expander = g_ptr_array_index (answers, i * answers->len / n);
          gint64 start = now ();
          double opened = 0;

          adw_expander_row_set_expanded (expander, TRUE);
          ms = ms_since (start);
          /* A long answer comes in slices too. */
          run_blocks ("answer", article_built, article, &opened, NULL);
          longest = MAX (longest, ms + opened);
        }
      g_array_append_val (expands, longest);

      /* List rows: as the list recycles them, a row that showed another
       * entry is bound to this one's hit, then drawn. */
      for (guint kind = 0; kind < 2; kind++)
        {
          g_autoptr(GlossHit) hit = NULL;
          gint64 start;
          double frame = 0;
          guint painted;

          gloss_entry_row_set_hit (GLOSS_ENTRY_ROW (bench->row), bench->neutral);
          run_blocks ("row", row_painted, GUINT_TO_POINTER (row_paints), NULL, NULL);

          start = now ();
          if (kind == 0)
            hit = gloss_hit_new (entry, "A", NULL);
          else
            {
              g_autofree char *match = NULL;

              if (index != NULL)
                match = gloss_index_explain (index, position, query, TRUE);
              hit = gloss_hit_new (entry, NULL, match);
            }
          painted = row_paints;
          gloss_entry_row_set_hit (GLOSS_ENTRY_ROW (bench->row), hit);
          ms = ms_since (start);
          /* The row's own frame: the main window may paint first. */
          run_blocks ("row", row_painted, GUINT_TO_POINTER (painted), &frame, NULL);
          ms += frame;
          g_array_append_val (kind == 0 ? rows : search_rows, ms);
        }
    }

  result->first_view = median (first_views);
  result->slice = median (slices);
  result->expand = median (expands);
  result->whole = median (wholes);
  result->row = median (rows);
  result->search_row = median (search_rows);
}

/* The longest the main loop is held while the entry is shown. */
static double
worst_block (const Result *r)
{
  return MAX (r->first_view, MAX (r->slice, r->expand));
}

static int
compare_results (gconstpointer a,
                 gconstpointer b)
{
  const Result *ra = *(const Result * const *)a;
  const Result *rb = *(const Result * const *)b;
  double wa = worst_block (ra);
  double wb = worst_block (rb);

  return (wa < wb) - (wa > wb);
}

#define NAME_WIDTH 44

static void
print_header (void)
{
  g_print ("%-*s %7s %7s %5s %7s %8s %6s %6s\n", NAME_WIDTH, "entry", "first", "slice", "pages",
           "answer", "whole", "row", "search");
}

static void
print_result (const Result *r)
{
  g_autofree char *name = NULL;

  if (g_utf8_strlen (r->name, -1) > NAME_WIDTH)
    {
      g_autofree char *cut = g_utf8_substring (r->name, 0, NAME_WIDTH - 1);
      name = g_strconcat (cut, "…", NULL);
    }
  else
    name = g_strdup (r->name);

  /* printf pads bytes, not characters. */
  g_print ("%s%*s %7.1f %7.1f %5u %7.1f %8.1f %6.2f %6.2f\n", name,
           (int)(NAME_WIDTH - g_utf8_strlen (name, -1)), "",
           r->first_view, r->slice, r->pages, r->expand, r->whole, r->row, r->search_row);
}

static void
result_free (Result *r)
{
  g_free (r->name);
  g_free (r);
}

static int
compare_names (gconstpointer a,
               gconstpointer b)
{
  return strcmp (*(const char * const *)a, *(const char * const *)b);
}

/* Every bundle of tests/data/hostile/ but the refused-* ones, which are
 * refused before any entry exists. */
static GPtrArray *
list_hostile_files (void)
{
  g_autofree char *dir_path = g_build_filename (SOURCE_ROOT, "tests", "data", "hostile", NULL);
  g_autoptr(GDir) dir = g_dir_open (dir_path, 0, NULL);
  GPtrArray *paths = g_ptr_array_new_with_free_func (g_free);
  const char *name;

  if (dir == NULL)
    g_error ("cannot read %s", dir_path);

  while ((name = g_dir_read_name (dir)) != NULL)
    {
      if (g_str_has_suffix (name, ".json") && !g_str_has_prefix (name, "refused-"))
        g_ptr_array_add (paths, g_build_filename (dir_path, name, NULL));
    }
  g_ptr_array_sort (paths, compare_names);

  return paths;
}

/* Opens @path in the window as a user would; FALSE if it was refused. */
static gboolean
open_bundle (Bench      *bench,
             const char *path)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);
  GlossBundle *before = gloss_window_get_bundle (bench->window);

  gloss_window_open_file (bench->window, file, NULL);
  run_blocks ("loading", not_loading, bench->window, NULL, NULL);

  /* A refusal leaves the bundle that was open, and a dialog. */
  for (GList *l = gtk_window_list_toplevels (); l != NULL; l = g_list_delete_link (l, l))
    {
      if (ADW_IS_MESSAGE_DIALOG (l->data))
        gtk_window_destroy (l->data);
    }

  return gloss_window_get_bundle (bench->window) != before;
}

static void
measure_bundle (Bench      *bench,
                const char *prefix,
                const char *only,
                GPtrArray  *results)
{
  GlossBundle *bundle = gloss_window_get_bundle (bench->window);

  for (guint i = 0; i < gloss_bundle_get_n_entries (bundle); i++)
    {
      GlossEntry *entry = gloss_bundle_get_entry (bundle, i);
      Result *r = g_new0 (Result, 1);

      r->name = g_strdup_printf ("%s#%s", prefix, gloss_entry_get_id (entry));
      if (only != NULL && strstr (r->name, only) == NULL)
        {
          result_free (r);
          continue;
        }
      if (trace)
        g_print ("%s\n", r->name);
      measure_entry (bench, bundle, i, r);
      g_ptr_array_add (results, r);
    }
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GPtrArray) cases = NULL;
  g_autoptr(GPtrArray) files = NULL;
  g_autoptr(GPtrArray) builtin = g_ptr_array_new_with_free_func ((GDestroyNotify)result_free);
  g_autoptr(GPtrArray) hostile = g_ptr_array_new_with_free_func ((GDestroyNotify)result_free);
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GSettings) settings = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *only = NULL;
  g_autofree char *tmp = NULL;
  gboolean all = FALSE;
  int runs = 5;
  int top = 25;
  GOptionEntry options[] = {
    { "runs", 0, 0, G_OPTION_ARG_INT, &runs, "Runs per entry (median; default 5)", "N" },
    { "top", 0, 0, G_OPTION_ARG_INT, &top, "Rows of the worst entries (default 25)", "N" },
    { "all", 0, 0, G_OPTION_ARG_NONE, &all, "Print every entry, in order", NULL },
    { "only", 0, 0, G_OPTION_ARG_STRING, &only, "Only entries whose name has TEXT", "TEXT" },
    { "wall", 0, 0, G_OPTION_ARG_NONE, &wall_clock, "Time on the wall clock, not in CPU time",
      NULL },
    { "trace", 0, 0, G_OPTION_ARG_NONE, &trace, "Print every block as it is timed", NULL },
    { NULL }
  };
  GtkWidget *row_window;
  g_autoptr(GlossBundle) neutral_bundle = NULL;
  g_autoptr(GBytes) neutral_bytes =
    g_bytes_new_static (NEUTRAL_BUNDLE, strlen (NEUTRAL_BUNDLE));
  Bench bench = { 0, };
  Result *baseline = NULL;
  double worst_builtin = 0;
  guint over[3] = { 0, };
  guint rows_over = 0;
  guint n_generated = 0;

  context = g_option_context_new (NULL);
  g_option_context_add_main_entries (context, options, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error) || runs < 1 || top < 0)
    {
      g_printerr ("%s\n", error ? error->message : "--runs and --top take positive numbers");
      return 2;
    }
  bench.runs = runs;

  /* A window of our own: settings in memory, the build's schema, caches
   * and user data in a private folder (every bundle is read as JSON). */
  tmp = g_dir_make_tmp ("gloss-bench-render-XXXXXX", &error);
  if (tmp == NULL)
    g_error ("%s", error->message);
  g_setenv ("GSETTINGS_BACKEND", "memory", TRUE);
  g_setenv ("GSETTINGS_SCHEMA_DIR", BUILD_ROOT "/data", FALSE);
  g_setenv ("GLOSS_CACHE", "0", TRUE);
  g_setenv ("XDG_CACHE_HOME", tmp, TRUE);
  g_setenv ("XDG_DATA_HOME", tmp, TRUE);
  g_setenv ("XDG_CONFIG_HOME", tmp, TRUE);
  gtk_init ();
  adw_init ();

  /* Mature entries are shown too, as to a reader who opted in. An answer
   * opens at once, in one frame. */
  settings = g_settings_new ("io.github.glossapp.Gloss");
  g_settings_set_boolean (settings, "show-mature", TRUE);
  g_settings_set_boolean (settings, "mature-confirmed", TRUE);
  /* Nothing else draws while a block is timed: no animation, and no
   * blinking cursor in the search entry. */
  g_object_set (gtk_settings_get_default (), "gtk-enable-animations", FALSE,
                "gtk-cursor-blink", FALSE, NULL);

  bench.window = gloss_window_new (NULL);
  gtk_window_set_default_size (GTK_WINDOW (bench.window), 1280, 800);
  gloss_window_open_builtin (bench.window);
  gtk_window_present (GTK_WINDOW (bench.window));
  count_paints (GTK_WIDGET (bench.window));
  bench.article = GLOSS_ARTICLE (find_widget (GTK_WIDGET (bench.window), GLOSS_TYPE_ARTICLE, NULL));
  g_assert (bench.article != NULL);

  row_window = gtk_window_new ();
  gtk_window_set_default_size (GTK_WINDOW (row_window), 320, 120);
  bench.row = g_object_new (GLOSS_TYPE_ENTRY_ROW, NULL);
  gtk_window_set_child (GTK_WINDOW (row_window), bench.row);
  neutral_bundle = gloss_bundle_new_from_bytes (neutral_bytes, "neutral", "neutral", NULL, NULL);
  g_assert (neutral_bundle != NULL);
  bench.neutral = gloss_hit_new (gloss_bundle_get_entry (neutral_bundle, 0), NULL, NULL);
  gtk_window_present (GTK_WINDOW (row_window));
  count_paints (row_window);
  g_signal_connect (gtk_widget_get_frame_clock (row_window), "after-paint",
                    G_CALLBACK (on_row_window_painted), NULL);
  run_blocks ("start", NULL, NULL, NULL, NULL);

  g_print ("Every time the main loop is held while an entry is shown in the window\n"
           "(1280 by 800 pixels), its frames included. first: showing the entry and\n"
           "the frame that shows it; slice: the longest later block (a slice of a long\n"
           "article, a frame, a \"Continue Reading\" page); pages; answer: the longest\n"
           "FAQ answer opened (up to %d), with its frame; whole: every block of every\n"
           "page added up; row, search: a list row bound to the entry and drawn,\n"
           "browsing and with a search's explanation. Median of %d runs, ms of the\n"
           "main thread's %s.\n\n", MAX_ANSWERS, runs,
           wall_clock ? "wall-clock time" : "CPU time");

  /* The baseline: the built-in glossary. */
  measure_bundle (&bench, "built-in", only, builtin);

  files = list_hostile_files ();
  for (guint i = 0; i < files->len; i++)
    {
      const char *path = g_ptr_array_index (files, i);
      g_autofree char *name = g_path_get_basename (path);

      if (!open_bundle (&bench, path))
        {
          g_print ("%s: refused\n", name);
          continue;
        }
      measure_bundle (&bench, name, only, hostile);
    }

  /* Generated entries, written to files and opened the same way. */
  cases = make_cases ();
  for (guint i = 0; i < cases->len; i++)
    {
      const Case *c = g_ptr_array_index (cases, i);
      g_autofree char *path = g_strdup_printf ("%s/generated-%u.json", tmp, i);
      g_autofree char *json = NULL;
      g_autofree char *name = g_strdup_printf ("generated: %s", c->name);

      if (only != NULL && strstr (name, only) == NULL)
        continue;

      json = g_strdup_printf ("{\"format\":\"gloss-bundle\",\"version\":1,\"title\":\"Bench\","
                              "\"entries\":[%s]}", c->entry_json);
      if (!g_file_set_contents (path, json, -1, &error))
        g_error ("%s", error->message);
      if (!open_bundle (&bench, path))
        g_error ("%s: refused", c->name);
      n_generated++;

      {
        Result *r = g_new0 (Result, 1);

        r->name = g_steal_pointer (&name);
        if (trace)
          g_print ("%s\n", r->name);
        measure_entry (&bench, gloss_window_get_bundle (bench.window), 0, r);
        g_ptr_array_add (hostile, r);
      }
      g_unlink (path);
    }

  print_header ();
  for (guint i = 0; i < builtin->len; i++)
    {
      Result *r = g_ptr_array_index (builtin, i);

      if (g_str_equal (r->name, "built-in#tsundere"))
        baseline = r;
      worst_builtin = MAX (worst_builtin, worst_block (r));
      if (all)
        print_result (r);
    }
  if (baseline != NULL && !all)
    print_result (baseline);
  if (builtin->len > 0)
    g_print ("(the built-in glossary's %u entries: the longest block %.1f ms)\n\n",
             builtin->len, worst_builtin);

  if (!all)
    g_ptr_array_sort (hostile, compare_results);
  for (guint i = 0; i < hostile->len; i++)
    {
      Result *r = g_ptr_array_index (hostile, i);
      double worst = worst_block (r);

      over[0] += worst > 25;
      over[1] += worst > 50;
      over[2] += worst > 100;
      rows_over += r->row > 1 || r->search_row > 1;
      if (all || i < (guint)top)
        print_result (r);
    }

  g_print ("\n%u hostile entries (from %u files and %u generated): the longest block over "
           "25 ms in %u, over 50 ms in %u, over 100 ms in %u; a row over 1 ms in %u.\n",
           hostile->len, files->len, n_generated, over[0], over[1], over[2], rows_over);

  g_object_unref (bench.neutral);
  gtk_window_destroy (GTK_WINDOW (row_window));
  gtk_window_destroy (GTK_WINDOW (bench.window));
  g_rmdir (tmp);

  return 0;
}
