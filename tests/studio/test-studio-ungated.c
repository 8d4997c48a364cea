/* SPDX-License-Identifier: MIT */
/* test-studio-ungated.c — a method without gates (LoRA, BitFit, Full) is shown as one: the
 * Neurons view draws no τ / γ heatmaps (they sit unused at 0 and 1) and says so, and the
 * Masks view calls its rates ReLU firing, not gates. Synthetic snapshots; needs a display. */
#include <gtk/gtk.h>
#include <glib/gstdio.h>
#include <string.h>

#include "studio-test-util.h"
#include "studio-neurons-view.h"
#include "studio-masks-view.h"

#define UNITS 8

static StudioSnapshot *
snapshot_of (TgMethod method)
{
  StudioSnapshot *snap = studio_snapshot_new ();
  snap->run_id = 1;
  snap->job = STUDIO_JOB_TRAIN;
  snap->phase = STUDIO_PHASE_ADAPTATION;
  snap->method = snap->run_method = method;
  snap->angle = 45.0;
  snap->settings = g_strdup ("test");
  snap->n_hidden = 2;
  snap->widths[0] = snap->widths[1] = UNITS;
  snap->hidden_units = 2 * UNITS;
  snap->tau = g_new0 (float, 2 * UNITS);
  snap->gamma = g_new (float, 2 * UNITS);
  for (guint i = 0; i < 2 * UNITS; i++)
    snap->gamma[i] = 1.0f;
  snap->has_masks = TRUE;
  snap->n_classes = 10;
  float **rates[] = { &snap->firing0_hard, &snap->firing_rot_hard, &snap->firing0_soft,
                      &snap->firing_rot_soft };
  for (guint k = 0; k < G_N_ELEMENTS (rates); k++)
    {
      *rates[k] = g_new (float, 10 * 2 * UNITS);
      for (guint i = 0; i < 10 * 2 * UNITS; i++)
        (*rates[k])[i] = (float) (i % 7) / 7.0f;
    }
  return snap;
}

static char *
pdf_text (StudioView *view, const char *name)
{
  g_autofree char *tool = g_find_program_in_path ("pdftotext");
  const char *builddir = g_getenv ("G_TEST_BUILDDIR") != NULL ? g_getenv ("G_TEST_BUILDDIR") : ".";
  g_autofree char *pdf = g_build_filename (builddir, name, NULL);
  g_autoptr (GError) error = NULL;
  char *out = NULL;

  g_assert_true (studio_view_export (view, pdf, 800, 520, &error));
  g_assert_no_error (error);
  if (tool == NULL)
    return NULL;
  const char *argv[] = { tool, "-q", pdf, "-", NULL };
  g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_DEFAULT, NULL, NULL, &out,
                               NULL, NULL, &error));
  g_assert_no_error (error);
  return out;
}

static void
test_ungated (void)
{
  g_autoptr (StudioHistory) history = studio_history_new ();
  GtkWidget *win = gtk_window_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  GtkWidget *neurons = studio_neurons_view_new ();
  GtkWidget *masks = studio_masks_view_new ();
  gtk_box_append (GTK_BOX (box), neurons);
  gtk_box_append (GTK_BOX (box), masks);
  gtk_window_set_child (GTK_WINDOW (win), box);
  studio_view_set_history (STUDIO_VIEW (neurons), history);
  studio_view_set_history (STUDIO_VIEW (masks), history);

  /* gated: τ and γ are drawn, a row per unit in the CSV */
  StudioSnapshot *gated = snapshot_of (TG_METHOD_TAUGATE);
  studio_history_add (history, gated);
  studio_snapshot_unref (gated);
  g_autofree char *csv_gated = studio_view_dup_csv (STUDIO_VIEW (neurons));
  g_assert_nonnull (strstr (csv_gated, "hidden 1"));

  TgMethod ungated[] = { TG_METHOD_LORA, TG_METHOD_BITFIT, TG_METHOD_FULL };
  for (guint i = 0; i < G_N_ELEMENTS (ungated); i++)
    {
      studio_history_clear (history);
      StudioSnapshot *snap = snapshot_of (ungated[i]);
      studio_history_add (history, snap);
      studio_snapshot_unref (snap);
      /* no heatmaps of unused parameters: the CSV has its header only */
      g_autofree char *csv = studio_view_dup_csv (STUDIO_VIEW (neurons));
      g_assert_null (strstr (csv, "hidden"));
      g_autofree char *ntext = pdf_text (STUDIO_VIEW (neurons), "studio-ungated-neurons.pdf");
      if (ntext != NULL)
        g_assert_nonnull (strstr (ntext, "no gates"));
      g_autofree char *mtext = pdf_text (STUDIO_VIEW (masks), "studio-ungated-masks.pdf");
      if (ntext != NULL)
        {
          g_assert_nonnull (strstr (mtext, "ReLU"));
          g_assert_null (strstr (mtext, "soft gates"));
          g_assert_null (strstr (mtext, "hard gates"));
        }
    }
  gtk_window_destroy (GTK_WINDOW (win));
}

int
main (int argc, char *argv[])
{
  int skip = studio_test_init (&argc, &argv);
  if (skip != 0)
    return skip;

  g_test_add_func ("/studio/ungated/no-gate-heatmaps", test_ungated);
  return g_test_run ();
}
