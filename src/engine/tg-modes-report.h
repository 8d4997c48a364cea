/* SPDX-License-Identifier: MIT */
/* tg-modes-report.h — the modes' results as files and text: modes.csv (mode x angle),
 * mixed.csv (the mixed-stream table), a LaTeX file of both tables, and the same tables as
 * plain text for a terminal. The CLI writes them; a window exports the same bytes. */
#pragma once

#include "tg-automode.h"

G_BEGIN_DECLS

/* mode,method,target_angle,angle,acc_soft,acc_hard — one line per mode and angle. */
char    *tg_modes_sweep_csv  (const TgModes *modes, const TgAngleSweep *sweep);
/* row,kind,extra_params,acc_soft,acc_hard,right_mode_soft,right_mode_hard. */
char    *tg_modes_mixed_csv  (const TgMixedResult *mixed);
/* Both tables as LaTeX (booktabs); either may be NULL. */
char    *tg_modes_tex        (const TgModes *modes, const TgAngleSweep *sweep,
                              const TgMixedResult *mixed);
/* Both tables for a terminal, UTF-8; either may be NULL. */
char    *tg_modes_text       (const TgModes *modes, const TgAngleSweep *sweep,
                              const TgMixedResult *mixed);

/* Writes OUT/modes.csv, OUT/mixed.csv (when mixed is not NULL; else an earlier one is
 * removed) and OUT/tables/modes.tex, each atomically; errors name the file. */
gboolean tg_modes_write_all  (const TgModes *modes, const TgAngleSweep *sweep,
                              const TgMixedResult *mixed, const char *out_dir,
                              GError **error);

G_END_DECLS
