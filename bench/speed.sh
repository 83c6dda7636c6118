#!/usr/bin/env bash
# The speed figures of accord in one command (issue "search at the speed of the engine"), each
# side by side with its reference, measured in one run on this machine:
#
#   bench/speed.sh [BUILD_DIR]        (default build/release, as the other benches)
#
# 1. instructions per search: bench/callgrind.sh (PARTS="search suggest") on the real corpus, 10
#    hits, snippets, facets lang,type, after one warm-up search; per query of
#    bench/load/queries.txt; and per /suggest over bench/load/suggest.txt
# 2. HTTP: bench/load/run.sh, accord-searchd (--cache-mb 0) against the bare libmicrohttpd +
#    Xapian server, /search and /suggest at c=1, 8, 64: req/s, p50, p99
# 3. accord-search --json QUERY, one process per query: median wall time of RUNS runs, three
#    rounds, for each query of CLI_QUERIES
# 4. indexing the real corpus: bench/index_bench.sh real (accord-index against one-thread raw
#    libxapian and SQLite FTS5): wall, CPU, index size, and the ratios
# Then a summary against the goals of the issue. PARTS selects parts ("callgrind load cli
# index", the default); the machine should be otherwise idle (the figures of parts 2-4 are
# wall-clock times; instruction counts are not disturbed by load).
#
# Environment: PARTS, RUNS (default 21), CLI_QUERIES (default three queries below), DURATION
# (wrk seconds per run, default 10), SHARED (default ../shared beside the repository).
# BASE=DIR: the build directory of an earlier accord (bin/ or, before it, indexer/ and
# searchd/), for the goal "req/s at c=8 >= 4x before, in the same run": part 2 then also
# indexes the corpus with it (its own index format) and runs /search at c=8 on both servers,
# ROUNDS times (default 2) alternating, and the summary gives the ratio of the medians. The
# issue measured 3984421 (git worktree add DIR 3984421; cmake -S DIR -B DIR/build
# -DCMAKE_BUILD_TYPE=Release; cmake --build DIR/build; BASE=DIR/build).
# Time: about 12 minutes on an idle 2-core machine (BASE: about 2 minutes more a round).
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(cd "$here/.." && pwd)
SHARED=${SHARED:-$(cd "$repo/.." && pwd)/shared}
build=$(cd "${1:-$repo/build/release}" 2>/dev/null && pwd) || {
    echo "speed.sh: no build directory '${1:-$repo/build/release}'" >&2
    exit 2
}
PARTS=${PARTS:-callgrind load cli index}
RUNS=${RUNS:-21}
ROUNDS=${ROUNDS:-2}
base_searchd='' base_index=''
if [[ -n ${BASE:-} ]]; then
    for d in bin searchd; do
        [[ -x $BASE/$d/accord-searchd ]] && base_searchd=$BASE/$d/accord-searchd
    done
    for d in bin indexer; do
        [[ -x $BASE/$d/accord-index ]] && base_index=$BASE/$d/accord-index
    done
    [[ -n $base_searchd && -n $base_index ]] || {
        echo "speed.sh: BASE=$BASE has no accord-searchd and accord-index (bin/, searchd/, indexer/)" >&2
        exit 2
    }
fi
corpus=$SHARED/corpus/real
[[ -x $build/bin/accord-index && -x $build/bin/accord-search ]] || {
    echo "speed.sh: build $build first" >&2
    exit 2
}
[[ -d $corpus ]] || {
    echo "speed.sh: no corpus at $corpus" >&2
    exit 2
}
tmp=$(mktemp -d "${TMPDIR:-/tmp}/accord-speed.XXXXXX")
trap 'rm -rf -- "$tmp"' EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
note() { echo "speed.sh: $*" >&2; }

# one index of the real corpus for parts 1-3 (--threads 1: the same document ids every run)
index=$tmp/index
note "indexing $corpus"
"$build/bin/accord-index" --quiet --threads 1 --index "$index" "$corpus"

declare -A fig
has() { [[ " $PARTS " == *" $1 "* ]]; }

if has callgrind; then
    note "1/4 instructions per search (callgrind)"
    PARTS="search suggest" SEARCH_INDEX=$index FACETS=lang,type bash "$here/callgrind.sh" "$build" \
        >"$tmp/callgrind.txt"
    cat "$tmp/callgrind.txt"
    fig[instr]=$(awk '$1 == "search_facets_ir_per_query" { print $2 }' "$tmp/callgrind.txt")
    fig[sinstr]=$(awk '$1 == "suggest_ir_per_query" { print $2 }' "$tmp/callgrind.txt")
fi

