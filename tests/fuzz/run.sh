#!/usr/bin/env bash
# Runs one libFuzzer target for a while from a copy of its committed seeds:
#   run.sh TARGET SEED_DIR [SECONDS] [extra libFuzzer flags...]
# Exits non-zero (and leaves crash-*/timeout-*/oom-* in the current directory)
# when the target crashes, hangs (10 s for one input) or grows past 2 GiB.
# FUZZ_RUNS=N runs N executions instead of for SECONDS (the long runs of the
# closing notes: FUZZ_RUNS=10000000).
set -euo pipefail
# leaks inside Xapian's own query parser are Xapian's (lsan.supp says which and why)
export LSAN_OPTIONS="suppressions=$(cd "$(dirname "$0")" && pwd)/lsan.supp${LSAN_OPTIONS:+:$LSAN_OPTIONS}"
bin=$1
seeds=$2
secs=${3:-30}
shift $(($# < 3 ? $# : 3))
work=$(mktemp -d)
trap 'rm -rf "$work" "$work.log"' EXIT
cp -r "$seeds"/. "$work"/
limit=(-max_total_time="$secs")
if [ -n "${FUZZ_RUNS:-}" ]; then
    limit=(-runs="$FUZZ_RUNS")
fi
set +e
"$bin" "${limit[@]}" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
    -artifact_prefix="$PWD/$(basename "$bin")-" "$@" "$work" >"$work.log" 2>&1
rc=$?
set -e
grep -E '^(#[0-9]+[[:space:]]+(INITED|DONE)|stat::|==[0-9]+==|SUMMARY|Done|artifact_prefix|Test unit written)|ERROR|Assertion|runtime error|^    #[0-9] ' "$work.log" | head -n 60
rm -f "$work.log"
exit "$rc"
