/* SPDX-License-Identifier: MIT */
/* tg-session-results.c — the paper comparison and the λ sweep as JSON, for session.json.
 *
 * Each struct is written member by member from a table of its fields (name, type, offset),
 * so that writing and reading cannot drift apart; reading checks every field's type and
 * range, the settings as the protocol validates them (they size what the views allocate, a
 * sweep's seeds for one), and that the runs and points are the ones those settings make.
 * NaN is null. Per-layer arrays are written whole (TG_MAX_LINEAR entries). */
#include "tg-session.h"

#include <math.h>
#include <stddef.h>
#include <string.h>

typedef enum {
  F_U32, F_U64, F_SIZE, F_F32, F_F64, F_BOOL, F_METHOD, F_NAME128, F_F64_LAYERS, F_U32_LAYERS
} FieldType;

typedef struct {
  const char *name;
  FieldType   type;
  size_t      offset;
} Field;

static const Field config_fields[] = {
  { "seeds", F_U32, offsetof (TgExperimentConfig, seeds) },
  { "seed0", F_U64, offsetof (TgExperimentConfig, seed0) },
  { "angle", F_F64, offsetof (TgExperimentConfig, angle) },
  { "foundation_epochs", F_U32, offsetof (TgExperimentConfig, foundation_epochs) },
  { "adapt_epochs", F_U32, offsetof (TgExperimentConfig, adapt_epochs) },
  { "lr", F_F32, offsetof (TgExperimentConfig, lr) },
  { "momentum", F_F32, offsetof (TgExperimentConfig, momentum) },
  { "sharpness", F_F32, offsetof (TgExperimentConfig, sharpness) },
  { "lambda", F_F32, offsetof (TgExperimentConfig, lambda) },
  { "batch", F_U32, offsetof (TgExperimentConfig, batch) },
  { "n_hidden", F_U32, offsetof (TgExperimentConfig, n_hidden) },
  { "width", F_U32, offsetof (TgExperimentConfig, width) },
  { "lora_rank", F_U32, offsetof (TgExperimentConfig, lora_rank) },
  { "lora_alpha", F_F32, offsetof (TgExperimentConfig, lora_alpha) },
  { "high_act_samples", F_U32, offsetof (TgExperimentConfig, high_act_samples) },
  { "on_threshold", F_F32, offsetof (TgExperimentConfig, on_threshold) },
  { "methods", F_U32, offsetof (TgExperimentConfig, methods) },
  { "overlap", F_BOOL, offsetof (TgExperimentConfig, overlap) },
  { "train_limit", F_U32, offsetof (TgExperimentConfig, train_limit) },
  { "test_limit", F_U32, offsetof (TgExperimentConfig, test_limit) },
  { "no_reuse", F_BOOL, offsetof (TgExperimentConfig, no_reuse) },
  { "threads", F_U32, offsetof (TgExperimentConfig, threads) },
  { "data_name", F_NAME128, offsetof (TgExperimentConfig, data_name) },
  { "data_is_mnist", F_BOOL, offsetof (TgExperimentConfig, data_is_mnist) },
};

static const Field run_fields[] = {
  { "seed_index", F_U32, offsetof (TgRunResult, seed_index) },
  { "seed", F_U64, offsetof (TgRunResult, seed) },
  { "method", F_METHOD, offsetof (TgRunResult, method) },
  { "target_angle", F_F64, offsetof (TgRunResult, target_angle) },
  { "params", F_SIZE, offsetof (TgRunResult, params) },
  { "acc0", F_F64, offsetof (TgRunResult, acc0) },
  { "acc_target", F_F64, offsetof (TgRunResult, acc_rot) },
  { "acc0_hard", F_F64, offsetof (TgRunResult, acc0_hard) },
  { "acc_target_hard", F_F64, offsetof (TgRunResult, acc_rot_hard) },
  { "high_act", F_F64, offsetof (TgRunResult, high_act) },
  { "final_loss", F_F64, offsetof (TgRunResult, final_loss) },
  { "final_ce", F_F64, offsetof (TgRunResult, final_ce) },
  { "collapsed", F_BOOL, offsetof (TgRunResult, collapsed) },
};

