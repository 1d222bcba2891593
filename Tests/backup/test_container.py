"""The scripts inside a real container built with them: podman exec runs a backup (foreground
and detached, as the console does), the archive lands in a bind-mounted local remote and is
checked from the host against its manifest, then a restore inside the container."""

import json
import os
import shutil
import subprocess
import tarfile
import uuid

import pytest

import bkphelp

LABEL = "opencode-ops-test=backup"
TOOLS = "localhost/opencode-ops-test/backup-tools:1"
CONF = os.path.join(bkphelp.REPO, "Tests", "Support", "containers.conf")


def podman(*args, check=True, timeout=600):
    env = dict(os.environ, CONTAINERS_CONF=CONF)
    p = subprocess.run(["podman"] + list(args), env=env, capture_output=True, timeout=timeout)
    if check and p.returncode != 0:
        raise AssertionError("podman %s: %s" % (" ".join(args[:3]), p.stderr.decode()[-2000:]))
    return p


def cleanup():
    ids = podman("ps", "-a", "-q", "--filter", "label=" + LABEL, check=False).stdout.decode().split()
    if ids:
        podman("rm", "-f", "-t", "0", *ids, check=False)
    imgs = podman("images", "-q", "--filter", "label=" + LABEL, check=False).stdout.decode().split()
    if imgs:
        podman("rmi", "-f", *sorted(set(imgs)), check=False)


@pytest.fixture
def container(tmp_path):
    bkphelp.require("podman", "debootstrap")
    bkphelp.require_root("podman")
    cleanup()
    subprocess.run([os.path.join(bkphelp.HERE, "tools-image.sh"), TOOLS], check=True,
                   env=dict(os.environ, CONTAINERS_CONF=CONF), timeout=900)
    ctx = tmp_path / "ctx"
    (ctx / "scripts").mkdir(parents=True)
    for name in ("backup", "restore", "list-backups", "verify"):
        shutil.copy2(os.path.join(bkphelp.SCRIPTS, name), str(ctx / "scripts" / name))
    shutil.copytree(os.path.join(bkphelp.SCRIPTS, "opsbackup"), str(ctx / "scripts" / "opsbackup"),
                    ignore=shutil.ignore_patterns("__pycache__"))
    (ctx / "Containerfile").write_text(
        "FROM %s\nLABEL %s\nCOPY scripts /app/scripts\n" % (TOOLS, LABEL))
    tag = "localhost/opencode-ops-test/backup-run:%s" % uuid.uuid4().hex[:8]
    podman("build", "-q", "--label", LABEL, "-t", tag, str(ctx))
    remote = tmp_path / "remote"
    remote.mkdir()
    name = "opsbk-test-%s" % uuid.uuid4().hex[:8]
    podman("run", "-d", "--name", name, "--label", LABEL, "--network", "none",
           "-v", "%s:/remote" % remote,
           "-e", "BACKUP_REMOTE=/remote", "-e", "FALKORDB_PORT=6379", "-e", "VALKEY_PORT=6380",
           "-e", "BACKUP_KEEP_LAST=5", tag, "sh", "-c",
           "redis-server --port 6379 --save '' --daemonize yes && "
           "redis-server --port 6380 --save '' --daemonize yes && exec sleep infinity")
    try:
        yield name, str(remote)
    finally:
        podman("rm", "-f", "-t", "0", name, check=False)
        podman("rmi", "-f", tag, check=False)
        cleanup()


def exec_(name, *cmd, check=True):
    return podman("exec", name, *cmd, check=check, timeout=300)


SEED = r"""
import os, sqlite3, json
d = "/root/.local/share/opencode"; os.makedirs(d + "/storage", exist_ok=True)
c = sqlite3.connect(d + "/opencode.db"); c.execute("PRAGMA journal_mode=WAL")
c.execute("CREATE TABLE IF NOT EXISTS session (id INTEGER PRIMARY KEY, title TEXT)")
c.executemany("INSERT INTO session (title) VALUES (?)", [("s%d" % i,) for i in range(300)]); c.commit()
json.dump({"x": 1}, open(d + "/storage/a.json", "w"))
os.makedirs("/root/.config/opencode", exist_ok=True)
open("/root/.config/opencode/opencode.json", "w").write("{}")
"""

