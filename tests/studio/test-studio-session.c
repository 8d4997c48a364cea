/* SPDX-License-Identifier: MIT */
/* test-studio-session.c — sessions in the studio under xvfb-run, on a small subset of MNIST.
 *
 * A short run is trained (λ moved while it runs, so the curves carry a marker), the session
 * saved and opened in a new window: every view's CSV, the settings, the modes and the status
 * line are the same before and after. A window closed with unsaved runs keeps them in the
 * autosave folder, the next window offers them back and restores them, Discard removes them
 * (XDG_DATA_HOME is the program's own folder, studio-test-util.c); an autosave left aside by
 * a save killed half-way is found again. A broken session.json is refused with a
 * message naming the file. Reset still asks before discarding runs. */
#include <gtk/gtk.h>
#include <glib/gstdio.h>
#include <stdlib.h>
#include <string.h>
#include <math.h>

#include "studio-test-util.h"
#include "studio-history.h"
#include "studio-inspector-view.h"
#include "studio-view.h"
#include "tg-report.h"
#include "tg-session.h"

static char *tmp_dir;

static gboolean
settled (StudioWindow *win, gpointer data)
{
  StudioInspectorView *insp = STUDIO_INSPECTOR_VIEW (studio_window_get_view (win, "inspector"));
  return is_idle (win, NULL) && !studio_window_is_measuring (win) &&
         !studio_inspector_view_is_busy (insp);
}

/* Every view's CSV (NULL for a view without one), in studio_window_view_names () order. */
static GPtrArray *
view_csvs (StudioWindow *win)
{
  GPtrArray *csvs = g_ptr_array_new_with_free_func (g_free);
  const char *const *names = studio_window_view_names ();

  spin (200);
  wait_for (win, settled, NULL, "the views to settle");
  for (guint i = 0; names[i] != NULL; i++)
    g_ptr_array_add (csvs, studio_view_dup_csv (STUDIO_VIEW (studio_window_get_view (win, names[i]))));
  return csvs;
}

/* min_rows: how many views at least hold rows of numbers */
static void
assert_same_csvs (GPtrArray *a, GPtrArray *b, guint min_rows)
{
  const char *const *names = studio_window_view_names ();
  guint with_data = 0;

  g_assert_cmpuint (a->len, ==, b->len);
  for (guint i = 0; i < a->len; i++)
    {
      g_test_message ("view %s: %zu bytes of CSV", names[i],
                      a->pdata[i] != NULL ? strlen (a->pdata[i]) : 0);
      if (g_strcmp0 (a->pdata[i], b->pdata[i]) != 0 && a->pdata[i] != NULL && b->pdata[i] != NULL)
        {
          /* say where: the first line that differs, not two whole CSVs */
          g_auto (GStrv) la = g_strsplit (a->pdata[i], "\n", -1);
          g_auto (GStrv) lb = g_strsplit (b->pdata[i], "\n", -1);
          guint k = 0;
          while (la[k] != NULL && lb[k] != NULL && strcmp (la[k], lb[k]) == 0)
            k++;
          g_test_message ("view %s differs at line %u: \"%s\" before, \"%s\" after", names[i],
                          k + 1, la[k] ? la[k] : "(end)", lb[k] ? lb[k] : "(end)");
          g_test_fail ();
          return;
        }
      g_assert_cmpstr (a->pdata[i], ==, b->pdata[i]);
      with_data += a->pdata[i] != NULL && strchr (strchr (a->pdata[i], '\n') + 1, '\n') != NULL;
    }
  g_assert_cmpuint (with_data, >=, min_rows);
}

/* A short finished run (2 + 1 epochs of 2048 images) with a λ marker. */
static StudioWindow *
trained_window (guint64 seed)
{
  StudioConfig cfg;
  small_config (&cfg);
  cfg.adapt_epochs = 1;
  cfg.seed = seed;
  StudioWindow *win = new_window (&cfg);
  studio_config_clear (&cfg);
  g_assert_true (studio_window_train (win));
  wait_for (win, any_snapshot, NULL, "a snapshot");
  studio_window_set_lambda (win, 0.1);
  wait_for (win, run_finished, NULL, "the run");
  return win;
}

