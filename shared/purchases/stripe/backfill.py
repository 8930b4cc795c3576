"""Backfill of an existing Stripe account: customers, products, prices, subscriptions, invoices.

`backfills/{id}` holds the options and, per entity type, the counts and Stripe's list cursor
(the id of the last object taken). The work runs in slices: each pages through Stripe's list
API and commits every chunk of objects in ONE transaction with the counts and the new cursor,
so a crash or a timeout loses at most the chunk in flight and nothing is counted twice; the
next slice is published on a Pub/Sub topic, and a crashed slice is redelivered (or restarted
by the watchdog). A chunk commits only if the stored cursor is still the one it started from,
so two runners of the same backfill cannot both apply it. Mirrored objects keep the newest
state (see `mirror`), so live webhooks and a backfill may run together.

Conflicts with existing documents: `skip` leaves them, `overwrite` replaces them unless they
are newer, `flag` leaves them and records an event. `dryRun` counts without writing objects.
"""

import time
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, Literal

from pydantic import Field

from shared import collections, faults, wiring
from shared.errors import AppError
from shared.models import WireModel, document_id
from shared.purchases.stripe import catalog, client, mirror
from shared.purchases.stripe.customers import UID_KEY, uids_of_customers
from shared.purchases.stripe.invoices import invoice_document, invoice_path
from shared.purchases.stripe.objects import (
    Customer,
    Invoice,
    Price,
    Product,
    Subscription,
    timestamp,
)
from shared.purchases.stripe.publisher import BACKFILL_TOPIC, publisher
from shared.purchases.stripe.settings import settings
from shared.purchases.stripe.subscriptions import UserSubscriptions, subscription_document
from shared.store import Increment, Transaction, query

EntityType = Literal["customers", "products", "prices", "subscriptions", "invoices"]
ENTITY_TYPES: tuple[EntityType, ...] = (
    "customers",
    "products",
    "prices",
    "subscriptions",
    "invoices",
)
Strategy = Literal["skip", "overwrite", "flag"]
Status = Literal["running", "completed", "canceled"]
KIND = "stripe"
STALE_AFTER = timedelta(minutes=15)


class StartBackfill(WireModel):
    entity_types: list[EntityType] = Field(default_factory=lambda: list(ENTITY_TYPES), min_length=1)
    batch_size: int = Field(default=100, ge=1, le=100)
    conflict_strategy: Strategy = "skip"
    dry_run: bool = False
    created_from: datetime | None = None
    created_to: datetime | None = None


class Progress(WireModel):
    processed: int = 0
    succeeded: int = 0
    failed: int = 0
    skipped: int = 0
    cursor: str | None = None
    done: bool = False


class BackfillView(WireModel):
    backfill_id: str
    status: Status
    options: StartBackfill
    progress: dict[str, Progress]
    created_by: str
    created_at: datetime
    updated_at: datetime
    completed_at: datetime | None = None
    canceled_by: str | None = None
    slices: int = 0


BackfillId = document_id(max_chars=64)


class BackfillRef(WireModel):
    backfill_id: BackfillId


class ListBackfills(WireModel):
    limit: int = Field(default=20, ge=1, le=100)


class BackfillList(WireModel):
    backfills: list[BackfillView]


@dataclass
class Chunk:
    """One transaction's worth of a page: the objects, and what became of each."""

    backfill_id: str
    options: StartBackfill
    entity: EntityType
    objects: list[dict[str, Any]]
    fetched_at: datetime
    uids: dict[str, str] = field(default_factory=dict)  # Stripe customer id -> uid
    results: dict[str, tuple[str, str | None]] = field(default_factory=dict)

    def result(self, object_id: str, outcome: str, reason: str | None = None) -> None:
        self.results[object_id] = (outcome, reason)

    def mirrored(self, outcome: mirror.Outcome, object_id: str) -> bool:
        """Count a mirror decision; True if the object is to be written."""
        if outcome == "written":
            self.result(object_id, "succeeded")
            return not self.options.dry_run
        if outcome == "exists" and self.options.conflict_strategy == "flag":
            self.result(object_id, "conflict", "a document already exists")
        else:
            self.result(object_id, "skipped", "newer state stored" if outcome == "stale" else None)
        return False

    @property
    def only_new(self) -> bool:
        return self.options.conflict_strategy != "overwrite"


