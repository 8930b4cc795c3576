"""Checking wallets against their ledger (re-derived, see `audit`), and the one repair that
writes a wallet directly.

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
from shared.ledger.audit import UserAudit, audit_entries
from shared.ledger.model import Wallet
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


def ledger_audits(
    reader: Reader, uids: Sequence[str], page_size: int = 1000
) -> tuple[dict[str, UserAudit], int]:
    """Every listed user's entries folded (see `audit_entries`; empty for users without any),
    and how many entries were read; read in pages of `page_size`, 30 users per query."""
    found: dict[str, list[dict]] = {uid: [] for uid in uids}
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
                found[doc.data["uid"]].append({**doc.data, "id": doc.id})
            read += len(page)
            if len(page) < page_size:
                break
            after = page[-1]
    return {uid: audit_entries(uid, entries) for uid, entries in found.items()}, read


def stored_wallet(user: dict | None) -> Wallet:
    return Wallet.model_validate((user or {}).get("wallet") or {})


def confirm_wallet(
    txn: Transaction, uid: str, now: datetime, *, job: str, run_id: str, dry_run: bool = False
) -> tuple[WalletRepair | None, Wallet, UserAudit]:
    """Re-check `uid` in this transaction: reset the wallet to the fold of its entries if
    they differ (and record a `wallet_repairs` document; `dry_run`: only describe it).

    Answers the repair (None if they agree), the wallet as it now stands and the audit.
    """
    user = txn.get(collections.user(uid))
    entries = txn.query(query(collections.LEDGER, [("uid", "==", uid)]))
    audit = audit_entries(uid, [{**d.data, "id": d.id} for d in entries])
    before, after = stored_wallet(user), audit.wallet
    if before == after:
        return None, before, audit
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
        return repair, before, audit
    txn.set(collections.user(uid), {"wallet": after.model_dump()}, merge=True)
    txn.create(f"{collections.WALLET_REPAIRS}/{repair.id}", repair.document())
    return repair, after, audit


def repair_wallet(
    txn: Transaction, uid: str, now: datetime, *, job: str, run_id: str, dry_run: bool = False
) -> WalletRepair | None:
    """Reset `uid`'s wallet to the fold of its entries if they differ; None if they agree."""
    return confirm_wallet(txn, uid, now, job=job, run_id=run_id, dry_run=dry_run)[0]


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
