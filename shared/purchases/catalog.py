"""The product catalog: which store product grants which add-on, or how many credits.

It comes from configuration (`PURCHASE_PRODUCTS`, JSON), so the amount a purchase credits is
decided here and never by the app that reports the purchase.
"""

from functools import cache

from pydantic import Field, TypeAdapter, ValidationError, model_validator

from shared.config import ConfigError
from shared.errors import AppError
from shared.models import WireModel
from shared.purchases.settings import settings


class Product(WireModel):
    """One sellable product: an add-on (with its tier) or a credit pack."""

    add_on: str | None = Field(default=None, pattern=r"^[a-z][a-z0-9_]{0,39}$")
    tier: str | None = None
    credits: int | None = Field(default=None, gt=0)
    # A one-time add-on (e.g. lifetime) rather than an auto-renewing subscription.
    one_time: bool = False

    @model_validator(mode="after")
    def _one_kind(self) -> "Product":
        if (self.add_on is None) == (self.credits is None):
            raise ValueError("a product grants either an addOn or credits")
        if self.credits is not None and (self.tier or self.one_time):
            raise ValueError("a credit pack has no tier and is always one-time")
        return self

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
        return parse_catalog(settings().purchase_products)
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
