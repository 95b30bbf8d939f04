/* test-link.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "test-link"

#include "config.h"

#include <string.h>

#include "gloss-link.h"

typedef struct
{
  const char    *target;
  GlossLinkKind  kind;
  const char    *entry_id;
} Case;

static const Case cases[] = {
  /* Entry links */
  { "entry:netorare", GLOSS_LINK_ENTRY, "netorare" },
  { "entry:a", GLOSS_LINK_ENTRY, "a" },
  { "entry:0", GLOSS_LINK_ENTRY, "0" },
  { "entry:x-1.2_y", GLOSS_LINK_ENTRY, "x-1.2_y" },
  { "ENTRY:abc", GLOSS_LINK_ENTRY, "abc" },
  { "entry:", GLOSS_LINK_REFUSED },
  { "entry:Foo", GLOSS_LINK_REFUSED },
  { "entry:-x", GLOSS_LINK_REFUSED },
  { "entry:.x", GLOSS_LINK_REFUSED },
  { "entry:a b", GLOSS_LINK_REFUSED },
  { "entry:a/b", GLOSS_LINK_REFUSED },
  { "entry:a#b", GLOSS_LINK_REFUSED },
  { "entry:a?b", GLOSS_LINK_REFUSED },
  { "entry://a", GLOSS_LINK_REFUSED },
  { "entry:é", GLOSS_LINK_REFUSED },
  { "entry: a", GLOSS_LINK_REFUSED },
  { "entry:a\n", GLOSS_LINK_REFUSED },
  { "entry:a%20b", GLOSS_LINK_REFUSED },

  /* The web */
  { "https://example.com", GLOSS_LINK_EXTERNAL },
  { "https://example.com/", GLOSS_LINK_EXTERNAL },
  { "https://example.com/path/to?q=1&r=2#frag", GLOSS_LINK_EXTERNAL },
  { "http://example.com:8080/x", GLOSS_LINK_EXTERNAL },
  { "http://localhost/", GLOSS_LINK_EXTERNAL },
  { "https://192.0.2.1/", GLOSS_LINK_EXTERNAL },
  { "https://[2001:db8::1]:443/", GLOSS_LINK_EXTERNAL },
  { "HTTPS://EXAMPLE.COM/", GLOSS_LINK_EXTERNAL },
  { "Http://example.com/", GLOSS_LINK_EXTERNAL },
  { "https://en.wikipedia.org/wiki/Netorare_(genre)", GLOSS_LINK_EXTERNAL },
  { "https://ja.wikipedia.org/wiki/寝取られ", GLOSS_LINK_EXTERNAL },
  { "https://example.com/%E5%AF%9D", GLOSS_LINK_EXTERNAL },
  { "https://example.com/a;b,c=d!e$f'g(h)*+~", GLOSS_LINK_EXTERNAL },
  { "https://good@evil.example", GLOSS_LINK_REFUSED },
  { "https://good:secret@evil.example/", GLOSS_LINK_REFUSED },
  { "https://@evil.example/", GLOSS_LINK_REFUSED },
  { "https://evil.example\\@good.example", GLOSS_LINK_REFUSED },
  { "https://evil.example\\good", GLOSS_LINK_REFUSED },
  { "https://example.com/a b", GLOSS_LINK_REFUSED },
  { "https://example.com/a\tb", GLOSS_LINK_REFUSED },
  { "https://example.com/\n", GLOSS_LINK_REFUSED },
  { "https://example.com/\x01", GLOSS_LINK_REFUSED },
  { "https://example.com/\x7f", GLOSS_LINK_REFUSED },
  { "https://example.com/\xc2\x85", GLOSS_LINK_REFUSED },
  { "https://example.com/\xc2\xa0", GLOSS_LINK_REFUSED },
  { "https://example.com/\xe2\x80\xae", GLOSS_LINK_REFUSED },
  { "https://example.com/\xe2\x80\x8b", GLOSS_LINK_REFUSED },
  { "https://example.com/\xff", GLOSS_LINK_REFUSED },
  { " https://example.com", GLOSS_LINK_REFUSED },
  { "https://example.com ", GLOSS_LINK_REFUSED },
  { "https://", GLOSS_LINK_REFUSED },
  { "https:///path", GLOSS_LINK_REFUSED },
  { "https://:443/", GLOSS_LINK_REFUSED },
  { "https://.../", GLOSS_LINK_REFUSED },
  { "http:/x", GLOSS_LINK_REFUSED },
  { "https:example.com", GLOSS_LINK_REFUSED },
  { "https:", GLOSS_LINK_REFUSED },
  { "//example.com", GLOSS_LINK_REFUSED },
  { "https://ex%61mple.com/", GLOSS_LINK_REFUSED },
  { "https://exämple.com/", GLOSS_LINK_REFUSED },
  { "https://example.com:99999/", GLOSS_LINK_REFUSED },
  { "https://example.com:abc/", GLOSS_LINK_REFUSED },
  { "https://example.com:/", GLOSS_LINK_REFUSED },
  { "https://example.com/%zz", GLOSS_LINK_REFUSED },
  { "https://example.com/%4", GLOSS_LINK_REFUSED },
  { "https://example.com/%00", GLOSS_LINK_REFUSED },
  { "https://example.com/%0a", GLOSS_LINK_REFUSED },
  { "https://example.com/%7F", GLOSS_LINK_REFUSED },
  { "https://example.com/x#y#z", GLOSS_LINK_REFUSED },
  { "https://example.com/[x]", GLOSS_LINK_REFUSED },
  { "https://example.com/\"onclick", GLOSS_LINK_REFUSED },
  { "https://example.com/<script>", GLOSS_LINK_REFUSED },
  { "https://example.com/a|b", GLOSS_LINK_REFUSED },
  { "https://example.com/`", GLOSS_LINK_REFUSED },

  /* Mail */
  { "mailto:someone@example.com", GLOSS_LINK_EXTERNAL },
  { "MailTo:someone@example.com", GLOSS_LINK_EXTERNAL },
  { "mailto:a@example.com,b@example.com", GLOSS_LINK_EXTERNAL },
  { "mailto:a+tag@example.com?subject=Hi%20there&body=Text", GLOSS_LINK_EXTERNAL },
  { "mailto:a@example.com?CC=b@example.com", GLOSS_LINK_EXTERNAL },
  { "mailto:", GLOSS_LINK_REFUSED },
  { "mailto:?subject=x", GLOSS_LINK_REFUSED },
  { "mailto:?to=a@example.com", GLOSS_LINK_REFUSED },
  { "mailto://a@example.com", GLOSS_LINK_REFUSED },
  { "mailto:nobody", GLOSS_LINK_REFUSED },
  { "mailto:@example.com", GLOSS_LINK_REFUSED },
  { "mailto:a@", GLOSS_LINK_REFUSED },
  { "mailto:a@b@example.com", GLOSS_LINK_REFUSED },
  { "mailto:a@example.com,", GLOSS_LINK_REFUSED },
  { "mailto:a@example.com?attach=/etc/passwd", GLOSS_LINK_REFUSED },
  { "mailto:a@example.com?subject=x&attachment=~/.ssh/id_rsa", GLOSS_LINK_REFUSED },
  { "mailto:a@example.com?", GLOSS_LINK_REFUSED },
  { "mailto:a@example.com#x", GLOSS_LINK_REFUSED },
  { "mailto:ü@example.com", GLOSS_LINK_EXTERNAL },
  { "mailto:a@exämple.com", GLOSS_LINK_REFUSED },
  { "mailto:a b@example.com", GLOSS_LINK_REFUSED },

  /* Everything else */
  { "", GLOSS_LINK_REFUSED },
  { "file:///etc/passwd", GLOSS_LINK_REFUSED },
  { "FILE:///etc/passwd", GLOSS_LINK_REFUSED },
  { "javascript:alert(1)", GLOSS_LINK_REFUSED },
  { "JavaScript:alert(1)", GLOSS_LINK_REFUSED },
  { " javascript:alert(1)", GLOSS_LINK_REFUSED },
  { "vbscript:msgbox", GLOSS_LINK_REFUSED },
  { "data:text/html,<script>alert(1)</script>", GLOSS_LINK_REFUSED },
  { "data:text/html;base64,PHNjcmlwdD4=", GLOSS_LINK_REFUSED },
  { "ftp://example.com/", GLOSS_LINK_REFUSED },
  { "about:blank", GLOSS_LINK_REFUSED },
  { "ghelp:gloss", GLOSS_LINK_REFUSED },
  { "smb://server/share", GLOSS_LINK_REFUSED },
  { "relative/path", GLOSS_LINK_REFUSED },
  { "/absolute/path", GLOSS_LINK_REFUSED },
  { "../up", GLOSS_LINK_REFUSED },
  { "#fragment", GLOSS_LINK_REFUSED },
  { "?query", GLOSS_LINK_REFUSED },
  { "example.com", GLOSS_LINK_REFUSED },
  { "www.example.com", GLOSS_LINK_REFUSED },
  { "netorare", GLOSS_LINK_REFUSED },
};

