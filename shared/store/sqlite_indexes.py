"""The SQLite adapter's layout: one table per collection group, sort keys in Firestore's order,
and the indexes of the index file.

Each collection group (the last segment of a collection path: `users/u1/sync_entries` is in
`sync_entries`) has its own table, named `"g/<group>/<hash>"` (a quoted identifier; the hash of
the exact group keeps groups apart that differ only in case, which SQLite names ignore). A table
is created the first time its group is written (`create_table`, inside the write transaction),
keyed by (collection, id): the key serves point reads, reads of many documents and listings
by id, and keeps the documents of one user's subcollection together however many users
there are.

A table has, besides collection, id and the document's JSON, the sort key of each field some
index of its group covers (`group_columns`): the rank of the value's type in Firestore's order
(null, booleans, numbers, timestamps, strings, arrays, maps; NULL when the field is absent)
and the value itself, two plain columns per field. The adapter computes them from the
document it writes (`sort_key_row`); the SQL expressions `_rank_expr` and `_value_expr` remain
their definition (they fill columns added to existing tables and rows moved from an older
layout, and the tests hold the two to agreement). Each group's indexes (firestore.indexes.json
and `indexes.SINGLE_FIELD_INDEXES`) lead with the collection path, so SQLite serves filters,
order and start-after cursors (row values) of one subcollection from one range. As Firestore's,
each index holds only the documents that have all its fields (a partial index: `WHERE` each
field's rank `IS NOT NULL`); every query names the rank of each field it filters or orders
by, so SQLite knows the index serves it.
"""

import hashlib
import re
import sqlite3
import threading
from collections.abc import Iterable, Sequence
from functools import cache
from typing import Any

import orjson

from shared.store.indexes import IndexField, declared_indexes, single_field_indexes
from shared.store.port import MissingIndex
from shared.store.values import split_field_path

TS_TAG = "__ts__:"  # timestamps are stored as tagged ISO strings, which sort by instant

INDEX_PREFIX = "ix_"
TABLE_PREFIX = "g/"
# A rowid table with the (collection, id) key as its index: measured faster than WITHOUT ROWID
# (10,000 sync entries written: 92 ms against 104 ms; reads alike), whose b-tree holds the
# documents' JSON in its key pages (SQLite advises WITHOUT ROWID for small rows only).
WITHOUT_ROWID = False

# The layout before one table per group: every document in `docs` (moved at open).
_OLD_TABLE = "docs"
_OLD_GROUP = "substr(collection, length(rtrim(collection, replace(collection, '/', ''))) + 1)"


def json_path(field: str) -> str:
    return "$." + ".".join(f'"{p}"' for p in split_field_path(field))


def _rank_expr(field: str) -> str:
    p = json_path(field)
    return (
        f"CASE json_type(data, '{p}') WHEN 'null' THEN 0 WHEN 'true' THEN 1 "
        f"WHEN 'false' THEN 1 WHEN 'integer' THEN 2 WHEN 'real' THEN 2 WHEN 'text' THEN "
        f"(CASE WHEN substr(json_extract(data, '{p}'), 1, {len(TS_TAG)}) = '{TS_TAG}' "
        f"THEN 3 ELSE 4 END) WHEN 'array' THEN 5 WHEN 'object' THEN 6 END"
    )


def _value_expr(field: str) -> str:
    return f"ifnull(json_extract(data, '{json_path(field)}'), 0)"


