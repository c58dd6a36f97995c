"""`/app`, the dashboard page, in headless Chromium: a demo user's dreams with their charts,
served entirely by the API (no CDN), looking like the committed reference screenshot.

The data is laid on UTC noons of the last weeks and charted per day over 30 days, so the page
draws the same picture whatever the day (only the dates on the axes change, which the
comparison's tolerance absorbs).
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal

from api.schema import schema
from api.settings import Settings
from prisma import Prisma, enums
from prisma.enums import AiProvider
from seed.demo import DEMO_ACCOUNTS
from tests.api import domain_fixtures
from tests.api.conftest import Api
from tests.api.screenshots import Box, check_against_reference, open_page
from tests.api.test_graphiql import chromium, live_server

domain_api = domain_fixtures.domain_api
domain_database = domain_fixtures.domain_database

# Pixels of each chart's canvas in the average line's colour (#4f46e5).
DRAWN = """
Array.from(document.querySelectorAll('.card canvas')).map(canvas => {
  const data = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
  let count = 0;
  for (let i = 0; i < data.length; i += 4) {
    const d = Math.abs(data[i] - 79) + Math.abs(data[i + 1] - 70) + Math.abs(data[i + 2] - 229);
    if (d < 60) count++;
  }
  return count;
})
"""
# The strip under each chart where uPlot writes the dates (they change from day to day).
DATE_STRIPS = """
Array.from(document.querySelectorAll('.card canvas')).map(canvas => {
  const r = canvas.getBoundingClientRect();
  return [r.left, r.bottom - 52, r.right, r.bottom + 2];
})
"""
PRO = next(account for account in DEMO_ACCOUNTS if account.email.startswith("pro@"))
PRO_ID = "u_demo_pro"
# (title, public, daily scores: the first 24 days ago, the last yesterday)
DREAMS = (
    ("Compose a symphony from a hum", True, [84, 82, 83, 77, 74, 75, 70, 66, 67, 60, 58, 52]),
    ("Find a zero-day in old maps", False, [93, 92, 92, 91, 92, 90, 85, 79, 80, 81, 78, 76]),
    ("Plan my perfect trip to Kyoto", True, [61, 55, 49, 50, 51, 44, 38, 40, 31, 27, 24, 22]),
)


async def _demo_pro(db: Prisma) -> None:
    await db.execute_raw(
        "INSERT INTO users (id, email, name, password_hash, api_token_hash, plan, updated_at) "
        "VALUES ($1, $2, $3, 'x', $4, 'PRO', now()) ON CONFLICT (id) DO NOTHING",
        PRO_ID,
        PRO.email,
        PRO.name,
        PRO.token_hash,
    )


async def _dreams(db: Prisma) -> None:
    noon = datetime.now(UTC).replace(hour=12, minute=0, second=0, microsecond=0)
    for age, (title, public, scores) in enumerate(DREAMS):
        dream = await db.dream.create(
            data={
                "title": title,
                "description": title,
                "originalPrompt": title,
                "isPublic": public,
                "createdAt": noon - timedelta(days=60 + age),
                "user": {"connect": {"id": PRO_ID}},
            }
        )
        await db.aitest.create_many(
            data=[
                {
                    "dreamId": dream.id,
                    "userId": PRO_ID,
                    "provider": AiProvider.ANTHROPIC,
                    "model": "claude",
                    "impossibilityScore": Decimal(score),
                    "confidence": Decimal(80),
                    "reasoning": "",
                    "durationMs": 1,
                    "tokensUsed": 1,
                    "cost": Decimal(0),
                    "status": enums.TestStatus.COMPLETED,
                    "createdAt": noon - timedelta(days=24 - 2 * day),
                }
                for day, score in enumerate(scores)
            ]
        )


async def test_a_demo_user_sees_each_dream_with_its_chart(
    domain_api: Api, settings: Settings, domain_database: str
) -> None:
    db: Prisma = domain_api.services.db
    await _demo_pro(db)
    await _dreams(db)
    app_settings = Settings(
        database_url=domain_database,
        redis_url=settings.redis_url,
        cache_prefix=settings.cache_prefix,
        db_connection_limit=4,
        response_time_sample_rate=0.0,
    )
    async with live_server(app_settings, schema) as origin, chromium() as tools:
        page = await open_page(tools, f"{origin}/app?as=pro&range=LAST_30_DAYS&bucket=DAY")
        assert await page.wait_for("document.body.dataset.ready === 'true'")
        summary = await page.evaluate("document.getElementById('summary').innerText")
        titles = await page.evaluate(
            "Array.from(document.querySelectorAll('.card h2')).map(h => h.innerText)"
        )
        charts = await page.evaluate("document.querySelectorAll('.card canvas').length")
        # Each card subscribed: the first event (the state now) marks it live.
        await page.wait_for(
            "Array.from(document.querySelectorAll('.live')).every(n => n.textContent)"
        )
        drawn = await page.evaluate(DRAWN)
        dates = await page.evaluate(DATE_STRIPS)
        shot = await page.screenshot()
        requested = page.requested

    assert summary == "Signed in as Priya Pro · 3 active dreams · 36 completed tests"
    assert titles == [title for title, _, _ in reversed(DREAMS)]  # oldest first
    assert charts == 3
    assert all(pixels > 200 for pixels in drawn), drawn  # each chart drew its average line
    assert all(url.startswith((origin, "data:", "ws://127.0.0.1")) for url in requested), requested
    assert any(url.endswith("/static/app/uPlot.iife.min.js") for url in requested)
    masks: list[Box] = [(int(a), int(b), int(c), int(d)) for a, b, c, d in dates]
    difference = check_against_reference("app-dashboard", shot, masks)
    assert difference.acceptable, (
        f"{difference.share:.1%} of the page differs from tests/api/reference/app-dashboard.png "
        "(rerun with UPDATE_SCREENSHOTS=1 after an intended change, and look at it)"
    )


def test_the_comparison_absorbs_antialiasing_but_not_a_missing_chart() -> None:
    import io

    from PIL import Image, ImageDraw

    from tests.api.screenshots import compare

    def picture(*, shift: int = 0, chart: bool = True) -> bytes:
        image = Image.new("RGB", (400, 300), "white")
        draw = ImageDraw.Draw(image)
        draw.text((10 + shift, 10), "Signed in as Priya Pro", fill="black")
        if chart:
            draw.line([(20, 250), (120, 200), (220, 150), (380, 60)], fill="#4f46e5", width=3)
            draw.rectangle((40, 220, 60, 280), fill="#cbd5e1")
        buffer = io.BytesIO()
        image.save(buffer, format="PNG")
        return buffer.getvalue()

    assert compare(picture(), picture()).share == 0
    assert compare(picture(shift=1), picture(), [(0, 0, 400, 40)]).acceptable  # masked text
    assert not compare(picture(chart=False), picture()).acceptable
    small = io.BytesIO()
    Image.new("RGB", (200, 100)).save(small, format="PNG")
    assert not compare(small.getvalue(), picture()).acceptable
