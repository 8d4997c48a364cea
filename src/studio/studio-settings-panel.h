/* SPDX-License-Identifier: MIT */
/* studio-settings-panel.h — the side panel: the live controls (s, λ, lr, hard gates) that
 * reach a running worker, the settings of the next run (angle, epochs, seed), and the data
 * set chooser. It hands
 * the window a StudioConfig; it knows nothing of the trainer. */
#pragma once

#include <gtk/gtk.h>
#include "studio-snapshot.h"

G_BEGIN_DECLS

#define STUDIO_TYPE_SETTINGS_PANEL (studio_settings_panel_get_type ())
G_DECLARE_FINAL_TYPE (StudioSettingsPanel, studio_settings_panel, STUDIO, SETTINGS_PANEL, GtkWidget)

/* Shows cfg (copied; what is not on the controls, limits and cadence, is kept as is). */
void     studio_settings_panel_set_config (StudioSettingsPanel *self, const StudioConfig *cfg);
/* The settings as shown, into out (overwritten: its data_dir must not be owned yet; the
 * caller clears it). The method is not the panel's: it comes as set_config gave it. */
void     studio_settings_panel_collect    (StudioSettingsPanel *self, StudioConfig *out);

/* Moves a control as a user would ("controls-changed" follows). */
void     studio_settings_panel_set_lambda    (StudioSettingsPanel *self, double lambda);
void     studio_settings_panel_set_sharpness (StudioSettingsPanel *self, double s);
/* Types text into the foundation's angles ("0, 90", "0:90:15", "" for the paper's mix); a
 * list that does not parse keeps the last one that did. FALSE when it did not parse. */
gboolean studio_settings_panel_type_foundation_angles (StudioSettingsPanel *self,
                                                       const char *text);

/* The next run's settings cannot change while a run is under way. */
void     studio_settings_panel_set_run_sensitive (StudioSettingsPanel *self, gboolean sensitive);

G_END_DECLS
