from __future__ import annotations

import io

from tests.factories import make_product, next_gtin13
from traceability.demo import load_demo
from traceability.models import Batch, GrowingArea, Serial, TraceEvent


def test_demo_gives_every_published_product_areas_batches_and_a_journey(producer, client):
    pages = [
        make_product(
            producer,
            title="Vải thiều Lục Ngạn",
            variants=[{"name": "Hộp 2 kg", "gtin": next_gtin13()}],
        ),
        make_product(producer, title="Mật ong hoa nhãn"),
        make_product(producer, title="Nước mắm Phú Quốc"),
    ]
    make_product(producer, title="Chưa công nhận", stars=None, publish=False)
    out = io.StringIO()
    load_demo(stdout=out)

    for page in pages:
        batches = Batch.objects.filter(variant__page=page)
        assert batches.count() >= 2
        for batch in batches:
            assert list(batch.events.values_list("kind", flat=True)) == [
                "harvesting",
                "processing",
                "packing",
                "shipping",
            ]
            area = batch.growing_areas.get()
            assert area.boundary and area.area_ha > 0
            assert area.certifications.exists()
    assert Batch.objects.filter(status="recalled").count() == 1
    serialised = Batch.objects.filter(serials__isnull=False).distinct().get()
    assert serialised.serials.count() == 20
    assert serialised.variant.gtin
    assert serialised.short_code in out.getvalue()
    assert client.get(f"/vi/truy-xuat/{serialised.short_code}/").status_code == 200

    counts = (
        GrowingArea.objects.count(),
        Batch.objects.count(),
        TraceEvent.objects.count(),
        Serial.objects.count(),
    )
    load_demo()
    assert counts == (
        GrowingArea.objects.count(),
        Batch.objects.count(),
        TraceEvent.objects.count(),
        Serial.objects.count(),
    )
    assert Batch.objects.filter(status="recalled").count() == 1
