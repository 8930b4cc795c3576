"""Commitment sessions: start locks the pledge, heartbeats keep the session alive, and it
resolves exactly once. Like a pending transfer: SUCCESS voids the lock (credits_refund),
FAILURE posts it (credits_burn) with the ash grant in the same transaction.

Each service is one transaction. Ids are deterministic (the session from the user and the
idempotency key, its entries from the session), and the session document itself records who
settled it with which key, so replays answer from it and no separate idempotency record is
needed. `users/{uid}` carries `activeSessions`/`activeSessionId` (the one-active rule) and
`frozenVotes`, written in the same write as the wallet.

The lock is a pending transfer with a timeout (`ledger.pending`): the user document records
it with the moment the session expires (its last heartbeat plus the grace) and what expiry
makes of it. From that moment every wallet read shows it settled and every ledger write
settles it, even before the expiry job runs; the job, or a late resolve, then only closes the
session and finds the entries posted. A session started before locks had a record (none on
the user document) is settled by the expiry job alone, as before.
"""

import hashlib
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any, Literal

from shared import collections, faults, ledger, wiring
from shared.errors import AppError
from shared.idempotency import fingerprint, mark_replayed
from shared.ledger import EntryType, NewEntry, PendingLock, pending
from shared.sessions.models import (
    HeartbeatSession,
    Outcome,
    Resolution,
    ResolveSession,
    Session,
    SessionStatus,
    SessionView,
    StartSession,
)
from shared.sessions.settings import SessionSettings, settings
from shared.store import DELETE_FIELD, Transaction

EXPIRY_KEY = "expiry"
Settler = Literal["client", "expiry"]


def session_path(session_id: str) -> str:
    return f"{collections.SESSIONS}/{session_id}"


def session_id_for(uid: str, idempotency_key: str) -> str:
    """The same user and key always name the same session (that is start's idempotency)."""
    return "s_" + hashlib.sha256(f"{uid}\x00{idempotency_key}".encode()).hexdigest()[:32]


entry_id = pending.entry_id


def _key_hash(by: str, key: str) -> str:
    # Prefixed by who settles, so no client key can pass for the expiry job's.
    return hashlib.sha256(f"{by}\x00{key}".encode()).hexdigest()[:32]


def _require_key(key: str | None) -> str:
    if not key:
        raise AppError("ERR_4018")
    return key


def _check_start(request: StartSession, s: SessionSettings) -> None:
    if not s.session_min_pledge <= request.pledge <= s.session_max_pledge:
        raise AppError("ERR_4101", min=s.session_min_pledge, max=s.session_max_pledge)
    low, high = s.session_min_duration_minutes, s.session_max_duration_minutes
    if not low <= request.duration_minutes <= high:
        raise AppError("ERR_4102", min=low, max=high)


def _lock_of(txn: Transaction, session: Session) -> PendingLock | None:
    user = txn.get(collections.user(session.uid)) or {}
    return pending.locks_of(user).get(session.id)


def _owned(txn: Transaction, uid: str, session_id: str) -> Session:
    """The caller's session; someone else's is as unknown as a missing one."""
    data = txn.get(session_path(session_id))
    if data is None or data.get("uid") != uid:
        raise AppError("ERR_4104")
    return Session.model_validate({**data, "id": session_id})


def start_session(uid: str, request: StartSession) -> SessionView:
    """Open an ACTIVE session and lock its pledge, atomically; the same key answers the same
    session. ERR_4001 without enough available credits, ERR_4103 if one is already active."""
    s = settings()
    key = _require_key(request.idempotency_key)
    _check_start(request, s)
    sid, now = session_id_for(uid, key), wiring.now()
    request_hash = fingerprint({"pledge": request.pledge, "minutes": request.duration_minutes})

    def body(txn: Transaction) -> SessionView:
        existing = txn.get(session_path(sid))
        user = txn.get(collections.user(uid)) or {}
        if existing is not None:
            if existing["requestHash"] != request_hash:
                raise AppError("ERR_4017")
            mark_replayed()
            return SessionView.of(Session.model_validate({**existing, "id": sid}), replayed=True)
        active = user.get("activeSessions", 0)
        # Sessions whose lock timed out are over, though not yet closed by the expiry job.
        timed_out = sum(1 for lock in pending.locks_of(user).values() if lock.lapsed(now))
        if s.session_one_active and active - timed_out > 0:
            raise AppError("ERR_4103", activeSessionId=user.get("activeSessionId"))
        session = _new_session(sid, uid, request, request_hash, now)
        lock = NewEntry(
            id=session.lock_entry_id,
            type=EntryType.CREDITS_LOCK,
            amount=request.pledge,
            refs={"session": sid},
        )
        record = _pending_lock(session, now, s).document()
        fields = {"activeSessions": active + 1, "activeSessionId": sid}
        fields[pending.FIELD] = {sid: record}
        ledger.post_entries(txn, uid, [lock], now, user=user, user_fields=fields, fresh=True)
        txn.create(session_path(sid), session.document())
        return SessionView.of(session)

    view = wiring.store().transaction(body)
    faults.point("session.start.committed")
    return view


