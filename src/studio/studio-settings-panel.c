/* SPDX-License-Identifier: MIT */
/* studio-settings-panel.c — the side panel of settings: the live controls a running worker
 * follows from its next batch, the next run's settings and the data set chooser, with its
 * own template (ui/studio-settings-panel.ui). It hands the window a StudioConfig and tells
 * it, through "controls-changed", when a live control moved. */
#include "studio-settings-panel.h"

#include <glib/gi18n.h>
#include "studio-prefs.h"
#include "tg-modes.h"

#include <math.h>
#include <string.h>

#define FASHION_DIR "/usr/share/datasets/fashion-mnist"

struct _StudioSettingsPanel
{
  GtkWidget parent_instance;

  /* template widgets */
  GtkWidget      *box;
  GtkAdjustment  *sharpness_adj, *lambda_adj, *lr_adj;
  GtkScale       *sharpness_scale, *lambda_scale, *lr_scale;
  GtkLabel       *sharpness_label, *lambda_label, *lr_label;
  GtkSwitch      *hard_switch;
  GtkAdjustment  *angle_adj, *fepochs_adj, *aepochs_adj, *seed_adj;
  GtkDropDown    *data_dropdown;
  GtkWidget      *run_grid;
  GtkEntry       *foundation_entry;
  GtkSwitch      *anneal_switch;

  /* owned */
  StudioConfig    cfg;           /* the live controls' exact values; limits, cadence */
  GPtrArray      *data_dirs;     /* per data_dropdown item: dir or NULL (default MNIST) */
  guint           data_selected; /* to go back to when the folder chooser is cancelled */
  GtkFileChooserNative *chooser;
  gboolean        updating_data; /* the list is being edited: not a user's choice */
};

G_DEFINE_FINAL_TYPE (StudioSettingsPanel, studio_settings_panel, GTK_TYPE_WIDGET)

enum { SIGNAL_CONTROLS_CHANGED, N_SIGNALS };
static guint signals[N_SIGNALS];

/* The live controls changed: the window hands them to the worker as one change. */
static void
push_controls (StudioSettingsPanel *self)
{
  g_signal_emit (self, signals[SIGNAL_CONTROLS_CHANGED], 0);
}

static double
lambda_from_position (double pos)
{
  return pos < -5.25 ? 0.0 : pow (10.0, MAX (pos, -5.0));
}

/* The marks of the log-scale sliders (log10 of the value; λ's "off" left of 1e-5). A click
 * or drag near one lands on it: s = 10, not 9.82. */
typedef struct {
  double      position;
  const char *label;
} Mark;

static const Mark sharpness_marks[] = { { 0.0, "1" }, { 0.69897000433601886, "5" },
                                        { 1.0, "10" }, { 2.0, "100" }, { NAN, NULL } };
static const Mark lambda_marks[] = { { -5.5, N_("off") }, { -5.0, "1e-5" }, { -3.0, "1e-3" },
                                     { -1.0, "0.1" }, { NAN, NULL } };
static const Mark lr_marks[] = { { -4.0, "1e-4" }, { -2.0, "0.01" }, { 0.0, "1" },
                                 { NAN, NULL } };

/* Within this fraction of the slider's length of a mark, the value is the mark's. */
#define SNAP_FRACTION 0.025

static gboolean
snap_change_value_cb (GtkRange *range, GtkScrollType scroll, double value, gpointer data)
{
  const Mark *marks = data;
  GtkAdjustment *adj = gtk_range_get_adjustment (range);
  double span = gtk_adjustment_get_upper (adj) - gtk_adjustment_get_lower (adj);

  /* the pointer's clicks and drags; the arrow keys' steps go where they go */
  if (scroll != GTK_SCROLL_JUMP)
    return FALSE;
  for (guint i = 0; marks[i].label != NULL; i++)
    if (fabs (value - marks[i].position) <= SNAP_FRACTION * span)
      {
        gtk_adjustment_set_value (adj, marks[i].position);
        return TRUE;
      }
  return FALSE;
}

static void
setup_marks (GtkScale *scale, const Mark *marks)
{
  for (guint i = 0; marks[i].label != NULL; i++)
    gtk_scale_add_mark (scale, marks[i].position, GTK_POS_BOTTOM, _(marks[i].label));
  g_signal_connect (scale, "change-value", G_CALLBACK (snap_change_value_cb), (gpointer) marks);
}

