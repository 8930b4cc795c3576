"""The embedded store: documents as JSON rows in SQLite, with real ACID transactions.

Each collection group has its own table, keyed by (collection, id), created when the group is
first written (shared/store/sqlite_indexes.py describes the layout); a read of a group that
has no table yet finds nothing. A file of the older one-table layout is converted when opened.

Every transaction takes SQLite's write lock up front (BEGIN IMMEDIATE), so transactions are
serializable; reads outside transactions run concurrently (WAL). Writes are buffered and
applied at commit, and a read after a write raises, exactly as Firestore behaves. Timestamps
are stored as tagged ISO strings so they sort and compare in SQL.

Queries follow Firestore's rules (tests/store/test_conformance.py checks both adapters):
filters match only values of the filter value's type, results sort by type first (null,
booleans, numbers, timestamps, strings, arrays, maps), and inequality-filtered fields join the
order. Equality on arrays and maps is not supported here.

Queries are index-backed (shared/store/sqlite_indexes.py): each group's table carries the
indexes of firestore.indexes.json and the single-field ones of `indexes.SINGLE_FIELD_INDEXES`
(kept in line with them when the store opens), and with `refuse_scans` (on with
`enforce_indexes`) a query SQLite would answer by reading a whole collection raises
`MissingIndex`.
"""

import math
import os
import queue
import random
import sqlite3
import tempfile
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager, suppress
from datetime import UTC, datetime
from functools import cache, lru_cache
from pathlib import Path
from typing import Any, TypeVar

import orjson

from shared.store import indexes
from shared.store.port import (
    MAX_IN_VALUES,
    MAX_WRITES_PER_COMMIT,
    Contention,
    Doc,
    DocumentExists,
    DocumentMissing,
    Order,
    Query,
    ReadAfterWrite,
    TooManyWrites,
    Where,
    check_collection,
    collection_of,
    split_path,
)
from shared.store.sqlite_indexes import (
    TS_TAG,
    create_table,
    group_columns,
    is_missing_table,
    json_path,
    open_layout,
    query_plan,
    quoted,
    rank_sql,
    refuse_scan,
    sort_key,
    sort_key_row,
    table_name,
    value_sql,
)
from shared.store.values import apply_merge, apply_update, field_value, resolve_new

T = TypeVar("T")

_TS = TS_TAG
PAGE_SIZE = 16_384


def _timestamp(value: datetime) -> str:
    """The stored text of a timestamp: tagged, in UTC, always with microseconds (fixed width,
    so the texts sort as the instants do)."""
    # orjson formats a datetime in C, several times faster than isoformat; with OPT_UTC_Z a
    # zero offset is "Z", and it writes microseconds only when there are some.
    text = orjson.dumps(value, option=orjson.OPT_UTC_Z).decode()
    if text[-2] == "Z":
        return f"{_TS}{text[1:20]}.000000Z" if len(text) == 22 else f"{_TS}{text[1:-1]}"
    if value.tzinfo is None:
        raise ValueError("timestamps must be timezone-aware")
    return _timestamp(value.astimezone(UTC))


def _encode(value: Any) -> Any:
    """A filter or cursor value as stored (timestamps tagged)."""
    return _timestamp(value) if isinstance(value, datetime) else value


def _stored_value(value: Any) -> Any:
    """The encoder's hook for what JSON lacks: timestamps are tagged strings."""
    if isinstance(value, datetime):
        return _timestamp(value)
    raise TypeError(f"cannot store {type(value).__name__} values")


# orjson (several times faster than json here) hands datetimes and dataclasses (the
# transforms) to the hook instead of encoding them its own way.
_ENCODING = orjson.OPT_PASSTHROUGH_DATETIME | orjson.OPT_PASSTHROUGH_DATACLASS


