#!/usr/bin/env python3
"""HTTP tests of accord-searchd: start it on port 0 over the corpus index,
check every endpoint's shape, throw hostile requests at it, and check that it
still answers and exits cleanly on SIGTERM.

usage: test_http.py ACCORD_SEARCHD INDEX_DIR
"""
import http.client
import json
import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.parse

searchd, index = sys.argv[1], sys.argv[2]
accord_index = sys.argv[3] if len(sys.argv) > 3 else None
corpus_dir = sys.argv[4] if len(sys.argv) > 4 else None
results = []


def check(name, cond, detail=""):
    results.append(cond)
    print(("ok" if cond else "not ok"), len(results), "-", name,
          "" if cond else f"# {detail}")


import tempfile  # noqa: E402
errlog = tempfile.TemporaryFile(mode="w+")  # the access log: a pipe left unread would fill up


def dump_daemon_log():
    """On a failure, the end of the daemon's stderr (a crash report) helps."""
    if all(results) and not crashed:
        return
    errlog.seek(0)
    lines = [x for x in errlog.read().splitlines() if " GET " not in x and " HEAD " not in x]
    print("# daemon stderr (access log lines left out):")
    for x in lines[-60:]:
        print("#", x)


crashed = []
_hook = sys.excepthook


def _on_exception(*a):
    crashed.append(1)
    _hook(*a)


sys.excepthook = _on_exception
import atexit  # noqa: E402
atexit.register(dump_daemon_log)
proc = subprocess.Popen([searchd, "--index", index, "--port", "0", "--cors", "https://example.org"],
                        stdout=subprocess.PIPE, stderr=errlog, text=True)
line = proc.stdout.readline()
if "listening on http://" not in line:
    errlog.seek(0)
    print("not ok 1 - daemon did not start:", line, errlog.read())
    sys.exit(1)
port = int(line.rsplit(":", 1)[1].strip().rstrip("/"))


def terminate(p, timeout):
    """SIGTERM, then the exit status (None, and killed, when it takes too long)."""
    p.send_signal(signal.SIGTERM)
    try:
        return p.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        p.kill()
        return None


def request(path, method="GET", headers=None, body=None):
    c = http.client.HTTPConnection("127.0.0.1", port, timeout=20)
    c.putrequest(method, path, skip_accept_encoding=True,
                 skip_host=bool(headers and "Host" in headers))
    for k, v in (headers or {}).items():
        c.putheader(k, v)
    if body is not None:
        c.putheader("Content-Length", str(len(body)))
    c.endheaders(body)
    r = c.getresponse()
    data = r.read()
    c.close()
    return r.status, r.getheader("Content-Type") or "", data


def get_json(path, **kw):
    status, ctype, data = request(path, **kw)
    try:
        return status, ctype, json.loads(data.decode("utf-8")) if data else None
    except (ValueError, UnicodeDecodeError):
        return status, ctype, None


def is_error(status, ctype, body, code):
    return (status == code and ctype.startswith("application/json") and isinstance(body, dict)
            and body.get("error", {}).get("code") == code
            and isinstance(body["error"].get("message"), str) and body["error"]["message"])


# --- shapes -------------------------------------------------------------------
s, ct, b = get_json("/health")
check("/health is 200 JSON", s == 200 and ct.startswith("application/json") and b["status"] == "ok"
      and b["documents"] >= 40 and isinstance(b["revision"], int), (s, b))

s, ct, b = get_json("/search?q=d%C3%A9veloppement+durable")
check("/search shape", s == 200 and isinstance(b["total"], int) and isinstance(b["hits"], list)
      and all(set(h) >= {"id", "title", "lang", "date", "type", "score", "snippet"}
              for h in b["hits"]), b)
check("/search ranks the French strategy first",
      b["hits"] and b["hits"][0]["id"] == "fr-strategie-developpement-durable", b)
s2, _, b2 = get_json("/search?q=developpement%20durable")
check("accents optional over HTTP", [h["id"] for h in b["hits"]] == [h["id"] for h in b2["hits"]])

