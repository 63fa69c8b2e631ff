"""The shopper's whole journey in Chromium: product page → cart → checkout → order page.

Cash on delivery runs with JavaScript switched off (everything must work without it); the
card journey runs up to the Stripe boundary: the faked stripe_api returns a Checkout Session
URL on 127.0.0.1, and a webhook signed with the test secret then marks the order paid.
"""

from __future__ import annotations

import json
import urllib.request

import pytest

from storefront.models import Order, OrderStatus
from storefront.payments import stripe_api
from tests.factories import make_product
from tests.storefront.conftest import (
    WEBHOOK_SECRET,
    FakeStripe,
    completed_session_event,
    make_shipping_rules,
    sign,
)

# serialized_rollback: the flush after each transactional test would drop the rows migrations
# made (Wagtail's root page and collection, the OCOP reference data).
pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.fixture
def shop_products(site, producer, other_producer):
    from storefront.permissions import setup_storefront_permissions

    make_shipping_rules()
    setup_storefront_permissions()
    honey = make_product(producer, variants=[{"name": "Chai 500 ml", "price": 150_000, "stock": 9}])
    coffee = make_product(
        other_producer, title="Cà phê Robusta", variants=[{"name": "Gói 500 g", "price": 120_000}]
    )
    return honey, coffee


def add_product(page, base: str, product) -> None:
    page.goto(base + product.url)
    page.locator("form.add-to-cart button[type=submit]").first.click()
    page.wait_for_url("**/gio-hang/")


def fill_details(page, *, js: bool) -> None:
    # The deferred checkout.js must be listening before the province changes (a busy machine
    # let the change fire first, and no commune list came).
    page.wait_for_load_state("load")
    page.select_option("#id_province", "1")
    if not js:
        page.click("#show-communes")
    page.wait_for_selector("#id_ward option:nth-child(3)", state="attached")
    page.select_option("#id_ward", index=1)
    page.fill("#id_street_address", "12 Phố Huế")
    page.fill("#id_name", "Nguyễn Thị Lan")
    page.fill("#id_phone", "0912 345 678")
    page.fill("#id_email", "lan@example.vn")


def test_cash_on_delivery_journey_without_javascript(
    browser, live_server, shop_products, screenshot_dir
):
    honey, coffee = shop_products
    context = browser.new_context(
        viewport={"width": 360, "height": 740}, device_scale_factor=2, java_script_enabled=False
    )
    page = context.new_page()
    try:
        add_product(page, live_server.url, honey)
        add_product(page, live_server.url, coffee)
        assert page.locator(".cart-line").count() == 2
        page.screenshot(path=str(screenshot_dir / "storefront-cart-phone.png"), full_page=True)

        page.click(".checkout-link")
        fill_details(page, js=False)
        assert page.locator(".order-summary .shipping").inner_text() == "25.000 ₫"
        page.check("input[name=payment_method][value=cod]")
        page.screenshot(path=str(screenshot_dir / "storefront-checkout-phone.png"), full_page=True)
        page.click("#place-order")
        page.wait_for_url("**/don-hang/**")

        order = Order.objects.get()
        assert order.token in page.url
        assert order.status == OrderStatus.PROCESSING and order.total == 295_000
        assert order.reference in page.content()
        assert page.locator(".fulfilment").count() == 2
        page.screenshot(path=str(screenshot_dir / "storefront-order-cod-phone.png"), full_page=True)

        leave_a_review(page, live_server.url, order, honey, screenshot_dir)
    finally:
        context.close()


def leave_a_review(page, base: str, order, honey, screenshot_dir) -> None:
    """The parcels arrive; the shopper reviews the honey from the order page (no JavaScript)."""
    from reviews.models import Review, ReviewStatus
    from reviews.services import moderate_review
    from storefront.orders import set_status

    set_status(order, OrderStatus.SHIPPED)
    set_status(order, OrderStatus.DELIVERED)
    page.goto(base + order.get_absolute_url())
    page.click(".review-invite a")
    page.wait_for_url("**/danh-gia/don-hang/**")
    line = order.lines.get(product_title=honey.title)
    item = page.locator(f"#line-{line.pk}")
    item.locator("input[name=rating][value='5']").check()
    item.locator("textarea[name=body]").fill("Mật đặc, thơm mùi hoa nhãn. Giao hàng nhanh.")
    item.locator("input[name=author_name]").fill("Chị Lan")
    page.screenshot(path=str(screenshot_dir / "reviews-form-phone.png"), full_page=True)
    item.locator("button[type=submit]").click()
    page.wait_for_url(f"**#line-{line.pk}")
    assert page.locator(".messages .message.success").count() == 1
    assert "5★" in page.locator(f"#line-{line.pk} .review-state").inner_text()

    review = Review.objects.get()
    assert (review.rating, review.status) == (5, ReviewStatus.PENDING)
    moderate_review(review, ReviewStatus.APPROVED, user=None)
    page.goto(base + honey.url)
    reviews = page.locator("#reviews")
    assert "Mật đặc, thơm mùi hoa nhãn" in reviews.inner_text()
    assert "Chị Lan" in reviews.inner_text()
    reviews.scroll_into_view_if_needed()
    page.screenshot(path=str(screenshot_dir / "reviews-product-phone.png"), full_page=True)


def test_card_journey_up_to_stripe_then_a_signed_webhook_pays(
    desktop, live_server, shop_products, settings, monkeypatch, screenshot_dir
):
    honey, _coffee = shop_products
    settings.STRIPE_SECRET_KEY = "sk_test_fake_never_used"
    settings.STRIPE_PUBLISHABLE_KEY = "pk_test_fake_never_used"
    settings.STRIPE_WEBHOOK_SECRET = WEBHOOK_SECRET
    fake = FakeStripe(checkout_base_url=f"{live_server.url}/fake-stripe/checkout")
    monkeypatch.setattr(stripe_api, "create_checkout_session", fake.create_checkout_session)
    page = desktop

    add_product(page, live_server.url, honey)
    page.click(".checkout-link")
    fill_details(page, js=True)
    page.check("input[name=payment_method][value=stripe]")
    page.screenshot(
        path=str(screenshot_dir / "storefront-checkout-card-desktop.png"), full_page=True
    )
    page.click("#place-order")
    # Stripe's page is not ours: the fake URL answers 404 (after a language redirect).
    page.wait_for_url(lambda url: "/fake-stripe/checkout/cs_test_fake_1" in url)

    order = Order.objects.get()
    assert order.status == OrderStatus.PENDING_PAYMENT
    assert fake.sessions[0]["line_items"][0]["unit_amount"] == 150_000

    # The shopper comes back to the success URL: that alone pays nothing.
    page.goto(f"{live_server.url}{order.get_absolute_url()}?returned=1")
    assert page.locator(".order-status.status-pending_payment").count() == 1

    payload = json.dumps(completed_session_event(order))
    request = urllib.request.Request(
        f"{live_server.url}/stripe/webhook/",
        data=payload.encode(),
        headers={"Content-Type": "application/json", "Stripe-Signature": sign(payload)},
        method="POST",
    )
    with urllib.request.urlopen(request, timeout=10) as response:  # 127.0.0.1 only
        assert response.status == 200

    page.goto(f"{live_server.url}{order.get_absolute_url()}")
    assert page.locator(".order-status.status-paid").count() == 1
    page.screenshot(path=str(screenshot_dir / "storefront-order-paid-desktop.png"), full_page=True)
