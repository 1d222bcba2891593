"""Backup → check the archive against its manifest → flush → restore → the data is back,
with real redis-server, real rclone (local directory remote) and real SQLite."""

import json
import os
import sqlite3
import tarfile
import time

import bkphelp


def backup_ok(env, *args, extra=None):
    code, rec = env.json("backup", *args, extra=extra)
    assert code == 0, rec
    assert rec["result"] == "succeeded" and rec["exit_code"] == 0 and rec["verified"] is True
    return rec


def test_backup_archive_matches_manifest_and_restore_brings_data_back(env, tmp_path):
    env.populate(rows=1500)
    rec = backup_ok(env)
    assert [p["phase"] for p in rec["phases"]] == ["snapshot", "pack", "upload", "verify", "retention"]
    assert all(p["ended_at"] for p in rec["phases"])
    # What was backed up, in the record as in the manifest.
    assert rec["sources"]["data"]["sqlite"] == ["opencode.db"] and rec["sources"]["data"]["bytes"] > 0
    assert rec["sources"]["falkordb"]["bytes"] > 0 and "redis_version" in rec["sources"]["valkey"]
    bid = rec["id"]
    archive = os.path.join(env.remote, "opencode-%s.tar" % bid)
    sidecar_path = os.path.join(env.remote, "opencode-%s.manifest.json" % bid)
    assert env.remote_files() == sorted([os.path.basename(archive), os.path.basename(sidecar_path)])

    # The archive against its manifest, independently of the scripts.
    with open(sidecar_path) as f:
        sidecar = json.load(f)
    assert sidecar["archive"]["sha256"] == bkphelp.sha256(archive) == rec["archive"]["sha256"]
    assert sidecar["archive"]["bytes"] == os.path.getsize(archive)
    for key in ("id", "created_at", "host", "versions", "sources", "files"):
        assert key in sidecar
    assert sidecar["versions"]["rclone"].startswith("rclone")
    assert "redis_version" in sidecar["sources"]["falkordb"]
    listed = {f["path"]: f for f in sidecar["files"]}
    out = tmp_path / "x"
    with tarfile.open(archive) as tar:
        members = {m.name: m for m in tar.getmembers()}
        inner = json.load(tar.extractfile("manifest.json"))
        assert inner["files"] == sidecar["files"]
        assert set(members) - {"manifest.json"} == set(listed)
        for name, f in listed.items():
            data = tar.extractfile(name).read()
            import hashlib
            assert hashlib.sha256(data).hexdigest() == f["sha256"], name
            assert len(data) == f["size"], name
        tar.extract("opencode/data/opencode.db", str(out))
        assert tar.extractfile("redis/falkordb.rdb").read(5) == b"REDIS"
        assert tar.extractfile("redis/valkey.rdb").read(5) == b"REDIS"
    # SQLite went through the backup API: rows still in the -wal file are in the copy, and the
    # -wal/-shm companions and the excluded bin/ are not in the archive.
    assert os.path.getsize(os.path.join(env.data, "opencode.db-wal")) > 0
    assert listed["opencode/data/opencode.db"]["method"] == "sqlite backup API"
    copy = sqlite3.connect(str(out / "opencode/data/opencode.db"))
    assert copy.execute("SELECT count(*) FROM session").fetchone()[0] == 1500
    copy.close()
    assert not any(p.endswith(("-wal", "-shm")) for p in listed)
    assert not any(p.startswith("opencode/data/bin/") for p in listed)
    assert "opencode/config/plugin/memory.js" in listed

    # Lose the data.
    env.falkordb.cli("FLUSHALL")
    env.valkey.cli("FLUSHALL")
    conn = sqlite3.connect(os.path.join(env.data, "opencode.db"))
    conn.execute("DELETE FROM session WHERE id > 10")
    conn.commit()
    conn.close()
    os.unlink(os.path.join(env.data, "storage", "session", "ses_3.json"))
    with open(os.path.join(env.config, "opencode.json"), "w") as f:
        f.write("{}")
    assert env.db_rows() == 10 and env.falkordb.cli("DBSIZE") == "0"

    # --plan names what would be overwritten, and changes nothing.
    code, plan = env.json("restore", bid, "--plan")
    assert code == 0
    parts = {o["part"]: o for o in plan["overwrite"]}
    assert parts["data"]["path"] == env.data and parts["config"]["path"] == env.config
    assert {s["service"] for s in plan["sidecars"]} == {"falkordb", "valkey"}
    assert env.db_rows() == 10

    code, rrec = env.json("restore", bid)
    assert code == 0, rrec
    assert rrec["kind"] == "restore" and rrec["result"] == "succeeded" and rrec["verified"]
    assert env.db_rows() == 1500
    with open(os.path.join(env.data, "storage", "session", "ses_3.json")) as f:
        assert json.load(f)["id"] == 3
    with open(os.path.join(env.config, "opencode.json")) as f:
        assert "opencode.ai/config.json" in f.read()
    pending = {p["service"]: p for p in rrec["pending_actions"]}
    assert set(pending) == {"falkordb", "valkey"}
    for name, server in (("falkordb", env.falkordb), ("valkey", env.valkey)):
        rdb = pending[name]["rdb"]
        assert rdb.startswith(env.state) and bkphelp.sha256(rdb) == pending[name]["sha256"]
        server.load_rdb(rdb)   # the console's part, as documented
    assert env.falkordb.cli("GET", "graph:node:1") == "alice"
    assert env.falkordb.cli("HGET", "graph:edge:1", "to") == "2"
    assert env.valkey.cli("GET", "session:abc") == "token-value"
    assert env.valkey.cli("LRANGE", "queue", "0", "-1").split() == ["a", "b", "c"]

    # The listing shows it verified, joined with the local run record.
    code, listing = env.json("list-backups")
    assert code == 0
    [b] = listing["backups"]
    assert b["id"] == bid and b["state"] == "verified" and b["bytes"] == os.path.getsize(archive)
    assert b["local_run"]["result"] == "succeeded"
    code, runs = env.json("list-backups", "--runs")
    assert [r["kind"] for r in runs["runs"]] == ["restore", "backup"] and runs["running"] is None


