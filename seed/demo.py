"""The documented demo accounts: fixed emails, names, roles, plans and API bearer tokens.

Only `sha256(token)` (hex) is stored, in `users.api_token_hash`; the tokens themselves are listed
here and in the README so a demo can call the API straight away:

    curl -H 'Authorization: Bearer demo-admin-7f3c9a1e5b2d4086' http://127.0.0.1:8000/graphql

Every demo account's password is `Demo123!` (every generated user's is `Password123!`).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

__all__ = ["DEMO_ACCOUNTS", "DEMO_PASSWORD", "USER_PASSWORD", "DemoAccount", "password_hash"]

DEMO_PASSWORD = "Demo123!"
USER_PASSWORD = "Password123!"


@dataclass(frozen=True, slots=True)
class DemoAccount:
    email: str
    name: str
    role: str
    plan: str
    monthly_budget: int
    token: str
    about: str

    @property
    def token_hash(self) -> str:
        return hashlib.sha256(self.token.encode()).hexdigest()


DEMO_ACCOUNTS: tuple[DemoAccount, ...] = (
    DemoAccount(
        "admin@dreams.test", "Ada Admin", "ADMIN", "TEAM", 1000, "demo-admin-7f3c9a1e5b2d4086",
        "administrator; owns a featured public project and public dreams",
    ),
    DemoAccount(
        "pro@dreams.test", "Priya Pro", "USER", "PRO", 100, "demo-pro-4b8e2d6f1a9c3075",
        "heavy user near her monthly budget; public and private dreams and projects",
    ),
    DemoAccount(
        "team@dreams.test", "Tomas Team", "USER", "TEAM", 500, "demo-team-9d1f5c3a7e2b6048",
        "collaborates on the other demo accounts' projects as EDITOR and ADMIN",
    ),
    DemoAccount(
        "free@dreams.test", "Finn Free", "USER", "FREE", 20, "demo-free-2a6c8e4f0b1d3957",
        "free plan: a private dream and a private mobile project of its own",
    ),
)  # fmt: skip


def password_hash(password: str) -> str:
    """PBKDF2-SHA256 as `pbkdf2_sha256$<iterations>$<salt>$<hex digest>`.

    The salt is fixed so the seed stays deterministic; seeded hashes are for demos, not secrets.
    """
    iterations = 100_000
    salt = "dreamsseed"
    digest = hashlib.pbkdf2_hmac("sha256", password.encode(), salt.encode(), iterations)
    return f"pbkdf2_sha256${iterations}${salt}${digest.hex()}"
