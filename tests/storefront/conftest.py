"""Storefront fixtures: shipping rules, bank account, a fake Stripe at its module boundary.

Stripe responses and webhook events are built from Stripe's own example objects
(tests/storefront/fixtures/stripe-objects.json, copied from shared/standards), with currency
"vnd" and amounts in whole đồng. Webhooks are signed with a test secret and verified by the
`stripe` library's own code.
"""

from __future__ import annotations

import copy
import itertools
import json
import time
from pathlib import Path
from typing import Any

import pytest
import stripe

from storefront.payments import stripe_api

FIXTURES = Path(__file__).parent / "fixtures"
STRIPE_OBJECTS = json.loads((FIXTURES / "stripe-objects.json").read_text())
WEBHOOK_SECRET = "whsec_test_" + "s" * 24

NORTH = [1, 4, 8, 11, 12, 14, 15, 19, 20, 22, 24, 25, 31, 33, 37]
CENTRAL = [38, 40, 42, 44, 46, 48, 51, 52, 56, 66, 68]
SOUTH = [75, 79, 80, 82, 86, 91, 92, 96]

_ids = itertools.count(1)


def stripe_object(kind: str, **overrides: Any) -> dict[str, Any]:
    obj = copy.deepcopy(STRIPE_OBJECTS[kind])
    obj.update(overrides)
    return obj


def stripe_event(event_type: str, data_object: dict[str, Any], event_id: str | None = None):
    return stripe_object(
        "event",
        id=event_id or f"evt_test_{next(_ids):06d}",
        type=event_type,
        data={"object": data_object},
        created=int(time.time()),
    )


def sign(payload: str, secret: str = WEBHOOK_SECRET, timestamp: int | None = None) -> str:
    return stripe.WebhookSignature.generate_signature_header(payload, secret, timestamp)


def completed_session_event(order, *, session_id: str = "cs_test_fake_1", **session_fields):
    session = stripe_object(
        "checkout.session",
        id=session_id,
        amount_total=order.total,
        amount_subtotal=order.total,
        currency="vnd",
        payment_status="paid",
        status="complete",
        client_reference_id=order.reference,
        metadata={"order_reference": order.reference},
        payment_intent="pi_test_fake_1",
    )
    session.update(session_fields)
    return stripe_event("checkout.session.completed", session)


def refunded_charge_event(order, amount_refunded: int, **fields):
    charge = stripe_object(
        "charge",
        id="ch_test_fake_1",
        amount=order.total,
        amount_captured=order.total,
        amount_refunded=amount_refunded,
        currency="vnd",
        paid=True,
        refunded=amount_refunded >= order.total,
        payment_intent="pi_test_fake_1",
        metadata={"order_reference": order.reference},
    )
    charge.update(fields)
    return stripe_event("charge.refunded", charge)


def post_webhook(client, event: dict[str, Any], secret: str = WEBHOOK_SECRET, header=None):
    payload = json.dumps(event)
    return client.post(
        "/stripe/webhook/",
        data=payload,
        content_type="application/json",
        headers={"Stripe-Signature": header if header is not None else sign(payload, secret)},
    )


class FakeStripe:
    """Records calls that would have gone to Stripe and answers like Stripe does."""

    def __init__(self, checkout_base_url: str = "https://checkout.stripe.com/c/pay"):
        self.sessions: list[dict[str, Any]] = []
        self.refunds: list[dict[str, Any]] = []
        self.checkout_base_url = checkout_base_url
        self.fail = False
        self.fail_refunds = False

    def create_checkout_session(self, **kwargs: Any) -> stripe_api.CheckoutSession:
        if self.fail:
            raise stripe.APIConnectionError("network down (fake)")
        session_id = f"cs_test_fake_{len(self.sessions) + 1}"
        response = stripe_object(
            "checkout.session",
            id=session_id,
            url=f"{self.checkout_base_url}/{session_id}",
            currency="vnd",
            amount_total=sum(i["unit_amount"] * i["quantity"] for i in kwargs["line_items"]),
            client_reference_id=kwargs["reference"],
            metadata={"order_reference": kwargs["reference"]},
        )
        self.sessions.append({**kwargs, "response": response})
        return stripe_api.CheckoutSession(id=response["id"], url=response["url"])

    def create_refund(self, payment_intent: str, amount: int, *, idempotency_key: str) -> str:
        if self.fail_refunds:  # what stripe_api.create_refund raises when Stripe is down
            raise stripe_api.StripeCallFailed("APIConnectionError: network down (fake)")
        refund = stripe_object(
            "refund",
            id=f"re_test_fake_{len(self.refunds) + 1}",
            amount=amount,
            currency="vnd",
            payment_intent=payment_intent,
        )
        self.refunds.append(
            {"payment_intent": payment_intent, "amount": amount, "key": idempotency_key}
        )
        return refund["id"]


@pytest.fixture
def fake_stripe(monkeypatch, settings):
    settings.STRIPE_SECRET_KEY = "sk_test_fake_never_used"
    settings.STRIPE_PUBLISHABLE_KEY = "pk_test_fake_never_used"
    settings.STRIPE_WEBHOOK_SECRET = WEBHOOK_SECRET
    fake = FakeStripe()
    monkeypatch.setattr(stripe_api, "create_checkout_session", fake.create_checkout_session)
    monkeypatch.setattr(stripe_api, "create_refund", fake.create_refund)

    def no_network(*args, **kwargs):
        raise AssertionError("a test tried to reach Stripe")

    monkeypatch.setattr(stripe_api, "_client", no_network)
    return fake


def make_shipping_rules() -> None:
    from storefront.models import ShippingRule, ShippingZone

    for code, name, provinces, fees in [
        ("north", "Miền Bắc", NORTH, (25_000, 40_000)),
        ("central", "Miền Trung", CENTRAL, (30_000, 50_000)),
        ("south", "Miền Nam", SOUTH, (35_000, 60_000)),
    ]:
        zone, _ = ShippingZone.objects.update_or_create(
            code=code, defaults={"name": name, "province_codes": provinces}
        )
        ShippingRule.objects.update_or_create(
            zone=zone, max_weight_grams=2000, defaults={"fee": fees[0], "free_above": 500_000}
        )
        ShippingRule.objects.update_or_create(
            zone=zone, max_weight_grams=None, defaults={"fee": fees[1], "free_above": 500_000}
        )


@pytest.fixture
def shop(site):
    """The site plus shipping rules, the operator's bank account and storefront permissions."""
    from wagtail.models import Site

    from cms.models import SiteSettings
    from storefront.permissions import setup_storefront_permissions

    make_shipping_rules()
    settings_obj = SiteSettings.for_site(Site.objects.get(is_default_site=True))
    settings_obj.bank_bin = "970436"
    settings_obj.bank_name = "Vietcombank"
    settings_obj.bank_account_number = "0011004378123"
    settings_obj.bank_account_name = "CONG TY CHO OCOP"
    settings_obj.save()
    setup_storefront_permissions()
    return site
