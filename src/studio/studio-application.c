/* SPDX-License-Identifier: MIT */
/* studio-application.c — options, actions, accelerators; one window per activation. */
#include "studio-application.h"

#include <glib/gi18n.h>

#include "config.h"

#include "studio-task-hold.h"
#include "tg-unit.h"
#include <math.h>
#include <stdlib.h>
#include <unistd.h>
#include "studio-window.h"
#include "tg-session.h"
#include "studio-resources.h"
#include "studio-prefs.h"
#include "studio-recent.h"

struct _StudioApplication
{
  GtkApplication parent_instance;

  /* owned: what the command line asked for */
  StudioConfig cfg;
  gboolean     autostart;
  gboolean     dark;
  gboolean     overlap, compare, sweep;
  gint64       quit_after_steps;  /* -1: never */
  char        *screenshot;
  char        *screenshot_view;
  char        *export_dir;       /* --export-all */
  char        *figure_size;      /* --figure-size, NULL: single */
  double       font_size;        /* --font-size, 0: the size's own */
  gboolean     no_title, no_caption;  /* --no-title, --no-caption */
  gboolean     export_failed;    /* the --export-all export was not written */
  char        *session_dir;      /* --save-session */
  gboolean     session_failed;   /* the --save-session session was not saved */
  gboolean     has_unit;         /* --inspect-unit */
  gboolean     has_order;        /* --unit-order */
  TgUnitOrder  order;
  TgUnitId     unit;
  gboolean     failed;           /* automation closed a window showing an error */
};

G_DEFINE_FINAL_TYPE (StudioApplication, studio_application, GTK_TYPE_APPLICATION)

/* Runs for screenshots (--screenshot, --quit-after-steps) neither read nor change what the
 * user's windows remember (studio-prefs.h): they show the defaults, the same every time. */
static gboolean
uses_prefs (StudioApplication *self)
{
  return self->screenshot == NULL && self->export_dir == NULL && self->session_dir == NULL &&
         self->quit_after_steps < 0;
}

