"""Everything the scan page shows, read in a fixed number of queries.

However many events, photos and areas a batch has, the page costs the same queries: one per
kind of row (batch, page translation, certificates, product image, areas, area standards,
events, attachments, renditions, lab results), never one per row.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db.models import Prefetch
from django.utils import timezone, translation
from wagtail.images import get_image_model
from wagtail.images.models import Filter

from catalog.models import Certificate, ProductImage, ProductPage
from cms import pagecache, sitememo
from cms.renditions import only_renditions, rendition
from traceability.codes import ALPHABET
from traceability.models import (
    AreaCertification,
    Batch,
    GrowingArea,
    TraceEvent,
    TraceEventAttachment,
)

PRODUCT_IMAGE = "fill-480x360"
EVENT_PHOTO = "fill-160x120"


@dataclass
class AreaView:
    area: GrowingArea
    certifications: list[AreaCertification]
    svg_d: str = ""
    svg_w: int = 0
    svg_h: int = 0


@dataclass
class EventView:
    event: TraceEvent
    photos: list[Any] = field(default_factory=list)
    documents: list[Any] = field(default_factory=list)
    corrected: bool = False


def normalise_code(code: str) -> str:
    code = (code or "").strip().upper().replace("O", "0").replace("I", "1").replace("L", "1")
    return code if code and all(c in ALPHABET for c in code) else ""


def _certificates(page: ProductPage) -> tuple[Certificate | None, Certificate | None]:
    """(certificate in force with most stars, latest certificate) from one query."""
    certificates = list(
        Certificate.objects.filter(product__translation_key=page.translation_key).order_by(
            "-decision_date"
        )
    )
    in_force = [c for c in certificates if c.in_force]
    current = max(in_force, key=lambda c: (c.stars, c.expires_on)) if in_force else None
    return current, (certificates[0] if certificates else None)


def _product_image(source: ProductPage):
    """The first gallery image at PRODUCT_IMAGE size: one query for the rendition and its image
    (made when the image was uploaded, cms.renditions); else the image, and Wagtail makes it."""
    first = ProductImage.objects.filter(page=source).order_by("sort_order").values("image_id")[:1]
    product_filter = Filter(PRODUCT_IMAGE)
    for made in (
        get_image_model()
        .get_rendition_model()
        .objects.filter(image_id__in=first, filter_spec=PRODUCT_IMAGE)
        .select_related("image")
    ):
        if made.focal_point_key == product_filter.get_cache_key(made.image):
            return made
    gallery = list(
        ProductImage.objects.filter(page=source).select_related("image").order_by("sort_order")[:1]
    )
    return rendition(gallery[0].image, PRODUCT_IMAGE) if gallery else None


def _batch(code: str) -> Batch | None:
    code = normalise_code(code)
    if not code:
        return None
    # The rule of `public_batches()` (live page, no view restriction above it), read as one
    # plain query and each worker's list of restricted pages (cms.sitememo), not a subquery.
    batch = (
        Batch.objects.select_related("variant__page__producer", "variant__page__locale")
        .filter(short_code=code, variant__page__live=True)
        .first()
    )
    if batch is None or sitememo.is_restricted(batch.variant.page.path):
        return None
    return batch


def build_context(request, code: str) -> dict[str, Any] | None:
    batch = _batch(code)
    if batch is None:
        return None
    source: ProductPage = batch.variant.page
    language = translation.get_language() or settings.LANGUAGE_CODE
    display = source
    if source.locale.language_code != language:
        display = (
            ProductPage.objects.live()
            .filter(translation_key=source.translation_key, locale__language_code=language)
            .first()
            or source
        )
    certificate, latest_certificate = _certificates(source)
    image = _product_image(source)

    areas = []
    for area in batch.growing_areas.prefetch_related(
        Prefetch("certifications", queryset=AreaCertification.objects.order_by("valid_until"))
    ).order_by("code"):
        view = AreaView(area=area, certifications=list(area.certifications.all()))
        drawing = area.outline  # computed when the area was saved: no shapely here
        if drawing:
            view.svg_d, view.svg_w, view.svg_h = drawing["d"], drawing["width"], drawing["height"]
        areas.append(view)

    events = list(
        TraceEvent.objects.filter(batch=batch)
        .select_related("corrects")
        .prefetch_related(
            Prefetch(
                "attachments",
                queryset=TraceEventAttachment.objects.select_related("image", "document")
                .prefetch_related(only_renditions("image__renditions", EVENT_PHOTO))
                .order_by("sort_order"),
            )
        )
        .order_by("occurred_at", "pk")
    )
    corrected_ids = {e.corrects_id for e in events if e.corrects_id}
    timeline = []
    for event in events:
        view = EventView(event=event, corrected=event.pk in corrected_ids)
        for attachment in event.attachments.all():
            if attachment.image_id:
                view.photos.append((rendition(attachment.image, EVENT_PHOTO), attachment.caption))
            if attachment.document_id:
                view.documents.append((attachment.document, attachment.caption))
        timeline.append(view)

    lab_results = list(batch.lab_results.select_related("document").order_by("sort_order"))
    buy_url = display.get_url(request) if display.live else ""
    pagecache.tag(
        request,
        pagecache.batch_tag(batch.pk),
        pagecache.page_tag(source.translation_key),
        pagecache.producer_tag(source.producer_id),
        *(pagecache.area_tag(view.area.pk) for view in areas),
    )
    return {
        "batch": batch,
        "product": display,
        "source": source,
        "variant": batch.variant,
        "producer": source.producer,
        "certificate": certificate,
        "latest_certificate": latest_certificate,
        "image": image,
        "areas": areas,
        "timeline": timeline,
        "lab_results": lab_results,
        "buy_url": buy_url,
        "today": timezone.localdate(),
        "jsonld": batch_jsonld(batch, display, certificate, image, request),
    }


def batch_jsonld(batch: Batch, page: ProductPage, certificate, image, request) -> dict[str, Any]:
    """schema.org Product for this lot (the product page carries its own JSON-LD)."""
    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "Product",
        "name": f"{page.title} – {batch.variant.name}",
        "description": page.summary,
        "sku": batch.variant.sku or str(batch.variant.pk),
        "countryOfOrigin": {"@type": "Country", "name": "VN"},
        "additionalProperty": [
            {"@type": "PropertyValue", "propertyID": "lot", "name": "Lot", "value": batch.lot_code}
        ],
    }
    if page.live:
        data["url"] = page.get_full_url(request)
    if batch.variant.gtin:
        data["gtin"] = batch.variant.gtin
    if batch.packed_on:
        data["productionDate"] = batch.packed_on.isoformat()
    if batch.expires_on:
        data["additionalProperty"].append(
            {
                "@type": "PropertyValue",
                "propertyID": "expiry",
                "name": "Best before",
                "value": batch.expires_on.isoformat(),
            }
        )
    producer = page.producer
    if producer is not None:
        data["manufacturer"] = {"@type": "Organization", "name": producer.name}
        data["brand"] = {"@type": "Brand", "name": str(producer)}
    if image is not None:
        data["image"] = request.build_absolute_uri(image.url)
    if certificate is not None and certificate.shows_badge:
        data["award"] = f"OCOP {certificate.stars}★ ({certificate.decision_number})"
    return data
