/* SPDX-License-Identifier: MIT */
/* studio-time-model.h — the model that the views which run one (the unit inspector, the digit
 * pad) show at the history's time.
 *
 * Live, it is the copy the latest mask snapshot carries. Rewound to step k (the scrubber),
 * the mask record at or before k gives the frozen weights and, for a method that trains only
 * τ and γ (TauGate, GainOnly, TauOnly; Frozen trains nothing) in its adaptation phase, the τ
 * and γ recorded at k replace the copy's: that is the model at step k exactly. For a method
 * whose other weights change (BitFit, LoRA, Full, and every method's foundation phase) the
 * weights between mask records are not recorded: the model is the one of the mask record at
 * or before k, and says so (exact FALSE, step its own). Main thread only to build;
 * immutable and reference-counted after, so a worker thread may hold it. */
#pragma once

#include "studio-history.h"

G_BEGIN_DECLS

typedef struct {
  StudioSnapshot *masks;     /* the record whose model copy is the base (a reference) */
  StudioSnapshot *params;    /* the record whose τ / γ the model has; NULL: the base's own */
  TgModel        *model;     /* owned */
  guint64         step;      /* the step whose weights the model has */
  gint64          time;      /* the history's time it was built for (-1: live) */
  gboolean        exact;     /* step is the time asked for (always TRUE live) */
  float           sharpness; /* s that step trained with */
  gboolean        hard_gates;
  double          angle;     /* the run's target angle */
  char           *label;     /* "TauGate, step 412" or "LoRA r=8, weights of step 400" */
} StudioTimeModel;

/* The model at history's time, or NULL when there is none (nothing trained, or the run's
 * snapshots carry no model copy). */
StudioTimeModel *studio_time_model_new       (StudioHistory *history);
StudioTimeModel *studio_time_model_ref       (StudioTimeModel *tm);
void             studio_time_model_unref     (StudioTimeModel *tm);
/* TRUE when tm (may be NULL) is what studio_time_model_new would build now. */
gboolean         studio_time_model_is_current (const StudioTimeModel *tm, StudioHistory *history);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (StudioTimeModel, studio_time_model_unref)

/* The recorded τ and γ of hidden unit (layer, index) over the current run: steps, tau and
 * gamma as GArrays of double (newly allocated, same length; empty when nothing is
 * recorded). */
void             studio_time_model_trajectory (StudioHistory *history, guint layer,
                                               guint index, GArray **steps, GArray **tau,
                                               GArray **gamma);

G_END_DECLS
