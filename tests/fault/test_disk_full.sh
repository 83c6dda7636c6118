#!/usr/bin/env bash
# The disk fills up while accord-index writes (issue 13): tests/fault/enospc.c,
# preloaded, fails every write and fsync to the index past a byte budget with
# ENOSPC. For each budget accord-index must exit 2 with an error naming the
# cause, the index must still be the last committed one (xapian-check clean,
# its documents those of the previous run or of whole batches after it, still
# searchable), and a run once there is room again must bring it up to date.
#
# usage: test_disk_full.sh ACCORD_INDEX ACCORD_SEARCH ENOSPC_SO
set -u
IDX=$1
SEARCH=$2
SHIM=$3
export ACCORD_DICT_DIR=
# a sanitized build's runtime must come first; the shim is not sanitized
export ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}verify_asan_link_order=0"
# Xapian's own leak when a commit fails (tests/fault/lsan.supp)
export LSAN_OPTIONS="${LSAN_OPTIONS:+$LSAN_OPTIONS:}suppressions=$(cd "$(dirname "$0")" && pwd)/lsan.supp"
tmp=$(mktemp -d "${TMPDIR:-/tmp}/accord-diskfull.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
n=0
failed=0
ok() { n=$((n + 1)); echo "ok $n - $1"; }
bad() { n=$((n + 1)); failed=$((failed + 1)); echo "not ok $n - $1"; [ $# -gt 1 ] && printf '#   %s\n' "$2"; }

python3 - "$tmp/c" <<'PY'
import os, random, sys
root = sys.argv[1]
os.makedirs(root)
r = random.Random(3)
words = "climate forest ocean energy carbon water soil species city treaty party".split()
for i in range(1, 301):
    with open(os.path.join(root, f"d{i}.txt"), "w") as f:
        f.write(f"Doc {i}\nkillword{i} " + " ".join(r.choice(words) for _ in range(600)) + "\n")
PY
"$IDX" --quiet --no-lexicon --index "$tmp/db" "$tmp/c" || { bad "the first run"; exit 1; }
python3 - "$tmp/c" <<'PY'
import os, random, sys
root = sys.argv[1]
r = random.Random(4)
words = "climate forest ocean energy carbon water soil species city treaty party".split()
for i in range(301, 501):
    with open(os.path.join(root, f"d{i}.txt"), "w") as f:
        f.write(f"Doc {i}\nnewword{i} " + " ".join(r.choice(words) for _ in range(600)) + "\n")
PY

count() { xapian-delve "$1" 2>/dev/null | sed -n 's/^number of documents = //p'; }
for budget in 0 4096 65536 262144 1048576 4194304; do
    db=$tmp/db.$budget
    rm -rf "$db"
    cp -r "$tmp/db" "$db"
    LD_PRELOAD=$SHIM ACC_FAULT_PATH=$db/ ACC_FAULT_BYTES=$budget \
        "$IDX" --no-lexicon --batch 50 --index "$db" "$tmp/c" >/dev/null 2>"$tmp/err"
    rc=$?
    msg=$(grep 'error' "$tmp/err" | tail -n 1)
    if [ "$rc" -eq 0 ] && [ "$(count "$db")" = 500 ]; then
        ok "$budget bytes were room enough: exit 0, all 500 documents"
    elif [ "$rc" -eq 2 ] && grep -q 'No space left on device' <<<"$msg"; then
        ok "disk full after $budget bytes: exit 2, '$msg'"
    else
        bad "disk full after $budget bytes: exit 2 with the cause" "exit $rc: $(tail -n 3 "$tmp/err")"
    fi
    if xapian-check "$db" >/dev/null 2>&1; then
        ok "after $budget bytes: xapian-check passes"
    else
        bad "after $budget bytes: xapian-check passes" "$(xapian-check "$db" 2>&1 | tail -n 3)"
    fi
    c=$(count "$db")
    if [ -n "$c" ] && [ "$c" -ge 300 ] && [ $(((c - 300) % 50)) -eq 0 ]; then
        ok "after $budget bytes: $c documents, the previous run's and whole batches"
    else
        bad "after $budget bytes: the previous run's documents and whole batches" "count '$c'"
    fi
    if "$SEARCH" --index "$db" --json killword17 2>/dev/null | grep -q '"id":"d17"'; then
        ok "after $budget bytes: the index answers searches"
    else
        bad "after $budget bytes: the index answers searches"
    fi
    "$IDX" --quiet --no-lexicon --index "$db" "$tmp/c" >/dev/null 2>"$tmp/err2"
    rc=$?
    c=$(count "$db")
    if [ "$rc" -eq 0 ] && [ "$c" = 500 ]; then
        ok "after $budget bytes: with room again, the next run brings all 500 documents"
    else
        bad "after $budget bytes: the next run brings all 500 documents" "exit $rc, $c: $(tail -n 2 "$tmp/err2")"
    fi
done
echo "1..$n"
[ "$failed" -eq 0 ]
