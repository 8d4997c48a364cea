/* SPDX-License-Identifier: MIT */
/* studio-snapshot.c — the immutable hand-over from the training worker, and run settings. */
#include "studio-snapshot.h"
#include "tg-metrics.h"

#include <glib/gi18n.h>

#include <math.h>
#include <gio/gio.h>

const char *
studio_phase_label (StudioPhase phase)
{
  switch (phase)
    {
    case STUDIO_PHASE_LOADING:    return N_("loading data");
    case STUDIO_PHASE_FOUNDATION: return N_("foundation");
    case STUDIO_PHASE_ADAPTATION: return N_("adaptation");
    case STUDIO_PHASE_DONE:       return N_("done");
    default:                      return "?";
    }
}

void
studio_config_init_paper (StudioConfig *cfg)
{
  *cfg = (StudioConfig) {
    .method = TG_METHOD_TAUGATE,
    .seed = 0,
    .sharpness = 5.0f,
    .lambda = 0.0f,
    .lr = 0.01f,
    .hard_gates = FALSE,
    .angle = 45.0,
    .foundation_epochs = 2,
    .adapt_epochs = 1,
    .batch = 256,
    .data_dir = NULL,
    .train_limit = 0,
    .test_limit = 0,
    .eval_every = 20,
    .eval_samples = 1000,
    .mask_every = 50,
    .seeds = 3,
    .on_threshold = 0.9f,
    .max_steps = 0,
    .n_sweep_lambdas = 6,
    .sweep_lambdas = { 0, 0.01, 0.1, 0.3, 1, 3 },
  };
}

void
studio_config_copy (StudioConfig *dst, const StudioConfig *src)
{
  *dst = *src;
  dst->data_dir = g_strdup (src->data_dir);
}

void
studio_config_clear (StudioConfig *cfg)
{
  g_clear_pointer (&cfg->data_dir, g_free);
}

char *
studio_default_data_dir (void)
{
  const char *env = g_getenv ("TG_MNIST_DIR");
  if (env != NULL && *env != '\0')
    return g_strdup (env);

  g_autofree char *cwd = g_get_current_dir ();
  g_autofree char *local = g_build_filename (cwd, "data", "mnist", NULL);
  if (g_file_test (local, G_FILE_TEST_IS_DIR))
    return g_steal_pointer (&local);

  g_autofree char *exe = g_file_read_link ("/proc/self/exe", NULL);
  if (exe != NULL)
    {
      /* ../../data/mnist beside the binary; in a build tree (build/src/studio) one more
       * level up reaches the source tree */
      const char *ups[] = { "../../data/mnist", "../../../data/mnist" };
      g_autofree char *bindir = g_path_get_dirname (exe);
      for (guint i = 0; i < G_N_ELEMENTS (ups); i++)
        {
          g_autofree char *beside = g_canonicalize_filename (ups[i], bindir);
          if (g_file_test (beside, G_FILE_TEST_IS_DIR))
            return g_steal_pointer (&beside);
        }
    }
  return g_strdup ("data/mnist");
}

static gint live_snapshots;

guint
studio_snapshot_get_live_count (void)
{
  return (guint) g_atomic_int_get (&live_snapshots);
}

static void
snapshot_clear (StudioSnapshot *snap)
{
  g_atomic_int_add (&live_snapshots, -1);
  g_clear_error (&snap->error);
  g_clear_pointer (&snap->points, g_array_unref);
  g_clear_pointer (&snap->events, g_array_unref);
  g_clear_pointer (&snap->gate_points, g_array_unref);
  g_clear_pointer (&snap->tau, g_free);
  g_clear_pointer (&snap->gamma, g_free);
  g_clear_pointer (&snap->firing0_hard, g_free);
  g_clear_pointer (&snap->firing_rot_hard, g_free);
  g_clear_pointer (&snap->firing0_soft, g_free);
  g_clear_pointer (&snap->firing_rot_soft, g_free);
  g_clear_pointer (&snap->gates0, g_free);
  g_clear_pointer (&snap->gates_rot, g_free);
  g_clear_pointer (&snap->model, tg_model_free);
  g_clear_pointer (&snap->progress_text, g_free);
  g_clear_pointer (&snap->mode_name, g_free);
  g_clear_pointer (&snap->data_dir, g_free);
  g_clear_pointer (&snap->adapted, tg_model_free);
  g_clear_pointer (&snap->overlap_models[0], tg_model_free);
  g_clear_pointer (&snap->overlap_models[1], tg_model_free);
  g_clear_pointer (&snap->settings, g_free);
  g_clear_pointer (&snap->foundation_mix, g_free);
  g_clear_pointer (&snap->experiment, tg_experiment_results_free);
  g_clear_pointer (&snap->sweep, tg_sweep_results_free);
  g_clear_pointer (&snap->overlap_gate0, g_free);
  g_clear_pointer (&snap->overlap_gate_rot, g_free);
}

