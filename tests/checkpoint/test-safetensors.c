/* SPDX-License-Identifier: MIT */
/* test-safetensors.c — hostile safetensors files: every loader and the inspector refuse
 * them with a clear error naming the file, without crashing, hanging or taking long.
 *
 * Each case goes through all three entry points (tg_checkpoint_inspect,
 * tg_checkpoint_load_foundation, tg_checkpoint_load_adapter), since they share one validator
 * and must agree. Round trips and the model mapping are in test-checkpoint.c. */
#include "tg-checkpoint.h"
#include "tg-safetensors.h"
#include "cli-test-util.h"

#include <glib/gstdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>

static char *tmp_dir;

static char *
tmp_path (const char *name)
{
  return g_build_filename (tmp_dir, name, NULL);
}

/* 8-byte little-endian length, the header as given (no padding), then data_len bytes of data
 * (the float 1.0f repeated, or the bytes given). */
static void
write_file (const char *path, const char *header, gsize header_len, const guint8 *data,
            gsize data_len)
{
  g_autoptr(GByteArray) a = g_byte_array_new ();
  guint64 le = GUINT64_TO_LE ((guint64) header_len);
  g_byte_array_append (a, (const guint8 *) &le, 8);
  g_byte_array_append (a, (const guint8 *) header, (guint) header_len);
  for (gsize i = 0; i < data_len; i++)
    {
      static const guint8 one[4] = { 0x00, 0x00, 0x80, 0x3f };
      guint8 b = data != NULL ? data[i] : one[i % 4];
      g_byte_array_append (a, &b, 1);
    }
  g_autoptr(GError) error = NULL;
  g_assert_true (g_file_set_contents (path, (const char *) a->data, a->len, &error));
}

static void
write_json (const char *path, const char *json, gsize data_len)
{
  write_file (path, json, strlen (json), NULL, data_len);
}

/* Every reader refuses path with code, and the message names the file and holds needle. */
static void
assert_all_refuse (const char *path, int code, const char *needle)
{
  g_autoptr(GError) error = NULL;
  guint32 widths[1] = { 4 };
  g_autoptr(TgModel) m = tg_model_new (4, 1, widths, 2, 0, 1.0f, &error);
  g_assert_no_error (error);

  for (int which = 0; which < 3; which++)
    {
      gboolean ok;
      if (which == 0)
        ok = tg_checkpoint_inspect (path, NULL, NULL, &error);
      else if (which == 1)
        {
          g_autoptr(TgModel) f = tg_checkpoint_load_foundation (path, 0, 1.0f, NULL, &error);
          ok = f != NULL;
        }
      else
        ok = tg_checkpoint_load_adapter (m, path, NULL, &error);
      g_test_message ("reader %d: %s", which, error ? error->message : "accepted");
      g_assert_false (ok);
      g_assert_error (error, TG_ERROR, code);
      g_assert_nonnull (strstr (error->message, path));
      if (needle != NULL)
        g_assert_nonnull (strstr (error->message, needle));
      g_clear_error (&error);
    }
}

