/* SPDX-License-Identifier: MIT */
/* tg-modes.h — one frozen foundation and the adapters attached to it: its modes.
 *
 * Base is the foundation alone; every attached adapter is another mode, held as its own
 * ready-to-run model (the foundation's weights plus that adapter), so switching modes is
 * choosing a model, never retraining or reloading. What a user sees of a mode (name,
 * method, the angle it was trained for, where it came from) is here too, so a window and the
 * command line show the same thing.
 *
 * Also here: the angle sweep, every mode's accuracy on the test set rotated through a range
 * of angles (soft and hard gates). Choosing a mode per input is tg-automode.h. */
#pragma once

#include "tg-data.h"
#include "tg-model.h"

G_BEGIN_DECLS

typedef struct {
  char       *name;          /* "Base", "TauGate 45°", or the file's name */
  char       *path;          /* the adapter's file; NULL for Base and in-memory adapters */
  TgMethod    method;        /* TG_METHOD_FROZEN for Base */
  double      target_angle;  /* the rotation it was trained for; NAN when unknown (and Base) */
  GHashTable *metadata;      /* the adapter file's __metadata__ (string -> string), or NULL */
  TgModel    *model;         /* the foundation with this adapter, ready for a forward */
  float       sharpness;     /* s of its soft gates: the one it was trained with (5 for Base) */
} TgMode;

typedef struct {
  char      *foundation_path; /* NULL when made from a model in memory */
  char      *digest;          /* of the foundation, tg-digest.h */
  TgModel   *foundation;      /* no LoRA block */
  GPtrArray *modes;           /* TgMode *; modes[0] is Base */
} TgModes;

/* A foundation from its file (ours, or a plain safetensors file of layers.<l>.weight and
 * layers.<l>.bias), with Base as its only mode. Refuses an adapter file. */
TgModes      *tg_modes_new_from_file (const char *foundation_path, GError **error);
/* The same from a model in memory; only its weights and biases are used. */
TgModes      *tg_modes_new           (const TgModel *foundation);
void          tg_modes_free          (TgModes *modes);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TgModes, tg_modes_free)

/* Attaches an adapter file as a new mode; returns its index. check_foundation FALSE skips
 * the foundation digest check (TG_FOUNDATION_ERROR_MISMATCH), for a caller that has asked.
 * A refusal leaves modes as it was. Returns 0 (Base's index) with error set on failure. */
guint         tg_modes_attach_file   (TgModes *modes, const char *path,
                                      gboolean check_foundation, GError **error);
/* Attaches a copy of adapted (the foundation plus an adapter trained in memory, with
 * adapted->method as it should run, trained with sharpness s); returns its index. */
guint         tg_modes_attach_model  (TgModes *modes, const TgModel *adapted, float sharpness,
                                      const char *name, double target_angle);
/* Removes an adapter's mode; FALSE (and nothing done) for Base or an index out of range. */
gboolean      tg_modes_remove        (TgModes *modes, guint index);
/* Renames a mode (names stay unique: a clash gets a number). */
/* Names are cut to TG_MODES_MAX_NAME bytes (at a character boundary). */
#define TG_MODES_MAX_NAME 200
void          tg_modes_rename        (TgModes *modes, guint index, const char *name);
/* Saves an adapter's mode as an adapter file: its metadata (for an attached file, the
 * file's; target_angle for one trained in memory) and the foundation's digest. */
gboolean      tg_modes_save_adapter  (const TgModes *modes, guint index, const char *path,
                                      GError **error);
static inline guint tg_modes_count (const TgModes *m) { return m->modes->len; }
static inline TgMode *tg_modes_get (const TgModes *m, guint i)
{
  return g_ptr_array_index (m->modes, i);
}

/* --- the angle sweep ------------------------------------------------------------------ */

/* "START:STOP:STEP" (STOP included when the steps reach it) or "A,B,C", in degrees, each
 * within [-360, 360], at most 721 of them. Returns a GArray of double. */
GArray       *tg_angles_parse        (const char *spec, GError **error);

typedef struct {
  guint   n_modes, n_angles;
  double *angles;    /* n_angles */
  double *acc_soft;  /* (n_modes, n_angles), mode-major */
  double *acc_hard;  /* the same with hard gates 1[z > tau] (= soft for ungated modes) */
} TgAngleSweep;

void          tg_angle_sweep_free    (TgAngleSweep *sweep);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TgAngleSweep, tg_angle_sweep_free)

/* Every mode on test rotated by each angle. NULL with error when cancelled. */
TgAngleSweep *tg_modes_sweep         (TgModes *modes, const TgDataset *test,
                                      const double *angles, guint n_angles,
                                      GCancellable *cancellable, GError **error);

G_END_DECLS
