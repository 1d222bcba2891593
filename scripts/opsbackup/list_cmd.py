"""`list-backups`: the backups on the remote (size, verification state, what retention would
do with them), joined with the local run records; `--runs` lists the local run history."""

import argparse
import json
import os
import sys

from . import errors, rclone, retention, state
from .backup_cmd import print_json, remote_backups
from .config import Config


def remote_listing(cfg, details=False):
    rc = rclone.Rclone(cfg, lambda m, level="info": None)
    remote = cfg.remote()
    backups = remote_backups(rc, remote)
    runs = {r["id"]: r for r in state.list_runs(cfg) if r.get("kind") == "backup"}
    decisions = {d["id"]: d for d in retention.plan(
        [{"id": b["id"], "time": state.id_time(b["id"]), "verified": b["state"] == "verified"} for b in backups],
        cfg.keep_last, cfg.keep_daily, cfg.keep_weekly, now=state.utcnow(),
        incomplete_max_age=cfg.incomplete_max_age)}
    manifests = {}
    if details and any(b["manifest"] for b in backups):
        # One rclone call for every manifest: their JSON objects arrive concatenated.
        res = rc.run(["cat", remote, "--include", "opencode-*.manifest.json"], capture=True)
        text = res.stdout.decode("utf-8", "replace")
        dec = json.JSONDecoder()
        i = 0
        while i < len(text):
            while i < len(text) and text[i].isspace():
                i += 1
            if i >= len(text):
                break
            try:
                obj, i = dec.raw_decode(text, i)
            except ValueError:
                break
            if isinstance(obj, dict) and obj.get("id"):
                manifests[obj["id"]] = obj
    out = []
    for b in backups:
        local = runs.get(b["id"])
        d = decisions.get(b["id"], {})
        item = {"id": b["id"], "created_at": state.iso(state.id_time(b["id"])), "archive": b["archive"],
                "manifest": b["manifest"], "bytes": b["bytes"], "state": b["state"],
                "local_run": {"result": local["result"], "trigger": local["trigger"],
                              "verified": local.get("verified"), "error": local.get("error")} if local else None,
                "retention": {"keep": d.get("keep", True), "reasons": d.get("reasons", [])}}
        m = manifests.get(b["id"])
        if m:
            item["details"] = {"host": m.get("host"), "trigger": m.get("trigger"), "files": len(m.get("files", [])),
                               "total_bytes": m.get("total_bytes"), "versions": m.get("versions"),
                               "verified_at": m.get("verified_at"),
                               "sha256": (m.get("archive") or {}).get("sha256")}
        out.append(item)
    return {"schema": 1, "remote": cfg.remote_display(),
            "policy": {"keep_last": cfg.keep_last, "keep_daily": cfg.keep_daily, "keep_weekly": cfg.keep_weekly},
            "backups": out}


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
                if r.get("result") == "running" and not (holder and holder.get("id") == r["id"]):
                    r.update(result="failed", error="run ended without recording a result (process gone)",
                             error_kind="failed")
            if args.json:
                print_json({"schema": 1, "running": holder, "runs": runs})
            else:
                for r in runs:
                    print("%-30s %-8s %-9s %-10s %s" % (r["id"], r.get("kind"), r.get("trigger"), r.get("result"),
                                                         r.get("error") or ""))
            return 0
        listing = remote_listing(cfg, args.details)
    except errors.OpsError as e:
        if args.json:
            print_json({"result": "failed", "exit_code": e.code, "error": e.message,
                        "error_kind": errors.NAMES.get(e.code)})
        sys.stderr.write("list-backups: %s\n" % e.message)
        return e.code
    if args.json:
        print_json(listing)
    else:
        print("remote: %s" % listing["remote"])
        for b in listing["backups"]:
            print("%-22s %10s  %-15s %s" % (b["id"], human_size(b["bytes"]), b["state"],
                                           "keep (%s)" % ", ".join(b["retention"]["reasons"]) if b["retention"]["keep"]
                                           else "retention would delete"))
    return 0
