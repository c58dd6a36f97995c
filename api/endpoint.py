"""`/graphql`: GraphiQL for browsers, GraphQL over HTTP (POST, and GET for queries) otherwise.

Per request, cheapest refusals first: read the request (`api/request.py`), pick the document
(its text, a trusted document, or an automatic persisted query by hash:
`api/documents/persisted.py`), prepare it (`api/documents`: token count, parse, limits and
validation, all remembered per document), admit the operation (operation name, cost,
variables), check the method, authenticate, take from the viewer's rate limits (`api/limits`),
then answer a cached query from the operation cache or execute it (storing the response under
the tags its resolvers recorded), invalidate what a mutation dirtied before answering, and
record metrics and a sampled timing.

Every client mistake is a 4xx or a GraphQL error with an `extensions.code` (`api/errors.py`).
While every pooled database connection stays busy for `DB_QUEUE_TIMEOUT` seconds the answer is
503 with `Retry-After`, never a masked error after the whole pool timeout.

Queries the planner compiles (`api/compiled`) are answered by one SQL statement that builds
the response's JSON, the rest by the resolvers; `X-Execution: compiled|resolved` says which
(per operation: a response never mixes them), on cache hits too.

Responses carry `X-SQL-Statements` and `X-Cache`: `HIT` (served from the operation cache),
`MISS` (executed and stored), `BYPASS` (not stored: mutations, opt-outs, errors, refusals).
HTTP caches: every answer varies by `Authorization`; a signed-in viewer's is
`Cache-Control: private, no-store` (it may hold their private data). An anonymous GET query
answered without errors is `public, max-age=GET_CACHE_MAX_AGE`, so CDNs can keep persisted
queries' short URLs; anyone else's `no-cache` (a shared cache may keep it but must revalidate),
and refusals that set their own (`no-store`) keep it.
"""

from __future__ import annotations

import json
import logging
import math
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path

from graphql import OperationType
from starlette.requests import Request
from starlette.responses import FileResponse, Response

from api.cache import Entry, Lookup, operation_key, wants_cache
from api.compiled import Compiled, CompiledExecution
from api.compiled.execution import COMPILED, RESOLVED
from api.context import Context, Services
from api.documents import Admission, PreparedDocument
from api.errors import (
    ApiError,
    BadRequestError,
    DatabaseBusyError,
    GraphiQLDisabledError,
    MethodNotAllowedError,
    error_response,
)
from api.extensions.masking import BUSY
from api.limits.limiter import REGISTRATIONS, root_fields
from api.request import GraphQLRequest, has_surrogate, persisted_hash, read_request
from api.settings import Execution
from orm.runtime.engine.pool import limited_wait
from orm.runtime.errors import PoolTimeoutError
from orm.runtime.routing import read_from_primary
from orm.runtime.types import JsonValue
from resolvers.scope import RequestScope, Viewer

__all__ = ["GRAPHIQL_PAGE", "graphql_endpoint"]

GRAPHIQL_PAGE = Path(__file__).parent / "static" / "graphiql" / "index.html"

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class _Run:
    """A request that passed every check: what executes."""

    gql: GraphQLRequest
    document: PreparedDocument
    admission: Admission
    register_as: str | None = None  # sent with its text and hash: registered once within limits

    @property
    def kind(self) -> OperationType:
        return self.admission.operation.kind


async def graphql_endpoint(request: Request) -> Response:
    services: Services = request.app.state.services
    if request.method == "GET" and _wants_html(request):
        if not services.settings.serves_graphiql:
            return error_response(GraphiQLDisabledError())
        return FileResponse(GRAPHIQL_PAGE, media_type="text/html")
    started = time.perf_counter()
    settings = services.settings
    run: _Run | None = None
    viewer: Viewer | None = None
    path: str | None = None
    # Reads run on the primary unless a resolver routes them (`resolvers/routing.py`).
    with (
        services.statements.track() as tally,
        limited_wait(settings.db_queue_timeout),
        read_from_primary(),
    ):
        try:
            run = await _admit(services, request)
            viewer = await services.authenticator.viewer_for(request.headers.get("authorization"))
            await _limit(services, request, run, viewer)
            body, cache_state, path = await _answer(services, request, run, viewer)
            response: Response = Response(body, media_type="application/json")
        except PoolTimeoutError:
            response, cache_state = error_response(_busy(services)), "BYPASS"
        except ApiError as error:
            response, cache_state = error_response(error), "BYPASS"
        response.headers["X-Cache"] = cache_state
        if path is not None:
            response.headers["X-Execution"] = path
            _compiled_execution(request).count(path)
        _cache_control(response, viewer, shared=_shareable(services, request, cache_state))
        response.headers["X-SQL-Statements"] = str(tally.count)
    _observe(
        services,
        request,
        run,
        status=response.status_code,
        seconds=time.perf_counter() - started,
        statements=tally.count,
        viewer=viewer,
    )
    return response


