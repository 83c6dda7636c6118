#!/usr/bin/env bash
# accord-index against its contract: formats (.txt .md .html/.htm .pdf .jsonl, .gz/.xz),
# document ids, metadata sources and their precedence, dates, repaired and skipped
# files, --json summary, incremental runs, the writer lock, kill -9 safety with
# batched commits, topic tagging, and the seed press release.
#
# usage: test_indexer.sh ACCORD_INDEX ACCORD_SEARCH
# Output is TAP (ok N - ... / not ok N - ..., diagnostics as '#' lines); exit 1 if any failed.
# Needs bash, python3, gzip, xz, timeout, xapian-check and xapian-delve (Debian: xapian-tools).
# No network. Everything is written under one mktemp -d folder, removed at exit.
set -u

if [ $# -ne 2 ]; then
    echo "usage: $0 ACCORD_INDEX ACCORD_SEARCH" >&2
    exit 2
fi
IDX=$1
SEARCH=$2
here=$(cd "$(dirname "$0")" && pwd)
fx=$here/fixtures
seed=$(cd "$(dirname "$0")/../../.." && pwd)/shared/corpus/seed

for tool in python3 gzip xz timeout xapian-check xapian-delve; do
    if ! command -v "$tool" >/dev/null 2>&1; then
        echo "Bail out! '$tool' is not installed (xapian-check/xapian-delve: Debian package xapian-tools)"
        exit 1
    fi
done
for prog in "$IDX" "$SEARCH"; do
    if [ ! -x "$prog" ]; then
        echo "Bail out! '$prog' is not an executable"
        exit 1
    fi
done

# The default vocabulary must come from the contract's rule, not from the environment.
unset ACCORD_TOPICS

tmp=$(mktemp -d "${TMPDIR:-/tmp}/accord-indexer-test.XXXXXX")
bg_pids=()
cleanup() {
    local p
    for p in "${bg_pids[@]}"; do
        kill -9 "$p" 2>/dev/null
        wait "$p" 2>/dev/null
    done
    rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 1' INT TERM

# ---------------------------------------------------------------- TAP helpers
n=0
failed=0
ok() {
    n=$((n + 1))
    echo "ok $n - $1"
}
bad() { # description, then diagnostic text (any number of lines)
    local d=$1
    shift
    n=$((n + 1))
    failed=$((failed + 1))
    echo "not ok $n - $d"
    if [ $# -gt 0 ] && [ -n "$*" ]; then
        printf '%s\n' "$*" | head -n 25 | sed 's/^/#   /'
    fi
}
# check DESCRIPTION COMMAND...: the command passes or prints why it failed
check() {
    local d=$1 out
    shift
    if out=$("$@" 2>&1); then ok "$d"; else bad "$d" "$out"; fi
}
section() { echo "# --- $* (at ${SECONDS} s)"; }

# ---------------------------------------------------------------- running the indexer
# run NAME ARGS...: runs accord-index (time-limited); $tmp/NAME.out/.err/.rc hold stdout,
# stderr and the exit status.
run() {
    local name=$1 rc
    shift
    timeout 120 "$IDX" "$@" >"$tmp/$name.out" 2>"$tmp/$name.err"
    rc=$?
    echo "$rc" >"$tmp/$name.rc"
    if [ "$rc" -eq 124 ]; then
        echo "accord-index did not finish within 120 s" >>"$tmp/$name.err"
    fi
}
# a_exit NAME WANT: the run NAME exited with WANT
a_exit() {
    local rc
    rc=$(cat "$tmp/$1.rc")
    if [ "$rc" != "$2" ]; then
        echo "accord-index exited $rc, want $2; its stderr:"
        head -n 12 "$tmp/$1.err"
        return 1
    fi
}
# a_err_matches NAME ERE [ERE...]: some line of NAME's stderr matches all the (case-insensitive) EREs
a_err_matches() {
    local name=$1 lines
    shift
    lines=$(cat "$tmp/$name.err")
    local re
    for re in "$@"; do
        lines=$(grep -Ei -- "$re" <<<"$lines")
    done
    if [ -z "$lines" ]; then
        echo "no line of stderr matches all of: $*; stderr:"
        head -n 12 "$tmp/$name.err"
        return 1
    fi
}
# a_json NAME PYTHON_EXPR: stdout of the --json run NAME is exactly one JSON object and the
# expression (Python; d = that object, skipped(d, suffix) = reason of a skipped path) is true
py_json='
import json, sys
path, expr = sys.argv[1], sys.argv[2]
text = open(path, encoding="utf-8", errors="replace").read()
try:
    d = json.loads(text)
except ValueError as e:
    print("stdout of --json is not one JSON object (%s); stdout starts: %r" % (e, text[:300]))
    sys.exit(1)
if not isinstance(d, dict):
    print("stdout of --json is JSON but not an object: %r" % text[:300])
    sys.exit(1)
def skipped(d, suffix):
    for f in d.get("skipped_files") or []:
        if isinstance(f, dict) and str(f.get("path", "")).endswith(suffix):
            return f.get("reason") or "(empty reason)"
    return None
try:
    r = eval("(" + expr + "\n)", {"d": d, "skipped": skipped})
except Exception as e:
    r, why = False, "raised %r" % e
else:
    why = "is false"
if not r:
    brief = {k: v for k, v in d.items() if k != "skipped_files"}
    print("%s %s" % (" ".join(expr.split()), why))
    print("summary: %s" % json.dumps(brief, ensure_ascii=False)[:900])
    print("skipped_files: %s" % json.dumps(d.get("skipped_files"), ensure_ascii=False)[:900])
    sys.exit(1)
'
a_json() { python3 -c "$py_json" "$tmp/$1.out" "$2"; }

# ---------------------------------------------------------------- reading the index
# hit DB ID FIELD QUERY...: sets $val to FIELD of the hit with id ID (FIELD "-": just found);
# otherwise sets $why and returns 1. Searches with accord-search --json --limit 100.
py_hit='
import json, sys
id, field = sys.argv[1], sys.argv[2]
try:
    d = json.loads(sys.stdin.read())
except ValueError as e:
    print("accord-search output is not JSON (%s)" % e)
    sys.exit(1)
hits = d.get("hits") or []
for h in hits:
    if h.get("id") == id:
        v = "" if field == "-" else h.get(field, "<no field %s>" % field)
        print(v if isinstance(v, str) else json.dumps(v))
        sys.exit(0)
print("no hit with id %r (total %s; ids: %s)" % (id, d.get("total"), [h.get("id") for h in hits][:10]))
sys.exit(1)
'
hit() {
    local db=$1 id=$2 field=$3 out rc
    shift 3
    out=$("$SEARCH" --index "$db" --json --limit 100 "$@" 2>"$tmp/search.err")
    rc=$?
    if val=$(python3 -c "$py_hit" "$id" "$field" <<<"$out"); then
        return 0
    fi
    why="query [$*] (accord-search exit $rc): $val $(head -c 300 "$tmp/search.err")"
    return 1
}
# a_found DB ID QUERY...: the query finds document ID
a_found() {
    local db=$1 id=$2
    shift 2
    hit "$db" "$id" - "$@" || {
        echo "$why"
        return 1
    }
}
# a_field DB ID FIELD WANT QUERY...: the hit ID of the query has FIELD == WANT
a_field() {
    local db=$1 id=$2 field=$3 want=$4
    shift 4
    hit "$db" "$id" "$field" "$@" || {
        echo "$why"
        return 1
    }
    if [ "$val" != "$want" ]; then
        echo "\"$field\" of '$id' is '$val', want '$want'"
        return 1
    fi
}
# a_snippet DB ID has|lacks TEXT QUERY...: the snippet of hit ID contains / does not contain TEXT
a_snippet() {
    local db=$1 id=$2 mode=$3 text=$4
    shift 4
    hit "$db" "$id" snippet "$@" || {
        echo "$why"
        return 1
    }
    case "$mode" in
    has) [[ "$val" == *"$text"* ]] || {
        echo "snippet of '$id' lacks '$text': $val"
        return 1
    } ;;
    lacks) [[ "$val" != *"$text"* ]] || {
        echo "snippet of '$id' contains '$text': $val"
        return 1
    } ;;
    esac
}
# a_none DB QUERY...: the query finds nothing (accord-search exit 1)
a_none() {
    local db=$1 out rc
    shift
    out=$("$SEARCH" --index "$db" --json --limit 100 "$@" 2>&1)
    rc=$?
    if [ "$rc" -ne 1 ]; then
        echo "query [$*] should find nothing: accord-search exit $rc; output: $(head -c 400 <<<"$out")"
        return 1
    fi
}
# a_excluded DB ID BODYWORD WORD: document ID is found by BODYWORD but nothing is found by WORD
# (so an exclusion is only counted as passed when the document really was indexed)
a_excluded() {
    local db=$1 id=$2 body=$3 word=$4
    hit "$db" "$id" - "$body" || {
        echo "cannot check: the document itself is not indexed: $why"
        return 1
    }
    a_none "$db" "$word"
}
docid_of() { xapian-delve "$1" -t "Q$2" -1 2>/dev/null | sed -n 2p; }
doc_count() { xapian-delve "$1" 2>/dev/null | sed -n 's/^number of documents = //p'; }
# ids_of DB: the document ids in the index (Q terms), sorted, one per line
ids_of() { xapian-delve "$1" -A Q -1 2>/dev/null | sed -n 's/^Q//p' | LC_ALL=C sort; }
# a_doc DB ID / a_nodoc DB ID: a document with that id exists / does not exist
a_doc() {
    [ -n "$(docid_of "$1" "$2")" ] || {
        echo "no document with id '$2' (term Q$2) in the index; ids: $(ids_of "$1" | head -n 30 | tr '\n' ' ')"
        return 1
    }
}
a_nodoc() {
    [ -n "$(doc_count "$1")" ] || {
        echo "cannot check: no index at '$1'"
        return 1
    }
    [ -z "$(docid_of "$1" "$2")" ] || {
        echo "document '$2' is in the index but should not be"
        return 1
    }
}
# a_nodoc_given DB ID GIVEN: GIVEN is in the index (so the format is indexed at all) and ID is not
a_nodoc_given() {
    a_doc "$1" "$3" >/dev/null || {
        echo "cannot check: '$3' (same format) is not indexed either"
        return 1
    }
    a_nodoc "$1" "$2"
}
# a_count DB N: xapian-delve counts N documents
a_count() {
    local got
    got=$(doc_count "$1")
    [ "$got" = "$2" ] || {
        echo "xapian-delve counts '${got:-no index}' documents, want $2"
        return 1
    }
}
# a_ids DB ID...: the index holds exactly these document ids
a_ids() {
    local db=$1 got want
    shift
    got=$(ids_of "$db")
    want=$(printf '%s\n' "$@" | LC_ALL=C sort)
    if [ "$got" != "$want" ]; then
        echo "missing: $(comm -13 <(echo "$got") <(echo "$want") | tr '\n' ' ')"
        echo "unexpected: $(comm -23 <(echo "$got") <(echo "$want") | tr '\n' ' ')"
        return 1
    fi
}
# a_term DB ID TERM [TERM...]: document ID has at least one of the TERMs (e.g. XOwater, XLen, XPparis)
# a_noterm DB ID TERM: document ID exists and lacks TERM
terms_of() {
    local d
    d=$(docid_of "$1" "$2")
    [ -n "$d" ] && xapian-delve "$1" -r "$d" -1 2>/dev/null | tail -n +2
}
a_term() {
    local db=$1 id=$2 terms t
    shift 2
    terms=$(terms_of "$db" "$id") || {
        echo "no document with id '$id' in the index"
        return 1
    }
    for t in "$@"; do
        grep -qxF -- "$t" <<<"$terms" && return 0
    done
    echo "document '$id' has none of: $*; its filter terms: $(grep -E '^(X|Q)' <<<"$terms" | tr '\n' ' ')"
    return 1
}
a_noterm() {
    local db=$1 id=$2 t=$3 terms
    terms=$(terms_of "$db" "$id") || {
        echo "no document with id '$id' in the index"
        return 1
    }
    if grep -qxF -- "$t" <<<"$terms"; then
        echo "document '$id' has term $t; its filter terms: $(grep -E '^X' <<<"$terms" | tr '\n' ' ')"
        return 1
    fi
}
# a_record DB ID KEY WANT: the stored record (lib/record.h: value slot 17 since index version
# 10, the document data before; JSON before version 9) of ID has KEY == WANT
a_record() {
    local db=$1 id=$2 key=$3 want=$4 d got
    d=$(docid_of "$db" "$id")
    [ -n "$d" ] || {
        echo "no document with id '$id' in the index"
        return 1
    }
    got=$(python3 -c '
import json, sys
sys.path.insert(0, sys.argv[2])
sys.path.append("/usr/lib/python3/dist-packages")  # python3-xapian when python3 is another build
import accord_record, xapian
doc = xapian.Database(sys.argv[3]).get_document(int(sys.argv[4]))
raw = doc.get_value(17) or doc.get_data()
try:
    v = accord_record.decode(raw).get(sys.argv[1], "<no key>")
except ValueError as e:
    v = "<not a record: %s>" % e
print(v if isinstance(v, str) else json.dumps(v))' "$key" "$here/../snapshot" "$db" "$d")
    [ "$got" = "$want" ] || {
        echo "record \"$key\" of '$id' is '$got', want '$want'"
        return 1
    }
}
a_test() { # a_test EXPR-ARGS... with a message: like test(1), prints the expression when false
    test "$@" || {
        echo "false: test $*"
        return 1
    }
}

# ================================================================ the fixture corpus
# Fixed files come from fixtures/corpus; invalid UTF-8, binary, PDF and compressed files are made here.
c=$tmp/corpus
cp -a "$fx/corpus" "$c"
printf 'Repaired Title\nThis line has utfbadword \xff\xfe bytes in it, and the text goes on after them.\n' \
    >"$c/invalid-utf8.txt"
python3 -c '
import random, sys
r = random.Random(42)
sys.stdout.buffer.write(b"\x00\x01\x02\x03\x89PNG\x00\x00" + bytes(r.randrange(256) for _ in range(4096)) + b"\x00" * 64)
' >"$c/binary.txt"
python3 "$here/make_pdf.py" "$c/report.pdf"
python3 "$here/make_pdf.py" "$c/encrypted.pdf" --encrypted
mkdir -p "$c/compressed"
gzip -c "$fx/src/zipped.txt" >"$c/compressed/zipped.txt.gz"
gzip -c "$fx/src/mdgz.md" >"$c/compressed/mdgz.md.gz"
xz -c "$fx/src/xzrecords.jsonl" >"$c/xzrecords.jsonl.xz"

expected_ids=(derived plain page old notes rec-one rec-two rec-three topical sub/deep/nested
    prec/side prec/front prec/manhtml prec/htmllang prec/withside dates/baddate invalid-utf8 report
    compressed/zipped compressed/mdgz xzrec-one xzrec-two)
ndocs=${#expected_ids[@]}

section "fixture corpus, indexed once"
db=$tmp/db
run main --index "$db" "$c"
check "fixture corpus: exit 0 (skipped files are not errors)" a_exit main 0
check "fixture corpus: exactly the expected $ndocs document ids (ignored, hidden, empty, binary, broken, unknown-format files and metadata files are not documents)" \
    a_ids "$db" "${expected_ids[@]}"

section ".txt, ids, derived metadata, hidden files, .accordignore"
check "txt: body word found" a_found "$db" derived derivedbodyword
check "txt without metadata: title is the first line" a_field "$db" derived title "Derived Title From First Line" derivedbodyword
check "txt without metadata: language detected (en)" a_field "$db" derived lang en derivedbodyword
check "id of a nested file is its path without extension (sub/deep/nested)" a_found "$db" sub/deep/nested nestedword
check "hidden file not indexed" a_none "$db" hiddenfileword
check "file in a hidden folder not indexed" a_none "$db" hiddendirword
check ".accordignore: drafts/* not indexed" a_none "$db" ignoreddraftword
check ".accordignore: ignored-*.txt not indexed" a_none "$db" ignorednoteword
check ".accordignore: a commented-out pattern is not a pattern (derived.txt is indexed)" a_doc "$db" derived

section ".html / .htm"
check "html: body word found (id page)" a_found "$db" page htmlbodyword
check "html: title from <title>" a_field "$db" page title "Charte verte de la ville de Lyon" htmlbodyword
check "html: language from <html lang=\"fr\">" a_field "$db" page lang fr htmlbodyword
for w in navmenuword scriptword stylewordclass stylecommentword headerword footerword asideword; do
    check "html: '$w' (nav/script/style/header/footer/aside) not searchable" a_excluded "$db" page htmlbodyword "$w"
done
check "html: entity decoded (entit&eacute;word -> entitéword in the snippet)" \
    a_snippet "$db" page has "entitéword" "entitéword"
check "html: no raw entity name indexed ('eacute')" a_excluded "$db" page htmlbodyword eacute
check "htm: body word found (id old)" a_found "$db" old htmword
check "htm: title from <title>" a_field "$db" old title "Old Style Htm Page" htmword

section ".md"
check "md: bold word found (id notes)" a_found "$db" notes mdboldword
check "md: heading word found" a_found "$db" notes mdheadingword
check "md: link text found" a_found "$db" notes mdlinkword
check "md: list item and emphasis found" a_found "$db" notes mdlistword mdemphword
check "md: code block text found" a_found "$db" notes mdcodeword
check "md: link URL not searchable (hiddenurlword)" a_excluded "$db" notes mdboldword hiddenurlword
check "md: link URL not searchable (\"hidden-url-word\")" a_excluded "$db" notes mdboldword '"hidden-url-word"'
check "md: front matter is not text (frontmatteronlyword)" a_excluded "$db" notes mdboldword frontmatteronlyword
check "md: no ** in the snippet" a_snippet "$db" notes lacks "**" mdboldword
check "md: no # in the snippet" a_snippet "$db" notes lacks "#" mdheadingword
check "md: no ]( in the snippet" a_snippet "$db" notes lacks "](" mdlinkword
check "md: no \`\`\` in the snippet" a_snippet "$db" notes lacks '```' mdcodeword
check "md front matter: title" a_field "$db" notes title "Front Matter Charter Title" mdboldword
check "md front matter: language" a_field "$db" notes lang en mdboldword
check "md front matter: date" a_field "$db" notes date 2019-11-05 mdboldword
check "md front matter: doc_type" a_field "$db" notes type charter mdboldword
check "md front matter: parties [Utrecht, Ghent] (XPutrecht)" a_term "$db" notes XPutrecht
check "md front matter: parties [Utrecht, Ghent] (XPghent)" a_term "$db" notes XPghent
check "md front matter: topics [oceans] (XOoceans)" a_term "$db" notes XOoceans
check "md front matter: url" a_record "$db" notes url "https://example.org/notes"

section ".jsonl"
check "jsonl: record 1 found by its id (rec-one)" a_found "$db" rec-one jsonlwordone
check "jsonl: record 2 found (rec-two)" a_found "$db" rec-two jsonlwordtwo
check "jsonl: record after the broken line found (rec-three)" a_found "$db" rec-three jsonlwordthree
check "jsonl: broken line not indexed" a_excluded "$db" rec-one jsonlwordone jsonlbrokenword
check "jsonl: broken line reported on stderr with its file and line number (3)" \
    a_err_matches main 'records\.jsonl' '(line[ :#]*3([^0-9]|$)|:3([^0-9]|$))'
check "jsonl: title" a_field "$db" rec-one title "Record One Title" jsonlwordone
check "jsonl: language" a_field "$db" rec-two lang fr jsonlwordtwo
check "jsonl: doc_type" a_field "$db" rec-one type resolution jsonlwordone
check "jsonl: parties (XPvienna)" a_term "$db" rec-one XPvienna
check "jsonl: topics (XOwater)" a_term "$db" rec-one XOwater
check "jsonl: url" a_record "$db" rec-one url "https://example.org/rec-one"

section "dates"
check "date: ISO timestamp cut to the date (2020-02-03T10:15:00Z)" a_field "$db" rec-one date 2020-02-03 jsonlwordone
check "date: YYYY-MM kept" a_field "$db" rec-two date 2018-07 jsonlwordtwo
check "date: YYYY kept" a_field "$db" rec-three date 2016 jsonlwordthree
check "date: timestamp with offset cut to the date (sidecar 2021-06-30T08:00:00+02:00)" \
    a_field "$db" prec/withside date 2021-06-30 withsideword
check "date: invalid date dropped, document still indexed" a_field "$db" dates/baddate date "" baddateword
check "date: invalid date is a warning on stderr" a_err_matches main 'date' '(baddate|31/12/2019)'

section ".pdf (generated by make_pdf.py)"
check "pdf: body word found (id report)" a_found "$db" report pdfbodyword
check "pdf: WinAnsi accented word decoded (écopdfword in the snippet)" a_snippet "$db" report has "écopdfword" écopdfword
check "pdf: title from /Info /Title" a_field "$db" report title "Minimal Test Report PDF" pdfbodyword
check "pdf: date from /CreationDate (D:20190514...)" a_field "$db" report date 2019-05-14 pdfbodyword
check "pdf: broken PDF not indexed" a_nodoc_given "$db" broken report
check "pdf: encrypted PDF not indexed" a_nodoc_given "$db" encrypted report

section "compressed .gz / .xz"
check "txt.gz: found with id compressed/zipped" a_found "$db" compressed/zipped gzbodyword
check "txt.gz: title is its first line" a_field "$db" compressed/zipped title "Zipped Text Title" gzbodyword
check "md.gz: front matter title" a_field "$db" compressed/mdgz title "Compressed Markdown Title" mdgzword
check "md.gz: rendered (no ** in the snippet)" a_snippet "$db" compressed/mdgz lacks "**" mdgzword
check "jsonl.xz: record 1 found by its id" a_found "$db" xzrec-one xzwordone
check "jsonl.xz: record 2 found by its id" a_found "$db" xzrec-two xzwordtwo

section "metadata sources and precedence"
check "manifest: title (beats the first line)" a_field "$db" plain title "Manifest Plain Title" plainbodyword
check "manifest: language (nl, beats detection of the English text)" a_field "$db" plain lang nl plainbodyword
check "manifest: date" a_field "$db" plain date 2015-12-12 plainbodyword
check "manifest: doc_type" a_field "$db" plain type treaty plainbodyword
check "manifest: parties (XPparis)" a_term "$db" plain XPparis
check "manifest: parties (XProtterdam)" a_term "$db" plain XProtterdam
check "manifest: topics (XOclimate-finance)" a_term "$db" plain XOclimate-finance
check "manifest: url" a_record "$db" plain url "https://example.org/plain"
check "sidecar beats manifest: title" a_field "$db" prec/side title "Sidecar Title Wins" sidebodyword
check "sidecar beats manifest: language" a_field "$db" prec/side lang de sidebodyword
check "per field: doc_type the sidecar lacks comes from the manifest" a_field "$db" prec/side type treaty sidebodyword
check "front matter beats manifest: title" a_field "$db" prec/front title "Front Matter Beats Manifest" frontbodyword
check "per field: language the front matter lacks comes from the manifest (es)" a_field "$db" prec/front lang es frontbodyword
check "front matter: parties as a comma list (XPporto)" a_term "$db" prec/front XPporto
check "front matter: parties as a comma list (XPbremen)" a_term "$db" prec/front XPbremen
check "manifest beats HTML <title>" a_field "$db" prec/manhtml title "Manifest Beats Html" manhtmlword
check "manifest beats HTML lang" a_field "$db" prec/manhtml lang nl manhtmlword
check "HTML lang beats language detection (it on English text)" a_field "$db" prec/htmllang lang it htmllangword
check "HTML <title> beats the first line" a_field "$db" prec/htmllang title "Html Lang Title" htmllangword
check "sidecar (a.html.json) beats HTML <title>" a_field "$db" prec/withside title "Sidecar Over Html Title" withsideword
check "sidecar: doc_type" a_field "$db" prec/withside type policy withsideword
check "sidecar: parties (XPgeneva)" a_term "$db" prec/withside XPgeneva
check "sidecar: topics (XOwater)" a_term "$db" prec/withside XOwater
check "sidecar: url" a_record "$db" prec/withside url "https://example.org/withside"
check "HTML lang used when the sidecar has none (en)" a_field "$db" prec/withside lang en withsideword

section "invalid UTF-8"
check "invalid UTF-8: document indexed and found" a_found "$db" invalid-utf8 utfbadword
check "invalid UTF-8: bytes replaced by U+FFFD" a_snippet "$db" invalid-utf8 has $'\xef\xbf\xbd' utfbadword

section "--json summary (fresh index)"
dbj=$tmp/db-json
run json1 --json --index "$dbj" "$c"
check "--json: exit 0" a_exit json1 0
check "--json: one object with every documented key and type" a_json json1 '
all(isinstance(d.get(k), int) and not isinstance(d.get(k), bool)
    for k in ("added", "updated", "deleted", "unchanged", "skipped", "repaired", "bytes", "documents"))
and isinstance(d.get("seconds"), (int, float)) and d["seconds"] >= 0
and isinstance(d.get("languages"), dict) and isinstance(d.get("topics"), dict)
and isinstance(d.get("skipped_files"), list)
and all(isinstance(f, dict) and isinstance(f.get("path"), str) and isinstance(f.get("reason"), str)
        for f in d["skipped_files"])'
check "--json: added = $ndocs, updated = deleted = unchanged = 0" \
    a_json json1 "d['added'] == $ndocs and d['updated'] == 0 and d['deleted'] == 0 and d['unchanged'] == 0"
check "--json: documents = $ndocs (total in the index)" a_json json1 "d['documents'] == $ndocs"
check "--json: documents matches xapian-delve" a_count "$dbj" "$ndocs"
check "--json: bytes > 0" a_json json1 "d['bytes'] > 0"
check "--json: repaired >= 1 (invalid-utf8.txt)" a_json json1 "d['repaired'] >= 1"
check "--json: unknown extension (unknown.csv) skipped with a reason" a_json json1 "skipped(d, 'unknown.csv')"
check "--json: empty file skipped with a reason" a_json json1 "skipped(d, 'empty.txt')"
check "--json: binary .txt skipped with a reason" a_json json1 "skipped(d, 'binary.txt')"
check "--json: broken PDF skipped with a reason" a_json json1 "skipped(d, 'broken.pdf')"
check "--json: encrypted PDF skipped with a reason" a_json json1 "skipped(d, 'encrypted.pdf')"
check "--json: skipped counts them (>= 5)" a_json json1 "d['skipped'] >= 5"
check "--json: languages count the added documents" \
    a_json json1 "sum(d['languages'].values()) == d['added'] + d['updated'] and d['languages'].get('fr', 0) >= 2 and d['languages'].get('en', 0) >= 5"
check "--json: topics count metadata topics (water 2, oceans 1, climate-finance 1)" \
    a_json json1 "d['topics'].get('water') == 2 and d['topics'].get('oceans') == 1 and d['topics'].get('climate-finance') == 1"
check "--json: topics count vocabulary topics (climate-mitigation, from topical.txt)" \
    a_json json1 "d['topics'].get('climate-mitigation', 0) >= 1"

section "incremental: unchanged input"
run json2 --json --index "$dbj" "$c"
check "second run: exit 0" a_exit json2 0
check "second run: all unchanged (added = updated = deleted = 0, unchanged = $ndocs)" \
    a_json json2 "d['added'] == 0 and d['updated'] == 0 and d['deleted'] == 0 and d['unchanged'] == $ndocs"
check "second run: documents = $ndocs" a_json json2 "d['documents'] == $ndocs"
check "second run: languages and topics empty (nothing added or updated)" \
    a_json json2 "d['languages'] == {} and d['topics'] == {}"

section "--threads / --batch"
run threads --threads 2 --batch 3 --index "$tmp/db-threads" "$c"
check "--threads 2 --batch 3: exit 0" a_exit threads 0
check "--threads 2 --batch 3: the same $ndocs documents" a_ids "$tmp/db-threads" "${expected_ids[@]}"
run thread1 --threads 1 --batch 1 --index "$tmp/db-thread1" "$c"
check "--threads 1 --batch 1: the same $ndocs documents" a_ids "$tmp/db-thread1" "${expected_ids[@]}"

section "single files as INPUT"
mkdir -p "$tmp/single"
gzip -c "$fx/src/zipped.txt" >"$tmp/single/zipped.txt.gz"
run single --index "$tmp/db-single" "$fx/single/memo.txt" "$tmp/single/zipped.txt.gz" "$fx/single/batch.jsonl"
check "single files: exit 0" a_exit single 0
check "single files: ids are file names without extension(s), jsonl record ids" \
    a_ids "$tmp/db-single" memo zipped srec-1 srec-2
check "single .txt: found" a_found "$tmp/db-single" memo singlememoword
check "single .jsonl: records found" a_found "$tmp/db-single" srec-2 singlerecwordtwo

section "unknown extensions, repaired and skipped files (isolated corpora)"
mkdir -p "$tmp/unk"
printf 'Kept text\nunkkeptword in a text file.\n' >"$tmp/unk/a.txt"
printf 'x,y\n1,2\n' >"$tmp/unk/b.csv"
printf 'not an office document\n' >"$tmp/unk/c.odt"
run unk --json --index "$tmp/db-unk" "$tmp/unk"
check "unknown extensions: exit 0" a_exit unk 0
check "unknown extensions: added 1" a_json unk "d['added'] == 1"
check "unknown extensions: counted in skipped (2)" a_json unk "d['skipped'] == 2"
check "unknown extensions: listed in skipped_files with a reason" \
    a_json unk "bool(skipped(d, 'b.csv')) and bool(skipped(d, 'c.odt'))"
check "unknown extensions: only a.txt indexed" a_ids "$tmp/db-unk" a

mkdir -p "$tmp/rep"
printf 'Good text\nrepgoodword here.\n' >"$tmp/rep/good.txt"
cp "$c/invalid-utf8.txt" "$c/empty.txt" "$c/binary.txt" "$c/broken.pdf" "$tmp/rep/"
run rep --json --index "$tmp/db-rep" "$tmp/rep"
check "repaired/skipped: exit 0" a_exit rep 0
check "repaired/skipped: added 2, repaired 1, skipped 3 (empty, binary, broken PDF)" \
    a_json rep "d['added'] == 2 and d['repaired'] == 1 and d['skipped'] == 3"
check "repaired/skipped: each skipped file has a reason" \
    a_json rep "all(skipped(d, f) for f in ('empty.txt', 'binary.txt', 'broken.pdf'))"
check "repaired/skipped: good and repaired files indexed" a_ids "$tmp/db-rep" good invalid-utf8

section "topics"
mkdir -p "$tmp/top"
cp "$c/topical.txt" "$tmp/top/"
printf 'Widget inspection report\nThe zorblax and the quindle were inspected; the frobnicator and one glimmerwheel passed. More zorblax parts arrive next week with widgetsword.\n' \
    >"$tmp/top/widgets.txt"
run top1 --index "$tmp/db-top1" "$tmp/top"
check "default vocabulary (corpus/topics.tsv): topical.txt gets climate-mitigation" \
    a_term "$tmp/db-top1" topical XOclimate-mitigation
run top2 --no-topics --index "$tmp/db-top2" "$tmp/top"
check "--no-topics: exit 0" a_exit top2 0
check "--no-topics: no vocabulary topic (no XOclimate-mitigation)" a_noterm "$tmp/db-top2" topical XOclimate-mitigation
run top3 --topics "$fx/custom-topics.tsv" --index "$tmp/db-top3" "$tmp/top"
check "--topics FILE: exit 0" a_exit top3 0
check "--topics FILE: its topic is given (XOcustom-widgets)" a_term "$tmp/db-top3" widgets XOcustom-widgets
check "--topics FILE: replaces the default vocabulary (no XOclimate-mitigation)" \
    a_noterm "$tmp/db-top3" topical XOclimate-mitigation

section "exit status and options"
: >"$tmp/regular-file"
run u1 "$c"
check "no --index: exit 2" a_exit u1 2
run u2 --index "$tmp/db-u"
check "no INPUT: exit 2" a_exit u2 2
run u3 --index "$tmp/db-u" --no-such-option "$c"
check "unknown option: exit 2" a_exit u3 2
run u4 --index "$tmp/db-u" --threads notanumber "$c"
check "--threads notanumber: exit 2" a_exit u4 2
check "--threads notanumber: the message names the option, the value and the range" \
    a_err_matches u4 "invalid --threads 'notanumber': expected 1-64"
run u8 --index "$tmp/db-u" -xq "$c"
check "-xq (unknown letter first): exit 2" a_exit u8 2
check "-xq: the message quotes the argument as typed" a_err_matches u8 "unknown or incomplete option '-xq'"
run help --help
check "--help: exit 0" a_exit help 0
check "--help: the usage on stdout" grep -q '^usage: accord-index --index DIR' "$tmp/help.out"
check "--help: nothing on stderr" a_test ! -s "$tmp/help.err"
run version --version
check "--version: exit 0" a_exit version 0
check "--version: program and version on stdout" grep -Eq '^accord-index \(accord\) [0-9]' "$tmp/version.out"
run u5 --index "$tmp/db-u" "$tmp/does-not-exist"
check "missing INPUT: exit 2" a_exit u5 2
run u6 --index "$tmp/regular-file/db" "$c"
check "index cannot be created (parent is a file): exit 2" a_exit u6 2
run u7 --index "$tmp/regular-file" "$c"
check "index path is a regular file: exit 2" a_exit u7 2
mkdir -p "$tmp/clean"
cp "$fx/single/memo.txt" "$tmp/clean/"
run quiet --quiet --json --index "$tmp/db-quiet" "$tmp/clean"
check "--quiet: exit 0" a_exit quiet 0
check "--quiet on a clean corpus: nothing on stderr" a_test ! -s "$tmp/quiet.err"
check "--quiet --json: the summary still on stdout" a_json quiet "d['added'] == 1 and d['documents'] == 1"
run verbose --verbose --index "$tmp/db-verbose" "$tmp/clean"
check "--verbose: exit 0" a_exit verbose 0

section "incremental runs"
inc=$tmp/inc
dbi=$tmp/db-inc
mkdir -p "$inc"
printf 'Alpha first line\nincalphaword opens this file.\n' >"$inc/a.txt"
printf 'Beta first line\nincbetaword opens this file.\n' >"$inc/b.txt"
printf -- '---\ntitle: Gamma Markdown\n---\nSome **incgammaword** text.\n' >"$inc/c.md"
printf '{"id": "a", "title": "Inc Title One"}\n' >"$inc/manifest.jsonl"
run inc1 --json --index "$dbi" "$inc"
check "incremental: first run adds 3" a_json inc1 "d['added'] == 3 and d['documents'] == 3"
run inc2 --json --index "$dbi" "$inc"
check "incremental: unchanged input: 3 unchanged, nothing else" \
    a_json inc2 "d['unchanged'] == 3 and d['added'] == 0 and d['updated'] == 0 and d['deleted'] == 0"

printf 'Beta first line\nincbetanewword replaces the old text, which was shorter than this one.\n' >"$inc/b.txt"
touch -d "@$(($(date +%s) + 5))" "$inc/b.txt"
run inc3 --json --index "$dbi" "$inc"
check "incremental: changed file: updated 1, unchanged 2" \
    a_json inc3 "d['updated'] == 1 and d['unchanged'] == 2 and d['added'] == 0 and d['deleted'] == 0"
check "incremental: changed file: new text found" a_found "$dbi" b incbetanewword
check "incremental: changed file: old text gone" a_none "$dbi" incbetaword

printf 'Delta first line\nincdeltaword opens this new file.\n' >"$inc/d.txt"
run inc4 --json --index "$dbi" "$inc"
check "incremental: new file: added 1, unchanged 3" \
    a_json inc4 "d['added'] == 1 and d['unchanged'] == 3 and d['updated'] == 0 and d['deleted'] == 0 and d['documents'] == 4"
check "incremental: new file found" a_found "$dbi" d incdeltaword

check "incremental: c.md indexed (before its removal)" a_found "$dbi" c incgammaword
rm "$inc/c.md"
run inc5 --json --index "$dbi" "$inc"
check "incremental: removed file: deleted 1" \
    a_json inc5 "d['deleted'] == 1 and d['added'] == 0 and d['updated'] == 0 and d['documents'] == 3"
check "incremental: removed file no longer found" a_none "$dbi" incgammaword
check "incremental: removed file's id gone" a_nodoc "$dbi" c

rm "$inc/d.txt"
run inc6 --json --no-delete --index "$dbi" "$inc"
check "--no-delete: deleted 0, documents 3" a_json inc6 "d['deleted'] == 0 and d['documents'] == 3"
check "--no-delete: the removed file's document is still found" a_found "$dbi" d incdeltaword
run inc7 --json --index "$dbi" "$inc"
check "without --no-delete again: deleted 1" a_json inc7 "d['deleted'] == 1 and d['documents'] == 2"

printf '{"id": "a", "title": "Inc Title Two"}\n' >"$inc/manifest.jsonl"
touch -d "@$(($(date +%s) + 10))" "$inc/manifest.jsonl"
run inc8 --json --index "$dbi" "$inc"
check "changed manifest entry: that document updated (updated 1, unchanged 1)" \
    a_json inc8 "d['updated'] == 1 and d['unchanged'] == 1 and d['added'] == 0 and d['deleted'] == 0"
check "changed manifest entry: the new title is returned" a_field "$dbi" a title "Inc Title Two" incalphaword

mkdir -p "$tmp/root1" "$tmp/root2"
printf 'Root one\nrootoneword here.\n' >"$tmp/root1/x1.txt"
printf 'Root two\nroottwoword here.\n' >"$tmp/root2/x2.txt"
run root1 --index "$tmp/db-roots" "$tmp/root1"
run root2 --index "$tmp/db-roots" "$tmp/root2"
check "a run over another corpus root deletes nothing of the first" a_ids "$tmp/db-roots" x1 x2

section "second writer: lock"
big=$tmp/big
python3 - "$big" <<'EOF'
import os, random, sys
root = sys.argv[1]
os.makedirs(root)
r = random.Random(3)
pool = ["".join(r.choice("bcdfghjklmnprstvz") + r.choice("aeiou") for _ in range(r.randint(2, 5)))
        for _ in range(4000)]
block = " ".join(r.choice(pool) for _ in range(2600))[:20000]
for i in range(3000):
    with open(os.path.join(root, "big%04d.txt" % i), "w") as f:
        f.write("Big document %d\nbigword%d %s\n" % (i, i, block))
EOF
dbl=$tmp/db-lock
"$IDX" --quiet --index "$dbl" "$big" >"$tmp/lock1.out" 2>"$tmp/lock1.err" &
p1=$!
bg_pids+=("$p1")
locked=0
for _ in $(seq 300); do # up to 30 s for the first writer to open the index for writing
    if xapian-delve "$dbl" 2>/dev/null | grep -q 'currently open for writing = true'; then
        locked=1
        break
    fi
    kill -0 "$p1" 2>/dev/null || break
    sleep 0.1
done
if [ "$locked" -ne 1 ]; then
    bad "second writer: exit 2" "the first accord-index never held the index open for writing (it exited or took > 30 s); its stderr: $(head -c 400 "$tmp/lock1.err")"
    bad "second writer: message 'locked by another accord-index'" "not run: no first writer"
else
    run lock2 --index "$dbl" "$c"
    still=$(kill -0 "$p1" 2>/dev/null && echo running || echo exited)
    check "second writer: exit 2 (first writer $still)" a_exit lock2 2
    check "second writer: message 'locked by another accord-index'" \
        grep -q "locked by another accord-index" "$tmp/lock2.out" "$tmp/lock2.err"
fi
kill -9 "$p1" 2>/dev/null
wait "$p1" 2>/dev/null
bg_pids=()

section "kill -9 during a run (--batch 50)"
kc=$tmp/killcorpus
nk=2000
python3 - "$kc" "$nk" <<'EOF'
import os, random, sys
root, n = sys.argv[1], int(sys.argv[2])
os.makedirs(root)
r = random.Random(11)
def word():
    return "".join(r.choice("bcdfghjklmnpqrstvwz") + r.choice("aeiou") for _ in range(r.randint(2, 5)))
for i in range(n):
    with open(os.path.join(root, "doc%05d.txt" % i), "w") as f:
        f.write("Generated document %d\nkillword%d %s\n" % (i, i, " ".join(word() for _ in range(150))))
EOF
dbk=$tmp/db-kill
# wait_unlocked DB: until no process holds DB open for writing (at most 5 s)
wait_unlocked() {
    local i
    for i in $(seq 50); do
        xapian-delve "$1" 2>/dev/null | grep -q 'currently open for writing = true' || return 0
        sleep 0.1
    done
}
kills=0
attempts=0
prev=0
maxms=2500
while [ "$kills" -lt 5 ] && [ "$attempts" -lt 12 ]; do
    attempts=$((attempts + 1))
    ms=$((300 + RANDOM % (maxms - 300)))
    "$IDX" --quiet --batch 50 --index "$dbk" "$kc" >/dev/null 2>"$tmp/kill.err" &
    pk=$!
    bg_pids+=("$pk")
    sleep "$(printf '%d.%03d' $((ms / 1000)) $((ms % 1000)))"
    if ! kill -0 "$pk" 2>/dev/null; then
        wait "$pk"
        krc=$?
        bg_pids=()
        if [ "$krc" -ne 0 ]; then
            bad "accord-index --batch 50 runs (to be killed)" "it exited $krc after < ${ms} ms: $(head -n 3 "$tmp/kill.err")"
            break
        fi
        echo "# run $attempts finished before the kill at ${ms} ms; starting again on a fresh index with shorter delays"
        maxms=$((maxms / 2 > 600 ? maxms / 2 : 600))
        rm -rf "$dbk"
        prev=0
        continue
    fi
    kill -9 "$pk"
    wait "$pk" 2>/dev/null
    bg_pids=()
    kills=$((kills + 1))
    wait_unlocked "$dbk"
    desc="kill -9 #$kills at ${ms} ms"
    if [ ! -e "$dbk/iamglass" ] && [ ! -e "$dbk/iamchert" ]; then
        ok "$desc: killed before the index was created (nothing to check)"
        continue
    fi
    xcheck=$(xapian-check "$dbk" 2>&1)
    xrc=$?
    count=$(doc_count "$dbk")
    "$SEARCH" --index "$dbk" --json killword0 >/dev/null 2>"$tmp/kill-search.err"
    src=$?
    if [ "$xrc" -ne 0 ]; then
        bad "$desc: xapian-check passes" "xapian-check exit $xrc: $(tail -n 5 <<<"$xcheck")"
    else
        ok "$desc: xapian-check passes"
    fi
    if [ -z "$count" ] || { [ $((count % 50)) -ne 0 ] && [ "$count" -ne "$nk" ]; }; then
        bad "$desc: committed documents ($count) are a multiple of 50 or all $nk"
    else
        ok "$desc: committed documents ($count) are a multiple of 50 or all $nk"
    fi
    if [ "$src" -gt 1 ]; then
        bad "$desc: accord-search opens the index" "accord-search exit $src: $(head -c 300 "$tmp/kill-search.err")"
    else
        ok "$desc: accord-search opens the index"
    fi
    if [ -n "$count" ] && [ "$count" -lt "$prev" ]; then
        bad "$desc: committed documents kept ($count >= $prev before this run)"
    else
        ok "$desc: committed documents kept (${count:-?} >= $prev before this run)"
    fi
    prev=${count:-0}
    if [ "$prev" -eq "$nk" ]; then
        echo "# the index is complete after kill $kills; starting again on a fresh index"
        rm -rf "$dbk"
        prev=0
    fi
done
if [ "$kills" -lt 5 ]; then
    bad "5 kills landed during indexing" "only $kills of 5 kills landed before the run finished ($attempts attempts)"
else
    ok "5 kills landed during indexing"
fi
before=$prev
run killfinal --json --batch 50 --index "$dbk" "$kc"
check "after the kills: the next run exits 0" a_exit killfinal 0
check "after the kills: the next run completes the index ($nk documents)" a_json killfinal "d['documents'] == $nk"
check "after the kills: the rest added ($((nk - before))), the committed prefix unchanged ($before)" \
    a_json killfinal "d['added'] == $((nk - before)) and d['unchanged'] == $before and d['updated'] == 0 and d['deleted'] == 0"
check "after the kills: xapian-delve counts $nk documents" a_count "$dbk" "$nk"
check "after the kills: xapian-check passes" xapian-check "$dbk"

section "the seed press release (shared/corpus/seed)"
if [ ! -d "$seed" ]; then
    bad "seed: the corpus exists" "missing '$seed' (shared/corpus/seed beside the repository)"
else
    run seed --index "$tmp/db-seed" "$seed"
    check "seed: exit 0" a_exit seed 0
    sid=$(ids_of "$tmp/db-seed" | head -n 1)
    check "seed: one document indexed" a_count "$tmp/db-seed" 1
    check "seed: language en (XLen)" a_term "$tmp/db-seed" "$sid" XLen
    check "seed: a climate topic (climate-mitigation, climate-adaptation or sdg-13-climate-action)" \
        a_term "$tmp/db-seed" "$sid" XOclimate-mitigation XOclimate-adaptation XOsdg-13-climate-action
    check "seed: biodiversity (or sdg-15-life-on-land)" \
        a_term "$tmp/db-seed" "$sid" XObiodiversity XOsdg-15-life-on-land
    check "seed: sustainable-procurement" a_term "$tmp/db-seed" "$sid" XOsustainable-procurement
fi

echo "# finished in ${SECONDS} s"
echo "1..$n"
echo "# $((n - failed)) passed, $failed failed"
[ "$failed" -eq 0 ]
