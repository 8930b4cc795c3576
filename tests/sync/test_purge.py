"""Tombstone purge: retention, the purge horizon, resyncs, and the scheduled job."""

from datetime import timedelta

import pytest

from shared import collections
from shared.dev.server import run_job
from shared.errors import AppError
from shared.sync.purge import purge_tombstones
from shared.sync.state import entry_path, read_state
from tests.sync.helpers import (
    change,
    configure,
    deletion,
    pull,
    pull_all,
    push,
    server_entries,
    sync_user,
)

UID = "erin"


@pytest.fixture(autouse=True)
def user(clock):
    sync_user(UID, "phone", "laptop")


def old_and_young_tombstones(clock) -> None:
    push(UID, "phone", [change(f"e{i}", "x", {"phone": 1}) for i in range(4)])  # seq 1-4
    push(UID, "phone", [], [deletion("e0", {"phone": 2}), deletion("e1", {"phone": 2})])  # 5, 6
    clock.advance(days=20)
    push(UID, "phone", [], [deletion("e2", {"phone": 2})])  # 7
    clock.advance(days=11)  # e0 and e1 are 31 days old, e2 11 days


def test_tombstones_past_retention_are_purged_and_the_horizon_recorded(store, clock):
    old_and_young_tombstones(clock)
    report = purge_tombstones()
    assert (report.users, report.tombstones) == (1, 2)
    assert set(server_entries(store, UID)) == {"e2", "e3"}
    state = read_state(store, UID)
    assert (state.purge_horizon, state.tombstone_count, state.entry_count) == (6, 1, 1)
    e2 = server_entries(store, UID)["e2"]
    assert state.next_purge_at == e2["deletedAt"] + timedelta(days=30)
    assert purge_tombstones().users == 0  # nothing is due until e2's turn


def test_tombstones_out_of_seq_order_raise_the_horizon_to_the_highest_purged(store, clock):
    push(UID, "phone", [change(f"e{i}", "x", {"phone": 1}) for i in range(2)])  # seq 1, 2
    push(UID, "phone", [], [deletion("e0", {"phone": 2}), deletion("e1", {"phone": 2})])  # 3, 4
    clock.advance(days=31)
    # As if e0's push had taken its time before committing: the later deletedAt, the lower seq.
    store.update(entry_path(UID, "e0"), {"deletedAt": clock() - timedelta(days=1)})
    assert purge_tombstones().tombstones == 1
    assert set(server_entries(store, UID)) == {"e0"}
    state = read_state(store, UID)
    assert state.purge_horizon == 4
    assert state.next_purge_at == clock() + timedelta(days=29)


def test_a_cursor_older_than_the_horizon_must_resync(store, clock):
    old_and_young_tombstones(clock)
    _, laptop_cursor = pull_all(UID, "laptop", 0, 100)  # laptop is up to date: cursor 7
    phone_cursor = 4  # phone last pulled before the deletions
    purge_tombstones()
    reset = pull(UID, "phone", phone_cursor)  # the first page of a full listing
    assert (reset.reset, reset.reset_reason, reset.drop) == (True, "purged", "unlisted")
    assert {e["id"] for e in reset.entries} == {"e2", "e3"}
    assert pull(UID, "laptop", laptop_cursor).entries == []
    at_horizon = pull(UID, "laptop", 6)  # the horizon itself is fine
    # (e2's tombstone is left out: deleted before the laptop's listing began, it never had e2)
    assert (at_horizon.reset, at_horizon.entries, at_horizon.next_cursor) == (False, [], 7)
    fresh, _ = pull_all(UID, "phone", 0)  # a full resync
    assert {e["id"]: e["deleted"] for e in fresh.values()} == {"e2": True, "e3": False}


def test_a_device_behind_the_horizon_cannot_push_until_it_resyncs(store, clock):
    old_and_young_tombstones(clock)
    pull(UID, "phone", 0, 2)  # phone's last pull reached only seq 2
    purge_tombstones()
    stale_copy = change("e0", "resurrected", {"phone": 1, "laptop": 1})
    with pytest.raises(AppError) as raised:
        push(UID, "phone", [stale_copy])
    assert raised.value.code == "ERR_4407"
    pull_all(UID, "phone", 0)
    assert push(UID, "phone", [stale_copy]).results[0]["status"] == "accepted"


def test_many_tombstones_are_purged_in_several_transactions(store, clock, monkeypatch):
    configure(monkeypatch, sync_max_entries_per_push="700")
    push(UID, "phone", [], [deletion(f"d{i}", {"phone": 1}) for i in range(700)])
    clock.advance(days=31)
    assert purge_tombstones().tombstones == 700
    state = read_state(store, UID)
    assert (state.purge_horizon, state.tombstone_count, state.next_purge_at) == (700, 0, None)
    assert server_entries(store, UID) == {}
    # An initial sync that finds nothing still moves the cursor past the purged tombstones.
    page = pull(UID, "laptop", 0)
    assert (page.entries, page.next_cursor, page.has_more) == ([], 700, False)


def test_the_scheduled_job_purges(store, clock):
    from functions.sync import purge_sync_tombstones

    old_and_young_tombstones(clock)
    run_job(purge_sync_tombstones)
    run_job(purge_sync_tombstones)  # idempotent
    assert read_state(store, UID).purge_horizon == 6
    assert len(server_entries(store, UID)) == 2
    assert store.get(f"{collections.SYNC_STATE}/{UID}")["tombstoneCount"] == 1
