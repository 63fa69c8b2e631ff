"""What the open data API shows: every field of every response is declared here.

Nothing private is declared, so nothing private can be serialised: no dossiers or scanned
decisions, no part scores of the council, no order data, no editors or their e-mails, no user
accounts (tests/opendata/test_private_data.py walks every endpoint against a deny-list).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any, Literal

from ninja import Schema


class Error(Schema):
    error: str
    errors: dict[str, str] = {}


class Page(Schema):
    count: int
    page: int
    page_size: int
    next: str | None
    previous: str | None


class Group(Schema):
    code: str
    slug: str
    name: str
    name_en: str


class CertificateBrief(Schema):
    id: int
    decision_number: str
    decision_date: dt.date
    stars: int
    expires_on: dt.date
    status: str


class Variant(Schema):
    name: str
    gtin: str
    price: int
    in_stock: bool


class Product(Schema):
    id: int
    title: str
    summary: str
    url: str
    group: Group
    producer_id: int | None
    producer_name: str
    province_code: int | None
    province: str
    stars: int | None
    certificate: CertificateBrief | None
    variants: list[Variant]


class ProductPage(Page):
    results: list[Product]


class Producer(Schema):
    id: int
    name: str
    short_name: str
    kind: str
    kind_label: str
    province_code: int
    province: str
    ward_code: int
    ward: str
    address: str
    website: str
    url: str | None
    product_count: int


class ProducerPage(Page):
    results: list[Producer]


class Certificate(Schema):
    id: int
    product_id: int
    product_title: str
    producer_id: int | None
    producer_name: str
    province_code: int | None
    group: Group | None
    stars: int
    total_score: Decimal
    decision_number: str
    decision_date: dt.date
    issuing_body: str
    issuing_level: str
    expires_on: dt.date
    status: str
    status_label: str
    shows_badge: bool


class CertificatePage(Page):
    results: list[Certificate]


class AreaProperties(Schema):
    code: str
    name: str
    province_code: int
    province: str
    ward_code: int | None
    ward: str
    crops: str
    area_ha: Decimal | None
    producer_ids: list[int]


class AreaFeature(Schema):
    type: Literal["Feature"] = "Feature"
    id: int
    geometry: dict[str, Any] | None
    properties: AreaProperties


class AreaCollection(Page):
    type: Literal["FeatureCollection"] = "FeatureCollection"
    features: list[AreaFeature]


class TraceStep(Schema):
    id: int
    kind: str
    kind_label: str
    occurred_at: dt.datetime
    place: str
    actor: str
    description: str
    latitude: Decimal | None
    longitude: Decimal | None
    growing_area: str | None
    corrects: int | None


class Batch(Schema):
    code: str
    lot_code: str
    product_id: int
    variant: str
    status: str
    harvested_on: dt.date | None
    packed_on: dt.date | None
    expires_on: dt.date | None
    url: str


class BatchJourney(Batch):
    growing_areas: list[str]
    events: list[TraceStep]


class BatchPage(Page):
    results: list[Batch]


class SalesPoint(Schema):
    id: int
    name: str
    kind: str
    kind_label: str
    province_code: int
    province: str
    ward_code: int
    ward: str
    address: str
    opening_hours: str
    phone: str
    website: str
    latitude: Decimal | None
    longitude: Decimal | None
    producer_ids: list[int]
    product_ids: list[int]


class SalesPointPage(Page):
    results: list[SalesPoint]
