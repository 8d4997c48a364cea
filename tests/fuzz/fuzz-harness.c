/* SPDX-License-Identifier: MIT */
/* fuzz-harness.c — the libFuzzer entry point for one target of fuzz-targets.c.
 *
 * Built once per target with FUZZ_TARGET_ID set to its FuzzTarget value (tests/fuzz/meson.build),
 * only by clang with -fsanitize=fuzzer. `./run.sh fuzz [SECONDS]` runs every one. */
#include "fuzz-targets.h"

#include <stddef.h>
#include <stdint.h>

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  g_autoptr (GError) error = NULL;

  fuzz_target_run (FUZZ_TARGET_ID, data, size, &error);
  return 0;
}
