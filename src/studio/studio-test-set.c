/* SPDX-License-Identifier: MIT */
/* studio-test-set.c — the process's one read-only copy of the MNIST test set, for the unit
 * inspector and the digit pad. */
#include "studio-test-set.h"

#include "studio-snapshot.h"

static GMutex test_set_lock;
static TgDataset *test_set;
static char *test_set_dir;

void
studio_test_set_set_dir (const char *dir)
{
  g_mutex_lock (&test_set_lock);
  g_free (test_set_dir);
  test_set_dir = g_strdup (dir);
  g_mutex_unlock (&test_set_lock);
}

const TgDataset *
studio_test_set_get (GError **error)
{
  g_mutex_lock (&test_set_lock);
  if (test_set == NULL)
    {
      g_autofree char *dir = test_set_dir != NULL ? g_strdup (test_set_dir)
                                                  : studio_default_data_dir ();
      test_set = tg_dataset_load_dir (dir, "t10k", 10, error);
    }
  const TgDataset *ds = test_set;
  g_mutex_unlock (&test_set_lock);
  return ds;
}