s, ct, b = get_json("/search?q=climate&lang=en&limit=2&offset=1")
check("lang/limit/offset", s == 200 and len(b["hits"]) <= 2
      and all(h["lang"] == "en" for h in b["hits"]), b)

# query translation: "river" reaches the Dutch Rhine protocol through "rivier"
# (freedict-eng-nld); expand=0 turns it off; qlang says what the query is in
s, ct, b = get_json("/search?q=river&lang=nl")
check("river lang=nl: the Dutch protocol through a dictionary translation",
      s == 200 and "nl-rijnwater-protocol" in [h["id"] for h in b["hits"]]
      and b.get("query_lang") == "en" and "rivier" in b.get("translations", {}).get("nl", []), b)
s, ct, b = get_json("/search?q=river&lang=nl&expand=0")
check("river lang=nl expand=0: no translation, no hit",
      s == 200 and not b["hits"] and "translations" not in b, b)
s, ct, b = get_json("/search?q=river&qlang=xx1")
check("qlang that is no language: 400", s == 400, b)

s, ct, b = get_json("/search?q=climate+-paris&limit=100")
check("climate -paris has hits without the Paris pledge", s == 200 and b["hits"]
      and "en-paris-implementation-pledge" not in [h["id"] for h in b["hits"]], b)

s, ct, b = get_json("/search?q=-paris&limit=100")
ids = [h["id"] for h in (b or {}).get("hits", [])]
check("-paris alone never returns Paris documents",
      (s == 200 and ids and "fr-accord-paris-climat" not in ids
       and "en-paris-implementation-pledge" not in ids) or is_error(s, ct, b, 400), (s, ids))

s, ct, b = get_json("/search")
check("no q: all documents", s == 200 and b["total"] >= 40, (s, b))

s, ct, data = request("/")
check("/ is the demo page", s == 200 and ct.startswith("text/html") and b"<form" in data, s)
s, ct, data = request("/", method="HEAD")
check("HEAD / has no body", s == 200 and data == b"", (s, len(data)))

s, ct, b = get_json("/nope")
check("unknown path: JSON 404", is_error(s, ct, b, 404), (s, b))

for m in ("POST", "PUT", "DELETE", "PATCH"):
    s, ct, b = get_json("/search?q=x", method=m, body=b"{}")
    check(f"{m}: JSON 405", is_error(s, ct, b, 405), (s, b))

# --- the other endpoints ----------------------------------------------------------
s, ct, b = get_json("/suggest?q=clim")
check("/suggest completes a word", s == 200 and any(x["text"].startswith("clim") for x in b["suggestions"]), b)
s, ct, b = get_json("/suggest?q=strat%C3%A9gie%20nat")
check("/suggest completes titles", s == 200 and any(x["kind"] == "title" for x in b["suggestions"]), b)
s, ct, b = get_json("/suggest?q=")
check("/suggest with nothing typed", s == 200 and b["suggestions"] == [], b)
s, ct, b = get_json("/doc/fr-accord-paris-climat")
check("/doc/ID shape", s == 200 and b["id"] == "fr-accord-paris-climat" and "gaz à effet de serre" in b["text"]
      and isinstance(b["articles"], list) and "path" not in b, (s, str(b)[:200]))
s, ct, b = get_json("/doc/no-such-doc")
check("/doc of an unknown id: JSON 404", is_error(s, ct, b, 404), (s, b))
s, ct, b = get_json("/similar/fr-accord-paris-climat?limit=5")
ids = [h["id"] for h in (b or {}).get("hits", [])]
check("/similar/ID", s == 200 and ids and "fr-accord-paris-climat" not in ids, (s, ids))
s, ct, b = get_json("/stats")
check("/stats shape", s == 200 and b["documents"] >= 40 and any(l["value"] == "fr" for l in b["languages"]), b)
s, ct, data = request("/metrics")
check("/metrics is Prometheus text", s == 200 and ct.startswith("text/plain")
      and b'accord_requests_total{route="search",status="2xx"}' in data
      and b"accord_request_seconds_bucket" in data and b"accord_index_revision" in data, data[:200])
