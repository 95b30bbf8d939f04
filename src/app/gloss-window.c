/* gloss-window.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "gloss-window"

#include "config.h"

#include <time.h>

#include <glib/gi18n.h>

#include "gloss-article.h"
#include "gloss-entry-row.h"
#include "gloss-filter.h"
#include "gloss-hit-list.h"
#include "gloss-index.h"
#include "gloss-text.h"
#include "gloss-user-list.h"
#include "gloss-window.h"
#include "gloss-window-private.h"
#include "gloss-bookmark.h"
#include "gloss-history-item.h"
#include "gloss-library-item.h"

#define BUILTIN_RESOURCE RESOURCE_BASE "/bundles/default.gloss.json"
#define SEARCH_LIMIT     1000

G_DEFINE_FINAL_TYPE (GlossWindow, gloss_window, ADW_TYPE_APPLICATION_WINDOW)

enum {
  PROP_0,
  PROP_BUNDLE,
  PROP_LOADING,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* Prints a CLOCK_MONOTONIC timestamp when GLOSS_TIMING is set, for the
 * benchmark scripts that drive the app from outside. */
void
_gloss_window_mark (const char *what)
{
  static int enabled = -1;
  struct timespec ts;

  if (enabled < 0)
    enabled = g_getenv ("GLOSS_TIMING") != NULL;
  if (!enabled)
    return;

  clock_gettime (CLOCK_MONOTONIC, &ts);
  g_printerr ("gloss-timing %s %.6f\n", what, ts.tv_sec + ts.tv_nsec / 1e9);
}

static void
show_toast (GlossWindow *self,
            const char  *text)
{
  /* Toast titles are markup: whatever we quote must be escaped. */
  g_autofree char *escaped = g_markup_escape_text (text, -1);
  AdwToast *toast = adw_toast_new (escaped);

  adw_toast_set_timeout (toast, 4);
  adw_toast_overlay_add_toast (self->toast_overlay, toast);
}

void
_gloss_window_toast (GlossWindow *self,
                     const char  *text)
{
  show_toast (self, text);
}

/* A message for the user, such as the stores' load problems at start. */
void
gloss_window_show_message (GlossWindow *self,
                           const char  *text)
{
  g_return_if_fail (GLOSS_IS_WINDOW (self));

  show_toast (self, text);
}

GlossFilter *
_gloss_window_get_filter (GlossWindow *self)
{
  return self->filter;
}

static void
update_filter (GlossWindow *self)
{
  g_auto(GStrv) hidden = g_settings_get_strv (self->settings, "hidden-tags");
  gboolean mature = g_settings_get_boolean (self->settings, "show-mature");

  g_clear_pointer (&self->filter, gloss_filter_unref);
  self->filter = gloss_filter_new (mature, (const char * const *)hidden);
}

/* Whether the entry at @position passes the sidebar's own narrowing: the
 * category picked in the drop-down and the tag chip the user clicked. */
static gboolean
passes_narrowing (GlossWindow *self,
                  GlossEntry  *entry)
{
  if (self->category != NULL &&
      g_strcmp0 (gloss_entry_get_category (entry), self->category) != 0)
    return FALSE;

  if (self->tag != NULL && !gloss_entry_has_tag (entry, self->tag))
    return FALSE;

  return TRUE;
}

static char *
explain_row (GlossBundle *bundle,
             guint        position,
             gpointer     user_data)
{
  const char *query = user_data;

  return gloss_index_explain (gloss_bundle_get_index (bundle), position, query, TRUE);
}

/* Whether the list draws from more than one glossary, so that each row
 * says which it comes from. */
static gboolean
showing_several (GlossWindow *self)
{
  return self->group != NULL && gloss_group_get_n_bundles (self->group) > 1 &&
         self->scope == GLOSS_GROUP_ALL;
}

/* The sidebar's subtitle: how many entries the user can see, and how many
 * the filters hide, so a hidden entry is never a mystery. */
static void
update_subtitle (GlossWindow *self)
{
  g_autofree char *text = NULL;
  guint n_visible = 0;
  guint n_hidden;
  guint n;

  guint n_bundles = 0;

  if (self->group == NULL)
    {
      adw_window_title_set_subtitle (self->sidebar_title, "");
      return;
    }

  n = 0;
  for (guint b = 0; b < gloss_group_get_n_bundles (self->group); b++)
    {
      GlossBundle *bundle = gloss_group_get_bundle (self->group, b);
      guint n_entries = gloss_bundle_get_n_entries (bundle);

      if (self->scope != GLOSS_GROUP_ALL && self->scope != b)
        continue;

      n_bundles++;
      n += n_entries;
      for (guint i = 0; i < n_entries; i++)
        n_visible += gloss_filter_allows (self->filter, gloss_bundle_get_entry (bundle, i));
    }
  n_hidden = n - n_visible;

  if (n_hidden == 0)
    text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u entry", "%u entries", n), n);
  else
    /* Translators: "43 entries, 5 hidden" */
    text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u entry, %u hidden",
                                         "%u entries, %u hidden", n_visible),
                            n_visible, n_hidden);

  if (n_bundles > 1)
    {
      g_autofree char *entries = g_steal_pointer (&text);

      /* Translators: "3 glossaries · 1,204 entries" */
      text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u glossary · %s",
                                           "%u glossaries · %s", n_bundles),
                              n_bundles, entries);
    }

  adw_window_title_set_subtitle (self->sidebar_title, text);
}

static void
set_count_text (GlossWindow *self,
                const char  *query,
                guint        shown,
                guint        total)
{
  g_autofree char *text = NULL;

  if (self->group == NULL)
    text = g_strdup ("");
  else if (query == NULL)
    text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u entry", "%u entries", shown), shown);
  else if (shown < total)
    text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Best %u of %u result",
                                         "Best %u of %u results", total), shown, total);
  else
    text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u result", "%u results", total),
                            total);

  gtk_label_set_text (self->count_label, text);
}

/* The frame that shows the results begins: the wait before it is the
 * frame clock's (a blinking cursor keeps it ticking, and a new frame starts
 * only on its tick). */
static void
on_results_frame (GdkFrameClock *clock,
                  GlossWindow   *self)
{
  _gloss_window_mark ("results-frame");
  g_signal_handlers_disconnect_by_func (clock, on_results_frame, self);
}

static void
on_results_painted (GdkFrameClock *clock,
                    GlossWindow   *self)
{
  _gloss_window_mark ("results-shown");
  g_signal_handlers_disconnect_by_func (clock, on_results_painted, self);
}

/* Highlights the open entry's row when the list has it. */
static void
select_shown_entry (GlossWindow *self)
{
  GlossEntry *current = gloss_article_get_entry (self->article);
  GlossBundle *bundle = gloss_article_get_bundle (self->article);
  guint position;
  guint row;

  if (current != NULL && bundle != NULL &&
      gloss_bundle_find_entry (bundle, gloss_entry_get_id (current), &position) &&
      gloss_hit_list_find_entry (self->hits, bundle, position, &row))
    gtk_single_selection_set_selected (self->selection, row);
  else
    gtk_single_selection_set_selected (self->selection, GTK_INVALID_LIST_POSITION);
}

static void
clear_browse_cache (GlossWindow *self)
{
  g_clear_object (&self->browse.group);
  g_clear_pointer (&self->browse.filter, gloss_filter_unref);
  g_clear_pointer (&self->browse.category, g_free);
  g_clear_pointer (&self->browse.tag, g_free);
  g_clear_pointer (&self->browse.refs, g_array_unref);
}

/* The entries the sidebar lists without a query, in collation order: every
 * one of the group (or of the glossary in scope) that the filters and the
 * category and tag picked allow. Kept for as long as those stay the same. */
static GArray *
dup_browse_refs (GlossWindow *self)
{
  const GlossGroupRef *sorted;
  GArray *refs;
  guint n_sorted;

  if (self->browse.refs != NULL &&
      self->browse.group == self->group &&
      self->browse.filter == self->filter &&
      self->browse.scope == self->scope &&
      g_strcmp0 (self->browse.category, self->category) == 0 &&
      g_strcmp0 (self->browse.tag, self->tag) == 0)
    return g_array_copy (self->browse.refs);

  refs = g_array_new (FALSE, FALSE, sizeof (GlossGroupRef));
  sorted = gloss_group_get_sorted (self->group, &n_sorted);
  for (guint i = 0; i < n_sorted; i++)
    {
      GlossEntry *entry;

      if (self->scope != GLOSS_GROUP_ALL && sorted[i].bundle != self->scope)
        continue;

      entry = gloss_bundle_get_entry (gloss_group_get_bundle (self->group, sorted[i].bundle),
                                      sorted[i].position);
      if (gloss_filter_allows (self->filter, entry) && passes_narrowing (self, entry))
        g_array_append_val (refs, sorted[i]);
    }

  clear_browse_cache (self);
  self->browse.group = g_object_ref (self->group);
  self->browse.filter = gloss_filter_ref (self->filter);
  self->browse.scope = self->scope;
  self->browse.category = g_strdup (self->category);
  self->browse.tag = g_strdup (self->tag);
  self->browse.refs = g_array_copy (refs);

  return refs;
}

/* Rebuilds the sidebar's rows from the bundle, the query and the filters:
 * all entries in collation order without a query, ranked results with one.
 * The list view only ever asks for the rows it shows. */
