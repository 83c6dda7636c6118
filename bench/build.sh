#!/usr/bin/env bash
# Builds the raw libxapian baseline indexer: bench/build.sh [OUTPUT]
# (default bench/.build/raw_xapian_index). Standalone: not part of the CMake build.
# Rebuilds only when the source is newer than the binary.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
src=$here/raw_xapian_index.cc
out=${1:-$here/.build/raw_xapian_index}
cxx=${CXX:-g++}

if [[ -x $out && $out -nt $src ]]; then
    exit 0
fi
mkdir -p "$(dirname "$out")"
# shellcheck disable=SC2046  # pkg-config output is meant to be word-split
"$cxx" -std=c++17 -O2 -Wall -Wextra -o "$out.tmp.$$" "$src" \
    $(pkg-config --cflags --libs xapian-core jansson)
mv -f "$out.tmp.$$" "$out"
