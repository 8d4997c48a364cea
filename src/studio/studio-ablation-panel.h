/* studio-ablation-panel.h — silence or force on a set of hidden units and see, beside the
 * unablated model, the accuracy per digit on the 0° and the target test sets and the
 * confusion matrix on the target set (tg_unit_ablation). Lives in the unit inspector; works
 * on the latest model copy, so during training and on a finished run alike, measured in a
 * GTask thread and measured again whenever the model or the set changes. */
#pragma once

#include <gtk/gtk.h>
#include "studio-snapshot.h"
#include "studio-workspace.h"
#include "tg-unit.h"

G_BEGIN_DECLS

#define STUDIO_TYPE_ABLATION_PANEL (studio_ablation_panel_get_type ())
G_DECLARE_FINAL_TYPE (StudioAblationPanel, studio_ablation_panel, STUDIO, ABLATION_PANEL, GtkBox)

GtkWidget *studio_ablation_panel_new (void);

/* The workspace whose ablation set the panel edits and measures, on its test set. */
void     studio_ablation_panel_set_workspace (StudioAblationPanel *self,
                                              StudioWorkspace *workspace);

/* The model to ablate: snap->model (NULL or a snapshot without one: keep the last). */
void     studio_ablation_panel_set_snapshot (StudioAblationPanel *self, StudioSnapshot *snap);
/* The unit the "Silence Unit" / "Force On" buttons act on. */
void     studio_ablation_panel_set_unit     (StudioAblationPanel *self, TgUnitId unit);

/* Adds an edit (replacing an earlier one of the same unit). */
void     studio_ablation_panel_add          (StudioAblationPanel *self, TgUnitId unit,
                                             TgUnitAction action);
/* Silences the k units most selective for digit on the target test set (the mode the
 * run specialises the model to). */
void     studio_ablation_panel_silence_selective (StudioAblationPanel *self, guint digit,
                                                  guint k);
/* Silences every unit on (mean hard gate > 0.5) at 0° but not at the target angle. */
void     studio_ablation_panel_silence_only_0 (StudioAblationPanel *self);
void     studio_ablation_panel_clear        (StudioAblationPanel *self);
/* Shift-click: silences the unit, or takes it out of the set when it is in it. */
void     studio_ablation_panel_toggle       (StudioAblationPanel *self, TgUnitId unit);
/* The workspace's set, in the order it was made; borrowed, valid until the next change
 * ("changed"). */
const TgUnitEdit *studio_ablation_panel_get_edits (StudioAblationPanel *self, guint *n_edits);
guint    studio_ablation_panel_get_n_edits  (StudioAblationPanel *self);

/* The latest readout: set 0 the 0° test set, 1 the target set; NULL before the first one. */
const TgClassEval *studio_ablation_panel_get_base   (StudioAblationPanel *self, guint set);
const TgClassEval *studio_ablation_panel_get_edited (StudioAblationPanel *self, guint set);
/* TRUE while a measurement runs or waits (tests wait for FALSE). */
gboolean studio_ablation_panel_is_busy      (StudioAblationPanel *self);

G_END_DECLS
