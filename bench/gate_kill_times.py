#!/usr/bin/env python3
"""Time for `haspec gate`, with default settings, to catch each bundled switch.

For every mutant and alternative reading in sut/manifest.json, runs the gate
under the full profile with several seeds and prints, per switch, the median
time to the first failure (as the gate reports it: from its start, model
route search included) and the median wall time of the whole command
(shrinking and reporting included), as a Markdown table.

  bench/gate_kill_times.py [--build build/default] [--seeds 5] [--machine dsm]
"""
import argparse
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--build", default=os.path.join(ROOT, "build", "default"),
                    help="build directory holding tools/haspec/haspec and sut/")
    ap.add_argument("--seeds", type=int, default=5, help="seeds per switch (1..N)")
    ap.add_argument("--machine", help="only this machine")
    a = ap.parse_args()
    haspec = os.path.join(a.build, "tools", "haspec", "haspec")
    manifest = json.load(open(os.path.join(ROOT, "sut", "manifest.json")))
    rows, worst = [], 0.0
    with tempfile.TemporaryDirectory() as out:
        for impl in manifest["implementations"]:
            machine = impl["machine"]
            if a.machine and machine != a.machine:
                continue
            config = []
            if "gate_config" in impl:
                config = ["--config", os.path.join(ROOT, impl["gate_config"])]
            for sw in impl["switches"]:
                found, wall = [], []
                for seed in range(1, a.seeds + 1):
                    sut = os.path.join(a.build, impl["command"][0]) + " " + sw["flag"]
                    t = time.monotonic()
                    p = subprocess.run([haspec, "gate", machine, "--sut", sut, "--seed",
                                        str(seed), "--out", out] + config,
                                       capture_output=True, text=True)
                    wall.append(time.monotonic() - t)
                    m = re.search(r"first failure in run (\d+) after ([0-9.]+) s", p.stdout)
                    if p.returncode != 1 or not m:
                        print(f"{machine} {sw['name']} seed {seed}: not caught "
                              f"(exit {p.returncode})", file=sys.stderr)
                        found.append(float("inf"))
                    else:
                        found.append(float(m.group(2)))
                med = statistics.median(found)
                worst = max(worst, med)
                rows.append((machine, sw["kind"], sw["name"], med, max(found),
                             statistics.median(wall)))
                print(f"{machine} {sw['name']}: median {med:.2f} s", file=sys.stderr)
    print(f"| machine | kind | switch | median to first failure | slowest seed | "
          f"median wall (shrinking included) |")
    print("|---|---|---|---|---|---|")
    for m, k, n, med, mx, w in rows:
        print(f"| {m} | {k} | {n} | {med:.2f} s | {mx:.2f} s | {w:.2f} s |")
    meds = sorted(r[3] for r in rows)
    print(f"\n{len(rows)} switches, {a.seeds} seeds each; median of medians "
          f"{statistics.median(meds):.2f} s, worst median {worst:.2f} s")


if __name__ == "__main__":
    main()
