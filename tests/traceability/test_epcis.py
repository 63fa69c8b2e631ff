from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest

from traceability.epcis import batch_epcis_document
from traceability.services import record_event, set_batch_status

SCHEMA = (
    Path(__file__).resolve().parents[2]
    / "traceability"
    / "standards"
    / "epcis-2.0-json-schema.json"
)


@pytest.fixture(scope="module")
def validator():
    schema = json.loads(SCHEMA.read_text())
    checker = jsonschema.Draft7Validator.FORMAT_CHECKER
    assert "uri" in checker.checkers and "date-time" in checker.checkers  # format checks really run
    return jsonschema.Draft7Validator(schema, format_checker=checker)


def test_official_example_validates_with_our_validator(validator):
    example = Path("/work/shared/standards/epcis-2.0-example-objectevent-digital-link.jsonld")
    if example.exists():
        validator.validate(json.loads(example.read_text()))
    bad = {
        "@context": ["x"],
        "type": "EPCISDocument",
        "schemaVersion": "2.0",
        "creationDate": "not a date",
        "epcisBody": {"eventList": []},
    }
    assert list(validator.iter_errors(bad))


def test_batch_export_is_a_valid_epcis_document(batch, validator):
    document = batch_epcis_document(batch)
    validator.validate(document)
    events = document["epcisBody"]["eventList"]
    assert [e["bizStep"] for e in events] == ["commissioning", "other", "packing", "shipping"]
    commissioning = events[0]
    assert commissioning["action"] == "ADD"
    assert commissioning["ilmd"]["cbvmda:lotNumber"] == batch.lot_code
    assert commissioning["ilmd"]["cbvmda:itemExpirationDate"] == batch.expires_on.isoformat()
    assert commissioning["eventTimeZoneOffset"] == "+07:00"
    assert commissioning["readPoint"]["id"].startswith("geo:")
    assert "bizLocation" in commissioning
    gtin = batch.variant.gtin.zfill(14)
    assert events[1]["quantityList"][0]["epcClass"].endswith(f"/01/{gtin}/10/{batch.lot_code}")
    assert all("ilmd" not in e for e in events[1:])


def test_corrections_and_recalls_are_exported_and_still_valid(batch, validator):
    wrong = batch.events.get(kind="packing")
    record_event(
        batch,
        kind="packing",
        place="Xưởng đóng gói số 2",
        actor="Chị Hoa",
        corrects=wrong,
        occurred_at=wrong.occurred_at,
    )
    set_batch_status(batch, "recalled", "Thu hồi tự nguyện")
    document = batch_epcis_document(batch)
    validator.validate(document)
    events = document["epcisBody"]["eventList"]
    declared = [e for e in events if "errorDeclaration" in e]
    assert len(declared) == 1 and declared[0]["errorDeclaration"]["reason"] == "incorrect_data"
    assert events[-1]["disposition"] == "recalled"


def test_plain_product_batch_export_validates(plain_batch, validator):
    validator.validate(batch_epcis_document(plain_batch))


def test_public_epcis_endpoint(batch, client, validator):
    response = client.get(f"/epcis/{batch.short_code}.jsonld")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/ld+json"
    validator.validate(response.json())
