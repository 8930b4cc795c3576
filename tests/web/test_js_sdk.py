"""The official Firebase JS SDK (firebase@12, tests/js) against the dev server: a call without
arguments, a call with data, an error's FunctionsError code and details, App Check tokens
(plain and limited-use), and a call after sign_out_everywhere that is refused."""

from shared import config
from tests.support.auth_emulator import AuthEmulator
from tests.support.node import requires_node, run_node


@requires_node
def test_the_firebase_js_sdk_speaks_to_the_backend(
    api, server_url, auth_emulator: AuthEmulator, app_check, monkeypatch
):
    monkeypatch.setenv("FIREBASE_AUTH_EMULATOR_HOST", auth_emulator.host)
    monkeypatch.setenv("APP_CHECK_ENFORCE", "wallet_get")
    config.reset()
    out = run_node(
        "callable.mjs",
        server_url,
        auth_emulator.host,
        env={"APP_CHECK_TOKEN": app_check.token()},
    )
    uid = out["uid"]
    assert out["noArgument"]["result"]["uid"] == uid
    assert out["withData"]["result"]["deviceId"] == "js-phone"
    invalid = out["invalid"]["error"]
    assert invalid["code"] == "functions/invalid-argument"
    assert invalid["details"]["code"] == "ERR_4000"
    assert invalid["details"]["fields"][0]["field"] == "pledge"
    missing = out["appCheckMissing"]["error"]
    assert (missing["code"], missing["details"]["code"]) == (
        "functions/unauthenticated",
        "ERR_4033",
    )
    assert "result" in out["appCheck"], out["appCheck"]  # wallet_get enforces App Check
    assert "result" in out["appCheckLimitedUse"], out["appCheckLimitedUse"]
    assert out["signOut"]["result"]["tokensValidAfter"]
    refused = out["afterSignOut"]["error"]
    assert (refused["code"], refused["details"]["code"]) == (
        "functions/unauthenticated",
        "ERR_4031",
    )
