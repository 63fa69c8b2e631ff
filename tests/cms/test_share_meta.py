"""What search engines and chat apps read: each product's own description, Open Graph and
Twitter card tags with its photo at an absolute URL, robots.txt naming the sitemap, icons."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.cache import cache
from wagtail.images import get_image_model
from wagtail.images.tests.utils import get_test_image_file

from catalog.models import ProductImage


@pytest.fixture(autouse=True)
def _clear_cache():
    cache.clear()
    yield
    cache.clear()


def meta(html: str, key: str) -> str | None:
    """The content of <meta property|name="key">."""
    found = re.search(rf'<meta (?:property|name)="{re.escape(key)}" content="([^"]*)"', html)
    return found.group(1) if found else None


def test_product_page_describes_itself_with_its_summary_and_photo(
    product, client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        photo = get_image_model().objects.create(
            title="Mật ong", file=get_test_image_file(size=(1200, 900))
        )
    ProductImage.objects.create(page=product, image=photo, caption="Mật ong")
    html = client.get(product.url).content.decode()

    assert meta(html, "description") == product.summary
    assert meta(html, "og:description") == product.summary
    assert meta(html, "twitter:description") == product.summary
    assert meta(html, "og:title") == product.title
    assert meta(html, "og:type") == "product"
    assert meta(html, "og:locale") == "vi_VN"
    assert meta(html, "og:url") == settings.SITE_URL + product.url
    image = meta(html, "og:image")
    assert image.startswith(settings.SITE_URL + "/") and "fill-800x600" in image
    assert meta(html, "twitter:image") == image
    assert meta(html, "twitter:card") == "summary_large_image"


def test_search_description_wins_over_the_summary(product, client):
    product.search_description = "Mật ong nhãn Hưng Yên, 4 sao OCOP."
    product.save_revision().publish()
    html = client.get(product.url).content.decode()
    assert meta(html, "description") == "Mật ong nhãn Hưng Yên, 4 sao OCOP."
    assert meta(html, "og:description") == "Mật ong nhãn Hưng Yên, 4 sao OCOP."
    # No photo: the small card, no image tag.
    assert meta(html, "twitter:card") == "summary" and meta(html, "og:image") is None


def test_two_products_do_not_share_the_sites_generic_description(product, producer, client):
    from tests.factories import make_product

    other = make_product(producer, title="Nước mắm", summary="Nước mắm cá cơm truyền thống.")
    first = meta(client.get(product.url).content.decode(), "description")
    second = meta(client.get(other.url).content.decode(), "description")
    assert {first, second} == {product.summary, "Nước mắm cá cơm truyền thống."}


def test_robots_txt_names_the_sitemap_and_keeps_crawlers_out_of_orders(client):
    response = client.get("/robots.txt")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    lines = response.content.decode().splitlines()
    assert f"Sitemap: {settings.SITE_URL}/sitemap.xml" in lines
    assert "Disallow: /*/don-hang/" in lines and "Disallow: /admin/" in lines


def test_pages_link_a_favicon_and_touch_icon_that_exist(site, client):
    html = client.get("/vi/").content.decode()
    for rel, name in [
        ("icon", "favicon.ico"),
        ("icon", "icons/icon.svg"),
        ("apple-touch-icon", "icons/apple-touch-icon.png"),
    ]:
        assert re.search(rf'<link rel="{rel}" href="[^"]*/{re.escape(name)}"', html), name
        assert finders.find(name), name
    from PIL import Image

    touch = Image.open(Path(finders.find("icons/apple-touch-icon.png")))
    assert touch.size == (180, 180)
    assert {(16, 16), (32, 32)} <= Image.open(finders.find("favicon.ico")).info["sizes"]
    response = client.get("/favicon.ico")
    assert response.status_code == 301 and response["Location"].endswith("favicon.ico")
