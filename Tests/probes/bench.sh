#!/usr/bin/env bash
# Benchmark (not a test): `opencode-ops health --json` against a sequential shell script making
# the same checks (curl, podman inspect, redis-cli and the helpers through a podman exec each),
# both in the same run, and the CPU cost of `health --watch` at the default intervals over a
# minute, counting its children: the podman processes it waited for, the channel's podman exec,
# and the exec session's conmon with what runs under it in the container.
#
# Setup: two real redis-servers on the host (FalkorDB and Valkey stand-ins), the local OpenCode
# stand-in, and a container named like the console's OpenCode container (host network, so its
# localhost reaches the redis-servers; redis-tools inside) that podman inspect and exec reach.
# Usage: Tests/probes/bench.sh [RUNS]   (OPS_BIN=path/to/opencode-ops to skip the build)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
runs=${1:-10}
export CONTAINERS_CONF=${CONTAINERS_CONF:-$root/Tests/Support/containers.conf}
label=opencode-ops-test=probes
pod=opsprobes-bench
container=$pod-opencode
image=localhost/opencode-ops-test/redis-tools:1
falkor_port=14490
valkey_port=14491

work=$(mktemp -d)
pids=()
cleanup() {
    for pid in "${pids[@]}"; do kill -9 "$pid" 2>/dev/null || true; done
    podman rm -f --filter "label=$label" >/dev/null 2>&1 || podman ps -aq --filter "label=$label" | xargs -r podman rm -f >/dev/null
    rm -rf "$work"
}
trap cleanup EXIT
podman ps -aq --filter "label=$label" | xargs -r podman rm -f >/dev/null

if [ -z "${OPS_BIN:-}" ]; then
    scratch=${SWIFT_SCRATCH_PATH:-.build}
    (cd "$root" && swift build -c release --scratch-path "$scratch" --product opencode-ops >/dev/null)
    OPS_BIN=$(cd "$root" && swift build -c release --scratch-path "$scratch" --show-bin-path)/opencode-ops
fi

"$root/Tests/Support/base-image.sh" >/dev/null
if ! podman image exists "$image"; then
    podman build --format docker -t "$image" -f "$here/fixtures/redis-tools.Containerfile" "$here/fixtures" >/dev/null
fi

for port in $falkor_port $valkey_port; do
    printf 'port %s\nbind 127.0.0.1\nsave ""\nappendonly no\n' "$port" | redis-server - >/dev/null &
    pids+=($!)
done
FAKE_DEFAULT_SCENARIO=ok python3 "$here/fixtures/fake_services.py" 14480 14489 >"$work/http.port" &
pids+=($!)
podman run -d --name "$container" --label "$label" --network host --init "$image" sleep infinity >/dev/null
for _ in $(seq 50); do [ -s "$work/http.port" ] && redis-cli -p $valkey_port PING >/dev/null 2>&1 && break; sleep 0.1; done
http_port=$(awk '{print $2}' "$work/http.port")

mkdir -p "$work/config/opencode-ops"
printf 'FALKORDB_PORT=%s\nVALKEY_PORT=%s\n' $falkor_port $valkey_port >"$work/secrets.env"
printf 'pod: %s\nport: %s\nenv_file: %s\n' "$pod" "$http_port" "$work/secrets.env" >"$work/config/opencode-ops/config.yaml"
export XDG_CONFIG_HOME=$work/config XDG_STATE_HOME=$work/state

# The same checks, one after the other, as an operator's script would make them.
shell_checks() {
    curl -fsS -o /dev/null --max-time 3 "http://127.0.0.1:$http_port/global/health"
    podman container inspect --format '{{.State.Status}} {{.State.Health.Status}}' "$container" >/dev/null
    podman exec "$container" redis-cli -p $falkor_port PING >/dev/null
    podman exec "$container" redis-cli -p $falkor_port MODULE LIST >/dev/null
    podman exec "$container" redis-cli -p $valkey_port PING >/dev/null
    # The Graphiti memory status, as `health` asks it (this stand-in has no helper: it fails
    # the same way for both).
    podman exec "$container" /opt/venv/bin/python /app/graphiti/memory.py status >/dev/null 2>&1 || true
    # The backup history and schedule, as the freshness probe reads them (absent here too).
    podman exec "$container" /app/scripts/list-backups --runs --json >/dev/null 2>&1 || true
    podman exec "$container" printenv BACKUP_SCHEDULE >/dev/null 2>&1 || true
}

