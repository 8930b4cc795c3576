"""The SQLite adapter's indexes: sort keys in Firestore's order, built from the index file.

A field's sort key is two SQL expressions over the document's JSON: the rank of its value's
type in Firestore's order (null, booleans, numbers, timestamps, strings, arrays, maps; NULL
when the field is absent) and the value itself, as two virtual generated columns per indexed
field, stored as two plain columns per indexed field, filled for the collection groups that
index it. The adapter computes them from the document it writes (`sort_key_row`): SQLite
would compute every generated column of each written row, three JSON parses per field, which
was most of a write's cost. The SQL expressions remain the definition (`_rank_expr`,
`_value_expr`: they fill the columns of rows written before a column existed, and the tests
hold the two to agreement). Queries use the columns of their group's indexed fields, so SQLite
serves filters, order and start-after cursors (row values) from the indexes. Each index is
partial (one collection group), and leads with the collection path, so the documents of one
user's subcollection sit together however many users there are.
"""

import hashlib
import re
import sqlite3
from collections.abc import Iterable, Sequence
from functools import cache
from typing import Any

import orjson

from shared.store.indexes import IndexField, declared_indexes, single_field_indexes
from shared.store.port import MissingIndex
from shared.store.values import split_field_path

TS_TAG = "__ts__:"  # timestamps are stored as tagged ISO strings, which sort by instant

# The collection group (last segment of the collection path), computed, never stored.
GROUP_COLUMN = (
    "ALTER TABLE docs ADD COLUMN grp TEXT GENERATED ALWAYS AS "
    "(substr(collection, length(rtrim(collection, replace(collection, '/', ''))) + 1)) VIRTUAL"
)
INDEX_PREFIX = "ix_"


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


@cache
def indexed_fields() -> dict[str, tuple[str, ...]]:
    """The fields that some index covers, with the groups that index each (sorted).

    Each has its sort key as two columns, filled for rows of those groups only.
    """
    groups: dict[str, set[str]] = {}
    for group, fields in _index_specs():
        for f in fields:
            groups.setdefault(f.field, set()).add(group)
    return {field: tuple(sorted(g)) for field, g in groups.items()}


def _column_stem(field: str) -> str:
    # The groups (and the layout) are part of the name: a column's meaning changes only with it.
    key = repr(("stored", field, indexed_fields()[field]))
    digest = hashlib.sha1(key.encode()).hexdigest()[:6]
    return re.sub(r"[^A-Za-z0-9_]", "_", field)[:40] + "_" + digest


def _guarded(field: str, expr: str) -> str:
    groups = ", ".join(literal(g) for g in indexed_fields()[field])
    return f"CASE WHEN grp IN ({groups}) THEN {expr} END"


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
            row += _sort_key(node)
    return row


def _sort_key(value: Any) -> tuple[int, Any]:
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


def literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def group_term(group: str) -> str:
    """The WHERE term that lets a query use the partial indexes of `group`."""
    return f"grp = {literal(group)}"


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
    on = f'"{name}" ON docs ({", ".join(columns)})'
    return f"CREATE INDEX {on} WHERE {group_term(group)}"


def _index_specs() -> list[tuple[str, tuple[IndexField, ...]]]:
    """(group, fields) of every index: the declared ones and the single-field ones.

    Array-contains fields cannot be indexed here; an index with one keeps its other fields
    (the array filter then checks the rows that range finds).
    """
    specs = list(declared_indexes())
    specs += [(g, (IndexField(f, "ASCENDING"),)) for g, f in single_field_indexes()]
    kept = [(g, tuple(f for f in fields if f.mode != "CONTAINS")) for g, fields in specs]
    return [(g, fields) for g, fields in kept if fields]


def wanted_indexes() -> dict[str, str]:
    """Index name -> CREATE INDEX statement, for every declared and single-field index."""
    return {
        _index_name(group, fields): _index_sql(_index_name(group, fields), group, fields)
        for group, fields in _index_specs()
    }


