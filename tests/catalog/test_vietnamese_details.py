"""Vietnamese as people read it: places in alphabetical order (Đ after D, "Thành phố" not
under T), phone numbers in national form, slugs that turn đ into d."""

from __future__ import annotations

import re

import pytest

from catalog.addresses import bare_name, province_choices, sort_places, wards_of
from catalog.phones import national_phone
from cms.slugs import vietnamese_slugify

HANOI = 1


def test_provinces_are_in_vietnamese_order_without_their_prefix():
    names = [bare_name(name) for _code, name in province_choices()]
    assert len(names) == 34
    assert names.index("Đà Nẵng") > names.index("Cao Bằng")  # Đ after C…
    assert names.index("Đà Nẵng") < names.index("Gia Lai")  # …and before G
    assert names.index("Hà Nội") < names.index("Hưng Yên")  # "Thành phố" not under T
    assert names.index("Hồ Chí Minh") < names.index("Huế")  # ô before u
    assert names.index("Cà Mau") < names.index("Cần Thơ") < names.index("Đắk Lắk")
    assert names.index("Lạng Sơn") < names.index("Lào Cai") < names.index("Lâm Đồng")


@pytest.mark.parametrize(
    "unsorted, expected",
    [
        (["Đồng Nai", "Dak", "Điện Biên", "Duyên"], ["Dak", "Duyên", "Điện Biên", "Đồng Nai"]),
        (["Ơ", "Ô", "O"], ["O", "Ô", "Ơ"]),
        (["Ư", "U"], ["U", "Ư"]),
        (["Â", "Ă", "A"], ["A", "Ă", "Â"]),
        (["Thành phố Huế", "Tỉnh An Giang", "Xã Bát Tràng"], None),
    ],
)
def test_vietnamese_letters_sort_after_their_base_letter(unsorted, expected):
    got = [name for _i, name in sort_places(enumerate(unsorted))]
    assert got == (expected or ["Tỉnh An Giang", "Xã Bát Tràng", "Thành phố Huế"])


def test_communes_sort_by_name_not_by_phuong_or_xa():
    names = [bare_name(name) for _code, name in wards_of(HANOI)]
    assert names == [name for _i, name in sort_places(enumerate(names))]
    assert names.index("Ba Đình") < names.index("Cầu Giấy")  # Phường and Xã interleave


def test_checkout_lists_provinces_and_communes_in_vietnamese_order(site, client):
    from storefront.forms import CheckoutForm

    form = CheckoutForm(initial={"province": HANOI})
    provinces = [label for value, label in form.fields["province"].choices if value]
    assert provinces == [name for _c, name in province_choices()]
    assert provinces.index("Thành phố Đà Nẵng") < provinces.index("Gia Lai")
    communes = [label for value, label in form.fields["ward"].choices if value]
    assert communes == [name for _c, name in wards_of(HANOI)]


@pytest.mark.parametrize(
    "raw, shown",
    [
        ("+84912345678", "0912 345 678"),
        ("0912345678", "0912 345 678"),
        ("+842438253535", "024 3825 3535"),
        ("not a number", "not a number"),
        ("", ""),
    ],
)
def test_phone_numbers_are_shown_in_national_form(raw, shown):
    assert national_phone(raw) == shown


@pytest.mark.parametrize(
    "title, slug",
    [
        ("Nước mắm đặc biệt", "nuoc-mam-dac-biet"),
        ("ĐẶC SẢN ĐẤT VIỆT", "dac-san-dat-viet"),
        ("Cà phê Buôn Ma Thuột", "ca-phe-buon-ma-thuot"),
    ],
)
def test_slugs_turn_d_with_stroke_into_d(title, slug):
    assert vietnamese_slugify(title) == slug


def test_a_product_page_saved_without_slug_gets_dac_not_ac(producer):
    from tests.factories import make_product

    product = make_product(producer, title="Nước mắm đặc biệt")
    assert product.slug == "nuoc-mam-dac-biet"
    assert product.url.endswith("/nuoc-mam-dac-biet/")


def test_the_editor_loads_the_slug_script_that_folds_d(site, client, officer):
    client.force_login(officer)
    html = client.get("/admin/").content.decode()
    assert re.search(r'<script src="[^"]*js/admin-slug\.js"', html)


def test_search_province_facet_lists_provinces_in_vietnamese_order(site):
    from django.http import QueryDict

    from catalog.search.presenters import build_facets
    from catalog.search.query import SearchQuery, SearchResults

    # Hà Nội 1, Đà Nẵng 48, Cần Thơ 92, Gia Lai 52, Điện Biên 11, Cà Mau 96
    counts = {1: 3, 48: 2, 92: 1, 52: 4, 11: 1, 96: 2}
    results = SearchResults(hits=[], total=13, page=1, page_size=20, facets={"province": counts})
    facets = build_facets(SearchQuery(), results, QueryDict(""))
    [province] = [f for f in facets if f.name == "province"]
    assert [o.label for o in province.options] == [
        "Cà Mau",
        "Cần Thơ",
        "Đà Nẵng",
        "Điện Biên",
        "Gia Lai",
        "Hà Nội",
    ]


def test_producer_page_shows_its_phone_in_national_form(producer, client):
    from catalog.models import ProducerPage

    page = ProducerPage.objects.get(producer=producer, alias_of__isnull=True)
    html = client.get(page.url).content.decode()
    assert '<a href="tel:+84912345678">0912 345 678</a>' in html
