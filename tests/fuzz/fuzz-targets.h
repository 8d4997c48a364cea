/* SPDX-License-Identifier: MIT */
/* fuzz-targets.h — the engine's file readers driven from bytes in memory, shared by the
 * libFuzzer harnesses (fuzz-*.c) and the corpus replay test (test-fuzz-replay.c).
 *
 * Each target writes its input to scratch files in a private temporary folder and calls
 * the real entry points with their paths, as the programs do. It returns TRUE when the
 * input was accepted, else FALSE with error set; it must never crash, hang or leak. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* The harnesses, by the name of their corpus folder under tests/fuzz/corpus/. */
typedef enum {
  FUZZ_TARGET_IDX,          /* "idx": an images + labels pair of plain IDX files */
  FUZZ_TARGET_IDX_GZ,       /* "idx-gz": the same pair, each gzip-compressed (.gz names) */
  FUZZ_TARGET_SAFETENSORS,  /* "safetensors": loaded as a foundation and as an adapter */
  FUZZ_TARGET_INSPECT,      /* "inspect": tg_checkpoint_inspect, as `taugate inspect` */
  FUZZ_TARGET_SESSION,      /* "session": tg_session_load on a folder, see below */
  FUZZ_N_TARGETS
} FuzzTarget;

const char *fuzz_target_name (FuzzTarget target);

/* The IDX targets split their input in two: a 4-byte little-endian length n, then n bytes
 * of the images file (fewer if the input is shorter), then the labels file.
 *
 * The session target splits its input at NUL bytes into session.json, runs/r.csv,
 * runs/r-full.csv and runs/r-gates.csv (a part not given is an empty file; a fifth part goes
 * with the fourth), written into a session folder that also holds small valid checkpoints:
 * foundation.safetensors, adapters/a.safetensors (a TauGate adapter of that foundation),
 * view.safetensors, view-model.safetensors and view-adapter.safetensors. */
gboolean    fuzz_target_run  (FuzzTarget    target,
                              const guint8 *data,
                              gsize         size,
                              GError      **error);

/* The scratch file the target writes (first file of a pair): errors must name it. */
const char *fuzz_target_scratch_path (FuzzTarget target);

G_END_DECLS
