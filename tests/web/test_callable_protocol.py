"""The Firebase callable protocol over real HTTP: every kind of bad request gets a clear,
coded error and writes nothing."""

import json
import time

import httpx
import jwt
import pytest

from shared.dev.keys import new_signing_key, sign_id_token
from tests.support.store import all_documents
from tests.support.tokens import PROJECT_ID


def post(
    api, body: bytes | str, headers: dict[str, str] | None = None, name: str = "health"
) -> httpx.Response:
    return api.http.post(f"/{name}", content=body, headers=headers or {})


def error_of(response: httpx.Response) -> tuple[int, str, str]:
    error = response.json()["error"]
    return response.status_code, error["status"], error["details"]["code"]


def test_a_valid_call_answers_the_result(api):
    response = api.call("health", {}, uid="alice")
    assert response.status_code == 200
    assert response.json()["result"]["uid"] == "alice"
    assert response.json()["result"]["version"]


@pytest.mark.parametrize(
    ("body", "content_type", "reason"),
    [
        (b"{not json", "application/json", "not valid JSON"),
        (b'{"notdata": {}}', "application/json", '{"data": ...}'),
        (b'{"data": {}, "extra": 1}', "application/json", '{"data": ...}'),
        (b"[1, 2]", "application/json", '{"data": ...}'),
        (b'{"data": {}}', "text/plain", "application/json"),
        (b"\xff\xfe", "application/json", "not valid JSON"),
    ],
)
def test_malformed_bodies_are_invalid_argument(api, store, body, content_type, reason):
    token = api.token("alice")
    response = post(api, body, {"Content-Type": content_type, "Authorization": f"Bearer {token}"})
    assert error_of(response) == (400, "INVALID_ARGUMENT", "ERR_4010")
    assert reason in response.json()["error"]["message"]
    assert all_documents(store) == {}


def test_get_instead_of_post_is_invalid_argument(api):
    response = api.http.get("/health", headers={"Authorization": f"Bearer {api.token('a')}"})
    assert error_of(response) == (400, "INVALID_ARGUMENT", "ERR_4010")


def test_preflight_answers_cors(api):
    response = api.http.options("/health")
    assert response.status_code == 204
    assert "Authorization" in response.headers["Access-Control-Allow-Headers"]


def test_a_body_over_the_limit_is_refused(api, monkeypatch):
    monkeypatch.setenv("MAX_BODY_BYTES", "1000")
    from shared import config

    config.reset()
    big = json.dumps({"data": {"x": "a" * 2000}})
    response = post(api, big, {"Content-Type": "application/json"})
    assert error_of(response) == (400, "INVALID_ARGUMENT", "ERR_4015")
    assert response.json()["error"]["details"]["limit"] == 1000


def test_unknown_fields_and_wrong_types_are_refused(api):
    status, code, error = api.error("health", {"surprise": 1}, uid="alice")
    assert (status, code) == (400, "ERR_4000")
    assert error["details"]["fields"][0]["field"] == "surprise"


def test_missing_token_is_unauthenticated(api):
    assert api.error("health", {})[:2] == (401, "ERR_4011")


def test_a_malformed_authorization_header_is_unauthenticated(api):
    for header in ("Basic abc", "Bearer", "Bearer not-a-jwt"):
        response = api.call("health", {}, headers={"Authorization": header})
        assert error_of(response)[:2] == (401, "UNAUTHENTICATED")


def test_expired_token_is_unauthenticated_with_its_own_code(api, signer):
    token = signer.token("alice", now=time.time() - 7200, lifetime=3600)
    assert api.error("health", {}, token=token)[:2] == (401, "ERR_4013")


def test_token_signed_by_an_unknown_key_is_refused(api, signer):
    kid, key_pem, _ = new_signing_key()
    token = sign_id_token(key_pem, kid, PROJECT_ID, "alice")
    assert api.error("health", {}, token=token)[:2] == (401, "ERR_4012")
    # The same unknown key presenting a known kid fails the signature check.
    forged = sign_id_token(key_pem, signer.kid, PROJECT_ID, "alice")
    assert api.error("health", {}, token=forged)[:2] == (401, "ERR_4012")


@pytest.mark.parametrize(
    "claims",
    [
        {"aud": "another-project"},
        {"iss": "https://securetoken.google.com/another-project"},
        {"iss": "https://evil.example.com/demo-test"},
        {"sub": ""},
        {"auth_time": int(time.time()) + 3600},
    ],
)
def test_wrong_audience_issuer_subject_or_auth_time_is_refused(api, signer, claims):
    assert api.error("health", {}, token=signer.token("alice", claims))[:2] == (401, "ERR_4012")


def test_alg_none_and_hs256_confusion_are_refused(api, signer):
    payload = jwt.decode(signer.token("alice"), options={"verify_signature": False})
    unsigned = jwt.encode(payload, None, algorithm="none", headers={"kid": signer.kid})
    assert api.error("health", {}, token=unsigned)[:2] == (401, "ERR_4012")
    # HS256 keyed with the public certificate: the classic algorithm-confusion forgery.
    header = {"alg": "HS256", "kid": signer.kid, "typ": "JWT"}
    import base64
    import hashlib
    import hmac

    def b64(data: bytes) -> str:
        return base64.urlsafe_b64encode(data).rstrip(b"=").decode()

    signing_input = f"{b64(json.dumps(header).encode())}.{b64(json.dumps(payload).encode())}"
    mac = hmac.new(signer.cert_pem.encode(), signing_input.encode(), hashlib.sha256).digest()
    assert api.error("health", {}, token=f"{signing_input}.{b64(mac)}")[:2] == (401, "ERR_4012")


