"""Concurrency on the SQLite store: pushers racing pullers, concurrent retries, and
transaction bodies run twice."""

import random
import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

import pytest

from shared import wiring
from shared.devices.models import DeviceRef
from shared.devices.registry import device_path, remove_device
from shared.store.sqlite import SqliteStore
from shared.sync.purge import purge_tombstones
from shared.sync.state import read_state
from tests.support.store import all_documents
from tests.sync.helpers import T0, change, deletion, pull, pull_all, push, server_entries, sync_user

UID = "frank"
PUSHERS = [f"pusher{i}" for i in range(8)]
PULLERS = ["reader0", "reader1"]


def pusher(device: str, pushes: int, seed: int, start: threading.Barrier) -> list:
    """Pushes own and shared entries (shared ones conflict), with some deletions."""
    rng, counters, outcomes = random.Random(seed), {}, []
    start.wait()
    for n in range(pushes):
        ids = {f"own-{device}-{rng.randint(0, 5)}" for _ in range(2)} | {
            f"shared-{rng.randint(0, 3)}"
        }
        entries, deleted = [], []
        for entry_id in sorted(ids):
            counters[entry_id] = counters.get(entry_id, 0) + 1
            clock = {device: counters[entry_id]}
            at = T0 + timedelta(seconds=rng.randint(0, 30))
            if rng.random() < 0.15:
                deleted.append(deletion(entry_id, clock, at))
            else:
                entries.append(change(entry_id, f"{device} {entry_id} {n}", clock, at))
        outcomes += push(UID, device, entries, deleted).results
    return outcomes


def puller(device: str, done: threading.Event, start: threading.Barrier) -> tuple[dict, list]:
    """Pulls page after page until the pushers are done and nothing more remains."""
    seen, seqs, cursor = {}, [], 0
    start.wait()
    while True:
        finished = done.is_set()  # read before the pull, so the last page is complete
        page = pull(UID, device, cursor, 7)
        for entry in page.entries:
            seen[entry["id"]] = entry
            seqs.append(entry["seq"])
        cursor = page.next_cursor
        if finished and not page.has_more:
            return seen, seqs


def snapshot(entries: dict) -> dict:
    return {
        i: (e["seq"], e["version"], e["deleted"], e["ciphertext"], e["clock"])
        for i, e in entries.items()
    }


@pytest.mark.many_threads
def test_pullers_paging_while_eight_devices_push_end_with_exactly_the_servers_set(store, clock):
    sync_user(UID, *PUSHERS, *PULLERS)
    done, start = threading.Event(), threading.Barrier(len(PUSHERS) + len(PULLERS))
    with ThreadPoolExecutor(10) as pool:
        readers = [pool.submit(puller, d, done, start) for d in PULLERS]
        writers = [pool.submit(pusher, d, 12, i, start) for i, d in enumerate(PUSHERS)]
        outcomes = [o for w in writers for o in w.result()]
        done.set()
        views = [r.result() for r in readers]
    server = {
        i: (d["seq"], d["version"], d["deleted"], d.get("ciphertext"), d["clock"])
        for i, d in server_entries(store, UID).items()
    }
    for device, (seen, seqs) in zip(PULLERS, views, strict=True):
        assert seqs == sorted(set(seqs))  # in order, never twice
        # Nothing missed; a first sync leaves out tombstones of entries deleted before its
        # listing began (the device never had them), and those pushers may have been quick.
        up_to = store.get(device_path(UID, device))["sync"]["listing"]["up_to"]
        expected = {
            i: s for i, s in server.items() if not (s[2] and s[0] <= up_to and device not in s[4])
        }
        assert snapshot(seen) == expected
    # Every accepted write took its own sequence number, with none skipped.
    written = [o["seq"] for o in outcomes if o["status"] != "stale" and not o["duplicate"]]
    state = read_state(store, UID)
    assert sorted(written) == list(range(1, state.last_seq + 1))
    assert state.entry_count == sum(1 for s in server.values() if not s[2])
    assert state.tombstone_count == sum(1 for s in server.values() if s[2])
    assert state.conflict_count == sum(o["status"] == "conflict" for o in outcomes) > 0


@pytest.mark.many_threads
def test_the_same_push_sent_concurrently_is_applied_once(store, clock):
    sync_user(UID, "phone")
    entries = [change(f"e{i}", f"t{i}", {"phone": 1}) for i in range(20)]
    with ThreadPoolExecutor(8) as pool:
        results = list(pool.map(lambda _: push(UID, "phone", entries), range(8)))
    assert read_state(store, UID).last_seq == 20
    fresh = [r for r in results if not r.results[0]["duplicate"]]
    assert len(fresh) == 1

    def answer(result):  # what a device learns, apart from whether it was the first
        return [{k: v for k, v in r.items() if k != "duplicate"} for r in result.results]

    assert all(answer(r) == answer(fresh[0]) for r in results)
    assert [e["seq"] for e in pull(UID, "phone", 0, 100).entries] == list(range(1, 21))


def test_transaction_bodies_can_run_twice(clock):
    """Every transaction body runs twice (the first run discarded): counts stay exact."""
    wiring.use(store=SqliteStore(rerun_transactions=True))
    store = wiring.store()
    sync_user(UID, "phone", "laptop", "spare")
    push(UID, "phone", [change("a", "1", {"phone": 1}), change("b", "1", {"phone": 1})])
    push(
        UID, "laptop", [change("a", "2", {"laptop": 1})], [deletion("b", {"phone": 1, "laptop": 1})]
    )
    before = all_documents(store)
    push(UID, "laptop", [change("a", "2", {"laptop": 1})])  # a retry
    assert all_documents(store) == before
    state = read_state(store, UID)
    assert (state.last_seq, state.entry_count, state.tombstone_count) == (4, 1, 1)
    assert state.conflict_count == 1
    seen, cursor = pull_all(UID, "spare")
    assert cursor == 4 and "b" not in seen  # a first sync leaves out what it never had
    clock.advance(days=31)
    assert purge_tombstones().tombstones == 1
    assert read_state(store, UID).purge_horizon == 4
    remove_device(UID, DeviceRef(device_id="spare"))
    assert store.get(f"device_registries/{UID}") == {"count": 2}
    assert set(server_entries(store, UID)) == {"a"}
