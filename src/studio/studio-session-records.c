/* studio-session-records.c — the current run's per-step records (what the scrubber rewinds
 * the views to: τ and γ at every recorded step, the mask records with the model copy each
 * carries) to and from a session's records (tg-session-records.h).
 *
 * records-params.csv and records-masks.csv hold one row per record: the snapshot's scalars
 * (the columns of the view's snapshots, studio-session-view.c, but the seed), and for a mask
 * record which of its arrays it has ("with_params", "with_firing", "with_gates": 0 or 1) and
 * its model ("weights": the row of weights.params, nan for none; "model_method"). The arrays:
 * params.tau, params.gamma (records, units); masks.tau, masks.gamma, masks.gates0,
 * masks.gates_target, masks.model_tau, masks.model_gamma (records, units);
 * masks.firing0_hard, masks.firing_target_hard, masks.firing0_soft, masks.firing_target_soft
 * (records, classes, units); weights.params (weight sets, the model's parameters). A mask
 * record's model is its weight set with its own model_tau and model_gamma: records whose
 * other weights are equal (a method that trains τ and γ only) share one weight set. An
 * array missing or not finite is zeros with its flag 0. The metadata: "seed", "settings",
 * "widths" of the run, "model_dims", "lora_rank", "lora_alpha" of the models.
 *
 * Bounded: at most STUDIO_RECORDS_MAX_WEIGHTS weight sets; a run with more (Full FT, LoRA,
 * BitFit over many epochs, whose weights change at every mask record) keeps every other mask
 * record, the newest always, until they fit. The history keeps at most 2048 records of each
 * kind (studio-history.c), so the tables stay within the reader's bound. */
#include "studio-session-private.h"

#include <math.h>
#include <string.h>

#include "tg-csv.h"
#include "tg-session-records.h"

#define STUDIO_RECORDS_MAX_WEIGHTS 64

enum { A_TAU, A_GAMMA, A_F0H, A_FTH, A_F0S, A_FTS, A_G0, A_GT, A_MTAU, A_MGAMMA, N_ARRAYS };
enum { FLAG_PARAMS, FLAG_FIRING, FLAG_GATES, N_FLAGS };

static const struct {
  const char *name;
  gboolean    per_class;
  guint       flag;
  size_t      offset;   /* float * in StudioSnapshot; the model's own for MTAU / MGAMMA */
} arrays[N_ARRAYS] = {
  { "tau", FALSE, FLAG_PARAMS, G_STRUCT_OFFSET (StudioSnapshot, tau) },
  { "gamma", FALSE, FLAG_PARAMS, G_STRUCT_OFFSET (StudioSnapshot, gamma) },
  { "firing0_hard", TRUE, FLAG_FIRING, G_STRUCT_OFFSET (StudioSnapshot, firing0_hard) },
  { "firing_target_hard", TRUE, FLAG_FIRING, G_STRUCT_OFFSET (StudioSnapshot, firing_rot_hard) },
  { "firing0_soft", TRUE, FLAG_FIRING, G_STRUCT_OFFSET (StudioSnapshot, firing0_soft) },
  { "firing_target_soft", TRUE, FLAG_FIRING, G_STRUCT_OFFSET (StudioSnapshot, firing_rot_soft) },
  { "gates0", FALSE, FLAG_GATES, G_STRUCT_OFFSET (StudioSnapshot, gates0) },
  { "gates_target", FALSE, FLAG_GATES, G_STRUCT_OFFSET (StudioSnapshot, gates_rot) },
  { "model_tau", FALSE, N_FLAGS, 0 },
  { "model_gamma", FALSE, N_FLAGS, 0 },
};
static const char *const flag_names[N_FLAGS] = { "with_params", "with_firing", "with_gates" };

/* the table's columns: the snapshot's scalars but the seed, then for masks the flags, the
 * weight set and the model's method; a NULL-terminated array of borrowed names */
