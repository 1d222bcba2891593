"""The OpenCode plugin with the real memory.py and a real FalkorDB: only the LLM is a stand-in.
The plugin is compiled with tsc and run by Node (the image runs it with OpenCode's Bun)."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import HERE, MEMORY, base_env, free_port

REPO = HERE.parent.parent


@pytest.fixture(scope="module")
def plugin_build(tmp_path_factory):
    for tool in ("node", "tsc"):
        assert shutil.which(tool), f"{tool} is missing: run Tests/graphiti/setup.sh"
    out = tmp_path_factory.mktemp("plugin-build")
    sources = [str(REPO / "plugin" / "graphiti-memory.ts"), *map(str, (REPO / "plugin" / "graphiti-memory").glob("*.ts"))]
    types = [str(p) for p in (REPO / "Tests" / "plugin" / "types").glob("*.d.ts")]
    subprocess.run(
        ["tsc", "--strict", "--noEmitOnError", "--target", "es2020", "--module", "es2020",
         "--moduleResolution", "node", "--lib", "es2020", "--outDir", str(out), "--rootDir", str(REPO),
         *sources, *types],
        check=True,
    )
    (out / "package.json").write_text('{"type": "module"}')
    return out


def drive(build: Path, env: dict[str, str], query: str) -> dict:
    proc = subprocess.run(
        ["node", str(HERE / "drive_plugin.mjs"), str(build), query],
        capture_output=True, text=True, env=env, timeout=180,
    )
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout.strip().splitlines()[-1])


def status(env: dict[str, str]) -> dict:
    proc = subprocess.run([sys.executable, str(MEMORY), "status"], capture_output=True, text=True, env=env)
    return json.loads(proc.stdout)


def plugin_env(falkordb, group_id, tmp_path) -> dict[str, str]:
    env = base_env(falkordb.port, group_id)
    env.update(
        GRAPHITI_HELPER=f"{sys.executable} {MEMORY}",
        GRAPHITI_MEMORY_STATE_DIR=str(tmp_path / "state"),
        GRAPHITI_MEMORY_STATE=str(tmp_path / "legacy.json"),
    )
    return env


def test_plugin_records_a_session_and_finds_it(plugin_build, falkordb, group_id, tmp_path):
    env = plugin_env(falkordb, group_id, tmp_path)
    out = drive(plugin_build, env, "Tansyvale cache")
    assert out["state"]["pending"] == [], out
    assert "Hollowbrook" in out["search"] and "Tansyvale" in out["search"], out["search"]
    assert out["search"].startswith("Facts:"), out["search"]
    assert any(log["message"] == "memory: episode recorded" for log in out["logs"]), out["logs"]

    [entry] = [g for g in status(env)["groups"] if g["group_id"] == group_id]
    assert entry["episodes"] == 1 and entry["entities"] >= 2 and entry["facts"] >= 1

    # OpenCode restarted and replays the same session: no second episode.
    again = drive(plugin_build, env, "Hollowbrook")
    assert again["state"]["pending"] == []
    [entry] = [g for g in status(env)["groups"] if g["group_id"] == group_id]
    assert entry["episodes"] == 1


def test_plugin_with_falkordb_down_keeps_the_session_going(plugin_build, falkordb, group_id, tmp_path):
    env = plugin_env(falkordb, group_id, tmp_path)
    env["FALKORDB_PORT"] = str(free_port())
    env["DRIVE_UNTIL"] = "attempted"
    out = drive(plugin_build, env, "Tansyvale")
    assert out["search"].startswith("Memory search is unavailable right now (falkordb_unreachable"), out["search"]
    [queued] = out["state"]["pending"]
    assert queued["attempts"] == 1 and "falkordb_unreachable" in queued["last_error"]
    assert any(log["level"] == "warn" for log in out["logs"])

    # FalkorDB is back (the real port): the queued episode is sent on the next start.
    # Its retry is due 5 s after the failure (the first backoff step).
    env["FALKORDB_PORT"] = str(falkordb.port)
    del env["DRIVE_UNTIL"]
    later = drive(plugin_build, env, "Tansyvale")
    assert later["state"]["pending"] == [], later["state"]
    [entry] = [g for g in status(env)["groups"] if g["group_id"] == group_id]
    assert entry["episodes"] == 1