def create_indexes(conn: sqlite3.Connection) -> None:
    """Bring the database's indexes in line with the index file (drop stale, add new).

    One write transaction, so that processes opening the same file at once agree.
    """
    conn.execute("BEGIN IMMEDIATE")
    try:
        _sync_indexes(conn)
        conn.execute("COMMIT")
    except BaseException:
        conn.execute("ROLLBACK")
        raise


def _sync_indexes(conn: sqlite3.Connection) -> None:
    existing = dict(
        conn.execute(
            "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND name LIKE ?",
            (INDEX_PREFIX + "%",),
        ).fetchall()
    )
    wanted = wanted_indexes()
    # Gone from the file, or built on the columns of an older layout.
    stale = {name for name, sql in existing.items() if wanted.get(name) != sql}
    for name in stale:
        conn.execute(f'DROP INDEX "{name}"')
    columns = {row[1] for row in conn.execute("PRAGMA table_xinfo(docs)")}
    if "grp" not in columns:
        conn.execute(GROUP_COLUMN)
    wanted_columns: dict[str, str] = {}
    for field, groups in indexed_fields().items():
        for column, expr in (
            (rank_sql(field, groups[0]), _rank_expr(field)),
            (value_sql(field, groups[0]), _value_expr(field)),
        ):
            wanted_columns[column.strip('"')] = _guarded(field, expr)
    for column in columns:
        if column[:2] in ("r_", "v_") and column not in wanted_columns:
            conn.execute(f'ALTER TABLE docs DROP COLUMN "{column}"')  # an older layout's
    for column, expr in sorted(wanted_columns.items()):
        if column not in columns:
            # Rows written before the column existed get their values from its definition.
            conn.execute(f'ALTER TABLE docs ADD COLUMN "{column}"')
            conn.execute(f'UPDATE docs SET "{column}" = {expr}')
    for name in wanted.keys() - (existing.keys() - stale):
        conn.execute(wanted[name])
    _describe_indexes(conn, wanted)


def _describe_indexes(conn: sqlite3.Connection, wanted: dict[str, str]) -> None:
    """Tell the planner how selective the indexes are (sqlite_stat1, as ANALYZE would).

    Without statistics SQLite may prefer the (collection, id) index, which yields ids in
    order but reads the whole collection; these say that a collection is large, a type rank
    narrows nothing and a field's value narrows a lot.
    """
    conn.execute("ANALYZE sqlite_schema")  # creates sqlite_stat1 if missing
    conn.execute("DELETE FROM sqlite_stat1 WHERE tbl = 'docs'")
    stats = [("docs_collection", "1000000 10000 1")]
    for name, sql in wanted.items():
        fields = sql.count('"r_')
        stats.append((name, "1000000 10000" + " 10000 10" * fields + " 1"))
    conn.executemany("INSERT INTO sqlite_stat1 (tbl, idx, stat) VALUES ('docs', ?, ?)", stats)
    conn.execute("ANALYZE sqlite_schema")  # reload them


_checked: dict[str, None] = {}


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
    collection. Plans depend on the SQL text only, so each is checked once.
    """
    if sql in _checked:
        return
    plan = [row[3] for row in conn.execute("EXPLAIN QUERY PLAN " + sql, list(params))]
    on_docs = [d for d in plan if " docs" in f" {d}" and "json_each" not in d]
    scans = any(d.startswith("SCAN docs") for d in on_docs) or (
        filtered and any("docs_collection" in d for d in on_docs)
    )
    unsorted = not sorts_ok and any("TEMP B-TREE" in d for d in plan)
    if scans or unsorted:
        raise MissingIndex(
            f"query on {collection!r} would scan the collection on SQLite (plan: "
            f"{'; '.join(plan)}); add its field to SINGLE_FIELD_INDEXES in "
            "shared/store/indexes.py or a composite index to firestore.indexes.json"
        )
    _checked[sql] = None