static const GOptionEntry option_entries[] = {
  { "preset", 0, 0, G_OPTION_ARG_STRING, NULL,
    N_("Settings to start from: “paper” (the paper's protocol, the default) or “quick” "
    "(10000 training / 2000 test images)"), "NAME" },
  { "autostart", 'a', 0, G_OPTION_ARG_NONE, NULL, N_("Start training at once"), NULL },
  { "method", 'm', 0, G_OPTION_ARG_STRING, NULL,
    N_("Method: frozen, bitfit, taugate, gainonly, tauonly, lora, full"), "ID" },
  { "seed", 's', 0, G_OPTION_ARG_INT64, NULL, N_("Seed (default 0)"), "N" },
  { "data", 'd', 0, G_OPTION_ARG_FILENAME, NULL,
    N_("Folder of MNIST-format IDX files (train-images-idx3-ubyte, … , plain or .gz). Default: "
    "$TG_MNIST_DIR if set; else ./data/mnist if it exists; else ../../data/mnist beside the "
    "binary (see below)"), "DIR" },
  { "train-limit", 0, 0, G_OPTION_ARG_INT, NULL, N_("Use only the first N training images"), "N" },
  { "test-limit", 0, 0, G_OPTION_ARG_INT, NULL, N_("Use only the first N test images"), "N" },
  { "angle", 0, 0, G_OPTION_ARG_DOUBLE, NULL, N_("Rotation of the second mode in degrees (45)"), "DEG" },
  { "foundation-epochs", 0, 0, G_OPTION_ARG_INT, NULL, N_("Epochs of the foundation (2)"), "N" },
  { "adapt-epochs", 0, 0, G_OPTION_ARG_INT, NULL, N_("Epochs of the adaptation (1)"), "N" },
  { "lambda", 0, 0, G_OPTION_ARG_DOUBLE, NULL, N_("Sparsity penalty λ (0)"), "X" },
  { "sharpness", 0, 0, G_OPTION_ARG_DOUBLE, NULL, N_("Gate sharpness s (5)"), "X" },
  { "quit-after-steps", 0, 0, G_OPTION_ARG_INT64, NULL,
    N_("Close the window after N training steps (or when the run ends); exit status 1 when it "
    "shows an error"), "N" },
  { "screenshot", 0, 0, G_OPTION_ARG_FILENAME, NULL,
    N_("Save the window as a PNG after --quit-after-steps steps (default 300), or once the files "
    "given are opened or refused, and quit (exit status 1 when the window shows an error)"),
    "FILE.png" },
  { "screenshot-view", 0, 0, G_OPTION_ARG_STRING, NULL,
    N_("View to show for --screenshot: curves, neurons, masks, overlap, results, angles, inspector, "
    "digit-pad, dynamics, sparsity, mode-map, modes, export-dialog, or “all” "
    "(FILE-<view>.png each)"), "NAME" },
  { "export-all", 0, 0, G_OPTION_ARG_FILENAME, NULL,
    N_("Write every view as Export All does (DIR/figures/…) after --quit-after-steps steps "
    "(default 300) and quit; the exit status says whether it was written"), "DIR" },
  { "save-session", 0, 0, G_OPTION_ARG_FILENAME, NULL,
    N_("Save the session to DIR (a new folder, or a session folder to replace) once the jobs "
    "asked for are done, or after --quit-after-steps steps, and quit; the exit status says "
    "whether it was saved"), "DIR" },
  { "figure-size", 0, 0, G_OPTION_ARG_STRING, NULL,
    N_("Size for --export-all: single (the default), double, page, a4, letter, slide, or W×H "
    "with a unit (e.g. 3.5x2.5in)"), "SIZE" },
  { "font-size", 0, 0, G_OPTION_ARG_DOUBLE, NULL,
    N_("Base font size in points for --export-all (default: the size's own, 8 for the columns)"),
    "PT" },
  { "no-title", 0, 0, G_OPTION_ARG_NONE, NULL,
    N_("Leave the titles out of --export-all's figures (a paper's caption names them)"), NULL },
  { "no-caption", 0, 0, G_OPTION_ARG_NONE, NULL,
    N_("Leave the captions out of --export-all's figures (the paper has its own)"), NULL },
  { "hard-gates", 0, 0, G_OPTION_ARG_NONE, NULL,
    N_("Measure test accuracy with hard gates 1[z > τ] instead of soft gates"), NULL },
  { "overlap", 0, 0, G_OPTION_ARG_NONE, NULL,
    N_("Then train TauGate at 0° and at the angle for the Overlap view"), NULL },
  { "compare", 0, 0, G_OPTION_ARG_NONE, NULL,
    N_("Then run the paper comparison (every method over --seeds seeds) for the Results view"), NULL },
  { "sweep", 0, 0, G_OPTION_ARG_STRING, NULL,
    N_("Then train TauGate for each of these λ (comma-separated, at most 8) for the Sparsity view"),
    "L,L,..." },
  { "seeds", 0, 0, G_OPTION_ARG_INT, NULL, N_("Seeds of the paper comparison (3)"), "N" },
  { "dark", 0, 0, G_OPTION_ARG_NONE, NULL, N_("Prefer the dark style"), NULL },
  { "inspect-unit", 0, 0, G_OPTION_ARG_STRING, NULL,
    N_("Unit the Inspector shows: hidden layer (from 1) and unit (from 0), e.g. 1:7"), "L:J" },
  { "unit-order", 0, 0, G_OPTION_ARG_STRING, NULL,
    N_("Order of the units in Masks and Neurons: index, selectivity, mean-rate or "
    "mode-difference"), "ORDER" },
  { "version", 0, 0, G_OPTION_ARG_NONE, NULL, N_("Print the version and exit"), NULL },
  { NULL }
};

