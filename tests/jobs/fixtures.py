"""Fixtures and helpers of the jobs, guest and admin tests: a local provider, a recording
notifier, models and funded users. Imported by each area's conftest."""

import threading
from collections.abc import Iterator
from dataclasses import dataclass, field

import pytest

from shared import config, ledger, wiring
from shared.jobs import catalog
from shared.jobs.models import JobView, Model
from shared.ledger import EntryType, NewEntry
from shared.store import Store
from tests.jobs.provider import API_KEY, WEBHOOK_SECRET, FakeProvider
from tests.support.servers import serve_wsgi

ANONYMOUS = {"firebase": {"identities": {}, "sign_in_provider": "anonymous"}}
APPLE = {"firebase": {"identities": {}, "sign_in_provider": "apple.com"}}
ADMIN = {"admin": True}


@dataclass
class RecordingNotifier:
    """The Notifier protocol, recording instead of sending."""

    sent: list[tuple[str, JobView]] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def job_finished(self, uid: str, job: JobView) -> None:
        with self.lock:
            self.sent.append((uid, job))


@pytest.fixture(scope="session")
def provider_server() -> Iterator[tuple[FakeProvider, str]]:
    # One server for the session (stopping one costs half a second); state reset per test.
    fake = FakeProvider()
    with serve_wsgi(fake) as url:
        yield fake, url


@pytest.fixture
def provider(
    monkeypatch: pytest.MonkeyPatch, provider_server: tuple[FakeProvider, str]
) -> FakeProvider:
    """A fal-style provider on a local port; the settings point at it, with tiny backoffs."""
    fake, url = provider_server
    fake.reset()
    configure(
        monkeypatch,
        PROVIDER_BASE_URL=url,
        PROVIDER_API_KEY=API_KEY,
        PROVIDER_WEBHOOK_SECRET=WEBHOOK_SECRET,
        PROVIDER_WEBHOOK_URL="https://example.test/provider_webhook",
        PROVIDER_RETRY_INITIAL_SECONDS="0.001",
        PROVIDER_RETRY_MAX_SECONDS="0.01",
        PROVIDER_RETRY_JITTER_SECONDS="0.001",
        PROVIDER_TIMEOUT_SECONDS="5",
    )
    return fake


@pytest.fixture
def notifier() -> RecordingNotifier:
    recording = RecordingNotifier()
    wiring.use(notifier=recording)
    return recording


def configure(monkeypatch: pytest.MonkeyPatch, **settings: str) -> None:
    for name, value in settings.items():
        monkeypatch.setenv(name.upper(), value)
    config.reset()


def add_model(
    model_id: str = "flux-dev",
    cost: int = 2,
    available: bool = True,
    provider_model_id: str = "fal-ai/flux/dev",
    featured: bool = False,
    name: str | None = None,
    allowed_options: tuple[str, ...] = ("image_size",),
) -> Model:
    model = Model(
        id=model_id,
        name=name or model_id.title(),
        cost=cost,
        provider_model_id=provider_model_id,
        available=available,
        featured=featured,
        allowed_options=list(allowed_options),
    )
    now = wiring.now()
    return wiring.store().transaction(lambda txn: catalog.put_model(txn, model, now))


def fund(uid: str, amount: int, entry_id: str | None = None) -> None:
    entry = NewEntry(
        id=entry_id or f"test_fund_{uid}_{amount}", type=EntryType.CREDITS_GRANT, amount=amount
    )
    now = wiring.now()
    wiring.store().transaction(lambda txn: ledger.post_entries(txn, uid, [entry], now))


def available(store: Store, uid: str) -> int:
    return ledger.get_wallet(store, uid).available


def ledger_of(store: Store, uid: str) -> list[dict]:
    from shared import collections
    from shared.store import query

    docs = store.query(query(collections.LEDGER, [("uid", "==", uid)]))
    return sorted(({**d.data, "id": d.id} for d in docs), key=lambda e: e["id"])
