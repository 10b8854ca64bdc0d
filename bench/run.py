#!/usr/bin/env python3
"""The benchmark runner of bench/ (docs/performance.md). For each scale: generate the map (bench/gen_map.py),
import it as blastmap does (tree and bundle) against SQLite's own bulk insert of the same rows, then load,
blast and rank with the engine and with the baselines (plain CSR, SQLite recursive CTEs, NetworkX), each in
its own process. Prints ratios and writes bench/results/<scale>.md.

  bench/run.py --scales 1e3,1e4 --bench build/blastmap_bench [--work /tmp/blastmap-bench]
  bench/run.py --smoke --bench build/blastmap_bench --work DIR   (1e3 only, quick; a CTest test)
"""
import argparse
import json
import os
import platform
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))


def sh(cmd, timeout=None, env=None):
    out = subprocess.run(cmd, check=True, capture_output=True, text=True, timeout=timeout,
                         env=None if env is None else dict(os.environ, **env))
    lines = [l for l in out.stdout.splitlines() if l.startswith("{")]
    return json.loads(lines[-1])


def fmt(x, digits=3):
    if x is None:
        return "—"
    if isinstance(x, float):
        return ("%." + str(digits) + "g") % x
    return str(x)


def ratio(ours, theirs):
    if ours is None or theirs is None or theirs == 0:
        return "—"
    r = ours / theirs
    return "%.2fx" % r if r >= 0.1 else "1/%.0fx" % (1 / r)


def machine():
    cpu = platform.processor() or ""
    try:
        for line in open("/proc/cpuinfo"):
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = ""
    try:
        mem = "%.0f GiB" % (int(open("/proc/meminfo").readline().split()[1]) / 1048576)
    except OSError:
        pass
    return "%s, %d cores, %s, load average %s" % (cpu, os.cpu_count(), mem,
                                                   " ".join("%.1f" % x for x in os.getloadavg()))


def run_scale(n, args):
    label = "n%d" % n
    work = os.path.join(args.work, label)
    os.makedirs(work, exist_ok=True)
    meta_path = os.path.join(work, "meta.json")
    t = time.monotonic()
    if not os.path.exists(meta_path):
        subprocess.run([sys.executable, os.path.join(HERE, "gen_map.py"), "--nodes", str(n), "--out", work],
                       check=True, capture_output=True)
    gen_s = time.monotonic() - t
    meta = json.load(open(meta_path))
    seeds = os.path.join(work, "seeds.txt")
    with open(seeds, "w") as f:
        f.write("\n".join(meta["seed_vendors"]) + "\n")
    r = {"meta": meta, "machine_before": machine(), "gen_s": gen_s}
    db = os.path.join(work, "store.db")
    saved = os.path.join(work, "import_tree.json")
    if args.reuse_import and os.path.exists(saved) and os.path.exists(db):
        r["import_tree"] = json.load(open(saved))  # measured earlier by `blastmap_bench import` (see --reuse-import)
    else:
        print("[%s] import tree" % label, file=sys.stderr)
        for suffix in ("", "-wal", "-shm"):  # a fresh store: importing into an old one would add a snapshot
            if os.path.exists(db + suffix):
                os.remove(db + suffix)
        r["import_tree"] = sh([args.bench, "import", os.path.join(work, "tree"), db])
        json.dump(r["import_tree"], open(saved, "w"))
    if not args.no_bundle:
        print("[%s] import bundle" % label, file=sys.stderr)
        r["import_bundle"] = sh([args.bench, "import", os.path.join(work, "bundle.yaml"), db + ".bundle"])
        for suffix in ("", "-wal", "-shm"):
            if os.path.exists(db + ".bundle" + suffix):
                os.remove(db + ".bundle" + suffix)
    print("[%s] engine" % label, file=sys.stderr)
    engine_cmd = [args.bench, "engine", db, seeds, "--budget", str(args.budget),
                  "--rank-budget", str(args.rank_budget)] + (
        ["--reference"] if n <= args.reference_up_to else [])
    r["engine"] = sh(engine_cmd)
    # A one-shot `blastmap rank`: no memos in the load; the rows are ranked while the memos are built (medians of
    # three on one load; the first is the coldest, the best and median are reported).
    print("[%s] one-shot rank" % label, file=sys.stderr)
    r["oneshot_rank"] = sh([args.bench, "rank", db, "--repeat", "3", "--no-brief"])
    print("[%s] csr baseline" % label, file=sys.stderr)
    r["csr"] = sh([args.bench, "csr", db, seeds])
    # For reference, not the targets': the same baseline with glibc's malloc backing its heap with huge pages,
    # as blastmap's own processes run (core/huge_pages.h).
    print("[%s] csr baseline, huge pages" % label, file=sys.stderr)
    r["csr_huge"] = sh([args.bench, "csr", db, seeds], env={"GLIBC_TUNABLES": "glibc.malloc.hugetlb=1"})
    # The median brief moves 2x from process to process on this kind of host, on both sides: more alternating
    # pairs of the two (their briefs; blastmap's ranking cancelled at once), and the median of the pairs'
    # ratios beside the first pair's.
    pairs = [(r["engine"]["blast_ms"]["p50"], r["csr"]["blast_ms"]["p50"])]
    for i in range(1, args.pairs):
        print("[%s] brief pair %d of %d" % (label, i + 1, args.pairs), file=sys.stderr)
        ours = sh([args.bench, "engine", db, seeds, "--budget", str(args.budget), "--rank-budget", "0.001"])
        theirs = sh([args.bench, "csr", db, seeds])
        pairs.append((ours["blast_ms"]["p50"], theirs["blast_ms"]["p50"]))
    r["p50_pairs"] = pairs
    for name in ("sqlite", "networkx"):
        if name in args.skip:
            continue
        print("[%s] %s baseline" % (label, name), file=sys.stderr)
        try:
            r[name] = sh(["/usr/bin/python3", os.path.join(HERE, "baselines.py"), name, db, seeds, "--budget",
                          str(args.budget)], timeout=args.budget * 4 + 300)
        except (subprocess.CalledProcessError, subprocess.TimeoutExpired) as e:
            r[name] = {"error": str(e)[:200]}
    r["machine_after"] = machine()
    return r


