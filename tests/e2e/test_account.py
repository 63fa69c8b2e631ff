"""The phone journey continued with an account (Chromium, 360×740, JavaScript off): a guest
orders, later signs in with an e-mailed link, finds the order in "My orders" with its status,
orders it again, saves an address that the checkout then starts from, and signs out."""

from __future__ import annotations

import pytest
from django.core import mail
from django.core.cache import cache

from storefront.models import Order
from tests.accounts.conftest import LINK_PATH
from tests.e2e.test_checkout import add_product, fill_details
from tests.factories import make_product
from tests.storefront.conftest import make_shipping_rules

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.fixture
def honey(site, producer):
    from storefront.permissions import setup_storefront_permissions

    make_shipping_rules()
    setup_storefront_permissions()
    cache.clear()  # rate-limit counters of earlier tests in this process
    return make_product(producer, variants=[{"name": "Chai 500 ml", "price": 150_000, "stock": 9}])


def test_a_guest_order_shows_in_the_account_made_later(browser, live_server, honey, screenshot_dir):
    context = browser.new_context(
        viewport={"width": 360, "height": 740}, device_scale_factor=2, java_script_enabled=False
    )
    page = context.new_page()
    base = live_server.url
    try:
        # A guest order, as in the checkout journey.
        add_product(page, base, honey)
        page.click(".checkout-link")
        fill_details(page, js=False)
        page.check("input[name=payment_method][value=cod]")
        page.click("#place-order")
        page.wait_for_url("**/don-hang/**")
        order = Order.objects.get()
        assert order.user_id is None

        # The header link leads to signing in; a link is e-mailed.
        page.click("header a[href='/vi/tai-khoan/']")
        page.wait_for_url("**/tai-khoan/dang-nhap/**")
        page.screenshot(path=str(screenshot_dir / "accounts-sign-in-phone.png"), full_page=True)
        page.fill("#id_email", "lan@example.vn")
        page.click("#send-link")
        assert page.locator("#link-sent").count() == 1
        link = LINK_PATH.search(mail.outbox[-1].body).group(1)

        page.goto(base + link)
        page.click("#use-link")
        page.wait_for_url("**/tai-khoan/")
        order.refresh_from_db()
        assert order.user_id is not None
        history = page.locator(".account-order")
        assert history.count() == 1
        assert order.reference in history.first.inner_text()
        assert history.first.locator(".order-status.status-processing").count() == 1
        page.screenshot(path=str(screenshot_dir / "accounts-orders-phone.png"), full_page=True)

        # Its page is the order page; ordering again fills the cart.
        page.click(".order-link")
        page.wait_for_url(f"**/don-hang/{order.token}/")
        page.go_back()
        page.click(".reorder")
        page.wait_for_url("**/gio-hang/")
        assert page.locator(".cart-line").count() == 1

        # A saved address (two steps without JavaScript) starts the next checkout.
        page.goto(base + "/vi/tai-khoan/dia-chi/")
        page.select_option("#id_province", "1")
        page.click("#show-communes")
        page.select_option("#id_ward", index=1)
        page.fill("#id_street_address", "5 Hàng Bạc")
        page.fill("#id_name", "Nguyễn Thị Lan")
        page.fill("#id_phone", "0912 345 678")
        page.click("#save-address")
        assert page.locator(".saved-address").count() == 1
        page.screenshot(path=str(screenshot_dir / "accounts-addresses-phone.png"), full_page=True)
        page.goto(base + "/vi/thanh-toan/")
        assert page.input_value("#id_street_address") == "5 Hàng Bạc"

        page.goto(base + "/vi/tai-khoan/")
        page.click("#sign-out")
        page.wait_for_url(base + "/vi/")
        page.goto(base + "/vi/tai-khoan/")
        assert "/tai-khoan/dang-nhap/" in page.url
    finally:
        context.close()