def test_retention_deletes_beyond_keep_last_and_dry_run_deletes_nothing(env):
    env.populate(rows=10)
    ids = []
    for _ in range(3):
        ids.append(backup_ok(env, extra={"BACKUP_KEEP_LAST": "2"})["id"])
        time.sleep(1.05)   # ids carry the second: keep them distinct and ordered
    # The third run deleted the first (manifest and archive), kept the newest two.
    assert env.remote_files() == sorted("opencode-%s.%s" % (i, ext) for i in ids[1:] for ext in ("tar", "manifest.json"))
    rec = env.status(ids[2])
    assert rec["retention"]["deleted"] == [ids[0]]
    assert {k["id"] for k in rec["retention"]["kept"]} == set(ids[1:])
    # Dry run with keep-last 1 reports the older one and deletes nothing.
    rec = backup_ok(env, "--retention-dry-run", extra={"BACKUP_KEEP_LAST": "1"})
    assert rec["retention"]["dry_run"] is True
    assert sorted(rec["retention"]["would_delete"]) == sorted(ids[1:])
    assert rec["retention"]["deleted"] == []
    assert len([f for f in env.remote_files() if f.endswith(".tar")]) == 3
    code, listing = env.json("list-backups", extra={"BACKUP_KEEP_LAST": "1"})
    assert [b["retention"]["keep"] for b in listing["backups"]] == [True, False, False]


