"""Family Sharing: a family member's own source record, marked family_shared, and its revoke."""

from shared.purchases.entitlements import is_entitled
from tests.entitlements.helpers import buy_apple, combined, notify_apple, sources, sub_transaction
from tests.support.ids import uid as new_uid


def shared_with_family(tid: str, when, **kw) -> dict:
    return sub_transaction(tid, when, **kw) | {"inAppOwnershipType": "FAMILY_SHARED"}


def test_a_family_shared_subscription_grants_the_member_until_revoked(
    api, store, clock, stores, claims
):
    buyer, member = new_uid(), new_uid()
    buy_apple(api, stores, buyer, sub_transaction("3500000001", clock()))
    shared = shared_with_family("3500000002", clock())

    result = buy_apple(api, stores, member, shared)

    assert result["entitlement"]["active"] is True and result["refreshToken"] is True
    assert result["entitlement"]["familyShared"] is True
    record = sources(store, member)["sync__app_store__3500000002"]
    assert record.family_shared is True and record.environment == "production"
    assert combined(store, member).family_shared is True
    assert store.get("purchases/appstore_3500000002")["uid"] == member

    clock.advance(days=2)
    revoked = shared | {"revocationDate": int(clock().timestamp() * 1000)}
    assert notify_apple(api, stores, "REVOKE", revoked, clock()) == "applied"

    assert combined(store, member).status == "revoked"
    assert not is_entitled(store, member, "sync", clock())
    assert is_entitled(store, buyer, "sync", clock())  # the buyer's own purchase is untouched
    assert claims.of(member) == [["sync"], []]
