#!/usr/bin/env python3
"""Graphiti memory for the OpenCode image.

Subcommands (JSON on stdout, diagnostics on stderr):
  status                 FalkorDB reachability, indices, episode/entity/fact counts, last episode time
  init [--group-id G]    build Graphiti's indices and constraints (idempotent)
  add-episode ...        add one episode (arguments, or a JSON object on stdin with --json)
  search QUERY ...       hybrid search over facts, entities and episodes

Exit codes: 0 ok, 2 bad input, 3 missing/invalid configuration, 4 FalkorDB unreachable
(or not a FalkorDB, or authentication refused), 5 the operation failed.
See README.md beside this file for the exact JSON shapes.
"""

from __future__ import annotations

import os

# Graphiti sends anonymous usage data unless told not to; off unless the operator opts in.
# Set before graphiti_core is imported anywhere.
os.environ.setdefault("GRAPHITI_TELEMETRY_ENABLED", "false")

import argparse
import asyncio
import copy
import hashlib
import importlib
import json
import logging
import re
import sys
import time
from datetime import datetime, timezone
from typing import Any

EXIT_OK = 0
EXIT_USAGE = 2
EXIT_CONFIG = 3
EXIT_UNREACHABLE = 4
EXIT_FAILED = 5

DEFAULT_GROUP_ID = "opencode"
CONNECT_TIMEOUT_S = 3.0
SOCKET_TIMEOUT_S = 30.0
GROUP_ID_RE = re.compile(r"^[A-Za-z0-9_-]+$")
EPISODE_SOURCES = ("text", "message", "json")

log = logging.getLogger("graphiti-memory")


class MemoryFailure(Exception):
    """A failure reported as {"ok": false, "error": {...}} with a specific exit code."""

    def __init__(self, code: str, message: str, exit_code: int, **details: Any):
        super().__init__(message)
        self.code = code
        self.message = message
        self.exit_code = exit_code
        self.details = details

    def as_json(self) -> dict[str, Any]:
        return {"code": self.code, "message": self.message, **self.details}


# ---------------------------------------------------------------------------------------------
# Configuration


def falkordb_settings(env: dict[str, str]) -> dict[str, Any]:
    host = env.get("FALKORDB_HOST", "").strip() or "localhost"
    raw_port = env.get("FALKORDB_PORT", "").strip() or "6379"
    try:
        port = int(raw_port)
        if not 0 < port < 65536:
            raise ValueError
    except ValueError:
        raise MemoryFailure(
            "invalid_config",
            f"FALKORDB_PORT must be a TCP port number (1-65535), got {raw_port!r}",
            EXIT_CONFIG,
            field="FALKORDB_PORT",
        ) from None
    return {
        "host": host,
        "port": port,
        "username": env.get("FALKORDB_USERNAME") or None,
        "password": env.get("FALKORDB_PASSWORD") or None,
    }


def default_group_id(env: dict[str, str]) -> str:
    group = env.get("GRAPHITI_GROUP_ID", "").strip() or DEFAULT_GROUP_ID
    return check_group_id(group, "GRAPHITI_GROUP_ID")


def check_group_id(group: str, field: str) -> str:
    # Graphiti maps each group id to its own FalkorDB graph and accepts only these characters.
    if not GROUP_ID_RE.match(group):
        raise MemoryFailure(
            "invalid_input",
            f"{field} must contain only letters, digits, '-' and '_', got {group!r}",
            EXIT_USAGE,
            field=field,
        )
    return group


def llm_settings(env: dict[str, str], purpose: str) -> dict[str, Any]:
    key = env.get("OPENAI_API_KEY", "").strip()
    if not key:
        raise MemoryFailure(
            "missing_config",
            f"OPENAI_API_KEY is not set: {purpose} needs an OpenAI-compatible API "
            "(set OPENAI_BASE_URL too for another endpoint; MODEL_NAME, SMALL_MODEL_NAME and "
            "EMBEDDER_MODEL_NAME choose the models)",
            EXIT_CONFIG,
            field="OPENAI_API_KEY",
        )
    return {
        "api_key": key,
        "base_url": env.get("OPENAI_BASE_URL", "").strip() or None,
        "model": env.get("MODEL_NAME", "").strip() or None,
        "small_model": env.get("SMALL_MODEL_NAME", "").strip() or None,
        "embedder_model": env.get("EMBEDDER_MODEL_NAME", "").strip() or None,
    }


