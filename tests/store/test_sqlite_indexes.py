"""The SQLite adapter builds an index for every entry of firestore.indexes.json (and each
single-field index), and SQLite's query plan uses it: no collection scan, no sort."""

import sqlite3
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest

from shared.store import Doc, MissingIndex, Query, query
from shared.store.indexes import (
    IndexField,
    declared_indexes,
    exempted_single_fields,
    single_field_indexes,
)
from shared.store.sqlite import SqliteStore
from shared.store.sqlite_indexes import (
    _rank_expr,
    _value_expr,
    indexed_fields,
    rank_sql,
    value_sql,
    wanted_indexes,
)

AT = datetime(2026, 1, 1, tzinfo=UTC)


@pytest.fixture
def sqlite() -> Iterator[SqliteStore]:
    opened = SqliteStore(":memory:")
    yield opened
    opened.close()


def _collection(group: str) -> str:
    # Subcollection groups live under a parent, as the code stores them.
    top_level = {"ledger", "sessions", "backfills", "generation_jobs"}
    return group if group in top_level else f"users/u1/{group}"


def _composite_query(group: str, fields: tuple[IndexField, ...], after: Doc | None) -> Query:
    """Equality on every field but the last, ordered by the last, as the index serves."""
    *equal, ordered = fields
    return query(
        _collection(group),
        [(f.field, "==", "x") for f in equal],
        [(ordered.field, "desc" if ordered.mode == "DESCENDING" else "asc")],
        limit=10,
        start_after=after,
    )


