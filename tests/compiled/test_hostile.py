"""Hostile and careless requests (issue 7, "Bad input") on both paths: the same status, headers
and bytes, the same refusals; one plan serving other values and viewers in parallel without
leaking; and plans that bind every value instead of writing it into their SQL.

Bodies are sent as bytes: `json.dumps` escapes lone surrogates (`"\\ud800"`) as a client's JSON
would, where httpx's `json=` refuses to encode them.
"""

from __future__ import annotations

import asyncio
import base64
import json
import logging
import random
from collections.abc import Sequence
from typing import cast

import httpx
import pytest
from graphql import Node

from api.auth import hash_token
from api.compiled import Plan, Planner
from api.documents.prepared import DocumentLimits, DocumentStore
from api.schema import schema
from bench.plan_memory import BIG_READ
from resolvers.scope import Viewer, ViewerRole
from tests.api.conftest import TOKENS, Api, RunApi
from tests.compiled.conftest import Paths, World
from tests.compiled.test_differential import plan_failures

# Headers that legitimately differ between the paths: which path answered, how many statements
# it took, and what varies per response anyway.
UNCOMPARED = {"x-execution", "x-sql-statements", "content-length", "date", "x-request-id"}

Variables = dict[str, object] | None
Case = tuple[str, Variables, str | None]

DREAMS = (
    "query($first: Int, $after: String, $sort: DreamSort! = RECENT) { dreams(first: $first, "
    "after: $after, sort: $sort) { edges { cursor node { id title } } pageInfo { endCursor "
    "hasNextPage } } }"
)
PROJECTS = (
    "query($first: Int, $after: String) { projects(first: $first, after: $after) "
    "{ nodes { id name } pageInfo { endCursor } } }"
)
AI_TESTS = (
    "query($id: ID!, $first: Int, $after: String) { dream(id: $id) "
    "{ aiTests(first: $first, after: $after) { nodes { id } pageInfo { endCursor } } } }"
)
DREAM = "query($id: ID!) { dream(id: $id) { id title owner { id name email } } }"
PROJECT = (
    "query($id: ID!) { project(id: $id) { id name fileCount collaborators { role user { id "
    "email } } messages { nodes { author { id email } } } } }"
)
USER = "query($id: ID!) { user(id: $id) { id name email plan role monthlyBudget } }"
DREAM_FILTER = "query($f: DreamFilterInput) { dreams(filter: $f) { nodes { id title } } }"
PROJECT_FILTER = "query($f: ProjectFilterInput) { projects(filter: $f) { nodes { id name } } }"


def body(query: str, variables: Variables = None, **extra: object) -> bytes:
    return json.dumps({"query": query, "variables": variables, **extra}).encode()


async def send(
    api: Api, content: bytes, user: str | None = None, *, token: str | None = None
) -> httpx.Response:
    headers = {"content-type": "application/json"}
    if user or token:
        headers["Authorization"] = f"Bearer {token or TOKENS[user or '']}"
    return await api.client.post("/graphql", content=content, headers=headers)


def difference(compiled: httpx.Response, resolved: httpx.Response) -> str | None:
    if compiled.status_code != resolved.status_code:
        return f"status {compiled.status_code} != {resolved.status_code}"
    ours = {k: v for k, v in compiled.headers.items() if k not in UNCOMPARED}
    theirs = {k: v for k, v in resolved.headers.items() if k not in UNCOMPARED}
    if ours != theirs:
        return f"headers {ours} != {theirs}"
    if compiled.content != resolved.content:
        return f"bytes\n compiled {compiled.content[:400]!r}\n resolved {resolved.content[:400]!r}"
    return None


async def differences(
    paths: Paths, cases: Sequence[Case], caplog: pytest.LogCaptureFixture
) -> tuple[list[str], int]:
    """Each case on both paths; the differences found (a compiled statement that failed, which
    the resolvers then answer, is one too) and how many answered compiled."""
    found: list[str] = []
    compiled_count = 0
    for query, variables, user in cases:
        content = body(query, variables)
        compiled = await send(paths.compiled, content, user)
        resolved = await send(paths.resolved, content, user)
        compiled_count += compiled.headers.get("x-execution") == "compiled"
        what = difference(compiled, resolved) or plan_failures(caplog)
        if what is not None:
            found.append(f"{query[:60]!r} {variables!r:.120} as {user}: {what}")
    return found, compiled_count


