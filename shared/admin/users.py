"""Admin views and changes of one user: stats, ban and unban."""

from collections import Counter

from shared import collections, ledger, wiring
from shared.admin.actions import record_action
from shared.admin.bans import cache
from shared.admin.models import ActionDone, BanUser, LedgerLine, UserRef, UserStats
from shared.errors import AppError
from shared.jobs.models import JobStatus
from shared.store import DELETE_FIELD, Transaction, query
from shared.web.auth import AuthToken

# Stats count at most this many of a user's jobs (one query; the result says how many).
MAX_JOBS_COUNTED = 1000
RECENT_ENTRIES = 20


def user_stats(request: UserRef) -> UserStats:
    """Jobs by status, success rate, balances and the newest ledger entries of a user."""
    store = wiring.store()
    user = store.get(collections.user(request.uid))
    jobs = store.query(
        query(collections.GENERATION_JOBS, [("uid", "==", request.uid)], limit=MAX_JOBS_COUNTED)
    )
    counts = Counter(JobStatus(d.data["status"]) for d in jobs)
    done, failed = counts[JobStatus.COMPLETED], counts[JobStatus.FAILED]
    entries = store.query(
        query(
            collections.LEDGER,
            [("uid", "==", request.uid)],
            [("createdAt", "desc")],
            limit=RECENT_ENTRIES,
        )
    )
    wallet = ledger.wallet_of(user or {}, wiring.now())
    return UserStats(
        uid=request.uid,
        exists=user is not None,
        banned=(user or {}).get("banned") is True,
        credits=wallet.credits,
        available=wallet.available,
        jobs_by_status={s: counts[s] for s in JobStatus},
        jobs_counted=len(jobs),
        success_rate=round(done / (done + failed), 4) if done + failed else None,
        recent_ledger=[
            LedgerLine(
                id=d.id,
                type=d.data["type"],
                amount=d.data["amount"],
                reason=d.data.get("reason"),
                created_at=d.data["createdAt"],
            )
            for d in entries
        ],
    )


def set_banned(admin: AuthToken, request: BanUser, banned: bool) -> ActionDone:
    """Ban or unban a user (a user document is created if there was none). An admin cannot
    ban themselves: the last admin doing so would lock every admin out."""
    if banned and request.uid == admin.uid:
        raise AppError("ERR_4520")
    now = wiring.now()

    def body(txn: Transaction) -> ActionDone:
        fields = (
            {"banned": True, "bannedAt": now, "bannedBy": admin.uid, "bannedReason": request.reason}
            if banned
            else {
                "banned": False,
                "bannedAt": DELETE_FIELD,
                "bannedBy": DELETE_FIELD,
                "bannedReason": DELETE_FIELD,
            }
        )
        txn.set(collections.user(request.uid), fields, merge=True)
        action = "ban_user" if banned else "unban_user"
        return record_action(
            txn, admin.uid, action, request.uid, request.reason, {"banned": banned}, now
        )

    done = wiring.store().transaction(body)
    cache().forget(request.uid)  # this instance sees the change at once
    return done
