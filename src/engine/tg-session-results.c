/* tg-session-results.c — the paper comparison and the λ sweep as JSON, for session.json.
 *
 * Each struct is written member by member from a table of its fields (tg-fields.h), so
 * that writing and reading cannot drift apart; reading checks every field's type and
 * range, the settings as the protocol validates them (they size what the views allocate, a
 * sweep's seeds for one), and that the runs and points are the ones those settings make.
 * NaN is null. Per-layer arrays are written whole (TG_MAX_LINEAR entries). */
#include "tg-session.h"
#include "tg-fields.h"

#include <math.h>
#include <stddef.h>
#include <string.h>

static const TgField config_fields[] = {
  { "seeds", TG_FIELD_U32, offsetof (TgExperimentConfig, seeds) },
  { "seed0", TG_FIELD_U64, offsetof (TgExperimentConfig, seed0) },
  { "angle", TG_FIELD_F64, offsetof (TgExperimentConfig, angle) },
  { "foundation_epochs", TG_FIELD_U32, offsetof (TgExperimentConfig, foundation_epochs) },
  { "adapt_epochs", TG_FIELD_U32, offsetof (TgExperimentConfig, adapt_epochs) },
  { "lr", TG_FIELD_F32, offsetof (TgExperimentConfig, lr) },
  { "momentum", TG_FIELD_F32, offsetof (TgExperimentConfig, momentum) },
  { "sharpness", TG_FIELD_F32, offsetof (TgExperimentConfig, sharpness) },
  { "lambda", TG_FIELD_F32, offsetof (TgExperimentConfig, lambda) },
  { "batch", TG_FIELD_U32, offsetof (TgExperimentConfig, batch) },
  { "n_hidden", TG_FIELD_U32, offsetof (TgExperimentConfig, n_hidden) },
  { "width", TG_FIELD_U32, offsetof (TgExperimentConfig, width) },
  { "lora_rank", TG_FIELD_U32, offsetof (TgExperimentConfig, lora_rank) },
  { "lora_alpha", TG_FIELD_F32, offsetof (TgExperimentConfig, lora_alpha) },
  { "high_act_samples", TG_FIELD_U32, offsetof (TgExperimentConfig, high_act_samples) },
  { "on_threshold", TG_FIELD_F32, offsetof (TgExperimentConfig, on_threshold) },
  { "methods", TG_FIELD_U32, offsetof (TgExperimentConfig, methods) },
  { "overlap", TG_FIELD_BOOL, offsetof (TgExperimentConfig, overlap) },
  { "train_limit", TG_FIELD_U32, offsetof (TgExperimentConfig, train_limit) },
  { "test_limit", TG_FIELD_U32, offsetof (TgExperimentConfig, test_limit) },
  { "no_reuse", TG_FIELD_BOOL, offsetof (TgExperimentConfig, no_reuse) },
  { "threads", TG_FIELD_U32, offsetof (TgExperimentConfig, threads) },
  { "data_name", TG_FIELD_NAME128, offsetof (TgExperimentConfig, data_name) },
  { "data_is_mnist", TG_FIELD_BOOL, offsetof (TgExperimentConfig, data_is_mnist) },
};

static const TgField run_fields[] = {
  { "seed_index", TG_FIELD_U32, offsetof (TgRunResult, seed_index) },
  { "seed", TG_FIELD_U64, offsetof (TgRunResult, seed) },
  { "method", TG_FIELD_METHOD, offsetof (TgRunResult, method) },
  { "target_angle", TG_FIELD_F64, offsetof (TgRunResult, target_angle) },
  { "params", TG_FIELD_SIZE, offsetof (TgRunResult, params) },
  { "acc0", TG_FIELD_F64, offsetof (TgRunResult, acc0) },
  { "acc_target", TG_FIELD_F64, offsetof (TgRunResult, acc_rot) },
  { "acc0_hard", TG_FIELD_F64, offsetof (TgRunResult, acc0_hard) },
  { "acc_target_hard", TG_FIELD_F64, offsetof (TgRunResult, acc_rot_hard) },
  { "high_act", TG_FIELD_F64, offsetof (TgRunResult, high_act) },
  { "final_loss", TG_FIELD_F64, offsetof (TgRunResult, final_loss) },
  { "final_ce", TG_FIELD_F64, offsetof (TgRunResult, final_ce) },
  { "collapsed", TG_FIELD_BOOL, offsetof (TgRunResult, collapsed) },
};

