"""`verify ID` (or `verify --latest`, the scheduled drill): read a backup back from the remote
and prove it restores.

The archive streams from `rclone cat` straight into a tar reader: the whole archive's sha256
and every member's sha256 are checked against the manifest as the bytes arrive, and only the
members a test restore needs (SQLite databases, RDB files) are written, to a scratch folder.
Then each SQLite copy passes `PRAGMA integrity_check` and each RDB is loaded into a scratch
`redis-server` (or checked by `redis-check-rdb`). The scratch folder and the scratch server
go when the run ends, whatever the outcome; after a SIGKILL the next run that takes the lock
removes the folder (state.close_orphans) and the server has already died with its parent."""

from __future__ import annotations

import argparse
import concurrent.futures
import ctypes
import hashlib
import itertools
import json
import os
import queue
import shutil
import signal
import sqlite3
import subprocess
import sys
import tarfile
import threading
import time
from typing import IO, Any, Dict, List, Optional, Tuple

from . import archive, errors, rclone, report, state
from .cli import Interrupted, on_signal, print_json, refuse_busy
from .config import Config, load_env_from_pid
from .listing import _DECRYPT_ERROR, ARCHIVE_FMT, MANIFEST_FMT, created_at, locations, remote_backups
from .restore_cmd import fetch_manifest
from .tarstream import TarStream
from .verify_record import MEMBERS_FILE

# Exit code of a verify that read the backup and found it damaged (a member's sha256, the
# archive's, a test restore): the backup cannot be trusted. Other codes as errors.py.
DAMAGED = 1
DAMAGED_KIND = "damaged"
NOTABLE_KEEP = 50          # members named in the record itself; all of them are in members.jsonl
REDIS_START_TIMEOUT = 120  # seconds for a scratch redis-server to load one RDB
TOO_NEW = "Can't handle RDB format version"   # what redis-check-rdb and redis-server say


class Damaged(errors.OpsError):
    def __init__(self, message: str, phase: Optional[str] = None) -> None:
        super().__init__(DAMAGED, message, phase)


try:
    _PRCTL = ctypes.CDLL(None, use_errno=True).prctl   # loaded here: the child after fork only calls it
except (OSError, AttributeError):
    _PRCTL = None


def _die_with_parent() -> None:
    """preexec_fn: the scratch redis-server gets SIGKILL when verify dies, even by SIGKILL."""
    if _PRCTL is not None:
        _PRCTL(1, signal.SIGKILL)   # PR_SET_PDEATHSIG


class HashingReader:
    """The archive as rclone streams it: the tar reader reads through this, and a second
    thread hashes every byte (hashlib releases the GIL, so it overlaps the member hashes).
    It reads the pipe in large pieces and serves the tar reader's small reads (headers) from
    the last one, so each piece is queued and hashed once."""

    def __init__(self, pipe: IO[bytes]) -> None:
        self.pipe = pipe
        self.n = 0
        self.h = hashlib.sha256()
        self.buf = b""
        self.pos = 0
        self.chunks: "queue.Queue[Optional[bytes]]" = queue.Queue(16)
        self.thread = threading.Thread(target=self._hash, daemon=True)
        self.thread.start()

    def _hash(self) -> None:
        while True:
            b = self.chunks.get()
            if b is None:
                return
            self.h.update(b)

    def read(self, size: int = -1) -> bytes:
        if self.pos >= len(self.buf):
            b = self.pipe.read1(archive.COPY_BUF) if hasattr(self.pipe, "read1") else self.pipe.read(archive.COPY_BUF)
            if not b:
                return b""
            self.n += len(b)
            self.chunks.put(b)
            self.buf, self.pos = b, 0
        if size is None or size < 0:
            size = len(self.buf) - self.pos
        if self.pos == 0 and size >= len(self.buf):
            self.pos = len(self.buf)
            return self.buf
        out = self.buf[self.pos:self.pos + size]
        self.pos += len(out)
        return out

    def drain(self) -> None:
        """Read what the tar reader left (end-of-archive blocks), so the hash covers it all."""
        while self.read(archive.COPY_BUF):
            pass

    def hexdigest(self) -> str:
        self.chunks.put(None)
        self.thread.join()
        return self.h.hexdigest()


