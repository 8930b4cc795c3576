"""Reusable App Store fixtures: a signing chain shaped like Apple's, payloads in Apple's wire
format, and local stand-ins for the App Store Server API and verifyReceipt.

The chain is root -> intermediate -> leaf with the extensions Apple's SignedDataVerifier checks
(leaf OID 1.2.840.113635.100.6.11.1, intermediate OID 1.2.840.113635.100.6.2.1); JWS carry it
in `x5c` and are signed ES256 by the leaf, as Apple signs them.
"""

import base64
import json
import threading
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

import jwt
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID
from werkzeug.routing import Map, Rule
from werkzeug.wrappers import Request, Response

LEAF_OID = x509.ObjectIdentifier("1.2.840.113635.100.6.11.1")
INTERMEDIATE_OID = x509.ObjectIdentifier("1.2.840.113635.100.6.2.1")
DER_NULL = b"\x05\x00"
BUNDLE_ID = "com.example.app"
APP_APPLE_ID = 1234567890
AUTO_RENEWABLE = "Auto-Renewable Subscription"
CONSUMABLE = "Consumable"
NON_CONSUMABLE = "Non-Consumable"


def millis(when: datetime | None) -> int | None:
    return int(when.timestamp() * 1000) if when is not None else None


def _name(common_name: str) -> x509.Name:
    return x509.Name(
        [
            x509.NameAttribute(NameOID.COMMON_NAME, common_name),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Test Apple Inc."),
            x509.NameAttribute(NameOID.COUNTRY_NAME, "US"),
        ]
    )


