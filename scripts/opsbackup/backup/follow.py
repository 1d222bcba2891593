"""`backup --status ID --follow`: run ID's record as a JSON line at every change until it ends,
so a console follows a detached run through one long-lived process instead of polling with new
ones."""

from __future__ import annotations

import os
import time

from .. import errors, state
from ..cli import print_json
from ..config import Config
from .status import alive


def follow_status(cfg: Config, run_id: str, interval: float = 0.25) -> int:
    path = os.path.join(cfg.state_dir, "runs", run_id, "status.json")
    last = None
    while True:
        rec = state.read_json(path)
        if rec is None:
            print_json({"result": "not-found", "error": "no run %s in %s" % (run_id, os.path.dirname(os.path.dirname(path)))})
            return errors.NOT_FOUND
        ended = rec.get("result") != "running"
        if not ended and not alive(cfg, rec):
            # Read again: the run may have recorded its result between the two reads.
            rec = state.read_json(path) or rec
            if rec.get("result") == "running":
                rec = state.mark_interrupted(dict(rec))
            ended = True
        if rec != last:
            print_json(rec)
            last = rec
        if ended:
            return errors.OK
        time.sleep(interval)
