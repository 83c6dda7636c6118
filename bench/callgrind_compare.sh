#!/usr/bin/env bash
# Compares the instruction counts of two builds of accord (bench/callgrind.sh) side by side.
#
#   bench/callgrind_compare.sh A B
#
# A and B are each a build directory (bench/callgrind.sh runs on it, A first, then B) or a file
# that holds the output of an earlier bench/callgrind.sh run ("name value" lines; lines starting
# with '#' are skipped), e.g. a saved baseline. The environment is passed to bench/callgrind.sh
# (PARTS, CORPUS, QUERIES, ... see bench/callgrind.sh --help): compare runs made with the same
# settings only.
#
# Prints one row per figure present in both: A's value, B's, and B/A. A figure counting
# instructions (*_ir_*) whose B/A is above MAX_RATIO (default 1.05) is marked "over"; the
# result hashes (*_results) say "same" or "DIFFER" (B's searches returned other hits, totals
# or facet counts than A's). Run-to-run noise is about 0.01% (see bench/callgrind.sh).
#
# Exit status: 0, 1 when a figure is over MAX_RATIO or the results differ, 2 on errors.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
MAX_RATIO=${MAX_RATIO:-1.05}

die() {
    echo "callgrind_compare.sh: $*" >&2
    exit 2
}

case ${1:-} in
-h | --help)
    awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "${BASH_SOURCE[0]}"
    exit 0
    ;;
esac
(($# == 2)) || die "usage: $0 A B   (build directories or saved bench/callgrind.sh outputs)"
[[ $MAX_RATIO =~ ^[0-9]+(\.[0-9]+)?$ ]] || die "MAX_RATIO must be a number, not '$MAX_RATIO'"

tmp=$(mktemp -d "${TMPDIR:-/tmp}/accord-cgcompare.XXXXXX")
trap 'rm -rf -- "$tmp"' EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# figures SIDE ARG: the figures of build directory or saved output ARG into $tmp/SIDE
figures() {
    local side=$1 arg=$2 t0=$SECONDS
    if [[ -d $arg ]]; then
        echo "callgrind_compare.sh: $side: bench/callgrind.sh $arg" >&2
        "$here/callgrind.sh" "$arg" >"$tmp/$side" || die "bench/callgrind.sh failed on $arg"
        echo "callgrind_compare.sh: $side took $((SECONDS - t0)) s" >&2
    elif [[ -f $arg ]]; then
        grep -v '^#' -- "$arg" >"$tmp/$side" || true
    else
        die "'$arg' is neither a build directory nor a file"
    fi
    grep -q '_ir_' "$tmp/$side" || die "no instruction figures from '$arg'"
}

figures A "$1"
figures B "$2"

awk -v max="$MAX_RATIO" '
    FNR == NR { a[$1] = $2; next }
    $1 in a { order[++n] = $1; b[$1] = $2 }
    END {
        printf "%-32s %18s %18s %9s\n", "figure", "A", "B", "B/A"
        bad = 0
        for (i = 1; i <= n; i++) {
            k = order[i]
            if (k == "build" || k == "commit") {
                printf "%-32s %18s %18s\n", k, a[k], b[k]
            } else if (k ~ /_results$/) {
                same = a[k] == b[k] ? "same" : "DIFFER"
                if (same != "same") bad = 1
                printf "%-32s %18s %18s %9s\n", k, a[k], b[k], same
            } else if (a[k] ~ /^[0-9.]+$/ && b[k] ~ /^[0-9.]+$/ && a[k] + 0 > 0) {
                r = b[k] / a[k]
                mark = ""
                if (k ~ /_ir_/ && r > max + 0) { mark = "  over"; bad = 1 }
                printf "%-32s %18s %18s %9.4f%s\n", k, a[k], b[k], r, mark
            } else {
                printf "%-32s %18s %18s %9s\n", k, a[k], b[k], "-"
            }
        }
        exit bad
    }' "$tmp/A" "$tmp/B"