/* --save-session DIR: refused before any training when it cannot be written (its parent is
 * no folder we may write in) or is something else than a session folder; said on stderr. */
static gboolean
session_dir_usable (const char *dir)
{
  g_autofree char *parent = g_path_get_dirname (dir);
  g_autofree char *existing = NULL;

  if (!g_file_test (parent, G_FILE_TEST_IS_DIR) || access (parent, W_OK | X_OK) != 0)
    {
      g_printerr (_("taugate-studio: --save-session: %s: cannot be written (%s is not a folder "
                    "this user may write in)\n"), dir, parent);
      return FALSE;
    }
  if (g_file_test (dir, G_FILE_TEST_EXISTS) && (existing = tg_session_folder_of (dir)) == NULL)
    {
      g_printerr (_("taugate-studio: --save-session: %s: exists and is not a session folder: "
                    "not replaced\n"), dir);
      return FALSE;
    }
  return TRUE;
}

/* --sweep "0,0.001,0.01": the λ values of a sweep; FALSE (said on stderr) when malformed. */
static gboolean
parse_sweep (StudioApplication *self, const char *str)
{
  g_auto (GStrv) parts = g_strsplit (str, ",", -1);
  guint n = g_strv_length (parts);
  if (n == 0 || n > G_N_ELEMENTS (self->cfg.sweep_lambdas))
    {
      g_printerr (_("taugate-studio: --sweep takes 1 to %u values of λ, not %u\n"),
                  (guint) G_N_ELEMENTS (self->cfg.sweep_lambdas), n);
      return FALSE;
    }
  for (guint k = 0; k < n; k++)
    {
      char *end = NULL;
      double v = g_ascii_strtod (parts[k], &end);
      if (end == parts[k] || *end != '\0' || !(v >= 0.0) || !isfinite (v))
        {
          g_printerr (_("taugate-studio: --sweep: “%s” is not a λ ≥ 0\n"), parts[k]);
          return FALSE;
        }
      self->cfg.sweep_lambdas[k] = v;
    }
  self->cfg.n_sweep_lambdas = n;
  self->sweep = TRUE;
  return TRUE;
}

/* The size and style --export-all writes at (--figure-size, --font-size): as the export
 * dialog would make them for that size, light with its background. FALSE, said on
 * stderr, for a size that does not parse. */
static gboolean
export_style (StudioApplication *self, double *width, double *height, TgPlotStyle *style)
{
  const char *spec = self->figure_size != NULL ? self->figure_size : "single";
  g_autoptr (GError) error = NULL;
  double w, h;
  if (!tg_plot_size_parse (spec, &w, &h, &error))
    {
      g_printerr ("taugate-studio: --figure-size: %s\n", error->message);
      return FALSE;
    }
  if (width != NULL)
    *width = w;
  if (height != NULL)
    *height = h;
  if (style != NULL)
    {
      tg_plot_style_init (style, TG_PLOT_BACKGROUND_LIGHT);
      style->font_size = self->font_size > 0 ? self->font_size : tg_plot_size_font_size (spec);
      style->hide_title = self->no_title;
      style->hide_caption = self->no_caption;
    }
  return TRUE;
}

