/* main.c — taugate-studio: the GTK4 window over the TauGate engine. */
#include "studio-application.h"
#include "tg-console.h"
#include "tg-i18n.h"

#include <locale.h>

int
main (int argc, char *argv[])
{
  /* Every view is a Cairo drawing, which GTK's GL renderer only uploads as a texture. On a
   * machine without a GPU (or under Xvfb) that renderer is Mesa's software rasteriser: it
   * took 20 ms of the main thread per frame and slowed training 12x in our measurements,
   * where the Cairo renderer costs under 5 ms. GSK_RENDERER still chooses, if set. */
  g_setenv ("GSK_RENDERER", "cairo", FALSE);

  /* The user's locale before anything is parsed, so that --help is translated too (GTK sets
   * the same locale again when it starts; the studio's files keep C numbers through
   * g_ascii_* whatever it is). */
  setlocale (LC_ALL, "");
  tg_i18n_init ();
  /* --help and messages on the terminal: UTF-8, or spelled in ASCII under LANG=C */
  tg_console_init ();
  g_autoptr (StudioApplication) app = studio_application_new ();
  int status = g_application_run (G_APPLICATION (app), argc, argv);
  return status != 0 ? status : studio_application_get_exit_status (app);
}
