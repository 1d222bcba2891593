"""Retention golden cases (retention_cases.json) against the pure policy function."""

import json
import os
import sys

import pytest

import bkphelp

sys.path.insert(0, bkphelp.SCRIPTS)
from opsbackup import retention  # noqa: E402

with open(os.path.join(bkphelp.HERE, "retention_cases.json")) as f:
    GOLDEN = json.load(f)


def items_of(case):
    backups = dict(GOLDEN["sets"][case["set"]]) if "set" in case else dict(case["backups"])
    items = [{"id": k, "time": retention.parse_time(v), "verified": True} for k, v in backups.items()]
    for k, v in case.get("extra", {}).items():
        items.append({"id": k, "time": retention.parse_time(v["time"]), "verified": v.get("verified", True)})
    return items


def test_there_are_about_forty_cases():
    assert len(GOLDEN["cases"]) >= 40


@pytest.mark.parametrize("case", GOLDEN["cases"], ids=[c["name"] for c in GOLDEN["cases"]])
def test_golden(case):
    items = items_of(case)
    pol = case["policy"]
    now = retention.parse_time(case["now"]) if "now" in case else None
    out = retention.plan(items, keep_last=pol.get("last", 0), keep_daily=pol.get("daily", 0),
                         keep_weekly=pol.get("weekly", 0), now=now)
    # Every backup gets exactly one decision, newest first.
    assert sorted(d["id"] for d in out) == sorted(i["id"] for i in items)
    times = {i["id"]: (i["time"], i["id"]) for i in items}
    assert [d["id"] for d in out] == sorted(times, key=lambda k: times[k], reverse=True)
    kept = [d["id"] for d in out if d["keep"]]
    assert sorted(kept) == sorted(case["keep"])
    for d in out:
        assert d["keep"] == bool(d["reasons"]) or d["reasons"] == ["incomplete"]
    for label, reasons in case.get("reasons", {}).items():
        assert next(d for d in out if d["id"] == label)["reasons"] == reasons


def test_pure_does_not_mutate_input():
    items = items_of(GOLDEN["cases"][2])
    before = [dict(i) for i in items]
    retention.plan(items, keep_last=1)
    assert items == before
