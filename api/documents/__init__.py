"""GraphQL documents: prepared once per process (parsed, checked, validated, costed), the
allow-list of trusted documents and automatic persisted queries (`persisted.py`). See
`prepared.py` for the flow a request follows."""

from __future__ import annotations

from api.documents.persisted import PersistedDocuments
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
    "PersistedDocuments",
    "PreparedDocument",
    "PreparedOperation",
    "TrustedDocuments",
    "TrustedDocumentsError",
    "document_hash",
]
