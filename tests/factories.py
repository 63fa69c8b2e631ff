"""factory_boy factories shared by the tests and the demo-data command.

Pages are created in the Wagtail tree through `add_child`, and products are published only
through the real publishing path, so factories obey the same 3★ rule as editors do.
"""

from __future__ import annotations

import datetime as dt
import itertools
from decimal import Decimal
from typing import Any

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from catalog.addresses import wards_of
from catalog.gtin import gtin_check_digit
from catalog.models import (
    Certificate,
    CriteriaSet,
    IssuingLevel,
    OcopGroup,
    Producer,
    ProducerPage,
    ProducerType,
    ProductPage,
    ProductVariant,
)
from tests.coalesced_tasks import coalesced_tasks

# Scores that sit inside each star band of the 148/2023 criteria (A ≤ 40, B ≤ 25, C ≤ 35).
SCORES_FOR_STARS = {
    1: (Decimal(8), Decimal(5), Decimal(7)),
    2: (Decimal(16), Decimal(10), Decimal(14)),
    3: (Decimal(25), Decimal(15), Decimal(20)),
    4: (Decimal(32), Decimal(20), Decimal(28)),
    5: (Decimal(38), Decimal(24), Decimal(31)),
}

_tax_codes = itertools.count(460_000_001)  # first nine digits; the tenth is the check digit
_gtins = itertools.count(1)


def next_tax_code() -> str:
    """A fresh tax code with a valid check digit (catalog.tax_codes)."""
    from catalog.tax_codes import check_digit

    while True:
        body = f"{next(_tax_codes):09d}"
        if digit := check_digit(body):
            return body + digit


def next_gtin13(company_prefix: str = "8930001") -> str:
    """A GTIN-13 under Vietnam's 893 prefix with a valid check digit."""
    body = f"{company_prefix}{next(_gtins):05d}"[:12]
    return body + gtin_check_digit(body)


def criteria_set(code: str = "148/2023 + 1489/2025") -> CriteriaSet:
    return CriteriaSet.objects.get(code=code)


def leaf_group(slug: str = "mat-ong-nong-san-so-che") -> OcopGroup:
    return OcopGroup.objects.get(scheme="148", slug=slug)


class ProducerFactory(DjangoModelFactory):
    """A producer onboarded like a real one: its page, editors' group, collection and editor."""

    class Meta:
        model = Producer

    name = factory.Sequence(lambda n: f"Hợp tác xã Nông nghiệp Thử nghiệm {n}")
    short_name = factory.Sequence(lambda n: f"HTX Thử nghiệm {n}")
    kind = ProducerType.COOPERATIVE
    tax_code = factory.LazyFunction(next_tax_code)
    province_code = 24
    ward_code = factory.LazyAttribute(lambda o: wards_of(o.province_code)[0][0])
    street_address = "Thôn Đông"
    phone = "0912345678"
    email = factory.Sequence(lambda n: f"htx{n}@example.vn")

    @classmethod
    @coalesced_tasks()
    def _create(
        cls,
        model_class,
        *args: Any,
        editor_username: str | None = None,
        editor_password: str = "editor-pass-123",
        **kwargs: Any,
    ) -> Producer:
        from catalog.services import create_producer

        onboarded = create_producer(
            editor_username=editor_username or f"editor-{kwargs['tax_code']}",
            editor_email=f"editor-{kwargs['tax_code']}@example.vn",
            editor_password=editor_password,
            **kwargs,
        )
        producer = onboarded.producer
        producer.onboarded = onboarded
        return producer


class CertificateFactory(DjangoModelFactory):
    class Meta:
        model = Certificate

    class Params:
        stars_wanted = 4

    product = None
    criteria_set = factory.LazyFunction(criteria_set)
    score_a = factory.LazyAttribute(lambda o: SCORES_FOR_STARS[o.stars_wanted][0])
    score_b = factory.LazyAttribute(lambda o: SCORES_FOR_STARS[o.stars_wanted][1])
    score_c = factory.LazyAttribute(lambda o: SCORES_FOR_STARS[o.stars_wanted][2])
    total_score = factory.LazyAttribute(lambda o: o.score_a + o.score_b + o.score_c)
    stars = factory.LazyAttribute(lambda o: o.stars_wanted)
    decision_number = factory.Sequence(lambda n: f"{1000 + n}/QĐ-UBND")
    decision_date = factory.LazyFunction(lambda: timezone.localdate() - dt.timedelta(days=200))
    issuing_body = "UBND tỉnh Bắc Ninh"
    issuing_level = factory.LazyAttribute(
        lambda o: IssuingLevel.CENTRAL if o.stars_wanted == 5 else IssuingLevel.PROVINCE
    )


def certify(product: ProductPage, stars: int = 4, **kwargs: Any) -> Certificate:
    return CertificateFactory(product=product, stars_wanted=stars, **kwargs)