static int
studio_application_handle_local_options (GApplication *app, GVariantDict *options)
{
  StudioApplication *self = STUDIO_APPLICATION (app);
  const char *str;
  gint64 i64;
  gint32 i32;
  double d;

  /* before anything else, and without a display: GTK is initialised only at startup */
  if (g_variant_dict_contains (options, "version"))
    {
      g_print ("taugate-studio %s\n", TG_VERSION);
      return EXIT_SUCCESS;
    }
  if (g_variant_dict_lookup (options, "preset", "&s", &str))
    {
      if (g_strcmp0 (str, "quick") == 0)
        {
          self->cfg.train_limit = 10000;
          self->cfg.test_limit = 2000;
        }
      else if (g_strcmp0 (str, "paper") != 0)
        {
          g_printerr (_("taugate-studio: unknown preset “%s” (paper, quick)\n"), str);
          return EXIT_FAILURE;
        }
    }
  if (g_variant_dict_lookup (options, "method", "&s", &str) &&
      !tg_method_from_string (str, &self->cfg.method))
    {
      g_printerr (_("taugate-studio: unknown method “%s”\n"), str);
      return EXIT_FAILURE;
    }
  if (g_variant_dict_lookup (options, "seed", "x", &i64))
    self->cfg.seed = (guint64) MAX (i64, 0);
  if (g_variant_dict_lookup (options, "data", "^&ay", &str))
    {
      g_free (self->cfg.data_dir);
      self->cfg.data_dir = g_canonicalize_filename (str, NULL);
    }
  if (g_variant_dict_lookup (options, "train-limit", "i", &i32))
    self->cfg.train_limit = (guint32) MAX (i32, 0);
  if (g_variant_dict_lookup (options, "test-limit", "i", &i32))
    self->cfg.test_limit = (guint32) MAX (i32, 0);
  if (g_variant_dict_lookup (options, "angle", "d", &d))
    self->cfg.angle = d;
  if (g_variant_dict_lookup (options, "foundation-epochs", "i", &i32))
    self->cfg.foundation_epochs = (guint32) CLAMP (i32, 1, 1000);
  if (g_variant_dict_lookup (options, "adapt-epochs", "i", &i32))
    self->cfg.adapt_epochs = (guint32) CLAMP (i32, 1, 1000);
  if (g_variant_dict_lookup (options, "lambda", "d", &d))
    self->cfg.lambda = (float) CLAMP (d, 0.0, 0.1);
  if (g_variant_dict_lookup (options, "sharpness", "d", &d))
    self->cfg.sharpness = (float) CLAMP (d, 0.5, 100.0);
  if (g_variant_dict_lookup (options, "quit-after-steps", "x", &i64))
    self->quit_after_steps = i64;
  if (g_variant_dict_lookup (options, "screenshot", "^&ay", &str))
    self->screenshot = g_canonicalize_filename (str, NULL);
  if (g_variant_dict_lookup (options, "screenshot-view", "&s", &str))
    self->screenshot_view = g_strdup (str);
  if (g_variant_dict_lookup (options, "export-all", "^&ay", &str))
    self->export_dir = g_canonicalize_filename (str, NULL);
  if (g_variant_dict_lookup (options, "figure-size", "&s", &str))
    self->figure_size = g_strdup (str);
  if (g_variant_dict_lookup (options, "font-size", "d", &d))
    {
      if (!(d >= 4.0 && d <= 40.0))
        {
          g_printerr (_("taugate-studio: --font-size: %g is not 4 to 40 pt\n"), d);
          return EXIT_FAILURE;
        }
      self->font_size = d;
    }
  if (self->export_dir != NULL && !export_style (self, NULL, NULL, NULL))
    return EXIT_FAILURE;
  if (g_variant_dict_lookup (options, "save-session", "^&ay", &str))
    {
      self->session_dir = g_canonicalize_filename (str, NULL);
      if (!session_dir_usable (self->session_dir))
        return EXIT_FAILURE;
    }
  self->cfg.hard_gates = g_variant_dict_contains (options, "hard-gates");
  self->no_title = g_variant_dict_contains (options, "no-title");
  self->no_caption = g_variant_dict_contains (options, "no-caption");
  if (g_variant_dict_lookup (options, "inspect-unit", "&s", &str))
    {
      g_autoptr (GError) error = NULL;
      if (!tg_unit_parse (str, NULL, &self->unit, &error))
        {
          g_printerr ("taugate-studio: --inspect-unit: %s\n", error->message);
          return EXIT_FAILURE;
        }
      self->has_unit = TRUE;
    }
  if (g_variant_dict_lookup (options, "unit-order", "&s", &str))
    {
      if (!tg_unit_order_from_name (str, &self->order))
        {
          g_printerr ("taugate-studio: --unit-order: “%s” is not index, selectivity, mean-rate "
                      "or mode-difference\n", str);
          return EXIT_FAILURE;
        }
      self->has_order = TRUE;
    }
  if (g_variant_dict_lookup (options, "seeds", "i", &i32))
    self->cfg.seeds = (guint32) CLAMP (i32, 1, 100);
  if (g_variant_dict_lookup (options, "sweep", "&s", &str) && !parse_sweep (self, str))
    return EXIT_FAILURE;
  self->overlap = g_variant_dict_contains (options, "overlap");
  self->compare = g_variant_dict_contains (options, "compare");
  self->autostart = g_variant_dict_contains (options, "autostart");
  self->dark = g_variant_dict_contains (options, "dark");
  if ((self->screenshot != NULL || self->export_dir != NULL || self->session_dir != NULL) &&
      !self->overlap && !self->compare && !self->sweep)
    self->autostart = TRUE;
  return -1;
}

