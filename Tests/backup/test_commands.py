"""The `backup` command line picks one of its subcommands from its flags: --log ID prints a log,
--status [ID] a record, --status ID --follow every change of a record, and anything else starts
a run. The console and cron call these exact forms (scripts/BACKUPS.md)."""

import json
import os

import bkphelp  # noqa: F401 (puts the scripts on the path for the fixtures)


def backup_ok(env):
    code, rec = env.json("backup")
    assert code == 0, rec
    return rec


def json_lines(p):
    return [json.loads(line) for line in p.stdout.decode().splitlines() if line.strip()]


def test_log_and_status_print_the_run_they_name(env):
    env.populate(rows=10)
    rec = backup_ok(env)
    rid = rec["id"]
    with open(os.path.join(env.state, "runs", rid, "run.log"), "rb") as f:
        log = f.read()
    p = env.run("backup", "--log", rid)
    assert p.returncode == 0 and p.stdout == log and b"uploaded opencode-%s.tar" % rid.encode() in log
    # --log comes first when both are given.
    assert env.run("backup", "--log", rid, "--status", rid).stdout == log
    code, shown = env.json("backup", "--status", rid)
    assert code == 0 and shown == env.status(rid)
    for args in (["--status", rid], ["--status"]):
        p = env.run("backup", *args)
        assert p.returncode == 0
        assert p.stdout.decode().startswith("backup %s: succeeded in " % rid), p.stdout


def test_follow_of_an_ended_run_prints_its_record_once(env):
    env.populate(rows=10)
    rid = backup_ok(env)["id"]
    for args in (["--status", rid, "--follow"], ["--status", rid, "--follow", "--json"]):
        p = env.run("backup", *args)
        assert p.returncode == 0, p.stderr
        assert json_lines(p) == [env.status(rid)]


def test_follow_of_a_detached_run_prints_each_change_until_it_ends(env):
    env.populate(rows=200, big_mb=3)
    code, started = env.json("backup", "--detach", extra={"RCLONE_BWLIMIT": "1M"})
    assert code == 0 and started["result"] == "started"
    p = env.run("backup", "--status", started["id"], "--follow", timeout=300)
    assert p.returncode == 0, p.stderr
    lines = json_lines(p)
    assert len(lines) >= 2 and all(r["id"] == started["id"] for r in lines)
    assert lines[0]["result"] == "running" and lines[-1]["result"] == "succeeded"
    assert all(a != b for a, b in zip(lines, lines[1:])), "a line repeats the record before it"
    assert any(r["phase"] == "upload" for r in lines)
    assert lines[-1] == env.status(started["id"])


def test_follow_closes_a_run_whose_process_is_gone(env):
    """A record left "running" by a killed run: follow shows it interrupted and ends."""
    rid = "20260101T000000Z-abcd"
    folder = os.path.join(env.state, "runs", rid)
    os.makedirs(folder)
    with open(os.path.join(folder, "status.json"), "w") as f:
        json.dump({"id": rid, "kind": "backup", "result": "running", "phase": "upload", "pid": 0,
                   "phases": [{"phase": "upload", "started_at": "2026-01-01T00:00:01.000Z", "ended_at": None}]}, f)
    p = env.run("backup", "--status", rid, "--follow")
    assert p.returncode == 0, p.stderr
    [rec] = json_lines(p)
    assert rec["result"] == "failed" and rec["error_kind"] == "interrupted"
    assert "interrupted during upload" in rec["error"]
    assert env.status(rid)["result"] == "running"   # a reader does not write the record


def test_unknown_runs_and_a_follow_without_an_id(env):
    os.makedirs(os.path.join(env.state, "runs"), exist_ok=True)
    p = env.run("backup", "--status", "--follow")
    assert p.returncode == 2 and p.stdout == b""
    assert b"--status --follow needs a run ID" in p.stderr
    missing = "20000101T000000Z-0000"
    p = env.run("backup", "--log", missing)
    assert p.returncode == 11 and b"no log for run %s" % missing.encode() in p.stderr
    p = env.run("backup", "--status", missing, "--follow")
    assert p.returncode == 11 and json_lines(p)[0]["result"] == "not-found"
    p = env.run("backup", "--status")
    assert p.returncode == 0 and p.stdout == b"no backup has run yet\n"
    code, none = env.json("backup", "--status")
    assert code == 0 and none["result"] == "none"
    assert env.runs() == []   # none of these started a run
