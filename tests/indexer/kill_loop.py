#!/usr/bin/env python3
"""kill -9 loop (issue 13): accord-index is killed with SIGKILL at random
moments, N times, over a corpus that changes between runs (documents added,
edited and deleted). After every kill:
  - xapian-check finds the index clean and accord-search opens it;
  - the documents are those of a committed batch: every indexed document is
    in the old or the new corpus, at its old or its new version, never
    another; the documents written (added or changed) since the run began
    are a whole number of batches, or all of them; deletions are applied
    only once every addition and edit is;
and a run left to finish (one in five, and a last one) converges to exactly
the corpus.

With SHARDS > 1 the index has that many shards (--shards), each committing its own share of
a batch: the batch and deletion checks then hold shard by shard (a kill between two shards'
commits leaves each at one of its commits), and xapian-check runs on every shard.

usage: kill_loop.py ACCORD_INDEX ACCORD_SEARCH [ITERATIONS] [SEED] [SHARDS]
TAP output; exit 1 when a check fails.
"""
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import time

idx, search = sys.argv[1], sys.argv[2]
iterations = int(sys.argv[3]) if len(sys.argv) > 3 else 20
rng = random.Random(int(sys.argv[4]) if len(sys.argv) > 4 else 13)
SHARDS = int(sys.argv[5]) if len(sys.argv) > 5 else 1
BATCH = 20
SHARD_BATCH = -(-BATCH // SHARDS)  # what each shard commits at a time
WORDS = ("climate emission forest ocean biodiversity energy renewable adaptation finance "
         "carbon neutrality target reduction agreement party article protocol treaty water "
         "soil coal methane wetland species habitat transport city region").split()
env = dict(os.environ, ACCORD_DICT_DIR="")
# the stored text's dictionary: none in the first run (trained from 64 MiB), then trained from
# 256 KiB, which a run over the changes stores halfway: kills fall before, around and after it
# (no chunk may be committed without its dictionary; every hit's text is read by the checks)
TEXTDICT_LATER = str(256 << 10)
env["ACCORD_TEXTDICT_SAMPLE"] = str(64 << 20)
tmp = tempfile.mkdtemp(prefix="accord-killloop.")
corpus, db = os.path.join(tmp, "corpus"), os.path.join(tmp, "db")
os.makedirs(corpus)
results = []


def check(name, cond, detail=""):
    results.append(bool(cond))
    print(("ok" if cond else "not ok"), len(results), "-", name, "" if cond else f"# {detail}")
    sys.stdout.flush()


state = {}  # the corpus: id -> version
next_id = [0]


def write(i, gen):
    text = " ".join(rng.choice(WORDS) for _ in range(rng.randint(200, 900)))
    with open(os.path.join(corpus, f"d{i}.txt"), "w") as f:
        f.write(f"Doc {i} gen {gen}\nkillword{i} {text}\n")
    state[f"d{i}"] = gen


def add(k):
    for _ in range(k):
        next_id[0] += 1
        write(next_id[0], 1)


def change():
    """Adds, edits and deletes some documents."""
    ids = list(state)
    for d in rng.sample(ids, min(len(ids), rng.randint(20, 120))):
        write(int(d[1:]), state[d] + 1)
    for d in rng.sample(list(state), min(len(state) - 50, rng.randint(0, 15))):
        os.remove(os.path.join(corpus, d + ".txt"))
        del state[d]
    add(rng.randint(10, 80))


search_error = ""  # what accord-search said when it last could not read the index


def indexed():
    """id -> version as the index has it (the title "Doc N gen G"), or None when it cannot be
    read."""
    out, offset = {}, 0
    while True:
        p = subprocess.run([search, "--index", db, "--json", "--limit", "100", "--offset",
                            str(offset), "--no-expand", "gen"], capture_output=True, text=True,
                           env=env)
        if p.returncode == 1:
            return out
        if p.returncode != 0:
            global search_error
            search_error = f"accord-search exit {p.returncode}: {p.stderr.strip()[-300:]}"
            return None
        o = json.loads(p.stdout)
        for h in o["hits"]:
            t = h["title"].split()
            out[h["id"]] = int(t[3])
        offset += len(o["hits"])
        if offset >= o["total"] or not o["hits"]:
            return out


def shard_of(i):
    """the shard accord-index puts document id i in: FNV-1a 64 of the id, modulo SHARDS"""
    h = 1469598103934665603
    for c in i.encode():
        h = ((h ^ c) * 1099511628211) % (1 << 64)
    return h % SHARDS


def run(kill_after):
    """Runs accord-index, killed after kill_after seconds (None: left to finish).
    Returns (killed, exit status)."""
    shards = ["--shards", str(SHARDS)] if SHARDS > 1 else []
    p = subprocess.Popen([idx, "--quiet", "--no-lexicon", "--batch", str(BATCH), *shards,
                          "--index", db, corpus], stdout=subprocess.DEVNULL,
                         stderr=subprocess.PIPE, env=env)
    if kill_after is None:
        return False, p.wait(timeout=300), p.stderr.read().decode()[-300:]
    try:
        rc = p.wait(timeout=kill_after)
        return False, rc, p.stderr.read().decode()[-300:]
    except subprocess.TimeoutExpired:
        p.send_signal(signal.SIGKILL)
        p.wait()
        return True, -9, ""


add(400)
t0 = time.monotonic()
killed, rc, err = run(None)
full = time.monotonic() - t0
check(f"first full run ({full:.2f} s)", rc == 0 and indexed() == state, err)
env["ACCORD_TEXTDICT_SAMPLE"] = TEXTDICT_LATER


def has_textdict():
    """whether the index (its first shard) stores a text dictionary (Xapian keeps metadata keys
    in the postlist table as they are)"""
    first = os.path.join(db, "shard00") if SHARDS > 1 else db
    with open(os.path.join(first, "postlist.glass"), "rb") as f:
        return b"accord.textdict" in f.read()


check("the first run stored no text dictionary", not has_textdict())
kills = consistent = 0
dur = full / 2  # how long a run over the changes takes, as last seen
for it in range(1, iterations + 1):
    before = indexed()
    change()
    finish = it % 5 == 0
    delay = None if finish else rng.uniform(0.0, dur)
    t0 = time.monotonic()
    killed, rc, err = run(delay)
    if not killed:
        dur = time.monotonic() - t0
        got = indexed()
        ok = rc == 0 and got == state
        when = "left to finish" if delay is None else f"done before the kill at {delay:.3f} s"
        seen = "unreadable: " + search_error if got is None else f"{len(got)} documents read"
        check(f"run {it}: {when} ({dur:.3f} s), index == corpus", ok, (rc, err, seen))
        continue
    kills += 1
    after = indexed()
    problems = []
    written = to_write = 0
    dbs = [os.path.join(db, f"shard{i:02d}") for i in range(SHARDS)] if SHARDS > 1 else [db]
    for one in dbs:
        xc = subprocess.run(["xapian-check", one], capture_output=True, text=True)
        if xc.returncode != 0:
            problems.append("xapian-check: " + xc.stdout[-300:] + xc.stderr[-300:])
    if after is None:
        problems.append("accord-search cannot read the index (" + search_error + ")")
    else:
        for d, g in after.items():
            if g not in (before.get(d), state.get(d)):
                problems.append(f"{d} at version {g}: neither {before.get(d)} nor {state.get(d)}")
        for sh in range(SHARDS):
            mine = lambda d: shard_of(d) == sh  # noqa: E731
            w = sum(1 for d in state if mine(d) and after.get(d) == state[d] != before.get(d))
            tw = sum(1 for d in state if mine(d) and state[d] != before.get(d))
            deleted = [d for d in before if mine(d) and d not in state and d not in after]
            to_delete = [d for d in before if mine(d) and d not in state]
            written += w
            to_write += tw
            where = f" (shard {sh})" if SHARDS > 1 else ""
            if w % SHARD_BATCH and w != tw:
                problems.append(f"{w} of {tw} documents written{where}: not whole batches of "
                                f"{SHARD_BATCH}")
            if deleted and w != tw:
                problems.append(f"{len(deleted)} deletions before all writes{where}")
            if deleted and len(deleted) != len(to_delete):
                problems.append(f"{len(deleted)} of {len(to_delete)} deletions{where}")
        lost = [d for d in before if d in state and d not in after]
        if lost:
            problems.append(f"documents lost: {lost[:5]}")
    consistent += not problems
    what = f"{written}/{to_write} written" if after is not None else "unreadable"
    check(f"kill -9 #{kills} at {delay:.3f} s (run {it}, {what}): the index is a committed state",
          not problems, "; ".join(problems)[:600])
killed, rc, err = run(None)
final = indexed()
check("the last full run converges to exactly the corpus "
      f"({len(state)} documents)", rc == 0 and final == state,
      (rc, err, len(final or {}), len(state), search_error if final is None else ""))
check("a run stored a text dictionary, and every hit's text reads with it",
      has_textdict() and final == state)
print(f"# {kills} kills, {consistent}/{kills} consistent; full run {full:.2f} s")
print(f"1..{len(results)}")
shutil.rmtree(tmp)
sys.exit(0 if all(results) else 1)
