#!/usr/bin/env python3
"""What small briefs touch, counted by callgrind: pages of data and of code, and instructions.

    python3 bench/touched_pages.py --bench build/blastmap_bench DB SEEDS [--limit N] [--max-nodes M] [--top K]
                                   [--persist]

Runs `blastmap_bench touch` under valgrind's callgrind with a cache simulator whose last level has 4 KiB
lines (so that a miss there is a page touched) and which starts empty for each brief, then prints, over
the briefs of at most M compromised nodes (default 10), the mean pages of data and code and instructions a
brief takes, and the K functions (default 25) that touch the most pages first. The counts are the same from
run to run on one map and build, where the clock moves 2x on this kind of host: the way to compare two
builds' small briefs (docs/performance.md, "What a small brief touches"). Needs valgrind (apt-get install
valgrind) and a blastmap_bench built with its headers. With --persist the simulated caches are kept from
brief to brief: what each brief touches that the ones before it did not (its own rows, mostly).
"""
import argparse
import collections
import glob
import json
import os
import re
import subprocess
import sys
import tempfile

# I1 and D1 large (distinct lines), LL with page-sized lines (distinct pages).
CACHES = ["--I1=1048576,16,64", "--D1=1048576,16,64", "--LL=33554432,16,4096"]
EVENTS = ["Ir", "Dr", "Dw", "I1mr", "D1mr", "D1mw", "ILmr", "DLmr", "DLmw"]


def functions(dump):
    """Per function of one dump: its events, as callgrind_annotate reports them (self cost)."""
    out = subprocess.run(["callgrind_annotate", "--inclusive=no", "--threshold=100", dump],
                         capture_output=True, text=True, check=True).stdout
    rows = collections.defaultdict(collections.Counter)  # overloads and clones of a name: summed
    for line in out.splitlines():
        cells = re.split(r"\s+", re.sub(r"\([^)]*%\)", "", line).strip())
        if len(cells) <= len(EVENTS):
            continue
        try:
            values = [0 if c == "." else int(c.replace(",", "")) for c in cells[:len(EVENTS)]]
        except ValueError:
            continue
        name = " ".join(cells[len(EVENTS):])
        if "PROGRAM TOTALS" in name:
            name = "TOTAL"
        else:
            # "(anonymous namespace)" kept as "{anon}", so that its functions keep their names.
            name = name.split(":", 1)[-1].replace("(anonymous namespace)", "{anon}")
            name = re.sub(r"\(.*", "", name)[:90]
        rows[name].update(dict(zip(EVENTS, values)))
    return rows


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bench", default="build/blastmap_bench")
    ap.add_argument("db")
    ap.add_argument("seeds")
    ap.add_argument("--limit", type=int, default=30)
    ap.add_argument("--max-nodes", type=int, default=10)
    ap.add_argument("--top", type=int, default=25)
    ap.add_argument("--persist", action="store_true")
    args = ap.parse_args()
    bench = os.path.abspath(args.bench)
    with tempfile.TemporaryDirectory() as work:
        # Per thread: the brief's own (the main thread's, -01), not what other threads do meanwhile (a big
        # brief's worker ending, the store's reader).
        run = subprocess.run(["valgrind", "--tool=callgrind", "--separate-threads=yes", "--instr-atstart=no",
                              "--cache-sim=yes", *CACHES,
                              bench, "touch", os.path.abspath(args.db), os.path.abspath(args.seeds),
                              "--limit", str(args.limit)] + (["--persist"] if args.persist else []),
                             cwd=work, capture_output=True, text=True)
        if run.returncode != 0:
            sys.exit("touched_pages: blastmap_bench touch failed:\n" + run.stderr[-2000:])
        report = json.loads(run.stdout.strip().splitlines()[-1])
        if not report.get("callgrind"):
            sys.exit("touched_pages: this blastmap_bench was built without valgrind's headers")
        briefs = [(b.rsplit(":", 1)[0], int(b.rsplit(":", 1)[1])) for b in report["briefs"].split()]
        dumps = sorted(glob.glob(os.path.join(work, "callgrind.out.*.*-01")),
                       key=lambda f: int(f.rsplit(".", 1)[1].split("-")[0]))
        if len(dumps) != len(briefs):
            sys.exit("touched_pages: %d dumps for %d briefs" % (len(dumps), len(briefs)))
        total = collections.Counter()
        per_function = collections.defaultdict(collections.Counter)
        taken = 0
        for dump, (_, nodes) in zip(dumps, briefs):
            if nodes > args.max_nodes:
                continue
            taken += 1
            for name, values in functions(dump).items():
                (total if name == "TOTAL" else per_function[name]).update(values)
    if taken == 0:
        sys.exit("touched_pages: no brief of at most %d nodes" % args.max_nodes)
    mean = lambda c, *keys: sum(c[k] for k in keys) / taken
    print("%d briefs of at most %d nodes (of %d); per brief:" % (taken, args.max_nodes, len(briefs)))
    print("  data pages %.1f, code pages %.1f, data lines %.1f, code lines %.1f, instructions %.0f" % (
        mean(total, "DLmr", "DLmw"), mean(total, "ILmr"), mean(total, "D1mr", "D1mw"), mean(total, "I1mr"),
        mean(total, "Ir")))
    print("  %10s %10s %10s %12s  function" % ("data pages", "code pages", "data lines", "instructions"))
    ranked = sorted(per_function.items(), key=lambda kv: -(kv[1]["DLmr"] + kv[1]["DLmw"] + kv[1]["ILmr"]))
    for name, c in ranked[:args.top]:
        print("  %10.1f %10.1f %10.1f %12.0f  %s" % (mean(c, "DLmr", "DLmw"), mean(c, "ILmr"), mean(c, "D1mr", "D1mw"),
                                                 mean(c, "Ir"), name))


if __name__ == "__main__":
    main()
