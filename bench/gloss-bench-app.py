#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""The app's own benchmark: launch to first frame, and keystroke to results.

Drives the real app on a private Xvfb display and reads the CLOCK_MONOTONIC
timestamps it prints when GLOSS_TIMING is set. Prints tables.

    bench/gloss-bench-app.py BUILDDIR [--runs N] [--entries N]
"""

import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

MARK = re.compile(r"gloss-timing (\S+) ([0-9.]+)")


def percentile(values, p):
    values = sorted(values)
    if not values:
        return float("nan")
    k = (len(values) - 1) * p / 100
    lo = int(k)
    hi = min(lo + 1, len(values) - 1)
    return values[lo] + (values[hi] - values[lo]) * (k - lo)


class Display:
    """One Xvfb server for the whole run, so its start-up is not timed."""

    def __init__(self, width=1280, height=800):
        self.number = 90 + os.getpid() % 9
        self.proc = subprocess.Popen(
            ["Xvfb", f":{self.number}", "-screen", "0", f"{width}x{height}x24", "-nolisten", "tcp"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(1.0)

    def close(self):
        self.proc.terminate()
        self.proc.wait()


def app_env(display, builddir, config):
    env = dict(os.environ)
    env.update({
        "DISPLAY": f":{display.number}",
        "GLOSS_TIMING": "1",
        "GSETTINGS_BACKEND": "memory",
        "GSETTINGS_SCHEMA_DIR": os.path.join(builddir, "data"),
        "NO_AT_BRIDGE": "1",
        "XDG_CONFIG_HOME": config,
        "XDG_CACHE_HOME": os.path.join(config, "cache"),
        "XDG_DATA_HOME": os.path.join(config, "data"),
    })
    env.pop("WAYLAND_DISPLAY", None)
    return env


def run_until(argv, env, wanted, timeout=120, actions=None):
    """Starts argv, returns {mark: [times]} once every mark in wanted was seen."""
    marks = {}
    start = time.monotonic()
    proc = subprocess.Popen(argv, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                            text=True)
    try:
        for line in proc.stderr:
            m = MARK.search(line)
            if not m:
                continue
            marks.setdefault(m.group(1), []).append(float(m.group(2)))
            if actions and m.group(1) in actions:
                actions.pop(m.group(1))(marks)
            if all(w in marks for w in wanted) and not actions:
                break
            if time.monotonic() - start > timeout:
                raise TimeoutError(f"{argv[0]} did not report {wanted}")
    finally:
        proc.kill()
        proc.wait()
    return start, marks


def bench_first_frame(builddir, display, config, runs):
    gloss = os.path.join(builddir, "src", "app", "gloss")
    minimal = os.path.join(builddir, "bench", "gloss-bench-minimal-window")
    env = app_env(display, builddir, config)
    rows = {"minimal AdwApplicationWindow": [], "gloss, built-in bundle": []}
    # Interleave so that both see the same machine state.
    for _ in range(runs):
        for name, argv in (("minimal AdwApplicationWindow", [minimal]),
                           ("gloss, built-in bundle", [gloss])):
            start, marks = run_until(argv, env, ["first-frame"])
            rows[name].append((marks["first-frame"][0] - start) * 1000)
    return rows


def bench_keystrokes(builddir, display, config, entries, words):
    gloss = os.path.join(builddir, "src", "app", "gloss")
    gen = os.path.join(builddir, "bench", "gloss-gen-bundle")
    bundle = os.path.join(config, f"bench-{entries}.json")
    if not os.path.exists(bundle):
        subprocess.run([gen, str(entries), bundle], check=True, stdout=subprocess.DEVNULL)
    env = app_env(display, builddir, config)

    def type_words(marks):
        time.sleep(0.5)
        for word in words:
            subprocess.run(["xdotool", "type", "--delay", "120", word], env=env, check=True)
            time.sleep(0.4)
            subprocess.run(["xdotool", "key", "ctrl+a", "BackSpace"], env=env, check=True)
            time.sleep(0.4)
        time.sleep(0.5)

    # Click into the window first: without a window manager, focus follows
    # the pointer.
    def focus_then_type(marks):
        subprocess.run(["xdotool", "mousemove", "800", "400", "click", "1"], env=env, check=True)
        type_words(marks)

    _, marks = run_until([gloss, bundle], env, ["list-populated"],
                         actions={"list-populated": focus_then_type})
    return marks


def pair_up(marks, first, then):
    """For each `first` timestamp, the next `then` after it, in ms."""
    out = []
    thens = sorted(marks.get(then, []))
    for t in sorted(marks.get(first, [])):
        later = [x for x in thens if x >= t]
        if later:
            out.append((later[0] - t) * 1000)
    return out


def main():
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("builddir")
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--entries", type=int, default=100000)
    args = parser.parse_args()

    builddir = os.path.abspath(args.builddir)
    for tool in ("Xvfb", "xdotool"):
        if shutil.which(tool) is None:
            sys.exit(f"{tool} is needed")

    config = tempfile.mkdtemp(prefix="gloss-bench-")
    display = Display()
    try:
        rows = bench_first_frame(builddir, display, config, args.runs)
        print(f"Launch to first frame, {args.runs} runs each, ms")
        print(f"{'program':<32} {'p50':>8} {'p95':>8} {'min':>8} {'max':>8}")
        for name, values in rows.items():
            print(f"{name:<32} {statistics.median(values):8.1f} {percentile(values, 95):8.1f} "
                  f"{min(values):8.1f} {max(values):8.1f}")
        base = statistics.median(rows["minimal AdwApplicationWindow"])
        ours = statistics.median(rows["gloss, built-in bundle"])
        print(f"gloss / minimal (medians): {ours / base:.2f}")
        print()

        words = ["tsundere", "moe", "character", "roleplay", "zzqx", "alpha", "memory"]
        marks = bench_keystrokes(builddir, display, config, args.entries, words)
        to_query = pair_up(marks, "text-changed", "query-changed")
        to_shown = pair_up(marks, "query-changed", "results-shown")
        total = pair_up(marks, "text-changed", "results-shown")
        print(f"Keystroke to results at {args.entries} entries, ms "
              f"({len(to_shown)} keystrokes)")
        print(f"{'span':<40} {'p50':>8} {'p95':>8} {'max':>8}")
        for name, values in (("keystroke -> search starts (delay)", to_query),
                             ("search starts -> results painted", to_shown),
                             ("keystroke -> results painted", total)):
            if values:
                print(f"{name:<40} {statistics.median(values):8.1f} "
                      f"{percentile(values, 95):8.1f} {max(values):8.1f}")
    finally:
        display.close()
        shutil.rmtree(config, ignore_errors=True)


if __name__ == "__main__":
    main()