static const Field overlap_fields[] = {
  { "seed_index", F_U32, offsetof (TgOverlapResult, seed_index) },
  { "n_layers", F_U32, offsetof (TgOverlapResult, n_layers) },
  { "jaccard", F_F64_LAYERS, offsetof (TgOverlapResult, jaccard) },
  { "on0", F_U32_LAYERS, offsetof (TgOverlapResult, on0) },
  { "on_target", F_U32_LAYERS, offsetof (TgOverlapResult, on_rot) },
};

static const Field point_fields[] = {
  { "lambda", F_F64, offsetof (TgSweepPoint, lambda) },
  { "sharpness", F_F64, offsetof (TgSweepPoint, sharpness) },
  { "seed_index", F_U32, offsetof (TgSweepPoint, seed_index) },
  { "seed", F_U64, offsetof (TgSweepPoint, seed) },
  { "acc0_soft", F_F64, offsetof (TgSweepPoint, acc0_soft) },
  { "acc0_hard", F_F64, offsetof (TgSweepPoint, acc0_hard) },
  { "acc_target_soft", F_F64, offsetof (TgSweepPoint, acc_rot_soft) },
  { "acc_target_hard", F_F64, offsetof (TgSweepPoint, acc_rot_hard) },
  { "mean_gate", F_F64, offsetof (TgSweepPoint, mean_gate) },
  { "n_layers", F_U32, offsetof (TgSweepPoint, n_layers) },
  { "on_frac", F_F64_LAYERS, offsetof (TgSweepPoint, on_frac) },
  { "madds_sparse", F_F64, offsetof (TgSweepPoint, madds_sparse) },
  { "madds_dense", F_F64, offsetof (TgSweepPoint, madds_dense) },
  { "identical", F_U32, offsetof (TgSweepPoint, identical) },
  { "n_test", F_U32, offsetof (TgSweepPoint, n_test) },
  { "ties", F_U32, offsetof (TgSweepPoint, ties) },
  { "dense_p50_us", F_F64, offsetof (TgSweepPoint, dense_p50_us) },
  { "sparse_p50_us", F_F64, offsetof (TgSweepPoint, sparse_p50_us) },
  { "speedup", F_F64, offsetof (TgSweepPoint, speedup) },
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

static JsonNode *
uint_node (guint64 v)
{
  JsonNode *node = json_node_new (JSON_NODE_VALUE);
  if (v > G_MAXINT64)
    {
      g_autofree char *s = g_strdup_printf ("%" G_GUINT64_FORMAT, v);
      json_node_set_string (node, s);
    }
  else
    json_node_set_int (node, (gint64) v);
  return node;
}

static JsonObject *
fields_to_json (const Field *fields, guint n, const void *base)
{
  JsonObject *o = json_object_new ();
  const guint8 *p = base;

  for (guint i = 0; i < n; i++)
    {
      const Field *f = &fields[i];
      const void *at = p + f->offset;
      JsonArray *a;
      switch (f->type)
        {
        case F_U32: json_object_set_member (o, f->name, uint_node (*(const guint32 *) at)); break;
        case F_U64: json_object_set_member (o, f->name, uint_node (*(const guint64 *) at)); break;
        case F_SIZE: json_object_set_member (o, f->name, uint_node (*(const size_t *) at)); break;
        case F_F32:
          json_object_set_member (o, f->name, tg_session_json_double (*(const float *) at));
          break;
        case F_F64:
          json_object_set_member (o, f->name, tg_session_json_double (*(const double *) at));
          break;
        case F_BOOL: json_object_set_boolean_member (o, f->name, *(const gboolean *) at); break;
        case F_METHOD:
          json_object_set_string_member (o, f->name, tg_method_info (*(const TgMethod *) at)->id);
          break;
        case F_NAME128: json_object_set_string_member (o, f->name, (const char *) at); break;
        case F_F64_LAYERS:
          a = json_array_new ();
          for (guint l = 0; l < TG_MAX_LINEAR; l++)
            json_array_add_element (a, tg_session_json_double (((const double *) at)[l]));
          json_object_set_array_member (o, f->name, a);
          break;
        case F_U32_LAYERS:
          a = json_array_new ();
          for (guint l = 0; l < TG_MAX_LINEAR; l++)
            json_array_add_element (a, uint_node (((const guint32 *) at)[l]));
          json_object_set_array_member (o, f->name, a);
          break;
        default:
          g_assert_not_reached ();
        }
    }
  return o;
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

/* A whole number in [0, max]: an integer, or a string of digits (past G_MAXINT64). */
static gboolean
json_uint (JsonNode *node, const char *key, const char *file, guint64 max, guint64 *out,
           GError **error)
{
  GType t = node != NULL && JSON_NODE_HOLDS_VALUE (node) ? json_node_get_value_type (node)
                                                         : G_TYPE_INVALID;
  if (t == G_TYPE_INT64 && json_node_get_int (node) >= 0 &&
      (guint64) json_node_get_int (node) <= max)
    {
      *out = (guint64) json_node_get_int (node);
      return TRUE;
    }
  if (t == G_TYPE_STRING &&
      g_ascii_string_to_unsigned (json_node_get_string (node), 10, 0, max, out, NULL))
    return TRUE;
  g_set_error (error, TG_ERROR, TG_ERROR_FORMAT, "%s: “%s” is %s, not a whole number up to %"
               G_GUINT64_FORMAT, file, key, node == NULL ? "missing" : "out of range or of another type",
               max);
  return FALSE;
}

static gboolean
layers_from_json (JsonObject *o, const Field *f, const char *file, void *at, GError **error)
{
  JsonArray *a = NULL;
  JsonNode *node = json_object_get_member (o, f->name);

  if (node != NULL && JSON_NODE_HOLDS_ARRAY (node))
    a = json_node_get_array (node);
  if (a == NULL || json_array_get_length (a) != TG_MAX_LINEAR)
    {
      g_set_error (error, TG_ERROR, TG_ERROR_FORMAT, "%s: “%s” is not an array of %d numbers",
                   file, f->name, TG_MAX_LINEAR);
      return FALSE;
    }
  for (guint l = 0; l < TG_MAX_LINEAR; l++)
    {
      JsonNode *e = json_array_get_element (a, l);
      guint64 u;
      if (f->type == F_U32_LAYERS)
        {
          if (!json_uint (e, f->name, file, G_MAXUINT32, &u, error))
            return FALSE;
          ((guint32 *) at)[l] = (guint32) u;
        }
      else if (JSON_NODE_HOLDS_NULL (e))
        ((double *) at)[l] = NAN;
      else if (JSON_NODE_HOLDS_VALUE (e) && (json_node_get_value_type (e) == G_TYPE_DOUBLE ||
                                             json_node_get_value_type (e) == G_TYPE_INT64))
        ((double *) at)[l] = json_node_get_double (e);
      else
        {
          g_set_error (error, TG_ERROR, TG_ERROR_FORMAT, "%s: “%s” holds a value that is not a "
                       "number", file, f->name);
          return FALSE;
        }
    }
  return TRUE;
}

static gboolean
field_from_json (JsonObject *o, const Field *f, const char *file, void *at, GError **error)
{
  JsonNode *node = json_object_get_member (o, f->name);
  guint64 u;
  double d;
  const char *s;

  switch (f->type)
    {
    case F_U32:
      if (!json_uint (node, f->name, file, G_MAXUINT32, &u, error))
        return FALSE;
      *(guint32 *) at = (guint32) u;
      return TRUE;
    case F_U64:
    case F_SIZE:
      if (!json_uint (node, f->name, file, f->type == F_SIZE ? G_MAXSIZE : G_MAXUINT64, &u, error))
        return FALSE;
      if (f->type == F_SIZE)
        *(size_t *) at = (size_t) u;
      else
        *(guint64 *) at = u;
      return TRUE;
    case F_F32:
    case F_F64:
      if (!tg_session_json_number (o, f->name, file, &d, error))
        return FALSE;
      if (f->type == F_F32)
        *(float *) at = (float) d;
      else
        *(double *) at = d;
      return TRUE;
    case F_BOOL:
      if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) ||
          json_node_get_value_type (node) != G_TYPE_BOOLEAN)
        break;
      *(gboolean *) at = json_node_get_boolean (node);
      return TRUE;
    case F_METHOD:
    case F_NAME128:
      s = node != NULL && JSON_NODE_HOLDS_VALUE (node) &&
          json_node_get_value_type (node) == G_TYPE_STRING ? json_node_get_string (node) : NULL;
      if (s != NULL && f->type == F_METHOD && tg_method_from_string (s, at))
        return TRUE;
      if (s != NULL && f->type == F_NAME128 && strlen (s) < 128 && g_utf8_validate (s, -1, NULL))
        {
          g_strlcpy (at, s, 128);
          return TRUE;
        }
      break;
    case F_F64_LAYERS:
    case F_U32_LAYERS:
      return layers_from_json (o, f, file, at, error);
    default:
      g_assert_not_reached ();
    }
  g_set_error (error, TG_ERROR, TG_ERROR_FORMAT, "%s: “%s” is missing or not a valid %s", file,
               f->name, f->type == F_BOOL ? "boolean" : f->type == F_METHOD ? "method" : "name");
  return FALSE;
}

