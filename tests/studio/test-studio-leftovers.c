/* SPDX-License-Identifier: MIT */
/* test-studio-leftovers.c — regression tests for what the studio got wrong beyond a crash:
 * a collapsed run said in the banner, a data folder of mixed image sizes refused with a
 * banner naming the fault. Under xvfb-run, on a small subset of MNIST. */
#include <gtk/gtk.h>
#include <glib/gstdio.h>
#include <string.h>

#include "studio-test-util.h"
#include "studio-history.h"
#include "tg-experiment.h"
#include "studio-curves-view.h"
#include "cli-test-util.h"

static void
put_be32 (GByteArray *a, guint32 v)
{
  guint8 b[4] = { v >> 24, v >> 16, v >> 8, v };
  g_byte_array_append (a, b, 4);
}

/* Writes NAME-images-idx3-ubyte and NAME-labels-idx1-ubyte of n images rows x rows. */
static void
write_idx_pair (const char *dir, const char *name, guint32 n, guint32 rows)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GByteArray) im = g_byte_array_new ();
  g_autoptr (GByteArray) lb = g_byte_array_new ();

  put_be32 (im, 0x00000803);
  put_be32 (im, n);
  put_be32 (im, rows);
  put_be32 (im, rows);
  for (gsize i = 0; i < (gsize) n * rows * rows; i++)
    {
      guint8 v = (guint8) ((i * 7) % 256);
      g_byte_array_append (im, &v, 1);
    }
  put_be32 (lb, 0x00000801);
  put_be32 (lb, n);
  for (guint32 i = 0; i < n; i++)
    {
      guint8 v = (guint8) (i % 10);
      g_byte_array_append (lb, &v, 1);
    }
  g_autofree char *ip = g_strdup_printf ("%s/%s-images-idx3-ubyte", dir, name);
  g_autofree char *lp = g_strdup_printf ("%s/%s-labels-idx1-ubyte", dir, name);
  g_file_set_contents (ip, (const char *) im->data, im->len, &error);
  g_assert_no_error (error);
  g_file_set_contents (lp, (const char *) lb->data, lb->len, &error);
  g_assert_no_error (error);
}

static gboolean
job_over (StudioWindow *win, gpointer data)
{
  StudioSnapshot *st = studio_history_get_status (studio_window_get_history (win));
  return (st != NULL && st->finished && is_idle (win, NULL)) ||
         (studio_window_get_banner (win) != NULL && is_idle (win, NULL));
}

/* 28 x 28 training images with 16 x 16 test images: a banner naming the fault, no crash. */
static void
test_mixed_sizes (void)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("tg-mixed-XXXXXX", &error);
  g_assert_no_error (error);
  write_idx_pair (dir, "train", 64, 28);
  write_idx_pair (dir, "t10k", 32, 16);

  StudioConfig cfg;
  small_config (&cfg);
  g_free (cfg.data_dir);
  cfg.data_dir = g_strdup (dir);
  cfg.train_limit = 0;
  cfg.test_limit = 0;
  cfg.adapt_epochs = 1;
  StudioWindow *win = new_window (&cfg);
  studio_config_clear (&cfg);

  studio_window_train (win);
  wait_for (win, job_over, NULL, "the run to be refused");
  const char *banner = studio_window_get_banner (win);
  g_test_message ("banner: %s", banner);
  g_assert_nonnull (banner);
  g_assert_nonnull (strstr (banner, "28"));
  g_assert_nonnull (strstr (banner, "16"));
  destroy_window (win);
  cli_test_remove_tree (dir);
}

/* A learning rate far too high ends in a finite loss far worse than guessing: the banner
 * says the run collapsed. */
static void
test_collapse_in_banner (void)
{
  StudioConfig cfg;
  small_config (&cfg);
  cfg.lr = 99;
  cfg.foundation_epochs = 1;
  cfg.adapt_epochs = 1;
  StudioWindow *win = new_window (&cfg);
  studio_config_clear (&cfg);

  studio_window_train (win);
  wait_for (win, job_over, NULL, "the run");
  const char *banner = studio_window_get_banner (win);
  g_test_message ("banner: %s", banner);
  g_assert_nonnull (banner);
  g_assert_nonnull (strstr (banner, "collapse"));
  destroy_window (win);
}

static gboolean
comparison_over (StudioWindow *win, gpointer data)
{
  StudioSnapshot *st = studio_history_get_status (studio_window_get_history (win));
  return st != NULL && st->job == STUDIO_JOB_EXPERIMENT && st->finished && is_idle (win, NULL);
}

/* A paper comparison on a folder that is not MNIST names the folder's data set and is not
 * set beside the paper's MNIST numbers. */
