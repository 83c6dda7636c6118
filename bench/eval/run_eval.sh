#!/usr/bin/env bash
# Relevance evaluation: accord against raw Xapian and SQLite FTS5 on judged queries.
#
#   bench/eval/run_eval.sh
#
# Builds what is missing, indexes the corpus with accord-index, bench/raw_xapian_index and
# bench/fts5_index.py into a temporary directory (removed at the end), runs every query through
# accord (default query syntax), raw-xapian OR and AND, fts5 OR and AND with run_cmd.py, scores
# each run with score.py and prints: nDCG@10 per query kind and system, all measures for accord,
# accord's in-process latency (took_ms: median, p95, at --limit LIMIT and at --limit 10) and
# accord / best peer on nDCG@10 (all).
#
# Environment:
#   QUERIES        query set (default $SHARED/eval/public-queries.tsv)
#   QRELS          its judgments (default $SHARED/eval/public-qrels.txt)
#   CORPUS         corpus directory (default $SHARED/corpus/real)
#   EVAL_TOOLS     directory with run_cmd.py and score.py (default $SHARED/eval)
#   ACCORD_INDEX   accord-index binary (default build/release/bin/accord-index; built when missing)
#   ACCORD_SEARCH  accord-search binary (default build/release/bin/accord-search; built when missing)
#   LIMIT          hits asked of every system per query (default 100)
#   KEEP=DIR       keep the runs, scores (also --per-query) and latency logs in DIR
#
# The accord binaries are copied into the temporary directory before use, so that a rebuild
# in build/release during the run does not mix two builds; the topic vocabulary they find
# next to them (BIN/../share/accord/topics.tsv, else corpus/topics.tsv) is copied with them.
# ../shared beside the repository (override with SHARED=DIR)
SHARED=${SHARED:-$(cd "$(dirname "$0")/../../.." && pwd)/shared}
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
bench=$(cd "$here/.." && pwd)
repo=$(cd "$bench/.." && pwd)

case ${1:-} in
'') ;;
-h | --help)
    awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "${BASH_SOURCE[0]}"
    exit 0
    ;;
*)
    echo "usage: $0   (settings through the environment; see --help)" >&2
    exit 2
    ;;
esac

EVAL_TOOLS=${EVAL_TOOLS:-$SHARED/eval}
QUERIES=${QUERIES:-$EVAL_TOOLS/public-queries.tsv}
QRELS=${QRELS:-$EVAL_TOOLS/public-qrels.txt}
CORPUS=${CORPUS:-$SHARED/corpus/real}
LIMIT=${LIMIT:-100}
KEEP=${KEEP:-}
default_index=$repo/build/release/bin/accord-index
default_search=$repo/build/release/bin/accord-search
ACCORD_INDEX=${ACCORD_INDEX:-$default_index}
ACCORD_SEARCH=${ACCORD_SEARCH:-$default_search}
raw_index=$bench/.build/raw_xapian_index
raw_search=$bench/.build/raw_xapian_search
systems=(accord raw-xapian-or raw-xapian-and fts5-or fts5-and)

die() {
    echo "run_eval: $*" >&2
    exit 2
}
note() { echo "run_eval: $*" >&2; }

[[ $LIMIT =~ ^[1-9][0-9]*$ ]] || die "LIMIT must be a positive integer, not '$LIMIT'"
for tool in python3 pkg-config g++ awk; do
    command -v "$tool" >/dev/null || die "$tool is missing"
done
python3 -c "import sqlite3; sqlite3.connect(':memory:').execute('create virtual table t using fts5(x)')" \
    2>/dev/null || die "python3's sqlite3 has no FTS5"
[[ -r $QUERIES ]] || die "cannot read QUERIES=$QUERIES"
[[ -r $QRELS ]] || die "cannot read QRELS=$QRELS"
[[ -d $CORPUS ]] || die "no corpus directory CORPUS=$CORPUS"
[[ -r $EVAL_TOOLS/run_cmd.py && -r $EVAL_TOOLS/score.py ]] ||
    die "no run_cmd.py / score.py in EVAL_TOOLS=$EVAL_TOOLS"
if [[ -n $KEEP ]]; then
    mkdir -p "$KEEP" || die "cannot create KEEP=$KEEP"
fi

tmp=$(mktemp -d "${TMPDIR:-/tmp}/accord-eval.XXXXXX")
trap 'rm -rf -- "$tmp"' EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
out=$tmp/out
mkdir -p "$out" "$tmp/bin"
start=$SECONDS

# ---------------------------------------------------------------- build

