"""The backup pipeline: snapshot, pack and upload, verify, retention. `run.py` starts it under
the lock; a `BackupJob` does the work of one run and records it in its `state.Run`."""

from __future__ import annotations

import datetime
import hashlib
import json
import os
import platform
import shutil
import signal
import sqlite3
import stat
import subprocess
import threading
import time
from typing import IO, Any, Callable, Iterator

from .. import VERSION, archive, errors, rclone, report, retention, snapshot, state
from ..config import NOT_ENCRYPTED, Config
from ..listing import ARCHIVE_FMT, MANIFEST_FMT, remote_backups, retention_items

Member = dict[str, Any]
"""An archive member as `archive.write_archive` takes it: arcname, kind, size, mode, mtime, and
the path it is read from (in place, or a copy in staging) or a symlink's linkname."""
Done = tuple[datetime.datetime, float]
"""When a consistent copy was done: UTC, and time.monotonic() to order them."""
Copy = tuple[Member, dict[str, Any], Done]
"""A finished consistent copy: its member, the facts about its source, when it was done."""
Database = tuple[str, str, str, os.stat_result]
"""An SQLite database to copy: source name, archive name, live path, lstat."""


def tool_versions(cfg: Config) -> dict[str, str | None]:
    v: dict[str, str | None] = {"opencode-ops-backup": VERSION, "python": platform.python_version(),
         "sqlite": sqlite3.sqlite_version}
    for name, argv in (("rclone", ["rclone", "version"]), ("redis-cli", ["redis-cli", "--version"])):
        try:
            out = subprocess.run(argv, capture_output=True, timeout=10).stdout.decode()
            v[name] = out.splitlines()[0].strip() if out else None
        except (OSError, subprocess.TimeoutExpired):
            v[name] = None
    if cfg.env.get("OPENCODE_VERSION"):
        v["opencode"] = cfg.env["OPENCODE_VERSION"]
    elif shutil.which("opencode"):
        try:
            out = subprocess.run(["opencode", "--version"], capture_output=True, timeout=10).stdout.decode()
            v["opencode"] = out.strip().splitlines()[-1] if out.strip() else None
        except (OSError, subprocess.TimeoutExpired):
            v["opencode"] = None
    return v


