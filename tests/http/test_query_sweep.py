#!/usr/bin/env python3
"""Random queries typed into a search box: every one must be answered 200 by /search and by
/suggest (issue 13).

Queries are built from the sample corpus's own words (every language, CJK included),
the query syntax (AND OR NOT XOR NEAR ADJ, brackets, quotes, + -, wildcards, fields,
year ranges) and punctuation (…, .., « », “ ”), glued to words or not. A user's text is
never a 4xx or 5xx: what Xapian's parser cannot read is searched as plain words
("simplified"). Found in stop 22: `water 气候 climate` ("parse error": Xapian 1.4.22
fails on a word, a CJK run and another word), `climate...` and `a..b` ("Unknown range
operation": any A..B is a range to it). The 400s allowed: a field filter whose value is not
one the API knows (target:xyz), which names the values it takes, and /suggest of a text over
its 256-byte bound.

usage: test_query_sweep.py ACCORD_SEARCHD INDEX_DIR CORPUS_DIR [QUERIES] [SEED]
"""
import collections
import json
import os
import random
import re
import subprocess
import sys
import urllib.error
import urllib.parse
import urllib.request

searchd, index, corpus = sys.argv[1:4]
count = int(sys.argv[4]) if len(sys.argv) > 4 else 1500
seed = int(sys.argv[5]) if len(sys.argv) > 5 else 22
r = random.Random(seed)

words = []
for root, _, files in sorted(os.walk(corpus)):
    for f in sorted(files):
        try:
            with open(os.path.join(root, f), encoding="utf-8", errors="replace") as fh:
                text = fh.read(30000)
        except OSError:
            continue
        ws = re.findall(r"\w+", text)
        words += r.sample(ws, min(12, len(ws)))
cjk = [w for w in words if re.search(r"[\u1100-\u9fff\uac00-\ud7af]", w)]
cjk += ["气候", "碳中和", "和", "日本語", "カタカナ", "한국", "生物多样性", "水"]
syntax = ["AND", "OR", "NOT", "XOR", "NEAR", "NEAR/3", "ADJ", "ADJ/2", "(", ")", '"', "-", "+",
          "*", "title:", "lang:fr", "type:treaty", "party:", "topic:", "year:", "year:2015..",
          "year:2015..2020", "..", "...", "…", ",", ".", ":", "/", "'", "&", "|", "~", "«", "»",
          "“", "”", "\u3000", "，", "。"]


def token():
    x = r.random()
    if x < 0.5:
        return r.choice(words)
    if x < 0.65:
        return r.choice(cjk)
    if x < 0.9:
        return r.choice(syntax)
    return r.choice(words) + r.choice(syntax) + r.choice(words + cjk)


LANGS = ["en", "fr", "de", "es", "nl", "zh", "it", "pt", "xx"]
FACETS = ["lang", "type", "topic", "year", "party", "target", "target_year", "strength"]
ids = []  # document ids seen in answers, for similar=


def params():
    """Valid parameters besides q, for every other query: the engine must answer any mix."""
    p = {}
    choices = {
        "lang": lambda: r.choice(LANGS), "qlang": lambda: r.choice(LANGS),
        "type": lambda: r.choice(["treaty", "action-plan", "protocol", "press-release",
                                  "treaty,protocol", "nosuchtype"]),
        "topic": lambda: r.choice(["climate", "biodiversity", "water", "oceans", "nosuch"]),
        "party": lambda: r.choice(["France", "Germany", "European Union", "nobody"]),
        "sort": lambda: r.choice(["relevance", "newest", "oldest", "target_year"]),
        "facets": lambda: ",".join(r.sample(FACETS, r.randint(1, len(FACETS)))),
        "expand": lambda: r.choice("01"), "collapse": lambda: r.choice("01"),
        "explain": lambda: r.choice("01"),
        "offset": lambda: str(r.choice([0, 0, 5, 10, 99, 1000])),
        "limit": lambda: str(r.choice([0, 1, 10, 50, 100])),
        "from": lambda: str(r.randint(1970, 2000)), "to": lambda: str(r.randint(2001, 2060)),
        "target": lambda: r.choice(["netzero", "reduction", "renewable", "efficiency", "coal",
                                    "protected"]),
        "target_year": lambda: r.choice(["2030", "2050", "2030..2040", "1990"]),
        "cut": lambda: r.choice(["50", ">=50", "<=30", "40..60", "..30", "55.5.."]),
        "strength": lambda: r.choice(["binding", "intended", "reported"]),
        "similar": lambda: r.choice(ids),
    }
    if not ids:
        del choices["similar"]
    for name in r.sample(sorted(choices), r.randint(1, 5)):
        p[name] = choices[name]()
    return p


def query():
    out = ""
    for _ in range(r.randint(1, 6)):
        out += token() + (" " if r.random() < 0.7 else "")
    return out.strip() or "a"


proc = subprocess.Popen([searchd, "--index", index, "--port", "0", "--cache-mb", "0",
                         "--access-log", "/dev/null"],
                        stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
line = proc.stdout.readline()
m = re.search(r"(http://127\.0\.0\.1:\d+)/", line)
if not m:
    print("not ok 1 - daemon did not start:", line)
    sys.exit(1)
url = m.group(1)
failed = collections.Counter()
example = {}
simplified = 0
try:
    for i in range(2 * count):
        # each query to /search, then to /suggest; every other /search with more parameters
        if i % 2 == 0:
            q = query()
            args = {"q": q, **(params() if i % 4 == 2 else {})}
            path = "/search?"
        else:
            args = {"q": q}
            path = "/suggest?"
        try:
            with urllib.request.urlopen(url + path + urllib.parse.urlencode(args),
                                        timeout=30) as resp:
                answer = json.load(resp)
                simplified += bool(answer.get("simplified"))
                if len(ids) < 200:
                    ids += [h["id"] for h in answer.get("hits", [])[:2] if isinstance(h, dict)]
        except urllib.error.HTTPError as e:
            body = e.read().decode(errors="replace")
            try:
                msg = json.loads(body)["error"]["message"]
            except (ValueError, KeyError, TypeError):
                msg = body[:200]
            if e.code == 400 and re.search(r"^search failed: \w+ must be .*: unknown \w+", msg):
                continue  # a filter value the API does not know, named in the answer
            if e.code == 400 and path == "/suggest?" and len(q.encode()) > 256 and \
                    msg.startswith("suggest query too long"):
                continue  # /suggest's bound (the widget shows no suggestions, not an error)
            failed[(path, e.code, msg)] += 1
            example.setdefault((path, e.code, msg), urllib.parse.urlencode(args))
finally:
    proc.terminate()
    proc.wait()

print(f"# {count} queries (seed {seed}) to /search and /suggest, {simplified} searched as plain "
      f"words, {sum(failed.values())} not answered 200")
for (path, code, msg), n in failed.most_common():
    print(f"# {n} x {path} {code} {msg!r}, e.g. {example[(path, code, msg)]!r}")
ok = not failed
print(("ok" if ok else "not ok"), "1 - every query answered 200")
sys.exit(0 if ok else 1)
