"""Entitlements: one record per (user, add-on, source) and one combined record per add-on.

Each store purchase that grants an add-on keeps its own record,
`users/{uid}/entitlement_sources/{addOn}__{platform}__{originalTransactionId}`, ordered by its
own `sourceTime` (the time the store said the state was true): older information never
overwrites newer for that source. In the same transaction the combined record
`users/{uid}/entitlements/{addOn}` is recomputed from every source of the add-on: access lasts
until the latest granting source ends, so one source lapsing does not remove access another
still grants. Other areas only ask `is_entitled`, which reads the combined record.

While the combined record grants access until a known time, a top-level
`entitlement_expiries/{uid}:{addOn}` marker holds that end, so the scheduled sweep finds lapsed
entitlements with one single-field range query.
"""

from dataclasses import dataclass, field
from datetime import UTC, datetime
from enum import StrEnum
from typing import Literal

from pydantic import Field

from shared import collections, config
from shared.models import WireModel
from shared.purchases.claim_changes import note_change
from shared.store import Doc, Reader, Transaction, query


class EntitlementStatus(StrEnum):
    ACTIVE = "active"
    GRACE_PERIOD = "grace_period"
    BILLING_RETRY = "billing_retry"
    EXPIRED = "expired"
    REVOKED = "revoked"
    REFUNDED = "refunded"
    PAUSED = "paused"  # Play or Stripe paused: no access until resumed
    TRANSFERRED = "transferred"  # restored by another account (see transfers.py)
    SUPERSEDED = "superseded"  # replaced by another purchase (Play linkedPurchaseToken)


# Statuses that grant access (billing retry does not; grace period does, until it ends).
GRANTING = frozenset({EntitlementStatus.ACTIVE, EntitlementStatus.GRACE_PERIOD})
PRODUCTION = "production"


class EntitlementSettings(config.AppSettings):
    """Entitlement policies (documented in .env.example)."""

    # Sandbox/test purchases (Apple Sandbox/Xcode, Play license testers, Stripe test mode):
    # auto grants them where that store is configured to accept them (APPLE_ACCEPT_SANDBOX or
    # a non-Production APPLE_ENVIRONMENT, PLAY_ACCEPT_TEST_PURCHASES, a Stripe test key);
    # refuse never grants them, grant always does. Every record keeps its environment.
    entitlement_sandbox: Literal["auto", "grant", "refuse"] = "auto"
    # A purchase restored by another account: keep it with its owner (ERR_4206), transfer it,
    # or transfer it only if the owner's records of it no longer grant access.
    entitlement_transfer_policy: Literal["keep", "transfer", "transfer_if_inactive"] = "keep"
    # Mirror active entitlements into the Firebase custom claim `entitlements`.
    entitlement_claims: Literal["auto", "firebase", "log", "off"] = "auto"


def entitlement_settings() -> EntitlementSettings:
    return config.load(EntitlementSettings)


class Entitlement(WireModel):
    """The stored state of one add-on for one user (field names as stored and sent).

    The same shape serves a source record (`source_id` set) and the combined record
    (`sources`: the ids of the sources that grant access).
    """

    add_on: str
    status: EntitlementStatus
    tier: str | None = None
    expires_at: datetime | None = None
    grace_expires_at: datetime | None = None
    auto_renew: bool = False
    platform: str  # app_store, play_store, stripe, grant
    product_id: str
    original_transaction_id: str | None = None
    environment: str = PRODUCTION
    source_time: datetime = Field(description="when the store said this state was true")
    updated_at: datetime | None = None
    family_shared: bool = False
    # Apple: the product the subscription renews into (a downgrade waiting for the renewal).
    pending_product_id: str | None = None
    source_id: str | None = None
    superseded_by: str | None = None
    sources: list[str] = Field(default_factory=list)

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

    @property
    def key(self) -> str:
        """The id of this entitlement's source record."""
        return source_key(self.add_on, self.platform, self.original_transaction_id)


def source_key(add_on: str, platform: str, original_transaction_id: str | None) -> str:
    return f"{add_on}__{platform}__{(original_transaction_id or 'none').replace('/', '_')}"


def entitlement_path(uid: str, add_on: str) -> str:
    return f"{collections.entitlements(uid)}/{add_on}"


def source_path(uid: str, key: str) -> str:
    return f"{collections.entitlement_sources(uid)}/{key}"


