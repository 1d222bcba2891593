#!/usr/bin/env bash
# Benchmark (not a test): `opencode-ops health --json` against a sequential shell script making
# the same checks (curl, podman inspect, redis-cli through podman exec), both in the same run,
# and the CPU cost of `health --watch` at the default intervals over a minute.
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
image=localhost/opencode-ops-test/probes-bench:1
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
    printf 'FROM localhost/opencode-ops-test/debian:bookworm\nRUN apt-get update && apt-get install -y --no-install-recommends redis-tools && rm -rf /var/lib/apt/lists/*\n' \
        | podman build --format docker -t "$image" -f - "$work" >/dev/null
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
}

"$OPS_BIN" health --json >"$work/health.json" || true
echo "health --json answer: $(head -c 600 "$work/health.json")"

now() { date +%s.%N; }
start=$(now); for _ in $(seq "$runs"); do "$OPS_BIN" health --json >/dev/null || true; done; ops=$(echo "$(now) - $start" | bc)
start=$(now); for _ in $(seq "$runs"); do shell_checks; done; shell=$(echo "$(now) - $start" | bc)
printf 'wall time over %d runs: health --json %.3f s, shell script %.3f s, ratio %.2f (target <= 1.0)\n' \
    "$runs" "$ops" "$shell" "$(echo "$ops / $shell" | bc -l)"

# CPU of `health --watch` at default intervals over 60 s: own process and its waited-for
# children (the podman exec calls), from /proc/PID/stat (utime stime cutime cstime).
"$OPS_BIN" health --watch --json >/dev/null &
watch_pid=$!
pids+=("$watch_pid")
sleep 60
read -r -a stat <"/proc/$watch_pid/stat"
kill -9 "$watch_pid"
ticks=$(getconf CLK_TCK)
own=$(echo "(${stat[13]} + ${stat[14]}) / $ticks" | bc -l)
children=$(echo "(${stat[15]} + ${stat[16]}) / $ticks" | bc -l)
printf 'health --watch over 60 s: own CPU %.2f s (%.2f%% of one core), with podman exec children %.2f s (%.2f%%) (target <= 1%%)\n' \
    "$own" "$(echo "$own / 60 * 100" | bc -l)" "$(echo "$own + $children" | bc -l)" "$(echo "($own + $children) / 60 * 100" | bc -l)"
