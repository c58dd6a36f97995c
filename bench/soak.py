"""`make soak`: mixed reads and writes by several viewers while Redis and PostgreSQL misbehave,
then SQL checks that nothing acknowledged was lost or doubled and nothing private leaked.

    SOAK_SECONDS=600 make soak      # the default; SOAK_VIEWERS, SOAK_WORKERS, SOAK_DATABASE_URL

It pushes the schema into a PostgreSQL schema of its own (dropped at the end), starts a private
`redis-server` and `SOAK_WORKERS` uvicorn processes on it, and lets `SOAK_VIEWERS` signed-in
viewers loop over: reads (the public dream list, a dream by id, their dashboard and budget),
creating private and public dreams (titles carry the owner's marker), making a public dream
private (for good), recording token usage and AI tests; creations carry idempotency keys and
are retried with the same key until acknowledged. Meanwhile a fault is injected every few
seconds: Redis stalls (`DEBUG SLEEP`), Redis killed and restarted empty, or every PostgreSQL
backend of the database terminated (`pg_terminate_backend`).

Checks: every acknowledged write is present exactly once (and an unacknowledged one at most
once); no viewer received a private dream of another viewer (a `PRIVATE[owner]` title, or a
dream in a response to a request sent after its owner's hide was acknowledged); after a write
its author reads it back. Figures go to stdout; the exit status is 1 when a check fails.
"""

from __future__ import annotations

import asyncio
import os
import random
import sys
import tempfile
import time
import uuid
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import cast

import httpx

from api.auth import hash_token
from api.database import push_schema
from orm.runtime.types import JsonValue
from prisma import Prisma
from tests.conftest import with_query
from tests.reliability.servers import ApiProcess, RedisServer, free_port, start_api

__all__ = ["main"]

CREATE = """mutation ($t: String!, $p: Boolean!, $k: String!) {
  createDream(input: {title: $t, originalPrompt: "soak", isPublic: $p, idempotencyKey: $k}) {
    dream { id } } }"""
HIDE = """mutation ($id: ID!, $t: String!) {
  updateDream(id: $id, input: {isPublic: false, title: $t}) { dream { id title } } }"""
USAGE = """mutation ($e: String!, $k: String!) {
  recordTokenUsage(input: {endpoint: $e, model: "gpt-4o", promptTokens: 3, completionTokens: 4,
    cost: "0.001", idempotencyKey: $k}) { id } }"""
AI_TEST = """mutation ($d: ID!, $r: String!, $k: String!) {
  recordAiTest(input: {dreamId: $d, provider: OPENAI, model: "gpt-4o", impossibilityScore: 50,
    confidence: 70, reasoning: $r, idempotencyKey: $k}) { aiTest { id } } }"""
READS = {
    "list": ("{ dreams(first: 50) { nodes { id title } } }", None),
    "dashboard": ("{ dashboard(first: 20) { dreams { id title } } }", None),
    "budget": ("{ myBudget { spent } }", None),
}
DREAM = "query ($id: ID!) { dream(id: $id) { id title } }"


Answer = tuple[JsonValue, float]  # a response's JSON (None when it failed) and when it was sent


def dig(value: JsonValue, *path: str) -> JsonValue:
    """`value[path[0]][path[1]]...`, None where something on the way is missing."""
    for key in path:
        if not isinstance(value, dict):
            return None
        value = cast("dict[str, JsonValue]", value).get(key)
    return value


def error_code(body: JsonValue) -> str:
    errors = dig(body, "errors")
    if not isinstance(errors, list) or not errors:
        return ""
    return str(dig(cast("list[JsonValue]", errors)[0], "extensions", "code") or "")


@dataclass
class Tally:
    requests: Counter[str] = field(default_factory=Counter[str])
    failures: Counter[str] = field(default_factory=Counter[str])
    faults: Counter[str] = field(default_factory=Counter[str])
    latencies: list[float] = field(default_factory=list[float])
    leaks: list[str] = field(default_factory=list[str])
    stale: list[str] = field(default_factory=list[str])
    # acknowledged / unacknowledged unique marks of writes, per kind
    acked: dict[str, set[str]] = field(default_factory=dict[str, set[str]])
    unsure: dict[str, set[str]] = field(default_factory=dict[str, set[str]])
    hidden_at: dict[str, tuple[str, float]] = field(default_factory=dict[str, tuple[str, float]])
    public: list[str] = field(default_factory=list[str])

    created: dict[str, str] = field(default_factory=dict[str, str])  # acknowledged dream ids

    def mark(self, kind: str, mark: str, *, ok: bool) -> None:
        (self.acked if ok else self.unsure).setdefault(kind, set()).add(mark)


