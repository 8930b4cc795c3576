"""Pulling: pages in sequence order, hasMore, cursors, tombstones, limits and status."""

import pytest

from shared import wiring
from shared.store.counting import CountingStore
from shared.sync.models import StatusRequest
from shared.sync.status import get_status
from tests.sync.helpers import b64, change, configure, deletion, pull, pull_all, push, sync_user

UID = "bob"


@pytest.fixture(autouse=True)
def user(clock):
    sync_user(UID, "phone", "laptop")


def test_an_empty_account_pulls_nothing():
    page = pull(UID, "laptop")
    assert (page.entries, page.next_cursor, page.has_more) == ([], 0, False)


def test_pages_come_in_sequence_order_until_has_more_is_false():
    push(UID, "phone", [change(f"e{i}", f"t{i}", {"phone": 1}) for i in range(7)])
    first = pull(UID, "laptop", 0, 3)
    assert [e["seq"] for e in first.entries] == [1, 2, 3]
    assert (first.next_cursor, first.has_more) == (3, True)
    second = pull(UID, "laptop", 3, 3)
    third = pull(UID, "laptop", 6, 3)
    assert [e["seq"] for e in second.entries] == [4, 5, 6] and second.has_more
    assert [e["seq"] for e in third.entries] == [7] and not third.has_more
    assert third.entries[0]["ciphertext"] == b64("t6")
    # Nothing new: the cursor stays put.
    assert pull(UID, "laptop", 7).model_dump() == {
        "entries": [],
        "next_cursor": 7,
        "has_more": False,
        "reset": False,
        "reset_reason": None,
        "drop": None,
    }


def test_an_exactly_full_page_says_no_more():
    push(UID, "phone", [change(f"e{i}", "t", {"phone": 1}) for i in range(3)])
    page = pull(UID, "laptop", 0, 3)
    assert len(page.entries) == 3 and not page.has_more


def test_an_updated_entry_moves_to_its_new_sequence_and_tombstones_are_pulled():
    push(UID, "phone", [change("a", "1", {"phone": 1}), change("b", "1", {"phone": 1})])
    _, cursor = pull_all(UID, "laptop")
    push(UID, "phone", [change("a", "2", {"phone": 2})], [deletion("b", {"phone": 2})])
    page = pull(UID, "laptop", cursor)
    assert [(e["id"], e["seq"], e["deleted"], e["version"]) for e in page.entries] == [
        ("a", 3, False, 2),
        ("b", 4, True, 2),
    ]
    assert page.entries[1]["ciphertext"] is None


def test_limits_are_capped_by_settings(monkeypatch):
    configure(monkeypatch, sync_max_pull_limit="4")
    push(UID, "phone", [change(f"e{i}", "t", {"phone": 1}) for i in range(6)])
    page = pull(UID, "laptop", 0, 100)
    assert len(page.entries) == 4 and page.has_more


def test_a_page_stops_early_at_the_byte_budget(monkeypatch):
    configure(monkeypatch, sync_max_pull_bytes="10")
    push(UID, "phone", [change(f"e{i}", "12345678", {"phone": 1}) for i in range(3)])
    page = pull(UID, "laptop", 0, 10)
    assert [e["seq"] for e in page.entries] == [1] and page.has_more and page.next_cursor == 1
    everything, _ = pull_all(UID, "laptop", 0, 10)
    assert set(everything) == {"e0", "e1", "e2"}


def test_a_cursor_beyond_the_last_sequence_answers_a_reset():
    push(UID, "phone", [change("a", "1", {"phone": 1})])
    page = pull(UID, "laptop", 5)
    assert (page.reset, page.reset_reason, page.drop) == (True, "unknown_cursor", "unlisted")
    assert ([e["id"] for e in page.entries], page.next_cursor, page.has_more) == (["a"], 1, False)


def test_status_counts_entries_conflicts_and_each_devices_push_and_pull(clock):
    push(UID, "phone", [change("a", "1", {"phone": 1}), change("b", "1", {"phone": 1})])
    push(UID, "phone", [], [deletion("b", {"phone": 2})])
    push(UID, "laptop", [change("a", "x", {"laptop": 1})])  # concurrent: a conflict
    clock.advance(seconds=90)
    pull_all(UID, "laptop")
    status = get_status(UID, StatusRequest(device_id="laptop"))
    assert (status.entry_count, status.tombstone_count, status.last_seq) == (1, 1, 4)
    assert status.conflict_count == 1
    devices = {d.device_id: d for d in status.devices}
    assert devices["phone"].last_push_at is not None and devices["phone"].last_pull_at is None
    assert devices["laptop"].last_pull_cursor == 4 and devices["laptop"].last_pull_at == clock()
    assert not devices["phone"].online  # registered 90 s ago, no heartbeat since


def test_an_idle_pull_reads_entitlement_device_and_state_only():
    push(UID, "phone", [change("e1", "t", {"phone": 1})])
    pull(UID, "laptop", 1)  # records the cursor
    counting = CountingStore(wiring.store())
    wiring.use(store=counting)
    page = pull(UID, "laptop", 1)
    assert (page.entries, page.next_cursor) == ([], 1)
    assert counting.counts.as_dict() == {"reads": 3, "writes": 0, "deletes": 0}