static char *
status_text (StudioWindow *win)
{
  return studio_snapshot_format_status (studio_history_get_status (studio_window_get_history (win)));
}

static void
test_save_and_reopen (void)
{
  g_autofree char *dir = g_build_filename (tmp_dir, "saved", NULL);
  g_autoptr (GError) error = NULL;
  StudioWindow *a = trained_window (4);
  StudioWindow *b;
  StudioConfig ca, cb;
  g_autoptr (GPtrArray) before = NULL;
  g_autoptr (GPtrArray) after = NULL;
  g_autofree char *status_a = NULL, *status_b = NULL;

  const StudioRun *run = current_run (a);
  g_assert_nonnull (run);
  g_assert_cmpuint (run->markers->len, >=, 1);
  g_assert_true (studio_history_get_unsaved (studio_window_get_history (a)));
  before = view_csvs (a);
  status_a = status_text (a);
  g_assert_true (studio_window_save_session (a, dir, &error));
  g_assert_no_error (error);
  g_assert_false (studio_history_get_unsaved (studio_window_get_history (a)));

  /* a new window with other settings: the session's replace them */
  StudioConfig other;
  small_config (&other);
  other.seed = 99;
  other.angle = 30;
  b = new_window (&other);
  studio_config_clear (&other);
  g_autofree char *json = g_build_filename (dir, "session.json", NULL);
  const char *paths[] = { json, NULL };  /* the session.json opens its folder */
  g_assert_true (studio_window_open_paths (b, paths));
  after = view_csvs (b);
  assert_same_csvs (before, after, 3);  /* curves, neurons, dynamics at least */
  status_b = status_text (b);
  g_assert_cmpstr (status_a, ==, status_b);

  const StudioRun *ra = current_run (a), *rb = current_run (b);
  g_assert_cmpstr (ra->name, ==, rb->name);
  g_assert_cmpuint (ra->markers->len, ==, rb->markers->len);
  g_assert_cmpstr (g_array_index (ra->markers, StudioMarker, 0).label, ==,
                   g_array_index (rb->markers, StudioMarker, 0).label);
  g_assert_false (studio_history_get_unsaved (studio_window_get_history (b)));

  studio_config_init_paper (&ca);
  studio_config_init_paper (&cb);
  studio_settings_panel_collect (a->settings_panel, &ca);
  studio_settings_panel_collect (b->settings_panel, &cb);
  g_assert_cmpuint (cb.seed, ==, 4);
  g_assert_cmpfloat (cb.angle, ==, ca.angle);
  g_assert_cmpfloat (cb.lambda, ==, ca.lambda);
  g_assert_cmpuint (cb.train_limit, ==, ca.train_limit);
  studio_config_clear (&ca);
  studio_config_clear (&cb);

  TgModes *ma = studio_window_get_modes (a), *mb = studio_window_get_modes (b);
  g_assert_nonnull (ma);
  g_assert_nonnull (mb);
  g_assert_cmpuint (tg_modes_count (ma), ==, tg_modes_count (mb));
  g_assert_cmpstr (ma->digest, ==, mb->digest);
  for (guint i = 0; i < tg_modes_count (ma); i++)
    g_assert_cmpstr (tg_modes_get (ma, i)->name, ==, tg_modes_get (mb, i)->name);

  /* a run trained after the restore is a new run, not more points of the restored one */
  guint n = studio_history_get_n_runs (studio_window_get_history (b));
  studio_window_train (b);
  wait_for (b, any_snapshot, NULL, "a snapshot");
  wait_for (b, run_finished, NULL, "the run after the restore");
  g_assert_cmpuint (studio_history_get_n_runs (studio_window_get_history (b)), ==, n + 1);
  g_assert_cmpuint (current_run (b)->id, >, ra->id);
  destroy_window (a);
  destroy_window (b);
}

