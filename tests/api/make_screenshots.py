"""`make screenshots`: the README's pictures, from a freshly seeded database.

Pushes and seeds (`small`) a scratch schema in `SCREENSHOTS_DATABASE_URL` (default
`TEST_DATABASE_URL`), serves the app on it, and writes to `docs/screenshots/`: the `/app`
dashboard of the pro demo account, GraphiQL with its example tabs, and the decay chart of that
account's longest-tested public dream as SVG and PNG. The schema is dropped afterwards.
"""

from __future__ import annotations

import asyncio
import os
import uuid
from pathlib import Path

import httpx

from api.database import push_schema
from api.schema import schema
from api.settings import Settings
from prisma import Prisma
from seed import seed_database
from seed.demo import DEMO_ACCOUNTS
from tests.api.screenshots import open_page
from tests.api.test_graphiql import chromium, live_server
from tests.conftest import TEST_DATABASE_URL, with_query

OUT = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
PRO = next(account for account in DEMO_ACCOUNTS if account.email.startswith("pro@"))
LONGEST_TESTED = """
{ dreams(filter: {mine: true, status: ACTIVE}, sort: OLDEST, first: 10) {
    edges { node { id isPublic testCount } } } }
"""


async def _pictures(origin: str) -> None:
    headers = {"Authorization": f"Bearer {PRO.token}"}
    async with httpx.AsyncClient(base_url=origin, timeout=60) as client:
        found = await client.post("/graphql", json={"query": LONGEST_TESTED}, headers=headers)
        dreams = [e["node"] for e in found.json()["data"]["dreams"]["edges"]]
        dream = max((d for d in dreams if d["isPublic"]), key=lambda d: d["testCount"])
        for image_format in ("svg", "png"):
            url = f"/charts/dreams/{dream['id']}/decay.{image_format}"
            chart = await client.get(url, params={"range": "LAST_90_DAYS", "bucket": "WEEK"})
            chart.raise_for_status()
            (OUT / f"decay-chart.{image_format}").write_bytes(chart.content)
    async with chromium() as tools:
        page = await open_page(tools, f"{origin}/app?as=pro", width=1280, height=1000)
        await page.wait_for("document.body.dataset.ready === 'true'")
        await asyncio.sleep(1.0)
        (OUT / "app.png").write_bytes(await page.screenshot())
        page = await open_page(tools, f"{origin}/graphql", width=1400, height=800)
        await page.wait_for("document.querySelectorAll('.graphiql-tab').length > 1")
        await asyncio.sleep(1.0)
        (OUT / "graphiql.png").write_bytes(await page.screenshot())


async def main() -> None:
    base = os.environ.get("SCREENSHOTS_DATABASE_URL", TEST_DATABASE_URL)
    name = f"shots_{uuid.uuid4().hex[:10]}"
    url = with_query(base, schema=name)
    OUT.mkdir(parents=True, exist_ok=True)
    async with Prisma(datasource={"url": base}, connection_limit=1) as admin:
        await admin.execute_raw(f'CREATE SCHEMA "{name}"')
        try:
            await push_schema(url)
            await seed_database(url, scale="small")
            settings = Settings(database_url=url, response_time_sample_rate=0.0)
            async with live_server(settings, schema) as origin:
                await _pictures(origin)
        finally:
            await admin.execute_raw(f'DROP SCHEMA IF EXISTS "{name}" CASCADE')
    print(f"wrote {', '.join(sorted(p.name for p in OUT.iterdir()))} to {OUT}")


if __name__ == "__main__":
    asyncio.run(main())
