/* SPDX-License-Identifier: MIT */
/* test-modes.c — a foundation and its adapters as modes, on small synthetic data.
 *
 * The foundation digest (stable under adapter parameters, changed by one weight bit, checked
 * on load with its own error), a plain safetensors foundation as a PyTorch user saves it,
 * attaching and refusing files, angle specs, the angle sweep against tg_evaluate, the router
 * on separable modes, the entropy choice, and the mixed-stream table's invariants. */
#include "tg-automode.h"
#include "tg-checkpoint.h"
#include "tg-digest.h"
#include "tg-metrics.h"
#include "tg-modes-report.h"
#include "tg-mode-pair.h"
#include "cli-test-util.h"

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <math.h>
#include <string.h>

#define SIDE 8
#define WIDTH 16

static char *tmp_dir;

static char *
tmp_path (const char *name)
{
  return g_build_filename (tmp_dir, name, NULL);
}

static TgModel *
make_model (guint32 lora_rank, guint64 seed)
{
  guint32 widths[2] = { WIDTH, WIDTH };
  g_autoptr(GError) error = NULL;
  TgModel *m = tg_model_new (SIDE * SIDE, 2, widths, 10, lora_rank, 8.0f, &error);
  g_assert_no_error (error);
  uint64_t rng = tg_rng_seed (seed);
  tg_model_init_weights (m, &rng);
  return m;
}

/* Random images whose label is a function of the pixels, so models are far from chance. */
static TgDataset *
make_data (guint32 n, guint64 seed)
{
  TgDataset *ds = tg_dataset_new (n, SIDE, SIDE, 10, NULL);
  uint64_t rng = tg_rng_seed (seed);
  for (guint32 i = 0; i < n; i++)
    {
      guint32 sum = 0;
      for (guint32 j = 0; j < ds->dim; j++)
        {
          ds->pixels[(size_t) i * ds->dim + j] = (guint8) tg_rng_below (&rng, 256);
          sum += j < ds->dim / 2 ? ds->pixels[(size_t) i * ds->dim + j] : 0;
        }
      ds->labels[i] = (guint8) (sum % 10);
    }
  return ds;
}

static void
assert_refused_naming (GError *error, const char *path)
{
  g_assert_nonnull (error);
  g_autofree char *base = g_path_get_basename (path);
  if (strstr (error->message, base) == NULL)
    g_error ("error message \"%s\" does not name %s", error->message, base);
}

/* --- the digest ----------------------------------------------------------------------- */

static void
test_digest (void)
{
  g_autoptr(TgModel) m = make_model (4, 1);
  g_autofree char *d0 = tg_foundation_digest (m);
  g_assert_cmpuint (strlen (d0), ==, 64);
  /* adapter parameters are not the foundation */
  for (guint l = 0; l < 2; l++)
    m->params[m->tau[l]] += 1.0f, m->params[m->gamma[l] + 3] *= 2.0f;
  m->params[m->lora_b[1]] = 0.5f;
  g_autofree char *d1 = tg_foundation_digest (m);
  g_assert_cmpstr (d0, ==, d1);
  /* one bit of one weight is */
  guint32 bits;
  memcpy (&bits, &m->params[m->w[2] + 7], 4);
  bits ^= 1;
  memcpy (&m->params[m->w[2] + 7], &bits, 4);
  g_autofree char *d2 = tg_foundation_digest (m);
  g_assert_cmpstr (d0, !=, d2);
}

