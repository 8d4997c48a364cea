/* test-session.c — session folders (tg-session.h) on small synthetic models and runs.
 *
 * A round trip keeps every run's curves, markers and info, the modes (foundation, adapters,
 * names, angles, sharpness, the active one), the comparison and sweep results, the view's
 * tensors and model, bit for bit. Refusals: a broken or wrong-format session.json, a missing
 * or malformed CSV, a file name leading out of the folder, a symbolic link leading out of
 * the folder; each names the file. An adapter file gone, or swapped for one of another
 * foundation, leaves its mode out and the rest opens; the mode and the file are named. Saving
 * over a folder that is no session, or over one that holds a file its session.json does not
 * list, is refused, and a failed save leaves the old session as it was. The per-step
 * records come back bit for bit, a save over them keeps working (they are the session's), and
 * records whose arrays do not match their tables' rows, or tables of too many rows, are
 * refused naming the file. */
#include "tg-session.h"
#include "tg-session-records.h"

#include <glib/gstdio.h>
#include <stdlib.h>
#include <unistd.h>
#include <math.h>
#include <string.h>

static char *tmp_dir;

static TgModel *
make_model (guint64 seed)
{
  g_autoptr (GError) error = NULL;
  guint32 widths[2] = { 8, 6 };
  TgModel *m = tg_model_new (16, 2, widths, 4, 0, 8.0f, &error);
  uint64_t rng = tg_rng_seed (seed);

  g_assert_no_error (error);
  for (size_t i = 0; i < m->n_params; i++)
    m->params[i] = tg_rng_uniform (&rng) * 2.0f - 1.0f;
  return m;
}

static TgSessionRun *
make_run (const char *name, guint n)
{
  TgSessionRun *run = tg_session_run_new (name);
  const char *gate_cols[] = { "step", "high_act", "units_on0.l0", NULL };

  json_object_set_string_member (run->info, "method", "taugate");
  json_object_set_int_member (run->info, "seed", 3);
  json_object_set_double_member (run->info, "angle", 45.0);
  json_object_set_boolean_member (run->info, "finished", TRUE);
  tg_session_run_add_marker (run, 12, "λ=0.1");
  tg_session_run_add_marker (run, 30.5, "s=20 hard");
  for (guint i = 0; i < n; i++)
    {
      double row[4] = { i * 4.0, 2.0 / (i + 1), i % 3 == 0 ? 0.1 * i / 3.0 : NAN, 1.0 / 3.0 };
      tg_session_table_append (run->curves, row);
    }
  double full[3] = { 40, 0.97, NAN };
  tg_session_table_append (run->full, full);
  run->gates = tg_session_table_new (gate_cols);
  double g[3] = { 8, 0.25, 3.5 };
  tg_session_table_append (run->gates, g);
  return run;
}

