"""Who is told what, in which language: each producer's editors when a parcel is theirs to
pack (never before the order is paid), the shopper at each status change of the order."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.utils import timezone
from wagtail.users.models import UserProfile

from storefront.models import FulfilmentStatus, OrderStatus
from storefront.orders import confirm_transfer, release_expired_orders, update_fulfilment
from tests.factories import make_product
from tests.storefront.helpers import add_to_cart, checkout, last_order, variant_of


@pytest.fixture
def two_producers_in_cart(shop, producer, other_producer, client):
    honey = make_product(producer, variants=[{"name": "Chai 500 ml", "price": 150_000}])
    coffee = make_product(
        other_producer, title="Cà phê Robusta", variants=[{"name": "Gói 500 g", "price": 120_000}]
    )
    add_to_cart(client, variant_of(honey))
    add_to_cart(client, variant_of(coffee))
    return producer.onboarded.editor, other_producer.onboarded.editor


def to(address: str) -> list:
    return [m for m in mail.outbox if m.to == [address]]


def test_each_producer_is_told_of_its_own_parcel_in_its_editors_language(
    two_producers_in_cart, client, django_capture_on_commit_callbacks
):
    honey_editor, coffee_editor = two_producers_in_cart
    profile = UserProfile.get_for_user(coffee_editor)
    profile.preferred_language = "en"
    profile.save()
    with django_capture_on_commit_callbacks(execute=True):
        checkout(client, "cod")
    order = last_order()

    [vi] = to(honey_editor.email)
    assert vi.subject == f"Đơn hàng mới cần gửi: đơn {order.reference}" or order.reference in (
        vi.subject
    )
    assert "Mật ong hoa nhãn" in vi.body and "Cà phê Robusta" not in vi.body
    assert "0912 345 678" in vi.body
    assert "/admin/storefront/fulfilments/" in vi.body

    [en] = to(coffee_editor.email)
    assert en.subject == f"New parcel to ship: order {order.reference}"
    assert "Cà phê Robusta" in en.body and "Mật ong hoa nhãn" not in en.body
    assert "Cash on delivery" in en.body


def test_a_bank_transfer_order_reaches_producers_only_once_paid(
    two_producers_in_cart, client, officer, django_capture_on_commit_callbacks
):
    honey_editor, _coffee_editor = two_producers_in_cart
    with django_capture_on_commit_callbacks(execute=True):
        checkout(client, "vietqr")
    assert to(honey_editor.email) == []
    with django_capture_on_commit_callbacks(execute=True):
        confirm_transfer(last_order(), officer)
    assert len(to(honey_editor.email)) == 1


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_the_shopper_hears_of_every_status_change_in_the_orders_language(
    two_producers_in_cart, client, django_capture_on_commit_callbacks, lang
):
    honey_editor, coffee_editor = two_producers_in_cart
    with django_capture_on_commit_callbacks(execute=True):
        checkout(client, "cod", lang=lang)
    order = last_order()
    seen = [OrderStatus(order.status)]  # processing, told by the confirmation e-mail
    for part in order.fulfilments.all():
        for status in (FulfilmentStatus.SHIPPED, FulfilmentStatus.DELIVERED):
            with django_capture_on_commit_callbacks(execute=True):
                update_fulfilment(part, status, carrier="VNPost", tracking_number="EB1234VN")
            order.refresh_from_db()
            if order.status != seen[-1]:
                seen.append(OrderStatus(order.status))
    assert seen == [OrderStatus.PROCESSING, OrderStatus.SHIPPED, OrderStatus.DELIVERED]

    subjects = [m.subject for m in to("lan@example.vn")]
    delivered = "Đã giao" if lang == "vi" else "Delivered"
    assert subjects[0].count(order.reference) == 1  # the confirmation
    assert sum("parcel" in s or "kiện" in s for s in subjects) >= 2  # each parcel shipped
    last = to("lan@example.vn")[-1]
    assert order.reference in last.subject
    if lang == "en":
        assert last.subject == f"Order {order.reference}: {delivered}"
        assert "has been delivered" in last.body
    assert f"/{lang}/don-hang/{order.token}/" in last.body


def test_an_unpaid_order_that_expires_tells_the_shopper(
    two_producers_in_cart, client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        checkout(client, "vietqr", lang="en")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert release_expired_orders(timezone.now() + dt.timedelta(days=4)) == 1
    [message] = to("lan@example.vn")
    assert "cancelled" in message.body and last_order().reference in message.body
