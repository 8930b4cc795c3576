"""The pure pieces: Stripe objects of old and new API versions, status → entitlement mapping,
the newest-state rule, the settings' JSON variables, and the stand-in's form decoding."""

from datetime import UTC, datetime, timedelta

import pytest

from shared import config
from shared.errors import AppError
from shared.purchases.entitlements import EntitlementStatus
from shared.purchases.stripe import mirror
from shared.purchases.stripe.objects import Invoice, Subscription
from shared.purchases.stripe.settings import settings
from shared.purchases.stripe.subscriptions import entitlement_of, subscription_document
from tests.stripe.helpers import MONTHLY, YEARLY
from tests.stripe.standin import unflatten

NOW = datetime(2026, 1, 1, tzinfo=UTC)
END = int((NOW + timedelta(days=10)).timestamp())


def new_api_subscription(status: str, price: str = YEARLY, **extra) -> Subscription:
    return Subscription.model_validate(
        {
            "id": "sub_1",
            "status": status,
            "customer": {"id": "cus_1", "object": "customer"},  # expanded
            "items": {
                "data": [
                    {
                        "price": {
                            "id": price,
                            "product": "prod_1",
                            "recurring": {"interval": "year"},
                        },
                        "current_period_end": END,
                    }
                ]
            },
            "future_field": {"added": "later"},
            **extra,
        }
    )


def test_new_and_old_api_shapes_read_alike():
    new = new_api_subscription("active")
    assert (new.customer, new.item.price_id, new.item.product_id) == ("cus_1", YEARLY, "prod_1")
    assert (new.item.interval, new.period_end) == ("year", END)
    old = Subscription.model_validate(
        {
            "id": "sub_2",
            "status": "active",
            "customer": "cus_1",
            "current_period_end": END,
            "items": {"data": [{"plan": {"id": MONTHLY, "interval": "month", "product": "p"}}]},
        }
    )
    assert (old.item.price_id, old.item.interval, old.period_end) == (MONTHLY, "month", END)
    invoice = Invoice.model_validate(
        {"id": "in_1", "parent": {"subscription_details": {"subscription": "sub_9"}}}
    )
    assert invoice.subscription_id == "sub_9"


@pytest.mark.parametrize(
    ("status", "expected", "grants"),
    [
        ("trialing", EntitlementStatus.ACTIVE, True),
        ("active", EntitlementStatus.ACTIVE, True),
        ("past_due", EntitlementStatus.GRACE_PERIOD, True),
        ("unpaid", EntitlementStatus.BILLING_RETRY, False),
        ("incomplete", EntitlementStatus.BILLING_RETRY, False),
        ("incomplete_expired", EntitlementStatus.EXPIRED, False),
        ("canceled", EntitlementStatus.EXPIRED, False),
        ("paused", EntitlementStatus.PAUSED, False),
        ("a_status_stripe_adds_later", EntitlementStatus.EXPIRED, False),
    ],
)
def test_each_subscription_status_maps_to_an_entitlement(status, expected, grants):
    doc = subscription_document(new_api_subscription(status), NOW)
    assert (doc["status"], doc["plan"], doc["addOns"]) == (status, "individual", ["sync"])
    entitlement = entitlement_of(doc, "sync", NOW)
    assert entitlement.status == expected and entitlement.grants_access(NOW) is grants
    assert entitlement.auto_renew is (expected == EntitlementStatus.ACTIVE)
    if expected == EntitlementStatus.GRACE_PERIOD:
        assert entitlement.grace_expires_at == datetime.fromtimestamp(END, UTC)


def test_cancel_at_period_end_keeps_access_but_not_renewal():
    doc = subscription_document(new_api_subscription("active", cancel_at_period_end=True), NOW)
    entitlement = entitlement_of(doc, "sync", NOW)
    assert entitlement.grants_access(NOW) and not entitlement.auto_renew


def test_an_unknown_price_is_mirrored_without_add_ons():
    doc = subscription_document(new_api_subscription("active", price="price_legacy"), NOW)
    assert (doc["plan"], doc["addOns"]) == (None, [])


def test_the_newest_state_wins():
    older, newer = {"sourceTime": NOW}, {"sourceTime": NOW + timedelta(seconds=1)}
    assert mirror.decide(None, older) == "written"
    assert mirror.decide(older, newer) == "written"
    assert mirror.decide(newer, older) == "stale"
    assert mirror.decide(older, older) == "written"  # the same observation again: harmless
    assert mirror.decide(older, newer, only_new=True) == "exists"


def test_packs_and_plans_come_from_json_settings(monkeypatch):
    monkeypatch.setenv("STRIPE_CREDIT_PACKS", '{"mini": {"credits": 50, "amount": 99}}')
    config.reset()
    s = settings()
    assert s.pack("mini").credits == 50 and s.pack("mini").currency == "usd"
    with pytest.raises(AppError) as refused:
        s.pack("starter")
    assert refused.value.code == "ERR_4300"
    plan, price = s.price_of("individual", "month")
    assert (price, plan.trial_days) == (MONTHLY, 14)
    assert s.plan_of_price(YEARLY)[0] == "individual" and s.plan_of_price("x") is None


def test_a_malformed_pack_setting_is_a_configuration_error(monkeypatch):
    monkeypatch.setenv("STRIPE_CREDIT_PACKS", '{"mini": {"credits": -1, "amount": 99}}')
    config.reset()
    with pytest.raises(AppError) as failed:
        settings()
    assert failed.value.code == "ERR_6003"


def test_the_stand_in_decodes_stripes_form_encoding():
    pairs = [
        ("line_items[0][price]", "p"),
        ("line_items[0][quantity]", "1"),
        ("metadata[firebaseUID]", "u"),
        ("mode", "subscription"),
    ]
    assert unflatten(pairs) == {
        "line_items": [{"price": "p", "quantity": "1"}],
        "metadata": {"firebaseUID": "u"},
        "mode": "subscription",
    }
