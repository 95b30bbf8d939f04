#!/usr/bin/env python3
# test-dictd.py: bench/gloss-from-dictd.py on a dictionary made here.
#
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Usage: test-dictd.py SOURCE_ROOT   (GLOSS_CLI names the built gloss-cli)
#
# Writes a small dictd dictionary in FOLDOC's layout (an .index and a
# .dict, then the same .dict gzip-compressed as dictzip files are), converts
# it, and checks the bundle: `gloss-cli validate --strict` accepts it with
# no warning; duplicate headwords make one entry; cross references to
# entries that exist are entry: links and the others plain text; the
# dictionary's markup shows literally; domains, dates, variants and the
# 00-database-* headers land where they should; and `gloss-cli search`
# finds the entries. Needs no network and no installed dictionary. Prints
# TAP.

import gzip
import json
import os
import subprocess
import sys
import tempfile

B64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"

HEADERS = [
    ("00-database-short", "00-database-short\n     The Tiny Dictionary of Computing (2 March 2024)\n"),
    ("00-database-url", "http://example.org/tiny.gz\n"),
    ("00-database-info",
     "The Tiny Dictionary of Computing is a small dictionary made for a test,\n"
     "with no other purpose than to be converted into a bundle.\n\n"
     "   Permission is granted to copy, distribute and/or modify this\n"
     "   document under the terms of the GNU Free Documentation\n"
     "   License, Version 1.1 or any later version.\n"),
]

# (index headwords, text): FOLDOC's layout, the headword lines first.
DEFINITIONS = [
    (["c++"],
     "C++\n\n"
     "   <language> An {object-oriented} language, a superset of {C} with\n   classes.\n"
     "   Not to be confused with {C#}.\n\n"
     "   2 * 3 = 6 and a_b are not emphasis; <b>bold</b> is not HTML;\n"
     "   [1] is not a link, nor `code`.\n\n"
     "   (1996-06-06)\n"),
    (["c"],
     "C\n\n"
     "   <language, programming> A programming language designed by\n"
     "   Dennis Ritchie. See also {C++}, {Objective\n"
     "   C (http://example.org/objc)}.\n\n"
     "   1. This line starts like a list, and must not become one.\n\n"
     "   (2001-01-01)\n"),
    (["object-oriented", "oo"],
     "object-oriented\n"
     "OO\n\n"
     "   <programming> Organised around {objects} rather than actions.\n"
     "   Most languages since 1990 are.\n\n"
     "   (1999-09-09)\n"),
    (["object"],
     "object\n\n"
     "   <programming> A thing in an {object-oriented} program.\n"),
    (["actor"],
     "Actor\n\n"
     "   <language> An object-oriented language for Windows.\n\n"
     "   (1994-11-08)\n"),
    (["actor"],
     "actor\n\n"
     "   <programming> In object-oriented programming, an object\n"
     "   which exists as a concurrent process.\n\n"
     "   (1994-11-09)\n"),
]


def b64(n):
    if n == 0:
        return "A"
    out = ""
    while n:
        out = B64[n % 64] + out
        n //= 64
    return out


def write_dictionary(base):
    data = bytearray()
    index = []
    for word, text in HEADERS:
        raw = text.encode("utf-8")
        index.append((word, len(data), len(raw)))
        data += raw
    for words, text in DEFINITIONS:
        raw = text.encode("utf-8")
        for w in words:
            index.append((w, len(data), len(raw)))
        data += raw
    with open(base + ".dict", "wb") as f:
        f.write(data)
    index.sort(key=lambda row: row[0].casefold())
    with open(base + ".index", "w", encoding="utf-8") as f:
        for word, offset, length in index:
            f.write(f"{word}\t{b64(offset)}\t{b64(length)}\n")


class Tap:
    def __init__(self):
        self.n = 0
        self.failed = 0

    def ok(self, condition, name, *diagnostics):
        self.n += 1
        print(f"{'ok' if condition else 'not ok'} {self.n} - {name}")
        if not condition:
            self.failed += 1
            for line in diagnostics:
                for part in str(line).splitlines():
                    print(f"# {part}")


def run(args, env):
    return subprocess.run(args, capture_output=True, text=True, env=env)


