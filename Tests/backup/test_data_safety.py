"""What a backup or a restore must never lose (scripts/BACKUPS.md, "What can and cannot be
lost"): one test per way data was lost before, with real redis-server, rclone to a local
directory, SQLite and the real file system."""

import datetime
import glob
import hashlib
import io
import json
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import tarfile
import threading
import time

import pytest

import bkphelp

sys.path.insert(0, bkphelp.SCRIPTS)
from opsbackup import archive, config, state  # noqa: E402
from opsbackup.backup.pipeline import BackupJob  # noqa: E402


# -- helpers ---------------------------------------------------------------------------------
def backup(env, *args, extra=None):
    code, rec = env.json("backup", *args, extra=extra)
    assert code == 0, rec
    return rec["id"]


def restore(env, bid, *args, extra=None):
    return env.json("restore", bid, *args, extra=extra)


def session(env, i):
    return os.path.join(env.data, "storage", "session", "ses_%d.json" % i)


def read(path):
    with open(path, "rb") as f:
        return f.read()


def write(path, data):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "wb") as f:
        f.write(data if isinstance(data, bytes) else data.encode())


def tree(root):
    """{relative path: sha256 or "-> target"} of every file and link under root."""
    out = {}
    for dirpath, dirnames, filenames in os.walk(root):
        for name in filenames + [d for d in dirnames if os.path.islink(os.path.join(dirpath, d))]:
            full = os.path.join(dirpath, name)
            rel = os.path.relpath(full, root)
            if os.path.islink(full):
                out[rel] = "-> " + os.readlink(full)
            elif rel.endswith(".db"):   # a database's content, not its pages
                conn = sqlite3.connect(full)
                out[rel] = hashlib.sha256("\n".join(conn.iterdump()).encode()).hexdigest()
                conn.close()
            elif not rel.endswith(("-wal", "-shm")):
                out[rel] = bkphelp.sha256(full)
    return out


def leftovers(*roots):
    return [p for r in roots for p in glob.glob(os.path.join(r, "**", "*restore-tmp*"), recursive=True)]


def in_process_job(env, after_snapshot, extra=None):
    """A real backup run in this process, with a hook between the listing of the files and
    the packing (where a live server changes files)."""
    cfg = config.Config(dict(env.env, **(extra or {})))
    os.makedirs(os.path.join(cfg.state_dir, "runs"), exist_ok=True)
    run = state.Run(cfg, state.new_run_id(), "backup", "manual")

    class Job(BackupJob):
        def snapshot(self):
            super().snapshot()
            after_snapshot()

    code = Job(cfg, run, "manual", False).execute()
    return code, run.record


def sidecar_manifest(env, bid):
    with open(os.path.join(env.remote, "opencode-%s.manifest.json" % bid)) as f:
        return json.load(f)


def instance_of(env):
    try:
        with open(os.path.join(env.state, "instance-id")) as f:
            return f.read().strip()
    except FileNotFoundError:
        return None


def copy_backup(env, bid, new_id, change=None):
    """Another backup on the remote made from bid's objects, as another run (or another
    server) would have left it; change(manifest) edits its uploaded manifest."""
    shutil.copyfile(os.path.join(env.remote, "opencode-%s.tar" % bid), os.path.join(env.remote, "opencode-%s.tar" % new_id))
    m = sidecar_manifest(env, bid)
    m["id"] = new_id
    m["archive"]["name"] = "opencode-%s.tar" % new_id
    if change:
        change(m)
    write(os.path.join(env.remote, "opencode-%s.manifest.json" % new_id), json.dumps(m))


def craft_backup(env, bid, members):
    """A backup written by someone else into the bucket: members are (TarInfo, bytes or None);
    the manifests list them with correct sha256 and sizes, so every integrity check passes."""
    files = []
    for ti, data in members:
        if ti.issym():
            files.append({"path": ti.name, "type": "symlink", "target": ti.linkname, "size": 0, "method": "copy"})
        else:
            files.append({"path": ti.name, "type": "file", "size": len(data), "method": "copy",
                          "sha256": hashlib.sha256(data).hexdigest(), "mode": "%04o" % ti.mode})
    inner = {"schema": 1, "id": bid, "created_at": state.iso(state.id_time(bid)), "host": "elsewhere",
             "files": files, "sources": {"config": {}}, "total_bytes": sum(f["size"] for f in files)}
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w", format=tarfile.PAX_FORMAT) as tar:
        for ti, data in members:
            tar.addfile(ti, io.BytesIO(data) if data is not None else None)
        body = json.dumps(inner).encode()
        ti = tarfile.TarInfo("manifest.json")
        ti.size = len(body)
        tar.addfile(ti, io.BytesIO(body))
    raw = buf.getvalue()
    write(os.path.join(env.remote, "opencode-%s.tar" % bid), raw)
    outer = dict(inner, archive={"name": "opencode-%s.tar" % bid, "bytes": len(raw),
                                 "sha256": hashlib.sha256(raw).hexdigest()}, verified_at=inner["created_at"])
    write(os.path.join(env.remote, "opencode-%s.manifest.json" % bid), json.dumps(outer))