s, ct, data = request("/opensearch.xml", headers={"Host": "search.example.org"})
check("/opensearch.xml", s == 200 and b"OpenSearchDescription" in data and b"search.example.org" in data, data[:200])
s, ct, data = request("/opensearch.xml", headers={"Host": "x\"><script>y"})
check("/opensearch.xml cleans the Host header", s == 200 and b"<script>" not in data and b'"><' not in data, data[:300])
s, ct, data = request("/widget.js")
check("/widget.js", s == 200 and "javascript" in ct, (s, ct))
s, ct, data = request("/widget.css")
check("/widget.css", s == 200 and ct.startswith("text/css"), (s, ct))
s, ct, data = request("/search?q=climate", method="OPTIONS", headers={"Origin": "https://example.org"})
c2 = http.client.HTTPConnection("127.0.0.1", port, timeout=20)
c2.request("OPTIONS", "/search?q=climate", headers={"Origin": "https://example.org",
                                                    "Access-Control-Request-Method": "GET"})
r2 = c2.getresponse(); r2.read()
check("CORS preflight allowed for the configured origin",
      r2.status == 204 and r2.getheader("Access-Control-Allow-Origin") == "https://example.org", r2.status)
c2.request("GET", "/search?q=climate", headers={"Origin": "https://evil.example"})
r2 = c2.getresponse(); r2.read()
check("no CORS header for another origin", r2.getheader("Access-Control-Allow-Origin") is None,
      r2.getheader("Access-Control-Allow-Origin"))
c2.close()
s, ct, b = get_json("/search?q=climate&facets=lang,type&limit=2")
check("facets over HTTP", s == 200 and "lang" in b["facets"] and "type" in b["facets"], b.get("facets"))

# --- commitments: filters, facets, sort, snippets, /doc ---------------------------------
s, ct, b = get_json("/search?target=netzero&facets=target,target_year,strength&limit=20")
ids = [h["id"] for h in b.get("hits", [])]
check("target=netzero finds the neutrality pledges of the corpus",
      s == 200 and "de-klimaschutzvertrag-stadt" in ids and "fr-accord-paris-climat" in ids
      and all(h.get("commitment", {}).get("kind") == "netzero" for h in b["hits"]), (s, ids))
f = b.get("facets", {})
check("commitment facets: kinds, target years in order, strengths",
      "netzero" in [x["value"] for x in f.get("target", [])]
      and [x["value"] for x in f.get("target_year", [])] == sorted(x["value"] for x in f.get("target_year", []))
      and {x["value"] for x in f.get("strength", [])} <= {"binding", "intended", "reported"}, f)
dk = [h for h in b.get("hits", []) if h["id"] == "de-klimaschutzvertrag-stadt"]
check("the hit's snippet is the sentence stating its commitment",
      dk and "2035" in dk[0]["snippet"] and "klimaneutral" in dk[0]["snippet"]
      and dk[0]["commitment"]["year"] == 2035, dk)
s, ct, b = get_json("/search?target=reduction&cut=%3E%3D45&target_year=2030")
vals = [(h["commitment"]["value"], h["commitment"]["year"]) for h in b.get("hits", [])]
check("cut=>=45 and target_year=2030 hold for one commitment together",
      s == 200 and vals and all(v >= 45 and y == 2030 for v, y in vals)
      and "en-paris-implementation-pledge" not in [h["id"] for h in b["hits"]], vals)
s, ct, b2 = get_json("/search?q=target:reduction%20cut:%3E%3D45%20target_year:2030")
check("the same filters typed in the query", s == 200 and b2.get("total") == b.get("total"),
      (b2.get("total"), b.get("total")))
s, ct, b = get_json("/search?target=reduction&cut=40..60")
vals = [h["commitment"]["value"] for h in b.get("hits", [])]
check("cut=40..60, the range its error message gives as an example (400 before stop 22)",
      s == 200 and vals and all(40 <= v <= 60 for v in vals), (s, vals))
s, ct, b = get_json("/search?target=netzero&target_year=2040..2060&strength=intended")
check("target_year range and strength", s == 200 and b["total"] >= 1 and all(
    2040 <= h["commitment"]["year"] <= 2060 and h["commitment"]["strength"] == "intended"
    for h in b["hits"]), b.get("hits"))