def backfill_path(backfill_id: str) -> str:
    return f"{collections.BACKFILLS}/{backfill_id}"


# --- importers: each reads what it needs, then writes (one transaction per chunk) ---------


def _import_customers(txn: Transaction, chunk: Chunk) -> None:
    items = [Customer.model_validate(o) for o in chunk.objects]
    owners = {c.id: c.metadata.get(UID_KEY) or chunk.uids.get(c.id) for c in items}
    uids = sorted({u for u in owners.values() if u})
    paths = [collections.customer(u) for u in uids]
    stored = dict(zip(uids, txn.get_many(paths), strict=True))
    for c in items:
        uid = owners[c.id]
        if not uid:
            chunk.result(c.id, "failed", AppError("ERR_4311", customer=c.id).message())
            continue
        linked, strategy = (stored.get(uid) or {}).get("stripeId"), chunk.options.conflict_strategy
        if linked not in (None, c.id) and strategy != "overwrite":
            reason = f"{uid} is linked to {linked}"
            chunk.result(c.id, "conflict" if strategy == "flag" else "skipped", reason)
            continue
        chunk.result(c.id, "succeeded")
        stored[uid] = {"stripeId": c.id}  # a second customer of the same uid now conflicts
        if not chunk.options.dry_run:
            fields = {"stripeId": c.id, "email": c.email, "livemode": c.livemode}
            backfilled = {"createdAt": timestamp(c.created), "backfilledAt": chunk.fetched_at}
            txn.set(collections.customer(uid), fields | backfilled, merge=True)


def _import_catalog(txn: Transaction, chunk: Chunk) -> None:
    kind = "product" if chunk.entity == "products" else "price"
    model: Any = Product if kind == "product" else Price
    doc_of: Any = catalog.product_document if kind == "product" else catalog.price_document
    docs = [doc_of(model.model_validate(o), chunk.fetched_at) for o in chunk.objects]
    paths = [catalog.path_of(kind, d) for d in docs]
    for doc, path, stored in zip(docs, paths, txn.get_many(paths), strict=True):
        if chunk.mirrored(mirror.decide(stored, doc, chunk.only_new), doc["id"]):
            txn.set(path, doc)


def _by_owner(chunk: Chunk, items: Sequence[Any]) -> dict[str, list[Any]]:
    owned: dict[str, list[Any]] = {}
    for item in items:
        uid = chunk.uids.get(item.customer or "")
        if uid is None:
            reason = AppError("ERR_4311", customer=item.customer).message()
            chunk.result(item.id, "failed", reason)
        else:
            owned.setdefault(uid, []).append(item)
    return owned


def _import_subscriptions(txn: Transaction, chunk: Chunk) -> None:
    items = [Subscription.model_validate(o) for o in chunk.objects]
    owned = {
        uid: [subscription_document(s, chunk.fetched_at) for s in subs]
        for uid, subs in _by_owner(chunk, items).items()
    }
    users = {uid: UserSubscriptions(txn, uid, docs) for uid, docs in owned.items()}
    now = wiring.now()
    for uid, docs in owned.items():
        outcomes = users[uid].apply(docs, now, chunk.only_new, write=not chunk.options.dry_run)
        for doc in docs:
            chunk.mirrored(outcomes[doc["id"]], doc["id"])


def _import_invoices(txn: Transaction, chunk: Chunk) -> None:
    items = [Invoice.model_validate(o) for o in chunk.objects]
    docs = [
        (invoice_path(uid, inv.id), invoice_document(inv, chunk.fetched_at))
        for uid, invoices in _by_owner(chunk, items).items()
        for inv in invoices
    ]
    stored = txn.get_many([path for path, _ in docs])
    for (path, doc), current in zip(docs, stored, strict=True):
        if chunk.mirrored(mirror.decide(current, doc, chunk.only_new), doc["id"]):
            txn.set(path, doc)


