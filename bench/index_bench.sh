#!/usr/bin/env bash
# Indexing benchmark: accord-index against a raw libxapian indexer and SQLite FTS5.
#
#   bench/index_bench.sh [real|large|both]      (default both)
#
# Environment:
#   REPEAT=N        run each system N times (interleaved) and report the best wall time (default 1)
#   PERF=1          also run accord-index and the raw indexer under callgrind on the first
#                   PERF_DOCS (default 60) documents of the real corpus: instructions per input byte
#   PERF_KEEP=DIR   keep the callgrind output files in DIR
#   ACCORD_INDEX    accord-index binary (default build/release/bin/accord-index; built when missing)
#   REAL_DIR        real corpus directory (default $SHARED/corpus/real)
#   LARGE_XZ        large corpus, xz-compressed JSON lines (default $SHARED/corpus/large.jsonl.xz)
#   XAPIAN_FLUSH_THRESHOLD is passed through untouched (Xapian's default is 10000 documents).
#   DICT_CACHE=cold  accord-index without its dictionary cache (ACCORD_CACHE_DIR=""), as on a
#                   machine's very first build; by default the cache is a folder of this run,
#                   filled by one untimed build of each set first (its time is printed), so the
#                   timed runs are what every later build on a machine costs
#
# Inputs are read in place; every index goes to a fresh directory under a temporary directory
# that is removed at the end.
# ../shared beside the repository (override with SHARED=DIR)
SHARED=${SHARED:-$(cd "$(dirname "$0")/../.." && pwd)/shared}
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(cd "$here/.." && pwd)

mode=${1:-both}
case $mode in
real | large | both) ;;
-h | --help)
    sed -n '2,21p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'
    exit 0
    ;;
*)
    echo "usage: $0 [real|large|both]" >&2
    exit 2
    ;;
esac

REAL_DIR=${REAL_DIR:-$SHARED/corpus/real}
LARGE_XZ=${LARGE_XZ:-$SHARED/corpus/large.jsonl.xz}
REPEAT=${REPEAT:-1}
PERF=${PERF:-0}
PERF_DOCS=${PERF_DOCS:-60}
default_accord=$repo/build/release/bin/accord-index
ACCORD_INDEX=${ACCORD_INDEX:-$default_accord}
raw=$here/.build/raw_xapian_index
fts5=$here/fts5_index.py
systems=(raw-xapian fts5 accord)

die() {
    echo "index_bench: $*" >&2
    exit 2
}

[[ $REPEAT =~ ^[1-9][0-9]*$ ]] || die "REPEAT must be a positive integer, not '$REPEAT'"
[[ $PERF_DOCS =~ ^[1-9][0-9]*$ ]] || die "PERF_DOCS must be a positive integer, not '$PERF_DOCS'"
[[ -x /usr/bin/time ]] || die "/usr/bin/time is missing (apt-get install -y time)"
for tool in python3 pkg-config g++ xz du awk; do
    command -v "$tool" >/dev/null || die "$tool is missing"
done
python3 -c "import sqlite3; sqlite3.connect(':memory:').execute('create virtual table t using fts5(x)')" \
    2>/dev/null || die "python3's sqlite3 has no FTS5"
if [[ $mode != large ]]; then
    [[ -d $REAL_DIR ]] || die "no corpus directory $REAL_DIR"
fi
if [[ $mode != real ]]; then
    [[ -r $LARGE_XZ ]] || die "cannot read $LARGE_XZ"
fi

tmp=$(mktemp -d "${TMPDIR:-/tmp}/accord-bench.XXXXXX")
trap 'rm -rf -- "$tmp"' EXIT
DICT_CACHE=${DICT_CACHE:-warm}
case $DICT_CACHE in
cold) export ACCORD_CACHE_DIR= ;;
warm) export ACCORD_CACHE_DIR=$tmp/dict-cache ;;
*) die "DICT_CACHE must be warm or cold, not '$DICT_CACHE'" ;;
esac
trap 'exit 130' INT
trap 'exit 143' TERM

# ---------------------------------------------------------------- build

"$here/build.sh" "$raw" || die "cannot build the raw Xapian indexer"

