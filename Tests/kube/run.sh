#!/usr/bin/env bash
# Runs the Kubernetes export tests: structure of the written YAML, then `podman kube play` of the
# exported manifests with the stand-in images, probes run, and `podman kube play --down`.
# OPS_REQUIRE_TOOLS=1 turns a missing podman into failures instead of skipped tests.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
cd "$root"
export CONTAINERS_CONF=${CONTAINERS_CONF:-$root/Tests/Support/containers.conf}
scratch=${SWIFT_SCRATCH_PATH:-.build}
if [ -z "${OPENCODE_OPS_BIN:-}" ]; then
    swift build --scratch-path "$scratch" --product opencode-ops
    OPENCODE_OPS_BIN=$(swift build --scratch-path "$scratch" --show-bin-path)/opencode-ops
    export OPENCODE_OPS_BIN
fi
python3 -m pytest -p no:cacheprovider -v "$here" "$@"