def member(name, data=None, link=None, mode=0o644):
    ti = tarfile.TarInfo(name)
    if link is not None:
        ti.type = tarfile.SYMTYPE
        ti.linkname = link
    else:
        ti.size = len(data)
        ti.mode = mode
    return ti, data


# -- 1. a file changed during the upload ---------------------------------------------------
def test_a_file_rewritten_longer_after_the_listing_is_archived_whole(env):
    env.populate(rows=10)
    longer = json.dumps({"title": "a new, longer title than before", "messages": ["x" * 200] * 20})

    def rewrite():
        write(session(env, 1), longer)

    code, rec = in_process_job(env, rewrite)
    assert code == 0, rec
    write(session(env, 1), "{}")
    code, rrec = restore(env, rec["id"], "--only", "data")
    assert code == 0, rrec
    assert json.loads(read(session(env, 1))) == json.loads(longer)


def test_a_file_changed_while_it_is_read_is_read_again(tmp_path):
    """A large file (streamed, not read whole) rewritten while its bytes are on their way:
    the archive's last copy of it, the one a restore writes, is the new content whole."""
    path = str(tmp_path / "big.bin")
    size = 24 << 20
    write(path, b"A" * size)
    changed = threading.Event()

    class Out:
        def __init__(self):
            self.buf = io.BytesIO()

        def write(self, b):
            if not changed.is_set():
                # The packing thread is mid-file: the sink's queue holds at most 8 chunks.
                with open(path, "r+b") as f:
                    f.write(b"B" * size)
                changed.set()
            self.buf.write(b)

        def flush(self):
            pass

    st = os.lstat(path)
    members = [{"arcname": "opencode/data/big.bin", "path": path, "kind": "file", "size": st.st_size,
                "mode": st.st_mode, "mtime": st.st_mtime, "method": "copy"}]
    out = Out()
    manifest, digest, n = archive.write_archive(iter(members), out, lambda: {"id": "x"})
    assert changed.is_set()
    tar_path = str(tmp_path / "a.tar")
    write(tar_path, out.buf.getvalue())
    got = archive.verify_and_extract(tar_path, str(tmp_path / "x"))
    assert read(str(tmp_path / "x" / "opencode" / "data" / "big.bin")) == b"B" * size
    assert got["files"][0]["sha256"] == hashlib.sha256(b"B" * size).hexdigest()


def test_a_file_deleted_during_the_run_is_skipped_with_a_warning(env):
    env.populate(rows=10)
    code, rec = in_process_job(env, lambda: os.unlink(session(env, 2)))
    assert code == 0, rec
    assert rec["verified"] is True
    assert any("ses_2.json" in w and "vanished" in w for w in rec.get("warnings", [])), rec.get("warnings")
    names = [f["path"] for f in sidecar_manifest(env, rec["id"])["files"]]
    assert "opencode/data/storage/session/ses_3.json" in names
    assert "opencode/data/storage/session/ses_2.json" not in names


# -- 2. a restore keeps what it replaces ---------------------------------------------------
def edit_live(env):
    """Changes made after the backup, which a failed restore must leave as they are."""
    conn = sqlite3.connect(os.path.join(env.data, "opencode.db"))
    conn.execute("INSERT INTO session (title) VALUES ('after the backup')")
    conn.commit()
    conn.close()
    write(session(env, 0), json.dumps({"id": 0, "title": "edited after the backup"}))
    write(os.path.join(env.data, "auth.json"), '{"provider": "newer"}\n')