"$bench/build.sh" "$raw_index" || die "cannot build the raw Xapian indexer (bench/build.sh)"
"$here/build.sh" "$raw_search" || die "cannot build the raw Xapian searcher (bench/eval/build.sh)"

# fail_system SYSTEM REASON: the system gets no score and its column says so
fail_system() { printf '%s\n' "$2" >"$out/$1.failed"; }

accord_ok=1
# A binary can be missing for a moment while another build relinks it: wait before building.
for _ in 1 2 3 4 5 6; do
    [[ -x $ACCORD_INDEX && -x $ACCORD_SEARCH ]] && break
    sleep 5
done
if [[ ! -x $ACCORD_INDEX || ! -x $ACCORD_SEARCH ]]; then
    if [[ $ACCORD_INDEX == "$default_index" && $ACCORD_SEARCH == "$default_search" ]]; then
        note "building accord (build/release)"
        if ! (cmake -S "$repo" -B "$repo/build/release" -DCMAKE_BUILD_TYPE=Release \
            -DBUILD_TESTING=OFF >&2 && cmake --build "$repo/build/release" -j2 >&2); then
            note "accord did not build; it is reported as failed"
            accord_ok=0
        fi
    else
        note "$ACCORD_INDEX or $ACCORD_SEARCH is not executable; accord is reported as failed"
        accord_ok=0
    fi
fi

# Snapshot the accord binaries: copy them while their mtimes stay put and both answer --help.
if ((accord_ok)); then
    accord_ok=0
    for _ in 1 2 3 4 5 6 7 8 9 10 11 12; do
        m1=$(stat -c %Y "$ACCORD_INDEX" "$ACCORD_SEARCH" 2>/dev/null || true)
        if cp -fp "$ACCORD_INDEX" "$tmp/bin/accord-index" 2>/dev/null &&
            cp -fp "$ACCORD_SEARCH" "$tmp/bin/accord-search" 2>/dev/null &&
            [[ $(stat -c %Y "$ACCORD_INDEX" "$ACCORD_SEARCH" 2>/dev/null || true) == "$m1" ]] &&
            "$tmp/bin/accord-index" --help >/dev/null 2>&1 &&
            "$tmp/bin/accord-search" --help >/dev/null 2>&1; then
            accord_ok=1
            break
        fi
        sleep 5
    done
    if ((accord_ok)); then
        # the copies find the vocabulary as the originals do: BIN/../share/accord/topics.tsv
        vocab=$(dirname "$ACCORD_SEARCH")/../share/accord/topics.tsv
        [[ -r $vocab ]] || vocab=$repo/corpus/topics.tsv
        mkdir -p "$tmp/share/accord" && cp -f "$vocab" "$tmp/share/accord/topics.tsv"
        newer=$(find "$repo/lib" "$repo/indexer" "$repo/cli" "$repo/include" -type f \
            -newer "$ACCORD_SEARCH" -print -quit 2>/dev/null || true)
        [[ -z $newer ]] || note "warning: $newer is newer than accord-search (stale build?)"
    else
        note "could not take a working copy of the accord binaries (rebuild in progress?)"
    fi
fi
((accord_ok)) || fail_system accord "accord binaries missing or not working"

rev=$(git -C "$repo" rev-parse --short HEAD 2>/dev/null || echo '?')
git -C "$repo" diff --quiet HEAD -- 2>/dev/null || rev="$rev+dirty"
nq=$(($(grep -c . "$QUERIES") - 1))
echo "accord $rev, accord-search built $(date -r "$tmp/bin/accord-search" '+%F %T' 2>/dev/null || echo '?');" \
    "$nq queries from $QUERIES"

# ---------------------------------------------------------------- index

# doccount DIR-or-FILE: documents in a Xapian index or in the FTS5 database
doccount() {
    case $1 in
    *.db)
        python3 -c 'import sqlite3, sys
print(sqlite3.connect(sys.argv[1]).execute("select count(*) from docs").fetchone()[0])' "$1"
        ;;
    *) "$raw_index" --doccount "$1" ;;
    esac
}

# index NAME COMMAND...: runs one indexer in the background, stderr to $tmp/NAME.index.err
index() {
    local name=$1
    shift
    (
        rc=0
        "$@" >/dev/null 2>"$tmp/$name.index.err" || rc=$?
        echo "$rc" >"$tmp/$name.index.rc"
    ) &
}

ncorpus=$(find -L "$CORPUS" -maxdepth 1 -name '*.txt' ! -name '.*' | wc -l)
# Two cores: accord-index and the raw indexer run side by side, FTS5 (a few seconds) with them.
((accord_ok)) && index accord "$tmp/bin/accord-index" --quiet --index "$tmp/accord" "$CORPUS"
index raw "$raw_index" --index "$tmp/raw" "$CORPUS"
index fts5 python3 "$bench/fts5_index.py" "$tmp/fts5.db" "$CORPUS"
wait

