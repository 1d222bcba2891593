"""Faults: each ends in a clear failed status with the reason, no success recorded, and
earlier backups untouched."""

import base64
import http.server
import json
import os
import shutil
import signal
import subprocess
import tarfile
import threading
import time

import pytest

import bkphelp


def first_backup(env):
    code, rec = env.json("backup")
    assert code == 0, rec
    return rec["id"], {f: bkphelp.sha256(os.path.join(env.remote, f)) for f in env.remote_files()}


def assert_untouched(env, before):
    for name, digest in before.items():
        assert bkphelp.sha256(os.path.join(env.remote, name)) == digest, name


def assert_failed(rec, code, kind, phrase):
    assert rec["result"] == "failed" and rec["exit_code"] == code and rec["error_kind"] == kind, rec
    assert phrase in rec["error"], rec["error"]
    assert rec["verified"] is False


def only_verified(env, ids):
    code, listing = env.json("list-backups")
    assert code == 0
    assert [b["id"] for b in listing["backups"] if b["state"] == "verified"] == ids
    return listing


def test_no_credentials(env):
    env.populate(rows=5)
    extra = {"BACKUP_REMOTE": ""}
    code, rec = env.json("backup", extra=extra)
    assert code == 3
    assert_failed(rec, 3, "no-credentials", "no credentials")
    for var in ("B2_APPLICATION_KEY_ID", "B2_APPLICATION_KEY", "B2_BUCKET"):
        assert var in rec["error"]
    assert env.status(rec["id"]) == rec   # the record on disk says the same
    assert rec["phases"] == [] or rec["phases"][0]["phase"] != "upload"
    assert env.remote_files() == []
    code, out = env.json("list-backups", extra=extra)
    assert code == 3 and "no credentials" in out["error"]
    code, out = env.json("restore", "20260101T000000Z-abcd", extra=extra)
    assert code == 3 and "no credentials" in out["error"]


class FakeB2(http.server.BaseHTTPRequestHandler):
    """Stands in for api.backblazeb2.com (unreachable here): refuses the key, records what
    rclone sent, so the test sees the credentials arrived through rclone's environment."""
    seen = []

    def do_GET(self):
        FakeB2.seen.append((self.path, self.headers.get("Authorization", "")))
        body = json.dumps({"status": 401, "code": "unauthorized", "message": "bad key id or key"}).encode()
        self.send_response(401)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *a):
        pass


def test_b2_credentials_go_through_rclone_env_and_never_leak(env):
    env.populate(rows=5)
    srv = http.server.HTTPServer(("127.0.0.1", bkphelp.free_port()), FakeB2)
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    key_id, key = "0012ab34cd56ef780000000001", "K001SecretApplicationKeyValue42"
    extra = {"BACKUP_REMOTE": "", "B2_APPLICATION_KEY_ID": key_id, "B2_APPLICATION_KEY": key,
             "B2_BUCKET": "ops-backups", "B2_PREFIX": "server1",
             "BACKUP_B2_ENDPOINT": "http://127.0.0.1:%d" % srv.server_port}
    try:
        p = env.start("backup", "--json", extra=extra)
        # While it runs, no process has the key on its command line.
        leaked = []
        while p.poll() is None:
            for pid in os.listdir("/proc"):
                if pid.isdigit():
                    try:
                        with open("/proc/%s/cmdline" % pid, "rb") as f:
                            if key.encode() in f.read():
                                leaked.append(pid)
                    except OSError:
                        pass
            time.sleep(0.02)
        out, _ = p.communicate()
    finally:
        srv.shutdown()
    assert not leaked
    rec = json.loads(out.decode().splitlines()[-1])
    assert rec["exit_code"] == 6 and rec["result"] == "failed"
    assert "401" in rec["error"] or "unauthorized" in rec["error"].lower(), rec["error"]
    # rclone authenticated with exactly these credentials (HTTP basic auth from its env).
    assert FakeB2.seen and FakeB2.seen[0][0].endswith("b2_authorize_account")
    assert FakeB2.seen[0][1] == "Basic " + base64.b64encode(("%s:%s" % (key_id, key)).encode()).decode()
    assert rec["remote"] == "b2://ops-backups/server1 (key 0012…01)"
    run_dir = os.path.join(env.state, "runs", rec["id"])
    for name in os.listdir(run_dir):
        with open(os.path.join(run_dir, name), encoding="utf-8") as f:
            text = f.read()
        assert key not in text and key_id not in text, name


