#!/usr/bin/env python3
"""Memory returned after large requests (issue 13): accord-searchd's RSS before, after a series of
the most expensive requests it accepts (six one-letter wildcards with facets), and after ordinary
requests again. A daemon that keeps what one large request took grows to its worst case for good.

    python3 bench/robustness/rss_after_large.py [--searchd build/bin/accord-searchd]
        [--index DIR]   (default: an index of ../shared/corpus/real built in a temporary directory)
"""
import time
import urllib.request

from daemon import Daemon, options

d = Daemon(options(__doc__).parse_args(), "accord-rss.")
port = d.port


def rss():
    return d.status_mib("VmRSS")


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
d.stop()
