"""The backup archive: an uncompressed tar streamed straight into `rclone rcat`, with a
manifest (sha256 and size of every file) as its last member and as a separate object.

Uncompressed on purpose: SQLite pages and RDB files compress poorly compared to the CPU they
cost, and the packing has to keep up with rclone (see Tests/backup/bench.sh)."""

import hashlib
import io
import json
import os
import posixpath
import queue
import stat
import tarfile
import threading

from . import errors

MANIFEST = "manifest.json"
ALLOWED_PREFIXES = ("opencode/data/", "opencode/config/", "redis/")
COPY_BUF = 1 << 20


class HashingSink:
    """The tar writes here; every byte is hashed, counted and passed on to rclone's stdin.

    Hashing and writing run on a second thread, so the archive hash overlaps the per-file
    hashes of the packing thread; small writes (headers, small files) are gathered into one
    chunk first, which saves a queue round and a syscall per tar header."""

    GATHER = 1 << 20

    def __init__(self, out, also=()):
        self.out = out
        self.h = hashlib.sha256()
        self.also = list(also)   # the remote's own hash of what it stores (md5, sha1)
        self.n = 0
        self.buf = bytearray()
        self.chunks = queue.Queue(8)
        self.error = None
        self.aborted = False
        self.thread = threading.Thread(target=self._drain_queue, daemon=True)
        self.thread.start()

    def _drain_queue(self):
        while True:
            b = self.chunks.get()
            if b is None or self.aborted:
                return
            if self.error is not None:
                continue   # keep taking chunks so the packing thread never blocks
            try:
                self.out.write(b)
                self.h.update(b)
                for h in self.also:
                    h.update(b)
            except BaseException as e:
                self.error = e

    def _check(self):
        if self.error is not None:
            raise self.error

    def write(self, b):
        self._check()
        n = len(b)
        if n < 65536:
            self.buf += b
            if len(self.buf) >= self.GATHER:
                self._send()
        else:
            self._send()
            self.chunks.put(bytes(b))
        self.n += n
        return n

    def _send(self):
        if self.buf:
            self.chunks.put(self.buf)
            self.buf = bytearray()

    def tell(self):
        return self.n

    def close(self):
        """Wait until every byte is written and hashed; raises what the writing met."""
        self._send()
        self.chunks.put(None)
        self.thread.join()
        self._check()
        self.out.flush()

    def abort(self):
        """Packing failed: stop writing (the thread may still wait on a full pipe until the
        caller stops rclone)."""
        self.aborted = True
        try:
            self.chunks.put_nowait(None)
        except queue.Full:
            pass

    def hexdigest(self):
        return self.h.hexdigest()


END_AND_MANIFEST = 1024 + 8192   # end-of-archive blocks and a manifest estimate


