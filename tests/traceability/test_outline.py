"""What public pages show of a growing area is computed when it is saved, with shapely, and
read back without it: the scan page's drawing, EPCIS's read point, the open data geometry."""

from __future__ import annotations

import importlib
import json

import pytest
from django.apps import apps
from shapely.geometry import mapping, shape

from tests.factories import GrowingAreaFactory, make_batch, square_boundary
from traceability import geo
from traceability.models import GrowingArea

HOLED = {
    "type": "Feature",
    "geometry": {
        "type": "MultiPolygon",
        "coordinates": [
            [
                [[106.0, 21.0], [106.01, 21.0], [106.01, 21.01], [106.0, 21.01], [106.0, 21.0]],
                [[106.004, 21.004, 12.5], [106.006, 21.004], [106.006, 21.006], [106.004, 21.004]],
            ],
            [[[106.02, 21.0], [106.03, 21.0], [106.03, 21.01], [106.02, 21.0]]],
        ],
    },
}


@pytest.mark.parametrize("boundary", [square_boundary(), HOLED])
def test_saving_an_area_stores_the_drawing_and_centroid_shapely_gives(site, boundary):
    area = GrowingAreaFactory(boundary=boundary)
    area.refresh_from_db()
    geometry = geo.validate_boundary(boundary)
    d, width, height = geo.svg_path(geometry)
    assert area.outline == {
        "d": d,
        "width": width,
        "height": height,
        "centroid": list(geo.centroid(geometry)),
    }
    # the open data geometry, read without shapely, is shapely's own
    plain = geo.plain_geometry(boundary)
    assert shape(plain).equals(geometry)
    assert json.loads(json.dumps(plain)) == json.loads(json.dumps(mapping(geometry)))


def test_an_area_without_or_with_a_bad_boundary_has_no_outline(site):
    area = GrowingAreaFactory(boundary=None)
    assert area.outline is None
    area.boundary = {"type": "Polygon", "coordinates": [[[0, 0], [1, 1], [1, 0], [0, 1], [0, 0]]]}
    area.save(update_fields=["boundary"])  # behind the form's back: stored, never drawn
    area.refresh_from_db()
    assert area.outline is None and area.area_ha is None


def test_the_scan_page_draws_the_stored_outline(client, product):
    batch = make_batch(product, lot_code="LOT-OUTLINE", events=1)
    area = batch.growing_areas.get()
    GrowingArea.objects.filter(pk=area.pk).update(
        outline={"d": "M4 4 L9 4 L9 9 Z", "width": 13, "height": 11, "centroid": [106.5, 21.3]}
    )
    html = client.get(f"/vi/truy-xuat/{batch.short_code}/").content.decode()
    assert '<path d="M4 4 L9 4 L9 9 Z"' in html
    assert 'viewBox="0 0 13 11"' in html


def test_the_migration_fills_the_outline_of_existing_areas(site):
    good = GrowingAreaFactory(boundary=square_boundary())
    bad = GrowingAreaFactory(boundary=None)
    expected = GrowingArea.objects.get(pk=good.pk).outline
    bad_boundary = {"type": "Polygon", "coordinates": "x"}
    GrowingArea.objects.filter(pk=good.pk).update(outline=None)
    GrowingArea.objects.filter(pk=bad.pk).update(boundary=bad_boundary)
    migration = importlib.import_module("traceability.migrations.0004_growingarea_outline")

    migration.fill_outlines(apps, None)

    assert GrowingArea.objects.get(pk=good.pk).outline == expected
    assert GrowingArea.objects.get(pk=bad.pk).outline is None
