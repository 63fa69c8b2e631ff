"""The demo catalogue is data (catalog/data/demo/catalogue.json) built by the catalogue's
services: certified ≥3★ products go live, drafts, 1–2★ and revoked ones stay off the site."""

from __future__ import annotations

import pytest

from catalog.demo import build_catalogue, catalogue_data
from catalog.models import CriteriaSet, OcopGroup, Producer, ProductPage


def test_the_data_file_names_real_groups_and_sane_variants(db):
    data = catalogue_data()
    groups = set(OcopGroup.objects.filter(scheme="148").values_list("slug", flat=True))
    assert len(data) == 18 and sum(len(p["products"]) for p in data) == 86
    assert CriteriaSet.objects.filter(code__in=["148/2023", "1048/2019"]).count() == 2
    for producer in data:
        for product in producer["products"]:
            assert product["group"] in groups, product["title"]
            assert product["stars"] in (None, 1, 2, 3, 4, 5)
            assert all(v["price"] > 0 and v["weight_grams"] >= 0 for v in product["variants"])


def _entry(title: str) -> dict:
    return next(p for p in catalogue_data() if any(x["title"] == title for x in p["products"]))


@pytest.mark.django_db
def test_build_catalogue_publishes_exactly_the_certified_products(site):
    data = [_entry("Nước cốt vải thiều"), _entry("Mật ong sữa chúa Bắc Hà")]
    producers = build_catalogue(producers_data=data)
    assert [p.name for p in producers] == [d["name"] for d in data]
    expected_live = {
        product["title"]
        for entry in data
        for product in entry["products"]
        if product.get("state", "ok") == "ok" and (product["stars"] or 0) >= 3
    }
    pages = ProductPage.objects.filter(locale__language_code="vi")
    assert {p.title for p in pages} == {x["title"] for d in data for x in d["products"]}
    assert {p.title for p in pages.live()} == expected_live
    revoked = pages.get(title="Mật ong sữa chúa Bắc Hà")
    assert revoked.certificates.get().revoked_at is not None
    assert all(v.gtin for p in pages.live() for v in p.variants.all())
    # Re-running keeps the rows it made.
    build_catalogue(producers_data=data)
    assert Producer.objects.filter(name__in=[d["name"] for d in data]).count() == 2
