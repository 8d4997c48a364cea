/* studio-session-view.c — the snapshots the views draw (parameters, masks, status, overlap)
 * in a session's view: tensors named "<slot>.<array>" (params.tau, masks.firing0_hard...)
 * and scalars "<slot>.<field>" in the view's metadata, from one table of fields so that both
 * ways agree; a slot that is the same snapshot as an earlier one says so ("masks.same" =
 * "params"). Everything read back is checked against the sizes it claims. */
#include "studio-session-private.h"
#include "tg-csv.h"

#include <math.h>
#include <stddef.h>
#include <string.h>

/* the snapshot's scalars a view or the status line reads */
static const TgField snapshot_fields[] = {
  { "run_id", TG_FIELD_U32, offsetof (StudioSnapshot, run_id), G_MAXUINT32 },
  { "job", TG_FIELD_ENUM, offsetof (StudioSnapshot, job), STUDIO_JOB_SWEEP },
  { "phase", TG_FIELD_ENUM, offsetof (StudioSnapshot, phase), STUDIO_PHASE_DONE },
  { "method", TG_FIELD_ENUM, offsetof (StudioSnapshot, method), TG_N_METHODS - 1 },
  { "run_method", TG_FIELD_ENUM, offsetof (StudioSnapshot, run_method), TG_N_METHODS - 1 },
  { "seed", TG_FIELD_U64, offsetof (StudioSnapshot, seed), 1e18 },
  { "angle", TG_FIELD_F64, offsetof (StudioSnapshot, angle), 360 },
  { "finished", TG_FIELD_BOOL, offsetof (StudioSnapshot, finished), 1 },
  { "epoch", TG_FIELD_U32, offsetof (StudioSnapshot, epoch), G_MAXUINT32 },
  { "n_epochs", TG_FIELD_U32, offsetof (StudioSnapshot, n_epochs), G_MAXUINT32 },
  { "batch", TG_FIELD_U32, offsetof (StudioSnapshot, batch), G_MAXUINT32 },
  { "n_batches", TG_FIELD_U32, offsetof (StudioSnapshot, n_batches), G_MAXUINT32 },
  { "step", TG_FIELD_U64, offsetof (StudioSnapshot, step), 1e18 },
  { "total_steps", TG_FIELD_U64, offsetof (StudioSnapshot, total_steps), 1e18 },
  { "foundation_steps", TG_FIELD_U64, offsetof (StudioSnapshot, foundation_steps), 1e18 },
  { "foundation_cached", TG_FIELD_BOOL, offsetof (StudioSnapshot, foundation_cached), 1 },
  { "samples_per_sec", TG_FIELD_F64, offsetof (StudioSnapshot, samples_per_sec), 1e18 },
  { "sharpness", TG_FIELD_F32, offsetof (StudioSnapshot, sharpness), 1e6 },
  { "lambda", TG_FIELD_F32, offsetof (StudioSnapshot, lambda), 1e6 },
  { "lr", TG_FIELD_F32, offsetof (StudioSnapshot, lr), 1e6 },
  { "hard_gates", TG_FIELD_BOOL, offsetof (StudioSnapshot, hard_gates), 1 },
  { "eval_every", TG_FIELD_U32, offsetof (StudioSnapshot, eval_every), G_MAXUINT32 },
  { "eval_samples", TG_FIELD_U32, offsetof (StudioSnapshot, eval_samples), G_MAXUINT32 },
  { "mask_every", TG_FIELD_U32, offsetof (StudioSnapshot, mask_every), G_MAXUINT32 },
  { "n_hidden", TG_FIELD_U32, offsetof (StudioSnapshot, n_hidden), TG_MAX_LINEAR - 1 },
  { "hidden_units", TG_FIELD_U32, offsetof (StudioSnapshot, hidden_units), 1 << 20 },
  { "has_masks", TG_FIELD_BOOL, offsetof (StudioSnapshot, has_masks), 1 },
  { "mask_step", TG_FIELD_U64, offsetof (StudioSnapshot, mask_step), 1e18 },
  { "n_classes", TG_FIELD_U32, offsetof (StudioSnapshot, n_classes), 4096 },
  { "high_act", TG_FIELD_F64, offsetof (StudioSnapshot, high_act), 1e18 },
  { "final_acc0", TG_FIELD_F64, offsetof (StudioSnapshot, final_acc0), 1 },
  { "final_acc_target", TG_FIELD_F64, offsetof (StudioSnapshot, final_acc_rot), 1 },
  { "final_high_act", TG_FIELD_F64, offsetof (StudioSnapshot, final_high_act), 1e18 },
  { "progress", TG_FIELD_F64, offsetof (StudioSnapshot, progress), 1 },
  { "sparse_speedup", TG_FIELD_F64, offsetof (StudioSnapshot, sparse_speedup), 1e18 },
  { "sparse_madds", TG_FIELD_F64, offsetof (StudioSnapshot, sparse_madds), 1e18 },
  { "dense_madds", TG_FIELD_F64, offsetof (StudioSnapshot, dense_madds), 1e18 },
  { "overlap_layers", TG_FIELD_U32, offsetof (StudioSnapshot, overlap_layers), TG_MAX_LINEAR },
  { "overlap_units", TG_FIELD_U32, offsetof (StudioSnapshot, overlap_units), 1 << 20 },
};

