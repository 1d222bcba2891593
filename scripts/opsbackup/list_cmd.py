"""`list-backups`: the backups on the remote (size, verification state, what retention would
do with them), joined with the local run records; `--runs` lists the local run history."""

import argparse
import json
import os
import sys

from . import errors, rclone, retention, state, verify_record
from .cli import print_json
from .listing import created_at, remote_backups, retention_items
from .config import NOT_ENCRYPTED, Config


def remote_listing(cfg, details=False):
    rc = rclone.Rclone(cfg, lambda m, level="info": None)
    remote = cfg.remote()
    stats = {}
    backups = remote_backups(rc, remote, stats)
    all_runs = state.list_runs(cfg)
    runs = {r["id"]: r for r in all_runs if r.get("kind") == "backup"}
    instance = cfg.instance_id(create=False)
    now = state.utcnow()
    verifies = verify_record.last_by_backup(all_runs, now)
    items, others, refusal = retention_items(backups, instance, now)
    decisions = {} if refusal else {d["id"]: d for d in retention.plan(
        items, cfg.keep_last, cfg.keep_daily, cfg.keep_weekly, now=now, incomplete_max_age=cfg.incomplete_max_age)}
    out = []
    for b in backups:
        local = runs.get(b["id"])
        if refusal:
            d = {"keep": True, "reasons": ["retention refused"]}
        elif b["id"] in others or (b["state"] == "verified" and b["id"] not in decisions):
            d = {"keep": True, "reasons": ["another instance"]}
        else:
            d = decisions.get(b["id"], {"keep": True, "reasons": []})
        meta = b.get("meta") or {}
        item = {"id": b["id"], "created_at": state.iso(created_at(b)), "archive": b["archive"],
                "manifest": b["manifest"], "bytes": b["bytes"], "state": b["state"],
                "encrypted": bool(b.get("encrypted")),
                "instance": meta.get("instance"), "mine": meta.get("instance") == instance,
                "local_run": {"result": local["result"], "trigger": local["trigger"],
                              "verified": local.get("verified"), "error": local.get("error"),
                              "verification": (local.get("verification") or {}).get("level")} if local else None,
                "retention": {"keep": d["keep"], "reasons": d["reasons"]},
                "last_verify": verifies.get(b["id"])}
        if b.get("problem"):
            item["problem"] = b["problem"]
        if details and b.get("meta"):
            item["details"] = {k: meta.get(k) for k in ("host", "trigger", "files", "total_bytes", "versions",
                                                         "verified_at", "sha256")}
        out.append(item)
    listing = {"schema": 1, "remote": cfg.remote_display(), "instance": instance,
               "policy": {"keep_last": cfg.keep_last, "keep_daily": cfg.keep_daily, "keep_weekly": cfg.keep_weekly},
               "foreign": stats.get("foreign", 0), "encrypted": cfg.encrypted, "backups": out,
               "drill": verify_record.drill(all_runs, cfg.env.get("BACKUP_VERIFY_SCHEDULE"), now)}
    if not cfg.encrypted:
        listing["warnings"] = [NOT_ENCRYPTED]
    if refusal:
        listing["retention_refused"] = refusal
    return listing


def cfg_redact(text):
    try:
        return Config().redact(text)
    except errors.OpsError:
        return text


def human_size(n):
    if n is None:
        return "-"
    for unit in ("B", "KiB", "MiB", "GiB", "TiB"):
        if n < 1024 or unit == "TiB":
            return ("%d %s" % (n, unit)) if unit == "B" else ("%.1f %s" % (n, unit))
        n /= 1024.0


def main(argv=None):
    ap = argparse.ArgumentParser(prog="list-backups", description="List backups on the remote, or the local run history.")
    ap.add_argument("--json", action="store_true")
    ap.add_argument("--details", action="store_true", help="also read every manifest (one more download each)")
    ap.add_argument("--runs", action="store_true", help="list the local run records (backups and restores) instead")
    args = ap.parse_args(argv)
    try:
        cfg = Config()
        if args.runs:
            holder = state.Lock(cfg.state_dir).holder()
            runs = state.list_runs(cfg)
            for r in runs:
                if state.orphaned(r, holder):
                    state.mark_interrupted(r)
            if args.json:
                print_json({"schema": 1, "running": holder, "runs": runs, "refused": state.refusals(cfg)})
            else:
                for r in runs:
                    print("%-30s %-8s %-9s %-10s %s" % (r["id"], r.get("kind"), r.get("trigger"), r.get("result"),
                                                         r.get("error") or ""))
            return 0
        listing = remote_listing(cfg, args.details)
    except errors.OpsError as e:
        message = cfg_redact(e.message)
        if args.json:
            print_json({"result": "failed", "exit_code": e.code, "error": message,
                        "error_kind": errors.NAMES.get(e.code)})
        sys.stderr.write("list-backups: %s\n" % message)
        return e.code
    if args.json:
        print_json(listing)
    else:
        print("remote: %s%s" % (listing["remote"], " (encrypted)" if listing["encrypted"] else ""))
        for w in listing.get("warnings", []):
            print("warning: %s" % w)
        if listing["foreign"]:
            print("(%d objects with names like a backup's but no valid id: skipped)" % listing["foreign"])
        if listing.get("retention_refused"):
            print("retention refused: %s" % listing["retention_refused"])
        print(verify_record.drill_line(listing["drill"]))
        for b in listing["backups"]:
            print("%-22s %10s  %-15s %-9s %s" % (b["id"], human_size(b["bytes"]), b["state"],
                                                 "encrypted" if b["encrypted"] else "plain",
                                           "keep (%s)" % ", ".join(b["retention"]["reasons"]) if b["retention"]["keep"]
                                           else "retention would delete"))
    return 0
