"""Stripe settings: keys, the credit-pack catalog, subscription plans and backfill pacing."""

import logging
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, SecretStr
from pydantic.alias_generators import to_camel

from shared import config, log
from shared.config import AppSettings
from shared.errors import AppError

Interval = Literal["month", "year"]


class _Config(BaseModel):
    # camelCase in the JSON variables, as the rest of the wire.
    model_config = ConfigDict(alias_generator=to_camel, populate_by_name=True, extra="forbid")


class CreditPack(_Config):
    """A pack sold for a fixed price; the price is checked again when the payment succeeds."""

    credits: int = Field(gt=0)
    amount: int = Field(gt=0, description="in the currency's minor unit (cents)")
    currency: str = "usd"


class Plan(_Config):
    """A subscription tier: the add-ons it grants and its Stripe price per interval."""

    add_ons: list[str]
    prices: dict[Interval, str] = Field(default_factory=dict)
    trial_days: int = 0


DEFAULT_PACKS = {
    "starter": CreditPack(credits=500, amount=599),
    "standard": CreditPack(credits=1000, amount=999),
    "value": CreditPack(credits=2500, amount=1999),
    "premium": CreditPack(credits=5000, amount=3499),
}
DEFAULT_PLANS = {
    "individual": Plan(
        add_ons=["sync"],
        prices={"month": "price_individual_monthly", "year": "price_individual_yearly"},
        trial_days=14,
    )
}


class StripeSettings(AppSettings):
    """See the Stripe section of .env.example."""

    stripe_secret_key: SecretStr
    stripe_webhook_secret: SecretStr
    # Test mode beside live mode: events with livemode false are verified with the test
    # webhook secret and fetched back with the test key (both optional).
    stripe_test_secret_key: SecretStr | None = None
    stripe_test_webhook_secret: SecretStr | None = None
    stripe_publishable_key: str = ""
    stripe_api_base: str = "https://api.stripe.com"
    stripe_max_network_retries: int = Field(default=2, ge=0, le=10)
    stripe_webhook_tolerance_seconds: int = 300
    stripe_credit_packs: dict[str, CreditPack] = DEFAULT_PACKS
    stripe_plans: dict[str, Plan] = DEFAULT_PLANS
    stripe_payment_method_types: tuple[str, ...] = ("card",)
    stripe_checkout_success_url: str = "https://example.com/billing/success"
    stripe_checkout_cancel_url: str = "https://example.com/billing/cancel"
    stripe_portal_return_url: str = "https://example.com/billing"
    stripe_backfill_publisher: Literal["local", "pubsub"] = "local"
    stripe_backfill_slice_seconds: float = 240.0
    stripe_backfill_slice_pages: int = Field(default=500, ge=1)

    def pack(self, pack_id: str) -> CreditPack:
        if pack_id not in self.stripe_credit_packs:
            raise AppError("ERR_4300", packId=pack_id)
        return self.stripe_credit_packs[pack_id]

    def price_of(self, plan: str, interval: Interval) -> tuple[Plan, str]:
        found = self.stripe_plans.get(plan)
        if found is None or not found.prices.get(interval):
            raise AppError("ERR_4301", plan=plan, interval=interval)
        return found, found.prices[interval]

    def plan_of_price(self, price_id: str | None) -> tuple[str, Plan] | None:
        for name, plan in self.stripe_plans.items():
            if price_id in plan.prices.values():
                return name, plan
        return None


def settings() -> StripeSettings:
    """The Stripe settings; ERR_6003 (logged with the variable's name) if one is missing."""
    try:
        return config.load(StripeSettings)
    except config.ConfigError as e:
        log.event("stripe settings invalid", logging.ERROR, problem=str(e))
        raise AppError("ERR_6003") from None
