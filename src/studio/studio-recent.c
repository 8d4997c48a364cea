/* SPDX-License-Identifier: MIT */
/* studio-recent.c — recent files: every session and checkpoint the studio opens or saves goes
 * into the desktop's list (GtkRecentManager, $XDG_DATA_HOME/recently-used.xbel, which the
 * file chooser's Recent place and GNOME's search read too) under the studio's name, and the
 * window's Open Recent submenu lists the studio's own entries, most recent first. Choosing one
 * opens it as the chooser would: a session folder replaces the session, a checkpoint is opened
 * beside the foundation (studio_window_open_paths). Not here: what opening does. */
#include "studio-recent.h"
#include "studio-window-private.h"

#include <string.h>

#define GROUP_SESSION    "taugate-session"
#define GROUP_CHECKPOINT "taugate-checkpoint"

static gboolean disabled;   /* set once, before the first window */
/* the windows' Open Recent menus (main thread): an add refreshes them at once, not when the
 * recent manager's "changed" comes (a timeout later, and under a sanitizer's load not
 * within two minutes) */
static GSList *menus;

static void fill_menu (GMenu *menu);

static void
menu_gone (gpointer data, GObject *menu)
{
  menus = g_slist_remove (menus, menu);
}

void
studio_recent_set_enabled (gboolean enabled)
{
  disabled = !enabled;
}

void
studio_recent_add (const char *path, StudioRecentKind kind)
{
  if (disabled)
    return;
  g_autofree char *abs = g_canonicalize_filename (path, NULL);
  g_autoptr (GFile) file = g_file_new_for_path (abs);
  g_autofree char *uri = g_file_get_uri (file);
  g_autofree char *type = NULL;
  g_autofree char *mime = NULL;
  g_autofree char *name = g_path_get_basename (abs);
  const char *groups[] = { kind == STUDIO_RECENT_SESSION ? GROUP_SESSION : GROUP_CHECKPOINT,
                           NULL };

  if (kind == STUDIO_RECENT_SESSION)
    mime = g_strdup ("inode/directory");
  else
    {
      /* what the desktop's MIME database says of the file (no type is registered for
       * safetensors: application/octet-stream), as a file manager would show it */
      type = g_content_type_guess (abs, NULL, 0, NULL);
      mime = g_content_type_get_mime_type (type);
      if (mime == NULL)
        mime = g_strdup ("application/octet-stream");
    }
  GtkRecentData data = {
    .display_name = name,
    .mime_type = mime,
    .app_name = (char *) STUDIO_RECENT_APP_NAME,
    .app_exec = (char *) STUDIO_RECENT_APP_NAME " %f",
    .groups = (char **) groups,
  };
  gtk_recent_manager_add_full (gtk_recent_manager_get_default (), uri, &data);
  for (GSList *l = menus; l != NULL; l = l->next)
    fill_menu (l->data);
}

static gint
by_time_desc (gconstpointer a, gconstpointer b)
{
  GtkRecentInfo *ia = *(GtkRecentInfo **) a, *ib = *(GtkRecentInfo **) b;
  GDateTime *ta = gtk_recent_info_get_modified (ia), *tb = gtk_recent_info_get_modified (ib);
  /* the newest first; equal times keep a fixed order by URI */
  int c = g_date_time_compare (tb, ta);
  return c != 0 ? c : strcmp (gtk_recent_info_get_uri (ia), gtk_recent_info_get_uri (ib));
}

char **
studio_recent_list (guint max, StudioRecentKind **kinds)
{
  GList *items = gtk_recent_manager_get_items (gtk_recent_manager_get_default ());
  g_autoptr (GPtrArray) ours = g_ptr_array_new ();
  GStrvBuilder *paths = g_strv_builder_new ();
  GArray *k = g_array_new (FALSE, FALSE, sizeof (StudioRecentKind));

  for (GList *l = items; l != NULL; l = l->next)
    if (gtk_recent_info_has_application (l->data, STUDIO_RECENT_APP_NAME) &&
        gtk_recent_info_is_local (l->data) && gtk_recent_info_exists (l->data) &&
        (gtk_recent_info_has_group (l->data, GROUP_SESSION) ||
         gtk_recent_info_has_group (l->data, GROUP_CHECKPOINT)))
      g_ptr_array_add (ours, l->data);
  g_ptr_array_sort (ours, by_time_desc);
  for (guint i = 0; i < ours->len && i < max; i++)
    {
      GtkRecentInfo *info = g_ptr_array_index (ours, i);
      g_autoptr (GFile) file = g_file_new_for_uri (gtk_recent_info_get_uri (info));
      g_autofree char *path = g_file_get_path (file);
      StudioRecentKind kind = gtk_recent_info_has_group (info, GROUP_SESSION)
                              ? STUDIO_RECENT_SESSION : STUDIO_RECENT_CHECKPOINT;
      if (path == NULL)
        continue;
      g_strv_builder_add (paths, path);
      g_array_append_val (k, kind);
    }
  g_list_free_full (items, (GDestroyNotify) gtk_recent_info_unref);
  if (kinds != NULL)
    *kinds = (StudioRecentKind *) g_array_free (k, FALSE);
  else
    g_array_free (k, TRUE);
  char **out = g_strv_builder_end (paths);
  g_strv_builder_unref (paths);
  return out;
}

