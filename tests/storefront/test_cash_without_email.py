"""Cash on delivery with a phone number only: no e-mail asked, the order page's link shown
and kept by the browser; card and bank transfer still need an e-mail address."""

from __future__ import annotations

import pytest
from django.utils.html import escape
from django.utils.translation import gettext, override

from storefront.models import Order
from tests.factories import make_product
from tests.storefront.helpers import add_to_cart, checkout, last_order, variant_of


@pytest.fixture
def in_cart(shop, producer, client):
    product = make_product(producer, variants=[{"name": "Chai 500 ml", "price": 150_000}])
    add_to_cart(client, variant_of(product))
    return product


def test_cash_on_delivery_is_placed_with_a_phone_number_only(
    in_cart, client, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = checkout(client, "cod", email="", follow=True)
    order = last_order()
    assert order is not None and order.email == "" and order.phone == "+84912345678"
    html = response.content.decode()
    with override("vi"):
        keep_this_link = gettext("Keep this link to follow your order")
    assert escape(keep_this_link) in html
    assert order.get_absolute_url() in html and 'id="order-link"' in html
    assert "0912 345 678" in html  # shown in national form
    assert [m.to for m in mailoutbox if not m.to[0].startswith("editor-")] == []  # no shopper


def test_the_browser_keeps_the_order_and_the_cart_page_links_back(in_cart, client):
    checkout(client, "cod", email="")
    order = last_order()
    assert "ocop_orders" in client.cookies
    html = client.get("/vi/gio-hang/").content.decode()
    assert f'href="{order.get_absolute_url()}"' in html
    assert order.reference in html


def test_another_browser_does_not_see_the_order(in_cart, client):
    from django.test import Client

    checkout(client, "cod", email="")
    order = last_order()
    stranger = Client()
    assert order.reference not in stranger.get("/vi/gio-hang/").content.decode()
    # A forged cookie is ignored, not an error.
    stranger.cookies["ocop_orders"] = order.token
    response = stranger.get("/vi/gio-hang/")
    assert response.status_code == 200 and order.reference not in response.content.decode()


@pytest.mark.parametrize("method", ["vietqr"])
def test_bank_transfer_still_asks_for_an_e_mail_address(in_cart, client, method):
    response = checkout(client, method, email="")
    assert response.status_code == 200
    assert Order.objects.count() == 0
    assert 'id="id_email"' in response.content.decode()
    assert 'class="field-error"' in response.content.decode()


def test_cash_with_an_e_mail_address_still_gets_the_confirmation(
    in_cart, client, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        checkout(client, "cod", email="lan@example.vn")
    assert [m.to for m in mailoutbox if m.to == ["lan@example.vn"]] == [["lan@example.vn"]]
