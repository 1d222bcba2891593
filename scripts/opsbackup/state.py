"""The state directory: run records (status.json + run.log per run), the lock, staging.

Layout (documented in scripts/BACKUPS.md):
  STATE/lock                 flock(2) target; its content names the holder (JSON)
  STATE/runs/ID/status.json  the status record, replaced atomically (temp file + rename)
  STATE/runs/ID/run.log      the human log of the run
  STATE/staging/ID/          scratch space of a run, removed when it ends
  STATE/restore/ID/          RDB files a restore leaves for the console to load
"""

import datetime
import errno
import fcntl
import json
import os
import re
import secrets
import shutil
import socket
import threading
import time

from . import errors

SCHEMA = 1
RUN_ID_RE = re.compile(r"^\d{8}T\d{6}Z-[0-9a-f]{4}$")
RESTORE_ID_RE = re.compile(r"^restore-\d{8}T\d{6}Z-[0-9a-f]{4}$")
VERIFY_ID_RE = re.compile(r"^verify-\d{8}T\d{6}Z-[0-9a-f]{4}$")


def utcnow():
    return datetime.datetime.now(datetime.timezone.utc)


ISO_FORMAT = "%Y-%m-%dT%H:%M:%S.%fZ"


def iso(dt):
    """Milliseconds, as every record writes them."""
    return dt.strftime(ISO_FORMAT)[:-4] + "Z" if dt else None


def parse_iso(text):
    return datetime.datetime.strptime(text, ISO_FORMAT).replace(tzinfo=datetime.timezone.utc)


def new_run_id(now=None, prefix=""):
    now = now or utcnow()
    return prefix + now.strftime("%Y%m%dT%H%M%SZ") + "-" + secrets.token_hex(2)


def valid_id(text, restore=None):
    """A backup id (or, with restore=True, a restore run id; None: any run id, a verify run's
    included) that names a real UTC time: the pattern alone lets 20261399T999999Z through."""
    if not isinstance(text, str):
        return False
    if restore is not False and RESTORE_ID_RE.match(text):
        pass
    elif restore is None and VERIFY_ID_RE.match(text):
        pass
    elif restore is not True and RUN_ID_RE.match(text):
        pass
    else:
        return False
    try:
        id_time(text)
    except ValueError:
        return False
    return True


def check_id(text, what="run id", restore=None):
    """Refuses anything but a run id, before it becomes part of a path."""
    if not valid_id(text, restore):
        example = "restore-20260101T020000Z-1a2b" if restore else "20260101T020000Z-1a2b"
        raise errors.OpsError(errors.USAGE, "%r is not a %s (expected like %s)" % (text, what, example))
    return text


def given_run_id(cfg, text, restore):
    """A run id chosen by the caller (the console passes its job's id, so job, record, log and
    audit name the run alike): well formed and not used before."""
    check_id(text, "restore run id" if restore else "backup id", restore=restore)
    if os.path.exists(os.path.join(cfg.state_dir, "runs", text)):
        raise errors.OpsError(errors.USAGE, "run id %s is taken already" % text)
    return text


def id_time(run_id):
    """The UTC time encoded in a backup id."""
    stamp = run_id.split("-")[-2] if run_id.startswith(("restore-", "verify-")) else run_id.split("-")[0]
    return datetime.datetime.strptime(stamp, "%Y%m%dT%H%M%SZ").replace(tzinfo=datetime.timezone.utc)


def write_json_atomic(path, obj, durable=True):
    """Readers see the old record or the new one, never half of one. `durable`: flushed to
    disk (fsync) before it replaces the old one, so a crash cannot leave an empty file."""
    tmp = "%s.tmp.%d" % (path, os.getpid())
    data = json.dumps(obj, indent=2, sort_keys=True) + "\n"
    try:
        with open(tmp, "w", encoding="utf-8") as f:
            f.write(data)
            if durable:
                f.flush()
                os.fsync(f.fileno())
        os.replace(tmp, path)
    except OSError:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise


