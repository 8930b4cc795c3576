"""generate over HTTP against a local fal-style provider: completed by webhook, refunded once
when the provider fails for good, one job per idempotency key under concurrency, and no more
jobs than credits."""

from concurrent.futures import ThreadPoolExecutor

from shared import collections
from shared.jobs.lifecycle import job_path, refund_entry_id, spend_entry_id
from tests.jobs.fixtures import add_model, available, fund, ledger_of
from tests.jobs.provider import API_KEY, webhook
from tests.support.store import all_documents


def generate(api, uid="u1", key="k1", prompt="a red fox in snow", model="flux-dev", **extra):
    data = {"modelId": model, "prompt": prompt, "idempotencyKey": key, **extra}
    return api.call("generate", data, uid=uid)


def post_webhook(api, headers, body):
    return api.http.post("/provider_webhook", content=body, headers=headers)


def test_generate_then_webhook_completes_the_job_and_notifies(api, store, provider, notifier):
    add_model(cost=3)
    fund("u1", 10)
    response = generate(api, options={"image_size": "square_hd"})
    assert response.status_code == 200, response.json()
    job = response.json()["result"]
    assert (job["status"], job["cost"], job["refunded"]) == ("queued", 3, False)
    assert available(store, "u1") == 7
    [submit] = provider.submits
    assert submit["model"] == "fal-ai/flux/dev"
    assert submit["body"] == {"image_size": "square_hd", "prompt": "a red fox in snow"}
    request_id = provider.only_request_id()
    hook = f"https://example.test/provider_webhook?jobId={job['jobId']}"
    assert provider.requests[request_id].webhook == hook

    headers, body = webhook(request_id, urls=["https://cdn.test/a.png", "https://cdn.test/b.png"])
    answer = post_webhook(api, headers, body)
    assert answer.status_code == 200
    assert answer.json() == {
        "received": True,
        "job_id": job["jobId"],
        "status": "completed",
        "moved": True,
    }
    done = api.result("job_status", {"jobId": job["jobId"]}, uid="u1")
    assert done["status"] == "completed"
    assert done["resultUrls"] == ["https://cdn.test/a.png", "https://cdn.test/b.png"]
    assert [(uid, sent.job_id, sent.status) for uid, sent in notifier.sent] == [
        ("u1", job["jobId"], "completed")
    ]
    assert available(store, "u1") == 7
    assert [e["type"] for e in ledger_of(store, "u1")] == ["credits_spend", "credits_grant"]


def test_provider_503_on_every_attempt_fails_the_job_and_refunds_once(api, store, provider):
    add_model(cost=4)
    fund("u1", 10)
    provider.fail_next(503, 503, 503, 503)  # the first attempt and its 3 retries
    status, code, error = api.error("generate", _data("k1"), uid="u1")
    assert (status, code) == (503, "ERR_5002")
    job_id = error["details"]["jobId"]
    assert len(provider.submits) == 4
    job = store.get(job_path(job_id))
    assert (job["status"], job["refunded"], job["error"]["code"]) == ("failed", True, "ERR_5002")
    assert available(store, "u1") == 10
    kinds = [(e["id"], e["amount"]) for e in ledger_of(store, "u1")]
    assert (spend_entry_id(job_id), 4) in kinds and (refund_entry_id(job_id), 4) in kinds
    assert len(kinds) == 3

    # A replay answers the same failure and changes nothing; the provider is not called again.
    assert api.error("generate", _data("k1"), uid="u1")[:2] == (503, "ERR_5002")
    assert len(provider.submits) == 4
    assert len(ledger_of(store, "u1")) == 3


def test_503_three_times_then_accepted_is_charged_once(api, store, provider):
    add_model(cost=4)
    fund("u1", 10)
    provider.fail_next(503, 503, 503)
    job = api.result("generate", _data("k1"), uid="u1")
    assert job["status"] == "queued"
    assert len(provider.submits) == 4
    assert available(store, "u1") == 6


