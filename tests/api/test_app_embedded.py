"""Without DATABASE_URL the app runs on an embedded PostgreSQL: started, pushed, seeded, stopped."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import httpx

from api.app import create_app
from api.settings import Settings
from tests.api.conftest import SMALL_SCHEMA

PRO_TOKEN = "demo-pro-4b8e2d6f1a9c3075"  # seed/demo.py


async def test_the_embedded_database_is_prepared_and_stopped(
    settings: Settings, tmp_path: Path
) -> None:
    data_dir = tmp_path / "pg"
    embedded = replace(
        settings, database_url=None, data_dir=data_dir, seed_scale="tiny", redis_url=None
    )
    app = create_app(embedded, schema=SMALL_SCHEMA)
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://api") as client:
            health = await client.get("/health/database", params={"detailed": "true"})
            me = await client.post(
                "/graphql",
                json={"query": "{ me }"},
                headers={"Authorization": f"Bearer {PRO_TOKEN}"},
            )
        assert (data_dir / "postmaster.pid").exists()
    assert health.status_code == 200
    assert "dreams" in {t["table"] for t in health.json()["tables"]}
    assert me.json() == {"data": {"me": "Priya Pro"}}
    assert (data_dir / "PG_VERSION").exists()
    assert not (data_dir / "postmaster.pid").exists()
