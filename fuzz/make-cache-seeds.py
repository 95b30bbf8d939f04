#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Seeds for fuzz-cache: real caches of small bundles, packed tight.

Usage: make-cache-seeds.py GLOSS_CLI OUT_DIR BUNDLE...

gloss-cli opens each bundle with a cache folder of its own, which writes
the bundle's cache; the cache is then rewritten with its sections one after
the other (8-byte aligned) instead of its records at 64 KiB and its hot
sections on the next page, and without its key section, which fuzz-cache
puts back for the bundle it opens. Same content, a few kilobytes instead of
seventy: the fuzzer's mutations land on content, not on padding. The
header's checksums are left as they are: fuzz-cache seals every input.
"""

import glob
import os
import struct
import subprocess
import sys
import tempfile

HEAD = struct.Struct("<8sIIQQQQQQqqqQII")  # up to the section table
SECTION = struct.Struct("<QQ")
KEY = 0


def pack(cache):
    fields = list(HEAD.unpack_from(cache, 0))
    if fields[0] != b"GLOSSIMG":
        raise ValueError("not a Gloss cache")
    n_sections, header_size = fields[-2], fields[-1]
    sections = [SECTION.unpack_from(cache, HEAD.size + i * SECTION.size)
                for i in range(n_sections)]
    if HEAD.size + n_sections * SECTION.size != header_size:
        raise ValueError("unexpected header layout")

    out = bytearray(cache[:header_size])
    table = []
    for i, (offset, size) in enumerate(sections):
        if i == KEY or size == 0:
            table.append((0, 0))
            continue
        out += b"\0" * (-len(out) % 8)
        table.append((len(out), size))
        out += cache[offset:offset + size]
    out += b"\0" * (-len(out) % 8)

    fields[3] = len(out)  # file size; fuzz-cache sets it again
    HEAD.pack_into(out, 0, *fields)
    for i, (offset, size) in enumerate(table):
        SECTION.pack_into(out, HEAD.size + i * SECTION.size, offset, size)
    return bytes(out)


def main():
    cli, out_dir, bundles = sys.argv[1], sys.argv[2], sys.argv[3:]
    os.makedirs(out_dir, exist_ok=True)
    for bundle in bundles:
        with tempfile.TemporaryDirectory() as tmp:
            env = dict(os.environ, XDG_CACHE_HOME=tmp, LC_ALL="C.UTF-8")
            subprocess.run([cli, "list", "--include-mature", bundle], env=env,
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            caches = glob.glob(os.path.join(tmp, "gloss", "*.gloss-cache"))
            if len(caches) != 1:
                print(f"{bundle}: no cache written (refused?)", file=sys.stderr)
                continue
            with open(caches[0], "rb") as f:
                packed = pack(f.read())
        name = os.path.basename(bundle).removesuffix(".json").removesuffix(".gloss")
        with open(os.path.join(out_dir, name), "wb") as f:
            f.write(packed)
        print(f"{name}: {len(packed)} bytes")


if __name__ == "__main__":
    main()