@coalesced_tasks()
def make_product(
    producer: Producer,
    *,
    title: str = "Mật ong hoa nhãn",
    group: OcopGroup | None = None,
    stars: int | None = 4,
    publish: bool = True,
    variants: list[dict[str, Any]] | None = None,
    summary: str = "Mật ong nguyên chất từ vườn nhãn.",
    certificate_kwargs: dict[str, Any] | None = None,
    **page_fields: Any,
) -> ProductPage:
    """Create a product page under its producer's page, certify it, and publish it.

    `stars=None` leaves it without a certificate; publishing then fails like it would for
    an editor (pass `publish=False`).
    """
    parent = ProducerPage.objects.get(producer=producer, alias_of__isnull=True)
    page = ProductPage(
        title=title,
        group=group or leaf_group(),
        summary=summary,
        live=False,
        **page_fields,
    )
    for i, spec in enumerate(variants or [{"name": "Chai 500 ml", "price": 150_000}]):
        page.variants.add(
            ProductVariant(
                name=spec.get("name", "Hộp"),
                price=spec.get("price", 150_000),
                weight_grams=spec.get("weight_grams", 600),
                gtin=spec.get("gtin", ""),
                stock=spec.get("stock", 50),
                sku=spec.get("sku", f"SKU-{i}"),
            )
        )
    parent.add_child(instance=page)
    if stars is not None:
        certify(page, stars=stars, **(certificate_kwargs or {}))
    revision = page.save_revision()
    if publish:
        revision.publish()
        page.refresh_from_db()
    return page


def edit_form_data(page: ProductPage, **overrides: Any) -> dict[str, Any]:
    """POST data for a product page's admin edit form, as a browser without JS sends it."""
    from wagtail.test.utils.form_data import inline_formset, nested_form_data, streamfield

    source = page.source
    fields = {
        "title": page.title,
        "slug": page.slug,
        "group": page.group_id,
        "summary": page.summary,
        "story": streamfield([]),
        "gallery": inline_formset(
            [{"id": g.pk, "image": g.image_id, "caption": g.caption} for g in source.gallery.all()],
            initial=source.gallery.count(),
        ),
        "variants": inline_formset(
            [
                {
                    "id": v.pk,
                    "name": v.name,
                    "sku": v.sku,
                    "price": v.price,
                    "weight_grams": v.weight_grams,
                    "gtin": v.gtin,
                }
                for v in source.variants.all()
            ],
            initial=source.variants.count(),
            min=1,
        ),
        "comments": inline_formset([]),
        "ingredients": page.ingredients,
        "storage": page.storage,
        "shelf_life": page.shelf_life,
        "title_en": page.title_en,
        "summary_en": page.summary_en,
        "story_en": streamfield([]),
    }
    fields.update(overrides)
    return nested_form_data(fields)


# --- traceability ---


def square_boundary(lon: float = 106.55, lat: float = 21.35, side_m: float = 100.0) -> dict:
    """A square GeoJSON polygon of about `side_m` metres a side (1 ha for 100 m)."""
    import math

    dlat = side_m / 111_194.9
    dlon = dlat / math.cos(math.radians(lat))
    ring = [[lon, lat], [lon + dlon, lat], [lon + dlon, lat + dlat], [lon, lat + dlat], [lon, lat]]
    return {"type": "Polygon", "coordinates": [ring]}


class GrowingAreaFactory(DjangoModelFactory):
    class Meta:
        model = "traceability.GrowingArea"
        skip_postgeneration_save = True

    code = factory.Sequence(lambda n: f"VN-24-213-07570-{n % 10000}-24")
    name = factory.Sequence(lambda n: f"Vùng vải thiều Thử nghiệm {n}")
    province_code = 24
    ward_code = factory.LazyAttribute(lambda o: wards_of(o.province_code)[0][0])
    crops = "Vải thiều"
    boundary = factory.LazyFunction(square_boundary)

    @factory.post_generation
    def producers(self, create, extracted, **kwargs):
        if create and extracted:
            self.producers.set(extracted)


class BatchFactory(DjangoModelFactory):
    class Meta:
        model = "traceability.Batch"

    variant = None
    lot_code = factory.Sequence(lambda n: f"L{dt.date.today():%y%m}-{n:04d}")
    harvested_on = factory.LazyFunction(lambda: timezone.localdate() - dt.timedelta(days=20))
    packed_on = factory.LazyFunction(lambda: timezone.localdate() - dt.timedelta(days=18))
    expires_on = factory.LazyFunction(lambda: timezone.localdate() + dt.timedelta(days=300))
    quantity = Decimal("250")
    unit = "kg"


JOURNEY = [
    ("harvesting", "Vườn vải thôn Đông", "Tổ thu hái HTX", 20),
    ("processing", "Xưởng sơ chế HTX", "Anh Nguyễn Văn Bình", 19),
    ("packing", "Xưởng đóng gói HTX", "Chị Trần Thị Hoa", 18),
    ("shipping", "Kho HTX → Hà Nội", "Xe tải 98C-123.45", 17),
]


@coalesced_tasks()
def make_batch(product, *, events: int = 4, area=None, **fields):
    """A batch of the product's first variant with a growing area and `events` trace events."""
    from traceability.services import record_event

    variant = product.source.variants.first()
    batch = BatchFactory(variant=variant, **fields)
    if area is None:
        area = GrowingAreaFactory(producers=[product.producer])
    batch.growing_areas.add(area)
    now = timezone.now()
    for i in range(events):
        kind, place, actor, days_ago = JOURNEY[i % len(JOURNEY)]
        record_event(
            batch,
            kind=kind,
            place=place,
            actor=actor,
            occurred_at=now - dt.timedelta(days=days_ago, minutes=-i),
            description=f"Bước {i + 1}",
            growing_area=area if kind == "harvesting" else None,
        )
    return batch
