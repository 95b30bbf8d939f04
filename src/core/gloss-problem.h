/* gloss-problem.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

typedef enum
{
  GLOSS_SEVERITY_WARNING,
  GLOSS_SEVERITY_ERROR,
} GlossSeverity;

/* One thing the loader found wrong with a bundle. @location is either
 * "LINE:COLUMN" (syntax) or a JSON Pointer such as "/entries/12/faq/0". */
typedef struct
{
  GlossSeverity  severity;
  char          *location;
  char          *message;
} GlossProblem;

#define GLOSS_TYPE_PROBLEM (gloss_problem_get_type ())

GType         gloss_problem_get_type (void) G_GNUC_CONST;
GlossProblem *gloss_problem_new      (GlossSeverity       severity,
                                      const char         *location,
                                      const char         *message);
GlossProblem *gloss_problem_copy     (const GlossProblem *problem);
void          gloss_problem_free     (GlossProblem       *problem);
char         *gloss_problem_format   (const GlossProblem *problem,
                                      const char         *file_name);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (GlossProblem, gloss_problem_free)

G_END_DECLS
