"""What the commands (backup, restore, verify, list-backups) share on the command line: JSON
lines on stdout, the signal that interrupts a run, and the answer when another job holds the lock."""

from __future__ import annotations

import json
import sys
from types import FrameType
from typing import Any

from . import errors, state
from .config import Config


class Interrupted(errors.OpsError):
    pass


def on_signal(signum: int, frame: FrameType | None) -> None:
    raise Interrupted(errors.INTERRUPTED, "interrupted by signal %d" % signum)


def print_json(obj: Any) -> None:
    sys.stdout.write(json.dumps(obj, sort_keys=True) + "\n")
    sys.stdout.flush()


def busy_report(holder: dict[str, Any], as_json: bool) -> int:
    info: dict[str, Any] = {"result": "busy", "exit_code": errors.BUSY, "running": holder,
            "error": "another %s is running: %s (trigger %s, started %s, pid %s)" % (
                holder.get("kind", "job"), holder.get("id"), holder.get("trigger"),
                holder.get("started_at"), holder.get("pid"))}
    if as_json:
        print_json(info)
    else:
        sys.stderr.write(info["error"] + "\n")
    return errors.BUSY


def refuse_busy(cfg: Config, lock: state.Lock, run_id: str, kind: str, trigger: str, as_json: bool) -> int:
    """Another job holds the lock: answer busy, and note the refusal in STATE/refusals.jsonl
    (a refused cron run would otherwise leave nothing but a line in cron's output)."""
    holder = lock.holder() or {"id": None}
    code = busy_report(holder, as_json)
    try:
        state.record_refusal(cfg, {"id": run_id, "kind": kind, "trigger": trigger, "at": state.iso(state.utcnow()),
                                   "exit_code": errors.BUSY, "running": holder})
    except OSError:
        pass   # the answer above is what matters
    return code
