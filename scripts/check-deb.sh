#!/usr/bin/env bash
# Builds accord's Debian package and checks it from its extracted files only.
#
#   scripts/check-deb.sh [BUILD_DIR]        (default build/deb; called by scripts/test.sh)
#
# 1. Configures BUILD_DIR (Release, prefix /usr, no tests), builds, runs cpack -G DEB.
# 2. Checks the package: its name, fields, files, and that Depends names the package of
#    every library the three programs link directly (readelf NEEDED, ldd, dpkg -S).
# 3. Extracts it with dpkg-deb -x into a temporary root. It never runs dpkg -i: CI
#    machines are shared, and the check must not change the system.
# 4. From the extracted files only, with ACCORD_TOPICS unset and the working directory
#    outside the source tree: each program answers --version; accord-index indexes corpus/;
#    accord-search finds fr-strategie-developpement-durable for "developpement durable"
#    and expands a topic with the installed topics.tsv; accord-index tags a folder without
#    topics.tsv with the installed vocabulary; tests/pkg/use_libaccord.c compiles and links
#    against the installed libaccord.a with pkg-config --static and finds the same document.
#
# Output is TAP-like ("ok -" / "not ok -"); exit 0 when every check passes, 1 otherwise.
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$(pwd)
build=${1:-build/deb}
jobs=${JOBS:-$(nproc 2>/dev/null || echo 2)}

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

n=0
failed=()
ok() {
    n=$((n + 1))
    echo "ok $n - $1"
}
not_ok() {
    n=$((n + 1))
    failed+=("$1")
    echo "not ok $n - $1"
    [[ -z ${2:-} ]] || printf '%s\n' "$2" | sed 's/^/#   /'
}
# check NAME COMMAND...: ok when COMMAND exits 0
check() {
    local name=$1 out
    shift
    if out=$("$@" 2>&1); then
        ok "$name"
    else
        not_ok "$name" "$out"
    fi
}

# ---------------------------------------------------------------- build the package

