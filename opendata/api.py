"""The open data API, read-only and versioned: /api/v1/ (docs/api.md).

Built with django-ninja: the OpenAPI 3.1 document is generated from the declared schemas
(`opendata.schemas`), so a field that is not declared is never sent. The filters are the
registry's (`registry.filters.parse_filters`, translated messages, 400 on a bad value) and the
rows come from the same functions as the public pages: `traceability.services.public_batches()`
and `public_product_pages()`, `registry.queries.registry_queryset()`, `places.services`.
ETag/304 come from Django's ConditionalGetMiddleware, CORS (GET only, /api/ only) from
django-cors-headers, rate limits from `security.throttle` (scope "api").
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from ninja import NinjaAPI, Path, Query, Router
from ninja.errors import HttpError, Throttled, ValidationError
from ninja.throttling import BaseThrottle

from catalog.addresses import province_name, ward_name
from catalog.models import Certificate, OcopGroup, Producer, ProducerPage, ProducerType, ProductPage
from opendata import schemas
from places.models import PlaceKind, SalesPoint
from places.services import public_sales_points
from registry.api import ProducerFilters, ProvinceFilter, RegistryFilterParams, read_filters
from registry.api import router as registry_router
from registry.filters import RegistryFilters
from registry.queries import registry_queryset, with_display_relations
from registry.status import shows_badge, status_label, with_status
from security.throttle import hit_request, rate, too_many_requests
from traceability.geo import plain_geometry
from traceability.models import Batch, GrowingArea, TraceEvent
from traceability.services import public_batches, public_product_pages

MAX_PAGE = 100_000
MAX_PAGE_SIZE = 100
DEFAULT_PAGE_SIZE = 20
ERRORS = {400: schemas.Error, 404: schemas.Error, 429: schemas.Error}


class SharedRateThrottle(BaseThrottle):
    """The site's own rate limits (shared cache, per client address): scope "api"."""

    def allow_request(self, request: HttpRequest) -> bool:
        return hit_request(request, "api")

    def wait(self) -> float:
        return float(rate("api").window)


api = NinjaAPI(
    title="OCOP open data API",
    version="1",
    description=(
        "Read-only open data of Vietnam's OCOP programme on this site: products, producers, "
        "certificates, growing areas (GeoJSON), the public journey of batches, sales points, the "
        "registry and programme statistics. Lists are paginated (`page`, `page_size` ≤ 100); "
        "responses carry an ETag (send If-None-Match for a 304); any origin may GET."
    ),
    urls_namespace="opendata",
    openapi_url=None,  # served at /api/openapi.json (opendata.views)
    docs_url=None,  # served at /api/docs/
    throttle=[SharedRateThrottle()],
)


# --- Errors: translated bodies, never a 500 for a bad parameter -------------------------------


def _error(status: int, message: str, errors: dict[str, str] | None = None) -> JsonResponse:
    response = JsonResponse({"error": message, "errors": errors or {}}, status=status)
    response["Cache-Control"] = "no-cache"
    return response


PYDANTIC_MESSAGES = {
    "missing": gettext_lazy("This parameter is required."),
    "int_parsing": gettext_lazy("Give a whole number."),
    "int_type": gettext_lazy("Give a whole number."),
    "greater_than_equal": gettext_lazy("This number is too small."),
    "less_than_equal": gettext_lazy("This number is too large."),
    "string_too_long": gettext_lazy("This text is too long."),
    "enum": gettext_lazy("This value is not one of the allowed values."),
    "literal_error": gettext_lazy("This value is not one of the allowed values."),
}


def _validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    errors: dict[str, str] = {}
    for item in exc.errors:
        name = str(item.get("loc", ["?"])[-1])
        errors[name] = str(
            PYDANTIC_MESSAGES.get(item.get("type", ""), _("This value is not valid."))
        )
    return _error(400, _("Some parameters are not valid."), errors)


def _not_found(request: HttpRequest, exc: Exception) -> HttpResponse:
    return _error(404, _("Not found."))


def _http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    if isinstance(exc, Throttled):
        return too_many_requests(request, "api", json=True)
    if exc.status_code == 404:
        return _not_found(request, exc)
    return _error(exc.status_code, str(exc))


class BadFilters(Exception):
    def __init__(self, errors: dict[str, str]):
        self.errors = errors


def _bad_filters(request: HttpRequest, exc: BadFilters) -> HttpResponse:
    return _error(400, _("Some parameters are not valid."), exc.errors)


