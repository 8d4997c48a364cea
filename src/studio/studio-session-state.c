/* SPDX-License-Identifier: MIT */
/* studio-session-state.c — a window's settings, runs and results to and from a TgSession:
 * the settings as JSON members, each run's scalars in its info object, its curves, full-test
 * points and gate dynamics as tables, each from one table of fields so that writing and
 * reading agree, and everything read checked for type and range. The shown snapshots are
 * studio-session-view.c. */
#include "studio-session-state.h"

#include <math.h>
#include <stddef.h>
#include <string.h>

#include "tg-session.h"
#include "studio-session-private.h"

/* ---- settings ---------------------------------------------------------------------------- */

static const TgField config_fields[] = {
  { "seed", TG_FIELD_U64, offsetof (StudioConfig, seed), 1e18 },
  { "sharpness", TG_FIELD_F32, offsetof (StudioConfig, sharpness), 1e6 },
  { "lambda", TG_FIELD_F32, offsetof (StudioConfig, lambda), 1e6 },
  { "lr", TG_FIELD_F32, offsetof (StudioConfig, lr), 1e6 },
  { "hard_gates", TG_FIELD_BOOL, offsetof (StudioConfig, hard_gates), 1 },
  { "angle", TG_FIELD_F64, offsetof (StudioConfig, angle), 360 },
  { "foundation_epochs", TG_FIELD_U32, offsetof (StudioConfig, foundation_epochs), 1e6 },
  { "adapt_epochs", TG_FIELD_U32, offsetof (StudioConfig, adapt_epochs), 1e6 },
  { "batch", TG_FIELD_U32, offsetof (StudioConfig, batch), 1e6 },
  { "train_limit", TG_FIELD_U32, offsetof (StudioConfig, train_limit), G_MAXUINT32 },
  { "test_limit", TG_FIELD_U32, offsetof (StudioConfig, test_limit), G_MAXUINT32 },
  { "eval_every", TG_FIELD_U32, offsetof (StudioConfig, eval_every), 1e9 },
  { "eval_samples", TG_FIELD_U32, offsetof (StudioConfig, eval_samples), 1e9 },
  { "mask_every", TG_FIELD_U32, offsetof (StudioConfig, mask_every), 1e9 },
  { "seeds", TG_FIELD_U32, offsetof (StudioConfig, seeds), 1000 },
  { "on_threshold", TG_FIELD_F32, offsetof (StudioConfig, on_threshold), 1 },
  { "max_steps", TG_FIELD_U32, offsetof (StudioConfig, max_steps), G_MAXUINT32 },
};

/* The foundation's mix ([] for the paper's) and the schedule of s. Sessions written before
 * they were settings have neither: the paper's mix and a fixed s. */
static void
put_foundation_mix (JsonObject *o, const StudioConfig *cfg)
{
  JsonArray *angles = json_array_new ();
  for (guint32 k = 0; k < MIN (cfg->n_foundation_angles, (guint32) TG_MAX_MIX_MODES); k++)
    json_array_add_double_element (angles, cfg->foundation_angles[k]);
  json_object_set_array_member (o, "foundation_angles", angles);
  json_object_set_boolean_member (o, "anneal_sharpness", cfg->anneal_sharpness);
}

