"""The SQLite adapter builds an index for every entry of firestore.indexes.json (and each
single-field index), and SQLite's query plan uses it: no collection scan, no sort."""

import sqlite3
import threading
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import orjson
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
    TS_TAG,
    _rank_expr,
    _value_expr,
    group_indexes,
    indexed_fields,
    quoted,
    rank_sql,
    table_name,
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


def _write_every_group(sqlite: SqliteStore) -> None:
    """One document in each indexed group (under another user), so each has its table."""
    groups = {g for g, _ in declared_indexes()} | {g for g, _ in single_field_indexes()}
    batch = sqlite.batch()
    for group in sorted(groups):
        batch.set(f"{_collection(group).replace('u1', 'u9')}/seed", {"other": 1})
    batch.commit()


def test_every_declared_and_single_field_index_exists(sqlite: SqliteStore) -> None:
    _write_every_group(sqlite)
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
    # Planned before the group has a table (on the empty layout), then on its table.
    for after in (None, cursor, "written", cursor):
        if after == "written":
            _write_every_group(sqlite)
            continue
        plan = sqlite.explain(_composite_query(group, fields, after))
        assert len(plan) == 1, plan  # one index search, no temporary sort
        assert plan[0].startswith(f"SEARCH {table_name(group)} USING INDEX ix_{group}_"), plan
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


def test_an_index_holds_only_the_documents_that_have_its_fields(sqlite: SqliteStore) -> None:
    # As Firestore's: a live sync entry (no deletedAt) costs the tombstones' index nothing.
    entries = "users/u1/sync_entries"
    batch = sqlite.batch()
    for i in range(10):
        tombstone = {"deletedAt": AT + timedelta(seconds=i)} if i % 5 == 0 else {}
        batch.set(f"{entries}/e{i}", {"seq": i, **tombstone})
    batch.commit()
    conn = sqlite3.connect(sqlite.path)
    cells = dict(
        conn.execute(
            "SELECT name, sum(ncell) FROM dbstat WHERE pagetype = 'leaf' AND name LIKE 'ix_%' "
            "GROUP BY name"
        ).fetchall()
    )
    conn.close()
    by_field = {
        name.split("_a_")[0].removeprefix("ix_sync_entries_"): n for name, n in cells.items()
    }
    assert by_field == {"deletedAt": 2, "seq": 10}
    ordered = sqlite.query(query(entries, order_by=["deletedAt"]))
    assert [d.id for d in ordered] == ["e0", "e5"]  # a document without the field is not listed
    chosen = sqlite.query(query(entries, [("deletedAt", "in", [AT, AT + timedelta(seconds=9)])]))
    assert [d.id for d in chosen] == ["e0"]
    assert all(" WHERE " in sql for sql in wanted_indexes().values())


def test_an_index_file_change_rebuilds_on_open(sqlite: SqliteStore) -> None:
    _write_every_group(sqlite)
    conn = sqlite3.connect(sqlite.path)
    conn.execute(f"CREATE INDEX ix_stale_one ON {quoted(table_name('sync_entries'))} (id)")
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
            sqlite.set(f"{_collection(group)}/d{i}", doc)
            with sqlite._connection() as conn:
                row = conn.execute(
                    f"SELECT {rank_sql(field, group)}, {value_sql(field, group)}, "
                    f"{_rank_expr(field)}, {_value_expr(field)} "
                    f"FROM {quoted(table_name(group))} WHERE collection = ? AND id = ?",
                    (_collection(group), f"d{i}"),
                ).fetchone()
            assert row[:2] == row[2:], (field, sample)
            checked += 1
    assert checked > 20


def test_sort_keys_read_from_the_written_document_agree_with_its_stored_text():
    # Writes compute sort keys from the document itself, not by decoding the text just
    # encoded; where that cannot be exact they fall back to decoding.
    from enum import IntEnum, StrEnum

    from shared.store import SERVER_TIMESTAMP, ArrayUnion, Increment
    from shared.store.sqlite import _new_value_hook, _orjson, _sort_keys
    from shared.store.sqlite_indexes import group_columns, sort_key_row

    class Level(IntEnum):
        HIGH = 2

    class Kind(StrEnum):
        A = "a"

    samples = [None, True, 0, 3, -2.5, float("nan"), "", "__ts__:x", AT, [1, AT], {"k": AT}]
    samples += [(1, 2), Level.HIGH, Kind.A, SERVER_TIMESTAMP, Increment(2), ArrayUnion([AT])]
    now = AT + timedelta(hours=1)
    checked = 0
    for field, groups in indexed_fields().items():
        group = groups[0]
        assert group_columns(group)
        *parents, leaf = field.split(".")
        for sample in samples:
            for doc in ({leaf: sample}, {"1": "x", leaf: sample}, {leaf + "x": sample}):
                for parent in reversed(parents):
                    doc = {parent: doc}
                stored = sort_key_row(orjson.loads(_orjson(doc, _new_value_hook(now))), group)
                fast = _sort_keys(doc, group, now)
                assert fast in (None, stored), (field, doc)
                checked += fast is not None
    assert checked > 100


