#!/usr/bin/env bash
# Runs the Debian package test: `make deb` (skipped when the newest package in .build/deb is
# newer than every source it is made from: the release build takes minutes), then installs it
# into a bare Debian container without Swift and runs the installed program there.
# OPS_REQUIRE_TOOLS=1 turns a missing podman into a failure instead of a skip.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
cd "$root"
export CONTAINERS_CONF=${CONTAINERS_CONF:-$root/Tests/Support/containers.conf}
deb_dir=${DEB_DIR:-.build/deb}

newest=$(ls -t "$deb_dir"/opencode-ops_*.deb 2>/dev/null | head -n 1 || true)
sources=(Sources Package.swift Package.resolved themes packaging README.md config.example.yaml)
if [ -n "$newest" ] && [ -z "$(find "${sources[@]}" -type f -newer "$newest" 2>/dev/null | head -n 1)" ]; then
    echo "package $newest is newer than its sources: reused"
else
    started=$SECONDS
    rm -f "$deb_dir"/opencode-ops_*.deb
    make deb DEB_DIR="$deb_dir"
    echo "make deb took $((SECONDS - started)) s"
    newest=$(ls -t "$deb_dir"/opencode-ops_*.deb | head -n 1)
fi
OPENCODE_OPS_DEB=$(realpath -- "$newest")
export OPENCODE_OPS_DEB
python3 -m pytest -p no:cacheprovider -v "$here" "$@"
