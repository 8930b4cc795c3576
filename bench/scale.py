"""Latency as data grows: idle `sync_pull`, `wallet_get` and `job_history` at 1,000 and at
50,000 stored items of each kind (sync entries, ledger entries, generation jobs), with the
items in the measured user's account and spread over 100 users. Prints p50 at each size and
the ratio (goal: at most 1.5; the store answers each query from an index).

Items are copies of one real document of each kind (made by the services), written straight
to the store in batches, so seeding 150,000 documents takes seconds, not an hour of calls.
"""

import base64
import os
import sqlite3
from collections.abc import Callable
from contextlib import closing
from datetime import UTC, datetime, timedelta
from typing import Any

from bench.harness import Bench, scenario
from bench.sync import entitle
from shared import collections, ledger, wiring
from shared.jobs.models import Job, JobStatus
from shared.ledger import EntryType, NewEntry
from shared.store import query
from shared.sync.state import entry_path, state_path

SMALL, LARGE = 1_000, 50_000
CALLS = 200
PER_BATCH = 166  # three documents an item, at most 500 writes a batch
AT = datetime(2026, 1, 1, tzinfo=UTC)


def _template_ledger_entry(uid: str) -> dict[str, Any]:
    grant = NewEntry(id=f"bench_scale_{uid}", type=EntryType.CREDITS_GRANT, amount=10)
    wiring.store().transaction(lambda txn: ledger.post_entries(txn, uid, [grant], AT))
    docs = wiring.store().query(query(collections.LEDGER, [("uid", "==", uid)], limit=1))
    return docs[0].data


def _template_job(uid: str) -> dict[str, Any]:
    job = Job(
        id="template",
        uid=uid,
        model_id="flux-dev",
        provider_model_id="fal-ai/flux/dev",
        prompt="a fox",
        cost=1,
        status=JobStatus.COMPLETED,
        created_at=AT,
        updated_at=AT,
        request_hash="0" * 64,
        result_urls=["https://cdn.test/fox.png"],
    )
    return job.model_dump(by_alias=True, exclude={"id"})


class _Seeder:
    """Writes copies of the three kinds of documents, `count` more at a time."""

    def __init__(self, bench: Bench, users: list[str]) -> None:
        self.bench, self.users, self.written = bench, users, 0
        self.ledger = _template_ledger_entry(users[0])
        self.job = _template_job(users[0])
        token = bench.api.token(users[0])
        bench.api.result("sync_push", {"deviceId": "phone", "entries": [_entry("t0")]}, token=token)
        self.entry = wiring.store().get(entry_path(users[0], "t0")) or {}
        self.seqs = dict.fromkeys(users, 1)

    def add(self, count: int) -> None:
        store = self.bench.store
        for start in range(self.written, self.written + count, PER_BATCH):
            batch = store.batch()
            for n in range(start, min(start + PER_BATCH, self.written + count)):
                uid = self.users[n % len(self.users)]
                at = AT + timedelta(seconds=n)
                batch.set(f"ledger/scale-{n}", {**self.ledger, "uid": uid, "createdAt": at})
                job = {**self.job, "uid": uid, "createdAt": at, "updatedAt": at}
                batch.set(f"generation_jobs/scale-{n}", job)
                self.seqs[uid] += 1
                entry = {**self.entry, "seq": self.seqs[uid]}
                batch.set(entry_path(uid, f"scale-{n}"), entry)
            batch.commit()
        for uid, seq in self.seqs.items():
            store.set(state_path(uid), {"lastSeq": seq}, merge=True)
        # The store copies its WAL into the database file in the background shortly after
        # commits; the seed's copy would land in the first calls measured, so wait for it.
        with closing(sqlite3.connect(os.environ["SQLITE_PATH"], timeout=60)) as conn:
            conn.execute("PRAGMA wal_checkpoint(FULL)")
        self.written += count
        self.bench.note(f"{self.written:,} items of each kind stored")


def _entry(entry_id: str) -> dict[str, Any]:
    ciphertext = base64.b64encode(os.urandom(200)).decode()
    return {
        "id": entry_id,
        "ciphertext": ciphertext,
        "clock": {"phone": 1},
        "updatedAt": "2026-01-01T12:00:00Z",
    }


# Pages of 5: with 1,000 items over 100 users the measured user has 10, so pages are full at
# both sizes and each call does the same work.
PAGE = 5
# Store reads per call the design needs: entitlement, device, state (idle pull); the user's
# wallet and a page plus one look-ahead entry (wallet_get); a page and its look-ahead.
MINIMUM = {"sync_pull idle": (3, 0), "wallet_get": (PAGE + 2, 0), "job_history": (PAGE + 1, 0)}


def _calls(bench: Bench, seeder: _Seeder) -> dict[str, Callable[[int], Any]]:
    uid = seeder.users[0]
    token = bench.api.token(uid)
    return {
        "sync_pull idle": lambda i: bench.api.result(
            "sync_pull", {"deviceId": "laptop", "cursor": seeder.seqs[uid]}, token=token
        ),
        "wallet_get": lambda i: bench.api.result("wallet_get", {"limit": PAGE}, token=token),
        "job_history": lambda i: bench.api.result("job_history", {"limit": PAGE}, token=token),
    }


def _layout(bench: Bench, label: str, users: list[str]) -> None:
    token = entitle(bench, users[0])
    for device in ("phone", "laptop"):
        data = {"deviceId": device, "name": device, "platform": "ios"}
        bench.api.result("device_register", data, token=token)
    seeder = _Seeder(bench, users)
    seeder.add(SMALL - 1)
    small = {
        name: _measure(bench, f"{name} ({label}, {SMALL:,})", call, MINIMUM[name])
        for name, call in _calls(bench, seeder).items()
    }
    seeder.add(LARGE - SMALL)
    for name, call in _calls(bench, seeder).items():
        large = _measure(bench, f"{name} ({label}, {LARGE:,})", call, MINIMUM[name])
        bench.note(f"{name}, {label}: p50 at {LARGE:,} / at {SMALL:,} = {large / small[name]:.2f}")


def _measure(
    bench: Bench, label: str, call: Callable[[int], Any], minimum: tuple[float, float]
) -> float:
    """p50 of CALLS calls, after a few untimed ones (connections and caches warm)."""
    for i in range(20):
        call(i)
    return bench.measure(label, 1, CALLS, call, minimum=minimum).percentile(50)


@scenario("scale_one_user")
def scale_one_user(bench: Bench) -> None:
    _layout(bench, "one user", ["scale-solo"])


@scenario("scale_100_users")
def scale_100_users(bench: Bench) -> None:
    _layout(bench, "100 users", [f"scale-u{i}" for i in range(100)])
