/* SPDX-License-Identifier: MIT */
/* studio-resources.c — the GResource is linked in a static library and registered by hand,
 * so the tests that link the same library find the templates too. */
#include "studio-resources.h"

#include <gio/gio.h>
#include "studio-gresources.h"

void
studio_ensure_resources (void)
{
  static gsize once;

  if (g_once_init_enter (&once))
    {
      studio_register_resource ();
      g_once_init_leave (&once, 1);
    }
}
