"""The real image: built by podman from the repository's Containerfile, unchanged, offline (a local
node:20-slim stand-in, the fixture opencode-ai package, the OpenAgents fixture tree, the machine's
CA bundle as the build secret so pip reaches PyPI), then run and checked from outside.

Measured and written to .test-cache/image-build-times.json (and printed): build time (cold when
nothing was cached, or with IMAGE_TEST_COLD=1), rebuild time after changing one file in scripts/,
and image size."""
from __future__ import annotations

import base64
import json
import os
import secrets
import shutil
import ssl
import subprocess
import tarfile
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
HERE = Path(__file__).resolve().parent
SUPPORT = REPO / "Tests/Support"
LABEL = "opencode-ops-test=image"
PREFIX = "oct-image-"
IMAGE = "localhost/opencode-ops-test/opencode:image"
REBUILD_IMAGE = "localhost/opencode-ops-test/opencode:image-rebuild"
NODE_BASE = "localhost/opencode-ops-test/node:bookworm"
HOST_PORT = 14100
MEASUREMENTS = REPO / ".test-cache/image-build-times.json"
CONTEXT_PATHS = ["Containerfile", ".containerignore", "config.json", "image", "plugin", "graphiti", "scripts"]

os.environ.setdefault("CONTAINERS_CONF", str(SUPPORT / "containers.conf"))


def podman(*args, check=True, timeout=120, **kw):
    result = subprocess.run(["podman", *args], capture_output=True, text=True, timeout=timeout, **kw)
    if check and result.returncode != 0:
        raise AssertionError(f"podman {' '.join(args[:3])} ... exited {result.returncode}: {result.stderr[-2000:]}")
    return result


def cleanup():
    for kind in ("container", "pod"):
        ids = podman(kind, "ls", "-a", "-q", "--filter", f"label={LABEL}", check=False).stdout.split()
        if ids:
            podman(kind, "rm", "-f", *ids, check=False)
    podman("rmi", "-f", REBUILD_IMAGE, check=False)


def ca_bundle() -> Path:
    """The system CA bundle pip on this machine uses, found at run time."""
    paths = ssl.get_default_verify_paths()
    for candidate in [os.environ.get("PIP_CERT"), os.environ.get("SSL_CERT_FILE"), paths.cafile,
                      paths.openssl_cafile, "/etc/ssl/certs/ca-certificates.crt"]:
        if candidate and Path(candidate).is_file():
            return Path(candidate)
    pytest.fail("no CA bundle found for the build secret")


def pack_fixture(dest: Path) -> str:
    """npm pack of the fixture, made with tarfile so the host needs no npm."""
    src = HERE / "fixtures/opencode-ai"
    version = json.loads((src / "package.json").read_text())["version"]
    name = f"opencode-ai-{version}.tgz"
    with tarfile.open(dest / name, "w:gz") as tar:
        for path in sorted(src.rglob("*")):
            if path.is_file():
                tar.add(path, arcname="package/" + path.relative_to(src).as_posix())
    return name


