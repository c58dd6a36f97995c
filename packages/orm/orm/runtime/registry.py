"""`register()` / `get_client()`: the client `Model.prisma()` uses, as in prisma-client-py."""

from __future__ import annotations

from collections.abc import Callable, Generator
from contextlib import contextmanager
from typing import TYPE_CHECKING, cast

from orm.runtime import errors

if TYPE_CHECKING:
    from orm.runtime.core import ClientCore

__all__ = ["get_client", "register", "reset_client", "unregister", "unregister_client"]

_registered: ClientCore | Callable[[], ClientCore] | None = None


def register(client: ClientCore | Callable[[], ClientCore]) -> None:
    """Register the client (or a factory, called on every `get_client()`) for this process."""
    global _registered
    if _registered is not None:
        raise errors.ClientAlreadyRegisteredError()
    _registered = client


def get_client() -> ClientCore:
    from orm.runtime.core import ClientCore

    registered = _registered
    if registered is None:
        raise errors.ClientNotRegisteredError()
    if isinstance(registered, ClientCore):
        return registered
    client = cast(object, registered())
    if not isinstance(client, ClientCore):
        raise TypeError(
            f"The function given to register() returned {type(client).__name__}, not a client."
        )
    return client


def unregister() -> None:
    """Forget the registered client (tests; a worker that rebuilds its client)."""
    global _registered
    _registered = None


def unregister_client() -> None:
    """prisma-client-py's `prisma.testing.unregister_client()`: forget the registered client,
    raising `ClientNotRegisteredError` when there is none."""
    global _registered
    if _registered is None:
        raise errors.ClientNotRegisteredError()
    _registered = None


@contextmanager
def reset_client(
    new_client: ClientCore | Callable[[], ClientCore] | None = None,
) -> Generator[None]:
    """prisma-client-py's `prisma.testing.reset_client()`: register `new_client` (or nothing)
    for the block, then put the registered client back, even when the block raises."""
    global _registered
    previous = _registered
    if previous is None:
        raise errors.ClientNotRegisteredError()
    _registered = new_client
    try:
        yield
    finally:
        _registered = previous
