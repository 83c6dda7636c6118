#!/usr/bin/env bash
# HTTP load benchmark: accord-searchd against a minimal libmicrohttpd + Xapian server
# (bench/load/mini_server.cc) on the same index, with wrk, for /search and /suggest at
# several concurrencies. Prints one table and PASS/FAIL against the goals.
#
#   bench/load/run.sh
#
# Environment:
#   DURATION=S       seconds of each wrk run (default 10)
#   CONCURRENCY="1 8 64"   connections of the wrk runs (wrk -t = min(c, 2))
#   INDEX=DIR        search this accord index instead of indexing CORPUS into a temporary dir
#   CORPUS=DIR       corpus indexed when INDEX is not given (default $SHARED/corpus/real)
#   MINI_MODE=M      threading of the minimal server: pool (default), tpc or single
#   WARMUP=S         seconds of the warm-up run per server and endpoint (default 2)
#   WRK_TIMEOUT=T    wrk --timeout: a slower response counts as an error (default 5s)
#   RESULTS=FILE     also write the rows as tab-separated values to FILE
#   STRICT=1         exit 1 when a goal fails (default: exit 0 once the benchmark has run)
#   MIXED=0          skip the head-of-line run (/suggest at c=1 while /search runs at c=8)
#   CACHE_MB=N       accord-searchd --cache-mb N (default 0: no answer cache, so that every
#                    request does its Xapian work, as mini's do; the query lists repeat)
#   ACCORD_SEARCHD, ACCORD_INDEX   binaries (default build/release/...; built when missing)
#
# Exit status: 0 when every run completed and both servers stopped cleanly (exit status 0 on
# SIGTERM); 1 when a server failed, died or a goal failed under STRICT=1; 2 on a usage error.
# ../shared beside the repository (override with SHARED=DIR)
SHARED=${SHARED:-$(cd "$(dirname "$0")/../../.." && pwd)/shared}
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(cd "$here/../.." && pwd)

case ${1:-} in
-h | --help)
    sed -n '2,25p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'
    exit 0
    ;;
"") ;;
*)
    echo "usage: $0  (settings are environment variables: see --help)" >&2
    exit 2
    ;;
esac

DURATION=${DURATION:-10}
CONCURRENCY=${CONCURRENCY:-1 8 64}
CORPUS=${CORPUS:-$SHARED/corpus/real}
MINI_MODE=${MINI_MODE:-pool}
WARMUP=${WARMUP:-2}
WRK_TIMEOUT=${WRK_TIMEOUT:-5s}
STRICT=${STRICT:-0}
MIXED=${MIXED:-1}
CACHE_MB=${CACHE_MB:-0}
default_searchd=$repo/build/release/bin/accord-searchd
default_indexer=$repo/build/release/bin/accord-index
ACCORD_SEARCHD=${ACCORD_SEARCHD:-$default_searchd}
ACCORD_INDEX=${ACCORD_INDEX:-$default_indexer}
mini=$repo/bench/.build/mini_server
lua=$here/wrk_queries.lua
queries=$here/queries.txt
prefixes=$here/suggest.txt

# goals (from the issue)
GOAL_RATIO=0.8       # accord req/s >= 0.8x the minimal server's, /search at c=8 and c=64
GOAL_P99_SEARCH=3    # ms, accord /search p99 at c=8
GOAL_P99_SUGGEST=2   # ms, accord /suggest p99 at c=8
GOAL_RSS=64          # MiB, accord's largest VmRSS over all runs

die() {
    echo "load bench: $*" >&2
    exit 2
}

[[ $DURATION =~ ^[1-9][0-9]*$ ]] || die "DURATION must be a positive integer, not '$DURATION'"
[[ $WARMUP =~ ^[0-9]+$ ]] || die "WARMUP must be a whole number of seconds, not '$WARMUP'"
for c in $CONCURRENCY; do
    [[ $c =~ ^[1-9][0-9]*$ ]] || die "CONCURRENCY must list positive integers, not '$c'"
done
case $MINI_MODE in pool | tpc | single) ;; *) die "MINI_MODE must be pool, tpc or single" ;; esac
for tool in wrk curl awk g++ pkg-config; do
    command -v "$tool" >/dev/null || die "$tool is missing (apt-get install -y wrk curl g++ pkg-config)"
done
[[ -n ${INDEX:-} || -d $CORPUS ]] || die "no corpus directory $CORPUS (or give INDEX=DIR)"
[[ -z ${INDEX:-} || -d $INDEX ]] || die "INDEX=$INDEX is not a directory"