static void
refresh_list (GlossWindow *self)
{
  const char *query = gtk_editable_get_text (GTK_EDITABLE (self->search_entry));

  g_autoptr(GArray) refs = g_array_new (FALSE, FALSE, sizeof (GlossGroupRef));
  gboolean searching;
  guint total = 0;

  g_free (self->searched);
  self->searched = g_strdup (query);

  searching = self->group != NULL && !gloss_text_is_blank (query);

  if (self->group == NULL)
    {
      gloss_hit_list_clear (self->hits);
    }
  else if (!searching)
    {
      g_array_unref (refs);
      refs = dup_browse_refs (self);
      total = refs->len;
      gloss_hit_list_set (self->hits, self->group, g_steal_pointer (&refs), TRUE,
                          showing_several (self), NULL, NULL, NULL);
    }
  else
    {
      gboolean narrowed = self->category != NULL || self->tag != NULL;
      g_autoptr(GArray) matches = NULL;

      matches = gloss_group_search (self->group, query, self->filter, self->scope,
                                    narrowed ? 0 : SEARCH_LIMIT, &total);

      for (guint i = 0; i < matches->len && refs->len < SEARCH_LIMIT; i++)
        {
          const GlossGroupMatch *m = &g_array_index (matches, GlossGroupMatch, i);
          GlossGroupRef ref = { m->bundle, m->position };

          if (!narrowed ||
              passes_narrowing (self, gloss_bundle_get_entry (gloss_group_get_bundle (self->group,
                                                                                      m->bundle),
                                                              m->position)))
            g_array_append_val (refs, ref);
        }

      if (narrowed)
        total = refs->len;

      gloss_hit_list_set (self->hits, self->group, g_steal_pointer (&refs), FALSE,
                          showing_several (self), explain_row, g_strdup (query), g_free);
    }

  /* A new list starts at its top (the hit list keeps the rows it can, and
   * the list view its place with them). */
  gtk_adjustment_set_value (gtk_scrollable_get_vadjustment (GTK_SCROLLABLE (self->list_view)), 0);

  set_count_text (self, searching ? query : NULL,
                  g_list_model_get_n_items (G_LIST_MODEL (self->hits)), total);
  gtk_widget_set_visible (GTK_WIDGET (self->count_label),
                          searching || self->category != NULL || self->tag != NULL);

  if (g_list_model_get_n_items (G_LIST_MODEL (self->hits)) > 0)
    gtk_stack_set_visible_child_name (self->list_stack, "list");
  else
    {
      if (self->group != NULL && gloss_group_get_n_entries (self->group) == 0)
        {
          adw_status_page_set_title (self->list_status, _("Empty Glossary"));
          adw_status_page_set_description (self->list_status,
                                           _("This bundle has no entries to show."));
        }
      else if (searching)
        {
          adw_status_page_set_title (self->list_status, _("No Results"));
          adw_status_page_set_description (self->list_status,
                                           _("Try other words, or fewer of them."));
        }
      else
        {
          adw_status_page_set_title (self->list_status, _("Nothing to Show"));
          adw_status_page_set_description (self->list_status,
                                           _("Every entry is hidden by the current filters."));
        }
      gtk_stack_set_visible_child_name (self->list_stack, "empty");
    }

  /* Keep the open entry highlighted when it is still in the list. */
  select_shown_entry (self);

}

static void
on_list_painted (GdkFrameClock *clock,
                 GlossWindow   *self)
{
  _gloss_window_mark ("list-populated");
  g_signal_handlers_disconnect_by_func (clock, on_list_painted, self);
}

/* The star in the header: filled when the entry shown is bookmarked. */
static void
update_bookmark_button (GlossWindow *self)
{
  GlossEntry *entry = gloss_article_get_entry (self->article);
  GlossBundle *bundle = gloss_article_get_bundle (self->article);
  gboolean bookmarked = FALSE;

  if (entry != NULL && self->bookmarks != NULL && bundle != NULL)
    bookmarked = gloss_bookmarks_has (self->bookmarks, gloss_bundle_get_id (bundle),
                                      gloss_entry_get_id (entry));

  gtk_button_set_icon_name (self->bookmark_button,
                            bookmarked ? "starred-symbolic" : "non-starred-symbolic");
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->bookmark_button),
                               bookmarked ? _("Remove the Bookmark (Ctrl+D)")
                                          : _("Bookmark This Entry (Ctrl+D)"));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.bookmark",
                                 entry != NULL && self->bookmarks != NULL &&
                                 !gloss_bookmarks_get_read_only (self->bookmarks));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.edit-note", bookmarked);
}

static void
update_history_actions (GlossWindow *self)
{
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.back", self->history_pos > 0);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.forward",
                                 self->history->len > 0 &&
                                 self->history_pos + 1 < self->history->len);
}

static void
place_free (gpointer data)
{
  GlossWindowPlace *place = data;

  g_clear_object (&place->bundle);
  g_free (place->entry_id);
  g_free (place);
}

/* Shows an entry of @bundle (one of the open glossaries) in the article
 * pane. @record adds it to back/forward. */
static void
show_entry (GlossWindow *self,
            GlossBundle *bundle,
            GlossEntry  *entry,
            gboolean     record)
{
  g_autofree char *title = NULL;

  if (entry == NULL)
    bundle = NULL;

  gloss_article_set_entry (self->article, bundle, entry, self->filter);
  update_bookmark_button (self);

  if (entry != NULL && self->history_store != NULL)
    gloss_history_record (self->history_store, gloss_bundle_get_id (bundle),
                          gloss_entry_get_id (entry), gloss_entry_get_term (entry),
                          gloss_bundle_get_title (bundle), NULL);

  if (entry == NULL)
    {
      gtk_stack_set_visible_child_name (self->content_stack, "empty");
      adw_window_title_set_title (self->content_title, "");
      gtk_window_set_title (GTK_WINDOW (self),
                            self->bundle ? gloss_bundle_get_title (self->bundle) : _("Gloss"));
      return;
    }

  if (record)
    {
      const char *id = gloss_entry_get_id (entry);
      GlossWindowPlace *here = self->history->len > 0 ?
                               g_ptr_array_index (self->history, self->history_pos) : NULL;

      if (here == NULL || here->bundle != bundle || !g_str_equal (here->entry_id, id))
        {
          GlossWindowPlace *place = g_new0 (GlossWindowPlace, 1);

          place->bundle = g_object_ref (bundle);
          place->entry_id = g_strdup (id);
          if (self->history->len > 0)
            g_ptr_array_set_size (self->history, self->history_pos + 1);
          g_ptr_array_add (self->history, place);
          self->history_pos = self->history->len - 1;
        }
    }

  update_history_actions (self);

  title = gloss_text_for_row (gloss_entry_get_term (entry));
  adw_window_title_set_title (self->content_title, title);

  {
    /* Translators: the window title: an entry's term, then the glossary's */
    g_autofree char *window_title = g_strdup_printf (_("%s — %s"), title,
                                                     gloss_bundle_get_title (bundle));
    gtk_window_set_title (GTK_WINDOW (self), window_title);
  }
  gtk_stack_set_visible_child_name (self->content_stack, "article");
  gtk_adjustment_set_value (gtk_scrolled_window_get_vadjustment (self->article_scroller), 0);
  adw_leaflet_set_visible_child (self->leaflet, GTK_WIDGET (self->content));

  select_shown_entry (self);
}

/* Opens an entry of @bundle by id, as a link would: says why when it
 * can't. */
static gboolean
show_entry_in (GlossWindow *self,
               GlossBundle *bundle,
               const char  *entry_id)
{
  GlossEntry *entry;

  if (bundle == NULL)
    return FALSE;

  entry = gloss_bundle_lookup_entry (bundle, entry_id);
  if (entry == NULL)
    {
      g_autofree char *quoted = gloss_text_for_message (entry_id);
      g_autofree char *text = g_strdup_printf (_("There is no entry “%s” in this glossary"),
                                               quoted);
      show_toast (self, text);
      return FALSE;
    }

  if (!gloss_filter_allows (self->filter, entry))
    {
      g_autofree char *quoted = gloss_text_for_message (gloss_entry_get_term (entry));
      g_autofree char *text = NULL;

      if (gloss_entry_get_mature (entry) && !gloss_filter_get_include_mature (self->filter))
        text = g_strdup_printf (_("“%s” is a mature entry, hidden by your settings"), quoted);
      else
        text = g_strdup_printf (_("“%s” has a tag you chose to hide"), quoted);
      show_toast (self, text);
      return FALSE;
    }

  show_entry (self, bundle, entry, TRUE);
  return TRUE;
}

/* Opens an entry of the glossary opened last by id (from the command line
 * or the Shell): says why when it can't. */
gboolean
gloss_window_show_entry_id (GlossWindow *self,
                            const char  *entry_id)
{
  g_return_val_if_fail (GLOSS_IS_WINDOW (self), FALSE);

  return show_entry_in (self, self->bundle, entry_id);
}

/* The bundle whose categories the drop-down offers: the one the list
 * shows, when it shows one. */
static GlossBundle *
category_bundle (GlossWindow *self)
{
  if (self->group == NULL)
    return NULL;
  if (self->scope != GLOSS_GROUP_ALL)
    return gloss_group_get_bundle (self->group, self->scope);
  if (gloss_group_get_n_bundles (self->group) == 1)
    return gloss_group_get_bundle (self->group, 0);
  return NULL;
}

static void
update_categories (GlossWindow *self)
{
  g_autoptr(GtkStringList) names = gtk_string_list_new (NULL);
  const GlossCategory *categories = NULL;
  guint n_categories = 0;

  self->updating_categories = TRUE;

  gtk_string_list_append (names, _("All categories"));
  if (category_bundle (self) != NULL)
    categories = gloss_bundle_get_categories (category_bundle (self), &n_categories);
  for (guint i = 0; i < n_categories; i++)
    gtk_string_list_append (names, categories[i].name);

  gtk_drop_down_set_model (self->category_dropdown, G_LIST_MODEL (names));
  gtk_drop_down_set_selected (self->category_dropdown, 0);
  gtk_widget_set_visible (GTK_WIDGET (self->category_dropdown), n_categories > 0);
  g_clear_pointer (&self->category, g_free);

  self->updating_categories = FALSE;
}

static void
update_problems_banner (GlossWindow *self)
{
  guint skipped = self->bundle ? gloss_bundle_get_n_skipped (self->bundle) : 0;

  if (skipped > 0)
    {
      g_autofree char *text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                            "%u entry could not be read",
                                                            "%u entries could not be read",
                                                            skipped), skipped);
      gtk_label_set_text (self->problems_label, text);
    }

  gtk_revealer_set_reveal_child (self->problems_revealer, skipped > 0);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.show-problems",
                                 self->bundle != NULL &&
                                 gloss_bundle_get_problems (self->bundle)->len > 0);
}

static void
set_tag (GlossWindow *self,
         const char  *tag)
{
  if (tag != NULL && tag[0] == '\0')
    tag = NULL;

  g_free (self->tag);
  self->tag = g_strdup (tag);

  if (tag != NULL)
    {
      g_autofree char *quoted = gloss_text_for_message (tag);
      g_autofree char *tooltip = g_strdup_printf (_("Stop showing only “%s”"), quoted);
      g_autofree char *label = gloss_text_for_row (tag);

      gtk_widget_set_tooltip_text (GTK_WIDGET (self->tag_filter_button), tooltip);
      adw_button_content_set_label (self->tag_filter_content, label);
    }
  gtk_widget_set_visible (GTK_WIDGET (self->tag_filter_button), tag != NULL);
}

