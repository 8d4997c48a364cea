/* SPDX-License-Identifier: MIT */
/* studio-snapshot.h — what the training worker hands the main loop, and the settings of a run.
 *
 * A StudioSnapshot is reference-counted and immutable once the main loop has taken it:
 * the worker builds it, parks it in the trainer's one pending slot (where later steps may
 * still append points to it under the trainer's mutex), and the main loop steals it from
 * there. It is not a live view of the model: every array is a copy. */
#pragma once

#include <glib.h>
#include "tg-model.h"
#include "tg-experiment.h"
#include "tg-sweep.h"

G_BEGIN_DECLS

typedef enum {
  STUDIO_JOB_TRAIN,       /* foundation, then one adapter, with live curves */
  STUDIO_JOB_OVERLAP,     /* TauGate at 0 deg and at the angle from one foundation */
  STUDIO_JOB_EXPERIMENT,  /* the paper's comparison, every method over the seeds */
  STUDIO_JOB_SWEEP,       /* TauGate over the sweep's lambdas at the run's s (conditional
                             computation: accuracy, units on, measured speedup) */
} StudioJob;

typedef enum {
  STUDIO_PHASE_LOADING,
  STUDIO_PHASE_FOUNDATION,
  STUDIO_PHASE_ADAPTATION,
  STUDIO_PHASE_DONE,
} StudioPhase;

const char *studio_phase_label (StudioPhase phase);

/* What a run is started with. s, lambda, lr and hard_gates may change while it runs
 * (through studio_trainer_set_*); the rest is read once at the start. */
typedef struct {
  TgMethod method;
  guint64  seed;
  float    sharpness;          /* 5 */
  float    lambda;             /* 0 */
  float    lr;                 /* 0.01 */
  gboolean hard_gates;         /* evaluate with 1[z > tau] */
  double   angle;              /* of the second mode, degrees; the paper: 45 */
  guint32  foundation_epochs;  /* 2 */
  guint32  adapt_epochs;       /* 1 */
  guint32  batch;              /* 256 */
  char    *data_dir;           /* NULL: studio_default_data_dir () */
  guint32  train_limit;        /* 0: all */
  guint32  test_limit;         /* 0: all */
  guint32  eval_every;         /* steps between accuracy points on the test subset: 20 */
  guint32  eval_samples;       /* size of that subset, per mode: 1000 */
  guint32  mask_every;         /* steps between mask statistics: 50 */
  guint32  seeds;              /* for the paper comparison: 3 */
  float    on_threshold;       /* overlap: on when mean gate > this, 0.9 */
  guint32  max_steps;          /* 0: none; else the run ends after this many steps */
  guint32  n_sweep_lambdas;    /* the sweep's lambdas (<= 8): 0, 0.01, 0.1, 0.3, 1, 3 */
  double   sweep_lambdas[8];
  gboolean anneal_sharpness;   /* HAT's schedule: s from 1/s to s within each epoch */
  guint32  n_foundation_angles;  /* 0: the paper's mix, 0° and the angle */
  double   foundation_angles[TG_MAX_MIX_MODES]; /* the foundation's mix, one angle picked
                                                   per image uniformly */
} StudioConfig;

void          studio_config_init_paper (StudioConfig *cfg);
void          studio_config_copy       (StudioConfig *dst, const StudioConfig *src);
void          studio_config_clear      (StudioConfig *cfg);

/* TG_MNIST_DIR if set; else "data/mnist" under the current directory if it exists; else
 * ../../data/mnist (or ../../../data/mnist, a build tree inside the source tree) beside
 * the binary if it exists; else "data/mnist". No source-tree path is built into the
 * binary: a build tree elsewhere runs with TG_MNIST_DIR (the tests and run.sh set it).
 * Newly allocated. */
char         *studio_default_data_dir  (void);

typedef struct {
  double  step;
  double  loss;    /* NAN where none */
  double  acc0;    /* test accuracy 0 deg; NAN unless measured at this step */
  double  acc_rot;   /* same, rotated */
  double  full0, full_rot; /* on the whole test sets, at an epoch's end; NAN elsewhere */
  guint8  phase;   /* StudioPhase */
} StudioPoint;

typedef enum {
  STUDIO_CHANGE_SHARPNESS = 1 << 0,
  STUDIO_CHANGE_LAMBDA    = 1 << 1,
  STUDIO_CHANGE_LR        = 1 << 2,
  STUDIO_CHANGE_HARD      = 1 << 3,
} StudioChange;

/* What λ and s act on, measured with the masks (on the test subsets of the mask
 * statistics), per hidden layer. NAN where not measured (ungated: Jaccard). */
typedef struct {
  double  step;
  guint32 n_layers;
  float   mean_gate0[TG_MAX_LINEAR], mean_gate_rot[TG_MAX_LINEAR]; /* soft gate, mean */
  float   units_on0[TG_MAX_LINEAR], units_on_rot[TG_MAX_LINEAR];   /* units with z > τ, per image */
  float   jaccard[TG_MAX_LINEAR];  /* units on (mean gate > on_threshold) at 0° vs target */
  double  high_act;
  guint8  phase;                   /* StudioPhase */
} StudioGatePoint;

/* A setting the worker started training with at `step` (the first step that used it). */
typedef struct {
  guint64 step;
  guint   changed;  /* StudioChange flags */
  float   sharpness, lambda, lr;
  gboolean hard_gates;
} StudioEvent;

