"""`BatchBase`: `db.batch_()`, writes (and raw statements) queued and run in one transaction."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from types import TracebackType
from typing import TYPE_CHECKING, Self

from orm.runtime import errors
from orm.runtime.types import JsonValue

if TYPE_CHECKING:
    from orm.runtime.core import ClientCore

__all__ = ["BATCH_ACTIONS", "BatchBase", "BatchCore"]

BATCH_ACTIONS = frozenset(
    {"create", "create_many", "update", "update_many", "upsert", "delete", "delete_many"}
)


class BatchCore:
    """Queued writes, run in one transaction by `_commit()`; `BatchBase` (async) and
    `SyncBatchBase` (orm.runtime.sync) add the `commit()` and context manager of their client.

    `BatchActions._add` calls `_queue(model_name, action, args)`; `commit()` replays the queue
    through the client's own delegates (`_create(**args)`, ...) on one transaction, so a batch
    behaves exactly like the same calls made one by one inside `tx()`, and fails as a whole.
    """

    def __init__(self, client: ClientCore) -> None:
        self._client = client
        self._queued: list[tuple[str, str, Mapping[str, JsonValue]]] = []

    def execute_raw(self, query: str, *args: JsonValue) -> None:
        """Queue a raw statement, run in order with the queued writes."""
        self._queued.append(("", "execute_raw", {"query": query, "args": args}))

    def _queue(self, model_name: str, action: str, args: Mapping[str, JsonValue]) -> None:
        if action not in BATCH_ACTIONS:
            raise errors.InputError(
                f"`{action}` can't be batched; batches take {', '.join(sorted(BATCH_ACTIONS))}."
            )
        self._queued.append((model_name, action, args))

    async def _commit(self) -> None:
        queued, self._queued = self._queued, []
        if not queued:
            return
        runner = self._client._runner()  # pyright: ignore[reportPrivateUsage]
        async with runner.transaction() as executor:
            client = self._client._copy_bound(executor)  # pyright: ignore[reportPrivateUsage]
            delegates = client._delegates()  # pyright: ignore[reportPrivateUsage]
            for model_name, action, args in queued:
                if action == "execute_raw":
                    await client._execute_raw(args["query"], args["args"])  # pyright: ignore[reportPrivateUsage]
                    continue
                method: Callable[..., Awaitable[object]] = getattr(
                    delegates[model_name], f"_{action}"
                )
                await method(**args)


class BatchBase(BatchCore):
    """`async with db.batch_() as batcher:` queues writes, run in one transaction on exit."""

    async def commit(self) -> None:
        await self._commit()

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if exc is None:
            await self.commit()
