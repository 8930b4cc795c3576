"""App Check over HTTP: X-Firebase-AppCheck verified with firebase-admin's rules against a
local JWKS, enforced per function by a setting, limited-use tokens accepted once."""

import time

import jwt
import pytest

from functions import main
from shared import config, wiring
from shared.dev.keys import ensure_dev_key, sign_id_token
from tests.guest.test_device_check import check
from tests.support.app_check import PROJECT_NUMBER
from tests.support.store import all_documents
from tests.support.tokens import PROJECT_ID


def call(api, token: str | None, name: str = "health", data=None, uid: str = "alice"):
    headers = {"X-Firebase-AppCheck": token} if token is not None else {}
    return api.call(name, data or {}, uid=uid, headers=headers)


def code_of(response) -> tuple[int, str]:
    return response.status_code, response.json()["error"]["details"]["code"]


def test_the_functions_that_give_or_charge_enforce_app_check_in_prod():
    enforced = {
        name
        for name in main.__all__
        if getattr(getattr(main, name).__deploy__, "app_check", "off") == "enforced"
    }
    assert enforced == {"device_check", "guest_upgrade", "generate", "verify_purchase"}
    assert main.device_check.__deploy__.consume_app_check is True


def test_an_enforcing_function_refuses_a_missing_or_bad_token(api, app_check, monkeypatch):
    monkeypatch.setenv("APP_CHECK_ENFORCE", "health")
    assert code_of(call(api, None)) == (401, "ERR_4033")
    assert code_of(call(api, "garbage")) == (401, "ERR_4033")
    assert call(api, app_check.token()).json()["result"]["uid"] == "alice"
    assert call(api, None, "wallet_get").status_code == 200  # not listed: not enforced


@pytest.mark.parametrize(
    "claims",
    [
        {"aud": ["projects/other"]},
        {"aud": f"projects/{PROJECT_NUMBER}"},  # must be a list, as firebase-admin demands
        {"iss": "https://evil.example.com/123456789012"},
        {"iss": "https://firebaseappcheck.googleapis.com/999"},
        {"sub": ""},
        {"exp": int(time.time()) - 60},
    ],
)
def test_tokens_breaking_a_rule_are_refused(api, app_check, monkeypatch, claims):
    monkeypatch.setenv("APP_CHECK_ENFORCE", "all")
    assert code_of(call(api, app_check.token(**claims))) == (401, "ERR_4033")


def test_an_unknown_key_or_algorithm_is_refused(api, app_check, monkeypatch):
    monkeypatch.setenv("APP_CHECK_ENFORCE", "all")
    payload = jwt.decode(app_check.token(), options={"verify_signature": False})
    forged = jwt.encode(payload, "s" * 32, algorithm="HS256", headers={"kid": app_check.kid})
    assert code_of(call(api, forged)) == (401, "ERR_4033")
    other_kid = jwt.encode(payload, app_check.key, algorithm="RS256", headers={"kid": "nope"})
    assert code_of(call(api, other_kid)) == (401, "ERR_4033")


def test_without_enforcement_a_bad_token_is_ignored_as_firebase_functions_does(api, app_check):
    assert call(api, "garbage").status_code == 200
    assert call(api, None).status_code == 200


def test_prod_enforces_the_declared_functions_by_default(api, app_check, monkeypatch):
    monkeypatch.setenv("APP_ENV", "prod")
    assert code_of(api.call("device_check", {"deviceId": "d", "deviceToken": "t"}, uid="g")) == (
        401,
        "ERR_4033",
    )
    monkeypatch.setenv("APP_CHECK_ENFORCE", "none")
    config.reset()
    assert api.call("device_check", {"deviceId": "d", "deviceToken": "t"}, uid="g").status_code != (
        401
    )


def test_debug_tokens_are_accepted_in_dev_only(api, app_check, monkeypatch, tmp_path):
    monkeypatch.setenv("APP_CHECK_ENFORCE", "health")
    monkeypatch.setenv("DEV_APP_CHECK_DEBUG_TOKENS", "dev-debug-1")
    assert code_of(call(api, "dev-debug-1")) == (401, "ERR_4033")  # APP_ENV=test
    monkeypatch.setenv("APP_ENV", "dev")
    monkeypatch.setenv("DEV_AUTH_DIR", str(tmp_path))
    wiring.reset()  # settings and verifiers built for APP_ENV=test
    kid, key_pem, _ = ensure_dev_key(tmp_path)  # dev trusts ./dev token's key
    id_token = sign_id_token(key_pem, kid, PROJECT_ID, "alice")
    headers = {"X-Firebase-AppCheck": "dev-debug-1"}
    assert api.call("health", {}, token=id_token, headers=headers).status_code == 200


def test_a_consumed_token_grants_once_and_its_replay_writes_nothing(
    api, app_check, monkeypatch, store, apple
):
    monkeypatch.setenv("APP_CHECK_ENFORCE", "device_check")
    limited = app_check.token()
    first = check(api, "guest1", headers={"X-Firebase-AppCheck": limited})
    assert first.json()["result"]["grant"] == "granted"
    before = all_documents(store)
    replay = check(api, "guest2", "install-2", "iphone-B", headers={"X-Firebase-AppCheck": limited})
    assert code_of(replay) == (401, "ERR_4034")
    assert all_documents(store) == before
    fresh = app_check.token()
    again = check(api, "guest2", "install-2", "iphone-B", headers={"X-Firebase-AppCheck": fresh})
    assert again.json()["result"]["grant"] == "granted"
