"""Projects, their collaborators and likes. Popularity (likes, forks, views) follows a power law.

A project's `likes` counter is the number of its `project_likes` rows: one per distinct user who
is not its owner, so it is capped by the number of other users at small scales.
"""

from __future__ import annotations

import random
from collections.abc import Iterator, Sequence

from seed.context import DAY, HOUR, SeedContext, pareto_cum_weights, to_datetime
from seed.text import ADJECTIVES, NOUNS

__all__ = [
    "COLLABORATOR_COLUMNS",
    "COLUMNS",
    "LIKE_COLUMNS",
    "PROJECT_TYPES",
    "collaborator_rows",
    "like_rows",
    "rows",
]

COLUMNS: Sequence[str] = (
    "id",
    "user_id",
    "name",
    "description",
    "visibility",
    "project_type",
    "likes",
    "forks",
    "views",
    "featured",
    "created_at",
    "updated_at",
)
COLLABORATOR_COLUMNS: Sequence[str] = ("id", "project_id", "user_id", "role", "created_at")
LIKE_COLUMNS: Sequence[str] = ("project_id", "user_id", "created_at")

PROJECT_TYPES = ("web", "api", "mobile", "cli", "data", "game", "ml", "extension")
_TYPE_WEIGHTS = (34, 18, 12, 8, 9, 6, 9, 4)
_VISIBILITIES = ("PUBLIC", "UNLISTED", "PRIVATE")
_VISIBILITY_WEIGHTS = (35, 10, 55)
_ROLES = ("VIEWER", "EDITOR", "ADMIN")
_ROLE_WEIGHTS = (50, 40, 10)
_DESCRIPTIONS = (
    "A {t} project built pair-programming with AI.",
    "Experimenting with {t} ideas; rough around the edges.",
    "Production {t} app, rebuilt from scratch with AI chat.",
    None,
)

# owner (demo account index), name, visibility, type, likes, forks, views, featured
_DEMO_PROJECTS = (
    (0, "Dream Decay Dashboard", "PUBLIC", "web", 4200, 310, 98_000, True),
    (0, "Internal Admin Tools", "PRIVATE", "web", 0, 0, 12, False),
    (1, "Prompt Lab", "PUBLIC", "api", 860, 75, 15_400, False),
    (1, "Budget Tracker", "PRIVATE", "web", 0, 0, 40, False),
    (1, "Portfolio Site", "UNLISTED", "web", 12, 1, 300, False),
    (2, "Team Playbook", "PUBLIC", "data", 140, 22, 3_100, False),
    (3, "My First App", "PRIVATE", "mobile", 0, 0, 3, False),
)
_LIKES_AT_FULL_SCALE = 2_000
# (demo project index, demo account index, role)
_DEMO_COLLABORATORS = ((0, 2, "ADMIN"), (2, 2, "EDITOR"), (5, 1, "VIEWER"), (0, 1, "VIEWER"))


def _popularity(rng: random.Random, visibility: str) -> tuple[int, int, int, bool]:
    if visibility == "PRIVATE":
        return 0, 0, rng.randint(0, 30), False
    likes = min(250_000, int((rng.paretovariate(1.1) - 1.0) * 6))
    if visibility == "UNLISTED":
        likes //= 10
    forks = int(likes * rng.uniform(0.02, 0.15))
    views = int(likes * rng.uniform(10, 40)) + rng.randint(5, 400)
    featured = visibility == "PUBLIC" and likes >= 150 and rng.random() < 0.1
    return likes, forks, views, featured


def _scaled_likes(likes: int, users: int) -> int:
    """At most one like per user other than the owner. Below `_LIKES_AT_FULL_SCALE` users the
    power law is scaled down with the population, so small seeds keep its skew."""
    factor = min(1.0, (users - 1) / _LIKES_AT_FULL_SCALE)
    return max(0, min(users - 1, round(likes * factor)))


def _random_project(rng: random.Random) -> tuple[str, str, str, int, int, int, bool]:
    name = f"{rng.choice(ADJECTIVES)}-{rng.choice(NOUNS)}"
    if rng.random() < 0.5:
        name += f"-{rng.randint(2, 99)}"
    visibility = rng.choices(_VISIBILITIES, _VISIBILITY_WEIGHTS)[0]
    kind = rng.choices(PROJECT_TYPES, _TYPE_WEIGHTS)[0]
    return name, visibility, kind, *_popularity(rng, visibility)