static void
sharpness_changed_cb (GtkAdjustment *adj, StudioSettingsPanel *self)
{
  double s = pow (10.0, gtk_adjustment_get_value (adj));
  g_autofree char *text = g_strdup_printf (_("Sharpness s = %.3g"), s);
  gtk_label_set_text (self->sharpness_label, text);
  self->cfg.sharpness = (float) s;
  push_controls (self);
}

static void
lambda_changed_cb (GtkAdjustment *adj, StudioSettingsPanel *self)
{
  double lambda = lambda_from_position (gtk_adjustment_get_value (adj));
  g_autofree char *text = lambda > 0 ? g_strdup_printf (_("Sparsity λ = %.2g"), lambda)
                                     : g_strdup (_("Sparsity λ = 0 (off)"));
  gtk_label_set_text (self->lambda_label, text);
  self->cfg.lambda = (float) lambda;
  push_controls (self);
}

static void
lr_changed_cb (GtkAdjustment *adj, StudioSettingsPanel *self)
{
  double lr = pow (10.0, gtk_adjustment_get_value (adj));
  g_autofree char *text = g_strdup_printf (_("Learning rate = %.3g"), lr);
  gtk_label_set_text (self->lr_label, text);
  self->cfg.lr = (float) lr;
  push_controls (self);
}

static void
hard_changed_cb (GtkSwitch *sw, GParamSpec *pspec, StudioSettingsPanel *self)
{
  self->cfg.hard_gates = gtk_switch_get_active (sw);
  push_controls (self);
}

void
studio_settings_panel_set_lambda (StudioSettingsPanel *self, double lambda)
{
  gtk_adjustment_set_value (self->lambda_adj, lambda > 0 ? log10 (lambda) : -5.5);
}

void
studio_settings_panel_set_sharpness (StudioSettingsPanel *self, double s)
{
  gtk_adjustment_set_value (self->sharpness_adj, log10 (s));
}

/* Selects dir in the data set list, adding it as a folder item when it is not there. */
static void
select_data_dir (StudioSettingsPanel *self, const char *dir)
{
  GtkStringList *list = GTK_STRING_LIST (gtk_drop_down_get_model (self->data_dropdown));
  guint folder_item = g_list_model_get_n_items (G_LIST_MODEL (list)) - 1;
  g_autofree char *want = g_canonicalize_filename (dir, NULL);
  g_autofree char *mnist = studio_default_data_dir ();
  g_autofree char *mnist_canon = g_canonicalize_filename (mnist, NULL);

  if (strcmp (want, mnist_canon) == 0)
    {
      /* the default MNIST folder is the first item */
      self->updating_data = TRUE;
      self->data_selected = 0;
      gtk_drop_down_set_selected (self->data_dropdown, 0);
      self->updating_data = FALSE;
      return;
    }

  for (guint i = 0; i < folder_item; i++)
    {
      const char *d = g_ptr_array_index (self->data_dirs, i);
      g_autofree char *have = d != NULL ? g_canonicalize_filename (d, NULL) : NULL;
      if (have != NULL && strcmp (have, want) == 0)
        {
          self->updating_data = TRUE;  /* not a user's choice: not remembered */
          self->data_selected = i;
          gtk_drop_down_set_selected (self->data_dropdown, i);
          self->updating_data = FALSE;
          return;
        }
    }
  /* the folder's own name: "Folder: " before it left "Folder:…ydata" in the panel's width;
   * the whole path is the item's tooltip */
  g_autofree char *label = g_path_get_basename (want);
  const char *items[] = { label, NULL };
  self->updating_data = TRUE;
  g_ptr_array_insert (self->data_dirs, folder_item, g_strdup (want));
  gtk_string_list_splice (list, folder_item, 0, items);
  self->data_selected = folder_item;
  gtk_drop_down_set_selected (self->data_dropdown, folder_item);
  self->updating_data = FALSE;
}

/* The foundation's angles as typed into self->cfg; a list that does not parse keeps the last
 * one that did, and the entry says what is wrong. */
