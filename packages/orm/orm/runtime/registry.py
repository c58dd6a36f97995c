"""`register()` / `get_client()`: the client `Model.prisma()` uses, as in prisma-client-py."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, cast

from orm.runtime import errors

if TYPE_CHECKING:
    from orm.runtime.core import ClientCore

__all__ = ["get_client", "register", "unregister"]

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