api.add_exception_handler(ValidationError, _validation_error)
api.add_exception_handler(Http404, _not_found)
api.add_exception_handler(HttpError, _http_error)
api.add_exception_handler(BadFilters, _bad_filters)


def _filters(request: HttpRequest, params: ProvinceFilter | None = None) -> RegistryFilters:
    """The registry's filters from the endpoint's filter parameters (`registry.api`'s schemas);
    400 on a bad value, or on a NUL byte anywhere in the query string."""
    parsed = read_filters(params if params is not None else ProvinceFilter())
    nul = [k for k, v in request.GET.items() if "\x00" in v or "\x00" in k]
    errors = {**parsed.errors, **{k: _("This value is not valid.") for k in nul}}
    if errors:
        raise BadFilters(errors)
    return parsed.filters


def _page(request: HttpRequest, qs: QuerySet | list, page: int, page_size: int) -> dict[str, Any]:
    count = qs.count() if isinstance(qs, QuerySet) else len(qs)
    start = (page - 1) * page_size
    items = list(qs[start : start + page_size])

    def link(number: int) -> str:
        params = request.GET.copy()
        params["page"] = str(number)
        return f"{request.path}?{urlencode(sorted(params.items()))}"

    return {
        "count": count,
        "page": page,
        "page_size": page_size,
        "next": link(page + 1) if start + page_size < count else None,
        "previous": link(page - 1) if page > 1 and start - page_size < count else None,
        "items": items,
    }


Id = Path(..., ge=1, le=2**31 - 1, description="The row's id.")

# Query parameters shared by lists (documented in the OpenAPI document).
PageNumber = Query(1, ge=1, le=MAX_PAGE, description="Page number, from 1.")
PageSize = Query(DEFAULT_PAGE_SIZE, ge=1, le=MAX_PAGE_SIZE, description="Rows per page (≤ 100).")
FILTERS = Query(...)  # the registry's filters: a schema from registry.api


def _group(group: OcopGroup | None) -> dict[str, str] | None:
    if group is None:
        return None
    return {"code": group.code, "slug": group.slug, "name": group.name, "name_en": group.name_en}


def _url(page, request: HttpRequest) -> str:
    return page.get_url(request=request) or ""


# --- Products ---------------------------------------------------------------------------------

products = Router(tags=["products"])


def product_queryset(filters: RegistryFilters) -> QuerySet[ProductPage]:
    """Products on sale (live, public Vietnamese pages), narrowed by the registry's filters."""
    qs = public_product_pages().filter(locale__language_code=settings.LANGUAGE_CODE)
    if filters.active:
        qs = qs.filter(pk__in=registry_queryset(filters).values("product_id"))
    return qs.order_by("title", "pk")


def _with_product_relations(qs: QuerySet[ProductPage]) -> QuerySet[ProductPage]:
    return qs.select_related("group", "producer").prefetch_related(
        "variants", Prefetch("certificates", queryset=with_status(Certificate.objects.all()))
    )


def _product(page: ProductPage, request: HttpRequest) -> dict[str, Any]:
    in_force = [c for c in page.certificates.all() if shows_badge(c.registry_status, c.stars)]
    current = max(in_force, key=lambda c: (c.stars, c.expires_on), default=None)
    producer = page.producer
    return {
        "id": page.pk,
        "title": page.title,
        "summary": page.summary,
        "url": _url(page, request),
        "group": _group(page.group),
        "producer_id": page.producer_id,
        "producer_name": producer.name if producer else "",
        "province_code": producer.province_code if producer else None,
        "province": producer.province_name if producer else "",
        "stars": current.stars if current else None,
        "certificate": None
        if current is None
        else {
            "id": current.pk,
            "decision_number": current.decision_number,
            "decision_date": current.decision_date,
            "stars": current.stars,
            "expires_on": current.expires_on,
            "status": current.registry_status,
        },
        "variants": [
            {"name": v.name, "gtin": v.gtin or "", "price": v.price, "in_stock": v.stock > 0}
            for v in page.variants.all()
        ],
    }


@products.get("/products", response={200: schemas.ProductPage, **ERRORS}, summary="Products")
def list_products(
    request,
    page: int = PageNumber,
    page_size: int = PageSize,
    filters: RegistryFilterParams = FILTERS,
):
    """Products on sale on this site, filtered like the registry (a product matches when one of
    its recognition decisions does)."""
    chosen = _filters(request, filters)
    data = _page(request, _with_product_relations(product_queryset(chosen)), page, page_size)
    data["results"] = [_product(p, request) for p in data.pop("items")]
    return data


