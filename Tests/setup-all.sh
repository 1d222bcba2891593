#!/usr/bin/env bash
# Installs everything the test suites need on a fresh Debian machine: each suite's own setup.sh
# (apt packages, pip packages, cached test images). Safe to run again; cached parts are kept.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
if [ "$(id -u)" != 0 ]; then
    echo "Tests/setup-all.sh installs system packages: run it as root (or through sudo)" >&2
    exit 1
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -q
apt-get install -y -q --no-install-recommends \
    pkg-config libncurses-dev tmux procps podman runc rclone redis-server redis-tools openssh-server \
    debootstrap busybox-static curl ca-certificates python3 python3-pip nodejs node-typescript
for suite in settings podman probes jobs image backup graphiti plugin kube deb; do
    echo "== setup: $suite"
    bash "$here/$suite/setup.sh"
done