const TgField *
studio_session_snapshot_fields (guint *n_fields)
{
  *n_fields = G_N_ELEMENTS (snapshot_fields);
  return snapshot_fields;
}

/* ---- the shown snapshots ----------------------------------------------------------------- */

typedef struct {
  const char *name;
  size_t      offset;    /* float * in StudioSnapshot */
  gboolean    per_class; /* (n_classes, hidden_units), else (hidden_units) */
  guint       group;     /* the arrays the views read together: all of a group or none */
} SnapArray;

enum { GROUP_PARAMS, GROUP_FIRING, GROUP_GATES, N_GROUPS };

static const SnapArray snap_arrays[] = {
  { "tau", offsetof (StudioSnapshot, tau), FALSE, GROUP_PARAMS },
  { "gamma", offsetof (StudioSnapshot, gamma), FALSE, GROUP_PARAMS },
  { "firing0_hard", offsetof (StudioSnapshot, firing0_hard), TRUE, GROUP_FIRING },
  { "firing_target_hard", offsetof (StudioSnapshot, firing_rot_hard), TRUE, GROUP_FIRING },
  { "firing0_soft", offsetof (StudioSnapshot, firing0_soft), TRUE, GROUP_FIRING },
  { "firing_target_soft", offsetof (StudioSnapshot, firing_rot_soft), TRUE, GROUP_FIRING },
  { "gates0", offsetof (StudioSnapshot, gates0), FALSE, GROUP_GATES },
  { "gates_target", offsetof (StudioSnapshot, gates_rot), FALSE, GROUP_GATES },
};

/* value (taken) cut to what the reader takes of a string (an error naming two long paths could
 * be longer), at a character boundary */
static void
meta_set (TgSession *s, const char *slot, const char *key, char *value)
{
  if (strlen (value) > TG_SESSION_MAX_STRING)
    {
      const char *end = value;
      while ((gsize) (g_utf8_find_next_char (end, NULL) - value) <= TG_SESSION_MAX_STRING)
        end = g_utf8_find_next_char (end, NULL);
      value[end - value] = '\0';
    }
  g_hash_table_insert (s->view_metadata, g_strdup_printf ("%s.%s", slot, key), value);
}

static void
put_snapshot (TgSession *s, const char *slot, const StudioSnapshot *snap)
{
  GString *widths = g_string_new (NULL);

  for (guint i = 0; i < G_N_ELEMENTS (snapshot_fields); i++)
    {
      double v = tg_field_get (&snapshot_fields[i], snap);
      meta_set (s, slot, snapshot_fields[i].name,
                isnan (v) ? g_strdup ("nan") : tg_number_dup ("%.17g", v));
    }
  for (guint l = 0; l < snap->n_hidden; l++)
    g_string_append_printf (widths, "%s%u", l > 0 ? "," : "", snap->widths[l]);
  meta_set (s, slot, "widths", g_string_free (widths, FALSE));
  meta_set (s, slot, "settings", g_strdup (snap->settings != NULL ? snap->settings : ""));
  if (snap->mode_name != NULL)
    meta_set (s, slot, "mode_name", g_strdup (snap->mode_name));
  if (snap->progress_text != NULL)
    meta_set (s, slot, "progress_text", g_strdup (snap->progress_text));
  if (snap->error != NULL)
    meta_set (s, slot, "error", g_strdup (snap->error->message));
  /* a group with a value that is not finite (a run that diverged), or with an array missing,
   * is left out whole: the readers refuse both, and a view draws a group it lacks as not
   * measured */
  gboolean finite[N_GROUPS] = { TRUE, TRUE, TRUE };
  for (guint i = 0; i < G_N_ELEMENTS (snap_arrays); i++)
    {
      const float *v = *(float *const *) ((const guint8 *) snap + snap_arrays[i].offset);
      guint64 n = (guint64) snap->hidden_units * (snap_arrays[i].per_class ? snap->n_classes : 1);
      if (v == NULL)
        finite[snap_arrays[i].group] = FALSE;   /* part of a group is no group: the reader
                                                 * refuses it */
      for (guint64 j = 0; v != NULL && j < n && finite[snap_arrays[i].group]; j++)
        finite[snap_arrays[i].group] = isfinite (v[j]);
    }
  for (guint i = 0; i < G_N_ELEMENTS (snap_arrays); i++)
    {
      const float *v = *(float *const *) ((const guint8 *) snap + snap_arrays[i].offset);
      guint64 shape[2] = { snap->n_classes, snap->hidden_units };
      g_autofree char *name = g_strdup_printf ("%s.%s", slot, snap_arrays[i].name);
      if (v == NULL || snap->hidden_units == 0 || (snap_arrays[i].per_class && snap->n_classes == 0) ||
          !finite[snap_arrays[i].group])
        continue;
      if (snap_arrays[i].per_class)
        tg_session_add_view_tensor (s, name, 2, shape, v);
      else
        tg_session_add_view_tensor (s, name, 1, shape + 1, v);
    }
  if (snap->overlap_gate0 != NULL && snap->overlap_gate_rot != NULL &&
      snap->overlap_layers * snap->overlap_units > 0)
    {
      guint64 shape[2] = { snap->overlap_layers, snap->overlap_units };
      g_autofree char *g0 = g_strdup_printf ("%s.overlap_gate0", slot);
      g_autofree char *gr = g_strdup_printf ("%s.overlap_gate_target", slot);
      tg_session_add_view_tensor (s, g0, 2, shape, snap->overlap_gate0);
      tg_session_add_view_tensor (s, gr, 2, shape, snap->overlap_gate_rot);
    }
}

