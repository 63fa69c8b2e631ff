"""Public pages: the provinces with sales points, and one province's places."""

from __future__ import annotations

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import translation
from wagtail.models import Locale

from catalog.addresses import province_by_slug, province_name, province_slug
from catalog.models import ProducerPage, ProductPage
from cms import pagecache
from places.invalidation import SALES_POINTS
from places.services import provinces_with_sales_points, public_sales_points


def _localized(model, keys: set, language: str) -> dict:
    """translation_key → the live page in the visitor's language (or the Vietnamese one)."""
    found: dict = {}
    wanted = [settings.LANGUAGE_CODE]
    if language != settings.LANGUAGE_CODE:
        wanted.append(language)
    locales = dict(
        Locale.objects.filter(language_code__in=wanted).values_list("language_code", "pk")
    )
    pages = (
        model.objects.live().public().filter(translation_key__in=keys, locale__in=locales.values())
    )
    for page in pages:
        if page.translation_key not in found or page.locale_id == locales.get(language):
            found[page.translation_key] = page
    return found


def index(request: HttpRequest) -> HttpResponse:
    pagecache.cacheable(request, SALES_POINTS)
    return render(request, "places/index.html", {"provinces": provinces_with_sales_points()})


def province(request: HttpRequest, slug: str) -> HttpResponse:
    found = province_by_slug(slug)
    if found is None:
        raise Http404
    code = int(found.code)
    points = list(
        public_sales_points()
        .filter(province_code=code)
        .prefetch_related("producers", "products")
        .order_by("kind", "name")
    )
    language = translation.get_language() or settings.LANGUAGE_CODE
    product_keys = {p.translation_key for sp in points for p in sp.products.all() if p.live}
    products = _localized(ProductPage, product_keys, language)
    producer_pages = {
        page.producer_id: page
        for page in ProducerPage.objects.live()
        .public()
        .filter(
            producer__in={pr.pk for sp in points for pr in sp.producers.all()},
            locale__language_code=language,
        )
    }
    rows = [
        {
            "point": sp,
            "products": [
                products[p.translation_key]
                for p in sp.products.all()
                if p.translation_key in products
            ],
            "producers": [(pr, producer_pages.get(pr.pk)) for pr in sp.producers.all()],
        }
        for sp in points
    ]
    pagecache.cacheable(request, SALES_POINTS, pagecache.LISTING)
    context = {
        "province_name": province_name(code),
        "province_slug": province_slug(code),
        "rows": rows,
        "other_provinces": [p for p in provinces_with_sales_points() if p["code"] != code],
    }
    return render(request, "places/province.html", context)