static gboolean
get_foundation_mix (JsonObject *o, const char *file, StudioConfig *cfg, GError **error)
{
  JsonNode *n = json_object_get_member (o, "anneal_sharpness");
  if (n != NULL)
    {
      if (!JSON_NODE_HOLDS_VALUE (n) || json_node_get_value_type (n) != G_TYPE_BOOLEAN)
        {
          g_set_error (error, TG_ERROR, TG_ERROR_FORMAT, "%s: settings: “anneal_sharpness” "
                       "is not true or false", file);
          return FALSE;
        }
      cfg->anneal_sharpness = json_node_get_boolean (n);
    }
  n = json_object_get_member (o, "foundation_angles");
  if (n == NULL)
    return TRUE;
  JsonArray *a = JSON_NODE_HOLDS_ARRAY (n) ? json_node_get_array (n) : NULL;
  if (a == NULL || json_array_get_length (a) > TG_MAX_MIX_MODES)
    {
      g_set_error (error, TG_ERROR, TG_ERROR_FORMAT, "%s: settings: “foundation_angles” is "
                   "not an array of at most %d angles", file, TG_MAX_MIX_MODES);
      return FALSE;
    }
  for (guint k = 0; k < json_array_get_length (a); k++)
    {
      JsonNode *e = json_array_get_element (a, k);
      double v = JSON_NODE_HOLDS_VALUE (e) && (json_node_get_value_type (e) == G_TYPE_DOUBLE ||
                 json_node_get_value_type (e) == G_TYPE_INT64) ? json_node_get_double (e) : NAN;
      if (!(v >= -360 && v <= 360))
        {
          g_set_error (error, TG_ERROR, TG_ERROR_FORMAT, "%s: settings: foundation angle %u "
                       "is not a number of degrees in [-360, 360]", file, k + 1);
          return FALSE;
        }
      cfg->foundation_angles[k] = v;
    }
  cfg->n_foundation_angles = json_array_get_length (a);
  return TRUE;
}

void
studio_session_put_config (TgSession *session, const StudioConfig *cfg)
{
  JsonObject *o = session->settings;
  JsonArray *lambdas = json_array_new ();

  json_object_set_string_member (o, "method", tg_method_info (cfg->method)->id);
  for (guint i = 0; i < G_N_ELEMENTS (config_fields); i++)
    tg_field_to_json (o, &config_fields[i], cfg);
  if (cfg->data_dir != NULL)
    json_object_set_string_member (o, "data_dir", cfg->data_dir);
  else
    json_object_set_null_member (o, "data_dir");
  for (guint i = 0; i < cfg->n_sweep_lambdas; i++)
    json_array_add_double_element (lambdas, cfg->sweep_lambdas[i]);
  json_object_set_array_member (o, "sweep_lambdas", lambdas);
  put_foundation_mix (o, cfg);
}

gboolean
studio_session_get_config (const TgSession *session, const char *file, StudioConfig *cfg,
                           GError **error)
{
  JsonObject *o = session->settings;
  JsonNode *n;
  const char *method = NULL;

  studio_config_init_paper (cfg);
  n = json_object_get_member (o, "method");
  if (n != NULL && JSON_NODE_HOLDS_VALUE (n) && json_node_get_value_type (n) == G_TYPE_STRING)
    method = json_node_get_string (n);
  if (method == NULL || !tg_method_from_string (method, &cfg->method))
    {
      g_set_error (error, TG_ERROR, TG_ERROR_FORMAT, "%s: settings: “method” is not a known "
                   "method", file);
      return FALSE;
    }
  for (guint i = 0; i < G_N_ELEMENTS (config_fields); i++)
    {
      const TgField *f = &config_fields[i];
      if (!tg_field_from_json (o, f, file, cfg, NULL) ||
          ((f->type == TG_FIELD_F32 || f->type == TG_FIELD_F64) && isnan (tg_field_get (f, cfg))))
        {
          g_set_error (error, TG_ERROR, TG_ERROR_FORMAT, "%s: settings: “%s” is missing or out "
                       "of range", file, f->name);
          return FALSE;
        }
    }
  n = json_object_get_member (o, "data_dir");
  if (n != NULL && JSON_NODE_HOLDS_VALUE (n) && json_node_get_value_type (n) == G_TYPE_STRING)
    cfg->data_dir = g_strdup (json_node_get_string (n));
  n = json_object_get_member (o, "sweep_lambdas");
  if (n == NULL || !JSON_NODE_HOLDS_ARRAY (n) ||
      json_array_get_length (json_node_get_array (n)) > G_N_ELEMENTS (cfg->sweep_lambdas))
    {
      g_set_error (error, TG_ERROR, TG_ERROR_FORMAT, "%s: settings: “sweep_lambdas” is not an "
                   "array of at most 8 numbers", file);
      studio_config_clear (cfg);
      return FALSE;
    }
  cfg->n_sweep_lambdas = json_array_get_length (json_node_get_array (n));
  for (guint i = 0; i < cfg->n_sweep_lambdas; i++)
    {
      JsonNode *e = json_array_get_element (json_node_get_array (n), i);
      double v = JSON_NODE_HOLDS_VALUE (e) && (json_node_get_value_type (e) == G_TYPE_DOUBLE ||
                 json_node_get_value_type (e) == G_TYPE_INT64) ? json_node_get_double (e) : NAN;
      if (!(v >= 0 && v <= 1e6))
        {
          g_set_error (error, TG_ERROR, TG_ERROR_FORMAT, "%s: settings: a sweep lambda is not a "
                       "number in [0, 1e6]", file);
          studio_config_clear (cfg);
          return FALSE;
        }
      cfg->sweep_lambdas[i] = v;
    }
  if (!get_foundation_mix (o, file, cfg, error))
    {
      studio_config_clear (cfg);
      return FALSE;
    }
  return TRUE;
}

