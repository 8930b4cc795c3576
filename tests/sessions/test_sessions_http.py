"""Sessions over real HTTP on the dev server, as an app calls them."""

from concurrent.futures import ThreadPoolExecutor

import pytest

from shared import config
from tests.ledger.helpers import fund, ledger_sum, wallet
from tests.support.store import all_documents


def test_start_heartbeat_resolve_and_see_the_wallet(api, store, clock):
    fund("alice", 10)
    started = api.result(
        "session_start", {"pledge": 4, "durationMinutes": 25, "idempotencyKey": "s1"}, uid="alice"
    )
    assert started["status"] == "ACTIVE"
    sid = started["sessionId"]
    assert api.result("wallet_get", {}, uid="alice")["available"] == 6
    clock.advance(minutes=5)
    beat = api.result("session_heartbeat", {"sessionId": sid}, uid="alice")
    assert beat["lastHeartbeatAt"] == clock().isoformat().replace("+00:00", "Z")
    resolved = api.result(
        "session_resolve",
        {"sessionId": sid, "outcome": "FAILURE", "reason": "gave up", "idempotencyKey": "r1"},
        uid="alice",
    )
    assert (resolved["status"], resolved["ashGranted"], resolved["frozenVotes"]) == ("FAILED", 4, 1)
    wallet_view = api.result("wallet_get", {}, uid="alice")
    assert (wallet_view["credits"], wallet_view["ash"], wallet_view["locked"]) == (6, 4, 0)
    assert [e["type"] for e in wallet_view["entries"]][:2] == ["credits_burn", "ash_grant"]


@pytest.mark.many_threads
@pytest.mark.parametrize(("one_active", "expected"), [("true", 1), ("false", 3)])
def test_thirty_concurrent_starts_over_http(api, store, clock, monkeypatch, one_active, expected):
    monkeypatch.setenv("SESSION_ONE_ACTIVE", one_active)
    config.reset()
    fund("alice", 17)  # three pledges of 5
    token = api.token("alice")

    def attempt(i: int) -> int:
        data = {"pledge": 5, "durationMinutes": 30, "idempotencyKey": f"key-{i}"}
        return api.call("session_start", data, token=token).status_code

    with ThreadPoolExecutor(10) as pool:
        statuses = list(pool.map(attempt, range(30)))
    assert statuses.count(200) == expected
    assert statuses.count(400) == 30 - expected  # FAILED_PRECONDITION: 4001 or 4103
    w = wallet(store, "alice")
    assert (w.locked, w.available) == (5 * expected, 17 - 5 * expected)
    assert ledger_sum(store, "alice") == w


def test_the_same_start_key_over_http_answers_the_same_session(api, store, clock):
    fund("alice", 10)
    data = {"pledge": 4, "durationMinutes": 25, "idempotencyKey": "same"}
    first = api.call("session_start", data, uid="alice")
    again = api.call("session_start", data, uid="alice")
    assert "Idempotent-Replayed" not in first.headers
    assert again.headers["Idempotent-Replayed"] == "true"
    assert first.json()["result"]["replayed"] is False
    assert again.json()["result"] == first.json()["result"] | {"replayed": True}
    assert wallet(store, "alice").locked == 4


@pytest.mark.parametrize(
    ("data", "code", "field"),
    [
        ({"pledge": 0, "durationMinutes": 30, "idempotencyKey": "k"}, "ERR_4101", None),
        ({"pledge": -3, "durationMinutes": 30, "idempotencyKey": "k"}, "ERR_4101", None),
        ({"pledge": 2.5, "durationMinutes": 30, "idempotencyKey": "k"}, "ERR_4000", "pledge"),
        ({"pledge": "5", "durationMinutes": 30, "idempotencyKey": "k"}, "ERR_4000", "pledge"),
        ({"pledge": True, "durationMinutes": 30, "idempotencyKey": "k"}, "ERR_4000", "pledge"),
        ({"pledge": 5, "durationMinutes": 0, "idempotencyKey": "k"}, "ERR_4102", None),
        ({"pledge": 5, "durationMinutes": 10_000, "idempotencyKey": "k"}, "ERR_4102", None),
        (
            {"pledge": 5, "durationMinutes": 1.5, "idempotencyKey": "k"},
            "ERR_4000",
            "durationMinutes",
        ),
        ({"pledge": 5, "durationMinutes": 30}, "ERR_4018", None),
        ({"pledge": 5, "durationMinutes": 30, "idempotencyKey": ""}, "ERR_4018", None),
        ({"pledge": 5, "durationMinutes": 30, "idempotencyKey": 7}, "ERR_4000", "idempotencyKey"),
    ],
)
def test_bad_starts_are_refused_with_a_code_and_write_nothing(api, store, clock, data, code, field):
    fund("alice", 10)
    before = all_documents(store)
    status, got, error = api.error("session_start", data, uid="alice")
    assert (status, got) == (400, code)
    if field:
        assert error["details"]["fields"][0]["field"] == field
    assert all_documents(store) == before


def test_bad_resolves_over_http(api, store, clock):
    fund("alice", 10)
    data = {"pledge": 4, "durationMinutes": 60, "idempotencyKey": "s1"}
    sid = api.result("session_start", data, uid="alice")["sessionId"]
    before = all_documents(store)
    resolve = {"sessionId": sid, "outcome": "SUCCESS", "idempotencyKey": "r"}
    assert api.error("session_resolve", resolve, uid="mallory")[:2] == (404, "ERR_4104")
    unknown = {**resolve, "sessionId": "s_nope"}
    assert api.error("session_resolve", unknown, uid="alice")[:2] == (404, "ERR_4104")
    assert api.error("session_resolve", {**resolve, "outcome": "MAYBE"}, uid="alice")[:2] == (
        400,
        "ERR_4000",
    )
    no_key = {"sessionId": sid, "outcome": "SUCCESS"}
    assert api.error("session_resolve", no_key, uid="alice")[:2] == (400, "ERR_4018")
    assert api.error("session_heartbeat", {"sessionId": sid}, uid="mallory")[:2] == (
        404,
        "ERR_4104",
    )
    clock.advance(minutes=11)
    status, code, error = api.error("session_resolve", resolve, uid="alice")
    assert (status, code, error["status"]) == (400, "ERR_4105", "FAILED_PRECONDITION")
    assert all_documents(store) == before


def test_a_conflicting_resolve_over_http_is_409(api, store, clock):
    fund("alice", 10)
    data = {"pledge": 4, "durationMinutes": 60, "idempotencyKey": "s1"}
    sid = api.result("session_start", data, uid="alice")["sessionId"]
    resolve = {"sessionId": sid, "outcome": "SUCCESS", "idempotencyKey": "r1"}
    first = api.result("session_resolve", resolve, uid="alice")
    assert api.result("session_resolve", resolve, uid="alice") == first | {"replayed": True}
    status, code, error = api.error(
        "session_resolve", {**resolve, "idempotencyKey": "r2"}, uid="alice"
    )
    assert (status, code, error["status"]) == (409, "ERR_4106", "ALREADY_EXISTS")
