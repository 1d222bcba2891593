"""A small Containerfile parser for the structural tests: instructions with their line numbers,
grouped by stage, continuation lines joined and comments dropped."""
from __future__ import annotations

import dataclasses
import json
import re
import shlex


@dataclasses.dataclass
class Instruction:
    line: int  # 1-based line of the instruction's first line
    keyword: str  # upper case, e.g. RUN
    args: str  # everything after the keyword, continuations joined with a space
    ignores: tuple[str, ...] = ()  # hadolint rules ignored just above it

    def exec_form(self) -> list[str] | None:
        """The JSON array of an exec-form CMD/ENTRYPOINT, or None for shell form."""
        try:
            value = json.loads(self.args)
        except json.JSONDecodeError:
            return None
        return value if isinstance(value, list) else None

    def flags(self) -> dict[str, list[str]]:
        """The --name=value flags at the start of args (RUN --mount=..., COPY --from=...)."""
        result: dict[str, list[str]] = {}
        rest = self.args
        while match := re.match(r"--([a-z-]+)(?:=(\S+))?\s+", rest):
            result.setdefault(match.group(1), []).append(match.group(2) or "")
            rest = rest[match.end():]
        return result

    def body(self) -> str:
        """args without the leading --flags."""
        return re.sub(r"^(?:--[a-z-]+(?:=\S+)?\s+)+", "", self.args)


@dataclasses.dataclass
class Stage:
    base: str
    name: str | None
    instructions: list[Instruction]

    def all(self, keyword: str) -> list[Instruction]:
        return [i for i in self.instructions if i.keyword == keyword]


class ParseError(ValueError):
    pass


def parse(text: str, path: str = "Containerfile") -> tuple[list[Instruction], list[Stage]]:
    """Returns (global ARGs before the first FROM, stages)."""
    lines = text.splitlines()
    instructions: list[Instruction] = []
    pending_ignores: list[str] = []
    i = 0
    while i < len(lines):
        raw = lines[i]
        stripped = raw.strip()
        if not stripped:
            pending_ignores = []
            i += 1
            continue
        if stripped.startswith("#"):
            match = re.match(r"#\s*hadolint\s+ignore=([\w,]+)", stripped)
            if match:
                pending_ignores.extend(match.group(1).split(","))
            i += 1
            continue
        start = i
        parts = [stripped]
        while parts[-1].endswith("\\"):
            parts[-1] = parts[-1][:-1].rstrip()
            i += 1
            if i >= len(lines):
                raise ParseError(f"{path}:{start + 1}: continuation at end of file")
            nxt = lines[i].strip()
            if nxt.startswith("#"):
                parts.append("\\")  # comment lines inside a continuation are skipped
                continue
            parts.append(nxt)
        joined = " ".join(p for p in parts if p != "\\")
        keyword, _, args = joined.partition(" ")
        if not re.fullmatch(r"[A-Za-z]+", keyword):
            raise ParseError(f"{path}:{start + 1}: not an instruction: {keyword!r}")
        instructions.append(Instruction(start + 1, keyword.upper(), args.strip(), tuple(pending_ignores)))
        pending_ignores = []
        i += 1

    global_args: list[Instruction] = []
    stages: list[Stage] = []
    for ins in instructions:
        if ins.keyword == "FROM":
            words = shlex.split(ins.args)
            words = [w for w in words if not w.startswith("--")]
            name = words[2] if len(words) >= 3 and words[1].upper() == "AS" else None
            stages.append(Stage(words[0], name, []))
        elif not stages:
            if ins.keyword != "ARG":
                raise ParseError(f"{path}:{ins.line}: {ins.keyword} before the first FROM")
            global_args.append(ins)
        else:
            stages[-1].instructions.append(ins)
    if not stages:
        raise ParseError(f"{path}: no FROM")
    return global_args, stages
