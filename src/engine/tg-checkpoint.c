/* tg-checkpoint.c — foundations and adapters as safetensors files.
 *
 * Reading trusts nothing: the header length, the JSON, every tensor's dtype, shape and byte
 * range are checked against each other and against the file's real size before a single
 * float is used, and an adapter is validated completely before the model is touched.
 * Which tensors an adapter holds is not a second list here: it is read off
 * tg_model_trainable_ranges(), each range mapped back to the tensors it covers.
 *
 * Not here: any notion of what the numbers mean (that is tg-model.c), and no partial loads. */
#include "tg-checkpoint.h"
#include "tg-digest.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include <json-glib/json-glib.h>

#define TG_CKPT_MAX_HEADER   (100u * 1024u * 1024u) /* 100 MB, as the reference reader */
#define TG_CKPT_MAX_DIMS     8
#define TG_CKPT_MAX_TENSORS  (6 * TG_MAX_LINEAR)
#define TG_CKPT_MAX_DIM      (1u << 24)             /* no layer of ours is wider */

/* --- the model's tensors ------------------------------------------------------------- */

typedef struct {
  char    name[32];
  size_t  offset;   /* in floats, into model->params */
  guint   ndim;
  size_t  shape[2];
  size_t  count;    /* floats */
} ModelTensor;

static void
model_tensor_set (ModelTensor *t, guint l, const char *kind, size_t offset,
                  guint ndim, size_t d0, size_t d1)
{
  g_snprintf (t->name, sizeof t->name, "layers.%u.%s", l, kind);
  t->offset = offset;
  t->ndim = ndim;
  t->shape[0] = d0;
  t->shape[1] = ndim > 1 ? d1 : 0;
  t->count = ndim > 1 ? d0 * d1 : d0;
}

/* Every tensor of the model's block, in file order: layer by layer, weight, bias, tau,
 * gamma, lora_A, lora_B. */
static guint
model_tensors (const TgModel *m, ModelTensor *out)
{
  guint n = 0;
  for (guint l = 0; l < m->n_linear; l++)
    {
      size_t in = m->dims[l], o = m->dims[l + 1];
      model_tensor_set (&out[n++], l, "weight", m->w[l], 2, o, in);
      model_tensor_set (&out[n++], l, "bias", m->b[l], 1, o, 0);
      if (l + 1 < m->n_linear)
        {
          model_tensor_set (&out[n++], l, "tau", m->tau[l], 1, o, 0);
          model_tensor_set (&out[n++], l, "gamma", m->gamma[l], 1, o, 0);
        }
      if (m->lora_rank > 0)
        {
          model_tensor_set (&out[n++], l, "lora_A", m->lora_a[l], 2, m->lora_rank, in);
          model_tensor_set (&out[n++], l, "lora_B", m->lora_b[l], 2, o, m->lora_rank);
        }
    }
  return n;
}

static int
range_cmp (const void *a, const void *b)
{
  const TgRange *x = a, *y = b;
  return x->offset < y->offset ? -1 : x->offset > y->offset;
}

/* The tensors method trains: those whose floats lie wholly inside the (merged) trainable
 * ranges. Fails if the ranges cover anything that is not a whole tensor. */
static gboolean
method_tensors (const TgModel *m, TgMethod method, ModelTensor *out, guint *n_out,
                GError **error)
{
  TgRange ranges[4 * TG_MAX_LINEAR + 8];
  guint nr = tg_model_trainable_ranges (m, method, ranges, G_N_ELEMENTS (ranges));
  if (nr > G_N_ELEMENTS (ranges))
    nr = G_N_ELEMENTS (ranges);

  qsort (ranges, nr, sizeof ranges[0], range_cmp);
  guint nm = 0;
  size_t covered = 0;
  for (guint i = 0; i < nr; i++)
    {
      if (ranges[i].length == 0)
        continue;
      if (nm > 0 && ranges[nm - 1].offset + ranges[nm - 1].length >= ranges[i].offset)
        {
          size_t end = MAX (ranges[nm - 1].offset + ranges[nm - 1].length,
                            ranges[i].offset + ranges[i].length);
          ranges[nm - 1].length = end - ranges[nm - 1].offset;
        }
      else
        ranges[nm++] = ranges[i];
    }
  for (guint i = 0; i < nm; i++)
    covered += ranges[i].length;

  ModelTensor all[TG_CKPT_MAX_TENSORS];
  guint na = model_tensors (m, all);
  guint n = 0;
  size_t selected = 0;
  for (guint t = 0; t < na; t++)
    for (guint i = 0; i < nm; i++)
      if (all[t].offset >= ranges[i].offset
          && all[t].offset + all[t].count <= ranges[i].offset + ranges[i].length)
        {
          out[n++] = all[t];
          selected += all[t].count;
          break;
        }

  if (selected != covered)
    {
      g_set_error (error, TG_ERROR, TG_ERROR_INVALID,
                   "the trainable parameters of %s do not map to whole tensors",
                   tg_method_info (method)->label);
      return FALSE;
    }
  *n_out = n;
  return TRUE;
}

