#!/usr/bin/env bash
# Installs what the Kubernetes export tests need on a fresh Debian machine and builds the cached
# test images: the podman sidecar stand-in (a real redis-server) and an OpenCode stand-in with
# curl, so the exported probe commands run unchanged. Idempotent: existing tags are kept.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
export CONTAINERS_CONF=${CONTAINERS_CONF:-$root/Tests/Support/containers.conf}
export DEBIAN_FRONTEND=noninteractive

need=()
for pkg in podman runc busybox-static debootstrap python3 python3-pip; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || need+=("$pkg")
done
if ((${#need[@]})); then
    apt-get update -qq
    apt-get install -y --no-install-recommends "${need[@]}"
fi
python3 -c 'import yaml, pytest' 2>/dev/null || python3 -m pip install --quiet pyyaml pytest

bash "$root/Tests/Support/base-image.sh"

sidecar=localhost/opencode-ops-test/sidecar-standin:2
if podman image exists "$sidecar"; then
    echo "sidecar stand-in $sidecar: cached"
else
    podman build --format docker --tag "$sidecar" "$root/Tests/podman/images/sidecar-standin"
fi

standin=localhost/opencode-ops-test/kube-opencode-standin:1
if podman image exists "$standin"; then
    echo "OpenCode stand-in $standin: cached"
else
    context=$(mktemp -d)
    trap 'rm -rf "$context"' EXIT
    cp "$here/images/opencode-standin/Containerfile" "$here/images/opencode-standin/serve.sh" "$context/"
    cp "$(command -v busybox)" "$context/busybox"
    podman build --format docker --tag "$standin" "$context"
fi