def _certificate(
    subject: str,
    key: ec.EllipticCurvePrivateKey,
    issuer: tuple[x509.Name, ec.EllipticCurvePrivateKey] | None,
    *,
    ca: bool,
    path_length: int | None,
    oid: x509.ObjectIdentifier | None,
    valid: tuple[datetime, datetime],
) -> x509.Certificate:
    issuer_name, issuer_key = issuer or (_name(subject), key)
    usage = dict.fromkeys(
        (
            "digital_signature",
            "content_commitment",
            "key_encipherment",
            "data_encipherment",
            "key_agreement",
            "key_cert_sign",
            "crl_sign",
            "encipher_only",
            "decipher_only",
        ),
        False,
    )
    usage |= {"key_cert_sign": ca, "crl_sign": ca, "digital_signature": not ca}
    builder = (
        x509.CertificateBuilder()
        .subject_name(_name(subject))
        .issuer_name(issuer_name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(valid[0])
        .not_valid_after(valid[1])
        .add_extension(x509.BasicConstraints(ca=ca, path_length=path_length), critical=True)
        .add_extension(x509.KeyUsage(**usage), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(issuer_key.public_key()),
            critical=False,
        )
    )
    if oid is not None:
        builder = builder.add_extension(x509.UnrecognizedExtension(oid, DER_NULL), critical=False)
    return builder.sign(issuer_key, hashes.SHA256())


def _b64(cert: x509.Certificate) -> str:
    return base64.b64encode(cert.public_bytes(serialization.Encoding.DER)).decode()


WIDE = (datetime(2020, 1, 1, tzinfo=UTC), datetime(2045, 1, 1, tzinfo=UTC))


class AppleCA:
    """A root, an intermediate and a signing leaf shaped like Apple's.

    `leaf_valid` narrows the leaf's validity (an expired signing certificate);
    `leaf_oid=False` drops the leaf's Apple extension (a chain Apple would not use).
    """

    def __init__(
        self,
        name: str = "Test Apple Root CA - G3",
        leaf_valid: tuple[datetime, datetime] = WIDE,
        leaf_oid: bool = True,
    ) -> None:
        self.root_key = ec.generate_private_key(ec.SECP256R1())
        self.root = _certificate(
            name, self.root_key, None, ca=True, path_length=None, oid=None, valid=WIDE
        )
        self.intermediate_key = ec.generate_private_key(ec.SECP256R1())
        self.intermediate = _certificate(
            "Test Apple Worldwide Developer Relations CA - G6",
            self.intermediate_key,
            (self.root.subject, self.root_key),
            ca=True,
            path_length=0,
            oid=INTERMEDIATE_OID,
            valid=WIDE,
        )
        self.leaf_key = ec.generate_private_key(ec.SECP256R1())
        self.leaf = _certificate(
            "Test Prod ECC Mac App Store and iTunes Store Receipt Signing",
            self.leaf_key,
            (self.intermediate.subject, self.intermediate_key),
            ca=False,
            path_length=None,
            oid=LEAF_OID if leaf_oid else None,
            valid=leaf_valid,
        )

    @property
    def root_der(self) -> bytes:
        return self.root.public_bytes(serialization.Encoding.DER)

    def with_leaf(self, **options: Any) -> "AppleCA":
        """Another leaf under this same root and intermediate."""
        other = AppleCA.__new__(AppleCA)
        other.root_key, other.root = self.root_key, self.root
        other.intermediate_key, other.intermediate = self.intermediate_key, self.intermediate
        other.leaf_key = ec.generate_private_key(ec.SECP256R1())
        other.leaf = _certificate(
            "Test leaf",
            other.leaf_key,
            (self.intermediate.subject, self.intermediate_key),
            ca=False,
            path_length=None,
            oid=LEAF_OID if options.get("leaf_oid", True) else None,
            valid=options.get("leaf_valid", WIDE),
        )
        return other

    def sign(self, payload: dict[str, Any]) -> str:
        """A JWS of `payload` the way the App Store signs its data."""
        chain = [_b64(self.leaf), _b64(self.intermediate), _b64(self.root)]
        return jwt.encode(
            payload, self.leaf_key, algorithm="ES256", headers={"x5c": chain, "typ": None}
        )


# --- payloads in Apple's format ------------------------------------------------------------


def transaction(
    *,
    transaction_id: str,
    product_id: str,
    purchase_date: datetime,
    expires_date: datetime | None = None,
    original_transaction_id: str | None = None,
    type: str = AUTO_RENEWABLE,
    environment: str = "Production",
    bundle_id: str = BUNDLE_ID,
    app_account_token: str | None = None,
    revocation_date: datetime | None = None,
    revocation_reason: int | None = None,
    quantity: int = 1,
    signed_date: datetime | None = None,
) -> dict[str, Any]:
    """A JWSTransactionDecodedPayload as Apple sends it."""
    payload = {
        "transactionId": transaction_id,
        "originalTransactionId": original_transaction_id or transaction_id,
        "webOrderLineItemId": f"9{transaction_id}",
        "bundleId": bundle_id,
        "productId": product_id,
        "subscriptionGroupIdentifier": "21000001" if type == AUTO_RENEWABLE else None,
        "purchaseDate": millis(purchase_date),
        "originalPurchaseDate": millis(purchase_date),
        "expiresDate": millis(expires_date),
        "quantity": quantity,
        "type": type,
        "appAccountToken": app_account_token,
        "inAppOwnershipType": "PURCHASED",
        "signedDate": millis(signed_date or purchase_date),
        "revocationReason": revocation_reason,
        "revocationDate": millis(revocation_date),
        "environment": environment,
        "transactionReason": "PURCHASE",
        "storefront": "USA",
        "storefrontId": "143441",
        "price": 4990,
        "currency": "USD",
    }
    return {k: v for k, v in payload.items() if v is not None}


def renewal_info(
    *,
    original_transaction_id: str,
    product_id: str,
    signed_date: datetime,
    auto_renew: bool = True,
    billing_retry: bool = False,
    grace_period_expires: datetime | None = None,
    renewal_date: datetime | None = None,
    environment: str = "Production",
) -> dict[str, Any]:
    """A JWSRenewalInfoDecodedPayload as Apple sends it."""
    payload = {
        "originalTransactionId": original_transaction_id,
        "autoRenewProductId": product_id,
        "productId": product_id,
        "autoRenewStatus": 1 if auto_renew else 0,
        "isInBillingRetryPeriod": billing_retry,
        "gracePeriodExpiresDate": millis(grace_period_expires),
        "signedDate": millis(signed_date),
        "environment": environment,
        "recentSubscriptionStartDate": millis(signed_date),
        "renewalDate": millis(renewal_date),
    }
    return {k: v for k, v in payload.items() if v is not None}


def notification(
    ca: AppleCA,
    notification_type: str,
    *,
    signed_date: datetime,
    transaction: dict[str, Any] | None = None,
    renewal: dict[str, Any] | None = None,
    subtype: str | None = None,
    notification_uuid: str | None = None,
    environment: str = "Production",
    bundle_id: str = BUNDLE_ID,
    app_apple_id: int = APP_APPLE_ID,
    extra_data: dict[str, Any] | None = None,
) -> str:
    """A signedPayload of App Store Server Notifications V2, nested data signed too."""
    data: dict[str, Any] = {
        "appAppleId": app_apple_id,
        "bundleId": bundle_id,
        "bundleVersion": "1.0",
        "environment": environment,
        **(extra_data or {}),
    }
    if transaction is not None:
        data["signedTransactionInfo"] = ca.sign(transaction)
        data["status"] = 1
    if renewal is not None:
        data["signedRenewalInfo"] = ca.sign(renewal)
    payload = {
        "notificationType": notification_type,
        "subtype": subtype,
        "notificationUUID": notification_uuid or str(uuid.uuid4()),
        "version": "2.0",
        "signedDate": millis(signed_date),
        "data": data,
    }
    return ca.sign({k: v for k, v in payload.items() if v is not None})


# --- stand-ins ------------------------------------------------------------------------------


@dataclass
class Subscription:
    """What the App Store Server API knows of one subscription."""

    latest: dict[str, Any]
    renewal: dict[str, Any] | None
    status: int = 1  # 1 active, 2 expired, 3 billing retry, 4 grace period, 5 revoked


@dataclass
class AppleApiServer:
    """App Store Server API: Get Transaction Info and Get All Subscription Statuses.

    Checks the ES256 bearer JWT (kid, iss, aud appstoreconnect-v1, bid) like Apple; signs
    every answer at request time (`clock`).
    """

    ca: AppleCA
    public_key: ec.EllipticCurvePublicKey
    key_id: str
    issuer_id: str
    clock: Callable[[], datetime]
    transactions: dict[str, dict[str, Any]] = field(default_factory=dict)
    subscriptions: dict[str, Subscription] = field(default_factory=dict)
    fail_next: int = 0
    calls: list[str] = field(default_factory=list)
    # Get Notification History: (signedDate ms, signedPayload) of every notification "sent".
    history: list[tuple[int, str]] = field(default_factory=list)
    history_page_size: int = 2
    # Send Consumption Information: transactionId -> the bodies received.
    consumption: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def reset(self) -> None:
        self.transactions.clear()
        self.subscriptions.clear()
        self.calls.clear()
        self.fail_next = 0
        self.history.clear()
        self.consumption.clear()

    def sent(self, signed_payload: str, signed_date: datetime) -> None:
        """Record a notification as sent by Apple (delivered or not) for the history."""
        self.history.append((millis(signed_date) or 0, signed_payload))

    def add(self, payload: dict[str, Any], renewal: dict[str, Any] | None = None) -> None:
        self.transactions[payload["transactionId"]] = payload
        if payload.get("type") == AUTO_RENEWABLE:
            self.subscriptions[payload["originalTransactionId"]] = Subscription(payload, renewal)

    def _authorized(self, request: Request) -> bool:
        scheme, _, token = request.headers.get("Authorization", "").partition(" ")
        if scheme != "Bearer":
            return False
        try:
            header = jwt.get_unverified_header(token)
            claims = jwt.decode(
                token, self.public_key, algorithms=["ES256"], audience="appstoreconnect-v1"
            )
        except jwt.PyJWTError:
            return False
        return (
            header.get("kid") == self.key_id
            and claims.get("iss") == self.issuer_id
            and claims.get("bid") == BUNDLE_ID
        )

    def _signed(self, payload: dict[str, Any]) -> str:
        return self.ca.sign({**payload, "signedDate": millis(self.clock())})

    def __call__(self, environ, start_response):
        request = Request(environ)
        with self._lock:
            self.calls.append(request.path)
            failing = self.fail_next > 0
            self.fail_next -= failing
        if failing:
            response = Response("unavailable", status=503)
        elif not self._authorized(request):
            response = Response(status=401)
        else:
            response = self._route(request)
        return response(environ, start_response)

    def _history(self, request: Request) -> Response:
        body = json.loads(request.get_data() or b"{}")
        start, end = body.get("startDate"), body.get("endDate")
        if not isinstance(start, int) or not isinstance(end, int) or start >= end:
            error = {"errorCode": 4000023, "errorMessage": "Invalid start/end date."}
            return Response(json.dumps(error), status=400, mimetype="application/json")
        found = sorted(p for p in self.history if start <= p[0] < end)
        offset = int(request.args.get("paginationToken") or 0)
        page = found[offset : offset + self.history_page_size]
        more = offset + len(page) < len(found)
        answer: dict[str, Any] = {
            "notificationHistory": [
                {"sendAttempts": [], "signedPayload": payload} for _, payload in page
            ],
            "hasMore": more,
        }
        if more:
            answer["paginationToken"] = str(offset + len(page))
        return Response(json.dumps(answer), mimetype="application/json")

    def _consumption(self, request: Request, tid: str) -> Response:
        if tid not in self.transactions:
            return Response(status=404)
        body = json.loads(request.get_data() or b"{}")
        if not isinstance(body.get("customerConsented"), bool):
            return Response(json.dumps({"errorCode": 4000183}), status=400)
        with self._lock:
            self.consumption.setdefault(tid, []).append(body)
        return Response(status=202)

    def _route(self, request: Request) -> Response:
        if request.path == "/inApps/v1/notifications/history" and request.method == "POST":
            return self._history(request)
        prefix = "/inApps/v1/transactions/consumption/"
        if request.path.startswith(prefix) and request.method == "PUT":
            return self._consumption(request, request.path.removeprefix(prefix))
        urls = Map(
            [
                Rule("/inApps/v1/transactions/<tid>", endpoint="transaction"),
                Rule("/inApps/v1/subscriptions/<tid>", endpoint="subscriptions"),
            ]
        ).bind_to_environ(request.environ)
        endpoint, args = urls.match()
        found = self.transactions.get(args["tid"])
        if found is None:
            body = {"errorCode": 4040010, "errorMessage": "Transaction id not found."}
            return Response(json.dumps(body), status=404, mimetype="application/json")
        if endpoint == "transaction":
            body = {"signedTransactionInfo": self._signed(found)}
            return Response(json.dumps(body), mimetype="application/json")
        sub = self.subscriptions[found["originalTransactionId"]]
        item = {
            "originalTransactionId": found["originalTransactionId"],
            "status": sub.status,
            "signedTransactionInfo": self._signed(sub.latest),
        }
        if sub.renewal is not None:
            item["signedRenewalInfo"] = self._signed(sub.renewal)
        body = {
            "environment": "Production",
            "bundleId": BUNDLE_ID,
            "appAppleId": APP_APPLE_ID,
            "data": [{"subscriptionGroupIdentifier": "21000001", "lastTransactions": [item]}],
        }
        return Response(json.dumps(body), mimetype="application/json")


def receipt_item(
    *,
    transaction_id: str,
    product_id: str,
    purchase_date: datetime,
    expires_date: datetime | None = None,
    original_transaction_id: str | None = None,
    cancellation_date: datetime | None = None,
    quantity: int = 1,
) -> dict[str, Any]:
    """One in_app / latest_receipt_info entry as verifyReceipt returns it (strings)."""
    item = {
        "quantity": str(quantity),
        "product_id": product_id,
        "transaction_id": transaction_id,
        "original_transaction_id": original_transaction_id or transaction_id,
        "purchase_date": purchase_date.strftime("%Y-%m-%d %H:%M:%S Etc/GMT"),
        "purchase_date_ms": str(millis(purchase_date)),
        "original_purchase_date_ms": str(millis(purchase_date)),
        "is_trial_period": "false",
        "in_app_ownership_type": "PURCHASED",
    }
    if expires_date is not None:
        item["expires_date_ms"] = str(millis(expires_date))
        item["web_order_line_item_id"] = f"9{transaction_id}"
    if cancellation_date is not None:
        item["cancellation_date_ms"] = str(millis(cancellation_date))
        item["cancellation_reason"] = "0"
    return item


@dataclass
class ReceiptServer:
    """verifyReceipt, production at /prod/verifyReceipt and sandbox at /sandbox/verifyReceipt.

    A sandbox receipt sent to production answers 21007, as Apple's does.
    """

    shared_secret: str
    receipts: dict[str, tuple[str, dict[str, Any]]] = field(default_factory=dict)
    calls: list[str] = field(default_factory=list)

    def reset(self) -> None:
        self.receipts.clear()
        self.calls.clear()

    def add(
        self,
        receipt_data: str,
        in_app: list[dict[str, Any]],
        *,
        environment: str = "Production",
        bundle_id: str = BUNDLE_ID,
        latest: list[dict[str, Any]] | None = None,
        pending_renewal: list[dict[str, Any]] | None = None,
    ) -> None:
        body = {
            "status": 0,
            "environment": environment,
            "receipt": {
                "receipt_type": "ProductionSandbox" if environment == "Sandbox" else "Production",
                "bundle_id": bundle_id,
                "application_version": "1",
                "in_app": in_app,
            },
            "latest_receipt_info": latest or [],
            "latest_receipt": receipt_data,
            "pending_renewal_info": pending_renewal or [],
        }
        self.receipts[receipt_data] = (environment, body)

    def __call__(self, environ, start_response):
        request = Request(environ)
        self.calls.append(request.path)
        environment = "Sandbox" if request.path.startswith("/sandbox") else "Production"
        body = json.loads(request.get_data() or b"{}")
        found = self.receipts.get(body.get("receipt-data", ""))
        if body.get("password") != self.shared_secret:
            answer: dict[str, Any] = {"status": 21004}
        elif found is None:
            answer = {"status": 21002}
        elif found[0] != environment:
            answer = {"status": 21007 if found[0] == "Sandbox" else 21008}
        else:
            answer = found[1]
        return Response(json.dumps(answer), mimetype="application/json")(environ, start_response)


def new_api_key() -> tuple[str, ec.EllipticCurvePublicKey]:
    """An in-app purchase key (.p8 PEM) and its public key."""
    key = ec.generate_private_key(ec.SECP256R1())
    pem = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    ).decode()
    return pem, key.public_key()


def after(when: datetime, **delta: float) -> datetime:
    return when + timedelta(**delta)
