"""The site prints the address it is served from (SITE_URL): canonical, hreflang with
x-default, sitemap, QR codes, e-mail links and the GS1 linkset; `make demo` serves and
prints HOST:PORT."""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path

import pytest
from wagtail.models import Site

from cms.services import setup_site
from tests.factories import make_batch, make_product, next_gtin13

ADDRESS = "http://192.0.2.10:8123"
ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def served_at(site, settings):
    settings.SITE_URL = ADDRESS
    setup_site()
    return ADDRESS


def test_the_default_site_answers_at_site_url(served_at):
    site = Site.objects.get(is_default_site=True)
    assert (site.hostname, site.port, site.root_url) == ("192.0.2.10", 8123, ADDRESS)


def test_an_https_site_url_without_port_gives_port_443(site, settings):
    settings.SITE_URL = "https://ocop.example.vn"
    setup_site()
    assert Site.objects.get(is_default_site=True).root_url == "https://ocop.example.vn"


def test_canonical_and_hreflang_links_print_site_url(served_at, site, product, client):
    from cms.services import translate_tree

    translate_tree(site)  # the English aliases, as load_demo_data makes them
    english = product.get_translations().get(locale__language_code="en")
    for page, lang in [(product, "vi"), (english, "en")]:
        html = client.get(page.url).content.decode()
        links = dict(re.findall(r'<link rel="alternate" hreflang="([^"]+)" href="([^"]+)"', html))
        assert f'<link rel="canonical" href="{ADDRESS}{page.url}">' in html, lang
        assert links == {
            "vi": ADDRESS + product.url,
            "en": ADDRESS + english.url,
            "x-default": ADDRESS + product.url,
        }


def test_sitemap_lists_pages_at_site_url(served_at, product, client):
    xml = client.get("/sitemap.xml").content.decode()
    locations = re.findall(r"<loc>([^<]+)</loc>", xml)
    assert ADDRESS + product.url in locations
    assert all(loc.startswith(ADDRESS + "/") for loc in locations)


def test_qr_codes_and_the_gs1_linkset_print_site_url(served_at, producer, client):
    from traceability import qr

    product = make_product(producer, variants=[{"name": "Hũ", "price": 1, "gtin": next_gtin13()}])
    batch = make_batch(product, lot_code="SITE-URL-1")
    assert qr.batch_uri(batch).startswith(ADDRESS + "/01/")
    gtin = batch.variant.gtin.zfill(14)
    linkset = json.loads(client.get(f"/01/{gtin}/10/{batch.lot_code}?linkType=all").content)
    entry = linkset["linkset"][0]
    hrefs = [link["href"] for key, links in entry.items() if key != "anchor" for link in links]
    assert entry["anchor"].startswith(ADDRESS + "/01/")
    assert hrefs and all(href.startswith(ADDRESS + "/") for href in hrefs)


def test_order_email_links_to_site_url(
    served_at, product, client, django_capture_on_commit_callbacks
):
    from django.core import mail

    from tests.storefront.conftest import make_shipping_rules
    from tests.storefront.helpers import add_to_cart, checkout, variant_of

    make_shipping_rules()
    add_to_cart(client, variant_of(product), 1, lang="vi")
    with django_capture_on_commit_callbacks(execute=True):
        checkout(client, "cod", lang="vi")
    from storefront.models import Order

    order = Order.objects.get()
    [message] = [m for m in mail.outbox if order.email in m.to]  # the producers get theirs
    assert re.search(re.escape(ADDRESS) + r"/vi/don-hang/[^/\s]+/", message.body)


@pytest.mark.parametrize("target", ["demo-data", "serve"])
def test_make_demo_serves_and_prints_the_address_it_runs_on(target):
    commands = subprocess.run(
        ["make", "-n", target, "HOST=192.0.2.3", "PORT=8765"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert "SITE_URL=http://192.0.2.3:8765" in commands
    if target == "serve":
        assert re.search(r"runserver( --\S+)* +192\.0\.2\.3:8765\n", commands), commands