def test_stored_timestamps_are_utc_with_microseconds_whatever_the_zone():
    # Their text is what SQL compares and sorts: fixed width, in UTC, for every kind of
    # tzinfo a value may carry (stdlib, zoneinfo, pydantic's own).
    import random
    from datetime import timezone
    from zoneinfo import ZoneInfo

    from pydantic import AwareDatetime, TypeAdapter

    from shared.store.sqlite import _timestamp

    parse = TypeAdapter(AwareDatetime).validate_python
    zones = [UTC, timezone(timedelta(0)), timezone(timedelta(hours=3))]
    zones += [timezone(timedelta(hours=-5, minutes=-30)), timezone(timedelta(seconds=37))]
    zones += [ZoneInfo("Europe/London"), ZoneInfo("America/New_York")]
    rng = random.Random(7)
    for _ in range(20_000):
        local = datetime(2026, 1, 1) + timedelta(
            days=rng.randint(-700_000, 2_900_000), microseconds=rng.choice([0, 1, 999_999, 5])
        )
        value = local.replace(tzinfo=rng.choice(zones))
        if rng.random() < 0.3 and value.utcoffset() % timedelta(minutes=1) == timedelta(0):
            value = parse(value.isoformat())
        utc = value.astimezone(UTC)
        assert _timestamp(value) == f"{TS_TAG}{utc.isoformat(timespec='microseconds')[:26]}Z"
    with pytest.raises(ValueError):
        _timestamp(datetime(2026, 1, 1))


def _old_layout(path) -> None:
    """A file as the one-table layout left it: every document in `docs`, partial indexes."""
    conn = sqlite3.connect(path, isolation_level=None)
    conn.executescript(
        """
        CREATE TABLE docs (path TEXT PRIMARY KEY, collection TEXT NOT NULL,
                           id TEXT NOT NULL, data TEXT NOT NULL);
        CREATE INDEX docs_collection ON docs (collection, id);
        ALTER TABLE docs ADD COLUMN grp TEXT GENERATED ALWAYS AS
            (substr(collection, length(rtrim(collection, replace(collection, '/', ''))) + 1))
            VIRTUAL;
        ALTER TABLE docs ADD COLUMN r_seq_old;
        CREATE INDEX ix_sync_entries_seq_a_old ON docs (collection, r_seq_old, id)
            WHERE grp = 'sync_entries';
        ANALYZE sqlite_schema;
        INSERT INTO sqlite_stat1 VALUES ('docs', 'docs_collection', '1000000 10000 1');
        """
    )
    rows = [
        (f"users/{uid}/sync_entries/e{seq}", {"seq": seq, "deleted": False})
        for uid, seq in (("u1", 3), ("u1", 1), ("u1", 2), ("u2", 5))
    ]
    rows += [
        (
            f"ledger/l{i}",
            {"uid": "u1", "delta": i, "createdAt": f"__ts__:2026-01-01T00:00:0{i}.000000Z"},
        )
        for i in range(4)
    ]
    for doc_path, data in rows:
        collection, _, doc_id = doc_path.rpartition("/")
        conn.execute(
            "INSERT INTO docs (path, collection, id, data) VALUES (?, ?, ?, ?)",
            (doc_path, collection, doc_id, orjson.dumps(data).decode()),
        )
    conn.close()


