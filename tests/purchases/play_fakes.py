"""Reusable Google fixtures: a service account, Google's OAuth token endpoint, the Play
Developer API (androidpublisher v3) and Pub/Sub push OIDC tokens, speaking Google's formats.
"""

import base64
import json
import secrets
import threading
import time
import uuid
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from urllib.parse import parse_qs, unquote

import jwt
from cloudevents.conversion import to_structured
from cloudevents.http import CloudEvent
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from werkzeug.wrappers import Request, Response

from shared.dev.keys import new_signing_key
from tests.support.tokens import certs_app

PACKAGE = "com.example.app"
SCOPE = "https://www.googleapis.com/auth/androidpublisher"
GOOGLE_TOKEN_AUDIENCE = "https://oauth2.googleapis.com/token"


def rfc3339(when: datetime) -> str:
    return when.strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"


@dataclass
class ServiceAccount:
    """A service account key file, as the Cloud console downloads it."""

    email: str
    key: rsa.RSAPrivateKey
    key_id: str

    @classmethod
    def new(cls) -> "ServiceAccount":
        key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        return cls("play-api@demo-test.iam.gserviceaccount.com", key, uuid.uuid4().hex)

    def info(self, token_uri: str) -> dict[str, Any]:
        pem = self.key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        ).decode()
        return {
            "type": "service_account",
            "project_id": "demo-test",
            "private_key_id": self.key_id,
            "private_key": pem,
            "client_email": self.email,
            "client_id": "1234567890",
            "auth_uri": "https://accounts.google.com/o/oauth2/auth",
            "token_uri": token_uri,
        }


@dataclass
class OAuthServer:
    """Google's token endpoint for the JWT-bearer grant of service accounts."""

    account: ServiceAccount
    issued: set[str] = field(default_factory=set)
    requests: int = 0

    def __call__(self, environ, start_response):
        request = Request(environ)
        self.requests += 1
        form = parse_qs(request.get_data(as_text=True))
        try:
            assert form["grant_type"] == ["urn:ietf:params:oauth:grant-type:jwt-bearer"]
            claims = jwt.decode(
                form["assertion"][0],
                self.account.key.public_key(),
                algorithms=["RS256"],
                # google-auth always addresses the assertion to Google's token endpoint.
                audience=GOOGLE_TOKEN_AUDIENCE,
            )
            assert claims["iss"] == self.account.email and SCOPE in claims["scope"].split()
        except (AssertionError, KeyError, jwt.PyJWTError):
            body = {"error": "invalid_grant", "error_description": "Invalid JWT Signature."}
            return Response(json.dumps(body), 400, mimetype="application/json")(
                environ, start_response
            )
        token = "ya29." + secrets.token_urlsafe(24)
        self.issued.add(token)
        body = {"access_token": token, "expires_in": 3599, "token_type": "Bearer"}
        return Response(json.dumps(body), mimetype="application/json")(environ, start_response)


def _error(status: int, message: str, reason: str) -> Response:
    body = {
        "error": {
            "code": status,
            "message": message,
            "errors": [{"message": message, "domain": "androidpublisher", "reason": reason}],
            "status": {400: "INVALID_ARGUMENT", 404: "NOT_FOUND", 401: "UNAUTHENTICATED"}.get(
                status, "UNKNOWN"
            ),
        }
    }
    return Response(json.dumps(body), status, mimetype="application/json")


@dataclass
class PlayServer:
    """androidpublisher v3: subscriptionsv2.get, products.get, both acknowledges and
    products.consume."""

    oauth: OAuthServer
    subscriptions: dict[str, tuple[str, dict[str, Any]]] = field(default_factory=dict)
    products: dict[str, tuple[str, str, dict[str, Any]]] = field(default_factory=dict)
    calls: list[tuple[str, str]] = field(default_factory=list)
    fail_next: int = 0
    fail_consumes: int = 0  # answer the next n :consume calls with 503
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def reset(self) -> None:
        self.subscriptions.clear()
        self.products.clear()
        self.calls.clear()
        self.fail_next = 0
        self.fail_consumes = 0

    def add_subscription(self, token: str, body: dict[str, Any], package: str = PACKAGE) -> None:
        self.subscriptions[token] = (package, body)

    def add_product(
        self, token: str, product_id: str, body: dict[str, Any], package: str = PACKAGE
    ) -> None:
        self.products[token] = (package, product_id, body)

    def __call__(self, environ, start_response):
        request = Request(environ)
        with self._lock:
            self.calls.append((request.method, request.path))
            failing = self.fail_next > 0
            self.fail_next -= failing
            if request.path.endswith(":consume") and self.fail_consumes > 0:
                failing, self.fail_consumes = True, self.fail_consumes - 1
        if failing:
            response = _error(503, "Backend Error", "backendError")
        elif request.headers.get("Authorization", "").removeprefix("Bearer ") not in (
            self.oauth.issued
        ):
            response = _error(401, "Request had invalid authentication credentials.", "authError")
        else:
            response = self._route(request)
        return response(environ, start_response)

    def _route(self, request: Request) -> Response:
        prefix = "/androidpublisher/v3/applications/"
        parts = [unquote(p) for p in request.path.removeprefix(prefix).split("/")]
        package, kind = parts[0], parts[2]
        token = parts[-1].removesuffix(":acknowledge").removesuffix(":consume")
        if kind == "subscriptionsv2" or kind == "subscriptions":
            found = self.subscriptions.get(token)
            stored = found and (found[0], found[1])
        else:
            found = self.products.get(token)
            stored = found and found[1] == parts[3] and (found[0], found[2])
        if not stored:
            return _error(404, "The purchase token was not found.", "purchaseTokenNotFound")
        if stored[0] != package:
            return _error(
                400,
                "The purchase token does not match the package name.",
                "purchaseTokenDoesNotMatchPackage",
            )
        body = stored[1]
        if parts[-1].endswith(":consume"):
            body["consumptionState"], body["acknowledgementState"] = 1, 1
            return Response("{}", mimetype="application/json")
        if parts[-1].endswith(":acknowledge"):
            if kind == "subscriptions":
                body["acknowledgementState"] = "ACKNOWLEDGEMENT_STATE_ACKNOWLEDGED"
            else:
                body["acknowledgementState"] = 1
            return Response("{}", mimetype="application/json")
        return Response(json.dumps(body), mimetype="application/json")


