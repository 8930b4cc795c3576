"""Which queries need a composite index, and whether an index file declares it."""

import json
import uuid
from pathlib import Path

import pytest

from shared.store import MissingIndex, Order, query
from shared.store.indexes import (
    INDEX_FILE,
    IndexField,
    check,
    declared_indexes,
    effective_orders,
    required_index,
)


def index_file(tmp_path: Path, *indexes: dict) -> Path:
    """A fresh index file (a new path each time: `declared_indexes` caches by path)."""
    path = tmp_path / f"indexes-{uuid.uuid4().hex}.json"
    path.write_text(json.dumps({"indexes": list(indexes), "fieldOverrides": []}))
    return path


def index(group: str, *fields: tuple[str, str]) -> dict:
    return {
        "collectionGroup": group,
        "queryScope": "COLLECTION",
        "fields": [
            {"fieldPath": f, "arrayConfig": "CONTAINS"}
            if mode == "CONTAINS"
            else {"fieldPath": f, "order": mode}
            for f, mode in fields
        ],
    }


@pytest.mark.parametrize(
    "q",
    [
        query("ledger"),
        query("ledger", [("uid", "==", "u")]),
        query("ledger", [("uid", "==", "u"), ("type", "==", "t"), ("ref", "in", ["a", "b"])]),
        query("ledger", [("tags", "array_contains", "x"), ("uid", "==", "u")]),
        query("ledger", order_by=[("createdAt", "desc")]),
        query("ledger", [("amount", ">", 0)]),
        query("ledger", [("amount", ">", 0), ("amount", "<", 9)], order_by=["amount"]),
        query("ledger", [("uid", "==", "u")], order_by=["uid"]),
    ],
)
def test_single_field_indexes_serve(q) -> None:
    assert required_index(q) is None
    check(q, Path("/nonexistent/indexes.json"))


@pytest.mark.parametrize(
    ("q", "equality", "ordered"),
    [
        (
            query("ledger", [("uid", "==", "u")], order_by=[("createdAt", "desc")]),
            {("uid", "ASCENDING")},
            [("createdAt", "DESCENDING")],
        ),
        (
            query("ledger", [("uid", "==", "u"), ("amount", ">=", 5)]),
            {("uid", "ASCENDING")},
            [("amount", "ASCENDING")],
        ),
        (
            query("ledger", order_by=["uid", ("createdAt", "desc")]),
            set(),
            [("uid", "ASCENDING"), ("createdAt", "DESCENDING")],
        ),
        (
            query("ledger", [("tags", "array_contains", "x")], order_by=["createdAt"]),
            {("tags", "CONTAINS")},
            [("createdAt", "ASCENDING")],
        ),
        (
            # The inequality field follows the explicit order, in its direction.
            query("ledger", [("amount", ">", 0)], order_by=[("createdAt", "desc")]),
            set(),
            [("createdAt", "DESCENDING"), ("amount", "DESCENDING")],
        ),
        (
            query("ledger", [("type", "!=", "burn"), ("uid", "==", "u")]),
            {("uid", "ASCENDING")},
            [("type", "ASCENDING")],
        ),
    ],
)
def test_composite_indexes_needed(q, equality: set, ordered: list) -> None:
    needed = required_index(q)
    assert needed is not None and needed.collection_group == "ledger"
    assert {(f.field, f.mode) for f in needed.equality} == equality
    assert [(f.field, f.mode) for f in needed.ordered] == ordered


def test_effective_orders_append_inequality_fields_by_name() -> None:
    q = query("c", [("z", ">", 1), ("b", "!=", 2), ("a", "==", 3), ("z", "<", 9)], ["t"])
    assert effective_orders(q) == (Order("t"), Order("b"), Order("z"))
    q = query("c", [("z", ">", 1), ("b", "<", 2)], [("t", "desc")])
    assert effective_orders(q) == (Order("t", "desc"), Order("b", "desc"), Order("z", "desc"))
    assert effective_orders(query("c", [("n", ">", 1)])) == (Order("n"),)


