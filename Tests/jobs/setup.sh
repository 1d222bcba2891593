#!/usr/bin/env bash
# Installs what the jobs tests need on a fresh Debian machine: podman (with runc), tmux for the
# console end-to-end tests, and a static busybox for the tiny build images. Idempotent.
set -euo pipefail
export DEBIAN_FRONTEND=noninteractive
missing=()
for package in podman runc tmux busybox-static procps; do
    dpkg -s "$package" >/dev/null 2>&1 || missing+=("$package")
done
if [ ${#missing[@]} -gt 0 ]; then
    apt-get update
    apt-get install -y "${missing[@]}"
fi