def b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def hostile_cursors(cursor: str, other_type: str) -> list[str]:
    """`cursor` (of the RECENT order) broken every way we could think of."""
    decoded = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
    sort, key, id_ = json.loads(decoded)

    def made(*items: object) -> str:
        return b64(json.dumps(list(items)).encode())

    return [
        "!!!",
        "",
        "A" * 20_000,
        b64(b"hello"),
        b64(b'{"a":1}'),
        b64(b'["RECENT",NaN,"x"]'),
        made(sort, key),
        cursor + "\x00",
        cursor + "==",
        " " + cursor,
        base64.b64encode(decoded).decode(),
        other_type,
        made(sort, key, "x\x00y"),
        made(sort, key, "\ud800"),
        made(sort, key, "x" * 5_000),
        made(sort, key, "'; DROP TABLE dreams; --"),
        made(sort, 5, id_),
        made(sort, None, id_),
        made(sort, "2020-13-45", id_),
        made(sort, "2020-01-01T00:00:00", id_),  # no UTC offset
        made(sort, "0001-01-01T00:00:00+14:00", id_),
        made(sort, "9999-12-31T23:59:59-14:00", id_),
        made([sort], key, id_),
    ]


HOSTILE_TEXT = [
    "a\x00b",
    "\ud800",
    "\udfff\ud800",
    "x" * 10_000,
    "'; DROP TABLE dreams; --",
    "%",
    "_",
    "\\",
    "🚀",
    "e\u0301",  # not normalized to é
    "",
    " ",
]
PAGE_SIZES: list[object] = [0, -1, 101, 2**31 - 1, 2**31, 2**63, 1.5, "3", "x", None, True, 1]


async def test_hostile_arguments_are_refused_alike(
    paths: Paths, caplog: pytest.LogCaptureFixture
) -> None:
    world = paths.world
    first = await send(paths.compiled, body(DREAMS, {"first": 2}), "alice")
    cursor = first.json()["data"]["dreams"]["pageInfo"]["endCursor"]
    project = await send(paths.compiled, body(PROJECTS, {"first": 1}))
    project_cursor = project.json()["data"]["projects"]["pageInfo"]["endCursor"]
    cases: list[Case] = []
    for size in PAGE_SIZES:
        cases.append((DREAMS, {"first": size}, None))
        cases.append((PROJECTS, {"first": size}, "bob"))
        cases.append((AI_TESTS, {"id": world.public[0], "first": size}, "alice"))
    for after in hostile_cursors(cursor, project_cursor):
        cases.append((DREAMS, {"first": 2, "after": after}, "alice"))
        cases.append((DREAMS, {"first": 2, "after": after, "sort": "OLDEST"}, None))
        cases.append((PROJECTS, {"first": 2, "after": after}, None))
        cases.append((AI_TESTS, {"id": world.public[0], "after": after}, "alice"))
    ids = [*HOSTILE_TEXT, world.private, " " + world.private, world.private.upper()]
    for id_ in [*ids, world.alice_projects[1], "u_alice"]:
        for user in (None, "bob"):
            cases.extend((query, {"id": id_}, user) for query in (DREAM, PROJECT, USER))
    for text in HOSTILE_TEXT:
        for user in (None, "alice"):
            cases.append((DREAM_FILTER, {"f": {"ownerId": text}}, user))
            cases.append((DREAM_FILTER, {"f": {"tags": [text]}}, user))
            cases.append((PROJECT_FILTER, {"f": {"search": text}}, user))
            cases.append((PROJECT_FILTER, {"f": {"projectType": text}}, user))
    filters: list[dict[str, object]] = [
        {"mine": True},
        {"tags": ["a"] * 30},
        {"tags": [" ALPHA "]},
        {"tags": "alpha"},
        {"category": "NOPE"},
        {"bogus": 1},
        {"ownerId": 5},
    ]
    for flt in filters:
        cases.extend((DREAM_FILTER, {"f": flt}, user) for user in (None, "alice"))
    found, compiled = await differences(paths, cases, caplog)
    assert not found, "\n".join(found)
    assert compiled > len(cases) // 4  # the compiled path really answered many


