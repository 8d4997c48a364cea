/* tg-session.c — a session folder written through a staging folder and read back as
 * untrusted input (the layout is in tg-session.h). The results' JSON is
 * tg-session-results.c, the tables' CSV tg-session-table.c. */
#include "tg-session.h"

#include <errno.h>
#include <math.h>
#include <string.h>
#include <unistd.h>
#include <glib/gstdio.h>

#include "tg-checkpoint.h"
#include "tg-folder-swap.h"
#include "tg-safetensors.h"
#include "tg-session-private.h"
#include "tg-session-records.h"

static const char *const curve_columns[] = { "step", "loss", "acc0", "acc_target", NULL };
static const char *const full_columns[] = { "step", "acc0", "acc_target", NULL };

/* ---- the structs ------------------------------------------------------------------------ */

TgSessionRun *
tg_session_run_new (const char *name)
{
  TgSessionRun *run = g_new0 (TgSessionRun, 1);
  run->name = g_strdup (name);
  run->info = json_object_new ();
  run->markers = g_array_new (FALSE, FALSE, sizeof (TgSessionMarker));
  run->curves = tg_session_table_new (curve_columns);
  run->full = tg_session_table_new (full_columns);
  return run;
}

void
tg_session_run_free (TgSessionRun *run)
{
  if (run == NULL)
    return;
  for (guint i = 0; i < run->markers->len; i++)
    g_free (g_array_index (run->markers, TgSessionMarker, i).label);
  g_array_unref (run->markers);
  json_object_unref (run->info);
  tg_session_table_free (run->curves);
  tg_session_table_free (run->full);
  tg_session_table_free (run->gates);
  g_free (run->name);
  g_free (run);
}

void
tg_session_run_add_marker (TgSessionRun *run, double step, const char *label)
{
  TgSessionMarker mk = { step, g_strdup (label) };
  g_array_append_val (run->markers, mk);
}

static void
tensor_free (TgSessionTensor *t)
{
  g_free (t->name);
  g_free (t->values);
  g_free (t);
}

TgSession *
tg_session_new (void)
{
  TgSession *s = g_new0 (TgSession, 1);
  s->settings = json_object_new ();
  s->runs = g_ptr_array_new_with_free_func ((GDestroyNotify) tg_session_run_free);
  s->view_metadata = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  s->view_tensors = g_ptr_array_new_with_free_func ((GDestroyNotify) tensor_free);
  s->left_out = g_ptr_array_new_with_free_func (g_free);
  return s;
}

void
tg_session_free (TgSession *s)
{
  if (s == NULL)
    return;
  json_object_unref (s->settings);
  g_ptr_array_unref (s->runs);
  g_clear_pointer (&s->modes, tg_modes_free);
  g_clear_pointer (&s->comparison, tg_experiment_results_free);
  g_clear_pointer (&s->sweep, tg_sweep_results_free);
  g_hash_table_unref (s->view_metadata);
  g_ptr_array_unref (s->view_tensors);
  g_clear_pointer (&s->view_model, tg_model_free);
  g_ptr_array_unref (s->left_out);
  g_clear_pointer (&s->records, tg_session_records_free);
  g_free (s);
}

void
tg_session_add_view_tensor (TgSession *session, const char *name, guint ndim,
                            const guint64 *shape, const float *values)
{
  TgSessionTensor *t = g_new0 (TgSessionTensor, 1);
  guint64 n = 1;

  g_return_if_fail (ndim >= 1 && ndim <= G_N_ELEMENTS (t->shape));
  t->name = g_strdup (name);
  t->ndim = ndim;
  for (guint d = 0; d < ndim; d++)
    n *= t->shape[d] = shape[d];
  t->values = g_memdup2 (values, n * sizeof (float));
  g_ptr_array_add (session->view_tensors, t);
}

const TgSessionTensor *
tg_session_get_view_tensor (const TgSession *session, const char *name)
{
  for (guint i = 0; i < session->view_tensors->len; i++)
    {
      const TgSessionTensor *t = g_ptr_array_index (session->view_tensors, i);
      if (strcmp (t->name, name) == 0)
        return t;
    }
  return NULL;
}

/* ---- files ------------------------------------------------------------------------------ */

