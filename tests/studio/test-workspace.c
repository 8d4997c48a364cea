/* test-workspace.c — the window's state without a window: StudioWorkspace's unit selection,
 * column order and ablation set with their signals, and its data set following the model
 * shown, with the test set read from real MNIST (TG_MNIST_DIR) and Fashion-MNIST when it is
 * installed. Links the display-free part of the studio only: no GTK, no Xvfb. */
#include <string.h>
#include <glib/gstdio.h>

#include "studio-workspace.h"
#include "studio-task-hold.h"
#include "tg-checkpoint.h"
#include "tg-digest.h"

#define FASHION_DIR "/usr/share/datasets/fashion-mnist"

typedef struct {
  guint selection, order, ablation, data_set;
} Counts;

static void count_cb (StudioWorkspace *ws, guint *counter) { (*counter)++; }

static StudioWorkspace *
counted_workspace (Counts *c)
{
  StudioWorkspace *ws = studio_workspace_new ();
  g_signal_connect (ws, "selection-changed", G_CALLBACK (count_cb), &c->selection);
  g_signal_connect (ws, "order-changed", G_CALLBACK (count_cb), &c->order);
  g_signal_connect (ws, "ablation-changed", G_CALLBACK (count_cb), &c->ablation);
  g_signal_connect (ws, "data-set-changed", G_CALLBACK (count_cb), &c->data_set);
  return ws;
}

/* One selected unit or none; a signal only when it changes. */
static void
test_selection (void)
{
  Counts c = { 0 };
  g_autoptr (StudioWorkspace) ws = counted_workspace (&c);
  guint layer = 99, index = 99;

  g_assert_false (studio_workspace_get_selected_unit (ws, &layer, &index));
  studio_workspace_select_unit (ws, 1, 7);
  g_assert_cmpuint (c.selection, ==, 1);
  g_assert_true (studio_workspace_get_selected_unit (ws, &layer, &index));
  g_assert_cmpuint (layer, ==, 1);
  g_assert_cmpuint (index, ==, 7);
  studio_workspace_select_unit (ws, 1, 7);
  g_assert_cmpuint (c.selection, ==, 1);
  studio_workspace_select_unit (ws, 0, 7);
  g_assert_cmpuint (c.selection, ==, 2);
  studio_workspace_unselect_unit (ws);
  studio_workspace_unselect_unit (ws);
  g_assert_cmpuint (c.selection, ==, 2 + 1);
  g_assert_false (studio_workspace_get_selected_unit (ws, NULL, NULL));
  g_assert_cmpuint (c.order + c.ablation + c.data_set, ==, 0);
}

static void
test_order (void)
{
  Counts c = { 0 };
  g_autoptr (StudioWorkspace) ws = counted_workspace (&c);

  g_assert_cmpint (studio_workspace_get_unit_order (ws), ==, TG_UNIT_ORDER_INDEX);
  studio_workspace_set_unit_order (ws, TG_UNIT_ORDER_SELECTIVITY);
  studio_workspace_set_unit_order (ws, TG_UNIT_ORDER_SELECTIVITY);
  g_assert_cmpuint (c.order, ==, 1);
  g_assert_cmpint (studio_workspace_get_unit_order (ws), ==, TG_UNIT_ORDER_SELECTIVITY);
  studio_workspace_set_unit_order (ws, TG_UNIT_ORDER_INDEX);
  g_assert_cmpuint (c.order, ==, 2);
  g_assert_cmpuint (c.selection + c.ablation + c.data_set, ==, 0);
}

/* Toggle adds a silenced unit or takes it out; an edit of a unit in the set replaces its
 * action; many edits at once are one change; nothing that leaves the set as it is says so. */