MALFORMED: list[tuple[str, Variables]] = [
    ("{ dreams(sort: NOPE) { nodes { id } } }", None),
    ("query($s: DreamSort!) { dreams(sort: $s) { nodes { id } } }", {"s": "nope"}),
    ("query($id: ID!) { dream(id: $id) { id } }", {"id": {"a": 1}}),
    ("query($id: ID!) { dream(id: $id) { id } }", {"id": 12}),
    ("query($id: ID!) { dream(id: $id) { id } }", {}),
    ("query($id: ID!) { dream(id: $id) { id } }", {"id": None}),
    ("{ dreams(first: 1) { nodes { id } } dreams(first: 2) { nodes { id } } }", None),
    ("{ dreams(first: 1) { nodes { id: title } } }", None),
    ("{ dreams { nodes { ...F } } } fragment F on Project { id }", None),
    (
        "{ dreams { ...A } } fragment A on DreamConnection { ...B } "
        "fragment B on DreamConnection { ...A }",
        None,
    ),
    ("{ dreams { nodes { " + "...A " * 31 + "} } } fragment A on Dream { id }", None),
    (
        "{ "
        + " ".join(f"a{i}: dreams(first: {i % 5 + 1}) {{ nodes {{ id }} }}" for i in range(16))
        + " }",
        None,
    ),
    (
        "{ "
        + " ".join(f"a{i}: dreams(first: {i % 5 + 1}) {{ nodes {{ id }} }}" for i in range(15))
        + " }",
        None,
    ),
    (
        "{ projects(first: 100) { nodes { files(first: 100) { nodes { path } } "
        "messages(first: 100) { nodes { content } } } } }",
        None,
    ),
    ("query($s: Boolean!) { dreams(first: 2) @skip(if: $s) { nodes { id } } }", {"s": True}),
    (
        "query($s: Boolean!, $i: Boolean!) { dreams(first: 2) { nodes { id @skip(if: $s) "
        "title @include(if: $i) } } }",
        {"s": True, "i": False},
    ),
    (
        "{ __typename dreams(first: 2) { __typename edges { __typename cursor node { __typename "
        "id owner { __typename id } } } pageInfo { __typename hasNextPage } } }",
        None,
    ),
    ('{ __type(name: "Dream") { name } dreams(first: 1) { nodes { id } } }', None),
    ('{ dream(id: "a\\u0000b") { id } }', None),
    ('{ dream(id: "\\ud800") { id } }', None),
    ("{ dashboard(first: 0) { dreamCount } }", None),
    ("{ budgetAlerts(threshold: 1e999) { __typename } }", None),
    ("{ modelComparison(days: 366) { __typename } }", None),
    ("query($f: DateTime) { tokenUsage(groupBy: DAY, from: $f) { __typename } }", {"f": "nope"}),
    ('{ tokenUsage(groupBy: DAY, from: "0001-01-01T00:00:00Z") { __typename } }', None),
    ("{ dreams { nodes { id } } } { dreams { nodes { id } } }", None),
    ("{ dreams { nodes { ", None),
    ("", None),
]


async def test_malformed_documents_and_variables_are_refused_alike(
    paths: Paths, caplog: pytest.LogCaptureFixture
) -> None:
    cases = [(q, v, user) for q, v in MALFORMED for user in (None, "alice", "root")]
    found, _ = await differences(paths, cases, caplog)
    two = "query A { __typename } query B { dreams { nodes { id } } }"
    bodies = [
        body(two, operationName="C"),
        body(two),
        body(two, operationName="B"),
        body("query A { dreams { nodes { id } } }", operationName=5),
        json.dumps({"query": "{ dreams { nodes { id } } }", "variables": []}).encode(),
        b'{"query":"query($f: Int) { dreams(first: $f) { nodes { id } } }",'
        b'"variables":{"f":1e400}}',
        b'{"query":"query($f: Int) { dreams(first: $f) { nodes { id } } }","variables":{"f":2.0}}',
        b"\xff\xfe",
        b"[]",
    ]
    for content in bodies:
        compiled = await send(paths.compiled, content, "alice")
        resolved = await send(paths.resolved, content, "alice")
        if (what := difference(compiled, resolved)) is not None:
            found.append(f"{content[:80]!r}: {what}")
    for params in (
        {"query": "query($f: Int) { dreams(first: $f) { nodes { id } } }", "variables": '{"f": 0}'},
        {"query": "query($i: ID!) { dream(id: $i) { id } }", "variables": "{bad"},
        {"query": "{ dreams(first: 2) { nodes { id } } }"},
    ):
        compiled = await paths.compiled.client.get("/graphql", params=params)
        resolved = await paths.resolved.client.get("/graphql", params=params)
        if (what := difference(compiled, resolved)) is not None:
            found.append(f"GET {params}: {what}")
    assert not found, "\n".join(found)


