"""`GET /charts/dreams/{id}/decay.svg` and `.png`: a dream's decay chart as a picture.

The same `range` and `bucket` as the GraphQL `decayChart` field (their enum names, e.g.
`?range=LAST_90_DAYS&bucket=WEEK`), the same access rules and the same data: the request is
authenticated like `/graphql` (a bearer token, or anonymous), then `resolve_dream` and
`resolve_decay_chart` answer it through the request's loaders and the 10-minute chart cache.
A private dream is a 404 to anyone but its owner, exactly as `dream(id:)` is `null`. Each
request takes from the viewer's rate limits (`api/limits`) as a root field named `charts`.

The picture is rendered in a worker thread and cached under a hash of everything drawn (title,
period, points, trend), which is also its ETag: an unchanged chart is never drawn twice, and a
client revalidating with `If-None-Match` gets a 304 without one. HTTP caching follows the data:
a public dream's chart is `no-cache` (any cache may keep it but must revalidate), a private
one's `private, no-store`, like `/graphql` answers to signed-in viewers; every answer varies by
`Authorization`. An `<img>` can't send a token, so embed public dreams' charts; a page showing
private ones fetches them with the header (as `/app` does).
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import time
from dataclasses import asdict
from typing import TYPE_CHECKING, TypeVar, cast

from starlette.responses import Response

from api.charts.render import ChartPicture, ChartPoint, ImageFormat
from api.context import Context
from api.errors import ApiError, BadRequestError, error_response
from loaders.cache import TTL
from resolvers.dreams import (
    ChartBucket,
    ChartRange,
    DecayChart,
    resolve_decay_chart,
    resolve_dream,
)

if TYPE_CHECKING:
    from starlette.requests import Request

    from api.context import Services
    from prisma.models import Dream

__all__ = ["decay_chart_image"]

CHART_BUCKET = "charts"  # the rate limit bucket of this route (RATE_LIMIT_FIELDS: charts=...)
RENDERER_VERSION = "1"  # bump when the drawing changes, so cached pictures are redrawn
MEDIA_TYPES: dict[str, str] = {"svg": "image/svg+xml", "png": "image/png"}
_PERIODS = {ChartBucket.DAY: "per day", ChartBucket.WEEK: "per week"}


class ChartNotFoundError(ApiError):
    status_code = 404
    code = "NOT_FOUND"


E = TypeVar("E", ChartRange, ChartBucket)


def _choice(request: Request, name: str, enum: type[E], default: E) -> E:
    raw = request.query_params.get(name)
    if raw is None:
        return default
    try:
        return enum[raw.strip().upper()]
    except KeyError:
        names = ", ".join(member.name for member in enum)
        raise BadRequestError(f"`{name}` must be one of {names} (got {raw!r}).") from None


def _picture(
    dream: Dream, range_: ChartRange, bucket: ChartBucket, chart: DecayChart
) -> ChartPicture:
    points = tuple(ChartPoint(p.bucket_start, p.average, p.best, p.count) for p in chart.points)
    period = f"last {range_.value} days, {_PERIODS[bucket]}"
    days = 7 if bucket is ChartBucket.WEEK else 1
    return ChartPicture(dream.title, period, days, points, chart.trend)


def _etag(picture: ChartPicture, image_format: ImageFormat) -> str:
    material = json.dumps(
        [RENDERER_VERSION, image_format, asdict(picture)], default=str, separators=(",", ":")
    )
    return hashlib.sha256(material.encode()).hexdigest()[:32]


async def _drawn(
    services: Services, picture: ChartPicture, image_format: ImageFormat, *, etag: str, tag: str
) -> bytes:
    async def draw() -> bytes:
        from api.charts.render import render  # matplotlib is imported on first use

        return await asyncio.to_thread(render, picture, image_format)

    return await services.cache.get_or_compute(
        f"chart:{etag}",
        draw,
        ttl=TTL.DREAM_PROGRESS,
        tags=[tag],
        encode=lambda value: value,
        decode=lambda value: value,
    )


def _headers(dream: Dream, image_format: ImageFormat, etag: str) -> dict[str, str]:
    headers = {
        "ETag": f'"{etag}"',
        "Cache-Control": "no-cache" if dream.isPublic else "private, no-store",
        "Vary": "Authorization",
        "X-Content-Type-Options": "nosniff",
        "Content-Disposition": f'inline; filename="decay-{dream.id}.{image_format}"',
    }
    if image_format == "svg":  # opened on its own, it may run nothing and load nothing
        headers["Content-Security-Policy"] = "default-src 'none'; style-src 'unsafe-inline'"
    return headers


async def _answer(request: Request, services: Services, image_format: ImageFormat) -> Response:
    range_ = _choice(request, "range", ChartRange, ChartRange.LAST_30_DAYS)
    bucket = _choice(request, "bucket", ChartBucket, ChartBucket.DAY)
    viewer = await services.authenticator.viewer_for(request.headers.get("authorization"))
    address = request.client.host if request.client else None
    await services.limits.check(viewer, address, {CHART_BUCKET: 1})
    scope = Context.build(services, request, viewer).scope
    dream_id = request.path_params["dream_id"]
    dream = await resolve_dream(scope, dream_id)
    if dream is None:
        raise ChartNotFoundError(
            f"No dream with id {dream_id!r} exists, or it is not visible to you."
        )
    chart = await resolve_decay_chart(scope, dream, range_=range_, bucket=bucket)
    picture = _picture(dream, range_, bucket, chart)
    etag = _etag(picture, image_format)
    headers = _headers(dream, image_format, etag)
    if f'"{etag}"' in request.headers.get("if-none-match", ""):
        return Response(status_code=304, headers=headers)
    body = await _drawn(services, picture, image_format, etag=etag, tag=f"dream:{dream.id}")
    return Response(body, media_type=MEDIA_TYPES[image_format], headers=headers)


async def decay_chart_image(request: Request) -> Response:
    services: Services = request.app.state.services
    image_format = request.path_params["format"]
    started = time.perf_counter()
    try:
        if image_format not in MEDIA_TYPES:
            raise ChartNotFoundError("Ask for decay.svg or decay.png.")
        response = await _answer(request, services, cast("ImageFormat", image_format))
    except ApiError as error:
        response = error_response(error)
        response.headers["Cache-Control"] = "no-store"
        response.headers["Vary"] = "Authorization"
    operation = f"chart.{image_format if image_format in MEDIA_TYPES else 'invalid'}"
    services.metrics.request_seconds.observe(time.perf_counter() - started, operation=operation)
    services.metrics.requests.inc(operation=operation, status=str(response.status_code))
    return response
