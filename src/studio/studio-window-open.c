/* SPDX-License-Identifier: MIT */
/* studio-window-open.c — opening checkpoints: File → Open (Ctrl+O), files dropped on the
 * window and files named on the command line all end in studio_window_open_files.
 *
 * Among the files given, foundations (ours, or a plain safetensors file of layers.<l>.weight
 * and layers.<l>.bias) are taken first and adapters are attached to the foundation after.
 * An adapter trained on another foundation (tg-digest.h) is not attached at once: a
 * question says why, and "Attach anyway" attaches it without the check. Every refusal is
 * said in the window's banner, naming the file and the reason. */
#include "studio-window-private.h"

#include <string.h>

#include "tg-checkpoint.h"
#include "tg-digest.h"
#include "tg-session.h"

enum { RESPONSE_ATTACH_ANYWAY = 1 };

/* TRUE when path's metadata says it holds an adapter (any kind but a foundation). A file
 * that cannot be read is not an adapter here: the foundation's load says why. */
static gboolean
is_adapter_file (const char *path)
{
  g_autoptr (GHashTable) md = NULL;
  const char *kind;

  if (!tg_checkpoint_inspect (path, &md, NULL, NULL) || md == NULL)
    return FALSE;
  kind = g_hash_table_lookup (md, "kind");
  if (kind != NULL)
    return strcmp (kind, "foundation") != 0;
  return g_hash_table_lookup (md, "method") != NULL;
}

static void
add_refusal (GString *refusals, const char *message)
{
  if (refusals->len > 0)
    g_string_append_c (refusals, '\n');
  g_string_append (refusals, message);
}

static void
modes_changed (StudioWindow *self)
{
  studio_window_modes_changed (self);
}

/* ---- the question about a foreign adapter ----------------------------------------------- */

static void ask_next (StudioWindow *self);

static void
question_response_cb (GtkDialog *dialog, int response, gpointer data)
{
  StudioWindow *self = STUDIO_WINDOW (data);
  g_autofree char *path = g_object_steal_data (G_OBJECT (dialog), "path");

  self->open_question = NULL;
  gtk_window_destroy (GTK_WINDOW (dialog));
  if (response == RESPONSE_ATTACH_ANYWAY && self->modes != NULL)
    {
      g_autoptr (GError) error = NULL;
      guint index = tg_modes_attach_file (self->modes, path, FALSE, &error);
      if (index == 0)
        studio_window_show_banner (self, GTK_MESSAGE_ERROR, error->message);
      else
        {
          g_autofree char *msg =
            g_strdup_printf ("Attached %s as “%s”, although it was trained on another "
                             "foundation", path, tg_modes_get (self->modes, index)->name);
          studio_window_show_banner (self, GTK_MESSAGE_WARNING, msg);
          modes_changed (self);
        }
    }
  else
    {
      g_autofree char *msg = g_strdup_printf ("Did not attach %s: it was trained on another "
                                              "foundation", path);
      studio_window_show_banner (self, GTK_MESSAGE_WARNING, msg);
    }
  ask_next (self);
}

/* Asks about the next adapter that was refused for its foundation, if any. */
static void
ask_next (StudioWindow *self)
{
  GtkWidget *dialog;
  char *path;
  g_autofree char *base = NULL;

  if (self->open_question != NULL || g_queue_is_empty (&self->foreign_adapters))
    return;
  path = g_queue_pop_head (&self->foreign_adapters);
  base = g_path_get_basename (path);
  dialog = gtk_message_dialog_new (GTK_WINDOW (self),
                                   GTK_DIALOG_MODAL | GTK_DIALOG_DESTROY_WITH_PARENT,
                                   GTK_MESSAGE_QUESTION, GTK_BUTTONS_NONE,
                                   "Attach %s to another foundation?", base);
  gtk_message_dialog_format_secondary_text (
    GTK_MESSAGE_DIALOG (dialog),
    "%s was trained on a different foundation: the digest of the foundation's weights it "
    "records is not that of %s. Its thresholds and gains were learnt for other weights, so "
    "its accuracy here may mean little.", path,
    self->modes->foundation_path != NULL ? self->modes->foundation_path : "the open foundation");
  gtk_dialog_add_buttons (GTK_DIALOG (dialog), "_Cancel", GTK_RESPONSE_CANCEL,
                          "_Attach anyway", RESPONSE_ATTACH_ANYWAY, NULL);
  gtk_dialog_set_default_response (GTK_DIALOG (dialog), GTK_RESPONSE_CANCEL);
  g_object_set_data_full (G_OBJECT (dialog), "path", path, g_free);
  g_signal_connect (dialog, "response", G_CALLBACK (question_response_cb), self);
  self->open_question = GTK_WINDOW (dialog);
  gtk_window_present (GTK_WINDOW (dialog));
}

