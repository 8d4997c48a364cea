/* SPDX-License-Identifier: MIT */
/* tg-modes.c — a foundation, its attached adapters as modes, and the angle sweep.
 *
 * Each mode keeps a whole model (for 784-128-128-10 about 0.1 M floats, LoRA a little more):
 * the memory is small and switching is free. A LoRA adapter gets the rank its file names. */
#include "tg-modes.h"
#include "tg-multimode.h"

#include "tg-checkpoint.h"
#include "tg-csv.h"
#include "tg-digest.h"
#include "tg-metrics.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define TG_MODES_DEFAULT_SHARPNESS 5.0
#define TG_MODES_MAX_ANGLES        721

static void
mode_free (gpointer p)
{
  TgMode *m = p;
  g_free (m->name);
  g_free (m->path);
  g_clear_pointer (&m->metadata, g_hash_table_unref);
  g_clear_pointer (&m->model, tg_model_free);
  g_free (m);
}

static TgMode *
mode_new_base (const TgModel *foundation)
{
  TgMode *m = g_new0 (TgMode, 1);
  m->name = g_strdup ("Base");
  m->method = TG_METHOD_FROZEN;
  m->target_angle = NAN;
  m->sharpness = TG_MODES_DEFAULT_SHARPNESS;
  m->model = tg_model_copy (foundation);
  m->model->method = TG_METHOD_FROZEN;
  return m;
}

TgModes *
tg_modes_new (const TgModel *foundation)
{
  g_return_val_if_fail (foundation != NULL, NULL);
  TgModes *modes = g_new0 (TgModes, 1);
  modes->foundation = tg_model_copy (foundation);
  modes->foundation->method = TG_METHOD_FROZEN;
  modes->digest = tg_foundation_digest (foundation);
  modes->modes = g_ptr_array_new_with_free_func (mode_free);
  g_ptr_array_add (modes->modes, mode_new_base (modes->foundation));
  return modes;
}

TgModes *
tg_modes_new_from_file (const char *foundation_path, GError **error)
{
  g_return_val_if_fail (foundation_path != NULL, NULL);
  g_autoptr(GHashTable) md = NULL;
  if (!tg_checkpoint_inspect (foundation_path, &md, NULL, error))
    return NULL;
  const char *kind = g_hash_table_lookup (md, "kind");
  if (kind != NULL && strcmp (kind, "foundation") != 0)
    {
      g_set_error (error, TG_ERROR, TG_ERROR_MISMATCH,
                   "%s: is a%s %s checkpoint, not a foundation (give the foundation first, "
                   "then its adapters)", foundation_path,
                   strchr ("aeiou", kind[0]) ? "n" : "", kind);
      return NULL;
    }
  g_autoptr(TgModel) f = tg_checkpoint_load_foundation (foundation_path, 0, 0.0f, NULL, error);
  if (f == NULL)
    return NULL;
  TgModes *modes = tg_modes_new (f);
  modes->foundation_path = g_strdup (foundation_path);
  return modes;
}

void
tg_modes_free (TgModes *modes)
{
  if (modes == NULL)
    return;
  g_free (modes->foundation_path);
  g_free (modes->digest);
  g_clear_pointer (&modes->foundation, tg_model_free);
  g_clear_pointer (&modes->modes, g_ptr_array_unref);
  g_free (modes);
}

/* --- attaching ------------------------------------------------------------------------- */

/* The foundation's weights in a model with a LoRA block of the given rank. */
static TgModel *
foundation_with_rank (const TgModel *f, guint32 rank, float alpha, GError **error)
{
  if (rank == f->lora_rank)
    return tg_model_copy (f);
  g_autoptr(TgModel) m = tg_model_new (f->dims[0], f->n_linear - 1, f->dims + 1,
                                       f->dims[f->n_linear], rank, alpha, error);
  if (m == NULL)
    return NULL;
  uint64_t rng = tg_rng_seed (0);
  tg_model_reset_adapter (m, &rng);
  for (guint l = 0; l < f->n_linear; l++)
    {
      memcpy (m->params + m->w[l], f->params + f->w[l],
              sizeof (float) * f->dims[l] * f->dims[l + 1]);
      memcpy (m->params + m->b[l], f->params + f->b[l], sizeof (float) * f->dims[l + 1]);
    }
  return g_steal_pointer (&m);
}

