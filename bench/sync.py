"""Sync scenarios: push and pull throughput for 10,000 entries in pages of 500 over HTTP,
store reads and writes per pushed and per pulled entry, and one-entry push latency."""

import base64
import os
from datetime import UTC, datetime

from bench.harness import Bench, Result, scenario
from shared import wiring
from shared.purchases.entitlements import Entitlement, EntitlementStatus, entitlement_path

PAGE = 500
TOTAL = 10_000
AT = "2026-01-01T12:00:00Z"


def entitle(bench: Bench, uid: str) -> str:
    """Grant `sync` straight in the store and return a token (signing is not measured)."""
    entitlement = Entitlement(
        add_on="sync",
        status=EntitlementStatus.ACTIVE,
        platform="grant",
        product_id="bench",
        source_time=datetime(2026, 1, 1, tzinfo=UTC),
    )
    wiring.store().set(entitlement_path(uid, "sync"), entitlement.model_dump(by_alias=True))
    return bench.api.token(uid)


def _register(bench: Bench, token: str, *devices: str) -> None:
    for device in devices:
        data = {"deviceId": device, "name": device, "platform": "ios"}
        bench.api.result("device_register", data, token=token)


def _entry(entry_id: str, device: str, size: int = 200) -> dict:
    ciphertext = base64.b64encode(os.urandom(size)).decode()
    return {"id": entry_id, "ciphertext": ciphertext, "clock": {device: 1}, "updatedAt": AT}


def _per_entry(bench: Bench, result: Result, entries: int) -> None:
    bench.note(
        f"{result.label}: {entries / result.seconds:,.0f} entries/s; per entry "
        f"{result.reads / entries:.3f} reads, {result.writes / entries:.3f} writes"
    )


@scenario("sync")
def sync(bench: Bench) -> None:
    token = entitle(bench, "bench-sync")
    _register(bench, token, "phone", "laptop")
    pages = [
        [_entry(f"e{p * PAGE + i}", "phone") for i in range(PAGE)] for p in range(TOTAL // PAGE)
    ]

    def push_page(i: int) -> None:
        data = {"deviceId": "phone", "entries": pages[i]}
        bench.api.result("sync_push", data, token=token)

    # Minimum: one transaction reading entitlement, device, state and each stored version,
    # writing each entry and the state.
    pushed = bench.measure(
        f"sync_push {PAGE} new entries", 1, len(pages), push_page, minimum=(PAGE + 3, PAGE + 1)
    )
    _per_entry(bench, pushed, TOTAL)

    def pull_page(i: int) -> None:
        data = {"deviceId": "laptop", "cursor": i * PAGE, "limit": PAGE}
        page = bench.api.result("sync_pull", data, token=token)
        assert len(page["entries"]) == PAGE

    # Minimum: entitlement, device, state before and after the query, the page and the one
    # look-ahead entry; the device's new cursor.
    pulled = bench.measure(
        f"sync_pull {PAGE} entries", 1, len(pages), pull_page, minimum=(PAGE + 5, 1)
    )
    _per_entry(bench, pulled, TOTAL)

    retried = bench.measure(
        f"sync_push {PAGE} retried (no-op)", 1, len(pages), push_page, minimum=(PAGE + 3, 0)
    )
    _per_entry(bench, retried, TOTAL)

    def one_entry(clients: int):
        def op(i: int) -> None:
            data = {"deviceId": "phone", "entries": [_entry(f"one-{clients}-{i}", "phone")]}
            bench.api.result("sync_push", data, token=token)

        return op

    for clients, total in ((1, 300), (16, 800)):
        bench.measure(
            "sync_push 1 entry, one user", clients, total, one_entry(clients), minimum=(4, 2)
        )

    users = [f"bench-user-{i}" for i in range(16)]
    tokens = [entitle(bench, uid) for uid in users]
    for t in tokens:
        _register(bench, t, "phone")

    def one_entry_many_users(i: int) -> None:
        data = {"deviceId": "phone", "entries": [_entry(f"m-{i}", "phone")]}
        bench.api.result("sync_push", data, token=tokens[i % len(tokens)])

    bench.measure("sync_push 1 entry, 16 users", 16, 800, one_entry_many_users, minimum=(4, 2))
    bench.measure(
        "sync_pull nothing new (idle poll)",
        1,
        300,
        lambda i: bench.api.result(
            "sync_pull", {"deviceId": "laptop", "cursor": TOTAL + 1100}, token=token
        ),
        minimum=(3, 0),  # entitlement, device, state: the state shows nothing is new
    )
