"""Running rclone: JSON log parsing, progress from its stats, errors as text.

Credentials reach rclone only through its environment (Config.rclone_env)."""

import json
import os
import re
import signal
import subprocess
import threading

from . import errors


def join(remote, name):
    if remote.endswith(":") or remote.endswith("/"):
        return remote + name
    return remote + "/" + name


class Result:
    def __init__(self, code, errors_, stdout, signal_=None):
        self.code = code
        self.errors = errors_
        self.stdout = stdout
        self.signal = signal_

    def describe(self):
        if self.signal:
            why = "rclone killed by signal %d" % self.signal
        else:
            why = "rclone exited with status %d" % self.code
        if self.errors:
            why += ": " + self.errors[-1]
        return why


class Rclone:
    def __init__(self, cfg, log, on_start=None):
        self.cfg = cfg
        self.log = log                    # callable(msg, level)
        self.on_start = on_start          # callable(pid): lets the caller record the child
        self.proc = None

    def _argv(self, args, stats, debug=False):
        argv = ["rclone"] + list(args) + ["--use-json-log"]
        if debug:
            argv += ["-vv"]
        elif stats:
            argv += ["-v"]
        if stats:
            argv += ["--stats", self.cfg.stats_interval, "--stats-one-line"]
        return argv

    def run(self, args, progress=None, stdin_writer=None, capture=False, stdout_reader=None, crypt_hashes=None):
        """Run rclone. progress(stats_dict) is called for each stats line; stdin_writer(pipe)
        feeds its stdin (for rcat) from this thread while stderr is read on another.

        crypt_hashes (a dict) collects the hash of the ciphertext that rclone's crypt backend
        computed while it streamed an upload ({"md5": hex}); it is only logged at debug level,
        so the run is at debug level and every other debug line is dropped unread (they would
        include the obscured password)."""
        return self.start(args, progress, stdin=stdin_writer is not None, capture=capture,
                          stdout_reader=stdout_reader, crypt_hashes=crypt_hashes).finish(stdin_writer)

    def start(self, args, progress=None, stdin=False, capture=False, stdout_reader=None, crypt_hashes=None):
        """Start rclone and return at once (a Running; `run` is start, then finish). With
        stdin, an rcat can be started before its input is ready: rclone's start-up (about
        0.1 s) then overlaps other work, and the input is given to finish() later."""
        argv = self._argv(args, progress is not None, debug=crypt_hashes is not None)
        # The command line holds no secret (they are in the environment), so it can be logged.
        self.log("run: " + " ".join(argv), "debug")
        self.proc = p = subprocess.Popen(
            argv, env=self.cfg.rclone_env(),
            stdin=subprocess.PIPE if stdin else subprocess.DEVNULL,
            stdout=subprocess.PIPE if (capture or stdout_reader) else subprocess.DEVNULL,
            stderr=subprocess.PIPE, start_new_session=True)
        for pipe in (p.stdin if stdin else None, p.stdout if stdout_reader else None):
            if pipe is not None:
                _widen(pipe)
        if self.on_start:
            self.on_start(p.pid)
        errs = []
        out_chunks = []

        def read_stderr():
            for raw in p.stderr:
                line = raw.decode("utf-8", "replace").strip()
                if not line:
                    continue
                try:
                    entry = json.loads(line)
                except ValueError:
                    entry = None
                if not isinstance(entry, dict):
                    # rclone prints its final fatal error as plain text even in JSON mode.
                    text = line.split(" ", 2)[-1] if line[:4].isdigit() else line
                    if "Config file" in text and "not found" in text:
                        continue
                    errs.append(self.cfg.redact(text))
                    self.log("rclone: " + text, "error")
                    continue
                if "stats" in entry and progress is not None:
                    try:
                        progress(entry["stats"])
                    except Exception as e:   # a failing status write must not kill the reader
                        self.log("progress update failed: %s" % e, "warn")
                    continue
                msg = entry.get("msg", "")
                level = entry.get("level", "info")
                if level == "debug":
                    m = _CRYPT_HASH.match(msg)
                    if m and crypt_hashes is not None and str(entry.get("source", "")).startswith("crypt/"):
                        crypt_hashes[m.group(1)] = m.group(2)
                    continue
                if "Config file" in msg and "not found" in msg:
                    continue
                obj = entry.get("object")
                text = ("%s: %s" % (obj, msg)) if obj else msg
                if level in ("error", "critical", "fatal"):
                    errs.append(self.cfg.redact(text))
                self.log("rclone: " + text, level)

        def read_stdout():
            if stdout_reader:
                stdout_reader(p.stdout)
            else:
                out_chunks.append(p.stdout.read())

        threads = [threading.Thread(target=read_stderr, daemon=True)]
        if capture or stdout_reader:
            threads.append(threading.Thread(target=read_stdout, daemon=True))
        for t in threads:
            t.start()
        return Running(self, p, threads, errs, out_chunks)

    def kill(self, proc=None, sig=signal.SIGTERM):
        p = proc or self.proc
        if p and p.poll() is None:
            try:
                os.killpg(p.pid, sig)
            except OSError:
                pass


