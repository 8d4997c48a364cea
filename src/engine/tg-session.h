/* tg-session.h — a whole studio session on disk: one folder, readable without our code.
 *
 *   session.json                 format, version, settings, runs (name, method, angle, s, λ,
 *                                seed, markers...), modes, the comparison and sweep results
 *   foundation.safetensors       the open foundation (tg-checkpoint.h), when there is one
 *   adapters/NN-NAME.safetensors one adapter per mode but Base, with the foundation's digest
 *   runs/NNN-NAME.csv            a run's curves: step,loss,acc0,acc_target (one row a point)
 *   runs/NNN-NAME-full.csv       its whole-test-set accuracies: step,acc0,acc_target
 *   runs/NNN-NAME-gates.csv      its gate dynamics (columns named in the header)
 *   view.safetensors             what the views show of the latest model: named tensors with
 *                                their scalars in __metadata__
 *   view-model.safetensors,      that model itself: a foundation file and an adapter file
 *   view-adapter.safetensors
 *   records.safetensors,         the current run's per-step records (tg-session-records.h)
 *   records-params.csv, records-masks.csv
 *
 * Numbers that are not measured are NaN ("nan" in CSV, null in JSON). The engine does not
 * know what the studio keeps in settings, a run's info or the view: it writes and reads them
 * as given, and validates what it reads as untrusted input. Writing goes through a staging
 * folder swapped into place in one step, so a session folder is never half-written, even by
 * a save that is killed (tg-folder-swap.h). Only the files session.json lists are the
 * session's: a save or a removal never takes anything else with it. */
#pragma once

#include <json-glib/json-glib.h>

#include "tg-experiment.h"
#include "tg-modes.h"
#include "tg-sweep.h"

G_BEGIN_DECLS

#define TG_SESSION_FORMAT   "taugate-session"
#define TG_SESSION_VERSION  1
#define TG_SESSION_FILE     "session.json"
/* bounds on what a session file may hold: a corrupt one cannot make us allocate without end */
#define TG_SESSION_MAX_RUNS     4096
#define TG_SESSION_MAX_COLUMNS  256
#define TG_SESSION_MAX_BYTES    (256u * 1024u * 1024u)
/* session.json: what the strict JSON gate (tg-json.h) allows it. A value costs json-glib about
 * a hundred bytes, so the value count, not the file size, bounds the memory of a parse. Any
 * string is at most a path long; names and labels are shorter. */
#define TG_SESSION_MAX_JSON_BYTES   (64u * 1024u * 1024u)
#define TG_SESSION_MAX_JSON_VALUES  (1u << 20)
#define TG_SESSION_MAX_DEPTH        64
#define TG_SESSION_MAX_STRING       4096
#define TG_SESSION_MAX_NAME         256
#define TG_SESSION_MAX_MARKERS      4096
#define TG_SESSION_MAX_SWEEP_POINTS 16384
/* CSV tables, read line by line: a line is at most this long (256 columns of "%.17g"), and a
 * table has at most this many rows. */
#define TG_SESSION_MAX_LINE         (32u * 1024u)
#define TG_SESSION_MAX_ROWS         (1u << 22)

typedef struct {
  double  step;
  char   *label;
} TgSessionMarker;

/* A table of doubles with named columns (a CSV file). */
typedef struct {
  char  **columns;   /* NULL-terminated */
  guint   n_columns;
  GArray *values;    /* double, row after row */
} TgSessionTable;

TgSessionTable *tg_session_table_new     (const char *const *columns);
void            tg_session_table_free    (TgSessionTable *table);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TgSessionTable, tg_session_table_free)
guint           tg_session_table_n_rows  (const TgSessionTable *table);
/* row: n_columns values */
void            tg_session_table_append  (TgSessionTable *table, const double *row);
double          tg_session_table_get     (const TgSessionTable *table, guint row, guint column);

typedef struct {
  char           *name;
  JsonObject     *info;      /* the run's scalars (numbers, strings, booleans, null) */
  GArray         *markers;   /* TgSessionMarker */
  TgSessionTable *curves;    /* step, loss, acc0, acc_target */
  TgSessionTable *full;      /* step, acc0, acc_target */
  TgSessionTable *gates;     /* any columns; NULL when none */
} TgSessionRun;

/* name copied; empty info, markers and curves/full tables */
TgSessionRun   *tg_session_run_new       (const char *name);
void            tg_session_run_free      (TgSessionRun *run);
void            tg_session_run_add_marker (TgSessionRun *run, double step, const char *label);

typedef struct {
  char    *name;
  guint    ndim;
  guint64  shape[4];
  float   *values;
} TgSessionTensor;

/* The most modes a session may list (Base included): more is a broken or hostile file. */
#define TG_SESSION_MAX_MODES 64

typedef struct _TgSessionRecords TgSessionRecords;

typedef struct {
  JsonObject          *settings;       /* the settings panel's values */
  GPtrArray           *runs;           /* TgSessionRun *, oldest first */
  TgModes             *modes;          /* NULL: no foundation open */
  guint                active_mode;
  TgExperimentResults *comparison;     /* NULL: none */
  TgSweepResults      *sweep;          /* NULL: none */
  GHashTable          *view_metadata;  /* string -> string */
  GPtrArray           *view_tensors;   /* TgSessionTensor * */
  TgModel             *view_model;     /* NULL: none */
  /* read: the modes whose adapter file was missing or broken, left out ("“NAME” (why)") */
  GPtrArray           *left_out;       /* char * */
  TgSessionRecords    *records;        /* NULL: none (tg-session-records.h) */
} TgSession;

TgSession *tg_session_new   (void);
void       tg_session_free  (TgSession *session);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TgSession, tg_session_free)
/* Copies values (shape's product of floats) into a new view tensor. */
void       tg_session_add_view_tensor (TgSession *session, const char *name, guint ndim,
                                       const guint64 *shape, const float *values);
/* The view tensor of that name, or NULL. */
const TgSessionTensor *tg_session_get_view_tensor (const TgSession *session, const char *name);

/* Writes session as the folder dir (created, or replaced when it is a session folder
 * already; any other existing path is refused). Nothing is left half-written. */
gboolean   tg_session_save  (const TgSession *session, const char *dir, GError **error);
/* Reads a session folder, or the session.json in one. Every file is validated; an error
 * names the file and the fault. */
TgSession *tg_session_load  (const char *path, GError **error);
/* Removes the session folder dir (refused when it holds no session.json, or anything its
 * session.json does not list). */
gboolean   tg_session_remove (const char *dir, GError **error);
/* The session folder path names (a folder holding session.json, or that file), else NULL.
 * Newly allocated. */
char      *tg_session_folder_of (const char *path);

/* --- results as JSON (tg-session-results.c) --------------------------------------------- */

JsonNode            *tg_session_comparison_to_json   (const TgExperimentResults *res);
TgExperimentResults *tg_session_comparison_from_json (JsonNode *node, const char *file,
                                                      GError **error);
JsonNode            *tg_session_sweep_to_json        (const TgSweepResults *res);
TgSweepResults      *tg_session_sweep_from_json      (JsonNode *node, const char *file,
                                                      GError **error);
/* A number member of object: a JSON number, or null for NaN. FALSE with error (naming
 * file and key) when missing or of another type. */
gboolean             tg_session_json_number          (JsonObject *object, const char *key,
                                                      const char *file, double *out,
                                                      GError **error);
/* A JSON number for v, null when it is NaN or infinite. */
JsonNode            *tg_session_json_double          (double v);

G_END_DECLS