/* --- writing --------------------------------------------------------------------------- */

static gboolean
check_metadata (GHashTable *metadata, const char *path, GError **error)
{
  if (metadata == NULL)
    return TRUE;
  GHashTableIter it;
  gpointer k, v;
  g_hash_table_iter_init (&it, metadata);
  while (g_hash_table_iter_next (&it, &k, &v))
    if (k == NULL || v == NULL || !g_utf8_validate (k, -1, NULL) || !g_utf8_validate (v, -1, NULL))
      {
        g_set_error (error, TG_ERROR, TG_ERROR_INVALID,
                     "%s: metadata keys and values must be UTF-8 strings", path);
        return FALSE;
      }
  return TRUE;
}

static char *
dims_string (const TgModel *m)
{
  GString *s = g_string_new (NULL);
  for (guint l = 0; l <= m->n_linear; l++)
    g_string_append_printf (s, l ? ",%u" : "%u", m->dims[l]);
  return g_string_free (s, FALSE);
}

static int
str_cmp (const void *a, const void *b)
{
  return strcmp (*(const char *const *) a, *(const char *const *) b);
}

static gboolean
write_file (const TgModel *m, const ModelTensor *tensors, guint n, GHashTable *caller_meta,
            const char *kind, const char *method_id, const char *path, GError **error)
{
  if (!check_metadata (caller_meta, path, error))
    return FALSE;

  /* The caller's keys, then ours over them: format, kind and dims always say the truth. */
  g_autoptr(GHashTable) meta = g_hash_table_new (g_str_hash, g_str_equal);
  if (caller_meta != NULL)
    {
      GHashTableIter it;
      gpointer k, v;
      g_hash_table_iter_init (&it, caller_meta);
      while (g_hash_table_iter_next (&it, &k, &v))
        g_hash_table_insert (meta, k, v);
    }
  g_autofree char *dims = dims_string (m);
  g_hash_table_insert (meta, (gpointer) "format", (gpointer) "taugate");
  g_hash_table_insert (meta, (gpointer) "kind", (gpointer) kind);
  g_hash_table_insert (meta, (gpointer) "dims", dims);
  if (method_id != NULL)
    g_hash_table_insert (meta, (gpointer) "method", (gpointer) method_id);
  else
    g_hash_table_remove (meta, "method");

  /* Sorted keys: the same model and metadata give the same bytes. */
  guint nk = 0;
  g_autofree gpointer *keys = g_hash_table_get_keys_as_array (meta, &nk);
  qsort (keys, nk, sizeof keys[0], str_cmp);

  g_autoptr(JsonBuilder) b = json_builder_new ();
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "__metadata__");
  json_builder_begin_object (b);
  for (guint i = 0; i < nk; i++)
    {
      json_builder_set_member_name (b, keys[i]);
      json_builder_add_string_value (b, g_hash_table_lookup (meta, keys[i]));
    }
  json_builder_end_object (b);

  size_t off = 0;
  for (guint t = 0; t < n; t++)
    {
      json_builder_set_member_name (b, tensors[t].name);
      json_builder_begin_object (b);
      json_builder_set_member_name (b, "dtype");
      json_builder_add_string_value (b, "F32");
      json_builder_set_member_name (b, "shape");
      json_builder_begin_array (b);
      for (guint d = 0; d < tensors[t].ndim; d++)
        json_builder_add_int_value (b, (gint64) tensors[t].shape[d]);
      json_builder_end_array (b);
      json_builder_set_member_name (b, "data_offsets");
      json_builder_begin_array (b);
      json_builder_add_int_value (b, (gint64) off);
      json_builder_add_int_value (b, (gint64) (off + 4 * tensors[t].count));
      json_builder_end_array (b);
      json_builder_end_object (b);
      off += 4 * tensors[t].count;
    }
  json_builder_end_object (b);

  g_autoptr(JsonGenerator) gen = json_generator_new ();
  g_autoptr(JsonNode) root = json_builder_get_root (b);
  json_generator_set_root (gen, root);
  gsize json_len = 0;
  g_autofree char *json = json_generator_to_data (gen, &json_len);

  /* Header padded with spaces so the data starts 8-byte aligned, as the reference does. */
  size_t header_len = (json_len + 7) & ~(size_t) 7;
  size_t total = 8 + header_len + off;
  g_autofree guint8 *buf = g_try_malloc (total);
  if (buf == NULL)
    {
      g_set_error (error, TG_ERROR, TG_ERROR_IO, "%s: out of memory for %zu bytes", path, total);
      return FALSE;
    }
  guint64 le = GUINT64_TO_LE ((guint64) header_len);
  memcpy (buf, &le, 8);
  memcpy (buf + 8, json, json_len);
  memset (buf + 8 + json_len, ' ', header_len - json_len);
  guint8 *data = buf + 8 + header_len;
  for (guint t = 0; t < n; t++)
    {
      const float *src = m->params + tensors[t].offset;
      for (size_t i = 0; i < tensors[t].count; i++)
        {
          guint32 bits;
          memcpy (&bits, &src[i], 4);
          bits = GUINT32_TO_LE (bits);
          memcpy (data, &bits, 4);
          data += 4;
        }
    }

  g_autoptr(GError) local = NULL;
  if (!g_file_set_contents (path, (const char *) buf, (gssize) total, &local))
    {
      g_set_error (error, TG_ERROR, TG_ERROR_IO, "%s", local->message);
      return FALSE;
    }
  return TRUE;
}