accord_ok=1
if [[ ! -x $ACCORD_INDEX ]]; then
    if [[ $ACCORD_INDEX == "$default_accord" ]]; then
        echo "index_bench: building accord-index (build/release)" >&2
        if ! (cd "$repo" &&
            cmake -S . -B build/release -DCMAKE_BUILD_TYPE=Release -DBUILD_TESTING=OFF >&2 &&
            cmake --build build/release >&2); then
            echo "index_bench: accord-index did not build; it is reported as failed" >&2
            accord_ok=0
        fi
    else
        echo "index_bench: $ACCORD_INDEX is not executable; accord is reported as failed" >&2
        accord_ok=0
    fi
fi
if ((accord_ok)) && [[ $ACCORD_INDEX == "$default_accord" ]]; then
    newer=$(find "$repo/lib" "$repo/indexer" "$repo/include" -type f -newer "$ACCORD_INDEX" \
        -print -quit 2>/dev/null || true)
    if [[ -n $newer ]]; then
        echo "index_bench: warning: $newer is newer than accord-index (stale build?)" >&2
    fi
fi

# ---------------------------------------------------------------- helpers

# calc EXPR: floating-point arithmetic (numbers only), 2 decimals
calc() { awk "BEGIN { printf \"%.2f\", $1 }"; }

# ratio A B: A/B as "1.23x", or "n/a"
ratio() {
    if [[ $1 == - || $2 == - ]] || awk "BEGIN { exit !($2 == 0) }"; then
        printf 'n/a'
    else
        awk "BEGIN { printf \"%.2fx\", $1 / $2 }"
    fi
}

# doccount SYSTEM DIR: documents in the index that SYSTEM wrote under DIR
doccount() {
    case $1 in
    fts5)
        python3 -c 'import sqlite3, sys
print(sqlite3.connect(sys.argv[1]).execute("select count(*) from docs").fetchone()[0])' \
            "$2/index.db"
        ;;
    *) "$raw" --doccount "$2/index" ;;
    esac
}

# command_for SET SYSTEM DIR: prints nothing; sets the array cmd to the command to time
command_for() {
    local set=$1 sys=$2 dir=$3
    case $set/$sys in
    real/raw-xapian) cmd=("$raw" --index "$dir/index" "$REAL_DIR") ;;
    real/fts5) cmd=(python3 "$fts5" "$dir/index.db" "$REAL_DIR") ;;
    real/accord) cmd=("$ACCORD_INDEX" --quiet --index "$dir/index" "$REAL_DIR") ;;
    large/raw-xapian)
        # shellcheck disable=SC2016  # expanded by the inner bash
        cmd=(bash -c 'set -o pipefail; xz -dc -- "$1" | "$2" --index "$3" --jsonl -'
            _ "$LARGE_XZ" "$raw" "$dir/index")
        ;;
    large/fts5)
        # shellcheck disable=SC2016  # expanded by the inner bash
        cmd=(bash -c 'set -o pipefail; xz -dc -- "$1" | python3 "$2" "$3" --jsonl -'
            _ "$LARGE_XZ" "$fts5" "$dir/index.db")
        ;;
    large/accord) cmd=("$ACCORD_INDEX" --quiet --index "$dir/index" "$LARGE_XZ") ;;
    esac
}

# Results of the current set, by system: best wall seconds, CPU seconds, peak RSS KiB,
# index bytes, documents; or fail[sys] = reason.
declare -A best cpu rss size docs fail

# measure SET SYSTEM RUN: one timed run into a fresh directory
measure() {
    local set=$1 sys=$2 run=$3 dir=$tmp/$1-$2-$3 rc=0 t usr sys_t kib n
    local -a cmd
    mkdir -p "$dir"
    command_for "$set" "$sys" "$dir"
    /usr/bin/time -f '%e %U %S %M' -o "$tmp/time" -- "${cmd[@]}" >"$tmp/out" 2>"$tmp/err" ||
        rc=$?
    if ((rc != 0)); then
        fail[$sys]="exit $rc: $(grep -v '^Command exited' "$tmp/err" | tail -n 1 | cut -c1-100)"
        rm -rf -- "$dir"
        return
    fi
    if [[ -s $tmp/err ]]; then
        echo "index_bench: $sys ($set) wrote to stderr:" >&2
        head -n 5 "$tmp/err" | sed 's/^/    /' >&2
    fi
    if ! n=$(doccount "$sys" "$dir" 2>"$tmp/err") || [[ ! $n =~ ^[0-9]+$ ]] || ((n == 0)); then
        fail[$sys]="no documents in the index ($(tail -n 1 "$tmp/err" | cut -c1-80))"
        rm -rf -- "$dir"
        return
    fi
    read -r t usr sys_t kib < <(tail -n 1 "$tmp/time")
    if [[ -z ${best[$sys]:-} ]] || awk "BEGIN { exit !($t < ${best[$sys]}) }"; then
        best[$sys]=$t
        cpu[$sys]=$(calc "$usr + $sys_t")
        rss[$sys]=$kib
        size[$sys]=$(du -sb -- "$dir" | cut -f1)
        docs[$sys]=$n
    fi
    rm -rf -- "$dir"
}

