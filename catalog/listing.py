"""Context builders for the home page and the product listings (by group, by province)."""

from __future__ import annotations

import logging
from functools import reduce
from operator import or_
from typing import Any

from django.core.paginator import Paginator
from django.db.models import Q
from wagtail.models import Locale, Page, Site

from catalog import english
from catalog.addresses import province_slug, short_province_name, sort_places
from catalog.models import Certificate, OcopGroup, ProducerPage, ProductIndexPage, ProductPage
from catalog.services import (
    ProductCard,
    card_image_html,
    card_images_or_models,
    certified_products,
    product_cards,
)
from cms import pagecache, sitememo
from cms.prepared import Shape

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
    from catalog.search.presenters import leaf_groups

    return qs.filter(group_id__in=leaf_groups(group))


def top_groups() -> list[OcopGroup]:
    """The six OCOP groups (kept per worker while nothing listed changes: cms.sitememo)."""
    return sitememo.listed(
        "top-groups",
        lambda: list(OcopGroup.objects.filter(scheme="148", parent__isnull=True).order_by("code")),
    )


def provinces_with_products(locale: Locale) -> list[dict[str, Any]]:
    """The provinces of the producers with a live page in `locale`, in Vietnamese order (kept
    per worker while nothing listed changes: a producer page going live or off, or a producer
    moving province, touches `LISTING`)."""
    return sitememo.listed(f"provinces:{locale.pk}", lambda: _provinces_with_products(locale))


def _provinces_with_products(locale: Locale) -> list[dict[str, Any]]:
    codes = (
        ProducerPage.objects.live()
        .filter(locale=locale)
        .values_list("producer__province_code", flat=True)
        .order_by()  # DISTINCT over the codes alone, not (code, page path): a row per province
        .distinct()
    )
    return sort_places(
        ({"code": c, "name": short_province_name(c), "slug": province_slug(c)} for c in set(codes)),
        name=lambda p: p["name"],
    )


def home_context(page, request) -> dict[str, Any]:
    """Featured: 5★ products first, then 4★, newest first within each rank (8 at most), from
    the search engine (its "stars" order is that rule); from the database if it fails."""
    locale = page.locale
    try:
        featured = _featured_from_engine(request, locale)
    except Exception:  # noqa: BLE001 - the home page never fails with its engine
        logging.getLogger(__name__).exception("Featured products from the search engine failed")
        featured = _featured_from_database(request, locale)
    index = ProductIndexPage.objects.live().filter(locale=locale).first()
    pagecache.tag(request, pagecache.LISTING)
    if index is not None:
        pagecache.tag(request, pagecache.page_tag(index.translation_key))
    return {"featured": featured, "product_index": index, **browse(index, request, locale)}


def _featured_from_engine(request, locale: Locale) -> list[ProductCard]:
    from catalog.search.base import get_search_engine
    from catalog.search.query import SearchQuery

    query = SearchQuery(sort="stars", stars=[5, 4], page_size=FEATURED)
    return cards_from_hits(get_search_engine().search(query).hits, request, locale)


def _featured_from_database(request, locale: Locale) -> list[ProductCard]:
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
    return featured


def browse(index: ProductIndexPage | None, request, locale: Locale) -> dict[str, Any]:
    """The groups and provinces to browse by, with their listing links (catalog/browse_nav.html):
    the index's address is worked out once, not once per link as `{% routablepageurl %}` does."""
    if index is None:  # nothing to link to (the template shows no browse links then)
        return {}
    base = index.relative_url(Site.find_for_request(request), request)
    base += "" if base.endswith("/") else "/"
    return {
        "group_links": [
            (base + index.reverse_subpage("group", args=(g.slug,)), g.display_name)
            for g in top_groups()
        ],
        "province_links": [
            (base + index.reverse_subpage("province", args=(p["slug"],)), p["name"])
            for p in provinces_with_products(locale)
        ],
    }


def listing_context(index: ProductIndexPage, request, group=None, province=None) -> dict[str, Any]:
    """The page of product cards and the browse links of a listing (heading: the page's route).

    The cards, their count and the facets come from one search of the catalogue's search engine
    (what is on sale is what it indexes: certified products, certificate in force on the day),
    sorted by name; its documents already carry what a card shows. If the engine fails, the
    cards come from the database (`certified_products`) and the facets are left out."""
    pagecache.tag(request, pagecache.LISTING)
    try:
        found = _searched_page(index, request, group, province)
    except Exception:  # noqa: BLE001 - a listing never fails with its engine
        logging.getLogger(__name__).exception("Listing from the search engine failed")
        found = None
    if found is None:
        found = _database_listing(index, request, group, province)
    return {**found, **browse(index, request, index.locale)}