static const char *
kind_name (GlossLinkKind kind)
{
  switch (kind)
    {
    case GLOSS_LINK_REFUSED:
      return "REFUSED";
    case GLOSS_LINK_ENTRY:
      return "ENTRY";
    case GLOSS_LINK_EXTERNAL:
      return "EXTERNAL";
    default:
      return "?";
    }
}

static void
test_link_classify (void)
{
  g_assert_cmpuint (G_N_ELEMENTS (cases), >=, 30);

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *entry_id = NULL;
      GlossLinkKind kind = gloss_link_classify (cases[i].target, &entry_id);

      if (kind != cases[i].kind)
        g_error ("“%s”: expected %s, got %s",
                 cases[i].target, kind_name (cases[i].kind), kind_name (kind));

      g_assert_cmpstr (entry_id, ==, cases[i].entry_id);

      /* entry_id is optional */
      g_assert_cmpint (gloss_link_classify (cases[i].target, NULL), ==, kind);
    }
}

static void
test_link_entry_id_length (void)
{
  g_autofree char *id128 = g_strnfill (128, 'a');
  g_autofree char *id129 = g_strnfill (129, 'a');
  g_autofree char *link128 = g_strconcat ("entry:", id128, NULL);
  g_autofree char *link129 = g_strconcat ("entry:", id129, NULL);
  g_autofree char *entry_id = NULL;

  g_assert_true (gloss_link_is_valid_entry_id (id128));
  g_assert_false (gloss_link_is_valid_entry_id (id129));
  g_assert_false (gloss_link_is_valid_entry_id (""));
  g_assert_false (gloss_link_is_valid_entry_id (NULL));

  g_assert_cmpint (gloss_link_classify (link128, &entry_id), ==, GLOSS_LINK_ENTRY);
  g_assert_cmpstr (entry_id, ==, id128);
  g_clear_pointer (&entry_id, g_free);

  g_assert_cmpint (gloss_link_classify (link129, &entry_id), ==, GLOSS_LINK_REFUSED);
  g_assert_null (entry_id);
}

