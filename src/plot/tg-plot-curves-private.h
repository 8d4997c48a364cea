/* SPDX-License-Identifier: MIT */
/* tg-plot-curves-private.h — what the Curves figure's drawing (tg-plot-curves.c) and its
 * crosshair (tg-plot-curves-hover.c) share: the one layout both draw and hit-test with. */
#pragma once

#include "tg-plot-private.h"

G_BEGIN_DECLS

#define MAX_MARKER_ROWS 3
#define NO_LABEL G_MAXUINT
#define LOSS_TITLE "training loss"
#define ACC_TITLE "test accuracy"

typedef struct {
  TgRect  body;
  TgRect  top, bottom;     /* loss panel, accuracy panel */
  TgAxis  ax, ax_bottom;   /* same range; ax placed for the top panel, reused */
  TgAxis  ay_loss, ay_acc;
  double  annot_y;         /* top of the phase/marker label strip */
  guint   marker_rows;
  guint  *marker_row;      /* n_markers */
  gboolean *marker_left;   /* n_markers: label to the left of its line (near the right edge) */
  gboolean any;
  gboolean any_loss, any_acc;
} Layout;

/* The x axis' label (steps or epochs); the colour of run r. */
const char *tg_curves_x_label   (const TgCurvesData *d);
TgRgba      tg_curves_run_color (const TgPlotStyle *st, const TgCurvesData *d, guint r);
/* Draws the crosshair at d->hover_step with each run's values there. */
void        tg_curves_draw_hover (cairo_t *cr, const TgPlotStyle *st, const TgCurvesData *d,
                                  const Layout *L);

G_END_DECLS
