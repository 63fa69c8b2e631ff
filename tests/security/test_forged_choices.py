"""The attack of issue 8, by example: a complete, otherwise valid form with another's id.

Each POST below would save if the id were the editor's own (the control cases prove it); with
another producer's id the field gets an error and nothing is written.
"""

from __future__ import annotations

import pytest
from wagtail.test.utils.form_data import inline_formset, nested_form_data

from tests.factories import GrowingAreaFactory, make_product, next_gtin13
from traceability.models import Batch, GrowingArea


def _product(producer, title: str):
    return make_product(
        producer, title=title, variants=[{"name": "Hộp 2 kg", "gtin": next_gtin13()}]
    )


def _batch_form(variant, area) -> dict:
    data = nested_form_data(
        {
            "variant": variant.pk,
            "lot_code": "LN2611-01",
            "harvested_on": "2026-11-01",
            "packed_on": "2026-11-02",
            "expires_on": "2027-05-01",
            "quantity": "100",
            "unit": "kg",
            "lab_results": inline_formset([]),
        }
    )
    data["growing_areas"] = [str(area.pk)]  # a multiple choice: one key, many values
    return data


@pytest.mark.parametrize("whose", ["own", "other"])
def test_batch_form_accepts_only_the_editors_own_variant(
    client, editor, producer, other_producer, whose
):
    mine = _product(producer, "Vải thiều Lục Ngạn")
    theirs = _product(other_producer, "Cà phê Buôn Ma Thuột")
    area = GrowingAreaFactory(producers=[producer])
    variant = (mine if whose == "own" else theirs).variants.first()
    client.force_login(editor)

    response = client.post("/admin/traceability/batch/new/", _batch_form(variant, area))

    if whose == "own":
        assert response.status_code == 302
        assert Batch.objects.filter(variant=variant, lot_code="LN2611-01").exists()
    else:
        assert response.status_code == 200
        assert "variant" in response.context["form"].errors
        assert not Batch.objects.exists()


@pytest.mark.parametrize("whose", ["own", "other"])
def test_growing_area_form_accepts_only_the_editors_own_producer(
    client, editor, producer, other_producer, whose
):
    owner = producer if whose == "own" else other_producer
    client.force_login(editor)
    data = nested_form_data(
        {
            "code": "VN-24-213-07570-94-21",
            "name": "Vùng vải Thanh Hà",
            "province_code": producer.province_code,
            "address_as_recorded": "",
            "crops": "Vải thiều",
            "boundary": "",
            "certifications": inline_formset([]),
            "photos": inline_formset([]),
        }
    )
    data["producers"] = [str(owner.pk)]

    response = client.post("/admin/traceability/growingarea/new/", data)

    if whose == "own":
        assert response.status_code == 302, response.context["form"].errors
        assert GrowingArea.objects.get().producers.get() == producer
    else:
        assert response.status_code == 200
        assert "producers" in response.context["form"].errors
        assert not GrowingArea.objects.exists()
