"""Plan changes end to end: App Store upgrades at once and downgrades at renewal, a Play
replacement token supersedes the old one, Stripe price changes, and pauses on Play and Stripe."""

import time

from shared.purchases.entitlements import is_entitled
from shared.purchases.purchase import token_digest
from tests.entitlements.helpers import (
    after,
    buy_apple,
    combined,
    deliver_stripe,
    notify_apple,
    push_play,
    renewal,
    sources,
    stripe_customer,
    stripe_subscription,
    sub_transaction,
    subscription_purchase,
    verify_play,
)
from tests.purchases.helpers import token_of
from tests.stripe.helpers import MONTHLY, PRO
from tests.support.ids import uid as new_uid

PURCHASED, PAUSED, RESTARTED, EXPIRED = 4, 10, 7, 13


def test_app_store_upgrade_is_immediate_and_downgrade_waits_for_renewal(api, store, clock, stores):
    uid, otid = new_uid(), "3400000001"
    buy_apple(api, stores, uid, sub_transaction(otid, clock(), product_id="ai.monthly"))
    assert combined(store, uid, "ai").tier == "standard"

    clock.advance(days=3)
    upgraded = sub_transaction("3400000002", clock(), otid=otid, product_id="ai.pro.monthly")
    kind = "DID_CHANGE_RENEWAL_PREF"
    assert notify_apple(api, stores, kind, upgraded, clock(), subtype="UPGRADE") == "applied"
    now = combined(store, uid, "ai")
    assert (now.tier, now.product_id) == ("pro", "ai.pro.monthly")
    assert now.expires_at == after(clock(), days=30)

    clock.advance(days=5)
    info = renewal(otid, "ai.pro.monthly", clock()) | {"autoRenewProductId": "ai.monthly"}
    outcome = notify_apple(api, stores, kind, upgraded, clock(), subtype="DOWNGRADE", renewal=info)
    assert outcome == "applied"
    pending = combined(store, uid, "ai")
    assert (pending.tier, pending.pending_product_id) == ("pro", "ai.monthly")
    listed = api.result("get_entitlements", {}, uid=uid)["entitlements"]
    assert [e["pendingProductId"] for e in listed] == ["ai.monthly"]

    clock.advance(days=25)
    renewed = sub_transaction("3400000003", clock(), otid=otid, product_id="ai.monthly")
    assert notify_apple(api, stores, "DID_RENEW", renewed, clock()) == "applied"
    after_renewal = combined(store, uid, "ai")
    assert (after_renewal.tier, after_renewal.pending_product_id) == ("standard", None)
    assert list(sources(store, uid, "ai")) == [f"ai__app_store__{otid}"]


def test_a_linked_play_token_supersedes_the_old_one(api, store, clock, stores):
    uid, old, new = new_uid(), "play-old-token-1", "play-new-token-1"
    old_body = subscription_purchase(
        product_id="sync.monthly",
        start=clock(),
        expiry=after(clock(), days=30),
        order_id="GPA.1000-0000-0000-00001",
        account_id=token_of(uid),
    )
    stores.play.add_subscription(old, old_body)
    verify_play(api, uid, old, "sync.monthly")

    clock.advance(days=2)
    new_body = subscription_purchase(
        product_id="sync.yearly",
        start=clock(),
        expiry=after(clock(), days=365),
        order_id="GPA.2000-0000-0000-00002",
    ) | {"linkedPurchaseToken": old}
    stores.play.add_subscription(new, new_body)
    assert push_play(api, stores, new, PURCHASED, "sync.yearly") == "applied"

    mine = sources(store, uid)
    assert mine["sync__play_store__GPA.1000-0000-0000-00001"].status == "superseded"
    assert mine["sync__play_store__GPA.1000-0000-0000-00001"].superseded_by == (
        f"play_{token_digest(new)}"
    )
    state = combined(store, uid)
    assert (state.tier, state.expires_at) == ("yearly", after(clock(), days=365))

    # The old token's later notifications change nothing, whatever they say.
    clock.advance(days=1)
    expired = old_body | {"subscriptionState": "SUBSCRIPTION_STATE_EXPIRED"}
    stores.play.add_subscription(old, expired)
    assert push_play(api, stores, old, EXPIRED, "sync.monthly") == "stale"
    longer = subscription_purchase(
        product_id="sync.monthly",
        start=clock(),
        expiry=after(clock(), days=900),
        order_id="GPA.1000-0000-0000-00001..1",
    )
    stores.play.add_subscription(old, longer)
    assert push_play(api, stores, old, 2, "sync.monthly") == "stale"
    assert combined(store, uid) == state
    assert is_entitled(store, uid, "sync", clock())


def test_a_paused_play_subscription_grants_nothing_until_resumed(api, store, clock, stores, claims):
    uid, token = new_uid(), "play-pause-token-1"
    body = subscription_purchase(
        product_id="sync.monthly",
        start=clock(),
        expiry=after(clock(), days=30),
        order_id="GPA.3000-0000-0000-00003",
        account_id=token_of(uid),
    )
    stores.play.add_subscription(token, body)
    verify_play(api, uid, token, "sync.monthly")

    clock.advance(minutes=5)
    stores.play.add_subscription(token, body | {"subscriptionState": "SUBSCRIPTION_STATE_PAUSED"})
    assert push_play(api, stores, token, PAUSED, "sync.monthly") == "applied"
    assert combined(store, uid).status == "paused"
    assert not is_entitled(store, uid, "sync", clock())

    clock.advance(minutes=5)
    stores.play.add_subscription(token, body | {"subscriptionState": "SUBSCRIPTION_STATE_ACTIVE"})
    assert push_play(api, stores, token, RESTARTED, "sync.monthly") == "applied"
    assert is_entitled(store, uid, "sync", clock())
    assert claims.of(uid) == [["sync"], [], ["sync"]]


def test_a_paused_stripe_subscription_grants_nothing_until_resumed(api, store, clock, stripe):
    uid = new_uid()
    sub = stripe_subscription(uid, stripe_customer(api, store, uid))
    t = int(time.time())
    deliver_stripe(api, stripe, sub, created=t)
    paused = sub | {"pause_collection": {"behavior": "void", "resumes_at": None}}
    assert deliver_stripe(api, stripe, paused, created=t + 1) == "subscription active written"
    assert combined(store, uid).status == "paused"
    assert not is_entitled(store, uid, "sync", clock())
    deliver_stripe(api, stripe, sub | {"pause_collection": None}, created=t + 2)
    assert is_entitled(store, uid, "sync", clock())


def test_a_stripe_price_change_changes_the_add_ons(api, store, clock, stripe):
    uid = new_uid()
    customer = stripe_customer(api, store, uid)
    sub = stripe_subscription(uid, customer, price=PRO)
    t = int(time.time())
    deliver_stripe(api, stripe, sub, created=t)
    assert is_entitled(store, uid, "ai", clock()) and is_entitled(store, uid, "sync", clock())

    cheaper = stripe_subscription(uid, customer, price=MONTHLY, sub_id=sub["id"])
    deliver_stripe(api, stripe, cheaper, created=t + 1)
    assert not is_entitled(store, uid, "ai", clock())
    assert sources(store, uid, "ai")[f"ai__stripe__{sub['id']}"].status == "expired"
    assert combined(store, uid).tier == "individual" and is_entitled(store, uid, "sync", clock())

    # Two items: each price's add-ons are granted.
    both = stripe_subscription(uid, customer, price=[MONTHLY, PRO], sub_id=sub["id"])
    deliver_stripe(api, stripe, both, created=t + 2)
    assert is_entitled(store, uid, "ai", clock())
