/* test-group.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "gloss-bundle.h"
#include "gloss-group.h"
#include "gloss-hit-list.h"

/* A bundle with @id whose entries are @entries, a JSON array written with
 * single quotes for readability. */
static GlossBundle *
load_bundle (const char *id,
             const char *entries)
{
  g_autofree char *json_entries = g_strdelimit (g_strdup (entries), "'", '"');
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;
  GlossBundle *bundle;
  char *json;

  json = g_strdup_printf ("{\"format\": \"gloss-bundle\", \"version\": 1, \"id\": \"%s\","
                          " \"title\": \"%s\", \"entries\": %s}", id, id, json_entries);
  bytes = g_bytes_new_take (json, strlen (json));
  bundle = gloss_bundle_new_from_bytes (bytes, id, id, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (gloss_bundle_get_n_skipped (bundle), ==, 0);

  return bundle;
}

/* Computing terms: a C compiler, TCP, a protocol, and a mature entry */
static const char *computing =
  "[{'id': 'gcc', 'term': 'GCC', 'aliases': ['GNU Compiler Collection'],"
  "  'summary': 'A compiler for C and other languages.', 'tags': ['tools']},"
  " {'id': 'tcp', 'term': 'TCP', 'summary': 'A transport protocol of the internet.',"
  "  'tags': ['network']},"
  " {'id': 'protocol', 'term': 'Protocol', 'summary': 'Rules two programs follow to talk.'},"
  " {'id': 'compiler', 'term': 'Compiler', 'summary': 'Turns source code into programs.'},"
  " {'id': 'zombie', 'term': 'Zombie process', 'summary': 'A process that ended.',"
  "  'mature': true}]";

/* A general dictionary: some of the same words, some others. Terms are
 * capitalised alike: in the C locale tests run in, collation is by bytes. */
static const char *general =
  "[{'id': 'compiler', 'term': 'Compiler', 'summary': 'One who compiles: gathers and arranges.'},"
  " {'id': 'apple', 'term': 'Apple', 'summary': 'A fruit; compilers of recipes love it.'},"
  " {'id': 'protocol', 'term': 'Protocol', 'summary': 'The etiquette of diplomats.'},"
  " {'id': 'tcp', 'term': 'Teacup', 'aliases': ['TCP'], 'summary': 'A small cup for tea.'},"
  " {'id': 'zebra', 'term': 'Zebra', 'summary': 'A striped horse.'}]";

typedef struct
{
  GlossBundle *computing;
  GlossBundle *general;
  GlossGroup  *group;
} Fixture;

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  GlossBundle *bundles[2];

  f->computing = load_bundle ("computing", computing);
  f->general = load_bundle ("general", general);
  bundles[0] = f->computing;
  bundles[1] = f->general;
  f->group = gloss_group_new (bundles, 2);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  g_clear_object (&f->group);
  g_clear_object (&f->computing);
  g_clear_object (&f->general);
}

/* "bundle/id" for each ref, space-separated */
static char *
refs_to_string (GlossGroup          *group,
                const GlossGroupRef *refs,
                guint                n,
                gsize                stride)
{
  GString *out = g_string_new (NULL);

  for (guint i = 0; i < n; i++)
    {
      const GlossGroupRef *ref = (const GlossGroupRef *)(gconstpointer)((const char *)refs + i * stride);
      GlossBundle *bundle = gloss_group_get_bundle (group, ref->bundle);

      g_string_append_printf (out, "%s%s/%s", i ? " " : "", gloss_bundle_get_id (bundle),
                              gloss_bundle_get_entry_id (bundle, ref->position));
    }

  return g_string_free (out, FALSE);
}

static char *
search (GlossGroup *group,
        const char *query,
        guint       scope,
        guint       limit,
        guint      *total)
{
  g_autoptr(GlossFilter) filter = gloss_filter_new (FALSE, NULL);
  g_autoptr(GArray) matches = gloss_group_search (group, query, filter, scope, limit, total);

  /* GlossGroupMatch starts with the same two fields as GlossGroupRef */
  return refs_to_string (group, (const GlossGroupRef *)(gconstpointer)matches->data, matches->len,
                         sizeof (GlossGroupMatch));
}