static gboolean
parse_number (GHashTable *md, const char *key, double *out)
{
  const char *s = md ? g_hash_table_lookup (md, key) : NULL;
  if (s == NULL || *s == '\0')
    return FALSE;
  char *end = NULL;
  double v = g_ascii_strtod (s, &end);
  if (end == NULL || *end != '\0' || !isfinite (v))
    return FALSE;
  *out = v;
  return TRUE;
}

/* The LoRA rank of an adapter file: its first lora_A tensor's rows ("... F32 [8, 784]"). */
static guint32
lora_rank_of (GPtrArray *tensors)
{
  for (guint i = 0; i < tensors->len; i++)
    {
      const char *line = g_ptr_array_index (tensors, i);
      const char *p = strstr (line, ".lora_A F32 [");
      if (p != NULL)
        return (guint32) strtoul (p + strlen (".lora_A F32 ["), NULL, 10);
    }
  return 0;
}

static char *
mode_name (TgMethod method, double angle, const char *path)
{
  if (isnan (angle))
    {
      g_autofree char *base = g_path_get_basename (path);
      char *dot = strrchr (base, '.');
      if (dot != NULL && dot != base)
        *dot = '\0';
      return g_strdup_printf ("%s (%s)", tg_method_info (method)->label, base);
    }
  g_autofree char *degrees = tg_number_dup ("%g", angle);
  return g_strdup_printf ("%s %s°", tg_method_info (method)->label, degrees);
}

/* name cut to at most TG_MODES_MAX_NAME bytes, at a character boundary: a session holds names
 * of at most 256 bytes, and make_name_unique may add " (N)". */
static char *
bounded_name (const char *name)
{
  const char *end = name;
  while (*end != '\0' && (gsize) (g_utf8_next_char (end) - name) <= TG_MODES_MAX_NAME)
    end = g_utf8_next_char (end);
  return g_strndup (name, (gsize) (end - name));
}

/* Two modes of one name would be indistinguishable in a legend: the later one is numbered. */
static void
make_name_unique (TgModes *modes, TgMode *mode)
{
  for (guint k = 2;; k++)
    {
      gboolean clash = FALSE;
      for (guint i = 0; i < modes->modes->len && !clash; i++)
        clash = strcmp (tg_modes_get (modes, i)->name, mode->name) == 0;
      if (!clash)
        return;
      g_autofree char *stem = g_strdup (mode->name);
      char *open = k > 2 ? strrchr (stem, '(') : NULL;
      if (open != NULL && open > stem)
        open[-1] = '\0';
      g_free (mode->name);
      mode->name = g_strdup_printf ("%s (%u)", stem, k);
    }
}

