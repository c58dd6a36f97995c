"""Both execution paths over the same seeded domain database, for comparing their bytes.

`paths` runs two apps on one database: `EXECUTION=auto` (compiled where the planner can) and
`EXECUTION=resolved`, both without the operation cache (each request executes). The data is
seeded once per test by `seed_world`: public and private dreams of two users, tests of every
status, progress snapshots, and text that JSON must escape.
"""

from __future__ import annotations

from collections.abc import AsyncGenerator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import httpx
import pytest

from api.schema import schema
from api.settings import Execution
from prisma import Prisma
from prisma.enums import (
    AiProvider,
    CollaboratorRole,
    DreamCategory,
    DreamStatus,
    MessageRole,
    TestStatus,
    Visibility,
)
from tests.api import conftest as api_conftest
from tests.api import domain_fixtures
from tests.api.conftest import TOKENS, Api, RunApi
from tests.api.domain_fixtures import ALICE, BOB, DOMAIN_TABLES, ROOT

api_database = api_conftest.api_database
redis_prefix = api_conftest.redis_prefix
settings = api_conftest.settings
run_api = api_conftest.run_api
domain_database = domain_fixtures.domain_database

VIEWERS = (None, "alice", "bob", "root")


@dataclass(frozen=True, slots=True)
class World:
    """Ids of what `seed_world` made."""

    public: list[str]  # alice's public dreams, newest first
    private: str  # alice's private dream
    bob: str  # bob's public dream
    projects: list[str]  # alice's public one, bob's private one and the one alice may read
    alice_projects: list[str]  # PUBLIC, PRIVATE (bob edits it) and UNLISTED, with files...


@dataclass(slots=True)
class Paths:
    compiled: Api
    resolved: Api
    world: World

    async def both(
        self,
        query: str,
        variables: dict[str, object] | None = None,
        *,
        user: str | None = None,
        **body: object,
    ) -> tuple[httpx.Response, httpx.Response]:
        return (
            await self.compiled.query(query, variables, user=user, **body),
            await self.resolved.query(query, variables, user=user, **body),
        )


@pytest.fixture
async def paths(run_api: RunApi, domain_database: str) -> AsyncGenerator[Paths]:
    common = {"schema": schema, "database_url": domain_database, "cache_enabled": False}
    async with (
        run_api(**common) as compiled,
        run_api(**common, execution=Execution.RESOLVED) as resolved,
    ):
        db: Prisma = compiled.services.db
        await db.execute_raw(f"TRUNCATE {DOMAIN_TABLES} CASCADE")
        yield Paths(compiled, resolved, await seed_world(db))


async def seed_world(db: Prisma) -> World:
    now = datetime.now(UTC).replace(microsecond=0)
    titles = ["Fly", 'Zürich 🚀 "quoted" \\ back\nline\t\x01\x7f', "Sing", "Ünïcode", "Plain"]
    public: list[str] = []
    for i, title in enumerate(titles):
        dream = await db.dream.create(
            data={
                "title": title,
                "description": f"{title}, described",
                "originalPrompt": f"Make me {title}",
                "category": DreamCategory.TECHNOLOGY if i % 2 else DreamCategory.CREATIVE,
                "tags": ["alpha", "beta"] if i % 2 else [],
                "isPublic": True,
                "status": DreamStatus.ACTIVE if i < 4 else DreamStatus.ARCHIVED,
                # one instant with whole seconds, the others with milliseconds
                "createdAt": now - timedelta(hours=i, milliseconds=0 if i == 0 else 7 * i),
                "user": {"connect": {"id": ALICE}},
            }
        )
        public.insert(0, dream.id)
        await _tests(db, dream.id, ALICE, now, count=3 + i)
        if i % 2 == 0:
            await _progress(db, dream.id, 40 + i)
    public.reverse()
    private = await db.dream.create(
        data={
            "title": "Secret",
            "description": "",
            "originalPrompt": "hidden",
            "createdAt": now - timedelta(minutes=30),
            "user": {"connect": {"id": ALICE}},
        }
    )
    await _tests(db, private.id, ALICE, now, count=2)
    bob = await db.dream.create(
        data={
            "title": "Bob's",
            "description": "x",
            "originalPrompt": "y",
            "isPublic": True,
            "createdAt": now - timedelta(minutes=90),
            "user": {"connect": {"id": BOB}},
        }
    )
    for i, (provider, name) in enumerate(
        [(AiProvider.OPENAI, "gpt-4o"), (AiProvider.ANTHROPIC, "claude"), (AiProvider.OPENAI, "o1")]
    ):
        await db.aimodel.create(
            data={
                "provider": provider,
                "name": name,
                "displayName": f"{name} ✨",
                "maxTokens": 100_000 * (i + 1),
                "costPer1kTokens": Decimal("0.0025") * i,
                "isActive": i != 2,
                "capabilities": ["text", "vision"][: i + 1],
            }
        )
    projects = await seed_usage(db, now)
    alice_projects = await seed_projects(db, now)
    return World(
        public=public,
        private=private.id,
        bob=bob.id,
        projects=projects,
        alice_projects=alice_projects,
    )


SCORES = ("100", "42.5", "0.01", "33.33", "0", "99.99", "50")
STATUSES = (TestStatus.COMPLETED, TestStatus.COMPLETED, TestStatus.FAILED, TestStatus.PENDING)