COUNT = "import sqlite3; print(sqlite3.connect('/root/.local/share/opencode/opencode.db')" \
        ".execute('select count(*) from session').fetchone()[0])"


def test_backup_in_container(container):
    name, remote = container
    exec_(name, "python3", "-c", SEED)
    exec_(name, "redis-cli", "-p", "6379", "SET", "graph", "g1")
    exec_(name, "redis-cli", "-p", "6380", "SET", "cache", "c1")

    p = exec_(name, "/app/scripts/backup", "--trigger", "manual", "--json", check=False)
    rec = json.loads(p.stdout.decode().splitlines()[-1])
    assert p.returncode == 0 and rec["result"] == "succeeded", rec
    bid = rec["id"]
    archive = os.path.join(remote, "opencode-%s.tar" % bid)
    with open(os.path.join(remote, "opencode-%s.manifest.json" % bid)) as f:
        sidecar = json.load(f)
    assert sidecar["archive"]["sha256"] == bkphelp.sha256(archive)
    with tarfile.open(archive) as tar:
        names = set(tar.getnames())
    assert {"redis/falkordb.rdb", "redis/valkey.rdb", "opencode/data/opencode.db",
            "opencode/data/storage/a.json", "opencode/config/opencode.json", "manifest.json"} <= names

    # A full read-back in the container: every member checked, the databases test-restored.
    p = exec_(name, "/app/scripts/verify", bid, "--json", check=False)
    checked = json.loads(p.stdout.decode().splitlines()[-1])
    assert p.returncode == 0 and checked["result"] == "succeeded", checked
    assert checked["checked"]["sqlite"] == 1 and checked["checked"]["rdb"] == 2, checked
    again = json.loads(exec_(name, "/app/scripts/backup", "--status", checked["id"], "--json").stdout.decode())
    assert again["kind"] == "verify" and again["backup_id"] == bid
    assert exec_(name, "ls", "-A", "/var/lib/opencode-backup/staging").stdout.decode().strip() == ""

    # The console's way: detached start, then status queries through separate exec calls.
    p = exec_(name, "/app/scripts/backup", "--detach", "--json")
    started = json.loads(p.stdout.decode())
    assert started["result"] == "started"
    import time
    deadline = time.time() + 60
    st = None
    while time.time() < deadline:
        st = json.loads(exec_(name, "/app/scripts/backup", "--status", started["id"], "--json").stdout.decode())
        if st["result"] != "running":
            break
        time.sleep(0.5)
    assert st["result"] == "succeeded", st

    listing = json.loads(exec_(name, "/app/scripts/list-backups", "--json").stdout.decode())
    assert [b["state"] for b in listing["backups"]] == ["verified", "verified"]

    exec_(name, "redis-cli", "-p", "6379", "FLUSHALL")
    exec_(name, "python3", "-c", "import sqlite3; c=sqlite3.connect('/root/.local/share/opencode/opencode.db');"
                                 "c.execute('delete from session'); c.commit()")
    p = exec_(name, "/app/scripts/restore", bid, "--json", check=False)
    rrec = json.loads(p.stdout.decode().splitlines()[-1])
    assert p.returncode == 0, rrec
    assert exec_(name, "python3", "-c", COUNT).stdout.decode().strip() == "300"
    rdb = next(a["rdb"] for a in rrec["pending_actions"] if a["service"] == "falkordb")
    # The console's RDB procedure, inside the container: stop, put the file in place, start.
    exec_(name, "sh", "-c", "redis-cli -p 6379 shutdown nosave; sleep 0.3; mkdir -p /data && cp %s /data/dump.rdb && "
                            "redis-server --port 6379 --dir /data --save '' --daemonize yes && sleep 0.5" % rdb)
    assert exec_(name, "redis-cli", "-p", "6379", "GET", "graph").stdout.decode().strip() == "g1"
