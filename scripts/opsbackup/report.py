"""Send a backup, restore or verify outcome to Datadog (when DD_API_KEY is set).

One call per finished job: a service check `opencode.backup` (ok or critical, with the reason),
gauges (duration, bytes, files, age of the last good backup) and, on failure, an event. All
through `datadog-api-client`, which honours DD_SITE. Reaching Datadog is never part of the job's
result: a failure is logged (the key never is) and retried once, then dropped.
"""

import os
import socket
import time

from . import state

SERVICE_CHECK = "opencode.backup"
METRIC_PREFIX = "opencode.backup."
# metrics key -> metric name suffix; what a caller may pass in `metrics`.
METRICS = {"duration": "duration", "bytes": "bytes", "files": "files", "last_good_age": "last_good_age"}
TIMEOUT = 10          # seconds per request
ATTEMPTS = 2          # the first try and one retry
RETRY_DELAY = 1.0     # seconds between them


def configured(env):
    return bool((env.get("DD_API_KEY") or "").strip())


def client_configuration(env):
    """The client's settings from `env` (not os.environ: a scheduled run takes PID 1's values).
    BACKUP_DD_ENDPOINT replaces the site's API URL (a proxy, or a local endpoint in tests)."""
    from datadog_api_client import Configuration
    import urllib3

    conf = Configuration(request_timeout=TIMEOUT)
    conf.api_key["apiKeyAuth"] = env["DD_API_KEY"].strip()
    conf.api_key.pop("appKeyAuth", None)   # submitting needs only the API key
    site = (env.get("DD_SITE") or "").strip()
    if site:
        conf.server_variables["site"] = site
    else:
        conf.server_variables.pop("site", None)
    endpoint = (env.get("BACKUP_DD_ENDPOINT") or "").strip()
    if endpoint:
        conf.host = endpoint.rstrip("/")
    # Our own single retry below; the client's pool must not retry on its own.
    conf.retry_policy = urllib3.util.Retry(total=0, raise_on_status=False)
    proxy = env.get("HTTPS_PROXY") or env.get("https_proxy")
    if proxy:
        conf.proxy = proxy
    if env.get("SSL_CERT_FILE"):
        conf.ssl_ca_cert = env["SSL_CERT_FILE"]
    return conf


def _payloads(kind, ok, reason, metrics, host, tags, now):
    from datadog_api_client.v1.model.event_alert_type import EventAlertType
    from datadog_api_client.v1.model.event_create_request import EventCreateRequest
    from datadog_api_client.v1.model.service_check import ServiceCheck
    from datadog_api_client.v1.model.service_check_status import ServiceCheckStatus
    from datadog_api_client.v1.model.service_checks import ServiceChecks
    from datadog_api_client.v2.model.metric_intake_type import MetricIntakeType
    from datadog_api_client.v2.model.metric_payload import MetricPayload
    from datadog_api_client.v2.model.metric_point import MetricPoint
    from datadog_api_client.v2.model.metric_resource import MetricResource
    from datadog_api_client.v2.model.metric_series import MetricSeries

    reason = (reason or "")[:1000]
    check = ServiceChecks([ServiceCheck(
        check=SERVICE_CHECK, host_name=host, status=ServiceCheckStatus.OK if ok else ServiceCheckStatus.CRITICAL,
        message=reason, tags=tags, timestamp=int(now))])
    series = [MetricSeries(metric=METRIC_PREFIX + METRICS[k], type=MetricIntakeType.GAUGE,
                           points=[MetricPoint(timestamp=int(now), value=float(v))], tags=tags,
                           resources=[MetricResource(name=host, type="host")])
              for k, v in sorted(metrics.items()) if k in METRICS and v is not None]
    event = None if ok else EventCreateRequest(
        title="opencode %s failed on %s" % (kind, host), text=reason, alert_type=EventAlertType.ERROR,
        host=host, tags=tags, aggregation_key=SERVICE_CHECK, source_type_name="opencode-ops",
        date_happened=int(now))
    return check, (MetricPayload(series=series) if series else None), event


def _send(conf, check, metrics, event):
    from datadog_api_client import ApiClient
    from datadog_api_client.v1.api.events_api import EventsApi
    from datadog_api_client.v1.api.service_checks_api import ServiceChecksApi
    from datadog_api_client.v2.api.metrics_api import MetricsApi

    with ApiClient(conf) as api:
        ServiceChecksApi(api).submit_service_check(body=check)
        if metrics is not None:
            MetricsApi(api).submit_metrics(body=metrics)
        if event is not None:
            EventsApi(api).create_event(body=event)


