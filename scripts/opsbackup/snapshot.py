"""Consistent copies of live sources into staging: Redis-protocol servers through
`redis-cli --rdb`, SQLite databases through SQLite's online backup API."""

import fnmatch
import os
import sqlite3
import subprocess

from . import errors

SQLITE_MAGIC = b"SQLite format 3\x00"
SQLITE_SUFFIXES = (".db", ".sqlite", ".sqlite3")
SQLITE_COMPANIONS = ("-wal", "-shm", "-journal")


def is_sqlite(path):
    if not path.endswith(SQLITE_SUFFIXES):
        return False
    try:
        with open(path, "rb") as f:
            return f.read(16) == SQLITE_MAGIC
    except OSError:
        return False


def walk(root, exclude):
    """Entries under root, sorted, as (relpath, abspath, lstat); excluded patterns match
    the path relative to root ("bin/*" excludes everything under bin/)."""
    out = []
    if not os.path.isdir(root):
        return out
    for dirpath, dirnames, filenames in os.walk(root):
        rel_dir = os.path.relpath(dirpath, root)
        rel_dir = "" if rel_dir == "." else rel_dir + "/"
        keep_dirs = []
        for d in sorted(dirnames):
            rel = rel_dir + d
            if any(fnmatch.fnmatch(rel + "/x", p) or fnmatch.fnmatch(rel, p) for p in exclude):
                continue
            keep_dirs.append(d)
            full = os.path.join(dirpath, d)
            if os.path.islink(full):
                out.append((rel, full, os.lstat(full)))
        dirnames[:] = [d for d in keep_dirs if not os.path.islink(os.path.join(dirpath, d))]
        for name in sorted(filenames):
            rel = rel_dir + name
            if any(fnmatch.fnmatch(rel, p) for p in exclude):
                continue
            full = os.path.join(dirpath, name)
            try:
                out.append((rel, full, os.lstat(full)))
            except FileNotFoundError:
                continue   # removed while we listed: not part of this backup
    out.sort(key=lambda e: e[0])
    return out


class Cancelled(Exception):
    pass


def sqlite_backup(src, dst, cancel=None):
    """Copy a live database with the backup API (a consistent snapshot, WAL included).
    `cancel` (a threading.Event) stops the copy between steps."""
    os.makedirs(os.path.dirname(dst), exist_ok=True)
    try:
        source = sqlite3.connect("file:%s?mode=ro" % src, uri=True, timeout=30)
    except sqlite3.Error as e:
        raise errors.OpsError(errors.SNAPSHOT, "sqlite %s: cannot open: %s" % (src, e))
    try:
        target = sqlite3.connect(dst)
        try:
            # A scratch copy: no journal and no fsync per step (a third faster); it is
            # checked by its sha256 in the manifest, not by SQLite's durability.
            target.execute("PRAGMA journal_mode=OFF")
            target.execute("PRAGMA synchronous=OFF")
            def cb(status, remaining, total):
                if cancel is not None and cancel.is_set():
                    raise Cancelled()
            # 1024 pages per step: the source is not held locked for the whole copy, and a
            # cancel takes effect between steps.
            source.backup(target, pages=1024, progress=cb)
            target.commit()
        finally:
            target.close()
    except sqlite3.Error as e:
        if errors.is_disk_full(e):
            raise errors.OpsError(errors.DISK_FULL, "staging disk full: sqlite backup of %s: %s" % (src, e))
        raise errors.OpsError(errors.SNAPSHOT, "sqlite backup of %s failed: %s" % (src, e))
    except OSError as e:
        if errors.is_disk_full(e):
            raise errors.OpsError(errors.DISK_FULL, "staging disk full: sqlite backup of %s: %s" % (src, e))
        raise errors.OpsError(errors.SNAPSHOT, "sqlite backup of %s failed: %s" % (src, e))
    finally:
        source.close()
    return os.path.getsize(dst)


def _redis_env(src):
    env = dict(os.environ)
    env.pop("REDISCLI_AUTH", None)
    if src.password:
        env["REDISCLI_AUTH"] = src.password   # redis-cli reads it from here, not argv
    return env


