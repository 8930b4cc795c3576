"""CountingStore counts reads, writes and deletes as Firestore bills them."""

from collections.abc import Iterator
from typing import Any

import pytest

from shared.store import Increment, query
from shared.store.counting import CountingStore
from shared.store.sqlite import SqliteStore


@pytest.fixture
def counting() -> Iterator[CountingStore]:
    store = CountingStore(SqliteStore(":memory:", refuse_scans=False))
    yield store
    store.close()


def counts(store: CountingStore) -> tuple[int, int, int]:
    c = store.counts
    return c.reads, c.writes, c.deletes


def test_reads_count_one_per_document_asked_for(counting: CountingStore) -> None:
    counting.set("c/a", {"n": 1})
    counting.reset()
    counting.get("c/a")
    counting.get("c/missing")  # a missing document is billed too
    counting.get_many(["c/a", "c/b", "c/c"])
    assert counts(counting) == (5, 0, 0)


def test_a_query_bills_its_results_and_one_read_when_empty(counting: CountingStore) -> None:
    batch = counting.batch()
    for i in range(4):
        batch.set(f"c/d{i}", {"n": i})
    batch.commit()
    counting.reset()
    assert len(counting.query(query("c"))) == 4
    assert counting.query(query("c", [("n", ">", 10)])) == []
    assert counts(counting) == (5, 0, 0)


def test_writes_and_deletes(counting: CountingStore) -> None:
    counting.create("c/a", {"n": 1})
    counting.set("c/a", {"n": 2}, merge=True)
    counting.update("c/a", {"n": Increment(1)})
    counting.delete("c/a")
    batch = counting.batch()
    batch.set("c/b", {})
    batch.delete("c/c")
    batch.commit()
    assert counts(counting) == (0, 4, 2)
    assert counting.counts.as_dict() == {"reads": 0, "writes": 4, "deletes": 2}


def test_operations_inside_a_transaction_count(counting: CountingStore) -> None:
    counting.set("c/a", {"n": 1})
    counting.reset()

    def body(txn: Any) -> int:
        n = txn.get("c/a")["n"]
        txn.get_many(["c/a", "c/x"])
        txn.query(query("c", [("n", ">", 5)]))  # empty: one read
        txn.update("c/a", {"n": n + 1})
        txn.create("c/b", {})
        txn.delete("c/x")
        return n

    assert counting.transaction(body) == 1
    assert counts(counting) == (4, 2, 1)
    assert counting.get("c/a") == {"n": 2}


def test_a_retried_body_counts_once_per_attempt() -> None:
    store = CountingStore(SqliteStore(":memory:", refuse_scans=False, rerun_transactions=True))
    try:
        store.transaction(lambda txn: (txn.get("c/a"), txn.set("c/a", {"n": 1})))
        assert counts(store) == (2, 2, 0)
    finally:
        store.close()


def test_reset_zeroes_the_counts(counting: CountingStore) -> None:
    counting.set("c/a", {})
    counting.get("c/a")
    counting.reset()
    assert counts(counting) == (0, 0, 0)
