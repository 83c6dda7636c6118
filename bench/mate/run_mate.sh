#!/usr/bin/env bash
# Mate benchmark: does a query in English find the document's own version in language L?
#
#   bench/mate/run_mate.sh [--index IDX] [mate.py options...]
#
# Without --index, indexes the corpus with accord-index into a temporary directory (removed at
# the end), then runs bench/mate/mate.py on it: every linked pair of language versions in the
# manifest, title and first-sentence queries, with and without query translation, one table.
# Other options (--json-out FILE, --limit N, --all-pairs, --jobs N, ...) go to mate.py.
#
# Environment:
#   CORPUS         corpus directory (default ../shared/corpus/real beside the repository)
#   ACCORD_INDEX   accord-index binary (default build/bin/accord-index)
#   ACCORD_SEARCH  accord-search binary (default build/bin/accord-search)
#   INDEX_ARGS     extra accord-index options, e.g. "--thesaurus ../shared/thesaurus/gemet/..."
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(cd "$here/../.." && pwd)
start=$(date +%s.%N)
since() { awk -v a="$1" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }'; }

if [[ -z ${CORPUS:-} ]]; then
    # A git worktree (e.g. /work/wt/NAME) sits one level deeper than the main checkout.
    for c in "${SHARED:-}" "$repo/../shared" "$repo/../../shared"; do
        if [[ -n $c && -d $c/corpus/real ]]; then
            CORPUS=$(cd "$c/corpus/real" && pwd)
            break
        fi
    done
fi
CORPUS=${CORPUS:-$repo/../shared/corpus/real}
ACCORD_INDEX=${ACCORD_INDEX:-$repo/build/bin/accord-index}
ACCORD_SEARCH=${ACCORD_SEARCH:-$repo/build/bin/accord-search}

index=
args=()
while (($#)); do
    case $1 in
    -h | --help)
        awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "${BASH_SOURCE[0]}"
        exit 0
        ;;
    --index)
        index=${2:?--index needs a directory}
        shift 2
        ;;
    --index=*)
        index=${1#--index=}
        shift
        ;;
    *)
        args+=("$1")
        shift
        ;;
    esac
done

if [[ ! -f $CORPUS/manifest.jsonl ]]; then
    echo "run_mate: no corpus at $CORPUS (set CORPUS)" >&2
    exit 2
fi
if [[ ! -x $ACCORD_SEARCH ]]; then
    echo "run_mate: $ACCORD_SEARCH is missing; build with cmake --build build -j2 (or set ACCORD_SEARCH)" >&2
    exit 2
fi

if [[ -z $index ]]; then
    if [[ ! -x $ACCORD_INDEX ]]; then
        echo "run_mate: $ACCORD_INDEX is missing; build it (or set ACCORD_INDEX, or give --index)" >&2
        exit 2
    fi
    tmp=$(mktemp -d "${TMPDIR:-/tmp}/accord-mate.XXXXXX")
    trap 'rm -rf "$tmp"' EXIT
    index=$tmp/index
    t0=$(date +%s.%N)
    # shellcheck disable=SC2086  # INDEX_ARGS is a list of options
    if ! "$ACCORD_INDEX" --quiet ${INDEX_ARGS:-} --index "$index" "$CORPUS"; then
        echo "run_mate: accord-index failed" >&2
        exit 2
    fi
    echo "indexed $CORPUS in $(since "$t0") s"
fi

python3 "$here/mate.py" --index "$index" --search "$ACCORD_SEARCH" --corpus "$CORPUS" \
    ${args[@]+"${args[@]}"}
echo "run_mate: total time $(since "$start") s (indexing included)"