/* The sidebar's title: the glossary the list shows, or all of them. */
static void
update_sidebar_title (GlossWindow *self)
{
  const char *title;

  if (self->group == NULL)
    title = _("Gloss");
  else if (self->scope != GLOSS_GROUP_ALL)
    title = gloss_bundle_get_title (gloss_group_get_bundle (self->group, self->scope));
  else if (gloss_group_get_n_bundles (self->group) > 1)
    title = _("All Glossaries");
  else
    title = gloss_bundle_get_title (self->bundle);

  adw_window_title_set_title (self->sidebar_title, title);
}

/* The scope drop-down: all open glossaries, or one; shown when there are
 * several. */
static void
update_scope (GlossWindow *self)
{
  g_autoptr(GtkStringList) names = gtk_string_list_new (NULL);
  guint n = self->group ? gloss_group_get_n_bundles (self->group) : 0;

  self->updating_scope = TRUE;

  gtk_string_list_append (names, _("All Glossaries"));
  for (guint b = 0; b < n; b++)
    gtk_string_list_append (names, gloss_bundle_get_title (gloss_group_get_bundle (self->group, b)));

  gtk_drop_down_set_model (self->scope_dropdown, G_LIST_MODEL (names));
  gtk_drop_down_set_selected (self->scope_dropdown,
                              self->scope == GLOSS_GROUP_ALL ? 0 : self->scope + 1);
  gtk_widget_set_visible (GTK_WIDGET (self->scope_dropdown), n > 1);

  self->updating_scope = FALSE;
}

/* The open glossary read from @file, if any */
static GlossBundle *
group_bundle_for_file (GlossWindow *self,
                       GFile       *file)
{
  for (guint b = 0; self->group != NULL && b < gloss_group_get_n_bundles (self->group); b++)
    {
      GFile *other = gloss_bundle_get_file (gloss_group_get_bundle (self->group, b));

      if (other != NULL && g_file_equal (other, file))
        return gloss_group_get_bundle (self->group, b);
    }

  return NULL;
}

/* An entry asked for before its glossary was open: shown once it is. */
static void
show_pending_entry (GlossWindow *self)
{
  GlossBundle *bundle;

  if (self->pending_file == NULL)
    return;

  bundle = group_bundle_for_file (self, self->pending_file);
  if (bundle == NULL)
    return;

  show_entry_in (self, bundle, self->pending_entry);
  g_clear_object (&self->pending_file);
  g_clear_pointer (&self->pending_entry, g_free);
}

/* Swaps in the glossaries the sidebar lists and searches, keeping the
 * scope on the same glossary when it is still open. */
static void
set_group (GlossWindow *self,
           GlossGroup  *group)
{
  GlossBundle *scoped = NULL;
  GlossBundle *shown = gloss_article_get_bundle (self->article);
  guint b;

  if (self->group != NULL && self->scope != GLOSS_GROUP_ALL)
    scoped = gloss_group_get_bundle (self->group, self->scope);

  /* Empty the list first: GTK 4.8's list view, told that every row
   * changed, looks for each new row among the old ones it shows, calling
   * get_item on all of them when it finds none; from an empty list it has
   * nothing to look for. (80 ms at 100,000 entries, then 1.) */
  if (group != self->group)
    gloss_hit_list_clear (self->hits);

  g_set_object (&self->group, group);
  clear_browse_cache (self);  /* it would keep the last group's bundles */

  if (scoped != NULL && group != NULL && gloss_group_find_bundle (group, scoped, &b) &&
      gloss_group_get_n_bundles (group) > 1)
    self->scope = b;
  else
    self->scope = GLOSS_GROUP_ALL;

  /* An entry of a glossary no longer open goes with it. */
  if (shown != NULL && (group == NULL || !gloss_group_find_bundle (group, shown, NULL)))
    show_entry (self, NULL, NULL, FALSE);

  update_scope (self);
  update_sidebar_title (self);
  update_categories (self);
  refresh_list (self);
  update_subtitle (self);
  show_pending_entry (self);
}

static void
on_group_ready (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GlossWindow) self = user_data;
  g_autoptr(GlossGroup) group = gloss_group_new_finish (result, NULL);

  /* NULL when cancelled: a newer group is on its way. */
  if (group == NULL)
    return;

  g_clear_object (&self->group_cancellable);
  set_group (self, group);
}

/* Groups the glossary opened last with the ones added to it. One bundle
 * makes its group at once; several collate their terms in a worker
 * thread, and the list shows the glossary opened last until then. */
static void
update_group (GlossWindow *self)
{
  g_autoptr(GPtrArray) bundles = g_ptr_array_new ();

  if (self->group_cancellable != NULL)
    g_cancellable_cancel (self->group_cancellable);
  g_clear_object (&self->group_cancellable);

  if (self->bundle == NULL)
    {
      set_group (self, NULL);
      return;
    }

  g_ptr_array_add (bundles, self->bundle);
  if (self->group == NULL || !gloss_group_find_bundle (self->group, self->bundle, NULL) ||
      self->extras->len == 0)
    {
      g_autoptr(GlossGroup) alone = gloss_group_new ((GlossBundle * const *)bundles->pdata, 1);

      set_group (self, alone);
    }

  if (self->extras->len == 0)
    return;

  for (guint i = 0; i < self->extras->len; i++)
    g_ptr_array_add (bundles, g_ptr_array_index (self->extras, i));

  self->group_cancellable = g_cancellable_new ();
  gloss_group_new_async ((GlossBundle * const *)bundles->pdata, bundles->len,
                         self->group_cancellable, on_group_ready, g_object_ref (self));
}

/* Whether @bundle is @other opened again: the same id (or path). */
static gboolean
same_bundle (GlossBundle *bundle,
             GlossBundle *other)
{
  return bundle == other ||
         (bundle != NULL && other != NULL &&
          g_strcmp0 (gloss_bundle_get_id (bundle), gloss_bundle_get_id (other)) == 0);
}

/* The paths of the added glossaries, for the next start. */
static void
save_extras (GlossWindow *self)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) paths = NULL;

  for (guint i = 0; i < self->extras->len; i++)
    {
      GFile *file = gloss_bundle_get_file (g_ptr_array_index (self->extras, i));
      g_autofree char *path = file ? g_file_get_path (file) : NULL;

      if (path != NULL)
        g_strv_builder_add (builder, path);
    }

  paths = g_strv_builder_end (builder);
  g_settings_set_strv (self->settings, "group-bundles", (const char * const *)paths);
}

/* Swaps in a newly loaded bundle in one step. */
static void
set_bundle (GlossWindow *self,
            GlossBundle *bundle)
{
  const char *title;

  if (!g_set_object (&self->bundle, bundle))
    return;

  /* A glossary searched alongside that is now the one opened last */
  for (guint i = 0; i < self->extras->len; i++)
    if (same_bundle (g_ptr_array_index (self->extras, i), bundle))
      {
        g_ptr_array_remove_index (self->extras, i);
        save_extras (self);
        break;
      }

  g_ptr_array_set_size (self->history, 0);
  self->history_pos = 0;
  set_tag (self, NULL);

  title = bundle ? gloss_bundle_get_title (bundle) : _("Gloss");
  gtk_window_set_title (GTK_WINDOW (self), title);

  update_problems_banner (self);

  gtk_editable_set_text (GTK_EDITABLE (self->search_entry), "");
  show_entry (self, NULL, NULL, FALSE);
  update_group (self);
  update_history_actions (self);

  if (bundle != NULL && gloss_bundle_get_file (bundle) != NULL)
    {
      GdkFrameClock *clock = gtk_widget_get_frame_clock (GTK_WIDGET (self));

      if (clock != NULL)
        g_signal_connect_object (clock, "after-paint", G_CALLBACK (on_list_painted), self, 0);
    }

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUNDLE]);
}

GlossBundle *
gloss_window_get_bundle (GlossWindow *self)
{
  g_return_val_if_fail (GLOSS_IS_WINDOW (self), NULL);
  return self->bundle;
}

gboolean
gloss_window_get_loading (GlossWindow *self)
{
  g_return_val_if_fail (GLOSS_IS_WINDOW (self), FALSE);
  return self->load_cancellable != NULL;
}

static GlossBundle *
load_builtin_bundle (void)
{
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;
  GlossBundle *bundle;

  bytes = g_resources_lookup_data (BUILTIN_RESOURCE, 0, NULL);
  g_assert (bytes != NULL);

  bundle = gloss_bundle_new_from_bytes (bytes, _("Built-in glossary"), "builtin", NULL, &error);
  if (bundle == NULL)
    g_error ("The built-in bundle does not load: %s", error->message);

  return bundle;
}

/* The built-in bundle, loaded (and indexed) in a thread of its own while GTK
 * starts up, when the application asks early enough. */
static GThread *builtin_loader;

static gpointer
builtin_loader_thread (gpointer data)
{
  return load_builtin_bundle ();
}

/**
 * gloss_window_preload_builtin_bundle:
 *
 * Starts loading the built-in bundle in a thread, for the next
 * gloss_window_load_builtin_bundle() to take. The application calls it
 * before GTK starts up, which takes longer on the main thread.
 */
void
gloss_window_preload_builtin_bundle (void)
{
  if (builtin_loader == NULL)
    builtin_loader = g_thread_new ("gloss-builtin", builtin_loader_thread, NULL);
}

/* Waits for a preload no window took, and lets its bundle go. */
void
gloss_window_drop_preloaded_builtin_bundle (void)
{
  if (builtin_loader != NULL)
    g_object_unref (g_thread_join (g_steal_pointer (&builtin_loader)));
}

/**
 * gloss_window_load_builtin_bundle:
 *
 * The built-in bundle is small and compiled in: it loads synchronously (or
 * is taken from the preloading thread), and it always loads (a test holds
 * it to that).
 *
 * Returns: (transfer full): the built-in bundle
 */
GlossBundle *
gloss_window_load_builtin_bundle (void)
{
  if (builtin_loader != NULL)
    return g_thread_join (g_steal_pointer (&builtin_loader));

  return load_builtin_bundle ();
}

