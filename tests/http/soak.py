#!/usr/bin/env python3
"""Soak (issue 13): mixed load against accord-searchd (/search, /suggest,
/doc/ID, /similar/ID; C concurrent keep-alive clients) while accord-index
re-indexes a changing corpus in a loop (the sample corpus/ plus generated
documents, some added, edited and deleted each run). Checks: no failed
request (a connection error, a timeout, a 5xx or a malformed answer; a 404
for a document just deleted is an answer), the daemon's RSS and open file
descriptors flat (printed every INTERVAL s), and every revision the indexer
commits served within 3 s.

usage: soak.py ACCORD_SEARCHD ACCORD_INDEX ACCORD_SEARCH CORPUS_DIR [SECONDS] [CLIENTS] [INTERVAL]
(CI: 30 s; the closing note's figures: 600 s, 64 clients, 30 s)
"""
import http.client
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse

searchd, idx, search, sample = sys.argv[1:5]
seconds = float(sys.argv[5]) if len(sys.argv) > 5 else 30
clients = int(sys.argv[6]) if len(sys.argv) > 6 else 64
interval = float(sys.argv[7]) if len(sys.argv) > 7 else 5
env = dict(os.environ, ACCORD_DICT_DIR="")
rng = random.Random(5)
WORDS = ("climate emission forest ocean biodiversity energy renewable adaptation finance "
         "carbon neutrality target reduction agreement party article protocol treaty water "
         "soil coal methane wetland species habitat transport city region").split()
QUERIES = WORDS + ["climat", "développement durable", "Klimaschutz", "\"paris agreement\"",
                   "energy -coal", "forest OR ocean", "clim*", "cambio climático", "water lang:fr",
                   "target:netzero", "biodiversité", "城市", "изменение климата"]
tmp = tempfile.mkdtemp(prefix="accord-soak.")
corpus, db = os.path.join(tmp, "corpus"), os.path.join(tmp, "db")
shutil.copytree(sample, corpus, ignore=shutil.ignore_patterns("*.md"))
results = []


def check(name, cond, detail=""):
    results.append(bool(cond))
    print(("ok" if cond else "not ok"), len(results), "-", name, "" if cond else f"# {detail}")
    sys.stdout.flush()


gen = {}


def write(i):
    gen[i] = gen.get(i, 0) + 1
    text = " ".join(rng.choice(WORDS) for _ in range(rng.randint(100, 600)))
    with open(os.path.join(corpus, f"gen{i}.txt"), "w") as f:
        f.write(f"Generated {i} version {gen[i]}\n{text}\n")


for i in range(200):
    write(i)


def change():
    for i in rng.sample(sorted(gen), 30):
        write(i)
    for i in rng.sample(sorted(gen), 10):
        os.remove(os.path.join(corpus, f"gen{i}.txt"))
        del gen[i]
    for _ in range(10):
        write(max(gen) + 1 if gen else 0)


def revision():
    p = subprocess.run([search, "--index", db, "--json", "--no-expand", "climate"],
                       capture_output=True, text=True, env=env)
    try:
        return json.loads(p.stdout)["revision"]
    except (ValueError, KeyError):
        return None


subprocess.run([idx, "--quiet", "--no-lexicon", "--index", db, corpus], check=True, env=env)
# Under AddressSanitizer (scripts/test.sh sets ASAN_OPTIONS for that pass) freed memory waits in
# a quarantine of 256 MiB, which fills during the whole run: the RSS check would measure the
# quarantine (a faster daemon fills more of it), not the daemon. A small one still catches uses
# after free, and lets the RSS settle early as a plain build's does.
denv = dict(os.environ)
if "ASAN_OPTIONS" in denv:
    denv["ASAN_OPTIONS"] += ":quarantine_size_mb=16"
proc = subprocess.Popen([searchd, "--index", db, "--port", "0", "--access-log", "/dev/null",
                         "--max-per-ip", "256"], stdout=subprocess.PIPE,
                        stderr=subprocess.PIPE, text=True, env=denv)
line = proc.stdout.readline()
if "listening on http://" not in line:
    print("not ok 1 - daemon did not start:", line)
    sys.exit(1)
port = int(line.rsplit(":", 1)[1].strip().rstrip("/"))
stop = threading.Event()
lock = threading.Lock()
counts = {"ok": 0, "404": 0, "4xx": 0, "failed": 0}
failures = []
ids = [f"gen{i}" for i in range(200)] + ["en-city-climate-action-plan-oslo"]