static TgSession *
make_session (void)
{
  TgSession *s = tg_session_new ();
  g_autoptr (TgModel) f = make_model (1);
  g_autoptr (TgModel) a = tg_model_copy (f);
  guint64 shape[2] = { 2, 3 };
  float values[6] = { 0.5f, -1, 2, 1e-7f, 3.25f, 0 };
  TgRunResult rr = { 0 };
  TgOverlapResult ov = { 0 };
  TgSweepPoint pt = { 0 };

  json_object_set_string_member (s->settings, "method", "taugate");
  json_object_set_double_member (s->settings, "lr", 0.01);
  g_ptr_array_add (s->runs, make_run ("TauGate · seed 3 · #1", 25));
  g_ptr_array_add (s->runs, make_run ("LoRA/../x", 3));

  a->method = TG_METHOD_TAUGATE;
  for (guint i = 0; i < 8; i++)
    a->params[a->tau[0] + i] = 0.125f * i;
  s->modes = tg_modes_new (f);
  tg_modes_attach_model (s->modes, a, 7.5f, "TauGate 45° (trained here)", 45);
  s->active_mode = 1;

  s->comparison = g_new0 (TgExperimentResults, 1);
  tg_experiment_config_init_paper (&s->comparison->config);
  s->comparison->runs = g_array_new (FALSE, TRUE, sizeof (TgRunResult));
  s->comparison->overlaps = g_array_new (FALSE, TRUE, sizeof (TgOverlapResult));
  rr.seed = 7; rr.method = TG_METHOD_LORA; rr.target_angle = 45; rr.params = 12345;
  rr.acc0 = 0.91; rr.acc_rot = 0.875; rr.high_act = NAN; rr.final_ce = 0.3; rr.collapsed = TRUE;
  g_array_append_val (s->comparison->runs, rr);
  ov.n_layers = 2; ov.jaccard[0] = 0.5; ov.jaccard[1] = NAN; ov.on0[1] = 17;
  g_array_append_val (s->comparison->overlaps, ov);
  s->comparison->foundation_acc0 = 0.98;
  s->comparison->foundation_acc_rot = NAN;

  s->sweep = g_new0 (TgSweepResults, 1);
  tg_experiment_config_init_paper (&s->sweep->config.protocol);
  s->sweep->config.protocol.seeds = 1;  /* one point per λ */
  s->sweep->lambdas = g_new (double, 2);
  s->sweep->lambdas[0] = 0; s->sweep->lambdas[1] = 0.3;
  s->sweep->sharpness = g_new (double, 1);
  s->sweep->sharpness[0] = 5;
  s->sweep->config.n_lambdas = 2; s->sweep->config.n_sharpness = 1;
  s->sweep->points = g_array_new (FALSE, TRUE, sizeof (TgSweepPoint));
  pt.lambda = 0.3; pt.sharpness = 5; pt.n_layers = 2; pt.on_frac[1] = 0.25; pt.speedup = NAN;
  pt.madds_dense = 1e6;
  g_array_append_val (s->sweep->points, pt);
  g_array_append_val (s->sweep->points, pt);

  g_hash_table_insert (s->view_metadata, g_strdup ("step"), g_strdup ("120"));
  tg_session_add_view_tensor (s, "params.tau", 2, shape, values);
  s->view_model = tg_model_copy (a);
  return s;
}

static char *
tmp_path (const char *name)
{
  return g_build_filename (tmp_dir, name, NULL);
}

static void
assert_tables_equal (const TgSessionTable *a, const TgSessionTable *b)
{
  g_assert_true (g_strv_equal ((const char *const *) a->columns, (const char *const *) b->columns));
  g_assert_cmpuint (a->values->len, ==, b->values->len);
  for (guint i = 0; i < a->values->len; i++)
    {
      double x = g_array_index (a->values, double, i), y = g_array_index (b->values, double, i);
      g_assert_true ((isnan (x) && isnan (y)) || memcmp (&x, &y, sizeof x) == 0);
    }
}