tmp=$(mktemp -d "${TMPDIR:-/tmp}/accord-load.XXXXXX")
accord_pid="" mini_pid=""
# shellcheck disable=SC2317  # invoked by the EXIT trap
cleanup() {
    # only the two servers this script started, by their pids
    for p in $accord_pid $mini_pid; do
        kill -TERM "$p" 2>/dev/null || true
    done
    for p in $accord_pid $mini_pid; do
        wait "$p" 2>/dev/null || true
    done
    rm -rf -- "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# ---------------------------------------------------------------- build

build_accord=0
for bin in "$ACCORD_SEARCHD" "$ACCORD_INDEX"; do
    if [[ ! -x $bin ]]; then
        [[ $bin == "$default_searchd" || $bin == "$default_indexer" ]] || die "$bin is not executable"
        build_accord=1
    fi
done
if ((build_accord)); then
    echo "load bench: building accord (build/release)" >&2
    (cd "$repo" &&
        cmake -S . -B build/release -DCMAKE_BUILD_TYPE=Release -DBUILD_TESTING=OFF >&2 &&
        cmake --build build/release --target accord-searchd accord-index >&2) ||
        die "accord did not build"
fi
if [[ $ACCORD_SEARCHD == "$default_searchd" ]]; then
    newer=$(find "$repo/lib" "$repo/searchd" "$repo/include" -type f -newer "$ACCORD_SEARCHD" \
        -print -quit 2>/dev/null || true)
    [[ -z $newer ]] || echo "load bench: warning: $newer is newer than accord-searchd (stale build?)" >&2
fi
"$here/build.sh" "$mini" || die "cannot build the minimal server"

# ---------------------------------------------------------------- index

if [[ -n ${INDEX:-} ]]; then
    index=$INDEX
else
    index=$tmp/index
    echo "load bench: indexing $CORPUS" >&2
    "$ACCORD_INDEX" --index "$index" "$CORPUS" >"$tmp/index.log" 2>&1 || {
        cat "$tmp/index.log" >&2
        die "accord-index failed"
    }
fi

# ---------------------------------------------------------------- servers

# start NAME LOG CMD...: runs a server in the background; sets started_pid and started_url
start() {
    local name=$1 log=$2 port="" i
    shift 2
    "$@" >"$log.out" 2>"$log.err" &
    started_pid=$!
    for ((i = 0; i < 300; i++)); do
        # the background job may not have created the file yet
        port=$(sed -n 's|.*listening on http://[^:/]*:\([0-9][0-9]*\)/.*|\1|p' "$log.out" 2>/dev/null ||
            true)
        [[ -n $port ]] && break
        if ! kill -0 "$started_pid" 2>/dev/null; then
            cat "$log.err" >&2
            die "$name exited before listening"
        fi
        sleep 0.05
    done
    [[ -n $port ]] || die "$name did not print its address within 15 s"
    started_url=http://127.0.0.1:$port
}

[[ $CACHE_MB =~ ^[0-9]+$ ]] || die "CACHE_MB must be a whole number of MiB, not '$CACHE_MB'"
start accord-searchd "$tmp/accord" "$ACCORD_SEARCHD" --index "$index" --port 0 --cache-mb "$CACHE_MB"
accord_pid=$started_pid accord_url=$started_url
start mini_server "$tmp/mini" "$mini" --index "$index" --port 0 --mode "$MINI_MODE"
mini_pid=$started_pid mini_url=$started_url
echo "load bench: accord-searchd $accord_url (pid $accord_pid), mini_server $mini_url" \
    "(pid $mini_pid, mode $MINI_MODE)" >&2

code=$(curl -s -o /dev/null -w '%{http_code}' "$accord_url/suggest?q=cl" || true)
accord_suggest=1
if [[ $code == 404 ]]; then
    accord_suggest=0
    echo "load bench: accord-searchd has no /suggest (404): its /suggest rows are 'missing'" >&2
elif [[ $code != 200 ]]; then
    echo "load bench: warning: accord-searchd /suggest?q=cl answered $code" >&2
fi

# the request of each server and endpoint: wrk script arguments FILE PATH [SUFFIX]
wrk_args() { # SERVER ENDPOINT
    case $1/$2 in
    accord/search) printf '%s\n' "$queries" "/search?q=" "&facets=lang,type" ;;
    mini/search) printf '%s\n' "$queries" "/search?q=" ;;
    */suggest) printf '%s\n' "$prefixes" "/suggest?q=" ;;
    esac
}