s, ct, b = get_json("/search?target=reduction,netzero&sort=target_year&limit=50")
years = [min(h["commitment"]["year"], 9999) for h in b.get("hits", [])]
check("sort=target_year puts the earliest target first", s == 200 and years
      and b["hits"][0]["id"] == "ro-plan-actiune-clima-cluj", [h["id"] for h in b.get("hits", [])][:3])
s, ct, b = get_json("/search?q=climate&target=coal")
check("a filter no document meets: no hits, no error", s == 200 and b["total"] == 0, b)
s, ct, b = get_json("/doc/de-klimaschutzvertrag-stadt")
cm = b.get("commitments", []) if s == 200 else []
check("/doc lists the commitments with their offsets and sentences",
      cm and all(c["start"] < c["end"] and "sentence" in c for c in cm)
      and any(c["kind"] == "netzero" and c["year"] == 2035 for c in cm)
      and " ".join(b["text"].encode()[cm[0]["start"]:cm[0]["end"]].decode().split())
      == " ".join(cm[0]["sentence"].split()), cm)
for bad in ["/search?target=nuclear", "/search?target_year=soon", "/search?cut=%3E%3Dmany",
            "/search?strength=maybe", "/search?q=target:bogus", "/search?cut=200",
            "/search?target_year=2040..2030", "/search?cut=60..40", "/search?cut=40..160"]:
    s, ct, b = get_json(bad)
    check(f"bad commitment filter {bad} is a 400 naming it", s == 400 and "error" in b, (s, b))

# --- the answer cache --------------------------------------------------------------


def raw(path, port_=None):
    c = http.client.HTTPConnection("127.0.0.1", port_ or port, timeout=20)
    c.request("GET", path)
    r = c.getresponse()
    data = r.read()
    c.close()
    return r.status, r.getheader("X-Accord-Cache"), data


path = "/search?q=cache%20test%20climat&facets=lang,topic"
s1, c1, d1 = raw(path)
s2, c2, d2 = raw(path)
check("cache: a repeated search is a hit with the same answer",
      s1 == s2 == 200 and c1 == "miss" and c2 == "hit" and d1 == d2, (s1, c1, s2, c2))
s1, c1, d1 = raw("/suggest?q=cli")
s2, c2, d2 = raw("/suggest?q=cli")
check("cache: a repeated /suggest is a hit", c1 == "miss" and c2 == "hit" and d1 == d2, (c1, c2))
s1, c1, _ = raw("/search?q=climate&limit=-1")
s2, c2, _ = raw("/search?q=climate&limit=-1")
check("cache: errors are not cached", s1 == s2 == 400 and c2 != "hit", (s1, c1, s2, c2))
s, _, data = request("/metrics")
m = re.search(rb"accord_cache_hits_total (\d+)", data)
check("cache: /metrics counts the hits", s == 200 and m and int(m.group(1)) >= 2, data[-400:])

# --- hostile requests: every one a 4xx JSON or a normal answer, never 5xx -------
hostile_400 = [
    "/search?q=%FF%FE",                    # invalid UTF-8
    "/search?q=caf%C3",                    # truncated UTF-8
    "/search?q=a%00b",                     # NUL
    "/search?q=" + "a" * 10240,            # 10 kB query
    "/search?q=x&limit=-1",
    "/search?q=x&limit=abc",
    "/search?q=x&limit=1000000",
    "/search?q=x&limit=99999999999999999999",
    "/search?q=x&offset=-5",
    "/search?q=x&offset=100000000",
    "/search?q=x&lang=french!",
    "/search?q=x&lang=%00fr",
    "/search?q=x&lang=" + "e" * 300,
    "/search?q=x&sort=sideways",
    "/search?q=x&facets=lang,bogus",
    "/search?q=x&from=3000&to=2000",
    "/search?q=x&from=-1",
    "/search?q=x&expand=maybe",
    "/search?q=x&type=%FF",
    "/search?q=x&topic=a%00b",
    "/suggest?q=%FF",
    "/suggest?q=" + "a" * 1000,
    "/suggest?q=x&limit=0",
    "/suggest?q=x&limit=abc",
    "/doc/%FF%FE",
    "/doc/a%00b",
    # bounded work: the shapes that once cost seconds and hundreds of MB (issue 13)
    "/search?q=" + "+".join(["a*"] * 200),  # 200 wildcards
    "/search?q=a*+b*+c*+d*+e*+f*+g*",       # 7 one-letter wildcards
    "/search?q=" + "(" * 20 + "x" + ")" * 20,
    "/search?q=" + "+NEAR+".join(["climate"] * 12),
]
for path in hostile_400:
    s, ct, b = get_json(path)
    check(f"400 for {path[:60]}", is_error(s, ct, b, 400), (s, b))