def _pending_lock(session: Session, beat: datetime, s: SessionSettings) -> PendingLock:
    """The lock's record if the session's last heartbeat is at `beat`: it times out after the
    grace, and then is settled as the expiry job would settle the session."""
    covered = beat + s.grace >= session.expires_at
    outcome = s.session_completed_outcome if covered else "FAILURE"
    post = outcome == "FAILURE"
    return PendingLock(
        amount=session.pledge,
        timeout_at=beat + s.grace,
        on_timeout="post" if post else "void",
        ash=ash_for(session.pledge, s) if post else 0,
        reason="time_completed" if covered else "no_heartbeat",
    )


def _new_session(
    sid: str, uid: str, request: StartSession, request_hash: str, now: datetime
) -> Session:
    return Session(
        id=sid,
        uid=uid,
        pledge=request.pledge,
        duration_minutes=request.duration_minutes,
        status=SessionStatus.ACTIVE,
        started_at=now,
        last_heartbeat_at=now,
        expires_at=now + timedelta(minutes=request.duration_minutes),
        request_hash=request_hash,
        lock_entry_id=entry_id(sid, "lock"),
    )


def heartbeat_session(uid: str, request: HeartbeatSession) -> SessionView:
    """Record that the owner's ACTIVE session is alive (capped at its end: heartbeats after
    expiresAt change nothing, so staleness alone tells when a session has expired)."""
    s, now = settings(), wiring.now()

    def body(txn: Transaction) -> SessionView:
        session = _owned(txn, uid, request.session_id)
        if session.status != SessionStatus.ACTIVE:
            raise AppError("ERR_4107", status=session.status.value)
        lock = _lock_of(txn, session)
        if session.expired(now, s.grace) or (lock is not None and lock.settled):
            raise AppError("ERR_4105")
        beat = min(max(now, session.last_heartbeat_at), session.expires_at)
        fields = {"lastHeartbeatAt": beat, "heartbeats": session.heartbeats + 1}
        txn.update(session_path(session.id), fields)
        if lock is not None:  # the lock now times out a grace after this heartbeat
            record = _pending_lock(session, beat, s).document()
            txn.update(collections.user(uid), {f"{pending.FIELD}.{session.id}": record})
        return SessionView.of(session.model_copy(update={"last_heartbeat_at": beat}))

    return wiring.store().transaction(body)


def resolve_session(uid: str, request: ResolveSession) -> SessionView:
    """Settle the owner's session once: SUCCESS refunds the lock, FAILURE burns it and grants
    ash. The same key replays the result; another key after settlement is ERR_4106; an
    expired session (stale heartbeat) is ERR_4105 and is left to the expiry job."""
    s = settings()
    key = _key_hash("client", _require_key(request.idempotency_key))
    request_hash = fingerprint({"outcome": request.outcome, "reason": request.reason})
    now = wiring.now()

    def body(txn: Transaction) -> SessionView:
        session = _owned(txn, uid, request.session_id)
        if session.status != SessionStatus.ACTIVE:
            return _replay(session, key, request_hash)
        user = txn.get(collections.user(uid)) or {}
        lock = pending.locks_of(user).get(session.id)
        # Settled: a writer whose clock is ahead of ours already posted its timeout.
        if session.expired(now, s.grace) or (lock and (lock.settled or lock.lapsed(now))):
            raise AppError("ERR_4105")
        resolution = _resolution(request.outcome, request.reason, "client", key, request_hash)
        return SessionView.of(_settle(txn, session, user, resolution, now, s))

    view = wiring.store().transaction(body)
    faults.point("session.resolve.committed")
    return view