version=$(sed -n 's/^project(accord VERSION \([0-9.]*\).*/\1/p' CMakeLists.txt)
arch=$(dpkg --print-architecture)
[[ -n $version ]] || {
    echo "check-deb: no version in CMakeLists.txt's project()" >&2
    exit 1
}
cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=Release -DCMAKE_INSTALL_PREFIX=/usr -DBUILD_TESTING=OFF
cmake --build "$build" -j "$jobs"
rm -f "$build"/accord_*.deb
(cd "$build" && cpack -G DEB)
deb=$build/accord_${version}_${arch}.deb
if [[ ! -f $deb ]]; then
    echo "check-deb: cpack made no $deb:" $(ls "$build"/*.deb 2>/dev/null) >&2
    exit 1
fi
echo "== checking $deb"

# ---------------------------------------------------------------- the package's fields

field() { dpkg-deb -f "$deb" "$1"; }
check "Package: accord" test "$(field Package)" = accord
check "Version: $version" test "$(field Version)" = "$version"
check "Architecture: $arch" test "$(field Architecture)" = "$arch"
check "Maintainer is set" test -n "$(field Maintainer)"
check "Description has a summary and a long text" \
    test "$(field Description | wc -l)" -ge 3
depends=$(field Depends)
echo "# Depends: $depends"
# the package names of Depends, without versions or alternatives
dep_names=" $(printf '%s\n' "$depends" | tr ',|' '\n\n' | sed 's/(.*//; s/^ *//; s/ *$//' | tr '\n' ' ') "

root=$tmp/root
dpkg-deb -x "$deb" "$root"
bin=$root/usr/bin
programs=(accord-index accord-search accord-searchd)

# Depends must name the package of each library a program links directly
for p in "${programs[@]}"; do
    missing=()
    while read -r soname; do
        path=$(ldd "$bin/$p" | awk -v s="$soname" '$1 == s && $3 ~ /^\// && !found { print $3; found = 1 }')
        if [[ -z $path ]]; then
            missing+=("$soname (not found by ldd)")
            continue
        fi
        real=$(readlink -f "$path")
        pkg=""
        for f in "$path" "$real" "${path#/usr}" "/usr$path" "${real#/usr}" "/usr$real"; do
            pkg=$(dpkg -S "$f" 2>/dev/null | head -1 | cut -d: -f1) && [[ -n $pkg ]] && break
        done
        if [[ -z $pkg ]]; then
            missing+=("$soname ($path: no package owns it)")
        elif [[ $dep_names != *" $pkg "* ]]; then
            missing+=("$soname (package $pkg)")
        fi
    done < <(readelf -d "$bin/$p" | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p')
    if ((${#missing[@]} == 0)); then
        ok "Depends covers every library $p links"
    else
        not_ok "Depends covers every library $p links" "not in Depends: ${missing[*]}"
    fi
done

# ---------------------------------------------------------------- the package's files

for f in usr/bin/accord-index usr/bin/accord-search usr/bin/accord-searchd \
    usr/share/man/man1/accord-index.1 usr/share/man/man1/accord-search.1 \
    usr/share/man/man1/accord-searchd.1 usr/share/accord/topics.tsv \
    usr/lib/systemd/system/accord-searchd.service usr/include/accord/index.h \
    usr/include/accord/paths.h; do
    check "file /$f" test -f "$root/$f"
done
lib=$(find "$root/usr/lib" -name libaccord.a | head -1)
pc=$(find "$root/usr/lib" -name accord.pc | head -1)
check "file libaccord.a (a static library only)" \
    test -n "$lib" -a -z "$(find "$root" -name 'libaccord.so*')"
check "file accord.pc" test -n "$pc"
check "the unit starts /usr/bin/accord-searchd" \
    grep -q '^ExecStart=/usr/bin/accord-searchd ' "$root/usr/lib/systemd/system/accord-searchd.service"
check "no path of the source or build tree in the programs" \
    bash -c '! grep -l -F -e "$1" -e "$2" "${@:3}"' _ "$repo/" "$(cd "$build" && pwd)/" \
    "$bin/accord-index" "$bin/accord-search" "$bin/accord-searchd"

# ---------------------------------------------------------------- the programs, as installed

unset ACCORD_TOPICS
cd "$tmp"

for p in "${programs[@]}"; do
    out=$("$bin/$p" --version 2>&1) && rc=0 || rc=$?
    if [[ $rc -eq 0 && $(head -1 <<<"$out") == "$p (accord) $version" ]]; then
        ok "$p --version"
    else
        not_ok "$p --version" "exit $rc: $out"
    fi
done

check "accord-index indexes corpus/" "$bin/accord-index" --quiet --index "$tmp/db" "$repo/corpus"

# first_hit JSON: the first hit's id
first_hit() { python3 -c 'import json,sys; h=json.load(sys.stdin)["hits"]; print(h[0]["id"] if h else "")'; }
total() { python3 -c 'import json,sys; print(json.load(sys.stdin)["total"])'; }

hit=$("$bin/accord-search" --index "$tmp/db" --json developpement durable | first_hit) || true
check "accord-search: developpement durable -> fr-strategie-developpement-durable" \
    test "$hit" = fr-strategie-developpement-durable

# a topic query reaches other languages only through the vocabulary the program found
expanded=$("$bin/accord-search" --index "$tmp/db" --json --limit 100 biodiversité | total) || true
direct=$("$bin/accord-search" --index "$tmp/db" --json --limit 100 --no-expand biodiversité |
    total) || true
check "accord-search expands topics with the installed topics.tsv ($direct -> $expanded hits)" \
    test "${expanded:-0}" -gt "${direct:-0}"

# a folder without topics.tsv is tagged with the installed vocabulary
mkdir "$tmp/one"
cp "$repo/corpus/fr-strategie-developpement-durable.txt" "$tmp/one/"
"$bin/accord-index" --quiet --index "$tmp/db-one" "$tmp/one" || true
topics=$("$bin/accord-search" --index "$tmp/db-one" --json developpement |
    python3 -c 'import json,sys; h=json.load(sys.stdin)["hits"]; print(" ".join(h[0]["topics"]) if h else "")') || true
check "accord-index tags topics with the installed topics.tsv (${topics:-none})" test -n "$topics"

# a C program against the installed library, found with pkg-config
pcdir=$(dirname "${pc:-$root/none/accord.pc}")
if flags=$(PKG_CONFIG_PATH=$pcdir pkg-config --static --cflags --libs accord 2>&1) &&
    cc -std=c17 -Wall -Wextra -Werror -o "$tmp/use_libaccord" "$repo/tests/pkg/use_libaccord.c" \
        $flags 2>"$tmp/cc.err"; then
    ok "a C program compiles and links with pkg-config --static --cflags --libs accord"
    hit=$("$tmp/use_libaccord" "$tmp/db" "developpement durable" | head -1) || true
    check "the C program finds fr-strategie-developpement-durable" \
        test "$hit" = fr-strategie-developpement-durable
else
    not_ok "a C program compiles and links with pkg-config --static --cflags --libs accord" \
        "$flags $(cat "$tmp/cc.err" 2>/dev/null)"
fi

echo "1..$n"
if ((${#failed[@]})); then
    echo "# ${#failed[@]} of $n checks failed:"
    printf '#   %s\n' "${failed[@]}"
    exit 1
fi
echo "# check-deb: all $n checks passed"
