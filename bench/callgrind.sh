#!/usr/bin/env bash
# Instructions (callgrind Ir) per indexed byte and per search, for comparing two builds of accord.
#
#   bench/callgrind.sh [BUILD_DIR]      (default: build/release of this checkout)
#
# BUILD_DIR is a configured and built CMake build of accord, best a Release one (a warning
# otherwise). Its source tree (CMAKE_HOME_DIRECTORY in its CMakeCache.txt) gives the headers,
# corpus/topics.tsv and bench/callgrind_search.c (this script's copy when that tree has none).
# Nothing is written into the repository: everything goes to a mktemp -d directory, removed
# at the end. The corpus is read where it is.
#
# 1. Index: the first INDEX_DOCS *.txt of CORPUS by name (LC_ALL=C sort) are linked into a
#    temporary folder, with CORPUS's manifest.jsonl cut to their lines, and indexed by
#    `accord-index --threads 1` under valgrind --tool=callgrind. Figures: the whole process's
#    Ir (all threads: walk, read, build, write, commit), and that divided by the bytes of the
#    .txt files. The dictionary cache (ACCORD_CACHE_DIR, lib/lexcache.h) is a folder of this run,
#    filled first by the same indexing without valgrind, so the figure is what every build after
#    a machine's first costs; DICT_CACHE=cold measures without the cache (the first build).
# 2. Search: CORPUS is indexed without valgrind (--threads 1, so that document ids, hence ties
#    and costs, are the same in every run), then bench/callgrind_search (a small C program
#    compiled here against BUILD_DIR's libaccord) opens the index once and runs every query of
#    QUERIES under callgrind, first without facets, then with FACETS. Only COLLECT_FN is
#    counted (--toggle-collect): one search as accord-search --json does it (request, the
#    library's search, the JSON answer), not the start-up (opening the index, loading the topic
#    matchers, one warm-up search before the counted ones, as a running accord-searchd has
#    served before), which a one-process-per-query measure would be dominated by. Each pass is also
#    run without valgrind and must give the same results (per query: total, hits, facet counts),
#    since a search that reaches the time limit under valgrind stops counting early and would
#    do less work (ACCORD_QUERY_TIME_LIMIT is set to 600 s for both runs; a build from before
#    that variable keeps its 2 s); a hash of these results is printed, so that
#    two builds can be checked to return the same answers.
#
# Repeatability: the search figures of two runs differ by a few hundred instructions in all
# (took_ms is formatted by printf; the driver fixes jansson's hash seed, which otherwise moves
# them by about 0.05%). The index figure moves by up to about 0.05% (malloc arenas of the threads).
#
# Output on stdout, one "name value" line per figure (progress and timings go to stderr):
#   build, commit                     the build directory and its source's commit (+dirty)
#   expand                            0 with EXPAND=0 (else absent)
#   index_docs, index_bytes           documents indexed (from accord-index --json), bytes of text
#   index_ir_total, index_ir_per_byte instructions of the indexing run, and per byte of text
#   search_queries                    queries run in each pass (LIMIT hits each)
#   search_ir_total, search_ir_per_query          without facets: sum and mean over the queries
#   search_lib_ir_per_query                       ... of which inside LIB_SEARCH_FN (inclusive)
#   search_facets_ir_total, search_facets_ir_per_query, search_facets_lib_ir_per_query
#                                                 the same with FACETS
#   search_results, search_facets_results         hash of every query's total, hit ids, facets
# bench/callgrind_compare.sh runs this for two builds and prints the ratios.
#
# Environment:
#   CORPUS=DIR        corpus (default ../shared/corpus/real beside the repository)
#   INDEX_DOCS=N      documents of the indexing figure (default 80)
#   QUERIES=FILE      queries, one a line, '#' comments (default bench/load/queries.txt)
#   LIMIT=N           hits per search (default 10)
#   FACETS=LIST       facets of the second pass (default lang,type,topic,year,party)
#   PARTS=LIST        parts to run, "index search" by default; "suggest" adds instructions per
#                     /suggest (suggest_ir_per_query) over the prefixes of SUGGESTS
#   SUGGESTS=FILE     /suggest prefixes (default bench/load/suggest.txt)
#   SEARCH_INDEX=DIR  an accord index of CORPUS for the search part instead of a new one
#   TOPICS=FILE       topic vocabulary for indexing and search (default SOURCE/corpus/topics.tsv)
#   DICT_CACHE=cold   index without the dictionary cache (default warm: see 1. above)
#   EXPAND=0          searches without translation (accord-search --no-expand): the search
#                     figures less EXPAND=0's are what cross-language retrieval costs. The
#                     driver in the source tree of BUILD_DIR must know --no-expand (added with it)
#   KEEP=DIR          keep the callgrind files (callgrind_annotate FILE) and result lists there
#   COLLECT_FN, LIB_SEARCH_FN  override the function names below
#
# Time on the 2-core machine: about 1.5 minutes when it is idle (index part 70 s, search part
# 25 s, of which indexing the corpus 7 s), 3 minutes when others are building.
set -euo pipefail
# searches are not cut short by the 2 s wall-clock limit under valgrind (lib/search.c)
export ACCORD_QUERY_TIME_LIMIT=${ACCORD_QUERY_TIME_LIMIT:-600}