def viewer_cases(world: World) -> list[Case]:
    """Reads whose answers differ by viewer: private dreams and projects, emails, likes,
    the viewer's own lists and totals, admin-only fields."""
    by_id = [
        "query($id: ID!) { dream(id: $id) { id title testCount bestScore "
        "aiTests { nodes { id } } } }",
        PROJECT,
        USER,
    ]
    plain = [
        "{ dreams(first: 10) { nodes { id title isPublic owner { id email } } } }",
        "{ projects(first: 10) { nodes { id name viewerHasLiked collaborators { role user { "
        "id email } } fileCount messageCount } } }",
        "{ me { id email plan role monthlyBudget } }",
        "{ dashboard { dreamCount totalTests dreams { id title } } }",
        "{ budgetAlerts(threshold: 0) { __typename } }",
        "{ tokenUsage(groupBy: PROJECT) { label } }",
        "{ aiModels { id name } categoryPerformance { category dreamCount totalTests } }",
    ]
    ids = [world.private, world.bob, world.alice_projects[1], world.projects[1], "u_alice"]
    cases: list[Case] = []
    for user in (None, "alice", "bob", "root"):
        cases.extend((q, {"id": id_}, user) for q in by_id for id_ in ids)
        cases.extend((q, None, user) for q in plain)
        cases.extend((DREAM_FILTER, {"f": {"mine": m}}, user) for m in (True, False))
    return cases


async def test_one_plan_answers_each_viewer_alone_in_parallel(
    paths: Paths, caplog: pytest.LogCaptureFixture
) -> None:
    """The plan cache is keyed by sign-in, not by viewer: many viewers' requests interleaved on
    the compiled path each get exactly what the resolvers answer that viewer alone."""
    cases = viewer_cases(paths.world)
    found, _ = await differences(paths, cases, caplog)
    assert not found, "\n".join(found)
    expected = {
        (q, json.dumps(v), user): (await send(paths.resolved, body(q, v), user)).content
        for q, v, user in cases
    }
    shuffled = cases * 3
    random.Random(7).shuffle(shuffled)
    answers = await asyncio.gather(*(send(paths.compiled, body(q, v), u) for q, v, u in shuffled))
    leaked = [
        f"{q[:60]!r} {v} as {user}: {answer.content[:300]!r}"
        for (q, v, user), answer in zip(shuffled, answers, strict=True)
        if answer.content != expected[(q, json.dumps(v), user)]
    ]
    assert not leaked, "\n".join(leaked)
    assert plan_failures(caplog) is None
    secret = await send(paths.compiled, body(DREAM, {"id": paths.world.private}), "bob")
    assert secret.json() == {"data": {"dream": None}}  # and both paths are right, too


async def test_one_plan_serves_other_values_of_the_same_shape(
    paths: Paths, caplog: pytest.LogCaptureFixture
) -> None:
    """Enum, boolean and filter values change the statement; the plan cache must tell them
    apart (orders, groupings, statuses, directives) while other values share one plan."""
    world = paths.world
    sequences: list[tuple[str, list[dict[str, object]]]] = [
        (
            "query($s: DreamSort!) { dreams(sort: $s, first: 3) { edges { cursor node { id } } } }",
            [{"s": s} for s in ("RECENT", "OLDEST", "UPDATED", "RECENT")],
        ),
        (
            "query($s: ProjectSort!) { projects(sort: $s, first: 3) "
            "{ edges { cursor node { id } } } }",
            [{"s": s} for s in ("TRENDING", "FEATURED", "POPULAR", "MOST_FORKED", "RECENT")],
        ),
        (
            "query($g: UsageGroupBy!) { tokenUsage(groupBy: $g) { label } }",
            [{"g": g} for g in ("DAY", "PROJECT", "MODEL", "ENDPOINT", "DAY")],
        ),
        (
            "query($id: ID!, $st: TestStatus) { dream(id: $id) { aiTests(status: $st) "
            "{ nodes { id status } } } }",
            [{"id": world.public[2], "st": s} for s in ("FAILED", "COMPLETED", None, "PENDING")],
        ),
        (
            DREAM_FILTER,
            [
                {"f": f}
                for f in (
                    {"category": "CREATIVE"},
                    {"category": "TECHNOLOGY"},
                    {"status": "ARCHIVED"},
                    {"tags": ["alpha"]},
                    {"tags": ["zzz"]},
                    {"ownerId": "u_bob"},
                    {"mine": True},
                    {"mine": False},
                )
            ],
        ),
        (
            "query($a: Boolean!) { aiModels(activeOnly: $a) { id name } }",
            [{"a": True}, {"a": False}],
        ),
        (
            "query($s: Boolean!, $i: Boolean!) { dreams(first: 2) { nodes { id @skip(if: $s) "
            "title @include(if: $i) } } }",
            [{"s": s, "i": i} for s in (True, False) for i in (True, False)],
        ),
    ]
    cases = [(q, v, user) for q, vs in sequences for user in (None, "alice") for v in vs]
    found, _ = await differences(paths, cases, caplog)
    assert not found, "\n".join(found)


