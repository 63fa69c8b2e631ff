"""My orders: joined only after verification, never another shopper's, re-order, checkout."""

from __future__ import annotations

import pytest
from django.core import mail
from django.test import Client

from accounts.models import SavedAddress, ShopperProfile
from storefront.models import Order
from tests.accounts.conftest import (
    ACCOUNT,
    ADDRESSES,
    ask_link,
    guest_order,
    last_link,
    sign_in_by_link,
    sign_up_by_phone,
)
from tests.storefront.helpers import HANOI, HANOI_WARD, add_to_cart, checkout, variant_of

pytestmark = pytest.mark.django_db


def listed(client) -> set[str]:
    """The references the account page shows."""
    page = client.get(ACCOUNT).content.decode()
    return {o.reference for o in Order.objects.all() if o.reference in page}


def test_an_email_links_guest_orders_only_once_the_link_is_used(client, products):
    honey, coffee = products
    mine = guest_order(Client, honey, email="Lan@Example.vn")
    theirs = guest_order(Client, coffee, email="khac@example.vn")
    ask_link(client, "lan@example.vn")
    mine.refresh_from_db()
    assert mine.user is None  # asked for a link: nothing joined yet

    response = client.post(last_link(), follow=True)
    assert "1 earlier order joined your account." in response.content.decode()
    assert listed(client) == {mine.reference}
    mine.refresh_from_db(), theirs.refresh_from_db()
    assert mine.user_id is not None and theirs.user_id is None


def test_a_phone_account_joins_nothing_until_an_email_is_verified(client, products):
    honey, _ = products
    earlier = guest_order(Client, honey, phone="0912 345 678", email="lan@example.vn")
    sign_up_by_phone(client, "0912 345 678")
    assert listed(client) == set()  # the same phone number proves nothing

    response = client.post("/vi/tai-khoan/email/", {"email": "lan@example.vn"})
    assert response.status_code == 302
    assert listed(client) == set()  # a link was sent, not yet opened
    assert mail.outbox[-1].to == ["lan@example.vn"]

    client.post(last_link())
    assert listed(client) == {earlier.reference}
    profile = ShopperProfile.objects.get(phone="+84912345678")
    assert profile.email == "lan@example.vn"


def test_an_email_of_another_account_cannot_be_claimed(client, products):
    sign_in_by_link(Client(), "lan@example.vn")
    sign_up_by_phone(client, "0912 345 678")
    sent = len(mail.outbox)
    response = client.post("/en/tai-khoan/email/", {"email": "LAN@example.vn"}, follow=True)
    assert "This e-mail address belongs to another account." in response.content.decode()
    assert len(mail.outbox) == sent
    assert ShopperProfile.objects.get(phone="+84912345678").email is None


def test_orders_placed_while_signed_in_are_the_accounts(client, products):
    honey, _ = products
    sign_up_by_phone(client)
    add_to_cart(client, variant_of(honey))
    checkout(client, "cod", email="any@example.vn")
    order = Order.objects.get()
    assert order.user_id is not None
    assert listed(client) == {order.reference}
    page = client.get(ACCOUNT).content.decode()
    assert order.get_absolute_url() in page and f"status-{order.status}" in page


def test_another_shoppers_order_is_never_visible_or_usable(client, products):
    honey, _ = products
    a, b = Client(), Client()
    sign_in_by_link(a, "a@example.vn")
    sign_in_by_link(b, "b@example.vn")
    guest_order(Client, honey, email="a@example.vn")
    sign_in_by_link(a, "a@example.vn")  # joins A's guest order
    add_to_cart(a, variant_of(honey))
    checkout(a, "cod", email="a@example.vn")
    a.post(
        ADDRESSES,
        {
            "province": HANOI,
            "ward": HANOI_WARD,
            "street_address": "1 Phố A",
            "name": "A",
            "phone": "0912345678",
            "step": "save",
        },
    )
    orders_a = list(Order.objects.filter(user__shopper__email="a@example.vn"))
    address_a = SavedAddress.objects.get()
    assert len(orders_a) == 2

    assert listed(b) == set()
    refused = [
        ("post", f"/vi/tai-khoan/don-hang/{orders_a[0].reference}/dat-lai/"),
        ("post", f"/vi/tai-khoan/don-hang/{orders_a[1].reference}/dat-lai/"),
        ("post", f"/vi/tai-khoan/dia-chi/{address_a.pk}/xoa/"),
        ("post", f"/vi/tai-khoan/dia-chi/{address_a.pk}/mac-dinh/"),
    ]
    refused += [("post", "/vi/tai-khoan/dia-chi/99999999999999999999999/xoa/")]
    for method, url in refused:
        assert getattr(b, method)(url).status_code == 404, url
        assert Client().post(url)["Location"].startswith("/vi/tai-khoan/dang-nhap/"), url
    b_pages = b.get(ACCOUNT).content.decode() + b.get(ADDRESSES).content.decode()
    assert "1 Phố A" not in b_pages
    assert not any(o.reference in b_pages for o in orders_a)
    assert SavedAddress.objects.filter(pk=address_a.pk, is_default=True).exists()
    # Checkout for B starts from B's data, never A's address.
    add_to_cart(b, variant_of(honey))
    assert "1 Phố A" not in b.get("/vi/thanh-toan/").content.decode()


