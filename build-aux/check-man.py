#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
#
# The man pages say what --help says: every option and its description in
# `gloss --help-all`, the usage lines of `gloss-cli --help`, and every
# option of each gloss-cli command; and the pages carry the project version.
#
#   check-man.py VERSION GLOSS GLOSS_CLI GLOSS_1 GLOSS_CLI_1

import re
import shlex
import os
import subprocess
import sys

errors = []

# Alternating-font macros join their arguments with no space between.
ALTERNATING = {'.BR', '.RB', '.IR', '.RI', '.BI', '.IB'}
SKIP = {'.br', '.PP', '.TP', '.RS', '.RE', '.nh', '.ad', '.UE'}


def roff_to_text(path):
    """A plain-text reading of a hand-written man page, good enough to
    search: macros resolved, escapes undone, whitespace collapsed."""
    words = []
    with open(path, encoding='utf-8') as f:
        for line in f:
            line = line.rstrip('\n')
            if line.startswith(".\\\"") or line.startswith("'\\\""):
                continue
            line = (line.replace('\\&', '').replace('\\-', '-').replace('\\(dq', '\x00')
                    .replace('\\(lq', '“').replace('\\(rq', '”'))
            line = re.sub(r'\\f[BIRP]', '', line)
            if line.startswith('.'):
                macro, _, rest = line.partition(' ')
                if macro in SKIP:
                    continue
                args = shlex.split(rest, posix=True) if rest else []
                args = [a.replace('\x00', '"') for a in args]
                if macro in ALTERNATING:
                    words.append(''.join(args))
                elif macro in ('.TH', '.SH', '.B', '.I', '.UR'):
                    words.append(' '.join(args))
                continue
            words.append(line.replace('\x00', '"'))
    return ' '.join(' '.join(words).split())


def run(*argv):
    # The man pages are English: compare with the untranslated --help.
    env = dict(os.environ, LC_ALL='C.UTF-8', LANGUAGE='')
    result = subprocess.run(argv, capture_output=True, text=True, env=env)
    if result.returncode != 0:
        errors.append(f'{" ".join(argv)}: exit status {result.returncode}: {result.stderr}')
    return result.stdout


def help_options(text):
    """(option, description) pairs from GOption --help output."""
    pairs = []
    for line in text.splitlines():
        m = re.match(r'^\s+((?:-\w, )?--[\w-]+(?:=\w+)?)\s{2,}(.*)$', line)
        if m:
            pairs.append((m.group(1), m.group(2).strip()))
        else:
            m = re.match(r'^\s+((?:-\w, )?--[\w-]+)\s*$', line)
            if m:
                pairs.append((m.group(1), ''))
    return pairs


def check_options(page, name, help_text, skip=()):
    found = help_options(help_text)
    if not found:
        errors.append(f'{name}: no options found in --help')
    for option, description in found:
        if option in skip:
            continue
        if option not in page:
            errors.append(f'{name}: the man page lacks “{option}”')
        if description and description.rstrip('.') not in page:
            errors.append(f'{name}: the man page lacks the description of {option}: '
                          f'“{description}”')


def main():
    if len(sys.argv) != 6:
        print('usage: check-man.py VERSION GLOSS GLOSS_CLI GLOSS_1 GLOSS_CLI_1', file=sys.stderr)
        return 2
    version, gloss, gloss_cli, gloss_1, gloss_cli_1 = sys.argv[1:]
    pages = {gloss_1: roff_to_text(gloss_1), gloss_cli_1: roff_to_text(gloss_cli_1)}

    for path, text in pages.items():
        if f'Gloss {version}' not in text:
            errors.append(f'{path}: .TH does not say “Gloss {version}”')
        if ' EXIT STATUS ' not in text:
            errors.append(f'{path}: no EXIT STATUS section')

    # gloss: every option GOption and GApplication print.
    check_options(pages[gloss_1], 'gloss', run(gloss, '--help-all'))
    if run(gloss, '--version').strip() != f'gloss {version}':
        errors.append(f'gloss --version does not print “gloss {version}”')

    # gloss-cli: the usage lines word for word, then each command's options.
    usage = run(gloss_cli, '--help')
    for line in usage.splitlines():
        line = line.strip()
        if line.startswith('gloss-cli ') and line not in pages[gloss_cli_1]:
            errors.append(f'gloss-cli: the man page synopsis lacks “{line}”')
    commands = re.findall(r'^\s+gloss-cli (\w+)', usage, re.M)
    if not commands:
        errors.append('gloss-cli --help lists no commands')
    for command in commands:
        described = pages[gloss_cli_1].partition(' COMMANDS ')[2]
        if f'{command} [' not in described:
            errors.append(f'gloss-cli: the man page does not describe “{command}”')
        check_options(pages[gloss_cli_1], f'gloss-cli {command}',
                      run(gloss_cli, command, '--help'), skip=('-h, --help',))
    if run(gloss_cli, '--version').strip() != f'gloss-cli {version}':
        errors.append(f'gloss-cli --version does not print “gloss-cli {version}”')

    for e in errors:
        print(e, file=sys.stderr)
    if not errors:
        print('the man pages match --help')
    return 1 if errors else 0


if __name__ == '__main__':
    sys.exit(main())