async def _admit(services: Services, request: Request) -> _Run:
    gql = await read_request(request, json_only=services.settings.requires_json)
    sha256 = persisted_hash(gql.extensions)
    document = await services.persisted.prepare(gql.query, sha256)
    admission = services.documents.admit(document, gql.operation_name, gql.variables)
    kind = admission.operation.kind
    if kind is OperationType.SUBSCRIPTION:
        raise BadRequestError("Subscriptions are not served over HTTP.")
    if kind is OperationType.MUTATION and request.method != "POST":
        raise MethodNotAllowedError("Mutations must be sent with POST.")
    return _Run(gql, document, admission, sha256 if gql.query is not None else None)


def _busy(services: Services) -> DatabaseBusyError:
    return DatabaseBusyError(max(1, math.ceil(services.settings.db_queue_timeout)))


async def _limit(services: Services, request: Request, run: _Run, viewer: Viewer) -> None:
    """The viewer's rate limits, then the registration of a persisted query sent with its text,
    which has a limit of its own: over it, the query runs unregistered."""
    address = request.client.host if request.client else None
    if run.document.ast is not None:
        fields = root_fields(run.document.ast, run.admission.operation.node)
        await services.limits.check(viewer, address, fields)
    sha256 = run.register_as
    if (
        sha256 is not None
        and services.persisted.registers
        and await services.limits.allows(viewer, address, {REGISTRATIONS: 1})
    ):
        await services.persisted.register(run.document, sha256)


def _shareable(services: Services, request: Request, cache_state: str) -> int:
    """Seconds a shared cache may keep the answer: anonymous GET queries that ran without
    errors (stored in, or served from, the operation cache), else 0."""
    if request.method != "GET" or cache_state not in ("HIT", "MISS"):
        return 0
    return services.settings.get_cache_max_age


def _cache_control(response: Response, viewer: Viewer | None, *, shared: int) -> None:
    signed_in = viewer is not None and viewer.is_authenticated
    if signed_in:
        response.headers["Cache-Control"] = "private, no-store"
    elif "Cache-Control" not in response.headers:  # refusals that set it (no-store) keep it
        ok = response.status_code == 200
        response.headers["Cache-Control"] = (
            f"public, max-age={shared}" if ok and shared > 0 else "no-cache"
        )
    response.headers["Vary"] = "Authorization"


def _wants_html(request: Request) -> bool:
    accept = request.headers.get("accept", "")
    params = request.query_params
    return "text/html" in accept or ("query" not in params and "extensions" not in params)


def _compiled_execution(request: Request) -> CompiledExecution:
    """The app's compiled path, made on first use: on only for the domain schema."""
    state = request.app.state
    found: CompiledExecution | None = getattr(state, "compiled_execution", None)
    if found is None:
        services: Services = state.services
        from api.schema import schema as domain

        on = (
            services.documents.schema is domain._schema  # pyright: ignore[reportPrivateUsage]
            and services.settings.execution is Execution.AUTO
        )
        found = CompiledExecution(
            services.documents.schema if on else None,
            services.metrics,
            log_plans=services.settings.log_plans,
        )
        state.compiled_execution = found
    return found


