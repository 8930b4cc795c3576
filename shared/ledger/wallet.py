"""What a user sees of their wallet: balances and their newest ledger entries, page by page."""

from datetime import datetime

from pydantic import Field

from shared import collections, wiring
from shared.ledger.entries import EntryType, get_wallet
from shared.models import WireModel
from shared.paging import decode_cursor, encode_cursor
from shared.store import Doc, query


class GetWallet(WireModel):
    limit: int = Field(default=20, ge=1, le=100)
    cursor: str | None = Field(default=None, max_length=500)


class EntryDelta(WireModel):
    credits: int
    locked: int
    ash: int
    debt: int


class EntryView(WireModel):
    id: str
    type: EntryType
    amount: int
    currency: str
    delta: EntryDelta
    refs: dict[str, str]
    reason: str | None
    created_at: datetime


class WalletView(WireModel):
    credits: int
    locked: int
    available: int
    ash: int
    debt: int
    entries: list[EntryView]
    next_cursor: str | None


def _entry_view(doc: Doc) -> EntryView:
    data = doc.data
    return EntryView(
        id=doc.id,
        type=data["type"],
        amount=data["amount"],
        currency=data["currency"],
        delta=EntryDelta.model_validate(data["delta"]),
        refs=data.get("refs") or {},
        reason=data.get("reason"),
        created_at=data["createdAt"],
    )


def read_wallet(uid: str, request: GetWallet) -> WalletView:
    """The caller's balances and newest entries (`limit` per page, newest first).

    Two plain reads, not a transaction: an entry posted in between may show on the page
    before the balance includes it; each entry's own `walletAfter` is exact.
    """
    store = wiring.store()
    after = (
        decode_cursor(request.cursor, collections.LEDGER, "ERR_4108") if request.cursor else None
    )
    wallet = get_wallet(store, uid)
    docs = store.query(
        query(
            collections.LEDGER,
            [("uid", "==", uid)],
            [("createdAt", "desc")],
            limit=request.limit + 1,
            start_after=after,
        )
    )
    page = docs[: request.limit]
    return WalletView(
        credits=wallet.credits,
        locked=wallet.locked,
        available=wallet.available,
        ash=wallet.ash,
        debt=wallet.debt,
        entries=[_entry_view(d) for d in page],
        next_cursor=encode_cursor(page[-1]) if len(docs) > request.limit else None,
    )
