"""The product catalog: which store product grants which add-ons, or how many credits.

It comes from configuration (`PURCHASE_PRODUCTS`, JSON), so the amount a purchase credits is
decided here and never by the app that reports the purchase. Products map to entitlements many
to many: `{"bundle.monthly": {"addOns": ["sync", "ai"], "tier": "bundle"}}` grants both, and
the same map serves Stripe prices (a price id listed here wins over its plan's add-ons).
"""

from functools import cache
from typing import Annotated

from pydantic import Field, TypeAdapter, ValidationError, model_validator

from shared.config import AppSettings, ConfigError, load
from shared.errors import AppError
from shared.models import WireModel

# Product id -> what it sells. Amounts and add-ons come from here, never from the client.
DEFAULT_PRODUCTS = (
    '{"sync.monthly": {"addOn": "sync", "tier": "monthly"},'
    ' "sync.yearly": {"addOn": "sync", "tier": "yearly"},'
    ' "ai.monthly": {"addOn": "ai", "tier": "standard"},'
    ' "ai.pro.monthly": {"addOn": "ai", "tier": "pro"},'
    ' "supporter.yearly": {"addOn": "supporter", "tier": "yearly"},'
    ' "supporter.lifetime": {"addOn": "supporter", "tier": "lifetime", "oneTime": true},'
    ' "credits.100": {"credits": 100},'
    ' "credits.500": {"credits": 550},'
    ' "credits.1200": {"credits": 1400}}'
)


class CatalogSettings(AppSettings):
    """PURCHASE_PRODUCTS alone: Stripe reads the catalog too, without the stores' secrets."""

    purchase_products: str = DEFAULT_PRODUCTS


ADD_ON = r"^[a-z][a-z0-9_]{0,39}$"


class Product(WireModel):
    """One sellable product: add-ons (with their tier) or a credit pack."""

    add_on: str | None = Field(default=None, pattern=ADD_ON)
    # Several add-ons (a bundle); `addOn` alone is the one-add-on short form.
    add_ons: list[Annotated[str, Field(pattern=ADD_ON)]] = Field(default_factory=list)
    tier: str | None = None
    credits: int | None = Field(default=None, gt=0)
    # A one-time add-on (e.g. lifetime) rather than an auto-renewing subscription.
    one_time: bool = False

    @model_validator(mode="after")
    def _one_kind(self) -> "Product":
        if self.add_on is not None and self.add_ons and self.add_on not in self.add_ons:
            raise ValueError("addOn must be one of addOns")
        if self.add_on is None and self.add_ons:
            self.add_on = self.add_ons[0]
        if (self.add_on is None) == (self.credits is None):
            raise ValueError("a product grants either an addOn or credits")
        if self.credits is not None and (self.tier or self.one_time):
            raise ValueError("a credit pack has no tier and is always one-time")
        return self

    @property
    def entitlements(self) -> list[str]:
        """Every add-on this product grants (empty for a credit pack)."""
        return list(dict.fromkeys(self.add_ons or ([self.add_on] if self.add_on else [])))

    @property
    def is_credit_pack(self) -> bool:
        return self.credits is not None

    @property
    def is_subscription(self) -> bool:
        return self.add_on is not None and not self.one_time


_CATALOG = TypeAdapter(dict[str, Product])


@cache
def parse_catalog(raw: str) -> dict[str, Product]:
    """The catalog from its JSON text (cached per text)."""
    return _CATALOG.validate_json(raw)


def catalog() -> dict[str, Product]:
    try:
        return parse_catalog(load(CatalogSettings).purchase_products)
    except ValidationError as e:
        problems = "; ".join(
            f"{'.'.join(map(str, err['loc']))}: {err['msg']}" for err in e.errors()
        )
        raise ConfigError(f"PURCHASE_PRODUCTS is invalid: {problems}") from None


def find_product(product_id: str) -> Product | None:
    return catalog().get(product_id)


def product(product_id: str) -> Product:
    """The catalog entry of `product_id`; ERR_4201 if this backend does not sell it."""
    found = find_product(product_id)
    if found is None:
        raise AppError("ERR_4201", productId=product_id)
    return found
