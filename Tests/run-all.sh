#!/usr/bin/env bash
# Runs every test suite (Swift: unit, golden, adapters against real podman/redis, tmux end to
# end; pytest: image, backups, Graphiti, the Debian package; node: the plugin), each to the end
# even when an earlier one failed, then prints one closing line with the totals. Exits non-zero
# on any failure.
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/.." && pwd)
cd "$repo"
export CONTAINERS_CONF=${CONTAINERS_CONF:-$here/Support/containers.conf}
logs=$(mktemp -d)
trap 'rm -rf "$logs"' EXIT

total_passed=0
total_failed=0
total_skipped=0
failed_suites=()

# count NAME LOG EXIT: reads the runner's own summary out of its log.
count() {
    local name=$1 log=$2 status=$3 passed=0 failed=0 skipped=0 line
    case $name in
        swift)
            line=$(grep -E "Test run with [0-9]+ tests? in [0-9]+ suites? (passed|failed)" "$log" | tail -n 1)
            local ran
            ran=$(sed -E 's/.*Test run with ([0-9]+) tests?.*/\1/' <<<"$line")
            failed=$(grep -E "^✘ Test .* failed after" "$log" | grep -vc "^✘ Test run" || true)
            skipped=$(grep -cE "^➜ Test .* skipped" "$log" || true)
            passed=$(( ${ran:-0} - failed - skipped ))
            ;;
        plugin)
            passed=$(grep -E "^# pass [0-9]+" "$log" | tail -n 1 | awk '{print $3}')
            failed=$(grep -E "^# fail [0-9]+" "$log" | tail -n 1 | awk '{print $3}')
            skipped=$(grep -E "^# skipped [0-9]+" "$log" | tail -n 1 | awk '{print $3}')
            ;;
        *)
            line=$(grep -E "[0-9]+ (passed|failed|error)" "$log" | tail -n 1)
            passed=$(grep -oE "[0-9]+ passed" <<<"$line" | awk '{print $1}')
            failed=$(( $(grep -oE "[0-9]+ failed" <<<"$line" | awk '{print $1}' || echo 0) + $(grep -oE "[0-9]+ errors?" <<<"$line" | awk '{print $1}' || echo 0) ))
            skipped=$(grep -oE "[0-9]+ skipped" <<<"$line" | awk '{print $1}')
            ;;
    esac
    passed=${passed:-0}; failed=${failed:-0}; skipped=${skipped:-0}
    if [ "$status" != 0 ] && [ "$failed" = 0 ]; then failed=1; fi
    total_passed=$((total_passed + passed))
    total_failed=$((total_failed + failed))
    total_skipped=$((total_skipped + skipped))
    if [ "$status" != 0 ] || [ "$failed" != 0 ]; then failed_suites+=("$name"); fi
    printf '== %s: %s passed, %s failed, %s skipped (exit %s)\n' "$name" "$passed" "$failed" "$skipped" "$status"
}

run() {
    local name=$1; shift
    echo "== running $name: $*"
    local started=$SECONDS
    "$@" 2>&1 | tee "$logs/$name.log"
    local status=${PIPESTATUS[0]}
    echo "== $name took $((SECONDS - started)) s"
    count "$name" "$logs/$name.log" "$status"
}

run swift swift test
run image bash Tests/image/run.sh
run backup bash Tests/backup/run.sh
run graphiti bash Tests/graphiti/run.sh
run plugin bash Tests/plugin/run.sh
OPENCODE_OPS_BIN=$repo/.build/debug/opencode-ops run kube bash Tests/kube/run.sh
run deb bash Tests/deb/run.sh

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