void
gloss_window_open_builtin (GlossWindow *self)
{
  g_autoptr(GlossBundle) bundle = NULL;

  g_return_if_fail (GLOSS_IS_WINDOW (self));

  bundle = gloss_window_load_builtin_bundle ();

  if (self->load_cancellable != NULL)
    g_cancellable_cancel (self->load_cancellable);

  set_bundle (self, bundle);
  g_settings_set_string (self->settings, "last-bundle", "");
}

static void
stop_progress (GlossWindow *self)
{
  g_clear_handle_id (&self->progress_timeout, g_source_remove);
  gtk_revealer_set_reveal_child (self->progress_revealer, FALSE);
}

/* The bar shows once a load has taken 150 ms (a cached bundle opens
 * before that): the fraction done when the loader has said, a pulse until
 * then. Whether it has said is kept on the bar. */
static gboolean
pulse_progress (gpointer user_data)
{
  GlossWindow *self = user_data;

  gtk_revealer_set_reveal_child (self->progress_revealer, TRUE);
  if (g_object_get_data (G_OBJECT (self->progress_bar), "gloss-fraction-known") == NULL)
    gtk_progress_bar_pulse (self->progress_bar);

  return G_SOURCE_CONTINUE;
}

typedef struct
{
  gatomicrefcount  ref_count;
  GlossWindow     *self;
  GFile           *file;
  char            *entry_id;
  GCancellable    *cancellable;
  gint64           last_beat;      /* GLOSS_TIMING: the longest the main loop */
  gint64           max_gap;        /* went without running during the load */
  guint            heartbeat;
} OpenData;

static OpenData *
open_data_ref (OpenData *data)
{
  g_atomic_ref_count_inc (&data->ref_count);
  return data;
}

static void
open_data_unref (gpointer user_data)
{
  OpenData *data = user_data;

  if (!g_atomic_ref_count_dec (&data->ref_count))
    return;

  g_clear_handle_id (&data->heartbeat, g_source_remove);
  g_clear_object (&data->self);
  g_clear_object (&data->file);
  g_clear_object (&data->cancellable);
  g_free (data->entry_id);
  g_free (data);
}

static void
open_data_free (OpenData *data)
{
  open_data_unref (data);
}

/* From the loader, in this thread: the fraction of the load done. */
static void
on_load_progress (double   fraction,
                  gpointer user_data)
{
  OpenData *data = user_data;
  GlossWindow *self = data->self;

  if (data->cancellable != self->load_cancellable)
    return;

  g_object_set_data (G_OBJECT (self->progress_bar), "gloss-fraction-known", GINT_TO_POINTER (1));
  gtk_progress_bar_set_fraction (self->progress_bar, fraction);
}

static gboolean
load_heartbeat (gpointer user_data)
{
  OpenData *data = user_data;
  GdkFrameClock *clock = gtk_widget_get_frame_clock (GTK_WIDGET (data->self));
  gint64 now = g_get_monotonic_time ();

  /* At launch the window's own first frame (number 0) holds the loop a
   * while: that is not the load's doing. */
  if (clock != NULL && gdk_frame_clock_get_frame_counter (clock) > 0)
    data->max_gap = MAX (data->max_gap, now - data->last_beat);
  data->last_beat = now;
  return G_SOURCE_CONTINUE;
}

static void
cancel_and_unref (gpointer data)
{
  g_cancellable_cancel (data);
  g_object_unref (data);
}

typedef struct
{
  GWeakRef  window;
  GFile    *file;
} CheckData;

static void add_file (GlossWindow *self,
                      GFile       *file,
                      gboolean     quiet);

/* A bundle opened from its cache was checked against its file in the
 * background: when the file changed behind an unchanged size and time, or
 * the cache was damaged, the cache is gone and the file is opened again. */
static void
on_source_checked (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  CheckData *cd = user_data;
  g_autoptr(GlossWindow) self = g_weak_ref_get (&cd->window);
  g_autoptr(GError) error = NULL;

  guint i;

  if (!gloss_bundle_check_source_finish (GLOSS_BUNDLE (source), result, &error) &&
      !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) && self != NULL)
    {
      if (self->bundle == GLOSS_BUNDLE (source))
        {
          GlossEntry *shown = gloss_article_get_entry (self->article);

          g_debug ("Reopening the bundle: %s", error->message);
          gloss_window_open_file (self, cd->file,
                                  shown != NULL ? gloss_entry_get_id (shown) : NULL);
        }
      else if (g_ptr_array_find (self->extras, source, &i))
        {
          g_debug ("Reopening an added bundle: %s", error->message);
          g_ptr_array_remove_index (self->extras, i);
          update_group (self);
          add_file (self, cd->file, TRUE);
        }
    }

  g_weak_ref_clear (&cd->window);
  g_object_unref (cd->file);
  g_free (cd);
}

/* Reads the file of a bundle opened from its cache in the background, and
 * opens it again if it changed regardless of its size and time. */
static void
check_source (GlossWindow  *self,
              GlossBundle  *bundle,
              GFile        *file,
              GCancellable *cancellable)
{
  CheckData *cd = g_new0 (CheckData, 1);

  g_weak_ref_init (&cd->window, self);
  cd->file = g_object_ref (file);
  gloss_bundle_check_source_async (bundle, cancellable, on_source_checked, cd);
}

static void
show_open_error (GlossWindow  *self,
                 GFile        *file,
                 const GError *error)
{
  g_autofree char *basename = g_file_get_basename (file);
  g_autofree char *display = g_filename_display_name (basename ? basename : "?");
  g_autofree char *name = gloss_text_for_message (display);
  g_autofree char *heading = g_strdup_printf (_("Could not open “%s”"), name);
  g_autofree char *body = NULL;
  GtkWidget *dialog;

  /* The file's name is outside text too: quoted clean and isolated. */
  if (g_error_matches (error, GLOSS_BUNDLE_ERROR, GLOSS_BUNDLE_ERROR_REFUSED))
    {
      g_autoptr(GlossProblem) problem = gloss_bundle_error_to_problem (error);
      g_autofree char *where = gloss_problem_format (problem, name);

      body = g_strdup_printf (_("The bundle was refused, and the glossary that was open stays "
                                "open.\n\n%s"), where);
    }
  else
    body = g_strdup_printf (_("%s: %s\n\nThe glossary that was open stays open."),
                            name, error->message);

  /* The body is plain text (body-use-markup stays FALSE). */
  dialog = adw_message_dialog_new (GTK_WINDOW (self), heading, body);
  adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (dialog), "close", _("_Close"));
  gtk_window_present (GTK_WINDOW (dialog));
  self->error_dialog = dialog;
  g_object_add_weak_pointer (G_OBJECT (dialog), (gpointer *)&self->error_dialog);
}

static void apply_bundle (GlossWindow *self,
                          OpenData    *data,
                          GlossBundle *bundle);

typedef struct
{
  OpenData      *data;
  GlossBundle   *bundle;
  GlossBundle   *shown;     /* not a reference: only compared */
  GdkFrameClock *clock;
  gulong         handler;
  gulong         unrealize_handler;
} Deferred;

/* Stops waiting; the data stays for the caller to use or free. */
static void
deferred_stop (Deferred *d)
{
  g_signal_handler_disconnect (d->clock, d->handler);
  g_signal_handler_disconnect (d->data->self, d->unrealize_handler);
  g_object_unref (d->clock);
}

/* The window went away before it drew anything: nothing to show. */
static void
on_deferred_unrealize (Deferred *d)
{
  deferred_stop (d);
  open_data_free (d->data);
  g_object_unref (d->bundle);
  g_free (d);
}

static void
on_first_paint (GdkFrameClock *clock,
                Deferred      *d)
{
  GlossWindow *self = d->data->self;

  deferred_stop (d);

  /* Unless the window moved on meanwhile (another load, another bundle) */
  if (d->data->cancellable == self->load_cancellable && self->bundle == d->shown)
    {
      g_clear_object (&self->load_cancellable);
      stop_progress (self);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOADING]);
      apply_bundle (self, d->data, d->bundle);
    }
  else
    open_data_free (d->data);

  g_object_unref (d->bundle);
  g_free (d);
}

static void
on_bundle_loaded (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  OpenData *data = user_data;
  GlossWindow *self = data->self;
  g_autoptr(GlossBundle) bundle = NULL;
  g_autoptr(GError) error = NULL;

  bundle = gloss_bundle_load_finish (result, &error);

  /* A newer open replaced this one: drop the result quietly. */
  if (data->cancellable != self->load_cancellable)
    {
      open_data_free (data);
      return;
    }

  if (data->heartbeat != 0)
    {
      _gloss_window_mark ("load-done");
      g_printerr ("gloss-timing load-max-gap %.6f\n", data->max_gap / 1e6);
      g_clear_handle_id (&data->heartbeat, g_source_remove);
    }

  /* A cached bundle is often ready before the window has drawn itself:
   * the window comes first, the bundle's list with the frame after (the
   * load counts as under way until then). */
  if (bundle != NULL)
    {
      GdkFrameClock *clock = gtk_widget_get_frame_clock (GTK_WIDGET (self));

      if (clock != NULL && gtk_widget_get_mapped (GTK_WIDGET (self)) &&
          gdk_frame_clock_get_frame_counter (clock) < 0)
        {
          Deferred *d = g_new0 (Deferred, 1);

          d->data = data;
          d->bundle = g_steal_pointer (&bundle);
          d->shown = self->bundle;
          d->clock = g_object_ref (clock);
          d->handler = g_signal_connect (clock, "after-paint", G_CALLBACK (on_first_paint), d);
          d->unrealize_handler = g_signal_connect_swapped (self, "unrealize",
                                                           G_CALLBACK (on_deferred_unrealize), d);
          return;
        }
    }

  g_clear_object (&self->load_cancellable);
  stop_progress (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOADING]);

  if (bundle == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        show_open_error (self, data->file, error);
      open_data_free (data);
      return;
    }

  apply_bundle (self, data, bundle);
}

/* Remembers a glossary the user opened, for the library. */
static void
remember_bundle (GlossWindow *self,
                 GlossBundle *bundle,
                 const char  *path)
{
  g_autoptr(GError) error = NULL;

  if (self->library != NULL &&
      !gloss_library_touch (self->library, gloss_bundle_get_id (bundle), path,
                            gloss_bundle_get_title (bundle),
                            gloss_bundle_get_n_entries (bundle), &error))
    g_debug ("Could not remember %s: %s", path, error->message);
}

