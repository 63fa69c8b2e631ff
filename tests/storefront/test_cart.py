from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model

from catalog.services import revoke_certificate
from storefront.models import Cart, CartLine
from tests.factories import make_product
from tests.storefront.helpers import add_to_cart, variant_of

pytestmark = pytest.mark.django_db


def test_product_page_shows_a_plain_post_form_adding_the_variant(client, shop, product):
    response = client.get(product.url)
    html = response.content.decode()
    variant = variant_of(product)
    assert 'action="/vi/gio-hang/them/"' in html
    assert 'name="csrfmiddlewaretoken"' in html
    assert f'name="variant" value="{variant.pk}"' in html


def test_guest_adds_variants_from_two_producers_and_sees_prices_stock_and_shipping(
    client, shop, producer, other_producer
):
    honey = make_product(producer, variants=[{"name": "Chai 500 ml", "price": 150_000, "stock": 7}])
    coffee = make_product(
        other_producer, title="Cà phê Robusta", variants=[{"name": "Gói 500 g", "price": 120_000}]
    )
    add_to_cart(client, variant_of(honey), 2)
    add_to_cart(client, variant_of(coffee), 1)

    page = client.get("/vi/gio-hang/?province=1").content.decode()

    assert "Mật ong hoa nhãn" in page and "Cà phê Robusta" in page
    assert "150.000 ₫" in page and "300.000 ₫" in page  # unit price, line total
    assert "7 in stock" in client.get("/en/gio-hang/").content.decode()
    assert '<dd class="subtotal">420.000 ₫</dd>' in page
    assert '<dd class="shipping">25.000 ₫</dd>' in page
    assert '<dd class="total">445.000 ₫</dd>' in page
    assert str(producer) in page and str(other_producer) in page


def test_shipping_is_free_above_the_threshold(client, shop, product):
    add_to_cart(client, variant_of(product), 4)  # 600.000 ₫
    page = client.get("/en/gio-hang/?province=79").content.decode()
    assert '<dd class="shipping">Free</dd>' in page
    assert '<dd class="total">₫600,000</dd>' in page


def test_cart_refuses_more_than_the_stock(client, shop, producer):
    product = make_product(producer, variants=[{"name": "Hũ", "price": 90_000, "stock": 2}])
    response = add_to_cart(client, variant_of(product), 3, lang="en")
    assert response.status_code == 302
    assert not CartLine.objects.exists()
    page = client.get("/en/gio-hang/").content.decode()
    assert "Only 2 of" in page


@pytest.mark.parametrize("quantity", ["-1", "abc", "1000", "0"])
def test_bad_quantities_get_a_message_not_an_error(client, shop, product, quantity):
    response = client.post(
        "/vi/gio-hang/them/", {"variant": variant_of(product).pk, "quantity": quantity}
    )
    assert response.status_code == 302
    assert not CartLine.objects.exists()


def test_unknown_variant_gets_a_message(client, shop):
    response = client.post("/en/gio-hang/them/", {"variant": "999999", "quantity": 1}, follow=True)
    assert response.status_code == 200
    assert "This product does not exist." in response.content.decode()


def test_product_that_lost_its_certificate_cannot_be_added(client, shop, product):
    variant = variant_of(product)
    revoke_certificate(product.certificates.get(), reason="Thu hồi thử")
    add_to_cart(client, variant, 1)
    assert not CartLine.objects.exists()


def test_cart_survives_signing_in(client, shop, product):
    user = get_user_model().objects.create_user("lan", "lan@example.vn", "pass-Lan-12345")
    add_to_cart(client, variant_of(product), 2)
    client.login(username="lan", password="pass-Lan-12345")
    page = client.get("/vi/gio-hang/").content.decode()
    assert "Mật ong hoa nhãn" in page
    assert Cart.objects.get().user == user


def test_guest_cart_merges_into_the_cart_the_user_already_had(client, shop, product, producer):
    user = get_user_model().objects.create_user("lan", "lan@example.vn", "pass-Lan-12345")
    other = make_product(producer, title="Trà shan tuyết")
    old = Cart.objects.create(user=user)
    CartLine.objects.create(cart=old, variant=variant_of(other), quantity=1)
    add_to_cart(client, variant_of(product), 2)

    client.login(username="lan", password="pass-Lan-12345")

    cart = Cart.objects.get(user=user)
    assert {(ln.variant.page.title, ln.quantity) for ln in cart.lines.all()} == {
        ("Trà shan tuyết", 1),
        ("Mật ong hoa nhãn", 2),
    }


def test_changing_and_removing_a_line(client, shop, product):
    variant = variant_of(product)
    add_to_cart(client, variant, 1)
    client.post("/vi/gio-hang/cap-nhat/", {"variant": variant.pk, "quantity": 3})
    assert CartLine.objects.get().quantity == 3
    client.post("/vi/gio-hang/cap-nhat/", {"variant": variant.pk, "quantity": 0})
    assert not CartLine.objects.exists()


def test_english_cart_is_served_under_the_english_prefix(client, shop, product):
    add_to_cart(client, variant_of(product), 1, lang="en")
    response = client.get("/en/gio-hang/")
    assert response.status_code == 200
    assert "Your cart" in response.content.decode()