gboolean
tg_checkpoint_save_foundation (const TgModel *model, GHashTable *metadata,
                               const char *path, GError **error)
{
  g_return_val_if_fail (model != NULL && path != NULL, FALSE);
  ModelTensor all[TG_CKPT_MAX_TENSORS], keep[TG_CKPT_MAX_TENSORS];
  guint na = model_tensors (model, all), n = 0;
  for (guint t = 0; t < na; t++)
    if (g_str_has_suffix (all[t].name, ".weight") || g_str_has_suffix (all[t].name, ".bias"))
      keep[n++] = all[t];
  return write_file (model, keep, n, metadata, "foundation", NULL, path, error);
}

gboolean
tg_checkpoint_save_adapter (const TgModel *model, TgMethod method, GHashTable *metadata,
                            const char *path, GError **error)
{
  g_return_val_if_fail (model != NULL && path != NULL, FALSE);
  if ((guint) method >= TG_N_METHODS)
    {
      g_set_error (error, TG_ERROR, TG_ERROR_INVALID, "%s: no such method %d", path, method);
      return FALSE;
    }
  if (method == TG_METHOD_LORA && model->lora_rank == 0)
    {
      g_set_error (error, TG_ERROR, TG_ERROR_INVALID,
                   "%s: the model has no LoRA block (rank 0) to save", path);
      return FALSE;
    }
  ModelTensor t[TG_CKPT_MAX_TENSORS];
  guint n = 0;
  if (!method_tensors (model, method, t, &n, error))
    {
      g_prefix_error (error, "%s: ", path);
      return FALSE;
    }
  return write_file (model, t, n, metadata, "adapter", tg_method_info (method)->id, path, error);
}

/* --- reading --------------------------------------------------------------------------- */

typedef struct {
  char   *name;
  guint   ndim;
  guint64 shape[TG_CKPT_MAX_DIMS];
  guint64 begin, end; /* bytes, relative to the data section */
} FileTensor;

typedef struct {
  GHashTable *metadata;  /* string -> string */
  GPtrArray  *tensors;   /* FileTensor, in header order */
  GHashTable *by_name;   /* borrowed name -> FileTensor */
  guint8     *data;
  guint64     data_size;
} FileContents;

static void
file_tensor_free (gpointer p)
{
  FileTensor *t = p;
  g_free (t->name);
  g_free (t);
}

static void
file_contents_free (FileContents *fc)
{
  if (fc == NULL)
    return;
  g_clear_pointer (&fc->metadata, g_hash_table_unref);
  g_clear_pointer (&fc->by_name, g_hash_table_unref);
  g_clear_pointer (&fc->tensors, g_ptr_array_unref);
  g_free (fc->data);
  g_free (fc);
}
G_DEFINE_AUTOPTR_CLEANUP_FUNC (FileContents, file_contents_free)

static char *
shape_string (guint ndim, const guint64 *shape)
{
  GString *s = g_string_new ("[");
  for (guint d = 0; d < ndim; d++)
    g_string_append_printf (s, d ? ", %" G_GUINT64_FORMAT : "%" G_GUINT64_FORMAT, shape[d]);
  g_string_append_c (s, ']');
  return g_string_free (s, FALSE);
}

static gboolean
json_get_uint (JsonNode *node, guint64 *out)
{
  if (node == NULL || JSON_NODE_TYPE (node) != JSON_NODE_VALUE
      || json_node_get_value_type (node) != G_TYPE_INT64)
    return FALSE;
  gint64 v = json_node_get_int (node);
  if (v < 0)
    return FALSE;
  *out = (guint64) v;
  return TRUE;
}

