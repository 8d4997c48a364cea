#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""The manual pages and --help agree: every option a page documents exists in the program's
--help, and every option --help lists is documented, with the same short name and argument.

Usage: test-man-options.py TAUGATE TAUGATE.1 TAUGATE_STUDIO TAUGATE-STUDIO.1
taugate(1): the top-level OPTIONS against `taugate --help`'s Options, one subsection
"taugate COMMAND ..." per command of `taugate --help` (and no other), each holding that
command's options; a command whose text names the "experiment options" or the "figure
options" takes those subsections' options as well. taugate-studio(1): OPTIONS against the
Application Options of `taugate-studio --help` plus -h, --help.
"""
import os
import re
import subprocess
import sys

SHORT = re.compile(r"\\fB\\-([A-Za-z0-9])\\fR")
LONG = re.compile(r"\\fB\\-\\-([a-z0-9](?:[a-z0-9]|\\-)*)\\fR(?:=\\fI((?:[^\\]|\\-)+)\\fR)?")
HELP_LINE = re.compile(r"^\s+(?:-([A-Za-z0-9]), )?--([a-z0-9][a-z0-9-]*)(?:=(\S+))?(?:\s|$)")


def unescape(s):
    return s.replace("\\-", "-")


def man_sections(path):
    """{(level, title): [(short, long, arg), ...]} and {(level, title): body text}"""
    opts, text, key = {}, {}, None
    lines = open(path, encoding="utf-8").read().splitlines()
    for i, line in enumerate(lines):
        m = re.match(r'^\.(SH|SS)\s+"?([^"]*)"?\s*$', line)
        if m:
            key = (m.group(1), unescape(m.group(2)))
            opts.setdefault(key, [])
            text.setdefault(key, "")
            continue
        if key is None:
            continue
        text[key] += unescape(line) + "\n"
        if line.startswith(".TP") and i + 1 < len(lines):
            tag = lines[i + 1]
            longs = LONG.findall(tag)
            if not longs:
                continue
            shorts = SHORT.findall(tag)
            name, arg = longs[0]
            opts[key].append((shorts[0] if shorts else None, unescape(name), unescape(arg) or None))
    return opts, text


def help_options(argv, sections=("Application Options:",)):
    env = dict(os.environ, LC_ALL="C.UTF-8")
    env.pop("LANGUAGE", None)
    p = subprocess.run(argv, env=env, capture_output=True, text=True, timeout=60)
    if p.returncode != 0:
        sys.exit(f"{' '.join(argv)}: exit {p.returncode}: {p.stderr}")
    found, inside = [], False
    for line in p.stdout.splitlines():
        if line and not line[0].isspace():
            inside = line.strip() in sections
            continue
        m = HELP_LINE.match(line)
        if inside and m:
            found.append((m.group(1), m.group(2), m.group(3)))
    return found, p.stdout


def compare(what, documented, listed):
    """both ways; returns the number of faults, each said on stderr"""
    faults = 0
    doc, lst = {o[1]: o for o in documented}, {o[1]: o for o in listed}
    if len(doc) != len(documented):
        print(f"{what}: an option is documented twice: {sorted(o[1] for o in documented)}",
              file=sys.stderr)
        faults += 1
    for name in sorted(set(doc) - set(lst)):
        print(f"{what}: --{name} is in the manual page but not in --help", file=sys.stderr)
        faults += 1
    for name in sorted(set(lst) - set(doc)):
        print(f"{what}: --{name} is in --help but not in the manual page", file=sys.stderr)
        faults += 1
    for name in sorted(set(doc) & set(lst)):
        if doc[name] != lst[name]:
            print(f"{what}: --{name}: the manual page has {doc[name]}, --help {lst[name]}",
                  file=sys.stderr)
            faults += 1
    return faults


def check_taugate(exe, page):
    opts, text = man_sections(page)
    faults, checked = 0, 0
    top, usage = help_options([exe, "--help"], ("Options:",))
    faults += compare("taugate", opts.get(("SH", "OPTIONS"), []), top)
    checked += len(top)
    cmd_block = usage.split("Commands:\n", 1)[1].split("\n\n", 1)[0]
    commands = [l.split()[0] for l in cmd_block.splitlines() if l.strip()]
    pages = {k[1].split()[1]: k for k in opts if k[0] == "SS" and k[1].startswith("taugate ")}
    for c in sorted(set(pages) - set(commands)):
        print(f"taugate: the manual page documents a command '{c}' that --help does not list",
              file=sys.stderr)
        faults += 1
    for c in commands:
        if c not in pages:
            print(f"taugate: the command '{c}' has no subsection in the manual page",
                  file=sys.stderr)
            faults += 1
            continue
        key = pages[c]
        documented = list(opts[key])
        for shared in ("Experiment options", "Figure options"):
            if shared.lower() in " ".join(text[key].split()).lower():
                documented += opts.get(("SS", shared), [])
        listed, _ = help_options([exe, c, "--help"])
        faults += compare(f"taugate {c}", documented, listed)
        checked += len(listed)
    return faults, checked, len(commands)


def check_studio(exe, page):
    opts, _ = man_sections(page)
    listed, _ = help_options([exe, "--help"])
    listed.append(("h", "help", None))
    return compare("taugate-studio", opts.get(("SH", "OPTIONS"), []), listed), len(listed)


def main():
    taugate, taugate_page, studio, studio_page = sys.argv[1:5]
    faults, checked, commands = check_taugate(taugate, taugate_page)
    f, n = check_studio(studio, studio_page)
    faults += f
    checked += n
    # a parser that finds nothing would agree with anything
    if commands < 7 or checked < 60:
        print(f"only {commands} commands and {checked} options read from --help", file=sys.stderr)
        faults += 1
    print(f"{checked} options of {commands} commands and the studio checked, {faults} faults")
    sys.exit(1 if faults else 0)


if __name__ == "__main__":
    main()
