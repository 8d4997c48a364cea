/* taugate-cli.h — what the subcommands of `taugate` share: the protocol options, their
 * folding into an engine configuration, data loading and UTF-8 output.
 *
 * Each subcommand lives in its own taugate-NAME.c and is listed once in taugate.c's table. */
#pragma once

#include "tg-experiment.h"

G_BEGIN_DECLS

/* Text goes out as the UTF-8 it is: g_print would turn every degree sign into '?' under
 * the C locale of a CI machine. */
void tg_cli_printf (const char *fmt, ...) G_GNUC_PRINTF (1, 2);

/* The paper protocol's settings as command-line options, shared by reproduce and bench. */
typedef struct {
  int     seeds;
  char   *data_dir;
  char   *out_dir;
  double  angle;
  int     foundation_epochs, adapt_epochs;
  double  lr, sharpness, lambda;
  int     width;
  int     threads;
  char   *foundation;
  char   *methods;
  int     train_limit, test_limit;
  gint64  seed;
  gboolean no_overlap, quiet, no_checkpoints;
} TgCliOptions;

void          tg_cli_options_init      (TgCliOptions *o);
void          tg_cli_options_clear     (TgCliOptions *o);
/* A newly allocated GOptionEntry array (g_free it) bound to o's protocol fields. */
GOptionEntry *tg_cli_protocol_entries  (TgCliOptions *o);
/* Folds the options into an engine configuration, validated. */
gboolean      tg_cli_options_to_config (const TgCliOptions *o, TgExperimentConfig *cfg,
                                        GError **error);
/* The training and test sets of dir, both modes, as cfg asks. */
TgModeData   *tg_cli_load_mode_data    (const char *dir, const TgExperimentConfig *cfg,
                                        GError **error);

/* The subcommands: argv[0] is "taugate NAME"; each returns the process's exit status. */
int tg_cmd_reproduce (int argc, char **argv);
int tg_cmd_bench     (int argc, char **argv);
int tg_cmd_inspect   (int argc, char **argv);
int tg_cmd_modes     (int argc, char **argv);
int tg_cmd_export_peft (int argc, char **argv);

G_END_DECLS
