"""What the listings say about verify runs: the last verify of each backup and the last drill
(a scheduled verify), read from the run records verify writes (runs/verify-<ID>/status.json,
per member in runs/verify-<ID>/members.jsonl)."""

from __future__ import annotations

import datetime
from typing import Any, Dict, List, Optional

from . import state

MEMBERS_FILE = "members.jsonl"


def summary(rec: Dict[str, Any], now: Optional[datetime.datetime] = None) -> Dict[str, Any]:
    """One verify record as listings show it; `age_seconds` since it ended (or started)."""
    now = now or state.utcnow()
    at = rec.get("ended_at") or rec.get("started_at")
    age = None
    try:
        age = max(0, int((now - state.parse_iso(at)).total_seconds()))
    except (TypeError, ValueError):
        pass
    return {"id": rec.get("id"), "backup_id": rec.get("backup_id"), "trigger": rec.get("trigger"),
            "result": rec.get("result"), "exit_code": rec.get("exit_code"), "error": rec.get("error"),
            "error_kind": rec.get("error_kind"), "checked": rec.get("checked"), "at": at, "age_seconds": age}


def verify_runs(runs: List[Dict[str, Any]]) -> List[Dict[str, Any]]:
    """Verify records, newest first (`runs` as state.list_runs returns them)."""
    return [r for r in runs if r.get("kind") == "verify"]


def last_by_backup(runs: List[Dict[str, Any]], now: Optional[datetime.datetime] = None) -> Dict[str, Dict[str, Any]]:
    """{backup id: the newest ended verify of it}."""
    out: Dict[str, Dict[str, Any]] = {}
    for r in verify_runs(runs):
        if r.get("result") != "running" and r.get("backup_id") and r["backup_id"] not in out:
            out[r["backup_id"]] = summary(r, now)
    return out


def drill(runs: List[Dict[str, Any]], schedule: Optional[str], now: Optional[datetime.datetime] = None) -> Dict[str, Any]:
    """The drills as listings show them: the schedule (BACKUP_VERIFY_SCHEDULE), the last
    scheduled verify that ended and the last verify of any trigger."""
    ended = [r for r in verify_runs(runs) if r.get("result") != "running"]
    last = next((r for r in ended if r.get("trigger") == "scheduled"), None)
    return {"schedule": schedule or None, "last": summary(last, now) if last else None,
            "last_verify": summary(ended[0], now) if ended else None}


def age_text(seconds: Optional[int]) -> str:
    if seconds is None:
        return "at an unknown time"
    for unit, size in (("d", 86400), ("h", 3600), ("m", 60)):
        if seconds >= size:
            return "%d%s ago" % (seconds // size, unit)
    return "%ds ago" % seconds


def drill_line(d: Dict[str, Any]) -> str:
    """`last drill: passed 3h ago (backup ID); schedule 0 4 * * *` for the human listing."""
    schedule = "schedule %s" % d["schedule"] if d.get("schedule") else "no BACKUP_VERIFY_SCHEDULE"
    last = d.get("last")
    if last is None:
        other = d.get("last_verify")
        tail = "; last verify: %s %s (backup %s)" % (
            "passed" if other["result"] == "succeeded" else "FAILED", age_text(other["age_seconds"]),
            other["backup_id"]) if other else ""
        return "last drill: none yet (%s)%s" % (schedule, tail)
    word = "passed" if last["result"] == "succeeded" else "FAILED"
    why = ": %s" % last["error"] if last["result"] != "succeeded" and last.get("error") else ""
    return "last drill: %s %s (backup %s)%s; %s" % (word, age_text(last["age_seconds"]), last["backup_id"], why, schedule)
