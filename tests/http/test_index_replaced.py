#!/usr/bin/env python3
"""An index deleted or replaced under a running accord-searchd (issue 13): the
daemon keeps answering (503 "the index is not available" while there is none,
never a crash or another 5xx), /health says so, and it serves the new index
as soon as one is there again, without a restart.

usage: test_index_replaced.py ACCORD_SEARCHD ACCORD_INDEX CORPUS_DIR
"""
import http.client
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time

searchd, idx, corpus = sys.argv[1:4]
env = dict(os.environ, ACCORD_DICT_DIR="")
tmp = tempfile.mkdtemp(prefix="accord-replaced.")
db = os.path.join(tmp, "db")
results = []


def check(name, cond, detail=""):
    results.append(bool(cond))
    print(("ok" if cond else "not ok"), len(results), "-", name, "" if cond else f"# {detail}")


def build(path, src):
    subprocess.run([idx, "--quiet", "--no-lexicon", "--index", path, src], check=True, env=env)


build(db, corpus)
proc = subprocess.Popen([searchd, "--index", db, "--port", "0", "--access-log", "/dev/null"],
                        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
port = int(proc.stdout.readline().rsplit(":", 1)[1].strip().rstrip("/"))


def get(path):
    c = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    c.request("GET", path)
    r = c.getresponse()
    b = r.read()
    c.close()
    try:
        return r.status, json.loads(b)
    except ValueError:
        return r.status, b


def until(pred, seconds=5):
    """Polls /search and /health until pred(search answer, health answer); the answers seen."""
    seen = []
    t0 = time.monotonic()
    while time.monotonic() - t0 < seconds:
        a, h = get("/search?q=climate"), get("/health")
        seen.append((a[0], h[0]))
        if pred(a, h):
            return True, seen
        time.sleep(0.1)
    return False, seen


st, b = get("/search?q=climate")
check("serves the index", st == 200 and b["total"] > 0, st)
shutil.rmtree(db)
okk, seen = until(lambda a, h: a[0] == 503 and h[0] == 503)
check("index deleted: /search and /health answer 503", okk, seen[-3:])
check("... and nothing but 200 or 503 meanwhile", all(s in (200, 503) for p in seen for s in p),
      seen)
if isinstance(get("/health")[1], dict):
    check("/health says the index is not available",
          "not available" in json.dumps(get("/health")[1]), get("/health"))
build(db, corpus)
okk, seen = until(lambda a, h: a[0] == 200 and h[0] == 200)
check("index back: served again without a restart", okk, seen[-3:])
# replaced: another index moved into place (the way a deployment swaps one in)
other = os.path.join(tmp, "other-src")
os.makedirs(other)
with open(os.path.join(other, "only.txt"), "w") as f:
    f.write("Only document\nzanzibarword climate\n")
build(os.path.join(tmp, "db2"), other)
shutil.rmtree(db)
os.rename(os.path.join(tmp, "db2"), db)
okk, seen = until(lambda a, h: a[0] == 200 and a[1].get("total") == 1)
check("index replaced: the new one is served", okk, seen[-3:])
st, b = get("/search?q=zanzibarword")
check("... with its documents", st == 200 and b["total"] == 1, (st, b))
proc.terminate()
check("exits cleanly", proc.wait(timeout=20) == 0, proc.stderr.read()[-300:])
shutil.rmtree(tmp)
print(f"1..{len(results)}")
sys.exit(0 if all(results) else 1)
