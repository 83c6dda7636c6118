#!/usr/bin/env python3
"""Behaviour snapshot of accord: what the three programs answer and what the
index holds, written as diff-friendly text so that a refactoring can be
compared with the baseline byte for byte.

usage:
  snapshot.py write OUTDIR [options]   write the snapshot files into OUTDIR
  snapshot.py check OUTDIR [options]   regenerate into a temporary folder and
                                       compare with OUTDIR: exit 0 when equal,
                                       1 with a unified diff of the first
                                       differences otherwise, 2 on an error

options:
  --bin DIR          a build folder (DIR/bin/accord-search, DIR/bin/accord-searchd,
                     DIR/bin/accord-index); default: build/ of the source tree
  --search PATH      accord-search   (overrides --bin)
  --searchd PATH     accord-searchd  (overrides --bin)
  --indexer PATH     accord-index    (overrides --bin)
  --corpus DIR       the corpus (default: corpus/ of the source tree). Any other
                     corpus is run with the "external" profile (see below)
  --db PATH          an index already built from the corpus by
                     `accord-index --quiet --index PATH CORPUS` (CORPUS as an
                     absolute path, as the ctest fixture does); without --db
                     the corpus is indexed into a temporary folder
  --profile P        sample (default for corpus/) or external (default for any
                     other corpus)
  --eval-queries F   external profile: a TSV of qid<TAB>query<TAB>... queries
                     (default ../shared/eval/public-queries.tsv beside the repository)
  --docs             external profile: also /doc/ID of every document
  --keep             check: keep the regenerated folder and print its path

Profiles:
  sample     golden.txt   every case of tests/golden/cases.tsv (and its same= query)
             queries.txt  bench/load/queries.txt, --limit 100 and with --facets
             options.txt  option variants, syntax errors, exit codes
             http.txt     accord-searchd: /suggest, /doc of every id, /stats,
                          /similar, /search
             index.txt    every document's terms (wdf, positions), values, data;
                          all terms with termfreq/collection freq; metadata,
                          spelling, synonyms
  external   the same without golden/options (queries: bench/load/queries.txt and
             the eval queries, --limit 100) and with a summarised index dump:
             index-docs.txt (a hash per document) and index-terms.txt

Normalised: took_ms is dropped from every JSON answer; the corpus folder is
replaced by <CORPUS> wherever it appears; the mtime in the change stamp (slot 4)
and in file stamps of the metadata is replaced by <MTIME>. Nothing else.
"""
import argparse
import difflib
import hashlib
import http.client
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.parse

import accord_record  # beside this file

HERE = os.path.dirname(os.path.abspath(__file__))
SRC = os.path.dirname(os.path.dirname(HERE))


def import_xapian():
    """python3-xapian is installed for Debian's python3; another python3 on
    PATH (pyenv, venv) of the same version can load it from there."""
    try:
        import xapian  # noqa: F401
        return xapian
    except ImportError:
        pass
    d = "/usr/lib/python3/dist-packages"
    if os.path.isdir(os.path.join(d, "xapian")) and d not in sys.path:
        sys.path.append(d)
        try:
            import xapian  # noqa: F401
            return xapian
        except ImportError:
            sys.path.remove(d)
    if os.path.exists("/usr/bin/python3") and os.path.realpath(sys.executable) != os.path.realpath(
            "/usr/bin/python3") and not os.environ.get("SNAPSHOT_REEXEC"):
        os.environ["SNAPSHOT_REEXEC"] = "1"
        os.execv("/usr/bin/python3", ["/usr/bin/python3"] + sys.argv)
    sys.exit("snapshot: the xapian module is missing (apt-get install python3-xapian)")


xapian = import_xapian()


class Fail(Exception):
    pass


