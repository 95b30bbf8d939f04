/* gloss-link.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "gloss-link"

#include "config.h"

#include "gloss-link.h"

#include <string.h>

/*
 * The link policy of bundle text. A bundle is untrusted, so everything that
 * is not plainly an entry link, a web address with a host and no user-info,
 * or a mail address is refused; when in doubt, refuse. The rules here are
 * stricter than RFC 3986 and GUri (which accepts spaces, "https:host" and
 * more): GUri is only the last check.
 */

#define ENTRY_ID_MAX 128

gboolean
gloss_link_is_valid_entry_id (const char *entry_id)
{
  if (entry_id == NULL)
    return FALSE;

  /* ^[a-z0-9][a-z0-9._-]{0,127}$ */
  if (!(g_ascii_islower (entry_id[0]) || g_ascii_isdigit (entry_id[0])))
    return FALSE;

  for (gsize i = 1; entry_id[i] != '\0'; i++)
    {
      char c = entry_id[i];

      if (i >= ENTRY_ID_MAX)
        return FALSE;

      if (!(g_ascii_islower (c) || g_ascii_isdigit (c) || c == '.' || c == '_' || c == '-'))
        return FALSE;
    }

  return TRUE;
}

/* Percent-encodes every byte outside ASCII, as CommonMark renderers do with
 * link destinations. The result is what Gloss puts in href, opens and shows.
 */
char *
gloss_link_escape_uri (const char *target)
{
  static const char hex[] = "0123456789ABCDEF";
  GString *str;

  g_return_val_if_fail (target != NULL, NULL);

  str = g_string_sized_new (strlen (target));

  for (const guchar *p = (const guchar *)target; *p != '\0'; p++)
    {
      if (*p < 0x80)
        {
          g_string_append_c (str, (char)*p);
        }
      else
        {
          g_string_append_c (str, '%');
          g_string_append_c (str, hex[*p >> 4]);
          g_string_append_c (str, hex[*p & 0xF]);
        }
    }

  return g_string_free (str, FALSE);
}

static gboolean
has_prefix_nocase (const char *str,
                   const char *prefix)
{
  return g_ascii_strncasecmp (str, prefix, strlen (prefix)) == 0;
}

static gboolean
is_unreserved (char c)
{
  return g_ascii_isalnum (c) || c == '-' || c == '.' || c == '_' || c == '~';
}

/* The characters RFC 3986 allows in a URI (minus nothing), plus printable
 * non-ASCII characters, which gloss_link_escape_uri() encodes. Refuses
 * whitespace, controls, backslashes, quotes, angle brackets, format
 * characters (bidi controls, zero-width joiners), broken %-escapes and
 * escaped ASCII controls.
 */
static gboolean
has_valid_characters (const char *target)
{
  gsize len = strlen (target);
  gsize escaped_len = len;
  const char *p;

  if (len == 0 || len > GLOSS_LINK_MAX_LENGTH)
    return FALSE;

  /* The limit is on what goes in href, so that escaping keeps a link. */
  for (p = target; *p != '\0'; p++)
    {
      if ((guchar)*p >= 0x80)
        escaped_len += 2;
    }
  if (escaped_len > GLOSS_LINK_MAX_LENGTH)
    return FALSE;

  if (!g_utf8_validate_len (target, len, NULL))
    return FALSE;

  for (p = target; *p != '\0'; p = g_utf8_next_char (p))
    {
      guchar c = (guchar)*p;

      if (c < 0x80)
        {
          if (c == '%')
            {
              int byte;

              if (!g_ascii_isxdigit (p[1]) || !g_ascii_isxdigit (p[2]))
                return FALSE;

              /* An escaped control character is still one for whoever decodes it. */
              byte = g_ascii_xdigit_value (p[1]) * 16 + g_ascii_xdigit_value (p[2]);
              if (byte < 0x20 || byte == 0x7F)
                return FALSE;
            }
          else if (!is_unreserved (c) && strchr (":/?#[]@!$&'()*+,;=", c) == NULL)
            {
              return FALSE;
            }
        }
      else
        {
          switch ((int)g_unichar_type (g_utf8_get_char (p)))
            {
            case G_UNICODE_CONTROL:
            case G_UNICODE_FORMAT:
            case G_UNICODE_UNASSIGNED:
            case G_UNICODE_PRIVATE_USE:
            case G_UNICODE_SURROGATE:
            case G_UNICODE_LINE_SEPARATOR:
            case G_UNICODE_PARAGRAPH_SEPARATOR:
            case G_UNICODE_SPACE_SEPARATOR:
              return FALSE;

            default:
              break;
            }
        }
    }

  return TRUE;
}

