#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
#
# po/POTFILES.in against the tree: every file with translatable strings must
# be listed (or the template misses its strings and they stay English), and
# every listed file must exist (or xgettext fails).
#
#   check-potfiles.py SOURCE_ROOT
#
# A file has translatable strings when it is C with _(), N_(), C_(), NC_(),
# Q_() or a gettext function; a GtkBuilder file with a translatable
# property; or a desktop entry, AppStream metainfo or settings schema, which
# always have some. Files listed in po/POTFILES.skip are exempt.

import os
import re
import sys

# Not shipped to users, or not sources: tests, fuzzers and benchmarks may
# use gettext without being translated.
SKIP_DIRS = {'.git', 'po', 'tests', 'fuzz', 'bench', 'docs', 'subprojects'}

C_MARK = re.compile(r'(?<![A-Za-z0-9_])'
                    r'(?:_|N_|C_|NC_|Q_'
                    r'|g_d?n?gettext|g_dc?gettext|g_dpgettext2?|g_strip_context'
                    r'|d?c?n?gettext|dcngettext|pgettext|npgettext)\s*\(')
C_COMMENT = re.compile(r'/\*.*?\*/|//[^\n]*', re.S)
C_STRING = re.compile(r'"(?:[^"\\\n]|\\.)*"|\'(?:[^\'\\\n]|\\.)*\'')
UI_MARK = re.compile(r'translatable\s*=\s*["\'](?:yes|true|1)["\']', re.I)
ALWAYS = ('.desktop.in', '.metainfo.xml.in', '.appdata.xml.in', '.gschema.xml')


def is_build_dir(path, names):
    base = os.path.basename(path)
    return ('meson-private' in names or 'build.ninja' in names
            or base == 'build' or (base.startswith('build-') and base != 'build-aux')
            or base == '_build')


def has_strings(path):
    name = os.path.basename(path)
    if name.endswith(ALWAYS):
        return True
    if name.endswith(('.c', '.h')):
        with open(path, encoding='utf-8', errors='replace') as f:
            code = f.read()
        # Comments out first, then literals emptied: a "_(" in prose or in
        # a string is not a call.
        code = C_STRING.sub('""', C_COMMENT.sub(' ', code))
        return C_MARK.search(code) is not None
    if name.endswith('.ui'):
        with open(path, encoding='utf-8', errors='replace') as f:
            return UI_MARK.search(f.read()) is not None
    return False


def read_list(path):
    entries = []
    if not os.path.exists(path):
        return entries
    with open(path, encoding='utf-8') as f:
        for number, line in enumerate(f, 1):
            line = line.strip()
            if line and not line.startswith('#'):
                entries.append((number, line))
    return entries


def main():
    if len(sys.argv) != 2:
        print('usage: check-potfiles.py SOURCE_ROOT', file=sys.stderr)
        return 2

    root = os.path.abspath(sys.argv[1])
    potfiles = os.path.join(root, 'po', 'POTFILES.in')
    if not os.path.exists(potfiles):
        print('po/POTFILES.in: missing')
        return 1

    listed = read_list(potfiles)
    listed_paths = {p for _, p in listed}
    skipped = {p for _, p in read_list(os.path.join(root, 'po', 'POTFILES.skip'))}
    errors = []

    for number, rel in listed:
        if not os.path.isfile(os.path.join(root, rel)):
            errors.append(f'po/POTFILES.in:{number}: {rel} does not exist')

    seen = {}
    for _, rel in listed:
        if rel in seen:
            errors.append(f'po/POTFILES.in: {rel} is listed twice')
        seen[rel] = True

    found = []
    for dirpath, dirnames, filenames in os.walk(root):
        rel_dir = os.path.relpath(dirpath, root)
        if rel_dir == '.':
            dirnames[:] = [d for d in dirnames
                           if d not in SKIP_DIRS and not d.startswith('.')]
        dirnames[:] = [d for d in dirnames if not d.startswith('.')
                       and not is_build_dir(os.path.join(dirpath, d),
                                            os.listdir(os.path.join(dirpath, d)))]
        for name in filenames:
            path = os.path.join(dirpath, name)
            rel = os.path.relpath(path, root).replace(os.sep, '/')
            if has_strings(path):
                found.append(rel)

    for rel in sorted(found):
        if rel not in listed_paths and rel not in skipped:
            errors.append(f'{rel}: has translatable strings but is not in po/POTFILES.in')

    for message in errors:
        print(message)
    if errors:
        return 1

    print(f'po/POTFILES.in: {len(listed)} files, all {len(found)} with strings listed')
    return 0


if __name__ == '__main__':
    sys.exit(main())
