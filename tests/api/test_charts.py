"""Decay charts as pictures: `/charts/dreams/{id}/decay.svg|png` draws what GraphQL answers,
under the same access rules, with HTTP caching that never lets a shared cache keep private data.
"""

from __future__ import annotations

import io
import re
import xml.etree.ElementTree as ET
from datetime import datetime

import httpx
import pytest
from PIL import Image

from api.charts.render import AVERAGE, BEST
from tests.api import domain_fixtures
from tests.api.conftest import TOKENS, Api
from tests.api.domain_fixtures import ALICE, Seed, data_of

domain_api = domain_fixtures.domain_api
domain_database = domain_fixtures.domain_database

SVG = "{http://www.w3.org/2000/svg}"
CHART = """
query ($id: ID!) {
  dream(id: $id) {
    decayChart(range: LAST_30_DAYS, bucket: DAY) { trend points { bucketStart average best count } }
  }
}
"""
SCORES: list[float] = [92, 88, 90, 81, 77, 79, 70, 64, 66, 58]


def _url(dream_id: str, image_format: str = "svg", **params: str) -> str:
    query = "&".join(f"{k}={v}" for k, v in {"range": "LAST_30_DAYS", **params}.items())
    return f"/charts/dreams/{dream_id}/decay.{image_format}?{query}"


async def _get(api: Api, url: str, *, user: str | None = None, **headers: str) -> httpx.Response:
    if user is not None:
        headers["Authorization"] = f"Bearer {TOKENS[user]}"
    return await api.client.get(url, headers=headers)


def _series(svg: ET.Element, gid: str) -> list[tuple[float, float]]:
    """The vertices of the line matplotlib drew for `gid`, in SVG coordinates."""
    group = svg.find(f".//{SVG}g[@id='{gid}']")
    assert group is not None, gid
    path = group.find(f"{SVG}path")
    assert path is not None
    numbers = [float(n) for n in re.findall(r"-?\d+(?:\.\d+)?", path.attrib["d"])]
    return list(zip(numbers[::2], numbers[1::2], strict=True))


def _assert_affine(values: list[float], drawn: list[float], *, increasing: bool) -> None:
    """`drawn` is `values` under one scale and offset (what a chart axis does)."""
    low, high = (
        min(range(len(values)), key=values.__getitem__),
        max(range(len(values)), key=values.__getitem__),
    )
    scale = (drawn[high] - drawn[low]) / (values[high] - values[low])
    assert (scale > 0) == increasing
    for value, position in zip(values, drawn, strict=True):
        assert position == pytest.approx(drawn[low] + (value - values[low]) * scale, abs=0.01)


async def test_the_svg_draws_the_points_graphql_answers(domain_api: Api) -> None:
    seed = Seed(domain_api.services.db)
    dream_id = await seed.dream(ALICE, "Sing <in> tune & key", public=True)
    await seed.ai_tests(dream_id, ALICE, SCORES, days_apart=2.0)
    chart = data_of(await domain_api.query(CHART, {"id": dream_id}))["dream"]["decayChart"]
    points = chart["points"]

    response = await _get(domain_api, _url(dream_id))

    assert response.status_code == 200
    assert response.headers["content-type"] == "image/svg+xml"
    svg = ET.fromstring(response.content)  # well-formed XML
    assert svg.tag == f"{SVG}svg"
    title, desc = svg.find(f"{SVG}title"), svg.find(f"{SVG}desc")
    assert title is not None
    assert title.text == "Sing <in> tune & key"
    assert desc is not None
    assert desc.text is not None
    for point in points:
        day = datetime.fromisoformat(point["bucketStart"]).strftime("%Y-%m-%d")
        average, best, count = point["average"], point["best"], point["count"]
        assert f"{day}: average {average:.2f}, best {best:.2f}, {count} tests" in desc.text
    assert f"trend {chart['trend']:+.1f} %" in desc.text
    average, best = _series(svg, AVERAGE), _series(svg, BEST)
    assert len(average) == len(best) == len(points) == len(SCORES)
    times = [datetime.fromisoformat(p["bucketStart"]).timestamp() for p in points]
    _assert_affine(times, [x for x, _ in average], increasing=True)
    _assert_affine([p["average"] for p in points], [y for _, y in average], increasing=False)
    _assert_affine([p["best"] for p in points], [y for _, y in best], increasing=False)
    assert [x for x, _ in best] == [x for x, _ in average]


