#!/usr/bin/env bash
# Runs one test suite, then prints its summary line:
#     == SUITE: N passed, N failed, N skipped (exit S)
# and exits non-zero when a test failed or when the selection ran no test at all.
#
# Usage: Tests/run.sh [--under-load] SUITE [ARGS...]   (ARGS go to the suite's runner)
#   swift                            every Swift test target
#   core ui terminal console adapters e2e    one Swift test target (OpsCoreTests, OpsUITests, ...)
#   jobs podman probes settings      the Swift suites tagged so: @Suite(.tags(.jobs)), across targets
#   image backup graphiti plugin kube deb    Tests/SUITE/run.sh (pytest, node)
#
# Swift suites build once into SWIFT_SCRATCH_PATH (default .build), the one build folder every
# suite uses. --under-load (or OPS_TEST_LOAD=N) runs N CPU-bound processes (2 with the flag) beside
# the tests: the suite must pass on a busy machine. OPS_REQUIRE_TOOLS=1 makes a missing tool a failure.
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/.." && pwd)
cd "$repo"
export CONTAINERS_CONF=${CONTAINERS_CONF:-$here/Support/containers.conf}
scratch=${SWIFT_SCRATCH_PATH:-.build}

if [ "${1:-}" = --under-load ]; then
    export OPS_TEST_LOAD=${OPS_TEST_LOAD:-2}
    shift
fi
suite=${1:-}
if [ -z "$suite" ]; then
    sed -n '2,14p' "$0" | sed 's/^# \{0,1\}//' >&2
    exit 2
fi
shift

declare -A targets=([core]=OpsCoreTests [ui]=OpsUITests [terminal]=OpsTerminalTests [console]=OpsConsoleTests
                    [adapters]=OpsAdaptersTests [e2e]=EndToEndTests)
tags=" jobs podman probes settings "
scripts=" image backup graphiti plugin kube deb "

log=$(mktemp)
load_pids=()
finish() {
    if [ ${#load_pids[@]} -gt 0 ]; then kill "${load_pids[@]}" 2>/dev/null; wait "${load_pids[@]}" 2>/dev/null; fi
    rm -f "$log" "$log.events"
}
trap finish EXIT
if [ "${OPS_TEST_LOAD:-0}" -gt 0 ]; then
    for _ in $(seq "$OPS_TEST_LOAD"); do
        yes >/dev/null &
        load_pids+=($!)
    done
    echo "== $suite: under load, ${#load_pids[@]} CPU-bound processes beside the tests (pids ${load_pids[*]})"
fi

# The test binary lists every test with its tags; the IDs of suites tagged $1 become one anchored
# regex, so a renamed suite is still selected and a tag nobody carries selects nothing.
tagged_filter() {
    local bin
    bin=$(swift build --scratch-path "$scratch" --show-bin-path)/opencode-opsPackageTests.xctest
    : >"$log.events"
    "$bin" --testing-library swift-testing --list-tests --event-stream-version 0 \
        --event-stream-output-path "$log.events" >/dev/null 2>&1 || return 1
    python3 - "$log.events" "$1" <<'EOF'
import json, re, sys
ids = []
for line in open(sys.argv[1]):
    record = json.loads(line)
    test = record.get("payload", {})
    # Schema 0 lists tags as "_tags": [".jobs"]; newer schemas as "tags": ["jobs"].
    tagged = "." + sys.argv[2] in test.get("_tags", []) or sys.argv[2] in test.get("tags", [])
    if record.get("kind") == "test" and tagged:
        # A function's ID ends in its source location, which the filter does not see.
        parts = test["id"].split("/")
        if test["kind"] == "function" and re.fullmatch(r".+\.swift:\d+:\d+", parts[-1]):
            parts = parts[:-1]
        ids.append(re.escape("/".join(parts)))
if ids:
    print("^(" + "|".join(sorted(set(ids))) + ")(/|$)")
EOF
}

swift_suite() {
    local filter=()
    swift build --build-tests --scratch-path "$scratch" || return $?
    if [ "$suite" = swift ]; then
        :
    elif [ -n "${targets[$suite]:-}" ]; then
        filter=(--filter "^${targets[$suite]}\\.")
    else
        local regex
        regex=$(tagged_filter "$suite") || { echo "could not list the tests"; return 1; }
        if [ -z "$regex" ]; then
            echo "no Swift suite carries the tag .$suite"
            return 1
        fi
        filter=(--filter "$regex")
    fi
    swift test --skip-build --scratch-path "$scratch" "${filter[@]}" "$@"
}

# Podman images the jobs tests build carry a label; a crashed run's leftovers go first and last.
clean_job_images() {
    command -v podman >/dev/null || return 0
    podman images --filter label=opencode-ops-test=jobs --format '{{.ID}}' | xargs -r podman rmi -f >/dev/null 2>&1 || true
}

started=$SECONDS
if [ -n "${targets[$suite]:-}" ] || [ "$suite" = swift ] || [[ $tags == *" $suite "* ]]; then
    kind=swift
    [ "$suite" = jobs ] && clean_job_images
    swift_suite "$@" 2>&1 | tee "$log"
    status=${PIPESTATUS[0]}
    [ "$suite" = jobs ] && clean_job_images
elif [[ $scripts == *" $suite "* ]]; then
    kind=$suite
    bash "$here/$suite/run.sh" "$@" 2>&1 | tee "$log"
    status=${PIPESTATUS[0]}
else
    echo "Tests/run.sh: no suite named '$suite' (run Tests/run.sh without arguments for the list)" >&2
    exit 2
fi
echo "== $suite took $((SECONDS - started)) s"

# Reads the runner's own summary out of its log.
passed=0 failed=0 skipped=0
case $kind in
    swift)
        line=$(grep -E "Test run with [0-9]+ tests? in [0-9]+ suites? (passed|failed)" "$log" | tail -n 1)
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
        line=$(grep -E "[0-9]+ (passed|failed|errors?|skipped)" "$log" | tail -n 1)
        passed=$(grep -oE "[0-9]+ passed" <<<"$line" | awk '{print $1}')
        failed=$(( $(grep -oE "[0-9]+ failed" <<<"$line" | awk '{print $1}' || echo 0) + $(grep -oE "[0-9]+ errors?" <<<"$line" | awk '{print $1}' || echo 0) ))
        skipped=$(grep -oE "[0-9]+ skipped" <<<"$line" | awk '{print $1}')
        ;;
esac
passed=${passed:-0}; failed=${failed:-0}; skipped=${skipped:-0}
if [ "$status" = 0 ] && [ $((passed + failed + skipped)) = 0 ]; then
    echo "== $suite: the selection ran no test"
    status=1
fi
if [ "$status" != 0 ] && [ "$failed" = 0 ]; then failed=1; fi
printf '== %s: %s passed, %s failed, %s skipped (exit %s)\n' "$suite" "$passed" "$failed" "$skipped" "$status"
[ "$status" = 0 ] && [ "$failed" = 0 ]