def expiry_path(uid: str, add_on: str) -> str:
    return f"{collections.ENTITLEMENT_EXPIRIES}/{uid}:{add_on}"


def get_entitlement(reader: Reader, uid: str, add_on: str) -> Entitlement | None:
    data = reader.get(entitlement_path(uid, add_on))
    return Entitlement.model_validate(data) if data else None


def list_entitlements(reader: Reader, uid: str) -> list[Entitlement]:
    """Every combined entitlement of `uid`, granting or not."""
    docs = reader.query(query(collections.entitlements(uid)))
    return [Entitlement.model_validate(doc.data) for doc in docs]


def list_sources(reader: Reader, uid: str, add_on: str | None = None) -> list[Entitlement]:
    """The source records of `uid` (of one add-on, or all)."""
    where = [("addOn", "==", add_on)] if add_on else []
    docs = reader.query(query(collections.entitlement_sources(uid), where))
    return [Entitlement.model_validate(doc.data) for doc in docs]


def list_purchase_sources(
    reader: Reader, uid: str, platform: str, original_transaction_id: str
) -> list[Entitlement]:
    """The source records of one purchase of `uid`, whatever add-ons it granted."""
    where = [("originalTransactionId", "==", original_transaction_id)]
    docs = reader.query(query(collections.entitlement_sources(uid), where))
    found = [Entitlement.model_validate(doc.data) for doc in docs]
    return [s for s in found if s.platform == platform]


def may_grant(environment: str, store_accepts: bool) -> bool:
    """Whether a purchase of this environment may grant entitlements here.

    `store_accepts`: whether its store is configured to accept sandbox purchases (each store
    area decides, so no area reads another's settings and secrets).
    """
    if environment == PRODUCTION:
        return True
    policy = entitlement_settings().entitlement_sandbox
    return store_accepts if policy == "auto" else policy == "grant"


def is_entitled(reader: Reader, uid: str, add_on: str, now: datetime) -> bool:
    """Whether `uid` has access to `add_on` at `now` (the one check other areas use)."""
    entitlement = get_entitlement(reader, uid, add_on)
    return entitlement is not None and entitlement.grants_access(now)


@dataclass
class AddOnState:
    """One add-on of one user as read at the start of a transaction, updated as written."""

    uid: str
    add_on: str
    combined: Entitlement | None
    sources: dict[str, Entitlement] = field(default_factory=dict)
    # A combined record written before source records existed: kept as its own source.
    legacy: Entitlement | None = None


def read_add_on(reader: Reader, uid: str, add_on: str) -> AddOnState:
    """What changing one add-on needs (one get, one single-field query). Reads only."""
    combined = get_entitlement(reader, uid, add_on)
    state = AddOnState(uid, add_on, combined, {s.key: s for s in list_sources(reader, uid, add_on)})
    if not state.sources and combined is not None:
        state.legacy = combined.model_copy(update={"sources": []})
        state.sources[combined.key] = state.legacy
    return state


def read_add_ons(reader: Reader, uid: str, add_ons: list[str]) -> dict[str, AddOnState]:
    return {a: read_add_on(reader, uid, a) for a in sorted(set(add_ons))}


def put_source(
    txn: Transaction, state: AddOnState, entitlement: Entitlement, now: datetime
) -> bool:
    """Store one source's state unless its stored state is newer, the same, or superseded, and
    recompute the combined record; True if the source was written. Writes only."""
    key = entitlement.key
    stored = state.sources.get(key)
    source = entitlement.model_copy(update={"source_id": key, "sources": []})
    if stored is not None and stored.status == EntitlementStatus.SUPERSEDED:
        return False  # a replaced purchase's later word changes nothing
    if stored is not None and stored.source_time > entitlement.source_time:
        return False
    if stored is not None and _unchanged(stored, source):
        return False  # the same signed data again (a repeated verify): already applied
    _write_source(txn, state, source, now)
    settle(txn, state, now)
    return True


def _unchanged(stored: Entitlement, source: Entitlement) -> bool:
    ignored = {"updated_at", "sources"}
    return stored.model_dump(exclude=ignored) == source.model_dump(exclude=ignored)


def end_source(
    txn: Transaction,
    state: AddOnState,
    key: str,
    status: EntitlementStatus,
    now: datetime,
    **fields: object,
) -> bool:
    """Set a stored source to a status granting nothing (superseded, transferred, product
    changed), keeping its sourceTime; True if it changed. Writes only."""
    stored = state.sources.get(key)
    if stored is None or stored.status == status:
        return False
    _write_source(txn, state, stored.model_copy(update={"status": status, **fields}), now)
    settle(txn, state, now)
    return True


