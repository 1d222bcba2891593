"""`backup`: snapshot, pack, upload, verify, retention; one run at a time."""

import argparse
import hashlib
import json
import os
import platform
import shutil
import signal
import sqlite3
import stat
import subprocess
import sys
import threading
import time

from . import VERSION, archive, errors, rclone, report, retention, snapshot, state
from .config import NOT_ENCRYPTED, Config, load_env_from_pid
from .listing import ARCHIVE_FMT, MANIFEST_FMT, remote_backups, retention_items  # noqa: F401 (re-exported)


class Interrupted(errors.OpsError):
    pass


def _on_signal(signum, frame):
    raise Interrupted(errors.INTERRUPTED, "interrupted by signal %d" % signum)


def tool_versions(cfg):
    v = {"opencode-ops-backup": VERSION, "python": platform.python_version(),
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
    def __init__(self, cfg, run, trigger, retention_dry_run):
        self.cfg = cfg
        self.run = run
        self.trigger = trigger
        self.dry_run = retention_dry_run or cfg.retention_dry_run
        self.staging = os.path.join(cfg.staging_dir, run.id)
        self.archive_name = ARCHIVE_FMT % run.id
        self.manifest_name = MANIFEST_FMT % run.id
        self.upload_started = False
        self.sidecar_uploaded = False
        self.cancel = threading.Event()   # stops the consistent copies after a failure
        self.copy_threads = []
        self.rc = rclone.Rclone(cfg, run.log, on_start=self._child)
        # Tool versions for the manifest take a few subprocesses: gather them while snapshotting.
        self.versions = {}
        self.instance = None
        self._versions_thread = threading.Thread(target=lambda: self.versions.update(tool_versions(cfg)), daemon=True)
        self._versions_thread.start()

    def warn(self, text):
        """Something the operator should know that does not fail the run (a file that
        vanished while the backup ran): kept in the record's `warnings` and the log."""
        self.run.log(text, "warn")
        self.run.set(warnings=(self.run.record.get("warnings") or []) + [text])

    def _wait_versions(self):
        self._versions_thread.join(15)
        return dict(self.versions)

    def _child(self, pid):
        self.run.record["child_pid"] = pid
        self.run.save()

    # -- phases ---------------------------------------------------------------------------
    def snapshot(self):
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
        self.members = []      # plain files and symlinks: read in place while packing
        self.sources = {}
        databases = []         # (source name, archive name, live path, lstat)
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
        self.plain_bytes = archive.estimate_size(self.members)
        # The copies' sizes as far as known now: a database's from its file, an RDB's from the
        # last backup (it is only known once written), so progress does not stall short of 100 %.
        redis_names = [n for n in ("falkordb", "valkey") if n in cfg.sources]
        last = previous_sources(cfg)
        self.pending_sizes = [{"arcname": arc, "kind": "file", "size": st.st_size} for _, arc, _, st in databases]
        self.pending_sizes += [{"arcname": "redis/%s.rdb" % n, "kind": "file", "size": (last.get(n) or {}).get("bytes") or 0}
                               for n in redis_names]
        self.copies = {}       # key -> (member, source facts, (utc, monotonic) when done) or the exception
        self.copy_keys = [arc for _, arc, _, _ in databases] + redis_names
        # Both servers at once (each mostly waits on its server); the databases one after another.
        self.copy_threads = [threading.Thread(target=self._copy_redis, args=(n,), daemon=True) for n in redis_names]
        self.copy_threads.append(threading.Thread(target=self._copy_databases, args=(databases,), daemon=True))
        for t in self.copy_threads:
            t.start()
        run.continue_alongside("snapshot")

    def _copy_redis(self, name):
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
            self.copies[name] = e

    def _copy_databases(self, databases):
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
                self.copies[arc] = e
                return

    def _copy_failure(self):
        for key in self.copy_keys:
            r = self.copies.get(key)
            if isinstance(r, BaseException):
                if isinstance(r, errors.OpsError):
                    r.phase = "snapshot"
                    return r
                code = errors.DISK_FULL if errors.is_disk_full(r) else errors.SNAPSHOT
                return errors.OpsError(code, "snapshot of %s failed: %s" % (key, r), phase="snapshot")
        return None

    def archive_members(self):
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

    def stop_copies(self):
        """After a failure: let the copies stop before their staging goes away."""
        self.cancel.set()
        for t in self.copy_threads:
            t.join(10)

    def manifest_base(self):
        now = state.utcnow()
        return {"schema": 1, "id": self.run.id, "created_at": state.iso(now), "created_unix": int(now.timestamp()),
                "host": self.run.record["host"], "instance": self.instance, "trigger": self.trigger,
                "versions": self._wait_versions(), "sources": self.sources}

    def expected_bytes(self):
        """Asked at every rclone stats tick: the plain files' share is fixed, only the copies'
        changes while they are made."""
        return archive.END_AND_MANIFEST + self.plain_bytes + archive.estimate_size(self.pending_sizes)

    def pack_and_upload(self, remote):
        run = self.run
        run.phase("pack")
        total = self.expected_bytes()
        run.set(archive={"name": self.archive_name, "estimated_bytes": total})
        run.log("packing %d files and %d consistent copies, about %d bytes, streaming into %s" % (
            len(self.members), len(self.copy_keys), total, self.archive_name))
        run.phase("upload")
        run.progress(0, total)
        target = rclone.join(remote, self.archive_name)
        result = {}
        # The hash the remote keeps of what it stores, computed from the same stream: of the
        # archive here for a plain remote; with crypt, rclone hashes the ciphertext it streams
        # (only it sees those bytes) and reports it in self.crypt_hashes.
        self.remote_hash_type = None if self.cfg.encrypted else rclone.whole_file_hash(self.rc, remote)
        also = {self.remote_hash_type: hashlib.new(self.remote_hash_type)} if self.remote_hash_type else {}
        self.crypt_hashes = {} if self.cfg.encrypted else None

        def writer(pipe):
            result["manifest"], result["sha256"], result["size"] = archive.write_archive(
                self.archive_members(), pipe, self.manifest_base, warn=self.warn, also=also.values())

        def progress(stats):
            done, tot, rate, eta = rclone.stats_progress(stats, max(self.expected_bytes(), stats.get("bytes") or 0))
            run.progress(done, tot, rate, eta)

        self.upload_started = True
        # rclone's own after-upload check is skipped: verify() compares the same hash with the
        # remote's listing and records the result (on a local remote rclone's check read the
        # whole object back once more).
        res = self.rc.run(["rcat", "--ignore-checksum", target], progress=progress, stdin_writer=writer,
                          crypt_hashes=self.crypt_hashes)
        if res.code != 0 or "sha256" not in result:
            raise errors.OpsError(errors.UPLOAD, "upload of %s failed: %s" % (self.archive_name, res.describe()))
        run.progress(result["size"], result["size"])
        self.manifest = result["manifest"]
        self.sha256 = result["sha256"]
        self.size = result["size"]
        self.streamed_hash = {t: h.hexdigest() for t, h in also.items()}
        run.set(archive={"name": self.archive_name, "bytes": self.size, "sha256": self.sha256,
                         "files": len(self.manifest["files"])})
        run.log("uploaded %s: %d bytes, sha256 %s" % (self.archive_name, self.size, self.sha256))

    # Called between the upload and the check; tests change the stored object here.
    after_upload = None

    def verify(self, remote):
        """Compare what was streamed with the remote's own listing: the whole-file hash the
        remote keeps (md5 on a local or S3-style remote, sha1 on B2; of the ciphertext with
        crypt) when it has one, else the size, B2 having checked each part's sha1 at upload.
        No download: the full read-back is a separate, scheduled job."""
        run = self.run
        run.phase("verify")
        # Retention's listing is read meanwhile: nothing on the remote changes before the
        # manifest below, and this run holds the lock.
        self.listing = {}

        def list_remote():
            try:
                self.listing["backups"] = remote_backups(rclone.Rclone(self.cfg, run.log), remote)
            except BaseException as e:
                self.listing["error"] = e

        if self.after_upload:
            self.after_upload(self)
        self.lister = threading.Thread(target=list_remote, daemon=True)
        self.lister.start()
        if self.cfg.encrypted:
            # The stored object is the ciphertext beneath the crypt remote.
            stored = rclone.join(self.cfg.plain_remote(), self.archive_name + ".bin")
            kind, streamed = next(iter(sorted(self.crypt_hashes.items())), (None, None))
            what = "ciphertext"
        else:
            stored = rclone.join(remote, self.archive_name)
            kind = self.remote_hash_type
            streamed = self.streamed_hash.get(kind) if kind else None
            what = "archive"
        entry = rclone.stat(self.rc, stored, kind if streamed else None)
        if entry is None:
            raise errors.OpsError(errors.VERIFY, "verify: %s is not on the remote after its upload" % self.archive_name)
        if self.cfg.encrypted:
            sized = rclone.stat(self.rc, rclone.join(remote, self.archive_name))
            size = sized.get("Size") if sized else None
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
            level = "remote " + kind
        else:
            # B2 keeps no whole-file sha1 of a large file uploaded in parts; it checked each
            # part's sha1 as it arrived. What is left to compare is the size.
            level = "size + part hashes"
        self.verification = {"level": level, "hash_type": kind if level != "size + part hashes" else None,
                             "hash": got or None, "of": what}
        run.set(verification=self.verification)
        sidecar = dict(self.manifest)
        sidecar["archive"] = {"name": self.archive_name, "bytes": self.size, "sha256": self.sha256,
                              "verification": self.verification}
        sidecar["verified_at"] = state.iso(state.utcnow())
        data = json.dumps(sidecar, sort_keys=True).encode()
        # The manifest object is written last: its presence is what marks a backup verified.
        res = self.rc.run(["rcat", rclone.join(remote, self.manifest_name)],
                          stdin_writer=lambda pipe: pipe.write(data))
        if res.code != 0:
            raise errors.OpsError(errors.UPLOAD, "upload of %s failed: %s" % (self.manifest_name, res.describe()))
        self.sidecar_uploaded = True
        run.set(verified=True, progress={"bytes": self.size, "total": self.size, "rate": None, "eta": 0, "percent": 100.0})
        run.log("verified %s: %s%s" % (self.archive_name, self.verification["level"],
                                       (" %s of the %s matches the upload" % (self.verification["hash"], self.verification["of"]))
                                       if self.verification["hash"] else " (the remote keeps no whole-file hash)"))

    def retention(self, remote):
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

    def delete_objects(self, where, names, kind, info):
        listfile = os.path.join(self.staging, "delete-%s.txt" % kind)
        with open(listfile, "w") as f:
            f.write("".join(n + "\n" for n in names))
        res = self.rc.run(["delete", where, "--files-from-raw", listfile])
        if res.code != 0:
            self.run.set(retention=info)
            raise errors.OpsError(errors.RETENTION, "retention: deleting old backups failed: %s; "
                                  "the new backup %s is verified and kept" % (res.describe(), self.run.id))

    def cleanup_remote(self, remote):
        """After a failed upload or verify: remove this run's partial archive, never others."""
        if not self.upload_started or self.sidecar_uploaded:
            return
        res = self.rc.run(["deletefile", rclone.join(remote, self.archive_name)])
        if res.code == 0:
            self.run.log("removed the partial %s from the remote" % self.archive_name)
        else:
            self.run.log("could not remove the partial %s (%s); it is listed as incomplete and "
                         "retention removes it later" % (self.archive_name, res.describe()), "warn")

    def execute(self):
        run, cfg = self.run, self.cfg
        remote = None
        failed_phase = None
        try:
            remote = cfg.remote()
            self.instance = cfg.instance_id()
            run.set(instance=self.instance, encrypted=cfg.encrypted)
            if not cfg.encrypted:
                self.warn(NOT_ENCRYPTED)
            run.log("backup %s (%s) of instance %s to %s" % (run.id, self.trigger, self.instance, cfg.remote_display()))
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


def previous_sources(cfg):
    """The sources of the newest successful backup recorded here ({} if none)."""
    for rec in state.list_runs(cfg):
        if rec.get("kind") == "backup" and rec.get("result") == "succeeded":
            return rec.get("sources") or {}
    return {}


# -- CLI ------------------------------------------------------------------------------------
def print_json(obj):
    sys.stdout.write(json.dumps(obj, sort_keys=True) + "\n")
    sys.stdout.flush()


def human_summary(rec):
    dur = ""
    if rec.get("started_at") and rec.get("ended_at"):
        # Wall time: phases overlap (snapshots finish during the upload), so their sum is not it.
        secs = (state.parse_iso(rec["ended_at"]) - state.parse_iso(rec["started_at"])).total_seconds()
        dur = " in %.1fs" % secs
    if rec["result"] == "succeeded":
        a = rec.get("archive") or {}
        r = rec.get("retention") or {}
        gone = r.get("would_delete") if r.get("dry_run") else r.get("deleted")
        level = (rec.get("verification") or {}).get("level")
        return "backup %s: succeeded%s, %s bytes, verified%s; retention %s %d" % (
            rec["id"], dur, a.get("bytes"), " (%s)" % level if level else "",
            "would delete" if r.get("dry_run") else "deleted", len(gone or []))
    return "backup %s: FAILED in phase %s (exit %s): %s" % (
        rec["id"], rec.get("failed_phase") or "starting", rec["exit_code"], rec["error"])


def busy_report(holder, as_json):
    info = {"result": "busy", "exit_code": errors.BUSY, "running": holder,
            "error": "another %s is running: %s (trigger %s, started %s, pid %s)" % (
                holder.get("kind", "job"), holder.get("id"), holder.get("trigger"),
                holder.get("started_at"), holder.get("pid"))}
    if as_json:
        print_json(info)
    else:
        sys.stderr.write(info["error"] + "\n")
    return errors.BUSY


def refuse_busy(cfg, lock, run_id, kind, trigger, as_json):
    """Another job holds the lock: answer busy, and note the refusal in STATE/refusals.jsonl
    (a refused cron run would otherwise leave nothing but a line in cron's output)."""
    holder = lock.holder() or {"id": None}
    code = busy_report(holder, as_json)
    try:
        state.record_refusal(cfg, {"id": run_id, "kind": kind, "trigger": trigger, "at": state.iso(state.utcnow()),
                                   "exit_code": errors.BUSY, "running": holder})
    except OSError:
        pass   # the answer above is what matters
    return code


def status_command(cfg, run_id, as_json):
    if run_id:
        rec = state.read_json(os.path.join(cfg.state_dir, "runs", run_id, "status.json"))
        if rec is None:
            msg = "no run %s in %s" % (run_id, os.path.join(cfg.state_dir, "runs"))
            if as_json:
                print_json({"result": "not-found", "error": msg})
            else:
                sys.stderr.write(msg + "\n")
            return errors.NOT_FOUND
    else:
        holder = state.Lock(cfg.state_dir).holder()
        rec = None
        if holder and holder.get("id"):
            rec = state.read_json(os.path.join(cfg.state_dir, "runs", holder["id"], "status.json"))
        if rec is None:
            runs = state.list_runs(cfg)
            rec = runs[0] if runs else None
        if rec is None:
            if as_json:
                print_json({"result": "none", "error": "no backup has run yet"})
            else:
                print("no backup has run yet")
            return errors.OK
    if rec.get("result") == "running" and not _alive(cfg, rec):
        rec = state.mark_interrupted(dict(rec))
    if as_json:
        print_json(rec)
    else:
        print(human_summary(rec) if rec["result"] != "running" else
              "%s %s: running, phase %s, progress %s" % (rec.get("kind"), rec["id"], rec["phase"], rec.get("progress")))
    return errors.OK


def follow_status(cfg, run_id, interval=0.25):
    """Print run ID's record as a JSON line at every change until it ends: lets a console
    follow a detached run through one long-lived process instead of polling with new ones."""
    path = os.path.join(cfg.state_dir, "runs", run_id, "status.json")
    last = None
    while True:
        rec = state.read_json(path)
        if rec is None:
            print_json({"result": "not-found", "error": "no run %s in %s" % (run_id, os.path.dirname(os.path.dirname(path)))})
            return errors.NOT_FOUND
        ended = rec.get("result") != "running"
        if not ended and not _alive(cfg, rec):
            # Read again: the run may have recorded its result between the two reads.
            rec = state.read_json(path) or rec
            if rec.get("result") == "running":
                rec = state.mark_interrupted(dict(rec))
            ended = True
        if rec != last:
            print_json(rec)
            sys.stdout.flush()
            last = rec
        if ended:
            return errors.OK
        time.sleep(interval)


def print_log(cfg, run_id):
    """Print run ID's log (for a console's Enter on a run)."""
    path = os.path.join(cfg.state_dir, "runs", run_id, "run.log")
    try:
        with open(path, "r", encoding="utf-8", errors="replace") as f:
            shutil.copyfileobj(f, sys.stdout)
    except FileNotFoundError:
        sys.stderr.write("backup: no log for run %s in %s\n" % (run_id, os.path.join(cfg.state_dir, "runs")))
        return errors.NOT_FOUND
    return errors.OK


def _alive(cfg, rec):
    """A record says "running": is its process still there (holding the lock)?"""
    return not state.orphaned(rec, state.Lock(cfg.state_dir).holder())


def detach(run, lock):
    """Fork into the background: the parent reports the run and exits, the child (which keeps
    the lock: it shares the locked file description) runs the backup."""
    sys.stdout.flush()
    pid = os.fork()
    if pid:
        return pid
    os.setsid()
    devnull = os.open(os.devnull, os.O_RDWR)
    for fd in (0, 1, 2):
        os.dup2(devnull, fd)
    run.record["pid"] = os.getpid()
    run.follow = None
    lock.update({"id": run.id, "kind": "backup", "trigger": run.record["trigger"],
                 "started_at": run.record["started_at"], "pid": os.getpid()})
    run.save()
    return 0


def main(argv=None):
    ap = argparse.ArgumentParser(prog="backup", description="Back up FalkorDB, Valkey and OpenCode's data and "
                                 "config to the remote (B2 by default), verify, apply retention.")
    ap.add_argument("--trigger", choices=("manual", "scheduled"), default="manual")
    ap.add_argument("--json", action="store_true", help="print the final status record as JSON")
    ap.add_argument("--follow", action="store_true", help="print the status record as a JSON line at every change")
    ap.add_argument("--detach", action="store_true", help="start in the background, print the run id and exit")
    ap.add_argument("--retention-dry-run", action="store_true", help="compute retention, delete nothing")
    ap.add_argument("--status", nargs="?", const="", metavar="ID",
                    help="print the status record of run ID (default: the running or latest run)")
    ap.add_argument("--log", metavar="ID", help="print the log of run ID")
    ap.add_argument("--run-id", metavar="ID", help="use ID as the new run's id (the console passes its job's id)")
    ap.add_argument("--env-from-pid", type=int, metavar="PID",
                    help="take missing B2_/BACKUP_/... variables from PID's environment (for cron: 1)")
    args = ap.parse_args(argv)
    env = dict(os.environ)
    try:
        if args.env_from_pid:
            load_env_from_pid(args.env_from_pid, env)
        cfg = Config(env)
    except errors.OpsError as e:
        if args.json:
            print_json({"result": "failed", "exit_code": e.code, "error": e.message})
        sys.stderr.write("backup: %s\n" % e.message)
        return e.code
    try:
        if args.log is not None:
            state.check_id(args.log)
        if args.status:
            state.check_id(args.status)
        if args.run_id:
            state.given_run_id(cfg, args.run_id, restore=False)
    except errors.OpsError as e:
        if args.json:
            print_json({"result": "failed", "exit_code": e.code, "error": e.message, "error_kind": errors.NAMES[e.code]})
        sys.stderr.write("backup: %s\n" % e.message)
        return e.code
    if args.log is not None:
        return print_log(cfg, args.log)
    if args.status is not None:
        if args.follow:
            if not args.status:
                sys.stderr.write("backup: --status --follow needs a run ID\n")
                return errors.USAGE
            return follow_status(cfg, args.status)
        return status_command(cfg, args.status, args.json)
    try:
        os.makedirs(os.path.join(cfg.state_dir, "runs"), exist_ok=True)
    except OSError as e:
        sys.stderr.write("backup: state directory %s: %s\n" % (cfg.state_dir, e.strerror))
        return errors.DISK_FULL if errors.is_disk_full(e) else errors.FAILED
    lock = state.Lock(cfg.state_dir)
    run_id = args.run_id or state.new_run_id()
    holder = {"id": run_id, "kind": "backup", "trigger": args.trigger,
              "started_at": state.iso(state.utcnow()), "pid": os.getpid()}
    if not lock.acquire(holder):
        return refuse_busy(cfg, lock, run_id, "backup", args.trigger, args.json)
    state.prune_history(cfg, cfg.history_keep)
    run = state.Run(cfg, run_id, "backup", args.trigger, follow=print_json if args.follow else None)
    run.record["started_at"] = holder["started_at"]
    run.save()
    state.close_orphans(cfg, run_id, run.log)
    if args.detach:
        if detach(run, lock):
            out = {"id": run.id, "result": "started", "status": run.status_path, "log": run.log_path}
            if args.json:
                print_json(out)
            else:
                print("backup %s started; status: %s" % (run.id, run.status_path))
            sys.stdout.flush()
            os._exit(0)   # the child owns the run now; skip the parent's cleanup
    signal.signal(signal.SIGTERM, _on_signal)
    signal.signal(signal.SIGINT, _on_signal)
    try:
        code = BackupJob(cfg, run, args.trigger, args.retention_dry_run).execute()
    except Interrupted as e:
        # A signal that arrived between phases, outside execute's own handling.
        run.finish(e.code, e.message)
        code = e.code
    finally:
        lock.release()
    if args.json and not args.follow:
        print_json(run.record)
    elif not args.json and not args.follow:
        print(human_summary(run.record), file=sys.stdout if code == 0 else sys.stderr)
    return code
