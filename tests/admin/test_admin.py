"""Admin callables: only for the admin claim, every change recorded with who/what/why in the
same transaction, credit changes once, and a ban refusing the user everywhere."""

from concurrent.futures import ThreadPoolExecutor

import pytest

from shared import collections, wiring
from shared.admin.bans import BanCache
from shared.store import query
from tests.jobs.fixtures import ADMIN, add_model, available, fund, ledger_of
from tests.jobs.provider import webhook
from tests.support.store import all_documents

ADMIN_CALLS = {
    "admin_adjust_credits": {"uid": "u1", "amount": 5, "reason": "goodwill", "idempotencyKey": "k"},
    "admin_refund_job": {"jobId": "j1", "reason": "bad result"},
    "admin_put_model": {
        "modelId": "m",
        "name": "M",
        "cost": 1,
        "providerModelId": "fal-ai/m",
        "reason": "launch",
    },
    "admin_set_model": {"modelId": "m", "available": False, "reason": "outage"},
    "admin_user_stats": {"uid": "u1"},
    "admin_ban_user": {"uid": "u1", "reason": "abuse"},
    "admin_unban_user": {"uid": "u1", "reason": "appeal"},
}


def actions(store) -> list[dict]:
    return [d.data for d in store.query(query(collections.ADMIN_ACTIONS))]


@pytest.mark.parametrize("name", sorted(ADMIN_CALLS))
def test_a_caller_without_the_admin_claim_is_refused(api, store, name):
    fund("u1", 1)
    before = all_documents(store)
    assert api.error(name, ADMIN_CALLS[name], uid="mallory")[:2] == (403, "ERR_4014")
    # A client-writable field is not a claim: only the token's custom claim counts.
    store.set("users/mallory", {"admin": True})
    before = all_documents(store)
    assert api.error(name, ADMIN_CALLS[name], uid="mallory", claims={"admin": "true"})[:2] == (
        403,
        "ERR_4014",
    )
    assert all_documents(store) == before


def test_adjust_credits_posts_once_and_records_who_what_why(api, store):
    fund("u1", 10)
    data = {"uid": "u1", "amount": -4, "reason": "chargeback", "idempotencyKey": "k1"}
    with ThreadPoolExecutor(8) as pool:
        answers = list(
            pool.map(
                lambda _: api.result("admin_adjust_credits", data, uid="sam", claims=ADMIN),
                range(8),
            )
        )
    assert len({a["actionId"] for a in answers}) == 1
    assert answers[0]["result"]["available"] == 6
    assert available(store, "u1") == 6
    [entry] = [e for e in ledger_of(store, "u1") if e["type"] == "admin_adjustment"]
    assert (entry["amount"], entry["reason"], entry["refs"]) == (-4, "chargeback", {"admin": "sam"})
    [action] = actions(store)
    assert (action["adminUid"], action["action"], action["target"], action["reason"]) == (
        "sam",
        "adjust_credits",
        "u1",
        "chargeback",
    )


@pytest.mark.parametrize(
    ("data", "status", "code"),
    [
        (
            {"uid": "u1", "amount": -11, "reason": "too much", "idempotencyKey": "k"},
            400,
            "ERR_4001",
        ),
        ({"uid": "u1", "amount": 0, "reason": "nothing", "idempotencyKey": "k"}, 400, "ERR_4000"),
        ({"uid": "u1", "amount": 5, "reason": "no key"}, 400, "ERR_4018"),
        ({"uid": "u1", "amount": 5, "reason": "", "idempotencyKey": "k"}, 400, "ERR_4000"),
        ({"uid": "a/b", "amount": 5, "reason": "bad uid", "idempotencyKey": "k"}, 400, "ERR_4030"),
    ],
    ids=["overdraw", "zero", "no-key", "no-reason", "bad-uid"],
)
def test_bad_adjustments_write_nothing(api, store, data, status, code):
    fund("u1", 10)
    before = all_documents(store)
    assert api.error("admin_adjust_credits", data, uid="sam", claims=ADMIN)[:2] == (status, code)
    assert all_documents(store) == before


def test_the_same_key_for_another_adjustment_is_refused(api, store):
    fund("u1", 10)
    data = {"uid": "u1", "amount": 3, "reason": "goodwill", "idempotencyKey": "k1"}
    api.result("admin_adjust_credits", data, uid="sam", claims=ADMIN)
    before = all_documents(store)
    other = {**data, "amount": 4}
    assert api.error("admin_adjust_credits", other, uid="sam", claims=ADMIN)[:2] == (
        409,
        "ERR_4017",
    )
    assert all_documents(store) == before


def test_refund_job_once_whoever_refunds_first(api, store, provider, notifier):
    add_model(cost=3)
    fund("u1", 10)
    job = api.result(
        "generate", {"modelId": "flux-dev", "prompt": "p", "idempotencyKey": "a"}, uid="u1"
    )
    refund = {"jobId": job["jobId"], "reason": "ugly result"}
    done = api.result("admin_refund_job", refund, uid="sam", claims=ADMIN)
    assert done["result"] == {"uid": "u1", "entryId": f"job_{job['jobId']}_refund", "amount": 3}
    assert available(store, "u1") == 10
    before = all_documents(store)
    assert api.error("admin_refund_job", refund, uid="sam", claims=ADMIN)[:2] == (400, "ERR_4513")
    assert all_documents(store) == before
    # The provider failing afterwards fails the job but refunds nothing more.
    headers, body = webhook(provider.only_request_id(), ok=False)
    assert api.http.post("/provider_webhook", content=body, headers=headers).status_code == 200
    assert available(store, "u1") == 10
    assert api.error(
        "admin_refund_job", {"jobId": "nope", "reason": "x" * 3}, uid="sam", claims=ADMIN
    )[:2] == (404, "ERR_4501")


