"""Rate limits per viewer and per root field, in Redis, on the in-process app (`run_api`).

Each test has its own Redis key prefix, so its buckets start full. Two real API processes
sharing one limit: `test_rate_limits_processes.py`.
"""

from __future__ import annotations

import asyncio
import socket

import httpx

from api.limits.rates import Bucket, Rate, parse_field_rates
from api.limits.store import RedisLimitStore
from tests.api.conftest import RunApi, redis_keys
from tests.conftest import TEST_REDIS_URL

HELLO = "{ hello }"


def code(response: httpx.Response) -> object:
    return response.json()["errors"][0]["extensions"]["code"]


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


async def test_a_viewer_over_the_limit_gets_429_with_retry_after(run_api: RunApi) -> None:
    async with run_api(rate_limit=Rate(3, 60), rate_limit_per_field=None) as api:
        allowed = [await api.query(HELLO) for _ in range(3)]
        refused = await api.query("{ nested { leaf } }")  # any field: the viewer's own bucket
        alice = await api.query(HELLO, user="alice")  # another viewer, another bucket
        metrics = (await api.client.get("/metrics")).text
    assert [r.json() for r in allowed] == [{"data": {"hello": "world"}}] * 3
    assert refused.status_code == 429
    assert code(refused) == "RATE_LIMITED"
    extensions = refused.json()["errors"][0]["extensions"]
    assert extensions["limit"] == 3
    assert extensions["period"] == 60
    assert extensions["scope"] == "all"
    assert 1 <= int(refused.headers["Retry-After"]) <= 20  # one request refills every 20 s
    assert extensions["retryAfter"] == int(refused.headers["Retry-After"])
    assert refused.headers["Cache-Control"] == "no-store"
    assert "at most 3 per minute" in refused.json()["errors"][0]["message"]
    assert alice.json() == {"data": {"hello": "world"}}
    assert 'api_rate_limited_total{bucket="all"} 1' in metrics
    assert 'api_rate_limit_checks_total{outcome="limited"} 1' in metrics
    assert 'api_rate_limit_checks_total{outcome="allowed"} 4' in metrics


async def test_each_root_field_has_its_own_bucket_and_aliases_count(run_api: RunApi) -> None:
    async with run_api(rate_limit=None, rate_limit_per_field=Rate(3, 60)) as api:
        twice = await api.query("{ a: hello b: hello }")
        renamed = await api.query("query Renamed { hello }")  # operation names don't matter
        refused = await api.query("query Other { hello }")
        other_field = await api.query("{ nested { leaf } }")
        mixed = await api.query("{ nested { leaf } hello }")  # refused whole: nothing taken
        after = [await api.query("{ nested { leaf } }") for _ in range(2)]
    assert twice.json() == {"data": {"a": "world", "b": "world"}}
    assert renamed.json() == {"data": {"hello": "world"}}
    assert refused.status_code == 429
    assert refused.json()["errors"][0]["extensions"]["scope"] == "hello"
    assert "`hello` requests" in refused.json()["errors"][0]["message"]
    assert other_field.status_code == 200
    assert mixed.status_code == 429
    assert [r.status_code for r in after] == [200, 200]  # `nested` still had two left


async def test_fragments_count_the_fields_they_select(run_api: RunApi) -> None:
    query = "query Q { ...F ... on Query { hello } } fragment F on Query { hello }"
    async with run_api(rate_limit=None, rate_limit_per_field=Rate(2, 60)) as api:
        first = await api.query(query)
        second = await api.query(HELLO)
    assert first.status_code == 200
    assert second.status_code == 429


async def test_per_field_overrides_and_off(run_api: RunApi) -> None:
    overrides = parse_field_rates("bump=1/minute, hello=off")
    async with run_api(
        rate_limit=None, rate_limit_per_field=Rate(2, 60), rate_limit_fields=overrides
    ) as api:
        bumped = await api.query('mutation { bump(name: "rl") }')
        refused = await api.query('mutation { bump(name: "rl") }')
        hellos = [await api.query(HELLO) for _ in range(5)]
        row = await api.services.db.query_first("SELECT value FROM counters WHERE name = 'rl'")
    assert bumped.status_code == 200
    assert refused.status_code == 429
    assert refused.json()["errors"][0]["extensions"]["scope"] == "bump"
    assert row is not None
    assert row["value"] == 1  # the refused mutation never ran
    assert all(r.status_code == 200 for r in hellos)


