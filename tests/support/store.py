"""Look at everything a store holds (to prove a rejected request wrote nothing)."""

from shared.store import Store
from shared.store.sqlite import SqliteStore


def all_documents(store: Store) -> dict[str, dict]:
    """Every document path and its raw JSON, straight from SQLite."""
    inner = store
    while not isinstance(inner, SqliteStore):
        inner = inner._inner  # a wrapper such as CountingStore
    with inner._connection() as conn:
        rows = conn.execute("SELECT path, data FROM docs ORDER BY path").fetchall()
    return dict(rows)
