"""device_check over HTTP with a local DeviceCheck: each physical device grants credits once,
ever, whatever the number of guest accounts or reinstalls; failures write nothing."""

from concurrent.futures import ThreadPoolExecutor

import pytest

from shared import wiring
from shared.guest.onboarding import device_hash, grant_entry_id, registry_path
from shared.store.sqlite import SqliteStore
from tests.guest.apple import device_token, new_p8_key
from tests.jobs.fixtures import ANONYMOUS, APPLE, available, configure, ledger_of
from tests.support.store import all_documents


def check(api, uid: str, device_id: str = "install-1", physical: str = "iphone-A", **kwargs):
    data = {"deviceId": device_id, "deviceToken": device_token(physical)}
    return api.call("device_check", data, uid=uid, claims=ANONYMOUS, **kwargs)


def result(response) -> dict:
    assert response.status_code == 200, response.json()
    return response.json()["result"]


def error(response) -> tuple[int, str]:
    return response.status_code, response.json()["error"]["details"]["code"]


def test_a_new_device_grants_ten_credits_and_sets_its_apple_bit(api, store, apple):
    answer = result(check(api, "guest1"))
    assert answer == {"uid": "guest1", "grant": "granted", "creditsGranted": 10, "balance": 10}
    assert apple.claimed("iphone-A")
    assert apple.count("query_two_bits") == apple.count("update_two_bits") == 1
    hash_ = device_hash("install-1")
    assert [e["id"] for e in ledger_of(store, "guest1")] == [grant_entry_id(hash_)]
    record = store.get(registry_path(hash_))
    assert (record["claimedBy"], record["appleBitSet"], record["credits"]) == ("guest1", True, 10)
    assert store.get("users/guest1")["guest"] is True


def test_a_second_guest_account_on_the_same_install_gets_nothing(api, store, apple):
    result(check(api, "guest1"))
    answer = result(check(api, "guest2"))
    assert answer == {"uid": "guest2", "grant": "device_claimed", "creditsGranted": 0, "balance": 0}
    assert ledger_of(store, "guest2") == []
    assert available(store, "guest1") == 10


def test_a_reinstall_is_recognized_by_apple_and_gets_nothing(api, store, apple):
    result(check(api, "guest1", device_id="install-1"))
    answer = result(check(api, "guest2", device_id="install-2"))  # same iPhone, new install
    assert (answer["grant"], answer["creditsGranted"]) == ("device_claimed", 0)
    assert ledger_of(store, "guest2") == []
    assert store.get(registry_path(device_hash("install-2")))["claimedBy"] is None


def test_asking_again_answers_already_granted_without_asking_apple(api, store, apple):
    result(check(api, "guest1"))
    calls = len(apple.calls)
    answer = result(check(api, "guest1"))
    assert answer == {
        "uid": "guest1",
        "grant": "already_granted",
        "creditsGranted": 10,
        "balance": 10,
    }
    assert len(apple.calls) == calls
    assert len(ledger_of(store, "guest1")) == 1


def test_ten_guest_accounts_at_once_on_one_device_get_one_grant(api, store, apple):
    with ThreadPoolExecutor(10) as pool:
        answers = list(pool.map(lambda i: result(check(api, f"guest{i}")), range(10)))
    assert sorted(a["grant"] for a in answers) == ["device_claimed"] * 9 + ["granted"]
    grants = [e for i in range(10) for e in ledger_of(store, f"guest{i}")]
    assert len(grants) == 1


def test_the_grant_is_configurable(api, store, apple, monkeypatch):
    configure(monkeypatch, GUEST_GRANT_CREDITS="25")
    assert result(check(api, "guest1"))["balance"] == 25


def test_a_signed_in_account_is_not_a_guest(api, store, apple):
    data = {"deviceId": "install-1", "deviceToken": device_token("iphone-A")}
    response = api.call("device_check", data, uid="alice", claims=APPLE)
    assert error(response) == (403, "ERR_4502")
    assert all_documents(store) == {}
    assert apple.calls == []