static gboolean
parse_tensor (const char *path, const char *name, JsonNode *node, FileTensor *t, GError **error)
{
  if (JSON_NODE_TYPE (node) != JSON_NODE_OBJECT)
    {
      g_set_error (error, TG_ERROR, TG_ERROR_FORMAT,
                   "%s: header entry %s is not an object", path, name);
      return FALSE;
    }
  JsonObject *o = json_node_get_object (node);

  JsonNode *dt = json_object_get_member (o, "dtype");
  if (dt == NULL || JSON_NODE_TYPE (dt) != JSON_NODE_VALUE
      || json_node_get_value_type (dt) != G_TYPE_STRING)
    {
      g_set_error (error, TG_ERROR, TG_ERROR_FORMAT, "%s: tensor %s has no dtype", path, name);
      return FALSE;
    }
  if (g_strcmp0 (json_node_get_string (dt), "F32") != 0)
    {
      g_set_error (error, TG_ERROR, TG_ERROR_FORMAT,
                   "%s: tensor %s has dtype %s, only F32 is supported",
                   path, name, json_node_get_string (dt));
      return FALSE;
    }

  JsonNode *sh = json_object_get_member (o, "shape");
  if (sh == NULL || JSON_NODE_TYPE (sh) != JSON_NODE_ARRAY)
    {
      g_set_error (error, TG_ERROR, TG_ERROR_FORMAT, "%s: tensor %s has no shape", path, name);
      return FALSE;
    }
  JsonArray *sa = json_node_get_array (sh);
  guint ndim = json_array_get_length (sa);
  if (ndim > TG_CKPT_MAX_DIMS)
    {
      g_set_error (error, TG_ERROR, TG_ERROR_FORMAT,
                   "%s: tensor %s has %u dimensions, at most %d are supported",
                   path, name, ndim, TG_CKPT_MAX_DIMS);
      return FALSE;
    }
  size_t count = 1;
  for (guint d = 0; d < ndim; d++)
    {
      if (!json_get_uint (json_array_get_element (sa, d), &t->shape[d]))
        {
          g_set_error (error, TG_ERROR, TG_ERROR_FORMAT,
                       "%s: tensor %s has a shape entry that is not a non-negative integer",
                       path, name);
          return FALSE;
        }
      if (t->shape[d] > SIZE_MAX || !tg_size_mul (count, (size_t) t->shape[d], &count))
        {
          g_set_error (error, TG_ERROR, TG_ERROR_FORMAT,
                       "%s: tensor %s has a shape whose size overflows", path, name);
          return FALSE;
        }
    }
  t->ndim = ndim;
  size_t bytes;
  if (!tg_size_mul (count, 4, &bytes))
    {
      g_set_error (error, TG_ERROR, TG_ERROR_FORMAT,
                   "%s: tensor %s has a shape whose size overflows", path, name);
      return FALSE;
    }

  JsonNode *of = json_object_get_member (o, "data_offsets");
  JsonArray *oa = (of != NULL && JSON_NODE_TYPE (of) == JSON_NODE_ARRAY)
                  ? json_node_get_array (of) : NULL;
  if (oa == NULL || json_array_get_length (oa) != 2
      || !json_get_uint (json_array_get_element (oa, 0), &t->begin)
      || !json_get_uint (json_array_get_element (oa, 1), &t->end))
    {
      g_set_error (error, TG_ERROR, TG_ERROR_FORMAT,
                   "%s: tensor %s needs data_offsets [begin, end] of non-negative integers",
                   path, name);
      return FALSE;
    }
  if (t->begin > t->end)
    {
      g_set_error (error, TG_ERROR, TG_ERROR_FORMAT,
                   "%s: tensor %s has data_offsets [%" G_GUINT64_FORMAT ", %" G_GUINT64_FORMAT
                   "] that end before they begin", path, name, t->begin, t->end);
      return FALSE;
    }
  if (t->end - t->begin != (guint64) bytes)
    {
      g_autofree char *s = shape_string (ndim, t->shape);
      g_set_error (error, TG_ERROR, TG_ERROR_FORMAT,
                   "%s: tensor %s has shape %s (%zu bytes of F32) but data_offsets span %"
                   G_GUINT64_FORMAT " bytes", path, name, s, bytes, t->end - t->begin);
      return FALSE;
    }
  return TRUE;
}

static int
file_tensor_cmp (gconstpointer a, gconstpointer b)
{
  const FileTensor *x = *(FileTensor *const *) a, *y = *(FileTensor *const *) b;
  if (x->begin != y->begin)
    return x->begin < y->begin ? -1 : 1;
  return x->end < y->end ? -1 : x->end > y->end;
}

/* Reads and validates a whole safetensors file. Every tensor in the result is F32 with a
 * byte range inside the data, of the size its shape says, overlapping no other. */
