"""The projects domain compiled: one statement, the resolvers' bytes, the same access."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

from graphql.execution.values import VariableValues

from api.compiled.planner import Planner
from api.documents.prepared import DocumentLimits, DocumentStore
from api.schema import schema
from resolvers.pagination import encode_cursor
from resolvers.scope import Viewer, ViewerRole
from tests.compiled.conftest import VIEWERS, Paths
from tests.compiled.test_differential import first_difference

PROJECT = """
query Project($id: ID!, $files: String, $messages: String) {
  project(id: $id) {
    __typename id name description visibility projectType likes forks views featured
    createdAt updatedAt viewerHasLiked fileCount messageCount collaboratorCount
    owner { id name email }
    collaborators { __typename role since user { name email } }
    files(first: 2, after: $files) {
      edges { cursor node { id path content language size updatedAt } }
      pageInfo { hasNextPage endCursor }
    }
    messages(first: 2, after: $messages) {
      __typename
      nodes { id role content tokens createdAt author { name } }
      pageInfo { hasNextPage endCursor }
    }
  }
}
"""

LIST = """
query List($sort: ProjectSort!, $filter: ProjectFilterInput, $first: Int, $after: String) {
  projects(sort: $sort, filter: $filter, first: $first, after: $after) {
    edges { cursor node { id name views likes visibility collaborators { user { name } } } }
    nodes { name fileCount viewerHasLiked owner { name } }
    pageInfo { hasNextPage endCursor }
  }
}
"""

SORTS = ("TRENDING", "POPULAR", "MOST_FORKED", "RECENT", "FEATURED", "UPDATED")


async def _same(paths: Paths, query: str, variables: dict[str, object], user: str | None) -> Any:
    """Both paths' answer, asserted compiled and byte-identical; its `data`."""
    compiled, resolved = await paths.both(query, variables, user=user)
    assert compiled.headers["x-execution"] == "compiled", (variables, user)
    found = first_difference(compiled, resolved)
    assert found is None, (variables, user, found)
    body = json.loads(compiled.content)
    assert "errors" not in body, body
    return body["data"]


async def test_a_project_is_one_statement_with_the_resolvers_bytes(paths: Paths) -> None:
    public, private, unlisted = paths.world.alice_projects
    readers = {public: VIEWERS, private: ("alice", "bob"), unlisted: VIEWERS}
    seen: set[str | None] = {None}
    for project_id in (public, private, unlisted):
        for user in VIEWERS:
            compiled, _ = await paths.both(PROJECT, {"id": project_id}, user=user)
            # one statement, plus the bearer token's lookup the first time a viewer is seen
            assert compiled.headers["x-sql-statements"] == ("1" if user in seen else "2")
            seen.add(user)
            data = await _same(paths, PROJECT, {"id": project_id}, user)
            project = data["project"]
            # PRIVATE: only the owner and collaborators (an administrator is neither)
            assert (project is not None) == (user in readers[project_id]), (project_id, user)
            if project is None:
                continue
            files, messages = project["files"], project["messages"]
            # the next pages, from the compiled path's own end cursors
            after: dict[str, object] = {
                "id": project_id,
                "files": files["pageInfo"]["endCursor"],
                "messages": messages["pageInfo"]["endCursor"],
            }
            again = await _same(paths, PROJECT, after, user)
            assert again["project"] != project


async def test_file_cursors_escape_non_ascii_paths_as_json_dumps_does(paths: Paths) -> None:
    """Regression: PostgreSQL's `to_json` keeps `ü`, `🚀` and DEL as they are, Python's
    `json.dumps` escapes them, and a cursor is base64 of that JSON."""
    query = "query ($id: ID!) { project(id: $id) { files(first: 10) { edges { cursor } } } }"
    data = await _same(paths, query, {"id": paths.world.alice_projects[0]}, "alice")
    assert len(data["project"]["files"]["edges"]) == 5


async def test_every_sort_and_filter_lists_alike_page_by_page(paths: Paths) -> None:
    filters: list[object] = [
        None,
        {"mine": True},
        {"ownerId": "u_alice"},
        {"ownerId": "u_bob", "projectType": " WEB "},
        {"search": "Q"},
        {"search": "%"},
        {"search": "_"},
        {"projectType": "mobile", "search": "site"},
    ]
    for sort in SORTS:
        for flt in filters:
            for user in VIEWERS:
                if flt == {"mine": True} and user is None:
                    continue  # refused: sign-in required (below)
                variables: dict[str, object] = {"sort": sort, "filter": flt, "first": 1}
                seen = 0
                while True:
                    data = await _same(paths, LIST, variables, user)
                    listed = data["projects"]
                    seen += len(listed["nodes"])
                    if not listed["pageInfo"]["hasNextPage"]:
                        break
                    variables["after"] = listed["pageInfo"]["endCursor"]
                assert seen <= 7  # the usage seed's 3 projects and these 4


