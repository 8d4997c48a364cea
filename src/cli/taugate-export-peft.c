/* taugate-export-peft.c — `taugate export-peft ADAPTER --out DIR`: a LoRA adapter in Hugging
 * Face PEFT's layout (adapter_config.json + adapter_model.safetensors), for PyTorch users. */
#include "taugate-cli.h"
#include "config.h"

#include <glib/gi18n.h>
#include "tg-checkpoint.h"
#include "tg-modes.h"
#include "tg-peft.h"

#include <string.h>

/* A foundation of zeros with the architecture the adapter's "dims" metadata names: enough
 * to carry the LoRA matrices when no foundation is given. */
static TgModes *
modes_for_dims (const char *adapter, GError **error)
{
  g_autoptr(GHashTable) md = NULL;
  if (!tg_checkpoint_inspect (adapter, &md, NULL, error))
    return NULL;
  const char *dims = g_hash_table_lookup (md, "dims");
  g_auto(GStrv) parts = dims ? g_strsplit (dims, ",", -1) : NULL;
  guint n = parts ? g_strv_length (parts) : 0;
  guint32 d[TG_MAX_LINEAR + 1];
  gboolean ok = n >= 2 && n <= TG_MAX_LINEAR + 1;
  for (guint i = 0; ok && i < n; i++)
    {
      guint64 v;
      ok = g_ascii_string_to_unsigned (parts[i], 10, 1, 1u << 24, &v, NULL);
      d[i] = (guint32) v;
    }
  if (!ok)
    {
      g_set_error (error, TG_ERROR, TG_ERROR_FORMAT,
                   "%s: its metadata has no usable \"dims\"; give --foundation", adapter);
      return NULL;
    }
  g_autoptr(TgModel) zero = tg_model_new (d[0], n - 2, d + 1, d[n - 1], 0, 0.0f, error);
  if (zero == NULL)
    return NULL;
  memset (zero->params, 0, zero->n_params * sizeof (float));
  return tg_modes_new (zero);
}

int
tg_cmd_export_peft (int argc, char **argv)
{
  g_autofree char *out_dir = NULL, *foundation = NULL;
  GOptionEntry entries[] = {
    { "out", 'o', 0, G_OPTION_ARG_FILENAME, &out_dir, N_("Folder to write (required)"), "DIR" },
    { "foundation", 'f', 0, G_OPTION_ARG_FILENAME, &foundation, N_("The adapter's foundation: checks it belongs and names it in base_model_name_or_path"), "FILE" },
    { NULL }
  };
  g_autoptr(GOptionContext) ctx = g_option_context_new (N_("ADAPTER - export a LoRA adapter for PEFT"));
  g_option_context_set_summary (ctx,
      N_("Writes DIR/adapter_config.json and DIR/adapter_model.safetensors, the layout of Hugging\n"
      "Face PEFT, for a torch model whose linear layers are layers.<l> (our foundation files)."));
  g_option_context_set_translation_domain (ctx, GETTEXT_PACKAGE);
  g_option_context_add_main_entries (ctx, entries, GETTEXT_PACKAGE);
  g_autoptr(GError) error = NULL;
  if (!g_option_context_parse (ctx, &argc, &argv, &error))
    {
      g_printerr ("taugate export-peft: %s\n", error->message);
      return 2;
    }
  if (argc != 2 || out_dir == NULL)
    {
      g_printerr ("taugate export-peft: give one LoRA adapter and --out DIR (see --help)\n");
      return 2;
    }
  g_autoptr(TgModes) modes = foundation ? tg_modes_new_from_file (foundation, &error)
                                        : modes_for_dims (argv[1], &error);
  guint i = modes ? tg_modes_attach_file (modes, argv[1], foundation != NULL, &error) : 0;
  if (i > 0 && tg_modes_get (modes, i)->method != TG_METHOD_LORA)
    g_set_error (&error, TG_ERROR, TG_ERROR_INVALID,
                 "%s: a %s adapter; PEFT's LoRA layout holds only LoRA adapters", argv[1],
                 tg_method_info (tg_modes_get (modes, i)->method)->label);
  g_autofree char *base = foundation ? g_path_get_basename (foundation) : NULL;
  if (error != NULL || !tg_peft_save_lora (tg_modes_get (modes, i)->model, base, out_dir, &error))
    {
      g_printerr ("taugate export-peft: %s\n", error->message);
      return 1;
    }
  tg_cli_printf ("Wrote %s/adapter_config.json and adapter_model.safetensors\n", out_dir);
  return 0;
}
