/* gloss-filter.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "gloss-filter"

#include "config.h"

#include "gloss-filter.h"

struct _GlossFilter
{
  gatomicrefcount   ref_count;
  gboolean          include_mature;
  char            **hidden_tags;
};

G_DEFINE_BOXED_TYPE (GlossFilter, gloss_filter, gloss_filter_ref, gloss_filter_unref)

GlossFilter *
gloss_filter_new (gboolean            include_mature,
                  const char * const *hidden_tags)
{
  GlossFilter *self;

  self = g_new0 (GlossFilter, 1);
  g_atomic_ref_count_init (&self->ref_count);
  self->include_mature = !!include_mature;
  self->hidden_tags = g_strdupv ((char **)hidden_tags);
  if (self->hidden_tags == NULL)
    self->hidden_tags = g_new0 (char *, 1);

  return self;
}

GlossFilter *
gloss_filter_ref (GlossFilter *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  g_atomic_ref_count_inc (&self->ref_count);
  return self;
}

void
gloss_filter_unref (GlossFilter *self)
{
  g_return_if_fail (self != NULL);

  if (g_atomic_ref_count_dec (&self->ref_count))
    {
      g_strfreev (self->hidden_tags);
      g_free (self);
    }
}

gboolean
gloss_filter_get_include_mature (const GlossFilter *self)
{
  return self != NULL && self->include_mature;
}

const char * const *
gloss_filter_get_hidden_tags (const GlossFilter *self)
{
  static const char * const none[] = { NULL };

  return self != NULL ? (const char * const *)self->hidden_tags : none;
}

gboolean
gloss_filter_is_tag_hidden (const GlossFilter *self,
                            const char        *tag)
{
  return self != NULL && g_strv_contains ((const char * const *)self->hidden_tags, tag);
}

/* Whether @entry may be shown anywhere (list, search, cards, links). */
gboolean
gloss_filter_allows (const GlossFilter *self,
                     GlossEntry        *entry)
{
  const char * const *tags;

  g_return_val_if_fail (GLOSS_IS_ENTRY (entry), FALSE);

  if (gloss_entry_get_mature (entry) && !gloss_filter_get_include_mature (self))
    return FALSE;

  if (self == NULL || self->hidden_tags[0] == NULL)
    return TRUE;

  tags = gloss_entry_get_tags (entry);
  for (guint i = 0; tags[i] != NULL; i++)
    {
      if (gloss_filter_is_tag_hidden (self, tags[i]))
        return FALSE;
    }

  return TRUE;
}

gboolean
gloss_filter_equal (const GlossFilter *a,
                    const GlossFilter *b)
{
  const char * const *ta = gloss_filter_get_hidden_tags (a);
  const char * const *tb = gloss_filter_get_hidden_tags (b);

  if (gloss_filter_get_include_mature (a) != gloss_filter_get_include_mature (b))
    return FALSE;

  return g_strv_equal ((const char * const *)ta, (const char * const *)tb);
}
