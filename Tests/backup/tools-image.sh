#!/usr/bin/env bash
# Builds (once) the image the container test runs the backup scripts in: the local Debian base
# plus python3, rclone and redis (the same Debian packages the server image installs).
# Usage: tools-image.sh [TAG]
set -euo pipefail
tag=${1:-localhost/opencode-ops-test/backup-tools:1}
here=$(cd "$(dirname "$0")" && pwd)
support=$(cd "$here/../Support" && pwd)
export CONTAINERS_CONF=${CONTAINERS_CONF:-$support/containers.conf}
if podman image exists "$tag"; then
    echo "backup tools image $tag: cached"
    exit 0
fi
"$support/base-image.sh"
ctx=$(mktemp -d)
trap 'rm -rf "$ctx"' EXIT
cat > "$ctx/Containerfile" <<'CF'
FROM localhost/opencode-ops-test/debian:bookworm
LABEL opencode-ops-test=backup-cache
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
      python3 rclone redis-tools redis-server ca-certificates \
 && rm -rf /var/lib/apt/lists/*
CF
echo "backup tools image $tag: building (apt-get, about a minute)"
podman build -q -t "$tag" "$ctx" >/dev/null
echo "backup tools image $tag: built"
