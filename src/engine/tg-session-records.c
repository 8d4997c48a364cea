/* tg-session-records.c — a session's per-step records written beside the rest and read back
 * as untrusted input (the layout is in tg-session-records.h): the two tables through the
 * session's strict CSV reader, the arrays through the strict safetensors reader, then every
 * bound checked before anything is kept; an error names the file and the fault. */
#include "tg-session-records.h"

#include <math.h>
#include <string.h>

#include "tg-safetensors.h"
#include "tg-session-private.h"

static void
tensor_free (TgSessionTensor *t)
{
  g_free (t->name);
  g_free (t->values);
  g_free (t);
}

TgSessionRecords *
tg_session_records_new (const char *const *param_columns, const char *const *mask_columns)
{
  TgSessionRecords *r = g_new0 (TgSessionRecords, 1);
  r->metadata = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  r->tensors = g_ptr_array_new_with_free_func ((GDestroyNotify) tensor_free);
  r->params = tg_session_table_new (param_columns);
  r->masks = tg_session_table_new (mask_columns);
  return r;
}

void
tg_session_records_free (TgSessionRecords *r)
{
  if (r == NULL)
    return;
  g_hash_table_unref (r->metadata);
  g_ptr_array_unref (r->tensors);
  tg_session_table_free (r->params);
  tg_session_table_free (r->masks);
  g_free (r);
}

void
tg_session_records_add_tensor (TgSessionRecords *r, const char *name, guint ndim,
                               const guint64 *shape, const float *values)
{
  TgSessionTensor *t = g_new0 (TgSessionTensor, 1);
  guint64 n = 1;

  g_return_if_fail (ndim >= 1 && ndim <= G_N_ELEMENTS (t->shape));
  t->name = g_strdup (name);
  t->ndim = ndim;
  for (guint d = 0; d < ndim; d++)
    n *= t->shape[d] = shape[d];
  t->values = g_memdup2 (values, MAX (n, 1) * sizeof (float));
  g_ptr_array_add (r->tensors, t);
}

const TgSessionTensor *
tg_session_records_get_tensor (const TgSessionRecords *r, const char *name)
{
  for (guint i = 0; i < r->tensors->len; i++)
    {
      const TgSessionTensor *t = g_ptr_array_index (r->tensors, i);
      if (strcmp (t->name, name) == 0)
        return t;
    }
  return NULL;
}

/* ---- writing ---------------------------------------------------------------------------- */

static gboolean
write_csv (const char *dir, const char *name, const TgSessionTable *table, GError **error)
{
  g_autofree char *path = g_build_filename (dir, name, NULL);
  g_autofree char *text = tg_session_table_to_csv (table);
  return g_file_set_contents_full (path, text, -1, G_FILE_SET_CONTENTS_CONSISTENT, 0644, error);
}

gboolean
tg_session_records_write (const TgSessionRecords *r, const char *dir, JsonObject *root,
                          GError **error)
{
  g_autofree char *path = NULL;
  g_autofree TgSafetensorsOut *out = NULL;
  JsonObject *o;

  if (r == NULL)
    {
      json_object_set_null_member (root, "records");
      return TRUE;
    }
  /* what the reader would refuse is not written */
  if (tg_session_table_n_rows (r->params) > TG_SESSION_MAX_RECORDS ||
      tg_session_table_n_rows (r->masks) > TG_SESSION_MAX_RECORDS ||
      r->tensors->len > TG_SESSION_MAX_RECORD_TENSORS)
    {
      g_set_error (error, TG_ERROR, TG_ERROR_INVALID, "%s: the records hold more than %d rows "
                   "a table or %d arrays", dir, TG_SESSION_MAX_RECORDS,
                   TG_SESSION_MAX_RECORD_TENSORS);
      return FALSE;
    }
  out = g_new0 (TgSafetensorsOut, MAX (r->tensors->len, 1));
  for (guint i = 0; i < r->tensors->len; i++)
    {
      const TgSessionTensor *t = g_ptr_array_index (r->tensors, i);
      guint64 n = 1;
      for (guint d = 0; d < t->ndim; d++)
        n *= t->shape[d];
      for (guint64 j = 0; j < n; j++)
        if (!isfinite (t->values[j]))
          {
            g_set_error (error, TG_ERROR, TG_ERROR_RANGE, "%s: record array %s holds a value "
                         "that is not finite", dir, t->name);
            return FALSE;
          }
      out[i].name = t->name;
      out[i].ndim = t->ndim;
      memcpy (out[i].shape, t->shape, t->ndim * sizeof (guint64));
      out[i].values = t->values;
    }
  path = g_build_filename (dir, TG_SESSION_RECORDS_TENSORS, NULL);
  if (!tg_safetensors_write (path, r->metadata, out, r->tensors->len, error) ||
      !write_csv (dir, TG_SESSION_RECORDS_PARAMS, r->params, error) ||
      !write_csv (dir, TG_SESSION_RECORDS_MASKS, r->masks, error))
    return FALSE;
  o = json_object_new ();
  json_object_set_string_member (o, "tensors", TG_SESSION_RECORDS_TENSORS);
  json_object_set_string_member (o, "params", TG_SESSION_RECORDS_PARAMS);
  json_object_set_string_member (o, "masks", TG_SESSION_RECORDS_MASKS);
  json_object_set_object_member (root, "records", o);
  return TRUE;
}

/* ---- reading ---------------------------------------------------------------------------- */

static const struct { const char *key, *name; } record_files[] = {
  { "tensors", TG_SESSION_RECORDS_TENSORS },
  { "params", TG_SESSION_RECORDS_PARAMS },
  { "masks", TG_SESSION_RECORDS_MASKS },
};