async def _answer(
    services: Services, request: Request, run: _Run, viewer: Viewer
) -> tuple[bytes, str, str]:
    cache = services.cache
    document = run.document
    executor = _compiled_execution(request)
    compiled = executor.prepare(document, run.admission, viewer)
    cacheable = (
        cache.enabled and run.kind is OperationType.QUERY and wants_cache(run.gql.extensions)
    )

    def context() -> Context:
        return Context.build(services, request, viewer, document)

    if not cacheable or document.cache_document is None:
        entry, busy, path, scope = await _execute(services, context, run, compiled, executor)
        if scope is not None and run.kind is OperationType.MUTATION:
            await cache.invalidate(_storable(scope.dirty_tags))
            if scope.dirty_tags:  # it wrote: later replica reads wait for it
                await services.freshness.mark(viewer)
        if busy:
            raise _busy(services)
        return entry.value, "BYPASS", path
    shared = compiled is not None and compiled.plan.shared  # platform-wide: one entry for all
    scope = "public" if shared else viewer.cache_scope
    key = operation_key(document.cache_document, run.gql.operation_name, run.gql.variables, scope)
    produced: list[Entry] = []
    paths: list[str] = []

    async def produce() -> Entry:
        entry, busy, path, _ = await _execute(services, context, run, compiled, executor)
        if busy:
            raise _busy(services)
        produced.append(entry)
        paths.append(path)
        return entry

    found = await cache.load(key, produce, level="operation")
    planned = RESOLVED if compiled is None else COMPILED
    return found.value, _cache_state(found, produced), paths[0] if paths else planned


def _cache_state(found: Lookup, produced: list[Entry]) -> str:
    """HIT, MISS (computed and stored) or BYPASS (computed with errors, so not stored)."""
    if found.hit:
        return "HIT"
    if produced:
        return "MISS" if produced[0].cacheable else "BYPASS"
    # Joined another request's computation: whether it was stored shows in its errors.
    answer = json.loads(found.value)
    return "BYPASS" if isinstance(answer, dict) and "errors" in answer else "MISS"


async def _execute(
    services: Services,
    make_context: Callable[[], Context],
    run: _Run,
    compiled: Compiled | None,
    executor: CompiledExecution,
) -> tuple[Entry, bool, str, RequestScope | None]:
    """The response, whether a statement waited out the pool (the answer is then 503), the
    path that answered, and the resolvers' request scope (None on the compiled path, which
    builds no context: no loaders). A compiled statement that fails for any other reason is
    logged and the resolvers answer instead: a planner bug costs speed, never an answer."""
    if compiled is not None:
        try:
            entry = await executor.run(
                services.db,
                compiled,
                lambda shared: services.freshness.floor(compiled.inputs.viewer, shared),
                default_ttl=services.settings.cache_default_ttl,
            )
            return replace(entry, tags=_storable(set(entry.tags))), False, COMPILED, None
        except PoolTimeoutError:
            raise
        except Exception:
            log.exception("compiled plan failed; answering from the resolvers")
    context = make_context()
    result = await services.schema.execute(
        run.document.query,
        variable_values=run.gql.variables,
        context_value=context,
        operation_name=run.admission.operation.name,
    )
    payload: dict[str, JsonValue] = {"data": result.data}
    if result.errors:
        payload["errors"] = [error.formatted for error in result.errors]
    if result.extensions:
        payload["extensions"] = result.extensions
    scope = context.scope
    entry = Entry(
        value=json.dumps(payload, separators=(",", ":"), default=str).encode(),
        ttl=scope.max_age if scope.max_age is not None else services.settings.cache_default_ttl,
        tags=_storable(scope.read_tags),
        cacheable=not result.errors,
    )
    busy = any((e.extensions or {}).get("code") == BUSY for e in result.errors or ())
    return entry, busy, RESOLVED, scope


def _storable(tags: set[str]) -> frozenset[str]:
    """Tags Redis can hold. One with a lone surrogate names an object that can't exist (ids
    from variables aren't checked before resolvers look them up), so no write invalidates it."""
    return frozenset(tag for tag in tags if not has_surrogate(tag))


def _observe(
    services: Services,
    request: Request,
    run: _Run | None,
    *,
    status: int,
    seconds: float,
    statements: int,
    viewer: Viewer | None,
) -> None:
    metrics = services.metrics
    name = metrics.operation_label(run.admission.operation.name) if run else "invalid"
    metrics.request_seconds.observe(seconds, operation=name)
    metrics.sql_statements.observe(statements, operation=name)
    metrics.requests.inc(operation=name, status=str(status))
    user_id = viewer.user_id if viewer else None
    services.recorder.record(name, request.method, status, seconds * 1000, user_id)
