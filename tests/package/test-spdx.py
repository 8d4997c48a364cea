#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Every source file names its licence on its first line (after a #! line), as LICENSE
grants it: C and headers `/* SPDX-License-Identifier: MIT */`, meson, Python and shell
`# SPDX-License-Identifier: MIT`.

Usage: test-spdx.py SRCDIR
The files are git's tracked files in a checkout, else every file of the tree (an unpacked
release); the fuzz corpus and the build folders are data, not source.
"""
import os
import subprocess
import sys

LICENSE_ID = "MIT"
C_HEADER = f"/* SPDX-License-Identifier: {LICENSE_ID} */"
HASH_HEADER = f"# SPDX-License-Identifier: {LICENSE_ID}"


def source_files(src):
    if os.path.exists(os.path.join(src, ".git")):
        out = subprocess.run(["git", "-C", src, "ls-files", "-z"], capture_output=True,
                             text=True, check=True).stdout
        files = [f for f in out.split("\0") if f]
    else:
        files = [os.path.relpath(os.path.join(d, f), src) for d, ds, fs in os.walk(src)
                 for f in fs]
    return [f for f in files if not f.startswith(("build", "tests/fuzz/corpus/", "data/mnist/"))
            and os.path.isfile(os.path.join(src, f))]


def wanted_header(path, first_line):
    name = os.path.basename(path)
    if name.endswith((".c", ".h")):
        return C_HEADER
    if name in ("meson.build", "meson_options.txt") or name.endswith((".py", ".sh")):
        return HASH_HEADER
    if first_line.startswith("#!") and ("sh" in first_line or "python" in first_line):
        return HASH_HEADER
    return None


def main():
    src = sys.argv[1]
    licence = open(os.path.join(src, "LICENSE"), encoding="utf-8").read()
    if not licence.startswith("MIT License"):
        sys.exit("LICENSE is not the MIT licence the headers name")
    checked, faults = 0, []
    for f in source_files(src):
        with open(os.path.join(src, f), encoding="utf-8", errors="replace") as fh:
            lines = fh.read().split("\n", 2)
        want = wanted_header(f, lines[0])
        if want is None:
            continue
        checked += 1
        line = lines[1] if lines[0].startswith("#!") and len(lines) > 1 else lines[0]
        if line != want:
            faults.append(f"{f}: its first line is not “{want}”")
    for msg in faults:
        print(msg, file=sys.stderr)
    if checked < 100:
        faults.append(f"only {checked} source files found")
        print(faults[-1], file=sys.stderr)
    print(f"{checked} source files checked, {len(faults)} without the licence header")
    sys.exit(1 if faults else 0)


if __name__ == "__main__":
    main()
