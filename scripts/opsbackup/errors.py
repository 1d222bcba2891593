"""Exit codes and the one error type every phase raises. The codes are part of the interface
the console reads (documented in scripts/BACKUPS.md): keep them stable."""

import traceback

OK = 0
FAILED = 1            # unexpected error (a bug, or something not classified below)
USAGE = 2             # bad arguments or bad configuration value
NO_CREDENTIALS = 3    # no remote configured: B2 credentials missing and no BACKUP_REMOTE
SNAPSHOT = 4          # a source could not be snapshotted (Redis unreachable, SQLite error)
DISK_FULL = 5         # staging (or state) filesystem full
UPLOAD = 6            # rclone upload failed, was killed, or the remote is unwritable
VERIFY = 7            # the uploaded archive does not match what was sent
RETENTION = 8         # retention failed; the new backup itself is verified and kept
BUSY = 9              # another backup or restore holds the lock
INTEGRITY = 10        # restore refused: archive or file does not match its manifest
NOT_FOUND = 11        # restore/show: no such backup on the remote
REMOTE = 12           # listing or downloading from the remote failed
INTERRUPTED = 130     # SIGINT/SIGTERM

NAMES = {
    OK: "ok", FAILED: "failed", USAGE: "usage", NO_CREDENTIALS: "no-credentials",
    SNAPSHOT: "snapshot-failed", DISK_FULL: "disk-full", UPLOAD: "upload-failed",
    VERIFY: "verify-failed", RETENTION: "retention-failed", BUSY: "busy",
    INTEGRITY: "integrity", NOT_FOUND: "not-found", REMOTE: "remote-failed",
    INTERRUPTED: "interrupted",
}


class OpsError(Exception):
    """A failure with its exit code; the message is shown to the operator as is."""

    def __init__(self, code, message, phase=None):
        super().__init__(message)
        self.code = code
        self.message = message
        self.phase = phase    # where it arose, when that is not the run's current phase


def is_disk_full(exc_or_text):
    text = str(exc_or_text).lower()
    errno = getattr(exc_or_text, "errno", None)
    return errno == 28 or "no space left" in text or "database or disk is full" in text


def unexpected(exc, log):
    """The exit code and message for an error no phase expected (a full disk named as such),
    after its traceback goes to the run's log through `log(text, level)`."""
    log(traceback.format_exc(), "error")
    if isinstance(exc, OSError):
        if is_disk_full(exc):
            return DISK_FULL, "disk full: %s" % exc
        return FAILED, "unexpected error: %s" % exc
    return FAILED, "unexpected error: %s: %s" % (type(exc).__name__, exc)
