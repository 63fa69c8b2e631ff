"""The catalogue listings carry the search page's facets; on phones facets fold behind a
<details> (no JavaScript needed) and chosen filters show as removable chips."""

from __future__ import annotations

import pytest
from django.utils import translation

from catalog.addresses import province_slug

pytestmark = pytest.mark.django_db


def options(context) -> dict:
    return {facet.name: {(o.value, o.count) for o in facet.options} for facet in context["facets"]}


def test_the_all_products_listing_has_the_search_pages_facets(engine, client):
    listing = client.get("/vi/san-pham/")
    search = client.get("/vi/tim-kiem/")
    assert listing.status_code == 200
    assert options(listing.context) == options(search.context)
    body = listing.content.decode()
    assert '<details class="facets-fold"' in body
    assert 'action="/vi/tim-kiem/"' in body
    assert 'name="stars" value="4"' in body


def test_a_province_listing_counts_and_keeps_its_province(engine, client):
    response = client.get(f"/vi/san-pham/tinh/{province_slug(66)}/")
    counts = options(response.context)
    assert counts["stars"] == {(5, 1)}  # the one coffee of Đắk Lắk
    province = next(f for f in response.context["facets"] if f.name == "province")
    # Like the search page, a facet counts as if its own filter were off; the listing's is on.
    assert [(o.value, o.count) for o in province.options if o.selected] == [(66, 1)]
    assert (24, 2) in counts["province"]
    body = response.content.decode()
    assert '<input type="hidden" name="province" value="66">' in body
    stars = next(f for f in response.context["facets"] if f.name == "stars")
    assert stars.options[0].url.startswith("/vi/tim-kiem/?province=66&stars=5")


def test_a_group_listing_counts_only_that_group(engine, catalogue, client):
    crafts = catalogue.top("do-gia-dung-trang-tri")
    response = client.get(f"/vi/san-pham/nhom/{crafts.slug}/")
    counts = options(response.context)
    assert counts["stars"] == {(3, 1)}  # only the lacquer tray
    group = next(f for f in response.context["facets"] if f.name == "group")
    assert [(o.value, o.count) for o in group.options if o.selected] == [(crafts.pk, 1)]


def test_english_listing_facets_lead_to_the_english_search(engine, client):
    with translation.override("en"):
        body = client.get("/en/san-pham/").content.decode()
    assert 'action="/en/tim-kiem/"' in body


def test_search_facets_fold_and_chosen_filters_are_removable_chips(engine, client):
    response = client.get("/vi/tim-kiem/", {"q": "mat ong", "stars": "4", "price_min": "100000"})
    body = response.content.decode()
    assert '<details class="facets-fold" data-facets-fold>' in body  # closed: results first
    chips = response.context["chips"]
    assert [c.url for c in chips] == ["?q=mat+ong&price_min=100000", "?q=mat+ong&stars=4"]
    assert 'class="chips chosen-filters"' in body
    assert body.index("chosen-filters") < body.index('class="hits grid"')


def test_a_listing_renders_without_facets_when_the_engine_fails(engine, client, monkeypatch):
    from catalog.search import base

    class Broken:
        def search(self, query):
            raise ConnectionError("node down")

    monkeypatch.setattr(base, "get_search_engine", lambda: Broken())
    response = client.get("/vi/san-pham/")
    assert response.status_code == 200
    assert "facets-fold" not in response.content.decode()


def test_the_facets_partial_leaves_no_template_text_in_the_page(engine, client):
    body = client.get("/vi/tim-kiem/").content.decode()
    assert "{#" not in body and "{%" not in body
    assert body.count("<details") == body.count("</details>") == 1
