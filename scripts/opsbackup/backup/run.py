"""`backup` without --status or --log: take the lock, run the pipeline (in the foreground, or
detached with --detach), and report the result."""

from __future__ import annotations

import os
import signal
import sys

from .. import errors, state
from ..cli import Interrupted, on_signal, print_json, refuse_busy
from ..config import Config
from .pipeline import BackupJob
from .status import human_summary


def detach(run: state.Run, lock: state.Lock) -> int:
    """Fork into the background: the parent reports the run and exits, the child (which keeps
    the lock: it shares the locked file description) runs the backup. Returns the child's pid
    in the parent, 0 in the child."""
    sys.stdout.flush()
    pid = os.fork()
    if pid:
        return pid
    os.setsid()
    devnull = os.open(os.devnull, os.O_RDWR)
    for fd in (0, 1, 2):
        os.dup2(devnull, fd)
    run.record["pid"] = os.getpid()
    run.follow = None
    lock.update({"id": run.id, "kind": "backup", "trigger": run.record["trigger"],
                 "started_at": run.record["started_at"], "pid": os.getpid()})
    run.save()
    return 0


def run_backup(cfg: Config, *, trigger: str, run_id: str | None, as_json: bool, follow: bool,
               detached: bool, retention_dry_run: bool) -> int:
    """One backup run. as_json prints its final record, follow its record at every change
    instead; detached answers at once and runs it in a child."""
    try:
        os.makedirs(os.path.join(cfg.state_dir, "runs"), exist_ok=True)
    except OSError as e:
        sys.stderr.write("backup: state directory %s: %s\n" % (cfg.state_dir, e.strerror))
        return errors.DISK_FULL if errors.is_disk_full(e) else errors.FAILED
    lock = state.Lock(cfg.state_dir)
    run_id = run_id or state.new_run_id()
    holder = {"id": run_id, "kind": "backup", "trigger": trigger,
              "started_at": state.iso(state.utcnow()), "pid": os.getpid()}
    if not lock.acquire(holder):
        return refuse_busy(cfg, lock, run_id, "backup", trigger, as_json)
    state.prune_history(cfg, cfg.history_keep)
    run = state.Run(cfg, run_id, "backup", trigger, follow=print_json if follow else None)
    run.record["started_at"] = holder["started_at"]
    run.save()
    state.close_orphans(cfg, run_id, run.log)
    if detached:
        if detach(run, lock):
            out = {"id": run.id, "result": "started", "status": run.status_path, "log": run.log_path}
            if as_json:
                print_json(out)
            else:
                print("backup %s started; status: %s" % (run.id, run.status_path))
            sys.stdout.flush()
            os._exit(0)   # the child owns the run now; skip the parent's cleanup
    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)
    try:
        code = BackupJob(cfg, run, trigger, retention_dry_run).execute()
    except Interrupted as e:
        # A signal that arrived between phases, outside execute's own handling.
        run.finish(e.code, e.message)
        code = e.code
    finally:
        lock.release()
    if as_json and not follow:
        print_json(run.record)
    elif not as_json and not follow:
        print(human_summary(run.record), file=sys.stdout if code == 0 else sys.stderr)
    return code
