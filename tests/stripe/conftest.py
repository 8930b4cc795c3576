"""Stripe fixtures: localstripe (a stateful fake Stripe server) as a subprocess for the session,
the stand-in in front of it for what it lacks, and settings pointing the backend at them."""

from collections.abc import Iterator

import pytest

from shared import config, wiring
from shared.purchases.stripe.publisher import LocalPublisher
from tests.stripe.helpers import SECRET_KEY, WEBHOOK_SECRET, StripeHelper, plans_setting
from tests.stripe.standin import StripeStandIn
from tests.support.localstripe import run_localstripe
from tests.support.servers import serve_wsgi


@pytest.fixture(scope="session")
def localstripe_url() -> Iterator[str]:
    with run_localstripe(SECRET_KEY) as url:
        yield url


@pytest.fixture(scope="session")
def standin(localstripe_url: str) -> Iterator[StripeStandIn]:
    app = StripeStandIn(localstripe_url)
    with serve_wsgi(app) as url:
        app.base_url = url
        yield app


@pytest.fixture(scope="session")
def stripe_session(localstripe_url: str, standin: StripeStandIn) -> StripeHelper:
    helper = StripeHelper(localstripe_url, standin)
    helper.seed_catalog()
    return helper


@pytest.fixture(autouse=True)
def stripe_env(
    monkeypatch: pytest.MonkeyPatch, stripe_session: StripeHelper, app_env: None
) -> Iterator[StripeHelper]:
    """Each test: settings pointing at the stand-in, a fresh stand-in state, and the local
    publisher delivering to the backfill's event function in this process."""
    from functions.billing import stripe_backfill_continue

    monkeypatch.setenv("STRIPE_SECRET_KEY", SECRET_KEY)
    monkeypatch.setenv("STRIPE_WEBHOOK_SECRET", WEBHOOK_SECRET)
    monkeypatch.setenv("STRIPE_PUBLISHABLE_KEY", "pk_test_local")
    monkeypatch.setenv("STRIPE_API_BASE", stripe_session.standin.base_url)
    monkeypatch.setenv("STRIPE_MAX_NETWORK_RETRIES", "0")
    monkeypatch.setenv("STRIPE_PLANS", plans_setting())
    monkeypatch.setenv("STRIPE_BACKFILL_SLICE_PAGES", "5")
    config.reset()
    stripe_session.standin.reset()
    stripe_session.seed_catalog()
    wiring.use(
        stripe_publisher=LocalPublisher({"stripe_backfill_continue": stripe_backfill_continue})
    )
    yield stripe_session


@pytest.fixture
def stripe(stripe_env: StripeHelper) -> StripeHelper:
    return stripe_env