def build_clients(env: dict[str, str], purpose: str) -> dict[str, Any]:
    """The LLM, embedder and cross-encoder Graphiti uses.

    GRAPHITI_CLIENT_FACTORY=module:function replaces the OpenAI clients with the function's
    (it receives the environment and returns llm_client, embedder and cross_encoder): for an
    offline or self-hosted model, and for the test suite's deterministic clients.
    """
    factory_spec = env.get("GRAPHITI_CLIENT_FACTORY", "").strip()
    if factory_spec:
        module_name, _, func_name = factory_spec.partition(":")
        if not module_name or not func_name:
            raise MemoryFailure(
                "invalid_config",
                f"GRAPHITI_CLIENT_FACTORY must be module:function, got {factory_spec!r}",
                EXIT_CONFIG,
                field="GRAPHITI_CLIENT_FACTORY",
            )
        try:
            factory = getattr(importlib.import_module(module_name), func_name)
        except (ImportError, AttributeError) as exc:
            raise MemoryFailure(
                "invalid_config",
                f"GRAPHITI_CLIENT_FACTORY {factory_spec!r} cannot be loaded: {exc}",
                EXIT_CONFIG,
                field="GRAPHITI_CLIENT_FACTORY",
            ) from None
        clients = factory(env)
        return {k: clients[k] for k in ("llm_client", "embedder", "cross_encoder")}

    settings = llm_settings(env, purpose)
    from graphiti_core.cross_encoder.openai_reranker_client import OpenAIRerankerClient
    from graphiti_core.embedder.openai import OpenAIEmbedder, OpenAIEmbedderConfig
    from graphiti_core.llm_client import LLMConfig, OpenAIClient

    llm_config = LLMConfig(
        api_key=settings["api_key"],
        base_url=settings["base_url"],
        model=settings["model"],
        small_model=settings["small_model"],
    )
    embedder_config = OpenAIEmbedderConfig(api_key=settings["api_key"], base_url=settings["base_url"])
    if settings["embedder_model"]:
        embedder_config.embedding_model = settings["embedder_model"]
    return {
        "llm_client": OpenAIClient(config=llm_config),
        "embedder": OpenAIEmbedder(config=embedder_config),
        "cross_encoder": OpenAIRerankerClient(config=copy.copy(llm_config)),
    }


# ---------------------------------------------------------------------------------------------
# FalkorDB access (synchronous client: quick checks and counts, no LLM involved)


def open_falkordb(settings: dict[str, Any]):
    import falkordb
    import redis.exceptions

    where = {"host": settings["host"], "port": settings["port"]}
    started = time.monotonic()
    try:
        # The client connects (and authenticates) in its constructor.
        db = falkordb.FalkorDB(
            host=settings["host"],
            port=settings["port"],
            username=settings["username"],
            password=settings["password"],
            socket_connect_timeout=CONNECT_TIMEOUT_S,
            socket_timeout=SOCKET_TIMEOUT_S,
        )
        db.connection.ping()
        latency_ms = round((time.monotonic() - started) * 1000, 2)
        modules = db.connection.module_list()
    except redis.exceptions.AuthenticationError as exc:
        raise MemoryFailure(
            "falkordb_auth_failed",
            f"FalkorDB at {settings['host']}:{settings['port']} refused the credentials "
            f"(FALKORDB_USERNAME / FALKORDB_PASSWORD): {exc}",
            EXIT_UNREACHABLE,
            **where,
        ) from None
    except (redis.exceptions.ConnectionError, redis.exceptions.TimeoutError, OSError) as exc:
        raise MemoryFailure(
            "falkordb_unreachable",
            f"FalkorDB at {settings['host']}:{settings['port']} is unreachable "
            f"(FALKORDB_HOST / FALKORDB_PORT): {exc}",
            EXIT_UNREACHABLE,
            **where,
        ) from None
    except redis.exceptions.ResponseError as exc:
        raise MemoryFailure(
            "falkordb_error",
            f"FalkorDB at {settings['host']}:{settings['port']} answered with an error: {exc}",
            EXIT_UNREACHABLE,
            **where,
        ) from None
    version = None
    for module in modules or []:
        name = module.get(b"name", module.get("name"))
        if name in (b"graph", "graph"):
            version = module.get(b"ver", module.get("ver"))
    if version is None:
        raise MemoryFailure(
            "falkordb_module_missing",
            f"the server at {settings['host']}:{settings['port']} answers but has no FalkorDB "
            "(graph) module loaded",
            EXIT_UNREACHABLE,
            **where,
        )
    return db, {"latency_ms": latency_ms, "module_version": version}


