"""`RateLimiter.check(viewer, address, fields)`: refuse a request over its limits with a 429.

The subject is the signed-in user (`u:<id>`), or the client's network address when anonymous
(`ip:<address>`: the socket's peer, or what uvicorn's proxy headers say when the proxy is in
`FORWARDED_ALLOW_IPS`). What a request takes is `LimitPolicy.buckets`' to say.

When the store can't answer (Redis down or slow), the request goes through: limits protect the
service, and refusing everyone because the limiter is down would be the outage they exist to
prevent. Each such request is counted (`api_rate_limit_checks_total{outcome="unavailable"}`).
"""

from __future__ import annotations

import math
from collections import Counter as Tally
from collections.abc import Mapping
from typing import TYPE_CHECKING

from graphql import (
    DocumentNode,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    InlineFragmentNode,
    OperationDefinitionNode,
    SelectionSetNode,
)

from api.errors import ApiError
from api.limits.rates import Bucket, LimitPolicy
from api.limits.store import (
    LimitStore,
    LimitStoreUnavailableError,
    MemoryLimitStore,
    RedisLimitStore,
)
from api.metrics import ApiMetrics, Counter
from orm.runtime.types import JsonValue
from resolvers.scope import Viewer

if TYPE_CHECKING:
    from api.settings import Settings

__all__ = ["REGISTRATIONS", "RateLimitedError", "RateLimiter", "build_limiter", "root_fields"]

REGISTRATIONS = "persistedQueries"  # the bucket automatic persisted query registrations take from


class RateLimitedError(ApiError):
    status_code = 429
    code = "RATE_LIMITED"

    def __init__(self, bucket: Bucket, retry_after: float) -> None:
        self.retry_after = max(1, math.ceil(retry_after))
        rate = bucket.rate.describe()
        what = "requests" if bucket.name == "all" else f"`{bucket.name}` requests"
        if bucket.cost > bucket.rate.limit:  # waiting won't help
            message = (
                f"The operation selects `{bucket.name}` {bucket.cost} times, more than the "
                f"{rate} allowed per viewer: split it into smaller operations."
            )
        else:
            message = f"Too many {what}: at most {rate} per viewer. Try again in "
            message += f"{self.retry_after} s."
        super().__init__(message)
        self.bucket = bucket
        self.headers["Retry-After"] = str(self.retry_after)
        self.headers["Cache-Control"] = "no-store"

    def errors(self) -> list[JsonValue]:
        rate = self.bucket.rate
        extensions: dict[str, JsonValue] = {
            "code": self.code,
            "retryAfter": self.retry_after,
            "limit": rate.limit,
            "period": rate.seconds,
            "scope": self.bucket.name,
        }
        return [{"message": self.message, "extensions": extensions}]


def root_fields(document: DocumentNode, operation: OperationDefinitionNode) -> dict[str, int]:
    """How often `operation` selects each root field (through fragments too; `__typename` is
    free). Validation has run, so every fragment exists and none spreads itself."""
    fragments = {
        d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)
    }
    counts: Tally[str] = Tally()
    pending: list[SelectionSetNode] = [operation.selection_set]
    while pending:
        for selection in pending.pop().selections:
            if isinstance(selection, FieldNode):
                if selection.name.value != "__typename":
                    counts[selection.name.value] += 1
            elif isinstance(selection, InlineFragmentNode):
                pending.append(selection.selection_set)
            elif isinstance(selection, FragmentSpreadNode):
                fragment = fragments.get(selection.name.value)
                if fragment is not None:
                    pending.append(fragment.selection_set)
    return dict(counts)


class RateLimiter:
    def __init__(self, store: LimitStore, policy: LimitPolicy, metrics: ApiMetrics) -> None:
        self.store = store
        self.policy = policy
        self.checks = Counter(
            "api_rate_limit_checks_total",
            "rate limit checks by outcome: allowed, limited, or unavailable (the store could "
            "not answer, so the request went through)",
        )
        self.limited = Counter(
            "api_rate_limited_total", "requests refused with 429, by the bucket that refused"
        )
        metrics.add(self.checks)
        metrics.add(self.limited)

    async def check(self, viewer: Viewer, address: str | None, fields: Mapping[str, int]) -> None:
        """Raises `RateLimitedError` when a bucket of the request is empty."""
        refused = await self._take(viewer, address, fields)
        if refused is not None:
            raise RateLimitedError(*refused)

    async def allows(self, viewer: Viewer, address: str | None, fields: Mapping[str, int]) -> bool:
        """Whether the buckets of `fields` allow one more (taking from them if so)."""
        return await self._take(viewer, address, fields) is None

    async def _take(
        self, viewer: Viewer, address: str | None, fields: Mapping[str, int]
    ) -> tuple[Bucket, float] | None:
        """None when allowed, else the bucket that refused and the seconds to wait."""
        buckets = self.policy.buckets(fields)
        if not buckets:
            return None
        oversized = next((b for b in buckets if b.cost > b.rate.limit), None)
        if oversized is not None:
            return self._refused(oversized, oversized.rate.seconds)
        subject = f"u:{viewer.user_id}" if viewer.user_id else f"ip:{address or 'unknown'}"
        try:
            verdict = await self.store.take(subject, buckets)
        except LimitStoreUnavailableError:
            self.checks.inc(outcome="unavailable")
            return None
        if verdict.refused is None:
            self.checks.inc(outcome="allowed")
            return None
        return self._refused(verdict.refused, verdict.retry_after)

    def _refused(self, bucket: Bucket, retry_after: float) -> tuple[Bucket, float]:
        self.checks.inc(outcome="limited")
        self.limited.inc(bucket=bucket.name)
        return bucket, retry_after


def build_limiter(settings: Settings, metrics: ApiMetrics) -> RateLimiter:
    store: LimitStore
    if settings.redis_url:
        store = RedisLimitStore(
            settings.redis_url, prefix=settings.cache_prefix, timeout_ms=settings.redis_timeout_ms
        )
    else:
        store = MemoryLimitStore()
    policy = LimitPolicy(
        viewer=settings.rate_limit,
        per_field=settings.rate_limit_per_field,
        fields={
            REGISTRATIONS: settings.rate_limit_registrations,
            **dict(settings.rate_limit_fields),
        },
    )
    return RateLimiter(store, policy, metrics)