class _EnginePage:
    """What the paginator reads: the engine's total as the length, and this page's cards at
    their positions (the paginator only ever slices out the page it was asked for)."""

    def __init__(self, total: int, offset: int, cards: list[ProductCard]) -> None:
        self.total, self.offset, self.cards = total, offset, cards

    def __len__(self) -> int:
        return self.total

    def __getitem__(self, index: slice) -> list[ProductCard]:
        start = (index.start or 0) - self.offset
        return self.cards[max(start, 0) : max(start, 0) + len(self.cards)]


def _page_number(value: Any) -> int:
    try:
        return max(int(value), 1)
    except (TypeError, ValueError):
        return 1


def _searched_page(index, request, group, province) -> dict[str, Any]:
    from catalog.search.base import get_search_engine
    from catalog.search.presenters import listing_query

    engine = get_search_engine()
    query, fixed = listing_query(group, province, page_size=PAGE_SIZE)
    query.sort = "title"
    query.page = _page_number(request.GET.get("page"))
    results = engine.search(query)
    last = max(1, -(-results.total // PAGE_SIZE))
    if query.page > last:  # past the end: the last page, as Django's paginator answers
        query.page = last
        results = engine.search(query)
    cards = cards_from_hits(results.hits, request, index.locale)
    paginator = Paginator(_EnginePage(results.total, query.offset, cards), PAGE_SIZE)
    page_obj = paginator.page(query.page)
    return {
        "page_obj": page_obj,
        "products": page_obj.object_list,
        "listing_search": (query, fixed, results),
    }


def cards_from_hits(hits: list, request, locale: Locale) -> list[ProductCard]:
    """Cards from search hits: each links to the live page of `locale`; a hit whose page is
    not live there is left out. Three queries (pages, images, renditions), however many."""
    keys = [hit.translation_key for hit in hits]
    # In Vietnamese the hit is the page's own text: the page is read for its address only (no
    # join to the product table); in English for its English name and summary as well.
    in_english = english.wants_english()
    if in_english:
        found = (
            ProductPage.objects.live()
            .filter(translation_key__in=keys, locale=locale)
            .only(*CARD_PAGE_FIELDS)
        )
    else:  # plain rows made into pages without ClusterableModel's __init__ (cms.prepared)
        rows = Page.objects.filter(live=True, translation_key__in=keys, locale=locale)
        found = (CARD_PAGE.make(row, 0) for row in rows.values_list(*CARD_PAGE.paths))
    pages = {str(page.translation_key): page for page in found}
    made, images = card_images_or_models(hit.image_id for hit in hits)
    # No producer tags: a producer change a card shows (name, province, type) re-indexes its
    # products, and every index write voids the listings (catalog.search.tasks).
    pagecache.tag(request, *(pagecache.page_tag(key) for key in keys))
    cards = []
    for hit in hits:
        page = pages.get(hit.translation_key)
        if page is None:
            continue
        title = english.shown(page, "title")
        cards.append(
            ProductCard(
                page=page,
                title=str(title.value),
                image_html=card_image_html(made.get(hit.image_id), str(title.value)),
                title_lang=title.lang,
                url=page.get_url(request),
                summary=english.shown(page, "summary").value if in_english else hit.summary,
                stars=hit.stars,
                min_price=hit.min_price,
                in_stock=hit.in_stock,
                producer_name=hit.producer_name,
                province_code=hit.province_code,
                image=images.get(hit.image_id),
                variant_count=hit.variant_count,
            )
        )
    return cards


# What a card reads from its page: its address and name; in English its English name and
# summary too.
CARD_URL_FIELDS = ("id", "path", "depth", "url_path", "translation_key", "locale_id", "title")
CARD_PAGE_FIELDS = (*CARD_URL_FIELDS, "summary", "title_en", "summary_en")
CARD_PAGE = Shape(Page, "", *CARD_URL_FIELDS)


def _database_listing(index, request, group, province) -> dict[str, Any]:
    qs = certified_products(index.locale)
    if group is not None:
        qs = products_in_group(qs, group)
    if province is not None:
        qs = products_in_province(qs, int(province.code), index.locale)
    paginator = Paginator(qs.order_by("title", "pk"), PAGE_SIZE)
    page_obj = paginator.get_page(request.GET.get("page"))
    return {"page_obj": page_obj, "products": product_cards(page_obj.object_list, request)}


def producer_products(page: ProducerPage, request) -> list:
    """The cards of a producer's live products, for its page."""
    return product_cards(ProductPage.objects.live().child_of(page), request)