# --- normalisation ------------------------------------------------------------
class Norm:
    """Replaces the corpus folder by <CORPUS> in every text written."""

    def __init__(self, corpus, db):
        pairs = {}
        for path, name in ((corpus, "<CORPUS>"), (db, "<DB>")):
            for p in (os.path.abspath(path), os.path.realpath(path), path.rstrip("/")):
                if p and p != ".":
                    pairs[p] = name
        self.pairs = sorted(pairs.items(), key=lambda kv: len(kv[0]), reverse=True)

    def text(self, s):
        for p, name in self.pairs:
            s = s.replace(p, name)
        return s

    def bytes_(self, b):
        for p, name in self.pairs:
            b = b.replace(p.encode(), name.encode())
        return b


FLOAT_MARK = "\u0001F"


def pretty(raw):
    """Indented JSON, keys in the order emitted, numbers as written, took_ms dropped.
    Returns (text, sha of the compact form without took_ms) or (None, None)."""
    try:
        obj = json.loads(raw, parse_float=lambda s: FLOAT_MARK + s + FLOAT_MARK)
    except ValueError:
        return None, None
    drop_took(obj)
    out = json.dumps(obj, ensure_ascii=False, indent=1)
    out = re.sub('"' + re.escape(json.dumps(FLOAT_MARK)[1:-1]) + r'([^"\\]*?)'
                 + re.escape(json.dumps(FLOAT_MARK)[1:-1]) + '"', r"\1", out)
    # the bytes as emitted (escaping, spacing), took_ms cut out
    compact = re.sub(r',?"took_ms":\s*-?[0-9.eE+-]+', "", raw)
    return out, hashlib.sha256(compact.encode("utf-8", "surrogateescape")).hexdigest()[:16]


def drop_took(o):
    if isinstance(o, dict):
        o.pop("took_ms", None)
        for v in o.values():
            drop_took(v)
    elif isinstance(o, list):
        for v in o:
            drop_took(v)


def show_bytes(b):
    """A value or term: quoted text when it is clean UTF-8, else hex."""
    try:
        s = b.decode("utf-8")
    except UnicodeDecodeError:
        return "hex:" + b.hex()
    if any((ord(c) < 32 and c != "\x1f") or ord(c) == 127 for c in s):
        return "hex:" + b.hex()
    return json.dumps(s, ensure_ascii=False)


# --- the programs ------------------------------------------------------------
class Runner:
    def __init__(self, a, norm, out):
        self.a, self.norm, self.out = a, norm, out

    def search(self, args):
        cmd = [self.a.search, "--index", self.a.db, "--json"] + args
        p = subprocess.run(cmd, capture_output=True, timeout=300, env=dict(os.environ, NO_COLOR="1"))
        return p.returncode, p.stdout.decode("utf-8", "surrogateescape"), \
            p.stderr.decode("utf-8", "surrogateescape")

    def record(self, f, title, args):
        rc, out, err = self.search(args)
        f.write(self.norm.text("=== " + title + "\n"))
        f.write(self.norm.text("args: " + json.dumps([shown(a) for a in args], ensure_ascii=False))
                + "\n")
        f.write(f"exit: {rc}\n")
        if err.strip():
            f.write("stderr: " + self.norm.text(err.strip()).replace("\n", "\n        ") + "\n")
        if out.strip():
            text, sha = pretty(out)
            if text is None:
                f.write("stdout (not JSON): " + json.dumps(self.norm.text(out), ensure_ascii=False)
                        + "\n")
            else:
                f.write(f"raw-sha: {sha}\n")
                f.write(self.norm.text(text) + "\n")
        f.write("\n")


def shown(a):
    """An argument as text: bytes that are not UTF-8 as \\xHH."""
    return a.decode("utf-8", "backslashreplace") if isinstance(a, bytes) else a


def unescape_hex(s):
    """\\xHH in golden queries (invalid UTF-8 cases) -> bytes when needed."""
    if "\\x" not in s:
        return s
    b = bytearray()
    i = 0
    raw = s.encode("utf-8")
    while i < len(raw):
        if raw[i:i + 2] == b"\\x" and i + 3 < len(raw):
            b.append(int(raw[i + 2:i + 4], 16))
            i += 4
        else:
            b.append(raw[i])
            i += 1
    return bytes(b)


