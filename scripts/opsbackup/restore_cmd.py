"""`restore ID`: download, check every sha256 against the manifest, then restore.

OpenCode's data and config are written in place (SQLite databases through the backup API, so a
running server sees a consistent database); RDB files are left in STATE/restore/RID/ for the
console, which must restart the sidecar with the file in place (scripts/BACKUPS.md)."""

import argparse
import json
import os
import shutil
import signal
import sys

from . import archive, errors, rclone, report, restore_apply, state
from .cli import Interrupted, on_signal, print_json, refuse_busy
from .listing import ARCHIVE_FMT, MANIFEST_FMT, remote_backups
from .config import Config

PARTS = ("data", "config", "falkordb", "valkey")


def fetch_manifest(rc, remote, backup_id):
    res = rc.run(["cat", rclone.join(remote, MANIFEST_FMT % backup_id)], capture=True)
    if res.code != 0:
        return None
    try:
        return json.loads(res.stdout.decode())
    except ValueError:
        raise errors.OpsError(errors.INTEGRITY, "manifest of %s is not valid JSON" % backup_id)


def locate(rc, remote, backup_id):
    """The backup's listing entry; NOT_FOUND if absent, INTEGRITY if it was never verified."""
    if not state.RUN_ID_RE.match(backup_id):
        raise errors.OpsError(errors.USAGE, "%r is not a backup id (expected like 20260101T020000Z-1a2b)" % backup_id)
    for b in remote_backups(rc, remote):
        if b["id"] == backup_id:
            if b["state"] != "verified":
                raise errors.OpsError(errors.INTEGRITY, "backup %s is %s on the remote%s: refusing to restore it"
                                      % (backup_id, b["state"], (" (%s)" % b["problem"]) if b.get("problem") else ""))
            return b
    raise errors.OpsError(errors.NOT_FOUND, "no backup %s on %s" % (backup_id, rc.cfg.remote_display()))


def targets(cfg, manifest, parts):
    """What a restore writes, for the console's confirmation: paths and pending actions."""
    out = {"overwrite": [], "sidecars": []}
    roots = {"data": cfg.data_dir, "config": cfg.config_dir}
    counts = {}
    for f in manifest.get("files", []):
        p = f["path"]
        for part in ("data", "config"):
            prefix = "opencode/%s/" % part
            if p.startswith(prefix) and part in parts:
                counts.setdefault(part, [0, 0, 0])
                c = counts[part]
                c[0] += 1
                c[1] += f.get("size", 0)
                if os.path.lexists(os.path.join(roots[part], p[len(prefix):])):
                    c[2] += 1
        for part in ("falkordb", "valkey"):
            if p == "redis/%s.rdb" % part and part in parts:
                src = cfg.redis[part]
                out["sidecars"].append({"service": part, "host": src.host, "port": src.port,
                                        "bytes": f.get("size"),
                                        "replaces": "the whole %s dataset (after the console restarts it)" % part})
    for part, (n, size, existing) in sorted(counts.items()):
        out["overwrite"].append({"part": part, "path": roots[part], "files": n, "bytes": size,
                                 "existing_files_overwritten": existing})
    return out