async def test_the_png_is_an_image_of_the_same_chart(domain_api: Api) -> None:
    seed = Seed(domain_api.services.db)
    dream_id = await seed.dream(ALICE, "Paint", public=True)
    await seed.ai_tests(dream_id, ALICE, SCORES[:4])

    response = await _get(domain_api, _url(dream_id, "png", bucket="WEEK"))

    assert response.status_code == 200
    assert response.headers["content-type"] == "image/png"
    image = Image.open(io.BytesIO(response.content))
    assert image.format == "PNG"
    assert image.size == (800, 420)
    assert len(image.convert("RGB").getcolors(maxcolors=100_000) or []) > 10  # not blank


async def test_private_charts_follow_the_dream_access_rules(domain_api: Api) -> None:
    seed = Seed(domain_api.services.db)
    private = await seed.dream(ALICE, "Mine")
    public = await seed.dream(ALICE, "Ours", public=True)

    owner = await _get(domain_api, _url(private), user="alice")
    other = await _get(domain_api, _url(private), user="bob")
    anonymous = await _get(domain_api, _url(private))
    shown = await _get(domain_api, _url(public))
    bad_token = await _get(domain_api, _url(public), Authorization="Bearer nope")

    assert owner.status_code == 200
    assert owner.headers["cache-control"] == "private, no-store"
    assert other.status_code == anonymous.status_code == 404
    assert other.json()["errors"][0]["extensions"] == {"code": "NOT_FOUND"}
    assert anonymous.headers["cache-control"] == "no-store"
    assert shown.status_code == 200
    assert shown.headers["cache-control"] == "no-cache"  # shared caches revalidate
    assert bad_token.status_code == 401
    for response in (owner, other, anonymous, shown):
        assert response.headers["vary"] == "Authorization"


async def test_etags_revalidate_and_change_when_a_test_is_recorded(domain_api: Api) -> None:
    seed = Seed(domain_api.services.db)
    dream_id = await seed.dream(ALICE, "Fly", public=True)
    await seed.ai_tests(dream_id, ALICE, [80, 70])
    first = await _get(domain_api, _url(dream_id))
    etag = first.headers["etag"]

    unchanged = await _get(domain_api, _url(dream_id), **{"If-None-Match": etag})
    record = """
    mutation ($id: ID!) { recordAiTest(input: {dreamId: $id, provider: OPENAI, model: "o1",
      impossibilityScore: 10, confidence: 90}) { aiTest { id } } }
    """
    data_of(await domain_api.query(record, {"id": dream_id}, user="alice"))
    changed = await _get(domain_api, _url(dream_id), **{"If-None-Match": etag})

    assert unchanged.status_code == 304
    assert unchanged.content == b""
    assert changed.status_code == 200
    assert changed.headers["etag"] != etag
    assert b"average 10.00" in changed.content or b"best 10.00" in changed.content


async def test_chart_parameters_are_checked(domain_api: Api) -> None:
    dream_id = await Seed(domain_api.services.db).dream(ALICE, "Fly", public=True)

    bad_range = await _get(domain_api, _url(dream_id, range="FOREVER"))
    bad_format = await _get(domain_api, f"/charts/dreams/{dream_id}/decay.gif")
    empty = await _get(domain_api, _url(dream_id, range="LAST_7_DAYS", bucket="week"))

    assert bad_range.status_code == 400
    assert "LAST_7_DAYS, LAST_30_DAYS" in bad_range.json()["errors"][0]["message"]
    assert bad_format.status_code == 404
    assert empty.status_code == 200  # enum names in any case; no tests draws an empty chart
    assert b"No completed tests in this period." in empty.content
