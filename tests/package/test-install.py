#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""The installed programs run from their prefix: `meson install --destdir` into a temporary
folder, then what a packager and a user find there.

Usage: test-install.py BUILDDIR SRCDIR VERSION
Checks, all from the installed tree: taugate and taugate-studio --version; the schema
compiled there (as the distribution's trigger does) and found by GLib through
GSETTINGS_SCHEMA_DIR; a --screenshot of the installed studio (its templates, CSS and icon
come from the GResource inside the binary); `man -l` of both installed pages without a
groff warning; the desktop file and the metainfo valid, the metainfo's release the
program's version and each screenshot one of the README's docs/*.png; the icon.
"""
import os
import re
import shutil
import struct
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET

faults = []


def fault(msg):
    print(msg, file=sys.stderr)
    faults.append(msg)


def run(argv, env=None, timeout=120):
    p = subprocess.run(argv, env=env, capture_output=True, text=True, timeout=timeout)
    if p.returncode != 0:
        fault(f"{' '.join(argv)}: exit {p.returncode}\n{p.stdout}{p.stderr}")
    return p


def find(root, rel):
    """the one path ending in rel under root (the prefix is the build's, e.g. /usr/local)"""
    hits = [os.path.join(d, f) for d, _, fs in os.walk(root) for f in fs
            if os.path.join(d, f).endswith(os.sep + rel)]
    if len(hits) != 1:
        fault(f"{rel}: {len(hits)} installed, wanted 1: {hits}")
        return None
    return hits[0]


def png_size(path):
    with open(path, "rb") as f:
        head = f.read(24)
    if head[:8] != b"\x89PNG\r\n\x1a\n":
        return None
    return struct.unpack(">II", head[16:24])


def check_programs(prefix, version, env):
    for name in ("taugate", "taugate-studio"):
        p = run([os.path.join(prefix, "bin", name), "--version"], env=env)
        if p.stdout != f"{name} {version}\n":
            fault(f"installed {name} --version printed {p.stdout!r}")


def check_schema(prefix, env):
    schemas = os.path.join(prefix, "share", "glib-2.0", "schemas")
    run(["glib-compile-schemas", "--strict", schemas])
    env["GSETTINGS_SCHEMA_DIR"] = schemas
    p = run(["gsettings", "list-keys", "org.taugate.Studio"], env=env)
    for key in ("window-width", "dark-style", "data-folder"):
        if key not in p.stdout.split():
            fault(f"the installed schema has no key {key}: {p.stdout!r}")


def check_screenshot(prefix, tmp, env):
    if not os.environ.get("DISPLAY") and not os.environ.get("WAYLAND_DISPLAY"):
        fault("no display: run under xvfb-run")
        return
    png = os.path.join(tmp, "installed.png")
    # run from an empty folder: nothing of the source or build tree is near
    cwd = os.path.join(tmp, "cwd")
    os.mkdir(cwd)
    p = subprocess.run([os.path.join(prefix, "bin", "taugate-studio"), "--autostart",
                        "--train-limit", "600", "--test-limit", "300",
                        "--quit-after-steps", "3", "--screenshot", png],
                       env=env, cwd=cwd, capture_output=True, text=True, timeout=300)
    if p.returncode != 0 or "CRITICAL" in p.stderr or "WARNING" in p.stderr:
        fault(f"installed taugate-studio --screenshot: exit {p.returncode}\n{p.stderr}")
    size = png_size(png) if os.path.exists(png) else None
    if size is None or size[0] < 800 or size[1] < 500:
        fault(f"installed taugate-studio --screenshot wrote no window-sized PNG: {size}")
    keep = os.environ.get("G_TEST_BUILDDIR")
    if keep and size is not None:
        shutil.copy(png, os.path.join(keep, "installed-studio.png"))


def check_man(prefix, version):
    for name in ("taugate", "taugate-studio"):
        page = os.path.join(prefix, "share", "man", "man1", name + ".1")
        if not os.path.exists(page):
            fault(f"{page} is not installed")
            continue
        env = dict(os.environ, MANWIDTH="80", MAN_KEEP_FORMATTING="0", LC_ALL="C.UTF-8")
        p = run(["man", "--warnings", "-l", page], env=env)
        text = re.sub(r".\x08", "", p.stdout)
        if f"{name} {version}" not in text or "--version" not in text or p.stderr.strip():
            fault(f"man -l {page}: no '{name} {version}' or --version, or warnings:\n{p.stderr}")


def check_desktop_metainfo(prefix, src, version):
    desktop = os.path.join(prefix, "share", "applications", "org.taugate.Studio.desktop")
    meta = os.path.join(prefix, "share", "metainfo", "org.taugate.Studio.metainfo.xml")
    icon = os.path.join(prefix, "share", "icons", "hicolor", "scalable", "apps",
                        "org.taugate.Studio.svg")
    for f in (desktop, meta, icon):
        if not os.path.exists(f):
            fault(f"{f} is not installed")
    if not os.path.exists(meta):
        return
    if shutil.which("desktop-file-validate"):
        run(["desktop-file-validate", desktop])
    if shutil.which("appstreamcli"):
        run(["appstreamcli", "validate", "--no-net", "--strict", meta])
    root = ET.parse(meta).getroot()
    releases = [r.get("version") for r in root.iter("release")]
    if not releases or releases[0] != version:
        fault(f"the metainfo's latest release is {releases[:1]}, the program's version {version}")
    shots = [i.text for i in root.iter("image")]
    if len(shots) < 3:
        fault(f"the metainfo has {len(shots)} screenshots")
    for url in shots:
        m = re.search(r"/(docs/[^/]+\.png)$", url or "")
        if not m or not os.path.exists(os.path.join(src, m.group(1))):
            fault(f"screenshot {url} is not one of the source tree's docs/*.png")
    for want in ("launchable", "content_rating", "developer_name", "url"):
        if root.find(want) is None:
            fault(f"the metainfo has no <{want}>")


def main():
    build, src, version = sys.argv[1:4]
    with tempfile.TemporaryDirectory(prefix="taugate-install-") as tmp:
        dest = os.path.join(tmp, "dest")
        run(["meson", "install", "-C", build, "--destdir", dest, "--no-rebuild", "--quiet"])
        taugate = find(dest, os.path.join("bin", "taugate"))
        if taugate is None:
            sys.exit(1)
        prefix = os.path.dirname(os.path.dirname(taugate))
        env = dict(os.environ)
        check_programs(prefix, version, env)
        check_schema(prefix, env)
        check_screenshot(prefix, tmp, env)
        check_man(prefix, version)
        check_desktop_metainfo(prefix, src, version)
    print(f"installed tree checked, {len(faults)} faults")
    sys.exit(1 if faults else 0)


if __name__ == "__main__":
    main()
