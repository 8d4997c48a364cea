/* SPDX-License-Identifier: MIT */
/* tg-data.c — data sets in memory: copies and heads, float batches, the mode mixture,
 * rotation, the two modes (TgModeData) the protocol runs on and a foundation's mix of angles.
 *
 * Reading IDX files is tg-idx.c. Not here: batching, shuffling, training. This file hands
 * out uint8 images and float copies. */
#include "tg-data.h"

#include <math.h>
#include <string.h>

/* ---------------------------------------------------------------------------------------- */
/* Datasets in memory                                                                        */

TgDataset *
tg_dataset_new (guint32 n, guint32 rows, guint32 cols, guint32 n_classes, GError **error)
{
  g_autoptr (TgDataset) ds = NULL;
  size_t pixel_bytes;

  if (rows == 0 || cols == 0 || rows > TG_IDX_MAX_SIDE || cols > TG_IDX_MAX_SIDE)
    {
      g_set_error (error, TG_ERROR, TG_ERROR_RANGE,
                   "images of %u x %u pixels: each side must be between 1 and %u",
                   rows, cols, TG_IDX_MAX_SIDE);
      return NULL;
    }
  if (n > TG_IDX_MAX_COUNT)
    {
      g_set_error (error, TG_ERROR, TG_ERROR_RANGE, "%u examples: at most %u are allowed",
                   n, TG_IDX_MAX_COUNT);
      return NULL;
    }
  if (n_classes == 0 || n_classes > 256)
    {
      g_set_error (error, TG_ERROR, TG_ERROR_INVALID,
                   "%u classes: uint8 labels allow between 1 and 256", n_classes);
      return NULL;
    }
  if (!tg_size_mul3 (n, rows, cols, &pixel_bytes))
    {
      g_set_error (error, TG_ERROR, TG_ERROR_RANGE,
                   "%u images of %u x %u pixels do not fit in memory", n, rows, cols);
      return NULL;
    }

  ds = g_new0 (TgDataset, 1);
  ds->n = n;
  ds->rows = rows;
  ds->cols = cols;
  ds->dim = rows * cols;
  ds->n_classes = n_classes;
  /* One extra byte so an empty data set still has non-NULL buffers. */
  ds->pixels = g_try_malloc0 (pixel_bytes + 1);
  ds->labels = g_try_malloc0 ((size_t) n + 1);
  if (ds->pixels == NULL || ds->labels == NULL)
    {
      g_set_error (error, TG_ERROR, TG_ERROR_RANGE,
                   "out of memory for %u images of %u x %u pixels", n, rows, cols);
      return NULL;
    }
  return g_steal_pointer (&ds);
}

void
tg_dataset_free (TgDataset *ds)
{
  if (ds == NULL)
    return;
  g_free (ds->pixels);
  g_free (ds->labels);
  g_free (ds);
}

TgDataset *
tg_dataset_head (const TgDataset *ds, guint32 n)
{
  TgDataset *out;

  g_return_val_if_fail (ds != NULL, NULL);

  n = MIN (n, ds->n);
  out = tg_dataset_new (n, ds->rows, ds->cols, ds->n_classes, NULL);
  if (out == NULL)
    return NULL;
  memcpy (out->pixels, ds->pixels, (size_t) n * ds->dim);
  memcpy (out->labels, ds->labels, n);
  return out;
}

TgDataset *
tg_dataset_copy (const TgDataset *ds)
{
  g_return_val_if_fail (ds != NULL, NULL);
  return tg_dataset_head (ds, ds->n);
}

void
tg_dataset_gather (const TgDataset *ds, const guint32 *idx, guint32 first, guint32 count,
                   float *out, guint8 *labels)
{
  gsize dim;

  g_return_if_fail (ds != NULL);
  g_return_if_fail (out != NULL || count == 0);
  g_return_if_fail (idx != NULL || (guint64) first + count <= ds->n);

  dim = ds->dim;

  for (guint32 i = 0; i < count; i++)
    {
      guint32 src = idx != NULL ? idx[i] : first + i;
      const guint8 *px;
      float *dst = out + (gsize) i * dim;

      g_return_if_fail (src < ds->n);
      px = ds->pixels + (gsize) src * dim;
      /* a plain division vectorises (a lookup table does not) and gives the same floats */
      for (gsize j = 0; j < dim; j++)
        dst[j] = (float) px[j] / 255.0f;
      if (labels != NULL)
        labels[i] = ds->labels[src];
    }
}

void
tg_mixture_coins (uint64_t *rng, guint8 *coins, guint32 n)
{
  g_return_if_fail (rng != NULL);
  g_return_if_fail (coins != NULL || n == 0);

  tg_mixture_picks (rng, coins, n, 2);
}

void
tg_mixture_picks (uint64_t *rng, guint8 *picks, guint32 n, guint32 n_modes)
{
  g_return_if_fail (rng != NULL);
  g_return_if_fail (picks != NULL || n == 0);
  g_return_if_fail (n_modes >= 1 && n_modes <= TG_MAX_MIX_MODES);

  for (guint32 i = 0; i < n; i++)
    picks[i] = (guint8) tg_rng_below (rng, n_modes);
}

