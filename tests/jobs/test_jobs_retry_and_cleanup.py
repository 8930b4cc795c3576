"""Transaction bodies survive being run twice (as Firestore may), and the cleanup job removes
expired counters and idempotency records, keeps live ones, and settles stuck submits."""

from datetime import timedelta

import pytest

from shared import idempotency, jobs, ledger, wiring
from shared.errors import AppError
from shared.jobs import Generate
from shared.jobs.cleanup import clean_up
from shared.jobs.lifecycle import job_path
from shared.jobs.models import Job, JobStatus
from shared.ledger import EntryType, NewEntry
from shared.store.sqlite import SqliteStore
from shared.web import ratelimit
from tests.jobs.fixtures import add_model, available, fund, ledger_of
from tests.jobs.provider import webhook
from tests.support.store import all_documents


@pytest.fixture
def rerun_store(tmp_path):
    """The SQLite store running every transaction body twice (the first run discarded)."""
    store = SqliteStore(str(tmp_path / "rerun.sqlite3"), rerun_transactions=True)
    wiring.use(store=store)
    return store


def test_generate_and_refund_bodies_are_rerun_safe(rerun_store, provider, clock):
    add_model(cost=2)
    fund("u1", 5)
    ok = jobs.generate(
        "u1", "1.1.1.1", Generate(model_id="flux-dev", prompt="a", idempotency_key="a")
    )
    provider.fail_next(400)
    with pytest.raises(AppError) as failed:
        jobs.generate(
            "u1", "1.1.1.1", Generate(model_id="flux-dev", prompt="b", idempotency_key="b")
        )
    assert failed.value.code == "ERR_5003"
    assert available(rerun_store, "u1") == 3
    assert [e["type"] for e in ledger_of(rerun_store, "u1")].count("credits_spend") == 2
    assert rerun_store.get(job_path(ok.job_id))["status"] == "queued"


def test_webhook_body_is_rerun_safe(rerun_store, api, provider, notifier):
    add_model(cost=2)
    fund("u1", 5)
    jobs.generate("u1", None, Generate(model_id="flux-dev", prompt="a", idempotency_key="a"))
    headers, body = webhook(provider.only_request_id(), ok=False)
    for _ in range(2):
        assert api.http.post("/provider_webhook", content=body, headers=headers).status_code == 200
    assert available(rerun_store, "u1") == 5
    assert (
        len([e for e in ledger_of(rerun_store, "u1") if e["type"] == "credits_spend_refund"]) == 1
    )
    assert len(notifier.sent) == 1


def remember(store, scope: str, key: str, now) -> None:
    store.transaction(lambda txn: idempotency.remember(txn, scope, key, "h", {"ok": 1}, now))


def test_cleanup_deletes_expired_records_only(store, clock, provider):
    remember(store, "s", "old", clock())
    store.transaction(
        lambda txn: ratelimit.reserve(txn, "generate", clock(), uid="u1", ip="1.2.3.4").write(txn)
    )
    clock.advance(hours=25)
    remember(store, "s", "new", clock())
    report = clean_up()
    assert (report.rate_limits, report.idempotency) == (2, 1)
    left = [p for p in _paths(store) if p.startswith(("idempotency/", "rate_limits/"))]
    assert left == [idempotency.record_path("s", "new")]
    assert clean_up().idempotency == 0


def test_cleanup_fails_and_refunds_a_stuck_submit(store, clock, provider):
    """A job left "submitting" (the function died after charging) is failed and refunded."""
    add_model(cost=2)
    fund("u1", 5)
    job = Job(
        id="jstuck",
        uid="u1",
        model_id="flux-dev",
        provider_model_id="fal-ai/flux/dev",
        prompt="p",
        cost=2,
        status=JobStatus.SUBMITTING,
        created_at=clock(),
        updated_at=clock(),
        request_hash="h",
    )
    spend = NewEntry(id="job_jstuck_spend", type=EntryType.CREDITS_SPEND, amount=2)

    def charge(txn):
        ledger.post_entries(txn, "u1", [spend], clock())
        txn.create(job_path("jstuck"), job.document())

    store.transaction(charge)
    assert clean_up().stale_jobs == 0  # not stale yet
    clock.advance(minutes=16)
    assert clean_up().stale_jobs == 1
    assert clean_up().stale_jobs == 0
    assert store.get(job_path("jstuck"))["status"] == "failed"
    assert available(store, "u1") == 5


def test_the_dev_server_runs_the_cleanup_job(api, store, clock):
    remember(store, "s", "k", clock() - timedelta(days=2))
    assert api.http.post("/__dev/run/cleanup_expired_records").status_code == 200
    assert [p for p in _paths(store) if p.startswith("idempotency/")] == []


def _paths(store) -> list[str]:
    return sorted(all_documents(store))
