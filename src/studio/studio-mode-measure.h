/* SPDX-License-Identifier: MIT */
/* studio-mode-measure.h — what the views show of one mode (a foundation with one adapter,
 * or Base), measured off the main thread without training: the same snapshot fields the
 * training worker publishes (tau and gamma, class-by-unit firing, mean gates, accuracy at 0°
 * and at the rotation), on the test subset the worker evaluates on. */
#pragma once

#include <gio/gio.h>
#include "studio-snapshot.h"

G_BEGIN_DECLS

/* model is copied (the caller keeps its own); cfg gives the data folder, the angle, the
 * test limit and the evaluation subset's size. The result is one immutable snapshot
 * (finished, job TRAIN, with masks), named mode_name for the status line. */
void            studio_mode_measure_async  (const TgModel *model, float sharpness,
                                            const char *mode_name, const StudioConfig *cfg,
                                            GCancellable *cancellable,
                                            GAsyncReadyCallback callback, gpointer data);
StudioSnapshot *studio_mode_measure_finish (GAsyncResult *result, GError **error);

G_END_DECLS