def golden_cases():
    cases = []
    with open(os.path.join(SRC, "tests", "golden", "cases.tsv"), encoding="utf-8") as f:
        for lineno, line in enumerate(f, 1):
            line = line.rstrip("\n")
            if not line or line.startswith("#"):
                continue
            parts = line.split("\t")
            query, lang = parts[0], parts[1] if len(parts) > 1 else "-"
            clauses = parts[2] if len(parts) > 2 else ""
            cases.append((lineno, query, lang))
            m = re.search(r"(?:^| )same=(.*)$", clauses)
            if m:
                cases.append((lineno, m.group(1), lang))
    return cases


def golden_args(query, lang):
    args = ["--limit", "100"]
    if lang != "-":
        args += ["--lang", lang]
    return args + ["--", unescape_hex(query)]


def read_lines(path):
    with open(path, encoding="utf-8") as f:
        return [x.strip() for x in f if x.strip() and not x.lstrip().startswith("#")]


FACETS = ["--facets", "lang,type,topic,year,party"]

# option variants over the sample corpus (tests/cli/test_options.py, tests/cli/test_cli.sh)
OPTIONS = [
    ["--sort", "newest", "climate"],
    ["--sort", "oldest", "--limit", "100", "climate"],
    ["--sort", "newest", "--limit", "100", "--", "-qqqzzznowordxxx"],
    ["--sort", "sideways", "climate"],
    ["--collapse", "climate"],
    ["--collapse", "--limit", "100", "paris"],
    ["--collapse", "--limit", "100"] + FACETS + ["--", "-qqqzzznowordxxx"],
    ["--explain", "développement durable"],
    ["--explain", "--limit", "100", "--", "climate -paris"],
    ["--explain", "--lang", "fr", "environnement"],
    ["--similar", "fr-accord-paris-climat"],
    ["--similar", "fr-accord-paris-climat", "--limit", "100"],
    ["--similar", "de-klimaschutzvertrag-stadt", "--explain"],
    ["--similar", "zh-yangtze-ecological-protection", "--collapse"],
    ["--similar", "no-such-doc"],
    ["--offset", "3", "--limit", "4", "climate"],
    ["--offset", "40", "--limit", "5", "--", "-qqqzzznowordxxx"],
    ["--offset", "10000", "climate"],
    ["--offset", "10001", "climate"],
    ["--limit", "0", "climate"],
    ["--limit", "101", "climate"],
    ["--limit", "-3", "climate"],
    ["--limit", "abc", "climate"],
    ["--type", "treaty"],
    ["--type", "treaty,protocol", "--limit", "100"],
    ["--type", "press-release, ndc"],
    ["--type", "TREATY"],
    ["--type", "nosuchtype"],
    ["--type", "resolution", "climate"],
    ["--topic", "biodiversity", "--limit", "100"],
    ["--topic", "water,oceans", "--limit", "100"],
    ["--topic", "forests", "--type", "treaty"],
    ["--topic", "nosuch"],
    ["--party", "senegal"],
    ["--party", "SÉNÉGAL"],
    ["--party", "osterreich"],
    ["--party", "tromso municipality"],
    ["--party", "республика карелия"],
    ["--party", "الجمهورية الاسلامية الموريتانية"],
    ["--party", "france,deutschland", "--limit", "100"],
    ["--from", "2015", "--to", "2020", "--limit", "100"],
    ["--from", "2024"],
    ["--to", "1999"],
    ["--from", "2009", "--to", "2009"],
    ["--to", "9999", "--limit", "100"],
    ["--from", "2015", "--to", "2020", "climate"],
    ["--from", "3000", "--to", "2000", "climate"],
    ["--from", "-1", "climate"],
    ["--lang", "fr", "climat"],
    ["--lang", "de", "environnement"],
    ["--lang", "fr;rm", "climate"],
    ["--no-expand", "biodiversity"],
    ["--no-expand", "--limit", "100", "biodiversity"],
    ["--limit", "100", "biodiversity"],
    ["--facets", "lang,bogus", "climate"],
    FACETS + ["--type", "treaty", "climate"],
    FACETS + ["--topic", "biodiversity", "--party", "france", "--limit", "100"],
    FACETS + ["--from", "2015", "--to", "2020", "--lang", "en", "climate"],
    ["--limit", "100"] + FACETS + ["--", "-qqqzzznowordxxx"],
    ["--", "-paris"],
    ["--limit", "100", "--", "-paris"],
    ["--limit", "100", "--", "NOT paris"],
    ["--limit", "100", "climate", "-paris"],
    ["climate AND"],
    ["AND"],
    ["OR OR"],
    ['"unbalanced'],
    ["(("],
    ["climate)"],
    ["title:"],
    ["*"],
    ["year:abc..def"],
    ["a..b..c"],
    ["NOT"],
    ["<script>alert(1)</script>"],
    ["sust*"],
    ["--limit", "100", "clim*"],
    ["s*"],
    ['"gaz à effet de serre"'],
    ['"effet de serre"', "--limit", "100"],
    ['"climate change"'],
    ["title:paris", "--limit", "100"],
    ["paris (type:treaty OR type:resolution)"],
    ["developement durabel"],
    ["klimaschutz"],
    ["climat", "--index", "IGNORED"],
    [""],
    [b"bad\xff"],
    ["a" * 10240],
    ["--bogus", "climate"],
]