static const TgField overlap_fields[] = {
  { "seed_index", TG_FIELD_U32, offsetof (TgOverlapResult, seed_index) },
  { "n_layers", TG_FIELD_U32, offsetof (TgOverlapResult, n_layers) },
  { "jaccard", TG_FIELD_F64_LAYERS, offsetof (TgOverlapResult, jaccard) },
  { "on0", TG_FIELD_U32_LAYERS, offsetof (TgOverlapResult, on0) },
  { "on_target", TG_FIELD_U32_LAYERS, offsetof (TgOverlapResult, on_rot) },
};

static const TgField point_fields[] = {
  { "lambda", TG_FIELD_F64, offsetof (TgSweepPoint, lambda) },
  { "sharpness", TG_FIELD_F64, offsetof (TgSweepPoint, sharpness) },
  { "seed_index", TG_FIELD_U32, offsetof (TgSweepPoint, seed_index) },
  { "seed", TG_FIELD_U64, offsetof (TgSweepPoint, seed) },
  { "acc0_soft", TG_FIELD_F64, offsetof (TgSweepPoint, acc0_soft) },
  { "acc0_hard", TG_FIELD_F64, offsetof (TgSweepPoint, acc0_hard) },
  { "acc_target_soft", TG_FIELD_F64, offsetof (TgSweepPoint, acc_rot_soft) },
  { "acc_target_hard", TG_FIELD_F64, offsetof (TgSweepPoint, acc_rot_hard) },
  { "mean_gate", TG_FIELD_F64, offsetof (TgSweepPoint, mean_gate) },
  { "n_layers", TG_FIELD_U32, offsetof (TgSweepPoint, n_layers) },
  { "on_frac", TG_FIELD_F64_LAYERS, offsetof (TgSweepPoint, on_frac) },
  { "madds_sparse", TG_FIELD_F64, offsetof (TgSweepPoint, madds_sparse) },
  { "madds_dense", TG_FIELD_F64, offsetof (TgSweepPoint, madds_dense) },
  { "identical", TG_FIELD_U32, offsetof (TgSweepPoint, identical) },
  { "n_test", TG_FIELD_U32, offsetof (TgSweepPoint, n_test) },
  { "ties", TG_FIELD_U32, offsetof (TgSweepPoint, ties) },
  { "dense_p50_us", TG_FIELD_F64, offsetof (TgSweepPoint, dense_p50_us) },
  { "sparse_p50_us", TG_FIELD_F64, offsetof (TgSweepPoint, sparse_p50_us) },
  { "speedup", TG_FIELD_F64, offsetof (TgSweepPoint, speedup) },
};

JsonNode *
tg_session_json_double (double v)
{
  JsonNode *node = json_node_new (JSON_NODE_VALUE);
  if (!isfinite (v))
    {
      json_node_free (node);
      return json_node_new (JSON_NODE_NULL);
    }
  json_node_set_double (node, v);
  return node;
}