gboolean
tg_session_read_file (const char *path, char **contents, gsize *length, GError **error)
{
  GStatBuf st;

  if (g_lstat (path, &st) != 0)
    {
      int err = errno;
      g_set_error (error, TG_ERROR, TG_ERROR_IO, "%s: %s", path, g_strerror (err));
      return FALSE;
    }
  if (!S_ISREG (st.st_mode) || (guint64) st.st_size > TG_SESSION_MAX_BYTES)
    {
      g_set_error (error, TG_ERROR, TG_ERROR_FORMAT, "%s: not a regular file of at most %u MiB",
                   path, TG_SESSION_MAX_BYTES >> 20);
      return FALSE;
    }
  if (!g_file_get_contents (path, contents, length, error))
    return FALSE;
  return TRUE;
}

/* name as a file name: ASCII letters and digits, every other run one '-', at most 40 */
static char *
slug (const char *name)
{
  GString *s = g_string_new (NULL);
  for (const char *p = name; *p != '\0' && s->len < 40; p++)
    {
      if (g_ascii_isalnum (*p))
        g_string_append_c (s, *p);
      else if (s->len > 0 && s->str[s->len - 1] != '-')
        g_string_append_c (s, '-');
    }
  while (s->len > 0 && s->str[s->len - 1] == '-')
    g_string_truncate (s, s->len - 1);
  if (s->len == 0)
    g_string_append (s, "run");
  return g_string_free (s, FALSE);
}

/* What saves killed half-way left beside dir: the old session put back if dir is missing,
 * the staging folders removed (tg_session_save). */
static void
recover (const char *dir)
{
  static const char *const tags[] = { "saving", "old", NULL };
  tg_folder_recover (dir, "old", TG_SESSION_FILE, tags);
}

char *
tg_session_folder_of (const char *path)
{
  g_autofree char *json = NULL;
  g_autofree char *base = g_path_get_basename (path);

  if (strcmp (base, TG_SESSION_FILE) == 0 && !g_file_test (path, G_FILE_TEST_IS_DIR))
    {
      g_autofree char *folder = g_path_get_dirname (path);
      recover (folder);
    }
  else
    recover (path);
  if (g_file_test (path, G_FILE_TEST_IS_DIR))
    {
      json = g_build_filename (path, TG_SESSION_FILE, NULL);
      return g_file_test (json, G_FILE_TEST_EXISTS) ? g_strdup (path) : NULL;
    }
  if (strcmp (base, TG_SESSION_FILE) == 0)
    return g_path_get_dirname (path);
  return NULL;
}

/* ---- writing ---------------------------------------------------------------------------- */

static gboolean
write_text (const char *dir, const char *name, const char *text, GError **error)
{
  g_autofree char *path = g_build_filename (dir, name, NULL);
  return g_file_set_contents_full (path, text, -1, G_FILE_SET_CONTENTS_CONSISTENT, 0644, error);
}

static JsonObject *
run_to_json (const TgSessionRun *run, guint index, const char *runs_dir, GError **error)
{
  g_autoptr (JsonObject) o = json_object_new ();
  g_autofree char *stem = g_strdup_printf ("%03u-%s", index + 1, run->name ? run->name : "");
  g_autofree char *base = slug (stem);
  g_autofree char *curves = g_strdup_printf ("%s.csv", base);
  g_autofree char *full = g_strdup_printf ("%s-full.csv", base);
  g_autofree char *gates = g_strdup_printf ("%s-gates.csv", base);
  g_autofree char *curves_csv = tg_session_table_to_csv (run->curves);
  g_autofree char *full_csv = tg_session_table_to_csv (run->full);
  JsonArray *markers = json_array_new ();

  json_object_set_string_member (o, "name", run->name);
  json_object_set_object_member (o, "info", json_object_ref (run->info));
  for (guint i = 0; i < run->markers->len; i++)
    {
      const TgSessionMarker *mk = &g_array_index (run->markers, TgSessionMarker, i);
      JsonObject *m = json_object_new ();
      json_object_set_member (m, "step", tg_session_json_double (mk->step));
      json_object_set_string_member (m, "label", mk->label);
      json_array_add_object_element (markers, m);
    }
  json_object_set_array_member (o, "markers", markers);
  json_object_set_string_member (o, "curves", curves);
  json_object_set_string_member (o, "full", full);
  if (!write_text (runs_dir, curves, curves_csv, error) ||
      !write_text (runs_dir, full, full_csv, error))
    return NULL;
  if (run->gates != NULL)
    {
      g_autofree char *gates_csv = tg_session_table_to_csv (run->gates);
      if (!write_text (runs_dir, gates, gates_csv, error))
        return NULL;
      json_object_set_string_member (o, "gates", gates);
    }
  else
    json_object_set_null_member (o, "gates");
  return g_steal_pointer (&o);
}

