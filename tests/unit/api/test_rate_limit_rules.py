"""Rates as operators write them, what a request takes, and GCRA on a clock we move by hand."""

from __future__ import annotations

import pytest
from graphql import OperationDefinitionNode, parse

from api.limits.limiter import root_fields
from api.limits.rates import Bucket, LimitPolicy, Rate, parse_field_rates, parse_rate
from api.limits.store import MemoryLimitStore
from api.settings import Settings, SettingsError


@pytest.mark.parametrize(
    ("text", "rate"),
    [
        ("600/minute", Rate(600, 60)),
        ("10/second", Rate(10, 1)),
        ("10/s", Rate(10, 1)),
        ("100/15m", Rate(100, 900)),
        ("5 / day", Rate(5, 86400)),
        ("2/hours", Rate(2, 3600)),
        ("off", None),
        ("0", None),
    ],
)
def test_rates_read_as_written(text: str, rate: Rate | None) -> None:
    assert parse_rate(text) == rate


@pytest.mark.parametrize("text", ["600", "ten/minute", "0/minute", "5/fortnight", "5/0s"])
def test_bad_rates_name_the_setting(text: str) -> None:
    with pytest.raises(SettingsError, match="RATE_LIMIT="):
        Settings.from_env({"RATE_LIMIT": text})


def test_rates_print_as_they_parse() -> None:
    assert [str(Rate(600, 60)), str(Rate(100, 900))] == ["600/minute", "100/900s"]
    assert parse_rate(str(Rate(100, 900))) == Rate(100, 900)


def test_field_overrides() -> None:
    assert parse_field_rates(" recordAiTest=30/minute, dreams=off ,") == (
        ("recordAiTest", Rate(30, 60)),
        ("dreams", None),
    )
    with pytest.raises(ValueError, match="field=rate"):
        parse_field_rates("record-ai-test=3/s")
    settings = Settings.from_env({"RATE_LIMIT_FIELDS": "createDream=1/s", "RATE_LIMIT": "off"})
    assert settings.rate_limit is None
    assert settings.rate_limit_fields == (("createDream", Rate(1, 1)),)


def test_a_request_takes_from_the_viewer_and_each_root_field() -> None:
    policy = LimitPolicy(Rate(600, 60), Rate(300, 60), {"bump": Rate(5, 60), "hello": None})
    assert policy.buckets({"bump": 2, "hello": 1, "nested": 1}) == [
        Bucket("all", Rate(600, 60)),
        Bucket("bump", Rate(5, 60), 2),
        Bucket("nested", Rate(300, 60), 1),
    ]
    assert LimitPolicy(None, None).buckets({"x": 1}) == []


def test_root_fields_count_aliases_and_fragments_once_each() -> None:
    document = parse(
        "query Q { a: dream(id: 1) { id } b: dream(id: 2) { id } __typename ...F "
        "... on Query { me { id } } } fragment F on Query { dreams { id } me { id } }"
    )
    operation = document.definitions[0]
    assert isinstance(operation, OperationDefinitionNode)
    assert root_fields(document, operation) == {"dream": 2, "dreams": 1, "me": 2}


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


async def test_gcra_allows_a_burst_then_one_per_interval() -> None:
    clock = Clock()
    store = MemoryLimitStore(clock=clock)
    three = [Bucket("all", Rate(3, 60))]
    verdicts = [await store.take("u:1", three) for _ in range(4)]
    assert [v.allowed for v in verdicts] == [True, True, True, False]
    assert [v.remaining for v in verdicts[:3]] == [2, 1, 0]
    assert verdicts[3].retry_after == pytest.approx(20.0)
    clock.now += 19.9
    assert not (await store.take("u:1", three)).allowed
    clock.now += 0.1
    assert (await store.take("u:1", three)).allowed
    assert (await store.take("u:2", three)).allowed  # every subject has its own buckets


async def test_a_refused_request_takes_nothing_from_any_bucket() -> None:
    clock = Clock()
    store = MemoryLimitStore(clock=clock)
    wide, narrow = Bucket("all", Rate(10, 60)), Bucket("bump", Rate(1, 60))
    assert (await store.take("u:1", [wide, narrow])).allowed
    refused = await store.take("u:1", [wide, narrow])
    assert refused.refused == narrow
    assert refused.retry_after == pytest.approx(60.0)
    allowed = [(await store.take("u:1", [wide])).allowed for _ in range(10)]
    assert allowed == [True] * 9 + [False]  # only the first request took from `all`


async def test_the_memory_store_is_bounded() -> None:
    store = MemoryLimitStore(max_keys=2, clock=Clock())
    one = [Bucket("all", Rate(1, 60))]
    for subject in ("a", "b", "c"):
        assert (await store.take(subject, one)).allowed
    assert (await store.take("a", one)).allowed  # forgotten, the oldest starts over
    assert not (await store.take("c", one)).allowed
