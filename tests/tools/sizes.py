#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""sizes.py — lists the C files over a line limit and the functions over a line limit.

The house style wants no file over about 600 lines and no function over about 80; this
lists what is over, longest first, so the exceptions can be named. Functions are found by
brace counting: a line starting in column 0 with an identifier followed by '(' whose
body opens with '{' in column 0. Usage: sizes.py [--file-max N] [--func-max N] DIR...
Exits 0 always: a list to read, not a gate."""
import argparse
import os
import re
import sys

HEAD = re.compile(r'^([A-Za-z_]\w*)\s*\(')


def functions(lines):
    """Yields (name, first line, length) for each top-level function definition."""
    i = 0
    n = len(lines)
    while i < n:
        m = HEAD.match(lines[i])
        if m and not lines[i].rstrip().endswith(';'):
            j = i
            while j < n and not lines[j].startswith('{'):
                if lines[j].rstrip().endswith(';') or (j > i and HEAD.match(lines[j])):
                    break
                j += 1
            if j < n and lines[j].startswith('{'):
                k = j + 1
                while k < n and not lines[k].startswith('}'):
                    k += 1
                start = i - 1 if i > 0 and lines[i - 1].strip() and not lines[i - 1].startswith((' ', '/', '*', '#', '}')) else i
                yield m.group(1), start + 1, k - start + 1
                i = k + 1
                continue
        i += 1


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--file-max', type=int, default=600)
    ap.add_argument('--func-max', type=int, default=80)
    ap.add_argument('dirs', nargs='*', default=['src'])
    a = ap.parse_args()
    big_files, big_funcs = [], []
    for d in a.dirs:
        for root, _, files in os.walk(d):
            for f in sorted(files):
                if not f.endswith(('.c', '.h')):
                    continue
                p = os.path.join(root, f)
                with open(p, encoding='utf-8', errors='replace') as fh:
                    lines = fh.read().split('\n')
                if len(lines) - 1 > a.file_max:
                    big_files.append((len(lines) - 1, p))
                for name, first, length in functions(lines):
                    if length > a.func_max:
                        big_funcs.append((length, p, first, name))
    print(f'files over {a.file_max} lines:')
    for n, p in sorted(big_files, reverse=True):
        print(f'  {n:5d}  {p}')
    print(f'functions over {a.func_max} lines:')
    for n, p, first, name in sorted(big_funcs, reverse=True):
        print(f'  {n:5d}  {p}:{first}  {name}')
    return 0


if __name__ == '__main__':
    sys.exit(main())
