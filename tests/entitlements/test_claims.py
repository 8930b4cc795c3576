"""Custom claims: active entitlements mirrored after commit, refreshToken answered, failures
harmless, and the Firebase publisher keeps the user's other claims."""

from shared import wiring
from shared.purchases import claims as claims_module
from shared.purchases.entitlements import is_entitled
from shared.purchases.sweep import sweep_entitlements
from tests.entitlements.helpers import buy_apple, combined, sub_transaction
from tests.support.ids import uid as new_uid


class CommittedCheck:
    """Publishes only what the store has committed (it reads the store when called)."""

    def __init__(self) -> None:
        self.seen: list[tuple[list[str], bool]] = []

    def publish(self, uid: str, entitlements: list[str]) -> None:
        now = wiring.now()
        self.seen.append((entitlements, is_entitled(wiring.store(), uid, "sync", now)))


def test_claims_are_mirrored_and_refresh_token_answered(api, store, clock, stores, claims):
    uid = new_uid()
    tx = sub_transaction("3800000001", clock(), days=5)

    first = buy_apple(api, stores, uid, tx)
    again = buy_apple(api, stores, uid, tx)

    assert (first["refreshToken"], again["refreshToken"]) == (True, False)
    assert claims.of(uid) == [["sync"]]
    clock.advance(days=6)
    assert sweep_entitlements() == 1
    assert claims.of(uid) == [["sync"], []]


def test_claims_are_published_after_the_transaction_commits(api, store, clock, stores):
    check = CommittedCheck()
    wiring.use(claims_publisher=check)
    buy_apple(api, stores, new_uid(), sub_transaction("3800000002", clock()))
    assert check.seen == [(["sync"], True)]


def test_a_failing_publisher_does_not_fail_the_purchase(api, store, clock, stores, claims):
    claims.fail = True
    uid = new_uid()
    result = buy_apple(api, stores, uid, sub_transaction("3800000003", clock()))
    assert result["entitlement"]["active"] is True and result["refreshToken"] is True
    assert combined(store, uid).grants_access(clock())


class FakeAuth:
    """firebase_admin.auth's two calls the publisher makes."""

    def __init__(self, existing: dict | None) -> None:
        self.claims = existing
        self.sets: list[dict] = []

    def get_user(self, uid: str, app=None):
        return type("User", (), {"custom_claims": self.claims})()

    def set_custom_user_claims(self, uid: str, claims: dict, app=None) -> None:
        self.sets.append(claims)
        self.claims = claims


def test_the_firebase_publisher_keeps_other_claims_and_skips_no_change(monkeypatch):
    auth = FakeAuth({"admin": True})
    publisher = claims_module.FirebasePublisher()
    monkeypatch.setattr(publisher, "_auth", lambda: auth)
    publisher.publish("u1", ["ai", "sync"])
    publisher.publish("u1", ["ai", "sync"])
    assert auth.sets == [{"admin": True, "entitlements": ["ai", "sync"]}]


def test_the_publisher_is_chosen_by_setting_and_built_lazily(monkeypatch, app_env):
    wiring.reset()
    monkeypatch.setenv("ENTITLEMENT_CLAIMS", "firebase")
    built = claims_module.publisher()
    assert isinstance(built, claims_module.FirebasePublisher) and built._app is None
    wiring.reset()
    monkeypatch.setenv("ENTITLEMENT_CLAIMS", "auto")  # APP_ENV=test: logged only
    assert isinstance(claims_module.publisher(), claims_module.LogPublisher)
