#!/usr/bin/env python3
"""Remote shards served by xapian-tcpsrv (issue 12).

An index of the corpus in 2 shards; each shard served by its own xapian-tcpsrv on loopback; a
stub file lists them as "remote 127.0.0.1:PORT". accord-search over the stub answers as one
index does, scores included. accord-searchd over the stub keeps answering when a shard's server is killed
or stops answering (SIGSTOP): 200 with "partial": true and "missing_shards", /health "degraded",
/doc and /suggest from the shard left, never a 5xx; and uses the shard again, without a restart,
once its server is back.

usage: test_remote.py ACCORD_INDEX ACCORD_SEARCH ACCORD_SEARCHD CORPUS_DIR
"""
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request

from netutil import free_port, wait_port

idx, search, searchd, corpus = sys.argv[1:5]
if not shutil.which("xapian-tcpsrv"):
    raise SystemExit("xapian-tcpsrv is missing: scripts/install-deps.sh installs xapian-tools")
env = dict(os.environ, ACCORD_DICT_DIR="")
tmp = tempfile.mkdtemp(prefix="accord-remote.")
sharded, one = os.path.join(tmp, "sharded"), os.path.join(tmp, "one")
results = []
procs = []


def check(name, cond, detail=""):
    results.append(bool(cond))
    print(("ok" if cond else "not ok"), len(results), "-", name, "" if cond else f"# {detail}")



def serve(shard, port):
    # its own process group: xapian-tcpsrv forks a child per connection, and the group is
    # what a dead machine takes down
    p = subprocess.Popen(["xapian-tcpsrv", "--port", str(port), "--interface", "127.0.0.1",
                          shard], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                         start_new_session=True)
    procs.append(p)
    wait_port(port, "xapian-tcpsrv")
    return p


def ask(path, q, limit=20):
    r = subprocess.run([search, "--index", path, "--json", "--limit", str(limit), "--facets",
                        "lang,type", q], env=env, capture_output=True, text=True)
    return json.loads(r.stdout) if r.returncode == 0 else {"error": r.stderr[-300:]}


def ordered(o):
    return sorted(((round(h["score"], 5), h["id"]) for h in o.get("hits", [])),
                  key=lambda h: (-h[0], h[1]))


for path, extra in ((one, []), (sharded, ["--shards", "2"])):
    subprocess.run([idx, "--quiet", "--no-lexicon", "--index", path, *extra, corpus], env=env,
                   check=True)
ports = [free_port(), free_port()]
servers = [serve(os.path.join(sharded, f"shard{i:02d}"), ports[i]) for i in range(2)]
names = [f"127.0.0.1:{p}" for p in ports]
stub = os.path.join(tmp, "remote.stub")
with open(stub, "w") as f:
    f.write("# two remote shards\n" + "".join(f"remote {n}\n" for n in names))

# ---- accord-search over the remote shards answers as one index does (each server matches its
# shard alone: the best language reading, as one index scores it)
for q in ["climate", "water management", "klimaschutz", "target:netzero", "lang:fr eau"]:
    a, b = ask(one, q), ask(stub, q)
    check(f"'{q}' over 2 remote shards equals one index",
          "error" not in b and (a.get("total"), a.get("facets"), ordered(a)) ==
          (b.get("total"), b.get("facets"), ordered(b)) and "partial" not in b,
          json.dumps([a, b])[:500])

r = subprocess.run([search, "--index", stub, "--json", "--limit", "1", "fore*"], env=env,
                   capture_output=True, text=True)
check("a wildcard with a page smaller than its matches answers over remote shards",
      r.returncode == 0, r.stderr)

# ---- accord-searchd over the stub
d = subprocess.Popen([searchd, "--index", stub, "--port", "0", "--access-log", "/dev/null"],
                     stdout=subprocess.PIPE, stderr=open(os.path.join(tmp, "searchd.log"), "w"),
                     text=True, env=env, start_new_session=True)
procs.append(d)
port = int(d.stdout.readline().rsplit(":", 1)[1].strip().rstrip("/"))