class Viewer:
    def __init__(self, name: str, token: str, workers: list[ApiProcess], tally: Tally) -> None:
        self.name, self.token, self.tally = name, token, tally
        self.clients = [
            httpx.AsyncClient(base_url=f"http://127.0.0.1:{w.port}", timeout=20) for w in workers
        ]
        self.mine: list[str] = []  # my public dreams, not yet hidden

    async def post(
        self, kind: str, query: str, variables: dict[str, JsonValue] | None = None
    ) -> Answer:
        """The response's JSON and when the request was sent; None when it failed."""
        sent = time.monotonic()
        self.tally.requests[kind] += 1
        try:
            response = await random.choice(self.clients).post(
                "/graphql",
                json={"query": query, "variables": variables},
                headers={"Authorization": f"Bearer {self.token}"},
            )
        except httpx.HTTPError as exc:
            self.tally.failures[f"{kind}: {type(exc).__name__}"] += 1
            return None, sent
        self.tally.latencies.append(time.monotonic() - sent)
        is_json = response.headers.get("content-type", "").startswith("application/json")
        body: JsonValue = response.json() if is_json else None
        if response.status_code != 200 or dig(body, "errors"):
            self.tally.failures[f"{kind}: {response.status_code} {error_code(body)}"] += 1
            self.inspect(body, sent)  # what a failed answer holds counts too
            return None, sent
        return body, sent

    def inspect(self, body: JsonValue, sent: float) -> None:
        """Count a leak for each private dream of another viewer in `body`."""
        text = str(body)
        for owner in VIEWER_NAMES:
            if owner != self.name and f"PRIVATE[{owner}]" in text:
                self.tally.leaks.append(f"{self.name} saw a private dream of {owner}")
        for dream_id, (owner, hidden) in list(self.tally.hidden_at.items()):
            if owner != self.name and sent > hidden and dream_id in text:
                self.tally.leaks.append(f"{self.name} saw {dream_id} of {owner} after its hide")

    async def step(self) -> None:
        roll = random.random()
        if roll < 0.55:
            kind = random.choice(list(READS))
            body, sent = await self.post(kind, READS[kind][0])
            self.inspect(body, sent)
        elif roll < 0.65 and self.tally.public:
            body, sent = await self.post("dream", DREAM, {"id": random.choice(self.tally.public)})
            self.inspect(body, sent)
        elif roll < 0.75:
            await self.create()
        elif roll < 0.80 and self.mine:
            await self.hide(self.mine.pop(0))
        elif roll < 0.90:
            await self.idempotent("usage", USAGE, lambda m: {"e": m})
        elif self.mine:
            dream = self.mine[0]
            await self.idempotent("ai_test", AI_TEST, lambda m: {"d": dream, "r": m})

    async def create(self) -> None:
        public = random.random() < 0.5
        mark = f"{'PUBLIC' if public else 'PRIVATE'}[{self.name}] {uuid.uuid4().hex[:12]}"
        dream_id: JsonValue = None
        for _ in range(8):  # a retry repeats the key: created once whatever happened
            body, _ = await self.post("createDream", CREATE, {"t": mark, "p": public, "k": mark})
            dream_id = dig(body, "data", "createDream", "dream", "id")
            if isinstance(dream_id, str):
                break
            await asyncio.sleep(0.25)
        self.tally.mark("dream", mark, ok=isinstance(dream_id, str))
        if isinstance(dream_id, str):
            self.tally.created[mark] = dream_id
            if public:
                self.mine.append(dream_id)
                self.tally.public.append(dream_id)

    async def hide(self, dream_id: str) -> None:
        title = f"PRIVATE[{self.name}] hidden {uuid.uuid4().hex[:8]}"
        for _ in range(5):  # an update is idempotent by nature: retry until acknowledged
            body, _ = await self.post("hide", HIDE, {"id": dream_id, "t": title})
            if dig(body, "data", "updateDream") is not None:
                self.tally.hidden_at[dream_id] = (self.name, time.monotonic())
                mine, _ = await self.post("dream", DREAM, {"id": dream_id})
                seen = dig(mine, "data", "dream", "title")
                if mine is not None and seen != title:
                    self.tally.stale.append(f"{self.name} read {dream_id} as {seen} after hiding")
                return
            await asyncio.sleep(0.2)

    async def idempotent(
        self, kind: str, query: str, variables: Callable[[str], dict[str, JsonValue]]
    ) -> None:
        mark = f"soak-{uuid.uuid4().hex}"
        for _ in range(8):  # a retry repeats the key: recorded once whatever happened
            body, _ = await self.post(kind, query, {**variables(mark), "k": mark})
            if body is not None and not dig(body, "errors"):
                self.tally.mark(kind, mark, ok=True)
                return
            await asyncio.sleep(0.25)
        self.tally.mark(kind, mark, ok=False)

    async def run(self, until: float) -> None:
        while time.monotonic() < until:
            await self.step()
        for client in self.clients:
            await client.aclose()