static gboolean
fields_from_json (JsonNode *node, const Field *fields, guint n, const char *file,
                  const char *what, void *base, GError **error)
{
  JsonObject *o;

  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    {
      g_set_error (error, TG_ERROR, TG_ERROR_FORMAT, "%s: %s is not an object", file, what);
      return FALSE;
    }
  o = json_node_get_object (node);
  for (guint i = 0; i < n; i++)
    if (!field_from_json (o, &fields[i], file, (guint8 *) base + fields[i].offset, error))
      {
        g_prefix_error (error, "%s: ", what);
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

  json_object_set_object_member (o, "config", fields_to_json (config_fields,
                                 G_N_ELEMENTS (config_fields), &res->config));
  for (guint i = 0; i < res->runs->len; i++)
    json_array_add_object_element (runs, fields_to_json (run_fields, G_N_ELEMENTS (run_fields),
                                   &g_array_index (res->runs, TgRunResult, i)));
  for (guint i = 0; res->overlaps != NULL && i < res->overlaps->len; i++)
    json_array_add_object_element (overlaps, fields_to_json (overlap_fields,
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
  if (!fields_from_json (json_object_get_member (o, "config"), config_fields,
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
      if (!fields_from_json (json_array_get_element (runs, i), run_fields,
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
      if (!fields_from_json (json_array_get_element (overlaps, i), overlap_fields,
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

  json_object_set_object_member (o, "config", fields_to_json (config_fields,
                                 G_N_ELEMENTS (config_fields), &res->config.protocol));
  json_object_set_array_member (o, "lambdas", doubles_array (res->lambdas, res->config.n_lambdas));
  json_object_set_array_member (o, "sharpness",
                                doubles_array (res->sharpness, res->config.n_sharpness));
  json_object_set_int_member (o, "timing_images", res->config.timing_images);
  for (guint i = 0; i < res->points->len; i++)
    json_array_add_object_element (points, fields_to_json (point_fields,
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
  if (!fields_from_json (json_object_get_member (o, "config"), config_fields,
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
      if (!fields_from_json (json_array_get_element (points, i), point_fields,
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
