"""Word pools for realistic-looking names, titles and prose."""

from __future__ import annotations

__all__ = [
    "ADJECTIVES",
    "FIRST_NAMES",
    "LAST_NAMES",
    "NOUNS",
    "SENTENCES",
]

FIRST_NAMES = (
    "Ava", "Liam", "Maya", "Noah", "Zoe", "Ethan", "Isla", "Lucas", "Mia", "Omar", "Priya",
    "Kenji", "Sofia", "Mateo", "Amara", "Leo", "Chloe", "Ravi", "Elena", "Jonas", "Aisha",
    "Hugo", "Nora", "Felix", "Yara", "Diego", "Hana", "Marco", "Lena", "Tariq", "Ines", "Sven",
    "Mei", "Kofi", "Lucia", "Arjun", "Freya", "Tomas", "Nadia", "Oscar",
)  # fmt: skip
LAST_NAMES = (
    "Nguyen", "Smith", "Garcia", "Kim", "Patel", "Müller", "Rossi", "Silva", "Cohen", "Tanaka",
    "Okafor", "Larsen", "Dubois", "Novak", "Ivanova", "Haddad", "Moreau", "Santos", "Kowalski",
    "Andersen", "Chen", "Fischer", "Lopez", "Singh", "Brown", "Yilmaz", "Mensah", "Sato",
    "Romero", "Weber",
)  # fmt: skip
ADJECTIVES = (
    "swift", "quiet", "bright", "lunar", "pixel", "neon", "tiny", "brave", "cosmic", "amber",
    "hidden", "rapid", "silver", "crimson", "gentle", "clever", "electric", "open", "wild",
    "quantum",
)  # fmt: skip
NOUNS = (
    "notes", "forge", "garden", "atlas", "pilot", "canvas", "harbor", "engine", "studio", "relay",
    "compass", "ledger", "beacon", "lens", "orbit", "signal", "sketch", "vault", "bridge", "loop",
)  # fmt: skip
SENTENCES = (
    "It should work without any human in the loop.",
    "The result has to be verifiable by an independent reviewer.",
    "Current models get close but miss the hard edge cases.",
    "Accuracy matters more than speed here.",
    "It must explain every step it takes.",
    "The output should be good enough to ship to real users.",
    "Nobody has managed this reliably yet.",
    "It needs to handle messy, real-world input.",
    "The whole thing should take less than a minute.",
    "I want to compare how each model approaches it.",
    "Partial credit counts if the reasoning is sound.",
    "This would save our team hours every week.",
)  # fmt: skip