/* A run of cfg (2 epochs of 2048 images and some steps more) and its losses while the foundation trained
 * (what the foundation's mix changes; the schedule of s changes the adaptation's). */
static StudioWindow *
trained_with (const StudioConfig *cfg, GArray **losses)
{
  StudioWindow *win = new_window (cfg);
  g_assert_true (studio_window_train (win));
  wait_for (win, run_finished, NULL, "the run");
  const StudioRun *run = current_run (win);
  *losses = g_array_new (FALSE, FALSE, sizeof (double));
  for (guint i = 0; i < run->step->len; i++)
    if (g_array_index (run->step, double, i) <= run->foundation_steps)
      g_array_append_val (*losses, g_array_index (run->loss, double, i));
  g_assert_cmpuint ((*losses)->len, >, 4);
  return win;
}

static gboolean
same_losses (GArray *a, GArray *b)
{
  return a->len == b->len && memcmp (a->data, b->data, a->len * sizeof (double)) == 0;
}

/* The foundation's mix and the schedule of s are settings of the next run: typed, used by
 * the trainer ("0, 45" is the paper's mix and trains the same; "0" another foundation),
 * named in the run's label, and kept by the session. */
static void
test_foundation_mix (void)
{
  g_autofree char *dir = g_build_filename (tmp_dir, "mix", NULL);
  g_autoptr (GError) error = NULL;
  g_autoptr (GArray) paper = NULL, explicit = NULL, zero = NULL;
  StudioConfig cfg, back;

  small_config (&cfg);
  cfg.adapt_epochs = 1;
  cfg.max_steps = 20;  /* the foundation's 16 steps and a few of the adaptation */
  StudioWindow *a = trained_with (&cfg, &paper);
  g_assert_null (strstr (current_run (a)->name, "foundation"));

  /* typed as a user would */
  StudioWindow *b = new_window (&cfg);
  g_assert_true (studio_settings_panel_type_foundation_angles (b->settings_panel, " 0 , 45 "));
  g_assert_false (studio_settings_panel_type_foundation_angles (b->settings_panel, "0, east"));
  studio_config_init_paper (&back);
  studio_settings_panel_collect (b->settings_panel, &back);
  g_assert_cmpuint (back.n_foundation_angles, ==, 2);
  g_assert_cmpfloat (back.foundation_angles[1], ==, 45);
  studio_config_clear (&back);
  g_assert_true (studio_settings_panel_type_foundation_angles (b->settings_panel, "0:90:45"));
  studio_settings_panel_collect (b->settings_panel, &back);
  g_assert_cmpuint (back.n_foundation_angles, ==, 3);
  studio_config_clear (&back);
  destroy_window (b);

  cfg.n_foundation_angles = 2;
  cfg.foundation_angles[0] = 0;
  cfg.foundation_angles[1] = 45;
  b = trained_with (&cfg, &explicit);
  g_assert_true (same_losses (paper, explicit));
  g_assert_null (strstr (current_run (b)->name, "foundation"));

  cfg.n_foundation_angles = 1;
  cfg.anneal_sharpness = TRUE;
  StudioWindow *c = trained_with (&cfg, &zero);
  studio_config_clear (&cfg);
  g_assert_false (same_losses (paper, zero));
  g_test_message ("run: %s; settings: %s", current_run (c)->name, current_run (c)->settings);
  g_assert_nonnull (strstr (current_run (c)->name, "foundation 0°"));
  g_assert_nonnull (strstr (current_run (c)->settings, "foundation on 0°, s annealed (HAT)"));

  g_assert_true (studio_window_save_session (c, dir, &error));
  g_assert_no_error (error);
  StudioWindow *d = new_window (NULL);
  const char *paths[] = { dir, NULL };
  g_assert_true (studio_window_open_paths (d, paths));
  studio_config_init_paper (&back);
  studio_settings_panel_collect (d->settings_panel, &back);
  g_assert_cmpuint (back.n_foundation_angles, ==, 1);
  g_assert_cmpfloat (back.foundation_angles[0], ==, 0);
  g_assert_true (back.anneal_sharpness);
  studio_config_clear (&back);
  g_assert_cmpstr (current_run (d)->name, ==, current_run (c)->name);
  destroy_window (a);
  destroy_window (b);
  destroy_window (c);
  destroy_window (d);
}

