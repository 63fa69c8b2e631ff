"""One rule on every public endpoint: a batch is public while its product is live.

Resolver `/01/…`, short code `/q/…`, scan pages `/<lang>/truy-xuat/…` and EPCIS all answer
404 for a batch of a product that was never published or was withdrawn, and show a recalled
batch of a live product (with its recall).
"""

from __future__ import annotations

import pytest

from tests.factories import make_batch, make_product, next_gtin13
from traceability.services import set_batch_status

ENDPOINTS = ["gs1_lot", "gs1_serial", "short", "short_serial", "scan", "serial", "report", "epcis"]


def _url(endpoint: str, batch, serial: str = "ABC123") -> str:
    gtin14 = batch.variant.gtin.zfill(14)
    return {
        "gs1_lot": f"/01/{gtin14}/10/{batch.lot_code}",
        "gs1_serial": f"/01/{gtin14}/10/{batch.lot_code}/21/{serial}",
        "short": f"/q/{batch.short_code}",
        "short_serial": f"/q/{batch.short_code}/{serial}",
        "scan": f"/vi/truy-xuat/{batch.short_code}/",
        "serial": f"/vi/truy-xuat/{batch.short_code}/s/{serial}/",
        "report": f"/vi/truy-xuat/{batch.short_code}/bao-loi/",
        "epcis": f"/epcis/{batch.short_code}.jsonld",
    }[endpoint]


def _batch_in_state(producer, state: str):
    product = make_product(
        producer,
        title="Vải thiều Thanh Hà",
        publish=state != "unpublished",
        variants=[{"name": "Hộp 2 kg", "gtin": next_gtin13()}],
    )
    batch = make_batch(product, lot_code="TH2026-07", events=1)
    batch.serials.create(serial="ABC123")
    if state == "withdrawn":
        product.unpublish()
    if state == "recalled":
        set_batch_status(batch, "recalled", "Dư lượng thuốc bảo vệ thực vật vượt ngưỡng.")
    return batch


@pytest.mark.parametrize("endpoint", ENDPOINTS)
@pytest.mark.parametrize("state", ["unpublished", "withdrawn"])
def test_batch_of_a_product_that_is_not_live_is_404_everywhere(client, producer, state, endpoint):
    batch = _batch_in_state(producer, state)
    response = client.get(_url(endpoint, batch))
    assert response.status_code == 404
    assert batch.lot_code not in response.content.decode()


@pytest.mark.parametrize("endpoint", ENDPOINTS)
@pytest.mark.parametrize("state", ["published", "recalled"])
def test_batch_of_a_live_product_is_public_everywhere(client, producer, state, endpoint):
    batch = _batch_in_state(producer, state)
    response = client.get(_url(endpoint, batch), follow=True)
    assert response.status_code == 200
    body = response.content.decode()
    if endpoint != "report":
        assert batch.lot_code in body
    if state == "recalled" and endpoint in ("scan", "serial", "gs1_lot", "short"):
        assert "Dư lượng thuốc bảo vệ thực vật vượt ngưỡng." in body


def test_withdrawn_product_gtin_is_404(client, producer):
    batch = _batch_in_state(producer, "withdrawn")
    assert client.get(f"/01/{batch.variant.gtin.zfill(14)}").status_code == 404


def test_unpublished_product_no_longer_takes_problem_reports(client, producer):
    batch = _batch_in_state(producer, "withdrawn")
    response = client.post(_url("report", batch), {"message": "Hàng giả?"})
    assert response.status_code == 404
    assert not batch.problem_reports.exists()
