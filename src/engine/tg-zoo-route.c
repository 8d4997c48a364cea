/* SPDX-License-Identifier: MIT */
/* tg-zoo-route.c — choosing one of many modes from the input alone (see tg-zoo.h): by the
 * lowest output entropy, or by a K-way softmax router on the frozen first layer; per image,
 * and per block of images that share a mode, against the oracle that knows each input's
 * mode. All modes' logits come from one pass where the modes share the foundation's
 * weights. Not here: the router itself (tg-automode.c). */
#include "tg-zoo.h"
#include "tg-multimode.h"

#include <math.h>
#include <string.h>

TgDataset *
tg_dataset_rotated_each (const TgDataset *ds, const double *angles, const guint8 *pick)
{
  g_return_val_if_fail (ds != NULL && angles != NULL && (pick != NULL || ds->n == 0), NULL);
  TgDataset *out = tg_dataset_copy (ds);
  guint max_pick = 0;
  for (guint32 i = 0; i < ds->n; i++)
    max_pick = MAX (max_pick, pick[i]);
  g_autofree guint32 *idx = g_new (guint32, MAX (ds->n, 1));
  /* one rotation per angle over the examples that drew it: the bytes tg_dataset_rotated
   * gives */
  for (guint k = 0; ds->n > 0 && k <= max_pick; k++)
    {
      guint32 count = 0;
      for (guint32 i = 0; i < ds->n; i++)
        if (pick[i] == k)
          idx[count++] = i;
      if (count == 0)
        continue;
      g_autoptr (TgDataset) part = tg_dataset_new (count, ds->rows, ds->cols, ds->n_classes,
                                                   NULL);
      for (guint32 c = 0; c < count; c++)
        memcpy (part->pixels + (size_t) c * ds->dim, ds->pixels + (size_t) idx[c] * ds->dim,
                ds->dim);
      g_autoptr (TgDataset) rot = tg_dataset_rotated (part, angles[k]);
      for (guint32 c = 0; c < count; c++)
        memcpy (out->pixels + (size_t) idx[c] * ds->dim, rot->pixels + (size_t) c * ds->dim,
                ds->dim);
    }
  return out;
}

/* Every model's soft logits over ds: out[k] (ds->n, classes), newly allocated. */
static void
all_logits (const TgModel *foundation, const TgModel *const *models, const float *sharpness,
            guint n, const TgDataset *ds, float **out)
{
  g_autofree TgForwardOpts *opts = g_new (TgForwardOpts, n);
  g_autofree const TgModel **shared = g_new (const TgModel *, n);
  g_autofree guint *row = g_new (guint, n);
  guint ns = 0;
  for (guint k = 0; k < n; k++)
    if (tg_multi_forward_can_share (foundation, models[k]))
      {
        opts[ns] = (TgForwardOpts) { TG_GATES_SOFT, sharpness[k] };
        row[ns] = k;
        shared[ns++] = models[k];
      }
  if (ns > 0)
    {
      g_autoptr (TgMultiForward) pass = tg_multi_forward_new (foundation, shared, ns,
                                                              TG_MULTI_FORWARD_BATCH, NULL);
      g_autofree float **got = g_new (float *, ns);
      tg_multi_forward_all_logits (pass, opts, ds, NULL, got);
      for (guint s = 0; s < ns; s++)
        out[row[s]] = got[s];
    }
  guint32 C = foundation->dims[foundation->n_linear];
  g_autofree float *x = g_new (float, (size_t) 1000 * ds->dim);
  for (guint k = 0; k < n; k++)
    {
      if (tg_multi_forward_can_share (foundation, models[k]))
        continue;
      out[k] = g_new (float, (size_t) MAX (ds->n, 1) * C);
      g_autoptr (TgWorkspace) ws = tg_workspace_new (models[k], 1000);
      TgForwardOpts soft = { TG_GATES_SOFT, sharpness[k] };
      for (guint32 first = 0; first < ds->n; first += 1000)
        {
          guint32 count = MIN (1000, ds->n - first);
          tg_dataset_gather (ds, NULL, first, count, x, NULL);
          tg_model_forward (models[k], ws, &soft, x, NULL, count);
          memcpy (out[k] + (size_t) first * C, tg_workspace_logits (ws),
                  sizeof (float) * count * C);
        }
    }
}