def quoted(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


@cache
def table_name(group: str) -> str:
    """The (unquoted) name of the table of `group`'s documents."""
    digest = hashlib.sha1(group.encode()).hexdigest()[:6]
    return f"{TABLE_PREFIX}{group}/{digest}"


def group_of_table(name: str) -> str | None:
    """The group whose table `name` is, or None for any other table."""
    if not name.startswith(TABLE_PREFIX):
        return None
    group, _, _ = name[len(TABLE_PREFIX) :].rpartition("/")
    return group if group and table_name(group) == name else None


@cache
def indexed_fields() -> dict[str, tuple[str, ...]]:
    """The fields that some index covers, with the groups that index each (sorted).

    Each has its sort key as two columns in the tables of those groups.
    """
    groups: dict[str, set[str]] = {}
    for group, fields in _index_specs():
        for f in fields:
            groups.setdefault(f.field, set()).add(group)
    return {field: tuple(sorted(g)) for field, g in groups.items()}


def _column_stem(field: str) -> str:
    # The hash keeps fields apart whose readable parts are alike ("a.b" and "a_b").
    digest = hashlib.sha1(repr(("column", field)).encode()).hexdigest()[:6]
    return re.sub(r"[^A-Za-z0-9_]", "_", field)[:40] + "_" + digest


@cache
def group_columns(group: str) -> tuple[tuple[str, str, tuple[str, ...]], ...]:
    """(rank column, value column, field path) of each field indexed in `group`."""
    return tuple(
        sorted(
            (
                rank_sql(f, group).strip('"'),
                value_sql(f, group).strip('"'),
                tuple(split_field_path(f)),
            )
            for f, groups in indexed_fields().items()
            if group in groups
        )
    )


def sort_key_row(stored: dict[str, Any], group: str) -> list[Any]:
    """The values of `group_columns(group)`, rank and value alternating, for a document as
    stored (timestamps still tagged strings): what `_rank_expr` and `_value_expr` give."""
    row: list[Any] = []
    for _, _, parts in group_columns(group):
        node: Any = stored
        for part in parts:
            if type(node) is not dict or part not in node:
                row += (None, 0)
                break
            node = node[part]
        else:
            row += sort_key(node)
    return row


def sort_key(value: Any) -> tuple[int, Any]:
    """The (rank, value) of a value as stored (decoded JSON)."""
    kind = type(value)
    if value is None:
        return 0, 0
    if kind is bool:
        return 1, int(value)
    if kind is int or kind is float:
        return 2, value
    if kind is str:
        return (3 if value.startswith(TS_TAG) else 4), value
    # json_extract gives arrays and maps as compact JSON text.
    return (5 if kind is list else 6), orjson.dumps(value).decode()


def _has_columns(field: str, group: str) -> bool:
    return group in indexed_fields().get(field, ())


def rank_sql(field: str, group: str) -> str:
    """SQL for the rank of the field's type in Firestore's order; NULL if absent.

    A field indexed in the group reads a column (SQLite's planner matches columns,
    not expressions, to ranges, row values and orders); any other the expression itself.
    """
    if _has_columns(field, group):
        return f'"r_{_column_stem(field)}"'
    return _rank_expr(field)


def value_sql(field: str, group: str) -> str:
    """SQL for the field's value (booleans 0/1, nulls 0 so that row values compare)."""
    if _has_columns(field, group):
        return f'"v_{_column_stem(field)}"'
    return _value_expr(field)


def _index_name(group: str, fields: Sequence[IndexField]) -> str:
    readable = "_".join([group, *(f"{f.field}_{f.mode[0].lower()}" for f in fields)])
    readable = re.sub(r"[^A-Za-z0-9_]", "_", readable)[:80]
    digest = hashlib.sha1(repr((group, tuple(fields))).encode()).hexdigest()[:8]
    return f"{INDEX_PREFIX}{readable}_{digest}"


def _index_sql(name: str, group: str, fields: Sequence[IndexField]) -> str:
    columns = ["collection"]
    for f in fields:
        direction = " DESC" if f.mode == "DESCENDING" else ""
        columns += [rank_sql(f.field, group) + direction, value_sql(f.field, group) + direction]
    # The id breaks ties in the direction of the last ordered field, as queries sort.
    columns.append("id DESC" if fields and fields[-1].mode == "DESCENDING" else "id")
    # As in Firestore, an index holds only the documents that have all its fields: a write of
    # a document without them (a live sync entry and `deletedAt`) costs that index nothing.
    # Queries name each field's rank (`_query_sql`), so SQLite knows the index serves them.
    present = " AND ".join(f"{rank_sql(f.field, group)} IS NOT NULL" for f in fields)
    return (
        f'CREATE INDEX "{name}" ON {quoted(table_name(group))} ({", ".join(columns)}) '
        f"WHERE {present}"
    )


def _index_specs() -> list[tuple[str, tuple[IndexField, ...]]]:
    """(group, fields) of every index: the declared ones and the single-field ones.

    Array-contains fields cannot be indexed here; an index with one keeps its other fields
    (the array filter then checks the rows that range finds).
    """
    specs = list(declared_indexes())
    specs += [(g, (IndexField(f, "ASCENDING"),)) for g, f in single_field_indexes()]
    kept = [(g, tuple(f for f in fields if f.mode != "CONTAINS")) for g, fields in specs]
    return [(g, fields) for g, fields in kept if fields]


@cache
def group_indexes(group: str) -> dict[str, str]:
    """Index name -> CREATE INDEX statement, for every index of `group`."""
    return {
        _index_name(g, fields): _index_sql(_index_name(g, fields), g, fields)
        for g, fields in _index_specs()
        if g == group
    }


def wanted_indexes() -> dict[str, str]:
    """Index name -> CREATE INDEX statement, for every declared and single-field index."""
    return {
        name: sql
        for group in sorted({g for g, _ in _index_specs()})
        for name, sql in group_indexes(group).items()
    }


@cache
def table_sql(group: str) -> str:
    columns = ["collection TEXT NOT NULL", "id TEXT NOT NULL", "data TEXT NOT NULL"]
    for rank, value, _ in group_columns(group):
        columns += [quoted(rank), quoted(value)]
    columns.append("PRIMARY KEY (collection, id)")
    tail = " WITHOUT ROWID" if WITHOUT_ROWID else ""
    return f"CREATE TABLE IF NOT EXISTS {quoted(table_name(group))} ({', '.join(columns)}){tail}"


def is_missing_table(error: sqlite3.OperationalError) -> bool:
    return str(error).startswith("no such table")


def create_table(conn: sqlite3.Connection, group: str) -> None:
    """Create the table of `group` with its indexes, inside the caller's write transaction."""
    conn.execute(table_sql(group))
    for sql in group_indexes(group).values():
        conn.execute(sql.replace("CREATE INDEX", "CREATE INDEX IF NOT EXISTS", 1))
    _describe_indexes(conn, [group])


def group_tables(conn: sqlite3.Connection) -> dict[str, str]:
    """Group -> table name, for every group that has a table."""
    found = {}
    for (name,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'"):
        group = group_of_table(name)
        if group is not None:
            found[group] = name
    return found


def open_layout(conn: sqlite3.Connection) -> None:
    """Bring the file's layout in line with the code and the index file: move an older
    layout's documents to their group tables, then add and drop columns and indexes.

    One write transaction, so that processes opening the same file at once agree.
    """
    conn.execute("BEGIN IMMEDIATE")
    try:
        conn.execute("ANALYZE sqlite_schema")  # creates sqlite_stat1 if missing
        _migrate_single_table(conn)
        _sync_tables(conn)
        conn.execute("COMMIT")
    except BaseException:
        conn.execute("ROLLBACK")
        raise


def _migrate_single_table(conn: sqlite3.Connection) -> None:
    """Move every document of the one-table layout (`docs`) to its group's table."""
    exists = conn.execute(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", (_OLD_TABLE,)
    ).fetchone()
    if not exists:
        return
    groups = [g for (g,) in conn.execute(f"SELECT DISTINCT {_OLD_GROUP} FROM {_OLD_TABLE}")]
    for group in groups:
        create_table(conn, group)
        exprs = _column_exprs(group)
        columns = ["collection", "id", "data", *map(quoted, exprs)]
        values = ["collection", "id", "data", *exprs.values()]
        conn.execute(
            f"INSERT INTO {quoted(table_name(group))} ({', '.join(columns)}) "
            f"SELECT {', '.join(values)} FROM {_OLD_TABLE} WHERE {_OLD_GROUP} = ?",
            (group,),
        )
    conn.execute(f"DROP TABLE {_OLD_TABLE}")  # its indexes go with it
    conn.execute("DELETE FROM sqlite_stat1 WHERE tbl = ?", (_OLD_TABLE,))


def _column_exprs(group: str) -> dict[str, str]:
    """Sort-key column -> its SQL definition, for the table of `group`."""
    exprs: dict[str, str] = {}
    for field, groups in indexed_fields().items():
        if group in groups:
            exprs[rank_sql(field, group).strip('"')] = _rank_expr(field)
            exprs[value_sql(field, group).strip('"')] = _value_expr(field)
    return exprs


def _sync_tables(conn: sqlite3.Connection) -> None:
    """Each group table gets the columns and indexes its group has now; stale ones go."""
    existing = {
        name: sql
        for name, sql in conn.execute(
            "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND name LIKE ?",
            (INDEX_PREFIX + "%",),
        )
    }
    wanted = wanted_indexes()
    # Gone from the file, or built on the columns of an older layout.
    stale = {name for name, sql in existing.items() if wanted.get(name) != sql}
    for name in stale:
        conn.execute(f"DROP INDEX {quoted(name)}")
    tables = group_tables(conn)
    for group, table in tables.items():
        columns = {row[1] for row in conn.execute(f"PRAGMA table_xinfo({quoted(table)})")}
        exprs = _column_exprs(group)
        for column in sorted(columns):
            if column[:2] in ("r_", "v_") and column not in exprs:
                conn.execute(f"ALTER TABLE {quoted(table)} DROP COLUMN {quoted(column)}")
        for column, expr in sorted(exprs.items()):
            if column not in columns:
                # Rows written before the column existed get their values from its definition.
                conn.execute(f"ALTER TABLE {quoted(table)} ADD COLUMN {quoted(column)}")
                conn.execute(f"UPDATE {quoted(table)} SET {quoted(column)} = {expr}")
        for name, sql in group_indexes(group).items():
            if name not in existing or name in stale:
                conn.execute(sql)
    _describe_indexes(conn, list(tables))


def _describe_indexes(conn: sqlite3.Connection, groups: Iterable[str]) -> None:
    """Tell the planner how selective the indexes of `groups` are (sqlite_stat1, as ANALYZE
    would), and reload the statistics.

    Without statistics SQLite may prefer the (collection, id) key, which yields ids in order
    but reads the whole collection; these say that a collection is large, a type rank narrows
    nothing and a field's value narrows a lot.
    """
    conn.execute("ANALYZE sqlite_schema")  # creates sqlite_stat1 if missing
    for group in groups:
        table = table_name(group)
        conn.execute("DELETE FROM sqlite_stat1 WHERE tbl = ?", (table,))
        stats = [(_key_index(table), "1000000 10000 1")]
        for g, fields in _index_specs():
            if g == group:
                per_field = " 10000 10" * len(fields)
                stats.append((_index_name(g, fields), "1000000 10000" + per_field + " 1"))
        conn.executemany(
            "INSERT INTO sqlite_stat1 (tbl, idx, stat) VALUES (?, ?, ?)",
            [(table, idx, stat) for idx, stat in stats],
        )
    conn.execute("ANALYZE sqlite_schema")  # reload them


def _key_index(table: str) -> str:
    # SQLite's name for the index of a table's PRIMARY KEY (the table itself WITHOUT ROWID).
    return table if WITHOUT_ROWID else f"sqlite_autoindex_{table}_1"


_checked: dict[str, None] = {}
_planner_lock = threading.Lock()
_planned: set[str] = set()  # the groups whose table the planner has


@cache
def _planner() -> sqlite3.Connection:
    """An empty in-memory database with every table and index, to plan queries of groups that
    have no table yet in the store (plans depend on the layout and statistics alone)."""
    return sqlite3.connect(":memory:", isolation_level=None, check_same_thread=False)


def query_plan(conn: sqlite3.Connection, group: str, sql: str, params: Iterable) -> list[str]:
    """EXPLAIN QUERY PLAN details of `sql` on `group`'s table, planned on the empty layout when
    the group has no table yet."""
    try:
        return [row[3] for row in conn.execute("EXPLAIN QUERY PLAN " + sql, list(params))]
    except sqlite3.OperationalError as e:
        if not is_missing_table(e):
            raise
    with _planner_lock:
        planner = _planner()
        if group not in _planned:
            create_table(planner, group)
            _planned.add(group)
        return [row[3] for row in planner.execute("EXPLAIN QUERY PLAN " + sql, list(params))]


def refuse_scan(
    conn: sqlite3.Connection,
    sql: str,
    params: Iterable,
    collection: str,
    filtered: bool,
    sorts_ok: bool,
) -> None:
    """Raise MissingIndex when SQLite would scan the collection to answer `sql`.

    Firestore indexes every field by itself; here only the fields of `single_field_indexes`
    and of the index file are, so a query on another field would silently read the whole
    collection: a SCAN of the group's table, or a filtered query served by the (collection,
    id) key alone. Plans depend on the SQL text only, so each is checked once.
    """
    if sql in _checked:
        return
    group = collection.rpartition("/")[2]
    table = table_name(group)
    plan = query_plan(conn, group, sql, params)
    on_table = [d for d in plan if f" {table} " in f" {d} " and "json_each" not in d]
    by_key = ("USING PRIMARY KEY", f"INDEX sqlite_autoindex_{table}_1")
    scans = any(d.startswith(f"SCAN {table}") for d in on_table) or (
        filtered and any(k in d for d in on_table for k in by_key)
    )
    unsorted = not sorts_ok and any("TEMP B-TREE" in d for d in plan)
    if scans or unsorted:
        raise MissingIndex(
            f"query on {collection!r} would scan the collection on SQLite (plan: "
            f"{'; '.join(plan)}); add its field to SINGLE_FIELD_INDEXES in "
            "shared/store/indexes.py or a composite index to firestore.indexes.json"
        )
    _checked[sql] = None