async def test_refusals_are_the_resolvers(paths: Paths) -> None:
    """Requests the resolvers refuse go to them, errors and all; a plan made for a non-empty
    text filter is not reused for an empty one (the resolvers ignore an empty filter)."""
    cases: list[tuple[dict[str, object], str | None]] = [
        ({"sort": "TRENDING", "filter": {"mine": True}}, None),
        ({"sort": "TRENDING", "first": 0}, "alice"),
        ({"sort": "TRENDING", "after": "bm9wZQ"}, "alice"),
        ({"sort": "RECENT", "filter": {"ownerId": "x\u0000"}}, "bob"),
        ({"sort": "RECENT", "filter": {"search": "   "}}, "bob"),
        ({"sort": "RECENT", "filter": {"projectType": "w" * 51}}, "bob"),
    ]
    for variables, user in cases:
        compiled, resolved = await paths.both(LIST, variables, user=user)
        assert compiled.headers["x-execution"] == "resolved", variables
        assert first_difference(compiled, resolved) is None, variables
    for project_type in ("web", "", "mobile", ""):
        variables: dict[str, object] = {"sort": "POPULAR", "filter": {"projectType": project_type}}
        compiled, resolved = await paths.both(LIST, variables, user="alice")
        assert first_difference(compiled, resolved) is None, project_type
        expected = "compiled" if project_type else "resolved"
        assert compiled.headers["x-execution"] == expected


async def test_lists_of_projects_without_collaborators_stay_compiled(paths: Paths) -> None:
    """Regression: a listed project without collaborators added an empty member to the cache
    tag list, which then failed to parse, and the resolvers answered instead."""
    query = "{ projects(sort: RECENT) { nodes { collaborators { user { name } } } } }"
    for user in VIEWERS:
        compiled, resolved = await paths.both(query, user=user)
        assert compiled.headers["x-execution"] == "compiled"
        assert compiled.content == resolved.content


ALIASED = """
query ($a: ID!, $b: ID!) {
  one: project(id: $a) { ...P files(first: 1) { nodes { path } } }
  two: project(id: $b) { ...P }
  top: projects(sort: POPULAR, first: 2) { nodes { ...P } pageInfo { endCursor } }
  new: projects(sort: RECENT, filter: {mine: true}) { edges { cursor node { id } } }
}
fragment P on Project {
  id name likes mine: viewerHasLiked n: fileCount owner { ... on User { name } }
}
"""


async def test_aliases_and_fragments_read_alike(paths: Paths) -> None:
    public, private, unlisted = paths.world.alice_projects
    for a, b in ((public, private), (private, unlisted), (unlisted, unlisted)):
        for user in VIEWERS[1:]:
            await _same(paths, ALIASED, {"a": a, "b": b}, user)


def test_values_are_bound_never_in_the_statement_text() -> None:
    """Literals in the document too: every value the request gives is a parameter."""
    updated = encode_cursor("UPDATED", datetime(2026, 1, 1, tzinfo=UTC), "m4project")
    path = encode_cursor("PATH", "m4path'", "m4file")
    query = f"""
    query ($o: ID!) {{
      a: projects(filter: {{ownerId: $o, search: "m4rker'%", projectType: "M4RKTYPE"}},
                  sort: UPDATED, first: 7, after: "{updated}") {{
        nodes {{ name files(first: 3, after: "{path}") {{ nodes {{ path }} }} }}
      }}
      b: project(id: "m4id'") {{ name viewerHasLiked }}
    }}
    """
    schema_ = schema._schema  # pyright: ignore[reportPrivateUsage]
    document = DocumentStore(schema_, DocumentLimits()).prepare(query)
    variables = {"o": "m4owner"}
    for viewer in (Viewer(), Viewer("m4viewer", ViewerRole.USER)):
        plan = Planner(schema_).plan(document, document.operation(None), variables, viewer)
        assert plan is not None
        params = plan.bind(plan.inputs(VariableValues({}, variables), viewer))
        assert "m4" not in plan.sql.lower()
        assert {"%m4rker'\\%%", "m4rktype", "m4owner", "m4project", "m4path'", "m4id'"} <= set(
            p for p in params if isinstance(p, str)
        )
        assert ("m4viewer" in params) == viewer.is_authenticated
