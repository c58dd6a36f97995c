"""Per-request DataLoaders, one typed container built from the client.

`api/context.py` builds `Loaders(db)` once per request, so batches and memoized results never
outlive the request (and never leak between viewers). Attribute names are the loader class
names in snake_case without `Loader`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from loaders.dreams import (
    AiTestStatsByDreamIdLoader,
    DecayPointsByDreamIdLoader,
    DreamByIdLoader,
    LatestProgressByDreamIdLoader,
    RecentAiTestsByDreamIdLoader,
)
from loaders.projects import (
    CollaboratorsByProjectIdLoader,
    FirstFilesByProjectIdLoader,
    LikedByProjectAndUserIdLoader,
    ProjectByIdLoader,
    ProjectCountsByProjectIdLoader,
    RecentMessagesByProjectIdLoader,
)
from loaders.users import UserByIdLoader

if TYPE_CHECKING:
    from loaders.cache import ResultCache
    from prisma import Prisma

__all__ = ["Loaders"]


class Loaders:
    __slots__ = (
        "ai_test_stats_by_dream_id",
        "collaborators_by_project_id",
        "decay_points_by_dream_id",
        "dream_by_id",
        "first_files_by_project_id",
        "latest_progress_by_dream_id",
        "liked_by_project_and_user_id",
        "project_by_id",
        "project_counts_by_project_id",
        "recent_ai_tests_by_dream_id",
        "recent_messages_by_project_id",
        "user_by_id",
    )

    def __init__(self, db: Prisma, cache: ResultCache | None = None) -> None:
        self.user_by_id = UserByIdLoader(db)
        self.dream_by_id = DreamByIdLoader(db)
        self.latest_progress_by_dream_id = LatestProgressByDreamIdLoader(db)
        self.ai_test_stats_by_dream_id = AiTestStatsByDreamIdLoader(db)
        self.recent_ai_tests_by_dream_id = RecentAiTestsByDreamIdLoader(db)
        self.decay_points_by_dream_id = DecayPointsByDreamIdLoader(db)
        self.project_by_id = ProjectByIdLoader(db)
        self.project_counts_by_project_id = ProjectCountsByProjectIdLoader(db)
        self.collaborators_by_project_id = CollaboratorsByProjectIdLoader(db)
        self.first_files_by_project_id = FirstFilesByProjectIdLoader(db)
        self.liked_by_project_and_user_id = LikedByProjectAndUserIdLoader(db)
        self.recent_messages_by_project_id = RecentMessagesByProjectIdLoader(db)
        if cache is not None:
            self.use_cache(cache)

    def use_cache(self, cache: ResultCache) -> None:
        """Let the loaders whose results are cached across requests (decay charts) read and
        fill `cache`; resolvers pass the request's cache before using them."""
        self.decay_points_by_dream_id.use_cache(cache)

    def forget_dream(self, dream_id: str) -> None:
        """Drop what this request memoized about a dream, after a write changed it."""
        self.dream_by_id.clear(dream_id)
        self.latest_progress_by_dream_id.clear(dream_id)
        self.ai_test_stats_by_dream_id.clear(dream_id)
        self.recent_ai_tests_by_dream_id.clear_all()
        self.decay_points_by_dream_id.clear_all()

    def forget_project(self, project_id: str) -> None:
        self.project_by_id.clear(project_id)
        self.project_counts_by_project_id.clear(project_id)
        self.collaborators_by_project_id.clear(project_id)
        self.first_files_by_project_id.clear_all()
        self.liked_by_project_and_user_id.clear_all()
        self.recent_messages_by_project_id.clear_all()
