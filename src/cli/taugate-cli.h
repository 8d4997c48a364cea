/* SPDX-License-Identifier: MIT */
/* taugate-cli.h — what the subcommands of `taugate` share: the protocol options, their
 * folding into an engine configuration, data loading and UTF-8 output.
 *
 * Each subcommand lives in its own taugate-NAME.c and is listed once in taugate.c's table. */
#pragma once

#include "tg-experiment.h"
#include "tg-plot.h"

G_BEGIN_DECLS

/* Text goes out as the UTF-8 it is: g_print would turn every degree sign into '?' under
 * the C locale of a CI machine. */
void tg_cli_printf (const char *fmt, ...) G_GNUC_PRINTF (1, 2);

/* The paper protocol's settings as command-line options, shared by reproduce and bench. */
typedef struct {
  int     seeds;
  char   *data_dir;
  char   *data_name;
  char   *out_dir;
  double  angle;
  int     foundation_epochs, adapt_epochs;
  double  lr, sharpness, lambda;
  int     width;
  int     threads;
  char   *foundation;
  char   *methods;
  char   *foundation_angles;    /* NULL: 0 and --angle, the paper's mix */
  int     train_limit, test_limit;
  gint64  seed;
  gboolean no_overlap, quiet, no_checkpoints;
  gboolean anneal_s;            /* HAT's schedule of s within each epoch */
  /* figures */
  char   *figure_size;          /* NULL: 640 x 400 pt as before */
  double  font_size;            /* 0: the size's own (8 pt in a column, else 10) */
} TgCliOptions;

void          tg_cli_options_init      (TgCliOptions *o);
void          tg_cli_options_clear     (TgCliOptions *o);
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (TgCliOptions, tg_cli_options_clear)
/* A newly allocated GOptionEntry array (g_free it) bound to o's protocol fields. */
GOptionEntry *tg_cli_protocol_entries  (TgCliOptions *o);
/* --figure-size and --font-size, for the commands that write figures (g_free the array). */
GOptionEntry *tg_cli_figure_entries    (TgCliOptions *o);

/* A figure's size in points and its style, as the figure options ask. */
typedef struct {
  double      width, height;
  TgPlotStyle style;
} TgCliFigure;

gboolean      tg_cli_figure_setup      (const TgCliOptions *o, TgCliFigure *fig,
                                        GError **error);

/* Folds the options into an engine configuration, validated. */
gboolean      tg_cli_options_to_config (const TgCliOptions *o, TgExperimentConfig *cfg,
                                        GError **error);
/* The training and test sets of dir, both modes, as cfg asks; names the data set in cfg
 * (data_name, or MNIST recognised by its contents, or dir's base name) and refuses a
 * configuration that cannot fit in memory. memory, if not NULL, receives the estimate. */
TgModeData   *tg_cli_load_mode_data    (const char *dir, const char *data_name,
                                        TgExperimentConfig *cfg, guint64 *memory,
                                        GError **error);

/* An output folder written all or nothing (taugate-output.c): begin makes the folder and a
 * fresh staging folder beside it (removing those of killed runs), failing at once if it
 * cannot be written; the run writes into the staging folder; commit puts the staging folder
 * in the output folder's place in one step, taking along the output folder's entries not
 * named in owned (NULL-terminated: the command's outputs), so the earlier run's outputs this
 * run did not write go. Freeing an output that was not committed removes what the run
 * wrote, leaving the earlier results as they were. */
typedef struct _TgCliOutput TgCliOutput;

TgCliOutput *tg_cli_output_begin   (const char *dir, GError **error);
const char  *tg_cli_output_staging (const TgCliOutput *out);
gboolean     tg_cli_output_commit  (TgCliOutput *out, const char *const *owned,
                                    GError **error);
void         tg_cli_output_free    (TgCliOutput *out);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TgCliOutput, tg_cli_output_free)

/* FALSE (naming dir and what was to go there) unless a file can be created in dir, which is
 * made if missing: for outputs written during the work, checked before it starts. */
gboolean     tg_cli_check_writable (const char *dir, const char *what, GError **error);

/* Ctrl-C (SIGINT) and SIGTERM during a command's long work (taugate-interrupt.c): from new
 * to free they cancel the work instead of killing the process. run calls func in a thread
 * with a cancellable the signals cancel, dispatching them in this thread until func returns;
 * signal gives the signal that came (0 if none); check fails with an error naming it. */
typedef struct _TgCliInterrupt TgCliInterrupt;
typedef gpointer (*TgCliWorkFunc) (gpointer data, GCancellable *cancellable, GError **error);

TgCliInterrupt *tg_cli_interrupt_new          (void);
gpointer        tg_cli_interrupt_run          (TgCliInterrupt *it, TgCliWorkFunc func,
                                               gpointer data, GError **error);
int             tg_cli_interrupt_signal       (TgCliInterrupt *it);
gboolean        tg_cli_interrupt_check        (TgCliInterrupt *it, GError **error);
void            tg_cli_interrupt_free         (TgCliInterrupt *it);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TgCliInterrupt, tg_cli_interrupt_free)

/* The subcommands: argv[0] is "taugate NAME"; each returns the process's exit status. */
int tg_cmd_reproduce (int argc, char **argv);
int tg_cmd_bench     (int argc, char **argv);
int tg_cmd_inspect   (int argc, char **argv);
int tg_cmd_sweep     (int argc, char **argv);

/* `taugate bench --inference`: dense against sparse batch-1 inference of paths (a foundation,
 * then adapters), or of TauGate on a fresh foundation when n_paths is 0. */
gboolean tg_cli_bench_inference (const TgExperimentConfig *cfg, const TgModeData *data,
                                 int n_paths, char **paths, GError **error);
/* `taugate bench --modes K`: K TauGate modes as K separate forwards and in one pass. */
gboolean tg_cli_bench_modes (const TgExperimentConfig *cfg, const TgModeData *data, guint K,
                             GError **error);
int tg_cmd_inspect_unit (int argc, char **argv);
int tg_cmd_modes     (int argc, char **argv);
int tg_cmd_export_peft (int argc, char **argv);
int tg_cmd_zoo       (int argc, char **argv);

G_END_DECLS
