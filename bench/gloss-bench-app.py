#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""The app's own benchmark: launch to first frame, big bundles, keystroke to results.

Drives the real app on a private Xvfb display and reads the CLOCK_MONOTONIC
timestamps it prints when GLOSS_TIMING is set. Prints tables.

    bench/gloss-bench-app.py BUILDDIR [--runs N] [--entries N] [--big N,N]
                             [--only launch,big,keys]

launch: launch to first frame of a minimal AdwApplicationWindow (a header bar,
1100x760), of the same window holding what Gloss's first frame shows made of
stock widgets with no app behind them (gloss-bench-minimal-window
--same-widgets: the floor for those widgets), and of Gloss on its built-in
bundle; the three interleaved.

--big: bundle sizes opened as the last bundle (restored at launch, from the
compiled cache): launch to first frame and to the list populated, beside the
built-in bundle's first frame; and their first open (no cache): how long,
and the longest the main loop went without running.

keys: a bundle of --entries entries (gloss-gen-bundle --seed 1) restored as
the last one opened, from its compiled cache; words typed a key at a time,
each key its own search: keystroke to results painted, p50 and p95, and the
search entry's search-delay, which the app reports. Last, the floor under
any frame: a frame of the minimal window of the same size, where one label
changes (gloss-bench-minimal-window --redraws). The time from the search
to the painted results is split into the app's work (search, list, rows),
the wait for the frame clock's next tick, and the frame itself. A blinking
cursor (GTK's default) keeps the frame clock ticking at 60 Hz, so results
wait up to a frame for the next tick; the same words are typed again with
the cursor not blinking, where a frame starts as soon as it is asked for.
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
    """Starts argv, returns {mark: [times]} once every mark in wanted was seen
    and every action run (each when its mark first shows); the marks printed
    meanwhile are read to the end."""
    marks = {}
    start = time.monotonic()
    proc = subprocess.Popen(argv, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                            text=True)

    def take(line):
        m = MARK.search(line)
        if m:
            marks.setdefault(m.group(1), []).append(float(m.group(2)))
        return m

    try:
        for line in proc.stderr:
            m = take(line)
            if not m:
                continue
            if actions and m.group(1) in actions:
                actions.pop(m.group(1))(marks)
            if all(w in marks for w in wanted) and not actions:
                break
            if time.monotonic() - start > timeout:
                raise TimeoutError(f"{argv[0]} did not report {wanted}")
    finally:
        proc.kill()
        for line in proc.stderr:
            take(line)
        proc.wait()
    return start, marks


def bench_first_frame(builddir, display, config, runs):
    gloss = os.path.join(builddir, "src", "app", "gloss")
    minimal = os.path.join(builddir, "bench", "gloss-bench-minimal-window")
    env = app_env(display, builddir, config)
    programs = (("minimal AdwApplicationWindow", [minimal]),
                ("same widgets, no app", [minimal, "--same-widgets"]),
                ("gloss, built-in bundle", [gloss]))
    rows = {name: [] for name, _ in programs}
    # One run of each first, not counted: the first fills Mesa's shader cache
    # (in this run's own XDG_CACHE_HOME), which every later start reads.
    for _, argv in programs:
        run_until(argv, env, ["first-frame"])
    # Interleave so that all see the same machine state.
    for _ in range(runs):
        for name, argv in programs:
            start, marks = run_until(argv, env, ["first-frame"])
            rows[name].append((marks["first-frame"][0] - start) * 1000)
    return rows


def bench_keystrokes(builddir, display, config, entries, words, blink=True):
    """Types @words a key at a time into the app with a bundle of @entries
    entries restored as the last one opened, from its compiled cache; with
    the text cursor blinking or not (GTK's gtk-cursor-blink setting).

    Each key waits until the one before it was searched and painted, so every
    keystroke is a search of its own. Returns the app's marks."""
    gloss = os.path.join(builddir, "src", "app", "gloss")
    cli = os.path.join(builddir, "src", "cli", "gloss-cli")
    bundle = bundle_path(builddir, config, entries)
    env = restoring_env(display, builddir, config, bundle)
    gtk_config = os.path.join(env["XDG_CONFIG_HOME"], "gtk-4.0")
    os.makedirs(gtk_config, exist_ok=True)
    with open(os.path.join(gtk_config, "settings.ini"), "w") as f:
        f.write(f"[Settings]\ngtk-cursor-blink={'true' if blink else 'false'}\n")
    subprocess.run([cli, "search", bundle, "x"], env=env, check=True, stdout=subprocess.DEVNULL)

    def type_words(marks):
        # Click into the window first: without a window manager, focus
        # follows the pointer. The search entry takes keys from anywhere.
        subprocess.run(["xdotool", "mousemove", "800", "400", "click", "1"], env=env, check=True)
        time.sleep(1.0)
        for word in words:
            subprocess.run(["xdotool", "type", "--delay", "250", word], env=env, check=True)
            time.sleep(0.5)
            subprocess.run(["xdotool", "key", "ctrl+a", "BackSpace"], env=env, check=True)
            time.sleep(0.8)
        time.sleep(0.5)

    _, marks = run_until([gloss], env, ["list-populated"],
                         actions={"list-populated": type_words})
    return marks


def keystroke_spans(marks):
    """Per keystroke that searched, in ms: (to search start, search start to
    results painted, keystroke to results painted, search start to results
    ready, results ready to their frame's start, frame start to painted). A
    keystroke is a text-changed mark; its search is the first query-changed
    after it and before the next keystroke. A search that changed nothing on
    screen (no results, then none again) asks for no frame; the next frame
    comes for something else (the next key, the cursor), more than 50 ms
    later (a frame asked for starts within 17 ms): such searches are left
    out, and counted in the second value returned."""
    keys = sorted(marks.get("text-changed", []))
    queries = sorted(marks.get("query-changed", []))
    ready = sorted(marks.get("results-ready", []))
    frames = sorted(marks.get("results-frame", []))
    shown = sorted(marks.get("results-shown", []))
    spans = []
    unpainted = 0
    for i, t in enumerate(keys):
        nxt = keys[i + 1] if i + 1 < len(keys) else float("inf")
        q = [x for x in queries if t <= x < nxt]
        if not q:
            continue
        r = [x for x in shown if x >= q[0]]
        d = [x for x in ready if x >= q[0]]
        f = [x for x in frames if x >= (d[0] if d else q[0])]
        if not r or not d or not f:
            continue
        if f[0] >= nxt or f[0] - d[0] > 0.050:
            unpainted += 1
            continue
        spans.append(((q[0] - t) * 1000, (r[0] - q[0]) * 1000, (r[0] - t) * 1000,
                      (d[0] - q[0]) * 1000, (f[0] - d[0]) * 1000, (r[0] - f[0]) * 1000))
    return spans, unpainted


def bundle_path(builddir, config, entries):
    """The generated bundle of `make bench` if there is one, else a new one."""
    shared = os.path.join(builddir, "bench-data", f"bundle-{entries}.json")
    if os.path.exists(shared):
        return shared
    path = os.path.join(config, f"bench-{entries}.json")
    if not os.path.exists(path):
        gen = os.path.join(builddir, "bench", "gloss-gen-bundle")
        subprocess.run([gen, "--seed", "1", str(entries), path], check=True,
                       stdout=subprocess.DEVNULL)
    return path


def restoring_env(display, builddir, config, bundle):
    """The app's environment with @bundle as the last bundle opened."""
    home = os.path.join(config, "restore-" + os.path.basename(bundle))
    settings = os.path.join(home, "glib-2.0", "settings")
    os.makedirs(settings, exist_ok=True)
    with open(os.path.join(settings, "keyfile"), "w") as f:
        f.write(f"[io/github/glossapp/Gloss]\nlast-bundle='{bundle}'\n")
    env = app_env(display, builddir, config)
    env["GSETTINGS_BACKEND"] = "keyfile"
    env["XDG_CONFIG_HOME"] = home
    return env


def clear_caches(config):
    cache = os.path.join(config, "cache", "gloss")
    if os.path.isdir(cache):
        for name in os.listdir(cache):
            os.unlink(os.path.join(cache, name))


def bench_big_bundles(builddir, display, config, runs, sizes):
    gloss = os.path.join(builddir, "src", "app", "gloss")
    cli = os.path.join(builddir, "src", "cli", "gloss-cli")
    builtin_env = app_env(display, builddir, config)
    results = {}
    for entries in sizes:
        bundle = bundle_path(builddir, config, entries)
        env = restoring_env(display, builddir, config, bundle)
        rows = {"builtin first frame": [], "first frame": [], "list populated": [],
                "first open": [], "first open, longest gap": [],
                "first open, cairo renderer": [], "first open, longest gap, cairo": []}

        # The cache, as gloss-cli (same environment, same cache) leaves it.
        subprocess.run([cli, "search", bundle, "x"], env=env, check=True,
                       stdout=subprocess.DEVNULL)
        for _ in range(runs):
            start, marks = run_until([gloss], builtin_env, ["first-frame"])
            rows["builtin first frame"].append((marks["first-frame"][0] - start) * 1000)
            start, marks = run_until([gloss], env, ["first-frame", "list-populated"])
            rows["first frame"].append((marks["first-frame"][0] - start) * 1000)
            rows["list populated"].append((marks["list-populated"][0] - start) * 1000)

        # The first open of the bundle, no cache: the window stays live. Without
        # a GPU, GTK's default renderer draws with llvmpipe, whose frames take
        # the CPU the load needs (and hold the loop while they are drawn): the
        # cairo renderer is closer to what a GPU gives.
        cairo_env = dict(env, GSK_RENDERER="cairo")
        for _ in range(max(1, runs // 3)):
            for suffix, e in (("", env), (", cairo", cairo_env)):
                clear_caches(config)
                start, marks = run_until([gloss], e, ["list-populated", "load-max-gap"],
                                         timeout=600)
                name = "first open" + (", cairo renderer" if suffix else "")
                rows[name].append((marks["load-done"][0] - marks["load-start"][0]) * 1000)
                rows["first open, longest gap" + suffix].append(marks["load-max-gap"][0] * 1000)
        results[entries] = rows
    return results


def main():
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("builddir")
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--entries", type=int, default=100000)
    parser.add_argument("--big", default="10000,100000",
                        help="bundle sizes to restore at launch (comma-separated; empty: none)")
    parser.add_argument("--only", default="launch,big,keys",
                        help="what to measure (comma-separated): launch, big, keys")
    args = parser.parse_args()

    builddir = os.path.abspath(args.builddir)
    for tool in ("Xvfb", "xdotool"):
        if shutil.which(tool) is None:
            sys.exit(f"{tool} is needed")

    config = tempfile.mkdtemp(prefix="gloss-bench-")
    display = Display()
    try:
        only = args.only.split(",")
        if "launch" in only:
            rows = bench_first_frame(builddir, display, config, args.runs)
            print(f"Launch to first frame, {args.runs} runs each, ms")
            print(f"{'program':<32} {'p50':>8} {'p95':>8} {'min':>8} {'max':>8}")
            for name, values in rows.items():
                print(f"{name:<32} {statistics.median(values):8.1f} "
                      f"{percentile(values, 95):8.1f} {min(values):8.1f} {max(values):8.1f}")
            base = statistics.median(rows["minimal AdwApplicationWindow"])
            floor = statistics.median(rows["same widgets, no app"])
            ours = statistics.median(rows["gloss, built-in bundle"])
            print(f"gloss / minimal (medians): {ours / base:.2f}")
            print(f"same widgets / minimal: {floor / base:.2f}; gloss / same widgets: "
                  f"{ours / floor:.2f}")
            print()

        sizes = [int(n) for n in args.big.split(",") if n]
        if sizes and "big" in only:
            big = bench_big_bundles(builddir, display, config, args.runs, sizes)
            print(f"Big bundles as the last bundle opened (restored at launch from the compiled "
                  f"cache), {args.runs} runs, ms")
            print(f"{'entries':>8} {'measure':<44} {'median':>8}  runs")
            for entries, rows in big.items():
                for name, values in rows.items():
                    runs_text = " ".join(f"{v:.1f}" for v in values)
                    print(f"{entries:>8} {name:<44} {statistics.median(values):8.1f}  {runs_text}")
                base = statistics.median(rows["builtin first frame"])
                ratio = statistics.median(rows["first frame"]) / base
                print(f"{entries:>8} {'first frame / built-in first frame':<44} {ratio:8.2f}")
            print()

        if "keys" in only:
            words = ["tsundere", "moe", "character", "roleplay", "zzqx", "alpha", "memory"]
            for blink in (True, False):
                marks = bench_keystrokes(builddir, display, config, args.entries, words, blink)
                spans, unpainted = keystroke_spans(marks)
                delay = marks.get("search-delay", [float("nan")])[0] * 1000
                # GtkSearchEntry searches an emptied entry at once, without its delay.
                typed = [x for x in spans if x[0] >= delay / 2]
                cleared = [x for x in spans if x[0] < delay / 2]
                print(f"Keystroke to results at {args.entries} entries (restored from the "
                      f"compiled cache), ms; the search entry's search-delay is {delay:.0f} ms; "
                      f"each key its own search; {os.environ.get('GSK_RENDERER', 'default')} "
                      f"renderer; text cursor {'blinking' if blink else 'not blinking'}")
                print(f"{'span':<52} {'n':>4} {'p50':>8} {'p95':>8} {'max':>8}")
                for name, rows, k in (("typed key -> search starts (the delay)", typed, 0),
                                      ("  search starts -> results ready (our work)", typed, 3),
                                      ("  results ready -> frame starts (clock tick)", typed, 4),
                                      ("  frame starts -> results painted", typed, 5),
                                      ("typed key: search starts -> results painted", typed, 1),
                                      ("typed key -> results painted", typed, 2),
                                      ("query cleared -> full list painted", cleared, 2)):
                    values = [x[k] for x in rows]
                    if values:
                        print(f"{name:<52} {len(values):4} {statistics.median(values):8.1f} "
                              f"{percentile(values, 95):8.1f} {max(values):8.1f}")
                print(f"({unpainted} searches changed nothing on screen, and are not counted)")
                print()

            # The floor under "frame starts -> results painted": a frame of the
            # minimal window of the same size, where one label changes.
            minimal = os.path.join(builddir, "bench", "gloss-bench-minimal-window")
            _, marks = run_until([minimal, "--redraws", "60"], app_env(display, builddir, config),
                                 ["redraws-done"])
            frames = [x * 1000 for x in marks.get("redraw", [])]
            print(f"A frame of the minimal AdwApplicationWindow (1100x760) when one label changes, "
                  f"ms; {os.environ.get('GSK_RENDERER', 'default')} renderer")
            print(f"{'frames':>6} {'p50':>8} {'p95':>8} {'min':>8}")
            if frames:
                print(f"{len(frames):>6} {statistics.median(frames):8.1f} "
                      f"{percentile(frames, 95):8.1f} {min(frames):8.1f}")
            print()
    finally:
        display.close()
        shutil.rmtree(config, ignore_errors=True)


if __name__ == "__main__":
    main()
