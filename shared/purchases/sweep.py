"""The entitlement sweep: entitlements whose access ended (past expiry, past grace) become
expired. Access already ends on time through `is_entitled`; the sweep makes the stored status
say so. Each entitlement changes in its own small transaction, so a stopped run resumes."""

from datetime import datetime

from shared import wiring
from shared.purchases import claims
from shared.purchases.entitlements import expire_entitlement, lapsed_entitlements
from shared.store import Store

PAGE = 200
MAX_PAGES = 50


def sweep_entitlements() -> int:
    """Expire every lapsed entitlement; return how many changed."""
    with claims.publishing():
        return _sweep(wiring.store(), wiring.now())


def _sweep(store: Store, now: datetime) -> int:
    changed = 0
    for _ in range(MAX_PAGES):
        markers = lapsed_entitlements(store, now, PAGE)
        for marker in markers:
            uid, add_on = marker.data["uid"], marker.data["addOn"]
            changed += store.transaction(
                lambda txn, u=uid, a=add_on: expire_entitlement(txn, u, a, now)
            )
        if len(markers) < PAGE:
            break
    return changed