def test_remote_unwritable(env):
    bkphelp.require_root("a read-only remote")
    env.populate(rows=5)
    subprocess.run(["mount", "-t", "tmpfs", "-o", "size=64m", "tmpfs", env.remote], check=True)
    first, before = first_backup(env)
    subprocess.run(["mount", "-o", "remount,ro", env.remote], check=True)
    code, rec = env.json("backup")
    assert code == 6
    assert_failed(rec, 6, "upload-failed", "read-only file system")
    assert rec["failed_phase"] == "upload"
    assert_untouched(env, before)
    only_verified(env, [first])


def test_rclone_killed_mid_upload(env):
    env.populate(rows=5)
    first, before = first_backup(env)
    env.populate(rows=5, big_mb=8)
    p = env.start("backup", "--json", extra={"RCLONE_BWLIMIT": "1M"})
    rec = env.wait_status(lambda r: r["result"] == "running" and r["phase"] == "upload" and r.get("child_pid")
                          and (r.get("progress") or {}).get("bytes", 0) > 0, timeout=30)
    os.kill(rec["child_pid"], signal.SIGKILL)
    out, _ = p.communicate(timeout=60)
    assert p.returncode == 6
    final = env.status(rec["id"])
    assert_failed(final, 6, "upload-failed", "rclone killed by signal 9")
    # The partial archive of the failed run was removed; the earlier backup is intact.
    assert sorted(env.remote_files()) == sorted(before)
    assert_untouched(env, before)
    only_verified(env, [first])
    assert not os.path.exists(os.path.join(env.state, "staging", rec["id"]))


def test_sigterm_mid_upload(env):
    env.populate(rows=5, big_mb=6)
    p = env.start("backup", extra={"RCLONE_BWLIMIT": "1M"})
    rec = env.wait_status(lambda r: r["phase"] == "upload" and r.get("child_pid"), timeout=30)
    p.send_signal(signal.SIGTERM)
    p.communicate(timeout=60)
    assert p.returncode == 130
    assert_failed(env.status(rec["id"]), 130, "interrupted", "interrupted by signal 15")
    assert env.remote_files() == []


def test_staging_disk_full(env):
    bkphelp.require_root("a small tmpfs for staging")
    env.populate(rows=5)
    first, before = first_backup(env)
    env.populate(rows=300, blob_kb=8)   # a ~2.5 MB database: its snapshot cannot fit
    staging = os.path.join(env.root, "staging")
    os.makedirs(staging)
    subprocess.run(["mount", "-t", "tmpfs", "-o", "size=512k", "tmpfs", staging], check=True)
    code, rec = env.json("backup", extra={"BACKUP_STAGING_DIR": staging})
    assert code == 5
    assert_failed(rec, 5, "disk-full", "staging disk full")
    # The database copy fails while the plain files are already streaming: the record names
    # the phase where it arose, and the partial upload is gone.
    assert rec["failed_phase"] == "snapshot"
    assert sorted(env.remote_files()) == sorted(before)
    assert_untouched(env, before)
    assert os.listdir(staging) == []   # its scratch space was cleaned up


def test_two_triggers_at_once(env):
    env.populate(rows=5, big_mb=4)
    p = env.start("backup", "--json", "--trigger", "scheduled", extra={"RCLONE_BWLIMIT": "2M"})
    running = env.wait_status(lambda r: r["phase"] == "upload", timeout=30)
    # Busy, not queued: a second run that waited for the lock would have run and succeeded.
    code, busy = env.json("backup")
    assert code == 9 and busy["result"] == "busy"
    assert busy["running"]["id"] == running["id"]
    assert busy["running"]["trigger"] == "scheduled"
    assert busy["running"]["started_at"] == running["started_at"]
    assert running["id"] in busy["error"]
    # The console's status query shows the running one.
    code, st = env.json("backup", "--status")
    assert code == 0 and st["id"] == running["id"] and st["result"] == "running"
    code, rbusy = env.json("restore", "20260101T000000Z-abcd")
    assert code == 9 and rbusy["running"]["id"] == running["id"]
    out, _ = p.communicate(timeout=60)
    assert p.returncode == 0
    assert [r for r in env.runs()] == [running["id"]]   # the refused triggers made no records
    only_verified(env, [running["id"]])