def write_golden(r, path):
    with open(path, "w", encoding="utf-8", errors="surrogateescape") as f:
        for lineno, query, lang in golden_cases():
            r.record(f, f"cases.tsv:{lineno} {query} [{lang}]", golden_args(query, lang))


def write_queries(r, path, queries):
    with open(path, "w", encoding="utf-8", errors="surrogateescape") as f:
        for name, q in queries:
            r.record(f, f"{name} {q}", ["--limit", "100", "--", q])
            r.record(f, f"{name} {q} +facets", FACETS + ["--", q])


def write_options(r, path):
    with open(path, "w", encoding="utf-8", errors="surrogateescape") as f:
        for i, args in enumerate(OPTIONS, 1):
            args = [r.a.db if a == "IGNORED" else a for a in args]
            r.record(f, f"option {i}: {' '.join(map(shown, args))[:120]}", args)


# --- accord-searchd -----------------------------------------------------------
class Daemon:
    def __init__(self, searchd, db):
        self.log = tempfile.TemporaryFile()
        self.p = subprocess.Popen([searchd, "--index", db, "--port", "0", "--workers", "2"],
                                  stdout=subprocess.PIPE, stderr=self.log, text=True)
        line = self.p.stdout.readline()
        if "listening on http://" not in line:
            self.stop()
            self.log.seek(0)
            raise Fail("accord-searchd did not start: " + line + self.log.read().decode(errors="replace"))
        self.port = int(line.rsplit(":", 1)[1].strip().rstrip("/"))

    def get(self, path):
        c = http.client.HTTPConnection("127.0.0.1", self.port, timeout=120)
        c.request("GET", path)
        resp = c.getresponse()
        data = resp.read()
        c.close()
        return resp.status, resp.getheader("Content-Type") or "", data

    def stop(self):
        if self.p.poll() is None:
            self.p.send_signal(signal.SIGTERM)
            try:
                self.p.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.p.kill()
                self.p.wait()


def q(s):
    return urllib.parse.quote(s, safe="")


HTTP_SEARCHES = [
    "/search?q=" + q("développement durable"),
    "/search?q=climate&lang=en&limit=2&offset=1",
    "/search?q=" + q("climate -paris") + "&limit=100",
    "/search?q=-paris&limit=100",
    "/search?q=climate&facets=lang,type,topic,year,party",
    "/search?q=paris&collapse=1&limit=100",
    "/search?q=climate&sort=newest&explain=1",
    "/search?q=biodiversity&expand=0",
    "/search?q=climate&type=treaty,resolution&topic=climate-mitigation",
    "/search?q=climate&party=france&from=2010&to=2020",
    "/search?q=climate&sort=sideways",
    "/search?q=x&limit=abc",
    "/search?q=" + q('"unbalanced'),
    "/search?q=%FF%FE",
    "/search",
]