def test_a_restore_that_fails_halfway_rolls_back_what_it_applied(env):
    bkphelp.require("chattr")
    env.populate(rows=20)
    bid = backup(env)
    edit_live(env)
    rows = env.db_rows()
    before = tree(env.data)
    locked = os.path.join(env.config, "opencode.json")
    subprocess.run(["chattr", "+i", locked], check=True)   # the config part cannot be replaced
    try:
        code, rec = restore(env, bid)
    finally:
        subprocess.run(["chattr", "-i", locked], check=True)
    assert code != 0 and rec["result"] == "failed", rec
    assert "rolled back" in rec["error"], rec["error"]
    assert env.db_rows() == rows
    assert json.loads(read(session(env, 0)))["title"] == "edited after the backup"
    assert tree(env.data) == before
    assert leftovers(env.data, env.config) == []


def test_a_restore_onto_a_full_disk_changes_nothing(env):
    bkphelp.require_root("mount")
    bkphelp.require("mount")
    env.close()
    env.data = os.path.join(env.root, "small-data")
    os.makedirs(env.data)
    subprocess.run(["mount", "-t", "tmpfs", "-o", "size=4m", "tmpfs", env.data], check=True)
    try:
        env.env["OPENCODE_DATA_DIR"] = env.data
        env.falkordb = bkphelp.Redis(env.root, "falkordb2")
        env.valkey = bkphelp.Redis(env.root, "valkey2")
        env.env.update(FALKORDB_PORT=str(env.falkordb.port), VALKEY_PORT=str(env.valkey.port))
        env.populate(rows=10)
        write(os.path.join(env.data, "storage", "blob.bin"), os.urandom(1500 * 1024))
        bid = backup(env)
        write(os.path.join(env.data, "auth.json"), '{"provider": "newer"}\n')
        write(os.path.join(env.data, "filler"), b"\0" * (2200 * 1024))   # the disk is now nearly full
        before = tree(env.data)
        code, rec = restore(env, bid, "--only", "data")
        assert code == 5 and rec["error_kind"] == "disk-full", rec
        assert "nothing was changed" in rec["error"]
        assert tree(env.data) == before
        assert read(os.path.join(env.data, "auth.json")) == b'{"provider": "newer"}\n'
        assert leftovers(env.data) == []
    finally:
        env._db_conn and env._db_conn.close()
        env._db_conn = None
        subprocess.run(["umount", "-l", env.data], check=False)


def test_restore_undo_puts_the_previous_state_back(env):
    env.populate(rows=20)
    bid = backup(env)
    edit_live(env)
    write(os.path.join(env.data, "storage", "new-after-backup.json"), "{}")
    rows = env.db_rows()
    before = tree(env.data)
    code, rec = restore(env, bid, "--delete-extra", "--only", "data")
    assert code == 0, rec
    assert env.db_rows() == 20
    assert not os.path.exists(os.path.join(env.data, "storage", "new-after-backup.json"))
    assert os.path.isdir(rec["previous"]) and rec["previous"].startswith(os.path.join(env.state, "restore", rec["id"]))
    code, undo = env.json("restore", "--undo", rec["id"])
    assert code == 0 and undo["undo_of"] == rec["id"], undo
    assert env.db_rows() == rows
    assert tree(env.data) == before
    code, again = env.json("restore", "--undo", rec["id"])
    assert code == 2 and "already undone" in again["error"]


# -- 3. no writes through symlinks ---------------------------------------------------------
def test_a_restore_never_writes_through_a_symlinked_folder(env):
    env.populate(rows=5)
    bid = backup(env)
    shared = os.path.join(env.root, "shared-plugins")
    write(os.path.join(shared, "memory.js"), "shared by another tool\n")
    shutil.rmtree(os.path.join(env.config, "plugin"))
    os.symlink(shared, os.path.join(env.config, "plugin"))
    code, rec = restore(env, bid)
    assert code == 10 and "symlink" in rec["error"] and "nothing was changed" in rec["error"], rec
    assert read(os.path.join(shared, "memory.js")) == b"shared by another tool\n"


def test_a_crafted_archive_cannot_write_outside_the_roots(env):
    env.populate(rows=5)
    outside = os.path.join(env.root, "outside")
    os.makedirs(outside)
    bid = "20260301T000000Z-0bad"
    craft_backup(env, bid, [
        member("opencode/config/evil", link=outside),
        member("opencode/config/evil/pwned", b"written through the link"),
    ])
    code, rec = restore(env, bid)
    assert code == 10 and "under the symlink member" in rec["error"], rec
    assert os.listdir(outside) == []