/* Shows the bundle a load made, and remembers it. */
static void
apply_bundle (GlossWindow *self,
              OpenData    *data,
              GlossBundle *bundle)
{
  g_autofree char *path = NULL;

  set_bundle (self, bundle);

  path = g_file_get_path (data->file);
  if (path != NULL)
    {
      g_settings_set_string (self->settings, "last-bundle", path);
      remember_bundle (self, bundle, path);
    }

  if (data->entry_id != NULL)
    gloss_window_show_entry_id (self, data->entry_id);

  /* Opened from its cache on the file's identity, size and time: read it
   * all in the background, and reopen if it changed regardless. */
  if (gloss_bundle_get_from_cache (bundle))
    {
      g_autoptr(GCancellable) check = g_cancellable_new ();

      g_object_set_data_full (G_OBJECT (self), "gloss-source-check", g_object_ref (check),
                              cancel_and_unref);
      check_source (self, bundle, data->file, check);
    }

  open_data_free (data);
}

typedef struct
{
  GlossWindow *self;
  GFile       *file;
  gboolean     quiet;     /* restored at start: no news unless it fails */
} AddData;

static void
add_data_free (AddData *data)
{
  g_object_unref (data->self);
  g_object_unref (data->file);
  g_free (data);
}

static void
on_extra_loaded (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  AddData *data = user_data;
  GlossWindow *self = data->self;
  g_autoptr(GlossBundle) bundle = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *title = NULL;
  g_autofree char *path = NULL;
  g_autofree char *text = NULL;
  gboolean open = FALSE;

  bundle = gloss_bundle_load_finish (result, &error);
  if (bundle == NULL)
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        ;
      else if (!data->quiet)
        show_open_error (self, data->file, error);
      else
        {
          g_autofree char *basename = g_file_get_basename (data->file);
          g_autofree char *display = g_filename_display_name (basename ? basename : "?");
          g_autofree char *name = gloss_text_for_message (display);

          text = g_strdup_printf (_("“%s” could not be opened to search it with the others"),
                                  name);
          show_toast (self, text);
        }
      add_data_free (data);
      return;
    }

  title = gloss_text_for_message (gloss_bundle_get_title (bundle));

  open = same_bundle (bundle, self->bundle);
  for (guint i = 0; i < self->extras->len && !open; i++)
    open = same_bundle (bundle, g_ptr_array_index (self->extras, i));
  if (open)
    {
      if (!data->quiet)
        {
          text = g_strdup_printf (_("“%s” is open already"), title);
          show_toast (self, text);
        }
      add_data_free (data);
      return;
    }

  g_ptr_array_add (self->extras, g_object_ref (bundle));
  save_extras (self);
  path = g_file_get_path (data->file);
  if (path != NULL)
    remember_bundle (self, bundle, path);
  update_group (self);

  if (!data->quiet && gloss_bundle_get_n_skipped (bundle) > 0)
    {
      guint skipped = gloss_bundle_get_n_skipped (bundle);

      /* Its details are a click away once it is the one open. */
      text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                           "“%s” is searched with the other open glossaries; "
                                           "%u entry could not be read",
                                           "“%s” is searched with the other open glossaries; "
                                           "%u entries could not be read", skipped),
                              title, skipped);
      show_toast (self, text);
    }
  else if (!data->quiet)
    {
      text = g_strdup_printf (_("“%s” is searched with the other open glossaries"), title);
      show_toast (self, text);
    }

  if (gloss_bundle_get_from_cache (bundle))
    check_source (self, bundle, data->file, self->extras_cancellable);

  add_data_free (data);
}

static void
add_file (GlossWindow *self,
          GFile       *file,
          gboolean     quiet)
{
  AddData *data = g_new0 (AddData, 1);

  data->self = g_object_ref (self);
  data->file = g_object_ref (file);
  data->quiet = quiet;
  gloss_bundle_load_async (file, NULL, NULL, NULL, self->extras_cancellable,
                           on_extra_loaded, data);
}

/**
 * gloss_window_add_file:
 *
 * Opens @file alongside the glossaries open already: the sidebar lists and
 * searches them as one, each row saying which glossary it comes from. The
 * glossaries open stay usable while it loads; a refused file says why.
 */
void
gloss_window_add_file (GlossWindow *self,
                       GFile       *file)
{
  g_return_if_fail (GLOSS_IS_WINDOW (self));
  g_return_if_fail (G_IS_FILE (file));

  add_file (self, file, FALSE);
}

/**
 * gloss_window_remove_from_group:
 * @bundle_id: the id of a glossary added with gloss_window_add_file()
 *
 * Stops searching that glossary with the others.
 *
 * Returns: whether it was one of them
 */
gboolean
gloss_window_remove_from_group (GlossWindow *self,
                                const char  *bundle_id)
{
  g_return_val_if_fail (GLOSS_IS_WINDOW (self), FALSE);

  for (guint i = 0; i < self->extras->len; i++)
    if (g_strcmp0 (gloss_bundle_get_id (g_ptr_array_index (self->extras, i)), bundle_id) == 0)
      {
        g_ptr_array_remove_index (self->extras, i);
        save_extras (self);
        update_group (self);
        return TRUE;
      }

  return FALSE;
}

/* Returns: (transfer none) (nullable): the glossaries the sidebar lists
 * and searches */
GlossGroup *
gloss_window_get_group (GlossWindow *self)
{
  g_return_val_if_fail (GLOSS_IS_WINDOW (self), NULL);
  return self->group;
}

/**
 * gloss_window_open_file:
 * @entry_id: (nullable): an entry to show once it is open
 *
 * Loads @file in a worker thread. The current bundle stays usable until the
 * new one is ready; a refused file leaves it in place and says why.
 */
void
gloss_window_open_file (GlossWindow *self,
                        GFile       *file,
                        const char  *entry_id)
{
  g_autofree char *basename = NULL;
  g_autofree char *name = NULL;
  g_autofree char *label = NULL;
  OpenData *data;

  g_return_if_fail (GLOSS_IS_WINDOW (self));
  g_return_if_fail (G_IS_FILE (file));

  if (self->load_cancellable != NULL)
    g_cancellable_cancel (self->load_cancellable);
  g_clear_object (&self->load_cancellable);
  self->load_cancellable = g_cancellable_new ();
  g_object_set_data (G_OBJECT (self), "gloss-source-check", NULL);

  basename = g_file_get_basename (file);
  {
    g_autofree char *display = g_filename_display_name (basename ? basename : "?");
    name = gloss_text_for_message (display);
  }
  label = g_strdup_printf (_("Opening “%s”…"), name);
  gtk_label_set_text (self->progress_label, label);
  g_clear_handle_id (&self->progress_timeout, g_source_remove);
  self->progress_timeout = g_timeout_add (150, pulse_progress, self);
  g_object_set_data (G_OBJECT (self->progress_bar), "gloss-fraction-known", NULL);
  gtk_progress_bar_set_fraction (self->progress_bar, 0.0);

  data = g_new0 (OpenData, 1);
  g_atomic_ref_count_init (&data->ref_count);
  data->self = g_object_ref (self);
  data->file = g_object_ref (file);
  data->entry_id = g_strdup (entry_id);
  data->cancellable = g_object_ref (self->load_cancellable);

  if (g_getenv ("GLOSS_TIMING") != NULL)
    {
      _gloss_window_mark ("load-start");
      data->last_beat = g_get_monotonic_time ();
      data->heartbeat = g_timeout_add (4, load_heartbeat, data);
    }

  gloss_bundle_load_async (file, on_load_progress, open_data_ref (data), open_data_unref,
                           self->load_cancellable, on_bundle_loaded, data);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOADING]);
}

/* On start: the built-in bundle at once, then the last bundle if there was
 * one, loaded in the background; @entry_id is shown once the bundle is. */
void
gloss_window_restore_bundle (GlossWindow *self,
                             const char  *entry_id)
{
  g_autofree char *path = NULL;

  g_return_if_fail (GLOSS_IS_WINDOW (self));

  g_auto(GStrv) extras = NULL;

  path = g_settings_get_string (self->settings, "last-bundle");
  extras = g_settings_get_strv (self->settings, "group-bundles");
  gloss_window_open_builtin (self);

  for (guint i = 0; extras[i] != NULL; i++)
    {
      g_autoptr(GFile) file = g_file_new_for_path (extras[i]);

      add_file (self, file, TRUE);
    }

  if (path[0] != '\0')
    {
      g_autoptr(GFile) file = g_file_new_for_path (path);

      gloss_window_open_file (self, file, entry_id);
    }
  else if (entry_id != NULL)
    gloss_window_show_entry_id (self, entry_id);
}

/* Opens @entry_id of the last open bundle, loading it first if this window
 * shows another one (the Shell's search results come from that bundle). */
void
gloss_window_show_last_bundle_entry (GlossWindow *self,
                                     const char  *entry_id)
{
  g_autofree char *path = NULL;
  g_autofree char *current = NULL;
  GFile *file;

  g_return_if_fail (GLOSS_IS_WINDOW (self));

  path = g_settings_get_string (self->settings, "last-bundle");
  file = self->bundle ? gloss_bundle_get_file (self->bundle) : NULL;
  current = file ? g_file_get_path (file) : g_strdup ("");

  if (g_strcmp0 (path, current) == 0)
    gloss_window_show_entry_id (self, entry_id);
  else if (path[0] == '\0')
    {
      gloss_window_open_builtin (self);
      gloss_window_show_entry_id (self, entry_id);
    }
  else
    {
      g_autoptr(GFile) last = g_file_new_for_path (path);
      gloss_window_open_file (self, last, entry_id);
    }
}

void
gloss_window_set_search_text (GlossWindow *self,
                              const char  *text)
{
  g_return_if_fail (GLOSS_IS_WINDOW (self));

  adw_leaflet_set_visible_child (self->leaflet, GTK_WIDGET (self->sidebar));
  gtk_editable_set_text (GTK_EDITABLE (self->search_entry), text);
  gtk_editable_set_position (GTK_EDITABLE (self->search_entry), -1);
}