static void
foundation_changed_cb (GtkEditable *editable, StudioSettingsPanel *self)
{
  const char *text = gtk_editable_get_text (editable);
  g_autofree char *spec = g_strdelimit (g_strstrip (g_strdup (text)), " ", ',');
  g_autoptr (GError) error = NULL;
  g_autoptr (GArray) angles = NULL;

  /* "0, 90" reads as "0,,90": the empty items between are dropped */
  g_auto (GStrv) items = g_strsplit (spec, ",", -1);
  g_autoptr (GStrvBuilder) b = g_strv_builder_new ();
  for (guint i = 0; items[i] != NULL; i++)
    if (*items[i] != '\0')
      g_strv_builder_add (b, items[i]);
  g_auto (GStrv) kept = g_strv_builder_end (b);
  g_autofree char *joined = g_strjoinv (",", kept);

  if (*joined == '\0')
    self->cfg.n_foundation_angles = 0;
  else if ((angles = tg_angles_parse (joined, &error)) != NULL && angles->len > TG_MAX_MIX_MODES)
    g_set_error (&error, TG_ERROR, TG_ERROR_INVALID, "%u angles, at most %d", angles->len,
                 TG_MAX_MIX_MODES);
  if (angles != NULL && error == NULL)
    {
      self->cfg.n_foundation_angles = angles->len;
      memcpy (self->cfg.foundation_angles, angles->data, angles->len * sizeof (double));
    }
  if (error != NULL)
    {
      gtk_widget_add_css_class (GTK_WIDGET (editable), "error");
      gtk_widget_set_tooltip_text (GTK_WIDGET (editable), error->message);
    }
  else
    {
      gtk_widget_remove_css_class (GTK_WIDGET (editable), "error");
      gtk_widget_set_tooltip_text (GTK_WIDGET (editable),
                                   _("The angles the foundation trains on, one picked per "
                                     "image uniformly: e.g. “0” (a foundation that never sees "
                                     "the rotation), “0, 90” or “0:90:15”. Empty: 0° and the "
                                     "rotation, the paper's 50/50 mix"));
    }
}

/* Replaces the entry's text as one change: set_text alone passes through an empty entry
 * (the paper's mix) that an invalid text would then keep. */
static void
set_foundation_text (StudioSettingsPanel *self, const char *text)
{
  g_signal_handlers_block_by_func (self->foundation_entry, foundation_changed_cb, self);
  gtk_editable_set_text (GTK_EDITABLE (self->foundation_entry), text);
  g_signal_handlers_unblock_by_func (self->foundation_entry, foundation_changed_cb, self);
  foundation_changed_cb (GTK_EDITABLE (self->foundation_entry), self);
}

gboolean
studio_settings_panel_type_foundation_angles (StudioSettingsPanel *self, const char *text)
{
  set_foundation_text (self, text);
  return !gtk_widget_has_css_class (GTK_WIDGET (self->foundation_entry), "error");
}

static void
show_foundation_angles (StudioSettingsPanel *self, const StudioConfig *cfg)
{
  GString *s = g_string_new (NULL);
  for (guint32 k = 0; k < MIN (cfg->n_foundation_angles, (guint32) TG_MAX_MIX_MODES); k++)
    {
      char buf[G_ASCII_DTOSTR_BUF_SIZE];
      g_string_append_printf (s, "%s%s", k ? ", " : "",
                              g_ascii_formatd (buf, sizeof buf, "%g", cfg->foundation_angles[k]));
    }
  set_foundation_text (self, s->str);
  g_string_free (s, TRUE);
}

void
studio_settings_panel_collect (StudioSettingsPanel *self, StudioConfig *out)
{
  guint sel = gtk_drop_down_get_selected (self->data_dropdown);

  studio_config_copy (out, &self->cfg);
  out->seed = (guint64) gtk_adjustment_get_value (self->seed_adj);
  out->angle = gtk_adjustment_get_value (self->angle_adj);
  out->foundation_epochs = (guint32) gtk_adjustment_get_value (self->fepochs_adj);
  out->adapt_epochs = (guint32) gtk_adjustment_get_value (self->aepochs_adj);
  out->anneal_sharpness = gtk_switch_get_active (self->anneal_switch);
  g_free (out->data_dir);
  /* NULL for MNIST: the default folder, resolved in the worker */
  out->data_dir = sel < self->data_dirs->len ? g_strdup (g_ptr_array_index (self->data_dirs, sel))
                                             : NULL;
}

void
studio_settings_panel_set_config (StudioSettingsPanel *self, const StudioConfig *cfg)
{
  studio_config_clear (&self->cfg);
  studio_config_copy (&self->cfg, cfg);
  gtk_adjustment_set_value (self->seed_adj, (double) cfg->seed);
  gtk_adjustment_set_value (self->sharpness_adj, log10 (cfg->sharpness));
  gtk_adjustment_set_value (self->lambda_adj, cfg->lambda > 0 ? log10 (cfg->lambda) : -5.5);
  gtk_adjustment_set_value (self->lr_adj, log10 (cfg->lr));
  gtk_switch_set_active (self->hard_switch, cfg->hard_gates);
  gtk_adjustment_set_value (self->angle_adj, cfg->angle);
  gtk_adjustment_set_value (self->fepochs_adj, cfg->foundation_epochs);
  gtk_adjustment_set_value (self->aepochs_adj, cfg->adapt_epochs);
  gtk_switch_set_active (self->anneal_switch, cfg->anneal_sharpness);
  show_foundation_angles (self, cfg);
  if (cfg->data_dir != NULL)
    select_data_dir (self, cfg->data_dir);
  /* the handlers above took the slider positions; keep the exact values */
  self->cfg.sharpness = cfg->sharpness;
  self->cfg.lambda = cfg->lambda;
  self->cfg.lr = cfg->lr;
  push_controls (self);
}