IMPORTERS: dict[EntityType, Callable[[Transaction, Chunk], None]] = {
    "customers": _import_customers,
    "products": _import_catalog,
    "prices": _import_catalog,
    "subscriptions": _import_subscriptions,
    "invoices": _import_invoices,
}
LISTS: dict[EntityType, Callable[[Any, dict[str, Any]], Any]] = {
    "customers": lambda c, p: c.v1.customers.list(params=p),
    "products": lambda c, p: c.v1.products.list(params=p),
    "prices": lambda c, p: c.v1.prices.list(params=p),
    "subscriptions": lambda c, p: c.v1.subscriptions.list(params={**p, "status": "all"}),
    "invoices": lambda c, p: c.v1.invoices.list(params=p),
}
# Subscriptions write the mirror and each add-on's entitlement: keep under 500 writes.
CHUNK_LIMIT: dict[str, int] = {"subscriptions": 50}


# --- running the slices ---------------------------------------------------------------------


def _view(backfill_id: str, data: dict[str, Any]) -> BackfillView:
    fields = {k: v for k, v in data.items() if k != "kind"}
    return BackfillView.model_validate({**fields, "backfillId": backfill_id})


def _commit_chunk(chunk: Chunk, cursor_before: str | None, done: bool) -> bool:
    """Apply a chunk with its counts and new cursor, if no one moved the cursor meanwhile."""
    path = backfill_path(chunk.backfill_id)
    if chunk.entity in ("customers", "subscriptions", "invoices"):
        customer_ids = {o.get("customer") for o in chunk.objects} | {o["id"] for o in chunk.objects}
        chunk.uids = uids_of_customers(wiring.store(), {c for c in customer_ids if c})
    now = wiring.now()

    def body(txn: Transaction) -> bool:
        data = txn.get(path) or {}
        progress = Progress.model_validate(data.get("progress", {}).get(chunk.entity, {}))
        if data.get("status") != "running" or progress.cursor != cursor_before:
            return False
        chunk.results.clear()
        IMPORTERS[chunk.entity](txn, chunk)
        outcomes = [outcome for outcome, _ in chunk.results.values()]
        progress.processed += len(chunk.objects)
        progress.succeeded += outcomes.count("succeeded")
        progress.failed += outcomes.count("failed")
        progress.skipped += len(outcomes) - outcomes.count("succeeded") - outcomes.count("failed")
        progress.cursor = chunk.objects[-1]["id"] if chunk.objects else cursor_before
        progress.done = done
        for object_id, (outcome, reason) in chunk.results.items():
            if outcome in ("failed", "conflict"):
                event = {"entityType": chunk.entity, "objectId": object_id, "kind": outcome}
                event_id = f"{chunk.entity}_{object_id}"
                event_path = f"{collections.backfill_events(chunk.backfill_id)}/{event_id}"
                txn.set(event_path, event | {"reason": reason, "at": now})
        counts = progress.model_dump(by_alias=True)
        txn.update(path, {f"progress.{chunk.entity}": counts, "updatedAt": now})
        return True

    return wiring.store().transaction(body)


def _page(backfill_id: str, view: BackfillView, entity: EntityType) -> bool:
    """Take the next page of `entity`; False if another runner got there first."""
    options, cursor = view.options, view.progress[entity].cursor
    params: dict[str, Any] = {"limit": options.batch_size}
    if cursor:
        params["starting_after"] = cursor
    created = {
        op: int(when.timestamp())
        for op, when in (("gte", options.created_from), ("lte", options.created_to))
        if when is not None
    }
    if created:
        params["created"] = created
    fetched_at = wiring.now()
    page = client.call(lambda c: LISTS[entity](c, params))
    objects = [o.to_dict() for o in page.data]
    size = CHUNK_LIMIT.get(entity, options.batch_size)
    chunks = [objects[i : i + size] for i in range(0, len(objects), size)] or [[]]
    for i, part in enumerate(chunks):
        last = i == len(chunks) - 1
        chunk = Chunk(backfill_id, options, entity, part, fetched_at)
        if not _commit_chunk(chunk, cursor, done=last and not page.has_more):
            return False
        faults.point("stripe_backfill.chunk")
        cursor = part[-1]["id"] if part else cursor
    return True


