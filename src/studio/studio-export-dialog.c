/* studio-export-dialog.c — the export dialog (see studio-export-dialog.h). The preview and
 * the file are drawn by the view's own draw_figure through tg_plot_*, with the style the
 * dialog builds, so what is previewed is what is written; the runs, layers or modes left
 * out are set on the view for its exports while the dialog is open. */
#include "studio-export-dialog.h"

#include <glib/gi18n.h>

#include <errno.h>
#include <math.h>
#include <string.h>

struct _StudioExportDialog
{
  GtkWindow parent_instance;

  /* template widgets */
  GtkDropDown    *size;
  GtkEntry       *custom_size;
  GtkSpinButton  *font_size;
  GtkSpinButton  *line_width;
  GtkCheckButton *show_title;
  GtkCheckButton *show_caption;
  GtkDropDown    *background;
  GtkEntry       *file_name;
  GtkSpinButton  *png_dpi;
  GtkDrawingArea *preview;
  GtkLabel       *status;
  GtkWidget      *include_label;
  GtkBox         *include_box;    /* a check button per run, layer or mode of the view */

  /* owned */
  StudioView *view;
};

G_DEFINE_FINAL_TYPE (StudioExportDialog, studio_export_dialog, GTK_TYPE_WINDOW)

/* The last choices, this session's or, at its first dialog, the last session's. */
static struct {
  guint    size, background;
  char    *custom, *file_name;
  double   font_size, line_width, png_dpi;
  gboolean hide_title, hide_caption;
  GStrv    excluded;  /* names left out, of this view and of others; NULL: none */
  gboolean set;
  gboolean loaded;   /* the key file has been read */
} remembered;

static const char *const size_names[] = { "single", "double", "page", "letter", "slide", NULL };

/* The choices are kept across runs in a key file of the user's configuration folder, not in
 * GSettings: a GSettings schema must be compiled and installed (or pointed at by
 * GSETTINGS_SCHEMA_DIR) before the first g_settings_new, and the studio runs from its build
 * tree without either. */
#define REMEMBER_GROUP "export"

static char *
remember_path (void)
{
  return g_build_filename (g_get_user_config_dir (), "taugate-studio", "export.ini", NULL);
}

/* Reads the key file once; a missing or damaged file leaves the template's defaults. */
static void
load_remembered (void)
{
  g_autoptr (GKeyFile) kf = g_key_file_new ();
  g_autofree char *path = remember_path ();
  g_autoptr (GError) error = NULL;

  if (remembered.loaded)
    return;
  remembered.loaded = TRUE;
  if (!g_key_file_load_from_file (kf, path, G_KEY_FILE_NONE, &error))
    {
      if (!g_error_matches (error, G_FILE_ERROR, G_FILE_ERROR_NOENT))
        g_debug ("%s: %s; the export dialog starts from its defaults", path, error->message);
      return;
    }
  g_autofree char *size = g_key_file_get_string (kf, REMEMBER_GROUP, "size", NULL);
  g_autofree char *custom = g_key_file_get_string (kf, REMEMBER_GROUP, "custom-size", NULL);
  g_autofree char *file = g_key_file_get_string (kf, REMEMBER_GROUP, "file", NULL);
  double font = g_key_file_get_double (kf, REMEMBER_GROUP, "font-size", NULL);
  double line = g_key_file_get_double (kf, REMEMBER_GROUP, "line-width", NULL);
  gint background = g_key_file_get_integer (kf, REMEMBER_GROUP, "background", NULL);
  /* absent in files written before the dpi was a choice: the template's */
  double dpi = g_key_file_get_double (kf, REMEMBER_GROUP, "png-dpi", NULL);
  guint index = G_N_ELEMENTS (size_names) - 1;
  for (guint i = 0; size != NULL && i + 1 < G_N_ELEMENTS (size_names); i++)
    if (g_strcmp0 (size, size_names[i]) == 0)
      index = i;
  if (size == NULL || file == NULL || !(font >= 4 && font <= 40) ||
      !(line >= 0.1 && line <= 10) || background < 0 || background > 2)
    {
      g_debug ("%s: incomplete or out of range; the export dialog starts from its defaults",
               path);
      return;
    }
  remembered.size = index;
  remembered.background = (guint) background;
  g_free (remembered.custom);
  remembered.custom = g_strdup (custom != NULL ? custom : "");
  g_free (remembered.file_name);
  remembered.file_name = g_steal_pointer (&file);
  remembered.font_size = font;
  remembered.line_width = line;
  remembered.png_dpi = dpi >= 36 && dpi <= 1200 ? dpi : 0;
  g_strfreev (remembered.excluded);
  remembered.excluded = g_key_file_get_string_list (kf, REMEMBER_GROUP, "exclude", NULL, NULL);
  remembered.hide_title = !g_key_file_get_boolean (kf, REMEMBER_GROUP, "title", NULL);
  remembered.hide_caption = !g_key_file_get_boolean (kf, REMEMBER_GROUP, "caption", NULL);
  remembered.set = TRUE;
}

