"""The backup archive: an uncompressed tar streamed straight into `rclone rcat`, with a
manifest (sha256 and size of every file) as its last member and as a separate object.

Uncompressed on purpose: SQLite pages and RDB files compress poorly compared to the CPU they
cost, and packing must not be slower than a plain tar (see Tests/backup/bench.sh)."""

import hashlib
import io
import json
import os
import posixpath
import tarfile

from . import errors

MANIFEST = "manifest.json"
ALLOWED_PREFIXES = ("opencode/data/", "opencode/config/", "redis/")
COPY_BUF = 1 << 20


class HashingSink:
    """The tar writes here; every byte is hashed, counted and passed on to rclone's stdin.
    (Hashing on a second thread measured no faster: the writes are many and small.)"""

    def __init__(self, out):
        self.out = out
        self.h = hashlib.sha256()
        self.n = 0

    def write(self, b):
        self.out.write(b)
        self.h.update(b)
        self.n += len(b)
        return len(b)

    def tell(self):
        return self.n

    def flush(self):
        self.out.flush()

    def hexdigest(self):
        return self.h.hexdigest()


class HashingReader:
    def __init__(self, f):
        self.f = f
        self.h = hashlib.sha256()

    def read(self, n=-1):
        b = self.f.read(n)
        self.h.update(b)
        return b


def estimate_size(members):
    """Close estimate of the tar size, for the progress total (exact up to PAX headers)."""
    n = 1024 + 8192  # end-of-archive blocks and a manifest estimate
    for m in members:
        n += 512 + (-(-m["size"] // 512) * 512 if m["kind"] == "file" else 0)
        if len(m["arcname"]) > 99:
            n += 1536
    n += 200 * len(members)  # manifest lines
    return n


def write_archive(members, out, manifest_base, on_member=None):
    """Stream members into `out` (a binary file). Returns (manifest, archive_sha256, size)."""
    sink = HashingSink(out)
    files = []
    tar = tarfile.TarFile(fileobj=sink, mode="w", format=tarfile.PAX_FORMAT, copybufsize=COPY_BUF)
    for m in members:
        ti = tarfile.TarInfo(m["arcname"])
        ti.mtime = int(m.get("mtime") or 0)
        ti.mode = m.get("mode", 0o644) & 0o7777
        ti.uname = ti.gname = "root"
        entry = {"path": m["arcname"], "method": m.get("method", "copy")}
        if m["kind"] == "symlink":
            ti.type = tarfile.SYMTYPE
            ti.linkname = m["linkname"]
            tar.addfile(ti)
            entry.update(type="symlink", target=m["linkname"], size=0)
        else:
            ti.size = m["size"]
            try:
                with open(m["path"], "rb") as f:
                    reader = HashingReader(f)
                    tar.addfile(ti, reader)
            except OSError as e:
                if isinstance(e, BrokenPipeError):
                    raise
                if errors.is_disk_full(e):
                    raise errors.OpsError(errors.DISK_FULL, "disk full while packing %s: %s" % (m["arcname"], e))
                if "unexpected end of data" in str(e):
                    raise errors.OpsError(errors.SNAPSHOT, "%s shrank while it was being backed up; run again" % m["path"])
                raise errors.OpsError(errors.SNAPSHOT, "cannot read %s: %s" % (m["path"], e.strerror or e))
            entry.update(type="file", size=m["size"], sha256=reader.h.hexdigest(),
                         mode="%04o" % (m.get("mode", 0o644) & 0o7777))
        files.append(entry)
        if on_member:
            on_member(sink.n)
    manifest = dict(manifest_base)
    manifest["files"] = files
    manifest["total_bytes"] = sum(f["size"] for f in files)
    data = json.dumps(manifest, indent=1, sort_keys=True).encode()
    ti = tarfile.TarInfo(MANIFEST)
    ti.size = len(data)
    ti.mtime = int(manifest_base.get("created_unix") or 0)
    ti.mode = 0o644
    tar.addfile(ti, io.BytesIO(data))
    tar.close()
    sink.flush()
    return manifest, sink.hexdigest(), sink.n


def safe_name(name):
    """Archive member names restore may write: relative, normalised, under known prefixes."""
    if name == MANIFEST:
        return True
    norm = posixpath.normpath(name)
    return (norm == name and not name.startswith("/") and ".." not in name.split("/")
            and name.startswith(ALLOWED_PREFIXES))


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
                os.makedirs(os.path.dirname(target), exist_ok=True)
                if ti.issym():
                    seen[ti.name] = {"type": "symlink", "target": ti.linkname}
                    continue
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
                os.chmod(target, ti.mode & 0o7777)
                seen[ti.name] = {"type": "file", "size": ti.size, "sha256": h.hexdigest()}
        except (tarfile.TarError, EOFError) as e:
            problems.append("archive truncated or corrupt: %s" % e)
        except OSError as e:
            if errors.is_disk_full(e):
                raise errors.OpsError(errors.DISK_FULL, "staging disk full while extracting: %s" % e)
            raise
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
