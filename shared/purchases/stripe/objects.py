"""Stripe's objects as we read them: field names as on Stripe's wire, unknown fields ignored.

Statuses stay plain strings so a status Stripe adds later survives (mapped where it matters).
A reference that may arrive expanded (`customer` as an object) is reduced to its id. Older API
versions (localstripe speaks 2017's) keep the period on the subscription and the plan on the
item; newer ones keep the period on the item and a price: both are read.
"""

from datetime import UTC, datetime
from typing import Annotated, Any

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field

from shared.models import DocumentId


def _id_of(value: Any) -> Any:
    return value.get("id") if isinstance(value, dict) else value


Ref = Annotated[str | None, BeforeValidator(_id_of)]


def timestamp(seconds: int | None) -> datetime | None:
    return datetime.fromtimestamp(seconds, UTC) if seconds is not None else None


class StripeModel(BaseModel):
    model_config = ConfigDict(extra="ignore")


class StripeEvent(StripeModel):
    id: DocumentId  # stripe_events/{id}
    type: str
    created: int
    livemode: bool = False
    api_version: str | None = None
    data: dict[str, Any]

    @property
    def object(self) -> dict[str, Any]:
        return self.data.get("object") or {}

    @property
    def object_id(self) -> str | None:
        return self.object.get("id")


class PaymentIntent(StripeModel):
    id: str
    amount: int
    currency: str
    status: str
    customer: Ref = None
    metadata: dict[str, str] = Field(default_factory=dict)
    created: int | None = None
    latest_charge: Ref = None
    last_payment_error: dict[str, Any] | None = None
    cancellation_reason: str | None = None


class Charge(StripeModel):
    id: str
    amount: int
    amount_refunded: int = 0
    currency: str
    payment_intent: Ref = None
    customer: Ref = None


class Dispute(StripeModel):
    id: str
    amount: int
    charge: Ref = None
    payment_intent: Ref = None
    status: str | None = None


class CheckoutSession(StripeModel):
    id: str
    mode: str
    customer: Ref = None
    subscription: Ref = None
    payment_intent: Ref = None
    client_reference_id: str | None = None
    metadata: dict[str, str] = Field(default_factory=dict)
    status: str | None = None
    payment_status: str | None = None
    url: str | None = None


class _Item(StripeModel):
    price: dict[str, Any] | None = None
    plan: dict[str, Any] | None = None
    current_period_start: int | None = None
    current_period_end: int | None = None

    @property
    def price_id(self) -> str | None:
        return _id_of(self.price or self.plan)

    @property
    def product_id(self) -> str | None:
        return _id_of((self.price or self.plan or {}).get("product"))

    @property
    def interval(self) -> str | None:
        if self.price:
            return (self.price.get("recurring") or {}).get("interval")
        return (self.plan or {}).get("interval")


class _Items(StripeModel):
    data: list[_Item] = Field(default_factory=list)


class Subscription(StripeModel):
    id: str
    status: str
    customer: Ref = None
    created: int | None = None
    metadata: dict[str, str] = Field(default_factory=dict)
    items: _Items = Field(default_factory=_Items)
    cancel_at_period_end: bool = False
    canceled_at: int | None = None
    ended_at: int | None = None
    trial_start: int | None = None
    trial_end: int | None = None
    current_period_start: int | None = None
    current_period_end: int | None = None
    livemode: bool = False
    pause_collection: dict[str, Any] | None = None

    @property
    def item(self) -> _Item:
        return self.items.data[0] if self.items.data else _Item()

    @property
    def period_end(self) -> int | None:
        return self.item.current_period_end or self.current_period_end

    @property
    def period_start(self) -> int | None:
        return self.item.current_period_start or self.current_period_start


class Invoice(StripeModel):
    id: str
    status: str | None = None
    customer: Ref = None
    subscription: Ref = None
    parent: dict[str, Any] | None = None
    amount_due: int = 0
    amount_paid: int = 0
    currency: str | None = None
    created: int | None = None
    period_start: int | None = None
    period_end: int | None = None
    hosted_invoice_url: str | None = None
    status_transitions: dict[str, int | None] = Field(default_factory=dict)

    @property
    def subscription_id(self) -> str | None:
        details = (self.parent or {}).get("subscription_details") or {}
        return _id_of(details.get("subscription")) or self.subscription


class Customer(StripeModel):
    id: str
    email: str | None = None
    name: str | None = None
    created: int | None = None
    metadata: dict[str, str] = Field(default_factory=dict)
    livemode: bool = False
    deleted: bool = False


class Product(StripeModel):
    id: str
    name: str | None = None
    description: str | None = None
    active: bool = True
    images: list[str] = Field(default_factory=list)
    metadata: dict[str, str] = Field(default_factory=dict)
    created: int | None = None


class Price(StripeModel):
    id: str
    product: Ref = None
    active: bool = True
    currency: str | None = None
    unit_amount: int | None = None
    type: str | None = None
    recurring: dict[str, Any] | None = None
    nickname: str | None = None
    metadata: dict[str, str] = Field(default_factory=dict)
    created: int | None = None