static FileContents *
read_file (const char *path, GError **error)
{
  FILE *f = fopen (path, "rb");
  if (f == NULL)
    {
      int e = errno;
      g_set_error (error, TG_ERROR, TG_ERROR_IO, "%s: %s", path, g_strerror (e));
      return NULL;
    }
  struct stat st;
  if (fstat (fileno (f), &st) != 0 || !S_ISREG (st.st_mode))
    {
      g_set_error (error, TG_ERROR, TG_ERROR_IO, "%s: not a regular file", path);
      fclose (f);
      return NULL;
    }
  guint64 size = (guint64) st.st_size;
  guint8 lenbuf[8];
  if (size < 8 || fread (lenbuf, 1, 8, f) != 8)
    {
      g_set_error (error, TG_ERROR, TG_ERROR_FORMAT,
                   "%s: %" G_GUINT64_FORMAT " byte(s) are too short for a safetensors file",
                   path, size);
      fclose (f);
      return NULL;
    }
  guint64 header_len;
  memcpy (&header_len, lenbuf, 8);
  header_len = GUINT64_FROM_LE (header_len);
  if (header_len > size - 8)
    {
      g_set_error (error, TG_ERROR, TG_ERROR_FORMAT,
                   "%s: header length %" G_GUINT64_FORMAT " exceeds the %" G_GUINT64_FORMAT
                   " bytes that follow it (truncated file?)", path, header_len, size - 8);
      fclose (f);
      return NULL;
    }
  if (header_len > TG_CKPT_MAX_HEADER)
    {
      g_set_error (error, TG_ERROR, TG_ERROR_FORMAT,
                   "%s: header length %" G_GUINT64_FORMAT " exceeds the limit of %u bytes",
                   path, header_len, TG_CKPT_MAX_HEADER);
      fclose (f);
      return NULL;
    }
  if (header_len < 2)
    {
      g_set_error (error, TG_ERROR, TG_ERROR_FORMAT,
                   "%s: header of %" G_GUINT64_FORMAT " bytes cannot hold a JSON object",
                   path, header_len);
      fclose (f);
      return NULL;
    }
  g_autofree char *header = g_malloc (header_len);
  if (fread (header, 1, header_len, f) != header_len)
    {
      g_set_error (error, TG_ERROR, TG_ERROR_IO, "%s: could not read the header", path);
      fclose (f);
      return NULL;
    }

  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) jerr = NULL;
  if (!json_parser_load_from_data (parser, header, (gssize) header_len, &jerr))
    {
      g_set_error (error, TG_ERROR, TG_ERROR_FORMAT, "%s: header is not valid JSON: %s",
                   path, jerr->message);
      fclose (f);
      return NULL;
    }
  JsonNode *root = json_parser_get_root (parser);
  if (root == NULL || JSON_NODE_TYPE (root) != JSON_NODE_OBJECT)
    {
      g_set_error (error, TG_ERROR, TG_ERROR_FORMAT, "%s: header is not a JSON object", path);
      fclose (f);
      return NULL;
    }

  g_autoptr(FileContents) fc = g_new0 (FileContents, 1);
  fc->metadata = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  fc->tensors = g_ptr_array_new_with_free_func (file_tensor_free);
  fc->by_name = g_hash_table_new (g_str_hash, g_str_equal);
  fc->data_size = size - 8 - header_len;

  JsonObject *ro = json_node_get_object (root);
  g_autoptr(GList) members = json_object_get_members (ro);
  for (GList *l = members; l != NULL; l = l->next)
    {
      const char *name = l->data;
      JsonNode *node = json_object_get_member (ro, name);
      if (strcmp (name, "__metadata__") == 0)
        {
          if (JSON_NODE_TYPE (node) != JSON_NODE_OBJECT)
            {
              g_set_error (error, TG_ERROR, TG_ERROR_FORMAT,
                           "%s: __metadata__ is not an object", path);
              fclose (f);
              return NULL;
            }
          JsonObject *mo = json_node_get_object (node);
          g_autoptr(GList) keys = json_object_get_members (mo);
          for (GList *k = keys; k != NULL; k = k->next)
            {
              JsonNode *v = json_object_get_member (mo, k->data);
              if (JSON_NODE_TYPE (v) != JSON_NODE_VALUE
                  || json_node_get_value_type (v) != G_TYPE_STRING)
                {
                  g_set_error (error, TG_ERROR, TG_ERROR_FORMAT,
                               "%s: metadata %s is not a string", path, (char *) k->data);
                  fclose (f);
                  return NULL;
                }
              g_hash_table_insert (fc->metadata, g_strdup (k->data),
                                   g_strdup (json_node_get_string (v)));
            }
          continue;
        }
      FileTensor *t = g_new0 (FileTensor, 1);
      t->name = g_strdup (name);
      g_ptr_array_add (fc->tensors, t);
      if (!parse_tensor (path, name, node, t, error))
        {
          fclose (f);
          return NULL;
        }
      if (t->end > fc->data_size)
        {
          g_set_error (error, TG_ERROR, TG_ERROR_FORMAT,
                       "%s: tensor %s ends at byte %" G_GUINT64_FORMAT " of the data, which has "
                       "only %" G_GUINT64_FORMAT " (truncated file?)",
                       path, name, t->end, fc->data_size);
          fclose (f);
          return NULL;
        }
      g_hash_table_insert (fc->by_name, t->name, t);
    }

  /* No two tensors may share bytes (empty ones take none). */
  g_autoptr(GPtrArray) sorted = g_ptr_array_copy (fc->tensors, NULL, NULL);
  g_ptr_array_set_free_func (sorted, NULL); /* the copy borrows; fc->tensors owns */
  g_ptr_array_sort (sorted, file_tensor_cmp);
  guint64 max_end = 0;
  const FileTensor *prev = NULL;
  for (guint i = 0; i < sorted->len; i++)
    {
      const FileTensor *t = g_ptr_array_index (sorted, i);
      if (t->begin == t->end)
        continue;
      if (prev != NULL && t->begin < prev->end)
        {
          g_set_error (error, TG_ERROR, TG_ERROR_FORMAT,
                       "%s: tensors %s and %s overlap in the data", path, prev->name, t->name);
          fclose (f);
          return NULL;
        }
      prev = t;
      max_end = MAX (max_end, t->end);
    }

  fc->data = g_try_malloc (MAX (max_end, 1));
  if (fc->data == NULL)
    {
      g_set_error (error, TG_ERROR, TG_ERROR_IO,
                   "%s: out of memory for %" G_GUINT64_FORMAT " bytes", path, max_end);
      fclose (f);
      return NULL;
    }
  if (max_end > 0 && fread (fc->data, 1, max_end, f) != max_end)
    {
      g_set_error (error, TG_ERROR, TG_ERROR_IO, "%s: could not read the tensor data", path);
      fclose (f);
      return NULL;
    }
  fclose (f);
  return g_steal_pointer (&fc);
}

