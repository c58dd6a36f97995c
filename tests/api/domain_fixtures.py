"""The domain schema served by the real app, on a database of its own, plus a small seeder.

`domain_api` runs the app (auth, error masking, both cache levels over Redis) with
`api.schema.schema` against a schema pushed once per session; every test starts from empty
domain tables and the three users of `tests/api/conftest.py` (alice, bob, root the admin),
whose bearer tokens `Api.query(..., user=...)` sends.

Test modules take the fixtures by assigning them (`domain_api = domain_fixtures.domain_api`):
pytest finds fixtures by name in the module.
"""

from __future__ import annotations

import uuid
from collections.abc import AsyncGenerator, Generator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import httpx
import pytest

from api.auth import hash_token
from api.database import push_schema
from api.schema import schema
from orm.runtime.client import QueryEvent
from orm.runtime.types import JsonValue
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
from tests.api.conftest import TOKENS, Api, RunApi
from tests.conftest import TEST_DATABASE_URL, with_query

__all__ = [
    "ALICE",
    "BOB",
    "ROOT",
    "Seed",
    "StatementLog",
    "data_of",
    "domain_api",
    "domain_database",
]

ALICE, BOB, ROOT = "u_alice", "u_bob", "u_root"
DOMAIN_TABLES = (
    "api_response_times, token_usage, messages, project_files, project_collaborators, "
    "projects, progress_logs, ai_tests, dreams, ai_models, idempotency_keys, cache_epochs"
)


@pytest.fixture(scope="session")
async def domain_database() -> AsyncGenerator[str]:
    """A schema pushed from the generated client (tables, indexes, sql/) with the users
    alice, bob and root (an administrator), for the domain tests."""
    name = f"dom_{uuid.uuid4().hex[:10]}"
    url = with_query(TEST_DATABASE_URL, schema=name)
    admin = Prisma(datasource={"url": TEST_DATABASE_URL}, connection_limit=1)
    await admin.connect()
    try:
        await admin.execute_raw(f'CREATE SCHEMA "{name}"')
        await push_schema(url)
        async with Prisma(datasource={"url": url}, connection_limit=1) as db:
            for user, token in TOKENS.items():
                await db.execute_raw(
                    "INSERT INTO users (id, email, name, password_hash, api_token_hash, role, "
                    "updated_at) VALUES ($1, $2, $3, 'x', $4, $5::\"UserRole\", now())",
                    f"u_{user}",
                    f"{user}@example.com",
                    user.title(),
                    hash_token(token),
                    "ADMIN" if user == "root" else "USER",
                )
        yield url
    finally:
        await admin.execute_raw(f'DROP SCHEMA IF EXISTS "{name}" CASCADE')
        await admin.disconnect()


@pytest.fixture
async def domain_api(run_api: RunApi, domain_database: str) -> AsyncGenerator[Api]:
    """The app on the domain schema, its domain tables emptied first."""
    async with run_api(schema=schema, database_url=domain_database) as api:
        db: Prisma = api.services.db
        await db.execute_raw(f"TRUNCATE {DOMAIN_TABLES} CASCADE")
        await db.execute_raw("UPDATE users SET monthly_budget = 20")
        yield api


def data_of(response: httpx.Response) -> JsonValue:
    """The response's `data`, asserting there were no errors."""
    body = response.json()
    assert "errors" not in body, body["errors"]
    return body["data"]


def errors_of(response: httpx.Response) -> list[JsonValue]:
    body = response.json()
    assert body.get("errors"), body
    return body["errors"]


@dataclass(slots=True)
class StatementLog:
    """SQL statements the client ran while `watch()` was open (the client's query listener)."""

    events: list[QueryEvent] = field(default_factory=list[QueryEvent])

    @contextmanager
    def watch(self, db: Prisma) -> Generator[StatementLog]:
        self.events.clear()
        db.add_query_listener(self.events.append)
        try:
            yield self
        finally:
            db.remove_query_listener(self.events.append)

    @property
    def count(self) -> int:
        return len(self.events)


