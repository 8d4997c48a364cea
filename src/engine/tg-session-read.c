/* tg-session-read.c — reading a session folder as untrusted input: session.json passes the
 * strict JSON gate (tg-json.h) before json-glib sees it; its format, version and the type of
 * every member are checked, names and labels are bounded, file names it gives must be plain
 * names inside the folder (no symbolic link leading out of it: tg-session-files.c), and every
 * file goes through its strict reader (CSV in tg-session-table.c, safetensors and checkpoints
 * through theirs). The first fault ends the read, naming the file; what a message quotes of
 * the file is a short excerpt. */
#include "tg-session.h"

#include <math.h>
#include <string.h>

#include "tg-checkpoint.h"
#include "tg-json.h"
#include "tg-safetensors.h"
#include "tg-session-private.h"
#include "tg-session-records.h"

static const char *const curve_columns[] = { "step", "loss", "acc0", "acc_target", NULL };
static const char *const full_columns[] = { "step", "acc0", "acc_target", NULL };

static gboolean
fail (GError **error, const char *file, const char *what)
{
  g_set_error (error, TG_ERROR, TG_ERROR_FORMAT, "%s: %s", file, what);
  return FALSE;
}

static const char *
string_member (JsonObject *o, const char *key)
{
  JsonNode *n = json_object_get_member (o, key);
  if (n == NULL || !JSON_NODE_HOLDS_VALUE (n) || json_node_get_value_type (n) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (n);
}

/* A string member of at most TG_SESSION_MAX_NAME bytes (a name, a label), or NULL. */
static const char *
name_member (JsonObject *o, const char *key)
{
  const char *name = string_member (o, key);
  return name != NULL && strlen (name) <= TG_SESSION_MAX_NAME ? name : NULL;
}

static JsonObject *
object_member (JsonObject *o, const char *key)
{
  JsonNode *n = json_object_get_member (o, key);
  return n != NULL && JSON_NODE_HOLDS_OBJECT (n) ? json_node_get_object (n) : NULL;
}

static gboolean
is_null_member (JsonObject *o, const char *key)
{
  JsonNode *n = json_object_get_member (o, key);
  return n == NULL || JSON_NODE_HOLDS_NULL (n);
}

/* o's member key when it is a plain file name, else NULL. */
static const char *
plain_name (JsonObject *o, const char *key)
{
  const char *name = string_member (o, key);
  gboolean ok = name != NULL && name[0] != '.' && strlen (name) <= 200;

  for (const char *p = name; ok && *p != '\0'; p++)
    ok = g_ascii_isalnum (*p) || strchr ("-_.+", *p) != NULL;
  return ok ? name : NULL;
}

/* A plain file name from session.json, under sub of folder: the path, or NULL with error. */
static char *
file_in (const char *folder, const char *sub, JsonObject *o, const char *key, const char *json,
         GError **error)
{
  const char *name = plain_name (o, key);
  g_autofree char *path = NULL;

  if (name == NULL)
    {
      g_set_error (error, TG_ERROR, TG_ERROR_FORMAT, "%s: “%s” is not a plain file name in the "
                   "session folder", json, key);
      return NULL;
    }
  path = g_build_filename (folder, sub != NULL ? sub : name, sub != NULL ? name : NULL, NULL);
  if (!tg_session_check_links (folder, sub, name, error))
    return NULL;
  return g_steal_pointer (&path);
}

static TgSessionRun *
read_run (JsonNode *node, const char *folder, const char *json, guint index, GError **error)
{
  g_autofree char *where = g_strdup_printf ("%s: run %u", json, index + 1);
  JsonObject *o = node != NULL && JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node)
                                                                : NULL;
  JsonObject *info = o != NULL ? object_member (o, "info") : NULL;
  JsonNode *mk = o != NULL ? json_object_get_member (o, "markers") : NULL;
  g_autofree char *curves = NULL, *full = NULL, *gates = NULL;
  TgSessionRun *run;

  if (o == NULL || name_member (o, "name") == NULL || info == NULL || mk == NULL ||
      !JSON_NODE_HOLDS_ARRAY (mk) ||
      json_array_get_length (json_node_get_array (mk)) > TG_SESSION_MAX_MARKERS)
    {
      fail (error, where, "not an object with a name (at most " G_STRINGIFY (TG_SESSION_MAX_NAME)
            " bytes), an info object and a markers array (at most "
            G_STRINGIFY (TG_SESSION_MAX_MARKERS) ")");
      return NULL;
    }
  if ((curves = file_in (folder, "runs", o, "curves", where, error)) == NULL ||
      (full = file_in (folder, "runs", o, "full", where, error)) == NULL ||
      (!is_null_member (o, "gates") &&
       (gates = file_in (folder, "runs", o, "gates", where, error)) == NULL))
    return NULL;

  run = tg_session_run_new (string_member (o, "name"));
  json_object_unref (run->info);
  run->info = json_object_ref (info);
  for (guint i = 0; i < json_array_get_length (json_node_get_array (mk)); i++)
    {
      JsonNode *e = json_array_get_element (json_node_get_array (mk), i);
      JsonObject *m = JSON_NODE_HOLDS_OBJECT (e) ? json_node_get_object (e) : NULL;
      double step;
      if (m == NULL || name_member (m, "label") == NULL ||
          !tg_session_json_number (m, "step", where, &step, NULL))
        {
          tg_session_run_free (run);
          fail (error, where, "a marker is not {\"step\": number, \"label\": string of at most "
                G_STRINGIFY (TG_SESSION_MAX_NAME) " bytes}");
          return NULL;
        }
      tg_session_run_add_marker (run, step, name_member (m, "label"));
    }
  g_clear_pointer (&run->curves, tg_session_table_free);
  g_clear_pointer (&run->full, tg_session_table_free);
  if ((run->curves = tg_session_table_read_csv (curves, curve_columns, error)) == NULL ||
      (run->full = tg_session_table_read_csv (full, full_columns, error)) == NULL ||
      (gates != NULL && (run->gates = tg_session_table_read_csv (gates, NULL, error)) == NULL))
    {
      tg_session_run_free (run);
      return NULL;
    }
  return run;
}

