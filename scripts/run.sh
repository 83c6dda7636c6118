#!/usr/bin/env bash
# Sets up a fresh Debian 12 machine, builds accord, indexes corpus/ and serves
# search with the demo page on http://127.0.0.1:${PORT:-8080} until Ctrl-C.
set -euo pipefail
cd "$(dirname "$0")/.."
port=${PORT:-8080}
jobs=$(nproc 2>/dev/null || echo 2)

bash scripts/install-deps.sh
cmake -S . -B build/release -DCMAKE_BUILD_TYPE=Release -DBUILD_TESTING=OFF
cmake --build build/release -j "$jobs"
build/release/bin/accord-index --index build/corpus.db corpus

echo
echo "Demo page:     http://127.0.0.1:$port/"
echo "Example query: http://127.0.0.1:$port/search?q=d%C3%A9veloppement+durable"
echo "               build/release/bin/accord-search --index build/corpus.db dezvoltare durabila"
echo
exec build/release/bin/accord-searchd --index build/corpus.db --port "$port"
