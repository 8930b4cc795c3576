"""provider_webhook: verified before anything else, processed once per event id, and a failed
job is refunded exactly once however often or however the failure is reported."""

import json
import time
from concurrent.futures import ThreadPoolExecutor

import pytest

from shared.jobs.lifecycle import job_path
from tests.jobs.fixtures import add_model, available, configure, fund, ledger_of
from tests.jobs.provider import WEBHOOK_SECRET, webhook
from tests.support.store import all_documents


@pytest.fixture
def queued(api, store, provider, notifier) -> tuple[str, str]:
    """(job id, provider request id) of a queued 3-credit job of u1, who had 10 credits."""
    add_model(cost=3)
    fund("u1", 10)
    job = api.result(
        "generate", {"modelId": "flux-dev", "prompt": "p", "idempotencyKey": "k"}, uid="u1"
    )
    return job["jobId"], provider.only_request_id()


def post(api, headers, body):
    return api.http.post("/provider_webhook", content=body, headers=headers)


def test_a_replayed_event_answers_the_same_and_notifies_once(api, store, queued, notifier):
    job_id, request_id = queued
    headers, body = webhook(request_id, urls=["https://cdn.test/1.png"])
    first = post(api, headers, body)
    again = post(api, headers, body)
    assert first.status_code == again.status_code == 200
    assert first.json() == again.json()
    assert len(notifier.sent) == 1
    assert store.get(job_path(job_id))["resultUrls"] == ["https://cdn.test/1.png"]


def test_a_failure_is_refunded_once_even_when_reported_twice(api, store, queued, notifier):
    job_id, request_id = queued
    assert available(store, "u1") == 7
    headers, body = webhook(request_id, ok=False, error="NSFW content detected")
    with ThreadPoolExecutor(8) as pool:
        answers = list(pool.map(lambda _: post(api, headers, body), range(8)))
    assert {a.status_code for a in answers} == {200}
    # A second event (another id) about the same failure changes nothing either.
    other_headers, other_body = webhook(request_id, ok=False, error="again")
    assert post(api, other_headers, other_body).json()["moved"] is False
    assert available(store, "u1") == 10
    refunds = [e for e in ledger_of(store, "u1") if e["type"] == "credits_spend_refund"]
    assert [e["id"] for e in refunds] == [f"job_{job_id}_refund"]
    job = store.get(job_path(job_id))
    assert (job["status"], job["refunded"]) == ("failed", True)
    assert job["error"] == {"code": "ERR_5003", "message": "NSFW content detected"}
    assert [(uid, j.status) for uid, j in notifier.sent] == [("u1", "failed")]


def test_completed_after_failed_changes_nothing(api, store, queued):
    job_id, request_id = queued
    post(api, *webhook(request_id, ok=False))
    assert post(api, *webhook(request_id, urls=["https://cdn.test/late.png"])).status_code == 200
    job = store.get(job_path(job_id))
    assert (job["status"], job["resultUrls"]) == ("failed", [])


@pytest.mark.parametrize(
    "tamper",
    ["body", "secret", "missing_signature", "event_id", "timestamp_header"],
)
def test_a_forged_webhook_is_refused_and_writes_nothing(api, store, queued, tamper):
    _, request_id = queued
    other = "whsec_" + "b3RoZXItc2VjcmV0LW9mLTMyLWJ5dGVzLWxvbmctLS0="
    headers, body = webhook(request_id, secret=other if tamper == "secret" else WEBHOOK_SECRET)
    if tamper == "body":
        body = body.replace(b'"OK"', b'"ERROR"')
    elif tamper == "missing_signature":
        del headers["webhook-signature"]
    elif tamper == "event_id":
        headers["webhook-id"] = "evt_other"
    elif tamper == "timestamp_header":
        headers["webhook-timestamp"] = str(int(headers["webhook-timestamp"]) + 1)
    before = all_documents(store)
    response = post(api, headers, body)
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "ERR_4020"
    assert all_documents(store) == before


def test_a_stale_or_future_timestamp_is_refused(api, store, queued):
    _, request_id = queued
    before = all_documents(store)
    for offset in (-301, 301):
        headers, body = webhook(request_id, timestamp=int(time.time()) + offset)
        response = post(api, headers, body)
        assert (response.status_code, response.json()["error"]["code"]) == (401, "ERR_4508")
    assert all_documents(store) == before


def test_the_tolerance_is_configurable(api, store, queued, monkeypatch):
    _, request_id = queued
    configure(monkeypatch, PROVIDER_WEBHOOK_TOLERANCE_SECONDS="1000")
    headers, body = webhook(request_id, timestamp=int(time.time()) - 900)
    assert post(api, headers, body).status_code == 200


def test_an_unknown_request_asks_the_provider_to_retry(api, store, queued):
    before = all_documents(store)
    response = post(api, *webhook("not-a-request-we-know"))
    assert (response.status_code, response.json()["error"]["code"]) == (409, "ERR_4509")
    assert all_documents(store) == before


def test_a_signed_body_that_is_not_an_event_is_invalid(api, store, queued):
    from shared.jobs.webhook import sign

    raw = json.dumps({"hello": "world"}).encode()
    ts = int(time.time())
    headers = {
        "webhook-id": "evt_1",
        "webhook-timestamp": str(ts),
        "webhook-signature": sign(WEBHOOK_SECRET, "evt_1", ts, raw),
    }
    response = post(api, headers, raw)
    assert (response.status_code, response.json()["error"]["code"]) == (400, "ERR_4000")


def test_an_unconfigured_secret_is_a_server_error_not_an_open_door(api, store, queued, monkeypatch):
    _, request_id = queued
    configure(monkeypatch, PROVIDER_WEBHOOK_SECRET="")
    response = post(api, *webhook(request_id))
    assert (response.status_code, response.json()["error"]["code"]) == (500, "ERR_6003")