def test_reorder_puts_the_same_variants_back_and_tells_what_is_gone(client, products):
    honey, coffee = products
    sign_up_by_phone(client)
    add_to_cart(client, variant_of(honey), 2)
    add_to_cart(client, variant_of(coffee), 1)
    checkout(client, "cod")
    order = Order.objects.get()
    coffee.unpublish()

    response = client.post(f"/vi/tai-khoan/don-hang/{order.reference}/dat-lai/", follow=True)
    page = response.content.decode()
    assert response.redirect_chain[-1][0] == "/vi/gio-hang/"
    assert "Cà phê Robusta" in page  # named in the message: no longer on sale
    from storefront.models import Cart

    lines = {(ln.variant_id, ln.quantity) for ln in Cart.objects.get().lines.all()}
    assert lines == {(variant_of(honey).pk, 2)}


def test_reorder_of_a_deleted_variant_or_short_stock(client, products):
    honey, coffee = products
    sign_up_by_phone(client)
    add_to_cart(client, variant_of(honey), 3)
    add_to_cart(client, variant_of(coffee), 1)
    checkout(client, "cod")
    order = Order.objects.get()
    honey_variant = variant_of(honey)
    honey_variant.stock = 1
    honey_variant.save()
    variant_of(coffee).delete()

    page = client.post(
        f"/vi/tai-khoan/don-hang/{order.reference}/dat-lai/", follow=True
    ).content.decode()
    assert "Cà phê Robusta" in page
    from storefront.models import Cart

    lines = {(ln.variant_id, ln.quantity) for ln in Cart.objects.get().lines.all()}
    assert lines == {(honey_variant.pk, 1)}


def test_a_saved_address_prefills_the_checkout(client, products):
    honey, _ = products
    sign_up_by_phone(client)
    step_one = client.post(ADDRESSES, {"province": HANOI, "step": "province"})
    assert step_one.status_code == 200 and f'value="{HANOI_WARD}"' in step_one.content.decode()
    saved = client.post(
        ADDRESSES,
        {
            "province": HANOI,
            "ward": HANOI_WARD,
            "street_address": "12 Phố Huế",
            "name": "Nguyễn Thị Lan",
            "phone": "0912 345 678",
            "step": "save",
        },
    )
    assert saved.status_code == 302
    assert SavedAddress.objects.get().is_default
    listing = client.get(ADDRESSES).content.decode()
    assert "0912 345 678" in listing and "12 Phố Huế" in listing  # national form, as typed

    add_to_cart(client, variant_of(honey))
    form = client.get("/vi/thanh-toan/").content.decode()
    assert 'value="12 Phố Huế"' in form
    assert f'<option value="{HANOI_WARD}" selected>' in form
    assert f'<option value="{HANOI}" selected>' in form


def test_a_ward_outside_the_province_is_refused(client, products):
    sign_up_by_phone(client)
    other_ward = __import__("catalog.addresses", fromlist=["wards_of"]).wards_of(79)[0][0]
    response = client.post(
        ADDRESSES,
        {
            "province": HANOI,
            "ward": other_ward,
            "street_address": "1",
            "name": "L",
            "phone": "0912345678",
            "step": "save",
        },
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 400
    assert not SavedAddress.objects.exists()


def test_removing_the_default_address_makes_the_next_one_default(client, products):
    sign_up_by_phone(client)
    for street in ("1 Phố A", "2 Phố B"):
        client.post(
            ADDRESSES,
            {
                "province": HANOI,
                "ward": HANOI_WARD,
                "street_address": street,
                "name": "L",
                "phone": "0912345678",
                "step": "save",
            },
        )
    first = SavedAddress.objects.get(street_address="1 Phố A")
    assert first.is_default
    client.post(f"/vi/tai-khoan/dia-chi/{first.pk}/xoa/")
    assert SavedAddress.objects.get().street_address == "2 Phố B"
    assert SavedAddress.objects.get().is_default
