"""Card payments: Stripe faked at storefront/payments/stripe_api.py, webhooks signed for real."""

from __future__ import annotations

import json
import time

import pytest
from django.core import mail

from storefront.models import OrderStatus, Payment, ProcessedWebhookEvent
from storefront.orders import IllegalStatusTransition, cancel_order, refund_order
from tests.storefront.conftest import (
    completed_session_event,
    post_webhook,
    refunded_charge_event,
    sign,
    stripe_event,
    stripe_object,
)
from tests.storefront.helpers import add_to_cart, checkout, last_order, variant_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def card_order(client, shop, product, fake_stripe, django_capture_on_commit_callbacks):
    add_to_cart(client, variant_of(product), 2)
    with django_capture_on_commit_callbacks(execute=True):
        response = checkout(client, "stripe")
    order = last_order()
    order.response = response
    return order


@pytest.fixture
def deliver(client, django_capture_on_commit_callbacks):
    """Post a signed event to the webhook URL and run the after-commit work."""

    def _deliver(event, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return post_webhook(client, event, **kwargs)

    return _deliver


def test_card_checkout_redirects_to_the_stripe_session_with_vnd_zero_decimal_amounts(
    card_order, fake_stripe
):
    [session] = fake_stripe.sessions
    assert card_order.response.status_code == 302
    assert card_order.response["Location"] == session["response"]["url"]
    assert card_order.status == OrderStatus.PENDING_PAYMENT
    items = session["line_items"]
    assert {
        "name": "Mật ong hoa nhãn – Chai 500 ml",
        "unit_amount": 150_000,
        "quantity": 2,
    } in items
    assert sum(i["unit_amount"] * i["quantity"] for i in items) == card_order.total == 325_000
    assert session["reference"] == card_order.reference
    assert session["success_url"].endswith(card_order.get_absolute_url() + "?returned=1")


def test_coming_back_to_the_success_url_does_not_mark_the_order_paid(client, card_order):
    response = client.get(card_order.get_absolute_url() + "?returned=1")
    card_order.refresh_from_db()
    assert response.status_code == 200
    assert card_order.status == OrderStatus.PENDING_PAYMENT and card_order.paid_at is None


def test_a_signed_completed_session_marks_the_order_paid_and_sends_the_confirmation(
    card_order, deliver
):
    response = deliver(completed_session_event(card_order))
    card_order.refresh_from_db()
    assert response.status_code == 200
    assert card_order.status == OrderStatus.PAID and card_order.paid_at is not None
    assert Payment.objects.get(order=card_order, status="succeeded").payment_intent == (
        "pi_test_fake_1"
    )
    [confirmation] = [m for m in mail.outbox if m.to == [card_order.email]]
    assert card_order.reference in confirmation.subject
    assert confirmation.to == [card_order.email]


@pytest.mark.parametrize(
    "header",
    ["", "t=1,v1=deadbeef", None],
    ids=["missing", "garbage", "wrong-secret"],
)
def test_an_event_whose_signature_does_not_verify_changes_nothing(card_order, deliver, header):
    event = completed_session_event(card_order)
    if header is None:
        response = deliver(event, secret="whsec_someone_else")
    else:
        response = deliver(event, header=header)
    card_order.refresh_from_db()
    assert response.status_code == 400
    assert card_order.status == OrderStatus.PENDING_PAYMENT
    assert not ProcessedWebhookEvent.objects.exists()


def test_an_old_signature_is_refused(card_order, client, django_capture_on_commit_callbacks):
    payload = json.dumps(completed_session_event(card_order))
    header = sign(payload, timestamp=int(time.time()) - 3600)
    response = post_webhook(client, json.loads(payload), header=header)
    assert response.status_code == 400


def test_a_replayed_event_changes_nothing(card_order, deliver):
    event = completed_session_event(card_order)
    deliver(event)
    events_before = card_order.events.count()
    mails_before = len(mail.outbox)

    response = deliver(event)

    assert response.status_code == 200 and response.content == b"duplicate"
    assert card_order.events.count() == events_before
    assert len(mail.outbox) == mails_before
    assert ProcessedWebhookEvent.objects.count() == 1


def test_two_different_events_for_the_same_payment_pay_once(card_order, deliver):
    deliver(completed_session_event(card_order))
    intent = stripe_object(
        "payment_intent",
        id="pi_test_fake_1",
        amount=card_order.total,
        amount_received=card_order.total,
        currency="vnd",
        status="succeeded",
        metadata={"order_reference": card_order.reference},
    )
    deliver(stripe_event("payment_intent.succeeded", intent))
    assert card_order.events.filter(kind="paid").count() == 1


def test_a_refund_arriving_before_the_payment_still_ends_refunded(card_order, deliver):
    deliver(refunded_charge_event(card_order, amount_refunded=card_order.total))
    deliver(completed_session_event(card_order))
    card_order.refresh_from_db()
    assert card_order.status == OrderStatus.REFUNDED
    assert card_order.refunded_amount == card_order.total and card_order.paid_at


def test_an_expired_session_after_payment_does_not_unpay(card_order, deliver):
    deliver(completed_session_event(card_order))
    expired = stripe_object(
        "checkout.session",
        id="cs_test_fake_1",
        status="expired",
        metadata={"order_reference": card_order.reference},
    )
    deliver(stripe_event("checkout.session.expired", expired))
    card_order.refresh_from_db()
    assert card_order.status == OrderStatus.PAID


def test_a_payment_of_the_wrong_amount_or_currency_does_not_pay(card_order, deliver):
    deliver(completed_session_event(card_order, amount_total=card_order.total * 100))
    deliver(completed_session_event(card_order, currency="usd", session_id="cs_2"))
    card_order.refresh_from_db()
    assert card_order.status == OrderStatus.PENDING_PAYMENT
    assert card_order.events.filter(kind="payment_mismatch").count() == 2


def test_partial_then_full_refund_through_stripe(card_order, deliver, officer, fake_stripe):
    deliver(completed_session_event(card_order))
    card_order.refresh_from_db()

    refund_order(card_order, 100_000, officer, "Hỏng một chai")
    card_order.refresh_from_db()
    assert card_order.status == OrderStatus.PARTIALLY_REFUNDED
    assert fake_stripe.refunds[-1] == {
        "payment_intent": "pi_test_fake_1",
        "amount": 100_000,
        "key": fake_stripe.refunds[-1]["key"],
    }

    refund_order(card_order, card_order.total - 100_000, officer)
    card_order.refresh_from_db()
    assert card_order.status == OrderStatus.REFUNDED
    assert sum(r["amount"] for r in fake_stripe.refunds) == card_order.total
    # Stripe's own charge.refunded webhook then changes nothing more.
    deliver(refunded_charge_event(card_order, amount_refunded=card_order.total))
    card_order.refresh_from_db()
    assert card_order.refunded_amount == card_order.total


def test_refunding_more_than_was_paid_is_refused(card_order, deliver, officer):
    from storefront.orders import OrderActionError

    deliver(completed_session_event(card_order))
    card_order.refresh_from_db()
    with pytest.raises(OrderActionError):
        refund_order(card_order, card_order.total + 1, officer)


def test_cancelling_a_paid_card_order_refunds_it_and_restocks(
    card_order, deliver, officer, fake_stripe, product
):
    deliver(completed_session_event(card_order))
    cancel_order(card_order, officer, "Khách đổi ý")
    card_order.refresh_from_db()
    assert card_order.status == OrderStatus.REFUNDED
    assert fake_stripe.refunds[0]["amount"] == card_order.total
    assert variant_of(product).stock == 50


def test_a_payment_after_expiry_is_flagged_for_refund(card_order, deliver):
    import datetime as dt

    from storefront.orders import release_expired_orders

    release_expired_orders(now=card_order.expires_at + dt.timedelta(seconds=1))
    deliver(completed_session_event(card_order))
    card_order.refresh_from_db()
    assert card_order.status == OrderStatus.CANCELLED and card_order.paid_at is not None
    assert card_order.events.filter(kind="late_payment").exists()


def test_stripe_down_leaves_the_order_waiting_with_a_retry_button(
    client, shop, product, fake_stripe
):
    fake_stripe.fail = True
    add_to_cart(client, variant_of(product), 1)
    response = checkout(client, "stripe", lang="en", follow=True)
    order = last_order()
    html = response.content.decode()
    assert order.status == OrderStatus.PENDING_PAYMENT
    assert "could not be opened" in html and "Pay by card" in html

    fake_stripe.fail = False
    retry = client.post(f"/en/don-hang/{order.token}/tra-bang-the/")
    assert retry.status_code == 302 and "cs_test_fake_1" in retry["Location"]


def test_status_moves_only_along_the_transitions_table(card_order):
    from storefront.orders import set_status

    with pytest.raises(IllegalStatusTransition):
        set_status(card_order, OrderStatus.SHIPPED)
    with pytest.raises(IllegalStatusTransition):
        set_status(card_order, OrderStatus.REFUNDED)
    set_status(card_order, OrderStatus.CANCELLED)
    with pytest.raises(IllegalStatusTransition):
        set_status(card_order, OrderStatus.PAID)
    assert card_order.events.filter(to_status="cancelled").count() == 1
