"""Rate limits: past the limit an address gets HTTP 429 with a message, and nothing is written."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.utils import translation

from security.throttle import DEFAULT_RATES, hit
from storefront.models import CartLine, Order
from tests.storefront.helpers import add_to_cart, checkout, checkout_data, variant_of
from traceability.models import ProblemReport
from traceability.services import generate_serials

MESSAGE_EN = "Too many requests from your address. Please wait a few minutes and try again."


@pytest.fixture
def limits(settings):
    """Small limits; other tests run with limits out of the way (config/settings/test.py)."""

    def set_limits(**scopes: int) -> None:
        settings.RATE_LIMITS = {scope: (hits, 600) for scope, hits in scopes.items()}

    return set_limits


def assert_throttled(response, lang: str = "en") -> None:
    assert response.status_code == 429
    assert int(response["Retry-After"]) > 0
    with translation.override(lang):
        expected = translation.gettext(MESSAGE_EN)
    if response["Content-Type"].startswith("application/json"):
        assert response.json() == {"error": expected}
    else:
        assert expected in response.content.decode()


SCOPE_CALL = re.compile(
    r"\b(?:rate_limited|hit|hit_address|hit_request|too_many_requests|rate)\("
    r"(?:request,\s*)?\s*\"([a-z-]+)\""
)


def scopes_used_in_code() -> set[str]:
    """Every scope literal passed to the throttle API anywhere in the project's code."""
    root = Path(__file__).resolve().parents[2]
    found = set()
    for path in root.rglob("*.py"):
        parts = path.relative_to(root).parts
        if parts[0] in {".venv", "tests", "var", "search-node", "benchmarks"}:
            continue
        found |= set(SCOPE_CALL.findall(path.read_text(encoding="utf-8")))
    return found


def test_defaults_cover_every_throttled_action(settings):
    """A scope used in code without a default would fail at the first request; a default
    no code uses is dead configuration. New throttled actions are covered without editing."""
    settings.RATE_LIMITS = {}
    used = scopes_used_in_code()
    assert {"cart", "checkout", "report", "search", "scan", "api", "sign-in"} <= used
    assert set(DEFAULT_RATES) == used
    assert all(hits > 0 and window > 0 for hits, window in DEFAULT_RATES.values())


def test_cart_writes_are_limited_and_the_refused_one_changes_nothing(shop, product, client, limits):
    limits(cart=3)
    variant = variant_of(product)
    assert add_to_cart(client, variant, lang="en").status_code == 302
    assert add_to_cart(client, variant, lang="en").status_code == 302
    update = client.post("/en/gio-hang/cap-nhat/", {"variant": variant.pk, "quantity": 5})
    assert update.status_code == 302

    assert_throttled(add_to_cart(client, variant, lang="en"))
    assert_throttled(client.post("/en/gio-hang/cap-nhat/", {"variant": variant.pk, "quantity": 9}))
    assert CartLine.objects.get().quantity == 5


def test_the_limit_is_per_address(shop, product, client, limits):
    limits(cart=1)
    variant = variant_of(product)
    assert add_to_cart(client, variant).status_code == 302
    assert add_to_cart(client, variant).status_code == 429
    other = client.post(
        "/vi/gio-hang/them/", {"variant": variant.pk, "quantity": 1}, REMOTE_ADDR="198.51.100.9"
    )
    assert other.status_code == 302


def test_an_ipv6_client_cannot_escape_by_changing_address(shop, product, client, limits):
    limits(cart=1)
    variant = variant_of(product)

    def add(ip: str):
        return client.post("/vi/gio-hang/them/", {"variant": variant.pk}, REMOTE_ADDR=ip)

    assert add("2001:db8:1:2::1").status_code == 302
    assert add("2001:db8:1:2::beef").status_code == 429  # same /64
    assert add("2001:db8:1:3::1").status_code == 302  # another subscriber


def test_the_limit_follows_the_client_behind_a_trusted_proxy(
    shop, product, client, limits, settings
):
    settings.TRUSTED_PROXIES = ["10.0.0.2"]
    limits(cart=1)
    variant = variant_of(product)

    def add(forwarded: str, remote_addr: str = "10.0.0.2"):
        return client.post(
            "/vi/gio-hang/them/",
            {"variant": variant.pk, "quantity": 1},
            REMOTE_ADDR=remote_addr,
            HTTP_X_FORWARDED_FOR=forwarded,
        )

    assert add("198.51.100.1").status_code == 302
    assert add("198.51.100.1").status_code == 429
    assert add("198.51.100.2").status_code == 302  # another shopper behind the same proxy
    # Straight from outside, a forged header does not buy a fresh counter.
    assert add("203.0.113.50", remote_addr="203.0.113.9").status_code == 302
    assert add("203.0.113.51", remote_addr="203.0.113.9").status_code == 429


