"""Public pages in both languages: content, SEO, structured data, bounded queries."""

import json
import re

import pytest
from django.utils import translation
from wagtail.models import Locale

from catalog.models import ProducerPage, ProductPage
from cms.services import translate_tree
from tests.catalog.test_listing import card_titles
from tests.factories import leaf_group, make_product, next_gtin13


@pytest.fixture
def catalogue(site, producer, other_producer):
    gtin = next_gtin13()
    honey = make_product(
        producer,
        title="Mật ong hoa nhãn",
        stars=5,
        variants=[{"name": "Chai 500 ml", "price": 150_000, "gtin": gtin}],
        certificate_kwargs={"issuing_level": "central", "issuing_body": "Bộ Nông nghiệp"},
    )
    coffee = make_product(
        other_producer,
        title="Cà phê Robusta",
        stars=3,
        group=leaf_group("ca-phe-ca-cao"),
        variants=[{"name": "Gói 500 g", "price": 95_000}],
    )
    hidden = make_product(producer, title="Nước vải 2 sao", stars=2, publish=False)
    translate_tree(site)
    return {"honey": honey, "coffee": coffee, "hidden": hidden, "gtin": gtin}


def _jsonld(html: str) -> dict:
    match = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    assert match, "no JSON-LD block"
    return json.loads(match.group(1))


