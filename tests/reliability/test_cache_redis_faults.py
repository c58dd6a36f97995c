"""Issue 9, item 1 (and issue 10's single-flight hole): the cache never serves what a write
made stale, whatever Redis does meanwhile.

- A write made while the Redis circuit breaker is open could not invalidate; once Redis was
  back, every viewer got the old answer until its TTL, a dream its owner had just made private
  included. Now the failed invalidation bumps the cache epoch (PostgreSQL, announced by NOTIFY)
  and entries of older epochs are never served, by this process or another one.
- A request arriving in process B after a write through process A joined a computation B had
  started before the write, and got its pre-write answer.
- A computation that read before a write and stores after Redis restarted stored its stale
  answer (the restarted Redis had forgotten the invalidation sequence it was checked against).

Each test runs its own Redis server, which it stalls (`DEBUG SLEEP`), kills and restarts.
"""

from __future__ import annotations

import asyncio
import time
from concurrent.futures import Future, ThreadPoolExecutor

import httpx

from api.schema import schema
from tests.api.conftest import TOKENS, Api, RunApi
from tests.api.domain_fixtures import ALICE, DOMAIN_TABLES, Seed
from tests.reliability.api_fixtures import (
    api_database,
    domain_database,
    redis_prefix,
    run_api,
    settings,
)
from tests.reliability.servers import (
    ApiProcess,
    RedisServer,
    StartApi,
    api_processes,
    redis_server,
    stalled,
)

__all__ = [
    "api_database",
    "api_processes",
    "domain_database",
    "redis_prefix",
    "redis_server",
    "run_api",
    "settings",
]

DREAM = "query ($id: ID!) { dream(id: $id) { title } }"
HIDE = (
    'mutation ($id: ID!) { updateDream(id: $id, input: {isPublic: false, title: "Secret"}) '
    "{ dream { title } } }"
)
SLOW = "query ($name: String!, $pause: Int!) { slowCounter(name: $name, pauseMs: $pause) }"
SLOW_APP = "tests.reliability.slow_app:create_slow_app"
BUMP = "mutation ($name: String!) { bump(name: $name) }"


def title(response: httpx.Response) -> str | None:
    body = response.json()
    assert "errors" not in body, body
    dream = body["data"]["dream"]
    return None if dream is None else str(dream["title"])


async def open_breaker(api: Api, server: RedisServer) -> None:
    """Stall Redis while three lookups fail (each also waits for the rate limiter's Redis), so
    the breaker opens for 5 s; return once Redis answers again."""
    with stalled(server, 2.5):
        for i in range(3):
            await api.query(f"{{ a{i}: __typename }}")


async def breaker_closed(api: Api) -> None:
    for _ in range(200):
        if (await api.client.get("/health/cache")).status_code == 200:
            return
        await asyncio.sleep(0.1)
    raise AssertionError("the Redis circuit breaker never closed")


async def test_a_write_the_cache_could_not_invalidate_is_never_hidden_by_it(
    run_api: RunApi, domain_database: str, redis_server: RedisServer
) -> None:
    redis = {"redis_url": redis_server.url, "redis_timeout_ms": 100}
    async with run_api(schema=schema, database_url=domain_database, **redis) as api:
        db = api.services.db
        await db.execute_raw(f"TRUNCATE {DOMAIN_TABLES} CASCADE")
        dream = await Seed(db).dream(ALICE, "Public plan", public=True)
        for viewer in (None, "bob", "alice"):
            cached = [await api.query(DREAM, {"id": dream}, user=viewer) for _ in range(2)][-1]
            assert (title(cached), cached.headers["x-cache"]) == ("Public plan", "HIT")

        await open_breaker(api, redis_server)
        hidden = await api.query(HIDE, {"id": dream}, user="alice")  # can't invalidate
        assert hidden.json()["data"]["updateDream"]["dream"]["title"] == "Secret"
        await breaker_closed(api)

        seen = {
            viewer: [title(await api.query(DREAM, {"id": dream}, user=viewer)) for _ in range(2)]
            for viewer in (None, "bob", "alice")
        }
        epoch = await db.query_first("SELECT epoch FROM cache_epochs")
    assert seen == {None: [None, None], "bob": [None, None], "alice": ["Secret", "Secret"]}
    assert epoch is not None
    assert epoch["epoch"] >= 1


def processes(
    start: StartApi, database: str, redis: str, count: int, **env: str
) -> list[ApiProcess]:
    with ThreadPoolExecutor(count) as pool:
        futures = [
            pool.submit(start, {"DATABASE_URL": database, "REDIS_URL": redis, **env})
            for _ in range(count)
        ]
        return [future.result() for future in futures]


