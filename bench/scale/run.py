#!/usr/bin/env python3
"""How accord's costs grow with the collection (issue 12): index wall time and CPU, the indexer's
peak RSS, index size before and after compaction, query p50/p99 over a fixed query list,
accord-searchd's RSS, /suggest p99; and the same for 1, 2 and 4 shards at one size.

    python3 bench/scale/run.py [--sizes 5000,20000,100000,1000000] [--shards-at 1000000]
                               [--shard-counts 2,4] [--instr-queries 30] [--work DIR] [--keep]
                               [--bin build/bin] [--generate-only]

Collections are generated, seeded (the same for every run): records of 1-8 KB cut at word
boundaries from the documents of ../shared/corpus/large.jsonl.xz and ../shared/corpus/real, with
a tenth of the words replaced by words drawn from the same language's word frequencies (so each
language keeps its word statistics while no two records are alike); ids are unique; language,
type and date are the source document's. A collection of N records is written once as
WORK/coll-N.jsonl and reused. Not part of ctest: this takes from minutes (5k, 20k) to hours (1M).
Instructions per search are callgrind's (bench/callgrind.sh, PARTS=search) over the first
--instr-queries queries with facets lang,type. Rows are kept in WORK/scale.json across runs (a row
measured again is replaced), so the sizes can be run one at a time; the table printed at the end
is that of every row in WORK/scale.json.
"""
import argparse
import collections
import json
import lzma
import math
import os
import random
import re
import resource
import shutil
import statistics
import subprocess
import sys
import time
import urllib.parse

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
SHARED = os.path.join(os.path.dirname(ROOT), "shared", "corpus")
sys.path.insert(0, HERE)
import serving  # noqa: E402

ap = argparse.ArgumentParser()
ap.add_argument("--sizes", default="5000,20000,100000,1000000")
ap.add_argument("--shards-at", type=int, default=0,
                help="size at which 1, 2 and 4 shards are compared (default: the largest)")
ap.add_argument("--work", default="/tmp/accord-scale")
ap.add_argument("--bin", default=os.path.join(ROOT, "build", "bin"))
ap.add_argument("--build", default="",
                help="CMake build directory for callgrind (default: the folder above --bin)")
ap.add_argument("--keep", action="store_true", help="keep the indexes")
ap.add_argument("--seed", type=int, default=12)
ap.add_argument("--shard-counts", default="2,4",
                help="shard counts compared with one database at --shards-at ('' for none)")
ap.add_argument("--instr-queries", type=int, default=30,
                help="queries of bench/load/queries.txt counted under callgrind (0: none)")
ap.add_argument("--generate-only", action="store_true", help="write the collections and stop")
ap.add_argument("--serve-only", action="store_true",
                help="measure serving again on the indexes kept in WORK (--keep) with --bin's "
                     "programs; the indexing figures of scale.json are kept")
args = ap.parse_args()
sizes = [int(s) for s in args.sizes.split(",") if s.strip()]  # '' with --shards-at: shards only
if not sizes and not args.shards_at:
    ap.error("--sizes '' needs --shards-at")
shards_at = args.shards_at or max(sizes)
os.makedirs(args.work, exist_ok=True)
WORD = re.compile(r"\w+", re.UNICODE)
LOG_KEEP = math.log(0.9)  # each word is kept with probability 0.9


# ------------------------------------------------------------------ sources and generator

def sources():
    """(language, type, date, text) of every source document"""
    out = []
    with lzma.open(os.path.join(SHARED, "large.jsonl.xz"), "rt", encoding="utf-8") as f:
        for line in f:
            r = json.loads(line)
            if r.get("text"):
                out.append((r.get("language") or "", r.get("doc_type") or "", r.get("date") or "",
                            r["text"]))
    real = os.path.join(SHARED, "real")
    man = {}
    with open(os.path.join(real, "manifest.jsonl"), encoding="utf-8") as f:
        for line in f:
            r = json.loads(line)
            man[r["id"]] = r
    for name in sorted(os.listdir(real)):
        if name.endswith(".txt"):
            m = man.get(name[:-4], {})
            with open(os.path.join(real, name), encoding="utf-8", errors="replace") as f:
                out.append((m.get("language", ""), m.get("doc_type", ""), m.get("date", ""),
                            f.read()))
    return out


