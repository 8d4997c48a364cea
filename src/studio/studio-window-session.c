/* studio-window-session.c — sessions in the window: File → Save Session (Ctrl+S), Save
 * Session As (Ctrl+Shift+S), Open Session (a session folder or its session.json, also through
 * File → Open, drag and drop and the command line), and the autosave: a window closed with
 * unsaved runs keeps them in g_get_user_data_dir()/taugate-studio/autosave without asking,
 * and the next window offers them back in a bar (Restore, Discard); Open Session over
 * unsaved runs keeps them there too, and says so. A session keeps the views' unit selection
 * (unit, order, ablation set), and opens without the modes whose adapter it cannot read,
 * naming them. The folder's layout is
 * tg-session.h; what goes in it, studio-session-state.h. */
#include "studio-window-private.h"

#include <glib/gi18n.h>

#include <errno.h>
#include <string.h>
#include <glib/gstdio.h>

#include "studio-ablation-panel.h"
#include "studio-angles-view.h"
#include "studio-inspector-view.h"
#include "studio-recent.h"
#include "studio-session-state.h"
#include "studio-view.h"
#include "studio-trainer.h"
#include "tg-session.h"

enum { RESPONSE_RESTORE = 1, RESPONSE_DISCARD = 2 };

char *
studio_session_autosave_dir (void)
{
  return g_build_filename (g_get_user_data_dir (), "taugate-studio", "autosave", NULL);
}

/* ---- the unit selection ------------------------------------------------------------------ */

/* The workspace's selection, which every view shows. */
static void
put_units (StudioWindow *self, TgSession *session)
{
  StudioSessionUnits units = { 0 };
  guint n = 0;
  const TgUnitEdit *edits = studio_workspace_get_edits (self->workspace, &n);

  units.has_unit = studio_workspace_get_selected_unit (self->workspace, &units.unit.layer,
                                                       &units.unit.index);
  units.order = studio_workspace_get_unit_order (self->workspace);
  units.edits = g_array_new (FALSE, FALSE, sizeof (TgUnitEdit));
  g_array_append_vals (units.edits, edits, n);
  studio_session_put_units (session, &units);
  studio_session_units_clear (&units);
}

/* TRUE when unit is one of the model's the views show (the restored snapshot's, else the
 * open foundation's); a session's file could name any. */
static gboolean
unit_fits (StudioWindow *self, TgUnitId unit)
{
  StudioSnapshot *snap = studio_history_get_params (self->history);

  if (snap != NULL && snap->n_hidden > 0)
    return unit.layer < snap->n_hidden && unit.index < snap->widths[unit.layer];
  if (studio_workspace_get_modes (self->workspace) != NULL)
    {
      const TgModel *f = studio_workspace_get_modes (self->workspace)->foundation;
      return unit.layer + 1 < f->n_linear && unit.index < f->dims[unit.layer + 1];
    }
  return FALSE;
}

/* The session's unit selection in every view; FALSE when some of it named units the model
 * does not have (that part is left out). */
static gboolean
take_units (StudioWindow *self, const StudioSessionUnits *units)
{
  g_autoptr (GArray) kept = g_array_new (FALSE, FALSE, sizeof (TgUnitEdit));
  gboolean fits = TRUE;

  if (units->has_unit && (fits = unit_fits (self, units->unit)))
    studio_workspace_select_unit (self->workspace, units->unit.layer, units->unit.index);
  studio_workspace_set_unit_order (self->workspace, units->order);
  for (guint i = 0; i < units->edits->len; i++)
    {
      const TgUnitEdit *e = &g_array_index (units->edits, TgUnitEdit, i);
      if (unit_fits (self, e->unit))
        g_array_append_val (kept, *e);
      else
        fits = FALSE;
    }
  studio_workspace_set_edits (self->workspace, (const TgUnitEdit *) kept->data, kept->len);
  return fits;
}

/* ---- saving ------------------------------------------------------------------------------ */