# The function whose calls are counted in the search part (callgrind --toggle-collect).
# bench_search is the driver's own (bench/callgrind_search.c): it wraps one whole search, and
# its name does not change when libaccord is refactored. COLLECT_FN=acc_index_search counts the
# library's search call alone (the JSON answer left out), under whatever name it has then.
COLLECT_FN=${COLLECT_FN:-bench_search}
# The library's search entry point (acc_index_search in lib/search.c): its inclusive cost
# inside COLLECT_FN is reported as search_lib_ir_per_query ("NA" when callgrind saw no function
# of that name, e.g. after a rename: set LIB_SEARCH_FN to the new name).
LIB_SEARCH_FN=${LIB_SEARCH_FN:-acc_index_search}

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(cd "$here/.." && pwd)

die() {
    echo "callgrind.sh: $*" >&2
    exit 2
}
note() { echo "callgrind.sh: $*" >&2; }

case ${1:-} in
-h | --help)
    awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "${BASH_SOURCE[0]}"
    exit 0
    ;;
-*) die "usage: $0 [BUILD_DIR]   (settings through the environment; see --help)" ;;
esac
(($# <= 1)) || die "usage: $0 [BUILD_DIR]"

build=$(cd "${1:-$repo/build/release}" 2>/dev/null && pwd) || die "no build directory '${1:-$repo/build/release}'"
CORPUS=${CORPUS:-$(cd "$(dirname "$0")/../.." && pwd)/shared/corpus/real}
INDEX_DOCS=${INDEX_DOCS:-80}
QUERIES=${QUERIES:-$repo/bench/load/queries.txt}
SUGGESTS=${SUGGESTS:-$repo/bench/load/suggest.txt}
LIMIT=${LIMIT:-10}
FACETS=${FACETS:-lang,type,topic,year,party}
PARTS=${PARTS:-index search}
EXPAND=${EXPAND:-1}
KEEP=${KEEP:-}

[[ -f $build/CMakeCache.txt ]] || die "$build is not a CMake build directory"
src=$(sed -n 's/^CMAKE_HOME_DIRECTORY:INTERNAL=//p' "$build/CMakeCache.txt")
[[ -d $src ]] || die "cannot find the source tree of $build"
btype=$(sed -n 's/^CMAKE_BUILD_TYPE:STRING=//p' "$build/CMakeCache.txt")
[[ $btype == Release ]] || note "warning: $build is a '${btype:-default}' build, not Release"
TOPICS=${TOPICS:-$src/corpus/topics.tsv}
indexer=$build/bin/accord-index
# a build from before the bin/ layout (for comparing with an older commit)
[[ -x $indexer || ! -x $build/indexer/accord-index ]] || indexer=$build/indexer/accord-index
driver_src=$src/bench/callgrind_search.c
[[ -f $driver_src ]] || driver_src=$here/callgrind_search.c

[[ $INDEX_DOCS =~ ^[1-9][0-9]*$ ]] || die "INDEX_DOCS must be a positive integer"
[[ $LIMIT =~ ^[1-9][0-9]*$ ]] || die "LIMIT must be a positive integer"
command -v valgrind >/dev/null || die "valgrind is missing (apt-get install -y valgrind)"
command -v callgrind_annotate >/dev/null || die "callgrind_annotate is missing (package valgrind)"
command -v python3 >/dev/null || die "python3 is missing"
[[ -x $indexer ]] || die "$indexer is missing: build $build first"
[[ -d $CORPUS ]] || die "no corpus directory CORPUS=$CORPUS"
[[ -r $QUERIES ]] || die "cannot read QUERIES=$QUERIES"
[[ -r $TOPICS ]] || die "cannot read TOPICS=$TOPICS"
newer=$(find "$src/lib" "$src/indexer" "$src/include" -type f -newer "$indexer" -print -quit 2>/dev/null || true)
[[ -z $newer ]] || note "warning: $newer is newer than $indexer (stale build?)"
if [[ -n $KEEP ]]; then
    mkdir -p -- "$KEEP" || die "cannot create KEEP=$KEEP"
fi

tmp=$(mktemp -d "${TMPDIR:-/tmp}/accord-callgrind.XXXXXX")
trap 'rm -rf -- "$tmp"' EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
DICT_CACHE=${DICT_CACHE:-warm}
case $DICT_CACHE in
cold) export ACCORD_CACHE_DIR= ;;
warm) export ACCORD_CACHE_DIR=$tmp/dict-cache ;;
*) die "DICT_CACHE must be warm or cold, not '$DICT_CACHE'" ;;
esac

