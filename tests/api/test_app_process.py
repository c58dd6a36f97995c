"""An app built inside another process (a test, an embedding program) leaves that process's
garbage collector as it found it; only `server_app`, what `python -m api` serves, tunes it."""

from __future__ import annotations

import gc

from tests.api.conftest import RunApi


async def test_an_app_started_in_process_leaves_the_collector_alone(run_api: RunApi) -> None:
    thresholds, frozen = gc.get_threshold(), gc.get_freeze_count()
    async with run_api() as api:
        response = await api.client.get("/health")
    assert response.status_code == 200
    assert (gc.get_threshold(), gc.get_freeze_count()) == (thresholds, frozen)
