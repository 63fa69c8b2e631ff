"""Every call to Stripe, and nothing else. Tests fake these functions at this boundary.

Amounts are whole đồng: VND is a zero-decimal currency for Stripe, so 150000 means
₫150,000 (never multiplied by 100). Keys come only from settings (the environment).
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.conf import settings

if TYPE_CHECKING:
    import stripe

CURRENCY = "vnd"


class StripeNotConfigured(RuntimeError):
    pass


class SignatureError(ValueError):
    """The webhook's signature does not verify (or is missing)."""


class StripeCallFailed(RuntimeError):
    """Stripe could not be reached or refused the call (network, outage, invalid request)."""


@dataclass
class CheckoutSession:
    id: str
    url: str


def is_configured() -> bool:
    return bool(settings.STRIPE_SECRET_KEY and settings.STRIPE_PUBLISHABLE_KEY)


def _stripe():
    """The Stripe library, imported on first use (22 MiB a web worker showing pages never needs)."""
    import stripe

    return stripe


def _client() -> stripe.StripeClient:
    if not settings.STRIPE_SECRET_KEY:
        raise StripeNotConfigured("STRIPE_SECRET_KEY is not set")
    return _stripe().StripeClient(settings.STRIPE_SECRET_KEY, max_network_retries=2)


def create_checkout_session(
    *,
    reference: str,
    line_items: list[dict[str, Any]],
    customer_email: str,
    success_url: str,
    cancel_url: str,
    expires_at: dt.datetime | None,
    locale: str,
    idempotency_key: str,
) -> CheckoutSession:
    """A hosted Checkout Session; `line_items` are (name, unit_amount đồng, quantity) dicts."""
    params: dict[str, Any] = {
        "mode": "payment",
        "line_items": [
            {
                "price_data": {
                    "currency": CURRENCY,
                    "unit_amount": int(item["unit_amount"]),
                    "product_data": {"name": item["name"][:250]},
                },
                "quantity": int(item["quantity"]),
            }
            for item in line_items
        ],
        "client_reference_id": reference,
        "metadata": {"order_reference": reference},
        "payment_intent_data": {"metadata": {"order_reference": reference}},
        "customer_email": customer_email,
        "success_url": success_url,
        "cancel_url": cancel_url,
        "locale": locale if locale in {"vi", "en"} else "auto",
    }
    if expires_at is not None:
        params["expires_at"] = int(expires_at.timestamp())
    session = _client().v1.checkout.sessions.create(
        params=params, options={"idempotency_key": idempotency_key}
    )
    return CheckoutSession(id=session.id, url=session.url)


def expire_checkout_session(session_id: str) -> None:
    _client().v1.checkout.sessions.expire(session_id)


def create_refund(payment_intent: str, amount: int, *, idempotency_key: str) -> str:
    """Refund `amount` đồng of a PaymentIntent; returns the refund id.

    Raises `StripeCallFailed` when Stripe cannot be reached or refuses. Retrying with the same
    idempotency key is safe: a refund that did reach Stripe is returned, not made twice.
    """
    stripe = _stripe()
    try:
        refund = _client().v1.refunds.create(
            params={"payment_intent": payment_intent, "amount": int(amount)},
            options={"idempotency_key": idempotency_key},
        )
    except stripe.StripeError as exc:
        raise StripeCallFailed(f"{type(exc).__name__}: {exc.user_message or exc}") from exc
    return refund.id


def verify_webhook(payload: bytes, signature_header: str | None) -> dict[str, Any]:
    """Check the `Stripe-Signature` header with Stripe's own code; return the event as a dict."""
    secret = settings.STRIPE_WEBHOOK_SECRET
    if not secret or not signature_header:
        raise SignatureError("missing secret or signature")
    stripe = _stripe()
    try:
        stripe.Webhook.construct_event(payload, signature_header, secret)
    except (stripe.SignatureVerificationError, ValueError) as exc:
        raise SignatureError(str(exc)) from exc
    return json.loads(payload)
