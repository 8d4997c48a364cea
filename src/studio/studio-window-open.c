/* studio-window-open.c — opening checkpoints: File → Open (Ctrl+O), files dropped on the
 * window and files named on the command line all end in studio_window_open_files.
 *
 * Among the files given, foundations (ours, or a plain safetensors file of layers.<l>.weight
 * and layers.<l>.bias) are taken first and adapters are attached to the foundation after.
 * An adapter trained on another foundation (tg-digest.h) is not attached at once: a
 * question says why, and "Attach anyway" attaches it without the check. Every refusal is
 * said in the window's banner, naming the file and the reason. A file already open is
 * shown again, not added twice; another foundation, which would close the open adapters'
 * modes, is asked about first (studio_window_modes_ask_replace). */
#include "studio-window-private.h"

#include <glib/gi18n.h>

#include <string.h>

#include "tg-checkpoint.h"
#include "tg-digest.h"
#include "tg-session.h"
#include "studio-recent.h"

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
  if (response == RESPONSE_ATTACH_ANYWAY && studio_workspace_get_modes (self->workspace) != NULL)
    {
      g_autoptr (GError) error = NULL;
      guint index = tg_modes_attach_file (studio_workspace_get_modes (self->workspace), path, FALSE, &error);
      if (index == 0)
        studio_window_show_banner (self, GTK_MESSAGE_ERROR, error->message);
      else
        {
          studio_recent_add (path, STUDIO_RECENT_CHECKPOINT);
          g_autofree char *msg =
            g_strdup_printf (_("Attached %s as “%s”, although it was trained on another "
                             "foundation"), path, tg_modes_get (studio_workspace_get_modes (self->workspace), index)->name);
          studio_window_show_banner (self, GTK_MESSAGE_WARNING, msg);
          modes_changed (self);
        }
    }
  else
    {
      g_autofree char *msg = g_strdup_printf (_("Did not attach %s: it was trained on another "
                                              "foundation"), path);
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
                                   _("Attach %s to another foundation?"), base);
  gtk_message_dialog_format_secondary_text (
    GTK_MESSAGE_DIALOG (dialog),
    _("%s was trained on a different foundation: the digest of the foundation's weights it "
    "records is not that of %s. Its thresholds and gains were learnt for other weights, so "
    "its accuracy here may mean little."), path,
    studio_workspace_get_modes (self->workspace)->foundation_path != NULL ? studio_workspace_get_modes (self->workspace)->foundation_path : _("the open foundation"));
  gtk_dialog_add_buttons (GTK_DIALOG (dialog), _("_Cancel"), GTK_RESPONSE_CANCEL,
                          _("_Attach anyway"), RESPONSE_ATTACH_ANYWAY, NULL);
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

static gboolean
same_file (const char *a, const char *b)
{
  g_autofree char *ca = NULL, *cb = NULL;

  if (a == NULL || b == NULL)
    return FALSE;
  ca = g_canonicalize_filename (a, NULL);
  cb = g_canonicalize_filename (b, NULL);
  return strcmp (ca, cb) == 0;
}

static void
open_foundation (StudioWindow *self, const char *path, GString *refusals, GString *opened,
                 GString *switched)
{
  g_autoptr (GError) error = NULL;

  switch (studio_workspace_open_foundation (self->workspace, path, &error))
    {
    case STUDIO_OPEN_SWITCHED:
      g_string_append_printf (switched, "%s%s", switched->len > 0 ? ", " : "", "Base");
      break;
    case STUDIO_OPEN_OPENED:
      {
        g_queue_clear_full (&self->foreign_adapters, g_free);
        g_autofree char *base = g_path_get_basename (path);
        g_string_append_printf (opened, _("%sfoundation %s"), opened->len > 0 ? ", " : "",
                                base);
        studio_recent_add (path, STUDIO_RECENT_CHECKPOINT);
      }
      break;
    case STUDIO_OPEN_FOREIGN:
    case STUDIO_OPEN_REFUSED:
    default:
      add_refusal (refusals, error->message);
      break;
    }
}

static void
open_adapter (StudioWindow *self, const char *path, GString *refusals, GString *opened,
              GString *switched)
{
  g_autoptr (GError) error = NULL;
  TgModes *modes = studio_workspace_get_modes (self->workspace);
  guint index = 0;

  if (modes == NULL)
    {
      g_autofree char *msg = g_strdup_printf (_("%s: is an adapter, and no foundation is open "
                                              "to attach it to (open its foundation first, or "
                                              "with it)"), path);
      add_refusal (refusals, msg);
      return;
    }
  switch (studio_workspace_open_adapter (self->workspace, path, &index, &error))
    {
    case STUDIO_OPEN_SWITCHED:
      g_string_append_printf (switched, "%s“%s”", switched->len > 0 ? ", " : "",
                              tg_modes_get (modes, index)->name);
      break;
    case STUDIO_OPEN_OPENED:
      studio_recent_add (path, STUDIO_RECENT_CHECKPOINT);
      g_string_append_printf (opened, "%s“%s”", opened->len > 0 ? ", " : "",
                              tg_modes_get (modes, index)->name);
      break;
    case STUDIO_OPEN_FOREIGN:
      g_queue_push_tail (&self->foreign_adapters, g_strdup (path));
      break;
    case STUDIO_OPEN_REFUSED:
    default:
      add_refusal (refusals, error->message);
      break;
    }
}

