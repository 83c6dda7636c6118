#!/usr/bin/env bash
# What the commitment extractor costs at index time: accord-index runs under callgrind (one
# thread) over the first N documents of the real corpus, and the extractor's inclusive
# instructions (acc_commit_extract and what it calls) are printed as a share of the whole run.
#
#   bash bench/commitments/cost.sh [N=80] [BUILD=build]
set -euo pipefail
cd "$(dirname "$0")/../.."
N=${1:-80}
BUILD=${2:-build}
REAL=${ACC_REAL:-../shared/corpus/real}
command -v valgrind >/dev/null || { echo "cost.sh: valgrind is needed (apt-get install valgrind)" >&2; exit 1; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir "$tmp/in"
ls "$REAL"/*.txt | sort | head -n "$N" | while read -r f; do ln -s "$(realpath "$f")" "$tmp/in/"; done
cp "$REAL/manifest.jsonl" "$tmp/in/"
bytes=$(cat "$tmp"/in/*.txt | wc -c)
valgrind --tool=callgrind --callgrind-out-file="$tmp/cg.out" \
    "$BUILD/bin/accord-index" --index "$tmp/db" -t 1 --no-dict "$tmp/in" >/dev/null 2>"$tmp/vg.log"
total=$(callgrind_annotate "$tmp/cg.out" 2>/dev/null | awk '/PROGRAM TOTALS/ {gsub(",", "", $1); if (!done) print $1; done = 1}')
extract=$(callgrind_annotate --inclusive=yes "$tmp/cg.out" 2>/dev/null |
    awk '/acc_commit_extract/ {gsub(",", "", $1); if (!done) print $1; done = 1}')
printf 'documents %s, bytes %s\n' "$N" "$bytes"
printf 'accord-index instructions   %s (%.1f per byte)\n' "$total" "$(echo "$total / $bytes" | bc -l)"
printf 'acc_commit_extract inclusive %s (%.2f%% of the run)\n' "${extract:-0}" \
    "$(echo "${extract:-0} * 100 / $total" | bc -l)"
