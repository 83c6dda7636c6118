#!/usr/bin/env bash
# Installs the Debian 12 packages accord needs to build, test and run.
# Idempotent: apt-get skips what is already installed. Needs root (or sudo).
set -euo pipefail

pkgs=(
    build-essential cmake pkg-config git ca-certificates curl python3 xz-utils wrk
    libxapian-dev xapian-tools
    libutf8proc-dev
    libmicrohttpd-dev
    libjansson-dev
    libexttextcat-dev libexttextcat-data
    libxml2-dev libpoppler-glib-dev libcmark-dev zlib1g-dev liblzma-dev libzstd-dev
    libmimalloc-dev
    libcurl4-openssl-dev
    libcmocka-dev
    clang-format clang libclang-rt-14-dev
    chromium
    groff-base man-db
    python3-xapian
    # bilingual dictionaries for query translation (accord-index reads /usr/share/dictd)
    dict-freedict-eng-nld dict-freedict-nld-eng dict-freedict-eng-deu dict-freedict-deu-eng
    dict-freedict-eng-fra dict-freedict-fra-eng dict-freedict-eng-spa dict-freedict-spa-eng
    dict-freedict-eng-ita dict-freedict-ita-eng dict-freedict-eng-rus dict-freedict-eng-ara
    dict-freedict-ara-eng dict-freedict-deu-nld dict-freedict-nld-deu
    dict-freedict-fra-deu dict-freedict-deu-fra dict-freedict-spa-deu dict-freedict-deu-spa
    dict-freedict-ita-deu dict-freedict-deu-ita dict-freedict-fra-nld dict-freedict-nld-fra
)
# Node.js runs the browser tests (Playwright); Debian's when none is installed
if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
    pkgs+=(nodejs npm)
fi

sudo_cmd=()
if [ "$(id -u)" -ne 0 ]; then
    sudo_cmd=(sudo)
fi

missing=()
for p in "${pkgs[@]}"; do
    if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
        missing+=("$p")
    fi
done

if [ "${#missing[@]}" -eq 0 ]; then
    echo "install-deps: all ${#pkgs[@]} packages present"
    exit 0
fi

echo "install-deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
"${sudo_cmd[@]}" apt-get update -q
"${sudo_cmd[@]}" apt-get install -y -q --no-install-recommends "${missing[@]}"
