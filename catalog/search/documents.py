"""Turn source product pages into search documents (one per product, whatever the engine).

Both engines index the same denormalised `SearchDocument` rows' data: the database engine
stores them, the Elasticsearch engine sends `as_dict()` of unsaved instances.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from django.conf import settings
from django.db.models import Count, Min, QuerySet, Sum
from django.utils import timezone

from catalog.addresses import province_name
from catalog.models import Certificate, OcopGroup, ProductImage, ProductPage, ProductVariant
from catalog.search.models import SearchDocument
from catalog.search.text import exact_text, folded_text


def searchable_pages() -> QuerySet[ProductPage]:
    """What is for sale as OCOP: live source pages with a certificate in force of ≥3★."""
    certified_keys = Certificate.objects.certified().values("product__translation_key")
    return ProductPage.objects.live().filter(
        locale__language_code=settings.LANGUAGE_CODE,
        alias_of__isnull=True,
        translation_key__in=certified_keys,
    )


def source_ids(product_ids: Iterable[int]) -> list[int]:
    """The source (default-locale) page ids of any product pages, aliases included."""
    keys = ProductPage.objects.filter(pk__in=list(product_ids)).values("translation_key")
    return list(
        ProductPage.objects.filter(
            translation_key__in=keys,
            locale__language_code=settings.LANGUAGE_CODE,
            alias_of__isnull=True,
        ).values_list("pk", flat=True)
    )


def _group_tree() -> dict[int, OcopGroup]:
    return {g.pk: g for g in OcopGroup.objects.all()}


def _lineage(group_id: int, groups: dict[int, OcopGroup]) -> list[OcopGroup]:
    chain = []
    node = groups.get(group_id)
    while node is not None:
        chain.append(node)
        node = groups.get(node.parent_id) if node.parent_id else None
    return chain


def build_documents(pages: Iterable[ProductPage]) -> list[SearchDocument]:
    """Unsaved documents for source pages, in a fixed number of queries per batch."""
    pages = list(pages)
    if not pages:
        return []
    ids = [p.pk for p in pages]
    keys = [p.translation_key for p in pages]
    groups = _group_tree()
    best: dict = {}
    for cert in (
        Certificate.objects.certified()
        .filter(product__translation_key__in=keys)
        .order_by("stars", "expires_on")
        .values("product__translation_key", "stars", "expires_on")
    ):
        best[cert["product__translation_key"]] = cert  # highest stars, latest expiry wins
    variants = {
        row["page_id"]: row
        for row in ProductVariant.objects.filter(page_id__in=ids)
        .values("page_id")
        .annotate(min_price=Min("price"), stock=Sum("stock"), count=Count("pk"))
    }
    variant_names: dict[int, list[str]] = {}
    for page_id, name in ProductVariant.objects.filter(page_id__in=ids).values_list(
        "page_id", "name"
    ):
        variant_names.setdefault(page_id, []).append(name)
    images: dict[int, int] = {}
    for page_id, image_id in (
        ProductImage.objects.filter(page_id__in=ids)
        .order_by("page_id", "sort_order")
        .values_list("page_id", "image_id")
    ):
        images.setdefault(page_id, image_id)
    producers = {
        p.pk: p.producer for p in ProductPage.objects.filter(pk__in=ids).select_related("producer")
    }

    documents = []
    for page in pages:
        cert = best.get(page.translation_key)
        producer = producers.get(page.pk)
        if cert is None or producer is None:
            continue
        lineage = _lineage(page.group_id, groups)
        group_names = [n for g in lineage for n in (g.name, g.name_en) if n]
        variant = variants.get(page.pk, {})
        body = " ".join(
            filter(
                None,
                [
                    producer.name,
                    producer.short_name,
                    province_name(producer.province_code),
                    *group_names,
                    *variant_names.get(page.pk, []),
                    page.ingredients,
                    page.title_en,
                    page.summary_en,
                ],
            )
        )
        documents.append(
            SearchDocument(
                product_id=page.pk,
                translation_key=page.translation_key,
                title=page.title,
                summary=page.summary,
                producer_name=str(producer),
                body=body,
                title_folded=folded_text(page.title),
                body_folded=folded_text(page.summary, body),
                exact_text=exact_text(page.title, page.summary, body),
                group_id=page.group_id,
                group_top_id=lineage[-1].pk if lineage else page.group_id,
                province_code=producer.province_code,
                stars=cert["stars"],
                producer_kind=producer.kind,
                min_price=variant.get("min_price"),
                in_stock=bool(variant.get("stock")),
                variant_count=variant.get("count", 0),
                certified_until=cert["expires_on"],
                published_at=page.first_published_at or timezone.now(),
                image_id=images.get(page.pk),
            )
        )
    return documents


def iter_document_batches(batch_size: int = 500) -> Iterator[list[SearchDocument]]:
    """Every searchable product's document, in batches (for rebuilds)."""
    ids = list(searchable_pages().order_by("pk").values_list("pk", flat=True))
    for start in range(0, len(ids), batch_size):
        chunk = ProductPage.objects.filter(pk__in=ids[start : start + batch_size]).order_by("pk")
        yield build_documents(chunk)


def count_searchable() -> int:
    return searchable_pages().count()


__all__ = ["build_documents", "iter_document_batches", "searchable_pages", "source_ids"]