def write_http(a, norm, path, doc_ids, similar_ids):
    d = Daemon(a.searchd, a.db)
    try:
        paths = ["/stats", "/health"]
        paths += ["/suggest?q=" + q(s) for s in read_lines(a.suggest)]
        paths += ["/suggest?q=", "/suggest?q=x&limit=0"]
        paths += ["/doc/" + q(i) for i in doc_ids] + ["/doc/no-such-doc"]
        paths += ["/similar/" + q(i) for i in similar_ids] + ["/similar/" + q(similar_ids[0]) + "?limit=3"]
        paths += a.http_searches
        with open(path, "w", encoding="utf-8", errors="surrogateescape") as f:
            for p in paths:
                status, ctype, data = d.get(p)
                f.write("=== GET " + urllib.parse.unquote(p) + "\n")
                f.write(f"status: {status} {ctype}\n")
                raw = data.decode("utf-8", "surrogateescape")
                text, sha = pretty(raw)
                if text is None:
                    f.write("body (not JSON): " + json.dumps(norm.text(raw), ensure_ascii=False) + "\n")
                else:
                    f.write(f"raw-sha: {sha}\n" + norm.text(text) + "\n")
                f.write("\n")
    finally:
        d.stop()


# --- the index ----------------------------------------------------------------
def norm_stamp(v):
    """Slot 4: "v;vocab;f;metahash;size;mtime_ns;hash" -> mtime replaced."""
    parts = v.split(b";")
    if len(parts) >= 7 and parts[2] == b"f":
        parts[5] = b"<MTIME>"
    return b";".join(parts)


def norm_meta(key, val):
    if key.startswith(b"accord.file:"):
        parts = val.split(b";")
        if len(parts) >= 4:
            parts[3] = b"<MTIME>"
        val = b";".join(parts)
    return key, val


RECORD_SLOT = 17  # ACC_SLOT_RECORD (include/accord/schema.h)


def doc_lines(db, docid, norm):
    d = db.get_document(docid)
    out = []
    # the record: value slot 17 since index version 10, the document data before
    raw = d.get_value(RECORD_SLOT) or d.get_data()
    try:  # fields in stored order (binary since index version 9)
        rec = accord_record.decode(raw)
        data = norm.text(json.dumps(rec, ensure_ascii=False, separators=(",", ":")))
    except ValueError:
        data = "not a record: " + show_bytes(norm.bytes_(raw))
    out.append("record: " + data)
    if d.get_value(RECORD_SLOT) and d.get_data():
        out.append("data: " + show_bytes(norm.bytes_(d.get_data())))
    for v in d.values():
        if v.num == RECORD_SLOT:
            continue
        val = v.value
        if v.num == 4:
            val = norm_stamp(val)
        if v.num == 5:
            val = norm.bytes_(val)
        out.append(f"value {v.num}: " + show_bytes(val))
    out.append(f"doclength: {db.get_doclength(docid)} unique: {db.get_unique_terms(docid)}")
    for t in d.termlist():
        pos = list(db.positionlist(docid, t.term))
        line = f"term {show_bytes(t.term)} wdf={t.wdf}"
        if pos:
            line += " pos=" + ",".join(map(str, pos))
        out.append(line)
    return out


def docs_by_id(db):
    res = []
    for t in db.allterms(b"Q"):
        for p in db.postlist(t.term):
            res.append((t.term, p.docid))
    return res


def used_slots(db):
    """Slots 0-99, then the text chunks 100, 101, ... while some document has one."""
    slot = 0
    while slot < 100 or db.get_value_freq(slot):
        if db.get_value_freq(slot):
            yield slot
        slot += 1