def test_every_declared_and_single_field_index_exists(sqlite: SqliteStore) -> None:
    conn = sqlite3.connect(sqlite.path)
    names = {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type='index'")}
    conn.close()
    assert set(wanted_indexes()) <= names
    assert len(wanted_indexes()) == len(declared_indexes()) + len(single_field_indexes())


@pytest.mark.parametrize(("group", "fields"), declared_indexes())
def test_each_composite_query_uses_its_index(
    sqlite: SqliteStore, group: str, fields: tuple[IndexField, ...]
) -> None:
    cursor = Doc(
        f"{_collection(group)}/d1", {f.field: "x" for f in fields} | {fields[-1].field: AT}
    )
    for after in (None, cursor):
        plan = sqlite.explain(_composite_query(group, fields, after))
        assert len(plan) == 1, plan  # one index search, no temporary sort
        assert plan[0].startswith(f"SEARCH docs USING INDEX ix_{group}_"), plan
        constrained = plan[0].split("(", 1)[1]
        # Every equality field and the cursor are part of the search key, not filters.
        assert constrained.count("=?") >= 1 + 2 * (len(fields) - 1), plan
        assert after is None or "(r_" in constrained or ",id)" in constrained, plan


def test_each_single_field_index_serves_equality_range_and_order(sqlite: SqliteStore) -> None:
    kept = exempted_single_fields()
    for group, field in single_field_indexes():
        # An order that fieldOverrides exempts is refused as on Firestore (tested elsewhere).
        orders = kept.get((group, field), frozenset({"ASCENDING", "DESCENDING"}))
        direction = "desc" if "DESCENDING" in orders else "asc"
        queries = [query(_collection(group), order_by=[(field, direction)], limit=5)]
        if "ASCENDING" in orders:
            queries += [
                query(_collection(group), [(field, "==", "x")], limit=5),
                query(_collection(group), [(field, ">", AT)], limit=5),
            ]
        for q in queries:
            plan = sqlite.explain(q)
            assert len(plan) == 1 and f"ix_{group}_" in plan[0], (group, field, plan)


def test_a_query_on_an_unindexed_field_is_refused(sqlite: SqliteStore) -> None:
    with pytest.raises(MissingIndex, match="would scan"):
        sqlite.query(query("ledger", [("notIndexed", "==", 1)]))
    with pytest.raises(MissingIndex, match="would scan"):
        sqlite.query(query("users/u1/sync_entries", order_by=["notIndexed"]))
    assert sqlite.query(query("users/u1/sync_entries", limit=3)) == []  # by id: no field


def test_pages_of_one_user_stay_apart_from_every_other_user(sqlite: SqliteStore) -> None:
    for uid in ("u1", "u2"):
        batch = sqlite.batch()
        for i in range(30):
            batch.set(f"users/{uid}/sync_entries/e{i:02}", {"seq": i + 1, "deleted": False})
        batch.commit()
    seen, after = [], None
    while docs := sqlite.query(
        query("users/u2/sync_entries", [("seq", ">", 3)], ["seq"], limit=7, start_after=after)
    ):
        seen += [d.data["seq"] for d in docs]
        after = docs[-1]
    assert seen == list(range(4, 31))


def test_an_index_file_change_rebuilds_on_open(sqlite: SqliteStore) -> None:
    conn = sqlite3.connect(sqlite.path)
    conn.execute("CREATE INDEX ix_stale_one ON docs (id)")
    conn.close()
    reopened = SqliteStore(sqlite.path)
    conn = sqlite3.connect(sqlite.path)
    names = {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type='index'")}
    conn.close()
    reopened.close()
    assert "ix_stale_one" not in names and set(wanted_indexes()) <= names


def test_ledger_pages_by_cursor_newest_first(sqlite: SqliteStore) -> None:
    batch = sqlite.batch()
    for i in range(25):
        batch.set(f"ledger/e{i:02}", {"uid": "u1", "createdAt": AT + timedelta(seconds=i % 10)})
    batch.commit()
    seen, after = [], None
    q = lambda last: query(  # noqa: E731
        "ledger", [("uid", "==", "u1")], [("createdAt", "desc")], limit=4, start_after=last
    )
    while docs := sqlite.query(q(after)):
        seen += [d.id for d in docs]
        after = docs[-1]
    expected = sorted(
        (f"e{i:02}" for i in range(25)), key=lambda d: (int(d[1:]) % 10, d), reverse=True
    )
    assert seen == expected


def test_sort_key_columns_written_by_the_adapter_agree_with_their_sql_definition(sqlite):
    # The adapter fills the columns from the document it writes (sort_key_row); the SQL
    # expressions are their definition (and fill the rows of older layouts).

    samples = [None, True, False, 0, 3, -2.5, "", "text", AT, [1, "a", AT], {"k": [1]}]
    checked = 0
    for field, groups in indexed_fields().items():
        group = groups[0]
        *parents, leaf = field.split(".")
        for i, sample in enumerate([*samples, "absent"]):
            doc: dict = {} if sample == "absent" else {leaf: sample}
            for parent in reversed(parents):
                doc = {parent: doc}
            path = f"{_collection(group)}/d{i}"
            sqlite.set(path, doc)
            with sqlite._connection() as conn:
                row = conn.execute(
                    f"SELECT {rank_sql(field, group)}, {value_sql(field, group)}, "
                    f"{_rank_expr(field)}, {_value_expr(field)} FROM docs WHERE path = ?",
                    (path,),
                ).fetchone()
            assert row[:2] == row[2:], (field, sample)
            checked += 1
    assert checked > 20


def test_a_file_of_an_older_layout_is_rebuilt_when_the_store_opens(tmp_path):
    from shared.store.sqlite import _SCHEMA

    path = tmp_path / "old.sqlite3"
    name = next(n for n in wanted_indexes() if n.startswith("ix_sync_entries_seq_a_"))
    conn = sqlite3.connect(path, isolation_level=None)
    conn.executescript(_SCHEMA)
    # A sort key as a generated column, under an index of the same name: the layout before.
    expr = "json_extract(data, '$.seq')"
    conn.execute(f"ALTER TABLE docs ADD COLUMN r_seq_old GENERATED ALWAYS AS ({expr}) VIRTUAL")
    conn.execute(f'CREATE INDEX "{name}" ON docs (collection, r_seq_old, id)')
    for seq in (3, 1, 2):
        conn.execute(
            "INSERT INTO docs (path, collection, id, data) VALUES (?, ?, ?, ?)",
            (
                f"users/u1/sync_entries/e{seq}",
                "users/u1/sync_entries",
                f"e{seq}",
                f'{{"seq":{seq}}}',
            ),
        )
    conn.close()

    store = SqliteStore(str(path))
    try:
        q = query("users/u1/sync_entries", [("seq", ">", 1)], [("seq", "asc")])
        assert [d.id for d in store.query(q)] == ["e2", "e3"]
        with store._connection() as conn:
            columns = {row[1] for row in conn.execute("PRAGMA table_xinfo(docs)")}
        assert "r_seq_old" not in columns
        assert any(name in step for step in store.explain(q))
    finally:
        store.close()