/* A window that automation (--screenshot, --quit-after-steps) closes with an error in its
 * banner — a file refused, a run failed — ends the program with exit status 1 and the
 * banner's words on stderr, once its screenshot is written: a script sees the failure, and
 * the picture shows it. */
static gboolean
automation_close_cb (GtkWindow *window, StudioApplication *self)
{
  StudioWindow *win = STUDIO_WINDOW (window);
  if (studio_window_get_banner_is_error (win))
    {
      self->failed = TRUE;
      g_printerr ("taugate-studio: %s\n", studio_window_get_banner (win));
    }
  return FALSE;
}

static void
studio_application_activate (GApplication *app)
{
  StudioApplication *self = STUDIO_APPLICATION (app);
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (app));

  if (window != NULL)
    {
      gtk_window_present (window);
      return;
    }

  if (self->cfg.data_dir == NULL)
    self->cfg.data_dir = studio_prefs_dup_data_folder ();
  StudioWindow *win = studio_window_new (GTK_APPLICATION (app), &self->cfg);
  studio_prefs_track_window (GTK_WINDOW (win));
  /* the inspector measures the selected unit */
  if (self->has_unit)
    studio_workspace_select_unit (studio_window_get_workspace (win), self->unit.layer,
                                  self->unit.index);
  if (self->has_order)
    studio_workspace_set_unit_order (studio_window_get_workspace (win), self->order);
  /* a session is saved when the jobs are done, unless told after how many steps */
  guint64 steps = self->quit_after_steps >= 0 ? (guint64) self->quit_after_steps
                : self->screenshot != NULL || self->export_dir != NULL ? 300 : G_MAXUINT64;
  if (self->export_dir != NULL)
    {
      double w = 0, h = 0;
      TgPlotStyle style;
      export_style (self, &w, &h, &style);
      studio_window_schedule_export_all (win, steps, self->export_dir, w, h, &style,
                                         &self->export_failed);
    }
  else if (self->screenshot != NULL || self->quit_after_steps >= 0 || self->session_dir != NULL)
    studio_window_schedule_screenshot (win, steps, self->screenshot, self->screenshot_view);
  if (self->session_dir != NULL)
    studio_window_schedule_save_session (win, self->session_dir, &self->session_failed);
  if (self->export_dir != NULL || self->screenshot != NULL || self->quit_after_steps >= 0 ||
      self->session_dir != NULL)
    g_signal_connect (win, "close-request", G_CALLBACK (automation_close_cb), self);
  gtk_window_present (GTK_WINDOW (win));
  if (self->autostart)
    studio_window_queue_job (win, STUDIO_JOB_TRAIN);
  if (self->overlap)
    studio_window_queue_job (win, STUDIO_JOB_OVERLAP);
  if (self->compare)
    studio_window_queue_job (win, STUDIO_JOB_EXPERIMENT);
  if (self->sweep)
    studio_window_queue_job (win, STUDIO_JOB_SWEEP);
}

