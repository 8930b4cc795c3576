"""session_start: the lock and the session appear together, once per key; not enough credits
or a second active session is refused; bad input is refused with a code and writes nothing."""

from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

import pytest

from shared import collections, config, sessions
from shared.errors import AppError
from shared.ledger import Wallet
from shared.sessions import SessionStatus, StartSession
from tests.ledger.helpers import entries, fund, ledger_sum, wallet
from tests.support.store import all_documents


def start(uid: str, pledge: int = 5, minutes: int = 30, key: str = "k1"):
    return sessions.start_session(
        uid, StartSession(pledge=pledge, duration_minutes=minutes, idempotency_key=key)
    )


def code_of(call) -> AppError:
    with pytest.raises(AppError) as raised:
        call()
    return raised.value


def test_start_locks_the_pledge_and_opens_an_active_session(store, clock):
    fund("u1", 12)
    view = start("u1", pledge=5, minutes=25)
    assert view.status == SessionStatus.ACTIVE
    assert view.expires_at - view.started_at == timedelta(minutes=25)
    assert wallet(store, "u1") == Wallet(credits=12, locked=5)
    stored = store.get(sessions.session_path(view.session_id))
    assert stored["uid"] == "u1" and stored["pledge"] == 5
    assert stored["lastHeartbeatAt"] == stored["startedAt"] == clock()
    user = store.get(collections.user("u1"))
    assert (user["activeSessions"], user["activeSessionId"]) == (1, view.session_id)
    lock = [e for e in entries(store, "u1") if e["type"] == "credits_lock"]
    assert [e["refs"] for e in lock] == [{"session": view.session_id}]


def test_the_same_key_answers_the_same_session_and_locks_once(store, clock):
    fund("u1", 12)
    first = start("u1", key="same")
    again = start("u1", key="same")
    assert (first.replayed, again.replayed) == (False, True)
    assert first == again.model_copy(update={"replayed": False})
    assert wallet(store, "u1").locked == 5
    assert len(entries(store, "u1")) == 2  # the grant and one lock


def test_the_same_key_with_another_pledge_is_refused(store, clock):
    fund("u1", 12)
    start("u1", key="same")
    before = all_documents(store)
    assert code_of(lambda: start("u1", pledge=6, key="same")).code == "ERR_4017"
    assert all_documents(store) == before


def test_keys_belong_to_their_user(store, clock):
    fund("u1", 12)
    fund("u2", 12)
    assert start("u1", key="k").session_id != start("u2", key="k").session_id


def test_not_enough_credits_names_required_and_available(store, clock):
    fund("u1", 7)
    error = code_of(lambda: start("u1", pledge=8))
    assert (error.code, error.params) == ("ERR_4001", {"required": 8, "available": 7})
    assert wallet(store, "u1") == Wallet(credits=7)
    assert store.get(sessions.session_path(sessions.session_id_for("u1", "k1"))) is None


def test_one_active_session_at_a_time_by_default(store, clock):
    fund("u1", 20)
    first = start("u1", key="a")
    before = all_documents(store)
    error = code_of(lambda: start("u1", key="b"))
    assert error.code == "ERR_4103"
    assert error.params == {"activeSessionId": first.session_id}
    assert all_documents(store) == before


def test_the_rule_can_be_turned_off(store, clock, monkeypatch):
    monkeypatch.setenv("SESSION_ONE_ACTIVE", "false")
    config.reset()
    fund("u1", 20)
    start("u1", key="a")
    start("u1", key="b")
    assert wallet(store, "u1").locked == 10
    assert store.get(collections.user("u1"))["activeSessions"] == 2


@pytest.mark.many_threads
@pytest.mark.parametrize(("one_active", "expected"), [("false", 3), ("true", 1)])
def test_thirty_concurrent_starts_lock_only_what_the_wallet_allows(
    store, clock, monkeypatch, one_active, expected
):
    monkeypatch.setenv("SESSION_ONE_ACTIVE", one_active)
    config.reset()
    fund("u1", 3 * 5 + 4)  # three pledges of 5 and change

    def attempt(i: int) -> str:
        try:
            start("u1", pledge=5, key=f"key-{i}")
            return "ok"
        except AppError as e:
            return e.code

    with ThreadPoolExecutor(15) as pool:
        results = list(pool.map(attempt, range(30)))
    assert results.count("ok") == expected
    refusal = "ERR_4001" if one_active == "false" else "ERR_4103"
    assert results.count(refusal) == 30 - expected
    w = wallet(store, "u1")
    assert w == Wallet(credits=19, locked=5 * expected)
    assert w.available >= 0
    assert ledger_sum(store, "u1") == w
    locks = [e for e in entries(store, "u1") if e["type"] == "credits_lock"]
    assert len(locks) == expected
    for e in locks:  # no entry ever saw a negative available balance
        assert e["walletAfter"]["credits"] - e["walletAfter"]["locked"] >= 0


@pytest.mark.parametrize(
    ("pledge", "minutes", "code"),
    [
        (0, 30, "ERR_4101"),
        (-5, 30, "ERR_4101"),
        (1_000_001, 30, "ERR_4101"),
        (5, 0, "ERR_4102"),
        (5, -1, "ERR_4102"),
        (5, 1441, "ERR_4102"),
    ],
)
def test_out_of_range_input_is_refused_and_writes_nothing(store, clock, pledge, minutes, code):
    fund("u1", 20)
    before = all_documents(store)
    assert code_of(lambda: start("u1", pledge=pledge, minutes=minutes)).code == code
    assert all_documents(store) == before


@pytest.mark.parametrize("key", [None, ""])
def test_an_idempotency_key_is_required(store, clock, key):
    fund("u1", 20)
    before = all_documents(store)
    request = StartSession(pledge=5, duration_minutes=30, idempotency_key=key)
    assert code_of(lambda: sessions.start_session("u1", request)).code == "ERR_4018"
    assert all_documents(store) == before
