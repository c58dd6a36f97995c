"""GraphQL types of the dreams domain."""

from __future__ import annotations

from api.types.dreams.live import DreamProgressEvent, DreamSubscription
from api.types.dreams.objects import AiTest, Dashboard, DecayChart, DecayPoint, Dream, ProgressLog
from api.types.dreams.operations import DreamMutation, DreamQuery

__all__ = [
    "AiTest",
    "Dashboard",
    "DecayChart",
    "DecayPoint",
    "Dream",
    "DreamMutation",
    "DreamProgressEvent",
    "DreamQuery",
    "DreamSubscription",
    "ProgressLog",
]