static void
test_sorted (Fixture       *f,
             gconstpointer  data)
{
  const GlossGroupRef *sorted;
  g_autofree char *order = NULL;
  guint n;

  g_assert_cmpuint (gloss_group_get_n_bundles (f->group), ==, 2);
  g_assert_cmpuint (gloss_group_get_n_entries (f->group), ==, 10);

  /* One alphabetical order across both; equal terms in the order the
   * bundles were added. */
  sorted = gloss_group_get_sorted (f->group, &n);
  order = refs_to_string (f->group, sorted, n, sizeof (GlossGroupRef));
  g_assert_cmpstr (order, ==,
                   "general/apple computing/compiler general/compiler computing/gcc "
                   "computing/protocol general/protocol computing/tcp general/tcp "
                   "general/zebra computing/zombie");
}

static void
test_lookup (Fixture       *f,
             gconstpointer  data)
{
  guint i;

  g_assert_true (gloss_group_lookup_bundle (f->group, "general") == f->general);
  g_assert_null (gloss_group_lookup_bundle (f->group, "other"));
  g_assert_true (gloss_group_find_bundle (f->group, f->general, &i));
  g_assert_cmpuint (i, ==, 1);
}

static void
test_search_merges_tiers (Fixture       *f,
                          gconstpointer  data)
{
  g_autofree char *tcp = NULL;
  g_autofree char *compil = NULL;
  g_autofree char *cups = NULL;
  guint total = 0;

  /* Exact matches of both bundles come first, by term: "TCP" the term,
   * then "Teacup" by its alias. */
  tcp = search (f->group, "tcp", GLOSS_GROUP_ALL, 20, &total);
  g_assert_cmpstr (tcp, ==, "computing/tcp general/tcp");
  g_assert_cmpuint (total, ==, 2);

  /* Prefix of a term in both (by term, then bundle order), then a body
   * match ("compilers of recipes", "A compiler for C"), then nothing
   * else: the tiers of both bundles interleave as one ranking. */
  compil = search (f->group, "compil", GLOSS_GROUP_ALL, 20, &total);
  g_assert_true (g_str_has_prefix (compil, "computing/compiler general/compiler "));
  g_assert_true (strstr (compil, "computing/gcc") != NULL);
  g_assert_true (strstr (compil, "general/apple") != NULL);
  g_assert_cmpuint (total, ==, 4);

  /* Nothing in either */
  cups = search (f->group, "saucer", GLOSS_GROUP_ALL, 20, &total);
  g_assert_cmpstr (cups, ==, "");
  g_assert_cmpuint (total, ==, 0);
}

static void
test_search_scope_and_limit (Fixture       *f,
                             gconstpointer  data)
{
  g_autofree char *only_general = NULL;
  g_autofree char *only_computing = NULL;
  g_autofree char *limited = NULL;
  g_autofree char *mature = NULL;
  guint total = 0;

  only_general = search (f->group, "protocol", 1, 20, &total);
  g_assert_cmpstr (only_general, ==, "general/protocol");
  g_assert_cmpuint (total, ==, 1);

  /* Protocol, then TCP by its summary's "protocol" */
  only_computing = search (f->group, "protocol", 0, 20, &total);
  g_assert_cmpstr (only_computing, ==, "computing/protocol computing/tcp");
  g_assert_cmpuint (total, ==, 2);

  /* The limit applies to the merged ranking; the total counts all. */
  limited = search (f->group, "protocol", GLOSS_GROUP_ALL, 2, &total);
  g_assert_cmpstr (limited, ==, "computing/protocol general/protocol");
  g_assert_cmpuint (total, ==, 3);

  /* The filter applies in every bundle: mature entries stay hidden. */
  mature = search (f->group, "zombie", GLOSS_GROUP_ALL, 20, &total);
  g_assert_cmpstr (mature, ==, "");
  g_assert_cmpuint (total, ==, 0);
}

static void
test_one_bundle (void)
{
  g_autoptr(GlossBundle) bundle = load_bundle ("general", general);
  g_autoptr(GlossGroup) group = gloss_group_new (&bundle, 1);
  g_autofree char *order = NULL;
  g_autofree char *found = NULL;
  const GlossGroupRef *sorted;
  guint n;
  guint total;

  sorted = gloss_group_get_sorted (group, &n);
  order = refs_to_string (group, sorted, n, sizeof (GlossGroupRef));
  g_assert_cmpstr (order, ==,
                   "general/apple general/compiler general/protocol general/tcp general/zebra");

  found = search (group, "z", GLOSS_GROUP_ALL, 0, &total);
  g_assert_cmpstr (found, ==, "general/zebra");
}

/* Within a tier, each index ranks a term before an alias: the group keeps
 * that across bundles, though "Color" sorts before "Colour". */