static JsonObject *
modes_to_json (const TgModes *modes, guint active, const char *dir, GError **error)
{
  g_autoptr (JsonObject) o = json_object_new ();
  g_autofree char *foundation = g_build_filename (dir, "foundation.safetensors", NULL);
  g_autofree char *adapters = g_build_filename (dir, "adapters", NULL);
  JsonArray *list = json_array_new ();

  json_object_set_array_member (o, "list", list);
  if (tg_modes_count (modes) > TG_SESSION_MAX_MODES)
    {
      /* what the reader would refuse is not written */
      g_set_error (error, TG_ERROR, TG_ERROR_INVALID, "%s: %u modes are open; a session holds "
                   "at most %d (remove some first)", dir, tg_modes_count (modes),
                   TG_SESSION_MAX_MODES);
      return NULL;
    }
  json_object_set_string_member (o, "foundation", "foundation.safetensors");
  json_object_set_string_member (o, "foundation_sha256", modes->digest);
  json_object_set_int_member (o, "active", active);
  if (!tg_checkpoint_save_foundation (modes->foundation, NULL, foundation, error))
    return NULL;
  if (tg_modes_count (modes) > 1 && g_mkdir_with_parents (adapters, 0755) != 0)
    {
      int err = errno;
      g_set_error (error, TG_ERROR, TG_ERROR_IO, "%s: %s", adapters, g_strerror (err));
      return NULL;
    }
  for (guint i = 0; i < tg_modes_count (modes); i++)
    {
      const TgMode *mode = tg_modes_get (modes, i);
      JsonObject *m = json_object_new ();
      json_array_add_object_element (list, m);
      json_object_set_string_member (m, "name", mode->name);
      json_object_set_string_member (m, "method", tg_method_info (mode->method)->id);
      json_object_set_member (m, "target_angle", tg_session_json_double (mode->target_angle));
      json_object_set_member (m, "sharpness", tg_session_json_double (mode->sharpness));
      if (i == 0)
        {
          json_object_set_null_member (m, "file");
          continue;
        }
      g_autofree char *stem = g_strdup_printf ("%02u-%s", i, mode->name);
      g_autofree char *base = slug (stem);
      g_autofree char *name = g_strdup_printf ("%s.safetensors", base);
      g_autofree char *path = g_build_filename (adapters, name, NULL);
      if (!tg_modes_save_adapter (modes, i, path, error))
        return NULL;
      json_object_set_string_member (m, "file", name);
    }
  return g_steal_pointer (&o);
}

static gboolean
view_to_files (const TgSession *s, const char *dir, JsonObject *root, GError **error)
{
  g_autofree char *view = g_build_filename (dir, "view.safetensors", NULL);
  g_autofree TgSafetensorsOut *out = g_new0 (TgSafetensorsOut, MAX (s->view_tensors->len, 1));
  JsonObject *vm;

  for (guint i = 0; i < s->view_tensors->len; i++)
    {
      const TgSessionTensor *t = g_ptr_array_index (s->view_tensors, i);
      out[i].name = t->name;
      out[i].ndim = t->ndim;
      memcpy (out[i].shape, t->shape, t->ndim * sizeof (guint64));
      out[i].values = t->values;
    }
  if (!tg_safetensors_write (view, s->view_metadata, out, s->view_tensors->len, error))
    return FALSE;
  json_object_set_string_member (root, "view", "view.safetensors");
  if (s->view_model == NULL)
    {
      json_object_set_null_member (root, "view_model");
      return TRUE;
    }
  g_autofree char *f = g_build_filename (dir, "view-model.safetensors", NULL);
  g_autofree char *a = g_build_filename (dir, "view-adapter.safetensors", NULL);
  if (!tg_checkpoint_save_foundation (s->view_model, NULL, f, error) ||
      !tg_checkpoint_save_adapter (s->view_model, s->view_model->method, NULL, a, error))
    return FALSE;
  vm = json_object_new ();
  json_object_set_string_member (vm, "foundation", "view-model.safetensors");
  json_object_set_string_member (vm, "adapter", "view-adapter.safetensors");
  json_object_set_int_member (vm, "lora_rank", s->view_model->lora_rank);
  json_object_set_member (vm, "lora_alpha", tg_session_json_double (s->view_model->lora_alpha));
  json_object_set_object_member (root, "view_model", vm);
  return TRUE;
}

