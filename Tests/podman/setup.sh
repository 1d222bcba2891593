#!/usr/bin/env bash
# Installs what the podman adapter tests need on a fresh Debian machine and builds the cached
# test images. Idempotent: installed packages and existing image tags are left alone.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
export CONTAINERS_CONF=${CONTAINERS_CONF:-$root/Tests/Support/containers.conf}
export DEBIAN_FRONTEND=noninteractive

need=()
# catatonit: podman builds the pods' infra (pause) image from it.
# openssh-server: the remote podman tests reach a second podman service through a local sshd.
for pair in podman:podman runc:runc catatonit:catatonit busybox:busybox-static debootstrap:debootstrap python3:python3 sshd:openssh-server; do
    command -v "${pair%%:*}" >/dev/null 2>&1 || need+=("${pair#*:}")
done
# busybox must be the static build: it is copied into a FROM scratch image.
if command -v busybox >/dev/null 2>&1 && ! file -L "$(command -v busybox)" 2>/dev/null | grep -q "statically linked"; then
    need+=(busybox-static)
fi
if ((${#need[@]})); then
    apt-get update -qq
    apt-get install -y --no-install-recommends "${need[@]}" file
fi

bash "$root/Tests/Support/base-image.sh"

sidecar=localhost/opencode-ops-test/sidecar-standin:2
if podman image exists "$sidecar"; then
    echo "sidecar stand-in $sidecar: cached"
else
    echo "sidecar stand-in $sidecar: building"
    podman build --format docker --tag "$sidecar" "$here/images/sidecar-standin"
fi