static void
test_term_before_alias (void)
{
  g_autoptr(GlossBundle) american = load_bundle ("american",
    "[{'id': 'color', 'term': 'Color', 'aliases': ['Colour'], 'summary': 'Hue.'}]");
  g_autoptr(GlossBundle) british = load_bundle ("british",
    "[{'id': 'colour', 'term': 'Colour', 'summary': 'Hue, in Britain.'}]");
  GlossBundle *bundles[] = { american, british };
  g_autoptr(GlossGroup) group = gloss_group_new (bundles, 2);
  g_autofree char *exact = NULL;
  g_autofree char *prefix = NULL;
  guint total;

  exact = search (group, "colour", GLOSS_GROUP_ALL, 20, &total);
  g_assert_cmpstr (exact, ==, "british/colour american/color");
  prefix = search (group, "colo", GLOSS_GROUP_ALL, 20, &total);
  g_assert_cmpstr (prefix, ==, "american/color british/colour");
}

static void
on_group_ready (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  GlossGroup **out = user_data;
  g_autoptr(GError) error = NULL;

  *out = gloss_group_new_finish (result, &error);
  g_assert_no_error (error);
}

static void
test_async (Fixture       *f,
            gconstpointer  data)
{
  GlossBundle *bundles[] = { f->general, f->computing };
  g_autoptr(GlossGroup) group = NULL;
  g_autofree char *order = NULL;
  const GlossGroupRef *sorted;
  guint n;

  gloss_group_new_async (bundles, 2, NULL, on_group_ready, &group);
  while (group == NULL)
    g_main_context_iteration (NULL, TRUE);

  /* Added the other way round: equal terms follow that order. */
  sorted = gloss_group_get_sorted (group, &n);
  order = refs_to_string (group, sorted, n, sizeof (GlossGroupRef));
  g_assert_true (g_str_has_prefix (order, "general/apple general/compiler computing/compiler "));
}

static GArray *
refs_of (guint bundle,
         guint n)
{
  GArray *refs = g_array_new (FALSE, FALSE, sizeof (GlossGroupRef));

  for (guint i = 0; i < n; i++)
    {
      GlossGroupRef ref = { bundle, i };
      g_array_append_val (refs, ref);
    }

  return refs;
}

static void
on_items_changed (GListModel *model,
                  guint       position,
                  guint       removed,
                  guint       added,
                  guint      *changes)
{
  changes[0] = position;
  changes[1] = removed;
  changes[2] = added;
  changes[3]++;
}

static void
count_notify (GObject    *object,
              GParamSpec *pspec,
              guint      *count)
{
  (*count)++;
}

/* A new list keeps the rows both lists have: the hits handed out for them
 * stand for the new rows and say so; only the rows past the shorter list's
 * end are added or removed. */
static void
test_hit_list_reuses_rows (Fixture       *f,
                           gconstpointer  data)
{
  g_autoptr(GlossHitList) hits = gloss_hit_list_new ();
  g_autoptr(GlossHit) first = NULL;
  g_autoptr(GlossHit) again = NULL;
  g_autoptr(GlossHit) last = NULL;
  guint changes[4] = { 0 };
  guint notified = 0;

  gloss_hit_list_set (hits, f->group, refs_of (0, 4), FALSE, FALSE, NULL, NULL, NULL);
  first = g_list_model_get_item (G_LIST_MODEL (hits), 0);
  last = g_list_model_get_item (G_LIST_MODEL (hits), 3);
  g_assert_cmpstr (gloss_entry_get_id (gloss_hit_get_entry (first)), ==, "gcc");
  g_signal_connect (first, "notify::entry", G_CALLBACK (count_notify), &notified);
  g_signal_connect (hits, "items-changed", G_CALLBACK (on_items_changed), changes);

  /* Three rows of the other bundle, with the glossary named: row 0 is the
   * same hit, now for "compiler" of the general dictionary. */
  gloss_hit_list_set (hits, f->group, refs_of (1, 3), FALSE, TRUE, NULL, NULL, NULL);
  g_assert_cmpuint (changes[3], ==, 1);
  g_assert_cmpuint (changes[0], ==, 3);
  g_assert_cmpuint (changes[1], ==, 1);
  g_assert_cmpuint (changes[2], ==, 0);
  g_assert_cmpuint (notified, ==, 1);
  again = g_list_model_get_item (G_LIST_MODEL (hits), 0);
  g_assert_true (again == first);
  g_assert_cmpstr (gloss_entry_get_id (gloss_hit_get_entry (first)), ==, "compiler");
  g_assert_true (gloss_hit_get_entry (first) ==
                 gloss_bundle_get_entry (f->general, 0));
  g_assert_cmpstr (gloss_hit_get_source (first), ==, "general");

  /* The hit of the row that went is not changed behind its holder. */
  g_assert_true (gloss_hit_get_entry (last) == gloss_bundle_get_entry (f->computing, 3));

  /* Emptied, then longer: the rows are removed, then added. */
  gloss_hit_list_clear (hits);
  g_assert_cmpuint (changes[0], ==, 0);
  g_assert_cmpuint (changes[1], ==, 3);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (hits)), ==, 0);
  gloss_hit_list_set (hits, f->group, refs_of (0, 5), FALSE, FALSE, NULL, NULL, NULL);
  g_assert_cmpuint (changes[0], ==, 0);
  g_assert_cmpuint (changes[2], ==, 5);
  g_assert_cmpuint (changes[3], ==, 3);
}

