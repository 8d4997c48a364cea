/* SPDX-License-Identifier: MIT */
/* test-unit-order.c — the column orders of the firing-rate figures on small hand-made rates
 * whose orders are known: each key, ties kept in unit order, NaN units last, the identity
 * without rates, and the names round-trip. */
#include "tg-unit-order.h"

#include <math.h>

/* 3 classes x 5 units, row_stride 6 (a sixth unit of another layer sits in each row and
 * must never be read). Unit 4 has no finite rate. */
#define NC 3
#define NU 5
#define STRIDE 6
static const float RATE0[NC * STRIDE] = {
  /*      u0    u1    u2    u3    u4   other */
  /* 0 */ 0.9f, 0.5f, 0.25f, 0.5f, NAN, 7.0f,
  /* 1 */ 0.1f, 0.5f, 0.25f, 0.5f, NAN, 7.0f,
  /* 2 */ 0.1f, 0.5f, 0.25f, 0.5f, NAN, 7.0f,
};
static const float RATE_ROT[NC * STRIDE] = {
  /* 0 */ 0.1f, 0.5f, 0.75f, 0.5f, NAN, 7.0f,
  /* 1 */ 0.1f, 0.5f, 0.75f, 0.5f, NAN, 7.0f,
  /* 2 */ 0.1f, 0.5f, 0.75f, 0.5f, NAN, 7.0f,
};

static void
check_perm (TgUnitOrder order, const guint *want)
{
  guint perm[NU];
  tg_unit_order_permutation (order, RATE0, RATE_ROT, NC, NU, STRIDE, perm);
  for (guint i = 0; i < NU; i++)
    {
      if (perm[i] != want[i])
        g_test_message ("%s: column %u shows unit %u, want %u", tg_unit_order_name (order), i,
                        perm[i], want[i]);
      g_assert_cmpuint (perm[i], ==, want[i]);
    }
}

static void
test_keys (void)
{
  double key[NU];

  /* unit 0 at 0°: digit 0 0.9 against 0.1 for the others: 0.8; flat units: 0 */
  tg_unit_order_keys (TG_UNIT_ORDER_SELECTIVITY, RATE0, RATE_ROT, NC, NU, STRIDE, key);
  g_assert_cmpfloat_with_epsilon (key[0], 0.8, 1e-6);
  g_assert_cmpfloat_with_epsilon (key[1], 0.0, 1e-6);
  g_assert_true (isnan (key[4]));
  /* mean over the digits of both modes */
  tg_unit_order_keys (TG_UNIT_ORDER_MEAN_RATE, RATE0, RATE_ROT, NC, NU, STRIDE, key);
  g_assert_cmpfloat_with_epsilon (key[0], (1.1 / 3 + 0.1) / 2, 1e-6);
  g_assert_cmpfloat_with_epsilon (key[2], 0.5, 1e-6);
  g_assert_true (isnan (key[4]));
  /* 0° minus the target */
  tg_unit_order_keys (TG_UNIT_ORDER_MODE_DIFF, RATE0, RATE_ROT, NC, NU, STRIDE, key);
  g_assert_cmpfloat_with_epsilon (key[0], 1.1 / 3 - 0.1, 1e-6);
  g_assert_cmpfloat_with_epsilon (key[2], -0.5, 1e-6);
  g_assert_cmpfloat_with_epsilon (key[3], 0.0, 1e-6);
}

static void
test_permutations (void)
{
  /* index: the identity, NaN unit included */
  check_perm (TG_UNIT_ORDER_INDEX, (const guint[]) { 0, 1, 2, 3, 4 });
  /* selectivity: unit 0 (0.8); units 1, 2, 3 all 0 keep their order; NaN last */
  check_perm (TG_UNIT_ORDER_SELECTIVITY, (const guint[]) { 0, 1, 2, 3, 4 });
  /* mean rate: u1 = u2 = u3 = 0.5 tie in index order, u0 (0.233) after, NaN last */
  check_perm (TG_UNIT_ORDER_MEAN_RATE, (const guint[]) { 1, 2, 3, 0, 4 });
  /* 0° − target: u0 0.267, u1 = u3 = 0, u2 -0.5, NaN last */
  check_perm (TG_UNIT_ORDER_MODE_DIFF, (const guint[]) { 0, 1, 3, 2, 4 });
}

/* A selective unit after flat ones is moved first; one mode alone is enough. */
static void
test_one_mode (void)
{
  static const float rate[2 * 3] = {
    0.2f, 0.2f, 1.0f,
    0.2f, 0.2f, 0.0f,
  };
  guint perm[3];
  tg_unit_order_permutation (TG_UNIT_ORDER_SELECTIVITY, NULL, rate, 2, 3, 0, perm);
  g_assert_cmpuint (perm[0], ==, 2);
  g_assert_cmpuint (perm[1], ==, 0);
  g_assert_cmpuint (perm[2], ==, 1);
  /* no rates at all: the identity */
  tg_unit_order_permutation (TG_UNIT_ORDER_MEAN_RATE, NULL, NULL, 2, 3, 0, perm);
  for (guint i = 0; i < 3; i++)
    g_assert_cmpuint (perm[i], ==, i);
  /* the difference needs both modes: one alone gives the identity */
  tg_unit_order_permutation (TG_UNIT_ORDER_MODE_DIFF, NULL, rate, 2, 3, 0, perm);
  for (guint i = 0; i < 3; i++)
    g_assert_cmpuint (perm[i], ==, i);
}

static void
test_names (void)
{
  for (guint o = 0; o < TG_UNIT_ORDER_N; o++)
    {
      TgUnitOrder back;
      g_assert_true (tg_unit_order_from_name (tg_unit_order_name (o), &back));
      g_assert_cmpint (back, ==, o);
      g_assert_nonnull (tg_unit_order_label (o));
      g_assert_nonnull (tg_unit_order_phrase (o));
    }
  TgUnitOrder back = TG_UNIT_ORDER_MEAN_RATE;
  g_assert_false (tg_unit_order_from_name ("sideways", &back));
  g_assert_false (tg_unit_order_from_name (NULL, &back));
  g_assert_cmpint (back, ==, TG_UNIT_ORDER_MEAN_RATE);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/unit-order/keys", test_keys);
  g_test_add_func ("/unit-order/permutations", test_permutations);
  g_test_add_func ("/unit-order/one-mode", test_one_mode);
  g_test_add_func ("/unit-order/names", test_names);
  return g_test_run ();
}