def _en(page):
    return page.get_translation(Locale.objects.get(language_code="en"))


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_home_page_features_top_products_groups_and_provinces(client, catalogue, lang):
    response = client.get(f"/{lang}/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "Mật ong hoa nhãn" in html  # 5★ featured
    assert "Cà phê Robusta" not in html  # 3★ is not featured
    assert "Nước vải 2 sao" not in html
    assert f'lang="{lang}"' in html
    assert 'name="q"' in html  # the header search box
    for group in ("Thực phẩm", "Đồ uống") if lang == "vi" else ("Food", "Beverages"):
        assert group in html
    assert "Đắk Lắk" in html and "Bắc Ninh" in html


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_product_page_shows_stars_certificate_and_price(client, catalogue, lang):
    honey = catalogue["honey"] if lang == "vi" else _en(catalogue["honey"])
    response = client.get(honey.url)
    html = response.content.decode()
    cert = catalogue["honey"].certificates.get()
    assert response.status_code == 200
    assert "OCOP 5★" in html
    assert cert.decision_number in html
    assert cert.expires_on.strftime("%d/%m/%Y") in html
    assert "Bộ Nông nghiệp" in html
    assert ("150.000 ₫" if lang == "vi" else "₫150,000") in html


def test_product_page_seo_links_and_structured_data(client, catalogue):
    honey = catalogue["honey"]
    html = client.get(honey.url).content.decode()
    assert (
        f'<link rel="canonical" href="http://127.0.0.1:8000{honey.url}">' in html
        or 'rel="canonical"' in html
    )
    assert 'hreflang="en"' in html and 'hreflang="vi"' in html
    data = _jsonld(html)
    assert data["@type"] == "Product"
    assert data["name"] == "Mật ong hoa nhãn"
    assert data["gtin13"] == catalogue["gtin"]
    assert data["brand"]["name"]
    assert data["offers"]["priceCurrency"] == "VND"
    assert data["offers"]["price"] == "150000"


def test_listing_by_group_and_province(client, catalogue):
    by_group = client.get("/vi/san-pham/nhom/ca-phe-ca-cao-nhom/").content.decode()
    assert card_titles(by_group) == ["Cà phê Robusta"]
    by_province = client.get("/vi/san-pham/tinh/dak-lak/").content.decode()
    assert card_titles(by_province) == ["Cà phê Robusta"]
    everything = client.get("/vi/san-pham/").content.decode()
    assert card_titles(everything) == ["Cà phê Robusta", "Mật ong hoa nhãn"]  # by name
    assert client.get("/vi/san-pham/tinh/khong-co/").status_code == 404
    assert client.get("/vi/san-pham/?page=abc").status_code == 200


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_producer_pages_render(client, catalogue, producer, lang):
    index = client.get(f"/{lang}/chu-the/")
    assert index.status_code == 200
    page = ProducerPage.objects.get(producer=producer, locale__language_code=lang)
    html = client.get(page.url).content.decode()
    assert producer.name in html and producer.tax_code in html
    assert "Mật ong hoa nhãn" in html and "Nước vải 2 sao" not in html


def test_unpublished_products_are_not_served(client, catalogue):
    hidden = ProductPage.objects.get(pk=catalogue["hidden"].pk)
    assert client.get(f"/vi/chu-the/{hidden.get_parent().slug}/{hidden.slug}/").status_code == 404


def test_sitemap_lists_every_live_page_in_both_languages(client, catalogue):
    xml = client.get("/sitemap.xml").content.decode()
    honey = catalogue["honey"]
    assert f"{honey.url}</loc>" in xml
    assert f"{_en(honey).url}</loc>" in xml
    assert "nuoc-vai-2-sao" not in xml


def test_expired_certificate_hides_the_badge(client, catalogue):
    import datetime as dt

    from django.utils import timezone

    cert = catalogue["coffee"].certificates.get()
    cert.expires_on = timezone.localdate() - dt.timedelta(days=1)
    cert.save()
    html = client.get(catalogue["coffee"].url).content.decode()
    assert "OCOP 3★" not in html
    assert "expired" in html or "hết hạn" in html


# Queries per page, the same for 2 or 14 products (issue 10: fewer, and constant). The home
# page's featured products are one search (5★ then 4★), like the listing's cards.
# The listing is one search (the index's state, then the page's hits: cards, count and facets
# come from the engine), the cards' pages and their renditions; the OCOP groups and the
# provinces with producers (browse links, facet labels) are each worker's copy, kept until
# something listed changes (cms.sitememo.listed).
# The product page adds two this round: its sales points ("where to buy in person") and its
# approved reviews. Prefetching them with the page's own queries cannot lower that: a prefetch
# is one query per relation, each is its own table, and the sales points (stocking the product
# or its whole producer, an OR over two many-to-many tables) are already one query.
# Wagtail's Site, its home page (with its locale) and the view restrictions (none here) come
# from each worker's copy (cms/sitememo.py), not five queries per request; the page served is
# read with its locale and, for a product, its group and producer (HomePage.route), and a path
# served before needs no look-up of which page it is; a product's producer page and its
# translations come from one query.
PAGE_QUERIES = {"product": 7, "producer": 9, "listing": 5, "home": 5}


def _url(catalogue, kind):
    honey = catalogue["honey"]
    return {
        "product": honey.url,
        "producer": honey.get_parent().url,
        "listing": "/vi/san-pham/",
        "home": "/vi/",
    }[kind]


@pytest.mark.parametrize("extra", [0, 12])
@pytest.mark.parametrize("kind", sorted(PAGE_QUERIES))
def test_page_queries_are_few_and_do_not_grow(
    client, catalogue, django_assert_num_queries, kind, extra
):
    producer = catalogue["honey"].producer
    for i in range(extra):
        make_product(
            producer,
            title=f"Sản phẩm thêm {i}",
            stars=5,
            variants=[{"name": f"Gói {n}", "price": 50_000 + n} for n in range(3)],
        )
    url = _url(catalogue, kind)
    client.get(url)  # renditions made once
    with django_assert_num_queries(PAGE_QUERIES[kind]):
        assert client.get(url).status_code == 200


@pytest.mark.parametrize(
    ("language", "amount", "shown"),
    [
        ("vi", 150_000, "150.000 ₫"),
        ("vi", 12_000_000, "12.000.000 ₫"),
        ("vi", 0, "0 ₫"),
        ("vi", -5_000, "-5.000 ₫"),
        ("en", 150_000, "₫150,000"),
        ("en", 12_000_000, "₫12,000,000"),
        ("en", 0, "₫0"),
    ],
)
def test_one_money_format_per_language(language, amount, shown):
    from django.utils import translation

    from catalog.money import format_vnd

    with translation.override(language):
        assert format_vnd(amount) == shown


def test_vietnamese_is_the_default_language(client, catalogue):
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="")
    assert response.status_code == 302 and response["Location"].startswith("/vi/")
    with translation.override("vi"):
        assert translation.gettext("Products") == "Sản phẩm"


def test_unknown_path_without_language_is_redirected_but_admin_404_is_not(client, officer):
    assert client.get("/san-pham/")["Location"] == "/vi/san-pham/"
    client.force_login(officer)
    response = client.get("/admin/certificate/edit/999999/")
    assert response.status_code == 404
