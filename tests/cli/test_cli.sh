#!/usr/bin/env bash
# accord-search and accord-index as programs: exit codes, JSON shape, errors,
# query words that look like options, re-indexing by id.
# usage: test_cli.sh ACCORD_SEARCH ACCORD_INDEX CORPUS_DB CORPUS_DIR
set -u
search=$1 index=$2 db=$3 corpus=$4
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
n=0 failed=0

ok() { n=$((n + 1)); echo "ok $n - $1"; }
bad() { n=$((n + 1)); failed=$((failed + 1)); echo "not ok $n - $1"; }
check() { # description, then a command that must succeed
    local d=$1; shift
    if "$@"; then ok "$d"; else bad "$d"; fi
}

json_ids() { python3 -c 'import json,sys; d=json.load(sys.stdin); print(" ".join(h["id"] for h in d["hits"]))'; }

# JSON when stdout is not a terminal, with the documented keys
out=$("$search" --index "$db" "développement durable")
rc=$?
check "hits found: exit 0" test "$rc" -eq 0
check "JSON shape" python3 -c '
import json,sys
d=json.loads(sys.argv[1])
assert isinstance(d["total"], int) and d["total"] >= 1
h=d["hits"][0]
for k in ("id","title","lang","date","type","score","snippet"): assert k in h, k
assert h["id"] == "fr-strategie-developpement-durable", h["id"]
assert "<mark>" in h["snippet"]
' "$out"

# no hits: exit 1 and valid JSON
out=$("$search" --index "$db" --json zzzqqqxxx)
rc=$?
check "no hits: exit 1" test "$rc" -eq 1
check "no hits: JSON total 0" python3 -c 'import json,sys; assert json.loads(sys.argv[1])["total"] == 0' "$out"

# a query word that looks like an option is a query word
ids=$("$search" --index "$db" --limit 100 climate -paris | json_ids)
check "-paris is a query word" test -n "$ids"
check "-paris excludes the Paris pledge" bash -c '! grep -qw en-paris-implementation-pledge <<<"$0"' "$ids"
check "-- ends options" "$search" --index "$db" -- -paris

# options after the query, and --opt=value
ids=$("$search" "climat" --index="$db" --lang fr --limit=3 | json_ids)
check "options after the query" test -n "$ids"
check "--limit=3 gives at most 3 hits" test "$(wc -w <<<"$ids")" -le 3

# usage and input errors: exit 2 with a message on stderr
"$search" --index "$db" "$(printf 'bad\xff')" >/dev/null 2>"$tmp/err"
check "invalid UTF-8: exit 2" test $? -eq 2
check "invalid UTF-8: message" grep -q "not valid UTF-8" "$tmp/err"
"$search" --index "$db" "" >/dev/null 2>"$tmp/err"
check "empty query: exit 2" test $? -eq 2
check "empty query: message" grep -q "empty query" "$tmp/err"
"$search" --index "$db" "$(head -c 10240 /dev/zero | tr '\0' a)" >/dev/null 2>"$tmp/err"
check "10 kB query: exit 2" test $? -eq 2
check "10 kB query: message" grep -q "query too long" "$tmp/err"
"$search" --index "$db" --limit -3 climate >/dev/null 2>"$tmp/err"
check "negative limit: exit 2" test $? -eq 2
"$search" --index "$db" --lang 'fr;rm' climate >/dev/null 2>"$tmp/err"
check "bad language: exit 2" test $? -eq 2
"$search" --index "$tmp/none" climate >/dev/null 2>"$tmp/err"
check "missing index: exit 2" test $? -eq 2
check "missing index: message" grep -q "cannot open index" "$tmp/err"
"$search" --bogus climate >/dev/null 2>&1
check "unknown option: exit 2" test $? -eq 2
for q in "climate AND" "AND" '"unbalanced' "((" "OR OR"; do
    "$search" --index "$db" "$q" >/dev/null 2>&1
    rc=$?
    check "query '$q' exits 0 or 1" test "$rc" -le 1
done

# the readable table (forced: stdout is not a terminal here, so use script(1) if present)
if command -v script >/dev/null; then
    script -qec "NO_COLOR=1 '$search' --index '$db' Größe" /dev/null >"$tmp/tty" 2>&1
    check "terminal table shows the hit" grep -q "de-klimaschutzvertrag-stadt" "$tmp/tty"
    check "terminal table marks matches" grep -q "\[Größe\]" "$tmp/tty"
fi

