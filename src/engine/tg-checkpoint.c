/* SPDX-License-Identifier: MIT */
/* tg-checkpoint.c — foundations and adapters as safetensors files.
 *
 * The file format and its validation are tg-safetensors.c: a file that reaches this code
 * is well-formed F32 data. Here the tensors are mapped to a model: names, shapes and the
 * architecture they imply, and an adapter is checked completely before the model is touched.
 * Which tensors an adapter holds is not a second list here: it is read off
 * tg_model_trainable_ranges(), each range mapped back to the tensors it covers.
 *
 * Not here: any notion of what the numbers mean (that is tg-model.c), and no partial loads. */
#include "tg-checkpoint.h"
#include "tg-safetensors.h"
#include "tg-digest.h"

#include <string.h>

#define TG_CKPT_MAX_TENSORS  (6 * TG_MAX_LINEAR)  /* weight, bias, tau, gamma, lora_A, lora_B */
#define TG_CKPT_MAX_DIM      (1u << 24)           /* no layer of ours is wider */

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

static char *
dims_string (const TgModel *m)
{
  GString *s = g_string_new (NULL);
  for (guint l = 0; l <= m->n_linear; l++)
    g_string_append_printf (s, l ? ",%u" : "%u", m->dims[l]);
  return g_string_free (s, FALSE);
}

static gboolean
write_file (const TgModel *m, const ModelTensor *tensors, guint n, GHashTable *caller_meta,
            const char *kind, const char *method_id, const char *path, GError **error)
{
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

  TgSafetensorsOut out[TG_CKPT_MAX_TENSORS];
  for (guint t = 0; t < n; t++)
    {
      out[t] = (TgSafetensorsOut) { .name = tensors[t].name, .ndim = tensors[t].ndim,
                                    .values = m->params + tensors[t].offset };
      for (guint d = 0; d < tensors[t].ndim; d++)
        out[t].shape[d] = tensors[t].shape[d];
    }
  return tg_safetensors_write (path, meta, out, n, error);
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

typedef TgSafetensorsTensor FileTensor;

static char *
shape_string (guint ndim, const guint64 *shape)
{
  return tg_safetensors_shape_string (ndim, shape);
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

/* Sorts a foundation's tensors into w[l] and b[l]; layers are layers.0 ... layers.L-1 and
 * nothing else belongs in a foundation. */
static gboolean
foundation_tensors (const TgSafetensors *fc, const char *path, const FileTensor **w,
                    const FileTensor **b, guint *n_linear, GError **error)
{
  *n_linear = 0;
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
          return FALSE;
        }
      if (l >= TG_MAX_LINEAR)
        {
          g_set_error (error, TG_ERROR, TG_ERROR_MISMATCH,
                       "%s: tensor %s is beyond the %d layers supported",
                       path, t->name, TG_MAX_LINEAR);
          return FALSE;
        }
      if (is_w)
        w[l] = t;
      else
        b[l] = t;
      *n_linear = MAX (*n_linear, l + 1);
    }
  if (*n_linear == 0)
    {
      g_set_error (error, TG_ERROR, TG_ERROR_MISMATCH,
                   "%s: holds no layers (no tensor layers.0.weight)", path);
      return FALSE;
    }
  return TRUE;
}

/* The architecture from the shapes: every layer present, each taking the previous one's
 * outputs, with a bias of its width. */
static gboolean
foundation_dims (const char *path, const FileTensor *const *w, const FileTensor *const *b,
                 guint n_linear, guint32 *dims, GError **error)
{
  for (guint l = 0; l < n_linear; l++)
    {
      if (w[l] == NULL || b[l] == NULL)
        {
          g_set_error (error, TG_ERROR, TG_ERROR_MISMATCH,
                       "%s: tensor layers.%u.%s is missing", path, l,
                       w[l] == NULL ? "weight" : "bias");
          return FALSE;
        }
      if (w[l]->ndim != 2 || w[l]->shape[0] == 0 || w[l]->shape[1] == 0
          || w[l]->shape[0] > TG_CKPT_MAX_DIM || w[l]->shape[1] > TG_CKPT_MAX_DIM)
        {
          g_autofree char *s = shape_string (w[l]->ndim, w[l]->shape);
          g_set_error (error, TG_ERROR, TG_ERROR_MISMATCH,
                       "%s: tensor layers.%u.weight has shape %s, a layer needs (out, in) "
                       "with both between 1 and %u", path, l, s, TG_CKPT_MAX_DIM);
          return FALSE;
        }
      if (l == 0)
        dims[0] = (guint32) w[0]->shape[1];
      else if (w[l]->shape[1] != dims[l])
        {
          g_set_error (error, TG_ERROR, TG_ERROR_MISMATCH,
                       "%s: tensor layers.%u.weight has shape [%" G_GUINT64_FORMAT ", %"
                       G_GUINT64_FORMAT "], its input must be the %u outputs of layer %u",
                       path, l, w[l]->shape[0], w[l]->shape[1], dims[l], l - 1);
          return FALSE;
        }
      dims[l + 1] = (guint32) w[l]->shape[0];
      if (b[l]->ndim != 1 || b[l]->shape[0] != dims[l + 1])
        {
          g_autofree char *s = shape_string (b[l]->ndim, b[l]->shape);
          g_set_error (error, TG_ERROR, TG_ERROR_MISMATCH,
                       "%s: tensor layers.%u.bias has shape %s, the layer needs [%u]",
                       path, l, s, dims[l + 1]);
          return FALSE;
        }
    }
  return TRUE;
}

