#!/usr/bin/env bash
# Makes the local stand-in for node:20-slim once: the Debian base image of base-image.sh plus
# Debian's nodejs and npm. No registry is needed; the result is cached by tag.
# Usage: node-base-image.sh [TAG]   (default localhost/opencode-ops-test/node:bookworm)
set -euo pipefail
tag=${1:-localhost/opencode-ops-test/node:bookworm}
base=localhost/opencode-ops-test/debian:bookworm
here=$(cd "$(dirname "$0")" && pwd)
export CONTAINERS_CONF=${CONTAINERS_CONF:-$here/containers.conf}
if podman image exists "$tag"; then
    echo "node base image $tag: cached"
    exit 0
fi
"$here/base-image.sh" "$base"
echo "node base image $tag: installing Debian's nodejs and npm (a few minutes)"
# The PATH line matters: an imported image has no environment at all.
podman build --format docker --label opencode-ops-test=support -t "$tag" -f - "$here" <<CONTAINERFILE
FROM $base
ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
RUN apt-get update \\
 && apt-get install -y --no-install-recommends nodejs npm \\
 && rm -rf /var/lib/apt/lists/*
CONTAINERFILE
echo "node base image $tag: built"
