#!/usr/bin/env bash
# Installs what the package test needs on a fresh Debian machine: podman, dpkg-deb's helpers, the
# headers the static-stdlib release build links against, and the cached bare Debian base image
# the package is installed into. Idempotent.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
export CONTAINERS_CONF=${CONTAINERS_CONF:-$root/Tests/Support/containers.conf}
export DEBIAN_FRONTEND=noninteractive

need=()
for pkg in podman runc debootstrap binutils libcurl4-openssl-dev libncurses-dev pkg-config python3 python3-pip; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || need+=("$pkg")
done
if ((${#need[@]})); then
    apt-get update -qq
    apt-get install -y --no-install-recommends "${need[@]}"
fi
python3 -c 'import pytest' 2>/dev/null || python3 -m pip install --quiet pytest

bash "$root/Tests/Support/base-image.sh"
