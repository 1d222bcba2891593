"""Shared helpers for the backup tests: real redis-server, real rclone, real SQLite."""

import hashlib
import json
import os
import shutil
import socket
import sqlite3
import subprocess
import sys
import time

import pytest

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
SCRIPTS = os.path.join(REPO, "scripts")
PORTS = range(14200, 14300)   # this suite's host ports


def require(*tools):
    """Missing tools fail the test when OPS_REQUIRE_TOOLS=1 (CI), else skip it."""
    missing = [t for t in tools if shutil.which(t) is None]
    if missing:
        msg = "needs %s on PATH (Tests/backup/setup.sh installs it)" % ", ".join(missing)
        if os.environ.get("OPS_REQUIRE_TOOLS") == "1":
            pytest.fail(msg)
        pytest.skip(msg)


def require_root(what):
    if os.geteuid() != 0:
        msg = "%s needs root (mount)" % what
        if os.environ.get("OPS_REQUIRE_TOOLS") == "1":
            pytest.fail(msg)
        pytest.skip(msg)


def free_port():
    for port in PORTS:
        s = socket.socket()
        try:
            s.bind(("127.0.0.1", port))
        except OSError:
            continue
        finally:
            s.close()
        # Reserve it against our own other servers in this process.
        if port not in _used:
            _used.add(port)
            return port
    raise RuntimeError("no free port in 14200-14299")


_used = set()


class Redis:
    """A redis-server of our own, in its own directory, on a free port of our range."""

    def __init__(self, root, name, args=(), password=None):
        self.dir = os.path.join(root, "redis-" + name)
        os.makedirs(self.dir, exist_ok=True)
        self.port = free_port()
        self.proc = None
        self.args = list(args)
        self.password = password
        if password:
            self.args += ["--requirepass", password]
        self.start()

    def start(self):
        self.proc = subprocess.Popen(
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--dir", self.dir,
             "--save", "", "--appendonly", "no", "--dbfilename", "dump.rdb"] + self.args,
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.time() + 120   # a ceiling for "never started", not a speed check
        while time.time() < deadline:
            if self.cli("PING") == "PONG":
                return
            time.sleep(0.05)
        raise RuntimeError("redis-server on %d did not start" % self.port)

    def cli(self, *args):
        env = dict(os.environ, REDISCLI_AUTH=self.password) if self.password else None
        p = subprocess.run(["redis-cli", "--no-auth-warning", "-p", str(self.port)] + list(args), capture_output=True,
                           timeout=10, env=env)
        return p.stdout.decode().strip()

    def stop(self):
        if self.proc and self.proc.poll() is None:
            self.cli("SHUTDOWN", "NOSAVE")
            try:
                self.proc.wait(5)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()

    def load_rdb(self, rdb):
        """The documented restore procedure: stop, put the RDB in place as its dbfilename, start."""
        self.stop()
        shutil.copyfile(rdb, os.path.join(self.dir, "dump.rdb"))
        self.start()


