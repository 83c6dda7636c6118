#!/usr/bin/env python3
"""SQLite FTS5 peer for bench/eval/run_eval.sh: searches a database written by
bench/fts5_index.py (table docs(id UNINDEXED, title, body), unicode61 remove_diacritics 2).

    fts5_search.py DB [--limit N] [--and] QUERY...

The query is cut into words as the unicode61 tokenizer cuts text (runs of letters and
digits; "phase-out" gives "phase" and "out", "6.2" gives "6" and "2"); each word is put in
double quotes, so that no character of the query is read as FTS5 syntax, and the words are
joined with OR (default) or AND. Hits are in bm25() order (FTS5's rank, equal column
weights). This reproduces the peers' figures in ../shared/eval/peers-public-score.txt.
Prints one line of JSON:
    {"total": N, "hits": [{"id": "...", "score": 1.23, "title": "..."}, ...], "took_ms": 0.5}
score is -bm25(), so higher is better; total is the number of hits printed.
Exit status 0 (also when nothing matches), 2 on usage or database error.
"""
import json
import re
import sqlite3
import sys
import time


def die(msg):
    print("fts5_search: %s" % msg, file=sys.stderr)
    sys.exit(2)


WORD = re.compile(r"[^\W_]+")


def match_expression(query, op):
    words = WORD.findall(query)
    return (" %s " % op).join('"%s"' % w.replace('"', '""') for w in words)


def main(argv):
    db_path, limit, op, words = None, 10, "OR", []
    args = iter(argv[1:])
    for a in args:
        if a == "--limit":
            try:
                limit = int(next(args))
            except (StopIteration, ValueError):
                die("--limit needs a number")
        elif a == "--and":
            op = "AND"
        elif a == "--":
            words.extend(args)
        elif db_path is None:
            db_path = a
        else:
            words.append(a)
    if db_path is None or limit < 1:
        die("usage: fts5_search.py DB [--limit N] [--and] QUERY...")

    t0 = time.perf_counter()
    expr = match_expression(" ".join(words), op)
    hits = []
    if expr:
        try:
            db = sqlite3.connect("file:%s?mode=ro" % db_path, uri=True)
            rows = db.execute(
                "SELECT id, title, bm25(docs) FROM docs WHERE docs MATCH ? "
                "ORDER BY bm25(docs) LIMIT ?",
                (expr, limit),
            ).fetchall()
            db.close()
        except sqlite3.Error as e:
            die("%s (expression: %s)" % (e, expr))
        hits = [{"id": i, "score": round(-s, 6), "title": t} for i, t, s in rows]
    took = (time.perf_counter() - t0) * 1000.0
    json.dump({"total": len(hits), "hits": hits, "took_ms": round(took, 3)}, sys.stdout,
              ensure_ascii=False)
    sys.stdout.write("\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