def write_index_header(f, db, norm, summary=False):
    f.write(f"doccount: {db.get_doccount()}\n")
    f.write(f"avlength: {db.get_avlength()!r}\n")
    f.write(f"has_positions: {db.has_positions()}\n")
    f.write(f"doclength bounds: {db.get_doclength_lower_bound()} {db.get_doclength_upper_bound()}\n")
    for slot in used_slots(db):
        lo, hi = db.get_value_lower_bound(slot), db.get_value_upper_bound(slot)
        if slot == 5:
            lo, hi = norm.bytes_(lo), norm.bytes_(hi)
        f.write(f"slot {slot}: freq {db.get_value_freq(slot)}")
        if slot == RECORD_SLOT:  # records, decoded: their path's length byte is the machine's
            lo, hi = (norm.text(json.dumps(accord_record.decode(x), ensure_ascii=False,
                                           separators=(",", ":"))) for x in (lo, hi))
            f.write(f" bounds {lo} {hi}\n")
            continue
        if slot != 4:  # the stamps hold mtimes
            lo, hi = show_bytes(lo), show_bytes(hi)
            if summary and slot >= 100:  # the document text
                lo, hi = (hashlib.sha256(x.encode()).hexdigest()[:24] for x in (lo, hi))
            f.write(f" bounds {lo} {hi}")
        f.write("\n")
    # the translation table (lib/lexicon.h) is tens of thousands of entries made
    # from the installed dictionaries, in compressed buckets (lib/lextable.h):
    # counted and digested, with its description ("Lmeta") and header
    # ("Lbuckets") in full; an older index's entries ("L<lang>:..." keys) are
    # counted and digested per source language
    lex = {}
    comp = [0, hashlib.sha256()]
    for k in db.metadata_keys():
        kb, vb = norm.bytes_(k), norm.bytes_(db.get_metadata(k))
        if kb.startswith(b"L#") or kb == b"Ldict":
            # the table's compressed buckets and their dictionary (lib/lextable.h):
            # counted and digested together
            n, h = lex.get("(buckets)", (0, hashlib.sha256()))
            h.update(kb + b"\0" + vb + b"\0")
            lex["(buckets)"] = (n + 1, h)
            continue
        if kb.startswith(b"L") and b":" in kb:
            src = kb[1:kb.index(b":")].decode()
            n, h = lex.get(src, (0, hashlib.sha256()))
            h.update(kb + b"\0" + vb + b"\0")
            lex[src] = (n + 1, h)
            continue
        if kb.startswith(b"accord.complete:"):
            # the completion table (lib/complete.h): counted and digested with the others
            comp[0] += 1
            comp[1].update(kb + b"\0" + vb + b"\0")
            continue
        if kb.startswith(b"accord.topicmatch.") and b"\n" in vb:
            # a language's topic matcher (lib/topicmatch.h): its header line and a digest
            head = vb[:vb.index(b"\n")]
            f.write(f"metadata {show_bytes(kb)} = {show_bytes(head)}, {len(vb)} bytes, "
                    f"sha256 {hashlib.sha256(vb).hexdigest()[:24]}\n")
            continue
        key, val = norm_meta(kb, vb)
        f.write(f"metadata {show_bytes(key)} = {show_bytes(val)}\n")
    for src, (n, h) in sorted(lex.items()):
        f.write(f"translation table {src}: {n} keys, sha256 {h.hexdigest()[:24]}\n")
    if comp[0]:
        f.write(f"completion table: {comp[0]} keys, sha256 {comp[1].hexdigest()[:24]}\n")
    for s in db.spellings():
        f.write(f"spelling {show_bytes(s.term)} freq={s.termfreq}\n")
    for k in db.synonym_keys():
        syns = [show_bytes(s) for s in db.synonyms(k)]
        f.write(f"synonym {show_bytes(k)} = {' '.join(syns)}\n")


def write_terms(f, db):
    for t in db.allterms():
        f.write(f"{show_bytes(t.term)} tf={t.termfreq} cf={db.get_collection_freq(t.term)}\n")


def write_index(a, norm, path):
    db = xapian.Database(a.db)
    with open(path, "w", encoding="utf-8") as f:
        write_index_header(f, db, norm)
        f.write("\n# every document, ordered by its Q term\n")
        for qt, docid in docs_by_id(db):
            f.write(f"\n=== doc {show_bytes(qt)}\n")
            for line in doc_lines(db, docid, norm):
                f.write(line + "\n")
        f.write("\n# every term: termfreq, collection frequency\n")
        write_terms(f, db)
    return db