@pytest.mark.parametrize(
    ("endpoint_status", "expected"),
    [(400, (400, "ERR_4503")), (503, (503, "ERR_5002")), (429, (503, "ERR_5002"))],
)
def test_apple_failures_write_nothing(api, store, apple, endpoint_status, expected):
    apple.fail_next("query_two_bits", *[endpoint_status] * 3)  # the first try and 2 retries
    assert error(check(api, "guest1")) == expected
    assert all_documents(store) == {}


def test_a_garbage_device_token_is_err_4503(api, store, apple):
    data = {"deviceId": "install-1", "deviceToken": "bm90IGEgdG9rZW4="}
    response = api.call("device_check", data, uid="guest1", claims=ANONYMOUS)
    assert error(response) == (400, "ERR_4503")
    assert all_documents(store) == {}


def test_a_key_apple_does_not_trust_is_a_configuration_error(api, store, apple, monkeypatch):
    configure(monkeypatch, DEVICECHECK_PRIVATE_KEY=new_p8_key()[0])
    assert error(check(api, "guest1")) == (500, "ERR_6003")
    assert apple.refused_tokens >= 1
    assert all_documents(store) == {}


def test_missing_devicecheck_settings_are_a_configuration_error(api, store, apple, monkeypatch):
    configure(monkeypatch, DEVICECHECK_PRIVATE_KEY="", DEVICECHECK_PRIVATE_KEY_PATH="")
    assert error(check(api, "guest1")) == (500, "ERR_6003")
    assert all_documents(store) == {}


def test_the_key_can_come_from_a_file(api, store, apple, monkeypatch, tmp_path):
    pem = tmp_path / "AuthKey.p8"
    pem.write_text(apple.private_pem)
    configure(monkeypatch, DEVICECHECK_PRIVATE_KEY="", DEVICECHECK_PRIVATE_KEY_PATH=str(pem))
    assert result(check(api, "guest1"))["grant"] == "granted"


def test_a_failed_bit_update_keeps_the_grant_and_is_retried_next_time(api, store, apple):
    apple.fail_next("update_two_bits", 503, 503, 503)
    assert result(check(api, "guest1"))["grant"] == "granted"
    assert store.get(registry_path(device_hash("install-1")))["appleBitSet"] is False
    assert not apple.claimed("iphone-A")
    assert result(check(api, "guest1"))["grant"] == "already_granted"
    assert apple.claimed("iphone-A")
    assert store.get(registry_path(device_hash("install-1")))["appleBitSet"] is True


def test_without_devicecheck_the_registry_still_grants_once(api, store, apple, monkeypatch):
    configure(monkeypatch, DEVICECHECK_ENABLED="false")
    assert result(check(api, "guest1"))["grant"] == "granted"
    assert result(check(api, "guest2"))["grant"] == "device_claimed"
    assert apple.calls == []


@pytest.mark.parametrize(
    "data",
    [
        {"deviceId": "a/b", "deviceToken": "x"},
        {"deviceId": "", "deviceToken": "x"},
        {"deviceId": "install-1"},
        {"deviceId": "install-1", "deviceToken": ""},
    ],
    ids=["slash", "empty-id", "no-token", "empty-token"],
)
def test_bad_requests_are_refused(api, store, apple, data):
    response = api.call("device_check", data, uid="guest1", claims=ANONYMOUS)
    assert error(response) == (400, "ERR_4000")
    assert all_documents(store) == {}


def test_rate_limited_per_uid(api, store, apple, monkeypatch):
    configure(monkeypatch, RATE_LIMITS='{"device_check": {"uid": 2}}')
    result(check(api, "guest1"))
    result(check(api, "guest1"))
    assert error(check(api, "guest1")) == (429, "ERR_4004")


def test_the_grant_transaction_is_rerun_safe(api, apple, tmp_path):
    store = SqliteStore(str(tmp_path / "rerun.sqlite3"), rerun_transactions=True)
    wiring.use(store=store)
    assert result(check(api, "guest1"))["balance"] == 10
    assert result(check(api, "guest2"))["grant"] == "device_claimed"
    assert len(ledger_of(store, "guest1")) == 1