# rss_sampler PID OUT: largest VmRSS (kB) of PID, sampled every 0.1 s, kept in OUT
rss_sampler() {
    local pid=$1 out=$2 max=0 k v _
    while kill -0 "$pid" 2>/dev/null; do
        while read -r k v _; do
            if [[ $k == VmRSS: ]]; then
                ((v > max)) && max=$v && echo "$max" >"$out"
                break
            fi
        done <"/proc/$pid/status" || true
        sleep 0.1
    done
}

# cpu_ticks PID: user + system CPU time of PID and its threads, in clock ticks
cpu_ticks() {
    local stat rest f
    read -r stat <"/proc/$1/stat" || {
        echo 0
        return
    }
    rest=${stat##*) } # the fields after the command name, from field 3 (state) on
    read -ra f <<<"$rest"
    echo $((f[11] + f[12]))
}

# bench SERVER ENDPOINT C SECONDS LOG: one wrk run; prints its WRK_RESULT line with
# cpu_ticks=N (the server's CPU time over the run) appended, or nothing when wrk failed
bench() {
    local server=$1 endpoint=$2 c=$3 secs=$4 log=$5 url pid t args=() sampler cpu0 cpu1 line
    if [[ $server == accord ]]; then url=$accord_url pid=$accord_pid; else url=$mini_url pid=$mini_pid; fi
    t=$((c < 2 ? c : 2))
    mapfile -t args < <(wrk_args "$server" "$endpoint")
    echo 0 >"$log.rss"
    rss_sampler "$pid" "$log.rss" &
    sampler=$!
    cpu0=$(cpu_ticks "$pid")
    wrk -t "$t" -c "$c" -d "${secs}s" --timeout "$WRK_TIMEOUT" -s "$lua" "$url" -- "${args[@]}" \
        >"$log.wrk" 2>&1 || true
    cpu1=$(cpu_ticks "$pid")
    kill "$sampler" 2>/dev/null || true
    wait "$sampler" 2>/dev/null || true
    line=$(grep '^WRK_RESULT ' "$log.wrk" | tail -n 1 || true)
    [[ -z $line ]] || echo "$line cpu_ticks=$((cpu1 - cpu0))"
}

# field LINE NAME: the value of NAME=... in a WRK_RESULT line
field() { sed -n "s/.* $2=\([^ ]*\).*/\1/p" <<<"$1"; }

# ---------------------------------------------------------------- runs

endpoints=(search suggest)
if ((WARMUP > 0)); then
    echo "load bench: warming up (${WARMUP} s per server and endpoint)" >&2
    for e in "${endpoints[@]}"; do
        for s in accord mini; do
            [[ $s == accord && $e == suggest && $accord_suggest == 0 ]] && continue
            bench "$s" "$e" 2 "$WARMUP" "$tmp/warm-$s-$e" >/dev/null
        done
    done
fi

rows=() # server endpoint c rps p50 p99 errors rss_mib cpu_ms_per_req rps_ratio cpu_ratio
hz=$(getconf CLK_TCK)
declare -A rps_of cpu_of
failed=0
for e in "${endpoints[@]}"; do
    for c in $CONCURRENCY; do
        for s in accord mini; do
            name=$([[ $s == accord ]] && echo accord-searchd || echo mini_server)
            if [[ $s == accord && $e == suggest && $accord_suggest == 0 ]]; then
                rows+=("$name /$e $c missing - - - - - - -")
                continue
            fi
            echo "load bench: $name /$e c=$c (${DURATION} s)" >&2
            log=$tmp/run-$s-$e-$c
            line=$(bench "$s" "$e" "$c" "$DURATION" "$log")
            rss=$(awk '{ printf "%.1f", $1 / 1024 }' "$log.rss")
            if [[ -z $line ]]; then
                echo "load bench: wrk failed for $name /$e c=$c:" >&2
                sed 's/^/  /' "$log.wrk" >&2
                rows+=("$name /$e $c failed - - - $rss - - -")
                failed=1
            else
                rps=$(field "$line" rps)
                rps_of[$s/$e/$c]=$rps
                reqs=$(field "$line" requests)
                cpu_ms=$(awk -v t="$(field "$line" cpu_ticks)" -v hz="$hz" -v n="$reqs" \
                    'BEGIN { if (n > 0) printf "%.2f", t * 1000 / hz / n; else print "-" }')
                cpu_of[$s/$e/$c]=$cpu_ms
                rows+=("$name /$e $c $rps $(field "$line" p50_ms) $(field "$line" p99_ms) $(field "$line" errors) $rss $cpu_ms - -")
                e_socket=$(($(field "$line" errors) - $(field "$line" non200)))
                if (($(field "$line" errors) > 0)); then
                    echo "load bench: $name /$e c=$c: $(field "$line" non200) non-200," \
                        "$e_socket socket errors or timeouts" >&2
                fi
            fi
            pid=$([[ $s == accord ]] && echo "$accord_pid" || echo "$mini_pid")
            if ! kill -0 "$pid" 2>/dev/null; then
                echo "load bench: $name died during /$e c=$c" >&2
                tail -n 20 "$tmp/$s.err" >&2
                failed=1
                break 3
            fi
        done
    done
done

# head-of-line blocking: one client typing (/suggest, c=1) while /search runs at c=8
mixed_rows=()
if ((!failed)) && [[ $MIXED == 1 ]]; then
    for s in accord mini; do
        name=$([[ $s == accord ]] && echo accord-searchd || echo mini_server)
        [[ $s == accord && $accord_suggest == 0 ]] && continue
        echo "load bench: $name /suggest c=1 while /search c=8 runs (${DURATION} s)" >&2
        bench "$s" search 8 "$((DURATION + 1))" "$tmp/mixed-$s-search" >"$tmp/mixed-$s-search.line" &
        bg=$!
        sleep 0.5
        line=$(bench "$s" suggest 1 "$DURATION" "$tmp/mixed-$s-suggest")
        wait "$bg" || true
        sline=$(cat "$tmp/mixed-$s-search.line")
        if [[ -z $line || -z $sline ]]; then
            mixed_rows+=("$name failed - - - - -")
            failed=1
        else
            mixed_rows+=("$name $(field "$line" rps) $(field "$line" p50_ms) $(field "$line" p99_ms) $(field "$line" errors) $(field "$sline" rps) $(field "$sline" errors)")
        fi
    done
fi

# on the accord rows: accord/mini req/s (the last column) and CPU time per request
for i in "${!rows[@]}"; do
    read -r name ep c _ <<<"${rows[$i]}"
    [[ $name == accord-searchd ]] || continue
    m=${rps_of[mini${ep}/$c]:-} a=${rps_of[accord${ep}/$c]:-}
    mc=${cpu_of[mini${ep}/$c]:-} ac=${cpu_of[accord${ep}/$c]:-}
    r=- rc=-
    if [[ -n $m && -n $a ]] && awk "BEGIN { exit !($m > 0) }"; then
        r=$(awk "BEGIN { printf \"%.2fx\", $a / $m }")
    fi
    if [[ $mc =~ ^[0-9.]+$ && $ac =~ ^[0-9.]+$ ]] && awk "BEGIN { exit !($mc > 0) }"; then
        rc=$(awk "BEGIN { printf \"%.2fx\", $ac / $mc }")
    fi
    rows[i]="${rows[$i]% - -} $r $rc"
done

# ---------------------------------------------------------------- stop

stop() { # NAME PID
    local rc=0
    kill -TERM "$2" 2>/dev/null || {
        echo "load bench: $1 was no longer running" >&2
        return 1
    }
    wait "$2" || rc=$?
    if ((rc != 0)); then
        echo "load bench: $1 exited with status $rc on SIGTERM" >&2
        tail -n 20 "$tmp/$3.err" >&2
        return 1
    fi
    echo "load bench: $1 stopped (exit status 0)" >&2
}
stop accord-searchd "$accord_pid" accord || failed=1
accord_pid=""
stop mini_server "$mini_pid" mini || failed=1
mini_pid=""

# ---------------------------------------------------------------- report

cpu=$(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo)
echo
echo "HTTP load: $(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) CPUs ($cpu), wrk on the same CPUs"
echo "index: $index ($([[ -n ${INDEX:-} ]] && echo given || echo "fresh from $CORPUS"))," \
    "${DURATION} s per run, mini_server mode $MINI_MODE, accord --cache-mb $CACHE_MB"
echo
fmt='%-15s %-9s %4s %9s %8s %8s %7s %8s %8s %9s %9s\n'
# shellcheck disable=SC2059
printf "$fmt" server endpoint c req/s "p50 ms" "p99 ms" errors "RSS MiB" "CPU ms" "a/m req/s" "a/m CPU"
for r in "${rows[@]}"; do
    # shellcheck disable=SC2086,SC2059
    printf "$fmt" $r
done
if ((${#mixed_rows[@]})); then
    echo
    echo "/suggest at c=1 while /search runs at c=8 (head-of-line blocking):"
    fmt2='%-15s %13s %8s %8s %7s %14s %13s\n'
    # shellcheck disable=SC2059
    printf "$fmt2" server "suggest req/s" "p50 ms" "p99 ms" errors "search req/s" "search errors"
    for r in "${mixed_rows[@]}"; do
        # shellcheck disable=SC2086,SC2059
        printf "$fmt2" $r
    done
fi
if [[ -n ${RESULTS:-} ]]; then
    {
        printf 'server\tendpoint\tc\trps\tp50_ms\tp99_ms\terrors\trss_mib\tcpu_ms_per_req\trps_ratio\tcpu_ratio\n'
        for r in "${rows[@]}"; do tr ' ' '\t' <<<"$r"; done
    } >"$RESULTS"
fi

# goals, on accord's rows
get() { # ENDPOINT C COLUMN (4 req/s, 5 p50, 6 p99, 7 errors, 8 RSS, 9 CPU ms, 10 req/s ratio)
    local r f
    for r in "${rows[@]}"; do
        read -ra f <<<"$r"
        if [[ ${f[0]} == accord-searchd && ${f[1]} == "/$1" && ${f[2]} == "$2" ]]; then
            [[ ${f[3]} == missing ]] && echo missing || echo "${f[$3 - 1]}"
            return
        fi
    done
    echo -
}
goal_fail=0
verdict() { # LABEL VALUE OP LIMIT
    local label=$1 v=$2 op=$3 lim=$4 res
    if [[ $v == missing ]]; then
        res=MISSING
    elif [[ $v == failed ]]; then
        res="NOT RUN"
        goal_fail=1
    elif [[ $v == - || -z $v ]]; then
        res="NOT RUN" # that concurrency was not in CONCURRENCY
    elif awk "BEGIN { exit !(${v%x} $op ${lim%x}) }"; then
        res=PASS
    else
        res=FAIL
        goal_fail=1
    fi
    printf '  %-8s %-44s %s (goal %s %s)\n' "$res" "$label" "$v" "$op" "$lim"
}
echo
echo "goals (accord-searchd):"
verdict "/search req/s vs minimal at c=8" "$(get search 8 10)" '>=' "${GOAL_RATIO}x"
verdict "/search req/s vs minimal at c=64" "$(get search 64 10)" '>=' "${GOAL_RATIO}x"
verdict "/search p99 ms at c=8" "$(get search 8 6)" '<=' "$GOAL_P99_SEARCH"
if ((accord_suggest)); then
    verdict "/suggest p99 ms at c=8" "$(get suggest 8 6)" '<=' "$GOAL_P99_SUGGEST"
else
    verdict "/suggest p99 ms at c=8" missing '<=' "$GOAL_P99_SUGGEST"
fi
max_rss=$(for r in "${rows[@]}"; do
    read -r n _ _ _ _ _ _ rss _ <<<"$r"
    if [[ $n == accord-searchd && $rss != - ]]; then echo "$rss"; fi
done | sort -g | tail -n 1)
verdict "largest RSS MiB" "${max_rss:--}" '<=' "$GOAL_RSS"
total_err=$({
    for r in "${rows[@]}"; do
        read -r n _ _ _ _ _ err _ <<<"$r"
        if [[ $n == accord-searchd && $err =~ ^[0-9]+$ ]]; then echo "$err"; fi
    done
    for r in "${mixed_rows[@]}"; do
        read -r n _ _ _ err _ serr <<<"$r"
        if [[ $n == accord-searchd && $err =~ ^[0-9]+$ ]]; then echo "$err"; echo "$serr"; fi
    done
} | awk '{ s += $1 } END { print s + 0 }')
verdict "errors (non-200, socket, timeouts), all runs" "$total_err" '<=' 0
echo
echo "note: a shared 2-vCPU machine; wrk runs on the same CPUs as the servers. Compare rows of"
echo "one run with each other, and repeat before trusting a difference under about 20 %."

if ((failed)); then
    exit 1
fi
if ((goal_fail)) && [[ $STRICT == 1 ]]; then
    exit 1
fi
exit 0
