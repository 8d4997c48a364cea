/* SPDX-License-Identifier: MIT */
/* studio-prefs.h — what the studio remembers between runs, the GNOME way (GSettings, schema
 * org.taugate.Studio in data/): the window's size and whether it was maximized, the dark
 * style, and the last data folder. The schema is looked up where GLib looks (installed, or
 * $GSETTINGS_SCHEMA_DIR), then in the build tree beside the binary (../../data), so the
 * studio runs from its build folder; with neither, every getter gives the default and the
 * setters do nothing. Main thread only. */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/* The studio's settings (borrowed, for the life of the process), or NULL without a schema. */
GSettings *studio_prefs_get                (void);

/* From now on nothing is read or written: every getter gives the default (for runs that
 * must look the same every time, such as screenshots). */
void       studio_prefs_forget             (void);

/* Gives window its remembered size (and maximizes it when it was), and remembers its size
 * when it is closed (close-request): the size the user chose, never one the window was made
 * to grow to by what it shows (it goes back to the chosen size once that fits again). */
void       studio_prefs_track_window       (GtkWindow *window);

gboolean   studio_prefs_get_dark           (void);
void       studio_prefs_set_dark           (gboolean dark);

/* The data folder last chosen, when it is still a folder; NULL for the default MNIST
 * folder, or when none is remembered. Newly allocated. */
char      *studio_prefs_dup_data_folder    (void);
/* dir: the folder chosen; NULL for the default MNIST folder. */
void       studio_prefs_set_data_folder    (const char *dir);
/* Opens chooser in the data folder last chosen, if any. */
void       studio_prefs_set_chooser_folder (GtkFileChooser *chooser);

G_END_DECLS
