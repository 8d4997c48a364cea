#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""--version of taugate and taugate-studio: the project's version, from meson.build alone.

Usage: test-version.py TAUGATE TAUGATE_STUDIO VERSION
Both print "NAME VERSION" on stdout and exit 0; the studio does so without a display (it
answers before GTK is set up), and neither writes anything on stderr.
"""
import os
import subprocess
import sys


def check(argv, name, version):
    env = dict(os.environ)
    env.pop("DISPLAY", None)
    env.pop("WAYLAND_DISPLAY", None)
    p = subprocess.run(argv + ["--version"], env=env, capture_output=True, text=True, timeout=60)
    want = f"{name} {version}\n"
    ok = p.returncode == 0 and p.stdout == want and p.stderr == ""
    if not ok:
        print(f"{name} --version: exit {p.returncode}, stdout {p.stdout!r}, stderr {p.stderr!r};"
              f" wanted exit 0 and {want!r}", file=sys.stderr)
    return ok


def main():
    taugate, studio, version = sys.argv[1:4]
    if not version or version.count(".") != 2:
        sys.exit(f"test-version.py: '{version}' is not a MAJOR.MINOR.PATCH version")
    ok = check([taugate], "taugate", version)
    ok = check([studio], "taugate-studio", version) and ok
    # the version is not a subcommand: a command's own --help still works after it was added
    p = subprocess.run([taugate, "--help"], capture_output=True, text=True, timeout=60)
    if p.returncode != 0 or "--version" not in p.stdout:
        print("taugate --help does not list --version", file=sys.stderr)
        ok = False
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
