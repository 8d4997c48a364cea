/* SPDX-License-Identifier: MIT */
/* studio-recent.h — the sessions and checkpoints the studio opened or saved, kept in the
 * desktop's list of recent files (GtkRecentManager), and the window's Open Recent submenu
 * over it. */
#pragma once

#include <gtk/gtk.h>
#include "studio-window.h"

G_BEGIN_DECLS

/* The name the studio's entries carry in the recent files (their application). */
#define STUDIO_RECENT_APP_NAME "taugate-studio"
/* At most this many entries in Open Recent, the most recent first. */
#define STUDIO_RECENT_MAX 10

typedef enum {
  STUDIO_RECENT_SESSION,     /* a session folder (inode/directory) */
  STUDIO_RECENT_CHECKPOINT,  /* a foundation or an adapter (.safetensors) */
} StudioRecentKind;

/* Runs with no one at the window (--screenshot, --export-all, --save-session,
 * --quit-after-steps) leave the user's recent files alone, as they leave the preferences:
 * FALSE makes studio_recent_add do nothing and Open Recent list nothing. */
void    studio_recent_set_enabled (gboolean enabled);

/* Adds path (made absolute) to the recent files as kind, or brings it to the front. */
void    studio_recent_add  (const char *path, StudioRecentKind kind);
/* The studio's recent entries that still exist, most recent first, at most max: absolute
 * paths, NULL-terminated, newly allocated; kinds (optional) gets each one's kind, newly
 * allocated. */
char  **studio_recent_list (guint max, StudioRecentKind **kinds);

/* The window's win.open-recent (a path: opens it as File → Open or Open Session would) and
 * the items of menu, kept in step with the recent files. */
void    studio_window_recent_init (StudioWindow *self, GMenu *menu);

G_END_DECLS
