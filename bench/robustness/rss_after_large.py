#!/usr/bin/env python3
"""Memory returned after large requests (issue 13): accord-searchd's RSS before, after a series of
the most expensive requests it accepts (six one-letter wildcards with facets), and after ordinary
requests again. A daemon that keeps what one large request took grows to its worst case for good.

    python3 bench/robustness/rss_after_large.py [--searchd build/bin/accord-searchd]
        [--index DIR]   (default: an index of ../shared/corpus/real built in a temporary directory)
"""
import argparse
import os
import subprocess
import tempfile
import time
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
ap = argparse.ArgumentParser()
ap.add_argument("--searchd", default=os.path.join(ROOT, "build", "bin", "accord-searchd"))
ap.add_argument("--indexer", default=os.path.join(ROOT, "build", "bin", "accord-index"))
ap.add_argument("--index")
a = ap.parse_args()
tmp = tempfile.mkdtemp(prefix="accord-rss.")
db = a.index
if not db:
    db = os.path.join(tmp, "db")
    subprocess.run([a.indexer, "--quiet", "--index", db,
                    os.path.join(ROOT, "..", "shared", "corpus", "real")], check=True)
p = subprocess.Popen([a.searchd, "--index", db, "--port", "0", "--access-log", "/dev/null",
                      "--cache-mb", "0"], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                     text=True)
port = int(p.stdout.readline().rsplit(":", 1)[1].strip().rstrip("/"))


def rss():
    with open(f"/proc/{p.pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0


def get(q):
    t = time.monotonic()
    urllib.request.urlopen(f"http://127.0.0.1:{port}/search?{q}").read()
    return time.monotonic() - t


get("q=climate")
print(f"RSS warm: {rss():.1f} MiB")
letters = "abcdefghijklmnopqrstuvwx"
peak = 0
for i in range(4):
    w = "+".join(c + "*" for c in letters[6 * i:6 * i + 6])
    secs = get(f"q={w}&facets=lang,type,topic,year,party,target")
    peak = max(peak, rss())
    print(f"large request {i + 1} ({w}): {secs:.2f} s, RSS {rss():.1f} MiB")
for _ in range(10):
    get("q=climate+finance")
print(f"RSS after 10 ordinary requests: {rss():.1f} MiB (highest seen after a large one: {peak:.1f})")
p.terminate()
p.wait(10)
