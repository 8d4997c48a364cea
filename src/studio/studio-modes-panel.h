/* SPDX-License-Identifier: MIT */
/* studio-modes-panel.h — the Modes panel: Base and every adapter attached to the open
 * foundation (method, angle, s, λ, where it came from), one of them active. A click on a row
 * asks for that mode ("mode-activated"); Remove, Rename and Save ask for what they say
 * ("remove-mode", "rename-mode", "save-mode"). It shows TgModes, it never changes them. */
#pragma once

#include <gtk/gtk.h>
#include "tg-modes.h"

G_BEGIN_DECLS

#define STUDIO_TYPE_MODES_PANEL (studio_modes_panel_get_type ())
G_DECLARE_FINAL_TYPE (StudioModesPanel, studio_modes_panel, STUDIO, MODES_PANEL, GtkWidget)

GtkWidget *studio_modes_panel_new        (void);
/* Shows modes (borrowed until the next call; NULL: nothing open) with active selected. */
void       studio_modes_panel_set_modes  (StudioModesPanel *self, const TgModes *modes,
                                          guint active);
/* Moves the focus to the active mode's row (the side panel scrolls to it). */
void       studio_modes_panel_focus      (StudioModesPanel *self);
/* The rows shown (tests). */
guint      studio_modes_panel_get_n_rows (StudioModesPanel *self);

G_END_DECLS