def expected_indices() -> list[tuple[str, str, str]]:
    """(kind, label, property) for every index Graphiti creates on FalkorDB."""
    from graphiti_core.driver.driver import GraphProvider
    from graphiti_core.graph_queries import get_fulltext_indices, get_range_indices

    wanted = []
    for kind, queries in (
        ("RANGE", get_range_indices(GraphProvider.FALKORDB)),
        ("FULLTEXT", get_fulltext_indices(GraphProvider.FALKORDB)),
    ):
        for query in queries:
            match = re.search(r"FOR\s+(?:\(\w*:(\w+)\)|\(\)-\[\w*:(\w+)\]-\(\))\s+ON\s+\(([^)]*)\)", query)
            if not match:
                continue
            label = match.group(1) or match.group(2)
            for prop in match.group(3).split(","):
                wanted.append((kind, label, prop.strip().split(".", 1)[-1]))
    return wanted


def present_indices(graph) -> set[tuple[str, str, str]]:
    present = set()
    for row in graph.ro_query("CALL db.indexes()").result_set:
        # Columns: label, properties, types {property: [RANGE, FULLTEXT, ...]}, ...
        label, types = row[0], row[2]
        for prop, kinds in (types or {}).items():
            for kind in kinds:
                present.add((str(kind), str(label), str(prop)))
    return present


def missing_indices(graph, exists: bool) -> list[str]:
    wanted = expected_indices()
    have = present_indices(graph) if exists else set()
    return [f"{kind} {label}.{prop}" for kind, label, prop in wanted if (kind, label, prop) not in have]


def scalar(graph, query: str) -> Any:
    rows = graph.ro_query(query).result_set
    return rows[0][0] if rows else None


def group_status(db, group_id: str, exists: bool) -> dict[str, Any]:
    graph = db.select_graph(group_id)
    if not exists:
        return {
            "group_id": group_id,
            "exists": False,
            "episodes": 0,
            "entities": 0,
            "facts": 0,
            "last_episode_at": None,
            "indices_present": False,
            "missing_indices": missing_indices(graph, False),
        }
    missing = missing_indices(graph, True)
    return {
        "group_id": group_id,
        "exists": True,
        "episodes": scalar(graph, "MATCH (n:Episodic) RETURN count(n)") or 0,
        "entities": scalar(graph, "MATCH (n:Entity) RETURN count(n)") or 0,
        "facts": scalar(graph, "MATCH ()-[e:RELATES_TO]->() RETURN count(e)") or 0,
        "last_episode_at": normalise_time(scalar(graph, "MATCH (n:Episodic) RETURN max(n.created_at)")),
        "indices_present": not missing,
        "missing_indices": missing,
    }


def is_graphiti_graph(db, name: str) -> bool:
    labels = {row[0] for row in db.select_graph(name).ro_query("CALL db.labels()").result_set}
    return bool(labels & {"Episodic", "Entity"})


def cmd_status(args, env) -> dict[str, Any]:
    settings = falkordb_settings(env)
    group = default_group_id(env)
    db, probe = open_falkordb(settings)
    graphs = sorted(db.list_graphs())
    names = [group] + [g for g in graphs if g != group and is_graphiti_graph(db, g)]
    groups = [group_status(db, name, name in graphs) for name in names]
    last = [g["last_episode_at"] for g in groups if g["last_episode_at"]]
    default = groups[0]
    return {
        "ok": True,
        "command": "status",
        "falkordb": {
            "host": settings["host"],
            "port": settings["port"],
            "reachable": True,
            "latency_ms": probe["latency_ms"],
            "module_version": probe["module_version"],
        },
        "group_id": group,
        "indices": {"present": default["indices_present"], "missing": default["missing_indices"]},
        "episodes": sum(g["episodes"] for g in groups),
        "entities": sum(g["entities"] for g in groups),
        "facts": sum(g["facts"] for g in groups),
        "last_episode_at": max(last) if last else None,
        "groups": groups,
        "llm_configured": bool(env.get("OPENAI_API_KEY", "").strip() or env.get("GRAPHITI_CLIENT_FACTORY", "").strip()),
        "telemetry_enabled": env.get("GRAPHITI_TELEMETRY_ENABLED", "").lower() not in ("false", "0", "no", "off"),
        "checked_at": iso(datetime.now(timezone.utc)),
    }


