"""job_status (owner only, refreshed from the provider while pending, throttled), job_history
(newest first, cursor pages), job_delete (owner only, finished jobs) and get_models (ETag)."""

import pytest

from shared.jobs.lifecycle import job_path
from tests.jobs.fixtures import add_model, available, configure, fund
from tests.support.store import all_documents


def start(api, uid="u1", key="k", prompt="a cat"):
    data = {"modelId": "flux-dev", "prompt": prompt, "idempotencyKey": key}
    return api.result("generate", data, uid=uid)


@pytest.fixture
def funded(store, provider, notifier, clock):
    add_model(cost=1)
    fund("u1", 50)


def test_status_refreshes_a_pending_job_from_the_provider(api, store, provider, funded, notifier):
    job = start(api)
    provider.finish(provider.only_request_id(), ["https://cdn.test/r.png"])
    view = api.result("job_status", {"jobId": job["jobId"]}, uid="u1")
    assert (view["status"], view["resultUrls"]) == ("completed", ["https://cdn.test/r.png"])
    assert [j.status for _, j in notifier.sent] == ["completed"]


def test_a_failure_seen_by_polling_is_refunded(api, store, provider, funded):
    job = start(api)
    provider.finish(provider.only_request_id(), error="content policy")
    view = api.result("job_status", {"jobId": job["jobId"]}, uid="u1")
    assert (view["status"], view["refunded"]) == ("failed", True)
    assert view["error"]["code"] == "ERR_5003"
    assert available(store, "u1") == 50


def test_polling_is_throttled(api, store, provider, funded, clock):
    job = start(api)
    for _ in range(5):
        assert api.result("job_status", {"jobId": job["jobId"]}, uid="u1")["status"] == "queued"
    assert provider.status_polls == 1
    clock.advance(seconds=10)
    api.result("job_status", {"jobId": job["jobId"]}, uid="u1")
    assert provider.status_polls == 2


def test_a_running_job_shows_running(api, store, provider, funded):
    job = start(api)
    provider.requests[provider.only_request_id()].status = "IN_PROGRESS"
    assert api.result("job_status", {"jobId": job["jobId"]}, uid="u1")["status"] == "running"


def test_someone_elses_job_is_not_found(api, store, provider, funded):
    job = start(api)
    assert api.error("job_status", {"jobId": job["jobId"]}, uid="u2")[:2] == (404, "ERR_4501")
    assert api.error("job_delete", {"jobId": job["jobId"]}, uid="u2")[:2] == (404, "ERR_4501")
    assert api.error("job_status", {"jobId": "nope"}, uid="u1")[:2] == (404, "ERR_4501")


def test_history_pages_newest_first(api, store, provider, funded, clock):
    ids = []
    for i in range(5):
        ids.append(start(api, key=f"k{i}", prompt=f"p{i}")["jobId"])
        clock.advance(seconds=1)
    fund("u2", 5)
    start(api, uid="u2", key="x")  # another user's job is not in u1's history
    first = api.result("job_history", {"limit": 2}, uid="u1")
    assert [j["jobId"] for j in first["jobs"]] == ids[::-1][:2]
    second = api.result("job_history", {"limit": 2, "cursor": first["nextCursor"]}, uid="u1")
    third = api.result("job_history", {"limit": 2, "cursor": second["nextCursor"]}, uid="u1")
    seen = [j["jobId"] for page in (first, second, third) for j in page["jobs"]]
    assert seen == ids[::-1]
    assert third["nextCursor"] is None


def test_a_bad_cursor_is_refused(api, store, provider, funded):
    assert api.error("job_history", {"cursor": "garbage!"}, uid="u1")[:2] == (400, "ERR_4510")


