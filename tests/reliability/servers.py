"""Processes the cache's reliability tests control: a private Redis and real API processes.

`redis_server` is a `redis-server` of the test's own, on a free port of 22000-22999, without
persistence, that the test can stall (`DEBUG SLEEP`), stop and start again on the same port.
`api_processes` starts uvicorn processes (`python -m uvicorn --factory ...`) on the domain
database and that Redis, and stops them after the test. The soak run (`bench/soak.py`) uses
the same classes.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Generator, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import pytest

ROOT = Path(__file__).resolve().parents[2]
PORTS = range(22_000, 23_000)

__all__ = [
    "ApiProcess",
    "RedisServer",
    "StartApi",
    "api_processes",
    "free_port",
    "redis_server",
    "start_api",
]


def free_port(ports: range = PORTS) -> int:
    """A port of `ports` nobody listens on, starting from one that depends on pid and time."""
    offset = (os.getpid() * 7 + time.monotonic_ns() // 1000) % len(ports)
    for i in range(len(ports)):
        port = ports[(offset + i) % len(ports)]
        with socket.socket() as probe:
            try:
                probe.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    raise RuntimeError(f"no free port in {ports.start}-{ports.stop - 1}")


def _answers(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=0.5) as conn:
            conn.settimeout(0.5)
            conn.sendall(b"PING\r\n")
            return conn.recv(16).startswith(b"+PONG")
    except OSError:
        return False


@dataclass(slots=True)
class RedisServer:
    port: int
    folder: Path
    process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        binary = shutil.which("redis-server")
        assert binary is not None, "redis-server is not installed"
        self.process = subprocess.Popen(
            [binary, "--port", str(self.port), "--bind", "127.0.0.1", "--save", "",
             "--appendonly", "no", "--enable-debug-command", "yes", "--dir", str(self.folder)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )  # fmt: skip
        self.wait_awake()

    def stop(self) -> None:
        """Kill it (SIGKILL: as a crash; it keeps nothing, having no persistence)."""
        if self.process is not None and self.process.poll() is None:
            self.process.kill()
            self.process.wait(10)
        self.process = None

    def stall(self, seconds: float) -> None:
        """Make it stop answering for `seconds` (`DEBUG SLEEP`); returns once it sleeps."""
        with socket.create_connection(("127.0.0.1", self.port), timeout=1) as conn:
            conn.sendall(f"DEBUG SLEEP {seconds}\r\n".encode())
            time.sleep(0.05)  # the command is read before this returns; no reply is awaited
        if seconds >= 1:  # a shorter stall may be over by the time this asks
            assert not _answers(self.port), "Redis did not stall"

    def wait_awake(self, timeout: float = 20.0) -> None:
        deadline = time.monotonic() + timeout
        while not _answers(self.port):
            assert time.monotonic() < deadline, f"Redis on {self.port} does not answer"
            time.sleep(0.05)


@pytest.fixture
def redis_server(tmp_path: Path) -> Iterator[RedisServer]:
    server = RedisServer(free_port(), tmp_path)
    server.start()
    try:
        yield server
    finally:
        server.stop()


@dataclass(slots=True)
class ApiProcess:
    port: int
    process: subprocess.Popen[bytes]
    log: Path
    client: httpx.Client = field(init=False)

    def __post_init__(self) -> None:
        self.client = httpx.Client(base_url=f"http://127.0.0.1:{self.port}", timeout=30)

    def post(
        self,
        query: str,
        variables: Mapping[str, object] | None = None,
        *,
        token: str | None = None,
        headers: dict[str, str] | None = None,
    ) -> httpx.Response:
        sent = {**(headers or {}), **({"Authorization": f"Bearer {token}"} if token else {})}
        return self.client.post(
            "/graphql", json={"query": query, "variables": variables}, headers=sent
        )

    def wait_ready(self, timeout: float = 90.0) -> None:
        deadline = time.monotonic() + timeout
        while True:
            assert self.process.poll() is None, self.log.read_text()[-3000:]
            try:
                if self.client.get("/health").is_success:
                    return
            except httpx.HTTPError:
                pass
            assert time.monotonic() < deadline, self.log.read_text()[-3000:]
            time.sleep(0.1)

    def stop(self) -> None:
        self.client.close()
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(15)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()


def start_api(
    env: dict[str, str], folder: Path, *, factory: str = "api.app:create_app"
) -> ApiProcess:
    """A uvicorn process serving `factory()` with `env` added to this process's environment."""
    port = free_port()
    log = folder / f"api-{port}.log"
    command = [sys.executable, "-m", "uvicorn", "--factory", factory, "--host", "127.0.0.1",
               "--port", str(port), "--log-level", "warning", "--no-access-log"]  # fmt: skip
    with log.open("wb") as out:
        process = subprocess.Popen(
            command,
            cwd=ROOT,
            env={**os.environ, "RESPONSE_TIME_SAMPLE_RATE": "0", **env},
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    api = ApiProcess(port, process, log)
    api.wait_ready()
    return api


StartApi = Callable[..., ApiProcess]


@pytest.fixture
def api_processes(tmp_path: Path) -> Generator[StartApi]:
    """`api_processes(env)` starts an API process (stopped after the test); every process of
    one test shares a Redis key prefix of its own."""
    started: list[ApiProcess] = []
    prefix = f"test:{uuid.uuid4().hex[:10]}:"

    def start(env: dict[str, str], *, factory: str = "api.app:create_app") -> ApiProcess:
        api = start_api({"CACHE_PREFIX": prefix, **env}, tmp_path, factory=factory)
        started.append(api)
        return api

    try:
        yield start
    finally:
        for api in started:
            api.stop()


@contextmanager
def stalled(server: RedisServer, seconds: float) -> Generator[None]:
    """Redis stalls for `seconds` inside the block, which ends once it answers again."""
    server.stall(seconds)
    yield
    server.wait_awake()
