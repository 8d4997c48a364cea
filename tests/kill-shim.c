/* SPDX-License-Identifier: MIT */
/* kill-shim.c — an LD_PRELOAD library for the kill tests: the process raises SIGKILL just
 * before its Nth call that changes a folder's entries (rename, renameat, renameat2, unlink,
 * unlinkat, rmdir), N from TG_KILL_AT, so a test can stop a save at each of its steps in
 * turn, exactly, without timing.
 *
 *   TG_KILL_AT=N            kill before the Nth such call (unset or 0: never)
 *   TG_KILL_LOG=FILE        append "N call path" for each such call (how a test counts them)
 *   TG_KILL_NO_EXCHANGE=1   renameat2 with RENAME_EXCHANGE fails with EINVAL, as on a file
 *                           system without it
 *
 * Not linked into anything we ship. */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#ifndef RENAME_EXCHANGE
#define RENAME_EXCHANGE (1 << 1)
#endif

static int calls;

/* Counts a call; logs it; dies if it is the one. */
static void
step (const char *what, const char *path)
{
  int n = __atomic_add_fetch (&calls, 1, __ATOMIC_SEQ_CST);
  const char *log = getenv ("TG_KILL_LOG");
  const char *at = getenv ("TG_KILL_AT");

  if (log != NULL && log[0] != '\0')
    {
      char line[4200];
      int len = snprintf (line, sizeof line, "%d %s %s\n", n, what, path != NULL ? path : "");
      int fd = open (log, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644);
      if (fd >= 0)
        {
          if (len > 0 && write (fd, line, (size_t) len < sizeof line ? (size_t) len
                                                                     : sizeof line - 1) < 0)
            len = 0;
          close (fd);
        }
    }
  if (at != NULL && atoi (at) == n)
    raise (SIGKILL);
}

int
rename (const char *from, const char *to)
{
  static int (*real) (const char *, const char *);
  if (real == NULL)
    real = (int (*) (const char *, const char *)) dlsym (RTLD_NEXT, "rename");
  step ("rename", to);
  return real (from, to);
}

int
renameat (int fromfd, const char *from, int tofd, const char *to)
{
  static int (*real) (int, const char *, int, const char *);
  if (real == NULL)
    real = (int (*) (int, const char *, int, const char *)) dlsym (RTLD_NEXT, "renameat");
  step ("renameat", to);
  return real (fromfd, from, tofd, to);
}

int
renameat2 (int fromfd, const char *from, int tofd, const char *to, unsigned int flags)
{
  static int (*real) (int, const char *, int, const char *, unsigned int);
  const char *no = getenv ("TG_KILL_NO_EXCHANGE");
  if (real == NULL)
    real = (int (*) (int, const char *, int, const char *, unsigned int))
             dlsym (RTLD_NEXT, "renameat2");
  step ((flags & RENAME_EXCHANGE) ? "exchange" : "renameat2", to);
  if ((flags & RENAME_EXCHANGE) && no != NULL && strcmp (no, "1") == 0)
    {
      errno = EINVAL;
      return -1;
    }
  return real (fromfd, from, tofd, to, flags);
}

int
unlink (const char *path)
{
  static int (*real) (const char *);
  if (real == NULL)
    real = (int (*) (const char *)) dlsym (RTLD_NEXT, "unlink");
  step ("unlink", path);
  return real (path);
}

int
unlinkat (int fd, const char *path, int flags)
{
  static int (*real) (int, const char *, int);
  if (real == NULL)
    real = (int (*) (int, const char *, int)) dlsym (RTLD_NEXT, "unlinkat");
  step ("unlinkat", path);
  return real (fd, path, flags);
}

int
rmdir (const char *path)
{
  static int (*real) (const char *);
  if (real == NULL)
    real = (int (*) (const char *)) dlsym (RTLD_NEXT, "rmdir");
  step ("rmdir", path);
  return real (path);
}