gboolean
studio_window_save_session (StudioWindow *self, const char *dir, GError **error)
{
  g_autoptr (TgSession) session = tg_session_new ();
  StudioConfig cfg;
  gboolean ok;

  studio_config_init_paper (&cfg);
  studio_settings_panel_collect (self->settings_panel, &cfg);
  cfg.method = (TgMethod) gtk_drop_down_get_selected (self->method_dropdown);
  studio_session_put_config (session, &cfg);
  studio_config_clear (&cfg);
  studio_session_put_history (session, self->history);
  put_units (self, session);
  /* the window's modes, lent for the write */
  session->modes = studio_workspace_get_modes (self->workspace);
  session->active_mode = studio_workspace_get_active_mode (self->workspace);
  ok = tg_session_save (session, dir, error);
  session->modes = NULL;
  if (ok)
    studio_history_mark_saved (self->history);
  return ok;
}

/* Saves to dir and says so in the banner; remembers dir for Ctrl+S. */
static void
save_and_tell (StudioWindow *self, const char *dir)
{
  g_autoptr (GError) error = NULL;

  if (!studio_window_save_session (self, dir, &error))
    {
      studio_window_show_banner (self, GTK_MESSAGE_ERROR, error->message);
      return;
    }
  if (self->session_path != dir)
    {
      g_free (self->session_path);
      self->session_path = g_strdup (dir);
    }
  studio_recent_add (dir, STUDIO_RECENT_SESSION);
  g_autofree char *msg = g_strdup_printf (_("Saved the session in %s"), dir);
  studio_window_show_banner (self, GTK_MESSAGE_INFO, msg);
}

static void
save_as_response_cb (GtkNativeDialog *native, int response, gpointer data)
{
  StudioWindow *self = STUDIO_WINDOW (data);

  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr (GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (native));
      g_autofree char *path = file != NULL ? g_file_get_path (file) : NULL;
      if (path == NULL)
        studio_window_show_banner (self, GTK_MESSAGE_ERROR, _("Sessions are saved to local folders only"));
      else
        save_and_tell (self, path);
    }
  studio_window_untrack_dialog (self, native);
}

void
studio_window_save_session_as_activate (GSimpleAction *action, GVariant *param, gpointer data)
{
  StudioWindow *self = STUDIO_WINDOW (data);
  GtkFileChooserNative *native =
    gtk_file_chooser_native_new (_("Save the session as a folder"), GTK_WINDOW (self),
                                 GTK_FILE_CHOOSER_ACTION_SAVE, _("_Save"), _("_Cancel"));

  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (native), "taugate-session");
  g_signal_connect (native, "response", G_CALLBACK (save_as_response_cb), self);
  studio_window_track_dialog (self, native);
}

void
studio_window_save_session_activate (GSimpleAction *action, GVariant *param, gpointer data)
{
  StudioWindow *self = STUDIO_WINDOW (data);

  if (self->session_path == NULL)
    studio_window_save_session_as_activate (action, param, data);
  else
    save_and_tell (self, self->session_path);
}

/* ---- opening ----------------------------------------------------------------------------- */

/* The modes of the session replace the window's, shown without measuring again: the views
 * show what the session kept. */
static void
take_modes (StudioWindow *self, TgSession *session, const StudioConfig *cfg)
{
  if (self->measuring != NULL)
    g_cancellable_cancel (self->measuring);
  g_clear_object (&self->measuring);
  studio_workspace_take_modes (self->workspace, g_steal_pointer (&session->modes),
                               session->active_mode);
  studio_angles_view_set_source (STUDIO_ANGLES_VIEW (studio_window_get_view (self, "angles")),
                                 studio_workspace_get_modes (self->workspace), cfg);
  studio_modes_panel_set_modes (self->modes_panel, studio_workspace_get_modes (self->workspace), studio_workspace_get_active_mode (self->workspace));
}

static gboolean
same_folder (const char *a, const char *b)
{
  g_autofree char *ca = g_canonicalize_filename (a, NULL);
  g_autofree char *cb = g_canonicalize_filename (b, NULL);
  return strcmp (ca, cb) == 0;
}