/* NaN and infinities are refused: a checkpoint holding one would poison every forward. */
static gboolean
tensor_values_finite (const FileContents *fc, const FileTensor *t, const char *path,
                      GError **error)
{
  const guint8 *p = fc->data + t->begin;
  for (guint64 i = 0; i < (t->end - t->begin) / 4; i++)
    {
      guint32 bits;
      memcpy (&bits, p + 4 * i, 4);
      bits = GUINT32_FROM_LE (bits);
      if ((bits & 0x7f800000u) == 0x7f800000u)
        {
          g_set_error (error, TG_ERROR, TG_ERROR_FORMAT,
                       "%s: tensor %s holds a value that is not finite", path, t->name);
          return FALSE;
        }
    }
  return TRUE;
}

static void
tensor_copy (const FileContents *fc, const FileTensor *t, float *dst)
{
  const guint8 *p = fc->data + t->begin;
  for (guint64 i = 0; i < (t->end - t->begin) / 4; i++)
    {
      guint32 bits;
      memcpy (&bits, p + 4 * i, 4);
      bits = GUINT32_FROM_LE (bits);
      memcpy (&dst[i], &bits, 4);
    }
}

static GHashTable *
metadata_dup (GHashTable *src)
{
  GHashTable *out = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  GHashTableIter it;
  gpointer k, v;
  g_hash_table_iter_init (&it, src);
  while (g_hash_table_iter_next (&it, &k, &v))
    g_hash_table_insert (out, g_strdup (k), g_strdup (v));
  return out;
}

static gboolean
shape_matches (const FileTensor *t, const ModelTensor *m)
{
  if (t->ndim != m->ndim)
    return FALSE;
  for (guint d = 0; d < m->ndim; d++)
    if (t->shape[d] != (guint64) m->shape[d])
      return FALSE;
  return TRUE;
}

static char *
model_shape_string (const ModelTensor *m)
{
  guint64 s[2] = { m->shape[0], m->shape[1] };
  return shape_string (m->ndim, s);
}

/* "layers.<l>.<kind>" with a canonical decimal l; FALSE for anything else. */
static gboolean
parse_layer_name (const char *name, guint *layer, const char **kind)
{
  if (!g_str_has_prefix (name, "layers."))
    return FALSE;
  const char *p = name + 7;
  if (!g_ascii_isdigit (*p) || (p[0] == '0' && g_ascii_isdigit (p[1])))
    return FALSE;
  guint64 l = 0;
  while (g_ascii_isdigit (*p))
    {
      l = l * 10 + (guint64) (*p - '0');
      if (l > 1000)
        return FALSE;
      p++;
    }
  if (*p != '.')
    return FALSE;
  *layer = (guint) l;
  *kind = p + 1;
  return TRUE;
}

