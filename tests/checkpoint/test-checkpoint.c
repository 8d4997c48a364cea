/* SPDX-License-Identifier: MIT */
/* test-checkpoint.c — safetensors checkpoints and the report outputs.
 *
 * Checkpoints: bit-exact round trips of a foundation and of every method's adapter, the
 * file read back by an independent parser written here, and a refusal (with the right
 * error code and the file's name) for every way a file can be wrong, leaving the model
 * untouched. Report: tg_mean_std, results.csv bytes, the LaTeX and text tables carrying
 * both the paper's numbers and ours, and write_all failing on an unwritable path. */
#include "tg-checkpoint.h"
#include "tg-report.h"
#include "cli-test-util.h"

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <locale.h>
#include <math.h>
#include <string.h>

static char *tmp_dir;

static char *
tmp_path (const char *name)
{
  return g_build_filename (tmp_dir, name, NULL);
}

static TgModel *
make_model (guint32 width, guint32 lora_rank, guint64 seed)
{
  g_autoptr(GError) error = NULL;
  guint32 widths[2] = { width, width };
  TgModel *m = tg_model_new (784, 2, widths, 10, lora_rank, 8.0f, &error);
  g_assert_no_error (error);
  g_assert_nonnull (m);
  uint64_t rng = tg_rng_seed (seed);
  for (size_t i = 0; i < m->n_params; i++)
    m->params[i] = tg_rng_uniform (&rng) * 2.0f - 1.0f;
  return m;
}

/* --- an independent reader: 8 bytes LE, JSON, offsets ----------------------------------- */

typedef struct {
  guint8     *bytes;
  gsize       size;
  guint64     header_len;
  JsonParser *parser;
  JsonObject *root;
  const guint8 *data;
  gsize       data_size;
} RawFile;

static void
raw_clear (RawFile *r)
{
  g_free (r->bytes);
  g_clear_object (&r->parser);
}