/* ---- runs -------------------------------------------------------------------------------- */

/* the gate dynamics' columns: step, phase, n_layers, high_act, then per layer l the five
 * measurements "<name>.l<l>" */
static const char *const gate_names[] = { "mean_gate0", "mean_gate_target", "units_on0",
                                          "units_on_target", "jaccard" };

static TgSessionTable *
gates_table (const GArray *gates)
{
  g_autoptr (GPtrArray) cols = g_ptr_array_new_with_free_func (g_free);
  TgSessionTable *t;
  double row[4 + 5 * TG_MAX_LINEAR];

  g_ptr_array_add (cols, g_strdup ("step"));
  g_ptr_array_add (cols, g_strdup ("phase"));
  g_ptr_array_add (cols, g_strdup ("n_layers"));
  g_ptr_array_add (cols, g_strdup ("high_act"));
  for (guint l = 0; l < TG_MAX_LINEAR; l++)
    for (guint k = 0; k < G_N_ELEMENTS (gate_names); k++)
      g_ptr_array_add (cols, g_strdup_printf ("%s.l%u", gate_names[k], l));
  g_ptr_array_add (cols, NULL);
  t = tg_session_table_new ((const char *const *) cols->pdata);
  for (guint i = 0; i < gates->len; i++)
    {
      const StudioGatePoint *g = &g_array_index (gates, StudioGatePoint, i);
      const float *per[5] = { g->mean_gate0, g->mean_gate_rot, g->units_on0, g->units_on_rot,
                              g->jaccard };
      row[0] = g->step;
      row[1] = g->phase;
      row[2] = g->n_layers;
      row[3] = g->high_act;
      for (guint l = 0; l < TG_MAX_LINEAR; l++)
        for (guint k = 0; k < 5; k++)
          row[4 + l * 5 + k] = per[k][l];
      tg_session_table_append (t, row);
    }
  return t;
}

static gboolean
gates_from_table (const TgSessionTable *t, GArray *gates, const char *file, GError **error)
{
  if (t->n_columns != 4 + 5 * TG_MAX_LINEAR)
    {
      g_set_error (error, TG_ERROR, TG_ERROR_FORMAT, "%s: a run's gate table has %u columns, "
                   "not %d", file, t->n_columns, 4 + 5 * TG_MAX_LINEAR);
      return FALSE;
    }
  for (guint r = 0; r < tg_session_table_n_rows (t); r++)
    {
      StudioGatePoint g = { 0 };
      float *per[5] = { g.mean_gate0, g.mean_gate_rot, g.units_on0, g.units_on_rot, g.jaccard };
      double phase = tg_session_table_get (t, r, 1), n = tg_session_table_get (t, r, 2);
      if (!(phase >= 0 && phase <= STUDIO_PHASE_DONE && n >= 0 && n <= TG_MAX_LINEAR))
        {
          g_set_error (error, TG_ERROR, TG_ERROR_FORMAT, "%s: a run's gate table has a phase or "
                       "layer count out of range on row %u", file, r + 1);
          return FALSE;
        }
      g.step = tg_session_table_get (t, r, 0);
      g.phase = (guint8) phase;
      g.n_layers = (guint32) n;
      g.high_act = tg_session_table_get (t, r, 3);
      for (guint l = 0; l < TG_MAX_LINEAR; l++)
        for (guint k = 0; k < 5; k++)
          per[k][l] = (float) tg_session_table_get (t, r, 4 + l * 5 + k);
      g_array_append_val (gates, g);
    }
  return TRUE;
}

