"""The VietQR order page on a 360×740 phone: every value a shopper copies into a banking app
stays on one line, one tap copies it (with JavaScript) or selects it (without), and the QR
code is big enough for a second phone to read it off the screen."""

from __future__ import annotations

import io

import pytest
from PIL import Image

from storefront.checkout import CheckoutDetails, place_order
from storefront.models import Cart, CartLine
from storefront.payments import vietqr
from tests.factories import make_product
from tests.images import decode_qr
from tests.storefront.conftest import make_shipping_rules
from tests.storefront.helpers import HANOI, HANOI_WARD, variant_of

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

HOLDER = "CONG TY CP CHO OCOP VIET NAM"
ACCOUNT = "0071000999999"
FIELDS = ["pay-account", "pay-holder", "pay-amount", "pay-reference"]


@pytest.fixture
def vietqr_order(site, producer):
    from wagtail.models import Site

    from cms.models import SiteSettings

    make_shipping_rules()
    bank = SiteSettings.for_site(Site.objects.get(is_default_site=True))
    bank.bank_bin, bank.bank_name = "970436", "Vietcombank"
    bank.bank_account_number, bank.bank_account_name = ACCOUNT, HOLDER
    bank.save()
    product = make_product(producer, variants=[{"name": "Chai 500 ml", "price": 150_000}])
    cart = Cart.objects.create()
    CartLine.objects.create(cart=cart, variant=variant_of(product), quantity=2)
    details = CheckoutDetails(
        name="Nguyễn Thị Lan",
        phone="+84912345678",
        email="lan@example.vn",
        province_code=HANOI,
        ward_code=HANOI_WARD,
        street_address="12 Phố Huế",
        payment_method="vietqr",
    )
    return place_order(cart, details), bank


def line_count(page, selector: str) -> int:
    """How many lines the element's text occupies (one client rect per line box)."""
    return page.evaluate(
        """sel => { const r = document.createRange();
        r.selectNodeContents(document.querySelector(sel));
        return new Set(Array.from(r.getClientRects()).map(x => Math.round(x.top))).size; }""",
        selector,
    )


def test_bank_details_stay_on_one_line_and_copy_with_one_tap(
    browser, live_server, vietqr_order, screenshot_dir
):
    order, bank = vietqr_order
    context = browser.new_context(viewport={"width": 360, "height": 740}, device_scale_factor=2)
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=live_server.url)
    page = context.new_page()
    try:
        page.goto(live_server.url + order.get_absolute_url())
        expected = {
            "pay-account": ACCOUNT,
            "pay-holder": HOLDER,
            "pay-amount": "300.000 ₫" if order.total == 300_000 else None,
            "pay-reference": order.reference,
        }
        for field in FIELDS:
            value = page.locator(f"#{field}")
            if expected[field]:
                assert value.inner_text() == expected[field]
            assert line_count(page, f"#{field}") == 1, field
            # Whole on screen: not clipped, not scrolled, inside the 360 px viewport.
            assert value.evaluate("e => e.scrollWidth <= e.clientWidth"), field
            box = value.bounding_box()
            assert box["x"] >= 0 and box["x"] + box["width"] <= 360, field

        qr = page.locator(".vietqr .qr svg")
        assert qr.bounding_box()["width"] >= 260  # CSS px: ~7 cm on a phone, read from 30 cm
        shot = Image.open(io.BytesIO(qr.screenshot()))
        assert decode_qr(shot) == [vietqr.payload_for_order(order, bank)]

        page.screenshot(path=str(screenshot_dir / "storefront-vietqr-phone.png"), full_page=True)

        button = page.locator("#pay-account ~ .copy-button")
        assert button.is_visible()
        button.click()
        assert page.evaluate("navigator.clipboard.readText()") == ACCOUNT
        assert button.inner_text() == "Đã sao chép" or button.get_attribute("class").endswith(
            "copied"
        )
        page.locator("#pay-reference ~ .copy-button").click()
        assert page.evaluate("navigator.clipboard.readText()") == order.reference
        page.locator("#pay-amount ~ .copy-button").click()
        assert page.evaluate("navigator.clipboard.readText()") == str(order.total)
    finally:
        context.close()


def test_without_javascript_one_tap_selects_the_whole_value(browser, live_server, vietqr_order):
    order, _bank = vietqr_order
    context = browser.new_context(
        viewport={"width": 360, "height": 740}, device_scale_factor=2, java_script_enabled=False
    )
    page = context.new_page()
    try:
        page.goto(live_server.url + order.get_absolute_url())
        assert page.locator(".copy-button").first.is_hidden()
        value = page.locator("#pay-account")
        assert value.evaluate("e => getComputedStyle(e).userSelect") == "all"
        assert line_count(page, "#pay-account") == 1
        assert value.inner_text() == ACCOUNT
    finally:
        context.close()
