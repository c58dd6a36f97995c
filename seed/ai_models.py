"""AI models: real-looking names, providers and per-1k-token prices.

`strength` (0-1) is the seed's notion of how capable a model is: stronger models start lower on a
dream's impossibility scale, lose impossibility faster over time and answer with more confidence.
`popularity` weights how often tests and requests pick the model.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal

from seed.context import SeedContext

__all__ = ["ACTIVE_MODELS", "COLUMNS", "MODELS", "ModelSpec", "rows"]


@dataclass(frozen=True, slots=True)
class ModelSpec:
    provider: str
    name: str
    display_name: str
    max_tokens: int
    cost_per_1k: Decimal
    strength: float
    popularity: float
    capabilities: tuple[str, ...]
    is_active: bool = True

    @property
    def price(self) -> float:
        return float(self.cost_per_1k)


# provider, name, display name, max tokens, $ per 1k tokens, strength, popularity, capabilities
_TABLE = (
    ("OPENAI", "gpt-4o", "GPT-4o", 128_000, "0.005", 0.82, 9, "chat reasoning vision tools"),
    ("OPENAI", "gpt-4o-mini", "GPT-4o mini", 128_000, "0.00015", 0.55, 8, "chat tools"),
    ("OPENAI", "o1", "OpenAI o1", 200_000, "0.015", 0.93, 3, "chat reasoning math"),
    ("OPENAI", "o3-mini", "OpenAI o3-mini", 200_000, "0.0011", 0.86, 4, "reasoning math code"),
    ("OPENAI", "gpt-4-turbo", "GPT-4 Turbo", 128_000, "0.01", 0.7, 1, "chat reasoning"),
    (
        "ANTHROPIC",
        "claude-3-5-sonnet-20241022",
        "Claude 3.5 Sonnet",
        200_000,
        "0.003",
        0.88,
        8,
        "chat reasoning vision code tools",
    ),
    (
        "ANTHROPIC",
        "claude-3-5-haiku-20241022",
        "Claude 3.5 Haiku",
        200_000,
        "0.0008",
        0.6,
        5,
        "chat code",
    ),
    (
        "ANTHROPIC",
        "claude-3-opus-20240229",
        "Claude 3 Opus",
        200_000,
        "0.015",
        0.8,
        2,
        "chat reasoning vision",
    ),
    (
        "GOOGLE",
        "gemini-1.5-pro",
        "Gemini 1.5 Pro",
        2_000_000,
        "0.00125",
        0.78,
        5,
        "chat reasoning vision long-context",
    ),
    (
        "GOOGLE",
        "gemini-2.0-flash",
        "Gemini 2.0 Flash",
        1_000_000,
        "0.0001",
        0.66,
        6,
        "chat vision tools",
    ),
    ("GOOGLE", "gemini-1.0-pro", "Gemini 1.0 Pro", 32_000, "0.0005", 0.4, 1, "chat"),
    (
        "META",
        "llama-3.1-405b-instruct",
        "Llama 3.1 405B",
        128_000,
        "0.003",
        0.74,
        3,
        "chat reasoning",
    ),
    ("META", "llama-3.3-70b-instruct", "Llama 3.3 70B", 128_000, "0.0006", 0.62, 4, "chat"),
    ("MISTRAL", "mistral-large-2411", "Mistral Large", 128_000, "0.002", 0.7, 3, "chat code"),
    ("MISTRAL", "mistral-small-2409", "Mistral Small", 32_000, "0.0002", 0.45, 2, "chat"),
    ("XAI", "grok-2-1212", "Grok 2", 131_072, "0.002", 0.72, 2, "chat reasoning vision"),
    ("DEEPSEEK", "deepseek-v3", "DeepSeek V3", 64_000, "0.00027", 0.76, 4, "chat code"),
    ("DEEPSEEK", "deepseek-r1", "DeepSeek R1", 64_000, "0.00055", 0.87, 3, "reasoning math"),
)
_RETIRED = frozenset({"gpt-4-turbo", "gemini-1.0-pro"})

MODELS: tuple[ModelSpec, ...] = tuple(
    ModelSpec(
        provider,
        name,
        display,
        max_tokens,
        Decimal(cost),
        strength,
        popularity,
        tuple(caps.split()),
        is_active=name not in _RETIRED,
    )
    for provider, name, display, max_tokens, cost, strength, popularity, caps in _TABLE
)
ACTIVE_MODELS: tuple[ModelSpec, ...] = tuple(m for m in MODELS if m.is_active)


COLUMNS: Sequence[str] = (
    "id",
    "provider",
    "name",
    "display_name",
    "max_tokens",
    "cost_per_1k_tokens",
    "is_active",
    "capabilities",
    "created_at",
)


def rows(ctx: SeedContext) -> Iterator[tuple[object, ...]]:
    new_id = ctx.ids("ai_models")
    created = ctx.anchor - timedelta(days=180)
    for spec in MODELS:
        yield (
            new_id(created.timestamp()),
            spec.provider,
            spec.name,
            spec.display_name,
            spec.max_tokens,
            spec.cost_per_1k,
            spec.is_active,
            list(spec.capabilities),
            created,
        )
