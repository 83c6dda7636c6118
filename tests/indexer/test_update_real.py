#!/usr/bin/env python3
"""A full build of the real corpus, then updated: the first run compacts the index it built,
and every later run must be able to write into it. Xapian 1.4.22 cannot update a database
compacted with its "fuller" compaction (lib/writer.c): a full build of this corpus, so
compacted, made the next run overrun a block buffer inside libxapian and abort. The small
corpora of the other tests have one-level B-trees and never showed it.

Over a folder of links to ../shared/corpus/real (or CORPUS): a full build; then 30 documents
edited, 10 deleted, 10 added; the update must succeed, xapian-check find the index clean,
the summary count what changed, the edited text be found in exactly the edited documents,
the deleted ones be gone and the added ones be there; a third run changes nothing.

usage: test_update_real.py ACCORD_INDEX ACCORD_SEARCH [CORPUS]
TAP output; exit 1 when a check fails, 77 (skipped) without the corpus.
"""
import json
import os
import shutil
import subprocess
import sys
import tempfile

idx, search = sys.argv[1], sys.argv[2]
here = os.path.dirname(os.path.abspath(__file__))
real = (sys.argv[3] if len(sys.argv) > 3 else
        os.path.join(here, "..", "..", "..", "shared", "corpus", "real"))
if not os.path.isdir(real):
    print(f"1..0 # SKIP no real corpus at {real}")
    sys.exit(77)
env = dict(os.environ, ACCORD_DICT_DIR="")  # documents are the subject, not translations
results = []


def check(name, cond, detail=""):
    results.append(bool(cond))
    print(("ok" if cond else "not ok"), len(results), "-", name, "" if cond else f"# {detail}")
    sys.stdout.flush()


def index(*extra):
    p = subprocess.run([idx, "--quiet", "--json", "--index", db, *extra, corpus], env=env,
                       capture_output=True, text=True, timeout=1200)
    summary = {}
    if p.returncode == 0:
        try:
            summary = json.loads(p.stdout)
        except ValueError:
            pass
    return p, summary


def hits(query):
    """The ids of the hits and the total (which counts matches: the hits also show the other
    language versions of the first ones)."""
    p = subprocess.run([search, "--index", db, "--json", "--limit", "100", query], env=env,
                       capture_output=True, text=True, timeout=120)
    if p.returncode != 0:
        return set(), -1
    r = json.loads(p.stdout)
    return {h["id"] for h in r["hits"]}, r["total"]


tmp = tempfile.mkdtemp(prefix="accord-update-real.")
corpus, db = os.path.join(tmp, "corpus"), os.path.join(tmp, "db")
try:
    os.makedirs(corpus)
    names = sorted(n for n in os.listdir(real) if n.endswith(".txt"))
    for n in names + ["manifest.jsonl"]:
        if os.path.exists(os.path.join(real, n)):
            os.symlink(os.path.join(real, n), os.path.join(corpus, n))
    p, s = index()
    check("full build of the real corpus", p.returncode == 0 and s.get("added") == len(names),
          f"rc {p.returncode}, {s}, {p.stderr[-400:]}")

    # every 17th document edited (a word no document has), every 41st deleted, 10 added
    edited = [n for i, n in enumerate(names) if i % 17 == 5][:30]
    deleted = [n for i, n in enumerate(names) if i % 41 == 7 and n not in edited][:10]
    for n in edited:
        with open(os.path.join(real, n), "rb") as f:
            text = f.read()
        os.unlink(os.path.join(corpus, n))
        with open(os.path.join(corpus, n), "wb") as f:
            f.write(text + b"\n\nAmended by the zyxwvquorum clause.\n")
    for n in deleted:
        os.unlink(os.path.join(corpus, n))
    added = []
    for i, n in enumerate(names[100:110]):
        new = f"zz-added-{i:02d}.txt"
        shutil.copyfile(os.path.join(real, n), os.path.join(corpus, new))
        added.append(new)
    p, s = index()
    check("the compacted full build is updated", p.returncode == 0,
          f"rc {p.returncode}: {p.stderr[-600:]}")
    check("the update's summary", (s.get("updated"), s.get("deleted"), s.get("added")) ==
          (len(edited), len(deleted), len(added)), f"{s}")
    c = subprocess.run(["xapian-check", db], capture_output=True, text=True)
    check("xapian-check finds the index clean", c.returncode == 0 and "No errors found" in c.stdout,
          c.stdout[-300:] + c.stderr[-300:])
    ids = lambda files: {os.path.splitext(n)[0] for n in files}
    found, total = hits("zyxwvquorum")
    check("the edited text is found in exactly the edited documents",
          total == len(edited) and ids(edited) <= found,
          f"total {total}, edited {len(edited)}, not found {sorted(ids(edited) - found)[:5]}")
    p = subprocess.run([search, "--index", db, "--json", "--limit", "1", "climate"], env=env,
                       capture_output=True, text=True)
    total = json.loads(p.stdout)["total"] if p.returncode == 0 else -1
    # --similar ID: an error (2) naming a document the index does not have
    doc = lambda i: subprocess.run([search, "--index", db, "--json", "--limit", "1", "--similar",
                                    i], env=env, capture_output=True, text=True).returncode
    check("the deleted documents are gone, the added ones there",
          all(doc(i) == 2 for i in ids(deleted)) and all(doc(i) in (0, 1) for i in ids(added)),
          f"{[(i, doc(i)) for i in sorted(ids(deleted) | ids(added))]}")
    check("a search runs over the updated index", total > 0, f"total {total}")
    p, s = index()
    check("a third run changes nothing", p.returncode == 0 and s.get("added") == 0 and
          s.get("updated") == 0 and s.get("deleted") == 0, f"rc {p.returncode}, {s}")
finally:
    shutil.rmtree(tmp, ignore_errors=True)
print(f"1..{len(results)}")
sys.exit(0 if all(results) else 1)