TgModel *
tg_checkpoint_load_foundation (const char *path, guint32 lora_rank, float lora_alpha,
                               GHashTable **metadata_out, GError **error)
{
  g_return_val_if_fail (path != NULL, NULL);
  g_autoptr(FileContents) fc = read_file (path, error);
  if (fc == NULL)
    return NULL;

  /* Layers are layers.0 ... layers.L-1; nothing else belongs in a foundation. */
  const FileTensor *w[TG_MAX_LINEAR] = { 0 }, *b[TG_MAX_LINEAR] = { 0 };
  guint n_linear = 0;
  for (guint i = 0; i < fc->tensors->len; i++)
    {
      const FileTensor *t = g_ptr_array_index (fc->tensors, i);
      guint l;
      const char *kind;
      gboolean is_w = FALSE, is_b = FALSE;
      if (parse_layer_name (t->name, &l, &kind))
        {
          is_w = strcmp (kind, "weight") == 0;
          is_b = strcmp (kind, "bias") == 0;
        }
      if (!is_w && !is_b)
        {
          g_set_error (error, TG_ERROR, TG_ERROR_MISMATCH,
                       "%s: tensor %s does not belong in a foundation (only "
                       "layers.<l>.weight and layers.<l>.bias)", path, t->name);
          return NULL;
        }
      if (l >= TG_MAX_LINEAR)
        {
          g_set_error (error, TG_ERROR, TG_ERROR_MISMATCH,
                       "%s: tensor %s is beyond the %d layers supported",
                       path, t->name, TG_MAX_LINEAR);
          return NULL;
        }
      if (is_w)
        w[l] = t;
      else
        b[l] = t;
      n_linear = MAX (n_linear, l + 1);
    }
  if (n_linear == 0)
    {
      g_set_error (error, TG_ERROR, TG_ERROR_MISMATCH,
                   "%s: holds no layers (no tensor layers.0.weight)", path);
      return NULL;
    }

  guint32 dims[TG_MAX_LINEAR + 1];
  for (guint l = 0; l < n_linear; l++)
    {
      if (w[l] == NULL || b[l] == NULL)
        {
          g_set_error (error, TG_ERROR, TG_ERROR_MISMATCH,
                       "%s: tensor layers.%u.%s is missing", path, l,
                       w[l] == NULL ? "weight" : "bias");
          return NULL;
        }
      if (w[l]->ndim != 2 || w[l]->shape[0] == 0 || w[l]->shape[1] == 0
          || w[l]->shape[0] > TG_CKPT_MAX_DIM || w[l]->shape[1] > TG_CKPT_MAX_DIM)
        {
          g_autofree char *s = shape_string (w[l]->ndim, w[l]->shape);
          g_set_error (error, TG_ERROR, TG_ERROR_MISMATCH,
                       "%s: tensor layers.%u.weight has shape %s, a layer needs (out, in) "
                       "with both between 1 and %u", path, l, s, TG_CKPT_MAX_DIM);
          return NULL;
        }
      if (l == 0)
        dims[0] = (guint32) w[0]->shape[1];
      else if (w[l]->shape[1] != dims[l])
        {
          g_set_error (error, TG_ERROR, TG_ERROR_MISMATCH,
                       "%s: tensor layers.%u.weight has shape [%" G_GUINT64_FORMAT ", %"
                       G_GUINT64_FORMAT "], its input must be the %u outputs of layer %u",
                       path, l, w[l]->shape[0], w[l]->shape[1], dims[l], l - 1);
          return NULL;
        }
      dims[l + 1] = (guint32) w[l]->shape[0];
      if (b[l]->ndim != 1 || b[l]->shape[0] != dims[l + 1])
        {
          g_autofree char *s = shape_string (b[l]->ndim, b[l]->shape);
          g_set_error (error, TG_ERROR, TG_ERROR_MISMATCH,
                       "%s: tensor layers.%u.bias has shape %s, the layer needs [%u]",
                       path, l, s, dims[l + 1]);
          return NULL;
        }
      if (!tensor_values_finite (fc, w[l], path, error)
          || !tensor_values_finite (fc, b[l], path, error))
        return NULL;
    }

  g_autoptr(GError) merr = NULL;
  g_autoptr(TgModel) model = tg_model_new (dims[0], n_linear - 1, dims + 1, dims[n_linear],
                                           lora_rank, lora_alpha, &merr);
  if (model == NULL)
    {
      g_set_error (error, TG_ERROR, merr->domain == TG_ERROR ? merr->code : TG_ERROR_MISMATCH,
                   "%s: %s", path, merr->message);
      return NULL;
    }
  /* The adapter part is the identity (tau 0, gamma 1, LoRA B 0) whatever A is; a fixed
   * seed keeps a loaded foundation deterministic. */
  uint64_t rng = tg_rng_seed (0);
  tg_model_reset_adapter (model, &rng);
  for (guint l = 0; l < n_linear; l++)
    {
      tensor_copy (fc, w[l], model->params + model->w[l]);
      tensor_copy (fc, b[l], model->params + model->b[l]);
    }
  if (metadata_out != NULL)
    *metadata_out = metadata_dup (fc->metadata);
  return g_steal_pointer (&model);
}

