/* fuzz-log.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <stdlib.h>

#include <glib.h>

/* The fuzzers' log writer. A warning, a critical or an error (a broken
 * invariant, g_error ()) is a bug on any input: it is printed and the
 * fuzzer stops with abort (), which libFuzzer takes for a crash and saves
 * the input (GLib would raise SIGTRAP, which libFuzzer ignores). Debug
 * and info messages, which the loader and the cache give on every input,
 * are dropped unless G_MESSAGES_DEBUG asks for them: printing them would
 * slow the run and bury its findings. */
static GLogWriterOutput
fuzz_log_writer (GLogLevelFlags   log_level,
                 const GLogField *fields,
                 gsize            n_fields,
                 gpointer         user_data)
{
  gboolean fatal = (log_level & (G_LOG_LEVEL_ERROR | G_LOG_LEVEL_CRITICAL |
                                 G_LOG_LEVEL_WARNING)) != 0;
  const char *domain = NULL;

  for (gsize i = 0; i < n_fields; i++)
    {
      if (g_str_equal (fields[i].key, "GLIB_DOMAIN"))
        domain = fields[i].value;
    }

  if (!fatal && g_log_writer_default_would_drop (log_level, domain))
    return G_LOG_WRITER_HANDLED;

  g_log_writer_standard_streams (log_level, fields, n_fields, user_data);
  if (fatal)
    abort ();

  return G_LOG_WRITER_HANDLED;
}

static inline void
fuzz_log_init (void)
{
  g_log_set_writer_func (fuzz_log_writer, NULL, NULL);
}
