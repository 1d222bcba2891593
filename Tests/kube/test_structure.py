"""Structure of the exported manifests, checked the way the API server would: kinds and API
versions, DNS-1123 names, selectors matching the pod's labels, volumes and claims that line up,
probes, no hostPort, and secrets only as empty template values and references."""
import re
import stat
from pathlib import Path

from conftest import OPENCODE_IMAGE

DNS1123_LABEL = re.compile(r"^[a-z0-9]([-a-z0-9]*[a-z0-9])?$")
KINDS = {"PersistentVolumeClaim": "v1", "Service": "v1", "Deployment": "apps/v1", "Secret": "v1"}
SECRETS = {"OPENCODE_SERVER_PASSWORD", "OPENAI_API_KEY", "ANTHROPIC_API_KEY", "FALKORDB_PASSWORD",
           "VALKEY_PASSWORD", "DD_API_KEY", "B2_APPLICATION_KEY_ID", "B2_APPLICATION_KEY", "BACKUP_PASSWORD"}


def by_kind(documents, kind):
    return [d for d in documents if d["kind"] == kind]


def walk(value, path=""):
    """Every (path, key, value) in a document, for checks that must hold anywhere."""
    if isinstance(value, dict):
        for key, item in value.items():
            yield path, key, item
            yield from walk(item, f"{path}.{key}")
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from walk(item, f"{path}[{index}]")


def test_kinds_names_and_labels(ops):
    ops.configure("pod: opencode\n")
    report = ops.export("--label", "team=platform")
    documents = report["stack"] + report["secret"]
    assert sorted(d["kind"] for d in report["stack"]) == ["Deployment"] + ["PersistentVolumeClaim"] * 4 + ["Service"]
    assert [d["kind"] for d in report["secret"]] == ["Secret"]
    for document in documents:
        assert document["apiVersion"] == KINDS[document["kind"]], document["kind"]
        name = document["metadata"]["name"]
        assert DNS1123_LABEL.match(name) and len(name) <= 63, name
        labels = document["metadata"]["labels"]
        assert labels["app.kubernetes.io/instance"] == "opencode"
        assert labels["team"] == "platform"
    names = {(d["kind"], d["metadata"]["name"]) for d in documents}
    assert ("Deployment", "opencode") in names and ("Service", "opencode") in names
    assert ("Secret", "opencode-secrets") in names
    # The three data volumes carry the names `up` gives its podman volumes.
    for claim in ["opencode-opencode-data", "opencode-falkordb-data", "opencode-valkey-data", "opencode-backup-state"]:
        assert ("PersistentVolumeClaim", claim) in names


def test_selectors_match_pod_labels(ops):
    ops.configure("pod: opencode\n")
    stack = ops.export()["stack"]
    deployment, = by_kind(stack, "Deployment")
    service, = by_kind(stack, "Service")
    pod_labels = deployment["spec"]["template"]["metadata"]["labels"]
    selector = deployment["spec"]["selector"]["matchLabels"]
    assert selector and all(pod_labels.get(k) == v for k, v in selector.items())
    assert service["spec"]["selector"] and all(pod_labels.get(k) == v for k, v in service["spec"]["selector"].items())
    assert deployment["spec"]["replicas"] == 1
    assert deployment["spec"]["strategy"]["type"] == "Recreate"
    port, = service["spec"]["ports"]
    assert port == {"name": "http", "port": 4096, "targetPort": 4096, "protocol": "TCP"}
    assert service["spec"]["type"] == "ClusterIP"