static GPtrArray *
columns (gboolean masks)
{
  guint n;
  const TgField *f = studio_session_snapshot_fields (&n);
  GPtrArray *cols = g_ptr_array_new ();
  for (guint i = 0; i < n; i++)
    if (strcmp (f[i].name, "seed") != 0)
      g_ptr_array_add (cols, (gpointer) f[i].name);
  for (guint i = 0; masks && i < N_FLAGS; i++)
    g_ptr_array_add (cols, (gpointer) flag_names[i]);
  if (masks)
    {
      g_ptr_array_add (cols, (gpointer) "weights");
      g_ptr_array_add (cols, (gpointer) "model_method");
    }
  g_ptr_array_add (cols, NULL);
  return cols;
}

/* ---- writing ----------------------------------------------------------------------------- */

/* the snapshot's own arrays (not the model's) */
static const float *
snap_array (const StudioSnapshot *s, guint a)
{
  return a < A_MTAU ? *(float *const *) ((const guint8 *) s + arrays[a].offset) : NULL;
}

/* array a of s into dst: the model's τ or γ gathered layer by layer */
static void
copy_array (const StudioSnapshot *s, guint a, float *dst)
{
  const TgModel *m = s->model;
  if (a < A_MTAU)
    {
      memcpy (dst, snap_array (s, a), s->hidden_units *
              (arrays[a].per_class ? s->n_classes : 1) * sizeof (float));
      return;
    }
  for (guint32 l = 0, off = 0; l < tg_model_n_hidden (m); off += m->dims[l + 1], l++)
    memcpy (dst + off, m->params + (a == A_MTAU ? m->tau[l] : m->gamma[l]),
            m->dims[l + 1] * sizeof (float));
}

static guint64
array_len (const StudioSnapshot *s, guint a)
{
  return (guint64) s->hidden_units * (arrays[a].per_class ? s->n_classes : 1);
}

static gboolean
all_finite (const float *v, guint64 n)
{
  for (guint64 j = 0; v != NULL && j < n; j++)
    if (!isfinite (v[j]))
      return FALSE;
  return v != NULL;
}

/* TRUE when a and b are equal but for τ and γ */
static gboolean
same_weights (const TgModel *m, const float *a, const float *b)
{
  size_t at = 0;
  for (guint32 l = 0; l < tg_model_n_hidden (m); l++)
    {
      /* τ and γ of a layer lie side by side or apart: compare around each */
      size_t lo = MIN (m->tau[l], m->gamma[l]), hi = MAX (m->tau[l], m->gamma[l]);
      size_t w = m->dims[l + 1];
      if (lo < at)
        return FALSE;  /* a layout of other order: taken for other weights */
      if (memcmp (a + at, b + at, (lo - at) * sizeof (float)) != 0)
        return FALSE;
      if (hi > lo + w && memcmp (a + lo + w, b + lo + w, (hi - lo - w) * sizeof (float)) != 0)
        return FALSE;
      at = hi + w;
    }
  return memcmp (a + at, b + at, (m->n_params - at) * sizeof (float)) == 0;
}

static gboolean
same_shape (const TgModel *a, const TgModel *b)
{
  return a->n_linear == b->n_linear && a->lora_rank == b->lora_rank &&
         a->lora_alpha == b->lora_alpha && a->n_params == b->n_params &&
         memcmp (a->dims, b->dims, (a->n_linear + 1) * sizeof (guint32)) == 0;
}

/* Each mask record's weight set (-1: no usable model) in index, the sets in sets (borrowed
 * float *); the model of the first record with one in *shape. */
static void
weight_sets (GPtrArray *masks, gint *index, GPtrArray *sets, const TgModel **shape)
{
  *shape = NULL;
  g_ptr_array_set_size (sets, 0);
  for (guint i = 0; i < masks->len; i++)
    {
      const StudioSnapshot *s = g_ptr_array_index (masks, i);
      const TgModel *m = s->model;
      index[i] = -1;
      if (m == NULL || tg_model_hidden_units (m) != s->hidden_units ||
          !all_finite (m->params, m->n_params) || (*shape != NULL && !same_shape (*shape, m)))
        continue;
      if (*shape == NULL)
        *shape = m;
      for (guint k = 0; k < sets->len && index[i] < 0; k++)
        if (same_weights (m, g_ptr_array_index (sets, k), m->params))
          index[i] = (gint) k;
      if (index[i] < 0)
        {
          index[i] = (gint) sets->len;
          g_ptr_array_add (sets, m->params);
        }
    }
}