def test_progress_is_visible_early_and_follows_rclone_stats(env):
    env.populate(rows=10, big_mb=6)
    p = env.start("backup", "--follow", extra={"RCLONE_BWLIMIT": "2M"})
    # How soon it shows (target: within 2 s) is measured by Tests/backup/bench.sh; here, that a
    # running record carries progress while the upload is still going.
    first = env.wait_status(lambda r: r.get("progress") is not None, timeout=10)
    out, err = p.communicate(timeout=60)
    assert p.returncode == 0, err.decode()
    assert first["result"] == "running"
    lines = [json.loads(l) for l in out.decode().splitlines()]
    ups = [l["progress"] for l in lines if l["phase"] == "upload" and l.get("progress")
           and 0 < l["progress"]["bytes"] < l["progress"]["total"]]
    assert len(ups) >= 2, "expected several upload progress ticks from rclone stats"
    assert ups[-1]["bytes"] > ups[0]["bytes"]
    assert all(u["total"] >= 6 << 20 for u in ups)
    assert any(u["rate"] and u["eta"] is not None for u in ups)
    assert lines[-1]["result"] == "succeeded"


def test_detach_and_status(env):
    env.populate(rows=10)
    code, started = env.json("backup", "--detach")
    assert code == 0 and started["result"] == "started"
    rec = env.wait_status(lambda r: r["result"] != "running", run_id=started["id"], timeout=60)
    assert rec["result"] == "succeeded" and rec["pid"] != 0
    code, st = env.json("backup", "--status", started["id"])
    assert code == 0 and st["id"] == started["id"] and st["result"] == "succeeded"
    code, st = env.json("backup", "--status", "20000101T000000Z-0000")
    assert code == 11 and st["result"] == "not-found"


def test_upload_streams_while_a_slow_snapshot_runs(env):
    """The plain files go up while a consistent copy is still being made; the copy joins the
    archive when it is done. A server that waits 2 s before streaming its RDB (its
    repl-diskless-sync-delay, left alone by BACKUP_REDIS_TUNE_DELAY=0) makes the copy slow."""
    env.populate(rows=50, big_mb=4)
    assert env.valkey.cli("CONFIG", "SET", "repl-diskless-sync-delay", "2") == "OK"
    p = env.start("backup", "--follow", extra={"BACKUP_REDIS_TUNE_DELAY": "0", "BACKUP_STATS_INTERVAL": "250ms"})
    out, err = p.communicate(timeout=60)
    assert p.returncode == 0, err.decode()
    lines = [json.loads(l) for l in out.decode().splitlines()]

    def snapshot_open(rec):
        return any(ph["phase"] == "snapshot" and ph["ended_at"] is None for ph in rec["phases"])

    streaming = [l for l in lines if l["phase"] == "upload" and snapshot_open(l)
                 and (l.get("progress") or {}).get("bytes", 0) >= 3 << 20]
    assert streaming, "expected rclone to report the plain files uploaded before the RDB copy was done"
    final = lines[-1]
    phases = {ph["phase"]: ph for ph in final["phases"]}
    assert phases["upload"]["started_at"] < phases["snapshot"]["ended_at"]
    assert phases["snapshot"]["seconds"] >= 2
    names = [m.name for m in tarfile.open(os.path.join(env.remote, "opencode-%s.tar" % final["id"]))]
    assert names.index("redis/valkey.rdb") > names.index("opencode/data/storage/big.bin")
    assert names[-1] == "manifest.json"


def test_a_given_run_id_names_the_run_and_is_refused_twice_or_malformed(env):
    """The console passes its job's id: the record, the log and the listing use it as is."""
    env.populate(rows=10)
    rid = "20261128T202535Z-e7d1"
    rec = backup_ok(env, "--run-id", rid)
    assert rec["id"] == rid and env.status(rid)["id"] == rid
    code, again = env.json("backup", "--run-id", rid)
    assert code != 0 and "taken already" in again["error"]
    code, bad = env.json("backup", "--run-id", "restore-20261128T202535Z-e7d1")
    assert code != 0 and "not a backup id" in bad["error"]
    code, listing = env.json("list-backups")
    assert code == 0
    entry = next(b for b in listing["backups"] if b["id"] == rid)
    assert entry["local_run"]["verification"] == rec["verification"]["level"]
    code, restored = env.json("restore", rid, "--run-id", "restore-20261128T202606Z-683c")
    assert code == 0 and restored["id"] == "restore-20261128T202606Z-683c", restored