typedef struct {
  guint        run_id;
  StudioJob    job;
  StudioPhase  phase;
  TgMethod     method;           /* the adapter: the run's method (FULL while in foundation) */
  TgMethod     run_method;       /* what the run specialises with */
  guint64      seed;
  double       angle;
  char        *settings;         /* the run's settings but its seed (grouping, labels) */
  char        *foundation_mix;   /* studio_config_dup_foundation_mix(): NULL for the paper's */
  gboolean     paused;
  gboolean     finished;         /* the last snapshot of a job */
  GError      *error;            /* set when the job failed (with finished) */

  guint32      epoch, n_epochs;  /* 1-based, within the phase */
  guint32      batch, n_batches;
  guint64      step, total_steps;
  guint64      foundation_steps; /* where the adaptation phase starts */
  gboolean     foundation_cached;
  double       samples_per_sec;
  double       eta_seconds;      /* < 0: unknown */
  float        sharpness, lambda, lr;   /* what the latest step trained with */
  gboolean     hard_gates;
  guint32      eval_every, eval_samples, mask_every;  /* the run's cadence, for captions */

  GArray      *points;           /* StudioPoint since the previous delivery */
  GArray      *events;           /* StudioEvent since the previous delivery */
  GArray      *gate_points;      /* StudioGatePoint since the previous delivery */

  /* copies of the per-unit parameters, layer after layer */
  guint32      n_hidden;
  guint32      widths[TG_MAX_LINEAR];
  guint32      hidden_units;
  float       *tau, *gamma;      /* hidden_units each; NULL before the model exists */

  /* mask statistics; has_masks FALSE when none were measured since the last delivery */
  gboolean     has_masks;
  guint64      mask_step;
  guint32      n_classes;
  float       *firing0_hard, *firing_rot_hard;  /* (n_classes, hidden_units) */
  float       *firing0_soft, *firing_rot_soft;
  float       *gates0, *gates_rot;              /* mean soft gate per unit, test subsets */
  double       high_act;                      /* NAN for ungated */
  TgModel     *model;            /* a copy of the model at mask_step when the window asked
                                    for one (studio_trainer_set_want_model); else NULL */

  /* final full-test accuracy of a finished train job */
  double       final_acc0, final_acc_rot, final_high_act;

  /* experiment / overlap progress and results */
  double       progress;         /* 0..1 */
  char        *progress_text;
  TgExperimentResults *experiment;            /* owned */
  TgSweepResults      *sweep;                 /* owned; a finished sweep */
  /* a finished train job's model, hard gates, on the target test set: batch-1 dense p50 /
   * sparse p50 and the multiply-adds it reads per image; NAN: not measured */
  double       sparse_speedup, sparse_madds, dense_madds;
  guint32      overlap_layers, overlap_units;
  float       *overlap_gate0, *overlap_gate_rot; /* overlap_layers * overlap_units */

  /* a mode's measurement (studio-mode-measure.h): the mode shown, NULL for a run's */
  char        *mode_name;
  /* the folder of the data the model was trained or measured on; NULL: not known (a
   * session's) */
  char        *data_dir;
  /* a finished train job's model (a copy the worker no longer touches), for the Modes
   * panel; NULL elsewhere */
  TgModel     *adapted;
  /* a finished overlap job's two TauGate models (0°, then the target angle), for the Modes
   * panel; NULL elsewhere */
  TgModel     *overlap_models[2];
} StudioSnapshot;

StudioSnapshot *studio_snapshot_new   (void);
StudioSnapshot *studio_snapshot_ref   (StudioSnapshot *snap);
void            studio_snapshot_unref (StudioSnapshot *snap);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (StudioSnapshot, studio_snapshot_unref)

/* The settings that make runs of one method comparable, all but the seed: data, angle,
 * epochs, lr, s, λ, gates, batch and how many images were used. Newly allocated. */
char           *studio_config_describe_settings (const StudioConfig *cfg);
/* The foundation's mix as "0°, 90°" when it is not the paper's (0° and the angle, in that
 * order); NULL for the paper's. Newly allocated. */
char           *studio_config_dup_foundation_mix (const StudioConfig *cfg);

/* The status line for the latest snapshot (NULL: nothing has run): what runs, how far,
 * how fast, with which settings; or how it ended. Newly allocated. */
char           *studio_snapshot_format_status (const StudioSnapshot *st);

/* Moves from's heatmaps and gates into to (both still being built by the worker). */
void            studio_snapshot_take_masks (StudioSnapshot *to, StudioSnapshot *from);

/* What the model snap shows is called in a label: a mode's name ("TauGate 45°"); a run's
 * foundation phase as that run's foundation ("TauGate run's foundation": its model trains all
 * weights but is no Full FT run); else the method ("TauGate"). Newly allocated. */
char           *studio_snapshot_dup_model_name (const StudioSnapshot *snap);

/* Measures m's masks into snap (its heatmaps and mean gates, n_classes, has_masks): the
 * firing rate per class of every hidden unit, hard and soft gates at s, and the mean soft gate,
 * on the first n images of test0 and test_rot (z0, z_rot: their first-layer products or NULL).
 * The worker's live records and a mode's measurement both take them here. */
void            studio_snapshot_measure_masks (StudioSnapshot *snap, const TgModel *m,
                                               TgWorkspace *ws, float s,
                                               const TgDataset *test0, const float *z0,
                                               const TgDataset *test_rot, const float *z_rot,
                                               guint32 n);

/* Snapshots alive in the process: the tests check that none leak. */
guint           studio_snapshot_get_live_count (void);

#define STUDIO_TYPE_SNAPSHOT (studio_snapshot_get_type ())
GType studio_snapshot_get_type (void);

G_END_DECLS