/* The history's mask records, every other one left out (the newest kept) until their
 * weight sets fit STUDIO_RECORDS_MAX_WEIGHTS. */
static GPtrArray *
kept_masks (StudioHistory *history)
{
  GPtrArray *masks = g_ptr_array_new ();
  g_autoptr (GPtrArray) sets = g_ptr_array_new ();
  const TgModel *shape;

  for (guint i = 0; i < studio_history_get_n_mask_times (history); i++)
    g_ptr_array_add (masks, studio_history_get_time_masks (history, i));
  for (;;)
    {
      g_autofree gint *index = g_new (gint, MAX (masks->len, 1));
      weight_sets (masks, index, sets, &shape);
      if (sets->len <= STUDIO_RECORDS_MAX_WEIGHTS || masks->len < 2)
        return masks;
      /* counted from the newest before any goes: the parity of what is left is not */
      guint n = masks->len;
      for (guint i = n - 1; i-- > 0;)
        if ((n - 1 - i) % 2 == 1)
          g_ptr_array_remove_index (masks, i);
    }
}

static void
put_row (TgSessionTable *t, const StudioSnapshot *s, const double *extra, guint n_extra)
{
  guint n;
  const TgField *f = studio_session_snapshot_fields (&n);
  g_autofree double *row = g_new (double, t->n_columns);
  guint c = 0;
  for (guint i = 0; i < n; i++)
    if (strcmp (f[i].name, "seed") != 0)
      {
        /* an infinite number (a rate of no time) is written as not measured: the reader
         * takes NaN for a real, never an infinity */
        double v = tg_field_get (&f[i], s);
        gboolean real = f[i].type == TG_FIELD_F32 || f[i].type == TG_FIELD_F64;
        row[c++] = real && isinf (v) ? NAN : v;
      }
  for (guint i = 0; i < n_extra; i++)
    row[c++] = extra[i];
  g_assert (c == t->n_columns);
  tg_session_table_append (t, row);
}

/* TRUE when s holds every array of group flag, of its size and finite */
static gboolean
group_ok (const StudioSnapshot *s, guint flag, guint64 hidden_units, guint32 n_classes)
{
  if (s->hidden_units != hidden_units || (flag == FLAG_FIRING && s->n_classes != n_classes))
    return FALSE;
  for (guint a = 0; a < N_ARRAYS; a++)
    if (arrays[a].flag == flag && !all_finite (snap_array (s, a), array_len (s, a)))
      return FALSE;
  return TRUE;
}

/* The arrays a of every record of log ("params" or "masks") as one tensor: zeros where
 * the record's ok is FALSE. */
static void
put_array (TgSessionRecords *r, const char *log, GPtrArray *recs, guint a, const gboolean *ok)
{
  const StudioSnapshot *first = g_ptr_array_index (recs, 0);
  guint64 len = array_len (first, a);
  guint64 shape[3] = { recs->len, arrays[a].per_class ? first->n_classes : first->hidden_units,
                       first->hidden_units };
  g_autofree float *all = g_new0 (float, MAX (recs->len * len, 1));
  g_autofree char *name = g_strdup_printf ("%s.%s", log, arrays[a].name);

  for (guint i = 0; i < recs->len; i++)
    if (ok[i])
      copy_array (g_ptr_array_index (recs, i), a, all + i * len);
  tg_session_records_add_tensor (r, name, arrays[a].per_class ? 3 : 2, shape, all);
}

static char *
widths_text (const StudioSnapshot *s)
{
  GString *w = g_string_new (NULL);
  for (guint l = 0; l < s->n_hidden; l++)
    g_string_append_printf (w, "%s%u", l > 0 ? "," : "", s->widths[l]);
  return g_string_free (w, FALSE);
}

