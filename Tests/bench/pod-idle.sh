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
export CONTAINERS_CONF=${CONTAINERS_CONF:-$root/Tests/Support/containers.conf}
label=opencode-ops-test=console-pod
pod=ooconsole-bench
image=localhost/$pod/opencode:latest
sidecar=localhost/opencode-ops-test/sidecar-standin:2
port=14550
[ -x "$binary" ] || { echo "no binary at $binary: run swift build first" >&2; exit 1; }
podman image exists "$sidecar" || bash "$root/Tests/podman/setup.sh"

work=$(mktemp -d)
socket=ooconsole-bench-$$
cleanup() {
    tmux -L "$socket" kill-server 2>/dev/null || true
    podman pod rm --force --time 0 "$pod" >/dev/null 2>&1 || true
    for role in opencode falkordb valkey; do podman volume rm --force "$pod-$role-data" >/dev/null 2>&1 || true; done
    podman rmi --force "$image" >/dev/null 2>&1 || true
    rm -rf "$work"
}
trap cleanup EXIT
cleanup_quiet() { podman pod rm --force --time 0 "$pod" >/dev/null 2>&1 || true; }
cleanup_quiet

mkdir -p "$work/context" "$work/config/opencode-ops" "$work/state"
cp "$(command -v busybox)" "$work/context/busybox"
cat > "$work/context/Containerfile" <<'CF'
FROM scratch
COPY busybox /bin/busybox
RUN ["/bin/busybox", "--install", "-s", "/bin"]
RUN mkdir -p /www /root/.local/share/opencode && echo '{"ok":true}' > /www/config
STOPSIGNAL SIGKILL
HEALTHCHECK --interval=1s --timeout=2s --start-period=3s --retries=3 CMD wget -q -O /dev/null http://127.0.0.1:4096/config || exit 1
ENTRYPOINT ["/bin/httpd", "-f", "-p", "4096", "-h", "/www"]
CF
printf 'OPS_TEST_SECRET=s3cret\n' > "$work/config/opencode-ops/secrets.env"
chmod 600 "$work/config/opencode-ops/secrets.env"
write_config() { # POD
    cat > "$work/config/opencode-ops/config.yaml" <<YAML
pod: $1
image: $image
falkordb_image: $sidecar
valkey_image: $sidecar
port: $port
build_context: $work/context
env_file: $work/config/opencode-ops/secrets.env
YAML
}

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

podman build --quiet --format docker --label "$label" --tag "$image" "$work/context" >/dev/null
write_config "$pod"
env XDG_CONFIG_HOME="$work/config" XDG_STATE_HOME="$work/state" "$binary" up >/dev/null
measure pod-up-idle
echo "target: pod-up-idle <= 40 B/s"