GtkWindow *
studio_window_get_open_question (StudioWindow *self)
{
  return self->open_question;
}

/* ---- opening ------------------------------------------------------------------------------ */

static void
open_foundation (StudioWindow *self, const char *path, GString *refusals, GString *opened)
{
  g_autoptr (GError) error = NULL;
  TgModes *modes = tg_modes_new_from_file (path, &error);

  if (modes == NULL)
    {
      add_refusal (refusals, error->message);
      return;
    }
  g_clear_pointer (&self->modes, tg_modes_free);
  self->modes = modes;
  self->active_mode = 0;
  g_queue_clear_full (&self->foreign_adapters, g_free);
  g_autofree char *base = g_path_get_basename (path);
  g_string_append_printf (opened, "%sfoundation %s", opened->len > 0 ? ", " : "", base);
}

static void
open_adapter (StudioWindow *self, const char *path, GString *refusals, GString *opened)
{
  g_autoptr (GError) error = NULL;
  guint index;

  if (self->modes == NULL)
    {
      g_autofree char *msg = g_strdup_printf ("%s: is an adapter, and no foundation is open "
                                              "to attach it to (open its foundation first, or "
                                              "with it)", path);
      add_refusal (refusals, msg);
      return;
    }
  index = tg_modes_attach_file (self->modes, path, TRUE, &error);
  if (index > 0)
    {
      g_string_append_printf (opened, "%s“%s”", opened->len > 0 ? ", " : "",
                              tg_modes_get (self->modes, index)->name);
      return;
    }
  if (g_error_matches (error, TG_FOUNDATION_ERROR, TG_FOUNDATION_ERROR_MISMATCH))
    g_queue_push_tail (&self->foreign_adapters, g_strdup (path));
  else
    add_refusal (refusals, error->message);
}

gboolean
studio_window_open_files (StudioWindow *self, GFile **files, int n_files)
{
  /* a session folder, or its session.json, replaces the window's session */
  if (n_files == 1)
    {
      g_autofree char *path = g_file_get_path (files[0]);
      g_autofree char *session = path != NULL ? tg_session_folder_of (path) : NULL;
      if (session != NULL)
        return studio_window_open_session (self, path);
    }
  g_autoptr (GString) refusals = g_string_new (NULL);
  g_autoptr (GString) opened = g_string_new (NULL);
  g_autoptr (GPtrArray) adapters = g_ptr_array_new_with_free_func (g_free);
  gboolean changed = FALSE;

  for (int i = 0; i < n_files; i++)
    {
      char *path = g_file_get_path (files[i]);
      if (path == NULL)
        {
          g_autofree char *uri = g_file_get_uri (files[i]);
          g_autofree char *msg = g_strdup_printf ("%s: is not a local file", uri);
          add_refusal (refusals, msg);
          continue;
        }
      if (is_adapter_file (path))
        g_ptr_array_add (adapters, path);
      else
        {
          guint before = opened->len;
          open_foundation (self, path, refusals, opened);
          changed |= opened->len != before;
          g_free (path);
        }
    }
  for (guint i = 0; i < adapters->len; i++)
    {
      guint before = opened->len;
      open_adapter (self, g_ptr_array_index (adapters, i), refusals, opened);
      changed |= opened->len != before;
    }

  if (refusals->len > 0)
    studio_window_show_banner (self, GTK_MESSAGE_ERROR, refusals->str);
  else if (opened->len > 0)
    {
      g_autofree char *msg = g_strdup_printf ("Opened %s", opened->str);
      studio_window_show_banner (self, GTK_MESSAGE_INFO, msg);
    }
  if (changed)
    modes_changed (self);
  ask_next (self);
  return refusals->len == 0;
}