/* ---------------------------------------------------------------------------------------- */
/* Rotation                                                                                  */

/* cos and sin of an angle in degrees, exact for multiples of 90 so that quarter turns map
 * pixel centres exactly onto pixel centres. */
static void
degrees_cos_sin (double degrees, double *c, double *s)
{
  double d = fmod (degrees, 360.0);

  if (d < 0)
    d += 360.0;
  if (d == 0.0)        { *c = 1.0;  *s = 0.0; }
  else if (d == 90.0)  { *c = 0.0;  *s = 1.0; }
  else if (d == 180.0) { *c = -1.0; *s = 0.0; }
  else if (d == 270.0) { *c = 0.0;  *s = -1.0; }
  else
    {
      double r = d * (G_PI / 180.0);
      *c = cos (r);
      *s = sin (r);
    }
}

/* The four bilinear taps of output pixel (r, c): source indices and weights. A tap that falls
 * outside the image gets weight 0 and index 0, so it adds nothing and needs no branch later.
 *
 * Rows grow downwards, so a counter-clockwise turn on screen by theta maps a source offset
 * (x, y) to (x cos + y sin, -x sin + y cos). Going back from the output offset (x, y):
 *   xs = x cos - y sin,   ys = x sin + y cos. */
typedef struct {
  guint32 idx[4];
  float   w[4];
} RotationTaps;

static inline void
rotation_taps (guint32 r, guint32 c, guint32 rows, guint32 cols,
               double cos_t, double sin_t, RotationTaps *t)
{
  double cx = (cols - 1) * 0.5, cy = (rows - 1) * 0.5;
  double x = (double) c - cx, y = (double) r - cy;
  double sc = x * cos_t - y * sin_t + cx;
  double sr = x * sin_t + y * cos_t + cy;
  double c0f = floor (sc), r0f = floor (sr);
  double fx = sc - c0f, fy = sr - r0f;
  double wr[2] = { 1.0 - fy, fy };
  double wc[2] = { 1.0 - fx, fx };

  for (int k = 0; k < 4; k++)
    {
      double rr = r0f + (k >> 1), cc = c0f + (k & 1);
      if (rr >= 0 && rr < rows && cc >= 0 && cc < cols)
        {
          t->idx[k] = (guint32) rr * cols + (guint32) cc;
          t->w[k] = (float) (wr[k >> 1] * wc[k & 1]);
        }
      else
        {
          t->idx[k] = 0;
          t->w[k] = 0.0f;
        }
    }
}

static inline float
apply_taps (const RotationTaps *t, const float *in)
{
  return t->w[0] * in[t->idx[0]] + t->w[1] * in[t->idx[1]] +
         t->w[2] * in[t->idx[2]] + t->w[3] * in[t->idx[3]];
}

void
tg_rotate_image (const float *in, float *out, guint32 rows, guint32 cols, double degrees)
{
  double cos_t, sin_t;

  g_return_if_fail (in != NULL && out != NULL && in != out);
  g_return_if_fail (isfinite (degrees));

  degrees_cos_sin (degrees, &cos_t, &sin_t);
  for (guint32 r = 0; r < rows; r++)
    for (guint32 c = 0; c < cols; c++)
      {
        RotationTaps t;
        rotation_taps (r, c, rows, cols, cos_t, sin_t, &t);
        out[(gsize) r * cols + c] = apply_taps (&t, in);
      }
}

TgDataset *
tg_dataset_rotated (const TgDataset *ds, double degrees)
{
  g_autoptr (TgDataset) out = NULL;
  g_autofree RotationTaps *taps = NULL;
  double cos_t, sin_t;
  float to_float[256];
  gsize dim;

  g_return_val_if_fail (ds != NULL, NULL);
  g_return_val_if_fail (isfinite (degrees), NULL);

  out = tg_dataset_new (ds->n, ds->rows, ds->cols, ds->n_classes, NULL);
  if (out == NULL)
    return NULL;
  memcpy (out->labels, ds->labels, ds->n);

  /* The same angle for every image: the taps are worked out once. */
  dim = ds->dim;
  taps = g_new (RotationTaps, dim);
  degrees_cos_sin (degrees, &cos_t, &sin_t);
  for (guint32 r = 0; r < ds->rows; r++)
    for (guint32 c = 0; c < ds->cols; c++)
      rotation_taps (r, c, ds->rows, ds->cols, cos_t, sin_t, &taps[(gsize) r * ds->cols + c]);

  for (guint v = 0; v < 256; v++)
    to_float[v] = (float) v;

  for (guint32 i = 0; i < ds->n; i++)
    {
      const guint8 *src = ds->pixels + (gsize) i * dim;
      guint8 *dst = out->pixels + (gsize) i * dim;

      for (gsize j = 0; j < dim; j++)
        {
          const RotationTaps *t = &taps[j];
          float v = t->w[0] * to_float[src[t->idx[0]]] + t->w[1] * to_float[src[t->idx[1]]] +
                    t->w[2] * to_float[src[t->idx[2]]] + t->w[3] * to_float[src[t->idx[3]]];
          v = floorf (v + 0.5f);
          dst[j] = (guint8) CLAMP (v, 0.0f, 255.0f);
        }
    }

  return g_steal_pointer (&out);
}