static void
put_masks (TgSessionRecords *r, GPtrArray *masks)
{
  const StudioSnapshot *first = g_ptr_array_index (masks, 0);
  g_autofree gint *index = g_new (gint, masks->len);
  g_autofree gboolean *ok = g_new (gboolean, masks->len * (N_FLAGS + 1));
  g_autoptr (GPtrArray) sets = g_ptr_array_new ();
  const TgModel *shape;

  weight_sets (masks, index, sets, &shape);
  for (guint f = 0; f <= N_FLAGS; f++)
    for (guint i = 0; i < masks->len; i++)
      ok[f * masks->len + i] = f < N_FLAGS
        ? group_ok (g_ptr_array_index (masks, i), f, first->hidden_units, first->n_classes)
        : index[i] >= 0;
  for (guint a = 0; a < N_ARRAYS; a++)
    put_array (r, "masks", masks, a, ok + arrays[a].flag * masks->len);
  for (guint i = 0; i < masks->len; i++)
    {
      const StudioSnapshot *s = g_ptr_array_index (masks, i);
      double extra[N_FLAGS + 2];
      for (guint f = 0; f < N_FLAGS; f++)
        extra[f] = ok[f * masks->len + i];
      extra[N_FLAGS] = index[i] >= 0 ? index[i] : NAN;
      extra[N_FLAGS + 1] = s->model != NULL ? s->model->method : NAN;
      put_row (r->masks, s, extra, N_FLAGS + 2);
    }
  if (shape == NULL)
    return;
  g_autofree float *all = g_new (float, sets->len * shape->n_params);
  guint64 wshape[2] = { sets->len, shape->n_params };
  GString *dims = g_string_new (NULL);
  for (guint k = 0; k < sets->len; k++)
    memcpy (all + k * shape->n_params, g_ptr_array_index (sets, k),
            shape->n_params * sizeof (float));
  tg_session_records_add_tensor (r, "weights.params", 2, wshape, all);
  for (guint l = 0; l <= shape->n_linear; l++)
    g_string_append_printf (dims, "%s%u", l > 0 ? "," : "", shape->dims[l]);
  g_hash_table_insert (r->metadata, g_strdup ("model_dims"), g_string_free (dims, FALSE));
  g_hash_table_insert (r->metadata, g_strdup ("lora_rank"), g_strdup_printf ("%u", shape->lora_rank));
  g_hash_table_insert (r->metadata, g_strdup ("lora_alpha"),
                       tg_number_dup ("%.9g", (double) shape->lora_alpha));
}

void
studio_session_put_records (TgSession *session, StudioHistory *history)
{
  g_autoptr (GPtrArray) params = g_ptr_array_new ();
  g_autoptr (GPtrArray) masks = kept_masks (history);
  g_autoptr (GPtrArray) pcols = columns (FALSE);
  g_autoptr (GPtrArray) mcols = columns (TRUE);
  const StudioSnapshot *first = NULL;
  TgSessionRecords *r;

  /* a record whose τ or γ is not finite (a run that diverged) is left out */
  for (guint i = 0; i < studio_history_get_n_times (history); i++)
    {
      StudioSnapshot *s = studio_history_get_time_params (history, i);
      if (first == NULL)
        first = s;
      if (group_ok (s, FLAG_PARAMS, first->hidden_units, 0))
        g_ptr_array_add (params, s);
    }
  if (masks->len > 0)
    first = g_ptr_array_index (masks, 0);
  if (params->len == 0 && masks->len == 0)
    return;
  if (params->len > 0)
    first = g_ptr_array_index (params, 0);
  r = tg_session_records_new ((const char *const *) pcols->pdata,
                              (const char *const *) mcols->pdata);
  g_hash_table_insert (r->metadata, g_strdup ("seed"),
                       g_strdup_printf ("%" G_GUINT64_FORMAT, first->seed));
  g_hash_table_insert (r->metadata, g_strdup ("settings"),
                       g_strdup (first->settings != NULL ? first->settings : ""));
  g_hash_table_insert (r->metadata, g_strdup ("widths"), widths_text (first));
  if (params->len > 0)
    {
      g_autofree gboolean *ok = g_new (gboolean, params->len);
      for (guint i = 0; i < params->len; i++)
        ok[i] = TRUE;
      put_array (r, "params", params, A_TAU, ok);
      put_array (r, "params", params, A_GAMMA, ok);
      for (guint i = 0; i < params->len; i++)
        put_row (r->params, g_ptr_array_index (params, i), NULL, 0);
    }
  if (masks->len > 0)
    put_masks (r, masks);
  session->records = r;
}