/* Files on the command line: a foundation and its adapters, opened in the window. */
static void
studio_application_open (GApplication *app, GFile **files, int n_files, const char *hint)
{
  /* what was opened is shown; training starts only when asked (--autostart) */
  StudioApplication *self = STUDIO_APPLICATION (app);
  if ((self->screenshot != NULL || self->export_dir != NULL || self->session_dir != NULL) &&
      !self->overlap && !self->compare)
    self->autostart = FALSE;
  studio_application_activate (app);
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (app));
  if (window == NULL)
    return;
  studio_window_open_files (STUDIO_WINDOW (window), files, n_files);
  /* what the files left, a refusal included, is the state --screenshot saves */
  studio_window_screenshot_settled (STUDIO_WINDOW (window));
}

static void
quit_activated (GSimpleAction *action, GVariant *param, gpointer data)
{
  GtkApplication *app = data;
  GList *windows = g_list_copy (gtk_application_get_windows (app));
  /* closing each window stops its worker first */
  for (GList *l = windows; l != NULL; l = l->next)
    gtk_window_close (l->data);
  g_list_free (windows);
}

static void
about_activated (GSimpleAction *action, GVariant *param, gpointer data)
{
  GtkApplication *app = data;
  const char *authors[] = { "TauGate Studio contributors", NULL };

  gtk_show_about_dialog (gtk_application_get_active_window (app),
                         "program-name", "TauGate Studio",
                         "logo-icon-name", "org.taugate.Studio",
                         "version", TG_VERSION,
                         "comments", _("Watch a frozen network specialise to rotated digits by "
                                     "learning a threshold and a gain per neuron."),
                         "license-type", GTK_LICENSE_MIT_X11,
                         "authors", authors,
                         NULL);
}

static void
dark_changed (GSimpleAction *action, GVariant *value, gpointer data)
{
  g_simple_action_set_state (action, value);
  studio_prefs_set_dark (g_variant_get_boolean (value));
  g_object_set (gtk_settings_get_default (), "gtk-application-prefer-dark-theme",
                g_variant_get_boolean (value), NULL);
}

static void
studio_application_startup (GApplication *app)
{
  StudioApplication *self = STUDIO_APPLICATION (app);
  /* every accelerator of the application, bound here once (GtkApplication adds Ctrl+? for
   * the shortcuts window of gtk/help-overlay.ui; F1 opens it too) */
  static const struct { const char *action; const char *accels[3]; } accels[] = {
    { "app.quit",                { "<Control>q", NULL } },
    { "win.export",              { "<Control>e", NULL } },
    { "win.open",                { "<Control>o", NULL } },
    { "win.save-session",        { "<Control>s", NULL } },
    { "win.save-session-as",     { "<Control><Shift>s", NULL } },
    { "win.show-help-overlay",   { "<Control>question", "F1", NULL } },
  };
  GtkCssProvider *css;

  /* before GtkApplication's startup, which looks for gtk/help-overlay.ui among the registered
   * resources: registered later, no window had a shortcuts window and F1 opened nothing */
  studio_ensure_resources ();
  G_APPLICATION_CLASS (studio_application_parent_class)->startup (app);

  css = gtk_css_provider_new ();
  gtk_css_provider_load_from_resource (css, "/org/taugate/Studio/style.css");
  gtk_style_context_add_provider_for_display (gdk_display_get_default (),
                                              GTK_STYLE_PROVIDER (css),
                                              GTK_STYLE_PROVIDER_PRIORITY_APPLICATION);
  g_object_unref (css);
  gtk_window_set_default_icon_name ("org.taugate.Studio");

  GSimpleAction *quit = g_simple_action_new ("quit", NULL);
  g_signal_connect (quit, "activate", G_CALLBACK (quit_activated), app);
  g_action_map_add_action (G_ACTION_MAP (app), G_ACTION (quit));
  g_object_unref (quit);

  GSimpleAction *about = g_simple_action_new ("about", NULL);
  g_signal_connect (about, "activate", G_CALLBACK (about_activated), app);
  g_action_map_add_action (G_ACTION_MAP (app), G_ACTION (about));
  g_object_unref (about);

  if (!uses_prefs (self))
    studio_prefs_forget ();
  studio_recent_set_enabled (uses_prefs (self));
  if (studio_prefs_get_dark ())
    self->dark = TRUE;
  GSimpleAction *dark = g_simple_action_new_stateful ("dark", NULL,
                                                      g_variant_new_boolean (self->dark));
  g_signal_connect (dark, "change-state", G_CALLBACK (dark_changed), app);
  g_action_map_add_action (G_ACTION_MAP (app), G_ACTION (dark));
  g_object_unref (dark);
  if (self->dark)
    g_object_set (gtk_settings_get_default (), "gtk-application-prefer-dark-theme", TRUE, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (accels); i++)
    gtk_application_set_accels_for_action (GTK_APPLICATION (app), accels[i].action,
                                           accels[i].accels);
}

