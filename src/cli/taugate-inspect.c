/* taugate-inspect.c — `taugate inspect`: checks and describes checkpoints and IDX folders. */
#include "taugate-cli.h"
#include "config.h"

#include <glib/gi18n.h>
#include "tg-checkpoint.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

/* --- inspect -------------------------------------------------------------------------- */

/* Names and metadata come from the file: a crafted one could clear the terminal or forge
 * lines. Control characters (C0, DEL, C1), bidirectional overrides and anything not
 * printable become \xNN or \u{NNNN}; a backslash becomes \\, so the escaping is
 * unambiguous. Bytes that are not UTF-8 are escaped one by one. */
static char *
escape_for_terminal (const char *s)
{
  GString *out = g_string_new (NULL);
  const char *p = s;
  while (*p != '\0')
    {
      gunichar c = g_utf8_get_char_validated (p, -1);
      if (c == (gunichar) -1 || c == (gunichar) -2)
        {
          g_string_append_printf (out, "\\x%02x", (guchar) *p);
          p++;
          continue;
        }
      if (c == '\\')
        g_string_append (out, "\\\\");
      else if (c < 0x80 && !g_ascii_isprint ((char) c))
        g_string_append_printf (out, "\\x%02x", c);
      else if (c >= 0x80 && (!g_unichar_isprint (c) || g_unichar_type (c) == G_UNICODE_FORMAT))
        g_string_append_printf (out, "\\u{%04x}", c);
      else
        g_string_append_len (out, p, g_utf8_next_char (p) - p);
      p = g_utf8_next_char (p);
    }
  return g_string_free (out, FALSE);
}

/* One checkpoint: its kind, tensors and metadata, every string from the file escaped. */
static gboolean
describe_checkpoint (const char *path, GError **error)
{
  g_autoptr (GHashTable) md = NULL;
  g_autoptr (GPtrArray) tensors = NULL;
  if (!tg_checkpoint_inspect (path, &md, &tensors, error))
    return FALSE;
  const char *kind = g_hash_table_lookup (md, "kind");
  g_autofree char *path_e = escape_for_terminal (path);
  g_autofree char *kind_e = escape_for_terminal (kind ? kind : "unknown");
  tg_cli_printf ("%s: %s checkpoint, %u tensors\n", path_e, kind_e, tensors->len);
  for (guint t = 0; t < tensors->len; t++)
    {
      g_autofree char *line = escape_for_terminal (g_ptr_array_index (tensors, t));
      tg_cli_printf ("  %s\n", line);
    }
  g_autoptr (GList) keys = g_list_sort (g_hash_table_get_keys (md), (GCompareFunc) strcmp);
  for (GList *k = keys; k; k = k->next)
    {
      g_autofree char *key = escape_for_terminal (k->data);
      g_autofree char *value = escape_for_terminal (g_hash_table_lookup (md, k->data));
      tg_cli_printf ("  %s = %s\n", key, value);
    }
  return TRUE;
}

int
tg_cmd_inspect (int argc, char **argv)
{
  g_autofree char *data_dir = NULL;
  GOptionEntry entries[] = {
    { "data", 'd', 0, G_OPTION_ARG_FILENAME, &data_dir, N_("Check a folder of IDX files instead"), "DIR" },
    { NULL }
  };
  g_autoptr (GOptionContext) ctx = g_option_context_new (N_("[FILE.safetensors...] - check and describe files"));
  g_option_context_set_summary (ctx,
      N_("Validates checkpoints (foundation or adapter) and IDX data folders the way the app and\n"
      "reproduce read them, and describes what is inside; exits non-zero on the first bad file."));
  g_option_context_set_translation_domain (ctx, GETTEXT_PACKAGE);
  g_option_context_add_main_entries (ctx, entries, GETTEXT_PACKAGE);
  g_autoptr (GError) error = NULL;
  if (!g_option_context_parse (ctx, &argc, &argv, &error))
    {
      g_printerr ("taugate inspect: %s\n", error->message);
      return 2;
    }
  if (data_dir == NULL && argc < 2)
    {
      g_printerr ("taugate inspect: name a .safetensors file or --data DIR (see --help)\n");
      return 2;
    }
  if (data_dir)
    for (guint s = 0; s < 2; s++)
      {
        const char *split = s == 0 ? "train" : "t10k";
        g_autoptr (TgDataset) ds = tg_dataset_load_dir (data_dir, split, 10, &error);
        if (ds == NULL)
          {
            g_printerr ("taugate inspect: %s\n", error->message);
            return 1;
          }
        guint counts[256] = { 0 };
        for (guint32 i = 0; i < ds->n; i++)
          counts[ds->labels[i]]++;
        tg_cli_printf ("%s/%s: %u images of %ux%u, labels:", data_dir, split, ds->n, ds->rows, ds->cols);
        for (guint c = 0; c < ds->n_classes; c++)
          tg_cli_printf (" %u:%u", c, counts[c]);
        tg_cli_printf ("\n");
      }
  for (int i = 1; i < argc; i++)
    if (!describe_checkpoint (argv[i], &error))
      {
        g_autofree char *msg = escape_for_terminal (error->message);
        g_printerr ("taugate inspect: %s\n", msg);
        return 1;
      }
  /* A full disk or a closed pipe must not look like a successful check. */
  if (fflush (stdout) != 0 || ferror (stdout))
    {
      int e = errno;
      g_printerr ("taugate inspect: cannot write the output: %s\n", g_strerror (e));
      return 1;
    }
  return 0;
}