SQLITE_MAGIC = b"SQLite format 3\0"


def _looks_sqlite(path: str, first: bytes) -> bool:
    """What the backup copies through SQLite's backup API: a database file by name and header."""
    return path.endswith((".db", ".sqlite", ".sqlite3")) and first.startswith(SQLITE_MAGIC)


def _is_rdb(path: str) -> bool:
    return path.startswith("redis/") and path.endswith(".rdb")


class VerifyJob:
    def __init__(self, cfg: Config, run: state.Run, backup_id: str) -> None:
        self.cfg, self.run, self.backup_id = cfg, run, backup_id
        self.staging = os.path.join(cfg.staging_dir, run.id)
        self.rc = rclone.Rclone(cfg, run.log, on_start=lambda pid: run.set(child_pid=pid))
        self.servers: List[subprocess.Popen] = []
        self.members: List[Dict[str, Any]] = []
        self.current: Optional[str] = None   # the member being read, to name it when the stream breaks
        self.reached: Optional[str] = None   # the last member whose header was read
        self.encrypted = False
        self.damaged = False
        # Test restores start as soon as their member is written, beside the download.
        self.pool = concurrent.futures.ThreadPoolExecutor(max_workers=2)
        self.tests: Dict[str, "concurrent.futures.Future[Tuple[bool, str]]"] = {}
        # The uploaded manifest, read beside the archive (an RDB's test waits for its modules).
        self.side = concurrent.futures.ThreadPoolExecutor(max_workers=1)
        self.manifest: Optional["concurrent.futures.Future[Optional[Dict[str, Any]]]"] = None

    # -- the run -----------------------------------------------------------------------------
    def execute(self) -> int:
        run = self.run
        failed_phase = None
        try:
            run.set(backup_id=self.backup_id)
            run.phase("download")
            os.makedirs(self.staging, mode=0o700, exist_ok=True)
            seen, inner, sidecar = self.read_back()
            run.phase("check")
            problems = self.compare(sidecar, seen, inner)
            run.phase("test-restore")
            problems += self.test_restore(sidecar)
            self.write_members()
            if problems:
                more = " (+%d more)" % (len(problems) - 3) if len(problems) > 3 else ""
                raise Damaged("backup %s is damaged: %s%s" % (self.backup_id, "; ".join(problems[:3]), more))
            run.set(verified=True)
            run.log("backup %s verified: %s" % (self.backup_id, self.summary_text()))
            code, error = errors.OK, None
        except errors.OpsError as e:
            code, error, failed_phase = e.code, e.message, e.phase
            self.damaged = isinstance(e, Damaged)
        except Exception as e:
            code, error = errors.unexpected(e, run.log)
        finally:
            self.cleanup()
        self.finish(code, error, failed_phase)
        return code

    def finish(self, code: int, error: Optional[str], failed_phase: Optional[str] = None) -> None:
        self.write_members()
        self.run.record.pop("child_pid", None)
        report.report_run(self.cfg, self.run, code, error)   # Datadog, when DD_API_KEY is set; never fails the run
        self.run.finish(code, error, failed_phase)
        if self.damaged:
            self.run.set(error_kind=DAMAGED_KIND)

    def cleanup(self) -> None:
        """No scratch file and no scratch server outlive the run."""
        self.rc.kill()
        self.side.shutdown(wait=False, cancel_futures=True)
        self.pool.shutdown(wait=False, cancel_futures=True)
        for p in list(self.servers):
            _stop_server(p)
        self.pool.shutdown(wait=True)
        for p in list(self.servers):
            _stop_server(p)
        self.servers = []
        shutil.rmtree(self.staging, ignore_errors=True)

    # -- finding the backup ------------------------------------------------------------------
    def locate(self) -> Tuple[Dict[str, Any], Dict[str, Any]]:
        """(where the backup is, its uploaded manifest): one listing of each location and one
        read of the manifest, not every backup's manifest as the full listing reads them."""
        archive_name, manifest_name = ARCHIVE_FMT % self.backup_id, MANIFEST_FMT % self.backup_id
        for where, encrypted in locations(self.rc, self.cfg.remote()):
            names = {e.get("Name") for e in rclone.lsjson(self.rc, where)}
            if archive_name not in names and manifest_name not in names:
                continue
            entry = {"remote": where, "encrypted": encrypted}
            if manifest_name not in names:
                raise Damaged("backup %s has no manifest on the remote: it never finished" % self.backup_id)
            sidecar = fetch_manifest(self.rc, where, self.backup_id)
            if encrypted and sidecar is None:
                raise errors.OpsError(errors.INTEGRITY, "backup %s cannot be read: its manifest cannot be decrypted "
                                      "with BACKUP_PASSWORD (a wrong password, or the object is damaged); nothing "
                                      "was changed" % self.backup_id)
            if not isinstance(sidecar, dict) or not isinstance(sidecar.get("archive"), dict):
                raise errors.OpsError(errors.INTEGRITY, "manifest of %s unreadable" % self.backup_id)
            if archive_name not in names:
                raise Damaged("archive %s is missing from %s (its manifest is there)" % (
                    archive_name, self.cfg.remote_display()))
            return entry, sidecar
        raise errors.OpsError(errors.NOT_FOUND, "no backup %s on %s" % (self.backup_id, self.cfg.remote_display()))

    # -- reading the archive -----------------------------------------------------------------
    def read_back(self) -> Tuple[Dict[str, Dict[str, Any]], Optional[Dict[str, Any]], Dict[str, Any]]:
        """(what each member held, the manifest inside the archive, the uploaded manifest).

        The archive is read from where new backups go while the uploaded manifest is read
        beside it (no listing first: each rclone start costs a tenth of a second). Only when
        that fails does the listing say why (missing, never finished, a wrong password) or
        where else the backup is (made before BACKUP_PASSWORD was set)."""
        where, encrypted = locations(self.rc, self.cfg.remote())[0]
        side = rclone.Rclone(self.cfg, self.run.log)
        self.manifest = self.side.submit(fetch_manifest, side, where, self.backup_id)
        self.encrypted = encrypted
        failure: Optional[errors.OpsError] = None
        seen: Dict[str, Dict[str, Any]] = {}
        inner = None
        try:
            seen, inner = self.stream(where)
        except errors.OpsError as e:
            if isinstance(e, Interrupted):
                raise
            failure = e
        sidecar = self.uploaded_manifest()
        if failure is None and sidecar is not None:
            self.run.set(encrypted=encrypted)
            return seen, inner, sidecar
        entry, sidecar = self.locate()   # raises what is wrong, or names the other location
        if entry["remote"] == where and failure is not None:
            raise failure
        self.encrypted = bool(entry.get("encrypted"))
        self.run.set(encrypted=self.encrypted)
        self.manifest = self.side.submit(lambda: sidecar)
        for future in self.tests.values():
            future.cancel()
        self.tests, self.current, self.reached = {}, None, None
        seen, inner = self.stream(entry["remote"])
        return seen, inner, sidecar

    def uploaded_manifest(self) -> Optional[Dict[str, Any]]:
        try:
            doc = self.manifest.result() if self.manifest else None
        except errors.OpsError:
            return None
        return doc if isinstance(doc, dict) and isinstance(doc.get("archive"), dict) else None

    def stream(self, remote: str) -> Tuple[Dict[str, Dict[str, Any]], Optional[Dict[str, Any]]]:
        """Reads the archive from the remote once. Returns (what each member held, the manifest
        inside the archive); the archive's own sha256 and size go to check_archive."""
        run = self.run
        run.progress(0)
        pipes: "queue.Queue[IO[bytes]]" = queue.Queue(1)
        finished = threading.Event()
        outcome: List[Any] = []

        def handoff(pipe: IO[bytes]) -> None:
            pipes.put(pipe)
            finished.wait()

        def progress(stats: Dict[str, Any]) -> None:
            done, tot, rate, eta = rclone.stats_progress(stats)
            run.progress(done, tot, rate, eta)

        def cat() -> None:
            try:
                outcome.append(self.rc.run(["cat", rclone.join(remote, ARCHIVE_FMT % self.backup_id)],
                                           progress=progress, stdout_reader=handoff))
            except BaseException as e:   # reported below, in the reading thread
                outcome.append(e)
                pipes.put(None)

        worker = threading.Thread(target=cat, daemon=True)
        worker.start()
        seen: Dict[str, Dict[str, Any]] = {}
        inner = None
        read_problem = None
        reader = None
        try:
            pipe = pipes.get()
            if pipe is not None:
                reader = HashingReader(pipe)
                try:
                    inner = self.read_tar(reader, seen)
                    reader.drain()
                except (tarfile.TarError, EOFError) as e:
                    read_problem = "archive unreadable%s: %s" % (
                        " in member %s" % self.current if self.current else "", e)
                    reader.drain()
        except BaseException:
            self.rc.kill()   # interrupted, or the scratch disk is full: stop the download
            raise
        finally:
            finished.set()
            worker.join(30)
        result = outcome[0] if outcome else None
        if isinstance(result, BaseException):
            raise result
        digest = reader.hexdigest() if reader else None
        if result is None or result.code != 0:
            why = result.describe() if result is not None else "rclone did not finish"
            where = " while reading member %s" % (self.current or self.reached) if (self.current or self.reached) else ""
            if self.encrypted and result is not None and result.errors and any(
                    _DECRYPT_ERROR.search(e) for e in result.errors):
                raise Damaged("backup %s is damaged: the stored archive does not decrypt%s (a changed byte, or "
                              "another password): %s" % (self.backup_id, where, why))
            if result is not None and result.code in (3, 4):
                raise Damaged("archive %s is missing from %s" % (ARCHIVE_FMT % self.backup_id, self.cfg.remote_display()))
            code = errors.DISK_FULL if result is not None and any(errors.is_disk_full(e) for e in result.errors) else errors.REMOTE
            raise errors.OpsError(code, "download of %s failed%s: %s" % (self.backup_id, where, why))
        self.current = None
        self.digest, self.size, self.read_problem = digest, reader.n, read_problem
        return seen, inner

    def check_archive(self, sidecar: Dict[str, Any]) -> List[str]:
        arc = sidecar["archive"]
        ok = self.digest == arc.get("sha256") and self.size == arc.get("bytes")
        self.run.set(archive={"name": ARCHIVE_FMT % self.backup_id, "bytes": self.size, "sha256": self.digest,
                              "expected_bytes": arc.get("bytes"), "expected_sha256": arc.get("sha256"), "ok": ok})
        problems = [] if ok else ["archive %s has sha256 %s… and %d bytes, its manifest says %s… and %s bytes" % (
            ARCHIVE_FMT % self.backup_id, str(self.digest)[:12], self.size, str(arc.get("sha256"))[:12],
            arc.get("bytes"))]
        if self.read_problem:
            problems.append(self.read_problem)
        return problems

    def read_tar(self, reader: HashingReader, seen: Dict[str, Dict[str, Any]]) -> Optional[Dict[str, Any]]:
        """Every member hashed as it streams by; databases and RDBs also written to scratch
        (known by name and, for SQLite, by its header: the manifest is still on its way).
        A later member of the same name replaces an earlier one (a torn copy re-read), as on
        extraction."""
        inner = None
        for ti, chunks in TarStream(reader).members():
            self.current = self.reached = ti.name
            if not archive.safe_name(ti.name):
                seen[ti.name] = {"type": "unsafe"}
                continue
            if ti.name == archive.MANIFEST:
                try:
                    inner = json.loads(b"".join(chunks).decode())
                except ValueError:
                    inner = {"unreadable": True}
                continue
            if ti.issym():
                seen[ti.name] = {"type": "symlink", "target": ti.linkname}
                continue
            if not ti.isfile():
                seen[ti.name] = {"type": "other"}
                continue
            h = hashlib.sha256()
            out = None
            scratch = None
            first = next(chunks, b"")
            kind = "rdb" if _is_rdb(ti.name) else "sqlite" if _looks_sqlite(ti.name, first) else None
            if kind:
                # A name of its own per member: a test may still read an earlier one.
                scratch = os.path.join(self.staging, "restore", "%d" % len(seen), ti.name)
                os.makedirs(os.path.dirname(scratch), mode=0o700, exist_ok=True)
                out = open(scratch, "wb")
            try:
                for b in itertools.chain((first,), chunks):
                    h.update(b)
                    if out is not None:
                        out.write(b)
            finally:
                if out is not None:
                    out.close()
            seen[ti.name] = {"type": "file", "size": ti.size, "sha256": h.hexdigest(), "scratch": scratch}
            if scratch:
                self.tests[ti.name] = self.pool.submit(self.test_one, ti.name, scratch, kind)
        self.current = None
        return inner

    # -- checks ------------------------------------------------------------------------------
    def compare(self, sidecar: Dict[str, Any], seen: Dict[str, Dict[str, Any]],
                inner: Optional[Dict[str, Any]]) -> List[str]:
        problems = self.check_archive(sidecar)
        listed = [f for f in sidecar.get("files") or [] if isinstance(f, dict) and "path" in f]
        names = {f["path"] for f in listed}
        for f in listed:
            path = f["path"]
            got = seen.get(path)
            m: Dict[str, Any] = {"path": path, "type": f.get("type", "file"), "size": f.get("size"), "ok": True,
                                 "problem": None}
            if got is None:
                m.update(ok=False, problem="listed in the manifest, missing from the archive")
            elif f.get("type") == "symlink":
                if got.get("target") != f.get("target"):
                    m.update(ok=False, problem="symlink target differs from the manifest")
            elif got.get("sha256") != f.get("sha256") or got.get("size") != f.get("size"):
                m.update(ok=False, problem="sha256 mismatch (manifest %s…, archive %s…)" % (
                    str(f.get("sha256"))[:12], str(got.get("sha256"))[:12]))
            else:
                m["sha256"] = got["sha256"]
            if got and got.get("scratch"):
                m["scratch"] = got["scratch"]
                m["method"] = f.get("method")
                m["test_kind"] = "rdb" if _is_rdb(path) else "sqlite"
            self.members.append(m)
            if not m["ok"]:
                problems.append("%s: %s" % (path, m["problem"]))
        for path, got in sorted(seen.items()):
            if path in names:
                continue
            why = "unsafe member name" if got.get("type") == "unsafe" else "in the archive but not in the manifest"
            self.members.append({"path": path, "type": got.get("type"), "ok": False, "problem": why})
            problems.append("%s: %s" % (path, why))
        if inner is None:
            problems.append("manifest.json missing from the archive")
        elif inner.get("files") != sidecar.get("files"):
            problems.append("the manifest inside the archive differs from the uploaded manifest")
        if isinstance(self.run.record.get("archive"), dict):
            self.run.record["archive"]["files"] = len(self.members)
        bad = sum(1 for m in self.members if not m["ok"])
        self.run.log("checked %d members against the manifest's sha256: %d ok, %d bad" % (
            len(self.members), len(self.members) - bad, bad))
        self.publish()
        return problems

    def test_one(self, path: str, scratch: str, kind: str) -> Tuple[bool, str]:
        try:
            if kind == "sqlite":
                return sqlite_check(scratch)
            service = os.path.basename(path)[:-len(".rdb")]
            sources = (self.uploaded_manifest() or {}).get("sources") or {}
            modules = (sources.get(service) or {}).get("modules") or []
            return self.rdb_check(scratch, modules)
        finally:
            try:
                os.unlink(scratch)
            except OSError:
                pass

    def test_restore(self, sidecar: Dict[str, Any]) -> List[str]:
        problems = []
        for m in self.members:
            scratch = m.pop("scratch", None)
            future = self.tests.get(m["path"])
            if not scratch or future is None or not m["ok"]:
                continue
            ok, text = future.result()
            m["test"] = text
            if not ok and TOO_NEW in text:
                # Not damage: this machine's tools predate the server that wrote the file (a
                # Redis 8 RDB, format 12, and Debian's redis-tools 7). Its sha256 matched.
                m["tested"] = False
                warning = "%s not test-restored: %s; its sha256 matches the manifest" % (m["path"], text)
                self.run.log(warning, "warn")
                self.run.set(warnings=(self.run.record.get("warnings") or []) + [warning])
                ok = True
            self.run.log("%s: test restore %s: %s" % (m["path"], "ok" if ok else "FAILED", text), "info" if ok else "error")
            if not ok:
                m.update(ok=False, problem="test restore failed: %s" % text)
                problems.append("%s: test restore failed: %s" % (m["path"], text))
            self.publish()
        return problems

    def rdb_check(self, path: str, modules: List[Any]) -> Tuple[bool, str]:
        """Loaded into a scratch redis-server when one is here and the RDB needs no module it
        lacks; else structure and checksum by redis-check-rdb (which reads module data too)."""
        if shutil.which("redis-server") and shutil.which("redis-cli") and not modules:
            return self.load_rdb(path)
        if shutil.which("redis-check-rdb"):
            return check_rdb(path)
        return False, "neither redis-server nor redis-check-rdb is installed to test it"

    def load_rdb(self, path: str) -> Tuple[bool, str]:
        folder = os.path.dirname(path)
        name = os.path.basename(path)
        logfile = os.path.join(folder, "redis-%s.log" % name)
        # A unix socket named relative to the server's folder: the scratch path can be longer
        # than a socket address allows.
        argv = ["redis-server", "--port", "0", "--unixsocket", "scratch.sock", "--unixsocketperm", "700",
                "--dir", folder, "--dbfilename", name, "--save", "", "--appendonly", "no",
                "--logfile", logfile, "--daemonize", "no"]
        p = subprocess.Popen(argv, cwd=folder, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                             stderr=subprocess.DEVNULL, preexec_fn=_die_with_parent)
        self.servers.append(p)
        try:
            deadline = time.monotonic() + REDIS_START_TIMEOUT
            while time.monotonic() < deadline:
                if p.poll() is not None:
                    return False, "redis-server refused it: %s" % _last_log_line(logfile)
                out = _cli(folder, "DBSIZE")
                if out is not None and out.isdigit():
                    return True, "loaded into a scratch redis-server: %s keys" % out
                time.sleep(0.01)
            return False, "a scratch redis-server did not load it within %d s" % REDIS_START_TIMEOUT
        finally:
            _stop_server(p)
            self.servers.remove(p)

    # -- reporting ---------------------------------------------------------------------------
    def counts(self) -> Dict[str, int]:
        tested = [m for m in self.members if "test" in m and m.get("tested", True)]
        return {"members": len(self.members), "ok": sum(1 for m in self.members if m["ok"]),
                "failed": sum(1 for m in self.members if not m["ok"]),
                "sqlite": sum(1 for m in tested if m.get("test_kind") == "sqlite"),
                "rdb": sum(1 for m in tested if m.get("test_kind") == "rdb"),
                "untested": sum(1 for m in self.members if m.get("tested") is False)}

    def summary_text(self) -> str:
        c = self.counts()
        return "%d members match the manifest, %d SQLite and %d RDB test-restored" % (c["ok"], c["sqlite"], c["rdb"])

    def publish(self) -> None:
        """The record names the members that failed or were test-restored (the first
        NOTABLE_KEEP); members.jsonl beside it has every member."""
        notable = [{k: v for k, v in m.items() if k != "scratch"} for m in self.members
                   if not m["ok"] or "test" in m][:NOTABLE_KEEP]
        self.run.set(checked=self.counts(), members=notable)

    def write_members(self) -> None:
        if not self.members:
            return
        path = os.path.join(self.run.dir, MEMBERS_FILE)
        tmp = path + ".tmp"
        with open(tmp, "w", encoding="utf-8") as f:
            for m in self.members:
                f.write(json.dumps({k: v for k, v in m.items() if k != "scratch"}, sort_keys=True) + "\n")
        os.replace(tmp, path)


