"""Trusted documents: an allow-list of GraphQL documents, named by the sha256 of their text.

With `TRUSTED_DOCUMENTS` set, the API runs only these documents (persisted operations, as
Relay, Apollo's persisted query lists and GraphQL Code Generator's client preset produce them).
`TrustedDocuments.load(path)` reads a file, or every such file in a folder:

- a JSON object of hash to document text: `{"<sha256 hex>": "query Q { ... }", ...}`
  (GraphQL Code Generator's `persisted-documents.json`);
- Apollo's manifest: `{"format": "apollo-persisted-query-manifest", "version": 1,
  "operations": [{"id": "<sha256 hex>", "body": "query Q { ... }", ...}, ...]}`;
- `.graphql` / `.gql` files, one document each, named by the hash of their whole text.

Every hash is checked against its text when loading, so a list from a different hash function
(Relay's default md5) is refused with a message saying so rather than trusting nothing.
`get(sha256)` returns a document's text and `hash_of(text)` names one; the request side (which
request fields carry a hash) lives in `api/request.py`.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import cast

from api.documents.prepared import document_hash
from orm.runtime.types import JsonValue

__all__ = ["TrustedDocuments", "TrustedDocumentsError"]

_GRAPHQL_SUFFIXES = (".graphql", ".gql")


class TrustedDocumentsError(ValueError):
    """The trusted documents can't be loaded; the message names the file and what is wrong."""


class TrustedDocuments:
    def __init__(self, documents: Mapping[str, str]) -> None:
        """`documents`: sha256 hex to text; each hash must be its text's."""
        for sha256, text in documents.items():
            if document_hash(text) != sha256.lower():
                raise TrustedDocumentsError(
                    f"{sha256} is not the sha256 of its document. Trusted documents are named "
                    "by the sha256 of their exact text (configure your client's persisted "
                    "documents to hash with sha256)."
                )
        self._documents = {sha256.lower(): text for sha256, text in documents.items()}

    @staticmethod
    def hash_of(text: str) -> str:
        return document_hash(text)

    def get(self, sha256: str) -> str | None:
        return self._documents.get(sha256.lower())

    def __contains__(self, sha256: object) -> bool:
        return isinstance(sha256, str) and sha256.lower() in self._documents

    def __len__(self) -> int:
        return len(self._documents)

    def __iter__(self) -> Iterator[str]:
        return iter(self._documents)

    @classmethod
    def load(cls, path: Path) -> TrustedDocuments:
        if path.is_dir():
            files = sorted(p for p in path.iterdir() if p.suffix in (".json", *_GRAPHQL_SUFFIXES))
        elif path.is_file():
            files = [path]
        else:
            raise TrustedDocumentsError(
                f"TRUSTED_DOCUMENTS names {path}, which is neither a file nor a folder."
            )
        documents: dict[str, str] = {}
        for file in files:
            documents.update(_read(file))
        try:
            return cls(documents)
        except TrustedDocumentsError as exc:
            raise TrustedDocumentsError(f"{path}: {exc}") from None


def _read(file: Path) -> dict[str, str]:
    text = file.read_text(encoding="utf-8")
    if file.suffix in _GRAPHQL_SUFFIXES:
        return {document_hash(text): text}
    try:
        data: JsonValue = json.loads(text)
    except ValueError as exc:
        raise TrustedDocumentsError(f"{file} is not valid JSON: {exc}") from None
    if isinstance(data, dict):
        mapping = cast("dict[str, JsonValue]", data)
        if mapping.get("format") == "apollo-persisted-query-manifest":
            return _apollo_manifest(file, mapping.get("operations"))
        if all(isinstance(value, str) for value in mapping.values()):
            return cast("dict[str, str]", mapping)
    raise TrustedDocumentsError(
        f"{file} is neither a JSON object of sha256 to document text nor an Apollo persisted "
        "query manifest."
    )


def _apollo_manifest(file: Path, operations: JsonValue) -> dict[str, str]:
    documents: dict[str, str] = {}
    entries = cast("list[JsonValue]", operations) if isinstance(operations, list) else []
    for entry in entries:
        if not isinstance(entry, dict):
            continue
        fields = cast("dict[str, JsonValue]", entry)
        sha256, body = fields.get("id"), fields.get("body")
        if not isinstance(sha256, str) or not isinstance(body, str):
            raise TrustedDocumentsError(f"{file}: every operation needs a string id and body.")
        documents[sha256] = body
    return documents
