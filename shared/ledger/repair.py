"""Checking wallets against their ledger, and the one repair that writes a wallet directly.

A wallet drifts only if something other than `post_entries` wrote it (a hand edit, a bug, a
restore). Detection happens outside transactions on pages of entries; `repair_wallet` then
re-verifies inside a transaction before it writes, so a post racing the check cannot be
clobbered: every post also writes the user document, which this transaction reads, so the
two serialize.
"""

import logging
import uuid
from collections.abc import Sequence
from datetime import datetime

from pydantic import BaseModel, ConfigDict
from pydantic.alias_generators import to_camel

from shared import collections, log
from shared.ledger.entries import Delta, Wallet, sum_deltas
from shared.store import Doc, Reader, Transaction, query

# Firestore takes at most 30 values in an `in` filter.
UIDS_PER_QUERY = 30


class WalletRepair(BaseModel):
    """A drifted wallet found and reset to the sum of its ledger (stored in wallet_repairs)."""

    id: str
    uid: str
    before: Wallet
    after: Wallet
    entries: int
    job: str
    run_id: str
    repaired_at: datetime

    model_config = ConfigDict(alias_generator=to_camel, populate_by_name=True)

    def document(self) -> dict:
        return self.model_dump(by_alias=True, exclude={"id"}) | {
            "difference": _difference(self.before, self.after)
        }


def _difference(before: Wallet, after: Wallet) -> dict[str, int]:
    fields = ("credits", "locked", "ash", "debt")
    return {f: getattr(after, f) - getattr(before, f) for f in fields}


def ledger_sums(
    reader: Reader, uids: Sequence[str], page_size: int = 1000
) -> tuple[dict[str, Wallet], int]:
    """The sum of every listed user's entries (zero for users without any), and how many
    entries were read; read in pages of `page_size`, 30 users per query."""
    sums: dict[str, Wallet] = {uid: Wallet() for uid in uids}
    read = 0
    for start in range(0, len(uids), UIDS_PER_QUERY):
        chunk = list(uids[start : start + UIDS_PER_QUERY])
        after: Doc | None = None
        while True:
            page = reader.query(
                query(
                    collections.LEDGER,
                    [("uid", "in", chunk)],
                    [("createdAt", "desc")],
                    limit=page_size,
                    start_after=after,
                )
            )
            for doc in page:
                uid = doc.data["uid"]
                sums[uid] = sums[uid].plus(Delta.model_validate(doc.data["delta"]))
            read += len(page)
            if len(page) < page_size:
                break
            after = page[-1]
    return sums, read


def stored_wallet(user: dict | None) -> Wallet:
    return Wallet.model_validate((user or {}).get("wallet") or {})


def repair_wallet(
    txn: Transaction, uid: str, now: datetime, *, job: str, run_id: str, dry_run: bool = False
) -> WalletRepair | None:
    """Reset `uid`'s wallet to the sum of its entries if they differ; None if they agree.

    Reads the user and all of the user's entries in this transaction, then writes the wallet
    and a `wallet_repairs` record together (`dry_run`: only confirm and describe the drift).
    """
    user = txn.get(collections.user(uid))
    entries = txn.query(query(collections.LEDGER, [("uid", "==", uid)]))
    before, after = stored_wallet(user), sum_deltas(d.data for d in entries)
    if before == after:
        return None
    repair = WalletRepair(
        id=f"{uid}_{uuid.uuid4().hex[:12]}",
        uid=uid,
        before=before,
        after=after,
        entries=len(entries),
        job=job,
        run_id=run_id,
        repaired_at=now,
    )
    if dry_run:
        return repair
    txn.set(collections.user(uid), {"wallet": after.model_dump()}, merge=True)
    txn.create(f"{collections.WALLET_REPAIRS}/{repair.id}", repair.document())
    return repair


def log_repair(repair: WalletRepair) -> None:
    log.event(
        "wallet drift repaired",
        logging.WARNING,
        uid=repair.uid,
        job=repair.job,
        runId=repair.run_id,
        repairId=repair.id,
        before=repair.before.model_dump(),
        after=repair.after.model_dump(),
    )