/* ---- reading ----------------------------------------------------------------------------- */

static gboolean
bad (GError **error, const char *file, const char *what)
{
  g_set_error (error, TG_ERROR, TG_ERROR_FORMAT, "%s: %s", file, what);
  return FALSE;
}

/* What every record of the run shares, from the metadata. */
typedef struct {
  StudioSnapshot *common;   /* seed, settings, widths */
  TgModel        *shape;    /* the models' layout; NULL: no weights */
  guint64         n_sets;
} Shared;

static gboolean
same_columns (const TgSessionTable *t, GPtrArray *want)
{
  if (t->n_columns != want->len - 1)
    return FALSE;
  for (guint c = 0; c < t->n_columns; c++)
    if (strcmp (t->columns[c], g_ptr_array_index (want, c)) != 0)
      return FALSE;
  return TRUE;
}

static gboolean
parse_list (const char *text, guint max_n, guint32 *out, guint *n)
{
  g_auto (GStrv) parts = text != NULL ? g_strsplit (text, ",", -1) : NULL;
  guint64 v;
  *n = parts != NULL ? g_strv_length (parts) : 0;
  if (*n == 0 || *n > max_n)
    return FALSE;
  for (guint i = 0; i < *n; i++)
    {
      if (!g_ascii_string_to_unsigned (parts[i], 10, 1, 1 << 20, &v, NULL))
        return FALSE;
      out[i] = (guint32) v;
    }
  return TRUE;
}

static gboolean
read_shared (const TgSessionRecords *r, Shared *sh, const char *file, GError **error)
{
  GHashTable *md = r->metadata;
  guint64 seed;
  guint n;
  guint32 dims[TG_MAX_LINEAR + 1];
  const TgSessionTensor *w = tg_session_records_get_tensor (r, "weights.params");

  sh->common = studio_snapshot_new ();
  if (!g_ascii_string_to_unsigned (g_hash_table_lookup (md, "seed") ? g_hash_table_lookup (md, "seed") : "",
                                   10, 0, G_MAXUINT64, &seed, NULL) ||
      !parse_list (g_hash_table_lookup (md, "widths"), TG_MAX_LINEAR - 1, sh->common->widths, &n))
    return bad (error, file, "the metadata lack the run's seed or layer widths");
  sh->common->seed = seed;
  sh->common->n_hidden = n;
  for (guint l = 0; l < n; l++)
    sh->common->hidden_units += sh->common->widths[l];
  sh->common->settings = g_strdup (g_hash_table_lookup (md, "settings"));
  if (w == NULL)
    return TRUE;
  const char *alpha_text = g_hash_table_lookup (md, "lora_alpha");
  guint64 rank;
  double alpha = alpha_text != NULL ? g_ascii_strtod (alpha_text, NULL) : NAN;
  if (!parse_list (g_hash_table_lookup (md, "model_dims"), TG_MAX_LINEAR + 1, dims, &n) || n < 2 ||
      !g_ascii_string_to_unsigned (g_hash_table_lookup (md, "lora_rank") ? g_hash_table_lookup (md, "lora_rank") : "",
                                   10, 0, 1024, &rank, NULL) || !isfinite (alpha))
    return bad (error, file, "weights.params is there but the metadata lack model_dims, "
                "lora_rank or lora_alpha");
  sh->shape = tg_model_new (dims[0], n - 2, dims + 1, dims[n - 1], (guint32) rank, (float) alpha,
                            NULL);
  if (sh->shape == NULL || tg_model_hidden_units (sh->shape) != sh->common->hidden_units ||
      w->ndim != 2 || w->shape[1] != sh->shape->n_params)
    return bad (error, file, "weights.params does not have the size its model_dims say, or "
                "they do not have the run's layer widths");
  sh->n_sets = w->shape[0];
  return TRUE;
}

