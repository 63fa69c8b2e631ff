"""Everything the scan page shows, read in a fixed number of narrow queries.

However many events, photos and areas a batch has, the page costs the same queries, each asking
only for the columns the page shows: the batch with its variant, page, producer and lab results;
the certificates; the product photo's rendition; the areas with their standards; the events with
their corrections, attachments and photo renditions. Rows become model instances with the other
fields deferred (as `QuerySet.only()` would make them), so the template and the JSON-LD use the
models' own properties (`in_force`, `is_recalled`, `get_kind_display`, `address`, `url`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db.models import Choices, FilteredRelation, Model, Q
from django.utils import timezone, translation
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.images.models import Filter
from wagtail.models import Locale

from catalog.models import Certificate, Producer, ProductImage, ProductPage, ProductVariant
from cms import pagecache, sitememo
from cms.prepared import PreparedQuery, Shape
from cms.renditions import rendition
from traceability.codes import ALPHABET
from traceability.models import (
    AreaCertification,
    Batch,
    BatchDocument,
    EventKind,
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
    label: str = ""  # the step's name, event.get_kind_display()
    photos: list[Any] = field(default_factory=list)
    documents: list[Any] = field(default_factory=list)
    corrected: bool = False


def choice_label(choices: type[Choices], value: str) -> str:
    """`get_FOO_display()` without its cost: Django rebuilds the choices dict, hashing (and so
    translating) every label, on each call."""
    try:
        return str(choices(value).label)
    except ValueError:
        return value


def normalise_code(code: str) -> str:
    code = (code or "").strip().upper().replace("O", "0").replace("I", "1").replace("L", "1")
    return code if code and all(c in ALPHABET for c in code) else ""


def _shapes_paths(*shapes: Shape) -> list[str]:
    return [path for shape in shapes for path in shape.paths]


def _cache(instance: Model, field_name: str, value: Any) -> None:
    """Attach a related object as select_related() would (no query when the template reads it)."""
    instance._meta.get_field(field_name).set_cached_value(instance, value)


Document = get_document_model()
Image = get_image_model()
Rendition = Image.get_rendition_model()

BATCH = Shape(
    Batch,
    "",
    *("id", "variant_id", "lot_code", "short_code", "harvested_on", "packed_on", "expires_on"),
    *("quantity", "unit", "status", "status_reason"),
)
VARIANT = Shape(ProductVariant, "variant__", "id", "page_id", "name", "sku", "gtin")
PAGE_FIELDS = ("id", "path", "url_path", "title", "live", "locale_id", "translation_key")
PAGE_FIELDS += ("page_ptr_id", "summary", "producer_id")
PRODUCER_FIELDS = ("id", "name", "short_name", "province_code", "ward_code", "street_address")
PRODUCER_FIELDS += ("phone",)
PAGE = Shape(ProductPage, "variant__page__", *PAGE_FIELDS)
PRODUCER = Shape(Producer, "variant__page__producer__", *PRODUCER_FIELDS)
DISPLAY_PAGE = Shape(ProductPage, "", *PAGE_FIELDS)  # the product in the visitor's language
DISPLAY_PRODUCER = Shape(Producer, "producer__", *PRODUCER_FIELDS)
LAB = Shape(BatchDocument, "lab_results__", "id", "title", "laboratory", "tested_on", "document_id")
LAB_DOCUMENT = Shape(Document, "lab_results__document__", "id", "title", "file")
CERTIFICATE = Shape(
    Certificate,
    "",
    *("id", "product_id", "stars", "decision_number", "decision_date", "issuing_body"),
    *("expires_on", "revoked_at"),
)
FOCAL = ("focal_point_x", "focal_point_y", "focal_point_width", "focal_point_height")
RENDITION_FIELDS = ("id", "filter_spec", "file", "width", "height", "focal_point_key")
GALLERY_IMAGE = Shape(Image, "image__", "id", "width", "height", *FOCAL)
GALLERY_RENDITION = Shape(Rendition, "made__", *RENDITION_FIELDS)
AREA = Shape(
    GrowingArea,
    "",
    *("id", "code", "name", "province_code", "ward_code", "address_as_recorded", "area_ha"),
    *("outline", "crops"),
)
AREA_CERTIFICATION = Shape(
    AreaCertification,
    "certifications__",
    *("id", "standard", "certificate_number", "valid_from", "valid_until"),
)
EVENT = Shape(
    TraceEvent,
    "",
    *("id", "batch_id", "kind", "occurred_at", "place", "actor", "description", "corrects_id"),
)
CORRECTED = Shape(TraceEvent, "corrects__", "id", "occurred_at")
ATTACHMENT = Shape(
    TraceEventAttachment, "attachments__", "id", "image_id", "document_id", "caption"
)
ATTACHMENT_DOCUMENT = Shape(Document, "attachments__document__", "id", "title", "file")
ATTACHMENT_IMAGE = Shape(Image, "attachments__image__", "id", "width", "height", *FOCAL)
EVENT_RENDITION = Shape(Rendition, "photo__", *RENDITION_FIELDS)


# Each query is compiled once per process (cms.prepared) and keyed by the batch's short code.
# The rule of `public_batches()` (live page, no view restriction above it) is read as one plain
# query and each worker's list of restricted pages (cms.sitememo), not a subquery.
BATCH_ROWS = PreparedQuery(
    lambda code: (
        Batch.objects.filter(short_code=code, variant__page__live=True)
        .order_by("lab_results__sort_order", "lab_results__id")
        .values_list(
            *_shapes_paths(BATCH, VARIANT, PAGE, PRODUCER, LAB, LAB_DOCUMENT),
            "variant__page__locale__language_code",
        )
    )
)

# The batch's product in another language, if it is live in that one.
DISPLAY_ROWS = PreparedQuery(
    lambda code, language: (
        ProductPage.objects.filter(
            live=True,
            translation_key__in=ProductPage.objects.filter(
                variants__batches__short_code=code
            ).values("translation_key"),
            locale__language_code=language,
        )
        .order_by("id")
        .values_list(*_shapes_paths(DISPLAY_PAGE, DISPLAY_PRODUCER))[:1]
    )
)

# The certificates of the batch's product in any language, newest first.
CERTIFICATE_ROWS = PreparedQuery(
    lambda code: (
        Certificate.objects.filter(
            product__translation_key__in=ProductPage.objects.filter(
                variants__batches__short_code=code
            ).values("translation_key")
        )
        .order_by("-decision_date")
        .values_list(*CERTIFICATE.paths)
    )
)

# The gallery's images, first first, each with its renditions at PRODUCT_IMAGE size (made when
# the image was uploaded, cms.renditions) and its focal point (LEFT JOIN: one row per image and
# rendition).
GALLERY_ROWS = PreparedQuery(
    lambda code: (
        ProductImage.objects.filter(page__variants__batches__short_code=code)
        .annotate(
            made=FilteredRelation(
                "image__renditions", condition=Q(image__renditions__filter_spec=PRODUCT_IMAGE)
            )
        )
        .order_by("sort_order", "id", "made__id")
        .values_list(*_shapes_paths(GALLERY_IMAGE, GALLERY_RENDITION))
    )
)

# The areas with their standards (LEFT JOIN: one row per area and standard).
AREA_ROWS = PreparedQuery(
    lambda code: (
        GrowingArea.objects.filter(batches__short_code=code)
        .order_by("code", "certifications__valid_until", "certifications__id")
        .values_list(*_shapes_paths(AREA, AREA_CERTIFICATION))
    )
)

# The events, each with the entry it corrects, its attachments, their documents, images and
# the images' renditions at EVENT_PHOTO size (LEFT JOINs: one row per event and rendition).
EVENT_ROWS = PreparedQuery(
    lambda code: (
        TraceEvent.objects.filter(batch__short_code=code)
        .annotate(
            photo=FilteredRelation(
                "attachments__image__renditions",
                condition=Q(attachments__image__renditions__filter_spec=EVENT_PHOTO),
            )
        )
        .order_by("occurred_at", "id", "attachments__sort_order", "attachments__id", "photo__id")
        .values_list(
            *_shapes_paths(
                EVENT, CORRECTED, ATTACHMENT, ATTACHMENT_DOCUMENT, ATTACHMENT_IMAGE, EVENT_RENDITION
            )
        )
    )
)


def _certificates(rows: list[tuple]) -> tuple[Certificate | None, Certificate | None]:
    """(certificate in force with most stars, latest certificate)."""
    certificates = [CERTIFICATE.make(row, 0) for row in rows]
    in_force = [c for c in certificates if c.in_force]
    current = max(in_force, key=lambda c: (c.stars, c.expires_on)) if in_force else None
    return current, (certificates[0] if certificates else None)


_PRODUCT_FILTER = Filter(PRODUCT_IMAGE)


def _product_image(code: str):
    """The first gallery image at PRODUCT_IMAGE size, from one query; if it is not made yet (or
    the focal point moved), Wagtail makes it."""
    rows = GALLERY_ROWS.rows(code)
    if not rows:
        return None
    image = GALLERY_IMAGE.plain(rows[0], 0)  # its focal point gives the rendition's key
    key = _PRODUCT_FILTER.get_cache_key(image)
    for row in rows:
        if row[0] != image.id:
            break
        made = GALLERY_RENDITION.make(row, GALLERY_IMAGE.width)
        if made is not None and made.focal_point_key == key:
            return made
    return rendition(Image.objects.get(pk=image.id), PRODUCT_IMAGE)


def _batch(code: str) -> tuple[Batch, list[BatchDocument]] | None:
    code = normalise_code(code)
    rows = BATCH_ROWS.rows(code) if code else []
    if not rows:
        return None
    row = rows[0]
    batch = BATCH.make(row, 0)
    at = BATCH.width
    variant = VARIANT.make(row, at)
    at += VARIANT.width
    page = PAGE.make(row, at)
    at += PAGE.width
    if sitememo.is_restricted(page.path):
        return None
    producer = PRODUCER.make(row, at)
    at += PRODUCER.width
    locale = Locale(id=page.locale_id, language_code=row[-1])
    _cache(batch, "variant", variant)
    _cache(variant, "page", page)
    _cache(page, "producer", producer)
    _cache(page, "locale", locale)
    lab_results = []
    for lab_row in rows:
        result = LAB.make(lab_row, at)
        if result is not None:
            _cache(result, "document", LAB_DOCUMENT.make(lab_row, at + LAB.width))
            lab_results.append(result)
    return batch, lab_results


def _areas(batch: Batch) -> list[AreaView]:
    areas: list[AreaView] = []
    for row in AREA_ROWS.rows(batch.short_code):
        if not areas or areas[-1].area.pk != row[0]:
            area = AREA.make(row, 0)
            view = AreaView(area=area, certifications=[])
            drawing = area.outline  # computed when the area was saved: no shapely here
            if drawing:
                view.svg_d, view.svg_w, view.svg_h = (
                    drawing["d"],
                    drawing["width"],
                    drawing["height"],
                )
            areas.append(view)
        certification = AREA_CERTIFICATION.make(row, AREA.width)
        if certification is not None:
            areas[-1].certifications.append(certification)
    return areas


_EVENT_FILTER = Filter(EVENT_PHOTO)


def _timeline(batch: Batch) -> list[EventView]:
    timeline: list[EventView] = []
    at_corrected = EVENT.width
    at_attachment = at_corrected + CORRECTED.width
    at_document = at_attachment + ATTACHMENT.width
    at_image = at_document + ATTACHMENT_DOCUMENT.width
    at_rendition = at_image + ATTACHMENT_IMAGE.width
    photos: list[list] = []  # [rendition or None, caption, image id], in the page's order
    attachment_id = None
    for row in EVENT_ROWS.rows(batch.short_code):  # by event, attachment, rendition
        if not timeline or timeline[-1].event.pk != row[0]:
            event = EVENT.make(row, 0)
            _cache(event, "corrects", CORRECTED.make(row, at_corrected))
            timeline.append(EventView(event=event, label=choice_label(EventKind, event.kind)))
        view = timeline[-1]
        attachment = ATTACHMENT.plain(row, at_attachment)
        if attachment is None:
            continue
        if attachment.id != attachment_id:
            attachment_id = attachment.id
            if attachment.image_id:
                photos.append([None, attachment.caption, attachment.image_id])
                view.photos.append(photos[-1])
            if attachment.document_id:
                document = ATTACHMENT_DOCUMENT.make(row, at_document)
                view.documents.append((document, attachment.caption))
        if row[at_rendition] is not None and photos[-1][0] is None:
            key = _EVENT_FILTER.get_cache_key(ATTACHMENT_IMAGE.plain(row, at_image))
            if row[at_rendition + RENDITION_FIELDS.index("focal_point_key")] == key:
                photos[-1][0] = EVENT_RENDITION.make(row, at_rendition)
    unmade = {image_id for made, _caption, image_id in photos if made is None}
    if unmade:  # the first view after an upload, before cms.renditions made them
        images = Image.objects.in_bulk(unmade)
        for photo in photos:
            if photo[0] is None:
                photo[0] = rendition(images[photo[2]], EVENT_PHOTO)
    corrected_ids = {v.event.corrects_id for v in timeline if v.event.corrects_id}
    for view in timeline:
        view.corrected = view.event.pk in corrected_ids
        view.photos = [(made, caption) for made, caption, _image_id in view.photos]
    return timeline


def build_context(request, code: str) -> dict[str, Any] | None:
    found = _batch(code)
    if found is None:
        return None
    batch, lab_results = found
    source: ProductPage = batch.variant.page
    language = translation.get_language() or settings.LANGUAGE_CODE
    display = source
    if source.locale.language_code != language:
        for row in DISPLAY_ROWS.rows(batch.short_code, language):
            display = DISPLAY_PAGE.make(row, 0)
            _cache(display, "producer", DISPLAY_PRODUCER.make(row, DISPLAY_PAGE.width))
    certificate, latest_certificate = _certificates(CERTIFICATE_ROWS.rows(batch.short_code))
    image = _product_image(batch.short_code)
    areas = _areas(batch)
    timeline = _timeline(batch)
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
