"""Admin: producers see and ship only their own parcels; officers see and act on all orders."""

from __future__ import annotations

import pytest
from django.core import mail

from storefront.models import Fulfilment, OrderStatus
from tests.factories import make_product
from tests.storefront.helpers import add_to_cart, checkout, last_order, variant_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def split_order(client, shop, producer, other_producer, django_capture_on_commit_callbacks):
    honey = make_product(producer)
    coffee = make_product(other_producer, title="Cà phê Robusta")
    add_to_cart(client, variant_of(honey), 1)
    add_to_cart(client, variant_of(coffee), 1)
    with django_capture_on_commit_callbacks(execute=True):
        checkout(client, "cod")
    mail.outbox.clear()
    return last_order()


def final_status(client, url: str, method: str = "get", data=None) -> int:
    """The status after Wagtail's redirects (an admin 404 itself is answered directly)."""
    response = getattr(client, method)(url, data or {}, follow=True)
    return response.status_code


def part(order, producer) -> Fulfilment:
    return order.fulfilments.get(producer=producer)


def test_producer_editor_lists_only_its_own_parcels(client, split_order, producer, other_producer):
    client.force_login(producer.onboarded.editor)
    response = client.get("/admin/storefront/fulfilments/")
    assert response.status_code == 200
    assert [f.pk for f in response.context["object_list"]] == [part(split_order, producer).pk]


@pytest.mark.parametrize("view", ["edit", "inspect", "delete"])
def test_producer_editor_gets_404_on_another_producers_parcel(
    client, split_order, producer, other_producer, view
):
    client.force_login(producer.onboarded.editor)
    theirs = part(split_order, other_producer)
    assert final_status(client, f"/admin/storefront/fulfilments/{view}/{theirs.pk}/") in (403, 404)
    status = final_status(
        client,
        f"/admin/storefront/fulfilments/edit/{theirs.pk}/",
        "post",
        {"status": "shipped", "carrier": "X", "tracking_number": "1"},
    )
    assert status in (403, 404)
    theirs.refresh_from_db()
    assert theirs.status == "pending"


@pytest.mark.parametrize(
    "url",
    [
        "/admin/storefront/orders/",
        "/admin/storefront/orders/inspect/{pk}/",
        "/admin/storefront/orders/edit/{pk}/",
    ],
)
def test_producer_editor_cannot_open_orders(client, split_order, producer, url):
    client.force_login(producer.onboarded.editor)
    response = client.get(url.format(pk=split_order.pk))
    assert response.status_code in (302, 403, 404)
    if response.status_code == 302:  # Wagtail sends the user back to the dashboard
        assert "/orders/" not in response["Location"]
    assert split_order.name not in response.content.decode()


def test_producer_editor_cannot_cancel_or_refund(client, split_order, producer):
    client.force_login(producer.onboarded.editor)
    for action in ("cancel", "refund", "confirm-transfer"):
        response = client.post(f"/admin/storefront/order-actions/{split_order.pk}/{action}/")
        # PermissionDenied: Wagtail's admin answers with a redirect to the dashboard.
        assert response.status_code == 403 or response["Location"] == "/admin/"
    split_order.refresh_from_db()
    assert split_order.status == OrderStatus.PROCESSING


def test_producer_ships_its_parcel_and_the_shopper_is_told(
    client, split_order, producer, other_producer, django_capture_on_commit_callbacks
):
    client.force_login(producer.onboarded.editor)
    mine = part(split_order, producer)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/admin/storefront/fulfilments/edit/{mine.pk}/",
            {"status": "shipped", "carrier": "Viettel Post", "tracking_number": "VTP123456"},
        )
    assert response.status_code == 302
    mine.refresh_from_db()
    assert mine.status == "shipped" and mine.shipped_at
    [message] = mail.outbox
    assert "VTP123456" in message.body and split_order.reference in message.subject
    split_order.refresh_from_db()
    assert split_order.status == OrderStatus.PROCESSING  # the other part has not shipped

    client.force_login(other_producer.onboarded.editor)
    theirs = part(split_order, other_producer)
    client.post(
        f"/admin/storefront/fulfilments/edit/{theirs.pk}/",
        {"status": "shipped", "carrier": "GHN", "tracking_number": "GHN1"},
    )
    split_order.refresh_from_db()
    assert split_order.status == OrderStatus.SHIPPED


def test_shipping_without_a_tracking_number_is_refused(client, split_order, producer):
    client.force_login(producer.onboarded.editor)
    mine = part(split_order, producer)
    response = client.post(
        f"/admin/storefront/fulfilments/edit/{mine.pk}/",
        {"status": "shipped", "carrier": "", "tracking_number": ""},
    )
    assert response.status_code == 200
    mine.refresh_from_db()
    assert mine.status == "pending"


def test_officer_sees_all_orders_and_cancels_one(client, split_order, officer, product):
    client.force_login(officer)
    listing = client.get("/admin/storefront/orders/")
    assert listing.status_code == 200 and split_order.reference in listing.content.decode()
    inspect = client.get(f"/admin/storefront/orders/inspect/{split_order.pk}/")
    assert inspect.status_code == 200 and "Cà phê Robusta" in inspect.content.decode()

    response = client.post(
        f"/admin/storefront/order-actions/{split_order.pk}/cancel/", {"reason": "Hết hàng"}
    )

    assert response.status_code == 302
    split_order.refresh_from_db()
    assert split_order.status == OrderStatus.CANCELLED
    assert split_order.events.filter(to_status="cancelled", user=officer).exists()
    assert all(variant.stock == 50 for variant in product.variants.all())


def test_officer_sees_every_parcel(client, split_order, officer):
    client.force_login(officer)
    response = client.get("/admin/storefront/fulfilments/")
    assert len(response.context["object_list"]) == 2


def test_officer_confirms_a_transfer_from_the_admin(client, shop, product, officer):
    add_to_cart(client, variant_of(product), 1)
    checkout(client, "vietqr")
    order = last_order()
    client.force_login(officer)
    page = client.get(f"/admin/storefront/orders/inspect/{order.pk}/").content.decode()
    assert f"/admin/storefront/order-actions/{order.pk}/confirm-transfer/" in page
    client.post(f"/admin/storefront/order-actions/{order.pk}/confirm-transfer/")
    order.refresh_from_db()
    assert order.status == OrderStatus.PAID


def test_setup_storefront_permissions_is_idempotent(shop):
    from django.contrib.auth.models import Group

    from storefront.permissions import setup_storefront_permissions

    setup_storefront_permissions()
    setup_storefront_permissions()
    editors = Group.objects.get(name="Producer editors")
    assert set(
        editors.permissions.filter(content_type__app_label="storefront").values_list(
            "codename", flat=True
        )
    ) == {"view_fulfilment", "change_fulfilment"}