/* the run's scalars in its info object, and back */
static const TgField run_fields[] = {
  { "id", TG_FIELD_U32, offsetof (StudioRun, id), G_MAXUINT32 },
  { "seed", TG_FIELD_U64, offsetof (StudioRun, seed), 1e18 },
  { "angle", TG_FIELD_F64, offsetof (StudioRun, angle), 360 },
  { "foundation_steps", TG_FIELD_U64, offsetof (StudioRun, foundation_steps), 1e18 },
  { "total_steps", TG_FIELD_U64, offsetof (StudioRun, total_steps), 1e18 },
  { "last_step", TG_FIELD_U64, offsetof (StudioRun, last_step), 1e18 },
  { "foundation_cached", TG_FIELD_BOOL, offsetof (StudioRun, foundation_cached), 1 },
  { "lambda", TG_FIELD_F32, offsetof (StudioRun, lambda), 1e6 },
  { "lambda_step", TG_FIELD_U64, offsetof (StudioRun, lambda_step), 1e18 },
  { "eval_every", TG_FIELD_U32, offsetof (StudioRun, eval_every), G_MAXUINT32 },
  { "eval_samples", TG_FIELD_U32, offsetof (StudioRun, eval_samples), G_MAXUINT32 },
  { "finished", TG_FIELD_BOOL, offsetof (StudioRun, finished), 1 },
  { "failed", TG_FIELD_BOOL, offsetof (StudioRun, failed), 1 },
  { "final_acc0", TG_FIELD_F64, offsetof (StudioRun, final_acc0), 1 },
  { "final_acc_target", TG_FIELD_F64, offsetof (StudioRun, final_acc_rot), 1 },
  { "final_high_act", TG_FIELD_F64, offsetof (StudioRun, final_high_act), 1e18 },
  { "sparse_speedup", TG_FIELD_F64, offsetof (StudioRun, sparse_speedup), 1e18 },
  { "sparse_madds", TG_FIELD_F64, offsetof (StudioRun, sparse_madds), 1e18 },
  { "dense_madds", TG_FIELD_F64, offsetof (StudioRun, dense_madds), 1e18 },
};

static TgSessionRun *
run_to_session (const StudioRun *run)
{
  TgSessionRun *r = tg_session_run_new (run->name);

  json_object_set_string_member (r->info, "method", tg_method_info (run->method)->id);
  json_object_set_string_member (r->info, "settings", run->settings != NULL ? run->settings : "");
  for (guint i = 0; i < G_N_ELEMENTS (run_fields); i++)
    tg_field_to_json (r->info, &run_fields[i], run);
  for (guint i = 0; i < run->markers->len; i++)
    {
      const StudioMarker *mk = &g_array_index (run->markers, StudioMarker, i);
      tg_session_run_add_marker (r, mk->step, mk->label);
    }
  for (guint i = 0; i < run->step->len; i++)
    {
      double row[4] = { g_array_index (run->step, double, i), g_array_index (run->loss, double, i),
                        g_array_index (run->acc0, double, i),
                        g_array_index (run->acc_rot, double, i) };
      tg_session_table_append (r->curves, row);
    }
  for (guint i = 0; i < run->full_step->len; i++)
    {
      double row[3] = { g_array_index (run->full_step, double, i),
                        g_array_index (run->full0, double, i),
                        g_array_index (run->full_rot, double, i) };
      tg_session_table_append (r->full, row);
    }
  r->gates = gates_table (run->gates);
  return r;
}

