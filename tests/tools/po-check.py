#!/usr/bin/env python3
"""po-check.py SRCDIR — the translations are complete and POTFILES misses no file.

1. xgettext extracts the marked strings of the files po/POTFILES lists (the keywords of
   meson's glib preset); every po/LANG.po of po/LINGUAS, merged with that template, has
   no untranslated and no fuzzy message and passes msgfmt --check (formats included).
2. xgettext finds no marked string in any other source or template (src/**/*.c,
   ui/*.ui, resources/**/*.ui, data/*.gschema.xml): a file that gained a _() or a
   translatable="yes" is in POTFILES.
Exits 1 naming what is wrong, 0 otherwise.
"""
import glob
import os
import subprocess
import sys
import tempfile

KEYWORDS = ['--keyword=_', '--keyword=N_', '--keyword=C_:1c,2', '--keyword=NC_:1c,2',
            '--keyword=g_dcgettext:2', '--keyword=g_dngettext:2,3',
            '--keyword=g_dpgettext2:2c,3', '--flag=N_:1:pass-c-format',
            '--flag=C_:2:pass-c-format', '--flag=NC_:2:pass-c-format',
            '--flag=g_dngettext:2:pass-c-format', '--flag=g_strdup_printf:1:c-format',
            '--flag=g_string_printf:2:c-format', '--flag=g_string_append_printf:2:c-format',
            '--flag=g_error_new:3:c-format', '--flag=g_set_error:4:c-format']


def run(cmd, **kw):
    return subprocess.run(cmd, check=False, capture_output=True, text=True, **kw)


def xgettext(src, files, out):
    r = run(['xgettext', '--from-code=UTF-8', '--force-po', '-o', out] + KEYWORDS + files,
            cwd=src)
    if r.returncode != 0:
        sys.exit('po-check: xgettext failed:\n' + r.stderr)


def msgids(pot):
    """The msgids of a template, the header's aside."""
    return msgids_of(run(['msgattrib', '--no-wrap', pot]).stdout)


def main():
    src = os.path.abspath(sys.argv[1])
    listed = [l.strip() for l in open(os.path.join(src, 'po', 'POTFILES'))
              if l.strip() and not l.startswith('#')]
    faults = []
    for f in listed:
        if not os.path.isfile(os.path.join(src, f)):
            faults.append('POTFILES lists %s, which does not exist' % f)
    langs = open(os.path.join(src, 'po', 'LINGUAS')).read().split()
    with tempfile.TemporaryDirectory() as tmp:
        pot = os.path.join(tmp, 'all.pot')
        xgettext(src, listed, pot)
        n_ids = len(msgids(pot))
        if n_ids < 100:
            faults.append('only %d marked strings in the POTFILES files' % n_ids)
        for lang in langs:
            before = len(faults)
            merged = os.path.join(tmp, lang + '.po')
            r = run(['msgmerge', '--quiet', '--no-fuzzy-matching', '-o', merged,
                     os.path.join(src, 'po', lang + '.po'), pot])
            if r.returncode != 0:
                faults.append('msgmerge %s.po: %s' % (lang, r.stderr))
                continue
            for what, flag in (('untranslated', '--untranslated'), ('fuzzy', '--only-fuzzy')):
                for m in msgids_of(run(['msgattrib', flag, '--no-obsolete', merged]).stdout):
                    faults.append('%s.po: %s: %s' % (lang, what, m))
            r = run(['msgfmt', '--check', '-o', os.devnull, merged])
            if r.returncode != 0:
                faults.append('msgfmt --check %s.po:\n%s' % (lang, r.stderr))
            if len(faults) == before:
                print('%s: %d messages, all translated' % (lang, n_ids))

        others = sorted(set(glob.glob('src/**/*.c', root_dir=src, recursive=True)
                            + glob.glob('ui/*.ui', root_dir=src)
                            + glob.glob('resources/**/*.ui', root_dir=src, recursive=True)
                            + glob.glob('data/*.gschema.xml', root_dir=src)) - set(listed))
        out = os.path.join(tmp, 'others.pot')
        xgettext(src, others, out)
        for block in open(out).read().split('\n\n'):
            refs = ' '.join(l[3:] for l in block.splitlines() if l.startswith('#: '))
            for m in msgids_of(block):
                faults.append('%s marks %s, but its file is not in po/POTFILES' % (refs, m))
        print('%d files outside POTFILES mark nothing' % len(others))
    for f in faults:
        print('po-check: ' + f, file=sys.stderr)
    return 1 if faults else 0


def msgids_of(po_text):
    ids, cur = [], None
    for line in po_text.splitlines() + ['']:
        if line.startswith('msgid '):
            cur = line[6:]
        elif line.startswith('"') and cur is not None:
            cur += line
        else:
            if cur is not None and cur != '""':
                ids.append(cur)
            cur = None
    return ids


if __name__ == '__main__':
    sys.exit(main())