static gboolean
write_folder (const TgSession *s, const char *dir, GError **error)
{
  g_autoptr (JsonObject) root = json_object_new ();
  g_autofree char *runs_dir = g_build_filename (dir, "runs", NULL);
  JsonArray *runs = json_array_new ();
  g_autoptr (JsonGenerator) gen = json_generator_new ();
  g_autoptr (JsonNode) node = json_node_new (JSON_NODE_OBJECT);
  g_autofree char *text = NULL;

  json_object_set_string_member (root, "format", TG_SESSION_FORMAT);
  json_object_set_int_member (root, "version", TG_SESSION_VERSION);
  json_object_set_object_member (root, "settings", json_object_ref (s->settings));
  json_object_set_array_member (root, "runs", runs);
  if (g_mkdir_with_parents (runs_dir, 0755) != 0)
    {
      int err = errno;
      g_set_error (error, TG_ERROR, TG_ERROR_IO, "%s: %s", runs_dir, g_strerror (err));
      return FALSE;
    }
  for (guint i = 0; i < s->runs->len; i++)
    {
      JsonObject *r = run_to_json (g_ptr_array_index (s->runs, i), i, runs_dir, error);
      if (r == NULL)
        return FALSE;
      json_array_add_object_element (runs, r);
    }
  if (s->modes != NULL)
    {
      JsonObject *m = modes_to_json (s->modes, s->active_mode, dir, error);
      if (m == NULL)
        return FALSE;
      json_object_set_object_member (root, "modes", m);
    }
  else
    json_object_set_null_member (root, "modes");
  json_object_set_member (root, "comparison", s->comparison != NULL
                          ? tg_session_comparison_to_json (s->comparison)
                          : json_node_new (JSON_NODE_NULL));
  json_object_set_member (root, "sweep", s->sweep != NULL ? tg_session_sweep_to_json (s->sweep)
                                                          : json_node_new (JSON_NODE_NULL));
  if (!view_to_files (s, dir, root, error) ||
      !tg_session_records_write (s->records, dir, root, error))
    return FALSE;

  json_node_set_object (node, root);
  json_generator_set_root (gen, node);
  json_generator_set_pretty (gen, TRUE);
  text = json_generator_to_data (gen, NULL);
  return write_text (dir, TG_SESSION_FILE, text, error);
}

/* The old session at dir steps aside, the staged one takes its name, the old one goes:
 * for file systems without the exchange. A kill between the two renames leaves dir missing
 * and the old session beside it, which the next use of dir puts back (recover). */
static gboolean
replace_by_renames (const char *staging, const char *dir, GError **error)
{
  g_autofree char *parent = g_path_get_dirname (dir);
  g_autofree char *base = g_path_get_basename (dir);
  g_autofree char *old = g_strdup_printf ("%s/.%s.old-XXXXXX", parent, base);
  int hold = tg_folder_hold (dir);  /* not taken for a leftover while it is aside */
  int err = 0;

  if (g_mkdtemp (old) == NULL || g_rename (dir, old) != 0)
    err = errno;
  else if (g_rename (staging, dir) != 0)
    {
      err = errno;
      g_rename (old, dir);
    }
  else
    tg_remove_tree (old);
  if (hold >= 0)
    close (hold);
  if (err == 0)
    return TRUE;
  g_rmdir (old);
  g_set_error (error, TG_ERROR, TG_ERROR_IO, "%s: cannot replace it: %s", dir, g_strerror (err));
  return FALSE;
}