static void
on_search_text_changed (GlossWindow *self)
{
  _gloss_window_mark ("text-changed");
}

static void
on_search_changed (GlossWindow *self)
{
  GdkFrameClock *clock = gtk_widget_get_frame_clock (GTK_WIDGET (self));
  const char *query = gtk_editable_get_text (GTK_EDITABLE (self->search_entry));

  /* The entry reports some changes twice (replacing text first empties it,
   * focusing it may report again): search once per query. */
  if (g_strcmp0 (query, self->searched) == 0)
    return;
  g_free (self->searched);
  self->searched = g_strdup (query);

  _gloss_window_mark ("query-changed");
  refresh_list (self);
  _gloss_window_refresh_user_lists (self);
  _gloss_window_mark ("results-ready");

  if (clock != NULL)
    {
      g_signal_connect_object (clock, "before-paint", G_CALLBACK (on_results_frame), self, 0);
      g_signal_connect_object (clock, "after-paint", G_CALLBACK (on_results_painted), self, 0);
    }
}

static void
on_search_activate (GlossWindow *self)
{
  if (g_list_model_get_n_items (G_LIST_MODEL (self->hits)) == 0)
    return;

  show_entry (self, gloss_hit_list_get_bundle (self->hits, 0),
              gloss_hit_list_get_entry (self->hits, 0), TRUE);
}

static void
on_search_stop (GlossWindow *self)
{
  gtk_editable_set_text (GTK_EDITABLE (self->search_entry), "");
}

static void
on_list_activate (GlossWindow *self,
                  guint        row)
{
  if (row >= g_list_model_get_n_items (G_LIST_MODEL (self->hits)))
    return;

  show_entry (self, gloss_hit_list_get_bundle (self->hits, row),
              gloss_hit_list_get_entry (self->hits, row), TRUE);
}

static void
on_category_changed (GlossWindow *self)
{
  const GlossCategory *categories;
  guint n_categories;
  guint selected;

  if (self->updating_categories || category_bundle (self) == NULL)
    return;

  selected = gtk_drop_down_get_selected (self->category_dropdown);
  categories = gloss_bundle_get_categories (category_bundle (self), &n_categories);

  g_clear_pointer (&self->category, g_free);
  if (selected > 0 && selected <= n_categories)
    self->category = g_strdup (categories[selected - 1].id);

  refresh_list (self);
}

static void
on_folded_changed (GlossWindow *self)
{
  if (adw_leaflet_get_folded (self->leaflet) &&
      gloss_article_get_entry (self->article) == NULL)
    adw_leaflet_set_visible_child (self->leaflet, GTK_WIDGET (self->sidebar));
}

static void
on_article_open_entry (GlossWindow *self,
                       const char  *entry_id)
{
  /* A link leads within the glossary of the entry it is in. */
  show_entry_in (self, gloss_article_get_bundle (self->article), entry_id);
}

static void
on_scope_changed (GlossWindow *self)
{
  guint selected;

  if (self->updating_scope || self->group == NULL)
    return;

  selected = gtk_drop_down_get_selected (self->scope_dropdown);
  self->scope = selected > 0 && selected <= gloss_group_get_n_bundles (self->group)
                ? selected - 1 : GLOSS_GROUP_ALL;

  update_sidebar_title (self);
  update_categories (self);
  refresh_list (self);
  update_subtitle (self);
}

static void
on_article_open_uri (GlossWindow *self,
                     const char  *uri)
{
  /* The article already applied the link policy; this is the one place
   * that hands a URI to the desktop. */
  gtk_show_uri (GTK_WINDOW (self), uri, GDK_CURRENT_TIME);
}

static void
on_article_filter_tag (GlossWindow *self,
                       const char  *tag)
{
  gtk_widget_activate_action (GTK_WIDGET (self), "win.filter-tag", "s", tag);
}

static gboolean
on_drop (GtkDropTarget *target,
         const GValue  *value,
         double         x,
         double         y,
         GlossWindow   *self)
{
  GSList *files;

  if (!G_VALUE_HOLDS (value, GDK_TYPE_FILE_LIST))
    return FALSE;

  files = g_value_get_boxed (value);
  if (files == NULL)
    return FALSE;

  gloss_window_open_file (self, files->data, NULL);
  return TRUE;
}

static void
on_mouse_button (GtkGestureClick *gesture,
                 int              n_press,
                 double           x,
                 double           y,
                 GlossWindow     *self)
{
  guint button = gtk_gesture_single_get_current_button (GTK_GESTURE_SINGLE (gesture));

  if (button == 8)
    gtk_widget_activate_action (GTK_WIDGET (self), "win.back", NULL);
  else if (button == 9)
    gtk_widget_activate_action (GTK_WIDGET (self), "win.forward", NULL);
}

static gboolean
on_search_key (GtkEventControllerKey *controller,
               guint                  keyval,
               guint                  keycode,
               GdkModifierType        state,
               GlossWindow           *self)
{
  if (keyval == GDK_KEY_Down || keyval == GDK_KEY_KP_Down)
    {
      if (g_list_model_get_n_items (G_LIST_MODEL (self->hits)) == 0)
        return FALSE;

      gtk_single_selection_set_selected (self->selection, 0);
      return gtk_widget_child_focus (GTK_WIDGET (self->list_view), GTK_DIR_TAB_FORWARD);
    }

  return FALSE;
}

static void
on_filter_settings_changed (GlossWindow *self)
{
  GlossEntry *current = gloss_article_get_entry (self->article);

  update_filter (self);
  update_subtitle (self);
  refresh_list (self);

  if (current != NULL)
    {
      if (gloss_filter_allows (self->filter, current))
        gloss_article_set_entry (self->article, gloss_article_get_bundle (self->article),
                                 current, self->filter);
      else
        show_entry (self, NULL, NULL, FALSE);
    }
}

static void
apply_text_scale (GlossWindow *self)
{
  double scale = g_settings_get_double (self->settings, "text-scale");
  g_autofree char *css = NULL;
  char number[G_ASCII_DTOSTR_BUF_SIZE];

  g_ascii_formatd (number, sizeof number, "%.0f", scale * 100);
  css = g_strdup_printf ("glossarticle { font-size: %s%%; }", number);
  gtk_css_provider_load_from_data (self->text_scale_css, css, -1);
}

/* Category names come from the bundle: one ellipsized line each, so a
 * 512-character name cannot make the window wider than the screen. */
static void
setup_category_item (GtkSignalListItemFactory *factory,
                     GtkListItem              *item,
                     gpointer                  user_data)
{
  GtkWidget *label = gtk_label_new (NULL);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
  gtk_label_set_single_line_mode (GTK_LABEL (label), TRUE);
  gtk_label_set_max_width_chars (GTK_LABEL (label), 28);
  gtk_list_item_set_child (item, label);
}

static void
bind_category_item (GtkSignalListItemFactory *factory,
                    GtkListItem              *item,
                    gpointer                  user_data)
{
  GtkStringObject *string = gtk_list_item_get_item (item);

  gtk_label_set_text (GTK_LABEL (gtk_list_item_get_child (item)),
                      gtk_string_object_get_string (string));
}

/* The sidebar's rows. GTK 4.8's list view keeps a row widget for up to 200
 * items around the ones it shows. When a search has fewer results than the
 * one before, it destroys the rows of the items that went, and makes new
 * ones when the results grow again: a search typed a letter at a time
 * would build a hundred rows on one keystroke and destroy them on the
 * next. The rows it lets go wait here for the next items instead. */
#define MAX_SPARE_ROWS 256

/* A row holds a reference of ours while the list shows it; when the list
 * lets it go (GTK 4.8 has unparented it by the time "teardown" runs), it
 * joins the spare rows, or goes. */
static void
on_entry_row_parent (GtkWidget   *row,
                     GParamSpec  *pspec,
                     GlossWindow *self)
{
  if (gtk_widget_get_parent (row) != NULL)
    return;

  gloss_entry_row_set_hit (GLOSS_ENTRY_ROW (row), NULL);
  if (self->spare_rows != NULL && self->spare_rows->len < MAX_SPARE_ROWS)
    g_ptr_array_add (self->spare_rows, row);
  else
    g_object_unref (row);
}

static void
setup_entry_row (GtkSignalListItemFactory *factory,
                 GtkListItem              *item,
                 GlossWindow              *self)
{
  GtkWidget *row;

  if (self->spare_rows->len > 0)
    row = g_ptr_array_steal_index_fast (self->spare_rows, self->spare_rows->len - 1);
  else
    {
      row = g_object_ref_sink (g_object_new (GLOSS_TYPE_ENTRY_ROW, NULL));
      g_signal_connect (row, "notify::parent", G_CALLBACK (on_entry_row_parent), self);
    }

  gtk_list_item_set_child (item, row);
}

static void
bind_entry_row (GtkSignalListItemFactory *factory,
                GtkListItem              *item,
                GlossWindow              *self)
{
  gloss_entry_row_set_hit (GLOSS_ENTRY_ROW (gtk_list_item_get_child (item)),
                           gtk_list_item_get_item (item));
}

/* A menu button's popover is made when it first opens: GTK 4.8 builds
 * every item's widgets as soon as a button has its menu. */
static void
give_menu_on_popup (GtkMenuButton *button,
                    gpointer       menu)
{
  gtk_menu_button_set_menu_model (button, menu);
  gtk_menu_button_set_create_popup_func (button, NULL, NULL, NULL);
}

/* A bookmark or a history item picked in its list. */
static void
on_user_item_activated (GlossWindow *self,
                        GObject     *item)
{
  if (GLOSS_IS_BOOKMARK (item))
    _gloss_window_open_user_item (self, gloss_bookmark_get_bundle_key (GLOSS_BOOKMARK (item)),
                                  gloss_bookmark_get_entry_id (GLOSS_BOOKMARK (item)));
  else if (GLOSS_IS_HISTORY_ITEM (item))
    _gloss_window_open_user_item (self, gloss_history_item_get_bundle_key (GLOSS_HISTORY_ITEM (item)),
                                  gloss_history_item_get_entry_id (GLOSS_HISTORY_ITEM (item)));
}

