/* SPDX-License-Identifier: MIT */
/* tg-common.h — what every engine file shares: the error domain, the seeded RNG and the
 * arg-max of a row of logits.
 *
 * The engine is pure C11 + GLib + OpenBLAS. It knows nothing of windows, Cairo or GTK,
 * and it never exits the process: every failure is a GError for the caller to show. */
#pragma once

#include <glib.h>
#include <gio/gio.h>
#include <stdint.h>
#include <stddef.h>

G_BEGIN_DECLS

#define TG_ERROR (tg_error_quark ())
GQuark tg_error_quark (void);

typedef enum {
  TG_ERROR_IO,        /* missing file, unreadable, unwritable */
  TG_ERROR_FORMAT,    /* wrong magic, truncated, corrupt gzip, bad JSON */
  TG_ERROR_MISMATCH,  /* counts or shapes that disagree */
  TG_ERROR_RANGE,     /* a value outside what is allowed (label >= classes, absurd size) */
  TG_ERROR_INVALID,   /* a bad argument or setting */
  TG_ERROR_DIVERGED,  /* loss became NaN or infinite */
  TG_ERROR_CANCELLED, /* the caller asked to stop */
} TgErrorCode;

/* Randomness comes from an explicit state, never rand(): splitmix64 seeding xorshift64*. */
uint64_t tg_rng_seed     (uint64_t seed);              /* returns a well-mixed non-zero state */
uint64_t tg_rng_next     (uint64_t *state);
float    tg_rng_uniform  (uint64_t *state);            /* [0, 1) */
uint32_t tg_rng_below    (uint64_t *state, uint32_t n); /* [0, n) */
void     tg_rng_shuffle  (uint64_t *state, uint32_t *idx, size_t n);

/* Overflow-checked size arithmetic: FALSE when a * b (or a * b * c) does not fit. */
gboolean tg_size_mul     (size_t a, size_t b, size_t *out);
gboolean tg_size_mul3    (size_t a, size_t b, size_t c, size_t *out);

/* The index of the largest of v[0..n-1], the first one on ties (n >= 1): the predicted
 * class of a row of logits. */
guint32  tg_argmax       (const float *v, guint32 n);

/* What an error message may quote of a file's content (a name, a cell, a line): at most
 * TG_EXCERPT_CHARS characters of text (len bytes, or up to its NUL when len < 0), "…" when
 * there was more, with backslashes, control and format characters and bytes that are not
 * UTF-8 escaped, so a message stays one short line whatever the file holds. Newly allocated. */
#define TG_EXCERPT_CHARS 40
char    *tg_excerpt      (const char *text, gssize len);

G_END_DECLS