static guint
argmax (const float *z, guint n)
{
  guint best = 0;
  for (guint c = 1; c < n; c++)
    if (z[c] > z[best])
      best = c;
  return best;
}

/* The entropy of softmax(z) in nats. */
static double
entropy (const float *z, guint n)
{
  double mx = z[argmax (z, n)], sum = 0, dot = 0;
  for (guint c = 0; c < n; c++)
    {
      double e = exp (z[c] - mx);
      sum += e;
      dot += e * (z[c] - mx);
    }
  return log (sum) - dot / sum;
}

/* What the routers are scored with: per example the chosen mode's correctness. */
typedef struct {
  guint32        n, batch;
  guint          n_modes;
  const double  *mode_angles;
  const guint8  *truth;     /* n: the input's own mode */
  guint8        *correct;   /* (n_modes, n): mode k right on example i */
} Score;

/* Accuracy and right-mode rate of choosing choice[i] for example i. */
static void
score (const Score *s, const guint *choice, double *acc, double *right)
{
  guint64 ok = 0, same = 0;
  for (guint32 i = 0; i < s->n; i++)
    {
      ok += s->correct[(size_t) choice[i] * s->n + i];
      same += s->mode_angles[choice[i]] == s->mode_angles[s->truth[i]];
    }
  *acc = s->n ? (double) ok / s->n : NAN;
  *right = s->n ? (double) same / s->n : NAN;
}

/* Per image the mode of the lowest cost (n_modes, n) and per block the lowest summed cost. */
static void
route_by_cost (const Score *s, const double *cost, guint *per_image, guint *per_batch)
{
  for (guint32 i = 0; i < s->n; i++)
    {
      guint best = 0;
      for (guint k = 1; k < s->n_modes; k++)
        if (cost[(size_t) k * s->n + i] < cost[(size_t) best * s->n + i])
          best = k;
      per_image[i] = best;
    }
  for (guint32 first = 0; first < s->n; first += s->batch)
    {
      guint32 end = MIN (s->n, first + s->batch);
      guint best = 0;
      double best_sum = INFINITY;
      for (guint k = 0; k < s->n_modes; k++)
        {
          double sum = 0;
          for (guint32 i = first; i < end; i++)
            sum += cost[(size_t) k * s->n + i];
          if (sum < best_sum)
            best_sum = sum, best = k;
        }
      for (guint32 i = first; i < end; i++)
        per_batch[i] = best;
    }
}

static gboolean
check_route (const TgModel *foundation, const double *mode_angles, guint n_modes,
             const TgDataset *test, guint batch, GError **error)
{
  guint distinct = 0;
  for (guint k = 0; k < n_modes; k++)
    {
      if (!isfinite (mode_angles[k]))
        {
          g_set_error (error, TG_ERROR, TG_ERROR_INVALID,
                       "mode %u has no training angle: it cannot be routed to", k + 1);
          return FALSE;
        }
      gboolean seen = FALSE;
      for (guint j = 0; j < k; j++)
        seen |= mode_angles[j] == mode_angles[k];
      distinct += !seen;
    }
  if (distinct < 2 || n_modes > 255)
    {
      g_set_error (error, TG_ERROR, TG_ERROR_INVALID,
                   "routing needs 2 to 255 modes of at least two angles (got %u of %u)",
                   n_modes, distinct);
      return FALSE;
    }
  if (batch == 0 || test->n == 0 || test->dim != foundation->dims[0])
    {
      g_set_error (error, TG_ERROR, TG_ERROR_MISMATCH,
                   "routing needs test images of %u pixels and a batch of at least 1",
                   foundation->dims[0]);
      return FALSE;
    }
  return TRUE;
}

