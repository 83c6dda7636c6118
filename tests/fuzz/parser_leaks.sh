#!/usr/bin/env bash
# Cross-checks acc_qtext_parser_trap against Xapian's QueryParser (parser_leaks.cc): random
# queries of operators, hated terms, phrases and odd characters, each parsed in a forked child
# under LeakSanitizer; fails when a leaking query is not trapped. Not part of ctest (6,000
# queries take about 6 minutes).
#   tests/fuzz/parser_leaks.sh [BUILD_DIR] [QUERIES] [SEED]   (default build, 6000, 7)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
build=${1:-$here/../../build}
count=${2:-6000}
seed=${3:-7}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
deps=$(pkg-config --libs xapian-core libutf8proc jansson libexttextcat libzstd libxml-2.0 zlib 2>/dev/null ||
    echo "-lxapian -lutf8proc -ljansson -lexttextcat-2.0 -lzstd -lxml2 -lz")
g++ -O1 -g -fsanitize=address -I"$here/../../include" "$here/parser_leaks.cc" -o "$work/parser_leaks" \
    "$build/lib/libaccord.a" $deps
python3 - "$count" "$seed" >"$work/queries" <<'PY'
import random, sys
count, seed = int(sys.argv[1]), int(sys.argv[2])
r = random.Random(seed)
toks = ["a", "b", "-a", "+a", "-a:b", "a:b", "b:c", "(", ")", "(-a", '-"a b"', '"b c"', "NEAR",
        "NEAR/3", "ADJ", "ADJ/2", "AND", "OR", "NOT", "XOR", "[b", "-[a", "b*", "title:b", "-",
        "é", "-é", ",b:c", "b.c", "c-d", "x@y", "a/b", "«b", "b»", "a\\b", "NEARBY", "near",
        "a,NEAR", "l'eau", "ADJ/x", "气候", "a.", ".a", "a:", "+", "#b", "b&c", "a_b", "~a",
        "和", "a和", "和a", "-和", '"和 b"', "和|r", "nOR", "(OR", "OR(a", "(和", "和)", "日本語"]
seen = set()
while len(seen) < count:
    seen.add(" ".join(r.choice(toks) for _ in range(r.randint(1, 6))))
print("\n".join(sorted(seen)))
PY
ASAN_OPTIONS=detect_leaks=1 "$work/parser_leaks" <"$work/queries" 2>/dev/null