static gboolean
results_done (StudioWindow *win, gpointer data)
{
  StudioHistory *h = studio_window_get_history (win);
  return studio_history_get_experiment (h) != NULL && studio_history_get_sweep (h) != NULL &&
         studio_history_get_overlap (h) != NULL && is_idle (win, NULL);
}

/* The paper comparison, the λ sweep and the overlap come back as they were: results.csv and
 * sweep.csv the same bytes, and every view's CSV. */
static void
test_results_reopen (void)
{
  g_autofree char *dir = g_build_filename (tmp_dir, "results", NULL);
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) before = NULL;
  g_autoptr (GPtrArray) after = NULL;
  StudioConfig cfg;

  small_config (&cfg);
  cfg.adapt_epochs = 1;
  cfg.seeds = 1;
  cfg.n_sweep_lambdas = 2;
  cfg.sweep_lambdas[0] = 0;
  cfg.sweep_lambdas[1] = 0.3;
  StudioWindow *a = new_window (&cfg);
  studio_config_clear (&cfg);
  studio_window_queue_job (a, STUDIO_JOB_EXPERIMENT);
  studio_window_queue_job (a, STUDIO_JOB_SWEEP);
  studio_window_queue_job (a, STUDIO_JOB_OVERLAP);
  wait_for (a, results_done, NULL, "the comparison, the sweep and the overlap");
  before = view_csvs (a);
  g_assert_true (studio_window_save_session (a, dir, &error));
  g_assert_no_error (error);

  StudioWindow *b = new_window (NULL);
  const char *paths[] = { dir, NULL };
  gboolean opened = studio_window_open_paths (b, paths);
  g_assert_cmpstr (opened ? NULL : studio_window_get_banner (b), ==, NULL);
  after = view_csvs (b);
  assert_same_csvs (before, after, 2);  /* overlap, sparsity */
  StudioHistory *ha = studio_window_get_history (a), *hb = studio_window_get_history (b);
  g_autofree char *ra = tg_report_csv (studio_history_get_experiment (ha));
  g_autofree char *rb = tg_report_csv (studio_history_get_experiment (hb));
  g_assert_cmpstr (ra, ==, rb);
  g_autofree char *sa = tg_sweep_csv (studio_history_get_sweep (ha));
  g_autofree char *sb = tg_sweep_csv (studio_history_get_sweep (hb));
  g_assert_cmpstr (sa, ==, sb);
  destroy_window (a);
  destroy_window (b);
}

static gboolean
has_autosave (void)
{
  g_autofree char *dir = studio_session_autosave_dir ();
  g_autofree char *json = g_build_filename (dir, "session.json", NULL);
  return g_file_test (json, G_FILE_TEST_IS_REGULAR);
}

