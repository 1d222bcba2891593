"""`podman kube play` of the exported manifests with the stand-in images: the pod comes up with
its three containers on a shared localhost, the Secret reaches OpenCode, every probe command
passes, and `podman kube play --down` removes the pod.

Podman 4.3 runs no readiness or startup probes, and turns an exec liveness probe into a health
check by joining its arguments into one shell line, which breaks `sh -c SCRIPT`. So the test runs
every probe's command itself with `podman exec`, exactly as the kubelet would, and also runs
podman's own health check where its translation is sound (the redis-cli ones)."""
import json
import secrets
import time

import pytest

from conftest import LABEL, OPENCODE_IMAGE, SIDECAR_IMAGE, create_podman_secret, podman, remove_leftovers, require, unique_pod

PROBES = ["startupProbe", "livenessProbe", "readinessProbe"]


@pytest.fixture
def played(ops, tmp_path):
    require("podman")
    for image in (OPENCODE_IMAGE, SIDECAR_IMAGE):
        if podman("image", "exists", image, check=False).returncode != 0:
            pytest.fail(f"test image {image} missing: run Tests/kube/setup.sh")
    remove_leftovers()
    pod = unique_pod()
    ops.configure(f"pod: {pod}\nimage: {OPENCODE_IMAGE}\nfalkordb_image: {SIDECAR_IMAGE}\n"
                  f"valkey_image: {SIDECAR_IMAGE}\nenvironment:\n  GRAPHITI_GROUP_ID: kube-test\n")
    report = ops.export("--out", str(tmp_path / "out"), "--label", LABEL)
    password = secrets.token_hex(12)
    create_podman_secret(f"{pod}-secrets", {"OPENCODE_SERVER_PASSWORD": password})
    stack = report["files"][0]
    started = time.monotonic()
    podman("kube", "play", stack)
    yield {"pod": pod, "report": report, "stack": stack, "password": password, "started": started}
    podman("kube", "play", "--down", stack, check=False)
    remove_leftovers()


def container_name(pod, container):
    # podman kube play names a Deployment's pod `<name>-pod-0` and its containers `<pod>-<name>`.
    return f"{pod}-pod-0-{container}"


def wait_running(names, timeout=60):
    deadline = time.monotonic() + timeout
    while True:
        states = {}
        for name in names:
            result = podman("inspect", "--format", "{{.State.Status}}", name, check=False)
            states[name] = result.stdout.strip() or result.stderr.strip()
        if all(state == "running" for state in states.values()):
            return
        if time.monotonic() > deadline:
            raise AssertionError(f"containers not running after {timeout} s: {states}")
        time.sleep(0.5)


def wait_passing(name, command, timeout=30):
    """Runs a probe command until it passes, as the kubelet's startup probe would; returns seconds."""
    started = time.monotonic()
    while True:
        result = podman("exec", name, *command, check=False)
        if result.returncode == 0:
            return time.monotonic() - started
        if time.monotonic() - started > timeout:
            raise AssertionError(f"probe {command} in {name} still failing after {timeout} s: {result.stdout}{result.stderr}")
        time.sleep(0.5)


def test_pod_comes_up_and_probes_pass(played):
    pod = played["pod"]
    deployment = next(d for d in played["report"]["stack"] if d["kind"] == "Deployment")
    containers = deployment["spec"]["template"]["spec"]["containers"]
    names = {c["name"]: container_name(pod, c["name"]) for c in containers}
    wait_running(names.values())

    # One pod, labelled, with no published port (no hostPort in the export).
    pods = json.loads(podman("pod", "ps", "--format", "json", "--filter", f"label={LABEL}").stdout)
    ours = [p for p in pods if p["Name"] == f"{pod}-pod-0"]
    assert len(ours) == 1
    inspect = json.loads(podman("pod", "inspect", f"{pod}-pod-0").stdout)
    inspect = inspect[0] if isinstance(inspect, list) else inspect
    assert not (inspect.get("InfraConfig") or {}).get("PortBindings")

    for container in containers:
        for kind in PROBES:
            waited = wait_passing(names[container["name"]], container[kind]["exec"]["command"])
            assert waited < 30
    # Shared localhost: OpenCode's container reaches both sidecars on their ports.
    for port in (6379, 6380):
        reply = podman("exec", names["opencode"], "bash", "-c", f"exec 3<>/dev/tcp/127.0.0.1/{port}; printf 'PING\\r\\n' >&3; head -c 7 <&3")
        assert reply.stdout.startswith("+PONG"), port
    # Podman's own health checks from the liveness probes, where its translation holds.
    for sidecar in ("falkordb", "valkey"):
        assert podman("healthcheck", "run", names[sidecar], check=False).returncode == 0
    print(f"pod up and every probe passing {time.monotonic() - played['started']:.1f} s after kube play")


def test_secret_reaches_opencode_and_probe_depends_on_it(played):
    pod = played["pod"]
    deployment = next(d for d in played["report"]["stack"] if d["kind"] == "Deployment")
    opencode = deployment["spec"]["template"]["spec"]["containers"][0]
    name = container_name(pod, "opencode")
    wait_running([name])
    command = opencode["readinessProbe"]["exec"]["command"]
    wait_passing(name, command)
    # The stand-in wants the password the Secret carried: without it the endpoint says 401 ...
    status = podman("exec", name, "curl", "-s", "-o", "/dev/null", "-w", "%{http_code}", "http://127.0.0.1:4096/global/health")
    assert status.stdout == "401"
    # ... and the same probe with a wrong password fails, so a passing probe means something.
    wrong = podman("exec", "-e", "OPENCODE_SERVER_PASSWORD=wrong", name, *command, check=False)
    assert wrong.returncode != 0
    env = podman("exec", name, "printenv", "GRAPHITI_GROUP_ID").stdout.strip()
    assert env == "kube-test"
    # Keys left out of the Secret stay unset (optional references), as with an env file.
    assert podman("exec", name, "printenv", "DD_API_KEY", check=False).returncode == 1


def test_volumes_are_the_claims_and_down_cleans_up(played):
    pod = played["pod"]
    name = container_name(pod, "opencode")
    wait_running([name])
    mounts = json.loads(podman("inspect", "--format", "{{json .Mounts}}", name).stdout)
    by_path = {m["Destination"]: m.get("Name") for m in mounts}
    assert by_path["/root/.local/share/opencode"] == f"{pod}-opencode-data"
    assert by_path["/var/lib/opencode-backup"] == f"{pod}-backup-state"
    volumes = podman("volume", "ls", "--format", "{{.Name}}").stdout.split()
    for suffix in ("opencode-data", "falkordb-data", "valkey-data", "backup-state"):
        assert f"{pod}-{suffix}" in volumes
    down = podman("kube", "play", "--down", played["stack"])
    assert f"{pod}-pod-0" in down.stdout or "Pods removed" in down.stdout
    assert podman("pod", "exists", f"{pod}-pod-0", check=False).returncode == 1
