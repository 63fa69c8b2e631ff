"""A shopper browses the catalogue on a phone with JavaScript switched off."""

import pytest

from tests.factories import leaf_group, make_product

# serialized_rollback: restores the rows migrations made (root page, locales, OCOP reference
# data) and keeps the flush from re-creating content types under the other e2e tests.
pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.fixture
def catalogue(transactional_db):
    from cms.services import setup_site, translate_tree
    from tests.factories import ProducerFactory

    home = setup_site()
    producer = ProducerFactory(province_code=24, name="Hợp tác xã Vải thiều Lục Ngạn")
    make_product(
        producer,
        title="Vải thiều Lục Ngạn",
        stars=4,
        group=leaf_group("rau-cu-qua-hat-tuoi"),
        variants=[{"name": "Hộp 2 kg", "price": 180_000}],
    )
    translate_tree(home)
    return producer


def test_browse_from_home_to_product_without_javascript(
    browser, live_server, catalogue, screenshot_dir
):
    context = browser.new_context(viewport={"width": 360, "height": 740}, java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{live_server.url}/vi/")
    page.get_by_role("link", name="Bắc Ninh").click()
    page.get_by_role("link", name="Vải thiều Lục Ngạn").first.click()
    assert page.locator("h1").inner_text() == "Vải thiều Lục Ngạn"
    assert "180.000 ₫" in page.content()
    assert "OCOP 4★" in page.content()
    page.screenshot(path=str(screenshot_dir / "product-phone.png"), full_page=True)
    page.get_by_role("link", name="EN", exact=True).click()
    assert "/en/" in page.url
    assert page.locator("html").get_attribute("lang") == "en"
    context.close()
