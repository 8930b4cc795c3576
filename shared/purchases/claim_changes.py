"""Which users' active entitlements changed in the current block (see shared.purchases.claims).

Apart from the publisher so that reading entitlements (every callable may, for rate-limit
tiers) does not reach firebase-admin's Auth: a function gets the Auth role only where its code
can publish claims.
"""

from contextvars import ContextVar

pending: ContextVar[set[str] | None] = ContextVar("entitlement_claims", default=None)


def note_change(uid: str) -> None:
    """Remember that `uid`'s active entitlements changed (called inside a transaction)."""
    changed = pending.get()
    if changed is not None:
        changed.add(uid)
