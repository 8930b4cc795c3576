"""The stale-session expiry job: settles each expired session once, in batches, and loses no
race against a client's resolve."""

import threading
from datetime import timedelta

import pytest

from shared import collections, config, sessions, wiring
from shared.errors import AppError
from shared.ledger import Wallet
from shared.ops import expiry
from shared.sessions import HeartbeatSession, ResolveSession, StartSession
from shared.store.sqlite import SqliteStore
from tests.ledger.helpers import entries, fund, ledger_sum, wallet


def start(uid: str, pledge: int = 5, minutes: int = 60, key: str = "s") -> str:
    request = StartSession(pledge=pledge, duration_minutes=minutes, idempotency_key=key)
    return sessions.start_session(uid, request).session_id


def stored(store, sid: str) -> dict:
    return store.get(sessions.session_path(sid))


def test_stale_sessions_fail_with_no_heartbeat_and_fresh_ones_stay(store, clock):
    fund("stale", 10)
    fund("alive", 10)
    stale = start("stale")
    alive = start("alive")
    clock.advance(minutes=9)
    sessions.heartbeat_session("alive", HeartbeatSession(session_id=alive))
    clock.advance(minutes=2)  # stale: 11 minutes without a heartbeat; alive: 2
    report = expiry.expire_stale_sessions()
    assert (report.found, report.failed, report.completed) == (1, 1, 0)
    settled = stored(store, stale)
    assert settled["status"] == "FAILED"
    assert settled["resolution"]["reason"] == "no_heartbeat"
    assert settled["resolution"]["by"] == "expiry"
    assert wallet(store, "stale") == Wallet(credits=5, ash=5)
    assert store.get(collections.user("stale"))["frozenVotes"] == 1
    assert stored(store, alive)["status"] == "ACTIVE"


def test_running_twice_settles_once(store, clock):
    fund("u1", 10)
    sid = start("u1")
    clock.advance(minutes=11)
    assert expiry.expire_stale_sessions().failed == 1
    assert expiry.expire_stale_sessions().found == 0
    assert sorted(e["type"] for e in entries(store, "u1")) == [
        "ash_grant",
        "credits_burn",
        "credits_grant",
        "credits_lock",
    ]
    assert stored(store, sid)["status"] == "FAILED"


def test_it_works_through_many_sessions_in_batches(store, clock, monkeypatch):
    monkeypatch.setenv("SESSION_ONE_ACTIVE", "false")
    config.reset()
    fund("u1", 100)
    for i in range(7):
        start("u1", pledge=2, key=f"k{i}")
    clock.advance(minutes=11)
    report = expiry.expire_stale_sessions(batch_size=3)
    assert (report.batches, report.found, report.failed) == (3, 7, 7)
    assert wallet(store, "u1") == Wallet(credits=86, ash=14)
    assert store.get(collections.user("u1"))["activeSessions"] == 0


def test_max_batches_bounds_a_run_and_the_next_run_continues(store, clock, monkeypatch):
    monkeypatch.setenv("SESSION_ONE_ACTIVE", "false")
    config.reset()
    fund("u1", 100)
    for i in range(5):
        start("u1", pledge=2, key=f"k{i}")
    clock.advance(minutes=11)
    assert expiry.expire_stale_sessions(batch_size=2, max_batches=1).failed == 2
    assert expiry.expire_stale_sessions(batch_size=2).failed == 3


@pytest.mark.parametrize(("setting", "status"), [("SUCCESS", "COMPLETED"), ("FAILURE", "FAILED")])
def test_a_finished_but_unresolved_session_gets_the_configured_outcome(
    store, clock, monkeypatch, setting, status
):
    monkeypatch.setenv("SESSION_COMPLETED_OUTCOME", setting)
    config.reset()
    fund("u1", 10)
    sid = start("u1", minutes=20)
    for _ in range(4):  # heartbeats until the end, then the app never resolves
        clock.advance(minutes=5)
        sessions.heartbeat_session("u1", HeartbeatSession(session_id=sid))
    clock.advance(minutes=11)
    expiry.expire_stale_sessions()
    settled = stored(store, sid)
    assert (settled["status"], settled["resolution"]["reason"]) == (status, "time_completed")
    assert wallet(store, "u1").locked == 0
    assert ledger_sum(store, "u1") == wallet(store, "u1")


