"""Demo sales points (places/data/demo/sales_points.json): made by `load_demo_data`, linked to the
demo catalogue, shown on product pages and on the page of their province."""

from __future__ import annotations

import io

from catalog.addresses import province_slug
from catalog.demo import build_catalogue, catalogue_data
from cms.management.commands.load_demo_data import APP_DEMOS
from places.demo import demo_entries, load_demo
from places.models import PlaceKind, SalesPoint


def _live(product: dict) -> bool:
    return product.get("state", "ok") == "ok" and (product["stars"] or 0) >= 3


def test_load_demo_data_loads_the_sales_points_after_the_catalogue():
    assert "places.demo" in APP_DEMOS


def test_the_data_names_live_demo_products_and_producers_in_two_kinds():
    catalogue = catalogue_data()
    producers = {p["name"] for p in catalogue}
    live = {x["title"] for p in catalogue for x in p["products"] if _live(x)}
    entries = demo_entries()
    assert len(entries) >= 5
    assert {e["kind"] for e in entries} == set(PlaceKind.values)
    assert len({e["province_code"] for e in entries}) >= 4
    for entry in entries:
        assert set(entry["producers"]) <= producers, entry["name"]
        assert set(entry["products"]) <= live, entry["name"]
        assert entry["producers"] or entry["products"], entry["name"]


def _needed_catalogue() -> list[dict]:
    """The demo producers the sales points name, each with the products they name (or its first
    live one): the catalogue made smaller, built by the same services."""
    entries = demo_entries()
    named_producers = {n for e in entries for n in e["producers"]}
    named_products = {t for e in entries for t in e["products"]}
    data = []
    for producer in catalogue_data():
        products = [p for p in producer["products"] if p["title"] in named_products]
        if producer["name"] in named_producers:
            products = products or [next(p for p in producer["products"] if _live(p))]
        if products:
            data.append({**producer, "products": products})
    return data


def test_demo_sales_points_are_made_once_and_shown_where_they_sell(site, client):
    build_catalogue(producers_data=_needed_catalogue())
    out = io.StringIO()
    load_demo(stdout=out)
    entries = demo_entries()
    assert SalesPoint.objects.public().count() == len(entries)
    assert f"{len(entries)} sales points" in out.getvalue()
    load_demo()  # re-runnable
    assert SalesPoint.objects.count() == len(entries)

    for entry in entries:
        point = SalesPoint.objects.get(name=entry["name"])
        assert sorted(point.producers.values_list("name", flat=True)) == sorted(entry["producers"])
        assert sorted(point.products.values_list("title", flat=True)) == sorted(entry["products"])
        page = client.get(f"/vi/diem-ban/{province_slug(point.province_code)}/")
        assert page.status_code == 200
        assert point.name in page.content.decode()
        shown = point.products.first() or (
            point.producers.first().products.live().filter(locale__language_code="vi").first()
        )
        html = client.get(shown.url).content.decode()
        assert "where-to-buy" in html and point.name in html, (point.name, shown.title)