def test_the_collection_group_is_the_last_segment() -> None:
    q = query("users/u1/devices", [("kind", "==", "ios")], order_by=["seenAt"])
    needed = required_index(q)
    assert needed is not None and needed.collection_group == "devices"


def test_a_declared_index_serves_with_equality_fields_in_any_order(tmp_path: Path) -> None:
    path = index_file(
        tmp_path,
        index("ledger", ("type", "ASCENDING"), ("uid", "ASCENDING"), ("createdAt", "DESCENDING")),
    )
    check(
        query(
            "ledger", [("uid", "==", "u"), ("type", "==", "t")], order_by=[("createdAt", "desc")]
        ),
        path,
    )
    with pytest.raises(MissingIndex):  # the direction differs
        check(query("ledger", [("uid", "==", "u"), ("type", "==", "t")], ["createdAt"]), path)
    with pytest.raises(MissingIndex):  # one equality field fewer: the index has more fields
        check(query("ledger", [("uid", "==", "u")], order_by=[("createdAt", "desc")]), path)


def test_ordered_fields_must_match_in_order(tmp_path: Path) -> None:
    path = index_file(tmp_path, index("ledger", ("uid", "ASCENDING"), ("at", "ASCENDING")))
    check(query("ledger", order_by=["uid", "at"]), path)
    with pytest.raises(MissingIndex):
        check(query("ledger", order_by=["at", "uid"]), path)


def test_the_collection_group_must_match(tmp_path: Path) -> None:
    path = index_file(tmp_path, index("ledger", ("uid", "ASCENDING"), ("at", "ASCENDING")))
    check(query("users/u1/ledger", [("uid", "==", "u")], order_by=["at"]), path)
    with pytest.raises(MissingIndex):
        check(query("sessions", [("uid", "==", "u")], order_by=["at"]), path)


def test_contains_and_ascending_are_different_indexes(tmp_path: Path) -> None:
    path = index_file(tmp_path, index("jobs", ("tags", "CONTAINS"), ("at", "ASCENDING")))
    check(query("jobs", [("tags", "array_contains", "x")], order_by=["at"]), path)
    with pytest.raises(MissingIndex):
        check(query("jobs", [("tags", "==", "x")], order_by=["at"]), path)


def test_a_trailing_name_field_in_the_file_is_ignored(tmp_path: Path) -> None:
    path = index_file(
        tmp_path,
        index("ledger", ("uid", "ASCENDING"), ("at", "DESCENDING"), ("__name__", "DESCENDING")),
    )
    assert declared_indexes(path) == (
        ("ledger", (IndexField("uid", "ASCENDING"), IndexField("at", "DESCENDING"))),
    )
    check(query("ledger", [("uid", "==", "u")], order_by=[("at", "desc")]), path)


def test_the_error_suggests_the_index_to_add_and_that_index_serves(tmp_path: Path) -> None:
    q = query(
        "users/u1/ledger",
        [("uid", "==", "u"), ("tags", "array_contains", "x"), ("amount", ">", 0)],
        order_by=[("at", "desc")],
    )
    with pytest.raises(MissingIndex) as raised:
        check(q, index_file(tmp_path))
    suggestion = json.loads(str(raised.value).split("firestore.indexes.json: ", 1)[1])
    assert suggestion == {
        "collectionGroup": "ledger",
        "queryScope": "COLLECTION",
        "fields": [
            {"fieldPath": "tags", "arrayConfig": "CONTAINS"},
            {"fieldPath": "uid", "order": "ASCENDING"},
            {"fieldPath": "at", "order": "DESCENDING"},
            {"fieldPath": "amount", "order": "DESCENDING"},
        ],
    }
    check(q, index_file(tmp_path, suggestion))


def test_a_missing_file_declares_nothing(tmp_path: Path) -> None:
    assert declared_indexes(tmp_path / "absent.json") == ()


def test_the_project_index_file_parses() -> None:
    for group, fields in declared_indexes(INDEX_FILE):
        assert group and fields
