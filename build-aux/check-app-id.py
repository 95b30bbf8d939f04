#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
#
# One application ID everywhere. Checks the data file names, the IDs inside
# them, the settings schema, the resource prefix, the Flatpak manifest, the
# APP_ID in config.h and the files the build generated from app_id; then
# scans the tree for any spelling of the ID that is not the one.
#
#   check-app-id.py SOURCE_ROOT APP_ID CONFIG_H [GENERATED_FILE...]

import json
import os
import re
import sys
import xml.etree.ElementTree as ET

BASE_ID = 'io.github.glossapp.Gloss'
BASE_PATH = '/io/github/glossapp/Gloss'
DEVELOPER_ID = 'io.github.glossapp'
MIME_TYPE = 'application/x-gloss-bundle+json'
# D-Bus interfaces of others that may live beside our files.
FOREIGN_PREFIXES = ('org.freedesktop.', 'org.gnome.Shell.')

errors = []


def fail(where, message):
    errors.append(f'{where}: {message}')


def read(path):
    with open(path, encoding='utf-8') as f:
        return f.read()


def keyfile(path, group):
    """The keys of one group of a desktop-style key file."""
    keys = {}
    current = None
    for line in read(path).splitlines():
        line = line.strip()
        if line.startswith('[') and line.endswith(']'):
            current = line[1:-1]
        elif current == group and '=' in line and not line.startswith('#'):
            key, value = line.split('=', 1)
            keys[key.strip()] = value.strip()
    return keys


def check_file_names(data_dir):
    """Every reverse-DNS file name in data/ is ours, spelt exactly."""
    dotted = re.compile(r'^[A-Za-z][A-Za-z0-9-]*\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.')
    for root, dirs, files in os.walk(data_dir):
        dirs[:] = [d for d in dirs if not d.startswith('.')]
        for name in files:
            if not dotted.match(name) or name.startswith(FOREIGN_PREFIXES):
                continue
            rest = name[len(BASE_ID):] if name.startswith(BASE_ID) else None
            if rest is None or not (rest.startswith('.') or rest.startswith('-')):
                fail(os.path.relpath(os.path.join(root, name), data_dir),
                     f'file name does not use the application ID {BASE_ID}')


def check_sources(src):
    data = os.path.join(src, 'data')
    path = lambda *p: os.path.join(src, *p)

    required = [
        path('data', BASE_ID + '.desktop.in'),
        path('data', BASE_ID + '.service.in'),
        path('data', BASE_ID + '.metainfo.xml.in'),
        path('data', BASE_ID + '.mime.xml'),
        path('data', BASE_ID + '.gschema.xml'),
        path('data', 'icons', 'hicolor', 'scalable', 'apps', BASE_ID + '.svg'),
        path('data', 'icons', 'hicolor', 'symbolic', 'apps', BASE_ID + '-symbolic.svg'),
        path('build-aux', 'flatpak', BASE_ID + '.json'),
    ]
    missing = [p for p in required if not os.path.exists(p)]
    for p in missing:
        fail(os.path.relpath(p, src), 'missing')
    if missing:
        return

    check_file_names(data)

    # Root meson.build: the one place the ID is spelt for the build.
    meson = read(path('meson.build'))
    if f"base_app_id = '{BASE_ID}'" not in meson:
        fail('meson.build', f"base_app_id is not '{BASE_ID}'")
    if f"resource_base = '{BASE_PATH}'" not in meson:
        fail('meson.build', f"resource_base is not '{BASE_PATH}'")

    desktop = keyfile(required[0], 'Desktop Entry')
    if desktop.get('Icon') != '@APP_ID@':
        fail('desktop file', 'Icon is not @APP_ID@')
    if desktop.get('DBusActivatable') != 'true':
        fail('desktop file', 'not DBusActivatable')
    if desktop.get('Exec', '').split(' ')[0] != 'gloss':
        fail('desktop file', 'Exec does not run gloss')
    if MIME_TYPE not in desktop.get('MimeType', '').split(';'):
        fail('desktop file', f'MimeType lacks {MIME_TYPE}')

    service = keyfile(required[1], 'D-BUS Service')
    if service.get('Name') != '@APP_ID@':
        fail('service file', 'Name is not @APP_ID@')
    if service.get('Exec') != '@bindir@/gloss --gapplication-service':
        fail('service file', 'Exec is not @bindir@/gloss --gapplication-service')

    meta = ET.parse(required[2]).getroot()
    if meta.findtext('id') != '@APP_ID@':
        fail('metainfo', '<id> is not @APP_ID@')
    if meta.findtext("launchable[@type='desktop-id']") != '@APP_ID@.desktop':
        fail('metainfo', '<launchable> is not @APP_ID@.desktop')
    developer = meta.find('developer')
    if developer is None or developer.get('id') != DEVELOPER_ID:
        fail('metainfo', f'<developer id> is not {DEVELOPER_ID}')
    if MIME_TYPE not in [m.text for m in meta.findall('provides/mediatype')]:
        fail('metainfo', f'<provides> lacks {MIME_TYPE}')

    ns = {'m': 'http://www.freedesktop.org/standards/shared-mime-info'}
    mime = ET.parse(required[3]).getroot()
    types = [t.get('type') for t in mime.findall('m:mime-type', ns)]
    if types != [MIME_TYPE]:
        fail('mime', f'defines {types}, not [{MIME_TYPE}]')

    schemas = ET.parse(required[4]).getroot().findall('schema')
    if [(s.get('id'), s.get('path')) for s in schemas] != [(BASE_ID, BASE_PATH + '/')]:
        fail('gschema', f'the schema is not id={BASE_ID} path={BASE_PATH}/')

    manifest = json.loads(read(required[7]))
    if manifest.get('id', manifest.get('app-id')) != BASE_ID:
        fail('flatpak manifest', f'id is not {BASE_ID}')
    if manifest.get('command') != 'gloss':
        fail('flatpak manifest', 'command is not gloss')

    # Every GResource lives under the application's base path.
    n_resources = 0
    for root, dirs, files in os.walk(path('src')):
        for name in files:
            if name.endswith('.gresource.xml'):
                for res in ET.parse(os.path.join(root, name)).getroot().iter('gresource'):
                    n_resources += 1
                    prefix = res.get('prefix', '').rstrip('/')
                    if prefix != BASE_PATH and not prefix.startswith(BASE_PATH + '/'):
                        fail(name, f'resource prefix {prefix} is not under {BASE_PATH}')
    if n_resources == 0:
        fail('src', 'no *.gresource.xml found')