StudioSnapshot *
studio_snapshot_new (void)
{
  StudioSnapshot *snap = g_atomic_rc_box_new0 (StudioSnapshot);
  g_atomic_int_inc (&live_snapshots);
  snap->points = g_array_new (FALSE, FALSE, sizeof (StudioPoint));
  snap->events = g_array_new (FALSE, FALSE, sizeof (StudioEvent));
  snap->gate_points = g_array_new (FALSE, FALSE, sizeof (StudioGatePoint));
  snap->eta_seconds = -1;
  snap->high_act = NAN;
  snap->final_acc0 = snap->final_acc_rot = snap->final_high_act = NAN;
  snap->sparse_speedup = snap->sparse_madds = snap->dense_madds = NAN;
  return snap;
}

StudioSnapshot *
studio_snapshot_ref (StudioSnapshot *snap)
{
  return g_atomic_rc_box_acquire (snap);
}

void
studio_snapshot_unref (StudioSnapshot *snap)
{
  g_atomic_rc_box_release_full (snap, (GDestroyNotify) snapshot_clear);
}

char *
studio_snapshot_dup_model_name (const StudioSnapshot *snap)
{
  if (snap->mode_name != NULL)
    return g_strdup (snap->mode_name);
  if (snap->phase == STUDIO_PHASE_FOUNDATION && snap->run_method != snap->method)
    return g_strdup_printf ("%s run's foundation", tg_method_info (snap->run_method)->label);
  return g_strdup (tg_method_info (snap->method)->label);
}

void
studio_snapshot_measure_masks (StudioSnapshot *snap, const TgModel *m, TgWorkspace *ws, float s,
                               const TgDataset *test0, const float *z0,
                               const TgDataset *test_rot, const float *z_rot, guint32 n)
{
  guint32 units = tg_model_hidden_units (m);
  guint32 classes = m->dims[m->n_linear];
  gsize cells = (gsize) classes * units;
  TgForwardOpts hard = { TG_GATES_HARD, s }, soft = { TG_GATES_SOFT, s };

  snap->has_masks = TRUE;
  snap->n_classes = classes;
  snap->firing0_hard = g_new0 (float, cells);
  snap->firing_rot_hard = g_new0 (float, cells);
  snap->firing0_soft = g_new0 (float, cells);
  snap->firing_rot_soft = g_new0 (float, cells);
  snap->gates0 = g_new0 (float, units);
  snap->gates_rot = g_new0 (float, units);
  tg_firing_by_class (m, ws, &hard, test0, z0, n, snap->firing0_hard);
  tg_firing_by_class (m, ws, &hard, test_rot, z_rot, n, snap->firing_rot_hard);
  tg_firing_by_class (m, ws, &soft, test0, z0, n, snap->firing0_soft);
  tg_firing_by_class (m, ws, &soft, test_rot, z_rot, n, snap->firing_rot_soft);
  tg_mean_gates (m, ws, &soft, test0, z0, n, snap->gates0);
  tg_mean_gates (m, ws, &soft, test_rot, z_rot, n, snap->gates_rot);
}

void
studio_snapshot_take_masks (StudioSnapshot *to, StudioSnapshot *from)
{
  to->has_masks = TRUE;
  to->mask_step = from->mask_step;
  to->n_classes = from->n_classes;
  to->high_act = from->high_act;
  to->firing0_hard = g_steal_pointer (&from->firing0_hard);
  to->firing_rot_hard = g_steal_pointer (&from->firing_rot_hard);
  to->firing0_soft = g_steal_pointer (&from->firing0_soft);
  to->firing_rot_soft = g_steal_pointer (&from->firing_rot_soft);
  to->gates0 = g_steal_pointer (&from->gates0);
  to->gates_rot = g_steal_pointer (&from->gates_rot);
  if (from->model != NULL)
    {
      g_clear_pointer (&to->model, tg_model_free);
      to->model = g_steal_pointer (&from->model);
    }
}

static void
append_images (GString *s, guint32 limit)
{
  if (limit == 0)
    g_string_append (s, "all");
  else
    g_string_append_printf (s, "%u", limit);
}

char *
studio_config_describe_settings (const StudioConfig *cfg)
{
  GString *s = g_string_new (NULL);
  g_autofree char *data = cfg->data_dir != NULL ? g_path_get_basename (cfg->data_dir)
                                                : g_strdup ("MNIST");

  g_string_append_printf (s, "%s, 0° vs %g°, %u + %u epochs, lr %g, s %g, λ %g, %s gates, "
                          "batch %u, ", data, cfg->angle, cfg->foundation_epochs,
                          cfg->adapt_epochs, (double) cfg->lr, (double) cfg->sharpness,
                          (double) cfg->lambda, cfg->hard_gates ? "hard" : "soft", cfg->batch);
  append_images (s, cfg->train_limit);
  g_string_append (s, " training / ");
  append_images (s, cfg->test_limit);
  g_string_append (s, " test images");
  g_autofree char *mix = studio_config_dup_foundation_mix (cfg);
  if (mix != NULL)
    g_string_append_printf (s, ", foundation on %s", mix);
  if (cfg->anneal_sharpness)
    g_string_append (s, ", s annealed (HAT)");
  if (cfg->max_steps > 0)
    g_string_append_printf (s, ", at most %u steps", cfg->max_steps);
  return g_string_free (s, FALSE);
}

