"""Which document a request runs: its text, a trusted document, or an automatic persisted query.

Apollo's automatic persisted queries (APQ), as Apollo Client's persisted-queries link and urql's
`persistedExchange` speak them:

1. The client sends only `extensions.persistedQuery = {"version": 1, "sha256Hash": "<hex>"}`
   (POST, or GET with `extensions` in the URL so HTTP caches can keep the answer).
2. A hash nobody registered is answered `PersistedQueryNotFound` (HTTP 200, code
   `PERSISTED_QUERY_NOT_FOUND`: both clients match the message) and never stored by any cache.
3. The client sends the text with the same hash. A hash that isn't the text's sha256 is refused
   (`PERSISTED_QUERY_HASH_MISMATCH`); a document that parses, validates and fits the limits is
   registered (`register`, once the request is admitted and within its rate limits) and
   answered. From then on every process serves the hash alone.

Where a hash is looked up: first the document store's memo (any runnable document this process
prepared; content-addressed, so never wrong, and no network round trip), then the registry,
`apq:<sha256>` in the cache backend: Redis, shared by every process (entries live
`PERSISTED_QUERIES_TTL` seconds after their last registration), or process memory without
`REDIS_URL`. With Redis down the lookup is counted as an error and the memo alone answers: a
hash this process hasn't seen gets `PersistedQueryNotFound`, the client sends the text, and this
process remembers it. Nothing is lost but a round trip.

With `TRUSTED_DOCUMENTS` nothing is registered: only the trusted documents run, by text or by
hash. With `PERSISTED_QUERIES=false` a hash alone is answered `PersistedQueryNotSupported`,
which makes both clients stop sending hashes.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from api.cache import CacheBackend, CacheUnavailableError
from api.documents.prepared import DocumentStore, PreparedDocument, document_hash
from api.documents.trusted import TrustedDocuments
from api.errors import (
    BadRequestError,
    PersistedQueryHashMismatchError,
    PersistedQueryNotFoundError,
    PersistedQueryNotSupportedError,
    UntrustedDocumentError,
)
from api.metrics import Counter

if TYPE_CHECKING:
    from api.metrics import ApiMetrics

__all__ = ["APQ_VERSION", "PersistedDocuments", "is_sha256"]

APQ_VERSION = 1
_SHA256 = re.compile(r"[0-9a-f]{64}")


def is_sha256(text: str) -> bool:
    return _SHA256.fullmatch(text) is not None


class PersistedDocuments:
    """Resolves a request's `query` and persisted-query hash to a prepared document."""

    def __init__(
        self,
        documents: DocumentStore,
        metrics: ApiMetrics,
        *,
        trusted: TrustedDocuments | None,
        registry: CacheBackend | None,
        ttl: int,
    ) -> None:
        """`registry`: where automatic persisted queries are shared; None turns them off."""
        self._documents = documents
        self._trusted = trusted
        self._registry = registry
        self._ttl = ttl
        self.events = Counter(
            "api_persisted_queries_total",
            "automatic persisted query lookups and registrations by outcome (hit, miss, "
            "registered, error: the registry was unreachable)",
        )
        metrics.add(self.events)

    async def prepare(self, query: str | None, sha256: str | None) -> PreparedDocument:
        """The document to run. `sha256`: `extensions.persistedQuery.sha256Hash`, lower-cased."""
        if query is None and sha256 is None:
            raise BadRequestError('Send a JSON object with a "query" string.')
        if sha256 is not None and query is not None and document_hash(query) != sha256:
            raise PersistedQueryHashMismatchError(sha256, document_hash(query))
        if self._trusted is not None:
            return self._documents.prepare(self._trusted_text(query, sha256))
        if query is None:
            assert sha256 is not None
            return await self._by_hash(sha256)
        return self._documents.prepare(query)

    @property
    def registers(self) -> bool:
        """Whether documents sent with their hash are registered (APQ on, no trusted list)."""
        return self._registry is not None and self._trusted is None

    async def register(self, document: PreparedDocument, sha256: str) -> None:
        """Share `document` by its hash, once its request is admitted (limits included)."""
        if self._registry is None or self._trusted is not None:
            return
        if not document.runnable or document.sha256 != sha256:
            return
        value = document.query.encode("utf-8", "surrogatepass")
        try:
            await self._registry.store(_key(sha256), value, ttl=self._ttl, tags=(), seen=0)
        except CacheUnavailableError:
            self.events.inc(outcome="error")  # this process's memo still serves the hash
            return
        self.events.inc(outcome="registered")

    def _trusted_text(self, query: str | None, sha256: str | None) -> str:
        assert self._trusted is not None
        if query is not None:
            actual = sha256 or document_hash(query)
            if actual not in self._trusted:
                raise UntrustedDocumentError(actual)
            return query
        assert sha256 is not None
        text = self._trusted.get(sha256)
        if text is None:
            raise UntrustedDocumentError(sha256)
        return text

    async def _by_hash(self, sha256: str) -> PreparedDocument:
        if self._registry is None:
            raise PersistedQueryNotSupportedError()
        known = self._documents.known(sha256)
        if known is not None:
            self.events.inc(outcome="hit")
            return known
        try:
            stored, _ = await self._registry.get(_key(sha256))
        except CacheUnavailableError:
            self.events.inc(outcome="error")
            stored = None
        if stored is not None:
            document = self._documents.prepare(stored.decode("utf-8", "surrogatepass"))
            if document.sha256 == sha256 and document.runnable:
                self.events.inc(outcome="hit")
                return document
        self.events.inc(outcome="miss")
        raise PersistedQueryNotFoundError()


def _key(sha256: str) -> str:
    return f"apq:{sha256}"