static void keep_older_autosave (const char *dir);

/* Runs not saved, about to be replaced by the session at folder, go to the autosave folder
 * as a closed window's do (beside it when folder is that autosave). Returns where they went,
 * NULL with nothing to keep (or automation), or NULL with error when they could not be kept. */
static char *
keep_unsaved (StudioWindow *self, const char *folder, GError **error)
{
  g_autofree char *dir = studio_session_autosave_dir ();
  g_autofree char *older = tg_session_folder_of (dir);
  g_autofree char *target = NULL;

  if (!studio_history_get_unsaved (self->history) || self->shot_armed)
    return NULL;
  if (folder != NULL && same_folder (dir, folder))
    {
      g_autoptr (GDateTime) now = g_date_time_new_now_local ();
      g_autofree char *stamp = g_date_time_format (now, "%Y%m%d-%H%M%S");
      for (guint i = 1; target == NULL || g_file_test (target, G_FILE_TEST_EXISTS); i++)
        {
          g_free (target);
          target = g_strdup_printf ("%s-%s-%u", dir, stamp, i);
        }
    }
  else
    {
      /* an autosave this window did not open holds another window's runs */
      if (older != NULL && !self->autosave_opened)
        keep_older_autosave (dir);
      target = g_steal_pointer (&dir);
    }
  if (!studio_window_save_session (self, target, error))
    return NULL;
  /* what it holds is no longer this window's: a later autosave keeps it aside */
  self->autosave_opened = FALSE;
  return g_steal_pointer (&target);
}

