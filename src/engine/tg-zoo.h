/* SPDX-License-Identifier: MIT */
/* tg-zoo.h — many modes of one foundation, measured: the accuracy matrix (every mode on the
 * test set rotated by every angle), the mode map (how much the on-units of every pair of
 * modes overlap, per hidden layer) and routing (the mode chosen from the input alone: by the
 * lowest output entropy, or by a K-way router on the frozen first layer; per image and per
 * batch).
 *
 * Statistics only, for the command line and a window alike: training the modes is
 * tg-zoo-run.h, the figures src/plot/tg-plot-zoo.h. Modes that keep the foundation's weight
 * matrices (TauGate and the other tau/gamma methods, BitFit, Base) are evaluated in one pass
 * per batch (tg-multimode.h); LoRA and Full FT one by one. */
#pragma once

#include "tg-modes.h"
#include "tg-automode.h"

G_BEGIN_DECLS

/* --- the accuracy matrix ------------------------------------------------------------- */

typedef struct {
  guint    n_modes, n_angles;
  char   **names;        /* n_modes + NULL: the modes' names */
  double  *mode_angles;  /* n_modes: the angle each mode was trained for; NAN: none (Base) */
  double  *test_angles;  /* n_angles: the rotations of the test set, degrees */
  double  *acc_soft;     /* (n_modes, n_angles), mode-major; NAN: not measured */
  double  *acc_hard;     /* the same with hard gates 1[z > tau] (= soft for ungated modes) */
  guint32  n_test;       /* test images per angle */
} TgAccMatrix;

/* An unmeasured matrix (every accuracy NAN); names and mode_angles may be NULL ("mode 1",
 * NAN). */
TgAccMatrix *tg_acc_matrix_new      (guint n_modes, const char *const *names,
                                     const double *mode_angles, guint n_angles,
                                     const double *test_angles);
void         tg_acc_matrix_free     (TgAccMatrix *am);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TgAccMatrix, tg_acc_matrix_free)

static inline double
tg_acc_matrix_get (const TgAccMatrix *am, gboolean hard, guint mode, guint angle)
{
  return (hard ? am->acc_hard : am->acc_soft)[(size_t) mode * am->n_angles + angle];
}

/* The test angle equal to the mode's training angle (within 1e-9 degrees, or a whole turn
 * apart); -1 when none is. */
int          tg_acc_matrix_own_angle (const TgAccMatrix *am, guint mode);
/* The mean over the modes that have their own angle among the test angles of their accuracy
 * there (the diagonal); NAN when none has. */
double       tg_acc_matrix_own_mean  (const TgAccMatrix *am, gboolean hard);

/* Every model on test rotated by each angle, soft and hard gates. models[k] (borrowed) is
 * the foundation with an adapter, sharpness[k] the s of its soft gates; names and
 * mode_angles as tg_acc_matrix_new takes them. The angles run as tasks on `threads` threads
 * (0: one per processor), each with single-threaded BLAS, so the numbers do not depend on
 * the thread count. NULL with error when cancelled, or (TG_ERROR_MISMATCH) when the images
 * do not fit the foundation. */
TgAccMatrix *tg_acc_matrix_measure   (const TgModel *foundation,
                                      const TgModel *const *models, const float *sharpness,
                                      const char *const *names, const double *mode_angles,
                                      guint n_modes, const TgDataset *test,
                                      const double *angles, guint n_angles, guint threads,
                                      GCancellable *cancellable, GError **error);
/* The same for every mode of modes, Base first, as tg_modes_sweep measures them. */
TgAccMatrix *tg_acc_matrix_from_modes (TgModes *modes, const TgDataset *test,
                                       const double *angles, guint n_angles, guint threads,
                                       GCancellable *cancellable, GError **error);

/* --- the mode map --------------------------------------------------------------------- */

/* A unit is "on" in a mode when its mean soft gate over the mode's own test set (the test
 * set rotated by the mode's angle) exceeds the threshold, as the paper's Table 3 has it. */
#define TG_MODE_MAP_THRESHOLD 0.9f

