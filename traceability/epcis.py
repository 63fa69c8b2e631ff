"""A batch's journey as an EPCIS 2.0 JSON-LD document (GS1 EPCIS/CBV 2.0).

Each `TraceEvent` becomes an ObjectEvent on the lot (a `quantityList` entry whose `epcClass`
is the lot's GS1 Digital Link URI, or our short-code URI when the product has no GTIN).
Harvesting is the lot's `commissioning` (action ADD, with `ilmd`: lot number, expiry, harvest
date); CBV has no processing step, so processing is `other` with our `ocop:step` extension
naming it. A corrected event carries an `errorDeclaration` pointing at its corrections, as
EPCIS 2.0 §7.4.1.2 prescribes. Recalls (status changes) are `holding` events with the CBV
disposition `recalled`.
"""

from __future__ import annotations

import uuid
from decimal import Decimal
from typing import Any
from urllib.parse import quote

from django.utils import timezone

from traceability.digital_link import absolute
from traceability.models import Batch, BatchStatus, EventKind, TraceEvent
from traceability.qr import batch_uri

EPCIS_CONTEXT = "https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld"
SCHEMA_VERSION = "2.0"

# kind → (CBV bizStep, CBV disposition, action)
EVENT_MAPPING: dict[str, tuple[str, str, str]] = {
    EventKind.HARVESTING: ("commissioning", "active", "ADD"),
    EventKind.PROCESSING: ("other", "in_progress", "OBSERVE"),
    EventKind.PACKING: ("packing", "in_progress", "OBSERVE"),
    EventKind.STORING: ("storing", "sellable_not_accessible", "OBSERVE"),
    EventKind.SHIPPING: ("shipping", "in_transit", "OBSERVE"),
    EventKind.INSPECTING: ("inspecting", "conformant", "OBSERVE"),
    EventKind.CERTIFYING: ("inspecting", "conformant", "OBSERVE"),
}

# UN/CEFACT Recommendation 20 codes.
UNIT_CODES = {
    "kg": "KGM",
    "t": "TNE",
    "l": "LTR",
    "piece": "H87",
    "box": "XBX",
    "bottle": "XBO",
    "jar": "XJR",
    "bag": "XBG",
}


def _event_id(kind: str, pk: int) -> str:
    return f"urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, absolute(f'/epcis/{kind}/{pk}'))}"


def _time(value) -> tuple[str, str]:
    local = timezone.localtime(value)
    raw = local.strftime("%z")
    return local.isoformat(timespec="milliseconds"), f"{raw[:3]}:{raw[3:]}"


def _quantity(batch: Batch) -> dict[str, Any]:
    element: dict[str, Any] = {"epcClass": batch_uri(batch)}
    if batch.quantity is not None:
        element["quantity"] = float(Decimal(batch.quantity))
        element["uom"] = UNIT_CODES.get(batch.unit, "H87")
    return element


def area_uri(code: str) -> str:
    return absolute(f"/id/area/{quote(code, safe='')}")


def _geo(lat, lon) -> str:
    return f"geo:{Decimal(lat):f},{Decimal(lon):f}"


def trace_event_json(event: TraceEvent, batch: Batch) -> dict[str, Any]:
    biz_step, disposition, action = EVENT_MAPPING[event.kind]
    event_time, offset = _time(event.occurred_at)
    data: dict[str, Any] = {
        "type": "ObjectEvent",
        "eventID": _event_id("trace", event.pk),
        "eventTime": event_time,
        "eventTimeZoneOffset": offset,
        "recordTime": _time(event.recorded_at)[0],
        "epcList": [],
        "quantityList": [_quantity(batch)],
        "action": action,
        "bizStep": biz_step,
        "disposition": disposition,
        "ocop:step": event.kind,
        "ocop:place": event.place,
        "ocop:actor": event.actor,
    }
    if event.description:
        data["ocop:description"] = event.description
    area = event.growing_area
    if event.latitude is not None and event.longitude is not None:
        data["readPoint"] = {"id": _geo(event.latitude, event.longitude)}
    elif area is not None and area.outline:  # stored when the area was saved
        lon, lat = area.outline["centroid"]
        data["readPoint"] = {"id": _geo(round(Decimal(lat), 6), round(Decimal(lon), 6))}
    if area is not None:
        data["bizLocation"] = {"id": area_uri(area.code)}
    if action == "ADD":
        ilmd: dict[str, Any] = {"cbvmda:lotNumber": batch.lot_code, "cbvmda:countryOfOrigin": "VN"}
        if batch.expires_on:
            ilmd["cbvmda:itemExpirationDate"] = batch.expires_on.isoformat()
        if batch.harvested_on:
            ilmd["cbvmda:harvestStartDate"] = batch.harvested_on.isoformat()
        data["ilmd"] = ilmd
    if event.kind == EventKind.CERTIFYING:
        documents = [a.document for a in event.attachments.all() if a.document_id]
        if documents:
            data["certificationInfo"] = [absolute(d.url) for d in documents]
    corrections = list(event.corrections.all())
    if corrections:
        data["errorDeclaration"] = {
            "declarationTime": _time(min(c.recorded_at for c in corrections))[0],
            "reason": "incorrect_data",
            "correctiveEventIDs": [_event_id("trace", c.pk) for c in corrections],
        }
    return data


def status_event_json(status_event, batch: Batch) -> dict[str, Any]:
    event_time, offset = _time(status_event.created_at)
    return {
        "type": "ObjectEvent",
        "eventID": _event_id("status", status_event.pk),
        "eventTime": event_time,
        "eventTimeZoneOffset": offset,
        "epcList": [],
        "quantityList": [_quantity(batch)],
        "action": "OBSERVE",
        "bizStep": "holding",
        "disposition": "recalled" if status_event.to_status == BatchStatus.RECALLED else "active",
        **({"ocop:reason": status_event.reason} if status_event.reason else {}),
    }


def batch_epcis_document(batch: Batch) -> dict[str, Any]:
    events = (
        TraceEvent.objects.filter(batch=batch)
        .select_related("growing_area")
        .prefetch_related("corrections", "attachments__document")
        .order_by("occurred_at", "pk")
    )
    event_list = [trace_event_json(e, batch) for e in events]
    event_list += [status_event_json(s, batch) for s in batch.status_events.all()]
    event_list.sort(key=lambda e: e["eventTime"])
    return {
        "@context": [EPCIS_CONTEXT, {"ocop": absolute("/voc/")}],
        "type": "EPCISDocument",
        "schemaVersion": SCHEMA_VERSION,
        "creationDate": _time(timezone.now())[0],
        "epcisBody": {"eventList": event_list},
    }
