/* SPDX-License-Identifier: MIT */
/* studio-scrubber.h — time under the views: a slider over the recorded steps of the current
 * run that rewinds the views drawing τ, γ and the masks (through the history's time), play
 * at a chosen speed, back to live; and, for watching a run live, a steps-per-second limit
 * and a single-step button on the trainer. */
#pragma once

#include <gtk/gtk.h>
#include "studio-history.h"
#include "studio-trainer.h"

G_BEGIN_DECLS

#define STUDIO_TYPE_SCRUBBER (studio_scrubber_get_type ())
G_DECLARE_FINAL_TYPE (StudioScrubber, studio_scrubber, STUDIO, SCRUBBER, GtkBox)

GtkWidget *studio_scrubber_new         (void);
void       studio_scrubber_set_history (StudioScrubber *self, StudioHistory *history);
void       studio_scrubber_set_trainer (StudioScrubber *self, StudioTrainer *trainer);
/* Moves the slider to step (as a user would); negative: back to live. */
void       studio_scrubber_set_step    (StudioScrubber *self, gint64 step);
/* Sets the limit field (steps per second, 0: none), as a user would. */
void       studio_scrubber_set_rate_limit (StudioScrubber *self, double steps_per_sec);
/* The single-step button, for tests and keyboard focus. */
GtkButton *studio_scrubber_get_step_button (StudioScrubber *self);

G_END_DECLS