def sqlite_check(path: str) -> Tuple[bool, str]:
    try:
        conn = sqlite3.connect("file:%s?mode=ro" % path, uri=True)
        try:
            rows = [r[0] for r in conn.execute("PRAGMA integrity_check").fetchall()]
            tables = conn.execute("SELECT count(*) FROM sqlite_master WHERE type = 'table'").fetchone()[0]
        finally:
            conn.close()
    except sqlite3.Error as e:
        return False, "sqlite: %s" % e
    if rows == ["ok"]:
        return True, "PRAGMA integrity_check ok (%d tables)" % tables
    return False, "PRAGMA integrity_check: %s" % "; ".join(str(r) for r in rows[:3])


def check_rdb(path: str) -> Tuple[bool, str]:
    try:
        p = subprocess.run(["redis-check-rdb", path], capture_output=True, timeout=600, preexec_fn=_die_with_parent)
    except (OSError, subprocess.TimeoutExpired) as e:
        return False, "redis-check-rdb: %s" % e
    text = p.stdout.decode("utf-8", "replace")
    if p.returncode == 0 and "RDB looks OK" in text:
        keys = next((l.split("]", 1)[-1].strip() for l in text.splitlines() if "keys read" in l), "")
        return True, "redis-check-rdb: RDB looks OK" + (" (%s)" % keys if keys else "")
    lines = [l.split("]", 1)[-1].strip() for l in text.splitlines() if l.strip()]
    # The line after "--- RDB ERROR DETECTED ---" says what is wrong.
    after = [lines[i + 1] for i, l in enumerate(lines[:-1]) if "RDB ERROR DETECTED" in l]
    return False, "redis-check-rdb: %s" % (after[0] if after else lines[-1] if lines else "exit %d" % p.returncode)


