"""`verify ID`: a full read-back of a backup with a test restore, against a real rclone local
remote, real SQLite and a real scratch redis-server. Each fault ends in a clear failure, leaves
no scratch behind, and earlier backups stay intact and verifiable."""

import json
import os
import signal
import subprocess
import tarfile
import time

import bkphelp

PASSWORD = "verify drill password 42"
SLOW = {"RCLONE_BWLIMIT": "3M"}   # rclone reads the remote slowly: a verify stays in flight


def backup(env, extra=None):
    code, rec = env.json("backup", extra=extra)
    assert code == 0, rec
    return rec["id"]


def verify(env, *args, extra=None):
    return env.json("verify", *args, extra=extra, timeout=600)


def snapshot_remote(env):
    return {f: bkphelp.sha256(os.path.join(env.remote, f)) for f in env.remote_files()}


def assert_no_scratch(env):
    staging = os.path.join(env.state, "staging")
    left = os.listdir(staging) if os.path.isdir(staging) else []
    assert left == [], left


def assert_passes(env, bid, extra=None):
    code, rec = verify(env, bid, extra=extra)
    assert code == 0 and rec["result"] == "succeeded" and rec["verified"] is True, rec
    assert rec["backup_id"] == bid
    assert_no_scratch(env)
    return rec


def scratch_servers(env):
    """redis-server processes serving a scratch folder of this test's state directory."""
    out = subprocess.run(["ps", "-eo", "args"], capture_output=True).stdout.decode()
    return [l for l in out.splitlines() if "redis-server" in l and "scratch.sock" in l
            and os.path.join(env.state, "staging") in l]


def test_verify_checks_every_member_and_test_restores(env):
    env.populate(rows=300)
    bid = backup(env)
    rec = assert_passes(env, bid)
    assert rec["kind"] == "verify" and rec["id"].startswith("verify-") and rec["exit_code"] == 0
    assert rec["archive"]["ok"] is True and rec["archive"]["sha256"] == rec["archive"]["expected_sha256"]
    checked = rec["checked"]
    assert checked["failed"] == 0 and checked["ok"] == checked["members"] >= 10, checked
    assert checked["sqlite"] == 1 and checked["rdb"] == 2, checked
    tests = {m["path"]: m["test"] for m in rec["members"]}
    assert "integrity_check ok" in tests["opencode/data/opencode.db"]
    assert tests["redis/valkey.rdb"].endswith("2 keys"), tests   # session:abc and queue
    assert tests["redis/falkordb.rdb"].endswith("2 keys"), tests
    # Every member is reported, in a typed line each.
    with open(os.path.join(env.state, "runs", rec["id"], "members.jsonl")) as f:
        members = [json.loads(l) for l in f]
    assert len(members) == checked["members"]
    assert all(m["ok"] and m["sha256"] for m in members if m["type"] == "file")
    assert not scratch_servers(env)
    # The listings show it: per backup and as the last verify.
    code, listing = env.json("list-backups")
    assert code == 0
    entry = next(b for b in listing["backups"] if b["id"] == bid)
    assert entry["last_verify"]["result"] == "succeeded" and entry["last_verify"]["id"] == rec["id"]
    assert listing["drill"]["last"] is None   # no scheduled one yet
    assert listing["drill"]["last_verify"]["id"] == rec["id"]
    assert listing["drill"]["last_verify"]["age_seconds"] >= 0
    code, runs = env.json("list-backups", "--runs")
    assert rec["id"] in [r["id"] for r in runs["runs"]]


def test_latest_is_the_drill_and_is_listed_as_such(env):
    env.populate(rows=20)
    backup(env)
    newest = backup(env)
    code, rec = verify(env, "--latest", "--trigger", "scheduled", extra={"BACKUP_VERIFY_SCHEDULE": "0 4 * * *"})
    assert code == 0 and rec["backup_id"] == newest and rec["trigger"] == "scheduled", rec
    code, listing = env.json("list-backups", extra={"BACKUP_VERIFY_SCHEDULE": "0 4 * * *"})
    assert listing["drill"]["schedule"] == "0 4 * * *"
    assert listing["drill"]["last"]["id"] == rec["id"] and listing["drill"]["last"]["result"] == "succeeded"
    p = env.run("list-backups")
    assert "last drill: passed" in p.stdout.decode(), p.stdout.decode()


