/* tg-i18n.h — where the programs find their translations (gettext).
 *
 * Both programs translate their user-visible text (menus, labels, dialogs, --help, their own
 * messages) through the gettext domain GETTEXT_PACKAGE (config.h). What is never translated:
 * file formats and what they contain (CSV headers, JSON and safetensors keys, LaTeX tables),
 * command and option names, and the figures (see tg-plot.h: a figure reads the same in every
 * locale, so figures from different machines can be set side by side). The engine's own
 * error messages are English too: they name files and faults for logs and bug reports. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* The folder holding LANG/LC_MESSAGES/GETTEXT_PACKAGE.mo: $TAUGATE_LOCALEDIR when set (the
 * tests point it at the build tree's po/, where meson compiles the catalogues), else the
 * installed LOCALEDIR. */
const char *tg_i18n_localedir (void);

/* Binds GETTEXT_PACKAGE to tg_i18n_localedir() with UTF-8 messages and makes it the default
 * domain (GtkBuilder templates and GApplication's options look there). Call after setlocale. */
void        tg_i18n_init (void);

G_END_DECLS
