"""Fast checks of the image sources: hadolint, every design line against the parsed Containerfile,
the build context filter, config.json, and the entrypoint script run on the host."""
from __future__ import annotations

import json
import os
import re
import shutil
import stat
import subprocess
from pathlib import Path

import pytest

from containerfile import parse

REPO = Path(__file__).resolve().parents[2]
CONTAINERFILE = REPO / "Containerfile"
TEXT = CONTAINERFILE.read_text()
GLOBAL_ARGS, STAGES = parse(TEXT)
FINAL = STAGES[-1]
NAMED = {s.name: s for s in STAGES if s.name}
REQUIRE_TOOLS = os.environ.get("OPS_REQUIRE_TOOLS") == "1"


def require(tool: str) -> str:
    path = shutil.which(tool)
    if path is None:
        if REQUIRE_TOOLS:
            pytest.fail(f"{tool} is not installed (OPS_REQUIRE_TOOLS=1); run Tests/image/setup.sh")
        pytest.skip(f"{tool} is not installed")
    return path


def index_of(stage, predicate, what):
    for n, ins in enumerate(stage.instructions):
        if predicate(ins):
            return n
    pytest.fail(f"Containerfile: no {what} in stage {stage.name or 'final'}")


# --- lint --------------------------------------------------------------------------------------