gboolean
tg_session_json_number (JsonObject *object, const char *key, const char *file, double *out,
                        GError **error)
{
  JsonNode *node = json_object_get_member (object, key);
  GType t;

  if (node != NULL && JSON_NODE_HOLDS_NULL (node))
    {
      *out = NAN;
      return TRUE;
    }
  t = node != NULL && JSON_NODE_HOLDS_VALUE (node) ? json_node_get_value_type (node) : G_TYPE_INVALID;
  if (t == G_TYPE_INT64)
    *out = (double) json_node_get_int (node);
  else if (t == G_TYPE_DOUBLE)
    *out = json_node_get_double (node);
  else
    {
      g_set_error (error, TG_ERROR, TG_ERROR_FORMAT, "%s: “%s” is %s, not a number", file, key,
                   node == NULL ? "missing" : "of another type");
      return FALSE;
    }
  return TRUE;
}

/* An array member of an object as a JsonArray of at most max elements, or NULL with error. */
static JsonArray *
array_member (JsonObject *o, const char *key, const char *file, guint max, GError **error)
{
  JsonNode *node = json_object_get_member (o, key);
  if (node == NULL || !JSON_NODE_HOLDS_ARRAY (node) ||
      json_array_get_length (json_node_get_array (node)) > max)
    {
      g_set_error (error, TG_ERROR, TG_ERROR_FORMAT, "%s: “%s” is not an array of at most %u "
                   "entries", file, key, max);
      return NULL;
    }
  return json_node_get_array (node);
}

/* The error of a validation of the settings read, or none: FALSE with error naming file. */
static gboolean
settings_valid (const char *file, const char *what, const GError *invalid, GError **error)
{
  if (invalid != NULL)
    g_set_error (error, TG_ERROR, TG_ERROR_RANGE, "%s: the %s settings are not valid: %s",
                 file, what, invalid->message);
  return invalid == NULL;
}

static gpointer
seed_out_of_range (const char *file, const char *what, guint32 seed_index, guint32 seeds,
                   GError **error)
{
  g_set_error (error, TG_ERROR, TG_ERROR_RANGE, "%s: %s has seed_index %u, but the settings "
               "have %u seeds", file, what, seed_index, seeds);
  return NULL;
}

static JsonNode *
object_node (JsonObject *o)
{
  JsonNode *node = json_node_new (JSON_NODE_OBJECT);
  json_node_take_object (node, o);
  return node;
}

JsonNode *
tg_session_comparison_to_json (const TgExperimentResults *res)
{
  JsonObject *o = json_object_new ();
  JsonArray *runs = json_array_new (), *overlaps = json_array_new ();

  json_object_set_object_member (o, "config", tg_fields_to_json (config_fields,
                                 G_N_ELEMENTS (config_fields), &res->config));
  for (guint i = 0; i < res->runs->len; i++)
    json_array_add_object_element (runs, tg_fields_to_json (run_fields, G_N_ELEMENTS (run_fields),
                                   &g_array_index (res->runs, TgRunResult, i)));
  for (guint i = 0; res->overlaps != NULL && i < res->overlaps->len; i++)
    json_array_add_object_element (overlaps, tg_fields_to_json (overlap_fields,
                                   G_N_ELEMENTS (overlap_fields),
                                   &g_array_index (res->overlaps, TgOverlapResult, i)));
  json_object_set_array_member (o, "runs", runs);
  json_object_set_array_member (o, "overlaps", overlaps);
  json_object_set_member (o, "foundation_acc0", tg_session_json_double (res->foundation_acc0));
  json_object_set_member (o, "foundation_acc_target",
                          tg_session_json_double (res->foundation_acc_rot));
  return object_node (o);
}