# ---------------------------------------------------------------------------------------------
# Graphiti operations (asynchronous: graphiti-core is asyncio)


def falkor_driver(settings: dict[str, Any], group_id: str):
    from graphiti_core.driver.falkordb_driver import FalkorDriver

    # One FalkorDB graph per group id, as Graphiti itself does for FalkorDB.
    return FalkorDriver(
        host=settings["host"],
        port=settings["port"],
        username=settings["username"],
        password=settings["password"],
        database=group_id,
    )


async def build_indices(settings: dict[str, Any], group_id: str) -> None:
    driver = falkor_driver(settings, group_id)
    try:
        await driver.build_indices_and_constraints()
    finally:
        await driver.close()


def cmd_init(args, env) -> dict[str, Any]:
    settings = falkordb_settings(env)
    group = check_group_id(args.group_id, "--group-id") if args.group_id else default_group_id(env)
    db, _ = open_falkordb(settings)
    before = missing_indices(db.select_graph(group), group in db.list_graphs())
    run_async(build_indices(settings, group))
    after = missing_indices(db.select_graph(group), group in db.list_graphs())
    if after:
        raise MemoryFailure(
            "init_incomplete",
            f"indices still missing after init in graph {group!r}: {', '.join(after)}",
            EXIT_FAILED,
            group_id=group,
            missing=after,
        )
    return {
        "ok": True,
        "command": "init",
        "group_id": group,
        "created": len(before) - len(after),
        "indices": {"present": True, "missing": []},
    }


def read_episode_input(args, env) -> dict[str, Any]:
    data: dict[str, Any] = {}
    if args.json:
        raw = sys.stdin.read()
        try:
            data = json.loads(raw)
        except json.JSONDecodeError as exc:
            raise MemoryFailure(
                "invalid_input",
                f"stdin JSON: line {exc.lineno} column {exc.colno}: {exc.msg}",
                EXIT_USAGE,
                field="stdin",
            ) from None
        if not isinstance(data, dict):
            raise MemoryFailure("invalid_input", "stdin JSON: expected an object", EXIT_USAGE, field="stdin")
    # Arguments given on the command line win over the JSON object.
    for field in ("name", "body", "source_description", "group_id", "reference_time", "source"):
        value = getattr(args, field, None)
        if value is not None:
            data[field] = value
    where = "stdin JSON" if args.json else "arguments"
    for field in ("name", "body"):
        value = data.get(field)
        if not isinstance(value, str) or not value.strip():
            raise MemoryFailure(
                "invalid_input",
                f"{where}: field {field!r} must be a non-empty string",
                EXIT_USAGE,
                field=field,
            )
    for field in ("source_description", "group_id", "reference_time", "source"):
        if field in data and data[field] is not None and not isinstance(data[field], str):
            raise MemoryFailure(
                "invalid_input", f"{where}: field {field!r} must be a string", EXIT_USAGE, field=field
            )
    data.setdefault("source_description", None)
    data["source_description"] = data["source_description"] or "opencode"
    data["group_id"] = (
        check_group_id(data["group_id"], "group_id") if data.get("group_id") else default_group_id(env)
    )
    source = data.get("source") or "text"
    if source not in EPISODE_SOURCES:
        raise MemoryFailure(
            "invalid_input",
            f"{where}: field 'source' must be one of {', '.join(EPISODE_SOURCES)}, got {source!r}",
            EXIT_USAGE,
            field="source",
        )
    data["source"] = source
    if data.get("reference_time"):
        try:
            ref = datetime.fromisoformat(data["reference_time"].replace("Z", "+00:00"))
        except ValueError:
            raise MemoryFailure(
                "invalid_input",
                f"{where}: field 'reference_time' must be an ISO 8601 time, got {data['reference_time']!r}",
                EXIT_USAGE,
                field="reference_time",
            ) from None
        data["reference_time"] = ref if ref.tzinfo else ref.replace(tzinfo=timezone.utc)
    else:
        data["reference_time"] = datetime.now(timezone.utc)
    return data