static StudioRun *
run_from_session (const TgSessionRun *r, const char *file, GError **error)
{
  StudioRun *run = studio_run_new (0, r->name);
  JsonObject *info = r->info;
  JsonNode *n = json_object_get_member (info, "method");
  const char *settings;

  if (n == NULL || !JSON_NODE_HOLDS_VALUE (n) || json_node_get_value_type (n) != G_TYPE_STRING ||
      !tg_method_from_string (json_node_get_string (n), &run->method))
    goto bad;
  n = json_object_get_member (info, "settings");
  settings = n != NULL && JSON_NODE_HOLDS_VALUE (n) &&
             json_node_get_value_type (n) == G_TYPE_STRING ? json_node_get_string (n) : NULL;
  if (settings == NULL)
    goto bad;
  run->settings = g_strdup (settings);
  for (guint i = 0; i < G_N_ELEMENTS (run_fields); i++)
    if (!tg_field_from_json (info, &run_fields[i], "", run, NULL))
      goto bad;
  for (guint i = 0; i < r->markers->len; i++)
    {
      const TgSessionMarker *m = &g_array_index (r->markers, TgSessionMarker, i);
      StudioMarker mk = { m->step, "" };
      g_strlcpy (mk.label, m->label, sizeof mk.label);
      g_array_append_val (run->markers, mk);
    }
  for (guint i = 0; i < tg_session_table_n_rows (r->curves); i++)
    {
      double v[4];
      for (guint c = 0; c < 4; c++)
        v[c] = tg_session_table_get (r->curves, i, c);
      g_array_append_val (run->step, v[0]);
      g_array_append_val (run->loss, v[1]);
      g_array_append_val (run->acc0, v[2]);
      g_array_append_val (run->acc_rot, v[3]);
    }
  for (guint i = 0; i < tg_session_table_n_rows (r->full); i++)
    {
      double v[3];
      for (guint c = 0; c < 3; c++)
        v[c] = tg_session_table_get (r->full, i, c);
      g_array_append_val (run->full_step, v[0]);
      g_array_append_val (run->full0, v[1]);
      g_array_append_val (run->full_rot, v[2]);
    }
  if (r->gates != NULL && !gates_from_table (r->gates, run->gates, file, error))
    {
      studio_run_free (run);
      return NULL;
    }
  return run;

bad:
  {
    g_autofree char *name = tg_excerpt (r->name, -1);
    g_set_error (error, TG_ERROR, TG_ERROR_FORMAT, "%s: run “%s”: its info lacks a method, its "
                 "settings or a number in range", file, name);
  }
  studio_run_free (run);
  return NULL;
}

void
studio_session_put_history (TgSession *session, StudioHistory *history)
{
  StudioSnapshot *shown[4] = { studio_history_get_params (history),
                               studio_history_get_masks (history),
                               studio_history_get_status (history),
                               studio_history_get_overlap (history) };
  const TgExperimentResults *exp = studio_history_get_experiment (history);
  const TgSweepResults *sweep = studio_history_get_sweep (history);

  for (guint i = 0; i < studio_history_get_n_runs (history); i++)
    g_ptr_array_add (session->runs, run_to_session (studio_history_get_run (history, i)));
  studio_session_put_view (session, shown);
  studio_session_put_records (session, history);
  /* the digit pad reads the masks' model */
  if (shown[1] != NULL && shown[1]->model != NULL)
    session->view_model = tg_model_copy (shown[1]->model);
  if (exp != NULL)
    {
      session->comparison = g_new0 (TgExperimentResults, 1);
      *session->comparison = *exp;
      session->comparison->runs = g_array_copy (exp->runs);
      session->comparison->overlaps = exp->overlaps != NULL ? g_array_copy (exp->overlaps) : NULL;
    }
  if (sweep != NULL)
    {
      session->sweep = g_new0 (TgSweepResults, 1);
      *session->sweep = *sweep;
      session->sweep->lambdas = g_memdup2 (sweep->lambdas, sweep->config.n_lambdas * sizeof (double));
      session->sweep->sharpness = g_memdup2 (sweep->sharpness,
                                             sweep->config.n_sharpness * sizeof (double));
      session->sweep->config.lambdas = session->sweep->lambdas;
      session->sweep->config.sharpness = session->sweep->sharpness;
      session->sweep->points = g_array_copy (sweep->points);
    }
}