/* The staged folder takes dir's name in one step; an old session there goes. */
static gboolean
put_in_place (TgStaging *staging, const char *dir, gboolean exists, GError **error)
{
  int swapped = exists ? tg_folder_exchange (staging->path, dir) : 0;
  int err = errno;

  if (swapped == 1)
    return TRUE;  /* the old session is at staging->path now: tg_staging_end removes it */
  if (swapped < 0)
    {
      g_set_error (error, TG_ERROR, TG_ERROR_IO, "%s: cannot replace it: %s", dir,
                   g_strerror (err));
      return FALSE;
    }
  if (exists)
    return replace_by_renames (staging->path, dir, error);
  if (g_rename (staging->path, dir) != 0)
    {
      err = errno;
      g_set_error (error, TG_ERROR, TG_ERROR_IO, "%s: %s", dir, g_strerror (err));
      return FALSE;
    }
  g_clear_pointer (&staging->path, g_free);
  return TRUE;
}

gboolean
tg_session_save (const TgSession *session, const char *dir, GError **error)
{
  g_autofree char *existing = tg_session_folder_of (dir);  /* after recovering dir */
  g_autoptr (GError) local = NULL;
  gboolean exists = g_file_test (dir, G_FILE_TEST_EXISTS);
  TgStaging staging;
  gboolean ok;

  /* the safetensors readers refuse a value that is not finite: not written, then */
  for (guint i = 0; i < session->view_tensors->len; i++)
    {
      const TgSessionTensor *t = g_ptr_array_index (session->view_tensors, i);
      guint64 n = 1;
      for (guint d = 0; d < t->ndim; d++)
        n *= t->shape[d];
      for (guint64 j = 0; j < n; j++)
        if (!isfinite (t->values[j]))
          {
            g_set_error (error, TG_ERROR, TG_ERROR_RANGE, "Saving the session %s: view tensor %s "
                         "holds a value that is not finite", dir, t->name);
            return FALSE;
          }
    }
  if (exists && existing == NULL)
    {
      g_set_error (error, TG_ERROR, TG_ERROR_IO, "%s: exists and is not a session folder (no %s "
                   "in it): not replaced", dir, TG_SESSION_FILE);
      return FALSE;
    }
  if (exists)
    {
      /* replacing removes the old folder: not with anything in it the session does not list */
      g_autofree char *foreign = tg_session_foreign_entry (dir);
      if (foreign != NULL)
        {
          g_set_error (error, TG_ERROR, TG_ERROR_IO, "%s: holds %s, which is not part of the "
                       "session: not replaced (save to another folder)", dir, foreign);
          return FALSE;
        }
    }
  if (!tg_staging_begin (&staging, dir, "saving", error))
    return FALSE;
  ok = write_folder (session, staging.path, &local);
  if (!ok)
    g_set_error (error, local->domain, local->code, "Saving the session %s: %s", dir,
                 local->message);
  else
    ok = put_in_place (&staging, dir, exists, error);
  tg_staging_end (&staging);
  return ok;
}

gboolean
tg_session_remove (const char *dir, GError **error)
{
  g_autofree char *folder = tg_session_folder_of (dir);
  g_autofree char *foreign = NULL;

  if (folder == NULL || !g_file_test (dir, G_FILE_TEST_IS_DIR))
    {
      g_set_error (error, TG_ERROR, TG_ERROR_IO, "%s: not a session folder (no %s in it): not "
                   "removed", dir, TG_SESSION_FILE);
      return FALSE;
    }
  foreign = tg_session_foreign_entry (dir);
  if (foreign != NULL)
    {
      g_set_error (error, TG_ERROR, TG_ERROR_IO, "%s: holds %s, which is not part of the "
                   "session: not removed", dir, foreign);
      return FALSE;
    }
  tg_remove_tree (dir);
  if (g_file_test (dir, G_FILE_TEST_EXISTS))
    {
      g_set_error (error, TG_ERROR, TG_ERROR_IO, "%s: could not be removed entirely", dir);
      return FALSE;
    }
  return TRUE;
}