char *
studio_config_dup_foundation_mix (const StudioConfig *cfg)
{
  guint32 n = MIN (cfg->n_foundation_angles, (guint32) TG_MAX_MIX_MODES);
  if (n == 0 || (n == 2 && cfg->foundation_angles[0] == 0.0 &&
                 cfg->foundation_angles[1] == cfg->angle))
    return NULL;
  GString *s = g_string_new (NULL);
  for (guint32 k = 0; k < n; k++)
    g_string_append_printf (s, "%s%g°", k ? ", " : "", cfg->foundation_angles[k]);
  return g_string_free (s, FALSE);
}

static char *
format_duration (double seconds)
{
  if (seconds < 0 || !isfinite (seconds))
    return g_strdup ("–");
  int s = (int) (seconds + 0.5);
  if (s >= 3600)
    return g_strdup_printf ("%d:%02d:%02d", s / 3600, (s / 60) % 60, s % 60);
  return g_strdup_printf ("%d:%02d", s / 60, s % 60);
}

/* The overlap models and the paper comparison: a progress, not steps. */
static void
format_job_status (GString *s, const StudioSnapshot *st)
{
  g_string_append (s, st->job == STUDIO_JOB_EXPERIMENT ? _("Paper comparison")
                      : st->job == STUDIO_JOB_SWEEP ? _("λ sweep") : _("Overlap models"));
  if (st->finished)
    g_string_append (s, st->error != NULL ? " stopped" : " done");
  else
    {
      g_string_append_printf (s, " · %.0f%%", 100 * st->progress);
      if (st->progress_text != NULL && *st->progress_text != '\0')
        g_string_append_printf (s, " · %s", st->progress_text);
    }
}

static void
format_train_status (GString *s, const StudioSnapshot *st)
{
  g_autofree char *eta = format_duration (st->eta_seconds);
  const TgMethodInfo *info = tg_method_info (st->run_method);

  g_string_append_printf (s, _("Phase: %s · epoch %u/%u · step %llu/%llu"
                          " · %.0f samples/s · ETA %s"),
                          _(studio_phase_label (st->phase)), st->epoch, st->n_epochs, (unsigned long long) st->step,
                          (unsigned long long) st->total_steps, st->samples_per_sec, eta);
  if (st->phase == STUDIO_PHASE_FOUNDATION)
    g_string_append_printf (s, _(" · adapter: none yet (foundation trains all weights), next: %s"),
                            info->label);
  else
    g_string_append_printf (s, _(" · adapter: %s"), info->label);
  if (info->gated)
    g_string_append_printf (s, _(" · gates: %s (s = %.3g, λ = %.2g)"),
                            st->hard_gates ? _("hard in evaluation") : C_("gates in the status line", "soft"),
                            (double) st->sharpness, (double) st->lambda);
}

char *
studio_snapshot_format_status (const StudioSnapshot *st)
{
  GString *s = g_string_new (NULL);

  if (st == NULL)
    {
      g_string_append (s, _("Ready. Press Train (or Space) to start."));
      return g_string_free (s, FALSE);
    }
  if (st->paused)
    g_string_append (s, _("Paused · "));
  if (st->mode_name != NULL)
    g_string_append_printf (s, _("Mode “%s” · acc 0° %.3f · acc %g° %.3f · %s · s %g"),
                            st->mode_name, st->final_acc0, st->angle, st->final_acc_rot,
                            tg_method_info (st->run_method)->label, st->sharpness);
  else if (st->job != STUDIO_JOB_TRAIN)
    format_job_status (s, st);
  else if (st->finished)
    {
      if (st->error != NULL)
        g_string_append (s, "Stopped");
      else
        g_string_append_printf (s, _("Done · acc 0° %.3f · acc %g° %.3f"), st->final_acc0,
                                st->angle, st->final_acc_rot);
      g_string_append_printf (s, _(" · step %llu"), (unsigned long long) st->step);
      g_string_append_printf (s, " · %s", tg_method_info (st->run_method)->label);
    }
  else if (st->phase == STUDIO_PHASE_LOADING)
    g_string_append_printf (s, "%s…", st->progress_text != NULL ? st->progress_text
                                                                : _("Loading data"));
  else
    format_train_status (s, st);
  return g_string_free (s, FALSE);
}

G_DEFINE_BOXED_TYPE (StudioSnapshot, studio_snapshot, studio_snapshot_ref, studio_snapshot_unref)