# a pasted paragraph (80 words) or Chinese text (680 characters, each a word): the first 64
# words are searched, and the answer says so (680 characters: 2040 bytes)
for path, typed in [("/search?q=" + "+".join(["w%d" % i for i in range(80)]), 80),
                    ("/search?q=" + urllib.parse.quote("\u6c14\u5019" * 340), 680)]:
    s, ct, b = get_json(path)
    check(f"{typed} words: the first 64 searched, words_typed {typed}",
          s == 200 and b.get("words_typed") == typed and "first 64" in b.get("message", ""),
          (s, b))

hostile_ok = [
    "/search?q=climate+AND", "/search?q=AND", "/search?q=%22unbalanced", "/search?q=((",
    "/search?q=", "/search?q=OR+OR", "/search?q=*", "/search?q=title:",
    "/search?q=year:abc..def", "/search?q=a..b..c", "/search?q=x&q=y", "/search?q=x&bogus=1",
    "/search?q=%", "/search?q=%ZZ", "/search?q=+++", "/search?q=NOT",
    "/search?q=%E2%80%AE%D8%A7", "/search?q=s*", "/search?q=x&limit=0",
    "/search?q=<script>alert(1)</script>",
]
for path in hostile_ok:
    s, ct, b = get_json(path)
    check(f"answer for {path[:60]}", (s == 200 and isinstance(b, dict) and "hits" in b)
          or is_error(s, ct, b, 400), (s, b))

for path in ["/../../etc/passwd", "/search/../../etc/passwd", "/%2e%2e/%2e%2e/etc/passwd",
             "/index.html/../../../etc/passwd", "//etc/passwd", "/doc/../../../../etc/passwd",
             "/doc/..%2F..%2F..%2Fetc%2Fpasswd", "/similar/../../etc/passwd", "/widget.js/../../etc/passwd"]:
    s, ct, data = request(path)
    check(f"no file outside for {path}", s in (400, 404) and b"root:" not in data, s)

# very long header: refused (431 or closed), never a crash
try:
    s, ct, data = request("/health", headers={"X-Big": "a" * 200000})
    check("huge header refused", s in (400, 413, 431), s)
except (ConnectionError, http.client.HTTPException, OSError):
    check("huge header refused (connection closed)", True)

# slow client: a half-sent request does not block others
slow = socket.create_connection(("127.0.0.1", port))
slow.sendall(b"GET /search?q=clim")
t0 = time.time()
s, ct, b = get_json("/search?q=climate")
check("slow client does not block others", s == 200 and time.time() - t0 < 2.0,
      time.time() - t0)
slow.close()

# garbage on the wire
g = socket.create_connection(("127.0.0.1", port))
g.sendall(b"\x00\xff\x16\x03\x01 garbage\r\n\r\n")
g.settimeout(5)
try:
    g.recv(1000)
except OSError:
    pass
g.close()

# concurrent load: no errors
errors = []


def worker():
    # every route of the worker pool, and "-paris" (a match-all query: a shared
    # Xapian::Query copied by several workers at once once crashed the daemon)
    paths = ["/search?q=" + q for q in ("climate", "d%C3%A9veloppement", "%E6%B1%9F%E6%B5%81",
                                        "-paris", "AND")]
    paths += ["/suggest?q=cl", "/stats", "/health", "/search?q=climate&facets=lang,type,topic"]
    for _ in range(3):
        for path in paths:
            try:
                s, _, _ = request(path)
                if s != 200:
                    errors.append((path, s))
            except Exception as e:  # noqa: BLE001 - any failure counts
                errors.append((path, repr(e)))