def main():
    if len(sys.argv) != 2:
        print("usage: test-dictd.py SOURCE_ROOT", file=sys.stderr)
        return 2
    converter = os.path.join(sys.argv[1], "bench", "gloss-from-dictd.py")
    cli = os.environ.get("GLOSS_CLI")
    tap = Tap()
    print("1..22")

    with tempfile.TemporaryDirectory() as tmp:
        env = dict(os.environ)
        env["XDG_CACHE_HOME"] = os.path.join(tmp, "cache")
        env["LC_ALL"] = "C.UTF-8"
        base = os.path.join(tmp, "tiny")
        write_dictionary(base)
        out = os.path.join(tmp, "tiny.json")

        r = run([sys.executable, converter, "--flavour", "foldoc", base, out], env)
        tap.ok(r.returncode == 0 and os.path.exists(out), "converts the .index and .dict", r.stderr)
        if r.returncode != 0:
            return 1
        with open(out, encoding="utf-8") as f:
            bundle = json.load(f)
        entries = {e["id"]: e for e in bundle["entries"]}

        if cli:
            r = run([cli, "validate", "--strict", out], env)
            tap.ok(r.returncode == 0 and r.stdout.strip().endswith("0 errors, 0 warnings"),
                   "gloss-cli validate --strict accepts the bundle, no warning", r.stdout, r.stderr)
        else:
            tap.ok(False, "GLOSS_CLI names the built gloss-cli")

        tap.ok(sorted(entries) == ["actor", "c", "c-plus-plus", "object", "object-oriented"],
               "one entry per headword, ids readable and distinct (C++ is not C)", sorted(entries))

        cpp = entries.get("c-plus-plus", {})
        body = cpp.get("sections", [{}])[0].get("body", "")
        tap.ok("[object-oriented](entry:object-oriented)" in body and "[C](entry:c)" in body,
               "cross references to entries that exist are entry: links", body)
        tap.ok("C#" in body and "[C#]" not in body and "{C#}" not in body,
               "a cross reference to nothing is plain text", body)
        tap.ok("2 \\* 3 = 6 and a\\_b" in body and "\\<b>bold\\</b>" in body and "\\`code\\`" in body,
               "emphasis, HTML and code markup in the text is escaped", body)
        tap.ok("[1] is not a link" in body, "brackets that make no link are left alone", body)
        tap.ok(cpp.get("summary") == "An object-oriented language, a superset of C with classes.",
               "the summary is the first sentence, as plain text, domain left out", cpp.get("summary"))
        tap.ok(cpp.get("category") == "language" and cpp.get("tags") == ["language"],
               "a FOLDOC domain is the category and a tag", cpp)
        tap.ok(cpp.get("updated") == "1996-06-06" and "1996" not in body,
               "the date line is the entry's updated date", cpp.get("updated"))

        c_body = entries.get("c", {}).get("sections", [{}])[0].get("body", "")
        tap.ok("[C++](entry:c-plus-plus)" in c_body and
               "[Objective C](<http://example.org/objc>)" in c_body,
               "a reference across lines, and one with a web address, become links", c_body)
        tap.ok("1\\. This line starts like a list" in c_body,
               "a paragraph that looks like a list item is escaped", c_body)
        tap.ok(entries.get("c", {}).get("tags") == ["language", "programming"],
               "every domain is a tag", entries.get("c"))
        tap.ok(c_body.count("\n\n") == 1, "the dictionary's paragraphs are kept", c_body)

        oo = entries.get("object-oriented", {})
        tap.ok(oo.get("aliases") == ["OO"], "a variant headword is an alias", oo)
        tap.ok("[objects](entry:object)" in oo.get("sections", [{}])[0].get("body", ""),
               "a plural reference links to the singular entry", oo)

        actor = entries.get("actor", {})
        headings = [s.get("heading") for s in actor.get("sections", [])]
        tap.ok(actor.get("term") == "Actor" and len(headings) == 2 and
               headings[0].startswith("Actor") and headings[1].startswith("actor") and
               actor.get("updated") == "1994-11-09",
               "duplicate headwords are merged into one entry, a section each", actor)

        tap.ok(bundle.get("title") == "The Tiny Dictionary of Computing (2 March 2024)" and
               bundle.get("license") == "GFDL-1.1-or-later" and
               bundle.get("updated") == "2024-03-02" and
               "http://example.org/tiny.gz" in bundle.get("description", "") and
               bundle.get("id") == "dictd.tiny",
               "title, licence, date and source come from the 00-database entries",
               {k: v for k, v in bundle.items() if k != "entries"})
        tap.ok({c["id"] for c in bundle.get("categories", [])} == {"language", "programming"},
               "the categories used are declared", bundle.get("categories"))

        # The same dictionary compressed, as Debian installs them.
        with open(base + ".dict", "rb") as f:
            raw = f.read()
        os.remove(base + ".dict")
        with gzip.open(base + ".dict.dz", "wb") as f:
            f.write(raw)
        out_dz = os.path.join(tmp, "tiny-dz.json")
        r = run([sys.executable, converter, "--flavour", "foldoc", base + ".index", out_dz], env)
        with open(out_dz, encoding="utf-8") as f:
            same = json.load(f) == bundle
        tap.ok(r.returncode == 0 and same, "a .dict.dz gives the same bundle", r.stderr)

        if cli:
            r = run([cli, "search", out, "C++"], env)
            rows = r.stdout.splitlines()
            tap.ok(rows[:1] == ["c-plus-plus\tC++"], "gloss-cli search finds C++ first", r.stdout, r.stderr)
            r = run([cli, "search", out, "objet"], env)
            rows = [row.split("\t")[0] for row in r.stdout.splitlines()]
            tap.ok(rows[:2] == ["object", "object-oriented"],
                   "a misspelling finds the entry it meant first", r.stdout)
        else:
            tap.ok(False, "gloss-cli search finds C++ first")
            tap.ok(False, "a misspelling finds the entry it meant first")

    return 1 if tap.failed else 0


if __name__ == "__main__":
    sys.exit(main())