static void
test_link_too_long (void)
{
  g_autofree char *path = g_strnfill (GLOSS_LINK_MAX_LENGTH, 'a');
  g_autofree char *target = g_strconcat ("https://example.com/", path, NULL);
  g_autofree char *fits = g_strndup (target, GLOSS_LINK_MAX_LENGTH);
  g_autoptr(GString) wide = g_string_new ("https://example.com/");

  g_assert_cmpint (gloss_link_classify (fits, NULL), ==, GLOSS_LINK_EXTERNAL);
  g_assert_cmpint (gloss_link_classify (target, NULL), ==, GLOSS_LINK_REFUSED);

  /* 2,020 bytes, but 6,020 once escaped for href */
  for (guint i = 0; i < 1000; i++)
    g_string_append (wide, "é");
  g_assert_cmpint (gloss_link_classify (wide->str, NULL), ==, GLOSS_LINK_REFUSED);
  g_string_truncate (wide, strlen ("https://example.com/") + 1000);
  g_assert_cmpint (gloss_link_classify (wide->str, NULL), ==, GLOSS_LINK_EXTERNAL);
}

static void
test_link_escape_uri (void)
{
  g_autofree char *ascii = gloss_link_escape_uri ("https://example.com/a?b=c#d");
  g_autofree char *japanese = gloss_link_escape_uri ("https://ja.wikipedia.org/wiki/寝取られ");
  g_autofree char *mail = gloss_link_escape_uri ("mailto:ü@example.com");

  g_assert_cmpstr (ascii, ==, "https://example.com/a?b=c#d");
  g_assert_cmpstr (japanese, ==,
                   "https://ja.wikipedia.org/wiki/%E5%AF%9D%E5%8F%96%E3%82%89%E3%82%8C");
  g_assert_cmpstr (mail, ==, "mailto:%C3%BC@example.com");

  /* What the renderer puts in href is as acceptable as what it came from. */
  g_assert_cmpint (gloss_link_classify (japanese, NULL), ==, GLOSS_LINK_EXTERNAL);
  g_assert_cmpint (gloss_link_classify (mail, NULL), ==, GLOSS_LINK_EXTERNAL);
}

/* Anything accepted as external must be http(s) or mailto to GUri too. */
static void
test_link_external_parses (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GUri) uri = NULL;
      g_autofree char *escaped = NULL;
      const char *scheme;

      if (cases[i].kind != GLOSS_LINK_EXTERNAL)
        continue;

      escaped = gloss_link_escape_uri (cases[i].target);
      uri = g_uri_parse (escaped, G_URI_FLAGS_NONE, NULL);
      g_assert_nonnull (uri);

      scheme = g_uri_get_scheme (uri);
      g_assert_true (g_ascii_strcasecmp (scheme, "https") == 0 ||
                     g_ascii_strcasecmp (scheme, "http") == 0 ||
                     g_ascii_strcasecmp (scheme, "mailto") == 0);
      g_assert_null (g_uri_get_userinfo (uri));
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/gloss/link/classify", test_link_classify);
  g_test_add_func ("/gloss/link/entry-id-length", test_link_entry_id_length);
  g_test_add_func ("/gloss/link/too-long", test_link_too_long);
  g_test_add_func ("/gloss/link/escape-uri", test_link_escape_uri);
  g_test_add_func ("/gloss/link/external-parses", test_link_external_parses);

  return g_test_run ();
}
