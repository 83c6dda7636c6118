#!/usr/bin/env bash
# Language identification benchmark: libexttextcat vs CLD2 (see README.md).
#   bench/langid/run.sh [CORPUS_DIR [EXTRA_FILE...]]
# Defaults: $SHARED/corpus/real and $SHARED/corpus/seed/cor-iclei-action-plan-2019.txt.
# Environment: REPS (timing passes, default 5), TSV (write per-document predictions there),
# CLD2_TABLES (small: libcld2's own tables, about 80 languages, the default; full:
# libcld2_full.so's tables, 160+ languages, which take the place of the small ones when it is
# linked first), CXX (default g++).
# Builds into bench/langid/.build/ (ignored by git), only when the source is newer.
# ../shared beside the repository (override with SHARED=DIR)
SHARED=${SHARED:-$(cd "$(dirname "$0")/../../.." && pwd)/shared}
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
src=$here/langid_compare.cc
cxx=${CXX:-g++}
tables=${CLD2_TABLES:-small}
case $tables in
small) cld2_libs=(-lcld2) ;;
full) cld2_libs=('-Wl,--no-as-needed' -lcld2_full -lcld2) ;;
*)
    echo "run.sh: CLD2_TABLES must be small or full" >&2
    exit 2
    ;;
esac
out=$here/.build/langid_compare-$tables

if [[ ! -f /usr/include/cld2/public/compact_lang_det.h ]]; then
    echo "run.sh: CLD2 headers missing: apt-get install -y libcld2-dev" >&2
    exit 1
fi
if ! pkg-config --exists libexttextcat; then
    echo "run.sh: libexttextcat missing: apt-get install -y libexttextcat-dev libexttextcat-data" >&2
    exit 1
fi

if [[ ! -x $out || $src -nt $out || $0 -nt $out ]]; then
    mkdir -p "$(dirname "$out")"
    # shellcheck disable=SC2046  # pkg-config output is meant to be word-split
    "$cxx" -std=c++17 -O2 -Wall -Wextra -o "$out.tmp.$$" "$src" \
        $(pkg-config --cflags --libs libexttextcat) "${cld2_libs[@]}"
    mv -f "$out.tmp.$$" "$out"
fi

corpus=${1:-$SHARED/corpus/real}
if [[ $# -gt 1 ]]; then
    extra=("${@:2}")
else
    extra=($SHARED/corpus/seed/cor-iclei-action-plan-2019.txt)
fi
args=(--reps "${REPS:-5}")
if [[ -n ${TSV:-} ]]; then
    args+=(--tsv "$TSV")
fi
echo "CLD2 tables: $tables (${cld2_libs[*]}); exttextcat $(pkg-config --modversion libexttextcat)"
exec "$out" "${args[@]}" "$corpus" "${extra[@]}"
