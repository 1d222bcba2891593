"""Writing a verified backup into the live data and config folders, with a way back.

Every file or database a restore replaces or removes is first kept under
STATE/restore/<rid>/previous/<part>/<path> (a hard link when the state folder shares the
filesystem, else a copy; a database through SQLite's backup API), and each step is written to
STATE/restore/<rid>/journal.jsonl before it is made. Free space is checked before the first
change. A failure puts back what was applied; `restore --undo RID` does the same later.

Nothing is written through a symlink: a destination with a symlink among its parents inside
the root is refused before anything changes."""

import errno
import json
import os
import shutil
import sqlite3
import stat

from . import archive, errors, snapshot

ROOTS = ("data", "config")
SPACE_MARGIN = 1 << 20   # bytes kept free beyond the estimate


class Step:
    """One change: kind is file, sqlite, symlink or remove."""

    def __init__(self, kind, part, root, rel, src=None, mode=0o644, target=None, size=0):
        self.kind, self.part, self.root, self.rel = kind, part, root, rel
        self.src, self.mode, self.target, self.size = src, mode, target, size

    @property
    def dst(self):
        return os.path.join(self.root, self.rel)


def symlinked_parent(root, rel):
    """The first folder between root and root/rel that is a symlink (or not a folder), else None."""
    parts = rel.split("/")[:-1]
    path = root
    for p in parts:
        path = os.path.join(path, p)
        try:
            st = os.lstat(path)
        except FileNotFoundError:
            return None   # created by the restore, as a real folder
        if stat.S_ISLNK(st.st_mode) or not stat.S_ISDIR(st.st_mode):
            return path
    return None


def plan_steps(cfg, manifest, extract, parts, delete_extra, warn):
    """The steps of a restore, checked: raises OpsError(INTEGRITY) for a destination under a
    symlink or one that is a folder; links that would point outside their root are skipped
    with a warning."""
    files = manifest["files"]
    steps = []
    roots = {"data": cfg.data_dir, "config": cfg.config_dir}
    for part in ROOTS:
        if part not in parts:
            continue
        root = roots[part]
        prefix = "opencode/%s/" % part
        mine = [f for f in files if f["path"].startswith(prefix)]
        if not mine and part not in (manifest.get("sources") or {}):
            continue
        wanted = set()
        for f in mine:
            rel = f["path"][len(prefix):]
            wanted.add(rel)
            if f.get("type") == "symlink":
                if not archive.link_target_safe(f["path"], f.get("target")):
                    warn("%s: symlink to %r points outside %s: not restored" % (f["path"], f.get("target"), root))
                    continue
                steps.append(Step("symlink", part, root, rel, target=f["target"]))
            elif f.get("method") == "sqlite backup API":
                steps.append(Step("sqlite", part, root, rel, src=os.path.join(extract, f["path"]), size=f.get("size", 0)))
            else:
                mode = int(f.get("mode", "0644"), 8) & 0o777
                steps.append(Step("file", part, root, rel, src=os.path.join(extract, f["path"]), mode=mode,
                                  size=f.get("size", 0)))
        if delete_extra:
            exclude = (manifest.get("sources") or {}).get(part, {}).get("exclude", [])
            sqlite_names = {s.rel for s in steps if s.kind == "sqlite" and s.part == part}
            keep = wanted | {r + c for r in sqlite_names for c in snapshot.SQLITE_COMPANIONS}
            for rel, full, st in snapshot.walk(root, exclude):
                if rel not in keep and not stat.S_ISDIR(st.st_mode):
                    steps.append(Step("remove", part, root, rel, size=st.st_size))
    for s in steps:
        bad = symlinked_parent(s.root, s.rel)
        if bad:
            raise errors.OpsError(errors.INTEGRITY, "restore refused: %s is reached through %s, which is a symlink "
                                  "or not a folder; nothing was changed (replace the link with a folder, or "
                                  "restore with --only to leave %s out)" % (s.dst, bad, s.part))
        if s.kind != "remove" and os.path.isdir(s.dst) and not os.path.islink(s.dst):
            raise errors.OpsError(errors.INTEGRITY, "restore refused: %s is a folder, the backup has a file there; "
                                  "nothing was changed" % s.dst)
    return steps


