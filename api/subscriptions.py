"""`/graphql` over websockets: subscriptions with the `graphql-transport-ws` protocol.

Strawberry's ASGI view speaks the protocol; around it:

- **Auth on `connection_init`.** The payload's `Authorization` (`Bearer <token>`, as GraphiQL
  sends its headers and graphql-ws clients their `connectionParams`) or, without one, the
  handshake's `Authorization` header. A token no user has closes the socket with 4403; no
  token is an anonymous viewer, who may subscribe to public dreams. Opening a connection takes
  one request from the viewer's rate limit (`rate_limit`); over it the socket closes with 4429
  and the wait in the reason, before any acknowledgement.
- **Subscriptions only.** Queries and mutations belong on `POST /graphql`, where the operation
  cache, metrics and limits apply; over the socket they get an error naming that.
- **Rate limits** (`api/limits`): each `subscribe` message takes from the viewer's and the
  root fields' buckets, as a request to `/graphql` does; over them, an error with code
  `RATE_LIMITED` and `retryAfter` (the connection stays open).
- **A per-connection limit** of `MAX_SUBSCRIPTIONS` running subscriptions; one more gets an
  error (code `TOO_MANY_SUBSCRIPTIONS`) and the others go on.
- **A context per connection** whose `scope` is replaced with a fresh one (new loaders) for
  each update a subscription sends, so nothing memoized outlives the event that read it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import timedelta
from typing import TYPE_CHECKING, cast

from graphql import GraphQLError, GraphQLFormattedError, OperationType
from starlette.websockets import WebSocket
from strawberry.asgi import GraphQL
from strawberry.subscriptions import GRAPHQL_TRANSPORT_WS_PROTOCOL
from strawberry.subscriptions.protocols.graphql_transport_ws.handlers import (
    BaseGraphQLTransportWSHandler,
)
from strawberry.subscriptions.protocols.graphql_transport_ws.types import (
    ConnectionInitMessage,
    ErrorMessage,
    SubscribeMessage,
)
from strawberry.types.unset import UNSET, UnsetType

from api.cache import describe
from api.errors import ApiError
from api.limits.limiter import RateLimitedError, root_fields
from resolvers.scope import RequestScope, Viewer

if TYPE_CHECKING:
    import strawberry
    from starlette.requests import Request
    from starlette.responses import Response

    from api.context import Services
    from api.live import DreamEvents

__all__ = ["MAX_SUBSCRIPTIONS", "SocketContext", "subscriptions_app"]

MAX_SUBSCRIPTIONS = 20


@dataclass(slots=True)
class SocketContext:
    """`info.context` of every operation on one websocket connection."""

    services: Services
    request: WebSocket
    events: DreamEvents
    viewer: Viewer = field(default_factory=Viewer)
    connection_params: dict[str, object] = field(default_factory=dict[str, object])
    scope: RequestScope = field(init=False)

    def __post_init__(self) -> None:
        self.new_scope()

    def new_scope(self) -> RequestScope:
        services = self.services
        self.scope = RequestScope(
            db=services.db,
            loaders=services.loaders(services.db),
            cache=services.cache,
            viewer=self.viewer,
        )
        return self.scope


def _bearer(context: SocketContext) -> str | None:
    params = context.connection_params
    for key in ("Authorization", "authorization"):
        value = params.get(key)
        if isinstance(value, str):
            return value
    return context.request.headers.get("authorization")


def _error(message: str, code: str) -> GraphQLFormattedError:
    return GraphQLError(message, extensions={"code": code}).formatted


async def _rate_limited(
    context: SocketContext, payload: Mapping[str, object]
) -> GraphQLFormattedError | None:
    """The rate limits of `/graphql`, per subscribe message: the viewer's and each root field's
    (`dreamProgress`). A document that can't run takes from the viewer's only."""
    services = context.services
    query, name = payload.get("query"), payload.get("operationName")
    fields: dict[str, int] = {}
    if isinstance(query, str):
        document = services.documents.prepare(query)
        if document.ast is not None and document.runnable:
            try:
                operation = document.operation(name if isinstance(name, str) else None)
            except ApiError:
                pass
            else:
                fields = root_fields(document.ast, operation.node)
    client = context.request.client
    try:
        await services.limits.check(context.viewer, client.host if client else None, fields)
    except RateLimitedError as error:
        return cast("GraphQLFormattedError", error.errors()[0])
    return None


def _params(payload: object) -> dict[str, object] | None:
    """`connection_init`'s payload (JSON from the wire, whatever its declared type): a dict, or
    None when it is something else (the protocol's handler then closes with 4400)."""
    if payload is None:
        return {}
    return cast("dict[str, object]", payload) if isinstance(payload, dict) else None


async def _open(context: SocketContext, payload: dict[str, object]) -> tuple[int, str] | None:
    """Authenticate the socket's viewer and take one request from their rate limit (the
    viewer's bucket, as a request to `/graphql` does), before the connection is acknowledged;
    the close code and reason when it is refused: 4403 for a token no user has, 4429 (the
    protocol's "too many") over the limit, with the wait in the reason."""
    context.connection_params = payload
    services = context.services
    try:
        context.viewer = await services.authenticator.viewer_for(_bearer(context))
    except ApiError:
        return 4403, "Forbidden"
    client = context.request.client
    try:
        await services.limits.check(context.viewer, client.host if client else None, {})
    except RateLimitedError as error:
        return 4429, f"Too many requests: try again in {error.retry_after} s"
    return None


class _Handler(BaseGraphQLTransportWSHandler[SocketContext, None]):
    async def handle_connection_init(self, message: ConnectionInitMessage) -> None:
        payload = _params(message.get("payload"))
        if payload is not None and not self.connection_init_received:
            refusal = await _open(self.context, payload)
            if refusal is not None:
                await self.websocket.close(*refusal)
                return
        await super().handle_connection_init(message)  # the protocol's checks, then the ack

    async def handle_subscribe(self, message: SubscribeMessage) -> None:
        if not self.connection_acknowledged or message["id"] in self.operations:
            await super().handle_subscribe(message)  # closes the socket, as the protocol says
            return
        payload = message["payload"]
        document = describe(payload.get("query", ""))
        kind = document.operation_type(payload.get("operationName")) if document else None
        refusal = None
        if kind in (OperationType.QUERY, OperationType.MUTATION):
            refusal = _error(
                "This socket serves subscriptions: send queries and mutations to POST /graphql.",
                "BAD_REQUEST",
            )
        elif len(self.operations) >= MAX_SUBSCRIPTIONS:
            refusal = _error(
                f"A connection may run {MAX_SUBSCRIPTIONS} subscriptions at once: complete one "
                "first, or open another connection.",
                "TOO_MANY_SUBSCRIPTIONS",
            )
        else:
            refusal = await _rate_limited(self.context, payload)
        if refusal is not None:
            await self.send_message(ErrorMessage(id=message["id"], type="error", payload=[refusal]))
            return
        await super().handle_subscribe(message)


class _Subscriptions(GraphQL[SocketContext, None]):
    graphql_transport_ws_handler_class = _Handler

    async def get_context(
        self, request: Request | WebSocket, response: Response | WebSocket
    ) -> SocketContext:
        assert isinstance(request, WebSocket)  # the route only takes websockets
        services: Services = request.app.state.services
        return SocketContext(services=services, request=request, events=request.app.state.live)

    async def on_ws_connect(self, context: SocketContext) -> UnsetType | dict[str, object] | None:
        context.new_scope()  # for the viewer `_Handler.handle_connection_init` authenticated
        return UNSET


def subscriptions_app(schema: strawberry.Schema) -> _Subscriptions:
    """The ASGI app for `WebSocketRoute("/graphql", ...)`."""
    return _Subscriptions(
        schema,
        graphql_ide=None,
        subscription_protocols=(GRAPHQL_TRANSPORT_WS_PROTOCOL,),
        connection_init_wait_timeout=timedelta(seconds=10),
        max_subscriptions_per_connection=None,  # ours, with a code: see _Handler
    )
