"""The registry's rows: every recognised certificate (3★ and above), published page or not.

One queryset for the page, the exports, the statistics and the API, so they cannot disagree.
Text search is the registry's own query, not the catalogue's search engine: the engine indexes
only products on sale, the registry also lists unpublished, expired and revoked ones.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.db import models
from django.db.models import F
from django.db.models.functions import Coalesce, ExtractYear
from django.utils import timezone

from catalog.addresses import province_name
from catalog.models import MIN_CERTIFIED_STARS, Certificate, OcopGroup
from catalog.search.text import fold, tokens
from registry.filters import RegistryFilters
from registry.status import shows_badge, status_expression, status_label


class DecisionYear(ExtractYear):
    """The year of a date; on SQLite with the built-in strftime, not Django's Python function
    (which is called once per row and made the statistics' per-year query ten times slower)."""

    def as_sqlite(self, compiler, connection, **extra_context):
        sql, params = compiler.compile(self.lhs)
        return f"CAST(strftime('%%Y', {sql}) AS INTEGER)", params


# The top-level group (ngành) of the group as recorded, else of the product's group; the
# taxonomy is at most three levels deep (ngành → nhóm → phân nhóm).
TOP_GROUP = Coalesce(
    F("group__parent__parent_id"),
    F("group__parent_id"),
    F("group_id"),
    F("product__group__parent__parent_id"),
    F("product__group__parent_id"),
    F("product__group_id"),
)


def group_label(group: OcopGroup) -> str:
    """A group's name, marked with its criteria version when it is not the current one."""
    if group.scheme == "148":
        return group.display_name
    return f"{group.display_name} ({group.scheme})"


def recognised_certificates() -> models.QuerySet[Certificate]:
    """Every certificate that recognised a product as OCOP (3★ and above)."""
    return Certificate.objects.filter(stars__gte=MIN_CERTIFIED_STARS)


def annotated(on: dt.date | None = None) -> models.QuerySet[Certificate]:
    """Recognised certificates with status, province, producer type, top group and year."""
    return recognised_certificates().annotate(
        registry_status=status_expression(on),
        province_code=F("product__producer__province_code"),
        producer_kind=F("product__producer__kind"),
        top_group_id=TOP_GROUP,
        decision_year=DecisionYear("decision_date"),
    )


def registry_queryset(
    filters: RegistryFilters, on: dt.date | None = None
) -> models.QuerySet[Certificate]:
    """The filtered rows, newest decision first (ties by id so pages never overlap)."""
    on = on or timezone.localdate()
    qs = annotated(on)
    if filters.province is not None:
        qs = qs.filter(province_code=filters.province)
    if filters.group:
        tops = OcopGroup.objects.filter(slug=filters.group, parent__isnull=True).values("pk")
        qs = qs.filter(top_group_id__in=tops)
    if filters.stars is not None:
        qs = qs.filter(stars=filters.stars)
    if filters.producer_type:
        qs = qs.filter(producer_kind=filters.producer_type)
    if filters.year is not None:
        qs = qs.filter(decision_date__year=filters.year)  # a date range: can use an index
    if filters.status:
        qs = qs.filter(registry_status=filters.status)
    if filters.q:
        qs = qs.filter(pk__in=_matching_ids(qs, filters.q))
    return qs.order_by("-decision_date", "-pk")


def _matching_ids(qs: models.QuerySet[Certificate], text: str) -> list[int]:
    """Ids whose product, producer, decision or issuing body hold every word, accents folded.

    One query over the already filtered rows; folding in Python (đ → d, no accents) so that
    "mat ong" finds "Mật ong" on SQLite and PostgreSQL alike.
    """
    words = tokens(text)
    if not words:
        return []
    rows = qs.values_list(
        "pk",
        "product__title",
        "product__producer__name",
        "product__producer__short_name",
        "decision_number",
        "issuing_body",
    )
    found = []
    for pk, *parts in rows:
        haystack = fold(" ".join(p or "" for p in parts))
        if all(word in haystack for word in words):
            found.append(pk)
    return found


def with_display_relations(qs: models.QuerySet[Certificate]) -> models.QuerySet[Certificate]:
    """What a page, an export or the API shows of each row, in the same single query."""
    return qs.select_related(
        "product",
        "product__producer",
        "product__group",
        "group",
        "criteria_set",
    )


@dataclass(frozen=True)
class RegistryEntry:
    """One row of the registry as every output shows it (page, CSV, XLSX, API)."""

    id: int
    product_id: int
    product: str
    producer: str
    producer_type: str
    producer_type_label: str
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
    issuing_level_label: str
    expires_on: dt.date
    status: str
    status_label: str
    badge: bool
    product_live: bool


def entries(qs: models.QuerySet[Certificate]) -> list[RegistryEntry]:
    """Rows of an annotated registry queryset (`registry_queryset`), in one query."""
    result = []
    for cert in with_display_relations(qs):
        product = cert.product
        producer = product.producer
        group = cert.group or product.group
        result.append(
            RegistryEntry(
                id=cert.pk,
                product_id=product.pk,
                product=product.title,
                producer=producer.name,
                producer_type=producer.kind,
                producer_type_label=str(producer.get_kind_display()),
                province_code=producer.province_code,
                province=province_name(producer.province_code),
                group=group_label(group) if group else "",
                stars=cert.stars,
                score=cert.total_score,
                criteria=cert.criteria_set.code,
                decision_number=cert.decision_number,
                decision_date=cert.decision_date,
                issuing_body=cert.issuing_body,
                issuing_level=cert.issuing_level,
                issuing_level_label=str(cert.get_issuing_level_display()),
                expires_on=cert.expires_on,
                status=cert.registry_status,
                status_label=status_label(cert.registry_status),
                badge=shows_badge(cert.registry_status, cert.stars),
                product_live=product.live,
            )
        )
    return result
