/* SPDX-License-Identifier: MIT */
/* tg-folder-swap.h — a folder replaced by another in one step, and what a replacement
 * killed half-way left beside it cleared at the next use.
 *
 * A staging folder sits beside its target as PARENT/.BASE.TAG-XXXXXX and is held (an flock
 * on it) by the process that made it for as long as that process uses it; one that no
 * process holds is a leftover of a process that was killed, and tg_folder_recover removes
 * it. The swap itself is renameat2 (RENAME_EXCHANGE): at every moment the target's name
 * holds either the old folder or the new one, whole. Not here: what goes in the folders. */
#pragma once

#include "tg-common.h"

G_BEGIN_DECLS

typedef struct {
  char *path;  /* the staging folder; NULL once handed on */
  int   hold;  /* an open descriptor holding its flock, or -1 */
} TgStaging;

/* Makes and holds PARENT/.BASE.TAG-XXXXXX beside target (mode 0700); errors name target. */
gboolean tg_staging_begin   (TgStaging *staging, const char *target, const char *tag,
                             GError **error);
/* The same with the staging folder's path as a g_mkdtemp template (any place). */
gboolean tg_staging_begin_at (TgStaging *staging, const char *template, GError **error);
/* Removes what is still at staging->path (after a swap: the old folder) and lets go. */
void     tg_staging_end     (TgStaging *staging);

/* Holds the folder at path (so that no recovery takes it for a leftover while it is moved):
 * the descriptor to close, or -1. */
int      tg_folder_hold     (const char *path);

/* Exchanges the folders from and to in one step: 1 done; 0 when the file system cannot
 * (nothing was done, errno says why); -1 on any other failure (errno set). */
int      tg_folder_exchange (const char *from, const char *to);

/* What killed replacements left beside target: if target is missing and a leftover of
 * restore_tag that no process holds contains restore_marker, it is put back at target; then
 * every leftover of the tags (NULL-terminated) that no process holds is removed. */
void     tg_folder_recover  (const char *target, const char *restore_tag,
                             const char *restore_marker, const char *const *tags);

/* Removes path and, if it is a folder, everything under it; links are removed, never
 * followed. */
void     tg_remove_tree     (const char *path);

G_END_DECLS