/* Row i of table t (masks: with its extra columns) as a new snapshot, checked. */
static StudioSnapshot *
get_row (const TgSessionTable *t, guint i, const Shared *sh, const char *file, GError **error)
{
  guint n;
  const TgField *f = studio_session_snapshot_fields (&n);
  g_autoptr (StudioSnapshot) s = studio_snapshot_new ();
  guint c = 0;

  for (guint k = 0; k < n; k++)
    if (strcmp (f[k].name, "seed") != 0 &&
        !tg_field_set (&f[k], s, tg_session_table_get (t, i, c++)))
      {
        g_autofree char *what = g_strdup_printf ("row %u: “%s” is out of range", i + 1, f[k].name);
        bad (error, file, what);
        return NULL;
      }
  if (s->n_hidden != sh->common->n_hidden || s->hidden_units != sh->common->hidden_units ||
      s->job != STUDIO_JOB_TRAIN || s->run_id == 0)
    {
      g_autofree char *what = g_strdup_printf ("row %u: not a training record of the run's "
                                               "layers", i + 1);
      bad (error, file, what);
      return NULL;
    }
  s->seed = sh->common->seed;
  memcpy (s->widths, sh->common->widths, sizeof s->widths);
  s->settings = g_strdup (sh->common->settings);
  return g_steal_pointer (&s);
}

/* the arrays of group flag (or the model's τ, γ: N_FLAGS) of row i into s, from the tensors
 * named log.NAME of the size the records say */
static gboolean
get_arrays (const TgSessionRecords *r, const char *log, guint n_rows, guint i, guint flag,
            StudioSnapshot *s, float **model_tg, const char *file, GError **error)
{
  for (guint a = 0; a < N_ARRAYS; a++)
    {
      if (arrays[a].flag != flag)
        continue;
      g_autofree char *name = g_strdup_printf ("%s.%s", log, arrays[a].name);
      const TgSessionTensor *t = tg_session_records_get_tensor (r, name);
      guint64 len = (guint64) s->hidden_units * (arrays[a].per_class ? s->n_classes : 1);
      if (t == NULL || t->ndim != (arrays[a].per_class ? 3u : 2u) || t->shape[0] != n_rows ||
          t->shape[t->ndim - 1] != s->hidden_units ||
          (arrays[a].per_class && t->shape[1] != s->n_classes))
        {
          g_autofree char *what = g_strdup_printf ("%s in " TG_SESSION_RECORDS_TENSORS " is missing or not of the records' size",
                                                   name);
          return bad (error, file, what);
        }
      float *dst = g_memdup2 (t->values + i * len, len * sizeof (float));
      if (a >= A_MTAU)
        model_tg[a - A_MTAU] = dst;
      else
        *(float **) ((guint8 *) s + arrays[a].offset) = dst;
    }
  return TRUE;
}

/* mask record i's model: its weight set with its own τ and γ */
static gboolean
get_model (const TgSessionRecords *r, const Shared *sh, guint i, double weights, double method,
           StudioSnapshot *s, const char *file, GError **error)
{
  float *model_tg[2] = { NULL, NULL };
  gboolean ok = get_arrays (r, "masks", tg_session_table_n_rows (r->masks), i, N_FLAGS, s,
                            model_tg, file, error);
  if (ok)
    {
      TgModel *m = s->model = tg_model_copy (sh->shape);
      memcpy (m->params, tg_session_records_get_tensor (r, "weights.params")->values +
                         (gsize) weights * m->n_params, m->n_params * sizeof (float));
      m->method = (TgMethod) method;
      for (guint32 l = 0, off = 0; l < tg_model_n_hidden (m); off += m->dims[l + 1], l++)
        {
          memcpy (m->params + m->tau[l], model_tg[0] + off, m->dims[l + 1] * sizeof (float));
          memcpy (m->params + m->gamma[l], model_tg[1] + off, m->dims[l + 1] * sizeof (float));
        }
    }
  g_free (model_tg[0]);
  g_free (model_tg[1]);
  return ok;
}