def read_json(path):
    try:
        with open(path, encoding="utf-8") as f:
            return json.load(f)
    except (OSError, ValueError):
        return None


class Lock:
    """One backup or restore at a time, across processes (flock on STATE/lock).

    The lock belongs to the open file description, so a forked (detached) child keeps it
    after the parent exits."""

    def __init__(self, state_dir):
        self.path = os.path.join(state_dir, "lock")
        self.fd = None

    BUSY_RETRY = 0.5   # seconds: a reader of an older version may hold the lock for an instant

    def acquire(self, holder, retry=None):
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW, 0o600)
        deadline = time.monotonic() + (self.BUSY_RETRY if retry is None else retry)
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except OSError as e:
                if e.errno not in (errno.EWOULDBLOCK, errno.EAGAIN):
                    os.close(fd)
                    raise
                if time.monotonic() >= deadline:
                    os.close(fd)
                    return False
                time.sleep(0.05)
        os.ftruncate(fd, 0)
        os.pwrite(fd, (json.dumps(holder, sort_keys=True) + "\n").encode(), 0)
        self.fd = fd
        return True

    def update(self, holder):
        if self.fd is not None:
            os.ftruncate(self.fd, 0)
            os.pwrite(self.fd, (json.dumps(holder, sort_keys=True) + "\n").encode(), 0)

    def release(self):
        if self.fd is not None:
            try:
                os.ftruncate(self.fd, 0)
            except OSError:
                pass
            os.close(self.fd)
            self.fd = None

    def holder(self):
        """The running job's description if the lock is held, else None.

        Tested without taking the lock (a probe that took it, even for an instant, made a
        real run starting at that instant fail as busy): /proc/locks names the inodes that
        flock(2) locks are held on."""
        try:
            fd = os.open(self.path, os.O_RDONLY | os.O_NOFOLLOW)
        except OSError:
            return None
        try:
            raw = os.pread(fd, 65536, 0)
            try:
                holder = json.loads(raw.decode() or "{}") or None
            except ValueError:
                holder = None
            held = _flocked(os.fstat(fd).st_ino)
            if not held:
                # No /proc/locks, or a filesystem whose inode numbers it shows differently:
                # the content names the holder, which release() empties; a holder killed
                # before it could is recognised by its process being gone.
                held = isinstance(holder, dict) and _alive_pid(holder.get("pid"))
            if not held:
                return None
            return holder if isinstance(holder, dict) else {"id": None}
        finally:
            os.close(fd)


def _alive_pid(pid):
    if not isinstance(pid, int) or pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _flocked(inode):
    """True/False: an flock(2) lock is held on this inode; None when /proc/locks is unreadable."""
    try:
        with open("/proc/locks", encoding="ascii", errors="replace") as f:
            lines = f.read().splitlines()
    except OSError:
        return None
    for line in lines:
        words = line.split()
        if len(words) < 6 or words[1] == "->" or words[1] != "FLOCK":
            continue
        try:
            if int(words[5].rsplit(":", 1)[1]) == inode:
                return True
        except (IndexError, ValueError):
            continue
    return False


def mark_interrupted(rec):
    """A "running" record whose process is gone, as it reads once closed: failed, interrupted
    during its phase. The next run writes it so (`close_orphans`); readers show it so at once."""
    phase = rec.get("phase") or "starting"
    now = iso(utcnow())
    rec.update(result="failed", exit_code=errors.INTERRUPTED, error_kind=errors.NAMES[errors.INTERRUPTED],
               error="interrupted during %s (the process ended without recording a result)" % phase,
               failed_phase=phase, ended_at=now, updated_at=now, phase="done")
    rec.pop("child_pid", None)
    for entry in rec.get("phases") or []:
        if entry.get("ended_at") is None:
            entry["ended_at"] = now
    return rec


def orphaned(rec, holder):
    """True when `rec` says running but the lock is not held by its run: its process died."""
    return rec.get("result") == "running" and not (holder and holder.get("id") == rec.get("id"))


