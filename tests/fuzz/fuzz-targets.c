/* fuzz-targets.c — the engine's file readers driven from bytes in memory (see fuzz-targets.h).
 *
 * The scratch folder lives in /dev/shm when there is one, so a run of millions of inputs does
 * not wear a disk; it is removed at exit. Beyond "no crash", every target checks two things
 * the engine promises: an entry point fails exactly when it sets an error, and every error
 * names the file it is about. A broken promise aborts, which libFuzzer reports as a crash. */
#include "fuzz-targets.h"

#include "tg-checkpoint.h"
#include "tg-data.h"
#include "tg-safetensors.h"
#include "tg-session.h"
#include "tg-session-records.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gstdio.h>
#include <string.h>
#include <unistd.h>

static const char *const target_names[FUZZ_N_TARGETS] = {
  "idx", "idx-gz", "safetensors", "inspect", "session",
};

/* The session target's folder under the scratch folder: its sub-folders, the files the input
 * fills, then the fixed checkpoints beside them. */
static const char *const session_dirs[] = { "session", "session/runs", "session/adapters" };
static const char *const session_inputs[] = { "session.json", "runs/r.csv", "runs/r-full.csv",
                                               "runs/r-gates.csv", "records-params.csv",
                                               "records-masks.csv" };
static const char *const session_fixed[] = { "foundation.safetensors", "adapters/a.safetensors",
                                             "view.safetensors", "view-model.safetensors",
                                             "view-adapter.safetensors", "records.safetensors" };
static char *session_dir;

static char *scratch_dir;
static char *scratch_paths[FUZZ_N_TARGETS][2];

const char *
fuzz_target_name (FuzzTarget target)
{
  g_return_val_if_fail (target < FUZZ_N_TARGETS, NULL);
  return target_names[target];
}

static void
scratch_remove (void)
{
  for (guint t = 0; t < FUZZ_N_TARGETS; t++)
    for (guint i = 0; i < 2; i++)
      if (scratch_paths[t][i] != NULL)
        g_unlink (scratch_paths[t][i]);
  for (guint i = 0; session_dir != NULL && i < G_N_ELEMENTS (session_inputs); i++)
    {
      g_autofree char *path = g_build_filename (session_dir, session_inputs[i], NULL);
      g_unlink (path);
    }
  for (guint i = 0; session_dir != NULL && i < G_N_ELEMENTS (session_fixed); i++)
    {
      g_autofree char *path = g_build_filename (session_dir, session_fixed[i], NULL);
      g_unlink (path);
    }
  for (guint i = G_N_ELEMENTS (session_dirs); scratch_dir != NULL && i > 0; i--)
    {
      g_autofree char *path = g_build_filename (scratch_dir, session_dirs[i - 1], NULL);
      g_rmdir (path);
    }
  if (scratch_dir != NULL)
    g_rmdir (scratch_dir);
}

static void
scratch_init (void)
{
  static const char *const files[FUZZ_N_TARGETS][2] = {
    { "images-idx3-ubyte", "labels-idx1-ubyte" },
    { "images-idx3-ubyte.gz", "labels-idx1-ubyte.gz" },
    { "model.safetensors", NULL },
    { "inspect.safetensors", NULL },
    { "session/session.json", NULL },
  };
  const char *base = g_file_test ("/dev/shm", G_FILE_TEST_IS_DIR) ? "/dev/shm"
                                                                   : g_get_tmp_dir ();

  if (scratch_dir != NULL)
    return;
  scratch_dir = g_build_filename (base, "taugate-fuzz-XXXXXX", NULL);
  if (g_mkdtemp (scratch_dir) == NULL)
    g_error ("cannot make a scratch folder %s: %s", scratch_dir, g_strerror (errno));
  for (guint t = 0; t < FUZZ_N_TARGETS; t++)
    for (guint i = 0; i < 2; i++)
      if (files[t][i] != NULL)
        scratch_paths[t][i] = g_build_filename (scratch_dir, files[t][i], NULL);
  session_dir = g_build_filename (scratch_dir, "session", NULL);
  atexit (scratch_remove);
}

const char *
fuzz_target_scratch_path (FuzzTarget target)
{
  g_return_val_if_fail (target < FUZZ_N_TARGETS, NULL);
  scratch_init ();
  return scratch_paths[target][0];
}

/* Writes len bytes to path, replacing it; a failure here is the harness's, not the input's. */
static void
scratch_write (const char *path, const guint8 *data, gsize len)
{
  int fd = open (path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);

  if (fd < 0)
    g_error ("cannot write %s: %s", path, g_strerror (errno));
  while (len > 0)
    {
      ssize_t n = write (fd, data, len);
      if (n < 0 && errno == EINTR)
        continue;
      if (n <= 0)
        g_error ("cannot write %s: %s", path, g_strerror (errno));
      data += n;
      len -= (gsize) n;
    }
  if (close (fd) != 0)
    g_error ("cannot write %s: %s", path, g_strerror (errno));
}