static void
test_round_trip (void)
{
  g_autoptr (TgSession) s = make_session ();
  g_autoptr (TgSession) r = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *dir = tmp_path ("round-trip");
  g_autofree char *json = g_build_filename (dir, "session.json", NULL);

  g_assert_true (tg_session_save (s, dir, &error));
  g_assert_no_error (error);
  /* saved again over itself: replaced, no staging folder left beside it */
  g_assert_true (tg_session_save (s, dir, &error));
  g_assert_no_error (error);
  {
    g_autoptr (GDir) d = g_dir_open (tmp_dir, 0, NULL);
    const char *name;
    while ((name = g_dir_read_name (d)) != NULL)
      g_assert_false (g_str_has_prefix (name, "."));
  }
  r = tg_session_load (json, &error);  /* the session.json names the folder too */
  g_assert_no_error (error);

  g_assert_cmpuint (r->runs->len, ==, 2);
  for (guint i = 0; i < 2; i++)
    {
      TgSessionRun *a = g_ptr_array_index (s->runs, i), *b = g_ptr_array_index (r->runs, i);
      g_assert_cmpstr (a->name, ==, b->name);
      assert_tables_equal (a->curves, b->curves);
      assert_tables_equal (a->full, b->full);
      assert_tables_equal (a->gates, b->gates);
      g_assert_cmpuint (b->markers->len, ==, 2);
      g_assert_cmpfloat (g_array_index (b->markers, TgSessionMarker, 1).step, ==, 30.5);
      g_assert_cmpstr (g_array_index (b->markers, TgSessionMarker, 0).label, ==, "λ=0.1");
      g_assert_cmpint (json_object_get_int_member (b->info, "seed"), ==, 3);
      g_assert_true (json_object_get_boolean_member (b->info, "finished"));
    }
  g_assert_cmpfloat (json_object_get_double_member (r->settings, "lr"), ==, 0.01);

  g_assert_nonnull (r->modes);
  g_assert_cmpuint (tg_modes_count (r->modes), ==, 2);
  g_assert_cmpuint (r->active_mode, ==, 1);
  g_assert_cmpstr (r->modes->digest, ==, s->modes->digest);
  TgMode *ma = tg_modes_get (s->modes, 1), *mb = tg_modes_get (r->modes, 1);
  g_assert_cmpstr (mb->name, ==, ma->name);
  g_assert_cmpint (mb->method, ==, TG_METHOD_TAUGATE);
  g_assert_cmpfloat (mb->sharpness, ==, 7.5f);
  g_assert_cmpfloat (mb->target_angle, ==, 45);
  g_assert_cmpmem (mb->model->params + mb->model->tau[0], 8 * sizeof (float),
                   ma->model->params + ma->model->tau[0], 8 * sizeof (float));

  g_assert_nonnull (r->comparison);
  const TgRunResult *rr = &g_array_index (r->comparison->runs, TgRunResult, 0);
  g_assert_cmpint (rr->method, ==, TG_METHOD_LORA);
  g_assert_cmpuint (rr->params, ==, 12345);
  g_assert_cmpfloat (rr->acc_rot, ==, 0.875);
  g_assert_true (isnan (rr->high_act));
  g_assert_true (rr->collapsed);
  g_assert_cmpuint (g_array_index (r->comparison->overlaps, TgOverlapResult, 0).on0[1], ==, 17);
  g_assert_true (isnan (g_array_index (r->comparison->overlaps, TgOverlapResult, 0).jaccard[1]));
  g_assert_true (isnan (r->comparison->foundation_acc_rot));
  g_assert_cmpmem (&r->comparison->config, sizeof (TgExperimentConfig),
                   &s->comparison->config, sizeof (TgExperimentConfig));

  g_assert_nonnull (r->sweep);
  g_assert_cmpuint (r->sweep->config.n_lambdas, ==, 2);
  g_assert_cmpfloat (r->sweep->config.lambdas[1], ==, 0.3);
  g_assert_cmpfloat (g_array_index (r->sweep->points, TgSweepPoint, 0).on_frac[1], ==, 0.25);
  g_assert_true (isnan (g_array_index (r->sweep->points, TgSweepPoint, 0).speedup));

  const TgSessionTensor *t = tg_session_get_view_tensor (r, "params.tau");
  g_assert_nonnull (t);
  g_assert_cmpuint (t->shape[1], ==, 3);
  g_assert_cmpfloat (t->values[3], ==, 1e-7f);
  g_assert_cmpstr (g_hash_table_lookup (r->view_metadata, "step"), ==, "120");
  g_assert_nonnull (r->view_model);
  g_assert_cmpint (r->view_model->method, ==, TG_METHOD_TAUGATE);
  g_assert_cmpmem (r->view_model->params, r->view_model->n_params * sizeof (float),
                   s->view_model->params, s->view_model->n_params * sizeof (float));
}