def report(n, r):
    e, c = r["engine"], r["csr"]
    it, bulk = r["import_tree"], r["import_tree"]["sqlite_bulk"]
    lines = ["# Benchmark: %s nodes" % format(n, ","), "",
             "Generated by `bench/run.py` (method: docs/performance.md). Machine and load when the scale started: "
             "%s; when it ended: %s." % (r["machine_before"], r["machine_after"]), "",
             "Map: %(systems)d systems, %(vendors)d vendors (%(hubs)d identity hubs, %(hosting)d hosting providers), "
             "%(flows)d flows (%(star_flows)d \"*\"), %(accesses)d access edges, %(holdings)d stores, "
             "%(categories)d categories, %(files)d files; seed %(seed)d." % r["meta"], "",
             "## Import", "",
             "| input | files | MB | parse+validate+rows s | rest+commit s | total s | CPU s | rows | rows/s | store MB "
             "| peak MB |",
             "|---|---|---|---|---|---|---|---|---|---|---|"]
    for key in ("import_tree", "import_bundle"):
        if key not in r:
            continue
        x = r[key]
        lines.append("| %s | %d | %.1f | %s | %s | %s | %s | %d | %s | %.1f | %.0f |" % (
            "tree" if key == "import_tree" else "bundle", x["files"], x["input_bytes"] / 1e6, fmt(x["parse_s"]),
            fmt(x["save_s"]), fmt(x["import_s"]), fmt(x["import_cpu_s"]) if "import_cpu_s" in x else "-",
            x["rows"], fmt(x["rows_per_s"]), x["store_bytes"] / 1e6, x["peak_rss_mb"]))
    lines += ["", "SQLite's own bulk insert of the same %d rows (prepared statements, one transaction, same schema): "
              "%s s, %s rows/s. blastmap's whole import (tree) runs at **%s** of that rate (target ≥ 0.33), using "
              "%s s of CPU (load average %s as it started); its rows are written while the files parse, and what "
              "is left after the parse (the rest of the model and the commit) takes %s s." % (
                  bulk["rows"], fmt(bulk["seconds"]), fmt(bulk["rows_per_s"]),
                  ratio(it["rows_per_s"], bulk["rows_per_s"]), fmt(it.get("import_cpu_s")),
                  fmt(it.get("load_average"), 2), fmt(it["save_s"])), ""]
    lines += ["## Queries", "",
              "Blast latencies over %d seed vendors (fixed by the generator's seed); blastmap's are warm queries "
              "building the full brief (`Engine::Blast`: compromise paths, exposed categories with provenance, "
              "records, subjects, not-exposed list, severity), the baselines compute the sets only. Rank: every "
              "vendor." % e["blast_ms"].get("n", 0), "",
              "| | load s | blast p50 ms | blast p95 ms | blast max ms | rank all s | peak MB |",
              "|---|---|---|---|---|---|---|"]

    def row(name, x):
        if "error" in x:
            return "| %s | failed: %s | | | | | |" % (name, x["error"])
        b = x.get("blast_ms", {})
        rank = x.get("rank_s")
        rank_text = fmt(rank) if rank is not None else "not finished: %d/%d vendors in %s s, ≈ %s s for all" % (
            x.get("ranked", 0), x.get("vendors", 0), fmt(x.get("rank_s_extrapolated", 0) and
                                                         x["rank_s_extrapolated"] * x["ranked"] / x["vendors"]),
            fmt(x.get("rank_s_extrapolated")))
        if x.get("rank_finished") is False:
            rank_text = "not finished in %s s (cancelled)" % fmt(rank)
        done = ""
        if "seeds_done" in x and x["seeds_done"] < x["seeds"]:
            done = " (%d/%d seeds in budget)" % (x["seeds_done"], x["seeds"])
        return "| %s | %s | %s | %s | %s%s | %s | %.0f |" % (name, fmt(x["load_s"]), fmt(b.get("p50")),
                                                            fmt(b.get("p95")), fmt(b.get("max")), done,
                                                            rank_text, x["peak_rss_mb"])

    lines.append(row("**blastmap** (full brief)", e))
    lines.append(row("plain CSR (Boost.Graph, bitsets)", c))
    if "csr_huge" in r:
        lines.append(row("plain CSR with huge pages (reference)", r["csr_huge"]))
    for name, title in (("sqlite", "SQLite recursive CTE"), ("networkx", "NetworkX")):
        if name in r:
            lines.append(row(title, r[name]))
    lines += ["", "Ratios (blastmap ÷ baseline; below 1 is faster):", "",
              "| baseline | load | blast p50 | blast p95 | rank all | peak memory |", "|---|---|---|---|---|---|"]
    for name, title in (("csr", "plain CSR"), ("csr_huge", "plain CSR with huge pages (reference)"),
                        ("sqlite", "SQLite CTE"), ("networkx", "NetworkX")):
        x = r.get(name)
        if not x or "error" in x:
            continue
        b = x.get("blast_ms", {})
        rank = x.get("rank_s") if x.get("rank_s") is not None else x.get("rank_s_extrapolated")
        lines.append("| %s | %s | %s | %s | %s%s | %s |" % (
            title, ratio(e["load_s"], x["load_s"]), ratio(e["blast_ms"]["p50"], b.get("p50")),
            ratio(e["blast_ms"]["p95"], b.get("p95")),
            ratio(e["rank_s"], rank) if e.get("rank_finished", True) else "> " + ratio(e["rank_s"], rank),
            "" if x.get("rank_s") is not None or name.startswith("csr") else " (vs extrapolated)",
            ratio(e["peak_rss_mb"], x["peak_rss_mb"])))
    pairs = r.get("p50_pairs", [])
    if len(pairs) > 1:
        ratios = sorted(a / b for a, b in pairs)
        median = (ratios[len(ratios) // 2] if len(ratios) % 2 else
                  (ratios[len(ratios) // 2 - 1] + ratios[len(ratios) // 2]) / 2)
        lines += ["", "The median brief over %d alternating pairs of runs (blastmap, then plain CSR; the first pair is "
                  "the table's): blastmap p50 %s ms, plain CSR %s ms; ratios %s; **median ratio %.2fx** (faster in "
                  "%d of %d pairs)." % (
                      len(pairs), " / ".join(fmt(a) for a, _ in pairs), " / ".join(fmt(b) for _, b in pairs),
                      " / ".join("%.2fx" % (a / b) for a, b in pairs), median,
                      sum(1 for a, b in pairs if a < b), len(pairs))]
    if "reference_rank_s" in e:
        lines += ["", "Shared-work rank vs one full brief per vendor (the reference): %s s vs %s s, rows equal: %s." % (
            fmt(e["rank_s"]), fmt(e["reference_rank_s"]), e["reference_rank_equal"])]
    if e.get("rank_cpu_s") is not None and c.get("rank_cpu_s") is not None:
        lines += ["", "Rank CPU time (every thread of the process; little affected by other load): blastmap %s s%s, "
                  "plain CSR %s s; ratio %s." % (
                      fmt(e["rank_cpu_s"]), "" if e.get("rank_finished", True) else " (unfinished)",
                      fmt(c["rank_cpu_s"]), ratio(e["rank_cpu_s"], c["rank_cpu_s"]))]
    if e.get("rank_memo_s") is not None and c.get("rank_s") is not None:
        cold, cold_cpu = e["rank_memo_s"] + e["rank_s"], e["rank_memo_cpu_s"] + e.get("rank_cpu_s", 0)
        lines += ["", "The per-snapshot memos are built within the load above (`Engine::Warm`, as the server does "
                  "before serving): the brief memos in %s s, the ranking's in %s s wall, %s s CPU. A cold rank, as "
                  "`blastmap rank` runs it on a fresh engine (memos, then rows): %s s wall (%s of plain CSR's rank), "
                  "%s s CPU (%s)." % (
                      fmt(e.get("brief_memo_s")), fmt(e["rank_memo_s"]), fmt(e["rank_memo_cpu_s"]), fmt(cold),
                      ratio(cold, c["rank_s"]), fmt(cold_cpu),
                      ratio(cold_cpu, c["rank_cpu_s"]) if c.get("rank_cpu_s") else "-")]
    o = r.get("oneshot_rank")
    if o and c.get("rank_s") is not None:
        lines += ["", "A one-shot `blastmap rank` (no memos before it; its rows are ranked on one thread while the "
                  "other builds the memos; `blastmap_bench rank DB --repeat 3 --no-brief`, one load): median %s s "
                  "wall (**%s** of plain CSR's rank), best %s s, %s s CPU (%s); %d of %d rows ranked while the memos "
                  "were built; rows digest %s." % (
                      fmt(o["cold_s"]), ratio(o["cold_s"], c["rank_s"]), fmt(o["best_cold_s"]), fmt(o["cold_cpu_s"]),
                      ratio(o["cold_cpu_s"], c["rank_cpu_s"]) if c.get("rank_cpu_s") else "-",
                      o["ranked_while_building"], o["ranked"], o["rows_digest"])]
    if "blast_cpu_ms" in e and "blast_cpu_ms" in c:
        ec, cc = e["blast_cpu_ms"], c["blast_cpu_ms"]
        lines += ["", "Blast CPU time of the process (every thread: a big brief is assembled on two; little "
                  "affected by other load on the machine), "
                  "p50 / p95 / max ms: blastmap %s / %s / %s, plain CSR %s / %s / %s; p95 ratio %s." % (
                      fmt(ec["p50"]), fmt(ec["p95"]), fmt(ec["max"]), fmt(cc["p50"]), fmt(cc["p95"]), fmt(cc["max"]),
                      ratio(ec["p95"], cc["p95"]))]
    lines += ["", "Largest compromise set among the seeds: %d nodes; its brief holds %s access hops on the nodes' "
              "paths and %s (category, holder) entries. Engine memory right after load: %.0f MB." % (
                  e["max_compromised"], e.get("max_brief_access_hops", "—"), e.get("max_brief_holder_entries", "—"),
                  e["rss_after_load_mb"]), ""]
    return "\n".join(lines)


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--scales", default="1e3,1e4")
    p.add_argument("--bench", required=True, help="the blastmap_bench binary")
    p.add_argument("--work", default="/tmp/blastmap-bench")
    p.add_argument("--results", default=os.path.join(HERE, "results"))
    p.add_argument("--budget", type=float, default=120.0, help="seconds per slow baseline phase")
    p.add_argument("--rank-budget", type=float, default=0,
                   help="seconds for blastmap's rank; past it the rank is cancelled and reported unfinished")
    p.add_argument("--reference-up-to", type=int, default=10000, help="also time the reference rank up to N")
    p.add_argument("--skip", default="", help="comma-separated baselines to skip: sqlite,networkx")
    p.add_argument("--no-bundle", action="store_true")
    p.add_argument("--pairs", type=int, default=5,
                   help="alternating runs of blastmap's briefs and the plain CSR's (the first pair included)")
    p.add_argument("--reuse-import", action="store_true",
                   help="reuse WORK/nN/store.db and import_tree.json from an earlier `blastmap_bench import`")
    p.add_argument("--smoke", action="store_true", help="1e3 only, small budgets, no results file")
    args = p.parse_args()
    if args.smoke:
        args.scales, args.budget, args.skip = "1e3", 5.0, "networkx"
        args.reference_up_to, args.pairs = 1000, 2
    args.skip = args.skip.split(",")
    for scale in args.scales.split(","):
        n = int(float(scale))
        r = run_scale(n, args)
        text = report(n, r)
        if args.smoke:
            e = r["engine"]
            assert e["reference_rank_equal"], "shared rank differs from the reference"
            assert e["ranked"] == r["meta"]["vendors"], "not every vendor ranked"
            assert r["oneshot_rank"]["ranked"] == r["meta"]["vendors"], "the one-shot rank missed vendors"
            assert len(r["p50_pairs"]) == 2 and "median ratio" in text, "the brief pairs are not reported"
            # blastmap_bench cold (small briefs by part, memory evicted) runs and times the briefs it says.
            cold = sh([args.bench, "cold", os.path.join(args.work, "n%d" % n, "store.db"),
                       os.path.join(args.work, "n%d" % n, "seeds.txt"), "--evict", "8"])
            assert cold["mode"] == "cold" and 0 < cold["small_briefs"] <= cold["briefs"], cold
            assert cold["cold_ms"] > 0 and cold["hot_ms"] > 0, cold
            print(text)
            continue
        os.makedirs(args.results, exist_ok=True)
        with open(os.path.join(args.results, "n%s.md" % scale.replace("+", "")), "w") as f:
            f.write(text)
        with open(os.path.join(args.results, "n%s.json" % scale.replace("+", "")), "w") as f:
            json.dump(r, f, indent=1)
        print(text)
        sys.stdout.flush()


if __name__ == "__main__":
    main()
