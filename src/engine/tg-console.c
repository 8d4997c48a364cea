/* SPDX-License-Identifier: MIT */
/* tg-console.c — text for the terminal, in UTF-8 or spelled in ASCII (see tg-console.h). */
#include "tg-console.h"

#include <stdio.h>
#include <string.h>

/* The signs our texts use, as a reader of an ASCII terminal would type them. Anything else
 * goes through g_str_to_ascii (é -> e, “ -> "), which has no spelling for these. */
static const struct { const char *utf8, *ascii; } spellings[] = {
  { "°", " deg" }, { "τ", "tau" }, { "γ", "gamma" }, { "λ", "lambda" }, { "σ", "sigma" },
  { "Δ", "Delta" }, { "±", "+/-" }, { "·", "-" }, { "ᵀ", "^T" }, { "…", "..." },
  { "−", "-" }, { "–", "-" }, { "—", "--" }, { "≥", ">=" }, { "≤", "<=" }, { "→", "->" },
  { "≈", "~" }, { "×", "x" },
};

static char *
spell_ascii (const char *utf8)
{
  GString *s = g_string_new (NULL);
  for (const char *p = utf8; *p != '\0';)
    {
      if ((guchar) *p < 0x80)
        {
          g_string_append_c (s, *p++);
          continue;
        }
      gboolean spelled = FALSE;
      for (guint i = 0; i < G_N_ELEMENTS (spellings) && !spelled; i++)
        if (g_str_has_prefix (p, spellings[i].utf8))
          {
            g_string_append (s, spellings[i].ascii);
            p += strlen (spellings[i].utf8);
            spelled = TRUE;
          }
      if (spelled)
        continue;
      const char *next = g_utf8_find_next_char (p, NULL);
      g_autofree char *one = g_strndup (p, next - p);
      g_autofree char *ascii = g_str_to_ascii (one, NULL);
      g_string_append (s, ascii);
      p = next;
    }
  return g_string_free (s, FALSE);
}

char *
tg_console_text (const char *utf8)
{
  if (g_get_charset (NULL) || !g_utf8_validate (utf8, -1, NULL))
    return g_strdup (utf8);
  return spell_ascii (utf8);
}

static void
print_out (const char *text)
{
  g_autofree char *shown = tg_console_text (text);
  fputs (shown, stdout);
  fflush (stdout);
}

static void
print_err (const char *text)
{
  g_autofree char *shown = tg_console_text (text);
  fputs (shown, stderr);
  fflush (stderr);
}

void
tg_console_init (void)
{
  g_set_print_handler (print_out);
  g_set_printerr_handler (print_err);
}