/* Writes the choices for the next run; a failure costs only that memory. */
static void
save_remembered (void)
{
  g_autoptr (GKeyFile) kf = g_key_file_new ();
  g_autofree char *path = remember_path ();
  g_autofree char *dir = g_path_get_dirname (path);
  g_autoptr (GError) error = NULL;

  g_key_file_set_string (kf, REMEMBER_GROUP, "size",
                         remembered.size + 1 < G_N_ELEMENTS (size_names)
                         ? size_names[remembered.size] : "custom");
  g_key_file_set_string (kf, REMEMBER_GROUP, "custom-size", remembered.custom);
  g_key_file_set_string (kf, REMEMBER_GROUP, "file", remembered.file_name);
  g_key_file_set_double (kf, REMEMBER_GROUP, "font-size", remembered.font_size);
  g_key_file_set_double (kf, REMEMBER_GROUP, "line-width", remembered.line_width);
  g_key_file_set_double (kf, REMEMBER_GROUP, "png-dpi", remembered.png_dpi);
  g_key_file_set_integer (kf, REMEMBER_GROUP, "background", (gint) remembered.background);
  g_key_file_set_boolean (kf, REMEMBER_GROUP, "title", !remembered.hide_title);
  g_key_file_set_boolean (kf, REMEMBER_GROUP, "caption", !remembered.hide_caption);
  if (remembered.excluded != NULL)
    g_key_file_set_string_list (kf, REMEMBER_GROUP, "exclude",
                                (const char *const *) remembered.excluded,
                                g_strv_length (remembered.excluded));
  if (g_mkdir_with_parents (dir, 0700) != 0 || !g_key_file_save_to_file (kf, path, &error))
    g_debug ("%s: cannot keep the export choices: %s", path,
             error != NULL ? error->message : g_strerror (errno));
}

void
studio_export_dialog_reload_choices (void)
{
  g_clear_pointer (&remembered.custom, g_free);
  g_clear_pointer (&remembered.file_name, g_free);
  g_clear_pointer (&remembered.excluded, g_strfreev);
  memset (&remembered, 0, sizeof remembered);
  load_remembered ();
}

gboolean
studio_export_dialog_last_choices (double *width, double *height, TgPlotStyle *style)
{
  load_remembered ();
  if (!remembered.set)
    return FALSE;
  const char *spec = remembered.size + 1 < G_N_ELEMENTS (size_names)
                     ? size_names[remembered.size] : remembered.custom;
  if (!tg_plot_size_parse (spec, width, height, NULL))
    return FALSE;
  tg_plot_style_init (style, (TgPlotBackground) remembered.background);
  style->font_size = remembered.font_size;
  style->line_width = remembered.line_width;
  style->png_dpi = remembered.png_dpi;
  style->hide_title = remembered.hide_title;
  style->hide_caption = remembered.hide_caption;
  return TRUE;
}

const char *const *
studio_export_dialog_last_excluded (void)
{
  load_remembered ();
  return remembered.set ? (const char *const *) remembered.excluded : NULL;
}

/* The names of the include list left unticked; NULL when every one is ticked. */
static GStrv
unticked (StudioExportDialog *self)
{
  GStrvBuilder *b = g_strv_builder_new ();
  guint n = 0;
  for (GtkWidget *c = gtk_widget_get_first_child (GTK_WIDGET (self->include_box)); c != NULL;
       c = gtk_widget_get_next_sibling (c))
    if (!gtk_check_button_get_active (GTK_CHECK_BUTTON (c)))
      {
        g_strv_builder_add (b, gtk_check_button_get_label (GTK_CHECK_BUTTON (c)));
        n++;
      }
  GStrv names = g_strv_builder_end (b);
  g_strv_builder_unref (b);
  if (n == 0)
    g_clear_pointer (&names, g_strfreev);
  return names;
}

