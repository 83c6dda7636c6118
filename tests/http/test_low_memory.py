#!/usr/bin/env python3
"""accord-searchd out of memory (issue 13): allocations fail in the request
path, and the daemon answers 503 instead of crashing.

The daemon runs with tests/fault/memlimit.c preloaded: SIGUSR2 gives it a
memory budget a little above what it uses (then allocations past it fail,
as under a process limit), a second SIGUSR2 lifts it. Under the budget,
concurrent expensive requests (wildcards, long OR lists, facets, snippets)
make allocations fail in libaccord, Xapian and jansson. Every answer must
be 200, 400 or 503 (never a 500, a reset or a crash); /metrics counts the
refusals; once the budget is lifted, the daemon sets its memory reserve
aside again and serves 200 without a restart. Skipped (77) in a sanitized
build, whose allocator the shim cannot stand in front of.

usage: test_low_memory.py ACCORD_SEARCHD INDEX_DIR MEMLIMIT_SHIM
"""
import concurrent.futures
import http.client
import os
import signal
import subprocess
import sys
import time
import urllib.parse

searchd, db, shim = sys.argv[1:4]
if "libasan" in subprocess.run(["ldd", searchd], capture_output=True, text=True).stdout:
    print("1..0 # SKIP a sanitized build: its allocator comes first")
    sys.exit(77)
results = []


def check(name, cond, detail=""):
    results.append(bool(cond))
    print(("ok" if cond else "not ok"), len(results), "-", name, "" if cond else f"# {detail}")


# A daemon linked with mimalloc (a default build): its C++ operators new and delete would come
# before libstdc++'s and take blocks past the shim, so libstdc++ is preloaded after it (its
# operators call malloc and free: the shim's), and mimalloc commits every segment at once, so
# that none is a mapping without access, which the shim counts as the daemon's reserve.
libs = subprocess.run(["ldd", searchd], capture_output=True, text=True).stdout
stdcxx = [w for w in libs.split() if "/libstdc++.so" in w]
env = dict(os.environ, LD_PRELOAD=":".join([shim] + stdcxx[:1]),
           ACC_MEMLIMIT_HEADROOM=str(256 << 10), MIMALLOC_EAGER_COMMIT_DELAY="0")
proc = subprocess.Popen([searchd, "--index", db, "--port", "0", "--access-log", "/dev/null",
                         "--cache-mb", "0"],
                        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
port = int(proc.stdout.readline().rsplit(":", 1)[1].strip().rstrip("/"))


def get(path):
    try:
        c = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        c.request("GET", path)
        r = c.getresponse()
        r.read()
        c.close()
        return r.status
    except (OSError, http.client.HTTPException) as e:
        return type(e).__name__


def metric(name):
    c = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    c.request("GET", "/metrics")
    text = c.getresponse().read().decode()
    for line in text.splitlines():
        if line.startswith(name + " "):
            return float(line.split()[1])
    return None


check("serves before the budget", get("/search?q=climate") == 200)
expensive = [
    "/search?" + urllib.parse.urlencode({"q": q, "facets": "lang,type,topic,year,party,target", "size": "50"})
    for q in ["c* e* p* s* a* m*", " OR ".join(f"w{i}*" for i in range(6)),
              " OR ".join(["climate", "emission", "energy", "forest", "water", "biodiversity",
                           "adaptation", "finance", "parties", "agreement"] * 4),
              "climate NEAR emission NEAR reduction NEAR target", "\"the parties shall\""]
] + ["/suggest?q=c", "/search?q=climate&sort=date&size=100"]
answers = []
for rnd in range(6):
    os.kill(proc.pid, signal.SIGUSR2)  # the budget on
    with concurrent.futures.ThreadPoolExecutor(16) as pool:
        answers += list(pool.map(get, expensive * 4))
    os.kill(proc.pid, signal.SIGUSR2)  # and off
    if proc.poll() is not None:
        break
check("the daemon is alive under the budget", proc.poll() is None, proc.poll())
bad = [a for a in answers if a not in (200, 400, 503)]
check("every answer is 200, 400 or 503 (no 500, no reset)", not bad, sorted(set(map(str, bad))))
names = [str(a) for a in answers]
print(f"# answers under the budget: {len(answers)}: { {a: names.count(a) for a in sorted(set(names))} }")
ok = False
for _ in range(50):
    if get("/search?q=climate") == 200:
        ok = True
        break
    time.sleep(0.1)
check("the budget lifted: served again without a restart", ok)
check("/metrics: the reserve is back (accord_memory_low 0)", metric("accord_memory_low") == 0)
refused = metric("accord_low_memory_refused_total")
print(f"# requests refused while short of memory: {refused}; 503 answers: {answers.count(503)}")
check("503s were answered at all (the budget bit)", answers.count(503) > 0, answers.count(503))
proc.terminate()
proc.wait(10)
err = proc.stderr.read()
check("no abort in the daemon's log", "out of memory allocating" not in err and "Abort" not in err,
      err[-500:])
print(f"1..{len(results)}")
sys.exit(0 if all(results) else 1)
