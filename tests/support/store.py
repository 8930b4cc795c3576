"""Look at everything a store holds (to prove a rejected request wrote nothing)."""

import json

import pytest

from shared.errors import AppError
from shared.store import Store
from shared.store.sqlite import SqliteStore
from shared.store.sqlite_indexes import group_tables, quoted


def all_documents(store: Store) -> dict[str, str]:
    """Every document path and its JSON, straight from the database."""
    inner = store
    while not isinstance(inner, SqliteStore) and hasattr(inner, "_inner"):
        inner = inner._inner  # a wrapper such as CountingStore
    if isinstance(inner, SqliteStore):
        with inner._connection() as conn:
            found = [
                row
                for table in group_tables(conn).values()
                for row in conn.execute(
                    f"SELECT collection || '/' || id, data FROM {quoted(table)}"
                )
            ]
        return dict(sorted(found))
    return _firestore_documents(inner)


def _firestore_documents(store) -> dict[str, str]:
    """Every document of a FirestoreStore's project, walking collections recursively."""
    found: dict[str, str] = {}
    pending = list(store._client.collections())
    while pending:
        collection = pending.pop()
        for ref in collection.list_documents():
            snapshot = ref.get()
            if snapshot.exists:
                found[ref.path] = json.dumps(snapshot.to_dict(), sort_keys=True, default=str)
            pending.extend(ref.collections())
    return dict(sorted(found.items()))


def assert_refused(store: Store, code: str, call) -> AppError:
    """`call()` raises AppError `code` and leaves every document as it was."""
    before = all_documents(store)
    with pytest.raises(AppError) as raised:
        call()
    assert raised.value.code == code
    assert all_documents(store) == before
    return raised.value
