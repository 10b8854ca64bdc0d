#!/usr/bin/env python3
"""The database and general-purpose-library baselines of bench/ (docs/performance.md), doing the same work as
the plain-CSR baseline on a blastmap store: load the latest snapshot (held() included), answer one blast
radius per seed (the compromise set over pivot edges, read/write targets, the union of held()), and rank every
vendor by running that query per vendor within a time budget (the rest is extrapolated).

  baselines.py sqlite   DB SEEDS --budget S   held() and every query as SQLite recursive CTEs
  baselines.py networkx DB SEEDS --budget S   NetworkX (Debian's python3-networkx) graphs and Python sets

Prints one JSON object. Python 3 standard library (plus networkx for the second).
"""
import argparse
import json
import os
import resource
import shutil
import sqlite3
import sys
import time

SEP = "\x1f"


def split(text):
    return [x for x in text.split(SEP) if x] if text else []


def percentiles(values):
    if not values:
        return {}
    v = sorted(values)
    at = lambda q: v[min(len(v) - 1, int(q * len(v)))]
    return {"p50": at(0.5), "p95": at(0.95), "max": v[-1], "mean": sum(v) / len(v), "n": len(v)}


def peak_mb():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


def read_rows(db):
    con = sqlite3.connect("file:%s?mode=ro" % db, uri=True)
    snap = con.execute("SELECT max(id) FROM snapshots").fetchone()[0]
    nodes = con.execute("SELECT id, kind FROM nodes WHERE snapshot=? ORDER BY pos", (snap,)).fetchall()
    holdings = con.execute("SELECT node, categories FROM holdings WHERE snapshot=?", (snap,)).fetchall()
    flows = con.execute("SELECT from_node, to_node, forwards_all, categories FROM flows WHERE snapshot=?",
                        (snap,)).fetchall()
    accesses = con.execute("SELECT from_node, to_node, privilege FROM accesses WHERE snapshot=?", (snap,)).fetchall()
    con.close()
    return nodes, holdings, flows, accesses


class Budget:
    def __init__(self, seconds):
        self.end = time.monotonic() + seconds

    def left(self):
        return self.end - time.monotonic()


def run_sqlite(db, seeds, budget_s):
    t0 = time.monotonic()
    nodes, holdings, flows, accesses = read_rows(db)
    tmp = db + ".cte.db"
    for suffix in ("", "-wal", "-shm", "-journal"):
        if os.path.exists(tmp + suffix):
            os.remove(tmp + suffix)
    con = sqlite3.connect(tmp)
    con.execute("PRAGMA journal_mode=OFF")
    con.execute("PRAGMA synchronous=OFF")
    con.executescript("""
      CREATE TABLE own(node TEXT, cat TEXT);
      CREATE TABLE star(src TEXT, dst TEXT);
      CREATE TABLE piv(src TEXT, dst TEXT);
      CREATE TABLE rd(src TEXT, dst TEXT);
      CREATE TABLE vendors(id TEXT);""")
    con.executemany("INSERT INTO own VALUES (?, ?)", ((n, c) for n, cats in holdings for c in split(cats)))
    con.executemany("INSERT INTO own VALUES (?, ?)", ((t, c) for f, t, star, cats in flows if not star
                                                      for c in split(cats)))
    con.executemany("INSERT INTO star VALUES (?, ?)", ((f, t) for f, t, star, _ in flows if star))
    con.executemany("INSERT INTO piv VALUES (?, ?)", ((f, t) for f, t, p in accesses if p in ("admin", "code")))
    con.executemany("INSERT INTO rd VALUES (?, ?)", ((f, t) for f, t, p in accesses if p in ("read", "write")))
    con.executemany("INSERT INTO vendors VALUES (?)", ((i,) for i, k in nodes if k == "vendor"))
    con.executescript("""
      CREATE INDEX star_src ON star(src); CREATE INDEX piv_src ON piv(src); CREATE INDEX rd_src ON rd(src);
      CREATE TABLE held AS WITH RECURSIVE h(node, cat) AS (
        SELECT node, cat FROM own UNION SELECT s.dst, h.cat FROM h JOIN star s ON s.src = h.node)
        SELECT node, cat FROM h;
      CREATE INDEX held_node ON held(node);""")
    con.commit()
    load = time.monotonic() - t0
    query = """WITH RECURSIVE c(n) AS (SELECT ? UNION SELECT p.dst FROM c JOIN piv p ON p.src = c.n),
               x(n) AS (SELECT n FROM c UNION SELECT r.dst FROM c JOIN rd r ON r.src = c.n)
               SELECT count(*) FROM (SELECT DISTINCT cat FROM held JOIN x ON held.node = x.n)"""
    vendors = [v for (v,) in con.execute("SELECT id FROM vendors")]
    budget = Budget(budget_s)
    abort = lambda: 1 if budget.left() < 0 else 0
    con.set_progress_handler(abort, 10000)
    latencies, done = [], 0
    for s in seeds:
        t = time.monotonic()
        try:
            con.execute(query, (s,)).fetchone()
        except sqlite3.OperationalError:
            break
        latencies.append((time.monotonic() - t) * 1e3)
        done += 1
    budget = Budget(budget_s)
    t = time.monotonic()
    ranked = 0
    for v in vendors:
        try:
            con.execute(query, (v,)).fetchone()
        except sqlite3.OperationalError:
            break
        ranked += 1
    rank_elapsed = time.monotonic() - t
    con.close()
    size = os.path.getsize(tmp)
    os.remove(tmp)
    return finish("sqlite-cte", len(nodes), load, latencies, len(seeds), vendors, ranked, rank_elapsed,
                  extra={"cte_db_bytes": size})