def _cli(folder: str, *args: str) -> Optional[str]:
    try:
        p = subprocess.run(["redis-cli", "-s", "scratch.sock"] + list(args), cwd=folder, capture_output=True, timeout=10)
    except (OSError, subprocess.TimeoutExpired):
        return None
    return p.stdout.decode("utf-8", "replace").strip() if p.returncode == 0 else None


def _stop_server(p: subprocess.Popen) -> None:
    if p.poll() is None:
        p.kill()
        try:
            p.wait(10)
        except subprocess.TimeoutExpired:
            pass


def _last_log_line(path: str) -> str:
    try:
        with open(path, encoding="utf-8", errors="replace") as f:
            lines = [l.strip() for l in f if l.strip()]
    except OSError:
        return "it exited (no log)"
    useful = [l for l in lines if "Short read" in l or "Bad file format" in l or "Wrong" in l or TOO_NEW in l
              or "error" in l.lower()]
    return (useful or lines or ["it exited"])[-1].split(" * ", 1)[-1].split(" # ", 1)[-1]


def newest_backup(cfg: Config) -> Optional[str]:
    """The drill's target: this server's newest backup that has a manifest (a damaged one
    included: the drill should say so), else the newest of any server."""
    rc = rclone.Rclone(cfg, lambda m, level="info": None)
    backups = [b for b in remote_backups(rc, cfg.remote()) if b["state"] != "incomplete"]
    instance = cfg.instance_id(create=False)
    mine = [b for b in backups if (b.get("meta") or {}).get("instance") == instance]
    # By the manifest's time (milliseconds): ids of one second sort by their random suffix.
    pick = max(mine or backups, key=lambda b: (created_at(b), b["id"]), default=None)
    return pick["id"] if pick else None


