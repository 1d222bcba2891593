"""`backup --log ID`: a run's log as it was written (the console shows it on Enter on a run)."""

from __future__ import annotations

import os
import shutil
import sys

from .. import errors
from ..config import Config


def print_log(cfg: Config, run_id: str) -> int:
    path = os.path.join(cfg.state_dir, "runs", run_id, "run.log")
    try:
        with open(path, "r", encoding="utf-8", errors="replace") as f:
            shutil.copyfileobj(f, sys.stdout)
    except FileNotFoundError:
        sys.stderr.write("backup: no log for run %s in %s\n" % (run_id, os.path.join(cfg.state_dir, "runs")))
        return errors.NOT_FOUND
    return errors.OK
