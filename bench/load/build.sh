#!/usr/bin/env bash
# Builds the minimal libmicrohttpd + Xapian server of the load benchmark:
#   bench/load/build.sh [OUTPUT]      (default bench/.build/mini_server)
# Same conventions as bench/build.sh: standalone g++ -O2 (not part of the CMake build), output
# in bench/.build/ (ignored by git), rebuilt only when the source is newer than the binary.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
src=$here/mini_server.cc
out=${1:-$here/../.build/mini_server}
cxx=${CXX:-g++}

if [[ -x $out && $out -nt $src ]]; then
    exit 0
fi
mkdir -p "$(dirname "$out")"
# shellcheck disable=SC2046  # pkg-config output is meant to be word-split
"$cxx" -std=c++17 -O2 -Wall -Wextra -pthread -o "$out.tmp.$$" "$src" \
    $(pkg-config --cflags --libs xapian-core libmicrohttpd libutf8proc libzstd)
mv -f "$out.tmp.$$" "$out"
