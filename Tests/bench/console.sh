#!/usr/bin/env bash
# Console benchmark at 80x24 in a real pseudo-terminal, with baselines from the same run:
# - time to first frame, against the time the same binary takes to start and print --version;
# - bytes written per second while idle, against `top -d 1` (a familiar full-screen tool).
# Targets: first frame <= 100 ms; idle 0 B/s while nothing changes.
# Then, with podman and tmux, the stats overlay against a pod of its own (stats.sh).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
binary=${OPENCODE_OPS_BINARY:-$repo/.build/debug/opencode-ops}
runs=${BENCH_RUNS:-5}
idle=${BENCH_IDLE_SECONDS:-10}
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
export XDG_CONFIG_HOME=$scratch/config XDG_STATE_HOME=$scratch/state LANG=C.UTF-8 LC_ALL=C.UTF-8
mkdir -p "$XDG_CONFIG_HOME/opencode-ops" "$XDG_STATE_HOME"
# A secrets file, so the console opens on its panels rather than the first-run screen.
(umask 077 && printf 'OPENCODE_SERVER_PASSWORD=bench-server-pw\n' > "$XDG_CONFIG_HOME/opencode-ops/secrets.env")
cd "$repo"

median() { sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }

startup=()
for _ in $(seq "$runs"); do
    s=$(date +%s%N); "$binary" --version >/dev/null; e=$(date +%s%N)
    startup+=("$(( (e - s) / 1000 ))")
done
startup_ms=$(printf '%s\n' "${startup[@]}" | median | awk '{printf "%.1f", $1/1000}')

frames=()
idle_rates=()
for i in $(seq "$runs"); do
    seconds=$([ "$i" = 1 ] && echo "$idle" || echo 1)
    result=$(python3 "$here/terminal_bench.py" --marker "Build & Logs" --idle "$seconds" -- "$binary")
    frames+=("$(python3 -c 'import json,sys; print(json.load(sys.stdin)["first_frame_ms"])' <<<"$result")")
    [ "$i" = 1 ] && idle_rates+=("$(python3 -c 'import json,sys; print(json.load(sys.stdin)["idle_bytes_per_second"])' <<<"$result")")
done
frame_ms=$(printf '%s\n' "${frames[@]}" | median)
top_rate=$(python3 "$here/terminal_bench.py" --marker "PID" --idle "$idle" -- top -d 1 | python3 -c 'import json,sys; print(json.load(sys.stdin)["idle_bytes_per_second"])')

echo "console benchmark, 80x24, median of $runs runs ($binary)"
printf 'process start (--version):     %8.1f ms   (baseline)\n' "$startup_ms"
printf 'time to first frame:           %8.1f ms   (%.1fx the process start; target <= 100 ms)\n' \
    "$frame_ms" "$(awk -v a="$frame_ms" -v b="$startup_ms" 'BEGIN {print a / b}')"
printf 'idle output, console:          %8.1f B/s  (over %s s; target 0)\n' "${idle_rates[0]}" "$idle"
printf 'idle output, top -d 1:         %8.1f B/s  (baseline)\n' "$top_rate"

# The stats overlay needs a running pod: podman and tmux (BENCH_STATS=0 leaves it out).
if [ "${BENCH_STATS:-1}" = 1 ] && command -v podman >/dev/null && command -v tmux >/dev/null; then
    echo
    bash "$here/stats.sh" "${BENCH_STATS_SECONDS:-30}"
fi
