from __future__ import annotations

import json

import pytest

from tests.factories import make_batch, make_product
from traceability.services import generate_serials


def test_gtin_redirects_a_browser_to_the_product_page(gtin_product, client):
    gtin = gtin_product.variants.first().gtin
    response = client.get(f"/01/{gtin.zfill(14)}")
    assert response.status_code == 307
    assert response["Location"] == gtin_product.url


def test_gtin_redirect_follows_accept_language(gtin_product, client):
    from wagtail.models import Locale

    gtin_product.copy_for_translation(
        Locale.objects.get(language_code="en"), copy_parents=True, alias=True
    )
    gtin = gtin_product.variants.first().gtin
    response = client.get(f"/01/{gtin.zfill(14)}", HTTP_ACCEPT_LANGUAGE="en-GB,en;q=0.9")
    assert response.status_code == 307
    assert response["Location"].startswith("/en/")
    assert client.get(response["Location"]).status_code == 200


def test_lot_redirects_to_the_batch_scan_page_in_vietnamese_by_default(batch, client):
    gtin = batch.variant.gtin.zfill(14)
    response = client.get(f"/01/{gtin}/10/{batch.lot_code}")
    assert response.status_code == 307
    assert response["Location"] == f"/vi/truy-xuat/{batch.short_code}/"
    assert "public" in response["Cache-Control"]


def test_thirteen_digit_gtin_in_the_uri_is_accepted(batch, client):
    response = client.get(f"/01/{batch.variant.gtin}/10/{batch.lot_code}")
    assert response.status_code == 307


def test_percent_encoded_lot_with_a_slash_resolves(gtin_product, client):
    batch = make_batch(gtin_product, lot_code="A/12 B".replace(" ", "-"))
    response = client.get(f"/01/{batch.variant.gtin.zfill(14)}/10/A%2F12-B")
    assert response.status_code == 307
    assert batch.short_code in response["Location"]


def test_serial_redirect_is_never_cached(batch, client):
    serial = generate_serials(batch, 1)[0].serial
    gtin = batch.variant.gtin.zfill(14)
    response = client.get(f"/01/{gtin}/10/{batch.lot_code}/21/{serial}")
    assert response.status_code == 307
    assert response["Location"] == f"/vi/truy-xuat/{batch.short_code}/s/{serial}/"
    assert "no-store" in response["Cache-Control"]


@pytest.mark.parametrize(
    "path",
    [
        "/01/08930001000013",  # wrong check digit
        "/01/12345",  # wrong length
        "/01/abcdefghijklmn",
        "/01/08930001000018/10/" + "A" * 21,  # lot longer than 20
        "/01/08930001000018/10/%C3%A1",  # not in GS1 character set 82
        "/01/08930001000018/99/x",
    ],
)
def test_malformed_digital_links_get_a_human_400(site, client, path):
    response = client.get(path)
    assert response.status_code == 400
    assert "<h1>" in response.content.decode()


def test_unknown_gtin_and_unknown_lot_get_a_human_404(batch, client):
    assert client.get("/01/08930009999990").status_code in (400, 404)
    from catalog.gtin import gtin_check_digit

    body = "893000999999"
    unknown = body + gtin_check_digit(body)
    response = client.get(f"/01/{unknown.zfill(14)}")
    assert response.status_code == 404
    assert "<h1>" in response.content.decode()
    response = client.get(f"/01/{batch.variant.gtin.zfill(14)}/10/NOPE")
    assert response.status_code == 404


def test_linkset_for_a_batch(batch, client):
    gtin = batch.variant.gtin.zfill(14)
    response = client.get(f"/01/{gtin}/10/{batch.lot_code}?linkType=all")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/linkset+json"
    linkset = json.loads(response.content)["linkset"][0]
    assert linkset["anchor"].endswith(f"/01/{gtin}/10/{batch.lot_code}")
    for rel in ("pip", "traceability", "certificationInfo", "epcis", "defaultLink"):
        assert linkset[f"https://gs1.org/voc/{rel}"][0]["href"].startswith("http")
    hreflangs = {link["hreflang"][0] for link in linkset["https://gs1.org/voc/traceability"]}
    assert hreflangs == {"vi", "en"}


def test_linkset_by_accept_header(gtin_product, client):
    gtin = gtin_product.variants.first().gtin.zfill(14)
    response = client.get(f"/01/{gtin}", HTTP_ACCEPT="application/linkset+json")
    assert response.status_code == 200
    linkset = json.loads(response.content)["linkset"][0]
    assert gtin_product.url in linkset["https://gs1.org/voc/pip"][0]["href"]


def test_resolver_description(site, client):
    response = client.get("/.well-known/gs1resolver")
    assert response.status_code == 200
    data = response.json()
    assert data["supportedPrimaryKeys"] == ["01"]
    assert data["resolverRoot"].startswith("http")


def test_short_code_redirects_to_the_scan_page(plain_batch, client):
    response = client.get(f"/q/{plain_batch.short_code}", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 307
    assert response["Location"] == f"/en/truy-xuat/{plain_batch.short_code}/"


def test_short_code_is_read_case_insensitively_and_forgives_o_and_i(plain_batch, client):
    code = plain_batch.short_code.lower().replace("0", "o").replace("1", "i")
    assert client.get(f"/q/{code}").status_code == 307


def test_unknown_short_code_is_404(site, client):
    assert client.get("/q/0000000000").status_code == 404


def test_short_codes_are_random_and_unguessable(product):
    batches = [make_batch(product, events=0) for _ in range(5)]
    codes = {b.short_code for b in batches}
    assert len(codes) == 5
    assert all(len(c) >= 10 for c in codes)


def test_unpublished_product_gtin_is_404(producer, client):
    from tests.factories import next_gtin13

    gtin = next_gtin13()
    make_product(
        producer,
        title="Chưa xuất bản",
        stars=None,
        publish=False,
        variants=[{"name": "Hộp", "gtin": gtin}],
    )
    assert client.get(f"/01/{gtin.zfill(14)}").status_code == 404