def check_build(app_id, config_h, generated):
    config = read(config_h)
    if f'#define APP_ID "{app_id}"' not in config:
        fail('config.h', f'APP_ID is not "{app_id}"')
    if f'#define RESOURCE_BASE "{BASE_PATH}"' not in config:
        fail('config.h', f'RESOURCE_BASE is not "{BASE_PATH}"')

    for p in generated:
        name = os.path.basename(p)
        if name == app_id + '.desktop':
            if keyfile(p, 'Desktop Entry').get('Icon') != app_id:
                fail(name, f'Icon is not {app_id}')
        elif name == app_id + '.service':
            if keyfile(p, 'D-BUS Service').get('Name') != app_id:
                fail(name, f'Name is not {app_id}')
        elif name == app_id + '.metainfo.xml':
            meta = ET.parse(p).getroot()
            if meta.findtext('id') != app_id:
                fail(name, f'<id> is not {app_id}')
            if meta.findtext("launchable[@type='desktop-id']") != app_id + '.desktop':
                fail(name, f'<launchable> is not {app_id}.desktop')
        else:
            fail(name, f'generated file not named after {app_id}')


def check_spellings(src):
    """No other spelling of the ID. In what Gloss ships (data/, src/,
    build-aux/, po/ and the top-level files) no other ID that names Gloss;
    anywhere in the tree (tests, benchmarks and docs may use IDs of their
    own) no variant of ours in another case."""
    shipped = ('data', 'src', 'build-aux', 'po')
    dotted = re.compile(r'(?i)\b(?:io|org|com|net|app|dev|page)\.[a-z0-9_-]+(?:\.[a-z0-9_-]+)+')
    variants = re.compile(r'(?i)\bio\.github\.glossapp\.gloss\b|/io/github/glossapp/gloss\b')
    skip_ext = ('.png', '.jpg', '.gz', '.xz', '.zip', '.o', '.a', '.so')
    myself = os.path.realpath(__file__)

    for root, dirs, files in os.walk(src):
        dirs[:] = [d for d in dirs
                   if not d.startswith('.') and d != 'subprojects'
                   and not os.path.exists(os.path.join(root, d, 'meson-private'))]
        for name in files:
            p = os.path.join(root, name)
            if name.endswith(skip_ext) or os.path.realpath(p) == myself:
                continue
            try:
                with open(p, encoding='utf-8', errors='replace') as f:
                    text = f.read(1 << 20)
            except OSError:
                continue
            rel = os.path.relpath(p, src)
            top = rel.split(os.sep)[0]
            where = lambda m: f'{rel}:{text.count(chr(10), 0, m.start()) + 1}'

            for m in variants.finditer(text):
                if m.group(0) not in (BASE_ID, BASE_PATH):
                    fail(where(m), f'“{m.group(0)}” is not spelt {BASE_ID} / {BASE_PATH}')

            if top not in shipped and os.sep in rel:
                continue
            for m in dotted.finditer(text):
                word = m.group(0)
                if 'gloss' not in word.lower() or word == DEVELOPER_ID:
                    continue
                if word == BASE_ID or word.startswith(BASE_ID + '.') \
                   or word.startswith(BASE_ID + '-'):
                    continue
                fail(where(m), f'“{word}” is not the application ID {BASE_ID}')


def main():
    if len(sys.argv) < 4:
        print(__doc__ or 'usage: check-app-id.py SOURCE_ROOT APP_ID CONFIG_H [FILE...]',
              file=sys.stderr)
        return 2
    src, app_id, config_h = sys.argv[1:4]
    if app_id not in (BASE_ID, BASE_ID + '.Devel'):
        fail('meson', f'app_id {app_id} is neither {BASE_ID} nor {BASE_ID}.Devel')
    check_sources(src)
    check_build(app_id, config_h, sys.argv[4:])
    check_spellings(src)
    for e in errors:
        print(e, file=sys.stderr)
    if not errors:
        print(f'{app_id}: every file name and ID agrees')
    return 1 if errors else 0


if __name__ == '__main__':
    sys.exit(main())