/* What is remembered as left out: this view's unticked names, and the names other views
 * offered that are not in this one's list. */
static GStrv
excluded_to_remember (StudioExportDialog *self)
{
  g_auto(GStrv) here = unticked (self);
  GStrvBuilder *b = g_strv_builder_new ();
  guint n = 0;
  for (guint i = 0; remembered.excluded != NULL && remembered.excluded[i] != NULL; i++)
    {
      gboolean offered = FALSE;
      for (GtkWidget *c = gtk_widget_get_first_child (GTK_WIDGET (self->include_box));
           c != NULL && !offered; c = gtk_widget_get_next_sibling (c))
        offered = g_strcmp0 (gtk_check_button_get_label (GTK_CHECK_BUTTON (c)),
                             remembered.excluded[i]) == 0;
      if (!offered)
        {
          g_strv_builder_add (b, remembered.excluded[i]);
          n++;
        }
    }
  for (guint i = 0; here != NULL && here[i] != NULL; i++, n++)
    g_strv_builder_add (b, here[i]);
  GStrv names = g_strv_builder_end (b);
  g_strv_builder_unref (b);
  if (n == 0)
    g_clear_pointer (&names, g_strfreev);
  return names;
}

void
studio_export_dialog_suggest_name (StudioExportDialog *self, const char *stem)
{
  const char *current = gtk_editable_get_text (GTK_EDITABLE (self->file_name));
  const char *dot = strrchr (current, '.');
  const char *ext = dot != NULL && strchr (dot, G_DIR_SEPARATOR) == NULL ? dot : ".pdf";
  g_autofree char *dir = g_path_get_dirname (current);
  g_autofree char *base = g_strconcat (stem, ext, NULL);
  g_autofree char *path = strcmp (dir, ".") == 0 ? g_strdup (base)
                                                 : g_build_filename (dir, base, NULL);
  gtk_editable_set_text (GTK_EDITABLE (self->file_name), path);
}

static const char *
size_spec (StudioExportDialog *self)
{
  guint i = gtk_drop_down_get_selected (self->size);
  return i < G_N_ELEMENTS (size_names) - 1 ? size_names[i]
                                           : gtk_editable_get_text (GTK_EDITABLE (self->custom_size));
}

/* Size in points and style, as the dialog stands; FALSE with an error for a bad size. */
static gboolean
choices (StudioExportDialog *self, double *w, double *h, TgPlotStyle *st, GError **error)
{
  if (!tg_plot_size_parse (size_spec (self), w, h, error))
    return FALSE;
  tg_plot_style_init (st, (TgPlotBackground) gtk_drop_down_get_selected (self->background));
  st->font_size = gtk_spin_button_get_value (self->font_size);
  st->line_width = gtk_spin_button_get_value (self->line_width);
  st->hide_title = !gtk_check_button_get_active (self->show_title);
  st->hide_caption = !gtk_check_button_get_active (self->show_caption);
  st->png_dpi = gtk_spin_button_get_value (self->png_dpi);
  return TRUE;
}

static void
remember (StudioExportDialog *self)
{
  remembered.size = gtk_drop_down_get_selected (self->size);
  remembered.background = gtk_drop_down_get_selected (self->background);
  g_free (remembered.custom);
  remembered.custom = g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->custom_size)));
  g_free (remembered.file_name);
  remembered.file_name = g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->file_name)));
  remembered.font_size = gtk_spin_button_get_value (self->font_size);
  remembered.line_width = gtk_spin_button_get_value (self->line_width);
  remembered.png_dpi = gtk_spin_button_get_value (self->png_dpi);
  remembered.hide_title = !gtk_check_button_get_active (self->show_title);
  remembered.hide_caption = !gtk_check_button_get_active (self->show_caption);
  GStrv excluded = excluded_to_remember (self);
  g_strfreev (remembered.excluded);
  remembered.excluded = excluded;
  remembered.set = TRUE;
  save_remembered ();
}

