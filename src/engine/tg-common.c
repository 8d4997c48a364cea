/* SPDX-License-Identifier: MIT */
/* tg-common.c — the error domain, the seeded RNG, checked size arithmetic, the arg-max and
 * the excerpt error messages quote. */
#include "tg-common.h"

#include <string.h>

G_DEFINE_QUARK (tg-error-quark, tg_error)

static uint64_t
splitmix64 (uint64_t *x)
{
  uint64_t z = (*x += 0x9E3779B97F4A7C15ull);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return z ^ (z >> 31);
}

uint64_t
tg_rng_seed (uint64_t seed)
{
  uint64_t x = seed;
  uint64_t s = splitmix64 (&x);
  return s ? s : 0x2545F4914F6CDD1Dull;
}

uint64_t
tg_rng_next (uint64_t *state)
{
  /* xorshift64* */
  uint64_t x = *state;
  x ^= x >> 12;
  x ^= x << 25;
  x ^= x >> 27;
  *state = x;
  return x * 0x2545F4914F6CDD1Dull;
}

float
tg_rng_uniform (uint64_t *state)
{
  return (float) (tg_rng_next (state) >> 40) / 16777216.0f; /* 24 bits: [0, 1) */
}

uint32_t
tg_rng_below (uint64_t *state, uint32_t n)
{
  /* Lemire's multiply-shift; the bias for n < 2^32 from a 64-bit draw is negligible. */
  return (uint32_t) (((tg_rng_next (state) >> 32) * (uint64_t) n) >> 32);
}

void
tg_rng_shuffle (uint64_t *state, uint32_t *idx, size_t n)
{
  for (size_t i = n; i > 1; i--)
    {
      uint32_t j = tg_rng_below (state, (uint32_t) i);
      uint32_t t = idx[i - 1];
      idx[i - 1] = idx[j];
      idx[j] = t;
    }
}

gboolean
tg_size_mul (size_t a, size_t b, size_t *out)
{
  if (a != 0 && b > SIZE_MAX / a)
    return FALSE;
  *out = a * b;
  return TRUE;
}

gboolean
tg_size_mul3 (size_t a, size_t b, size_t c, size_t *out)
{
  size_t ab;
  return tg_size_mul (a, b, &ab) && tg_size_mul (ab, c, out);
}

guint32
tg_argmax (const float *v, guint32 n)
{
  guint32 a = 0;
  for (guint32 i = 1; i < n; i++)
    if (v[i] > v[a])
      a = i;
  return a;
}

char *
tg_excerpt (const char *text, gssize len)
{
  GString *s = g_string_new (NULL);
  gsize n = len < 0 ? strlen (text) : (gsize) len, at = 0;
  guint chars = 0;

  while (at < n && chars < TG_EXCERPT_CHARS)
    {
      gunichar c = g_utf8_get_char_validated (text + at, (gssize) (n - at));
      if (c == (gunichar) -1 || c == (gunichar) -2)
        {
          /* a byte that starts no UTF-8 character */
          g_string_append_printf (s, "\\x%02x", (guchar) text[at++]);
        }
      else
        {
          const char *next = g_utf8_next_char (text + at);
          if (c == '\\')
            g_string_append (s, "\\\\");
          else if (c == '\n')
            g_string_append (s, "\\n");
          else if (c == '\t')
            g_string_append (s, "\\t");
          else if (c == '\r')
            g_string_append (s, "\\r");
          else if (c < 0x80 && !g_ascii_isprint ((char) c))
            g_string_append_printf (s, "\\x%02x", c);
          else if (c >= 0x80 && (!g_unichar_isprint (c) || g_unichar_type (c) == G_UNICODE_FORMAT))
            g_string_append_printf (s, "\\u%04x", c);
          else
            g_string_append_len (s, text + at, next - (text + at));
          at = (gsize) (next - text);
        }
      chars++;
    }
  if (at < n)
    g_string_append (s, "…");
  return g_string_free (s, FALSE);
}
