/* fuzz-link.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "fuzz-link"

#include "config.h"

#include <stdint.h>
#include <string.h>

#include "gloss-link.h"

#include "fuzz-log.h"

/*
 * Classifies arbitrary strings and checks that whatever the policy lets
 * through is what it claims to be, to GUri in strict and in relaxed mode.
 *
 *   clang -g -O1 -fsanitize=fuzzer,address,undefined -I src/core -I BUILDDIR \
 *     fuzz/fuzz-link.c src/core/gloss-link.c $(pkg-config --cflags --libs glib-2.0)
 *   ./a.out fuzz/corpus/link
 */

int LLVMFuzzerInitialize   (int            *argc,
                            char         ***argv);
int LLVMFuzzerTestOneInput (const uint8_t  *data,
                            size_t          size);

static void
check_uri (const char *target,
           const char *uri_string,
           GUriFlags   flags)
{
  g_autoptr(GUri) uri = NULL;
  g_autoptr(GError) error = NULL;
  const char *scheme;
  const char *host;

  uri = g_uri_parse (uri_string, flags, &error);
  if (uri == NULL)
    g_error ("external target “%s” does not parse: %s", target, error->message);

  scheme = g_uri_get_scheme (uri);
  host = g_uri_get_host (uri);

  if (g_uri_get_userinfo (uri) != NULL)
    g_error ("external target “%s” has user-info", target);

  if (g_ascii_strcasecmp (scheme, "http") == 0 || g_ascii_strcasecmp (scheme, "https") == 0)
    {
      if (host == NULL || host[0] == '\0')
        g_error ("web target “%s” without a host", target);
    }
  else if (g_ascii_strcasecmp (scheme, "mailto") == 0)
    {
      if (host != NULL && host[0] != '\0')
        g_error ("mail target “%s” with a host", target);
      if (g_uri_get_path (uri)[0] == '\0')
        g_error ("mail target “%s” without an address", target);
    }
  else
    {
      g_error ("external target “%s” has scheme %s", target, scheme);
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
  g_autofree char *target = g_strndup ((const char *)data, size);
  g_autofree char *entry_id = NULL;
  g_autofree char *escaped = NULL;
  GlossLinkKind kind;

  kind = gloss_link_classify (target, &entry_id);

  switch (kind)
    {
    case GLOSS_LINK_ENTRY:
      if (!gloss_link_is_valid_entry_id (entry_id))
        g_error ("entry link “%s” with a bad id", target);
      break;

    case GLOSS_LINK_EXTERNAL:
      if (entry_id != NULL)
        g_error ("entry id for an external link");
      if (strlen (target) > GLOSS_LINK_MAX_LENGTH)
        g_error ("external target too long");
      for (const char *p = target; *p != '\0'; p++)
        {
          if (g_ascii_isspace (*p) || g_ascii_iscntrl (*p) || *p == '\\' || *p == '"' ||
              *p == '<' || *p == '>')
            g_error ("external target “%s” with a forbidden character", target);
        }

      /* What the renderer puts in href: still external, and still safe. */
      escaped = gloss_link_escape_uri (target);
      if (gloss_link_classify (escaped, NULL) != GLOSS_LINK_EXTERNAL)
        g_error ("escaped “%s” is no longer external", target);

      check_uri (target, target, G_URI_FLAGS_NONE);
      check_uri (target, escaped, G_URI_FLAGS_NONE);
      check_uri (target, escaped, G_URI_FLAGS_PARSE_RELAXED);
      check_uri (target, escaped, G_URI_FLAGS_ENCODED);
      break;

    case GLOSS_LINK_REFUSED:
      if (entry_id != NULL)
        g_error ("entry id for a refused link");
      break;

    default:
      g_error ("unknown kind %d", kind);
    }

  return 0;
}
