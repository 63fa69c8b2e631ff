"""Refunds when Stripe is down, retried from the admin, and stock returned exactly once.

Stripe is faked at storefront/payments/stripe_api.py; webhooks are signed and verified for real.
"""

from __future__ import annotations

import pytest
import stripe
from django.core import mail

from storefront.models import OrderStatus
from storefront.orders import CancelledRefundPending, RefundFailed, cancel_order, refund_order
from storefront.payments import stripe_api
from tests.storefront.conftest import (
    completed_session_event,
    post_webhook,
    refunded_charge_event,
    stripe_event,
    stripe_object,
)
from tests.storefront.helpers import add_to_cart, checkout, last_order, variant_of

pytestmark = pytest.mark.django_db

STOCK = 50  # the product fixture's variant stock before any order


@pytest.fixture
def deliver(client, django_capture_on_commit_callbacks):
    def _deliver(event):
        with django_capture_on_commit_callbacks(execute=True):
            return post_webhook(client, event)

    return _deliver


@pytest.fixture
def paid_order(client, shop, product, fake_stripe, deliver, django_capture_on_commit_callbacks):
    add_to_cart(client, variant_of(product), 2)
    with django_capture_on_commit_callbacks(execute=True):
        checkout(client, "stripe")
    order = last_order()
    deliver(completed_session_event(order))
    order.refresh_from_db()
    assert order.status == OrderStatus.PAID and variant_of(product).stock == STOCK - 2
    mail.outbox.clear()
    return order


def in_english(officer):
    """The officer reads the admin in English, so the assertions hold once translated."""
    from wagtail.users.models import UserProfile

    profile = UserProfile.get_for_user(officer)
    profile.preferred_language = "en"
    profile.save()


def cancel_in_admin(client, order, officer, reason="Hết hàng"):
    in_english(officer)
    client.force_login(officer)
    return client.post(
        f"/admin/storefront/order-actions/{order.pk}/cancel/", {"reason": reason}, follow=True
    )


def messages_of(response) -> list[str]:
    return [str(m) for m in response.context["messages"]]


# --- Stripe unreachable while cancelling ---------------------------------------------------


def test_cancelling_while_stripe_is_down_says_so_and_keeps_the_refund_pending(
    client, paid_order, officer, fake_stripe, product, django_capture_on_commit_callbacks
):
    fake_stripe.fail_refunds = True
    with django_capture_on_commit_callbacks(execute=True):
        response = cancel_in_admin(client, paid_order, officer)

    paid_order.refresh_from_db()
    assert response.status_code == 200
    [message] = [m for m in messages_of(response) if "refund" in m]
    assert "refund" in message and "pending" in message and paid_order.reference in message
    assert paid_order.status == OrderStatus.CANCELLED
    assert paid_order.refunded_amount == 0
    assert variant_of(product).stock == STOCK
    failure = paid_order.events.get(kind="refund_failed")
    assert failure.user == officer and "₫325,000" in failure.note
    assert fake_stripe.refunds == []
    # The inspect page (this officer works in English) shows what is owed and offers the retry.
    page = client.get(f"/admin/storefront/orders/inspect/{paid_order.pk}/").content.decode()
    assert "Retry refund" in page and "₫325,000" in page
    # The shopper is told of the cancellation, not of a refund that did not happen.
    assert [m.subject for m in mail.outbox if "refund" in m.subject.lower()] == []


def test_a_pending_refund_retried_from_the_admin_completes_once(
    client, paid_order, officer, fake_stripe, product, django_capture_on_commit_callbacks
):
    fake_stripe.fail_refunds = True
    cancel_in_admin(client, paid_order, officer)
    fake_stripe.fail_refunds = False

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/admin/storefront/order-actions/{paid_order.pk}/refund/",
            {"amount": str(paid_order.total), "reason": "retry"},
            follow=True,
        )

    paid_order.refresh_from_db()
    assert any("Refunded" in m for m in messages_of(response))
    assert paid_order.status == OrderStatus.REFUNDED
    assert paid_order.refunded_amount == paid_order.total
    assert [r["amount"] for r in fake_stripe.refunds] == [paid_order.total]
    assert variant_of(product).stock == STOCK  # returned by the cancellation, not again
    page = client.get(f"/admin/storefront/orders/inspect/{paid_order.pk}/").content.decode()
    assert "Retry refund" not in page


def test_a_retry_uses_the_same_idempotency_key_as_the_failed_attempt(
    paid_order, officer, fake_stripe, monkeypatch
):
    keys = []
    real_fake = fake_stripe.create_refund

    def flaky(payment_intent, amount, *, idempotency_key):
        keys.append(idempotency_key)
        if len(keys) == 1:
            raise stripe_api.StripeCallFailed("Timeout")
        return real_fake(payment_intent, amount, idempotency_key=idempotency_key)

    monkeypatch.setattr(stripe_api, "create_refund", flaky)
    with pytest.raises(CancelledRefundPending):
        cancel_order(paid_order, officer)
    refund_order(paid_order, paid_order.total, officer)
    # Had the first call reached Stripe, Stripe would answer the retry with that same refund.
    assert keys[0] == keys[1]


