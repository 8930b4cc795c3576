"""The store port: the only way domain code reads and writes documents.

Paths are slash-separated like Firestore's (`users/u1/devices/d1`); a collection path has an odd
number of segments. Values are JSON-like (dict, list, str, int, float, bool, None) plus
timezone-aware `datetime`, and the sentinels of `shared.store.values` in writes.

Transactions follow Firestore's rules so code that passes on SQLite also passes on Firestore:
every read happens before the first write (a read after a write raises `ReadAfterWrite`), writes
are applied at commit, and the body may run more than once, so it must not call anything
external.
"""

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal, Protocol, TypeVar

T = TypeVar("T")

Op = Literal["==", "!=", "<", "<=", ">", ">=", "in", "array_contains"]
Direction = Literal["asc", "desc"]

# Firestore has not capped writes per commit since March 2023 (it was 500); the request size
# (10 MiB, 4 MiB on the emulator) and the transaction time still bound one. This cap of ours
# keeps a commit's work bounded: a full sync push (500 entries and the state) is one commit.
MAX_WRITES_PER_COMMIT = 1_000
MAX_IN_VALUES = 30


class StoreError(Exception):
    """Base of the store's own failures."""


class DocumentExists(StoreError):
    """`create` found the document already there."""


class DocumentMissing(StoreError):
    """`update` found no document."""


class ReadAfterWrite(StoreError):
    """A transaction read after it had written; Firestore refuses this too."""


class Contention(StoreError):
    """A transaction could not commit after its retries."""


class MissingIndex(StoreError):
    """The query needs a composite index that firestore.indexes.json does not declare."""


class TooManyWrites(StoreError):
    """More than MAX_WRITES_PER_COMMIT writes in one transaction or batch."""


@dataclass(frozen=True)
class Where:
    field: str
    op: Op
    value: Any


@dataclass(frozen=True)
class Order:
    field: str
    direction: Direction = "asc"


@dataclass(frozen=True)
class Doc:
    """A document read from the store."""

    path: str
    data: dict[str, Any] = field(default_factory=dict)

    @property
    def id(self) -> str:
        return self.path.rsplit("/", 1)[-1]


@dataclass(frozen=True)
class Query:
    """A query on one collection. `start_after` is the last document of the previous page."""

    collection: str
    where: tuple[Where, ...] = ()
    order_by: tuple[Order, ...] = ()
    limit: int | None = None
    start_after: Doc | None = None


def query(
    collection: str,
    where: Iterable[Where | tuple[str, str, Any]] = (),
    order_by: Iterable[Order | str | tuple[str, str]] = (),
    limit: int | None = None,
    start_after: Doc | None = None,
) -> Query:
    """A Query from short forms: `("uid", "==", u)`, `"createdAt"`, `("createdAt", "desc")`."""
    wheres = tuple(w if isinstance(w, Where) else Where(*w) for w in where)
    orders = tuple(
        o if isinstance(o, Order) else Order(o) if isinstance(o, str) else Order(*o)
        for o in order_by
    )
    return Query(collection, wheres, orders, limit, start_after)


class Reader(Protocol):
    def get(self, path: str) -> dict[str, Any] | None: ...

    def get_many(self, paths: Sequence[str]) -> list[dict[str, Any] | None]: ...

    def query(self, q: Query) -> list[Doc]: ...


class Writer(Protocol):
    def create(self, path: str, data: dict[str, Any]) -> None:
        """Write a new document; `DocumentExists` (at commit) if it is already there."""

    def set(self, path: str, data: dict[str, Any], merge: bool = False) -> None:
        """Replace the document, or deep-merge into it with `merge=True`."""

    def update(self, path: str, fields: dict[str, Any]) -> None:
        """Change fields by dotted path; `DocumentMissing` if there is no document."""

    def delete(self, path: str) -> None: ...


class Transaction(Reader, Writer, Protocol):
    """Reads and buffered writes that commit together or not at all."""


class Batch(Writer, Protocol):
    """Up to MAX_WRITES_PER_COMMIT writes committed atomically, with no reads."""

    def commit(self) -> None: ...


class Store(Reader, Writer, Protocol):
    def transaction(self, body: Callable[[Transaction], T]) -> T:
        """Run `body` in a transaction, retrying on contention; return what it returns."""

    def batch(self) -> Batch: ...

    def close(self) -> None: ...


def collection_of(path: str) -> str:
    """The collection path of a document path."""
    # An even number of non-empty segments, checked with string methods: every read and
    # write of a push (a thousand a call) goes through here.
    collection, _, doc_id = path.rpartition("/")
    if not doc_id or path.count("/") % 2 == 0 or "//" in path or path[0] == "/":
        raise ValueError(f"not a document path: {path!r}")
    return collection


def split_path(path: str, checked: str | None = None) -> tuple[str, str]:
    """The collection path and id of a document path. A path in `checked`, a collection an
    earlier path was found in, needs only to name an id; any other is checked whole."""
    collection, _, doc_id = path.rpartition("/")
    if collection != checked or not doc_id:
        collection_of(path)  # raises unless `path` is a document path
    return collection, doc_id


def check_collection(path: str) -> None:
    parts = path.split("/")
    if len(parts) % 2 == 0 or not all(parts):
        raise ValueError(f"not a collection path: {path!r}")
