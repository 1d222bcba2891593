#!/usr/bin/env bash
# The stats overlay's cost at 80x24 against a running pod, with the baseline from the same run:
# - bytes per second written to the terminal with the overlay hidden (the pod-up idle figure,
#   the baseline) and with it visible (target <= 300 B/s);
# - how long the `podman stats` child takes to exit after Esc hides the overlay, from sending
#   the key to the process being gone (target <= 1 s), over several opens and closes.
# Prints figures; not a pass/fail test.
# Usage: Tests/bench/stats.sh [SECONDS]   (binary: $OPENCODE_OPS_BINARY or .build/debug/opencode-ops)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
seconds=${1:-30}
closes=${BENCH_STATS_CLOSES:-5}
binary=${OPENCODE_OPS_BINARY:-$root/.build/debug/opencode-ops}
label=opencode-ops-test=console-stats
pod=ooconsole-stats
port=14580
[ -x "$binary" ] || { echo "no binary at $binary: run swift build first" >&2; exit 1; }
. "$here/pod-workspace.sh"
stand_in_containerfile 1s "" '["/bin/httpd", "-f", "-p", "4096", "-h", "/www"]'
build_and_up

session=stats
tmux -L "$socket" -f /dev/null new-session -d -s "$session" -x 80 -y 24 \
    "cd $work && exec env LANG=C.UTF-8 LC_ALL=C.UTF-8 TERM=tmux-256color XDG_CONFIG_HOME=$work/config XDG_STATE_HOME=$work/state CONTAINERS_CONF=$CONTAINERS_CONF $binary" \
    </dev/null >/dev/null 2>&1
console=$(tmux -L "$socket" display-message -p -t "$session" '#{pane_pid}')
stats_children() { pgrep -P "$console" -f "podman stats" || true; }

# Bytes the console writes to the pane over $seconds.
rate() { # NAME
    local out="$work/pane-$1.out"
    tmux -L "$socket" pipe-pane -t "$session" -o "cat > $out"
    sleep "$seconds"
    tmux -L "$socket" pipe-pane -t "$session"
    awk -v b="$(stat -c %s "$out")" -v s="$seconds" 'BEGIN { printf "%.1f", b / s }'
}

sleep 8
hidden=$(rate hidden)
tmux -L "$socket" send-keys -t "$session" s
sleep 8 # the first samples arrive and the charts start
[ -n "$(stats_children)" ] || { echo "no podman stats child after s" >&2; exit 1; }
visible=$(rate visible)

exits=()
for i in $(seq "$closes"); do
    [ "$i" = 1 ] || { tmux -L "$socket" send-keys -t "$session" s; sleep 3; }
    [ -n "$(stats_children)" ] || { echo "no podman stats child after s" >&2; exit 1; }
    start=$(date +%s%N)
    tmux -L "$socket" send-keys -t "$session" Escape
    while [ -n "$(stats_children)" ]; do
        [ $(( $(date +%s%N) - start )) -lt 30000000000 ] || { echo "podman stats still runs 30 s after Esc" >&2; exit 1; }
        sleep 0.01
    done
    exits+=("$(( ($(date +%s%N) - start) / 1000000 ))")
done
worst=$(printf '%s\n' "${exits[@]}" | sort -n | tail -1)
median=$(printf '%s\n' "${exits[@]}" | sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}')

echo "stats overlay benchmark, 80x24, pod up, $seconds s each ($binary)"
printf 'output, overlay hidden:        %8.1f B/s  (baseline: the pod-up idle figure)\n' "$hidden"
printf 'output, overlay visible:       %8.1f B/s  (%.1fx hidden, +%.1f B/s; target <= 300 B/s)\n' "$visible" \
    "$(awk -v a="$visible" -v b="$hidden" 'BEGIN {print (b > 0 ? a / b : 0)}')" "$(awk -v a="$visible" -v b="$hidden" 'BEGIN {print a - b}')"
printf 'podman stats gone after Esc:  %8d ms   median of %d, worst %d ms (target <= 1000 ms)\n' "$median" "$closes" "$worst"
