/* SPDX-License-Identifier: MIT */
/* tg-experiment-results.c — what a run of the protocol leaves behind: freeing its results,
 * the foundation file of each seed, and what counts as a collapsed run.
 *
 * Not here: the run itself (tg-experiment.c). */
#include "tg-experiment.h"

#include <math.h>
#include <string.h>

/* --- results ------------------------------------------------------------------------- */

void
tg_experiment_results_free (TgExperimentResults *res)
{
  if (res == NULL)
    return;
  g_clear_pointer (&res->runs, g_array_unref);
  g_clear_pointer (&res->overlaps, g_array_unref);
  g_free (res);
}

char *
tg_foundation_path_for_seed (const char *path, guint32 seed_index)
{
  if (seed_index == 0)
    return g_strdup (path);
  g_autofree char *dir = g_path_get_dirname (path);
  g_autofree char *base = g_path_get_basename (path);
  const char *dot = strrchr (base, '.');
  g_autofree char *stem = dot && dot != base ? g_strndup (base, dot - base) : g_strdup (base);
  const char *ext = dot && dot != base ? dot : "";
  g_autofree char *name = g_strdup_printf ("%s-seed%u%s", stem, seed_index, ext);
  return g_build_filename (dir, name, NULL);
}

/* --- collapse ------------------------------------------------------------------------ */

gboolean
tg_loss_collapsed (double ce, guint32 n_classes)
{
  return isfinite (ce) && n_classes >= 2 && ce > TG_COLLAPSE_FACTOR * log ((double) n_classes);
}

gboolean
tg_experiment_results_check_collapse (const TgExperimentResults *res, guint *n_collapsed,
                                      GError **error)
{
  g_return_val_if_fail (res != NULL, FALSE);
  g_autoptr (GString) which = g_string_new (NULL);
  guint n = 0;
  for (guint i = 0; res->runs != NULL && i < res->runs->len; i++)
    {
      const TgRunResult *r = &g_array_index (res->runs, TgRunResult, i);
      if (!r->collapsed)
        continue;
      if (n++ < 4)
        g_string_append_printf (which, "%s%s seed %u at loss %.3g", which->len ? ", " : "",
                                tg_method_info (r->method)->label, r->seed_index, r->final_ce);
    }
  if (n_collapsed != NULL)
    *n_collapsed = n;
  if (n == 0)
    return TRUE;
  g_set_error (error, TG_ERROR, TG_ERROR_DIVERGED,
               "training collapsed in %u of %u runs (%s%s): their final loss is more than %g "
               "times that of a uniform guess; lower --lr (now %g)", n, res->runs->len,
               which->str, n > 4 ? ", ..." : "", TG_COLLAPSE_FACTOR, res->config.lr);
  return FALSE;
}
