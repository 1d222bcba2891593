"""Datadog reporting (DD_API_KEY): the real datadog-api-client against a local HTTP endpoint that
records what it is sent (BACKUP_DD_ENDPOINT is the client's host setting), with real backups."""

import gzip
import http.server
import json
import os
import socket
import sys
import threading

import pytest

import bkphelp

sys.path.insert(0, bkphelp.SCRIPTS)

KEY = "ddkey-0123456789abcdef0123456789abcdef"


def require_client():
    try:
        import datadog_api_client  # noqa: F401
    except ImportError:
        msg = "needs datadog-api-client for %s (Tests/backup/setup.sh installs it)" % sys.executable
        if os.environ.get("OPS_REQUIRE_TOOLS") == "1":
            pytest.fail(msg)
        pytest.skip(msg)


class Recorder:
    """An HTTP server that keeps every request (path, headers, JSON body) and answers 202, or
    500 for the first `fail_first` requests."""

    def __init__(self, fail_first=0):
        self.requests = []
        self.fail_first = fail_first
        outer = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                if self.headers.get("Content-Encoding") == "gzip":
                    body = gzip.decompress(body)
                outer.requests.append({"path": self.path, "headers": dict(self.headers),
                                       "body": json.loads(body or b"null")})
                failing = len(outer.requests) <= outer.fail_first
                answer = b'{"errors": ["unavailable"]}' if failing else b'{"status": "ok", "errors": []}'
                self.send_response(500 if failing else 202)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(answer)))
                self.end_headers()
                self.wfile.write(answer)

            def log_message(self, *args):
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", bkphelp.free_port()), Handler)
        self.url = "http://127.0.0.1:%d" % self.server.server_address[1]
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def paths(self):
        return [r["path"] for r in self.requests]

    def one(self, path):
        found = [r for r in self.requests if r["path"] == path]
        assert len(found) == 1, self.paths()
        return found[0]

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def recorder():
    require_client()
    r = Recorder()
    yield r
    r.close()


def dd(url):
    return {"DD_API_KEY": KEY, "BACKUP_DD_ENDPOINT": url, "DD_ENV": "test"}


def log_text(env, run_id):
    with open(os.path.join(env.state, "runs", run_id, "run.log"), encoding="utf-8") as f:
        return f.read()


def state_text(env):
    out = ""
    for dirpath, _, names in os.walk(env.state):
        for n in names:
            with open(os.path.join(dirpath, n), encoding="utf-8", errors="replace") as f:
                out += f.read()
    return out


def series_by_name(request):
    return {s["metric"]: s for s in request["body"]["series"]}


def test_backup_sends_service_check_and_metrics(env, recorder):
    env.populate(rows=50)
    code, rec = env.json("backup", extra=dd(recorder.url))
    assert code == 0, rec
    assert rec["datadog"] == {"sent": True, "attempts": 1, "error": None}
    assert sorted(recorder.paths()) == ["/api/v1/check_run", "/api/v2/series"]   # no event on success
    check = recorder.one("/api/v1/check_run")
    assert check["headers"]["DD-API-KEY"] == KEY
    [payload] = check["body"]
    assert payload["check"] == "opencode.backup" and payload["status"] == 0
    assert payload["host_name"] == rec["host"]
    assert rec["id"] in payload["message"] and "succeeded" in payload["message"]
    assert {"kind:backup", "result:ok", "trigger:manual", "env:test", "instance:" + rec["instance"]} <= set(payload["tags"])
    series = series_by_name(recorder.one("/api/v2/series"))
    assert set(series) == {"opencode.backup.duration", "opencode.backup.bytes", "opencode.backup.files",
                           "opencode.backup.last_good_age"}
    assert series["opencode.backup.bytes"]["points"][0]["value"] == rec["archive"]["bytes"]
    assert series["opencode.backup.files"]["points"][0]["value"] == rec["archive"]["files"]
    duration = series["opencode.backup.duration"]["points"][0]["value"]
    assert 0 < duration < 600
    # The backup just made is the last good one: its age is the run's own duration.
    assert series["opencode.backup.last_good_age"]["points"][0]["value"] == duration
    assert all(s["type"] == 3 and s["resources"] == [{"name": rec["host"], "type": "host"}] for s in series.values())
    assert "datadog: sent opencode.backup (ok)" in log_text(env, rec["id"])
    assert KEY not in state_text(env)


def test_failed_backup_is_critical_with_an_event(env, recorder):
    env.populate(rows=20)
    code, good = env.json("backup")
    assert code == 0 and "datadog" not in good   # no DD_API_KEY: nothing sent, nothing recorded
    assert recorder.requests == []
    env.valkey.stop()
    code, rec = env.json("backup", extra=dd(recorder.url))
    assert code == 4, rec
    assert rec["datadog"]["sent"] is True
    [payload] = recorder.one("/api/v1/check_run")["body"]
    assert payload["status"] == 2
    assert "exit 4" in payload["message"] and "valkey" in payload["message"]
    assert "result:failed" in payload["tags"]
    event = recorder.one("/api/v1/events")["body"]
    assert event["alert_type"] == "error" and event["title"] == "opencode backup failed on %s" % rec["host"]
    assert "valkey" in event["text"] and event["aggregation_key"] == "opencode.backup"
    series = series_by_name(recorder.one("/api/v2/series"))
    # Nothing was stored: no bytes or files; the last good backup is the earlier one.
    assert set(series) == {"opencode.backup.duration", "opencode.backup.last_good_age"}
    age = series["opencode.backup.last_good_age"]["points"][0]["value"]
    assert age >= series["opencode.backup.duration"]["points"][0]["value"]


