"""Stripe webhooks: verify, store once, answer at once; the work runs after commit.

- Only an event whose signature verifies (stripe_api.verify_webhook) is stored.
- `ProcessedWebhookEvent.event_id` is unique: a replayed or duplicated event is stored once
  and processed once.
- Handlers make the order *at least* as far along as the event proves, so arrival order does
  not matter: a refund arriving before the payment it refunds first records the payment.
- Refunds: `charge.refunded` carries the charge's cumulative `amount_refunded`, so it is the
  one source of truth (a refund made from the admin, its webhook, and duplicated events
  cannot count twice); a full refund returns the stock once (`restock_if_fully_refunded`).
  `refund.created` is therefore not handled; `refund.failed` is recorded for officers.
"""

from __future__ import annotations

import logging
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tasks import task

from catalog.money import format_vnd
from storefront.events import record_event
from storefront.models import (
    Order,
    Payment,
    PaymentMethodCode,
    PaymentStatus,
    ProcessedWebhookEvent,
)
from storefront.orders import lock, mark_paid, sync_refunded_amount
from storefront.payments import stripe_api

logger = logging.getLogger(__name__)


def receive(payload: bytes, signature_header: str | None) -> bool:
    """Verify and store an event; True when it is new. Raises stripe_api.SignatureError."""
    event = stripe_api.verify_webhook(payload, signature_header)
    event_id = str(event.get("id") or "")
    if not event_id:
        raise stripe_api.SignatureError("event without id")
    try:
        with transaction.atomic():
            stored = ProcessedWebhookEvent.objects.create(
                event_id=event_id, type=str(event.get("type", ""))[:100], payload=event
            )
            transaction.on_commit(lambda: _enqueue(stored.pk))
    except IntegrityError:
        return False
    return True


def _enqueue(stored_pk: int) -> None:
    process_stripe_event.enqueue(stored_pk)


@task()
def process_stripe_event(stored_pk: int) -> None:
    process(stored_pk)


def process(stored_pk: int) -> None:
    """Apply one stored event, exactly once."""
    with transaction.atomic():
        stored = ProcessedWebhookEvent.objects.select_for_update().get(pk=stored_pk)
        if stored.processed_at is not None:
            return
        handler = HANDLERS.get(stored.type)
        if handler is not None:
            handler(stored.payload["data"]["object"])
        stored.processed_at = timezone.now()
        stored.save(update_fields=["processed_at"])


# --- Handlers ---------------------------------------------------------------------------------


def _order_for(obj: dict[str, Any]) -> Order | None:
    reference = (obj.get("metadata") or {}).get("order_reference") or obj.get("client_reference_id")
    if not reference and obj.get("payment_intent"):
        payment = Payment.objects.filter(payment_intent=obj["payment_intent"]).first()
        return payment.order if payment else None
    order = Order.objects.filter(reference=reference).first() if reference else None
    if order is None:
        logger.warning("Stripe event for an unknown order %r", reference)
    return order


def _payment_for(order: Order, session_id: str = "", payment_intent: str = "") -> Payment:
    payment = None
    if session_id:
        payment = order.payments.filter(provider_reference=session_id).first()
    if payment is None and payment_intent:
        payment = order.payments.filter(payment_intent=payment_intent).first()
    if payment is None:
        payment = Payment(
            order=order,
            method=PaymentMethodCode.STRIPE,
            amount=order.total,
            provider_reference=session_id,
        )
    if payment_intent and not payment.payment_intent:
        payment.payment_intent = payment_intent
    payment.save()
    return payment


def _payment_succeeded(
    obj: dict[str, Any], *, amount: int, currency: str, session_id: str = "", intent: str = ""
) -> None:
    order = _order_for(obj)
    if order is None:
        return
    order = lock(order)
    payment = _payment_for(order, session_id, intent)
    if currency.lower() != stripe_api.CURRENCY or int(amount) != order.total:
        record_event(
            order,
            "payment_mismatch",
            _("Stripe reported %(amount)s %(currency)s; the order total is %(total)s VND.")
            % {"amount": amount, "currency": currency, "total": order.total},
        )
        return
    mark_paid(order, payment, note=f"Stripe {session_id or intent}".strip())


def on_checkout_session_completed(session: dict[str, Any]) -> None:
    if session.get("payment_status") != "paid":
        return  # an asynchronous method: wait for async_payment_succeeded
    _payment_succeeded(
        session,
        amount=session.get("amount_total") or 0,
        currency=session.get("currency") or "",
        session_id=session.get("id", ""),
        intent=session.get("payment_intent") or "",
    )


def on_payment_intent_succeeded(intent: dict[str, Any]) -> None:
    _payment_succeeded(
        intent,
        amount=intent.get("amount_received") or intent.get("amount") or 0,
        currency=intent.get("currency") or "",
        intent=intent.get("id", ""),
    )


def on_checkout_session_ended(session: dict[str, Any]) -> None:
    """Expired or failed: mark that attempt; the order's own hold decides its fate."""
    order = _order_for(session)
    if order is None:
        return
    payment = order.payments.filter(provider_reference=session.get("id", "")).first()
    if payment is not None and payment.status == PaymentStatus.PENDING:
        payment.status = PaymentStatus.EXPIRED
        payment.save(update_fields=["status", "updated_at"])


def on_charge_refunded(charge: dict[str, Any]) -> None:
    order = _order_for(charge)
    if order is None:
        return
    order = lock(order)
    intent = charge.get("payment_intent") or ""
    if order.paid_at is None and charge.get("paid"):
        # The refund overtook the payment events: record the payment first.
        payment = _payment_for(order, payment_intent=intent)
        if int(charge.get("amount") or 0) == order.total:
            mark_paid(order, payment, note=f"Stripe {intent}")
            order.refresh_from_db()
    sync_refunded_amount(
        order, int(charge.get("amount_refunded") or 0), f"Stripe {charge.get('id')}"
    )


def on_refund_failed(refund: dict[str, Any]) -> None:
    """A refund Stripe accepted failed later (e.g. a closed card): officers must act."""
    order = _order_for(refund)
    if order is None:
        return
    order = lock(order)
    record_event(
        order,
        "refund_failed",
        _("Stripe refund %(id)s of %(amount)s failed: %(reason)s")
        % {
            "id": refund.get("id", ""),
            "amount": format_vnd(refund.get("amount") or 0),
            "reason": refund.get("failure_reason") or "",
        },
    )


HANDLERS = {
    "checkout.session.completed": on_checkout_session_completed,
    "checkout.session.async_payment_succeeded": on_checkout_session_completed,
    "payment_intent.succeeded": on_payment_intent_succeeded,
    "checkout.session.expired": on_checkout_session_ended,
    "checkout.session.async_payment_failed": on_checkout_session_ended,
    "charge.refunded": on_charge_refunded,
    "refund.failed": on_refund_failed,
}