def _write_source(txn: Transaction, state: AddOnState, source: Entitlement, now: datetime) -> None:
    if state.legacy is not None and state.legacy.key != source.key:
        legacy = state.legacy.model_copy(update={"source_id": state.legacy.key})
        txn.set(source_path(state.uid, legacy.key), legacy.model_dump(by_alias=True))
        state.sources[legacy.key] = legacy
    state.legacy = None
    source = source.model_copy(update={"updated_at": now})
    txn.set(source_path(state.uid, source.key), source.model_dump(by_alias=True))
    state.sources[source.key] = source


def combine(sources: list[Entitlement], now: datetime) -> Entitlement | None:
    """The combined record: the granting source whose access lasts longest, else the latest
    word of any source. Its sourceTime is the newest of all sources."""
    live = [s for s in sources if s.status != EntitlementStatus.SUPERSEDED] or sources
    if not live:
        return None
    granting = [s for s in live if s.grants_access(now)]
    forever = datetime.max.replace(tzinfo=UTC)
    if granting:
        best = max(granting, key=lambda s: (s.access_ends_at() or forever, s.source_time))
    else:
        best = max(live, key=lambda s: s.source_time)
    return best.model_copy(
        update={
            "source_id": None,
            "sources": sorted(s.key for s in granting),
            "source_time": max(s.source_time for s in live),
        }
    )


def settle(txn: Transaction, state: AddOnState, now: datetime) -> bool:
    """Write the combined record recomputed from the sources if it changed; note a change of
    access for the custom claims. Writes only."""
    before = state.combined
    after = combine(list(state.sources.values()), now)
    if after is None or (before is not None and _same(before, after)):
        return False
    after = after.model_copy(update={"updated_at": now})
    txn.set(entitlement_path(state.uid, state.add_on), after.model_dump(by_alias=True))
    _mark_expiry(txn, state.uid, after, before)
    state.combined = after
    if _claimed(before, now) != _claimed(after, now):
        note_change(state.uid)
    return True


def _claimed(entitlement: Entitlement | None, now: datetime) -> tuple[bool, bool]:
    """What the custom claim depends on (a lapsed but not yet swept record counts too)."""
    if entitlement is None:
        return False, False
    return entitlement.status in GRANTING, entitlement.grants_access(now)


def _same(a: Entitlement, b: Entitlement) -> bool:
    return a.model_dump(exclude={"updated_at"}) == b.model_dump(exclude={"updated_at"})


def record_entitlement(
    txn: Transaction,
    uid: str,
    entitlement: Entitlement,
    now: datetime,
    *,
    keep_other_access: bool = True,
) -> bool:
    """Store one source's state and recompute the add-on's combined record; True if the
    source was written (False: the stored state of that source is newer or the same).

    Another source's access is always kept (`keep_other_access` is accepted for callers
    written before source records existed). Reads first, then writes: call it after your
    own reads in the transaction.
    """
    state = read_add_on(txn, uid, entitlement.add_on)
    return put_source(txn, state, entitlement, now)


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
    """Mark the sources whose access has ended as expired and recompute the combined record;
    True if the combined record stopped granting.

    Keeps each `sourceTime`: the sweep learns nothing new from the store, so any later word
    from the store (a renewal signed after that time) still wins. A marker that no longer
    matches the combined record is corrected or removed.
    """
    state = read_add_on(txn, uid, add_on)
    before = state.combined
    if before is None or before.status not in GRANTING:
        txn.delete(expiry_path(uid, add_on))
        return False
    if before.grants_access(now):
        if before.access_ends_at() is None:
            txn.delete(expiry_path(uid, add_on))
        else:
            _mark_expiry(txn, uid, before, None)
        return False
    for key, source in list(state.sources.items()):
        if source.status in GRANTING and not source.grants_access(now):
            ended = source.model_copy(update={"status": EntitlementStatus.EXPIRED})
            _write_source(txn, state, ended.model_copy(update={"source_id": key}), now)
    settle(txn, state, now)
    after = state.combined
    if after is None or after.status not in GRANTING:
        txn.delete(expiry_path(uid, add_on))
    return after is None or not after.grants_access(now)