if has load; then
    note "2/4 HTTP load (wrk)"
    INDEX=$index ACCORD_SEARCHD=$build/bin/accord-searchd ACCORD_INDEX=$build/bin/accord-index \
        RESULTS=$tmp/load.tsv DURATION=${DURATION:-10} bash "$here/load/run.sh"
    # server endpoint c rps p50 p99 ...
    fig[rps8]=$(awk -F'\t' '$1 == "accord-searchd" && $2 == "/search" && $3 == 8 { print $4 }' "$tmp/load.tsv")
    fig[p99_8]=$(awk -F'\t' '$1 == "accord-searchd" && $2 == "/search" && $3 == 8 { print $6 }' "$tmp/load.tsv")
    fig[mini8]=$(awk -F'\t' '$1 != "accord-searchd" && $2 == "/search" && $3 == 8 { print $4 }' "$tmp/load.tsv")
    if [[ -n $base_searchd ]]; then
        note "2/4 /search at c=8 against BASE=$BASE, $ROUNDS rounds alternating"
        "$base_index" --quiet --threads 1 --index "$tmp/base-index" "$corpus"
        : >"$tmp/ab.tsv"
        for ((r = 1; r <= ROUNDS; r++)); do
            for who in this base; do
                if [[ $who == this ]]; then
                    sd=$build/bin/accord-searchd ix=$index
                else
                    sd=$base_searchd ix=$tmp/base-index
                fi
                INDEX=$ix ACCORD_SEARCHD=$sd ACCORD_INDEX=$build/bin/accord-index CONCURRENCY=8 \
                    MIXED=0 RESULTS=$tmp/ab-one.tsv DURATION=${DURATION:-10} \
                    bash "$here/load/run.sh" >/dev/null
                awk -F'\t' -v w="$who" \
                    '$1 == "accord-searchd" && $2 == "/search" { print w "\t" $4 "\t" $6 }' \
                    "$tmp/ab-one.tsv" >>"$tmp/ab.tsv"
            done
        done
        echo "round by round: who, /search req/s at c=8, p99 ms"
        cat "$tmp/ab.tsv"
        fig[ab]=$(python3 - "$tmp/ab.tsv" <<'PY'
import statistics, sys
rows = [line.split("\t") for line in open(sys.argv[1]).read().split("\n") if line]
def med(who, col):
    return statistics.median(float(r[col]) for r in rows if r[0] == who)
a, b = med("this", 1), med("base", 1)
print(f"{a:.0f} vs {b:.0f} = {a / b:.2f}x (p99 {med('this', 2):.2f} vs {med('base', 2):.2f} ms)")
PY
)
    fi
fi

if has cli; then
    note "3/4 accord-search, one process per query"
    python3 - "$build/bin/accord-search" "$index" "$RUNS" >"$tmp/cli.txt" <<'EOF'
import os, statistics, subprocess, sys, time
binary, index, runs = sys.argv[1], sys.argv[2], int(sys.argv[3])
queries = (os.environ.get("CLI_QUERIES") or
           "climate adaptation finance|biodiversité|net zero 2050").split("|")
meds = []
for rnd in range(3):
    for q in queries:
        ts = []
        for _ in range(runs):
            t = time.perf_counter()
            subprocess.run([binary, "--index", index, "--json", q], stdout=subprocess.DEVNULL,
                           stderr=subprocess.DEVNULL, check=True)
            ts.append((time.perf_counter() - t) * 1000)
        meds.append(statistics.median(ts))
        print(f"round {rnd + 1} {q!r}: median {statistics.median(ts):.1f} ms, "
              f"min {min(ts):.1f} ms over {runs} runs")
print(f"cli_median_ms {statistics.median(meds):.1f}")
EOF
    cat "$tmp/cli.txt"
    fig[cli]=$(awk '$1 == "cli_median_ms" { print $2 }' "$tmp/cli.txt")
fi

if has index; then
    note "4/4 indexing (index_bench.sh real)"
    ACCORD_INDEX=$build/bin/accord-index REPEAT=3 bash "$here/index_bench.sh" real | tee "$tmp/index.txt"
    fig[index_ratio]=$(awk '/^accord\/raw-xapian/ { print $0 }' "$tmp/index.txt")
fi

echo
echo "== summary against the goals (issue 11), $(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) CPUs"
printf '%-44s %-16s %s\n' figure value goal
[[ -n ${fig[instr]:-} ]] &&
    printf '%-44s %-16s %s\n' "instructions per /search (facets lang,type)" \
        "$(awk -v v="${fig[instr]}" 'BEGIN { printf "%.2f M", v / 1e6 }')" "<= 2.0 M"
[[ -n ${fig[sinstr]:-} ]] &&
    printf '%-44s %-16s %s\n' "instructions per /suggest" \
        "$(awk -v v="${fig[sinstr]}" 'BEGIN { printf "%.0f k", v / 1e3 }')" "<= 250 k"
[[ -n ${fig[rps8]:-} ]] &&
    printf '%-44s %-16s %s\n' "/search req/s at c=8 (bare server)" "${fig[rps8]} (${fig[mini8]:-?})" \
        ">= 4x before" &&
    printf '%-44s %-16s %s\n' "/search p99 at c=8, no cache" "${fig[p99_8]} ms" "<= 6 ms"
[[ -n ${fig[ab]:-} ]] &&
    printf '%-44s %s\n' "/search req/s at c=8, this vs BASE (medians)" "${fig[ab]}; goal >= 4x"
[[ -n ${fig[cli]:-} ]] &&
    printf '%-44s %-16s %s\n' "accord-search --json, median per process" "${fig[cli]} ms" "<= 10 ms"
[[ -n ${fig[index_ratio]:-} ]] &&
    printf '%-44s %s\n' "indexing the real corpus" "${fig[index_ratio]}"
exit 0