def test_links_leaving_the_root_and_setuid_bits_are_not_restored(env):
    env.populate(rows=5)
    bid = "20260301T000000Z-0bae"
    craft_backup(env, bid, [
        member("opencode/config/abs", link="/etc"),
        member("opencode/config/up", link="../../outside"),
        member("opencode/config/ok", link="plugin/memory.js"),
        member("opencode/config/tool.sh", b"#!/bin/sh\n", mode=0o6755),
    ])
    code, rec = restore(env, bid)
    assert code == 0, rec
    assert not os.path.lexists(os.path.join(env.config, "abs"))
    assert not os.path.lexists(os.path.join(env.config, "up"))
    assert os.readlink(os.path.join(env.config, "ok")) == "plugin/memory.js"
    assert len([w for w in rec.get("warnings", []) if "points outside" in w]) == 2
    assert os.stat(os.path.join(env.config, "tool.sh")).st_mode & 0o7777 == 0o755


# -- 4 and 5. retention --------------------------------------------------------------------
def test_retention_refuses_to_prune_when_a_backup_is_dated_in_the_future(env):
    env.populate(rows=5)
    first = backup(env)
    mine = instance_of(env)
    ahead = state.utcnow() + datetime.timedelta(days=365)
    for i in range(3):
        t = ahead + datetime.timedelta(hours=i)
        copy_backup(env, first, state.new_run_id(t), lambda m, t=t: m.update(created_at=state.iso(t), instance=mine))
    before = env.remote_files()
    code, rec = env.json("backup", extra={"BACKUP_KEEP_LAST": "3"})
    assert code == 8 and rec["error_kind"] == "retention-failed", rec
    assert "clock" in rec["error"] and "nothing was deleted" in rec["error"]
    assert rec["verified"] is True
    assert set(before) <= set(env.remote_files())
    assert "opencode-%s.tar" % first in env.remote_files()


def test_retention_prunes_only_this_instances_backups(env):
    env.populate(rows=5)
    other_state = os.path.join(env.root, "other-state")
    other = backup(env, extra={"BACKUP_STATE_DIR": other_state, "BACKUP_INSTANCE_ID": "other-server"})
    assert sidecar_manifest(env, other)["instance"] == "other-server"
    mine = [backup(env, extra={"BACKUP_KEEP_LAST": "1"}) for _ in range(2)]
    files = env.remote_files()
    assert "opencode-%s.tar" % other in files and "opencode-%s.manifest.json" % other in files
    assert "opencode-%s.tar" % mine[0] not in files   # this instance's own older backup did go
    code, listing = env.json("list-backups", extra={"BACKUP_KEEP_LAST": "1"})
    entry = next(b for b in listing["backups"] if b["id"] == other)
    assert entry["instance"] == "other-server" and entry["retention"]["keep"]


def test_an_old_format_backup_still_lists_restores_and_is_never_pruned(env):
    """Manifests written before instance ids existed: readable by this restore, never pruned."""
    env.populate(rows=7)
    bid = backup(env)
    old = state.new_run_id(state.utcnow() - datetime.timedelta(days=3))
    copy_backup(env, bid, old, lambda m: m.pop("instance"))
    code, listing = env.json("list-backups")
    assert code == 0 and next(b for b in listing["backups"] if b["id"] == old)["state"] == "verified"
    backup(env, extra={"BACKUP_KEEP_LAST": "1"})
    assert "opencode-%s.tar" % old in env.remote_files()
    conn = sqlite3.connect(os.path.join(env.data, "opencode.db"))
    conn.execute("DELETE FROM session")
    conn.commit()
    conn.close()
    code, rec = restore(env, old, "--only", "data")
    assert code == 0, rec
    assert env.db_rows() == 7