async def _tests(db: Prisma, dream_id: str, owner: str, now: datetime, *, count: int) -> None:
    await db.aitest.create_many(
        data=[
            {
                "dreamId": dream_id,
                "userId": owner,
                "provider": list(AiProvider)[i % len(AiProvider)],
                "model": f"model-{i % 3}",
                "impossibilityScore": Decimal(SCORES[i % len(SCORES)]),
                "confidence": Decimal("80.5"),
                "reasoning": "ok" if i % 2 else "naïve ☃",
                "durationMs": 1000 * i,
                "tokensUsed": 100 + i,
                "cost": Decimal("0.0042") * i,
                "status": STATUSES[i % len(STATUSES)],
                # pairs share an instant, so ties break by id
                "createdAt": now - timedelta(days=i // 2, milliseconds=3 * (i // 2)),
            }
            for i in range(count)
        ]
    )


async def seed_projects(db: Prisma, now: datetime) -> list[str]:
    """Alice's public, private and unlisted projects (bob edits the private one, root has no
    role) and bob's public one, with view and like ties, files whose paths JSON must escape,
    messages with and without an author."""
    made: list[str] = []
    shapes = [
        (ALICE, 'Site ☃ "q"', Visibility.PUBLIC, 7, True),
        (ALICE, "Secret\nproject", Visibility.PRIVATE, 7, False),
        (ALICE, "Unlisted", Visibility.UNLISTED, 2, True),
        (BOB, "Bob's tool", Visibility.PUBLIC, 7, False),
    ]
    for i, (owner, name, visibility, views, featured) in enumerate(shapes):
        project = await db.project.create(
            data={
                "name": name,
                "description": None if i == 0 else f"{name}, described",
                "visibility": visibility,
                "projectType": "web" if i % 2 else "mobile",
                "likes": 3 - i // 2,
                "forks": i,
                "views": views,
                "featured": featured,
                "createdAt": now - timedelta(days=i, milliseconds=0 if i == 0 else 5 * i),
                "owner": {"connect": {"id": owner}},
            }
        )
        made.append(project.id)
        paths = ["src/a.ts", "src/ünï.ts", 'src/🚀"x".ts', "README.md", "b/c\u007f.py"]
        await db.projectfile.create_many(
            data=[
                {
                    "projectId": project.id,
                    "path": path,
                    "content": f"// {path}\n",
                    "language": "typescript" if path.endswith(".ts") else "text",
                    "size": len(path.encode()),
                }
                for path in paths[: 5 - i]
            ]
        )
        await db.message.create_many(
            data=[
                {
                    "projectId": project.id,
                    "userId": None if k % 3 == 2 else owner,
                    "role": MessageRole.ASSISTANT if k % 3 == 2 else MessageRole.USER,
                    "content": f"message {k} ✨",
                    "tokens": 10 * k,
                    "createdAt": now - timedelta(minutes=k // 2, milliseconds=k // 2),
                }
                for k in range(6 - i)
            ]
        )
    await db.projectcollaborator.create(
        data={
            "role": CollaboratorRole.EDITOR,
            "project": {"connect": {"id": made[1]}},
            "user": {"connect": {"id": BOB}},
        }
    )
    await db.projectcollaborator.create(
        data={
            "role": CollaboratorRole.VIEWER,
            "createdAt": now - timedelta(days=1),
            "project": {"connect": {"id": made[0]}},
            "user": {"connect": {"id": BOB}},
        }
    )
    for project_id in (made[0], made[1]):
        await db.projectlike.create(
            data={"project": {"connect": {"id": project_id}}, "user": {"connect": {"id": BOB}}}
        )
    return made[:3]


async def seed_usage(db: Prisma, now: datetime) -> list[str]:
    """Token usage of every user over days, models, endpoints and projects (one of them private
    and not alice's, so her usage there is labelled hidden); budgets of 20, 0 and 3.33."""
    projects: list[str] = []
    for owner, name, visibility in (
        (ALICE, "Open", Visibility.PUBLIC),
        (BOB, "Secret plan", Visibility.PRIVATE),
        (BOB, "Shared", Visibility.PRIVATE),
    ):
        project = await db.project.create(
            data={"name": name, "visibility": visibility, "owner": {"connect": {"id": owner}}}
        )
        projects.append(project.id)
    await db.projectcollaborator.create(
        data={
            "project": {"connect": {"id": projects[2]}},
            "user": {"connect": {"id": ALICE}},
            "role": CollaboratorRole.VIEWER,
        }
    )
    await db.tokenusage.create_many(
        data=[
            {
                "userId": (ALICE, BOB, ROOT)[i % 3],
                "projectId": [None, *projects][i % 4],
                "endpoint": ("/api/chat", "/api/complete", "/api/édit")[i % 3],
                "model": ("gpt-4o", "claude", "o1", "model-1")[i % 4 if i % 5 else 1],
                "promptTokens": 100 * i,
                "completionTokens": 7 * i + 1,
                "totalTokens": 107 * i + 1,
                "cost": Decimal("0.123457") * i + Decimal("0.000001"),
                "timestamp": now - timedelta(days=i * 0.7, milliseconds=i),
            }
            for i in range(60)
        ]
    )
    await db.execute_raw(
        "UPDATE users SET monthly_budget = CASE id WHEN $1 THEN 20 WHEN $2 THEN 0 ELSE 3.33 END",
        ALICE,
        BOB,
    )
    return projects


async def _progress(db: Prisma, dream_id: str, average: int) -> None:
    await db.progresslog.create(
        data={
            "averageImpossibility": Decimal(average) + Decimal("0.5"),
            "bestScore": Decimal(average),
            "testCount": 3,
            "activeModels": ["gpt-4o", "claude"],
            "improvementTrend": Decimal("-12.25"),
            "dream": {"connect": {"id": dream_id}},
        }
    )


__all__ = ["TOKENS", "VIEWERS", "Paths", "World"]
