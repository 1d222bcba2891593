#!/bin/sh
# Installs what the config and theme tests need on a fresh Debian machine: the package links
# ncursesw, so building the test binary needs its headers and pkg-config. The Swift toolchain
# itself comes from the top-level set-up (README). Idempotent; safe without a terminal.
set -eu
missing=""
for pkg in pkg-config libncurses-dev; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing="$missing $pkg"
done
if [ -n "$missing" ]; then
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -q
    # shellcheck disable=SC2086
    apt-get install -y -q $missing
fi
command -v swift >/dev/null || { echo "setup: swift is not installed; see README.md" >&2; exit 1; }