def close_orphans(cfg, current_id, log=None):
    """Called with the lock held: a record still "running" belongs to a run whose process died
    without writing its result (killed with its container: the server is PID 1, so a detached
    run gets no SIGTERM). Close it as interrupted, and remove staging no run owns."""
    closed = []
    root = os.path.join(cfg.state_dir, "runs")
    try:
        names = os.listdir(root)
    except OSError:
        names = []
    for name in names:
        if name == current_id or not valid_id(name):
            continue
        path = os.path.join(root, name, "status.json")
        rec = read_json(path)
        if not rec or rec.get("result") != "running":
            continue
        phase = rec.get("phase") or "starting"
        mark_interrupted(rec)
        write_json_atomic(path, rec)
        closed.append(name)
        if log:
            log("closed the record of %s: interrupted during %s" % (name, phase), "warn")
    try:
        stale = [n for n in os.listdir(cfg.staging_dir) if n != current_id and valid_id(n)]
    except OSError:
        stale = []
    for name in stale:
        shutil.rmtree(os.path.join(cfg.staging_dir, name), ignore_errors=True)
        if log:
            log("removed stale staging %s" % name, "warn")
    return closed


class Run:
    """A run record: the status JSON and the log of one backup or restore."""

    def __init__(self, cfg, run_id, kind, trigger, follow=None):
        self.cfg = cfg
        self.id = run_id
        self.dir = os.path.join(cfg.state_dir, "runs", run_id)
        self.status_path = os.path.join(self.dir, "status.json")
        self.log_path = os.path.join(self.dir, "run.log")
        self.follow = follow            # callable(record) for --follow (JSON lines on stdout)
        self._phase_started = {}        # phase name -> monotonic start
        self._alongside = set()
        self._save_lock = threading.Lock()   # rclone's stats reader thread saves too
        now = utcnow()
        self.record = {
            "schema": SCHEMA, "id": run_id, "kind": kind, "trigger": trigger,
            "pid": os.getpid(), "host": socket.gethostname(),
            "started_at": iso(now), "ended_at": None, "updated_at": iso(now),
            "phase": "starting", "phases": [], "result": "running",
            "exit_code": None, "error": None, "error_kind": None,
            "remote": cfg.remote_display(),
            "progress": None, "verified": False,
            "log": os.path.relpath(self.log_path, cfg.state_dir),
        }
        os.makedirs(self.dir, exist_ok=True)
        self._log = open(self.log_path, "a", encoding="utf-8")

    def log(self, msg, level="info"):
        line = "%s %-5s %s\n" % (iso(utcnow()), level.upper(), self.cfg.redact(msg))
        try:
            self._log.write(line)
            self._log.flush()
        except (OSError, ValueError):
            pass

    def save(self, durable=True):
        """`durable=False` for the updates between a run's first record and its last (phases,
        progress): a crash ends the run anyway and the next run closes its record, so those
        skip the fsync, which took 10-20 ms each on the run's own path."""
        with self._save_lock:
            self.record["updated_at"] = iso(utcnow())
            write_json_atomic(self.status_path, self.record, durable)
            if self.follow:
                self.follow(self.record)

    def set(self, **fields):
        self.record.update(fields)
        self.save(durable=False)

    def phase(self, name):
        """End the current phase (not those left running alongside) and start `name`."""
        now = utcnow()
        for entry in self.record["phases"]:
            if entry["ended_at"] is None and entry["phase"] not in self._alongside:
                self._close(entry, now)
        if name != "done":
            self.record["phases"].append({"phase": name, "started_at": iso(now), "ended_at": None, "seconds": None})
            self._phase_started[name] = time.monotonic()
        self.record["phase"] = name
        if name != "done":
            self.record["progress"] = None
        self.log("phase %s" % name)
        self.save(durable=False)

    def continue_alongside(self, name):
        """Phase `name` goes on while the next ones run (snapshots finish during the upload):
        it ends with end_phase, not with the next phase()."""
        self._alongside.add(name)

    def end_phase(self, name, at=None):
        """`at`: (utc datetime, monotonic) when it really ended, if that was earlier."""
        self._alongside.discard(name)
        for entry in self.record["phases"]:
            if entry["phase"] == name and entry["ended_at"] is None:
                self._close(entry, *(at or (utcnow(), time.monotonic())))
                self.log("phase %s ended at %s" % (name, entry["ended_at"]))
                self.save(durable=False)

    def _close(self, entry, now, monotonic=None):
        end = time.monotonic() if monotonic is None else monotonic
        entry["ended_at"] = iso(now)
        entry["seconds"] = round(end - self._phase_started.get(entry["phase"], end), 3)

    def progress(self, done, total=None, rate=None, eta=None):
        p = {"bytes": int(done), "total": int(total) if total else None,
             "rate": round(rate, 1) if rate else None, "eta": eta, "percent": None}
        if total:
            p["percent"] = round(min(100.0, 100.0 * done / total), 1)
            if eta is None and rate:
                p["eta"] = max(0, int((total - done) / rate))
        self.record["progress"] = p
        self.save(durable=False)

    def finish(self, code, error=None, failed_phase=None):
        """`failed_phase`: where the error arose, when that is not the current phase (a
        snapshot running alongside the upload)."""
        current = self.record["phase"]
        self._alongside.clear()
        self.phase("done")
        self.record["ended_at"] = iso(utcnow())
        self.record["exit_code"] = code
        self.record["result"] = "succeeded" if code == errors.OK else "failed"
        if error:
            self.record["error"] = self.cfg.redact(error)
            self.record["error_kind"] = errors.NAMES.get(code, "failed")
            self.record["failed_phase"] = failed_phase or current
        self.log("result %s (exit %d)%s" % (self.record["result"], code,
                                            ": " + error if error else ""),
                 "info" if code == 0 else "error")
        self.save()
        try:
            self._log.close()
        except OSError:
            pass


