"""Pages travel compressed: brotli where the browser takes it and nothing secret is inside."""

from __future__ import annotations

import gzip

import brotli
import pytest
from django.core.cache import cache
from whitenoise.compress import Compressor

from tests.factories import make_product, next_gtin13

pytestmark = pytest.mark.django_db


@pytest.fixture
def honey(producer):
    return make_product(
        producer,
        title="Mật ong hoa nhãn",
        variants=[{"name": "Chai 500 ml", "price": 150_000, "gtin": next_gtin13()}],
    )


def decoded(response) -> str:
    coding = response.get("Content-Encoding")
    body = response.content
    if coding == "br":
        body = brotli.decompress(body)
    elif coding == "gzip":
        body = gzip.decompress(body)
    return body.decode()


@pytest.mark.parametrize(
    ("accept", "coding"),
    [
        ("br, gzip", "br"),
        ("gzip, deflate, br, zstd", "br"),
        ("gzip", "gzip"),
        ("br;q=0, gzip", "gzip"),
        ("BR", "br"),
        ("*", "br"),
        ("identity", None),
        ("", None),
        ("br;q=x", "br"),
    ],
)
@pytest.mark.parametrize("page_cache", [False, True])
def test_a_public_page_comes_in_the_best_encoding_the_browser_accepts(
    honey, client, settings, accept, coding, page_cache
):
    settings.PAGE_CACHE_ENABLED = page_cache
    cache.clear()
    url = "/vi/san-pham/"
    for _ in range(2 if page_cache else 1):  # the second answer is a cache hit
        response = client.get(url, HTTP_ACCEPT_ENCODING=accept)
        assert response.status_code == 200
        assert response.get("Content-Encoding") == coding
        assert "Accept-Encoding" in response.get("Vary", "")
        assert "Mật ong hoa nhãn" in decoded(response)
    cache.clear()


def test_a_page_holding_a_csrf_token_is_never_brotli(honey, client):
    response = client.get(honey.url, HTTP_ACCEPT_ENCODING="br, gzip")
    page = decoded(response)
    assert 'name="csrfmiddlewaretoken"' in page
    assert response["Content-Encoding"] == "gzip"  # Django's gzip, padded against BREACH


def test_compressed_pages_keep_a_weak_etag_that_still_answers_304(honey, client):
    first = client.get("/vi/san-pham/", HTTP_ACCEPT_ENCODING="br")
    etag = first["ETag"]
    assert etag.startswith('W/"')
    again = client.get("/vi/san-pham/", HTTP_ACCEPT_ENCODING="br", HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304


def test_static_files_are_precompressed_with_brotli_too():
    assert Compressor(quiet=True).use_brotli