guint
tg_modes_attach_file (TgModes *modes, const char *path, gboolean check_foundation,
                      GError **error)
{
  g_return_val_if_fail (modes != NULL && path != NULL, 0);
  g_autoptr(GHashTable) md = NULL;
  g_autoptr(GPtrArray) tensors = NULL;
  if (!tg_checkpoint_inspect (path, &md, &tensors, error))
    return 0;
  TgMethod method;
  const char *id = g_hash_table_lookup (md, "method");
  if (id == NULL || !tg_method_from_string (id, &method))
    {
      g_set_error (error, TG_ERROR, TG_ERROR_FORMAT,
                   "%s: not an adapter (its __metadata__ names no known method)", path);
      return 0;
    }
  guint32 rank = method == TG_METHOD_LORA ? lora_rank_of (tensors) : 0;
  double alpha = rank;
  parse_number (md, "lora_alpha", &alpha);
  if (method == TG_METHOD_LORA && (rank == 0 || !(alpha > 0)))
    {
      g_set_error (error, TG_ERROR, TG_ERROR_FORMAT,
                   "%s: a LoRA adapter without a usable rank or lora_alpha", path);
      return 0;
    }
  g_autoptr(TgModel) m = foundation_with_rank (modes->foundation, rank, (float) alpha, error);
  if (m == NULL)
    return 0;
  gboolean ok = check_foundation ? tg_checkpoint_load_adapter (m, path, NULL, error)
                                 : tg_checkpoint_load_adapter_unchecked (m, path, NULL, error);
  if (!ok)
    return 0;
  double s = TG_MODES_DEFAULT_SHARPNESS;
  if (parse_number (md, "sharpness", &s) && !(s > 0))
    {
      g_set_error (error, TG_ERROR, TG_ERROR_RANGE,
                   "%s: sharpness %g in its metadata is not positive", path, s);
      return 0;
    }

  TgMode *mode = g_new0 (TgMode, 1);
  mode->method = method;
  mode->sharpness = (float) s;
  mode->target_angle = NAN;
  parse_number (md, "target_angle", &mode->target_angle);
  g_autofree char *long_name = mode_name (method, mode->target_angle, path);
  mode->name = bounded_name (long_name);
  mode->path = g_strdup (path);
  mode->metadata = g_steal_pointer (&md);
  mode->model = g_steal_pointer (&m);
  make_name_unique (modes, mode);
  g_ptr_array_add (modes->modes, mode);
  return modes->modes->len - 1;
}

guint
tg_modes_attach_model (TgModes *modes, const TgModel *adapted, float sharpness,
                       const char *name, double target_angle)
{
  g_return_val_if_fail (modes != NULL && adapted != NULL && name != NULL, 0);
  g_return_val_if_fail (sharpness > 0, 0);
  TgMode *mode = g_new0 (TgMode, 1);
  mode->method = adapted->method;
  mode->sharpness = sharpness;
  mode->target_angle = target_angle;
  mode->name = bounded_name (name);
  mode->model = tg_model_copy (adapted);
  make_name_unique (modes, mode);
  g_ptr_array_add (modes->modes, mode);
  return modes->modes->len - 1;
}

gboolean
tg_modes_remove (TgModes *modes, guint index)
{
  g_return_val_if_fail (modes != NULL, FALSE);
  if (index == 0 || index >= modes->modes->len)
    return FALSE;
  g_ptr_array_remove_index (modes->modes, index);
  return TRUE;
}

void
tg_modes_rename (TgModes *modes, guint index, const char *name)
{
  g_return_if_fail (modes != NULL && name != NULL && index < modes->modes->len);
  TgMode *mode = tg_modes_get (modes, index);
  /* out of the list while its new name is compared with the others */
  g_ptr_array_steal_index (modes->modes, index);
  g_free (mode->name);
  mode->name = bounded_name (name);
  make_name_unique (modes, mode);
  g_ptr_array_insert (modes->modes, (gint) index, mode);
}

gboolean
tg_modes_save_adapter (const TgModes *modes, guint index, const char *path, GError **error)
{
  g_return_val_if_fail (modes != NULL && path != NULL && index < modes->modes->len, FALSE);
  if (index == 0)
    {
      g_set_error (error, TG_ERROR, TG_ERROR_INVALID,
                   "%s: Base is the foundation alone, it has no adapter to save", path);
      return FALSE;
    }
  const TgMode *mode = tg_modes_get (modes, index);
  g_autoptr(GHashTable) md = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  if (mode->metadata != NULL)
    {
      GHashTableIter it;
      gpointer k, v;
      g_hash_table_iter_init (&it, mode->metadata);
      while (g_hash_table_iter_next (&it, &k, &v))
        g_hash_table_insert (md, g_strdup (k), g_strdup (v));
    }
  if (!isnan (mode->target_angle))
    g_hash_table_insert (md, g_strdup ("target_angle"),
                         tg_number_dup ("%g", mode->target_angle));
  g_hash_table_insert (md, g_strdup ("sharpness"), tg_number_dup ("%g", mode->sharpness));
  if (mode->method == TG_METHOD_LORA)
    {
      g_hash_table_insert (md, g_strdup ("lora_rank"), g_strdup_printf ("%u", mode->model->lora_rank));
      g_hash_table_insert (md, g_strdup ("lora_alpha"), tg_number_dup ("%g", mode->model->lora_alpha));
    }
  tg_foundation_digest_insert (md, modes->foundation);
  return tg_checkpoint_save_adapter (mode->model, mode->method, md, path, error);
}

