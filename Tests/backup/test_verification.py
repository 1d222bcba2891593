"""Verification during the run: the hash the remote keeps of the stored object is compared with
the same hash of what was streamed, and the level reached is recorded. Real rclone, local
directory remotes (one through crypt, one through a chunker that keeps no hash)."""

import hashlib
import json
import os
import sys

import bkphelp

sys.path.insert(0, bkphelp.SCRIPTS)
from opsbackup import config, state  # noqa: E402
from opsbackup.backup.pipeline import BackupJob  # noqa: E402

PASSWORD = "verification test password 42"


def md5(path):
    with open(path, "rb") as f:
        return hashlib.md5(f.read()).hexdigest()


def job(env, extra=None, after_upload=None):
    """A real backup run in this process; after_upload(job) runs between the upload and the check."""
    cfg = config.Config(dict(env.env, **(extra or {})))
    os.makedirs(os.path.join(cfg.state_dir, "runs"), exist_ok=True)
    run = state.Run(cfg, state.new_run_id(), "backup", "manual")
    j = BackupJob(cfg, run, "manual", False)
    if after_upload:
        j.after_upload = after_upload
    return j.execute(), run.record


def flip_byte(path, offset=1000):
    with open(path, "r+b") as f:
        f.seek(offset)
        b = f.read(1)
        f.seek(offset)
        f.write(bytes([b[0] ^ 0xFF]))


def log_of(env, rid):
    with open(os.path.join(env.state, "runs", rid, "run.log")) as f:
        return f.read()


def verified_ids(env, extra=None):
    code, listing = env.json("list-backups", extra=extra)
    assert code == 0, listing
    return [b["id"] for b in listing["backups"] if b["state"] == "verified"]


def test_plain_remote_reaches_remote_md5_without_downloading(env):
    env.populate(rows=20)
    code, rec = job(env)
    assert code == 0, rec["error"]
    stored = os.path.join(env.remote, "opencode-%s.tar" % rec["id"])
    assert rec["verification"] == {"level": "remote md5", "hash_type": "md5", "hash": md5(stored), "of": "archive"}
    with open(os.path.join(env.remote, "opencode-%s.manifest.json" % rec["id"])) as f:
        assert json.load(f)["archive"]["verification"]["level"] == "remote md5"
    log = log_of(env, rec["id"])
    assert "run: rclone cat" not in log and "run: rclone copyto" not in log, "no download of the archive"
    assert "remote md5" in log
    assert "verified (remote md5)" in env.run("backup", "--status", rec["id"]).stdout.decode()


def test_encrypted_remote_checks_the_stored_ciphertext(env):
    env.populate(rows=20)
    code, rec = job(env, {"BACKUP_PASSWORD": PASSWORD})
    assert code == 0, rec["error"]
    stored = os.path.join(env.remote, "opencode-%s.tar.bin" % rec["id"])
    assert rec["verification"] == {"level": "remote md5", "hash_type": "md5", "hash": md5(stored), "of": "ciphertext"}
    log = log_of(env, rec["id"])
    # The upload ran at debug level to hear crypt's hash; none of its debug lines (which name
    # the obscured password) reached the log.
    obscured = config.Config(dict(env.env, BACKUP_PASSWORD=PASSWORD)).obscured_password()
    assert PASSWORD not in log and obscured not in log and "-vv" in log


def test_a_remote_without_whole_file_hashes_records_size_and_part_hashes(env, tmp_path):
    """A chunker remote with hash_type none keeps no hash, like B2 for a large file."""
    env.populate(rows=20)
    store = tmp_path / "nohash"
    store.mkdir()
    extra = {"BACKUP_REMOTE": "nohash:", "RCLONE_CONFIG_NOHASH_TYPE": "chunker",
             "RCLONE_CONFIG_NOHASH_REMOTE": str(store), "RCLONE_CONFIG_NOHASH_HASH_TYPE": "none"}
    code, rec = job(env, extra)
    assert code == 0, rec["error"]
    assert rec["verification"]["level"] == "size + part hashes" and rec["verification"]["hash"] is None
    # The size is still compared: a stored object one byte short fails the run.
    code, rec2 = job(env, extra, after_upload=lambda j: os.truncate(
        str(store / j.archive_name), os.path.getsize(str(store / j.archive_name)) - 1))
    assert code == 7, rec2
    assert "holds" in rec2["error"] and "were sent" in rec2["error"] and rec2["failed_phase"] == "verify", rec2["error"]
    assert verified_ids(env, extra) == [rec["id"]]


def test_a_byte_changed_after_upload_fails_the_run_and_keeps_earlier_backups(env):
    env.populate(rows=20)
    code, first = job(env)
    assert code == 0, first["error"]
    code, rec = job(env, after_upload=lambda j: flip_byte(os.path.join(env.remote, j.archive_name)))
    assert code == 7, rec
    assert rec["result"] == "failed" and rec["error_kind"] == "verify-failed"
    assert "md5" in rec["error"] and "streamed" in rec["error"], rec["error"]
    assert not rec.get("verified")
    # The damaged archive is removed; the earlier backup is listed verified and restorable.
    assert not os.path.exists(os.path.join(env.remote, "opencode-%s.tar" % rec["id"]))
    # The manifest's upload, started beside the check, was stopped before it got any input.
    assert not os.path.exists(os.path.join(env.remote, "opencode-%s.manifest.json" % rec["id"]))
    assert verified_ids(env) == [first["id"]]
    code, rrec = env.json("restore", first["id"], "--only", "data")
    assert code == 0, rrec


def test_a_changed_ciphertext_fails_the_run(env):
    env.populate(rows=20)
    extra = {"BACKUP_PASSWORD": PASSWORD}
    code, first = job(env, extra)
    assert code == 0, first["error"]
    code, rec = job(env, extra, after_upload=lambda j: flip_byte(os.path.join(env.remote, j.archive_name + ".bin")))
    assert code == 7, rec
    assert "ciphertext" in rec["error"] and "md5" in rec["error"], rec["error"]
    assert not [n for n in os.listdir(env.remote) if rec["id"] in n], os.listdir(env.remote)
    assert verified_ids(env, extra) == [first["id"]]