TgExperimentResults *
tg_session_comparison_from_json (JsonNode *node, const char *file, GError **error)
{
  g_autoptr (TgExperimentResults) res = g_new0 (TgExperimentResults, 1);
  g_autoptr (GError) local = NULL;
  JsonObject *o;
  JsonArray *runs, *overlaps;

  res->runs = g_array_new (FALSE, TRUE, sizeof (TgRunResult));
  res->overlaps = g_array_new (FALSE, TRUE, sizeof (TgOverlapResult));
  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    {
      g_set_error (error, TG_ERROR, TG_ERROR_FORMAT, "%s: “comparison” is not an object", file);
      return NULL;
    }
  o = json_node_get_object (node);
  if (!tg_fields_from_json (json_object_get_member (o, "config"), config_fields,
                         G_N_ELEMENTS (config_fields), file, "comparison config", &res->config,
                         error))
    return NULL;
  tg_experiment_config_validate (&res->config, &local);
  if (!settings_valid (file, "comparison", local, error))
    return NULL;
  if ((runs = array_member (o, "runs", file, 4096, error)) == NULL ||
      (overlaps = array_member (o, "overlaps", file, 4096, error)) == NULL)
    return NULL;
  g_array_set_size (res->runs, json_array_get_length (runs));
  for (guint i = 0; i < res->runs->len; i++)
    {
      TgRunResult *r = &g_array_index (res->runs, TgRunResult, i);
      if (!tg_fields_from_json (json_array_get_element (runs, i), run_fields,
                             G_N_ELEMENTS (run_fields), file, "comparison run", r, error))
        return NULL;
      if (r->seed_index >= res->config.seeds)
        return seed_out_of_range (file, "a comparison run", r->seed_index, res->config.seeds,
                                  error);
    }
  g_array_set_size (res->overlaps, json_array_get_length (overlaps));
  for (guint i = 0; i < res->overlaps->len; i++)
    {
      TgOverlapResult *ov = &g_array_index (res->overlaps, TgOverlapResult, i);
      if (!tg_fields_from_json (json_array_get_element (overlaps, i), overlap_fields,
                             G_N_ELEMENTS (overlap_fields), file, "comparison overlap", ov, error))
        return NULL;
      if (ov->n_layers > TG_MAX_LINEAR)
        {
          g_set_error (error, TG_ERROR, TG_ERROR_RANGE, "%s: an overlap has %u layers (at most %d)",
                       file, ov->n_layers, TG_MAX_LINEAR);
          return NULL;
        }
      if (ov->seed_index >= res->config.seeds)
        return seed_out_of_range (file, "an overlap", ov->seed_index, res->config.seeds, error);
    }
  if (!tg_session_json_number (o, "foundation_acc0", file, &res->foundation_acc0, error) ||
      !tg_session_json_number (o, "foundation_acc_target", file, &res->foundation_acc_rot, error))
    return NULL;
  return g_steal_pointer (&res);
}

static JsonArray *
doubles_array (const double *v, guint n)
{
  JsonArray *a = json_array_new ();
  for (guint i = 0; i < n; i++)
    json_array_add_element (a, tg_session_json_double (v[i]));
  return a;
}

JsonNode *
tg_session_sweep_to_json (const TgSweepResults *res)
{
  JsonObject *o = json_object_new ();
  JsonArray *points = json_array_new ();

  json_object_set_object_member (o, "config", tg_fields_to_json (config_fields,
                                 G_N_ELEMENTS (config_fields), &res->config.protocol));
  json_object_set_array_member (o, "lambdas", doubles_array (res->lambdas, res->config.n_lambdas));
  json_object_set_array_member (o, "sharpness",
                                doubles_array (res->sharpness, res->config.n_sharpness));
  json_object_set_int_member (o, "timing_images", res->config.timing_images);
  for (guint i = 0; i < res->points->len; i++)
    json_array_add_object_element (points, tg_fields_to_json (point_fields,
                                   G_N_ELEMENTS (point_fields),
                                   &g_array_index (res->points, TgSweepPoint, i)));
  json_object_set_array_member (o, "points", points);
  return object_node (o);
}

