"""Session scenarios: start→heartbeat→resolve cycles over HTTP, store operations per call, and
reconcile throughput over 100,000 ledger entries."""

import os
import time
from datetime import UTC, datetime, timedelta

from bench.harness import Bench, scenario
from shared import collections, ledger, wiring
from shared.ledger import EntryType, NewEntry, Wallet
from shared.ops import reconcile
from shared.store import query

PLEDGE = 5


def _fund(bench: Bench, uids: list[str]) -> None:
    now = wiring.now()
    for uid in uids:
        grant = NewEntry(id=f"bench_grant_{uid}", type=EntryType.CREDITS_GRANT, amount=100)
        bench.store.transaction(lambda txn, u=uid, g=grant: ledger.post_entries(txn, u, [g], now))


def _cycle(bench: Bench, uid: str, token: str, outcome: str = "SUCCESS") -> None:
    start = {"pledge": PLEDGE, "durationMinutes": 30, "idempotencyKey": f"{uid}-start"}
    sid = bench.api.result("session_start", start, token=token)["sessionId"]
    bench.api.result("session_heartbeat", {"sessionId": sid}, token=token)
    resolve = {"sessionId": sid, "outcome": outcome, "idempotencyKey": f"{uid}-resolve"}
    bench.api.result("session_resolve", resolve, token=token)


def _cycles(bench: Bench, prefix: str, clients: int, total: int) -> None:
    uids = [f"{prefix}-{i}" for i in range(total)]
    _fund(bench, uids)
    tokens = [bench.api.token(uid) for uid in uids]  # signing is not what we measure
    bench.measure(
        "start+heartbeat+resolve (3 calls)",
        clients,
        total,
        lambda i: _cycle(bench, uids[i], tokens[i], "SUCCESS" if i % 2 else "FAILURE"),
    )


def _per_call(bench: Bench, total: int = 200) -> None:
    """One call at a time, so the store counts per operation are exact."""
    uids = [f"calls-{i}" for i in range(total)]
    _fund(bench, uids)
    tokens = [bench.api.token(uid) for uid in uids]
    sids: list[str] = [""] * total

    def start(i: int) -> None:
        data = {"pledge": PLEDGE, "durationMinutes": 30, "idempotencyKey": "k"}
        sids[i] = bench.api.result("session_start", data, token=tokens[i])["sessionId"]

    def resolve(i: int) -> None:
        outcome = "SUCCESS" if i < total // 2 else "FAILURE"
        data = {"sessionId": sids[i], "outcome": outcome, "idempotencyKey": "r"}
        bench.api.result("session_resolve", data, token=tokens[i])

    bench.measure("session_start", 1, total, start)
    bench.measure(
        "session_heartbeat",
        1,
        total,
        lambda i: bench.api.result("session_heartbeat", {"sessionId": sids[i]}, token=tokens[i]),
    )
    bench.measure("session_resolve SUCCESS", 1, total // 2, resolve)
    bench.measure("session_resolve FAILURE", 1, total // 2, lambda i: resolve(i + total // 2))
    bench.measure(
        "session_resolve replay",
        1,
        total // 2,
        lambda i: resolve(i),
    )
    bench.measure(
        "wallet_get (limit 20)",
        1,
        total,
        lambda i: bench.api.result("wallet_get", {"limit": 20}, token=tokens[i]),
    )


def _seed_ledger(bench: Bench, users: int, per_user: int) -> None:
    """Entries and matching wallets written straight in batches of 500."""
    start = datetime(2026, 1, 1, tzinfo=UTC)
    batch, writes = bench.store.batch(), 0
    for u in range(users):
        uid = f"ledger-{u:05d}"
        for n in range(per_user):
            delta = {"credits": 1, "locked": 0, "ash": 0, "debt": 0}
            batch.create(
                ledger.entry_path(f"seed_{uid}_{n}"),
                {
                    "uid": uid,
                    "type": "credits_grant",
                    "amount": 1,
                    "currency": "credits",
                    "delta": delta,
                    "refs": {},
                    "reason": None,
                    "createdAt": start + timedelta(seconds=n),
                    "walletAfter": {**delta, "credits": n + 1},
                },
            )
            writes += 1
            if writes % 500 == 0:
                batch.commit()
                batch = bench.store.batch()
        batch.set(collections.user(uid), {"wallet": Wallet(credits=per_user).model_dump()})
        writes += 1
        if writes % 500 == 0:
            batch.commit()
            batch = bench.store.batch()
    batch.commit()


def _reconcile(bench: Bench, users: int = 1_000, per_user: int = 100) -> None:
    _seed_ledger(bench, users, per_user)
    bench.configure(
        reconcile_full_every_hours="0",
        reconcile_max_seconds="3600",
        reconcile_incremental_lag_seconds="0",
    )
    for name, run in (
        ("reconcile_balances", lambda: reconcile.reconcile_balances(force=True)),
        ("reconcile_incremental", reconcile.reconcile_incremental),
    ):
        before = bench.store.counts.as_dict()
        started = time.perf_counter()
        report = run()
        seconds = time.perf_counter() - started
        after = bench.store.counts.as_dict()
        assert report.finished and report.drifted == [], report
        checked = f"; global sum {report.global_sum}" if report.global_sum is not None else ""
        bench.note(
            f"{name}: {report.entries_read:,} entries of {report.users_checked:,} users in "
            f"{seconds:.1f} s = {report.entries_read / seconds:,.0f} entries/s; "
            f"store reads {after['reads'] - before['reads']:,}, "
            f"writes {after['writes'] - before['writes']:,}{checked}"
        )
    _fold_cost(bench)


def _fold_cost(bench: Bench) -> None:
    """CPU only: summing stored deltas (before double entry) against re-deriving them."""
    docs = bench.store.query(query(collections.LEDGER, limit=20_000))
    stored = [{**d.data, "id": d.id} for d in docs]
    by_user: dict[str, list[dict]] = {}
    for entry in stored:
        by_user.setdefault(entry["uid"], []).append(entry)
    for name, fold in (
        ("sum of stored deltas", lambda uid, es: ledger.sum_deltas(es)),
        ("re-derived fold + counterparts", ledger.audit_entries),
    ):
        started = time.perf_counter()
        for uid, entries in by_user.items():
            fold(uid, entries)
        rate = len(stored) / (time.perf_counter() - started)
        bench.note(f"in memory, {name}: {rate:,.0f} entries/s")


@scenario("sessions")
def run(bench: Bench) -> None:
    bench.configure(session_one_active="true")
    bench.api.result("wallet_get", {}, uid="warm-up")  # fetch the signing certificates once
    _per_call(bench)
    _cycles(bench, "solo", clients=1, total=200)
    _cycles(bench, "many", clients=16, total=800)
    # BENCH_LEDGER_USERS: a smaller ledger (100 entries per user) on a busy machine.
    _reconcile(bench, users=int(os.environ.get("BENCH_LEDGER_USERS", "1000")))