static void
raw_read (const char *path, RawFile *r)
{
  memset (r, 0, sizeof *r);
  g_autoptr(GError) error = NULL;
  g_assert_true (g_file_get_contents (path, (char **) &r->bytes, &r->size, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (r->size, >=, 8);
  r->header_len = 0;
  for (int i = 7; i >= 0; i--)
    r->header_len = (r->header_len << 8) | r->bytes[i];
  g_assert_cmpuint (r->header_len, <=, r->size - 8);
  g_assert_cmpuint (r->header_len % 8, ==, 0);
  r->parser = json_parser_new ();
  g_assert_true (json_parser_load_from_data (r->parser, (const char *) r->bytes + 8,
                                             (gssize) r->header_len, &error));
  g_assert_no_error (error);
  JsonNode *root = json_parser_get_root (r->parser);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (root));
  r->root = json_node_get_object (root);
  r->data = r->bytes + 8 + r->header_len;
  r->data_size = r->size - 8 - r->header_len;
}

static guint
raw_tensor_count (const RawFile *r)
{
  guint n = json_object_get_size (r->root);
  return json_object_has_member (r->root, "__metadata__") ? n - 1 : n;
}

/* Checks every tensor's offsets lie inside the data, are contiguous from 0 and match its
 * shape; returns the floats in all tensors. */
static gsize
raw_check_offsets (const RawFile *r)
{
  g_autoptr(GList) names = json_object_get_members (r->root);
  gsize floats = 0, bytes = 0;
  for (GList *l = names; l; l = l->next)
    {
      if (strcmp (l->data, "__metadata__") == 0)
        continue;
      JsonObject *t = json_object_get_object_member (r->root, l->data);
      g_assert_cmpstr (json_object_get_string_member (t, "dtype"), ==, "F32");
      JsonArray *shape = json_object_get_array_member (t, "shape");
      JsonArray *off = json_object_get_array_member (t, "data_offsets");
      gint64 count = 1;
      for (guint d = 0; d < json_array_get_length (shape); d++)
        count *= json_array_get_int_element (shape, d);
      gint64 b = json_array_get_int_element (off, 0), e = json_array_get_int_element (off, 1);
      g_assert_cmpint (b, <=, e);
      g_assert_cmpint (e, <=, (gint64) r->data_size);
      g_assert_cmpint (e - b, ==, 4 * count);
      floats += (gsize) count;
      bytes += (gsize) (e - b);
    }
  g_assert_cmpuint (bytes, ==, r->data_size);
  return floats;
}

/* The floats of tensor name, read by hand. */
static void
raw_tensor_equals (const RawFile *r, const char *name, const float *expect, gsize n)
{
  JsonObject *t = json_object_get_object_member (r->root, name);
  g_assert_nonnull (t);
  JsonArray *off = json_object_get_array_member (t, "data_offsets");
  gint64 b = json_array_get_int_element (off, 0);
  g_assert_cmpint (json_array_get_int_element (off, 1) - b, ==, (gint64) (4 * n));
  for (gsize i = 0; i < n; i++)
    {
      const guint8 *p = r->data + b + 4 * i;
      guint32 bits = (guint32) p[0] | (guint32) p[1] << 8 | (guint32) p[2] << 16
                     | (guint32) p[3] << 24;
      guint32 want;
      memcpy (&want, &expect[i], 4);
      g_assert_cmphex (bits, ==, want);
    }
}

/* Rewrites a file with its header edited (the data is kept as it is). */
typedef void (*HeaderEdit) (JsonObject *root, gconstpointer user);

static void
rewrite_header (const char *src, const char *dst, HeaderEdit edit, gconstpointer user)
{
  RawFile r;
  raw_read (src, &r);
  edit (r.root, user);
  g_autoptr(JsonGenerator) gen = json_generator_new ();
  json_generator_set_root (gen, json_parser_get_root (r.parser));
  gsize len;
  g_autofree char *json = json_generator_to_data (gen, &len);
  gsize hl = (len + 7) & ~(gsize) 7;
  GByteArray *out = g_byte_array_new ();
  guint8 lenbuf[8];
  for (int i = 0; i < 8; i++)
    lenbuf[i] = (guint8) ((guint64) hl >> (8 * i));
  g_byte_array_append (out, lenbuf, 8);
  g_byte_array_append (out, (guint8 *) json, (guint) len);
  for (gsize i = len; i < hl; i++)
    g_byte_array_append (out, (const guint8 *) " ", 1);
  g_byte_array_append (out, r.data, (guint) r.data_size);
  g_autoptr(GError) error = NULL;
  g_assert_true (g_file_set_contents (dst, (char *) out->data, out->len, &error));
  g_byte_array_unref (out);
  raw_clear (&r);
}

/* Rewrites a file without tensor name and without its bytes, the later tensors moved down,
 * so the file is well-formed and only lacks that tensor. */
static void
remove_tensor (const char *src, const char *dst, const char *name)
{
  RawFile r;
  raw_read (src, &r);
  JsonArray *gone = json_object_get_array_member (json_object_get_object_member (r.root, name),
                                                  "data_offsets");
  gint64 begin = json_array_get_int_element (gone, 0), end = json_array_get_int_element (gone, 1);
  json_object_remove_member (r.root, name);
  g_autoptr(GList) members = json_object_get_members (r.root);
  for (GList *l = members; l != NULL; l = l->next)
    {
      if (strcmp (l->data, "__metadata__") == 0)
        continue;
      JsonArray *o = json_object_get_array_member (json_object_get_object_member (r.root, l->data),
                                                   "data_offsets");
      gint64 b = json_array_get_int_element (o, 0), e = json_array_get_int_element (o, 1);
      if (b >= end)
        {
          JsonArray *a = json_array_new ();
          json_array_add_int_element (a, b - (end - begin));
          json_array_add_int_element (a, e - (end - begin));
          json_object_set_array_member (json_object_get_object_member (r.root, l->data),
                                        "data_offsets", a);
        }
    }
  g_autoptr(JsonGenerator) gen = json_generator_new ();
  json_generator_set_root (gen, json_parser_get_root (r.parser));
  gsize len;
  g_autofree char *json = json_generator_to_data (gen, &len);
  gsize hl = (len + 7) & ~(gsize) 7;
  GByteArray *out = g_byte_array_new ();
  guint8 lenbuf[8];
  for (int i = 0; i < 8; i++)
    lenbuf[i] = (guint8) ((guint64) hl >> (8 * i));
  g_byte_array_append (out, lenbuf, 8);
  g_byte_array_append (out, (guint8 *) json, (guint) len);
  for (gsize i = len; i < hl; i++)
    g_byte_array_append (out, (const guint8 *) " ", 1);
  g_byte_array_append (out, r.data, (guint) begin);
  g_byte_array_append (out, r.data + end, (guint) (r.data_size - (gsize) end));
  g_autoptr(GError) error = NULL;
  g_assert_true (g_file_set_contents (dst, (char *) out->data, out->len, &error));
  g_byte_array_unref (out);
  raw_clear (&r);
}

static void
write_bytes (const char *path, const void *data, gsize len)
{
  g_autoptr(GError) error = NULL;
  g_assert_true (g_file_set_contents (path, data, (gssize) len, &error));
  g_assert_no_error (error);
}

static void
assert_refused (GError *error, int code, const char *path)
{
  g_assert_error (error, TG_ERROR, code);
  g_autofree char *base = g_path_get_basename (path);
  if (strstr (error->message, base) == NULL)
    g_error ("error message \"%s\" does not name %s", error->message, base);
}

static void
assert_foundation_refused (const char *path, int code, const char *needle)
{
  g_autoptr(GError) error = NULL;
  TgModel *m = tg_checkpoint_load_foundation (path, 8, 8.0f, NULL, &error);
  g_assert_null (m);
  assert_refused (error, code, path);
  if (needle != NULL && strstr (error->message, needle) == NULL)
    g_error ("error message \"%s\" does not mention %s", error->message, needle);
  g_test_message ("refused as expected: %s", error->message);
}

/* An adapter refused, and the model's every parameter and its method left as they were. */
static void
assert_adapter_refused (TgModel *model, const char *path, int code, const char *needle)
{
  g_autofree float *before = g_memdup2 (model->params, model->n_params * sizeof (float));
  TgMethod method_before = model->method;
  g_autoptr(GError) error = NULL;
  GHashTable *meta = NULL;
  g_assert_false (tg_checkpoint_load_adapter (model, path, &meta, &error));
  g_assert_null (meta);
  assert_refused (error, code, path);
  if (needle != NULL && strstr (error->message, needle) == NULL)
    g_error ("error message \"%s\" does not mention %s", error->message, needle);
  g_assert_cmpmem (before, model->n_params * sizeof (float),
                   model->params, model->n_params * sizeof (float));
  g_assert_cmpint (model->method, ==, method_before);
  g_test_message ("refused as expected: %s", error->message);
}

/* --- round trips ------------------------------------------------------------------------- */

static void
test_foundation_roundtrip (void)
{
  g_autoptr(TgModel) m = make_model (128, 8, 1);
  g_autofree char *path = tmp_path ("foundation.safetensors");
  g_autoptr(GHashTable) meta = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_hash_table_insert (meta, g_strdup ("seed"), g_strdup ("7"));
  g_hash_table_insert (meta, g_strdup ("note"), g_strdup ("rotation 45° — ünïcode"));
  g_hash_table_insert (meta, g_strdup ("kind"), g_strdup ("lies")); /* ours wins */
  g_autoptr(GError) error = NULL;
  g_assert_true (tg_checkpoint_save_foundation (m, meta, path, &error));
  g_assert_no_error (error);

  g_autoptr(GHashTable) meta_in = NULL;
  g_autoptr(TgModel) l = tg_checkpoint_load_foundation (path, 4, 4.0f, &meta_in, &error);
  g_assert_no_error (error);
  g_assert_nonnull (l);
  g_assert_cmpuint (l->n_linear, ==, 3);
  for (guint i = 0; i <= 3; i++)
    g_assert_cmpuint (l->dims[i], ==, m->dims[i]);
  g_assert_cmpuint (l->lora_rank, ==, 4);
  for (guint i = 0; i < 3; i++)
    {
      size_t nw = (size_t) m->dims[i] * m->dims[i + 1];
      g_assert_cmpmem (l->params + l->w[i], nw * 4, m->params + m->w[i], nw * 4);
      g_assert_cmpmem (l->params + l->b[i], m->dims[i + 1] * 4, m->params + m->b[i],
                       m->dims[i + 1] * 4);
    }
  /* The adapter part of a loaded foundation is the identity. */
  for (guint i = 0; i < 2; i++)
    for (guint j = 0; j < l->dims[i + 1]; j++)
      {
        g_assert_cmpfloat (l->params[l->tau[i] + j], ==, 0.0f);
        g_assert_cmpfloat (l->params[l->gamma[i] + j], ==, 1.0f);
      }
  g_assert_cmpstr (g_hash_table_lookup (meta_in, "seed"), ==, "7");
  g_assert_cmpstr (g_hash_table_lookup (meta_in, "note"), ==, "rotation 45° — ünïcode");
  g_assert_cmpstr (g_hash_table_lookup (meta_in, "format"), ==, "taugate");
  g_assert_cmpstr (g_hash_table_lookup (meta_in, "kind"), ==, "foundation");
  g_assert_cmpstr (g_hash_table_lookup (meta_in, "dims"), ==, "784,128,128,10");
  g_assert_null (g_hash_table_lookup (meta_in, "method"));

  /* The same model and metadata give the same bytes. */
  g_autofree char *again = tmp_path ("foundation-again.safetensors");
  g_assert_true (tg_checkpoint_save_foundation (m, meta, again, &error));
  g_autofree char *a = NULL, *b = NULL;
  gsize la, lb;
  g_assert_true (g_file_get_contents (path, &a, &la, NULL));
  g_assert_true (g_file_get_contents (again, &b, &lb, NULL));
  g_assert_cmpmem (a, la, b, lb);
}

/* What a file read by hand says: 6 tensors, contiguous, padded, the floats of the model. */
static void
test_foundation_independent_reader (void)
{
  g_autoptr(TgModel) m = make_model (128, 0, 2);
  g_autofree char *path = tmp_path ("foundation-raw.safetensors");
  g_autoptr(GError) error = NULL;
  g_assert_true (tg_checkpoint_save_foundation (m, NULL, path, &error));
  g_assert_no_error (error);

  RawFile r;
  raw_read (path, &r);
  g_assert_cmpuint (raw_tensor_count (&r), ==, 6);
  g_assert_cmpuint (raw_check_offsets (&r), ==, 118282);
  JsonObject *w1 = json_object_get_object_member (r.root, "layers.1.weight");
  JsonArray *shape = json_object_get_array_member (w1, "shape");
  g_assert_cmpuint (json_array_get_length (shape), ==, 2);
  g_assert_cmpint (json_array_get_int_element (shape, 0), ==, 128);
  g_assert_cmpint (json_array_get_int_element (shape, 1), ==, 128);
  JsonObject *w0 = json_object_get_object_member (r.root, "layers.0.weight");
  g_assert_cmpint (json_array_get_int_element (json_object_get_array_member (w0, "shape"), 1),
                   ==, 784);
  raw_tensor_equals (&r, "layers.0.weight", m->params + m->w[0], 784 * 128);
  raw_tensor_equals (&r, "layers.2.bias", m->params + m->b[2], 10);
  JsonObject *md = json_object_get_object_member (r.root, "__metadata__");
  g_assert_cmpstr (json_object_get_string_member (md, "format"), ==, "taugate");
  g_assert_cmpstr (json_object_get_string_member (md, "kind"), ==, "foundation");
  /* padding is spaces */
  g_assert_true (r.bytes[8 + r.header_len - 1] == '}' || r.bytes[8 + r.header_len - 1] == ' ');
  raw_clear (&r);
}

/* A second reader in another language, when python3 is there: struct + json, no NumPy. */
static void
test_foundation_python_reader (void)
{
  g_autofree char *python = g_find_program_in_path ("python3");
  if (python == NULL)
    {
      g_test_skip ("no python3");
      return;
    }
  g_autoptr(TgModel) m = make_model (16, 0, 11);
  g_autofree char *path = tmp_path ("foundation-py.safetensors");
  g_autoptr(GError) error = NULL;
  g_assert_true (tg_checkpoint_save_foundation (m, NULL, path, &error));
  const char *script =
    "import json, struct, sys\n"
    "b = open(sys.argv[1], 'rb').read()\n"
    "n = struct.unpack('<Q', b[:8])[0]\n"
    "assert n % 8 == 0 and 8 + n <= len(b)\n"
    "h = json.loads(b[8:8 + n])\n"
    "data = b[8 + n:]\n"
    "end = 0\n"
    "for k in sorted((k for k in h if k != '__metadata__'), key=lambda k: h[k]['data_offsets']):\n"
    "    t = h[k]; s, e = t['data_offsets']\n"
    "    assert t['dtype'] == 'F32' and s == end\n"
    "    c = 1\n"
    "    for d in t['shape']: c *= d\n"
    "    assert e - s == 4 * c\n"
    "    end = e\n"
    "assert end == len(data)\n"
    "s, e = h['layers.2.bias']['data_offsets']\n"
    "v = struct.unpack('<%df' % ((e - s) // 4), data[s:e])\n"
    "print(h['__metadata__']['dims'], h['layers.1.weight']['shape'], ' '.join('%.9g' % x for x in v))\n";
  const char *argv[] = { python, "-c", script, path, NULL };
  g_autofree char *out = NULL, *err = NULL;
  int status = 0;
  g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_DEFAULT, NULL, NULL,
                               &out, &err, &status, &error));
  g_assert_no_error (error);
  if (!g_spawn_check_wait_status (status, NULL))
    g_error ("python3 could not read the file: %s", err);
  GString *want = g_string_new ("784,16,16,10 [16, 16]");
  for (guint i = 0; i < 10; i++)
    {
      char buf[G_ASCII_DTOSTR_BUF_SIZE];
      g_string_append_c (want, ' ');
      g_string_append (want, g_ascii_formatd (buf, sizeof buf, "%.9g",
                                              m->params[m->b[2] + i]));
    }
  g_string_append_c (want, '\n');
  g_assert_cmpstr (out, ==, want->str);
  g_string_free (want, TRUE);
}

