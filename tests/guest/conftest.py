from collections.abc import Iterator

import pytest

from tests.guest.apple import KEY_ID, TEAM_ID, FakeDeviceCheck, new_p8_key
from tests.jobs.fixtures import configure, notifier, provider, provider_server  # noqa: F401
from tests.support.servers import serve_wsgi


@pytest.fixture(scope="session")
def apple_server() -> Iterator[tuple[FakeDeviceCheck, str]]:
    fake = FakeDeviceCheck(public_key=None)
    with serve_wsgi(fake) as url:
        yield fake, url


@pytest.fixture
def apple(monkeypatch, apple_server) -> FakeDeviceCheck:
    """DeviceCheck on a local port, trusting a fresh key that the settings sign with."""
    fake, url = apple_server
    pem, public_key = new_p8_key()
    fake.reset(public_key)
    fake.private_pem = pem
    configure(
        monkeypatch,
        DEVICECHECK_BASE_URL=url,
        DEVICECHECK_KEY_ID=KEY_ID,
        DEVICECHECK_TEAM_ID=TEAM_ID,
        DEVICECHECK_PRIVATE_KEY=pem,
        DEVICECHECK_RETRY_INITIAL_SECONDS="0.001",
    )
    return fake
