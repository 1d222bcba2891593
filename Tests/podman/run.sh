#!/usr/bin/env bash
# Runs the podman adapter tests against real podman. OPS_REQUIRE_TOOLS=1 turns a missing
# podman into failures instead of skipped tests.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
cd "$root"
scratch=${SWIFT_SCRATCH_PATH:-.build}
swift test --scratch-path "$scratch" \
    --filter 'OpsAdaptersTests\.(PodmanTests|PodmanDecoderTests|PodmanModelTests|ProcessRunnerTests)'
