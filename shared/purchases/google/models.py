"""Google Play's wire formats (androidpublisher v3 and real-time developer notifications).

Field names match the wire; unknown fields are ignored and enum-like values kept as strings,
because Google adds both over time.
"""

from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict
from pydantic.alias_generators import to_camel


class PlayModel(BaseModel):
    model_config = ConfigDict(alias_generator=to_camel, populate_by_name=True, extra="ignore")


class AutoRenewingPlan(PlayModel):
    auto_renew_enabled: bool = False


class SubscriptionLineItem(PlayModel):
    product_id: str
    expiry_time: datetime | None = None
    auto_renewing_plan: AutoRenewingPlan | None = None
    prepaid_plan: dict[str, Any] | None = None
    latest_successful_order_id: str | None = None


class ExternalAccountIdentifiers(PlayModel):
    obfuscated_external_account_id: str | None = None
    obfuscated_external_profile_id: str | None = None


class SubscriptionPurchaseV2(PlayModel):
    """purchases.subscriptionsv2.get."""

    kind: str | None = None
    line_items: list[SubscriptionLineItem] = []
    start_time: datetime | None = None
    subscription_state: str = "SUBSCRIPTION_STATE_UNSPECIFIED"
    latest_order_id: str | None = None
    linked_purchase_token: str | None = None
    acknowledgement_state: str | None = None
    external_account_identifiers: ExternalAccountIdentifiers | None = None
    test_purchase: dict[str, Any] | None = None


class ProductPurchase(PlayModel):
    """purchases.products.get (int64 values arrive as strings)."""

    kind: str | None = None
    purchase_time_millis: int | None = None
    purchase_state: int | None = None  # 0 purchased, 1 canceled, 2 pending
    consumption_state: int | None = None
    order_id: str | None = None
    purchase_type: int | None = None  # absent for real purchases; 0 test
    acknowledgement_state: int | None = None  # 0 pending, 1 acknowledged
    quantity: int | None = None
    obfuscated_external_account_id: str | None = None
    region_code: str | None = None


class SubscriptionNotification(PlayModel):
    version: str | None = None
    notification_type: int
    purchase_token: str
    subscription_id: str | None = None


class OneTimeProductNotification(PlayModel):
    version: str | None = None
    notification_type: int
    purchase_token: str
    sku: str


class VoidedPurchaseNotification(PlayModel):
    purchase_token: str
    order_id: str | None = None
    product_type: int  # 1 subscription, 2 one-time
    refund_type: int | None = None


class DeveloperNotification(PlayModel):
    """The JSON inside a Pub/Sub message from Google Play."""

    version: str | None = None
    package_name: str
    event_time_millis: int | None = None
    subscription_notification: SubscriptionNotification | None = None
    one_time_product_notification: OneTimeProductNotification | None = None
    voided_purchase_notification: VoidedPurchaseNotification | None = None
    test_notification: dict[str, Any] | None = None


class PushMessage(PlayModel):
    data: str = ""
    message_id: str | None = None
    attributes: dict[str, str] | None = None


class PushEnvelope(PlayModel):
    """A Pub/Sub push request body."""

    message: PushMessage
    subscription: str | None = None