def _orjson(data: dict[str, Any], hook: Callable[[Any], Any]) -> str:
    try:
        return orjson.dumps(data, default=hook, option=_ENCODING).decode()
    except orjson.JSONEncodeError as e:  # the hook's own error (ValueError, TypeError) as is
        if e.__cause__ is None and _has_str_subclass_keys(data):
            # Firestore takes keys of str subclasses (a StrEnum) as strings; orjson only with
            # OPT_NON_STR_KEYS, which is slower and would also take keys that are not strings.
            return orjson.dumps(
                data, default=hook, option=_ENCODING | orjson.OPT_NON_STR_KEYS
            ).decode()
        raise (e.__cause__ or e) from None


def _has_str_subclass_keys(value: Any) -> bool:
    """Whether maps in `value` have keys of str subclasses; TypeError for a key that is not a
    string at all, as Firestore's client refuses it."""
    found = False
    if isinstance(value, dict):
        for key, item in value.items():
            if not isinstance(key, str):
                raise TypeError(f"map keys must be strings, not {type(key).__name__}")
            found |= type(key) is not str
            found |= _has_str_subclass_keys(item)  # every item: a bad key anywhere raises
    elif isinstance(value, list | tuple):
        for item in value:
            found |= _has_str_subclass_keys(item)
    return found


def _dumps(data: dict[str, Any]) -> str:
    return _orjson(data, _stored_value)


@lru_cache(maxsize=8)  # one per commit time: the documents of a commit share it
def _new_value_hook(now: datetime) -> Callable[[Any], Any]:
    last = (None, "")  # the last timestamp formatted: a commit's documents share instants

    def hook(value: Any) -> Any:
        nonlocal last
        seen, text = last  # one tuple, replaced whole: threads may share this hook
        if value is seen:
            return text
        if isinstance(value, datetime):
            text = _timestamp(value)
            last = (value, text)
            return text
        resolved = resolve_new(value, now)
        if resolved is value:
            raise TypeError(f"cannot store {type(value).__name__} values")
        return resolved

    return hook


@lru_cache(maxsize=1024)  # immutable values; a page's entries share a few instants
def _parse_timestamp(text: str) -> datetime:
    return datetime.fromisoformat(text[len(_TS) : -1] + "+00:00")


def _revive(value: Any) -> None:
    """Tagged strings inside a decoded map or list become timestamps, in place."""
    items = value.items() if type(value) is dict else enumerate(value)
    for k, v in items:
        if type(v) is str:
            if v.startswith(_TS):
                value[k] = _parse_timestamp(v)
        elif type(v) is dict or type(v) is list:
            _revive(v)


def _loads(text: str) -> dict[str, Any]:
    data = orjson.loads(text)
    # Most documents' text shows at once whether any timestamp needs decoding.
    if _TS in text:
        _revive(data)
    return data


def _type_rank(value: Any) -> int:
    """The rank of a Python value's type in Firestore's order (as `rank_sql` computes it)."""
    if value is None:
        return 0
    if isinstance(value, bool):
        return 1
    if isinstance(value, int | float):
        return 2
    if isinstance(value, datetime):
        return 3
    if isinstance(value, str):
        return 4
    return 5 if isinstance(value, list | tuple) else 6


class _Writes:
    """Writes buffered until commit, in order."""

    def __init__(self) -> None:
        self.ops: list[tuple[str, str, Any]] = []
        self._checked: str | None = None  # the collection of the last path added

    def add(self, kind: str, path: str, payload: Any = None) -> None:
        self._checked, _ = split_path(path, self._checked)
        if len(self.ops) >= MAX_WRITES_PER_COMMIT:
            raise TooManyWrites(f"more than {MAX_WRITES_PER_COMMIT} writes in one commit")
        self.ops.append((kind, path, payload))

    def create(self, path: str, data: dict[str, Any]) -> None:
        self.add("create", path, data)

    def set(self, path: str, data: dict[str, Any], merge: bool = False) -> None:
        self.add("merge" if merge else "set", path, data)

    def update(self, path: str, fields: dict[str, Any]) -> None:
        if not fields:
            raise ValueError("update needs at least one field")  # as google's client says
        self.add("update", path, fields)

    def delete(self, path: str) -> None:
        self.add("delete", path)


