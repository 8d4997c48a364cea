/* SPDX-License-Identifier: MIT */
/* tg-plot-unit-private.h — what the unit figure's panels (tg-plot-unit.c and
 * tg-plot-unit-run.c) share: a panel's title, its plot area and its class axis. */
#pragma once

#include "tg-plot-private.h"

G_BEGIN_DECLS

/* The panel's title in bold at the top of r: the longest of the wordings (longest first,
 * NULL-terminated) that fits, else the shortest cut with an ellipsis; returns the rest of r. */
TgRect tg_unit_panel_title (cairo_t *cr, const TgPlotStyle *st, TgRect r,
                            const char *const *titles);
/* The plot rectangle inside r for the y axis ay titled y_title, and an x axis of two lines. */
TgRect tg_unit_plot_area   (cairo_t *cr, const TgPlotStyle *st, TgRect r, const TgAxis *ay,
                            const char *y_title, double right_pad);
/* Class labels 0..n-1 under plot, thinned when crowded, and the axis title. */
void   tg_unit_class_axis  (cairo_t *cr, const TgPlotStyle *st, TgRect plot, guint n,
                            const char *title);

/* tg-plot-unit-run.c: τ and γ over the run; the unit in each open mode. */
void   tg_unit_draw_trajectory (cairo_t *cr, const TgPlotStyle *st, const TgUnitPlotData *d,
                                TgRect r);
void   tg_unit_draw_modes      (cairo_t *cr, const TgPlotStyle *st, const TgUnitPlotData *d,
                                TgRect r);

G_END_DECLS
