"""Sales points: officers' records, the province page, "where to buy in person" on products."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.cache import cache
from django.core.exceptions import ValidationError

from catalog.addresses import wards_of
from places.models import SalesPoint
from tests.factories import make_product

BAC_NINH = 24  # the fixtures' producer's province since the 2025 merger
PROVINCE_PAGE = "/vi/diem-ban/bac-ninh/"


def _point(**fields) -> SalesPoint:
    values = {
        "name": "Điểm bán OCOP Bắc Giang",
        "kind": "sales_point",
        "province_code": BAC_NINH,
        "ward_code": wards_of(BAC_NINH)[0][0],
        "street_address": "12 Nguyễn Văn Cừ",
        "opening_hours": "7:30–21:00 hằng ngày",
        "phone": "0204 3850 123",
        **fields,
    }
    return SalesPoint(**values)


def _errors(point: SalesPoint) -> set[str]:
    try:
        point.full_clean()
    except ValidationError as error:
        return set(error.message_dict)
    return set()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("fields", "wrong"),
    [
        ({"latitude": Decimal("21.27"), "longitude": Decimal("106.19")}, set()),
        ({}, set()),
        ({"latitude": Decimal("21.27")}, {"longitude"}),
        ({"longitude": Decimal("106.19")}, {"latitude"}),
        ({"latitude": Decimal("106.19"), "longitude": Decimal("21.27")}, {"latitude"}),  # swapped
        ({"latitude": Decimal("-21.27"), "longitude": Decimal("106.19")}, {"latitude"}),
        ({"ward_code": wards_of(66)[0][0]}, {"ward_code"}),  # a ward of Đắk Lắk
    ],
)
def test_address_and_coordinates_are_checked(fields, wrong):
    assert _errors(_point(**fields)) == wrong


@pytest.fixture
def stocked(producer, other_producer):
    """A point stocking the honey by name and every product of the other producer."""
    honey = make_product(producer, title="Mật ong hoa nhãn")
    tea = make_product(producer, title="Chè Shan tuyết")
    coffee = make_product(other_producer, title="Cà phê Robusta")
    point = _point(latitude=Decimal("21.273"), longitude=Decimal("106.194"))
    point.save()
    point.producers.add(other_producer)
    point.products.add(honey)
    closed = _point(name="Cửa hàng đã đóng", is_active=False)
    closed.save()
    closed.products.add(tea)
    return {"honey": honey, "tea": tea, "coffee": coffee, "point": point}


def test_province_page_lists_open_points_with_what_they_stock(client, stocked):
    response = client.get(PROVINCE_PAGE)
    text = response.content.decode()
    assert response.status_code == 200
    assert "Điểm bán OCOP Bắc Giang" in text
    assert "7:30–21:00 hằng ngày" in text
    assert stocked["honey"].url in text
    assert "Công ty TNHH Cà phê Buôn Ma Thuột Thử" in text  # stocked producer
    assert "Cửa hàng đã đóng" not in text
    assert "openstreetmap.org/?mlat=21.273000&amp;mlon=106.194000" in text


def test_index_lists_provinces_with_open_points_and_english_pages_answer(client, stocked):
    index = client.get("/vi/diem-ban/").content.decode()
    assert 'href="/vi/diem-ban/bac-ninh/"' in index
    assert "(1)" in index  # the closed point is not counted
    english = client.get("/en/diem-ban/bac-ninh/")
    assert english.status_code == 200
    assert "OCOP sales point" in english.content.decode()


@pytest.mark.parametrize("slug", ["khong-co", "x" * 300, "ha-noi%00"])
def test_unknown_province_is_a_404(client, site, slug):
    assert client.get(f"/vi/diem-ban/{slug}/").status_code == 404


def test_product_page_says_where_to_buy_in_person(client, stocked):
    by_name = client.get(stocked["honey"].url).content.decode()
    by_producer = client.get(stocked["coffee"].url).content.decode()
    only_closed = client.get(stocked["tea"].url).content.decode()
    assert "Điểm bán OCOP Bắc Giang" in by_name
    assert "Điểm bán OCOP Bắc Giang" in by_producer
    assert 'id="where-heading"' not in only_closed


def test_a_new_sales_point_voids_the_cached_product_page(
    client, settings, producer, django_capture_on_commit_callbacks
):
    settings.PAGE_CACHE_ENABLED = True
    cache.clear()
    honey = make_product(producer, title="Mật ong hoa nhãn")
    assert client.get(honey.url)["X-Page-Cache"] == "miss"
    assert client.get(honey.url)["X-Page-Cache"] == "hit"
    with django_capture_on_commit_callbacks(execute=True):
        point = _point(name="Quầy OCOP chợ Thương")
        point.save()
        point.products.add(honey)
    response = client.get(honey.url)
    assert "Quầy OCOP chợ Thương" in response.content.decode()
    cache.clear()


def test_officers_keep_sales_points_and_producer_editors_cannot(client, officer, editor, site):
    client.force_login(editor)
    assert client.get("/admin/places/sales-points/").status_code in (302, 403)
    client.force_login(officer)
    assert client.get("/admin/places/sales-points/").status_code == 200
    response = client.post(
        "/admin/places/sales-points/new/",
        {
            "name": "Điểm du lịch cộng đồng Đường Lâm",
            "kind": "tourism_site",
            "province_code": str(BAC_NINH),
            "ward_code": str(wards_of(66)[0][0]),  # not in Bắc Ninh
            "latitude": "21.1",
            "longitude": "105.4",
        },
    )
    assert response.status_code == 200  # the form again, with the ward's error
    assert not SalesPoint.objects.exists()
    response = client.post(
        "/admin/places/sales-points/new/",
        {
            "name": "Điểm du lịch cộng đồng Đường Lâm",
            "kind": "tourism_site",
            "province_code": str(BAC_NINH),
            "ward_code": str(wards_of(BAC_NINH)[0][0]),
            "is_active": "on",
        },
    )
    assert response.status_code == 302
    assert SalesPoint.objects.get().kind == "tourism_site"