def _group(collection: str) -> str:
    return collection.rpartition("/")[2]


@cache
def _table(group: str) -> str:
    return quoted(table_name(group))


@cache
def _write_sql(group: str, upsert: bool) -> str:
    """The INSERT of a document of `group`, with its sort-key columns (`sort_key_row`)."""
    columns = ["collection", "id", "data"]
    for rank, value, _ in group_columns(group):
        columns += [f'"{rank}"', f'"{value}"']
    text = (
        f"INSERT INTO {_table(group)} ({', '.join(columns)}) "
        f"VALUES ({', '.join('?' * len(columns))})"
    )
    if upsert:
        text += " ON CONFLICT(collection, id) DO UPDATE SET " + ", ".join(
            f"{c} = excluded.{c}" for c in columns[2:]
        )
    return text


def _rows(group: str, docs: list[tuple[str, str, Any]], now: datetime) -> list[tuple[Any, ...]]:
    """The rows of (collection, id, data) documents of `group` for `_write_sql`: `data`
    encoded, with transforms resolved at `now`, and its sort keys."""
    hook = _new_value_hook(now)
    rows = []
    for collection, doc_id, data in docs:
        text = _orjson(data, hook)
        keys = _sort_keys(data, group, now)
        if keys is None:
            keys = sort_key_row(orjson.loads(text), group)
        rows.append((collection, doc_id, text, *keys))
    return rows


_ABSENT = (None, 0)  # the sort key of a field the document lacks


def _sort_keys(data: dict[str, Any], group: str, now: datetime) -> list[Any] | None:
    """`sort_key_row` of `data` as it will be stored, read from `data` itself (no decoding of
    the text just encoded); None where only the stored text tells exactly (values the encoder
    converts its own way: lists, maps, enums...)."""
    row: list[Any] = []
    top_level = _top_level_fields(group)
    if top_level is not None:  # the common case, in one short loop
        for name in top_level:
            if name not in data:
                row += _ABSENT
            elif type(value := data[name]) is int:  # counters and sequence numbers
                row += (2, value)
            elif (key := _leaf_sort_key(value, now)) is not None:
                row += key
            else:
                return None
        return row
    for _, _, parts in group_columns(group):
        node: Any = data
        for part in parts:
            if type(node) is not dict:
                if node is None or isinstance(node, _NOT_MAPS):
                    row += _ABSENT  # stored as no map: the field is absent
                    break
                return None
            if part not in node:
                row += _ABSENT
                break
            node = node[part]
        else:
            key = _leaf_sort_key(node, now)
            if key is None:
                return None
            row += key
    return row


@cache
def _top_level_fields(group: str) -> tuple[str, ...] | None:
    """The group's indexed fields when all are top-level (None otherwise)."""
    paths = [parts for _, _, parts in group_columns(group)]
    return tuple(p[0] for p in paths) if all(len(p) == 1 for p in paths) else None


_NOT_MAPS = (str, int, float, list, tuple, datetime)


def _leaf_sort_key(value: Any, now: datetime) -> tuple[int, Any] | None:
    """`sort_key` of `value` as stored, for scalars (None for anything else)."""
    kind = type(value)
    if kind is int:
        return 2, value
    if kind is bool:
        return 1, int(value)
    if kind is str or value is None:
        return sort_key(value)
    if kind is float:
        return sort_key(value) if math.isfinite(value) else None  # JSON has no NaN
    if isinstance(value, datetime):
        return 3, _timestamp(value)
    if kind is not dict and kind is not list and kind is not tuple:
        resolved = resolve_new(value, now)  # a transform, resolved as `_row` encodes it
        if resolved is not value:
            return _leaf_sort_key(resolved, now)
    return None


def _on_table(conn: sqlite3.Connection, sql: str, params: Sequence[Any]) -> list[Any]:
    """The rows of a read (or delete) on one group's table: none when the group has no table
    yet."""
    try:
        return conn.execute(sql, params).fetchall()
    except sqlite3.OperationalError as e:
        if is_missing_table(e):
            return []
        raise


