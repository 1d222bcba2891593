#!/usr/bin/env bash
# Installs what the jobs tests need on a fresh Debian machine: podman (with runc), tmux for the
# console end-to-end tests, a static busybox for the tiny build images, and openssh (server and
# client) for the test that runs the console over a real `ssh -t` to 127.0.0.1 (the test starts
# its own sshd with a throwaway config and keys in a temp folder; it never uses the system's ssh
# service, config or keys).
# Idempotent.
set -euo pipefail
export DEBIAN_FRONTEND=noninteractive
missing=()
for package in podman runc tmux busybox-static procps openssh-server openssh-client; do
    dpkg -s "$package" >/dev/null 2>&1 || missing+=("$package")
done
if [ ${#missing[@]} -gt 0 ]; then
    apt-get update
    apt-get install -y "${missing[@]}"
fi
