"""Review: every list a client can ask for is bounded by the page-size cap (at most 100)."""

from __future__ import annotations

import pytest

from tests.api import domain_fixtures
from tests.api.conftest import Api
from tests.api.domain_fixtures import ALICE, Seed, data_of

domain_api = domain_fixtures.domain_api
domain_database = domain_fixtures.domain_database


@pytest.mark.xfail(
    strict=True,
    reason="api/types/projects/objects.py: Project.files is a plain list of every file with "
    "its content (up to 1 MB each, no count limit per project), not a connection capped at "
    "100 like the other lists",
)
async def test_a_projects_files_are_capped_like_every_other_list(domain_api: Api) -> None:
    project = await Seed(domain_api.services.db).project(ALICE)
    await Seed(domain_api.services.db).files(project, 101)
    query = "query ($id: ID!) { project(id: $id) { files { path } } }"

    files = data_of(await domain_api.query(query, {"id": project}))["project"]["files"]

    assert len(files) <= 100
