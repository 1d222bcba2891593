"""memory.py against a real FalkorDB, with deterministic LLM/embedder clients."""

from __future__ import annotations

import json
from datetime import datetime

from conftest import Server, free_port


def group_entry(status: dict, group: str) -> dict:
    [entry] = [g for g in status["groups"] if g["group_id"] == group]
    return entry


def test_init_twice_is_idempotent(run, group_id):
    before = run("status")
    assert before.code == 0, before
    assert before.json["indices"]["present"] is False
    assert len(before.json["indices"]["missing"]) > 10

    first = run("init")
    assert first.code == 0, first
    assert first.json["group_id"] == group_id
    assert first.json["created"] == len(before.json["indices"]["missing"])

    second = run("init")
    assert second.code == 0, second
    assert second.json["created"] == 0
    assert second.json["indices"] == {"present": True, "missing": []}

    after = run("status")
    assert after.json["indices"] == {"present": True, "missing": []}
    entry = group_entry(after.json, group_id)
    assert entry["exists"] is True and entry["episodes"] == 0


def test_add_episode_then_search_finds_it(run, group_id):
    added = run(
        "add-episode",
        "--name", "deploy notes",
        "--body", "Marmoset deployment moved to the Quillfeather cluster. Marmoset now runs there.",
        "--source-description", "test",
    )
    assert added.code == 0, added
    assert added.json["duplicate"] is False
    assert added.json["entities"] >= 2 and added.json["facts"] >= 1

    found = run("search", "Quillfeather cluster")
    assert found.code == 0, found
    assert found.json["group_ids"] == [group_id]
    assert added.json["uuid"] in [e["uuid"] for e in found.json["episodes"]]
    assert "Quillfeather" in {n["name"] for n in found.json["entities"]}
    assert any("Quillfeather" in f["fact"] and "Marmoset" in f["fact"] for f in found.json["facts"])

    # Another group's graph does not answer for this one.
    other = run("search", "Quillfeather cluster", "--group-id", "nobody_here")
    assert other.code == 0, other
    assert other.json["facts"] == [] and other.json["episodes"] == []


def test_a_query_starting_with_a_dash_after_double_dash_is_a_query(run, group_id):
    added = run("add-episode", "--name", "flags", "--body", "Tamarind uses the --limit-bytes flag on uploads.",
                "--source-description", "test")
    assert added.code == 0, added
    # As the plugin calls it: options, "--", then the model-written query.
    found = run("search", "--limit", "5", "--", "--limit-bytes")
    assert found.code == 0, found
    assert found.json["query"] == "--limit-bytes"
    assert added.json["uuid"] in [e["uuid"] for e in found.json["episodes"]]
    # Without "--" the same query is an unknown option: the reason the plugin sends "--".
    bare = run("search", "--limit-bytes")
    assert bare.code == 2 and bare.json["error"]["code"] == "invalid_input", bare


def test_add_episode_from_stdin_json_and_status_counts_move(run, group_id):
    run("init")
    before = group_entry(run("status").json, group_id)
    assert before["episodes"] == 0 and before["last_episode_at"] is None

    body = {
        "name": "session 42",
        "body": "Pangolin reviewed the Bramblewood migration.",
        "source_description": "opencode session",
        "group_id": group_id,
        "reference_time": "2026-01-02T03:04:05Z",
    }
    added = run("add-episode", "--json", stdin=json.dumps(body))
    assert added.code == 0, added

    status = run("status")
    assert status.code == 0, status
    after = group_entry(status.json, group_id)
    assert after["episodes"] == before["episodes"] + 1
    assert after["entities"] >= before["entities"] + 2
    assert after["facts"] == before["facts"] + 1
    assert after["last_episode_at"].endswith("Z")
    assert datetime.fromisoformat(after["last_episode_at"].replace("Z", "+00:00"))
    assert status.json["episodes"] >= after["episodes"]

    # The same episode again (a retry of one that landed) is recognised, not stored twice.
    again = run("add-episode", "--json", stdin=json.dumps(body))
    assert again.code == 0, again
    assert again.json["duplicate"] is True and again.json["uuid"] == added.json["uuid"]
    assert group_entry(run("status").json, group_id)["episodes"] == after["episodes"]

    # A second, different episode moves the counts again.
    run("add-episode", "--name", "session 43", "--body", "Wombatix joined the Bramblewood team.")
    later = group_entry(run("status").json, group_id)
    assert later["episodes"] == after["episodes"] + 1
    assert later["last_episode_at"] >= after["last_episode_at"]


