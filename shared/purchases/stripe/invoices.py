"""Invoices mirrored in `customers/{uid}/invoices/{id}`; a paid or failed invoice also
re-syncs its subscription, whose status (active, past_due) is what grants access."""

from datetime import datetime
from typing import Any

from shared import collections, wiring
from shared.purchases.stripe import events, mirror
from shared.purchases.stripe.customers import check_owner, uid_of_customer
from shared.purchases.stripe.objects import Invoice, StripeEvent, Subscription, timestamp
from shared.purchases.stripe.subscriptions import (
    apply_subscriptions,
    fetch_subscription,
    subscription_document,
)
from shared.store import Transaction


def invoice_path(uid: str, invoice_id: str) -> str:
    return f"{collections.customer_invoices(uid)}/{invoice_id}"


def invoice_document(invoice: Invoice, source_time: datetime) -> dict[str, Any]:
    return {
        "id": invoice.id,
        "status": invoice.status,
        "customer": invoice.customer,
        "subscription": invoice.subscription_id,
        "amountDue": invoice.amount_due,
        "amountPaid": invoice.amount_paid,
        "currency": invoice.currency,
        "created": timestamp(invoice.created),
        "periodStart": timestamp(invoice.period_start),
        "periodEnd": timestamp(invoice.period_end),
        "paidAt": timestamp(invoice.status_transitions.get("paid_at")),
        "hostedInvoiceUrl": invoice.hosted_invoice_url,
        "sourceTime": source_time,
        "updatedAt": wiring.now(),
    }


def sync_invoice(event: StripeEvent) -> str:
    """invoice.paid / invoice.payment_failed: mirror the invoice and its subscription."""
    data, sent = mirror.fetch(lambda c: c.v1.invoices.retrieve(event.object_id or ""))
    if data is None:
        data, sent = event.object, timestamp(event.created) or sent
    invoice = Invoice.model_validate(data)
    uid = uid_of_customer(wiring.store(), invoice.customer)
    if uid is None:
        return events.commit(event, lambda txn: "ignored: unknown customer")
    sub_doc = None
    if invoice.subscription_id:
        sub_data, sub_sent = fetch_subscription(invoice.subscription_id)
        if sub_data is not None:
            sub_doc = subscription_document(Subscription.model_validate(sub_data), sub_sent)
    doc, now = invoice_document(invoice, sent), wiring.now()

    def effect(txn: Transaction) -> str:
        check_owner(txn, uid, invoice.customer)
        stored = txn.get(invoice_path(uid, invoice.id))
        if sub_doc is not None:
            apply_subscriptions(txn, uid, [sub_doc], now)
        outcome = mirror.decide(stored, doc)
        if outcome == "written":
            txn.set(invoice_path(uid, invoice.id), doc)
        return f"invoice {invoice.status} {outcome}"

    return events.commit(event, effect)
