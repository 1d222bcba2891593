# Sourced by the console benchmarks that run a pod of their own (pod-idle.sh, log-flood.sh).
# Expects root, pod, port and label to be set. Sets image, sidecar, work (a scratch folder with
# the build context, XDG config and state) and socket (a private tmux server's name), and
# removes the pod, its volumes, its image and the tmux server on exit.
image=localhost/$pod/opencode:latest
sidecar=localhost/opencode-ops-test/sidecar-standin:2
export CONTAINERS_CONF=${CONTAINERS_CONF:-$root/Tests/Support/containers.conf}
podman image exists "$sidecar" || bash "$root/Tests/podman/setup.sh"

work=$(mktemp -d)
socket=$pod-$$
cleanup() {
    tmux -L "$socket" kill-server 2>/dev/null || true
    podman pod rm --force --time 0 "$pod" >/dev/null 2>&1 || true
    for role in opencode falkordb valkey; do podman volume rm --force "$pod-$role-data" >/dev/null 2>&1 || true; done
    podman rmi --force "$image" >/dev/null 2>&1 || true
    rm -rf "$work"
}
trap cleanup EXIT
podman pod rm --force --time 0 "$pod" >/dev/null 2>&1 || true

mkdir -p "$work/context" "$work/config/opencode-ops" "$work/state"
cp "$(command -v busybox)" "$work/context/busybox"
printf 'OPS_TEST_SECRET=s3cret\nOPENCODE_SERVER_PASSWORD=bench-server-pw\n' > "$work/config/opencode-ops/secrets.env"
chmod 600 "$work/config/opencode-ops/secrets.env"

# The OpenCode stand-in: busybox httpd answering /config, with a health check; SIGKILL stops it
# at once. EXTRA: more Containerfile lines; ENTRYPOINT: its ENTRYPOINT line's JSON array.
stand_in_containerfile() { # INTERVAL EXTRA ENTRYPOINT
    cat > "$work/context/Containerfile" <<CF
FROM scratch
COPY busybox /bin/busybox
RUN ["/bin/busybox", "--install", "-s", "/bin"]
RUN mkdir -p /www /root/.local/share/opencode /tmp && echo '{"ok":true}' > /www/config
$2
LABEL $label
STOPSIGNAL SIGKILL
HEALTHCHECK --interval=$1 --timeout=2s --start-period=3s --retries=3 CMD wget -q -O /dev/null http://127.0.0.1:4096/config || exit 1
ENTRYPOINT $3
CF
}

# The console's config for POD (another name than $pod: a console with no pod).
write_config() { # POD [FILE]
    cat > "${2:-$work/config/opencode-ops/config.yaml}" <<YAML
pod: $1
image: $image
falkordb_image: $sidecar
valkey_image: $sidecar
port: $port
bind_address: 127.0.0.1
build_context: $work/context
env_file: $work/config/opencode-ops/secrets.env
YAML
}

build_and_up() {
    podman build --quiet --format docker --label "$label" --tag "$image" "$work/context" >/dev/null
    write_config "$pod"
    env XDG_CONFIG_HOME="$work/config" XDG_STATE_HOME="$work/state" "$binary" up >/dev/null
}
