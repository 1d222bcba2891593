"""The backups on the remote, read from its listing and their manifests, and which of them
retention may consider. Shared by `backup` (retention), `list-backups` and `restore`.

A backup is *verified* only when its manifest parses and the stored archive has the size the
manifest names: a manifest object alone proves nothing (a truncated archive beside it, or a
truncated manifest, is `corrupt`)."""

import datetime
import json
import os
import re
import shutil
import tempfile

from . import errors, rclone, state

ARCHIVE_FMT = "opencode-%s.tar"
MANIFEST_FMT = "opencode-%s.manifest.json"
NAME_RE = re.compile(r"^opencode-(.+?)\.(tar|manifest\.json)$")
_DECRYPT_ERROR = re.compile(r"unexpected EOF|bad password|failed to authenticate|not an encrypted file|"
                            r"encrypted file")
# A backup dated this far after now (or after its own upload) means a wrong clock, then or now.
FUTURE_TOLERANCE = datetime.timedelta(hours=1)


def read_manifests(rc, remote, names, encrypted=False):
    """{object name: parsed manifest or None when unreadable}; one rclone call for all. On an
    encrypted remote a manifest that does not decrypt (another password) is None, not fatal:
    its backup is listed corrupt with the reason."""
    if not names:
        return {}
    tmp = tempfile.mkdtemp(prefix="opsbackup-manifests-")
    try:
        listfile = os.path.join(tmp, "names.txt")
        with open(listfile, "w", encoding="utf-8") as f:
            f.write("".join(n + "\n" for n in names))
        out = os.path.join(tmp, "m")
        res = rc.run(["copy", remote, out, "--files-from-raw", listfile, "--no-traverse"]
                     + (["--retries", "1"] if encrypted else []))
        # A wrong crypt password shows as a short read ("unexpected EOF") of that object only.
        undecryptable = encrypted and bool(res.errors) and all(_DECRYPT_ERROR.search(e) for e in res.errors)
        if res.code != 0 and not undecryptable:
            raise errors.OpsError(errors.REMOTE, "reading the manifests on %s failed: %s" % (
                rc.cfg.remote_display(), res.describe()))
        docs = {}
        for n in names:
            try:
                with open(os.path.join(out, n), encoding="utf-8") as f:
                    doc = json.load(f)
                docs[n] = doc if isinstance(doc, dict) else None
            except (OSError, ValueError):
                docs[n] = None
        return docs
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def _parse_time(text):
    try:
        return state.parse_iso(text)
    except (TypeError, ValueError):
        return None


def _mod_time(text):
    """rclone's ModTime (RFC 3339, nanoseconds) as an aware datetime, or None."""
    if not text:
        return None
    m = re.match(r"^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)(?:\.\d+)?(Z|[+-]\d\d:\d\d)$", text)
    if not m:
        return None
    zone = "+00:00" if m.group(2) == "Z" else m.group(2)
    try:
        return datetime.datetime.fromisoformat(m.group(1) + zone)
    except ValueError:
        return None


def locations(rc, remote):
    """[(rclone path, encrypted)] to list: with BACKUP_PASSWORD the crypt remote and the plain
    one beneath it (backups made before encryption was on)."""
    try:
        if remote == rc.cfg.remote():
            return rc.cfg.remotes()
    except errors.OpsError:
        pass
    return [(remote, False)]


