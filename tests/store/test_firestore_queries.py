"""The requests the Firestore adapter builds, inspected as protobuf without any server."""

from datetime import UTC, datetime
from typing import Any

import pytest
from google.auth.credentials import AnonymousCredentials
from google.cloud import firestore
from google.cloud.firestore_v1._helpers import encode_value
from google.cloud.firestore_v1.types import StructuredQuery

from shared.store import (
    DELETE_FIELD,
    MAX_WRITES_PER_COMMIT,
    SERVER_TIMESTAMP,
    ArrayRemove,
    ArrayUnion,
    Doc,
    Increment,
    MissingIndex,
    ReadAfterWrite,
    TooManyWrites,
    query,
)
from shared.store.firestore import (
    FirestoreStore,
    FirestoreTransaction,
    from_firestore,
    to_firestore,
)

Op = StructuredQuery.FieldFilter.Operator
Unary = StructuredQuery.UnaryFilter.Operator
ASC = StructuredQuery.Direction.ASCENDING
DESC = StructuredQuery.Direction.DESCENDING
DOCS = "projects/demo-test/databases/(default)/documents"


@pytest.fixture
def client() -> firestore.Client:
    return firestore.Client(project="demo-test", credentials=AnonymousCredentials())


@pytest.fixture
def fs(client: firestore.Client) -> FirestoreStore:
    return FirestoreStore(client=client, enforce_indexes=False)


def structured(fs: FirestoreStore, *args: Any, **kwargs: Any) -> StructuredQuery:
    return fs._build_query(query(*args, **kwargs))._to_protobuf()


def filters(pb: StructuredQuery) -> list[tuple[str, Any, Any]]:
    """(field path, operator, value) of each filter, composite or not."""
    parts = pb.where.composite_filter.filters if "composite_filter" in pb.where else [pb.where]
    found = []
    for f in parts:
        if "unary_filter" in f:
            found.append((f.unary_filter.field.field_path, f.unary_filter.op, None))
        else:
            ff = f.field_filter
            found.append((ff.field.field_path, ff.op, ff.value))
    return found


def orders(pb: StructuredQuery) -> list[tuple[str, Any]]:
    return [(o.field.field_path, o.direction) for o in pb.order_by]


@pytest.mark.parametrize(
    ("op", "value", "expected"),
    [
        ("==", 1, Op.EQUAL),
        ("!=", 1, Op.NOT_EQUAL),
        ("<", 1, Op.LESS_THAN),
        ("<=", 1, Op.LESS_THAN_OR_EQUAL),
        (">", 1, Op.GREATER_THAN),
        (">=", 1, Op.GREATER_THAN_OR_EQUAL),
        ("in", [1, 2], Op.IN),
        ("array_contains", "x", Op.ARRAY_CONTAINS),
    ],
)
def test_each_operator_becomes_a_field_filter(
    fs: FirestoreStore, op: str, value: Any, expected: Any
) -> None:
    pb = structured(fs, "ledger", [("amount", op, value)])
    [(path, got, encoded)] = filters(pb)
    assert (path, got) == ("amount", expected)
    assert encoded == encode_value(value)


def test_null_comparisons_become_unary_filters(fs: FirestoreStore) -> None:
    pb = structured(fs, "ledger", [("a", "==", None), ("b", "!=", None)])
    assert filters(pb) == [("a", Unary.IS_NULL, None), ("b", Unary.IS_NOT_NULL, None)]


def test_filters_combine_with_and_and_keep_values(fs: FirestoreStore) -> None:
    at = datetime(2024, 1, 2, 3, 4, 5, tzinfo=UTC)
    pb = structured(fs, "ledger", [("uid", "==", "u1"), ("createdAt", ">=", at)])
    assert pb.where.composite_filter.op == StructuredQuery.CompositeFilter.Operator.AND
    (_, _, uid), (_, _, created) = filters(pb)
    assert uid.string_value == "u1"
    assert created.timestamp_value == at


def test_field_paths_are_quoted_where_firestore_needs_it(fs: FirestoreStore) -> None:
    pb = structured(fs, "users", [("wallet.my-key", "==", 1)], order_by=["wallet.credits"])
    assert filters(pb)[0][0] == "wallet.`my-key`"
    assert orders(pb) == [("wallet.credits", ASC)]


def test_a_query_on_a_subcollection_names_its_collection(
    fs: FirestoreStore, client: firestore.Client
) -> None:
    built = fs._build_query(query("users/u1/devices"))
    pb = built._to_protobuf()
    assert [(c.collection_id, c.all_descendants) for c in pb.from_] == [("devices", False)]
    assert built._parent._path == ("users", "u1", "devices")


def test_orders_keep_directions_and_no_cursor_means_no_name_order(fs: FirestoreStore) -> None:
    pb = structured(fs, "ledger", order_by=["uid", ("createdAt", "desc")], limit=10)
    assert orders(pb) == [("uid", ASC), ("createdAt", DESC)]
    assert pb.limit == 10
    assert "start_at" not in pb


def test_inequality_fields_are_ordered_after_the_explicit_orders(fs: FirestoreStore) -> None:
    pb = structured(fs, "ledger", [("z", ">", 1), ("b", "!=", 2), ("a", "==", 3)], ["t"])
    # Appended by name in the last order's direction, as Firestore itself would.
    assert orders(pb) == [("t", ASC), ("b", ASC), ("z", ASC)]
    pb = structured(fs, "ledger", [("n", "<", 5)])
    assert orders(pb) == [("n", ASC)]