def test_endpoint_down_never_fails_the_backup(env):
    require_client()
    env.populate(rows=20)
    with socket.socket() as s:   # a port that was free a moment ago: nothing listens there
        s.bind(("127.0.0.1", 0))
        down = "http://127.0.0.1:%d" % s.getsockname()[1]
    code, rec = env.json("backup", extra=dd(down))
    assert code == 0 and rec["result"] == "succeeded" and rec["verified"], rec
    assert rec["datadog"]["sent"] is False and rec["datadog"]["attempts"] == 2
    log = log_text(env, rec["id"])
    assert "datadog: sending to %s failed" % down in log and "retrying once" in log
    assert "giving up (the backup's result stands)" in log
    assert KEY not in state_text(env)
    code, listing = env.json("list-backups")
    assert [b["state"] for b in listing["backups"]] == ["verified"]


def test_one_retry_after_a_server_error(env):
    require_client()
    env.populate(rows=20)
    flaky = Recorder(fail_first=1)
    try:
        code, rec = env.json("backup", extra=dd(flaky.url))
    finally:
        flaky.close()
    assert code == 0, rec
    assert rec["datadog"] == {"sent": True, "attempts": 2, "error": None}
    # The failed service check is sent again, then the rest once.
    assert flaky.paths() == ["/api/v1/check_run", "/api/v1/check_run", "/api/v2/series"]
    assert "HTTP 500" in log_text(env, rec["id"])


def test_restore_reports_as_restore(env, recorder):
    env.populate(rows=20)
    code, rec = env.json("backup")
    assert code == 0, rec
    code, rrec = env.json("restore", rec["id"], extra=dd(recorder.url))
    assert code == 0, rrec
    [payload] = recorder.one("/api/v1/check_run")["body"]
    assert payload["status"] == 0 and "kind:restore" in payload["tags"]
    assert rec["id"] in payload["message"]
    series = series_by_name(recorder.one("/api/v2/series"))
    restored_files = sum(p["files"] for p in rrec["restored"].values())
    assert series["opencode.backup.files"]["points"][0]["value"] == restored_files > 0
    assert series["opencode.backup.last_good_age"]["points"][0]["value"] > 0


def test_site_and_endpoint_settings():
    require_client()
    from opsbackup import report
    assert report.client_configuration({"DD_API_KEY": KEY}).host == "https://api.datadoghq.com"
    assert report.client_configuration({"DD_API_KEY": KEY, "DD_SITE": "datadoghq.eu"}).host == "https://api.datadoghq.eu"
    conf = report.client_configuration({"DD_API_KEY": KEY, "DD_SITE": "datadoghq.eu", "BACKUP_DD_ENDPOINT": "http://127.0.0.1:9/"})
    assert conf.host == "http://127.0.0.1:9"
    assert report.report_outcome("verify", True, "fine", {}, env={}, host="h") is None   # no key: nothing


def test_report_outcome_reads_the_process_environment(recorder, monkeypatch):
    """Called with the four arguments only, as a verify run may: os.environ and this host."""
    import socket
    from opsbackup import report
    for name, value in dd(recorder.url).items():
        monkeypatch.setenv(name, value)
    assert report.report_outcome("verify", True, "verify of X passed", {"files": 3})["sent"] is True
    [payload] = recorder.one("/api/v1/check_run")["body"]
    assert payload["host_name"] == socket.gethostname() and payload["status"] == 0
    assert "env:test" in payload["tags"]


def test_report_outcome_for_verify(recorder):
    """The entry point a verify run calls."""
    from opsbackup import report
    lines = []
    out = report.report_outcome("verify", False, "member opencode/data/x differs", {"duration": 3.5, "bytes": 10},
                                env=dd(recorder.url), host="h1", tags=["instance:i1"],
                                log=lambda m, level="info": lines.append((level, m)))
    assert out == {"sent": True, "attempts": 1, "error": None}
    [payload] = recorder.one("/api/v1/check_run")["body"]
    assert payload["status"] == 2 and {"kind:verify", "instance:i1"} <= set(payload["tags"])
    assert recorder.one("/api/v1/events")["body"]["title"] == "opencode verify failed on h1"
    assert set(series_by_name(recorder.one("/api/v2/series"))) == {"opencode.backup.duration", "opencode.backup.bytes"}


def test_scheduled_runs_take_dd_variables_from_pid_1_and_logs_redact_the_key():
    """cron's job reads PID 1's environment: the DD_* variables come along; the key is redacted."""
    import subprocess
    from opsbackup import config
    import time
    proc = subprocess.Popen(["sleep", "30"], env={"DD_API_KEY": KEY, "DD_SITE": "datadoghq.eu", "OTHER": "x"})
    try:
        # Until the child has exec'd, /proc shows the environment it forked with (ours).
        deadline = time.time() + 60
        while time.time() < deadline:
            with open("/proc/%d/cmdline" % proc.pid, "rb") as f:
                if f.read().startswith(b"sleep\0"):
                    break
            time.sleep(0.01)
        env = {}
        config.load_env_from_pid(proc.pid, env)
    finally:
        proc.kill()
        proc.wait()
    assert env == {"DD_API_KEY": KEY, "DD_SITE": "datadoghq.eu"}
    assert config.Config(env).redact("header DD-API-KEY: %s" % KEY) == "header DD-API-KEY: ***"