# -- 6. verified means the archive is whole ------------------------------------------------
def test_a_truncated_archive_is_not_verified_and_retention_keeps_the_good_one(env):
    env.populate(rows=5, big_mb=1)
    good = backup(env)
    broken = backup(env)
    arc = os.path.join(env.remote, "opencode-%s.tar" % broken)
    with open(arc, "r+b") as f:
        f.truncate(os.path.getsize(arc) // 2)
    code, listing = env.json("list-backups")
    states = {b["id"]: b["state"] for b in listing["backups"]}
    assert states == {good: "verified", broken: "corrupt"}, states
    backup(env, extra={"BACKUP_KEEP_LAST": "2"})
    assert "opencode-%s.tar" % good in env.remote_files()
    code, rec = restore(env, broken)
    assert code == 10 and "corrupt" in rec["error"], rec


def test_a_truncated_manifest_is_not_verified(env):
    env.populate(rows=5)
    bid = backup(env)
    path = os.path.join(env.remote, "opencode-%s.manifest.json" % bid)
    data = read(path)
    write(path, data[:len(data) // 2])
    code, listing = env.json("list-backups")
    assert code == 0 and [b["state"] for b in listing["backups"]] == ["corrupt"]


# -- 7. a malformed name is foreign, never fatal --------------------------------------------
def test_a_malformed_name_is_skipped_and_counted(env):
    env.populate(rows=5)
    write(os.path.join(env.remote, "opencode-20261399T999999Z-abcd.tar"), b"not ours")
    bid = backup(env, extra={"BACKUP_KEEP_LAST": "1"})
    code, listing = env.json("list-backups")
    assert code == 0 and listing["foreign"] == 1
    assert [b["id"] for b in listing["backups"]] == [bid]
    p = env.run("list-backups")
    assert p.returncode == 0 and b"Traceback" not in p.stderr
    assert read(os.path.join(env.remote, "opencode-20261399T999999Z-abcd.tar")) == b"not ours"


# -- 8. a status check never makes a run busy ----------------------------------------------
PROBE = """
import sys, time
sys.path.insert(0, sys.argv[1])
from opsbackup import state
lock = state.Lock(sys.argv[2])
end = time.time() + float(sys.argv[3])
while time.time() < end:
    lock.holder()
"""


def test_status_probes_never_make_a_backup_busy(env):
    env.populate(rows=5)
    extra = {"BACKUP_SOURCES": "config"}
    backup(env, extra=extra)   # the lock file exists from here on
    probes = [subprocess.Popen([sys.executable, "-c", PROBE, bkphelp.SCRIPTS, env.state, "600"]) for _ in range(2)]
    try:
        codes = [env.json("backup", extra=extra)[0] for _ in range(8)]
    finally:
        for p in probes:
            p.kill()
            p.wait()
    assert codes == [0] * 8


def test_a_refused_run_is_recorded(env):
    env.populate(rows=5)
    lock = state.Lock(env.state)
    holder = {"id": "20260101T000000Z-aaaa", "kind": "backup", "trigger": "manual", "started_at": "x", "pid": os.getpid()}
    assert lock.acquire(holder)
    try:
        code, busy = env.json("backup", "--trigger", "scheduled")
    finally:
        lock.release()
    assert code == 9 and busy["result"] == "busy"
    code, runs = env.json("list-backups", "--runs")
    refused = runs["refused"]
    assert len(refused) == 1 and refused[0]["trigger"] == "scheduled" and refused[0]["exit_code"] == 9
    assert refused[0]["running"]["id"] == holder["id"]


# -- 9. a run killed with its container ----------------------------------------------------
def test_a_killed_run_is_closed_as_interrupted_and_its_staging_removed(env):
    env.populate(rows=2000, big_mb=4)
    p = env.run("backup", "--detach", "--json", extra={"RCLONE_BWLIMIT": "1M"})
    started = json.loads(p.stdout.decode().splitlines()[-1])
    rid = started["id"]
    rec = env.wait_status(lambda r: r["phase"] == "upload" and r.get("child_pid"), run_id=rid, timeout=120)
    staging = os.path.join(env.state, "staging", rid)
    assert os.path.isdir(staging)
    for pid in (rec["pid"], rec["child_pid"]):   # as a container stop would: no chance to clean up
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
    deadline = time.time() + 60
    while time.time() < deadline and state.Lock(env.state).holder():
        time.sleep(0.1)
    assert env.status(rid)["result"] == "running"   # nothing could write the end
    # Before any run closes it, the readers already show it as interrupted, with its phase.
    _, shown = env.json("backup", "--status", rid)
    assert shown["result"] == "failed" and shown["error_kind"] == "interrupted", shown
    assert "interrupted during upload" in shown["error"]
    _, history = env.json("list-backups", "--runs")
    listed = next(r for r in history["runs"] if r["id"] == rid)
    assert listed["error_kind"] == "interrupted" and "interrupted during upload" in listed["error"], listed
    backup(env)
    closed = env.status(rid)
    assert closed["result"] == "failed" and closed["error_kind"] == "interrupted", closed
    assert closed["failed_phase"] == "upload" and "interrupted during upload" in closed["error"]
    assert not os.path.exists(staging)


# -- 10. the smaller ones ------------------------------------------------------------------
def test_module_versions_are_recorded(env, tmp_path):
    bkphelp.require("gcc")
    src = tmp_path / "mod.c"
    src.write_text(
        "typedef int (*get_api_fn)(const char *, void *);\n"
        "typedef void (*set_attribs_fn)(void *, const char *, int, int);\n"
        "int RedisModule_OnLoad(void *ctx, void **argv, int argc) {\n"
        "    (void)argv; (void)argc;\n"
        "    get_api_fn get_api = (get_api_fn)((void **)ctx)[0];\n"
        "    set_attribs_fn set_attribs = 0;\n"
        "    if (get_api(\"RedisModule_SetModuleAttribs\", &set_attribs) != 0 || !set_attribs) return 1;\n"
        "    set_attribs(ctx, \"opsbk\", 7, 1);\n"
        "    return 0;\n}\n")
    so = str(tmp_path / "mod.so")
    subprocess.run(["gcc", "-shared", "-fPIC", "-o", so, str(src)], check=True)
    env.falkordb.stop()
    env.falkordb = bkphelp.Redis(env.root, "falkordb-mod", args=["--loadmodule", so])
    env.env["FALKORDB_PORT"] = str(env.falkordb.port)
    env.populate(rows=5)
    bid = backup(env)
    facts = sidecar_manifest(env, bid)["sources"]["falkordb"]
    assert facts["modules"] == ["opsbk"] and facts["module_versions"] == {"opsbk": 7}


def test_the_snapshot_authenticates_with_the_sidecar_passwords(env):
    env.falkordb.stop()
    env.valkey.stop()
    env.falkordb = bkphelp.Redis(env.root, "falkordb-pw", password="falkor-secret-1")
    env.valkey = bkphelp.Redis(env.root, "valkey-pw", password="valkey-secret-2")
    env.env.update(FALKORDB_PORT=str(env.falkordb.port), VALKEY_PORT=str(env.valkey.port),
                   FALKORDB_PASSWORD="falkor-secret-1", VALKEY_PASSWORD="valkey-secret-2")
    env.populate(rows=5)
    bid = backup(env)
    with tarfile.open(os.path.join(env.remote, "opencode-%s.tar" % bid)) as tar:
        assert {"redis/falkordb.rdb", "redis/valkey.rdb"} <= set(tar.getnames())
    log = read(os.path.join(env.state, "runs", bid, "run.log"))
    assert b"falkor-secret-1" not in log and b"valkey-secret-2" not in log


# -- 18.11 and 18.12 -----------------------------------------------------------------------
def test_run_ids_are_checked_in_every_subcommand(env):
    write(os.path.join(env.root, "outside", "run.log"), "OUTSIDE THE STATE FOLDER\n")
    write(os.path.join(env.root, "outside", "status.json"), '{"id": "x", "result": "succeeded"}')
    os.makedirs(os.path.join(env.state, "runs"), exist_ok=True)
    for args in (["backup", "--log", "../../outside"], ["backup", "--status", "../../outside", "--json"],
                 ["backup", "--status", "../../outside", "--follow"], ["restore", "../../outside", "--json"],
                 ["restore", "--undo", "../../outside", "--json"], ["restore", "--undo", "20260101T000000Z-abcd"]):
        p = env.run(*args)
        assert p.returncode == 2, (args, p.stdout, p.stderr)
        assert b"OUTSIDE THE STATE FOLDER" not in p.stdout + p.stderr
        assert b"is not a" in p.stdout + p.stderr


def test_inline_remote_credentials_are_masked(env):
    env.populate(rows=5)
    remote = ":local,description=hunter2secretX:" + env.remote
    extra = {"BACKUP_REMOTE": remote}
    code, rec = env.json("backup", extra=extra)
    assert code == 0, rec
    assert rec["remote"] == ":local,description=***:" + env.remote
    code, listing = env.json("list-backups", extra=extra)
    shown = [json.dumps(rec), json.dumps(listing), env.run("list-backups", extra=extra).stdout.decode(),
             env.run("backup", "--status", rec["id"], extra=extra).stdout.decode(),
             env.run("backup", "--log", rec["id"], extra=extra).stdout.decode(),
             env.run("list-backups", "--runs", "--json", extra=extra).stdout.decode()]
    for text in shown:
        assert "hunter2secretX" not in text
    assert "description=***" in shown[1]
