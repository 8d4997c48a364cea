/* SPDX-License-Identifier: MIT */
/* session-save-victim.c — saves a small session to a folder, for test-session-kill.c, which
 * runs it under the kill shim and stops it at each step of the save in turn.
 *
 *   session-save-victim DIR old|new
 *
 * The two sessions differ in everything a save touches: "old" has 3 runs and 2 modes, "new"
 * 2 runs and 3 modes; settings.tag names which one it is. */
#include "tg-session.h"

#include <string.h>

static TgModel *
make_model (guint64 seed, TgMethod method)
{
  g_autoptr (GError) error = NULL;
  guint32 widths[2] = { 8, 6 };
  TgModel *m = tg_model_new (16, 2, widths, 4, 0, 8.0f, &error);
  uint64_t rng = tg_rng_seed (seed);

  g_assert_no_error (error);
  for (size_t i = 0; i < m->n_params; i++)
    m->params[i] = tg_rng_uniform (&rng) * 2.0f - 1.0f;
  m->method = method;
  return m;
}

int
main (int argc, char **argv)
{
  g_autoptr (TgSession) s = tg_session_new ();
  g_autoptr (TgModel) f = make_model (1, TG_METHOD_FROZEN);
  g_autoptr (GError) error = NULL;
  gboolean is_new;
  guint64 shape[1] = { 3 };
  float values[3] = { 1, 2, 3 };

  if (argc != 3 || (strcmp (argv[2], "old") != 0 && strcmp (argv[2], "new") != 0))
    {
      g_printerr ("usage: %s DIR old|new\n", argv[0]);
      return 2;
    }
  is_new = strcmp (argv[2], "new") == 0;
  json_object_set_string_member (s->settings, "tag", argv[2]);
  for (guint i = 0; i < (is_new ? 2u : 3u); i++)
    {
      g_autofree char *name = g_strdup_printf ("%s run %u", argv[2], i);
      TgSessionRun *run = tg_session_run_new (name);
      double row[4] = { i, 1.0 / (i + 1), 0.5, 0.25 };
      double full[3] = { i, 0.5, 0.25 };
      tg_session_table_append (run->curves, row);
      tg_session_table_append (run->full, full);
      g_ptr_array_add (s->runs, run);
    }
  s->modes = tg_modes_new (f);
  for (guint i = 0; i < (is_new ? 2u : 1u); i++)
    {
      g_autoptr (TgModel) a = make_model (10 + i, TG_METHOD_TAUGATE);
      g_autofree char *name = g_strdup_printf ("%s mode %u", argv[2], i);
      memcpy (a->params, f->params, a->n_params * sizeof (float));
      a->params[a->tau[0]] = 0.25f * (i + 1);
      tg_modes_attach_model (s->modes, a, 5.0f, name, 45);
    }
  tg_session_add_view_tensor (s, "params.tau", 1, shape, values);
  if (!tg_session_save (s, argv[1], &error))
    {
      g_printerr ("%s\n", error->message);
      return 1;
    }
  return 0;
}