def build(context: Path, npm_dir: Path, tag: str, package: str, no_cache=False) -> tuple[float, str]:
    """Builds and returns (seconds, podman's output)."""
    args = ["build", "--format", "docker", "--label", LABEL, "-t", tag,
            "--build-arg", f"BASE_IMAGE={NODE_BASE}",
            "--build-arg", f"OPENCODE_PACKAGE=./{package}",
            "--build-context", f"openagents={HERE / 'fixtures/openagents'}",
            "--build-context", f"opencode-npm={npm_dir}",
            "--secret", f"id=ca_bundle,src={ca_bundle()}"]
    if no_cache:
        args.append("--no-cache")
    started = time.monotonic()
    result = podman(*args, str(context), check=False, timeout=3600)
    elapsed = time.monotonic() - started
    assert result.returncode == 0, f"podman build failed:\n{result.stdout[-4000:]}\n{result.stderr[-4000:]}"
    return elapsed, result.stdout


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    if shutil.which("podman") is None:
        if os.environ.get("OPS_REQUIRE_TOOLS") == "1":
            pytest.fail("podman is not installed (OPS_REQUIRE_TOOLS=1)")
        pytest.skip("podman is not installed")
    if podman("image", "exists", NODE_BASE, check=False).returncode != 0:
        subprocess.run([str(SUPPORT / "node-base-image.sh")], check=True, timeout=1800)
    cleanup()
    # A copy of the build context, so one scripts/ file can be changed for the rebuild measurement
    # without touching the working tree. plugin/ and graphiti/ are filled by other parts of the
    # project; an empty placeholder stands in while they have no files.
    context = tmp_path_factory.mktemp("context")
    for name in CONTEXT_PATHS:
        src = REPO / name
        if src.is_dir():
            shutil.copytree(src, context / name, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
        elif src.exists():
            shutil.copy2(src, context / name)
    placeholders = [n for n in ("plugin", "graphiti") if not (context / n).is_dir()]
    for name in placeholders:
        (context / name).mkdir()
    assert (context / "Containerfile").read_bytes() == (REPO / "Containerfile").read_bytes()
    npm_dir = tmp_path_factory.mktemp("npm")
    package = pack_fixture(npm_dir)

    build_seconds, output = build(context, npm_dir, IMAGE, package,
                                  no_cache=os.environ.get("IMAGE_TEST_COLD") == "1")
    cold = "Using cache" not in output

    scripts = sorted(p for p in (context / "scripts").rglob("*") if p.is_file())
    with scripts[0].open("a") as f:
        f.write(f"\n# rebuild measurement {time.time()}\n")
    rebuild_seconds, rebuild_output = build(context, npm_dir, REBUILD_IMAGE, package)
    podman("rmi", "-f", REBUILD_IMAGE, check=False)

    size = int(podman("image", "inspect", IMAGE, "--format", "{{.Size}}").stdout.strip())
    previous = json.loads(MEASUREMENTS.read_text()) if MEASUREMENTS.exists() else {}
    record = {
        "cold_build_seconds": round(build_seconds, 1) if cold else previous.get("cold_build_seconds"),
        "last_build_seconds": round(build_seconds, 1),
        "last_build_cold": cold,
        "rebuild_after_scripts_change_seconds": round(rebuild_seconds, 1),
        "rebuilt_before_scripts": steps_rebuilt_before_scripts(rebuild_output),
        "image_size_bytes": size,
        "placeholders": placeholders,
    }
    MEASUREMENTS.parent.mkdir(exist_ok=True)
    MEASUREMENTS.write_text(json.dumps(record, indent=2) + "\n")
    print(f"\nimage measurements: {json.dumps(record)}")
    yield record
    cleanup()


@pytest.fixture(scope="module")
def running(built, tmp_path_factory):
    """The image run as the console runs it: secrets from an env file, port published."""
    values = {
        "DD_API_KEY": secrets.token_hex(16),
        "B2_APPLICATION_KEY": secrets.token_hex(16),
        "OPENCODE_SERVER_PASSWORD": secrets.token_hex(12),
    }
    env_file = tmp_path_factory.mktemp("env") / "server.env"
    env_file.write_text("".join(f"{k}={v}\n" for k, v in values.items()) + "BACKUP_SCHEDULE=17 3 * * *\n")
    env_file.chmod(0o600)
    name = f"{PREFIX}server"
    podman("run", "-d", "--name", name, "--label", LABEL, "--env-file", str(env_file),
           "-p", f"127.0.0.1:{HOST_PORT}:4096", IMAGE)
    # Without systemd on the machine podman cannot schedule the check itself: run the image's own
    # HEALTHCHECK with `podman healthcheck run` until it passes (within the 40 s start period).
    deadline = time.monotonic() + 60
    while True:
        result = podman("healthcheck", "run", name, check=False)
        if result.returncode == 0 or time.monotonic() > deadline:
            break
        time.sleep(1)
    yield {"name": name, "secrets": values}
    podman("rm", "-f", name, check=False)


def exec_in(name, *command):
    return podman("exec", name, *command, check=False)


def steps_rebuilt_before_scripts(output: str) -> list[str]:
    """The final stage's steps before `COPY ... scripts/` that did not come from the cache.
    buildah prints `[s/n] STEP i/m: INSTRUCTION` per step and `Using cache` under cached ones."""
    blocks: list[list[str]] = []
    for line in output.splitlines():
        if "STEP " in line and ": " in line:
            blocks.append([line])
        elif blocks:
            blocks[-1].append(line)
    last_stage = max(b[0].split("]")[0] for b in blocks if b[0].startswith("["))
    final = [b for b in blocks if b[0].startswith(last_stage + "]")]
    rebuilt = []
    for block in final:
        instruction = block[0].split(": ", 1)[1]
        if instruction.startswith("COPY") and "scripts/" in instruction:
            return rebuilt
        if not instruction.startswith("FROM") and not any("Using cache" in l for l in block[1:]):
            rebuilt.append(instruction)
    raise AssertionError("no COPY of scripts/ in the final stage")


def test_rebuild_after_one_scripts_change_reuses_every_earlier_layer(built):
    # The time ratio (target: rebuild <= 10% of a cold build) is measured by Tests/image/bench.sh;
    # here the cause of a fast rebuild is checked: no step before the scripts copy is redone.
    assert built["rebuilt_before_scripts"] == [], built


def test_image_metadata_env_defaults_port_healthcheck_entrypoint(built):
    inspected = json.loads(podman("image", "inspect", IMAGE).stdout)[0]
    config = inspected["Config"]
    env = dict(e.split("=", 1) for e in config["Env"])
    assert {k: env.get(k) for k in ("FALKORDB_HOST", "FALKORDB_PORT", "VALKEY_HOST", "VALKEY_PORT")} == {
        "FALKORDB_HOST": "localhost", "FALKORDB_PORT": "6379", "VALKEY_HOST": "localhost", "VALKEY_PORT": "6380"}
    assert env["PATH"].startswith("/opt/venv/bin:")
    assert "4096/tcp" in config["ExposedPorts"]
    health = inspected["Healthcheck"]  # podman keeps it beside Config, not in it
    assert (health["Interval"], health["Timeout"], health["StartPeriod"]) == (30 * 10**9, 10 * 10**9, 40 * 10**9)
    assert "curl -f" in health["Test"][1] and "http://localhost:4096/config" in health["Test"][1]
    assert config["Entrypoint"] == ["/app/scripts/entrypoint", "ddtrace-run", "opencode", "serve",
                                    "--hostname", "0.0.0.0", "--port", "4096"]


def test_container_becomes_healthy_under_podmans_healthcheck(running):
    assert podman("healthcheck", "run", running["name"], check=False).returncode == 0
    health = json.loads(podman("inspect", running["name"]).stdout)[0]["State"]["Health"]
    assert health["Status"] == "healthy"


def test_server_answers_and_demands_the_password(running):
    url = f"http://127.0.0.1:{HOST_PORT}"
    with pytest.raises(urllib.error.HTTPError) as denied:
        urllib.request.urlopen(f"{url}/global/health", timeout=5)
    assert denied.value.code == 401
    token = base64.b64encode(f"opencode:{running['secrets']['OPENCODE_SERVER_PASSWORD']}".encode()).decode()
    for path in ("/global/health", "/config"):
        req = urllib.request.Request(url + path, headers={"Authorization": f"Basic {token}"})
        with urllib.request.urlopen(req, timeout=5) as response:
            body = json.loads(response.read())
        if path == "/config":
            assert body == json.loads((REPO / "config.json").read_text())
        else:
            assert body["healthy"] is True


def test_venv_has_the_design_packages(running):
    result = exec_in(running["name"], "/opt/venv/bin/python", "-c",
                     "import graphiti_core, falkordb, redis, ddtrace, datadog_api_client\n"
                     "import importlib.util, sys; sys.exit(importlib.util.find_spec('b2sdk') is not None)")
    assert result.returncode == 0, result.stderr or "b2sdk is installed"


def test_server_is_pid_1_under_ddtrace_run(running):
    cmdline = exec_in(running["name"], "cat", "/proc/1/cmdline").stdout.split("\0")
    assert "opencode" in cmdline[1] and cmdline[2:6] == ["serve", "--hostname", "0.0.0.0", "--port"]
    # ddtrace-run prepends its bootstrap to PYTHONPATH, then execs the command: the server's
    # environment carries it (only that variable is read; the environment holds secrets).
    result = exec_in(running["name"], "sh", "-c", "tr '\\0' '\\n' </proc/1/environ | grep '^PYTHONPATH='")
    assert "ddtrace/bootstrap" in result.stdout, result.stdout[:200]


def cron_table(name) -> tuple[dict[str, str], str]:
    """The variables and the one job line of the entrypoint's cron table."""
    lines = [l for l in exec_in(name, "cat", "/etc/cron.d/opencode-backup").stdout.splitlines()
             if l and not l.startswith("#")]
    variables = dict(l.split("=", 1) for l in lines if "=" in l.split()[0])
    jobs = [l for l in lines if "=" not in l.split()[0]]
    assert len(jobs) == 1, lines
    return variables, jobs[0]


def test_scheduled_backups_cron_running_job_reads_pid_1s_environment(running):
    name = running["name"]
    comms = exec_in(name, "sh", "-c", "cat /proc/[0-9]*/comm").stdout.split()
    assert "cron" in comms
    variables, job = cron_table(name)
    assert job == ("17 3 * * * root /app/scripts/backup --trigger scheduled --env-from-pid 1"
                   " >/proc/1/fd/1 2>/proc/1/fd/2")
    assert variables["PATH"].startswith("/opt/venv/bin:")
    for value in running["secrets"].values():
        assert value not in job and value not in json.dumps(variables)
    assert exec_in(name, "test", "-e", "/run/opencode-backup/cron.env").returncode != 0
    # Run the job's command as cron does: sh, the table's variables, nothing else. With only the
    # B2 key given, the backup names what else is missing, so it did read the key from PID 1.
    command = job.split(" root ", 1)[1]
    ran = exec_in(name, "env", "-i", *(f"{k}={v}" for k, v in variables.items()), "/bin/sh", "-c", command)
    assert ran.returncode != 0
    expected = "no credentials: B2_APPLICATION_KEY_ID, B2_BUCKET not set"  # B2_APPLICATION_KEY was found
    deadline = time.monotonic() + 120
    while True:  # the job writes to PID 1's output: podman logs shows it
        logs = podman("logs", name)
        if expected in logs.stdout + logs.stderr or time.monotonic() > deadline:
            break
        time.sleep(1)
    assert expected in logs.stdout + logs.stderr, (logs.stdout + logs.stderr)[-2000:]


def test_no_secret_in_the_containers_layer_after_start(running):
    """Everything the container added to or changed in its own layer since it started, read on
    the host through the container's mounted root: no secret value in any of it."""
    name = running["name"]
    changes = json.loads(podman("diff", "--format", "json", name).stdout)
    paths = sorted(set(changes.get("added") or []) | set(changes.get("changed") or []))
    assert "/etc/cron.d/opencode-backup" in paths, paths  # the check sees what the entrypoint wrote
    root = Path(podman("mount", name).stdout.strip())
    try:
        files = []
        for path in paths:
            target = root / path.lstrip("/")
            if target.is_symlink() or not target.exists():
                continue
            if target.is_dir():
                files += [p for p in target.rglob("*") if p.is_file() and not p.is_symlink()]
            elif target.is_file():
                files.append(target)
        assert files
        for file in files:
            content = file.read_bytes()
            for key, value in running["secrets"].items():
                assert value.encode() not in content, f"{key} found in the layer at /{file.relative_to(root)}"
    finally:
        podman("unmount", name, check=False)


def test_a_schedule_with_a_newline_stops_the_container_with_exit_64(built):
    # podman takes the value from its own environment, so the newline reaches the container intact.
    env = {**os.environ, "BACKUP_SCHEDULE": "0 3 * * *\n* * * * * root /bin/sh -c 'touch /tmp/pwned'"}
    result = subprocess.run(["podman", "run", "--rm", "--label", LABEL, "--name", f"{PREFIX}bad-schedule",
                             "--env", "BACKUP_SCHEDULE", IMAGE], capture_output=True, text=True, timeout=120, env=env)
    assert result.returncode == 64, result.stderr[-2000:]
    assert "BACKUP_SCHEDULE" in result.stderr and "control character" in result.stderr
    assert "'0 3 * * *\\n* * * * *" in result.stderr, result.stderr


def test_the_images_entrypoint_agrees_with_the_shared_cron_table(built, tmp_path):
    """The shared table (Tests/cron_cases.json) run through the entrypoint inside the image, with
    the image's own bash: every valid schedule accepted, every bad one refused with exit 64."""
    cases = json.loads((REPO / "Tests/cron_cases.json").read_text())
    schedules = cases["valid"] + [c["schedule"] for c in cases["invalid"]]
    (tmp_path / "cases.json").write_text(json.dumps(schedules))
    script = (
        "import json, os, subprocess\n"
        "out = []\n"
        "for s in json.load(open('/cases/cases.json')):\n"
        "    env = dict(os.environ, BACKUP_SCHEDULE=s, OPS_CRON_FILE='/tmp/cron', OPS_CRON_DAEMON='true')\n"
        "    out.append(subprocess.run(['/app/scripts/entrypoint', 'true'], env=env, capture_output=True).returncode)\n"
        "print(json.dumps(out))\n"
    )
    result = podman("run", "--rm", "--label", LABEL, "-v", f"{tmp_path}:/cases:ro,Z", "--entrypoint", "python3",
                    IMAGE, "-c", script)
    codes = dict(zip(map(repr, schedules), json.loads(result.stdout)))
    assert codes == {repr(s): 0 for s in cases["valid"]} | {repr(c["schedule"]): 64 for c in cases["invalid"]}


def test_layout_openagents_assets_scripts(running):
    name = running["name"]
    checks = {
        "OpenAgents kept whole": "test -x /opt/openagents/install.sh",
        "global-mode install, paths rewritten":
            "grep -q '@/root/.config/opencode/context/core/standards.md' /root/.config/opencode/agent/core/openagent.md",
        "contexts installed": "test -f /root/.config/opencode/context/core/standards.md",
        "OpenAgents plugins not enabled": "test ! -e /root/.config/opencode/plugin/notify.ts",
        "entrypoint executable": "test -x /app/scripts/entrypoint",
        "graphiti assets": "test -d /app/graphiti",
        "no build secret left": "test ! -e /run/secrets/ca_bundle",
        "tools": "command -v git curl redis-cli rclone cron ddtrace-run opencode",
    }
    failed = {what: cmd for what, cmd in checks.items() if exec_in(name, "sh", "-c", cmd).returncode != 0}
    assert not failed
    for path in (REPO / "scripts").rglob("*"):
        if path.is_file():
            rel = path.relative_to(REPO / "scripts")
            assert exec_in(name, "test", "-x", f"/app/scripts/{rel}").returncode == 0, rel


def test_no_run_time_secret_in_image_history_inspect_or_health_log(running):
    history = podman("history", "--no-trunc", IMAGE).stdout
    image = podman("image", "inspect", IMAGE).stdout
    health_log = json.dumps(json.loads(podman("inspect", running["name"]).stdout)[0]["State"]["Health"]["Log"])
    logs = podman("logs", running["name"]).stdout
    for key, value in running["secrets"].items():
        for where, text in (("history", history), ("image inspect", image), ("health log", health_log),
                            ("logs", logs)):
            assert value not in text, f"{key} found in {where}"
    # The names may appear (the healthcheck reads $OPENCODE_SERVER_PASSWORD); no assignment may.
    for name in ("DD_API_KEY", "B2_APPLICATION_KEY", "OPENCODE_SERVER_PASSWORD"):
        assert name + "=" not in history and name + "=" not in image


def test_test_image_left_tagged_for_other_suites(built):
    assert podman("image", "exists", IMAGE, check=False).returncode == 0


def test_a_verify_schedule_fires_a_drill_through_the_images_cron(built):
    """The image's own cron, started by its entrypoint, runs the drill on BACKUP_VERIFY_SCHEDULE:
    with a schedule that fires every minute, a scheduled verify of the newest backup is recorded.
    Debian's cron has no finer schedule and no hook to fire early, so this waits for the next
    minute (the ceiling only separates "fired" from "never fires")."""
    name = f"{PREFIX}drill"
    podman("rm", "-f", name, check=False)
    podman("run", "-d", "--name", name, "--label", LABEL, "-e", "BACKUP_VERIFY_SCHEDULE=* * * * *",
           "-e", "BACKUP_REMOTE=/var/tmp/remote", "-e", "BACKUP_SOURCES=data,config", IMAGE)
    try:
        seed = ("import os, sqlite3; d = '/root/.local/share/opencode'; os.makedirs(d, exist_ok=True)\n"
                "c = sqlite3.connect(d + '/opencode.db'); c.execute('CREATE TABLE s (x)')\n"
                "c.execute('INSERT INTO s VALUES (1)'); c.commit()\n")
        assert exec_in(name, "python3", "-c", seed).returncode == 0
        made = exec_in(name, "/app/scripts/backup", "--json")
        assert made.returncode == 0, made.stderr[-2000:]
        backup_id = json.loads(made.stdout.splitlines()[-1])["id"]
        # A drill may fire before the backup exists (it fails: nothing to verify) or while it
        # runs (refused: busy); the one after it verifies it.
        deadline = time.monotonic() + 300
        drill = None
        while time.monotonic() < deadline:
            listing = json.loads(exec_in(name, "/app/scripts/list-backups", "--json").stdout or "{}")
            drill = (listing.get("drill") or {}).get("last")
            if drill and drill["backup_id"] == backup_id:
                break
            time.sleep(5)
        assert drill and drill["backup_id"] == backup_id, drill
        assert drill["trigger"] == "scheduled" and drill["result"] == "succeeded", drill
        assert drill["checked"]["sqlite"] == 1, drill
        record = json.loads(exec_in(name, "/app/scripts/backup", "--status", drill["id"], "--json").stdout)
        assert record["kind"] == "verify" and record["trigger"] == "scheduled", record
        # The cron job writes to PID 1's output: the drill's line is in the container's log.
        logs = podman("logs", name)
        assert drill["id"] in logs.stdout + logs.stderr, (logs.stdout + logs.stderr)[-2000:]
    finally:
        podman("rm", "-f", name, check=False)