static void
test_ablation_set (void)
{
  Counts c = { 0 };
  g_autoptr (StudioWorkspace) ws = counted_workspace (&c);
  guint n;

  studio_workspace_toggle_unit (ws, (TgUnitId) { 0, 4 });
  const TgUnitEdit *e = studio_workspace_get_edits (ws, &n);
  g_assert_cmpuint (n, ==, 1);
  g_assert_cmpuint (e[0].unit.index, ==, 4);
  g_assert_cmpint (e[0].action, ==, TG_UNIT_SILENCE);
  studio_workspace_add_edit (ws, (TgUnitId) { 0, 4 }, TG_UNIT_FORCE_ON);
  e = studio_workspace_get_edits (ws, &n);
  g_assert_cmpuint (n, ==, 1);
  g_assert_cmpint (e[0].action, ==, TG_UNIT_FORCE_ON);
  studio_workspace_add_edit (ws, (TgUnitId) { 0, 4 }, TG_UNIT_FORCE_ON);
  g_assert_cmpuint (c.ablation, ==, 2);

  TgUnitEdit more[] = { { { 1, 2 }, TG_UNIT_SILENCE }, { { 1, 3 }, TG_UNIT_SILENCE },
                        { { 0, 4 }, TG_UNIT_FORCE_ON } };
  studio_workspace_add_edits (ws, more, G_N_ELEMENTS (more));
  g_assert_cmpuint (c.ablation, ==, 3);
  e = studio_workspace_get_edits (ws, &n);
  g_assert_cmpuint (n, ==, 3);
  g_assert_cmpuint (e[1].unit.layer, ==, 1);
  g_assert_cmpuint (e[2].unit.index, ==, 3);

  studio_workspace_toggle_unit (ws, (TgUnitId) { 1, 2 });
  studio_workspace_get_edits (ws, &n);
  g_assert_cmpuint (n, ==, 2);
  g_assert_cmpuint (c.ablation, ==, 4);

  /* a session's set: replaced whole, and not again when equal */
  TgUnitEdit saved[] = { { { 1, 9 }, TG_UNIT_SILENCE } };
  studio_workspace_set_edits (ws, saved, 1);
  studio_workspace_set_edits (ws, saved, 1);
  g_assert_cmpuint (c.ablation, ==, 5);
  studio_workspace_clear_edits (ws);
  studio_workspace_clear_edits (ws);
  studio_workspace_get_edits (ws, &n);
  g_assert_cmpuint (n, ==, 0);
  g_assert_cmpuint (c.ablation, ==, 6);
  g_assert_cmpuint (c.selection + c.order + c.data_set, ==, 0);
}

/* A snapshot of a run's model on data_dir (NULL: not known), as the history keeps it. */
static void
show_model (StudioHistory *history, guint run_id, const char *data_dir)
{
  StudioSnapshot *snap = studio_snapshot_new ();
  snap->run_id = run_id;
  snap->job = STUDIO_JOB_TRAIN;
  snap->has_masks = TRUE;
  snap->data_dir = g_strdup (data_dir);
  studio_history_add (history, snap);
  studio_snapshot_unref (snap);
}

/* The data set is the model shown's, else the one chosen; its test set is that folder's,
 * and a test set handed out stays whole when the workspace moves to another. */