def _replay(session: Session, key: str, request_hash: str) -> SessionView:
    resolution = session.resolution
    if resolution is None or resolution.key != key:
        raise AppError("ERR_4106", status=session.status.value)
    if resolution.request_hash != request_hash:
        raise AppError("ERR_4017")
    mark_replayed()
    return SessionView.of(session, replayed=True)


def _resolution(
    outcome: Outcome, reason: str | None, by: Settler, key: str, request_hash: str
) -> Resolution:
    return Resolution(
        outcome=outcome, reason=reason, by=by, key=key, request_hash=request_hash, entry_ids=[]
    )


def expire_session(session_id: str, now: datetime) -> SessionView | None:
    """Settle one session if it is still ACTIVE and expired; None if there is nothing to do
    (a client resolved it first, or a heartbeat revived it since the job's query)."""
    s = settings()

    def body(txn: Transaction) -> SessionView | None:
        data = txn.get(session_path(session_id))
        if data is None:
            return None
        session = Session.model_validate({**data, "id": session_id})
        user = txn.get(collections.user(session.uid)) or {}
        lock = pending.locks_of(user).get(session_id)
        timed_out = (lock is not None and lock.lapsed(now)) or session.expired(now, s.grace)
        if session.status != SessionStatus.ACTIVE or not timed_out:
            return None
        if lock is not None:  # what its timeout made (or makes) of it
            outcome = "FAILURE" if lock.on_timeout == "post" else "SUCCESS"
            reason = lock.reason
        elif session.covered(s.grace):
            outcome, reason = s.session_completed_outcome, "time_completed"
        else:
            outcome, reason = "FAILURE", "no_heartbeat"
        key = _key_hash(EXPIRY_KEY, EXPIRY_KEY)
        resolution = _resolution(outcome, reason, "expiry", key, fingerprint(reason))
        return SessionView.of(_settle(txn, session, user, resolution, now, s))

    return wiring.store().transaction(body)


def ash_for(pledge: int, s: SessionSettings) -> int:
    # Decimal so that e.g. 0.1 per credit on 30 credits is exactly 3, not 2.
    return int(Decimal(str(s.session_ash_per_credit)) * pledge)


def _settle(
    txn: Transaction,
    session: Session,
    user: dict[str, Any],
    resolution: Resolution,
    now: datetime,
    s: SessionSettings,
) -> Session:
    """Post the session's resolution and close it; the caller has checked it is ACTIVE and
    read `user` in this transaction."""
    failed = resolution.outcome == "FAILURE"
    lock = pending.locks_of(user).get(session.id)
    if lock is not None:
        ash = lock.ash if failed else 0
    else:
        ash = ash_for(session.pledge, s) if failed else 0
    entries = pending.settlement(session.id, session.pledge, failed, ash, resolution.reason)
    fields: dict[str, Any] = {"activeSessions": max(user.get("activeSessions", 0) - 1, 0)}
    if user.get("activeSessionId") == session.id:
        fields["activeSessionId"] = DELETE_FIELD
    if failed:
        fields["frozenVotes"] = user.get("frozenVotes", 0) + 1
    if lock is not None:
        fields[pending.FIELD] = {session.id: DELETE_FIELD}
    # A lock settled at its timeout has its entries posted already: they are not posted again.
    to_post = [] if lock is not None and lock.settled else entries
    ledger.post_entries(txn, session.uid, to_post, now, user=user, user_fields=fields, fresh=True)
    settled = session.model_copy(
        update={
            "status": SessionStatus.FAILED if failed else SessionStatus.COMPLETED,
            "resolved_at": now,
            "resolution": resolution.model_copy(update={"entry_ids": [e.id for e in entries]}),
            "ash_granted": sum(e.amount for e in entries if e.type == EntryType.ASH_GRANT),
            "redemption_expires_at": now + timedelta(days=s.session_redemption_days)
            if failed
            else None,
            "frozen_votes": 1 if failed else 0,
        }
    )
    txn.set(session_path(session.id), settled.document())
    return settled