static gboolean
bad_view (GError **error, const char *file, const char *slot, const char *what)
{
  g_set_error (error, TG_ERROR, TG_ERROR_FORMAT, "%s: view.safetensors: %s %s", file, slot, what);
  return FALSE;
}

/* The arrays of slot into snap, each of the size its scalars say. */
static gboolean
get_snapshot_arrays (TgSession *s, const char *slot, StudioSnapshot *snap, const char *file,
                     GError **error)
{
  guint present[N_GROUPS] = { 0 }, size[N_GROUPS] = { 0 };
  for (guint i = 0; i < G_N_ELEMENTS (snap_arrays); i++)
    {
      g_autofree char *name = g_strdup_printf ("%s.%s", slot, snap_arrays[i].name);
      size[snap_arrays[i].group]++;
      present[snap_arrays[i].group] += tg_session_get_view_tensor (s, name) != NULL;
    }
  /* the views read a group's arrays together (τ with γ, the four firing rates, the gates
   * at 0° with those at the target): part of one is a broken file, not a smaller view */
  for (guint g = 0; g < N_GROUPS; g++)
    if (present[g] != 0 && present[g] != size[g])
      return bad_view (error, file, slot, "holds only part of a group of arrays "
                                          "(τ and γ, the firing rates or the gates)");
  for (guint i = 0; i < G_N_ELEMENTS (snap_arrays); i++)
    {
      g_autofree char *name = g_strdup_printf ("%s.%s", slot, snap_arrays[i].name);
      const TgSessionTensor *t = tg_session_get_view_tensor (s, name);
      guint64 want = (guint64) snap->hidden_units * (snap_arrays[i].per_class ? snap->n_classes : 1);
      guint64 n = 1;
      if (t == NULL)
        continue;
      for (guint d = 0; d < t->ndim; d++)
        n *= t->shape[d];
      if (n != want)
        return bad_view (error, file, name, "does not have the size its snapshot says");
      *(float **) ((guint8 *) snap + snap_arrays[i].offset) = g_memdup2 (t->values, n * sizeof (float));
    }
  if (snap->overlap_layers * snap->overlap_units > 0)
    {
      g_autofree char *g0 = g_strdup_printf ("%s.overlap_gate0", slot);
      g_autofree char *gr = g_strdup_printf ("%s.overlap_gate_target", slot);
      const TgSessionTensor *a = tg_session_get_view_tensor (s, g0);
      const TgSessionTensor *b = tg_session_get_view_tensor (s, gr);
      guint64 n = (guint64) snap->overlap_layers * snap->overlap_units;
      if (a == NULL || b == NULL || a->ndim != 2 || b->ndim != 2 || a->shape[0] * a->shape[1] != n ||
          b->shape[0] * b->shape[1] != n)
        return bad_view (error, file, slot, "lacks its overlap gates or has them of another size");
      snap->overlap_gate0 = g_memdup2 (a->values, n * sizeof (float));
      snap->overlap_gate_rot = g_memdup2 (b->values, n * sizeof (float));
    }
  return TRUE;
}

