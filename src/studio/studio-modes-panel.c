/* studio-modes-panel.c — the Modes panel (see studio-modes-panel.h), a template
 * (ui/studio-modes-panel.ui): a list of the modes and the buttons acting on the active one. */
#include "studio-modes-panel.h"

#include <glib/gi18n.h>

#include <math.h>

struct _StudioModesPanel
{
  GtkWidget   parent_instance;

  /* template widgets */
  GtkWidget  *box;
  GtkLabel   *empty_label;
  GtkListBox *list;
  GtkWidget  *buttons;
  GtkWidget  *rename_button, *save_button, *remove_button;
  GtkPopover *rename_popover;
  GtkEntry   *rename_entry;

  guint       n_rows, active;
  gboolean    updating;
};

G_DEFINE_FINAL_TYPE (StudioModesPanel, studio_modes_panel, GTK_TYPE_WIDGET)

enum { SIGNAL_ACTIVATED, SIGNAL_REMOVE, SIGNAL_RENAME, SIGNAL_SAVE, N_SIGNALS };
static guint signals[N_SIGNALS];

/* "TauGate · 45° · s 5 · λ 0 · opened" */
static char *
describe (const TgMode *mode, guint index)
{
  GString *s = g_string_new (index == 0 ? _("Foundation alone") : tg_method_info (mode->method)->label);
  const char *lambda = mode->metadata != NULL ? g_hash_table_lookup (mode->metadata, "lambda") : NULL;

  if (isfinite (mode->target_angle))
    g_string_append_printf (s, " · %g°", mode->target_angle);
  g_string_append_printf (s, " · s %g", mode->sharpness);
  if (lambda != NULL)
    g_string_append_printf (s, " · λ %s", lambda);
  if (index > 0)
    g_string_append (s, mode->path != NULL ? _(" · opened") : _(" · trained here"));
  return g_string_free (s, FALSE);
}

static GtkWidget *
make_row (const TgMode *mode, guint index)
{
  g_autofree char *details = describe (mode, index);
  g_autofree char *name = index < 9 ? g_strdup_printf ("%s  (Ctrl+%u)", mode->name, index + 1)
                                    : g_strdup (mode->name);
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
  GtkWidget *title = gtk_label_new (name);
  GtkWidget *sub = gtk_label_new (details);

  gtk_label_set_xalign (GTK_LABEL (title), 0);
  gtk_label_set_xalign (GTK_LABEL (sub), 0);
  gtk_label_set_ellipsize (GTK_LABEL (title), PANGO_ELLIPSIZE_END);
  gtk_label_set_wrap (GTK_LABEL (sub), TRUE);
  gtk_widget_add_css_class (title, "heading");
  gtk_widget_add_css_class (sub, "dim-label");
  gtk_widget_set_margin_start (box, 6);
  gtk_widget_set_margin_end (box, 6);
  gtk_widget_set_margin_top (box, 4);
  gtk_widget_set_margin_bottom (box, 4);
  gtk_box_append (GTK_BOX (box), title);
  gtk_box_append (GTK_BOX (box), sub);
  if (mode->path != NULL)
    gtk_widget_set_tooltip_text (box, mode->path);
  return box;
}

void
studio_modes_panel_set_modes (StudioModesPanel *self, const TgModes *modes, guint active)
{
  GtkWidget *child;

  self->updating = TRUE;
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->list))) != NULL)
    gtk_list_box_remove (self->list, child);
  self->n_rows = modes != NULL ? tg_modes_count (modes) : 0;
  self->active = active;
  for (guint i = 0; i < self->n_rows; i++)
    gtk_list_box_append (self->list, make_row (tg_modes_get (modes, i), i));
  if (self->n_rows > 0)
    gtk_list_box_select_row (self->list, gtk_list_box_get_row_at_index (self->list, (int) active));
  gtk_widget_set_visible (GTK_WIDGET (self->empty_label), self->n_rows == 0);
  gtk_widget_set_visible (GTK_WIDGET (self->list), self->n_rows > 0);
  gtk_widget_set_visible (self->buttons, self->n_rows > 0);
  /* Base is the foundation: nothing to remove or save */
  gtk_widget_set_sensitive (self->remove_button, active > 0);
  gtk_widget_set_sensitive (self->save_button, active > 0);
  self->updating = FALSE;
}