VIEWER_NAMES: list[str] = []


KILL_SQL = (
    "SELECT count(pg_terminate_backend(pid)) AS killed FROM pg_stat_activity "
    "WHERE datname = current_database() AND pid <> pg_backend_pid() "
    "AND backend_type = 'client backend'"
)


async def inject_faults(redis: RedisServer, dsn: str, until: float, tally: Tally) -> None:
    """A fault every 4-8 seconds: Redis stall, Redis restart, or PostgreSQL backends killed."""
    while True:
        await asyncio.sleep(random.uniform(4, 8))
        if time.monotonic() >= until:
            return
        fault = random.choice(["redis-stall", "redis-restart", "pg-kill"])
        tally.faults[fault] += 1
        if fault == "redis-stall":
            await asyncio.to_thread(redis.stall, random.choice([0.5, 1.0, 2.0, 3.0]))
        elif fault == "redis-restart":
            await asyncio.to_thread(redis.stop)
            await asyncio.sleep(random.uniform(0.2, 2.0))
            await asyncio.to_thread(redis.start)
        else:
            async with Prisma(datasource={"url": dsn}, connection_limit=1) as db:
                row = await db.query_first(KILL_SQL)
            tally.faults["pg-backends-killed"] += int(row["killed"]) if row else 0


async def check(url: str, tally: Tally) -> list[str]:
    """SQL checks: each acknowledged write present exactly once, unacknowledged at most once."""
    sources = {
        "dream": "SELECT title AS mark, count(*) AS n FROM dreams GROUP BY title",
        "usage": "SELECT endpoint AS mark, count(*) AS n FROM token_usage GROUP BY endpoint",
        "ai_test": "SELECT reasoning AS mark, count(*) AS n FROM ai_tests GROUP BY reasoning",
    }
    problems: list[str] = []
    async with Prisma(datasource={"url": url}, connection_limit=1) as db:
        ids = {str(row["id"]) for row in await db.query_raw("SELECT id FROM dreams")}
        for kind, sql in sources.items():
            counts = {str(row["mark"]): int(row["n"]) for row in await db.query_raw(sql)}
            for mark in tally.acked.get(kind, set()):
                if kind == "dream":  # public ones are renamed when hidden: check by id
                    found = 1 if tally.created[mark] in ids else 0
                    found = counts.get(mark, 0) if mark.startswith("PRIVATE") else found
                else:
                    found = counts.get(mark, 0)
                if found != 1:
                    problems.append(f"{kind} {mark}: {found} rows, acknowledged")
            problems += [
                f"{kind} {mark}: {counts[mark]} rows, unacknowledged"
                for mark in tally.unsure.get(kind, set())
                if counts.get(mark, 0) > 1
            ]
    return problems


