/* studio-digit-pad-view.h — the digit pad: one image, drawn with the mouse or taken from the
 * test set (by index, by class, or the next one the model gets wrong), rotated by a slider,
 * fed through the latest model (tg_probe): the image as the network sees it, every hidden
 * unit's soft and hard gate, and the class probabilities. Drawn by tg_plot_digit_pad. */
#pragma once

#include <gtk/gtk.h>
#include "studio-view.h"
#include "tg-probe.h"

G_BEGIN_DECLS

#define STUDIO_TYPE_DIGIT_PAD_VIEW (studio_digit_pad_view_get_type ())
G_DECLARE_FINAL_TYPE (StudioDigitPadView, studio_digit_pad_view, STUDIO, DIGIT_PAD_VIEW,
                      StudioView)

GtkWidget *studio_digit_pad_view_new (void);

/* Shows test image index (of the whole test set) rotated by degrees. FALSE with an error
 * when the test set cannot be read or has no such image. */
gboolean   studio_digit_pad_view_set_test_image (StudioDigitPadView *self, guint index,
                                                 double degrees, GError **error);
/* The probe of the image shown through the latest model; NULL when there is no model yet.
 * Borrowed. */
const TgProbe *studio_digit_pad_view_get_probe (StudioDigitPadView *self);
/* The model the probe ran through (the latest mask snapshot's copy); borrowed, may be NULL. */
const TgModel *studio_digit_pad_view_get_model (StudioDigitPadView *self);

G_END_DECLS