def _write(conn: sqlite3.Connection, group: str, sql: str, rows: list[tuple[Any, ...]]) -> None:
    """Run a write of `group`'s table for each of `rows`, creating the table first when the
    group has none.

    Another process may have created it since this connection last looked: SQLite rereads
    its schema before reporting a missing table.
    """
    try:
        conn.executemany(sql, rows)
        return
    except sqlite3.OperationalError as e:
        if not is_missing_table(e):
            raise
    create_table(conn, group)
    conn.executemany(sql, rows)


def _apply(conn: sqlite3.Connection, ops: list[tuple[str, str, Any]]) -> None:
    """Apply buffered writes inside the caller's SQL transaction, in order.

    Only merges and updates read the current document; runs of plain sets of one collection
    group go in one call.
    """
    now = datetime.now(UTC)
    sets: list[tuple[str, str, Any]] = []
    sets_group = group = last_collection = ""

    def flush() -> None:
        if sets:
            rows = _rows(sets_group, sets, now)
            _write(conn, sets_group, _write_sql(sets_group, upsert=True), rows)
            sets.clear()

    for kind, path, payload in ops:
        collection, _, doc_id = path.rpartition("/")
        if collection != last_collection:  # runs of one collection are the common case
            group, last_collection = _group(collection), collection
        if kind == "set":
            if group != sets_group:
                flush()
                sets_group = group
            sets.append((collection, doc_id, payload))
            continue
        flush()
        table = _table(group)
        if kind == "delete":
            _on_table(
                conn, f"DELETE FROM {table} WHERE collection = ? AND id = ?", (collection, doc_id)
            )
        elif kind == "create":
            rows = _rows(group, [(collection, doc_id, payload)], now)
            try:
                _write(conn, group, _write_sql(group, upsert=False), rows)
            except sqlite3.IntegrityError:
                raise DocumentExists(path) from None
        else:
            found = _on_table(
                conn,
                f"SELECT data FROM {table} WHERE collection = ? AND id = ?",
                (collection, doc_id),
            )
            current = _loads(found[0][0]) if found else None
            if kind == "merge":
                new = apply_merge(current, payload, now)
            elif current is None:
                raise DocumentMissing(path)
            else:
                new = apply_update(current, payload, now)
            rows = _rows(group, [(collection, doc_id, new)], now)
            _write(conn, group, _write_sql(group, upsert=True), rows)
    flush()