TgModel *
tg_checkpoint_load_foundation (const char *path, guint32 lora_rank, float lora_alpha,
                               GHashTable **metadata_out, GError **error)
{
  g_return_val_if_fail (path != NULL, NULL);
  g_autoptr(TgSafetensors) fc = tg_safetensors_read (path, TG_CKPT_MAX_TENSORS, error);
  if (fc == NULL)
    return NULL;

  const FileTensor *w[TG_MAX_LINEAR] = { 0 }, *b[TG_MAX_LINEAR] = { 0 };
  guint n_linear = 0;
  guint32 dims[TG_MAX_LINEAR + 1];
  if (!foundation_tensors (fc, path, w, b, &n_linear, error)
      || !foundation_dims (path, w, b, n_linear, dims, error))
    return NULL;

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
      tg_safetensors_copy_f32 (fc, w[l], model->params + model->w[l]);
      tg_safetensors_copy_f32 (fc, b[l], model->params + model->b[l]);
    }
  if (metadata_out != NULL)
    *metadata_out = tg_safetensors_dup_metadata (fc);
  return g_steal_pointer (&model);
}

/* The method an adapter file says it holds, and that the model can take it. */
static gboolean
adapter_method (const TgSafetensors *fc, const TgModel *model, const char *path,
                TgMethod *method, GError **error)
{
  const char *kind = g_hash_table_lookup (fc->metadata, "kind");
  if (kind != NULL && strcmp (kind, "adapter") != 0)
    {
      g_autofree char *shown = tg_excerpt (kind, -1);
      g_set_error (error, TG_ERROR, TG_ERROR_MISMATCH,
                   "%s: is a %s checkpoint, not an adapter", path, shown);
      return FALSE;
    }
  const char *id = g_hash_table_lookup (fc->metadata, "method");
  if (id == NULL)
    {
      g_set_error (error, TG_ERROR, TG_ERROR_FORMAT,
                   "%s: __metadata__ names no method, so it is not an adapter", path);
      return FALSE;
    }
  if (!tg_method_from_string (id, method))
    {
      g_autofree char *shown = tg_excerpt (id, -1);
      g_set_error (error, TG_ERROR, TG_ERROR_FORMAT, "%s: unknown method \"%s\"", path, shown);
      return FALSE;
    }
  if (*method == TG_METHOD_LORA && model->lora_rank == 0)
    {
      g_set_error (error, TG_ERROR, TG_ERROR_MISMATCH,
                   "%s: holds a LoRA adapter, the model has no LoRA block (rank 0)", path);
      return FALSE;
    }
  return TRUE;
}

/* Finds every tensor the method needs, of the model's shape, and refuses any other. */
static gboolean
adapter_match (const TgSafetensors *fc, const ModelTensor *want, guint nw, TgMethod method,
               const char *path, const FileTensor **found, GError **error)
{
  for (guint i = 0; i < nw; i++)
    {
      found[i] = tg_safetensors_lookup (fc, want[i].name);
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
    }
  for (guint i = 0; i < fc->tensors->len; i++)
    {
      const FileTensor *t = g_ptr_array_index (fc->tensors, i);
      gboolean wanted = FALSE;
      for (guint j = 0; j < nw && !wanted; j++)
        wanted = strcmp (t->name, want[j].name) == 0;
      if (!wanted)
        {
          g_autofree char *shown = tg_excerpt (t->name, -1);
          g_set_error (error, TG_ERROR, TG_ERROR_MISMATCH,
                       "%s: tensor %s is not part of a %s adapter", path, shown,
                       tg_method_info (method)->label);
          return FALSE;
        }
    }
  return TRUE;
}

static gboolean
load_adapter (TgModel *model, const char *path, gboolean check_foundation,
              GHashTable **metadata_out, GError **error)
{
  g_return_val_if_fail (model != NULL && path != NULL, FALSE);
  g_autoptr(TgSafetensors) fc = tg_safetensors_read (path, TG_CKPT_MAX_TENSORS, error);
  if (fc == NULL)
    return FALSE;

  TgMethod method;
  if (!adapter_method (fc, model, path, &method, error))
    return FALSE;
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
  if (!adapter_match (fc, want, nw, method, path, found, error))
    return FALSE;
  for (guint i = 0; i < nw; i++)
    tg_safetensors_copy_f32 (fc, found[i], model->params + want[i].offset);
  model->method = method;
  if (metadata_out != NULL)
    *metadata_out = tg_safetensors_dup_metadata (fc);
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
  g_autoptr(TgSafetensors) fc = tg_safetensors_read (path, TG_CKPT_MAX_TENSORS, error);
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
    *metadata_out = tg_safetensors_dup_metadata (fc);
  return TRUE;
}