def sha256(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for b in iter(lambda: f.read(1 << 20), b""):
            h.update(b)
    return h.hexdigest()


class Env:
    """Temp OpenCode data/config dirs, state dir, a local-directory rclone remote, two Redis."""

    def __init__(self, root):
        self.root = root
        self.data = os.path.join(root, "data")
        self.config = os.path.join(root, "config")
        self.state = os.path.join(root, "state")
        self.remote = os.path.join(root, "remote")
        for d in (self.data, self.config, self.state, self.remote):
            os.makedirs(d, exist_ok=True)
        self.falkordb = Redis(root, "falkordb")
        self.valkey = Redis(root, "valkey")
        self._db_conn = None
        self.env = {k: v for k, v in os.environ.items()
                    if not k.startswith(("B2_", "BACKUP_", "RCLONE_", "FALKORDB_", "VALKEY_", "OPENCODE_", "DD_"))}
        self.env.update({
            "OPENCODE_DATA_DIR": self.data, "OPENCODE_CONFIG_DIR": self.config,
            "BACKUP_STATE_DIR": self.state, "BACKUP_REMOTE": self.remote,
            "FALKORDB_HOST": "127.0.0.1", "FALKORDB_PORT": str(self.falkordb.port),
            "VALKEY_HOST": "127.0.0.1", "VALKEY_PORT": str(self.valkey.port),
            "RCLONE_CONFIG": os.path.join(root, "rclone.conf"),
        })
        open(self.env["RCLONE_CONFIG"], "w").close()

    def populate(self, rows=2000, blob_kb=0, big_mb=0):
        """Redis keys, a WAL-mode SQLite database with uncheckpointed rows, files, config."""
        self.falkordb.cli("SET", "graph:node:1", "alice")
        self.falkordb.cli("HSET", "graph:edge:1", "from", "1", "to", "2")
        self.valkey.cli("SET", "session:abc", "token-value")
        self.valkey.cli("RPUSH", "queue", "a", "b", "c")
        db = os.path.join(self.data, "opencode.db")
        conn = sqlite3.connect(db)
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("PRAGMA wal_autocheckpoint=0")   # keep rows in the -wal file
        conn.execute("CREATE TABLE IF NOT EXISTS session (id INTEGER PRIMARY KEY, title TEXT, body BLOB)")
        blob = os.urandom(blob_kb * 1024) if blob_kb else b""
        conn.executemany("INSERT INTO session (title, body) VALUES (?, ?)",
                         [("session %d" % i, blob) for i in range(rows)])
        conn.commit()
        self._db_conn = conn   # held open so the WAL is not checkpointed into the main file
        os.makedirs(os.path.join(self.data, "storage", "session"), exist_ok=True)
        for i in range(5):
            with open(os.path.join(self.data, "storage", "session", "ses_%d.json" % i), "w") as f:
                json.dump({"id": i, "title": "session %d" % i}, f)
        with open(os.path.join(self.data, "auth.json"), "w") as f:
            f.write('{"provider": "none"}\n')
        os.makedirs(os.path.join(self.data, "bin"), exist_ok=True)
        with open(os.path.join(self.data, "bin", "rg"), "wb") as f:
            f.write(b"excluded tool binary")
        if big_mb:
            with open(os.path.join(self.data, "storage", "big.bin"), "wb") as f:
                for _ in range(big_mb):
                    f.write(os.urandom(1 << 20))
        with open(os.path.join(self.config, "opencode.json"), "w") as f:
            f.write('{"$schema": "https://opencode.ai/config.json"}\n')
        os.makedirs(os.path.join(self.config, "plugin"), exist_ok=True)
        with open(os.path.join(self.config, "plugin", "memory.js"), "w") as f:
            f.write("export default {}\n")

    def db_rows(self):
        conn = sqlite3.connect(os.path.join(self.data, "opencode.db"))
        try:
            return conn.execute("SELECT count(*) FROM session").fetchone()[0]
        finally:
            conn.close()

    def close(self):
        if self._db_conn:
            self._db_conn.close()
        self.falkordb.stop()
        self.valkey.stop()
        # The range holds 100 ports and a run has more tests than that needs: give them back.
        _used.difference_update((self.falkordb.port, self.valkey.port))

    def argv(self, script, *args):
        return [sys.executable, os.path.join(SCRIPTS, script)] + list(args)

    def run(self, script, *args, extra=None, timeout=120):
        env = dict(self.env, **(extra or {}))
        return subprocess.run(self.argv(script, *args), env=env, capture_output=True, timeout=timeout)

    def start(self, script, *args, extra=None):
        env = dict(self.env, **(extra or {}))
        return subprocess.Popen(self.argv(script, *args), env=env, stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE)

    def json(self, script, *args, extra=None, timeout=120):
        p = self.run(script, *(list(args) + ["--json"]), extra=extra, timeout=timeout)
        lines = [l for l in p.stdout.decode().splitlines() if l.strip()]
        assert lines, "no JSON from %s: stderr=%s" % (script, p.stderr.decode())
        return p.returncode, json.loads(lines[-1])

    def status(self, run_id):
        with open(os.path.join(self.state, "runs", run_id, "status.json")) as f:
            return json.load(f)

    def runs(self):
        d = os.path.join(self.state, "runs")
        return sorted(os.listdir(d)) if os.path.isdir(d) else []

    def remote_files(self):
        return sorted(os.listdir(self.remote))

    def wait_status(self, pred, timeout=30, run_id=None):
        """Poll status records until pred(record) holds; returns the record. The wait ends as soon
        as pred holds, so its ceiling is at least two minutes: a busy machine must not fail it."""
        timeout = max(timeout, 120)
        deadline = time.time() + timeout
        while time.time() < deadline:
            for rid in ([run_id] if run_id else self.runs()):
                try:
                    rec = self.status(rid)
                except (OSError, ValueError):
                    continue
                if pred(rec):
                    return rec
            time.sleep(0.05)
        raise AssertionError("status condition not reached in %ss" % timeout)