/* The router's part: trained on train rotated per image, scored on the stream. */
static void
route_router (const TgModel *foundation, const Score *s, const TgDataset *train,
              const TgDataset *stream, guint epochs, guint64 seed, TgRouteResult *res)
{
  guint K = s->n_modes;
  g_autofree guint8 *tpick = g_new (guint8, MAX (train->n, 1));
  uint64_t rng = tg_rng_seed (seed ^ 0x5a5a5a5aull);
  for (guint32 i = 0; i < train->n; i++)
    tpick[i] = (guint8) tg_rng_below (&rng, K);
  g_autoptr (TgDataset) mixed = tg_dataset_rotated_each (train, s->mode_angles, tpick);
  g_autoptr (TgRouter) router = tg_router_train (foundation, mixed, tpick, K, epochs, seed + 1);
  g_autofree float *lp = g_new (float, (size_t) stream->n * K);
  tg_router_log_probs (router, foundation, stream, lp);
  g_autofree double *cost = g_new (double, (size_t) K * s->n);
  for (guint32 i = 0; i < s->n; i++)
    for (guint k = 0; k < K; k++)
      cost[(size_t) k * s->n + i] = -lp[(size_t) i * K + k];
  g_autofree guint *img = g_new (guint, s->n), *bat = g_new (guint, s->n);
  route_by_cost (s, cost, img, bat);
  score (s, img, &res->acc_router_image, &res->right_router_image);
  score (s, bat, &res->acc_router_batch, &res->right_router_batch);
  res->router_params = tg_router_n_params (router);
  res->router_train = train->n;
}

TgRouteResult *
tg_zoo_route (const TgModel *foundation, const TgModel *const *models, const float *sharpness,
              const double *mode_angles, guint n_modes, const TgDataset *train,
              const TgDataset *test, guint batch, guint router_epochs, guint64 seed,
              GCancellable *cancellable, GError **error)
{
  g_return_val_if_fail (foundation != NULL && models != NULL && test != NULL, NULL);
  if (!check_route (foundation, mode_angles, n_modes, test, batch, error))
    return NULL;
  guint32 n = test->n, nb = (n + batch - 1) / batch;
  g_autofree guint8 *truth = g_new (guint8, n);
  uint64_t rng = tg_rng_seed (seed);
  for (guint32 b = 0; b < nb; b++)
    {
      guint8 k = (guint8) tg_rng_below (&rng, n_modes);
      for (guint32 i = b * batch; i < MIN (n, (b + 1) * batch); i++)
        truth[i] = k;
    }
  g_autoptr (TgDataset) stream = tg_dataset_rotated_each (test, mode_angles, truth);
  guint32 C = foundation->dims[foundation->n_linear];
  g_autofree float **logits = g_new0 (float *, n_modes);
  all_logits (foundation, models, sharpness, n_modes, stream, logits);
  g_autofree guint8 *correct = g_new (guint8, (size_t) n_modes * n);
  g_autofree double *cost = g_new (double, (size_t) n_modes * n);
  for (guint k = 0; k < n_modes; k++)
    {
      for (guint32 i = 0; i < n; i++)
        {
          const float *z = logits[k] + (size_t) i * C;
          correct[(size_t) k * n + i] = argmax (z, C) == stream->labels[i];
          cost[(size_t) k * n + i] = entropy (z, C);
        }
      g_free (logits[k]);
    }
  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return NULL;

  Score s = { .n = n, .batch = batch, .n_modes = n_modes, .mode_angles = mode_angles,
              .truth = truth, .correct = correct };
  TgRouteResult *res = g_new0 (TgRouteResult, 1);
  res->n = n;
  res->batch = batch;
  g_autofree guint *oracle = g_new (guint, n), *img = g_new (guint, n), *bat = g_new (guint, n);
  for (guint32 i = 0; i < n; i++)
    oracle[i] = truth[i];
  double right;
  score (&s, oracle, &res->acc_oracle, &right);
  route_by_cost (&s, cost, img, bat);
  score (&s, img, &res->acc_entropy_image, &res->right_entropy_image);
  score (&s, bat, &res->acc_entropy_batch, &res->right_entropy_batch);
  res->acc_router_image = res->right_router_image = NAN;
  res->acc_router_batch = res->right_router_batch = NAN;
  if (router_epochs > 0 && train != NULL && train->n > 0)
    route_router (foundation, &s, train, stream, router_epochs, seed, res);
  return res;
}
