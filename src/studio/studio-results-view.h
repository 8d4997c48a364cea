/* SPDX-License-Identifier: MIT */
/* studio-results-view.h — the methods as in the paper's Table 1, ours beside the paper's,
 * filled in as runs finish; "Run the paper comparison" runs every method over the seeds. */
#pragma once

#include <gtk/gtk.h>
#include "studio-view.h"

G_BEGIN_DECLS

#define STUDIO_TYPE_RESULTS_VIEW (studio_results_view_get_type ())
G_DECLARE_FINAL_TYPE (StudioResultsView, studio_results_view, STUDIO, RESULTS_VIEW, StudioView)

GtkWidget *studio_results_view_new (void);
/* Whether the paper comparison's progress bar shows (for tests). */
gboolean   studio_results_view_get_progress_visible (StudioResultsView *self);

/* Ours from the finished runs of method in history that share the newest finished run's
 * settings (all but the seed; a run whose settings changed mid-run shares none): mean and
 * sample std into c. settings: those settings (borrowed, may be NULL); left_out: finished
 * runs of method not pooled. Returns how many were pooled. */
guint studio_results_view_pool_runs (StudioHistory *history, TgMethod method,
                                     TgResultsCells *c, const char **settings,
                                     guint *left_out);

G_END_DECLS
