"""`backup`'s command line: read the flags, check the ids they name, run the subcommand they pick.

The flags pick it (the console, cron and scripts/BACKUPS.md use these forms):
  --log ID               log.py     print run ID's log
  --status [ID]          status.py  print ID's record, else the running or the latest run's
  --status ID --follow   follow.py  print ID's record at every change until the run ends
  anything else          run.py     run a backup (with --follow, print its record at every change)
"""

from __future__ import annotations

import argparse
import os
import sys
from typing import Literal

from .. import errors, state
from ..cli import print_json
from ..config import Config, load_env_from_pid
from . import follow, log, run, status

Subcommand = Literal["run", "status", "log", "follow"]


def parser() -> argparse.ArgumentParser:
    ap = argparse.ArgumentParser(prog="backup", description="Back up FalkorDB, Valkey and OpenCode's data and "
                                 "config to the remote (B2 by default), verify, apply retention.")
    ap.add_argument("--trigger", choices=("manual", "scheduled"), default="manual")
    ap.add_argument("--json", action="store_true", help="print the final status record as JSON")
    ap.add_argument("--follow", action="store_true", help="print the status record as a JSON line at every change")
    ap.add_argument("--detach", action="store_true", help="start in the background, print the run id and exit")
    ap.add_argument("--retention-dry-run", action="store_true", help="compute retention, delete nothing")
    ap.add_argument("--status", nargs="?", const="", metavar="ID",
                    help="print the status record of run ID (default: the running or latest run)")
    ap.add_argument("--log", metavar="ID", help="print the log of run ID")
    ap.add_argument("--run-id", metavar="ID", help="use ID as the new run's id (the console passes its job's id)")
    ap.add_argument("--env-from-pid", type=int, metavar="PID",
                    help="take missing B2_/BACKUP_/... variables from PID's environment (for cron: 1)")
    return ap


def subcommand(args: argparse.Namespace) -> Subcommand:
    """--log comes before --status; --follow turns --status into follow (and makes a run print
    its record at every change)."""
    if args.log is not None:
        return "log"
    if args.status is not None:
        return "follow" if args.follow else "status"
    return "run"


def failed(e: errors.OpsError, as_json: bool, error_kind: bool = True) -> int:
    if as_json:
        out = {"result": "failed", "exit_code": e.code, "error": e.message}
        if error_kind:
            out["error_kind"] = errors.NAMES[e.code]
        print_json(out)
    sys.stderr.write("backup: %s\n" % e.message)
    return e.code


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    env = dict(os.environ)
    try:
        if args.env_from_pid:
            load_env_from_pid(args.env_from_pid, env)
        cfg = Config(env)
    except errors.OpsError as e:
        return failed(e, args.json, error_kind=False)
    try:
        # Every id given is checked, whichever subcommand runs: each names a folder in STATE.
        if args.log is not None:
            state.check_id(args.log)
        if args.status:
            state.check_id(args.status)
        if args.run_id:
            state.given_run_id(cfg, args.run_id, restore=False)
    except errors.OpsError as e:
        return failed(e, args.json)
    which = subcommand(args)
    if which == "log":
        return log.print_log(cfg, args.log)
    if which == "status":
        return status.show(cfg, args.status, args.json)
    if which == "follow":
        if not args.status:
            sys.stderr.write("backup: --status --follow needs a run ID\n")
            return errors.USAGE
        return follow.follow_status(cfg, args.status)
    return run.run_backup(cfg, trigger=args.trigger, run_id=args.run_id, as_json=args.json, follow=args.follow,
                          detached=args.detach, retention_dry_run=args.retention_dry_run)
