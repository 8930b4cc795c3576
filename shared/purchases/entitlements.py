"""One entitlement model per user and add-on, whichever store granted it.

`users/{uid}/entitlements/{addOn}` holds the current state. Writers go through
`record_entitlement`, which refuses to let older information overwrite newer (compared by
`sourceTime`, the time the store says the state was true). Other areas ask `is_entitled`.

While an entitlement grants access until a known time, `record_entitlement` also keeps a
top-level `entitlement_expiries/{uid}:{addOn}` marker with that end, so the scheduled sweep can
find lapsed entitlements with one single-field range query (no collection-group query).
"""

from datetime import datetime
from enum import StrEnum

from pydantic import Field

from shared import collections
from shared.models import WireModel
from shared.store import Doc, Reader, Transaction, query


class EntitlementStatus(StrEnum):
    ACTIVE = "active"
    GRACE_PERIOD = "grace_period"
    BILLING_RETRY = "billing_retry"
    EXPIRED = "expired"
    REVOKED = "revoked"
    REFUNDED = "refunded"


# Statuses that grant access (billing retry does not; grace period does, until it ends).
GRANTING = frozenset({EntitlementStatus.ACTIVE, EntitlementStatus.GRACE_PERIOD})


class Entitlement(WireModel):
    """The stored state of one add-on for one user (field names as stored and sent)."""

    add_on: str
    status: EntitlementStatus
    tier: str | None = None
    expires_at: datetime | None = None
    grace_expires_at: datetime | None = None
    auto_renew: bool = False
    platform: str  # app_store, play_store, stripe, grant
    product_id: str
    original_transaction_id: str | None = None
    environment: str = "production"
    source_time: datetime = Field(description="when the store said this state was true")
    updated_at: datetime | None = None

    def access_ends_at(self) -> datetime | None:
        """When access ends if nothing changes (None: never, while the status grants)."""
        end = self.grace_expires_at if self.status == EntitlementStatus.GRACE_PERIOD else None
        return end or self.expires_at

    def grants_access(self, now: datetime) -> bool:
        if self.status not in GRANTING:
            return False
        end = self.access_ends_at()
        return end is None or end > now

    def same_source(self, other: "Entitlement") -> bool:
        """Whether both describe the same purchase (a store's subscription or payment)."""
        return (self.platform, self.original_transaction_id) == (
            other.platform,
            other.original_transaction_id,
        )


def entitlement_path(uid: str, add_on: str) -> str:
    return f"{collections.entitlements(uid)}/{add_on}"


def expiry_path(uid: str, add_on: str) -> str:
    return f"{collections.ENTITLEMENT_EXPIRIES}/{uid}:{add_on}"


def get_entitlement(reader: Reader, uid: str, add_on: str) -> Entitlement | None:
    data = reader.get(entitlement_path(uid, add_on))
    return Entitlement.model_validate(data) if data else None


def list_entitlements(reader: Reader, uid: str) -> list[Entitlement]:
    """Every stored entitlement of `uid`, granting or not."""
    docs = reader.query(query(collections.entitlements(uid)))
    return [Entitlement.model_validate(doc.data) for doc in docs]


def is_entitled(reader: Reader, uid: str, add_on: str, now: datetime) -> bool:
    """Whether `uid` has access to `add_on` at `now` (the one check other areas use)."""
    entitlement = get_entitlement(reader, uid, add_on)
    return entitlement is not None and entitlement.grants_access(now)


def record_entitlement(
    txn: Transaction,
    uid: str,
    entitlement: Entitlement,
    now: datetime,
    *,
    keep_other_access: bool = False,
) -> bool:
    """Store `entitlement` unless the stored one is newer; True if it was written.

    With `keep_other_access`, a state that grants nothing does not replace a stored state of
    another purchase that still grants access (an App Store subscription ending must not end
    access bought through Stripe). Reads first, then writes: call it after your own reads in
    the transaction.
    """
    path = entitlement_path(uid, entitlement.add_on)
    data = txn.get(path)
    stored = Entitlement.model_validate(data) if data is not None else None
    if stored is not None and stored.source_time > entitlement.source_time:
        return False
    if (
        keep_other_access
        and stored is not None
        and not stored.same_source(entitlement)
        and stored.grants_access(now)
        and not entitlement.grants_access(now)
    ):
        return False
    txn.set(path, entitlement.model_copy(update={"updated_at": now}).model_dump(by_alias=True))
    _mark_expiry(txn, uid, entitlement, stored)
    return True


def _mark_expiry(
    txn: Transaction, uid: str, entitlement: Entitlement, stored: Entitlement | None
) -> None:
    end = entitlement.access_ends_at()
    if entitlement.status in GRANTING and end is not None:
        marker = {"uid": uid, "addOn": entitlement.add_on, "endsAt": end}
        txn.set(expiry_path(uid, entitlement.add_on), marker)
    elif stored is not None and stored.status in GRANTING and stored.access_ends_at() is not None:
        txn.delete(expiry_path(uid, entitlement.add_on))


def lapsed_entitlements(reader: Reader, now: datetime, limit: int) -> list[Doc]:
    """Expiry markers whose end has passed, oldest first (the sweep's work list)."""
    return reader.query(
        query(
            collections.ENTITLEMENT_EXPIRIES,
            [("endsAt", "<=", now)],
            order_by=["endsAt"],
            limit=limit,
        )
    )


def expire_entitlement(txn: Transaction, uid: str, add_on: str, now: datetime) -> bool:
    """Mark an entitlement whose access has ended as expired; True if it changed.

    Keeps its `sourceTime`: the sweep learns nothing new from the store, so any later word from
    the store (a renewal signed after that time) still wins. A marker that no longer matches
    the entitlement is corrected or removed.
    """
    stored = get_entitlement(txn, uid, add_on)
    if stored is None or stored.status not in GRANTING:
        txn.delete(expiry_path(uid, add_on))
        return False
    if stored.grants_access(now):
        if stored.access_ends_at() is None:
            txn.delete(expiry_path(uid, add_on))
        else:
            _mark_expiry(txn, uid, stored, None)
        return False
    expired = stored.model_copy(update={"status": EntitlementStatus.EXPIRED, "updated_at": now})
    txn.set(entitlement_path(uid, add_on), expired.model_dump(by_alias=True))
    txn.delete(expiry_path(uid, add_on))
    return True
