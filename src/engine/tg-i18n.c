/* tg-i18n.c — binding the gettext domain (see tg-i18n.h). */
#include "tg-i18n.h"

#include "config.h"

#include <libintl.h>

const char *
tg_i18n_localedir (void)
{
  const char *dir = g_getenv ("TAUGATE_LOCALEDIR");
  return dir != NULL && *dir != '\0' ? dir : LOCALEDIR;
}

void
tg_i18n_init (void)
{
  bindtextdomain (GETTEXT_PACKAGE, tg_i18n_localedir ());
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);
}