gboolean
studio_window_open_session (StudioWindow *self, const char *path)
{
  g_autofree char *kept = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (TgSession) session = NULL;
  g_autofree char *folder = tg_session_folder_of (path);
  g_autofree char *json = NULL;
  g_autofree char *status = NULL;
  g_autofree char *msg = NULL;
  StudioConfig cfg;
  g_auto (StudioSessionUnits) units = { 0 };
  gboolean units_fit;
  guint last_run = 0;

  if (studio_trainer_get_state (self->trainer) != STUDIO_TRAINER_IDLE)
    {
      msg = g_strdup_printf (_("Did not open the session %s: stop the run under way first"), path);
      studio_window_show_banner (self, GTK_MESSAGE_ERROR, msg);
      return FALSE;
    }
  session = tg_session_load (path, &error);
  json = g_build_filename (folder != NULL ? folder : path, TG_SESSION_FILE, NULL);
  if (session == NULL || !studio_session_get_config (session, json, &cfg, &error))
    {
      studio_window_show_banner (self, GTK_MESSAGE_ERROR, error->message);
      return FALSE;
    }
  if (!studio_session_get_units (session, json, &units, &error))
    {
      studio_config_clear (&cfg);
      studio_window_show_banner (self, GTK_MESSAGE_ERROR, error->message);
      return FALSE;
    }
  /* the runs not saved are kept, as a closed window's are, not dropped */
  kept = keep_unsaved (self, folder, &error);
  if (error != NULL)
    {
      studio_config_clear (&cfg);
      g_prefix_error (&error, "Did not open the session %s: the runs not saved could not be "
                      "kept: ", path);
      studio_window_show_banner (self, GTK_MESSAGE_ERROR, error->message);
      return FALSE;
    }
  /* the session's snapshots do not say their data set: the session's folder is the one
   * chosen, before they are shown (and the panel's again when they are refused) */
  studio_workspace_set_data_dir (self->workspace, cfg.data_dir);
  if (!studio_session_restore_history (session, self->history, json, &last_run, &error))
    {
      studio_config_clear (&cfg);
      studio_config_init_paper (&cfg);
      studio_settings_panel_collect (self->settings_panel, &cfg);
      studio_workspace_set_data_dir (self->workspace, cfg.data_dir);
      studio_config_clear (&cfg);
      studio_window_show_banner (self, GTK_MESSAGE_ERROR, error->message);
      return FALSE;
    }
  g_queue_clear (&self->job_queue);
  g_clear_handle_id (&self->queue_source, g_source_remove);
  studio_trainer_forget (self->trainer);
  studio_trainer_reserve_run_ids (self->trainer, last_run);
  studio_window_set_method (self, cfg.method);
  /* the session's data set, MNIST included (kept as no folder) */
  if (cfg.data_dir == NULL)
    cfg.data_dir = studio_default_data_dir ();
  studio_settings_panel_set_config (self->settings_panel, &cfg);
  take_modes (self, session, &cfg);
  units_fit = take_units (self, &units);
  studio_config_clear (&cfg);
  status = studio_snapshot_format_status (studio_history_get_status (self->history));
  gtk_inscription_set_text (self->status_label, status);
  g_free (self->session_path);
  self->session_path = g_strdup (folder);
  {
    g_autofree char *autosave = studio_session_autosave_dir ();
    g_autofree char *a = g_canonicalize_filename (autosave, NULL);
    g_autofree char *b = g_canonicalize_filename (folder, NULL);
    self->autosave_opened |= strcmp (a, b) == 0;
    /* the autosave is offered back in its own bar, and replaced at the next close */
    if (strcmp (a, b) != 0)
      studio_recent_add (folder, STUDIO_RECENT_SESSION);
  }
  {
    g_autoptr (GString) text = g_string_new (NULL);
    g_string_append_printf (text, _("Opened the session %s"), folder);
    if (session->left_out->len > 0)
      {
        g_string_append (text, _(", with these modes left out (an adapter file missing, "
                                 "broken or of another foundation):"));
        for (guint i = 0; i < session->left_out->len; i++)
          g_string_append_printf (text, "\n%s", (char *) g_ptr_array_index (session->left_out, i));
      }
    if (!units_fit)
      g_string_append (text, _("\nThe selected unit or ablation set names units the model "
                               "does not have: those were left out"));
    if (kept != NULL)
      {
        g_string_append (text, session->left_out->len > 0 ? "\n" : ". ");
        g_string_append_printf (text, _("What was not saved before is kept in %s (open it as "
                                        "a session to see it again)"), kept);
      }
    msg = g_string_free (g_steal_pointer (&text), FALSE);
  }
  studio_window_show_banner (self, session->left_out->len > 0 || !units_fit
                                  ? GTK_MESSAGE_WARNING : GTK_MESSAGE_INFO, msg);
  /* --screenshot with a session: the window as the session left it */
  {
    g_autoptr (StudioSnapshot) done = studio_snapshot_new ();
    done->finished = TRUE;
    studio_window_maybe_screenshot (self, done);
  }
  return TRUE;
}

static void
open_response_cb (GtkNativeDialog *native, int response, gpointer data)
{
  StudioWindow *self = STUDIO_WINDOW (data);

  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr (GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (native));
      g_autofree char *path = file != NULL ? g_file_get_path (file) : NULL;
      if (path != NULL)
        studio_window_open_session (self, path);
    }
  studio_window_untrack_dialog (self, native);
}

void
studio_window_open_session_activate (GSimpleAction *action, GVariant *param, gpointer data)
{
  StudioWindow *self = STUDIO_WINDOW (data);
  GtkFileChooserNative *native =
    gtk_file_chooser_native_new (_("Open a session folder"), GTK_WINDOW (self),
                                 GTK_FILE_CHOOSER_ACTION_SELECT_FOLDER, _("_Open"), _("_Cancel"));
  g_signal_connect (native, "response", G_CALLBACK (open_response_cb), self);
  studio_window_track_dialog (self, native);
}

/* ---- the autosave ------------------------------------------------------------------------ */

/* Moves the autosave of another window aside (autosave-DATE), so that a new one loses
 * nothing: it stays a session folder that Open Session reads. */
