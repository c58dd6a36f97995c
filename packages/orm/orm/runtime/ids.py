"""Collision-resistant ids for `@default(cuid())`, in Prisma's cuid (v1) format.

`c` + timestamp (8 base-36 digits) + counter (4) + host fingerprint (4) + randomness (8) =
25 lowercase characters that sort roughly by creation time. The counter makes ids unique within
one process even in the same millisecond; the fingerprint (pid and hostname) and 8 digits from
`secrets` keep separate processes and machines apart.
"""

from __future__ import annotations

import os
import secrets
import socket
import threading
import time

__all__ = ["cuid"]

_BASE = 36
_BLOCK = 4
_DISCRETE = _BASE**_BLOCK
_DIGITS = "0123456789abcdefghijklmnopqrstuvwxyz"

_lock = threading.Lock()
_counter = secrets.randbelow(_DISCRETE)


def _base36(number: int) -> str:
    if number == 0:
        return "0"
    out: list[str] = []
    while number:
        number, rem = divmod(number, _BASE)
        out.append(_DIGITS[rem])
    return "".join(reversed(out))


def _pad(text: str, size: int) -> str:
    return text.rjust(size, "0")[-size:]


def _fingerprint() -> str:
    pid = _pad(_base36(os.getpid()), 2)
    host = socket.gethostname()
    host_sum = sum(ord(ch) for ch in host) + len(host) + _BASE
    return pid + _pad(_base36(host_sum), 2)


_FINGERPRINT = _fingerprint()


def _next_count() -> int:
    global _counter
    with _lock:
        _counter = (_counter + 1) % _DISCRETE
        return _counter


def cuid() -> str:
    timestamp = _pad(_base36(int(time.time() * 1000)), 8)
    counter = _pad(_base36(_next_count()), _BLOCK)
    fingerprint = _FINGERPRINT if os.getpid() == _PID else _fingerprint()
    random_block = _pad(_base36(secrets.randbelow(_DISCRETE * _DISCRETE)), 2 * _BLOCK)
    return "c" + timestamp + counter + fingerprint + random_block


_PID = os.getpid()