/* The snapshot of slot, or NULL (with error set when it is there but broken). */
static StudioSnapshot *
get_snapshot (TgSession *s, const char *slot, const char *file, GError **error)
{
  g_autoptr (StudioSnapshot) snap = NULL;
  g_autofree char *wkey = g_strdup_printf ("%s.widths", slot);
  const char *widths = g_hash_table_lookup (s->view_metadata, wkey);
  g_auto (GStrv) parts = NULL;
  guint32 sum = 0;

  if (widths == NULL)
    return NULL;
  snap = studio_snapshot_new ();
  for (guint i = 0; i < G_N_ELEMENTS (snapshot_fields); i++)
    {
      g_autofree char *key = g_strdup_printf ("%s.%s", slot, snapshot_fields[i].name);
      const char *text = g_hash_table_lookup (s->view_metadata, key);
      char *end = NULL;
      double v = text != NULL ? g_ascii_strtod (text, &end) : NAN;
      if (text == NULL || end == text || *end != '\0' || !tg_field_set (&snapshot_fields[i], snap, v))
        {
          bad_view (error, file, key, "is missing or out of range");
          return NULL;
        }
    }
  parts = g_strsplit (widths, ",", -1);
  if (g_strv_length (parts) != snap->n_hidden)
    {
      bad_view (error, file, wkey, "does not list n_hidden widths");
      return NULL;
    }
  for (guint l = 0; l < snap->n_hidden; l++)
    {
      guint64 w;
      if (!g_ascii_string_to_unsigned (parts[l], 10, 1, 1 << 20, &w, NULL))
        {
          bad_view (error, file, wkey, "holds a width that is not a whole number");
          return NULL;
        }
      snap->widths[l] = (guint32) w;
      sum += (guint32) w;
    }
  if (sum != snap->hidden_units)
    {
      bad_view (error, file, wkey, "does not add up to hidden_units");
      return NULL;
    }
  {
    g_autofree char *k1 = g_strdup_printf ("%s.settings", slot);
    g_autofree char *k2 = g_strdup_printf ("%s.mode_name", slot);
    g_autofree char *k3 = g_strdup_printf ("%s.progress_text", slot);
    g_autofree char *k4 = g_strdup_printf ("%s.error", slot);
    const char *err = g_hash_table_lookup (s->view_metadata, k4);
    snap->settings = g_strdup (g_hash_table_lookup (s->view_metadata, k1));
    snap->mode_name = g_strdup (g_hash_table_lookup (s->view_metadata, k2));
    snap->progress_text = g_strdup (g_hash_table_lookup (s->view_metadata, k3));
    if (err != NULL)
      snap->error = g_error_new_literal (TG_ERROR, TG_ERROR_INVALID, err);
  }
  if (!get_snapshot_arrays (s, slot, snap, file, error))
    return NULL;
  return g_steal_pointer (&snap);
}

static const char *const slots[] = { "params", "masks", "status", "overlap" };

/* The views index one snapshot's arrays by another's units (Neurons reads the parameters'
 * τ beside the masks' gates): every snapshot with hidden units has the same widths. */
static gboolean
same_units (StudioSnapshot *const shown[4], guint i)
{
  if (shown[i] == NULL || shown[i]->hidden_units == 0)
    return TRUE;
  for (guint j = 0; j < i; j++)
    if (shown[j] != NULL && shown[j]->hidden_units > 0 &&
        (shown[j]->n_hidden != shown[i]->n_hidden ||
         memcmp (shown[j]->widths, shown[i]->widths, shown[i]->n_hidden * sizeof (guint32)) != 0))
      return FALSE;
  return TRUE;
}

void
studio_session_put_view (TgSession *session, StudioSnapshot *const shown[4])
{
  for (guint i = 0; i < G_N_ELEMENTS (slots); i++)
    {
      guint same = i;
      for (guint j = 0; j < i; j++)
        if (shown[j] == shown[i] && same == i)
          same = j;
      if (shown[i] == NULL)
        continue;
      if (same != i)
        meta_set (session, slots[i], "same", g_strdup (slots[same]));
      else
        put_snapshot (session, slots[i], shown[i]);
    }
}

gboolean
studio_session_get_view (TgSession *session, const char *file, StudioSnapshot *shown[4],
                         GError **error)
{
  for (guint i = 0; i < G_N_ELEMENTS (slots); i++)
    {
      g_autofree char *key = g_strdup_printf ("%s.same", slots[i]);
      const char *same = g_hash_table_lookup (session->view_metadata, key);
      shown[i] = NULL;
      for (guint j = 0; same != NULL && j < i; j++)
        if (strcmp (same, slots[j]) == 0 && shown[j] != NULL)
          shown[i] = studio_snapshot_ref (shown[j]);
      if (same == NULL)
        {
          g_autoptr (GError) local = NULL;
          shown[i] = get_snapshot (session, slots[i], file, &local);
          if (local == NULL && !same_units (shown, i))
            bad_view (&local, file, slots[i], "has other layer widths than the other snapshots");
          if (local != NULL)
            {
              g_propagate_error (error, g_steal_pointer (&local));
              for (guint j = 0; j <= i; j++)
                g_clear_pointer (&shown[j], studio_snapshot_unref);
              return FALSE;
            }
        }
    }
  return TRUE;
}