static gboolean
load_adapter (TgModel *model, const char *path, gboolean check_foundation,
              GHashTable **metadata_out, GError **error)
{
  g_return_val_if_fail (model != NULL && path != NULL, FALSE);
  g_autoptr(FileContents) fc = read_file (path, error);
  if (fc == NULL)
    return FALSE;

  const char *kind = g_hash_table_lookup (fc->metadata, "kind");
  if (kind != NULL && strcmp (kind, "adapter") != 0)
    {
      g_set_error (error, TG_ERROR, TG_ERROR_MISMATCH,
                   "%s: is a %s checkpoint, not an adapter", path, kind);
      return FALSE;
    }
  const char *id = g_hash_table_lookup (fc->metadata, "method");
  TgMethod method;
  if (id == NULL)
    {
      g_set_error (error, TG_ERROR, TG_ERROR_FORMAT,
                   "%s: __metadata__ names no method, so it is not an adapter", path);
      return FALSE;
    }
  if (!tg_method_from_string (id, &method))
    {
      g_set_error (error, TG_ERROR, TG_ERROR_FORMAT, "%s: unknown method \"%s\"", path, id);
      return FALSE;
    }
  if (method == TG_METHOD_LORA && model->lora_rank == 0)
    {
      g_set_error (error, TG_ERROR, TG_ERROR_MISMATCH,
                   "%s: holds a LoRA adapter, the model has no LoRA block (rank 0)", path);
      return FALSE;
    }
  if (check_foundation && !tg_foundation_digest_check (model, fc->metadata, path, error))
    return FALSE;

  ModelTensor want[TG_CKPT_MAX_TENSORS];
  guint nw = 0;
  if (!method_tensors (model, method, want, &nw, error))
    {
      g_prefix_error (error, "%s: ", path);
      return FALSE;
    }

  /* Validate everything, then copy: a refused file leaves the model as it was. */
  const FileTensor *found[TG_CKPT_MAX_TENSORS];
  for (guint i = 0; i < nw; i++)
    {
      found[i] = g_hash_table_lookup (fc->by_name, want[i].name);
      if (found[i] == NULL)
        {
          g_set_error (error, TG_ERROR, TG_ERROR_MISMATCH,
                       "%s: tensor %s is missing, a %s adapter needs it",
                       path, want[i].name, tg_method_info (method)->label);
          return FALSE;
        }
      if (!shape_matches (found[i], &want[i]))
        {
          g_autofree char *has = shape_string (found[i]->ndim, found[i]->shape);
          g_autofree char *needs = model_shape_string (&want[i]);
          g_set_error (error, TG_ERROR, TG_ERROR_MISMATCH,
                       "%s: tensor %s has shape %s, the model needs %s",
                       path, want[i].name, has, needs);
          return FALSE;
        }
      if (!tensor_values_finite (fc, found[i], path, error))
        return FALSE;
    }
  for (guint i = 0; i < fc->tensors->len; i++)
    {
      const FileTensor *t = g_ptr_array_index (fc->tensors, i);
      gboolean wanted = FALSE;
      for (guint j = 0; j < nw && !wanted; j++)
        wanted = strcmp (t->name, want[j].name) == 0;
      if (!wanted)
        {
          g_set_error (error, TG_ERROR, TG_ERROR_MISMATCH,
                       "%s: tensor %s is not part of a %s adapter", path, t->name,
                       tg_method_info (method)->label);
          return FALSE;
        }
    }

  for (guint i = 0; i < nw; i++)
    tensor_copy (fc, found[i], model->params + want[i].offset);
  model->method = method;
  if (metadata_out != NULL)
    *metadata_out = metadata_dup (fc->metadata);
  return TRUE;
}

gboolean
tg_checkpoint_load_adapter (TgModel *model, const char *path, GHashTable **metadata_out,
                            GError **error)
{
  return load_adapter (model, path, TRUE, metadata_out, error);
}

gboolean
tg_checkpoint_load_adapter_unchecked (TgModel *model, const char *path,
                                      GHashTable **metadata_out, GError **error)
{
  return load_adapter (model, path, FALSE, metadata_out, error);
}

gboolean
tg_checkpoint_inspect (const char *path, GHashTable **metadata_out, GPtrArray **tensors_out,
                       GError **error)
{
  g_return_val_if_fail (path != NULL, FALSE);
  g_autoptr(FileContents) fc = read_file (path, error);
  if (fc == NULL)
    return FALSE;
  if (tensors_out != NULL)
    {
      GPtrArray *lines = g_ptr_array_new_with_free_func (g_free);
      for (guint i = 0; i < fc->tensors->len; i++)
        {
          const FileTensor *t = g_ptr_array_index (fc->tensors, i);
          g_autofree char *s = shape_string (t->ndim, t->shape);
          g_ptr_array_add (lines, g_strdup_printf ("%s F32 %s", t->name, s));
        }
      *tensors_out = lines;
    }
  if (metadata_out != NULL)
    *metadata_out = metadata_dup (fc->metadata);
  return TRUE;
}