static void
test_autosave_on_close (void)
{
  StudioWindow *a, *b, *c, *d;
  g_autoptr (GPtrArray) before = NULL;
  g_autoptr (GPtrArray) after = NULL;
  g_autofree char *dir = studio_session_autosave_dir ();
  g_autofree char *json = g_build_filename (dir, "session.json", NULL);
  GStatBuf st0, st1;

  g_assert_false (has_autosave ());
  /* no bar without an autosave */
  a = new_window (NULL);
  g_assert_null (studio_window_get_session_bar (a));
  destroy_window (a);

  a = trained_window (2);
  before = view_csvs (a);
  g_object_add_weak_pointer (G_OBJECT (a), (gpointer *) &a);
  gtk_window_close (GTK_WINDOW (a));
  wait_until (pointer_cleared, &a, WAIT_TIMEOUT_S, "the closed window to go");
  g_assert_true (has_autosave ());

  b = new_window (NULL);
  g_assert_nonnull (studio_window_get_session_bar (b));
  /* with the offer shown, the window still fits a 1280 x 720 screen (as test-studio-defects
   * checks without it) */
  {
    int min_w, min_h;
    spin (100);
    gtk_widget_measure (GTK_WIDGET (b), GTK_ORIENTATION_HORIZONTAL, -1, &min_w, NULL, NULL, NULL);
    gtk_widget_measure (GTK_WIDGET (b), GTK_ORIENTATION_VERTICAL, min_w, &min_h, NULL, NULL, NULL);
    g_test_message ("minimum size with the offer %d x %d", min_w, min_h);
    g_assert_cmpint (min_w, <=, 1280);
    g_assert_cmpint (min_h, <=, 720);
  }
  studio_window_session_bar_respond (b, TRUE);
  g_assert_null (studio_window_get_session_bar (b));
  after = view_csvs (b);
  assert_same_csvs (before, after, 3);
  g_assert_cmpuint (studio_history_get_n_runs (studio_window_get_history (b)), ==, 1);

  /* restored runs count as saved: closing again writes nothing */
  g_assert_cmpint (g_stat (json, &st0), ==, 0);
  g_usleep (20000);
  g_object_add_weak_pointer (G_OBJECT (b), (gpointer *) &b);
  gtk_window_close (GTK_WINDOW (b));
  wait_until (pointer_cleared, &b, WAIT_TIMEOUT_S, "the closed window to go");
  g_assert_cmpint (g_stat (json, &st1), ==, 0);
  g_assert_cmpint (st0.st_mtim.tv_nsec, ==, st1.st_mtim.tv_nsec);
  g_assert_cmpint (st0.st_ino, ==, st1.st_ino);

  /* still offered until discarded */
  c = new_window (NULL);
  g_assert_nonnull (studio_window_get_session_bar (c));
  studio_window_session_bar_respond (c, FALSE);
  g_assert_false (has_autosave ());
  g_assert_cmpuint (studio_history_get_n_runs (studio_window_get_history (c)), ==, 0);
  destroy_window (c);
  d = new_window (NULL);
  g_assert_null (studio_window_get_session_bar (d));
  destroy_window (d);
}

/* A window that did not restore the autosave, closed with runs of its own, keeps the older
 * autosave beside the new one (autosave-DATE), openable as a session: nothing is lost. */
