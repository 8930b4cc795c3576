"""Pushing on the SQLite store: outcomes, sequence numbers, conflicts, tombstones, retries."""

from datetime import timedelta

import pytest

from shared import collections
from shared.store import query
from shared.sync.push import WRITE_BUDGET
from shared.sync.state import read_state
from tests.support.store import all_documents
from tests.sync.helpers import (
    T0,
    b64,
    change,
    configure,
    deletion,
    pull_all,
    push,
    server_entries,
    sync_user,
)

UID = "alice"


@pytest.fixture(autouse=True)
def user(clock):
    sync_user(UID, "phone", "laptop")


def test_a_new_entry_is_accepted_with_the_next_sequence(store):
    result = push(UID, "phone", [change("e1", "hello", {"phone": 1})])
    assert [(r["status"], r["seq"], r["version"]) for r in result.results] == [("accepted", 1, 1)]
    stored = store.get(f"{collections.sync_entries(UID)}/e1")
    assert stored["ciphertext"] == b64("hello") and stored["seq"] == 1
    assert stored["deviceId"] == "phone" and stored["deleted"] is False
    state = read_state(store, UID)
    assert (state.last_seq, state.entry_count, state.devices["phone"].last_push_seq) == (1, 1, 1)


def test_a_dominating_clock_replaces_and_a_dominated_one_is_stale(store):
    push(UID, "phone", [change("e1", "v1", {"phone": 1})])
    newer = push(UID, "laptop", [change("e1", "v2", {"phone": 1, "laptop": 1})])
    assert (newer.results[0]["status"], newer.results[0]["seq"], newer.results[0]["version"]) == (
        "accepted",
        2,
        2,
    )
    older = push(UID, "phone", [change("e1", "v0", {"phone": 1})])
    assert (older.results[0]["status"], older.results[0]["seq"]) == ("stale", 2)
    assert older.results[0]["clock"] == {"laptop": 1, "phone": 1}
    assert server_entries(store, UID)["e1"]["ciphertext"] == b64("v2")


def test_sequences_are_contiguous_and_in_request_order(store):
    push(UID, "phone", [change("a", "1", {"phone": 1})])
    result = push(
        UID,
        "phone",
        [
            change("b", "2", {"phone": 1}),
            change("a", "1", {"phone": 1}),
            change("a2", "x", {"phone": 1}),
        ],
        [deletion("c", {"phone": 1})],
    )
    assert [(r["id"], r["status"], r["seq"]) for r in result.results] == [
        ("b", "accepted", 2),
        ("a", "accepted", 1),  # the exact stored version again: a no-op
        ("a2", "accepted", 3),
        ("c", "accepted", 4),
    ]
    assert result.results[1]["duplicate"] and result.last_seq == 4


def test_a_retried_push_changes_nothing(store):
    entries = [change(f"e{i}", f"text {i}", {"phone": 1}) for i in range(5)]
    deleted = [deletion("gone", {"phone": 2})]
    first = push(UID, "phone", entries, deleted)
    before = all_documents(store)
    again = push(UID, "phone", entries, deleted)
    assert all_documents(store) == before
    assert [(r["seq"], r["version"], r["status"]) for r in again.results] == [
        (r["seq"], r["version"], r["status"]) for r in first.results
    ]
    assert all(r["duplicate"] for r in again.results)


def concurrent_edits():
    base = change("note", "base", {"phone": 1})
    from_phone = change("note", "phone edit", {"phone": 2}, T0 + timedelta(minutes=1))
    from_laptop = change(
        "note", "laptop edit", {"phone": 1, "laptop": 1}, T0 + timedelta(minutes=2)
    )
    return base, from_phone, from_laptop


@pytest.mark.parametrize("laptop_first", [False, True])
def test_offline_edits_of_one_entry_end_the_same_whichever_push_arrives_first(store, laptop_first):
    base, from_phone, from_laptop = concurrent_edits()
    push(UID, "phone", [base])
    pushes = [("phone", from_phone), ("laptop", from_laptop)]
    if laptop_first:
        pushes.reverse()
    first = push(UID, pushes[0][0], [pushes[0][1]]).results[0]
    second = push(UID, pushes[1][0], [pushes[1][1]]).results[0]
    assert first["status"] == "accepted"
    assert (second["status"], second["version"]) == ("conflict", 3)
    # The laptop edited later, so its version wins either way; the answer says which side.
    assert second["winner"] == ("stored" if laptop_first else "incoming")
    stored = server_entries(store, UID)["note"]
    assert (stored["ciphertext"], stored["clock"], stored["version"], stored["deviceId"]) == (
        b64("laptop edit"),
        {"laptop": 1, "phone": 2},
        3,
        "laptop",
    )
    conflicts = store.query(query(collections.sync_conflicts(UID)))
    assert len(conflicts) == 1
    record = conflicts[0].data
    assert record["loser"]["deviceId"] == "phone" and record["loser"]["clock"] == {"phone": 2}
    assert "ciphertext" not in record["loser"]
    assert read_state(store, UID).conflict_count == 1


