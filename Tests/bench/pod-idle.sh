#!/usr/bin/env bash
# Bytes per second the console writes to an 80x24 terminal while the pod is up and nothing
# changes, next to a baseline measured in the same run: the same console with no pod.
# Target: <= 40 B/s with the pod up. Prints figures; not a pass/fail test.
# Usage: Tests/bench/pod-idle.sh [SECONDS]   (binary: $OPENCODE_OPS_BINARY or .build/debug/opencode-ops)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
seconds=${1:-20}
binary=${OPENCODE_OPS_BINARY:-$root/.build/debug/opencode-ops}
label=opencode-ops-test=console-pod
pod=ooconsole-bench
port=14550
[ -x "$binary" ] || { echo "no binary at $binary: run swift build first" >&2; exit 1; }
. "$here/pod-workspace.sh"
stand_in_containerfile 1s "" '["/bin/httpd", "-f", "-p", "4096", "-h", "/www"]'

# Measures one console: settle, then count what it writes for $seconds.
measure() { # LABEL
    local out="$work/pane-$1.out"
    tmux -L "$socket" -f /dev/null new-session -d -s "$1" -x 80 -y 24 \
        "cd $work && env LANG=C.UTF-8 LC_ALL=C.UTF-8 TERM=tmux-256color XDG_CONFIG_HOME=$work/config XDG_STATE_HOME=$work/state CONTAINERS_CONF=$CONTAINERS_CONF $binary; sleep 600" \
        </dev/null >/dev/null 2>&1
    sleep 8
    tmux -L "$socket" pipe-pane -t "$1" -o "cat > $out"
    sleep "$seconds"
    tmux -L "$socket" pipe-pane -t "$1"
    local bytes
    bytes=$(stat -c %s "$out")
    tmux -L "$socket" kill-session -t "$1"
    awk -v b="$bytes" -v s="$seconds" -v l="$1" 'BEGIN { printf "%-22s %8d bytes in %d s = %7.1f B/s\n", l, b, s, b / s }'
}

write_config "$pod-absent"
measure baseline-no-pod

build_and_up
measure pod-up-idle
echo "target: pod-up-idle <= 40 B/s"
