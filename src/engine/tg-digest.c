/* SPDX-License-Identifier: MIT */
/* tg-digest.c — the SHA-256 of a foundation's tensors, and the check an adapter load makes.
 * The byte stream hashed is spelled out in tg-digest.h. */
#include "tg-digest.h"

#include <string.h>

G_DEFINE_QUARK (tg-foundation-error-quark, tg_foundation_error)

typedef struct {
  char    name[32];
  size_t  offset;   /* floats into params */
  guint   ndim;
  guint64 shape[2];
  size_t  count;
} DigestTensor;

static int
digest_tensor_cmp (const void *a, const void *b)
{
  return strcmp (((const DigestTensor *) a)->name, ((const DigestTensor *) b)->name);
}

static void
update_le32 (GChecksum *sum, guint32 v)
{
  guint8 b[4];
  for (int i = 0; i < 4; i++)
    b[i] = (guint8) (v >> (8 * i));
  g_checksum_update (sum, b, 4);
}

static void
update_le64 (GChecksum *sum, guint64 v)
{
  guint8 b[8];
  for (int i = 0; i < 8; i++)
    b[i] = (guint8) (v >> (8 * i));
  g_checksum_update (sum, b, 8);
}

char *
tg_foundation_digest (const TgModel *model)
{
  g_return_val_if_fail (model != NULL, NULL);
  DigestTensor t[2 * TG_MAX_LINEAR];
  guint n = 0;
  for (guint l = 0; l < model->n_linear; l++)
    {
      DigestTensor *w = &t[n++], *b = &t[n++];
      g_snprintf (w->name, sizeof w->name, "layers.%u.weight", l);
      w->offset = model->w[l];
      w->ndim = 2;
      w->shape[0] = model->dims[l + 1];
      w->shape[1] = model->dims[l];
      w->count = (size_t) model->dims[l + 1] * model->dims[l];
      g_snprintf (b->name, sizeof b->name, "layers.%u.bias", l);
      b->offset = model->b[l];
      b->ndim = 1;
      b->shape[0] = model->dims[l + 1];
      b->count = model->dims[l + 1];
    }
  qsort (t, n, sizeof t[0], digest_tensor_cmp);

  g_autoptr(GChecksum) sum = g_checksum_new (G_CHECKSUM_SHA256);
  guint8 buf[4096];
  for (guint i = 0; i < n; i++)
    {
      g_checksum_update (sum, (const guchar *) t[i].name, (gssize) strlen (t[i].name) + 1);
      update_le32 (sum, t[i].ndim);
      for (guint d = 0; d < t[i].ndim; d++)
        update_le64 (sum, t[i].shape[d]);
      const float *src = model->params + t[i].offset;
      size_t fill = 0;
      for (size_t k = 0; k < t[i].count; k++)
        {
          guint32 bits;
          memcpy (&bits, &src[k], 4);
          for (int j = 0; j < 4; j++)
            buf[fill++] = (guint8) (bits >> (8 * j));
          if (fill == sizeof buf)
            {
              g_checksum_update (sum, buf, (gssize) fill);
              fill = 0;
            }
        }
      g_checksum_update (sum, buf, (gssize) fill);
    }
  return g_strdup (g_checksum_get_string (sum));
}

void
tg_foundation_digest_insert (GHashTable *metadata, const TgModel *foundation)
{
  g_return_if_fail (metadata != NULL && foundation != NULL);
  g_hash_table_insert (metadata, g_strdup (TG_FOUNDATION_DIGEST_KEY),
                       tg_foundation_digest (foundation));
}

gboolean
tg_foundation_digest_check (const TgModel *model, GHashTable *metadata, const char *path,
                            GError **error)
{
  const char *want = metadata ? g_hash_table_lookup (metadata, TG_FOUNDATION_DIGEST_KEY) : NULL;
  if (want == NULL)
    return TRUE;
  g_autofree char *have = tg_foundation_digest (model);
  if (g_ascii_strcasecmp (want, have) == 0)
    return TRUE;
  g_set_error (error, TG_FOUNDATION_ERROR, TG_FOUNDATION_ERROR_MISMATCH,
               "%s: this adapter was trained on another foundation (its %s is %.12s..., the "
               "foundation it is being loaded on has %.12s...)",
               path, TG_FOUNDATION_DIGEST_KEY, want, have);
  return FALSE;
}

static gboolean
same_floats (const TgModel *a, size_t oa, const TgModel *b, size_t ob, size_t n)
{
  return memcmp (a->params + oa, b->params + ob, n * sizeof (float)) == 0;
}

gboolean
tg_model_same (const TgModel *a, const TgModel *b)
{
  if (a->method != b->method || a->n_linear != b->n_linear ||
      memcmp (a->dims, b->dims, sizeof a->dims) != 0)
    return FALSE;
  for (guint32 l = 0; l < a->n_linear; l++)
    {
      size_t in = a->dims[l], out = a->dims[l + 1];
      if (!same_floats (a, a->w[l], b, b->w[l], in * out) ||
          !same_floats (a, a->b[l], b, b->b[l], out))
        return FALSE;
      if (l + 1 < a->n_linear &&
          (!same_floats (a, a->tau[l], b, b->tau[l], out) ||
           !same_floats (a, a->gamma[l], b, b->gamma[l], out)))
        return FALSE;
      if (a->method == TG_METHOD_LORA &&
          (a->lora_rank != b->lora_rank || a->lora_alpha != b->lora_alpha ||
           !same_floats (a, a->lora_a[l], b, b->lora_a[l], (size_t) a->lora_rank * in) ||
           !same_floats (a, a->lora_b[l], b, b->lora_b[l], (size_t) a->lora_rank * out)))
        return FALSE;
    }
  return TRUE;
}