def human_summary(rec: Dict[str, Any]) -> str:
    c = rec.get("checked") or {}
    if rec["result"] == "succeeded":
        return "verify %s of %s: passed: %d members match the manifest, %d SQLite and %d RDB test-restored" % (
            rec["id"], rec.get("backup_id"), c.get("ok", 0), c.get("sqlite", 0), c.get("rdb", 0))
    of = " of %s" % rec["backup_id"] if rec.get("backup_id") else ""
    return "verify %s%s: FAILED (exit %s): %s" % (rec["id"], of, rec["exit_code"], rec["error"])


def main(argv: Optional[List[str]] = None) -> int:
    ap = argparse.ArgumentParser(prog="verify", description="Download a backup, check every member against its "
                                 "manifest and test-restore it into scratch space (see scripts/BACKUPS.md).")
    ap.add_argument("id", nargs="?", help="backup id, as printed by list-backups")
    ap.add_argument("--latest", action="store_true", help="verify this server's newest backup (the scheduled drill)")
    ap.add_argument("--trigger", choices=("manual", "scheduled"), default="manual")
    ap.add_argument("--json", action="store_true", help="print the final record as JSON")
    ap.add_argument("--follow", action="store_true", help="print the record as a JSON line at every change")
    ap.add_argument("--env-from-pid", type=int, metavar="PID",
                    help="take missing B2_/BACKUP_/... variables from PID's environment (for cron: 1)")
    args = ap.parse_args(argv)

    def fail(e: errors.OpsError, cfg: Optional[Config] = None) -> int:
        message = cfg.redact(e.message) if cfg else e.message
        if args.json or args.follow:
            print_json({"result": "failed", "exit_code": e.code, "error": message,
                        "error_kind": errors.NAMES.get(e.code)})
        sys.stderr.write("verify: %s\n" % message)
        return e.code

    cfg = None
    try:
        if (args.id is None) == (not args.latest):
            raise errors.OpsError(errors.USAGE, "give a backup id or --latest (not both)")
        env = dict(os.environ)
        if args.env_from_pid:
            load_env_from_pid(args.env_from_pid, env)
        cfg = Config(env)
        backup_id = args.id
        if backup_id is not None:
            state.check_id(backup_id, "backup id", restore=False)
        os.makedirs(os.path.join(cfg.state_dir, "runs"), exist_ok=True)
    except errors.OpsError as e:
        return fail(e, cfg)
    lock = state.Lock(cfg.state_dir)
    run_id = state.new_run_id(prefix="verify-")
    holder = {"id": run_id, "kind": "verify", "trigger": args.trigger, "backup_id": backup_id,
              "started_at": state.iso(state.utcnow()), "pid": os.getpid()}
    if not lock.acquire(holder):
        return refuse_busy(cfg, lock, run_id, "verify", args.trigger, args.json or args.follow)
    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)
    run = None
    try:
        state.prune_history(cfg, cfg.history_keep)
        run = state.Run(cfg, run_id, "verify", args.trigger, follow=print_json if args.follow else None)
        run.record["started_at"] = holder["started_at"]
        run.save()
        state.close_orphans(cfg, run_id, run.log)
        if backup_id is None:
            try:
                backup_id = newest_backup(cfg)
            except errors.OpsError as e:
                run.finish(e.code, e.message)
                backup_id = ""
            if backup_id is None:
                run.finish(errors.NOT_FOUND, "no backup on %s to verify" % cfg.remote_display())
            if run.record["result"] != "running":
                return _report(args, run.record)
            run.log("the newest backup is %s" % backup_id)
            holder["backup_id"] = backup_id
            lock.update(holder)
        job = VerifyJob(cfg, run, backup_id)
        try:
            code = job.execute()
        except Interrupted as e:
            # A signal between the job's own handlers: its cleanup has not run yet.
            job.cleanup()
            job.finish(e.code, e.message)
            code = e.code
    except Interrupted as e:
        if run is not None and run.record["result"] == "running":
            shutil.rmtree(os.path.join(cfg.staging_dir, run_id), ignore_errors=True)
            run.finish(e.code, e.message)
        code = e.code
    finally:
        lock.release()
    return _report(args, run.record) if run is not None else code


def _report(args: argparse.Namespace, rec: Dict[str, Any]) -> int:
    code = rec.get("exit_code") or 0
    if args.json and not args.follow:
        print_json(rec)
    elif not args.json and not args.follow:
        print(human_summary(rec), file=sys.stdout if code == 0 else sys.stderr)
    return code
