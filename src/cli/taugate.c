/* taugate.c — the headless command line: reproduce the paper, benchmark, inspect files.
 *
 * Each subcommand parses its own options with GOptionContext (so each has --help), reports
 * errors on stderr and exits non-zero. All the work is the engine's; the subcommands only
 * wire options to it, show progress, and write the outputs. One file per subcommand
 * (taugate-NAME.c); this file only dispatches. */
#include "taugate-cli.h"
#include "tg-console.h"

#include <errno.h>
#include <locale.h>
#include <stdio.h>
#include <string.h>

typedef struct {
  const char *name;
  const char *summary;
  int       (*run) (int argc, char **argv);
} Command;

static const Command commands[] = {
  { "reproduce", "run the paper's protocol; write results.csv, Tables 1-3, Figure 1", tg_cmd_reproduce },
  { "bench",     "measure sgemm, a foundation epoch and the full reproduction", tg_cmd_bench },
  { "inspect",   "check and describe checkpoints and IDX data folders", tg_cmd_inspect },
  { "sweep",     "TauGate over lambda and s: the accuracy / sparsity / speed frontier", tg_cmd_sweep },
  { "inspect-unit", "one hidden unit's figure and numbers: field, firing, ablation effect", tg_cmd_inspect_unit },
  { "modes",     "one foundation, its adapters as modes: accuracy by angle, Auto modes", tg_cmd_modes },
  { "export-peft", "write a LoRA adapter in Hugging Face PEFT's layout", tg_cmd_export_peft },
  { "zoo",       "many modes from one foundation: accuracy matrix, mode map, routing", tg_cmd_zoo },
};

static void
usage (FILE *f)
{
  fprintf (f,
           "Usage: taugate COMMAND [OPTIONS]\n\n"
           "TauGate: specialise a frozen MLP to a new mode by per-neuron thresholds and gains.\n\n"
           "Commands:\n");
  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    fprintf (f, "  %-13s %s\n", commands[i].name, commands[i].summary);
  fprintf (f, "\n'taugate COMMAND --help' lists a command's options.\n");
}

int
main (int argc, char **argv)
{
  /* The user's character set and messages, so that --help shows "0°" where the terminal can
   * (tg-console.h spells it in ASCII where it cannot). Numbers stay the C locale's: the
   * terminal's tables read as the files do, whatever the locale (files: tg-csv.h). */
  setlocale (LC_ALL, "");
  setlocale (LC_NUMERIC, "C");
  tg_console_init ();
  if (argc < 2 || strcmp (argv[1], "--help") == 0 || strcmp (argv[1], "-h") == 0 ||
      strcmp (argv[1], "help") == 0)
    {
      usage (argc < 2 ? stderr : stdout);
      return argc < 2 ? 2 : 0;
    }
  const char *cmd = argv[1];
  const Command *found = NULL;
  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    if (strcmp (cmd, commands[i].name) == 0)
      found = &commands[i];
  if (found == NULL)
    {
      fprintf (stderr, "taugate: unknown command \"%s\"\n\n", cmd);
      usage (stderr);
      return 2;
    }
  argv[1] = g_strdup_printf ("taugate %s", cmd);
  int status = found->run (argc - 1, argv + 1);
  /* output that could not be written (a full disk, a closed pipe) is a failure */
  if (fflush (stdout) != 0 || ferror (stdout))
    {
      fprintf (stderr, "%s: cannot write to standard output: %s\n", argv[1], g_strerror (errno));
      status = status != 0 ? status : 1;
    }
  g_free (argv[1]);
  return status;
}