static void
draw_preview (GtkDrawingArea *area, cairo_t *cr, int width, int height, gpointer user_data)
{
  StudioExportDialog *self = user_data;
  double w, h;
  TgPlotStyle st;

  if (self->view == NULL || !choices (self, &w, &h, &st, NULL))
    return;
  /* The page at its real size, scaled to fit the preview, on a grey surround. */
  double k = MIN (width / w, height / h);
  cairo_set_source_rgb (cr, 0.5, 0.5, 0.5);
  cairo_paint (cr);
  cairo_translate (cr, (width - w * k) / 2, (height - h * k) / 2);
  cairo_scale (cr, k, k);
  cairo_rectangle (cr, 0, 0, w, h);
  cairo_clip (cr);
  studio_view_draw_figure (self->view, cr, w, h, &st, TRUE);
}

static gboolean
is_png (StudioExportDialog *self)
{
  return g_str_has_suffix (gtk_editable_get_text (GTK_EDITABLE (self->file_name)), ".png") ||
         g_str_has_suffix (gtk_editable_get_text (GTK_EDITABLE (self->file_name)), ".PNG");
}

static void
changed (StudioExportDialog *self)
{
  double w, h;
  TgPlotStyle st;
  g_autoptr(GError) error = NULL;

  gtk_widget_set_sensitive (GTK_WIDGET (self->custom_size),
                            gtk_drop_down_get_selected (self->size)
                            == G_N_ELEMENTS (size_names) - 1);
  gtk_widget_set_sensitive (GTK_WIDGET (self->png_dpi), is_png (self));
  if (choices (self, &w, &h, &st, &error) && self->view != NULL &&
      !studio_view_check_fit (self->view, w, h, &st, &error))
    {
      /* told before Export is pressed: the export would be refused */
      g_autofree char *text = g_strdup_printf (_("Too small: %s"), error->message);
      gtk_label_set_text (self->status, text);
    }
  else if (error == NULL)
    {
      g_autofree char *text = is_png (self)
        ? g_strdup_printf ("%.2f × %.2f in (%.0f × %.0f pt), %.0f × %.0f pixels", w / 72, h / 72,
                           w, h, ceil (w * st.png_dpi / 72 - 1e-9), ceil (h * st.png_dpi / 72 - 1e-9))
        : g_strdup_printf ("%.2f × %.2f in (%.0f × %.0f pt)", w / 72, h / 72, w, h);
      gtk_label_set_text (self->status, text);
    }
  else
    gtk_label_set_text (self->status, error->message);
  gtk_widget_queue_draw (GTK_WIDGET (self->preview));
}

static void
size_selected (StudioExportDialog *self)
{
  guint i = gtk_drop_down_get_selected (self->size);
  /* A preset brings its own font size; the user can change it after. */
  if (i < G_N_ELEMENTS (size_names) - 1)
    gtk_spin_button_set_value (self->font_size, tg_plot_size_font_size (size_names[i]));
  changed (self);
}

gboolean
studio_export_dialog_export (StudioExportDialog *self, GError **error)
{
  double w, h;
  TgPlotStyle st;

  g_return_val_if_fail (STUDIO_IS_EXPORT_DIALOG (self), FALSE);
  if (!choices (self, &w, &h, &st, error))
    return FALSE;
  remember (self);
  return studio_view_export_styled (self->view,
                                    gtk_editable_get_text (GTK_EDITABLE (self->file_name)), w, h,
                                    &st, error);
}

static void
export_clicked (StudioExportDialog *self)
{
  g_autoptr(GError) error = NULL;
  if (studio_export_dialog_export (self, &error))
    gtk_window_destroy (GTK_WINDOW (self));
  else
    gtk_label_set_text (self->status, error->message);
}

static void
studio_export_dialog_dispose (GObject *object)
{
  StudioExportDialog *self = STUDIO_EXPORT_DIALOG (object);
  gtk_widget_dispose_template (GTK_WIDGET (self), STUDIO_TYPE_EXPORT_DIALOG);
  /* the view's later exports (a file chooser's, Export All's) choose for themselves */
  if (self->view != NULL)
    studio_view_set_export_excluded (self->view, NULL);
  g_clear_object (&self->view);
  G_OBJECT_CLASS (studio_export_dialog_parent_class)->dispose (object);
}