/* A fresh copy of a good session in NAME; returns its folder. */
static char *
good_copy (const char *name)
{
  g_autoptr (TgSession) s = make_session ();
  g_autoptr (GError) error = NULL;
  char *dir = tmp_path (name);
  g_assert_true (tg_session_save (s, dir, &error));
  g_assert_no_error (error);
  return dir;
}

static void
rewrite_json (const char *dir, const char *from, const char *to)
{
  g_autofree char *json = g_build_filename (dir, "session.json", NULL);
  g_autofree char *text = NULL;
  g_assert_true (g_file_get_contents (json, &text, NULL, NULL));
  g_autoptr (GString) edited = g_string_new (text);
  g_assert_cmpuint (g_string_replace (edited, from, to, 1), ==, 1);
  g_assert_true (g_file_set_contents (json, edited->str, -1, NULL));
}

/* load fails, naming `file` (a part of its path) */
static void
assert_refused (const char *dir, const char *file)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (TgSession) r = tg_session_load (dir, &error);
  g_assert_null (r);
  g_assert_nonnull (error);
  g_test_message ("refused: %s", error->message);
  g_assert_nonnull (strstr (error->message, file));
}

/* The session opens without its one adapter's mode (the active one: Base is active then),
 * and says which it left out, naming file. */
static void
assert_left_out (const char *dir, const char *file)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (TgSession) r = tg_session_load (dir, &error);
  g_assert_no_error (error);
  g_assert_nonnull (r);
  g_assert_cmpuint (r->runs->len, >, 0);
  g_assert_cmpuint (tg_modes_count (r->modes), ==, 1);
  g_assert_cmpuint (r->active_mode, ==, 0);
  g_assert_cmpuint (r->left_out->len, ==, 1);
  g_test_message ("left out: %s", (char *) r->left_out->pdata[0]);
  g_assert_nonnull (strstr (r->left_out->pdata[0], file));
  g_assert_nonnull (strstr (r->left_out->pdata[0], "TauGate 45° (trained here)"));
}

/* Copies the last mode of dir's session.json `copies` more times into its list. */
static void
repeat_last_mode (const char *dir, guint copies)
{
  g_autofree char *json = g_build_filename (dir, "session.json", NULL);
  g_autoptr (JsonParser) parser = json_parser_new ();
  g_autoptr (GError) error = NULL;
  g_assert_true (json_parser_load_from_file (parser, json, &error));
  JsonObject *modes = json_object_get_object_member (
    json_node_get_object (json_parser_get_root (parser)), "modes");
  JsonArray *list = json_object_get_array_member (modes, "list");
  guint n = json_array_get_length (list);
  g_assert_cmpuint (n, >=, 2);
  for (guint i = 0; i < copies; i++)
    json_array_add_element (list, json_node_copy (json_array_get_element (list, n - 1)));
  g_autoptr (JsonGenerator) gen = json_generator_new ();
  json_generator_set_root (gen, json_parser_get_root (parser));
  g_assert_true (json_generator_to_file (gen, json, &error));
}

/* A list of modes beyond TG_SESSION_MAX_MODES, or naming one adapter file twice, is refused
 * before any adapter is loaded again and again. */
static void
test_modes_bounded (void)
{
  g_autofree char *many = good_copy ("many-modes");
  g_autofree char *twice = good_copy ("twice");
  repeat_last_mode (many, TG_SESSION_MAX_MODES);
  assert_refused (many, "many-modes/session.json");
  repeat_last_mode (twice, 1);
  assert_refused (twice, "twice/session.json");
}

