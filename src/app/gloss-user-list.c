/* gloss-user-list.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "gloss-user-list"

#include "config.h"

#include <glib/gi18n.h>

#include "gloss-bookmark.h"
#include "gloss-history.h"
#include "gloss-history-item.h"
#include "gloss-text.h"
#include "gloss-user-list.h"

/* The Bookmarks or the History page of the sidebar: the list, or a status
 * page when it is empty. The window makes each when it is first shown. */
struct _GlossUserList
{
  GtkWidget      parent_instance;

  GtkStack      *stack;
  GtkListView   *view;
  AdwStatusPage *status;
};

G_DEFINE_FINAL_TYPE (GlossUserList, gloss_user_list, GTK_TYPE_WIDGET)

enum {
  ITEM_ACTIVATED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* Bookmarks and history share one row: a heading (the day, for history),
 * the term, and under it the glossary and note or time. */
static void
setup_user_row (GtkSignalListItemFactory *factory,
                GtkListItem              *item,
                gpointer                  user_data)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  GtkWidget *heading = gtk_label_new (NULL);
  GtkWidget *title = gtk_label_new (NULL);
  GtkWidget *subtitle = gtk_label_new (NULL);

  gtk_widget_add_css_class (heading, "gloss-letter");
  gtk_widget_add_css_class (title, "gloss-row-term");
  gtk_widget_add_css_class (subtitle, "gloss-row-detail");
  gtk_widget_add_css_class (subtitle, "dim-label");
  for (GtkWidget *l = heading; l != NULL; l = l == heading ? title : l == title ? subtitle : NULL)
    {
      gtk_label_set_xalign (GTK_LABEL (l), 0);
      gtk_label_set_ellipsize (GTK_LABEL (l), PANGO_ELLIPSIZE_END);
      gtk_label_set_single_line_mode (GTK_LABEL (l), TRUE);
      gtk_label_set_max_width_chars (GTK_LABEL (l), 34);
      gtk_box_append (GTK_BOX (box), l);
    }
  gtk_widget_set_margin_top (box, 4);
  gtk_widget_set_margin_bottom (box, 4);
  gtk_list_item_set_child (item, box);
}

static void
bind_user_row (GtkSignalListItemFactory *factory,
               GtkListItem              *item,
               gpointer                  user_data)
{
  GtkWidget *box = gtk_list_item_get_child (item);
  GtkWidget *heading = gtk_widget_get_first_child (box);
  GtkWidget *title = gtk_widget_get_next_sibling (heading);
  GtkWidget *subtitle = gtk_widget_get_next_sibling (title);
  GObject *object = gtk_list_item_get_item (item);
  g_autofree char *term = NULL;
  g_autofree char *detail = NULL;
  g_autofree char *day = NULL;

  if (GLOSS_IS_BOOKMARK (object))
    {
      GlossBookmark *bookmark = GLOSS_BOOKMARK (object);
      const char *where = gloss_bookmark_get_bundle_title (bookmark);

      term = gloss_text_for_row (gloss_bookmark_get_term (bookmark) ?
                                 gloss_bookmark_get_term (bookmark) :
                                 gloss_bookmark_get_entry_id (bookmark));
      if (gloss_bookmark_has_note (bookmark))
        detail = gloss_text_for_row (gloss_bookmark_get_note (bookmark));
      else
        detail = gloss_text_for_row (where ? where : gloss_bookmark_get_bundle_key (bookmark));
    }
  else if (GLOSS_IS_HISTORY_ITEM (object))
    {
      GlossHistoryItem *entry = GLOSS_HISTORY_ITEM (object);
      GlossUserList *self = user_data;
      GListModel *model = G_LIST_MODEL (gtk_list_view_get_model (self->view));
      guint position = gtk_list_item_get_position (item);
      g_autoptr(GDateTime) now = g_date_time_new_now_local ();
      g_autoptr(GDateTime) viewed = g_date_time_to_local (gloss_history_item_get_viewed (entry));
      g_autofree char *time = g_date_time_format (viewed, "%H:%M");
      const char *where = gloss_history_item_get_bundle_title (entry);
      g_autofree char *key = gloss_history_day_key (viewed, now);
      g_autofree char *previous_key = NULL;
      g_autofree char *where_row = NULL;

      if (position > 0)
        {
          g_autoptr(GlossHistoryItem) previous = g_list_model_get_item (model, position - 1);
          g_autoptr(GDateTime) previous_viewed = NULL;

          if (previous != NULL)
            {
              previous_viewed = g_date_time_to_local (gloss_history_item_get_viewed (previous));
              previous_key = gloss_history_day_key (previous_viewed, now);
            }
        }

      if (g_strcmp0 (key, previous_key) != 0)
        day = gloss_history_day_label (viewed, now);

      term = gloss_text_for_row (gloss_history_item_get_term (entry) ?
                                 gloss_history_item_get_term (entry) :
                                 gloss_history_item_get_entry_id (entry));
      where_row = gloss_text_for_row (where ? where : gloss_history_item_get_bundle_key (entry));
      /* Translators: a history row: the time an entry was read, then its glossary */
      detail = g_strdup_printf (_("%s · %s"), time, where_row);
    }

  gtk_widget_set_visible (heading, day != NULL);
  gtk_label_set_text (GTK_LABEL (heading), day ? day : "");
  gtk_label_set_text (GTK_LABEL (title), term ? term : "");
  gtk_label_set_text (GTK_LABEL (subtitle), detail ? detail : "");
  gtk_accessible_update_property (GTK_ACCESSIBLE (box), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  term ? term : "", -1);
}

