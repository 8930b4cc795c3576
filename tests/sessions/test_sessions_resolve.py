"""session_heartbeat and session_resolve: owner only, ACTIVE only, settled exactly once (the
lock voided on SUCCESS, posted with an ash grant on FAILURE), replays answer the same."""

from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

import pytest

from shared import collections, config, sessions, wiring
from shared.errors import AppError
from shared.ledger import Wallet
from shared.sessions import HeartbeatSession, ResolveSession, SessionStatus, StartSession
from shared.store.sqlite import SqliteStore
from tests.ledger.helpers import entries, fund, ledger_sum, wallet
from tests.support.store import all_documents


def start(uid: str = "u1", pledge: int = 6, minutes: int = 30, key: str = "start"):
    request = StartSession(pledge=pledge, duration_minutes=minutes, idempotency_key=key)
    return sessions.start_session(uid, request).session_id


def resolve(sid: str, outcome: str, key: str | None = "r1", uid: str = "u1", reason=None):
    request = ResolveSession(session_id=sid, outcome=outcome, reason=reason, idempotency_key=key)
    return sessions.resolve_session(uid, request)


def heartbeat(sid: str, uid: str = "u1"):
    return sessions.heartbeat_session(uid, HeartbeatSession(session_id=sid))


def error_of(call) -> AppError:
    with pytest.raises(AppError) as raised:
        call()
    return raised.value


def session_entries(store, sid: str) -> list[str]:
    return sorted(e["type"] for e in entries(store, "u1") if e["refs"].get("session") == sid)


def test_success_voids_the_lock(store, clock):
    fund("u1", 10)
    sid = start()
    view = resolve(sid, "SUCCESS", reason="finished")
    assert (view.status, view.outcome, view.reason) == (
        SessionStatus.COMPLETED,
        "SUCCESS",
        "finished",
    )
    assert wallet(store, "u1") == Wallet(credits=10)
    assert session_entries(store, sid) == ["credits_lock", "credits_refund"]
    user = store.get(collections.user("u1"))
    assert user["activeSessions"] == 0 and "activeSessionId" not in user
    assert view.frozen_votes == 0 and view.redemption_expires_at is None


def test_failure_burns_the_lock_and_grants_ash_at_once(store, clock):
    fund("u1", 10)
    sid = start()
    view = resolve(sid, "FAILURE", reason="left the app")
    assert (view.status, view.ash_granted, view.frozen_votes) == (SessionStatus.FAILED, 6, 1)
    assert view.redemption_expires_at == clock() + timedelta(days=7)
    assert wallet(store, "u1") == Wallet(credits=4, ash=6)
    assert session_entries(store, sid) == ["ash_grant", "credits_burn", "credits_lock"]
    assert store.get(collections.user("u1"))["frozenVotes"] == 1
    assert store.get(sessions.session_path(sid))["frozenVotes"] == 1


@pytest.mark.parametrize(("ratio", "ash"), [("0.5", 3), ("0.1", 0), ("2", 12)])
def test_the_ash_ratio_is_configurable(store, clock, monkeypatch, ratio, ash):
    monkeypatch.setenv("SESSION_ASH_PER_CREDIT", ratio)
    config.reset()
    fund("u1", 10)
    sid = start()
    assert resolve(sid, "FAILURE").ash_granted == ash
    assert wallet(store, "u1") == Wallet(credits=4, ash=ash)
    assert ("ash_grant" in session_entries(store, sid)) == (ash > 0)


def test_a_replay_answers_the_same_and_posts_nothing(store, clock):
    fund("u1", 10)
    sid = start()
    first = resolve(sid, "FAILURE", key="once")
    before = all_documents(store)
    clock.advance(minutes=1)
    again = resolve(sid, "FAILURE", key="once")
    assert (first.replayed, again.replayed) == (False, True)
    assert again.model_copy(update={"replayed": False}) == first
    assert all_documents(store) == before


def test_another_key_after_settlement_is_a_conflict(store, clock):
    fund("u1", 10)
    sid = start()
    resolve(sid, "SUCCESS", key="first")
    before = all_documents(store)
    error = error_of(lambda: resolve(sid, "FAILURE", key="second"))
    assert (error.code, error.status.value, error.params) == (
        "ERR_4106",
        "ALREADY_EXISTS",
        {"status": "COMPLETED"},
    )
    assert error_of(lambda: resolve(sid, "FAILURE", key="first")).code == "ERR_4017"
    assert all_documents(store) == before