gboolean
studio_session_restore_history (TgSession *session, StudioHistory *history, const char *file,
                                guint *last_run_id, GError **error)
{
  g_autoptr (GPtrArray) runs = g_ptr_array_new_with_free_func ((GDestroyNotify) studio_run_free);
  StudioSnapshot *shown[4] = { NULL };
  g_autoptr (StudioSnapshot) experiment = NULL;
  g_autoptr (StudioSnapshot) sweep = NULL;
  gboolean ok;

  *last_run_id = 0;
  for (guint i = 0; i < session->runs->len; i++)
    {
      StudioRun *run = run_from_session (g_ptr_array_index (session->runs, i), file, error);
      if (run == NULL)
        return FALSE;
      *last_run_id = MAX (*last_run_id, run->id);
      g_ptr_array_add (runs, run);
    }
  ok = studio_session_get_view (session, file, shown, error);
  for (guint i = 0; ok && i < G_N_ELEMENTS (shown); i++)
    if (shown[i] != NULL)
      *last_run_id = MAX (*last_run_id, shown[i]->run_id);
  if (ok && shown[1] != NULL && session->view_model != NULL && shown[1]->model == NULL)
    {
      /* the views read the model beside the snapshot's arrays: the same layers and classes */
      const TgModel *m = session->view_model;
      gboolean fits = tg_model_n_hidden (m) == shown[1]->n_hidden &&
                      m->dims[m->n_linear] == shown[1]->n_classes;
      for (guint32 l = 0; fits && l < shown[1]->n_hidden; l++)
        fits = m->dims[l + 1] == shown[1]->widths[l];
      if (fits)
        shown[1]->model = g_steal_pointer (&session->view_model);
      else
        {
          g_set_error (error, TG_ERROR, TG_ERROR_FORMAT,
                       "%s: view-model/adapter.safetensors does not have the layers of the "
                       "view it belongs to", file);
          ok = FALSE;
        }
    }
  if (ok && session->comparison != NULL)
    {
      experiment = studio_snapshot_new ();
      experiment->job = STUDIO_JOB_EXPERIMENT;
      experiment->finished = TRUE;
      experiment->experiment = g_steal_pointer (&session->comparison);
    }
  if (ok && session->sweep != NULL)
    {
      sweep = studio_snapshot_new ();
      sweep->job = STUDIO_JOB_SWEEP;
      sweep->finished = TRUE;
      sweep->sweep = g_steal_pointer (&session->sweep);
    }
  g_autoptr (GPtrArray) rec_params = NULL;
  g_autoptr (GPtrArray) rec_masks = NULL;
  guint rec_run = 0;
  ok = ok && studio_session_get_records (session, file, &rec_run, &rec_params, &rec_masks, error);
  if (ok)
    studio_history_restore (history, runs, shown[0], shown[1], shown[2], shown[3],
                            experiment, sweep);
  if (ok && rec_params != NULL)
    studio_history_restore_time (history, rec_run, rec_params, rec_masks);
  for (guint i = 0; i < G_N_ELEMENTS (shown); i++)
    g_clear_pointer (&shown[i], studio_snapshot_unref);
  return ok;
}

/* ---- the unit selection ------------------------------------------------------------------ */

/* In the view: metadata "units.selected" "LAYER,INDEX" (absent: none) and "units.order"
 * (the TgUnitOrder as a number); the tensor "units.ablation" (edits, 3): layer, index, action
 * (0 silence, 1 force on) of each edit in the order it was made (absent: none). Layers are
 * 0-based. */
