from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from tests.factories import GrowingAreaFactory, square_boundary
from traceability import geo
from traceability.codes import is_standard_area_code, validate_area_code, validate_gs1_text
from traceability.models import BatchStatusEvent, ImmutableRecordError
from traceability.services import (
    InvalidBatchTransition,
    generate_serials,
    record_event,
    record_scan,
    set_batch_status,
)


def test_official_planting_area_code_form():
    assert is_standard_area_code("VN-66-650-24370-94-21")
    with pytest.raises(ValidationError):
        validate_area_code("VN-66-650-2437-94-21")
    validate_area_code("MS-VT-0012")  # other codes are kept as recorded


@pytest.mark.parametrize("value", ["", "A" * 21, "lô 1", "ÁB"])
def test_lot_numbers_outside_gs1_character_set_82_are_refused(value):
    with pytest.raises(ValidationError):
        validate_gs1_text(value)


def test_area_of_a_one_hectare_square_is_computed():
    assert geo.area_hectares(square_boundary(side_m=100)) == pytest.approx(1.0, rel=0.01)
    assert geo.area_hectares(square_boundary(side_m=300, lat=10.0)) == pytest.approx(9.0, rel=0.01)


def test_area_subtracts_holes():
    outer = square_boundary(side_m=200)["coordinates"][0]
    hole = square_boundary(lon=106.5505, lat=21.3505, side_m=50)["coordinates"][0][::-1]
    assert geo.area_hectares({"type": "Polygon", "coordinates": [outer, hole]}) == pytest.approx(
        3.75, rel=0.02
    )


@pytest.mark.parametrize(
    "boundary",
    [
        {"type": "Point", "coordinates": [106, 21]},
        {"type": "Polygon", "coordinates": [[[106, 21], [106.1, 21], [106, 21]]]},
        {"type": "Polygon", "coordinates": [[[106, 21], [106.1, 21], [106.1, 21.1], [106, 21.2]]]},
        {"type": "Polygon", "coordinates": [[[200, 21], [106.1, 21], [106.1, 21.1], [200, 21]]]},
        # a bow-tie crosses itself
        {"type": "Polygon", "coordinates": [[[0, 0], [1, 1], [1, 0], [0, 1], [0, 0]]]},
        "not json",
    ],
)
def test_invalid_boundaries_are_refused(boundary):
    with pytest.raises(ValidationError):
        geo.validate_boundary(boundary)


def test_growing_area_stores_its_computed_size(site):
    area = GrowingAreaFactory(boundary=square_boundary(side_m=200))
    assert float(area.area_ha) == pytest.approx(4.0, rel=0.01)


def test_svg_drawing_fits_its_box():
    d, w, h = geo.svg_path(geo.validate_boundary(square_boundary()), size=120)
    assert d.startswith("M") and d.endswith("Z")
    assert max(w, h) == 120


def test_status_changes_follow_the_transitions_table_and_leave_events(batch):
    with pytest.raises(InvalidBatchTransition):
        set_batch_status(batch, "active")
    with pytest.raises(InvalidBatchTransition):
        set_batch_status(batch, "recalled", "")
    set_batch_status(batch, "recalled", "Nấm mốc")
    set_batch_status(batch, "active", "Kết quả kiểm nghiệm lại đạt")
    assert list(batch.status_events.values_list("to_status", flat=True)) == ["recalled", "active"]
    with pytest.raises(ImmutableRecordError):
        BatchStatusEvent.objects.first().delete()


def test_correction_must_point_at_the_same_batch(batch, gtin_product):
    from tests.factories import make_batch

    other = make_batch(gtin_product, events=1)
    with pytest.raises(ValidationError):
        record_event(batch, kind="packing", place="x", actor="y", corrects=other.events.first())


def test_serials_are_unique_random_codes(batch):
    serials = generate_serials(batch, 500)
    codes = [s.serial for s in serials]
    assert len(set(codes)) == 500
    assert all(len(c) == 12 for c in codes)


def test_scans_are_counted_and_rate_limited_per_ip(batch):
    serial = generate_serials(batch, 1)[0].serial
    first = record_scan(batch, serial, ip="10.0.0.1", user_agent="Phone")
    assert first.counted and first.first_scan
    for _ in range(10):
        record_scan(batch, serial, ip="10.0.0.1")
    result = record_scan(batch, serial, ip="10.0.0.2", latitude="21.3", longitude="106.5")
    assert result.counted and not result.first_scan
    assert result.serial.scan_count == 6  # 5 from the first IP, then the limit
    assert batch.scans.filter(latitude__isnull=False).count() == 1


def test_unknown_serial_is_not_counted_and_flagged(batch):
    result = record_scan(batch, "NOTAREALCODE", ip="10.0.0.1")
    assert not result.counted and result.suspicious