@pytest.mark.many_threads
def test_twenty_concurrent_resolves_settle_once(store, clock):
    fund("u1", 10)
    sid = start()

    def attempt(i: int) -> str:
        try:
            resolve(sid, "SUCCESS" if i % 2 else "FAILURE", key=f"key-{i}")
            return "ok"
        except AppError as e:
            return e.code

    with ThreadPoolExecutor(20) as pool:
        results = list(pool.map(attempt, range(20)))
    assert results.count("ok") == 1
    assert results.count("ERR_4106") == 19
    settled = store.get(sessions.session_path(sid))
    one_set = (
        ["credits_lock", "credits_refund"]
        if settled["status"] == "COMPLETED"
        else ["ash_grant", "credits_burn", "credits_lock"]
    )
    assert session_entries(store, sid) == one_set
    assert ledger_sum(store, "u1") == wallet(store, "u1")
    assert wallet(store, "u1").locked == 0


def test_heartbeats_record_the_time_for_the_owner_only(store, clock):
    fund("u1", 10)
    sid = start(minutes=30)
    clock.advance(minutes=3)
    assert heartbeat(sid).last_heartbeat_at == clock()
    stored = store.get(sessions.session_path(sid))
    assert (stored["lastHeartbeatAt"], stored["heartbeats"]) == (clock(), 1)
    before = all_documents(store)
    assert error_of(lambda: heartbeat(sid, uid="mallory")).code == "ERR_4104"
    assert error_of(lambda: heartbeat("s_unknown")).code == "ERR_4104"
    assert all_documents(store) == before


def test_heartbeats_stop_counting_at_the_end_of_the_time_box(store, clock):
    fund("u1", 10)
    sid = start(minutes=5)
    clock.advance(minutes=8)
    view = heartbeat(sid)
    assert view.last_heartbeat_at == view.expires_at


def test_a_resolved_session_takes_no_heartbeat(store, clock):
    fund("u1", 10)
    sid = start()
    resolve(sid, "SUCCESS")
    before = all_documents(store)
    error = error_of(lambda: heartbeat(sid))
    assert (error.code, error.params) == ("ERR_4107", {"status": "COMPLETED"})
    assert all_documents(store) == before


def test_an_expired_session_cannot_be_resolved_or_kept_alive(store, clock):
    fund("u1", 10)
    sid = start(minutes=60)
    clock.advance(minutes=10, seconds=1)  # the grace is 10 minutes without a heartbeat
    before = all_documents(store)
    assert error_of(lambda: resolve(sid, "SUCCESS")).code == "ERR_4105"
    assert error_of(lambda: heartbeat(sid)).code == "ERR_4105"
    assert all_documents(store) == before


def test_a_session_past_its_end_can_be_resolved_within_the_grace(store, clock):
    fund("u1", 10)
    sid = start(minutes=5)
    clock.advance(minutes=4)
    heartbeat(sid)
    clock.advance(minutes=10)  # past the end, but within the grace of the last heartbeat
    assert resolve(sid, "SUCCESS").status == SessionStatus.COMPLETED


@pytest.mark.parametrize(
    ("uid", "sid", "key", "code"),
    [
        ("mallory", None, "r1", "ERR_4104"),
        ("u1", "s_does_not_exist", "r1", "ERR_4104"),
        ("u1", None, None, "ERR_4018"),
        ("u1", None, "", "ERR_4018"),
    ],
)
def test_bad_resolves_are_refused_and_write_nothing(store, clock, uid, sid, key, code):
    fund("u1", 10)
    own = start()
    before = all_documents(store)
    assert error_of(lambda: resolve(sid or own, "FAILURE", key=key, uid=uid)).code == code
    assert all_documents(store) == before


def test_a_new_session_can_start_once_the_last_is_resolved(store, clock):
    fund("u1", 20)
    resolve(start(key="a"), "SUCCESS")
    resolve(start(key="b"), "FAILURE")
    assert start(key="c")
    assert store.get(collections.user("u1"))["activeSessions"] == 1


def test_bodies_rerun_by_the_store_settle_once(tmp_path, clock):
    wiring.use(store=SqliteStore(str(tmp_path / "rerun.sqlite3"), rerun_transactions=True))
    store = wiring.store()
    fund("u1", 10)
    sid = start()
    clock.advance(minutes=1)
    heartbeat(sid)
    resolve(sid, "FAILURE")
    resolve(sid, "FAILURE")
    assert wallet(store, "u1") == Wallet(credits=4, ash=6)
    assert session_entries(store, sid) == ["ash_grant", "credits_burn", "credits_lock"]
    user = store.get(collections.user("u1"))
    assert (user["activeSessions"], user["frozenVotes"]) == (0, 1)
    assert store.get(sessions.session_path(sid))["heartbeats"] == 1
