"""One entitlement model per user and add-on, whichever store granted it.

`users/{uid}/entitlements/{addOn}` holds the current state. Writers go through
`record_entitlement`, which refuses to let older information overwrite newer (compared by
`sourceTime`, the time the store says the state was true). Other areas ask `is_entitled`.
"""

from datetime import datetime
from enum import StrEnum

from pydantic import Field

from shared import collections
from shared.models import WireModel
from shared.store import Reader, Transaction


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
    expires_at: datetime | None = None
    grace_expires_at: datetime | None = None
    auto_renew: bool = False
    platform: str  # app_store, play_store, stripe, grant
    product_id: str
    original_transaction_id: str | None = None
    environment: str = "production"
    source_time: datetime = Field(description="when the store said this state was true")
    updated_at: datetime | None = None

    def grants_access(self, now: datetime) -> bool:
        if self.status not in GRANTING:
            return False
        end = self.grace_expires_at if self.status == EntitlementStatus.GRACE_PERIOD else None
        end = end or self.expires_at
        return end is None or end > now


def entitlement_path(uid: str, add_on: str) -> str:
    return f"{collections.entitlements(uid)}/{add_on}"


def get_entitlement(reader: Reader, uid: str, add_on: str) -> Entitlement | None:
    data = reader.get(entitlement_path(uid, add_on))
    return Entitlement.model_validate(data) if data else None


def is_entitled(reader: Reader, uid: str, add_on: str, now: datetime) -> bool:
    """Whether `uid` has access to `add_on` at `now` (the one check other areas use)."""
    entitlement = get_entitlement(reader, uid, add_on)
    return entitlement is not None and entitlement.grants_access(now)


def record_entitlement(txn: Transaction, uid: str, entitlement: Entitlement, now: datetime) -> bool:
    """Store `entitlement` unless the stored one is newer; True if it was written.

    Reads first, then writes: call it after your own reads in the transaction.
    """
    path = entitlement_path(uid, entitlement.add_on)
    stored = txn.get(path)
    if (
        stored is not None
        and Entitlement.model_validate(stored).source_time > entitlement.source_time
    ):
        return False
    data = entitlement.model_copy(update={"updated_at": now}).model_dump(by_alias=True)
    txn.set(path, data)
    return True