static void
test_refusals (void)
{
  g_autofree char *a = good_copy ("broken-json");
  g_autofree char *b = good_copy ("missing-csv");
  g_autofree char *c = good_copy ("bad-csv");
  g_autofree char *d = good_copy ("escape");
  g_autofree char *e = good_copy ("version");
  g_autofree char *f = good_copy ("mismatched");
  g_autofree char *json = g_build_filename (a, "session.json", NULL);
  g_autofree char *text = NULL;
  gsize len;

  /* truncated JSON */
  g_assert_true (g_file_get_contents (json, &text, &len, NULL));
  g_assert_true (g_file_set_contents (json, text, len / 2, NULL));
  assert_refused (a, "broken-json/session.json");

  g_autofree char *csv = g_build_filename (b, "runs", "001-TauGate-seed-3-1.csv", NULL);
  g_assert_cmpint (g_unlink (csv), ==, 0);
  assert_refused (b, "001-TauGate-seed-3-1.csv");

  g_autofree char *csv2 = g_build_filename (c, "runs", "002-LoRA-x.csv", NULL);
  g_assert_true (g_file_set_contents (csv2, "step,loss,acc0,acc_target\n1,2,3\n", -1, NULL));
  assert_refused (c, "002-LoRA-x.csv");

  rewrite_json (d, "\"002-LoRA-x-full.csv\"", "\"../../escape.csv\"");
  assert_refused (d, "escape/session.json");

  rewrite_json (e, "\"version\" : 1", "\"version\" : 99");
  assert_refused (e, "version/session.json");

  /* the adapter of another foundation, in place of the session's */
  {
    g_autoptr (TgModel) other = make_model (99);
    g_autoptr (TgModel) adapted = tg_model_copy (other);
    g_autoptr (TgModes) modes = tg_modes_new (other);
    g_autoptr (GError) error = NULL;
    g_autofree char *adapter = g_build_filename (f, "adapters", "01-TauGate-45-trained-here.safetensors", NULL);
    adapted->method = TG_METHOD_TAUGATE;
    tg_modes_attach_model (modes, adapted, 5, "x", 45);
    g_assert_true (tg_modes_save_adapter (modes, 1, adapter, &error));
    g_assert_no_error (error);
    assert_left_out (f, "01-TauGate-45-trained-here.safetensors");
  }
  /* an adapter file gone */
  {
    g_autofree char *g = good_copy ("adapter-gone");
    g_autofree char *adapter = g_build_filename (g, "adapters", "01-TauGate-45-trained-here.safetensors", NULL);
    g_assert_cmpint (g_unlink (adapter), ==, 0);
    assert_left_out (g, "01-TauGate-45-trained-here.safetensors");
  }
}

/* A session folder that also holds a file of the user's (notes beside the session, a
 * figure in runs/) is not replaced by a save, which would remove that file with the old
 * session; the file stays, the error names it. */
static void
test_save_keeps_foreign_files (void)
{
  const char *foreign[] = { "notes.txt", "runs/figure.pdf" };
  for (guint i = 0; i < G_N_ELEMENTS (foreign); i++)
    {
      g_autofree char *name = g_strdup_printf ("with-foreign-%u", i);
      g_autofree char *dir = good_copy (name);
      g_autofree char *keep = g_build_filename (dir, foreign[i], NULL);
      g_assert_true (g_file_set_contents (keep, "precious", -1, NULL));
      g_autoptr (TgSession) s = make_session ();
      g_autoptr (GError) error = NULL;
      g_assert_false (tg_session_save (s, dir, &error));
      g_assert_nonnull (error);
      g_test_message ("%s", error->message);
      g_assert_nonnull (strstr (error->message, foreign[i]));
      g_assert_true (g_file_test (keep, G_FILE_TEST_IS_REGULAR));
    }
}

static void
test_save_refuses_other_folder (void)
{
  g_autoptr (TgSession) s = make_session ();
  g_autoptr (GError) error = NULL;
  g_autofree char *dir = tmp_path ("not-a-session");
  g_autofree char *keep = g_build_filename (dir, "thesis.tex", NULL);

  g_assert_cmpint (g_mkdir (dir, 0755), ==, 0);
  g_assert_true (g_file_set_contents (keep, "precious", -1, NULL));
  g_assert_false (tg_session_save (s, dir, &error));
  g_assert_nonnull (error);
  g_assert_nonnull (strstr (error->message, "not-a-session"));
  g_assert_true (g_file_test (keep, G_FILE_TEST_EXISTS));
}