def run_backfill_slice(backfill_id: str) -> None:
    """Work on a backfill for one slice (pages or seconds), then publish the next slice."""
    s = settings()
    deadline = time.monotonic() + s.stripe_backfill_slice_seconds
    store, path = wiring.store(), backfill_path(backfill_id)
    data = store.get(path)
    if data is None or data.get("status") != "running":
        return  # canceled, finished or unknown: the message is simply dropped
    store.update(path, {"slices": Increment(1), "updatedAt": wiring.now()})
    for _ in range(s.stripe_backfill_slice_pages):
        data = store.get(path)
        if data is None or data.get("status") != "running":
            return
        view = _view(backfill_id, data)
        pending = [e for e in view.options.entity_types if not view.progress[e].done]
        if not pending:
            _finish(backfill_id)
            return
        if not _page(backfill_id, view, pending[0]):
            return  # another runner moved the cursor: it carries on, this one stops
        if time.monotonic() > deadline:
            break
    publisher().publish(BACKFILL_TOPIC, {"backfillId": backfill_id})


def _finish(backfill_id: str) -> None:
    now = wiring.now()

    def body(txn: Transaction) -> None:
        data = txn.get(backfill_path(backfill_id)) or {}
        if data.get("status") == "running":
            txn.update(
                backfill_path(backfill_id),
                {"status": "completed", "completedAt": now, "updatedAt": now},
            )

    wiring.store().transaction(body)


# --- the admin's services -------------------------------------------------------------------


def start_backfill(admin_uid: str, request: StartBackfill) -> BackfillView:
    """Create a backfill and publish its first slice."""
    backfill_id, now = uuid.uuid4().hex, wiring.now()
    data = {
        "kind": KIND,
        "status": "running",
        "options": request.model_dump(mode="json", by_alias=True),
        "progress": {e: Progress().model_dump(by_alias=True) for e in request.entity_types},
        "createdBy": admin_uid,
        "createdAt": now,
        "updatedAt": now,
        "completedAt": None,
        "slices": 0,
    }
    wiring.store().create(backfill_path(backfill_id), data)
    publisher().publish(BACKFILL_TOPIC, {"backfillId": backfill_id})
    return get_backfill(backfill_id)


def get_backfill(backfill_id: str) -> BackfillView:
    data = wiring.store().get(backfill_path(backfill_id))
    if data is None or data.get("kind") != KIND:
        raise AppError("ERR_4309", backfillId=backfill_id)
    return _view(backfill_id, data)


def list_backfills(request: ListBackfills) -> BackfillList:
    q = query(
        collections.BACKFILLS,
        [("kind", "==", KIND)],
        order_by=[("createdAt", "desc")],
        limit=request.limit,
    )
    docs = wiring.store().query(q)
    return BackfillList(backfills=[_view(d.id, d.data) for d in docs])


def cancel_backfill(admin_uid: str, backfill_id: str) -> BackfillView:
    """Stop a running backfill; the chunk in flight is the last one applied."""
    now = wiring.now()

    def body(txn: Transaction) -> None:
        data = txn.get(backfill_path(backfill_id))
        if data is None or data.get("kind") != KIND:
            raise AppError("ERR_4309", backfillId=backfill_id)
        if data["status"] != "running":
            raise AppError("ERR_4310", backfillId=backfill_id, status=data["status"])
        changes = {"status": "canceled", "canceledBy": admin_uid, "updatedAt": now}
        txn.update(backfill_path(backfill_id), changes)

    wiring.store().transaction(body)
    return get_backfill(backfill_id)


def resume_stale_backfills() -> int:
    """Publish the next slice of running backfills idle for 15 minutes (a slice that died
    without being redelivered); the cursor check keeps a second runner harmless."""
    q = query(collections.BACKFILLS, [("kind", "==", KIND), ("status", "==", "running")])
    cutoff = wiring.now() - STALE_AFTER
    stale = [d.id for d in wiring.store().query(q) if d.data["updatedAt"] < cutoff]
    for backfill_id in stale:
        publisher().publish(BACKFILL_TOPIC, {"backfillId": backfill_id})
    return len(stale)
