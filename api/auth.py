"""Bearer tokens to viewers.

A token is never stored: `users.api_token_hash` holds the hex sha256 of it. A verified token's
viewer (or the fact that a token is unknown) is remembered in process for `AUTH_CACHE_TTL`
seconds, so a revoked token keeps working for at most that long in each worker.
"""

from __future__ import annotations

import asyncio
import hashlib
import time
from collections import OrderedDict
from typing import TYPE_CHECKING

from api.errors import InvalidTokenError, ServiceUnavailableError
from orm.runtime.errors import PoolTimeoutError
from resolvers.scope import Viewer, ViewerRole

if TYPE_CHECKING:
    from orm.runtime.client import BaseClient

__all__ = ["ANONYMOUS", "Authenticator", "hash_token"]

ANONYMOUS = Viewer()

_USER_BY_TOKEN = "SELECT id, role::text AS role FROM users WHERE api_token_hash = $1"


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class Authenticator:
    def __init__(self, db: BaseClient, *, ttl: float = 30.0, max_entries: int = 10_000) -> None:
        self._db = db
        self._ttl = ttl
        self._max_entries = max_entries
        self._known: OrderedDict[str, tuple[Viewer | None, float]] = OrderedDict()
        self._pending: dict[str, asyncio.Future[Viewer | None]] = {}

    async def viewer_for(self, authorization: str | None) -> Viewer:
        """The viewer an `Authorization` header names; anonymous without one.

        Raises `InvalidTokenError` (401) for a malformed header or a token no user has.
        """
        if authorization is None or not authorization.strip():
            return ANONYMOUS
        scheme, _, token = authorization.strip().partition(" ")
        token = token.strip()
        if scheme.lower() != "bearer" or not token:
            raise InvalidTokenError("The Authorization header is not of the form `Bearer <token>`.")
        viewer = await self._lookup(hash_token(token))
        if viewer is None:
            raise InvalidTokenError("The bearer token does not belong to any user.")
        return viewer

    async def _lookup(self, digest: str) -> Viewer | None:
        known = self._known.get(digest)
        if known is not None and known[1] > time.monotonic():
            return known[0]
        pending = self._pending.get(digest)
        if pending is None:  # concurrent first requests with one token share one query
            pending = asyncio.ensure_future(self._fetch(digest))
            self._pending[digest] = pending
            pending.add_done_callback(lambda done: self._settled(digest, done))
        return await asyncio.shield(pending)

    def _settled(self, digest: str, done: asyncio.Future[Viewer | None]) -> None:
        self._pending.pop(digest, None)
        if not done.cancelled():
            done.exception()  # a failure whose requests all went away is not "never retrieved"

    async def _fetch(self, digest: str) -> Viewer | None:
        try:
            row = await self._db.query_first(_USER_BY_TOKEN, digest)
        except PoolTimeoutError:
            raise  # busy, not down: the endpoint answers 503 with Retry-After
        except Exception as exc:  # the database is down or overloaded: not the client's fault
            raise ServiceUnavailableError(
                "Your token could not be checked because the database is unavailable. "
                "Try again shortly."
            ) from exc
        now = time.monotonic()
        viewer = None
        if row is not None:
            role = ViewerRole.ADMIN if row["role"] == "ADMIN" else ViewerRole.USER
            viewer = Viewer(user_id=str(row["id"]), role=role)
        self._known[digest] = (viewer, now + self._ttl)
        self._known.move_to_end(digest)
        while len(self._known) > self._max_entries:
            self._known.popitem(last=False)
        return viewer