def test_after_a_conflict_both_devices_converge_by_pulling(store):
    base, from_phone, from_laptop = concurrent_edits()
    push(UID, "phone", [base])
    push(UID, "phone", [from_phone])
    push(UID, "laptop", [from_laptop])
    phone_view, _ = pull_all(UID, "phone")
    laptop_view, _ = pull_all(UID, "laptop")
    assert {k: v | {"own_write_lost": None} for k, v in phone_view.items()} == {
        k: v | {"own_write_lost": None} for k, v in laptop_view.items()
    }
    assert phone_view["note"]["own_write_lost"] is not None  # the phone's edit lost
    assert laptop_view["note"]["own_write_lost"] is None
    assert phone_view["note"]["ciphertext"] == b64("laptop edit")
    # Re-pushing either losing or winning copy now changes nothing.
    assert push(UID, "phone", [from_phone]).results[0]["status"] == "stale"
    assert push(UID, "laptop", [from_laptop]).results[0]["duplicate"]


def test_deletions_are_tombstones_with_clocks(store):
    push(UID, "phone", [change("e1", "v1", {"phone": 1})])
    gone = push(UID, "laptop", [], [deletion("e1", {"phone": 1, "laptop": 1})])
    assert gone.results[0]["status"] == "accepted"
    stored = server_entries(store, UID)["e1"]
    assert stored["deleted"] and stored["ciphertext"] is None and stored["seq"] == 2
    state = read_state(store, UID)
    assert (state.entry_count, state.tombstone_count) == (0, 1)
    assert state.next_purge_at is not None
    # A stale edit cannot resurrect it; a newer one can.
    assert push(UID, "phone", [change("e1", "old", {"phone": 1})]).results[0]["status"] == "stale"
    back = push(UID, "phone", [change("e1", "again", {"phone": 2, "laptop": 1})])
    assert back.results[0]["status"] == "accepted"
    state = read_state(store, UID)
    assert (state.entry_count, state.tombstone_count) == (1, 0)


def test_a_deletion_concurrent_with_an_edit_is_settled_by_last_writer_wins(store):
    push(UID, "phone", [change("e1", "v1", {"phone": 1})])
    push(UID, "phone", [change("e1", "edit", {"phone": 2}, T0 + timedelta(minutes=1))])
    later = T0 + timedelta(minutes=3)
    result = push(UID, "laptop", [], [deletion("e1", {"phone": 1, "laptop": 1}, later)])
    assert (result.results[0]["status"], result.results[0]["winner"]) == ("conflict", "incoming")
    assert server_entries(store, UID)["e1"]["deleted"] is True


def test_a_big_push_is_chunked_in_order_with_contiguous_sequences(store, monkeypatch):
    configure(monkeypatch, sync_max_entries_per_push="1200")
    push(UID, "phone", [change("x0", "seed", {"phone": 1})])
    entries = [change(f"x{i}", f"t{i}", {"phone": 2}) for i in range(1200)]
    result = push(UID, "phone", entries)
    assert [r["id"] for r in result.results] == [e["id"] for e in entries]
    assert [r["seq"] for r in result.results] == list(range(2, 1202))
    assert result.last_seq == 1201
    assert read_state(store, UID).entry_count == 1200


def test_chunks_leave_room_for_conflict_records(store, monkeypatch):
    """Conflicts cost two writes; a chunk stops before 500 and the next carries on."""
    configure(monkeypatch, sync_max_entries_per_push="600")
    ids = [f"c{i}" for i in range(600)]
    push(UID, "phone", [change(i, "phone", {"phone": 1}) for i in ids[:300]])
    push(UID, "phone", [change(i, "phone", {"phone": 1}) for i in ids[300:]])
    result = push(UID, "laptop", [change(i, "laptop", {"laptop": 1}) for i in ids])
    assert all(r["status"] == "conflict" for r in result.results)
    assert [r["seq"] for r in result.results] == list(range(601, 1201))
    assert read_state(store, UID).conflict_count == 600
    assert len(store.query(query(collections.sync_conflicts(UID)))) == 600
    assert WRITE_BUDGET // 2 < 600  # so this push needed more than one transaction
