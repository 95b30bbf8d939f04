/* gloss-problem.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "gloss-problem"

#include "config.h"

#include "gloss-problem.h"

G_DEFINE_BOXED_TYPE (GlossProblem, gloss_problem, gloss_problem_copy, gloss_problem_free)

GlossProblem *
gloss_problem_new (GlossSeverity  severity,
                   const char    *location,
                   const char    *message)
{
  GlossProblem *problem;

  g_return_val_if_fail (location != NULL, NULL);
  g_return_val_if_fail (message != NULL, NULL);

  problem = g_new0 (GlossProblem, 1);
  problem->severity = severity;
  problem->location = g_strdup (location);
  problem->message = g_strdup (message);

  return problem;
}

GlossProblem *
gloss_problem_copy (const GlossProblem *problem)
{
  return gloss_problem_new (problem->severity, problem->location, problem->message);
}

void
gloss_problem_free (GlossProblem *problem)
{
  if (problem == NULL)
    return;

  g_free (problem->location);
  g_free (problem->message);
  g_free (problem);
}

/* Formats the problem the way `gloss-cli validate` prints it:
 * "FILE:LINE:COLUMN: error: …" for syntax, "FILE: /json/path: warning: …"
 * for everything else. */
char *
gloss_problem_format (const GlossProblem *problem,
                      const char         *file_name)
{
  const char *severity;

  g_return_val_if_fail (problem != NULL, NULL);

  severity = problem->severity == GLOSS_SEVERITY_ERROR ? "error" : "warning";

  if (problem->location[0] == '/')
    return g_strdup_printf ("%s: %s: %s: %s", file_name, problem->location, severity, problem->message);
  else if (problem->location[0] != '\0')
    return g_strdup_printf ("%s:%s: %s: %s", file_name, problem->location, severity, problem->message);
  else
    return g_strdup_printf ("%s: %s: %s", file_name, severity, problem->message);
}