# check_index NAME PATH SYSTEM...: marks SYSTEMs failed when the indexer failed or left no docs
counts=()
check_index() {
    local name=$1 path=$2 n rc
    shift 2
    [[ -f $tmp/$name.index.rc ]] || return 0
    rc=$(cat "$tmp/$name.index.rc")
    if ((rc != 0)); then
        for s in "$@"; do
            fail_system "$s" "$name indexer exit $rc: $(tail -n 1 "$tmp/$name.index.err" | cut -c1-100)"
        done
        return 0
    fi
    if ! n=$(doccount "$path" 2>/dev/null) || [[ ! $n =~ ^[0-9]+$ ]] || ((n == 0)); then
        for s in "$@"; do fail_system "$s" "$name index is empty or unreadable"; done
        return 0
    fi
    counts+=("$name $n")
    ((n == ncorpus)) || note "warning: $name indexed $n documents, the corpus has $ncorpus"
}
check_index accord "$tmp/accord" accord
check_index raw "$tmp/raw" raw-xapian-or raw-xapian-and
check_index fts5 "$tmp/fts5.db" fts5-or fts5-and
indexed=$(IFS=,; echo "${counts[*]:-none}")
echo "corpus $CORPUS: $ncorpus documents; indexed: ${indexed//,/, }"

# ---------------------------------------------------------------- search and score

# command_for SYSTEM: sets the array cmd (run_cmd.py appends the query)
command_for() {
    case $1 in
    accord)
        cmd=(python3 "$here/json_tap.py" "$out/accord.latency"
            "$tmp/bin/accord-search" --index "$tmp/accord" --json --limit "$LIMIT")
        ;;
    raw-xapian-or) cmd=("$raw_search" --index "$tmp/raw" --limit "$LIMIT") ;;
    raw-xapian-and) cmd=("$raw_search" --index "$tmp/raw" --limit "$LIMIT" --and) ;;
    fts5-or) cmd=(python3 "$here/fts5_search.py" "$tmp/fts5.db" --limit "$LIMIT") ;;
    fts5-and) cmd=(python3 "$here/fts5_search.py" "$tmp/fts5.db" --limit "$LIMIT" --and) ;;
    esac
}

# accord first and alone, so that its took_ms is not measured next to another search.
# The load average goes in the report: on a shared machine it explains noisy latencies.
cut -d' ' -f1 /proc/loadavg >"$out/loadavg" 2>/dev/null || true
for s in "${systems[@]}"; do
    [[ -e $out/$s.failed ]] && continue
    cmd=()
    command_for "$s"
    python3 "$EVAL_TOOLS/run_cmd.py" "$QUERIES" "$s" -- "${cmd[@]}" >"$out/$s.run" 2>"$out/$s.err" ||
        { fail_system "$s" "run_cmd.py failed: $(tail -n 1 "$out/$s.err")"; continue; }
    nfail=$(grep -c -E 'command failed|no JSON hits' "$out/$s.err" || true)
    if ((nfail > 0)); then
        note "$s: $nfail of $nq queries failed, e.g.: $(grep -m1 -E 'command failed|no JSON hits' "$out/$s.err" | cut -c1-160)"
        if ((nfail == nq)); then
            fail_system "$s" "all $nq queries failed"
            continue
        fi
    fi
    python3 "$EVAL_TOOLS/score.py" "$QUERIES" "$QRELS" "$out/$s.run" >"$out/$s.score" ||
        { rm -f "$out/$s.score"; fail_system "$s" "score.py failed"; }
    if [[ -n $KEEP ]]; then
        python3 "$EVAL_TOOLS/score.py" "$QUERIES" "$QRELS" "$out/$s.run" --per-query \
            >"$out/$s.per-query" || true
    fi
done

# Latency of a result page: accord-search --limit 10 over the same queries (run not scored).
if [[ -s $out/accord.score ]]; then
    tail -n +2 "$QUERIES" | while IFS=$'\t' read -r _ query _; do
        [[ -n $query ]] || continue
        python3 "$here/json_tap.py" "$out/accord.latency10" "$tmp/bin/accord-search" \
            --index "$tmp/accord" --json --limit 10 "$query" >/dev/null 2>&1 || true
    done
fi

echo
python3 "$here/report.py" "$out" "${systems[@]}"
echo "($((SECONDS - start)) s)"

if [[ -n $KEEP ]]; then
    cp -f "$out"/* "$KEEP"/ 2>/dev/null || true
    note "runs and scores kept in $KEEP"
fi