def remote_backups(rc, remote, stats=None):
    """Backups on the remote: id, archive, manifest, bytes, modified, state, meta, and where
    they live (`remote`, `encrypted`).

    state: verified | corrupt (manifest unreadable, or the archive's size differs from it) |
    incomplete (no manifest) | missing-archive. Names that look like ours but hold no valid id
    are foreign: skipped and counted in stats["foreign"], never fatal."""
    found = {}
    foreign = 0
    undecryptable = set()
    for where, encrypted in locations(rc, remote):
        here = {}
        for e in rclone.lsjson(rc, where):
            name = e.get("Name", "")
            m = NAME_RE.match(name)
            if not m:
                continue
            if not state.valid_id(m.group(1), restore=False):
                foreign += 1
                continue
            if m.group(1) in found:
                continue   # the encrypted copy of an id wins (listed first)
            b = here.setdefault(m.group(1), {"id": m.group(1), "archive": None, "manifest": None,
                                             "bytes": None, "modified": None, "meta": None,
                                             "remote": where, "encrypted": encrypted})
            if m.group(2) == "tar":
                b.update(archive=name, bytes=e.get("Size"), modified=e.get("ModTime"))
            else:
                b["manifest"] = name
        found.update(here)
        docs_here = read_manifests(rc, where, sorted(b["manifest"] for b in here.values()
                                                     if b["manifest"] and b["archive"]), encrypted)
        for b in here.values():
            b["doc"] = docs_here.get(b["manifest"]) if b["manifest"] else None
            if encrypted and b["manifest"] and b["archive"] and b["doc"] is None:
                undecryptable.add(b["id"])
    for b in found.values():
        doc = b.pop("doc", None)
        if not b["archive"]:
            b["state"] = "missing-archive"
        elif not b["manifest"]:
            b["state"] = "incomplete"
        else:
            problem = describe_problem(b, doc)
            if doc is not None:
                b["meta"] = summary(doc)
            elif b["id"] in undecryptable:
                problem = ("manifest cannot be decrypted with BACKUP_PASSWORD (a wrong password, or "
                           "the object is damaged)")
            b["state"] = "corrupt" if problem else "verified"
            if problem:
                b["problem"] = problem
    if stats is not None:
        stats["foreign"] = foreign
    return sorted(found.values(), key=lambda b: b["id"], reverse=True)


def describe_problem(b, doc):
    if doc is None:
        return "manifest unreadable"
    arc = doc.get("archive") if isinstance(doc.get("archive"), dict) else {}
    if doc.get("id") != b["id"]:
        return "manifest names another backup (%r)" % doc.get("id")
    if not isinstance(arc.get("bytes"), int) or arc.get("bytes") != b["bytes"]:
        return "archive is %s bytes, its manifest says %s" % (b["bytes"], arc.get("bytes"))
    return None


def summary(doc):
    """What listings and retention need from a manifest (not its file list)."""
    arc = doc.get("archive") if isinstance(doc.get("archive"), dict) else {}
    return {"instance": doc.get("instance"), "created_at": doc.get("created_at"), "host": doc.get("host"),
            "trigger": doc.get("trigger"), "files": len(doc.get("files") or []),
            "total_bytes": doc.get("total_bytes"), "versions": doc.get("versions"),
            "verified_at": doc.get("verified_at"), "sha256": arc.get("sha256")}


def created_at(b):
    """When a backup was made: its manifest's created_at, else the time in its id."""
    t = _parse_time((b.get("meta") or {}).get("created_at"))
    return t or state.id_time(b["id"])


def retention_items(backups, instance, now):
    """(items for retention.plan, others, refusal): only this instance's backups are considered;
    those of other instances, and backups without an instance id (made before it existed),
    are never pruned. `refusal` is a reason not to prune at all: one of ours dated in the future.

    Incomplete and corrupt archives are aged by their upload time, not by the clock time in
    their name."""
    items, others = [], []
    for b in backups:
        meta = b.get("meta") or {}
        if b["state"] == "verified":
            if meta.get("instance") != instance:
                others.append(b["id"])
                continue
            t = created_at(b)
            uploaded = _mod_time(b.get("modified"))
            if t > now + FUTURE_TOLERANCE or state.id_time(b["id"]) > now + FUTURE_TOLERANCE:
                return [], others, ("backup %s is dated %s, after the time now (%s): the clock is wrong now or "
                                    "was when it was made; nothing was deleted (fix the clock, or delete "
                                    "misdated backups by hand)" % (b["id"], state.iso(t), state.iso(now)))
            if uploaded and t > uploaded + FUTURE_TOLERANCE:
                return [], others, ("backup %s says it was made at %s but was uploaded at %s: the clock was "
                                    "wrong; nothing was deleted" % (b["id"], state.iso(t), state.iso(uploaded)))
            items.append({"id": b["id"], "time": t, "verified": True})
        elif b["state"] in ("incomplete", "corrupt"):
            if b["state"] == "corrupt" and meta.get("instance") != instance:
                others.append(b["id"])
                continue
            t = _mod_time(b.get("modified")) or state.id_time(b["id"])
            items.append({"id": b["id"], "time": min(t, now), "verified": False})
    return items, others, None
