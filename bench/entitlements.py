"""Entitlement scenarios: a bundle purchase (two add-ons, two source records, claims), and
source updates recomputing the combined record, spread over users and racing on one user."""

import json
import tempfile
from contextlib import ExitStack
from datetime import UTC, datetime, timedelta
from pathlib import Path

from bench.harness import Bench, scenario
from bench.purchases import _stand_ins
from shared import wiring
from shared.purchases.entitlements import Entitlement, EntitlementStatus, record_entitlement
from tests.purchases.apple_fakes import AUTO_RENEWABLE, transaction


class CountingPublisher:
    def __init__(self) -> None:
        self.calls = 0

    def publish(self, uid: str, entitlements: list[str]) -> None:
        self.calls += 1


def _source(uid: int, platform: str, minute: int, now: datetime) -> Entitlement:
    return Entitlement(
        add_on="sync",
        status=EntitlementStatus.ACTIVE,
        expires_at=now + timedelta(days=10 + minute % 40),
        platform=platform,
        product_id="sync.monthly",
        original_transaction_id=f"{platform}-{uid}",
        source_time=now + timedelta(minutes=minute),
    )


@scenario("entitlements")
def run(bench: Bench) -> None:
    """verify_purchase of a bundle; source updates per second with their reads and writes."""
    with ExitStack() as stack, tempfile.TemporaryDirectory(prefix="bench-ent-") as tmp:
        s = _stand_ins(bench, stack, Path(tmp))
        products = {"bundle.monthly": {"addOns": ["sync", "ai"], "tier": "bundle"}}
        bench.configure(purchase_products=json.dumps(products))
        publisher = CountingPublisher()
        wiring.use(claims_publisher=publisher)
        ca, now = s["ca"], datetime.now(UTC)
        tokens = {f"b{i}": bench.api.token(f"b{i}") for i in range(400)}
        jws = [
            ca.sign(
                transaction(
                    transaction_id=f"5{i:08d}",
                    product_id="bundle.monthly",
                    purchase_date=now,
                    expires_date=now + timedelta(days=30),
                    type=AUTO_RENEWABLE,
                )
            )
            for i in range(400)
        ]

        def bundle(i: int) -> None:
            data = {"platform": "app_store", "signedTransaction": jws[i]}
            result = bench.api.result("verify_purchase", data, token=tokens[f"b{i}"])
            assert result["refreshToken"] is True

        bench.measure("verify_purchase bundle (2 add-ons + claims)", 8, 400, bundle)
        bench.note(f"claims published: {publisher.calls}")

        store = wiring.store()

        def update(uid: str, entitlement: Entitlement) -> None:
            store.transaction(lambda txn: record_entitlement(txn, uid, entitlement, now))

        bench.measure(
            "record_entitlement, 2 sources per user, 400 users",
            8,
            800,
            lambda i: update(f"r{i // 2}", _source(i // 2, ("app_store", "stripe")[i % 2], i, now)),
        )
        bench.measure(
            "record_entitlement, 2 sources racing on one user",
            8,
            400,
            lambda i: update("hot", _source(0, ("app_store", "stripe")[i % 2], i, now)),
        )
