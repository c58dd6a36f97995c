"""The committed ORM test client against the runtime it calls: the contract still lines up."""

from __future__ import annotations

import inspect

from orm.runtime import BaseClient, ModelActions
from tests.orm.generated.client import Prisma, actions, models
from tests.orm.generated.client._schema import DATAMODEL


def test_client_forwards_every_runtime_option() -> None:
    runtime = inspect.signature(BaseClient.__init__).parameters
    generated = inspect.signature(Prisma.__init__).parameters
    expected = {name: p.default for name, p in runtime.items() if name not in ("self", "schema")}
    assert {name: p.default for name, p in generated.items() if name != "self"} == expected


def test_one_delegate_per_model_on_client_and_batch() -> None:
    db = Prisma(datasource={"url": "postgresql://nobody@127.0.0.1:1/none"})
    batch = db.batch_()
    for model in DATAMODEL["models"]:
        name = "account" if model["name"] == "User" else model["name"].lower()
        delegate: object = getattr(db, name)
        assert type(delegate) is getattr(actions, f"{model['name']}Actions")
        assert issubclass(type(delegate), ModelActions)
        assert type(getattr(batch, name)) is getattr(actions, f"{model['name']}BatchActions")


def test_models_hydrate_nested_relations() -> None:
    post = models.Post.model_validate(
        {
            "id": "p1",
            "title": "t",
            "published": False,
            "views": 0,
            "authorId": "u1",
            "createdAt": "2024-01-01T00:00:00Z",
            "comments": [
                {"id": 1, "content": "c", "postId": "p1", "createdAt": "2024-01-01T00:00:00Z"}
            ],
        }
    )
    assert post.comments is not None
    assert isinstance(post.comments[0], models.Comment)
    assert post.author is None
    assert models.Post.__prisma_model__ == "Post"
