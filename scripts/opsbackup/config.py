"""Settings from the environment. Every path is overridable so tests run on the host."""

import os
import re
import secrets as _secrets

from . import errors

# Variables a scheduled run may take from PID 1 (cron starts jobs with an empty environment,
# and writing the secrets to a file for cron would put them on disk).
ENV_PREFIXES = ("B2_", "BACKUP_", "FALKORDB_", "VALKEY_", "OPENCODE_", "RCLONE_", "DD_")
# And these, which rclone and Python read to reach the remote and to tell the time.
ENV_NAMES = ("TZ", "HTTP_PROXY", "HTTPS_PROXY", "NO_PROXY", "http_proxy", "https_proxy", "no_proxy",
             "SSL_CERT_FILE", "SSL_CERT_DIR")

RCLONE_REMOTE_NAME = "opsb2"   # remote defined purely through RCLONE_CONFIG_OPSB2_* variables
CRYPT_REMOTE_NAME = "opscrypt"  # rclone crypt wrapping it when BACKUP_PASSWORD is set
NOT_ENCRYPTED = "not encrypted: BACKUP_PASSWORD is not set, so the archives on the remote are plain tar"

DEFAULT_EXCLUDE = "bin/*,log/*"  # re-downloadable tools and rotating logs of the data dir


def load_env_from_pid(pid, environ):
    """Fill missing backup-related variables from /proc/PID/environ."""
    try:
        with open("/proc/%d/environ" % pid, "rb") as f:
            raw = f.read()
    except OSError as e:
        raise errors.OpsError(errors.USAGE, "--env-from-pid %d: cannot read its environment: %s" % (pid, e.strerror))
    for item in raw.split(b"\0"):
        if b"=" not in item:
            continue
        k, v = item.split(b"=", 1)
        key = k.decode("utf-8", "replace")
        if (key.startswith(ENV_PREFIXES) or key in ENV_NAMES) and key not in environ:
            environ[key] = v.decode("utf-8", "replace")


def _int(env, name, default, minimum=None):
    raw = env.get(name, "")
    if raw.strip() == "":
        return default
    try:
        value = int(raw.strip())
    except ValueError:
        raise errors.OpsError(errors.USAGE, "%s=%r: not an integer" % (name, raw))
    if minimum is not None and value < minimum:
        raise errors.OpsError(errors.USAGE, "%s=%d: must be >= %d" % (name, value, minimum))
    return value


def _bool(env, name):
    raw = env.get(name, "").strip().lower()
    if raw in ("", "0", "false", "no", "off"):
        return False
    if raw in ("1", "true", "yes", "on"):
        return True
    raise errors.OpsError(errors.USAGE, "%s=%r: expected 1/0, true/false, yes/no" % (name, raw))


# Inline credentials in an rclone remote: connection-string parameters
# (":b2,account=ID,key=SECRET:bucket") and URL user info ("user:password@host").
_REMOTE_PARAM = re.compile(r"""(,[A-Za-z0-9_]+=)("[^"]*"|'[^']*'|[^,:]*)""")
_REMOTE_USERINFO = re.compile(r"(//[^/:@]*:)([^@/]*)(@)")
INSTANCE_RE = re.compile(r"^[A-Za-z0-9._-]{1,64}$")


def remote_secrets(remote):
    """The values in `remote` that may be credentials."""
    out = [m.group(2).strip("\"'") for m in _REMOTE_PARAM.finditer(remote or "")]
    out += [m.group(2) for m in _REMOTE_USERINFO.finditer(remote or "")]
    return [v for v in out if v]


def mask_remote(remote):
    """`remote` with every connection-string parameter value and URL password as ***."""
    if not remote:
        return remote
    text = _REMOTE_PARAM.sub(lambda m: m.group(1) + "***", remote)
    return _REMOTE_USERINFO.sub(lambda m: m.group(1) + "***" + m.group(3), text)


class RedisSource:
    def __init__(self, name, host, port, password):
        self.name, self.host, self.port, self.password = name, host, port, password


