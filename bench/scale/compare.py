#!/usr/bin/env python3
"""Query and /suggest latency of several indexes side by side, in one run (issue 12's gates: p50
at 1M against 5k, /suggest p99 at 1M), rounds interleaved so that a busy machine weighs on each
index alike.

    python3 bench/scale/compare.py [--bin build/bin] [--rounds 3] NAME=INDEX NAME=INDEX...

For each round and index: accord-searchd (--cache-mb 0) on the index, five warm-up searches, then
every query of bench/load/queries.txt with facets lang,type and every prefix of
bench/load/suggest.txt three times, over one kept-alive connection. Prints p50/p99 per round and
over all rounds, and the p50 ratio of each index to the first.
"""
import argparse
import os
import statistics
import sys
import urllib.parse

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, HERE)
import serving  # noqa: E402

ap = argparse.ArgumentParser()
ap.add_argument("--bin", default=os.path.join(ROOT, "build", "bin"))
ap.add_argument("--rounds", type=int, default=3)
ap.add_argument("indexes", nargs="+", help="NAME=INDEX")
args = ap.parse_args()


def listed(name):
    with open(os.path.join(ROOT, "bench", "load", name), encoding="utf-8") as f:
        return [ln.strip() for ln in f if ln.strip() and not ln.lstrip().startswith("#")]


def pct(v, p):
    v = sorted(v)
    return v[min(len(v) - 1, int(round(p / 100 * (len(v) - 1))))]


queries, prefixes = listed("queries.txt"), listed("suggest.txt")
pairs = [a.split("=", 1) for a in args.indexes]
res = {name: {"q": [], "s": []} for name, _ in pairs}
for rnd in range(args.rounds):
    for name, index in pairs:
        srv = serving.Server(args.bin, index)
        get = srv.get

        for q in queries[:5]:
            get("/search?q=" + urllib.parse.quote(q))
        lat = [get("/search?q=" + urllib.parse.quote(q) + "&facets=lang,type") for q in queries]
        sug = [get("/suggest?q=" + urllib.parse.quote(p)) for p in prefixes * 3]
        srv.stop()
        res[name]["q"] += lat
        res[name]["s"] += sug
        print(f"round {rnd + 1} {name}: p50 {statistics.median(lat):.1f} ms, p99 {pct(lat, 99):.1f} "
              f"ms, /suggest p99 {pct(sug, 99):.1f} ms", flush=True)
first = pairs[0][0]
for name, _ in pairs:
    q, s = res[name]["q"], res[name]["s"]
    print(f"all rounds {name}: p50 {statistics.median(q):.2f} ms, p99 {pct(q, 99):.1f} ms, "
          f"/suggest p50 {statistics.median(s):.2f} ms, p99 {pct(s, 99):.1f} ms, "
          f"p50 x{statistics.median(q) / statistics.median(res[first]['q']):.1f} of {first}")