static void
keep_older_autosave (const char *dir)
{
  g_autoptr (GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *stamp = g_date_time_format (now, "%Y%m%d-%H%M%S");

  for (guint i = 1; i < 100; i++)
    {
      g_autofree char *kept = i == 1 ? g_strdup_printf ("%s-%s", dir, stamp)
                                     : g_strdup_printf ("%s-%s-%u", dir, stamp, i);
      if (g_file_test (kept, G_FILE_TEST_EXISTS))
        continue;
      if (g_rename (dir, kept) != 0)
        g_warning ("The older autosave %s could not be kept as %s: %s", dir, kept,
                   g_strerror (errno));
      return;
    }
}

void
studio_window_session_autosave (StudioWindow *self)
{
  g_autofree char *dir = studio_session_autosave_dir ();
  g_autofree char *older = tg_session_folder_of (dir);
  g_autoptr (GError) error = NULL;

  /* a window closed by --quit-after-steps or --screenshot is automation, not work to keep */
  if (!studio_history_get_unsaved (self->history) || self->shot_armed)
    return;
  /* an autosave this window did not open holds another window's runs */
  if (older != NULL && !self->autosave_opened)
    keep_older_autosave (dir);
  if (!studio_window_save_session (self, dir, &error))
    g_warning ("The unsaved runs could not be kept: %s", error->message);
}

static void
hide_session_bar (StudioWindow *self)
{
  if (self->session_bar != NULL)
    gtk_info_bar_set_revealed (self->session_bar, FALSE);
}

void
studio_window_session_bar_respond (StudioWindow *self, gboolean restore)
{
  g_autofree char *dir = studio_session_autosave_dir ();
  g_autoptr (GError) error = NULL;

  hide_session_bar (self);
  if (restore)
    {
      /* kept until discarded: a restored session counts as saved, so closing again writes
       * nothing, and the autosave stays what was restored */
      studio_window_open_session (self, dir);
      g_clear_pointer (&self->session_path, g_free);
    }
  else if (!tg_session_remove (dir, &error))
    studio_window_show_banner (self, GTK_MESSAGE_ERROR, error->message);
}

static void
session_bar_response_cb (GtkInfoBar *bar, int response, StudioWindow *self)
{
  if (response == RESPONSE_RESTORE || response == RESPONSE_DISCARD)
    studio_window_session_bar_respond (self, response == RESPONSE_RESTORE);
  else
    hide_session_bar (self);
}

GtkInfoBar *
studio_window_get_session_bar (StudioWindow *self)
{
  if (self->session_bar == NULL || !gtk_info_bar_get_revealed (self->session_bar))
    return NULL;
  return self->session_bar;
}

void
studio_window_session_init (StudioWindow *self)
{
  g_autofree char *dir = studio_session_autosave_dir ();
  g_autofree char *folder = tg_session_folder_of (dir);
  GtkWidget *parent = gtk_widget_get_parent (GTK_WIDGET (self->banner));
  GtkWidget *label;

  if (folder == NULL || !GTK_IS_BOX (parent))
    return;
  self->session_bar = GTK_INFO_BAR (gtk_info_bar_new ());
  gtk_info_bar_set_message_type (self->session_bar, GTK_MESSAGE_QUESTION);
  gtk_info_bar_set_show_close_button (self->session_bar, TRUE);
  studio_info_bar_name_close_button (self->session_bar);
  gtk_widget_add_css_class (GTK_WIDGET (self->session_bar), "session-offer");
  label = gtk_label_new (_("Runs of a window closed before were kept. Restore them here?"));
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_widget_set_hexpand (label, TRUE);
  gtk_info_bar_add_child (self->session_bar, label);
  gtk_info_bar_add_button (self->session_bar, _("_Restore"), RESPONSE_RESTORE);
  gtk_info_bar_add_button (self->session_bar, _("_Discard"), RESPONSE_DISCARD);
  g_signal_connect (self->session_bar, "response", G_CALLBACK (session_bar_response_cb), self);
  gtk_box_insert_child_after (GTK_BOX (parent), GTK_WIDGET (self->session_bar),
                              GTK_WIDGET (self->banner));
}

void
studio_window_session_dispose (StudioWindow *self)
{
  g_clear_pointer (&self->session_path, g_free);
  self->session_bar = NULL;  /* a child of the window's box: goes with it */
}