/* authority = host [ ":" port ], host a DNS-like name or an IPv6 literal.
 * No user-info, no %-escapes (they could hide "@" or dots), no IDN: a
 * non-ASCII host could imitate another one.
 */
static gboolean
is_valid_authority (const char *authority,
                    gsize       len)
{
  gsize i = 0;
  gboolean has_alnum = FALSE;

  if (len == 0)
    return FALSE;

  if (authority[0] == '[')
    {
      gboolean has_colon = FALSE;

      for (i = 1; i < len && authority[i] != ']'; i++)
        {
          if (authority[i] == ':')
            has_colon = TRUE;
          else if (!g_ascii_isxdigit (authority[i]) && authority[i] != '.')
            return FALSE;
        }

      if (i >= len || !has_colon)
        return FALSE;

      i++;
      has_alnum = TRUE;
    }
  else
    {
      for (; i < len && authority[i] != ':'; i++)
        {
          char c = authority[i];

          if (g_ascii_isalnum (c))
            has_alnum = TRUE;
          else if (c != '.' && c != '-' && c != '_')
            return FALSE;
        }
    }

  if (!has_alnum)
    return FALSE;

  if (i < len)
    {
      gsize digits = 0;

      if (authority[i] != ':')
        return FALSE;

      for (i++; i < len; i++, digits++)
        {
          if (!g_ascii_isdigit (authority[i]))
            return FALSE;
        }

      if (digits == 0 || digits > 5)
        return FALSE;
    }

  return TRUE;
}

static gboolean
is_valid_web_link (const char *target)
{
  g_autoptr(GUri) uri = NULL;
  g_autofree char *escaped = NULL;
  const char *authority;
  const char *rest;
  const char *fragment;
  const char *scheme;
  const char *host;

  if (has_prefix_nocase (target, "https://"))
    authority = target + strlen ("https://");
  else if (has_prefix_nocase (target, "http://"))
    authority = target + strlen ("http://");
  else
    return FALSE;

  rest = authority + strcspn (authority, "/?#");
  if (!is_valid_authority (authority, rest - authority))
    return FALSE;

  /* Brackets belong to IPv6 hosts only, and a fragment has no "#". */
  if (strpbrk (rest, "[]") != NULL)
    return FALSE;
  fragment = strchr (rest, '#');
  if (fragment != NULL && strchr (fragment + 1, '#') != NULL)
    return FALSE;

  escaped = gloss_link_escape_uri (target);
  uri = g_uri_parse (escaped, G_URI_FLAGS_NONE, NULL);
  if (uri == NULL)
    return FALSE;

  scheme = g_uri_get_scheme (uri);
  host = g_uri_get_host (uri);

  return (g_ascii_strcasecmp (scheme, "https") == 0 || g_ascii_strcasecmp (scheme, "http") == 0) &&
         g_uri_get_userinfo (uri) == NULL &&
         host != NULL && host[0] != '\0';
}

static gboolean
is_valid_mail_address (const char *address,
                       gsize       len)
{
  const char *at = NULL;
  gsize i;

  for (i = 0; i < len; i++)
    {
      if (address[i] == '@')
        at = address + i;
    }

  if (at == NULL || at == address || at == address + len - 1)
    return FALSE;

  /* local part */
  for (i = 0; address + i < at; i++)
    {
      guchar c = (guchar)address[i];

      if (!(c >= 0x80 || is_unreserved (c) || strchr ("!$'*+=%", c) != NULL))
        return FALSE;
    }

  /* The domain: ASCII, as for web hosts, no look-alikes. */
  for (i++; i < len; i++)
    {
      char c = address[i];

      if (!(g_ascii_isalnum (c) || c == '.' || c == '-'))
        return FALSE;
    }

  return TRUE;
}