/* ---- the window's submenu ---------------------------------------------------------------- */

/* "seed0-foundation.safetensors", or with its folder's name where another entry has the same
 * name ("seed0-foundation.safetensors (a)"); a session says it is one. */
static char *
item_label (char **paths, guint i, StudioRecentKind kind)
{
  g_autofree char *base = g_path_get_basename (paths[i]);
  g_autofree char *shown = g_filename_display_name (base);
  gboolean twin = FALSE;
  for (guint j = 0; paths[j] != NULL && !twin; j++)
    {
      g_autofree char *other = g_path_get_basename (paths[j]);
      twin = j != i && strcmp (other, base) == 0;
    }
  g_autofree char *dir = g_path_get_dirname (paths[i]);
  g_autofree char *parent = g_path_get_basename (dir);
  g_autofree char *parent_shown = g_filename_display_name (parent);
  g_autofree char *name = twin ? g_strdup_printf ("%s (%s)", shown, parent_shown)
                               : g_steal_pointer (&shown);
  /* menu labels take _ as a mnemonic: doubled, it is shown */
  g_auto (GStrv) parts = g_strsplit (name, "_", -1);
  g_autofree char *escaped = g_strjoinv ("__", parts);
  return kind == STUDIO_RECENT_SESSION ? g_strdup_printf ("%s (session)", escaped)
                                       : g_steal_pointer (&escaped);
}

static void
fill_menu (GMenu *menu)
{
  StudioRecentKind *kinds = NULL;
  g_auto (GStrv) paths = studio_recent_list (STUDIO_RECENT_MAX, &kinds);

  g_menu_remove_all (menu);
  for (guint i = 0; paths[i] != NULL; i++)
    {
      g_autofree char *label = item_label (paths, i, kinds[i]);
      g_autoptr (GMenuItem) item = g_menu_item_new (label, NULL);
      g_menu_item_set_action_and_target_value (item, "win.open-recent",
                                               g_variant_new_string (paths[i]));
      g_menu_append_item (menu, item);
    }
  if (paths[0] == NULL)
    {
      g_autoptr (GMenuItem) item = g_menu_item_new ("No Recent Files", "win.no-recent");
      g_menu_append_item (menu, item);
    }
  g_free (kinds);
}

static void
recent_changed_cb (GtkRecentManager *manager, GMenu *menu)
{
  fill_menu (menu);
}

static void
open_recent_activate (GSimpleAction *action, GVariant *param, gpointer data)
{
  StudioWindow *self = STUDIO_WINDOW (data);
  const char *path = g_variant_get_string (param, NULL);
  const char *paths[] = { path, NULL };

  studio_window_open_paths (self, paths);
}

void
studio_window_recent_init (StudioWindow *self, GMenu *menu)
{
  static const GActionEntry entries[] = {
    { .name = "open-recent", .activate = open_recent_activate, .parameter_type = "s" },
  };
  g_action_map_add_action_entries (G_ACTION_MAP (self), entries, G_N_ELEMENTS (entries), self);
  /* the placeholder's action exists and stays disabled: the item is shown greyed out */
  GSimpleAction *none = g_simple_action_new ("no-recent", NULL);
  g_simple_action_set_enabled (none, FALSE);
  g_action_map_add_action (G_ACTION_MAP (self), G_ACTION (none));
  g_object_unref (none);

  if (disabled)
    return;
  fill_menu (menu);
  menus = g_slist_prepend (menus, menu);
  g_object_weak_ref (G_OBJECT (menu), menu_gone, NULL);
  /* the default manager outlives the window: the handler goes with the menu */
  g_signal_connect_object (gtk_recent_manager_get_default (), "changed",
                           G_CALLBACK (recent_changed_cb), menu, 0);
}
