"""guest_upgrade: a guest's credits and jobs move into the signed-in account exactly once,
atomically, only for a caller holding the guest's own ID token."""

from concurrent.futures import ThreadPoolExecutor

import pytest

from shared.jobs.lifecycle import job_path
from tests.jobs.fixtures import ANONYMOUS, APPLE, add_model, available, fund, ledger_of
from tests.jobs.provider import webhook
from tests.support.store import all_documents


@pytest.fixture
def guest(api, store, provider, notifier) -> dict:
    """guest1 holds 10 credits, 3 spent on a queued job; alice (Apple) holds 5."""
    add_model(cost=3)
    fund("guest1", 10)
    fund("alice", 5)
    job = api.result(
        "generate",
        {"modelId": "flux-dev", "prompt": "p", "idempotencyKey": "k"},
        uid="guest1",
        claims=ANONYMOUS,
    )
    return {"token": api.token("guest1", ANONYMOUS), "job": job["jobId"]}


def upgrade(api, token: str, uid: str = "alice", claims=APPLE):
    return api.call("guest_upgrade", {"guestIdToken": token}, uid=uid, claims=claims)


def test_credits_and_jobs_move_into_the_signed_in_account(api, store, guest):
    response = upgrade(api, guest["token"])
    assert response.status_code == 200, response.json()
    assert response.json()["result"] == {
        "uid": "alice",
        "mergedFrom": "guest1",
        "creditsMoved": 7,
        "jobsMoved": 1,
        "balance": 12,
    }
    assert (available(store, "alice"), available(store, "guest1")) == (12, 0)
    assert store.get(job_path(guest["job"]))["uid"] == "alice"
    history = api.result("job_history", {}, uid="alice", claims=APPLE)
    assert [j["jobId"] for j in history["jobs"]] == [guest["job"]]
    assert api.result("job_history", {}, uid="guest1", claims=ANONYMOUS)["jobs"] == []
    merge_entries = [e for e in ledger_of(store, "alice") if e["reason"] == "guest_merge"]
    assert [(e["type"], e["amount"]) for e in merge_entries] == [("admin_adjustment", 7)]
    out = [e for e in ledger_of(store, "guest1") if e["reason"] == "guest_merge"]
    assert [(e["type"], e["amount"]) for e in out] == [("admin_adjustment", -7)]
    assert store.get("users/guest1")["mergedInto"] == "alice"


def test_a_retry_replays_the_merge(api, store, guest):
    first = upgrade(api, guest["token"]).json()["result"]
    before = all_documents(store)
    assert upgrade(api, guest["token"]).json()["result"] == first
    assert all_documents(store) == before


def test_concurrent_upgrades_merge_once(api, store, guest):
    with ThreadPoolExecutor(10) as pool:
        answers = list(pool.map(lambda _: upgrade(api, guest["token"]), range(10)))
    assert {a.status_code for a in answers} == {200}
    assert available(store, "alice") == 12
    assert len([e for e in ledger_of(store, "alice") if e["reason"] == "guest_merge"]) == 1


def test_a_refund_after_the_merge_lands_on_the_account(api, store, guest, provider):
    upgrade(api, guest["token"])
    headers, body = webhook(provider.only_request_id(), ok=False)
    assert api.http.post("/provider_webhook", content=body, headers=headers).status_code == 200
    assert (available(store, "alice"), available(store, "guest1")) == (15, 0)


def test_a_guest_merged_elsewhere_is_refused(api, store, guest):
    upgrade(api, guest["token"])
    before = all_documents(store)
    assert upgrade(api, guest["token"], uid="bob").json()["error"]["details"]["code"] == "ERR_4505"
    assert all_documents(store) == before


@pytest.mark.parametrize(
    ("case", "status", "code"),
    [
        ("not-a-guest", 400, "ERR_4504"),
        ("same-account", 400, "ERR_4504"),
        ("forged", 401, "ERR_4012"),
        ("caller-is-guest", 400, "ERR_4512"),
    ],
)
def test_bad_upgrades_are_refused_and_write_nothing(api, store, guest, case, status, code):
    token, caller, claims = guest["token"], "alice", APPLE
    if case == "not-a-guest":
        token = api.token("carol", APPLE)
    elif case == "same-account":
        caller, claims = "guest1", APPLE
    elif case == "forged":
        token = guest["token"][:-4] + ("AAAA" if not guest["token"].endswith("AAAA") else "BBBB")
    elif case == "caller-is-guest":
        caller, claims = "guest2", ANONYMOUS
    before = all_documents(store)
    response = upgrade(api, token, uid=caller, claims=claims)
    assert (response.status_code, response.json()["error"]["details"]["code"]) == (status, code)
    assert all_documents(store) == before


def test_a_guest_without_credits_still_moves_its_jobs(api, store, provider, notifier):
    add_model(cost=3)
    fund("guest1", 3)
    api.result(
        "generate",
        {"modelId": "flux-dev", "prompt": "p", "idempotencyKey": "k"},
        uid="guest1",
        claims=ANONYMOUS,
    )
    answer = upgrade(api, api.token("guest1", ANONYMOUS)).json()["result"]
    assert (answer["creditsMoved"], answer["jobsMoved"], answer["balance"]) == (0, 1, 0)
