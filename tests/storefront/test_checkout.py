from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.utils import timezone

from catalog.models import ProductVariant
from catalog.services import revoke_certificate
from storefront.models import Fulfilment, Order, OrderStatus, PaymentMethodCode
from storefront.orders import release_expired_orders
from tests.factories import make_product
from tests.storefront.helpers import (
    HANOI,
    add_to_cart,
    checkout,
    checkout_data,
    last_order,
    variant_of,
)

pytestmark = pytest.mark.django_db


def test_cash_on_delivery_order_is_confirmed_split_per_producer_and_takes_stock(
    client, shop, producer, other_producer, django_capture_on_commit_callbacks
):
    honey = make_product(producer, variants=[{"name": "Chai", "price": 150_000, "stock": 5}])
    coffee = make_product(other_producer, title="Cà phê", variants=[{"price": 120_000, "stock": 3}])
    add_to_cart(client, variant_of(honey), 2)
    add_to_cart(client, variant_of(coffee), 1)

    with django_capture_on_commit_callbacks(execute=True):
        response = checkout(client, "cod")

    order = last_order()
    assert response.status_code == 302 and response["Location"] == order.get_absolute_url()
    assert order.status == OrderStatus.PROCESSING
    assert (order.subtotal, order.shipping_fee, order.total) == (420_000, 25_000, 445_000)
    assert order.phone == "+84912345678"
    assert {f.producer for f in order.fulfilments.all()} == {producer, other_producer}
    assert variant_of(honey).stock == 3 and variant_of(coffee).stock == 2
    assert not client.get("/vi/gio-hang/").context["summary"].items  # cart emptied
    page = client.get(order.get_absolute_url()).content.decode()
    assert order.reference in page and "445.000 ₫" in page
    [confirmation] = [m for m in mail.outbox if m.to == [order.email]]  # producers get theirs
    assert order.reference in confirmation.subject


def test_order_url_carries_a_long_random_token_not_the_id(client, shop, product):
    add_to_cart(client, variant_of(product))
    checkout(client)
    order = last_order()
    assert len(order.token) >= 32
    assert order.get_absolute_url() == f"/vi/don-hang/{order.token}/"
    assert client.get(f"/vi/don-hang/{order.pk}/").status_code == 404
    wrong_last = "A" if order.token[-1] != "A" else "B"
    assert client.get(f"/vi/don-hang/{order.token[:-1]}{wrong_last}/").status_code == 404


def test_posted_prices_and_totals_are_ignored(client, shop, product):
    add_to_cart(client, variant_of(product), 2)
    response = checkout(
        client, price=1000, unit_price=1000, total=1000, subtotal=1000, shipping_fee=0
    )
    assert response.status_code == 302
    order = last_order()
    assert order.total == 2 * 150_000 + 25_000
    assert order.lines.get().unit_price == 150_000


def test_a_tampered_expected_total_sends_the_shopper_back_to_review(client, shop, product):
    add_to_cart(client, variant_of(product), 1)
    response = checkout(client, lang="en", expected_total=1000)
    assert response.status_code == 200
    assert not Order.objects.exists()
    html = response.content.decode()
    assert "Prices or shipping changed" in html
    assert 'name="expected_total" value="175000"' in html
    assert checkout(client, expected_total=175_000).status_code == 302
    assert last_order().total == 175_000


def test_price_change_between_cart_and_checkout_uses_the_new_price(client, shop, product):
    variant = variant_of(product)
    add_to_cart(client, variant, 1)
    ProductVariant.objects.filter(pk=variant.pk).update(price=160_000)
    checkout(client)
    assert last_order().subtotal == 160_000


@pytest.mark.parametrize(
    "field, value, message",
    [
        ("phone", "12345", "Enter a Vietnamese phone number"),
        ("phone", "+1 202 555 0101", "Enter a Vietnamese phone number"),
        ("ward", "26887", "Select a valid choice"),  # a ward of Hồ Chí Minh City
        ("email", "not-an-email", "Enter a valid email address"),
        ("payment_method", "stripe", "Select a valid choice"),  # no Stripe keys
    ],
)
def test_bad_details_get_clear_errors(client, shop, product, field, value, message):
    add_to_cart(client, variant_of(product), 1)
    response = checkout(client, lang="en", **{field: value})
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Order.objects.exists()


