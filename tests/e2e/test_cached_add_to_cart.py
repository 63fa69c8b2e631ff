"""Add to cart from a product page served by the page cache (one body for every visitor, no
token in it, no cookie set), with and without JavaScript, in Chromium."""

from __future__ import annotations

import urllib.request

import pytest

from storefront.models import CartLine
from tests.factories import make_product
from tests.storefront.conftest import make_shipping_rules

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.usefixtures("page_cache_on"),
]

ADD_BUTTON = "form.add-to-cart button[type=submit]"


@pytest.fixture
def honey(site, producer):
    make_shipping_rules()
    return make_product(producer, variants=[{"name": "Chai 500 ml", "price": 150_000, "stock": 9}])


def open_cached(context, base: str, product):
    """Another visitor's request stores the page; this browser then gets the shared copy."""
    urllib.request.urlopen(base + product.url).read()
    page = context.new_page()
    response = page.goto(base + product.url)
    assert response.headers["x-page-cache"] == "hit"
    assert "public" in response.headers["cache-control"]
    assert context.cookies() == []
    return page


def test_with_javascript_the_cookie_token_is_sent_and_the_item_added(
    browser, live_server, honey, screenshot_dir
):
    context = browser.new_context(viewport={"width": 360, "height": 740}, device_scale_factor=2)
    try:
        page = open_cached(context, live_server.url, honey)
        page.locator(ADD_BUTTON).first.click()
        page.wait_for_url("**/gio-hang/")
        assert page.locator(".cart-line").count() == 1
        assert CartLine.objects.get().quantity == 1
    finally:
        context.close()


def test_without_javascript_the_shopper_confirms_once(browser, live_server, honey, screenshot_dir):
    context = browser.new_context(
        viewport={"width": 360, "height": 740}, device_scale_factor=2, java_script_enabled=False
    )
    try:
        page = open_cached(context, live_server.url, honey)
        page.locator(ADD_BUTTON).first.click()
        page.wait_for_selector("#confirm-add")
        assert not CartLine.objects.exists()
        page.screenshot(path=str(screenshot_dir / "storefront-confirm-add-phone.png"))
        page.click("#confirm-add")
        page.wait_for_url("**/gio-hang/")
        assert page.locator(".cart-line").count() == 1
        assert CartLine.objects.get().quantity == 1
    finally:
        context.close()
