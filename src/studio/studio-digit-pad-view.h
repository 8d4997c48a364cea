/* SPDX-License-Identifier: MIT */
/* studio-digit-pad-view.h — the digit pad: one image, drawn with the mouse or taken from the
 * test set (by index, by class, or the next one the model gets wrong), rotated by a slider,
 * fed through the model at the history's time (the latest, or the scrubber's step) and
 * through every open mode (tg_probe): the image as the network sees it, every hidden unit's
 * soft and hard gate, and the class probabilities, side by side. Drawn by
 * tg_plot_digit_pad. */
#pragma once

#include <gtk/gtk.h>
#include "studio-view.h"
#include "tg-probe.h"
#include "tg-modes.h"

G_BEGIN_DECLS

#define STUDIO_TYPE_DIGIT_PAD_VIEW (studio_digit_pad_view_get_type ())
G_DECLARE_FINAL_TYPE (StudioDigitPadView, studio_digit_pad_view, STUDIO, DIGIT_PAD_VIEW,
                      StudioView)

GtkWidget *studio_digit_pad_view_new (void);

/* Shows test image index (of the whole test set) rotated by degrees. FALSE with an error
 * when the test set cannot be read or has no such image. */
gboolean   studio_digit_pad_view_set_test_image (StudioDigitPadView *self, guint index,
                                                 double degrees, GError **error);
/* The probe of the image shown through the model at the history's time; NULL when there is
 * no model yet. Borrowed. */
const TgProbe *studio_digit_pad_view_get_probe (StudioDigitPadView *self);
/* The model the probe ran through (studio-time-model.h); borrowed, may be NULL. */
const TgModel *studio_digit_pad_view_get_model (StudioDigitPadView *self);

/* Shows each of modes (NULL: none) beside the model, through its own model (copied), but
 * the ones identical to the model shown. */
void           studio_digit_pad_view_set_modes      (StudioDigitPadView *self,
                                                     const TgModes *modes);
/* The modes shown beside the model: how many, and the probe of mode index through its own
 * model (name: the mode's name, borrowed). */
guint          studio_digit_pad_view_get_n_modes    (StudioDigitPadView *self);
const TgProbe *studio_digit_pad_view_get_mode_probe (StudioDigitPadView *self, guint index,
                                                     const char **name);

G_END_DECLS