class _Reads:
    """Reads on one connection; shared by the store and its transactions."""

    def __init__(self, enforce_indexes: bool, refuse_scans: bool) -> None:
        self.enforce_indexes = enforce_indexes
        self.refuse_scans = refuse_scans

    def _get(self, conn: sqlite3.Connection, path: str) -> dict[str, Any] | None:
        collection_of(path)
        collection, _, doc_id = path.rpartition("/")
        sql = f"SELECT data FROM {_table(_group(collection))} WHERE collection = ? AND id = ?"
        rows = _on_table(conn, sql, (collection, doc_id))
        return _loads(rows[0][0]) if rows else None

    def _get_many(self, conn: sqlite3.Connection, paths: Sequence[str]) -> list[dict | None]:
        # One statement per collection and 500 ids, not one per path (a push reads every
        # entry it writes).
        ids: dict[str, list[str]] = {}
        collection: str | None = None
        for path in paths:
            collection, doc_id = split_path(path, collection)
            wanted = ids.get(collection)
            if wanted is None:
                wanted = ids[collection] = []
            wanted.append(doc_id)
        found: dict[str, str] = {}
        for collection, wanted in ids.items():
            table = _table(_group(collection))
            for start in range(0, len(wanted), 500):
                chunk = wanted[start : start + 500]
                sql = (
                    f"SELECT id, data FROM {table} WHERE collection = ? "
                    f"AND id IN ({', '.join('?' * len(chunk))})"
                )
                rows = _on_table(conn, sql, [collection, *chunk])
                found.update((f"{collection}/{doc_id}", data) for doc_id, data in rows)
        return [None if (text := found.get(p)) is None else _loads(text) for p in paths]

    def _query(self, conn: sqlite3.Connection, q: Query) -> list[Doc]:
        text, params = self._query_sql(conn, q)
        prefix = q.collection + "/"
        return [
            Doc(prefix + doc_id, _loads(data)) for doc_id, data in _on_table(conn, text, params)
        ]

    def _query_sql(self, conn: sqlite3.Connection, q: Query) -> tuple[str, list[Any]]:
        check_collection(q.collection)
        if self.enforce_indexes:
            indexes.check(q)
        group = _group(q.collection)
        sql = [f"SELECT id, data FROM {_table(group)} WHERE collection = ?"]
        params: list[Any] = [q.collection]
        for w in q.where:
            clause, values = _where_sql(w, group)
            sql.append("AND " + clause)
            params += values
        # Firestore also orders by inequality-filtered fields the query does not order by.
        orders = indexes.effective_orders(q)
        for o in orders:
            sql.append(f"AND {rank_sql(o.field, group)} IS NOT NULL")
        last_direction = orders[-1].direction if orders else "asc"
        if q.start_after is not None:
            # A filter that fixes a field's type fixes its rank: leaving it out of the cursor
            # lets SQLite start the range right after the cursor.
            fixed = {w.field for w in q.where if w.op in _FIXES_RANK and w.value is not None}
            clause, values = _after_sql(q.start_after, orders, last_direction, fixed, group)
            sql.append("AND " + clause)
            params += values
        order_terms = [
            f"{expr} {o.direction.upper()}"
            for o in orders
            for expr in (rank_sql(o.field, group), value_sql(o.field, group))
        ]
        order_terms.append(f"id {last_direction.upper()}")
        sql.append("ORDER BY " + ", ".join(order_terms))
        if q.limit is not None:
            sql.append("LIMIT ?")
            params.append(q.limit)
        text = " ".join(sql)
        if self.refuse_scans and not any(w.op == "array_contains" for w in q.where):
            # An `in` filter reads each value's range and sorts the union, as Firestore does.
            sorts_ok = any(w.op == "in" for w in q.where)
            refuse_scan(conn, text, params, q.collection, bool(q.where or orders), sorts_ok)
        return text, params


def _where_sql(w: Where, group: str) -> tuple[str, list[Any]]:
    rank, value = rank_sql(w.field, group), value_sql(w.field, group)
    if w.op == "==":
        return _equals_sql(w.field, w.value, group)
    if w.op == "!=":
        # Firestore's != matches documents that have the field, not null, with another value.
        clause, values = _equals_sql(w.field, w.value, group)
        return f"({rank} > 0 AND NOT {clause})", values
    if w.op == "in":
        if not 0 < len(w.value) <= MAX_IN_VALUES:
            raise ValueError(f"'in' takes 1 to {MAX_IN_VALUES} values")
        by_rank: dict[int, list[Any]] = {}
        for v in w.value:
            _comparable(v)
            by_rank.setdefault(_type_rank(v), []).append(_encode(v))
        clauses, params = [], []
        for r, values in by_rank.items():
            if r == 0:
                clauses.append(f"{rank} = 0")
                continue
            clauses.append(f"({rank} = {r} AND {value} IN ({', '.join('?' * len(values))}))")
            params += values
        # The first term tells SQLite that the field's (partial) indexes hold every match.
        return f"({rank} IS NOT NULL AND ({' OR '.join(clauses)}))", params
    if w.value is None:
        raise ValueError(f"only == and != compare with None, not {w.op!r}")
    if w.op == "array_contains":
        # json_each also walks objects and scalars; only arrays count.
        path = json_path(w.field)
        return (
            f"(json_type(data, '{path}') = 'array' AND EXISTS (SELECT 1 FROM "
            f"json_each(data, '{path}') WHERE value = ? AND {_element_is(w.value)}))",
            [_encode(w.value)],
        )
    if w.op in ("<", "<=", ">", ">="):
        _comparable(w.value)
        return f"({rank} = {_type_rank(w.value)} AND {value} {w.op} ?)", [_encode(w.value)]
    raise ValueError(f"unsupported operator {w.op!r}")


