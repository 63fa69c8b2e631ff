"""Growing-area boundaries: what validation lets in, it can always read back; what it refuses,
it says why. A bad row stored behind the form's back breaks no page."""

from __future__ import annotations

import json
import math

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.factories import GrowingAreaFactory, make_batch, square_boundary
from traceability import geo
from traceability.forms import BoundaryFormField, json_depth
from traceability.models import GrowingArea


def _polygon(*rings):
    return {"type": "Polygon", "coordinates": [list(map(list, r)) for r in rings]}


def _cell(lon, lat, dlon, dlat):
    return [(lon, lat), (lon + dlon, lat), (lon + dlon, lat + dlat), (lon, lat + dlat), (lon, lat)]


def _message(boundary) -> str:
    with translation.override("en"):
        with pytest.raises(ValidationError) as info:
            geo.validate_boundary(boundary)
        return " ".join(info.value.messages)


# --- area against known figures ----------------------------------------------------------------


def test_area_of_a_latitude_longitude_cell_is_exact():
    # On a sphere a cell's area is R² · Δλ · (sin φ2 − sin φ1), whatever its size.
    lon, lat, d = 105.0, 21.0, 0.01
    expected = (
        geo.EARTH_RADIUS_M**2
        * math.radians(d)
        * (math.sin(math.radians(lat + d)) - math.sin(math.radians(lat)))
        / 10_000
    )
    assert geo.area_hectares(_polygon(_cell(lon, lat, d, d))) == pytest.approx(expected, rel=1e-9)
    assert expected == pytest.approx(115.6, rel=0.01)  # ≈ 1.04 km × 1.11 km


def test_area_of_a_multipolygon_adds_its_parts():
    a = square_boundary(lon=106.0, lat=21.0, side_m=100)["coordinates"]
    b = square_boundary(lon=106.1, lat=21.0, side_m=200)["coordinates"]
    boundary = {"type": "MultiPolygon", "coordinates": [a, b]}
    assert geo.area_hectares(boundary) == pytest.approx(5.0, rel=0.01)


# --- refusals, each with its reason -------------------------------------------------------------


def test_a_bow_tie_of_many_vertices_is_refused_with_shapely_reason():
    # 2,000 points on a figure eight: the old hand-written check skipped rings over 400 edges.
    n = 2000
    ring = [
        (
            106.5 + 0.001 * math.sin(2 * math.pi * i / n),
            21.3 + 0.001 * math.sin(4 * math.pi * i / n),
        )
        for i in range(n)
    ]
    message = _message(_polygon([*ring, ring[0]]))
    assert "not a valid polygon" in message and "Self-intersection" in message


def test_a_hole_outside_its_shell_is_refused():
    shell = _cell(106.0, 21.0, 0.01, 0.01)
    hole = _cell(106.05, 21.05, 0.001, 0.001)
    assert "Hole lies outside shell" in _message(_polygon(shell, hole))


def test_overlapping_multipolygon_parts_are_refused():
    a = [_cell(106.0, 21.0, 0.01, 0.01)]
    b = [_cell(106.005, 21.005, 0.01, 0.01)]
    message = _message({"type": "MultiPolygon", "coordinates": [a, b]})
    assert "not a valid polygon" in message


@pytest.mark.parametrize(
    "ring",
    [
        _cell(-170, -80, 340, 160),  # most of the globe
        _cell(0, 0, 0.01, 0.01),  # Gulf of Guinea
        _cell(21.0, 105.0, 0.01, 0.01),  # longitude and latitude swapped: off the map
        _cell(100.5, 13.7, 0.01, 0.01),  # Bangkok
    ],
)
def test_a_boundary_outside_viet_nam_is_refused(ring):
    assert "outside" in _message(_polygon(ring))


def test_hoang_sa_and_truong_sa_are_inside():
    geo.validate_boundary(_polygon(_cell(112.33, 16.83, 0.005, 0.005)))  # Hoàng Sa
    geo.validate_boundary(_polygon(_cell(111.92, 8.64, 0.002, 0.002)))  # Trường Sa Lớn


@pytest.mark.parametrize(("side_m", "word"), [(5, "between"), (40_000, "between")])
def test_an_implausible_size_is_refused_with_the_range(side_m, word):
    message = _message(square_boundary(side_m=side_m))
    assert word in message and "0.01 ha" in message and "100,000 ha" in message


@pytest.mark.parametrize(
    "boundary",
    [
        {
            "type": "Polygon",
            "coordinates": [[[106, 21], [106.1, 21], [106.1, float("nan")], [106, 21]]],
        },
        {
            "type": "Polygon",
            "coordinates": [[[106, 21], [106.1, 21], [float("inf"), 21], [106, 21]]],
        },
        {"type": "Polygon", "coordinates": [[[106, 21], [106.1, 21], [True, 21.1], [106, 21]]]},
        {"type": "Polygon", "coordinates": "[[0,0]]"},
        {"type": "Polygon", "coordinates": [[]]},
        {"type": "MultiPolygon", "coordinates": [[]]},
        {"type": "Feature", "geometry": None},
        {"type": "GeometryCollection", "geometries": []},
        [],
        None,
    ],
)
def test_malformed_geojson_is_refused_not_crashed(boundary):
    with pytest.raises(ValidationError):
        geo.validate_boundary(boundary)


# --- property: what passes validation can be read -----------------------------------------------


