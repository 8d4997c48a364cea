/* SPDX-License-Identifier: MIT */
/* studio-sparsity-view.h — conditional computation: the accuracy / units-on / speedup frontier
 * of a lambda sweep, the run being trained as a moving point on it, and the measured batch-1
 * speedup of the sparse forward for the model just trained. */
#pragma once

#include <gtk/gtk.h>
#include "studio-view.h"

G_BEGIN_DECLS

#define STUDIO_TYPE_SPARSITY_VIEW (studio_sparsity_view_get_type ())
G_DECLARE_FINAL_TYPE (StudioSparsityView, studio_sparsity_view, STUDIO, SPARSITY_VIEW, StudioView)

GtkWidget *studio_sparsity_view_new (void);

/* The current run's point: target accuracy (its latest measurement) and the fraction of
 * hidden units on (hard gates, target test subset, latest mask statistics), with the speedup
 * measured when it finished. FALSE when there is no gated run with both yet. */
gboolean   studio_sparsity_current_point (StudioHistory *history, TgSparsityPoint *out);

G_END_DECLS