async def test_cached_answers_and_signed_in_viewers_are_counted_too(run_api: RunApi) -> None:
    async with run_api(rate_limit=Rate(2, 60), rate_limit_per_field=None) as api:
        first = await api.query(HELLO, user="bob")
        hit = await api.query(HELLO, user="bob")
        refused = await api.query(HELLO, user="bob")
        anonymous = await api.query(HELLO)
    assert hit.headers["X-Cache"] == "HIT"
    assert (first.status_code, hit.status_code, refused.status_code) == (200, 200, 429)
    assert refused.headers["Cache-Control"] == "private, no-store"
    assert anonymous.status_code == 200


async def test_the_chart_route_counts_as_charts(run_api: RunApi) -> None:
    fields = parse_field_rates("charts=1/minute")
    async with run_api(rate_limit=None, rate_limit_fields=fields) as api:
        first = await api.client.get("/charts/dreams/nope/decay.svg")
        second = await api.client.get("/charts/dreams/nope/decay.svg")
        graphql = await api.query(HELLO)
    assert first.status_code == 404
    assert second.status_code == 429
    assert second.json()["errors"][0]["extensions"]["scope"] == "charts"
    assert second.headers["Retry-After"] == "60"
    assert second.headers["Cache-Control"] == "no-store"
    assert graphql.status_code == 200


async def test_with_redis_down_requests_go_through_and_are_counted(run_api: RunApi) -> None:
    async with run_api(
        redis_url=f"redis://127.0.0.1:{closed_port()}/0",
        rate_limit=Rate(1, 60),
        rate_limit_per_field=None,
    ) as api:
        responses = [await api.query(HELLO) for _ in range(4)]
        metrics = (await api.client.get("/metrics")).text
    assert [r.status_code for r in responses] == [200] * 4
    assert 'api_rate_limit_checks_total{outcome="unavailable"} 4' in metrics


async def test_without_redis_the_limit_is_kept_in_process(run_api: RunApi) -> None:
    async with run_api(redis_url=None, rate_limit=Rate(2, 60), rate_limit_per_field=None) as api:
        responses = [await api.query(HELLO) for _ in range(3)]
    assert [r.status_code for r in responses] == [200, 200, 429]


async def test_an_operation_bigger_than_a_limit_is_told_to_split(run_api: RunApi) -> None:
    async with run_api(rate_limit=None, rate_limit_per_field=Rate(2, 60)) as api:
        refused = await api.query("{ a: hello b: hello c: hello }")
        smaller = await api.query("{ a: hello b: hello }")
    assert refused.status_code == 429
    assert "split it" in refused.json()["errors"][0]["message"]
    assert smaller.status_code == 200  # the refusal took nothing


async def test_the_redis_store_runs_gcra_atomically_with_expiring_keys(redis_prefix: str) -> None:
    store = RedisLimitStore(TEST_REDIS_URL, prefix=redis_prefix)
    three, one = Bucket("all", Rate(3, 2)), Bucket("bump", Rate(1, 60))
    try:
        verdicts = [await store.take("u:1", [three]) for _ in range(4)]
        both = await store.take("u:2", [three, one])
        narrow = await store.take("u:2", [three, one])
        wide = [(await store.take("u:2", [three])).allowed for _ in range(3)]
        ttls = await redis_keys(redis_prefix)
        await asyncio.sleep(0.7)  # one request refills every 2/3 s
        refilled = await store.take("u:1", [three])
    finally:
        await store.close()
    assert [v.allowed for v in verdicts] == [True, True, True, False]
    assert [v.remaining for v in verdicts[:3]] == [2, 1, 0]
    assert 0 < verdicts[3].retry_after <= 2 / 3
    assert both.allowed
    assert narrow.refused == one
    assert wide == [True, True, False]  # the refused request took nothing from `all`
    assert len(ttls) == 3
    assert all(0 < ttl <= 60 for ttl in ttls.values())  # every key expires once refilled
    assert refilled.allowed
