"""An app on the official Firebase JS SDK signs in through the Auth emulator and calls the dev
server through connectFunctionsEmulator (tests/js/emulator_suite.mjs), results and
FunctionsErrors as an app sees them."""

import pytest

from tests.support.auth_emulator import AuthEmulator
from tests.support.node import requires_node, run_node
from tests.support.tokens import PROJECT_ID


@requires_node
def test_an_app_signs_in_with_the_auth_emulator_and_calls_the_local_backend(
    auth_emulator: AuthEmulator, server_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("FIREBASE_AUTH_EMULATOR_HOST", auth_emulator.host)

    seen = run_node(
        "emulator_suite.mjs",
        env={
            "PROJECT_ID": PROJECT_ID,
            "AUTH_EMULATOR": auth_emulator.host,
            "FUNCTIONS_EMULATOR": server_url.removeprefix("http://"),
            "REGION": "europe-west1",
        },
    )

    anonymous = seen["anonymous"]
    assert anonymous["isAnonymous"] is True
    assert anonymous["health"]["data"]["uid"] == anonymous["uid"]
    assert anonymous["wallet"]["data"]["credits"] == 0
    bad = anonymous["badArgument"]["error"]
    assert bad["code"] == "functions/invalid-argument" and bad["details"]["code"] == "ERR_4000"
    short = anonymous["notEnoughCredits"]["error"]
    assert short["code"] == "functions/failed-precondition"
    assert short["details"]["code"] == "ERR_4001" and short["message"].startswith("Not enough")
    admin = anonymous["adminOnly"]["error"]
    assert (admin["code"], admin["details"]["code"]) == ("functions/permission-denied", "ERR_4014")
    assert anonymous["missingFunction"]["error"]["code"] == "functions/not-found"
    signed_out = seen["signedOut"]["health"]["error"]
    assert (signed_out["code"], signed_out["details"]["code"]) == (
        "functions/unauthenticated",
        "ERR_4011",
    )
    email = seen["email"]
    assert email["uid"] == email["createdUid"] != anonymous["uid"]
    assert email["health"]["data"]["uid"] == email["uid"]
