"""A session's lock is a pending transfer with a timeout: once its last heartbeat is older than
the grace, every wallet read shows it settled by the session's rule and every ledger write
settles it, before the expiry job runs; the job then only writes down what is already true."""

import pytest

from shared import collections, config, sessions
from shared.errors import AppError
from shared.ledger import EntryType, Wallet, audit_entries, pending
from shared.ops import expiry, reconcile
from shared.sessions import HeartbeatSession, ResolveSession, StartSession
from tests.ledger.helpers import entries, fund, post, wallet


def keep_alive(clock, uid: str, sid: str, minutes: int) -> None:
    """A heartbeat every 5 minutes for `minutes`."""
    for _ in range(minutes // 5):
        clock.advance(minutes=5)
        sessions.heartbeat_session(uid, HeartbeatSession(session_id=sid))


def start(uid: str, pledge: int = 5, minutes: int = 60, key: str = "s") -> str:
    request = StartSession(pledge=pledge, duration_minutes=minutes, idempotency_key=key)
    return sessions.start_session(uid, request).session_id


def lock_of(store, uid: str, sid: str) -> pending.PendingLock | None:
    return pending.locks_of(store.get(collections.user(uid))).get(sid)


def stored_wallet(store, uid: str) -> Wallet:
    return Wallet.model_validate(store.get(collections.user(uid))["wallet"])


def test_the_lock_records_when_it_times_out_and_heartbeats_move_it(store, clock):
    fund("u1", 10)
    started = clock()
    sid = start("u1", minutes=60)
    lock = lock_of(store, "u1", sid)
    assert (lock.amount, lock.on_timeout, lock.ash, lock.reason) == (5, "post", 5, "no_heartbeat")
    assert lock.timeout_at == started + sessions.settings().grace
    keep_alive(clock, "u1", sid, 45)
    assert lock_of(store, "u1", sid).on_timeout == "post"  # 45 + 10 fall short of 60
    keep_alive(clock, "u1", sid, 5)
    lock = lock_of(store, "u1", sid)
    # 50 + 10 minutes of grace reach the end (60): timing out now would complete it.
    assert (lock.on_timeout, lock.ash, lock.reason) == ("void", 0, "time_completed")
    assert lock.timeout_at == clock() + sessions.settings().grace


def test_a_timed_out_lock_reads_as_burned_before_any_job(store, clock, api):
    fund("u1", 10)
    start("u1")
    clock.advance(minutes=11)
    assert stored_wallet(store, "u1") == Wallet(credits=10, locked=5)  # nothing written yet
    assert wallet(store, "u1") == Wallet(credits=5, ash=5)
    seen = api.result("wallet_get", {}, uid="u1")
    assert (seen["credits"], seen["locked"], seen["available"], seen["ash"]) == (5, 0, 5, 5)


def test_a_timed_out_lock_that_completes_reads_as_refunded(store, clock):
    fund("u1", 10)
    sid = start("u1", minutes=15)
    keep_alive(clock, "u1", sid, 10)
    clock.advance(minutes=11)
    assert wallet(store, "u1") == Wallet(credits=10)


def test_the_next_ledger_write_settles_it_and_the_job_only_closes_the_session(store, clock):
    fund("u1", 10)
    sid = start("u1")
    clock.advance(minutes=11)
    post("u1", EntryType.CREDITS_SPEND, 5)  # only possible with the lock burned
    assert stored_wallet(store, "u1") == Wallet(credits=0, ash=5)
    assert lock_of(store, "u1", sid).settled
    posted = {e["id"]: e for e in entries(store, "u1")}
    assert {f"session_{sid}_burn", f"session_{sid}_ash"} <= set(posted)
    assert store.get(sessions.session_path(sid))["status"] == "ACTIVE"

    before = {e["id"] for e in entries(store, "u1")}
    report = expiry.expire_stale_sessions()
    assert report.failed == 1
    session = store.get(sessions.session_path(sid))
    assert session["status"] == "FAILED" and session["resolution"]["reason"] == "no_heartbeat"
    assert session["ashGranted"] == 5
    assert {e["id"] for e in entries(store, "u1")} == before  # nothing posted twice
    user = store.get(collections.user("u1"))
    assert (user["activeSessions"], user["frozenVotes"], user.get("pendingLocks")) == (0, 1, {})
    assert stored_wallet(store, "u1") == Wallet(credits=0, ash=5)
    assert audit_entries("u1", entries(store, "u1")).findings == []
    assert reconcile.reconcile_balances(force=True).global_sum == {"credits": 0, "ash": 0}


def test_a_spend_cannot_use_a_lock_that_timed_out_as_burned(store, clock):
    fund("u1", 10)
    start("u1")
    clock.advance(minutes=11)
    with pytest.raises(AppError) as refused:
        post("u1", EntryType.CREDITS_SPEND, 6)
    assert refused.value.code == "ERR_4001"


def test_after_the_timeout_resolve_and_heartbeat_are_too_late(store, clock):
    fund("u1", 10)
    sid = start("u1")
    clock.advance(minutes=11)
    post("u1", EntryType.CREDITS_GRANT, 1)
    for call in (
        lambda: sessions.heartbeat_session("u1", HeartbeatSession(session_id=sid)),
        lambda: sessions.resolve_session(
            "u1", ResolveSession(session_id=sid, outcome="SUCCESS", idempotency_key="r")
        ),
    ):
        with pytest.raises(AppError) as refused:
            call()
        assert refused.value.code == "ERR_4105"


def test_a_timed_out_session_does_not_block_a_new_one(store, clock, monkeypatch):
    monkeypatch.setenv("SESSION_ONE_ACTIVE", "true")
    config.reset()
    fund("u1", 10)
    start("u1", key="first")
    clock.advance(minutes=11)
    second = start("u1", key="second")
    assert wallet(store, "u1") == Wallet(credits=5, locked=5, ash=5)
    expiry.expire_stale_sessions()
    user = store.get(collections.user("u1"))
    assert (user["activeSessions"], user["activeSessionId"]) == (1, second)


def test_a_resolve_in_time_removes_the_lock(store, clock):
    fund("u1", 10)
    sid = start("u1")
    clock.advance(minutes=5)
    request = ResolveSession(session_id=sid, outcome="SUCCESS", idempotency_key="r")
    sessions.resolve_session("u1", request)
    assert lock_of(store, "u1", sid) is None
    clock.advance(minutes=30)
    assert wallet(store, "u1") == stored_wallet(store, "u1") == Wallet(credits=10)


def test_a_resolve_after_a_write_from_a_clock_ahead_settled_the_lock_is_too_late(store, clock):
    """Instances' clocks differ: a ledger write on a clock past the timeout posts the lock's
    timeout; a client resolving on a clock still before it must not record another outcome."""
    fund("u1", 10)
    sid = start("u1")
    clock.advance(minutes=11)
    post("u1", EntryType.CREDITS_SPEND, 1)  # on the later clock: settles the lock (burn + ash)
    clock.advance(minutes=-5)  # a client whose clock is behind
    request = ResolveSession(session_id=sid, outcome="SUCCESS", idempotency_key="c")
    with pytest.raises(AppError) as refused:
        sessions.resolve_session("u1", request)
    assert refused.value.code == "ERR_4105"
    clock.advance(minutes=5)
    expiry.expire_stale_sessions(now=clock())
    settled = store.get(sessions.session_path(sid))
    assert (settled["status"], settled["resolution"]["by"]) == ("FAILED", "expiry")
    kinds = sorted(e["type"] for e in entries(store, "u1") if e["refs"].get("session") == sid)
    assert kinds == ["ash_grant", "credits_burn", "credits_lock"]