def test_a_cursor_orders_by_document_name_and_starts_after_the_values(
    fs: FirestoreStore,
) -> None:
    last = Doc("users/u1/devices/d9", {"seen": 3, "n": 4, "other": "x"})
    pb = structured(
        fs,
        "users/u1/devices",
        [("n", ">", 0)],
        order_by=[("seen", "desc")],
        limit=37,
        start_after=last,
    )
    assert orders(pb) == [("seen", DESC), ("n", DESC), ("__name__", DESC)]
    assert pb.start_at.before is False
    values = pb.start_at.values
    assert [values[0].integer_value, values[1].integer_value] == [3, 4]
    assert values[2].reference_value == f"{DOCS}/users/u1/devices/d9"
    assert pb.limit == 37
    assert "end_at" not in pb


def test_a_cursor_without_orders_uses_the_name_alone(fs: FirestoreStore) -> None:
    pb = structured(fs, "ledger", start_after=Doc("ledger/e1", {}))
    assert orders(pb) == [("__name__", ASC)]
    assert [v.reference_value for v in pb.start_at.values] == [f"{DOCS}/ledger/e1"]


def test_cursor_timestamps_are_encoded(fs: FirestoreStore) -> None:
    at = datetime(2024, 5, 6, tzinfo=UTC)
    pb = structured(fs, "ledger", order_by=["at"], start_after=Doc("ledger/e1", {"at": at}))
    assert pb.start_at.values[0].timestamp_value == at


def test_in_takes_one_to_thirty_values(fs: FirestoreStore) -> None:
    with pytest.raises(ValueError):
        structured(fs, "ledger", [("n", "in", list(range(31)))])
    with pytest.raises(ValueError):
        structured(fs, "ledger", [("n", "in", [])])


def test_undeclared_composite_queries_are_refused_before_any_request(
    client: firestore.Client,
) -> None:
    fs = FirestoreStore(client=client)  # enforce_indexes defaults to True
    with pytest.raises(MissingIndex):
        fs._build_query(query("no_such_group", [("uid", "==", "u")], order_by=["createdAt"]))
    fs._build_query(query("no_such_group", [("uid", "==", "u")]))  # single-field indexes


# --- writes and sentinels ------------------------------------------------------------------


def test_sentinels_map_to_firestore_transforms_recursively() -> None:
    at = datetime(2024, 1, 1, tzinfo=UTC)
    converted = to_firestore(
        {
            "n": Increment(2),
            "w": {"c": Increment(-1.5), "at": SERVER_TIMESTAMP, "gone": DELETE_FIELD},
            "tags": ArrayUnion(("a", "b")),
            "old": ArrayRemove(("c",)),
            "tuple": (1, at),
        }
    )
    assert isinstance(converted["n"], firestore.Increment) and converted["n"].value == 2
    assert converted["w"]["c"].value == -1.5
    assert converted["w"]["at"] is firestore.SERVER_TIMESTAMP
    assert converted["w"]["gone"] is firestore.DELETE_FIELD
    assert isinstance(converted["tags"], firestore.ArrayUnion)
    assert converted["tags"].values == ["a", "b"]
    assert isinstance(converted["old"], firestore.ArrayRemove)
    assert converted["old"].values == ["c"]
    assert converted["tuple"] == [1, at]


def test_naive_datetimes_are_refused() -> None:
    with pytest.raises(ValueError):
        to_firestore({"at": datetime(2024, 1, 1)})


def test_values_read_back_are_plain() -> None:
    at = datetime(2024, 1, 1, tzinfo=UTC)
    assert from_firestore({"m": {"l": [1, {"at": at}]}}) == {"m": {"l": [1, {"at": at}]}}


def test_update_writes_dotted_fields_and_transforms(fs: FirestoreStore) -> None:
    batch = fs.batch()
    batch.update(
        "users/u1", {"wallet.credits": Increment(5), "wallet.at": SERVER_TIMESTAMP, "name": "x"}
    )
    [write] = batch._target._write_pbs
    assert write.update.name == f"{DOCS}/users/u1"
    assert list(write.update_mask.field_paths) == ["name"]
    assert write.current_document.exists is True  # update fails on a missing document
    transforms = {t.field_path: t for t in write.update_transforms}
    assert transforms["wallet.credits"].increment.integer_value == 5
    assert transforms["wallet.at"].set_to_server_value == (
        transforms["wallet.at"].ServerValue.REQUEST_TIME
    )


def test_create_requires_absence_and_merge_writes_a_mask(fs: FirestoreStore) -> None:
    batch = fs.batch()
    batch.create("ledger/e1", {"amount": 5})
    batch.set("users/u1", {"wallet": {"credits": 1}, "tags": ArrayUnion(("a",))}, merge=True)
    batch.delete("ledger/e2")
    create, merge, delete = batch._target._write_pbs
    assert create.current_document.exists is False
    assert list(merge.update_mask.field_paths) == ["wallet.credits"]
    assert merge.update_transforms[0].append_missing_elements.values[0].string_value == "a"
    assert delete.delete == f"{DOCS}/ledger/e2"


def test_a_batch_takes_the_cap_of_writes_and_refuses_one_more(fs: FirestoreStore) -> None:
    batch = fs.batch()
    for i in range(MAX_WRITES_PER_COMMIT):
        batch.set(f"ledger/e{i}", {"i": i})
    with pytest.raises(TooManyWrites):
        batch.set("ledger/extra", {})
    assert len(batch._target._write_pbs) == MAX_WRITES_PER_COMMIT


def test_a_transaction_refuses_a_read_after_a_write(
    fs: FirestoreStore, client: firestore.Client
) -> None:
    txn = FirestoreTransaction(fs, client.transaction())
    txn.set("users/u1", {"n": 1})
    with pytest.raises(ReadAfterWrite):
        txn.get("users/u1")
    with pytest.raises(ReadAfterWrite):
        txn.query(query("users"))
