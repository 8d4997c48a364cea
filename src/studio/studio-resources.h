/* SPDX-License-Identifier: MIT */
/* studio-resources.h — registers the compiled GResource (templates, CSS, icon) once. */
#pragma once

void studio_ensure_resources (void);