@products.get("/products/{path:product_id}", response={200: schemas.Product, **ERRORS})
def get_product(request, product_id: int = Id):
    qs = _with_product_relations(product_queryset(RegistryFilters()))
    found = qs.filter(pk=product_id).first()
    if found is None:
        raise Http404
    return _product(found, request)


# --- Producers --------------------------------------------------------------------------------

producers = Router(tags=["producers"])


def producer_queryset(filters: RegistryFilters) -> QuerySet[Producer]:
    """Producers with a live, public page on this site."""
    pages = (
        ProducerPage.objects.live().public().filter(locale__language_code=settings.LANGUAGE_CODE)
    )
    qs = Producer.objects.filter(pk__in=pages.values("producer_id"))
    if filters.province is not None:
        qs = qs.filter(province_code=filters.province)
    if filters.producer_type:
        qs = qs.filter(kind=filters.producer_type)
    if filters.q:
        from catalog.search.text import fold, tokens

        words = tokens(filters.q)
        ids = [
            pk
            for pk, name, short in qs.values_list("pk", "name", "short_name")
            if all(w in fold(f"{name} {short}") for w in words)
        ]
        qs = qs.filter(pk__in=ids)
    on_sale = public_product_pages().filter(locale__language_code=settings.LANGUAGE_CODE)
    return qs.annotate(
        product_count=Count("products", filter=Q(products__in=on_sale.values("pk")), distinct=True)
    ).order_by("name", "pk")


def _producer(producer: Producer, pages: dict[int, ProducerPage], request) -> dict[str, Any]:
    page = pages.get(producer.pk)
    return {
        "id": producer.pk,
        "name": producer.name,
        "short_name": producer.short_name,
        "kind": producer.kind,
        "kind_label": str(ProducerType(producer.kind).label)
        if producer.kind in ProducerType.values
        else "",
        "province_code": producer.province_code,
        "province": producer.province_name,
        "ward_code": producer.ward_code,
        "ward": producer.ward_name,
        "address": producer.address,
        "website": producer.website,
        "url": _url(page, request) if page else None,
        "product_count": producer.product_count,
    }


def _producer_pages(ids: Iterable[int]) -> dict[int, ProducerPage]:
    pages = (
        ProducerPage.objects.live()
        .public()
        .filter(producer_id__in=list(ids), locale__language_code=settings.LANGUAGE_CODE)
    )
    return {p.producer_id: p for p in pages}


@producers.get("/producers", response={200: schemas.ProducerPage, **ERRORS}, summary="Producers")
def list_producers(
    request,
    page: int = PageNumber,
    page_size: int = PageSize,
    filters: ProducerFilters = FILTERS,
):
    data = _page(request, producer_queryset(_filters(request, filters)), page, page_size)
    items = data.pop("items")
    pages = _producer_pages(p.pk for p in items)
    data["results"] = [_producer(p, pages, request) for p in items]
    return data


@producers.get("/producers/{path:producer_id}", response={200: schemas.Producer, **ERRORS})
def get_producer(request, producer_id: int = Id):
    found = producer_queryset(RegistryFilters()).filter(pk=producer_id).first()
    if found is None:
        raise Http404
    return _producer(found, _producer_pages([found.pk]), request)


# --- Certificates -----------------------------------------------------------------------------

certificates = Router(tags=["certificates"])


def certificate_queryset(filters: RegistryFilters) -> QuerySet[Certificate]:
    """The registry's rows: every recognised certificate (3★ and above), sold online or not,
    expired and revoked ones listed as such (issue 14)."""
    return registry_queryset(filters)


def _certificate(c: Certificate) -> dict[str, Any]:
    producer = c.product.producer
    return {
        "id": c.pk,
        "product_id": c.product_id,
        "product_title": c.product.title,
        "producer_id": producer.pk if producer else None,
        "producer_name": producer.name if producer else "",
        "province_code": producer.province_code if producer else None,
        "group": _group(c.group or c.product.group),
        "stars": c.stars,
        "total_score": c.total_score,
        "decision_number": c.decision_number,
        "decision_date": c.decision_date,
        "issuing_body": c.issuing_body,
        "issuing_level": c.issuing_level,
        "expires_on": c.expires_on,
        "status": c.registry_status,
        "status_label": status_label(c.registry_status),
        "shows_badge": shows_badge(c.registry_status, c.stars),
    }


