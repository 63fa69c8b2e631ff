"""What the public sees of sales points: one query for a province, one for a product."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from catalog.addresses import province_name, province_slug
from catalog.models import ProductPage
from places.models import SalesPoint


def public_sales_points() -> QuerySet[SalesPoint]:
    return SalesPoint.objects.public()


def sales_points_for_product(product: ProductPage) -> list[SalesPoint]:
    """Open places stocking the product itself or every product of its producer."""
    source = product.source
    query = Q(products=source)
    if source.producer_id:
        query |= Q(producers=source.producer_id)
    return list(public_sales_points().filter(query).distinct().order_by("province_code", "name"))


def provinces_with_sales_points() -> list[dict]:
    """[{code, name, slug, count}] of provinces having at least one open place."""
    counts: dict[int, int] = {}
    for code in public_sales_points().values_list("province_code", flat=True):
        counts[code] = counts.get(code, 0) + 1
    rows = [
        {"code": code, "name": province_name(code), "slug": province_slug(code), "count": n}
        for code, n in counts.items()
    ]
    return sorted(rows, key=lambda r: r["name"])