def test_a_client_resolve_after_the_job_is_a_conflict(store, clock):
    fund("u1", 10)
    sid = start("u1")
    clock.advance(minutes=11)
    expiry.expire_stale_sessions()
    request = ResolveSession(session_id=sid, outcome="SUCCESS", idempotency_key="late")
    with pytest.raises(AppError) as raised:
        sessions.resolve_session("u1", request)
    assert (raised.value.code, raised.value.params) == ("ERR_4106", {"status": "FAILED"})


def test_the_job_and_client_resolves_racing_settle_each_session_once(store, clock, monkeypatch):
    """The job runs on a clock ahead of the clients' (instances' clocks differ), so both see
    the sessions open. It settles them oldest first while clients resolve them newest first:
    they meet somewhere in the middle, racing for the same sessions."""
    monkeypatch.setenv("SESSION_ONE_ACTIVE", "false")
    config.reset()
    fund("u1", 100)
    sids = []
    for i in range(20):
        sids.append(start("u1", pledge=2, key=f"s{i}"))
        clock.advance(seconds=1)
    clock.advance(minutes=9)
    job_now = clock() + timedelta(minutes=2)
    barrier = threading.Barrier(3)
    report: list[expiry.ExpiryReport] = []
    answers: dict[str, str] = {}

    def job() -> None:
        barrier.wait()
        report.append(expiry.expire_stale_sessions(now=job_now, batch_size=5))

    def client(mine: list[str]) -> None:
        barrier.wait()
        for sid in mine:
            request = ResolveSession(session_id=sid, outcome="SUCCESS", idempotency_key="c")
            try:
                sessions.resolve_session("u1", request)
                answers[sid] = "ok"
            except AppError as e:
                answers[sid] = e.code

    newest_first = sids[::-1]
    threads = [
        threading.Thread(target=job),
        threading.Thread(target=client, args=(newest_first[0::2],)),
        threading.Thread(target=client, args=(newest_first[1::2],)),
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    by_client = [sid for sid, answer in answers.items() if answer == "ok"]
    # ERR_4105: the job's clock is ahead, and one of its writes already posted that lock's
    # timeout (every ledger write settles the user's lapsed locks): the job closes it.
    assert set(answers.values()) <= {"ok", "ERR_4105", "ERR_4106"}
    assert report[0].failed + len(by_client) == 20, (report[0], answers)
    print("settled by the job:", report[0].failed, "by clients:", len(by_client))
    for sid in sids:
        kinds = sorted(e["type"] for e in entries(store, "u1") if e["refs"].get("session") == sid)
        settled = stored(store, sid)
        if sid in by_client:
            assert (kinds, settled["resolution"]["by"]) == (
                ["credits_lock", "credits_refund"],
                "client",
            )
        else:
            assert kinds == ["ash_grant", "credits_burn", "credits_lock"]
            assert settled["resolution"]["by"] == "expiry"
    assert ledger_sum(store, "u1") == wallet(store, "u1")
    assert wallet(store, "u1").locked == 0
    assert store.get(collections.user("u1"))["activeSessions"] == 0


def test_the_dev_server_runs_the_job_over_http(api, store, clock):
    fund("alice", 10)
    sid = start("alice")
    clock.advance(minutes=11)
    response = api.http.post("/__dev/run/expire_stale_sessions")
    assert response.status_code == 200
    assert stored(store, sid)["status"] == "FAILED"


def test_expiry_bodies_rerun_by_the_store_settle_once(tmp_path, clock):
    wiring.use(store=SqliteStore(str(tmp_path / "rerun.sqlite3"), rerun_transactions=True))
    store = wiring.store()
    fund("u1", 10)
    sid = start("u1")
    clock.advance(minutes=11)
    assert expiry.expire_stale_sessions().failed == 1
    assert wallet(store, "u1") == Wallet(credits=5, ash=5)
    assert len(entries(store, "u1")) == 4
    user = store.get(collections.user("u1"))
    assert (user["activeSessions"], user["frozenVotes"]) == (0, 1)
    assert stored(store, sid)["status"] == "FAILED"