typedef struct
{
  guint  calls;
  const char *query;
  guint  freed;
} ExplainCount;

static char *
explain_counted (GlossBundle *bundle,
                 guint        position,
                 gpointer     user_data)
{
  ExplainCount *count = user_data;

  count->calls++;
  return g_strdup_printf ("%s: %s", count->query,
                          gloss_entry_get_id (gloss_bundle_get_entry (bundle, position)));
}

static void
explain_freed (gpointer user_data)
{
  ((ExplainCount *)user_data)->freed++;
}

/* A search's explanation is worked out only for the hits whose match is
 * asked for (the rows drawn), once each, with the query of their search,
 * even when the list has moved on to another search since. */
static void
test_hit_list_explains_on_demand (Fixture       *f,
                                  gconstpointer  data)
{
  g_autoptr(GlossHitList) hits = gloss_hit_list_new ();
  g_autoptr(GlossHit) first = NULL;
  g_autoptr(GlossHit) second = NULL;
  g_autoptr(GlossHit) fourth = NULL;
  ExplainCount one = { 0, "one", 0 };
  ExplainCount two = { 0, "two", 0 };

  gloss_hit_list_set (hits, f->group, refs_of (0, 4), FALSE, FALSE,
                      explain_counted, &one, explain_freed);
  first = g_list_model_get_item (G_LIST_MODEL (hits), 0);
  second = g_list_model_get_item (G_LIST_MODEL (hits), 1);
  fourth = g_list_model_get_item (G_LIST_MODEL (hits), 3);
  g_assert_cmpuint (one.calls, ==, 0);
  g_assert_true (gloss_hit_get_match_pending (first));

  g_assert_cmpstr (gloss_hit_get_match (first), ==, "one: gcc");
  g_assert_cmpstr (gloss_hit_get_match (first), ==, "one: gcc");
  g_assert_cmpuint (one.calls, ==, 1);
  g_assert_false (gloss_hit_get_match_pending (first));
  g_assert_true (gloss_hit_get_match_pending (second));

  /* A new search, shorter: the kept rows are pending again, for the new
   * query; the hit of the row that went still explains the old one. */
  gloss_hit_list_set (hits, f->group, refs_of (1, 3), FALSE, FALSE,
                      explain_counted, &two, explain_freed);
  g_assert_cmpuint (one.freed, ==, 0);
  g_assert_true (gloss_hit_get_match_pending (first));
  g_assert_cmpstr (gloss_hit_get_match (first), ==, "two: compiler");
  g_assert_cmpstr (gloss_hit_get_match (fourth), ==, "one: compiler");
  g_assert_cmpuint (one.calls, ==, 2);
  g_assert_cmpuint (two.calls, ==, 1);

  /* A search's data goes with the last hit that could still ask it. */
  g_assert_cmpuint (one.freed, ==, 1);
  gloss_hit_list_clear (hits);
  g_assert_cmpuint (two.freed, ==, 0);
  g_assert_cmpstr (gloss_hit_get_match (second), ==, "two: apple");
  g_assert_cmpuint (two.freed, ==, 1);
  g_assert_cmpuint (two.calls, ==, 2);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add ("/gloss/group/" path, Fixture, NULL, fixture_setup, func, fixture_teardown)

  ADD ("sorted", test_sorted);
  ADD ("lookup", test_lookup);
  ADD ("search-merges-tiers", test_search_merges_tiers);
  ADD ("search-scope-and-limit", test_search_scope_and_limit);
  ADD ("async", test_async);
  ADD ("hit-list-reuses-rows", test_hit_list_reuses_rows);
  ADD ("hit-list-explains-on-demand", test_hit_list_explains_on_demand);
  g_test_add_func ("/gloss/group/one-bundle", test_one_bundle);
  g_test_add_func ("/gloss/group/term-before-alias", test_term_before_alias);

  return g_test_run ();
}