async def add_episode(settings, clients, episode) -> dict[str, Any]:
    from graphiti_core import Graphiti
    from graphiti_core.nodes import EpisodeType

    group = episode["group_id"]
    driver = falkor_driver(settings, group)
    graphiti = Graphiti(graph_driver=driver, **clients)
    try:
        await driver.build_indices_and_constraints()
        # The same name and body already stored means a retry of an episode that did land.
        records, _, _ = await driver.execute_query(
            "MATCH (e:Episodic {name: $name}) RETURN e.uuid AS uuid, e.content AS content",
            name=episode["name"],
        ) or ([], None, None)
        for record in records:
            if record["content"] == episode["body"]:
                return {"uuid": record["uuid"], "duplicate": True, "entities": 0, "facts": 0}
        result = await graphiti.add_episode(
            name=episode["name"],
            episode_body=episode["body"],
            source_description=episode["source_description"],
            reference_time=episode["reference_time"],
            source=EpisodeType(episode["source"]),
            group_id=group,
        )
        return {
            "uuid": result.episode.uuid,
            "duplicate": False,
            "entities": len(result.nodes),
            "facts": len(result.edges),
        }
    finally:
        await graphiti.close()


def cmd_add_episode(args, env) -> dict[str, Any]:
    episode = read_episode_input(args, env)
    settings = falkordb_settings(env)
    clients = build_clients(env, "add-episode (entity extraction)")
    open_falkordb(settings)
    outcome = run_async(add_episode(settings, clients, episode))
    return {
        "ok": True,
        "command": "add-episode",
        "group_id": episode["group_id"],
        "name": episode["name"],
        "content_sha256": hashlib.sha256(episode["body"].encode()).hexdigest(),
        **outcome,
    }


async def search(settings, clients, query: str, group_ids: list[str], limit: int) -> dict[str, Any]:
    from graphiti_core import Graphiti
    from graphiti_core.search.search_config_recipes import COMBINED_HYBRID_SEARCH_RRF

    driver = falkor_driver(settings, group_ids[0])
    graphiti = Graphiti(graph_driver=driver, **clients)
    try:
        config = COMBINED_HYBRID_SEARCH_RRF.model_copy(deep=True)
        config.limit = limit
        results = await graphiti.search_(query, config=config, group_ids=group_ids)
    finally:
        await graphiti.close()
    return {
        "facts": [
            {
                "uuid": e.uuid,
                "fact": e.fact,
                "relation": e.name,
                "group_id": e.group_id,
                "source_uuid": e.source_node_uuid,
                "target_uuid": e.target_node_uuid,
                "valid_at": iso(e.valid_at),
                "invalid_at": iso(e.invalid_at),
                "created_at": iso(e.created_at),
            }
            for e in results.edges
        ],
        "entities": [
            {"uuid": n.uuid, "name": n.name, "summary": n.summary, "group_id": n.group_id}
            for n in results.nodes
        ],
        "episodes": [
            {
                "uuid": ep.uuid,
                "name": ep.name,
                "source_description": ep.source_description,
                "content": ep.content,
                "group_id": ep.group_id,
                "created_at": iso(ep.created_at),
            }
            for ep in results.episodes
        ],
    }


def cmd_search(args, env) -> dict[str, Any]:
    query = args.query.strip()
    if not query:
        raise MemoryFailure("invalid_input", "search: QUERY must not be empty", EXIT_USAGE, field="query")
    if args.limit < 1 or args.limit > 100:
        raise MemoryFailure("invalid_input", "search: --limit must be 1..100", EXIT_USAGE, field="--limit")
    groups = [check_group_id(g, "--group-id") for g in args.group_id] or [default_group_id(env)]
    settings = falkordb_settings(env)
    clients = build_clients(env, "search (query embedding)")
    db, _ = open_falkordb(settings)
    existing = set(db.list_graphs())
    present = [g for g in groups if g in existing]
    found = (
        run_async(search(settings, clients, query, present, args.limit))
        if present
        else {"facts": [], "entities": [], "episodes": []}
    )
    return {"ok": True, "command": "search", "query": query, "group_ids": groups, **found}