def generate(n, path):
    if os.path.exists(path):
        return
    rng = random.Random(args.seed)
    docs = sources()
    # each language's word frequencies, as a list to draw from (a sample keeps memory bounded)
    words = collections.defaultdict(list)
    for lang, _, _, text in docs:
        w = words[lang]
        if len(w) < 2_000_000:
            w.extend(WORD.findall(text[:200_000]))
    tmp = path + ".tmp"
    with open(tmp, "w", encoding="utf-8") as out:
        for i in range(n):
            lang, typ, date, text = docs[rng.randrange(len(docs))]
            size = rng.randint(1000, 8000)
            start = rng.randrange(max(1, len(text) - size))
            while start > 0 and not text[start - 1].isspace():
                start -= 1
            chunk = text[start:start + size].split()
            pool = words[lang]
            if pool:
                # every word replaced with probability 0.1: the gaps between replaced words
                # are geometric, drawn directly (a draw per replaced word, not per word)
                k = -1
                while True:
                    k += 1 + int(math.log(1.0 - rng.random()) / LOG_KEEP)
                    if k >= len(chunk):
                        break
                    chunk[k] = pool[rng.randrange(len(pool))]
            body = " ".join(chunk)
            title = " ".join(chunk[:8])
            rec = {"id": f"g{n}-{i:07d}", "title": title, "text": body, "language": lang,
                   "doc_type": typ, "date": date}
            out.write(json.dumps(rec, ensure_ascii=False) + "\n")
    os.rename(tmp, path)


# ------------------------------------------------------------------------- measuring

def du(path):
    total = 0
    for d, _, files in os.walk(path):
        for f in files:
            try:
                total += os.path.getsize(os.path.join(d, f))
            except OSError:
                pass
    return total


def run_timed(cmd):
    """wall, user+sys CPU seconds and peak RSS (KiB) of cmd, via /usr/bin/time -v"""
    t0 = time.monotonic()
    r = subprocess.run(["/usr/bin/time", "-v", *cmd], capture_output=True, text=True,
                       env=dict(os.environ, ACCORD_DICT_DIR=""))
    wall = time.monotonic() - t0
    if r.returncode != 0:
        raise SystemExit(f"{cmd[0]} failed: {r.stderr[-800:]}")
    f = dict(re.findall(r"^\s*([^:\n]+):\s*(.+)$", r.stderr, re.M))
    cpu = float(f.get("User time (seconds)", 0)) + float(f.get("System time (seconds)", 0))
    return wall, cpu, int(f.get("Maximum resident set size (kbytes)", 0))


def listed(name):
    """the lines of bench/load/NAME, blank lines and # comments left out"""
    with open(os.path.join(ROOT, "bench", "load", name), encoding="utf-8") as f:
        return [ln.strip() for ln in f if ln.strip() and not ln.lstrip().startswith("#")]


def queries():
    return listed("queries.txt")


def suggest_prefixes():
    return listed("suggest.txt") or ["cli", "wat", "ener", "bio", "emis"]


def pct(v, p):
    v = sorted(v)
    return v[min(len(v) - 1, int(round(p / 100 * (len(v) - 1))))]


def serve_and_ask(index):
    srv = serving.Server(args.bin, index)
    get = srv.get
    qs = queries()
    for q in qs[:5]:  # warm the caches of the system, as a running server has them
        get("/search?q=" + urllib.parse.quote(q))
    lat = []
    for _ in range(3):
        for q in qs:
            lat.append(get("/search?q=" + urllib.parse.quote(q) + "&facets=lang,type"))
    sug = [get("/suggest?q=" + urllib.parse.quote(p)) for p in suggest_prefixes() * 3]
    rss = srv.rss_kib()
    srv.stop()
    return {"query_p50_ms": statistics.median(lat), "query_p99_ms": pct(lat, 99),
            "suggest_p99_ms": pct(sug, 99), "searchd_rss_mib": rss / 1024}


def instructions(index):
    """instructions per search (10 hits, snippets, facets lang,type), by bench/callgrind.sh
    over the first --instr-queries queries; None when callgrind could not count them (a search
    that reaches the 2 s time limit under valgrind does less work, and callgrind.sh refuses)"""
    if args.instr_queries <= 0:
        return None
    qfile = os.path.join(args.work, "instr-queries.txt")
    with open(qfile, "w", encoding="utf-8") as f:
        f.write("\n".join(queries()[:args.instr_queries]) + "\n")
    build = args.build or os.path.dirname(os.path.abspath(args.bin))
    r = subprocess.run(["bash", os.path.join(ROOT, "bench", "callgrind.sh"), build],
                       capture_output=True, text=True,
                       env=dict(os.environ, PARTS="search", SEARCH_INDEX=index, QUERIES=qfile,
                                FACETS="lang,type", ACCORD_DICT_DIR=""))
    got = dict(ln.split(" ", 1) for ln in r.stdout.splitlines() if " " in ln)
    if r.returncode != 0 or "search_facets_ir_per_query" not in got:
        print(f"# instructions at {index}: {r.stderr.strip().splitlines()[-1:]}", file=sys.stderr)
        return None
    return int(got["search_facets_ir_per_query"])