def _member_offset(env, bid, member):
    with tarfile.open(os.path.join(env.remote, "opencode-%s.tar" % bid)) as tar:
        ti = tar.getmember(member)
        return ti.offset_data


def test_a_changed_byte_names_the_member_and_exits_1(env):
    env.populate(rows=50)
    earlier = backup(env)
    bid = backup(env)
    member = "opencode/data/storage/session/ses_3.json"
    offset = _member_offset(env, bid, member)
    path = os.path.join(env.remote, "opencode-%s.tar" % bid)
    with open(path, "r+b") as f:
        f.seek(offset + 3)
        b = f.read(1)
        f.seek(offset + 3)
        f.write(bytes([b[0] ^ 0x01]))
    before = snapshot_remote(env)
    code, rec = verify(env, bid)
    assert code == 1 and rec["exit_code"] == 1 and rec["result"] == "failed", rec
    assert rec["error_kind"] == "damaged" and member in rec["error"], rec["error"]
    assert "sha256 mismatch" in rec["error"]
    assert [m["path"] for m in rec["members"] if not m["ok"]] == [member]
    assert rec["archive"]["ok"] is False and rec["verified"] is False
    p = env.run("verify", bid)
    assert p.returncode == 1 and member in p.stderr.decode()
    assert_no_scratch(env)
    assert snapshot_remote(env) == before   # verify changes nothing on the remote
    assert_passes(env, earlier)
    code, listing = env.json("list-backups")
    entry = next(b for b in listing["backups"] if b["id"] == bid)
    assert entry["last_verify"]["result"] == "failed" and member in entry["last_verify"]["error"]