def write_index_summary(a, norm, outdir):
    db = xapian.Database(a.db)
    with open(os.path.join(outdir, "index-docs.txt"), "w", encoding="utf-8") as f:
        write_index_header(f, db, norm, summary=True)
        f.write("\n# per document (ordered by its Q term): sha256 of its full dump"
                " (data, values, terms, wdf, positions), sizes\n")
        for qt, docid in docs_by_id(db):
            lines = doc_lines(db, docid, norm)
            h = hashlib.sha256("\n".join(lines).encode()).hexdigest()[:24]
            nterms = sum(1 for x in lines if x.startswith("term "))
            f.write(f"{show_bytes(qt)} {h} terms={nterms} {lines[-nterms - 1] if nterms else ''}\n")
    with open(os.path.join(outdir, "index-terms.txt"), "w", encoding="utf-8") as f:
        write_terms(f, db)


# --- driver ---------------------------------------------------------------------
def ids_of(db):
    return [t.term[1:].decode("utf-8", "surrogateescape") for t in db.allterms(b"Q")]


def generate(a, outdir):
    tmp = None
    if not a.db_given:
        # one thread: documents get their docids in path order. With several
        # threads the order varies from run to run, and so does the order of
        # hits with equal scores (Xapian breaks ties by docid).
        tmp = tempfile.mkdtemp(prefix="accord-snapshot-")
        a.db = os.path.join(tmp, "index.db")
        t = time.time()
        p = subprocess.run([a.indexer, "--quiet", "--threads", "1", "--index", a.db,
                            os.path.abspath(a.corpus)], capture_output=True, text=True)
        if p.returncode != 0:
            raise Fail("accord-index failed: " + p.stderr)
        a.timings.append(f"index {time.time() - t:.1f}s")
    norm = Norm(a.corpus, a.db)

    def step(name, fn, *args):
        t = time.time()
        fn(*args)
        a.timings.append(f"{name} {time.time() - t:.1f}s")

    try:
        os.makedirs(outdir, exist_ok=True)
        r = Runner(a, norm, outdir)
        ids = ids_of(xapian.Database(a.db))
        similar = [i for i in ("fr-accord-paris-climat", "de-klimaschutzvertrag-stadt",
                               "zh-yangtze-ecological-protection") if i in ids]
        similar = similar or ids[:: max(1, len(ids) // 3)][:3]
        queries = [("queries.txt", x) for x in read_lines(a.queries)]
        out = lambda name: os.path.join(outdir, name)  # noqa: E731
        if a.profile == "sample":
            step("golden", write_golden, r, out("golden.txt"))
            step("queries", write_queries, r, out("queries.txt"), queries)
            step("options", write_options, r, out("options.txt"))
            step("http", write_http, a, norm, out("http.txt"), ids, similar)
            step("index dump", write_index, a, norm, out("index.txt"))
        else:
            if a.eval_queries and os.path.exists(a.eval_queries):
                with open(a.eval_queries, encoding="utf-8") as f:
                    for line in f:
                        parts = line.rstrip("\n").split("\t")
                        if len(parts) >= 2 and parts[0] != "qid":
                            queries.append((parts[0], parts[1]))
            step("queries", write_queries, r, out("queries.txt"), queries)
            step("http", write_http, a, norm, out("http.txt"), ids if a.docs else [], similar)
            step("index dump", write_index_summary, a, norm, outdir)
        sys.stderr.write("snapshot: " + ", ".join(a.timings) + "\n")
    finally:
        if tmp:
            shutil.rmtree(tmp, ignore_errors=True)


def compare(expected, actual, max_lines=120):
    """Unified diff of every differing file (the first max_lines lines); True when equal."""
    names = sorted(set(os.listdir(expected)) | set(os.listdir(actual)))
    names = [n for n in names if n.endswith(".txt") or n.endswith(".xz")]
    equal = True
    shown = 0
    for n in names:
        pe, pa = os.path.join(expected, n), os.path.join(actual, n)
        if not os.path.exists(pe) or not os.path.exists(pa):
            print(f"snapshot: {n} only in {'the regenerated output' if os.path.exists(pa) else expected}")
            equal = False
            continue
        with open(pe, "rb") as f:
            be = f.read()
        with open(pa, "rb") as f:
            ba = f.read()
        if be == ba:
            continue
        equal = False
        le = be.decode("utf-8", "surrogateescape").splitlines(keepends=True)
        la = ba.decode("utf-8", "surrogateescape").splitlines(keepends=True)
        diff = list(difflib.unified_diff(le, la, "expected/" + n, "actual/" + n, n=3))
        print(f"snapshot: {n} differs ({sum(1 for x in diff if x[:1] in '+-' and x[:3] not in ('+++', '---'))}"
              " changed lines)")
        for line in diff[: max(0, max_lines - shown)]:
            sys.stdout.write(line.encode("utf-8", "surrogateescape").decode("utf-8", "replace"))
            if not line.endswith("\n"):
                sys.stdout.write("\n")
        shown += len(diff)
        if shown >= max_lines:
            print("snapshot: (diff cut; run with --keep and diff the folders for the rest)")
    return equal


def parse(argv):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("mode", choices=["write", "check"])
    ap.add_argument("outdir")
    ap.add_argument("--bin", default=os.path.join(SRC, "build"))
    ap.add_argument("--search")
    ap.add_argument("--searchd")
    ap.add_argument("--indexer")
    ap.add_argument("--corpus", default=os.path.join(SRC, "corpus"))
    ap.add_argument("--db")
    ap.add_argument("--profile", choices=["sample", "external"])
    ap.add_argument("--queries", default=os.path.join(SRC, "bench", "load", "queries.txt"))
    ap.add_argument("--suggest", default=os.path.join(SRC, "bench", "load", "suggest.txt"))
    ap.add_argument("--eval-queries", default=os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "..", "shared", "eval", "public-queries.tsv"))
    ap.add_argument("--docs", action="store_true")
    ap.add_argument("--keep", action="store_true")
    a = ap.parse_args(argv)
    a.search = a.search or os.path.join(a.bin, "bin", "accord-search")
    a.searchd = a.searchd or os.path.join(a.bin, "bin", "accord-searchd")
    a.indexer = a.indexer or os.path.join(a.bin, "bin", "accord-index")
    sample = os.path.realpath(a.corpus) == os.path.realpath(os.path.join(SRC, "corpus"))
    a.profile = a.profile or ("sample" if sample else "external")
    a.db_given = bool(a.db)
    a.timings = []
    a.http_searches = HTTP_SEARCHES
    if a.profile == "external" and a.mode == "write":
        out = os.path.realpath(a.outdir)
        if out == SRC or out.startswith(SRC + os.sep):
            ap.error("external corpus: write the snapshot outside the source tree "
                     "(its text must not be committed)")
    for prog in (a.search, a.searchd) + (() if a.db_given else (a.indexer,)):
        if not os.access(prog, os.X_OK):
            ap.error(f"not an executable: {prog}")
    return a


def main(argv):
    a = parse(argv)
    try:
        if a.mode == "write":
            t = time.time()
            generate(a, a.outdir)
            sys.stderr.write(f"snapshot: wrote {a.outdir} in {time.time() - t:.1f}s\n")
            return 0
        tmp = tempfile.mkdtemp(prefix="accord-snapshot-check-")
        try:
            generate(a, tmp)
            if compare(a.outdir, tmp):
                print(f"snapshot: identical to {a.outdir}")
                return 0
            return 1
        finally:
            if a.keep:
                print(f"snapshot: regenerated output kept in {tmp}")
            else:
                shutil.rmtree(tmp, ignore_errors=True)
    except Fail as e:
        sys.stderr.write(f"snapshot: {e}\n")
        return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