/* --- angles ---------------------------------------------------------------------------- */

static gboolean
parse_angle (const char *s, const char *spec, double *out, GError **error)
{
  char *end = NULL;
  g_autofree char *t = g_strstrip (g_strdup (s));
  double v = g_ascii_strtod (t, &end);
  if (*t == '\0' || end == NULL || *end != '\0' || !isfinite (v) || fabs (v) > 360.0)
    {
      g_set_error (error, TG_ERROR, TG_ERROR_INVALID,
                   "angles \"%s\": \"%s\" is not an angle in degrees within [-360, 360]",
                   spec, t);
      return FALSE;
    }
  *out = v;
  return TRUE;
}

GArray *
tg_angles_parse (const char *spec, GError **error)
{
  g_return_val_if_fail (spec != NULL, NULL);
  g_autoptr(GArray) out = g_array_new (FALSE, FALSE, sizeof (double));
  if (strchr (spec, ':') != NULL)
    {
      g_auto(GStrv) parts = g_strsplit (spec, ":", -1);
      double v[3];
      if (g_strv_length (parts) != 3)
        {
          g_set_error (error, TG_ERROR, TG_ERROR_INVALID,
                       "angles \"%s\": write START:STOP:STEP, e.g. 0:180:15", spec);
          return NULL;
        }
      for (guint i = 0; i < 3; i++)
        if (!parse_angle (parts[i], spec, &v[i], error))
          return NULL;
      if (!(v[2] > 0) || v[1] < v[0])
        {
          g_set_error (error, TG_ERROR, TG_ERROR_INVALID,
                       "angles \"%s\": STEP must be positive and STOP not below START", spec);
          return NULL;
        }
      double n = floor ((v[1] - v[0]) / v[2] + 1e-9) + 1;
      if (n > TG_MODES_MAX_ANGLES)
        {
          g_set_error (error, TG_ERROR, TG_ERROR_INVALID,
                       "angles \"%s\": %.0f angles, at most %d", spec, n,
                       TG_MODES_MAX_ANGLES);
          return NULL;
        }
      for (guint i = 0; i < (guint) n; i++)
        {
          double a = v[0] + i * v[2];
          g_array_append_val (out, a);
        }
      return g_steal_pointer (&out);
    }
  g_auto(GStrv) parts = g_strsplit (spec, ",", -1);
  guint n = g_strv_length (parts);
  if (n == 0 || n > TG_MODES_MAX_ANGLES)
    {
      g_set_error (error, TG_ERROR, TG_ERROR_INVALID,
                   "angles \"%s\": give between 1 and %d angles", spec, TG_MODES_MAX_ANGLES);
      return NULL;
    }
  for (guint i = 0; i < n; i++)
    {
      double a;
      if (!parse_angle (parts[i], spec, &a, error))
        return NULL;
      g_array_append_val (out, a);
    }
  return g_steal_pointer (&out);
}

/* --- the sweep ------------------------------------------------------------------------- */

void
tg_angle_sweep_free (TgAngleSweep *sweep)
{
  if (sweep == NULL)
    return;
  g_free (sweep->angles);
  g_free (sweep->acc_soft);
  g_free (sweep->acc_hard);
  g_free (sweep);
}