guint
studio_modes_panel_get_n_rows (StudioModesPanel *self)
{
  return self->n_rows;
}

void
studio_modes_panel_focus (StudioModesPanel *self)
{
  GtkListBoxRow *row = gtk_list_box_get_row_at_index (self->list, (int) self->active);
  gtk_widget_grab_focus (row != NULL ? GTK_WIDGET (row) : self->box);
}

static void
row_activated_cb (GtkListBox *list, GtkListBoxRow *row, StudioModesPanel *self)
{
  if (!self->updating)
    g_signal_emit (self, signals[SIGNAL_ACTIVATED], 0, (guint) gtk_list_box_row_get_index (row));
}

static void
remove_clicked_cb (GtkButton *button, StudioModesPanel *self)
{
  g_signal_emit (self, signals[SIGNAL_REMOVE], 0, self->active);
}

static void
save_clicked_cb (GtkButton *button, StudioModesPanel *self)
{
  g_signal_emit (self, signals[SIGNAL_SAVE], 0, self->active);
}

static void
rename_activate_cb (GtkEntry *entry, StudioModesPanel *self)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (entry));

  gtk_popover_popdown (self->rename_popover);
  if (text[0] != '\0')
    g_signal_emit (self, signals[SIGNAL_RENAME], 0, self->active, text);
}

GtkWidget *
studio_modes_panel_new (void)
{
  return g_object_new (STUDIO_TYPE_MODES_PANEL, NULL);
}

static void
studio_modes_panel_dispose (GObject *object)
{
  gtk_widget_dispose_template (GTK_WIDGET (object), STUDIO_TYPE_MODES_PANEL);
  G_OBJECT_CLASS (studio_modes_panel_parent_class)->dispose (object);
}

static void
studio_modes_panel_class_init (StudioModesPanelClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = studio_modes_panel_dispose;
  signals[SIGNAL_ACTIVATED] = g_signal_new ("mode-activated", G_TYPE_FROM_CLASS (klass),
                                            G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                            G_TYPE_NONE, 1, G_TYPE_UINT);
  signals[SIGNAL_REMOVE] = g_signal_new ("remove-mode", G_TYPE_FROM_CLASS (klass),
                                         G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                         G_TYPE_NONE, 1, G_TYPE_UINT);
  signals[SIGNAL_SAVE] = g_signal_new ("save-mode", G_TYPE_FROM_CLASS (klass),
                                       G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                       G_TYPE_NONE, 1, G_TYPE_UINT);
  signals[SIGNAL_RENAME] = g_signal_new ("rename-mode", G_TYPE_FROM_CLASS (klass),
                                         G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                         G_TYPE_NONE, 2, G_TYPE_UINT, G_TYPE_STRING);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/taugate/Studio/ui/studio-modes-panel.ui");
  gtk_widget_class_bind_template_child (widget_class, StudioModesPanel, box);
  gtk_widget_class_bind_template_child (widget_class, StudioModesPanel, empty_label);
  gtk_widget_class_bind_template_child (widget_class, StudioModesPanel, list);
  gtk_widget_class_bind_template_child (widget_class, StudioModesPanel, buttons);
  gtk_widget_class_bind_template_child (widget_class, StudioModesPanel, rename_button);
  gtk_widget_class_bind_template_child (widget_class, StudioModesPanel, save_button);
  gtk_widget_class_bind_template_child (widget_class, StudioModesPanel, remove_button);
  gtk_widget_class_bind_template_child (widget_class, StudioModesPanel, rename_popover);
  gtk_widget_class_bind_template_child (widget_class, StudioModesPanel, rename_entry);
}

static void
studio_modes_panel_init (StudioModesPanel *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  g_signal_connect (self->list, "row-activated", G_CALLBACK (row_activated_cb), self);
  g_signal_connect (self->remove_button, "clicked", G_CALLBACK (remove_clicked_cb), self);
  g_signal_connect (self->save_button, "clicked", G_CALLBACK (save_clicked_cb), self);
  g_signal_connect (self->rename_entry, "activate", G_CALLBACK (rename_activate_cb), self);
  studio_modes_panel_set_modes (self, NULL, 0);
}