def test_corrupt_archive_is_refused(env):
    env.populate(rows=50)
    bid, before = first_backup(env)
    archive = os.path.join(env.remote, "opencode-%s.tar" % bid)
    with open(archive, "r+b") as f:
        f.seek(os.path.getsize(archive) // 2)
        b = f.read(1)
        f.seek(-1, 1)
        f.write(bytes([b[0] ^ 0xFF]))
    env.falkordb.cli("FLUSHALL")
    conn_rows_before = env.db_rows()
    os.unlink(os.path.join(env.data, "auth.json"))
    code, rec = env.json("restore", bid)
    assert code == 10
    assert_failed(rec, 10, "integrity", "restore refused")
    assert "sha256" in rec["error"]
    assert not os.path.exists(os.path.join(env.data, "auth.json"))   # nothing was restored
    assert env.db_rows() == conn_rows_before
    assert not os.path.exists(os.path.join(env.state, "restore"))


def test_member_that_does_not_match_the_manifest_is_refused(env, tmp_path):
    """A well-formed archive whose file differs from its manifest entry (the archive-level
    checksum updated to match) is still refused, naming the file."""
    env.populate(rows=50)
    bid, _ = first_backup(env)
    archive = os.path.join(env.remote, "opencode-%s.tar" % bid)
    work = tmp_path / "rebuild"
    with tarfile.open(archive) as tar:
        tar.extractall(str(work))
        names = tar.getnames()
    with open(work / "opencode/config/opencode.json", "a") as f:
        f.write(" ")
    with tarfile.open(archive, "w", format=tarfile.PAX_FORMAT) as tar:
        for n in names:
            tar.add(str(work / n), arcname=n)
    side = os.path.join(env.remote, "opencode-%s.manifest.json" % bid)
    with open(side) as f:
        sidecar = json.load(f)
    sidecar["archive"].update(sha256=bkphelp.sha256(archive), bytes=os.path.getsize(archive))
    with open(side, "w") as f:
        json.dump(sidecar, f)
    with open(os.path.join(env.config, "opencode.json"), "w") as f:
        f.write("changed")
    code, rec = env.json("restore", bid)
    assert code == 10
    assert "opencode/config/opencode.json: sha256 mismatch" in rec["error"]
    with open(os.path.join(env.config, "opencode.json")) as f:
        assert f.read() == "changed"


def test_restore_unknown_and_incomplete(env):
    env.populate(rows=5)
    bid, _ = first_backup(env)
    code, rec = env.json("restore", "20200101T000000Z-0000")
    assert code == 11 and "no backup 20200101T000000Z-0000" in rec["error"]
    code, rec = env.json("restore", "not-an-id")
    assert code == 2
    os.unlink(os.path.join(env.remote, "opencode-%s.manifest.json" % bid))
    code, rec = env.json("restore", bid)
    assert code == 10 and "incomplete" in rec["error"]
    code, listing = env.json("list-backups")
    assert listing["backups"][0]["state"] == "incomplete"


def test_a_failure_before_the_first_byte_stores_nothing(env, tmp_path):
    """The archive's rcat is started before the snapshot and waits for its input. A snapshot
    that fails before anything was sent stops it with that input never closed, so no archive
    (not even an empty one) is stored, and no rclone is left running."""
    env.populate(rows=5)
    first, before = first_backup(env)
    blocker = tmp_path / "a-file-not-a-folder"
    blocker.write_text("x")
    code, rec = env.json("backup", extra={"BACKUP_STAGING_DIR": str(blocker)})
    assert code == 4
    assert_failed(rec, 4, "snapshot-failed", "staging")
    # No rclone for this archive is left (one left waiting would store an empty archive once
    # its input closed), so the listing below is final.
    archive = "opencode-%s.tar" % rec["id"]
    for pid in os.listdir("/proc"):
        try:
            with open("/proc/%s/cmdline" % pid, "rb") as f:
                cmdline = f.read()
        except OSError:
            continue
        assert archive.encode() not in cmdline, "an rclone for %s is still running" % archive
    assert sorted(env.remote_files()) == sorted(before)
    assert_untouched(env, before)
    only_verified(env, [first])


def test_redis_unreachable(env):
    env.populate(rows=5)
    env.valkey.stop()
    code, rec = env.json("backup")
    assert code == 4
    assert_failed(rec, 4, "snapshot-failed", "valkey at 127.0.0.1:%d unreachable" % env.valkey.port)
    assert rec["failed_phase"] == "snapshot"
    assert env.remote_files() == []


def test_bad_setting_names_the_variable(env):
    code, rec = env.json("backup", extra={"BACKUP_KEEP_DAILY": "seven"})
    assert code == 2 and "BACKUP_KEEP_DAILY" in rec["error"]
    code, rec = env.json("backup", extra={"BACKUP_SOURCES": "data,mongo"})
    assert code == 2 and "'mongo'" in rec["error"]
