/* taugate-inspect.c — `taugate inspect`: checks and describes checkpoints and IDX folders. */
#include "taugate-cli.h"
#include "tg-checkpoint.h"

#include <string.h>

/* --- inspect -------------------------------------------------------------------------- */

int
tg_cmd_inspect (int argc, char **argv)
{
  g_autofree char *data_dir = NULL;
  GOptionEntry entries[] = {
    { "data", 'd', 0, G_OPTION_ARG_FILENAME, &data_dir, "Check a folder of IDX files instead", "DIR" },
    { NULL }
  };
  g_autoptr (GOptionContext) ctx = g_option_context_new ("[FILE.safetensors...] - check and describe files");
  g_option_context_set_summary (ctx,
      "Validates checkpoints (foundation or adapter) and IDX data folders the way the app and\n"
      "reproduce read them, and describes what is inside; exits non-zero on the first bad file.");
  g_option_context_add_main_entries (ctx, entries, NULL);
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
    {
      g_autoptr (GHashTable) md = NULL;
      g_autoptr (GPtrArray) tensors = NULL;
      if (!tg_checkpoint_inspect (argv[i], &md, &tensors, &error))
        {
          g_printerr ("taugate inspect: %s\n", error->message);
          return 1;
        }
      const char *kind = g_hash_table_lookup (md, "kind");
      tg_cli_printf ("%s: %s checkpoint, %u tensors\n", argv[i], kind ? kind : "unknown",
                  tensors->len);
      for (guint t = 0; t < tensors->len; t++)
        tg_cli_printf ("  %s\n", (const char *) g_ptr_array_index (tensors, t));
      g_autoptr (GList) keys = g_list_sort (g_hash_table_get_keys (md), (GCompareFunc) strcmp);
      for (GList *k = keys; k; k = k->next)
        tg_cli_printf ("  %s = %s\n", (const char *) k->data,
                    (const char *) g_hash_table_lookup (md, k->data));
    }
  return 0;
}

