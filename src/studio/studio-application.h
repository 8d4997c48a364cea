/* studio-application.h — the GtkApplication org.taugate.Studio: command-line options,
 * application actions and accelerators, the style sheet. */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define STUDIO_TYPE_APPLICATION (studio_application_get_type ())
G_DECLARE_FINAL_TYPE (StudioApplication, studio_application, STUDIO, APPLICATION, GtkApplication)

StudioApplication *studio_application_new (void);

G_END_DECLS