TgAngleSweep *
tg_modes_sweep (TgModes *modes, const TgDataset *test, const double *angles, guint n_angles,
                GCancellable *cancellable, GError **error)
{
  g_return_val_if_fail (modes != NULL && test != NULL && (angles != NULL || n_angles == 0),
                        NULL);
  if (test->dim != modes->foundation->dims[0])
    {
      g_set_error (error, TG_ERROR, TG_ERROR_MISMATCH,
                   "the test images have %u pixels, the foundation takes %u inputs",
                   test->dim, modes->foundation->dims[0]);
      return NULL;
    }
  g_autoptr(TgAngleSweep) sw = g_new0 (TgAngleSweep, 1);
  guint nm = tg_modes_count (modes);
  sw->n_modes = nm;
  sw->n_angles = n_angles;
  sw->angles = g_memdup2 (angles, sizeof (double) * MAX (n_angles, 1));
  sw->acc_soft = g_new0 (double, (size_t) nm * MAX (n_angles, 1));
  sw->acc_hard = g_new0 (double, (size_t) nm * MAX (n_angles, 1));

  /* the modes that keep the foundation's weights (Base, BitFit, the tau/gamma methods) run
   * in one pass, the gated ones twice in it (soft and hard gates): one x W0^T per batch;
   * LoRA and Full FT alone */
  g_autofree guint *shared = g_new (guint, nm), *row = g_new (guint, 2 * nm);
  g_autofree const TgModel **models = g_new (const TgModel *, 2 * nm);
  g_autofree TgForwardOpts *opts = g_new (TgForwardOpts, 2 * nm);
  g_autofree double *acc = g_new (double, 2 * nm);
  g_autofree gboolean *hard = g_new (gboolean, 2 * nm);
  guint ns = 0, np = 0;
  for (guint i = 0; i < nm; i++)
    {
      TgMode *mode = tg_modes_get (modes, i);
      if (!tg_multi_forward_can_share (modes->foundation, mode->model))
        continue;
      shared[ns++] = i;
      for (int h = 0; h < 1 + tg_method_info (mode->model->method)->gated; h++)
        {
          opts[np] = (TgForwardOpts) { h ? TG_GATES_HARD : TG_GATES_SOFT, mode->sharpness };
          models[np] = mode->model;
          hard[np] = h;
          row[np++] = i;
        }
    }
  g_autoptr(TgMultiForward) pass = np > 0 ? tg_multi_forward_new (modes->foundation, models, np,
                                                                   TG_MULTI_FORWARD_BATCH,
                                                                   NULL) : NULL;

  for (guint a = 0; a < n_angles; a++)
    {
      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        return NULL;
      g_autoptr(TgDataset) rot = tg_dataset_rotated (test, angles[a]);
      /* x W0^T of the frozen foundation: made once for the set when LoRA needs it too (the
       * forward ignores it for Full FT), else batch by batch in the pass */
      g_autofree float *z1 = ns < nm ? tg_dataset_first_layer (modes->foundation, rot, 1000)
                                     : NULL;
      if (pass != NULL)
        {
          tg_multi_forward_accuracy (pass, opts, rot, z1, 0, acc);
          /* an ungated mode's hard accuracy is its soft one, as tg_evaluate gives it */
          for (guint k = 0; k < np; k++)
            {
              size_t at = (size_t) row[k] * n_angles + a;
              if (!hard[k])
                sw->acc_soft[at] = sw->acc_hard[at] = acc[k];
              else
                sw->acc_hard[at] = acc[k];
            }
        }
      if (ns == nm)
        continue;
      for (guint i = 0, k = 0; i < nm; i++)
        {
          if (k < ns && shared[k] == i)
            {
              k++;
              continue;
            }
          TgMode *mode = tg_modes_get (modes, i);
          g_autoptr(TgWorkspace) ws = tg_workspace_new (mode->model, 1000);
          TgEval e;
          TgForwardOpts alone = { TG_GATES_SOFT, mode->sharpness };
          tg_evaluate (mode->model, ws, &alone, rot, z1, 0, &e);
          sw->acc_soft[(size_t) i * n_angles + a] = e.acc_soft;
          sw->acc_hard[(size_t) i * n_angles + a] = e.acc_hard;
        }
    }
  return g_steal_pointer (&sw);
}