/* The file from the report: 100000 nested arrays overflowed json-glib's recursive parser. */
static void
test_deep_nesting (void)
{
  g_autofree char *path = tmp_path ("deep.safetensors");
  GString *h = g_string_new ("{\"a\":");
  for (int i = 0; i < 100000; i++)
    g_string_append_c (h, '[');
  for (int i = 0; i < 100000; i++)
    g_string_append_c (h, ']');
  g_string_append_c (h, '}');
  write_file (path, h->str, h->len, NULL, 0);
  g_string_free (h, TRUE);
  assert_all_refuse (path, TG_ERROR_FORMAT, NULL);

  /* Deep but short enough to pass the size limit: the depth scan refuses it before json-glib
   * recurses, both with arrays and with objects. */
  for (int kind = 0; kind < 2; kind++)
    {
      h = g_string_new ("{\"a\":");
      for (int i = 0; i < 10000; i++)
        g_string_append (h, kind == 0 ? "[" : "{\"b\":");
      g_string_append (h, "1");
      for (int i = 0; i < 10000; i++)
        g_string_append_c (h, kind == 0 ? ']' : '}');
      g_string_append_c (h, '}');
      write_file (path, h->str, h->len, NULL, 0);
      g_string_free (h, TRUE);
      assert_all_refuse (path, TG_ERROR_FORMAT, "nest");
    }

  /* Brackets inside strings are text, not nesting: this file is refused for its content,
   * not for depth. */
  write_json (path, "{\"__metadata__\":{\"k\":\"[[[[[[[[[[[[[[[[[[[[{{{{{{{{{{{{\\\"[[[[\"}}", 0);
  g_autoptr(GError) error = NULL;
  g_autoptr(GHashTable) md = NULL;
  g_assert_true (tg_checkpoint_inspect (path, &md, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (g_hash_table_lookup (md, "k"), ==, "[[[[[[[[[[[[[[[[[[[[{{{{{{{{{{{{\"[[[[");
}

/* 1.77 M trivial entries took 19.5 s and 2.8 GB; a header larger than any checkpoint of ours
 * can need is refused before it is parsed. */
static void
test_many_tensors (void)
{
  g_autofree char *path = tmp_path ("many.safetensors");
  GString *h = g_string_new ("{");
  for (int i = 0; i < 200000; i++)
    g_string_append_printf (h, "%s\"t%d\":{\"dtype\":\"F32\",\"shape\":[0],"
                            "\"data_offsets\":[0,0]}", i ? "," : "", i);
  g_string_append_c (h, '}');
  write_file (path, h->str, h->len, NULL, 0);
  g_string_free (h, TRUE);
  assert_all_refuse (path, TG_ERROR_FORMAT, "limit");

  /* Small enough a header, but more tensors than any model of ours has. */
  h = g_string_new ("{");
  for (int i = 0; i < 100; i++)
    g_string_append_printf (h, "%s\"t%d\":{\"dtype\":\"F32\",\"shape\":[0],"
                            "\"data_offsets\":[0,0]}", i ? "," : "", i);
  g_string_append_c (h, '}');
  write_file (path, h->str, h->len, NULL, 0);
  g_string_free (h, TRUE);
  assert_all_refuse (path, TG_ERROR_FORMAT, "tensors");
}

static void
test_nonfinite (void)
{
  g_autofree char *path = tmp_path ("nan.safetensors");
  const char *json = "{\"layers.0.bias\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}}";
  const guint8 nan[8] = { 0, 0, 0x80, 0x3f, 0, 0, 0xc0, 0x7f };
  const guint8 inf[8] = { 0, 0, 0x80, 0xff, 0, 0, 0x80, 0x3f };
  write_file (path, json, strlen (json), nan, 8);
  assert_all_refuse (path, TG_ERROR_FORMAT, "finite");
  write_file (path, json, strlen (json), inf, 8);
  assert_all_refuse (path, TG_ERROR_FORMAT, "finite");
}

static void
test_duplicate_keys (void)
{
  g_autofree char *path = tmp_path ("dup.safetensors");
  write_json (path, "{\"layers.0.bias\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]},"
              "\"layers.0.bias\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}}", 4);
  assert_all_refuse (path, TG_ERROR_FORMAT, "duplicate");
  /* The same key spelt with an escape is the same key. */
  write_json (path, "{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]},"
              "\"\\u0061\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}}", 4);
  assert_all_refuse (path, TG_ERROR_FORMAT, "duplicate");
  write_json (path, "{\"__metadata__\":{\"kind\":\"adapter\",\"kind\":\"foundation\"}}", 0);
  assert_all_refuse (path, TG_ERROR_FORMAT, "duplicate");
  write_json (path, "{\"a\":{\"dtype\":\"F32\",\"dtype\":\"F32\",\"shape\":[1],"
              "\"data_offsets\":[0,4]}}", 4);
  assert_all_refuse (path, TG_ERROR_FORMAT, "duplicate");
}

static void
test_layout (void)
{
  g_autofree char *path = tmp_path ("layout.safetensors");
  /* A gap of 4 bytes between the two tensors. */
  write_json (path, "{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]},"
              "\"b\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[8,12]}}", 12);
  assert_all_refuse (path, TG_ERROR_FORMAT, "gap");
  /* Data that does not start at 0. */
  write_json (path, "{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4,8]}}", 8);
  assert_all_refuse (path, TG_ERROR_FORMAT, "gap");
  /* Overlap. */
  write_json (path, "{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},"
              "\"b\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4,8]}}", 8);
  assert_all_refuse (path, TG_ERROR_FORMAT, "overlap");
  /* Bytes after the last tensor. */
  write_json (path, "{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}}", 8);
  assert_all_refuse (path, TG_ERROR_FORMAT, "trailing");
  /* A header followed by data although it names no tensor. */
  write_json (path, "{}", 4);
  assert_all_refuse (path, TG_ERROR_FORMAT, "trailing");
}

static void
test_trailing_json (void)
{
  g_autofree char *path = tmp_path ("trailing-json.safetensors");
  const char *cases[] = { "{}{\"x\":1}", "{} {}", "{}]", "{}x", "{}\"s\"" };
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      write_json (path, cases[i], 0);
      assert_all_refuse (path, TG_ERROR_FORMAT, "after");
    }
  /* Padding with spaces, as the reference writer does, is fine. */
  write_json (path, "{}      ", 0);
  g_autoptr(GError) error = NULL;
  g_assert_true (tg_checkpoint_inspect (path, NULL, NULL, &error));
  g_assert_no_error (error);
}

/* json-glib also takes 'single quotes', comments and hex; a quote inside them could hide
 * brackets from the depth scan, so only strict JSON is read. */
static void
test_strict_json (void)
{
  g_autofree char *path = tmp_path ("lenient.safetensors");
  GString *h = g_string_new ("{\"__metadata__\":{\"k\":'\"'},\"a\":");
  for (int i = 0; i < 20000; i++)
    g_string_append_c (h, '[');
  for (int i = 0; i < 20000; i++)
    g_string_append_c (h, ']');
  g_string_append (h, ",\"b\":\"\"}");
  write_file (path, h->str, h->len, NULL, 0);
  g_string_free (h, TRUE);
  assert_all_refuse (path, TG_ERROR_FORMAT, "strict JSON");

  const char *cases[] = {
    "{'__metadata__':{}}",
    "{\"__metadata__\":{} /* [[[[ */}",
    "{\"__metadata__\":{\"k\":\"a\nb\"}}",
    "{\"a\":{\"dtype\":\"F32\",\"shape\":[0x1],\"data_offsets\":[0,4]}}",
  };
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      write_json (path, cases[i], 4);
      assert_all_refuse (path, TG_ERROR_FORMAT, "strict JSON");
    }
}

