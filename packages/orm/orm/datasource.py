"""Where the schema's datasource block says the database is: `url` and `directUrl`.

A prisma-client-py schema names its database in the datasource block, by environment variable
or (in old schemas) literally:

    datasource db {
      provider  = "postgresql"
      url       = env("APP_DB")
      directUrl = env("APP_DB_DIRECT")   // optional: db push connects here
    }

Prisma 7 refuses those lines (P1012), so the CLI strips them from the copy it hands Prisma
(`orm.schema_compat`) after reading them here. `prisma generate` passes them to the generator in
the `ORM_DATASOURCE` environment variable (JSON); the generated client renders them into its
`_schema.py`, and the runtime reads `env[APP_DB]` at `connect()`. A schema naming none reads
`DATABASE_URL`, as before. No imports beyond the standard library: the CLI, the generator, the
runtime and push all use this module.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass

__all__ = ["DATASOURCE_ENV", "DatasourceError", "DatasourceUrls", "UrlSource", "parse_datasource"]

DATASOURCE_ENV = "ORM_DATASOURCE"
"""The variable `prisma generate`'s generator process reads the datasource URLs' sources from."""

_DATASOURCE = re.compile(r"^datasource\s+\w+\s*\{.*?^\}", re.DOTALL | re.MULTILINE)
_SETTING = re.compile(r"^[ \t]*(url|directUrl)[ \t]*=[ \t]*(.*?)[ \t]*$", re.MULTILINE)
_VALUE = re.compile(r'^(?:env\(\s*"(?P<env>[^"]+)"\s*\)|"(?P<literal>[^"]*)")\s*(?://.*)?$')


class DatasourceError(ValueError):
    """A datasource `url` / `directUrl` line this ORM can't read; the message names it."""


@dataclass(frozen=True, slots=True)
class UrlSource:
    """`env("NAME")` (`env` set) or a literal `"postgresql://..."` (`value` set)."""

    env: str | None = None
    value: str | None = None

    def resolve(self, environ: Mapping[str, str]) -> str | None:
        """The URL: the variable's value (None when unset or empty) or the literal."""
        if self.env is not None:
            return environ.get(self.env) or None
        return self.value

    def describe(self, key: str = "url") -> str:
        """For messages: `url = env("APP_DB")`, or the literal's key only (it may hold a
        password, so it is never printed)."""
        if self.env is not None:
            return f'{key} = env("{self.env}")'
        return f"the literal `{key}` in the schema's datasource block"

    def to_json(self) -> dict[str, str]:
        return {"env": self.env} if self.env is not None else {"value": self.value or ""}


@dataclass(frozen=True, slots=True)
class DatasourceUrls:
    """The datasource block's `url` and `directUrl`; None where the schema names none."""

    url: UrlSource | None = None
    direct_url: UrlSource | None = None

    def to_json(self) -> str:
        """Deterministic JSON for `ORM_DATASOURCE` (empty object when the schema names none)."""
        data: dict[str, dict[str, str]] = {}
        if self.url is not None:
            data["url"] = self.url.to_json()
        if self.direct_url is not None:
            data["directUrl"] = self.direct_url.to_json()
        return json.dumps(data, sort_keys=True)

    @classmethod
    def from_json(cls, text: str) -> DatasourceUrls:
        """The inverse of `to_json`; a malformed value is a `DatasourceError`."""
        try:
            data = json.loads(text or "{}")
            return cls(url=_source(data.get("url")), direct_url=_source(data.get("directUrl")))
        except (ValueError, AttributeError, TypeError) as error:
            raise DatasourceError(f"{DATASOURCE_ENV} is not valid ({error}).") from None


def _source(data: object) -> UrlSource | None:
    if data is None:
        return None
    if not isinstance(data, dict):
        raise TypeError("each source must be an object")
    fields: dict[str, object] = dict(data)  # pyright: ignore[reportUnknownArgumentType]
    env, value = fields.get("env"), fields.get("value")
    if isinstance(env, str):
        return UrlSource(env=env)
    if isinstance(value, str):
        return UrlSource(value=value)
    raise TypeError('each source needs "env" or "value"')


def _parse_value(key: str, raw: str) -> UrlSource:
    value = _VALUE.match(raw)
    if value is None:
        shown = (
            f"`{raw}`"
            if raw.startswith("env")
            else "that value (not shown: it may hold a password)"
        )
        raise DatasourceError(
            f'The datasource block\'s `{key}` must be env("NAME") or a quoted URL, not {shown}.'
        )
    if value.group("env") is not None:
        return UrlSource(env=value.group("env"))
    return UrlSource(value=value.group("literal"))


def parse_datasource(schema_text: str) -> DatasourceUrls:
    """The `url` and `directUrl` of the schema's datasource block (None for each it lacks)."""
    block = _DATASOURCE.search(schema_text)
    if block is None:
        return DatasourceUrls()
    found: dict[str, UrlSource] = {}
    for setting in _SETTING.finditer(block.group(0)):
        found[setting.group(1)] = _parse_value(setting.group(1), setting.group(2))
    return DatasourceUrls(url=found.get("url"), direct_url=found.get("directUrl"))
