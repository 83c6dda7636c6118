#!/usr/bin/env bash
# Builds the raw Xapian searcher for the relevance evaluation:
#   bench/eval/build.sh [OUTPUT]      (default bench/.build/raw_xapian_search)
# Same conventions as bench/build.sh: standalone g++ -O2, output in bench/.build/ (ignored by
# git), rebuilt only when the source is newer than the binary.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
src=$here/raw_xapian_search.cc
out=${1:-$here/../.build/raw_xapian_search}
cxx=${CXX:-g++}

if [[ -x $out && $out -nt $src ]]; then
    exit 0
fi
mkdir -p "$(dirname "$out")"
# shellcheck disable=SC2046  # pkg-config output is meant to be word-split
"$cxx" -std=c++17 -O2 -Wall -Wextra -o "$out.tmp.$$" "$src" $(pkg-config --cflags --libs xapian-core)
mv -f "$out.tmp.$$" "$out"