/* Header fields a mailto: link may set. Others are refused: some mail
 * clients have honoured "attach=" and similar, sending local files.
 */
static gboolean
is_allowed_mail_header (const char *field,
                        gsize       len)
{
  static const char * const allowed[] = { "to", "cc", "bcc", "subject", "body" };
  const char *eq = memchr (field, '=', len);

  if (eq == NULL)
    return FALSE;

  for (guint i = 0; i < G_N_ELEMENTS (allowed); i++)
    {
      if ((gsize)(eq - field) == strlen (allowed[i]) &&
          g_ascii_strncasecmp (field, allowed[i], eq - field) == 0)
        return TRUE;
    }

  return FALSE;
}

static gboolean
is_valid_mail_link (const char *target)
{
  g_autoptr(GUri) uri = NULL;
  g_autofree char *escaped = NULL;
  const char *addresses = target + strlen ("mailto:");
  const char *query;
  const char *p;
  const char *path;

  /* "mailto://user@host" would be user-info; a fragment has no use. */
  if (addresses[0] == '/' || strpbrk (addresses, "#[]") != NULL)
    return FALSE;

  query = addresses + strcspn (addresses, "?");
  if (query == addresses)
    return FALSE;

  for (p = addresses; p < query; )
    {
      const char *comma = memchr (p, ',', query - p);
      const char *end = comma != NULL ? comma : query;

      if (!is_valid_mail_address (p, end - p))
        return FALSE;

      p = comma != NULL ? comma + 1 : query;
      if (comma != NULL && p == query)
        return FALSE;
    }

  if (*query == '?')
    {
      for (p = query + 1; ; )
        {
          gsize len = strcspn (p, "&");

          if (!is_allowed_mail_header (p, len))
            return FALSE;

          if (p[len] == '\0')
            break;

          p += len + 1;
        }
    }

  escaped = gloss_link_escape_uri (target);
  uri = g_uri_parse (escaped, G_URI_FLAGS_NONE, NULL);
  if (uri == NULL)
    return FALSE;

  path = g_uri_get_path (uri);

  return g_ascii_strcasecmp (g_uri_get_scheme (uri), "mailto") == 0 &&
         g_uri_get_userinfo (uri) == NULL &&
         (g_uri_get_host (uri) == NULL || g_uri_get_host (uri)[0] == '\0') &&
         path != NULL && path[0] != '\0';
}

/**
 * gloss_link_classify:
 * @target: a link target from bundle text, entities and escapes decoded
 * @entry_id: (out) (optional): the entry id of an entry link
 *
 * Applies the bundle format's link policy: `entry:ID` is an entry link;
 * `http:` and `https:` with a host and no user-info, and `mailto:` with an
 * address, are external; everything else is refused. Scheme names are
 * case-insensitive. External targets may hold printable non-ASCII
 * characters (not in the host); put gloss_link_escape_uri() of them in
 * href.
 *
 * Returns: the kind of link
 */
GlossLinkKind
gloss_link_classify (const char  *target,
                     char       **entry_id)
{
  if (entry_id != NULL)
    *entry_id = NULL;

  g_return_val_if_fail (target != NULL, GLOSS_LINK_REFUSED);

  if (!has_valid_characters (target))
    return GLOSS_LINK_REFUSED;

  if (has_prefix_nocase (target, "entry:"))
    {
      const char *id = target + strlen ("entry:");

      if (!gloss_link_is_valid_entry_id (id))
        return GLOSS_LINK_REFUSED;

      if (entry_id != NULL)
        *entry_id = g_strdup (id);

      return GLOSS_LINK_ENTRY;
    }

  if (has_prefix_nocase (target, "http:") || has_prefix_nocase (target, "https:"))
    return is_valid_web_link (target) ? GLOSS_LINK_EXTERNAL : GLOSS_LINK_REFUSED;

  if (has_prefix_nocase (target, "mailto:"))
    return is_valid_mail_link (target) ? GLOSS_LINK_EXTERNAL : GLOSS_LINK_REFUSED;

  return GLOSS_LINK_REFUSED;
}
