/* main.c — taugate-studio: the GTK4 window over the TauGate engine. */
#include "studio-application.h"

int
main (int argc, char *argv[])
{
  g_autoptr (StudioApplication) app = studio_application_new ();
  return g_application_run (G_APPLICATION (app), argc, argv);
}
