"""Demo OCOP sales points and community tourism sites, from data/demo/sales_points.json.

Called by `load_demo_data` (cms) after the catalogue: each place is linked to demo producers
(every product of theirs is sold there) and to single products by title. The rows pass the
same `full_clean()` the officers' admin form runs (ward in its province, coordinates inside
Vietnam). Re-runnable: a place with the same name is updated, not added again.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, TextIO

from django.conf import settings
from django.db import transaction

from catalog.addresses import find_ward
from catalog.models import Producer, ProductPage
from places.models import SalesPoint

DATA = Path(__file__).resolve().parent / "data" / "demo" / "sales_points.json"
FIELDS = ("kind", "street_address", "opening_hours", "phone", "latitude", "longitude")


def demo_entries() -> list[dict[str, Any]]:
    return json.loads(DATA.read_text(encoding="utf-8"))


def _products(titles: list[str]) -> list[ProductPage]:
    found = {
        p.title: p
        for p in ProductPage.objects.filter(
            title__in=titles,
            alias_of__isnull=True,
            locale__language_code=settings.LANGUAGE_CODE,
        )
    }
    missing = sorted(set(titles) - set(found))
    if missing:
        raise LookupError(f"Demo sales points name products not in the catalogue: {missing}")
    return [found[t] for t in titles]


def _producers(names: list[str]) -> list[Producer]:
    found = {p.name: p for p in Producer.objects.filter(name__in=names)}
    missing = sorted(set(names) - set(found))
    if missing:
        raise LookupError(f"Demo sales points name producers not in the catalogue: {missing}")
    return [found[n] for n in names]


@transaction.atomic
def load_demo(stdout: TextIO | None = None) -> list[SalesPoint]:
    write = stdout.write if stdout else (lambda _s: None)
    points = []
    for entry in demo_entries():
        point = SalesPoint.objects.filter(name=entry["name"]).first() or SalesPoint(
            name=entry["name"]
        )
        point.province_code = entry["province_code"]
        point.ward_code = find_ward(entry["province_code"], entry["ward"])
        for field in FIELDS:
            setattr(point, field, entry[field])
        point.is_active = True
        point.full_clean()
        point.save()
        point.producers.set(_producers(entry["producers"]))
        point.products.set(_products(entry["products"]))
        points.append(point)
    write(f"  places: {len(points)} sales points and community tourism sites\n")
    return points
