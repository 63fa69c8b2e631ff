"""The scan page in a real phone-sized browser: it renders without JavaScript, fits the
screen, loads nothing from other hosts, and a screenshot is kept for reviewers."""

from __future__ import annotations

import pytest

# serialized_rollback: the flush after each test would otherwise drop Wagtail's root page.
pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.fixture
def scanned_batch(transactional_db):
    from cms.services import setup_site
    from tests.factories import ProducerFactory, make_batch, make_product, next_gtin13
    from traceability.services import generate_serials

    setup_site()
    producer = ProducerFactory(name="Hợp tác xã Vải thiều Lục Ngạn E2E")
    product = make_product(
        producer,
        title="Vải thiều Lục Ngạn",
        variants=[{"name": "Hộp 2 kg", "gtin": next_gtin13()}],
    )
    batch = make_batch(product, lot_code="VT2026-E2E")
    generate_serials(batch, 1)
    return batch


def test_scan_page_on_a_phone_and_without_javascript(
    browser, live_server, phone, screenshot_dir, scanned_batch
):
    requests: list[str] = []
    phone.on("request", lambda request: requests.append(request.url))
    phone.context.set_extra_http_headers({"Accept-Language": "vi"})
    gtin = scanned_batch.variant.gtin.zfill(14)
    # The URL inside the QR code: the resolver redirects the phone to the scan page.
    phone.goto(f"{live_server.url}/01/{gtin}/10/{scanned_batch.lot_code}")
    assert f"/vi/truy-xuat/{scanned_batch.short_code}/" in phone.url
    assert phone.locator("h1").inner_text() == "Vải thiều Lục Ngạn"
    assert phone.locator("ol.timeline > li").count() == 4
    assert phone.locator("svg.plot path").count() == 1
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= 360, "the page scrolls sideways on a phone"
    assert all(url.startswith(live_server.url) for url in requests)
    phone.screenshot(path=str(screenshot_dir / "scan-page-phone.png"), full_page=True)

    # One test, not two: a second transactional test in this file would start after the
    # flush that drops Wagtail's root page (see tests/e2e/test_checkout.py).
    context = browser.new_context(viewport={"width": 360, "height": 740}, java_script_enabled=False)
    page = context.new_page()
    serial = scanned_batch.serials.get().serial
    page.goto(f"{live_server.url}/vi/truy-xuat/{scanned_batch.short_code}/s/{serial}/")
    assert page.locator(".serial").is_visible()
    page.fill("textarea[name=message]", "Tem bị rách")
    page.click("form.report button[type=submit]")
    page.wait_for_load_state("load")  # the form posts and the page comes back (no JavaScript)
    page.locator(".report .ok").wait_for(timeout=15_000)
    assert page.locator(".report .ok").is_visible()
    assert scanned_batch.problem_reports.count() == 1
    context.close()
