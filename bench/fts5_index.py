#!/usr/bin/env python3
"""SQLite FTS5 comparison point for bench/index_bench.sh.

    fts5_index.py DB CORPUS_DIR       *.txt in CORPUS_DIR (not recursive); titles from
                                      CORPUS_DIR/manifest.jsonl when present, else the
                                      first line
    fts5_index.py DB --jsonl FILE|-   one JSON object per line with "id", "title", "text"

Creates table docs(id UNINDEXED, title, body) with
tokenize = "unicode61 remove_diacritics 2" and fills it in one transaction.
SQLite defaults otherwise (page size, journal, synchronous). Prints nothing but
errors; exit status 2 on error.
"""

import json
import os
import sqlite3
import sys


def die(msg):
    print(f"fts5_index: {msg}", file=sys.stderr)
    sys.exit(2)


def json_lines(f, name):
    for lineno, line in enumerate(f, 1):
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
        except ValueError as e:
            die(f"{name}:{lineno}: {e}")
        if not isinstance(obj, dict):
            die(f"{name}:{lineno}: not a JSON object")
        yield obj


def from_dir(path):
    titles = {}
    manifest = os.path.join(path, "manifest.jsonl")
    if os.path.exists(manifest):
        with open(manifest, "rb") as f:
            for obj in json_lines(f, manifest):
                titles[str(obj.get("id", ""))] = obj.get("title") or ""
    names = sorted(
        n for n in os.listdir(path) if n.endswith(".txt") and not n.startswith(".")
    )
    for name in names:
        doc_id = name[:-4]
        with open(os.path.join(path, name), encoding="utf-8", errors="replace") as f:
            text = f.read()
        title = titles.get(doc_id) or text.split("\n", 1)[0]
        yield doc_id, title, text


def from_jsonl(path):
    name = "<stdin>" if path == "-" else path
    f = sys.stdin.buffer if path == "-" else open(path, "rb")
    with f:
        for obj in json_lines(f, name):
            doc_id = obj.get("id")
            if not doc_id:
                die(f"{name}: a record has no \"id\"")
            yield str(doc_id), obj.get("title") or "", obj.get("text") or ""


def main(argv):
    if len(argv) == 3 and not argv[2].startswith("--"):
        docs = from_dir(argv[2])
    elif len(argv) == 4 and argv[2] == "--jsonl":
        docs = from_jsonl(argv[3])
    else:
        die("usage: fts5_index.py DB CORPUS_DIR | fts5_index.py DB --jsonl FILE|-")
    try:
        db = sqlite3.connect(argv[1], isolation_level=None)
        db.execute(
            "CREATE VIRTUAL TABLE docs USING fts5("
            "id UNINDEXED, title, body, tokenize = 'unicode61 remove_diacritics 2')"
        )
        db.execute("BEGIN")
        db.executemany("INSERT INTO docs(id, title, body) VALUES (?, ?, ?)", docs)
        db.execute("COMMIT")
        db.close()
    except (sqlite3.Error, OSError) as e:
        die(str(e))


if __name__ == "__main__":
    main(sys.argv)