threads = [threading.Thread(target=worker) for _ in range(16)]
for t in threads:
    t.start()
for t in threads:
    t.join()
check("432 concurrent requests on 16 connections, 0 errors", not errors, errors[:5])

s, ct, b = get_json("/health")
check("still healthy after the hostile requests", s == 200 and b["status"] == "ok", s)

# a client loop keeps querying while accord-index commits new revisions
if accord_index and corpus_dir:
    import shutil
    import tempfile
    tmp = tempfile.mkdtemp(prefix="accord-http-")
    try:
        live = os.path.join(tmp, "live.db")
        subprocess.run([accord_index, "--quiet", "--index", live, corpus_dir], check=True)
        err2 = tempfile.TemporaryFile(mode="w+")
        p2 = subprocess.Popen([searchd, "--index", live, "--port", "0"], stdout=subprocess.PIPE,
                              stderr=err2, text=True)
        port2 = int(p2.stdout.readline().rsplit(":", 1)[1].strip().rstrip("/"))
        stop = threading.Event()
        failures, answers, revisions = [], [0], set()

        def client():
            while not stop.is_set():
                try:
                    c = http.client.HTTPConnection("127.0.0.1", port2, timeout=20)
                    c.request("GET", "/search?q=climate&limit=3")
                    r = c.getresponse()
                    body = r.read()
                    if r.status != 200:
                        failures.append(r.status)
                    else:
                        revisions.add(json.loads(body)["revision"])
                    answers[0] += 1
                    c.close()
                except Exception as e:  # noqa: BLE001
                    failures.append(repr(e))

        clients = [threading.Thread(target=client) for _ in range(4)]
        for t in clients:
            t.start()
        extra = os.path.join(tmp, "extra")
        os.mkdir(extra)
        for k in range(4):
            with open(os.path.join(extra, f"doc{k}.txt"), "w") as f:
                f.write(f"Extra climate note {k}\nclimate text number {k}\n")
            subprocess.run([accord_index, "--quiet", "--batch", "1", "--index", live, extra],
                           check=True)
            time.sleep(0.3)
        time.sleep(1.0)
        stop.set()
        for t in clients:
            t.join()
        check(f"reindex while {answers[0]} requests ran: 0 failed", not failures and answers[0] > 20,
              failures[:5])
        check("the new revisions were served without a restart", len(revisions) >= 3, revisions)
        # the query the clients repeated (a cached answer) shows the last commit
        c = http.client.HTTPConnection("127.0.0.1", port2, timeout=20)
        c.request("GET", "/health")
        live_rev = json.loads(c.getresponse().read())["revision"]
        c.request("GET", "/search?q=climate&limit=3")
        r = c.getresponse()
        cached_rev = json.loads(r.read())["revision"]
        c.close()
        check("a cached answer of an old revision is not served after a commit",
              cached_rev == live_rev and live_rev == max(revisions), (cached_rev, live_rev))
        # SIGTERM while clients are busy: clean exit
        stop.clear()
        clients = [threading.Thread(target=client) for _ in range(4)]
        for t in clients:
            t.start()
        time.sleep(0.5)
        rc2 = terminate(p2, 30)
        stop.set()
        for t in clients:
            t.join()
        err2.seek(0)
        check("SIGTERM during load: exit 0", rc2 == 0, (rc2, err2.read()[-500:]))
    finally:
        shutil.rmtree(tmp, ignore_errors=True)