def test_pod_layout_volumes_and_probes(ops):
    ops.configure("pod: opencode\n")
    stack = ops.export()["stack"]
    deployment, = by_kind(stack, "Deployment")
    spec = deployment["spec"]["template"]["spec"]
    containers = {c["name"]: c for c in spec["containers"]}
    assert list(containers) == ["opencode", "falkordb", "valkey"]
    assert containers["valkey"]["args"] == ["--port", "6380"]
    assert spec["enableServiceLinks"] is False
    claims = {d["metadata"]["name"] for d in by_kind(stack, "PersistentVolumeClaim")}
    volumes = {v["name"]: v["persistentVolumeClaim"]["claimName"] for v in spec["volumes"]}
    assert set(volumes.values()) == claims
    mounts = {name: {m["mountPath"] for m in c["volumeMounts"]} for name, c in containers.items()}
    assert mounts == {"opencode": {"/root/.local/share/opencode", "/var/lib/opencode-backup"},
                      "falkordb": {"/data"}, "valkey": {"/data"}}
    for container in containers.values():
        assert all(m["name"] in volumes for m in container["volumeMounts"])
        # No container ports: podman 4.3's kube play would publish each one on the host.
        assert "ports" not in container
        for kind in ["startupProbe", "livenessProbe", "readinessProbe"]:
            assert container[kind]["exec"]["command"], (container["name"], kind)
    health = containers["opencode"]["livenessProbe"]["exec"]["command"]
    assert health[:2] == ["sh", "-c"] and "http://127.0.0.1:4096/global/health" in health[2]
    assert containers["falkordb"]["readinessProbe"]["exec"]["command"] == ["redis-cli", "-p", "6379", "ping"]
    assert containers["valkey"]["readinessProbe"]["exec"]["command"] == ["redis-cli", "-p", "6380", "ping"]
    for _, key, _ in walk(stack):
        assert key not in {"hostPort", "hostNetwork", "hostPath"}, key


def test_secrets_are_references_and_empty_template(ops):
    ops.configure("pod: opencode\nenvironment:\n  BACKUP_SCHEDULE: '0 3 * * *'\n  B2_BUCKET: my-bucket\n")
    ops.secrets_file("OPENCODE_SERVER_PASSWORD=never-exported-9f2c\nB2_APPLICATION_KEY=never-exported-b2\n")
    report = ops.export()
    deployment, = by_kind(report["stack"], "Deployment")
    secret, = report["secret"]
    env = {e["name"]: e for e in deployment["spec"]["template"]["spec"]["containers"][0]["env"]}
    assert env["BACKUP_SCHEDULE"]["value"] == "0 3 * * *"
    assert env["B2_BUCKET"]["value"] == "my-bucket"
    references = {name: e["valueFrom"]["secretKeyRef"] for name, e in env.items() if "valueFrom" in e}
    assert set(references) == SECRETS
    for name, reference in references.items():
        assert "value" not in env[name]
        assert reference["name"] == secret["metadata"]["name"] and reference["key"] == name
    assert secret["type"] == "Opaque"
    assert secret["stringData"] == {name: "" for name in SECRETS}
    for path in report["files"]:
        assert "never-exported" not in Path(path).read_text()
    assert stat.S_IMODE(Path(report["files"][1]).stat().st_mode) == 0o600


def test_invalid_pod_name_is_made_dns1123_and_said(ops):
    ops.configure("pod: OpenCode_Dev.Team\n")
    report = ops.export()
    names = {d["metadata"]["name"] for d in report["stack"] + report["secret"]}
    assert "opencode-dev-team" in names and "opencode-dev-team-secrets" in names
    assert any("not a DNS-1123 name" in note for note in report["notes"])


def test_long_pod_name_keeps_every_name_within_63(ops):
    ops.configure("pod: " + "a" * 80 + "\n")
    report = ops.export()
    for document in report["stack"] + report["secret"]:
        assert len(document["metadata"]["name"]) <= 63


def test_filled_in_template_is_never_overwritten(ops):
    ops.configure("pod: opencode\n")
    report = ops.export()
    template = Path(report["files"][1])
    template.write_text(template.read_text().replace("DD_API_KEY: ''", "DD_API_KEY: 'filled-in'"))
    second = ops.export()
    assert "filled-in" in template.read_text()
    assert any("kept" in note for note in second["notes"])


def test_out_folder_images_and_text_output(ops, tmp_path):
    ops.configure(f"pod: opencode\nimage: {OPENCODE_IMAGE}\n")
    out = tmp_path / "manifests"
    result = ops.run("kube", "--out", str(out), "--storage-class", "fast-ssd")
    assert str(out) in result.stdout
    assert (out / "stack.yaml").is_file() and (out / "secret.yaml.template").is_file()
    text = (out / "stack.yaml").read_text()
    assert OPENCODE_IMAGE in text and "storageClassName: fast-ssd" in text


def test_readonly_refuses_and_bad_label_is_named(ops):
    ops.configure("readonly: true\n")
    refused = ops.run("kube", check=False)
    assert refused.returncode == 3 and "readonly" in refused.stderr
    assert not (ops.state / "opencode-ops" / "kube").exists()
    ops.configure("pod: opencode\n")
    bad = ops.run("kube", "--label", "no-equals-sign", check=False)
    assert bad.returncode != 0 and "--label no-equals-sign" in bad.stderr