rev=$(git -C "$src" rev-parse --short HEAD 2>/dev/null || echo '?')
git -C "$src" diff --quiet HEAD -- 2>/dev/null || rev="$rev+dirty"
echo "build $build"
echo "commit $rev"
[[ $EXPAND == 1 ]] || echo "expand 0"

# ir FILE: the total of a callgrind output file (collected events only)
ir() { awk '/^(summary|totals):/ { print $2; exit }' "$1"; }

# keep FILE...: copies files into KEEP when it is set
keep() { [[ -z $KEEP ]] || cp -f -- "$@" "$KEEP"/; }

# ---------------------------------------------------------------- index

index_part() {
    local t0=$SECONDS subset=$tmp/subset bytes docs total
    mkdir -p "$subset"
    find -L "$CORPUS" -maxdepth 1 -name '*.txt' ! -name '.*' -printf '%f\n' | LC_ALL=C sort \
        >"$tmp/corpus.files"
    head -n "$INDEX_DOCS" "$tmp/corpus.files" >"$tmp/subset.files"
    (($(wc -l <"$tmp/subset.files") == INDEX_DOCS)) || die "CORPUS has fewer than $INDEX_DOCS .txt files"
    while IFS= read -r f; do
        ln -s -- "$CORPUS/$f" "$subset/$f"
    done <"$tmp/subset.files"
    if [[ -f $CORPUS/manifest.jsonl ]]; then
        python3 -c 'import json, sys
ids = {l.rstrip("\n")[:-4] for l in open(sys.argv[1], encoding="utf-8")}
for line in open(sys.argv[2], encoding="utf-8"):
    if line.strip() and json.loads(line).get("id") in ids:
        sys.stdout.write(line)' "$tmp/subset.files" "$CORPUS/manifest.jsonl" >"$subset/manifest.jsonl"
    fi
    bytes=$(find -L "$subset" -name '*.txt' -printf '%s\n' | awk '{ b += $1 } END { print b + 0 }')
    if [[ $DICT_CACHE == warm ]]; then
        "$indexer" --quiet --threads 1 --topics "$TOPICS" --index "$tmp/prime-index" "$subset" \
            >/dev/null 2>&1 || true
        rm -rf -- "$tmp/prime-index"
    fi
    note "index: $INDEX_DOCS documents ($bytes bytes) under callgrind (dictionary cache $DICT_CACHE)"
    valgrind --tool=callgrind --callgrind-out-file="$tmp/callgrind.index" -- \
        "$indexer" --quiet --json --threads 1 --topics "$TOPICS" --index "$tmp/subset-index" "$subset" \
        >"$tmp/index.json" 2>"$tmp/index.log" || {
        tail -n 5 "$tmp/index.log" >&2
        die "accord-index failed under callgrind"
    }
    docs=$(python3 -c 'import json, sys; print(json.load(open(sys.argv[1]))["documents"])' "$tmp/index.json")
    ((docs == INDEX_DOCS)) || note "warning: $docs documents indexed of $INDEX_DOCS"
    total=$(ir "$tmp/callgrind.index")
    [[ $total =~ ^[0-9]+$ ]] || die "no instruction count in the callgrind output"
    echo "index_docs $docs"
    echo "index_bytes $bytes"
    echo "index_ir_total $total"
    echo "index_ir_per_byte $(awk -v i="$total" -v b="$bytes" 'BEGIN { printf "%.1f", i / b }')"
    keep "$tmp/callgrind.index"
    note "index part: $((SECONDS - t0)) s"
}