def test_choosing_the_province_first_lists_only_its_communes(client, shop, product):
    add_to_cart(client, variant_of(product), 1)
    response = client.post(
        "/en/thanh-toan/", {"province": HANOI, "step": "province", "name": "Lan"}
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "Phường Ba Đình" in html and "Phường Buôn Ma Thuột" not in html
    assert "Enter a" not in html  # step one shows no errors
    assert '<dd class="shipping">₫25,000</dd>' in html  # the fee is shown before paying


def test_without_stripe_keys_card_payment_is_hidden(client, shop, product):
    add_to_cart(client, variant_of(product), 1)
    html = client.get("/en/thanh-toan/").content.decode()
    assert 'value="cod"' in html and 'value="vietqr"' in html
    assert 'value="stripe"' not in html


def test_checkout_refuses_a_product_that_lost_its_certificate(client, shop, product):
    add_to_cart(client, variant_of(product), 1)
    revoke_certificate(product.certificates.get(), reason="Thu hồi")
    response = checkout(client, lang="en")
    assert response.status_code == 200
    assert "cannot be bought" in response.content.decode() or "no longer on sale" in (
        response.content.decode()
    )
    assert not Order.objects.exists()
    assert variant_of(product).stock == 50


def test_checkout_refuses_more_than_is_left(client, shop, producer):
    product = make_product(producer, variants=[{"price": 100_000, "stock": 2}])
    add_to_cart(client, variant_of(product), 2)
    ProductVariant.objects.filter(page=product).update(stock=1)
    response = checkout(client, lang="en")
    assert "Only 1 of" in response.content.decode()
    assert not Order.objects.exists()
    assert variant_of(product).stock == 1


def test_vietqr_order_shows_the_qr_and_waits_for_the_officer(client, shop, product, officer):
    from storefront.orders import confirm_transfer

    add_to_cart(client, variant_of(product), 1)
    checkout(client, "vietqr")
    order = last_order()
    assert order.status == OrderStatus.PENDING_PAYMENT
    html = client.get(order.get_absolute_url()).content.decode()
    assert "<svg" in html and "0011004378123" in html and order.reference in html

    confirm_transfer(order, officer)

    order.refresh_from_db()
    assert order.status == OrderStatus.PAID and order.paid_at is not None
    assert order.events.filter(kind="paid", user=officer).exists()


def test_unpaid_orders_release_their_stock_after_the_hold(client, shop, product):
    add_to_cart(client, variant_of(product), 3)
    checkout(client, "vietqr")
    order = last_order()
    assert variant_of(product).stock == 47

    assert release_expired_orders(now=timezone.now()) == 0
    later = order.expires_at + dt.timedelta(minutes=1)
    assert release_expired_orders(now=later) == 1
    assert release_expired_orders(now=later) == 0  # once only

    order.refresh_from_db()
    assert order.status == OrderStatus.CANCELLED
    assert variant_of(product).stock == 50
    assert set(order.fulfilments.values_list("status", flat=True)) == {"cancelled"}


def test_cash_orders_never_expire(client, shop, product):
    add_to_cart(client, variant_of(product), 1)
    checkout(client, "cod")
    assert last_order().expires_at is None
    assert release_expired_orders(now=timezone.now() + dt.timedelta(days=30)) == 0


def test_release_expired_orders_command(client, shop, product):
    from io import StringIO

    from django.core.management import call_command

    add_to_cart(client, variant_of(product), 1)
    checkout(client, "vietqr")
    Order.objects.update(expires_at=timezone.now() - dt.timedelta(minutes=1))
    out = StringIO()
    call_command("release_expired_orders", stdout=out)
    assert "Released 1" in out.getvalue()
    assert variant_of(product).stock == 50


def test_checkout_data_is_kept_when_the_province_step_is_used(client, shop, product):
    add_to_cart(client, variant_of(product), 1)
    data = checkout_data(step="province")
    html = client.post("/en/thanh-toan/", data).content.decode()
    assert 'value="Nguyễn Thị Lan"' in html
    assert Fulfilment.objects.count() == 0
    assert PaymentMethodCode.COD in html


def test_the_province_chosen_in_the_cart_carries_over_to_checkout(client, shop, product):
    add_to_cart(client, variant_of(product), 1)
    html = client.get("/en/thanh-toan/?province=79").content.decode()
    assert '<option value="79" selected>' in html
    assert '<dd class="shipping">₫35,000</dd>' in html
