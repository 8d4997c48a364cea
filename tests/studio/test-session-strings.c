/* test-session-strings.c — what the studio writes into a session stays within what the session
 * reader takes, without a display: a view's error naming long paths is cut to the reader's
 * bound for a string instead of making the whole session unreadable. And the run's per-step
 * records of a small synthetic history come back from a saved session bit for bit (τ, γ,
 * masks, the model of a mask record), while records that are not of the run's layers, not in
 * step order, of a weight set that is not there or of other columns are refused naming the
 * file and the fault. */
#include "studio-session-private.h"
#include "studio-snapshot.h"
#include "tg-session.h"
#include "tg-session-records.h"

#include <string.h>
#include <glib/gstdio.h>

#include "cli-test-util.h"

static void
test_long_error_saved_cut (void)
{
  g_autofree char *dir = g_dir_make_tmp ("tg-session-strings-XXXXXX", NULL);
  g_autofree char *session_dir = g_build_filename (dir, "s", NULL);
  g_autofree char *path = g_strnfill (3000, 'p');
  g_autoptr (TgSession) s = tg_session_new ();
  g_autoptr (TgSession) r = NULL;
  g_autoptr (GError) error = NULL;
  StudioSnapshot *shown[4] = { NULL }, *back[4] = { NULL };
  StudioSnapshot *snap = studio_snapshot_new ();

  /* "τ" twice: a cut must not split a character */
  snap->error = g_error_new (TG_ERROR, TG_ERROR_IO, "τ/%s holds 3 images but τ/%s holds 4 labels",
                             path, path);
  shown[2] = snap;
  json_object_set_string_member (s->settings, "method", "taugate");
  studio_session_put_view (s, shown);
  g_assert_true (tg_session_save (s, session_dir, &error));
  g_assert_no_error (error);

  r = tg_session_load (session_dir, &error);
  g_assert_no_error (error);
  g_assert_nonnull (r);
  g_assert_true (studio_session_get_view (r, session_dir, back, &error));
  g_assert_no_error (error);
  g_assert_nonnull (back[2]);
  g_assert_nonnull (back[2]->error);
  g_assert_cmpuint (strlen (back[2]->error->message), <=, TG_SESSION_MAX_STRING);
  g_assert_cmpuint (strlen (back[2]->error->message), >, TG_SESSION_MAX_STRING - 4);
  g_assert_true (g_utf8_validate (back[2]->error->message, -1, NULL));
  g_assert_true (g_str_has_prefix (back[2]->error->message, "τ/ppp"));
  for (guint i = 0; i < G_N_ELEMENTS (back); i++)
    g_clear_pointer (&back[i], studio_snapshot_unref);
  studio_snapshot_unref (snap);
  cli_test_remove_tree (dir);
}

/* A training snapshot of run 1 at step with 3 units of one layer; with a mask record (2
 * classes) and a model copy when masks. */
static StudioSnapshot *
record (guint64 step, gboolean masks)
{
  StudioSnapshot *s = studio_snapshot_new ();
  s->job = STUDIO_JOB_TRAIN;
  s->run_id = 1;
  s->method = s->run_method = TG_METHOD_TAUGATE;
  s->step = step;
  s->n_hidden = 1;
  s->widths[0] = s->hidden_units = 3;
  s->tau = g_new (float, 3);
  s->gamma = g_new (float, 3);
  for (guint j = 0; j < 3; j++)
    {
      s->tau[j] = 0.01f * (float) step + 0.1f * j;
      s->gamma[j] = 1 - 0.001f * (float) step;
    }
  if (!masks)
    return s;
  s->has_masks = TRUE;
  s->mask_step = step;
  s->n_classes = 2;
  float **arrays[] = { &s->firing0_hard, &s->firing_rot_hard, &s->firing0_soft,
                       &s->firing_rot_soft };
  for (guint a = 0; a < G_N_ELEMENTS (arrays); a++)
    {
      *arrays[a] = g_new (float, 6);
      for (guint j = 0; j < 6; j++)
        (*arrays[a])[j] = 0.125f * (float) (a + j) + 0.001f * (float) step;
    }
  s->gates0 = g_memdup2 (s->tau, 3 * sizeof (float));
  s->gates_rot = g_memdup2 (s->gamma, 3 * sizeof (float));
  guint32 widths[1] = { 3 };
  s->model = tg_model_new (4, 1, widths, 2, 0, 4.0f, NULL);
  for (size_t i = 0; i < s->model->n_params; i++)
    s->model->params[i] = 0.5f * (float) (i % 5) + (step > 8 ? 1 : 0);
  s->model->method = TG_METHOD_TAUGATE;
  return s;
}

