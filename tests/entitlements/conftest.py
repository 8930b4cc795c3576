"""Entitlement fixtures: the App Store and Play stand-ins and settings of tests/purchases, the
Stripe stand-in (localstripe) of tests/stripe, a clock near real time (Stripe's timestamps are
real) and a recording claims publisher."""

from datetime import UTC, datetime

import pytest

from shared import wiring
from tests.purchases.conftest import purchase_settings, stores  # noqa: F401 - fixtures
from tests.stripe.conftest import (  # noqa: F401 - fixtures
    localstripe_url,
    standin,
    stripe,
    stripe_env,
    stripe_session,
)
from tests.support.clock import FakeClock


class RecordingPublisher:
    """A ClaimsPublisher that remembers every claim it was asked to set."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, list[str]]] = []
        self.fail = False

    def publish(self, uid: str, entitlements: list[str]) -> None:
        if self.fail:
            raise RuntimeError("firebase auth is down")
        self.calls.append((uid, list(entitlements)))

    def of(self, uid: str) -> list[list[str]]:
        return [claim for who, claim in self.calls if who == uid]


@pytest.fixture
def clock(app_env: None) -> FakeClock:
    fake = FakeClock(datetime.now(UTC).replace(microsecond=0))
    wiring.use(clock=fake)
    return fake


@pytest.fixture(autouse=True)
def claims(app_env: None) -> RecordingPublisher:
    recording = RecordingPublisher()
    wiring.use(claims_publisher=recording)
    return recording
