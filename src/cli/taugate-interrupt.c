/* SPDX-License-Identifier: MIT */
/* taugate-interrupt.c — Ctrl-C (SIGINT) or SIGTERM during a command's long work.
 *
 * Killed outright, `taugate reproduce` would leave its half-written staging folder beside the
 * output folder until the next run. Instead, from tg_cli_interrupt_new on, the two signals
 * only cancel a GCancellable: the work runs in a thread (tg_cli_interrupt_run) and stops at
 * its next check, while this thread dispatches the signals; the command then removes what it
 * wrote and exits with 128 + the signal's number, as a shell reports a process the signal
 * killed. */
#include "taugate-cli.h"

#include <glib-unix.h>
#include <signal.h>

struct _TgCliInterrupt {
  GCancellable *cancellable;
  guint         sources[2];
  int           signum;       /* the signal that came, or 0 */
};

static const int signals[] = { SIGINT, SIGTERM };

typedef struct {
  TgCliInterrupt *it;
  int             signum;
} Handler;

static gboolean
on_signal (gpointer user_data)
{
  Handler *h = user_data;
  if (h->it->signum == 0)
    h->it->signum = h->signum;
  g_cancellable_cancel (h->it->cancellable);
  return G_SOURCE_CONTINUE;
}

TgCliInterrupt *
tg_cli_interrupt_new (void)
{
  TgCliInterrupt *it = g_new0 (TgCliInterrupt, 1);
  it->cancellable = g_cancellable_new ();
  for (guint i = 0; i < G_N_ELEMENTS (signals); i++)
    {
      /* a signal the caller ignores (a background job of a script) stays ignored */
      struct sigaction old;
      if (sigaction (signals[i], NULL, &old) == 0 && old.sa_handler == SIG_IGN)
        continue;
      Handler *h = g_new (Handler, 1);
      *h = (Handler) { .it = it, .signum = signals[i] };
      it->sources[i] = g_unix_signal_add_full (G_PRIORITY_DEFAULT, signals[i], on_signal, h,
                                               g_free);
    }
  return it;
}

int
tg_cli_interrupt_signal (TgCliInterrupt *it)
{
  /* a signal that came while this thread was busy waits in the main context */
  while (g_main_context_iteration (NULL, FALSE))
    ;
  return it->signum;
}

gboolean
tg_cli_interrupt_check (TgCliInterrupt *it, GError **error)
{
  int signum = tg_cli_interrupt_signal (it);
  if (signum == 0)
    return TRUE;
  g_set_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED, "interrupted by %s",
               signum == SIGINT ? "Ctrl-C (SIGINT)" : "SIGTERM");
  return FALSE;
}

typedef struct {
  TgCliWorkFunc func;
  gpointer      data;
  GError       *error;
  gpointer      result;
  gboolean      done;
} Work;

static void
work_thread (GTask *task, gpointer source, gpointer task_data, GCancellable *cancellable)
{
  Work *w = task_data;
  w->result = w->func (w->data, cancellable, &w->error);
  g_task_return_boolean (task, TRUE);
}

static void
work_done (GObject *source, GAsyncResult *result, gpointer user_data)
{
  Work *w = user_data;
  w->done = TRUE;
}

gpointer
tg_cli_interrupt_run (TgCliInterrupt *it, TgCliWorkFunc func, gpointer data, GError **error)
{
  Work w = { .func = func, .data = data };
  g_autoptr (GTask) task = g_task_new (NULL, it->cancellable, work_done, &w);
  g_task_set_task_data (task, &w, NULL);
  /* the task completes only once func has returned, cancelled or not: its threads are done
   * writing before the caller removes anything */
  g_task_set_return_on_cancel (task, FALSE);
  g_task_run_in_thread (task, work_thread);
  while (!w.done)
    g_main_context_iteration (NULL, TRUE);
  if (w.error != NULL)
    g_propagate_error (error, w.error);
  return w.result;
}

void
tg_cli_interrupt_free (TgCliInterrupt *it)
{
  if (it == NULL)
    return;
  /* the signals kill the process again once their last source goes */
  for (guint i = 0; i < G_N_ELEMENTS (signals); i++)
    if (it->sources[i] != 0)
      g_source_remove (it->sources[i]);
  g_object_unref (it->cancellable);
  g_free (it);
}
