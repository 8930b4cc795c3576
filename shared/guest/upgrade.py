"""Upgrading a guest: when a guest signs in with Apple into an account that already exists
(Firebase cannot link it then), the guest account is merged into the signed-in one.

The caller proves it holds the guest account by sending the guest's ID token, verified like any
other. One transaction moves everything, exactly once:
- credits: an admin_adjustment of -available on the guest and +available on the account
  (`merge_<hash>_out` / `_in`, reason `guest_merge`); the guest's ledger stays its own history;
- jobs: every guest job is re-owned (`uid`, with `mergedFrom`), so history follows the user and
  a later refund of a guest job lands on the account that now holds the credits;
- the guest's user document records `mergedInto` and the answer, so a retry replays it and
  a merge into any other account is refused (ERR_4505).
A guest has few jobs; more than MAX_JOBS would not fit one commit and is refused.
"""

import hashlib

from shared import collections, ledger, wiring
from shared.errors import AppError
from shared.guest.models import UpgradeGuest, UpgradeResult
from shared.ledger import EntryType, NewEntry
from shared.store import ArrayUnion, Transaction, query
from shared.web import ratelimit
from shared.web.auth import AuthToken, verifier

MAX_JOBS = 450


def _guest_of(request: UpgradeGuest, caller: AuthToken) -> str:
    if caller.is_anonymous:
        raise AppError("ERR_4512")
    guest = verifier().verify(request.guest_id_token)
    if not guest.is_anonymous:
        raise AppError("ERR_4504", reason="the token is not a guest account's")
    if guest.uid == caller.uid:
        raise AppError("ERR_4504", reason="it is the signed-in account itself")
    return guest.uid


def _entries(guest: str, amount: int) -> tuple[NewEntry, NewEntry]:
    tag = hashlib.sha256(guest.encode()).hexdigest()[:24]
    refs = {"guest": guest}
    out = NewEntry(
        id=f"merge_{tag}_out",
        type=EntryType.ADMIN_ADJUSTMENT,
        amount=-amount,
        refs=refs,
        reason="guest_merge",
    )
    into = NewEntry(
        id=f"merge_{tag}_in",
        type=EntryType.ADMIN_ADJUSTMENT,
        amount=amount,
        refs=refs,
        reason="guest_merge",
    )
    return out, into


def upgrade_guest(caller: AuthToken, ip: str | None, request: UpgradeGuest) -> UpgradeResult:
    """Merge the guest account of `request` into the caller's, once."""
    guest, uid, now = _guest_of(request, caller), caller.uid, wiring.now()

    def body(txn: Transaction) -> UpgradeResult:
        guest_doc = txn.get(collections.user(guest)) or {}
        if merged := guest_doc.get("mergedInto"):
            if merged != uid:
                raise AppError("ERR_4505")
            return UpgradeResult.model_validate(guest_doc["merge"])
        limits = ratelimit.reserve(txn, "guest_upgrade", now, uid=uid, ip=ip)
        target_doc = txn.get(collections.user(uid)) or {}
        jobs = txn.query(
            query(collections.GENERATION_JOBS, [("uid", "==", guest)], limit=MAX_JOBS + 1)
        )
        if len(jobs) > MAX_JOBS:
            raise AppError("ERR_4504", reason="the guest account has too many jobs to merge")
        amount = max(ledger.wallet_of(guest_doc, now).available, 0)
        out, into = _entries(guest, amount)
        # fresh: these ids are only posted with `mergedInto`, which the guest does not have.
        posting = ledger.post_entries(
            txn,
            uid,
            [into] if amount else [],
            now,
            user=target_doc,
            user_fields={"mergedGuests": ArrayUnion((guest,))},
            fresh=True,
        )
        result = UpgradeResult(
            uid=uid,
            merged_from=guest,
            credits_moved=amount,
            jobs_moved=len(jobs),
            balance=posting.wallet.available,
        )
        guest_fields = {"mergedInto": uid, "mergedAt": now, "merge": result.model_dump()}
        ledger.post_entries(
            txn,
            guest,
            [out] if amount else [],
            now,
            user=guest_doc,
            user_fields=guest_fields,
            fresh=True,
        )
        for job in jobs:
            txn.update(job.path, {"uid": uid, "mergedFrom": guest, "updatedAt": now})
        limits.write(txn)
        return result

    return wiring.store().transaction(body)