class Config:
    def __init__(self, env=None):
        env = dict(os.environ if env is None else env)
        self.env = env
        self.data_dir = env.get("OPENCODE_DATA_DIR") or "/root/.local/share/opencode"
        self.config_dir = env.get("OPENCODE_CONFIG_DIR") or "/root/.config/opencode"
        self.state_dir = env.get("BACKUP_STATE_DIR") or "/var/lib/opencode-backup"
        self.staging_dir = env.get("BACKUP_STAGING_DIR") or os.path.join(self.state_dir, "staging")
        self.redis = {
            "falkordb": RedisSource("falkordb", env.get("FALKORDB_HOST") or "localhost",
                                    _int(env, "FALKORDB_PORT", 6379, 1), env.get("FALKORDB_PASSWORD") or None),
            "valkey": RedisSource("valkey", env.get("VALKEY_HOST") or "localhost",
                                  _int(env, "VALKEY_PORT", 6380, 1), env.get("VALKEY_PASSWORD") or None),
        }
        sources = env.get("BACKUP_SOURCES", "falkordb,valkey,data,config")
        self.sources = [s.strip() for s in sources.split(",") if s.strip()]
        for s in self.sources:
            if s not in ("falkordb", "valkey", "data", "config"):
                raise errors.OpsError(errors.USAGE, "BACKUP_SOURCES: unknown source %r (known: falkordb, valkey, data, config)" % s)
        exclude = env.get("BACKUP_EXCLUDE", DEFAULT_EXCLUDE)
        self.exclude = [p.strip() for p in exclude.split(",") if p.strip()]
        self.keep_last = _int(env, "BACKUP_KEEP_LAST", 0, -1)
        self.keep_daily = _int(env, "BACKUP_KEEP_DAILY", 0, -1)
        self.keep_weekly = _int(env, "BACKUP_KEEP_WEEKLY", 0, -1)
        self.retention_dry_run = _bool(env, "BACKUP_RETENTION_DRY_RUN")
        self.incomplete_max_age = _int(env, "BACKUP_INCOMPLETE_MAX_AGE_HOURS", 24, 1) * 3600
        self.history_keep = _int(env, "BACKUP_HISTORY_KEEP", 100, 1)
        self.stats_interval = env.get("BACKUP_STATS_INTERVAL") or "1s"
        self.redis_timeout = _int(env, "BACKUP_REDIS_TIMEOUT", 600, 1)
        tune = env.get("BACKUP_REDIS_TUNE_DELAY", "1")
        self.redis_tune_delay = True if tune.strip() == "" else _bool({"BACKUP_REDIS_TUNE_DELAY": tune}, "BACKUP_REDIS_TUNE_DELAY")
        self.b2_key_id = env.get("B2_APPLICATION_KEY_ID") or ""
        self.b2_key = env.get("B2_APPLICATION_KEY") or ""
        self.b2_bucket = (env.get("B2_BUCKET") or "").strip()
        self.b2_prefix = (env.get("B2_PREFIX") or "").strip().strip("/")
        self.b2_endpoint = env.get("BACKUP_B2_ENDPOINT") or ""   # a local fake B2 in tests
        self.remote_override = (env.get("BACKUP_REMOTE") or "").strip()
        self.password = env.get("BACKUP_PASSWORD") or ""
        if "\n" in self.password or "\r" in self.password:
            raise errors.OpsError(errors.USAGE, "BACKUP_PASSWORD: must be one line")
        self._obscured = None

    # -- remote -----------------------------------------------------------------------------
    @property
    def encrypted(self):
        return bool(self.password)

    def remote(self):
        """Where new backups go: the plain remote, or with BACKUP_PASSWORD the crypt remote
        wrapping it (defined in rclone_env)."""
        plain = self.plain_remote()
        return (CRYPT_REMOTE_NAME + ":") if self.password else plain

    def remotes(self):
        """[(rclone path, encrypted)] that backups are listed from: with a password, the crypt
        remote and also the plain one beneath it, so backups made before encryption was turned
        on stay listed and restorable."""
        plain = self.plain_remote()
        return [(CRYPT_REMOTE_NAME + ":", True), (plain, False)] if self.password else [(plain, False)]

    def plain_remote(self):
        """The rclone path backups live under, or an OpsError naming what is missing."""
        if self.remote_override:
            return self.remote_override.rstrip("/") or "/"
        missing = [n for n, v in (("B2_APPLICATION_KEY_ID", self.b2_key_id),
                                  ("B2_APPLICATION_KEY", self.b2_key),
                                  ("B2_BUCKET", self.b2_bucket)) if not v]
        if missing:
            raise errors.OpsError(errors.NO_CREDENTIALS,
                                  "no credentials: %s not set (or set BACKUP_REMOTE to an rclone remote)"
                                  % ", ".join(missing))
        path = self.b2_bucket + ("/" + self.b2_prefix if self.b2_prefix else "")
        return "%s:%s" % (RCLONE_REMOTE_NAME, path)

    def remote_display(self):
        """The remote as shown to people: no keys are part of it, the key id is masked."""
        try:
            r = self.plain_remote()
        except errors.OpsError:
            return None
        if self.remote_override:
            return mask_remote(r)
        kid = self.b2_key_id
        masked = (kid[:4] + "…" + kid[-2:]) if len(kid) > 8 else "…"
        return "b2://%s (key %s)" % (r.split(":", 1)[1], masked)

    def rclone_env(self):
        """Environment for rclone: B2 credentials travel only here, never on a command line."""
        env = dict(self.env)
        if not self.remote_override and self.b2_key_id:
            p = "RCLONE_CONFIG_%s_" % RCLONE_REMOTE_NAME.upper()
            env[p + "TYPE"] = "b2"
            env[p + "ACCOUNT"] = self.b2_key_id
            env[p + "KEY"] = self.b2_key
            # Deleting by retention must free space: without this B2 only hides old versions.
            env[p + "HARD_DELETE"] = "true"
            if self.b2_endpoint:
                env[p + "ENDPOINT"] = self.b2_endpoint
        if self.password:
            # Names stay readable (opencode-<ID>.tar.bin): they hold no secret, and an operator
            # restoring by hand needs to find the newest backup.
            p = "RCLONE_CONFIG_%s_" % CRYPT_REMOTE_NAME.upper()
            env[p + "TYPE"] = "crypt"
            env[p + "REMOTE"] = self.plain_remote()
            env[p + "PASSWORD"] = self.obscured_password()
            env[p + "FILENAME_ENCRYPTION"] = "off"
            env[p + "DIRECTORY_NAME_ENCRYPTION"] = "false"
        return env

    def obscured_password(self):
        """BACKUP_PASSWORD in the form rclone's config takes, made by `rclone obscure -` from
        stdin (never argv, where `ps` would show it)."""
        if self._obscured is None:
            import subprocess
            try:
                out = subprocess.run(["rclone", "obscure", "-"], input=(self.password + "\n").encode(),
                                     capture_output=True, timeout=30)
            except (OSError, subprocess.TimeoutExpired) as e:
                raise errors.OpsError(errors.FAILED, "rclone obscure failed: %s" % e)
            text = out.stdout.decode().strip()
            if out.returncode != 0 or not text:
                raise errors.OpsError(errors.FAILED, "rclone obscure failed (exit %d)" % out.returncode)
            self._obscured = text
        return self._obscured

    def secrets(self):
        """Values that must never appear in a log, a status record or an error text."""
        return [s for s in (self.b2_key, self.b2_key_id, self.password, self._obscured,
                            self.redis["falkordb"].password, self.redis["valkey"].password,
                            (self.env.get("DD_API_KEY") or "").strip(), (self.env.get("DD_APP_KEY") or "").strip()) if s] \
            + remote_secrets(self.remote_override)

    def instance_id(self, create=True):
        """Which server's backups are whose: BACKUP_INSTANCE_ID, else an id made once and
        kept in the state directory. Retention prunes only backups with this id."""
        given = (self.env.get("BACKUP_INSTANCE_ID") or "").strip()
        if given:
            if not INSTANCE_RE.match(given):
                raise errors.OpsError(errors.USAGE, "BACKUP_INSTANCE_ID=%r: letters, digits, '.', '_', '-' only "
                                      "(at most 64)" % given)
            return given
        path = os.path.join(self.state_dir, "instance-id")
        try:
            with open(path, encoding="ascii") as f:
                text = f.read().strip()
            if INSTANCE_RE.match(text):
                return text
        except FileNotFoundError:
            pass
        except (OSError, ValueError) as e:
            raise errors.OpsError(errors.FAILED, "%s: cannot read: %s" % (path, e))
        if not create:
            return None
        text = _secrets.token_hex(8)
        os.makedirs(self.state_dir, mode=0o700, exist_ok=True)
        fd = os.open(path + ".tmp", os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_NOFOLLOW, 0o600)
        with os.fdopen(fd, "w") as f:
            f.write(text + "\n")
        os.replace(path + ".tmp", path)
        return text

    def redact(self, text):
        if not text:
            return text
        for s in self.secrets():
            if len(s) >= 4:
                text = text.replace(s, "***")
        return text
