"""Signing out everywhere, deleted accounts and the Auth emulator's tokens, over HTTP.

Revocation and deletion go through firebase-admin against the official Auth emulator
(firebase-tools) where the test says so; elsewhere the dev server's own tokens name no
Firebase user and only our record is written.
"""

import time

import pytest
from firebase_admin import auth

from shared import config, wiring
from shared.firebase import admin_app
from tests.support.auth_emulator import AuthEmulator
from tests.support.store import all_documents

DEVICE = {"deviceId": "phone", "name": "Phone", "platform": "ios"}


def code_of(response) -> tuple[int, str]:
    return response.status_code, response.json()["error"]["details"]["code"]


def test_sign_out_everywhere_refuses_every_earlier_token_and_accepts_new_ones(api, store):
    earlier = api.signer.token("alice", now=time.time() - 30)
    other_device = api.signer.token("alice", now=time.time() - 600)
    answer = api.result("sign_out_everywhere", None, token=earlier)
    assert answer["tokensValidAfter"]
    for token in (earlier, other_device):
        assert code_of(api.call("health", {}, token=token)) == (401, "ERR_4031")
    before = all_documents(store)
    assert code_of(api.call("device_register", DEVICE, token=earlier)) == (401, "ERR_4031")
    assert all_documents(store) == before
    assert api.result("health", {}, uid="alice")["uid"] == "alice"  # a fresh sign-in
    assert api.result("health", {}, uid="bob")["uid"] == "bob"  # nobody else is affected


def test_a_revocation_never_goes_back_in_time(api, store):
    later = time.time() + 10  # recorded by another instance whose clock runs ahead
    store.set("users/alice", {"tokensValidAfter": later}, merge=True)
    token = api.signer.token("alice", now=time.time() + 20)  # within the clock-skew leeway
    assert api.call("sign_out_everywhere", {}, token=token).status_code == 200
    assert store.get("users/alice")["tokensValidAfter"] == later


def test_a_deleted_accounts_token_is_refused_and_writes_nothing(api, store):
    token = api.token("carol")
    api.result("device_register", DEVICE, token=token)
    api.result("delete_account", {"confirm": True}, token=token)
    before = all_documents(store)
    for name, data in (
        ("device_register", DEVICE),
        ("session_start", {"pledge": 1, "durationMinutes": 5, "idempotencyKey": "k1"}),
        ("wallet_get", {}),
        ("delete_account", {"confirm": True}),
    ):
        assert code_of(api.call(name, data, token=token)) == (401, "ERR_4032"), name
    assert all_documents(store) == before


@pytest.fixture
def emulated(auth_emulator: AuthEmulator, monkeypatch: pytest.MonkeyPatch) -> AuthEmulator:
    """The backend pointed at the Auth emulator, as FIREBASE_AUTH_EMULATOR_HOST does."""
    monkeypatch.setenv("FIREBASE_AUTH_EMULATOR_HOST", auth_emulator.host)
    config.reset()
    return auth_emulator


def test_emulator_tokens_are_accepted_only_with_the_emulator_outside_prod(
    api, auth_emulator, monkeypatch
):
    uid, token = auth_emulator.sign_up()
    assert code_of(api.call("health", {}, token=token)) == (401, "ERR_4012")
    monkeypatch.setenv("FIREBASE_AUTH_EMULATOR_HOST", auth_emulator.host)
    wiring.reset()
    assert api.result("health", {}, token=token)["uid"] == uid
    monkeypatch.setenv("APP_ENV", "prod")
    wiring.reset()
    assert code_of(api.call("health", {}, token=token)) == (401, "ERR_4012")


def test_emulator_tokens_still_follow_the_claim_rules(api, emulated):
    import jwt

    _, token = emulated.sign_up()
    claims = jwt.decode(token, options={"verify_signature": False})
    for bad in ({"aud": "other"}, {"exp": int(time.time()) - 100}, {"sub": ""}):
        forged = jwt.encode({**claims, **bad}, None, algorithm="none")
        assert api.call("health", {}, token=forged).status_code == 401


def test_sign_out_everywhere_revokes_at_firebase_and_here(api, emulated):
    email = f"u{time.time_ns()}@example.com"
    uid, token = emulated.sign_up(email)
    time.sleep(1.1)  # Firebase keeps revocation times in whole seconds
    api.result("sign_out_everywhere", None, token=token)
    assert auth.get_user(uid, app=admin_app()).tokens_valid_after_timestamp > 0
    assert code_of(api.call("health", {}, token=token)) == (401, "ERR_4031")
    _, fresh = emulated.sign_in(email)
    assert api.result("health", {}, token=fresh)["uid"] == uid


def test_delete_account_deletes_the_firebase_user_and_its_token_writes_nothing(
    api, emulated, store
):
    uid, token = emulated.sign_up()
    api.result("device_register", DEVICE, token=token)
    api.result("delete_account", {"confirm": True}, token=token)
    with pytest.raises(auth.UserNotFoundError):
        auth.get_user(uid, app=admin_app())
    before = all_documents(store)
    assert code_of(api.call("device_register", DEVICE, token=token)) == (401, "ERR_4032")
    assert code_of(api.call("wallet_get", {}, token=token)) == (401, "ERR_4032")
    assert all_documents(store) == before


def test_a_disabled_user_is_refused_until_enabled_again(api, emulated, store):
    uid, token = emulated.sign_up()
    assert api.result("health", {}, token=token)["uid"] == uid
    admin = {"uid": "ops", "claims": {"admin": True}}
    api.result("admin_disable_user", {"uid": uid, "reason": "fraud"}, **admin)
    assert auth.get_user(uid, app=admin_app()).disabled is True
    before = all_documents(store)
    assert code_of(api.call("health", {}, token=token)) == (401, "ERR_4032")
    assert code_of(api.call("device_register", DEVICE, token=token)) == (401, "ERR_4032")
    assert all_documents(store) == before
    api.result("admin_enable_user", {"uid": uid, "reason": "appeal"}, **admin)
    assert auth.get_user(uid, app=admin_app()).disabled is False
    assert api.result("health", {}, token=token)["uid"] == uid
    assert [a["action"] for a in store_actions(store)] == ["disable_user", "enable_user"]


def store_actions(store) -> list[dict]:
    from shared.store import query

    docs = store.query(query("admin_actions", []))
    return [d.data for d in sorted(docs, key=lambda d: d.data["createdAt"])]