# ---------------------------------------------------------------- search

# build_driver OUT: compiles callgrind_search.c with the flags and libraries of BUILD_DIR's
# accord-searchd (CMake's Makefile generator files: its allocator too, mimalloc in a default
# build), else of its accord-search (a build from before the daemon linked an allocator of
# its own), or else with pkg-config.
build_driver() {
    local out=$1 prog=accord-searchd dir=$build/searchd/CMakeFiles/accord-searchd.dir flags libs
    if [[ ! -f $dir/link.txt ]] || ! grep -q mimalloc "$dir/link.txt"; then
        prog=accord-search dir=$build/cli/CMakeFiles/accord-search.dir
    fi
    if [[ -f $dir/flags.make && -f $dir/link.txt ]]; then
        flags=$(sed -n 's/^C_\(DEFINES\|INCLUDES\|FLAGS\) = //p' "$dir/flags.make" | tr '\n' ' ')
        flags=${flags//-Werror/}
        libs=$(sed -n "s/.* -o [^ ]*$prog //p" "$dir/link.txt")
        [[ -n $libs ]] || die "cannot read the libraries from $dir/link.txt"
        # shellcheck disable=SC2086 # flags and libs are word lists as CMake wrote them
        (cd "$(dirname "$dir")/.." && cc $flags -c "$driver_src" -o "$out.o" &&
            c++ "$out.o" -o "$out" $libs) || die "cannot build $driver_src against $build"
    else
        local lib
        lib=$(find "$build" -name 'libaccord.a' -print -quit)
        [[ -n $lib ]] || die "no libaccord.a in $build"
        # shellcheck disable=SC2046
        cc -O3 -DNDEBUG -std=c17 -D_POSIX_C_SOURCE=200809L -I"$src/include" "$driver_src" "$lib" \
            $(pkg-config --cflags --libs xapian-core libutf8proc jansson libexttextcat libzstd) \
            -lstdc++ -lm -pthread -o "$out" || die "cannot build $driver_src against $build"
    fi
}

# search_pass NAME FACETS: runs the queries natively then under callgrind, prints NAME_* lines
search_pass() {
    local name=$1 facets=$2 nq total lib
    local -a cmd=("$tmp/callgrind_search" --index "$index" --topics "$TOPICS" --limit "$LIMIT"
        --facets "$facets")
    [[ $EXPAND == 1 ]] || cmd+=(--no-expand)
    cmd+=("$QUERIES")
    "${cmd[@]}" >"$tmp/$name.native" || die "$name: callgrind_search failed"
    valgrind --tool=callgrind --toggle-collect="$COLLECT_FN" \
        --callgrind-out-file="$tmp/callgrind.$name" -- "${cmd[@]}" >"$tmp/$name.results" \
        2>"$tmp/$name.log" || {
        tail -n 5 "$tmp/$name.log" >&2
        die "$name: callgrind_search failed under callgrind"
    }
    if ! cmp -s "$tmp/$name.native" "$tmp/$name.results"; then
        diff "$tmp/$name.native" "$tmp/$name.results" | head -n 6 >&2 || true
        die "$name: the results under callgrind differ from those without (time limit?)"
    fi
    nq=$(wc -l <"$tmp/$name.results")
    total=$(ir "$tmp/callgrind.$name")
    if [[ ! $total =~ ^[0-9]+$ ]] || ((total == 0)); then
        die "$name: callgrind counted nothing in $COLLECT_FN (no such function?)"
    fi
    lib=$(callgrind_annotate --inclusive=yes --threshold=100 "$tmp/callgrind.$name" 2>/dev/null |
        awk -v fn="$LIB_SEARCH_FN" '{ for (i = 2; i <= NF; i++) { f = $i; sub(/^[^:]*:/, "", f)
                                       if (f == fn && !done) { gsub(/,/, "", $1); print $1; done = 1 } } }')
    [[ $name == search ]] && echo "search_queries $nq"
    echo "${name}_ir_total $total"
    echo "${name}_ir_per_query $(((total + nq / 2) / nq))"
    if [[ $lib =~ ^[0-9]+$ ]]; then
        echo "${name}_lib_ir_per_query $(((lib + nq / 2) / nq))"
    else
        echo "${name}_lib_ir_per_query NA"
    fi
    echo "${name}_results $(md5sum <"$tmp/$name.results" | cut -c1-16)"
    keep "$tmp/callgrind.$name" "$tmp/$name.results"
}

