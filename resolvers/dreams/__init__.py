"""The dreams domain: dreams, their AI tests, progress snapshots and decay charts."""

from __future__ import annotations

from resolvers.dreams.progress import (
    ChartBucket,
    ChartRange,
    Dashboard,
    DashboardEntry,
    DecayChart,
    DecayPoint,
    resolve_dashboard,
    resolve_decay_chart,
)
from resolvers.dreams.reads import (
    DreamFilter,
    resolve_ai_test_stats,
    resolve_ai_tests,
    resolve_dream,
    resolve_dreams,
    resolve_latest_progress,
)
from resolvers.dreams.writes import (
    AiTestDraft,
    DreamChanges,
    DreamDraft,
    RecordedTest,
    archive_dream,
    create_dream,
    delete_dream,
    record_ai_test,
    update_dream,
)

__all__ = [
    "AiTestDraft",
    "ChartBucket",
    "ChartRange",
    "Dashboard",
    "DashboardEntry",
    "DecayChart",
    "DecayPoint",
    "DreamChanges",
    "DreamDraft",
    "DreamFilter",
    "RecordedTest",
    "archive_dream",
    "create_dream",
    "delete_dream",
    "record_ai_test",
    "resolve_ai_test_stats",
    "resolve_ai_tests",
    "resolve_dashboard",
    "resolve_decay_chart",
    "resolve_dream",
    "resolve_dreams",
    "resolve_latest_progress",
    "update_dream",
]