def estimate_size(members):
    """Close estimate of what members add to the tar, their manifest lines included (exact up
    to PAX headers); the whole archive adds END_AND_MANIFEST. For the progress total."""
    n = 0
    for m in members:
        n += 512 + (-(-m["size"] // 512) * 512 if m["kind"] == "file" else 0)
        if len(m["arcname"]) > 99:
            n += 1536
    n += 200 * len(members)  # manifest lines
    return n


def write_archive(members, out, manifest_base, warn=None, also=()):
    """Stream members (an iterable) into `out` (a binary file) as a POSIX (PAX) tar; the
    manifest, from manifest_base() once every member is written, goes last. Returns
    (manifest, archive_sha256, size). warn(text) hears of files skipped (vanished); the
    hashlib objects in `also` see every byte too.

    Headers come from tarfile.TarInfo, but the members are written here: TarFile.addfile's
    own bookkeeping cost more than reading and hashing a small file."""
    sink = HashingSink(out, also)
    try:
        files = [e for e in (_add_member(sink, m, warn or (lambda text: None)) for m in members) if e]
        manifest = dict(manifest_base())
        manifest["files"] = files
        manifest["total_bytes"] = sum(f["size"] for f in files)
        data = json.dumps(manifest, sort_keys=True).encode()   # no indent: the C encoder
        ti = _header(MANIFEST, 0o644, manifest.get("created_unix"))
        ti.size = len(data)
        sink.write(_tobuf(ti))
        sink.write(data + _padding(len(data)))
        sink.write(bytes(2 * tarfile.BLOCKSIZE))   # end of archive
        sink.write(bytes(-sink.n % tarfile.RECORDSIZE))
        sink.close()
    except BaseException:
        sink.abort()
        raise
    return manifest, sink.hexdigest(), sink.n


def _header(name, mode, mtime):
    ti = tarfile.TarInfo(name)
    ti.mtime = int(mtime or 0)
    ti.mode = mode & 0o7777
    ti.uname = ti.gname = "root"
    return ti


def _tobuf(ti):
    """The header tarfile writes for `ti` in PAX format. In the common case (short ASCII names,
    a regular file or a symlink) that is a plain ustar block, built here directly: tarfile's
    checks for PAX fields took about 50 us a header, 0.2 s for 4000 small files."""
    name, link = ti.name, ti.linkname
    if (ti.type in (tarfile.REGTYPE, tarfile.SYMTYPE) and len(name) < 100 and len(link) < 100
            and name.isascii() and link.isascii() and name.isprintable() and link.isprintable()
            and 0 <= ti.size < _OCTAL_11 and 0 <= ti.mtime < _OCTAL_11 and type(ti.mtime) is int
            and ti.uid == ti.gid == 0 and ti.uname == ti.gname == "root"):
        return _ustar(ti)
    return ti.tobuf(tarfile.PAX_FORMAT, "utf-8", "surrogateescape")


_OCTAL_11 = 8 ** 11
_OWNER = b"0000000\0" * 2                                      # uid, gid
_MAGIC_AND_NAMES = tarfile.POSIX_MAGIC + b"root".ljust(32, b"\0") * 2
_TAIL = bytes(16 + 155 + 12)                                   # devmajor, devminor, prefix, padding


def _ustar(ti):
    """Byte for byte what tarfile writes for such a header (Tests/backup/test_archive.py)."""
    head = b"".join((ti.name.encode("ascii").ljust(100, b"\0"), b"%07o\0" % (ti.mode & 0o7777), _OWNER,
                     b"%011o\0" % ti.size, b"%011o\0" % ti.mtime))
    rest = b"".join((ti.type, ti.linkname.encode("ascii").ljust(100, b"\0"), _MAGIC_AND_NAMES, _TAIL))
    checksum = sum(head) + 256 + sum(rest)   # the checksum field counts as eight spaces
    return head + b"%06o\0 " % checksum + rest


def _padding(size):
    return bytes(-size % tarfile.BLOCKSIZE)


SMALL_FILE = 8 << 20   # read whole before packing: a change is caught before any byte is sent
READ_ATTEMPTS = 4


def _same_file(a, b):
    return (a.st_size, a.st_mtime_ns, a.st_ctime_ns, a.st_ino) == (b.st_size, b.st_mtime_ns, b.st_ctime_ns, b.st_ino)


def _add_member(sink, m, warn):
    """Write one member; returns its manifest entry (with the sha256 of what was written), or
    None for a file that vanished before it was read."""
    if m["kind"] == "symlink":
        ti = _header(m["arcname"], m.get("mode", 0o644), m.get("mtime"))
        ti.type = tarfile.SYMTYPE
        ti.linkname = m["linkname"]
        sink.write(_tobuf(ti))
        return {"path": m["arcname"], "method": m.get("method", "copy"), "type": "symlink",
                "target": m["linkname"], "size": 0}
    if m.get("method", "copy") != "copy":
        return _add_file(sink, m, warn, stable=True)
    return _add_file(sink, m, warn)


def _add_file(sink, m, warn, stable=False):
    """A plain file read in place: its size, mtime, ctime and inode are compared before and
    after the read, and a file that changed meanwhile is read again (a live server rewrites
    session files at any time). A small one is read whole before anything is sent; a large
    one is streamed, and a torn copy is followed by a fresh member of the same name, which
    replaces it on extraction. `stable`: a staging copy nobody changes."""
    path = m["path"]
    torn_sent = False
    for attempt in range(READ_ATTEMPTS):
        try:
            fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW)
        except FileNotFoundError:
            if torn_sent:
                raise errors.OpsError(errors.SNAPSHOT, "%s was removed while it was being backed up; run again" % path)
            warn("%s vanished before it was read: not in this backup" % m["arcname"])
            return None
        except OSError as e:
            if errors.is_disk_full(e):
                raise errors.OpsError(errors.DISK_FULL, "disk full while packing %s: %s" % (m["arcname"], e))
            raise errors.OpsError(errors.SNAPSHOT, "cannot read %s: %s" % (path, e.strerror or e))
        try:
            with os.fdopen(fd, "rb", buffering=0) as f:
                before = os.fstat(f.fileno())
                if not stat.S_ISREG(before.st_mode):
                    raise errors.OpsError(errors.SNAPSHOT, "%s is no longer a regular file; run again" % path)
                size = before.st_size
                ti = _header(m["arcname"], m.get("mode", before.st_mode) if stable else before.st_mode,
                             m.get("mtime") if stable else before.st_mtime)
                small = not stable and size <= SMALL_FILE
                ti.size = size
                h = hashlib.sha256()
                if small:
                    data = b"".join(_chunks(f, size))
                    if len(data) != size or not _unchanged(f, path, before):
                        continue
                    h.update(data)
                    sink.write(_tobuf(ti))
                    sink.write(data)
                else:
                    sink.write(_tobuf(ti))
                    left = size
                    for b in _chunks(f, size):
                        h.update(b)
                        sink.write(b)
                        left -= len(b)
                    if left:   # shrank: keep the tar in step, then read it again
                        sink.write(bytes(left))
                    sink.write(_padding(size))
                    if left and stable:
                        raise errors.OpsError(errors.SNAPSHOT, "%s shrank while it was being packed" % path)
                    if not stable and (left or not _unchanged(f, path, before)):
                        torn_sent = True
                        continue
        except OSError as e:
            if isinstance(e, BrokenPipeError):
                raise
            if errors.is_disk_full(e):
                raise errors.OpsError(errors.DISK_FULL, "disk full while packing %s: %s" % (m["arcname"], e))
            raise errors.OpsError(errors.SNAPSHOT, "cannot read %s: %s" % (path, e.strerror or e))
        if small:
            sink.write(_padding(size))
        if attempt:
            warn("%s changed while it was read; read again (%d attempts)" % (m["arcname"], attempt + 1))
        return {"path": m["arcname"], "method": m.get("method", "copy"), "type": "file", "size": size,
                "sha256": h.hexdigest(), "mode": "%04o" % ti.mode}
    raise errors.OpsError(errors.SNAPSHOT, "%s kept changing while it was being backed up (%d reads); run again"
                          % (path, READ_ATTEMPTS))


def _chunks(f, size):
    """The file's bytes up to size, in COPY_BUF pieces; fewer when it ends sooner."""
    left = size
    while left:
        b = f.read(min(COPY_BUF, left))
        if not b:
            return
        yield b
        left -= len(b)


def _unchanged(f, path, before):
    """The open file did not change during the read, and the path still names it (a rename
    over it means a newer version is there)."""
    if not _same_file(before, os.fstat(f.fileno())):
        return False
    try:
        now = os.stat(path, follow_symlinks=False)
    except FileNotFoundError:
        return True    # removed after a complete read: what was read is a consistent version
    return _same_file(before, now)


def safe_name(name):
    """Archive member names restore may write: relative, normalised, under known prefixes."""
    if name == MANIFEST:
        return True
    norm = posixpath.normpath(name)
    return (norm == name and not name.startswith("/") and ".." not in name.split("/")
            and name.startswith(ALLOWED_PREFIXES))


def link_target_safe(member, target):
    """A symlink member may be created only with a relative target that stays inside its part
    (opencode/data/ or opencode/config/): the manifest's sha256 proves integrity, not who
    wrote the bucket."""
    if not target or target.startswith("/") or "\0" in target:
        return False
    root = next((p for p in ("opencode/data/", "opencode/config/") if member.startswith(p)), None)
    if root is None:
        return False
    resolved = posixpath.normpath(posixpath.join(posixpath.dirname(member), target))
    return (resolved + "/").startswith(root) and resolved + "/" != root


def sha256_file(path, progress=None):
    h = hashlib.sha256()
    n = 0
    with open(path, "rb") as f:
        while True:
            b = f.read(COPY_BUF)
            if not b:
                break
            h.update(b)
            n += len(b)
            if progress:
                progress(n)
    return h.hexdigest(), n


def sha256_stream(pipe):
    """sha256 of everything read from pipe. Reading runs on a second thread so the hashing
    overlaps it (the verify download is read at pipe speed, a quarter faster this way)."""
    chunks = queue.Queue(8)

    def read():
        try:
            while True:
                b = pipe.read(COPY_BUF)
                chunks.put(b)
                if not b:
                    return
        except BaseException as e:
            chunks.put(e)

    threading.Thread(target=read, daemon=True).start()
    h = hashlib.sha256()
    while True:
        b = chunks.get()
        if isinstance(b, BaseException):
            raise b
        if not b:
            return h.hexdigest()
        h.update(b)


def verify_and_extract(archive_path, dest, expected=None):
    """Check every member against the manifest inside the archive while extracting to dest.

    Returns the manifest. Raises OpsError(INTEGRITY) on any mismatch, unknown or missing
    file, or unsafe name; the caller then deletes dest, so nothing unverified is restored."""
    problems = []
    seen = {}
    manifest = None
    try:
        tar = tarfile.open(archive_path, "r:")
    except (tarfile.TarError, OSError) as e:
        raise errors.OpsError(errors.INTEGRITY, "archive unreadable: %s" % e)
    with tar:
        try:
            for ti in tar:
                if not safe_name(ti.name):
                    problems.append("unsafe member name %r" % ti.name)
                    continue
                if ti.name == MANIFEST:
                    try:
                        manifest = json.loads(tar.extractfile(ti).read().decode())
                    except ValueError as e:
                        problems.append("manifest.json is not valid JSON: %s" % e)
                    continue
                target = os.path.join(dest, ti.name)
                if ti.issym():
                    # Recorded, never created in staging: restore makes the link itself, and
                    # only when it stays inside its root (link_target_safe).
                    seen[ti.name] = {"type": "symlink", "target": ti.linkname}
                    continue
                os.makedirs(os.path.dirname(target), exist_ok=True)
                if not ti.isfile():
                    problems.append("unexpected member type for %s" % ti.name)
                    continue
                h = hashlib.sha256()
                src = tar.extractfile(ti)
                with open(target, "wb") as out:
                    while True:
                        b = src.read(COPY_BUF)
                        if not b:
                            break
                        h.update(b)
                        out.write(b)
                os.chmod(target, ti.mode & 0o777)   # no setuid, setgid or sticky bit from an archive
                seen[ti.name] = {"type": "file", "size": ti.size, "sha256": h.hexdigest()}
        except (tarfile.TarError, EOFError) as e:
            problems.append("archive truncated or corrupt: %s" % e)
        except OSError as e:
            if errors.is_disk_full(e):
                raise errors.OpsError(errors.DISK_FULL, "staging disk full while extracting: %s" % e)
            raise
    links = {p for p, v in seen.items() if v["type"] == "symlink"}
    for path in seen:
        parts = path.split("/")
        under = next(("/".join(parts[:i]) for i in range(1, len(parts)) if "/".join(parts[:i]) in links), None)
        if under:
            problems.append("%s: member under the symlink member %s (would write through it)" % (path, under))
    if manifest is None:
        problems.append("manifest.json missing from the archive")
    else:
        if expected is not None and expected.get("files") != manifest.get("files"):
            problems.append("manifest inside the archive differs from the uploaded manifest")
        listed = {f["path"]: f for f in manifest.get("files", [])}
        for path, f in listed.items():
            got = seen.get(path)
            if got is None:
                problems.append("%s: listed in the manifest, missing from the archive" % path)
            elif f.get("type") == "symlink":
                if got.get("target") != f.get("target"):
                    problems.append("%s: symlink target differs" % path)
            elif got.get("sha256") != f.get("sha256") or got.get("size") != f.get("size"):
                problems.append("%s: sha256 mismatch (manifest %s…, archive %s…)" % (
                    path, str(f.get("sha256"))[:12], str(got.get("sha256"))[:12]))
        for path in seen:
            if path not in listed:
                problems.append("%s: in the archive but not in the manifest" % path)
    if problems:
        more = " (+%d more)" % (len(problems) - 3) if len(problems) > 3 else ""
        raise errors.OpsError(errors.INTEGRITY, "restore refused, archive does not match its manifest: "
                              + "; ".join(problems[:3]) + more)
    return manifest