static void
test_comparison_names_data (void)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("tg-other-XXXXXX", &error);
  g_assert_no_error (error);
  write_idx_pair (dir, "train", 64, 28);
  write_idx_pair (dir, "t10k", 32, 28);

  StudioConfig cfg;
  small_config (&cfg);
  g_free (cfg.data_dir);
  cfg.data_dir = g_strdup (dir);
  cfg.train_limit = 0;
  cfg.test_limit = 0;
  cfg.foundation_epochs = 1;
  cfg.adapt_epochs = 1;
  cfg.batch = 32;
  cfg.seeds = 1;
  StudioWindow *win = new_window (&cfg);
  studio_config_clear (&cfg);

  studio_window_queue_job (win, STUDIO_JOB_EXPERIMENT);
  wait_for (win, comparison_over, NULL, "the comparison");
  const TgExperimentResults *res = studio_history_get_experiment (studio_window_get_history (win));
  g_assert_nonnull (res);
  g_autofree char *base = g_path_get_basename (dir);
  g_test_message ("data set: %s, MNIST %d", tg_experiment_config_data_name (&res->config),
                  res->config.data_is_mnist);
  g_assert_false (res->config.data_is_mnist);
  g_assert_cmpstr (tg_experiment_config_data_name (&res->config), ==, base);
  g_assert_false (tg_experiment_config_is_paper_setting (&res->config));
  destroy_window (win);
  cli_test_remove_tree (dir);
}

/* A paper comparison with a learning rate far too high says in the banner that it
 * collapsed, and where. */
static void
test_comparison_collapse (void)
{
  StudioConfig cfg;
  small_config (&cfg);
  cfg.lr = 99;
  cfg.foundation_epochs = 1;
  cfg.adapt_epochs = 1;
  cfg.seeds = 1;
  StudioWindow *win = new_window (&cfg);
  studio_config_clear (&cfg);

  studio_window_queue_job (win, STUDIO_JOB_EXPERIMENT);
  wait_for (win, comparison_over, NULL, "the comparison");
  const char *banner = studio_window_get_banner (win);
  g_test_message ("banner: %s", banner);
  g_assert_nonnull (banner);
  g_assert_nonnull (strstr (banner, "collapse"));
  destroy_window (win);
}

static int
natural_width (StudioWindow *win)
{
  int min = 0, nat = 0;
  spin (100);
  gtk_widget_measure (GTK_WIDGET (win), GTK_ORIENTATION_HORIZONTAL, -1, &min, &nat, NULL, NULL);
  return nat;
}

/* A data folder with a very long name does not make the window wider. */
static void
test_long_folder_name (void)
{
  StudioConfig cfg;
  small_config (&cfg);
  StudioWindow *win = new_window (&cfg);
  int before = natural_width (win);
  destroy_window (win);

  g_autoptr (GError) error = NULL;
  g_autofree char *tmp = g_dir_make_tmp ("tg-long-XXXXXX", &error);
  g_assert_no_error (error);
  g_autofree char *dir = g_build_filename (tmp, "a-data-folder-with-a-name-far-longer-than-"
                                           "any-side-panel-can-show-in-one-line-of-text", NULL);
  g_assert_cmpint (g_mkdir (dir, 0700), ==, 0);
  g_free (cfg.data_dir);
  cfg.data_dir = g_strdup (dir);
  win = new_window (&cfg);
  studio_config_clear (&cfg);
  int after = natural_width (win);
  g_test_message ("natural width: %d, with the long folder name %d", before, after);
  g_assert_cmpint (after, <=, before);
  destroy_window (win);
  g_rmdir (dir);
  g_rmdir (tmp);
}

/* Each run keeps its colour in Curves while newer runs push older ones off the figure, and
 * no two visible runs share one. */
static void
test_run_colours (void)
{
  StudioConfig cfg;
  small_config (&cfg);
  cfg.foundation_epochs = 1;
  cfg.adapt_epochs = 1;
  cfg.max_steps = 10;
  StudioWindow *win = new_window (&cfg);
  studio_config_clear (&cfg);
  StudioCurvesView *curves = STUDIO_CURVES_VIEW (studio_window_get_view (win, "curves"));
  guint ids[10];
  gint fifth = -1;

  for (guint k = 0; k < 10; k++)
    {
      g_assert_true (studio_window_train (win));
      wait_for (win, run_finished, NULL, "the run");
      ids[k] = current_run (win)->id;
      if (k == 4)
        fifth = studio_curves_view_run_color (curves, ids[4]);
    }
  g_assert_cmpint (fifth, >=, 0);
  g_assert_cmpint (studio_curves_view_run_color (curves, ids[4]), ==, fifth);
  guint used = 0;
  for (guint k = 0; k < 10; k++)
    {
      gint c = studio_curves_view_run_color (curves, ids[k]);
      g_test_message ("run %u: colour %d", ids[k], c);
      if (c < 0)
        continue;
      g_assert_false (used & (1u << c));
      used |= 1u << c;
    }
  destroy_window (win);
}

int
main (int argc, char *argv[])
{
  int skip = studio_test_init (&argc, &argv);
  if (skip != 0)
    return skip;

  g_test_add_func ("/studio/leftovers/mixed-sizes", test_mixed_sizes);
  g_test_add_func ("/studio/leftovers/collapse-in-banner", test_collapse_in_banner);
  g_test_add_func ("/studio/leftovers/comparison-names-data", test_comparison_names_data);
  g_test_add_func ("/studio/leftovers/comparison-collapse", test_comparison_collapse);
  g_test_add_func ("/studio/leftovers/long-folder-name", test_long_folder_name);
  g_test_add_func ("/studio/leftovers/run-colours", test_run_colours);
  return g_test_run ();
}
