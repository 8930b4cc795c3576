"""Test helpers: act on localstripe as the app's Stripe SDK or the Stripe dashboard would, and
build, sign and deliver webhook events exactly as Stripe does."""

import hashlib
import hmac
import json
import secrets
import time
from typing import Any

import httpx

from tests.stripe.standin import StripeStandIn

SECRET_KEY = "sk_test_localstripe"
WEBHOOK_SECRET = "whsec_test_secret"
MONTHLY, YEARLY, PRO = "price_individual_monthly", "price_individual_yearly", "price_pro_monthly"
PRODUCT = "prod_individual"


def plans_setting() -> str:
    return json.dumps(
        {
            "individual": {
                "addOns": ["sync"],
                "prices": {"month": MONTHLY, "year": YEARLY},
                "trialDays": 14,
            },
            "pro": {"addOns": ["sync", "ai"], "prices": {"month": PRO}},
        }
    )


def sign(payload: bytes | str, timestamp: int | None = None, secret: str = WEBHOOK_SECRET) -> str:
    """Stripe's scheme: `t=<ts>,v1=HMAC_SHA256(secret, "<ts>.<payload>")`."""
    text = payload.decode() if isinstance(payload, bytes) else payload
    t = int(time.time()) if timestamp is None else timestamp
    mac = hmac.new(secret.encode(), f"{t}.{text}".encode(), hashlib.sha256).hexdigest()
    return f"t={t},v1={mac}"


def event(
    type_: str, obj: dict[str, Any], event_id: str | None = None, created: int | None = None
) -> dict[str, Any]:
    return {
        "id": event_id or "evt_" + secrets.token_hex(12),
        "object": "event",
        "type": type_,
        "created": int(time.time()) if created is None else created,
        "livemode": False,
        "api_version": "2026-10-28.endive",
        "data": {"object": obj},
    }


class StripeHelper:
    def __init__(self, localstripe_url: str, standin: StripeStandIn) -> None:
        self.url = localstripe_url
        self.standin = standin
        self.http = httpx.Client(base_url=localstripe_url, auth=(SECRET_KEY, ""), timeout=30)

    def ok(self, response: httpx.Response) -> dict[str, Any]:
        assert response.status_code == 200, response.text
        return response.json()

    def get(self, path: str) -> dict[str, Any]:
        return self.ok(self.http.get(path))

    def post(self, path: str, data: dict[str, Any] | None = None) -> dict[str, Any]:
        return self.ok(self.http.post(path, data=data or {}))

    # --- the account ------------------------------------------------------------------

    def seed_catalog(self) -> None:
        """The product and its plans in localstripe (its subscriptions take plans), and the
        same ids as prices in the stand-in (localstripe has no prices)."""
        if self.http.get(f"/v1/products/{PRODUCT}").status_code == 404:
            self.post("/v1/products", {"id": PRODUCT, "name": "Individual"})
        plans = ((MONTHLY, 900, "month"), (YEARLY, 9000, "year"), (PRO, 1500, "month"))
        for price, amount, interval in plans:
            if self.http.get(f"/v1/plans/{price}").status_code == 404:
                plan = {"id": price, "product": PRODUCT, "amount": amount, "interval": interval}
                self.post("/v1/plans", plan | {"currency": "usd"})
            self.standin.add_price(price, PRODUCT, amount, interval)

    def flush(self) -> None:
        """Empty localstripe (a backfill lists the whole account), then seed the catalog."""
        assert self.http.delete("/_config/data").status_code == 200
        self.seed_catalog()

    def customer(self, uid: str | None, email: str | None = None) -> dict[str, Any]:
        data = {"email": email or f"{uid}@example.com"}
        if uid:
            data["metadata[firebaseUID]"] = uid
        return self.post("/v1/customers", data)

    # --- as the app's Stripe SDK ------------------------------------------------------

    def pay(self, pi_id: str, card: str = "pm_card_visa") -> dict[str, Any]:
        """Confirm an intent with a test card; the intent as Stripe then has it."""
        self.post(f"/v1/payment_intents/{pi_id}", {"payment_method": card})
        self.http.post(f"/v1/payment_intents/{pi_id}/confirm")  # 402 for a declined card
        return self.get(f"/v1/payment_intents/{pi_id}")

    def intent(self, customer: str, amount: int, metadata: dict[str, str]) -> dict[str, Any]:
        """An intent made behind our back (the dashboard, a tampered client...)."""
        data = {"amount": amount, "currency": "usd", "customer": customer}
        data |= {f"metadata[{k}]": v for k, v in metadata.items()}
        return self.post("/v1/payment_intents", data)

    def refund(self, pi: dict[str, Any], amount: int | None = None) -> dict[str, Any]:
        """Refund (part of) a paid intent; its charge as Stripe then has it."""
        charge = pi["latest_charge"]["id"]
        self.post("/v1/refunds", {"charge": charge} | ({"amount": amount} if amount else {}))
        return self.get(f"/v1/charges/{charge}")

    def subscribe(self, customer: str, price: str, uid: str | None = None) -> dict[str, Any]:
        """What Checkout does once paid: a card on file and an active subscription."""
        self.post("/v1/payment_methods/pm_card_visa/attach", {"customer": customer})
        methods = self.get(f"/v1/payment_methods?customer={customer}&type=card")
        default = {"invoice_settings[default_payment_method]": methods["data"][0]["id"]}
        self.post(f"/v1/customers/{customer}", default)
        data = {"customer": customer, "items[0][plan]": price}
        if uid:
            data["metadata[firebaseUID]"] = uid
        return self.post("/v1/subscriptions", data)

    def cancel(self, sub_id: str) -> dict[str, Any]:
        return self.ok(self.http.delete(f"/v1/subscriptions/{sub_id}"))

    # --- webhooks ---------------------------------------------------------------------

    @staticmethod
    def signed(evt: dict[str, Any], timestamp: int | None = None) -> tuple[bytes, dict[str, str]]:
        payload = json.dumps(evt).encode()
        headers = {"Stripe-Signature": sign(payload, timestamp), "Content-Type": "application/json"}
        return payload, headers

    def deliver(
        self, http: httpx.Client, evt: dict[str, Any], timestamp: int | None = None
    ) -> httpx.Response:
        """POST a signed event to the dev server's /stripe_webhook."""
        payload, headers = self.signed(evt, timestamp)
        return http.post("/stripe_webhook", content=payload, headers=headers)