async def test_a_deleted_users_cached_token_reads_alike(
    paths: Paths, caplog: pytest.LogCaptureFixture
) -> None:
    """A token the workers still know (the auth cache) after its user was deleted: the user's
    own reads (`me`, `dashboard`, `mine`, their private dream) answer alike on both paths."""
    db = paths.compiled.services.db
    await db.execute_raw(
        "INSERT INTO users (id, email, name, password_hash, api_token_hash, updated_at) "
        "VALUES ('u_gone', 'gone@example.com', 'Gone', 'x', $1, now())",
        hash_token(GONE_TOKEN),
    )
    try:
        dream = await db.dream.create(
            data={
                "title": "Gone's secret",
                "description": "",
                "originalPrompt": "x",
                "user": {"connect": {"id": "u_gone"}},
            }
        )
        cases = [(q, v, None) for q, v, _ in viewer_cases(paths.world) if _ == "bob"]
        cases.append((DREAM, {"id": dream.id}, None))
        cases.append(("{ me { id email } }", None, None))
        for when in ("before", "after"):
            for q, v, _ in cases:
                compiled = await send(paths.compiled, body(q, v), token=GONE_TOKEN)
                resolved = await send(paths.resolved, body(q, v), token=GONE_TOKEN)
                what = difference(compiled, resolved) or plan_failures(caplog)
                assert what is None, f"{when} deletion: {q[:60]!r} {v}: {what}"
            await db.execute_raw("DELETE FROM users WHERE id = 'u_gone'")
    finally:
        await db.execute_raw("DELETE FROM users WHERE id = 'u_gone'")


GONE_TOKEN = "gone-token"
MARKER = "zqx7marker"


async def test_plans_bind_values_and_never_write_them_into_sql(
    paths: Paths, run_api: RunApi, domain_database: str, caplog: pytest.LogCaptureFixture
) -> None:
    """Every value a client sends (ids, filters, cursors, text with quotes) reaches PostgreSQL
    as a parameter: the logged plans never contain it."""
    world = paths.world
    dreams = await send(paths.compiled, body(DREAMS, {"first": 1}))
    sort, key, _ = json.loads(
        base64.urlsafe_b64decode(dreams.json()["data"]["dreams"]["pageInfo"]["endCursor"] + "==")
    )
    cursor = b64(json.dumps([sort, key, f"{MARKER}'cursor"]).encode())
    evil = f"{MARKER}'); SELECT 1; --"
    cases: list[tuple[str, Variables]] = [
        (DREAM, {"id": evil}),
        (PROJECT, {"id": evil}),
        (USER, {"id": evil}),
        (DREAMS, {"first": 2, "after": cursor}),
        (DREAM_FILTER, {"f": {"ownerId": evil, "tags": [evil]}}),
        (PROJECT_FILTER, {"f": {"ownerId": evil, "search": evil, "projectType": evil}}),
        ('{ dream(id: "' + MARKER + "'literal\") { id } }", None),
        ('{ projects(filter: {search: "' + MARKER + "%'\"}) { nodes { id } } }", None),
    ]
    settings = {"schema": schema, "database_url": domain_database, "cache_enabled": False}
    with caplog.at_level(logging.INFO, logger="api.compiled"):
        async with run_api(**settings, log_plans=True) as api:
            for query, variables in cases:
                for user in (None, "alice"):
                    answer = await send(api, body(query, variables), user)
                    assert answer.headers["x-execution"] == "compiled", (query, answer.content)
    plans = [r.getMessage() for r in caplog.records if r.name == "api.compiled"]
    assert len(plans) >= len(cases)
    assert not [p for p in plans if MARKER in p]
    assert world.private  # the seeded world was there to read