/* mask record i's flags, arrays and model */
static gboolean
get_mask_parts (const TgSessionRecords *r, const Shared *sh, guint i, StudioSnapshot *s,
                const char *file, GError **error)
{
  const TgSessionTable *t = r->masks;
  guint n_rows = tg_session_table_n_rows (t), base = t->n_columns - N_FLAGS - 2;
  double weights = tg_session_table_get (t, i, base + N_FLAGS);
  double method = tg_session_table_get (t, i, base + N_FLAGS + 1);
  g_autofree char *where = g_strdup_printf ("%s: row %u", file, i + 1);

  for (guint f = 0; f < N_FLAGS; f++)
    {
      double v = tg_session_table_get (t, i, base + f);
      if (v != 0 && v != 1)
        return bad (error, where, "a with_ column is neither 0 nor 1");
      if (v == 1 && !get_arrays (r, "masks", n_rows, i, f, s, NULL, file, error))
        return FALSE;
    }
  if (isnan (weights))
    return TRUE;
  if (!(weights >= 0 && weights < sh->n_sets && weights == floor (weights)) ||
      !(method >= 0 && method < TG_N_METHODS && method == floor (method)))
    return bad (error, where, "“weights” is not a row of weights.params, or “model_method” "
                "not a method");
  return get_model (r, sh, i, weights, method, s, file, error);
}

/* the records of one table as snapshots, of one run and in step order */
static GPtrArray *
get_log (const TgSessionRecords *r, gboolean masks, const Shared *sh, guint *run_id,
         const char *file, GError **error)
{
  const TgSessionTable *t = masks ? r->masks : r->params;
  g_autoptr (GPtrArray) log = g_ptr_array_new_with_free_func ((GDestroyNotify) studio_snapshot_unref);

  for (guint i = 0; i < tg_session_table_n_rows (t); i++)
    {
      StudioSnapshot *s = get_row (t, i, sh, file, error);
      if (s == NULL)
        return NULL;
      g_ptr_array_add (log, s);
      if (masks ? !get_mask_parts (r, sh, i, s, file, error)
                : !get_arrays (r, "params", tg_session_table_n_rows (t), i, FLAG_PARAMS, s,
                               NULL, file, error))
        return NULL;
      StudioSnapshot *prev = i > 0 ? g_ptr_array_index (log, i - 1) : NULL;
      if ((*run_id != 0 && s->run_id != *run_id) ||
          (prev != NULL && (masks ? s->mask_step < prev->mask_step : s->step < prev->step)) ||
          (masks && !s->has_masks))
        {
          g_autofree char *where = g_strdup_printf ("%s: row %u", file, i + 1);
          bad (error, where, "the records are not of one run in step order");
          return NULL;
        }
      *run_id = s->run_id;
    }
  return g_steal_pointer (&log);
}

gboolean
studio_session_get_records (TgSession *session, const char *file, guint *run_id,
                            GPtrArray **params, GPtrArray **masks, GError **error)
{
  const TgSessionRecords *r = session->records;
  g_autoptr (GPtrArray) pcols = columns (FALSE);
  g_autoptr (GPtrArray) mcols = columns (TRUE);
  g_autofree char *pfile = g_strdup_printf ("%s: %s", file, TG_SESSION_RECORDS_PARAMS);
  g_autofree char *mfile = g_strdup_printf ("%s: %s", file, TG_SESSION_RECORDS_MASKS);
  g_autofree char *tfile = g_strdup_printf ("%s: %s", file, TG_SESSION_RECORDS_TENSORS);
  Shared sh = { NULL };
  gboolean ok;

  *run_id = 0;
  *params = *masks = NULL;
  if (r == NULL)
    return TRUE;
  if (!same_columns (r->params, pcols))
    return bad (error, pfile, "its columns are not those of a τ/γ record");
  if (!same_columns (r->masks, mcols))
    return bad (error, mfile, "its columns are not those of a mask record");
  ok = read_shared (r, &sh, tfile, error) &&
       (*params = get_log (r, FALSE, &sh, run_id, pfile, error)) != NULL &&
       (*masks = get_log (r, TRUE, &sh, run_id, mfile, error)) != NULL;
  g_clear_pointer (&sh.common, studio_snapshot_unref);
  g_clear_pointer (&sh.shape, tg_model_free);
  if (!ok)
    {
      g_clear_pointer (params, g_ptr_array_unref);
      g_clear_pointer (masks, g_ptr_array_unref);
    }
  return ok;
}
