"""The store port and its adapters. Domain code imports from here only."""

from shared.store.port import (
    MAX_WRITES_PER_COMMIT,
    Batch,
    Contention,
    Doc,
    DocumentExists,
    DocumentMissing,
    MissingIndex,
    Order,
    Query,
    ReadAfterWrite,
    Reader,
    Store,
    StoreError,
    TooManyWrites,
    Transaction,
    Where,
    query,
)
from shared.store.values import (
    DELETE_FIELD,
    SERVER_TIMESTAMP,
    ArrayRemove,
    ArrayUnion,
    Increment,
)

__all__ = [
    "DELETE_FIELD",
    "MAX_WRITES_PER_COMMIT",
    "SERVER_TIMESTAMP",
    "ArrayRemove",
    "ArrayUnion",
    "Batch",
    "Contention",
    "Doc",
    "DocumentExists",
    "DocumentMissing",
    "Increment",
    "MissingIndex",
    "Order",
    "Query",
    "ReadAfterWrite",
    "Reader",
    "Store",
    "StoreError",
    "TooManyWrites",
    "Transaction",
    "Where",
    "open_store",
    "query",
]


def open_store(
    backend: str, *, sqlite_path: str = ":memory:", project: str | None = None, **options
) -> Store:
    """Open the configured adapter (imported lazily so SQLite runs never load gRPC)."""
    if backend == "sqlite":
        from shared.store.sqlite import SqliteStore

        return SqliteStore(sqlite_path, **options)
    if backend == "firestore":
        from shared.store.firestore import FirestoreStore

        return FirestoreStore(project=project)
    raise ValueError(f"unknown store backend {backend!r}")
