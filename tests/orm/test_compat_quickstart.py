"""prisma-client-py's documented async code runs unchanged against a client we generate.

The schema is the quickstart's (`docs/getting_started/quickstart.md`, with PostgreSQL as its
comment suggests); the script is the quickstart's `main()` followed by examples written the way
the reference pages (operations, batching, transactions, raw queries, errors) write them. It
runs in a subprocess with the generated `prisma` package on PYTHONPATH, as a user's app would.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from orm.runtime.engine.core import Engine
from orm.runtime.engine.observe import Observer
from orm.runtime.url import Overrides, resolve_settings

ROOT = Path(__file__).resolve().parents[2]

SCHEMA = """\
datasource db {
  // could be postgresql or mysql
  provider = "postgresql"
}

generator db {
  provider = "python -m orm.generator"
  output   = "./prisma"
}

model Post {
  id         String   @id @default(cuid())
  created_at DateTime @default(now())
  updated_at DateTime @updatedAt
  title      String
  published  Boolean
  desc       String?
}
"""

# What `prisma db push` creates for the model above.
DDL = """
CREATE TABLE "Post" (
    "id" TEXT NOT NULL,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMP(3) NOT NULL,
    "title" TEXT NOT NULL,
    "published" BOOLEAN NOT NULL,
    "desc" TEXT,
    CONSTRAINT "Post_pkey" PRIMARY KEY ("id")
)
"""

SCRIPT = """\
import asyncio
from prisma import Prisma, errors
from prisma.models import Post


async def main() -> None:
    db = Prisma()
    await db.connect()

    post = await db.post.create(
        {
            'title': 'Hello from prisma!',
            'desc': 'Prisma is a database toolkit and makes databases easy.',
            'published': True,
        }
    )
    print(f'created post: {post.json(indent=2, sort_keys=True)}')

    found = await db.post.find_unique(where={'id': post.id})
    assert found is not None
    print(f'found post: {found.json(indent=2, sort_keys=True)}')

    await db.disconnect()


async def operations() -> None:
    db = Prisma(auto_register=True)
    await db.connect()

    draft = await db.post.create(
        data={
            'title': 'Prisma drafts',
            'published': False,
        },
    )
    posts = await db.post.find_many(
        where={
            'title': {
                'contains': 'rism',
            },
        },
        order={'title': 'asc'},
    )
    print('find_many:', [post.title for post in posts])

    unpublished = await db.post.find_first(where={'published': False})
    assert unpublished is not None
    print('find_first:', unpublished.title, unpublished.desc)

    updated = await db.post.update(
        where={'id': draft.id},
        data={'published': True, 'desc': 'Now published'},
    )
    assert updated is not None
    print('update:', updated.published, updated.desc, updated.updated_at >= draft.updated_at)

    print('count:', await db.post.count(where={'published': True}))

    async with db.batch_() as batcher:
        batcher.post.create({'title': 'Batched 1', 'published': False})
        batcher.post.create({'title': 'Batched 2', 'published': False})
    print('batch:', await db.post.count(where={'title': {'startswith': 'Batched'}}))

    async with db.tx() as transaction:
        await transaction.post.update(where={'id': draft.id}, data={'title': 'Renamed'})
    try:
        async with db.tx() as transaction:
            await transaction.post.delete(where={'id': draft.id})
            raise ValueError('changed my mind')
    except ValueError:
        pass
    kept = await db.post.find_unique(where={'id': draft.id})
    assert kept is not None
    print('tx:', kept.title)

    raw = await db.query_raw(
        'SELECT * FROM "Post" WHERE published = $1 ORDER BY title', True, model=Post
    )
    print('query_raw:', [post.title for post in raw])
    first = await db.query_first(
        'SELECT count(*) AS n FROM "Post" WHERE title LIKE $1', 'Batched%'
    )
    print('query_first:', first)
    changed = await db.execute_raw(
        'UPDATE "Post" SET published = $1 WHERE published = $2', True, False
    )
    print('execute_raw:', changed)

    try:
        await db.post.create({'id': draft.id, 'title': 'Duplicate', 'published': True})
    except errors.UniqueViolationError:
        print('errors: UniqueViolationError')

    deleted = await db.post.delete(where={'id': draft.id})
    assert deleted is not None
    print('delete:', deleted.title)
    print('delete_many:', await db.post.delete_many(where={'title': {'startswith': 'Batched'}}))
    print('model count:', await Post.prisma().count())

    await db.disconnect()


if __name__ == '__main__':
    asyncio.run(main())
    asyncio.run(operations())
"""


def _generate(folder: Path) -> None:
    (folder / "schema.prisma").write_text(SCHEMA)
    subprocess.run(
        [sys.executable, "-m", "orm", "generate", "--schema", str(folder / "schema.prisma")],
        cwd=ROOT,
        check=True,
        capture_output=True,
        text=True,
    )
    assert (folder / "prisma" / "client.py").is_file()


async def _create_tables(url: str) -> None:
    engine = Engine(resolve_settings({"url": url}, Overrides(connection_limit=1)), Observer())
    await engine.open()
    try:
        await engine.executor.execute_raw(DDL, ())
    finally:
        await engine.close()


def _run(folder: Path, url: str) -> str:
    (folder / "main.py").write_text(SCRIPT)
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([str(folder), str(ROOT)]),
        "DATABASE_URL": url,
    }
    proc = subprocess.run(
        [sys.executable, "main.py"], cwd=folder, env=env, capture_output=True, text=True
    )
    assert proc.returncode == 0, proc.stderr
    return proc.stdout


def _json_after(label: str, lines: list[str]) -> dict[str, object]:
    start = lines.index(f"{label}: {{")
    end = lines.index("}", start)
    return json.loads("{" + "\n".join(lines[start + 1 : end + 1]))


async def test_documented_quickstart_and_operations_run_unchanged(
    tmp_path: Path, schema_url: str
) -> None:
    _generate(tmp_path)
    await _create_tables(schema_url)
    output = _run(tmp_path, schema_url)
    lines = output.splitlines()

    created = _json_after("created post", lines)
    found = _json_after("found post", lines)
    assert created == found
    assert list(created) == sorted(created)  # sort_keys=True
    assert created["title"] == "Hello from prisma!"
    assert created["desc"] == "Prisma is a database toolkit and makes databases easy."
    assert created["published"] is True
    assert str(created["id"]).startswith("c")

    rest = lines[lines.index("}", lines.index("found post: {")) + 1 :]
    assert rest == [
        "find_many: ['Hello from prisma!', 'Prisma drafts']",
        "find_first: Prisma drafts None",
        "update: True Now published True",
        "count: 2",
        "batch: 2",
        "tx: Renamed",
        "query_raw: ['Hello from prisma!', 'Renamed']",
        "query_first: {'n': 2}",
        "execute_raw: 2",
        "errors: UniqueViolationError",
        "delete: Renamed",
        "delete_many: 2",
        "model count: 1",
    ]