REFUSALS_KEEP = 100


def record_refusal(cfg, entry):
    """Appends a refused run (busy) to STATE/refusals.jsonl, keeping the last REFUSALS_KEEP."""
    path = os.path.join(cfg.state_dir, "refusals.jsonl")
    os.makedirs(cfg.state_dir, mode=0o700, exist_ok=True)
    fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_APPEND | os.O_NOFOLLOW, 0o600)
    with os.fdopen(fd, "r+", encoding="utf-8") as f:
        fcntl.flock(f.fileno(), fcntl.LOCK_EX)   # this file's own lock, never the jobs' lock
        lines = f.read().splitlines()[-(REFUSALS_KEEP - 1):]
        lines.append(json.dumps(entry, sort_keys=True))
        f.seek(0)
        f.truncate()
        f.write("".join(line + "\n" for line in lines))


def refusals(cfg):
    out = []
    try:
        with open(os.path.join(cfg.state_dir, "refusals.jsonl"), encoding="utf-8") as f:
            for line in f:
                try:
                    out.append(json.loads(line))
                except ValueError:
                    continue
    except OSError:
        pass
    return list(reversed(out))


def prune_history(cfg, keep):
    """Drop the oldest run records beyond `keep` (never a running one: callers hold the lock)."""
    root = os.path.join(cfg.state_dir, "runs")
    try:
        names = sorted(os.listdir(root), key=lambda n: n.replace("restore-", "").replace("verify-", ""))
    except OSError:
        return
    for name in names[:-keep] if len(names) > keep else []:
        shutil.rmtree(os.path.join(root, name), ignore_errors=True)


def list_runs(cfg):
    root = os.path.join(cfg.state_dir, "runs")
    out = []
    try:
        names = os.listdir(root)
    except OSError:
        return out
    for name in names:
        rec = read_json(os.path.join(root, name, "status.json"))
        if rec:
            out.append(rec)
    out.sort(key=lambda r: r.get("started_at") or "", reverse=True)
    return out
