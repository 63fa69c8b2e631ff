"""Known bad inputs that used to answer 500 now get a clear answer and change nothing."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import translation

from tests.factories import make_batch
from traceability.services import generate_serials


def _add_url() -> str:
    with translation.override("vi"):
        return reverse("storefront:add")


@pytest.mark.parametrize(
    "next_url",
    [
        "gio-hang",  # a bare word: redirect() would try to reverse it as a URL name
        "cart",
        "vi/gio-hang/",
        "https://evil.example/",
        "//evil.example/",
        "/\\evil.example/",
        "javascript:alert(1)",
        "/vi/\nSet-Cookie: x=1",
        "\x00",
        "http://testserver/vi/",
    ],
)
def test_cart_add_with_a_foreign_or_relative_next_returns_to_the_cart(client, product, next_url):
    response = client.post(_add_url(), {"variant": "not-a-number", "next": next_url})
    assert response.status_code == 302
    with translation.override("vi"):
        assert response["Location"] == reverse("storefront:cart")


def test_cart_add_with_a_local_next_returns_there(client, product):
    response = client.post(_add_url(), {"variant": "x", "next": "/vi/tim-kiem/?q=mật ong"})
    assert response.status_code == 302
    assert response["Location"].startswith("/vi/tim-kiem/?q=")


@pytest.fixture
def batch(product):
    return make_batch(product, lot_code="LOT-FUZZ-1", events=1)


@pytest.fixture
def serial_url(batch):
    serial = generate_serials(batch, 1)[0].serial
    return reverse("traceability_pages:serial", args=[batch.short_code, serial])


@pytest.mark.parametrize(
    ("lat", "lon"),
    [
        ("NaN", "105.8"),
        ("21.0", "nan"),
        ("sNaN", "sNaN"),
        ("inf", "-Infinity"),
        ("1e999999999", "105"),
        ("9" * 500, "105"),
        ("91", "105"),
        ("21", "181"),
        ("", ""),
        ("21,0", "105,8"),
        ("0x15", "1_0"),
    ],
)
def test_serial_page_ignores_impossible_coordinates(client, batch, serial_url, lat, lon):
    response = client.get(serial_url, {"lat": lat, "lon": lon})
    assert response.status_code == 200
    scan = batch.scans.get()
    assert scan.latitude is None and scan.longitude is None


def test_serial_page_keeps_a_real_location(client, batch, serial_url):
    response = client.get(serial_url, {"lat": "21.0285", "lon": "105.8542"})
    assert response.status_code == 200
    scan = batch.scans.get()
    assert (str(scan.latitude), str(scan.longitude)) == ("21.0285", "105.8542")