/* The Bookmarks and History pages are made when first shown. */
static GlossUserList *
ensure_user_list (GlossWindow    *self,
                  GlossUserList **list,
                  AdwBin         *page,
                  const char     *icon_name,
                  const char     *description,
                  const char     *list_label)
{
  if (*list == NULL)
    {
      *list = GLOSS_USER_LIST (gloss_user_list_new (icon_name, description, list_label));
      g_signal_connect_object (*list, "item-activated", G_CALLBACK (on_user_item_activated),
                               self, G_CONNECT_SWAPPED);
      adw_bin_set_child (page, GTK_WIDGET (*list));
    }

  return *list;
}

/* Bookmarks and history follow the search entry too, when shown. */
void
_gloss_window_refresh_user_lists (GlossWindow *self)
{
  const char *query = gtk_editable_get_text (GTK_EDITABLE (self->search_entry));
  const char *page = adw_view_stack_get_visible_child_name (self->view_stack);
  gboolean searching = !gloss_text_is_blank (query);

  if (self->bookmarks != NULL && g_strcmp0 (page, "bookmarks") == 0)
    {
      g_autoptr(GListModel) model = searching ? gloss_bookmarks_search (self->bookmarks, query)
                                              : g_object_ref (G_LIST_MODEL (self->bookmarks));
      GlossUserList *list = ensure_user_list (self, &self->bookmarks_list, self->bookmarks_page,
                                              "starred-symbolic",
                                              _("Star an entry with Ctrl+D to find it here again."),
                                              _("Bookmarks"));

      gloss_user_list_set_model (list, model,
                                 searching ? _("No Matching Bookmarks") : _("No Bookmarks"));
    }

  if (self->history_store != NULL && g_strcmp0 (page, "history") == 0)
    {
      g_autoptr(GListModel) model = searching ? gloss_history_search (self->history_store, query)
                                              : g_object_ref (G_LIST_MODEL (self->history_store));
      GlossUserList *list = ensure_user_list (self, &self->history_list, self->history_page,
                                              "document-open-recent-symbolic",
                                              _("Entries you read appear here, grouped by day."),
                                              _("History"));

      gloss_user_list_set_model (list, model,
                                 searching ? _("No Matching History") : _("No History"));
    }
}

static void
on_view_changed (GlossWindow *self)
{
  const char *page = adw_view_stack_get_visible_child_name (self->view_stack);

  /* Categories narrow the entries, not bookmarks or history. */
  gtk_widget_set_visible (self->category_row, g_strcmp0 (page, "entries") == 0);
  g_object_set (self->search_entry, "placeholder-text",
                g_strcmp0 (page, "bookmarks") == 0 ? _("Search bookmarks") :
                g_strcmp0 (page, "history") == 0 ? _("Search history") :
                _("Search the glossary"),
                NULL);
  _gloss_window_refresh_user_lists (self);
}

static void
on_user_data_changed (GlossWindow *self)
{
  update_bookmark_button (self);
  _gloss_window_refresh_user_lists (self);
}

/* Opens a bookmark or a history item: in this glossary, or in the one the
 * library remembers for it. */
void
_gloss_window_open_user_item (GlossWindow *self,
                              const char  *bundle_key,
                              const char  *entry_id)
{
  GlossLibraryItem *item;
  GlossBundle *open = self->group ? gloss_group_lookup_bundle (self->group, bundle_key) : NULL;

  if (open != NULL)
    {
      show_entry_in (self, open, entry_id);
      return;
    }

  if (g_strcmp0 (bundle_key, "builtin") == 0)
    {
      gloss_window_open_builtin (self);
      gloss_window_show_entry_id (self, entry_id);
      return;
    }

  item = self->library ? gloss_library_lookup (self->library, bundle_key) : NULL;
  if (item == NULL || gloss_library_item_get_missing (item))
    {
      g_autofree char *text = NULL;

      if (item != NULL)
        {
          g_autofree char *title = gloss_text_for_message (gloss_library_item_get_title (item));
          g_autofree char *path = gloss_text_for_message (gloss_library_item_get_path (item));

          text = g_strdup_printf (_("The glossary “%s” is missing from %s"), title, path);
        }
      else
        text = g_strdup (_("The glossary of this entry is not in your library any more"));
      show_toast (self, text);
      return;
    }

  gloss_window_open_file (self, gloss_library_item_get_file (item), entry_id);
}

/**
 * gloss_window_open_bundle_entry:
 * @file: the file of one of the glossaries searched together
 *
 * Shows an entry of that glossary (a result of the Shell's search), at once
 * when it is open, or once it is: it is opened beside the others if it is
 * not among them.
 */
void
gloss_window_open_bundle_entry (GlossWindow *self,
                                GFile       *file,
                                const char  *entry_id)
{
  g_auto(GStrv) extras = NULL;
  g_autofree char *path = NULL;

  g_return_if_fail (GLOSS_IS_WINDOW (self));
  g_return_if_fail (G_IS_FILE (file));

  g_set_object (&self->pending_file, file);
  g_free (self->pending_entry);
  self->pending_entry = g_strdup (entry_id);
  if (group_bundle_for_file (self, file) != NULL)
    {
      show_pending_entry (self);
      return;
    }

  /* Unless it is loading already, restored with the window */
  extras = g_settings_get_strv (self->settings, "group-bundles");
  path = g_file_get_path (file);
  if (path == NULL || !g_strv_contains ((const char * const *)extras, path))
    add_file (self, file, TRUE);
}

/**
 * gloss_window_set_user_data:
 *
 * Gives the window the user's bookmarks, history and library (the
 * application's, or a test's own).
 */
void
gloss_window_set_user_data (GlossWindow    *self,
                            GlossBookmarks *bookmarks,
                            GlossHistory   *history,
                            GlossLibrary   *library)
{
  g_return_if_fail (GLOSS_IS_WINDOW (self));

  g_set_object (&self->bookmarks, bookmarks);
  g_set_object (&self->history_store, history);
  g_set_object (&self->library, library);

  if (bookmarks != NULL)
    g_signal_connect_object (bookmarks, "items-changed", G_CALLBACK (on_user_data_changed),
                             self, G_CONNECT_SWAPPED);
  if (history != NULL)
    g_signal_connect_object (history, "items-changed", G_CALLBACK (on_user_data_changed),
                             self, G_CONNECT_SWAPPED);

  update_bookmark_button (self);
  _gloss_window_refresh_user_lists (self);
}

static gboolean
gloss_window_close_request (GtkWindow *window)
{
  GlossWindow *self = GLOSS_WINDOW (window);
  int width;
  int height;

  gtk_window_get_default_size (window, &width, &height);
  g_settings_delay (self->settings);
  g_settings_set_int (self->settings, "window-width", width);
  g_settings_set_int (self->settings, "window-height", height);
  g_settings_set_boolean (self->settings, "window-maximized", gtk_window_is_maximized (window));
  g_settings_apply (self->settings);

  if (self->load_cancellable != NULL)
    g_cancellable_cancel (self->load_cancellable);

  return GTK_WINDOW_CLASS (gloss_window_parent_class)->close_request (window);
}

static void
on_first_frame (GdkFrameClock *clock,
                GlossWindow   *self)
{
  _gloss_window_mark ("first-frame");
  g_signal_handlers_disconnect_by_func (clock, on_first_frame, self);
}

static void
gloss_window_realize (GtkWidget *widget)
{
  GTK_WIDGET_CLASS (gloss_window_parent_class)->realize (widget);

  /* Start where people start: typing a word. */
  gtk_widget_grab_focus (GTK_WIDGET (GLOSS_WINDOW (widget)->search_entry));

  g_signal_connect (gtk_widget_get_frame_clock (widget), "after-paint",
                    G_CALLBACK (on_first_frame), widget);

  /* For the benchmark's keystroke figures, which are beyond this delay. */
  if (g_getenv ("GLOSS_TIMING") != NULL)
    g_printerr ("gloss-timing search-delay %.6f\n",
                gtk_search_entry_get_search_delay (GLOSS_WINDOW (widget)->search_entry) / 1000.0);
}

static void
gloss_window_dispose (GObject *object)
{
  GlossWindow *self = (GlossWindow *)object;

  if (self->load_cancellable != NULL)
    g_cancellable_cancel (self->load_cancellable);
  g_clear_object (&self->load_cancellable);
  if (self->group_cancellable != NULL)
    g_cancellable_cancel (self->group_cancellable);
  g_clear_object (&self->group_cancellable);
  g_cancellable_cancel (self->extras_cancellable);
  g_clear_handle_id (&self->progress_timeout, g_source_remove);

  if (self->text_scale_css != NULL)
    gtk_style_context_remove_provider_for_display (gtk_widget_get_display (GTK_WIDGET (self)),
                                                   GTK_STYLE_PROVIDER (self->text_scale_css));
  g_clear_object (&self->text_scale_css);

  gtk_widget_dispose_template (GTK_WIDGET (self), GLOSS_TYPE_WINDOW);

  G_OBJECT_CLASS (gloss_window_parent_class)->dispose (object);
}

static void
gloss_window_finalize (GObject *object)
{
  GlossWindow *self = (GlossWindow *)object;

  g_clear_object (&self->bundle);
  g_clear_object (&self->group);
  g_clear_pointer (&self->extras, g_ptr_array_unref);
  g_clear_pointer (&self->spare_rows, g_ptr_array_unref);
  clear_browse_cache (self);
  g_clear_object (&self->extras_cancellable);
  g_clear_object (&self->pending_file);
  g_free (self->pending_entry);
  g_clear_object (&self->bookmarks);
  g_clear_object (&self->history_store);
  g_clear_object (&self->library);
  g_clear_object (&self->hits);
  g_clear_object (&self->selection);
  g_clear_object (&self->settings);
  g_clear_pointer (&self->filter, gloss_filter_unref);
  g_clear_pointer (&self->history, g_ptr_array_unref);
  g_free (self->category);
  g_free (self->tag);
  g_free (self->searched);

  G_OBJECT_CLASS (gloss_window_parent_class)->finalize (object);
}

