from __future__ import annotations

import pytest

from tests.factories import GrowingAreaFactory, ProducerFactory, make_batch, make_product


@pytest.fixture(autouse=True)
def generous_api_limit(settings):
    """Other tests' requests stay out of the way of the rate limit (test_rate_limit sets one)."""
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "api": (1_000_000, 60)}


@pytest.fixture
def catalogue(site, producer, other_producer, editor):
    """Two producers; three products on sale, one draft; a batch; a sales point."""
    from places.models import SalesPoint

    honey = make_product(producer, title="Mật ong hoa nhãn", stars=4)
    tea = make_product(producer, title="Chè Shan tuyết", stars=3)
    coffee = make_product(other_producer, title="Cà phê Robusta", stars=5)
    draft = make_product(producer, title="Nước mắm nháp", stars=None, publish=False)
    area = GrowingAreaFactory(producers=[producer])
    batch = make_batch(honey, area=area, events=3)
    third = ProducerFactory(name="Hợp tác xã Không trang", province_code=66)
    point = SalesPoint.objects.create(
        name="Điểm bán OCOP Bắc Giang",
        kind="sales_point",
        province_code=producer.province_code,
        ward_code=producer.ward_code,
        street_address="12 Nguyễn Văn Cừ",
        opening_hours="7:30–21:00",
        phone="0204 3850 123",
        latitude="21.273000",
        longitude="106.194000",
    )
    point.producers.add(other_producer)
    point.products.add(honey)
    return {
        "honey": honey,
        "tea": tea,
        "coffee": coffee,
        "draft": draft,
        "batch": batch,
        "area": area,
        "point": point,
        "third": third,
        "editor": editor,
    }
