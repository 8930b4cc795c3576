"""Account tests use the App Store and Play stand-ins and Stripe (localstripe + stand-in)."""

from tests.purchases.conftest import purchase_settings, stores  # noqa: F401
from tests.stripe.conftest import (  # noqa: F401
    localstripe_url,
    standin,
    stripe,
    stripe_env,
    stripe_session,
)