def _comparable(value: Any) -> None:
    if value is not None and not isinstance(value, bool | int | float | datetime | str):
        raise ValueError(f"cannot compare with {type(value).__name__} values")


def _element_is(value: Any) -> str:
    """SQL true when a json_each element has the type of `value`."""
    _comparable(value)
    tagged = f"substr(value, 1, {len(TS_TAG)}) = '{TS_TAG}'"
    if isinstance(value, bool):
        return "type IN ('true','false')"
    if isinstance(value, int | float):
        return "type IN ('integer','real')"
    if isinstance(value, datetime):
        return f"(type = 'text' AND {tagged})"
    return f"(type = 'text' AND NOT {tagged})"


def _equals_sql(field: str, value: Any, group: str) -> tuple[str, list[Any]]:
    _comparable(value)
    rank = rank_sql(field, group)
    if value is None:
        return f"{rank} = 0", []
    return f"({rank} = {_type_rank(value)} AND {value_sql(field, group)} = ?)", [_encode(value)]


def _sort_values(value: Any) -> tuple[int, Any]:
    """The values of (`rank_sql`, `value_sql`) for a Python value (a cursor's field)."""
    rank = _type_rank(value)
    if value is None:
        return rank, 0
    if isinstance(value, bool):
        return rank, int(value)
    if rank == 2 or rank == 4:
        return rank, value
    if rank == 3:
        return rank, _encode(value)
    # json_extract gives arrays and maps as compact JSON text.
    return rank, _dumps(value)


_FIXES_RANK = {"==", "<", "<=", ">", ">="}


def _after_sql(
    cursor: Doc, orders: Sequence[Order], last_direction: str, fixed_rank: set[str], group: str
) -> tuple[str, list[Any]]:
    """Rows strictly after the cursor document in (order fields..., id) order."""
    keys: list[tuple[str, str, Any]] = []
    for o in orders:
        rank, value = _sort_values(field_value(cursor.data, o.field))
        if o.field not in fixed_rank:
            keys.append((rank_sql(o.field, group), o.direction, rank))
        keys.append((value_sql(o.field, group), o.direction, value))
    keys.append(("id", last_direction, cursor.id))
    if len({direction for _, direction, _ in keys}) == 1:
        # One row-value comparison: SQLite turns it into a range of the index.
        op = ">" if last_direction == "asc" else "<"
        columns = ", ".join(expr for expr, _, _ in keys)
        marks = ", ".join("?" * len(keys))
        return f"(({columns}) {op} ({marks}))", [v for _, _, v in keys]
    alternatives, params = [], []
    for i, (expr, direction, value) in enumerate(keys):
        terms = [f"{e} = ?" for e, _, _ in keys[:i]]
        params += [v for _, _, v in keys[:i]]
        terms.append(f"{expr} {'>' if direction == 'asc' else '<'} ?")
        params.append(value)
        alternatives.append("(" + " AND ".join(terms) + ")")
    return "(" + " OR ".join(alternatives) + ")", params


class SqliteTransaction(_Reads, _Writes):
    def __init__(self, conn: sqlite3.Connection, store: _Reads) -> None:
        _Reads.__init__(self, store.enforce_indexes, store.refuse_scans)
        _Writes.__init__(self)
        self._conn = conn

    def _before_read(self) -> None:
        if self.ops:
            raise ReadAfterWrite("a transaction must do all its reads before its first write")

    def get(self, path: str) -> dict[str, Any] | None:
        self._before_read()
        return self._get(self._conn, path)

    def get_many(self, paths: Sequence[str]) -> list[dict[str, Any] | None]:
        self._before_read()
        return self._get_many(self._conn, paths)

    def query(self, q: Query) -> list[Doc]:
        self._before_read()
        return self._query(self._conn, q)


