/* test-search.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "gloss-bundle.h"
#include "gloss-fold.h"
#include "gloss-index.h"

/* Loads a bundle whose entries are @entries, a JSON array written with
 * single quotes for readability, and builds its index. */
static GlossIndex *
load_index (const char   *entries,
            GlossBundle **bundle_out)
{
  g_autofree char *json_entries = g_strdelimit (g_strdup (entries), "'", '"');
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;
  GlossBundle *bundle;
  char *json;

  json = g_strdup_printf ("{\"format\": \"gloss-bundle\", \"version\": 1, \"title\": \"Test\","
                          " \"entries\": %s}", json_entries);
  bytes = g_bytes_new_take (json, strlen (json));
  bundle = gloss_bundle_new_from_bytes (bytes, "test.json", "test", NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (gloss_bundle_get_n_skipped (bundle), ==, 0);

  *bundle_out = bundle;
  return gloss_index_new (bundle);
}

static const char *tier_names[] = {
  "exact", "prefix", "name", "tag", "body", "typo-name", "typo-tag", "typo-body",
};

/* The ids of the results, space-separated; with @tiers, each as id:tier. */
static char *
search_full (GlossIndex  *index,
             GlossBundle *bundle,
             const char  *query,
             GlossFilter *filter,
             guint        limit,
             gboolean     tiers,
             guint       *total)
{
  g_autoptr(GlossResults) results = gloss_index_search (index, query, filter, limit);
  GString *out = g_string_new (NULL);
  const GlossMatch *matches;
  guint n;

  matches = gloss_results_get_matches (results, &n);
  g_assert_cmpuint (n, ==, gloss_results_get_n_matches (results));
  g_assert_cmpuint (n, <=, gloss_results_get_total (results));
  if (limit > 0)
    g_assert_cmpuint (n, <=, limit);

  for (guint i = 0; i < n; i++)
    {
      GlossEntry *entry = gloss_bundle_get_entry (bundle, matches[i].position);

      if (i > 0)
        g_string_append_c (out, ' ');
      g_string_append (out, gloss_entry_get_id (entry));
      if (tiers)
        g_string_append_printf (out, ":%s", tier_names[matches[i].tier]);
      if (i > 0)
        g_assert_cmpint (matches[i - 1].tier, <=, matches[i].tier);
    }

  if (total != NULL)
    *total = gloss_results_get_total (results);

  return g_string_free (out, FALSE);
}

#define assert_search(index, bundle, query, expected) \
  G_STMT_START { \
    g_autofree char *_got = search_full (index, bundle, query, NULL, 0, FALSE, NULL); \
    g_assert_cmpstr (_got, ==, expected); \
  } G_STMT_END

#define assert_search_tiers(index, bundle, query, expected) \
  G_STMT_START { \
    g_autofree char *_got = search_full (index, bundle, query, NULL, 0, TRUE, NULL); \
    g_assert_cmpstr (_got, ==, expected); \
  } G_STMT_END

/* One entry for each rule, in the spec's order, for the query "cat". */
static const char *ranking_entries =
  "["
  " {'id': 'nothing', 'term': 'Nothing', 'summary': 'No felines here.'},"
  " {'id': 'dog', 'term': 'Dog', 'summary': 'Not a cat, but long text about other animals,"
  "    horses, birds, fish, cows and sheep and goats.'},"
  " {'id': 'big-cat', 'term': 'Big cat'},"
  " {'id': 'kitty', 'term': 'Kitty', 'aliases': ['Cat']},"
  " {'id': 'zoo', 'term': 'Zoo', 'title': 'All about cats at the zoo'},"
  " {'id': 'catalog', 'term': 'Catalog'},"
  " {'id': 'feline', 'term': 'Feline', 'tags': ['cats']},"
  " {'id': 'animal', 'term': 'Animal', 'sections': [{'body': 'A cat. Cat cat **cat**.'}]},"
  " {'id': 'cat', 'term': 'Cat'},"
  " {'id': 'cats-and-dogs', 'term': 'Cats and dogs'}"
  "]";

static void
test_search_ranking (void)
{
  g_autoptr(GlossBundle) bundle = NULL;
  g_autoptr(GlossIndex) index = load_index (ranking_entries, &bundle);

  /* exact term, exact alias (ties by term); term starting with the query;
   * a word of the term, of the title; a tag; the body, most matches first */
  assert_search_tiers (index, bundle, "cat",
                       "cat:exact kitty:exact "
                       "catalog:prefix cats-and-dogs:prefix "
                       "big-cat:name zoo:name "
                       "feline:tag "
                       "animal:body dog:body");
  assert_search_tiers (index, bundle, "Cats",
                       "cats-and-dogs:prefix zoo:name feline:tag");
  assert_search_tiers (index, bundle, "big", "big-cat:prefix");
}

static void
test_search_ties_by_term (void)
{
  g_autoptr(GlossBundle) bundle = NULL;
  g_autoptr(GlossIndex) index = load_index (
    "["
    " {'id': 'c', 'term': 'Gamma ray'},"
    " {'id': 'a', 'term': 'Alpha ray'},"
    " {'id': 'd', 'term': 'Delta ray'},"
    " {'id': 'b', 'term': 'Beta ray'},"
    " {'id': 't1', 'term': 'Zeta', 'tags': ['ray']},"
    " {'id': 't0', 'term': 'Eta', 'tags': ['ray']}"
    "]", &bundle);

  assert_search_tiers (index, bundle, "ray", "a:name b:name d:name c:name t0:tag t1:tag");
  assert_search_tiers (index, bundle, "RAY", "a:name b:name d:name c:name t0:tag t1:tag");
}

static void
test_search_body_score (void)
{
  g_autoptr(GlossBundle) bundle = NULL;
  g_autoptr(GlossIndex) index = load_index (
    "["
    " {'id': 'e1', 'term': 'One', 'summary': 'zorro and things'},"
    " {'id': 'e2', 'term': 'Two', 'summary': 'zorro and things'},"
    " {'id': 'e3', 'term': 'Three', 'summary': 'zorro and things'},"
    " {'id': 'many', 'term': 'Many', 'sections': [{'body': 'zorro zorro zorro zorro zorro'}]},"
    " {'id': 'rare', 'term': 'Rare', 'sections': [{'body': 'zorba and things'}]},"
    " {'id': 'both', 'term': 'Both', 'sections': [{'body': 'zorba zorro and things'}]},"
    " {'id': 'f1', 'term': 'F1', 'summary': 'filler'},"
    " {'id': 'f2', 'term': 'F2', 'summary': 'filler'},"
    " {'id': 'f3', 'term': 'F3', 'summary': 'filler'}"
    "]", &bundle);

  /* Rarer words weigh more; more of them, and more often, weigh more. */
  assert_search (index, bundle, "zor", "both rare many e1 e3 e2");
  assert_search (index, bundle, "zorro", "many e1 e3 e2 both");
  assert_search (index, bundle, "zorba", "rare both");
}

static void
test_search_normalisation (void)
{
  g_autoptr(GlossBundle) bundle = NULL;
  g_autoptr(GlossIndex) index = load_index (
    "["
    " {'id': 'strasse', 'term': 'Straße'},"
    " {'id': 'ntr', 'term': 'NTR'},"
    " {'id': 'wide', 'term': 'ＷＩＤＥ'},"
    " {'id': 'naive', 'term': 'naïve'},"
    " {'id': 'plain', 'term': 'Naive art'},"
    " {'id': 'ga', 'term': 'が'},"
    " {'id': 'ka', 'term': 'か'},"
    " {'id': 'greek', 'term': 'Ἀθῆναι'},"
    " {'id': 'cyrillic', 'term': 'Ёлка'}"
    "]", &bundle);

  assert_search (index, bundle, "strasse", "strasse");
  assert_search (index, bundle, "STRASSE", "strasse");
  assert_search (index, bundle, "Straße", "strasse");
  assert_search (index, bundle, "ＮＴＲ", "ntr");
  assert_search (index, bundle, "ntr", "ntr");
  assert_search (index, bundle, "wide", "wide");
  assert_search (index, bundle, "naive", "naive plain");
  assert_search (index, bundle, "NAÏVE", "naive plain");
  assert_search (index, bundle, "が", "ga");
  assert_search (index, bundle, "か", "ka");
  assert_search (index, bundle, "αθηναι", "greek");
  assert_search (index, bundle, "елка", "cyrillic");
}

static void
test_search_multi_word (void)
{
  g_autoptr(GlossBundle) bundle = NULL;
  g_autoptr(GlossIndex) index = load_index (
    "["
    " {'id': 'red-apple', 'term': 'Red apple'},"
    " {'id': 'apple-red', 'term': 'Apple, red'},"
    " {'id': 'apple', 'term': 'Apple', 'summary': 'Green, never red.'},"
    " {'id': 'red', 'term': 'Red'},"
    " {'id': 'tagged', 'term': 'Fruit', 'tags': ['apple'], 'summary': 'Often red.'},"
    " {'id': 'red-tag', 'term': 'Crimson apple', 'tags': ['red']}"
    "]", &bundle);

  /* Every word must match; the tier is the weakest field a word needs. */
  assert_search_tiers (index, bundle, "red apple",
                       "red-apple:exact apple-red:name red-tag:tag tagged:body apple:body");
  assert_search_tiers (index, bundle, "apple red",
                       "apple-red:name red-apple:name red-tag:tag tagged:body apple:body");
  assert_search_tiers (index, bundle, "red ap", "red-apple:prefix apple-red:name red-tag:tag "
                                                "tagged:body apple:body");
  assert_search (index, bundle, "red pear", "");
  assert_search (index, bundle, "  red   apple  ", "red-apple apple-red red-tag tagged apple");
}

static void
test_search_cjk (void)
{
  g_autoptr(GlossBundle) bundle = NULL;
  g_autoptr(GlossIndex) index = load_index (
    "["
    " {'id': 'netorare', 'term': 'Netorare', 'aliases': ['NTR', '寝取られ']},"
    " {'id': 'manga', 'term': 'Manga', 'summary': '这是一个关于漫画的很长很长的故事'},"
    " {'id': 'ramen', 'term': 'ラーメン', 'summary': 'Noodles.'},"
    " {'id': 'thai', 'term': 'Thai', 'summary': 'ภาษาไทยเป็นภาษาที่สวยงาม'}"
    "]", &bundle);

  assert_search_tiers (index, bundle, "寝取", "netorare:prefix");
  assert_search_tiers (index, bundle, "取ら", "netorare:name");
  assert_search_tiers (index, bundle, "寝取られ", "netorare:exact");
  assert_search (index, bundle, "漫画", "manga");
  assert_search (index, bundle, "关于漫画的很长很长", "manga");   /* longer than a window */
  assert_search (index, bundle, "关于漫画的很短很长", "");
  assert_search (index, bundle, "ーメ", "ramen");
  assert_search (index, bundle, "ภาษาที่", "thai");
  assert_search (index, bundle, "漫画 noodles", "");
  assert_search (index, bundle, "ラーメン noodles", "ramen");
}

static void
test_search_punctuation (void)
{
  g_autoptr(GlossBundle) bundle = NULL;
  g_autoptr(GlossIndex) index = load_index (
    "["
    " {'id': 'cpp', 'term': 'C++'},"
    " {'id': 'csharp', 'term': 'C#'},"
    " {'id': 'devnull', 'term': '/dev/null'},"
    " {'id': 'dotnet', 'term': '.NET'},"
    " {'id': 'network', 'term': 'Network'},"
    " {'id': 'null', 'term': 'Null pointer'}"
    "]", &bundle);

  assert_search_tiers (index, bundle, "C++", "cpp:exact csharp:name");
  assert_search_tiers (index, bundle, "c+", "cpp:prefix csharp:name");
  assert_search_tiers (index, bundle, "C#", "csharp:exact cpp:name");
  assert_search_tiers (index, bundle, "/dev/null", "devnull:exact");
  assert_search_tiers (index, bundle, "/dev/", "devnull:prefix");
  assert_search_tiers (index, bundle, "dev null", "devnull:name");
  assert_search_tiers (index, bundle, ".NET", "dotnet:exact network:name");
  assert_search_tiers (index, bundle, "net", "network:prefix dotnet:name");
  assert_search_tiers (index, bundle, "null", "null:prefix devnull:name");
  assert_search (index, bundle, "++", "");
}

static void
test_search_typo (void)
{
  g_autoptr(GlossBundle) bundle = NULL;
  g_autoptr(GlossIndex) index = load_index (
    "["
    " {'id': 'tsundere', 'term': 'Tsundere'},"
    " {'id': 'yandere', 'term': 'Yandere'},"
    " {'id': 'yandare', 'term': 'Yandare'},"
    " {'id': 'cat', 'term': 'Cat'},"
    " {'id': 'body', 'term': 'Body', 'summary': 'Like a tsundere, but nicer.'},"
    " {'id': 'tag', 'term': 'Tagged', 'tags': ['tsundere']}"
    "]", &bundle);

  /* transposition, deletion, insertion, substitution */
  assert_search_tiers (index, bundle, "tsundree", "tsundere:typo-name tag:typo-tag body:typo-body");
  assert_search_tiers (index, bundle, "tsunder", "tsundere:prefix tag:tag body:body");
  assert_search_tiers (index, bundle, "tsundeere", "tsundere:typo-name tag:typo-tag body:typo-body");
  assert_search_tiers (index, bundle, "tsxndere", "tsundere:typo-name tag:typo-tag body:typo-body");
  assert_search_tiers (index, bundle, "sundere", "tsundere:typo-name tag:typo-tag body:typo-body");
  assert_search_tiers (index, bundle, "tsundere", "tsundere:exact tag:tag body:body");

  /* An exact match turns typos off for that word. */
  assert_search (index, bundle, "yandere", "yandere");
  assert_search (index, bundle, "yandre", "yandare yandere");

  /* Two edits, or a word under four characters: nothing. */
  assert_search (index, bundle, "tsudnree", "");
  assert_search (index, bundle, "tsuxdrre", "");
  assert_search (index, bundle, "cta", "");
  assert_search (index, bundle, "cart", "cat");
}

/* Found with FOLDOC and GCIDE converted to bundles (bench/gloss-from-dictd.py):
 * within the exact and the prefix tiers, an entry named so comes before an
 * entry with an alias so, whatever their terms. Typing "c" lists the C
 * entries before "AND" (alias "conjunction"); "colour" finds "Colour"
 * before "Color" (alias "colour"). */
static void
test_search_term_before_alias (void)
{
  g_autoptr(GlossBundle) bundle = NULL;
  g_autoptr(GlossIndex) index = load_index (
    "["
    " {'id': 'and', 'term': 'AND', 'aliases': ['conjunction']},"
    " {'id': 'c', 'term': 'C'},"
    " {'id': 'cpp', 'term': 'C++'},"
    " {'id': 'angle', 'term': 'Angle', 'aliases': ['Conjugate angle']},"
    " {'id': 'color', 'term': 'Color', 'aliases': ['colour']},"
    " {'id': 'colour', 'term': 'Colour'},"
    " {'id': 'ansi-c', 'term': 'Ansi C', 'aliases': ['C (ANSI)']}"
    "]", &bundle);

  assert_search_tiers (index, bundle, "colour", "colour:exact color:exact");
  assert_search_tiers (index, bundle, "c",
                       "c:exact "
                       "cpp:prefix color:prefix colour:prefix "
                       "and:prefix angle:prefix ansi-c:prefix");
  assert_search_tiers (index, bundle, "con", "and:prefix angle:prefix");
  assert_search_tiers (index, bundle, "conj", "and:prefix angle:prefix");
  assert_search_tiers (index, bundle, "conjugate", "angle:prefix");
}

/* "C++", ".NET", "TCP/IP": the query's words leave the punctuation out, so
 * "C++" would find every name with a word starting with "c", in term order.
 * Names with the query in them as typed come first among those, and a word
 * that punctuation follows was typed in full: "c" in "c++" matches the word
 * "c", not "compiler" or "cshrc". */
static void
test_search_punctuation_in_names (void)
{
  g_autoptr(GlossBundle) bundle = NULL;
  g_autoptr(GlossIndex) index = load_index (
    "["
    " {'id': 'cpp', 'term': 'C++'},"
    " {'id': 'cpplinda', 'term': 'C++Linda'},"
    " {'id': 'abc', 'term': 'ABC', 'aliases': ['A basic compiler']},"
    " {'id': 'cshrc', 'term': 'The .cshrc file'},"
    " {'id': 'cc', 'term': 'C/C++'},"
    " {'id': 'visual', 'term': 'Visual C++'},"
    " {'id': 'uses-cpp', 'term': 'Stroustrup', 'summary': 'The author of C++.'},"
    " {'id': 'aspnet', 'term': 'Active Server Pages', 'aliases': ['ASP.NET']},"
    " {'id': 'network', 'term': 'Arpanet network'},"
    " {'id': 'dotnet', 'term': '.NET'},"
    " {'id': 'tcpip', 'term': 'TCP/IP'},"
    " {'id': 'netbios', 'term': 'NetBIOS over TCP/IP'},"
    " {'id': 'ip', 'term': 'IP', 'aliases': ['Internet protocol (TCP)']}"
    "]", &bundle);

  assert_search_tiers (index, bundle, "C++",
                       "cpp:exact cpplinda:prefix "
                       "cc:name visual:name "
                       "uses-cpp:body");
  assert_search_tiers (index, bundle, "c+", "cpp:prefix cpplinda:prefix cc:name visual:name uses-cpp:body");
  assert_search_tiers (index, bundle, ".net",
                       "dotnet:exact aspnet:name network:name netbios:name");
  assert_search_tiers (index, bundle, "tcp/ip",
                       "tcpip:exact netbios:name ip:name");
  /* Without punctuation, term order as before. */
  assert_search_tiers (index, bundle, "c",
                       "cpp:prefix cpplinda:prefix cc:prefix "
                       "abc:name cshrc:name visual:name "
                       "uses-cpp:body");
}

/* A misspelt word: the entries named as the word put right come first
 * among the typo matches, as the exact and prefix tiers do for the word as
 * typed ("algoritm" finds "Algorithm" before "Abstract algorithm"). */
static void
test_search_typo_names_first (void)
{
  g_autoptr(GlossBundle) bundle = NULL;
  g_autoptr(GlossIndex) index = load_index (
    "["
    " {'id': 'abstract', 'term': 'Abstract algorithm'},"
    " {'id': 'algorithm', 'term': 'Algorithm'},"
    " {'id': 'algorithmic', 'term': 'Algorithmic language'},"
    " {'id': 'algol', 'term': 'ALGOL', 'aliases': ['Algorithmic language 58']},"
    " {'id': 'abacus', 'term': 'Abacus', 'summary': 'Not an algorithm.'},"
    " {'id': 'linked', 'term': 'Linked list'},"
    " {'id': 'array', 'term': 'Array', 'summary': 'Unlike a linked list, ...'}"
    "]", &bundle);

  /* the term put right; terms and then aliases starting with it; other
   * names; the text */
  assert_search_tiers (index, bundle, "algoritm",
                       "algorithm:typo-name algorithmic:typo-name algol:typo-name "
                       "abstract:typo-name abacus:typo-body");
  assert_search_tiers (index, bundle, "algoritmic",
                       "algorithmic:typo-name algol:typo-name");
  assert_search_tiers (index, bundle, "linked lsit",
                       "linked:typo-name array:typo-body");
  assert_search_tiers (index, bundle, "lisst linkd",
                       "linked:typo-name array:typo-body");
}

/* A word that some article has but no name, tag or title may still be a
 * misspelling ("recieve", in GCIDE's own text): its matches come first, then
 * the words one edit away. A word of a name turns that off. */
static void
test_search_typo_in_text (void)
{
  g_autoptr(GlossBundle) bundle = NULL;
  g_autoptr(GlossIndex) index = load_index (
    "["
    " {'id': 'receive', 'term': 'Receive'},"
    " {'id': 'relieve', 'term': 'Relieve'},"
    " {'id': 'mailbox', 'term': 'Mailbox', 'summary': 'A box to recieve mail.'},"
    " {'id': 'guide', 'term': 'Guide'},"
    " {'id': 'candour', 'term': 'Candour', 'summary': 'Without guile.'},"
    " {'id': 'receiver', 'term': 'Receiver', 'summary': 'One who receives; see Recieve.'}"
    "]", &bundle);

  assert_search_tiers (index, bundle, "recieve",
                       "mailbox:body receiver:body "
                       "receive:typo-name relieve:typo-name");
  assert_search_tiers (index, bundle, "guile", "candour:body guide:typo-name");
  assert_search_tiers (index, bundle, "receive", "receive:exact receiver:prefix");
  assert_search_tiers (index, bundle, "recieve mail", "mailbox:body");
}

/* Found with the dictionaries: a query of words joined by spaces, hyphens
 * or slashes finds the names that join the same words otherwise, in the
 * exact and prefix tiers ("object oriented programming"); and a word that
 * punctuation follows in the query is a whole word ("e" in "e-mail"). */
static void
test_search_spellings (void)
{
  g_autoptr(GlossBundle) bundle = NULL;
  g_autoptr(GlossIndex) index = load_index (
    "["
    " {'id': 'lisp', 'term': 'Lisp object-oriented programming system'},"
    " {'id': 'oop', 'term': 'Object-oriented programming'},"
    " {'id': 'oopl', 'term': 'Object-oriented programming language'},"
    " {'id': 'tcpip', 'term': 'TCP/IP'},"
    " {'id': 'email', 'term': 'Email'},"
    " {'id': 'client', 'term': 'E-mail client'},"
    " {'id': 'electronic', 'term': 'Electronic mail', 'summary': 'Also e-mail.'},"
    " {'id': 'emacs', 'term': 'Emacs', 'summary': 'An editor that reads mail.'},"
    " {'id': 'caliber', 'term': '.22 caliber'},"
    " {'id': 'vitamin', 'term': 'Vitamin C'},"
    " {'id': 'io', 'term': 'IO'},"
    " {'id': 'iota', 'term': 'IOTA'}"
    "]", &bundle);

  assert_search_tiers (index, bundle, "object oriented programming",
                       "oop:exact oopl:prefix lisp:name");
  assert_search_tiers (index, bundle, "object-oriented programming",
                       "oop:exact oopl:prefix lisp:name");
  assert_search_tiers (index, bundle, "object/oriented", "oop:prefix oopl:prefix lisp:name");
  assert_search_tiers (index, bundle, "tcp ip", "tcpip:exact");
  /* words run together: an exact match only */
  assert_search_tiers (index, bundle, "i/o", "io:exact");
  assert_search_tiers (index, bundle, "io", "io:exact iota:prefix");
  assert_search_tiers (index, bundle, "e-mail", "email:exact client:prefix electronic:body");
  assert_search_tiers (index, bundle, "e mail",
                       "email:exact client:prefix electronic:name emacs:body");
  /* "c" typed in full: the word c, not caliber */
  assert_search_tiers (index, bundle, "c++", "vitamin:name");
  assert_search_tiers (index, bundle, "c", "caliber:name client:name vitamin:name");
}

/* "Resume" and "Résumé" are both the query "résumé" folded; the one whose
 * term has the accents as typed comes first. */
static void
test_search_accents_as_typed (void)
{
  g_autoptr(GlossBundle) bundle = NULL;
  g_autoptr(GlossIndex) index = load_index (
    "["
    " {'id': 'resume', 'term': 'Resume'},"
    " {'id': 'resume-noun', 'term': 'R\u00e9sum\u00e9'},"
    " {'id': 'cv', 'term': 'Curriculum vitae', 'aliases': ['resume']},"
    " {'id': 'cafe', 'term': 'Caf\u00e9'},"
    " {'id': 'cafe-plain', 'term': 'Cafe'}"
    "]", &bundle);

  assert_search_tiers (index, bundle, "r\u00e9sum\u00e9",
                       "resume-noun:exact resume:exact cv:exact");
  assert_search_tiers (index, bundle, "resume", "resume:exact resume-noun:exact cv:exact");
  assert_search_tiers (index, bundle, "R\u00c9SUM\u00c9 ", "resume-noun:exact resume:exact cv:exact");
  /* accents typed as combining marks */
  assert_search_tiers (index, bundle, "cafe\u0301", "cafe:exact cafe-plain:exact");
  assert_search_tiers (index, bundle, "cafe", "cafe-plain:exact cafe:exact");
}

static void
test_search_filter (void)
{
  const char *hidden[] = { "spoilers", NULL };
  g_autoptr(GlossBundle) bundle = NULL;
  g_autoptr(GlossIndex) index = load_index (
    "["
    " {'id': 'safe', 'term': 'Shoujo'},"
    " {'id': 'adult', 'term': 'Shoujo ai', 'mature': true},"
    " {'id': 'spoiler', 'term': 'Shoujo ending', 'tags': ['spoilers']},"
    " {'id': 'other', 'term': 'Shounen', 'tags': ['genre']}"
    "]", &bundle);
  g_autoptr(GlossFilter) with_mature = gloss_filter_new (TRUE, NULL);
  g_autoptr(GlossFilter) defaults = gloss_filter_new (FALSE, NULL);
  g_autoptr(GlossFilter) no_spoilers = gloss_filter_new (TRUE, hidden);
  char *got;
  guint total;

  got = search_full (index, bundle, "shoujo", NULL, 0, FALSE, &total);
  g_assert_cmpstr (got, ==, "safe spoiler");
  g_assert_cmpuint (total, ==, 2);
  g_free (got);

  got = search_full (index, bundle, "shoujo", defaults, 0, FALSE, &total);
  g_assert_cmpstr (got, ==, "safe spoiler");
  g_free (got);

  got = search_full (index, bundle, "shoujo", with_mature, 0, FALSE, &total);
  g_assert_cmpstr (got, ==, "safe adult spoiler");
  g_assert_cmpuint (total, ==, 3);
  g_free (got);

  got = search_full (index, bundle, "shou", no_spoilers, 0, FALSE, &total);
  g_assert_cmpstr (got, ==, "safe adult other");
  g_assert_cmpuint (total, ==, 3);
  g_free (got);

  /* Exact matches are filtered too. */
  got = search_full (index, bundle, "shoujo ai", NULL, 0, FALSE, &total);
  g_assert_cmpstr (got, ==, "");
  g_assert_cmpuint (total, ==, 0);
  g_free (got);
}

static void
test_search_limit (void)
{
  g_autoptr(GString) entries = g_string_new ("[");
  g_autoptr(GlossBundle) bundle = NULL;
  g_autoptr(GlossIndex) index = NULL;
  char *got;
  guint total;

  /* 30 names and 30 bodies, written in reverse order. */
  for (guint i = 30; i > 0; i--)
    g_string_append_printf (entries, "{'id': 'n%02u', 'term': 'Word %02u'},"
                                     "{'id': 'b%02u', 'term': 'Body %02u', 'summary': 'word'},",
                            i, i, i, i);
  g_string_append (entries, "{'id': 'none', 'term': 'None'}]");
  index = load_index (entries->str, &bundle);

  got = search_full (index, bundle, "word", NULL, 5, FALSE, &total);
  g_assert_cmpstr (got, ==, "n01 n02 n03 n04 n05");
  g_assert_cmpuint (total, ==, 60);
  g_free (got);

  got = search_full (index, bundle, "word", NULL, 32, FALSE, &total);
  g_assert_true (g_str_has_suffix (got, "n29 n30 b01 b02"));
  g_assert_cmpuint (total, ==, 60);
  g_free (got);

  got = search_full (index, bundle, "word", NULL, 0, FALSE, &total);
  g_assert_true (g_str_has_prefix (got, "n01 n02"));
  g_assert_true (g_str_has_suffix (got, "b29 b30"));
  g_assert_cmpuint (total, ==, 60);
  g_assert_cmpuint (strlen (got), ==, 60 * 4 - 1);
  g_free (got);

  got = search_full (index, bundle, "", NULL, 0, FALSE, &total);
  g_assert_cmpstr (got, ==, "");
  g_assert_cmpuint (total, ==, 0);
  g_free (got);

  got = search_full (index, bundle, "   ", NULL, 0, FALSE, &total);
  g_assert_cmpstr (got, ==, "");
  g_free (got);
}

static void
test_search_markdown (void)
{
  g_autoptr(GlossBundle) bundle = NULL;
  g_autoptr(GlossIndex) index = load_index (
    "["
    " {'id': 'linked', 'term': 'Linked', 'sections': [{'heading': 'Heading words',"
    "   'body': 'See [the label](entry:secretword) and <https://example.com/hidden>.'}],"
    "  'faq': [{'question': 'What is asked?', 'answer': 'An **answered** thing.'}]},"
    " {'id': 'secretword', 'term': 'Target'}"
    "]", &bundle);

  assert_search (index, bundle, "label", "linked");
  assert_search (index, bundle, "secretword", "");
  assert_search (index, bundle, "hidden", "");
  assert_search (index, bundle, "heading", "linked");
  assert_search (index, bundle, "asked", "linked");
  assert_search (index, bundle, "answered", "linked");
}

static char *
explain (GlossIndex  *index,
         GlossBundle *bundle,
         const char  *id,
         const char  *query,
         gboolean     markup)
{
  guint position;

  g_assert_true (gloss_bundle_find_entry (bundle, id, &position));
  return gloss_index_explain (index, position, query, markup);
}

#define assert_explain(index, bundle, id, query, markup, expected) \
  G_STMT_START { \
    g_autofree char *_got = explain (index, bundle, id, query, markup); \
    g_assert_cmpstr (_got, ==, expected); \
  } G_STMT_END

static void
test_search_explain (void)
{
  g_autoptr(GlossBundle) bundle = NULL;
  g_autoptr(GlossIndex) index = load_index (
    "["
    " {'id': 'netorare', 'term': 'Netorare', 'aliases': ['NTR'],"
    "  'title': 'Netorare: a story told from the one left behind', 'tags': ['tropes'],"
    "  'summary': 'One two three four five six seven eight nine ten eleven twelve thirteen"
    "    fourteen fifteen sixteen & <b>bold</b> lovers seventeen.'},"
    " {'id': 'manga', 'term': 'Manga', 'summary': '这是一个关于漫画的故事'}"
    "]", &bundle);

  assert_explain (index, bundle, "netorare", "netorare", TRUE, NULL);
  assert_explain (index, bundle, "netorare", "ntr", FALSE, "alias: NTR");
  assert_explain (index, bundle, "netorare", "ntr", TRUE, "alias: <b>NTR</b>");
  assert_explain (index, bundle, "netorare", "story left", TRUE,
                  "title: Netorare: a <b>story</b> told from the one <b>left</b> behind");
  assert_explain (index, bundle, "netorare", "trope", FALSE, "tag: tropes");
  assert_explain (index, bundle, "netorare", "Lovers", FALSE, "…<b>bold</b> lovers seventeen.");
  assert_explain (index, bundle, "netorare", "Lovers", TRUE,
                  "…&lt;b&gt;bold&lt;/b&gt; <b>lovers</b> seventeen.");
  assert_explain (index, bundle, "netorare", "two", TRUE,
                  "One <b>two</b> three four five six seven eight nine ten eleven twelve…");
  assert_explain (index, bundle, "netorare", "lovrs", TRUE,
                  "…&lt;b&gt;bold&lt;/b&gt; <b>lovers</b> seventeen.");
  assert_explain (index, bundle, "manga", "漫画", TRUE, "这是一个关于<b>漫画</b>的故事");
}

/* Many entries over a small alphabet, so that short prefixes take the
 * precomputed unions and the build takes more than one thread: every query
 * must find exactly the entries a plain scan finds. */
static gboolean
collect_words (const GlossToken *token,
               gpointer          user_data)
{
  GPtrArray *words = user_data;

  g_ptr_array_add (words, g_strndup (token->text, token->len));
  return TRUE;
}

static void
append_random_words (GString *out,
                     GRand   *rand,
                     guint    n)
{
  for (guint w = 0; w < n; w++)
    {
      guint len = g_rand_int_range (rand, 1, 5);

      if (w > 0)
        g_string_append_c (out, ' ');
      for (guint c = 0; c < len; c++)
        g_string_append_c (out, "abc"[g_rand_int_range (rand, 0, 3)]);
    }
}

static gboolean
scan_matches (GlossEntry  *entry,
              char       **query_words)
{
  g_autoptr(GPtrArray) words = g_ptr_array_new_with_free_func (g_free);

  gloss_fold_tokenize (gloss_entry_get_term (entry), -1, 0, collect_words, words);
  gloss_fold_tokenize (gloss_entry_get_summary (entry), -1, 0, collect_words, words);

  for (guint q = 0; query_words[q] != NULL; q++)
    {
      gboolean found = FALSE;

      for (guint w = 0; w < words->len && !found; w++)
        found = g_str_has_prefix (g_ptr_array_index (words, w), query_words[q]);
      if (!found)
        return FALSE;
    }

  return TRUE;
}

static void
test_search_consistency (void)
{
  g_autoptr(GString) entries = g_string_new ("[");
  g_autoptr(GlossBundle) bundle = NULL;
  g_autoptr(GlossIndex) index = NULL;
  g_autoptr(GRand) rand = g_rand_new_with_seed (42);
  const char *queries[] = {
    "a", "b", "ab", "ba", "abc", "c", "cab", "aca", "bb", "z", "a b", "ab ca", "c cc bac", NULL
  };
  guint n = 4500;

  for (guint i = 0; i < n; i++)
    {
      g_string_append_printf (entries, "%s{'id': 'e%u', 'term': 'T%u ", i ? "," : "", i, i);
      append_random_words (entries, rand, 2);
      g_string_append (entries, "', 'summary': '");
      append_random_words (entries, rand, 12);
      g_string_append (entries, "'}");
    }
  g_string_append (entries, "]");
  index = load_index (entries->str, &bundle);

  for (guint q = 0; queries[q] != NULL; q++)
    {
      g_autoptr(GlossResults) results = gloss_index_search (index, queries[q], NULL, 0);
      g_autoptr(GHashTable) found = g_hash_table_new (NULL, NULL);
      g_auto(GStrv) query_words = g_strsplit (queries[q], " ", -1);
      guint expected = 0;

      for (guint i = 0; i < gloss_results_get_n_matches (results); i++)
        g_hash_table_add (found, GUINT_TO_POINTER (gloss_results_get_match (results, i)->position));

      for (guint i = 0; i < n; i++)
        {
          gboolean match = scan_matches (gloss_bundle_get_entry (bundle, i), query_words);

          g_assert_cmpint (match, ==, g_hash_table_contains (found, GUINT_TO_POINTER (i)));
          expected += match;
        }

      g_assert_cmpuint (gloss_results_get_total (results), ==, expected);
      g_assert_cmpuint (gloss_results_get_n_matches (results), ==, expected);
    }
}

static void
test_search_empty_bundle (void)
{
  g_autoptr(GlossBundle) bundle = NULL;
  g_autoptr(GlossIndex) index = load_index ("[]", &bundle);

  assert_search (index, bundle, "anything", "");
  g_assert_cmpuint (gloss_index_get_n_entries (index), ==, 0);
}

static void
test_search_cancelled (void)
{
  g_autoptr(GlossBundle) bundle = NULL;
  g_autoptr(GlossIndex) index = load_index ("[{'id': 'a', 'term': 'A'}]", &bundle);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GError) error = NULL;
  GlossIndex *cancelled;

  g_assert_nonnull (index);
  g_cancellable_cancel (cancellable);
  cancelled = gloss_index_build (bundle, cancellable, &error);
  g_assert_null (cancelled);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/gloss/search/ranking", test_search_ranking);
  g_test_add_func ("/gloss/search/ties-by-term", test_search_ties_by_term);
  g_test_add_func ("/gloss/search/body-score", test_search_body_score);
  g_test_add_func ("/gloss/search/normalisation", test_search_normalisation);
  g_test_add_func ("/gloss/search/multi-word", test_search_multi_word);
  g_test_add_func ("/gloss/search/cjk", test_search_cjk);
  g_test_add_func ("/gloss/search/punctuation", test_search_punctuation);
  g_test_add_func ("/gloss/search/typo", test_search_typo);
  g_test_add_func ("/gloss/search/term-before-alias", test_search_term_before_alias);
  g_test_add_func ("/gloss/search/punctuation-in-names", test_search_punctuation_in_names);
  g_test_add_func ("/gloss/search/typo-names-first", test_search_typo_names_first);
  g_test_add_func ("/gloss/search/typo-in-text", test_search_typo_in_text);
  g_test_add_func ("/gloss/search/spellings", test_search_spellings);
  g_test_add_func ("/gloss/search/accents-as-typed", test_search_accents_as_typed);
  g_test_add_func ("/gloss/search/filter", test_search_filter);
  g_test_add_func ("/gloss/search/limit", test_search_limit);
  g_test_add_func ("/gloss/search/markdown", test_search_markdown);
  g_test_add_func ("/gloss/search/explain", test_search_explain);
  g_test_add_func ("/gloss/search/consistency", test_search_consistency);
  g_test_add_func ("/gloss/search/empty-bundle", test_search_empty_bundle);
  g_test_add_func ("/gloss/search/cancelled", test_search_cancelled);

  return g_test_run ();
}
