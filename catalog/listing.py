"""Context builders for the home page and the product listings (by group, by province)."""

from __future__ import annotations

from functools import reduce
from operator import or_
from typing import Any

from django.core.paginator import Paginator
from django.db.models import Q
from wagtail.models import Locale

from catalog.addresses import province_slug, short_province_name, sort_places
from catalog.models import Certificate, OcopGroup, ProducerPage, ProductIndexPage, ProductPage
from catalog.services import certified_products, product_cards
from cms import pagecache

PAGE_SIZE = 24
FEATURED = 8


def products_in_province(qs, province_code: int, locale: Locale):
    producer_paths = list(
        ProducerPage.objects.filter(
            producer__province_code=province_code, locale=locale
        ).values_list("path", flat=True)
    )
    if not producer_paths:
        return qs.none()
    return qs.filter(reduce(or_, (Q(path__startswith=p) for p in producer_paths)))


def products_in_group(qs, group: OcopGroup):
    ids = [group.pk]
    frontier = [group.pk]
    while frontier:
        frontier = list(
            OcopGroup.objects.filter(parent_id__in=frontier).values_list("pk", flat=True)
        )
        ids += frontier
    return qs.filter(group_id__in=ids)


def top_groups() -> list[OcopGroup]:
    return list(OcopGroup.objects.filter(scheme="148", parent__isnull=True).order_by("code"))


def provinces_with_products(locale: Locale) -> list[dict[str, Any]]:
    codes = (
        ProducerPage.objects.live()
        .filter(locale=locale)
        .values_list("producer__province_code", flat=True)
        .distinct()
    )
    return sort_places(
        ({"code": c, "name": short_province_name(c), "slug": province_slug(c)} for c in set(codes)),
        name=lambda p: p["name"],
    )


def home_context(page, request) -> dict[str, Any]:
    """Featured: 5★ products first, then 4★, newest first within each rank (8 at most)."""
    locale = page.locale
    featured: list = []
    for stars in (5, 4):
        keys = (
            Certificate.objects.certified().filter(stars=stars).values("product__translation_key")
        )
        qs = (
            certified_products(locale)
            .filter(translation_key__in=keys)
            .exclude(pk__in=[card.page.pk for card in featured])
        )
        featured += product_cards(
            qs.order_by("-first_published_at"), request, limit=FEATURED - len(featured)
        )
        if len(featured) >= FEATURED:
            break
    index = ProductIndexPage.objects.live().filter(locale=locale).first()
    pagecache.tag(request, pagecache.LISTING)
    if index is not None:
        pagecache.tag(request, pagecache.page_tag(index.translation_key))
    return {
        "featured": featured,
        "groups": top_groups(),
        "provinces": provinces_with_products(locale),
        "product_index": index,
    }


def listing_context(index: ProductIndexPage, request, group=None, province=None) -> dict[str, Any]:
    """The page of product cards, groups and provinces of a listing (heading: the page's route)."""
    qs = certified_products(index.locale)
    if group is not None:
        qs = products_in_group(qs, group)
    if province is not None:
        qs = products_in_province(qs, int(province.code), index.locale)
    paginator = Paginator(qs.order_by("title", "pk"), PAGE_SIZE)
    page_obj = paginator.get_page(request.GET.get("page"))
    pagecache.tag(request, pagecache.LISTING)
    return {
        "page_obj": page_obj,
        "products": product_cards(page_obj.object_list, request),
        "groups": top_groups(),
        "provinces": provinces_with_products(index.locale),
    }


def producer_products(page: ProducerPage, request) -> list:
    """The cards of a producer's live products, for its page."""
    return product_cards(ProductPage.objects.live().child_of(page), request)