def test_checkout_posts_are_limited_and_no_order_is_placed(shop, product, client, limits):
    limits(checkout=1)
    add_to_cart(client, variant_of(product), lang="en")
    assert client.get("/en/thanh-toan/").status_code == 200  # viewing is not counted
    first = client.post("/en/thanh-toan/", checkout_data(step="province"))
    assert first.status_code == 200

    assert_throttled(checkout(client, lang="en"))
    assert not Order.objects.exists()


def test_problem_reports_are_limited(batch, client, limits):
    limits(report=2)
    url = f"/vi/truy-xuat/{batch.short_code}/bao-loi/"
    for n in range(2):
        assert client.post(url, {"message": f"Hộp bị móp {n}"}).status_code == 200

    response = client.post(url, {"message": "Hộp bị móp lần nữa"})

    assert_throttled(response, "vi")
    assert ProblemReport.objects.count() == 2
    assert client.get(url).status_code == 200  # reading the form is not counted


def test_problem_reports_from_a_serial_page_are_limited_too(batch, client, limits):
    limits(report=1)
    serial = generate_serials(batch, 1)[0].serial
    url = f"/en/truy-xuat/{batch.short_code}/s/{serial}/"
    assert client.post(url, {"message": "Hộp bị móp", "serial": serial}).status_code == 200
    assert_throttled(client.post(url, {"message": "Lần hai", "serial": serial}))
    assert ProblemReport.objects.count() == 1


@pytest.mark.parametrize(
    ("url", "is_json"),
    [
        ("/en/tim-kiem/?q=mat+ong", False),
        ("/en/tim-kiem/api/?q=mat", True),
        ("/en/tim-kiem/goi-y/?q=ma", True),
    ],
)
def test_search_is_limited(site, client, limits, url, is_json):
    limits(search=2)
    assert client.get(url).status_code == 200
    assert client.get(url).status_code == 200
    response = client.get(url)
    assert_throttled(response)
    assert response["Content-Type"].startswith("application/json") == is_json


def test_scan_counting_is_limited_per_address_across_codes(batch, client, limits):
    limits(scan=2)
    serials = [s.serial for s in generate_serials(batch, 3)]
    for code in serials:
        response = client.get(f"/vi/truy-xuat/{batch.short_code}/s/{code}/")
        assert response.status_code == 200  # the page is always shown …
    counts = {s.serial: s.scan_count for s in batch.serials.all()}
    assert sorted(counts.values()) == [0, 1, 1]  # … but the third scan is not counted
    assert batch.scans.count() == 2
    other = client.get(
        f"/vi/truy-xuat/{batch.short_code}/s/{serials[2]}/", REMOTE_ADDR="198.51.100.3"
    )
    assert other.status_code == 200
    assert batch.serials.get(serial=serials[2]).scan_count == 1


def test_scan_counting_per_code_uses_the_client_behind_the_proxy(batch, client, settings):
    settings.TRUSTED_PROXIES = ["10.0.0.2"]
    serial = generate_serials(batch, 1)[0].serial
    url = f"/vi/truy-xuat/{batch.short_code}/s/{serial}/"
    for n in range(12):  # twelve shoppers behind one proxy, each scanning once
        client.get(url, REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR=f"198.51.100.{n + 1}")
    assert batch.serials.get(serial=serial).scan_count == 12
    for _ in range(12):  # one shopper scanning twelve times
        client.get(url, REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="203.0.113.1")
    assert batch.serials.get(serial=serial).scan_count == 12 + DEFAULT_RATES["scan-code"][0]


def test_counters_are_exact_on_the_embedded_file_cache(settings, tmp_path):
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(tmp_path),
        }
    }
    settings.RATE_LIMITS = {"search": (3, 60)}
    assert [hit("search", "198.51.100.1") for _ in range(5)] == [True, True, True, False, False]
    assert hit("search", "198.51.100.2")
    assert (tmp_path / "throttle.lock").exists()  # the lock that serialises the workers


def test_admin_password_reset_requests_are_limited(officer, client, limits, mailoutbox):
    limits(**{"password-reset": 2})
    for _ in range(2):
        response = client.post("/admin/password_reset/", {"email": "officer@example.vn"})
        assert response.status_code == 302
    assert len(mailoutbox) == 2
    assert_throttled(
        client.post(
            "/admin/password_reset/", {"email": "officer@example.vn"}, HTTP_ACCEPT_LANGUAGE="en"
        )
    )
    assert len(mailoutbox) == 2  # no third e-mail
    assert client.get("/admin/password_reset/").status_code == 200