static gboolean
read_modes (TgSession *s, JsonObject *o, const char *folder, const char *json, GError **error)
{
  g_autofree char *foundation = file_in (folder, NULL, o, "foundation", json, error);
  JsonNode *list_node = json_object_get_member (o, "list");
  JsonArray *list;
  double active;

  if (foundation == NULL)
    return FALSE;
  if (list_node == NULL || !JSON_NODE_HOLDS_ARRAY (list_node) ||
      json_array_get_length (json_node_get_array (list_node)) == 0)
    return fail (error, json, "“modes” has no list of modes (Base first)");
  list = json_node_get_array (list_node);
  if (json_array_get_length (list) > TG_SESSION_MAX_MODES)
    return fail (error, json, "“modes” lists more modes than a session may hold");
  if (!tg_session_json_number (o, "active", json, &active, error))
    return FALSE;
  if (!(active >= 0 && active < json_array_get_length (list)))
    return fail (error, json, "the active mode is not one of the list");
  if ((s->modes = tg_modes_new_from_file (foundation, error)) == NULL)
    return FALSE;
  g_autoptr (GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  guint active_at = (guint) active;  /* its index once the modes left out are gone */
  for (guint i = 0; i < json_array_get_length (list); i++)
    {
      JsonNode *e = json_array_get_element (list, i);
      JsonObject *m = JSON_NODE_HOLDS_OBJECT (e) ? json_node_get_object (e) : NULL;
      g_autofree char *path = NULL;
      g_autoptr (GError) local = NULL;
      const char *name = m != NULL ? name_member (m, "name") : NULL;
      const char *method = m != NULL ? string_member (m, "method") : NULL;
      double angle, sharpness;
      TgMethod want;
      guint index = 0;
      TgMode *mode;

      if (name == NULL || method == NULL || !tg_method_from_string (method, &want) ||
          !tg_session_json_number (m, "target_angle", json, &angle, NULL) ||
          !tg_session_json_number (m, "sharpness", json, &sharpness, NULL) || !(sharpness > 0))
        return fail (error, json, "a mode lacks a name (at most " G_STRINGIFY (TG_SESSION_MAX_NAME)
                     " bytes), a known method, a target angle or a positive sharpness");
      if (i > 0)
        {
          if ((path = file_in (folder, "adapters", m, "file", json, error)) == NULL)
            return FALSE;
          if (!g_hash_table_add (seen, g_strdup (path)))
            return fail (error, json, "two modes name the same adapter file");
          /* an adapter file lost or broken leaves its mode out, not the whole session */
          index = tg_modes_attach_file (s->modes, path, TRUE, &local);
          if (index > 0 && tg_modes_get (s->modes, index)->method != want)
            {
              g_set_error (&local, TG_ERROR, TG_ERROR_MISMATCH, "%s: holds a %s adapter, "
                           "not the %s the session lists", path,
                           tg_method_info (tg_modes_get (s->modes, index)->method)->id, method);
              tg_modes_remove (s->modes, index);
              index = 0;
            }
          if (index == 0)
            {
              g_autofree char *quoted = tg_excerpt (name, -1);
              g_ptr_array_add (s->left_out, g_strdup_printf ("“%s” (%s)", quoted,
                                                             local->message));
              if (i == (guint) active)
                active_at = 0;
              else if (i < (guint) active && active_at > 0)
                active_at--;
              continue;
            }
        }
      mode = tg_modes_get (s->modes, index);
      if (mode->method != want)
        {
          g_autofree char *quoted = tg_excerpt (name, -1);
          g_set_error (error, TG_ERROR, TG_ERROR_MISMATCH, "%s: mode “%s” is %s in %s, but its "
                       "file holds %s", json, quoted, method, json,
                       tg_method_info (mode->method)->id);
          return FALSE;
        }
      tg_modes_rename (s->modes, index, name);
      mode->target_angle = angle;
      mode->sharpness = (float) sharpness;
    }
  s->active_mode = active_at;
  return TRUE;
}

/* The view's metadata are strings of the session too: keys are names, values at most a path. */
static gboolean
view_metadata_bounded (const TgSafetensors *st, const char *view, GError **error)
{
  GHashTableIter it;
  gpointer k, v;

  g_hash_table_iter_init (&it, st->metadata);
  while (g_hash_table_iter_next (&it, &k, &v))
    if (strlen (k) > TG_SESSION_MAX_NAME || strlen (v) > TG_SESSION_MAX_STRING)
      {
        g_autofree char *quoted = tg_excerpt (k, -1);
        g_set_error (error, TG_ERROR, TG_ERROR_FORMAT, "%s: the metadata “%s” is longer than a "
                     "session holds (keys %d bytes, values %d)", view, quoted,
                     TG_SESSION_MAX_NAME, TG_SESSION_MAX_STRING);
        return FALSE;
      }
  return TRUE;
}

static gboolean
read_view (TgSession *s, JsonObject *root, const char *folder, const char *json, GError **error)
{
  g_autofree char *view = file_in (folder, NULL, root, "view", json, error);
  g_autoptr (TgSafetensors) st = NULL;
  JsonObject *vm;

  if (view == NULL || (st = tg_safetensors_read (view, 256, error)) == NULL)
    return FALSE;
  if (!view_metadata_bounded (st, view, error))
    return FALSE;
  g_hash_table_unref (s->view_metadata);
  s->view_metadata = tg_safetensors_dup_metadata (st);
  for (guint i = 0; i < st->tensors->len; i++)
    {
      const TgSafetensorsTensor *t = g_ptr_array_index (st->tensors, i);
      g_autofree float *v = g_malloc ((gsize) (t->end - t->begin) + 4);
      if (t->ndim < 1 || t->ndim > 4)
        return fail (error, view, "a tensor has not 1 to 4 dimensions");
      tg_safetensors_copy_f32 (st, t, v);
      tg_session_add_view_tensor (s, t->name, t->ndim, t->shape, v);
    }
  if (is_null_member (root, "view_model"))
    return TRUE;
  if ((vm = object_member (root, "view_model")) == NULL)
    return fail (error, json, "“view_model” is not an object");
  g_autofree char *f = file_in (folder, NULL, vm, "foundation", json, error);
  g_autofree char *a = f != NULL ? file_in (folder, NULL, vm, "adapter", json, error) : NULL;
  double rank, alpha;
  if (a == NULL || !tg_session_json_number (vm, "lora_rank", json, &rank, error) ||
      !tg_session_json_number (vm, "lora_alpha", json, &alpha, error))
    return FALSE;
  if (!(rank >= 0 && rank <= 1024 && rank == floor (rank)) || !isfinite (alpha))
    return fail (error, json, "the view model's LoRA rank or alpha is out of range");
  s->view_model = tg_checkpoint_load_foundation (f, (guint32) rank, (float) alpha, NULL, error);
  return s->view_model != NULL &&
         tg_checkpoint_load_adapter_unchecked (s->view_model, a, NULL, error);
}

static gboolean
read_root (TgSession *s, JsonObject *root, const char *folder, const char *json, GError **error)
{
  JsonNode *runs = json_object_get_member (root, "runs");
  JsonObject *settings = object_member (root, "settings");
  double version;

  if (g_strcmp0 (string_member (root, "format"), TG_SESSION_FORMAT) != 0)
    return fail (error, json, "not a TauGate session (no \"format\": \"" TG_SESSION_FORMAT "\")");
  if (!tg_session_json_number (root, "version", json, &version, error))
    return FALSE;
  if (version != TG_SESSION_VERSION)
    {
      g_set_error (error, TG_ERROR, TG_ERROR_FORMAT, "%s: version %g, this program reads "
                   "version %d", json, version, TG_SESSION_VERSION);
      return FALSE;
    }
  if (settings == NULL)
    return fail (error, json, "“settings” is not an object");
  json_object_unref (s->settings);
  s->settings = json_object_ref (settings);
  if (runs == NULL || !JSON_NODE_HOLDS_ARRAY (runs) ||
      json_array_get_length (json_node_get_array (runs)) > TG_SESSION_MAX_RUNS)
    return fail (error, json, "“runs” is not an array of at most 4096 runs");
  for (guint i = 0; i < json_array_get_length (json_node_get_array (runs)); i++)
    {
      TgSessionRun *run = read_run (json_array_get_element (json_node_get_array (runs), i),
                                    folder, json, i, error);
      if (run == NULL)
        return FALSE;
      g_ptr_array_add (s->runs, run);
    }
  if (!is_null_member (root, "modes"))
    {
      JsonObject *modes = object_member (root, "modes");
      if (modes == NULL)
        return fail (error, json, "“modes” is neither null nor an object");
      if (!read_modes (s, modes, folder, json, error))
        return FALSE;
    }
  if (!is_null_member (root, "comparison") &&
      (s->comparison = tg_session_comparison_from_json (json_object_get_member (root, "comparison"),
                                                        json, error)) == NULL)
    return FALSE;
  if (!is_null_member (root, "sweep") &&
      (s->sweep = tg_session_sweep_from_json (json_object_get_member (root, "sweep"), json,
                                              error)) == NULL)
    return FALSE;
  return read_view (s, root, folder, json, error) &&
         tg_session_records_read (s, root, folder, json, error);
}

/* session.json's text through the strict JSON gate: a parser whose root is an object. */
static JsonParser *
parse_session_json (const char *json, const char *text, gsize len, GError **error)
{
  const TgJsonLimits limits = { .max_bytes = TG_SESSION_MAX_JSON_BYTES,
                                .max_depth = TG_SESSION_MAX_DEPTH,
                                .max_string = TG_SESSION_MAX_STRING,
                                .max_values = TG_SESSION_MAX_JSON_VALUES };
  return tg_json_parse_object (json, text, len, &limits, error);
}

TgSession *
tg_session_load (const char *path, GError **error)
{
  g_autofree char *folder = tg_session_folder_of (path);
  g_autofree char *json = NULL;
  g_autofree char *text = NULL;
  gsize len = 0;
  g_autoptr (JsonParser) parser = NULL;
  g_autoptr (TgSession) s = NULL;
  JsonNode *root;

  if (folder == NULL)
    {
      g_set_error (error, TG_ERROR, TG_ERROR_IO, "%s: not a session folder (no %s in it)", path,
                   TG_SESSION_FILE);
      return NULL;
    }
  json = g_build_filename (folder, TG_SESSION_FILE, NULL);
  if (!tg_session_read_file (json, &text, &len, error))
    return NULL;
  if ((parser = parse_session_json (json, text, len, error)) == NULL)
    return NULL;
  root = json_parser_get_root (parser);
  s = tg_session_new ();
  if (!read_root (s, json_node_get_object (root), folder, json, error))
    return NULL;
  return g_steal_pointer (&s);
}

/* ---- the files a session lists (what a save over it may remove) ------------------------- */

/* Adds sub/NAME (or NAME) to files when o's key is a plain file name. */
static void
list_name (GHashTable *files, const char *sub, JsonObject *o, const char *key)
{
  const char *name = o != NULL ? plain_name (o, key) : NULL;
  if (name != NULL)
    g_hash_table_add (files, sub != NULL ? g_build_filename (sub, name, NULL) : g_strdup (name));
}

GHashTable *
tg_session_list_files (const char *folder)
{
  GHashTable *files = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autofree char *json = g_build_filename (folder, TG_SESSION_FILE, NULL);
  g_autofree char *text = NULL;
  gsize len = 0;
  g_autoptr (JsonParser) parser = NULL;
  JsonNode *runs, *list;
  JsonObject *root, *modes, *vm;

  g_hash_table_add (files, g_strdup (TG_SESSION_FILE));
  if (!tg_session_read_file (json, &text, &len, NULL) ||
      (parser = parse_session_json (json, text, len, NULL)) == NULL)
    return files;
  root = json_node_get_object (json_parser_get_root (parser));
  runs = json_object_get_member (root, "runs");
  for (guint i = 0; runs != NULL && JSON_NODE_HOLDS_ARRAY (runs) &&
                    i < json_array_get_length (json_node_get_array (runs)); i++)
    {
      JsonNode *e = json_array_get_element (json_node_get_array (runs), i);
      JsonObject *r = JSON_NODE_HOLDS_OBJECT (e) ? json_node_get_object (e) : NULL;
      list_name (files, "runs", r, "curves");
      list_name (files, "runs", r, "full");
      list_name (files, "runs", r, "gates");
    }
  modes = object_member (root, "modes");
  list_name (files, NULL, modes, "foundation");
  list = modes != NULL ? json_object_get_member (modes, "list") : NULL;
  for (guint i = 0; list != NULL && JSON_NODE_HOLDS_ARRAY (list) &&
                    i < json_array_get_length (json_node_get_array (list)); i++)
    {
      JsonNode *e = json_array_get_element (json_node_get_array (list), i);
      list_name (files, "adapters", JSON_NODE_HOLDS_OBJECT (e) ? json_node_get_object (e) : NULL,
                 "file");
    }
  list_name (files, NULL, root, "view");
  vm = object_member (root, "view_model");
  list_name (files, NULL, vm, "foundation");
  list_name (files, NULL, vm, "adapter");
  tg_session_records_list (root, files);
  return files;
}
