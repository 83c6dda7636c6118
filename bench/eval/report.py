#!/usr/bin/env python3
"""Prints the tables of bench/eval/run_eval.sh from the score.py outputs of one run.

    report.py DIR SYSTEM...

For each SYSTEM, DIR/SYSTEM.score is the output of score.py for that system's run (a
missing file means the system failed; DIR/SYSTEM.failed, when present, holds the reason).
DIR/accord.latency holds one JSON line per accord query of the scored run (from json_tap.py)
with took_ms; DIR/accord.latency10 the same at --limit 10; DIR/loadavg the 1-minute load
average when the searches started.
The first SYSTEM is accord; the others are its peers.
"""
import json
import math
import os
import sys

KIND_ORDER = ["topical", "non-english", "unaccented", "cross-lingual", "known-item"]
METRICS = ["nDCG@10", "P@10", "MRR@10", "R@100", "judged@10"]


def read_score(path):
    """{kind: (n, {metric: value})} from score.py output."""
    table = {}
    with open(path, encoding="utf-8") as f:
        header = f.readline().split()
        names = header[2:]
        for line in f:
            parts = line.split()
            if len(parts) != 2 + len(names):
                continue
            try:
                table[parts[0]] = (int(parts[1]), dict(zip(names, map(float, parts[2:]))))
            except ValueError:
                continue
    return table


def percentile(values, p):
    """Nearest-rank percentile: the smallest value with at least p% of values at or below it."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(p / 100.0 * len(ordered)) - 1)]


def median(values):
    ordered = sorted(values)
    n = len(ordered)
    return ordered[n // 2] if n % 2 else (ordered[n // 2 - 1] + ordered[n // 2]) / 2.0


def main(argv):
    if len(argv) < 3:
        print(__doc__, file=sys.stderr)
        return 2
    out_dir, systems = argv[1], argv[2:]
    scores, failed = {}, {}
    for s in systems:
        path = os.path.join(out_dir, s + ".score")
        reason_path = os.path.join(out_dir, s + ".failed")
        if os.path.exists(reason_path):
            with open(reason_path, encoding="utf-8") as f:
                failed[s] = f.read().strip() or "failed"
        elif os.path.exists(path):
            scores[s] = read_score(path)
        else:
            failed[s] = "no score"

    kinds = set()
    for t in scores.values():
        kinds.update(t)
    rows = [k for k in KIND_ORDER if k in kinds]
    rows += sorted(k for k in kinds if k not in KIND_ORDER and k != "all")
    rows.append("all")
    ns = {}
    for t in scores.values():
        for k, (n, _) in t.items():
            ns.setdefault(k, n)

    width = max(10, max(len(s) for s in systems))
    cell = "%" + str(width) + "s"

    def value(s, kind, metric):
        if s not in scores or kind not in scores[s]:
            return "-"
        return "%.3f" % scores[s][kind][1][metric]

    print("nDCG@10 by query kind")
    print("%-14s %4s  " % ("kind", "n") + "  ".join(cell % s for s in systems))
    for k in rows:
        print("%-14s %4s  " % (k, ns.get(k, "-")) + "  ".join(cell % value(s, k, "nDCG@10")
                                                         for s in systems))
    print("%-14s %4s  " % ("judged@10 all", "") + "  ".join(cell % value(s, "all", "judged@10")
                                                           for s in systems))
    for s in systems:
        if s in failed:
            print("  %s: %s" % (s, failed[s]))

    accord = systems[0]
    print()
    print("%s, all measures" % accord)
    if accord in scores:
        print("%-14s %4s  " % ("kind", "n") + "  ".join("%9s" % m for m in METRICS))
        for k in rows:
            print("%-14s %4s  " % (k, ns.get(k, "-"))
                  + "  ".join("%9s" % value(accord, k, m) for m in METRICS))
    else:
        print("  failed: %s" % failed.get(accord, "?"))

    print()
    load = ""
    try:
        with open(os.path.join(out_dir, "loadavg"), encoding="utf-8") as f:
            load = "; load average %s" % f.read().strip()
    except OSError:
        pass
    for suffix, label in ((".latency", "scored run"), (".latency10", "--limit 10")):
        path = os.path.join(out_dir, accord + suffix)
        if not os.path.exists(path):
            continue
        took, calls, empty = [], 0, 0
        with open(path, encoding="utf-8") as f:
            for line in f:
                rec = json.loads(line)
                calls += 1
                if isinstance(rec.get("took_ms"), (int, float)):
                    took.append(float(rec["took_ms"]))
                if rec.get("hits") == 0:
                    empty += 1
        if not took:
            print("%s took_ms (%s): none recorded in %d calls" % (accord, label, calls))
            continue
        extra = []
        if len(took) < calls:
            extra.append("%d calls without took_ms" % (calls - len(took)))
        if empty:
            extra.append("%d with no hits" % empty)
        print("%s took_ms (%s, %d queries): median %.1f ms, p95 %.1f ms, max %.1f ms%s%s" % (
            accord, label, len(took), median(took), percentile(took, 95), max(took),
            "".join("; " + e for e in extra), load if suffix == ".latency" else ""))

    peers = [s for s in systems[1:] if s in scores and "all" in scores[s]]
    if accord in scores and "all" in scores[accord] and peers:
        best = max(peers, key=lambda s: scores[s]["all"][1]["nDCG@10"])
        a = scores[accord]["all"][1]["nDCG@10"]
        b = scores[best]["all"][1]["nDCG@10"]
        ratio = "%.2fx" % (a / b) if b > 0 else "n/a"
        print("accord / best peer (nDCG@10 all) = %s  (%s %.3f / %s %.3f)" % (
            ratio, accord, a, best, b))
    else:
        print("accord / best peer (nDCG@10 all) = n/a")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
