#!/usr/bin/env bash
# The console under a log flood: its pod's OpenCode container prints RATE lines a second for
# SECONDS while the Build & Logs panel shows its log, in tmux at 120x40. Prints per binary:
#   resident memory (peak over the flood; target <= 60 MB)
#   CPU share of one core over the flood (target <= 50 %)
#   whether the screen kept changing, and whether the newest line reached it once the flood paused
#   time from `q` to exit, under flood (target <= 200 ms) and idle, with and without the pod
#   (<= 100 ms)
#   time from a closed terminal (the tmux session killed) to exit under flood (target <= 1 s)
# With OPENCODE_OPS_BASELINE set to another build (say main's), that build is measured in the
# same run first, and the after/before ratios are printed. Prints figures; not a pass/fail test.
# Usage: Tests/bench/log-flood.sh [SECONDS] [RATE]   (defaults 60 and 50000)
#   binary: $OPENCODE_OPS_BINARY or .build/debug/opencode-ops
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
seconds=${1:-60}
rate=${2:-50000}
binary=${OPENCODE_OPS_BINARY:-$root/.build/debug/opencode-ops}
baseline=${OPENCODE_OPS_BASELINE:-}
# A console that ignores `q` or a closed terminal is killed after this long, and reported so.
ceiling=${BENCH_EXIT_CEILING:-30}
label=opencode-ops-test=console-flood
pod=ooflood-bench
container=$pod-opencode
port=14560
[ -x "$binary" ] || { echo "no binary at $binary: run swift build first" >&2; exit 1; }
[ -z "$baseline" ] || [ -x "$baseline" ] || { echo "no baseline binary at $baseline" >&2; exit 1; }
. "$here/pod-workspace.sh"
cp "$root/Tests/Support/log-flood/flood.awk" "$work/context/flood.awk"
stand_in_containerfile 5s "COPY flood.awk /flood.awk" \
    "[\"/bin/sh\", \"-c\", \"httpd -p 4096 -h /www && exec awk -v rate=$rate -f /flood.awk\"]"
write_config "$pod-absent" "$work/no-pod.yaml"

now_ms() { echo $(( $(date +%s%N) / 1000000 )); }
mode() { podman exec "$container" sh -c "echo $1 > /tmp/mode"; }
screen() { tmux -L "$socket" capture-pane -p -t "$1" 2>/dev/null || true; }
alive() { # PID: running and not a zombie
    local state
    state=$(awk '{print $3}' "/proc/$1/stat" 2>/dev/null) || return 1
    [ -n "$state" ] && [ "$state" != Z ]
}
# Milliseconds until PID is gone, polled every 2 ms from START_MS; killed at the ceiling.
exit_ms() { # PID START_MS
    local limit=$(( $2 + ceiling * 1000 ))
    while alive "$1"; do
        if [ "$(now_ms)" -ge "$limit" ]; then
            kill -KILL "$1" 2>/dev/null || true
            echo ">$(( ceiling * 1000 )) (killed)"
            return
        fi
        sleep 0.002
    done
    echo $(( $(now_ms) - $2 ))
}
wait_screen() { # SESSION TEXT TIMEOUT: 0 when the text showed
    local end=$(( $(date +%s) + $3 ))
    while [ "$(date +%s)" -lt "$end" ]; do
        screen "$1" | grep -qE -- "$2" && return 0
        sleep 0.1
    done
    return 1
}
# Starts BINARY in a new session; prints its pid once the screen matches MARKER (by default, the
# pod's OpenCode container shown running). EXTRA: more environment, e.g. another config file.
start_console() { # SESSION BINARY [MARKER] [EXTRA]
    local marker=${3:-"opencode ● (running|healthy)"}
    rm -f "$work/pid"
    tmux -L "$socket" -f /dev/null new-session -d -s "$1" -x 120 -y 40 \
        "cd $work && echo \$\$ > $work/pid && exec env LANG=C.UTF-8 LC_ALL=C.UTF-8 TERM=tmux-256color XDG_CONFIG_HOME=$work/config XDG_STATE_HOME=$work/state CONTAINERS_CONF=$CONTAINERS_CONF ${4:-} $2" \
        </dev/null >/dev/null 2>&1
    for _ in $(seq 100); do [ -s "$work/pid" ] && break; sleep 0.05; done
    wait_screen "$1" "$marker" 90 \
        || { echo "console did not show \"$marker\":" >&2; screen "$1" >&2; exit 1; }
    # The log stream (or the first probes) start with the first frame: let them settle.
    sleep 2
    cat "$work/pid"
}
# How many lines the flooder has printed, from its last pause line (it counts across sessions).
printed() {
    podman logs --tail 1 -- "$container" 2>/dev/null | grep -o 'flood paused after [0-9]*' | grep -o '[0-9]*$' || echo 0
}
rss_kb() { awk '/^VmRSS/ {print $2}' "/proc/$1/status" 2>/dev/null || echo 0; }
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat" 2>/dev/null || echo 0; }