def subscription_purchase(
    *,
    product_id: str,
    start: datetime,
    expiry: datetime,
    state: str = "SUBSCRIPTION_STATE_ACTIVE",
    order_id: str = "GPA.3333-4444-5555-66666",
    auto_renew: bool = True,
    acknowledged: bool = False,
    account_id: str | None = None,
    test: bool = False,
) -> dict[str, Any]:
    """A SubscriptionPurchaseV2 as purchases.subscriptionsv2.get returns it."""
    body: dict[str, Any] = {
        "kind": "androidpublisher#subscriptionPurchaseV2",
        "regionCode": "US",
        "startTime": rfc3339(start),
        "subscriptionState": state,
        "latestOrderId": order_id,
        "acknowledgementState": "ACKNOWLEDGEMENT_STATE_ACKNOWLEDGED"
        if acknowledged
        else "ACKNOWLEDGEMENT_STATE_PENDING",
        "lineItems": [
            {
                "productId": product_id,
                "expiryTime": rfc3339(expiry),
                "autoRenewingPlan": {"autoRenewEnabled": auto_renew},
                "offerDetails": {"basePlanId": "monthly"},
                "latestSuccessfulOrderId": order_id,
            }
        ],
    }
    if account_id is not None:
        body["externalAccountIdentifiers"] = {"obfuscatedExternalAccountId": account_id}
    if test:
        body["testPurchase"] = {}
    return body


def product_purchase(
    *,
    purchased_at: datetime,
    order_id: str = "GPA.1111-2222-3333-44444",
    state: int = 0,
    acknowledged: bool = False,
    quantity: int = 1,
    account_id: str | None = None,
) -> dict[str, Any]:
    """A ProductPurchase as purchases.products.get returns it (int64 as strings)."""
    body: dict[str, Any] = {
        "kind": "androidpublisher#productPurchase",
        "purchaseTimeMillis": str(int(purchased_at.timestamp() * 1000)),
        "purchaseState": state,
        "consumptionState": 0,
        "developerPayload": "",
        "orderId": order_id,
        "acknowledgementState": 1 if acknowledged else 0,
        "quantity": quantity,
        "regionCode": "US",
    }
    if account_id is not None:
        body["obfuscatedExternalAccountId"] = account_id
    return body


def developer_notification(package: str = PACKAGE, **kind: Any) -> bytes:
    """The JSON Google Play publishes, e.g. subscriptionNotification={...}."""
    body = {
        "version": "1.0",
        "packageName": package,
        "eventTimeMillis": str(int(time.time() * 1000)),
    }
    return json.dumps(body | kind).encode()


def push_body(data: bytes, subscription: str = "projects/demo-test/subscriptions/play") -> bytes:
    """A Pub/Sub push request body."""
    message_id = str(uuid.uuid4().int)[:16]
    return json.dumps(
        {
            "message": {
                "data": base64.b64encode(data).decode(),
                "attributes": {},
                "messageId": message_id,
                "message_id": message_id,
                "publishTime": "2026-01-01T12:00:00.000Z",
            },
            "subscription": subscription,
        }
    ).encode()


def cloud_event(data: bytes, topic: str = "play-notifications") -> tuple[dict[str, str], bytes]:
    """Headers and body of a structured CloudEvent as Pub/Sub delivers it to a function."""
    message_id = uuid.uuid4().hex
    event = CloudEvent(
        {
            "type": "google.cloud.pubsub.topic.v1.messagePublished",
            "source": f"//pubsub.googleapis.com/projects/demo-test/topics/{topic}",
            "id": message_id,
        },
        {"message": {"data": base64.b64encode(data).decode(), "messageId": message_id}},
    )
    headers, body = to_structured(event)
    return dict(headers), body


@dataclass
class OidcSigner:
    """Signs Pub/Sub push OIDC tokens; `certs_app` serves the keys like Google's oauth2/v1/certs."""

    kid: str
    key_pem: str
    cert_pem: str

    @classmethod
    def new(cls) -> "OidcSigner":
        return cls(*new_signing_key("pubsub-oidc-test"))

    def token(
        self,
        audience: str,
        email: str,
        *,
        issuer: str = "https://accounts.google.com",
        email_verified: bool = True,
        lifetime: int = 3600,
    ) -> str:
        now = int(time.time())
        claims = {
            "aud": audience,
            "azp": "1234567890",
            "email": email,
            "email_verified": email_verified,
            "exp": now + lifetime,
            "iat": now,
            "iss": issuer,
            "sub": "1234567890",
        }
        return jwt.encode(claims, self.key_pem, algorithm="RS256", headers={"kid": self.kid})

    def certs_app(self):
        return certs_app({self.kid: self.cert_pem})