def _plan(planner: Planner, store: DocumentStore, query: str) -> Plan | None:
    document = store.prepare(query)
    return planner.plan(document, document.operation(None), {}, Viewer("u_x", ViewerRole.USER))


def test_variants_of_one_document_share_a_plan_that_keeps_no_document() -> None:
    """A client varying comments and whitespace gets one plan, not one per text, and a cached
    plan holds no parsed node with a location (whose tokens would keep the whole document,
    about 1 MB for a large read, alive for as long as the plan is cached)."""
    schema_ = schema._schema  # pyright: ignore[reportPrivateUsage]
    store, planner = DocumentStore(schema_, DocumentLimits()), Planner(schema_)
    plans = {
        id(_plan(planner, store, f"# {k}\n{BIG_READ.replace(' ', ' ' * (k + 1))}"))
        for k in range(5)
    }
    assert len(plans) == 1
    assert planner.cached[0] == 1
    plan = _plan(planner, store, BIG_READ)
    assert plan is not None
    assert plan.fields

    def located(value: object) -> bool:
        if isinstance(value, Node):
            return value.loc is not None or any(
                located(getattr(value, key)) for key in value.keys if key != "loc"
            )
        if isinstance(value, tuple):
            return any(located(v) for v in cast("tuple[object, ...]", value))
        return False

    assert not [node for _, node in plan.fields if located(node)]


def test_the_plan_cache_is_bounded_by_its_statements_characters() -> None:
    schema_ = schema._schema  # pyright: ignore[reportPrivateUsage]
    store = DocumentStore(schema_, DocumentLimits())
    one = _plan(Planner(schema_), store, BIG_READ)
    assert one is not None
    planner = Planner(schema_, max_chars=len(one.sql) * 3)
    for k in range(6):  # other aliases: other statements
        assert _plan(planner, store, BIG_READ.replace("a0:", f"v{k}:")) is not None
    count, chars = planner.cached
    assert count == 3
    assert chars <= len(one.sql) * 3


async def test_cursors_of_every_key_kind_with_hostile_keys_are_refused_alike(
    paths: Paths, caplog: pytest.LogCaptureFixture
) -> None:
    """Cursors made by hand for each order's key kind (int, str, datetime) with keys of the
    wrong type, out of PostgreSQL's range, or text it can't store."""
    world = paths.world
    projects = (
        "query($s: ProjectSort!, $a: String) { projects(sort: $s, first: 2, after: $a) "
        "{ nodes { id } pageInfo { endCursor } } }"
    )
    files = (
        "query($id: ID!, $a: String) { project(id: $id) { files(first: 2, after: $a) "
        "{ nodes { path } pageInfo { endCursor } } messages(first: 2) { nodes { id } } } }"
    )
    messages = (
        "query($id: ID!, $a: String) { project(id: $id) { messages(first: 2, after: $a) "
        "{ nodes { id } } } }"
    )
    keys: list[object] = [5, 1.5, 2**31, -(2**31) - 1, True, "5", None, "a\x00", "\ud800"]
    keys += ["x" * 5_000, "%", "src/a.ts", "2026-01-01T00:00:00+00:00", "2026-01-01"]
    cases: list[Case] = []
    for key in keys:
        for sort in ("TRENDING", "RECENT"):
            after = b64(json.dumps([sort, key, world.alice_projects[0]]).encode())
            cases.append((projects, {"s": sort, "a": after}, None))
        by_project = {"id": world.alice_projects[0]}
        path = b64(json.dumps(["PATH", key, "f"]).encode())
        newest = b64(json.dumps(["NEWEST", key, "m"]).encode())
        cases.append((files, {**by_project, "a": path}, "alice"))
        cases.append((messages, {**by_project, "a": newest}, None))
        cases.append((AI_TESTS, {"id": world.public[0], "after": newest}, "alice"))
    found, compiled = await differences(paths, cases, caplog)
    assert not found, "\n".join(found)
    assert compiled  # the valid ones compiled
