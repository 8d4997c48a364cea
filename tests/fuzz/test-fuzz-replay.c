/* SPDX-License-Identifier: MIT */
/* test-fuzz-replay.c — every file of the fuzzing corpus, replayed through the real readers.
 *
 * tests/fuzz/corpus/<target>/ holds the seeds and every input a fuzzer found to crash or
 * hang. Each file goes through the same entry points the libFuzzer harnesses call (see
 * fuzz-targets.c, which also checks that failures set an error naming the file). Names say
 * what is expected: "valid-*" must be accepted, "reject-*" refused with an error; any other
 * file must merely not crash (a failed check names the file in the test's log). Reproducers too large or too special to commit (deep JSON
 * nesting, a huge tensor count, a FIFO) are generated here, each in a subprocess so that a
 * crash or a hang fails that case alone. */
#include "fuzz-targets.h"

#include "tg-checkpoint.h"
#include "tg-data.h"

#include <glib/gstdio.h>
#include <string.h>
#include <sys/stat.h>

static void
replay_corpus (gconstpointer data)
{
  FuzzTarget target = GPOINTER_TO_UINT (data);
  g_autofree char *dir_path = g_test_build_filename (G_TEST_DIST, "corpus",
                                                     fuzz_target_name (target), NULL);
  g_autoptr (GError) error = NULL;
  g_autoptr (GDir) dir = g_dir_open (dir_path, 0, &error);
  g_autoptr (GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  const char *name;
  guint n_valid = 0, n_reject = 0;

  /* One wrong file should not hide the verdict on the others. */
  g_test_set_nonfatal_assertions ();
  g_assert_no_error (error);
  while ((name = g_dir_read_name (dir)) != NULL)
    g_ptr_array_add (names, g_strdup (name));
  g_ptr_array_sort (names, (GCompareFunc) g_strcmp0);
  g_assert_cmpuint (names->len, >, 0);

  for (guint i = 0; i < names->len; i++)
    {
      const char *file = g_ptr_array_index (names, i);
      g_autofree char *path = g_build_filename (dir_path, file, NULL);
      g_autofree char *contents = NULL;
      g_autoptr (GError) run_error = NULL;
      gsize len = 0;
      gboolean ok;

      g_file_get_contents (path, &contents, &len, &error);
      g_assert_no_error (error);
      g_test_message ("%s/%s (%" G_GSIZE_FORMAT " bytes)", fuzz_target_name (target), file, len);
      ok = fuzz_target_run (target, (const guint8 *) contents, len, &run_error);
      if (run_error != NULL)
        g_test_message ("  refused: %s", run_error->message);
      if (g_str_has_prefix (file, "valid-"))
        {
          g_assert_no_error (run_error);
          g_assert_true (ok);
          n_valid++;
        }
      else if (g_str_has_prefix (file, "reject-"))
        {
          g_assert_nonnull (run_error);
          g_assert_false (ok);
          n_reject++;
        }
    }
  /* Every corpus has at least one input that reaches the end and one refused. */
  g_assert_cmpuint (n_valid, >, 0);
  g_assert_cmpuint (n_reject, >, 0);
}

/* Runs target on bytes in a subprocess: it must refuse them with an error, within a time
 * that only a hang exceeds. */
static void
assert_refused_in_subprocess (const char *case_path)
{
  g_test_trap_subprocess (case_path, 20 * G_USEC_PER_SEC, G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_passed ();
}

/* {"a": [[[...]]]} nested 100000 deep: a recursive JSON parser overflows the stack. */
static GByteArray *
deep_nesting_file (void)
{
  const guint depth = 100000;
  const char *head = "{\"a\":", *tail = "}";
  guint64 len = strlen (head) + 2 * (guint64) depth + strlen (tail), le = GUINT64_TO_LE (len);
  GByteArray *bytes = g_byte_array_sized_new ((guint) len + 8);

  g_byte_array_append (bytes, (const guint8 *) &le, 8);
  g_byte_array_append (bytes, (const guint8 *) head, strlen (head));
  for (guint i = 0; i < depth; i++)
    g_byte_array_append (bytes, (const guint8 *) "[", 1);
  for (guint i = 0; i < depth; i++)
    g_byte_array_append (bytes, (const guint8 *) "]", 1);
  g_byte_array_append (bytes, (const guint8 *) tail, strlen (tail));
  return bytes;
}

/* 200000 empty tensors: far more than any model of ours has (at most 6 per layer). */
static GByteArray *
many_tensors_file (void)
{
  const guint n = 200000;
  GString *h = g_string_new ("{");
  GByteArray *bytes = g_byte_array_new ();
  guint64 le;

  for (guint i = 0; i < n; i++)
    g_string_append_printf (h, "%s\"t%u\":{\"dtype\":\"F32\",\"shape\":[0],"
                            "\"data_offsets\":[0,0]}", i == 0 ? "" : ",", i);
  g_string_append_c (h, '}');
  le = GUINT64_TO_LE ((guint64) h->len);
  g_byte_array_append (bytes, (const guint8 *) &le, 8);
  g_byte_array_append (bytes, (const guint8 *) h->str, (guint) h->len);
  g_string_free (h, TRUE);
  return bytes;
}

static void
assert_checkpoint_refused (GByteArray *bytes)
{
  g_autoptr (GError) error = NULL;

  g_assert_false (fuzz_target_run (FUZZ_TARGET_INSPECT, bytes->data, bytes->len, &error));
  g_assert_error (error, TG_ERROR, TG_ERROR_FORMAT);
  g_clear_error (&error);
  g_assert_false (fuzz_target_run (FUZZ_TARGET_SAFETENSORS, bytes->data, bytes->len, &error));
  g_assert_nonnull (error);
}

static void
test_deep_nesting (void)
{
  if (g_test_subprocess ())
    {
      g_autoptr (GByteArray) bytes = deep_nesting_file ();
      assert_checkpoint_refused (bytes);
      return;
    }
  assert_refused_in_subprocess ("/fuzz/safetensors/deep-nesting");
}

static void
test_many_tensors (void)
{
  if (g_test_subprocess ())
    {
      g_autoptr (GByteArray) bytes = many_tensors_file ();
      assert_checkpoint_refused (bytes);
      return;
    }
  assert_refused_in_subprocess ("/fuzz/safetensors/many-tensors");
}

/* A FIFO with no writer: opening it for reading blocks until one comes, so a reader that
 * opens before checking what the file is hangs for good. */
static char *
make_fifo (const char *name)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("taugate-fifo-XXXXXX", &error);
  char *path;

  g_assert_no_error (error);
  path = g_build_filename (dir, name, NULL);
  g_assert_cmpint (mkfifo (path, 0600), ==, 0);
  return path;
}

static void
remove_fifo (const char *path)
{
  g_autofree char *dir = g_path_get_dirname (path);

  g_unlink (path);
  g_rmdir (dir);
}

static void
test_fifo_idx (void)
{
  if (g_test_subprocess ())
    {
      g_autofree char *images = make_fifo ("train-images-idx3-ubyte");
      g_autofree char *labels = g_strconcat (images, "-labels", NULL);
      g_autoptr (GError) error = NULL;
      g_autoptr (TgDataset) ds = NULL;

      g_file_set_contents (labels, "\0\0\x08\x01\0\0\0\0", 8, &error);
      g_assert_no_error (error);
      ds = tg_dataset_load_idx (images, labels, 10, &error);
      g_unlink (labels);
      remove_fifo (images);
      g_assert_null (ds);
      g_assert_nonnull (error);
      g_assert_nonnull (strstr (error->message, images));
      return;
    }
  assert_refused_in_subprocess ("/fuzz/idx/fifo");
}

static void
test_fifo_checkpoint (void)
{
  if (g_test_subprocess ())
    {
      g_autofree char *path = make_fifo ("model.safetensors");
      g_autoptr (GError) error = NULL;
      gboolean ok = tg_checkpoint_inspect (path, NULL, NULL, &error);

      remove_fifo (path);
      g_assert_false (ok);
      g_assert_nonnull (error);
      g_assert_nonnull (strstr (error->message, path));
      return;
    }
  assert_refused_in_subprocess ("/fuzz/safetensors/fifo");
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  for (guint t = 0; t < FUZZ_N_TARGETS; t++)
    {
      g_autofree char *test_path = g_strdup_printf ("/fuzz/replay/%s", fuzz_target_name (t));
      g_test_add_data_func (test_path, GUINT_TO_POINTER (t), replay_corpus);
    }
  g_test_add_func ("/fuzz/safetensors/deep-nesting", test_deep_nesting);
  g_test_add_func ("/fuzz/safetensors/many-tensors", test_many_tensors);
  g_test_add_func ("/fuzz/safetensors/fifo", test_fifo_checkpoint);
  g_test_add_func ("/fuzz/idx/fifo", test_fifo_idx);
  return g_test_run ();
}