# Measures one binary; prints "name value" lines into $work/results-LABEL.
measure() { # LABEL BINARY
    local label=$1 bin=$2 out=$work/results-$1 pid start ticks0 ticks1 peak rss t0 t1 first second
    mode pause
    : > "$out"
    # Idle with no pod: what the console runs by itself (events, probes).
    pid=$(start_console "$label-nopod" "$bin" "1 Health" "OPENCODE_OPS_CONFIG=$work/no-pod.yaml")
    start=$(now_ms)
    tmux -L "$socket" send-keys -t "$label-nopod" q
    echo "quit_nopod_ms $(exit_ms "$pid" "$start")" >> "$out"
    # Idle with the pod up: the log follower, events, stats and probes all running.
    pid=$(start_console "$label-idle" "$bin")
    start=$(now_ms)
    tmux -L "$socket" send-keys -t "$label-idle" q
    echo "quit_idle_ms $(exit_ms "$pid" "$start")" >> "$out"

    pid=$(start_console "$label-flood" "$bin")
    local before_count
    before_count=$(printed)
    ticks0=$(cpu_ticks "$pid"); t0=$(now_ms); peak=$(rss_kb "$pid")
    mode flood
    local end=$(( $(date +%s) + seconds )) changed=no
    first=$(screen "$label-flood")
    while [ "$(date +%s)" -lt "$end" ]; do
        rss=$(rss_kb "$pid"); [ "${rss:-0}" -gt "$peak" ] && peak=$rss
        sleep 0.5
    done
    ticks1=$(cpu_ticks "$pid"); t1=$(now_ms)
    second=$(screen "$label-flood")
    [ "$first" != "$second" ] && changed=yes
    sleep 1
    [ "$(screen "$label-flood")" != "$second" ] && changed=yes
    local paused
    paused=$(now_ms)
    mode pause
    local newest=no caught
    start=$(now_ms)
    if wait_screen "$label-flood" "flood paused after" 20; then newest=yes; fi
    caught=$(( $(now_ms) - start ))
    local rate_seen
    rate_seen=$(awk -v n="$(( $(printed) - before_count ))" -v ms="$(( paused - t0 ))" 'BEGIN {printf "%d", n / (ms / 1000)}')
    mode flood
    sleep 3
    start=$(now_ms)
    tmux -L "$socket" send-keys -t "$label-flood" q
    echo "quit_flood_ms $(exit_ms "$pid" "$start")" >> "$out"
    tmux -L "$socket" kill-session -t "$label-flood" 2>/dev/null || true
    mode pause
    {
        echo "rss_peak_mb $(awk -v k="$peak" 'BEGIN {printf "%.1f", k / 1024}')"
        echo "cpu_percent $(awk -v t="$((ticks1 - ticks0))" -v hz="$(getconf CLK_TCK)" -v ms="$((t1 - t0))" 'BEGIN {printf "%.1f", 100 * t / hz / (ms / 1000)}')"
        echo "screen_changing $changed"
        echo "newest_line_shown $newest"
        echo "newest_line_ms $caught"
        echo "lines_per_second $rate_seen"
    } >> "$out"

    # A closed terminal under flood: tmux kills the session, the console gets SIGHUP.
    pid=$(start_console "$label-hup" "$bin")
    mode flood
    sleep 3
    start=$(now_ms)
    tmux -L "$socket" kill-session -t "$label-hup"
    echo "hangup_flood_ms $(exit_ms "$pid" "$start")" >> "$out"
    mode pause
}

build_and_up
# A session that outlives the measured ones keeps the tmux server up between them.
tmux -L "$socket" -f /dev/null new-session -d -s keep "sleep 100000" </dev/null >/dev/null 2>&1

[ -n "$baseline" ] && measure before "$baseline"
measure after "$binary"

value() { awk -v k="$2" '$1 == k {print $2, $3}' "$work/results-$1"; }
ratio() {
    [ -n "$baseline" ] || return 0
    awk -v a="$(value after "$1" | awk '{print $1}')" -v b="$(value before "$1" | awk '{print $1}')" \
        'BEGIN { gsub(/>/, "", a); gsub(/>/, "", b); if (b + 0 > 0) printf "  (%.2fx before)", a / b }'
}
row() { # TITLE KEY UNIT TARGET
    local before=""
    [ -n "$baseline" ] && before=$(value before "$2")
    printf '%-34s %-16s %-16s %s%s\n' "$1" "${before:--}" "$(value after "$2")" "$4" "$(ratio "$2")"
}
echo "log flood: $rate lines/s for $seconds s, 120x40 ($binary${baseline:+ against $baseline})"
printf '%-34s %-16s %-16s %s\n' "" "before" "after" "target"
row "lines a second the container wrote" lines_per_second "" "$rate"
row "resident memory, peak (MB)" rss_peak_mb MB "<= 60"
row "CPU, share of one core (%)" cpu_percent % "<= 50"
row "screen changing under flood" screen_changing "" "yes"
row "newest line on screen" newest_line_shown "" "yes"
row "  ... shown after pause (ms)" newest_line_ms ms ""
row "q to exit, under flood (ms)" quit_flood_ms ms "<= 200"
row "q to exit, idle, pod up (ms)" quit_idle_ms ms "<= 100"
row "q to exit, idle, no pod (ms)" quit_nopod_ms ms "<= 100"
row "closed terminal to exit (ms)" hangup_flood_ms ms "<= 1000"