def check_space(steps, previous_dir):
    """Before the first change: room for the new files beside the old ones, and for the copies
    of what they replace when those cannot be hard links."""
    os.makedirs(previous_dir, mode=0o700, exist_ok=True)
    prev_dev = os.stat(previous_dir).st_dev
    need = {}   # device -> [bytes, a path on it]
    for s in steps:
        anchor = _existing_parent(s.dst)
        dev = os.stat(anchor).st_dev
        if s.kind in ("file", "sqlite"):
            need.setdefault(dev, [0, anchor])[0] += s.size
        try:
            old = os.lstat(s.dst)
        except FileNotFoundError:
            continue
        if stat.S_ISREG(old.st_mode) and (s.kind == "sqlite" or dev != prev_dev):
            need.setdefault(prev_dev, [0, previous_dir])[0] += old.st_size
    for dev, (n, path) in need.items():
        vfs = os.statvfs(path)
        free = vfs.f_bavail * vfs.f_frsize
        if n + SPACE_MARGIN > free:
            raise errors.OpsError(errors.DISK_FULL, "restore refused: %s needs about %d bytes free, %d are; nothing "
                                  "was changed" % (path, n + SPACE_MARGIN, free))


def _existing_parent(path):
    p = os.path.dirname(path)
    while not os.path.exists(p):
        p = os.path.dirname(p)
    return p


class Journal:
    """STATE/restore/<rid>/journal.jsonl: one line per step, written (and synced) before the
    step is made, so a rollback or an undo knows what to put back even after a crash."""

    def __init__(self, base):
        self.base = base
        self.path = os.path.join(base, "journal.jsonl")
        self.previous = os.path.join(base, "previous")

    def open(self):
        os.makedirs(self.previous, mode=0o700, exist_ok=True)
        fd = os.open(self.path, os.O_WRONLY | os.O_CREAT | os.O_APPEND | os.O_NOFOLLOW, 0o600)
        self.f = os.fdopen(fd, "a", encoding="utf-8")

    def add(self, entry):
        self.f.write(json.dumps(entry, sort_keys=True) + "\n")
        self.f.flush()
        os.fsync(self.f.fileno())

    def close(self):
        self.f.close()

    @property
    def undone_path(self):
        return os.path.join(self.base, "undone")

    def mark_undone(self, by):
        with open(self.undone_path, "w", encoding="utf-8") as f:
            f.write(by + "\n")

    def entries(self):
        out = []
        try:
            with open(self.path, encoding="utf-8") as f:
                for line in f:
                    try:
                        out.append(json.loads(line))
                    except ValueError:
                        continue   # a line cut by a crash: its step was never made
        except FileNotFoundError:
            pass
        return out


def apply_steps(steps, journal, progress=None):
    """Make the steps; on any failure put back what was applied and raise."""
    journal.open()
    try:
        for i, s in enumerate(steps):
            saved = _keep_previous(s, journal.previous)
            journal.add({"kind": s.kind, "part": s.part, "root": s.root, "rel": s.rel, "saved": saved})
            _make(s)
            if progress:
                progress(i + 1, len(steps))
    except BaseException as e:
        journal.close()
        problems = rollback(journal)
        if not problems:
            journal.mark_undone("rolled back after the failure")
        if isinstance(e, errors.OpsError):
            e.message += "; the restore was rolled back" + (" (with problems: %s)" % "; ".join(problems) if problems else "")
            raise
        if isinstance(e, OSError):
            code = errors.DISK_FULL if errors.is_disk_full(e) else errors.FAILED
            raise errors.OpsError(code, "restore failed: %s: %s; the restore was rolled back%s" % (
                getattr(e, "filename", None) or "", e.strerror or e,
                " (with problems: %s)" % "; ".join(problems) if problems else ""))
        raise
    journal.close()