static void
studio_export_dialog_class_init (StudioExportDialogClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  G_OBJECT_CLASS (klass)->dispose = studio_export_dialog_dispose;
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/taugate/Studio/ui/studio-export-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, StudioExportDialog, size);
  gtk_widget_class_bind_template_child (widget_class, StudioExportDialog, custom_size);
  gtk_widget_class_bind_template_child (widget_class, StudioExportDialog, font_size);
  gtk_widget_class_bind_template_child (widget_class, StudioExportDialog, line_width);
  gtk_widget_class_bind_template_child (widget_class, StudioExportDialog, show_title);
  gtk_widget_class_bind_template_child (widget_class, StudioExportDialog, show_caption);
  gtk_widget_class_bind_template_child (widget_class, StudioExportDialog, background);
  gtk_widget_class_bind_template_child (widget_class, StudioExportDialog, file_name);
  gtk_widget_class_bind_template_child (widget_class, StudioExportDialog, png_dpi);
  gtk_widget_class_bind_template_child (widget_class, StudioExportDialog, preview);
  gtk_widget_class_bind_template_child (widget_class, StudioExportDialog, status);
  gtk_widget_class_bind_template_child (widget_class, StudioExportDialog, include_label);
  gtk_widget_class_bind_template_child (widget_class, StudioExportDialog, include_box);
  gtk_widget_class_bind_template_callback (widget_class, changed);
  gtk_widget_class_bind_template_callback (widget_class, size_selected);
  gtk_widget_class_bind_template_callback (widget_class, export_clicked);
}

static void
studio_export_dialog_init (StudioExportDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  load_remembered ();
  if (remembered.set)
    {
      gtk_drop_down_set_selected (self->size, remembered.size);
      gtk_drop_down_set_selected (self->background, remembered.background);
      gtk_editable_set_text (GTK_EDITABLE (self->custom_size), remembered.custom);
      gtk_editable_set_text (GTK_EDITABLE (self->file_name), remembered.file_name);
      gtk_spin_button_set_value (self->font_size, remembered.font_size);
      gtk_spin_button_set_value (self->line_width, remembered.line_width);
      if (remembered.png_dpi > 0)
        gtk_spin_button_set_value (self->png_dpi, remembered.png_dpi);
      gtk_check_button_set_active (self->show_title, !remembered.hide_title);
      gtk_check_button_set_active (self->show_caption, !remembered.hide_caption);
    }
  gtk_drawing_area_set_draw_func (self->preview, draw_preview, self, NULL);
  changed (self);
}

/* A box was ticked or unticked: the view's exports, and the preview, follow. */
static void
include_toggled (StudioExportDialog *self)
{
  g_auto(GStrv) names = unticked (self);
  studio_view_set_export_excluded (self->view, (const char *const *) names);
  changed (self);
}

/* A check button per run, layer or mode the view offers, ticked unless the last export left
 * it out; the list is hidden for a view that offers none. */
static void
fill_include (StudioExportDialog *self)
{
  g_auto(GStrv) names = studio_view_list_series (self->view);
  guint n = names != NULL ? g_strv_length (names) : 0;
  gtk_widget_set_visible (self->include_label, n > 0);
  gtk_widget_set_visible (GTK_WIDGET (self->include_box), n > 0);
  for (guint i = 0; i < n; i++)
    {
      GtkWidget *check = gtk_check_button_new_with_label (names[i]);
      gboolean left_out = remembered.set && remembered.excluded != NULL
                          && g_strv_contains ((const char *const *) remembered.excluded,
                                              names[i]);
      gtk_check_button_set_active (GTK_CHECK_BUTTON (check), !left_out);
      g_signal_connect_swapped (check, "toggled", G_CALLBACK (include_toggled), self);
      gtk_box_append (self->include_box, check);
    }
  include_toggled (self);
}

StudioExportDialog *
studio_export_dialog_new (GtkWindow *parent, StudioView *view)
{
  StudioExportDialog *self = g_object_new (STUDIO_TYPE_EXPORT_DIALOG,
                                           "transient-for", parent,
                                           "destroy-with-parent", TRUE, NULL);
  self->view = g_object_ref (view);
  fill_include (self);
  return self;
}