# several indexes searched as one: two --index, and a Xapian stub file naming both
if accord_index and corpus_dir:
    import shutil
    import tempfile
    tmp = tempfile.mkdtemp(prefix="accord-http-multi-")
    try:
        halves = {"a": [], "b": []}
        for name in sorted(os.listdir(corpus_dir)):
            if name.endswith(".txt"):
                halves["a" if name.startswith("en-") else "b"].append(name)
        for half, names in halves.items():
            os.mkdir(os.path.join(tmp, half))
            for name in names:
                shutil.copy(os.path.join(corpus_dir, name), os.path.join(tmp, half, name))
            manifest = os.path.join(corpus_dir, "manifest.jsonl")
            if os.path.exists(manifest):
                shutil.copy(manifest, os.path.join(tmp, half, "manifest.jsonl"))
            subprocess.run([accord_index, "--quiet", "--index", os.path.join(tmp, half + ".db"),
                            os.path.join(tmp, half)], check=True)
        with open(os.path.join(tmp, "both.stub"), "w") as f:
            f.write("# a Xapian stub file\nauto a.db\nglass " + os.path.join(tmp, "b.db") + "\n")
        total = len(halves["a"]) + len(halves["b"])
        b_id = halves["b"][0][:-4]
        for label, args in (("two --index", ["--index", os.path.join(tmp, "a.db"),
                                             "--index", os.path.join(tmp, "b.db")]),
                            ("a stub file", ["--index", os.path.join(tmp, "both.stub")])):
            err3 = tempfile.TemporaryFile(mode="w+")
            p3 = subprocess.Popen([searchd] + args + ["--port", "0"], stdout=subprocess.PIPE,
                                  stderr=err3, text=True)
            port3 = int(p3.stdout.readline().rsplit(":", 1)[1].strip().rstrip("/"))

            def get3(path):
                c = http.client.HTTPConnection("127.0.0.1", port3, timeout=20)
                c.request("GET", path)
                r = c.getresponse()
                body = r.read()
                c.close()
                return r.status, json.loads(body)

            s3, h3 = get3("/health")
            check(f"{label}: /health counts both ({total})",
                  s3 == 200 and h3.get("documents") == total, (s3, h3))
            s3, st3 = get3("/stats")
            check(f"{label}: /stats", s3 == 200 and st3.get("documents") == total, (s3, st3))
            s3, r3 = get3("/search?q=climate&limit=100&facets=lang")
            langs = {v["value"] for v in r3.get("facets", {}).get("lang", [])} if s3 == 200 else set()
            ids = {h["id"] for h in r3.get("hits", [])} if s3 == 200 else set()
            check(f"{label}: one search over both",
                  s3 == 200 and any(i.startswith("en-") for i in ids)
                  and any(not i.startswith("en-") for i in ids) and len(langs) >= 2, (s3, r3))
            s3, d3 = get3("/doc/" + b_id)
            check(f"{label}: /doc from the second index", s3 == 200 and d3.get("id") == b_id,
                  (s3, d3))
            rev0 = h3.get("revision")
            with open(os.path.join(tmp, "b", "zz-new.txt"), "w") as f:
                f.write("A new note\nclimate text in the second index\n")
            subprocess.run([accord_index, "--quiet", "--index", os.path.join(tmp, "b.db"),
                            os.path.join(tmp, "b")], check=True)
            time.sleep(0.2)
            s3, h3 = get3("/health")
            check(f"{label}: a commit to one index is served",
                  s3 == 200 and h3.get("documents") == total + 1 and h3.get("revision") != rev0,
                  (s3, h3, rev0))
            os.unlink(os.path.join(tmp, "b", "zz-new.txt"))
            subprocess.run([accord_index, "--quiet", "--index", os.path.join(tmp, "b.db"),
                            os.path.join(tmp, "b")], check=True)
            rc3 = terminate(p3, 30)
            err3.seek(0)
            log3 = err3.read()
            check(f"{label}: no error logged, exit 0", rc3 == 0 and "error" not in log3,
                  (rc3, log3[-500:]))
    finally:
        shutil.rmtree(tmp, ignore_errors=True)

rc = terminate(proc, 20)
errlog.seek(0)
err = errlog.read()
check("SIGTERM: clean exit 0", rc == 0, (rc, err[-500:]))
check("no sanitizer report", "runtime error" not in err and "AddressSanitizer" not in err,
      err[-2000:])

print(f"1..{len(results)}")
sys.exit(0 if all(results) else 1)