static void
test_autosave_keeps_older (void)
{
  g_autofree char *dir = studio_session_autosave_dir ();
  g_autofree char *parent = g_path_get_dirname (dir);
  g_autofree char *older = NULL;
  g_autoptr (GDir) d = NULL;
  g_autoptr (TgSession) kept = NULL;
  g_autoptr (TgSession) now = NULL;
  g_autoptr (GError) error = NULL;
  const char *name;
  StudioWindow *a, *b;

  g_assert_false (has_autosave ());
  a = trained_window (5);
  g_object_add_weak_pointer (G_OBJECT (a), (gpointer *) &a);
  gtk_window_close (GTK_WINDOW (a));
  wait_until (pointer_cleared, &a, WAIT_TIMEOUT_S, "the closed window to go");
  g_assert_true (has_autosave ());

  b = trained_window (6);
  g_assert_nonnull (studio_window_get_session_bar (b));  /* offered, not taken */
  g_object_add_weak_pointer (G_OBJECT (b), (gpointer *) &b);
  gtk_window_close (GTK_WINDOW (b));
  wait_until (pointer_cleared, &b, WAIT_TIMEOUT_S, "the closed window to go");

  d = g_dir_open (parent, 0, NULL);
  while ((name = g_dir_read_name (d)) != NULL)
    if (g_str_has_prefix (name, "autosave-"))
      older = g_build_filename (parent, name, NULL);
  g_assert_nonnull (older);
  kept = tg_session_load (older, &error);
  g_assert_no_error (error);
  now = tg_session_load (dir, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (kept->runs->len, ==, 1);
  g_assert_cmpuint (now->runs->len, ==, 1);
  g_assert_cmpint (json_object_get_int_member (((TgSessionRun *) kept->runs->pdata[0])->info, "seed"), ==, 5);
  g_assert_cmpint (json_object_get_int_member (((TgSessionRun *) now->runs->pdata[0])->info, "seed"), ==, 6);
  g_assert_true (tg_session_remove (older, NULL));
  g_assert_true (tg_session_remove (dir, NULL));
}

/* A window killed while it wrote its autosave, between the old autosave stepping aside and
 * the new one taking its name (as on a file system without the folders' exchange), leaves
 * .autosave.old-* and .autosave.saving-* and no autosave: the next window finds the autosave
 * put back and offers it, and nothing of the killed save stays beside it. */
static void
test_autosave_after_killed_save (void)
{
  g_autofree char *dir = studio_session_autosave_dir ();
  g_autofree char *parent = g_path_get_dirname (dir);
  g_autofree char *aside = g_build_filename (parent, ".autosave.old-K1LLED", NULL);
  g_autofree char *staged = g_build_filename (parent, ".autosave.saving-K1LLED", NULL);
  g_autofree char *half = g_build_filename (staged, "session.json", NULL);
  g_autoptr (GDir) d = NULL;
  const char *name;
  StudioWindow *a, *b;
  gint64 give_up;

  g_assert_false (has_autosave ());
  a = trained_window (7);
  g_object_add_weak_pointer (G_OBJECT (a), (gpointer *) &a);
  gtk_window_close (GTK_WINDOW (a));
  give_up = g_get_monotonic_time () + 30 * G_USEC_PER_SEC;
  while (a != NULL && g_get_monotonic_time () < give_up)
    g_main_context_iteration (NULL, FALSE);
  g_assert_null (a);
  g_assert_true (has_autosave ());

  g_assert_cmpint (g_rename (dir, aside), ==, 0);
  g_assert_cmpint (g_mkdir (staged, 0700), ==, 0);
  g_assert_true (g_file_set_contents (half, "{\"format\": \"taugate-ses", -1, NULL));

  b = new_window (NULL);
  g_assert_nonnull (studio_window_get_session_bar (b));
  studio_window_session_bar_respond (b, TRUE);
  g_assert_cmpuint (studio_history_get_n_runs (studio_window_get_history (b)), ==, 1);
  d = g_dir_open (parent, 0, NULL);
  while ((name = g_dir_read_name (d)) != NULL)
    g_assert_false (g_str_has_prefix (name, ".autosave."));
  destroy_window (b);
  g_assert_true (tg_session_remove (dir, NULL));
}

static gboolean
window_gone (StudioWindow *unused, gpointer data)
{
  return *(StudioWindow **) data == NULL;
}

/* A window closed by --quit-after-steps or --screenshot is automation: no autosave. */
static void
test_no_autosave_for_automation (void)
{
  StudioConfig cfg;
  StudioWindow *win;

  g_assert_false (has_autosave ());
  small_config (&cfg);
  cfg.adapt_epochs = 1;
  win = new_window (&cfg);
  studio_config_clear (&cfg);
  studio_window_schedule_screenshot (win, 10, NULL, NULL);
  g_object_add_weak_pointer (G_OBJECT (win), (gpointer *) &win);
  g_assert_true (studio_window_train (win));
  wait_for (NULL, window_gone, &win, "the window to close itself");
  g_assert_false (has_autosave ());
}

static void
test_broken_session_refused (void)
{
  g_autofree char *dir = g_build_filename (tmp_dir, "broken", NULL);
  g_autofree char *json = g_build_filename (dir, "session.json", NULL);
  StudioWindow *win = new_window (NULL);

  g_assert_cmpint (g_mkdir_with_parents (dir, 0755), ==, 0);
  g_assert_true (g_file_set_contents (json, "{ \"format\": \"taugate-session\", \"version\": ", -1,
                                      NULL));
  const char *paths[] = { dir, NULL };
  g_assert_false (studio_window_open_paths (win, paths));
  g_assert_nonnull (studio_window_get_banner (win));
  g_test_message ("banner: %s", studio_window_get_banner (win));
  g_assert_nonnull (strstr (studio_window_get_banner (win), json));
  g_assert_cmpuint (studio_history_get_n_runs (studio_window_get_history (win)), ==, 0);
  destroy_window (win);
}

/* session.json nested 200000 deep behind a comment holding a quote, which hid the brackets
 * from the reader's old depth scan: json-glib overflowed the stack and the studio died
 * (SIGSEGV). Now the strict JSON gate refuses it in the banner, in a line. */
static void
test_deep_session_refused (void)
{
  g_autofree char *dir = g_build_filename (tmp_dir, "deep", NULL);
  g_autofree char *json = g_build_filename (dir, "session.json", NULL);
  GString *text = g_string_new ("{\"format\": /* \" */ \"taugate-session\", \"deep\": ");
  StudioWindow *win = new_window (NULL);

  for (guint i = 0; i < 200000; i++)
    g_string_append_c (text, '[');
  for (guint i = 0; i < 200000; i++)
    g_string_append_c (text, ']');
  g_string_append_c (text, '}');
  g_assert_cmpint (g_mkdir_with_parents (dir, 0755), ==, 0);
  g_assert_true (g_file_set_contents (json, text->str, (gssize) text->len, NULL));
  g_string_free (text, TRUE);
  const char *paths[] = { dir, NULL };
  g_assert_false (studio_window_open_paths (win, paths));
  g_assert_nonnull (studio_window_get_banner (win));
  g_test_message ("banner: %s", studio_window_get_banner (win));
  g_assert_nonnull (strstr (studio_window_get_banner (win), json));
  g_assert_nonnull (strstr (studio_window_get_banner (win), "strict JSON"));
  g_assert_cmpuint (strlen (studio_window_get_banner (win)), <, strlen (json) + 200);
  destroy_window (win);
}

/* A session whose view holds only part of a snapshot's arrays (here one of the four firing
 * rates), or arrays of another width than its model's, is refused, not drawn from. */
static void
test_partial_view_refused (void)
{
  g_autofree char *whole = g_build_filename (tmp_dir, "whole", NULL);
  g_autoptr (GError) error = NULL;
  StudioWindow *a = trained_window (6);
  g_assert_true (studio_window_save_session (a, whole, &error));
  g_assert_no_error (error);
  destroy_window (a);

  const char *drop[] = { "params.firing0_soft", "params.gamma", "params.gates_target" };
  for (guint k = 0; k < G_N_ELEMENTS (drop); k++)
    {
      g_autoptr (TgSession) s = tg_session_load (whole, &error);
      g_assert_no_error (error);
      guint before = s->view_tensors->len;
      for (guint i = 0; i < s->view_tensors->len; i++)
        if (strcmp (((TgSessionTensor *) g_ptr_array_index (s->view_tensors, i))->name,
                    drop[k]) == 0)
          g_ptr_array_remove_index (s->view_tensors, i--);
      g_assert_cmpuint (s->view_tensors->len, ==, before - 1);
      g_autofree char *name = g_strdup_printf ("partial-%u", k);
      g_autofree char *dir = g_build_filename (tmp_dir, name, NULL);
      g_assert_true (tg_session_save (s, dir, &error));
      g_assert_no_error (error);

      StudioWindow *win = new_window (NULL);
      const char *paths[] = { dir, NULL };
      g_assert_false (studio_window_open_paths (win, paths));
      g_test_message ("without %s: %s", drop[k], studio_window_get_banner (win));
      g_assert_nonnull (strstr (studio_window_get_banner (win), "view.safetensors"));
      g_assert_cmpuint (studio_history_get_n_runs (studio_window_get_history (win)), ==, 0);
      destroy_window (win);
    }
}

/* A run whose shown τ went non-finite (a diverged run) is still saved, and reopens: the
 * readers refuse such values, so that group of arrays is left out, not the whole session
 * (which an autosave on close would then lose). */
static void
test_non_finite_view_saved (void)
{
  g_autofree char *dir = g_build_filename (tmp_dir, "non-finite", NULL);
  g_autoptr (GError) error = NULL;
  StudioWindow *a = trained_window (7);
  StudioSnapshot *params = studio_history_get_params (studio_window_get_history (a));
  g_assert_nonnull (params);
  g_assert_nonnull (params->tau);
  params->tau[0] = NAN;
  g_assert_true (studio_window_save_session (a, dir, &error));
  g_assert_no_error (error);
  destroy_window (a);

  StudioWindow *b = new_window (NULL);
  const char *paths[] = { dir, NULL };
  g_assert_true (studio_window_open_paths (b, paths));
  g_assert_cmpuint (studio_history_get_n_runs (studio_window_get_history (b)), >=, 1);
  destroy_window (b);
}

static void
test_reset_asks (void)
{
  g_autofree char *dir = g_build_filename (tmp_dir, "saved", NULL);
  StudioWindow *win = new_window (NULL);
  const char *paths[] = { dir, NULL };

  g_assert_true (studio_window_open_paths (win, paths));
  g_assert_cmpuint (studio_history_get_n_runs (studio_window_get_history (win)), >, 0);
  g_action_group_activate_action (G_ACTION_GROUP (win), "reset", NULL);
  wait_until (message_dialog_shown, NULL, WAIT_TIMEOUT_S, "Reset's question");
  GtkWindow *dialog = find_message_dialog ();
  g_assert_cmpuint (studio_history_get_n_runs (studio_window_get_history (win)), >, 0);
  gtk_dialog_response (GTK_DIALOG (dialog), GTK_RESPONSE_CANCEL);
  wait_until (no_message_dialog, NULL, WAIT_TIMEOUT_S, "the question to go");
  g_assert_cmpuint (studio_history_get_n_runs (studio_window_get_history (win)), >, 0);
  destroy_window (win);
}

int
main (int argc, char **argv)
{
  int skip;

  tmp_dir = g_dir_make_tmp ("test-studio-session-XXXXXX", NULL);
  /* studio_test_init points XDG_DATA_HOME at a folder of this program's own */
  if ((skip = studio_test_init (&argc, &argv)) != 0)
    return skip;
  g_assert_cmpstr (g_get_user_data_dir (), ==, g_getenv ("XDG_DATA_HOME"));
  g_assert_false (g_str_has_prefix (g_get_user_data_dir (), g_get_home_dir ()) &&
                  g_getenv ("G_TEST_BUILDDIR") == NULL);
  g_test_add_func ("/studio/session/save-and-reopen", test_save_and_reopen);
  g_test_add_func ("/studio/session/results-reopen", test_results_reopen);
  g_test_add_func ("/studio/session/foundation-mix", test_foundation_mix);
  g_test_add_func ("/studio/session/autosave-on-close", test_autosave_on_close);
  g_test_add_func ("/studio/session/autosave-keeps-older", test_autosave_keeps_older);
  g_test_add_func ("/studio/session/autosave-after-killed-save", test_autosave_after_killed_save);
  g_test_add_func ("/studio/session/no-autosave-for-automation", test_no_autosave_for_automation);
  g_test_add_func ("/studio/session/broken-refused", test_broken_session_refused);
  g_test_add_func ("/studio/session/deep-refused", test_deep_session_refused);
  g_test_add_func ("/studio/session/partial-view-refused", test_partial_view_refused);
  g_test_add_func ("/studio/session/non-finite-view-saved", test_non_finite_view_saved);
  g_test_add_func ("/studio/session/reset-asks", test_reset_asks);
  int status = g_test_run ();
  g_autofree char *rm = g_strdup_printf ("rm -rf '%s'", tmp_dir);
  if (system (rm) != 0)
    g_warning ("could not remove %s", tmp_dir);
  return status;
}