class RestoreJob:
    def __init__(self, cfg, run, backup_id, parts, delete_extra):
        self.cfg, self.run, self.backup_id = cfg, run, backup_id
        self.parts = parts
        self.delete_extra = delete_extra
        self.staging = os.path.join(cfg.staging_dir, run.id)
        self.rc = rclone.Rclone(cfg, run.log)

    def execute(self):
        run, cfg = self.run, self.cfg
        try:
            remote = cfg.remote()
            run.set(backup_id=self.backup_id, parts=self.parts)
            run.phase("download")
            entry = locate(self.rc, remote, self.backup_id)
            remote = entry.get("remote") or remote   # an unencrypted backup made before BACKUP_PASSWORD
            run.set(encrypted=bool(entry.get("encrypted")))
            sidecar = fetch_manifest(self.rc, remote, self.backup_id)
            if sidecar is None or "archive" not in sidecar:
                raise errors.OpsError(errors.INTEGRITY, "manifest of %s unreadable: refusing to restore" % self.backup_id)
            os.makedirs(self.staging, exist_ok=True)
            local = os.path.join(self.staging, "archive.tar")
            size = sidecar["archive"].get("bytes") or entry.get("bytes")

            def progress(stats):
                done, tot, rate, eta = rclone.stats_progress(stats, size)
                run.progress(done, tot, rate, eta)

            run.progress(0, size)
            res = self.rc.run(["copyto", rclone.join(remote, ARCHIVE_FMT % self.backup_id), local], progress=progress)
            if res.code != 0:
                code = errors.DISK_FULL if any(errors.is_disk_full(e) for e in res.errors) else errors.REMOTE
                raise errors.OpsError(code, "download of %s failed: %s" % (self.backup_id, res.describe()))
            run.phase("verify")
            digest, n = archive.sha256_file(local)
            if digest != sidecar["archive"].get("sha256") or n != sidecar["archive"].get("bytes"):
                raise errors.OpsError(errors.INTEGRITY, "restore refused: archive %s has sha256 %s… and %d bytes, "
                                      "its manifest says %s… and %s bytes" % (
                                          ARCHIVE_FMT % self.backup_id, digest[:12], n,
                                          str(sidecar["archive"].get("sha256"))[:12], sidecar["archive"].get("bytes")))
            extract = os.path.join(self.staging, "extract")
            manifest = archive.verify_and_extract(local, extract, expected=sidecar)
            os.unlink(local)
            run.log("verified %d files of %s against the manifest" % (len(manifest["files"]), self.backup_id))
            run.set(verified=True)
            run.phase("restore")
            self.apply(manifest, extract)
            code, error = errors.OK, None
        except errors.OpsError as e:
            code, error = e.code, e.message
        except Exception as e:
            code, error = errors.unexpected(e, run.log)
        shutil.rmtree(self.staging, ignore_errors=True)
        report.report_run(cfg, run, code, error)   # Datadog, when DD_API_KEY is set; never fails the run
        run.finish(code, error)
        return code

    def apply(self, manifest, extract):
        run, cfg = self.run, self.cfg
        files = manifest["files"]
        outdir = os.path.join(cfg.state_dir, "restore", run.id)
        journal = restore_apply.Journal(outdir)
        warnings = []

        def warn(text):
            warnings.append(text)
            run.log(text, "warn")

        steps = restore_apply.plan_steps(cfg, manifest, extract, self.parts, self.delete_extra, warn)
        if warnings:
            run.set(warnings=warnings)
        restore_apply.check_space(steps, journal.previous)
        # The RDB files first: they only move within the state folder, so nothing live has
        # changed yet if that fails.
        pending = []
        for part in ("falkordb", "valkey"):
            if part not in self.parts:
                continue
            f = next((f for f in files if f["path"] == "redis/%s.rdb" % part), None)
            if f is None:
                continue
            os.makedirs(outdir, mode=0o700, exist_ok=True)
            dst = os.path.join(outdir, "%s.rdb" % part)
            shutil.move(os.path.join(extract, f["path"]), dst)
            src = cfg.redis[part]
            pending.append({
                "service": part, "rdb": dst, "bytes": f["size"], "sha256": f["sha256"],
                "host": src.host, "port": src.port,
                "steps": ["stop the %s container" % part,
                          "keep its dump.rdb until the new one has loaded",
                          "copy %s into its data volume as its dbfilename (dump.rdb by default)" % dst,
                          "make sure appendonly is off for the first start, or remove the old AOF "
                          "(an AOF would be loaded instead of the RDB)",
                          "start the %s container and check DBSIZE; on failure put the old dump.rdb back" % part]})
        run.set(previous=journal.previous, journal=journal.path)
        every = max(1, len(steps) // 50)

        def progress(done, total):
            if done == total or done % every == 0:
                run.set(applied={"steps": done, "total": total})

        restore_apply.apply_steps(steps, journal, progress)
        restored = {}
        roots = {"data": cfg.data_dir, "config": cfg.config_dir}
        for part in restore_apply.ROOTS:
            mine = [st for st in steps if st.part == part]
            if part not in self.parts or (not mine and part not in (manifest.get("sources") or {})):
                continue
            removed = [st.rel for st in mine if st.kind == "remove"]
            restored[part] = {"path": roots[part], "files": len(mine) - len(removed), "removed": removed}
            run.log("%s: restored %d files into %s%s" % (part, len(mine) - len(removed), roots[part],
                                                          ", removed %d not in the backup" % len(removed) if removed else ""))
        for p in pending:
            run.log("%s: RDB left at %s; the console must restart %s with it in place" % (p["service"], p["rdb"], p["service"]))
        run.log("what the restore replaced is kept in %s (restore --undo %s puts it back)" % (journal.previous, run.id))
        run.set(restored=restored, pending_actions=pending)


def undo_command(rid, as_json, follow):
    """`restore --undo RID`: the journal of restore RID, played backwards."""
    try:
        state.check_id(rid, "restore run id", restore=True)
        cfg = Config()
        journal = restore_apply.Journal(os.path.join(cfg.state_dir, "restore", rid))
        if not os.path.exists(journal.path):
            raise errors.OpsError(errors.NOT_FOUND, "restore %s kept nothing to undo (no %s)" % (rid, journal.path))
        if os.path.exists(journal.undone_path):
            raise errors.OpsError(errors.USAGE, "restore %s was already undone" % rid)
    except errors.OpsError as e:
        if as_json:
            print_json({"result": "failed", "exit_code": e.code, "error": e.message,
                        "error_kind": errors.NAMES.get(e.code)})
        sys.stderr.write("restore: %s\n" % e.message)
        return e.code
    lock = state.Lock(cfg.state_dir)
    run_id = state.new_run_id(prefix="restore-")
    holder = {"id": run_id, "kind": "restore", "trigger": "manual", "undo_of": rid,
              "started_at": state.iso(state.utcnow()), "pid": os.getpid()}
    if not lock.acquire(holder):
        return refuse_busy(cfg, lock, run_id, "restore", "manual", as_json)
    try:
        run = state.Run(cfg, run_id, "restore", "manual", follow=print_json if follow else None)
        run.set(undo_of=rid)
        state.close_orphans(cfg, run_id, run.log)
        run.phase("restore")
        problems = restore_apply.rollback(journal)
        if problems:
            code, error = errors.FAILED, "undo of %s incomplete: %s" % (rid, "; ".join(problems[:3]))
        else:
            journal.mark_undone("undone by " + run_id)
            run.log("undid restore %s: %d steps put back" % (rid, len(journal.entries())))
            code, error = errors.OK, None
        run.finish(code, error)
    finally:
        lock.release()
    if as_json and not follow:
        print_json(run.record)
    elif not as_json and not follow:
        if code == 0:
            print("restore %s undone (%s)" % (rid, run_id))
        else:
            sys.stderr.write("restore: %s\n" % error)
    return code


def main(argv=None):
    ap = argparse.ArgumentParser(prog="restore", description="Restore a verified backup (see scripts/BACKUPS.md).")
    ap.add_argument("id", nargs="?", help="backup id, as printed by list-backups")
    ap.add_argument("--undo", metavar="RID",
                    help="put back what restore run RID replaced (kept under STATE/restore/RID/previous)")
    ap.add_argument("--only", default=",".join(PARTS),
                    help="comma-separated parts to restore: data, config, falkordb, valkey (default: all)")
    ap.add_argument("--plan", action="store_true", help="print what would be overwritten, change nothing")
    ap.add_argument("--delete-extra", action="store_true",
                    help="also delete files in the data/config directories that are not in the backup")
    ap.add_argument("--json", action="store_true")
    ap.add_argument("--follow", action="store_true", help="print the status record as JSON lines")
    ap.add_argument("--run-id", metavar="RID", help="use RID (restore-...) as the run's id (the console passes its job's id)")
    args = ap.parse_args(argv)
    parts = [p.strip() for p in args.only.split(",") if p.strip()]
    bad = [p for p in parts if p not in PARTS]
    if args.undo is not None or args.id is None:
        if args.id is not None or args.undo is None:
            ap.error("give a backup id to restore, or --undo RID")
        return undo_command(args.undo, args.json, args.follow)
    try:
        state.check_id(args.id, "backup id", restore=False)
        if bad:
            raise errors.OpsError(errors.USAGE, "--only: unknown part %s (known: %s)" % (", ".join(bad), ", ".join(PARTS)))
        cfg = Config()
        if args.run_id:
            state.given_run_id(cfg, args.run_id, restore=True)
        if args.plan:
            remote = cfg.remote()
            rc = rclone.Rclone(cfg, lambda m, level="info": None)
            entry = locate(rc, remote, args.id)
            manifest = fetch_manifest(rc, entry.get("remote") or remote, args.id)
            if manifest is None:
                raise errors.OpsError(errors.INTEGRITY, "manifest of %s unreadable" % args.id)
            plan = {"id": args.id, "created_at": manifest.get("created_at"), "host": manifest.get("host"),
                    "parts": parts}
            plan.update(targets(cfg, manifest, parts))
            if args.json:
                print_json(plan)
            else:
                for o in plan["overwrite"]:
                    print("overwrite %s: %d files (%d exist now), %d bytes" % (
                        o["path"], o["files"], o["existing_files_overwritten"], o["bytes"]))
                for s in plan["sidecars"]:
                    print("replace %s at %s:%d: %s" % (s["service"], s["host"], s["port"], s["replaces"]))
            return 0
    except errors.OpsError as e:
        if args.json:
            print_json({"result": "failed", "exit_code": e.code, "error": e.message,
                        "error_kind": errors.NAMES.get(e.code)})
        sys.stderr.write("restore: %s\n" % e.message)
        return e.code
    os.makedirs(os.path.join(cfg.state_dir, "runs"), exist_ok=True)
    lock = state.Lock(cfg.state_dir)
    run_id = args.run_id or state.new_run_id(prefix="restore-")
    holder = {"id": run_id, "kind": "restore", "trigger": "manual", "backup_id": args.id,
              "started_at": state.iso(state.utcnow()), "pid": os.getpid()}
    if not lock.acquire(holder):
        return refuse_busy(cfg, lock, run_id, "restore", "manual", args.json)
    run = state.Run(cfg, run_id, "restore", "manual", follow=print_json if args.follow else None)
    run.save()
    state.close_orphans(cfg, run_id, run.log)
    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)
    try:
        code = RestoreJob(cfg, run, args.id, parts, args.delete_extra).execute()
    except Interrupted as e:
        run.finish(e.code, e.message)
        code = e.code
    finally:
        lock.release()
    rec = run.record
    if args.json and not args.follow:
        print_json(rec)
    elif not args.json and not args.follow:
        if code == 0:
            print("restore %s of %s: succeeded" % (run.id, args.id))
            for p in rec.get("pending_actions", []):
                print("  %s: RDB at %s; stop %s, put it in its data volume, start it" % (
                    p["service"], p["rdb"], p["service"]))
        else:
            sys.stderr.write("restore %s of %s: FAILED (exit %d): %s\n" % (run.id, args.id, code, rec["error"]))
    return code