class BackupJob:
    def __init__(self, cfg: Config, run: state.Run, trigger: str, retention_dry_run: bool) -> None:
        self.cfg = cfg
        self.run = run
        self.trigger = trigger
        self.dry_run = retention_dry_run or cfg.retention_dry_run
        self.staging = os.path.join(cfg.staging_dir, run.id)
        self.archive_name = ARCHIVE_FMT % run.id
        self.manifest_name = MANIFEST_FMT % run.id
        self.upload_started = False
        self.sidecar_uploaded = False
        self.upload: rclone.Running | None = None   # the archive's rcat, started before the snapshot
        self.uploading = False
        self.cancel = threading.Event()   # stops the consistent copies after a failure
        self.copy_threads: list[threading.Thread] = []
        self.rc = rclone.Rclone(cfg, run.log, on_start=self._child)
        # Tool versions for the manifest take a few subprocesses: gather them while snapshotting.
        self.versions: dict[str, str | None] = {}
        self.instance: str | None = None
        self._versions_thread = threading.Thread(target=lambda: self.versions.update(tool_versions(cfg)), daemon=True)
        self._versions_thread.start()

    def warn(self, text: str) -> None:
        """Something the operator should know that does not fail the run (a file that
        vanished while the backup ran): kept in the record's `warnings` and the log."""
        self.run.log(text, "warn")
        self.run.set(warnings=(self.run.record.get("warnings") or []) + [text])

    def _wait_versions(self) -> dict[str, str | None]:
        self._versions_thread.join(15)
        return dict(self.versions)

    def _child(self, pid: int) -> None:
        self.run.record["child_pid"] = pid
        self.run.save()

    # -- phases ---------------------------------------------------------------------------
    def start_upload(self, remote: str) -> None:
        """Start what the upload needs before the snapshot lists the files, so it overlaps
        the listing: the rcat that takes the archive (it waits for its input; rclone's start
        costs about 0.1 s) and, for a plain remote, the question of which whole-file hash the
        remote keeps (another rclone run)."""
        self.remote_hash_type: str | None = None
        self.crypt_hashes: dict[str, str] | None = {} if self.cfg.encrypted else None
        self._hash_type_thread: threading.Thread | None = None
        if not self.cfg.encrypted:
            def ask() -> None:
                self.remote_hash_type = rclone.whole_file_hash(rclone.Rclone(self.cfg, self.run.log), remote)
            self._hash_type_thread = threading.Thread(target=ask, daemon=True)
            self._hash_type_thread.start()
        # rclone's own after-upload check is skipped: verify() compares our hash of the stream
        # with the remote's listing and records the result (rclone's check would hash the whole
        # stream once more, in rclone, and compare it with nothing we keep).
        self.upload = self.rc.start(["rcat", "--ignore-checksum", rclone.join(remote, self.archive_name)],
                                    progress=self._upload_progress, stdin=True, crypt_hashes=self.crypt_hashes)

    def _upload_progress(self, stats: dict[str, Any]) -> None:
        if self.uploading:
            done, tot, rate, eta = rclone.stats_progress(stats, max(self.expected_bytes(), stats.get("bytes") or 0))
            self.run.progress(done, tot, rate, eta)

    def stop_upload(self) -> None:
        """After a failure before or during the upload: stop the rcat, its input unfinished."""
        if self.upload is not None:
            self.upload.abort()
            self.upload = None

    def snapshot(self) -> None:
        """List the files and start the consistent copies (RDB dumps, SQLite backups) in the
        background. The upload streams the plain files meanwhile and takes the copies last, so
        it does not wait for them (Tests/backup/bench.sh)."""
        run, cfg = self.run, self.cfg
        run.phase("snapshot")
        try:
            os.makedirs(self.staging, exist_ok=True)
        except OSError as e:
            code = errors.DISK_FULL if errors.is_disk_full(e) else errors.SNAPSHOT
            raise errors.OpsError(code, "staging %s: %s" % (self.staging, e.strerror))
        self.members: list[Member] = []      # plain files and symlinks: read in place while packing
        self.sources: dict[str, dict[str, Any]] = {}
        databases: list[Database] = []         # (source name, archive name, live path, lstat)
        for name in ("data", "config"):
            if name not in cfg.sources:
                continue
            root = cfg.data_dir if name == "data" else cfg.config_dir
            exclude = cfg.exclude if name == "data" else []
            entries = snapshot.walk(root, exclude)
            sqlite_files = {rel for rel, full, st in entries
                            if stat.S_ISREG(st.st_mode) and snapshot.is_sqlite(full)}
            companions = {rel + c for rel in sqlite_files for c in snapshot.SQLITE_COMPANIONS}
            count = 0
            nbytes = 0
            for rel, full, st in entries:
                if rel in companions:
                    continue   # the backup API folds the WAL into the copy
                arc = "opencode/%s/%s" % (name, rel)
                if stat.S_ISLNK(st.st_mode):
                    self.members.append({"arcname": arc, "kind": "symlink", "linkname": os.readlink(full),
                                         "mtime": st.st_mtime, "mode": 0o777, "size": 0})
                    continue
                if not stat.S_ISREG(st.st_mode):
                    continue
                if rel in sqlite_files:
                    databases.append((name, arc, full, st))
                else:
                    self.members.append({"arcname": arc, "path": full, "kind": "file", "size": st.st_size,
                                         "mode": st.st_mode, "mtime": st.st_mtime, "method": "copy"})
                    nbytes += st.st_size
                count += 1
            self.sources[name] = {"path": root, "files": count, "bytes": nbytes,
                                  "sqlite": sorted(sqlite_files)}
            if name == "data" and cfg.exclude:
                self.sources[name]["exclude"] = cfg.exclude
            if not os.path.isdir(root):
                run.log("%s: %s does not exist; nothing to back up there" % (name, root), "warn")
        self.plain_bytes: int = archive.estimate_size(self.members)
        # The copies' sizes as far as known now: a database's from its file, an RDB's from the
        # last backup (it is only known once written), so progress does not stall short of 100 %.
        redis_names = [n for n in ("falkordb", "valkey") if n in cfg.sources]
        last = previous_sources(cfg)
        self.pending_sizes: list[Member] = [{"arcname": arc, "kind": "file", "size": st.st_size} for _, arc, _, st in databases]
        self.pending_sizes += [{"arcname": "redis/%s.rdb" % n, "kind": "file", "size": (last.get(n) or {}).get("bytes") or 0}
                               for n in redis_names]
        self.copies: dict[str, Copy] = {}                   # key -> the copy, once done
        self.copy_errors: dict[str, BaseException] = {}     # key -> why the copy failed
        self.copy_keys: list[str] = [arc for _, arc, _, _ in databases] + redis_names
        # Both servers at once (each mostly waits on its server); the databases one after another.
        self.copy_threads = [threading.Thread(target=self._copy_redis, args=(n,), daemon=True) for n in redis_names]
        self.copy_threads.append(threading.Thread(target=self._copy_databases, args=(databases,), daemon=True))
        for t in self.copy_threads:
            t.start()
        run.continue_alongside("snapshot")

    def _copy_redis(self, name: str) -> None:
        src = self.cfg.redis[name]
        try:
            info = snapshot.redis_info(src)
            dst = os.path.join(self.staging, "redis", name + ".rdb")
            t0 = time.monotonic()
            size = snapshot.redis_rdb(src, dst, self.cfg.redis_timeout, log=self.run.log,
                                      tune_delay=self.cfg.redis_tune_delay)
            self.run.log("%s: RDB %d bytes from %s:%d in %.2fs" % (
                name, size, src.host, src.port, time.monotonic() - t0))
            info["bytes"] = size
            member = {"arcname": "redis/%s.rdb" % name, "path": dst, "kind": "file", "size": size,
                      "mode": 0o600, "mtime": os.stat(dst).st_mtime, "method": "redis-cli --rdb"}
            self.copies[name] = (member, info, (state.utcnow(), time.monotonic()))
        except BaseException as e:
            self.copy_errors[name] = e

    def _copy_databases(self, databases: list[Database]) -> None:
        for name, arc, full, st in databases:
            if self.cancel.is_set():
                return
            try:
                dst = os.path.join(self.staging, "sqlite", arc)
                t0 = time.monotonic()
                size = snapshot.sqlite_backup(full, dst, cancel=self.cancel)
                self.run.log("%s: sqlite backup of %s, %d bytes in %.2fs" % (
                    name, arc, size, time.monotonic() - t0))
                member = {"arcname": arc, "path": dst, "kind": "file", "size": size,
                          "mode": st.st_mode, "mtime": st.st_mtime, "method": "sqlite backup API"}
                self.copies[arc] = (member, {"source": name, "bytes": size}, (state.utcnow(), time.monotonic()))
            except BaseException as e:
                self.copy_errors[arc] = e
                return

    def _copy_failure(self) -> errors.OpsError | None:
        for key in self.copy_keys:
            r = self.copy_errors.get(key)
            if r is not None:
                if isinstance(r, errors.OpsError):
                    r.phase = "snapshot"
                    return r
                code = errors.DISK_FULL if errors.is_disk_full(r) else errors.SNAPSHOT
                return errors.OpsError(code, "snapshot of %s failed: %s" % (key, r), phase="snapshot")
        return None

    def archive_members(self) -> Iterator[Member]:
        """The plain files, then the copies as they are done; the first failed copy stops the
        stream (checked between files, so an unreachable server stops it early)."""
        for m in self.members:
            failure = self._copy_failure()
            if failure:
                raise failure
            yield m
        for t in self.copy_threads:
            while t.is_alive():
                t.join(0.2)   # short joins keep the main thread responsive to SIGTERM
        failure = self._copy_failure()
        if failure:
            raise failure
        copies = [self.copies[k] for k in self.copy_keys]
        self.pending_sizes = [m for m, _, _ in copies]
        for key, (member, facts, _) in zip(self.copy_keys, copies):
            if key in ("falkordb", "valkey"):
                self.sources[key] = facts
            else:
                self.sources[facts["source"]]["bytes"] += facts["bytes"]
        self.run.set(sources=self.sources)
        # Reached only after the plain files went up, which on a slow remote is long after the
        # copies were done: the phase ends when the last of them did.
        self.run.end_phase("snapshot", at=max((done for _, _, done in copies), key=lambda d: d[1], default=None))
        for member in self.pending_sizes:
            yield member

    def stop_copies(self) -> None:
        """After a failure: let the copies stop before their staging goes away."""
        self.cancel.set()
        for t in self.copy_threads:
            t.join(10)

    def manifest_base(self) -> dict[str, Any]:
        now = state.utcnow()
        return {"schema": 1, "id": self.run.id, "created_at": state.iso(now), "created_unix": int(now.timestamp()),
                "host": self.run.record["host"], "instance": self.instance, "trigger": self.trigger,
                "versions": self._wait_versions(), "sources": self.sources}

    def expected_bytes(self) -> int:
        """Asked at every rclone stats tick: the plain files' share is fixed, only the copies'
        changes while they are made."""
        return archive.END_AND_MANIFEST + self.plain_bytes + archive.estimate_size(self.pending_sizes)

    def pack_and_upload(self, remote: str) -> None:
        run = self.run
        run.phase("pack")
        total = self.expected_bytes()
        run.set(archive={"name": self.archive_name, "estimated_bytes": total})
        run.log("packing %d files and %d consistent copies, about %d bytes, streaming into %s" % (
            len(self.members), len(self.copy_keys), total, self.archive_name))
        run.phase("upload")
        run.progress(0, total)
        result: dict[str, Any] = {}
        # The hash the remote keeps of what it stores, computed from the same stream: of the
        # archive here for a plain remote; with crypt, rclone hashes the ciphertext it streams
        # (only it sees those bytes) and reports it in self.crypt_hashes.
        if self._hash_type_thread is not None:
            while self._hash_type_thread.is_alive():
                self._hash_type_thread.join(0.2)   # short joins keep the main thread responsive to SIGTERM
        also = {self.remote_hash_type: hashlib.new(self.remote_hash_type)} if self.remote_hash_type else {}

        def writer(pipe: IO[bytes]) -> None:
            result["manifest"], result["sha256"], result["size"] = archive.write_archive(
                self.archive_members(), pipe, self.manifest_base, warn=self.warn, also=also.values())

        assert self.upload is not None
        self.upload_started = self.uploading = True
        try:
            res = self.upload.finish(writer)
        finally:
            self.upload = None
            self.uploading = False
        if res.code != 0 or "sha256" not in result:
            raise errors.OpsError(errors.UPLOAD, "upload of %s failed: %s" % (self.archive_name, res.describe()))
        run.progress(result["size"], result["size"])
        self.manifest: dict[str, Any] = result["manifest"]
        self.sha256: str = result["sha256"]
        self.size: int = result["size"]
        self.streamed_hash: dict[str, str] = {t: h.hexdigest() for t, h in also.items()}
        run.set(archive={"name": self.archive_name, "bytes": self.size, "sha256": self.sha256,
                         "files": len(self.manifest["files"])})
        run.log("uploaded %s: %d bytes, sha256 %s" % (self.archive_name, self.size, self.sha256))

    # Called between the upload and the check; tests change the stored object here.
    after_upload: Callable[[BackupJob], None] | None = None

    def verify(self, remote: str) -> None:
        """Compare what was streamed with the remote's own listing: the whole-file hash the
        remote keeps (md5 on a local or S3-style remote, sha1 on B2; of the ciphertext with
        crypt) when it has one, else the size, B2 having checked each part's sha1 at upload.
        No download: the full read-back is a separate, scheduled job."""
        run = self.run
        run.phase("verify")
        # Retention's listing is read meanwhile: nothing on the remote changes before the
        # manifest below, and this run holds the lock.
        self.listing: dict[str, Any] = {}

        def list_remote() -> None:
            try:
                self.listing["backups"] = remote_backups(rclone.Rclone(self.cfg, run.log), remote)
            except BaseException as e:
                self.listing["error"] = e

        if self.after_upload:
            self.after_upload(self)
        self.lister = threading.Thread(target=list_remote, daemon=True)
        self.lister.start()
        # The manifest's rcat starts now and waits for its input, which it gets only once the
        # check below passed; otherwise it is stopped with its input unfinished and stores nothing.
        manifest_upload = rclone.Rclone(self.cfg, run.log).start(["rcat", rclone.join(remote, self.manifest_name)],
                                                                 stdin=True)
        try:
            data = self._check_upload(remote)
        except BaseException:
            manifest_upload.abort()
            raise
        res = manifest_upload.finish(lambda pipe: pipe.write(data))
        if res.code != 0:
            raise errors.OpsError(errors.UPLOAD, "upload of %s failed: %s" % (self.manifest_name, res.describe()))
        self.sidecar_uploaded = True
        run.set(verified=True, progress={"bytes": self.size, "total": self.size, "rate": None, "eta": 0, "percent": 100.0})
        run.log("verified %s: %s%s" % (self.archive_name, self.verification["level"],
                                       (" %s of the %s matches the upload" % (self.verification["hash"], self.verification["of"]))
                                       if self.verification["hash"] else " (the remote keeps no whole-file hash)"))

    def _check_upload(self, remote: str) -> bytes:
        """The stored object's size and hash from the remote's listing against what was
        streamed; returns the manifest object to store (it names the level reached)."""
        run = self.run
        if self.cfg.encrypted:
            # The stored object is the ciphertext beneath the crypt remote.
            stored = rclone.join(self.cfg.plain_remote(), self.archive_name + ".bin")
            kind, streamed = next(iter(sorted((self.crypt_hashes or {}).items())), (None, None))
            what = "ciphertext"
        else:
            stored = rclone.join(remote, self.archive_name)
            kind = self.remote_hash_type
            streamed = self.streamed_hash.get(kind) if kind else None
            what = "archive"
        sized: dict[str, Any] = {}
        if self.cfg.encrypted:
            # The plain size, through the crypt remote, is read beside the ciphertext's hash.
            def read_size() -> None:
                try:
                    sized["entry"] = rclone.stat(rclone.Rclone(self.cfg, run.log), rclone.join(remote, self.archive_name))
                except BaseException as e:
                    sized["error"] = e
            sizer = threading.Thread(target=read_size, daemon=True)
            sizer.start()
        entry = rclone.stat(self.rc, stored, kind if streamed else None)
        if entry is None:
            raise errors.OpsError(errors.VERIFY, "verify: %s is not on the remote after its upload" % self.archive_name)
        if self.cfg.encrypted:
            while sizer.is_alive():
                sizer.join(0.2)
            if "error" in sized:
                raise sized["error"]
            size = sized["entry"].get("Size") if sized.get("entry") else None
        else:
            size = entry.get("Size")
        if size != self.size:
            raise errors.OpsError(errors.VERIFY, "verify: the remote holds %s bytes of %s, %d were sent" % (
                size, self.archive_name, self.size))
        got = ((entry.get("Hashes") or {}).get(kind) or "") if streamed else ""
        if streamed and got:
            if got != streamed:
                raise errors.OpsError(errors.VERIFY, "verify: the remote's %s of %s (%s) is %s, the upload streamed %s" % (
                    kind, self.archive_name, what, got, streamed))
            level = "remote %s" % kind
        else:
            # B2 keeps no whole-file sha1 of a large file uploaded in parts; it checked each
            # part's sha1 as it arrived. What is left to compare is the size.
            level = "size + part hashes"
        self.verification: dict[str, Any] = {"level": level, "hash_type": kind if level != "size + part hashes" else None,
                             "hash": got or None, "of": what}
        run.set(verification=self.verification)
        sidecar = dict(self.manifest)
        sidecar["archive"] = {"name": self.archive_name, "bytes": self.size, "sha256": self.sha256,
                              "verification": self.verification}
        sidecar["verified_at"] = state.iso(state.utcnow())
        # The manifest object is written last: its presence is what marks a backup verified.
        return json.dumps(sidecar, sort_keys=True).encode()

    def retention(self, remote: str) -> None:
        run, cfg = self.run, self.cfg
        run.phase("retention")
        while self.lister.is_alive():
            self.lister.join(0.2)
        if "error" in self.listing:
            raise self.listing["error"]
        listing = self.listing["backups"]
        for b in listing:
            if b["id"] == run.id:   # listed before its manifest was written
                b.update(manifest=self.manifest_name, state="verified",
                         meta={"instance": self.instance, "created_at": self.manifest["created_at"]})
        now = state.utcnow()
        items, others, refusal = retention_items(listing, self.instance, now)
        policy = {"keep_last": cfg.keep_last, "keep_daily": cfg.keep_daily, "keep_weekly": cfg.keep_weekly}
        if refusal:
            run.set(retention={"policy": policy, "dry_run": self.dry_run, "kept": [], "deleted": [],
                               "would_delete": [], "other_instances": others, "refused": refusal})
            raise errors.OpsError(errors.RETENTION, "retention refused: %s; the new backup %s is verified and kept"
                                  % (refusal, run.id))
        decisions = retention.plan(items, cfg.keep_last, cfg.keep_daily, cfg.keep_weekly, now=now,
                                   incomplete_max_age=cfg.incomplete_max_age)
        by_id = {b["id"]: b for b in listing}
        drop = [d["id"] for d in decisions if not d["keep"] and d["id"] != run.id]
        info = {"policy": policy, "dry_run": self.dry_run, "other_instances": others,
                "kept": [{"id": d["id"], "reasons": d["reasons"]} for d in decisions if d["keep"] or d["id"] == run.id],
                "deleted": [], "would_delete": drop if self.dry_run else []}
        if drop and not self.dry_run:
            # Manifests first: an interrupted prune leaves "incomplete" archives, which a later
            # retention removes, never a manifest that points at nothing.
            places = sorted({by_id[i].get("remote") or remote for i in drop})
            for kind in ("manifest", "archive"):
                for where in places:   # with BACKUP_PASSWORD, older plain backups live beneath
                    names = [by_id[i][kind] for i in drop
                             if by_id[i].get(kind) and (by_id[i].get("remote") or remote) == where]
                    if names:
                        self.delete_objects(where, names, kind, info)
            info["deleted"] = drop
        run.log("retention: keep %d, %s %d%s" % (len(info["kept"]), "would delete" if self.dry_run else "deleted",
                                                len(drop), (": " + ", ".join(drop)) if drop else ""))
        run.set(retention=info)

    def delete_objects(self, where: str, names: list[str], kind: str, info: dict[str, Any]) -> None:
        listfile = os.path.join(self.staging, "delete-%s.txt" % kind)
        with open(listfile, "w") as f:
            f.write("".join(n + "\n" for n in names))
        res = self.rc.run(["delete", where, "--files-from-raw", listfile])
        if res.code != 0:
            self.run.set(retention=info)
            raise errors.OpsError(errors.RETENTION, "retention: deleting old backups failed: %s; "
                                  "the new backup %s is verified and kept" % (res.describe(), self.run.id))

    def cleanup_remote(self, remote: str) -> None:
        """After a failed upload or verify: remove this run's partial archive, never others."""
        if not self.upload_started or self.sidecar_uploaded:
            return
        res = self.rc.run(["deletefile", rclone.join(remote, self.archive_name)])
        if res.code == 0:
            self.run.log("removed the partial %s from the remote" % self.archive_name)
        else:
            self.run.log("could not remove the partial %s (%s); it is listed as incomplete and "
                         "retention removes it later" % (self.archive_name, res.describe()), "warn")

    def execute(self) -> int:
        run, cfg = self.run, self.cfg
        remote: str | None = None
        failed_phase: str | None = None
        try:
            remote = cfg.remote()
            self.instance = cfg.instance_id()
            run.set(instance=self.instance, encrypted=cfg.encrypted)
            if not cfg.encrypted:
                self.warn(NOT_ENCRYPTED)
            run.log("backup %s (%s) of instance %s to %s" % (run.id, self.trigger, self.instance, cfg.remote_display()))
            self.start_upload(remote)
            self.snapshot()
            self.pack_and_upload(remote)
            self.verify(remote)
            self.retention(remote)
            code, error = errors.OK, None
        except errors.OpsError as e:
            code, error, failed_phase = e.code, e.message, e.phase
        except BrokenPipeError as e:
            code, error = errors.UPLOAD, "upload failed: rclone stopped reading (%s)" % e
        except Exception as e:
            code, error = errors.unexpected(e, run.log)
        if code != errors.OK:
            old = signal.signal(signal.SIGTERM, signal.SIG_IGN)
            try:
                self.stop_upload()
                self.stop_copies()
                if code != errors.RETENTION and remote:
                    self.cleanup_remote(remote)
            except Exception as e:   # cleanup is best effort; the failure is already recorded
                run.log("cleanup failed: %s" % e, "warn")
            finally:
                signal.signal(signal.SIGTERM, old)
        shutil.rmtree(self.staging, ignore_errors=True)
        run.record.pop("child_pid", None)
        report.report_run(self.cfg, run, code, error)   # Datadog, when DD_API_KEY is set; never fails the run
        run.finish(code, error, failed_phase)
        return code


def previous_sources(cfg: Config) -> dict[str, Any]:
    """The sources of the newest successful backup recorded here ({} if none)."""
    for rec in state.list_runs(cfg):
        if rec.get("kind") == "backup" and rec.get("result") == "succeeded":
            return rec.get("sources") or {}
    return {}