static void
gloss_window_get_property (GObject    *object,
                           guint       prop_id,
                           GValue     *value,
                           GParamSpec *pspec)
{
  GlossWindow *self = GLOSS_WINDOW (object);

  switch (prop_id)
    {
    case PROP_BUNDLE:
      g_value_set_object (value, self->bundle);
      break;

    case PROP_LOADING:
      g_value_set_boolean (value, gloss_window_get_loading (self));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
gloss_window_class_init (GlossWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->dispose = gloss_window_dispose;
  object_class->finalize = gloss_window_finalize;
  object_class->get_property = gloss_window_get_property;
  widget_class->realize = gloss_window_realize;
  window_class->close_request = gloss_window_close_request;

  properties[PROP_BUNDLE] =
    g_param_spec_object ("bundle", NULL, NULL, GLOSS_TYPE_BUNDLE,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_LOADING] =
    g_param_spec_boolean ("loading", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (GLOSS_TYPE_ARTICLE);
  g_type_ensure (GLOSS_TYPE_ENTRY_ROW);
  g_type_ensure (GLOSS_TYPE_HIT);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_BASE "/gloss-window.ui");
  gtk_widget_class_bind_template_child (widget_class, GlossWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, GlossWindow, leaflet);
  gtk_widget_class_bind_template_child (widget_class, GlossWindow, sidebar);
  gtk_widget_class_bind_template_child (widget_class, GlossWindow, sidebar_title);
  gtk_widget_class_bind_template_child (widget_class, GlossWindow, search_entry);
  gtk_widget_class_bind_template_child (widget_class, GlossWindow, scope_dropdown);
  gtk_widget_class_bind_template_child (widget_class, GlossWindow, category_dropdown);
  gtk_widget_class_bind_template_child (widget_class, GlossWindow, tag_filter_button);
  gtk_widget_class_bind_template_child (widget_class, GlossWindow, tag_filter_content);
  gtk_widget_class_bind_template_child (widget_class, GlossWindow, progress_revealer);
  gtk_widget_class_bind_template_child (widget_class, GlossWindow, progress_label);
  gtk_widget_class_bind_template_child (widget_class, GlossWindow, progress_bar);
  gtk_widget_class_bind_template_child (widget_class, GlossWindow, problems_revealer);
  gtk_widget_class_bind_template_child (widget_class, GlossWindow, problems_label);
  gtk_widget_class_bind_template_child (widget_class, GlossWindow, list_stack);
  gtk_widget_class_bind_template_child (widget_class, GlossWindow, list_view);
  gtk_widget_class_bind_template_child (widget_class, GlossWindow, primary_menu_button);
  gtk_widget_class_bind_template_child (widget_class, GlossWindow, entry_menu_button);
  gtk_widget_class_bind_template_child (widget_class, GlossWindow, primary_menu);
  gtk_widget_class_bind_template_child (widget_class, GlossWindow, entry_menu);
  gtk_widget_class_bind_template_child (widget_class, GlossWindow, list_status);
  gtk_widget_class_bind_template_child (widget_class, GlossWindow, count_label);
  gtk_widget_class_bind_template_child (widget_class, GlossWindow, content);
  gtk_widget_class_bind_template_child (widget_class, GlossWindow, content_title);
  gtk_widget_class_bind_template_child (widget_class, GlossWindow, content_stack);
  gtk_widget_class_bind_template_child (widget_class, GlossWindow, content_status);
  gtk_widget_class_bind_template_child (widget_class, GlossWindow, article_scroller);
  gtk_widget_class_bind_template_child (widget_class, GlossWindow, article);
  gtk_widget_class_bind_template_child (widget_class, GlossWindow, drop_target);
  gtk_widget_class_bind_template_child (widget_class, GlossWindow, view_stack);
  gtk_widget_class_bind_template_child (widget_class, GlossWindow, bookmarks_page);
  gtk_widget_class_bind_template_child (widget_class, GlossWindow, history_page);
  gtk_widget_class_bind_template_child (widget_class, GlossWindow, bookmark_button);
  gtk_widget_class_bind_template_child (widget_class, GlossWindow, category_row);
  gtk_widget_class_bind_template_callback (widget_class, on_view_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_search_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_search_text_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_search_activate);
  gtk_widget_class_bind_template_callback (widget_class, on_search_stop);
  gtk_widget_class_bind_template_callback (widget_class, on_list_activate);
  gtk_widget_class_bind_template_callback (widget_class, on_category_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_scope_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_folded_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_article_open_entry);
  gtk_widget_class_bind_template_callback (widget_class, on_article_open_uri);
  gtk_widget_class_bind_template_callback (widget_class, on_article_filter_tag);
  gtk_widget_class_bind_template_callback (widget_class, on_drop);

  _gloss_window_class_install_actions (klass);
}

static void
gloss_window_init (GlossWindow *self)
{
  GtkEventController *key;
  GtkGesture *click;

  gtk_widget_init_template (GTK_WIDGET (self));

  /* A long glossary title must not widen the sidebar: the title's labels
   * ellipsize past a sidebar's width (AdwWindowTitle sets no limit). */
  for (GtkWidget *w = gtk_widget_get_first_child (GTK_WIDGET (self->sidebar_title));
       w != NULL;
       w = gtk_widget_get_first_child (w) ? gtk_widget_get_first_child (w)
                                          : gtk_widget_get_next_sibling (w))
    if (GTK_IS_LABEL (w))
      gtk_label_set_max_width_chars (GTK_LABEL (w), 28);

  self->settings = g_settings_new ("io.github.glossapp.Gloss");
  self->history = g_ptr_array_new_with_free_func (place_free);
  self->extras = g_ptr_array_new_with_free_func (g_object_unref);
  self->extras_cancellable = g_cancellable_new ();
  self->scope = GLOSS_GROUP_ALL;
  self->hits = gloss_hit_list_new ();
  self->selection = gtk_single_selection_new (g_object_ref (G_LIST_MODEL (self->hits)));
  gtk_single_selection_set_autoselect (self->selection, FALSE);
  gtk_single_selection_set_can_unselect (self->selection, TRUE);
  gtk_list_view_set_model (self->list_view, GTK_SELECTION_MODEL (self->selection));

  self->spare_rows = g_ptr_array_new_with_free_func (g_object_unref);
  {
    g_autoptr(GtkListItemFactory) factory = gtk_signal_list_item_factory_new ();

    g_signal_connect (factory, "setup", G_CALLBACK (setup_entry_row), self);
    g_signal_connect (factory, "bind", G_CALLBACK (bind_entry_row), self);
    gtk_list_view_set_factory (self->list_view, factory);
  }

  gtk_drop_target_set_gtypes (self->drop_target, (GType[1]) { GDK_TYPE_FILE_LIST }, 1);

  {
    g_autoptr(GtkListItemFactory) factory = gtk_signal_list_item_factory_new ();

    g_signal_connect (factory, "setup", G_CALLBACK (setup_category_item), NULL);
    g_signal_connect (factory, "bind", G_CALLBACK (bind_category_item), NULL);
    gtk_drop_down_set_factory (self->category_dropdown, factory);
    gtk_drop_down_set_factory (self->scope_dropdown, factory);
  }

  gtk_search_entry_set_key_capture_widget (self->search_entry, GTK_WIDGET (self));

  gtk_menu_button_set_create_popup_func (self->primary_menu_button, give_menu_on_popup,
                                         g_object_ref (self->primary_menu), g_object_unref);
  gtk_menu_button_set_create_popup_func (self->entry_menu_button, give_menu_on_popup,
                                         g_object_ref (self->entry_menu), g_object_unref);

  key = gtk_event_controller_key_new ();
  g_signal_connect (key, "key-pressed", G_CALLBACK (on_search_key), self);
  gtk_widget_add_controller (GTK_WIDGET (self->search_entry), key);

  click = gtk_gesture_click_new ();
  gtk_gesture_single_set_button (GTK_GESTURE_SINGLE (click), 0);
  gtk_event_controller_set_propagation_phase (GTK_EVENT_CONTROLLER (click), GTK_PHASE_CAPTURE);
  g_signal_connect (click, "pressed", G_CALLBACK (on_mouse_button), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (click));

  self->text_scale_css = gtk_css_provider_new ();
  gtk_style_context_add_provider_for_display (gtk_widget_get_display (GTK_WIDGET (self)),
                                              GTK_STYLE_PROVIDER (self->text_scale_css),
                                              GTK_STYLE_PROVIDER_PRIORITY_APPLICATION + 1);
  apply_text_scale (self);
  g_signal_connect_object (self->settings, "changed::text-scale",
                           G_CALLBACK (apply_text_scale), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->settings, "changed::show-mature",
                           G_CALLBACK (on_filter_settings_changed), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->settings, "changed::hidden-tags",
                           G_CALLBACK (on_filter_settings_changed), self, G_CONNECT_SWAPPED);

  gtk_window_set_default_size (GTK_WINDOW (self),
                               g_settings_get_int (self->settings, "window-width"),
                               g_settings_get_int (self->settings, "window-height"));
  if (g_settings_get_boolean (self->settings, "window-maximized"))
    gtk_window_maximize (GTK_WINDOW (self));

  update_filter (self);
  _gloss_window_init_actions (self);
  refresh_list (self);
  update_history_actions (self);

#if DEVELOPMENT
  gtk_widget_add_css_class (GTK_WIDGET (self), "devel");
#endif
}

GlossWindow *
gloss_window_new (GlossApplication *application)
{
  GlossWindow *self = g_object_new (GLOSS_TYPE_WINDOW,
                                    "application", application,
                                    NULL);

  if (application != NULL)
    gloss_window_set_user_data (self,
                                gloss_application_get_bookmarks (application),
                                gloss_application_get_history (application),
                                gloss_application_get_library (application));

  return self;
}

/* For the actions file: the window's navigation, shared through the private
 * header. */
void
_gloss_window_go_history (GlossWindow *self,
                          int          delta)
{
  int target = (int)self->history_pos + delta;
  GlossWindowPlace *place;
  GlossEntry *entry;

  if (target < 0 || target >= (int)self->history->len || self->group == NULL)
    return;

  /* A place in a glossary no longer open is gone. */
  place = g_ptr_array_index (self->history, target);
  if (!gloss_group_find_bundle (self->group, place->bundle, NULL))
    return;

  entry = gloss_bundle_lookup_entry (place->bundle, place->entry_id);
  if (entry == NULL)
    return;

  self->history_pos = target;
  show_entry (self, place->bundle, entry, FALSE);
}

void
_gloss_window_set_tag (GlossWindow *self,
                       const char  *tag)
{
  set_tag (self, tag);
  refresh_list (self);
  if (tag != NULL && tag[0] != '\0')
    adw_leaflet_set_visible_child (self->leaflet, GTK_WIDGET (self->sidebar));
}
