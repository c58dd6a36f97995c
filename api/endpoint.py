"""`/graphql`: GraphiQL for browsers, GraphQL over HTTP (POST, and GET for queries) otherwise.

Around Strawberry, in this order: count the request's SQL statements, authenticate, answer a
cached query from the operation cache without executing it, or execute it (storing the response
under the tags its resolvers recorded), invalidate what a mutation dirtied before answering,
then record metrics and a sampled timing. Responses carry `X-Cache` (`HIT`, `MISS`, `BYPASS`)
and `X-SQL-Statements`.

HTTP caches: every answer varies by `Authorization`; a signed-in viewer's is
`Cache-Control: private, no-store` (it may hold their private data), anyone else's `no-cache`
(a shared cache may keep it but must revalidate, so a read after a write never gets a stale copy
from an intermediary; the operation cache already makes repeats cheap).
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass
from pathlib import Path
from typing import cast

from graphql import OperationType
from starlette.requests import Request
from starlette.responses import FileResponse, JSONResponse, Response
from strawberry.exceptions import MissingQueryError
from strawberry.schema.exceptions import CannotGetOperationTypeError, InvalidOperationTypeError
from strawberry.types.graphql import OperationType as AllowedType

from api.cache import Entry, describe, operation_key, wants_cache
from api.context import Context, Services
from api.errors import ApiError, BadRequestError, error_response
from orm.runtime.types import JsonValue
from resolvers.scope import Viewer

__all__ = ["GRAPHIQL_PAGE", "graphql_endpoint"]

GRAPHIQL_PAGE = Path(__file__).parent / "static" / "graphiql" / "index.html"


@dataclass(frozen=True, slots=True)
class GraphQLRequest:
    query: str
    operation_name: str | None
    variables: dict[str, JsonValue] | None
    extensions: JsonValue


async def graphql_endpoint(request: Request) -> Response:
    services: Services = request.app.state.services
    if request.method == "GET" and _wants_html(request):
        if not services.settings.graphiql:
            return JSONResponse({"errors": [{"message": "GraphiQL is disabled."}]}, 404)
        return FileResponse(GRAPHIQL_PAGE, media_type="text/html")
    started = time.perf_counter()
    with services.statements.track() as tally:
        viewer: Viewer | None = None
        try:
            gql = await _read_request(request)
            viewer = await services.authenticator.viewer_for(request.headers.get("authorization"))
            body, cache_state = await _answer(services, request, gql, viewer)
        except ApiError as error:
            gql, cache_state = None, "BYPASS"
            response: Response = error_response(error)
        else:
            response = Response(body, media_type="application/json")
        response.headers["X-Cache"] = cache_state
        _cache_control(response, viewer)
        response.headers["X-SQL-Statements"] = str(tally.count)
    _observe(
        services,
        request,
        gql=gql,
        status=response.status_code,
        seconds=time.perf_counter() - started,
        statements=tally.count,
        viewer=viewer,
    )
    return response


def _cache_control(response: Response, viewer: Viewer | None) -> None:
    signed_in = viewer is not None and viewer.is_authenticated
    response.headers["Cache-Control"] = "private, no-store" if signed_in else "no-cache"
    response.headers["Vary"] = "Authorization"


def _wants_html(request: Request) -> bool:
    accept = request.headers.get("accept", "")
    return "text/html" in accept or "query" not in request.query_params


async def _read_request(request: Request) -> GraphQLRequest:
    try:
        if request.method == "GET":
            params = request.query_params
            variables = params.get("variables")
            payload: dict[str, JsonValue] = {
                "query": params.get("query"),
                "operationName": params.get("operationName"),
                "variables": json.loads(variables) if variables else None,
            }
        else:
            payload = json.loads(await request.body())
    except ValueError as exc:
        raise BadRequestError(f"The request is not valid JSON ({exc}).") from exc
    if not isinstance(payload, dict) or not isinstance(payload.get("query"), str):  # pyright: ignore[reportUnnecessaryIsInstance]
        raise BadRequestError('Send a JSON object with a "query" string.')
    variables = payload.get("variables")
    if variables is not None and not isinstance(variables, dict):
        raise BadRequestError('"variables" must be a JSON object.')
    name = payload.get("operationName")
    return GraphQLRequest(
        query=payload["query"],
        operation_name=name if isinstance(name, str) and name else None,
        variables=cast("dict[str, JsonValue] | None", variables),
        extensions=payload.get("extensions"),
    )


async def _answer(
    services: Services, request: Request, gql: GraphQLRequest, viewer: Viewer
) -> tuple[bytes, str]:
    document = describe(gql.query)
    kind = document.operation_type(gql.operation_name) if document else None
    cache = services.cache
    if not (cache.enabled and kind is OperationType.QUERY and wants_cache(gql.extensions)):
        context = Context.build(services, request, viewer)
        entry = await _execute(services, context, gql)
        if kind is OperationType.MUTATION:
            await cache.invalidate(context.scope.dirty_tags)
        return entry.value, "BYPASS"
    assert document is not None
    key = operation_key(document, gql.operation_name, gql.variables, viewer.cache_scope)

    async def produce() -> Entry:
        return await _execute(services, Context.build(services, request, viewer), gql)

    found = await cache.load(key, produce, level="operation")
    return found.value, "HIT" if found.hit else "MISS"


async def _execute(services: Services, context: Context, gql: GraphQLRequest) -> Entry:
    allowed = (
        {AllowedType.QUERY}
        if context.request.method == "GET"
        else {AllowedType.QUERY, AllowedType.MUTATION}
    )
    try:
        result = await services.schema.execute(
            gql.query,
            variable_values=gql.variables,
            context_value=context,
            operation_name=gql.operation_name,
            allowed_operation_types=allowed,
        )
    except MissingQueryError as exc:
        raise BadRequestError('Send a JSON object with a "query" string.') from exc
    except CannotGetOperationTypeError as exc:
        raise BadRequestError(
            f"The document has no operation named {gql.operation_name!r}: send one of its "
            'operation names as "operationName", or none when it has a single operation.'
        ) from exc
    except InvalidOperationTypeError as exc:
        raise BadRequestError(
            f"This operation can't be sent with {context.request.method}: mutations need POST, "
            "and subscriptions are not served over HTTP."
        ) from exc
    payload: dict[str, JsonValue] = {"data": result.data}
    if result.errors:
        payload["errors"] = [error.formatted for error in result.errors]
    if result.extensions:
        payload["extensions"] = result.extensions
    scope = context.scope
    return Entry(
        value=json.dumps(payload, separators=(",", ":"), default=str).encode(),
        ttl=scope.max_age if scope.max_age is not None else services.settings.cache_default_ttl,
        tags=frozenset(scope.read_tags),
        cacheable=not result.errors,
    )


def _observe(
    services: Services,
    request: Request,
    *,
    gql: GraphQLRequest | None,
    status: int,
    seconds: float,
    statements: int,
    viewer: Viewer | None,
) -> None:
    metrics = services.metrics
    name = "invalid"
    if gql is not None:
        document = describe(gql.query)
        named = [op for op, _ in document.operations] if document else []
        name = metrics.operation_label(
            gql.operation_name or (named[0] if len(named) == 1 else None)
        )
    metrics.request_seconds.observe(seconds, operation=name)
    metrics.sql_statements.observe(statements, operation=name)
    metrics.requests.inc(operation=name, status=str(status))
    user_id = viewer.user_id if viewer else None
    services.recorder.record(name, request.method, status, seconds * 1000, user_id)