@certificates.get(
    "/certificates", response={200: schemas.CertificatePage, **ERRORS}, summary="Certificates"
)
def list_certificates(
    request,
    page: int = PageNumber,
    page_size: int = PageSize,
    filters: RegistryFilterParams = FILTERS,
):
    """Recognition decisions (3★ and above) of every recognised OCOP product, sold online or
    not, newest first: the registry's rows. Expired and revoked decisions stay listed with their
    status and never carry the badge."""
    chosen = _filters(request, filters)
    data = _page(request, with_display_relations(certificate_queryset(chosen)), page, page_size)
    data["results"] = [_certificate(c) for c in data.pop("items")]
    return data


@certificates.get(
    "/certificates/{path:certificate_id}", response={200: schemas.Certificate, **ERRORS}
)
def get_certificate(request, certificate_id: int = Id):
    qs = with_display_relations(certificate_queryset(RegistryFilters()))
    found = qs.filter(pk=certificate_id).first()
    if found is None:
        raise Http404
    return _certificate(found)


# --- Growing areas (GeoJSON) ------------------------------------------------------------------

areas = Router(tags=["growing areas"])


def area_queryset() -> QuerySet[GrowingArea]:
    """Areas a consumer can reach from a product on sale: of a public batch or its producer."""
    on_sale = public_product_pages().values("pk")
    return (
        GrowingArea.objects.filter(
            Q(pk__in=public_batches().values("growing_areas")) | Q(producers__products__in=on_sale)
        )
        .distinct()
        .order_by("code", "pk")
    )


def _area(area: GrowingArea) -> dict[str, Any]:
    return {
        "type": "Feature",
        "id": area.pk,
        # The outline is stored only for a boundary that passed every rule (GrowingArea.save).
        "geometry": plain_geometry(area.boundary) if area.outline else None,
        "properties": {
            "code": area.code,
            "name": area.name,
            "province_code": area.province_code,
            "province": area.province_name,
            "ward_code": area.ward_code,
            "ward": area.ward_name,
            "crops": area.crops,
            "area_ha": area.area_ha,
            "producer_ids": sorted(p.pk for p in area.producers.all()),
        },
    }


@areas.get(
    "/growing-areas",
    response={200: schemas.AreaCollection, **ERRORS},
    summary="Growing areas (GeoJSON FeatureCollection)",
)
def list_areas(
    request,
    page: int = PageNumber,
    page_size: int = PageSize,
    filters: ProvinceFilter = FILTERS,
    producer: int | None = Query(None, ge=1, le=2**31 - 1, description="Producer id."),
):
    chosen = _filters(request, filters)
    qs = area_queryset()
    if chosen.province is not None:
        qs = qs.filter(province_code=chosen.province)
    if producer is not None:
        qs = qs.filter(producers=producer)
    data = _page(request, qs.prefetch_related("producers"), page, page_size)
    data["type"] = "FeatureCollection"
    data["features"] = [_area(a) for a in data.pop("items")]
    return data


@areas.get("/growing-areas/{path:area_id}", response={200: schemas.AreaFeature, **ERRORS})
def get_area(request, area_id: int = Id):
    found = area_queryset().filter(pk=area_id).prefetch_related("producers").first()
    if found is None:
        raise Http404
    return _area(found)


# --- Batches: the public journey --------------------------------------------------------------

batches = Router(tags=["batches"])


def _batch(batch: Batch, request: HttpRequest) -> dict[str, Any]:
    return {
        "code": batch.short_code,
        "lot_code": batch.lot_code,
        "product_id": batch.variant.page_id,
        "variant": batch.variant.name,
        "status": batch.status,
        "harvested_on": batch.harvested_on,
        "packed_on": batch.packed_on,
        "expires_on": batch.expires_on,
        "url": f"/q/{batch.short_code}",
    }


@batches.get("/batches", response={200: schemas.BatchPage, **ERRORS}, summary="Batches")
def list_batches(
    request,
    page: int = PageNumber,
    page_size: int = PageSize,
    product: int | None = Query(None, ge=1, le=2**31 - 1, description="Product id."),
):
    """Batches whose product is on sale (what the scan pages show), newest first."""
    _filters(request)
    qs = public_batches().select_related("variant").order_by("-created_at", "-pk")
    if product is not None:
        qs = qs.filter(variant__page_id=product)
    data = _page(request, qs, page, page_size)
    data["results"] = [_batch(b, request) for b in data.pop("items")]
    return data


