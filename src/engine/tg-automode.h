/* tg-automode.h — a mode chosen by context: per input, which attached adapter to run.
 *
 * Two ways to choose, both over the attached adapters whose training angle is known:
 *   Auto (entropy): run every adapter, keep the one whose softmax is the most certain
 *                   (lowest entropy); no parameters.
 *   Auto (router):  a softmax regression on the frozen foundation's first hidden layer,
 *                   relu(x W0^T + b0), standardised, trained on the training set mixed over
 *                   the adapters' angles, predicts the input's mode.
 * They are measured on a stream that mixes the modes evenly (each test image rotated by one
 * of the adapters' angles, a seeded fair draw), beside Base, every single adapter, and an
 * Oracle that runs the adapter of each input's true mode. */
#pragma once

#include "tg-modes.h"

G_BEGIN_DECLS

typedef struct {
  guint   n_modes;     /* classes: the stream's modes */
  guint   n_features;  /* the first hidden layer's width */
  float  *mean, *inv_std;  /* n_features: the standardisation, fixed from the training set */
  float  *w;               /* (n_modes, n_features) */
  float  *b;               /* n_modes */
} TgRouter;

void    tg_router_free     (TgRouter *router);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TgRouter, tg_router_free)
/* Trained parameters, n_modes * (n_features + 1); the 2 n_features standardisation
 * constants are statistics of the data, counted apart by tg_router_n_constants. */
size_t  tg_router_n_params    (const TgRouter *router);
size_t  tg_router_n_constants (const TgRouter *router);
/* Trains on ds, whose example i is of mode mode_of[i] < n_modes: epochs of SGD with
 * momentum over shuffled batches, seeded. */
TgRouter *tg_router_train  (const TgModel *foundation, const TgDataset *ds,
                            const guint8 *mode_of, guint n_modes, guint epochs, guint64 seed);
/* The chosen mode of every example of ds. */
void    tg_router_predict  (const TgRouter *router, const TgModel *foundation,
                            const TgDataset *ds, guint8 *out);
/* The log-probability of every mode for every example of ds: out (ds->n, n_modes). */
void    tg_router_log_probs (const TgRouter *router, const TgModel *foundation,
                             const TgDataset *ds, float *out);

typedef enum {
  TG_MIXED_BASE,
  TG_MIXED_SINGLE,        /* one adapter for every input */
  TG_MIXED_AUTO_ENTROPY,
  TG_MIXED_AUTO_ROUTER,
  TG_MIXED_ORACLE,
} TgMixedKind;

typedef struct {
  TgMixedKind kind;
  char       *name;          /* "Base", a mode's name, "Auto (entropy)", "Auto (router)", "Oracle" */
  guint       mode;          /* TG_MIXED_SINGLE: index into TgModes */
  size_t      extra_params;  /* parameters beyond the foundation and adapters: the router's */
  double      acc_soft, acc_hard;
  /* how often the adapter run was one trained for the input's mode; NAN for Base */
  double      right_soft, right_hard;
} TgMixedRow;

typedef struct {
  guint    n_stream_modes;
  double  *stream_angles;  /* n_stream_modes, the distinct training angles, ascending */
  guint32  n;              /* test examples in the stream */
  guint32  n_train;        /* training examples the router saw */
  size_t   router_params, router_constants;
  GArray  *rows;           /* TgMixedRow: Base, each adapter, Auto (entropy), Auto (router),
                              Oracle */
} TgMixedResult;

void           tg_mixed_result_free (TgMixedResult *res);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TgMixedResult, tg_mixed_result_free)

/* The mixed-stream evaluation. Needs at least two attached adapters trained for different
 * angles (target_angle); adapters of unknown angle appear as single rows but are never
 * chosen. The router trains on train (router_epochs), the stream is made of test. */
TgMixedResult *tg_modes_mixed_stream (TgModes *modes, const TgDataset *train,
                                      const TgDataset *test, guint router_epochs,
                                      guint64 seed, GCancellable *cancellable,
                                      GError **error);

G_END_DECLS
