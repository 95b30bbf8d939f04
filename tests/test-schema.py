#!/usr/bin/env python3
# test-schema.py: checks docs/gloss-bundle.schema.json against known bundles.
#
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Usage: test-schema.py SOURCE_ROOT
#
# The built-in bundle and every tests/data/schema/valid-*.json must pass the
# schema; every tests/data/schema/invalid-*.json must fail it (where listed
# below, at the JSON path given). When GLOSS_CLI names a built gloss-cli, each
# file is also run through `gloss-cli validate --strict`, which must agree:
# the schema is meant to accept exactly what the strict validator accepts,
# as far as a schema can. Prints TAP.

import json
import os
import re
import subprocess
import sys
from pathlib import Path

try:
    import jsonschema
    from jsonschema import Draft202012Validator
except ImportError:
    # Not a skip: build-aux/ensure-deps.sh installs it, and a skipped test
    # would let the schema drift from the validator unnoticed.
    print("Bail out! python3-jsonschema is not installed (apt-get install python3-jsonschema)")
    sys.exit(1)

# Where each invalid file must fail, as a JSON Pointer ("" is the root), so
# that a file cannot pass the test by failing for some other reason.
EXPECTED_FAILURES = {
    "invalid-date.json": "/entries/0/published",
    "invalid-dollar-schema.json": "",
    "invalid-entry-id-newline.json": "/entries/0/id",
    "invalid-entry-id-uppercase.json": "/entries/0/id",
    "invalid-faq-no-answer.json": "/entries/0/faq/0",
    "invalid-mature-string.json": "/entries/0/mature",
    "invalid-missing-entries.json": "",
    "invalid-missing-title.json": "",
    "invalid-reading-minutes-zero.json": "/entries/0/reading_minutes",
    "invalid-section-text.json": "/entries/0/sections/0",
    "invalid-term-blank.json": "/entries/0/term",
    "invalid-term-too-long.json": "/entries/0/term",
    "invalid-unknown-field.json": "/entries/0",
    "invalid-version-newer.json": "/version",
    "invalid-version-string.json": "/version",
}


def ecma_regex(pattern):
    # JSON Schema patterns are ECMA-262, where "$" matches only at the end of
    # the string; Python's "$" also matches before a final newline, which
    # would let "tsundere\n" pass as an entry id.
    if pattern.endswith("$") and not pattern.endswith("\\$"):
        pattern = pattern[:-1] + r"\Z"
    return re.compile(pattern)


def ecma_pattern(validator, pattern, instance, schema):
    if validator.is_type(instance, "string") and not ecma_regex(pattern).search(instance):
        yield jsonschema.ValidationError(f"{instance!r} does not match {pattern!r}")


Validator = jsonschema.validators.extend(Draft202012Validator, {"pattern": ecma_pattern})


def pointer(path):
    return "".join("/" + str(p).replace("~", "~0").replace("/", "~1") for p in path)


class Tap:
    def __init__(self):
        self.n = 0
        self.failed = 0

    def result(self, ok, name, diagnostics=()):
        self.n += 1
        if not ok:
            self.failed += 1
        print(f"{'ok' if ok else 'not ok'} {self.n} - {name}")
        for line in diagnostics:
            print(f"# {line}")
        sys.stdout.flush()


def main():
    if len(sys.argv) != 2:
        print("usage: test-schema.py SOURCE_ROOT", file=sys.stderr)
        return 2

    root = Path(sys.argv[1])
    schema_path = root / "docs" / "gloss-bundle.schema.json"
    data_dir = root / "tests" / "data" / "schema"
    cli = os.environ.get("GLOSS_CLI")
    if cli and not os.access(cli, os.X_OK):
        cli = None

    valid = [root / "data" / "default.gloss.json"] + sorted(data_dir.glob("valid-*.json"))
    invalid = sorted(data_dir.glob("invalid-*.json"))

    tap = Tap()
    n_planned = 1 + len(valid) + len(invalid) + (len(valid) + len(invalid) if cli else 0) + 1
    print(f"1..{n_planned}")

    with open(schema_path, encoding="utf-8") as f:
        schema = json.load(f)

    try:
        Validator.check_schema(schema)
        tap.result(True, "the schema is a valid draft 2020-12 schema")
    except jsonschema.SchemaError as e:
        tap.result(False, "the schema is a valid draft 2020-12 schema", [e.message])
        return 1

    validator = Validator(schema, format_checker=jsonschema.FormatChecker())

    def errors_of(path):
        with open(path, encoding="utf-8") as f:
            instance = json.load(f)
        return sorted(validator.iter_errors(instance), key=lambda e: list(map(str, e.absolute_path)))

    for path in valid:
        errors = errors_of(path)
        tap.result(not errors, f"{path.name} passes",
                   [f"{pointer(e.absolute_path) or '/'}: {e.message[:200]}" for e in errors[:10]])

    for path in invalid:
        errors = errors_of(path)
        where = {pointer(e.absolute_path) for e in errors}
        expected = EXPECTED_FAILURES.get(path.name)
        ok = bool(errors) and (expected is None or expected in where)
        diagnostics = [f"{pointer(e.absolute_path) or '/'}: {e.message[:200]}" for e in errors[:10]]
        if not errors:
            diagnostics.insert(0, "the schema accepted it")
        elif not ok:
            diagnostics.insert(0, f"expected a failure at {expected or '/'}")
        tap.result(ok, f"{path.name} fails", diagnostics)

    if cli:
        for path, want_ok in [(p, True) for p in valid] + [(p, False) for p in invalid]:
            run = subprocess.run([cli, "validate", "--strict", str(path)],
                                 capture_output=True, text=True, timeout=60)
            agrees = (run.returncode == 0) == want_ok and run.returncode in (0, 1)
            tap.result(agrees,
                       f"gloss-cli validate --strict {'accepts' if want_ok else 'rejects'} {path.name}",
                       [f"exit {run.returncode}"] + run.stdout.splitlines()[-5:] +
                       run.stderr.splitlines()[-5:] if not agrees else [])

    tap.result(len(valid) > 1 and len(invalid) > 0, "there are valid and invalid examples")

    return 1 if tap.failed else 0


if __name__ == "__main__":
    sys.exit(main())