def test_a_file_of_the_one_table_layout_moves_to_group_tables_when_opened(tmp_path):
    from tests.support.store import all_documents

    path = str(tmp_path / "old.sqlite3")
    _old_layout(path)
    # Two processes opening the file at once: one converts it, the other finds it converted.
    opened: list[SqliteStore] = []
    threads = [threading.Thread(target=lambda: opened.append(SqliteStore(path))) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    store, other = opened
    try:
        q = query("users/u1/sync_entries", [("seq", ">", 1)], [("seq", "asc")])
        assert [d.id for d in store.query(q)] == ["e2", "e3"]
        assert any(
            name.startswith("ix_sync_entries_seq_a_") for name in group_indexes("sync_entries")
        )
        assert all("USING INDEX ix_sync_entries_seq_a_" in step for step in store.explain(q))
        q = query("ledger", [("uid", "==", "u1")], [("createdAt", "desc")], limit=2)
        assert [(d.id, d.data["createdAt"]) for d in other.query(q)] == [
            ("l3", datetime(2026, 1, 1, 0, 0, 3, tzinfo=UTC)),
            ("l2", datetime(2026, 1, 1, 0, 0, 2, tzinfo=UTC)),
        ]
        assert store.get("users/u2/sync_entries/e5") == {"seq": 5, "deleted": False}
        assert list(all_documents(store)) == sorted(
            [f"ledger/l{i}" for i in range(4)]
            + [f"users/u1/sync_entries/e{i}" for i in (1, 2, 3)]
            + ["users/u2/sync_entries/e5"]
        )
        with store._connection() as conn:
            tables = {
                r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")
            }
            stats = {r[0] for r in conn.execute("SELECT tbl FROM sqlite_stat1")}
        assert "docs" not in tables and "docs" not in stats
        assert {table_name("ledger"), table_name("sync_entries")} <= tables
    finally:
        store.close()
        other.close()


def test_a_table_of_an_older_column_layout_is_rebuilt_when_the_store_opens(tmp_path):
    path = str(tmp_path / "store.sqlite3")
    store = SqliteStore(path)
    store.set("users/u1/sync_entries/e1", {"seq": 1})
    store.close()
    table = quoted(table_name("sync_entries"))
    conn = sqlite3.connect(path, isolation_level=None)
    seq_rank = rank_sql("seq", "sync_entries")
    conn.execute(f"ALTER TABLE {table} ADD COLUMN r_gone")
    conn.execute(f"CREATE INDEX ix_sync_entries_gone ON {table} (collection, r_gone)")
    for name in group_indexes("sync_entries"):
        conn.execute(f"DROP INDEX {quoted(name)}")
    conn.execute(f"ALTER TABLE {table} DROP COLUMN {seq_rank}")  # filled again from its SQL
    conn.close()
    reopened = SqliteStore(path)
    try:
        q = query("users/u1/sync_entries", [("seq", ">", 0)], [("seq", "asc")])
        assert [d.id for d in reopened.query(q)] == ["e1"]
        with reopened._connection() as conn:
            columns = {row[1] for row in conn.execute(f"PRAGMA table_xinfo({table})")}
            names = {
                r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='index'")
            }
        assert "r_gone" not in columns and seq_rank.strip('"') in columns
        assert set(group_indexes("sync_entries")) <= names and "ix_sync_entries_gone" not in names
    finally:
        reopened.close()


def test_a_group_without_a_table_reads_as_empty_until_another_process_writes_it(tmp_path):
    path = str(tmp_path / "store.sqlite3")
    reader, writer = SqliteStore(path), SqliteStore(path)
    try:
        assert reader.get("users/u1/sync_entries/e1") is None
        assert reader.get_many(["users/u1/sync_entries/e1", "ledger/l1"]) == [None, None]
        q = query("users/u1/sync_entries", [("seq", ">", 0)], [("seq", "asc")])
        assert reader.query(q) == []
        assert reader.transaction(lambda txn: txn.query(q)) == []
        reader.delete("users/u1/sync_entries/e1")  # nothing to delete: no error either
        writer.set("users/u1/sync_entries/e1", {"seq": 1})
        assert reader.get("users/u1/sync_entries/e1") == {"seq": 1}
        reader.set("users/u1/sync_entries/e2", {"seq": 2})  # its table, created by the other
        assert [d.id for d in writer.query(q)] == ["e1", "e2"]
        with pytest.raises(MissingIndex):  # refused as before, table or not
            reader.query(query("users/u1/other_group", [("x", "==", 1)]))
    finally:
        reader.close()
        writer.close()


def test_groups_that_differ_only_in_case_or_hold_quotes_keep_their_own_tables(sqlite):
    # SQLite's names ignore case; Firestore's collection ids do not.
    paths = ["Items/a", "items/a", "users/u1/ITEMS/a", "we\"ird gr'oup/a"]
    for i, path in enumerate(paths):
        sqlite.set(path, {"n": i})
    assert [sqlite.get(p) for p in paths] == [{"n": i} for i in range(len(paths))]
    assert [d.data for d in sqlite.query(query("Items"))] == [{"n": 0}]
    assert [d.path for d in sqlite.query(query("we\"ird gr'oup"))] == ["we\"ird gr'oup/a"]