def test_delete_waits_for_the_job_to_finish_then_hides_it(api, store, provider, funded):
    job = start(api, prompt="secret prompt")
    before = all_documents(store)
    assert api.error("job_delete", {"jobId": job["jobId"]}, uid="u1")[:2] == (400, "ERR_4507")
    assert all_documents(store) == before
    provider.finish(provider.only_request_id(), ["https://cdn.test/x.png"])
    api.result("job_status", {"jobId": job["jobId"]}, uid="u1")
    assert api.result("job_delete", {"jobId": job["jobId"]}, uid="u1") == {
        "jobId": job["jobId"],
        "deleted": True,
    }
    assert api.result("job_delete", {"jobId": job["jobId"]}, uid="u1")["deleted"] is True
    stored = store.get(job_path(job["jobId"]))
    assert (stored["prompt"], stored["resultUrls"], stored["deleted"]) == ("", [], True)
    assert api.result("job_history", {}, uid="u1")["jobs"] == []
    assert api.error("job_status", {"jobId": job["jobId"]}, uid="u1")[:2] == (404, "ERR_4501")


def test_models_answer_an_etag_and_not_modified(api, store):
    add_model("flux-dev", cost=2, name="Flux Dev")
    add_model("sdxl", cost=1, name="SDXL", featured=True)
    add_model("old", cost=1, available=False)
    first = api.result("get_models", {}, uid="u1")
    assert [m["modelId"] for m in first["models"]] == ["sdxl", "flux-dev"]
    assert first["models"][0] == {
        "modelId": "sdxl",
        "name": "SDXL",
        "cost": 1,
        "provider": "fal",
        "featured": True,
    }
    same = api.result("get_models", {"ifNoneMatch": first["etag"]}, uid="u1")
    assert same == {"etag": first["etag"], "notModified": True, "models": None}
    by_header = api.result("get_models", {}, uid="u1", headers={"If-None-Match": first["etag"]})
    assert by_header["notModified"] is True
    add_model("flux-dev", cost=3, name="Flux Dev")
    changed = api.result("get_models", {"ifNoneMatch": first["etag"]}, uid="u1")
    assert changed["notModified"] is False and changed["etag"] != first["etag"]


def test_rate_limit_per_uid_carries_retry_after(api, store, provider, funded, clock, monkeypatch):
    configure(monkeypatch, RATE_LIMITS='{"generate": {"uid": 2, "windowSeconds": 60}}')
    # The clock starts on a full minute, so the window has all its 60 s left.
    start(api, key="a")
    start(api, key="b")
    before = all_documents(store)
    status, code, error = api.error(
        "generate", {"modelId": "flux-dev", "prompt": "c", "idempotencyKey": "c"}, uid="u1"
    )
    assert (status, code, error["details"]["seconds"]) == (429, "ERR_4004", 60)
    assert error["status"] == "RESOURCE_EXHAUSTED"
    assert all_documents(store) == before
    clock.advance(seconds=60)
    start(api, key="c")


def test_rate_limit_per_ip(api, store, provider, funded, monkeypatch):
    configure(monkeypatch, RATE_LIMITS='{"generate": {"ip": 2, "windowSeconds": 3600}}')
    fund("u2", 10)
    start(api, uid="u1", key="a")
    start(api, uid="u2", key="b")
    data = {"modelId": "flux-dev", "prompt": "c", "idempotencyKey": "c"}
    assert api.error("generate", data, uid="u1")[:2] == (429, "ERR_4004")


def test_a_replay_does_not_spend_a_rate_limit_slot(api, store, provider, funded, monkeypatch):
    configure(monkeypatch, RATE_LIMITS='{"generate": {"uid": 1}}')
    for _ in range(3):
        start(api, key="same")


def test_the_client_ip_is_the_last_forwarded_address(api, store, provider, funded, monkeypatch):
    configure(monkeypatch, RATE_LIMITS='{"generate": {"ip": 1, "windowSeconds": 3600}}')
    fund("u2", 5)

    def from_ip(uid: str, key: str, forwarded: str):
        data = {"modelId": "flux-dev", "prompt": "c", "idempotencyKey": key}
        return api.call("generate", data, uid=uid, headers={"X-Forwarded-For": forwarded})

    assert from_ip("u1", "a", "9.9.9.9, 1.1.1.1").status_code == 200
    assert from_ip("u2", "b", "2.2.2.2").status_code == 200
    # A client cannot pick its address by prepending one: the front end's entry is last.
    refused = from_ip("u2", "c", "3.3.3.3, 1.1.1.1")
    assert refused.json()["error"]["details"]["code"] == "ERR_4004"
