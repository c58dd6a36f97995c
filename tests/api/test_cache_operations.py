"""The whole-operation cache: hits skip execution, keys include the viewer, writes invalidate."""

from __future__ import annotations

import asyncio

from tests.api.conftest import COMPUTED, RunApi, redis_keys

COUNTER = "query Counter($name: String!) { counter(name: $name) }"


async def test_a_hit_returns_the_same_bytes_without_running_sql(run_api: RunApi) -> None:
    async with run_api() as api:
        first = await api.query(COUNTER, {"name": "hit"})
        second = await api.query(COUNTER, {"name": "hit"})
    assert first.headers["x-cache"] == "MISS"
    assert int(first.headers["x-sql-statements"]) >= 1
    assert second.headers["x-cache"] == "HIT"
    assert second.headers["x-sql-statements"] == "0"
    assert second.content == first.content


async def test_whitespace_and_comments_do_not_change_the_key(run_api: RunApi) -> None:
    async with run_api() as api:
        await api.query(COUNTER, {"name": "ws"})
        again = await api.query(
            "# the same operation\nquery Counter( $name : String! ) {\n  counter( name: $name )\n}",
            {"name": "ws"},
        )
    assert again.headers["x-cache"] == "HIT"


async def test_variables_are_part_of_the_key(run_api: RunApi) -> None:
    async with run_api() as api:
        await api.query(COUNTER, {"name": "v1"})
        other = await api.query(COUNTER, {"name": "v2"})
    assert other.headers["x-cache"] == "MISS"


async def test_one_users_answer_is_never_served_to_another(run_api: RunApi) -> None:
    async with run_api() as api:
        alice = await api.query("{ me }", user="alice")
        bob = await api.query("{ me }", user="bob")
        anonymous = await api.query("{ me }")
        alice_again = await api.query("{ me }", user="alice")
    assert alice.json() == {"data": {"me": "Alice"}}
    assert bob.json() == {"data": {"me": "Bob"}}
    assert bob.headers["x-cache"] == "MISS"
    assert anonymous.json() == {"data": {"me": None}}
    assert anonymous.headers["x-cache"] == "MISS"
    assert alice_again.headers["x-cache"] == "HIT"


async def test_a_mutation_invalidates_what_read_its_tags(run_api: RunApi) -> None:
    async with run_api() as api:
        await api.query('mutation { bump(name: "inv") }')
        before = await api.query(COUNTER, {"name": "inv"})
        cached = await api.query(COUNTER, {"name": "inv"})
        bumped = await api.query('mutation { bump(name: "inv") }')
        after = await api.query(COUNTER, {"name": "inv"})
    assert before.json() == cached.json() == {"data": {"counter": 1}}
    assert cached.headers["x-cache"] == "HIT"
    assert bumped.headers["x-cache"] == "BYPASS"
    assert after.headers["x-cache"] == "MISS"
    assert after.json() == {"data": {"counter": 2}}


async def test_mutations_are_never_cached(run_api: RunApi) -> None:
    async with run_api() as api:
        first = await api.query('mutation { bump(name: "mut") }')
        second = await api.query('mutation { bump(name: "mut") }')
    assert (first.json()["data"]["bump"], second.json()["data"]["bump"]) == (1, 2)


async def test_a_request_can_opt_out(run_api: RunApi) -> None:
    async with run_api() as api:
        await api.query(COUNTER, {"name": "opt"})
        response = await api.query(COUNTER, {"name": "opt"}, extensions={"cache": False})
    assert response.headers["x-cache"] == "BYPASS"
    assert int(response.headers["x-sql-statements"]) >= 1


async def test_responses_with_errors_are_not_cached(run_api: RunApi) -> None:
    async with run_api() as api:
        await api.query("{ missing }")
        again = await api.query("{ missing }")
    assert again.headers["x-cache"] == "BYPASS"  # computed, not stored


async def test_concurrent_misses_compute_once(run_api: RunApi) -> None:
    async with run_api() as api:
        await api.query("{ hello }", user="alice", extensions={"cache": False})
        before = COMPUTED.counter
        responses = await asyncio.gather(
            *(
                api.query('{ counter(name: "flight", pauseMs: 100) }', user="alice")
                for _ in range(10)
            )
        )
    assert COMPUTED.counter - before == 1
    assert len({r.content for r in responses}) == 1
    assert sum(int(r.headers["x-sql-statements"]) for r in responses) == 1


async def test_every_redis_key_has_a_ttl(run_api: RunApi, redis_prefix: str) -> None:
    async with run_api() as api:
        await api.query(COUNTER, {"name": "ttl"})
        await api.query('{ cachedTotal(name: "ttl") }')
        await api.query('mutation { bump(name: "ttl") }')
        await api.query(COUNTER, {"name": "ttl"})
    ttls = await redis_keys(redis_prefix)
    assert ttls
    assert all(ttl != -1 for ttl in ttls.values()), ttls  # -1: no expiry (0: under a second left)


async def test_without_redis_url_the_cache_lives_in_process(run_api: RunApi) -> None:
    async with run_api(redis_url=None) as api:
        assert api.services.cache.backend.kind == "memory"
        first = await api.query(COUNTER, {"name": "mem"})
        hit = await api.query(COUNTER, {"name": "mem"})
        await api.query('mutation { bump(name: "mem") }')
        after = await api.query(COUNTER, {"name": "mem"})
    assert (first.headers["x-cache"], hit.headers["x-cache"]) == ("MISS", "HIT")
    assert hit.content == first.content
    assert after.headers["x-cache"] == "MISS"
    assert after.json()["data"]["counter"] == first.json()["data"]["counter"] + 1


async def test_caching_can_be_switched_off(run_api: RunApi) -> None:
    async with run_api(cache_enabled=False) as api:
        await api.query(COUNTER, {"name": "off"})
        again = await api.query(COUNTER, {"name": "off"})
    assert again.headers["x-cache"] == "BYPASS"