def test_falkordb_down_is_a_clear_error_and_non_zero(run, falkordb, tmp_path):
    port = free_port()  # nothing listens there
    for args in (("status",), ("init",), ("add-episode", "--name", "n", "--body", "Body text"), ("search", "x")):
        result = run(*args, FALKORDB_PORT=str(port))
        assert result.code == 4, result
        assert result.json["ok"] is False
        assert result.json["error"]["code"] == "falkordb_unreachable"
        assert f"127.0.0.1:{port}" in result.json["error"]["message"]
        assert "FALKORDB_HOST" in result.json["error"]["message"]
    down = run("status", FALKORDB_PORT=str(port))
    assert down.json["falkordb"] == {"host": "127.0.0.1", "port": port, "reachable": False}

    # A server that stopped after being up gives the same answer.
    gone = Server(tmp_path / "gone")
    assert run("status", FALKORDB_PORT=str(gone.port)).code == 0
    gone.stop()
    assert run("status", FALKORDB_PORT=str(gone.port)).json["error"]["code"] == "falkordb_unreachable"


def test_plain_redis_without_falkordb_is_refused(run, tmp_path):
    plain = Server(tmp_path / "plain", with_module=False)
    try:
        result = run("status", FALKORDB_PORT=str(plain.port))
        assert result.code == 4, result
        assert result.json["error"]["code"] == "falkordb_module_missing"
    finally:
        plain.stop()


def test_missing_llm_settings_are_named(run):
    result = run("add-episode", "--name", "n", "--body", "Some body", GRAPHITI_CLIENT_FACTORY=None)
    assert result.code == 3, result
    assert result.json["error"]["field"] == "OPENAI_API_KEY"
    assert "OPENAI_API_KEY is not set" in result.json["error"]["message"]
    search = run("search", "anything", GRAPHITI_CLIENT_FACTORY=None)
    assert search.code == 3 and search.json["error"]["field"] == "OPENAI_API_KEY"
    # status and init need no LLM.
    assert run("status", GRAPHITI_CLIENT_FACTORY=None).json["llm_configured"] is False
    assert run("init", GRAPHITI_CLIENT_FACTORY=None).code == 0


def test_bad_input_names_the_field(run):
    no_body = run("add-episode", "--json", stdin=json.dumps({"name": "x"}))
    assert no_body.code == 2 and no_body.json["error"]["field"] == "body", no_body
    assert "stdin JSON" in no_body.json["error"]["message"]

    broken = run("add-episode", "--json", stdin='{"name": "x",\n "body": }')
    assert broken.code == 2 and "line 2" in broken.json["error"]["message"], broken

    bad_group = run("add-episode", "--name", "x", "--body", "y", "--group-id", "no spaces please")
    assert bad_group.code == 2 and bad_group.json["error"]["field"] == "group_id", bad_group

    bad_time = run("add-episode", "--name", "x", "--body", "y", "--reference-time", "yesterday")
    assert bad_time.code == 2 and bad_time.json["error"]["field"] == "reference_time", bad_time

    bad_port = run("status", FALKORDB_PORT="sixty")
    assert bad_port.code == 3 and bad_port.json["error"]["field"] == "FALKORDB_PORT", bad_port

    usage = run("frobnicate")
    assert usage.code == 2 and usage.json["ok"] is False, usage


def test_telemetry_is_off_unless_set(run):
    assert run("status").json["telemetry_enabled"] is False
    assert run("status", GRAPHITI_TELEMETRY_ENABLED="true").json["telemetry_enabled"] is True