void
studio_session_put_units (TgSession *session, const StudioSessionUnits *units)
{
  GHashTable *md = session->view_metadata;
  guint n = units->edits != NULL ? units->edits->len : 0;

  if (units->has_unit)
    g_hash_table_insert (md, g_strdup ("units.selected"),
                         g_strdup_printf ("%u,%u", units->unit.layer, units->unit.index));
  g_hash_table_insert (md, g_strdup ("units.order"), g_strdup_printf ("%u", (guint) units->order));
  if (n == 0)
    return;
  g_autofree float *values = g_new (float, (gsize) n * 3);
  for (guint i = 0; i < n; i++)
    {
      const TgUnitEdit *e = &g_array_index (units->edits, TgUnitEdit, i);
      values[3 * i] = (float) e->unit.layer;
      values[3 * i + 1] = (float) e->unit.index;
      values[3 * i + 2] = (float) e->action;
    }
  tg_session_add_view_tensor (session, "units.ablation", 2, (guint64[]) { n, 3 }, values);
}

/* n comma-separated numbers, each at most max[k]; FALSE on anything else */
static gboolean
parse_numbers (const char *text, guint n, const guint64 *max, guint64 *out)
{
  g_auto (GStrv) parts = g_strsplit (text, ",", -1);

  if (g_strv_length (parts) != n)
    return FALSE;
  for (guint k = 0; k < n; k++)
    if (!g_ascii_string_to_unsigned (parts[k], 10, 0, max[k], &out[k], NULL))
      return FALSE;
  return TRUE;
}

void
studio_session_units_clear (StudioSessionUnits *units)
{
  g_clear_pointer (&units->edits, g_array_unref);
}

gboolean
studio_session_get_units (const TgSession *session, const char *file, StudioSessionUnits *out,
                          GError **error)
{
  const char *selected = g_hash_table_lookup (session->view_metadata, "units.selected");
  const char *order = g_hash_table_lookup (session->view_metadata, "units.order");
  const TgSessionTensor *set = tg_session_get_view_tensor (session, "units.ablation");
  static const guint64 unit_max[] = { TG_MAX_LINEAR - 1, (1u << 20) - 1, TG_UNIT_FORCE_ON };
  static const guint64 order_max[] = { TG_UNIT_ORDER_N - 1 };
  guint64 v[3];

  memset (out, 0, sizeof *out);
  out->edits = g_array_new (FALSE, FALSE, sizeof (TgUnitEdit));
  /* a session written before these were kept has none of them */
  if (selected != NULL)
    {
      if (!parse_numbers (selected, 2, unit_max, v))
        goto bad;
      out->has_unit = TRUE;
      out->unit = (TgUnitId) { (guint32) v[0], (guint32) v[1] };
    }
  if (order != NULL)
    {
      if (!parse_numbers (order, 1, order_max, v))
        goto bad;
      out->order = (TgUnitOrder) v[0];
    }
  if (set != NULL)
    {
      if (set->ndim != 2 || set->shape[1] != 3 || set->shape[0] > STUDIO_SESSION_MAX_EDITS)
        goto bad;
      for (guint64 i = 0; i < set->shape[0]; i++)
        {
          for (guint k = 0; k < 3; k++)
            {
              float x = set->values[3 * i + k];
              if (!(x >= 0 && x <= (float) unit_max[k] && x == floorf (x)))
                goto bad;
              v[k] = (guint64) x;
            }
          TgUnitEdit e = { { (guint32) v[0], (guint32) v[1] }, (TgUnitAction) v[2] };
          g_array_append_val (out->edits, e);
        }
    }
  return TRUE;

bad:
  studio_session_units_clear (out);
  g_set_error (error, TG_ERROR, TG_ERROR_FORMAT, "%s: the selected unit, the unit order or the "
               "ablation set of view.safetensors is not of the form the studio writes", file);
  return FALSE;
}