static void
test_digest_checked_on_load (void)
{
  g_autoptr(TgModel) f1 = make_model (0, 2), f2 = make_model (0, 3);
  g_autoptr(TgModel) adapted = tg_model_copy (f1);
  for (guint l = 0; l < 2; l++)
    adapted->params[adapted->tau[l] + 1] = 0.25f;
  g_autoptr(GHashTable) md = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  tg_foundation_digest_insert (md, f1);
  g_autofree char *path = tmp_path ("digest-taugate.safetensors");
  g_autoptr(GError) error = NULL;
  g_assert_true (tg_checkpoint_save_adapter (adapted, TG_METHOD_TAUGATE, md, path, &error));

  g_autoptr(TgModel) on1 = tg_model_copy (f1);
  g_assert_true (tg_checkpoint_load_adapter (on1, path, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpfloat (on1->params[on1->tau[0] + 1], ==, 0.25f);

  g_autoptr(TgModel) on2 = tg_model_copy (f2);
  g_autofree float *before = g_memdup2 (on2->params, on2->n_params * sizeof (float));
  g_assert_false (tg_checkpoint_load_adapter (on2, path, NULL, &error));
  g_assert_error (error, TG_FOUNDATION_ERROR, TG_FOUNDATION_ERROR_MISMATCH);
  assert_refused_naming (error, path);
  g_assert_cmpmem (on2->params, on2->n_params * sizeof (float), before,
                   on2->n_params * sizeof (float));
  g_clear_error (&error);
  /* the caller that asked the user may load it all the same */
  g_assert_true (tg_checkpoint_load_adapter_unchecked (on2, path, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpfloat (on2->params[on2->tau[0] + 1], ==, 0.25f);

  /* a file that records no digest loads anywhere, as before */
  g_autofree char *plain = tmp_path ("digest-none.safetensors");
  g_assert_true (tg_checkpoint_save_adapter (adapted, TG_METHOD_TAUGATE, NULL, plain, &error));
  g_autoptr(TgModel) on2b = tg_model_copy (f2);
  g_assert_true (tg_checkpoint_load_adapter (on2b, plain, NULL, &error));
  g_assert_no_error (error);
}

/* --- a foundation as PyTorch saves it --------------------------------------------------- */

/* safetensors with no __metadata__, biases before weights, an unpadded header. */
static void
write_plain_foundation (const TgModel *m, const char *path)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  GByteArray *data = g_byte_array_new ();
  json_builder_begin_object (b);
  for (int l = (int) m->n_linear - 1; l >= 0; l--)
    for (int k = 0; k < 2; k++)
      {
        gboolean w = k == 1;
        g_autofree char *name = g_strdup_printf ("layers.%d.%s", l, w ? "weight" : "bias");
        guint rows = m->dims[l + 1], cols = m->dims[l];
        size_t count = w ? (size_t) rows * cols : rows;
        json_builder_set_member_name (b, name);
        json_builder_begin_object (b);
        json_builder_set_member_name (b, "dtype");
        json_builder_add_string_value (b, "F32");
        json_builder_set_member_name (b, "shape");
        json_builder_begin_array (b);
        json_builder_add_int_value (b, rows);
        if (w)
          json_builder_add_int_value (b, cols);
        json_builder_end_array (b);
        json_builder_set_member_name (b, "data_offsets");
        json_builder_begin_array (b);
        json_builder_add_int_value (b, data->len);
        json_builder_add_int_value (b, data->len + 4 * count);
        json_builder_end_array (b);
        json_builder_end_object (b);
        g_byte_array_append (data, (const guint8 *) (m->params + (w ? m->w[l] : m->b[l])),
                             (guint) (4 * count));
      }
  json_builder_end_object (b);
  g_autoptr(JsonGenerator) gen = json_generator_new ();
  g_autoptr(JsonNode) root = json_builder_get_root (b);
  json_generator_set_root (gen, root);
  gsize jl = 0;
  g_autofree char *json = json_generator_to_data (gen, &jl);
  GByteArray *file = g_byte_array_new ();
  guint64 le = GUINT64_TO_LE ((guint64) jl);
  g_byte_array_append (file, (const guint8 *) &le, 8);
  g_byte_array_append (file, (const guint8 *) json, (guint) jl);
  g_byte_array_append (file, data->data, data->len);
  g_assert_true (g_file_set_contents (path, (const char *) file->data, file->len, NULL));
  g_byte_array_unref (file);
  g_byte_array_unref (data);
}

static void
test_plain_foundation (void)
{
  g_autoptr(TgModel) m = make_model (0, 4);
  g_autofree char *path = tmp_path ("plain-foundation.safetensors");
  write_plain_foundation (m, path);
  g_autoptr(GError) error = NULL;
  g_autoptr(TgModes) modes = tg_modes_new_from_file (path, &error);
  g_assert_no_error (error);
  g_assert_nonnull (modes);
  g_assert_cmpuint (tg_modes_count (modes), ==, 1);
  g_assert_cmpstr (tg_modes_get (modes, 0)->name, ==, "Base");
  for (guint l = 0; l < m->n_linear; l++)
    g_assert_cmpmem (modes->foundation->params + modes->foundation->w[l],
                     4 * m->dims[l] * m->dims[l + 1], m->params + m->w[l],
                     4 * m->dims[l] * m->dims[l + 1]);
  g_autofree char *want = tg_foundation_digest (m);
  g_assert_cmpstr (modes->digest, ==, want);
}

/* --- attaching -------------------------------------------------------------------------- */

static char *
save_adapter (const TgModel *foundation, TgMethod method, double angle, guint64 seed,
              const char *name)
{
  g_autoptr(TgModel) a = tg_model_copy (foundation);
  if (method == TG_METHOD_LORA && a->lora_rank == 0)
    {
      g_autoptr(GError) error = NULL;
      guint32 widths[2] = { WIDTH, WIDTH };
      g_clear_pointer (&a, tg_model_free);
      a = tg_model_new (SIDE * SIDE, 2, widths, 10, 4, 8.0f, &error);
      g_assert_no_error (error);
      for (guint l = 0; l < a->n_linear; l++)
        {
          memcpy (a->params + a->w[l], foundation->params + foundation->w[l],
                  4 * a->dims[l] * a->dims[l + 1]);
          memcpy (a->params + a->b[l], foundation->params + foundation->b[l], 4 * a->dims[l + 1]);
        }
    }
  uint64_t rng = tg_rng_seed (seed);
  TgRange r[64];
  guint nr = tg_model_trainable_ranges (a, method, r, G_N_ELEMENTS (r));
  for (guint i = 0; i < nr; i++)
    for (size_t k = 0; k < r[i].length; k++)
      a->params[r[i].offset + k] += 0.3f * (tg_rng_uniform (&rng) - 0.5f);
  g_autoptr(GHashTable) md = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  tg_foundation_digest_insert (md, foundation);
  g_hash_table_insert (md, g_strdup ("target_angle"), g_strdup_printf ("%g", angle));
  g_hash_table_insert (md, g_strdup ("sharpness"), g_strdup ("5"));
  if (method == TG_METHOD_LORA)
    g_hash_table_insert (md, g_strdup ("lora_alpha"), g_strdup ("8"));
  char *path = tmp_path (name);
  g_autoptr(GError) error = NULL;
  g_assert_true (tg_checkpoint_save_adapter (a, method, md, path, &error));
  g_assert_no_error (error);
  return path;
}

static void
test_attach (void)
{
  g_autoptr(TgModel) f = make_model (0, 5);
  g_autofree char *fpath = tmp_path ("attach-foundation.safetensors");
  g_autoptr(GError) error = NULL;
  g_assert_true (tg_checkpoint_save_foundation (f, NULL, fpath, &error));
  g_autofree char *tau = save_adapter (f, TG_METHOD_TAUGATE, 45, 6, "attach-taugate.safetensors");
  g_autofree char *lora = save_adapter (f, TG_METHOD_LORA, 45, 7, "attach-lora.safetensors");

  g_autoptr(TgModes) modes = tg_modes_new_from_file (fpath, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (tg_modes_attach_file (modes, tau, TRUE, &error), ==, 1);
  g_assert_no_error (error);
  g_assert_cmpuint (tg_modes_attach_file (modes, lora, TRUE, &error), ==, 2);
  g_assert_no_error (error);
  g_assert_cmpstr (tg_modes_get (modes, 1)->name, ==, "TauGate 45°");
  g_assert_cmpint (tg_modes_get (modes, 1)->model->method, ==, TG_METHOD_TAUGATE);
  g_assert_cmpfloat (tg_modes_get (modes, 1)->target_angle, ==, 45.0);
  g_assert_cmpuint (tg_modes_get (modes, 2)->model->lora_rank, ==, 4);
  /* the same file twice gets a name of its own */
  g_assert_cmpuint (tg_modes_attach_file (modes, tau, TRUE, &error), ==, 3);
  g_assert_cmpstr (tg_modes_get (modes, 3)->name, ==, "TauGate 45° (2)");

  /* refusals leave the modes as they were and name the file */
  g_assert_cmpuint (tg_modes_attach_file (modes, fpath, TRUE, &error), ==, 0);
  assert_refused_naming (error, fpath);
  g_clear_error (&error);
  g_autofree char *cut = tmp_path ("attach-cut.safetensors");
  g_autofree char *bytes = NULL;
  gsize len;
  g_assert_true (g_file_get_contents (tau, &bytes, &len, NULL));
  g_assert_true (g_file_set_contents (cut, bytes, (gssize) len - 9, NULL));
  g_assert_cmpuint (tg_modes_attach_file (modes, cut, TRUE, &error), ==, 0);
  assert_refused_naming (error, cut);
  g_clear_error (&error);
  g_autoptr(TgModel) other = make_model (0, 8);
  g_autofree char *opath = tmp_path ("attach-other.safetensors");
  g_assert_true (tg_checkpoint_save_foundation (other, NULL, opath, &error));
  g_autoptr(TgModes) wrong = tg_modes_new_from_file (opath, &error);
  g_assert_cmpuint (tg_modes_attach_file (wrong, tau, TRUE, &error), ==, 0);
  g_assert_error (error, TG_FOUNDATION_ERROR, TG_FOUNDATION_ERROR_MISMATCH);
  g_clear_error (&error);
  g_assert_cmpuint (tg_modes_count (wrong), ==, 1);
  g_assert_cmpuint (tg_modes_attach_file (wrong, tau, FALSE, &error), ==, 1);
  g_assert_cmpuint (tg_modes_count (modes), ==, 4);

  /* save, remove, reattach: the same parameters and name; rename keeps names unique */
  g_autofree char *saved = tmp_path ("attach-saved.safetensors");
  g_assert_true (tg_modes_save_adapter (modes, 2, saved, &error));
  g_assert_no_error (error);
  g_assert_false (tg_modes_save_adapter (modes, 0, saved, &error));
  g_clear_error (&error);
  g_autoptr(TgModel) kept = tg_model_copy (tg_modes_get (modes, 2)->model);
  g_assert_false (tg_modes_remove (modes, 0));
  g_assert_true (tg_modes_remove (modes, 2));
  g_assert_cmpuint (tg_modes_count (modes), ==, 3);
  g_assert_cmpuint (tg_modes_attach_file (modes, saved, TRUE, &error), ==, 3);
  g_assert_no_error (error);
  g_assert_cmpmem (tg_modes_get (modes, 3)->model->params, kept->n_params * 4, kept->params,
                   kept->n_params * 4);
  g_assert_cmpfloat (tg_modes_get (modes, 3)->model->lora_alpha, ==, kept->lora_alpha);
  tg_modes_rename (modes, 3, "TauGate 45°");
  g_assert_cmpstr (tg_modes_get (modes, 3)->name, ==, "TauGate 45° (3)");
  tg_modes_rename (modes, 3, "mine");
  g_assert_cmpstr (tg_modes_get (modes, 3)->name, ==, "mine");

  /* an adapter is not a foundation */
  g_assert_null (tg_modes_new_from_file (tau, &error));
  assert_refused_naming (error, tau);
  g_assert_nonnull (strstr (error->message, "not a foundation"));
}

static void
test_angles (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) a = tg_angles_parse ("0:180:15", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (a->len, ==, 13);
  g_assert_cmpfloat (g_array_index (a, double, 12), ==, 180.0);
  g_autoptr(GArray) b = tg_angles_parse ("0, 45,90", &error);
  g_assert_cmpuint (b->len, ==, 3);
  g_assert_cmpfloat (g_array_index (b, double, 1), ==, 45.0);
  g_autoptr(GArray) c = tg_angles_parse ("0:100:30", &error);
  g_assert_cmpuint (c->len, ==, 4);
  const char *bad[] = { "", "0:180", "0:180:0", "0:180:-15", "90:0:15", "x", "0,,45",
                        "0:720:15", "nan", "0:360:0.001", "1e999" };
  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GError) e = NULL;
      g_autoptr(GArray) r = tg_angles_parse (bad[i], &e);
      if (r != NULL)
        g_error ("angles \"%s\" accepted", bad[i]);
      g_assert_error (e, TG_ERROR, TG_ERROR_INVALID);
    }
}

/* --- measuring ---------------------------------------------------------------------------- */

static TgModes *
modes_with_two (TgModel **f_out)
{
  g_autoptr(TgModel) f = make_model (0, 9);
  g_autofree char *t0 = save_adapter (f, TG_METHOD_TAUGATE, 0, 10, "m-t0.safetensors");
  g_autofree char *t90 = save_adapter (f, TG_METHOD_LORA, 90, 11, "m-l90.safetensors");
  TgModes *modes = tg_modes_new (f);
  g_autoptr(GError) error = NULL;
  g_assert_cmpuint (tg_modes_attach_file (modes, t0, TRUE, &error), ==, 1);
  g_assert_cmpuint (tg_modes_attach_file (modes, t90, TRUE, &error), ==, 2);
  g_assert_no_error (error);
  if (f_out)
    *f_out = g_steal_pointer (&f);
  return modes;
}

static void
test_sweep (void)
{
  g_autoptr(TgModes) modes = modes_with_two (NULL);
  g_autoptr(TgDataset) test = make_data (300, 12);
  double angles[] = { 0, 90, 135 };
  g_autoptr(GError) error = NULL;
  g_autoptr(TgAngleSweep) sw = tg_modes_sweep (modes, test, angles, 3, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (sw->n_modes, ==, 3);
  for (guint a = 0; a < 3; a++)
    {
      g_autoptr(TgDataset) rot = tg_dataset_rotated (test, angles[a]);
      for (guint m = 0; m < 3; m++)
        {
          TgMode *mode = tg_modes_get (modes, m);
          g_autoptr(TgWorkspace) ws = tg_workspace_new (mode->model, 64);
          TgEval e;
          TgForwardOpts soft = { TG_GATES_SOFT, mode->sharpness };
          tg_evaluate (mode->model, ws, &soft, rot, NULL, 0, &e);
          g_assert_cmpfloat_with_epsilon (sw->acc_soft[m * 3 + a], e.acc_soft, 1e-12);
          g_assert_cmpfloat_with_epsilon (sw->acc_hard[m * 3 + a], e.acc_hard, 1e-12);
        }
    }
  g_autofree char *csv = tg_modes_sweep_csv (modes, sw);
  g_auto(GStrv) lines = g_strsplit (csv, "\n", -1);
  g_assert_cmpuint (g_strv_length (lines), ==, 1 + 9 + 1);
  g_assert_cmpstr (lines[0], ==, "mode,method,target_angle,angle,acc_soft,acc_hard");
  g_assert_true (g_str_has_prefix (lines[4], "TauGate 0°,taugate,0,0,"));

  /* written without a mixed stream, a mixed.csv of an earlier run does not stay behind */
  g_autofree char *out = tmp_path ("sweep-out");
  g_autofree char *stale = g_build_filename (out, "mixed.csv", NULL);
  g_assert_cmpint (g_mkdir_with_parents (out, 0755), ==, 0);
  g_assert_true (g_file_set_contents (stale, "old\n", -1, NULL));
  g_assert_true (tg_modes_write_all (modes, sw, NULL, out, &error));
  g_assert_no_error (error);
  g_assert_false (g_file_test (stale, G_FILE_TEST_EXISTS));
  g_autofree char *tex = g_build_filename (out, "tables", "modes.tex", NULL);
  g_autofree char *mcsv = g_build_filename (out, "modes.csv", NULL);
  g_assert_true (g_file_test (tex, G_FILE_TEST_IS_REGULAR));
  g_assert_true (g_file_test (mcsv, G_FILE_TEST_IS_REGULAR));

  /* a cancelled sweep stops with an error */
  g_autoptr(GCancellable) c = g_cancellable_new ();
  g_cancellable_cancel (c);
  g_autoptr(TgAngleSweep) none = tg_modes_sweep (modes, test, angles, 3, c, &error);
  g_assert_null (none);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
}

/* Mode 0 images are bright in the top half, mode 1 in the bottom half: a router on the
 * first hidden layer must tell them apart on images it has not seen. */
static void
test_router_separable (void)
{
  g_autoptr(TgModel) f = make_model (0, 13);
  g_autoptr(TgDataset) ds = make_data (1200, 14);
  g_autofree guint8 *mode = g_new (guint8, ds->n);
  uint64_t rng = tg_rng_seed (15);
  for (guint32 i = 0; i < ds->n; i++)
    {
      mode[i] = (guint8) tg_rng_below (&rng, 2);
      for (guint32 j = 0; j < ds->dim; j++)
        {
          gboolean top = j < ds->dim / 2;
          guint8 *p = &ds->pixels[(size_t) i * ds->dim + j];
          *p = (top == (mode[i] == 0)) ? (guint8) (*p / 2 + 128) : (guint8) (*p / 4);
        }
    }
  g_autoptr(TgDataset) train = tg_dataset_head (ds, 1000);
  g_autoptr(TgRouter) r = tg_router_train (f, train, mode, 2, 5, 16);
  g_assert_cmpuint (tg_router_n_params (r), ==, 2 * (WIDTH + 1));
  g_autofree guint8 *pred = g_new (guint8, ds->n);
  tg_router_predict (r, f, ds, pred);
  guint right = 0;
  for (guint32 i = 1000; i < ds->n; i++)
    right += pred[i] == mode[i];
  g_assert_cmpuint (right, >=, 190);
}

static const TgMixedRow *
row_of (const TgMixedResult *mx, TgMixedKind kind, guint nth)
{
  for (guint i = 0; i < mx->rows->len; i++)
    {
      const TgMixedRow *r = &g_array_index (mx->rows, TgMixedRow, i);
      if (r->kind == kind && nth-- == 0)
        return r;
    }
  g_assert_not_reached ();
}

static void
test_mixed_stream (void)
{
  g_autoptr(TgModes) modes = modes_with_two (NULL);
  g_autoptr(TgDataset) train = make_data (600, 17), test = make_data (400, 18);
  g_autoptr(GError) error = NULL;
  g_autoptr(TgMixedResult) mx = tg_modes_mixed_stream (modes, train, test, 2, 0, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (mx->rows->len, ==, 6);
  g_assert_cmpuint (mx->n_stream_modes, ==, 2);
  g_assert_cmpfloat (mx->stream_angles[1], ==, 90.0);
  g_assert_cmpuint (mx->router_params, ==, 2 * (WIDTH + 1));
  g_assert_true (isnan (row_of (mx, TG_MIXED_BASE, 0)->right_soft));
  g_assert_cmpfloat (row_of (mx, TG_MIXED_ORACLE, 0)->right_soft, ==, 1.0);
  g_assert_cmpfloat (row_of (mx, TG_MIXED_ORACLE, 0)->right_hard, ==, 1.0);
  double r0 = row_of (mx, TG_MIXED_SINGLE, 0)->right_soft;
  double r1 = row_of (mx, TG_MIXED_SINGLE, 1)->right_soft;
  g_assert_cmpfloat_with_epsilon (r0 + r1, 1.0, 1e-12);
  g_assert_cmpfloat (r0, >, 0.4);  /* an even mixture */
  g_assert_cmpfloat (r0, <, 0.6);
  g_autofree char *csv = tg_modes_mixed_csv (mx);
  g_assert_true (g_str_has_prefix (csv, "row,kind,extra_params,acc_soft,acc_hard,"
                                        "right_mode_soft,right_mode_hard\nBase,base,0,"));
  g_assert_nonnull (strstr (csv, "\nAuto (router),auto-router,34,"));
  g_assert_nonnull (strstr (csv, "\nOracle,oracle,0,"));

  /* One adapter alone is not a mixture. */
  g_autoptr(TgModel) f = make_model (0, 9);
  g_autoptr(TgModes) one = tg_modes_new (f);
  g_autofree char *t0 = save_adapter (f, TG_METHOD_TAUGATE, 0, 10, "one-t0.safetensors");
  tg_modes_attach_file (one, t0, TRUE, &error);
  g_autoptr(TgMixedResult) none = tg_modes_mixed_stream (one, train, test, 1, 0, NULL, &error);
  g_assert_null (none);
  g_assert_error (error, TG_ERROR, TG_ERROR_INVALID);
}

/* A TauGate adapter whose last hidden layer has every gain set to gain. */
static char *
save_gain_adapter (const TgModel *f, float gain, double angle, const char *name)
{
  g_autoptr(TgModel) a = tg_model_copy (f);
  for (guint u = 0; u < WIDTH; u++)
    a->params[a->gamma[1] + u] = gain;
  g_autoptr(GHashTable) md = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_hash_table_insert (md, g_strdup ("target_angle"), g_strdup_printf ("%g", angle));
  char *path = tmp_path (name);
  g_autoptr(GError) error = NULL;
  g_assert_true (tg_checkpoint_save_adapter (a, TG_METHOD_TAUGATE, md, path, &error));
  g_assert_no_error (error);
  return path;
}

/* Gains of 0 make an adapter's output the constant softmax(b2), near-uniform (entropy close
 * to log 10); gains of 50 make the other one certain. Auto (entropy) must choose the certain
 * one for every input, so it scores exactly as that adapter alone. */
static void
test_entropy_choice (void)
{
  g_autoptr(TgModel) f = make_model (0, 19);
  g_autofree char *sure = save_gain_adapter (f, 50.0f, 90, "ent-sure.safetensors");
  g_autofree char *flat = save_gain_adapter (f, 0.0f, 0, "ent-flat.safetensors");
  g_autoptr(TgModes) modes = tg_modes_new (f);
  g_autoptr(GError) error = NULL;
  g_assert_cmpuint (tg_modes_attach_file (modes, flat, TRUE, &error), ==, 1);
  g_assert_cmpuint (tg_modes_attach_file (modes, sure, TRUE, &error), ==, 2);
  g_assert_no_error (error);
  g_autoptr(TgDataset) train = make_data (300, 21), test = make_data (400, 22);
  g_autoptr(TgMixedResult) mx = tg_modes_mixed_stream (modes, train, test, 1, 3, NULL, &error);
  g_assert_no_error (error);
  const TgMixedRow *r_flat = row_of (mx, TG_MIXED_SINGLE, 0);
  const TgMixedRow *r_sure = row_of (mx, TG_MIXED_SINGLE, 1);
  const TgMixedRow *auto_e = row_of (mx, TG_MIXED_AUTO_ENTROPY, 0);
  g_assert_cmpfloat (auto_e->acc_soft, ==, r_sure->acc_soft);
  g_assert_cmpfloat (auto_e->right_soft, ==, r_sure->right_soft);
  g_assert_cmpfloat (r_sure->acc_soft, !=, r_flat->acc_soft);
}

/* Two modes side by side: a mode with itself overlaps fully with no τ or γ apart; crafted
 * gates give the counts and the Jaccard they should; the τ and γ differences are the
 * parameters'; an ungated mode and a foundation of another shape are refused. */
static void
test_mode_pair (void)
{
  g_autoptr (TgModel) a = make_model (0, 3);
  g_autoptr (TgDataset) test = make_data (300, 9);
  g_autoptr (GError) error = NULL;
  TgModePair pair;

  a->method = TG_METHOD_TAUGATE;
  for (guint l = 0; l < 2; l++)
    for (guint u = 0; u < WIDTH; u++)
      a->params[a->tau[l] + u] = -0.05f * u;
  g_autofree float *ga = tg_mode_own_gates (a, 5.0f, test, 30.0, &error);
  g_assert_no_error (error);
  g_assert_true (tg_mode_pair_compare (a, ga, a, ga, 0.5f, &pair, &error));
  g_assert_cmpuint (pair.n_layers, ==, 2);
  guint on = 0;
  for (guint l = 0; l < 2; l++)
    {
      g_assert_cmpfloat (pair.jaccard[l], ==, 1.0);
      g_assert_cmpuint (pair.only_a[l] + pair.only_b[l], ==, 0);
      g_assert_cmpuint (pair.both[l] + pair.neither[l], ==, WIDTH);
      g_assert_cmpfloat (pair.dtau_max[l], ==, 0.0);
      g_assert_cmpfloat (pair.dgamma_mean[l], ==, 0.0);
      on += pair.both[l];
    }
  g_assert_cmpuint (on, >, 0);  /* the check above saw units on */
  /* the rotation matters: its own angle's gates, not the plain set's */
  g_autofree float *g0 = tg_mode_own_gates (a, 5.0f, test, 0.0, &error);
  g_assert_true (memcmp (g0, ga, 2 * WIDTH * sizeof (float)) != 0);

  /* crafted: layer 0 a on units 0-5, b on 3-9 -> both 3, only a 3, only b 4, J = 3/10;
   * layer 1 nobody on -> J = 1 */
  g_autoptr (TgModel) b = tg_model_copy (a);
  b->params[b->tau[0] + 2] += 0.5f;
  b->params[b->gamma[1] + 7] -= 0.25f;
  float xa[2 * WIDTH] = { 0 }, xb[2 * WIDTH] = { 0 };
  for (guint u = 0; u < 6; u++)
    xa[u] = 0.95f;
  for (guint u = 3; u < 10; u++)
    xb[u] = 0.95f;
  g_assert_true (tg_mode_pair_compare (a, xa, b, xb, 0.9f, &pair, &error));
  g_assert_cmpuint (pair.both[0], ==, 3);
  g_assert_cmpuint (pair.only_a[0], ==, 3);
  g_assert_cmpuint (pair.only_b[0], ==, 4);
  g_assert_cmpuint (pair.neither[0], ==, WIDTH - 10);
  g_assert_cmpfloat_with_epsilon (pair.jaccard[0], 0.3, 1e-12);
  g_assert_cmpfloat (pair.jaccard[1], ==, 1.0);
  g_assert_cmpfloat_with_epsilon (pair.dtau_max[0], 0.5, 1e-6);
  g_assert_cmpfloat_with_epsilon (pair.dtau_mean[0], 0.5 / WIDTH, 1e-6);
  g_assert_cmpfloat (pair.dtau_max[1], ==, 0.0);
  g_assert_cmpfloat_with_epsilon (pair.dgamma_max[1], 0.25, 1e-6);

  g_autoptr (TgModel) base = tg_model_copy (a);
  base->method = TG_METHOD_FROZEN;
  g_assert_null (tg_mode_own_gates (base, 5.0f, test, 0.0, &error));
  g_assert_error (error, TG_ERROR, TG_ERROR_INVALID);
  g_clear_error (&error);
  guint32 widths[2] = { WIDTH, WIDTH + 1 };
  g_autoptr (TgModel) other = tg_model_new (SIDE * SIDE, 2, widths, 10, 0, 8.0f, NULL);
  g_autofree float *xo = g_new0 (float, 2 * WIDTH + 1);
  g_assert_false (tg_mode_pair_compare (a, xa, other, xo, 0.9f, &pair, &error));
  g_assert_error (error, TG_ERROR, TG_ERROR_INVALID);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_autoptr(GError) error = NULL;
  tmp_dir = g_dir_make_tmp ("taugate-modes-XXXXXX", &error);
  g_assert_no_error (error);
  g_test_add_func ("/modes/digest/stable-and-sensitive", test_digest);
  g_test_add_func ("/modes/digest/checked-on-load", test_digest_checked_on_load);
  g_test_add_func ("/modes/plain-foundation", test_plain_foundation);
  g_test_add_func ("/modes/attach", test_attach);
  g_test_add_func ("/modes/angles", test_angles);
  g_test_add_func ("/modes/sweep", test_sweep);
  g_test_add_func ("/modes/router/separable", test_router_separable);
  g_test_add_func ("/modes/mixed-stream", test_mixed_stream);
  g_test_add_func ("/modes/entropy-choice", test_entropy_choice);
  g_test_add_func ("/modes/pair", test_mode_pair);
  int status = g_test_run ();
  cli_test_remove_tree (tmp_dir);
  g_free (tmp_dir);
  return status;
}