def _describe(exc, secret):
    """One line about a failed submission, without the key (the client's text may quote the
    request) and without response bodies beyond a short status."""
    status = getattr(exc, "status", None)
    if status:
        text = "HTTP %s %s" % (status, getattr(exc, "reason", "") or "")
    else:
        text = "%s: %s" % (type(exc).__name__, str(exc).splitlines()[0] if str(exc) else "")
    if secret:
        text = text.replace(secret, "***")
    return text.strip()[:300]


def report_outcome(kind, ok, reason, metrics, *, env=None, host=None, tags=(), log=None, now=None, sleep=time.sleep):
    """Send one job's outcome. `kind`: backup, restore or verify; `metrics`: any of duration
    (s), bytes, files, last_good_age (s), None where unknown; `env`: the job's environment
    (default os.environ; a scheduled run passes Config.env); `log`: the run's log(msg, level).
    Returns None when DD_API_KEY is unset, else {"sent", "attempts", "error"}; never raises."""
    env = os.environ if env is None else env
    host = host or socket.gethostname()
    if not configured(env):
        return None
    log = log or (lambda msg, level="info": None)
    secret = env.get("DD_API_KEY", "").strip()
    tags = ["kind:%s" % kind, "result:%s" % ("ok" if ok else "failed")] + list(tags)
    if env.get("DD_ENV"):
        tags.append("env:%s" % env["DD_ENV"])
    if env.get("DD_SERVICE"):
        tags.append("service:%s" % env["DD_SERVICE"])
    try:
        conf = client_configuration(env)
        payloads = _payloads(kind, ok, reason, metrics, host, tags, now if now is not None else time.time())
    except ImportError:
        log("datadog: DD_API_KEY is set but datadog-api-client is not installed: nothing sent", "warn")
        return {"sent": False, "attempts": 0, "error": "datadog-api-client not installed"}
    except Exception as e:   # a bad DD_SITE and the like: the job's result stands
        error = _describe(e, secret)
        log("datadog: could not prepare the report: %s" % error, "warn")
        return {"sent": False, "attempts": 0, "error": error}
    error = None
    for attempt in range(1, ATTEMPTS + 1):
        try:
            _send(conf, *payloads)
            log("datadog: sent %s (%s) to %s" % (SERVICE_CHECK, "ok" if ok else "critical", conf.host))
            return {"sent": True, "attempts": attempt, "error": None}
        except Exception as e:
            error = _describe(e, secret)
            more = "; retrying once" if attempt < ATTEMPTS else "; giving up (the %s's result stands)" % kind
            log("datadog: sending to %s failed: %s%s" % (conf.host, error, more), "warn")
            if attempt < ATTEMPTS:
                sleep(RETRY_DELAY)
    return {"sent": False, "attempts": ATTEMPTS, "error": error}


def last_good_age(cfg, now=None):
    """Seconds since the newest successful backup recorded here began, or None."""
    now = now or state.utcnow()
    for rec in state.list_runs(cfg):
        if rec.get("kind") == "backup" and rec.get("result") == "succeeded" and rec.get("started_at"):
            try:
                return max(0.0, (now - state.parse_iso(rec["started_at"])).total_seconds())
            except (TypeError, ValueError):
                continue
    return None


def report_run(cfg, run, code, error):
    """The hook for backup and restore: their finished run (before its record is closed) as
    one report; the outcome goes into the record as `datadog`."""
    if not configured(cfg.env):
        return None
    rec = run.record
    kind = rec.get("kind") or "backup"
    ok = code == 0
    now = state.utcnow()
    duration = None
    try:
        duration = (now - state.parse_iso(rec["started_at"])).total_seconds()
    except (KeyError, TypeError, ValueError):
        pass
    archive = rec.get("archive") or {}
    if ok and kind == "backup":
        level = (rec.get("verification") or {}).get("level")
        reason = "backup %s succeeded, verified%s" % (run.id, " (%s)" % level if level else "")
    elif ok:
        reason = "%s %s of %s succeeded" % (kind, run.id, rec.get("backup_id") or "?")
    else:
        reason = "%s %s failed (exit %s): %s" % (kind, run.id, code, cfg.redact(error or "unknown error"))
    # The run being reported is not "succeeded" on disk yet: when it is good, it is the newest.
    age = duration if ok and kind == "backup" else last_good_age(cfg, now)
    files = archive.get("files")
    if kind == "restore":
        restored = rec.get("restored") or {}
        files = sum((p or {}).get("files") or 0 for p in restored.values()) if restored else None
    metrics = {"duration": duration, "bytes": archive.get("bytes") if ok else None,
               "files": files if ok else None, "last_good_age": age}
    tags = ["trigger:%s" % rec.get("trigger", "manual")]
    if rec.get("instance"):
        tags.append("instance:%s" % rec["instance"])
    outcome = report_outcome(kind, ok, reason, metrics, env=cfg.env, host=rec.get("host") or "unknown",
                             tags=tags, log=run.log, now=now.timestamp())
    run.set(datadog=outcome)
    return outcome
