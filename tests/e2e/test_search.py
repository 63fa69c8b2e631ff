"""A shopper searches the catalogue on a 360×740 phone, with JavaScript off and on."""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlsplit

import pytest

from tests.factories import leaf_group, make_product

# serialized_rollback: restores the rows migrations made (root page, locales, OCOP reference
# data) after the flush that ends each transactional test.
pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.fixture
def catalogue(transactional_db, settings):
    """Four certified products; publishing indexes them after commit (immediate tasks)."""
    from cms.services import setup_site, translate_tree
    from tests.factories import ProducerFactory

    settings.CATALOG_SEARCH_ENGINE = "catalog.search.database.DatabaseEngine"
    home = setup_site()
    luc_ngan = ProducerFactory(province_code=24, name="Hợp tác xã Vải thiều Lục Ngạn")
    hung_yen = ProducerFactory(province_code=33, name="Tổ hợp tác Nông sản Hưng Yên")
    fruit = leaf_group("rau-cu-qua-hat-tuoi")
    honey = leaf_group("mat-ong-nong-san-so-che")
    make_product(
        luc_ngan,
        title="Vải thiều Lục Ngạn",
        stars=4,
        group=fruit,
        summary="Vải thiều tươi hái tại vườn đồi Lục Ngạn, cùi dày, hạt nhỏ.",
        variants=[{"name": "Hộp 2 kg", "price": 180_000}],
    )
    make_product(
        hung_yen,
        title="Vải thiều sấy khô",
        stars=3,
        group=fruit,
        summary="Vải thiều sấy củi, đóng túi 500 g.",
        variants=[{"name": "Túi 500 g", "price": 120_000}],
    )
    make_product(
        hung_yen,
        title="Mật ong hoa nhãn",
        stars=4,
        group=honey,
        summary="Mật ong nguyên chất từ vườn nhãn Hưng Yên.",
        variants=[{"name": "Chai 500 ml", "price": 180_000}],
    )
    make_product(
        hung_yen,
        title="Nhãn lồng Hưng Yên",
        stars=4,
        group=fruit,
        summary="Nhãn lồng cùi dày, ngọt sắc.",
        variants=[{"name": "Hộp 2 kg", "price": 150_000}],
    )
    translate_tree(home)


def hit_titles(page) -> list[str]:
    return page.locator(".hits .card-title").all_inner_texts()


def query_of(url: str) -> dict[str, list[str]]:
    return parse_qs(urlsplit(url).query)


def test_search_and_narrow_by_a_facet_without_javascript(
    browser, live_server, catalogue, screenshot_dir
):
    context = browser.new_context(
        viewport={"width": 360, "height": 740},
        device_scale_factor=2,
        java_script_enabled=False,
    )
    page = context.new_page()
    page.goto(f"{live_server.url}/vi/")
    header_box = page.locator("header").get_by_role("searchbox")
    header_box.fill("vai thieu")
    header_box.press("Enter")

    page.wait_for_url(re.compile(r"/vi/tim-kiem/\?"))
    assert query_of(page.url)["q"] == ["vai thieu"]
    assert sorted(hit_titles(page)) == ["Vải thiều Lục Ngạn", "Vải thiều sấy khô"]
    # The typed words, without accents, are marked on the accented title.
    title = page.locator(".hits .card-title", has_text="Vải thiều Lục Ngạn")
    assert title.locator("mark").all_inner_texts() == ["Vải", "thiều"]
    assert "Mật ong" not in page.locator(".search-results").inner_text()

    # The phone's first screen shows results; the facets are folded behind "Filters".
    assert not page.locator(".facet-stars").is_visible()
    page.locator(".facets-fold > summary").click()
    # Narrow to 4★: without JavaScript the shopper ticks the box and applies the filters.
    page.locator(".facet-stars").get_by_role("checkbox", name=re.compile("^4★")).check()
    page.get_by_role("button", name=re.compile("Áp dụng|Apply")).click()
    page.wait_for_url(re.compile(r"stars=4"))
    assert hit_titles(page) == ["Vải thiều Lục Ngạn"]
    state = query_of(page.url)
    assert (state["q"], state["stars"]) == (["vai thieu"], ["4"])
    # The page fits the phone's width.
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    page.screenshot(path=str(screenshot_dir / "search-phone-no-js.png"), full_page=True)

    # The URL is the whole state: opened elsewhere, it shows the same narrowed search.
    shared = context.new_page()
    shared.goto(page.url)
    assert hit_titles(shared) == ["Vải thiều Lục Ngạn"]
    assert shared.locator("#search-q").input_value() == "vai thieu"
    # The chosen filter shows as a removable chip above the results, the facets stay folded.
    assert shared.locator(".chosen-filters a").all_inner_texts() == ["Hạng sao: 4★ ×"]
    shared.locator(".facets-fold > summary").click()
    assert (
        shared.locator(".facet-stars").get_by_role("checkbox", name=re.compile("^4★")).is_checked()
    )
    context.close()


def test_header_box_suggests_products_as_the_shopper_types(
    live_server, phone, catalogue, screenshot_dir
):
    phone.goto(f"{live_server.url}/vi/")
    header_box = phone.locator("header").get_by_role("searchbox")
    header_box.press_sequentially("mat o", delay=60)

    suggestion = phone.get_by_role("option").filter(has_text="Mật ong")
    suggestion.wait_for(state="visible")
    assert suggestion.inner_text() == "Mật ong hoa nhãn"
    assert suggestion.locator("mark").all_inner_texts() == ["Mật", "o"]
    assert header_box.get_attribute("aria-controls") == phone.get_by_role("listbox").get_attribute(
        "id"
    )
    phone.screenshot(path=str(screenshot_dir / "search-suggestions-phone.png"))

    suggestion.get_by_role("link").click()
    phone.wait_for_load_state()
    assert phone.locator("h1").inner_text() == "Mật ong hoa nhãn"


def test_with_javascript_a_facet_applies_as_soon_as_it_is_ticked(live_server, phone, catalogue):
    phone.goto(f"{live_server.url}/vi/tim-kiem/?q=vai+thieu")
    assert len(hit_titles(phone)) == 2
    phone.locator(".facets-fold > summary").click()
    with phone.expect_navigation():
        phone.locator(".facet-stars").get_by_role(
            "checkbox", name=re.compile("^3★")
        ).click()  # check() would wait for a box the navigation replaces
    assert hit_titles(phone) == ["Vải thiều sấy khô"]
    state = query_of(phone.url)
    assert (state["q"], state["stars"]) == (["vai thieu"], ["3"])