# accord-index: re-run replaces by id; bad files never stop the run
mkdir -p "$tmp/c"
printf 'First title\nclimate text one\n' >"$tmp/c/a.txt"
printf 'Broken \xff\xfe bytes\nforest text\n' >"$tmp/c/b.txt"
printf 'ignored\n' >"$tmp/c/c.pdfx"
"$index" --index "$tmp/db" "$tmp/c" 2>"$tmp/log"
check "indexer exit 0" test $? -eq 0
check "invalid UTF-8 reported" grep -q "invalid UTF-8" "$tmp/log"
check "two documents" grep -q "2 added" "$tmp/log"
ids=$("$search" --index "$tmp/db" forest | json_ids)
check "repaired document searchable" test "$ids" = "b"
printf 'Second title\nwoodland text\n' >"$tmp/c/a.txt"
"$index" --index "$tmp/db" "$tmp/c" 2>"$tmp/log"
check "re-run replaces the changed file only" grep -q "0 added, 1 updated, 0 deleted, 1 unchanged" "$tmp/log"
check "new text found" test "$("$search" --index "$tmp/db" woodland | json_ids)" = "a"
"$search" --index "$tmp/db" climate >/dev/null
check "old text gone" test $? -eq 1
"$index" --index "$tmp/db" "$tmp/missing" 2>"$tmp/log"
check "missing corpus: exit 2" test $? -eq 2

# several indexes searched as one: --index twice, or a Xapian stub file
mkdir -p "$tmp/c2"
printf 'Third title\nwoodland and wetland text\n' >"$tmp/c2/w.txt"
"$index" --index "$tmp/db2" "$tmp/c2" 2>"$tmp/log"
ids=$("$search" --index "$tmp/db" --index "$tmp/db2" woodland | json_ids)
check "two --index: hits from both" test "$ids" = "a w" -o "$ids" = "w a"
printf 'auto db\nglass %s\n' "$tmp/db2" >"$tmp/both.stub"
ids=$("$search" --index "$tmp/both.stub" woodland | json_ids)
check "stub file: hits from both" test "$ids" = "a w" -o "$ids" = "w a"

# query translation through a dictionary: "river" is in no Dutch document, its
# translation "rivier" (freedict-eng-nld, installed by scripts/install-deps.sh) is
if [ -r /usr/share/dictd/freedict-eng-nld.index ]; then
    out=$("$search" --index "$db" --lang nl river)
    check "river --lang nl: the Dutch Rhine protocol, through a translation" \
        bash -c 'grep -qw nl-rijnwater-protocol <<<"$0"' "$(json_ids <<<"$out")"
    check "river: read as English, translated to rivier" python3 -c '
import json, sys
d = json.loads(sys.argv[1])
assert d["query_lang"] == "en", d.get("query_lang")
assert "rivier" in d["translations"]["nl"], d.get("translations")' "$out"
    "$search" --index "$db" --lang nl --no-expand river >/dev/null
    check "river --lang nl --no-expand: no hit" test $? -eq 1
else
    bad "dict-freedict-eng-nld is not installed (scripts/install-deps.sh installs it)"
fi

# commitments: options, typed filters, sort, facets and a bad value
out=$("$search" --index "$db" --target netzero --target-year 2030..2040 --facets target_year)
check "--target netzero --target-year 2030..2040: the city's 2035 pledge" python3 -c '
import json,sys
d=json.loads(sys.argv[1])
ids=[h["id"] for h in d["hits"]]
assert "de-klimaschutzvertrag-stadt" in ids, ids
assert all(2030 <= h["commitment"]["year"] <= 2040 and h["commitment"]["kind"] == "netzero" for h in d["hits"])
assert "target_year" in d["facets"]
' "$out"
a=$("$search" --index "$db" --target reduction --cut '>=45' | json_ids)
b=$("$search" --index "$db" 'target:reduction cut:>=45' | json_ids)
check "--cut and cut: typed in the query agree" test -n "$a" -a "$a" = "$b"
out=$("$search" --index "$db" --target reduction --sort target_year | json_ids)
check "--sort target_year: the 2025 target first" test "${out%% *}" = "ro-plan-actiune-clima-cluj"
"$search" --index "$db" --strength sometimes climate > /dev/null 2> "$tmp/err"
rc=$?
check "--strength sometimes: exit 2 and a message" test "$rc" -eq 2 -a -s "$tmp/err"
if command -v script > /dev/null; then
    TERM=xterm script -qec "\"$search\" --index \"$db\" --target netzero --target-year 2035" /dev/null > "$tmp/tty2" 2>&1
    check "terminal table shows the commitment" grep -q "target: netzero by 2035" "$tmp/tty2"
fi

echo "1..$n"
[ "$failed" -eq 0 ]