/* Tensor names are the file's text: a long one is refused, and a message quotes a name only
 * as a short excerpt with control characters escaped (an ESC would drive the terminal). */
static void
test_tensor_names (void)
{
  g_autofree char *path = tmp_path ("names.safetensors");
  g_autofree char *longname = g_strnfill (TG_SAFETENSORS_MAX_NAME + 1, 'n');
  g_autofree char *json = g_strdup_printf ("{\"%s\":{\"dtype\":\"F32\",\"shape\":[1],"
                                           "\"data_offsets\":[0,4]}}", longname);
  write_json (path, json, 4);
  assert_all_refuse (path, TG_ERROR_FORMAT, "nnnn…");
  write_json (path, "{\"\\u001b[2Jx\":{\"dtype\":\"F64\",\"shape\":[1],"
              "\"data_offsets\":[0,4]}}", 4);
  assert_all_refuse (path, TG_ERROR_FORMAT, "\\x1b[2Jx");
}

/* A FIFO named as a checkpoint blocked in the open; it is refused without opening it. */
static void
test_fifo (void)
{
  g_autofree char *path = tmp_path ("fifo.safetensors");
  g_assert_cmpint (mkfifo (path, 0600), ==, 0);
  assert_all_refuse (path, TG_ERROR_IO, "regular");
  g_unlink (path);
}

/* A failed write names the file asked for, not the temporary file next to it. */
static void
test_write_error_names_target (void)
{
  g_autoptr(GError) error = NULL;
  guint32 widths[1] = { 4 };
  g_autoptr(TgModel) m = tg_model_new (4, 1, widths, 2, 0, 1.0f, &error);
  g_autofree char *path = g_build_filename (tmp_dir, "no-such-folder", "m.safetensors", NULL);
  g_autofree char *temp_prefix = g_strconcat (path, ".", NULL);

  g_assert_false (tg_checkpoint_save_foundation (m, NULL, path, &error));
  g_test_message ("%s", error->message);
  g_assert_error (error, TG_ERROR, TG_ERROR_IO);
  g_assert_nonnull (strstr (error->message, path));
  g_assert_null (strstr (error->message, temp_prefix));
  g_clear_error (&error);

  g_assert_false (tg_checkpoint_save_adapter (m, TG_METHOD_TAUGATE, NULL, path, &error));
  g_assert_error (error, TG_ERROR, TG_ERROR_IO);
  g_assert_nonnull (strstr (error->message, path));
  g_assert_null (strstr (error->message, temp_prefix));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  tmp_dir = g_dir_make_tmp ("tg-safetensors-XXXXXX", NULL);
  g_assert_nonnull (tmp_dir);
  g_test_add_func ("/safetensors/refuse/deep-nesting", test_deep_nesting);
  g_test_add_func ("/safetensors/refuse/many-tensors", test_many_tensors);
  g_test_add_func ("/safetensors/refuse/nonfinite", test_nonfinite);
  g_test_add_func ("/safetensors/refuse/duplicate-keys", test_duplicate_keys);
  g_test_add_func ("/safetensors/refuse/layout", test_layout);
  g_test_add_func ("/safetensors/refuse/trailing-json", test_trailing_json);
  g_test_add_func ("/safetensors/refuse/strict-json", test_strict_json);
  g_test_add_func ("/safetensors/refuse/fifo", test_fifo);
  g_test_add_func ("/safetensors/refuse/tensor-names", test_tensor_names);
  g_test_add_func ("/safetensors/write-error-names-target", test_write_error_names_target);
  int rc = g_test_run ();
  cli_test_remove_tree (tmp_dir);
  g_free (tmp_dir);
  return rc;
}