def get(path, timeout=15):
    t0 = time.monotonic()
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=timeout) as r:
            return r.status, json.loads(r.read()), time.monotonic() - t0
    except urllib.error.HTTPError as e:
        return e.code, None, time.monotonic() - t0


full = get("/search?q=climate+OR+water&limit=50")[1]
check("searchd over 2 remote shards answers whole", full and "partial" not in full, full)
st, h, _ = get("/health")
check("/health ok with every shard", st == 200 and h["status"] == "ok", h)
on1 = [x["id"] for x in ask(os.path.join(sharded, "shard00"), "climate OR water", 50)["hits"]]
on2 = [x["id"] for x in ask(os.path.join(sharded, "shard01"), "climate OR water", 50)["hits"]]
check("both shards hold matches", on1 and on2, (on1, on2))


def down_phase(how, victim):
    """a shard's server gone (kill) or silent (stop): answers from the other one"""
    codes = []
    part = None
    t_first = None
    for i in range(12):
        st, o, took = get("/search?q=climate+OR+water&limit=50&n=" + str(i))
        codes.append(st)
        if t_first is None:
            t_first = took
        if o:
            part = o
    check(f"{how}: every search answered 200 (no 5xx)", set(codes) == {200}, codes)
    check(f"{how}: the answer says it is partial and which shard is missing",
          part and part.get("partial") is True and part.get("missing_shards") == [names[victim]],
          part and {k: part.get(k) for k in ("partial", "missing_shards", "total")})
    left = on1 if victim == 1 else on2
    check(f"{how}: the answer holds the other shard's documents",
          part and sorted(x["id"] for x in part["hits"]) == sorted(left),
          part and [x["id"] for x in part["hits"]])
    check(f"{how}: the first search after the failure took under 8 s", t_first < 8, t_first)
    st, h, _ = get("/health")
    check(f"{how}: /health says degraded, naming the shard",
          st == 200 and h["status"] == "degraded" and h.get("missing_shards") == [names[victim]],
          h)
    st, doc, _ = get("/doc/" + urllib.parse.quote(left[0]))
    check(f"{how}: /doc of a document on the other shard", st == 200 and doc, st)
    st, sug, _ = get("/suggest?q=wat")
    check(f"{how}: /suggest answers", st == 200, st)


def back_phase(how):
    deadline = time.monotonic() + 15
    o = None
    while time.monotonic() < deadline:
        o = get("/search?q=climate+OR+water&limit=50&t=" + str(time.monotonic()))[1]
        if o and "partial" not in o:
            break
        time.sleep(0.5)
    check(f"{how}: the shard is used again without a restart", o and "partial" not in o and
          ordered(o) == ordered(full), o and {k: o.get(k) for k in ("partial", "total")})
    # each worker thread has its own handle, which tries a shard left out again every 2 s
    deadline = time.monotonic() + 8
    while True:
        st, h, _ = get("/health")
        if (st == 200 and h["status"] == "ok") or time.monotonic() > deadline:
            break
        time.sleep(0.3)
    check(f"{how}: /health ok again", st == 200 and h["status"] == "ok", h)


# a server killed, then started again on its port
os.killpg(servers[1].pid, signal.SIGKILL)
servers[1].wait()
down_phase("killed", 1)
servers[1] = serve(os.path.join(sharded, "shard01"), ports[1])
back_phase("killed and restarted")

# a server that stops answering (connections hang): dropped after the call timeout
os.killpg(servers[0].pid, signal.SIGSTOP)
down_phase("silent", 0)
os.killpg(servers[0].pid, signal.SIGCONT)
back_phase("answering again")

d.terminate()
try:
    d.wait(timeout=10)
except subprocess.TimeoutExpired:
    d.kill()
check("accord-searchd was running all along", d.returncode in (0, -15), d.returncode)
for p in procs:
    try:
        os.killpg(p.pid, signal.SIGCONT)
        os.killpg(p.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass
    if p.poll() is None:
        p.kill()
    p.wait()
if results.count(False):
    print(open(os.path.join(tmp, "searchd.log")).read()[-3000:])
shutil.rmtree(tmp)
failed = results.count(False)
print(f"# {len(results) - failed}/{len(results)} passed")
sys.exit(1 if failed else 0)