class Running:
    """An rclone process that was started; finish() feeds its input and waits for it."""

    def __init__(self, rc, proc, threads, errs, out_chunks):
        self.rc, self.proc, self.threads, self.errs, self.out_chunks = rc, proc, threads, errs, out_chunks

    def finish(self, stdin_writer=None):
        p = self.proc
        writer_error = None
        if p.stdin is not None:
            try:
                if stdin_writer:
                    stdin_writer(p.stdin)
            except BrokenPipeError:
                writer_error = None  # rclone went away: its exit status tells why
            except BaseException as e:
                writer_error = e
                # Stopped before its input closes: an rcat given a short input would store it.
                self.rc.kill(p)
            finally:
                try:
                    p.stdin.close()
                except OSError:
                    pass
        code = p.wait()
        for t in self.threads:
            t.join()
        if self.rc.proc is p:
            self.rc.proc = None
        if writer_error is not None:
            raise writer_error
        sig = -code if code < 0 else None
        return Result(code, self.errs, b"".join(c for c in self.out_chunks if c), sig)

    def abort(self):
        """Stop it without ever closing its input, so an rcat stores nothing."""
        self.rc.kill(self.proc, signal.SIGKILL)
        self.proc.wait()
        if self.proc.stdin is not None:
            try:
                self.proc.stdin.close()
            except OSError:
                pass
        for t in self.threads:
            t.join(5)
        if self.rc.proc is self.proc:
            self.rc.proc = None


# crypt's own check of what it streamed against the stored object: "md5 = <hex> OK".
_CRYPT_HASH = re.compile(r"^(md5|sha1) = ([0-9a-f]+) OK$")

F_SETPIPE_SZ = 1031   # Linux fcntl(2)
PIPE_SIZE = 1 << 20    # the default unprivileged maximum (/proc/sys/fs/pipe-max-size)


def _widen(pipe):
    """A 1 MiB pipe instead of 64 KiB: fewer context switches between us and rclone when
    streaming the archive (best effort: other systems, or a lower limit, keep the default)."""
    try:
        import fcntl
        fcntl.fcntl(pipe.fileno(), F_SETPIPE_SZ, PIPE_SIZE)
    except (OSError, ImportError, ValueError):
        pass


def stats_progress(stats, total_hint=None):
    """(bytes, total, rate, eta) from one rclone stats object."""
    done = stats.get("bytes") or 0
    total = total_hint or stats.get("totalBytes") or None
    rate = stats.get("speed") or None
    eta = stats.get("eta")
    if total and rate:
        eta = max(0, int((total - done) / rate)) if total > done else 0
    return done, total, rate, eta


def stat(rc, path, hash_type=None):
    """One object's lsjson entry (with Hashes when hash_type is given), or None if absent."""
    args = ["lsjson", "--stat", path] + (["--hash", "--hash-type", hash_type] if hash_type else [])
    res = rc.run(args, capture=True)
    if res.code in (3, 4):
        return None
    if res.code != 0:
        raise errors.OpsError(errors.REMOTE, "reading %s on %s failed: %s" % (
            path.rsplit("/", 1)[-1].rsplit(":", 1)[-1], rc.cfg.remote_display(), res.describe()))
    try:
        entry = json.loads(res.stdout.decode() or "null")
    except ValueError:
        raise errors.OpsError(errors.REMOTE, "reading %s: rclone printed invalid JSON" % path)
    return entry if isinstance(entry, dict) else None


def whole_file_hash(rc, remote):
    """The whole-file hash the remote keeps that we can compare against: "md5" (local, S3
    style), "sha1" (B2) or None. rclone lists a backend's hashes in its preference order."""
    res = rc.run(["backend", "features", remote], capture=True)
    try:
        hashes = json.loads(res.stdout.decode() or "{}").get("Hashes") or [] if res.code == 0 else []
    except (ValueError, AttributeError):
        hashes = []
    return next((h for h in hashes if h in ("md5", "sha1")), None)


def lsjson(rc, remote):
    """Files directly under the remote; a missing directory is an empty list."""
    res = rc.run(["lsjson", "--files-only", remote], capture=True)
    if res.code == 3:
        return []
    if res.code != 0:
        raise errors.OpsError(errors.REMOTE, "listing %s failed: %s" % (rc.cfg.remote_display(), res.describe()))
    try:
        return json.loads(res.stdout.decode() or "[]")
    except ValueError:
        raise errors.OpsError(errors.REMOTE, "listing %s: rclone printed invalid JSON" % rc.cfg.remote_display())
