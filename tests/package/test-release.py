#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""A release archive builds and passes its tests without git: `meson dist` (the committed
files; without its own build and test, which would build everything), unpacked into a
temporary folder with no .git, configured, built and tested there.

Usage: test-release.py BUILDDIR SRCDIR VERSION
To stay within a minute and a half it builds only taugate, taugate-studio and the programs
of the tests it runs (RUN below: the model's gradients, the JSON gate, the unit orders, the
version, the manual pages against --help, and the schema, desktop file and metainfo
validation), unoptimised; the whole suite runs in the checkout. MNIST (git-ignored, fetched
by run.sh) is linked into the unpacked tree, as a user would fetch it there.
"""
import os
import shutil
import subprocess
import sys
import tarfile
import tempfile

RUN = ["model", "json", "unit-order", "version", "man-options", "gschema", "desktop-file",
       "metainfo"]
TARGETS = ["src/cli/taugate", "src/studio/taugate-studio", "tests/engine/test-model",
           "tests/checkpoint/test-json", "tests/engine/test-unit-order"]


def run(argv, **kw):
    p = subprocess.run(argv, capture_output=True, text=True, **kw)
    if p.returncode != 0:
        sys.exit(f"{' '.join(argv)}: exit {p.returncode}\n{p.stdout[-4000:]}{p.stderr[-4000:]}")
    return p.stdout


def main():
    build_dir, src, version = sys.argv[1:4]
    if shutil.which("git") is None or not os.path.exists(os.path.join(src, ".git")):
        print("not a git checkout (an unpacked release itself): nothing to archive")
        sys.exit(77)
    tracked = [f for f in run(["git", "-C", src, "ls-tree", "-r", "-z", "--name-only",
                               "HEAD"]).split("\0") if f]
    with tempfile.TemporaryDirectory(prefix="taugate-release-") as tmp:
        name = f"taugate-studio-{version}"
        # --allow-dirty: a checkout with edits still makes its archive, of what is committed
        run(["meson", "dist", "-C", build_dir, "--no-tests", "--formats", "gztar",
             "--allow-dirty"])
        archive = os.path.join(build_dir, "meson-dist", name + ".tar.gz")
        with tarfile.open(archive) as t:
            if hasattr(tarfile, "data_filter"):
                t.extractall(tmp, filter="data")
            else:
                t.extractall(tmp)
        tree = os.path.join(tmp, name)
        unpacked = {os.path.relpath(os.path.join(d, f), tree)
                    for d, _, fs in os.walk(tree) for f in fs}
        missing = sorted(set(tracked) - unpacked)
        if missing or os.path.exists(os.path.join(tree, ".git")):
            sys.exit(f"the archive lacks {missing[:5]} or holds .git")
        mnist = os.path.join(src, "data", "mnist")
        if os.path.isdir(mnist):
            os.symlink(os.path.abspath(mnist), os.path.join(tree, "data", "mnist"))
        build = os.path.join(tmp, "build")
        env = dict(os.environ)
        # the checkout's sanitizer settings are not this build's
        for var in ("ASAN_OPTIONS", "UBSAN_OPTIONS", "LSAN_OPTIONS"):
            env.pop(var, None)
        run(["meson", "setup", build, tree, "-Dbuildtype=plain"], env=env)
        run(["ninja", "-C", build] + TARGETS, env=env)
        out = run(["meson", "test", "-C", build, "--no-rebuild", "--print-errorlogs"] + RUN,
                  env=env)
        ok = [l for l in out.splitlines() if l.startswith("Ok:")]
        if not ok or int(ok[0].split()[1]) != len(RUN):
            sys.exit(f"the unpacked release passed {ok} of {len(RUN)} tests:\n{out}")
    print(f"{name}: {len(tracked)} files archived without .git; built {len(TARGETS)} targets;"
          f" {len(RUN)} tests passed: {' '.join(RUN)}")


if __name__ == "__main__":
    main()