def test_a_refusal_is_not_retried_and_is_refunded(api, store, provider):
    add_model(cost=2)
    fund("u1", 5)
    provider.fail_next(422)
    assert api.error("generate", _data("k1"), uid="u1")[:2] == (400, "ERR_5003")
    assert len(provider.submits) == 1
    assert available(store, "u1") == 5


def test_a_provider_timeout_is_err_5001_and_refunded(api, store, provider, monkeypatch):
    from tests.jobs.fixtures import configure

    configure(monkeypatch, PROVIDER_TIMEOUT_SECONDS="0.05", PROVIDER_RETRIES="2")
    provider.delay_seconds = 0.3
    add_model(cost=2)
    fund("u1", 5)
    status, code, error = api.error("generate", _data("k1"), uid="u1")
    assert (status, code) == (504, "ERR_5001")
    assert "given back" in error["message"]  # it was charged, then refunded
    types = [e["type"] for e in ledger_of(store, "u1") if e["type"] != "credits_grant"]
    assert sorted(types) == ["credits_spend", "credits_spend_refund"]
    assert available(store, "u1") == 5
    # Three attempts, one key: the provider started one job, not three.
    assert len(provider.submits) == 3 and len({s["key"] for s in provider.submits}) == 1
    request_id = provider.only_request_id()

    # Its late webhook settles (nothing left to move: the job failed and was refunded).
    job_id = error["details"]["jobId"]
    hook = provider.requests[request_id].webhook
    assert hook.endswith(f"?jobId={job_id}")
    headers, body = webhook(request_id, urls=["https://cdn.test/late.png"])
    answer = api.http.post(f"/provider_webhook?jobId={job_id}", content=body, headers=headers)
    assert answer.status_code == 200, answer.text
    assert answer.json() == {"received": True, "job_id": job_id, "status": "failed", "moved": False}
    stored = store.get(job_path(job_id))
    assert (stored["status"], stored["providerRequestId"]) == ("failed", request_id)
    assert available(store, "u1") == 5


def test_a_provider_answering_after_the_timeout_makes_one_job(api, store, provider, monkeypatch):
    from tests.jobs.fixtures import configure

    configure(monkeypatch, PROVIDER_TIMEOUT_SECONDS="0.05", PROVIDER_RETRIES="2")
    provider.delay_seconds, provider.slow_submits = 0.3, 1  # accepts, answers late, once
    add_model(cost=2)
    fund("u1", 5)
    response = generate(api)
    assert response.status_code == 200, response.text
    job = response.json()["result"]
    # The retry answered the job the first attempt started.
    assert len(provider.submits) == 2
    request_id = provider.only_request_id()
    assert (job["status"], job["refunded"]) == ("queued", False)
    assert store.get(job_path(job["jobId"]))["providerRequestId"] == request_id
    assert available(store, "u1") == 3


def test_without_idempotent_submits_a_timeout_is_never_resubmitted(
    api, store, provider, monkeypatch
):
    from tests.jobs.fixtures import configure

    configure(
        monkeypatch,
        PROVIDER_TIMEOUT_SECONDS="0.05",
        PROVIDER_RETRIES="2",
        PROVIDER_IDEMPOTENT_SUBMITS="false",
    )
    provider.delay_seconds, provider.honours_keys = 0.3, False
    add_model(cost=2)
    fund("u1", 5)
    status, code, error = api.error("generate", _data("k1"), uid="u1")
    assert (status, code) == (504, "ERR_5001")
    assert len(provider.submits) == 1  # a retry would have started a second paid job
    request_id = provider.only_request_id()
    job_id = error["details"]["jobId"]
    headers, body = webhook(request_id, urls=["https://cdn.test/late.png"])
    answer = api.http.post(f"/provider_webhook?jobId={job_id}", content=body, headers=headers)
    assert answer.status_code == 200 and answer.json()["status"] == "failed"
    assert available(store, "u1") == 5


