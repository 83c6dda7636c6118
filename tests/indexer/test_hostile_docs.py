#!/usr/bin/env python3
"""Hostile documents (issue 13): accord-index reads a folder of files made to
hurt it, and must finish (exit 0), skip or repair each with a reason, keep
its memory bounded, and leave a searchable index:
  a gzip bomb (1 GiB of zeros in 1 MiB) and an xz one (1 GiB of 'a'), a
  single line of LINE_MB MiB, HTML nested 200,000 deep, a PDF with a broken
  xref, invalid UTF-8 everywhere, Markdown with 10,000 front-matter fields,
  NUL bytes, a JSONL file with a 20 MiB record and a broken line, an empty
  file, and a file that is a directory's name.

usage: test_hostile_docs.py ACCORD_INDEX ACCORD_SEARCH [LINE_MB]
"""
import gzip
import lzma
import os
import resource
import shutil
import subprocess
import sys
import tempfile

idx, search = sys.argv[1], sys.argv[2]
line_mb = int(sys.argv[3]) if len(sys.argv) > 3 else 20
sanitized = "ASAN_OPTIONS" in os.environ
env = dict(os.environ, ACCORD_DICT_DIR="")
tmp = tempfile.mkdtemp(prefix="accord-hostile.")
c = os.path.join(tmp, "c")
os.makedirs(c)
results = []


def check(name, cond, detail=""):
    results.append(bool(cond))
    print(("ok" if cond else "not ok"), len(results), "-", name, "" if cond else f"# {detail}")


def path(n):
    return os.path.join(c, n)


mib = 1 << 20
with gzip.open(path("bomb.txt.gz"), "wb", compresslevel=9) as f:
    for _ in range(1024):
        f.write(b"\0" * mib)
with lzma.open(path("bomb2.txt.xz"), "wb", preset=1) as f:
    for _ in range(1024):
        f.write(b"a" * mib)
with open(path("longline.txt"), "wb") as f:
    f.write(b"climate " * (line_mb * mib // 8))
with open(path("deep.html"), "w") as f:
    f.write("<html><body>" + "<div>" * 200000 + "deepword climate" + "</div>" * 200000 +
            "</body></html>")
with open(path("broken.pdf"), "wb") as f:
    f.write(b"%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\nxref\n0 3\n"
            b"0000000000 65535 f \nBROKEN\ntrailer << /Size 3 /Root 1 0 R >>\nstartxref\n"
            b"999999\n%%EOF\n")
with open(path("badutf.txt"), "wb") as f:
    f.write(b"climate " + bytes(range(128, 256)) * 20000)
with open(path("meta.md"), "w") as f:
    f.write("---\n" + "".join(f"field{i}: value {i}\n" for i in range(10000)) +
            "title: Many fields\n---\nmanyfields climate text\n")
with open(path("nul.txt"), "wb") as f:
    f.write(b"climate\0agreement\0" * 100000)
with open(path("recs.jsonl"), "w") as f:
    f.write('{"id":"r1","text":"' + "x " * (10 * mib) + '"}\n{broken\n'
            '{"id":"r2","text":"okrecord climate"}\n')
open(path("empty.txt"), "w").close()
os.makedirs(path("dir.txt"))
with open(path("normal.txt"), "w") as f:
    f.write("A normal agreement\nThe parties agree to protect the climate. normalword\n")

p = subprocess.run([idx, "--no-lexicon", "--json", "--index", os.path.join(tmp, "db"), c],
                   capture_output=True, text=True, env=env)
rss = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
check("accord-index finishes (exit 0)", p.returncode == 0, (p.returncode, p.stderr[-600:]))
limit = 3072 if sanitized else 1024
check(f"peak RSS {rss:.0f} MiB is bounded (< {limit} MiB, for {line_mb} MiB in one line and "
      "two 1 GiB bombs)", rss < limit)
err = p.stderr
check("the bombs are stopped at the size limit",
      "bomb.txt.gz" in err and "bomb2.txt.xz" in err and "too large" in err, err[-800:])
check("binary (NUL) text is skipped with a reason", "nul.txt" in err and "binary" in err, err[-800:])
check("invalid UTF-8 is repaired", "badutf.txt" in err and "invalid UTF-8" in err, err[-800:])
check("the broken JSONL line is skipped, the others read", "recs.jsonl:2" in err, err[-800:])
for word, doc in [("normalword", "normal"), ("okrecord", "r2"), ("manyfields", "meta")]:
    s = subprocess.run([search, "--index", os.path.join(tmp, "db"), "--json", word],
                       capture_output=True, text=True, env=env)
    check(f"searchable afterwards: {word} finds {doc}", f'"id":"{doc}"' in s.stdout,
          s.stdout[:300] + s.stderr[:300])
shutil.rmtree(tmp)
print(f"1..{len(results)}")
sys.exit(0 if all(results) else 1)