StudioApplication *
studio_application_new (void)
{
  return g_object_new (STUDIO_TYPE_APPLICATION,
                       "application-id", "org.taugate.Studio",
                       "flags", G_APPLICATION_NON_UNIQUE | G_APPLICATION_HANDLES_OPEN,
                       NULL);
}

static void
studio_application_finalize (GObject *object)
{
  StudioApplication *self = STUDIO_APPLICATION (object);

  studio_config_clear (&self->cfg);
  g_free (self->screenshot);
  g_free (self->screenshot_view);
  g_free (self->export_dir);
  g_free (self->session_dir);
  g_free (self->figure_size);
  G_OBJECT_CLASS (studio_application_parent_class)->finalize (object);
}

static void
studio_application_class_init (StudioApplicationClass *klass)
{
  GApplicationClass *app_class = G_APPLICATION_CLASS (klass);

  G_OBJECT_CLASS (klass)->finalize = studio_application_finalize;
  app_class->handle_local_options = studio_application_handle_local_options;
  app_class->activate = studio_application_activate;
  app_class->open = studio_application_open;
  app_class->startup = studio_application_startup;
}

static void
studio_application_init (StudioApplication *self)
{
  studio_config_init_paper (&self->cfg);
  self->quit_after_steps = -1;
  g_application_add_main_option_entries (G_APPLICATION (self), option_entries);
  g_application_set_option_context_parameter_string (G_APPLICATION (self),
    "[FOUNDATION.safetensors [ADAPTER.safetensors…]]");
  g_application_set_option_context_summary (G_APPLICATION (self),
    _("Watch a frozen MLP specialise from a 0°/45° MNIST foundation to the rotated mode."));
  g_application_set_option_context_description (G_APPLICATION (self),
    _("Data: MNIST is read from --data DIR; else $TG_MNIST_DIR; else ./data/mnist (relative to the\n"
    "current directory) if it exists; else ../../data/mnist beside the binary (../../../data/mnist\n"
    "in a build tree inside the source tree). No source-tree path is built in: a build tree\n"
    "elsewhere needs --data or $TG_MNIST_DIR.\n"
    "Keys: Space starts/pauses, Ctrl+O opens checkpoints or a session, Ctrl+S saves the session,\n"
    "Ctrl+E exports the visible view, Ctrl+? or F1 lists the shortcuts, Ctrl+Q quits."));
}

int
studio_application_get_exit_status (StudioApplication *self)
{
  g_return_val_if_fail (STUDIO_IS_APPLICATION (self), EXIT_FAILURE);
  return self->failed || (self->export_dir != NULL && self->export_failed) ||
         (self->session_dir != NULL && self->session_failed) ? EXIT_FAILURE : EXIT_SUCCESS;
}

guint
studio_application_tasks_held (void)
{
  return studio_task_hold_count ();
}
