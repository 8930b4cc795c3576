"""Generation scenarios against a local fal-style provider: generate (latency, jobs per second,
store reads and writes per job), a replay of the same key, the completing webhook, job_status
and job_history."""

from bench.harness import Bench, scenario
from shared import ledger, wiring
from shared.jobs import catalog
from shared.jobs.models import Model
from shared.ledger import EntryType, NewEntry
from tests.jobs.provider import API_KEY, WEBHOOK_SECRET, FakeProvider, webhook
from tests.support.servers import serve_wsgi

USERS = 16


def _seed(bench: Bench) -> None:
    store = bench.store
    model = Model(id="flux-dev", name="Flux", cost=1, provider_model_id="fal-ai/flux/dev")
    store.transaction(lambda txn: catalog.put_model(txn, model, wiring.now()))
    for n in range(USERS):
        grant = NewEntry(id=f"bench_grant_{n}", type=EntryType.CREDITS_GRANT, amount=1_000_000)
        store.transaction(
            lambda txn, g=grant, n=n: ledger.post_entries(txn, f"gen-{n}", [g], wiring.now())
        )


@scenario("generate")
def run(bench: Bench) -> None:
    """generate with the provider answering at once; then webhooks, status and history."""
    provider = FakeProvider()
    with serve_wsgi(provider) as url:
        bench.configure(
            provider_base_url=url,
            provider_api_key=API_KEY,
            provider_webhook_secret=WEBHOOK_SECRET,
            provider_webhook_url="http://127.0.0.1/provider_webhook",
            job_notifier="log",
            rate_limits='{"generate": {"uid": 1000000, "ip": 1000000}}',
        )
        _seed(bench)
        tokens = [bench.api.token(f"gen-{n}") for n in range(USERS)]
        jobs: list[tuple[str, str]] = []  # (job id, its owner's token)

        def generate(i: int, key: str | None = None) -> None:
            data = {
                "modelId": "flux-dev",
                "prompt": f"a fox #{i}",
                "idempotencyKey": key or f"k{i}",
            }
            job = bench.api.result("generate", data, token=tokens[i % USERS])
            jobs.append((job["jobId"], tokens[i % USERS]))

        bench.measure("generate (1 client)", 1, 200, lambda i: generate(i, f"solo{i}"))
        bench.measure("generate (16 clients)", 16, 800, generate)
        bench.measure("generate replay (same key)", 16, 400, lambda i: generate(i % 16))

        request_ids = list(provider.requests)

        def complete(i: int) -> None:
            headers, body = webhook(request_ids[i], urls=[f"https://cdn.test/{i}.png"])
            response = bench.api.http.post("/provider_webhook", content=body, headers=headers)
            response.raise_for_status()

        bench.measure("provider_webhook (completed)", 16, min(800, len(request_ids)), complete)
        bench.measure(
            "job_status",
            16,
            800,
            lambda i: bench.api.result("job_status", {"jobId": jobs[i][0]}, token=jobs[i][1]),
            minimum=(1, 0),  # the job
        )
        bench.measure(
            "job_history (20 per page)",
            16,
            400,
            lambda i: bench.api.result("job_history", {"limit": 20}, token=tokens[i % USERS]),
            minimum=(21, 0),  # a page of 20 and one look-ahead job
        )
