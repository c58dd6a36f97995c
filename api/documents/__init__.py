"""GraphQL documents: prepared once per process (parsed, checked, validated, costed), and the
allow-list of trusted documents. See `prepared.py` for the flow a request follows."""

from __future__ import annotations

from api.documents.prepared import (
    BAD_USER_INPUT,
    Admission,
    DocumentLimits,
    DocumentStats,
    DocumentStore,
    PreparedDocument,
    PreparedOperation,
    document_hash,
)
from api.documents.trusted import TrustedDocuments, TrustedDocumentsError

__all__ = [
    "BAD_USER_INPUT",
    "Admission",
    "DocumentLimits",
    "DocumentStats",
    "DocumentStore",
    "PreparedDocument",
    "PreparedOperation",
    "TrustedDocuments",
    "TrustedDocumentsError",
    "document_hash",
]
