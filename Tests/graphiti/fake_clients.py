"""Deterministic LLM, embedder and cross-encoder for the Graphiti tests (no network).

They implement graphiti-core's client interfaces; memory.py loads them through
GRAPHITI_CLIENT_FACTORY=fake_clients:make_clients, so the rest of its code path is the
production one. The "LLM" extracts capitalised words of the episode as entities and links the
first two with one fact; every other structured request gets a valid empty answer.
"""

from __future__ import annotations

import hashlib
import json
import math
import re
from typing import Any

from graphiti_core.cross_encoder.client import CrossEncoderClient
from graphiti_core.embedder.client import EmbedderClient
from graphiti_core.llm_client.client import LLMClient
from graphiti_core.llm_client.config import LLMConfig

DIM = 1024
EPISODE_TAGS = ("CURRENT MESSAGE", "CURRENT_MESSAGE", "TEXT", "JSON")
# Capitalised words of four letters or more are the "named entities" of the test episodes.
ENTITY_RE = re.compile(r"\b[A-Z][a-z][A-Za-z0-9]{2,}\b")
STOP = {"This", "That", "The", "Then", "There", "When", "What", "With", "User", "Assistant"}


def episode_text(messages) -> str:
    text = messages[-1].content
    for tag in EPISODE_TAGS:
        match = re.search(rf"<{tag}>\s*(.*?)\s*</{tag}>", text, re.S)
        if match:
            return match.group(1)
    return ""


def entities_in(text: str) -> list[str]:
    seen: list[str] = []
    for word in ENTITY_RE.findall(text):
        if word not in STOP and word not in seen:
            seen.append(word)
    return seen[:6]


def first_sentence(text: str) -> str:
    return re.split(r"(?<=[.!?])\s", text.strip(), maxsplit=1)[0][:200]


def empty_instance(schema: dict[str, Any], defs: dict[str, Any]) -> Any:
    """The smallest value valid for a JSON schema: what a cautious model would answer."""
    if "$ref" in schema:
        return empty_instance(defs[schema["$ref"].split("/")[-1]], defs)
    if "anyOf" in schema:
        if any(s.get("type") == "null" for s in schema["anyOf"]):
            return None
        return empty_instance(schema["anyOf"][0], defs)
    kind = schema.get("type")
    if kind == "object":
        props = schema.get("properties", {})
        return {k: empty_instance(props[k], defs) for k in schema.get("required", []) if k in props}
    return {"array": [], "string": "", "integer": 0, "number": 0.0, "boolean": False}.get(kind)


class FakeLLM(LLMClient):
    def __init__(self):
        super().__init__(LLMConfig(api_key="unused", model="fake"), cache=False)
        self.calls: list[str] = []

    async def _generate_response(self, messages, response_model=None, max_tokens=0, model_size=None, **_):
        name = response_model.__name__ if response_model else "text"
        self.calls.append(name)
        text = episode_text(messages)
        found = entities_in(text)
        if name == "ExtractedEntities":
            return {"extracted_entities": [{"name": n, "entity_type_id": 0, "episode_indices": [0]} for n in found]}
        if name == "ExtractedEdges":
            edges = []
            if len(found) >= 2:
                edges.append(
                    {
                        "source_entity_name": found[0],
                        "target_entity_name": found[1],
                        "relation_type": "RELATES_TO",
                        "fact": f"{found[0]} relates to {found[1]}: {first_sentence(text)}",
                    }
                )
            return {"edges": edges}
        if name == "NodeResolutions":
            return {"entity_resolutions": resolutions(messages[-1].content)}
        if response_model is None:
            return {"content": ""}
        schema = response_model.model_json_schema()
        return empty_instance(schema, schema.get("$defs", {}))


def resolutions(prompt: str) -> list[dict[str, Any]]:
    # Dedupe prompts list the new entities as JSON objects with an "id"; none is a duplicate.
    out = []
    for match in re.finditer(r'\{[^{}]*"id":\s*(\d+)[^{}]*\}', prompt):
        try:
            obj = json.loads(match.group(0))
        except json.JSONDecodeError:
            continue
        if "name" in obj:
            out.append({"id": int(obj["id"]), "name": obj["name"], "duplicate_candidate_id": -1})
    return out


def words(text: str) -> list[str]:
    return re.findall(r"[a-z0-9]+", text.lower())


class FakeEmbedder(EmbedderClient):
    """Hashed bag of words, normalised: texts sharing words are close, others are not."""

    async def create(self, input_data) -> list[float]:
        text = input_data if isinstance(input_data, str) else " ".join(map(str, input_data))
        vec = [0.0] * DIM
        for word in words(text):
            bucket = int(hashlib.sha256(word.encode()).hexdigest(), 16) % DIM
            vec[bucket] += 1.0
        norm = math.sqrt(sum(v * v for v in vec)) or 1.0
        return [v / norm for v in vec]

    async def create_batch(self, input_data_list):
        return [await self.create(t) for t in input_data_list]


class FakeCrossEncoder(CrossEncoderClient):
    async def rank(self, query, passages):
        q = set(words(query))
        scored = [(p, len(q & set(words(p))) / (len(q) or 1)) for p in passages]
        return sorted(scored, key=lambda item: item[1], reverse=True)


def make_clients(env: dict[str, str]) -> dict[str, Any]:
    return {"llm_client": FakeLLM(), "embedder": FakeEmbedder(), "cross_encoder": FakeCrossEncoder()}
