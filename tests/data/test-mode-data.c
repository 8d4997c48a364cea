/* SPDX-License-Identifier: MIT */
/* test-mode-data.c — tests of TgModeData (the two modes of the training and test sets) and of
 * the IDX reader's refusal of files that are not regular files.
 *
 * Small synthetic data sets only; the real-MNIST checks live in test-data.c. */
#include "tg-data.h"

#include <errno.h>
#include <math.h>
#include <glib/gstdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <unistd.h>

static TgDataset *
small_set (guint32 n, guint32 rows, guint32 cols, guint32 n_classes)
{
  g_autoptr (GError) error = NULL;
  TgDataset *ds = tg_dataset_new (n, rows, cols, n_classes, &error);
  g_assert_no_error (error);
  for (gsize i = 0; i < (gsize) n * rows * cols; i++)
    ds->pixels[i] = (guint8) (i * 13);
  for (guint32 i = 0; i < n; i++)
    ds->labels[i] = (guint8) (i % n_classes);
  return ds;
}

static void
test_mode_data_good (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (TgDataset) train = small_set (10, 6, 6, 10);
  g_autoptr (TgDataset) test = small_set (7, 6, 6, 10);
  g_autoptr (TgModeData) d = tg_mode_data_new (train, test, 45.0, 4, 0, &error);

  g_assert_no_error (error);
  g_assert_nonnull (d);
  g_assert_cmpuint (d->train0->n, ==, 4);
  g_assert_cmpuint (d->train_rot->n, ==, 4);
  g_assert_cmpuint (d->test0->n, ==, 7);
  g_assert_cmpuint (d->test_rot->n, ==, 7);
  g_assert_cmpfloat (d->angle, ==, 45.0);
}

/* Train 28x28 with test 16x16 crashed the studio in the evaluation: the engine refuses it. */
static void
test_mode_data_size_mismatch (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (TgDataset) train = small_set (10, 6, 6, 10);
  g_autoptr (TgDataset) test = small_set (7, 4, 4, 10);
  g_autoptr (TgDataset) wide = small_set (7, 4, 9, 10);
  g_autoptr (TgModeData) d = tg_mode_data_new (train, test, 45.0, 0, 0, &error);

  g_assert_null (d);
  g_assert_error (error, TG_ERROR, TG_ERROR_MISMATCH);
  g_assert_nonnull (strstr (error->message, "6x6"));
  g_assert_nonnull (strstr (error->message, "4x4"));
  g_clear_error (&error);

  /* Equal pixel counts are not enough: 6x6 and 4x9 images are not the same images. */
  d = tg_mode_data_new (train, wide, 45.0, 0, 0, &error);
  g_assert_null (d);
  g_assert_error (error, TG_ERROR, TG_ERROR_MISMATCH);
}

static void
test_mode_data_refuses (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (TgDataset) train = small_set (10, 6, 6, 10);
  g_autoptr (TgDataset) test5 = small_set (7, 6, 6, 5);
  g_autoptr (TgDataset) empty = small_set (0, 6, 6, 10);
  g_autoptr (TgModeData) d = NULL;

  /* Labels of the two sets must mean the same classes. */
  d = tg_mode_data_new (train, test5, 45.0, 0, 0, &error);
  g_assert_null (d);
  g_assert_error (error, TG_ERROR, TG_ERROR_MISMATCH);
  g_clear_error (&error);

  /* Nothing to train on or to test with. */
  d = tg_mode_data_new (empty, train, 45.0, 0, 0, &error);
  g_assert_null (d);
  g_assert_error (error, TG_ERROR, TG_ERROR_INVALID);
  g_clear_error (&error);
  d = tg_mode_data_new (train, empty, 45.0, 0, 0, &error);
  g_assert_null (d);
  g_assert_error (error, TG_ERROR, TG_ERROR_INVALID);
  g_clear_error (&error);

  /* An angle that rotation cannot use. */
  d = tg_mode_data_new (train, train, NAN, 0, 0, &error);
  g_assert_null (d);
  g_assert_error (error, TG_ERROR, TG_ERROR_INVALID);
  g_clear_error (&error);
}

/* A FIFO named as an IDX file blocked forever in the open; it is refused before opening. */
static void
test_idx_fifo (void)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("tg-fifo-XXXXXX", &error);
  g_assert_no_error (error);
  g_autofree char *fifo = g_build_filename (dir, "train-images-idx3-ubyte", NULL);
  g_autofree char *fifo_gz = g_build_filename (dir, "x-images-idx3-ubyte.gz", NULL);
  g_assert_cmpint (mkfifo (fifo, 0600), ==, 0);
  g_assert_cmpint (mkfifo (fifo_gz, 0600), ==, 0);

  g_autoptr (TgDataset) ds = tg_dataset_load_idx (fifo, fifo, 10, &error);
  g_assert_null (ds);
  g_assert_error (error, TG_ERROR, TG_ERROR_IO);
  g_assert_nonnull (strstr (error->message, fifo));
  g_assert_nonnull (strstr (error->message, "not a regular file"));
  g_clear_error (&error);

  ds = tg_dataset_load_idx (fifo_gz, fifo_gz, 10, &error);
  g_assert_null (ds);
  g_assert_error (error, TG_ERROR, TG_ERROR_IO);
  g_clear_error (&error);

  g_assert_cmpint (g_unlink (fifo), ==, 0);
  g_assert_cmpint (g_unlink (fifo_gz), ==, 0);
  g_assert_cmpint (g_rmdir (dir), ==, 0);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/data/mode-data/good", test_mode_data_good);
  g_test_add_func ("/data/mode-data/size-mismatch", test_mode_data_size_mismatch);
  g_test_add_func ("/data/mode-data/refuses", test_mode_data_refuses);
  g_test_add_func ("/data/idx/fifo", test_idx_fifo);
  return g_test_run ();
}