def test_hadolint_passes():
    hadolint = require("hadolint")
    result = subprocess.run([hadolint, "--no-color", str(CONTAINERFILE)], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_every_ignored_rule_is_justified_inline():
    lines = TEXT.splitlines()
    ignores = [n for n, line in enumerate(lines) if re.match(r"#\s*hadolint\s+ignore=", line.strip())]
    assert ignores, "expected the ignored rules to be marked (DL3008 apt pins at least)"
    for n in ignores:
        above = lines[n - 1].strip() if n > 0 else ""
        assert above.startswith("#") and len(above) > 10, f"Containerfile:{n + 1}: ignore without a reason above it"


# --- base image -------------------------------------------------------------------------------

def test_base_image_is_an_argument_defaulting_to_node_20_slim():
    assert [a.args for a in GLOBAL_ARGS if a.args.startswith("BASE_IMAGE=")] == [
        "BASE_IMAGE=docker.io/library/node:20-slim"
    ]
    assert FINAL.base == "${BASE_IMAGE}"


# --- system packages --------------------------------------------------------------------------

def test_apt_installs_the_design_packages_without_recommends_and_drops_lists():
    runs = [i for i in FINAL.all("RUN") if "apt-get install" in i.args]
    assert len(runs) == 1, "one apt layer in the final stage"
    run = runs[0]
    words = run.args.split()
    for package in ["python3", "python3-pip", "python3-venv", "git", "curl", "redis-tools", "rclone", "cron"]:
        assert package in words, f"Containerfile:{run.line}: {package} missing from apt-get install"
    assert "--no-install-recommends" in words
    assert "apt-get update" in run.args
    assert "rm -rf /var/lib/apt/lists/*" in run.args, "package lists must go in the same layer"


# --- OpenCode via npm -------------------------------------------------------------------------

def test_opencode_is_the_pinned_opencode_ai_package_installed_globally_with_npm():
    stage = NAMED["opencode"]
    args = {a.args.split("=", 1)[0]: a.args.split("=", 1)[1] for a in stage.all("ARG") if "=" in a.args}
    assert re.fullmatch(r"opencode-ai@\d+\.\d+\.\d+", args["OPENCODE_PACKAGE"]), args["OPENCODE_PACKAGE"]
    npm = [r for r in stage.all("RUN") if "npm install" in r.args]
    assert len(npm) == 1
    assert re.search(r"npm install -g\b.*\$\{?OPENCODE_PACKAGE\}?", npm[0].args)
    copies = [c for c in FINAL.all("COPY") if c.flags().get("from") == ["opencode"]]
    assert copies, "the final stage must take OpenCode from the opencode stage"
    path = [e for e in FINAL.all("ENV") if e.args.startswith("PATH=")]
    assert path and "/opt/opencode/bin" in path[0].args


def test_local_npm_tarballs_come_from_a_replaceable_context_by_copy():
    stage = NAMED["opencode-npm"]
    assert stage.base == "scratch"
    assert [c.body() for c in stage.all("COPY")] == ["image/npm/ /"]
    assert (REPO / "image/npm").is_dir()


# --- Python venv ------------------------------------------------------------------------------

def test_venv_from_pinned_requirements_and_first_on_path():
    run = [r for r in FINAL.all("RUN") if "python3 -m venv /opt/venv" in r.args]
    assert len(run) == 1
    match = re.search(r"/opt/venv/bin/pip install .*-r (\S+)", run[0].args)
    assert match, "pip must install from the requirements file"
    copied = [c for c in FINAL.all("COPY") if c.body().split()[-1] == match.group(1)]
    assert copied, "the requirements file must be copied from the build context"
    source = REPO / copied[0].body().split()[0]
    pins = {}
    for n, line in enumerate(source.read_text().splitlines(), 1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        m = re.fullmatch(r"([A-Za-z0-9_.-]+)(\[[a-z,]+\])?==([\w.+-]+)", line)
        assert m, f"{source.name}:{n}: not pinned with ==: {line!r}"
        pins[m.group(1).lower()] = (m.group(2) or "", m.group(3))
    assert pins["graphiti-core"][0] == "[falkordb]"
    for name in ["falkordb", "redis", "ddtrace", "datadog-api-client"]:
        assert name in pins, f"{source.name}: {name} missing"
    # rclone does every B2 operation; nothing imports b2sdk (IMAGE.md, "Python venv").
    assert "b2sdk" not in pins and "logfury" not in pins
    path = [e for e in FINAL.all("ENV") if e.args.startswith("PATH=")][0]
    assert path.args.startswith("PATH=/opt/venv/bin:")


# --- OpenAgents -------------------------------------------------------------------------------

def test_openagents_pinned_kept_whole_and_installed_like_global_mode():
    fetch = NAMED["openagents-fetch"]
    args = dict(a.args.split("=", 1) for a in fetch.all("ARG"))
    assert "darrenhinde/OpenAgentsControl" in args["OPENAGENTS_REPOSITORY"]
    assert re.fullmatch(r"[0-9a-f]{40}", args["OPENAGENTS_REF"]), "pin a commit, not a branch"
    assert NAMED["openagents"].base == "scratch"
    whole = [c for c in FINAL.all("COPY") if c.flags().get("from") == ["openagents"]]
    assert [c.body() for c in whole] == ["/ /opt/openagents/"]
    install = [r for r in FINAL.all("RUN") if "/opt/openagents/.opencode/" in r.args]
    assert install and "/root/.config/opencode" in install[0].args


# --- project assets, ports, env, health, entrypoint -------------------------------------------

def test_project_assets_copied_to_their_paths_scripts_executable():
    copies = {c.body(): c for c in FINAL.all("COPY") if "from" not in c.flags()}
    assert "config.json /root/.config/opencode/opencode.json" in copies
    assert "plugin/ /root/.config/opencode/plugin/" in copies
    assert "graphiti/ /app/graphiti/" in copies
    assert copies["scripts/ /app/scripts/"].flags().get("chmod") == ["0755"]


def test_config_json_is_a_valid_opencode_config_with_server_settings():
    config = json.loads((REPO / "config.json").read_text())
    assert config["$schema"] == "https://opencode.ai/config.json"
    assert config["server"] == {"hostname": "0.0.0.0", "port": 4096}
    # The plugin is enabled by its place: OpenCode loads every file in ~/.config/opencode/plugin/.
    assert "plugin/ /root/.config/opencode/plugin/" in [c.body() for c in FINAL.all("COPY")]


def test_expose_env_defaults_healthcheck_and_traced_entrypoint():
    assert [e.args for e in FINAL.all("EXPOSE")] == ["4096"]
    env = {}
    for e in FINAL.all("ENV"):
        for word in e.args.split():
            key, _, value = word.partition("=")
            env[key] = value
    for key, value in {"FALKORDB_HOST": "localhost", "FALKORDB_PORT": "6379",
                       "VALKEY_HOST": "localhost", "VALKEY_PORT": "6380"}.items():
        assert env.get(key) == value
    (health,) = FINAL.all("HEALTHCHECK")
    flags = health.flags()
    assert (flags["interval"], flags["timeout"], flags["start-period"]) == (["30s"], ["10s"], ["40s"])
    command = health.body()
    assert command.startswith("CMD ")
    assert re.search(r"curl -f\b.* http://localhost:4096/config \|\| exit 1$", command)
    (entry,) = FINAL.all("ENTRYPOINT")
    form = entry.exec_form()
    assert form is not None, "ENTRYPOINT must be exec form"
    assert form[-7:] == ["ddtrace-run", "opencode", "serve", "--hostname", "0.0.0.0", "--port", "4096"]
    assert form[:-7] == ["/app/scripts/entrypoint"]
    last = [line for line in (REPO / "scripts/entrypoint").read_text().splitlines() if line.strip()][-1]
    assert last == 'exec "$@"', "the entrypoint must end by exec'ing the server command unchanged"
    assert not FINAL.all("CMD")


def test_no_secret_as_arg_or_env_and_ca_bundle_only_as_build_secret():
    secretish = re.compile(r"(^|_)(API_?KEY|KEY|SECRET|PASSWORD|TOKEN|CREDENTIALS?)(_|$)", re.I)
    for stage in STAGES:
        for ins in stage.all("ARG") + stage.all("ENV"):
            names = [w.split("=", 1)[0] for w in ins.args.split()]
            assert not [n for n in names if secretish.search(n)], f"Containerfile:{ins.line}: {ins.args}"
    mentions = [i for s in STAGES for i in s.instructions if "ca_bundle" in i.args]
    assert mentions
    for ins in mentions:
        assert ins.keyword == "RUN" and "type=secret,id=ca_bundle" in ",".join(ins.flags().get("mount", []))
    assert not [i for s in STAGES for i in s.all("ADD")], "ADD is not needed (and fetches unverified URLs)"


def test_layers_ordered_for_the_cache():
    order = [
        index_of(FINAL, lambda i: i.keyword == "RUN" and "apt-get install" in i.args, "apt layer"),
        index_of(FINAL, lambda i: i.keyword == "COPY" and i.flags().get("from") == ["opencode"], "npm layer"),
        index_of(FINAL, lambda i: i.keyword == "RUN" and "/opt/venv" in i.args, "venv layer"),
        index_of(FINAL, lambda i: i.keyword == "COPY" and i.flags().get("from") == ["openagents"], "OpenAgents"),
        index_of(FINAL, lambda i: i.keyword == "COPY" and i.body().startswith("config.json"), "config"),
    ]
    assert order == sorted(order), f"layer order {order}"
    assets = [n for n, i in enumerate(FINAL.instructions) if i.keyword == "COPY"
              and i.body().split()[0] in ("config.json", "plugin/", "graphiti/", "scripts/")]
    last_run = max(n for n, i in enumerate(FINAL.instructions) if i.keyword == "RUN")
    assert len(assets) == 4 and min(assets) > last_run, "fast-changing assets come after every RUN"


# --- build context ----------------------------------------------------------------------------

def test_containerignore_keeps_out_everything_but_the_copied_paths():
    lines = [l.strip() for l in (REPO / ".containerignore").read_text().splitlines()
             if l.strip() and not l.strip().startswith("#")]
    assert lines[0] == "*", "start from nothing, then allow what the image copies"
    for excluded in [".build*", "Sources", "Tests"]:
        assert excluded in lines
    allowed = {l[1:].rstrip("/") for l in lines if l.startswith("!")}
    sources = set()
    for stage in STAGES:
        for c in stage.all("COPY"):
            if "from" not in c.flags():
                sources.update(p.rstrip("/") for p in c.body().split()[:-1])
    assert sources == allowed, f"COPY sources {sorted(sources)} vs allowed {sorted(allowed)}"


# --- entrypoint, on the host ------------------------------------------------------------------

CRON_CASES = json.loads((REPO / "Tests/cron_cases.json").read_text())
# What a refusal's message names for each kind of problem in the shared table (the console's
# parser names the same).
PROBLEM_WORDS = {"fields": "5 fields", "alias": "@ alias", "control": "control character",
                 "minute": "minute field", "hour": "hour field", "day": "day field",
                 "month": "month field", "weekday": "weekday field"}


def run_entrypoint(tmp_path, env_extra, *command):
    env = {
        "PATH": os.environ["PATH"],
        "OPS_CRON_FILE": str(tmp_path / "cron.d/opencode-backup"),
        "OPS_CRON_DAEMON": "true",
        **env_extra,
    }
    (tmp_path / "cron.d").mkdir(exist_ok=True)
    return subprocess.run([str(REPO / "scripts/entrypoint"), *command], env=env,
                          capture_output=True, text=True, timeout=30)


def test_entrypoint_without_schedule_just_execs(tmp_path):
    result = run_entrypoint(tmp_path, {}, "sh", "-c", 'echo "ran:$1"', "sh", "a b")
    assert result.returncode == 0, result.stderr
    assert result.stdout == "ran:a b\n"
    assert not (tmp_path / "cron.d/opencode-backup").exists()


def test_entrypoint_with_schedule_installs_a_job_reading_pid_1s_environment_and_writes_no_secret(tmp_path):
    secret = "it's $HOME `x` \"q\" \\ \nsecond line"
    (tmp_path / "cron.d").mkdir()
    before = set(tmp_path.rglob("*"))
    result = run_entrypoint(tmp_path, {"BACKUP_SCHEDULE": "15 3 * * mon", "B2_APPLICATION_KEY": secret},
                            "sh", "-c", "echo server")
    assert result.returncode == 0, result.stderr
    assert result.stdout == "server\n"
    cron_path = tmp_path / "cron.d/opencode-backup"
    cron = cron_path.read_text()
    job = [l for l in cron.splitlines() if l and not l.startswith("#") and "=" not in l.split()[0]]
    assert job == ["15 3 * * mon root /app/scripts/backup --trigger scheduled --env-from-pid 1"
                   " >/proc/1/fd/1 2>/proc/1/fd/2"]
    assert f"PATH={os.environ['PATH']}" in cron.splitlines()
    assert stat.S_IMODE(os.stat(cron_path).st_mode) == 0o644
    # The only file written is the cron table, and no secret is in it.
    assert set(tmp_path.rglob("*")) - before == {cron_path}
    assert "second line" not in cron and "$HOME" not in cron


@pytest.mark.parametrize("schedule", CRON_CASES["valid"])
def test_entrypoint_accepts_every_schedule_of_the_shared_table(tmp_path, schedule):
    result = run_entrypoint(tmp_path, {"BACKUP_SCHEDULE": schedule}, "sh", "-c", "echo server")
    assert result.returncode == 0, result.stderr
    assert result.stdout == "server\n"
    assert (tmp_path / "cron.d/opencode-backup").read_text().splitlines()[-1].startswith(schedule + " root ")


@pytest.mark.parametrize("case", CRON_CASES["invalid"], ids=lambda c: repr(c["schedule"]))
def test_entrypoint_refuses_every_bad_schedule_of_the_shared_table_with_exit_64(tmp_path, case):
    schedule = case["schedule"]
    result = run_entrypoint(tmp_path, {"BACKUP_SCHEDULE": schedule}, "sh", "-c", "echo server")
    assert result.returncode == 64, result.stderr
    assert result.stdout == ""
    assert "BACKUP_SCHEDULE" in result.stderr and PROBLEM_WORDS[case["problem"]] in result.stderr, result.stderr
    assert not (tmp_path / "cron.d/opencode-backup").exists()
    # The message is one line with no control character of the value in it.
    message = result.stderr.rstrip("\n")
    assert not re.search(r"[\x00-\x1f\x7f\x80-\x9f]", message), repr(message)
    if case["problem"] != "control":
        assert schedule in message


def test_entrypoint_without_a_command_fails(tmp_path):
    result = run_entrypoint(tmp_path, {})
    assert result.returncode == 64
    assert "no command" in result.stderr


def test_entrypoint_with_a_verify_schedule_installs_the_drill_beside_the_backup_job(tmp_path):
    result = run_entrypoint(tmp_path, {"BACKUP_SCHEDULE": "0 3 * * *", "BACKUP_VERIFY_SCHEDULE": "30 4 * * sun"},
                            "sh", "-c", "echo server")
    assert result.returncode == 0, result.stderr
    assert result.stdout == "server\n"
    verify = (tmp_path / "cron.d/opencode-verify").read_text().splitlines()
    assert verify[-1] == ("30 4 * * sun root /app/scripts/verify --latest --trigger scheduled --env-from-pid 1"
                          " >/proc/1/fd/1 2>/proc/1/fd/2")
    assert f"PATH={os.environ['PATH']}" in verify
    assert stat.S_IMODE(os.stat(tmp_path / "cron.d/opencode-verify").st_mode) == 0o644
    assert (tmp_path / "cron.d/opencode-backup").read_text().splitlines()[-1].startswith("0 3 * * * root /app/scripts/backup ")
    # A drill schedule alone is enough to start cron.
    alone = tmp_path / "alone"
    alone.mkdir()
    result = run_entrypoint(alone, {"BACKUP_VERIFY_SCHEDULE": "@weekly"}, "sh", "-c", "echo server")
    assert result.returncode == 0, result.stderr
    assert (alone / "cron.d/opencode-verify").read_text().splitlines()[-1].startswith("@weekly root /app/scripts/verify ")
    assert not (alone / "cron.d/opencode-backup").exists()


@pytest.mark.parametrize("case", CRON_CASES["invalid"], ids=lambda c: repr(c["schedule"]))
def test_entrypoint_refuses_a_bad_verify_schedule_naming_it_with_exit_64(tmp_path, case):
    result = run_entrypoint(tmp_path, {"BACKUP_SCHEDULE": "0 3 * * *", "BACKUP_VERIFY_SCHEDULE": case["schedule"]},
                            "sh", "-c", "echo server")
    assert result.returncode == 64, result.stderr
    assert result.stdout == ""
    assert "BACKUP_VERIFY_SCHEDULE is not a cron schedule" in result.stderr
    assert PROBLEM_WORDS[case["problem"]] in result.stderr, result.stderr
    # Nothing is installed when either schedule is bad.
    assert not (tmp_path / "cron.d/opencode-verify").exists()
    assert not (tmp_path / "cron.d/opencode-backup").exists()