def run_networkx(db, seeds, budget_s):
    import networkx as nx
    t0 = time.monotonic()
    nodes, holdings, flows, accesses = read_rows(db)
    keys = sorted({c for _, cats in holdings for c in split(cats)} |
                  {c for _, _, star, cats in flows if not star for c in split(cats)})
    bit = {k: 1 << i for i, k in enumerate(keys)}
    own = {i: 0 for i, _ in nodes}
    for n, cats in holdings:
        for c in split(cats):
            own[n] |= bit[c]
    star = nx.DiGraph()
    star.add_nodes_from(own)
    for f, t, is_star, cats in flows:
        if is_star:
            star.add_edge(f, t)
        else:
            for c in split(cats):
                own[t] |= bit[c]
    cond = nx.condensation(star)
    members = cond.graph["mapping"]
    comp_bits = {}
    for c in cond.nodes:
        b = 0
        for n in cond.nodes[c]["members"]:
            b |= own[n]
        comp_bits[c] = b
    for c in nx.topological_sort(cond):
        for d in cond.successors(c):
            comp_bits[d] |= comp_bits[c]
    held = {n: comp_bits[members[n]] for n in own}
    piv, rd = nx.DiGraph(), nx.DiGraph()
    piv.add_nodes_from(own)
    rd.add_nodes_from(own)
    for f, t, p in accesses:
        (piv if p in ("admin", "code") else rd).add_edge(f, t)
    load = time.monotonic() - t0

    def blast(seed):
        ctrl = nx.descendants(piv, seed) | {seed}
        exposed = set(ctrl)
        for n in ctrl:
            exposed.update(rd.successors(n))
        b = 0
        for n in exposed:
            b |= held[n]
        return bin(b).count("1")

    budget = Budget(budget_s)
    latencies = []
    for s in seeds:
        if budget.left() < 0:
            break
        t = time.monotonic()
        blast(s)
        latencies.append((time.monotonic() - t) * 1e3)
    vendors = [i for i, k in nodes if k == "vendor"]
    budget = Budget(budget_s)
    t = time.monotonic()
    ranked = 0
    for v in vendors:
        if budget.left() < 0:
            break
        blast(v)
        ranked += 1
    return finish("networkx " + nx.__version__, len(nodes), load, latencies, len(seeds), vendors, ranked,
                  time.monotonic() - t)


def finish(mode, nodes, load, latencies, seeds, vendors, ranked, rank_elapsed, extra=None):
    out = {"mode": mode, "nodes": nodes, "load_s": load, "blast_ms": percentiles(latencies),
           "seeds_done": len(latencies), "seeds": seeds, "ranked": ranked, "vendors": len(vendors),
           "rank_s": rank_elapsed if ranked == len(vendors) else None,
           "rank_s_extrapolated": rank_elapsed * len(vendors) / ranked if ranked else None,
           "peak_rss_mb": peak_mb()}
    out.update(extra or {})
    return out


def main():
    p = argparse.ArgumentParser()
    p.add_argument("mode", choices=["sqlite", "networkx"])
    p.add_argument("db")
    p.add_argument("seeds")
    p.add_argument("--budget", type=float, default=60.0, help="seconds for the blasts, and again for the rank")
    a = p.parse_args()
    seeds = [l.strip() for l in open(a.seeds) if l.strip()]
    run = run_sqlite if a.mode == "sqlite" else run_networkx
    print(json.dumps(run(a.db, seeds, a.budget)))


if __name__ == "__main__":
    main()