def redis_info(src, timeout=10):
    """Server facts for the manifest: version and loaded modules (FalkorDB is a module)."""
    info = {"host": src.host, "port": src.port}
    try:
        p = subprocess.run(["redis-cli", "--no-auth-warning", "-h", src.host, "-p", str(src.port),
                            "INFO", "server"], env=_redis_env(src), capture_output=True,
                           timeout=timeout)
    except (OSError, subprocess.TimeoutExpired) as e:
        raise errors.OpsError(errors.SNAPSHOT, "%s at %s:%d: %s" % (src.name, src.host, src.port, e))
    text = p.stdout.decode("utf-8", "replace")
    if p.returncode != 0 or "redis_version" not in text:
        why = (p.stderr.decode("utf-8", "replace") or text).strip().splitlines()
        raise errors.OpsError(errors.SNAPSHOT, "%s at %s:%d unreachable: %s" % (
            src.name, src.host, src.port, why[-1] if why else "no answer"))
    for line in text.splitlines():
        if ":" in line:
            k, v = line.split(":", 1)
            if k in ("redis_version", "valkey_version", "server_name"):
                info[k] = v.strip()
    try:
        m = subprocess.run(["redis-cli", "--no-auth-warning", "-h", src.host, "-p", str(src.port),
                            "MODULE", "LIST"], env=_redis_env(src), capture_output=True, timeout=timeout)
        mods = parse_module_list(m.stdout.decode("utf-8", "replace"))
        if mods:
            info["modules"] = [name for name, _ in mods]
            info["module_versions"] = {name: ver for name, ver in mods}
    except (OSError, subprocess.TimeoutExpired):
        pass
    return info


def parse_module_list(text):
    """[(name, version)] from `redis-cli MODULE LIST` (not a terminal: one word a line,
    "name", NAME, "ver", VERSION, ... per module). The version is the module's own number
    (FalkorDB 4.2.1 reports 40201); None when missing."""
    words = text.split()
    out = []
    for i, w in enumerate(words[:-1]):
        if w == "name":
            ver = None
            for j in range(i + 2, min(len(words) - 1, i + 12), 2):
                if words[j] == "name":
                    break
                if words[j] == "ver":
                    ver = words[j + 1]
                    break
            out.append((words[i + 1], int(ver) if ver and ver.isdigit() else ver))
    return out


def _cli(src, args, timeout=10):
    p = subprocess.run(["redis-cli", "--no-auth-warning", "-h", src.host, "-p", str(src.port)] + args,
                       env=_redis_env(src), capture_output=True, timeout=timeout)
    return p.returncode, p.stdout.decode("utf-8", "replace").split()


def redis_rdb(src, dst, timeout, log=None, tune_delay=True):
    """`redis-cli --rdb`: the server streams a fresh RDB snapshot (works for Redis, Valkey and
    FalkorDB, whose graphs live inside the RDB). Exit status and file magic are checked.

    Diskless replication makes the server wait repl-diskless-sync-delay (5 s by default) for
    more replicas before it streams; with tune_delay that wait is set to 0 for the snapshot and
    put back afterwards (skipped quietly where CONFIG is disabled)."""
    os.makedirs(os.path.dirname(dst), exist_ok=True)
    old_delay = None
    if tune_delay:
        try:
            rc, words = _cli(src, ["CONFIG", "GET", "repl-diskless-sync-delay"])
            if rc == 0 and len(words) == 2 and words[1].isdigit() and words[1] != "0":
                rc, words2 = _cli(src, ["CONFIG", "SET", "repl-diskless-sync-delay", "0"])
                if rc == 0 and words2 == ["OK"]:
                    old_delay = words[1]
        except (OSError, subprocess.TimeoutExpired):
            old_delay = None
    try:
        return _redis_rdb(src, dst, timeout)
    finally:
        if old_delay is not None:
            try:
                _cli(src, ["CONFIG", "SET", "repl-diskless-sync-delay", old_delay])
            except (OSError, subprocess.TimeoutExpired) as e:
                if log:
                    log("%s: could not restore repl-diskless-sync-delay=%s: %s" % (src.name, old_delay, e), "warn")


def _redis_rdb(src, dst, timeout):
    try:
        p = subprocess.run(["redis-cli", "--no-auth-warning", "-h", src.host, "-p", str(src.port),
                            "--rdb", dst], env=_redis_env(src), capture_output=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        raise errors.OpsError(errors.SNAPSHOT, "%s: redis-cli --rdb timed out after %ds" % (src.name, timeout))
    except OSError as e:
        raise errors.OpsError(errors.SNAPSHOT, "%s: cannot run redis-cli: %s" % (src.name, e))
    out = (p.stderr + p.stdout).decode("utf-8", "replace").strip()
    if p.returncode != 0:
        last = out.splitlines()[-1] if out else "no output"
        if errors.is_disk_full(out):
            raise errors.OpsError(errors.DISK_FULL, "staging disk full: %s RDB: %s" % (src.name, last))
        raise errors.OpsError(errors.SNAPSHOT, "%s: redis-cli --rdb failed (exit %d): %s" % (
            src.name, p.returncode, last))
    try:
        with open(dst, "rb") as f:
            magic = f.read(5)
    except OSError as e:
        raise errors.OpsError(errors.SNAPSHOT, "%s: RDB file missing after redis-cli: %s" % (src.name, e))
    if magic != b"REDIS":
        raise errors.OpsError(errors.SNAPSHOT, "%s: %s is not an RDB file (bad magic)" % (src.name, dst))
    return os.path.getsize(dst)