def test_messages_follow_accept_language(api):
    for language, word in (("tr", "Giriş"), ("es", "iniciar sesión"), ("en", "Sign-in")):
        response = api.call("health", {}, headers={"Accept-Language": f"{language};q=0.9"})
        assert word in response.json()["error"]["message"]
    response = api.call("health", {}, headers={"Accept-Language": "de, es;q=0.5"})
    assert "iniciar" in response.json()["error"]["message"]


def test_unhandled_exceptions_are_internal_without_internals(api, monkeypatch):
    import shared.health

    def explode(uid: str):
        raise RuntimeError("secret database password is hunter2")

    monkeypatch.setattr(shared.health, "check_health", explode)
    import functions.health

    monkeypatch.setattr(functions.health, "check_health", explode)
    response = api.call("health", {}, uid="alice")
    assert error_of(response) == (500, "INTERNAL", "ERR_6001")
    assert "hunter2" not in response.text


def test_custom_claims_reach_the_handler(signer):
    from shared.web.auth import verifier

    auth = verifier().verify(signer.token("ops", {"admin": True}))
    assert auth.uid == "ops" and auth.is_admin
    assert not verifier().verify(signer.token("bob", {"admin": "true"})).is_admin


# Every callable the Firebase SDKs call with no argument, which they send as {"data": null}.
NO_ARGUMENT_CALLABLES = [
    "health",
    "get_entitlements",
    "wallet_get",
    "get_models",
    "device_list",
    "job_history",
    "create_billing_portal_session",
    "stripe_backfill_list",
]


@pytest.mark.parametrize("name", NO_ARGUMENT_CALLABLES)
def test_data_null_is_a_call_without_arguments(api, name):
    token = api.token("alice", {"admin": True})
    headers = {"Content-Type": "application/json", "Authorization": f"Bearer {token}"}
    response = post(api, b'{"data": null}', headers, name)
    if name in ("create_billing_portal_session", "stripe_backfill_list"):
        # Stripe is not configured here: whatever they answer, the request itself was fine.
        assert response.json().get("error", {}).get("details", {}).get("code") != "ERR_4000"
    else:
        assert response.status_code == 200, response.json()


def test_data_null_still_needs_the_required_fields(api, store):
    token = api.token("alice")
    headers = {"Content-Type": "application/json", "Authorization": f"Bearer {token}"}
    response = post(api, b'{"data": null}', headers, "session_start")
    assert error_of(response) == (400, "INVALID_ARGUMENT", "ERR_4000")
    assert all_documents(store) == {}


@pytest.mark.parametrize("depth", [65, 900, 3000, 100_000])
def test_deeply_nested_json_without_a_token_is_400_and_no_unhandled_error(
    api, store, caplog, depth
):
    body = '{"data": ' + "[" * depth + "]" * depth + "}"
    nested_objects = '{"data": ' + '{"a": ' * depth + "1" + "}" * depth + "}"
    for raw in (body, nested_objects):
        response = post(api, raw, {"Content-Type": "application/json"})
        assert error_of(response) == (400, "INVALID_ARGUMENT", "ERR_4010")
        assert "nests deeper" in response.json()["error"]["message"]
    assert not [r for r in caplog.records if r.getMessage() == "unhandled error"]
    assert all_documents(store) == {}


def test_json_nested_within_the_limit_reaches_validation(api):
    body = '{"data": {"a": ' + "[" * 60 + "]" * 60 + "}}"
    token = api.token("alice")
    response = post(
        api, body, {"Content-Type": "application/json", "Authorization": f"Bearer {token}"}
    )
    assert error_of(response) == (400, "INVALID_ARGUMENT", "ERR_4000")


@pytest.mark.parametrize(
    "content_type",
    ["application/json; charset=utf-8", "Application/JSON", "application/json ;charset=UTF-8"],
)
def test_json_content_types_with_parameters_are_accepted(api, content_type):
    token = api.token("alice")
    response = post(
        api, b'{"data": {}}', {"Content-Type": content_type, "Authorization": f"Bearer {token}"}
    )
    assert response.status_code == 200


@pytest.mark.parametrize("content_type", ["application/jsonx", "application/json-patch+json", ""])
def test_other_content_types_are_refused(api, content_type):
    response = post(api, b'{"data": {}}', {"Content-Type": content_type})
    assert error_of(response) == (400, "INVALID_ARGUMENT", "ERR_4010")


STRANGE_BODIES = [
    b'{"data": NaN}',
    b'{"data": Infinity}',
    b'{"data": -Infinity}',
    b'{"data": 1e999}',
    b'{"data": ' + b"9" * 5000 + b"}",
    b'{"data": "\\ud800"}',
    b'{"data": {"\\udfff": 1}}',
    b'{"data": {"a": 1, "a": 2}}',
    b'{"data": []}',
    b'{"data": ""}',
    b'{"data": true}',
    b'{"data": {}, "data": null}',
    b'{"data"}',
    b"null",
    b'"data"',
    b"",
    b"\x00\x00",
    b'{"data": {"limit": 1e308}}',
    b'{"data": {"cursor": {"$ne": 1}}}',
]


@pytest.mark.parametrize("body", STRANGE_BODIES)
@pytest.mark.parametrize("name", ["health", "wallet_get", "session_start", "sync_push"])
def test_no_body_of_any_shape_answers_5xx(api, store, caplog, body, name):
    for headers in ({}, {"Authorization": f"Bearer {api.token('alice')}"}):
        response = post(api, body, {"Content-Type": "application/json", **headers}, name)
        assert response.status_code < 500, response.text
    assert not [r for r in caplog.records if r.getMessage() == "unhandled error"]
    assert not [p for p in all_documents(store) if not p.startswith("rate_limits/")]