static void
on_view_activate (GlossUserList *self,
                  guint          position)
{
  GListModel *model = G_LIST_MODEL (gtk_list_view_get_model (self->view));
  g_autoptr(GObject) item = g_list_model_get_item (model, position);

  if (item != NULL)
    g_signal_emit (self, signals[ITEM_ACTIVATED], 0, item);
}

static void
gloss_user_list_dispose (GObject *object)
{
  gtk_widget_dispose_template (GTK_WIDGET (object), GLOSS_TYPE_USER_LIST);

  G_OBJECT_CLASS (gloss_user_list_parent_class)->dispose (object);
}

static void
gloss_user_list_class_init (GlossUserListClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = gloss_user_list_dispose;

  /**
   * GlossUserList::item-activated:
   * @item: the bookmark or history item the user picked
   */
  signals[ITEM_ACTIVATED] =
    g_signal_new ("item-activated", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_OBJECT);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_BASE "/gloss-user-list.ui");
  gtk_widget_class_bind_template_child (widget_class, GlossUserList, stack);
  gtk_widget_class_bind_template_child (widget_class, GlossUserList, view);
  gtk_widget_class_bind_template_child (widget_class, GlossUserList, status);
  gtk_widget_class_bind_template_callback (widget_class, on_view_activate);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
}

static void
gloss_user_list_init (GlossUserList *self)
{
  g_autoptr(GtkListItemFactory) factory = gtk_signal_list_item_factory_new ();

  gtk_widget_init_template (GTK_WIDGET (self));

  g_signal_connect (factory, "setup", G_CALLBACK (setup_user_row), self);
  g_signal_connect (factory, "bind", G_CALLBACK (bind_user_row), self);
  gtk_list_view_set_factory (self->view, factory);
}

/**
 * gloss_user_list_new:
 * @icon_name: the empty page's icon
 * @description: what the empty page says under its title
 * @list_label: the list's accessible name
 */
GtkWidget *
gloss_user_list_new (const char *icon_name,
                     const char *description,
                     const char *list_label)
{
  GlossUserList *self = g_object_new (GLOSS_TYPE_USER_LIST, NULL);

  adw_status_page_set_icon_name (self->status, icon_name);
  adw_status_page_set_description (self->status, description);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->view),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, list_label, -1);

  return GTK_WIDGET (self);
}

/**
 * gloss_user_list_set_model:
 * @model: bookmarks or history items
 * @empty_title: the empty page's title, shown when @model is empty
 */
void
gloss_user_list_set_model (GlossUserList *self,
                           GListModel    *model,
                           const char    *empty_title)
{
  g_autoptr(GtkNoSelection) selection = NULL;

  g_return_if_fail (GLOSS_IS_USER_LIST (self));
  g_return_if_fail (G_IS_LIST_MODEL (model));

  selection = gtk_no_selection_new (g_object_ref (model));
  gtk_list_view_set_model (self->view, GTK_SELECTION_MODEL (selection));
  adw_status_page_set_title (self->status, empty_title);
  gtk_stack_set_visible_child_name (self->stack,
                                    g_list_model_get_n_items (model) > 0 ? "list" : "empty");
}