/* A history whose current run has τ/γ records at steps 0, 4, ..., 16 and mask records at 8
 * and 16 (of other weights). */
static StudioHistory *
history_with_records (void)
{
  StudioHistory *h = studio_history_new ();
  for (guint64 step = 0; step <= 16; step += 4)
    {
      g_autoptr (StudioSnapshot) s = record (step, step == 8 || step == 16);
      studio_history_add (h, s);
    }
  return h;
}

static void
test_records_round_trip (void)
{
  g_autoptr (StudioHistory) h = history_with_records ();
  g_autoptr (TgSession) s = tg_session_new ();
  g_autoptr (GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("tg-session-records-XXXXXX", NULL);
  g_autofree char *session_dir = g_build_filename (dir, "s", NULL);
  g_autoptr (GPtrArray) params = NULL;
  g_autoptr (GPtrArray) masks = NULL;
  guint run = 0;

  studio_session_put_records (s, h);
  g_assert_nonnull (s->records);
  g_assert_true (tg_session_save (s, session_dir, &error));
  g_assert_no_error (error);
  g_autoptr (TgSession) r = tg_session_load (session_dir, &error);
  g_assert_no_error (error);
  g_assert_true (studio_session_get_records (r, session_dir, &run, &params, &masks, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (run, ==, 1);
  g_assert_cmpuint (params->len, ==, studio_history_get_n_times (h));
  g_assert_cmpuint (masks->len, ==, studio_history_get_n_mask_times (h));
  for (guint i = 0; i < params->len; i++)
    {
      const StudioSnapshot *a = studio_history_get_time_params (h, i), *b = params->pdata[i];
      g_assert_cmpuint (a->step, ==, b->step);
      g_assert_cmpmem (a->tau, 3 * sizeof (float), b->tau, 3 * sizeof (float));
      g_assert_cmpmem (a->gamma, 3 * sizeof (float), b->gamma, 3 * sizeof (float));
    }
  for (guint i = 0; i < masks->len; i++)
    {
      const StudioSnapshot *a = studio_history_get_time_masks (h, i), *b = masks->pdata[i];
      g_assert_cmpuint (a->mask_step, ==, b->mask_step);
      g_assert_cmpmem (a->firing_rot_soft, 6 * sizeof (float), b->firing_rot_soft, 6 * sizeof (float));
      g_assert_cmpmem (a->gates_rot, 3 * sizeof (float), b->gates_rot, 3 * sizeof (float));
      g_assert_nonnull (b->model);
      g_assert_cmpint (a->model->method, ==, b->model->method);
      g_assert_cmpmem (a->model->params, a->model->n_params * sizeof (float), b->model->params,
                       b->model->n_params * sizeof (float));
    }
  tg_session_remove (session_dir, NULL);
  g_rmdir (dir);
}

/* records of h put into a session, spoilt by spoil, are refused naming what */
static void
assert_refused (void (*spoil) (TgSessionRecords *r), const char *what)
{
  g_autoptr (StudioHistory) h = history_with_records ();
  g_autoptr (TgSession) s = tg_session_new ();
  g_autoptr (GError) error = NULL;
  GPtrArray *params = NULL, *masks = NULL;
  guint run = 0;

  studio_session_put_records (s, h);
  spoil (s->records);
  g_assert_false (studio_session_get_records (s, "S", &run, &params, &masks, &error));
  g_assert_nonnull (error);
  g_test_message ("refused: %s", error->message);
  g_assert_nonnull (strstr (error->message, what));
  g_assert_null (params);
  g_assert_null (masks);
}

static void
set_cell (TgSessionTable *t, guint row, const char *column, double v)
{
  for (guint c = 0; c < t->n_columns; c++)
    if (strcmp (t->columns[c], column) == 0)
      g_array_index (t->values, double, row * t->n_columns + c) = v;
}

static void spoil_order (TgSessionRecords *r) { set_cell (r->params, 2, "step", 100); }
static void spoil_units (TgSessionRecords *r) { set_cell (r->masks, 0, "hidden_units", 4); }
static void spoil_weights (TgSessionRecords *r) { set_cell (r->masks, 1, "weights", 7); }
static void spoil_run (TgSessionRecords *r) { set_cell (r->masks, 1, "run_id", 2); }
static void
spoil_columns (TgSessionRecords *r)
{
  g_free (r->params->columns[0]);
  r->params->columns[0] = g_strdup ("time");
}
static void
spoil_shape (TgSessionRecords *r)
{
  for (guint i = 0; i < r->tensors->len; i++)
    {
      TgSessionTensor *t = g_ptr_array_index (r->tensors, i);
      if (strcmp (t->name, "masks.firing0_hard") == 0)
        t->shape[1] = 1, t->shape[2] = 6;
    }
}

static void
test_records_refused (void)
{
  assert_refused (spoil_order, "records-params.csv: row 4: the records are not of one run in step order");
  assert_refused (spoil_units, "records-masks.csv: row 1: not a training record of the run's layers");
  assert_refused (spoil_weights, "records-masks.csv: row 2: “weights” is not a row of weights.params");
  assert_refused (spoil_run, "records-masks.csv: row 2: the records are not of one run");
  assert_refused (spoil_columns, "records-params.csv: its columns are not those of a τ/γ record");
  assert_refused (spoil_shape, "masks.firing0_hard in records.safetensors is missing or not of the records' size");
}

/* A run whose weights change at every one of its 100 mask records (as Full FT's or LoRA's
 * do) keeps every other one until at most 64 weight sets remain: 50, evenly over the run,
 * the newest always; a method that trains only τ and γ keeps all of them. */
static void
test_records_thinned (void)
{
  for (guint changing = 0; changing < 2; changing++)
    {
      g_autoptr (StudioHistory) h = studio_history_new ();
      g_autoptr (TgSession) s = tg_session_new ();
      for (guint64 step = 1; step <= 100; step++)
        {
          g_autoptr (StudioSnapshot) snap = record (step, TRUE);
          if (changing)
            snap->model->params[0] = (float) step;
          studio_history_add (h, snap);
        }
      studio_session_put_records (s, h);
      TgSessionTable *t = s->records->masks;
      guint n = tg_session_table_n_rows (t);
      g_assert_cmpuint (n, ==, changing ? 50 : 100);
      g_assert_cmpfloat (tg_session_table_get (t, n - 1, 0), ==, 1);  /* run_id */
      guint step_col = 0;
      while (strcmp (t->columns[step_col], "mask_step") != 0)
        step_col++;
      g_assert_cmpfloat (tg_session_table_get (t, n - 1, step_col), ==, 100);
      for (guint i = 1; i < n; i++)
        g_assert_cmpfloat (tg_session_table_get (t, i, step_col) -
                           tg_session_table_get (t, i - 1, step_col), ==, changing ? 2 : 1);
    }
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/studio/session-strings/long-error-saved-cut", test_long_error_saved_cut);
  g_test_add_func ("/studio/session-records/round-trip", test_records_round_trip);
  g_test_add_func ("/studio/session-records/refused", test_records_refused);
  g_test_add_func ("/studio/session-records/thinned", test_records_thinned);
  return g_test_run ();
}