def client(seed):
    r = random.Random(seed)
    c = None
    while not stop.is_set():
        k = r.random()
        if k < 0.55:
            path = "/search?q=" + urllib.parse.quote(r.choice(QUERIES))
            if r.random() < 0.3:
                path += "&facets=lang,type,topic&limit=20"
        elif k < 0.8:
            path = "/suggest?q=" + urllib.parse.quote(r.choice(QUERIES)[:r.randint(1, 5)])
        elif k < 0.92:
            path = "/doc/" + r.choice(ids)
        else:
            path = "/similar/" + r.choice(ids)
        try:
            if c is None:
                c = http.client.HTTPConnection("127.0.0.1", port, timeout=15)
            c.request("GET", path)
            resp = c.getresponse()
            body = resp.read()
            st = resp.status
            if st == 200:
                json.loads(body)
                kind = "ok"
            elif st == 404:
                kind = "404"
            elif 400 <= st < 500:
                kind = "4xx"
            else:
                kind = "failed"
                with lock:
                    failures.append(f"{st} {path} {body[:120]!r}")
        except (OSError, http.client.HTTPException, ValueError) as e:
            kind = "failed"
            with lock:
                failures.append(f"{type(e).__name__} {e} {path}")
            if c:
                c.close()
            c = None
        with lock:
            counts[kind] += 1
    if c:
        c.close()


revisions = []  # (revision committed, seconds until /health served it)


def health_rev():
    c = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    c.request("GET", "/health")
    o = json.loads(c.getresponse().read())
    c.close()
    return o.get("revision")


def reindexer():
    while not stop.is_set():
        change()
        p = subprocess.run([idx, "--quiet", "--no-lexicon", "--batch", "50", "--index", db,
                            corpus], capture_output=True, text=True, env=env)
        if p.returncode != 0:
            with lock:
                failures.append("accord-index: " + p.stderr[-200:])
        rev = revision()
        t0 = time.monotonic()
        seen = None
        while time.monotonic() - t0 < 3 and not stop.is_set():
            try:
                seen = health_rev()
            except (OSError, ValueError):
                seen = None
            if seen is not None and rev is not None and seen >= rev:
                break
            time.sleep(0.05)
        if not stop.is_set():  # a run the end of the soak cut short is not counted
            revisions.append((rev, seen, time.monotonic() - t0))


def sample_proc():
    with open(f"/proc/{proc.pid}/status") as f:
        rss = next(int(x.split()[1]) for x in f if x.startswith("VmRSS"))
    fds = len(os.listdir(f"/proc/{proc.pid}/fd"))
    return rss, fds


threads = [threading.Thread(target=client, args=(i,)) for i in range(clients)]
threads.append(threading.Thread(target=reindexer))
for t in threads:
    t.start()
series = []
t_start = time.monotonic()
print(f"# {clients} clients, {seconds:.0f} s; time, requests, failed, RSS MiB, open fds")
while time.monotonic() - t_start < seconds:
    time.sleep(min(interval, max(0.1, seconds - (time.monotonic() - t_start))))
    rss, fds = sample_proc()
    with lock:
        n = sum(counts.values())
        bad = counts["failed"]
    series.append((rss, fds))
    print(f"# {time.monotonic() - t_start:6.1f} s  {n:7d} requests  {bad} failed  "
          f"{rss / 1024:7.1f} MiB  {fds} fds")
    sys.stdout.flush()
stop.set()
for t in threads:
    t.join(timeout=60)

total = sum(counts.values())
check(f"{total} requests ({counts}), none failed", counts["failed"] == 0 and total > 0,
      failures[:5])
late = [r for r in revisions if r[0] is None or r[1] is None or r[1] < r[0]]
check(f"every revision committed served within 3 s ({len(revisions)} index runs, slowest "
      f"{max((r[2] for r in revisions), default=0):.2f} s)", revisions and not late, late[:5])
# flat: the second half of the run grows by at most 20 % (RSS) and 16 descriptors over the
# first half's peak (caches and worker arenas fill early)
half = series[: max(1, len(series) // 2)]
rest = series[len(half):] or half
rss0, fd0 = max(s[0] for s in half), max(s[1] for s in half)
check(f"RSS flat (first half peak {rss0 / 1024:.1f} MiB, second half peak "
      f"{max(s[0] for s in rest) / 1024:.1f} MiB)", max(s[0] for s in rest) <= rss0 * 1.2)
check(f"open descriptors flat (first half peak {fd0}, second half peak "
      f"{max(s[1] for s in rest)})", max(s[1] for s in rest) <= fd0 + 16)
proc.terminate()
try:
    rc = proc.wait(timeout=30)
except subprocess.TimeoutExpired:
    proc.kill()
    rc = None
check("the daemon exits cleanly", rc == 0, proc.stderr.read()[-400:] if rc else "")
shutil.rmtree(tmp)
print(f"1..{len(results)}")
sys.exit(0 if all(results) else 1)
