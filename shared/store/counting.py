"""A store wrapper that counts reads, writes and deletes as Firestore bills them.

A query bills one read per document returned, and one when it returns nothing. Writes in a
transaction body that is retried are counted once per attempt, as Firestore bills them.
"""

import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

from shared.store.port import Batch, Doc, Query, Store, Transaction

T = TypeVar("T")


@dataclass
class Counts:
    reads: int = 0
    writes: int = 0
    deletes: int = 0

    def as_dict(self) -> dict[str, int]:
        return {"reads": self.reads, "writes": self.writes, "deletes": self.deletes}


class _Counter:
    def __init__(self) -> None:
        self.counts = Counts()
        self._lock = threading.Lock()

    def add(self, reads: int = 0, writes: int = 0, deletes: int = 0) -> None:
        with self._lock:
            self.counts.reads += reads
            self.counts.writes += writes
            self.counts.deletes += deletes


class _CountingWriter:
    def __init__(self, inner: Any, counter: _Counter) -> None:
        self._inner = inner
        self._counter = counter

    def create(self, path: str, data: dict[str, Any]) -> None:
        self._counter.add(writes=1)
        self._inner.create(path, data)

    def set(self, path: str, data: dict[str, Any], merge: bool = False) -> None:
        self._counter.add(writes=1)
        self._inner.set(path, data, merge=merge)

    def update(self, path: str, fields: dict[str, Any]) -> None:
        self._counter.add(writes=1)
        self._inner.update(path, fields)

    def delete(self, path: str) -> None:
        self._counter.add(deletes=1)
        self._inner.delete(path)


class _CountingReader:
    _inner: Any
    _counter: _Counter

    def get(self, path: str) -> dict[str, Any] | None:
        self._counter.add(reads=1)
        return self._inner.get(path)

    def get_many(self, paths: Sequence[str]) -> list[dict[str, Any] | None]:
        self._counter.add(reads=len(paths))
        return self._inner.get_many(paths)

    def query(self, q: Query) -> list[Doc]:
        docs = self._inner.query(q)
        self._counter.add(reads=max(1, len(docs)))
        return docs


class _CountingTransaction(_CountingReader, _CountingWriter):
    pass


class _CountingBatch(_CountingWriter):
    def commit(self) -> None:
        self._inner.commit()


class CountingStore(_CountingReader, _CountingWriter):
    """Wraps any store; `counts` holds the totals, `reset()` zeroes them."""

    def __init__(self, inner: Store) -> None:
        super().__init__(inner, _Counter())

    @property
    def counts(self) -> Counts:
        return self._counter.counts

    def reset(self) -> None:
        self._counter = _Counter()

    def transaction(self, body: Callable[[Transaction], T]) -> T:
        return self._inner.transaction(lambda txn: body(_CountingTransaction(txn, self._counter)))

    def batch(self) -> Batch:
        return _CountingBatch(self._inner.batch(), self._counter)

    def close(self) -> None:
        self._inner.close()