/* root's "records" object when its members name our three files, else NULL */
static JsonObject *
records_member (JsonObject *root)
{
  JsonNode *n = json_object_get_member (root, "records");
  JsonObject *o = n != NULL && JSON_NODE_HOLDS_OBJECT (n) ? json_node_get_object (n) : NULL;

  for (guint i = 0; o != NULL && i < G_N_ELEMENTS (record_files); i++)
    {
      JsonNode *m = json_object_get_member (o, record_files[i].key);
      if (m == NULL || !JSON_NODE_HOLDS_VALUE (m) || json_node_get_value_type (m) != G_TYPE_STRING ||
          strcmp (json_node_get_string (m), record_files[i].name) != 0)
        o = NULL;
    }
  return o;
}

void
tg_session_records_list (JsonObject *root, GHashTable *files)
{
  if (records_member (root) == NULL)
    return;
  for (guint i = 0; i < G_N_ELEMENTS (record_files); i++)
    g_hash_table_add (files, g_strdup (record_files[i].name));
}

static gboolean
bad (GError **error, const char *file, const char *what, const char *name)
{
  g_autofree char *quoted = name != NULL ? tg_excerpt (name, -1) : NULL;
  g_set_error (error, TG_ERROR, TG_ERROR_FORMAT, "%s: %s%s%s%s", file, what,
               quoted != NULL ? " (“" : "", quoted != NULL ? quoted : "",
               quoted != NULL ? "”)" : "");
  return FALSE;
}

/* The arrays of st into r, each named for its table and as long as it in its first
 * dimension; the metadata bounded like the view's. */
static gboolean
take_tensors (TgSessionRecords *r, const TgSafetensors *st, const char *path, GError **error)
{
  GHashTableIter it;
  gpointer k, v;

  g_hash_table_iter_init (&it, st->metadata);
  while (g_hash_table_iter_next (&it, &k, &v))
    if (strlen (k) > TG_SESSION_MAX_NAME || strlen (v) > TG_SESSION_MAX_STRING)
      return bad (error, path, "a metadata entry is longer than a session holds", k);
  g_hash_table_unref (r->metadata);
  r->metadata = tg_safetensors_dup_metadata (st);
  for (guint i = 0; i < st->tensors->len; i++)
    {
      const TgSafetensorsTensor *t = g_ptr_array_index (st->tensors, i);
      guint64 rows;
      if (t->ndim < 1 || t->ndim > 4)
        return bad (error, path, "an array has not 1 to 4 dimensions", t->name);
      if (g_str_has_prefix (t->name, "params."))
        rows = tg_session_table_n_rows (r->params);
      else if (g_str_has_prefix (t->name, "masks."))
        rows = tg_session_table_n_rows (r->masks);
      else if (g_str_has_prefix (t->name, "weights."))
        rows = t->shape[0];
      else
        return bad (error, path, "an array is named neither params.*, masks.* nor weights.*",
                    t->name);
      if (t->shape[0] != rows)
        return bad (error, path, "an array's first dimension is not the number of rows of "
                    "its records table", t->name);
      g_autofree float *values = g_malloc ((gsize) (t->end - t->begin) + 4);
      tg_safetensors_copy_f32 (st, t, values);
      tg_session_records_add_tensor (r, t->name, t->ndim, t->shape, values);
    }
  return TRUE;
}

gboolean
tg_session_records_read (TgSession *s, JsonObject *root, const char *folder, const char *json,
                         GError **error)
{
  JsonNode *n = json_object_get_member (root, "records");
  g_autoptr (TgSessionRecords) r = NULL;
  g_autoptr (TgSafetensors) st = NULL;
  g_autofree char *tensors = g_build_filename (folder, TG_SESSION_RECORDS_TENSORS, NULL);
  g_autofree char *params = g_build_filename (folder, TG_SESSION_RECORDS_PARAMS, NULL);
  g_autofree char *masks = g_build_filename (folder, TG_SESSION_RECORDS_MASKS, NULL);

  if (n == NULL || JSON_NODE_HOLDS_NULL (n))
    return TRUE;
  if (records_member (root) == NULL)
    return bad (error, json, "“records” is neither null nor {\"tensors\": \""
                TG_SESSION_RECORDS_TENSORS "\", \"params\": \"" TG_SESSION_RECORDS_PARAMS
                "\", \"masks\": \"" TG_SESSION_RECORDS_MASKS "\"}", NULL);
  for (guint i = 0; i < G_N_ELEMENTS (record_files); i++)
    if (!tg_session_check_links (folder, NULL, record_files[i].name, error))
      return FALSE;
  r = g_new0 (TgSessionRecords, 1);
  r->metadata = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  r->tensors = g_ptr_array_new_with_free_func ((GDestroyNotify) tensor_free);
  if ((r->params = tg_session_table_read_csv (params, NULL, error)) == NULL ||
      (r->masks = tg_session_table_read_csv (masks, NULL, error)) == NULL)
    return FALSE;
  if (tg_session_table_n_rows (r->params) > TG_SESSION_MAX_RECORDS)
    return bad (error, params, "more rows than a session keeps (4096)", NULL);
  if (tg_session_table_n_rows (r->masks) > TG_SESSION_MAX_RECORDS)
    return bad (error, masks, "more rows than a session keeps (4096)", NULL);
  if ((st = tg_safetensors_read (tensors, TG_SESSION_MAX_RECORD_TENSORS, error)) == NULL ||
      !take_tensors (r, st, tensors, error))
    return FALSE;
  s->records = g_steal_pointer (&r);
  return TRUE;
}
