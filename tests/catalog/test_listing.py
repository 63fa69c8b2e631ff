"""The catalogue listing reads its cards, count and facets from the search engine: it lists
exactly what is for sale (what `certified_products` says), each product once, by name."""

from __future__ import annotations

import re

import pytest
from django.utils.safestring import mark_safe
from hypothesis import given, settings
from hypothesis import strategies as st
from wagtail.models import Locale

from catalog import listing
from catalog.search.text import folded_text
from catalog.services import certified_products, revoke_certificate
from tests.factories import make_product

# Accents and đ on the first letters: the order is the letters without their marks.
NAMES = (
    "Ổi Đông Dư",
    "Bánh đa Kế",
    "Đậu phộng rang",
    "Cà phê Robusta",
    "Ba kích tím",
    "Mắm tôm Sầm Sơn",
    "Yến sào Khánh Hòa",
)
PAGE = 3


@pytest.fixture
def shop(site, producer, other_producer, monkeypatch):
    monkeypatch.setattr(listing, "PAGE_SIZE", PAGE)
    pages = {}
    for i, name in enumerate(NAMES):
        pages[name] = make_product(
            producer if i % 2 else other_producer, title=name, stars=3 + i % 3
        )
    make_product(producer, title="Nước vải 2 sao", stars=2, publish=False)
    make_product(producer, title="Trà chưa chứng nhận", stars=None, publish=False)
    from cms.services import translate_tree

    translate_tree(site)
    return pages


def card_titles(html: str) -> list[str]:
    return re.findall(r'<h3 class="card-title"[^>]*>([^<]*)</h3>', html)


def walk(client, url: str) -> tuple[list[str], list[str]]:
    """Every card title over every page of a listing, and each page's "N products" line."""
    seen, counts, page = [], [], 1
    while True:
        html = client.get(url, {"page": page}).content.decode()
        seen += card_titles(html)
        counts += re.findall(r'<p class="count">([^<]*)</p>', html)
        if 'rel="next"' not in html:
            return seen, counts
        page += 1


def for_sale(language: str) -> list[str]:
    locale = Locale.objects.get(language_code=language)
    return list(certified_products(locale).values_list("title", flat=True))


@pytest.mark.parametrize("language", ["vi", "en"])
def test_listing_is_every_product_for_sale_once_by_name(client, shop, language):
    seen, counts = walk(client, f"/{language}/san-pham/")
    assert seen == sorted(for_sale(language), key=folded_text)
    assert len(seen) == len(NAMES) and seen[:2] == ["Ba kích tím", "Bánh đa Kế"]
    assert len(counts) == -(-len(NAMES) // PAGE) and all(str(len(NAMES)) in c for c in counts)


def test_listing_follows_a_revoked_certificate(client, shop):
    gone = shop["Cà phê Robusta"]
    revoke_certificate(gone.certificates_queryset().first(), reason="Gian lận hồ sơ")
    seen, _counts = walk(client, "/vi/san-pham/")
    assert "Cà phê Robusta" not in seen
    assert seen == sorted(for_sale("vi"), key=folded_text)


@pytest.mark.parametrize(("asked", "shown"), [("abc", 1), ("-4", 1), ("0", 1), ("2", 2), ("99", 3)])
def test_listing_page_number_out_of_range_shows_the_nearest_page(client, shop, asked, shown):
    html = client.get("/vi/san-pham/", {"page": asked}).content.decode()
    every = sorted(NAMES, key=folded_text)
    assert card_titles(html) == every[(shown - 1) * PAGE : shown * PAGE]
    assert f"<span>Trang {shown}/3</span>" in html


def test_listing_falls_back_to_the_database_when_the_engine_fails(client, shop, monkeypatch):
    from catalog.search.database import DatabaseEngine

    def broken(self, query):
        raise ConnectionError("engine down")

    monkeypatch.setattr(DatabaseEngine, "search", broken)
    response = client.get("/vi/san-pham/")
    assert response.status_code == 200
    seen, _counts = walk(client, "/vi/san-pham/")
    assert sorted(seen) == sorted(for_sale("vi"))  # the same products, none twice


TEXT = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=10)


@settings(max_examples=60, deadline=None)
@given(
    title=TEXT,
    title_lang=st.sampled_from(["", "vi"]),
    url=TEXT,
    stars=st.one_of(st.none(), st.integers(3, 5)),
    min_price=st.one_of(st.none(), st.integers(0, 10**9)),
    in_stock=st.booleans(),
    producer_name=TEXT,
    province_code=st.one_of(st.none(), st.sampled_from([1, 24, 66, 79])),
    variant_count=st.integers(0, 3),
    image_html=st.sampled_from(["", mark_safe('<img alt="a&amp;b" src="/m/x.webp">')]),
    language=st.sampled_from(["vi", "en"]),
)
def test_card_written_in_python_is_the_card_template(language, **fields):
    from django.template.loader import render_to_string
    from django.utils import translation

    from catalog.services import ProductCard

    card = ProductCard(page=None, summary="", **fields)
    with translation.override(language):
        assert card.html == render_to_string("components/product_card.html", {"card": card})


def test_an_index_write_voids_the_cached_listings(client, shop, page_cache_on):
    """The listing is read from the index, which follows the catalogue after commit: a listing
    cached before the index caught up must not outlive the index's change."""
    from catalog.models import ProductPage
    from catalog.search.tasks import index_products_task

    assert card_titles(client.get("/vi/san-pham/").content.decode())[0] == "Ba kích tím"
    assert client.get("/vi/san-pham/").headers.get("X-Page-Cache") == "hit"
    page = shop["Ba kích tím"]
    ProductPage.objects.filter(pk=page.pk).update(title="Ba kích tím Quảng Ninh")  # no signal
    stale = client.get("/vi/san-pham/").content.decode()
    assert card_titles(stale)[0] == "Ba kích tím"  # still the cached page
    index_products_task.call([page.pk])
    html = client.get("/vi/san-pham/").content.decode()
    assert card_titles(html)[0] == "Ba kích tím Quảng Ninh"


def browse_names(html: str, heading: str) -> list[str]:
    section = html.split(f'id="{heading}"', 1)[1].split("</section>", 1)[0]
    return re.findall(r'<li><a href="[^"]*">([^<]*)</a></li>', section)


def test_browse_links_follow_a_renamed_group_and_a_new_province(client, shop, site):
    """The groups and provinces to browse by are kept in each worker until something listed
    changes: a renamed group and a producer page gone live in a new province show at once."""
    from catalog.models import OcopGroup
    from tests.factories import ProducerFactory

    html = client.get("/vi/san-pham/").content.decode()
    groups, provinces = (
        browse_names(html, "groups-heading"),
        browse_names(html, "provinces-heading"),
    )
    assert len(groups) == 6 and "Cần Thơ" not in provinces
    group = OcopGroup.objects.get(scheme="148", parent__isnull=True, name=groups[0])
    group.name = "Thực phẩm (đổi tên)"
    group.save()
    html = client.get("/vi/san-pham/").content.decode()
    assert "Thực phẩm (đổi tên)" in browse_names(html, "groups-heading")
    newcomer = ProducerFactory(province_code=92)  # Cần Thơ
    make_product(newcomer, title="Gạo thơm Cờ Đỏ", stars=4)
    html = client.get("/vi/san-pham/").content.decode()
    assert "Cần Thơ" in browse_names(html, "provinces-heading")
