/* main.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <locale.h>

#include <glib/gi18n.h>

#include "gloss-application.h"

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GlossApplication) app = NULL;
  const char *localedir = g_getenv ("GLOSS_LOCALEDIR");

  /* Before the options are parsed, so that --help speaks the user's
   * language too (GTK would only set it later). */
  setlocale (LC_ALL, "");

  /* GLOSS_LOCALEDIR runs the uninstalled build in another language: point it
   * at build/po, where the .mo files are made. */
  if (localedir == NULL || localedir[0] == '\0')
    localedir = LOCALEDIR;
  bindtextdomain (GETTEXT_PACKAGE, localedir);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  app = gloss_application_new ();

  return g_application_run (G_APPLICATION (app), argc, argv);
}
