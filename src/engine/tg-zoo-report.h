/* SPDX-License-Identifier: MIT */
/* tg-zoo-report.h — a zoo's results as files and text: zoo.csv (every mode on every test
 * angle, soft and hard gates), zoo_summary.csv and tables/zoo.tex (per method: each mode on its
 * own angle, routed per image and per batch, cost per mode, bytes, training time; beside the
 * foundation alone and K separate full models), and the same table for a terminal. The
 * figures are the command line's (src/plot/tg-plot-zoo.h). */
#pragma once

#include "tg-zoo-run.h"

G_BEGIN_DECLS

/* seed,method,mode_angle,test_angle,acc_soft,acc_hard: a row per mode and test angle, the
 * foundation alone as method "foundation" with an empty mode_angle. */
char *tg_zoo_csv         (const TgZooResults *res);
/* A row per seed and method (and the foundation): own_soft, own_hard, oracle,
 * entropy_image, entropy_batch, router_image, router_batch, the right-mode rates, params,
 * bytes, train_seconds. */
char *tg_zoo_summary_csv (const TgZooResults *res);
/* tables/zoo.tex: mean (± std over seeds) per method. */
char *tg_zoo_tex         (const TgZooResults *res);
/* Angles for a caption: "0 to 350 every 10" when evenly spaced (3 or more), else "0, 45". */
char *tg_zoo_angles_text (const double *angles, guint n);
/* The table for a terminal, UTF-8. */
char *tg_zoo_text        (const TgZooResults *res);

G_END_DECLS