/* The Jaccard of two modes' on-sets in each hidden layer: gates_a and gates_b hold the mean
 * gate of every hidden unit, layer after layer (n_layers layers of widths[l] units); out
 * receives n_layers values, 1 for a layer where neither mode has a unit on. */
void tg_mode_pair_jaccard (const float *gates_a, const float *gates_b, guint n_layers,
                           const guint32 *widths, float threshold, double *out);

typedef struct {
  guint    n_modes, n_layers;
  guint32  widths[TG_MAX_LINEAR];
  guint32  n_units;      /* the sum of widths */
  char   **names;        /* n_modes + NULL */
  double  *mode_angles;  /* n_modes */
  float    threshold;
  float   *mean_gates;   /* (n_modes, n_units): each mode's mean soft gate on its own set */
  guint32 *n_on;         /* (n_modes, n_layers): units on */
  double  *jaccard;      /* (n_layers, n_modes, n_modes), layer-major; symmetric, 1 on the
                            diagonal */
} TgModeMap;

/* The map of modes whose mean gates are given ((n_modes, sum of widths), copied). */
TgModeMap *tg_mode_map_new  (guint n_modes, const char *const *names,
                             const double *mode_angles, guint n_layers,
                             const guint32 *widths, const float *mean_gates, float threshold);
void       tg_mode_map_free (TgModeMap *map);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TgModeMap, tg_mode_map_free)

static inline double
tg_mode_map_get (const TgModeMap *map, guint layer, guint a, guint b)
{
  return map->jaccard[((size_t) layer * map->n_modes + a) * map->n_modes + b];
}

/* Measures each gated model's mean soft gates on test rotated by its mode angle, then the
 * map. Refused (NULL, TG_ERROR_INVALID naming the mode) for a model without gates or a mode
 * angle that is not finite: it has no on-units of its own set. Threads as above. */
TgModeMap *tg_mode_map_measure (const TgModel *const *models, const float *sharpness,
                                const char *const *names, const double *mode_angles,
                                guint n_modes, const TgDataset *test, float threshold,
                                guint threads, GCancellable *cancellable, GError **error);

/* --- routing -------------------------------------------------------------------------- */

/* The stream routing is measured on: the test images in order, in blocks of `batch`
 * consecutive images, every block rotated by one mode's angle (a seeded uniform draw per
 * block). Per image, a router sees one image; per batch, the whole block (as SupSup scores
 * its entropy router on batches of 128 of one task). */
#define TG_ZOO_ROUTE_BATCH 128

typedef struct {
  guint32 n;               /* images in the stream */
  guint   batch;           /* images per block */
  /* accuracy with soft gates of the mode chosen, and how often it was the input's own */
  double  acc_oracle;      /* the input's own mode: the upper bound */
  double  acc_entropy_image, right_entropy_image;
  double  acc_entropy_batch, right_entropy_batch;
  double  acc_router_image, right_router_image;   /* NAN when no router was trained */
  double  acc_router_batch, right_router_batch;
  size_t  router_params;   /* trained parameters of the K-way router; 0: none */
  guint32 router_train;    /* training images it saw */
} TgRouteResult;

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TgRouteResult, g_free)

/* Routing among models (all soft gates, sharpness[k]), each trained for mode_angles[k]
 * (finite, at least two distinct). The router is a tg_router_train softmax regression on
 * train, each image rotated by a uniform draw of the modes' angles, router_epochs epochs
 * (0: no router). NULL with error when cancelled or the modes cannot be routed. */
TgRouteResult *tg_zoo_route (const TgModel *foundation, const TgModel *const *models,
                             const float *sharpness, const double *mode_angles,
                             guint n_modes, const TgDataset *train, const TgDataset *test,
                             guint batch, guint router_epochs, guint64 seed,
                             GCancellable *cancellable, GError **error);

/* ds with example i rotated by angles[pick[i]] (uint8, rounded as tg_dataset_rotated). */
TgDataset *tg_dataset_rotated_each (const TgDataset *ds, const double *angles,
                                    const guint8 *pick);

G_END_DECLS