@settings(max_examples=150, deadline=None, derandomize=True)
@given(
    st.floats(102.2, 117.8),
    st.floats(7.6, 23.3),
    st.lists(st.tuples(st.floats(-0.02, 0.02), st.floats(-0.02, 0.02)), min_size=3, max_size=12),
)
def test_every_accepted_boundary_has_an_area_a_centroid_and_a_drawing(lon, lat, offsets):
    ring = [(lon + dx, lat + dy) for dx, dy in offsets]
    boundary = _polygon([*ring, ring[0]])
    try:
        geometry = geo.validate_boundary(boundary)
    except ValidationError as exc:
        assert exc.messages and all(m.strip() for m in exc.messages)
        return
    assert geo.MIN_AREA_HA <= geo.geometry_area_hectares(geometry) <= geo.MAX_AREA_HA
    c_lon, c_lat = geo.centroid(geometry)
    assert 102.1 <= c_lon <= 117.9 and 7.5 <= c_lat <= 23.4
    d, w, h = geo.svg_path(geometry)
    assert d.startswith("M") and max(w, h) <= 120


# --- the admin form -----------------------------------------------------------------------------


@pytest.mark.parametrize("depth", [13, 1_000, 200_000])
def test_form_refuses_deeply_nested_json_without_parsing_it(depth):
    field = BoundaryFormField(required=False)
    with translation.override("en"), pytest.raises(ValidationError, match="nested too deeply"):
        field.clean("[" * depth + "]" * depth)


def test_json_depth_ignores_brackets_inside_strings():
    assert json_depth('{"a": "[[[[[[[[[[[[[[[[", "b": [[1]]}', 50) == 3


@settings(max_examples=60, deadline=None, derandomize=True)
@given(st.recursive(st.none() | st.integers() | st.text(max_size=5), st.lists, max_leaves=20))
def test_json_depth_matches_the_parsed_structure(value):
    def depth(v):
        return 1 + max(map(depth, v), default=0) if isinstance(v, list) else 0

    assert json_depth(json.dumps(value), 100) == depth(value)


@pytest.fixture
def admin_client(client, officer):
    from wagtail.users.models import UserProfile

    profile = UserProfile.get_for_user(officer)
    profile.preferred_language = "en"  # the admin speaks English: messages compared as written
    profile.save()
    client.force_login(officer)
    return client


def _area_form(area, boundary_text: str) -> dict:
    return {
        "code": area.code,
        "name": area.name,
        "producers": [p.pk for p in area.producers.all()],
        "province_code": area.province_code,
        "ward_code": area.ward_code,
        "address_as_recorded": "",
        "crops": area.crops,
        "boundary": boundary_text,
        "certifications-TOTAL_FORMS": 0,
        "certifications-INITIAL_FORMS": 0,
        "certifications-MIN_NUM_FORMS": 0,
        "certifications-MAX_NUM_FORMS": 1000,
        "photos-TOTAL_FORMS": 0,
        "photos-INITIAL_FORMS": 0,
        "photos-MIN_NUM_FORMS": 0,
        "photos-MAX_NUM_FORMS": 1000,
    }


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("[" * 100_000 + "]" * 100_000, "nested too deeply"),
        (json.dumps(_polygon(_cell(-170, -80, 340, 160))), "outside Viet Nam"),
        (json.dumps(square_boundary(side_m=5)), "between"),
        (json.dumps(_polygon([(0, 0), (1, 1), (1, 0), (0, 1), (0, 0)])), "not a valid polygon"),
    ],
)
def test_admin_edit_of_a_bad_boundary_shows_the_reason(admin_client, producer, text, expected):
    area = GrowingAreaFactory(producers=[producer])
    url = f"/admin/traceability/growingarea/edit/{area.pk}/"
    response = admin_client.post(url, _area_form(area, text))
    assert response.status_code == 200
    assert expected in response.content.decode()
    area.refresh_from_db()
    assert area.boundary == square_boundary()


# --- reads of a bad row written behind the form's back ------------------------------------------

HEMISPHERE = _polygon(_cell(-179, -89, 358, 178))
BAD_ROWS = [
    HEMISPHERE,
    {"type": "Polygon", "coordinates": "x"},
    {"type": "Polygon", "coordinates": [[[0, 0], [1, 1], [1, 0], [0, 1], [0, 0]]]},
    ["not", "an", "object"],
]


@pytest.mark.parametrize("bad", BAD_ROWS)
def test_a_stored_bad_boundary_breaks_no_page(admin_client, product, bad):
    batch = make_batch(product, lot_code="LOT-BAD-GEO", events=1)
    area = batch.growing_areas.get()
    GrowingArea.objects.filter(pk=area.pk).update(boundary=bad)
    assert admin_client.get(f"/vi/truy-xuat/{batch.short_code}/").status_code == 200
    assert admin_client.get(f"/epcis/{batch.short_code}.jsonld").status_code == 200
    assert admin_client.get("/admin/traceability/growingarea/").status_code == 200
    assert admin_client.get(f"/admin/traceability/growingarea/edit/{area.pk}/").status_code == 200


def test_saving_a_hemisphere_behind_the_forms_back_stores_no_overflowing_area(admin_client, site):
    area = GrowingAreaFactory()
    area.boundary = HEMISPHERE
    area.save()  # no validation on save(): a shell or a loader
    area.refresh_from_db()
    assert area.area_ha is None
    assert admin_client.get("/admin/traceability/growingarea/").status_code == 200
