#!/usr/bin/env python3
"""What one request costs accord-searchd at most (issue 13: no single request more than 2 s of CPU
or 64 MiB of extra RSS on the real corpus). For each expensive shape a request may have, alone
against an idle daemon: the daemon's CPU time (user + system, /proc/PID/stat) and its peak RSS
above what it held before (VmHWM, reset through /proc/PID/clear_refs before each request), and
the wall time. Each shape is run --rounds times; the table gives the worst round. Exits 1 when a
shape goes over a limit.

    python3 bench/robustness/request_costs.py [--searchd build/bin/accord-searchd]
        [--index DIR]   (default: an index of ../shared/corpus/real built in a temporary directory)
        [--rounds 3] [--cpu-limit 2.0] [--rss-limit-mib 64]
"""
import os
import time
import urllib.error
import urllib.parse
import urllib.request

from daemon import Daemon, options

ap = options(__doc__)
ap.add_argument("--rounds", type=int, default=3)
ap.add_argument("--cpu-limit", type=float, default=2.0)
ap.add_argument("--rss-limit-mib", type=float, default=64.0)
a = ap.parse_args()


def text_of(name, chars):
    path = os.path.join(a.corpus, name)
    if not os.path.exists(path):
        return None
    with open(path, encoding="utf-8", errors="replace") as f:
        return " ".join(f.read(chars * 2).split())[:chars]


words = ["climate", "emission", "energy", "forest", "water", "biodiversity", "adaptation",
         "finance", "parties", "agreement", "protection", "development"]
all_facets = "lang,type,topic,year,party,target,target_year,strength"
shapes = [
    ("six one-letter wildcards, all facets", "/search", {"q": "c* e* p* s* a* m*",
                                                         "facets": all_facets}),
    ("200 wildcards", "/search", {"q": " ".join(["a*"] * 200)}),
    ("20 different one-letter wildcards", "/search",
     {"q": " ".join(c + "*" for c in "abcdefghijklmnopqrst")}),
    ("brackets 20 deep", "/search", {"q": "(" * 20 + "climate" + ")" * 20}),
    ("a 12-word phrase", "/search", {"q": '"' + " ".join(words) + '"'}),
    ("NEAR chain of 8", "/search", {"q": " NEAR ".join(words[:8])}),
    ("OR list of 64 words", "/search", {"q": " OR ".join((words * 6)[:64])}),
    ("a pasted paragraph (2,000 bytes)", "/search",
     {"q": text_of("aarhus-convention-en.txt", 2000) or " ".join(words * 30)[:2000]}),
    ("680 Chinese characters", "/search",
     {"q": (text_of("sdg-goals-targets-zh.txt", 680) or "\u6c14\u5019" * 340)
      .encode()[:2040].decode(errors="ignore")}),
    ("limit 100 with snippets, all facets", "/search",
     {"q": "climate", "limit": "100", "facets": all_facets}),
    ("browse everything, sort newest, offset 10000", "/search",
     {"q": "", "sort": "newest", "offset": "10000", "facets": all_facets}),
    ("/suggest of one letter", "/suggest", {"q": "c"}),
    ("/similar of a long treaty", "/search", {"similar": "unfccc-en", "facets": all_facets}),
]

d = Daemon(a, "accord-costs.", "--workers", "2")
port = d.port
tick = os.sysconf("SC_CLK_TCK")


def cpu_s():
    with open(f"/proc/{d.pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / tick  # utime, stime


def get(path, params):
    url = f"http://127.0.0.1:{port}{path}?{urllib.parse.urlencode(params)}"
    try:
        with urllib.request.urlopen(url, timeout=60) as r:
            r.read()
            return r.status
    except urllib.error.HTTPError as e:
        return e.code


for _ in range(3):
    get("/search", {"q": "climate", "facets": all_facets})  # warm: the ordinary working set
rows, over = [], []
try:
    for name, path, params in shapes:
        worst = (0, 0.0, 0.0, 0.0)
        for _ in range(a.rounds):
            time.sleep(0.3)  # the trim after the previous request
            with open(f"/proc/{d.pid}/clear_refs", "w") as f:
                f.write("5")  # VmHWM back to VmRSS
            base, c0, t0 = d.status_mib("VmRSS"), cpu_s(), time.monotonic()
            code = get(path, params)
            wall, cpu = time.monotonic() - t0, cpu_s() - c0
            extra = d.status_mib("VmHWM") - base
            worst = (code, max(worst[1], cpu), max(worst[2], extra), max(worst[3], wall))
        code, cpu, extra, wall = worst
        rows.append((name, code, cpu, extra, wall))
        if cpu > a.cpu_limit or extra > a.rss_limit_mib or code >= 500:
            over.append(name)
finally:
    d.stop()

print(f"| request (worst of {a.rounds}) | status | CPU s | extra peak RSS MiB | wall s |")
print("|---|---|---|---|---|")
for name, code, cpu, extra, wall in rows:
    print(f"| {name} | {code} | {cpu:.2f} | {extra:.1f} | {wall:.2f} |")
print(f"limits: {a.cpu_limit} s CPU, {a.rss_limit_mib} MiB; over: {', '.join(over) or 'none'}")
raise SystemExit(1 if over else 0)
