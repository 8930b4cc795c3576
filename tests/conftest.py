"""Fixtures every test area uses: a fresh SQLite store per test, signed ID tokens, and the
dev server (all functions of main.py) on a real local port."""

import os
import uuid
from collections.abc import Iterator

import pytest

from shared import wiring
from shared.dev.server import create_app
from shared.store import Store
from tests.support.api import Api
from tests.support.app_check import PROJECT_NUMBER, AppCheckSigner
from tests.support.auth_emulator import auth_emulator  # noqa: F401  (a session fixture)
from tests.support.clock import FakeClock
from tests.support.servers import serve_wsgi
from tests.support.tokens import PROJECT_ID, TokenSigner, new_signer

# The official Firestore emulator serializes contended transactions: a contender waits for the
# document's lock and is aborted after about 2 s ("Transaction lock timeout") instead of at
# once, so with 10 to 30 threads on one document some give up with Contention after their 5
# attempts (measured: 24 s for the 20 concurrent resolves, many minutes for the 8 sync pushers),
# where these tests expect every thread to finish (firebase-tools#6758). They keep their full
# force on SQLite; on the emulator the store conformance suite checks that contention loses no
# committed write.
MANY_THREADS_ON_THE_EMULATOR = (
    "TEST_STORE=firestore: the Firestore emulator aborts contended transactions after ~2 s "
    "lock waits, so many-thread contention tests end in Contention there (they run on SQLite)"
)


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if os.environ.get("TEST_STORE") != "firestore":
        return
    if not os.environ.get("FIRESTORE_EMULATOR_HOST"):
        raise pytest.UsageError("TEST_STORE=firestore needs FIRESTORE_EMULATOR_HOST (./dev test)")
    for item in items:
        if item.get_closest_marker("many_threads"):
            item.add_marker(pytest.mark.skip(reason=MANY_THREADS_ON_THE_EMULATOR))


@pytest.fixture(scope="session")
def signer() -> TokenSigner:
    return new_signer()


@pytest.fixture(scope="session")
def certs_url(signer: TokenSigner) -> Iterator[str]:
    with serve_wsgi(signer.cert_app()) as url:
        yield f"{url}/robot/v1/metadata/x509/securetoken@system.gserviceaccount.com"


@pytest.fixture(autouse=True)
def app_env(monkeypatch: pytest.MonkeyPatch, tmp_path, certs_url: str) -> Iterator[None]:
    """Each test gets its own settings and SQLite file, and nothing built survives it."""
    monkeypatch.setenv("APP_ENV", "test")
    monkeypatch.setenv("FIREBASE_PROJECT_ID", PROJECT_ID)
    monkeypatch.setenv("STORE_BACKEND", "sqlite")
    monkeypatch.setenv("SQLITE_PATH", str(tmp_path / "store.sqlite3"))
    monkeypatch.setenv("AUTH_CERTS_URL", certs_url)
    wiring.reset()
    if os.environ.get("TEST_STORE") == "firestore":
        # The same tests on the Firestore adapter against the emulator at
        # FIRESTORE_EMULATOR_HOST: one emulator project, so a fresh database, per test.
        from shared.store.firestore import FirestoreStore

        wiring.use(store=FirestoreStore(project=f"demo-{uuid.uuid4().hex[:12]}"))
    yield
    wiring.reset()


@pytest.fixture
def store() -> Store:
    return wiring.store()


@pytest.fixture
def clock() -> FakeClock:
    fake = FakeClock()
    wiring.use(clock=fake)
    return fake


@pytest.fixture(scope="session")
def server_url() -> Iterator[str]:
    """The dev server app (every function of main.py) on a real port, for the whole session.

    Handlers build their dependencies through `shared.wiring` on each request, so each test's
    fresh store and settings apply.
    """
    with serve_wsgi(create_app()) as url:
        yield url


@pytest.fixture
def api(server_url: str, signer: TokenSigner) -> Iterator[Api]:
    client = Api(server_url, signer)
    yield client
    client.http.close()


@pytest.fixture(scope="session")
def app_check_signer() -> AppCheckSigner:
    return AppCheckSigner()


@pytest.fixture(scope="session")
def app_check_jwks_url(app_check_signer: AppCheckSigner) -> Iterator[str]:
    with serve_wsgi(app_check_signer.jwks_app()) as url:
        yield f"{url}/v1/jwks"


@pytest.fixture
def app_check(
    monkeypatch: pytest.MonkeyPatch, app_check_signer: AppCheckSigner, app_check_jwks_url: str
) -> AppCheckSigner:
    """App Check verified against the local JWKS (enforcement is left to each test)."""
    monkeypatch.setenv("APP_CHECK_JWKS_URL", app_check_jwks_url)
    monkeypatch.setenv("APP_CHECK_PROJECT_NUMBER", PROJECT_NUMBER)
    return app_check_signer