static void
chooser_response_cb (GtkNativeDialog *dialog, int response, StudioSettingsPanel *self)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr (GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));
      g_autofree char *path = file != NULL ? g_file_get_path (file) : NULL;
      if (path != NULL)
        {
          g_clear_object (&self->chooser);
          select_data_dir (self, path);
          studio_prefs_set_data_folder (path);
          return;
        }
    }
  self->updating_data = TRUE;
  gtk_drop_down_set_selected (self->data_dropdown, self->data_selected);
  self->updating_data = FALSE;
  g_clear_object (&self->chooser);
}

static void
data_selected_cb (GtkDropDown *dropdown, GParamSpec *pspec, StudioSettingsPanel *self)
{
  GListModel *model = gtk_drop_down_get_model (dropdown);
  guint sel = gtk_drop_down_get_selected (dropdown);

  if (model == NULL || sel == GTK_INVALID_LIST_POSITION || self->updating_data)
    return;
  if (sel + 1 < g_list_model_get_n_items (model))
    {
      self->data_selected = sel;
      studio_prefs_set_data_folder (g_ptr_array_index (self->data_dirs, sel));
      return;
    }
  if (self->chooser != NULL)
    return;
  /* the last item, "Folder…" */
  self->chooser = gtk_file_chooser_native_new (_("Choose a Folder of IDX Files"), GTK_WINDOW (gtk_widget_get_root (GTK_WIDGET (self))),
                                               GTK_FILE_CHOOSER_ACTION_SELECT_FOLDER,
                                               _("_Open"), _("_Cancel"));
  studio_prefs_set_chooser_folder (GTK_FILE_CHOOSER (self->chooser));
  g_signal_connect (self->chooser, "response", G_CALLBACK (chooser_response_cb), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (self->chooser));
}

/* The data set's button and list show each name in one ellipsized line (the whole name in
 * its tooltip), so a long folder name cannot widen the panel and with it the window. */
static void
data_item_setup (GtkSignalListItemFactory *factory, GtkListItem *item, gpointer data)
{
  GtkWidget *label = gtk_label_new (NULL);
  gtk_label_set_xalign (GTK_LABEL (label), 0.0);
  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_MIDDLE);
  gtk_label_set_width_chars (GTK_LABEL (label), 12);
  gtk_label_set_max_width_chars (GTK_LABEL (label), 12);
  gtk_list_item_set_child (item, label);
}

static void
data_item_bind (GtkSignalListItemFactory *factory, GtkListItem *item, gpointer data)
{
  StudioSettingsPanel *self = data;
  GtkWidget *label = gtk_list_item_get_child (item);
  const char *name = gtk_string_object_get_string (gtk_list_item_get_item (item));
  guint pos = gtk_list_item_get_position (item);
  const char *dir = pos < self->data_dirs->len ? g_ptr_array_index (self->data_dirs, pos) : NULL;

  gtk_label_set_text (GTK_LABEL (label), name);
  gtk_widget_set_tooltip_text (label, dir != NULL ? dir : name);
}

static void
setup_data_choices (StudioSettingsPanel *self)
{
  g_autoptr (GtkListItemFactory) factory = gtk_signal_list_item_factory_new ();
  g_signal_connect (factory, "setup", G_CALLBACK (data_item_setup), NULL);
  g_signal_connect (factory, "bind", G_CALLBACK (data_item_bind), self);
  gtk_drop_down_set_factory (self->data_dropdown, factory);

  GtkStringList *list = gtk_string_list_new (NULL);

  gtk_string_list_append (list, "MNIST");
  g_ptr_array_add (self->data_dirs, NULL);
  if (g_file_test (FASHION_DIR, G_FILE_TEST_IS_DIR))
    {
      gtk_string_list_append (list, "Fashion-MNIST");
      g_ptr_array_add (self->data_dirs, g_strdup (FASHION_DIR));
    }
  gtk_string_list_append (list, _("Folder…"));
  g_ptr_array_add (self->data_dirs, NULL);
  gtk_drop_down_set_model (self->data_dropdown, G_LIST_MODEL (list));
  g_object_unref (list);
  gtk_drop_down_set_selected (self->data_dropdown, 0);
  g_signal_connect (self->data_dropdown, "notify::selected", G_CALLBACK (data_selected_cb), self);
}

