"""Shared fixtures for the Kubernetes export tests: the real opencode-ops binary run with its
own XDG folders, and podman with the test-only containers.conf."""
import base64
import json
import os
import sys
import subprocess
import uuid
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "Tests/Support"))
from toolcheck import require  # noqa: E402
LABEL = "opencode-ops-test=kube"
OPENCODE_IMAGE = "localhost/opencode-ops-test/kube-opencode-standin:1"
SIDECAR_IMAGE = "localhost/opencode-ops-test/sidecar-standin:2"


def binary():
    path = os.environ.get("OPENCODE_OPS_BIN") or str(ROOT / ".build/debug/opencode-ops")
    if not Path(path).is_file():
        pytest.fail(f"opencode-ops binary not found at {path}: run Tests/kube/run.sh or set OPENCODE_OPS_BIN")
    return path


class Ops:
    """opencode-ops with a config folder and state folder of its own."""

    def __init__(self, tmp):
        self.config = tmp / "config"
        self.state = tmp / "state"
        (self.config / "opencode-ops").mkdir(parents=True)
        self.state.mkdir()
        self.binary = binary()

    def configure(self, text):
        (self.config / "opencode-ops" / "config.yaml").write_text(text)

    def secrets_file(self, text):
        path = self.config / "opencode-ops" / "secrets.env"
        path.write_text(text)
        path.chmod(0o600)

    def run(self, *args, check=True):
        env = {k: v for k, v in os.environ.items() if not k.startswith(("XDG_", "OPENCODE_OPS_"))}
        env.update(XDG_CONFIG_HOME=str(self.config), XDG_STATE_HOME=str(self.state), HOME=str(self.config.parent))
        result = subprocess.run([self.binary, *args], env=env, capture_output=True, text=True, timeout=60)
        if check and result.returncode != 0:
            raise AssertionError(f"opencode-ops {' '.join(args)} exited {result.returncode}: {result.stderr}")
        return result

    def export(self, *args):
        """Runs `kube --json` and returns its report with the parsed documents."""
        report = json.loads(self.run("kube", "--json", *args).stdout)
        stack, template = report["files"]
        report["stack"] = list(yaml.safe_load_all(Path(stack).read_text()))
        report["secret"] = list(yaml.safe_load_all(Path(template).read_text()))
        return report


@pytest.fixture
def ops(tmp_path):
    return Ops(tmp_path)


def podman(*args, check=True, timeout=120):
    env = dict(os.environ, CONTAINERS_CONF=os.environ.get("CONTAINERS_CONF", str(ROOT / "Tests/Support/containers.conf")))
    result = subprocess.run(["podman", *args], env=env, capture_output=True, text=True, timeout=timeout)
    if check and result.returncode != 0:
        raise AssertionError(f"podman {' '.join(args)} exited {result.returncode}: {result.stderr}")
    return result


def remove_leftovers(prefix="kubetest-"):
    """Removes every pod and volume carrying the test label, and the test's secrets."""
    for pod in podman("pod", "ps", "-q", "--filter", f"label={LABEL}", check=False).stdout.split():
        podman("pod", "rm", "-f", "-t", "1", pod, check=False)
    for volume in podman("volume", "ls", "-q", "--filter", f"label={LABEL}", check=False).stdout.split():
        podman("volume", "rm", "-f", volume, check=False)
    for line in podman("secret", "ls", "--format", "{{.Name}}", check=False).stdout.split():
        if line.startswith(prefix):
            podman("secret", "rm", line, check=False)


def create_podman_secret(name, values):
    """Podman 4.3 stores a `kind: Secret` from kube play as YAML but reads secretKeyRef values
    as a JSON map of base64 strings, so the Secret is created the way it can read it."""
    data = {key: base64.b64encode(value.encode()).decode() for key, value in values.items()}
    env = dict(os.environ, CONTAINERS_CONF=os.environ.get("CONTAINERS_CONF", str(ROOT / "Tests/Support/containers.conf")))
    subprocess.run(["podman", "secret", "create", "--label", LABEL, name, "-"], input=json.dumps(data),
                   env=env, text=True, check=True, capture_output=True)


def unique_pod():
    return "kubetest-" + uuid.uuid4().hex[:8]
