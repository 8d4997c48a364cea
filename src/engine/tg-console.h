/* SPDX-License-Identifier: MIT */
/* tg-console.h — text for the terminal a program runs in, readable in every locale.
 *
 * Our messages are UTF-8 ("0°", "z − τ", "[OPTION…]"). GLib's g_print converts them to the
 * locale's character set and puts '?' for every character it lacks: under LANG=C (ASCII)
 * `--help` read "at 0? and the target angle, the distribution of z ? ?". Here a locale
 * whose character set is UTF-8 gets the text as it is; any other gets it spelled in ASCII
 * ("0 deg", "z - tau", "[OPTION...]"). Not here: the locale itself (main calls setlocale)
 * or any file's text (files are UTF-8, their numbers C-locale: tg-csv.h). */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* utf8 as the current locale's terminal can show it; newly allocated. */
char *tg_console_text (const char *utf8);

/* Routes g_print and g_printerr (GOptionContext's --help among them) through
 * tg_console_text. Call once, after setlocale. */
void  tg_console_init (void);

G_END_DECLS