static double *
doubles_from_json (JsonObject *o, const char *key, const char *file, guint *n, GError **error)
{
  JsonArray *a = array_member (o, key, file, 64, error);
  g_autofree double *v = NULL;

  if (a == NULL)
    return NULL;
  *n = json_array_get_length (a);
  v = g_new0 (double, MAX (*n, 1));
  for (guint i = 0; i < *n; i++)
    {
      JsonNode *e = json_array_get_element (a, i);
      if (!JSON_NODE_HOLDS_VALUE (e) || (json_node_get_value_type (e) != G_TYPE_DOUBLE &&
                                         json_node_get_value_type (e) != G_TYPE_INT64) ||
          !isfinite (json_node_get_double (e)))
        {
          g_set_error (error, TG_ERROR, TG_ERROR_FORMAT, "%s: “%s” holds a value that is not a "
                       "finite number", file, key);
          return NULL;
        }
      v[i] = json_node_get_double (e);
    }
  return g_steal_pointer (&v);
}

TgSweepResults *
tg_session_sweep_from_json (JsonNode *node, const char *file, GError **error)
{
  g_autoptr (TgSweepResults) res = g_new0 (TgSweepResults, 1);
  g_autoptr (GError) local = NULL;
  JsonObject *o;
  JsonArray *points;
  double timing;

  res->points = g_array_new (FALSE, TRUE, sizeof (TgSweepPoint));
  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    {
      g_set_error (error, TG_ERROR, TG_ERROR_FORMAT, "%s: “sweep” is not an object", file);
      return NULL;
    }
  o = json_node_get_object (node);
  if (!tg_fields_from_json (json_object_get_member (o, "config"), config_fields,
                         G_N_ELEMENTS (config_fields), file, "sweep config",
                         &res->config.protocol, error))
    return NULL;
  if ((res->lambdas = doubles_from_json (o, "lambdas", file, &res->config.n_lambdas, error)) == NULL ||
      (res->sharpness = doubles_from_json (o, "sharpness", file, &res->config.n_sharpness,
                                           error)) == NULL)
    return NULL;
  res->config.lambdas = res->lambdas;
  res->config.sharpness = res->sharpness;
  if (!tg_session_json_number (o, "timing_images", file, &timing, error))
    return NULL;
  if (!(timing >= 0 && timing <= G_MAXUINT32))
    {
      g_set_error (error, TG_ERROR, TG_ERROR_RANGE, "%s: sweep timing_images %g is out of range",
                   file, timing);
      return NULL;
    }
  res->config.timing_images = (guint32) timing;
  tg_sweep_config_validate (&res->config, &local);
  if (!settings_valid (file, "sweep", local, error))
    return NULL;
  if ((points = array_member (o, "points", file, TG_SESSION_MAX_SWEEP_POINTS, error)) == NULL)
    return NULL;
  /* lambda-major, then s, then seed: the views take the points in blocks of `seeds` */
  if ((guint64) res->config.n_lambdas * res->config.n_sharpness * res->config.protocol.seeds !=
      json_array_get_length (points))
    {
      g_set_error (error, TG_ERROR, TG_ERROR_MISMATCH, "%s: the sweep has %u points, not one per "
                   "λ × s × seed (%u × %u × %u)", file, json_array_get_length (points),
                   res->config.n_lambdas, res->config.n_sharpness, res->config.protocol.seeds);
      return NULL;
    }
  g_array_set_size (res->points, json_array_get_length (points));
  for (guint i = 0; i < res->points->len; i++)
    {
      TgSweepPoint *p = &g_array_index (res->points, TgSweepPoint, i);
      if (!tg_fields_from_json (json_array_get_element (points, i), point_fields,
                             G_N_ELEMENTS (point_fields), file, "sweep point", p, error))
        return NULL;
      if (p->n_layers > TG_MAX_LINEAR)
        {
          g_set_error (error, TG_ERROR, TG_ERROR_RANGE, "%s: a sweep point has %u layers (at "
                       "most %d)", file, p->n_layers, TG_MAX_LINEAR);
          return NULL;
        }
      if (p->seed_index != i % res->config.protocol.seeds)
        return seed_out_of_range (file, "a sweep point out of its place", p->seed_index,
                                  res->config.protocol.seeds, error);
    }
  return g_steal_pointer (&res);
}
