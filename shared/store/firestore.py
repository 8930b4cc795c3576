"""The production store: a thin pass-through to google-cloud-firestore.

Only `shared.store.open_store` imports this module, lazily, so SQLite runs never load gRPC and
domain code never sees a google type: values go in as the port's (sentinels of
`shared.store.values`, timezone-aware datetimes) and come back as plain dicts.
"""

import random
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from datetime import datetime
from typing import Any, TypeVar

from google.api_core import exceptions as gexc
from google.cloud import firestore
from google.cloud.firestore_v1.base_query import FieldFilter
from google.cloud.firestore_v1.field_path import FieldPath
from google.cloud.firestore_v1.transaction import _Transactional

from shared.store import indexes, values
from shared.store.port import (
    MAX_IN_VALUES,
    MAX_WRITES_PER_COMMIT,
    Contention,
    Doc,
    DocumentExists,
    DocumentMissing,
    Query,
    ReadAfterWrite,
    TooManyWrites,
    check_collection,
    collection_of,
)

T = TypeVar("T")

_DIRECTIONS = {"asc": firestore.Query.ASCENDING, "desc": firestore.Query.DESCENDING}


def to_firestore(value: Any) -> Any:
    """A port value with its sentinels replaced by google-cloud-firestore's, recursively."""
    if value is values.SERVER_TIMESTAMP:
        return firestore.SERVER_TIMESTAMP
    if value is values.DELETE_FIELD:
        return firestore.DELETE_FIELD
    if isinstance(value, values.Increment):
        return firestore.Increment(value.amount)
    if isinstance(value, values.ArrayUnion):
        return firestore.ArrayUnion([to_firestore(v) for v in value.values])
    if isinstance(value, values.ArrayRemove):
        return firestore.ArrayRemove([to_firestore(v) for v in value.values])
    if isinstance(value, dict):
        return {k: to_firestore(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [to_firestore(v) for v in value]
    if isinstance(value, datetime) and value.tzinfo is None:
        # The client would take a naive datetime as UTC; refuse it as the SQLite adapter does.
        raise ValueError("timestamps must be timezone-aware")
    return value


def from_firestore(value: Any) -> Any:
    """A value read from Firestore as plain dicts and lists (timestamps stay tz-aware)."""
    if isinstance(value, dict):
        return {k: from_firestore(v) for k, v in value.items()}
    if isinstance(value, list):
        return [from_firestore(v) for v in value]
    return value


def field_path(dotted: str) -> str:
    """A port field path (`wallet.credits`) as Firestore's, quoting segments like `my-key`."""
    return FieldPath(*values.split_field_path(dotted)).to_api_repr()


class _Writes:
    """Port writes onto a google WriteBatch or Transaction, at most 500 of them."""

    def __init__(self, store: "FirestoreStore", target: Any) -> None:
        self._store = store
        self._target = target
        self.count = 0

    def _next(self) -> None:
        if self.count >= MAX_WRITES_PER_COMMIT:
            raise TooManyWrites(f"more than {MAX_WRITES_PER_COMMIT} writes in one commit")
        self.count += 1

    def create(self, path: str, data: dict[str, Any]) -> None:
        self._next()
        self._target.create(self._store._ref(path), to_firestore(data))

    def set(self, path: str, data: dict[str, Any], merge: bool = False) -> None:
        self._next()
        self._target.set(self._store._ref(path), to_firestore(data), merge=merge)

    def update(self, path: str, fields: dict[str, Any]) -> None:
        self._next()
        self._target.update(self._store._ref(path), _update_fields(fields))

    def delete(self, path: str) -> None:
        self._next()
        self._target.delete(self._store._ref(path))


def _update_fields(fields: dict[str, Any]) -> dict[str, Any]:
    return {field_path(k): to_firestore(v) for k, v in fields.items()}


class FirestoreTransaction(_Writes):
    """The port's Transaction over a google Transaction: reads first, writes buffered."""

    def _before_read(self) -> None:
        if self.count:
            raise ReadAfterWrite("a transaction must do all its reads before its first write")

    def get(self, path: str) -> dict[str, Any] | None:
        self._before_read()
        return self._store._get_many([path], self._target)[0]

    def get_many(self, paths: Sequence[str]) -> list[dict[str, Any] | None]:
        self._before_read()
        return self._store._get_many(paths, self._target)

    def query(self, q: Query) -> list[Doc]:
        self._before_read()
        return self._store._query(q, self._target)


class FirestoreBatch(_Writes):
    """The port's Batch over a google WriteBatch."""

    def commit(self) -> None:
        with _mapped_errors():
            self._target.commit()


@contextmanager
def _mapped_errors() -> Iterator[None]:
    """Translate google errors on writes and commits into the port's."""
    try:
        yield
    except gexc.Aborted as e:  # a Conflict too, so first
        raise Contention(str(e)) from e
    except gexc.Conflict as e:  # AlreadyExists: `create` of an existing document
        raise DocumentExists(str(e)) from e
    except gexc.NotFound as e:  # `update` of a missing document
        raise DocumentMissing(str(e)) from e
    except ValueError as e:
        # The transactional decorator wraps the last Aborted in a ValueError when out of tries.
        if isinstance(e.__cause__, gexc.Aborted):
            raise Contention(str(e)) from e
        raise


class _Retrying(_Transactional):
    """google's `@firestore.transactional` runner, plus a jittered pause before each retry.

    The Python client retries at once, so contenders that all read and then all commit collide
    again in lockstep; the Java and Node clients back off between attempts, and so does this.
    (On the emulator each collision also costs a 2 s lock timeout.)
    """

    def __init__(self, to_wrap: Callable[[Any], Any], backoff: float) -> None:
        super().__init__(to_wrap)
        self._backoff = backoff
        self._attempt = 0

    def _reset(self) -> None:
        super()._reset()
        self._attempt = 0

    def _pre_commit(self, transaction: Any, *args: Any, **kwargs: Any) -> Any:
        if self._attempt:
            time.sleep(random.uniform(0, self._backoff * 2 ** min(self._attempt, 6)))
        self._attempt += 1
        return super()._pre_commit(transaction, *args, **kwargs)


class FirestoreStore:
    """The Firestore adapter. `client` defaults to `firestore.Client(project=project)`.

    `max_attempts` is how many times a transaction body may run before `Contention`.
    """

    def __init__(
        self,
        project: str | None = None,
        client: firestore.Client | None = None,
        *,
        enforce_indexes: bool = True,
        max_attempts: int = 5,
        retry_backoff: float = 0.02,
    ) -> None:
        self._client = client if client is not None else firestore.Client(project=project)
        self.enforce_indexes = enforce_indexes
        self.max_attempts = max_attempts
        self.retry_backoff = retry_backoff
        self._in_transaction = threading.local()

    def _ref(self, path: str) -> Any:
        collection_of(path)
        return self._client.document(path)

    def _get_many(self, paths: Sequence[str], transaction: Any = None) -> list[dict | None]:
        refs = {p: self._ref(p) for p in paths}
        if not refs:
            return []
        found: dict[str, dict | None] = {}
        # One BatchGetDocuments round trip; the server answers in its own order.
        for snap in self._client.get_all(list(refs.values()), transaction=transaction):
            found[snap.reference.path] = from_firestore(snap.to_dict()) if snap.exists else None
        return [found.get(refs[p].path) for p in paths]

    def _build_query(self, q: Query) -> Any:
        """The google query for `q`: filters, effective orders, cursor and limit."""
        check_collection(q.collection)
        if self.enforce_indexes:
            indexes.check(q)
        built = self._client.collection(q.collection)._query()
        for w in q.where:
            value = to_firestore(w.value)
            if w.op == "in" and not 0 < len(value) <= MAX_IN_VALUES:
                raise ValueError(f"'in' takes 1 to {MAX_IN_VALUES} values")
            # The port's operators are the client's own strings.
            built = built.where(filter=FieldFilter(field_path(w.field), w.op, value))
        # Explicit orders plus the implicit ones of inequality filters, so a cursor can name
        # a value for each.
        orders = indexes.effective_orders(q)
        for o in orders:
            built = built.order_by(field_path(o.field), direction=_DIRECTIONS[o.direction])
        if q.start_after is not None:
            # Break ties by document id, so pages over equal sort keys neither repeat nor skip.
            last = orders[-1].direction if orders else "asc"
            built = built.order_by(FieldPath.document_id(), direction=_DIRECTIONS[last])
            cursor = [to_firestore(values.field_value(q.start_after.data, o.field)) for o in orders]
            cursor.append(self._client.document(q.start_after.path))
            built = built.start_after(cursor)
        if q.limit is not None:
            built = built.limit(q.limit)
        return built

    def _query(self, q: Query, transaction: Any = None) -> list[Doc]:
        return [
            Doc(snap.reference.path, from_firestore(snap.to_dict()))
            for snap in self._build_query(q).stream(transaction=transaction)
        ]

    def get(self, path: str) -> dict[str, Any] | None:
        return self._get_many([path])[0]

    def get_many(self, paths: Sequence[str]) -> list[dict[str, Any] | None]:
        return self._get_many(paths)

    def query(self, q: Query) -> list[Doc]:
        return self._query(q)

    def create(self, path: str, data: dict[str, Any]) -> None:
        with _mapped_errors():
            self._ref(path).create(to_firestore(data))

    def set(self, path: str, data: dict[str, Any], merge: bool = False) -> None:
        with _mapped_errors():
            self._ref(path).set(to_firestore(data), merge=merge)

    def update(self, path: str, fields: dict[str, Any]) -> None:
        with _mapped_errors():
            self._ref(path).update(_update_fields(fields))

    def delete(self, path: str) -> None:
        with _mapped_errors():
            self._ref(path).delete()

    def batch(self) -> FirestoreBatch:
        return FirestoreBatch(self, self._client.batch())

    def transaction(self, body: Callable[[FirestoreTransaction], T]) -> T:
        """Run `body` with google's transactional retry (it re-runs the body on Aborted)."""
        if getattr(self._in_transaction, "active", False):
            raise RuntimeError("nested transactions are not supported; pass the transaction on")

        def attempt(google_txn: Any) -> T:
            return body(FirestoreTransaction(self, google_txn))

        self._in_transaction.active = True
        try:
            with _mapped_errors():
                run = _Retrying(attempt, self.retry_backoff)
                return run(self._client.transaction(max_attempts=self.max_attempts))
        finally:
            self._in_transaction.active = False

    def close(self) -> None:
        """Close the gRPC channel, if one was ever opened."""
        api = self._client._firestore_api_internal
        if api is not None:
            api.transport.close()
