#!/usr/bin/env bash
# Runs every test suite through Tests/run.sh (Swift: unit, golden, adapters against real
# podman/redis, tmux end to end; pytest: image, backups, Graphiti, kube, the Debian package; node:
# the plugin), each to the end even when an earlier one failed, then prints one closing line with
# the totals. Exits non-zero on any failure. OPS_TEST_LOAD=N runs N CPU-bound processes beside
# every suite (`make test-under-load`).
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/.." && pwd)
cd "$repo"
export CONTAINERS_CONF=${CONTAINERS_CONF:-$here/Support/containers.conf}
scratch=${SWIFT_SCRATCH_PATH:-.build}
logs=$(mktemp -d)
trap 'rm -rf "$logs"' EXIT

total_passed=0
total_failed=0
total_skipped=0
failed_suites=()

# run SUITE: Tests/run.sh prints "== SUITE: N passed, N failed, N skipped (exit S)" last.
run() {
    local name=$1 summary
    echo "== running $name"
    bash "$here/run.sh" "$name" 2>&1 | tee "$logs/$name.log"
    local status=${PIPESTATUS[0]}
    summary=$(grep -E "^== $name: [0-9]+ passed, [0-9]+ failed, [0-9]+ skipped" "$logs/$name.log" | tail -n 1)
    read -r passed failed skipped < <(sed -E 's/^== [^:]+: ([0-9]+) passed, ([0-9]+) failed, ([0-9]+) skipped.*/\1 \2 \3/' <<<"$summary")
    passed=${passed:-0}; failed=${failed:-0}; skipped=${skipped:-0}
    if [ "$status" != 0 ] && [ "$failed" = 0 ]; then failed=1; fi
    total_passed=$((total_passed + passed))
    total_failed=$((total_failed + failed))
    total_skipped=$((total_skipped + skipped))
    if [ "$status" != 0 ] || [ "$failed" != 0 ]; then failed_suites+=("$name"); fi
}

run swift
run image
run backup
run graphiti
run plugin
OPENCODE_OPS_BIN=$(swift build --scratch-path "$scratch" --show-bin-path)/opencode-ops run kube
run deb

echo
if [ ${#failed_suites[@]} -gt 0 ]; then
    echo "failed suites: ${failed_suites[*]}"
fi
if [ "$total_skipped" -gt 0 ]; then
    echo "tests: $total_passed passed, $total_failed failed, $total_skipped skipped"
else
    echo "tests: $total_passed passed, $total_failed failed"
fi
[ ${#failed_suites[@]} -eq 0 ]