# ---------------------------------------------------------------------------------------------
# Plumbing


def iso(value: datetime | None) -> str | None:
    if value is None:
        return None
    if value.tzinfo is None:
        value = value.replace(tzinfo=timezone.utc)
    return value.astimezone(timezone.utc).isoformat().replace("+00:00", "Z")


def normalise_time(value: Any) -> str | None:
    # Graphiti stores times as ISO strings in FalkorDB; report them all as UTC with a Z.
    if not value:
        return None
    try:
        return iso(datetime.fromisoformat(str(value).replace("Z", "+00:00")))
    except ValueError:
        return str(value)


def run_async(coro):
    import redis.exceptions

    try:
        return asyncio.run(coro)
    except (redis.exceptions.ConnectionError, redis.exceptions.TimeoutError) as exc:
        raise MemoryFailure(
            "falkordb_unreachable", f"lost the FalkorDB connection: {exc}", EXIT_UNREACHABLE
        ) from None


class Parser(argparse.ArgumentParser):
    def error(self, message: str):  # bad usage is reported as JSON like every other failure
        raise MemoryFailure("invalid_input", f"{self.prog}: {message}", EXIT_USAGE)


def parser() -> argparse.ArgumentParser:
    common = Parser(add_help=False)
    common.add_argument("--verbose", action="store_true", help="log Graphiti's progress on stderr")
    p = Parser(prog="memory.py", description="Graphiti memory for OpenCode (JSON on stdout)")
    sub = p.add_subparsers(dest="command", required=True, parser_class=Parser)
    sub.add_parser("status", parents=[common], help="FalkorDB reachability, indices and counts")
    init = sub.add_parser("init", parents=[common], help="build indices and constraints (idempotent)")
    init.add_argument("--group-id")
    add = sub.add_parser("add-episode", parents=[common], help="add one episode")
    add.add_argument("--json", action="store_true", help="read a JSON object from stdin")
    add.add_argument("--name")
    add.add_argument("--body")
    add.add_argument("--source-description", dest="source_description")
    add.add_argument("--group-id", dest="group_id")
    add.add_argument("--reference-time", dest="reference_time", help="ISO 8601, default now")
    add.add_argument("--source", choices=EPISODE_SOURCES)
    find = sub.add_parser("search", parents=[common], help="search facts, entities and episodes")
    find.add_argument("query")
    find.add_argument("--group-id", action="append", default=[])
    find.add_argument("--limit", type=int, default=10)
    return p


COMMANDS = {"status": cmd_status, "init": cmd_init, "add-episode": cmd_add_episode, "search": cmd_search}


def main(argv: list[str] | None = None, env: dict[str, str] | None = None) -> int:
    env = dict(os.environ if env is None else env)
    command = None
    try:
        args = parser().parse_args(argv)
        command = args.command
        logging.basicConfig(
            stream=sys.stderr,
            level=logging.INFO if args.verbose else logging.WARNING,
            format="%(levelname)s %(name)s: %(message)s",
        )
        result = COMMANDS[command](args, env)
        code = EXIT_OK
    except MemoryFailure as failure:
        result = {"ok": False, "command": command, "error": failure.as_json()}
        if command == "status" and failure.exit_code == EXIT_UNREACHABLE:
            result["falkordb"] = {
                "host": failure.details.get("host"),
                "port": failure.details.get("port"),
                "reachable": False,
            }
        code = failure.exit_code
    except Exception as exc:  # anything else is reported, not dumped as a traceback on stdout
        log.debug("failure", exc_info=True)
        result = {
            "ok": False,
            "command": command,
            "error": {"code": "failed", "message": f"{type(exc).__name__}: {exc}"},
        }
        code = EXIT_FAILED
    json.dump(result, sys.stdout, default=str)
    sys.stdout.write("\n")
    sys.stdout.flush()
    return code


if __name__ == "__main__":
    sys.exit(main())
