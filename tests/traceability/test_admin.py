from __future__ import annotations

import pytest
from django.urls import reverse

from tests.factories import GrowingAreaFactory, make_batch, make_product
from traceability.models import Batch, GrowingArea, ImmutableRecordError, TraceEvent

pytestmark = pytest.mark.usefixtures("trace_perms")


@pytest.fixture
def foreign_batch(other_producer):
    product = make_product(other_producer, title="Cà phê Buôn Ma Thuột")
    return make_batch(product, lot_code="CF-01")


def _urls(batch: Batch) -> list[str]:
    area = batch.growing_areas.get()
    event = batch.events.first()
    return [
        reverse("traceability_batch:edit", args=[batch.pk]),
        reverse("traceability_batch:delete", args=[batch.pk]),
        reverse("traceability_batch:inspect", args=[batch.pk]),
        reverse("traceability_batch:qr", args=[batch.pk, "png"]),
        reverse("traceability_batch:qr", args=[batch.pk, "svg"]),
        reverse("traceability_batch:labels", args=[batch.pk])
        + "?size=a4-24&content=batch&copies=3",
        reverse("traceability_batch:serials", args=[batch.pk]),
        reverse("traceability_batch:serials_zip", args=[batch.pk]),
        reverse("traceability_batch:status", args=[batch.pk]),
        reverse("traceability_batch:epcis", args=[batch.pk]),
        reverse("traceability_growingarea:edit", args=[area.pk]),
        reverse("traceability_growingarea:delete", args=[area.pk]),
        reverse("traceability_growingarea:inspect", args=[area.pk]),
        reverse("traceability_traceevent:inspect", args=[event.pk]),
        reverse("traceability_product_qr", args=[batch.variant.page.pk, "png"]),
    ]


def _blocked(client, url, method="get", data=None) -> bool:
    """404/403, or Wagtail's permission-denied redirect to the dashboard."""
    response = getattr(client, method)(url, data or {}, follow=True)
    if response.status_code in (403, 404):
        return True
    return bool(response.redirect_chain) and response.redirect_chain[-1][0].rstrip("/").endswith(
        "/admin"
    )


def test_cooperative_editor_cannot_reach_another_producers_records(
    client, editor, batch, foreign_batch
):
    client.force_login(editor)
    for url in _urls(foreign_batch):
        assert _blocked(client, url), url
    for url in _urls(foreign_batch):
        if any(part in url for part in ("/delete/", "/status/", "/serials/", "/edit/")):
            data = {"status": "recalled", "reason": "x", "count": 5, "lot_code": "HACK"}
            assert _blocked(client, url, "post", data), url
    foreign_batch.refresh_from_db()
    assert foreign_batch.status == "active"
    assert foreign_batch.lot_code == "CF-01"
    assert not foreign_batch.serials.exists()
    assert Batch.objects.filter(pk=foreign_batch.pk).exists()
    assert GrowingArea.objects.filter(pk=foreign_batch.growing_areas.get().pk).exists()


def test_cooperative_editor_sees_only_own_rows_in_listings(client, editor, batch, foreign_batch):
    client.force_login(editor)
    html = client.get(reverse("traceability_batch:index")).content.decode()
    assert batch.lot_code in html
    assert foreign_batch.lot_code not in html
    html = client.get(reverse("traceability_growingarea:index")).content.decode()
    assert batch.growing_areas.get().code in html
    assert foreign_batch.growing_areas.get().code not in html


def test_cooperative_editor_reaches_own_downloads(client, editor, batch):
    client.force_login(editor)
    for url in _urls(batch):
        if "/delete/" in url:
            continue
        response = client.get(url)
        assert response.status_code == 200, url


def test_officer_sees_every_producers_batches(client, officer, batch, foreign_batch):
    client.force_login(officer)
    html = client.get(reverse("traceability_batch:index")).content.decode()
    assert batch.lot_code in html and foreign_batch.lot_code in html


def test_trace_events_cannot_be_edited_or_deleted_in_the_admin(client, officer, batch):
    client.force_login(officer)
    event = batch.events.first()
    before = event.description
    assert _blocked(client, reverse("traceability_traceevent:edit", args=[event.pk]))
    client.post(reverse("traceability_traceevent:edit", args=[event.pk]), {"description": "sửa"})
    client.post(reverse("traceability_traceevent:delete", args=[event.pk]))
    event.refresh_from_db()
    assert event.description == before


def test_trace_event_save_refuses_updates_and_deletes(batch):
    event = batch.events.first()
    event.description = "sửa lịch sử"
    with pytest.raises(ImmutableRecordError):
        event.save()
    with pytest.raises(ImmutableRecordError):
        event.delete()
    assert TraceEvent.objects.get(pk=event.pk).description != "sửa lịch sử"


def test_editor_records_an_event_through_the_admin(client, editor, batch):
    from wagtail.test.utils.form_data import inline_formset, nested_form_data

    client.force_login(editor)
    data = nested_form_data(
        {
            "batch": batch.pk,
            "kind": "storing",
            "occurred_at": "2026-11-20 08:30",
            "place": "Kho lạnh HTX",
            "actor": "Anh Bình",
            "description": "Bảo quản 2–5 °C",
            "attachments": inline_formset([]),
        }
    )
    response = client.post(reverse("traceability_traceevent:add"), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    event = batch.events.get(kind="storing")
    assert event.recorded_by == editor


def test_editor_cannot_attach_an_event_to_another_producers_batch(client, editor, foreign_batch):
    from wagtail.test.utils.form_data import inline_formset, nested_form_data

    client.force_login(editor)
    data = nested_form_data(
        {
            "batch": foreign_batch.pk,
            "kind": "storing",
            "occurred_at": "2026-11-20 08:30",
            "place": "Kho",
            "actor": "X",
            "attachments": inline_formset([]),
        }
    )
    response = client.post(reverse("traceability_traceevent:add"), data)
    assert response.status_code == 200  # form redisplayed with an error
    assert not foreign_batch.events.filter(kind="storing").exists()


def test_editor_recalls_own_batch_from_the_admin(client, editor, batch):
    client.force_login(editor)
    url = reverse("traceability_batch:status", args=[batch.pk])
    response = client.post(url, {"status": "recalled", "reason": "Nghi nhiễm nấm mốc"})
    assert response.status_code == 302
    batch.refresh_from_db()
    assert batch.status == "recalled"
    assert batch.status_events.get().to_status == "recalled"


def test_growing_area_code_form_is_validated(site):
    from django.core.exceptions import ValidationError

    area = GrowingAreaFactory.build(code="VN-66-65-24370-94-21")
    with pytest.raises(ValidationError):
        area.full_clean(exclude=["producers"])
    GrowingAreaFactory.build(code="PUC-2023-017").full_clean(exclude=["producers"])