/* The promises every entry point keeps, checked after each call. */
static void
check_outcome (gboolean ok, const GError *error)
{
  if (ok)
    g_assert_null (error);
  else
    {
      g_assert_nonnull (error);
      g_assert_nonnull (strstr (error->message, scratch_dir));
    }
}

static gboolean
run_idx (FuzzTarget target, const guint8 *data, gsize size, GError **error)
{
  guint32 images_len = 0;
  g_autoptr (TgDataset) ds = NULL;

  if (size >= 4)
    {
      images_len = (guint32) data[0] | (guint32) data[1] << 8 | (guint32) data[2] << 16
                   | (guint32) data[3] << 24;
      data += 4;
      size -= 4;
    }
  images_len = (guint32) MIN ((gsize) images_len, size);
  scratch_write (scratch_paths[target][0], data, images_len);
  scratch_write (scratch_paths[target][1], data + images_len, size - images_len);

  ds = tg_dataset_load_idx (scratch_paths[target][0], scratch_paths[target][1], 10, error);
  check_outcome (ds != NULL, error != NULL ? *error : NULL);
  if (ds != NULL)
    g_assert_cmpuint ((guint64) ds->rows * ds->cols, ==, ds->dim);
  return ds != NULL;
}

/* A small model for adapters to load into: 4 inputs, one hidden layer of 3, 2 classes,
 * LoRA rank 2. Each input gets a fresh copy, so one input cannot change the next. */
static TgModel *
adapter_model (void)
{
  static TgModel *model;

  if (model == NULL)
    {
      g_autoptr (GError) error = NULL;
      guint32 widths[1] = { 3 };
      model = tg_model_new (4, 1, widths, 2, 2, 4.0f, &error);
      g_assert_no_error (error);
    }
  return tg_model_copy (model);
}

static gboolean
run_safetensors (const guint8 *data, gsize size, GError **error)
{
  const char *path = scratch_paths[FUZZ_TARGET_SAFETENSORS][0];
  g_autoptr (GHashTable) meta_f = NULL;
  g_autoptr (GHashTable) meta_a = NULL;
  g_autoptr (GError) error_f = NULL;
  g_autoptr (GError) error_a = NULL;
  g_autoptr (TgModel) foundation = NULL;
  g_autoptr (TgModel) model = adapter_model ();
  gboolean adapter_ok;

  scratch_write (path, data, size);
  foundation = tg_checkpoint_load_foundation (path, 2, 4.0f, &meta_f, &error_f);
  check_outcome (foundation != NULL, error_f);
  g_assert_true ((foundation != NULL) == (meta_f != NULL));
  adapter_ok = tg_checkpoint_load_adapter (model, path, &meta_a, &error_a);
  check_outcome (adapter_ok, error_a);
  g_assert_true (adapter_ok == (meta_a != NULL));

  if (foundation != NULL || adapter_ok)
    return TRUE;
  g_propagate_error (error, g_steal_pointer (&error_f));
  return FALSE;
}

static gboolean
run_inspect (const guint8 *data, gsize size, GError **error)
{
  const char *path = scratch_paths[FUZZ_TARGET_INSPECT][0];
  g_autoptr (GHashTable) meta = NULL;
  g_autoptr (GPtrArray) tensors = NULL;
  g_autoptr (GError) local = NULL;
  gboolean ok;

  scratch_write (path, data, size);
  ok = tg_checkpoint_inspect (path, &meta, &tensors, &local);
  check_outcome (ok, local);
  g_assert_true (ok == (meta != NULL) && ok == (tensors != NULL));
  if (!ok)
    g_propagate_error (error, g_steal_pointer (&local));
  return ok;
}

/* The session folder's fixed checkpoints, written once: a foundation 4-3-2, a TauGate
 * adapter of it (with its digest, as a session's modes have), the same pair as the view's
 * model, a view of one tensor with one metadata string, and records of two τ records and
 * one mask record of those 3 units. */