# Processes running `podman exec` into the bench container.
execs() { pgrep -f "podman exec.* $container " | wc -l || true; }

# CPU seconds (user + system, with reaped children) of PID and its live descendants.
tree_cpu() {
    local ticks=$1 total=0 pid child
    for pid in "${@:2}"; do
        [ -r "/proc/$pid/stat" ] || continue
        read -r -a stat <"/proc/$pid/stat" || continue
        total=$((total + stat[13] + stat[14] + stat[15] + stat[16]))
        for child in $(pgrep -P "$pid"); do total=$((total + $(tree_cpu 0 "$child"))); done
    done
    echo "$total"
}

"$OPS_BIN" health --json >"$work/health.json" || true
echo "health --json answer: $(head -c 600 "$work/health.json")"

now() { date +%s.%N; }
start=$(now); for _ in $(seq "$runs"); do "$OPS_BIN" health --json >/dev/null || true; done; ops=$(echo "$(now) - $start" | bc)
start=$(now); for _ in $(seq "$runs"); do shell_checks; done; shell=$(echo "$(now) - $start" | bc)
printf 'wall time over %d runs: health --json %.3f s, shell script %.3f s, ratio %.2f (target <= 0.5)\n' \
    "$runs" "$ops" "$shell" "$(echo "$ops / $shell" | bc -l)"
sleep 1
echo "podman exec processes left after the health --json runs: $(execs)"

# CPU of `health --watch` at default intervals: its own process, the podman processes it waited
# for, its live children (the channels' podman exec), and the conmon of each exec session into
# the container with what runs under it (the channel's shell loop and its commands), from
# /proc/PID/stat (utime stime cutime cstime). Printed for its first minute (start-up included:
# opening the channels) and for the minute after its first 10 s (what watching costs from then
# on). An exec session that ended in between is not counted: conmon is not our child, and
# whatever reaped it kept its time.
container_id=$(podman inspect --format '{{.Id}}' "$container")
ticks=$(getconf CLK_TCK)
# Prints "own waited live sessions" in clock ticks.
sample() {
    local stat live=0 child sessions
    read -r -a stat <"/proc/$watch_pid/stat"
    for child in $(pgrep -P "$watch_pid" || true); do live=$((live + $(tree_cpu 0 "$child"))); done
    sessions=$(for pid in $(pgrep -x conmon || true); do
        tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -q -- "-c $container_id .*--exec-process-spec" && echo "$pid"
    done)
    echo "$((stat[13] + stat[14])) $((stat[15] + stat[16])) $live $(tree_cpu 0 $sessions)"
}
report() {
    local what=$1 own=$2 waited=$3 live=$4 sessions=$5 all
    all=$((own + waited + live + sessions))
    printf 'health --watch, %s: %.2f%% of one core with children (target <= 0.5%%): own %.2f s, waited-for podman %.2f s, live children %.2f s, exec sessions %.2f s\n' \
        "$what" "$(echo "$all / $ticks / 60 * 100" | bc -l)" "$(echo "$own / $ticks" | bc -l)" \
        "$(echo "$waited / $ticks" | bc -l)" "$(echo "$live / $ticks" | bc -l)" "$(echo "$sessions / $ticks" | bc -l)"
}
"$OPS_BIN" health --watch --json >/dev/null &
watch_pid=$!
pids+=("$watch_pid")
sleep 10
read -r -a at10 <<<"$(sample)"
sleep 50
read -r -a at60 <<<"$(sample)"
sleep 10
read -r -a at70 <<<"$(sample)"
live_execs=$(execs)
kill -TERM "$watch_pid"
wait "$watch_pid" 2>/dev/null || true
left=$(for _ in $(seq 50); do [ "$(execs)" -eq 0 ] && break; sleep 0.1; done; execs)
report "first minute, start included" "${at60[@]}"
report "the minute after its first 10 s" $((at70[0] - at10[0])) $((at70[1] - at10[1])) $((at70[2] - at10[2])) $((at70[3] - at10[3]))
echo "podman exec processes open while watching: $live_execs; left 5 s after it was stopped (SIGTERM): $left"