class SqliteBatch(_Writes):
    def __init__(self, store: "SqliteStore") -> None:
        super().__init__()
        self._store = store

    def commit(self) -> None:
        self._store.transaction(lambda txn: txn.ops.extend(self.ops))


# Pages of WAL after which a commit copies them into the database file itself; a backstop
# only: the checkpointer below does it first, off the request path.
WAL_BACKSTOP_PAGES = 8_000
CHECKPOINT_DELAY = 0.5  # seconds from a commit to the checkpoint that follows it


class _Checkpointer:
    """Copies committed WAL pages into the database file in a thread of its own, shortly after
    commits, instead of inside whichever commit crosses SQLite's threshold: that commit
    waited for the copy and its fsync (35-50 ms every 16 MiB written, measured)."""

    def __init__(self, path: str) -> None:
        self._path = path
        self._due = threading.Event()
        self._closed = threading.Event()
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()

    def committed(self) -> None:
        if self._thread is None:  # started by the first commit: most test stores see few
            with self._lock:
                if self._thread is None and not self._closed.is_set():
                    self._thread = threading.Thread(
                        target=self._run, name="sqlite-checkpoint", daemon=True
                    )
                    self._thread.start()
        self._due.set()

    def _run(self) -> None:
        conn = sqlite3.connect(self._path, timeout=30, isolation_level=None)
        try:
            # Closing sets `_closed`, then `_due`: whichever step the loop is at, it ends.
            while not self._closed.is_set():
                self._due.wait()
                if self._closed.wait(CHECKPOINT_DELAY):  # one checkpoint for a moment's commits
                    return
                self._due.clear()
                # PASSIVE copies what no reader still needs and never waits; once all is
                # copied, the next commit starts the WAL over from its beginning. When busy,
                # the next commit asks again (and the backstop remains).
                with suppress(sqlite3.OperationalError):
                    conn.execute("PRAGMA wal_checkpoint(PASSIVE)")
        finally:
            conn.close()

    def close(self) -> None:
        with self._lock:
            self._closed.set()
            thread = self._thread
        self._due.set()
        if thread is not None:
            thread.join()