gboolean
studio_window_open_paths (StudioWindow *self, const char *const *paths)
{
  g_autoptr (GPtrArray) files = g_ptr_array_new_with_free_func (g_object_unref);

  for (guint i = 0; paths[i] != NULL; i++)
    g_ptr_array_add (files, g_file_new_for_path (paths[i]));
  return studio_window_open_files (self, (GFile **) files->pdata, (int) files->len);
}

TgModes *
studio_window_get_modes (StudioWindow *self)
{
  return self->modes;
}

/* ---- File → Open ---------------------------------------------------------------------------- */

static void
chooser_response_cb (GtkNativeDialog *native, int response, gpointer data)
{
  StudioWindow *self = STUDIO_WINDOW (data);

  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr (GListModel) list = gtk_file_chooser_get_files (GTK_FILE_CHOOSER (native));
      g_autoptr (GPtrArray) files = g_ptr_array_new_with_free_func (g_object_unref);
      for (guint i = 0; i < g_list_model_get_n_items (list); i++)
        g_ptr_array_add (files, g_list_model_get_item (list, i));
      studio_window_open_files (self, (GFile **) files->pdata, (int) files->len);
    }
  g_object_unref (native);
}

void
studio_window_open_activate (GSimpleAction *action, GVariant *param, gpointer data)
{
  StudioWindow *self = STUDIO_WINDOW (data);
  GtkFileChooserNative *native;
  GtkFileFilter *filter;

  native = gtk_file_chooser_native_new ("Open a foundation and its adapters", GTK_WINDOW (self),
                                        GTK_FILE_CHOOSER_ACTION_OPEN, "_Open", "_Cancel");
  gtk_file_chooser_set_select_multiple (GTK_FILE_CHOOSER (native), TRUE);
  filter = gtk_file_filter_new ();
  gtk_file_filter_set_name (filter, "Checkpoints (*.safetensors)");
  gtk_file_filter_add_pattern (filter, "*.safetensors");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (native), filter);
  g_object_unref (filter);
  filter = gtk_file_filter_new ();
  gtk_file_filter_set_name (filter, "All files");
  gtk_file_filter_add_pattern (filter, "*");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (native), filter);
  g_object_unref (filter);
  g_signal_connect (native, "response", G_CALLBACK (chooser_response_cb), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (native));
}

/* ---- drag and drop -------------------------------------------------------------------------- */

static gboolean
drop_cb (GtkDropTarget *target, const GValue *value, double x, double y, gpointer data)
{
  StudioWindow *self = STUDIO_WINDOW (data);
  GSList *list;
  g_autoptr (GPtrArray) files = g_ptr_array_new ();

  if (!G_VALUE_HOLDS (value, GDK_TYPE_FILE_LIST))
    return FALSE;
  list = g_value_get_boxed (value);
  for (GSList *l = list; l != NULL; l = l->next)
    g_ptr_array_add (files, l->data);
  studio_window_open_files (self, (GFile **) files->pdata, (int) files->len);
  return TRUE;
}

void
studio_window_open_init (StudioWindow *self)
{
  GtkDropTarget *target = gtk_drop_target_new (GDK_TYPE_FILE_LIST, GDK_ACTION_COPY);

  g_queue_init (&self->foreign_adapters);
  g_signal_connect (target, "drop", G_CALLBACK (drop_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (target));
  studio_window_modes_init (self);
}

void
studio_window_open_dispose (StudioWindow *self)
{
  if (self->open_question != NULL)
    {
      GtkWindow *question = self->open_question;
      self->open_question = NULL;
      gtk_window_destroy (question);
    }
  g_queue_clear_full (&self->foreign_adapters, g_free);
  g_cancellable_cancel (self->measuring);
  g_clear_object (&self->measuring);
  g_clear_pointer (&self->modes, tg_modes_free);
}