def rows(ctx: SeedContext, count: int) -> Iterator[tuple[object, ...]]:
    """`count` projects, the demo accounts' first; records each in the context."""
    rng = ctx.rng("projects")
    new_id = ctx.ids("projects")
    users, pool = ctx.users, ctx.projects
    demo = [p for p in _DEMO_PROJECTS if p[0] < len(users)][:count]
    ctx.demo_projects = len(demo)
    owners = [p[0] for p in demo] + rng.choices(
        range(len(users)), cum_weights=users.cum_weights, k=count - len(demo)
    )
    pool.cum_weights = pareto_cum_weights(rng, count)
    for index, owner in enumerate(owners):
        if index < len(demo):
            name, visibility, kind, likes, forks, views, featured = demo[index][1:]
            pool.cum_weights[index:] = [w + 200.0 for w in pool.cum_weights[index:]]
        else:
            name, visibility, kind, likes, forks, views, featured = _random_project(rng)
        likes = _scaled_likes(likes, len(users))
        ctx.project_likes.append(likes)
        earliest = max(users.created[owner], ctx.now - 365 * DAY)
        created = rng.uniform(earliest, ctx.now - 6 * HOUR)
        project_id = new_id(created)
        pool.ids.append(project_id)
        pool.owners.append(owner)
        pool.created.append(created)
        ctx.project_kinds.append(kind)
        ctx.user_projects.setdefault(owner, []).append(index)
        ctx.project_members[index] = [owner]
        template = rng.choice(_DESCRIPTIONS)
        yield (
            project_id, users.ids[owner], name, template and template.format(t=kind), visibility,
            kind, likes, forks, views, featured, to_datetime(created),
            to_datetime(rng.uniform(created, ctx.now)),
        )  # fmt: skip


def like_rows(ctx: SeedContext) -> Iterator[tuple[object, ...]]:
    """As many likes per project as its counter says, by distinct users other than its owner,
    each made after both the project and the user existed."""
    rng = ctx.rng("project_likes")
    users, projects = ctx.users, ctx.projects
    for project, count in enumerate(ctx.project_likes):
        if not count:
            continue
        owner = projects.owners[project]
        likers = rng.sample(range(len(users) - 1), count)
        for liker in likers:
            user = liker + 1 if liker >= owner else liker  # every index but the owner's
            earliest = max(projects.created[project], users.created[user])
            at = to_datetime(rng.uniform(earliest, ctx.now))
            yield projects.ids[project], users.ids[user], at


def _pairs(ctx: SeedContext, rng: random.Random, count: int) -> list[tuple[int, int, str]]:
    """(project, user, role) triples: the demo collaborations, then random distinct pairs."""
    n_users = len(ctx.users)
    pairs = [
        (project, user, role)
        for project, user, role in _DEMO_COLLABORATORS
        if project < ctx.demo_projects and user < n_users
    ][:count]
    seen = {(p, u) for p, u, _ in pairs}
    attempts = 0
    while len(pairs) < count and attempts < count * 20 and n_users > 1:
        attempts += 1
        project = rng.choices(range(len(ctx.projects)), cum_weights=ctx.projects.cum_weights)[0]
        user = rng.randrange(n_users)
        if user == ctx.projects.owners[project] or (project, user) in seen:
            continue
        seen.add((project, user))
        pairs.append((project, user, rng.choices(_ROLES, _ROLE_WEIGHTS)[0]))
    return pairs


def collaborator_rows(ctx: SeedContext, count: int) -> Iterator[tuple[object, ...]]:
    rng = ctx.rng("project_collaborators")
    new_id = ctx.ids("project_collaborators")
    for project, user, role in _pairs(ctx, rng, count):
        created = max(ctx.projects.created[project], ctx.users.created[user])
        ts = rng.uniform(created, ctx.now)
        at = to_datetime(ts)
        ctx.project_members[project].append(user)
        yield new_id(ts), ctx.projects.ids[project], ctx.users.ids[user], role, at