static void
test_inspect (void)
{
  g_autoptr(TgModel) m = make_model (32, 8, 12);
  g_autofree char *path = tmp_path ("inspect-taugate.safetensors");
  g_autoptr(GError) error = NULL;
  g_assert_true (tg_checkpoint_save_adapter (m, TG_METHOD_TAUGATE, NULL, path, &error));
  g_autoptr(GHashTable) meta = NULL;
  g_autoptr(GPtrArray) lines = NULL;
  g_assert_true (tg_checkpoint_inspect (path, &meta, &lines, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (g_hash_table_lookup (meta, "kind"), ==, "adapter");
  g_assert_cmpuint (lines->len, ==, 4);
  g_assert_cmpstr (g_ptr_array_index (lines, 0), ==, "layers.0.tau F32 [32]");
  g_assert_cmpstr (g_ptr_array_index (lines, 3), ==, "layers.1.gamma F32 [32]");
  /* and refuses what a load refuses */
  g_autofree char *bad = tmp_path ("inspect-bad.safetensors");
  write_bytes (bad, "\x10\0\0\0\0\0\0\0{", 9);
  g_assert_false (tg_checkpoint_inspect (bad, NULL, NULL, &error));
  assert_refused (error, TG_ERROR_FORMAT, bad);
}

typedef struct {
  TgMethod    method;
  guint       n_tensors;
  const char *names[6];
} AdapterCase;

static const AdapterCase adapter_cases[] = {
  { TG_METHOD_FROZEN,   0, { NULL } },
  { TG_METHOD_BITFIT,   3, { "layers.0.bias", "layers.1.bias", "layers.2.bias" } },
  { TG_METHOD_TAUGATE,  4, { "layers.0.tau", "layers.0.gamma", "layers.1.tau", "layers.1.gamma" } },
  { TG_METHOD_GAINONLY, 2, { "layers.0.gamma", "layers.1.gamma" } },
  { TG_METHOD_TAUONLY,  2, { "layers.0.tau", "layers.1.tau" } },
  { TG_METHOD_LORA,     6, { "layers.0.lora_A", "layers.0.lora_B", "layers.1.lora_A",
                             "layers.1.lora_B", "layers.2.lora_A", "layers.2.lora_B" } },
  { TG_METHOD_FULL,     6, { "layers.0.weight", "layers.0.bias", "layers.1.weight",
                             "layers.1.bias", "layers.2.weight", "layers.2.bias" } },
};

static void
test_adapter_roundtrip (gconstpointer data)
{
  const AdapterCase *c = data;
  const TgMethodInfo *info = tg_method_info (c->method);
  g_autoptr(TgModel) src = make_model (128, 8, 3);
  g_autofree char *name = g_strdup_printf ("adapter-%s.safetensors", info->id);
  g_autofree char *path = tmp_path (name);
  g_autoptr(GHashTable) meta = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_hash_table_insert (meta, g_strdup ("angle"), g_strdup ("45"));
  g_autoptr(GError) error = NULL;
  g_assert_true (tg_checkpoint_save_adapter (src, c->method, meta, path, &error));
  g_assert_no_error (error);

  /* Only that method's tensors are in the file. */
  RawFile r;
  raw_read (path, &r);
  g_assert_cmpuint (raw_tensor_count (&r), ==, c->n_tensors);
  for (guint i = 0; i < c->n_tensors; i++)
    g_assert_true (json_object_has_member (r.root, c->names[i]));
  g_assert_cmpuint (raw_check_offsets (&r), ==, tg_model_count_trainable (src, c->method));
  JsonObject *md = json_object_get_object_member (r.root, "__metadata__");
  g_assert_cmpstr (json_object_get_string_member (md, "method"), ==, info->id);
  g_assert_cmpstr (json_object_get_string_member (md, "kind"), ==, "adapter");
  raw_clear (&r);

  /* Loaded into another model: exactly the method's ranges become src's, nothing else moves. */
  g_autoptr(TgModel) dst = make_model (128, 8, 4);
  g_autofree float *before = g_memdup2 (dst->params, dst->n_params * sizeof (float));
  dst->method = c->method == TG_METHOD_FROZEN ? TG_METHOD_FULL : TG_METHOD_FROZEN;
  g_autoptr(GHashTable) meta_in = NULL;
  g_assert_true (tg_checkpoint_load_adapter (dst, path, &meta_in, &error));
  g_assert_no_error (error);
  g_assert_cmpint (dst->method, ==, c->method);
  g_assert_cmpstr (g_hash_table_lookup (meta_in, "angle"), ==, "45");
  g_assert_cmpstr (g_hash_table_lookup (meta_in, "method"), ==, info->id);

  g_autofree gboolean *trains = g_new0 (gboolean, src->n_params);
  TgRange ranges[64];
  guint nr = tg_model_trainable_ranges (src, c->method, ranges, G_N_ELEMENTS (ranges));
  for (guint i = 0; i < nr; i++)
    for (size_t j = 0; j < ranges[i].length; j++)
      trains[ranges[i].offset + j] = TRUE;
  size_t n_changed = 0;
  for (size_t i = 0; i < src->n_params; i++)
    {
      float want = trains[i] ? src->params[i] : before[i];
      g_assert_cmpmem (&dst->params[i], 4, &want, 4);
      n_changed += trains[i];
    }
  g_assert_cmpuint (n_changed, ==, tg_model_count_trainable (src, c->method));
}

/* --- refusals ------------------------------------------------------------------------------ */

static void
test_refuse_truncated (void)
{
  g_autoptr(TgModel) m = make_model (32, 0, 5);
  g_autofree char *path = tmp_path ("whole.safetensors");
  g_autoptr(GError) error = NULL;
  g_assert_true (tg_checkpoint_save_foundation (m, NULL, path, &error));
  g_autofree char *bytes = NULL;
  gsize size;
  g_assert_true (g_file_get_contents (path, &bytes, &size, NULL));
  guint64 hl = 0;
  for (int i = 7; i >= 0; i--)
    hl = (hl << 8) | (guint8) bytes[i];

  gsize cuts[] = { 0, 1, 7, 8, 9, 8 + hl / 2, 8 + hl - 1, 8 + hl, 8 + hl + 1, 8 + hl + 4,
                   size / 2, size - 4, size - 1 };
  g_autofree char *cut_path = tmp_path ("truncated.safetensors");
  for (guint i = 0; i < G_N_ELEMENTS (cuts); i++)
    {
      g_test_message ("cut at %zu of %zu bytes", cuts[i], size);
      write_bytes (cut_path, bytes, cuts[i]);
      assert_foundation_refused (cut_path, TG_ERROR_FORMAT, NULL);
    }
  /* The whole file still loads. */
  write_bytes (cut_path, bytes, size);
  g_autoptr(TgModel) ok = tg_checkpoint_load_foundation (cut_path, 0, 1.0f, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (ok);
}

static void
test_refuse_header_length (void)
{
  g_autoptr(TgModel) m = make_model (32, 0, 6);
  g_autofree char *path = tmp_path ("hl.safetensors");
  g_autoptr(GError) error = NULL;
  g_assert_true (tg_checkpoint_save_foundation (m, NULL, path, &error));
  g_autofree char *bytes = NULL;
  gsize size;
  g_assert_true (g_file_get_contents (path, &bytes, &size, NULL));

  guint64 lens[] = { size - 7, size, G_MAXUINT64, 1, 0 };
  g_autofree char *bad = tmp_path ("header-too-long.safetensors");
  for (guint i = 0; i < G_N_ELEMENTS (lens); i++)
    {
      for (int b = 0; b < 8; b++)
        bytes[b] = (char) (lens[i] >> (8 * b));
      write_bytes (bad, bytes, size);
      assert_foundation_refused (bad, TG_ERROR_FORMAT, NULL);
    }

  /* A header length over 100 MB is refused before it is allocated. */
  g_autofree char *huge = tmp_path ("header-huge.safetensors");
  FILE *f = fopen (huge, "wb");
  g_assert_nonnull (f);
  guint64 hl = GUINT64_TO_LE ((guint64) 200 * 1024 * 1024);
  fwrite (&hl, 8, 1, f);
  g_assert_cmpint (fseek (f, 210 * 1024 * 1024, SEEK_SET), ==, 0); /* sparse */
  fputc (0, f);
  fclose (f);
  assert_foundation_refused (huge, TG_ERROR_FORMAT, "limit");
  g_unlink (huge);

  g_autofree char *missing = tmp_path ("no-such.safetensors");
  assert_foundation_refused (missing, TG_ERROR_IO, NULL);
}

static void
write_with_header (const char *path, const char *json)
{
  gsize len = strlen (json);
  gsize hl = (len + 7) & ~(gsize) 7;
  g_autofree guint8 *buf = g_malloc0 (8 + hl + 16);
  for (int i = 0; i < 8; i++)
    buf[i] = (guint8) ((guint64) hl >> (8 * i));
  memcpy (buf + 8, json, len);
  memset (buf + 8 + len, ' ', hl - len);
  write_bytes (path, buf, 8 + hl + 16);
}

static void
test_refuse_bad_json (void)
{
  g_autofree char *path = tmp_path ("bad-json.safetensors");
  const char *cases[] = {
    "{not json",
    "[1, 2, 3]",
    "\"a string\"",
    "{\"__metadata__\": {\"a\": 1}}",
    "{\"__metadata__\": [\"a\"]}",
    "{\"x\": 3}",
    "{\"layers.0.bias\": {\"dtype\": \"F32\", \"shape\": [4], \"data_offsets\": [0]}}",
    "{\"layers.0.bias\": {\"dtype\": \"F32\", \"shape\": [4.0], \"data_offsets\": [0, 16]}}",
    "{\"layers.0.bias\": {\"dtype\": \"F32\", \"shape\": [-4], \"data_offsets\": [0, 16]}}",
    "{\"layers.0.bias\": {\"shape\": [4], \"data_offsets\": [0, 16]}}",
    "{\"layers.0.bias\": {\"dtype\": \"F32\", \"shape\": [4], \"data_offsets\": [16, 0]}}",
    "{\"layers.0.bias\": {\"dtype\": \"F32\", \"shape\": [4611686018427387904, 8], "
      "\"data_offsets\": [0, 0]}}",
  };
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_test_message ("header %s", cases[i]);
      write_with_header (path, cases[i]);
      assert_foundation_refused (path, TG_ERROR_FORMAT, NULL);
    }
}

static void
edit_dtype_f16 (JsonObject *root, gconstpointer user)
{
  JsonObject *t = json_object_get_object_member (root, user);
  json_object_set_string_member (t, "dtype", "F16");
}

static void
edit_shape (JsonObject *root, gconstpointer user)
{
  /* user: "name:d0,d1" */
  g_auto(GStrv) parts = g_strsplit (user, ":", 2);
  g_auto(GStrv) dims = g_strsplit (parts[1], ",", -1);
  JsonObject *t = json_object_get_object_member (root, parts[0]);
  JsonArray *a = json_array_new ();
  for (guint i = 0; dims[i]; i++)
    json_array_add_int_element (a, g_ascii_strtoll (dims[i], NULL, 10));
  json_object_set_array_member (t, "shape", a);
}

static void
edit_offsets (JsonObject *root, gconstpointer user)
{
  /* user: "name:begin,end"; negative numbers count from the end of the data */
  g_auto(GStrv) parts = g_strsplit (user, ":", 2);
  g_auto(GStrv) v = g_strsplit (parts[1], ",", 2);
  JsonObject *t = json_object_get_object_member (root, parts[0]);
  JsonArray *a = json_array_new ();
  json_array_add_int_element (a, g_ascii_strtoll (v[0], NULL, 10));
  json_array_add_int_element (a, g_ascii_strtoll (v[1], NULL, 10));
  json_object_set_array_member (t, "data_offsets", a);
}

static void
edit_remove (JsonObject *root, gconstpointer user)
{
  json_object_remove_member (root, user);
}

static void
edit_metadata (JsonObject *root, gconstpointer user)
{
  /* user: "key=value" */
  g_auto(GStrv) kv = g_strsplit (user, "=", 2);
  JsonObject *md = json_object_get_object_member (root, "__metadata__");
  json_object_set_string_member (md, kv[0], kv[1]);
}

static void
test_refuse_foundation_headers (void)
{
  /* widths 32: W0 (32,784) 100352 B, b0 128 B, W1 (32,32) 4096 B, b1, W2 (10,32), b2 40 B */
  g_autoptr(TgModel) m = make_model (32, 0, 7);
  g_autofree char *path = tmp_path ("good.safetensors");
  g_autofree char *bad = tmp_path ("bad-foundation.safetensors");
  g_autoptr(GError) error = NULL;
  g_assert_true (tg_checkpoint_save_foundation (m, NULL, path, &error));
  RawFile r;
  raw_read (path, &r);
  gsize data_size = r.data_size;
  JsonArray *b0 = json_object_get_array_member (json_object_get_object_member (r.root,
                                                  "layers.0.bias"), "data_offsets");
  gint64 b0_begin = json_array_get_int_element (b0, 0);
  raw_clear (&r);

  rewrite_header (path, bad, edit_dtype_f16, "layers.1.weight");
  assert_foundation_refused (bad, TG_ERROR_FORMAT, "F16");

  rewrite_header (path, bad, edit_shape, "layers.0.weight:32,783");
  assert_foundation_refused (bad, TG_ERROR_FORMAT, "layers.0.weight");

  g_autofree char *beyond = g_strdup_printf ("layers.2.bias:%zu,%zu", data_size - 36, data_size + 4);
  rewrite_header (path, bad, edit_offsets, beyond);
  assert_foundation_refused (bad, TG_ERROR_FORMAT, "layers.2.bias");

  g_autofree char *overlap = g_strdup_printf ("layers.2.bias:%" G_GINT64_FORMAT ",%" G_GINT64_FORMAT,
                                              b0_begin + 8, b0_begin + 48);
  rewrite_header (path, bad, edit_offsets, overlap);
  assert_foundation_refused (bad, TG_ERROR_FORMAT, "overlap");

  remove_tensor (path, bad, "layers.1.bias");
  assert_foundation_refused (bad, TG_ERROR_MISMATCH, "layers.1.bias");

  remove_tensor (path, bad, "layers.0.weight");
  assert_foundation_refused (bad, TG_ERROR_MISMATCH, "layers.0.weight");

  /* Same number of floats, so the sizes agree, but layer 1 no longer takes layer 0's 32. */
  rewrite_header (path, bad, edit_shape, "layers.1.weight:16,64");
  assert_foundation_refused (bad, TG_ERROR_MISMATCH, "layers.1.weight");

  rewrite_header (path, bad, edit_shape, "layers.1.bias:4,8");
  assert_foundation_refused (bad, TG_ERROR_MISMATCH, "layers.1.bias");

  /* A NaN in the data. */
  g_autofree char *bytes = NULL;
  gsize size;
  g_assert_true (g_file_get_contents (path, &bytes, &size, NULL));
  guint32 nan_bits = GUINT32_TO_LE (0x7fc00000u);
  memcpy (bytes + size - 4, &nan_bits, 4);
  write_bytes (bad, bytes, size);
  assert_foundation_refused (bad, TG_ERROR_FORMAT, "finite");
}

static void
test_refuse_adapters (void)
{
  g_autoptr(TgModel) narrow = make_model (64, 8, 8);
  g_autoptr(TgModel) model = make_model (128, 8, 9);
  g_autoptr(GError) error = NULL;

  /* Saved from width 64, loaded into width 128. */
  for (guint i = 0; i < G_N_ELEMENTS (adapter_cases); i++)
    {
      const AdapterCase *c = &adapter_cases[i];
      if (c->method == TG_METHOD_FROZEN)
        continue;
      g_autofree char *name = g_strdup_printf ("narrow-%s.safetensors",
                                               tg_method_info (c->method)->id);
      g_autofree char *path = tmp_path (name);
      g_assert_true (tg_checkpoint_save_adapter (narrow, c->method, NULL, path, &error));
      g_assert_no_error (error);
      assert_adapter_refused (model, path, TG_ERROR_MISMATCH, "shape");
    }
  g_autofree char *p64 = tmp_path ("narrow-taugate.safetensors");
  {
    g_autoptr(GError) e = NULL;
    g_assert_false (tg_checkpoint_load_adapter (model, p64, NULL, &e));
    g_assert_nonnull (strstr (e->message, "has shape [64], the model needs [128]"));
  }

  g_autofree char *full = tmp_path ("full.safetensors");
  g_autofree char *tau = tmp_path ("taugate.safetensors");
  g_autofree char *lora = tmp_path ("lora.safetensors");
  g_autofree char *bad = tmp_path ("bad-adapter.safetensors");
  g_assert_true (tg_checkpoint_save_adapter (model, TG_METHOD_FULL, NULL, full, &error));
  g_assert_true (tg_checkpoint_save_adapter (model, TG_METHOD_TAUGATE, NULL, tau, &error));
  g_assert_true (tg_checkpoint_save_adapter (model, TG_METHOD_LORA, NULL, lora, &error));
  g_assert_no_error (error);

  /* Extra tensors: a Full file relabelled BitFit holds the weights too. */
  g_autofree char *as_bitfit = g_strdup_printf ("method=%s", tg_method_info (TG_METHOD_BITFIT)->id);
  g_autofree char *as_gain = g_strdup_printf ("method=%s", tg_method_info (TG_METHOD_GAINONLY)->id);
  g_autofree char *as_full = g_strdup_printf ("method=%s", tg_method_info (TG_METHOD_FULL)->id);
  rewrite_header (full, bad, edit_metadata, as_bitfit);
  assert_adapter_refused (model, bad, TG_ERROR_MISMATCH, "layers.0.weight");
  rewrite_header (tau, bad, edit_metadata, as_gain);
  assert_adapter_refused (model, bad, TG_ERROR_MISMATCH, "tau");
  /* Missing tensors. */
  rewrite_header (tau, bad, edit_metadata, as_full);
  assert_adapter_refused (model, bad, TG_ERROR_MISMATCH, "missing");
  remove_tensor (tau, bad, "layers.1.gamma");
  assert_adapter_refused (model, bad, TG_ERROR_MISMATCH, "layers.1.gamma");
  /* A wrong shape of the right size. */
  rewrite_header (lora, bad, edit_shape, "layers.1.lora_A:128,8");
  assert_adapter_refused (model, bad, TG_ERROR_MISMATCH, "layers.1.lora_A");
  /* No method, an unknown one, a foundation, broken bytes. */
  rewrite_header (tau, bad, edit_metadata, "method=dropout");
  assert_adapter_refused (model, bad, TG_ERROR_FORMAT, "dropout");
  rewrite_header (tau, bad, edit_remove, "__metadata__");
  assert_adapter_refused (model, bad, TG_ERROR_FORMAT, "method");
  g_autofree char *found = tmp_path ("as-foundation.safetensors");
  g_assert_true (tg_checkpoint_save_foundation (model, NULL, found, &error));
  assert_adapter_refused (model, found, TG_ERROR_MISMATCH, "foundation");
  rewrite_header (tau, bad, edit_dtype_f16, "layers.0.tau");
  assert_adapter_refused (model, bad, TG_ERROR_FORMAT, "F16");
  g_autofree char *bytes = NULL;
  gsize size;
  g_assert_true (g_file_get_contents (tau, &bytes, &size, NULL));
  write_bytes (bad, bytes, size - 1);
  assert_adapter_refused (model, bad, TG_ERROR_FORMAT, NULL);
  guint32 inf_bits = GUINT32_TO_LE (0x7f800000u);
  memcpy (bytes + size - 4, &inf_bits, 4);
  write_bytes (bad, bytes, size);
  assert_adapter_refused (model, bad, TG_ERROR_FORMAT, "finite");

  /* A LoRA adapter for a model without a LoRA block. */
  g_autoptr(TgModel) plain = make_model (128, 0, 10);
  assert_adapter_refused (plain, lora, TG_ERROR_MISMATCH, "LoRA");

  /* And the file that was fine all along still loads. */
  g_assert_true (tg_checkpoint_load_adapter (model, tau, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpint (model->method, ==, TG_METHOD_TAUGATE);
}

/* --- report -------------------------------------------------------------------------------- */

static void
test_mean_std (void)
{
  double v[] = { 1.0, 2.0, 3.0, 4.0 };
  double mean = -1, std = -1;
  tg_mean_std (v, 4, &mean, &std);
  g_assert_cmpfloat (mean, ==, 2.5);
  g_assert_cmpfloat_with_epsilon (std, sqrt (5.0 / 3.0), 1e-15);
  double w[] = { 0.85, 0.85, 0.85 };
  tg_mean_std (w, 3, &mean, &std);
  g_assert_cmpfloat_with_epsilon (mean, 0.85, 1e-15);
  g_assert_cmpfloat_with_epsilon (std, 0.0, 1e-15);
  tg_mean_std (v + 2, 1, &mean, &std);
  g_assert_cmpfloat (mean, ==, 3.0);
  g_assert_cmpfloat (std, ==, 0.0);
  tg_mean_std (v, 0, &mean, &std);
  g_assert_cmpfloat (mean, ==, 0.0);
  g_assert_cmpfloat (std, ==, 0.0);
  double x[] = { 2.0, 4.0, 4.0, 4.0, 5.0, 5.0, 7.0, 9.0 };
  tg_mean_std (x, 8, &mean, &std);
  g_assert_cmpfloat (mean, ==, 5.0);
  g_assert_cmpfloat_with_epsilon (std, sqrt (32.0 / 7.0), 1e-15);
}

static void
fake_config (TgExperimentConfig *c)
{
  memset (c, 0, sizeof *c);
  c->seeds = 3;
  c->seed0 = 100;
  c->angle = 45.0;
  c->foundation_epochs = 2;
  c->adapt_epochs = 1;
  c->lr = 0.01f;
  c->momentum = 0.9f;
  c->sharpness = 5.0f;
  c->lambda = 0.0f;
  c->batch = 256;
  c->n_hidden = 2;
  c->width = 128;
  c->lora_rank = 8;
  c->lora_alpha = 8.0f;
  c->high_act_samples = 256;
  c->on_threshold = 0.9f;
  c->methods = (1u << TG_N_METHODS) - 1;
  c->overlap = TRUE;
  g_strlcpy (c->data_name, "MNIST", sizeof c->data_name); /* the paper's data */
  c->data_is_mnist = TRUE;
}

/* Every method but Full FT, 3 seeds, with accuracies 0.9 + 0.01 * seed + 0.001 * method. */
static TgExperimentResults *
fake_results (void)
{
  TgExperimentResults *res = g_new0 (TgExperimentResults, 1);
  fake_config (&res->config);
  res->runs = g_array_new (FALSE, TRUE, sizeof (TgRunResult));
  res->overlaps = g_array_new (FALSE, TRUE, sizeof (TgOverlapResult));
  static const size_t params[] = { 0, 266, 512, 256, 256, 10448, 118282 };
  for (guint s = 0; s < 3; s++)
    {
      for (guint m = 0; m < TG_METHOD_FULL; m++)
        {
          TgRunResult r = { 0 };
          r.seed_index = s;
          r.seed = 100 + s;
          r.method = m;
          r.target_angle = 45.0;
          r.params = params[m];
          r.acc0 = 0.5 + 0.01 * s + 0.001 * m;
          r.acc_rot = 0.6 + 0.01 * s + 0.001 * m;
          r.acc0_hard = r.acc0 - 0.1;
          r.acc_rot_hard = r.acc_rot - 0.1;
          r.high_act = tg_method_info (m)->gated ? 0.25 + 0.01 * s : NAN;
          r.final_loss = 1.0 / 3.0 + s;
          g_array_append_val (res->runs, r);
        }
      TgOverlapResult o = { 0 };
      o.seed_index = s;
      o.n_layers = 2;
      o.jaccard[0] = 1.0;
      o.jaccard[1] = s == 0 ? 0.5 : 1.0;
      o.on0[0] = 10; o.on_rot[0] = 10;
      o.on0[1] = 4; o.on_rot[1] = 2 + s;
      g_array_append_val (res->overlaps, o);
    }
  return res;
}

static void
fake_results_free (TgExperimentResults *res)
{
  g_array_unref (res->runs);
  g_array_unref (res->overlaps);
  g_free (res);
}

static guint
count_lines (const char *s)
{
  guint n = 0;
  for (; *s; s++)
    n += *s == '\n';
  return n;
}

static void
test_report_csv (void)
{
  TgExperimentResults *res = fake_results ();
  g_autofree char *a = tg_report_csv (res);
  g_autofree char *b = tg_report_csv (res);
  g_assert_cmpstr (a, ==, b);
  g_assert_true (g_str_has_prefix (a, "seed_index,seed,method,target_angle,trainable_params,"
                                      "acc_0,acc_rot,acc_0_hard,acc_rot_hard,high_act_frac,"
                                      "final_loss\n"));
  g_assert_cmpuint (count_lines (a), ==, 1 + 3 * 6);
  g_autofree char *row = g_strdup_printf ("0,100,%s,45.000000,266,0.501000,0.601000,"
                                          "0.401000,0.501000,,0.333333\n",
                                          tg_method_info (TG_METHOD_BITFIT)->id);
  g_assert_nonnull (strstr (a, row));
  g_autofree char *gated = g_strdup_printf ("2,102,%s,45.000000,512,0.522000,0.622000,",
                                            tg_method_info (TG_METHOD_TAUGATE)->id);
  g_assert_nonnull (strstr (a, gated));
  g_assert_nonnull (strstr (a, ",0.270000,2.333333\n"));

  /* A decimal-comma locale changes nothing. */
  const char *old = setlocale (LC_NUMERIC, NULL);
  g_autofree char *saved = g_strdup (old);
  if (setlocale (LC_NUMERIC, "de_DE.UTF-8") != NULL)
    {
      g_autofree char *c = tg_report_csv (res);
      g_assert_cmpstr (a, ==, c);
      setlocale (LC_NUMERIC, saved);
    }

  g_autofree char *ov = tg_report_overlap_csv (res);
  g_assert_true (g_str_has_prefix (ov, "seed_index,layer,jaccard,on_0,on_rot\n"));
  g_assert_nonnull (strstr (ov, "\n0,1,0.500000,4,2\n"));
  g_assert_cmpuint (count_lines (ov), ==, 1 + 3 * 2);

  /* A run with different numbers gives different bytes. */
  g_array_index (res->runs, TgRunResult, 4).acc0 += 1e-6;
  g_autofree char *d = tg_report_csv (res);
  g_assert_cmpstr (a, !=, d);
  fake_results_free (res);
}

static void
test_report_summarise (void)
{
  TgExperimentResults *res = fake_results ();
  TgMethodSummary s;
  g_assert_true (tg_report_summarise (res, TG_METHOD_TAUGATE, &s));
  g_assert_cmpuint (s.n, ==, 3);
  g_assert_cmpuint (s.params, ==, 512);
  g_assert_cmpfloat_with_epsilon (s.acc0, 0.512, 1e-12);
  g_assert_cmpfloat_with_epsilon (s.acc0_std, 0.01, 1e-12);
  g_assert_cmpfloat_with_epsilon (s.acc_rot, 0.612, 1e-12);
  g_assert_cmpfloat_with_epsilon (s.acc_rot_hard, 0.512, 1e-12);
  g_assert_cmpfloat_with_epsilon (s.high_act, 0.26, 1e-12);
  g_assert_cmpfloat_with_epsilon (s.high_act_std, 0.01, 1e-12);
  g_assert_true (tg_report_summarise (res, TG_METHOD_BITFIT, &s));
  g_assert_true (isnan (s.high_act));
  g_assert_false (tg_report_summarise (res, TG_METHOD_FULL, &s));

  /* A run specialised to another angle is not a row of the paper's tables. */
  TgRunResult r = g_array_index (res->runs, TgRunResult, 2);
  r.target_angle = 0.0;
  r.acc0 = 100.0;
  g_array_append_val (res->runs, r);
  g_assert_true (tg_report_summarise (res, TG_METHOD_TAUGATE, &s));
  g_assert_cmpuint (s.n, ==, 3);
  g_assert_cmpfloat_with_epsilon (s.acc0, 0.512, 1e-12);

  const TgPaperRow *p = tg_paper_row (TG_METHOD_LORA);
  g_assert_nonnull (p);
  g_assert_cmpuint (p->params, ==, 10448);
  g_assert_cmpfloat (p->acc_rot, ==, 0.864);
  g_assert_cmpfloat (tg_paper_row (TG_METHOD_TAUGATE)->high_act, ==, 0.28);
  g_assert_true (isnan (tg_paper_row (TG_METHOD_FULL)->high_act));
  g_assert_cmpfloat (tg_paper_jaccard[1][1], ==, 0.289);
  fake_results_free (res);
}

static void
assert_contains (const char *hay, const char *needle)
{
  if (strstr (hay, needle) == NULL)
    g_error ("\"%s\" not found in:\n%s", needle, hay);
}

static void
assert_lacks (const char *hay, const char *needle)
{
  if (strstr (hay, needle) != NULL)
    g_error ("\"%s\" unexpectedly found in:\n%s", needle, hay);
}

static void
test_report_tex (void)
{
  TgExperimentResults *res = fake_results ();
  g_autofree char *t1 = tg_report_table1_tex (res);
  assert_contains (t1, "booktabs");
  assert_contains (t1, "\\toprule");
  assert_contains (t1, "\\bottomrule");
  assert_contains (t1, "ours");
  assert_contains (t1, "paper");
  assert_contains (t1, "$0.832 \\pm 0.017$");             /* paper, Frozen 0 deg */
  assert_contains (t1, "$0.850 \\pm 0.010$");             /* paper, TauGate 45 deg */
  assert_contains (t1, "0.28");                           /* paper high-act */
  assert_contains (t1, "$0.512 \\pm 0.010$");             /* ours, TauGate 0 deg */
  assert_contains (t1, "$0.260 \\pm 0.010$");             /* ours, high-act */
  assert_contains (t1, "LoRA ($r=8$) & 10448");
  assert_contains (t1, "3 seeds");
  assert_contains (t1, "lr 0.01");
  assert_contains (t1, "$\\lambda = 0$");
  assert_contains (t1, "$s = 5$");
  assert_contains (t1, "foundation 2 epochs");
  assert_lacks (t1, "Full FT");                           /* absent from these results */
  assert_lacks (t1, "GainOnly");
  assert_lacks (t1, "nan");

  g_autofree char *t2 = tg_report_table2_tex (res);
  assert_contains (t2, "GainOnly (activation scales) & 256");
  assert_contains (t2, "$0.849 \\pm 0.010$");             /* paper GainOnly 45 deg */
  assert_contains (t2, "$0.833 \\pm 0.015$");             /* paper TauOnly 45 deg */
  assert_contains (t2, "$0.613 \\pm 0.010$");             /* ours GainOnly 45 deg */
  assert_contains (t2, "\\midrule");

  g_autofree char *t3 = tg_report_table3_tex (res);
  assert_contains (t3, "Hidden 1 & $1.000 \\pm 0.000$ & $1.000 \\pm 0.000$");
  assert_contains (t3, "$0.833 \\pm 0.289$");             /* paper hidden 2 */
  assert_contains (t3, "$0.917 \\pm 0.144$");             /* paper average */
  assert_contains (t3, "Hidden 2 & $0.833 \\pm 0.289$");  /* ours happen to equal it */
  assert_contains (t3, "Average & $0.917 \\pm 0.144$");
  assert_contains (t3, "booktabs");

  /* Another angle: headers follow the config; the paper's 45-degree numbers are not
   * comparable and are left out. */
  res->config.angle = 30.0;
  for (guint i = 0; i < res->runs->len; i++)
    g_array_index (res->runs, TgRunResult, i).target_angle = 30.0;
  g_autofree char *t1b = tg_report_table1_tex (res);
  assert_contains (t1b, "Acc ($30^\\circ$)");
  assert_lacks (t1b, "paper");
  fake_results_free (res);
}

static void
test_report_text (void)
{
  TgExperimentResults *res = fake_results ();
  g_autofree char *t = tg_report_table1_text (res);
  g_test_message ("\n%s", t);
  assert_contains (t, "acc 0° (ours)");
  assert_contains (t, "acc 45° (paper)");
  assert_contains (t, "0.832 ± 0.017");   /* paper Frozen */
  assert_contains (t, "0.887 ± 0.005");   /* paper Full FT */
  assert_contains (t, "0.512 ± 0.010");   /* ours TauGate */
  assert_contains (t, "0.260 / 0.28");    /* high-act ours / paper */
  assert_contains (t, "GainOnly");
  assert_contains (t, "TauOnly");
  assert_contains (t, "LoRA r=8");
  /* Full FT is absent from these results: a dash where ours would be. */
  const char *full = strstr (t, "Full FT");
  g_assert_nonnull (full);
  g_autofree char *line = g_strndup (full, strcspn (full, "\n"));
  assert_contains (line, "—");
  assert_contains (line, "0.783 ± 0.007");
  fake_results_free (res);
}

static void
test_report_write_all (void)
{
  TgExperimentResults *res = fake_results ();
  g_autoptr(GError) error = NULL;
  g_autofree char *out = tmp_path ("report/run1");
  g_assert_true (tg_report_write_all (res, out, &error));
  g_assert_no_error (error);
  const char *files[] = { "results.csv", "overlap.csv", "tables/mnist_rotation_results.tex",
                          "tables/mnist_rotation_ablations.tex", "tables/taugate_overlap.tex" };
  for (guint i = 0; i < G_N_ELEMENTS (files); i++)
    {
      g_autofree char *p = g_build_filename (out, files[i], NULL);
      g_autofree char *contents = NULL;
      g_assert_true (g_file_get_contents (p, &contents, NULL, NULL));
      g_assert_cmpuint (strlen (contents), >, 20);
    }
  g_autofree char *csv_path = g_build_filename (out, "results.csv", NULL);
  g_autofree char *csv = NULL;
  g_assert_true (g_file_get_contents (csv_path, &csv, NULL, NULL));
  g_autofree char *expect = tg_report_csv (res);
  g_assert_cmpstr (csv, ==, expect);

  /* A parent that is a regular file cannot hold a directory, even for root. */
  g_autofree char *file = tmp_path ("plain-file");
  write_bytes (file, "x", 1);
  g_autofree char *bad = g_build_filename (file, "out", NULL);
  g_assert_false (tg_report_write_all (res, bad, &error));
  g_assert_error (error, TG_ERROR, TG_ERROR_IO);
  assert_contains (error->message, bad);
  g_clear_error (&error);

  /* A directory where results.csv should go: the write fails and names it. */
  g_autofree char *out2 = tmp_path ("report2");
  g_autofree char *blocker = g_build_filename (out2, "results.csv", NULL);
  g_assert_cmpint (g_mkdir_with_parents (blocker, 0755), ==, 0);
  g_assert_false (tg_report_write_all (res, out2, &error));
  g_assert_error (error, TG_ERROR, TG_ERROR_IO);
  assert_contains (error->message, blocker);
  fake_results_free (res);
}

/* --- main ------------------------------------------------------------------------------------ */

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_autoptr(GError) error = NULL;
  tmp_dir = g_dir_make_tmp ("tg-checkpoint-XXXXXX", &error);
  g_assert_no_error (error);

  g_test_add_func ("/checkpoint/foundation/roundtrip", test_foundation_roundtrip);
  g_test_add_func ("/checkpoint/foundation/independent-reader", test_foundation_independent_reader);
  g_test_add_func ("/checkpoint/foundation/python-reader", test_foundation_python_reader);
  g_test_add_func ("/checkpoint/inspect", test_inspect);
  for (guint i = 0; i < G_N_ELEMENTS (adapter_cases); i++)
    {
      g_autofree char *name = g_strdup_printf ("/checkpoint/adapter/roundtrip/%s",
                                               tg_method_info (adapter_cases[i].method)->id);
      g_test_add_data_func (name, &adapter_cases[i], test_adapter_roundtrip);
    }
  g_test_add_func ("/checkpoint/refuse/truncated", test_refuse_truncated);
  g_test_add_func ("/checkpoint/refuse/header-length", test_refuse_header_length);
  g_test_add_func ("/checkpoint/refuse/bad-json", test_refuse_bad_json);
  g_test_add_func ("/checkpoint/refuse/foundation-headers", test_refuse_foundation_headers);
  g_test_add_func ("/checkpoint/refuse/adapters", test_refuse_adapters);
  g_test_add_func ("/report/mean-std", test_mean_std);
  g_test_add_func ("/report/csv", test_report_csv);
  g_test_add_func ("/report/summarise", test_report_summarise);
  g_test_add_func ("/report/tex", test_report_tex);
  g_test_add_func ("/report/text", test_report_text);
  g_test_add_func ("/report/write-all", test_report_write_all);

  int rc = g_test_run ();
  cli_test_remove_tree (tmp_dir);
  g_free (tmp_dir);
  return rc;
}
