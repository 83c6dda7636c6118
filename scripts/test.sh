#!/usr/bin/env bash
# Sets up a fresh Debian 12 machine and runs the whole test suite:
# a -Werror build + ctest (browser tests included), the Debian package built and checked
# from its extracted files (scripts/check-deb.sh), an ASan+UBSan build + ctest, a short run
# of each libFuzzer target (tests/fuzz), and clang-format.
set -euo pipefail
cd "$(dirname "$0")/.."
jobs=$(nproc 2>/dev/null || echo 2)

bash scripts/install-deps.sh

echo "== build (-Werror) and test"
cmake -S . -B build/test -DACC_WERROR=ON -DCMAKE_BUILD_TYPE=RelWithDebInfo -DBUILD_TESTING=ON \
    -DACC_BROWSER_TESTS=ON
cmake --build build/test -j "$jobs"
ctest --test-dir build/test --output-on-failure -j "$jobs"

echo "== Debian package: build, extract, run the installed files"
JOBS=$jobs bash scripts/check-deb.sh build/deb

echo "== build with AddressSanitizer + UndefinedBehaviorSanitizer and test"
cmake -S . -B build/asan -DACC_WERROR=ON -DACC_SANITIZE=ON -DCMAKE_BUILD_TYPE=Debug \
    -DBUILD_TESTING=ON -DACC_BROWSER_TESTS=ON
cmake --build build/asan -j "$jobs"
ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
    ctest --test-dir build/asan --output-on-failure -j "$jobs"

echo "== fuzz: each libFuzzer target of tests/fuzz for ${ACC_FUZZ_SECONDS:-20} s (clang, ASan+UBSan)"
CC=clang CXX=clang++ cmake -S . -B build/fuzz -DACC_FUZZ=ON -DBUILD_TESTING=ON \
    -DCMAKE_BUILD_TYPE=RelWithDebInfo -DACC_FUZZ_SECONDS="${ACC_FUZZ_SECONDS:-20}"
cmake --build build/fuzz --target fuzz -j "$jobs"
ctest --test-dir build/fuzz -L fuzz --output-on-failure -j "$jobs"

echo "== clang-format"
if git rev-parse --git-dir >/dev/null 2>&1; then
    mapfile -t sources < <(git ls-files '*.c' '*.h' '*.cc')
else
    mapfile -t sources < <(find include lib indexer cli searchd tests bench -name '*.[ch]' -o -name '*.cc')
fi
clang-format --dry-run -Werror "${sources[@]}"

echo "== all tests passed"