def serve_again(n, shards=1):
    """the serving figures of a kept index, measured again (its row's other figures kept)"""
    index = os.path.join(args.work, f"idx-{n}-s{shards}")
    if not os.path.isdir(index):
        raise SystemExit(f"{index} was not kept: run with --keep first")
    # the search box's table and the stored topic matchers, when the programs write them: a run
    # with no document changes builds what is due and changes nothing else
    empty = os.path.join(args.work, "empty")
    os.makedirs(empty, exist_ok=True)
    subprocess.run([os.path.join(args.bin, "accord-index"), "--quiet", "--no-lexicon",
                    "--no-compact", "--index", index, empty],
                   env=dict(os.environ, ACCORD_DICT_DIR=""))
    old = [r for r in rows if (r["documents"], r["shards"]) == (n, shards)]
    row = dict(old[0]) if old else {"documents": n, "shards": shards}
    row.update(serve_and_ask(index))
    row["instr_per_search"] = instructions(index)
    row["served_by"] = os.path.abspath(args.bin)
    print(json.dumps(row), flush=True)
    return row


def measure(n, shards=1):
    if args.serve_only:
        return serve_again(n, shards)
    coll = os.path.join(args.work, f"coll-{n}.jsonl")
    generate(n, coll)
    index = os.path.join(args.work, f"idx-{n}-s{shards}")
    shutil.rmtree(index, ignore_errors=True)
    extra = ["--shards", str(shards)] if shards > 1 else []
    # as written (a full build is compacted by accord-index unless told not to), then compacted
    wall, cpu, rss = run_timed([os.path.join(args.bin, "accord-index"), "--quiet", "--no-lexicon",
                                "--no-compact", "--index", index, *extra, coll])
    before = du(index)
    subprocess.run([os.path.join(args.bin, "accord-index"), "--quiet", "--index", index,
                    "--compact"], check=True, env=dict(os.environ, ACCORD_DICT_DIR=""))
    after = du(index)
    row = {"documents": n, "shards": shards, "text_mb": os.path.getsize(coll) / 1e6,
           "index_wall_s": wall, "index_cpu_s": cpu, "indexer_peak_rss_mib": rss / 1024,
           "size_mb": before / 1e6, "compacted_mb": after / 1e6}
    row.update(serve_and_ask(index))
    row["instr_per_search"] = instructions(index)
    if not args.keep:
        shutil.rmtree(index, ignore_errors=True)
    print(json.dumps(row), flush=True)
    return row


if args.generate_only:
    for n in sizes:
        generate(n, os.path.join(args.work, f"coll-{n}.jsonl"))
    sys.exit(0)
# rows of earlier runs in WORK are kept (a size measured again replaces its row), so that the
# large sizes, hours each, can be run one at a time and reported in one table
out = os.path.join(args.work, "scale.json")
rows = json.load(open(out)) if os.path.exists(out) else []


def record(row):
    rows[:] = [r for r in rows if (r["documents"], r["shards"]) != (row["documents"], row["shards"])]
    rows.append(row)
    rows.sort(key=lambda r: (r["shards"] > 1, r["documents"], r["shards"]))
    with open(out, "w") as f:
        json.dump(rows, f, indent=1)


for n in sizes:
    record(measure(n))
for s in [int(c) for c in args.shard_counts.split(",") if c.strip()]:
    record(measure(shards_at, s))
hdr = ("docs", "shards", "text MB", "wall s", "CPU s", "peak RSS MiB", "index MB", "compacted MB",
       "p50 ms", "p99 ms", "suggest p99", "searchd MiB", "instr/search")
print("\n| " + " | ".join(hdr) + " |\n|" + "---|" * len(hdr))
for r in rows:
    print("| {documents} | {shards} | {text_mb:.0f} | {index_wall_s:.1f} | {index_cpu_s:.1f} | "
          "{indexer_peak_rss_mib:.0f} | {size_mb:.0f} | {compacted_mb:.0f} | {query_p50_ms:.1f} | "
          "{query_p99_ms:.1f} | {suggest_p99_ms:.1f} | {searchd_rss_mib:.0f} | {instr} |".format(
              **r, instr=f"{r['instr_per_search'] / 1e6:.2f} M" if r.get("instr_per_search") else "-"))
ones = [r for r in rows if r["shards"] == 1]
for r in ones[1:]:
    base = ones[0]
    print(f"# {r['documents']} vs {base['documents']}: query p50 x{r['query_p50_ms'] / base['query_p50_ms']:.2f}, "
          f"indexer RSS x{r['indexer_peak_rss_mib'] / base['indexer_peak_rss_mib']:.2f}")
