"""Settings that change what is accepted, and misconfiguration answered clearly."""

import pytest

from shared import config
from tests.purchases.conftest import Stores
from tests.purchases.helpers import entitlement, snapshot, sub_transaction
from tests.support.ids import uid as new_uid


def test_sandbox_accepted_in_production_when_allowed(
    api, store, clock, stores: Stores, monkeypatch
) -> None:
    monkeypatch.setenv("APPLE_ACCEPT_SANDBOX", "true")
    uid = new_uid()
    jws = stores.ca.sign(sub_transaction("1", clock(), environment="Sandbox"))
    api.result("verify_purchase", {"platform": "app_store", "signedTransaction": jws}, uid=uid)
    assert entitlement(store, uid).environment == "sandbox"


def test_sandbox_server_refuses_production_data(api, store, clock, stores: Stores, monkeypatch):
    monkeypatch.setenv("APPLE_ENVIRONMENT", "Sandbox")
    jws = stores.ca.sign(sub_transaction("2", clock()))
    _, code, error = api.error(
        "verify_purchase", {"platform": "app_store", "signedTransaction": jws}, uid=new_uid()
    )
    assert code == "ERR_4205" and error["details"]["environment"] == "Production"


@pytest.mark.parametrize(
    ("variable", "value", "request_data"),
    [
        ("APPLE_ROOT_CERTIFICATES", "", {"platform": "app_store", "signedTransaction": "a.b.c"}),
        ("APPLE_APP_APPLE_ID", "", {"platform": "app_store", "signedTransaction": "a.b.c"}),
        ("APPLE_API_PRIVATE_KEY", "", {"platform": "app_store", "transactionId": "1"}),
        (
            "PLAY_SERVICE_ACCOUNT_JSON",
            "{}",
            {"platform": "play_store", "purchaseToken": "t", "productId": "credits.100"},
        ),
    ],
)
def test_misconfiguration_is_err_6003(
    variable: str, value: str, request_data: dict, api, store, monkeypatch, stores: Stores
) -> None:
    monkeypatch.setenv(variable, value)
    if variable == "APPLE_APP_APPLE_ID":
        monkeypatch.delenv(variable)
    # The JWS must look like one for verification to be attempted.
    if request_data.get("signedTransaction") == "a.b.c":
        request_data = {**request_data, "signedTransaction": stores.ca.sign({"x": 1})}
    status, code, _ = api.error("verify_purchase", request_data, uid=new_uid())
    assert (status, code) == (500, "ERR_6003")
    assert snapshot(store) == {}


def test_xcode_environment_is_refused_in_prod(api, store, stores: Stores, monkeypatch) -> None:
    monkeypatch.setenv("APPLE_ENVIRONMENT", "Xcode")
    monkeypatch.setenv("APP_ENV", "prod")
    config.reset()  # the store fixture already read the platform settings
    from shared.errors import AppError
    from shared.purchases.apple.signed_data import verifiers

    with pytest.raises(AppError) as raised:
        verifiers()
    assert raised.value.code == "ERR_6003"


def test_push_endpoint_without_configuration(api, store, stores: Stores, monkeypatch) -> None:
    monkeypatch.setenv("PUBSUB_PUSH_AUDIENCE", "")
    response = api.http.post(
        "/google_play_push", content=b"{}", headers={"Authorization": "Bearer x.y.z"}
    )
    assert response.status_code == 500 and response.json()["error"]["code"] == "ERR_6003"
    assert snapshot(store) == {}


def test_apple_online_checks_follow_app_env_unless_set() -> None:
    from shared.purchases.settings import PurchaseSettings

    auto = PurchaseSettings(apple_online_checks="auto")
    assert auto.apple_online_checks_on("prod") is True
    assert (auto.apple_online_checks_on("dev"), auto.apple_online_checks_on("test")) == (
        False,
        False,
    )
    assert PurchaseSettings(apple_online_checks="on").apple_online_checks_on("test") is True
    assert PurchaseSettings(apple_online_checks="off").apple_online_checks_on("prod") is False


@pytest.mark.parametrize("setting", ["auto", "off"])
def test_offline_checks_accept_the_local_chain(
    api, store, clock, stores: Stores, monkeypatch, setting
) -> None:
    from shared.purchases.apple.signed_data import verifiers

    monkeypatch.setenv("APPLE_ONLINE_CHECKS", setting)  # auto: off, since APP_ENV=test
    config.reset()
    assert [v._enable_online_checks for v in verifiers()] == [False]
    uid = new_uid()
    jws = stores.ca.sign(sub_transaction("2100000001", clock()))
    api.result("verify_purchase", {"platform": "app_store", "signedTransaction": jws}, uid=uid)
    assert entitlement(store, uid).status == "active"


def test_online_checks_refuse_a_chain_without_an_ocsp_responder(
    api, store, clock, stores: Stores, monkeypatch
) -> None:
    """The local chain names no OCSP responder (no Authority Information Access): with online
    checks on, app-store-server-library's check_ocsp_status finds none to ask and fails
    closed (VERIFICATION_FAILURE) rather than accept an unchecked chain, so nothing is
    granted; it never reaches the network."""
    from shared.purchases.apple.signed_data import verifiers

    monkeypatch.setenv("APPLE_ONLINE_CHECKS", "on")
    config.reset()
    assert [v._enable_online_checks for v in verifiers()] == [True]
    before = snapshot(store)
    jws = stores.ca.sign(sub_transaction("2100000002", clock()))
    status, code, _ = api.error(
        "verify_purchase", {"platform": "app_store", "signedTransaction": jws}, uid=new_uid()
    )
    assert (status, code) == (400, "ERR_4202")
    assert snapshot(store) == before
