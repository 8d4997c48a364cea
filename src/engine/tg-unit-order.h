/* SPDX-License-Identifier: MIT */
/* tg-unit-order.h — the order in which a figure lays out the hidden units of one layer:
 * by how selective each unit is for one digit, by its mean firing rate, by how differently
 * it fires at 0° and at the target angle, or simply by index. Computed from the firing rates
 * per digit (tg_firing_by_class's layout) so that the studio and the CLI sort alike. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef enum {
  TG_UNIT_ORDER_INDEX,        /* unit 0, 1, 2, ... */
  TG_UNIT_ORDER_SELECTIVITY,  /* most selective first: the largest, over the digits and the
                               * two modes, of rate[digit] − mean rate of the other digits */
  TG_UNIT_ORDER_MEAN_RATE,    /* highest mean rate (all digits, both modes) first */
  TG_UNIT_ORDER_MODE_DIFF,    /* mean rate at 0° − mean rate at the target, largest first:
                               * units of the 0° mode on the left, of the target on the right */
  TG_UNIT_ORDER_N
} TgUnitOrder;

/* A short name for menus and files ("index", "selectivity", "mean-rate", "mode-difference"),
 * and its reverse (FALSE for an unknown name). */
const char *tg_unit_order_name       (TgUnitOrder order);
gboolean    tg_unit_order_from_name  (const char *name, TgUnitOrder *order);
/* The label a person reads ("Unit index", "Selectivity", ...), and the same inside a
 * sentence ("sorted by selectivity"). */
const char *tg_unit_order_label      (TgUnitOrder order);
const char *tg_unit_order_phrase     (TgUnitOrder order);

/* The sort key of each unit: rate0 and rate_rot are the firing rates per class of one layer,
 * rate[class * row_stride + unit] (row_stride 0: n_units); either may be NULL (that mode is
 * left out). key[unit] is NAN when no rate of the unit is finite. Non-finite rates are
 * skipped. Larger keys come first. */
void        tg_unit_order_keys       (TgUnitOrder order, const float *rate0,
                                      const float *rate_rot, guint n_classes, guint n_units,
                                      guint row_stride, double *key);
/* Fills perm (n_units) with the units in display order: perm[column] = unit. Larger keys
 * first, ties by unit index, units with a NAN key last (by index). TG_UNIT_ORDER_INDEX, or
 * no rates at all, gives the identity. */
void        tg_unit_order_permutation (TgUnitOrder order, const float *rate0,
                                       const float *rate_rot, guint n_classes, guint n_units,
                                       guint row_stride, guint *perm);

G_END_DECLS
