#!/usr/bin/env bash
# Runs the jobs tests: reducer, lock/store/audit, and the end-to-end detached-job tests (real
# binary, real podman builds, consoles in tmux). Leftover test images are removed first and last.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
cd "$root"
scratch=${SWIFT_SCRATCH_PATH:-.build}
export CONTAINERS_CONF="$root/Tests/Support/containers.conf"
clean() {
    podman images --filter label=opencode-ops-test=jobs --format '{{.ID}}' | xargs -r podman rmi -f >/dev/null 2>&1 || true
}
clean
trap clean EXIT
swift build --scratch-path "$scratch"
swift test --scratch-path "$scratch" --skip-build \
    --filter '(OpsCoreTests\.(JobsUpdateTests|JobOutputReaderTests|JobConsoleReducerTests)|OpsAdaptersTests\.JobLockAndStoreTests|EndToEndTests\.(JobsEndToEndTests|JobsConsoleEndToEndTests))'