@batches.get("/batches/{path:code}", response={200: schemas.BatchJourney, **ERRORS})
def get_batch(
    request,
    code: str = Path(..., pattern=r"^[0-9A-Za-z]{1,16}$", description="The batch's short code."),
):
    """A batch's journey: every trace event, corrections included, as the scan page shows it."""
    if len(code) > 16 or "\x00" in code:
        raise Http404
    found = (
        public_batches()
        .select_related("variant")
        .prefetch_related(
            "growing_areas",
            Prefetch(
                "events",
                queryset=TraceEvent.objects.select_related("growing_area").order_by(
                    "occurred_at", "pk"
                ),
            ),
        )
        .filter(short_code=code)
        .first()
    )
    if found is None:
        raise Http404
    data = _batch(found, request)
    data["growing_areas"] = [a.code for a in found.growing_areas.all()]
    data["events"] = [
        {
            "id": e.pk,
            "kind": e.kind,
            "kind_label": e.get_kind_display(),
            "occurred_at": e.occurred_at,
            "place": e.place,
            "actor": e.actor,
            "description": e.description,
            "latitude": e.latitude,
            "longitude": e.longitude,
            "growing_area": e.growing_area.code if e.growing_area else None,
            "corrects": e.corrects_id,
        }
        for e in found.events.all()
    ]
    return data


# --- Sales points -----------------------------------------------------------------------------

places = Router(tags=["sales points"])


def sales_point_queryset() -> QuerySet[SalesPoint]:
    return (
        public_sales_points()
        .prefetch_related("producers", "products")
        .order_by("province_code", "name", "pk")
    )


def _sales_point(sp: SalesPoint) -> dict[str, Any]:
    return {
        "id": sp.pk,
        "name": sp.name,
        "kind": sp.kind,
        "kind_label": sp.get_kind_display(),
        "province_code": sp.province_code,
        "province": province_name(sp.province_code),
        "ward_code": sp.ward_code,
        "ward": ward_name(sp.ward_code),
        "address": sp.address,
        "opening_hours": sp.opening_hours,
        "phone": sp.phone,
        "website": sp.website,
        "latitude": sp.latitude,
        "longitude": sp.longitude,
        "producer_ids": sorted(p.pk for p in sp.producers.all()),
        "product_ids": sorted(p.pk for p in sp.products.all() if p.live),
    }


@places.get(
    "/sales-points",
    response={200: schemas.SalesPointPage, **ERRORS},
    summary="Sales points and community tourism sites",
)
def list_sales_points(
    request,
    page: int = PageNumber,
    page_size: int = PageSize,
    filters: ProvinceFilter = FILTERS,
    kind: str = Query("", max_length=20, description="sales_point or tourism_site."),
    product: int | None = Query(None, ge=1, le=2**31 - 1, description="Product id."),
    producer: int | None = Query(None, ge=1, le=2**31 - 1, description="Producer id."),
):
    """Open places, with what they stock. A place stocking a producer stocks all its products."""
    chosen = _filters(request, filters)
    qs = sales_point_queryset()
    if chosen.province is not None:
        qs = qs.filter(province_code=chosen.province)
    if kind:
        if kind not in PlaceKind.values:
            raise BadFilters(
                {
                    "kind": _("The kind is one of: %(values)s.")
                    % {"values": ", ".join(PlaceKind.values)}
                }
            )
        qs = qs.filter(kind=kind)
    if product is not None:
        owner = ProductPage.objects.filter(pk=product).values_list("producer_id", flat=True).first()
        qs = qs.filter(Q(products=product) | Q(producers=owner)).distinct()
    if producer is not None:
        qs = qs.filter(producers=producer)
    data = _page(request, qs, page, page_size)
    data["results"] = [_sales_point(sp) for sp in data.pop("items")]
    return data


@places.get("/sales-points/{path:point_id}", response={200: schemas.SalesPoint, **ERRORS})
def get_sales_point(request, point_id: int = Id):
    found = sales_point_queryset().filter(pk=point_id).first()
    if found is None:
        raise Http404
    return _sales_point(found)


for router in (products, producers, certificates, areas, batches, places):
    api.add_router("/", router)
api.add_router("/", registry_router)  # registry and statistics (registry/api.py)