void
studio_settings_panel_set_run_sensitive (StudioSettingsPanel *self, gboolean sensitive)
{
  gtk_widget_set_sensitive (self->run_grid, sensitive);
}

static void
studio_settings_panel_dispose (GObject *object)
{
  StudioSettingsPanel *self = STUDIO_SETTINGS_PANEL (object);

  if (self->chooser != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->chooser, self);
      gtk_native_dialog_destroy (GTK_NATIVE_DIALOG (self->chooser));
      g_clear_object (&self->chooser);
    }
  gtk_widget_dispose_template (GTK_WIDGET (self), STUDIO_TYPE_SETTINGS_PANEL);
  G_OBJECT_CLASS (studio_settings_panel_parent_class)->dispose (object);
}

static void
studio_settings_panel_finalize (GObject *object)
{
  StudioSettingsPanel *self = STUDIO_SETTINGS_PANEL (object);

  studio_config_clear (&self->cfg);
  g_clear_pointer (&self->data_dirs, g_ptr_array_unref);
  G_OBJECT_CLASS (studio_settings_panel_parent_class)->finalize (object);
}

static void
studio_settings_panel_class_init (StudioSettingsPanelClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = studio_settings_panel_dispose;
  object_class->finalize = studio_settings_panel_finalize;

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/taugate/Studio/ui/studio-settings-panel.ui");
  gtk_widget_class_bind_template_child (widget_class, StudioSettingsPanel, box);
  gtk_widget_class_bind_template_child (widget_class, StudioSettingsPanel, foundation_entry);
  gtk_widget_class_bind_template_child (widget_class, StudioSettingsPanel, anneal_switch);
  gtk_widget_class_bind_template_callback (widget_class, foundation_changed_cb);
  gtk_widget_class_bind_template_child (widget_class, StudioSettingsPanel, sharpness_adj);
  gtk_widget_class_bind_template_child (widget_class, StudioSettingsPanel, lambda_adj);
  gtk_widget_class_bind_template_child (widget_class, StudioSettingsPanel, lr_adj);
  gtk_widget_class_bind_template_child (widget_class, StudioSettingsPanel, sharpness_scale);
  gtk_widget_class_bind_template_child (widget_class, StudioSettingsPanel, lambda_scale);
  gtk_widget_class_bind_template_child (widget_class, StudioSettingsPanel, lr_scale);
  gtk_widget_class_bind_template_child (widget_class, StudioSettingsPanel, sharpness_label);
  gtk_widget_class_bind_template_child (widget_class, StudioSettingsPanel, lambda_label);
  gtk_widget_class_bind_template_child (widget_class, StudioSettingsPanel, lr_label);
  gtk_widget_class_bind_template_child (widget_class, StudioSettingsPanel, hard_switch);
  gtk_widget_class_bind_template_child (widget_class, StudioSettingsPanel, angle_adj);
  gtk_widget_class_bind_template_child (widget_class, StudioSettingsPanel, fepochs_adj);
  gtk_widget_class_bind_template_child (widget_class, StudioSettingsPanel, aepochs_adj);
  gtk_widget_class_bind_template_child (widget_class, StudioSettingsPanel, seed_adj);
  gtk_widget_class_bind_template_child (widget_class, StudioSettingsPanel, data_dropdown);
  gtk_widget_class_bind_template_child (widget_class, StudioSettingsPanel, run_grid);
  gtk_widget_class_bind_template_callback (widget_class, sharpness_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, lambda_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, lr_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, hard_changed_cb);

  /* A live control moved: s, λ, lr or hard gates (read them with _collect()). */
  signals[SIGNAL_CONTROLS_CHANGED] =
    g_signal_new ("controls-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
studio_settings_panel_init (StudioSettingsPanel *self)
{
  self->data_dirs = g_ptr_array_new_with_free_func (g_free);
  studio_config_init_paper (&self->cfg);
  gtk_widget_init_template (GTK_WIDGET (self));
  setup_marks (self->sharpness_scale, sharpness_marks);
  setup_marks (self->lambda_scale, lambda_marks);
  setup_marks (self->lr_scale, lr_marks);
  setup_data_choices (self);
  sharpness_changed_cb (self->sharpness_adj, self);
  lambda_changed_cb (self->lambda_adj, self);
  lr_changed_cb (self->lr_adj, self);
}
