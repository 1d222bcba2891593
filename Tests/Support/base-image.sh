#!/usr/bin/env bash
# Makes the local Debian base image the podman tests build on, once: no registry is needed.
# Usage: base-image.sh [TAG]   (default localhost/opencode-ops-test/debian:bookworm)
set -euo pipefail
tag=${1:-localhost/opencode-ops-test/debian:bookworm}
here=$(cd "$(dirname "$0")" && pwd)
export CONTAINERS_CONF=${CONTAINERS_CONF:-$here/containers.conf}
if podman image exists "$tag"; then
    echo "base image $tag: cached"
    exit 0
fi
root=$(mktemp -d)
trap 'rm -rf "$root"' EXIT
echo "base image $tag: debootstrap (about 30 s)"
debootstrap --variant=minbase bookworm "$root" >/dev/null
rm -rf "$root"/var/cache/apt/archives/*.deb "$root"/var/lib/apt/lists/*
tar -C "$root" -c . | podman import - "$tag" >/dev/null
echo "base image $tag: imported"
