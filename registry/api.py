"""Registry and statistics endpoints of the open data API (mounted at /api/v1/ by `opendata`).

Read-only. The filters are the registry page's (`registry.filters.parse_filters`, same names and
values), the rows and figures come from the same functions as the page and the CSV/XLSX files
(`registry.queries.entries`, `registry.statistics.programme_statistics`). Nothing private
(dossiers, council members' scores, editors, contacts) is in any schema. A bad filter is a 400
with a message per parameter, never a 500.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core.paginator import Paginator
from ninja import Field, Query, Router, Schema, Status

from registry.filters import ParsedFilters, parse_filters
from registry.queries import entries, registry_queryset
from registry.statistics import programme_statistics
from registry.status import RegistryStatus

router = Router(tags=["registry"])

MAX_PAGE_SIZE = 100


# The registry's filters as query parameters, declared once for every endpoint that takes them
# (here and in opendata/api.py); values as on the page (/vi/ocop/?province=…). Endpoints that
# take only some of them use the smaller schemas, which the full one extends.


class ProvinceFilter(Schema):
    province: str = Field(
        "", max_length=100, description="Province slug (2025 units), e.g. `ha-noi`."
    )


class ProducerFilters(ProvinceFilter):
    producer_type: str = Field("", max_length=10, description="htx, tht, dn or hkd.")
    q: str = Field("", max_length=100, description="Words to find (accents optional).")


class RegistryFilterParams(ProducerFilters):
    group: str = Field("", max_length=100, description="Slug of a top-level OCOP group.")
    stars: str = Field("", max_length=10, description="3, 4 or 5.")
    year: str = Field("", max_length=10, description="Year of the decision.")
    status: str = Field("", max_length=20, description="in-force, expiring, expired or revoked.")


def read_filters(params: ProvinceFilter) -> ParsedFilters:
    """The registry's filters from an endpoint's filter parameters, read by the page's own
    `parse_filters`, so the API and the page accept and refuse the same values."""
    return parse_filters(params.dict())


class PageParams(Schema):
    page: int = 1
    page_size: int = 25


class ErrorsSchema(Schema):
    errors: dict[str, str]


class StatusSchema(Schema):
    code: str
    label: str


class RegistryEntrySchema(Schema):
    id: int
    product_id: int
    product: str
    producer: str
    producer_type: str
    province_code: int
    province: str
    group: str
    stars: int
    score: Decimal
    criteria: str
    decision_number: str
    decision_date: dt.date
    issuing_body: str
    issuing_level: str
    expires_on: dt.date
    status: str
    ocop_badge: bool
    product_on_sale: bool


class RegistryPageSchema(Schema):
    count: int
    page: int
    page_size: int
    pages: int
    results: list[RegistryEntrySchema]


class CountSchema(Schema):
    key: str
    label: str
    count: int


class YearSchema(Schema):
    year: int
    new: int
    renewed: int


class TargetSchema(Schema):
    province_code: int | None
    scope: str
    metric: str
    label: str
    period_start: int
    period_end: int
    target: Decimal
    actual: Decimal
    percent_of_target: Decimal
    met: bool
    source: str


class StatisticsSchema(Schema):
    on: dt.date
    in_force: int
    five_star: int
    five_star_share: Decimal
    producers: int
    cooperatives: int
    cooperative_share: Decimal
    by_stars: list[CountSchema]
    by_province: list[CountSchema]
    by_group: list[CountSchema]
    by_producer_type: list[CountSchema]
    by_year: list[YearSchema]
    targets: list[TargetSchema]


def _errors(
    params: RegistryFilterParams, page: PageParams | None = None
) -> tuple[object, dict[str, str]]:
    parsed = read_filters(params)
    errors = dict(parsed.errors)
    if page is not None:
        if page.page < 1:
            errors["page"] = "page ≥ 1"
        if not 1 <= page.page_size <= MAX_PAGE_SIZE:
            errors["page_size"] = f"1 ≤ page_size ≤ {MAX_PAGE_SIZE}"
    return parsed.filters, errors


@router.get("/registry/statuses", response=list[StatusSchema], summary="Registry statuses")
def list_statuses(request):
    """The statuses a registry entry can have (the `status` filter's values)."""
    return [StatusSchema(code=s.value, label=str(s.label)) for s in RegistryStatus]


@router.get(
    "/registry",
    response={200: RegistryPageSchema, 400: ErrorsSchema},
    summary="OCOP registry",
)
def list_registry(request, filters: Query[RegistryFilterParams], paging: Query[PageParams]):
    """Every recognised OCOP product (certificate of 3★ and above), newest decision first."""
    chosen, errors = _errors(filters, paging)
    if errors:
        return Status(400, {"errors": errors})
    paginator = Paginator(registry_queryset(chosen), paging.page_size)
    if paging.page > max(1, paginator.num_pages):
        return Status(400, {"errors": {"page": f"page ≤ {max(1, paginator.num_pages)}"}})
    page = paginator.page(paging.page)
    return {
        "count": paginator.count,
        "page": paging.page,
        "page_size": paging.page_size,
        "pages": paginator.num_pages,
        "results": [
            {**e.__dict__, "ocop_badge": e.badge, "product_on_sale": e.product_live}
            for e in entries(page.object_list)
        ],
    }


@router.get(
    "/statistics",
    response={200: StatisticsSchema, 400: ErrorsSchema},
    summary="OCOP programme statistics",
)
def statistics(request, filters: Query[RegistryFilterParams]):
    """The statistics page's figures and the progress toward each target."""
    chosen, errors = _errors(filters)
    if errors:
        return Status(400, {"errors": errors})
    s = programme_statistics(chosen)

    def counts(rows):
        return [{"key": r.key, "label": r.label, "count": r.count} for r in rows]

    return {
        "on": s.on,
        "in_force": s.in_force,
        "five_star": s.five_star,
        "five_star_share": s.five_star_share,
        "producers": s.producers,
        "cooperatives": s.cooperatives,
        "cooperative_share": s.cooperative_share,
        "by_stars": counts(s.by_stars),
        "by_province": counts(s.by_province),
        "by_group": counts(s.by_group),
        "by_producer_type": counts(s.by_producer_type),
        "by_year": [{"year": y.year, "new": y.new, "renewed": y.renewed} for y in s.by_year],
        "targets": [
            {
                "province_code": p.target.province_code,
                "scope": p.target.scope_name,
                "metric": p.target.metric,
                "label": str(p.target.get_metric_display()),
                "period_start": p.target.period_start,
                "period_end": p.target.period_end,
                "target": p.target.target_value,
                "actual": p.actual,
                "percent_of_target": p.percent_of_target,
                "met": p.met,
                "source": p.target.source,
            }
            for p in s.targets
        ],
    }
