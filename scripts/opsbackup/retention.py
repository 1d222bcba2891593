"""Which backups to keep: a pure function, no I/O (golden cases in Tests/backup).

Policy, in the spirit of restic's --keep-last/--keep-daily/--keep-weekly:
- Backups are considered newest first. Only verified backups count toward a policy.
- keep_last N keeps the N newest backups.
- keep_daily N: for the N most recent UTC days that have a backup, the newest backup of that day.
- keep_weekly N: the same per ISO week (Monday to Sunday, UTC).
- N = -1 means unlimited; 0 means the rule is off. A backup is kept if any rule keeps it,
  and its reasons list every rule that did.
- With every rule off there is no policy: everything is kept (never delete by accident).
- Unverified (incomplete) archives are not counted; they are deleted once older than
  `incomplete_max_age` seconds before `now`, so a running upload is never touched.
"""

import datetime


def _day(t):
    return t.strftime("%Y-%m-%d")


def _week(t):
    y, w, _ = t.isocalendar()
    return "%04d-W%02d" % (y, w)


def plan(backups, keep_last=0, keep_daily=0, keep_weekly=0, now=None, incomplete_max_age=86400):
    """backups: iterable of dicts with "id", "time" (aware datetime) and "verified" (bool).

    Returns a list of {"id", "keep", "reasons"} newest first."""
    items = sorted(backups, key=lambda b: (b["time"], b["id"]), reverse=True)
    rules = [("last", keep_last, None), ("daily", keep_daily, _day), ("weekly", keep_weekly, _week)]
    active = [[name, count, fn, None] for name, count, fn in rules if count != 0]
    out = []
    for b in items:
        if not b.get("verified", True):
            age = (now - b["time"]).total_seconds() if now else 0
            if now is not None and age > incomplete_max_age:
                out.append({"id": b["id"], "keep": False, "reasons": ["incomplete"]})
            else:
                out.append({"id": b["id"], "keep": True, "reasons": ["incomplete (recent)"]})
            continue
        if not active:
            out.append({"id": b["id"], "keep": True, "reasons": ["no policy"]})
            continue
        reasons = []
        for rule in active:
            name, count, fn, last = rule
            if count == 0:
                continue
            bucket = b["id"] if fn is None else fn(b["time"])
            if bucket != last:
                reasons.append("%s %s" % (name, bucket) if fn else name)
                rule[3] = bucket
                if count > 0:
                    rule[1] = count - 1
        out.append({"id": b["id"], "keep": bool(reasons), "reasons": reasons})
    return out


def parse_time(text):
    """ISO 8601 with a Z; helper for callers that read times from JSON."""
    return datetime.datetime.strptime(text.replace("Z", "+0000"), "%Y-%m-%dT%H:%M:%S%z")
