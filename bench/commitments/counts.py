#!/usr/bin/env python3
"""How many documents of a corpus state each kind of commitment, as accord-index extracts them.

    python3 bench/commitments/counts.py [--bin build/bin/accord-commit-extract] [--corpus ../shared/corpus/real]
"""
import argparse
import collections
import json
import os
import subprocess

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
ap = argparse.ArgumentParser()
ap.add_argument("--bin", default=os.path.join(ROOT, "build", "bin", "accord-commit-extract"))
ap.add_argument("--corpus", default=os.path.join(ROOT, "..", "shared", "corpus", "real"))
a = ap.parse_args()
m = [json.loads(l) for l in open(os.path.join(a.corpus, "manifest.jsonl"), encoding="utf-8")]
lines = "".join(f"{os.path.join(a.corpus, x['id'] + '.txt')}\t{x['id']}\t{x.get('language') or 'en'}\t"
                f"{(x.get('date') or '0')[:4] or 0}\n" for x in m)
out = subprocess.run([a.bin], input=lines, capture_output=True, text=True, check=True).stdout
docs, mentions, strength = collections.defaultdict(set), collections.Counter(), collections.Counter()
lang = {x["id"]: x.get("language") for x in m}
by_lang = collections.defaultdict(set)
for l in out.splitlines():
    o = json.loads(l)
    docs[o["kind"]].add(o["id"])
    mentions[o["kind"]] += 1
    strength[o["strength"]] += 1
    by_lang[lang[o["id"]]].add(o["id"])
print(f"documents with a commitment: {len(set().union(*docs.values()) if docs else set())} of {len(m)}")
for k in ["netzero", "reduction", "renewable", "efficiency", "coal", "protected"]:
    print(f"  {k:<11} {len(docs[k]):>4} documents {mentions[k]:>5} mentions")
print("mentions by strength:", dict(strength))
print("documents by language:", {k: len(v) for k, v in sorted(by_lang.items())})
