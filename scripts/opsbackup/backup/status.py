"""`backup --status [ID]`: a run's record, as JSON or a line for people; without ID, the running
run's, else the latest run's."""

from __future__ import annotations

import os
import sys
from typing import Any

from .. import errors, state
from ..cli import print_json
from ..config import Config


def alive(cfg: Config, rec: dict[str, Any]) -> bool:
    """A record says "running": is its process still there (holding the lock)?"""
    return not state.orphaned(rec, state.Lock(cfg.state_dir).holder())


def human_summary(rec: dict[str, Any]) -> str:
    """An ended backup's record in one line: what `backup` prints at its end."""
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


def show(cfg: Config, run_id: str, as_json: bool) -> int:
    """Print run_id's record; an empty run_id means the running run, else the latest."""
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
    if rec.get("result") == "running" and not alive(cfg, rec):
        rec = state.mark_interrupted(dict(rec))
    if as_json:
        print_json(rec)
    else:
        print(human_summary(rec) if rec["result"] != "running" else
              "%s %s: running, phase %s, progress %s" % (rec.get("kind"), rec["id"], rec["phase"], rec.get("progress")))
    return errors.OK