# input_stats SET: sets in_docs and in_bytes (bytes of document text)
input_stats() {
    case $1 in
    real)
        read -r in_docs in_bytes < <(find -L "$REAL_DIR" -maxdepth 1 -name '*.txt' ! -name '.*' \
            -printf '%s\n' | awk '{ n++; b += $1 } END { print n + 0, b + 0 }')
        ;;
    large)
        read -r in_docs in_bytes < <(xz -dc -- "$LARGE_XZ" | python3 -c 'import json, sys
n = b = 0
for line in sys.stdin.buffer:
    if line.strip():
        n += 1
        b += len((json.loads(line).get("text") or "").encode("utf-8"))
print(n, b)')
        ;;
    esac
}

run_set() {
    local set=$1 sys run mb src
    best=() cpu=() rss=() size=() docs=() fail=()
    input_stats "$set"
    mb=$(calc "$in_bytes / 1e6")
    if [[ $set == real ]]; then
        src=$REAL_DIR
        cat -- "$REAL_DIR"/*.txt >/dev/null # warm the page cache for every system alike
    else
        src=$LARGE_XZ
        cat -- "$LARGE_XZ" >/dev/null
    fi
    ((accord_ok)) || fail[accord]="accord-index not available"

    local started=$SECONDS
    if [[ $DICT_CACHE == warm && -z ${fail[accord]:-} ]]; then
        # the dictionaries prepared once, as any earlier build on the machine leaves them
        local -a cmd
        mkdir -p "$tmp/prime"
        command_for "$set" accord "$tmp/prime"
        /usr/bin/time -f '%e' -o "$tmp/time" -- "${cmd[@]}" >/dev/null 2>&1 || true
        echo "index_bench: $set: accord's first build (the dictionary cache made): $(tail -n 1 "$tmp/time") s" >&2
        rm -rf -- "$tmp/prime"
    fi
    for ((run = 1; run <= REPEAT; run++)); do
        for sys in "${systems[@]}"; do
            [[ -n ${fail[$sys]:-} ]] && continue
            echo "index_bench: $set: $sys (run $run/$REPEAT)" >&2
            measure "$set" "$sys" "$run"
        done
    done

    echo
    echo "== $set: $in_docs docs, $mb MB of text ($src); best of $REPEAT run(s);" \
        "XAPIAN_FLUSH_THRESHOLD=${XAPIAN_FLUSH_THRESHOLD:-default}; dictionary cache $DICT_CACHE;" \
        "$((SECONDS - started)) s in all"
    printf '%-11s %6s %8s %8s %7s %7s %8s %13s %10s\n' system docs MB seconds 'CPU s' MB/s docs/s \
        'peak RSS MiB' 'index MiB'
    local -A mbs rssm sizem
    for sys in "${systems[@]}"; do
        if [[ -n ${fail[$sys]:-} ]]; then
            printf '%-11s failed (%s)\n' "$sys" "${fail[$sys]}"
            mbs[$sys]=- rssm[$sys]=- sizem[$sys]=-
            continue
        fi
        local t=${best[$sys]}
        [[ $t == 0.00 ]] && t=0.01
        mbs[$sys]=$(calc "$in_bytes / 1e6 / $t")
        rssm[$sys]=$(calc "${rss[$sys]} / 1024")
        sizem[$sys]=$(calc "${size[$sys]} / 1048576")
        printf '%-11s %6s %8s %8s %7s %7s %8s %13s %10s\n' "$sys" "${docs[$sys]}" "$mb" \
            "${best[$sys]}" "${cpu[$sys]}" "${mbs[$sys]}" "$(calc "${docs[$sys]} / $t")" \
            "${rssm[$sys]}" "${sizem[$sys]}"
        if ((docs[$sys] != in_docs)); then
            echo "  note: $sys has ${docs[$sys]} documents, the input $in_docs" >&2
        fi
    done
    local other
    for other in raw-xapian fts5; do
        printf 'accord/%-11s MB/s %6s   RSS %6s   index size %6s\n' "$other" \
            "$(ratio "${mbs[accord]}" "${mbs[$other]}")" \
            "$(ratio "${rssm[accord]}" "${rssm[$other]}")" \
            "$(ratio "${sizem[accord]}" "${sizem[$other]}")"
    done
}

# ---------------------------------------------------------------- PERF=1

# callgrind_ir SYSTEM CORPUS OUT: total instructions (Ir) of one indexing run, or "failed"
callgrind_ir() {
    local sys=$1 corpus=$2 out=$3 dir=$tmp/perf-$1
    local -a cmd
    mkdir -p "$dir"
    case $sys in
    raw-xapian) cmd=("$raw" --index "$dir/index" "$corpus") ;;
    accord) cmd=("$ACCORD_INDEX" --quiet --index "$dir/index" "$corpus") ;;
    esac
    if valgrind --tool=callgrind --callgrind-out-file="$out" -- "${cmd[@]}" \
        >/dev/null 2>"$out.log"; then
        awk '/^(summary|totals):/ { print $2; exit }' "$out"
    else
        echo failed
    fi
    rm -rf -- "$dir"
}

run_perf() {
    if ! command -v valgrind >/dev/null; then
        echo
        echo "== PERF: valgrind not installed; skipped"
        return
    fi
    local corpus=$tmp/perf-corpus id bytes sys ir
    mkdir -p "$corpus"
    if [[ -f $REAL_DIR/manifest.jsonl ]]; then
        head -n "$PERF_DOCS" -- "$REAL_DIR/manifest.jsonl" >"$corpus/manifest.jsonl"
        python3 -c 'import json, sys
for line in sys.stdin:
    if line.strip():
        print(json.loads(line)["id"])' <"$corpus/manifest.jsonl" >"$tmp/perf-ids"
    else
        find "$REAL_DIR" -maxdepth 1 -name '*.txt' ! -name '.*' -printf '%f\n' | LC_ALL=C sort |
            head -n "$PERF_DOCS" | sed 's/\.txt$//' >"$tmp/perf-ids"
    fi
    while IFS= read -r id; do
        ln -s -- "$REAL_DIR/$id.txt" "$corpus/$id.txt"
    done <"$tmp/perf-ids"
    bytes=$(find -L "$corpus" -name '*.txt' -printf '%s\n' | awk '{ b += $1 } END { print b + 0 }')

    echo
    echo "== PERF: callgrind on the first $(wc -l <"$tmp/perf-ids") real documents ($(calc "$bytes / 1e6") MB)"
    printf '%-11s %16s %14s\n' system instructions 'instr/byte'
    for sys in raw-xapian accord; do
        if [[ $sys == accord ]] && ! ((accord_ok)); then
            printf '%-11s failed (accord-index not available)\n' "$sys"
            continue
        fi
        echo "index_bench: PERF: $sys under callgrind" >&2
        ir=$(callgrind_ir "$sys" "$corpus" "$tmp/callgrind.$sys")
        if [[ $ir =~ ^[0-9]+$ ]]; then
            printf '%-11s %16s %14s\n' "$sys" "$ir" "$(calc "$ir / $bytes")"
        else
            printf '%-11s failed (see callgrind log)\n' "$sys"
            tail -n 3 "$tmp/callgrind.$sys.log" >&2 || true
        fi
        if [[ -n ${PERF_KEEP:-} && -f $tmp/callgrind.$sys ]]; then
            mkdir -p -- "$PERF_KEEP"
            cp -- "$tmp/callgrind.$sys" "$PERF_KEEP/callgrind.out.$sys"
        fi
    done
    [[ -n ${PERF_KEEP:-} ]] && echo "callgrind files: $PERF_KEEP (callgrind_annotate FILE)"
    return 0
}

# ---------------------------------------------------------------- main

case $mode in
real) run_set real ;;
large) run_set large ;;
both)
    run_set real
    run_set large
    ;;
esac
if [[ $PERF == 1 ]]; then
    run_perf
fi