/* ---------------------------------------------------------------------------------------- */
/* The two modes                                                                             */

static gboolean
mode_data_check (const TgDataset *train, const TgDataset *test, double angle,
                 guint32 train_limit, guint32 test_limit, GError **error)
{
  if (train->rows != test->rows || train->cols != test->cols)
    {
      g_set_error (error, TG_ERROR, TG_ERROR_MISMATCH,
                   "training images are %ux%u but test images %ux%u; a model takes one size",
                   train->rows, train->cols, test->rows, test->cols);
      return FALSE;
    }
  if (train->n_classes != test->n_classes)
    {
      g_set_error (error, TG_ERROR, TG_ERROR_MISMATCH,
                   "the training set has %u classes but the test set %u",
                   train->n_classes, test->n_classes);
      return FALSE;
    }
  if (MIN (train->n, train_limit ? train_limit : train->n) == 0
      || MIN (test->n, test_limit ? test_limit : test->n) == 0)
    {
      g_set_error (error, TG_ERROR, TG_ERROR_INVALID, "the %s set holds no examples",
                   MIN (train->n, train_limit ? train_limit : train->n) == 0 ? "training"
                                                                              : "test");
      return FALSE;
    }
  if (!isfinite (angle))
    {
      g_set_error (error, TG_ERROR, TG_ERROR_INVALID, "the rotation angle %g is not finite",
                   angle);
      return FALSE;
    }
  return TRUE;
}

TgModeData *
tg_mode_data_new (const TgDataset *train, const TgDataset *test, double angle,
                  guint32 train_limit, guint32 test_limit, GError **error)
{
  g_return_val_if_fail (train != NULL && test != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!mode_data_check (train, test, angle, train_limit, test_limit, error))
    return NULL;

  g_autoptr (TgModeData) d = g_new0 (TgModeData, 1);
  d->angle = angle;
  d->train0 = tg_dataset_head (train, train_limit ? train_limit : train->n);
  d->test0 = tg_dataset_head (test, test_limit ? test_limit : test->n);
  if (d->train0 != NULL && d->test0 != NULL)
    {
      d->train_rot = tg_dataset_rotated (d->train0, angle);
      d->test_rot = tg_dataset_rotated (d->test0, angle);
    }
  if (d->train_rot == NULL || d->test_rot == NULL)
    {
      g_set_error (error, TG_ERROR, TG_ERROR_RANGE,
                   "out of memory for the rotated copies of %u + %u images of %ux%u",
                   train->n, test->n, train->rows, train->cols);
      return NULL;
    }
  return g_steal_pointer (&d);
}

void
tg_mode_data_free (TgModeData *d)
{
  if (d == NULL)
    return;
  tg_dataset_free (d->train0);
  tg_dataset_free (d->train_rot);
  tg_dataset_free (d->test0);
  tg_dataset_free (d->test_rot);
  g_free (d);
}

/* ---------------------------------------------------------------------------------------- */
/* A foundation's mix                                                                        */

TgMix *
tg_mix_new (const TgModeData *data, const double *angles, guint32 n, GError **error)
{
  g_return_val_if_fail (data != NULL && (angles != NULL || n == 0), NULL);

  if (n < 1 || n > TG_MAX_MIX_MODES)
    {
      g_set_error (error, TG_ERROR, TG_ERROR_INVALID,
                   "a mix of %u angles: give between 1 and %d", n, TG_MAX_MIX_MODES);
      return NULL;
    }
  g_autoptr (TgMix) mix = g_new0 (TgMix, 1);
  for (guint32 k = 0; k < n; k++)
    {
      double a = angles[k];
      if (!isfinite (a))
        {
          g_set_error (error, TG_ERROR, TG_ERROR_INVALID,
                       "angle %u of the mix is not a finite number of degrees", k + 1);
          return NULL;
        }
      mix->angles[k] = a;
      mix->n = k + 1;
      if (a == 0.0)
        mix->sets[k] = data->train0;
      else if (a == data->angle)
        mix->sets[k] = data->train_rot;
      for (guint32 j = 0; j < k && mix->sets[k] == NULL; j++)
        if (mix->angles[j] == a)
          mix->sets[k] = mix->sets[j];
      if (mix->sets[k] != NULL)
        continue;
      mix->owned[k] = tg_dataset_rotated (data->train0, a);
      if (mix->owned[k] == NULL)
        {
          g_set_error (error, TG_ERROR, TG_ERROR_RANGE,
                       "out of memory for the training set rotated by %g degrees", a);
          return NULL;
        }
      mix->sets[k] = mix->owned[k];
    }
  return g_steal_pointer (&mix);
}

void
tg_mix_free (TgMix *mix)
{
  if (mix == NULL)
    return;
  for (guint32 k = 0; k < G_N_ELEMENTS (mix->owned); k++)
    tg_dataset_free (mix->owned[k]);
  g_free (mix);
}