def test_a_webhook_naming_a_job_settles_it_before_the_submit_answers(api, store, provider):
    add_model(cost=2)
    fund("u1", 5)
    job = generate(api).json()["result"]
    request_id = provider.only_request_id()
    # As if our submit had not recorded the request id yet.
    store.update(job_path(job["jobId"]), {"providerRequestId": None, "status": "submitting"})
    headers, body = webhook(request_id, urls=["https://cdn.test/a.png"])
    answer = api.http.post(f"/provider_webhook?jobId={job['jobId']}", content=body, headers=headers)
    assert answer.status_code == 200, answer.text
    stored = store.get(job_path(job["jobId"]))
    assert (stored["status"], stored["providerRequestId"]) == ("completed", request_id)
    # A request the job does not own is not settled through it.
    other = webhook("someone-elses-request")
    response = api.http.post(
        f"/provider_webhook?jobId={job['jobId']}", content=other[1], headers=other[0]
    )
    assert response.status_code == 409


def test_generate_writes_no_idempotency_record(api, store, provider):
    add_model(cost=2)
    fund("u1", 5)
    first = generate(api)
    assert "Idempotent-Replayed" not in first.headers
    replay = generate(api)
    assert replay.json()["result"]["jobId"] == first.json()["result"]["jobId"]
    assert replay.headers["Idempotent-Replayed"] == "true"
    assert not [p for p in all_documents(store) if p.startswith("idempotency/")]


def test_twenty_concurrent_generates_with_one_key_make_one_job_and_one_charge(api, store, provider):
    add_model(cost=2)
    fund("u1", 10)
    with ThreadPoolExecutor(20) as pool:
        responses = list(pool.map(lambda _: generate(api, key="same"), range(20)))
    assert {r.status_code for r in responses} == {200}
    assert len({r.json()["result"]["jobId"] for r in responses}) == 1
    assert len(provider.submits) == 1
    assert available(store, "u1") == 8
    spends = [e for e in ledger_of(store, "u1") if e["type"] == "credits_spend"]
    assert len(spends) == 1
    assert len([p for p in all_documents(store) if p.startswith("generation_jobs/")]) == 1


def test_twenty_concurrent_generates_with_credits_for_five_make_five_jobs(api, store, provider):
    add_model(cost=2)
    fund("u1", 10)
    with ThreadPoolExecutor(20) as pool:
        responses = list(pool.map(lambda i: generate(api, key=f"k{i}"), range(20)))
    codes = sorted(
        "ok" if r.status_code == 200 else r.json()["error"]["details"]["code"] for r in responses
    )
    assert codes == ["ERR_4001"] * 15 + ["ok"] * 5
    assert available(store, "u1") == 0
    assert len(provider.submits) == 5
    jobs = [p for p in all_documents(store) if p.startswith("generation_jobs/")]
    assert len(jobs) == 5
    assert len([e for e in ledger_of(store, "u1") if e["type"] == "credits_spend"]) == 5


def test_the_same_key_with_another_prompt_is_refused(api, store, provider):
    add_model()
    fund("u1", 10)
    api.result("generate", _data("k1"), uid="u1")
    before = all_documents(store)
    assert api.error("generate", _data("k1", prompt="another"), uid="u1")[:2] == (409, "ERR_4017")
    assert all_documents(store) == before


def test_keys_belong_to_their_user(api, store, provider):
    add_model()
    fund("u1", 10)
    fund("u2", 10)
    first = api.result("generate", _data("k"), uid="u1")
    second = api.result("generate", _data("k"), uid="u2")
    assert first["jobId"] != second["jobId"]


def test_the_provider_sees_our_api_key(api, store, provider, monkeypatch):
    from tests.jobs.fixtures import configure

    configure(monkeypatch, PROVIDER_API_KEY="wrong")
    add_model()
    fund("u1", 10)
    assert api.error("generate", _data("k1"), uid="u1")[:2] == (400, "ERR_5003")
    assert available(store, "u1") == 10
    assert API_KEY != "wrong"


def test_the_user_document_is_the_only_wallet_written(api, store, provider):
    add_model(cost=2)
    fund("u1", 3)
    api.result("generate", _data("k1"), uid="u1")
    user = store.get(collections.user("u1"))
    assert user["wallet"]["credits"] == 1


def _data(key: str, prompt: str = "a red fox in snow", model: str = "flux-dev") -> dict:
    return {"modelId": model, "prompt": prompt, "idempotencyKey": key}
