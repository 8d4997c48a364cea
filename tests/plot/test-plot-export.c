/* SPDX-License-Identifier: MIT */
/* test-plot-export.c — export never touches process-wide state: the umask is read by the
 * kernel when the file is created, never set by us (umask is per process, so setting it
 * races with every other thread creating files). The figure's permissions still follow the
 * umask, and exports from several threads at once all land whole.
 *
 * This program defines umask () itself: the plot library is linked statically into it, so
 * its calls come here and are counted. */
#include <glib.h>
#include <glib/gstdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "tg-plot.h"
#include "plot-samples.h"

static gint umask_calls;

mode_t
umask (mode_t mask)
{
  g_atomic_int_inc (&umask_calls);
  return (mode_t) syscall (SYS_umask, mask);
}

static char *tmp_dir;

static void
test_umask_untouched (void)
{
  TgBarsData d;
  sample_bars (&d, 5);
  const char *names[3] = { "fig.pdf", "fig.svg", "fig.png" };
  mode_t old = (mode_t) syscall (SYS_umask, 027);

  g_atomic_int_set (&umask_calls, 0);
  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *path = g_build_filename (tmp_dir, names[i], NULL);
      g_assert_true (tg_plot_export (path, 320, 200, (TgPlotFunc) tg_plot_bars, &d, NULL,
                                     &error));
      g_assert_no_error (error);
      GStatBuf sb;
      g_assert_cmpint (g_stat (path, &sb), ==, 0);
      /* 0644 less the umask's 027. */
      g_assert_cmpint (sb.st_mode & 0777, ==, 0640);
    }
  g_assert_cmpint (g_atomic_int_get (&umask_calls), ==, 0);
  syscall (SYS_umask, old);
}

/* A PNG at a chosen dpi has the page's size in points times dpi / 72 in pixels, the same
 * figure drawn scaled; without a dpi, one pixel per point as before. */
static void
test_png_dpi (void)
{
  TgBarsData d;
  sample_bars (&d, 5);
  const double dpis[] = { 0, 150, 300 };
  const int widths[] = { 320, 667, 1334 }, heights[] = { 200, 417, 834 };
  for (guint i = 0; i < G_N_ELEMENTS (dpis); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *path = g_build_filename (tmp_dir, "dpi.png", NULL);
      TgPlotStyle st;
      tg_plot_style_init_light (&st);
      st.png_dpi = dpis[i];
      g_assert_true (tg_plot_export (path, 320, 200, (TgPlotFunc) tg_plot_bars, &d, &st,
                                     &error));
      g_assert_no_error (error);
      cairo_surface_t *png = cairo_image_surface_create_from_png (path);
      g_assert_cmpint (cairo_surface_status (png), ==, CAIRO_STATUS_SUCCESS);
      g_assert_cmpint (cairo_image_surface_get_width (png), ==, widths[i]);
      g_assert_cmpint (cairo_image_surface_get_height (png), ==, heights[i]);
      cairo_surface_destroy (png);
    }
  /* more pixels than a PNG may have is refused, naming the file */
  g_autoptr(GError) error = NULL;
  g_autofree char *big = g_build_filename (tmp_dir, "big.png", NULL);
  TgPlotStyle st;
  tg_plot_style_init_light (&st);
  st.png_dpi = 2400;
  g_assert_false (tg_plot_export (big, 320, 200, (TgPlotFunc) tg_plot_bars, &d, &st, &error));
  g_assert_error (error, TG_ERROR, TG_ERROR_INVALID);
  g_assert_false (g_file_test (big, G_FILE_TEST_EXISTS));
}

typedef struct {
  guint index;
  gboolean ok;
} Job;

static gpointer
export_thread (gpointer user_data)
{
  Job *job = user_data;
  TgCurvesData d;
  sample_curves (&d, 0.6, FALSE);
  job->ok = TRUE;
  for (guint i = 0; i < 4 && job->ok; i++)
    {
      g_autofree char *file = g_strdup_printf ("thread-%u-%u.pdf", job->index, i);
      g_autofree char *path = g_build_filename (tmp_dir, file, NULL);
      job->ok = tg_plot_export (path, 400, 300, (TgPlotFunc) tg_plot_curves, &d, NULL, NULL);
    }
  return NULL;
}

static void
test_threads (void)
{
  Job jobs[4];
  GThread *threads[4];
  for (guint i = 0; i < 4; i++)
    {
      jobs[i] = (Job) { i, FALSE };
      threads[i] = g_thread_new ("export", export_thread, &jobs[i]);
    }
  for (guint i = 0; i < 4; i++)
    {
      g_thread_join (threads[i]);
      g_assert_true (jobs[i].ok);
      for (guint k = 0; k < 4; k++)
        {
          g_autofree char *file = g_strdup_printf ("thread-%u-%u.pdf", i, k);
          g_autofree char *path = g_build_filename (tmp_dir, file, NULL);
          g_autofree char *buf = NULL;
          gsize len = 0;
          g_assert_true (g_file_get_contents (path, &buf, &len, NULL));
          g_assert_true (g_str_has_prefix (buf, "%PDF-"));
          g_assert_nonnull (g_strstr_len (buf + len - MIN (len, 32), MIN (len, 32), "%%EOF"));
        }
    }
}

int
main (int argc, char **argv)
{
  g_autoptr(GError) error = NULL;

  g_test_init (&argc, &argv, NULL);
  tmp_dir = g_dir_make_tmp ("test-plot-export-XXXXXX", &error);
  g_assert_no_error (error);
  g_test_add_func ("/plot/export/umask-untouched", test_umask_untouched);
  g_test_add_func ("/plot/export/threads", test_threads);
  g_test_add_func ("/plot/export/png-dpi", test_png_dpi);
  int ret = g_test_run ();

  g_autoptr(GDir) dir = g_dir_open (tmp_dir, 0, NULL);
  const char *name;
  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (tmp_dir, name, NULL);
      g_remove (child);
    }
  g_rmdir (tmp_dir);
  g_free (tmp_dir);
  return ret;
}