class Seed:
    """Rows for one test, through the generated client; times are relative to now."""

    def __init__(self, db: Prisma) -> None:
        self.db = db
        self.now = datetime.now(UTC)

    async def dream(
        self,
        owner: str,
        title: str = "Fly",
        *,
        public: bool = False,
        status: DreamStatus = DreamStatus.ACTIVE,
        category: DreamCategory = DreamCategory.OTHER,
        age: timedelta = timedelta(0),
    ) -> str:
        dream = await self.db.dream.create(
            data={
                "title": title,
                "description": f"{title}, described",
                "originalPrompt": f"Make me {title}",
                "category": category,
                "isPublic": public,
                "status": status,
                "createdAt": self.now - age,
                "user": {"connect": {"id": owner}},
            }
        )
        return dream.id

    async def ai_tests(
        self, dream_id: str, owner: str, scores: list[float], *, days_apart: float = 1.0
    ) -> None:
        """One COMPLETED test per score, the last one newest, `days_apart` days between them."""
        count = len(scores)
        await self.db.aitest.create_many(
            data=[
                {
                    "dreamId": dream_id,
                    "userId": owner,
                    "provider": AiProvider.OPENAI,
                    "model": "gpt-4o",
                    "impossibilityScore": Decimal(str(score)),
                    "confidence": Decimal(80),
                    "reasoning": "because",
                    "durationMs": 1000,
                    "tokensUsed": 100,
                    "cost": Decimal("0.01"),
                    "status": TestStatus.COMPLETED,
                    "createdAt": self.now - timedelta(days=days_apart * (count - 1 - i)),
                }
                for i, score in enumerate(scores)
            ]
        )

    async def progress(self, dream_id: str, average: float) -> None:
        await self.db.progresslog.create(
            data={
                "averageImpossibility": Decimal(str(average)),
                "bestScore": Decimal(str(average)),
                "testCount": 1,
                "activeModels": ["gpt-4o"],
                "dream": {"connect": {"id": dream_id}},
            }
        )

    async def ai_model(
        self, provider: AiProvider, name: str, display_name: str, *, active: bool = True
    ) -> None:
        await self.db.aimodel.create(
            data={
                "provider": provider,
                "name": name,
                "displayName": display_name,
                "maxTokens": 100_000,
                "costPer1kTokens": Decimal(3),
                "isActive": active,
            }
        )

    async def project(
        self,
        owner: str,
        name: str = "Site",
        *,
        visibility: Visibility = Visibility.PUBLIC,
        likes: int = 0,
        views: int = 0,
        featured: bool = False,
    ) -> str:
        project = await self.db.project.create(
            data={
                "name": name,
                "visibility": visibility,
                "likes": likes,
                "views": views,
                "featured": featured,
                "owner": {"connect": {"id": owner}},
            }
        )
        return project.id

    async def collaborator(self, project_id: str, user_id: str, role: CollaboratorRole) -> None:
        await self.db.projectcollaborator.create(
            data={
                "role": role,
                "project": {"connect": {"id": project_id}},
                "user": {"connect": {"id": user_id}},
            }
        )

    async def files(self, project_id: str, count: int) -> None:
        await self.db.projectfile.create_many(
            data=[
                {
                    "projectId": project_id,
                    "path": f"src/file{i}.ts",
                    "content": "export {}",
                    "language": "typescript",
                    "size": 9,
                }
                for i in range(count)
            ]
        )

    async def messages(self, project_id: str, author: str, count: int) -> None:
        await self.db.message.create_many(
            data=[
                {
                    "projectId": project_id,
                    "userId": author,
                    "role": MessageRole.USER,
                    "content": f"message {i}",
                    "createdAt": self.now - timedelta(minutes=count - i),
                }
                for i in range(count)
            ]
        )