async def test_another_process_stops_serving_entries_older_than_a_failed_invalidation(
    api_processes: StartApi, domain_database: str, redis_server: RedisServer, run_api: RunApi
) -> None:
    async with run_api(schema=schema, database_url=domain_database) as seeder:
        await seeder.services.db.execute_raw(f"TRUNCATE {DOMAIN_TABLES} CASCADE")
        dream = await Seed(seeder.services.db).dream(ALICE, "Public plan", public=True)
    writer, reader = processes(
        api_processes, domain_database, redis_server.url, 2, REDIS_TIMEOUT_MS="100"
    )
    cached = [reader.post(DREAM, {"id": dream}) for _ in range(2)][-1]
    assert (title(cached), cached.headers["x-cache"]) == ("Public plan", "HIT")

    with stalled(redis_server, 2.5):
        for i in range(3):
            writer.post(f"{{ a{i}: __typename }}")
    hidden = writer.post(HIDE, {"id": dream}, token=TOKENS["alice"])  # breaker still open
    assert hidden.json()["data"]["updateDream"]["dream"]["title"] == "Secret"

    answers = [reader.post(DREAM, {"id": dream}) for _ in range(4)]
    assert [title(a) for a in answers] == [None, None, None, None]
    assert "HIT" in [a.headers["x-cache"] for a in answers]  # cached again, in the new epoch


def slow_processes(start: StartApi, database: str, redis: str) -> tuple[ApiProcess, ApiProcess]:
    a, b = processes(start, database, redis, 2)
    return a, b


def test_a_request_after_a_write_elsewhere_does_not_join_an_older_computation(
    api_processes: StartApi, api_database: str, redis_server: RedisServer
) -> None:
    env = {"DATABASE_URL": api_database, "REDIS_URL": redis_server.url}
    a, b = (api_processes(env, factory=SLOW_APP) for _ in range(2))
    name = f"flight-{time.monotonic_ns()}"
    with ThreadPoolExecutor(2) as pool:
        slow = {"name": name, "pause": 1500}
        before: Future[httpx.Response] = pool.submit(b.post, SLOW, slow)
        time.sleep(0.5)  # b has read the counter (no row: 0) and is still computing
        assert a.post(BUMP, {"name": name}).json()["data"]["bump"] == 1
        after = pool.submit(b.post, SLOW, slow)
        concurrent, fresh = before.result(), after.result()
    later = [p.post(SLOW, {"name": name, "pause": 1500}) for p in (b, a)]
    assert concurrent.json()["data"]["slowCounter"] == 0  # it overlapped the write: either is fine
    assert fresh.json()["data"]["slowCounter"] == 1
    assert [r.json()["data"]["slowCounter"] for r in later] == [1, 1]


def reconnected(*apis: ApiProcess) -> None:
    """Wait until every process's Redis pool works again (their old connections died)."""
    for api in apis:
        for _ in range(100):
            if api.client.get("/health/cache").status_code == 200:
                break
            time.sleep(0.05)
        else:
            raise AssertionError("the API never reconnected to Redis")


async def test_a_value_read_before_a_write_is_not_stored_after_redis_restarted(
    api_processes: StartApi, api_database: str, redis_server: RedisServer, run_api: RunApi
) -> None:
    env = {"DATABASE_URL": api_database, "REDIS_URL": redis_server.url}
    a, b = (api_processes(env, factory=SLOW_APP) for _ in range(2))
    name = f"restart-{time.monotonic_ns()}"
    slow = {"name": name, "pause": 3000}

    def restart_while_b_computes() -> list[int]:
        a.post(BUMP, {"name": name})  # Redis now holds an invalidation sequence
        with ThreadPoolExecutor(1) as pool:
            stale = pool.submit(b.post, SLOW, slow)
            time.sleep(0.5)  # b read 1 and computes
            redis_server.stop()
            redis_server.start()  # empty: the sequence b's lookup saw is forgotten
            reconnected(a, b)
            assert a.post(BUMP, {"name": name}).json()["data"]["bump"] == 2  # invalidates fine
            assert stale.result().json()["data"]["slowCounter"] == 1
        return [p.post(SLOW, slow).json()["data"]["slowCounter"] for p in (b, a)]

    async with run_api() as api:
        epoch = "SELECT max(epoch) AS e FROM cache_epochs"
        epoch_before = await api.services.db.query_first(epoch)
        answers = await asyncio.to_thread(restart_while_b_computes)
        epoch_after = await api.services.db.query_first(epoch)
    assert answers == [2, 2]
    assert epoch_after == epoch_before  # the sequence refused the store, not a new epoch
