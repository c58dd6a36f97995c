"""Reading a GraphQL-over-HTTP request, refusing what no GraphQL request may be.

`read_request` turns a POST body (JSON) or GET parameters into a `GraphQLRequest` and refuses,
with a 4xx and an `extensions.code`: bodies that aren't a JSON object, JSON nested deeper than
`MAX_JSON_DEPTH`, a document, operation name, variable name or extension holding a lone UTF-16
surrogate (`"\\ud800"` decodes to a string PostgreSQL, Redis and UTF-8 can't hold), fields of
the wrong type, and (when `json_only`) POSTs that aren't `application/json`: `text/plain`,
form and multipart bodies are what a cross-site form can send without a CORS preflight, so
refusing them keeps other sites from running mutations.

`persisted_hash` reads Apollo's `extensions.persistedQuery`; which document a request runs
(its text, a trusted document or a persisted query) is `api/documents/persisted.py`'s to say.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import cast

from starlette.requests import Request

from api.documents.persisted import APQ_VERSION, is_sha256
from api.errors import BadRequestError, UnsupportedMediaTypeError
from orm.runtime.types import JsonValue

__all__ = ["MAX_JSON_DEPTH", "GraphQLRequest", "has_surrogate", "persisted_hash", "read_request"]

MAX_JSON_DEPTH = 64
_SURROGATE = re.compile("[\ud800-\udfff]")


def has_surrogate(text: str) -> bool:
    return _SURROGATE.search(text) is not None


@dataclass(frozen=True, slots=True)
class GraphQLRequest:
    query: str | None
    operation_name: str | None
    variables: dict[str, JsonValue] | None
    extensions: dict[str, JsonValue] | None


async def read_request(request: Request, *, json_only: bool) -> GraphQLRequest:
    if request.method == "GET":
        params = request.query_params
        payload: dict[str, JsonValue] = {
            "query": params.get("query"),
            "operationName": params.get("operationName"),
            "variables": _json_param(params.get("variables"), "variables"),
            "extensions": _json_param(params.get("extensions"), "extensions"),
        }
    else:
        if json_only and not _is_json(request.headers.get("content-type", "")):
            raise UnsupportedMediaTypeError(
                "POST a JSON body with `Content-Type: application/json` (or use GET for "
                "queries); other content types are refused."
            )
        body = _decode(await request.body(), "The request body")
        if not isinstance(body, dict):
            raise BadRequestError('Send a JSON object with a "query" string.')
        payload = cast("dict[str, JsonValue]", body)
    _check_values(payload)
    return _fields(payload)


def _is_json(content_type: str) -> bool:
    media_type = content_type.split(";", 1)[0].strip().lower()
    return media_type == "application/json" or (
        media_type.startswith("application/") and media_type.endswith("+json")
    )


def _json_param(raw: str | None, name: str) -> JsonValue:
    return None if not raw else _decode(raw, f'The "{name}" parameter')


def _decode(raw: str | bytes, what: str) -> JsonValue:
    try:
        return json.loads(raw)
    except RecursionError:
        raise BadRequestError(
            f"{what} is JSON nested too deeply (at most {MAX_JSON_DEPTH} levels)."
        ) from None
    except ValueError as exc:
        raise BadRequestError(f"{what} is not valid JSON ({exc}).") from exc


def _check_values(payload: dict[str, JsonValue]) -> None:
    """Nesting at most MAX_JSON_DEPTH; no lone surrogate in the document, names or extensions.

    Variables' string values may hold one: the field that receives it refuses it and says
    which field it is (ids that can't exist read as not found)."""
    variables = payload.get("variables")
    stack: list[tuple[JsonValue, int, bool]] = [(payload, 0, True)]
    while stack:
        value, depth, text = stack.pop()
        if isinstance(value, str):
            if text and has_surrogate(value):
                raise BadRequestError(
                    "The request holds a lone UTF-16 surrogate (such as \\ud800), which is not "
                    "text: send valid Unicode."
                )
            continue
        if not isinstance(value, dict | list):
            continue
        if depth >= MAX_JSON_DEPTH:
            raise BadRequestError(
                f"The request is JSON nested too deeply (at most {MAX_JSON_DEPTH} levels)."
            )
        if isinstance(value, dict):
            mapping = cast("dict[str, JsonValue]", value)
            values_text = text and value is not variables
            stack.extend((key, depth + 1, True) for key in mapping)
            stack.extend((item, depth + 1, values_text) for item in mapping.values())
        else:
            items = cast("list[JsonValue]", value)
            stack.extend((item, depth + 1, text) for item in items)


def _fields(payload: dict[str, JsonValue]) -> GraphQLRequest:
    query, name = payload.get("query"), payload.get("operationName")
    variables, extensions = payload.get("variables"), payload.get("extensions")
    if query is not None and not isinstance(query, str):
        raise BadRequestError('"query" must be a string holding a GraphQL document.')
    if name is not None and not isinstance(name, str):
        raise BadRequestError('"operationName" must be a string or null.')
    if variables is not None and not isinstance(variables, dict):
        raise BadRequestError('"variables" must be a JSON object.')
    if extensions is not None and not isinstance(extensions, dict):
        raise BadRequestError('"extensions" must be a JSON object.')
    return GraphQLRequest(
        query=query,
        operation_name=name or None,
        variables=cast("dict[str, JsonValue] | None", variables),
        extensions=cast("dict[str, JsonValue] | None", extensions),
    )


def persisted_hash(extensions: dict[str, JsonValue] | None) -> str | None:
    """`extensions.persistedQuery.sha256Hash`, lower-cased, or None without one."""
    persisted = (extensions or {}).get("persistedQuery")
    if persisted is None:
        return None
    if not isinstance(persisted, dict):
        raise BadRequestError('"extensions.persistedQuery" must be a JSON object.')
    fields = cast("dict[str, JsonValue]", persisted)
    version = fields.get("version", APQ_VERSION)
    if version != APQ_VERSION:
        raise BadRequestError(
            f'Unsupported "extensions.persistedQuery.version" {version!r}: send {APQ_VERSION}.'
        )
    sha256 = fields.get("sha256Hash")
    if not isinstance(sha256, str) or not is_sha256(sha256.lower()):
        raise BadRequestError(
            '"extensions.persistedQuery.sha256Hash" must be the 64 hex digits of the '
            "document's sha256."
        )
    return sha256.lower()
