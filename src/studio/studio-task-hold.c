/* studio-task-hold.c — the holds long jobs take on the application (studio-task-hold.h). */
#include "studio-task-hold.h"

struct _StudioTaskHold
{
  GApplication *app;   /* a reference, NULL without an application */
};

static gint holds;   /* atomic: taken and not yet released */

StudioTaskHold *
studio_task_hold_new (void)
{
  StudioTaskHold *hold = g_new0 (StudioTaskHold, 1);
  GApplication *app = g_application_get_default ();

  g_atomic_int_inc (&holds);
  if (app != NULL)
    {
      g_application_hold (app);
      hold->app = g_object_ref (app);
    }
  return hold;
}

static void
release_idle (gpointer data)
{
  GApplication *app = data;
  g_application_release (app);
  g_object_unref (app);
}

void
studio_task_hold_release (StudioTaskHold *hold)
{
  if (hold == NULL)
    return;
  if (hold->app != NULL)
    g_idle_add_once (release_idle, hold->app);
  g_free (hold);
  g_atomic_int_dec_and_test (&holds);
}

guint
studio_task_hold_count (void)
{
  return (guint) g_atomic_int_get (&holds);
}
