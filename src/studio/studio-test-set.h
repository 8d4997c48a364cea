/* SPDX-License-Identifier: MIT */
/* studio-test-set.h — the MNIST test set the unit inspector and the digit pad read, loaded
 * once per process from studio_default_data_dir() and shared read-only by every window and
 * worker thread (it never changes once loaded). Not the training worker's data: the worker
 * owns its own copies. */
#pragma once

#include "tg-data.h"

G_BEGIN_DECLS

/* The test images the inspector measures on: the first this many (the figure says so). */
#define STUDIO_TEST_SET_INSPECT 2000

/* Reads the test set from dir instead (the window's --data); before the first get. */
void             studio_test_set_set_dir (const char *dir);

/* The test set, loaded on first call (any thread); borrowed, alive until the process ends.
 * NULL with an error naming the folder when it cannot be read. */
const TgDataset *studio_test_set_get (GError **error);

G_END_DECLS
