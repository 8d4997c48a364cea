/* tg-unit-order.c — sort keys and the column permutation of tg-unit-order.h. */
#include "tg-unit-order.h"

#include <glib/gi18n.h>

#include <math.h>
#include <stdlib.h>

/* labels and phrases are marked for the studio's drop-down and readouts, which translate
 * them; figures and files take them as they are */
static const struct { const char *name, *label, *phrase; } orders[TG_UNIT_ORDER_N] = {
  [TG_UNIT_ORDER_INDEX] = { "index", N_("Unit index"), N_("unit index") },
  [TG_UNIT_ORDER_SELECTIVITY] = { "selectivity", N_("Selectivity"), N_("selectivity") },
  [TG_UNIT_ORDER_MEAN_RATE] = { "mean-rate", N_("Mean rate"), N_("mean rate") },
  [TG_UNIT_ORDER_MODE_DIFF] = { "mode-difference", N_("0° − target"), N_("rate at 0° − at target") },
};

const char *
tg_unit_order_name (TgUnitOrder order)
{
  return order < TG_UNIT_ORDER_N ? orders[order].name : NULL;
}

const char *
tg_unit_order_label (TgUnitOrder order)
{
  return order < TG_UNIT_ORDER_N ? orders[order].label : NULL;
}

const char *
tg_unit_order_phrase (TgUnitOrder order)
{
  return order < TG_UNIT_ORDER_N ? orders[order].phrase : NULL;
}

gboolean
tg_unit_order_from_name (const char *name, TgUnitOrder *order)
{
  for (guint o = 0; name != NULL && o < TG_UNIT_ORDER_N; o++)
    if (g_strcmp0 (name, orders[o].name) == 0)
      {
        *order = o;
        return TRUE;
      }
  return FALSE;
}

/* Mean of the finite rates of unit u over the classes; NAN without one. */
static double
mean_rate (const float *rate, guint n_classes, guint stride, guint u)
{
  double sum = 0;
  guint n = 0;
  for (guint c = 0; rate != NULL && c < n_classes; c++)
    if (isfinite (rate[(gsize) c * stride + u]))
      {
        sum += rate[(gsize) c * stride + u];
        n++;
      }
  return n > 0 ? sum / n : NAN;
}

/* The largest rate[c] − mean of the other classes of unit u in one mode; NAN without two
 * finite rates. */
static double
selectivity (const float *rate, guint n_classes, guint stride, guint u)
{
  double best = NAN, sum = 0;
  guint n = 0;
  for (guint c = 0; rate != NULL && c < n_classes; c++)
    if (isfinite (rate[(gsize) c * stride + u]))
      {
        sum += rate[(gsize) c * stride + u];
        n++;
      }
  if (n < 2)
    return NAN;
  for (guint c = 0; c < n_classes; c++)
    {
      double r = rate[(gsize) c * stride + u];
      if (!isfinite (r))
        continue;
      double s = r - (sum - r) / (n - 1);
      if (isnan (best) || s > best)
        best = s;
    }
  return best;
}

/* The mean of a and b where finite, the one that is, or NAN. */
static double
combine_mean (double a, double b)
{
  if (isnan (a))
    return b;
  if (isnan (b))
    return a;
  return (a + b) / 2;
}

static double
combine_max (double a, double b)
{
  if (isnan (a))
    return b;
  if (isnan (b))
    return a;
  return MAX (a, b);
}

void
tg_unit_order_keys (TgUnitOrder order, const float *rate0, const float *rate_rot,
                    guint n_classes, guint n_units, guint row_stride, double *key)
{
  guint stride = row_stride > 0 ? row_stride : n_units;
  for (guint u = 0; u < n_units; u++)
    switch (order)
      {
      case TG_UNIT_ORDER_SELECTIVITY:
        key[u] = combine_max (selectivity (rate0, n_classes, stride, u),
                              selectivity (rate_rot, n_classes, stride, u));
        break;
      case TG_UNIT_ORDER_MEAN_RATE:
        key[u] = combine_mean (mean_rate (rate0, n_classes, stride, u),
                               mean_rate (rate_rot, n_classes, stride, u));
        break;
      case TG_UNIT_ORDER_MODE_DIFF:
        /* NAN when either mode is missing: there is no difference to sort by */
        key[u] = mean_rate (rate0, n_classes, stride, u)
                 - mean_rate (rate_rot, n_classes, stride, u);
        break;
      case TG_UNIT_ORDER_INDEX:
      case TG_UNIT_ORDER_N:
      default:
        key[u] = -(double) u;
        break;
      }
}

typedef struct { double key; guint unit; } Keyed;

/* Larger keys first, NAN last, ties (and NANs among themselves) by unit index. */
static int
compare_keyed (const void *pa, const void *pb)
{
  const Keyed *a = pa, *b = pb;
  gboolean na = isnan (a->key), nb = isnan (b->key);
  if (na != nb)
    return na ? 1 : -1;
  if (!na && a->key != b->key)
    return a->key > b->key ? -1 : 1;
  return a->unit < b->unit ? -1 : a->unit > b->unit;
}

void
tg_unit_order_permutation (TgUnitOrder order, const float *rate0, const float *rate_rot,
                           guint n_classes, guint n_units, guint row_stride, guint *perm)
{
  g_autofree double *key = g_new (double, MAX (n_units, 1u));
  g_autofree Keyed *keyed = g_new (Keyed, MAX (n_units, 1u));

  tg_unit_order_keys (order, rate0, rate_rot, n_classes, n_units, row_stride, key);
  for (guint u = 0; u < n_units; u++)
    keyed[u] = (Keyed) { order == TG_UNIT_ORDER_INDEX ? 0.0 : key[u], u };
  qsort (keyed, n_units, sizeof *keyed, compare_keyed);
  for (guint i = 0; i < n_units; i++)
    perm[i] = keyed[i].unit;
}
