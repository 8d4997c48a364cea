/* SPDX-License-Identifier: MIT */
/* bench-studio.c — responsiveness while training: the lateness of a 10 ms main-loop timer
 * (p50, p99) with the window open, a run under way and the views switching (and the unit
 * inspector open, live and scrubbed), and the draw time of each view's figure. Prints one line per figure; run as a meson benchmark. */
#include <gtk/gtk.h>
#include <math.h>
#include <stdlib.h>

#include "studio-window-private.h"
#include "studio-scrubber.h"
#include "studio-view.h"
#include "studio-resources.h"

#define TICK_US 10000

static GArray *lateness;  /* double, ms */
static gint64 last_tick;

static gboolean
tick_cb (gpointer data)
{
  gint64 now = g_get_monotonic_time ();
  if (last_tick > 0)
    {
      double late = (now - last_tick - TICK_US) / 1000.0;
      g_array_append_val (lateness, late);
    }
  last_tick = now;
  return G_SOURCE_CONTINUE;
}

static int
cmp_double (const void *a, const void *b)
{
  double x = *(const double *) a, y = *(const double *) b;
  return x < y ? -1 : x > y;
}

static double
percentile (GArray *v, double p)
{
  if (v->len == 0)
    return NAN;
  qsort (v->data, v->len, sizeof (double), cmp_double);
  guint i = (guint) MIN (v->len - 1, floor (p * (v->len - 1) + 0.5));
  return g_array_index (v, double, i);
}

int
main (int argc, char *argv[])
{
  double seconds = argc > 1 ? g_ascii_strtod (argv[1], NULL) : 12.0;
  const char *dir = g_getenv ("TG_MNIST_DIR");
  StudioConfig cfg;

  g_setenv ("GTK_A11Y", "none", TRUE);
  /* Under Xvfb the GL renderer is Mesa's software rasteriser, whose frames take 50-100 ms of
   * the main thread: that would measure the emulator, not the app. */
  g_setenv ("GSK_RENDERER", "cairo", FALSE);
  gtk_init ();
  studio_ensure_resources ();
  if (dir == NULL || !g_file_test (dir, G_FILE_TEST_IS_DIR))
    {
      g_printerr ("TG_MNIST_DIR does not name the MNIST folder\n");
      return 77;
    }

  studio_config_init_paper (&cfg);
  cfg.data_dir = g_strdup (dir);
  cfg.adapt_epochs = 40; /* long enough to measure for the whole interval, every pass */
  StudioWindow *win = studio_window_new (NULL, &cfg);
  studio_config_clear (&cfg);
  gtk_window_set_default_size (GTK_WINDOW (win), 1400, 900);
  gtk_window_present (GTK_WINDOW (win));
  studio_window_train (win);

  /* wait until the data are loaded and steps are coming */
  gint64 t_end = g_get_monotonic_time () + 60 * G_TIME_SPAN_SECOND;
  while (g_get_monotonic_time () < t_end)
    {
      StudioSnapshot *st = studio_history_get_status (studio_window_get_history (win));
      if (st != NULL && st->step > 5)
        break;
      g_main_context_iteration (NULL, TRUE);
    }

  const char *const *names = studio_window_view_names ();
  guint n_views = g_strv_length ((char **) names);
  StudioSnapshot *st = NULL;

  guint inspector = 0;
  while (names[inspector] != NULL && g_strcmp0 (names[inspector], "inspector") != 0)
    inspector++;
  static const char *const pass_names[] = {
    "views left open", "switching views every second", "the unit inspector left open",
    "the unit inspector open, scrubbed to another step every 250 ms",
  };
  StudioHistory *history = studio_window_get_history (win);
  StudioScrubber *scrubber = win->scrubber;

  /* first with each view left open in turn (what a user watching sees), then switching
   * views every second (the switch itself relayouts and draws a new figure), then the unit
   * inspector open throughout (it measures its unit again on every new model copy), then
   * the same while the scrubber rewinds it to a recorded step four times a second (each
   * one measured at once, off the main loop, on the model of that step) */
  for (int pass = 0; pass < 4; pass++)
    {
      lateness = g_array_new (FALSE, FALSE, sizeof (double));
      last_tick = 0;
      guint timer = g_timeout_add (TICK_US / 1000, tick_cb, NULL);
      gint64 start = g_get_monotonic_time ();
      gint64 end = start + (gint64) (seconds / 2 * G_TIME_SPAN_SECOND);
      guint shown = G_MAXUINT;
      gint64 scrubbed = -1;
      while (g_get_monotonic_time () < end && studio_trainer_is_busy (studio_window_get_trainer (win)))
        {
          gint64 t = g_get_monotonic_time () - start;
          guint want = pass == 0 ? (guint) (t * n_views / (end - start)) % n_views
                     : pass == 1 ? (guint) (t / G_TIME_SPAN_SECOND) % n_views
                     : inspector;
          if (want != shown)
            {
              studio_window_show_view (win, names[want]);
              shown = want;
              if (pass == 0)
                last_tick = 0; /* leave the switch out of the steady-state figure */
            }
          guint n_times = studio_history_get_n_times (history);
          gint64 quarter = t / (G_TIME_SPAN_SECOND / 4);
          if (pass == 3 && n_times > 1 && quarter != scrubbed)
            {
              /* a pseudo-random earlier record, the same sequence every run */
              guint i = (guint) ((quarter * 2654435761u) % (n_times - 1));
              studio_scrubber_set_step (scrubber,
                                        (gint64) studio_history_get_time_step (history, i));
              scrubbed = quarter;
            }
          g_main_context_iteration (NULL, TRUE);
        }
      if (pass == 3)
        studio_scrubber_set_step (scrubber, -1);
      g_source_remove (timer);
      st = studio_history_get_status (studio_window_get_history (win));
      double p50 = percentile (lateness, 0.50), p99 = percentile (lateness, 0.99);
      double worst = percentile (lateness, 1.0);
      g_print ("timer 10 ms while training, %s: %u ticks, lateness p50 %.2f ms, p99 %.2f ms, "
               "max %.2f ms (step %" G_GUINT64_FORMAT ", %.0f samples/s)\n",
               pass_names[pass],
               lateness->len, p50, p99, worst, st != NULL ? st->step : 0,
               st != NULL ? st->samples_per_sec : 0.0);
      g_array_unref (lateness);
    }

  /* draw time of each figure at a typical window size, with the run's data */
  TgPlotStyle style;
  tg_plot_style_init_light (&style);
  cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, 1100, 760);
  for (guint v = 0; names[v] != NULL; v++)
    {
      GtkWidget *view = studio_window_get_view (win, names[v]);
      GArray *times = g_array_new (FALSE, FALSE, sizeof (double));
      for (int i = 0; i < 30; i++)
        {
          cairo_t *cr = cairo_create (surface);
          gint64 t0 = g_get_monotonic_time ();
          studio_view_draw_figure (STUDIO_VIEW (view), cr, 1100, 760, &style, FALSE);
          cairo_surface_flush (surface);
          double ms = (g_get_monotonic_time () - t0) / 1000.0;
          cairo_destroy (cr);
          g_array_append_val (times, ms);
        }
      g_print ("draw %-8s median %.2f ms, max %.2f ms\n", names[v], percentile (times, 0.5),
               percentile (times, 1.0));
      g_array_unref (times);
    }
  cairo_surface_destroy (surface);

  studio_window_stop (win);
  gtk_window_destroy (GTK_WINDOW (win));
  return 0;
}