async def soak(seconds: float, viewers: int, workers: int, dsn: str) -> int:
    schema = f"soak_{uuid.uuid4().hex[:8]}"
    url = with_query(dsn, schema=schema)
    folder = Path(tempfile.mkdtemp(prefix="soak-"))
    redis = RedisServer(free_port(), folder)
    apis: list[ApiProcess] = []
    tally = Tally()
    async with Prisma(datasource={"url": dsn}, connection_limit=1) as admin:
        await admin.execute_raw(f'CREATE SCHEMA "{schema}"')
        try:
            await push_schema(url)
            tokens = await _users(url, viewers)
            redis.start()
            env = {"DATABASE_URL": url, "REDIS_URL": redis.url, "LOG_LEVEL": "error"}
            env.update(RATE_LIMIT="off", RATE_LIMIT_PER_FIELD="off")  # faults, not 429s
            apis = [await asyncio.to_thread(start_api, env, folder) for _ in range(workers)]
            until = time.monotonic() + seconds
            people = [Viewer(name, token, apis, tally) for name, token in tokens.items()]
            started = time.monotonic()
            await asyncio.gather(
                inject_faults(redis, dsn, until, tally), *(p.run(until) for p in people)
            )
            elapsed = time.monotonic() - started
            redis.wait_awake()
            problems = await check(url, tally)
        finally:
            for api in apis:
                api.stop()
            redis.stop()
            await admin.execute_raw(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')
    report(tally, elapsed, problems, workers=workers)
    return 1 if problems or tally.leaks or tally.stale else 0


async def _users(url: str, count: int) -> dict[str, str]:
    tokens: dict[str, str] = {}
    async with Prisma(datasource={"url": url}, connection_limit=1) as db:
        for i in range(count):
            name, token = f"v{i}", f"soak-token-{i}-{uuid.uuid4().hex}"
            await db.user.create(
                data={
                    "id": name,
                    "email": f"{name}@soak.test",
                    "name": name,
                    "passwordHash": "x",
                    "apiTokenHash": hash_token(token),
                }
            )
            tokens[name] = token
            VIEWER_NAMES.append(name)
    return tokens


def report(tally: Tally, elapsed: float, problems: list[str], *, workers: int) -> None:
    total = sum(tally.requests.values())
    failed = sum(tally.failures.values())
    latencies = sorted(tally.latencies) or [0.0]

    def p(q: float) -> float:
        return latencies[min(len(latencies) - 1, int(q * len(latencies)))] * 1000

    print(f"soak: {elapsed:.0f} s, {len(VIEWER_NAMES)} viewers, {workers} API processes")
    print(f"load: {Path('/proc/loadavg').read_text().strip()}")
    share = failed / max(total, 1)
    print(f"requests: {total} ({total / elapsed:.1f}/s), failed {failed} ({share:.2%})")
    print(f"latency: p50 {p(0.5):.0f} ms, p95 {p(0.95):.0f} ms, p99 {p(0.99):.0f} ms")
    print("by kind: " + ", ".join(f"{k} {v}" for k, v in sorted(tally.requests.items())))
    print("faults: " + ", ".join(f"{k} {v}" for k, v in sorted(tally.faults.items())))
    for kind in sorted({*tally.acked, *tally.unsure}):
        acked, unsure = len(tally.acked.get(kind, ())), len(tally.unsure.get(kind, ()))
        print(f"writes {kind}: {acked} acknowledged, {unsure} unacknowledged")
    common = tally.failures.most_common(12)
    print("failures: " + (", ".join(f"{k} x{v}" for k, v in common) or "none"))
    print(f"CHECK acknowledged writes exactly once: {'ok' if not problems else problems[:10]}")
    print(f"CHECK private data leaked: {len(tally.leaks)} {tally.leaks[:5]}")
    print(f"CHECK stale read-after-write: {len(tally.stale)} {tally.stale[:5]}")


def main() -> None:
    seconds = float(os.environ.get("SOAK_SECONDS", "600"))
    viewers = int(os.environ.get("SOAK_VIEWERS", "6"))
    workers = int(os.environ.get("SOAK_WORKERS", "2"))
    dsn = os.environ.get(
        "SOAK_DATABASE_URL",
        os.environ.get("TEST_DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/test"),
    )
    sys.exit(asyncio.run(soak(seconds, viewers, workers, dsn)))


if __name__ == "__main__":
    main()