static void
test_data_set (void)
{
  const char *mnist = g_getenv ("TG_MNIST_DIR");
  gboolean have_fashion = g_file_test (FASHION_DIR, G_FILE_TEST_IS_DIR);
  /* a second folder when Fashion-MNIST is not installed: the checks of the switch hold */
  const char *other = have_fashion ? FASHION_DIR : mnist;
  Counts c = { 0 };
  g_autoptr (StudioWorkspace) ws = counted_workspace (&c);
  StudioHistory *history = studio_workspace_get_history (ws);
  g_autoptr (GError) error = NULL;

  /* by default, studio_default_data_dir (): TG_MNIST_DIR here */
  g_assert_cmpstr (studio_workspace_get_data_dir (ws), ==, mnist);
  g_autoptr (StudioTestSet) digits = studio_workspace_dup_test_set (ws, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (digits->data->n, ==, 10000);
  g_assert_cmpuint (digits->data->labels[0], ==, 7);   /* MNIST's first test image */
  g_autoptr (StudioTestSet) again = studio_workspace_dup_test_set (ws, &error);
  g_assert_true (again == digits);   /* read once */

  /* the folder chosen (the Data set drop-down) */
  studio_workspace_set_data_dir (ws, FASHION_DIR);
  if (have_fashion)
    {
      g_assert_cmpuint (c.data_set, ==, 1);
      g_autoptr (StudioTestSet) clothes = studio_workspace_dup_test_set (ws, &error);
      g_assert_no_error (error);
      g_assert_cmpstr (clothes->dir, ==, FASHION_DIR);
      g_assert_cmpuint (clothes->data->n, ==, 10000);
      g_assert_cmpuint (clothes->data->labels[0], ==, 9);  /* an ankle boot */
    }
  else
    g_test_message (FASHION_DIR " is not installed: Fashion-MNIST's labels not checked");
  /* the one handed out before is still MNIST's, whole */
  g_assert_cmpstr (digits->dir, ==, mnist);
  g_assert_cmpuint (digits->data->labels[0], ==, 7);

  /* a model trained on MNIST is shown: its data set wins over the chosen one */
  guint before = c.data_set;
  show_model (history, 1, mnist);
  g_assert_cmpstr (studio_workspace_get_data_dir (ws), ==, mnist);
  g_assert_cmpuint (c.data_set, ==, before + (have_fashion ? 1 : 0));
  /* more snapshots of that model: no change */
  show_model (history, 1, mnist);
  g_assert_cmpuint (c.data_set, ==, before + (have_fashion ? 1 : 0));
  /* a model on the other folder */
  show_model (history, 2, other);
  g_assert_cmpstr (studio_workspace_get_data_dir (ws), ==, other);
  g_autoptr (StudioTestSet) shown = studio_workspace_dup_test_set (ws, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (shown->dir, ==, other);
  /* a model whose data is not known (a session's): the chosen folder */
  studio_workspace_set_data_dir (ws, mnist);
  show_model (history, 3, NULL);
  g_assert_cmpstr (studio_workspace_get_data_dir (ws), ==, mnist);
  /* nothing shown: the chosen one */
  show_model (history, 4, other);
  studio_history_clear (history);
  g_assert_cmpstr (studio_workspace_get_data_dir (ws), ==, mnist);
  g_assert_cmpuint (c.selection + c.order + c.ablation, ==, 0);
}

/* A folder without a test set: an error that names it, and no test set. */
static void
test_data_set_missing (void)
{
  g_autoptr (StudioWorkspace) ws = studio_workspace_new ();
  g_autoptr (GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("workspace-XXXXXX", &error);
  g_assert_no_error (error);

  studio_workspace_set_data_dir (ws, dir);
  StudioTestSet *set = studio_workspace_dup_test_set (ws, &error);
  g_assert_null (set);
  g_assert_nonnull (error);
  g_assert_nonnull (strstr (error->message, dir));
  g_rmdir (dir);
}

/* Holds count up and down without an application, from another thread too. */
static gpointer
release_thread (gpointer data)
{
  studio_task_hold_release (data);
  return NULL;
}

static void
test_task_hold (void)
{
  guint before = studio_task_hold_count ();
  StudioTaskHold *a = studio_task_hold_new ();
  StudioTaskHold *b = studio_task_hold_new ();
  g_assert_cmpuint (studio_task_hold_count (), ==, before + 2);
  studio_task_hold_release (a);
  g_thread_join (g_thread_new ("release", release_thread, b));
  studio_task_hold_release (NULL);
  g_assert_cmpuint (studio_task_hold_count (), ==, before);
}

/* ---- the modes ---------------------------------------------------------------------------- */

/* A tiny foundation (seed's weights) saved to dir/NAME, returned. */
static TgModel *
save_foundation (const char *dir, const char *name, guint64 seed)
{
  guint32 widths[2] = { 8, 8 };
  g_autoptr (GError) error = NULL;
  TgModel *m = tg_model_new (16, 2, widths, 4, 2, 4.0f, &error);
  g_assert_no_error (error);
  uint64_t rng = tg_rng_seed (seed);
  tg_model_init_weights (m, &rng);
  m->method = TG_METHOD_FULL;
  g_autoptr (GHashTable) md = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_autofree char *path = g_build_filename (dir, name, NULL);
  g_assert_true (tg_checkpoint_save_foundation (m, md, path, &error));
  g_assert_no_error (error);
  return m;
}

/* A TauGate adapter of foundation at angle, saved to dir/NAME. */
static char *
save_adapter (const char *dir, const char *name, const TgModel *foundation, double angle)
{
  g_autoptr (TgModel) m = tg_model_copy (foundation);
  g_autoptr (GError) error = NULL;
  uint64_t rng = tg_rng_seed (7);
  tg_model_reset_adapter (m, &rng);
  m->method = TG_METHOD_TAUGATE;
  m->params[m->tau[0]] = (float) angle / 100.0f;
  g_autoptr (GHashTable) md = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  tg_foundation_digest_insert (md, foundation);
  g_hash_table_insert (md, g_strdup ("target_angle"), g_strdup_printf ("%g", angle));
  char *path = g_build_filename (dir, name, NULL);
  g_assert_true (tg_checkpoint_save_adapter (m, TG_METHOD_TAUGATE, md, path, &error));
  g_assert_no_error (error);
  return path;
}

/* Opening checkpoints: a foundation, its adapters, the same file again (switched to, not
 * added), an adapter of another foundation (not attached: the window asks), an adapter with
 * no foundation open; the active mode and the signals that say so. */
static void
test_modes (void)
{
  g_autofree char *dir = g_dir_make_tmp ("tg-workspace-modes-XXXXXX", NULL);
  g_autoptr (TgModel) fa = save_foundation (dir, "a.safetensors", 1);
  g_autoptr (TgModel) fb = save_foundation (dir, "b.safetensors", 2);
  g_autofree char *a0 = save_adapter (dir, "a-0.safetensors", fa, 0);
  g_autofree char *a45 = save_adapter (dir, "a-45.safetensors", fa, 45);
  g_autofree char *b45 = save_adapter (dir, "b-45.safetensors", fb, 45);
  g_autofree char *pa = g_build_filename (dir, "a.safetensors", NULL);
  g_autoptr (StudioWorkspace) ws = studio_workspace_new ();
  g_autoptr (GError) error = NULL;
  guint modes_changed = 0, active_changed = 0, index = 99;

  g_signal_connect (ws, "modes-changed", G_CALLBACK (count_cb), &modes_changed);
  g_signal_connect (ws, "active-mode-changed", G_CALLBACK (count_cb), &active_changed);
  g_assert_null (studio_workspace_get_modes (ws));
  /* an adapter needs its foundation open */
  g_assert_cmpint (studio_workspace_open_adapter (ws, a0, NULL, &error), ==, STUDIO_OPEN_REFUSED);
  g_assert_nonnull (strstr (error->message, a0));
  g_clear_error (&error);

  g_assert_cmpint (studio_workspace_open_foundation (ws, pa, &error), ==, STUDIO_OPEN_OPENED);
  g_assert_cmpint (studio_workspace_open_adapter (ws, a0, &index, &error), ==, STUDIO_OPEN_OPENED);
  g_assert_cmpuint (index, ==, 1);
  g_assert_cmpint (studio_workspace_open_adapter (ws, a45, &index, &error), ==, STUDIO_OPEN_OPENED);
  g_assert_cmpuint (index, ==, 2);
  g_assert_no_error (error);
  g_assert_cmpuint (modes_changed, ==, 0);    /* the caller says so once, after a batch */
  studio_workspace_modes_changed (ws);
  g_assert_cmpuint (modes_changed, ==, 1);
  g_assert_cmpuint (tg_modes_count (studio_workspace_get_modes (ws)), ==, 3);
  g_assert_cmpuint (studio_workspace_get_active_mode (ws), ==, 0);

  /* the same adapter again (by another path to it): switched to, not a fourth mode */
  g_autofree char *again = g_build_filename (dir, ".", "a-0.safetensors", NULL);
  g_assert_cmpint (studio_workspace_open_adapter (ws, again, &index, &error), ==,
                   STUDIO_OPEN_SWITCHED);
  g_assert_cmpuint (index, ==, 1);
  g_assert_cmpuint (studio_workspace_get_active_mode (ws), ==, 1);
  g_assert_cmpuint (tg_modes_count (studio_workspace_get_modes (ws)), ==, 3);
  /* the open foundation again: its Base, the adapters kept */
  g_assert_cmpint (studio_workspace_open_foundation (ws, pa, &error), ==, STUDIO_OPEN_SWITCHED);
  g_assert_cmpuint (studio_workspace_get_active_mode (ws), ==, 0);
  g_assert_cmpuint (tg_modes_count (studio_workspace_get_modes (ws)), ==, 3);
  /* another foundation's adapter is not attached: the window asks first */
  g_assert_cmpint (studio_workspace_open_adapter (ws, b45, NULL, &error), ==, STUDIO_OPEN_FOREIGN);
  g_assert_true (g_error_matches (error, TG_FOUNDATION_ERROR, TG_FOUNDATION_ERROR_MISMATCH));
  g_clear_error (&error);
  g_assert_cmpuint (tg_modes_count (studio_workspace_get_modes (ws)), ==, 3);

  /* the active mode: a signal when it changes, none for no change or no such mode */
  active_changed = 0;
  g_assert_true (studio_workspace_set_active_mode (ws, 2));
  g_assert_true (studio_workspace_set_active_mode (ws, 2));
  g_assert_false (studio_workspace_set_active_mode (ws, 3));
  g_assert_cmpuint (active_changed, ==, 1);
  g_assert_cmpuint (studio_workspace_get_active_mode (ws), ==, 2);
  /* a mode removed past the active one: the active one stays within the modes */
  g_assert_true (tg_modes_remove (studio_workspace_get_modes (ws), 2));
  studio_workspace_modes_changed (ws);
  g_assert_cmpuint (studio_workspace_get_active_mode (ws), ==, 1);
  /* replaced (a session's modes), then none */
  studio_workspace_take_modes (ws, NULL, 5);
  g_assert_null (studio_workspace_get_modes (ws));
  g_assert_cmpuint (studio_workspace_get_active_mode (ws), ==, 0);

  const char *files[] = { "a.safetensors", "b.safetensors", "a-0.safetensors",
                          "a-45.safetensors", "b-45.safetensors" };
  for (guint i = 0; i < G_N_ELEMENTS (files); i++)
    {
      g_autofree char *f = g_build_filename (dir, files[i], NULL);
      g_unlink (f);
    }
  g_rmdir (dir);
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  const char *mnist = g_getenv ("TG_MNIST_DIR");
  if (mnist == NULL || !g_file_test (mnist, G_FILE_TEST_IS_DIR))
    {
      g_printerr ("TG_MNIST_DIR does not name the MNIST folder\n");
      return 77;
    }
  g_test_add_func ("/workspace/selection", test_selection);
  g_test_add_func ("/workspace/order", test_order);
  g_test_add_func ("/workspace/ablation-set", test_ablation_set);
  g_test_add_func ("/workspace/data-set", test_data_set);
  g_test_add_func ("/workspace/data-set-missing", test_data_set_missing);
  g_test_add_func ("/workspace/task-hold", test_task_hold);
  g_test_add_func ("/workspace/modes", test_modes);
  return g_test_run ();
}