/* A view tensor that is not finite cannot be read back (safetensors readers refuse it):
 * the save is refused, naming the tensor, and the old session stays as it was. */
static void
test_failed_save_keeps_old (void)
{
  g_autofree char *dir = good_copy ("keep-old");
  g_autoptr (TgSession) s = make_session ();
  g_autoptr (GError) error = NULL;
  g_autoptr (TgSession) r = NULL;
  guint64 shape[1] = { 2 };
  float bad[2] = { 1, NAN };

  g_ptr_array_set_size (s->runs, 0);
  tg_session_add_view_tensor (s, "masks.gates0", 1, shape, bad);
  g_assert_false (tg_session_save (s, dir, &error));
  g_assert_nonnull (error);
  g_assert_nonnull (strstr (error->message, "masks.gates0"));
  g_clear_error (&error);
  r = tg_session_load (dir, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (r->runs->len, ==, 2);
}

/* Only what session.json lists is the session's: a file of the user's that looks like one of
 * its own (a CSV in runs/, safetensors beside the foundation or among the adapters) is not
 * removed by a save over the session; the save is refused naming it. A save over a session
 * that lists more runs than the new one (its files all listed) replaces it. */
static void
test_save_keeps_unlisted_files (void)
{
  const char *mine[] = { "runs/analysis.csv", "my-finetuned.safetensors",
                         "adapters/keep-me.safetensors" };
  for (guint i = 0; i < G_N_ELEMENTS (mine); i++)
    {
      g_autofree char *name = g_strdup_printf ("with-unlisted-%u", i);
      g_autofree char *dir = good_copy (name);
      g_autofree char *keep = g_build_filename (dir, mine[i], NULL);
      g_autoptr (TgSession) s = make_session ();
      g_autoptr (GError) error = NULL;
      g_autofree char *text = NULL;

      g_assert_true (g_file_set_contents (keep, "the user's own", -1, NULL));
      g_assert_false (tg_session_save (s, dir, &error));
      g_assert_nonnull (error);
      g_test_message ("%s", error->message);
      g_assert_nonnull (strstr (error->message, mine[i]));
      g_assert_true (g_file_get_contents (keep, &text, NULL, NULL));
      g_assert_cmpstr (text, ==, "the user's own");
    }
  {
    /* removing the session (the studio's Discard of an autosave) keeps them too */
    g_autofree char *dir = good_copy ("remove-unlisted");
    g_autofree char *keep = g_build_filename (dir, "runs", "analysis.csv", NULL);
    g_autoptr (GError) error = NULL;
    g_assert_true (g_file_set_contents (keep, "the user's own", -1, NULL));
    g_assert_false (tg_session_remove (dir, &error));
    g_assert_nonnull (error);
    g_assert_nonnull (strstr (error->message, "runs/analysis.csv"));
    g_assert_true (g_file_test (keep, G_FILE_TEST_IS_REGULAR));
  }
  {
    g_autofree char *dir = good_copy ("fewer-runs");
    g_autoptr (TgSession) s = make_session ();
    g_autoptr (TgSession) r = NULL;
    g_autoptr (GError) error = NULL;
    g_autofree char *gone = g_build_filename (dir, "runs", "002-LoRA-x.csv", NULL);

    g_assert_true (g_file_test (gone, G_FILE_TEST_IS_REGULAR));
    g_ptr_array_set_size (s->runs, 1);
    g_assert_true (tg_session_save (s, dir, &error));
    g_assert_no_error (error);
    g_assert_false (g_file_test (gone, G_FILE_TEST_EXISTS));
    r = tg_session_load (dir, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (r->runs->len, ==, 1);
  }
}

/* Symbolic links in a session folder that lead out of it are not followed: a
 * foundation.safetensors pointing elsewhere, a runs folder that is a link to another folder
 * (a stand-in for /etc); the error names the link. A save over such a folder is refused and
 * touches nothing behind the link. A link that stays inside the folder is read. */
static void
test_links_refused (void)
{
  g_autofree char *outside = tmp_path ("outside");
  g_autofree char *elsewhere = g_build_filename (outside, "foundation.safetensors", NULL);
  g_autofree char *other_runs = g_build_filename (outside, "runs", NULL);
  g_assert_cmpint (g_mkdir_with_parents (outside, 0755), ==, 0);

  {
    g_autofree char *dir = good_copy ("link-foundation");
    g_autofree char *f = g_build_filename (dir, "foundation.safetensors", NULL);
    g_assert_cmpint (g_rename (f, elsewhere), ==, 0);
    g_assert_cmpint (symlink (elsewhere, f), ==, 0);
    assert_refused (dir, "foundation.safetensors");
    {
      g_autoptr (GError) error = NULL;
      g_autoptr (TgSession) r = tg_session_load (dir, &error);
      g_assert_nonnull (strstr (error->message, "symbolic link"));
    }
  }
  {
    g_autofree char *dir = good_copy ("link-runs");
    g_autofree char *runs = g_build_filename (dir, "runs", NULL);
    g_autofree char *kept = g_build_filename (other_runs, "001-TauGate-seed-3-1.csv", NULL);
    g_autoptr (TgSession) s = make_session ();
    g_autoptr (GError) error = NULL;
    g_assert_cmpint (g_rename (runs, other_runs), ==, 0);
    g_assert_cmpint (symlink (other_runs, runs), ==, 0);
    assert_refused (dir, "runs");
    g_assert_false (tg_session_save (s, dir, &error));
    g_assert_nonnull (error);
    g_test_message ("%s", error->message);
    g_assert_true (g_file_test (kept, G_FILE_TEST_IS_REGULAR));
    g_assert_true (g_file_test (runs, G_FILE_TEST_IS_SYMLINK));
  }
  {
    g_autofree char *dir = good_copy ("link-inside");
    g_autofree char *f = g_build_filename (dir, "foundation.safetensors", NULL);
    g_autofree char *moved = g_build_filename (dir, "adapters", "base.bin", NULL);
    g_autoptr (GError) error = NULL;
    g_autoptr (TgSession) r = NULL;
    g_assert_cmpint (g_rename (f, moved), ==, 0);
    g_assert_cmpint (symlink ("adapters/base.bin", f), ==, 0);
    r = tg_session_load (dir, &error);
    g_assert_no_error (error);
    g_assert_nonnull (r->modes);
  }
}

static TgSessionRecords *
make_records (guint n_params)
{
  static const char *const pcols[] = { "step", "run_id", NULL };
  static const char *const mcols[] = { "mask_step", "weights", NULL };
  TgSessionRecords *r = tg_session_records_new (pcols, mcols);
  g_autofree float *tau = g_new (float, n_params * 3);
  float w[5] = { 1, -2, 0.5f, 1e-9f, 3 };
  guint64 tshape[2] = { n_params, 3 }, wshape[2] = { 1, 5 };

  for (guint i = 0; i < n_params; i++)
    {
      double row[2] = { 4.0 * i, 1 };
      tg_session_table_append (r->params, row);
      for (guint j = 0; j < 3; j++)
        tau[i * 3 + j] = 0.1f * (float) (i + j) - 0.3f;
    }
  double mrow[2] = { 0, NAN };
  tg_session_table_append (r->masks, mrow);
  tg_session_records_add_tensor (r, "params.tau", 2, tshape, tau);
  tg_session_records_add_tensor (r, "weights.params", 2, wshape, w);
  g_hash_table_insert (r->metadata, g_strdup ("widths"), g_strdup ("3"));
  return r;
}

static void
test_records (void)
{
  g_autoptr (TgSession) s = make_session ();
  g_autoptr (GError) error = NULL;
  g_autofree char *dir = tmp_path ("records");

  s->records = make_records (3);
  g_assert_true (tg_session_save (s, dir, &error));
  g_assert_no_error (error);
  g_autoptr (TgSession) r = tg_session_load (dir, &error);
  g_assert_no_error (error);
  g_assert_nonnull (r->records);
  assert_tables_equal (s->records->params, r->records->params);
  assert_tables_equal (s->records->masks, r->records->masks);
  g_assert_cmpstr (g_hash_table_lookup (r->records->metadata, "widths"), ==, "3");
  g_assert_cmpuint (r->records->tensors->len, ==, 2);
  for (guint i = 0; i < s->records->tensors->len; i++)
    {
      const TgSessionTensor *a = g_ptr_array_index (s->records->tensors, i);
      const TgSessionTensor *b = tg_session_records_get_tensor (r->records, a->name);
      g_assert_nonnull (b);
      g_assert_cmpmem (a->shape, sizeof a->shape, b->shape, sizeof b->shape);
      g_assert_cmpmem (a->values, a->shape[0] * a->shape[1] * sizeof (float), b->values,
                       b->shape[0] * b->shape[1] * sizeof (float));
    }
  /* the records are the session's: a save over them replaces them, and one without drops them */
  g_clear_pointer (&s->records, tg_session_records_free);
  g_assert_true (tg_session_save (s, dir, &error));
  g_assert_no_error (error);
  g_clear_pointer (&r, tg_session_free);
  r = tg_session_load (dir, &error);
  g_assert_no_error (error);
  g_assert_null (r->records);

  /* a table of more rows than its arrays */
  s->records = make_records (3);
  g_assert_true (tg_session_save (s, dir, &error));
  g_autofree char *csv = g_build_filename (dir, TG_SESSION_RECORDS_PARAMS, NULL);
  g_autofree char *text = NULL;
  g_assert_true (g_file_get_contents (csv, &text, NULL, NULL));
  g_autofree char *more = g_strconcat (text, "12,1\n", NULL);
  g_assert_true (g_file_set_contents (csv, more, -1, NULL));
  assert_refused (dir, TG_SESSION_RECORDS_TENSORS);
  /* more rows than a session keeps */
  g_clear_pointer (&s->records, tg_session_records_free);
  s->records = make_records (TG_SESSION_MAX_RECORDS);
  g_assert_true (tg_session_save (s, dir, &error));
  g_autoptr (GString) many = g_string_new ("step,run_id\n");
  for (guint i = 0; i <= TG_SESSION_MAX_RECORDS; i++)
    g_string_append_printf (many, "%u,1\n", i);
  g_assert_true (g_file_set_contents (csv, many->str, -1, NULL));
  assert_refused (dir, TG_SESSION_RECORDS_PARAMS);
  /* and the writer does not write what the reader refuses */
  g_clear_pointer (&s->records, tg_session_records_free);
  s->records = make_records (TG_SESSION_MAX_RECORDS + 1);
  g_assert_false (tg_session_save (s, dir, &error));
  g_assert_nonnull (error);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  tmp_dir = g_dir_make_tmp ("test-session-XXXXXX", NULL);
  g_test_add_func ("/session/round-trip", test_round_trip);
  g_test_add_func ("/session/refusals", test_refusals);
  g_test_add_func ("/session/modes-bounded", test_modes_bounded);
  g_test_add_func ("/session/save-refuses-other-folder", test_save_refuses_other_folder);
  g_test_add_func ("/session/save-keeps-foreign-files", test_save_keeps_foreign_files);
  g_test_add_func ("/session/failed-save-keeps-old", test_failed_save_keeps_old);
  g_test_add_func ("/session/save-keeps-unlisted-files", test_save_keeps_unlisted_files);
  g_test_add_func ("/session/links-refused", test_links_refused);
  g_test_add_func ("/session/records", test_records);
  int status = g_test_run ();
  g_autofree char *rm = g_strdup_printf ("rm -rf '%s'", tmp_dir);
  if (system (rm) != 0)
    g_warning ("could not remove %s", tmp_dir);
  return status;
}