def test_a_changed_byte_in_an_encrypted_archive_fails_at_its_member(env):
    env.populate(rows=50, big_mb=2)
    extra = {"BACKUP_PASSWORD": PASSWORD}
    earlier = backup(env, extra)
    bid = backup(env, extra)
    path = os.path.join(env.remote, "opencode-%s.tar.bin" % bid)
    size = os.path.getsize(path)
    with open(path, "r+b") as f:   # crypt's 64 KiB blocks: members before this one decrypt
        f.seek(size * 3 // 4)
        b = f.read(1)
        f.seek(size * 3 // 4)
        f.write(bytes([b[0] ^ 0x01]))
    code, rec = verify(env, bid, extra=extra)
    assert code == 1 and rec["error_kind"] == "damaged", rec
    assert "does not decrypt" in rec["error"] and "while reading member opencode/" in rec["error"], rec["error"]
    assert_no_scratch(env)
    assert_passes(env, earlier, extra)


def test_a_wrong_password_is_a_clear_error_and_changes_nothing(env):
    env.populate(rows=50)
    extra = {"BACKUP_PASSWORD": PASSWORD}
    bid = backup(env, extra)
    before = snapshot_remote(env)
    mtimes = {f: os.stat(os.path.join(env.remote, f)).st_mtime_ns for f in env.remote_files()}
    code, rec = verify(env, bid, extra={"BACKUP_PASSWORD": "not the password"})
    assert code == 10 and rec["error_kind"] == "integrity", rec
    assert "cannot be decrypted with BACKUP_PASSWORD" in rec["error"] and "nothing was changed" in rec["error"]
    assert PASSWORD not in json.dumps(rec) and "not the password" not in json.dumps(rec)
    assert snapshot_remote(env) == before
    assert {f: os.stat(os.path.join(env.remote, f)).st_mtime_ns for f in env.remote_files()} == mtimes
    assert_no_scratch(env)
    assert_passes(env, bid, extra)


def test_an_archive_missing_from_the_remote(env):
    env.populate(rows=20)
    earlier = backup(env)
    bid = backup(env)
    os.unlink(os.path.join(env.remote, "opencode-%s.tar" % bid))
    code, rec = verify(env, bid)
    assert code == 1 and rec["error_kind"] == "damaged", rec
    assert "opencode-%s.tar is missing" % bid in rec["error"]
    assert_no_scratch(env)
    assert_passes(env, earlier)
    code, rec = verify(env, "20200101T000000Z-abcd")
    assert code == 11 and "no backup 20200101T000000Z-abcd" in rec["error"], rec


def _start_slow_verify(env, bid):
    p = env.start("verify", bid, "--json", extra=SLOW)
    rec = env.wait_status(lambda r: r.get("kind") == "verify" and r.get("result") == "running"
                          and os.path.isdir(os.path.join(env.state, "staging", r["id"], "restore")),
                          timeout=120)
    return p, rec


def test_verify_killed_midway_leaves_no_scratch_and_the_next_one_works(env):
    env.populate(rows=1500, blob_kb=16)   # a 24 MB database: seconds at 3 MB/s
    bid = backup(env)
    # SIGTERM: the run cleans up at once.
    p, rec = _start_slow_verify(env, bid)
    p.send_signal(signal.SIGTERM)
    p.wait(300)
    assert p.returncode == 130
    done = env.status(rec["id"])
    assert done["result"] == "failed" and done["exit_code"] == 130 and done["error_kind"] == "interrupted"
    assert_no_scratch(env)
    # SIGKILL: scratch stays until the next run, which removes it and closes the record.
    p, rec = _start_slow_verify(env, bid)
    p.kill()
    p.wait(300)
    assert os.path.isdir(os.path.join(env.state, "staging", rec["id"]))
    deadline = time.time() + 300
    while scratch_servers(env) and time.time() < deadline:
        time.sleep(0.1)
    assert not scratch_servers(env)
    after = assert_passes(env, bid)
    assert env.status(rec["id"])["error_kind"] == "interrupted"
    assert after["checked"]["failed"] == 0


def test_two_verifies_at_once_one_runs_the_other_is_refused(env):
    env.populate(rows=1500, blob_kb=16)
    bid = backup(env)
    p, rec = _start_slow_verify(env, bid)
    code, second = verify(env, bid)
    assert code == 9 and second["result"] == "busy", second
    assert "another verify is running: %s" % rec["id"] in second["error"]
    assert second["running"]["backup_id"] == bid
    out, err = p.communicate(timeout=600)
    assert p.returncode == 0, err.decode()
    first = json.loads(out.decode().splitlines()[-1])
    assert first["result"] == "succeeded" and first["id"] == rec["id"]
    code, runs = env.json("list-backups", "--runs")
    assert any(r["kind"] == "verify" and r["exit_code"] == 9 for r in runs["refused"]), runs["refused"]
    assert_no_scratch(env)
    # A backup is refused as well while a verify holds the lock, and works after it.
    backup(env)


VALUE = os.urandom(60).hex()   # incompressible: stored as is in the RDB


def _rdb(tmp_path, version=None, corrupt=False):
    """A real RDB written by redis-server, optionally restamped or with a changed byte."""
    folder = tmp_path / "rdb"
    folder.mkdir(exist_ok=True)
    r = bkphelp.Redis(str(folder), "src")
    try:
        r.cli("SET", "k", VALUE)
        assert r.cli("SAVE") == "OK"
        data = open(os.path.join(r.dir, "dump.rdb"), "rb").read()
    finally:
        r.stop()
    if version is not None:
        data = b"REDIS%04d" % version + data[9:]
    if corrupt:
        i = data.index(VALUE.encode()) + 10
        data = data[:i] + b"w" + data[i + 1:]
    path = tmp_path / "test.rdb"
    path.write_bytes(data)
    return str(path)


def test_the_test_restores_tell_good_damaged_and_too_new_apart(tmp_path):
    bkphelp.require("redis-server", "redis-check-rdb")
    import sys
    sys.path.insert(0, bkphelp.SCRIPTS)
    from opsbackup import verify_cmd
    ok, text = verify_cmd.check_rdb(_rdb(tmp_path))
    assert ok and "RDB looks OK" in text, text
    ok, text = verify_cmd.check_rdb(_rdb(tmp_path, corrupt=True))
    assert not ok and "crc error" in text.lower(), text
    ok, text = verify_cmd.check_rdb(_rdb(tmp_path, version=99))
    assert not ok and verify_cmd.TOO_NEW in text, text
    # SQLite: a good database, and one with a page overwritten.
    import sqlite3
    db = str(tmp_path / "x.db")
    conn = sqlite3.connect(db)
    conn.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, body TEXT)")
    conn.executemany("INSERT INTO t (body) VALUES (?)", [("x" * 500,) for _ in range(500)])
    conn.execute("CREATE INDEX tb ON t (body)")
    conn.commit()
    conn.close()
    ok, text = verify_cmd.sqlite_check(db)
    assert ok and "integrity_check ok" in text, text
    with open(db, "r+b") as f:
        f.seek(4096 * 3 + 100)
        f.write(os.urandom(2000))
    ok, text = verify_cmd.sqlite_check(db)
    assert not ok and ("integrity_check" in text or "malformed" in text), text


def test_a_plain_backup_made_before_the_password_still_verifies(env):
    env.populate(rows=30)
    plain = backup(env)
    extra = {"BACKUP_PASSWORD": PASSWORD}
    encrypted = backup(env, extra)
    rec = assert_passes(env, plain, extra)
    assert rec["encrypted"] is False and rec["checked"]["sqlite"] == 1, rec
    rec = assert_passes(env, encrypted, extra)
    assert rec["encrypted"] is True and rec["checked"]["rdb"] == 2, rec


def test_without_redis_server_each_rdb_is_checked_by_redis_check_rdb(env, tmp_path):
    """The image has redis-tools (redis-cli, redis-check-rdb) and no redis-server."""
    bkphelp.require("redis-check-rdb")
    import shutil
    import sys
    env.populate(rows=20)
    bid = backup(env)
    tools = tmp_path / "bin"
    tools.mkdir()
    for name in ("rclone", "redis-cli", "redis-check-rdb"):
        os.symlink(shutil.which(name), str(tools / name))
    os.symlink(sys.executable, str(tools / "python3"))
    rec = assert_passes(env, bid, extra={"PATH": str(tools)})
    tests = {m["path"]: m["test"] for m in rec["members"]}
    assert tests["redis/valkey.rdb"].startswith("redis-check-rdb: RDB looks OK"), tests
    assert rec["checked"]["rdb"] == 2


def test_verify_reports_to_datadog_like_backups_and_restores(env):
    """A local endpoint stands in for Datadog (the real datadog-api-client sends to it)."""
    import test_datadog as dd
    dd.require_client()
    recorder = dd.Recorder()
    try:
        env.populate(rows=20)
        bid = backup(env)
        rec = assert_passes(env, bid, extra=dd.dd(recorder.url))
        [check] = recorder.one("/api/v1/check_run")["body"]
        assert check["status"] == 0 and "kind:verify" in check["tags"] and bid in check["message"], check
        series = dd.series_by_name(recorder.one("/api/v2/series"))
        assert series["opencode.backup.files"]["points"][0]["value"] == rec["checked"]["members"] > 0
        assert rec["datadog"] == {"sent": True, "attempts": 1, "error": None}, rec["datadog"]
        os.unlink(os.path.join(env.remote, "opencode-%s.tar" % bid))
        recorder.requests.clear()
        code, failed = verify(env, bid, extra=dd.dd(recorder.url))
        assert code == 1
        [check] = recorder.one("/api/v1/check_run")["body"]
        assert check["status"] == 2 and "is missing" in check["message"], check
        assert recorder.one("/api/v1/events")["body"]["title"].startswith("opencode verify failed")
    finally:
        recorder.close()