def test_disabling_a_model_stops_generation_and_hides_it(api, store, provider):
    fund("u1", 10)
    put = {**ADMIN_CALLS["admin_put_model"], "providerModelId": "fal-ai/flux/dev"}
    api.result("admin_put_model", put, uid="sam", claims=ADMIN)
    data = {"modelId": "m", "prompt": "p", "idempotencyKey": "a"}
    api.result("generate", data, uid="u1")
    api.result("admin_set_model", ADMIN_CALLS["admin_set_model"], uid="sam", claims=ADMIN)
    assert api.error("generate", {**data, "idempotencyKey": "b"}, uid="u1")[:2] == (400, "ERR_4002")
    assert api.result("get_models", {}, uid="u1")["models"] == []
    enable = {"modelId": "m", "available": True, "reason": "fixed"}
    api.result("admin_set_model", enable, uid="sam", claims=ADMIN)
    api.result("generate", {**data, "idempotencyKey": "b"}, uid="u1")
    assert [a["action"] for a in sorted(actions(store), key=lambda a: a["createdAt"])] == [
        "put_model",
        "disable_model",
        "enable_model",
    ]
    unknown = {"modelId": "zz", "available": True, "reason": "typo"}
    assert api.error("admin_set_model", unknown, uid="sam", claims=ADMIN)[:2] == (404, "ERR_4506")


def send_webhook(api, request_id: str, **kwargs) -> None:
    headers, body = webhook(request_id, **kwargs)
    assert api.http.post("/provider_webhook", content=body, headers=headers).status_code == 200


def test_user_stats(api, store, provider, notifier):
    add_model(cost=1)
    fund("u1", 10)
    for key in "abc":
        data = {"modelId": "flux-dev", "prompt": "p", "idempotencyKey": key}
        api.result("generate", data, uid="u1")
    first, second, _ = provider.requests
    send_webhook(api, first, urls=["https://x.test/1"])
    send_webhook(api, second, ok=False)
    stats = api.result("admin_user_stats", {"uid": "u1"}, uid="sam", claims=ADMIN)
    assert stats["jobsByStatus"] == {
        "submitting": 0,
        "queued": 1,
        "running": 0,
        "completed": 1,
        "failed": 1,
    }
    assert (stats["successRate"], stats["jobsCounted"], stats["available"]) == (0.5, 3, 8)
    assert len(stats["recentLedger"]) == 5  # the grant, three spends and one refund
    assert stats["exists"] and not stats["banned"]


def test_a_banned_user_is_refused_everywhere_until_unbanned(api, store, provider):
    add_model(cost=1)
    fund("u1", 10)
    api.result("admin_ban_user", {"uid": "u1", "reason": "abuse"}, uid="sam", claims=ADMIN)
    before = all_documents(store)
    for name, data in [
        ("health", {}),
        ("wallet_get", {}),
        ("generate", {"modelId": "flux-dev", "prompt": "p", "idempotencyKey": "a"}),
        ("job_history", {}),
    ]:
        assert api.error(name, data, uid="u1")[:2] == (403, "ERR_4019")
    assert all_documents(store) == before
    assert api.result("health", {}, uid="u2")["uid"] == "u2"
    user = store.get("users/u1")
    assert (user["banned"], user["bannedBy"], user["bannedReason"]) == (True, "sam", "abuse")
    api.result("admin_unban_user", {"uid": "u1", "reason": "appeal ok"}, uid="sam", claims=ADMIN)
    assert api.result("health", {}, uid="u1")["uid"] == "u1"
    assert [a["action"] for a in sorted(actions(store), key=lambda a: a["createdAt"])] == [
        "ban_user",
        "unban_user",
    ]


def test_a_ban_from_another_instance_applies_after_the_cache_ttl(api, store):
    seconds = [0.0]
    wiring.use(ban_cache=BanCache(ttl=10, clock=lambda: seconds[0]))
    api.result("health", {}, uid="u1")  # cached as not banned
    store.set("users/u1", {"banned": True}, merge=True)  # as another instance would write it
    seconds[0] = 9.9
    assert api.result("health", {}, uid="u1")["uid"] == "u1"  # still served from the cache
    seconds[0] = 10.1
    assert api.error("health", {}, uid="u1")[:2] == (403, "ERR_4019")


def test_an_admin_cannot_ban_themselves(api, store):
    fund("sam", 1)
    before = all_documents(store)
    call = {"uid": "sam", "reason": "oops, myself"}
    assert api.error("admin_ban_user", call, uid="sam", claims=ADMIN)[:2] == (400, "ERR_4520")
    assert all_documents(store) == before
    assert api.result("health", {}, uid="sam", claims=ADMIN)["uid"] == "sam"


BAD_IDS = ["..", ".", "x/y", "../../users/victim", "__reserved__", "a" * 1501]


@pytest.mark.parametrize("bad", BAD_IDS)
@pytest.mark.parametrize(
    ("name", "field"),
    [
        ("admin_ban_user", "uid"),
        ("admin_unban_user", "uid"),
        ("admin_user_stats", "uid"),
        ("admin_adjust_credits", "uid"),
        ("admin_refund_job", "jobId"),
        ("admin_set_model", "modelId"),
        ("admin_put_model", "modelId"),
    ],
)
def test_an_id_that_cannot_be_a_document_id_is_refused(api, store, name, field, bad):
    fund("u1", 1)
    before = all_documents(store)
    data = {**ADMIN_CALLS[name], field: bad}
    status, code, error = api.error(name, data, uid="sam", claims=ADMIN)
    assert (status, code) == (400, "ERR_4030"), error
    assert error["details"]["field"] == field
    assert all_documents(store) == before