static void
session_init (void)
{
  static gboolean done;
  g_autoptr (GError) error = NULL;
  guint32 widths[1] = { 3 };
  g_autoptr (TgModel) f = NULL;
  g_autoptr (TgModel) a = NULL;
  g_autoptr (TgModes) modes = NULL;
  g_autoptr (GHashTable) meta = g_hash_table_new (g_str_hash, g_str_equal);
  float tau[3] = { 0.5f, -0.25f, 0 };
  TgSafetensorsOut view = { "params.tau", 1, { 3 }, tau };
  float rec[6] = { 0.5f, -0.25f, 0, 0.25f, 0.125f, 1 };
  TgSafetensorsOut records[3] = { { "params.tau", 2, { 2, 3 }, rec },
                                  { "params.gamma", 2, { 2, 3 }, rec },
                                  { "masks.gates0", 2, { 1, 3 }, rec } };

  if (done)
    return;
  done = TRUE;
  for (guint i = 0; i < G_N_ELEMENTS (session_dirs); i++)
    {
      g_autofree char *path = g_build_filename (scratch_dir, session_dirs[i], NULL);
      if (g_mkdir (path, 0700) != 0)
        g_error ("cannot make %s: %s", path, g_strerror (errno));
    }
  f = tg_model_new (4, 1, widths, 2, 0, 4.0f, &error);
  g_assert_no_error (error);
  for (size_t i = 0; i < f->n_params; i++)
    f->params[i] = 0.125f * (float) (i % 7) - 0.375f;
  a = tg_model_copy (f);
  a->method = TG_METHOD_TAUGATE;
  modes = tg_modes_new (f);
  tg_modes_attach_model (modes, a, 5.0f, "TauGate 45°", 45);
  g_hash_table_insert (meta, (char *) "params.step", (char *) "120");
#define FIXED(i) g_build_filename (session_dir, session_fixed[i], NULL)
  g_autofree char *p0 = FIXED (0), *p1 = FIXED (1), *p2 = FIXED (2), *p3 = FIXED (3),
                  *p4 = FIXED (4), *p5 = FIXED (5);
#undef FIXED
  if (!tg_checkpoint_save_foundation (f, NULL, p0, &error) ||
      !tg_modes_save_adapter (modes, 1, p1, &error) ||
      !tg_safetensors_write (p2, meta, &view, 1, &error) ||
      !tg_checkpoint_save_foundation (f, NULL, p3, &error) ||
      !tg_checkpoint_save_adapter (a, TG_METHOD_TAUGATE, NULL, p4, &error) ||
      !tg_safetensors_write (p5, meta, records, G_N_ELEMENTS (records), &error))
    g_error ("cannot write the session's checkpoints: %s", error->message);
}

static gboolean
run_session (const guint8 *data, gsize size, GError **error)
{
  g_autoptr (TgSession) session = NULL;
  g_autoptr (GError) local = NULL;
  const guint8 *at = data, *end = data + size;

  session_init ();
  for (guint i = 0; i < G_N_ELEMENTS (session_inputs); i++)
    {
      g_autofree char *path = g_build_filename (session_dir, session_inputs[i], NULL);
      gboolean last = i + 1 == G_N_ELEMENTS (session_inputs);
      const guint8 *nul = last ? NULL : memchr (at, '\0', (gsize) (end - at));
      const guint8 *stop = nul != NULL ? nul : end;
      scratch_write (path, at, (gsize) (stop - at));
      at = nul != NULL ? nul + 1 : end;
    }
  session = tg_session_load (session_dir, &local);
  check_outcome (session != NULL, local);
  if (session != NULL)
    {
      /* what the reader promises of what it accepted */
      g_assert_cmpuint (session->runs->len, <=, TG_SESSION_MAX_RUNS);
      g_assert_true (session->records == NULL ||
                     (tg_session_table_n_rows (session->records->params) <= TG_SESSION_MAX_RECORDS &&
                      tg_session_table_n_rows (session->records->masks) <= TG_SESSION_MAX_RECORDS));
      g_assert_true (session->modes == NULL || session->active_mode < tg_modes_count (session->modes));
      g_assert_true (session->sweep == NULL ||
                     (guint64) session->sweep->config.n_lambdas * session->sweep->config.n_sharpness *
                     session->sweep->config.protocol.seeds == session->sweep->points->len);
      return TRUE;
    }
  g_propagate_error (error, g_steal_pointer (&local));
  return FALSE;
}

gboolean
fuzz_target_run (FuzzTarget target, const guint8 *data, gsize size, GError **error)
{
  g_return_val_if_fail (target < FUZZ_N_TARGETS, FALSE);
  scratch_init ();

  switch (target)
    {
    case FUZZ_TARGET_IDX:
    case FUZZ_TARGET_IDX_GZ:
      {
        g_autoptr (GError) local = NULL;
        gboolean ok = run_idx (target, data, size, &local);
        if (!ok)
          g_propagate_error (error, g_steal_pointer (&local));
        return ok;
      }
    case FUZZ_TARGET_SAFETENSORS:
      return run_safetensors (data, size, error);
    case FUZZ_TARGET_INSPECT:
      return run_inspect (data, size, error);
    case FUZZ_TARGET_SESSION:
      return run_session (data, size, error);
    case FUZZ_N_TARGETS:
    default:
      break;
    }
  g_return_val_if_reached (FALSE);
}