# driver_and_index: the driver built and the index of CORPUS (SEARCH_INDEX, or made once)
driver_and_index() {
    [[ -x $tmp/callgrind_search ]] || build_driver "$tmp/callgrind_search"
    [[ -z ${index:-} ]] || return 0
    index=${SEARCH_INDEX:-}
    if [[ -z $index ]]; then
        local t0=$SECONDS
        index=$tmp/index
        note "search: indexing $CORPUS (--threads 1, not under valgrind)"
        "$indexer" --quiet --threads 1 --topics "$TOPICS" --index "$index" "$CORPUS" ||
            die "accord-index failed on $CORPUS"
        note "search: indexed in $((SECONDS - t0)) s"
    fi
}

search_part() {
    local t0=$SECONDS
    driver_and_index
    local t1=$SECONDS
    note "search: the queries of $QUERIES under callgrind, without facets and with $FACETS"
    search_pass search ""
    search_pass search_facets "$FACETS"
    note "search part: $((SECONDS - t0)) s ($((SECONDS - t1)) s of searching)"
}

# suggest_part: each prefix of SUGGESTS through acc_index_suggest_json (8 completions, as
# accord-searchd's /suggest), counted in the driver's bench_suggest
suggest_part() {
    local nq total
    driver_and_index
    local -a cmd=("$tmp/callgrind_search" --index "$index" --topics "$TOPICS" --suggest "$SUGGESTS")
    "${cmd[@]}" >"$tmp/suggest.native" || die "suggest: callgrind_search failed"
    valgrind --tool=callgrind --toggle-collect=bench_suggest \
        --callgrind-out-file="$tmp/callgrind.suggest" -- "${cmd[@]}" >"$tmp/suggest.results" \
        2>"$tmp/suggest.log" || die "suggest: callgrind_search failed under callgrind"
    cmp -s "$tmp/suggest.native" "$tmp/suggest.results" ||
        die "suggest: the answers under callgrind differ from those without"
    nq=$(wc -l <"$tmp/suggest.results")
    total=$(ir "$tmp/callgrind.suggest")
    [[ $total =~ ^[0-9]+$ ]] && ((total > 0)) || die "suggest: callgrind counted nothing"
    echo "suggest_queries $nq"
    echo "suggest_ir_per_query $(((total + nq / 2) / nq))"
    echo "suggest_results $(md5sum <"$tmp/suggest.results" | cut -c1-16)"
    keep "$tmp/callgrind.suggest" "$tmp/suggest.results"
}

for part in $PARTS; do
    case $part in
    index) index_part ;;
    search) search_part ;;
    suggest) suggest_part ;;
    *) die "unknown part '$part' in PARTS (index, search, suggest)" ;;
    esac
done