def _keep_previous(s, previous):
    """Keep what s.dst holds now under previous/; returns how ("link", "copy", "sqlite",
    "symlink") or None when there is nothing."""
    try:
        st = os.lstat(s.dst)
    except FileNotFoundError:
        return None
    keep = os.path.join(previous, s.part, s.rel)
    os.makedirs(os.path.dirname(keep), mode=0o700, exist_ok=True)
    if os.path.lexists(keep):
        os.unlink(keep)
    if stat.S_ISLNK(st.st_mode):
        os.symlink(os.readlink(s.dst), keep)
        return "symlink"
    if s.kind == "sqlite" and snapshot.is_sqlite(s.dst):
        snapshot.sqlite_backup(s.dst, keep)
        return "sqlite"
    try:
        os.link(s.dst, keep, follow_symlinks=False)   # the old inode lives on; renames never touch it
        return "link"
    except OSError as e:
        if e.errno not in (errno.EXDEV, errno.EPERM, errno.EMLINK, errno.EACCES):
            raise
    shutil.copy2(s.dst, keep, follow_symlinks=False)
    return "copy"


def _tmp(dst):
    return "%s.restore-tmp.%d" % (dst, os.getpid())


def _place(src, dst, mode):
    """Replace dst atomically: copy beside it, then rename over it (a symlink at dst is
    replaced, never followed)."""
    os.makedirs(os.path.dirname(dst), exist_ok=True)
    tmp = _tmp(dst)
    try:
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o600)
        with os.fdopen(fd, "wb") as out, open(src, "rb") as inp:
            shutil.copyfileobj(inp, out, archive.COPY_BUF)
        os.chmod(tmp, mode & 0o777)
        os.replace(tmp, dst)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise


def _sqlite_into(src, dst):
    """Into the live database through the backup API: an open OpenCode connection sees the old
    or the new database, never a torn file."""
    source = sqlite3.connect("file:%s?mode=ro" % src, uri=True)
    try:
        target = sqlite3.connect(dst, timeout=30)
        try:
            source.backup(target)
        finally:
            target.close()
    except sqlite3.Error as e:
        raise errors.OpsError(errors.DISK_FULL if errors.is_disk_full(e) else errors.FAILED,
                              "restore of the database %s failed: %s" % (dst, e))
    finally:
        source.close()


def _make(s):
    if s.kind == "remove":
        if os.path.lexists(s.dst):
            os.unlink(s.dst)
    elif s.kind == "symlink":
        os.makedirs(os.path.dirname(s.dst), exist_ok=True)
        tmp = _tmp(s.dst)
        os.symlink(s.target, tmp)
        os.replace(tmp, s.dst)
    elif s.kind == "sqlite" and os.path.exists(s.dst) and not os.path.islink(s.dst) and snapshot.is_sqlite(s.dst):
        _sqlite_into(s.src, s.dst)
    else:
        _place(s.src, s.dst, s.mode if s.kind == "file" else 0o644)


def rollback(journal):
    """Put back what the journal's steps replaced, newest first. Returns the problems met
    (each step is tried; one that cannot be put back does not stop the others)."""
    problems = []
    for e in reversed(journal.entries()):
        dst = os.path.join(e["root"], e["rel"])
        keep = os.path.join(journal.previous, e["part"], e["rel"])
        try:
            if symlinked_parent(e["root"], e["rel"]):
                raise OSError(errno.ELOOP, "a parent folder is now a symlink", dst)
            saved = e.get("saved")
            if saved is None:
                if os.path.lexists(dst) and not os.path.isdir(dst):
                    os.unlink(dst)
            elif saved == "symlink":
                tmp = _tmp(dst)
                os.symlink(os.readlink(keep), tmp)
                os.replace(tmp, dst)
            elif saved == "sqlite" and os.path.exists(dst) and snapshot.is_sqlite(dst):
                _sqlite_into(keep, dst)
            else:
                _place(keep, dst, stat.S_IMODE(os.stat(keep).st_mode))
        except (OSError, errors.OpsError) as err:
            problems.append("%s: %s" % (dst, getattr(err, "message", None) or err))
    return problems
