/* gloss-window-private.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "gloss-article.h"
#include "gloss-bookmarks.h"
#include "gloss-history.h"
#include "gloss-library.h"
#include "gloss-filter.h"
#include "gloss-group.h"
#include "gloss-hit-list.h"
#include "gloss-user-list.h"
#include "gloss-window.h"

G_BEGIN_DECLS

struct _GlossWindow
{
  AdwApplicationWindow  parent_instance;

  GSettings            *settings;
  GlossBundle          *bundle;           /* the glossary opened last */
  GPtrArray            *extras;           /* glossaries added to search with it */
  GlossGroup           *group;            /* bundle and extras, searched as one */
  guint                 scope;            /* a place in group, or GLOSS_GROUP_ALL */
  GCancellable         *group_cancellable;
  GCancellable         *extras_cancellable;
  GFile                *pending_file;     /* an entry to show once its */
  char                 *pending_entry;    /* glossary is open */
  GlossBookmarks       *bookmarks;
  GlossHistory         *history_store;
  GlossLibrary         *library;
  GlossFilter          *filter;
  GlossHitList         *hits;
  GtkSingleSelection   *selection;
  GPtrArray            *spare_rows;     /* GlossEntryRow the list view let go */

  /* The entries listed without a query, and what they were listed for:
   * emptying the search shows them again without going through them all. */
  struct {
    GlossGroup         *group;
    GlossFilter        *filter;
    guint               scope;
    char               *category;
    char               *tag;
    GArray             *refs;
  } browse;
  GCancellable         *load_cancellable;
  GtkCssProvider       *text_scale_css;
  GPtrArray            *history;          /* GlossWindowPlace: back and forward */
  guint                 history_pos;
  char                 *category;         /* narrowing by category id */
  char                 *tag;              /* narrowing by a clicked tag */
  char                 *searched;         /* the query the list shows */
  guint                 progress_timeout;
  GtkWidget            *error_dialog;     /* weak */
  gboolean              updating_categories;
  gboolean              updating_scope;

  /* Template widgets */
  AdwToastOverlay      *toast_overlay;
  AdwLeaflet           *leaflet;
  GtkBox               *sidebar;
  AdwWindowTitle       *sidebar_title;
  GtkSearchEntry       *search_entry;
  GtkDropDown          *scope_dropdown;
  GtkDropDown          *category_dropdown;
  GtkButton            *tag_filter_button;
  AdwButtonContent     *tag_filter_content;
  GtkRevealer          *progress_revealer;
  GtkLabel             *progress_label;
  GtkProgressBar       *progress_bar;
  GtkRevealer          *problems_revealer;
  GtkLabel             *problems_label;
  GtkStack             *list_stack;
  GtkListView          *list_view;
  GtkMenuButton        *primary_menu_button;
  GtkMenuButton        *entry_menu_button;
  GMenuModel           *primary_menu;
  GMenuModel           *entry_menu;
  AdwStatusPage        *list_status;
  GtkLabel             *count_label;
  GtkBox               *content;
  AdwWindowTitle       *content_title;
  GtkStack             *content_stack;
  AdwStatusPage        *content_status;
  GtkScrolledWindow    *article_scroller;
  GlossArticle         *article;
  GtkDropTarget        *drop_target;
  AdwViewStack         *view_stack;
  AdwBin               *bookmarks_page;   /* each holds its list once shown */
  AdwBin               *history_page;
  GlossUserList        *bookmarks_list;
  GlossUserList        *history_list;
  GtkButton            *bookmark_button;
  GtkWidget            *category_row;
};

/* A place back and forward go to: an entry of one of the open bundles. */
typedef struct
{
  GlossBundle *bundle;
  char        *entry_id;
} GlossWindowPlace;

void         _gloss_window_class_install_actions (GlossWindowClass *klass);
void         _gloss_window_init_actions          (GlossWindow      *self);
void         _gloss_window_go_history            (GlossWindow      *self,
                                                  int               delta);
void         _gloss_window_set_tag               (GlossWindow      *self,
                                                  const char       *tag);
GlossFilter *_gloss_window_get_filter            (GlossWindow      *self);
void         _gloss_window_mark                  (const char       *what);
void         _gloss_window_toast                 (GlossWindow      *self,
                                                  const char       *text);
void         _gloss_window_refresh_user_lists    (GlossWindow      *self);
void         _gloss_window_open_user_item        (GlossWindow      *self,
                                                  const char       *bundle_key,
                                                  const char       *entry_id);

G_END_DECLS
