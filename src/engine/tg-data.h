/* SPDX-License-Identifier: MIT */
/* tg-data.h — data sets: IDX files (plain or .gz), rotation, the mixture of modes.
 *
 * Pixels are stored as the uint8 they are in the file; a batch is turned into floats
 * (uint8 / 255) only when it is used. Rotated copies are stored as uint8 too, rounded to
 * nearest, as an image library rotating a uint8 image would give: this keeps both modes of
 * the 60k training set in 94 MB instead of 376 MB. tg_rotate_image() itself works in float. */
#pragma once

#include "tg-common.h"

G_BEGIN_DECLS

typedef struct {
  guint32 n;          /* number of examples */
  guint32 rows, cols; /* image size, 28 x 28 for MNIST */
  guint32 dim;        /* rows * cols */
  guint32 n_classes;  /* labels are < n_classes */
  guint8 *pixels;     /* n * dim, row-major images */
  guint8 *labels;     /* n */
} TgDataset;

/* Largest image side and example count we accept before allocating anything. */
#define TG_IDX_MAX_SIDE  4096
#define TG_IDX_MAX_COUNT 100000000u

/* Reads one IDX file pair. A path ending in ".gz" is decompressed with GZlibDecompressor.
 * Checks magic (0x00000803 images, 0x00000801 labels), dimensions, that the file holds
 * exactly the bytes its header promises, equal counts, and every label < n_classes —
 * all before allocating the pixel buffer. Errors name the file and what is wrong. */
TgDataset *tg_dataset_load_idx (const char *images_path,
                                const char *labels_path,
                                guint32     n_classes,
                                GError    **error);

/* Finds "<split>-images-idx3-ubyte" and "<split>-labels-idx1-ubyte" in dir, each with or
 * without ".gz" (split is "train" or "t10k"). */
TgDataset *tg_dataset_load_dir (const char *dir,
                                const char *split,
                                guint32     n_classes,
                                GError    **error);

TgDataset *tg_dataset_new      (guint32 n, guint32 rows, guint32 cols, guint32 n_classes,
                                GError **error);
void       tg_dataset_free     (TgDataset *ds);
TgDataset *tg_dataset_copy     (const TgDataset *ds);
/* The first n examples (n is clamped to ds->n). */
TgDataset *tg_dataset_head     (const TgDataset *ds, guint32 n);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TgDataset, tg_dataset_free)

/* Bilinear rotation of one float image about its centre ((cols-1)/2, (rows-1)/2) by
 * degrees, positive = counter-clockwise as seen on screen (row 0 at the top), zero fill.
 * out must not alias in. */
void tg_rotate_image (const float *in, float *out, guint32 rows, guint32 cols, double degrees);

/* A copy of ds with every image rotated (uint8, rounded to nearest). */
TgDataset *tg_dataset_rotated (const TgDataset *ds, double degrees);

/* Writes count images as float (pixel / 255) into out (count * dim), and their labels
 * into labels if not NULL. idx == NULL means examples first .. first+count-1. */
void tg_dataset_gather (const TgDataset *ds, const guint32 *idx, guint32 first, guint32 count,
                        float *out, guint8 *labels);

/* The 50/50 mixture: for each example a seeded fair coin says which mode it comes from.
 * coins[i] = 1 means the rotated copy. One draw per example, in index order. */
void tg_mixture_coins (uint64_t *rng, guint8 *coins, guint32 n);

/* The most modes a mixture picks from: a foundation trained on every 10 degrees. */
#define TG_MAX_MIX_MODES 36

/* The mixture of n_modes modes (1 to TG_MAX_MIX_MODES): picks[i] < n_modes is the mode of
 * example i, uniform, one draw per example in index order; for two modes these are exactly
 * tg_mixture_coins()'s coins. */
void tg_mixture_picks (uint64_t *rng, guint8 *picks, guint32 n, guint32 n_modes);

/* The data the protocol runs on: both modes of the training and test sets. */
typedef struct {
  TgDataset *train0, *train_rot, *test0, *test_rot;
  double     angle;
} TgModeData;

/* Takes the loaded sets, applies train_limit / test_limit (0 = all) and makes the rotated
 * copies. Refused (NULL and a GError) unless both sets hold images of the same rows x cols
 * and the same classes, neither is empty, and angle is finite: every caller gets the same
 * checks, so no evaluation can read past an image of the other size. */
TgModeData *tg_mode_data_new  (const TgDataset *train, const TgDataset *test, double angle,
                               guint32 train_limit, guint32 test_limit, GError **error);
void        tg_mode_data_free (TgModeData *data);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TgModeData, tg_mode_data_free)

/* The training set at each angle of a foundation's mix: the same examples rotated by
 * angles[k]. An angle of 0 or of the data's target is the TgModeData's own copy (rotating
 * again would give the same bytes); any other is rotated once, however often it is listed. */
typedef struct {
  guint32          n;
  double           angles[TG_MAX_MIX_MODES];
  const TgDataset *sets[TG_MAX_MIX_MODES];    /* borrowed from the TgModeData or owned */
  TgDataset       *owned[TG_MAX_MIX_MODES];
} TgMix;

/* Refused (NULL and a GError) for 0 or more than TG_MAX_MIX_MODES angles, or one that is
 * not finite. */
TgMix *tg_mix_new  (const TgModeData *data, const double *angles, guint32 n, GError **error);
void   tg_mix_free (TgMix *mix);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TgMix, tg_mix_free)

G_END_DECLS