def test_a_failed_partial_refund_records_the_attempt_and_changes_no_amount(
    paid_order, officer, fake_stripe
):
    fake_stripe.fail_refunds = True
    with pytest.raises(RefundFailed) as caught:
        refund_order(paid_order, 100_000, officer, "Hỏng một chai")
    paid_order.refresh_from_db()
    # In the officer's language, with that language's one money format.
    assert "Không thể hoàn 100.000 ₫" in str(caught.value)
    assert paid_order.status == OrderStatus.PAID and paid_order.refunded_amount == 0
    assert paid_order.events.filter(kind="refund_failed").count() == 1


def test_the_stripe_boundary_turns_a_connection_error_into_stripe_call_failed(monkeypatch):
    class Refunds:
        def create(self, **kwargs):
            raise stripe.APIConnectionError("Could not connect to Stripe")

    class Client:
        class v1:  # noqa: N801 - mirrors StripeClient.v1
            refunds = Refunds()

    monkeypatch.setattr(stripe_api, "_client", lambda: Client())
    with pytest.raises(stripe_api.StripeCallFailed, match="APIConnectionError"):
        stripe_api.create_refund("pi_x", 1000, idempotency_key="k")


# --- Refunds arriving by webhook return the stock exactly once -------------------------------


def test_a_full_refund_by_webhook_returns_the_stock(paid_order, deliver, product):
    deliver(refunded_charge_event(paid_order, amount_refunded=paid_order.total))
    paid_order.refresh_from_db()
    assert paid_order.status == OrderStatus.REFUNDED
    assert variant_of(product).stock == STOCK
    assert set(paid_order.fulfilments.values_list("status", flat=True)) == {"cancelled"}


def test_duplicated_and_repeated_refund_events_return_the_stock_once(paid_order, deliver, product):
    event = refunded_charge_event(paid_order, amount_refunded=paid_order.total)
    deliver(event)
    deliver(event)  # the very same event again
    deliver(refunded_charge_event(paid_order, amount_refunded=paid_order.total))  # a new id
    assert variant_of(product).stock == STOCK


def test_a_partial_refund_by_webhook_keeps_the_stock_sold_until_the_rest_is_refunded(
    paid_order, deliver, product
):
    deliver(refunded_charge_event(paid_order, amount_refunded=100_000))
    assert variant_of(product).stock == STOCK - 2
    deliver(refunded_charge_event(paid_order, amount_refunded=paid_order.total))
    assert variant_of(product).stock == STOCK


def test_a_refund_from_the_admin_and_its_webhook_return_the_stock_once(
    paid_order, deliver, officer, product, fake_stripe
):
    refund_order(paid_order, paid_order.total, officer)
    assert variant_of(product).stock == STOCK
    deliver(refunded_charge_event(paid_order, amount_refunded=paid_order.total))
    paid_order.refresh_from_db()
    assert variant_of(product).stock == STOCK
    assert paid_order.refunded_amount == paid_order.total


def test_a_webhook_landing_during_an_admin_refund_is_not_counted_twice(
    paid_order, deliver, officer, fake_stripe, monkeypatch
):
    real_fake = fake_stripe.create_refund

    def refund_then_webhook(payment_intent, amount, *, idempotency_key):
        refund_id = real_fake(payment_intent, amount, idempotency_key=idempotency_key)
        deliver(refunded_charge_event(paid_order, amount_refunded=amount))
        return refund_id

    monkeypatch.setattr(stripe_api, "create_refund", refund_then_webhook)
    refund_order(paid_order, 100_000, officer)
    paid_order.refresh_from_db()
    assert paid_order.refunded_amount == 100_000
    assert paid_order.status == OrderStatus.PARTIALLY_REFUNDED


def test_a_full_refund_after_shipping_keeps_the_stock_sold(paid_order, deliver, product, officer):
    from storefront.orders import update_fulfilment

    parcel = paid_order.fulfilments.get()
    update_fulfilment(parcel, "shipped", user=officer, carrier="VNPost", tracking_number="EB1")
    deliver(refunded_charge_event(paid_order, amount_refunded=paid_order.total))
    paid_order.refresh_from_db()
    assert paid_order.status == OrderStatus.REFUNDED
    assert variant_of(product).stock == STOCK - 2


def test_a_failed_refund_reported_by_stripe_is_recorded(paid_order, deliver):
    refund = stripe_object(
        "refund",
        id="re_test_failed",
        amount=paid_order.total,
        currency="vnd",
        payment_intent="pi_test_fake_1",
        status="failed",
        failure_reason="expired_or_canceled_card",
        metadata={},
    )
    deliver(stripe_event("refund.failed", refund))
    failure = paid_order.events.get(kind="refund_failed")
    assert "re_test_failed" in failure.note and "expired_or_canceled_card" in failure.note


def test_the_officers_dashboard_lists_orders_whose_refund_is_pending(
    client, paid_order, officer, fake_stripe
):
    fake_stripe.fail_refunds = True
    cancel_in_admin(client, paid_order, officer)
    dashboard = client.get("/admin/").content.decode()
    assert "Refunds pending" in dashboard and paid_order.reference in dashboard

    fake_stripe.fail_refunds = False
    refund_order(paid_order, paid_order.total, officer)
    assert paid_order.reference not in client.get("/admin/").content.decode()