static void
open_now (StudioWindow *self, GFile **files, int n_files, GString *refusals)
{
  g_autoptr (GString) opened = g_string_new (NULL);
  g_autoptr (GString) switched = g_string_new (NULL);
  g_autoptr (GPtrArray) adapters = g_ptr_array_new_with_free_func (g_free);
  guint active = studio_workspace_get_active_mode (self->workspace);
  gboolean changed = FALSE;

  for (int i = 0; i < n_files; i++)
    {
      char *path = g_file_get_path (files[i]);
      if (path == NULL)
        {
          g_autofree char *uri = g_file_get_uri (files[i]);
          g_autofree char *msg = g_strdup_printf (_("%s: is not a local file"), uri);
          add_refusal (refusals, msg);
          continue;
        }
      if (is_adapter_file (path))
        g_ptr_array_add (adapters, path);
      else
        {
          guint before = opened->len;
          open_foundation (self, path, refusals, opened, switched);
          changed |= opened->len != before;
          g_free (path);
        }
    }
  for (guint i = 0; i < adapters->len; i++)
    {
      guint before = opened->len;
      open_adapter (self, g_ptr_array_index (adapters, i), refusals, opened, switched);
      changed |= opened->len != before;
    }
  changed |= studio_workspace_get_active_mode (self->workspace) != active;

  if (refusals->len > 0)
    studio_window_show_banner (self, GTK_MESSAGE_ERROR, refusals->str);
  else if (opened->len > 0 || switched->len > 0)
    {
      g_autofree char *msg =
        g_strdup_printf ("%s%s%s%s%s", opened->len > 0 ? _("Opened ") : "", opened->str,
                         opened->len > 0 && switched->len > 0 ? "; " : "",
                         switched->len > 0 ? _("already open, shown now: ") : "",
                         switched->str);
      studio_window_show_banner (self, GTK_MESSAGE_INFO, msg);
    }
  if (changed)
    modes_changed (self);
  ask_next (self);
}

/* TRUE when path reads as a checkpoint (one that does not is refused, nothing replaced). */
static gboolean
is_checkpoint (const char *path)
{
  g_autoptr (GHashTable) md = NULL;
  return tg_checkpoint_inspect (path, &md, NULL, NULL);
}

/* The local file among files that would replace the open foundation and its adapters, or
 * NULL: a foundation that is not the open one, while adapters are attached to it. */
static char *
replacing_foundation (StudioWindow *self, GFile **files, int n_files)
{
  if (studio_workspace_get_modes (self->workspace) == NULL || tg_modes_count (studio_workspace_get_modes (self->workspace)) < 2)
    return NULL;
  for (int i = 0; i < n_files; i++)
    {
      g_autofree char *path = g_file_get_path (files[i]);
      if (path != NULL && is_checkpoint (path) && !is_adapter_file (path) &&
          !same_file (studio_workspace_get_modes (self->workspace)->foundation_path, path))
        return g_steal_pointer (&path);
    }
  return NULL;
}

static void
replace_answered (StudioWindow *self, gpointer data, gboolean replace)
{
  GPtrArray *files = data;
  g_autoptr (GString) refusals = g_string_new (NULL);

  if (replace)
    open_now (self, (GFile **) files->pdata, (int) files->len, refusals);
  else
    studio_window_show_banner (self, GTK_MESSAGE_INFO,
                               "Opened nothing: the open foundation and its modes stay");
}

gboolean
studio_window_open_files (StudioWindow *self, GFile **files, int n_files)
{
  g_autoptr (GString) refusals = g_string_new (NULL);
  g_autofree char *replacing = NULL;

  /* a session folder, or its session.json, replaces the window's session */
  if (n_files == 1)
    {
      g_autofree char *path = g_file_get_path (files[0]);
      g_autofree char *session = path != NULL ? tg_session_folder_of (path) : NULL;
      if (session != NULL)
        return studio_window_open_session (self, path);
    }
  /* another foundation closes the modes of this one: asked first */
  replacing = replacing_foundation (self, files, n_files);
  if (replacing != NULL)
    {
      GPtrArray *kept = g_ptr_array_new_with_free_func (g_object_unref);
      g_autofree char *base = g_path_get_basename (replacing);
      g_autofree char *title = g_strdup_printf ("Open the foundation %s?", base);
      for (int i = 0; i < n_files; i++)
        g_ptr_array_add (kept, g_object_ref (files[i]));
      studio_window_modes_ask_replace (self, title, replace_answered, kept,
                                       (GDestroyNotify) g_ptr_array_unref);
      return TRUE;
    }
  open_now (self, files, n_files, refusals);
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
  return studio_workspace_get_modes (self->workspace);
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

  native = gtk_file_chooser_native_new (_("Open a foundation and its adapters"), GTK_WINDOW (self),
                                        GTK_FILE_CHOOSER_ACTION_OPEN, _("_Open"), _("_Cancel"));
  gtk_file_chooser_set_select_multiple (GTK_FILE_CHOOSER (native), TRUE);
  filter = gtk_file_filter_new ();
  gtk_file_filter_set_name (filter, _("Checkpoints (*.safetensors)"));
  gtk_file_filter_add_pattern (filter, "*.safetensors");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (native), filter);
  g_object_unref (filter);
  filter = gtk_file_filter_new ();
  gtk_file_filter_set_name (filter, _("All files"));
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
  studio_window_modes_dispose (self);
  g_cancellable_cancel (self->measuring);
  g_clear_object (&self->measuring);
}