class SqliteStore(_Reads):
    """The SQLite adapter. `path=":memory:"` uses a private temporary file.

    `rerun_transactions=True` runs every transaction body twice, discarding the first run, to
    prove bodies are safe to retry as Firestore may retry them.
    """

    def __init__(
        self,
        path: str = ":memory:",
        *,
        enforce_indexes: bool = True,
        refuse_scans: bool | None = None,
        rerun_transactions: bool = False,
        max_attempts: int = 8,
    ) -> None:
        super().__init__(enforce_indexes, enforce_indexes if refuse_scans is None else refuse_scans)
        self._owned_dir: tempfile.TemporaryDirectory[str] | None = None
        if path == ":memory:":
            self._owned_dir = tempfile.TemporaryDirectory(prefix="store-")
            path = os.path.join(self._owned_dir.name, "store.sqlite3")
        Path(path).parent.mkdir(parents=True, exist_ok=True)
        self.path = path
        self.rerun_transactions = rerun_transactions
        self.max_attempts = max_attempts
        self._in_transaction = threading.local()
        # Idle connections, reused by any thread: the dev server runs each request on a new
        # thread, so per-thread connections would pile up.
        self._idle: queue.SimpleQueue[sqlite3.Connection] = queue.SimpleQueue()
        self._all: list[sqlite3.Connection] = []
        self._lock = threading.Lock()
        self._checkpointer = _Checkpointer(path)
        with self._connection() as conn:
            # Takes effect on a new file only. Documents are JSON of a few hundred bytes to
            # a few KiB: 16 KiB pages hold more of them, so a commit writes fewer WAL frames
            # and splits fewer pages (writing 10,000 sync entries took about a tenth less).
            conn.execute(f"PRAGMA page_size={PAGE_SIZE}")
            conn.execute("PRAGMA journal_mode=WAL")
            open_layout(conn)

    @contextmanager
    def _connection(self) -> Iterator[sqlite3.Connection]:
        try:
            conn = self._idle.get_nowait()
        except queue.Empty:
            conn = sqlite3.connect(
                self.path, timeout=30, isolation_level=None, check_same_thread=False
            )
            # WAL with synchronous=NORMAL: a commit survives the process crashing; an OS crash
            # or power loss may drop the last commits but never corrupts the file (what most
            # embedded stores choose). FULL would fsync every commit.
            conn.execute("PRAGMA synchronous=NORMAL")
            conn.execute("PRAGMA busy_timeout=30000")
            conn.execute(f"PRAGMA wal_autocheckpoint={WAL_BACKSTOP_PAGES}")
            with self._lock:
                self._all.append(conn)
        try:
            yield conn
        finally:
            if conn.in_transaction:  # never hand on a connection mid-transaction
                conn.execute("ROLLBACK")
            self._idle.put(conn)

    # Reads outside a transaction see the latest committed state.
    def get(self, path: str) -> dict[str, Any] | None:
        with self._connection() as conn:
            return self._get(conn, path)

    def get_many(self, paths: Sequence[str]) -> list[dict[str, Any] | None]:
        with self._connection() as conn:
            return self._get_many(conn, paths)

    def query(self, q: Query) -> list[Doc]:
        with self._connection() as conn:
            return self._query(conn, q)

    def explain(self, q: Query) -> list[str]:
        """The plan SQLite follows for `q` (EXPLAIN QUERY PLAN details), for tests."""
        with self._connection() as conn:
            text, params = self._query_sql(conn, q)
            return query_plan(conn, _group(q.collection), text, params)

    # A write outside a transaction is a transaction of one write.
    def create(self, path: str, data: dict[str, Any]) -> None:
        self.transaction(lambda txn: txn.create(path, data))

    def set(self, path: str, data: dict[str, Any], merge: bool = False) -> None:
        self.transaction(lambda txn: txn.set(path, data, merge=merge))

    def update(self, path: str, fields: dict[str, Any]) -> None:
        self.transaction(lambda txn: txn.update(path, fields))

    def delete(self, path: str) -> None:
        self.transaction(lambda txn: txn.delete(path))

    def batch(self) -> SqliteBatch:
        return SqliteBatch(self)

    def transaction(self, body: Callable[[SqliteTransaction], T]) -> T:
        if getattr(self._in_transaction, "active", False):
            raise RuntimeError("nested transactions are not supported; pass the transaction on")
        self._in_transaction.active = True
        try:
            with self._connection() as conn:
                return self._run(conn, body)
        finally:
            self._in_transaction.active = False

    def _run(self, conn: sqlite3.Connection, body: Callable[[SqliteTransaction], T]) -> T:
        for attempt in range(1, self.max_attempts + 1):
            try:
                conn.execute("BEGIN IMMEDIATE")
            except sqlite3.OperationalError as e:
                if "locked" not in str(e) or attempt == self.max_attempts:
                    raise Contention(str(e)) from e
                time.sleep(random.uniform(0, 0.05 * attempt))
                continue
            try:
                if self.rerun_transactions:
                    body(SqliteTransaction(conn, self))
                txn = SqliteTransaction(conn, self)
                result = body(txn)
                _apply(conn, txn.ops)
                conn.execute("COMMIT")
                if txn.ops:
                    self._checkpointer.committed()
                return result
            except BaseException:
                conn.execute("ROLLBACK")
                raise
        raise Contention("transaction did not commit")

    def close(self) -> None:
        self._checkpointer.close()
        with self._lock:
            for conn in self._all:
                conn.close()
            self._all.clear()
        self._idle = queue.SimpleQueue()
        if self._owned_dir is not None:
            self._owned_dir.cleanup()
            self._owned_dir = None
