#!/usr/bin/env python3
"""A replica followed with Xapian's replication while accord-searchd serves it (issue 12).

The master index is built with accord-index --changesets; xapian-replicate-server serves its
folder; xapian-replicate copies it to a replica (a full copy first, changesets after) which
accord-searchd serves. Clients search and ask /health without pause while the master takes
REVISIONS commits (a new document each) and each is replicated: every revision must be served
(its new document found) and no request may fail.

usage: test_replica.py ACCORD_INDEX ACCORD_SEARCHD CORPUS_DIR [REVISIONS]
"""
import http.client
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time

from netutil import free_port, wait_port

idx, searchd, corpus = sys.argv[1:4]
revisions = int(sys.argv[4]) if len(sys.argv) > 4 else 6
for tool in ("xapian-replicate", "xapian-replicate-server"):
    if not shutil.which(tool):
        raise SystemExit(f"{tool} is missing: scripts/install-deps.sh installs xapian-tools")
env = dict(os.environ, ACCORD_DICT_DIR="")
tmp = tempfile.mkdtemp(prefix="accord-replica.")
src = os.path.join(tmp, "corpus")
shutil.copytree(corpus, src)
parent = os.path.join(tmp, "master")
os.mkdir(parent)
master, replica = os.path.join(parent, "db"), os.path.join(tmp, "replica")
results = []
procs = []


def check(name, cond, detail=""):
    results.append(bool(cond))
    print(("ok" if cond else "not ok"), len(results), "-", name, "" if cond else f"# {detail}")



def index():
    r = subprocess.run([idx, "--quiet", "--no-lexicon", "--changesets", "100", "--index", master,
                        src], env=env, capture_output=True, text=True)
    return r.returncode == 0


rport = free_port()


def replicate(force=False):
    r = subprocess.run(["xapian-replicate", "-h", "127.0.0.1", "-p", str(rport), "-m", "db",
                        "-o", "-r", "0", "-t", "10", "-v", *(["-f"] if force else []), replica],
                       capture_output=True, text=True, timeout=60)
    return r.returncode == 0, r.stdout + r.stderr


check("master built with --changesets", index())
server = subprocess.Popen(["xapian-replicate-server", "-I", "127.0.0.1", "-p", str(rport), parent],
                          stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
procs.append(server)
wait_port(rport, "xapian-replicate-server")
ok, out = replicate()
check("first replication: a full copy", ok and os.path.isdir(replica), out)

d = subprocess.Popen([searchd, "--index", replica, "--port", "0", "--access-log", "/dev/null"],
                     stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
procs.append(d)
port = int(d.stdout.readline().rsplit(":", 1)[1].strip().rstrip("/"))


def get(path):
    c = http.client.HTTPConnection("127.0.0.1", port, timeout=20)
    try:
        c.request("GET", path)
        r = c.getresponse()
        body = r.read()
        return r.status, body
    finally:
        c.close()


stats = {"ok": 0, "failed": 0, "codes": {}}
stop = threading.Event()
lock = threading.Lock()


def client(k):
    i = 0
    while not stop.is_set():
        path = ["/search?q=climate&limit=5&c=%d_%d", "/health?c=%d_%d",
                "/search?q=water+management&facets=lang&c=%d_%d", "/suggest?q=cli&c=%d_%d"][i % 4]
        i += 1
        try:
            st, _ = get(path % (k, i))
        except Exception as e:  # noqa: BLE001 - any failure counts
            st = repr(e)[:60]
        with lock:
            if st == 200:
                stats["ok"] += 1
            else:
                stats["failed"] += 1
                stats["codes"][str(st)] = stats["codes"].get(str(st), 0) + 1


threads = [threading.Thread(target=client, args=(k,)) for k in range(4)]
for t in threads:
    t.start()

served = 0
changesets = 0
for rev in range(revisions):
    word = f"replicaterm{rev}x"
    with open(os.path.join(src, f"en-replica-{rev}.txt"), "w", encoding="utf-8") as f:
        f.write(f"Replica test {rev}\n\nThe parties agree on {word} for water management.\n")
    if not index():
        check(f"revision {rev}: master indexed", False)
        continue
    # one full copy while serving: xapian-replicate then switches the replica's stub to a
    # fresh database folder, which accord-searchd must follow
    forced = rev == revisions // 2
    ok, out = replicate(force=forced)
    changesets += "changeset" in out.lower() and "0 changesets" not in out.lower()
    deadline = time.monotonic() + 15
    found = False
    while time.monotonic() < deadline and not found:
        st, body = get(f"/search?q={word}")
        found = st == 200 and json.loads(body)["total"] == 1
        if not found:
            time.sleep(0.2)
    served += found
    check(f"revision {rev}: replicated{' (full copy)' if forced else ''} and served ({word} found)",
          ok and found, out[-300:])

stop.set()
for t in threads:
    t.join()
check(f"every revision served ({served}/{revisions})", served == revisions)
check(f"no failed request while replicating ({stats['ok']} answered)",
      stats["failed"] == 0 and stats["ok"] > 0, stats)
print(f"# requests: {stats['ok']} answered 200, {stats['failed']} failed; "
      f"replications reporting changesets: {changesets}/{revisions}")
d.terminate()
d.wait(timeout=10)
check("accord-searchd ran throughout", d.returncode in (0, -15), d.returncode)
for p in procs:
    if p.poll() is None:
        p.kill()
        p.wait()
shutil.rmtree(tmp)
failed = results.count(False)
print(f"# {len(results) - failed}/{len(results)} passed")
sys.exit(1 if failed else 0)
