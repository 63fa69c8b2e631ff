"""The cached product page is one body for every visitor; its add-to-cart form stays CSRF-safe.

The form carries no token when the page is rendered for the page cache: the browser sends its
CSRF cookie's token (static/js/csrf-cookie.js does it; here the test posts it), and a post
without a valid token gets a confirmation page and changes nothing.
"""

from __future__ import annotations

import gzip
import re

import brotli
import pytest
from django.test import Client

from storefront.models import Cart, CartLine
from tests.factories import make_product
from tests.storefront.helpers import variant_of

pytestmark = pytest.mark.usefixtures("page_cache_on")

ADD = "/{lang}/gio-hang/them/"
TOKEN_FIELD = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


@pytest.fixture
def honey(shop, producer):
    return make_product(
        producer,
        title="Mật ong hoa nhãn Hưng Yên",
        variants=[{"name": "Chai 500 ml", "price": 150_000, "stock": 9}],
    )


def visitor() -> Client:
    """A new anonymous browser that CSRF-checks like a real one."""
    return Client(enforce_csrf_checks=True)


def cookie_token(client: Client, lang: str = "vi") -> str:
    response = client.get(f"/{lang}/gio-hang/ma-bao-ve/")
    assert response.status_code == 204
    assert "no-store" in response["Cache-Control"]
    return client.cookies["csrftoken"].value


def test_cached_product_page_is_the_same_bytes_for_every_visitor_and_precompressed(honey):
    first = visitor().get(honey.url, HTTP_ACCEPT_ENCODING="gzip, br")
    hits = [visitor().get(honey.url, HTTP_ACCEPT_ENCODING="gzip, br") for _ in range(2)]
    gzipped = visitor().get(honey.url, HTTP_ACCEPT_ENCODING="gzip")
    plain = visitor().get(honey.url)

    assert first["X-Page-Cache"] == "miss"
    assert [h["X-Page-Cache"] for h in hits] == ["hit", "hit"]
    assert hits[0].content == hits[1].content
    assert hits[0]["Content-Encoding"] == "br" and gzipped["Content-Encoding"] == "gzip"
    html = brotli.decompress(hits[0].content)
    assert html == gzip.decompress(gzipped.content) == plain.content
    assert b'action="/vi/gio-hang/them/"' in html
    assert b"csrfmiddlewaretoken" not in html


def test_cached_product_page_may_be_kept_by_a_cdn(honey):
    visitor().get(honey.url)
    for response in (visitor().get(honey.url), visitor().head(honey.url)):
        assert response["X-Page-Cache"] == "hit"
        control = response["Cache-Control"]
        assert "public" in control and "s-maxage" in control and "private" not in control
        assert not response.cookies  # no Set-Cookie: a shared cache may keep it
        assert "cookie" not in response.get("Vary", "").lower()


@pytest.mark.parametrize("how", ["field", "header"])
def test_adding_from_the_cached_page_with_the_cookie_token_works(honey, how):
    visitor().get(honey.url)  # stored
    shopper = visitor()
    page = shopper.get(honey.url)
    assert page["X-Page-Cache"] == "hit"
    token = cookie_token(shopper)
    data = {"variant": variant_of(honey).pk, "quantity": 2, "next": honey.url}
    if how == "field":
        response = shopper.post(ADD.format(lang="vi"), {**data, "csrfmiddlewaretoken": token})
    else:
        response = shopper.post(ADD.format(lang="vi"), data, HTTP_X_CSRFTOKEN=token)

    assert response.status_code == 302 and response["Location"].endswith("/vi/gio-hang/")
    assert CartLine.objects.get().quantity == 2


@pytest.mark.parametrize(
    "case", ["no cookie, no token", "cookie, no token", "cookie, wrong token", "other site"]
)
def test_a_post_without_a_valid_token_changes_nothing_and_asks_to_confirm(honey, case):
    shopper = visitor()
    data = {"variant": variant_of(honey).pk, "quantity": 3, "next": honey.url}
    headers = {}
    if case != "no cookie, no token":
        token = cookie_token(shopper, "en")
        if case == "cookie, wrong token":
            data["csrfmiddlewaretoken"] = "x" * 32
        if case == "other site":
            data["csrfmiddlewaretoken"] = token
            headers["HTTP_ORIGIN"] = "https://evil.example"

    response = shopper.post(ADD.format(lang="en"), data, **headers)

    assert response.status_code == 200
    html = response.content.decode()
    assert "Add Mật ong hoa nhãn Hưng Yên" in html and "to your cart?" in html
    assert "no-store" in response["Cache-Control"]
    assert not Cart.objects.exists() and not CartLine.objects.exists()
    assert "sessionid" not in response.cookies
    assert 'name="quantity" value="3"' in html
    assert f'name="next" value="{honey.url}"' in html

    # Confirming (the page's own form, with its real token) adds the item.
    token = TOKEN_FIELD.search(html).group(1)
    confirmed = shopper.post(ADD.format(lang="en"), {**data, "csrfmiddlewaretoken": token})
    assert confirmed.status_code == 302
    assert CartLine.objects.get().quantity == 3


def test_the_confirmation_page_is_in_the_visitors_language(honey):
    response = visitor().post(ADD.format(lang="vi"), {"variant": variant_of(honey).pk})
    assert response.status_code == 200
    assert '<html lang="vi"' in response.content.decode()


@pytest.mark.parametrize(
    "data", [{"variant": "999999"}, {"variant": "abc"}, {}, {"variant": "1", "quantity": "lots"}]
)
def test_a_refused_post_of_bad_input_gets_a_clear_error_not_a_500(honey, data):
    response = visitor().post(ADD.format(lang="en"), data)
    assert response.status_code == 400
    assert 'role="alert"' in response.content.decode()
    assert "csrfmiddlewaretoken" not in response.content.decode()
    assert not CartLine.objects.exists()


def test_a_shopper_with_a_session_gets_the_page_with_their_own_token(honey):
    shopper = visitor()
    token = cookie_token(shopper)
    data = {"variant": variant_of(honey).pk, "quantity": 1, "csrfmiddlewaretoken": token}
    shopper.post(ADD.format(lang="vi"), data)
    assert "sessionid" in shopper.cookies

    page = shopper.get(honey.url)

    assert page.get("X-Page-Cache", "") == ""  # not from, nor into, the shared cache
    token = TOKEN_FIELD.search(page.content.decode()).group(1)
    again = shopper.post(ADD.format(lang="vi"), {**data, "csrfmiddlewaretoken": token})
    assert again.status_code == 302
    assert CartLine.objects.get().quantity == 2


@pytest.mark.parametrize(
    ("setting", "value", "errors"),
    [
        ("CSRF_COOKIE_HTTPONLY", False, 0),
        ("CSRF_COOKIE_HTTPONLY", True, 1),
        ("CSRF_USE_SESSIONS", True, 1),
    ],
)
def test_settings_that_hide_the_csrf_cookie_from_scripts_stop_the_checks(
    settings, setting, value, errors
):
    from django.core.checks import run_checks

    setattr(settings, setting, value)
    assert len([e for e in run_checks() if e.id == "security.E002"]) == errors
