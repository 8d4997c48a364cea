/* SPDX-License-Identifier: MIT */
/* cli-test-util.h — what the tests of the taugate command share: running it (or any program)
 * as a user does, a small synthetic data set to run it on, and reading back what it wrote
 * (files, CSV). */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Runs argv (argv[0] a path) and waits; out and err receive its standard output and error.
 * Returns its exit status, or 128 if it did not exit (a signal ended it). */
int cli_test_run_argv (const char *const *argv, char **out, char **err);

/* Runs the taugate of $TG_TAUGATE with args (NULL-terminated, without the program), as
 * cli_test_run_argv; a non-zero exit puts its standard error in the test log. */
int cli_test_run (const char *const *args, char **out, char **err);

/* Runs argv with the kill shim ($TG_KILL_SHIM, tests/kill-shim.c) preloaded, killing it just
 * before its kill_at-th rename, unlink or rmdir (0: never), with env's "NAME=VALUE" strings
 * (NULL-terminated, or NULL) added to its environment. TRUE if the shim killed it, FALSE if it
 * exited with 0; any other end fails the test. err receives its standard error. */
gboolean cli_test_run_killed (const char *const *argv, guint kill_at, const char *const *env,
                              char **err);

/* The folder $TG_MNIST_DIR, or NULL after marking the test skipped if it is unset or not a
 * folder. */
const char *cli_test_mnist_dir (void);

/* A folder root/name (made) holding a small data set in MNIST's format, not MNIST: 600
 * training and 200 test images of 28 x 28 whose class is a bright row at a class-dependent
 * height, so a model can learn them. Newly allocated. */
char *cli_test_make_data_dir (const char *root, const char *name);

/* The whole of the file at path; the test fails if it cannot be read. */
char *cli_test_slurp (const char *path);

/* Splits a CSV text as RFC 4180 does (quoted fields may hold commas, quotes and line
 * breaks) and asserts that it ends with a line break and that every record has as many
 * fields as the first, at least 2; returns the number of records, the header's included. */
guint cli_test_csv_records (const char *csv);

/* Removes path and, if it is a folder, everything under it; links are removed, never
 * followed. */
void cli_test_remove_tree (const char *path);

G_END_DECLS
